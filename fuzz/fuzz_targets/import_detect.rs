//! Recognizing an import file's format from its first bytes, then reading it as that format.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rostra_interchange::{detect::detect, read, Format};
use std::io::Cursor;

fuzz_target!(|data: &[u8]| {
    let mut input = Cursor::new(data);
    let Ok(format) = detect(&mut input) else {
        return;
    };
    if format != Format::Isso || !rostra_interchange::isso::is_sqlite(data) {
        let _ = read(format, &mut input, &mut |_| Ok(()));
    }
});
