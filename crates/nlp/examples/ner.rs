//! Prints the sentences and entities (with actor codes) of text read from stdin.
//!
//! ```text
//! echo "Turkish President Recep Tayyip Erdogan met Hadi al-Bahra." | \
//!     cargo run -p chronicle-nlp --example ner -- data
//! ```

use chronicle_core::{Document, Metadata, Stage};
use chronicle_nlp::{Dictionaries, EntityStage, Tokenizer};
use std::io::Read;
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "data".to_string());
    let dict = Arc::new(Dictionaries::load(std::path::Path::new(&data))?);
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let mut doc = Document::new("stdin", Metadata::default(), text);
    Tokenizer.process(&mut doc)?;
    EntityStage::new(dict).process(&mut doc)?;
    for (i, s) in doc.sentences.iter().enumerate() {
        println!("[{i}] {}", doc.slice(s.span));
    }
    for e in &doc.entities {
        let a = e.actor.as_ref();
        println!(
            "{:>3} {:?}\t{:30}\t{} | {} | {} ({})",
            e.sentence,
            e.kind,
            e.text,
            a.map(|a| a.name.as_str()).unwrap_or("-"),
            a.and_then(|a| a.country.as_deref()).unwrap_or("-"),
            a.map(|a| a.sectors.join(",")).unwrap_or_default(),
            e.source
        );
    }
    Ok(())
}
