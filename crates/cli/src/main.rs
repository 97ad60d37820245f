//! The `rostra` binary: parses the command line and runs one command.
#![forbid(unsafe_code)]

mod backup;
mod commands;
mod demo;
mod interchange;
mod migrate_data;
mod model;
mod settings;
mod site_origins;
mod site_tokens;
mod users;
mod webhooks;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "rostra",
    version,
    about = "Rostra: a self-hosted discussion engine for news sites and blogs"
)]
struct Cli {
    /// Configuration file (default: ./rostra.toml when it exists).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long)]
    listen: Option<String>,
    /// Database URL, e.g. sqlite://rostra.db.
    #[arg(long)]
    database: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve comments.
    Serve(ServeArgs),
    /// Start with a fresh database, a demo site and a demo article at /demo.
    Demo(ServeArgs),
    /// Database migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
        #[arg(long, global = true)]
        database: Option<String>,
    },
    /// Copy every row of one database into another (SQLite to PostgreSQL, or back), all or
    /// nothing, with row counts verified.
    MigrateData(migrate_data::MigrateDataArgs),
    /// Sites: the publishers whose pages embed threads.
    Site {
        #[command(subcommand)]
        action: commands::SiteAction,
        #[arg(long, global = true)]
        database: Option<String>,
    },
    /// Threads: close or reopen one.
    Thread {
        #[command(subcommand)]
        action: commands::ThreadAction,
        #[arg(long, global = true)]
        database: Option<String>,
    },
    /// Import the comments of another system (or of a Rostra export) into a site, all or
    /// nothing; importing a file again adds nothing twice.
    Import(interchange::ImportArgs),
    /// Write everything of a site as our JSON lines (`rostra`) or as WordPress WXR.
    Export(interchange::ExportArgs),
    /// Copy a SQLite database to a file while the server keeps running (PostgreSQL: pg_dump).
    Backup(backup::BackupArgs),
    /// Put a backup back: checked first; an existing database only with --force, and never
    /// while a server has it open.
    Restore(backup::RestoreArgs),
    /// Moderators and admins.
    User {
        #[command(subcommand)]
        action: users::UserAction,
        #[arg(long, global = true)]
        database: Option<String>,
    },
    /// The toxicity model: train one, or evaluate one on labeled data.
    Model {
        #[command(subcommand)]
        action: model::ModelAction,
    },
    /// Configuration: check it, show it, or print the documented defaults.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
}

#[derive(Subcommand)]
enum MigrateAction {
    /// Apply the migrations the database lacks.
    Run,
    /// List the migrations and whether each is applied.
    Status,
}

#[derive(Subcommand)]
enum ConfigAction {
    /// Report every problem in the configuration; exit 1 if any.
    Check,
    /// Print the configuration in effect (secrets redacted).
    Dump,
    /// Print every setting at its default, documented.
    Default,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    let ok = std::process::ExitCode::SUCCESS;
    let config = || settings::load(cli.config.as_deref());
    match cli.command {
        Command::Serve(args) => {
            commands::serve(settings::with_args(config()?, &args), false).await?
        }
        Command::Demo(args) => demo::run(config()?, &args).await?,
        Command::Migrate { action, database } => {
            let config = settings::with_database(config()?, database);
            match action {
                MigrateAction::Run => commands::migrate_run(&config).await?,
                MigrateAction::Status => commands::migrate_status(&config).await?,
            }
        }
        Command::MigrateData(args) => migrate_data::run(args).await?,
        Command::Site { action, database } => {
            commands::site(&settings::with_database(config()?, database), action).await?
        }
        Command::Thread { action, database } => {
            commands::thread(&settings::with_database(config()?, database), action).await?
        }
        Command::Import(args) => {
            let config = settings::with_database(config()?, args.database.clone());
            interchange::import(&config, args).await?;
        }
        Command::Export(args) => {
            let config = settings::with_database(config()?, args.database.clone());
            interchange::export(&config, args).await?;
        }
        Command::Backup(args) => {
            let config = settings::with_database(config()?, args.database.clone());
            return backup::backup(&config, args).await;
        }
        Command::Restore(args) => {
            let config = settings::with_database(config()?, args.database.clone());
            return backup::restore(&config, args).await;
        }
        Command::User { action, database } => {
            users::run(&settings::with_database(config()?, database), action).await?
        }
        Command::Model { action } => model::run(action)?,
        Command::Config { action } => {
            return Ok(match action {
                ConfigAction::Check => commands::config_check(cli.config.as_deref()),
                ConfigAction::Dump => {
                    print!("{}", toml::to_string(&config()?.redacted())?);
                    ok
                }
                ConfigAction::Default => {
                    print!("{}", rostra_server::config_doc::annotated_default_toml());
                    ok
                }
            })
        }
    }
    Ok(ok)
}
