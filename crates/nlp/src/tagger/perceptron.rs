//! Sparse multi-class perceptron weights: lazily averaged training and a
//! compact binary encoding.
//!
//! Takes 64-bit feature hashes and gives class scores. Training ([`Trainer`])
//! keeps per-weight timestamps so averaging costs nothing per step; the
//! averaged weights ([`Weights`]) drop values below a pruning threshold and
//! are written as i16 with one global scale, zero weights omitted.

use super::binio::{Reader, Writer};
use super::features::IdMap;
use chronicle_core::Result;

/// Averaged weights: feature hash -> `nc` class weights.
#[derive(Debug, Clone)]
pub(crate) struct Weights {
    pub(crate) index: IdMap<u32>,
    pub(crate) w: Vec<f32>,
    pub(crate) nc: usize,
}

impl Weights {
    /// Adds the weights of every known feature to `scores` (length `nc`).
    #[inline]
    pub fn add_scores(&self, feats: &[u64], scores: &mut [f32]) {
        for f in feats {
            if let Some(&o) = self.index.get(f) {
                let ws = &self.w[o as usize..o as usize + self.nc];
                for (a, b) in scores.iter_mut().zip(ws) {
                    *a += b;
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn write(&self, out: &mut Writer) {
        let max = self.w.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        out.u32(self.nc as u32);
        out.f32(scale);
        let mut feats: Vec<(u64, u32)> = self.index.iter().map(|(k, v)| (*k, *v)).collect();
        feats.sort_unstable();
        let mut body = Writer::default();
        let mut n = 0u32;
        for (key, off) in feats {
            let ws = &self.w[off as usize..off as usize + self.nc];
            let q: Vec<i16> = ws.iter().map(|x| (x / scale).round() as i16).collect();
            let mask = q
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0)
                .fold(0u32, |m, (i, _)| m | (1 << i));
            if mask == 0 {
                continue;
            }
            n += 1;
            body.u64(key);
            body.u32(mask);
            for v in q.iter().filter(|v| **v != 0) {
                body.i16(*v);
            }
        }
        out.u32(n);
        out.bytes(&body.buf);
    }

    pub fn read(r: &mut Reader, nc: usize) -> Result<Weights> {
        let got = r.u32()? as usize;
        if got != nc {
            return Err(r.err(&format!("weights have {got} classes, expected {nc}")));
        }
        let scale = r.f32()?;
        if !scale.is_finite() {
            return Err(r.err("weight scale is not finite"));
        }
        let nf = r.count(12)?;
        let mut index = IdMap::with_capacity_and_hasher(nf, Default::default());
        let mut w = vec![0f32; nf * nc];
        for i in 0..nf {
            let key = r.u64()?;
            let mask = r.u32()?;
            if mask >> nc != 0 {
                return Err(r.err("weight mask names an unknown class"));
            }
            let base = i * nc;
            for (t, x) in w[base..base + nc].iter_mut().enumerate() {
                if mask & (1 << t) != 0 {
                    *x = r.i16()? as f32 * scale;
                }
            }
            index.insert(key, base as u32);
        }
        Ok(Weights { index, w, nc })
    }
}

/// Perceptron under training, with lazy averaging.
pub(crate) struct Trainer {
    nc: usize,
    index: IdMap<u32>,
    w: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u32>,
    clock: u32,
}

impl Trainer {
    pub fn new(nc: usize) -> Self {
        Trainer {
            nc,
            index: IdMap::default(),
            w: Vec::new(),
            total: Vec::new(),
            stamp: Vec::new(),
            clock: 0,
        }
    }

    /// Current (not averaged) scores, written into `scores` (length `nc`).
    pub fn scores(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for f in feats {
            if let Some(&o) = self.index.get(f) {
                for (a, b) in scores
                    .iter_mut()
                    .zip(&self.w[o as usize..o as usize + self.nc])
                {
                    *a += b;
                }
            }
        }
    }

    /// Counts one training decision (for averaging).
    pub fn tick(&mut self) {
        self.clock += 1;
    }

    pub fn features(&self) -> usize {
        self.index.len()
    }

    /// Rewards `gold` and penalises `guess` on `feats`.
    pub fn update(&mut self, feats: &[u64], gold: usize, guess: usize) {
        if gold == guess {
            return;
        }
        for f in feats {
            let next = self.w.len() as u32;
            let o = *self.index.entry(*f).or_insert(next) as usize;
            if o == self.w.len() {
                self.w.resize(o + self.nc, 0.0);
                self.total.resize(o + self.nc, 0.0);
                self.stamp.resize(o + self.nc, 0);
            }
            for (t, d) in [(gold, 1f32), (guess, -1f32)] {
                let k = o + t;
                self.total[k] += (self.clock - self.stamp[k]) as f64 * self.w[k] as f64;
                self.stamp[k] = self.clock;
                self.w[k] += d;
            }
        }
    }

    /// Averaged weights; values with `|w| < prune` and all-zero features dropped.
    pub fn averaged(mut self, prune: f32) -> Weights {
        let c = self.clock.max(1) as f64;
        for k in 0..self.w.len() {
            self.total[k] += (self.clock - self.stamp[k]) as f64 * self.w[k] as f64;
            let a = (self.total[k] / c) as f32;
            self.w[k] = if a.abs() < prune { 0.0 } else { a };
        }
        let nc = self.nc;
        let mut index = IdMap::default();
        let mut w = Vec::new();
        let mut feats: Vec<(u64, u32)> = self.index.into_iter().collect();
        feats.sort_unstable();
        for (key, o) in feats {
            let ws = &self.w[o as usize..o as usize + nc];
            if ws.iter().any(|x| *x != 0.0) {
                index.insert(key, w.len() as u32);
                w.extend_from_slice(ws);
            }
        }
        Weights { index, w, nc }
    }
}
