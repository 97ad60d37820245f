//! `rostra site origin add|remove KEY ORIGIN`: the origins whose pages may embed a site's
//! threads, changed one at a time (running servers see the change within 30 seconds).

use anyhow::Context;
use clap::Subcommand;
use rostra_core::Store;

#[derive(Subcommand)]
pub enum OriginAction {
    /// Allow pages on ORIGIN (e.g. https://www.news.example) to embed the site's threads.
    Add {
        /// The site's key.
        key: String,
        /// An http(s) origin: scheme, host and port, no path.
        origin: String,
    },
    /// Stop allowing ORIGIN (a site keeps at least one origin).
    Remove {
        /// The site's key.
        key: String,
        /// One of the site's origins.
        origin: String,
    },
}

pub async fn run(store: &dyn Store, action: OriginAction) -> anyhow::Result<()> {
    let (key, raw, adding) = match action {
        OriginAction::Add { key, origin } => (key, origin, true),
        OriginAction::Remove { key, origin } => (key, origin, false),
    };
    let mut site = store
        .site_by_key(&key)
        .await?
        .with_context(|| format!("no site has the key '{key}'"))?;
    let origin = rostra_core::page_url::origin_of(&raw)
        .with_context(|| format!("'{raw}' is not an http(s) origin (like https://news.example)"))?;
    let listed = site.origins.contains(&origin);
    match (adding, listed) {
        (true, true) => println!("site '{key}' allows {origin} already"),
        (false, false) => anyhow::bail!(
            "site '{key}' does not list {origin}; its origins: {}",
            site.origins.join(" ")
        ),
        (false, true) if site.origins.len() == 1 => {
            anyhow::bail!("{origin} is site '{key}''s only origin; add another first")
        }
        _ => {
            if adding {
                site.origins.push(origin.clone());
            } else {
                site.origins.retain(|o| o != &origin);
            }
            store.update_site(&site).await?;
            let done = if adding {
                "now allows"
            } else {
                "no longer allows"
            };
            println!(
                "site '{key}' {done} {origin}; its origins: {}",
                site.origins.join(" ")
            );
        }
    }
    Ok(())
}
