//! The Commento importer reads any bytes to records or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rostra_interchange::{read, Format};
use std::io::Cursor;

fuzz_target!(|data: &[u8]| {
    let mut input = Cursor::new(data);
    let mut records = 0usize;
    let _ = read(Format::Commento, &mut input, &mut |_record| {
        records += 1;
        Ok(())
    });
});
