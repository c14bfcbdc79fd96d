//! Main-text extraction quality on the article-extraction-benchmark.
//!
//! Takes `/work/shared/eval/article-extraction-benchmark` (or the directory given
//! as the first argument, or `$CHRONICLE_EVAL_DIR/article-extraction-benchmark`):
//! `ground-truth.json` + `html/<id>.html.gz`. Gives the upstream metric: word
//! 4-gram shingle precision / recall per document (normalised counts), averaged
//! over documents, F1 from the averages; plus pages per second. Skips (exit 0)
//! when the data is absent. `CHRONICLE_EVAL_VERBOSE=1` lists the trafilatura-set
//! misses; `--file PAGE` prints the extraction of one page. `--json PATH` writes the predictions in the
//! upstream output format; `--worst N` lists the N worst pages; `--dump ID`
//! prints the extracted text of one page.
//!
//! `--predict OUT.json` runs the extractor on both datasets (one thread, timed
//! in thread CPU seconds, wall-clock too) and writes `{dataset: {"seconds": s,
//! "wall_seconds": w, "pages": {key: {text, title, author, date}}}}` for
//! `scripts/extract_bench.py`, which scores it side by side with trafilatura.
//!
//! `--fingerprints` measures [`chronicle_ingest::simhash`] on the benchmark:
//! how often our extraction of a page is a near duplicate of its gold text (same
//! article, different boilerplate), and how many pairs of different gold
//! articles collide.
//!
//! Also runs trafilatura-eval-en (snippet-level with/without P/R/F1, title and
//! date accuracy) when present.
//!
//! `cargo run -p chronicle-ingest --release --example extract_eval`

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

fn tokens(s: &str) -> Vec<String> {
    // Python's `\w+` with re.UNICODE: alphanumerics and underscore.
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() || c == '_' || is_mark(c) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_mark(c: char) -> bool {
    // Combining marks count as word characters in Python regexes.
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x097F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF)
        && !c.is_whitespace()
}

fn shingles(s: &str) -> HashMap<Vec<String>, usize> {
    let t = tokens(s);
    let mut m = HashMap::new();
    let n = 4;
    let count = if t.len() >= n { t.len() - n + 1 } else { 1 };
    for i in 0..count {
        let sh: Vec<String> = t[i..(i + n).min(t.len())].to_vec();
        if !sh.is_empty() {
            *m.entry(sh).or_insert(0) += 1;
        }
    }
    m
}

/// (tp, fp, fn), normalised to sum 1.
fn score(truth: &str, pred: &str) -> (f64, f64, f64) {
    let ts = shingles(truth);
    let ps = shingles(pred);
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    let keys: std::collections::HashSet<&Vec<String>> = ts.keys().chain(ps.keys()).collect();
    for k in keys {
        let t = *ts.get(k).unwrap_or(&0) as f64;
        let p = *ps.get(k).unwrap_or(&0) as f64;
        tp += t.min(p);
        fp += (p - t).max(0.0);
        fn_ += (t - p).max(0.0);
    }
    let s = tp + fp + fn_;
    if s > 0.0 {
        (tp / s, fp / s, fn_ / s)
    } else {
        (0.0, 0.0, 0.0)
    }
}

fn precision(tp: f64, fp: f64, fn_: f64) -> f64 {
    if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && fp == 0.0 {
        0.0
    } else {
        tp / (tp + fp)
    }
}

fn recall(tp: f64, fp: f64, fn_: f64) -> f64 {
    if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && fn_ == 0.0 {
        0.0
    } else {
        tp / (tp + fn_)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--file") {
        // Print what the extractor gives for one page (.html or .html.gz).
        let path = args.get(i + 1).expect("--file PATH");
        let raw = std::fs::read(path).expect("read page");
        let bytes = chronicle_ingest::decode::maybe_gunzip(&raw)
            .expect("gzip")
            .unwrap_or(raw);
        match chronicle_ingest::extract_html(&bytes, path) {
            Ok(a) => println!(
                "title={:?}\nauthors={:?}\npublished={:?}\nsite={:?}\nurl={:?}\nlang={:?}\n---\n{}",
                a.title, a.authors, a.published, a.site_name, a.canonical_url, a.language, a.text
            ),
            Err(e) => println!("error: {e}"),
        }
        return;
    }
    if args.iter().any(|a| a == "--fingerprints") {
        fingerprints();
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--predict") {
        let out = args.get(i + 1).expect("--predict OUT.json");
        predict(std::path::Path::new(out));
        return;
    }
    zyte();
    trafilatura();
}

