//! Fuzz target: arbitrary bytes into `chronicle_ingest::read_bytes` with the
//! format forced to Feed (RSS/Atom/RDF parsing, item HTML cleaning, Document
//! building). Takes any input; checks only that nothing panics or hangs.
#![no_main]

use chronicle_ingest::{read_bytes, IngestOptions, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = IngestOptions {
        format: Some(InputFormat::Feed),
        ..IngestOptions::default()
    };
    for r in read_bytes("fuzz.xml", data, &opts) {
        if let Ok(doc) = r {
            std::hint::black_box(doc.text.len());
        }
    }
});
