//! Schema migrations: embedded SQL files, applied in order, recorded in `schema_migrations`.
//!
//! Each backend has a folder with the same file names. A database that records a migration this
//! build does not know was written by a newer Rostra; we refuse to touch it rather than guess.

/// One embedded migration.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// A known or recorded migration and whether it is applied.
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationState {
    pub version: i64,
    pub name: String,
    pub applied: bool,
}

macro_rules! migrations {
    ($dir:literal: $($version:literal $name:literal),* $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../migrations/", $dir, "/", $name, ".sql")),
        }),*]
    };
}

pub const SQLITE: &[Migration] = migrations!("sqlite": 1 "0001_core", 2 "0002_moderation", 3 "0003_events",
        4 "0004_interchange", 5 "0005_identity", 6 "0006_notifications", 7 "0007_passkeys", 8 "0008_lists", 9 "0009_attribute_policy");

pub const POSTGRES: &[Migration] = migrations!("postgres": 1 "0001_core", 2 "0002_moderation", 3 "0003_events",
        4 "0004_interchange", 5 "0005_identity", 6 "0006_notifications", 7 "0007_passkeys", 8 "0008_lists", 9 "0009_attribute_policy");

pub const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
     version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

/// Compares what a database recorded with what this build knows.
pub fn plan(known: &[Migration], applied: &[i64]) -> Result<Vec<MigrationState>, String> {
    let newest_known = known.iter().map(|m| m.version).max().unwrap_or(0);
    if let Some(v) = applied.iter().find(|v| **v > newest_known) {
        return Err(format!(
            "the database schema is at migration {v}, newer than this build knows \
             ({newest_known}); run a newer rostra"
        ));
    }
    Ok(known
        .iter()
        .map(|m| MigrationState {
            version: m.version,
            name: m.name.to_string(),
            applied: applied.contains(&m.version),
        })
        .collect())
}

/// Splits a migration file into statements (our migrations hold no semicolons in strings).
pub fn statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(';').map(str::trim).filter(|s| {
        !s.lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn refuses_newer_schema() {
        assert!(plan(SQLITE, &[1, 99]).is_err());
        let p = plan(SQLITE, &[]).unwrap();
        assert!(p.iter().all(|m| !m.applied));
    }

    /// Both backends know the same migrations under the same names, and each folder holds
    /// exactly the files its list embeds.
    #[test]
    fn both_backends_have_the_same_migration_files() {
        let names = |list: &[Migration]| -> Vec<(i64, String)> {
            list.iter()
                .map(|m| (m.version, m.name.to_string()))
                .collect()
        };
        assert_eq!(names(SQLITE), names(POSTGRES));
        let on_disk = |dir: &str| -> Vec<String> {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(dir);
            let mut files: Vec<String> = std::fs::read_dir(path)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            files
        };
        let listed: Vec<String> = SQLITE.iter().map(|m| format!("{}.sql", m.name)).collect();
        assert_eq!(on_disk("sqlite"), listed);
        assert_eq!(on_disk("postgres"), listed);
    }

    #[test]
    fn splits_statements_and_skips_comments() {
        let s: Vec<_> =
            statements("-- a\nCREATE TABLE a (x INT);\n\n-- b\n;CREATE INDEX i ON a (x);")
                .collect();
        assert_eq!(s.len(), 2);
    }
}
