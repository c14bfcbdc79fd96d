//! Geo stage timing: takes article texts (LGL + GeoWebNews from
//! `/work/shared/eval/geoparsing-gold` or `$GEOPARSING_GOLD`) and gives the mean
//! `GeoStage::resolve` time per document over `N` passes (default 3); for profiling
//! (`valgrind --tool=callgrind target/release/examples/geo_profile 1 100`).
//! With `--nlp` the documents are first tokenised and given dictionary entities
//! (chronicle-nlp's `Tokenizer` and `EntityStage`), as in the pipeline, and only
//! the geo stage is timed.
//! Skips (exit 0) when the data or the built gazetteer is absent.
//!
//! `cargo run -p chronicle-geo --release --example geo_profile [-- PASSES [MAX_DOCS]]`

use chronicle_core::{Document, Metadata, Stage};
use chronicle_geo::{Gazetteer, GeoStage};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let nlp = std::env::args().any(|a| a == "--nlp");
    let args: Vec<String> = std::env::args().filter(|a| a != "--nlp").collect();
    let passes: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(3);
    let max_docs: usize = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let gold_dir = std::env::var("GEOPARSING_GOLD")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("/work/shared/eval/geoparsing-gold"));
    let data_dir = std::env::var("CHRONICLE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data")));
    let gaz = match Gazetteer::load(&data_dir) {
        Ok(g) => Arc::new(g),
        Err(e) => {
            println!("geo_profile: gazetteer not loadable ({e}), skipping");
            return;
        }
    };
    let re = regex::Regex::new(r"(?s)<text>(.*?)</text>").expect("regex");
    let mut texts = vec![];
    for f in ["lgl.xml", "GeoWebNews.xml"] {
        let Ok(s) = std::fs::read_to_string(gold_dir.join(f)) else {
            continue;
        };
        for c in re.captures_iter(&s) {
            let t = c[1].trim();
            let t = t
                .strip_prefix("<![CDATA[")
                .and_then(|x| x.strip_suffix("]]>"))
                .unwrap_or(t);
            texts.push(t.to_string());
        }
    }
    if texts.is_empty() {
        println!(
            "geo_profile: no texts under {}, skipping",
            gold_dir.display()
        );
        return;
    }
    texts.truncate(max_docs);
    let mut docs: Vec<Document> = texts
        .into_iter()
        .enumerate()
        .map(|(i, t)| Document::new(format!("d{i}"), Metadata::default(), t))
        .collect();
    if nlp {
        let dict = match chronicle_nlp::Dictionaries::load(&data_dir) {
            Ok(d) => Arc::new(d),
            Err(e) => {
                println!("geo_profile: dictionaries not loadable ({e}), skipping");
                return;
            }
        };
        let stages: [Box<dyn Stage>; 2] = [
            Box::new(chronicle_nlp::Tokenizer),
            Box::new(chronicle_nlp::EntityStage::new(dict)),
        ];
        for d in docs.iter_mut() {
            for s in &stages {
                if let Err(e) = s.process(d) {
                    println!("geo_profile: {} failed on {}: {e}", s.name(), d.id);
                }
            }
        }
    }
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let stage = GeoStage::new(gaz);
    let mut places = 0;
    let t = Instant::now();
    for _ in 0..passes {
        for d in &docs {
            places += stage.resolve(d).len();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let n = (docs.len() * passes).max(1) as f64;
    println!(
        "{} docs ({:.0} bytes/doc), {passes} passes: {:.1} µs/doc, {:.2} places/doc",
        docs.len(),
        bytes as f64 / docs.len() as f64,
        secs * 1e6 / n,
        places as f64 / n
    );
}
