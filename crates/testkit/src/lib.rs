//! Test support: a real Rostra server on `127.0.0.1:0` over a temporary SQLite file (or a scratch
//! PostgreSQL database under `ROSTRA_TEST_BACKEND=postgres`), the shared fixtures (skipped loudly
//! when absent, fatal under `ROSTRA_REQUIRE_ALL=1`), and a check that HTML holds nothing a
//! browser would execute.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod html_safety;
pub mod smtp;

pub use html_safety::{unsafe_html, unsafe_html_in_fragment};

use rostra_core::{NewSite, Store};
use rostra_server::{AppState, Config};
use std::path::PathBuf;
use std::sync::Arc;

/// Whether every optional part (PostgreSQL, Chromium, fixtures) must be present.
pub fn require_all() -> bool {
    std::env::var("ROSTRA_REQUIRE_ALL").is_ok_and(|v| v == "1")
}

/// Says loudly that a test is skipped, or fails it under `ROSTRA_REQUIRE_ALL=1`.
pub fn skip(test: &str, why: &str) {
    assert!(
        !require_all(),
        "{test}: {why} (ROSTRA_REQUIRE_ALL=1 forbids skipping)"
    );
    eprintln!("SKIPPED {test}: {why}");
}

/// `../shared/fixtures` beside the checkout (or `ROSTRA_FIXTURES`), when present.
pub fn fixtures(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("ROSTRA_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        skip(test, &format!("no fixtures at {}", dir.display()));
        None
    }
}

/// A running server with its own database, and a client for it.
pub struct TestServer {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub state: Arc<AppState>,
    pub http: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    /// Where e-mail goes when the test sets no SMTP server (`mail.folder`).
    pub mail_dir: std::path::PathBuf,
    _mail: Option<tempfile::TempDir>,
    /// Last, so the database goes after everything that uses it.
    _db: TestDatabase,
}

/// Where a test server keeps its data; removed when the server is dropped.
#[allow(dead_code)] // held only to be dropped
enum TestDatabase {
    Sqlite(tempfile::TempDir),
    Postgres(rostra_store::postgres::ScratchDatabase),
    /// Another test server's database: that server cleans it up.
    Shared,
}

impl TestDatabase {
    /// A temporary SQLite file, or with `ROSTRA_TEST_BACKEND=postgres` a fresh database on the
    /// server `ROSTRA_TEST_POSTGRES_URL` names.
    async fn create() -> (String, TestDatabase) {
        if std::env::var("ROSTRA_TEST_BACKEND").is_ok_and(|b| b == "postgres") {
            let admin = std::env::var("ROSTRA_TEST_POSTGRES_URL")
                .expect("ROSTRA_TEST_BACKEND=postgres needs ROSTRA_TEST_POSTGRES_URL");
            let scratch = rostra_store::postgres::ScratchDatabase::create(&admin)
                .await
                .unwrap();
            return (scratch.url().to_string(), TestDatabase::Postgres(scratch));
        }
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        (url, TestDatabase::Sqlite(dir))
    }
}

