//! `rostra user`: moderator and admin accounts from the command line.

use clap::Subcommand;
use rostra_core::user::{NewUser, Role};
use rostra_server::password;
use rostra_server::Config;
use std::io::BufRead;

#[derive(Subcommand)]
pub enum UserAction {
    /// Add a moderator or admin. The password is read from a prompt, or from standard input
    /// with --password-stdin.
    Add {
        #[arg(long)]
        email: String,
        /// admin (all sites, settings, moderators) or moderator (the --site sites).
        #[arg(long)]
        role: String,
        /// A site the moderator moderates (repeat for several).
        #[arg(long = "site")]
        sites: Vec<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List moderators and admins.
    List,
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let again = rpassword::prompt_password("Password again: ")?;
    anyhow::ensure!(first == again, "the passwords differ");
    Ok(first)
}

pub async fn run(config: &Config, action: UserAction) -> anyhow::Result<()> {
    let store = crate::commands::open_store(config).await?;
    match action {
        UserAction::Add {
            email,
            role,
            sites,
            password_stdin,
        } => {
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("--role is admin or moderator"))?;
            let email = email.trim().to_lowercase();
            anyhow::ensure!(email.contains('@'), "'{email}' is not an e-mail address");
            anyhow::ensure!(
                store.user_by_email(&email).await?.is_none(),
                "{email} has an account already"
            );
            let mut site_ids = Vec::new();
            for key in &sites {
                let site = store
                    .site_by_key(key)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("no site has the key '{key}'"))?;
                site_ids.push(site.id);
            }
            anyhow::ensure!(
                role == Role::Admin || !site_ids.is_empty(),
                "a moderator needs at least one --site"
            );
            let password_hash =
                password::hash(&read_password(password_stdin)?).map_err(|e| anyhow::anyhow!(e))?;
            let user = store
                .create_user(
                    NewUser {
                        email,
                        role,
                        sites: site_ids,
                        password_hash,
                    },
                    crate::commands::now_ms(),
                )
                .await?;
            println!(
                "added {} {} (sign in at /admin)",
                user.role.as_str(),
                user.email
            );
        }
        UserAction::List => {
            let sites = store.list_sites().await?;
            for u in store.list_users().await? {
                let keys: Vec<&str> = sites
                    .iter()
                    .filter(|s| u.sites.contains(&s.id))
                    .map(|s| s.key.as_str())
                    .collect();
                println!(
                    "{}\t{}\t{}",
                    u.email,
                    u.role.as_str(),
                    if u.is_admin() {
                        "all".into()
                    } else {
                        keys.join(" ")
                    }
                );
            }
        }
    }
    Ok(())
}
