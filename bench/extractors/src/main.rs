//! Runs one Rust article extractor from crates.io over the evaluation pages and
//! writes its predictions in the format of chronicle's
//! `extract_eval --predict`: `{dataset: {"seconds": s, "pages": {key: {text,
//! title, author, date}}}}`, read by `scripts/extract_bench.py`.
//!
//! Takes the tool name (a cargo feature of this package: `dom_smoothie`,
//! `libreadability`, `trafilatura`, `rs_trafilatura`), the output path, and the
//! evaluation base directory (default `$CHRONICLE_EVAL_DIR` or
//! `/work/shared/eval`). Pages are decoded as UTF-8 (lossy), the way each
//! crate's `&str` API needs them; only the extraction calls are timed (thread CPU
//! seconds, wall-clock too), one page at a time on one thread. A page the tool fails on gets `"text": null`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What one tool gives for one page.
#[derive(Default)]
struct Pred {
    text: String,
    title: Option<String>,
    author: Option<String>,
    /// `YYYY-MM-DD` when the tool found a date.
    date: Option<String>,
}

/// The first `YYYY-MM-DD` in a date string the tool returned.
fn ymd(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let ok = w.iter().enumerate().all(|(j, c)| match j {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        ok.then(|| s[i..i + 10].to_string())
    })
}

#[cfg(feature = "dom_smoothie")]
fn extract(html: &str, url: &str) -> Option<Pred> {
    let url = Some(url).filter(|u| !u.is_empty());
    let mut r = dom_smoothie::Readability::new(html, url, None).ok()?;
    let a = r.parse().ok()?;
    Some(Pred {
        text: a.text_content.to_string(),
        title: Some(a.title.to_string()).filter(|t| !t.is_empty()),
        author: a.byline.map(|b| b.to_string()),
        date: a.published_time.as_deref().and_then(ymd),
    })
}

#[cfg(feature = "libreadability")]
fn extract(html: &str, url: &str) -> Option<Pred> {
    let a = libreadability::extract(html, Some(url).filter(|u| !u.is_empty())).ok()?;
    Some(Pred {
        text: a.text_content,
        title: Some(a.title).filter(|t| !t.is_empty()),
        author: Some(a.byline).filter(|t| !t.is_empty()),
        date: ymd(&a.published_time),
    })
}

#[cfg(feature = "trafilatura")]
fn extract(html: &str, _url: &str) -> Option<Pred> {
    let r = trafilatura::extract(html, &trafilatura::Options::default()).ok()?;
    Some(Pred {
        text: r.content_text,
        title: Some(r.metadata.title).filter(|t| !t.is_empty()),
        author: Some(r.metadata.author).filter(|t| !t.is_empty()),
        date: r
            .metadata
            .date
            .map(|d| d.to_string())
            .as_deref()
            .and_then(ymd),
    })
}

#[cfg(feature = "rs-trafilatura")]
fn extract(html: &str, _url: &str) -> Option<Pred> {
    let r = rs_trafilatura::extract(html).ok()?;
    Some(Pred {
        text: r.content_text,
        title: r.metadata.title,
        author: r.metadata.author,
        date: r
            .metadata
            .date
            .map(|d| d.to_string())
            .as_deref()
            .and_then(ymd),
    })
}

#[cfg(not(any(
    feature = "dom_smoothie",
    feature = "libreadability",
    feature = "trafilatura",
    feature = "rs-trafilatura"
)))]
fn extract(_html: &str, _url: &str) -> Option<Pred> {
    None
}

/// CPU time of the calling thread, in seconds (wall-clock time on a shared
/// machine also counts other processes' work).
fn thread_cpu_secs() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn load(dir: &Path, file: &str) -> Option<String> {
    let gz = std::fs::read(dir.join("html").join(file)).ok()?;
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut raw)
        .ok()?;
    Some(String::from_utf8_lossy(&raw).into_owned())
}

/// (key, url, html) for every page of one dataset.
fn run(pages: &[(String, String, String)]) -> serde_json::Value {
    let start = thread_cpu_secs();
    let wall = Instant::now();
    let preds: Vec<Option<Pred>> = pages.iter().map(|(_, u, h)| extract(h, u)).collect();
    let secs = thread_cpu_secs() - start;
    let wall = wall.elapsed().as_secs_f64();
    let mut out = serde_json::Map::new();
    for ((k, _, _), p) in pages.iter().zip(preds) {
        let v = match p {
            Some(p) => serde_json::json!({
                "text": p.text, "title": p.title, "author": p.author, "date": p.date
            }),
            None => serde_json::json!({ "text": null }),
        };
        out.insert(k.clone(), v);
    }
    serde_json::json!({ "seconds": secs, "wall_seconds": wall, "pages": out })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: chronicle-bench-extractors TOOL OUT.json [EVAL_BASE]");
        std::process::exit(2);
    }
    let base = args.get(3).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(
            std::env::var("CHRONICLE_EVAL_DIR").unwrap_or_else(|_| "/work/shared/eval".into()),
        )
    });
    let mut all = serde_json::Map::new();
    let zdir = base.join("article-extraction-benchmark");
    if let Ok(raw) = std::fs::read_to_string(zdir.join("ground-truth.json")) {
        let gt: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&raw).expect("ground-truth.json");
        let pages: Vec<_> = gt
            .iter()
            .filter_map(|(k, v)| {
                let url = v["url"].as_str().unwrap_or("").to_string();
                Some((k.clone(), url, load(&zdir, &format!("{k}.html.gz"))?))
            })
            .collect();
        all.insert("article-extraction-benchmark".into(), run(&pages));
    }
    let tdir = base.join("trafilatura-eval-en");
    if let Ok(raw) = std::fs::read_to_string(tdir.join("evaldata-en.json")) {
        let data: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&raw).expect("evaldata-en.json");
        let pages: Vec<_> = data
            .iter()
            .filter_map(|(k, v)| {
                let url = if k.starts_with("http") {
                    k.clone()
                } else {
                    String::new()
                };
                Some((k.clone(), url, load(&tdir, v["file"].as_str()?)?))
            })
            .collect();
        all.insert("trafilatura-eval-en".into(), run(&pages));
    }
    std::fs::write(&args[2], serde_json::to_string(&all).expect("json")).expect("write");
    println!("{}: wrote {}", args[1], args[2]);
}
