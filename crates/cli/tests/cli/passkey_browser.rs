//! Passkeys in real Chromium with Chrome's virtual authenticator (the W3C WebAuthn WebDriver
//! extension): a reader signed in on the publisher's page adds a passkey from the account bar,
//! signs out, signs in again with the passkey alone, and comments as the account.

use crate::browser::{browser_named, chromedriver, comment_with};
use crate::identity_browser::{publisher, run, until, Article};
use crate::Demo;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

const ACCT: &str = "document.querySelector('#rostra-thread').shadowRoot.querySelector('.acct')";

async fn click_in_account_bar(c: &Client, css: &str) {
    let host = c.find(Locator::Css("#rostra-thread")).await.unwrap();
    let root = host.shadow_root().await.unwrap();
    root.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_reader_registers_a_passkey_and_signs_in_with_it_in_chromium() {
    let test = "a_reader_registers_a_passkey_and_signs_in_with_it_in_chromium";
    let Some(driver) = chromedriver(test).await else {
        return;
    };
    let demo = Demo::start().await;
    // The publisher's page on `localhost`: a host name (an IP address cannot be a WebAuthn
    // relying party) and a secure context without TLS.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let page_origin = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let db = demo.database.as_str();
    run(&[
        "site",
        "add",
        "--key",
        "pk",
        "--name",
        "Passkeys",
        "--origin",
        &page_origin,
        "--database",
        db,
    ]);
    let secret = run(&["site", "secret", "pk", "--database", db])
        .trim()
        .to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = json!({"id": "pk-1", "name": "Passkey Reader", "aud": "pk", "iat": now,
        "exp": now + 600});
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap();
    let article = Article {
        site: "pk",
        thread_id: "passkey-article",
        title: "Passkey article",
    };
    publisher(listener, demo.base.clone(), token, article);
    let http = reqwest::Client::new();
    let thread_url = format!(
        "{}/api/threads?site=pk&url={page_origin}/article&identifier=passkey-article",
        demo.base
    );
    assert_eq!(http.get(&thread_url).send().await.unwrap().status(), 200);

    let c = browser_named(&driver, true, "passkeys").await;
    // Chrome's virtual authenticator: a platform authenticator that keeps discoverable
    // credentials and verifies its user without asking.
    let session = c.session_id().await.unwrap().expect("a WebDriver session");
    let added = http
        .post(format!(
            "{}/session/{session}/webauthn/authenticator",
            driver.url
        ))
        .json(
            &json!({"protocol": "ctap2", "transport": "internal", "hasResidentKey": true,
            "hasUserVerification": true, "isUserVerified": true}),
        )
        .send()
        .await
        .unwrap();
    let answer: Value = added.json().await.unwrap();
    let authenticator = answer["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"));

    c.goto(&format!("{page_origin}/article?sso")).await.unwrap();
    until(&c, "return !!(window.Rostra && window.Rostra.account)").await;
    until(
        &c,
        &format!("return !!{ACCT}.querySelector('.acct-add-passkey')"),
    )
    .await;
    c.execute(
        &format!("{ACCT}.querySelector('.acct-in details').open = true"),
        vec![],
    )
    .await
    .unwrap();
    click_in_account_bar(&c, ".acct-add-passkey").await;
    until(
        &c,
        &format!("return {ACCT}.textContent.includes('Passkey added.')"),
    )
    .await;
    until(&c, &format!("return {ACCT}.querySelector('.acct-passkeys').textContent.includes('Passkey on localhost')")).await;
    let creds: Value = http
        .get(format!(
            "{}/session/{session}/webauthn/authenticator/{authenticator}/credentials",
            driver.url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let creds = creds["value"].as_array().unwrap();
    assert_eq!(creds.len(), 1, "{creds:?}");
    assert_eq!(creds[0]["rpId"], "localhost");
    assert_eq!(creds[0]["isResidentCredential"], true);

    // Sign out, reload without the SSO token, and sign in with the passkey alone.
    let host = c.find(Locator::Css("#rostra-thread")).await.unwrap();
    let root = host.shadow_root().await.unwrap();
    for b in root.find_all(Locator::Css(".acct button")).await.unwrap() {
        if b.text().await.unwrap() == "Sign out" {
            b.click().await.unwrap();
        }
    }
    until(&c, "return window.Rostra.account === null").await;
    c.goto(&format!("{page_origin}/article")).await.unwrap();
    // Signed out, the bar is one button; the account controls load when it is pressed.
    until(&c, &format!("return !!{ACCT}.querySelector('.acct-open')")).await;
    click_in_account_bar(&c, ".acct-open").await;
    until(
        &c,
        &format!("return !!{ACCT}.querySelector('.acct-passkey')"),
    )
    .await;
    assert_eq!(
        c.execute("return window.Rostra.account", vec![])
            .await
            .unwrap(),
        Value::Null
    );
    click_in_account_bar(&c, ".acct-passkey").await;
    until(
        &c,
        "return !!(window.Rostra.account && window.Rostra.account.name === 'Passkey Reader')",
    )
    .await;

    let text = "Signed in with nothing but a passkey.";
    until(&c, "return !!document.querySelector('#rostra-thread').shadowRoot.querySelector('form.f textarea')").await;
    let host = c.find(Locator::Css("#rostra-thread")).await.unwrap();
    let root = host.shadow_root().await.unwrap();
    let form = root.find(Locator::Css("form.f")).await.unwrap();
    form.find(Locator::Css("textarea[name=body]"))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
    form.find(Locator::Css("button.pri"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let (article, _) = comment_with(&root, text).await;
    let name = article.find(Locator::Css(".au")).await.unwrap();
    assert_eq!(name.text().await.unwrap(), "Passkey Reader");

    let thread: Value = http
        .get(&thread_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let comments = thread["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1, "{thread}");
    assert_eq!(comments[0]["author_name"], "Passkey Reader");
    assert_eq!(comments[0]["signed_in"], true);
    c.close().await.unwrap();
}
