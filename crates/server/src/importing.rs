//! Reading an import file on a blocking thread and handing its records over a bounded channel,
//! for `rostra import` and the admin page alike.

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
