//! Averaged-perceptron training for the UPOS tagger.
//!
//! Takes UD sentences (see [`conllu`](super::conllu)) and gives a
//! [`PosTagger`]: greedy left-to-right training with predicted previous
//! tags, lazily averaged weights, shuffled sentence order each iteration,
//! a tag dictionary of frequent unambiguous words, pruning of small
//! averaged weights, and a lemmatiser learned from the same sentences.

use super::conllu::UdWord;
use super::features::{hash_str, normalise, pos_features, sentence_hashes, IdMap, WordHashes};
use super::perceptron::{Trainer, Weights};
use super::{argmax, greedy, upos_index, Lemmatizer, PosTagger, NT, PAD1, PAD2};
use chronicle_core::{Error, Result};
use std::collections::HashMap;

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub iterations: usize,
    /// Averaged weights with `|w| < prune` are dropped.
    pub prune: f32,
    /// Tag-dictionary words: seen at least this often...
    pub dict_min_count: u32,
    /// ...with their most frequent tag at least this share of occurrences.
    pub dict_min_share: f64,
    /// Lexicon (ambiguity classes): words seen at least this often.
    pub lex_min_count: u32,
    /// Folds of jackknifed first-stage tags for the stacked second stage
    /// (0: no second stage).
    pub stack_folds: usize,
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            iterations: 10,
            prune: 0.05,
            dict_min_count: 20,
            dict_min_share: 0.995,
            lex_min_count: 1,
            stack_folds: 5,
            seed: 7,
        }
    }
}

fn build_tagdict(sents: &[Vec<(&str, u8)>], opt: &TrainOptions) -> HashMap<String, u8> {
    let mut counts: HashMap<&str, [u32; NT]> = HashMap::new();
    for s in sents {
        for (w, t) in s {
            counts.entry(w).or_insert([0; NT])[*t as usize] += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|(w, c)| {
            let n: u32 = c.iter().sum();
            let (t, best) = c.iter().enumerate().max_by_key(|x| *x.1)?;
            (n >= opt.dict_min_count && *best as f64 >= opt.dict_min_share * n as f64)
                .then(|| (w.to_string(), t as u8))
        })
        .collect()
}

/// Folds for the jackknifed lexicon used while training.
const FOLDS: usize = 10;

/// Lexicon of the whole training set (words seen `lex_min_count` times) and,
/// for each fold, the lexicon of the other folds: training sentences see
/// ambiguity classes as unseen text will (with unknown words).
fn build_lexicons(sents: &[Vec<(&str, u8)>], opt: &TrainOptions) -> (IdMap<u32>, Vec<IdMap<u32>>) {
    let mut counts: Vec<IdMap<(u32, u32)>> = vec![IdMap::default(); FOLDS];
    for (si, s) in sents.iter().enumerate() {
        for (w, t) in s {
            let e = counts[si % FOLDS]
                .entry(hash_str(&normalise(w)))
                .or_insert((0, 0));
            e.0 += 1;
            e.1 |= 1 << t;
        }
    }
    let merge = |skip: Option<usize>| {
        let mut m: IdMap<(u32, u32)> = IdMap::default();
        for (k, c) in counts.iter().enumerate() {
            if Some(k) == skip {
                continue;
            }
            for (h, (n, b)) in c {
                let e = m.entry(*h).or_insert((0, 0));
                e.0 += n;
                e.1 |= b;
            }
        }
        m.into_iter()
            .filter(|(_, (n, _))| *n >= opt.lex_min_count)
            .map(|(k, (_, b))| (k, b))
            .collect::<IdMap<u32>>()
    };
    let full = merge(None);
    let folds = (0..FOLDS).map(|k| merge(Some(k))).collect();
    (full, folds)
}

/// Training sentences with their hashes and the tag dictionary.
struct Stage<'a> {
    sents: &'a [Vec<(&'a str, u8)>],
    hashes: &'a [Vec<WordHashes>],
    tagdict: &'a HashMap<String, u8>,
}

