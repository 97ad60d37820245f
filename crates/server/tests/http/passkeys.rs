//! Passkeys end to end with a software authenticator (webauthn-authenticator-rs's SoftPasskey,
//! real P-256 keys and signatures): adding one, signing in with it, listing and removing, and
//! every refusal (no or wrong origin, unknown, used or expired ceremony, replayed assertion,
//! unknown credential). Chrome's own authenticator is driven in the CLI's browser tests.

use crate::code;
use rostra_core::passkey::{CeremonyKind, PendingCeremony};
use rostra_core::privacy::hash_token;
use rostra_testkit::smtp::link_in;
use rostra_testkit::{page, test_config, TestServer};
use serde_json::{json, Value};
use webauthn_authenticator_rs::prelude::{
    CreationChallengeResponse, RequestChallengeResponse, Url, WebauthnAuthenticator,
};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

pub(crate) const ORIGIN: &str = "https://news.example";

/// A server whose sign-in limit leaves room for many ceremonies from one address.
pub(crate) async fn server() -> TestServer {
    let mut c = test_config();
    c.rate_limits.logins_per_minute = 1000;
    c.rate_limits.accounts_per_minute = 1000;
    TestServer::start_with(c).await
}

pub(crate) async fn call(
    s: &TestServer,
    method: reqwest::Method,
    path: &str,
    session: Option<&str>,
    origin: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = s.http.request(method, s.url(path));
    if let Some(t) = session {
        r = r.header("x-rostra-session", t);
    }
    if let Some(o) = origin {
        r = r.header("origin", o);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn post(
    s: &TestServer,
    path: &str,
    session: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let m = reqwest::Method::POST;
    call(s, m, path, session, Some(ORIGIN), Some(body)).await
}

/// A reader with a confirmed address, signed in; answers the session token.
pub(crate) async fn reader(s: &TestServer, email: &str) -> String {
    let body = json!({"site": "news", "url": page("/p"), "email": email,
        "password": "correct horse", "name": "Pat"});
    let before = s.mail_files().len();
    assert_eq!(post(s, "/api/account/signup", None, body).await.0, 201);
    let mails = s.wait_for_mail(before + 1).await;
    let link = link_in(&mails[before], &format!("{}/account/verify", s.base)).unwrap();
    assert_eq!(s.get_text(link.strip_prefix(&s.base).unwrap()).await.0, 200);
    let (st, v) = post(
        s,
        "/api/account/login",
        None,
        json!({"email": email, "password": "correct horse"}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    v["session"].as_str().unwrap().to_string()
}

/// A passkey on the authenticator and the account: answers (credential id, user handle).
pub(crate) async fn register(
    s: &TestServer,
    session: &str,
    key: &mut SoftPasskey,
) -> (String, String) {
    let (ceremony, credential, handle) = answer_registration(s, session, key).await;
    let id = credential["rawId"].as_str().unwrap().to_string();
    let (st, v) = finish_registration(s, session, ORIGIN, &ceremony, credential).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["passkey"]["name"], "My laptop");
    assert_eq!(v["passkey"]["rp_id"], "news.example");
    (id, handle)
}

/// Begins adding a passkey on ORIGIN and has the authenticator answer: (ceremony, credential,
/// user handle).
pub(crate) async fn answer_registration(
    s: &TestServer,
    session: &str,
    key: &mut SoftPasskey,
) -> (Value, Value, String) {
    let begin = json!({"site": "news"});
    let (st, b) = post(
        s,
        "/api/account/passkeys/register/begin",
        Some(session),
        begin,
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let mut options = b["options"].clone();
    let selection = &mut options["publicKey"]["authenticatorSelection"];
    assert_eq!(
        selection["residentKey"], "required",
        "a discoverable credential"
    );
    // SoftPasskey cannot keep resident keys: it answers as a non-resident one, and the sign-in
    // below names the credential for it (a browser's authenticator finds it by itself).
    selection["requireResidentKey"] = false.into();
    let handle = options["publicKey"]["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let options: CreationChallengeResponse = serde_json::from_value(options).unwrap();
    let credential = key
        .do_registration(Url::parse(ORIGIN).unwrap(), options)
        .unwrap();
    let credential = serde_json::to_value(credential).unwrap();
    (b["ceremony"].clone(), credential, handle)
}

/// Finishes adding a passkey from the page at `origin`.
pub(crate) async fn finish_registration(
    s: &TestServer,
    session: &str,
    origin: &str,
    ceremony: &Value,
    credential: Value,
) -> (u16, Value) {
    let finish = json!({"site": "news", "ceremony": ceremony, "credential": credential,
        "name": "My laptop"});
    let path = "/api/account/passkeys/register/finish";
    let m = reqwest::Method::POST;
    call(s, m, path, Some(session), Some(origin), Some(finish)).await
}

/// Begins a sign-in and has the authenticator answer it as if from `origin`: (ceremony, answer).
async fn assertion(
    s: &TestServer,
    key: &mut SoftPasskey,
    (credential_id, handle): &(String, String),
    origin: &str,
) -> (Value, Value) {
    let (st, b) = post(
        s,
        "/api/account/passkey/begin",
        None,
        json!({"site": "news"}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let mut options = b["options"].clone();
    assert_eq!(
        options["publicKey"]["allowCredentials"],
        json!([]),
        "no account named"
    );
    options["publicKey"]["allowCredentials"] = json!([{"type": "public-key", "id": credential_id}]);
    let options: RequestChallengeResponse = serde_json::from_value(options).unwrap();
    let answer = key
        .do_authentication(Url::parse(origin).unwrap(), options)
        .unwrap();
    let mut answer = serde_json::to_value(answer).unwrap();
    // What a discoverable credential's authenticator returns with its assertion.
    answer["response"]["userHandle"] = json!(handle);
    (b["ceremony"].clone(), answer)
}

async fn finish_sign_in(s: &TestServer, ceremony: &Value, answer: &Value) -> (u16, Value) {
    let body = json!({"site": "news", "ceremony": ceremony, "credential": answer});
    post(s, "/api/account/passkey/finish", None, body).await
}

#[tokio::test]
async fn a_reader_adds_a_passkey_signs_in_with_it_and_comments() {
    let s = server().await;
    let session = reader(&s, "pat@example.com").await;
    let mut key = SoftPasskey::new(true);
    let registered = register(&s, &session, &mut key).await;

    let (ceremony, answer) = assertion(&s, &mut key, &registered, ORIGIN).await;
    let (st, v) = finish_sign_in(&s, &ceremony, &answer).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["account"]["name"], "Pat");
    let fresh = v["session"].as_str().unwrap();
    assert_ne!(fresh, session);

    let get = reqwest::Method::GET;
    let (st, me) = call(&s, get.clone(), "/api/account", Some(fresh), None, None).await;
    assert_eq!((st, &me["account"]["name"]), (200, &json!("Pat")));
    let (st, list) = call(&s, get, "/api/account/passkeys", Some(fresh), None, None).await;
    assert_eq!(st, 200);
    let passkeys = list["passkeys"].as_array().unwrap();
    assert_eq!(passkeys.len(), 1);
    assert!(passkeys[0]["last_used_at"].is_i64(), "{list}");

    let body = json!({"site": "news", "url": page("/p"), "body": "Signed in with a passkey"});
    let (st, v) = post(&s, "/api/comments", Some(fresh), body).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["comment"]["author_name"], "Pat");
}

#[tokio::test]
async fn passkey_ceremonies_refuse_what_they_should() {
    let s = server().await;
    let session = reader(&s, "ro@example.com").await;
    let begin = json!({"site": "news"});
    let path = "/api/account/passkeys/register/begin";
    let m = reqwest::Method::POST;
    let (st, v) = call(
        &s,
        m.clone(),
        path,
        Some(&session),
        None,
        Some(begin.clone()),
    )
    .await;
    assert_eq!((st, code(&v)), (400, "origin_required"));
    let evil = Some("https://evil.example");
    let (st, v) = call(
        &s,
        m.clone(),
        path,
        Some(&session),
        evil,
        Some(begin.clone()),
    )
    .await;
    assert_eq!((st, code(&v)), (403, "origin_not_allowed"));
    let own = Some(s.base.as_str());
    let (st, v) = call(
        &s,
        m.clone(),
        path,
        Some(&session),
        own,
        Some(begin.clone()),
    )
    .await;
    assert_eq!(
        (st, code(&v)),
        (400, "unsupported_origin"),
        "an IP address is no RP ID"
    );
    let (st, v) = post(&s, path, None, begin.clone()).await;
    assert_eq!((st, code(&v)), (401, "not_signed_in"));

    let mut key = SoftPasskey::new(true);
    let registered = register(&s, &session, &mut key).await;

    // An unknown ceremony, and one that expired.
    let (_, answer) = assertion(&s, &mut key, &registered, ORIGIN).await;
    let (st, v) = finish_sign_in(&s, &json!("no-such-ceremony"), &answer).await;
    assert_eq!((st, code(&v)), (400, "invalid_ceremony"));
    s.store
        .save_ceremony(PendingCeremony {
            id_hash: hash_token("expired"),
            kind: CeremonyKind::SignIn,
            account_id: None,
            rp_id: "news.example".into(),
            origin: ORIGIN.into(),
            state: "{}".into(),
            expires_at: rostra_server::state::now_ms() - 1,
        })
        .await
        .unwrap();
    let (st, v) = finish_sign_in(&s, &json!("expired"), &answer).await;
    assert_eq!((st, code(&v)), (400, "invalid_ceremony"));

    // Signed for another origin (a subdomain: the authenticator allows it, the site does not).
    let (ceremony, answer) = assertion(&s, &mut key, &registered, "https://sub.news.example").await;
    let (st, v) = finish_sign_in(&s, &ceremony, &answer).await;
    assert_eq!((st, code(&v)), (400, "passkey_rejected"));

    // A good assertion works once; replayed, its ceremony is gone; with a new ceremony, its
    // challenge is wrong.
    let (ceremony, answer) = assertion(&s, &mut key, &registered, ORIGIN).await;
    assert_eq!(finish_sign_in(&s, &ceremony, &answer).await.0, 200);
    let (st, v) = finish_sign_in(&s, &ceremony, &answer).await;
    assert_eq!((st, code(&v)), (400, "invalid_ceremony"));
    let (fresh, _) = assertion(&s, &mut key, &registered, ORIGIN).await;
    let (st, v) = finish_sign_in(&s, &fresh, &answer).await;
    assert_eq!((st, code(&v)), (400, "passkey_rejected"));
    let (st, v) = finish_sign_in(&s, &fresh, &json!({"id": 1})).await;
    assert_eq!(
        (st, code(&v)),
        (400, "invalid_ceremony"),
        "used, even by a bad answer"
    );
    let (other, _) = assertion(&s, &mut key, &registered, ORIGIN).await;
    let (st, v) = finish_sign_in(&s, &other, &json!({"id": 1})).await;
    assert_eq!((st, code(&v)), (400, "passkey_rejected"));

    // A removed passkey is unknown.
    let mut second = SoftPasskey::new(true);
    let removed = register(&s, &session, &mut second).await;
    let get = reqwest::Method::GET;
    let (_, list) = call(&s, get, "/api/account/passkeys", Some(&session), None, None).await;
    let id = list["passkeys"][1]["id"].as_i64().unwrap();
    let del = reqwest::Method::DELETE;
    let path = format!("/api/account/passkeys/{id}");
    let (st, _) = call(&s, del.clone(), &path, Some(&session), None, None).await;
    assert_eq!(st, 200);
    let (st, v) = call(&s, del, &path, Some(&session), None, None).await;
    assert_eq!((st, code(&v)), (404, "passkey_not_found"));
    let (ceremony, answer) = assertion(&s, &mut second, &removed, ORIGIN).await;
    let (st, v) = finish_sign_in(&s, &ceremony, &answer).await;
    assert_eq!((st, code(&v)), (401, "unknown_passkey"));

    // A registration ceremony cannot finish a sign-in, nor another account's registration.
    let (_, b) = post(
        &s,
        "/api/account/passkeys/register/begin",
        Some(&session),
        begin,
    )
    .await;
    let (st, v) = finish_sign_in(&s, &b["ceremony"], &answer).await;
    assert_eq!((st, code(&v)), (400, "invalid_ceremony"));
}
