//! The public API against its own OpenAPI document: schemathesis (from PyPI; `.ci/run` installs
//! it and sets `ROSTRA_SCHEMATHESIS`) sends generated requests to a live `rostra demo` and fails
//! on any 5xx and on any status, content type or body the document does not describe.

use crate::{rostra, Demo};
use rostra_testkit::skip;
use serde_json::{json, Value};

/// Test cases per API operation (`ROSTRA_SCHEMATHESIS_EXAMPLES` overrides).
const EXAMPLES: &str = "20";

#[tokio::test]
async fn the_api_conforms_to_its_openapi_document() {
    let test = "the_api_conforms_to_its_openapi_document";
    let Some(st) =
        std::env::var_os("ROSTRA_SCHEMATHESIS").filter(|p| std::path::Path::new(p).is_file())
    else {
        skip(
            test,
            "ROSTRA_SCHEMATHESIS does not name a schemathesis binary (.ci/run installs one)",
        );
        return;
    };
    let examples = std::env::var("ROSTRA_SCHEMATHESIS_EXAMPLES").unwrap_or(EXAMPLES.into());
    let demo = Demo::start().await;
    let session = reader_session(&demo).await;
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(st)
        .current_dir(dir.path())
        .args(["run", &format!("{}/api/openapi.json", demo.base)])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            &examples,
            "--generation-database",
            "none",
            "--no-color",
            "--workers",
            "1",
            "--header",
            &format!("X-Rostra-Session: {session}"),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let cases = text
        .lines()
        .filter_map(|l| l.trim().split_once(" generated"))
        .map(|(n, _)| n.trim().to_string())
        .find(|n| n.parse::<u64>().is_ok())
        .unwrap_or_default();
    eprintln!("SCHEMATHESIS: {cases} test cases generated ({examples} per operation at most)");
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        cases.parse::<u64>().is_ok_and(|n| n > 0),
        "schemathesis ran no cases:\n{text}"
    );
}

/// A signed-in reader's session on the demo (through the site's SSO), so that schemathesis
/// reaches the account operations and not only their 401.
async fn reader_session(demo: &Demo) -> String {
    let out = rostra()
        .args(["site", "secret", "demo", "--database", &demo.database])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let secret = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = json!({"id": "st-1", "name": "Schema Reader", "email": "st@pub.example",
        "aud": "demo", "iat": now, "exp": now + 3600});
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap();
    let r = reqwest::Client::new()
        .post(format!("{}/api/sso", demo.base))
        .json(&json!({"site": "demo", "token": token}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{v}");
    v["session"].as_str().unwrap().to_string()
}
