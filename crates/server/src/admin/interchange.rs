//! The "Import / export" page of a site (admins only): upload a file to import in the
//! background with its progress shown, and download an export.

use super::import_jobs::{self, ImportJob, ImportJobs};
use super::session::Moderator;
use super::view::Nav;
use super::{AdminError, Page};
use crate::error::ApiError;
use crate::exporting;
use crate::importing::{self, SavedUpload, UploadError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rostra_interchange::Format;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "admin/interchange.html")]
struct InterchangePage {
    nav: Nav,
    csrf: String,
    key: String,
    max_mb: u64,
    formats: Vec<&'static str>,
    running: bool,
    job: Option<JobView>,
}

struct JobView {
    file_name: String,
    format: String,
    read: u64,
    error: Option<String>,
    threads_imported: u64,
    threads_matched: u64,
    comments_imported: u64,
    comments_already: u64,
    authors: u64,
    orphans: u64,
    skipped: Vec<(String, String)>,
}

fn view(j: &ImportJob) -> JobView {
    let s = j.summary.clone().unwrap_or_default();
    JobView {
        file_name: j.file_name.clone(),
        format: j.format.clone(),
        read: j.read,
        error: j.error.clone(),
        threads_imported: s.threads_imported,
        threads_matched: s.threads_matched,
        comments_imported: s.comments_imported,
        comments_already: s.comments_already_imported,
        authors: s.authors_imported,
        orphans: s.orphans_attached_top_level,
        skipped: s.skipped.into_iter().map(|k| (k.item, k.reason)).collect(),
    }
}

async fn admin_site(state: &AppState, m: &Moderator, key: &str) -> Result<(), AdminError> {
    m.require_admin()?;
    match state.store.site_by_key(key).await? {
        Some(_) => Ok(()),
        None => Err(AdminError::BadRequest(format!(
            "No site has the key '{key}'."
        ))),
    }
}

fn job_of(state: &AppState, key: &str) -> Option<ImportJob> {
    state.features.get::<ImportJobs>()?.get(key)
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(key): Path<String>,
) -> Result<Response, AdminError> {
    admin_site(&state, &m, &key).await?;
    let job = job_of(&state, &key);
    Ok(Page(
        StatusCode::OK,
        InterchangePage {
            nav: Nav::new(&state, &m),
            csrf: m.csrf.clone(),
            running: job.as_ref().is_some_and(|j| !j.done),
            job: job.as_ref().map(view),
            key,
            max_mb: state.config.import.max_upload_mb,
            formats: Format::ALL.iter().map(|f| f.as_str()).collect(),
        },
    )
    .into_response())
}

#[derive(Deserialize)]
pub struct CsrfQuery {
    csrf: Option<String>,
}

/// Receives the upload into a temporary file, then imports it in the background.
pub async fn upload(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(key): Path<String>,
    Query(q): Query<CsrfQuery>,
    request: Request,
) -> Result<Response, AdminError> {
    m.check_csrf(q.csrf.as_deref())?;
    admin_site(&state, &m, &key).await?;
    let Some(interchange) = state.interchange.clone() else {
        return Err(AdminError::BadRequest(
            "This server cannot import from the admin pages; use rostra import.".into(),
        ));
    };
    let Some(jobs) = state.features.get::<ImportJobs>() else {
        return Err(AdminError::BadRequest(
            "This server was started without imports from the admin pages.".into(),
        ));
    };
    let multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|e| AdminError::BadRequest(format!("The upload is not a file form: {e}")))?;
    let (saved, file_name, format) = receive(multipart, state.config.import.max_upload_mb).await?;
    let format = match format {
        Some(f) => f,
        None => importing::detect_file(&saved.path)
            .map_err(|e| AdminError::BadRequest(e.to_string()))?,
    };
    let job = ImportJob {
        file_name,
        format: format.as_str().into(),
        ..ImportJob::default()
    };
    if !jobs.try_start(&key, job) {
        return Err(AdminError::BadRequest(
            "An import into this site is running already.".into(),
        ));
    }
    tracing::info!(site = %key, format = format.as_str(), "import started from the admin page");
    drop(import_jobs::spawn(
        state.clone(),
        interchange,
        key.clone(),
        format,
        saved.keep(),
    ));
    Ok(Redirect::to(&format!("/admin/sites/{key}/interchange")).into_response())
}

/// Streams the form's file to a temporary file, refusing more than `max_mb` MiB.
async fn receive(
    mut multipart: Multipart,
    max_mb: u64,
) -> Result<(SavedUpload, String, Option<Format>), AdminError> {
    let bad = |m: String| AdminError::BadRequest(m);
    // The body limit of the import route ends the stream with a 413 of its own.
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            UploadError::TooLarge
        } else {
            UploadError::Broken(e.to_string())
        }
    };
    let upload_error = |e: UploadError| match e {
        UploadError::TooLarge => AdminError::Api(ApiError::PayloadTooLarge),
        UploadError::Broken(why) => bad(why),
    };
    let (mut format, mut file) = (None, None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| upload_error(broken(e)))?
    {
        match field.name() {
            Some("format") => {
                let text = field.text().await.map_err(|e| upload_error(broken(e)))?;
                if !text.is_empty() {
                    format = Some(
                        Format::parse(&text)
                            .ok_or_else(|| bad(format!("Unknown format {text}.")))?,
                    );
                }
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                let saved = importing::save_upload(field, max_mb * 1024 * 1024, broken)
                    .await
                    .map_err(upload_error)?;
                file = Some((saved, name));
            }
            _ => {}
        }
    }
    match file {
        Some((saved, name)) if saved.size > 0 => Ok((saved, name, format)),
        _ => Err(bad("No file was uploaded.".into())),
    }
}

#[derive(Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
}

/// The site as a file download, written to a temporary file first (so memory stays bounded)
/// and then streamed.
pub async fn export(
    State(state): State<Arc<AppState>>,
    m: Moderator,
    Path(key): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AdminError> {
    admin_site(&state, &m, &key).await?;
    let Some(interchange) = state.interchange.clone() else {
        return Err(AdminError::BadRequest(
            "This server cannot export; use rostra export.".into(),
        ));
    };
    let wxr = match q.format.as_deref().unwrap_or("rostra") {
        "rostra" => false,
        "wxr" => true,
        other => {
            return Err(AdminError::BadRequest(format!(
                "Unknown export format {other}."
            )))
        }
    };
    exporting::download(interchange.as_ref(), &key, wxr)
        .await
        .map_err(|e| AdminError::BadRequest(format!("The export failed: {e}")))
}
