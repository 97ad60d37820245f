//! A real Isso (PyPI `isso`) takes comments and replies through its own API; its SQLite file is
//! then imported. Isso is found through `ROSTRA_ISSO` (its `isso` program) or on the PATH;
//! `.ci/run` installs it.

use super::{check_counts, TestDb};
use crate::{free_port, wait_until_up};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};

struct Isso {
    child: Child,
    base: String,
}

impl Drop for Isso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn isso_program() -> Option<String> {
    if let Ok(p) = std::env::var("ROSTRA_ISSO") {
        return Some(p);
    }
    let found = Command::new("isso").arg("--version").output().is_ok();
    found.then(|| "isso".to_string())
}

/// Posts a comment to Isso; answers its id and the cookie that lets its author delete it.
async fn post(isso: &Isso, http: &reqwest::Client, uri: &str, body: Value) -> (i64, String) {
    let r = http
        .post(format!("{}/new?uri={uri}", isso.base))
        .header("Origin", "http://blog.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success(),
        "isso refused {body}: {}",
        r.status()
    );
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|c| !c.starts_with("isso-"))
        .unwrap_or_default()
        .to_string();
    let v: Value = r.json().await.unwrap();
    (v["id"].as_i64().unwrap(), cookie)
}

#[tokio::test]
async fn a_real_isso_database_imports_with_its_replies() {
    let Some(program) = isso_program() else {
        rostra_testkit::skip(
            "a_real_isso_database_imports",
            "Isso is not installed (pip install isso; or set ROSTRA_ISSO)",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let db_path = dir.path().join("comments.db");
    let cfg = dir.path().join("isso.cfg");
    std::fs::write(
        &cfg,
        format!(
            "[general]\ndbpath = {}\nhost = http://blog.example/\nnotify = stdout\n\
             gravatar = false\n[server]\nlisten = http://127.0.0.1:{port}\n\
             [moderation]\nenabled = false\n[guard]\nenabled = false\n",
            db_path.display()
        ),
    )
    .unwrap();
    let child = Command::new(&program)
        .args(["-c", cfg.to_str().unwrap(), "run"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let isso = Isso {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    wait_until_up(&format!("{}/info", isso.base)).await;
    let http = reqwest::Client::new();
    let author = |name: &str, text: &str, parent: Option<i64>| {
        // With a title, Isso does not fetch the page to learn it.
        json!({"author": name, "email": format!("{name}@mail.example"), "title": "A post",
               "website": "https://home.example/", "text": text, "parent": parent})
    };
    let (first, first_cookie) = post(
        &isso,
        &http,
        "/posts/one/",
        author("ann", "First *post*", None),
    )
    .await;
    let (reply, _) = post(
        &isso,
        &http,
        "/posts/one/",
        author("bob", "A reply", Some(first)),
    )
    .await;
    post(
        &isso,
        &http,
        "/posts/one/",
        author("cid", "Reply to the reply", Some(reply)),
    )
    .await;
    post(
        &isso,
        &http,
        "/posts/two/",
        author("dee", "Elsewhere <script>x()</script>", None),
    )
    .await;
    // The author deletes the first comment; it has replies, so Isso keeps a tombstone.
    let r = http
        .delete(format!("{}/id/{first}", isso.base))
        .header("Origin", "http://blog.example")
        .header("Cookie", &first_cookie)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "delete: {}", r.status());
    drop(isso);

    let db = TestDb::new().await;
    db.add_site("blog", &["http://blog.example"]);
    let s = db.import("blog", &db_path, None);
    assert!(s.text.contains(" as isso\n"), "{}", s.text);
    assert_eq!(
        (s.get("threads imported"), s.get("comments imported")),
        (2, 4),
        "{}",
        s.text
    );
    let e = db.exported("blog");
    assert_eq!(
        e.threads[0]["url"], "http://blog.example/posts/one",
        "normalized"
    );
    assert_eq!(e.by_status("deleted"), 1);
    let bob = e.by_author("bob");
    assert_eq!(bob["author_email"], "bob@mail.example");
    assert_eq!(bob["author_url"], "https://home.example/");
    let deleted = e
        .comments
        .iter()
        .find(|c| c["status"] == "deleted")
        .unwrap();
    assert_eq!(
        bob["parent"], deleted["id"],
        "bob's reply stays under the tombstone"
    );
    // Isso hangs replies to replies under the top-level comment.
    let cid = e.by_author("cid");
    assert!(
        cid["parent"] == bob["id"] || cid["parent"] == deleted["id"],
        "{cid}"
    );
    let dee = e.by_author("dee");
    assert!(!dee["body_html"].as_str().unwrap().contains("<script"));
    check_counts(&db, "blog", 4).await;
    let again = db.import("blog", &db_path, Some("isso"));
    assert_eq!(again.get("comments already imported"), 4);
}
