//! Runs the shipped NER over out-of-domain news text (ACLED event notes and
//! IndiaPoliceEvents articles), counts entities per type and prints a seeded
//! random sample of sentences with their entities bracketed, for checking
//! precision by hand.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example ner_robustness -- /work/shared/eval data [sample per source=25] [seed=1]
//! ```
//! Text: the `notes` column of every `acled-*/*.csv` and `doc_text` of
//! `indiapoliceevents/docs.jsonl` (mostly lower-cased upstream), tokenized
//! by the crate tokenizer and labelled per document (`predict_document`).
//! Prints a message and exits 0 when the data are absent.

use chronicle_core::EntityKind;
use chronicle_nlp::tagger::ner::NER_TYPES;
use chronicle_nlp::{NerModel, Tokenizer};
use std::path::Path;

fn kind_name(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Per => "PER",
        EntityKind::Org => "ORG",
        EntityKind::Loc => "LOC",
        _ => "MISC",
    }
}

struct Report {
    docs: usize,
    tokens: usize,
    counts: [usize; 4],
    /// (document, sentence) text with entities bracketed, for sentences with entities
    shown: Vec<String>,
}

fn run(model: &NerModel, texts: &[String]) -> Report {
    let mut r = Report {
        docs: texts.len(),
        tokens: 0,
        counts: [0; 4],
        shown: Vec::new(),
    };
    for text in texts {
        let (sentences, tokens) = Tokenizer.tokenize(text, &[]);
        let words: Vec<Vec<&str>> = sentences
            .iter()
            .map(|s| {
                tokens[s.tokens.clone()]
                    .iter()
                    .map(|t| &text[t.span.start..t.span.end])
                    .collect()
            })
            .collect();
        r.tokens += tokens.len();
        for (w, spans) in words.iter().zip(model.predict_document(&words)) {
            if spans.is_empty() {
                continue;
            }
            let mut out = String::new();
            for (i, word) in w.iter().enumerate() {
                if let Some((_, _, k)) = spans.iter().find(|s| s.0 == i) {
                    out.push('[');
                    out.push_str(kind_name(*k));
                    out.push(' ');
                }
                out.push_str(word);
                if spans.iter().any(|s| s.1 == i + 1) {
                    out.push(']');
                }
                out.push(' ');
            }
            for (_, _, k) in &spans {
                let t = NER_TYPES
                    .iter()
                    .position(|x| *x == kind_name(*k))
                    .unwrap_or(3);
                r.counts[t] += 1;
            }
            r.shown.push(out.trim_end().to_string());
        }
    }
    r
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let eval = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("/work/shared/eval"),
    );
    let data = Path::new(args.get(2).map(String::as_str).unwrap_or("data"));
    let per_source: usize = args.get(3).map_or(Ok(25), |s| s.parse())?;
    let mut seed: u64 = args.get(4).map_or(Ok(1), |s| s.parse())?;
    if !eval.join("indiapoliceevents/docs.jsonl").exists() {
        println!("skipping: {} has no IndiaPoliceEvents", eval.display());
        return Ok(());
    }
    let model = NerModel::load(data)?;
    let mut acled = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(eval)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("acled-"))
        })
        .collect();
    dirs.sort();
    for d in dirs {
        for f in std::fs::read_dir(&d)? {
            let p = f?.path();
            if p.extension().is_some_and(|x| x == "csv") {
                let mut rd = csv::Reader::from_path(&p)?;
                let idx = rd
                    .headers()?
                    .iter()
                    .position(|h| h == "notes")
                    .ok_or_else(|| format!("{}: no notes column", p.display()))?;
                for rec in rd.records() {
                    if let Some(s) = rec?.get(idx) {
                        acled.push(s.to_string());
                    }
                }
            }
        }
    }
    let mut ipe = Vec::new();
    let path = eval.join("indiapoliceevents/docs.jsonl");
    for (i, line) in std::fs::read_to_string(&path)?.lines().enumerate() {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        if let Some(t) = v.get("doc_text").and_then(|x| x.as_str()) {
            ipe.push(t.to_string());
        }
    }
    for (name, texts) in [("ACLED notes", &acled), ("IndiaPoliceEvents", &ipe)] {
        let r = run(&model, texts);
        let total: usize = r.counts.iter().sum();
        println!(
            "== {name}: {} texts, {} tokens, {total} entities ({:.1} per 1,000 tokens), {} sentences with entities",
            r.docs,
            r.tokens,
            1e3 * total as f64 / r.tokens.max(1) as f64,
            r.shown.len()
        );
        for (t, n) in NER_TYPES.iter().zip(r.counts) {
            println!("   {t:<5} {n}");
        }
        println!("-- sample of {per_source} sentences with entities (seed {seed})");
        let mut pool = r.shown;
        for k in 0..per_source.min(pool.len()) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let j = k + (seed % (pool.len() - k) as u64) as usize;
            pool.swap(k, j);
            println!("{:>3}. {}", k + 1, pool[k]);
        }
    }
    Ok(())
}
