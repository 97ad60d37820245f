//! Imports change everything or nothing, name the place a file is broken, and exports carry a
//! site across: ours byte for byte, WXR with every parent kept.

use super::{check_counts, Exported, TestDb};
use std::fmt::Write as _;

/// A Disqus export of `threads` threads with `per_thread` posts each, every post after the first
/// replying to the one before (a deep chain), listed replies first.
fn disqus_file(threads: usize, per_thread: usize) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<disqus xmlns=\"http://disqus.com\" \
         xmlns:dsq=\"http://disqus.com/disqus-internals\">\n",
    );
    for t in 0..threads {
        writeln!(
            x,
            "<thread dsq:id=\"t{t}\"><id>story-{t}</id><link>https://news.example/{t}</link>\
             <title>Story {t}</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread>"
        )
        .unwrap();
    }
    for t in 0..threads {
        for p in (0..per_thread).rev() {
            let parent = if p > 0 {
                format!("<parent dsq:id=\"p{t}-{}\"/>", p - 1)
            } else {
                String::new()
            };
            writeln!(
                x,
                "<post dsq:id=\"p{t}-{p}\"><message><![CDATA[<p>post {p} <b>bold</b></p>]]></message>\
                 <createdAt>2020-01-02T00:00:{:02}Z</createdAt><isDeleted>false</isDeleted>\
                 <isSpam>false</isSpam><author><name>a{}</name><email>a{}@x.example</email></author>\
                 <thread dsq:id=\"t{t}\"/>{parent}</post>",
                p % 60,
                p % 7,
                p % 7
            )
            .unwrap();
        }
    }
    x.push_str("</disqus>\n");
    x
}

#[tokio::test]
async fn replies_before_parents_deep_chains_and_a_second_import() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chains.xml");
    std::fs::write(&file, disqus_file(3, 700)).unwrap();
    let db = TestDb::new().await;
    db.add_site("news", &["https://news.example"]);
    let s = db.import("news", &file, None);
    assert_eq!(
        (s.get("threads imported"), s.get("comments imported")),
        (3, 2100),
        "{}",
        s.text
    );
    assert_eq!(s.get("authors imported"), 7);
    assert!(s.skipped.is_empty(), "{}", s.text);
    let first = db.export("news", "rostra");
    let e = Exported::parse(&first);
    assert_eq!(e.replies(), 2097);
    check_counts(&db, "news", 2100).await;
    let store = db.store().await;
    let site = store.site_by_key("news").await.unwrap().unwrap();
    let thread = store
        .thread_by_key(site.id, "id:story-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(thread.comment_count, 700);
    let again = db.import("news", &file, None);
    assert_eq!(again.get("comments imported"), 0);
    assert_eq!(again.get("comments already imported"), 2100);
    assert_eq!(again.get("threads matched existing"), 3);
    assert_eq!(
        db.export("news", "rostra"),
        first,
        "a second import changes nothing"
    );
}

#[tokio::test]
async fn a_file_broken_half_way_writes_nothing_and_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = disqus_file(2, 800);
    // Break the file after 1,500 posts (three batches were written by then).
    let cut = text.match_indices("<post ").nth(1500).unwrap().0;
    text.truncate(cut);
    text.push_str("<post dsq:id=\"broken\"><message>unclosed</disqus>\n");
    let broken_line = text.lines().count();
    let file = dir.path().join("broken.xml");
    std::fs::write(&file, &text).unwrap();
    let db = TestDb::new().await;
    db.add_site("news", &["https://news.example"]);
    let (ok, out) = db.run(&["import", "--site", "news", file.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("line {broken_line}")),
        "names line {broken_line}: {out}"
    );
    assert!(out.contains("nothing was imported"), "{out}");
    let e = db.exported("news");
    assert_eq!(
        (e.threads.len(), e.comments.len()),
        (0, 0),
        "nothing half-written"
    );
    // A JSON lines file with a bad line names it too.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"type\":\"rostra\",\"version\":1}\n{\"type\":\"thread\",\"id\":1}\n",
    )
    .unwrap();
    let (ok, out) = db.run(&["import", "--site", "news", bad.to_str().unwrap()]);
    assert!(!ok && out.contains("line 2"), "{out}");
    // An unknown site is refused before anything is read.
    let (ok, out) = db.run(&["import", "--site", "nope", file.to_str().unwrap()]);
    assert!(!ok && out.contains("nope"), "{out}");
}

