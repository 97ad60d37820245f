//! `POST /api/admin/import?site=KEY[&format=F]`: a machine (the WordPress plugin) imports a
//! file into a site with the site's import token. The body is the file, streamed to a
//! temporary file within the admin page's size limit, then imported as the admin page's
//! upload is (all or nothing, nothing twice); the answer is the import's summary.

use super::ApiQuery;
use crate::admin::import_jobs::{self, ImportJob, ImportJobs};
use crate::client::{rate_limit, Client};
use crate::error::{ApiError, SiteTokenError};
use crate::importing::{self, ImportFailure, SavedUpload, UploadError};
use crate::ratelimit::Action;
use crate::site_tokens;
use crate::state::{now_ms, AppState};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use rostra_core::interchange::ImportSummary;
use rostra_core::moderation::NewAuditEntry;
use rostra_core::site::{SiteToken, TokenScope};
use rostra_core::Site;
use rostra_interchange::Format;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct ImportQuery {
    site: String,
    /// Recognized from the file's beginning when left out.
    format: Option<String>,
}

pub async fn import(
    State(state): State<Arc<AppState>>,
    client: Client,
    ApiQuery(q): ApiQuery<ImportQuery>,
    request: Request,
) -> Result<Response, ApiError> {
    rate_limit(&state, Action::Import, &client)?;
    let (site, token) =
        site_tokens::authorize(&state, request.headers(), &q.site, TokenScope::Import).await?;
    let format = match q.format.as_deref().filter(|f| !f.is_empty()) {
        Some(name) => Some(Format::parse(name).ok_or(ApiError::InvalidChoice(
            "format must be one of disqus, wxr, isso, remark42, commento, comentario, rostra",
        ))?),
        None => None,
    };
    let Some(interchange) = state.interchange.clone() else {
        return Err(failed(
            "this server cannot import; use rostra import".into(),
        ));
    };
    let saved = receive(&state, request).await?;
    let format = match format {
        Some(f) => f,
        None => importing::detect_file(&saved.path).map_err(|e| failed(e.to_string()))?,
    };
    let jobs = state
        .features
        .get::<ImportJobs>()
        .ok_or_else(|| failed("this server was started without imports".into()))?;
    let job = ImportJob {
        file_name: format!("upload with token {}", token.id),
        format: format.as_str().into(),
        ..ImportJob::default()
    };
    if !jobs.try_start(&site.key, job) {
        return Err(SiteTokenError::ImportRunning.into());
    }
    tracing::info!(site = %site.key, token = token.id, format = format.as_str(), "import with a site token");
    let path = saved.keep();
    let run = import_jobs::spawn(state.clone(), interchange, site.key.clone(), format, path);
    let outcome = run.await.unwrap_or_else(|e| {
        Err(ImportFailure::Store(rostra_core::Error::Store(
            rostra_core::StoreError::Other(format!("the import task failed: {e}")),
        )))
    });
    audit(&state, &site, &token, format, &outcome).await?;
    match outcome {
        Ok(summary) => Ok(axum::Json(summary).into_response()),
        Err(ImportFailure::Reading(why)) => Err(failed(why)),
        Err(ImportFailure::Store(e)) => Err(e.into()),
    }
}

fn failed(why: String) -> ApiError {
    SiteTokenError::ImportFailed(why).into()
}

/// The body, streamed to a temporary file within the admin page's limit.
async fn receive(state: &AppState, request: Request) -> Result<SavedUpload, ApiError> {
    let limit = state.config.import.max_upload_mb.saturating_mul(1 << 20);
    let body = request.into_body().into_data_stream();
    let saved = importing::save_upload(body, limit, |e: axum::Error| {
        UploadError::Broken(e.to_string())
    })
    .await
    .map_err(|e| match e {
        UploadError::TooLarge => ApiError::PayloadTooLarge,
        UploadError::Broken(why) => failed(format!("the upload broke off: {why}")),
    })?;
    if saved.size == 0 {
        return Err(SiteTokenError::EmptyUpload.into());
    }
    Ok(saved)
}

/// One audit line per import run with a token, however it ended.
async fn audit(
    state: &AppState,
    site: &Site,
    token: &SiteToken,
    format: Format,
    outcome: &Result<ImportSummary, ImportFailure>,
) -> Result<(), ApiError> {
    let label = token.label.as_deref().unwrap_or("no label");
    let what = match outcome {
        Ok(s) => format!(
            "{} comments imported, {} already imported, {} skipped",
            s.comments_imported,
            s.comments_already_imported,
            s.skipped.len()
        ),
        Err(e) => format!("failed, nothing imported: {e}"),
    };
    let entry = NewAuditEntry {
        at: now_ms(),
        actor: None,
        action: "site.import".into(),
        target: format!("site:{}", site.key),
        site_id: Some(site.id),
        reason: None,
        detail: format!("token {} ({label}), {}: {what}", token.id, format.as_str()),
    };
    state.store.append_audit(entry).await.map_err(Into::into)
}
