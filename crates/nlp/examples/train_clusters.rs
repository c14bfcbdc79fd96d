//! Learns Brown word clusters from the unlabelled news text on this machine
//! and writes `data/models/clusters-brown.txt`.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example train_clusters -- /work/shared data/models [clusters=256] [min count=3]
//! ```
//! Text read (words only, never labels): CoNLL-2003 `eng.train` (not
//! `eng.testa`/`eng.testb`), ACLED `notes` of every `eval/acled-*` CSV,
//! IndiaPoliceEvents `docs.jsonl` `doc_text`, CASE 2021 task 2 `EventSnippet`,
//! GLOCON `documents_*.jsonl` `text`, MUC-4 `doctext` (GRIT train/dev),
//! PolNeAR `train`/`dev` article texts and the `# text` lines of UD
//! English-EWT train. Tokens come from the crate tokenizer, normalised as the
//! taggers do (lower case, digit-initial tokens as `!DIGITS`, 4-digit numbers
//! as `!YEAR`); words seen fewer than `min count` times are left out and break
//! the bigram chain. Prints a message and exits 0 when the corpora are absent.

use chronicle_nlp::tagger::clusters::{brown_clusters, WordClusters, CLUSTERS_FILE};
use chronicle_nlp::tagger::features::normalise;
use chronicle_nlp::Tokenizer;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

type Docs = Vec<String>;

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn jsonl_field(path: &Path, field: &str, out: &mut Docs) -> Result<usize, String> {
    let text = read(path)?;
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        if let Some(s) = v.get(field).and_then(|x| x.as_str()) {
            out.push(s.to_string());
            n += 1;
        }
    }
    Ok(n)
}

fn csv_column(path: &Path, column: &str, delim: u8, out: &mut Docs) -> Result<usize, String> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let idx = r
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .iter()
        .position(|h| h == column)
        .ok_or_else(|| format!("{}: no column {column:?}", path.display()))?;
    let mut n = 0;
    for rec in r.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(s) = rec.get(idx) {
            out.push(s.to_string());
            n += 1;
        }
    }
    Ok(n)
}