/// Limits loose enough that tests are never throttled unless they mean to be.
pub fn test_config() -> Config {
    let mut c = Config::default();
    c.rate_limits.comments_per_minute = 1_000_000;
    c.rate_limits.comments_burst = 1_000_000;
    c.rate_limits.edits_per_minute = 1_000_000;
    c.rate_limits.votes_per_minute = 1_000_000;
    c
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(test_config()).await
    }

    /// Starts a server with this config and one site, `news`, whose origin is
    /// `https://news.example` (and the server's own).
    pub async fn start_with(config: Config) -> TestServer {
        let (url, db) = TestDatabase::create().await;
        TestServer::boot(config, url, db, true).await
    }

    /// A second instance on the same database (several `rostra serve` behind one balancer).
    pub async fn start_sharing(&self, config: Config) -> TestServer {
        TestServer::boot(
            config,
            self.state.config.database.url.clone(),
            TestDatabase::Shared,
            false,
        )
        .await
    }

    async fn boot(mut config: Config, url: String, db: TestDatabase, seed: bool) -> TestServer {
        config.database.url = url;
        // Mail goes to a folder of this test's unless the test chose one (or SMTP).
        let mail = (config.mail.folder == Config::default().mail.folder)
            .then(|| tempfile::tempdir().unwrap());
        if let Some(dir) = &mail {
            config.mail.folder = dir.path().display().to_string();
        }
        let mail_dir = std::path::PathBuf::from(&config.mail.folder);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        config.server.listen = addr.to_string();
        let store = rostra_store::open(&config.database.url, true)
            .await
            .unwrap();
        let site = NewSite {
            key: "news".into(),
            name: "News".into(),
            origins: vec!["https://news.example".into()],
            prompt: Some("Tell us what you think.".into()),
        };
        if seed {
            store
                .create_site(site.validate().unwrap(), 0)
                .await
                .unwrap();
        }
        let bus = rostra_store::bus::open_bus(&config.database.url, store.clone())
            .await
            .unwrap();
        let interchange = Arc::new(rostra_store::interchange::UrlInterchange {
            url: config.database.url.clone(),
        });
        let state = Arc::new(
            AppState::new(store.clone(), bus, config, true)
                .await
                .unwrap()
                .with_interchange(interchange),
        );
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(rostra_server::serve(state.clone(), listener, async {
            let _ = rx.await;
        }));
        TestServer {
            base: format!("http://{addr}"),
            store,
            state,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            shutdown: Some(tx),
            mail_dir,
            _mail: mail,
            _db: db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Posts a comment as JSON; answers (status, body).
    pub async fn post(&self, body: serde_json::Value) -> (u16, serde_json::Value) {
        let r = self
            .http
            .post(self.url("/api/comments"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// GETs a path; answers (status, JSON body).
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.http.get(self.url(path)).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.http.get(self.url(path)).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.text().await.unwrap())
    }
}

impl TestServer {
    /// Changes the policy of the site `news` behind the server's back (as another instance
    /// would), then makes this server forget what it held, as it does after its own changes.
    pub async fn set_policy(&self, change: impl FnOnce(&mut rostra_core::moderation::SitePolicy)) {
        self.set_policy_of("news", change).await;
    }

    /// Changes the policy of the site `key`, as [`TestServer::set_policy`] does for `news`.
    pub async fn set_policy_of(
        &self,
        key: &str,
        change: impl FnOnce(&mut rostra_core::moderation::SitePolicy),
    ) {
        let site = self
            .store
            .site_by_key(key)
            .await
            .expect("store answers")
            .expect("the site exists");
        let mut policy = self.state.policy(&site).await.expect("policy");
        change(&mut policy);
        let audit = rostra_core::moderation::NewAuditEntry {
            at: 0,
            actor: None,
            action: "test".into(),
            target: format!("site:{key}"),
            site_id: Some(site.id),
            reason: None,
            detail: String::new(),
        };
        self.store
            .set_site_policy(site.id, &policy, audit)
            .await
            .expect("policy saved");
        self.state.site_rules.forget(site.id);
    }

    /// The `.eml` files written to the mail folder so far, oldest first.
    pub fn mail_files(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(&self.mail_dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_else(|_| Vec::new());
        files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "eml"));
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// Waits until the mail folder holds at least `n` messages; answers them all.
    pub async fn wait_for_mail(&self, n: usize) -> Vec<String> {
        smtp::wait_for_files(n, || self.mail_files()).await
    }
}

impl TestServer {
    /// Stops serving, as a restart does, and keeps the database for `start_sharing`.
    pub fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A signed-in moderator's cookie and CSRF token.
pub struct Signed {
    pub cookie: String,
    pub csrf: String,
}

impl TestServer {
    /// Adds a moderator (or admin) with password `password123` for the given site keys.
    pub async fn add_user(&self, email: &str, role: rostra_core::user::Role, sites: &[&str]) {
        let mut ids = Vec::new();
        for k in sites {
            ids.push(self.store.site_by_key(k).await.unwrap().unwrap().id);
        }
        let password_hash = rostra_server::password::hash("password123").unwrap();
        let user = rostra_core::user::NewUser {
            email: email.into(),
            role,
            sites: ids,
            password_hash,
        };
        self.store.create_user(user, 0).await.unwrap();
    }

    /// Signs in through the login form; answers the session cookie and the CSRF token.
    pub async fn sign_in(&self, email: &str) -> Signed {
        let r = self
            .http
            .post(self.url("/admin/login"))
            .form(&[("email", email), ("password", "password123")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "signing in as {email}");
        let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
        let cookie = set.split(';').next().unwrap().to_string();
        let page = self
            .http
            .get(self.url("/admin/queue/recent"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let marker = "name=\"csrf\" value=\"";
        let at = page.find(marker).expect("the page has a CSRF field") + marker.len();
        let csrf = page[at..].split('"').next().unwrap().to_string();
        Signed { cookie, csrf }
    }
}

/// A page URL on the test site.
pub fn page(path: &str) -> String {
    format!("https://news.example{path}")
}

/// The thread query for a page on the test site.
pub fn thread_query(path: &str) -> String {
    format!("/api/threads?site=news&url={}", encode(&page(path)))
}

pub fn encode(s: &str) -> String {
    url_encode(s)
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
