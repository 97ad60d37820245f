//! Two readers on one article in real Chromium: a comment posted in one window appears in the
//! other after the "new comments" click, without a reload.

use crate::browser::{browser_named, chromedriver, comment_with, console_errors, widget};
use crate::Demo;
use fantoccini::{Client, Locator};
use std::time::Duration;

/// Polls a JavaScript condition (a hang guard, not a speed check).
async fn until(c: &Client, js: &str) {
    for _ in 0..300 {
        if c.execute(js, vec![]).await.ok().and_then(|v| v.as_bool()) == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never true: {js}");
}

#[tokio::test]
async fn a_comment_in_one_window_appears_in_the_other() {
    let Some(driver) = chromedriver("a_comment_in_one_window_appears_in_the_other").await else {
        return;
    };
    let demo = Demo::start().await;
    let (a, b) = (
        browser_named(&driver, true, "a").await,
        browser_named(&driver, true, "b").await,
    );
    let url = format!("{}/demo", demo.base);
    a.goto(&url).await.unwrap();
    b.goto(&url).await.unwrap();
    let (root_a, root_b) = (widget(&a).await, widget(&b).await);
    until(
        &a,
        "return !!(window.Rostra && window.Rostra.live && window.Rostra.live.connected)",
    )
    .await;
    until(
        &b,
        "return !!(window.Rostra && window.Rostra.live && window.Rostra.live.connected)",
    )
    .await;

    let form = root_a.find(Locator::Css("form.f")).await.unwrap();
    form.find(Locator::Css("textarea[name=body]"))
        .await
        .unwrap()
        .send_keys("Live from window A")
        .await
        .unwrap();
    form.find(Locator::Css("button.pri"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    comment_with(&root_a, "Live from window A").await;

    until(&b, "return window.Rostra.live.pending === 1").await;
    let before = root_b
        .find(Locator::Css("h2.count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        before.contains('9'),
        "nothing moved under the reader's eyes: {before}"
    );
    root_b
        .find(Locator::Css(".fresh button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let (_, id) = comment_with(&root_b, "Live from window A").await;
    assert!(root_b
        .find(Locator::Css("h2.count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("10"));
    assert_eq!(b.current_url().await.unwrap().as_str(), url, "no reload");

    // A vote in A updates the score in B in place.
    let seen = b
        .execute("return window.Rostra.live.events", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    let a_comment = root_a.find(Locator::Css(&format!("#{id}"))).await.unwrap();
    a_comment
        .find(Locator::Css(":scope > .main button.up"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(&b, &format!("return window.Rostra.live.events > {seen}")).await;
    let score = root_b
        .find(Locator::Css(&format!("#{id} > .main .score")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(score.trim(), "1");
    for c in [&a, &b] {
        let errors = console_errors(c).await;
        assert!(errors.is_empty(), "JavaScript errors: {errors:?}");
    }
    a.close().await.unwrap();
    b.close().await.unwrap();
}
