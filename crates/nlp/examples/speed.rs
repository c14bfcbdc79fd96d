//! Throughput of the linguistic core, stage by stage, on one thread.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example speed -- data [TEXT_SOURCE] [MIN_MB] [ROUNDS]
//! ```
//! TEXT_SOURCE: a `.conllu` file (its `# text =` lines), a CoNLL-2003 file (tokens
//! joined by spaces), or any UTF-8 text file. Default:
//! `/work/shared/corpora/ud-english-ewt/en_ewt-ud-dev.conllu`. The text is cut into
//! documents of ~20 sentences and repeated until it reaches MIN_MB (default 1).
//!
//! Runs, as stages over every document: the tokenizer (tokens and sentences),
//! the POS tagger (tags and lemmas), the dictionary entity stage, the NER model
//! stage (POS from the tagger stage) and the dependency parser. Each stage's time
//! is the best of ROUNDS (default 3) passes in thread CPU time (the machine is
//! shared; wall time counts other processes' turns), and the core (tokenise +
//! split, POS, NER model, parse) is their sum. Model files that are missing are
//! reported and their stages skipped.

use chronicle_core::{Document, Metadata, Stage};
use chronicle_nlp::{
    DepParser, Dictionaries, EntityStage, ModelEntityStage, NerModel, PosTagger, Tokenizer,
};
use std::sync::Arc;
use std::time::Instant;

/// CPU time of this thread in seconds.
fn thread_cpu_secs() -> f64 {
    cpu_time::ThreadTime::try_now().map_or(f64::NAN, |t| t.as_duration().as_secs_f64())
}

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

/// Loads a model, or reports why its stage is skipped.
fn optional<T>(what: &str, r: chronicle_core::Result<T>) -> Option<T> {
    match r {
        Ok(m) => Some(m),
        Err(e) => {
            println!("{what}: skipped ({e})");
            None
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let data = std::path::Path::new(args.get(1).map(String::as_str).unwrap_or("data"));
    let src = args
        .get(2)
        .map(String::as_str)
        .unwrap_or("/work/shared/corpora/ud-english-ewt/en_ewt-ud-dev.conllu");
    let min_mb: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let rounds: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(3);
    let t = Instant::now();
    let dict = Arc::new(Dictionaries::load(data)?);
    let (nc, ne, na) = dict.stats();
    println!(
        "dictionaries: {nc} countries, {ne} entries, {na} aliases, loaded in {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let pos = optional("POS tagger", PosTagger::load(data).map(Arc::new));
    let t_pos = t.elapsed();
    let t = Instant::now();
    let ner = pos.as_ref().and_then(|p| {
        optional(
            "NER model",
            NerModel::load_with(data, p.clone()).map(Arc::new),
        )
    });
    let t_ner = t.elapsed();
    let t = Instant::now();
    let parser = optional("parser", DepParser::load(data));
    let t_parse = t.elapsed();
    println!(
        "load (wall): POS {:.0} ms, NER {:.0} ms, parser {:.0} ms",
        t_pos.as_secs_f64() * 1e3,
        t_ner.as_secs_f64() * 1e3,
        t_parse.as_secs_f64() * 1e3
    );
    let base = load_docs(src)?;
    if base.is_empty() {
        return Err(format!("{src}: no text").into());
    }
    let mut texts: Vec<String> = Vec::new();
    let mut bytes = 0usize;
    'outer: loop {
        for text in &base {
            bytes += text.len();
            texts.push(text.clone());
            if bytes as f64 >= min_mb * 1e6 {
                break 'outer;
            }
        }
    }
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    let mut stages: Vec<(&str, bool, Box<dyn Stage>)> = vec![
        ("tokenise+split", true, Box::new(Tokenizer)),
        (
            "dictionary entities",
            false,
            Box::new(EntityStage::new(dict.clone())),
        ),
    ];
    if let Some(p) = &pos {
        stages.insert(1, ("POS+lemma", true, Box::new(p.clone())));
    }
    if let Some(n) = &ner {
        stages.push((
            "NER model",
            true,
            Box::new(ModelEntityStage::new(n.clone(), dict.clone())),
        ));
    }
    if let Some(p) = parser {
        stages.push(("parse", true, Box::new(p)));
    }
    let mut best = vec![f64::INFINITY; stages.len()];
    let mut docs: Vec<Document> = Vec::new();
    for _ in 0..rounds.max(1) {
        docs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document::new(format!("d{i}"), Metadata::default(), t.clone()))
            .collect();
        for (k, (_, _, stage)) in stages.iter().enumerate() {
            let c = thread_cpu_secs();
            for d in docs.iter_mut() {
                stage.process(d)?;
            }
            best[k] = best[k].min(thread_cpu_secs() - c);
        }
    }
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
    println!("thread CPU time, best of {rounds} rounds:");
    let rate = |s: f64| tokens as f64 / s;
    for ((name, _, _), s) in stages.iter().zip(&best) {
        println!("  {name:<20} {s:7.3} s  {:>10.0} tokens/s", rate(*s));
    }
    let core: f64 = stages
        .iter()
        .zip(&best)
        .filter(|((_, in_core, _), _)| *in_core)
        .map(|(_, s)| s)
        .sum();
    let names: Vec<&str> = stages
        .iter()
        .filter(|(_, c, _)| *c)
        .map(|(n, _, _)| *n)
        .collect();
    println!(
        "  core ({}) {core:.3} s  {:.0} tokens/s",
        names.join(" + "),
        rate(core)
    );
    let all: f64 = best.iter().sum();
    println!(
        "  all stages above   {all:7.3} s  {:>10.0} tokens/s",
        rate(all)
    );
    Ok(())
}
