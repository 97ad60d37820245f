//! Finding the shared third-party fixtures, and skipping loudly when they are absent.

use std::io::Write;
use std::path::PathBuf;

/// The fixture file at `relative` (under `shared/fixtures/`), or `None` after printing
/// `SKIPPED <test>: <why>`; panics instead when `ROSTRA_REQUIRE_ALL=1`.
pub fn require(test: &str, relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("ROSTRA_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
        });
    let path = root.join(relative);
    if path.is_file() {
        return Some(path);
    }
    let why = format!("fixture {} not found (set ROSTRA_FIXTURES)", path.display());
    if std::env::var("ROSTRA_REQUIRE_ALL").as_deref() == Ok("1") {
        panic!("{test}: {why}, and ROSTRA_REQUIRE_ALL=1");
    }
    // Written to the stderr handle, not through `eprintln!`, so that the test harness does not
    // capture it: a skip should be seen.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
    None
}
