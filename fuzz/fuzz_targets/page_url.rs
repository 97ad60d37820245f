//! Page URL normalization (the key of a thread) and origins: never panics, and a normalized
//! URL normalizes to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rostra_core::page_url::{normalize, origin_of};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(n) = normalize(raw) {
        assert_eq!(normalize(&n).as_deref(), Some(n.as_str()), "normalize is idempotent");
    }
    let _ = origin_of(raw);
});
