//! Generic metric arithmetic shared by every scorer: precision / recall / F1 counts,
//! set and span matching, multi-class accuracy with macro / weighted F1 (scikit-learn
//! semantics), and distance-error summaries (acc@161 km, median, mean, Gritta AUC).
//! Takes plain values, gives plain numbers; no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;

/// True-positive / false-positive / false-negative counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn new(tp: usize, fp: usize, fn_: usize) -> Self {
        Prf { tp, fp, fn_ }
    }
    /// Precision; 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall; 0 when there is no gold item.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    pub fn add(&mut self, o: Prf) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// `a / b`, 0 when `b == 0`.
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

pub fn f1(p: f64, r: f64) -> f64 {
    if p + r <= 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Exact set matching: gold and predicted items are compared as sets.
pub fn set_prf<T: Eq + Hash + Ord + Clone>(gold: &[T], pred: &[T]) -> Prf {
    let g: BTreeSet<&T> = gold.iter().collect();
    let p: BTreeSet<&T> = pred.iter().collect();
    let tp = g.intersection(&p).count();
    Prf::new(tp, p.len() - tp, g.len() - tp)
}

/// Overlap matching of half-open spans: a prediction is correct when it overlaps
/// some gold span (precision side), a gold span is found when some prediction
/// overlaps it (recall side). `tp` holds the recall-side count; precision uses
/// [`overlap_precision`].
pub fn overlap_counts(gold: &[(usize, usize)], pred: &[(usize, usize)]) -> (usize, usize) {
    let ov = |a: &(usize, usize), b: &(usize, usize)| a.0 < b.1 && b.0 < a.1;
    let pred_ok = pred
        .iter()
        .filter(|p| gold.iter().any(|g| ov(g, p)))
        .count();
    let gold_found = gold
        .iter()
        .filter(|g| pred.iter().any(|p| ov(g, p)))
        .count();
    (pred_ok, gold_found)
}

/// Accumulates overlap-match precision and recall over many documents.
#[derive(Debug, Clone, Copy, Default)]
pub struct OverlapPrf {
    pub pred_ok: usize,
    pub pred: usize,
    pub gold_found: usize,
    pub gold: usize,
}

impl OverlapPrf {
    pub fn add(&mut self, gold: &[(usize, usize)], pred: &[(usize, usize)]) {
        let (po, gf) = overlap_counts(gold, pred);
        self.pred_ok += po;
        self.gold_found += gf;
        self.pred += pred.len();
        self.gold += gold.len();
    }
    pub fn precision(&self) -> f64 {
        ratio(self.pred_ok, self.pred)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.gold_found, self.gold)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
}

/// Multi-class scores with scikit-learn semantics: labels are the union of gold
/// and predicted labels; macro = unweighted mean of per-label F1; weighted = mean
/// weighted by gold support.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassScores {
    pub n: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub weighted_f1: f64,
    pub micro_f1: f64,
    pub per_label: BTreeMap<String, Prf>,
}

pub fn classification(gold: &[String], pred: &[String]) -> ClassScores {
    assert_eq!(
        gold.len(),
        pred.len(),
        "gold and predicted label lists differ in length"
    );
    let mut per: BTreeMap<String, Prf> = BTreeMap::new();
    let mut correct = 0;
    for (g, p) in gold.iter().zip(pred) {
        if g == p {
            correct += 1;
            per.entry(g.clone()).or_default().tp += 1;
        } else {
            per.entry(g.clone()).or_default().fn_ += 1;
            per.entry(p.clone()).or_default().fp += 1;
        }
    }
    let n = gold.len();
    let mut support: HashMap<&str, usize> = HashMap::new();
    for g in gold {
        *support.entry(g.as_str()).or_default() += 1;
    }
    let macro_f1 = if per.is_empty() {
        0.0
    } else {
        per.values().map(|c| c.f1()).sum::<f64>() / per.len() as f64
    };
    let weighted_f1 = if n == 0 {
        0.0
    } else {
        per.iter()
            .map(|(l, c)| c.f1() * *support.get(l.as_str()).unwrap_or(&0) as f64)
            .sum::<f64>()
            / n as f64
    };
    let accuracy = ratio(correct, n);
    ClassScores {
        n,
        accuracy,
        macro_f1,
        weighted_f1,
        micro_f1: accuracy,
        per_label: per,
    }
}

/// Binary detection counts from (gold, predicted) booleans.
pub fn binary_prf(pairs: impl IntoIterator<Item = (bool, bool)>) -> Prf {
    let mut c = Prf::default();
    for (g, p) in pairs {
        match (g, p) {
            (true, true) => c.tp += 1,
            (false, true) => c.fp += 1,
            (true, false) => c.fn_ += 1,
            _ => {}
        }
    }
    c
}

/// Macro F1 over the two classes of a binary task (as in CLEF ProtestNews / CASE 2021 Task 1).
pub fn binary_macro_f1(pairs: &[(bool, bool)]) -> f64 {
    let pos = binary_prf(pairs.iter().copied());
    let neg = binary_prf(pairs.iter().map(|&(g, p)| (!g, !p)));
    (pos.f1() + neg.f1()) / 2.0
}

