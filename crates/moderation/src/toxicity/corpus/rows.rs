//! Reading the sets' files: CSV and TSV records by column name, and the formats the
//! evaluation readers already know.

use super::sets::SetError;
use crate::toxicity::datasets;
use std::collections::HashMap;
use std::path::Path;

pub(super) fn load(path: &Path) -> Result<datasets::Dataset, SetError> {
    datasets::load(path).map_err(|e| read_error(path, e))
}

pub(super) fn read_error(path: &Path, e: impl std::fmt::Display) -> SetError {
    SetError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// One record, read by column name.
pub(super) struct Row {
    columns: std::rc::Rc<HashMap<String, usize>>,
    record: csv::StringRecord,
}

impl Row {
    pub(super) fn get(&self, name: &str) -> String {
        self.columns
            .get(name)
            .map(|&i| self.at(i))
            .unwrap_or_default()
    }

    pub(super) fn at(&self, i: usize) -> String {
        self.record.get(i).unwrap_or_default().to_string()
    }
}

pub(super) fn rows(path: &Path, delimiter: u8) -> Result<impl Iterator<Item = Row>, SetError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_path(path)
        .map_err(|e| read_error(path, e))?;
    let headers = reader.headers().map_err(|e| read_error(path, e))?;
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_string(), i))
        .collect();
    let columns = std::rc::Rc::new(columns);
    let records: Vec<csv::StringRecord> = reader.records().filter_map(Result::ok).collect();
    Ok(records.into_iter().map(move |record| Row {
        columns: columns.clone(),
        record,
    }))
}
