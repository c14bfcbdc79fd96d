//! Sentence-boundary P/R/F1 on a CoNLL-U file (UD English-EWT by default).
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example sentence_eval -- [FILE.conllu]
//! ```
//! Each `# newpar` paragraph is rebuilt by joining its sentences' `# text` with one
//! space (paragraphs are passed as `doc.paragraphs`, i.e. hard boundaries, as
//! ingest provides them); a predicted sentence end counts as correct when a gold
//! sentence ends at the same byte. Paragraph-final ends are excluded (they are
//! given). Prints a message and exits 0 when the file is missing.

use chronicle_core::{Document, Metadata, Span, Stage};
use chronicle_nlp::Tokenizer;
use std::collections::HashSet;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared/corpora/ud-english-ewt/en_ewt-ud-test.conllu".to_string());
    let raw = match std::fs::read_to_string(&path) {
        Ok(r) => r,
        Err(e) => {
            println!("skipping sentence evaluation: {path}: {e}");
            return Ok(());
        }
    };
    // documents -> paragraphs -> sentences
    let mut docs: Vec<Vec<Vec<String>>> = Vec::new();
    for line in raw.lines() {
        if line.starts_with("# newdoc") {
            docs.push(vec![Vec::new()]);
        } else if line.starts_with("# newpar") {
            if docs.is_empty() {
                docs.push(Vec::new());
            }
            let d = docs.last_mut().unwrap();
            if d.last().is_none_or(|p| !p.is_empty()) {
                d.push(Vec::new());
            }
        } else if let Some(t) = line.strip_prefix("# text = ") {
            if docs.is_empty() {
                docs.push(vec![Vec::new()]);
            }
            let d = docs.last_mut().unwrap();
            if d.is_empty() {
                d.push(Vec::new());
            }
            d.last_mut().unwrap().push(t.trim().to_string());
        }
    }
    let (mut tp, mut n_pred, mut n_gold, mut shown) = (0usize, 0usize, 0usize, 0usize);
    for d in &docs {
        let mut text = String::new();
        let mut paragraphs = Vec::new();
        let mut gold = HashSet::new();
        let mut par_ends = HashSet::new();
        for p in d.iter().filter(|p| !p.is_empty()) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let p0 = text.len();
            for (i, s) in p.iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                }
                text.push_str(s);
                gold.insert(text.len());
            }
            par_ends.insert(text.len());
            paragraphs.push(Span::new(p0, text.len()));
        }
        let mut doc = Document::new("ud", Metadata::default(), text);
        doc.paragraphs = paragraphs;
        Tokenizer.process(&mut doc)?;
        let pred: HashSet<usize> = doc
            .sentences
            .iter()
            .map(|s| s.span.end)
            .filter(|e| !par_ends.contains(e))
            .collect();
        let gold: HashSet<usize> = gold.into_iter().filter(|e| !par_ends.contains(e)).collect();
        tp += pred.intersection(&gold).count();
        n_pred += pred.len();
        n_gold += gold.len();
        if std::env::var("SHOW").is_ok() && shown < 30 {
            for &e in pred.symmetric_difference(&gold) {
                let a = doc.text[..e.saturating_sub(40)].len();
                let lo = (a..e).find(|&i| doc.text.is_char_boundary(i)).unwrap_or(e);
                let hi = (e..=(e + 30).min(doc.text.len()))
                    .rev()
                    .find(|&i| doc.text.is_char_boundary(i))
                    .unwrap_or(e);
                println!(
                    "{} ...{}|{}...",
                    if gold.contains(&e) { "FN" } else { "FP" },
                    &doc.text[lo..e],
                    &doc.text[e..hi]
                );
                shown += 1;
            }
        }
    }
    let p = tp as f64 / n_pred.max(1) as f64;
    let r = tp as f64 / n_gold.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    println!(
        "sentence boundaries (paragraph-internal): gold {n_gold}, predicted {n_pred}, correct {tp}: P {:.1} R {:.1} F1 {:.1}",
        p * 100.0,
        r * 100.0,
        f * 100.0
    );
    Ok(())
}
