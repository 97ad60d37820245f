//! The XSS payloads of the shared fixtures: every line of the PayloadsAllTheThings lists, every
//! DOMPurify `payload` and every html5lib `input`, deduplicated, blank ones dropped.

use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;

/// All payloads, in fixture order, each once.
pub fn load(fixtures: &Path) -> Vec<String> {
    let dir = fixtures.join("xss");
    let mut all = Vec::new();
    let mut lists: Vec<_> = std::fs::read_dir(dir.join("payloadsallthethings"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    lists.sort();
    for list in lists {
        let bytes = std::fs::read(&list).unwrap();
        all.extend(String::from_utf8_lossy(&bytes).lines().map(str::to_string));
    }
    all.extend(json_field(&dir.join("dompurify-expect.json"), "payload"));
    all.extend(json_field(
        &dir.join("html5lib-sanitizer-tests1.json"),
        "input",
    ));
    let mut seen = HashSet::new();
    all.into_iter()
        // NUL cannot be stored by PostgreSQL and is refused on input; the rest is kept as is.
        .map(|p| p.replace('\0', ""))
        .filter(|p| !p.trim().is_empty())
        .filter(|p| seen.insert(p.clone()))
        .collect()
}

fn json_field(file: &Path, field: &str) -> Vec<String> {
    let cases: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    cases
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c[field].as_str().map(str::to_string))
        .collect()
}
