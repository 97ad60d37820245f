//! The commands other than `demo`: serving, migrations, sites, threads, configuration.

use anyhow::Context;
use clap::Subcommand;
use rostra_core::{NewSite, ThreadKey};
use rostra_server::{AppState, Config};
use std::path::Path;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Opens the configured database, applying migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn rostra_core::Store>> {
    let d = &config.database;
    let options = rostra_store::OpenOptions {
        max_connections: d.max_connections,
        statement_timeout_ms: d.statement_timeout_ms,
    };
    Ok(rostra_store::open_with(&d.url, true, &options).await?)
}

pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log.level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colour codes only for a person at a terminal, never in a file or a journal.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    let _ = if config.log.format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Opens the store, binds, and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    init_logging(&config);
    for warning in config.warnings() {
        tracing::warn!("{warning}");
    }
    let store = open_store(&config).await.context("opening the database")?;
    let listener = TcpListener::bind(&config.server.listen)
        .await
        .with_context(|| format!("listening on {}", config.server.listen))?;
    tracing::info!(listen = %config.server.listen, backend = store.backend(), "rostra is serving");
    let bus = rostra_store::bus::open_bus(&config.database.url, store.clone()).await?;
    let interchange = Arc::new(rostra_store::interchange::UrlInterchange {
        url: config.database.url.clone(),
    });
    let state = Arc::new(
        AppState::new(store, bus, config, demo)
            .await?
            .with_interchange(interchange),
    );
    rostra_server::serve(state, listener, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

pub async fn migrate_run(config: &Config) -> anyhow::Result<()> {
    open_store(config).await?;
    println!("the database is up to date");
    migrate_status(config).await
}

pub async fn migrate_status(config: &Config) -> anyhow::Result<()> {
    for m in rostra_store::migration_status(&config.database.url).await? {
        let state = if m.applied { "applied" } else { "pending" };
        println!("{:>4}  {:<24} {state}", m.version, m.name);
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum SiteAction {
    /// Add a site.
    Add {
        /// Short key publishers put in data-rostra-site (letters, digits, - and _).
        #[arg(long)]
        key: String,
        /// Name shown to moderators.
        #[arg(long)]
        name: String,
        /// An origin allowed to embed the site's threads (repeat for several), e.g. https://news.example.
        #[arg(long = "origin", required = true)]
        origins: Vec<String>,
        /// The line shown above the comment form.
        #[arg(long)]
        prompt: Option<String>,
    },
    /// List the sites.
    List,
    /// Make a new secret for the site's SSO tokens (HS256) and print it once; the previous
    /// secret stops working.
    Secret {
        /// The site's key.
        key: String,
    },
    /// The origins whose pages may embed the site's threads: add, remove.
    Origin {
        #[command(subcommand)]
        action: crate::site_origins::OriginAction,
    },
    /// The site's webhooks: add, list, remove.
    Webhook {
        #[command(subcommand)]
        action: crate::webhooks::WebhookAction,
    },
    /// The site's machine tokens (the WordPress plugin's import): create, list, revoke.
    Token {
        #[command(subcommand)]
        action: crate::site_tokens::TokenAction,
    },
}

pub async fn site(config: &Config, action: SiteAction) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match action {
        SiteAction::Add {
            key,
            name,
            origins,
            prompt,
        } => {
            let new = NewSite {
                key,
                name,
                origins,
                prompt,
            }
            .validate()
            .map_err(|p| anyhow::anyhow!("cannot add the site:\n  {}", p.join("\n  ")))?;
            if store.site_by_key(&new.key).await?.is_some() {
                anyhow::bail!("a site with the key '{}' exists already", new.key);
            }
            let site = store.create_site(new, now_ms()).await?;
            println!(
                "added site '{}' ({}) for {}",
                site.key,
                site.name,
                site.origins.join(", ")
            );
        }
        SiteAction::Secret { key } => {
            let site = store
                .site_by_key(&key)
                .await?
                .with_context(|| format!("no site has the key '{key}'"))?;
            let secret = rostra_core::privacy::random_token();
            store.set_sso_secret(site.id, &secret, now_ms()).await?;
            println!("{secret}");
            eprintln!(
                "This is site '{}''s SSO secret: sign readers' tokens with it (HS256, aud \"{}\"). \
                 It is shown only now.",
                site.key, site.key
            );
        }
        SiteAction::Origin { action } => crate::site_origins::run(store.as_ref(), action).await?,
        SiteAction::Webhook { action } => crate::webhooks::run(store.as_ref(), action).await?,
        SiteAction::Token { action } => crate::site_tokens::run(store.as_ref(), action).await?,
        SiteAction::List => {
            for s in store.list_sites().await? {
                println!("{}\t{}\t{}", s.key, s.name, s.origins.join(" "));
            }
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum ThreadAction {
    /// Close a thread to new comments (it stays readable).
    Close(ThreadRefArgs),
    /// Reopen a closed thread.
    Reopen(ThreadRefArgs),
}

#[derive(clap::Args)]
pub struct ThreadRefArgs {
    #[arg(long)]
    site: String,
    /// The page URL.
    #[arg(long)]
    url: String,
    /// The explicit identifier, when the publisher sets one.
    #[arg(long)]
    identifier: Option<String>,
}

pub async fn thread(config: &Config, action: ThreadAction) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let (args, closed) = match action {
        ThreadAction::Close(a) => (a, true),
        ThreadAction::Reopen(a) => (a, false),
    };
    let site = store
        .site_by_key(&args.site)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no site has the key '{}'", args.site))?;
    let key = ThreadKey::for_page(&site, &args.url, args.identifier.as_deref())?;
    let thread = store
        .thread_by_key(site.id, &key.key)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no thread for {} yet", key.url))?;
    store.set_thread_closed(thread.id, closed).await?;
    println!(
        "thread {} is {}",
        key.url,
        if closed { "closed" } else { "open" }
    );
    println!("running servers pick this up on the thread's next write or restart");
    Ok(())
}

/// Reports every problem at once: unreadable settings and invalid values.
pub fn config_check(path: Option<&Path>) -> std::process::ExitCode {
    match crate::settings::figment(path).extract::<Config>() {
        Err(errors) => {
            for e in errors {
                println!("problem: {e}");
            }
            std::process::ExitCode::FAILURE
        }
        Ok(config) => {
            let problems = config.problems();
            for p in &problems {
                println!("problem: {p}");
            }
            for w in config.warnings() {
                println!("warning: {w}");
            }
            if problems.is_empty() {
                println!("the configuration is valid");
                std::process::ExitCode::SUCCESS
            } else {
                std::process::ExitCode::FAILURE
            }
        }
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
