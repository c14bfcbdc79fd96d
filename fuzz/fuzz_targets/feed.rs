//! Fuzz target: arbitrary bytes into `chronicle_ingest::read_bytes` with the
//! format forced to Feed (RSS/Atom/RDF parsing, item HTML cleaning, Document
//! building). Takes any input; checks only that nothing panics or hangs.
#![no_main]

use chronicle_ingest::{read_bytes, IngestOptions, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // Compile the lazily built regexes once, outside the per-input timeout
        // (under sanitizers the first call alone can take about a second).
        let _ = read_bytes("warm.xml", include_bytes!("../seeds/feed/rss.xml"), &feed_opts());
    },
    |data: &[u8]| {
        for r in read_bytes("fuzz.xml", data, &feed_opts()) {
        if let Ok(doc) = r {
            std::hint::black_box(doc.text.len());
        }
    }
});

fn feed_opts() -> IngestOptions {
    IngestOptions {
        format: Some(InputFormat::Feed),
        ..IngestOptions::default()
    }
}
