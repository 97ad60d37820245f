//! The moderators' desk: the author's drawer (record, bans, notes), "reject all and ban", the
//! authorization matrix and CSRF over its routes, and the audit lines it leaves.

use crate::code;
use rostra_core::account::{EmailLink, GuestIdentity, LinkPurpose};
use rostra_core::store::AuditFilter;
use rostra_core::user::Role;
use rostra_core::{CommentId, Status};
use rostra_testkit::{page, Signed, TestServer};
use serde_json::{json, Value};

/// Posts as a guest with an author token and address; answers the comment id.
async fn post_as(s: &TestServer, author: &str, body: &str) -> (u16, Value) {
    let r = s
        .http
        .post(s.url("/api/comments"))
        .header("x-rostra-author", author)
        .json(&json!({"site": "news", "url": page("/desk"), "body": body,
            "author_name": "Pseudo", "author_email": format!("{author}@example.org")}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn id_of(s: &TestServer, author: &str, body: &str) -> i64 {
    let (st, v) = post_as(s, author, body).await;
    assert_eq!(st, 201, "{v}");
    v["comment"]["id"].as_i64().unwrap()
}

/// A server with a second site and its moderator, a moderator of `news` and an admin.
pub async fn setup() -> TestServer {
    let s = TestServer::start().await;
    let other = rostra_core::NewSite {
        key: "other".into(),
        name: "Other".into(),
        origins: vec!["https://other.example".into()],
        prompt: None,
    };
    s.store
        .create_site(other.validate().unwrap(), 0)
        .await
        .unwrap();
    s.state.sites.refresh().await.unwrap();
    s.add_user("admin@example.org", Role::Admin, &[]).await;
    s.add_user("mod@example.org", Role::Moderator, &["news"])
        .await;
    s.add_user("elsewhere@example.org", Role::Moderator, &["other"])
        .await;
    s
}

async fn form(s: &TestServer, who: Option<&Signed>, path: &str, fields: &[(&str, &str)]) -> u16 {
    let mut fields: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut r = s.http.post(s.url(path));
    if let Some(si) = who {
        fields.push(("csrf".into(), si.csrf.clone()));
        r = r.header("cookie", &si.cookie);
    }
    r.form(&fields).send().await.unwrap().status().as_u16()
}

async fn get(s: &TestServer, who: &Signed, path: &str) -> (u16, String) {
    let r = s
        .http
        .get(s.url(path))
        .header("cookie", &who.cookie)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn status_of(s: &TestServer, id: i64) -> Status {
    s.store
        .comment(CommentId(id))
        .await
        .unwrap()
        .unwrap()
        .status
}

#[tokio::test]
async fn the_desk_routes_check_who_is_asking_and_the_forms_their_csrf_token() {
    let s = setup().await;
    let target = id_of(&s, "troll", "First words.").await;
    let admin = s.sign_in("admin@example.org").await;
    let moderator = s.sign_in("mod@example.org").await;
    let elsewhere = s.sign_in("elsewhere@example.org").await;
    let drawer = format!("/admin/comments/{target}/author");
    // A commenter (their author token, no session) and anyone anonymous go to the login page.
    for path in [drawer.as_str()] {
        let r = s
            .http
            .get(s.url(path))
            .header("x-rostra-author", "troll")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "a commenter reading {path}");
    }
    let forbidden = [(&elsewhere, 403u16), (&moderator, 200), (&admin, 200)];
    for (who, want) in forbidden {
        assert_eq!(get(&s, who, &drawer).await.0, want);
    }
    let notes = format!("{drawer}/notes");
    let note = [("body", "Watch this one.")];
    assert_eq!(form(&s, None, &notes, &note).await, 303, "anonymous");
    assert_eq!(form(&s, Some(&elsewhere), &notes, &note).await, 403);
    // Without the token (or with a forged one), nothing is written.
    let forged = [("body", "x"), ("csrf", "forged")];
    let r = s
        .http
        .post(s.url(&notes))
        .header("cookie", &moderator.cookie)
        .form(&forged);
    assert_eq!(r.send().await.unwrap().status(), 403);
    let site = s.store.site_by_key("news").await.unwrap().unwrap();
    let filed = |s: &TestServer| {
        let store = s.store.clone();
        async move {
            store
                .author_notes(site.id, &subject_of(&store, target).await)
                .await
                .unwrap()
        }
    };
    assert!(filed(&s).await.is_empty());
    assert_eq!(form(&s, Some(&moderator), &notes, &note).await, 303);
    assert_eq!(form(&s, Some(&admin), &notes, &note).await, 303);
    let ids: Vec<i64> = filed(&s).await.iter().map(|n| n.id).collect();
    assert_eq!(ids.len(), 2);
    for (who, id, want) in [
        (None, ids[0], 303u16),
        (Some(&elsewhere), ids[0], 403),
        (Some(&moderator), ids[0], 303),
        (Some(&admin), ids[1], 303),
    ] {
        let path = format!("/admin/notes/{id}/delete");
        assert_eq!(form(&s, who, &path, &[]).await, want, "{path}");
    }
    assert_eq!(
        form(&s, Some(&admin), "/admin/notes/99999/delete", &[]).await,
        404
    );
    let reject = format!("/admin/comments/{target}/reject-all");
    let why = [("reason", "Spam"), ("span", "all"), ("duration", "1d")];
    assert_eq!(form(&s, None, &reject, &why).await, 303);
    assert_eq!(form(&s, Some(&elsewhere), &reject, &why).await, 403);
    let r = s
        .http
        .post(s.url(&reject))
        .header("cookie", &admin.cookie)
        .form(&why);
    assert_eq!(r.send().await.unwrap().status(), 403, "no CSRF token");
    assert_eq!(status_of(&s, target).await, Status::Published);
    assert_eq!(form(&s, Some(&moderator), &reject, &why).await, 303);
    assert_eq!(status_of(&s, target).await, Status::Rejected);
}

/// The notes' subject of a comment's guest author (no account, no confirmed address).
async fn subject_of(store: &std::sync::Arc<dyn rostra_core::Store>, id: i64) -> String {
    let c = store.comment(CommentId(id)).await.unwrap().unwrap();
    format!("guest:{}", c.author_key.unwrap())
}

#[tokio::test]
async fn the_drawer_shows_the_record_and_reject_all_bans_and_tells_the_author() {
    let s = setup().await;
    let moderator = s.sign_in("mod@example.org").await;
    // Two identities that confirmed one address are one author; a third is someone else.
    let first = id_of(&s, "pseudo-phone", "From my phone.").await;
    let second = id_of(&s, "pseudo-laptop", "From my laptop.").await;
    let held = id_of(
        &s,
        "pseudo-laptop",
        "Links: https://a.example https://b.example https://c.example",
    )
    .await;
    let bystander = id_of(&s, "bystander", "I am someone else.").await;
    let site = s.store.site_by_key("news").await.unwrap().unwrap();
    for (n, id) in [first, second].into_iter().enumerate() {
        let key = s
            .store
            .comment(CommentId(id))
            .await
            .unwrap()
            .unwrap()
            .author_key
            .unwrap();
        let guest = GuestIdentity {
            site_id: site.id,
            author_key: key,
            email: "pseudo@example.org".into(),
        };
        let link = EmailLink {
            token_hash: format!("link-{n}"),
            purpose: LinkPurpose::Guest,
            account_id: None,
            guest: Some(guest),
            created_at: 0,
            expires_at: i64::MAX,
        };
        s.store.create_email_link(link).await.unwrap();
        s.store
            .use_guest_link(&format!("link-{n}"), 1)
            .await
            .unwrap()
            .unwrap();
    }
    assert_eq!(status_of(&s, held).await, Status::Pending);

    let (st, html) = get(&s, &moderator, &format!("/admin/comments/{first}/author")).await;
    assert_eq!(st, 200);
    assert!(
        html.contains("Matched by the e-mail address their guest identity confirmed"),
        "{html}"
    );
    assert!(html.contains("e-mail verified"));
    assert!(
        html.contains("<strong>3</strong> comments") && html.contains("<strong>1</strong> held")
    );
    assert!(html.contains("From my laptop.") && !html.contains("I am someone else."));
    assert!(html.contains("Never banned on this site."));
    // A note is escaped like everything else, and filed under the author, not the comment.
    let notes = format!("/admin/comments/{second}/author/notes");
    assert_eq!(
        form(
            &s,
            Some(&moderator),
            &notes,
            &[("body", "<b>Warned</b> on 3 May")]
        )
        .await,
        303
    );
    assert_eq!(
        form(&s, Some(&moderator), &notes, &[("body", "   ")]).await,
        400
    );
    let (_, html) = get(&s, &moderator, &format!("/admin/comments/{first}/author")).await;
    assert!(
        html.contains("Warned&#60;/b&#62; on 3 May") && !html.contains("<b>Warned"),
        "{html}"
    );
    let (_, html) = get(
        &s,
        &moderator,
        &format!("/admin/comments/{bystander}/author"),
    )
    .await;
    assert!(!html.contains("Warned") && html.contains("Matched by their guest identity token"));

    let reject = format!("/admin/comments/{first}/reject-all");
    let missing = [("span", "all"), ("duration", "forever")];
    assert_eq!(
        form(&s, Some(&moderator), &reject, &missing).await,
        400,
        "a reason is required"
    );
    let bad_span = [
        ("span", "week"),
        ("duration", "forever"),
        ("reason", "Spam"),
    ];
    assert_eq!(form(&s, Some(&moderator), &reject, &bad_span).await, 400);
    let why = [
        ("span", "all"),
        ("duration", "forever"),
        ("reason", "Link farming across accounts."),
    ];
    assert_eq!(form(&s, Some(&moderator), &reject, &why).await, 303);
    for id in [first, second, held] {
        assert_eq!(status_of(&s, id).await, Status::Rejected, "comment {id}");
    }
    assert_eq!(status_of(&s, bystander).await, Status::Published);
    let (st, v) = post_as(&s, "pseudo-phone", "Back again.").await;
    assert_eq!((st, code(&v)), (403, "banned"));
    let (st, _) = post_as(&s, "bystander", "Still here.").await;
    assert_eq!(st, 201);
    // Each rejection reached the author with the one reason, through the statement of reasons.
    let mails = crate::mail_settings::mails_to(&s, "pseudo@example.org").await;
    let told = mails
        .iter()
        .filter(|m| {
            m["text"]
                .as_str()
                .unwrap()
                .contains("Link farming across accounts.")
        })
        .count();
    assert_eq!(told, 3, "{mails:?}");
    let (_, html) = get(&s, &moderator, &format!("/admin/comments/{first}/author")).await;
    assert!(
        html.contains("<strong>in force</strong> · identity"),
        "{html}"
    );
    assert!(html.contains("<strong>3</strong> rejected"));

    let filter = AuditFilter {
        site: Some(site.id),
        limit: 50,
        ..AuditFilter::default()
    };
    let log = s.store.audit_log(&filter).await.unwrap();
    let actions: Vec<String> = log.into_iter().map(|e| e.action).collect();
    for want in [
        "note.add",
        "author.reject_all",
        "ban.create",
        "comment.reject",
    ] {
        assert!(actions.iter().any(|a| a == want), "{want} in {actions:?}");
    }
    let (_, html) = get(&s, &moderator, "/admin/audit?site=news").await;
    assert!(
        html.contains(&format!("href=\"/admin/comments/{first}/author\"")),
        "audit links to the drawer"
    );
}
