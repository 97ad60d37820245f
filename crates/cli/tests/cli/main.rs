//! Tests of the `rostra` binary as an operator and a reader meet it: its commands, its config
//! reference in docs/config.md, and the demo in a real browser.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod commands;
mod docs;
mod faults;
mod identity_browser;
mod import;
mod instances;
mod live_browser;
mod migrate_data;
mod moderation_browser;
mod notify_browser;
mod onboarding;
mod page_lists_browser;
mod passkey_browser;
mod reader_browser;
mod schemathesis;
mod site_tokens;
mod wordpress;
mod xss_browser;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The `rostra` binary built for these tests.
pub fn rostra() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rostra"));
    // Settings come only from what each test passes, never from the environment running it.
    for (k, _) in std::env::vars() {
        if k.starts_with("ROSTRA_") && k.contains("__") {
            c.env_remove(k);
        }
    }
    c.env("ROSTRA_LOG__LEVEL", "warn");
    c
}

/// A free port on 127.0.0.1 (bound and released; the caller binds it right away).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `rostra demo`, stopped when dropped.
pub struct Demo {
    pub base: String,
    /// The demo's database URL, for commands run beside it (`rostra user add`).
    pub database: String,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Demo {
    pub async fn start() -> Demo {
        Demo::start_with_env(&[]).await
    }

    /// The demo with some settings given as `ROSTRA_…` environment variables.
    pub async fn start_with_env(env: &[(&str, &str)]) -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let database = format!("sqlite://{}", dir.path().join("demo.db").display());
        let child = rostra()
            .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--database")
            .arg(&database)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        wait_until_up(&format!("{base}/healthz")).await;
        Demo {
            base,
            database,
            child,
            _dir: dir,
        }
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls a URL until it answers 200 (a process we started is booting).
pub async fn wait_until_up(url: &str) {
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client
            .get(url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not come up");
}
