//! The moderators' pages: signing in, the authorization matrix over every admin route,
//! CSRF, the actions and their effect on the public thread, and the audit log. Signing in and
//! the session cookie are in `admin_sessions`.

use rostra_core::user::Role;
use rostra_core::CommentId;
use rostra_testkit::{page, thread_query, Signed, TestServer};
use serde_json::{json, Value};

/// A server with two sites, an admin, a moderator of `news` and one of `other`, and a held
/// comment on `news`.
async fn setup() -> (TestServer, i64) {
    let s = crate::desk::setup().await;
    let (st, v) = s.post(json!({"site": "news", "url": page("/q"), "author_name": "Linker", "body": "https://a.example https://b.example https://c.example"})).await;
    assert_eq!(
        (st, v["comment"]["status"].as_str()),
        (201, Some("pending"))
    );
    (s, v["comment"]["id"].as_i64().unwrap())
}

enum Who<'a> {
    Anonymous,
    Signed(&'a Signed),
}

async fn request(
    s: &TestServer,
    who: &Who<'_>,
    method: &str,
    path: &str,
    form: &[(&str, &str)],
    csrf: bool,
) -> u16 {
    let mut fields: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut r = if method == "GET" {
        s.http.get(s.url(path))
    } else {
        s.http.post(s.url(path))
    };
    if let Who::Signed(si) = who {
        r = r.header("cookie", &si.cookie);
        if csrf {
            fields.push(("csrf".into(), si.csrf.clone()));
        }
    }
    if method == "POST" {
        r = r.form(&fields);
    }
    r.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn every_admin_route_checks_who_is_asking() {
    let (s, held) = setup().await;
    let admin = s.sign_in("admin@example.org").await;
    let moderator = s.sign_in("mod@example.org").await;
    let elsewhere = s.sign_in("elsewhere@example.org").await;
    let mod_id = s
        .store
        .user_by_email("mod@example.org")
        .await
        .unwrap()
        .unwrap()
        .id
        .0;
    let c = format!("/admin/comments/{held}");
    // (method, path, form, expected for: anonymous, other-site moderator, moderator, admin)
    let routes: Vec<(&str, String, Vec<(&str, &str)>, [u16; 4])> = vec![
        (
            "GET",
            "/admin/queue/pending".into(),
            vec![],
            [303, 200, 200, 200],
        ),
        (
            "GET",
            "/admin/queue/pending?site=news".into(),
            vec![],
            [303, 403, 200, 200],
        ),
        ("GET", c.clone(), vec![], [303, 403, 200, 200]),
        (
            "POST",
            format!("{c}/reject"),
            vec![("note", "no")],
            [303, 403, 303, 303],
        ),
        (
            "POST",
            format!("{c}/ban"),
            vec![("duration", "1d"), ("kind", "network")],
            [303, 403, 303, 303],
        ),
        (
            "POST",
            "/admin/comments/bulk".into(),
            vec![
                ("action", "approve"),
                ("ids", &*Box::leak(held.to_string().into_boxed_str())),
            ],
            [303, 403, 303, 303],
        ),
        ("GET", "/admin/sites".into(), vec![], [303, 403, 403, 200]),
        (
            "GET",
            "/admin/sites/news".into(),
            vec![],
            [303, 403, 403, 200],
        ),
        (
            "POST",
            "/admin/sites/news".into(),
            vec![
                ("name", "News"),
                ("origins", "https://news.example"),
                ("mode", "post_moderation"),
                ("max_links", "2"),
                ("edit_window_secs", "900"),
                ("close_after_days", "0"),
                ("reports_to_hold", "3"),
                ("preset", "strict"),
            ],
            [303, 403, 403, 303],
        ),
        (
            "POST",
            "/admin/sites".into(),
            vec![
                ("key", "third"),
                ("name", "Third"),
                ("origins", "https://third.example"),
            ],
            [303, 403, 403, 303],
        ),
        (
            "GET",
            "/admin/sites/news/interchange".into(),
            vec![],
            [303, 403, 403, 200],
        ),
        (
            "GET",
            "/admin/sites/news/export?format=wxr".into(),
            vec![],
            [303, 403, 403, 200],
        ),
        // The upload carries its CSRF token in the query (the form is multipart): without it,
        // every signed-in user is refused.
        (
            "POST",
            "/admin/sites/news/import".into(),
            vec![],
            [303, 403, 403, 403],
        ),
        ("GET", "/admin/users".into(), vec![], [303, 403, 403, 200]),
        (
            "POST",
            "/admin/users".into(),
            vec![
                ("email", "new@example.org"),
                ("password", "longenough1"),
                ("role", "moderator"),
                ("site", "news"),
            ],
            [303, 403, 403, 303],
        ),
        (
            "POST",
            format!("/admin/users/{mod_id}/sites"),
            vec![("site", "news")],
            [303, 403, 403, 303],
        ),
        (
            "GET",
            "/admin/audit?site=news".into(),
            vec![],
            [303, 403, 200, 200],
        ),
        (
            "GET",
            "/admin/audit.jsonl?site=news".into(),
            vec![],
            [303, 403, 200, 200],
        ),
    ];
    for (method, path, form, expected) in &routes {
        let whos = [
            Who::Anonymous,
            Who::Signed(&elsewhere),
            Who::Signed(&moderator),
            Who::Signed(&admin),
        ];
        for (who, want) in whos.iter().zip(expected) {
            let got = request(&s, who, method, path, form, true).await;
            assert_eq!(
                got,
                *want,
                "{method} {path} as #{}",
                expected.iter().position(|w| w == want).unwrap_or(9)
            );
        }
    }
}

#[tokio::test]
async fn forms_without_the_csrf_token_change_nothing() {
    let (s, held) = setup().await;
    let admin = s.sign_in("admin@example.org").await;
    let who = Who::Signed(&admin);
    let path = format!("/admin/comments/{held}/approve");
    assert_eq!(request(&s, &who, "POST", &path, &[], false).await, 403);
    assert_eq!(
        request(&s, &who, "POST", &path, &[("csrf", "forged")], false).await,
        403
    );
    assert_eq!(
        request(&s, &who, "POST", "/admin/logout", &[], false).await,
        403
    );
    assert_eq!(
        s.store
            .comment(CommentId(held))
            .await
            .unwrap()
            .unwrap()
            .status,
        rostra_core::Status::Pending
    );
    // A commenter holding the comment's edit token is not a moderator.
    let r = s
        .http
        .post(s.url(&path))
        .header("authorization", "Bearer whatever")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/login");
}

#[tokio::test]
async fn approving_publishes_and_rejecting_removes_with_history_and_audit() {
    let (s, held) = setup().await;
    let m = s.sign_in("mod@example.org").await;
    let who = Who::Signed(&m);
    let queue = s
        .http
        .get(s.url("/admin/queue/pending"))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        queue.contains("3 links (the site allows 2)"),
        "the reasons are shown"
    );
    assert!(
        queue.contains("<mark>https://a.example</mark>"),
        "the links are marked"
    );
    assert!(queue.contains("Pending (1)"));
    assert_eq!(
        request(
            &s,
            &who,
            "POST",
            &format!("/admin/comments/{held}/approve"),
            &[],
            true
        )
        .await,
        303
    );
    let (_, t) = s.get_json(&thread_query("/q")).await;
    assert_eq!(t["comments"][0]["id"], held, "published at once");
    assert_eq!(
        request(
            &s,
            &who,
            "POST",
            &format!("/admin/comments/{held}/reject"),
            &[("note", "Off-topic links")],
            true
        )
        .await,
        303
    );
    let (_, t) = s.get_json(&thread_query("/q")).await;
    assert_eq!(t["comments"], json!([]));
    let c = s.store.comment(CommentId(held)).await.unwrap().unwrap();
    assert_eq!(c.moderator_note.as_deref(), Some("Off-topic links"));
    let decisions: Vec<String> = s
        .store
        .decisions(CommentId(held))
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.action)
        .collect();
    assert_eq!(decisions, ["pending", "published", "rejected"]);
    let detail = s
        .http
        .get(s.url(&format!("/admin/comments/{held}")))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        detail.contains("automatic checks")
            && detail.contains("mod@example.org")
            && detail.contains("Off-topic links")
    );
    let export = s
        .http
        .get(s.url("/admin/audit.jsonl?site=news"))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<Value> = export
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["action"], "comment.reject");
    assert_eq!(lines[0]["actor_email"], "mod@example.org");
    assert_eq!(lines[0]["reason"], "Off-topic links");
    assert_eq!(lines[1]["target"], format!("comment:{held}"));
}

#[tokio::test]
async fn bans_from_the_queue_stop_the_author() {
    let s = TestServer::start().await;
    s.add_user("mod@example.org", Role::Moderator, &["news"])
        .await;
    let post = |body: &'static str| {
        s.http
            .post(s.url("/api/comments"))
            .header("x-rostra-author", "troll-token")
            .json(&json!({"site": "news", "url": page("/t"), "body": body}))
            .send()
    };
    let id = post("first").await.unwrap().json::<Value>().await.unwrap()["comment"]["id"]
        .as_i64()
        .unwrap();
    let m = s.sign_in("mod@example.org").await;
    let st = request(
        &s,
        &Who::Signed(&m),
        "POST",
        &format!("/admin/comments/{id}/ban"),
        &[
            ("duration", "forever"),
            ("kind", "identity"),
            ("reason", "trolling"),
        ],
        true,
    )
    .await;
    assert_eq!(st, 303);
    let r = post("second").await.unwrap();
    assert_eq!(r.status(), 403);
    let audit = s
        .store
        .audit_log(&rostra_core::store::AuditFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit[0].action, "ban.create");
    assert_eq!(audit[0].reason.as_deref(), Some("trolling"));
}
