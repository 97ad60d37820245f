//! A real SMTP server for mail tests: Python's aiosmtpd running `smtp_sink.py`, which stores
//! every message it receives as a file the test reads. Skipped loudly when Python or aiosmtpd
//! is missing (fatal under `ROSTRA_REQUIRE_ALL=1`).

use crate::skip;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// How long a test waits for a message before it fails: a guard against hanging, not a
/// measure of speed.
const PATIENCE: Duration = Duration::from_secs(60);

pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

/// A Python 3 that has aiosmtpd (Debian's `python3-aiosmtpd` lives in the system Python).
fn python_with_aiosmtpd() -> Option<&'static str> {
    ["/usr/bin/python3", "python3"].into_iter().find(|p| {
        Command::new(p)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

impl SmtpSink {
    /// Starts a server on a free port, or skips (loudly) when aiosmtpd is missing.
    pub fn start(test: &str) -> Option<SmtpSink> {
        SmtpSink::start_on(test, free_port())
    }

    pub fn start_on(test: &str, port: u16) -> Option<SmtpSink> {
        let Some(python) = python_with_aiosmtpd() else {
            skip(
                test,
                "no Python 3 with aiosmtpd (apt-get install python3-aiosmtpd)",
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("smtp_sink.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(dir.path())
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Some(SmtpSink { port, dir, child })
    }

    /// Every message received so far, oldest first, as text.
    pub fn messages(&self) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// Waits until at least `n` messages arrived; answers them all.
    pub async fn wait_for(&self, n: usize) -> Vec<String> {
        wait_for_files(n, || self.messages()).await
    }
}

/// Polls `read` until it answers at least `n` items (or the hang guard runs out).
pub async fn wait_for_files(n: usize, read: impl Fn() -> Vec<String>) -> Vec<String> {
    let started = std::time::Instant::now();
    loop {
        let found = read();
        if found.len() >= n {
            return found;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "expected {n} messages, have {}",
            found.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The first link in a message's text that starts with `prefix` (quoted-printable soft line
/// breaks undone).
pub fn link_in(message: &str, prefix: &str) -> Option<String> {
    let text = message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let at = text.find(prefix)?;
    Some(
        text[at..]
            .split(|c: char| c.is_whitespace())
            .next()?
            .to_string(),
    )
}
