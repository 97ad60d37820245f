//! The demo in real headless Chromium over WebDriver: a reader posts, replies, edits and
//! reloads with no JavaScript errors; and without JavaScript, posts through the plain form.

use crate::{free_port, wait_until_up, Demo};
use fantoccini::elements::{Element, ShadowRoot};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use rostra_testkit::skip;
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub(crate) struct Driver {
    pub(crate) url: String,
    child: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) async fn chromedriver(test: &str) -> Option<Driver> {
    if !std::path::Path::new(CHROMIUM).exists() || !std::path::Path::new(CHROMEDRIVER).exists() {
        skip(test, "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        return None;
    }
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    wait_until_up(&format!("{url}/status")).await;
    Some(Driver {
        url,
        child,
        _profile: tempfile::tempdir().unwrap(),
    })
}

/// A browser session with the flags this machine needs (no sandbox as root, no background
/// networking, a fresh profile), JavaScript on or off.
pub(crate) async fn browser(driver: &Driver, javascript: bool) -> Client {
    browser_named(driver, javascript, if javascript { "js" } else { "nojs" }).await
}

/// A browser with its own profile folder `name`, so several can run side by side.
pub(crate) async fn browser_named(driver: &Driver, javascript: bool, name: &str) -> Client {
    browser_with_prefs(driver, javascript, name, json!({})).await
}

/// A browser whose profile refuses third-party cookies, as more and more readers' browsers do.
pub(crate) async fn browser_without_third_party_cookies(driver: &Driver, name: &str) -> Client {
    let prefs = json!({"profile": {"block_third_party_cookies": true, "cookie_controls_mode": 1}});
    browser_with_prefs(driver, true, name, prefs).await
}

async fn browser_with_prefs(
    driver: &Driver,
    javascript: bool,
    name: &str,
    prefs: serde_json::Value,
) -> Client {
    let mut args = vec![
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--window-size=1100,1600".into(),
        format!(
            "--user-data-dir={}",
            driver._profile.path().join(name).display()
        ),
    ];
    if !javascript {
        args.push("--blink-settings=scriptEnabled=false".into());
    }
    let caps = json!({
        "goog:chromeOptions": {"binary": CHROMIUM, "args": args, "prefs": prefs},
        "goog:loggingPrefs": {"browser": "ALL"},
    });
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps.as_object().unwrap().clone());
    builder.connect(&driver.url).await.unwrap()
}

/// ChromeDriver's browser console log (`POST /session/{id}/se/log`).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

/// Console errors other than the browser asking for a favicon.
pub(crate) async fn console_errors(c: &Client) -> Vec<String> {
    let log = c.issue_cmd(BrowserLog).await.unwrap();
    log.as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| e["level"] == "SEVERE")
                .map(|e| e["message"].as_str().unwrap_or_default().to_string())
                .filter(|m| !m.contains("favicon.ico"))
                .collect()
        })
        .unwrap_or_default()
}

