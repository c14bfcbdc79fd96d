//! Scores the shipped NER model (`data/models/ner-conll.bin`) on CoNLL-2003.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example eval_ner -- /work/shared/eval/conll2003 data [eng.testa]
//! ```
//! Prints the load time, per-type and micro P/R/F1 (conlleval semantics: exact
//! span and type; IOB1 gold converted to spans) and single-thread speed for
//! sentence-level `predict`, document-level `predict_document` (POS tagging
//! included), POS tagging alone and `predict_document_with_pos` with the tags
//! given: the best of `NER_SPEED_ROUNDS` (default 5) passes, as tokens per
//! second of wall time and of this thread's CPU time (the machine is shared).
//! `NER_MODEL=<file>` scores another model file; `NER_DUMP=<file>` writes the
//! document-level labels as BIO tags (one line per sentence) to compare two builds' outputs.
//! Prints a message and exits 0 when the CoNLL file is missing.

use chronicle_nlp::tagger::ner::{evaluate, read_conll2003_docs, score_table};
use chronicle_nlp::{NerModel, PosTagger};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// CPU time of this thread in seconds (the machine is shared, so wall time
/// overstates the cost when other processes hold the cores).
fn thread_cpu_secs() -> f64 {
    cpu_time::ThreadTime::try_now().map_or(f64::NAN, |t| t.as_duration().as_secs_f64())
}

/// Best (wall, CPU) seconds of `rounds` runs of `f`.
fn best_of(rounds: usize, mut f: impl FnMut() -> usize) -> (f64, f64, usize) {
    let (mut wall, mut cpu, mut out) = (f64::INFINITY, f64::INFINITY, 0);
    for _ in 0..rounds {
        let (t, c) = (Instant::now(), thread_cpu_secs());
        out = f();
        cpu = cpu.min(thread_cpu_secs() - c);
        wall = wall.min(t.elapsed().as_secs_f64());
    }
    (wall, cpu, out)
}

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
    let rounds: usize = match std::env::var("NER_SPEED_ROUNDS") {
        Ok(v) => v.parse()?,
        Err(_) => 5,
    };
    let docs = read_conll2003_docs(&path)?;
    let (t0, c0) = (Instant::now(), thread_cpu_secs());
    let pos = Arc::new(PosTagger::load(data)?);
    let (t1, c1) = (Instant::now(), thread_cpu_secs());
    let model = match std::env::var("NER_MODEL") {
        Ok(f) => {
            let bytes = std::fs::read(&f).map_err(|e| format!("{f}: {e}"))?;
            NerModel::from_bytes(&bytes, &f, pos.clone())?
        }
        Err(_) => NerModel::load_with(data, pos.clone())?,
    };
    println!(
        "model load: POS {:.1} ms + NER {:.1} ms wall, {:.1} + {:.1} ms CPU (NerModel::load_with; NerModel::load does both)",
        (t1 - t0).as_secs_f64() * 1e3,
        t1.elapsed().as_secs_f64() * 1e3,
        (c1 - c0) * 1e3,
        (thread_cpu_secs() - c1) * 1e3
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
    if let Ok(out) = std::env::var("NER_DUMP") {
        let mut text = String::new();
        for d in &words {
            for l in model.document_labels(d) {
                let l: Vec<&str> = l.iter().map(|x| model.scheme().bio_tag(*x)).collect();
                text += &l.join(" ");
                text.push('\n');
            }
        }
        std::fs::write(&out, text).map_err(|e| format!("{out}: {e}"))?;
        println!("labels written to {out}");
    }
    let n: usize = words.iter().flatten().map(Vec::len).sum();
    let tags: Vec<Vec<Vec<u8>>> = words
        .iter()
        .map(|d| d.iter().map(|s| pos.tag_indices(s)).collect())
        .collect();
    let sent = best_of(rounds, || {
        words.iter().flatten().map(|w| model.predict(w).len()).sum()
    });
    let doc = best_of(rounds, || {
        words
            .iter()
            .map(|d| {
                model
                    .predict_document(d)
                    .iter()
                    .map(Vec::len)
                    .sum::<usize>()
            })
            .sum()
    });
    let tag = best_of(rounds, || {
        words
            .iter()
            .flatten()
            .map(|w| pos.tag_indices(w).len())
            .sum()
    });
    let given = best_of(rounds, || {
        words
            .iter()
            .zip(&tags)
            .map(|(d, t)| {
                model
                    .predict_document_with_pos(d, Some(t))
                    .iter()
                    .map(Vec::len)
                    .sum::<usize>()
            })
            .sum()
    });
    println!("speed, one thread, best of {rounds} passes over {n} tokens (tokens/s wall | tokens per CPU second):");
    for (what, (wall, cpu, out)) in [
        ("predict (POS included)", sent),
        ("predict_document (POS included)", doc),
        ("POS tag_indices alone", tag),
        ("predict_document_with_pos (POS given)", given),
    ] {
        println!(
            "  {what:<40} {:>9.0} | {:>9.0}   ({out} items)",
            n as f64 / wall,
            n as f64 / cpu
        );
    }
    Ok(())
}
