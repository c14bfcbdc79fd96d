//! Brown word clusters (Brown et al. 1992, with the windowed algorithm of
//! Liang 2005): hierarchical classes of words learned from unlabelled text.
//!
//! Takes sequences of word ids (a corpus already mapped to a vocabulary
//! sorted by falling frequency) and gives, per word, a bit-string path in the
//! binary merge tree; words with a long common path prefix occur in similar
//! contexts. The shipped file `data/models/clusters-brown.txt` holds one
//! `path<TAB>word<TAB>count` line per word (the format of Liang's
//! `wcluster`); [`WordClusters`] reads and writes it, and the NER model uses
//! path prefixes as features.
//!
//! Algorithm: the `C` most frequent words start as clusters; each further word
//! (by frequency) becomes cluster `C + 1` and the pair whose merge loses the
//! least average mutual information between adjacent clusters is merged;
//! after the last word, the remaining `C` clusters are merged down to one.
//! The merges of the final `C` clusters form the tree; every word gets the
//! path of its cluster (as in Liang's `wcluster`). The merge loss of every pair is kept up to
//! date in O(C²) per step (Liang 2005, §3.2), with `n ln n` from a table.

use chronicle_core::{Error, RecordError, Result};
use std::collections::HashMap;
use std::path::Path;

/// File name of the shipped clusters inside `data/models/`.
pub const CLUSTERS_FILE: &str = "clusters-brown.txt";

/// Word -> Brown path (a string of `0`/`1`), as read from a paths file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordClusters {
    paths: HashMap<String, String>,
    counts: HashMap<String, u64>,
}

