//! The Atom feeds as a place. Each feed is fetched and checked statically (well-formed, exactly
//! the expected entries, no entry content that would run once unescaped); opened in Chromium the
//! way Chromium shows a feed (as plain text, which the browser's own XML parser must accept);
//! and drawn by a feed reader: a page on the embedder with each entry's `content` inserted as
//! HTML, as feed readers show it.

use super::embedder::{attr, Embedder};
use super::places::{self, Place};
use super::probe;
use super::seed::Stored;
use super::{check_pages, Report};
use fantoccini::Client;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use rostra_testkit::TestServer;
use serde_json::json;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// One feed to check, by its query string, and the comments it must list, newest first.
pub struct Expected<'a> {
    pub query: String,
    pub comments: Vec<&'a Stored>,
    /// Counts these comments' payloads for the feed places (false when another feed did).
    pub count: bool,
}

/// Feeds drawn together on one feed reader page; each also opened alone as Chromium shows it
/// when `open_as_text`.
pub struct Group<'a> {
    pub feeds: Vec<Expected<'a>>,
    pub open_as_text: bool,
}

/// An Atom feed as a reader reads it.
#[derive(Default)]
struct Feed {
    title: String,
    entries: Vec<Entry>,
}

#[derive(Default)]
struct Entry {
    id: String,
    title: String,
    author: String,
    link: String,
    content: String,
}

/// Fetches, checks and opens every group's feeds.
pub async fn check(
    cs: &[Client],
    s: &TestServer,
    embedder: &Embedder,
    groups: &[Group<'_>],
    origins: &[String],
    report: &mut Report,
) {
    let as_text = places::feed_as_text();
    let reader = places::feed_reader();
    let mut reader_pages = Vec::new();
    let mut text_pages = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let mut parsed = Vec::new();
        let mut expected_boxes = Vec::new();
        for e in &group.feeds {
            let xml = fetch(s, &e.query).await;
            let ids: Vec<i64> = e.comments.iter().map(|c| c.id).collect();
            let (feed, problems) = static_check(&xml, &ids);
            for p in problems {
                report.problems.push(format!("feed {}: {p}", e.query));
            }
            expected_boxes.extend(ids.iter().map(|id| format!("comment-{id}")));
            if e.count {
                for comment in &e.comments {
                    report.count(&reader, comment);
                    if group.open_as_text {
                        report.count(&as_text, comment);
                    }
                }
            }
            if group.open_as_text {
                text_pages.push((s.url(&format!("/feed.atom?{}", e.query)), xml, ids.len()));
            }
            parsed.push(feed);
        }
        let page = embedder.put(
            &format!("/reader/{g}"),
            "text/html; charset=utf-8",
            reader_page(&parsed),
        );
        reader_pages.push((page, expected_boxes));
    }
    check_as_text(&cs[0], &as_text, &text_pages, origins, report).await;
    check_pages(cs, &reader, &reader_pages, origins, report).await;
}

