//! Every export file in `../shared/fixtures/imports/` imported into a fresh site, its counts,
//! threading and fields checked against what the file holds.

use super::{check_counts, Exported, TestDb};
use serde_json::Value;

/// Every host the fixture files' pages are on.
const ORIGINS: &[&str] = &[
    "http://example.org",
    "http://example.com",
    "https://example.com",
    "http://example.tld",
    "http://localhost",
    "http://localhost:4000",
    "https://radio-t.com",
    "http://radio-t.umputun.com",
    "https://realmenweardress.es",
    "https://wpthemetestdata.wordpress.com",
];

/// What one file must give: the format it is recognized as, then threads imported, comments
/// imported, replies among them, skipped items (threads, comments, and replies set at the top
/// level), and statuses (published, pending, rejected, deleted).
struct Case {
    file: &'static str,
    format: &'static str,
    threads: u64,
    comments: u64,
    replies: usize,
    skipped: usize,
    statuses: [usize; 4],
    /// How many comment items the file holds, counted by a marker in its text.
    marker: &'static str,
}

const CASES: &[Case] = &[
    Case {
        file: "comentario/comentario-ok-single-v1.json",
        format: "commento",
        threads: 1,
        comments: 1,
        replies: 0,
        skipped: 0,
        statuses: [1, 0, 0, 0],
        marker: "\"commentHex\"",
    },
    Case {
        file: "comentario/comentario-ok-single-v3.json",
        format: "comentario",
        threads: 1,
        comments: 1,
        replies: 0,
        skipped: 0,
        statuses: [1, 0, 0, 0],
        marker: "\"pageId\"",
    },
    Case {
        file: "comentario/disqus-ok-single.xml",
        format: "disqus",
        threads: 1,
        comments: 1,
        replies: 0,
        skipped: 0,
        statuses: [1, 0, 0, 0],
        marker: "<post ",
    },
    Case {
        file: "comentario/wordpress-ok-long.xml",
        format: "wxr",
        threads: 1,
        comments: 1,
        replies: 0,
        skipped: 0,
        statuses: [1, 0, 0, 0],
        marker: "<wp:comment>",
    },
    Case {
        file: "comentario/wordpress-ok-single.xml",
        format: "wxr",
        threads: 1,
        comments: 1,
        replies: 0,
        skipped: 0,
        statuses: [1, 0, 0, 0],
        marker: "<wp:comment>",
    },
    // Post 6 names a thread not in the file; thread 3 has no link.
    Case {
        file: "isso/disqus.xml",
        format: "disqus",
        threads: 2,
        comments: 5,
        replies: 2,
        skipped: 2,
        statuses: [4, 0, 0, 1],
        marker: "<post ",
    },
    Case {
        file: "isso/generic.json",
        format: "isso",
        threads: 2,
        comments: 2,
        replies: 0,
        skipped: 0,
        statuses: [2, 0, 0, 0],
        marker: "\"remote_addr\"",
    },
    // Comment 11 appears in two posts.
    Case {
        file: "isso/wordpress.xml",
        format: "wxr",
        threads: 2,
        comments: 7,
        replies: 3,
        skipped: 1,
        statuses: [7, 0, 0, 0],
        marker: "<wp:comment>",
    },
    Case {
        file: "remark42/commento-api.json",
        format: "commento",
        threads: 1,
        comments: 7,
        replies: 2,
        skipped: 0,
        statuses: [7, 0, 0, 0],
        marker: "\"commentHex\"",
    },
    Case {
        file: "remark42/commento.json",
        format: "commento",
        threads: 2,
        comments: 3,
        replies: 1,
        skipped: 0,
        statuses: [3, 0, 0, 0],
        marker: "\"commentHex\"",
    },
    // The second comment's parent (1234) is not in the file: top level, reported.
    Case {
        file: "remark42/remark42-backup.jsonl",
        format: "remark42",
        threads: 2,
        comments: 2,
        replies: 0,
        skipped: 1,
        statuses: [2, 0, 0, 0],
        marker: "\"locator\"",
    },
    // A pingback is skipped; the reply to it goes to the top level.
    Case {
        file: "remark42/wordpress-wxr.xml",
        format: "wxr",
        threads: 1,
        comments: 3,
        replies: 0,
        skipped: 2,
        statuses: [2, 1, 0, 0],
        marker: "<wp:comment>",
    },
    Case {
        file: "wordpress/slashes.xml",
        format: "wxr",
        threads: 1,
        comments: 1,
        replies: 0,
        skipped: 0,
        statuses: [1, 0, 0, 0],
        marker: "<wp:comment>",
    },
    // 33 comments of which 2 pingbacks and 2 trackbacks; 10 threaded replies.
    Case {
        file: "wordpress/theme-unit-test-data.xml",
        format: "wxr",
        threads: 7,
        comments: 29,
        replies: 10,
        skipped: 4,
        statuses: [26, 3, 0, 0],
        marker: "<wp:comment>",
    },
    Case {
        file: "wordpress/valid-wxr-1.0.xml",
        format: "wxr",
        threads: 1,
        comments: 1,
        replies: 0,
        skipped: 0,
        statuses: [1, 0, 0, 0],
        marker: "<wp:comment>",
    },
];

