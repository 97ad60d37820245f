//! Moderation in real headless Chromium: a moderator signs in, finds a held comment with the
//! reasons it was held, approves it with the `a` key, and the comment then shows in the widget
//! on the article page; a comment held by an attribute of the model shows the attribute, its
//! score and its words; on the site's page a preset fills the thresholds table. On the same
//! server and browser, an author is nudged before posting (edit, then post anyway) and, after a
//! moderator rejects the comment, sees why after a reload; a moderator opens an author's drawer
//! with `u`, adds a note and rejects all and bans, and the admin pages fit 375 px; no JavaScript
//! errors along the way.

mod authors;
mod desk;

use crate::browser::{browser, chromedriver, comment_with, console_errors, widget};
use crate::{rostra, Demo};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

const EMAIL: &str = "mod@example.org";
const PASSWORD: &str = "correct horse battery";
const BODY: &str = "Held until a moderator looks: https://one.example/a https://two.example/b https://three.example/c";
const SHOWN: &str = "Held until a moderator looks";

/// `rostra user add` beside the running demo, on its database, the password on stdin.
fn add_admin(database: &str) {
    let mut child = rostra()
        .args([
            "user",
            "add",
            "--email",
            EMAIL,
            "--role",
            "admin",
            "--password-stdin",
        ])
        .arg("--database")
        .arg(database)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "rostra user add failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Posts a comment with three links (the default policy allows two) through the JSON API;
/// answers its id once the server says it is held.
async fn post_held_comment(base: &str) -> i64 {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/comments"))
        .json(&json!({
            "site": "demo",
            "url": format!("{base}/demo"),
            "author_name": "Link Spammer",
            "body": BODY,
        }))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["comment"]["status"], "pending", "{v}");
    v["comment"]["id"].as_i64().unwrap()
}

const ABUSIVE: &str = "I will find you and shoot you, you worthless idiot.";

/// Posts an unmistakable threat and insult; answers its id once the server says it is held.
async fn post_abusive_comment(base: &str) -> i64 {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/comments"))
        .json(&json!({"site": "demo", "url": format!("{base}/demo"), "author_name": "Angry", "body": ABUSIVE}))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["comment"]["status"], "pending", "{v}");
    v["comment"]["id"].as_i64().unwrap()
}

