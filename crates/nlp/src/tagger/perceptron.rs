//! Sparse multi-class perceptron weights: lazily averaged training and a
//! compact binary encoding.
//!
//! Takes 64-bit feature hashes and gives class scores. Training ([`Trainer`])
//! keeps per-weight timestamps so averaging costs nothing per step; the
//! averaged weights ([`Weights`]) drop values below a pruning threshold and
//! are written as i16 with one global scale, zero weights omitted. In memory
//! they are an open-addressing table (full 64-bit keys) over rows of class
//! weights (i16 + scale when read from a file, f32 when trained), looked up
//! with prefetching; scores are the same f32 sums, in the same order, as a
//! plain hash-map lookup per feature gives.

use super::binio::{Reader, Writer};
use super::features::IdMap;
use chronicle_core::Result;

/// Slot marker of an empty table slot.
const EMPTY: u32 = u32::MAX;

/// One slot of the open-addressing index: the full 64-bit feature hash (so
/// a lookup never confuses two features) and its row of weights.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: u64,
    row: u32,
}

const FREE: Slot = Slot { key: 0, row: EMPTY };

/// Class weights, one row of `nc` values per feature.
#[derive(Debug, Clone)]
enum Rows {
    /// Trained (unquantised) weights.
    F32(Vec<f32>),
    /// Weights read from a file: i16 times one scale. A weight's value is
    /// `q as f32 * scale`, exactly the f32 the file's reader always produced.
    Q16 { q: Vec<i16>, scale: f32 },
}

/// Hints the CPU to load the cache line at `p` (used by every weight table).
#[inline]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; it never faults, even for invalid addresses.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Averaged weights: feature hash -> `nc` class weights.
///
/// The index is an open-addressing table (power-of-two capacity, linear
/// probing from the hash's low bits, load factor <= 0.7) built at load time;
/// lookups prefetch the slots of features ahead, then the rows they found,
/// and add the rows in feature order, so the f32 sums are the same as a
/// plain loop over the features.
#[derive(Debug, Clone)]
pub(crate) struct Weights {
    slots: Vec<Slot>,
    mask: usize,
    rows: Rows,
    n: usize,
    pub(crate) nc: usize,
}

