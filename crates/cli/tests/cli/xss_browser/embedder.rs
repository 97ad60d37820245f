//! A publisher's web server for the XSS test: article pages that embed the widget, on an origin
//! of their own (as on a real news site), and any other document a place needs to open in the
//! browser (an e-mail's HTML, say), served from memory.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Documents = Arc<Mutex<HashMap<String, (String, String)>>>;

/// The publisher's server; stops with the test's runtime.
pub struct Embedder {
    pub origin: String,
    documents: Documents,
}

impl Embedder {
    pub async fn start() -> Embedder {
        let documents: Documents = Arc::default();
        let app = axum::Router::new()
            .route("/{*path}", get(serve))
            .with_state(documents.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Embedder { origin, documents }
    }

    /// Serves `body` as `content_type` at `path` (starting with `/`); answers its URL.
    pub fn put(&self, path: &str, content_type: &str, body: String) -> String {
        self.documents
            .lock()
            .unwrap()
            .insert(path.to_string(), (content_type.to_string(), body));
        format!("{}{path}", self.origin)
    }

    /// An article page embedding the widget for the thread of `page_url` on `site`, with
    /// Rostra at `rostra`; answers its URL.
    pub fn article(&self, path: &str, rostra: &str, site: &str, page_url: &str) -> String {
        let html = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Article</title>\
             </head><body><h1>An article</h1><div id=\"rostra-thread\" data-rostra-site=\"{}\" \
             data-rostra-url=\"{}\" data-rostra-title=\"An article\"></div>\
             <script src=\"{}/embed.js\" async></script></body></html>",
            attr(site),
            attr(page_url),
            attr(rostra)
        );
        self.put(path, "text/html; charset=utf-8", html)
    }
}

async fn serve(State(docs): State<Documents>, Path(path): Path<String>) -> Response {
    match docs.lock().unwrap().get(&format!("/{path}")) {
        Some((ct, body)) => ([(header::CONTENT_TYPE, ct.clone())], body.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `s` escaped for HTML text and attribute values.
pub fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