/// Read the gzip pages of one dataset: (key, html bytes).
fn load_pages(dir: &std::path::Path, files: &[(String, String)]) -> Vec<(String, Vec<u8>)> {
    let mut pages = Vec::new();
    for (key, file) in files {
        let Ok(gz) = std::fs::read(dir.join("html").join(file)) else {
            continue;
        };
        let mut html = Vec::new();
        if flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut html)
            .is_ok()
        {
            pages.push((key.clone(), html));
        }
    }
    pages
}

/// CPU time of the calling thread, in seconds: on a shared machine wall-clock
/// time also counts other processes' work.
fn thread_cpu_secs() -> f64 {
    cpu_time::ThreadTime::try_now().map_or(f64::NAN, |t| t.as_duration().as_secs_f64())
}

/// Extract every page (timed in thread CPU seconds, text and metadata
/// together) and return the predictions as JSON.
fn run_pages(pages: &[(String, Vec<u8>)]) -> serde_json::Value {
    let start = thread_cpu_secs();
    let wall = Instant::now();
    let arts: Vec<_> = pages
        .iter()
        .map(|(k, h)| chronicle_ingest::extract_html(h, k).ok())
        .collect();
    let secs = thread_cpu_secs() - start;
    let wall = wall.elapsed().as_secs_f64();
    let mut out = serde_json::Map::new();
    for ((k, _), a) in pages.iter().zip(&arts) {
        let v = match a {
            Some(a) => serde_json::json!({
                "text": a.text,
                "title": a.title,
                "author": (!a.authors.is_empty()).then(|| a.authors.join("; ")),
                "date": a.published_local.map(|p| p.format("%Y-%m-%d").to_string()),
            }),
            None => serde_json::json!({ "text": null }),
        };
        out.insert(k.clone(), v);
    }
    serde_json::json!({ "seconds": secs, "wall_seconds": wall, "pages": out })
}

fn predict(out: &std::path::Path) {
    let base = eval_base();
    let mut all = serde_json::Map::new();
    let zdir = base.join("article-extraction-benchmark");
    if let Ok(raw) = std::fs::read_to_string(zdir.join("ground-truth.json")) {
        let gt: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&raw).expect("ground-truth.json");
        let files: Vec<(String, String)> = gt
            .keys()
            .map(|k| (k.clone(), format!("{k}.html.gz")))
            .collect();
        let pages = load_pages(&zdir, &files);
        all.insert("article-extraction-benchmark".into(), run_pages(&pages));
    }
    let tdir = base.join("trafilatura-eval-en");
    if let Ok(raw) = std::fs::read_to_string(tdir.join("evaldata-en.json")) {
        let data: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&raw).expect("evaldata-en.json");
        let files: Vec<(String, String)> = data
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v["file"].as_str()?.to_string())))
            .collect();
        let pages = load_pages(&tdir, &files);
        all.insert("trafilatura-eval-en".into(), run_pages(&pages));
    }
    std::fs::write(out, serde_json::to_string(&all).expect("json")).expect("write predictions");
    println!("wrote {}", out.display());
}

