//! Trains the UPOS tagger + lemmatiser on UD English-EWT and writes the model.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example train_pos -- /work/shared/corpora/ud-english-ewt data/models [iterations] [prune] [lexicon min count] [stack folds]
//! ```
//! Reads `en_ewt-ud-train.conllu` (and `en_ewt-ud-dev.conllu` for the report),
//! writes `<out>/pos-ewt.bin` and prints dev UPOS accuracy and the model size.
//! Prints a message and exits 0 when the corpus directory is missing.

use chronicle_nlp::tagger::{conllu::read_conllu, train_pos, TrainOptions, POS_MODEL_FILE};
use chronicle_nlp::PosTagger;
use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let corpus = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("/work/shared/corpora/ud-english-ewt"),
    );
    let out = Path::new(args.get(2).map(String::as_str).unwrap_or("data/models"));
    let mut opt = TrainOptions::default();
    if let Some(n) = args.get(3) {
        opt.iterations = n.parse()?;
    }
    if let Some(k) = args.get(6) {
        opt.stack_folds = k.parse()?;
    }
    if let Some(l) = args.get(5) {
        opt.lex_min_count = l.parse()?;
    }
    if let Some(p) = args.get(4) {
        opt.prune = p.parse()?;
    }
    let train_path = corpus.join("en_ewt-ud-train.conllu");
    if !train_path.exists() {
        println!("skipping: {} not found", train_path.display());
        return Ok(());
    }
    let train = read_conllu(&train_path)?;
    let dev = read_conllu(&corpus.join("en_ewt-ud-dev.conllu"))?;
    let t0 = Instant::now();
    let tagger = train_pos(&train, &opt)?;
    println!(
        "trained on {} sentences in {:.1?} ({opt:?})",
        train.len(),
        t0.elapsed()
    );
    std::fs::create_dir_all(out)?;
    let path = out.join(POS_MODEL_FILE);
    tagger.save(&path)?;
    let size = std::fs::metadata(&path)?.len();
    let reloaded = PosTagger::load_file(&path)?;
    let (feats, dict) = reloaded.stats();
    let (mut right, mut lem, mut n) = (0usize, 0usize, 0usize);
    for s in &dev {
        let words: Vec<&str> = s.iter().map(|w| w.form.as_str()).collect();
        for (w, (t, l)) in s.iter().zip(reloaded.tag(&words)) {
            right += (w.upos == t) as usize;
            lem += (w.lemma == l) as usize;
            n += 1;
        }
    }
    println!(
        "wrote {} ({:.2} MB, {feats} features, {dict} tag-dictionary words)",
        path.display(),
        size as f64 / 1e6
    );
    println!(
        "dev UPOS accuracy {:.2}% lemma accuracy {:.2}% ({n} words)",
        100.0 * right as f64 / n as f64,
        100.0 * lem as f64 / n as f64
    );
    Ok(())
}
