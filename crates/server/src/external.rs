//! The optional external classifier: each comment is POSTed, signed with HMAC-SHA256, to a URL
//! the operator configured; off unless configured, so nothing leaves the server by default.
//!
//! Request: `{"site", "url", "body", "author_name"}` with `X-Rostra-Signature: sha256=HEX` over
//! the body. Answer: `{"verdict": "allow" | "hold" | "reject", "reason"?: "…", "score"?: 0.93}`.

use crate::state::AppState;
use hmac::{Hmac, Mac};
use rostra_core::moderation::{Reason, Verdict};
use rostra_core::Site;
use serde::Deserialize;
use sha2::Sha256;
use std::time::Duration;

#[derive(Deserialize)]
struct Answer {
    verdict: Verdict,
    reason: Option<String>,
    score: Option<f32>,
}

pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!(
        "sha256={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// The classifier's reason, or `None` when none is configured or it allowed the comment.
pub async fn classify(
    state: &AppState,
    site: &Site,
    url: &str,
    body: &str,
    name: Option<&str>,
) -> Option<Reason> {
    let m = &state.config.moderation;
    if m.external_url.is_empty() {
        return None;
    }
    let payload =
        serde_json::json!({"site": site.key, "url": url, "body": body, "author_name": name});
    let bytes = serde_json::to_vec(&payload).ok()?;
    let answer = async {
        let r = state
            .http
            .post(&m.external_url)
            .header("content-type", "application/json")
            .header("x-rostra-signature", signature(&m.external_secret, &bytes))
            .timeout(Duration::from_millis(m.external_timeout_ms))
            .body(bytes.clone())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !r.status().is_success() {
            return Err(format!("answered {}", r.status()));
        }
        r.json::<Answer>().await.map_err(|e| e.to_string())
    };
    match answer.await {
        Ok(a) if a.verdict == Verdict::Allow => None,
        Ok(a) => Some(Reason {
            check: "external".into(),
            verdict: a.verdict,
            detail: a.reason.unwrap_or_else(|| "the external classifier".into()),
            score: a.score,
            spans: Vec::new(),
        }),
        Err(e) => {
            tracing::warn!(error = %e, "external classifier failed");
            (!m.external_fail_open).then(|| Reason {
                check: "external".into(),
                verdict: Verdict::Hold,
                detail: "the external classifier did not answer (held: fail-closed)".into(),
                score: None,
                spans: Vec::new(),
            })
        }
    }
}
