//! `rostra import` and `rostra export` run as an operator runs them: every fixture export file
//! of other systems, a real Isso database, round trips, idempotence and all-or-nothing. Each
//! test uses a fresh SQLite file, or a scratch PostgreSQL database under
//! `ROSTRA_TEST_BACKEND=postgres`.

mod fixtures;
mod isso_real;
mod safety;

use crate::rostra;
use rostra_core::{CommentId, Store};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// A database for one test, removed when dropped.
pub struct TestDb {
    pub url: String,
    _dir: tempfile::TempDir,
    _scratch: Option<rostra_store::postgres::ScratchDatabase>,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        if std::env::var("ROSTRA_TEST_BACKEND").is_ok_and(|b| b == "postgres") {
            let admin = std::env::var("ROSTRA_TEST_POSTGRES_URL")
                .expect("ROSTRA_TEST_BACKEND=postgres needs ROSTRA_TEST_POSTGRES_URL");
            let scratch = rostra_store::postgres::ScratchDatabase::create(&admin)
                .await
                .unwrap();
            return TestDb {
                url: scratch.url().to_string(),
                _dir: dir,
                _scratch: Some(scratch),
            };
        }
        let url = format!("sqlite://{}", dir.path().join("import.db").display());
        TestDb {
            url,
            _dir: dir,
            _scratch: None,
        }
    }

    /// Runs `rostra ARGS --database URL`; answers success and stdout + stderr.
    pub fn run(&self, args: &[&str]) -> (bool, String) {
        let out = rostra()
            .args(args)
            .arg("--database")
            .arg(&self.url)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    pub fn add_site(&self, key: &str, origins: &[&str]) {
        let mut args = vec!["site", "add", "--key", key, "--name", key];
        for o in origins {
            args.extend(["--origin", o]);
        }
        let (ok, out) = self.run(&args);
        assert!(ok, "{out}");
    }

    /// Imports a file; asserts it succeeded and answers the summary's counts by label.
    pub fn import(&self, site: &str, file: &Path, format: Option<&str>) -> Summary {
        let mut args = vec!["import", "--site", site];
        if let Some(f) = format {
            args.extend(["--format", f]);
        }
        let file = file.to_string_lossy().to_string();
        args.push(&file);
        let (ok, out) = self.run(&args);
        assert!(ok, "import of {file} failed: {out}");
        Summary::parse(&out)
    }

    /// The site exported in a format, as text.
    pub fn export(&self, site: &str, format: &str) -> String {
        let (ok, out) = {
            let o = rostra()
                .args([
                    "export",
                    "--site",
                    site,
                    "--format",
                    format,
                    "--database",
                    &self.url,
                ])
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&o.stderr).to_string();
            assert!(o.status.success(), "export failed: {err}");
            (o.status.success(), String::from_utf8(o.stdout).unwrap())
        };
        assert!(ok);
        out
    }

    /// The site's export in our format, parsed: threads and comments.
    pub fn exported(&self, site: &str) -> Exported {
        Exported::parse(&self.export(site, "rostra"))
    }

    pub async fn store(&self) -> std::sync::Arc<dyn Store> {
        rostra_store::open(&self.url, false).await.unwrap()
    }
}

/// The counts an import printed.
#[derive(Debug)]
pub struct Summary {
    pub counts: HashMap<String, u64>,
    pub skipped: Vec<String>,
    pub text: String,
}

impl Summary {
    fn parse(text: &str) -> Summary {
        let mut counts = HashMap::new();
        let mut skipped = Vec::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("  skipped ") {
                skipped.push(rest.to_string());
            } else if let Some((label, value)) = line.split_once(':') {
                let n = value.split_whitespace().next().and_then(|v| v.parse().ok());
                if let Some(n) = n {
                    counts.insert(label.trim().to_string(), n);
                }
            }
        }
        Summary {
            counts,
            skipped,
            text: text.to_string(),
        }
    }

    pub fn get(&self, label: &str) -> u64 {
        *self
            .counts
            .get(label)
            .unwrap_or_else(|| panic!("no '{label}' in {}", self.text))
    }
}

/// An export in our format, parsed.
pub struct Exported {
    pub threads: Vec<Value>,
    pub comments: Vec<Value>,
}

impl Exported {
    pub fn parse(text: &str) -> Exported {
        let mut lines = text.lines();
        let header: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        assert_eq!(header["type"], "rostra");
        let (mut threads, mut comments) = (Vec::new(), Vec::new());
        for line in lines {
            let v: Value = serde_json::from_str(line).unwrap();
            match v["type"].as_str() {
                Some("thread") => threads.push(v),
                Some("comment") => comments.push(v),
                other => panic!("unexpected line type {other:?}"),
            }
        }
        Exported { threads, comments }
    }

    pub fn by_status(&self, status: &str) -> usize {
        self.comments
            .iter()
            .filter(|c| c["status"] == status)
            .count()
    }

    pub fn replies(&self) -> usize {
        self.comments
            .iter()
            .filter(|c| !c["parent"].is_null())
            .count()
    }

    /// The comment whose author is `name`.
    pub fn by_author(&self, name: &str) -> &Value {
        self.comments
            .iter()
            .find(|c| c["author_name"] == name)
            .unwrap_or_else(|| panic!("no comment by {name}"))
    }

    pub fn by_id(&self, id: &Value) -> &Value {
        self.comments.iter().find(|c| &c["id"] == id).unwrap()
    }
}

/// Checks what the server relies on after an import: every comment's root, every reply count
/// (public direct replies), every thread's published count, parents in the same thread.
pub async fn check_counts(db: &TestDb, site: &str, expected_comments: usize) {
    let store = db.store().await;
    let site = store.site_by_key(site).await.unwrap().unwrap();
    let threads = store.list_threads(site.id).await.unwrap();
    let thread_ids: Vec<_> = threads.iter().map(|t| t.id).collect();
    let mut comments = HashMap::new();
    let mut id = 0;
    // Ids are dense after a fresh import; look a little beyond in case of gaps.
    while comments.len() < expected_comments && id < expected_comments as i64 * 3 + 100 {
        id += 1;
        if let Some(c) = store.comment(CommentId(id)).await.unwrap() {
            if thread_ids.contains(&c.thread_id) {
                comments.insert(c.id, c);
            }
        }
    }
    assert_eq!(
        comments.len(),
        expected_comments,
        "comments found in the database"
    );
    for c in comments.values() {
        match c.parent_id {
            None => assert_eq!(c.root_id, c.id, "a top-level comment is its own root"),
            Some(p) => {
                let parent = &comments[&p];
                assert_eq!(parent.thread_id, c.thread_id, "parent in the same thread");
                assert_eq!(
                    c.root_id, parent.root_id,
                    "a reply shares its parent's root"
                );
            }
        }
        let public_children = comments
            .values()
            .filter(|k| k.parent_id == Some(c.id) && k.is_public())
            .count() as i64;
        assert_eq!(c.reply_count, public_children, "reply_count of {:?}", c.id);
    }
    for t in &threads {
        let published = comments
            .values()
            .filter(|c| c.thread_id == t.id && c.status == rostra_core::Status::Published)
            .count() as i64;
        assert_eq!(t.comment_count, published, "comment_count of {}", t.key);
    }
}
