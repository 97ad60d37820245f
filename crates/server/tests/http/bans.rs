//! Bans through the public API: by identity, e-mail and network, expiring, and e-mail bans
//! matching the address in any case.

use crate::code;
use crate::moderation::post_as;
use rostra_core::moderation::{BanKind, NewAuditEntry, NewBan};
use rostra_core::{CommentId, SiteId};
use rostra_testkit::{page, TestServer};
use serde_json::json;

#[tokio::test]
async fn bans_refuse_by_identity_email_and_network_and_expire() {
    let s = TestServer::start().await;
    let site = SiteId(1);
    let audit = || NewAuditEntry {
        at: 0,
        actor: None,
        action: "ban.create".into(),
        target: String::new(),
        site_id: Some(site),
        reason: None,
        detail: String::new(),
    };
    let (_, v) = post_as(&s, "troll", "/b", "first words").await;
    let c = s
        .store
        .comment(CommentId(v["comment"]["id"].as_i64().unwrap()))
        .await
        .unwrap()
        .unwrap();
    let now = rostra_server::state::now_ms();
    let ban = NewBan {
        site_id: site,
        kind: BanKind::Identity,
        value_hash: c.author_key.clone().unwrap(),
        reason: None,
        created_by: None,
        created_at: now,
        expires_at: Some(now + 300),
    };
    s.store.create_ban(ban, audit()).await.unwrap();
    s.state.site_rules.forget(SiteId(1));
    let (st, v) = post_as(&s, "troll", "/b", "again").await;
    assert_eq!((st, code(&v)), (403, "banned"));
    let (st, _) = post_as(&s, "someone-else", "/b", "hello").await;
    assert_eq!(st, 201, "an identity ban is not a network ban");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let (st, _) = post_as(&s, "troll", "/b", "back after the ban").await;
    assert_eq!(st, 201, "timed bans expire by themselves");
    let network = NewBan {
        kind: BanKind::Network,
        value_hash: c.net_hash.clone().unwrap(),
        expires_at: None,
        ..NewBan {
            site_id: site,
            kind: BanKind::Identity,
            value_hash: String::new(),
            reason: None,
            created_by: None,
            created_at: now,
            expires_at: None,
        }
    };
    s.store.create_ban(network, audit()).await.unwrap();
    s.state.site_rules.forget(SiteId(1));
    let (st, _) = post_as(&s, "someone-else", "/b", "hello again").await;
    assert_eq!(st, 403, "the whole network is banned");
}

#[tokio::test]
async fn email_bans_match_the_address_in_any_case() {
    let s = TestServer::start().await;
    let hash = rostra_server::deciding::email_hash(&s.state, "Troll@Example.org");
    let now = rostra_server::state::now_ms();
    let ban = NewBan {
        site_id: SiteId(1),
        kind: BanKind::Email,
        value_hash: hash,
        reason: None,
        created_by: None,
        created_at: now,
        expires_at: None,
    };
    let audit = NewAuditEntry {
        at: 0,
        actor: None,
        action: "ban.create".into(),
        target: String::new(),
        site_id: None,
        reason: None,
        detail: String::new(),
    };
    s.store.create_ban(ban, audit).await.unwrap();
    s.state.site_rules.forget(SiteId(1));
    let (st, v) = s.post(json!({"site": "news", "url": page("/e"), "author_email": "troll@example.ORG", "body": "hi"})).await;
    assert_eq!((st, code(&v)), (403, "banned"));
}
