//! `chronicle-bench`: throughput benchmark (separate from the tests). Builds a fixed,
//! deterministic corpus from the development data (ACLED notes, PolNeAR, MUC-4,
//! IndiaPoliceEvents and GLOCON articles as text; article-extraction-benchmark and
//! trafilatura pages as HTML through the ingest crate), cycled until it holds
//! `--docs` documents, and runs it single-threaded and on all cores (rayon). Prints
//! documents/s, sentences/s, MB/s of input, per-stage time, and peak RSS (VmHWM).

use chronicle_eval::datasets::{acled, glocon, ipe, muc4, read_bytes, read_string};
use chronicle_eval::system::{
    guarded, quiet_panics, text_doc, ChronicleSystem, ModelFlags, StageTimes, System,
};
use clap::Parser;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "chronicle-bench",
    about = "Throughput benchmark on a corpus built from the dev data"
)]
struct Args {
    /// Evaluation data folder (default: ../shared/eval relative to the repo root).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Corpus size in documents (the pool is cycled deterministically to reach it).
    #[arg(long, default_value_t = 6000)]
    docs: usize,
    /// Threads for the parallel run (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Skip the single-thread run.
    #[arg(long)]
    no_single: bool,
    /// Write the results as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
    /// chronicle's data folder (default: chronicle_pipeline::default_data_dir()).
    #[arg(long)]
    models: Option<PathBuf>,
    #[command(flatten)]
    models_on: ModelFlags,
}

#[derive(Clone)]
enum Input {
    Text {
        id: String,
        text: String,
        published: Option<chrono::NaiveDate>,
    },
    Html {
        id: String,
        bytes: Vec<u8>,
    },
}

impl Input {
    fn len(&self) -> usize {
        match self {
            Input::Text { text, .. } => text.len(),
            Input::Html { bytes, .. } => bytes.len(),
        }
    }
    fn is_html(&self) -> bool {
        matches!(self, Input::Html { .. })
    }
}

fn sorted_files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.to_string_lossy().ends_with(suffix));
    v.sort();
    v
}

/// The document pool, in a fixed order; each source is optional.
fn pool(data: &Path, with_html: bool) -> (Vec<Input>, Vec<String>) {
    let mut out = Vec::new();
    let mut used = Vec::new();
    let mut note = |name: &str, n: usize| used.push(format!("{name}: {n}"));
    for dir in [
        "acled-kenya",
        "acled-gaza",
        "acled-global-sample-2020",
        "acled-syria-battles",
    ] {
        let Some(file) = sorted_files(&data.join(dir), ".csv").into_iter().next() else {
            continue;
        };
        let Ok(text) = read_string(&file) else {
            continue;
        };
        let rows = acled::parse(&text, dir).unwrap_or_default();
        let n = rows.len().min(625);
        for r in rows.into_iter().take(625) {
            out.push(Input::Text {
                id: format!("{dir}#{}", r.id),
                text: r.notes,
                published: chronicle_eval::system::parse_date(&r.date),
            });
        }
        note(dir, n);
    }
    for split in ["train", "dev"] {
        let files = sorted_files(&data.join("polnear").join(split).join("text"), ".txt");
        let n = files.len();
        for f in files {
            if let Ok(t) = read_string(&f) {
                out.push(Input::Text {
                    id: f.display().to_string(),
                    text: t,
                    published: None,
                });
            }
        }
        if n > 0 {
            note(&format!("polnear/{split}"), n);
        }
    }
    for file in ["train.json", "dev.json"] {
        if let Ok(t) = read_string(&data.join("muc4/grit-processed").join(file)) {
            let docs = muc4::parse(&t).unwrap_or_default();
            note(&format!("muc4/{file}"), docs.len());
            out.extend(docs.into_iter().map(|d| Input::Text {
                id: d.id,
                text: d.text,
                published: None,
            }));
        }
    }
    let ipe_dir = data.join("indiapoliceevents");
    if let (Ok(d), Ok(s)) = (
        read_string(&ipe_dir.join("docs.jsonl")),
        read_string(&ipe_dir.join("sents.jsonl")),
    ) {
        let arts = ipe::parse(&d, &s, None).unwrap_or_default();
        note("indiapoliceevents", arts.len());
        out.extend(arts.into_iter().map(|a| Input::Text {
            id: format!("ipe#{}", a.id),
            text: a.text,
            published: None,
        }));
    }
    if let Ok(t) = read_string(&data.join("glocon-gold-sample/documents_Sabinet_R.jsonl")) {
        let docs = glocon::parse(&t, "text").unwrap_or_default();
        note("glocon", docs.len());
        out.extend(docs.into_iter().map(|(id, text, _)| Input::Text {
            id,
            text,
            published: None,
        }));
    }
    if with_html {
        for dir in [
            "article-extraction-benchmark/html",
            "trafilatura-eval-en/html",
        ] {
            let files = sorted_files(&data.join(dir), ".html.gz");
            let n = files.len();
            for f in files {
                if let Ok(b) = read_bytes(&f) {
                    out.push(Input::Html {
                        id: f.display().to_string(),
                        bytes: b,
                    });
                }
            }
            if n > 0 {
                note(dir, n);
            }
        }
    }
    (out, used)
}

