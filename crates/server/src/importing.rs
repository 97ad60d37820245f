//! Reading an import file on a blocking thread and handing its records over a bounded channel,
//! for `rostra import`, the admin page and the machine import alike; saving an upload to a
//! temporary file within a size limit, and importing a saved file.

use rostra_core::interchange::{Body, Record, RecordSource};
use rostra_interchange::{detect, isso, Format, ReadError};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// Records in flight between the reader and the database; bounds memory.
const IN_FLIGHT: usize = 2048;

type Item = Result<Option<Record>, String>;

/// The receiving end of a reader thread.
pub struct Reader {
    rx: mpsc::Receiver<Item>,
    /// Why reading failed, when it did (kept for a clearer message than the store's).
    pub failure: Arc<Mutex<Option<String>>>,
}

#[async_trait::async_trait]
impl RecordSource for Reader {
    async fn next(&mut self) -> Option<Item> {
        self.rx.recv().await
    }
}

impl Reader {
    /// The reading error, if reading failed.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|f| f.clone())
    }
}

/// The format of the file, recognized from its beginning.
pub fn detect_file(path: &Path) -> Result<Format, ReadError> {
    let mut input = BufReader::new(File::open(path)?);
    detect::detect(&mut input)
}

/// Starts reading `path` as `format` on a blocking thread.
pub fn spawn_reader(format: Format, path: PathBuf) -> Reader {
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    let failure = Arc::new(Mutex::new(None));
    let reader = Reader {
        rx,
        failure: failure.clone(),
    };
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let sender = tx.clone();
        let mut emit = move |record: Record| {
            let record = match record {
                Record::Comment(mut c) => {
                    c.body =
                        std::mem::replace(&mut c.body, Body::Markdown(String::new())).prepared();
                    Record::Comment(c)
                }
                other => other,
            };
            send(&sender, Ok(Some(record))).map_err(|()| ReadError::Stopped)
        };
        let outcome = if format == Format::Isso && is_sqlite_file(&path) {
            runtime.block_on(isso::read_database(&path, &mut emit))
        } else {
            read_file(format, &path, &mut emit)
        };
        let last = match outcome {
            Ok(()) => Ok(None),
            Err(ReadError::Stopped) => return,
            Err(e) => {
                let message = format!("cannot import {}: {e}", path.display());
                if let Ok(mut f) = failure.lock() {
                    *f = Some(message.clone());
                }
                Err(message)
            }
        };
        let _ = send(&tx, last);
    });
    reader
}

/// Sends from the blocking thread (also inside the Isso reader's own `block_on`, where tokio's
/// `blocking_send` may not be used).
fn send(tx: &mpsc::Sender<Item>, item: Item) -> Result<(), ()> {
    futures::executor::block_on(tx.send(item)).map_err(drop)
}

fn read_file(
    format: Format,
    path: &Path,
    emit: &mut rostra_interchange::Emit<'_>,
) -> Result<(), ReadError> {
    let mut input = BufReader::with_capacity(256 * 1024, File::open(path)?);
    rostra_interchange::read(format, &mut input, emit)
}

fn is_sqlite_file(path: &Path) -> bool {
    let mut head = [0u8; 16];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && isso::is_sqlite(&head)
}

/// Why an upload was not saved.
#[derive(Debug)]
pub enum UploadError {
    /// Over the limit (the file is removed).
    TooLarge,
    /// The body ended early or could not be written (the text says why).
    Broken(String),
}

/// A saved upload in a temporary file: removed when dropped unless kept, so that an upload
/// that breaks off (or whose request goes away) leaves nothing behind.
pub struct SavedUpload {
    pub path: PathBuf,
    pub size: u64,
    keep: bool,
}

impl SavedUpload {
    /// Hands the file over to whoever removes it next (the import).
    pub fn keep(mut self) -> PathBuf {
        self.keep = true;
        self.path.clone()
    }
}

impl Drop for SavedUpload {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Streams `chunks` to a fresh temporary file, refusing more than `max_bytes`; `broken` says
/// what a failing chunk means.
pub async fn save_upload<S, E>(
    chunks: S,
    max_bytes: u64,
    broken: impl Fn(E) -> UploadError,
) -> Result<SavedUpload, UploadError>
where
    S: futures::Stream<Item = Result<bytes::Bytes, E>>,
{
    use futures::StreamExt;
    use tokio::io::AsyncWriteExt;
    let mut chunks = std::pin::pin!(chunks);
    let mut saved = SavedUpload {
        path: std::env::temp_dir().join(format!(
            "rostra-import-{}",
            rostra_core::privacy::random_token()
        )),
        size: 0,
        keep: false,
    };
    let io = |e: std::io::Error| UploadError::Broken(e.to_string());
    let mut out = tokio::fs::File::create(&saved.path).await.map_err(io)?;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(&broken)?;
        saved.size += chunk.len() as u64;
        if saved.size > max_bytes {
            tracing::info!(max_bytes, "an import upload was over the limit");
            return Err(UploadError::TooLarge);
        }
        out.write_all(&chunk).await.map_err(io)?;
    }
    out.flush().await.map_err(io)?;
    Ok(saved)
}

/// Imports a saved file into the site, all or nothing, then removes the file and drops the
/// cached pages (imported threads must not be served stale). The error says best what went
/// wrong: the reading error when reading failed, the store's otherwise.
pub async fn import_saved(
    state: &crate::state::AppState,
    interchange: &dyn rostra_core::interchange::Interchange,
    key: &str,
    format: Format,
    path: PathBuf,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<rostra_core::interchange::ImportSummary, ImportFailure> {
    let mut reader = spawn_reader(format, path.clone());
    let outcome = interchange
        .import(key, format.as_str(), &mut reader, progress)
        .await;
    let _ = std::fs::remove_file(&path);
    state.threads.clear();
    outcome.map_err(|e| match reader.failure() {
        Some(why) => ImportFailure::Reading(why),
        None => ImportFailure::Store(e),
    })
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportFailure {
    /// The file is not what its format says (the text says where).
    Reading(String),
    /// The database failed or refused.
    Store(rostra_core::Error),
}

impl std::fmt::Display for ImportFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportFailure::Reading(why) => f.write_str(why),
            ImportFailure::Store(e) => write!(f, "{e}"),
        }
    }
}