impl Stage<'_> {
    /// Trains one perceptron on the sentences `keep` accepts; `stacked` gives
    /// first-stage tags for a stacked stage.
    fn train(
        &self,
        stacked: Option<&[Vec<u8>]>,
        keep: &dyn Fn(usize) -> bool,
        opt: &TrainOptions,
        what: &str,
    ) -> Weights {
        let mut tr = Trainer::new(NT);
        let mut scores = [0f32; NT];
        let mut order: Vec<usize> = (0..self.sents.len()).filter(|i| keep(*i)).collect();
        let mut rng = opt.seed.max(1);
        let mut feats = Vec::with_capacity(64);
        for it in 0..opt.iterations {
            // Fisher-Yates with xorshift64
            for i in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(i, (rng % (i as u64 + 1)) as usize);
            }
            let (mut right, mut n) = (0usize, 0usize);
            for &si in &order {
                let s = &self.sents[si];
                let h = &self.hashes[si];
                let st = stacked.map(|x| x[si].as_slice());
                let (mut p1, mut p2) = (PAD1, PAD2);
                for (i, (w, gold)) in s.iter().enumerate() {
                    let guess = match self.tagdict.get(*w) {
                        Some(t) => *t,
                        None => {
                            pos_features(h, i, p1, p2, st, &mut feats);
                            tr.scores(&feats, &mut scores);
                            let g = argmax(&scores);
                            tr.tick();
                            tr.update(&feats, *gold as usize, g as usize);
                            g
                        }
                    };
                    right += (guess == *gold) as usize;
                    n += 1;
                    p2 = p1;
                    p1 = guess as u64;
                }
            }
            if it + 1 == opt.iterations {
                eprintln!(
                    "{what}: {} iterations, last train accuracy {:.4} ({} features)",
                    opt.iterations,
                    right as f64 / n.max(1) as f64,
                    tr.features()
                );
            }
        }
        tr.averaged(opt.prune)
    }
}

/// Trains a tagger and lemmatiser on UD sentences. Errors name the sentence
/// and word with an unknown UPOS tag.
pub fn train_pos(train: &[Vec<UdWord>], opt: &TrainOptions) -> Result<PosTagger> {
    let mut sents: Vec<Vec<(&str, u8)>> = Vec::with_capacity(train.len());
    for (si, s) in train.iter().enumerate() {
        let mut v = Vec::with_capacity(s.len());
        for (wi, w) in s.iter().enumerate() {
            let t = upos_index(&w.upos).ok_or_else(|| {
                Error::Data(format!(
                    "training sentence {si} word {wi} ({:?}): unknown UPOS {:?}",
                    w.form, w.upos
                ))
            })?;
            v.push((w.form.as_str(), t));
        }
        sents.push(v);
    }
    let tagdict = build_tagdict(&sents, opt);
    let (lexicon, fold_lexicons) = build_lexicons(&sents, opt);
    let hashes: Vec<Vec<WordHashes>> = sents
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let words: Vec<&str> = s.iter().map(|x| x.0).collect();
            sentence_hashes(&words, &fold_lexicons[si % FOLDS])
        })
        .collect();
    let data = Stage {
        sents: &sents,
        hashes: &hashes,
        tagdict: &tagdict,
    };
    let weights = data.train(None, &|_| true, opt, "stage 1");
    let mut stage2 = None;
    if opt.stack_folds >= 2 {
        let k = opt.stack_folds;
        let mut first: Vec<Vec<u8>> = vec![Vec::new(); sents.len()];
        for fold in 0..k {
            let w = data.train(
                None,
                &|si| si % k != fold,
                opt,
                &format!("stage 1 fold {}", fold + 1),
            );
            for (si, s) in sents.iter().enumerate() {
                if si % k == fold {
                    let words: Vec<&str> = s.iter().map(|x| x.0).collect();
                    first[si] = greedy(&w, &tagdict, &words, &hashes[si], None);
                }
            }
        }
        stage2 = Some(data.train(Some(&first), &|_| true, opt, "stage 2"));
    }
    let lemmatizer = Lemmatizer::train(
        train
            .iter()
            .flatten()
            .filter_map(|w| Some((w.form.as_str(), upos_index(&w.upos)?, w.lemma.as_str()))),
    );
    Ok(PosTagger::from_parts(
        weights, stage2, tagdict, lexicon, lemmatizer,
    ))
}
