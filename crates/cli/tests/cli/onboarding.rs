//! A publisher's first steps: `rostra demo` with its database and admin, and a log without
//! colour codes when it goes to a file.

use crate::rostra;

/// `rostra demo` says where its database is and makes an admin whose sign-in it prints (which
/// works); its log, written to a pipe, carries no terminal colour codes.
#[tokio::test]
async fn the_demo_prints_its_database_and_an_admin_who_can_sign_in() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let port = crate::free_port();
    let mut child = rostra()
        .args([
            "demo",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database",
            &db,
        ])
        .env("ROSTRA_LOG__LEVEL", "info")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // Up to the log line that says it serves (or the end, should it stop).
    let lines = tokio::task::spawn_blocking(move || {
        let mut seen = Vec::new();
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let done = line.contains("rostra is serving");
            seen.push(line);
            if done {
                break;
            }
        }
        seen
    });
    let out = lines.await.unwrap().join("\n");
    let base = format!("http://127.0.0.1:{port}");
    assert!(out.contains(&format!("Its database: {db}")), "{out}");
    assert!(
        out.contains("rostra is serving") && !out.contains('\u{1b}'),
        "{out}"
    );
    let password = out
        .split("with the password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no password in {out}"))
        .to_string();
    assert!(
        out.contains(&format!("{base}/admin, sign in as admin@demo.example")),
        "{out}"
    );
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = |password: String| {
        http.post(format!("{base}/admin/login"))
            .form(&[
                ("email", "admin@demo.example".to_string()),
                ("password", password),
            ])
            .send()
    };
    crate::wait_until_up(&format!("{base}/healthz")).await;
    let wrong = login("not-the-password".into()).await.unwrap();
    assert_eq!(wrong.status(), 401);
    let right = login(password).await.unwrap();
    assert_eq!(right.status(), 303);
    assert!(right.headers().contains_key("set-cookie"));
    let _ = child.kill();
    let _ = child.wait();
}
