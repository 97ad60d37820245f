//! Markdown rendering and the HTML sanitizer: any comment body renders, and what comes out
//! passes through the sanitizer unchanged (it is already clean).
#![no_main]
use libfuzzer_sys::fuzz_target;
use rostra_core::markdown::{html_to_text, render, sanitize_html};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let html = render(source);
    assert_eq!(sanitize_html(&html), html, "rendered HTML is a sanitizer fixpoint");
    let _ = sanitize_html(source);
    let _ = html_to_text(source);
});