#[tokio::test]
async fn every_fixture_export_imports_with_its_counts_and_threading() {
    let Some(dir) = rostra_testkit::fixtures("every_fixture_export_imports") else {
        return;
    };
    let dir = dir.join("imports");
    for case in CASES {
        let path = dir.join(case.file);
        let db = TestDb::new().await;
        db.add_site("s", ORIGINS);
        let summary = db.import("s", &path, None);
        assert!(
            summary.text.contains(&format!(" as {}\n", case.format)),
            "{}: recognized as {}? {}",
            case.file,
            case.format,
            summary.text
        );
        let what = format!("{}: {}", case.file, summary.text);
        assert_eq!(summary.get("threads imported"), case.threads, "{what}");
        assert_eq!(summary.get("comments imported"), case.comments, "{what}");
        assert_eq!(summary.skipped.len(), case.skipped, "{what}");
        // Nothing silently dropped: every comment of the file is imported or listed as skipped.
        let in_file = std::fs::read_to_string(&path)
            .unwrap()
            .matches(case.marker)
            .count() as u64;
        let skipped_comments = summary
            .skipped
            .iter()
            .filter(|s| !s.starts_with("thread") && !s.contains("imported at the top level"))
            .count() as u64;
        assert_eq!(case.comments + skipped_comments, in_file, "{what}");
        let e = db.exported("s");
        assert_eq!(e.threads.len() as u64, case.threads, "{what}");
        assert_eq!(e.replies(), case.replies, "{what}");
        let statuses = ["published", "pending", "rejected", "deleted"].map(|s| e.by_status(s));
        assert_eq!(statuses, case.statuses, "{what}");
        check_counts(&db, "s", case.comments as usize).await;
        // A second import of the same file adds nothing.
        let again = db.import("s", &path, None);
        assert_eq!(again.get("comments imported"), 0, "{}", again.text);
        assert_eq!(
            again.get("comments already imported"),
            case.comments,
            "{}",
            again.text
        );
    }
}

