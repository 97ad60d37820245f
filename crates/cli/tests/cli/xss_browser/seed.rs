//! Puts payloads where a commenter can put them (body, name, website, thread title, page URL)
//! through the JSON API, falling back field by field where the API refuses a value with a 4xx,
//! and counts what was tried and what was stored.

use rostra_testkit::TestServer;
use serde_json::json;
use std::collections::BTreeMap;

/// The fields a commenter controls, as one comment carries them.
#[derive(Clone, Default)]
pub struct Fields {
    pub site: String,
    pub url: String,
    /// A plain URL on the same origin, used when the API refuses `url`.
    pub fallback_url: String,
    pub title: Option<String>,
    pub body: String,
    pub author_name: Option<String>,
    pub author_url: Option<String>,
}

/// Which payload fields each stored comment kept, per field name.
#[derive(Default)]
pub struct Tally {
    pub tried: BTreeMap<&'static str, usize>,
    pub stored: BTreeMap<&'static str, usize>,
    pub refused: BTreeMap<String, usize>,
}

impl Tally {
    pub fn summary(&self) -> String {
        self.tried
            .iter()
            .map(|(f, n)| {
                format!(
                    "{f}: {n} tried, {} stored",
                    self.stored.get(f).copied().unwrap_or(0)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A stored comment and its status (`published` or `pending`).
pub struct Stored {
    pub id: i64,
    pub site: String,
    pub status: String,
    pub url: String,
    /// The payload fields the stored comment carries.
    pub kept: Vec<&'static str>,
}

/// Posts `f`, marking `payload_fields` as carrying a payload. A field the API refuses with a
/// 400 is dropped (or replaced by a plain value) and the post retried; any other answer than
/// 201 or 400 fails the test.
pub async fn post(
    s: &TestServer,
    mut f: Fields,
    payload_fields: &[&'static str],
    tally: &mut Tally,
) -> Stored {
    for field in payload_fields {
        *tally.tried.entry(field).or_default() += 1;
    }
    let mut kept: Vec<&'static str> = payload_fields.to_vec();
    for _ in 0..6 {
        let (status, v) = s
            .post(json!({
                "site": f.site, "url": f.url, "title": f.title, "body": f.body,
                "author_name": f.author_name, "author_url": f.author_url,
            }))
            .await;
        if status == 201 {
            for field in &kept {
                *tally.stored.entry(field).or_default() += 1;
            }
            return Stored {
                id: v["comment"]["id"].as_i64().unwrap(),
                status: v["comment"]["status"].as_str().unwrap().to_string(),
                site: f.site,
                url: f.url,
                kept,
            };
        }
        assert_eq!(status, 400, "a payload post answered {status}: {v}");
        let code = v["error"]["code"].as_str().unwrap_or_default().to_string();
        *tally.refused.entry(code.clone()).or_default() += 1;
        let dropped = match code.as_str() {
            "name_too_long" => {
                f.author_name = None;
                "author_name"
            }
            "invalid_author_url" => {
                f.author_url = None;
                "author_url"
            }
            "title_too_long" => {
                f.title = None;
                "title"
            }
            "invalid_url" | "url_not_on_site" => {
                f.url = f.fallback_url.clone();
                "page_url"
            }
            "body_too_long" | "body_empty" | "body_too_short" | "comment_rejected" => {
                f.body = "A plain body instead of the refused one.".into();
                "body"
            }
            other => panic!("a payload post was refused with {other}: {v}"),
        };
        kept.retain(|k| *k != dropped);
    }
    panic!("a payload post was refused six times");
}

/// Percent-encodes everything but unreserved characters (for the fallback page URL).
pub fn encode(s: &str) -> String {
    rostra_testkit::encode(s)
}

/// Approves a pending comment as the signed-in moderator `m`.
pub async fn approve(s: &TestServer, m: &rostra_testkit::Signed, id: i64) {
    let r = s
        .http
        .post(s.url(&format!("/admin/comments/{id}/approve")))
        .header("cookie", &m.cookie)
        .form(&[("csrf", m.csrf.as_str()), ("back", "/admin/queue/pending")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "approving {id}");
}
