//! Training of the dependency parser: averaged perceptrons with the arc-eager
//! dynamic oracle and error exploration (Goldberg & Nivre 2012).
//!
//! Takes UD sentences (gold heads/labels, and the UPOS tags to train on) and
//! gives a [`DepParser`].

use super::system::{Sent, State, LEFT, NA, RIGHT, SHIFT};
use super::{cluster_code, label_index, sentence_input, DepParser, DEPRELS};
use crate::tagger::conllu::UdWord;
use crate::tagger::features::{hash_str, normalise, IdMap};
use crate::tagger::perceptron::{Trainer, Weights};
use crate::tagger::upos_index;
use chronicle_core::Result;

/// Training settings.
#[derive(Debug, Clone)]
pub struct ParserTrainOptions {
    pub iterations: usize,
    /// Averaged weights with |w| below this are dropped.
    pub prune: f32,
    /// Probability of following the model's own (possibly wrong) transition
    /// after the first iteration.
    pub explore: f64,
    pub seed: u64,
    /// Brown word clusters: normalised word -> bit-string path (empty: no
    /// cluster features). Kept in the model, so parsing needs no cluster file.
    pub clusters: Vec<(String, String)>,
    /// Models trained with different shuffling seeds whose weights are averaged.
    pub models: usize,
    /// Further training tag sets (same shape as `tags`): model `m` trains on
    /// set `m % (1 + alt_tags.len())`, set 0 being `tags`.
    pub alt_tags: Vec<Vec<Vec<String>>>,
}

impl Default for ParserTrainOptions {
    fn default() -> Self {
        ParserTrainOptions {
            iterations: 12,
            prune: 0.05,
            explore: 0.9,
            seed: 7,
            clusters: Vec::new(),
            models: 1,
            alt_tags: Vec::new(),
        }
    }
}

struct Rng(u64);
impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn argmax_masked(s: &[f32], ok: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, v) in s.iter().enumerate() {
        if ok(i) && best.is_none_or(|b| *v > s[b]) {
            best = Some(i);
        }
    }
    best
}

/// Trains on `train`; `tags[i]` gives the UPOS tags used as input for
/// sentence `i` (gold or predicted). `progress` is called after each iteration.
pub fn train_parser(
    train: &[Vec<UdWord>],
    tags: &[Vec<String>],
    opt: &ParserTrainOptions,
    progress: impl FnMut(usize, f64),
) -> Result<DepParser> {
    let mut v = train_parser_prunes(train, tags, opt, &[opt.prune], progress)?;
    Ok(v.remove(0))
}

/// [`train_parser`] once, giving one parser per pruning threshold in
/// `prunes` (`opt.prune` is ignored): the same trained weights, pruned
/// after averaging at each threshold.
pub fn train_parser_prunes(
    train: &[Vec<UdWord>],
    tags: &[Vec<String>],
    opt: &ParserTrainOptions,
    prunes: &[f32],
    mut progress: impl FnMut(usize, f64),
) -> Result<Vec<DepParser>> {
    // word -> tags seen (gold), for words seen at least twice
    let mut counts: IdMap<(u32, u32)> = IdMap::default();
    for s in train {
        for w in s {
            let e = counts.entry(hash_str(&normalise(&w.form))).or_default();
            e.0 += 1;
            if let Some(t) = upos_index(&w.upos) {
                e.1 |= 1 << t;
            }
        }
    }
    let lexicon: IdMap<u32> = counts
        .into_iter()
        .filter(|(_, (c, m))| *c >= 2 && *m != 0)
        .map(|(k, (_, m))| (k, m))
        .collect();
    let clusters: IdMap<u32> = opt
        .clusters
        .iter()
        .filter_map(|(w, p)| Some((hash_str(&normalise(w)), cluster_code(p)?)))
        .collect();
    let prepare = |tags: &[Vec<String>]| -> Vec<(Sent, Vec<usize>, Vec<u8>)> {
        train
            .iter()
            .zip(tags)
            .filter(|(s, t)| !s.is_empty() && s.len() == t.len())
            .map(|(s, t)| {
                let words: Vec<&str> = s.iter().map(|w| w.form.as_str()).collect();
                let upos: Vec<&str> = t.iter().map(String::as_str).collect();
                let sent = sentence_input(&words, &upos, &lexicon, &clusters);
                let mut gh = vec![usize::MAX; s.len() + 1];
                let mut gl = vec![0u8; s.len() + 1];
                for (i, w) in s.iter().enumerate() {
                    gh[i + 1] = if w.head <= s.len() { w.head } else { 0 };
                    gl[i + 1] = label_index(&w.deprel).unwrap_or(0);
                }
                (sent, gh, gl)
            })
            .collect()
    };
    let mut prepared = vec![prepare(tags)];
    for t in &opt.alt_tags {
        prepared.push(prepare(t));
    }
    let mut acts = Vec::new();
    let mut labs = Vec::new();
    for m in 0..opt.models.max(1) {
        let seed = opt.seed.max(1).wrapping_add(0x9e37_79b9 * m as u64);
        let (a, l) = train_one(&prepared[m % prepared.len()], opt, seed, |it, acc| {
            progress(m * opt.iterations + it, acc)
        });
        acts.push(a);
        labs.push(l);
    }
    Ok(prunes
        .iter()
        .map(|p| {
            DepParser::from_parts(
                merge(&acts, *p),
                merge(&labs, *p),
                lexicon.clone(),
                clusters.clone(),
            )
        })
        .collect())
}

