//! The demo's list of stories in real Chromium: comment-count badges filled from one request,
//! "Most discussed" and "Latest comments" drawn, and all of it following a new comment.

use crate::browser::{browser, chromedriver, comment_with, console_errors, widget};
use crate::Demo;
use fantoccini::{Client, Locator};
use serde_json::Value;
use std::time::Duration;

/// Polls a script until it answers something other than `null`.
async fn wait_for(c: &Client, script: &str) -> Value {
    for _ in 0..200 {
        let v = c.execute(script, vec![]).await.unwrap();
        if !v.is_null() {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never satisfied: {script}");
}

/// Each badge's page path and text, once every badge is filled.
async fn badges(c: &Client) -> Vec<(String, String)> {
    let v = wait_for(
        c,
        "const a = [...document.querySelectorAll('a[data-rostra-count]')];
         if (!a.length || a.some(x => !x.hasAttribute('data-rostra-counted'))) return null;
         return a.map(x => [new URL(x.dataset.rostraCount).pathname, x.textContent]);",
    )
    .await;
    serde_json::from_value(v).unwrap()
}

/// The item texts of a list box, once it is drawn.
async fn list_items(c: &Client, box_id: &str) -> Vec<String> {
    let script = format!(
        "const b = document.getElementById('{box_id}');
         if (!b.hasAttribute('data-rostra-loaded')) return null;
         return [...b.querySelectorAll('li')].map(li => li.textContent);"
    );
    serde_json::from_value(wait_for(c, &script).await).unwrap()
}

async fn counts_requests(c: &Client) -> u64 {
    c.execute(
        "return performance.getEntriesByType('resource')
           .filter(e => e.name.includes('/api/counts')).length;",
        vec![],
    )
    .await
    .unwrap()
    .as_u64()
    .unwrap()
}

#[tokio::test]
async fn the_story_list_shows_counts_and_lists_that_follow_a_new_comment() {
    let test = "the_story_list_shows_counts_and_lists_that_follow_a_new_comment";
    let Some(driver) = chromedriver(test).await else {
        return;
    };
    let demo = Demo::start().await;
    let c = browser(&driver, true).await;
    let articles = format!("{}/demo/articles", demo.base);
    c.goto(&articles).await.unwrap();

    let before = badges(&c).await;
    let expected = [
        ("/demo", "9 comments"),
        ("/demo/articles/library-hours", "3 comments"),
        ("/demo/articles/harbour-ferry", "4 comments"),
        ("/demo/articles/school-gardens", "4 comments"),
    ];
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    assert_eq!(before, want);
    assert_eq!(counts_requests(&c).await, 1, "one request for all badges");

    let discussed = list_items(&c, "most-discussed").await;
    assert_eq!(discussed.len(), 4, "{discussed:?}");
    assert!(
        discussed[0].contains("Riverside goes car-free") && discussed[0].contains("9 comments")
    );
    assert!(
        discussed[3].contains("ferry") && discussed[3].contains("1 comment"),
        "the ferry story's older comments fall outside the week: {discussed:?}"
    );
    let latest = list_items(&c, "latest-comments").await;
    assert_eq!(latest.len(), 5, "{latest:?}");
    assert!(latest[0].starts_with("Sam on Riverside"), "{latest:?}");
    assert!(latest[0].contains("Who voted against"), "{latest:?}");

    // A reader comments on the library story through the widget.
    c.goto(&format!("{}/demo/articles/library-hours", demo.base))
        .await
        .unwrap();
    let root = widget(&c).await;
    let feed = root.find(Locator::Css("a.feed")).await.unwrap();
    let href = feed.attr("href").await.unwrap().unwrap();
    assert_eq!(
        href,
        format!(
            "{}/feed.atom?site=demo&url={}",
            demo.base,
            url::form_urlencoded::byte_serialize(
                format!("{}/demo/articles/library-hours", demo.base).as_bytes()
            )
            .collect::<String>()
        ),
        "the widget links the thread's feed"
    );
    let form = root.find(Locator::Css("form.f")).await.unwrap();
    form.find(Locator::Css("input[name=author_name]"))
        .await
        .unwrap()
        .send_keys("Badge Tester")
        .await
        .unwrap();
    form.find(Locator::Css("textarea[name=body]"))
        .await
        .unwrap()
        .send_keys("Sunday opening, at last")
        .await
        .unwrap();
    form.find(Locator::Css("button.pri"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    comment_with(&root, "Sunday opening, at last").await;

    c.goto(&articles).await.unwrap();
    let after = badges(&c).await;
    assert_eq!(
        after[1],
        (
            "/demo/articles/library-hours".to_string(),
            "4 comments".to_string()
        )
    );
    assert_eq!(after[0], want[0]);
    assert_eq!(counts_requests(&c).await, 1);
    let latest = list_items(&c, "latest-comments").await;
    assert!(
        latest[0].starts_with("Badge Tester on Central library")
            && latest[0].contains("Sunday opening, at last"),
        "{latest:?}"
    );
    let discussed = list_items(&c, "most-discussed").await;
    assert!(
        discussed
            .iter()
            .any(|d| d.contains("Central library") && d.contains("4 comments")),
        "{discussed:?}"
    );

    // Past 100 links the badges are asked for in groups of 100 (the API's limit).
    c.execute(
        "for (let i = 0; i < 150; i++) {
           const a = document.createElement('a');
           a.className = 'extra';
           a.dataset.rostraCount = location.origin + '/demo/articles/unwritten-' + i;
           document.body.append(a);
         }
         return RostraCount.refresh();",
        vec![],
    )
    .await
    .unwrap();
    let extra = wait_for(
        &c,
        "const a = [...document.querySelectorAll('a.extra')];
         return a.every(x => x.textContent === '0 comments') ? a.length : null;",
    )
    .await;
    assert_eq!(extra, 150);
    assert_eq!(
        counts_requests(&c).await,
        3,
        "one more request per 100 links"
    );
    let after = badges(&c).await;
    assert_eq!(after[1].1, "4 comments");

    let errors = console_errors(&c).await;
    assert!(errors.is_empty(), "JavaScript errors: {errors:?}");
    c.close().await.unwrap();
}
