//! The author's side of moderation in Chromium, on the moderation test's server and browser:
//! nudged before posting (edit, then post anyway), and told why after a moderator rejects.

use crate::browser::{comment_with, wait_for_text, widget};
use fantoccini::elements::{Element, ShadowRoot};
use fantoccini::{Client, Locator};
use serde_json::json;
use std::time::Duration;

/// Holds under the default (balanced) policy: the model reads it as abusive, and, with the
/// attribute model, as a threat and an insult.
const THREAT: &str = "I will find you and shoot you, you worthless idiot.";
const NOTE: &str = "Threats are not published here.";

/// The button in `scope` matching `css` whose label is `label`.
async fn labelled(scope: &Element, css: &str, label: &str) -> Element {
    for b in scope.find_all(Locator::Css(css)).await.unwrap() {
        if b.text().await.unwrap().trim() == label {
            return b;
        }
    }
    panic!("no {css} {label:?}");
}

/// Clicks "Post comment" and waits for the nudge to show.
async fn post_and_expect_the_nudge(root: &ShadowRoot, form: &Element) -> String {
    form.find(Locator::Css(":scope > .btns > button.pri"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..200 {
        let shown = form.find(Locator::Css(".nudge:not([hidden]) p")).await;
        if let Ok(p) = shown {
            return p.text().await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let html = root
        .find(Locator::Css("form.f"))
        .await
        .unwrap()
        .html(false)
        .await
        .unwrap();
    panic!("no nudge: {html}");
}

/// The widget's nudge (edit, then post anyway), and the statement of reasons after a
/// moderator's rejection, shown to the author after a reload.
pub(super) async fn the_author_is_nudged_then_told_why(c: &Client, base: &str) {
    c.goto(&format!("{base}/demo")).await.unwrap();
    let root = widget(c).await;
    let form = root.find(Locator::Css("form.f")).await.unwrap();
    let text = form
        .find(Locator::Css("textarea[name=body]"))
        .await
        .unwrap();
    text.send_keys(THREAT).await.unwrap();
    let said = post_and_expect_the_nudge(&root, &form).await;
    assert!(said.starts_with("This may be read as "), "{said}");
    assert!(
        said.ends_with("Edit it, or post it for a moderator to review."),
        "{said}"
    );
    assert!(said.contains('“'), "the words are quoted: {said}");

    // Edit: the nudge goes, the text area has the focus, nothing was posted.
    labelled(&form, ".nudge button", "Edit")
        .await
        .click()
        .await
        .unwrap();
    let focus = c
        .execute(
            "const r = document.querySelector('#rostra-thread').shadowRoot; \
             return [r.activeElement && r.activeElement.name, r.querySelector('form.f .nudge').hidden];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focus, json!(["body", true]));
    text.send_keys(" I mean it.").await.unwrap();
    post_and_expect_the_nudge(&root, &form).await;
    labelled(&form, ".nudge button", "Post anyway")
        .await
        .click()
        .await
        .unwrap();
    let (article, id) = comment_with(&root, "I mean it.").await;
    let held = wait_for_text(
        &root,
        &format!("#{id} .why"),
        "Held for review: may be read as ",
    )
    .await;
    assert!(held.text().await.unwrap().len() > "Held for review: may be read as ".len());
    assert!(article.find(Locator::Css(".pending")).await.is_ok());
    let id = id.trim_start_matches("comment-").to_string();

    // A moderator rejects it with a note (the browser is still signed in to /admin).
    c.goto(&format!("{base}/admin/queue/pending"))
        .await
        .unwrap();
    let item = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(&format!("article.item#item-{id}")))
        .await
        .unwrap();
    item.find(Locator::Css("form.f-reject input[name=note]"))
        .await
        .unwrap()
        .send_keys(NOTE)
        .await
        .unwrap();
    item.find(Locator::Css("form.f-reject button.reject"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let flash = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("p.flash"))
        .await
        .unwrap();
    assert_eq!(
        flash.text().await.unwrap(),
        format!("Comment {id} is now rejected.")
    );

    // Back on the article, after a reload: the author sees the decision and the note, not
    // "Awaiting moderation".
    c.goto(&format!("{base}/demo")).await.unwrap();
    let root = widget(c).await;
    let why = wait_for_text(
        &root,
        &format!("#comment-{id} .why"),
        "Rejected by a moderator",
    )
    .await;
    assert_eq!(
        why.text().await.unwrap(),
        format!("Rejected by a moderator: {NOTE}")
    );
    let article = root
        .find(Locator::Css(&format!("#comment-{id}")))
        .await
        .unwrap();
    assert!(
        article.find(Locator::Css(".pending")).await.is_err(),
        "no longer awaiting moderation"
    );
}
