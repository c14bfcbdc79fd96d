//! Throughput of the tokenizer and the entity stage (single thread).
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example speed -- data [TEXT_SOURCE] [MIN_MB]
//! ```
//! TEXT_SOURCE: a `.conllu` file (its `# text =` lines), a CoNLL-2003 file (tokens
//! joined by spaces), or any UTF-8 text file. Default:
//! `/work/shared/corpora/ud-english-ewt/en_ewt-ud-dev.conllu`. The text is cut into
//! documents of ~20 sentences and repeated until it reaches MIN_MB (default 4).

use chronicle_core::{Document, Metadata, Stage};
use chronicle_nlp::{Dictionaries, EntityStage, Tokenizer};
use std::sync::Arc;
use std::time::Instant;

fn load_docs(path: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut sents: Vec<String> = Vec::new();
    if path.ends_with(".conllu") {
        sents.extend(
            raw.lines()
                .filter_map(|l| l.strip_prefix("# text = "))
                .map(str::to_string),
        );
    } else if raw.starts_with("-DOCSTART-")
        || raw.lines().take(50).any(|l| l.split(' ').count() == 4)
    {
        let mut cur: Vec<&str> = Vec::new();
        for l in raw.lines() {
            if l.trim().is_empty() || l.starts_with("-DOCSTART-") {
                if !cur.is_empty() {
                    sents.push(cur.join(" "));
                    cur.clear();
                }
            } else if let Some(t) = l.split(' ').next() {
                cur.push(t);
            }
        }
        if !cur.is_empty() {
            sents.push(cur.join(" "));
        }
    } else {
        sents.extend(raw.split("\n\n").map(str::to_string));
    }
    Ok(sents.chunks(20).map(|c| c.join(" ")).collect())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let data = args.get(1).map(String::as_str).unwrap_or("data");
    let src = args
        .get(2)
        .map(String::as_str)
        .unwrap_or("/work/shared/corpora/ud-english-ewt/en_ewt-ud-dev.conllu");
    let min_mb: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(4.0);
    let t = Instant::now();
    let dict = Arc::new(Dictionaries::load(std::path::Path::new(data))?);
    let (nc, ne, na) = dict.stats();
    println!(
        "dictionaries: {nc} countries, {ne} entries, {na} aliases, loaded in {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let base = load_docs(src)?;
    if base.is_empty() {
        return Err(format!("{src}: no text").into());
    }
    let mut docs: Vec<Document> = Vec::new();
    let mut bytes = 0usize;
    let mut chars = 0usize;
    'outer: loop {
        for (i, text) in base.iter().enumerate() {
            bytes += text.len();
            chars += text.chars().count();
            docs.push(Document::new(
                format!("d{}", docs.len() + i),
                Metadata::default(),
                text.clone(),
            ));
            if bytes as f64 >= min_mb * 1e6 {
                break 'outer;
            }
        }
    }
    let stage = EntityStage::new(dict);
    let t = Instant::now();
    for d in docs.iter_mut() {
        Tokenizer.process(d)?;
    }
    let t_tok = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for d in docs.iter_mut() {
        stage.process(d)?;
    }
    let t_ent = t.elapsed().as_secs_f64();
    let tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();
    let sentences: usize = docs.iter().map(|d| d.sentences.len()).sum();
    let entities: usize = docs.iter().map(|d| d.entities.len()).sum();
    println!(
        "input: {} docs, {:.2} MB, {} chars, {} sentences, {} tokens, {} entities",
        docs.len(),
        bytes as f64 / 1e6,
        chars,
        sentences,
        tokens,
        entities
    );
    println!(
        "tokenizer: {:.2} s  {:.2} M chars/s  {:.2} M tokens/s",
        t_tok,
        chars as f64 / t_tok / 1e6,
        tokens as f64 / t_tok / 1e6
    );
    println!(
        "entities : {:.2} s  {:.2} M chars/s  {:.2} M tokens/s",
        t_ent,
        chars as f64 / t_ent / 1e6,
        tokens as f64 / t_ent / 1e6
    );
    let tt = t_tok + t_ent;
    println!(
        "both     : {:.2} M chars/s  {:.0} k tokens/s",
        chars as f64 / tt / 1e6,
        tokens as f64 / tt / 1e3
    );
    Ok(())
}
