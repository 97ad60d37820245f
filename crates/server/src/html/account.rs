//! The page an address-check link opens: confirms the address and points back to the article.

use crate::accounts::links;
use crate::state::AppState;
use crate::text::escape;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use rostra_core::account::LinkPurpose;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    pub token: String,
    pub back: Option<String>,
}

pub async fn verify(State(state): State<Arc<AppState>>, Query(q): Query<VerifyQuery>) -> Response {
    let back = q
        .back
        .filter(|b| b.starts_with("https://") || b.starts_with("http://"))
        .map(|b| format!(r#"<p><a href="{}">Back to the article</a></p>"#, escape(&b)))
        .unwrap_or_default();
    let confirmed = match links::use_link(&state, &q.token, LinkPurpose::Verify).await {
        Ok(_) => true,
        Err(_) => {
            let hash = rostra_core::privacy::hash_token(&q.token);
            let guest = state
                .store
                .use_guest_link(&hash, crate::state::now_ms())
                .await;
            matches!(guest, Ok(Some(_)))
        }
    };
    match confirmed {
        true => page(
            StatusCode::OK,
            "Address confirmed",
            &format!("<p>Your e-mail address is confirmed. You can sign in and comment now.</p>{back}"),
        ),
        false => page(
            StatusCode::BAD_REQUEST,
            "Link not valid",
            "<p>This link is not valid any more (it works once, for a limited time). Sign up again or ask for a sign-in link.</p>",
        ),
    }
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title></head>\
         <body><h1>{title}</h1>{body}</body></html>"
    );
    (status, Html(html)).into_response()
}
