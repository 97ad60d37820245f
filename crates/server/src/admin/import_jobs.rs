//! The admin page's imports, by site key: the one running or the last finished, with how far
//! it got. The import feature's own state (put in when the server starts).

use rostra_core::interchange::ImportSummary;
use std::collections::HashMap;
use std::sync::Mutex;

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

    /// Changes the site's import, if there is one.
    pub fn update(&self, key: &str, change: impl FnOnce(&mut ImportJob)) {
        if let Ok(mut jobs) = self.0.lock() {
            if let Some(job) = jobs.get_mut(key) {
                change(job);
            }
        }
    }
}