/// Interleave HTML pages evenly and cycle the pool to `n` documents.
fn corpus(pool: Vec<Input>, n: usize) -> Vec<Input> {
    if pool.is_empty() {
        return pool;
    }
    let (html, text): (Vec<Input>, Vec<Input>) = pool.into_iter().partition(Input::is_html);
    let mut mixed = Vec::with_capacity(html.len() + text.len());
    let step = if html.is_empty() {
        usize::MAX
    } else {
        (text.len() / html.len()).max(1)
    };
    let mut h = html.into_iter();
    for (i, t) in text.into_iter().enumerate() {
        if i % step == 0 {
            if let Some(x) = h.next() {
                mixed.push(x);
            }
        }
        mixed.push(t);
    }
    mixed.extend(h);
    (0..n.max(1))
        .map(|i| {
            let mut d = mixed[i % mixed.len()].clone();
            let round = i / mixed.len();
            if round > 0 {
                match &mut d {
                    Input::Text { id, .. } | Input::Html { id, .. } => {
                        id.push_str(&format!("#r{round}"))
                    }
                }
            }
            d
        })
        .collect()
}

#[derive(Default)]
struct Totals {
    /// CPU seconds the process used during the run (robust to a shared machine).
    cpu: f64,
    docs: usize,
    failed: usize,
    sentences: usize,
    bytes: usize,
    stages: BTreeMap<&'static str, Duration>,
}

fn process_one(sys: &dyn System, input: &Input) -> (usize, usize, bool, StageTimes) {
    let mut times: StageTimes = Vec::new();
    let (doc, bytes) = match input {
        Input::Text {
            id,
            text,
            published,
        } => (text_doc(id, text.clone(), *published), text.len()),
        Input::Html { id, bytes } => {
            let t = Instant::now();
            let art = guarded(id, || sys.extract_html(bytes, id));
            times.push(("ingest-html", t.elapsed()));
            match art {
                Ok(a) => {
                    let mut d = text_doc(id, a.text, a.published.map(|p| p.date_naive()));
                    d.meta.title = a.title;
                    (d, bytes.len())
                }
                Err(_) => return (0, bytes.len(), true, times),
            }
        }
    };
    match guarded(&doc.id.clone(), || sys.annotate_timed(doc)) {
        Ok((d, t)) => {
            times.extend(t);
            (d.sentences.len(), bytes, false, times)
        }
        Err(_) => (0, bytes, true, times),
    }
}

/// Process CPU time (user + system, all threads) in seconds; 0 when unavailable.
fn cpu_seconds() -> f64 {
    cpu_time::ProcessTime::try_now().map_or(0.0, |t| t.as_duration().as_secs_f64())
}

fn run(sys: &dyn System, corpus: &[Input], threads: usize) -> anyhow::Result<(Totals, f64)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let results: Vec<(usize, usize, bool, StageTimes)> =
        pool.install(|| corpus.par_iter().map(|d| process_one(sys, d)).collect());
    let wall = t.elapsed().as_secs_f64();
    let mut tot = Totals {
        cpu: cpu_seconds() - cpu0,
        ..Totals::default()
    };
    for (s, b, failed, times) in results {
        tot.docs += 1;
        tot.sentences += s;
        tot.bytes += b;
        tot.failed += failed as usize;
        for (name, d) in times {
            *tot.stages.entry(name).or_default() += d;
        }
    }
    Ok((tot, wall))
}