/// The text of the first element the CSS selector finds on the page.
pub(crate) async fn page_text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub(crate) async fn widget(c: &Client) -> ShadowRoot {
    let host = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#rostra-thread"))
        .await
        .unwrap();
    for _ in 0..200 {
        if let Ok(root) = host.shadow_root().await {
            if root.find(Locator::Css("article.c")).await.is_ok() {
                return root;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the widget did not draw the thread");
}

pub(crate) async fn wait_for_text(root: &ShadowRoot, css: &str, text: &str) -> Element {
    for _ in 0..200 {
        for e in root.find_all(Locator::Css(css)).await.unwrap() {
            if e.text().await.unwrap_or_default().contains(text) {
                return e;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no {css} with text {text:?}");
}

/// The `<article>` of the comment whose body holds `text`.
pub(crate) async fn comment_with(root: &ShadowRoot, text: &str) -> (Element, String) {
    wait_for_text(root, "article.c .body", text).await;
    for a in root.find_all(Locator::Css("article.c")).await.unwrap() {
        let body = a
            .find(Locator::Css(":scope > .main > .body"))
            .await
            .unwrap();
        if body.text().await.unwrap().contains(text) {
            let id = a.attr("id").await.unwrap().unwrap();
            return (a, id);
        }
    }
    unreachable!()
}

async fn button(scope: &Element, label: &str) -> Element {
    for b in scope
        .find_all(Locator::Css(":scope > .main button"))
        .await
        .unwrap()
    {
        if b.text().await.unwrap().trim() == label {
            return b;
        }
    }
    panic!("no button {label:?}");
}

#[tokio::test]
async fn a_reader_posts_replies_edits_and_reloads() {
    let Some(driver) = chromedriver("a_reader_posts_replies_edits_and_reloads").await else {
        return;
    };
    let demo = Demo::start().await;
    let c = browser(&driver, true).await;
    c.goto(&format!("{}/demo", demo.base)).await.unwrap();
    let root = widget(&c).await;
    assert!(wait_for_text(&root, "h2.count", "comments")
        .await
        .text()
        .await
        .unwrap()
        .contains('9'));

    let form = root.find(Locator::Css("form.f")).await.unwrap();
    form.find(Locator::Css("input[name=author_name]"))
        .await
        .unwrap()
        .send_keys("Browser Tester")
        .await
        .unwrap();
    form.find(Locator::Css("textarea[name=body]"))
        .await
        .unwrap()
        .send_keys("Posted from *Chromium*")
        .await
        .unwrap();
    form.find(Locator::Css("button.pri"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let (top, top_id) = comment_with(&root, "Posted from Chromium").await;
    assert!(top.html(true).await.unwrap().contains("<em>Chromium</em>"));

    button(&top, "Reply").await.click().await.unwrap();
    let reply_box = top.find(Locator::Css(".rf textarea")).await.unwrap();
    reply_box.send_keys("A nested reply").await.unwrap();
    top.find(Locator::Css(".rf button.pri"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let (_, reply_id) = comment_with(&root, "A nested reply").await;
    let nested = root
        .find(Locator::Css(&format!("#{top_id} > .rep #{reply_id}")))
        .await;
    assert!(nested.is_ok(), "the reply is nested under its parent");

    button(&top, "Edit").await.click().await.unwrap();
    let edit_box = top.find(Locator::Css(".ef textarea")).await.unwrap();
    edit_box.clear().await.unwrap();
    edit_box.send_keys("Edited in Chromium").await.unwrap();
    top.find(Locator::Css(".ef button.pri"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    comment_with(&root, "Edited in Chromium").await;

    c.refresh().await.unwrap();
    let root = widget(&c).await;
    let (top, _) = comment_with(&root, "Edited in Chromium").await;
    assert!(top.text().await.unwrap().contains("(edited)"));
    comment_with(&root, "A nested reply").await;
    assert!(root
        .find(Locator::Css(&format!("#{top_id} > .rep #{reply_id}")))
        .await
        .is_ok());

    // The account bar's script comes only when a reader asks for it.
    let fetched_account_js = "return performance.getEntriesByType('resource')\
        .some((e) => e.name.includes('/assets/account.'))";
    let fetched = c.execute(fetched_account_js, vec![]).await.unwrap();
    assert_eq!(
        fetched,
        serde_json::json!(false),
        "account.js loaded unasked"
    );
    root.find(Locator::Css(".acct button.acct-open"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&root, ".acct form.acct-form", "Forgot password?").await;
    let fetched = c.execute(fetched_account_js, vec![]).await.unwrap();
    assert_eq!(fetched, serde_json::json!(true));

    let errors = console_errors(&c).await;
    assert!(errors.is_empty(), "JavaScript errors: {errors:?}");
    c.close().await.unwrap();
}

#[tokio::test]
async fn without_javascript_the_plain_form_posts() {
    let Some(driver) = chromedriver("without_javascript_the_plain_form_posts").await else {
        return;
    };
    let demo = Demo::start().await;
    let c = browser(&driver, false).await;
    c.goto(&format!("{}/demo", demo.base)).await.unwrap();
    let page = c.find(Locator::Css("#rostra-thread")).await.unwrap();
    assert!(
        page.text().await.unwrap().contains("9 comments"),
        "the plain thread is shown"
    );
    c.find(Locator::Css("#rostra-name"))
        .await
        .unwrap()
        .send_keys("No Script")
        .await
        .unwrap();
    c.find(Locator::Css("#rostra-body"))
        .await
        .unwrap()
        .send_keys("Posted with **JavaScript off**")
        .await
        .unwrap();
    c.find(Locator::Css("#rostra-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..100 {
        if c.current_url()
            .await
            .unwrap()
            .fragment()
            .is_some_and(|f| f.starts_with("comment-"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = c.current_url().await.unwrap();
    assert!(
        url.path() == "/demo" && url.fragment().is_some_and(|f| f.starts_with("comment-")),
        "{url}"
    );
    let text = page_text(&c, "#rostra-thread").await;
    assert!(
        text.contains("10 comments")
            && text.contains("Posted with JavaScript off")
            && text.contains("No Script"),
        "{text}"
    );
    c.close().await.unwrap();
}

/// A thread in German (its container's `data-rostra-lang`): the widget's texts, and the account
/// bar's once the reader presses "Anmelden".
#[tokio::test]
async fn a_german_thread_speaks_german_down_to_the_account_bar() {
    let Some(driver) = chromedriver("a_german_thread_speaks_german_down_to_the_account_bar").await
    else {
        return;
    };
    let demo = Demo::start().await;
    let c = browser(&driver, true).await;
    c.goto(&format!("{}/demo", demo.base)).await.unwrap();
    widget(&c).await;
    // A second container for the same article, in German, mounted by the loaded widget.
    let mount = "const d = document.createElement('div');\
        d.id = 'german'; d.dataset.rostraSite = 'demo'; d.dataset.rostraLang = 'de';\
        d.dataset.rostraUrl = location.href.split('#')[0];\
        document.body.append(d); window.Rostra.scan(); return true;";
    c.execute(mount, vec![]).await.unwrap();
    let german = "document.querySelector('#german').shadowRoot";
    let has = |css: &str, words: &str| {
        format!("return ({german}.querySelector('{css}') || {{textContent: ''}}).textContent.includes('{words}')")
    };
    let until = |js: String| {
        let c = c.clone();
        async move { crate::identity_browser::until(&c, &js).await }
    };
    until(has("h2.count", "Kommentare")).await;
    until(has("form.f button.pri", "Kommentar senden")).await;
    until(has(".acct button.acct-open", "Anmelden")).await;
    c.execute(
        &format!("{german}.querySelector('.acct button.acct-open').click(); return true"),
        vec![],
    )
    .await
    .unwrap();
    until(has(".acct form.acct-form", "Passwort vergessen?")).await;
    until(has(".acct form.acct-form", "Konto anlegen")).await;
    let errors = console_errors(&c).await;
    assert!(errors.is_empty(), "JavaScript errors: {errors:?}");
    c.close().await.unwrap();
}
