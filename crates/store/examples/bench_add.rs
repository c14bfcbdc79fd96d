//! Throughput of in-document merging, `Store::add_document` and `CrossDocIndex` on
//! synthetic documents (deterministic pseudo-random: 20 countries × 25 towns,
//! 16 PLOVER types, 60 days, 40 actors; each true happening is reported ~3 times
//! with jittered day/town), with pairwise clustering precision/recall against the
//! synthetic truth.
//!
//! `cargo run --release -p chronicle-store --example bench_add -- [EVENTS] [DB_PATH|-] [DAYS]`
//! (default 10000 events over 60 days, 2 mentions per document, a temporary on-disk
//! database; `-` also means a temporary one).

use chronicle_core::{
    Actor, Document, EventDate, EventMention, Metadata, Place, PloverType, Sentence, Span, Stage,
};
use chronicle_dedup::{CrossDocIndex, InDocMerge, MergeConfig};
use chronicle_store::{Query, Store};
use chrono::NaiveDate;
use std::time::Instant;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const COUNTRIES: [&str; 20] = [
    "SYR", "IRQ", "LBN", "ISR", "YEM", "SDN", "COD", "NGA", "MLI", "UKR", "RUS", "AFG", "PAK",
    "IND", "MMR", "SOM", "ETH", "LBY", "COL", "MEX",
];

fn town(rng: &mut Rng, c: usize) -> Place {
    let t = rng.below(25);
    // Deterministic town coordinates per (country, town).
    let mut r = Rng(0x9e37_79b9_7f4a_7c15 ^ ((c as u64) << 8 | t));
    let (clat, clon) = (10.0 + 2.5 * c as f64, 20.0 + 3.0 * c as f64);
    Place {
        geonames_id: 1_000_000 + (c as u64) * 100 + t,
        name: format!("Town{c}-{t}"),
        lat: clat + (r.unit() - 0.5) * 4.0,
        lon: clon + (r.unit() - 0.5) * 4.0,
        feature_class: "P".into(),
        feature_code: "PPL".into(),
        country: COUNTRIES[c].into(),
        admin1_code: Some(format!("{:02}", t % 5)),
        precision: 1,
        ..Default::default()
    }
}

/// A happening that several documents report.
struct Truth {
    t: PloverType,
    c: usize,
    place: Place,
    day: u64,
    actor: u64,
    recipient: u64,
}

fn actor(a: u64) -> Actor {
    Actor {
        name: format!("Actor {a}"),
        country: Some(COUNTRIES[(a % 20) as usize].into()),
        ..Default::default()
    }
}

/// `n_events` mentions, `per_doc` per document, each reporting one of
/// `n_events / 3` true happenings (same type, country, actor; day jittered by 0-1,
/// town kept or moved to another town of the country). Returns the documents and,
/// per (doc index, sentence), the true happening's index.
fn make_docs(n_events: usize, per_doc: usize, days: u64) -> (Vec<Document>, Vec<Vec<usize>>) {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let n_true = (n_events / 3).max(1);
    let truths: Vec<Truth> = (0..n_true)
        .map(|_| {
            let c = rng.below(COUNTRIES.len() as u64) as usize;
            Truth {
                t: PloverType::ALL[rng.below(16) as usize],
                c,
                place: town(&mut rng, c),
                day: rng.below(days.max(1)),
                actor: rng.below(40),
                recipient: rng.below(40),
            }
        })
        .collect();
    let n_docs = n_events.div_ceil(per_doc);
    let mut labels = Vec::with_capacity(n_docs);
    let docs = (0..n_docs)
        .map(|i| {
            let sents: Vec<String> = (0..per_doc)
                .map(|k| format!("Sentence {k} of report {i}: forces attacked a town."))
                .collect();
            let text = sents.join(" ");
            let meta = Metadata {
                source: Some(format!("outlet{}", i % 7)),
                ..Default::default()
            };
            let mut doc = Document::new(format!("doc{i}"), meta, text);
            let mut pos = 0;
            for s in &sents {
                doc.sentences.push(Sentence {
                    span: Span::new(pos, pos + s.len()),
                    tokens: 0..0,
                });
                pos += s.len() + 1;
            }
            let mut lab = Vec::with_capacity(per_doc);
            for k in 0..per_doc {
                let ti = rng.below(n_true as u64) as usize;
                lab.push(ti);
                let tr = &truths[ti];
                let sp = doc.sentences[k].span;
                let trig = doc.text[sp.start..sp.end].find("attacked").unwrap() + sp.start;
                let place = if rng.below(4) == 0 {
                    town(&mut rng, tr.c)
                } else {
                    tr.place.clone()
                };
                let recipients = if rng.below(2) == 0 {
                    vec![actor(tr.recipient)]
                } else {
                    vec![]
                };
                doc.mentions.push(EventMention {
                    event_type: tr.t,
                    mode: None,
                    context: vec![],
                    cameo: None,
                    acled_event_type: None,
                    acled_sub_event_type: None,
                    sentence: k,
                    trigger: Span::new(trig, trig + 8),
                    span: sp,
                    actors: vec![actor(tr.actor)],
                    recipients,
                    location: Some(place),
                    date: Some(EventDate::day(
                        base + chrono::Days::new(tr.day + rng.below(2)),
                    )),
                    casualties: vec![],
                    flags: vec![],
                    quotes: vec![],
                    confidence: 0.5,
                });
            }
            labels.push(lab);
            doc
        })
        .collect();
    (docs, labels)
}

