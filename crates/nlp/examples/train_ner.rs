//! Trains the perceptron NER model on CoNLL-2003 eng.train and reports eng.testa scores.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example train_ner -- /work/shared/eval/conll2003 data [geonames dir|-] [iterations] [doc folds, 0 = no document stage] [cluster prefixes, e.g. 4,6,10,20; - = none]
//! ```
//! Brown cluster paths come from `data/models/clusters-brown.txt` (built by the
//! `train_clusters` example) and are stored inside the NER model.
//! Needs the POS model (`data/models/pos-ewt.bin`) and the dictionaries in
//! `data/countries`, `data/actors` and GeoNames `cities15000.txt`,
//! `admin1CodesASCII.txt`, `countryInfo.txt` (gazetteer; `-` to leave GeoNames out). Writes `data/models/ner-conll.bin`
//! and prints per-type and micro P/R/F1 on eng.testa (exact span + type).
//! Prints a message and exits 0 when the CoNLL directory is missing.
//!
//! Environment: `NER_MODELS=n` averages the weights of n training runs with
//! different shuffle seeds per stage and jackknife fold (default 3;
//! `NER_FOLD_MODELS=0`: one run per fold), `NER_SCHEME=bio` labels spans
//! begin/inside/outside (default `bilou`: begin/inside/last/outside/unit), `NER_PRUNE=x` sets the pruning threshold, `NER_SEED=s` the
//! first seed, `NER_OUT=<file>` writes the model there instead of
//! `data/models/ner-conll.bin` (for experiments).

use chronicle_nlp::tagger::clusters::WordClusters;
use chronicle_nlp::tagger::ner::{
    evaluate, read_conll2003_docs, score_table, train_ner, ClusterTable, Gazetteer,
    NerTrainOptions, Scheme, DEFAULT_PREFIXES, NER_MODEL_FILE,
};
use chronicle_nlp::{NerModel, PosTagger};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let conll = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("/work/shared/eval/conll2003"),
    );
    let data = Path::new(args.get(2).map(String::as_str).unwrap_or("data"));
    let mut opt = NerTrainOptions::default();
    let geonames = Path::new(
        args.get(3)
            .map(String::as_str)
            .unwrap_or("/work/shared/eval/geonames"),
    );
    if let Some(n) = args.get(4) {
        opt.iterations = n.parse()?;
    }
    if let Some(n) = args.get(5) {
        opt.doc_folds = n.parse()?;
    }
    let prefixes: Vec<u8> = match args.get(6).map(String::as_str) {
        None => DEFAULT_PREFIXES.to_vec(),
        Some("-") => Vec::new(),
        Some(list) => list.split(',').map(str::parse).collect::<Result<_, _>>()?,
    };
    let env = |k: &str| std::env::var(k).ok();
    if let Some(v) = env("NER_MODELS") {
        opt.models = v.parse()?;
    }
    if let Some(v) = env("NER_FOLD_MODELS") {
        opt.fold_models = v != "0";
    }
    if let Some(v) = env("NER_PRUNE") {
        opt.prune = v.parse()?;
    }
    if let Some(v) = env("NER_SCHEME") {
        opt.scheme = match v.as_str() {
            "bio" => Scheme::Bio,
            "bilou" => Scheme::Bilou,
            _ => return Err(format!("NER_SCHEME {v:?}: expected bio or bilou").into()),
        };
    }
    if let Some(v) = env("NER_SEED") {
        opt.seed = v.parse()?;
    }
    if !conll.join("eng.train").exists() {
        println!("skipping: {} not found", conll.join("eng.train").display());
        return Ok(());
    }
    let train = read_conll2003_docs(&conll.join("eng.train"))?;
    let testa = read_conll2003_docs(&conll.join("eng.testa"))?;
    let tagger = Arc::new(PosTagger::load(data)?);
    let clusters = if prefixes.is_empty() {
        ClusterTable::default()
    } else {
        let c = WordClusters::load(data)?;
        println!(
            "clusters: {} words, {} clusters, prefixes {prefixes:?}",
            c.len(),
            c.distinct_prefixes(usize::MAX)
        );
        ClusterTable::new(&c, &prefixes)
    };
    let mut gaz = Gazetteer::from_data_dir(data)?;
    if geonames.join("cities15000.txt").exists() && geonames != Path::new("-") {
        let n = gaz.add_geonames(geonames)?;
        println!("gazetteer: {n} GeoNames names from {}", geonames.display());
    } else {
        println!("gazetteer: no GeoNames ({} missing)", geonames.display());
    }
    let t0 = Instant::now();
    let model = train_ner(&train, tagger, gaz, clusters, &opt);
    println!(
        "trained on {} documents in {:.1?} ({opt:?})",
        train.len(),
        t0.elapsed()
    );
    let path = match env("NER_OUT") {
        Some(p) => std::path::PathBuf::from(p),
        None => data.join("models").join(NER_MODEL_FILE),
    };
    model.save(&path)?;
    let bytes = std::fs::read(&path)?;
    let model = NerModel::from_bytes(
        &bytes,
        &path.display().to_string(),
        model.pos_tagger().clone(),
    )?;
    let (feats, phrases, cwords) = model.stats();
    println!(
        "wrote {} ({:.2} MB, {feats} features, {phrases} gazetteer phrases, {cwords} cluster words)",
        path.display(),
        std::fs::metadata(&path)?.len() as f64 / 1e6
    );
    print!(
        "eng.testa, sentence by sentence (predict)\n{}",
        score_table(&evaluate(&model, &testa, false))
    );
    print!(
        "eng.testa, whole documents (predict_document)\n{}",
        score_table(&evaluate(&model, &testa, true))
    );
    Ok(())
}