async fn fetch(s: &TestServer, query: &str) -> String {
    let r = s
        .http
        .get(s.url(&format!("/feed.atom?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "feed {query}");
    let kind = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(
        kind.starts_with("application/atom+xml"),
        "feed {query}: {kind}"
    );
    r.text().await.unwrap()
}

/// The feed parsed, and what is wrong with it: not well-formed, other entries than `ids`, or
/// an entry's HTML content that holds something a browser would run.
fn static_check(xml: &str, ids: &[i64]) -> (Feed, Vec<String>) {
    let feed = match parse(xml) {
        Ok(feed) => feed,
        Err(e) => return (Feed::default(), vec![format!("not well-formed: {e}")]),
    };
    let mut problems = Vec::new();
    let listed: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
    let wanted: Vec<String> = ids
        .iter()
        .map(|id| format!("rostra/comment/{id}"))
        .collect();
    let matches =
        listed.len() == wanted.len() && listed.iter().zip(&wanted).all(|(l, w)| l.ends_with(&**w));
    if !matches {
        problems.push(format!(
            "{} entries {listed:?}, expected {} {wanted:?}",
            listed.len(),
            wanted.len()
        ));
    }
    for e in &feed.entries {
        for p in rostra_testkit::unsafe_html(&e.content) {
            problems.push(format!("entry {}: its content holds {p}", e.id));
        }
    }
    (feed, problems)
}

/// Reads an Atom document strictly: one `feed` root in the Atom namespace, matching end tags,
/// known entities, well-formed attributes, no DTD.
fn parse(xml: &str) -> Result<Feed, String> {
    let mut r = Reader::from_str(xml);
    r.config_mut().check_end_names = true;
    let mut feed = Feed::default();
    let mut path: Vec<String> = Vec::new();
    let mut roots = 0;
    loop {
        let at = r.buffer_position();
        let event = r.read_event().map_err(|e| format!("at byte {at}: {e}"))?;
        match event {
            Event::Start(e) | Event::Empty(e) if path.is_empty() => {
                roots += 1;
                let xmlns = attribute(&e, "xmlns")?;
                if name(&e) != "feed" || xmlns.as_deref() != Some(ATOM_NS) {
                    return Err(format!("root <{}> in {xmlns:?}", name(&e)));
                }
                path.push(name(&e));
            }
            Event::Start(e) => {
                attribute(&e, "")?;
                if name(&e) == "entry" && path.len() == 1 {
                    feed.entries.push(Entry::default());
                }
                path.push(name(&e));
            }
            Event::Empty(e) => {
                let is_alternate = attribute(&e, "rel")?.as_deref() == Some("alternate");
                if let (Some(entry), true, "link") = (
                    feed.entries.last_mut().filter(|_| path.len() == 2),
                    is_alternate,
                    name(&e).as_str(),
                ) {
                    entry.link = attribute(&e, "href")?.unwrap_or_default();
                }
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) => {
                let text = t.unescape().map_err(|e| format!("at byte {at}: {e}"))?;
                add_text(&mut feed, &path, &text);
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|e| format!("at byte {at}: {e}"))?;
                add_text(&mut feed, &path, &text);
            }
            Event::DocType(_) => return Err("a DOCTYPE".into()),
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if roots != 1 || !path.is_empty() {
        return Err(format!("{roots} roots, {} elements left open", path.len()));
    }
    Ok(feed)
}

fn name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.name().as_ref()).into_owned()
}

/// The unescaped value of attribute `key`, checking every attribute of `e` on the way.
fn attribute(e: &BytesStart<'_>, key: &str) -> Result<Option<String>, String> {
    let mut found = None;
    for a in e.attributes() {
        let a = a.map_err(|err| format!("<{}>: {err}", name(e)))?;
        let value = a
            .unescape_value()
            .map_err(|err| format!("<{}>: {err}", name(e)))?;
        if a.key.as_ref() == key.as_bytes() {
            found = Some(value.into_owned());
        }
    }
    Ok(found)
}

fn add_text(feed: &mut Feed, path: &[String], text: &str) {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let entry = feed.entries.last_mut();
    let slot = match (path.as_slice(), entry) {
        (["feed", "title"], _) => &mut feed.title,
        (["feed", "entry", "id"], Some(e)) => &mut e.id,
        (["feed", "entry", "title"], Some(e)) => &mut e.title,
        (["feed", "entry", "author", "name"], Some(e)) => &mut e.author,
        (["feed", "entry", "content"], Some(e)) => &mut e.content,
        _ => return,
    };
    slot.push_str(text);
}

/// What a feed reader draws: each feed's title, and for each entry its title (Atom `text`, so
/// escaped) linking to the comment, its author, and its `html` content as HTML.
fn reader_page(feeds: &[Feed]) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reader</title>\
         </head><body>",
    );
    for feed in feeds {
        html.push_str(&format!(
            "<section class=\"feed\"><h1 class=\"feed-title\">{}</h1>",
            attr(&feed.title)
        ));
        for e in &feed.entries {
            let id = e.id.rsplit('/').next().unwrap_or_default();
            html.push_str(&format!(
                "<article class=\"entry\" id=\"comment-{}\"><h2 class=\"title\"><a href=\"{}\">{}\
                 </a></h2><p class=\"author\">{}</p><div class=\"content\">{}</div></article>",
                attr(id),
                attr(&e.link),
                attr(&e.title),
                attr(&e.author),
                e.content
            ));
        }
        html.push_str("</section>");
    }
    html + "</body></html>"
}

/// What the page shows besides the checks `probe` makes: the document's type, the text it
/// shows, any element besides the text's `<pre>`, and what the browser's XML parser makes of
/// that text.
const AS_TEXT: &str = r#"
const pre = document.querySelector("body > pre");
const text = pre ? pre.textContent : null;
const others = Array.from(document.querySelectorAll("body *")).filter((e) => e !== pre).length;
let parsed = null;
if (text !== null) {
  const d = new DOMParser().parseFromString(text, "application/xml");
  const error = d.getElementsByTagName("parsererror")[0];
  parsed = error ? { error: error.textContent.slice(0, 300) } : {
    root: d.documentElement.namespaceURI + " " + d.documentElement.localName,
    entries: d.getElementsByTagNameNS(arguments[0], "entry").length,
  };
}
return { type: document.contentType, text, others, parsed };
"#;

