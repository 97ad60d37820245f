//! Page cursors from clients: decoded to an offset or refused; a decoded one encodes back.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rostra_core::tree::{decode_cursor, encode_cursor};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(offset) = decode_cursor(Some(text)) {
        assert_eq!(decode_cursor(Some(&encode_cursor(offset))).ok(), Some(offset));
    }
});
