//! Reply notifications from the widget in real Chromium, over real SMTP: a reader ticks "E-mail
//! me when someone replies", is told to confirm, confirms through the link in the e-mail, and is
//! e-mailed when someone replies to the comment.

use crate::browser::{browser, chromedriver, comment_with, console_errors, wait_for_text, widget};
use crate::Demo;
use fantoccini::Locator;
use rostra_testkit::smtp::{link_in, SmtpSink};
use serde_json::json;

const NAME: &str = "a_reader_ticks_reply_notifications_in_the_widget_and_gets_one";
const READER: &str = "rita@example.org";

#[tokio::test]
async fn a_reader_ticks_reply_notifications_in_the_widget_and_gets_one() {
    let Some(driver) = chromedriver(NAME).await else {
        return;
    };
    let Some(sink) = SmtpSink::start(NAME) else {
        return;
    };
    let port = sink.port.to_string();
    let demo = Demo::start_with_env(&[
        ("ROSTRA_MAIL__SMTP_HOST", "127.0.0.1"),
        ("ROSTRA_MAIL__SMTP_PORT", &port),
        ("ROSTRA_MAIL__SMTP_TLS", "none"),
    ])
    .await;
    let c = browser(&driver, true).await;
    c.goto(&format!("{}/demo", demo.base)).await.unwrap();
    let root = widget(&c).await;
    let form = root.find(Locator::Css("form.f")).await.unwrap();
    let fill = [
        ("textarea[name=body]", "Tell me when someone answers this."),
        ("input[name=author_name]", "Rita"),
        ("input[name=author_email]", READER),
    ];
    for (css, text) in fill {
        let field = form.find(Locator::Css(css)).await.unwrap();
        field.send_keys(text).await.unwrap();
    }
    let tick = form
        .find(Locator::Css("input[name=notify_replies]"))
        .await
        .unwrap();
    tick.click().await.unwrap();
    form.find(Locator::Css("button.pri"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let (_, id) = comment_with(&root, "Tell me when someone answers this.").await;
    wait_for_text(&root, "p.sr", "Check your e-mail to confirm").await;

    // The confirmation arrives over SMTP; its page confirms with a button, in the browser.
    let messages = sink.wait_for(1).await;
    let confirmation = messages
        .iter()
        .find(|m| m.contains(&format!("X-Rcpt-To: {READER}")) && m.contains("Confirm reply"))
        .expect("a confirmation e-mail to the reader");
    let prefix = format!("{}/notifications/confirm?token=", demo.base);
    let link = link_in(confirmation, &prefix).expect("a confirmation link");
    c.goto(&link).await.unwrap();
    c.find(Locator::Css("form[method=post] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The form posts and a new page loads: wait for it rather than read the one going away.
    crate::identity_browser::until(
        &c,
        "return !!document.body && document.body.textContent.includes('Confirmed')",
    )
    .await;

    // Another reader replies (through the API, as a script would): Rita hears of it.
    let parent: i64 = id.trim_start_matches("comment-").parse().unwrap();
    let reply = reqwest::Client::new()
        .post(format!("{}/api/comments", demo.base))
        .json(
            &json!({"site": "demo", "url": format!("{}/demo", demo.base), "parent": parent,
            "author_name": "Sam", "body": "Here is an answer for Rita."}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201, "{}", reply.text().await.unwrap());
    // Quoted-printable soft line breaks undone, so that text is found whole.
    let messages: Vec<String> = sink
        .wait_for(2)
        .await
        .iter()
        .map(|m| m.replace("=\r\n", "").replace("=\n", ""))
        .collect();
    let notice = messages
        .iter()
        .filter(|m| m.contains(&format!("X-Rcpt-To: {READER}")))
        .find(|m| m.contains("Here is an answer for Rita."))
        .expect("a reply notification with the reply in it");
    assert!(notice.contains("Sam"), "{notice}");
    assert_eq!(console_errors(&c).await, Vec::<String>::new());
}
