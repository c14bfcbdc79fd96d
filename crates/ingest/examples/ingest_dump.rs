//! Print what chronicle-ingest makes of a file, directory or `-` (stdin): one
//! JSON line per document (id, origin, format, title, published, text,
//! paragraphs) or per error.
//!
//! `cargo run -p chronicle-ingest --example ingest_dump -- PATH [--format FMT]`

use chronicle_ingest::{read_path, IngestOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: ingest_dump PATH [--format text|html|feed|jsonl]");
        std::process::exit(2);
    };
    let mut opts = IngestOptions::default();
    if let Some(i) = args.iter().position(|a| a == "--format") {
        match args.get(i + 1).map(|f| f.parse()) {
            Some(Ok(f)) => opts.format = Some(f),
            _ => {
                eprintln!("bad --format");
                std::process::exit(2);
            }
        }
    }
    for r in read_path(std::path::Path::new(path), &opts) {
        let line = match r {
            Ok(d) => serde_json::json!({
                "id": d.id,
                "origin": d.meta.origin,
                "format": d.meta.format,
                "title": d.meta.title,
                "published": d.meta.published,
                "source": d.meta.source,
                "language": d.meta.language,
                "paragraphs": d.paragraphs.len(),
                "warnings": d.warnings,
                "text": d.text,
            }),
            Err(e) => serde_json::json!({"error": e.to_string()}),
        };
        println!("{line}");
    }
}