fn gather(shared: &Path) -> Result<Vec<(String, Docs)>, String> {
    let eval = shared.join("eval");
    let mut sources = Vec::new();
    // CoNLL-2003 training text: one line per sentence, words only
    let mut d = Docs::new();
    let conll = read(&eval.join("conll2003/eng.train"))?;
    let mut sent: Vec<&str> = Vec::new();
    for line in conll.lines() {
        if line.trim().is_empty() || line.starts_with("-DOCSTART-") {
            if !sent.is_empty() {
                d.push(sent.join(" "));
                sent.clear();
            }
            continue;
        }
        sent.push(line.split(' ').next().unwrap_or(""));
    }
    sources.push(("conll2003 eng.train".to_string(), d));
    let mut acled = Docs::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&eval)
        .map_err(|e| format!("{}: {e}", eval.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("acled-"))
        })
        .collect();
    dirs.sort();
    for dir in dirs {
        for f in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let p = f.map_err(|e| e.to_string())?.path();
            if p.extension().is_some_and(|x| x == "csv") {
                csv_column(&p, "notes", b',', &mut acled)?;
            }
        }
    }
    sources.push(("ACLED notes".to_string(), acled));
    let mut d = Docs::new();
    jsonl_field(
        &eval.join("indiapoliceevents/docs.jsonl"),
        "doc_text",
        &mut d,
    )?;
    sources.push(("IndiaPoliceEvents".to_string(), d));
    let mut d = Docs::new();
    csv_column(
        &eval.join("case2021-task2/test_set_final_release_with_labels.tsv"),
        "EventSnippet",
        b'\t',
        &mut d,
    )?;
    sources.push(("CASE 2021 task 2".to_string(), d));
    let mut d = Docs::new();
    jsonl_field(
        &eval.join("glocon-gold-sample/documents_Sabinet_R.jsonl"),
        "text",
        &mut d,
    )?;
    sources.push(("GLOCON".to_string(), d));
    let mut d = Docs::new();
    for f in ["train.json", "dev.json"] {
        jsonl_field(&eval.join("muc4/grit-processed").join(f), "doctext", &mut d)?;
    }
    sources.push(("MUC-4".to_string(), d));
    let mut d = Docs::new();
    for split in ["train", "dev"] {
        let dir = eval.join("polnear").join(split).join("text");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for f in files {
            d.push(read(&f)?);
        }
    }
    sources.push(("PolNeAR".to_string(), d));
    let ewt = shared.join("corpora/ud-english-ewt/en_ewt-ud-train.conllu");
    if ewt.exists() {
        let d = read(&ewt)?
            .lines()
            .filter_map(|l| l.strip_prefix("# text = ").map(str::to_string))
            .collect();
        sources.push(("UD English-EWT train".to_string(), d));
    }
    Ok(sources)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let shared = Path::new(args.get(1).map(String::as_str).unwrap_or("/work/shared"));
    let out_dir = Path::new(args.get(2).map(String::as_str).unwrap_or("data/models"));
    let nclusters: usize = args.get(3).map_or(Ok(256), |s| s.parse())?;
    let min_count: u64 = args.get(4).map_or(Ok(3), |s| s.parse())?;
    if !shared.join("eval/conll2003/eng.train").exists() {
        println!(
            "skipping: {} not found",
            shared.join("eval/conll2003/eng.train").display()
        );
        return Ok(());
    }
    let t0 = Instant::now();
    let sources = gather(shared)?;
    let tok = Tokenizer;
    let mut seqs: Vec<Vec<String>> = Vec::new();
    for (name, docs) in &sources {
        let mut n = 0;
        for d in docs {
            let words: Vec<String> = tok
                .token_spans(d)
                .iter()
                .map(|s| normalise(&d[s.start..s.end]))
                .collect();
            n += words.len();
            seqs.push(words);
        }
        println!("{name}: {} texts, {n} tokens", docs.len());
    }
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for s in &seqs {
        for w in s {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut vocab: Vec<(&str, u64)> = counts
        .iter()
        .filter(|(_, n)| **n >= min_count)
        .map(|(w, n)| (*w, *n))
        .collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let id: HashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i as u32))
        .collect();
    let corpus: Vec<Vec<u32>> = seqs
        .iter()
        .map(|s| {
            s.iter()
                .map(|w| id.get(w.as_str()).copied().unwrap_or(u32::MAX))
                .collect()
        })
        .collect();
    let tokens: usize = corpus.iter().map(Vec::len).sum();
    println!(
        "{tokens} tokens, {} word types, {} with count >= {min_count}; read in {:.1?}",
        counts.len(),
        vocab.len(),
        t0.elapsed()
    );
    let t1 = Instant::now();
    let paths = brown_clusters(&corpus, vocab.len(), nclusters);
    let clusters = WordClusters::from_paths(
        vocab
            .iter()
            .zip(paths)
            .map(|((w, n), p)| (w.to_string(), p, *n)),
    );
    let out = out_dir.join(CLUSTERS_FILE);
    std::fs::write(&out, clusters.to_text())?;
    println!(
        "{nclusters} clusters over {} words in {:.1?}; wrote {} ({:.2} MB); distinct prefixes: 4 bits {}, 8 bits {}, 12 bits {}",
        clusters.len(),
        t1.elapsed(),
        out.display(),
        std::fs::metadata(&out)?.len() as f64 / 1e6,
        clusters.distinct_prefixes(4),
        clusters.distinct_prefixes(8),
        clusters.distinct_prefixes(12),
    );
    for w in [
        "police", "killed", "monday", "gaza", "kenya", "john", "said",
    ] {
        if let Some(p) = clusters.path(w) {
            let prefix = &p[..p.len().min(10)];
            let mut near: Vec<(&str, &str)> = clusters
                .iter()
                .filter(|(x, q)| q.starts_with(prefix) && *x != w)
                .collect();
            near.sort_by_key(|(x, _)| std::cmp::Reverse(counts.get(x).copied().unwrap_or(0)));
            let near: Vec<&str> = near.iter().take(8).map(|x| x.0).collect();
            println!("  {w} {p}: {}", near.join(" "));
        }
    }
    Ok(())
}
