//! UPOS / lemma accuracy and tagging speed of the shipped POS model on UD English-EWT dev.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example eval_pos -- /work/shared/corpora/ud-english-ewt data
//! ```
//! Loads `data/models/pos-ewt.bin` (prints the load time), tags
//! `en_ewt-ud-dev.conllu` with gold tokenisation, prints UPOS and lemma
//! accuracy, the most frequent confusions, and single-thread tokens per CPU
//! second (best of three passes). Prints a message and exits 0 when the corpus is missing.

use chronicle_nlp::tagger::conllu::read_conllu;
use chronicle_nlp::PosTagger;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// CPU time of this thread in seconds.
fn thread_cpu_secs() -> f64 {
    cpu_time::ThreadTime::try_now().map_or(f64::NAN, |t| t.as_duration().as_secs_f64())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let corpus = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("/work/shared/corpora/ud-english-ewt"),
    );
    let data = Path::new(args.get(2).map(String::as_str).unwrap_or("data"));
    let file = args
        .get(3)
        .map(String::as_str)
        .unwrap_or("en_ewt-ud-dev.conllu");
    let dev_path = corpus.join(file);
    if !dev_path.exists() {
        println!("skipping: {} not found", dev_path.display());
        return Ok(());
    }
    let t0 = Instant::now();
    let tagger = PosTagger::load(data)?;
    let load = t0.elapsed();
    let dev = read_conllu(&dev_path)?;
    let sents: Vec<Vec<&str>> = dev
        .iter()
        .map(|s| s.iter().map(|w| w.form.as_str()).collect())
        .collect();
    let (mut right, mut lem, mut n) = (0usize, 0usize, 0usize);
    let mut confusions: HashMap<(String, &str), usize> = HashMap::new();
    for (s, words) in dev.iter().zip(&sents) {
        for (w, (t, l)) in s.iter().zip(tagger.tag(words)) {
            n += 1;
            if w.upos == t {
                right += 1;
            } else {
                *confusions.entry((w.upos.clone(), t)).or_default() += 1;
            }
            lem += (w.lemma == l) as usize;
        }
    }
    // speed: best of 3 passes, in thread CPU time (the machine is shared)
    let mut best = f64::MAX;
    let mut best_tags = f64::MAX;
    for _ in 0..3 {
        let t = thread_cpu_secs();
        let mut k = 0usize;
        for words in &sents {
            k += tagger.tag(words).len();
        }
        best = best.min(thread_cpu_secs() - t);
        let t = thread_cpu_secs();
        for words in &sents {
            k += tagger.tag_indices(words).len();
        }
        best_tags = best_tags.min(thread_cpu_secs() - t);
        assert!(k == 2 * n);
    }
    println!("model load {:.1} ms", load.as_secs_f64() * 1e3);
    println!(
        "{file}: UPOS accuracy {:.2}%  lemma accuracy {:.2}%  ({n} words, gold tokens)",
        100.0 * right as f64 / n as f64,
        100.0 * lem as f64 / n as f64
    );
    println!(
        "speed (1 thread, tokens per CPU second): {:.0} tag+lemma, {:.0} tags only",
        n as f64 / best,
        n as f64 / best_tags
    );
    let mut c: Vec<_> = confusions.into_iter().collect();
    c.sort_by_key(|x| std::cmp::Reverse(x.1));
    println!("top confusions (gold -> predicted):");
    for ((g, p), k) in c.into_iter().take(10) {
        println!("  {g:>6} -> {p:<6} {k}");
    }
    Ok(())
}
