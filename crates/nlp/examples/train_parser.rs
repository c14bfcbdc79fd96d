//! Trains the dependency parser on UD English-EWT and writes the model.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example train_parser -- /work/shared/corpora/ud-english-ewt data/models [iterations] [prune] [gold|tagger|jackknife] [explore]
//! cargo run --release -p chronicle-nlp --example train_parser -- --convert <old.bin> <new.bin>
//! ```
//! Reads `en_ewt-ud-train.conllu` (and `en_ewt-ud-dev.conllu` for the
//! report), writes `<out>/parser-ewt.bin` and prints dev UAS/LAS with gold
//! POS. `tagger` trains on the shipped POS tagger's tags (`<out>/pos-ewt.bin`)
//! instead of gold ones; `jackknife` (the default) on 5-fold jackknifed tags of
//! taggers trained with `train_pos` on the other folds, so the parser sees
//! tagging errors like those at run time. Prints a message and exits 0 when
//! the corpus directory is missing. With `PARSER_TAG_CACHE=<file>` the
//! jackknifed tags are read from (or, the first time, written to) that file;
//! `PARSER_JACKKNIFE_FOLDS` (default 5) sets the number of folds;
//! `PARSER_JACKKNIFE_STACKED=1` trains the fold taggers like the shipped
//! stacked tagger (default `TrainOptions`) instead of unstacked 8-iteration
//! ones; `PARSER_MODELS=k` (default 1) averages the weights of k runs with
//! different shuffling seeds, and `PARSER_ALT_TAGS=<file>,...` adds tag sets
//! (cache format) that models 1, 2, ... train on in turn. Brown word
//! clusters (`path<TAB>word[<TAB>count]` lines) are read from
//! `PARSER_CLUSTERS=<file>`, else from `<out>/clusters-brown.txt` when present,
//! and kept inside the parser model. `PARSER_PRUNES=<p>,...` also writes
//! `<out>/parser-ewt.p<p>.bin` pruned at each further threshold (same
//! training run).

use chronicle_nlp::parser::{train_parser_prunes, ParserTrainOptions, PARSER_MODEL_FILE};
use chronicle_nlp::tagger::conllu::{read_conllu, UdWord};
use chronicle_nlp::tagger::{train_pos, TrainOptions};
use chronicle_nlp::{DepParser, PosTagger};
use std::path::Path;
use std::time::Instant;

fn score(p: &DepParser, dev: &[Vec<UdWord>]) -> (f64, f64) {
    let (mut u, mut l, mut n) = (0usize, 0usize, 0usize);
    for s in dev {
        let words: Vec<&str> = s.iter().map(|w| w.form.as_str()).collect();
        let tags: Vec<&str> = s.iter().map(|w| w.upos.as_str()).collect();
        for (w, (h, rel)) in s.iter().zip(p.parse(&words, &tags)) {
            let gh = w.head;
            let ph = h.map_or(0, |h| h + 1);
            n += 1;
            if gh == ph {
                u += 1;
                l += (w.deprel == rel) as usize;
            }
        }
    }
    (
        100.0 * u as f64 / n.max(1) as f64,
        100.0 * l as f64 / n.max(1) as f64,
    )
}