fn zyte() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir: Option<PathBuf> = None;
    let mut worst = 0usize;
    let mut dump: Option<String> = None;
    let mut json_out: Option<PathBuf> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--worst" => {
                worst = args.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(10);
                i += 1;
            }
            "--json" => {
                json_out = args.get(i + 1).map(PathBuf::from);
                i += 1;
            }
            "--dump" => {
                dump = args.get(i + 1).cloned();
                i += 1;
            }
            other => dir = Some(PathBuf::from(other)),
        }
        i += 1;
    }
    let dir = dir.unwrap_or_else(|| {
        let base =
            std::env::var("CHRONICLE_EVAL_DIR").unwrap_or_else(|_| "/work/shared/eval".into());
        PathBuf::from(base).join("article-extraction-benchmark")
    });
    let gt_path = dir.join("ground-truth.json");
    let Ok(gt_raw) = std::fs::read_to_string(&gt_path) else {
        println!("SKIP: benchmark data not found at {}", dir.display());
        return;
    };
    let gt: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&gt_raw).expect("ground-truth.json");
    let mut keys: Vec<&String> = gt.keys().collect();
    keys.sort();
    let mut pages = Vec::new();
    for k in &keys {
        let p = dir.join("html").join(format!("{k}.html.gz"));
        let Ok(raw) = std::fs::read(&p) else { continue };
        let mut html = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut html)
            .expect("gunzip");
        pages.push((k.to_string(), html));
    }
    let start = Instant::now();
    let mut results = Vec::new();
    for (k, html) in &pages {
        let pred = match chronicle_ingest::extract_html(html, k) {
            Ok(a) => a.text,
            Err(_) => String::new(),
        };
        if dump.as_deref() == Some(k.as_str()) {
            println!("{pred}\n-----");
        }
        results.push((k.clone(), pred));
    }
    let secs = start.elapsed().as_secs_f64();
    if let Some(path) = &json_out {
        // Upstream output format: {id: {"articleBody": text}}.
        let m: serde_json::Map<String, serde_json::Value> = results
            .iter()
            .map(|(k, t)| (k.clone(), serde_json::json!({ "articleBody": t })))
            .collect();
        std::fs::write(path, serde_json::to_string(&m).expect("json")).expect("write predictions");
    }
    let mut ps = Vec::new();
    let mut rs = Vec::new();
    let mut per_doc = Vec::new();
    for (k, pred) in &results {
        let truth = gt[k.as_str()]["articleBody"].as_str().unwrap_or("");
        let (tp, fp, fn_) = score(truth, pred);
        let p = (tp + fp > 0.0).then(|| precision(tp, fp, fn_));
        let r = (tp + fn_ > 0.0).then(|| recall(tp, fp, fn_));
        if let Some(p) = p {
            ps.push(p);
        }
        if let Some(r) = r {
            rs.push(r);
        }
        let (p, r) = (p.unwrap_or(0.0), r.unwrap_or(0.0));
        per_doc.push((
            if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            },
            p,
            r,
            k.clone(),
        ));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (p, r) = (mean(&ps), mean(&rs));
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    println!(
        "article-extraction-benchmark: {} pages  precision={p:.3}  recall={r:.3}  F1={f1:.3}  ({:.1} pages/s, {:.2} s)",
        results.len(),
        results.len() as f64 / secs,
        secs
    );
    if worst > 0 {
        per_doc.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (f, p, r, k) in per_doc.iter().take(worst) {
            let url = gt[k.as_str()]["url"].as_str().unwrap_or("");
            println!("{f:.3} P={p:.3} R={r:.3} {k} {url}");
        }
    }
}

