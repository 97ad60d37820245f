//! Importing records from other comment systems into a site, and exporting a site's records,
//! through one plain connection to either backend (not the server's group-commit writer).
//!
//! An import is one transaction: threads are matched or created as they come, comments are
//! inserted in batches with their parent left open, and once the file is read, parents are
//! resolved by source id, roots and counts computed, and everything committed together.

mod batch_rows;
mod export;
mod finish;
mod import;
mod seen;

pub use export::export_site;
pub use import::import_records;

/// Import and export for the server's admin pages, over the database a URL names.
pub struct UrlInterchange {
    pub url: String,
}

#[async_trait::async_trait]
impl rostra_core::interchange::Interchange for UrlInterchange {
    async fn import(
        &self,
        site_key: &str,
        format: &str,
        records: &mut dyn rostra_core::interchange::RecordSource,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<rostra_core::interchange::ImportSummary, Error> {
        import_records(&self.url, site_key, format, records, progress).await
    }

    async fn export(
        &self,
        site_key: &str,
        sink: &mut rostra_core::interchange::ExportSink<'_>,
    ) -> Result<Site, Error> {
        export_site(&self.url, site_key, sink).await
    }
}

use crate::copy::conn::{Db, Value};
use crate::rows::SITE_COLUMNS;
use rostra_core::{Error, Site, StoreError};

/// Opens a connection to a migrated database.
async fn connect(url: &str) -> Result<Db, Error> {
    drop(crate::open(url, true).await?);
    Db::connect(url).await
}

/// The site with this key, read as the store reads it.
async fn site_by_key(db: &mut Db, key: &str) -> Result<Site, Error> {
    let sql = format!("SELECT {SITE_COLUMNS} FROM sites WHERE key = ?");
    crate::sql::Db::fetch_optional(db, crate::sql::query(&sql).bind(key))
        .await?
        .ok_or_else(|| Error::UnknownSite(key.to_string()))
}

fn text(s: &str) -> Value {
    Value::Text(Some(s.to_string()))
}

fn opt_text(s: &Option<String>) -> Value {
    Value::Text(s.clone())
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(Some(i)) => *i,
        _ => 0,
    }
}

fn other(message: impl Into<String>) -> Error {
    StoreError::Other(message.into()).into()
}
