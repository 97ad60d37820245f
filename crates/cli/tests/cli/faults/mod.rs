//! Faults the operator meets: the server killed mid-write, backups taken under load, floods.
//! Shared here: a database with a site and an admin, and a `rostra serve` that can be killed.

mod backup;
mod crash;
pub mod load;

use crate::{free_port, rostra, wait_until_up};
use std::io::Write;
use std::process::{Child, Stdio};

pub const SITE_ORIGIN: &str = "https://news.example";
pub const ADMIN_EMAIL: &str = "admin@example.org";
pub const ADMIN_PASSWORD: &str = "password123";

/// Adds the `news` site and an admin to the database at `db`.
pub fn prepare(db: &str) {
    let out = rostra()
        .args(["site", "add", "--key", "news", "--name", "News"])
        .args(["--origin", SITE_ORIGIN, "--database", db])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut add = rostra()
        .args(["user", "add", "--email", ADMIN_EMAIL, "--role", "admin"])
        .args(["--password-stdin", "--database", db])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = add.stdin.take().unwrap();
    writeln!(stdin, "{ADMIN_PASSWORD}").unwrap();
    drop(stdin);
    assert!(add.wait().unwrap().success());
}

/// A `rostra serve` on a free port, which trusts `X-Forwarded-For` (so one test can speak as
/// many readers) and whose rate limits are out of the way unless `limited`.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub async fn start(db: &str, limited: bool) -> Server {
        let port = free_port();
        let mut cmd = rostra();
        cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--database", db])
            .env("ROSTRA_SERVER__TRUST_FORWARDED_FOR", "true")
            // Reports never hold a comment here: the tests track statuses set by moderators.
            .env("ROSTRA_MODERATION__REPORTS_TO_HOLD", "1000000")
            .stdout(Stdio::null());
        if !limited {
            for key in [
                "COMMENTS_BURST",
                "COMMENTS_PER_MINUTE",
                "VOTES_PER_MINUTE",
                "REPORTS_PER_MINUTE",
                "LOGINS_PER_MINUTE",
            ] {
                cmd.env(format!("ROSTRA_RATE_LIMITS__{key}"), "1000000");
            }
        }
        let child = cmd.spawn().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        wait_until_up(&format!("{base}/healthz")).await;
        Server { child, base }
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A scratch database: a SQLite file in a temporary folder, or (`postgres`) a fresh PostgreSQL
/// database, which is `None` (after a loud skip) when PostgreSQL is not configured.
pub enum Scratch {
    Sqlite(tempfile::TempDir),
    Postgres(rostra_store::postgres::ScratchDatabase),
}

impl Scratch {
    pub async fn new(postgres: bool, test: &str) -> Option<Scratch> {
        if !postgres {
            return Some(Scratch::Sqlite(tempfile::tempdir().unwrap()));
        }
        let Ok(admin) = std::env::var("ROSTRA_TEST_POSTGRES_URL") else {
            rostra_testkit::skip(test, "ROSTRA_TEST_POSTGRES_URL not set");
            return None;
        };
        let db = rostra_store::postgres::ScratchDatabase::create(&admin)
            .await
            .unwrap();
        Some(Scratch::Postgres(db))
    }

    pub fn url(&self) -> String {
        match self {
            Scratch::Sqlite(dir) => format!("sqlite://{}", dir.path().join("rostra.db").display()),
            Scratch::Postgres(db) => db.url().to_string(),
        }
    }
}
