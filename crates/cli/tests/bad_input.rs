//! Bad records are reported with their origin and skipped; the rest is processed.

mod common;
use common::*;
use std::io::Write;

#[test]
fn broken_jsonl_line_is_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mixed.jsonl");
    let mut f = std::fs::File::create(&p).unwrap();
    writeln!(f, r#"{{"id":"a","text":"Rebels attacked an army base in Goma on Monday, killing three soldiers.","published":"2025-01-08"}}"#).unwrap();
    writeln!(f, r#"{{"id":"b","text": "truncated"#).unwrap();
    writeln!(f, r#"{{"id":"c","text":"","published":"2025-01-08"}}"#).unwrap();
    writeln!(f, r#"{{"id":"d","text":"Police arrested 20 protesters in Nairobi on Tuesday.","published":"2025-01-08"}}"#).unwrap();
    drop(f);
    let out = chronicle(&["run", p.to_str().unwrap()]);
    assert_success(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mixed.jsonl:2"),
        "error must name the line: {err}"
    );
    assert!(
        err.contains("mixed.jsonl:3"),
        "empty article must be reported: {err}"
    );
    assert!(err.contains("2 documents processed"), "{err}");
    let events = stdout_json_lines(&out);
    assert!(events.iter().any(|e| e["type"] == "ASSAULT"));
    assert!(events.iter().any(|e| e["type"] == "COERCE"));
}

#[test]
fn nothing_processable_exits_2_and_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("blob.bin");
    std::fs::write(&bin, [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 255, 0, 0]).unwrap();
    let missing = dir.path().join("nope.txt");
    let out = chronicle(&["run", bin.to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("blob.bin"), "{err}");
    assert!(err.contains("nope.txt"), "{err}");
}

#[test]
fn bad_arguments_are_fatal_with_a_message() {
    let out = chronicle(&["run", "--published", "last tuesday", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--published"));
}
