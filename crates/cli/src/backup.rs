//! `rostra backup` and `rostra restore`: online copies of a SQLite database, and putting one back.

use rostra_server::Config;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist).
    out: PathBuf,
    /// Database URL, e.g. sqlite://rostra.db (the server may keep running).
    #[arg(long)]
    pub database: Option<String>,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup file written by `rostra backup`.
    backup: PathBuf,
    /// Database URL to restore into, e.g. sqlite://rostra.db.
    #[arg(long)]
    pub database: Option<String>,
    /// Replace an existing database (never one that a running server has open).
    #[arg(long)]
    force: bool,
}

pub async fn backup(config: &Config, args: BackupArgs) -> anyhow::Result<std::process::ExitCode> {
    let url = &config.database.url;
    if !url.starts_with("sqlite:") {
        eprintln!("{}", rostra_store::backup::POSTGRES_ADVICE);
        return Ok(std::process::ExitCode::from(2));
    }
    let info = rostra_store::backup::backup(url, &args.out).await?;
    println!(
        "backed up {} threads and {} comments (schema {}) to {}",
        info.threads,
        info.comments,
        info.schema_version,
        args.out.display()
    );
    Ok(std::process::ExitCode::SUCCESS)
}

pub async fn restore(config: &Config, args: RestoreArgs) -> anyhow::Result<std::process::ExitCode> {
    let url = &config.database.url;
    if !url.starts_with("sqlite:") {
        eprintln!("{}", rostra_store::backup::POSTGRES_ADVICE);
        return Ok(std::process::ExitCode::from(2));
    }
    let info = rostra_store::backup::restore(&args.backup, url, args.force).await?;
    println!(
        "restored {} threads and {} comments (schema {}) into {url}",
        info.threads, info.comments, info.schema_version
    );
    Ok(std::process::ExitCode::SUCCESS)
}