fn eval_base() -> PathBuf {
    PathBuf::from(
        std::env::var("CHRONICLE_EVAL_DIR").unwrap_or_else(|_| "/work/shared/eval".into()),
    )
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trafilatura's English evaluation set: `with` snippets must appear in the
/// extracted text, `without` snippets must not (upstream tests/comparison.py
/// counting); plus exact-match title and date accuracy where gold exists.
fn trafilatura() {
    let dir = eval_base().join("trafilatura-eval-en");
    let Ok(raw) = std::fs::read_to_string(dir.join("evaldata-en.json")) else {
        println!("SKIP: trafilatura-eval-en not found at {}", dir.display());
        return;
    };
    let data: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&raw).expect("evaldata-en.json");
    let (mut tp, mut fn_, mut fp, mut tn) = (0usize, 0usize, 0usize, 0usize);
    let (mut title_ok, mut title_n, mut date_ok, mut date_n) = (0, 0, 0, 0);
    let (mut author_ok, mut author_n) = (0, 0);
    let mut n = 0;
    let verbose = std::env::var("CHRONICLE_EVAL_VERBOSE").is_ok();
    let start = Instant::now();
    for (_url, v) in &data {
        let Some(file) = v["file"].as_str() else {
            continue;
        };
        let Ok(gz) = std::fs::read(dir.join("html").join(file)) else {
            continue;
        };
        let mut html = Vec::new();
        if flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut html)
            .is_err()
        {
            continue;
        }
        n += 1;
        let art = chronicle_ingest::extract_html(&html, file).ok();
        let text = norm(art.as_ref().map(|a| a.text.as_str()).unwrap_or(""));
        for w in v["with"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str())
        {
            if text.contains(&norm(w)) {
                tp += 1;
            } else {
                fn_ += 1;
                if verbose {
                    println!("MISS {file}: {w}");
                }
            }
        }
        for w in v["without"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str())
        {
            if text.contains(&norm(w)) {
                fp += 1;
                if verbose {
                    println!("EXTRA {file}: {w}");
                }
            } else {
                tn += 1;
            }
        }
        // Title and date: pages whose gold is a non-empty string (an empty
        // gold string means the annotators found none).
        if let Some(t) = v
            .get("title")
            .and_then(|t| t.as_str())
            .filter(|t| !t.is_empty())
        {
            title_n += 1;
            let got = art.as_ref().and_then(|a| a.title.as_deref()).map(norm);
            if got == Some(norm(t)) {
                title_ok += 1;
            } else if verbose {
                println!("TITLE {file}: want {t:?} got {got:?}");
            }
        }
        if let Some(want) = v
            .get("author")
            .and_then(|t| t.as_str())
            .filter(|a| !a.is_empty())
        {
            // Loose match: every gold name (split on ";") among ours, case-insensitive.
            author_n += 1;
            let ours: Vec<String> = art
                .as_ref()
                .map(|a| a.authors.iter().map(|x| norm(x).to_lowercase()).collect())
                .unwrap_or_default();
            let all = want
                .split(';')
                .map(|w| norm(w).to_lowercase())
                .filter(|w| !w.is_empty())
                .all(|w| ours.contains(&w));
            if all {
                author_ok += 1;
            } else if verbose {
                println!("AUTHOR {file}: want {want:?} got {ours:?}");
            }
        }
        if let Some(d) = v
            .get("date")
            .and_then(|t| t.as_str())
            .filter(|d| !d.is_empty())
        {
            date_n += 1;
            let got = art
                .as_ref()
                .and_then(|a| a.published_local)
                .map(|p| p.format("%Y-%m-%d").to_string());
            if got.as_deref() == Some(d) {
                date_ok += 1;
            } else if verbose {
                println!("DATE {file}: want {d:?} got {got:?}");
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    let acc = (tp + tn) as f64 / (tp + tn + fp + fn_).max(1) as f64;
    println!(
        "trafilatura-eval-en: {n} pages  snippets precision={p:.3}  recall={r:.3}  F1={f1:.3}  accuracy={acc:.3}  title={title_ok}/{title_n}  date={date_ok}/{date_n}  author={author_ok}/{author_n}  ({:.1} pages/s)",
        n as f64 / secs
    );
}

fn fingerprints() {
    use chronicle_ingest::fingerprint::{hamming, near_duplicate, simhash};
    let dir = eval_base().join("article-extraction-benchmark");
    let Ok(raw) = std::fs::read_to_string(dir.join("ground-truth.json")) else {
        println!("SKIP: benchmark data not found at {}", dir.display());
        return;
    };
    let gt: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&raw).expect("ground-truth.json");
    let files: Vec<(String, String)> = gt
        .keys()
        .map(|k| (k.clone(), format!("{k}.html.gz")))
        .collect();
    let pages = load_pages(&dir, &files);
    let mut gold = Vec::new();
    let mut dists = Vec::new();
    for (k, html) in &pages {
        let g = simhash(gt[k.as_str()]["articleBody"].as_str().unwrap_or(""));
        if let Ok(a) = chronicle_ingest::extract_html(html, k) {
            // Title first, as in Document.text.
            let text = format!("{}\n\n{}", a.title.unwrap_or_default(), a.text);
            dists.push(hamming(g, simhash(&text)));
        }
        gold.push(g);
    }
    let near = dists.iter().filter(|&&d| d <= 3).count();
    dists.sort_unstable();
    let median = dists.get(dists.len() / 2).copied().unwrap_or(0);
    let (mut pairs, mut collisions, mut min) = (0usize, 0usize, 64u32);
    for i in 0..gold.len() {
        for j in i + 1..gold.len() {
            pairs += 1;
            min = min.min(hamming(gold[i], gold[j]));
            if near_duplicate(gold[i], gold[j]) {
                collisions += 1;
            }
        }
    }
    println!(
        "fingerprints: extraction vs gold near-duplicate {near}/{} (median distance {median}); different gold articles colliding {collisions}/{pairs} (min distance {min})",
        dists.len()
    );
}
