//! `rostra site token create|list|revoke`: a site's machine tokens (the WordPress plugin's
//! import) from the command line. A token is printed once; only its hash is kept.

use clap::Subcommand;
use rostra_core::site::TokenScope;
use rostra_core::Store;
use rostra_server::state::now_ms;
use rostra_server::text::utc;

#[derive(Subcommand)]
pub enum TokenAction {
    /// Make a token and print it once: `import` lets it POST files to /api/admin/import,
    /// `export` lets it download the site from /api/admin/export.
    Create {
        /// The site's key.
        key: String,
        /// What the token may do.
        #[arg(long, value_parser = ["import", "export"])]
        scope: String,
        /// What it is for, shown by `list` (e.g. "WordPress").
        #[arg(long)]
        label: Option<String>,
    },
    /// List the site's tokens: id, scope, label, when made, last used, revoked (never the
    /// tokens).
    List {
        /// The site's key.
        key: String,
    },
    /// Revoke a token by its id (see `list`): it is refused from then on.
    Revoke {
        /// The site's key.
        key: String,
        /// The token's id.
        id: i64,
    },
}

pub async fn run(store: &dyn Store, action: TokenAction) -> anyhow::Result<()> {
    match action {
        TokenAction::Create { key, scope, label } => {
            let site = crate::webhooks::site(store, &key).await?;
            let scope = TokenScope::parse(&scope)
                .ok_or_else(|| anyhow::anyhow!("unknown scope '{scope}'"))?;
            let (token, new) = rostra_server::site_tokens::new_token(site.id, scope, label);
            let made = store.create_site_token(new, now_ms()).await?;
            println!("{token}");
            eprintln!(
                "Token {} of site '{}' (scope {}): it is shown only now; revoke it with \
                 `rostra site token revoke {} {}`.",
                made.id,
                site.key,
                scope.as_str(),
                site.key,
                made.id
            );
        }
        TokenAction::List { key } => {
            let site = crate::webhooks::site(store, &key).await?;
            let when = |ms: Option<i64>| ms.map_or_else(|| "-".to_string(), |ms| utc(ms).0);
            for t in store.site_tokens(site.id).await? {
                println!(
                    "{}\t{}\t{}\tcreated {}\tlast used {}\t{}",
                    t.id,
                    t.scope.as_str(),
                    t.label.as_deref().unwrap_or("-"),
                    utc(t.created_at).0,
                    when(t.last_used_at),
                    t.revoked_at.map_or_else(
                        || "active".to_string(),
                        |ms| format!("revoked {}", utc(ms).0)
                    ),
                );
            }
        }
        TokenAction::Revoke { key, id } => {
            let site = crate::webhooks::site(store, &key).await?;
            if !store.revoke_site_token(site.id, id, now_ms()).await? {
                anyhow::bail!("site '{key}' has no active token {id}");
            }
            println!("revoked token {id}");
        }
    }
    Ok(())
}