/// Opens each feed in Chromium, which shows an Atom feed as text: nothing on the page may run
/// or be an element, the text must be the feed, and Chromium's XML parser must accept it with
/// the expected number of entries.
async fn check_as_text(
    c: &Client,
    place: &Place,
    pages: &[(String, String, usize)],
    origins: &[String],
    report: &mut Report,
) {
    for (url, xml, entries) in pages {
        let seen = probe::visit(c, url, &place.boxes, None, origins).await;
        *report.pages.entry(place.name).or_default() += 1;
        let mut problems = seen.problems;
        if !seen.ids.is_empty() {
            problems.push(format!("elements drawn from the feed: {:?}", seen.ids));
        }
        let v = c.execute(AS_TEXT, vec![json!(ATOM_NS)]).await.unwrap();
        if v["text"].as_str() != Some(xml.as_str()) || v["others"] != 0 {
            problems.push(format!(
                "not shown as the feed's text: {} with {} other elements",
                v["type"], v["others"]
            ));
        }
        let want = json!({"root": format!("{ATOM_NS} feed"), "entries": entries});
        if v["parsed"] != want {
            problems.push(format!("Chromium's XML parser: {}", v["parsed"]));
        }
        for p in problems {
            report.problems.push(format!("{} {url}: {p}", place.name));
        }
    }
    for h in probe::console_hits(c).await {
        report.problems.push(format!("{}: {h}", place.name));
    }
}

/// The feed checks catch what they are there to catch: a feed that is not well-formed, one
/// whose markup Chromium draws, one that lists other entries, content that would run.
pub async fn canary(c: &Client, embedder: &Embedder, origins: &[String]) {
    let good = feed_with("&lt;p&gt;fine&lt;/p&gt;");
    let malformed = good.replace("</feed>", "</entry>");
    let with_script = good.replace("</title>", "</title><script>alert('feed')</script>");
    let cases = [
        (
            "application/atom+xml",
            malformed,
            &["Chromium's XML parser"][..],
        ),
        (
            "text/html",
            with_script,
            &[
                "elements drawn from the feed",
                "not shown as the feed's text",
                "ran: alert: feed",
            ][..],
        ),
    ];
    let place = places::feed_as_text();
    for (n, (kind, body, expected)) in cases.into_iter().enumerate() {
        let url = embedder.put(&format!("/canary-feed/{n}"), kind, body.clone());
        let mut report = Report::default();
        check_as_text(c, &place, &[(url, body, 1)], origins, &mut report).await;
        let all = report.problems.join("\n");
        for e in expected {
            assert!(all.contains(e), "the feed canary shows {e:?}: {all}");
        }
    }
    assert!(static_check(&good, &[7]).1.is_empty());
    // The reader draws the content as HTML, not as text.
    let drawn = reader_page(&[parse(&feed_with("&lt;em&gt;x&lt;/em&gt;")).unwrap()]);
    assert!(drawn.contains("<article class=\"entry\" id=\"comment-7\">"));
    assert!(drawn.contains("<div class=\"content\"><em>x</em></div>"));
    for (xml, ids, expected) in [
        (good.replace("</feed>", ""), vec![7], "not well-formed"),
        (
            good.replace("&lt;p&gt;", "&bogus;"),
            vec![7],
            "not well-formed",
        ),
        (good.clone(), vec![8], "entries"),
        (
            feed_with("&lt;script&gt;alert(1)&lt;/script&gt;"),
            vec![7],
            "<script>",
        ),
        (
            feed_with("&lt;a href='javascript:x'&gt;x&lt;/a&gt;"),
            vec![7],
            "href",
        ),
    ] {
        let problems = static_check(&xml, &ids).1.join("\n");
        assert!(
            problems.contains(expected),
            "static canary {expected:?}: {problems}"
        );
    }
}

/// A one-entry feed about comment 7 with this (escaped) HTML content.
fn feed_with(content: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"{ATOM_NS}\"><id>x</id>\
         <title>t</title><entry><id>tag:x,2026-01-01:rostra/comment/7</id><title>t</title>\
         <author><name>n</name></author><content type=\"html\">{content}</content></entry></feed>"
    )
}