impl WordClusters {
    /// Loads `data_dir/models/clusters-brown.txt`.
    pub fn load(data_dir: &Path) -> Result<WordClusters> {
        let path = data_dir.join("models").join(CLUSTERS_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::Data(format!("{}: {e}", path.display())))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses `path<TAB>word<TAB>count` lines; `origin` names the source in errors.
    pub fn parse(text: &str, origin: &str) -> Result<WordClusters> {
        let mut c = WordClusters::default();
        for (i, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |reason: String| {
                Error::Record(RecordError {
                    origin: format!("{origin}:{}", i + 1),
                    reason,
                })
            };
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 3 {
                return Err(bad(format!("expected 3 columns, found {}", cols.len())));
            }
            if cols[0].is_empty() || !cols[0].bytes().all(|b| b == b'0' || b == b'1') {
                return Err(bad(format!("path {:?} is not a bit string", cols[0])));
            }
            let n: u64 = cols[2]
                .parse()
                .map_err(|_| bad(format!("count {:?} is not a number", cols[2])))?;
            if c.paths
                .insert(cols[1].to_string(), cols[0].to_string())
                .is_some()
            {
                return Err(bad(format!("word {:?} listed twice", cols[1])));
            }
            c.counts.insert(cols[1].to_string(), n);
        }
        Ok(c)
    }

    /// Builds clusters from (word, path, count) triples.
    pub fn from_paths(items: impl IntoIterator<Item = (String, String, u64)>) -> WordClusters {
        let mut c = WordClusters::default();
        for (w, p, n) in items {
            c.counts.insert(w.clone(), n);
            c.paths.insert(w, p);
        }
        c
    }

    /// The paths file: lines sorted by path, then by falling count.
    pub fn to_text(&self) -> String {
        let mut rows: Vec<(&String, &String, u64)> = self
            .paths
            .iter()
            .map(|(w, p)| (p, w, self.counts.get(w).copied().unwrap_or(0)))
            .collect();
        rows.sort_by(|a, b| a.0.cmp(b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(b.1)));
        let mut out = String::with_capacity(rows.len() * 24);
        for (p, w, n) in rows {
            out.push_str(&format!("{p}\t{w}\t{n}\n"));
        }
        out
    }

    /// Path of a word (as written in the file, i.e. normalised), if known.
    pub fn path(&self, word: &str) -> Option<&str> {
        self.paths.get(word).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Iterates (word, path).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.paths.iter().map(|(w, p)| (w.as_str(), p.as_str()))
    }

    /// Number of distinct path prefixes of length `len` (with a large `len`:
    /// the number of clusters).
    pub fn distinct_prefixes(&self, len: usize) -> usize {
        let mut s: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for p in self.paths.values() {
            s.insert(&p[..p.len().min(len)]);
        }
        s.len()
    }
}

/// Learns Brown clusters. `corpus` is a list of sequences of word ids in
/// `0..counts.len()` (ids sorted by falling frequency; `u32::MAX` marks a
/// word outside the vocabulary, which breaks the bigram chain); `c` is the
/// number of clusters kept while words are added. Returns per word id its
/// bit-string path.
pub fn brown_clusters(corpus: &[Vec<u32>], vocab: usize, c: usize) -> Vec<String> {
    let c = c.max(1).min(vocab.max(1));
    if vocab == 0 {
        return Vec::new();
    }
    // word-level bigram adjacency
    let mut right: Vec<HashMap<u32, u32>> = vec![HashMap::new(); vocab];
    let mut nl = vec![0f64; vocab];
    let mut nr = vec![0f64; vocab];
    let mut total = 0u64;
    for seq in corpus {
        for w in seq.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a as usize >= vocab || b as usize >= vocab {
                continue;
            }
            *right[a as usize].entry(b).or_default() += 1;
            nl[a as usize] += 1.0;
            nr[b as usize] += 1.0;
            total += 1;
        }
    }
    let mut left: Vec<Vec<(u32, u32)>> = vec![Vec::new(); vocab];
    for (a, m) in right.iter().enumerate() {
        for (&b, &n) in m {
            left[b as usize].push((a as u32, n));
        }
    }
    let right: Vec<Vec<(u32, u32)>> = right.into_iter().map(|m| m.into_iter().collect()).collect();
    let mut st = State::new(c + 1, total.max(1));
    let mut word_slot = vec![usize::MAX; vocab];
    let add_word = |st: &mut State, word_slot: &mut [usize], x: usize, z: usize| {
        word_slot[x] = z;
        let k = st.k;
        for &(y, n) in &right[x] {
            let s = word_slot[y as usize];
            if s != usize::MAX {
                st.n[z * k + s] += n;
            }
        }
        for &(y, n) in &left[x] {
            let s = word_slot[y as usize];
            // the self bigram was counted from `right`
            if s != usize::MAX && y as usize != x {
                st.n[s * k + z] += n;
            }
        }
        st.nl[z] = nl[x];
        st.nr[z] = nr[x];
    };
    for x in 0..c {
        add_word(&mut st, &mut word_slot, x, x);
        st.active[x] = true;
    }
    st.init();
    // phase 1: add each further word as cluster C + 1, merge the best pair
    for x in c..vocab {
        let z = (0..=c).find(|s| !st.active[*s]).expect("a free slot");
        add_word(&mut st, &mut word_slot, x, z);
        st.activate(z);
        let (a, b) = st.best_pair();
        st.merge(a, b);
        for s in word_slot.iter_mut() {
            if *s == b {
                *s = a;
            }
        }
    }
    // phase 2: merge the C clusters into one tree; leaves are slots
    let mut slot_node: Vec<usize> = (0..=c).collect();
    let mut children: Vec<(usize, usize)> = Vec::new();
    let leaves = c + 1;
    while st.active_count() > 1 {
        let (a, b) = st.best_pair();
        st.merge(a, b);
        children.push((slot_node[a], slot_node[b]));
        slot_node[a] = leaves + children.len() - 1;
    }
    let mut slot_path = vec![String::new(); leaves];
    let root = (0..=c)
        .find(|s| st.active[*s])
        .map_or(usize::MAX, |s| slot_node[s]);
    let mut stack = vec![(root, String::new())];
    while let Some((node, p)) = stack.pop() {
        if node == usize::MAX {
            continue;
        }
        if node < leaves {
            slot_path[node] = if p.is_empty() { "0".into() } else { p };
        } else {
            let (l, r) = children[node - leaves];
            stack.push((l, format!("{p}0")));
            stack.push((r, format!("{p}1")));
        }
    }
    word_slot
        .iter()
        .map(|s| slot_path.get(*s).cloned().unwrap_or_default())
        .collect()
}