fn vm_kb(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn report(label: &str, threads: usize, t: &Totals, wall: f64) -> serde_json::Value {
    let mb = t.bytes as f64 / 1e6;
    println!(
        "{label:<12} threads={threads:<2} docs={} failed={} wall={wall:.2}s  {:.1} docs/s  {:.1} sentences/s  {:.2} MB/s  (cpu {:.2}s: {:.1} docs per CPU-second)",
        t.docs,
        t.failed,
        t.docs as f64 / wall,
        t.sentences as f64 / wall,
        mb / wall,
        t.cpu,
        t.docs as f64 / t.cpu.max(1e-9)
    );
    serde_json::json!({
        "threads": threads, "docs": t.docs, "failed": t.failed, "sentences": t.sentences,
        "input_mb": mb, "wall_seconds": wall, "cpu_seconds": t.cpu,
        "docs_per_s": t.docs as f64 / wall, "sentences_per_s": t.sentences as f64 / wall, "mb_per_s": mb / wall,
    })
}

// mimalloc: the pipeline allocates many small strings and vectors per document;
// with glibc malloc/free at about 12% of the benchmark time (perf), mimalloc gives
// about 10% more documents per CPU-second (docs/quality.md, Throughput).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    quiet_panics();
    let a = Args::parse();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = a
        .data
        .clone()
        .unwrap_or_else(|| root.join("../shared/eval"));
    let data = std::fs::canonicalize(&data).unwrap_or(data);
    if !data.is_dir() {
        println!(
            "bench: skipped — evaluation data not found at {}",
            data.display()
        );
        return Ok(());
    }
    let models = a
        .models
        .clone()
        .unwrap_or_else(chronicle_pipeline::default_data_dir);
    let t0 = Instant::now();
    let sys = ChronicleSystem::load_with(&models, a.models_on.into())?;
    let load_s = t0.elapsed().as_secs_f64();
    let rss_loaded = vm_kb("VmRSS:").unwrap_or(0);
    let (p, used) = pool(&data, sys.has_html());
    if p.is_empty() {
        println!(
            "bench: skipped — no usable documents under {}",
            data.display()
        );
        return Ok(());
    }
    let corpus = corpus(p, a.docs);
    let html = corpus.iter().filter(|d| d.is_html()).count();
    let mb: f64 = corpus.iter().map(Input::len).sum::<usize>() as f64 / 1e6;
    println!(
        "bench: pipeline stages: {}",
        sys.chronicle.stage_names().join(" → ")
    );
    println!(
        "bench: loaded in {load_s:.2}s, RSS after load {:.1} MB",
        rss_loaded as f64 / 1024.0
    );
    println!(
        "bench: corpus {} docs ({} HTML, {} text), {mb:.1} MB; pool: {}",
        corpus.len(),
        html,
        corpus.len() - html,
        used.join(", ")
    );
    let cores = a.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let mut out = serde_json::json!({ "corpus_docs": corpus.len(), "html_docs": html, "input_mb": mb, "load_seconds": load_s });
    let mut breakdown: Option<(Totals, f64)> = None;
    if !a.no_single {
        let (t, wall) = run(&sys, &corpus, 1)?;
        out["single"] = report("single", 1, &t, wall);
        breakdown = Some((t, wall));
    }
    let (t, wall) = run(&sys, &corpus, cores)?;
    out["parallel"] = report("all-cores", cores, &t, wall);
    let (bt, _) = breakdown.get_or_insert((t, wall));
    let total: f64 = bt.stages.values().map(Duration::as_secs_f64).sum();
    println!(
        "per-stage time ({}):",
        if a.no_single {
            "summed over threads"
        } else {
            "single thread"
        }
    );
    let mut stages = serde_json::Map::new();
    let mut order: Vec<_> = bt.stages.iter().collect();
    order.sort_by(|x, y| y.1.cmp(x.1));
    for (name, d) in order {
        let s = d.as_secs_f64();
        println!(
            "  {name:<24} {s:>8.2}s  {:>5.1}%  {:>9.1} µs/doc",
            100.0 * s / total.max(1e-9),
            1e6 * s / bt.docs.max(1) as f64
        );
        stages.insert(name.to_string(), serde_json::json!(s));
    }
    out["stage_seconds"] = serde_json::Value::Object(stages);
    let hwm = vm_kb("VmHWM:").unwrap_or(0);
    println!("peak RSS (VmHWM): {:.1} MB", hwm as f64 / 1024.0);
    out["peak_rss_mb"] = serde_json::json!(hwm as f64 / 1024.0);
    if let Some(p) = &a.json {
        std::fs::write(p, serde_json::to_string_pretty(&out)?)
            .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
    }
    Ok(())
}
