//! Entity P/R/F1 on CoNLL-2003 English (exact span + type, conlleval-style).
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example conll_eval -- data /work/shared/eval/conll2003/eng.testa
//! ```
//! Each CoNLL document is rebuilt as text (tokens joined by spaces, one paragraph
//! per sentence, so gold sentence boundaries are kept), run through the tokenizer
//! and the entity stage, and predicted entity byte spans are compared with the gold
//! spans (IOB1 converted to spans). Role phrases (`source == "role"`: "troops",
//! "Syrian army") are not named entities and are left out; NORP counts as MISC.
//! Prints a message and exits 0 when the file is missing.

use chronicle_core::{Document, EntityKind, Metadata, Span, Stage};
use chronicle_nlp::{Dictionaries, EntityStage, Tokenizer};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

fn label(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Per => "PER",
        EntityKind::Org => "ORG",
        EntityKind::Loc => "LOC",
        EntityKind::Misc | EntityKind::Norp => "MISC",
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let data = args.get(1).map(String::as_str).unwrap_or("data");
    let path = args
        .get(2)
        .map(String::as_str)
        .unwrap_or("/work/shared/eval/conll2003/eng.testa");
    let raw = match std::fs::read_to_string(path) {
        Ok(r) => r,
        Err(e) => {
            println!("skipping CoNLL evaluation: {path}: {e}");
            return Ok(());
        }
    };
    let dict = Arc::new(Dictionaries::load(std::path::Path::new(data))?);
    let stage = EntityStage::new(dict);

    // documents -> sentences -> (token, tag)
    let mut docs: Vec<Vec<Vec<(String, String)>>> = vec![Vec::new()];
    let mut sent: Vec<(String, String)> = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.starts_with("-DOCSTART-") {
            if !sent.is_empty() {
                docs.last_mut().unwrap().push(std::mem::take(&mut sent));
            }
            docs.push(Vec::new());
            continue;
        }
        if line.trim().is_empty() {
            if !sent.is_empty() {
                docs.last_mut().unwrap().push(std::mem::take(&mut sent));
            }
            continue;
        }
        let f: Vec<&str> = line.split(' ').collect();
        if f.len() < 4 {
            return Err(format!("{path}:{}: expected 4 columns", i + 1).into());
        }
        sent.push((f[0].to_string(), f[3].to_string()));
    }
    if !sent.is_empty() {
        docs.last_mut().unwrap().push(sent);
    }

    let mut tp: BTreeMap<&str, usize> = BTreeMap::new();
    let mut n_gold: BTreeMap<&str, usize> = BTreeMap::new();
    let mut n_pred: BTreeMap<&str, usize> = BTreeMap::new();
    let mut errors: Vec<String> = Vec::new();
    for doc_sents in docs.iter().filter(|d| !d.is_empty()) {
        let mut text = String::new();
        let mut paragraphs = Vec::new();
        let mut gold: HashSet<(usize, usize, &str)> = HashSet::new();
        for s in doc_sents {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let p0 = text.len();
            let mut cur: Option<(usize, usize, String)> = None;
            for (k, (tok, tag)) in s.iter().enumerate() {
                if k > 0 {
                    text.push(' ');
                }
                let st = text.len();
                text.push_str(tok);
                let en = text.len();
                let (bio, ty) = tag.split_once('-').unwrap_or(("O", ""));
                let continues = matches!(&cur, Some((_, _, t)) if t == ty) && bio == "I";
                if continues {
                    if let Some(c) = cur.as_mut() {
                        c.1 = en;
                    }
                } else {
                    if let Some((a, b, t)) = cur.take() {
                        gold.insert((a, b, tag_name(t)));
                    }
                    if bio != "O" {
                        cur = Some((st, en, ty.to_string()));
                    }
                }
            }
            if let Some((a, b, t)) = cur.take() {
                gold.insert((a, b, tag_name(t)));
            }
            paragraphs.push(Span::new(p0, text.len()));
        }
        let mut doc = Document::new("conll", Metadata::default(), text);
        doc.paragraphs = paragraphs;
        Tokenizer.process(&mut doc)?;
        stage.process(&mut doc)?;
        let pred: HashSet<(usize, usize, &str)> = doc
            .entities
            .iter()
            .filter(|e| e.source != "role")
            .map(|e| (e.span.start, e.span.end, label(e.kind)))
            .collect();
        for g in &gold {
            *n_gold.entry(g.2).or_default() += 1;
            if pred.contains(g) {
                *tp.entry(g.2).or_default() += 1;
            } else if errors.len() < 40 && std::env::var("SHOW").is_ok() {
                errors.push(format!("FN {} {:?}", g.2, &doc.text[g.0..g.1]));
            }
        }
        for p in &pred {
            *n_pred.entry(p.2).or_default() += 1;
            if !gold.contains(p) && errors.len() < 80 && std::env::var("SHOW").is_ok() {
                errors.push(format!("FP {} {:?}", p.2, &doc.text[p.0..p.1]));
            }
        }
    }
    let prf = |t: usize, p: usize, g: usize| {
        let pr = if p > 0 { t as f64 / p as f64 } else { 0.0 };
        let rc = if g > 0 { t as f64 / g as f64 } else { 0.0 };
        let f = if pr + rc > 0.0 {
            2.0 * pr * rc / (pr + rc)
        } else {
            0.0
        };
        (pr * 100.0, rc * 100.0, f * 100.0)
    };
    println!(
        "{:5} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7}",
        "type", "gold", "pred", "tp", "P", "R", "F1"
    );
    for ty in ["PER", "ORG", "LOC", "MISC"] {
        let (t, p, g) = (
            tp.get(ty).copied().unwrap_or(0),
            n_pred.get(ty).copied().unwrap_or(0),
            n_gold.get(ty).copied().unwrap_or(0),
        );
        let (pr, rc, f) = prf(t, p, g);
        println!("{ty:5} {g:>6} {p:>6} {t:>6} {pr:>7.1} {rc:>7.1} {f:>7.1}");
    }
    let (t, p, g) = (
        tp.values().sum(),
        n_pred.values().sum(),
        n_gold.values().sum(),
    );
    let (pr, rc, f) = prf(t, p, g);
    println!(
        "{:5} {g:>6} {p:>6} {t:>6} {pr:>7.1} {rc:>7.1} {f:>7.1}",
        "all"
    );
    for e in errors {
        println!("{e}");
    }
    Ok(())
}

fn tag_name(s: String) -> &'static str {
    match s.as_str() {
        "PER" => "PER",
        "ORG" => "ORG",
        "LOC" => "LOC",
        _ => "MISC",
    }
}