/// Pairwise precision/recall of clusters against the true happenings.
fn pairwise(events: &[chronicle_core::Event], labels: &[Vec<usize>]) -> (f64, f64) {
    use std::collections::HashMap;
    let label = |m: &chronicle_core::MentionRef| {
        let d: usize = m.doc_id.trim_start_matches("doc").parse().unwrap();
        labels[d][m.sentence]
    };
    let (mut tp, mut pred) = (0u64, 0u64);
    for e in events {
        let n = e.mentions.len() as u64;
        pred += n * (n - 1) / 2;
        let mut by: HashMap<usize, u64> = HashMap::new();
        for m in &e.mentions {
            *by.entry(label(m)).or_default() += 1;
        }
        tp += by.values().map(|k| k * (k - 1) / 2).sum::<u64>();
    }
    let mut gold: HashMap<usize, u64> = HashMap::new();
    for l in labels.iter().flatten() {
        *gold.entry(*l).or_default() += 1;
    }
    let gold_pairs: u64 = gold.values().map(|k| k * (k - 1) / 2).sum();
    (
        tp as f64 / pred.max(1) as f64,
        tp as f64 / gold_pairs.max(1) as f64,
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let tmp;
    let keep = args.get(2).is_some_and(|p| p != "-");
    let path = match args.get(2).filter(|p| *p != "-") {
        Some(p) => std::path::PathBuf::from(p),
        None => {
            tmp = std::env::temp_dir().join(format!("chronicle-bench-{}.db", std::process::id()));
            tmp.clone()
        }
    };
    let days: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(60);
    let (mut docs, labels) = make_docs(n, 2, days);
    let t = Instant::now();
    let stage = InDocMerge::default();
    for d in &mut docs {
        stage.process(d).expect("in-doc merge");
    }
    let in_doc = t.elapsed();
    let n_in_doc: usize = docs.iter().map(|d| d.events.len()).sum();
    println!(
        "in-doc merge: {} docs, {} mentions -> {} events in {:.3}s ({:.0} docs/s)",
        docs.len(),
        n,
        n_in_doc,
        in_doc.as_secs_f64(),
        docs.len() as f64 / in_doc.as_secs_f64()
    );

    let t = Instant::now();
    let mut idx = CrossDocIndex::new(MergeConfig::default());
    for d in &docs {
        for e in &d.events {
            idx.add(e.clone());
        }
    }
    let clustered = idx.into_events();
    let cd = t.elapsed();
    let (p, r) = pairwise(&clustered, &labels);
    println!("CrossDocIndex pairwise vs synthetic truth: precision {p:.3} recall {r:.3}");
    println!(
        "CrossDocIndex: {} events -> {} in {:.3}s ({:.0} events/s)",
        n_in_doc,
        clustered.len(),
        cd.as_secs_f64(),
        n_in_doc as f64 / cd.as_secs_f64()
    );

    let mut store = Store::open(&path).expect("open store");
    let t = Instant::now();
    let (mut new, mut merged) = (0, 0);
    for d in &docs {
        let o = store.add_document(d).expect("add");
        new += o.new_events;
        merged += o.merged_events;
    }
    let add = t.elapsed();
    println!(
        "Store::add_document ({}): {} docs / {} events in {:.3}s = {:.0} docs/s, {:.0} events/s; {} new, {} merged; stored events {}",
        path.display(),
        docs.len(),
        n_in_doc,
        add.as_secs_f64(),
        docs.len() as f64 / add.as_secs_f64(),
        n_in_doc as f64 / add.as_secs_f64(),
        new,
        merged,
        store.count_events().unwrap()
    );
    let stored = store.query(&Query::default()).expect("query all");
    let (p, r) = pairwise(&stored, &labels);
    println!("Store pairwise vs synthetic truth: precision {p:.3} recall {r:.3}");
    let t = Instant::now();
    let mut again = 0;
    for d in &docs {
        again += store.add_document(d).expect("re-add").new_events;
    }
    println!(
        "re-add (idempotent): {} new events in {:.3}s",
        again,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let q = Query {
        country: Some("SYR".into()),
        event_type: Some(PloverType::Assault),
        ..Default::default()
    };
    let hits = store.query(&q).expect("query").len();
    println!(
        "query SYR/ASSAULT: {} events in {:.4}s",
        hits,
        t.elapsed().as_secs_f64()
    );
    drop(store);

    let bulk_path = std::path::PathBuf::from(format!("{}.bulk", path.display()));
    let mut bulk = Store::open(&bulk_path).expect("open bulk store");
    let t = Instant::now();
    for chunk in docs.chunks(500) {
        bulk.add_documents(chunk).expect("add_documents");
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "Store::add_documents (500 per transaction): {:.3}s = {:.0} docs/s, {:.0} events/s; stored events {}",
        secs,
        docs.len() as f64 / secs,
        n_in_doc as f64 / secs,
        bulk.count_events().unwrap()
    );
    drop(bulk);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", bulk_path.display()));
    }
    if !keep {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
