//! Reply-notification e-mails as a place: a reader subscribes to each held comment's thread,
//! the comments are approved, and the HTML part of every e-mail Rostra writes to its mail
//! folder is decoded from the `.eml` file, served by the embedder and opened like any page.

use super::embedder::Embedder;
use super::places;
use super::seed::{self, Stored};
use super::{check_pages, Report};
use fantoccini::Client;
use mail_parser::{MessageParser, PartType};
use rostra_core::notification::NewSubscription;
use rostra_core::CommentId;
use rostra_testkit::{Signed, TestServer};
use std::collections::BTreeMap;
use std::time::Duration;

const READER: &str = "xss-reader@example.org";

/// Subscribes a reader to the threads of `held`, approves them (which sends the e-mails), and
/// opens each e-mail's HTML part.
pub async fn check(
    cs: &[Client],
    s: &TestServer,
    moderator: &Signed,
    embedder: &Embedder,
    held: &[Stored],
    origins: &[String],
    report: &mut Report,
) {
    canary(&cs[0], embedder, origins).await;
    for h in held {
        let comment = s.store.comment(CommentId(h.id)).await.unwrap().unwrap();
        let thread = s.store.thread(comment.thread_id).await.unwrap().unwrap();
        let new = NewSubscription {
            site_id: thread.site_id,
            thread_id: Some(thread.id),
            comment_id: None,
            email: READER.into(),
            confirmed: true,
        };
        s.store.subscribe(new, 0).await.unwrap();
    }
    for h in held {
        seed::approve(s, moderator, h.id).await;
    }
    let mut by_comment: BTreeMap<i64, String> = BTreeMap::new();
    for (file, eml) in wait_for_mail(s, held.len()).await {
        let (id, html) = html_part(&eml).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            by_comment.insert(id, html).is_none(),
            "one e-mail per comment: {id} twice"
        );
    }
    let place = places::reply_mail();
    let mut pages = Vec::new();
    for h in held {
        let html = by_comment
            .remove(&h.id)
            .unwrap_or_else(|| panic!("no e-mail about comment {}", h.id));
        let url = embedder.put(&format!("/mail/{}", h.id), "text/html; charset=utf-8", html);
        pages.push((url, vec![String::new()]));
        report.count(&place, h);
    }
    assert!(by_comment.is_empty(), "e-mails about other comments");
    check_pages(cs, &place, &pages, origins, report).await;
}

/// The `.eml` files of the mail folder (name, content), once `n` of them are there. Fails only
/// when no new message arrived for a minute (a hang guard, not a time limit).
async fn wait_for_mail(s: &TestServer, n: usize) -> Vec<(String, String)> {
    let list = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&s.mail_dir)
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter()
            .filter(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "eml"))
            .collect()
    };
    let (mut seen, mut idle) = (0, 0);
    loop {
        let files = list();
        if files.len() >= n {
            return files
                .iter()
                .map(|p| {
                    let name = p.display().to_string();
                    (name, std::fs::read_to_string(p).unwrap())
                })
                .collect();
        }
        idle = if files.len() > seen { 0 } else { idle + 1 };
        seen = files.len();
        assert!(idle < 600, "{seen} of {n} e-mails, and no more coming");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The comment an e-mail is about (from its "read it" link) and its HTML part, decoded.
fn html_part(eml: &str) -> Result<(i64, String), String> {
    let message = MessageParser::default()
        .parse(eml.as_bytes())
        .ok_or("not a message")?;
    let html = message
        .parts
        .iter()
        .find_map(|p| match &p.body {
            PartType::Html(html) => Some(html.to_string()),
            _ => None,
        })
        .ok_or("no text/html part")?;
    let id = html
        .rsplit("#comment-")
        .next()
        .and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .ok_or("no link to the comment")?;
    Ok((id, html))
}

/// The e-mail place's checks catch markup that escaped the author's name or the comment's HTML.
async fn canary(c: &Client, embedder: &Embedder, origins: &[String]) {
    let url = embedder.put(
        "/canary-mail",
        "text/html; charset=utf-8",
        "<!doctype html><html><body><p><strong><img src=\"/x\"></strong> wrote on \
         <a href=\"/p\">p</a>:</p><blockquote><form></form></blockquote></body></html>"
            .into(),
    );
    let mut report = Report::default();
    let pages = [(url, vec![String::new()])];
    check_pages(
        std::slice::from_ref(c),
        &places::reply_mail(),
        &pages,
        origins,
        &mut report,
    )
    .await;
    let all = report.problems.join("\n");
    for e in [
        "<img> inside body > p:first-child",
        "<form> inside body > blockquote",
    ] {
        assert!(all.contains(e), "the e-mail canary shows {e:?}: {all}");
    }
}
