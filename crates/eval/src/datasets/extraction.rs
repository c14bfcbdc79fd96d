//! Zyte article-extraction-benchmark: gunzips each page, extracts the main text with
//! the ingest crate and scores it as upstream `evaluate.py` does: `\w+` tokens,
//! word 4-gram shingle multisets, per-document TP/FP/FN → precision (averaged over
//! documents with a prediction) and recall (averaged over documents with gold
//! shingles), 1 when there is neither FP nor FN; F1 from the two averages;
//! accuracy = identical token sequences.

use super::{quick_take, read_bytes, read_string, Ctx};
use crate::metrics::f1;
use crate::report::Row;
use rayon::prelude::*;
use regex::Regex;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

fn tokens(text: &str) -> Vec<&str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\w+").expect("static regex"))
        .find_iter(text)
        .map(|m| m.as_str())
        .collect()
}

/// Word n-gram shingle multiset, as upstream `_ngrams` (a text shorter than `n`
/// tokens gives one shingle of all its tokens; no tokens gives none).
pub fn shingles(text: &str, n: usize) -> HashMap<String, usize> {
    let t = tokens(text);
    let mut out = HashMap::new();
    let last = t.len().saturating_sub(n) + 1;
    for i in 0..last.max(1) {
        let s = t[i.min(t.len())..(i + n).min(t.len())].join(" ");
        if !s.is_empty() {
            *out.entry(s).or_insert(0) += 1;
        }
    }
    out
}

/// (tp, fp, fn) of predicted vs gold shingles (multiset intersection / differences).
pub fn shingle_counts(gold: &str, pred: &str) -> (usize, usize, usize) {
    let g = shingles(gold, 4);
    let p = shingles(pred, 4);
    let mut tp = 0;
    let mut fp = 0;
    for (k, &pc) in &p {
        let gc = g.get(k).copied().unwrap_or(0);
        tp += pc.min(gc);
        fp += pc.saturating_sub(gc);
    }
    let fn_ = g
        .iter()
        .map(|(k, &gc)| gc.saturating_sub(p.get(k).copied().unwrap_or(0)))
        .sum();
    (tp, fp, fn_)
}

/// Upstream per-document precision (`None` when nothing was predicted: upstream
/// averages precision only over documents with predicted shingles).
pub fn doc_precision(tp: usize, fp: usize, fn_: usize) -> Option<f64> {
    if tp + fp == 0 {
        return None;
    }
    Some(if fn_ == 0 && fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    })
}

/// Upstream per-document recall (`None` when the gold text has no shingles).
pub fn doc_recall(tp: usize, fp: usize, fn_: usize) -> Option<f64> {
    if tp + fn_ == 0 {
        return None;
    }
    Some(if fn_ == 0 && fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fn_) as f64
    })
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// (precision, recall, F1, accuracy) over (gold, predicted) text pairs.
pub fn score(pairs: &[(String, String)]) -> (f64, f64, f64, f64) {
    if pairs.is_empty() {
        return (0.0, 0.0, 0.0, 0.0);
    }
    let (mut ps, mut rs, mut acc) = (Vec::new(), Vec::new(), 0.0);
    for (g, pr) in pairs {
        let (tp, fp, fn_) = shingle_counts(g, pr);
        ps.extend(doc_precision(tp, fp, fn_));
        rs.extend(doc_recall(tp, fp, fn_));
        if tokens(g) == tokens(pr) {
            acc += 1.0;
        }
    }
    let (p, r) = (mean(&ps), mean(&rs));
    (p, r, f1(p, r), acc / pairs.len() as f64)
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    const DS: &str = "article-extraction";
    if !ctx.sys.has_html() {
        return Ok(vec![Row::skipped(DS, "dev", "ingest not wired")]);
    }
    let gt: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&read_string(&dir.join("ground-truth.json"))?)?;
    let mut ids: Vec<&String> = gt.keys().collect();
    ids.sort();
    let ids = quick_take(ids, ctx.quick, 20);
    let results: Vec<(String, String, bool)> = ids
        .par_iter()
        .map(|id| {
            let gold = gt[*id]
                .get("articleBody")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            let path = dir.join("html").join(format!("{id}.html.gz"));
            let pred = read_bytes(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| ctx.sys.extract_html(&b, &path.display().to_string()));
            match pred {
                Ok(a) => (gold, a.text, false),
                Err(e) => {
                    eprintln!("warning: {e}");
                    (gold, String::new(), true)
                }
            }
        })
        .collect();
    let errors = results.iter().filter(|r| r.2).count();
    let pairs: Vec<(String, String)> = results.into_iter().map(|(g, p, _)| (g, p)).collect();
    let (p, r, f, a) = score(&pairs);
    let n = pairs.len();
    let note = if errors > 0 {
        format!("{errors} pages failed")
    } else {
        String::new()
    };
    Ok(vec![
        Row::new(DS, "dev", n, "shingle P", p),
        Row::new(DS, "dev", n, "shingle R", r),
        Row::new(DS, "dev", n, "shingle F1", f).with_note(note),
        Row::new(DS, "dev", n, "exact accuracy", a),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_like_upstream() {
        assert_eq!(shingles("a b c d e", 4).len(), 2);
        assert_eq!(shingles("a b", 4).keys().next().unwrap(), "a b");
        assert!(shingles("  ,, ", 4).is_empty());
    }

    #[test]
    fn perfect_empty_partial() {
        let g = "One two three four five six. Seven eight.".to_string();
        assert_eq!(score(&[(g.clone(), g.clone())]), (1.0, 1.0, 1.0, 1.0));
        assert_eq!(score(&[(g.clone(), String::new())]), (0.0, 0.0, 0.0, 0.0));
        let (p, r, f, a) = score(&[(g.clone(), format!("Menu Home Login {g}"))]);
        assert!(r == 1.0 && p < 1.0 && f > 0.5 && a == 0.0, "{p} {r} {f}");
        // an empty prediction lowers recall only (upstream averages precision over predictions)
        let (p, r, _, _) = score(&[(g.clone(), g.clone()), (g.clone(), String::new())]);
        assert_eq!((p, r), (1.0, 0.5));
        // punctuation and whitespace do not matter
        assert_eq!(score(&[(g.clone(), g.replace('.', " ;"))]).3, 1.0);
    }
}