#[tokio::test]
async fn our_export_round_trips_byte_for_byte() {
    let Some(fixtures) = rostra_testkit::fixtures("our_export_round_trips") else {
        return;
    };
    let origins = [
        "https://wpthemetestdata.wordpress.com",
        "http://example.org",
    ];
    let first_db = TestDb::new().await;
    first_db.add_site("blog", &origins);
    first_db.import(
        "blog",
        &fixtures.join("imports/wordpress/theme-unit-test-data.xml"),
        None,
    );
    first_db.import("blog", &fixtures.join("imports/isso/disqus.xml"), None);
    let first = first_db.export("blog", "rostra");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blog.jsonl");
    std::fs::write(&file, &first).unwrap();

    let second_db = TestDb::new().await;
    second_db.add_site("blog", &origins);
    let s = second_db.import("blog", &file, None);
    assert!(s.text.contains(" as rostra\n"), "{}", s.text);
    assert!(s.skipped.is_empty(), "{}", s.text);
    let second = second_db.export("blog", "rostra");
    assert!(
        first == second,
        "round trip differs:\n{first}\n---\n{second}"
    );
    let e = Exported::parse(&second);
    check_counts(&second_db, "blog", e.comments.len()).await;
}

#[tokio::test]
async fn a_wxr_export_imports_back_with_its_parents() {
    let Some(fixtures) = rostra_testkit::fixtures("a_wxr_export_imports_back") else {
        return;
    };
    let origins = [
        "https://wpthemetestdata.wordpress.com",
        "http://example.org",
    ];
    let db = TestDb::new().await;
    db.add_site("blog", &origins);
    db.import(
        "blog",
        &fixtures.join("imports/wordpress/theme-unit-test-data.xml"),
        None,
    );
    db.import("blog", &fixtures.join("imports/isso/disqus.xml"), None);
    let original = db.exported("blog");
    let wxr = db.export("blog", "wxr");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blog.xml");
    std::fs::write(&file, &wxr).unwrap();

    let other = TestDb::new().await;
    other.add_site("blog", &origins);
    let s = other.import("blog", &file, None);
    assert!(s.text.contains(" as wxr\n"), "{}", s.text);
    let back = other.exported("blog");
    assert_eq!(back.comments.len(), original.comments.len(), "{}", s.text);
    let shape = |e: &Exported| -> Vec<(String, String, String, String, String)> {
        e.comments
            .iter()
            .map(|c| {
                let f = |k: &str| c[k].to_string();
                (
                    f("id"),
                    f("parent"),
                    f("status"),
                    f("author_email"),
                    f("created_at"),
                )
            })
            .collect()
    };
    assert_eq!(
        shape(&back),
        shape(&original),
        "parents, statuses, e-mails and dates kept"
    );
    assert!(original.replies() >= 10);
    check_counts(&other, "blog", back.comments.len()).await;
}

/// Our format with everything it carries: an identifier, a closed thread, statuses, a reply
/// listed before its parent, revisions and votes.
const OURS: &str = r#"{"type":"rostra","version":1}
{"type":"thread","id":"1","url":"https://news.example/a","identifier":"story-a","title":"A","created_at":1700000000000,"closed":true}
{"type":"comment","id":"1","thread":"1","parent":"2","status":"published","author_name":"Bob","author_email":"bob@mail.example","author_url":"https://bob.example/","body":"Reply","body_html":"<p>Reply</p>","created_at":1700000002000,"edited_at":1700000004000,"upvotes":2,"downvotes":1,"revisions":[{"body":"First try","replaced_at":1700000003000},{"body":"Second try","replaced_at":1700000004000}],"votes":[{"voter_hash":"v1","ip_hash":"i1","value":1,"voted_at":1700000005000},{"voter_hash":null,"ip_hash":"i2","value":1,"voted_at":1700000006000},{"voter_hash":"v3","ip_hash":"i3","value":-1,"voted_at":1700000007000}]}
{"type":"comment","id":"2","thread":"1","parent":null,"status":"deleted","author_name":null,"author_email":null,"author_url":null,"body":"","body_html":"","created_at":1700000001000,"edited_at":null,"upvotes":0,"downvotes":0,"revisions":[],"votes":[]}
{"type":"comment","id":"3","thread":"1","parent":null,"status":"pending","author_name":"Cid","author_email":null,"author_url":null,"body":"Held *one*","body_html":"<p>Held <em>one</em></p>","created_at":1700000008000,"edited_at":null,"upvotes":0,"downvotes":0,"revisions":[],"votes":[]}
{"type":"comment","id":"4","thread":"1","parent":"1","status":"rejected","author_name":"Dee","author_email":"dee@mail.example","author_url":null,"body":"Spam","body_html":"<p>Spam</p>","created_at":1700000009000,"edited_at":null,"upvotes":0,"downvotes":0,"revisions":[],"votes":[]}
{"type":"thread","id":"2","url":"https://news.example/b","identifier":null,"title":null,"created_at":1700000010000,"closed":false}
{"type":"comment","id":"5","thread":"2","parent":null,"status":"published","author_name":null,"author_email":null,"author_url":null,"body":"Anonymous","body_html":"<p>Anonymous</p>","created_at":1700000011000,"edited_at":null,"upvotes":0,"downvotes":0,"revisions":[],"votes":[]}
"#;

