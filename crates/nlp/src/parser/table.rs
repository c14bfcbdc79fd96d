//! Frozen perceptron weight tables of the parser, laid out for fast lookup
//! and bulk loading.
//!
//! Takes averaged training weights (feature hash -> class weights) and gives
//! integer class scores for a list of feature hashes. Both tables are
//! open-addressing hash tables (power-of-two capacity, linear probing) keyed
//! by a 32-bit fingerprint of the 64-bit feature hash, with weights quantised
//! to i16 (one scale per table; scores are i32 sums, so the scale never needs
//! to be applied). The transition table keeps its 4 weights inline in the
//! slot (one cache line per lookup); the relation table points into a sparse
//! list of (class, weight) pairs. They are serialised exactly as laid out in
//! memory, so loading is a few bulk copies with no per-feature allocation.

use crate::tagger::binio::{Reader, Writer};
use crate::tagger::perceptron::{prefetch, Weights};
use chronicle_core::Result;

/// Largest table capacity accepted from a file (2^26 slots).
const MAX_LOG2: u32 = 26;

#[inline]
fn fingerprint(key: u64) -> u32 {
    ((key >> 32) as u32).max(1)
}

/// Asks the kernel to back a large table with transparent huge pages (fewer
/// TLB misses on random lookups). Must be called before the memory is first
/// written. A hint only: failures are ignored.
fn advise_huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const MADV_HUGEPAGE: i32 = 14;
        extern "C" {
            fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: i32) -> i32;
        }
        let bytes = v.capacity() * std::mem::size_of::<T>();
        if bytes < (4 << 20) {
            return;
        }
        // round inwards to 2 MiB boundaries (madvise needs page alignment)
        let start = v.as_ptr() as usize;
        let a = (start + (2 << 20) - 1) & !((2 << 20) - 1);
        let e = (start + bytes) & !((2 << 20) - 1);
        if e > a {
            // SAFETY: the range lies inside the vector's allocation; MADV_HUGEPAGE
            // only changes how the kernel backs it, never its contents.
            unsafe {
                madvise(a as *mut std::ffi::c_void, e - a, MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}

/// Quantisation scale of a weight table: the largest |w| maps to 32767.
fn scale_of(rows: &[(u64, Vec<f32>)]) -> f32 {
    let max = rows
        .iter()
        .flat_map(|(_, r)| r.iter())
        .fold(0f32, |m, x| m.max(x.abs()));
    if max > 0.0 {
        max / 32767.0
    } else {
        1.0
    }
}

/// Features of `w` with their quantised weights, sorted by key, all-zero ones dropped.
fn quantised(w: &Weights) -> Vec<(u64, Vec<i16>)> {
    let rows: Vec<(u64, Vec<f32>)> = w.rows().collect();
    let scale = scale_of(&rows);
    let mut out: Vec<(u64, Vec<i16>)> = rows
        .into_iter()
        .map(|(k, ws)| (k, ws.iter().map(|x| (x / scale).round() as i16).collect()))
        .filter(|(_, q): &(u64, Vec<i16>)| q.iter().any(|v| *v != 0))
        .collect();
    out.sort_unstable_by_key(|(k, _)| *k);
    out
}

fn log2_capacity(n: usize) -> u32 {
    // load factor at most ~0.7
    let want = (n * 10 / 7 + 1).next_power_of_two().max(16);
    want.trailing_zeros()
}

/// Slot position of `key`: an empty slot or the one holding its fingerprint.
#[inline]
fn probe(fps: impl Fn(usize) -> u32, mask: usize, key: u64) -> usize {
    let fp = fingerprint(key);
    let mut i = key as usize & mask;
    loop {
        let f = fps(i);
        if f == fp || f == 0 {
            return i;
        }
        i = (i + 1) & mask;
    }
}

/// 16-bit fingerprint of a transition feature (the hash's top bits; the
/// slot index uses the low bits). A false match needs a clash on 16 bits
/// inside one short probe chain, which is rare enough not to matter.
#[inline]
fn fingerprint16(key: u64) -> u16 {
    ((key >> 48) as u16).max(1)
}

/// One transition-table slot, 8 bytes: fingerprint (0 = empty) and the
/// weights of REDUCE, LEFT and RIGHT minus that of SHIFT (scores only
/// decide an argmax, so subtracting one class's weight changes nothing).
#[derive(Debug, Clone, Copy, Default)]
#[repr(C)]
struct ActSlot {
    fp: u16,
    w: [i16; 3],
}

/// Transition weights: 4 classes, inline in the slot.
#[derive(Debug, Clone)]
pub(crate) struct ActTable {
    slots: Vec<ActSlot>,
    mask: usize,
    n: usize,
}

impl ActTable {
    pub fn from_weights(w: &Weights) -> ActTable {
        assert_eq!(w.nc, 4, "the transition table has 4 classes");
        let mut feats: Vec<(u64, [f32; 3])> = w
            .rows()
            .map(|(k, x)| (k, [x[1] - x[0], x[2] - x[0], x[3] - x[0]]))
            .collect();
        feats.sort_unstable_by_key(|(k, _)| *k);
        let max = feats
            .iter()
            .flat_map(|(_, d)| d.iter())
            .fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let feats: Vec<(u64, [i16; 3])> = feats
            .into_iter()
            .map(|(k, d)| (k, d.map(|x| (x / scale).round() as i16)))
            .filter(|(_, q)| q.iter().any(|v| *v != 0))
            .collect();
        let mask = (1usize << log2_capacity(feats.len())) - 1;
        let mut slots = vec![ActSlot::default(); mask + 1];
        for (k, q) in &feats {
            let fp = fingerprint16(*k);
            let mut i = *k as usize & mask;
            while slots[i].fp != 0 && slots[i].fp != fp {
                i = (i + 1) & mask;
            }
            let s = &mut slots[i];
            s.fp = fp;
            for (a, b) in s.w.iter_mut().zip(q) {
                *a = a.saturating_add(*b);
            }
        }
        let n = slots.iter().filter(|s| s.fp != 0).count();
        ActTable { slots, mask, n }
    }

    /// Number of weighted features.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Scores of SHIFT, REDUCE, LEFT, RIGHT for `feats` (SHIFT is always 0;
    /// only their order matters).
    #[inline]
    pub fn scores(&self, feats: &[u64]) -> [i32; 4] {
        // keep AHEAD lookups in flight: prefetch feature i + AHEAD, probe feature i
        const AHEAD: usize = 32;
        for f in feats.iter().take(AHEAD) {
            prefetch(&self.slots[*f as usize & self.mask]);
        }
        let mut sc = [0i32; 4];
        for (j, &f) in feats.iter().enumerate() {
            if let Some(g) = feats.get(j + AHEAD) {
                prefetch(&self.slots[*g as usize & self.mask]);
            }
            let fp = fingerprint16(f);
            let mut i = f as usize & self.mask;
            loop {
                let s = &self.slots[i];
                if s.fp == fp {
                    sc[1] += s.w[0] as i32;
                    sc[2] += s.w[1] as i32;
                    sc[3] += s.w[2] as i32;
                    break;
                }
                if s.fp == 0 {
                    break;
                }
                i = (i + 1) & self.mask;
            }
        }
        sc
    }

    pub fn write(&self, out: &mut Writer) {
        out.u32(self.slots.len().trailing_zeros());
        for s in &self.slots {
            out.bytes(&s.fp.to_le_bytes());
            for v in s.w {
                out.i16(v);
            }
        }
    }

    pub fn read(r: &mut Reader) -> Result<ActTable> {
        let log2 = r.u32()?;
        if log2 > MAX_LOG2 {
            return Err(r.err("transition table is too large"));
        }
        let cap = 1usize << log2;
        let raw = r.take(cap * 8)?;
        let mut slots = Vec::with_capacity(cap);
        advise_huge_pages(&slots);
        slots.extend(raw.chunks_exact(8).map(|c| {
            let v = |j: usize| i16::from_le_bytes([c[j], c[j + 1]]);
            ActSlot {
                fp: u16::from_le_bytes([c[0], c[1]]),
                w: [v(2), v(4), v(6)],
            }
        }));
        Self::checked(slots, r)
    }

    /// Reads the table of a version-5 model (u32 fingerprints, 4 weights per
    /// slot) into the current layout: same slots, so the probe chains stay.
    pub fn read_v5(r: &mut Reader) -> Result<ActTable> {
        let log2 = r.u32()?;
        if log2 > MAX_LOG2 {
            return Err(r.err("transition table is too large"));
        }
        let cap = 1usize << log2;
        let raw = r.take(cap * 12)?;
        let d: Vec<[i32; 3]> = raw
            .chunks_exact(12)
            .map(|c| {
                let v = |j: usize| i16::from_le_bytes([c[j], c[j + 1]]) as i32;
                [v(6) - v(4), v(8) - v(4), v(10) - v(4)]
            })
            .collect();
        let max = d.iter().flatten().fold(0i32, |m, x| m.max(x.abs()));
        let div = if max > 32767 { 2 } else { 1 };
        let mut slots = Vec::with_capacity(cap);
        advise_huge_pages(&slots);
        slots.extend(raw.chunks_exact(12).zip(&d).map(|(c, d)| {
            let fp32 = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            ActSlot {
                fp: if fp32 == 0 {
                    0
                } else {
                    ((fp32 >> 16) as u16).max(1)
                },
                w: d.map(|x| (x / div) as i16),
            }
        }));
        Self::checked(slots, r)
    }

    fn checked(slots: Vec<ActSlot>, r: &Reader) -> Result<ActTable> {
        let cap = slots.len();
        let n = slots.iter().filter(|s| s.fp != 0).count();
        if n == cap {
            return Err(r.err("transition table has no empty slot"));
        }
        Ok(ActTable {
            slots,
            mask: cap - 1,
            n,
        })
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct LabSlot {
    fp: u32,
    start: u32,
    len: u8,
}

/// Relation weights: up to 64 classes, sparse (class, weight) lists.
#[derive(Debug, Clone)]
pub(crate) struct LabTable {
    nc: usize,
    slots: Vec<LabSlot>,
    mask: usize,
    /// (class, weight) pairs packed as `weight << 16 | class` (one memory
    /// access per pair); stored on disk as separate class and weight arrays.
    e: Vec<u32>,
    n: usize,
}

#[inline]
fn pack(c: u8, w: i16) -> u32 {
    ((w as u16 as u32) << 16) | c as u32
}

#[inline]
fn unpack(e: u32) -> (usize, i32) {
    ((e & 63) as usize, (e >> 16) as u16 as i16 as i32)
}

impl LabTable {
    pub fn from_weights(w: &Weights) -> LabTable {
        assert!(w.nc <= 64, "at most 64 relation classes");
        let feats = quantised(w);
        let mask = (1usize << log2_capacity(feats.len())) - 1;
        let mut slots = vec![LabSlot::default(); mask + 1];
        let mut cls = Vec::new();
        let mut ws = Vec::new();
        for (k, q) in &feats {
            let i = probe(|i| slots[i].fp, mask, *k);
            if slots[i].fp != 0 {
                continue; // fingerprint clash (very rare): keep the first
            }
            let start = cls.len() as u32;
            for (c, v) in q.iter().enumerate().filter(|(_, v)| **v != 0) {
                cls.push(c as u8);
                ws.push(*v);
            }
            slots[i] = LabSlot {
                fp: fingerprint(*k),
                start,
                len: (cls.len() as u32 - start) as u8,
            };
        }
        let n = slots.iter().filter(|s| s.fp != 0).count();
        LabTable {
            nc: w.nc,
            slots,
            mask,
            e: cls.iter().zip(&ws).map(|(c, w)| pack(*c, *w)).collect(),
            n,
        }
    }

    /// Number of weighted features.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Adds the weights of `feats` to `scores` (classes beyond the table's are untouched).
    #[inline]
    pub fn add_scores(&self, feats: &[u64], scores: &mut [i32; 64]) {
        const AHEAD: usize = 32;
        for f in feats.iter().take(AHEAD) {
            prefetch(&self.slots[*f as usize & self.mask]);
        }
        // find every feature's list first (prefetching it), then add
        let mut found = [(0u32, 0u8); 64];
        let mut nf = 0;
        for (j, &f) in feats.iter().enumerate() {
            if let Some(g) = feats.get(j + AHEAD) {
                prefetch(&self.slots[*g as usize & self.mask]);
            }
            let fp = fingerprint(f);
            let mut i = f as usize & self.mask;
            loop {
                let s = &self.slots[i];
                if s.fp == fp {
                    if s.len > 0 {
                        if let Some(e) = self.e.get(s.start as usize) {
                            prefetch(e);
                        }
                        if nf == found.len() {
                            self.add_lists(&found, scores);
                            nf = 0;
                        }
                        found[nf] = (s.start, s.len);
                        nf += 1;
                    }
                    break;
                }
                if s.fp == 0 {
                    break;
                }
                i = (i + 1) & self.mask;
            }
        }
        self.add_lists(&found[..nf], scores);
    }

    #[inline]
    fn add_lists(&self, lists: &[(u32, u8)], scores: &mut [i32; 64]) {
        for (start, len) in lists {
            let r = *start as usize..*start as usize + *len as usize;
            for e in &self.e[r] {
                let (c, v) = unpack(*e);
                scores[c] += v;
            }
        }
    }

    pub fn write(&self, out: &mut Writer) {
        out.u32(self.nc as u32);
        out.u32(self.slots.len().trailing_zeros());
        out.u32(self.e.len() as u32);
        for s in &self.slots {
            out.u32(s.fp);
            out.u32(s.start);
            out.u8(s.len);
        }
        for e in &self.e {
            out.u8(unpack(*e).0 as u8);
        }
        for e in &self.e {
            out.i16(unpack(*e).1 as i16);
        }
    }

    pub fn read(r: &mut Reader, nc: usize) -> Result<LabTable> {
        let got = r.u32()? as usize;
        if got != nc {
            return Err(r.err(&format!("relation table has {got} classes, expected {nc}")));
        }
        let log2 = r.u32()?;
        if log2 > MAX_LOG2 {
            return Err(r.err("relation table is too large"));
        }
        let cap = 1usize << log2;
        let nnz = r.u32()? as usize;
        let raw = r.take(cap * 9)?;
        let mut slots = Vec::with_capacity(cap);
        advise_huge_pages(&slots);
        slots.extend(raw.chunks_exact(9).map(|c| LabSlot {
            fp: u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
            start: u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
            len: c[8],
        }));
        if slots
            .iter()
            .any(|s| s.start as usize + s.len as usize > nnz)
        {
            return Err(r.err("relation table slot points past its weights"));
        }
        let n = slots.iter().filter(|s| s.fp != 0).count();
        if n == cap {
            return Err(r.err("relation table has no empty slot"));
        }
        let cls = r.take(nnz)?.to_vec();
        if cls.iter().any(|c| *c as usize >= nc) {
            return Err(r.err("relation weight names an unknown class"));
        }
        let e = r
            .take(nnz * 2)?
            .chunks_exact(2)
            .zip(&cls)
            .map(|(w, c)| pack(*c, i16::from_le_bytes([w[0], w[1]])))
            .collect();
        Ok(LabTable {
            nc,
            slots,
            mask: cap - 1,
            e,
            n,
        })
    }
}
