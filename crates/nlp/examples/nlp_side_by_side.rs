//! Our side of `scripts/nlp_bench.sh`: NER F1 on a CoNLL-2003 file and the
//! speed of tokenizer + POS + NER (+ dependency parser) on its text.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example nlp_side_by_side -- /work/shared/eval/conll2003/eng.testa data
//! ```
//! F1: the gold words of each sentence go to the NER (conlleval semantics:
//! exact span and type), sentence by sentence and per document. Speed: each
//! document's words are joined with spaces into one text, which is
//! tokenized, POS-tagged and NER-tagged (POS from the tagger stage), then
//! parsed (`DepParser::parse`) in a second pass, timed on one thread (wall
//! clock, and tokens per CPU second from `/proc/self/stat`, which a loaded
//! machine disturbs less); tokens are the tokenizer's. Prints `RESULT key=value` lines for the bench script.
//! Prints a message and exits 0 when the file is missing.

use chronicle_core::{Document, Metadata, Stage};
use chronicle_nlp::tagger::ner::{evaluate, read_conll2003_docs};
use chronicle_nlp::tagger::upos_index;
use chronicle_nlp::{DepParser, NerModel, PosTagger, Tokenizer};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn micro(c: &std::collections::HashMap<String, [usize; 3]>) -> (f64, f64, f64) {
    let mut a = [0usize; 3];
    for v in c.values() {
        (0..3).for_each(|i| a[i] += v[i]);
    }
    let p = a[0] as f64 / a[1].max(1) as f64;
    let r = a[0] as f64 / a[2].max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (100.0 * p, 100.0 * r, 100.0 * f)
}

/// Words of every sentence of a tokenized document.
fn sentence_words(doc: &Document) -> Vec<Vec<&str>> {
    doc.sentences
        .iter()
        .map(|s| {
            doc.tokens[s.tokens.clone()]
                .iter()
                .map(|t| &doc.text[t.span.start..t.span.end])
                .collect()
        })
        .collect()
}

/// CPU time (user + system) of this process, from `/proc/self/stat`
/// (Linux, 100 ticks/s); `None` elsewhere.
fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let file = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("/work/shared/eval/conll2003/eng.testa"),
    );
    let data = Path::new(args.get(2).map(String::as_str).unwrap_or("data"));
    if !file.exists() {
        println!("skipping: {} not found", file.display());
        return Ok(());
    }
    let docs = read_conll2003_docs(file)?;
    let t0 = Instant::now();
    let pos = Arc::new(PosTagger::load(data)?);
    let ner = NerModel::load_with(data, pos.clone())?;
    let load_ms = t0.elapsed().as_secs_f64() * 1e3;
    let t0 = Instant::now();
    let parser = match DepParser::load(data) {
        Ok(p) => Some(p),
        Err(e) => {
            println!("parser not used: {e}");
            None
        }
    };
    let parser_ms = t0.elapsed().as_secs_f64() * 1e3;
    println!("RESULT load_ms_pos_ner={load_ms:.0}");
    println!("RESULT load_ms_parser={parser_ms:.0}");
    for (name, documents) in [("sentence", false), ("document", true)] {
        let (p, r, f) = micro(&evaluate(&ner, &docs, documents));
        println!("RESULT chronicle_{name}_p={p:.2}");
        println!("RESULT chronicle_{name}_r={r:.2}");
        println!("RESULT chronicle_{name}_f1={f:.2}");
    }
    let texts: Vec<String> = docs
        .iter()
        .map(|d| {
            d.iter()
                .map(|s| s.iter().map(|x| x.0.as_str()).collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n\n")
        })
        .collect();
    let tagger_stage = pos.clone();
    // pass 1: tokenizer + POS + NER
    let (mut t_tok, mut t_pos, mut t_ner) = (0f64, 0f64, 0f64);
    let (mut ntok, mut nent) = (0usize, 0usize);
    let cpu0 = cpu_secs();
    let mut done = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        let mut doc = Document::new(format!("d{i}"), Metadata::default(), text.clone());
        let t = Instant::now();
        Tokenizer.process(&mut doc)?;
        t_tok += t.elapsed().as_secs_f64();
        let t = Instant::now();
        tagger_stage.process(&mut doc)?;
        t_pos += t.elapsed().as_secs_f64();
        ntok += doc.tokens.len();
        let t = Instant::now();
        let words = sentence_words(&doc);
        let tags: Vec<Vec<u8>> = doc
            .sentences
            .iter()
            .map(|s| {
                doc.tokens[s.tokens.clone()]
                    .iter()
                    .filter_map(|t| t.pos.as_deref().and_then(upos_index))
                    .collect()
            })
            .collect();
        nent += ner
            .predict_document_with_pos(&words, Some(&tags))
            .iter()
            .map(Vec::len)
            .sum::<usize>();
        t_ner += t.elapsed().as_secs_f64();
        done.push(doc);
    }
    let cpu1 = cpu_secs();
    // pass 2: dependency parser on the tagged sentences
    let mut t_parse = 0f64;
    let mut narcs = 0usize;
    if let Some(parser) = &parser {
        let t = Instant::now();
        for doc in &done {
            for (w, s) in sentence_words(doc).iter().zip(&doc.sentences) {
                let upos: Vec<&str> = doc.tokens[s.tokens.clone()]
                    .iter()
                    .map(|t| t.pos.as_deref().unwrap_or("X"))
                    .collect();
                narcs += parser.parse(w, &upos).len();
            }
        }
        t_parse = t.elapsed().as_secs_f64();
    }
    let cpu2 = cpu_secs();
    let tps = |secs: f64| ntok as f64 / secs.max(1e-9);
    println!("tokens {ntok}, entities {nent}, parsed words {narcs}");
    println!("RESULT chronicle_tokens={ntok}");
    println!(
        "RESULT chronicle_tok_pos_ner_tokens_per_s={:.0}",
        tps(t_tok + t_pos + t_ner)
    );
    println!("RESULT chronicle_ner_only_tokens_per_s={:.0}", tps(t_ner));
    if let (Some(a), Some(b)) = (cpu0, cpu1) {
        println!(
            "RESULT chronicle_tok_pos_ner_tokens_per_cpu_s={:.0}",
            tps(b - a)
        );
    }
    if parser.is_some() {
        println!(
            "RESULT chronicle_tok_pos_ner_parse_tokens_per_s={:.0}",
            tps(t_tok + t_pos + t_ner + t_parse)
        );
        if let (Some(a), Some(c)) = (cpu0, cpu2) {
            println!(
                "RESULT chronicle_tok_pos_ner_parse_tokens_per_cpu_s={:.0}",
                tps(c - a)
            );
        }
    }
    Ok(())
}
