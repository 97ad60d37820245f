//! The moderators' desk in Chromium, on the moderation test's server and browser: `u` opens the
//! author's drawer from a comment's page, a note is added there, "reject all and ban" empties the
//! author's comments; then every admin page is read 375 px wide without horizontal scrolling.

use super::wait_for_path;
use crate::browser::page_text;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use std::time::Duration;

/// Posts a held comment (three links) as a guest with an identity token; answers its id.
async fn post_as_guest(base: &str, body: &str) -> i64 {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/comments"))
        .header("x-rostra-author", "desk-regular")
        .json(
            &json!({"site": "demo", "url": format!("{base}/demo"), "author_name": "Regular",
            "body": body}),
        )
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    v["comment"]["id"].as_i64().unwrap()
}

async fn flash(c: &Client, wanted: &str) -> String {
    let mut seen = String::new();
    for _ in 0..200 {
        if let Ok(f) = c.find(Locator::Css("p.flash")).await {
            seen = f.text().await.unwrap_or_default();
            if seen.contains(wanted) {
                return seen;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no flash saying {wanted:?}; saw {seen:?}");
}

pub(super) async fn the_drawer_opens_with_u_and_admin_pages_fit_a_phone(c: &Client, base: &str) {
    post_as_guest(base, "An earlier and harmless remark.").await;
    let id = post_as_guest(
        base,
        "Buy: https://a.example/1 https://b.example/2 https://c.example/3",
    )
    .await;
    c.goto(&format!("{base}/admin/comments/{id}"))
        .await
        .unwrap();
    let item = c
        .find(Locator::Css(&format!("article.item#item-{id}")))
        .await
        .unwrap();
    item.send_keys("u").await.unwrap();
    let drawer = format!("/admin/comments/{id}/author");
    wait_for_path(c, &drawer).await;
    let text = page_text(c, "#drawer").await;
    assert!(
        text.contains("Matched by their guest identity token"),
        "{text}"
    );
    assert!(
        text.contains("2 comments") && text.contains("1 held"),
        "{text}"
    );

    let note = c.find(Locator::Css("#note-body")).await.unwrap();
    note.send_keys("Sells things in every thread.")
        .await
        .unwrap();
    c.find(Locator::Css("form.f-note button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    flash(c, "Note added.").await;
    let notes = page_text(c, "ul.notes").await;
    assert!(notes.contains("Sells things in every thread."), "{notes}");

    let form = c.find(Locator::Css("form.f-reject-all")).await.unwrap();
    let reason = form.find(Locator::Css("input[name=reason]")).await.unwrap();
    reason
        .send_keys("Advertising is not welcome here.")
        .await
        .unwrap();
    form.find(Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let done = flash(c, "comments rejected").await;
    assert!(done.starts_with("2 comments rejected"), "{done}");

    c.set_window_size(375, 800).await.unwrap();
    let width = c
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap();
    assert!(
        width.as_i64().is_some_and(|w| w <= 400),
        "the window is {width} px wide"
    );
    for path in [
        "/admin/queue/pending".to_string(),
        "/admin/queue/recent".to_string(),
        format!("/admin/comments/{id}"),
        drawer.clone(),
        "/admin/audit".to_string(),
        "/admin/sites".to_string(),
        "/admin/sites/demo".to_string(),
        "/admin/users".to_string(),
        "/admin/alerts".to_string(),
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        let wide = c
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            wide[0].as_i64() <= wide[1].as_i64(),
            "{path} scrolls sideways at 375 px: {wide}"
        );
    }
    c.set_window_size(1100, 1600).await.unwrap();
}
