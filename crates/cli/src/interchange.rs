//! `rostra import` and `rostra export`: a file read as a stream of records on a blocking thread,
//! written into the database in one transaction; a site written out as our JSON lines or WXR.

use anyhow::Context;
use rostra_interchange::{detect, isso, Format, ImportSummary, ReadError, Record};
use rostra_server::Config;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// Records in flight between the reader and the database; bounds memory.
const IN_FLIGHT: usize = 2048;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The key of the site the threads go to (see `rostra site list`).
    #[arg(long)]
    site: String,
    /// The file's format; recognized from its content when left out.
    #[arg(long, value_parser = ["disqus", "wxr", "isso", "remark42", "commento", "comentario", "rostra"])]
    format: Option<String>,
    /// Database URL, e.g. sqlite://rostra.db.
    #[arg(long)]
    pub database: Option<String>,
    /// The export file (an Isso import takes its comments.db).
    file: PathBuf,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The key of the site to export.
    #[arg(long)]
    site: String,
    /// `rostra` (our JSON lines, everything) or `wxr` (WordPress).
    #[arg(long, value_parser = ["rostra", "wxr"], default_value = "rostra")]
    format: String,
    /// Where to write; standard output when left out.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Database URL, e.g. sqlite://rostra.db.
    #[arg(long)]
    pub database: Option<String>,
}

pub async fn import(config: &Config, args: ImportArgs) -> anyhow::Result<ImportSummary> {
    let format = match args.format.as_deref() {
        Some(name) => Format::parse(name).context("unknown format")?,
        None => detect_file(&args.file)?,
    };
    eprintln!("importing {} as {}", args.file.display(), format.as_str());
    let failure = Arc::new(Mutex::new(None));
    let records = spawn_reader(format, args.file.clone(), failure.clone());
    let mut last_report = 0u64;
    let mut progress = |read: u64| {
        if read >= last_report + 50_000 {
            last_report = read;
            eprintln!("  {read} comments read");
        }
    };
    let summary = rostra_store::interchange::import_records(
        &config.database.url,
        &args.site,
        format.as_str(),
        records,
        &mut progress,
    )
    .await
    .map_err(|e| {
        // A reading error says best what is wrong; a storage error otherwise.
        let reading = failure.lock().ok().and_then(|mut f| f.take());
        anyhow::anyhow!(
            "{}; nothing was imported",
            reading.unwrap_or_else(|| e.to_string())
        )
    })?;
    print_summary(&summary)?;
    Ok(summary)
}

fn detect_file(path: &Path) -> anyhow::Result<Format> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut input = BufReader::new(file);
    Ok(detect::detect(&mut input)?)
}

/// Reads the file on a blocking thread; the receiver gets every record, then `Ok(None)` at the
/// end of the file or `Err` when reading failed (also kept in `failure`).
pub fn spawn_reader(
    format: Format,
    path: PathBuf,
    failure: Arc<Mutex<Option<String>>>,
) -> rostra_store::interchange::RecordStream {
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let sender = tx.clone();
        let mut emit = move |record: Record| {
            futures_send(&sender, Ok(Some(record))).map_err(|()| ReadError::Stopped)
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
        let _ = futures_send(&tx, last);
    });
    rx
}

type Item = Result<Option<Record>, String>;

fn futures_send(tx: &mpsc::Sender<Item>, item: Item) -> Result<(), ()> {
    futures::executor::block_on(tx.send(item)).map_err(drop)
}

fn read_file(
    format: Format,
    path: &Path,
    emit: &mut rostra_interchange::Emit<'_>,
) -> Result<(), ReadError> {
    let file = File::open(path)?;
    let mut input = BufReader::with_capacity(256 * 1024, file);
    rostra_interchange::read(format, &mut input, emit)
}

fn is_sqlite_file(path: &Path) -> bool {
    let mut head = [0u8; 16];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && isso::is_sqlite(&head)
}

/// The summary at the end: counts, then every skipped item with its reason.
fn print_summary(s: &ImportSummary) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "threads imported:          {}", s.threads_imported)?;
    writeln!(out, "threads matched existing:  {}", s.threads_matched)?;
    writeln!(out, "comments imported:         {}", s.comments_imported)?;
    writeln!(
        out,
        "comments already imported: {}",
        s.comments_already_imported
    )?;
    writeln!(out, "authors imported:          {}", s.authors_imported)?;
    writeln!(
        out,
        "replies without parent:    {} (imported at the top level)",
        s.orphans_attached_top_level
    )?;
    writeln!(out, "skipped:                   {}", s.skipped.len())?;
    for skip in &s.skipped {
        writeln!(out, "  skipped {}: {}", skip.item, skip.reason)?;
    }
    Ok(())
}

pub async fn export(config: &Config, args: ExportArgs) -> anyhow::Result<()> {
    let out: Box<dyn Write + Send> = match &args.output {
        Some(path) => {
            Box::new(File::create(path).with_context(|| format!("creating {}", path.display()))?)
        }
        None => Box::new(std::io::stdout()),
    };
    let out = BufWriter::with_capacity(256 * 1024, out);
    let url = &config.database.url;
    match args.format.as_str() {
        "wxr" => {
            let mut writer: Option<rostra_interchange::wxr_export::Writer<_>> = None;
            let mut out = Some(out);
            rostra_store::interchange::export_site(url, &args.site, &mut |site, record| {
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
                // A site without threads: an empty channel.
                (None, Some(o)) => {
                    drop(rostra_interchange::wxr_export::Writer::new(o, &args.site)?.finish()?)
                }
                (None, None) => {}
            }
        }
        _ => {
            let mut writer = rostra_interchange::rostra::Writer::new(out)?;
            rostra_store::interchange::export_site(url, &args.site, &mut |_, record| {
                writer.write(&record)
            })
            .await?;
            writer.finish()?;
        }
    }
    Ok(())
}
