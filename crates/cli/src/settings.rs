//! Loading the configuration: defaults, then `rostra.toml`, then `ROSTRA_SECTION__KEY`
//! environment variables, then command-line flags.

use crate::ServeArgs;
use anyhow::Context;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use rostra_server::Config;
use std::path::Path;

const DEFAULT_FILE: &str = "rostra.toml";

pub fn figment(path: Option<&Path>) -> Figment {
    let mut f = Figment::from(Serialized::defaults(Config::default()));
    match path {
        Some(p) => f = f.merge(Toml::file_exact(p)),
        None if Path::new(DEFAULT_FILE).exists() => f = f.merge(Toml::file_exact(DEFAULT_FILE)),
        None => {}
    }
    // Only ROSTRA_SECTION__KEY names are settings; others (ROSTRA_REQUIRE_ALL…) are not ours here.
    f.merge(
        Env::prefixed("ROSTRA_")
            .filter(|k| k.as_str().contains("__"))
            .split("__"),
    )
}

pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
    let config: Config = figment(path)
        .extract()
        .context("reading the configuration")?;
    let problems = config.problems();
    if !problems.is_empty() {
        anyhow::bail!(
            "the configuration has problems:\n  {}",
            problems.join("\n  ")
        );
    }
    Ok(config)
}

pub fn with_args(mut config: Config, args: &ServeArgs) -> Config {
    if let Some(listen) = &args.listen {
        config.server.listen = listen.clone();
    }
    with_database(config, args.database.clone())
}

pub fn with_database(mut config: Config, database: Option<String>) -> Config {
    if let Some(url) = database {
        config.database.url = url;
    }
    config
}
