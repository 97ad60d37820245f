//! The demo article at `/demo`: a news story with the thread embedded exactly as a publisher
//! would embed it, with the plain HTML thread inside the container for readers without JS.

use super::thread::{fragment, ThreadParams};
use super::{page, HtmlError};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use std::sync::Arc;

/// The demo site's key.
pub const DEMO_SITE: &str = "demo";

#[derive(Template)]
#[template(path = "demo.html")]
struct DemoPage {
    page_url: String,
    fragment: String,
}

pub fn demo_url(public_origin: &str) -> String {
    format!("{public_origin}/demo")
}

pub async fn get_demo(State(state): State<Arc<AppState>>) -> Result<Response, HtmlError> {
    let site = state.sites.get(DEMO_SITE).await?;
    let page_url = demo_url(&state.public_origin);
    let params = ThreadParams {
        site: DEMO_SITE.into(),
        url: page_url.clone(),
        ..Default::default()
    };
    let f = fragment(&state, &site, &params, page_url.clone(), None).await?;
    let fragment = f.render().map_err(|e| {
        crate::error::ApiError::Domain(rostra_core::StoreError::Other(e.to_string()).into())
    })?;
    let mut response = page(StatusCode::OK, DemoPage { page_url, fragment });
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::security_headers::DEMO_PAGE),
    );
    Ok(response)
}