#[tokio::test]
async fn revisions_votes_statuses_and_identifiers_survive_our_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ours.jsonl");
    std::fs::write(&file, OURS).unwrap();
    let db = TestDb::new().await;
    db.add_site("news", &["https://news.example"]);
    let s = db.import("news", &file, None);
    assert_eq!(s.get("comments imported"), 5, "{}", s.text);
    assert_eq!(
        db.export("news", "rostra"),
        OURS,
        "exported exactly as imported"
    );
    check_counts(&db, "news", 5).await;
    let store = db.store().await;
    let site = store.site_by_key("news").await.unwrap().unwrap();
    let thread = store
        .thread_by_key(site.id, "id:story-a")
        .await
        .unwrap()
        .unwrap();
    assert!(thread.closed);
    assert_eq!(thread.comment_count, 1, "only the published reply counts");
}

#[tokio::test]
async fn chains_of_tombstones_count_as_replies_while_they_have_replies() {
    // p0 ← p1 ← p2 ← p3, with p0, p1 and p2 deleted: p3 keeps p2 public, p2 keeps p1, p1 keeps
    // p0. A second thread's deleted post has no replies and counts for nobody.
    let post = |t: u32, p: u32, parent: Option<u32>, deleted: bool| {
        let parent = parent.map_or(String::new(), |q| format!("<parent dsq:id=\"p{t}-{q}\"/>"));
        format!(
            "<post dsq:id=\"p{t}-{p}\"><message><![CDATA[<p>post {p}</p>]]></message>\
             <createdAt>2020-01-02T00:00:0{p}Z</createdAt><isDeleted>{deleted}</isDeleted>\
             <isSpam>false</isSpam><author><name>a</name><email>a@x.example</email></author>\
             <thread dsq:id=\"t{t}\"/>{parent}</post>\n"
        )
    };
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<disqus xmlns=\"http://disqus.com\" \
         xmlns:dsq=\"http://disqus.com/disqus-internals\">\n",
    );
    for t in 0..2 {
        x.push_str(&format!(
            "<thread dsq:id=\"t{t}\"><id>story-{t}</id><link>https://news.example/{t}</link>\
             <title>Story {t}</title></thread>\n"
        ));
    }
    // Deepest first: every reply comes before its parent.
    x.push_str(&post(0, 3, Some(2), false));
    x.push_str(&post(0, 2, Some(1), true));
    x.push_str(&post(0, 1, Some(0), true));
    x.push_str(&post(0, 0, None, true));
    x.push_str(&post(1, 0, None, false));
    x.push_str(&post(1, 1, Some(0), true));
    x.push_str("</disqus>\n");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tombstones.xml");
    std::fs::write(&file, x).unwrap();
    let db = TestDb::new().await;
    db.add_site("news", &["https://news.example"]);
    let s = db.import("news", &file, None);
    assert_eq!(s.get("comments imported"), 6, "{}", s.text);
    check_counts(&db, "news", 6).await;
    let store = db.store().await;
    let site = store.site_by_key("news").await.unwrap().unwrap();
    let mut counts = Vec::new();
    for t in 0..2 {
        let thread = store
            .thread_by_key(site.id, &format!("id:story-{t}"))
            .await
            .unwrap()
            .unwrap();
        let page = store
            .top_level_page(thread.id, rostra_core::Sort::Oldest, 0, 10)
            .await
            .unwrap();
        counts.extend(page.iter().map(|c| (t, c.status, c.reply_count)));
    }
    use rostra_core::Status::{Deleted, Published};
    assert_eq!(counts, [(0, Deleted, 1), (1, Published, 0)]);
}
