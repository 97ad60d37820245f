//! Per-attribute site policy: the configured default, the admin page's preset picker and
//! threshold table with its checks and audit line, the queue showing an attribute with its
//! words, and the rejection message naming the attribute.

use crate::code;
use rostra_core::attributes::{Attribute, AttributeRule, AttributeRules, Preset};
use rostra_core::store::AuditFilter;
use rostra_core::user::Role;
use rostra_core::CommentId;
use rostra_testkit::{page, test_config, Signed, TestServer};
use serde_json::{json, Value};

const ADMIN: &str = "admin@example.org";

async fn policy(s: &TestServer) -> rostra_core::moderation::SitePolicy {
    let site = s.store.site_by_key("news").await.unwrap().unwrap();
    s.state.policy(&site).await.unwrap()
}

/// Saves the site page's form with `fields` on top of the usual ones; answers the status and
/// the page's text.
async fn save(s: &TestServer, admin: &Signed, fields: &[(&str, &str)]) -> (u16, String) {
    let mut form: Vec<(&str, &str)> = vec![
        ("csrf", &admin.csrf),
        ("name", "News"),
        ("origins", "https://news.example"),
        ("prompt", "Tell us what you think."),
        ("mode", "post_moderation"),
        ("max_links", "2"),
        ("edit_window_secs", "900"),
        ("close_after_days", "0"),
        ("reports_to_hold", "3"),
    ];
    form.extend_from_slice(fields);
    let r = s
        .http
        .post(s.url("/admin/sites/news"))
        .header("cookie", &admin.cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn admin_page(s: &TestServer, admin: &Signed, path: &str) -> String {
    let r = s
        .http
        .get(s.url(path))
        .header("cookie", &admin.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

#[tokio::test]
async fn the_configured_preset_overrides_and_nudge_are_every_sites_default() {
    let mut config = test_config();
    config.moderation.preset = "strict".into();
    config.moderation.nudge = false;
    let threat = rostra_server::config::AttributeOverride {
        hold: Some(0.3),
        reject: Some(0.0),
    };
    config.moderation.attributes.insert("threat".into(), threat);
    let s = TestServer::start_with(config).await;
    let p = policy(&s).await;
    let mut expected = Preset::Strict.rules();
    expected.set(Attribute::Threat, AttributeRule::hold_at(0.3));
    assert_eq!((p.attributes, p.nudge), (expected, false));
}

#[tokio::test]
async fn the_admin_page_picks_presets_edits_thresholds_and_audits_the_changes() {
    let s = TestServer::start().await;
    s.add_user(ADMIN, Role::Admin, &[]).await;
    let admin = s.sign_in(ADMIN).await;
    let html = admin_page(&s, &admin, "/admin/sites/news").await;
    assert!(
        html.contains(r#"<option value="balanced" selected"#),
        "{html}"
    );
    assert!(html
        .contains(r#"name="hold_threat" type="number" min="0" max="1" step="0.01" value="0.5""#));
    assert!(html.contains(r#"name="nudge" value="on" checked"#));

    // Another preset chosen: its thresholds replace the table's.
    let (st, _) = save(
        &s,
        &admin,
        &[
            ("preset", "strict"),
            ("preset_shown", "balanced"),
            ("hold_threat", "0.9"),
            ("nudge", "on"),
        ],
    )
    .await;
    assert_eq!(st, 303);
    assert_eq!(policy(&s).await.attributes, Preset::Strict.rules());

    // The same preset, the table changed, the nudge unticked: the table counts.
    let (st, _) = save(
        &s,
        &admin,
        &[
            ("preset", "strict"),
            ("preset_shown", "strict"),
            ("hold_threat", "0.3"),
            ("reject_threat", ""),
            ("hold_insult", "0"),
        ],
    )
    .await;
    assert_eq!(st, 303);
    let p = policy(&s).await;
    let mut expected = Preset::Strict.rules();
    expected.set(Attribute::Threat, AttributeRule::hold_at(0.3));
    expected.set(Attribute::Insult, AttributeRule::OFF);
    assert_eq!((p.attributes, p.nudge), (expected, false));
    let html = admin_page(&s, &admin, "/admin/sites/news").await;
    assert!(html.contains(r#"<option value="custom" selected"#));
    assert!(
        html.contains(r#"name="hold_insult" type="number" min="0" max="1" step="0.01" value="""#)
    );

    let filter = AuditFilter {
        site: None,
        actor: None,
        action: Some("site.update".into()),
        before_id: None,
        limit: 10,
    };
    let audit = s.store.audit_log(&filter).await.unwrap();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[0].detail, "preset strict → custom; insult hold 0.5, reject off → off; threat hold 0.4, reject 0.9 → hold 0.3, reject off; nudge on → off");
    assert!(
        audit[1].detail.starts_with(
            "preset balanced → strict; toxicity hold 0.7, reject off → hold 0.5, reject off"
        ),
        "{}",
        audit[1].detail
    );
}

#[tokio::test]
async fn bad_thresholds_are_refused_with_a_message_and_change_nothing() {
    let s = TestServer::start().await;
    s.add_user(ADMIN, Role::Admin, &[]).await;
    let admin = s.sign_in(ADMIN).await;
    let before = policy(&s).await;
    for (fields, message) in [
        (
            vec![("hold_threat", "1.5")],
            "threat: the hold threshold (1.5) must be a number from 0 to 1",
        ),
        (
            vec![("reject_toxicity", "lots")],
            "toxicity: the reject threshold (lots) must be a number from 0 to 1",
        ),
        (
            vec![("hold_insult", "0.8"), ("reject_insult", "0.5")],
            "insult: rejecting (0.5) must not start below holding (0.8)",
        ),
        (vec![("preset", "harsh")], "unknown preset: harsh"),
    ] {
        let mut all = vec![("preset", "balanced"), ("preset_shown", "balanced")];
        all.retain(|(k, _)| !fields.iter().any(|(f, _)| f == k));
        all.extend(fields);
        let (st, html) = save(&s, &admin, &all).await;
        assert_eq!(st, 400, "{all:?}");
        assert!(html.contains(message), "{message}: {html}");
    }
    assert_eq!(policy(&s).await, before);
    // Without the CSRF token, nothing either.
    let r = s
        .http
        .post(s.url("/admin/sites/news"))
        .header("cookie", &admin.cookie)
        .form(&[("preset", "strict"), ("name", "News")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(policy(&s).await, before);
}

/// Posts as a guest; answers (status, body).
async fn post(s: &TestServer, path: &str, body: &str) -> (u16, Value) {
    s.post(json!({"site": "news", "url": page(path), "author_name": "Reader", "body": body}))
        .await
}

#[tokio::test]
async fn a_held_comment_shows_its_attributes_and_marked_words_in_the_queue() {
    let s = TestServer::start().await;
    s.add_user(ADMIN, Role::Admin, &[]).await;
    let admin = s.sign_in(ADMIN).await;
    let text = "I will find you and shoot you, you worthless idiot.";
    let (st, v) = post(&s, "/q", text).await;
    assert_eq!(
        (st, v["comment"]["status"].as_str()),
        (201, Some("pending")),
        "{v}"
    );
    let id = v["comment"]["id"].as_i64().unwrap();
    let stored = s.store.comment(CommentId(id)).await.unwrap().unwrap();
    let attributes: Vec<_> = stored
        .reasons
        .iter()
        .filter(|r| Attribute::parse(&r.check).is_some())
        .collect();
    assert!(
        !attributes.is_empty(),
        "held by an attribute: {:?}",
        stored.reasons
    );
    let html = admin_page(&s, &admin, "/admin/queue/pending").await;
    for r in attributes {
        let label = format!(
            r#"<span class="attribute">{} {:.2}</span>"#,
            r.check,
            r.score.unwrap()
        );
        assert!(html.contains(&label), "{label} in {html}");
        assert!(!r.spans.is_empty(), "{r:?}");
        for span in &r.spans {
            let words = &text[span.start..span.end];
            assert!(
                html.contains(&format!("<mark>{words}</mark>")),
                "{words} in {html}"
            );
        }
    }
}

#[tokio::test]
async fn a_rejecting_attribute_is_named_to_the_author() {
    let s = TestServer::start().await;
    let mut rules = AttributeRules([AttributeRule::OFF; 6]);
    // Every score reaches 0: the rejection comes from this attribute whatever the model says.
    let always = AttributeRule {
        hold: None,
        reject: Some(0.0),
    };
    rules.set(Attribute::Threat, always);
    s.set_policy(|p| p.attributes = rules).await;
    let (st, v) = post(&s, "/r", "They should all be lined up and shot.").await;
    assert_eq!((st, code(&v)), (422, "comment_rejected"), "{v}");
    let message = v["error"]["message"].as_str().unwrap();
    assert_eq!(
        message,
        "This comment reads as a threat or a call for violence. Please rephrase it."
    );
}