/// Summary of great-circle errors in km.
#[derive(Debug, Clone, PartialEq)]
pub struct DistanceStats {
    pub n: usize,
    pub acc161: f64,
    pub median_km: f64,
    pub mean_km: f64,
    /// Area under the log-scaled error curve (Gritta et al.): 0 is perfect, 1 worst.
    pub auc: f64,
}

/// Largest possible error on Earth, used by the AUC scaling.
pub const MAX_ERROR_KM: f64 = 20039.0;

pub fn distance_stats(errors_km: &[f64]) -> DistanceStats {
    let n = errors_km.len();
    if n == 0 {
        return DistanceStats {
            n,
            acc161: 0.0,
            median_km: 0.0,
            mean_km: 0.0,
            auc: 0.0,
        };
    }
    let mut e: Vec<f64> = errors_km
        .iter()
        .map(|x| x.clamp(0.0, MAX_ERROR_KM))
        .collect();
    e.sort_by(|a, b| a.total_cmp(b));
    let median = if n % 2 == 1 {
        e[n / 2]
    } else {
        (e[n / 2 - 1] + e[n / 2]) / 2.0
    };
    let mean = e.iter().sum::<f64>() / n as f64;
    let acc = e.iter().filter(|&&x| x <= 161.0).count() as f64 / n as f64;
    let scaled: Vec<f64> = e
        .iter()
        .map(|x| (x + 1.0).ln() / (MAX_ERROR_KM + 1.0).ln())
        .collect();
    let auc = if n == 1 {
        scaled[0]
    } else {
        // trapezoidal rule over [0, 1] with n equally spaced points
        let s: f64 = scaled.windows(2).map(|w| (w[0] + w[1]) / 2.0).sum();
        s / (n - 1) as f64
    };
    DistanceStats {
        n,
        acc161: acc,
        median_km: median,
        mean_km: mean,
        auc,
    }
}

/// Lowercase, trim, collapse whitespace, strip surrounding punctuation.
pub fn norm(s: &str) -> String {
    let s = s
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() && c != '(' && c != ')');
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Character offsets of a byte span of `text` (clamped to char boundaries).
pub fn byte_to_char_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while i > 0 && !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (s, e) = (fix(start), fix(end.max(start)));
    let cs = text[..s].chars().count();
    (cs, cs + text[s..e].chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf_perfect_and_empty() {
        let g = vec![1, 2, 3];
        let p = set_prf(&g, &g);
        assert_eq!((p.precision(), p.recall(), p.f1()), (1.0, 1.0, 1.0));
        let e = set_prf(&g, &[]);
        assert_eq!((e.precision(), e.recall(), e.f1()), (0.0, 0.0, 0.0));
        let h = set_prf(&g, &[1, 4]);
        assert_eq!(h, Prf::new(1, 1, 2));
        assert!((h.f1() - 0.4).abs() < 1e-9);
    }

    #[test]
    fn classification_matches_sklearn() {
        // sklearn: y_true=[a,a,b,c], y_pred=[a,b,b,a] -> acc .5,
        // per-label f1 a=.5 b=.667 c=0 -> macro .3889, weighted (2*.5+.667)/4=.4167
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let c = classification(&s(&["a", "a", "b", "c"]), &s(&["a", "b", "b", "a"]));
        assert!((c.accuracy - 0.5).abs() < 1e-9);
        assert!((c.macro_f1 - 0.388_888).abs() < 1e-4, "{}", c.macro_f1);
        assert!(
            (c.weighted_f1 - 0.416_666).abs() < 1e-4,
            "{}",
            c.weighted_f1
        );
        let perfect = classification(&s(&["a", "b"]), &s(&["a", "b"]));
        assert_eq!(
            (perfect.accuracy, perfect.macro_f1, perfect.weighted_f1),
            (1.0, 1.0, 1.0)
        );
        let none = classification(&s(&["a", "b"]), &s(&["NONE", "NONE"]));
        assert_eq!(
            (none.accuracy, none.macro_f1, none.weighted_f1),
            (0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn overlap_matching() {
        let mut o = OverlapPrf::default();
        o.add(&[(0, 10), (20, 30)], &[(5, 8), (40, 50)]);
        assert_eq!((o.precision(), o.recall()), (0.5, 0.5));
        let mut e = OverlapPrf::default();
        e.add(&[(0, 10)], &[]);
        assert_eq!(e.f1(), 0.0);
    }

    #[test]
    fn distances() {
        let d = distance_stats(&[0.0, 0.0]);
        assert_eq!((d.acc161, d.median_km, d.auc), (1.0, 0.0, 0.0));
        let w = distance_stats(&[100.0, 200.0, 30000.0]);
        assert!((w.acc161 - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(w.median_km, 200.0);
        assert!(w.auc > 0.5 && w.auc <= 1.0);
    }

    #[test]
    fn binary_macro() {
        assert_eq!(binary_macro_f1(&[(true, true), (false, false)]), 1.0);
        assert_eq!(binary_macro_f1(&[(true, false), (false, true)]), 0.0);
    }

    #[test]
    fn char_spans() {
        let t = "é ab";
        assert_eq!(byte_to_char_span(t, 3, 5), (2, 4));
        assert_eq!(byte_to_char_span(t, 1, 99), (0, 4));
        assert_eq!(norm("  The  Hague, "), "the hague");
    }
}