#[tokio::test]
async fn fields_are_mapped_faithfully() {
    let Some(dir) = rostra_testkit::fixtures("fields_are_mapped_faithfully") else {
        return;
    };
    let dir = dir.join("imports");
    let db = TestDb::new().await;
    db.add_site("s", ORIGINS);
    db.import("s", &dir.join("isso/disqus.xml"), Some("disqus"));
    let e = db.exported("s");
    // Disqus: the identifier keys the thread; the reply hangs under post 4 (peter's).
    let thread = e
        .threads
        .iter()
        .find(|t| t["identifier"] == "some-id")
        .unwrap();
    assert_eq!(thread["url"], "http://example.org/");
    assert_eq!(thread["title"], "Hello, World!");
    let peter = e.by_author("peter");
    assert_eq!(
        peter["author_email"], "foo@bar.com",
        "e-mails are kept (private)"
    );
    assert_eq!(peter["created_at"], 1_381_432_829_000i64);
    let reply = e
        .comments
        .iter()
        .find(|c| c["parent"] == peter["id"])
        .unwrap();
    assert_eq!(reply["body_html"], "<p>Hello, World.</p>");
    assert_eq!(reply["body"], "Hello, World.");

    let db = TestDb::new().await;
    db.add_site("s", ORIGINS);
    db.import("s", &dir.join("wordpress/theme-unit-test-data.xml"), None);
    let e = db.exported("s");
    for c in &e.comments {
        let html = c["body_html"].as_str().unwrap();
        assert!(
            rostra_testkit::unsafe_html_in_fragment(html).is_empty(),
            "imported HTML is sanitized: {html}"
        );
    }
    // Deep nesting survives: some reply chain is at least 3 levels deep.
    let deepest = e.comments.iter().map(|c| depth(&e, c)).max().unwrap();
    assert!(deepest >= 3, "deepest reply chain: {deepest}");
    let url = e.by_author("themedemos");
    assert_eq!(url["author_url"], "https://wpthemetestdata.wordpress.com/");

    let db = TestDb::new().await;
    db.add_site("s", ORIGINS);
    db.import(
        "s",
        &dir.join("comentario/comentario-ok-single-v3.json"),
        None,
    );
    let e = db.exported("s");
    let bugs = e.by_author("Bugs Bunny");
    assert_eq!(bugs["author_email"], "bugsy@bigsy");
    assert_eq!(bugs["body"], "Yay, imported");
    assert_eq!(bugs["upvotes"], 23);
    assert_eq!(
        e.threads[0]["url"], "http://example.org/",
        "a path lands on the site's origin"
    );
}

#[tokio::test]
async fn the_backtick_disqus_samples_fail_clearly_and_their_clean_forms_import() {
    let Some(dir) = rostra_testkit::fixtures("backtick_disqus_samples") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for name in [
        "disqus.xml",
        "disqus-deleted-post.xml",
        "disqus-deleted-thread.xml",
    ] {
        let path = dir.join("imports/remark42").join(name);
        let db = TestDb::new().await;
        db.add_site("s", ORIGINS);
        let (ok, out) = db.run(&["import", "--site", "s", path.to_str().unwrap()]);
        assert!(!ok, "{out}");
        assert!(
            out.contains("line 1") && out.contains("nothing was imported"),
            "{out}"
        );
        assert_eq!(db.exported("s").comments.len(), 0);
        // Without the backtick, the file still holds an unquoted attribute at line 147 (not
        // something Disqus writes): a clear error again.
        let text = std::fs::read_to_string(&path).unwrap();
        let stripped = tmp.path().join(format!("stripped-{name}"));
        std::fs::write(&stripped, &text[1..]).unwrap();
        let (ok, out) = db.run(&["import", "--site", "s", stripped.to_str().unwrap()]);
        assert!(!ok && out.contains("line 147"), "{out}");
        // Repaired, it imports: two threads, four comments (one post has no id, one no date).
        let clean = tmp.path().join(format!("clean-{name}"));
        let repaired = text[1..].replace("dsq:id=247937687/", "dsq:id=\"247937687\"/");
        std::fs::write(&clean, repaired).unwrap();
        let s = db.import("s", &clean, None);
        let e = db.exported("s");
        match name {
            "disqus-deleted-thread.xml" => {
                assert_eq!(
                    (s.get("threads imported"), s.get("comments imported")),
                    (1, 1)
                );
                assert!(
                    s.text.contains("was skipped: deleted in Disqus"),
                    "{}",
                    s.text
                );
            }
            _ => {
                assert_eq!(
                    (s.get("threads imported"), s.get("comments imported")),
                    (2, 4)
                );
                assert_eq!(e.by_status("rejected"), 1, "isSpam → rejected");
                let deleted = usize::from(name == "disqus-deleted-post.xml");
                assert_eq!(e.by_status("deleted"), deleted);
            }
        }
        assert!(s.text.contains("it has no dsq:id"), "{}", s.text);
        check_counts(&db, "s", e.comments.len()).await;
    }
}

/// How many parents a comment has above it.
fn depth<'a>(e: &'a Exported, mut c: &'a Value) -> usize {
    let mut d = 0;
    while !c["parent"].is_null() {
        c = e.by_id(&c["parent"]);
        d += 1;
    }
    d
}