/// Mean of several models' weights; means with |w| < `prune` dropped.
fn merge(models: &[Weights], prune: f32) -> Weights {
    let nc = models.first().map_or(1, |m| m.nc);
    let k = models.len().max(1) as f32;
    let mut acc: IdMap<u32> = IdMap::default();
    let mut w: Vec<f32> = Vec::new();
    for m in models {
        for (key, row) in m.rows() {
            let next = w.len() as u32;
            let off = *acc.entry(key).or_insert(next) as usize;
            if off == w.len() {
                w.resize(off + nc, 0.0);
            }
            for c in 0..nc {
                w[off + c] += row[c] / k;
            }
        }
    }
    let mut keys: Vec<(u64, u32)> = acc.into_iter().collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    for (key, off) in keys {
        let ws =
            w[off as usize..off as usize + nc]
                .iter()
                .map(|x| if x.abs() < prune { 0.0 } else { *x });
        let ws: Vec<f32> = ws.collect();
        if ws.iter().any(|x| *x != 0.0) {
            out.push((key, ws));
        }
    }
    Weights::from_rows(nc, out)
}

/// One training run (its own shuffling seed); unpruned averaged weights of
/// the transition and relation models.
fn train_one(
    prepared: &[(Sent, Vec<usize>, Vec<u8>)],
    opt: &ParserTrainOptions,
    seed: u64,
    mut progress: impl FnMut(usize, f64),
) -> (Weights, Weights) {
    let nl = DEPRELS.len();
    let root = label_index("root").expect("root is a deprel") as usize;
    let mut act = Trainer::new(NA);
    let mut lab = Trainer::new(nl);
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = Rng(seed);
    let mut feats = Vec::with_capacity(128);
    let mut lfeats = Vec::with_capacity(64);
    let mut sc = vec![0f32; NA];
    let mut lsc = vec![0f32; nl];
    for it in 0..opt.iterations {
        // shuffle
        for i in (1..order.len()).rev() {
            let j = (rng.next_f64() * (i + 1) as f64) as usize;
            order.swap(i, j.min(i));
        }
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let (sent, gh, gl) = &prepared[si];
            let n = sent.n();
            let mut st = State::new(n);
            while !st.done() {
                st.features(sent, &mut feats);
                act.scores(&feats, &mut sc);
                let valid = st.valid();
                let costs = st.costs(gh);
                let pred = argmax_masked(&sc, |a| valid[a]).unwrap_or(SHIFT);
                let min = (0..NA)
                    .filter(|a| valid[*a])
                    .map(|a| costs[a])
                    .min()
                    .unwrap_or(0);
                let best = argmax_masked(&sc, |a| valid[a] && costs[a] == min).unwrap_or(pred);
                if costs[pred] > min {
                    act.update(&feats, best, pred);
                }
                act.tick();
                let follow = if it > 0 && rng.next_f64() < opt.explore {
                    pred
                } else {
                    best
                };
                let mut l = 0u8;
                if follow == LEFT || follow == RIGHT {
                    let s0 = st.s0();
                    let (h, d) = if follow == LEFT {
                        (st.b, s0)
                    } else {
                        (s0, st.b)
                    };
                    st.label_features(sent, h, d, &mut lfeats);
                    lab.scores(&lfeats, &mut lsc);
                    let pl = if h == 0 {
                        root
                    } else {
                        argmax_masked(&lsc, |x| x != root).unwrap_or(0)
                    };
                    if gh[d] == h {
                        let g = gl[d] as usize;
                        if h != 0 {
                            lab.update(&lfeats, g, pl);
                            total += 1;
                            right += (g == pl) as usize;
                        }
                        lab.tick();
                        l = if follow == best { g as u8 } else { pl as u8 };
                    } else {
                        l = pl as u8;
                    }
                }
                st.apply(follow, l);
            }
        }
        progress(it, right as f64 / total.max(1) as f64);
    }
    (act.averaged(0.0), lab.averaged(0.0))
}
