//! Scores the shipped NER model (`data/models/ner-conll.bin`) on CoNLL-2003.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example eval_ner -- /work/shared/eval/conll2003 data [eng.testa]
//! ```
//! Prints the load time, per-type and micro P/R/F1 (conlleval semantics: exact
//! span and type; IOB1 gold converted to spans) and single-thread tokens/s
//! for sentence-level `predict` and document-level `predict_document`
//! (POS tagging included). Prints a message and exits 0 when the file is missing.

use chronicle_nlp::tagger::ner::{evaluate, read_conll2003_docs, score_table};
use chronicle_nlp::{NerModel, PosTagger};
use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let conll = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("/work/shared/eval/conll2003"),
    );
    let data = Path::new(args.get(2).map(String::as_str).unwrap_or("data"));
    let file = args.get(3).map(String::as_str).unwrap_or("eng.testa");
    let path = conll.join(file);
    if !path.exists() {
        println!("skipping: {} not found", path.display());
        return Ok(());
    }
    let docs = read_conll2003_docs(&path)?;
    let t0 = Instant::now();
    let pos = std::sync::Arc::new(PosTagger::load(data)?);
    let t1 = Instant::now();
    let model = NerModel::load_with(data, pos)?;
    println!(
        "model load: POS {:.1} ms + NER {:.1} ms (NerModel::load_with; NerModel::load does both)",
        (t1 - t0).as_secs_f64() * 1e3,
        t1.elapsed().as_secs_f64() * 1e3
    );
    print!(
        "{file}, sentence by sentence (predict)\n{}",
        score_table(&evaluate(&model, &docs, false))
    );
    print!(
        "{file}, whole documents (predict_document)\n{}",
        score_table(&evaluate(&model, &docs, true))
    );
    let words: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| {
            d.iter()
                .map(|s| s.iter().map(|x| x.0.as_str()).collect())
                .collect()
        })
        .collect();
    let n: usize = words.iter().flatten().map(Vec::len).sum();
    let t = Instant::now();
    let mut ents = 0;
    for w in words.iter().flatten() {
        ents += model.predict(w).len();
    }
    let t1 = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for d in &words {
        ents += model
            .predict_document(d)
            .iter()
            .map(Vec::len)
            .sum::<usize>();
    }
    println!(
        "speed (1 thread, POS included): {:.0} tokens/s predict, {:.0} tokens/s predict_document ({n} tokens, {ents} entities)",
        n as f64 / t1,
        n as f64 / t.elapsed().as_secs_f64()
    );
    Ok(())
}
