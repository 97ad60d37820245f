//! `rostra import` and `rostra export`: a file read as a stream of records on a blocking thread,
//! written into the database in one transaction; a site written out as our JSON lines or WXR.

use anyhow::Context;
use rostra_interchange::{Format, ImportSummary};
use rostra_server::importing;
use rostra_server::Config;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

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
        None => importing::detect_file(&args.file)?,
    };
    eprintln!("importing {} as {}", args.file.display(), format.as_str());
    let mut records = importing::spawn_reader(format, args.file.clone());
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
        &mut records,
        &mut progress,
    )
    .await
    .map_err(|e| {
        // A reading error says best what is wrong; a storage error otherwise.
        let reading = records.failure();
        anyhow::anyhow!(
            "{}; nothing was imported",
            reading.unwrap_or_else(|| e.to_string())
        )
    })?;
    print_summary(&summary)?;
    Ok(summary)
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