impl Weights {
    /// Builds the index over rows `0..keys.len()` (row `i` belongs to
    /// `keys[i]`; a repeated key keeps its last row).
    fn build(keys: &[u64], rows: Rows, nc: usize) -> Weights {
        let cap = (keys.len() * 10 / 7 + 1).next_power_of_two().max(16);
        let mask = cap - 1;
        let mut slots = vec![FREE; cap];
        let mut n = 0;
        for (r, &key) in keys.iter().enumerate() {
            let mut i = key as usize & mask;
            loop {
                let s = &mut slots[i];
                if s.row == EMPTY {
                    *s = Slot { key, row: r as u32 };
                    n += 1;
                    break;
                }
                if s.key == key {
                    s.row = r as u32;
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        Weights {
            slots,
            mask,
            rows,
            n,
            nc,
        }
    }

    /// Weights from `(feature hash, class weights)` rows (each `nc` long).
    pub fn from_rows(nc: usize, rows: impl IntoIterator<Item = (u64, Vec<f32>)>) -> Weights {
        let mut keys = Vec::new();
        let mut w = Vec::new();
        for (k, r) in rows {
            assert_eq!(r.len(), nc, "a weight row has one value per class");
            keys.push(k);
            w.extend(r);
        }
        Weights::build(&keys, Rows::F32(w), nc)
    }

    /// Every feature with its class weights, in table order.
    pub fn rows(&self) -> impl Iterator<Item = (u64, Vec<f32>)> + '_ {
        self.slots
            .iter()
            .filter(|s| s.row != EMPTY)
            .map(|s| (s.key, self.row(s.row as usize)))
    }

    fn row(&self, r: usize) -> Vec<f32> {
        let span = r * self.nc..(r + 1) * self.nc;
        match &self.rows {
            Rows::F32(w) => w[span].to_vec(),
            Rows::Q16 { q, scale } => q[span].iter().map(|v| *v as f32 * scale).collect(),
        }
    }

    /// Row of `key`, if it has one.
    #[inline]
    fn find(&self, key: u64) -> Option<usize> {
        let mut i = key as usize & self.mask;
        loop {
            let s = &self.slots[i];
            if s.row == EMPTY {
                return None;
            }
            if s.key == key {
                return Some(s.row as usize);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Adds the weights of every known feature to `scores` (length `nc`),
    /// feature by feature in order.
    #[inline]
    pub fn add_scores(&self, feats: &[u64], scores: &mut [f32]) {
        // rows of up to BLOCK features are found (and prefetched) before
        // any is added; AHEAD slot lookups are kept in flight
        const BLOCK: usize = 128;
        const AHEAD: usize = 16;
        let nc = self.nc;
        let scores = &mut scores[..nc];
        for block in feats.chunks(BLOCK) {
            for f in block.iter().take(AHEAD) {
                prefetch(&self.slots[*f as usize & self.mask]);
            }
            let mut found = [0u32; BLOCK];
            let mut nf = 0;
            for (j, &f) in block.iter().enumerate() {
                if let Some(g) = block.get(j + AHEAD) {
                    prefetch(&self.slots[*g as usize & self.mask]);
                }
                if let Some(r) = self.find(f) {
                    let o = r * nc;
                    match &self.rows {
                        Rows::F32(w) => {
                            prefetch(w.as_ptr().wrapping_add(o));
                            prefetch(w.as_ptr().wrapping_add(o + nc - 1));
                        }
                        Rows::Q16 { q, .. } => {
                            prefetch(q.as_ptr().wrapping_add(o));
                            prefetch(q.as_ptr().wrapping_add(o + nc - 1));
                        }
                    }
                    found[nf] = o as u32;
                    nf += 1;
                }
            }
            let found = &found[..nf];
            match &self.rows {
                Rows::F32(w) => {
                    for &o in found {
                        let ws = &w[o as usize..o as usize + nc];
                        for (a, b) in scores.iter_mut().zip(ws) {
                            *a += b;
                        }
                    }
                }
                Rows::Q16 { q, scale } => {
                    let scale = *scale;
                    for &o in found {
                        let qs = &q[o as usize..o as usize + nc];
                        for (a, b) in scores.iter_mut().zip(qs) {
                            *a += *b as f32 * scale;
                        }
                    }
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn write(&self, out: &mut Writer) {
        let mut feats: Vec<(u64, Vec<f32>)> = self.rows().collect();
        feats.sort_unstable_by_key(|(k, _)| *k);
        let max = feats
            .iter()
            .flat_map(|(_, r)| r.iter())
            .fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        out.u32(self.nc as u32);
        out.f32(scale);
        let mut body = Writer::default();
        let mut n = 0u32;
        for (key, ws) in feats {
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
        let mut keys = Vec::with_capacity(nf);
        let mut q = vec![0i16; nf * nc];
        for i in 0..nf {
            keys.push(r.u64()?);
            let mask = r.u32()?;
            if mask >> nc != 0 {
                return Err(r.err("weight mask names an unknown class"));
            }
            let base = i * nc;
            for (t, x) in q[base..base + nc].iter_mut().enumerate() {
                if mask & (1 << t) != 0 {
                    *x = r.i16()?;
                }
            }
        }
        Ok(Weights::build(&keys, Rows::Q16 { q, scale }, nc))
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
        let mut feats: Vec<(u64, u32)> = self.index.into_iter().collect();
        feats.sort_unstable();
        let w = &self.w;
        Weights::from_rows(
            nc,
            feats.into_iter().filter_map(|(key, o)| {
                let ws = &w[o as usize..o as usize + nc];
                ws.iter().any(|x| *x != 0.0).then(|| (key, ws.to_vec()))
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(rows: &[(u64, Vec<f32>)], feats: &[u64], nc: usize) -> Vec<f32> {
        let mut s = vec![0f32; nc];
        for f in feats {
            if let Some((_, r)) = rows.iter().rev().find(|(k, _)| k == f) {
                s.iter_mut().zip(r).for_each(|(a, b)| *a += b);
            }
        }
        s
    }

    #[test]
    fn table_scores_equal_plain_sums() {
        let nc = 5;
        let mut x = 0x1234_5678_9abc_def1u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // keys 0 and u64::MAX are ordinary keys; key 7 is repeated (last row wins)
        let mut rows: Vec<(u64, Vec<f32>)> = vec![(0, vec![1.5; nc]), (u64::MAX, vec![-2.0; nc])];
        for i in 0..3000 {
            let k = if i % 1000 == 0 { 7 } else { next() };
            let r = (0..nc)
                .map(|c| ((next() % 2001) as f32 - 1000.0) * 0.013 + c as f32)
                .collect();
            rows.push((k, r));
        }
        let w = Weights::from_rows(nc, rows.clone());
        assert_eq!(w.len(), 3000);
        // 300 features, past one lookup block, known and unknown, some repeated
        let feats: Vec<u64> = (0..300)
            .map(|i| match i % 3 {
                0 => rows[(i * 7) % rows.len()].0,
                1 => next(),
                _ => 7,
            })
            .collect();
        let mut got = vec![0f32; nc];
        w.add_scores(&feats, &mut got);
        assert_eq!(got, naive(&rows, &feats, nc));
        // written and read back: i16 values, same sums as the f32 values read
        let mut out = Writer::default();
        w.write(&mut out);
        let back = Weights::read(&mut Reader::new(&out.buf, "t"), nc).unwrap();
        assert_eq!(back.len(), w.len());
        let read_rows: Vec<(u64, Vec<f32>)> = back.rows().collect();
        let mut got = vec![0f32; nc];
        back.add_scores(&feats, &mut got);
        assert_eq!(got, naive(&read_rows, &feats, nc));
        assert!(Weights::read(&mut Reader::new(&out.buf, "t"), nc + 1).is_err());
        assert!(Weights::read(&mut Reader::new(&out.buf[..out.buf.len() / 2], "t"), nc).is_err());
        let empty = Weights::from_rows(nc, Vec::new());
        let mut s = vec![0f32; nc];
        empty.add_scores(&feats, &mut s);
        assert_eq!(s, vec![0f32; nc]);
    }
}