/// Tags of each training sentence from a tagger trained without its fold.
fn jackknife(
    train: &[Vec<UdWord>],
    k: usize,
) -> Result<Vec<Vec<String>>, Box<dyn std::error::Error>> {
    // PARSER_JACKKNIFE_STACKED=1: taggers trained like the shipped one
    // (stacked second stage, default options); else a faster unstacked tagger.
    let stacked = std::env::var("PARSER_JACKKNIFE_STACKED").is_ok_and(|v| v == "1");
    let topt = if stacked {
        TrainOptions::default()
    } else {
        TrainOptions {
            stack_folds: 0,
            iterations: 8,
            ..TrainOptions::default()
        }
    };
    let mut tags = vec![Vec::new(); train.len()];
    for f in 0..k {
        let rest: Vec<Vec<UdWord>> = train
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != f)
            .map(|(_, s)| s.clone())
            .collect();
        let tagger = train_pos(&rest, &topt)?;
        for (i, s) in train.iter().enumerate().filter(|(i, _)| i % k == f) {
            let words: Vec<&str> = s.iter().map(|w| w.form.as_str()).collect();
            tags[i] = tagger
                .tag(&words)
                .into_iter()
                .map(|(t, _)| t.to_string())
                .collect();
        }
    }
    Ok(tags)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--convert") {
        // --convert <old model> <new model>: rewrite a model in the current format
        let (Some(from), Some(to)) = (args.get(2), args.get(3)) else {
            return Err("usage: train_parser --convert <old.bin> <new.bin>".into());
        };
        let p = DepParser::load_file(Path::new(from))?;
        p.save(Path::new(to))?;
        println!("rewrote {from} as {to} ({:?} features)", p.stats());
        return Ok(());
    }
    let corpus = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("/work/shared/corpora/ud-english-ewt"),
    );
    let out = Path::new(args.get(2).map(String::as_str).unwrap_or("data/models"));
    let mut opt = ParserTrainOptions::default();
    if let Some(n) = args.get(3) {
        opt.iterations = n.parse()?;
    }
    if let Some(p) = args.get(4) {
        opt.prune = p.parse()?;
    }
    if let Some(e) = args.get(6) {
        opt.explore = e.parse()?;
    }
    if let Ok(m) = std::env::var("PARSER_MODELS") {
        opt.models = m.parse()?;
    }
    // Brown clusters: PARSER_CLUSTERS=<file> (or "none"); default <out>/clusters-brown.txt
    let cl_path = std::env::var("PARSER_CLUSTERS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| out.join("clusters-brown.txt"));
    if cl_path.exists() {
        let text = std::fs::read_to_string(&cl_path)?;
        for (i, line) in text.lines().enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 2 {
                return Err(
                    format!("{}:{}: expected path<TAB>word", cl_path.display(), i + 1).into(),
                );
            }
            opt.clusters.push((f[1].to_string(), f[0].to_string()));
        }
        println!(
            "{} word clusters from {}",
            opt.clusters.len(),
            cl_path.display()
        );
    } else {
        println!("no word clusters ({} not found)", cl_path.display());
    }
    let mode = args.get(5).map(String::as_str).unwrap_or("jackknife");
    let train_path = corpus.join("en_ewt-ud-train.conllu");
    if !train_path.exists() {
        println!("skipping: {} not found", train_path.display());
        return Ok(());
    }
    let train = read_conllu(&train_path)?;
    let dev = read_conllu(&corpus.join("en_ewt-ud-dev.conllu"))?;
    let t0 = Instant::now();
    let cache = std::env::var("PARSER_TAG_CACHE").ok();
    let cached: Option<Vec<Vec<String>>> = cache
        .as_deref()
        .filter(|_| mode == "jackknife")
        .and_then(|c| std::fs::read_to_string(c).ok())
        .map(|t| {
            t.lines()
                .map(|l| l.split(' ').map(str::to_string).collect())
                .collect()
        })
        .filter(|t: &Vec<Vec<String>>| t.len() == train.len());
    let tags: Vec<Vec<String>> = if let Some(t) = cached {
        t
    } else if mode == "jackknife" {
        let folds: usize = std::env::var("PARSER_JACKKNIFE_FOLDS")
            .ok()
            .and_then(|f| f.parse().ok())
            .unwrap_or(5);
        let t = jackknife(&train, folds.max(2))?;
        if let Some(c) = &cache {
            let text: Vec<String> = t.iter().map(|s| s.join(" ")).collect();
            std::fs::write(c, text.join("\n"))?;
        }
        t
    } else if mode == "tagger" {
        let tagger = PosTagger::load_file(&out.join("pos-ewt.bin"))?;
        train
            .iter()
            .map(|s| {
                let words: Vec<&str> = s.iter().map(|w| w.form.as_str()).collect();
                tagger
                    .tag(&words)
                    .into_iter()
                    .map(|(t, _)| t.to_string())
                    .collect()
            })
            .collect()
    } else if mode == "gold" {
        train
            .iter()
            .map(|s| s.iter().map(|w| w.upos.clone()).collect())
            .collect()
    } else {
        return Err(format!("unknown tag mode {mode:?} (gold, tagger or jackknife)").into());
    };
    // PARSER_ALT_TAGS=<file>[,<file>...]: further tag sets (cache format) for
    // models 1, 2, ... of a PARSER_MODELS average
    if let Ok(files) = std::env::var("PARSER_ALT_TAGS") {
        for f in files.split(',').filter(|f| !f.is_empty()) {
            let t: Vec<Vec<String>> = std::fs::read_to_string(f)?
                .lines()
                .map(|l| l.split(' ').map(str::to_string).collect())
                .collect();
            if t.len() != train.len() {
                return Err(format!("{f}: {} sentences, expected {}", t.len(), train.len()).into());
            }
            opt.alt_tags.push(t);
        }
    }
    let gold_tags: usize = train.iter().map(Vec::len).sum();
    let same: usize = train
        .iter()
        .zip(&tags)
        .map(|(s, t)| s.iter().zip(t).filter(|(w, t)| w.upos == **t).count())
        .sum();
    println!(
        "training tags ({mode}): {:.2}% equal gold, ready in {:.1?}",
        100.0 * same as f64 / gold_tags as f64,
        t0.elapsed()
    );
    let t0 = Instant::now();
    // PARSER_PRUNES=<p>,<p>,...: also write parser-ewt.p<p>.bin pruned at each
    // threshold (same training run)
    let extra: Vec<f32> = match std::env::var("PARSER_PRUNES") {
        Ok(v) => v
            .split(',')
            .map(|p| p.trim().parse::<f32>())
            .collect::<Result<_, _>>()?,
        Err(_) => Vec::new(),
    };
    let mut prunes = vec![opt.prune];
    prunes.extend(&extra);
    let mut parsers = train_parser_prunes(&train, &tags, &opt, &prunes, |it, lab| {
        println!(
            "iteration {} done at {:.1?}, train label accuracy {:.2}%",
            it + 1,
            t0.elapsed(),
            100.0 * lab
        );
    })?;
    println!(
        "trained on {} sentences in {:.1?} ({} model(s), iterations {}, prune {}, explore {}, {} clusters, tags: {})",
        train.len(),
        t0.elapsed(),
        opt.models,
        opt.iterations,
        opt.prune,
        opt.explore,
        opt.clusters.len(),
        mode
    );
    std::fs::create_dir_all(out)?;
    for (p, parser) in extra.iter().zip(parsers.drain(1..)) {
        let path = out.join(format!("parser-ewt.p{p}.bin"));
        parser.save(&path)?;
        println!("wrote {} (prune {p})", path.display());
    }
    let parser = parsers.remove(0);
    let path = out.join(PARSER_MODEL_FILE);
    parser.save(&path)?;
    let size = std::fs::metadata(&path)?.len();
    let reloaded = DepParser::load_file(&path)?;
    let (u, l) = score(&reloaded, &dev);
    println!(
        "wrote {} ({:.1} MB, {:?} features); dev with gold POS: UAS {u:.2} LAS {l:.2}",
        path.display(),
        size as f64 / 1e6,
        reloaded.stats()
    );
    Ok(())
}