/// Dense cluster-bigram counts with the cached merge quantities.
struct State {
    k: usize,
    n: Vec<u32>,
    nl: Vec<f64>,
    nr: Vec<f64>,
    active: Vec<bool>,
    /// per slot: sum of the q terms that involve it
    w: Vec<f64>,
    /// per slot pair (a < b): sum over other clusters u of the q terms
    /// between u and the merged a+b
    s: Vec<f64>,
    big_n: f64,
    ln_n: f64,
    nlogn: Vec<f64>,
}

impl State {
    fn new(k: usize, total: u64) -> State {
        // n ln n for every possible count (bigram counts never exceed the total)
        let nlogn = (0..=total)
            .map(|x| {
                let x = x as f64;
                if x > 0.0 {
                    x * x.ln()
                } else {
                    0.0
                }
            })
            .collect();
        State {
            k,
            n: vec![0; k * k],
            nl: vec![0.0; k],
            nr: vec![0.0; k],
            active: vec![false; k],
            w: vec![0.0; k],
            s: vec![0.0; k * k],
            big_n: total as f64,
            ln_n: (total as f64).ln(),
            nlogn,
        }
    }

    fn active_count(&self) -> usize {
        self.active.iter().filter(|a| **a).count()
    }

    /// q for a count `n` between marginals with logs `lnl`, `lnr`.
    #[inline]
    fn q(&self, n: u32, lnl: f64, lnr: f64) -> f64 {
        if n == 0 {
            return 0.0;
        }
        (self.nlogn[n as usize] + n as f64 * (self.ln_n - lnl - lnr)) / self.big_n
    }

    #[inline]
    fn nn(&self, a: usize, b: usize) -> u32 {
        self.n[a * self.k + b]
    }

    /// q(a,b) + q(b,a) for single slots (a != b).
    fn t1(&self, a: usize, b: usize) -> f64 {
        self.q(self.nn(a, b), self.nl[a].ln(), self.nr[b].ln())
            + self.q(self.nn(b, a), self.nl[b].ln(), self.nr[a].ln())
    }

    /// Terms between slot u and the merged pair (c, d); `ln_cd` and `ln_u`
    /// are the logs of the (left, right) marginals of c+d and of u.
    #[inline]
    fn t2(&self, u: usize, (c, d): (usize, usize), ln_cd: (f64, f64), ln_u: (f64, f64)) -> f64 {
        let (lnl_cd, lnr_cd) = ln_cd;
        let (lnl_u, lnr_u) = ln_u;
        self.q(self.nn(c, u) + self.nn(d, u), lnl_cd, lnr_u)
            + self.q(self.nn(u, c) + self.nn(u, d), lnl_u, lnr_cd)
    }

    fn self_q(&self, a: usize) -> f64 {
        self.q(self.nn(a, a), self.nl[a].ln(), self.nr[a].ln())
    }

    fn compute_w(&self, a: usize) -> f64 {
        let mut w = self.self_q(a);
        for u in 0..self.k {
            if u != a && self.active[u] {
                w += self.t1(a, u);
            }
        }
        w
    }

    fn compute_s(&self, a: usize, b: usize) -> f64 {
        let lnl = (self.nl[a] + self.nl[b]).ln();
        let lnr = (self.nr[a] + self.nr[b]).ln();
        let mut s = 0.0;
        for u in 0..self.k {
            if u != a && u != b && self.active[u] {
                s += self.t2(u, (a, b), (lnl, lnr), (self.nl[u].ln(), self.nr[u].ln()));
            }
        }
        s
    }

