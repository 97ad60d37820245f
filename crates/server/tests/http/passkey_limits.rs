//! Passkey limits: beginning sign-ins is rate-limited, and adding a passkey refuses another
//! page, a key already registered and one too many.

use crate::code;
use crate::passkeys::{
    answer_registration, call, finish_registration, post, reader, register, server, ORIGIN,
};
use rostra_core::passkey::NewPasskey;
use rostra_testkit::{test_config, TestServer};
use serde_json::json;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

#[tokio::test]
async fn beginning_passkey_sign_ins_is_rate_limited() {
    let mut c = test_config();
    c.rate_limits.logins_per_minute = 2;
    let s = TestServer::start_with(c).await;
    for _ in 0..2 {
        assert_eq!(
            post(
                &s,
                "/api/account/passkey/begin",
                None,
                json!({"site": "news"})
            )
            .await
            .0,
            200
        );
    }
    let (st, v) = post(
        &s,
        "/api/account/passkey/begin",
        None,
        json!({"site": "news"}),
    )
    .await;
    assert_eq!((st, code(&v)), (429, "rate_limited"));
}

#[tokio::test]
async fn adding_a_passkey_refuses_another_page_a_registered_key_and_one_too_many() {
    let s = server().await;
    let session = reader(&s, "many@example.com").await;

    // Begun on one of the site's pages, finished on another of its origins.
    let other = "https://comments.example";
    let mut site = s.store.site_by_key("news").await.unwrap().unwrap();
    site.origins.push(other.into());
    s.store.update_site(&site).await.unwrap();
    s.state.sites.refresh().await.unwrap();
    let mut key = SoftPasskey::new(true);
    let (ceremony, credential, _) = answer_registration(&s, &session, &mut key).await;
    let (st, v) = finish_registration(&s, &session, other, &ceremony, credential).await;
    assert_eq!((st, code(&v)), (400, "origin_mismatch"));

    // The credential was registered by another account in the meantime.
    reader(&s, "rival@example.com").await;
    let rival = s
        .store
        .account_by_email("rival@example.com")
        .await
        .unwrap()
        .unwrap();
    let (ceremony, credential, handle) = answer_registration(&s, &session, &mut key).await;
    s.store
        .add_passkey(NewPasskey {
            account_id: rival.id,
            credential_id: credential["rawId"].as_str().unwrap().to_string(),
            user_handle: handle,
            rp_id: "news.example".into(),
            name: "theirs".into(),
            credential: "{}".into(),
            created_at: 0,
        })
        .await
        .unwrap();
    let (st, v) = finish_registration(&s, &session, ORIGIN, &ceremony, credential).await;
    assert_eq!((st, code(&v)), (409, "passkey_taken"));

    // An account holds at most MAX_PER_ACCOUNT passkeys.
    for _ in 0..rostra_server::accounts::passkeys::MAX_PER_ACCOUNT {
        register(&s, &session, &mut SoftPasskey::new(true)).await;
    }
    let path = "/api/account/passkeys/register/begin";
    let (st, v) = post(&s, path, Some(&session), json!({"site": "news"})).await;
    assert_eq!((st, code(&v)), (409, "too_many_passkeys"));
    let get = reqwest::Method::GET;
    let (_, list) = call(&s, get, "/api/account/passkeys", Some(&session), None, None).await;
    let held = list["passkeys"].as_array().unwrap().len();
    assert_eq!(held, rostra_server::accounts::passkeys::MAX_PER_ACCOUNT);
}
