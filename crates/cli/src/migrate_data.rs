//! `rostra migrate-data`: copies every row of one database into another, SQLite or PostgreSQL
//! either way, all or nothing.

use rostra_server::config::redact_url;
use rostra_store::copy::{copy_database, CopyOptions};
use std::io::Write;

#[derive(clap::Args)]
pub struct MigrateDataArgs {
    /// The database to copy from, e.g. sqlite://rostra.db. It is only read; stop the servers
    /// writing to it first, or their later writes stay behind.
    #[arg(long)]
    from: String,
    /// The database to copy into, e.g. postgres://rostra@db.example/rostra. Migrated first;
    /// must be empty unless --force.
    #[arg(long)]
    to: String,
    /// Delete everything in a target that holds data before copying (in the same transaction,
    /// so a failed copy deletes nothing).
    #[arg(long)]
    force: bool,
}

pub async fn run(args: MigrateDataArgs) -> anyhow::Result<()> {
    let options = CopyOptions {
        force: args.force,
        ..CopyOptions::default()
    };
    eprintln!(
        "copying {} into {}",
        redact_url(&args.from),
        redact_url(&args.to)
    );
    let mut progress = |table: &str, rows: i64| {
        eprintln!("  {table:<20} {rows:>10} rows copied");
    };
    let counts = copy_database(&args.from, &args.to, &options, &mut progress).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{:<20} {:>10}", "table", "rows")?;
    for c in &counts {
        writeln!(out, "{:<20} {:>10}", c.table, c.rows)?;
    }
    let total: i64 = counts.iter().map(|c| c.rows).sum();
    writeln!(out, "{:<20} {:>10}", "total", total)?;
    writeln!(
        out,
        "row counts match in every table; the copy is committed. Point database.url at {} and \
         start rostra serve.",
        redact_url(&args.to)
    )?;
    Ok(())
}
