//! Fuzz target: arbitrary bytes into `chronicle_ingest::extract_html`.
//! Takes any input; gives nothing back — it only checks that extraction never
//! panics (libFuzzer's `-timeout` catches hangs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(a) = chronicle_ingest::extract_html(data, "fuzz") {
        // Touch the output so the work cannot be optimised away.
        std::hint::black_box(a.text.len());
    }
});
