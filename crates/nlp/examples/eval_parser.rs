//! Evaluates the shipped dependency parser on UD English-EWT dev.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example eval_parser -- /work/shared/corpora/ud-english-ewt data [dev|test]
//! ```
//! Prints load time, UAS/LAS (all words, punctuation included) with gold POS
//! and with the shipped tagger's POS, LAS of the relations the event coder
//! uses, and parser speed in tokens/s (best of `PARSER_SPEED_ROUNDS`, default
//! 3, passes over dev), and the CPU time of tokeniser, tagger and parser as
//! stages on the split's raw `# text` lines. Exits 0 with a message when the corpus
//! is missing.

use chronicle_core::{Document, Metadata, Stage};
use chronicle_nlp::tagger::conllu::{read_conllu, UdWord};
use chronicle_nlp::{DepParser, PosTagger, Tokenizer};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// CPU time of this thread in seconds (the machine is shared, so wall time
/// overstates the cost when other processes hold the cores).
fn thread_cpu_secs() -> f64 {
    cpu_time::ThreadTime::try_now().map_or(f64::NAN, |t| t.as_duration().as_secs_f64())
}

type Parsed = Vec<Vec<(Option<usize>, &'static str)>>;

fn report(name: &str, dev: &[Vec<UdWord>], parsed: &Parsed) {
    let (mut u, mut l, mut n) = (0usize, 0usize, 0usize);
    let mut per: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for (s, p) in dev.iter().zip(parsed) {
        for (w, (h, rel)) in s.iter().zip(p) {
            let ph = h.map_or(0, |h| h + 1);
            n += 1;
            let uh = w.head == ph;
            u += uh as usize;
            l += (uh && w.deprel == *rel) as usize;
            let e = per.entry(rel).or_default();
            e.1 += 1; // predicted
            if uh && w.deprel == *rel {
                e.0 += 1;
            }
            if let Some(g) = per.get_mut(w.deprel.as_str()) {
                g.2 += 1;
            }
        }
    }
    println!(
        "{name}: UAS {:.2} LAS {:.2} ({n} words)",
        100.0 * u as f64 / n as f64,
        100.0 * l as f64 / n as f64
    );
    let mut line = String::new();
    for rel in [
        "nsubj",
        "obj",
        "iobj",
        "obl",
        "ccomp",
        "xcomp",
        "nsubj:pass",
        "aux:pass",
        "obl:agent",
        "advmod",
        "root",
    ] {
        if let Some((c, p, g)) = per.get(rel) {
            let pr = *c as f64 / (*p).max(1) as f64;
            let rc = *c as f64 / (*g).max(1) as f64;
            let f = if pr + rc > 0.0 {
                2.0 * pr * rc / (pr + rc)
            } else {
                0.0
            };
            line.push_str(&format!("{rel} F1 {:.1}  ", 100.0 * f));
        }
    }
    println!("  labeled F1: {line}");
    let mut conf: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (s, p) in dev.iter().zip(parsed) {
        for (w, (h, rel)) in s.iter().zip(p) {
            if w.head == h.map_or(0, |h| h + 1) && w.deprel != *rel {
                *conf.entry((w.deprel.as_str(), rel)).or_default() += 1;
            }
        }
    }
    let mut conf: Vec<_> = conf.into_iter().collect();
    conf.sort_by_key(|c| std::cmp::Reverse(c.1));
    let top: Vec<String> = conf
        .iter()
        .take(12)
        .map(|((g, p), c)| format!("{g}->{p} {c}"))
        .collect();
    println!(
        "  right head, wrong relation: {} words; most often (gold->predicted): {}",
        conf.iter().map(|(_, c)| c).sum::<usize>(),
        top.join(", ")
    );
    println!(
        "  words left unattached by the transitions (attached to the root as dep/punct): about {}",
        per.get("dep").map_or(0, |e| e.1)
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let corpus = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("/work/shared/corpora/ud-english-ewt"),
    );
    let data = Path::new(args.get(2).map(String::as_str).unwrap_or("data"));
    // optional third argument: the split to evaluate (dev by default, or test)
    let split = args.get(3).map(String::as_str).unwrap_or("dev");
    if split != "dev" && split != "test" {
        return Err(format!("unknown split {split:?} (dev or test)").into());
    }
    let dev_path = corpus.join(format!("en_ewt-ud-{split}.conllu"));
    if !dev_path.exists() {
        println!("skipping: {} not found", dev_path.display());
        return Ok(());
    }
    let dev = read_conllu(&dev_path)?;
    let t0 = Instant::now();
    let c0 = thread_cpu_secs();
    let parser = DepParser::load(data)?;
    println!(
        "loaded parser in {:.1?} wall, {:.0} ms CPU ({:?} features)",
        t0.elapsed(),
        1e3 * (thread_cpu_secs() - c0),
        parser.stats()
    );
    let tagger = PosTagger::load(data)?;
    let words: Vec<Vec<&str>> = dev
        .iter()
        .map(|s| s.iter().map(|w| w.form.as_str()).collect())
        .collect();
    let gold: Vec<Vec<&str>> = dev
        .iter()
        .map(|s| s.iter().map(|w| w.upos.as_str()).collect())
        .collect();
    let pred: Vec<Vec<&'static str>> = words
        .iter()
        .map(|w| tagger.tag(w).into_iter().map(|(t, _)| t).collect())
        .collect();
    // speed: best of `rounds` passes over dev with gold POS
    let rounds: usize = std::env::var("PARSER_SPEED_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let mut secs = f64::INFINITY;
    let mut cpu = f64::INFINITY;
    let mut parsed_gold: Parsed = Vec::new();
    for _ in 0..rounds.max(1) {
        let t1 = Instant::now();
        let c1 = thread_cpu_secs();
        parsed_gold = words
            .iter()
            .zip(&gold)
            .map(|(w, t)| parser.parse(w, t))
            .collect();
        cpu = cpu.min(thread_cpu_secs() - c1);
        secs = secs.min(t1.elapsed().as_secs_f64());
    }
    let ntok: usize = words.iter().map(Vec::len).sum();
    let parsed_pred: Parsed = words
        .iter()
        .zip(&pred)
        .map(|(w, t)| parser.parse(w, t))
        .collect();
    report(&format!("{split}, gold POS"), &dev, &parsed_gold);
    report(&format!("{split}, predicted POS"), &dev, &parsed_pred);
    println!(
        "speed: {:.0} tokens/s of thread CPU time, {:.0} tokens/s wall (parser only, one thread, best of {rounds} passes of {ntok} tokens: {cpu:.3}s CPU, {secs:.3}s wall)",
        ntok as f64 / cpu,
        ntok as f64 / secs
    );
    // the three stages on raw text: the `# text` lines, 20 sentences a document
    let raw = std::fs::read_to_string(&dev_path)?;
    let lines: Vec<&str> = raw
        .lines()
        .filter_map(|l| l.strip_prefix("# text = "))
        .collect();
    let mut docs: Vec<Document> = lines
        .chunks(20)
        .enumerate()
        .map(|(i, c)| Document::new(format!("d{i}"), Metadata::default(), c.join(" ")))
        .collect();
    let mut cpu = [0f64; 3];
    for d in &mut docs {
        let c0 = thread_cpu_secs();
        Tokenizer.process(d)?;
        let c1 = thread_cpu_secs();
        tagger.process(d)?;
        let c2 = thread_cpu_secs();
        parser.process(d)?;
        let c3 = thread_cpu_secs();
        cpu[0] += c1 - c0;
        cpu[1] += c2 - c1;
        cpu[2] += c3 - c2;
    }
    let ntok: usize = docs.iter().map(|d| d.tokens.len()).sum();
    let rate = |s: f64| ntok as f64 / s / 1e3;
    println!(
        "stages on raw {split} text ({ntok} tokens, thread CPU): tokenise {:.0} k tokens/s, POS {:.0} k, parse {:.0} k; all three {:.0} k tokens/s",
        rate(cpu[0]),
        rate(cpu[1]),
        rate(cpu[2]),
        rate(cpu.iter().sum())
    );
    Ok(())
}
