//! Fuzz target: arbitrary bytes into `chronicle_ingest::extract_html`.
//! Takes any input; gives nothing back — it only checks that extraction never
//! panics (libFuzzer's `-timeout` catches hangs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // Compile the lazily built regexes once, outside the per-input timeout
        // (under sanitizers the first call alone can take about a second).
        let _ = chronicle_ingest::extract_html(include_bytes!("../seeds/html/article.html"), "warm");
    },
    |data: &[u8]| {
    if let Ok(a) = chronicle_ingest::extract_html(data, "fuzz") {
        // Touch the output so the work cannot be optimised away.
        std::hint::black_box(a.text.len());
    }
});
