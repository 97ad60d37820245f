//! `GET /api/admin/export?site=KEY&format=wxr|rostra`: a machine (the WordPress plugin, when a
//! site moves back) downloads everything of a site with the site's export token.

use super::ApiQuery;
use crate::client::{rate_limit, Client};
use crate::error::{ApiError, SiteTokenError};
use crate::exporting;
use crate::ratelimit::Action;
use crate::site_tokens;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use rostra_core::site::TokenScope;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct ExportQuery {
    site: String,
    /// `rostra` (our JSON lines, the default) or `wxr`.
    format: Option<String>,
}

pub async fn export(
    State(state): State<Arc<AppState>>,
    client: Client,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    rate_limit(&state, Action::Import, &client)?;
    let (site, token) =
        site_tokens::authorize(&state, &headers, &q.site, TokenScope::Export).await?;
    let wxr = match q.format.as_deref().unwrap_or("rostra") {
        "rostra" => false,
        "wxr" => true,
        _ => return Err(ApiError::InvalidChoice("format must be rostra or wxr")),
    };
    let Some(interchange) = state.interchange.clone() else {
        return Err(SiteTokenError::ImportFailed("this server cannot export".into()).into());
    };
    tracing::info!(site = %site.key, token = token.id, wxr, "export with a site token");
    exporting::download(interchange.as_ref(), &site.key, wxr)
        .await
        .map_err(|e| {
            rostra_core::Error::Store(rostra_core::StoreError::Other(format!(
                "the export failed: {e}"
            )))
            .into()
        })
}
