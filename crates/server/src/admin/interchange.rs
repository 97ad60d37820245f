//! The "Import / export" page of a site (admins only): upload a file to import in the
//! background with its progress shown, and download an export.

use super::import_jobs::{ImportJob, ImportJobs};
use super::session::Moderator;
use super::view::Nav;
use super::{AdminError, Page};
use crate::error::ApiError;
use crate::importing;
use crate::state::AppState;
use askama::Template;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rostra_interchange::Format;
use serde::Deserialize;
use std::io::Write;
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
    if jobs.get(&key).is_some_and(|j| !j.done) {
        return Err(AdminError::BadRequest(
            "An import into this site is running already.".into(),
        ));
    }
    let multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|e| AdminError::BadRequest(format!("The upload is not a file form: {e}")))?;
    let (path, file_name, format) = receive(multipart, state.config.import.max_upload_mb).await?;
    let format = match format {
        Some(f) => f,
        None => importing::detect_file(&path).map_err(|e| {
            let _ = std::fs::remove_file(&path);
            AdminError::BadRequest(e.to_string())
        })?,
    };
    let job = ImportJob {
        file_name,
        format: format.as_str().into(),
        ..ImportJob::default()
    };
    jobs.start(&key, job);
    tracing::info!(site = %key, format = format.as_str(), "import started from the admin page");
    tokio::spawn(run_import(
        state.clone(),
        interchange,
        key.clone(),
        format,
        path,
    ));
    Ok(Redirect::to(&format!("/admin/sites/{key}/interchange")).into_response())
}

/// Streams the form's file to a temporary file, refusing more than `max_mb` MiB.
async fn receive(
    mut multipart: Multipart,
    max_mb: u64,
) -> Result<(std::path::PathBuf, String, Option<Format>), AdminError> {
    let bad = |m: String| AdminError::BadRequest(m);
    // The body limit of the import route ends the stream with a 413 of its own.
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AdminError::Api(ApiError::PayloadTooLarge)
        } else {
            AdminError::BadRequest(e.to_string())
        }
    };
    let path = std::env::temp_dir().join(format!(
        "rostra-import-{}",
        rostra_core::privacy::random_token()
    ));
    let (mut format, mut name, mut size) = (None, None, 0u64);
    let limit = max_mb * 1024 * 1024;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("format") => {
                let text = field.text().await.map_err(broken)?;
                if !text.is_empty() {
                    format = Some(
                        Format::parse(&text)
                            .ok_or_else(|| bad(format!("Unknown format {text}.")))?,
                    );
                }
            }
            Some("file") => {
                name = Some(field.file_name().unwrap_or("upload").to_string());
                let mut out = std::fs::File::create(&path).map_err(|e| bad(e.to_string()))?;
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    size += chunk.len() as u64;
                    if size > limit {
                        drop(out);
                        let _ = std::fs::remove_file(&path);
                        tracing::info!(max_mb, "an import upload was over the limit");
                        return Err(AdminError::Api(ApiError::PayloadTooLarge));
                    }
                    out.write_all(&chunk).map_err(|e| bad(e.to_string()))?;
                }
            }
            _ => {}
        }
    }
    match name {
        Some(n) if size > 0 => Ok((path, n, format)),
        _ => {
            let _ = std::fs::remove_file(&path);
            Err(bad("No file was uploaded.".into()))
        }
    }
}

async fn run_import(
    state: Arc<AppState>,
    interchange: Arc<dyn rostra_core::interchange::Interchange>,
    key: String,
    format: Format,
    path: std::path::PathBuf,
) {
    let mut reader = importing::spawn_reader(format, path.clone());
    let progress_state = state.clone();
    let progress_key = key.clone();
    let mut progress = move |read: u64| {
        if let Some(jobs) = progress_state.features.get::<ImportJobs>() {
            jobs.update(&progress_key, |j| j.read = read);
        }
    };
    let outcome = interchange
        .import(&key, format.as_str(), &mut reader, &mut progress)
        .await;
    let _ = std::fs::remove_file(&path);
    // Imported threads must not be served from stale cached pages.
    state.threads.clear();
    let outcome = outcome.map_err(|e| reader.failure().unwrap_or_else(|| e.to_string()));
    if let Some(jobs) = state.features.get::<ImportJobs>() {
        jobs.update(&key, |j| {
            j.done = true;
            match outcome {
                Ok(summary) => j.summary = Some(summary),
                Err(why) => j.error = Some(why),
            }
        });
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
    let path = std::env::temp_dir().join(format!(
        "rostra-export-{}",
        rostra_core::privacy::random_token()
    ));
    let written = write_export(interchange.as_ref(), &key, &path, wxr).await;
    let file = match written {
        Ok(()) => tokio::fs::File::open(&path)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    // Unlinked now; the open handle keeps the data until the download is sent.
    let _ = tokio::fs::remove_file(&path).await;
    let file = file.map_err(|e| AdminError::BadRequest(format!("The export failed: {e}")))?;
    let (kind, ext) = if wxr {
        ("application/xml; charset=utf-8", "xml")
    } else {
        ("application/x-ndjson; charset=utf-8", "jsonl")
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"rostra-{key}.{ext}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(chunks(file)),
    )
        .into_response())
}

/// A file as a stream of chunks.
fn chunks(
    file: tokio::fs::File,
) -> impl futures::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static {
    futures::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(bytes::Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    })
}

async fn write_export(
    interchange: &dyn rostra_core::interchange::Interchange,
    key: &str,
    path: &std::path::Path,
    wxr: bool,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let out = std::io::BufWriter::new(std::fs::File::create(path)?);
    if wxr {
        let mut writer: Option<rostra_interchange::wxr_export::Writer<_>> = None;
        let mut out = Some(out);
        interchange
            .export(key, &mut |site, record| {
                if writer.is_none() {
                    let o = out
                        .take()
                        .ok_or_else(|| std::io::Error::other("no output"))?;
                    writer = Some(rostra_interchange::wxr_export::Writer::new(o, &site.name)?);
                }
                match writer.as_mut() {
                    Some(w) => w.write(&record),
                    None => Ok(()),
                }
            })
            .await?;
        match (writer, out) {
            (Some(w), _) => drop(w.finish()?),
            (None, Some(o)) => drop(rostra_interchange::wxr_export::Writer::new(o, key)?.finish()?),
            (None, None) => {}
        }
    } else {
        let mut writer = rostra_interchange::rostra::Writer::new(out)?;
        interchange
            .export(key, &mut |_, record| writer.write(&record))
            .await?;
        writer.finish()?;
    }
    Ok(())
}
