//! The imports of a site run on the server, by site key (from the admin page or a site
//! token): the one running or the last finished, with how far it got. The import feature's own
//! state (put in when the server starts), and running an import as the site's job.

use crate::importing::{import_saved, ImportFailure};
use crate::state::AppState;
use rostra_core::interchange::{ImportSummary, Interchange};
use rostra_interchange::Format;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;

/// An import started from the admin page: how far it got, and how it ended.
#[derive(Debug, Clone, Default)]
pub struct ImportJob {
    pub file_name: String,
    pub format: String,
    pub read: u64,
    pub done: bool,
    pub error: Option<String>,
    pub summary: Option<ImportSummary>,
}

#[derive(Default)]
pub struct ImportJobs(Mutex<HashMap<String, ImportJob>>);

impl ImportJobs {
    /// The site's running or last import.
    pub fn get(&self, key: &str) -> Option<ImportJob> {
        self.0.lock().ok()?.get(key).cloned()
    }

    /// Starts keeping `job` as the site's import.
    pub fn start(&self, key: &str, job: ImportJob) {
        if let Ok(mut jobs) = self.0.lock() {
            jobs.insert(key.to_string(), job);
        }
    }

    /// Starts keeping `job` as the site's import unless one is running; answers whether it
    /// started.
    pub fn try_start(&self, key: &str, job: ImportJob) -> bool {
        let Ok(mut jobs) = self.0.lock() else {
            return false;
        };
        if jobs.get(key).is_some_and(|j| !j.done) {
            return false;
        }
        jobs.insert(key.to_string(), job);
        true
    }

    /// Changes the site's import, if there is one.
    pub fn update(&self, key: &str, change: impl FnOnce(&mut ImportJob)) {
        if let Ok(mut jobs) = self.0.lock() {
            if let Some(job) = jobs.get_mut(key) {
                change(job);
            }
        }
    }
}

/// Imports a saved file as the site's job (started with `try_start`), in a task of its own: it
/// ends, and the job with it, even when the request that started it goes away. The handle
/// answers how it ended.
pub fn spawn(
    state: Arc<AppState>,
    interchange: Arc<dyn Interchange>,
    key: String,
    format: Format,
    path: PathBuf,
) -> JoinHandle<Result<ImportSummary, ImportFailure>> {
    tokio::spawn(async move {
        let jobs = state.features.get::<ImportJobs>();
        let mut progress = |read: u64| {
            if let Some(jobs) = jobs {
                jobs.update(&key, |j| j.read = read);
            }
        };
        let outcome = import_saved(
            &state,
            interchange.as_ref(),
            &key,
            format,
            path,
            &mut progress,
        )
        .await;
        if let Some(jobs) = jobs {
            jobs.update(&key, |j| {
                j.done = true;
                match &outcome {
                    Ok(summary) => j.summary = Some(summary.clone()),
                    Err(why) => j.error = Some(why.to_string()),
                }
            });
        }
        outcome
    })
}