/// The queue item of a comment held by an attribute: "threat 0.93: <mark>words</mark>".
async fn check_attribute_item(c: &Client, id: i64) {
    let item = c
        .find(Locator::Css(&format!("article.item#item-{id}")))
        .await
        .unwrap();
    let label = item
        .find(Locator::Css("ul.reasons .attribute"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (name, score) = label.split_once(' ').unwrap();
    assert!(
        rostra_core::attributes::Attribute::parse(name).is_some(),
        "{label}"
    );
    assert!(
        score.parse::<f32>().is_ok_and(|s| (0.0..=1.0).contains(&s)),
        "{label}"
    );
    let marks = item
        .find_all(Locator::Css("ul.reasons mark"))
        .await
        .unwrap();
    assert!(!marks.is_empty(), "the words behind {label} are shown");
    for m in marks {
        let words = m.text().await.unwrap();
        assert!(!words.is_empty() && ABUSIVE.contains(&words), "{words:?}");
    }
}

/// On the site's page, choosing a preset fills the table, editing the table makes it custom,
/// and saving keeps what the table says.
async fn check_preset_picker(c: &Client, base: &str) {
    c.goto(&format!("{base}/admin/sites/demo")).await.unwrap();
    let value = |name: &'static str| async move {
        let field = c.find(Locator::Css(name)).await.unwrap();
        field.prop("value").await.unwrap().unwrap_or_default()
    };
    assert_eq!(value("#preset").await, "balanced");
    c.find(Locator::Css("#preset option[value=strict]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(value("[name=hold_profanity]").await, "0.6");
    assert_eq!(value("[name=reject_threat]").await, "0.9");
    assert_eq!(value("#preset_shown").await, "strict");
    let hold = c.find(Locator::Css("[name=hold_threat]")).await.unwrap();
    hold.clear().await.unwrap();
    hold.send_keys("0.35").await.unwrap();
    assert_eq!(value("#preset").await, "custom");
    c.find(Locator::Css("form[action='/admin/sites/demo'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..200 {
        if c.find(Locator::Css("p.flash")).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(value("#preset").await, "custom");
    assert_eq!(value("[name=hold_threat]").await, "0.35");
    assert_eq!(
        value("[name=hold_profanity]").await,
        "0.6",
        "the rest of strict was kept"
    );
}

/// Waits until the page's path is `path` (after a form's redirect).
async fn wait_for_path(c: &Client, path: &str) -> url::Url {
    for _ in 0..200 {
        let url = c.current_url().await.unwrap();
        if url.path() == path {
            return url;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "never reached {path}; at {}",
        c.current_url().await.unwrap()
    );
}

#[tokio::test]
async fn a_moderator_approves_a_held_comment_with_the_keyboard() {
    let test = "a_moderator_approves_a_held_comment_with_the_keyboard";
    let Some(driver) = chromedriver(test).await else {
        return;
    };
    let demo = Demo::start().await;
    add_admin(&demo.database);
    let id = post_held_comment(&demo.base).await;
    let abusive = post_abusive_comment(&demo.base).await;

    let c = browser(&driver, true).await;

    // Held comments are not shown to readers.
    c.goto(&format!("{}/demo", demo.base)).await.unwrap();
    let root = widget(&c).await;
    for body in root
        .find_all(Locator::Css("article.c .body"))
        .await
        .unwrap()
    {
        assert!(
            !body.text().await.unwrap().contains(SHOWN),
            "a held comment is not shown before it is approved"
        );
    }

    // Sign in: the form sends the moderator to the pending queue.
    c.goto(&format!("{}/admin/login", demo.base)).await.unwrap();
    c.find(Locator::Css("#email"))
        .await
        .unwrap()
        .send_keys(EMAIL)
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&c, "/admin/queue/pending").await;

    // The held comment, with why it was held and its links marked.
    let item_css = format!("article.item#item-{id}");
    let item = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(&item_css))
        .await
        .unwrap();
    let meta = item.find(Locator::Css("p.meta")).await.unwrap();
    assert!(meta.text().await.unwrap().contains("Link Spammer"));
    let reasons = item
        .find(Locator::Css("ul.reasons"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        reasons.contains("links") && reasons.contains("3 links (the site allows 2)"),
        "reasons shown: {reasons:?}"
    );
    let marks = item.find_all(Locator::Css(".body mark")).await.unwrap();
    let mut marked = Vec::new();
    for m in &marks {
        marked.push(m.text().await.unwrap());
    }
    assert_eq!(
        marked,
        [
            "https://one.example/a",
            "https://two.example/b",
            "https://three.example/c"
        ],
        "the links are marked in the body"
    );

    // The page focuses the first item on load; the `a` key approves the focused item.
    let focused = c
        .execute(
            "return document.activeElement && document.activeElement.id;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        focused,
        json!(format!("item-{id}")),
        "the held comment has focus"
    );
    item.send_keys("a").await.unwrap();

    // Back on the pending queue, with a note of what was done and the item gone.
    let mut flash = String::new();
    for _ in 0..200 {
        if let Ok(f) = c.find(Locator::Css("p.flash")).await {
            flash = f.text().await.unwrap_or_default();
            if flash.contains("is now published") {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(flash, format!("Comment {id} is now published."));
    assert_eq!(
        c.current_url().await.unwrap().path(),
        "/admin/queue/pending"
    );
    assert!(
        c.find(Locator::Css(&item_css)).await.is_err(),
        "the approved comment left the pending queue"
    );

    check_attribute_item(&c, abusive).await;
    check_preset_picker(&c, &demo.base).await;

    // Readers now see it in the widget on the article page.
    c.goto(&format!("{}/demo", demo.base)).await.unwrap();
    let root = widget(&c).await;
    let (article, shown_id) = comment_with(&root, SHOWN).await;
    assert_eq!(shown_id, format!("comment-{id}"));
    assert!(article.text().await.unwrap().contains("Link Spammer"));

    authors::the_author_is_nudged_then_told_why(&c, &demo.base).await;
    desk::the_drawer_opens_with_u_and_admin_pages_fit_a_phone(&c, &demo.base).await;

    let errors = console_errors(&c).await;
    assert!(errors.is_empty(), "JavaScript errors: {errors:?}");
    c.close().await.unwrap();
}
