//! `rostra site webhook add|list|remove`: a site's webhooks from the command line.

use anyhow::Context;
use clap::Subcommand;
use rostra_core::Store;

#[derive(Subcommand)]
pub enum WebhookAction {
    /// Add a webhook: the site's comment events are posted to the URL, signed with the secret
    /// (printed once when Rostra makes it).
    Add {
        /// The site's key.
        key: String,
        /// Where events are posted (an http or https URL).
        url: String,
        /// The signing secret (at least 16 characters); without it, Rostra makes one.
        #[arg(long)]
        secret: Option<String>,
    },
    /// List the site's webhooks: id and URL (never the secrets).
    List {
        /// The site's key.
        key: String,
    },
    /// Remove a webhook by its id (see `list`).
    Remove {
        /// The site's key.
        key: String,
        /// The webhook's id.
        id: i64,
    },
}

pub(crate) async fn site(store: &dyn Store, key: &str) -> anyhow::Result<rostra_core::Site> {
    store
        .site_by_key(key)
        .await?
        .with_context(|| format!("no site has the key '{key}'"))
}

pub async fn run(store: &dyn Store, action: WebhookAction) -> anyhow::Result<()> {
    match action {
        WebhookAction::Add { key, url, secret } => {
            let site = site(store, &key).await?;
            let generated = secret.is_none();
            let new =
                rostra_server::notify::webhooks::new_webhook(site.id, &url, secret.as_deref())
                    .map_err(|why| anyhow::anyhow!("cannot add the webhook: {why}"))?;
            let hook = store
                .add_webhook(new, rostra_server::state::now_ms())
                .await?;
            println!("{}\t{}", hook.id, hook.url);
            if generated {
                println!("{}", hook.secret);
                eprintln!(
                    "Events of site '{}' go to {}, signed with the secret above (shown only now).",
                    site.key, hook.url
                );
            }
        }
        WebhookAction::List { key } => {
            let site = site(store, &key).await?;
            for hook in store.webhooks(site.id).await? {
                println!("{}\t{}", hook.id, hook.url);
            }
        }
        WebhookAction::Remove { key, id } => {
            let site = site(store, &key).await?;
            if !store.remove_webhook(site.id, id).await? {
                anyhow::bail!("site '{key}' has no webhook {id}");
            }
            println!("removed webhook {id}");
        }
    }
    Ok(())
}