    /// Mutual information lost by merging a and b.
    fn loss(&self, a: usize, b: usize) -> f64 {
        let (a, b) = (a.min(b), a.max(b));
        let nab = self.nn(a, a) + self.nn(a, b) + self.nn(b, a) + self.nn(b, b);
        let merged_self = self.q(
            nab,
            (self.nl[a] + self.nl[b]).ln(),
            (self.nr[a] + self.nr[b]).ln(),
        );
        self.w[a] + self.w[b] - self.t1(a, b) - self.s[a * self.k + b] - merged_self
    }

    fn init(&mut self) {
        for a in 0..self.k {
            if self.active[a] {
                self.w[a] = self.compute_w(a);
            }
        }
        for a in 0..self.k {
            for b in a + 1..self.k {
                if self.active[a] && self.active[b] {
                    self.s[a * self.k + b] = self.compute_s(a, b);
                }
            }
        }
    }

    /// Adds the terms of slot x to every cached quantity of other slots
    /// (`sign` +1) or removes them (-1).
    fn account(&mut self, x: usize, sign: f64) {
        let k = self.k;
        let ln_l: Vec<f64> = self.nl.iter().map(|v| v.ln()).collect();
        let ln_r: Vec<f64> = self.nr.iter().map(|v| v.ln()).collect();
        let act: Vec<usize> = (0..k).filter(|u| self.active[*u] && *u != x).collect();
        for &c in &act {
            self.w[c] += sign * self.t1(c, x);
        }
        for (i, &c) in act.iter().enumerate() {
            for &d in &act[i + 1..] {
                let lnl = (self.nl[c] + self.nl[d]).ln();
                let lnr = (self.nr[c] + self.nr[d]).ln();
                let t = self.t2(x, (c, d), (lnl, lnr), (ln_l[x], ln_r[x]));
                self.s[c * k + d] += sign * t;
            }
        }
    }

    /// Recomputes the cached quantities of slot x and of every pair with x.
    fn refresh(&mut self, x: usize) {
        self.w[x] = self.compute_w(x);
        for u in 0..self.k {
            if u != x && self.active[u] {
                let (a, b) = (u.min(x), u.max(x));
                self.s[a * self.k + b] = self.compute_s(a, b);
            }
        }
    }

    fn activate(&mut self, z: usize) {
        self.active[z] = true;
        self.account(z, 1.0);
        self.refresh(z);
    }

    fn best_pair(&self) -> (usize, usize) {
        let mut best = (f64::INFINITY, 0, 0);
        for a in 0..self.k {
            if !self.active[a] {
                continue;
            }
            for b in a + 1..self.k {
                if self.active[b] {
                    let l = self.loss(a, b);
                    if l < best.0 {
                        best = (l, a, b);
                    }
                }
            }
        }
        (best.1, best.2)
    }

