//! Throwaway PostgreSQL databases for tests and tools: created under a fresh random name next
//! to an existing database, and dropped (with any connections still open) when the guard goes.

use super::{connect_options, db_err};
use rostra_core::Result;
use sqlx::{Connection, PgConnection};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// A database that exists for as long as this guard does.
#[derive(Debug)]
pub struct ScratchDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    /// Creates `rostra_test_<random>` through the server `admin_url` points at (any database
    /// there; the user needs CREATEDB).
    pub async fn create(admin_url: &str) -> Result<ScratchDatabase> {
        let name = fresh_name();
        let mut admin = PgConnection::connect_with(&connect_options(admin_url)?)
            .await
            .map_err(db_err)?;
        // Names are ours ([a-z0-9_]), so quoting them is enough; DDL takes no bind parameters.
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .await
            .map_err(db_err)?;
        let _ = admin.close().await;
        Ok(ScratchDatabase {
            url: with_database(admin_url, &name),
            admin_url: admin_url.to_string(),
            name,
        })
    }

    /// The URL of the new database.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop cannot await and may run on a runtime's thread, where blocking on a future is
        // refused; a thread of our own with its own small runtime can.
        let dropped = std::thread::spawn(move || -> std::result::Result<(), String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime
                .block_on(drop_database(&admin_url, &name))
                .map_err(|e| e.to_string())
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop the scratch database {}: {e}", self.name),
            Err(_) => eprintln!("dropping the scratch database {} panicked", self.name),
        }
    }
}

async fn drop_database(admin_url: &str, name: &str) -> Result<()> {
    let mut admin = PgConnection::connect_with(&connect_options(admin_url)?)
        .await
        .map_err(db_err)?;
    // FORCE (PostgreSQL 13+) ends connections a pool may still hold.
    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .map_err(db_err)?;
    let _ = admin.close().await;
    Ok(())
}

fn fresh_name() -> String {
    let mut h = RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    h.write_u128(nanos);
    format!("rostra_test_{:016x}", h.finish())
}

/// The same URL with another database name: `postgres://u@h:5432/x?o=1` → `…/name?o=1`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[host_start..]
        .find('/')
        .map_or(base.len(), |i| host_start + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_the_database_name() {
        let swap = |u| with_database(u, "t");
        assert_eq!(
            swap("postgres://u@h:5432/postgres"),
            "postgres://u@h:5432/t"
        );
        assert_eq!(swap("postgres://u@h"), "postgres://u@h/t");
        assert_eq!(
            swap("postgresql://h/db?sslmode=disable"),
            "postgresql://h/t?sslmode=disable"
        );
        assert_ne!(fresh_name(), fresh_name());
    }
}