    fn merge(&mut self, a: usize, b: usize) {
        let k = self.k;
        // remove the old a and b from the other slots' caches
        self.active[b] = false;
        self.account(a, -1.0);
        self.active[b] = true;
        self.active[a] = false;
        self.account(b, -1.0);
        self.active[a] = true;
        for u in 0..k {
            self.n[a * k + u] += self.n[b * k + u];
        }
        for u in 0..k {
            self.n[u * k + a] += self.n[u * k + b];
        }
        for u in 0..k {
            self.n[b * k + u] = 0;
            self.n[u * k + b] = 0;
        }
        self.nl[a] += self.nl[b];
        self.nr[a] += self.nr[b];
        self.nl[b] = 0.0;
        self.nr[b] = 0.0;
        self.active[b] = false;
        self.w[b] = 0.0;
        self.account(a, 1.0);
        self.refresh(a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Average mutual information of a clustering, computed from scratch.
    fn ami(corpus: &[Vec<u32>], cl: &[usize]) -> f64 {
        let mut n: HashMap<(usize, usize), f64> = HashMap::new();
        let mut l: HashMap<usize, f64> = HashMap::new();
        let mut r: HashMap<usize, f64> = HashMap::new();
        let mut t = 0.0;
        for s in corpus {
            for w in s.windows(2) {
                let (a, b) = (cl[w[0] as usize], cl[w[1] as usize]);
                *n.entry((a, b)).or_default() += 1.0;
                *l.entry(a).or_default() += 1.0;
                *r.entry(b).or_default() += 1.0;
                t += 1.0;
            }
        }
        n.iter()
            .map(|((a, b), c)| c / t * (c * t / (l[a] * r[b])).ln())
            .sum()
    }

    #[test]
    fn cached_loss_matches_recomputed_mutual_information() {
        // a toy language: determiners, nouns, verbs
        let words = ["the", "a", "dog", "cat", "man", "runs", "sees", "eats", "."];
        let mut rng = 7u64;
        let mut pick = |k: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % k as u64) as usize
        };
        let mut corpus = Vec::new();
        for _ in 0..300 {
            let s = vec![
                pick(2) as u32,
                2 + pick(3) as u32,
                5 + pick(3) as u32,
                pick(2) as u32,
                2 + pick(3) as u32,
                8,
            ];
            corpus.push(s);
        }
        let v = words.len();
        // exact check of the cached loss on a full state
        let mut st = State::new(v, corpus.iter().map(|s| s.len() as u64 - 1).sum());
        for s in &corpus {
            for w in s.windows(2) {
                st.n[w[0] as usize * v + w[1] as usize] += 1;
                st.nl[w[0] as usize] += 1.0;
                st.nr[w[1] as usize] += 1.0;
            }
        }
        st.active.iter_mut().for_each(|a| *a = true);
        st.init();
        let mut cl: Vec<usize> = (0..v).collect();
        for _ in 0..4 {
            let before = ami(&corpus, &cl);
            let (a, b) = st.best_pair();
            let predicted = st.loss(a, b);
            st.merge(a, b);
            cl.iter_mut().filter(|c| **c == b).for_each(|c| *c = a);
            let after = ami(&corpus, &cl);
            assert!(
                (before - after - predicted).abs() < 1e-9,
                "merge {a}+{b}: predicted loss {predicted}, real {}",
                before - after
            );
        }
        // the clustering groups words of the same class
        let paths = brown_clusters(&corpus, v, 3);
        let pre = |i: usize| &paths[i][..2.min(paths[i].len())];
        assert_eq!(pre(2), pre(3), "{paths:?}");
        assert_eq!(pre(5), pre(6), "{paths:?}");
        assert_ne!(pre(2), pre(5), "{paths:?}");
        // three clusters: three distinct leaf paths of one tree
        let mut uniq = paths.clone();
        uniq.sort();
        uniq.dedup();
        assert_eq!(uniq.len(), 3, "{paths:?}");
        assert!(paths.iter().all(|p| !p.is_empty()));
    }

    #[test]
    fn file_round_trip_and_errors() {
        let c = WordClusters::from_paths([
            ("the".to_string(), "0010".to_string(), 50),
            ("police".to_string(), "1101".to_string(), 7),
        ]);
        let text = c.to_text();
        assert_eq!(text, "0010\tthe\t50\n1101\tpolice\t7\n");
        let back = WordClusters::parse(&text, "t").unwrap();
        assert_eq!(back, c);
        assert_eq!(back.path("police"), Some("1101"));
        assert_eq!(back.distinct_prefixes(1), 2);
        let e = WordClusters::parse("01\tx\t1\n0a\ty\t2\n", "bad.txt").unwrap_err();
        assert!(e.to_string().contains("bad.txt:2"), "{e}");
        assert!(WordClusters::parse("01\tx\n", "t").is_err());
        assert!(WordClusters::parse("01\tx\t1\n1\tx\t1\n", "t").is_err());
    }
}
