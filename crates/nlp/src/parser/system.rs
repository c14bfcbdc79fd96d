//! Arc-eager transition system, its feature templates and the dynamic oracle.
//!
//! Takes a sentence as word hashes and UPOS indices (position 0 is the
//! artificial ROOT) and gives the parser state, the valid transitions, the
//! Zhang & Nivre (2011) style hashed features of a state and, for training,
//! the cost of each transition against a gold tree (Goldberg & Nivre 2012;
//! arc-decomposable, so non-projective gold trees need no preprocessing).

use crate::tagger::features::{f1, f2};

pub(crate) const SHIFT: usize = 0;
pub(crate) const REDUCE: usize = 1;
pub(crate) const LEFT: usize = 2;
pub(crate) const RIGHT: usize = 3;
pub(crate) const NA: usize = 4;

/// "No such position" marker.
const NONE: usize = usize::MAX;
const NONE_H: u64 = 0x5eed_0000_0000_0001;
const ROOT_W: u64 = 0x5eed_0000_0000_0002;
const ROOT_P: u64 = 200;
const NONE_P: u64 = 201;
const NONE_L: u64 = 202;
/// Cluster code of ROOT (real codes have at most 31 bits).
const ROOT_C: u32 = u32::MAX;

const UPOS_VERB: u64 = 15;
const UPOS_AUX: u64 = 3;
const UPOS_PUNCT: u64 = 12;

/// A sentence prepared for parsing: index 0 is ROOT.
pub(crate) struct Sent {
    pub w: Vec<u64>,
    pub p: Vec<u64>,
    /// Suffix / shape hash of each word (robust to tagging errors).
    pub x: Vec<u64>,
    /// Ambiguity class: the set of UPOS tags the word had in training.
    pub a: Vec<u64>,
    /// Brown cluster code of each word (0 = none), see `cluster_code`.
    c: Vec<u32>,
    /// Whether any word has a cluster (models without clusters skip those features).
    has_clusters: bool,
    /// Number of verbs/auxiliaries among words `1..=i`.
    cv: Vec<u16>,
    /// Number of punctuation marks among words `1..=i`.
    cp: Vec<u16>,
}

impl Sent {
    pub fn new(words: &[u64], upos: &[u64], suffixes: &[u64], amb: &[u64], cl: &[u32]) -> Sent {
        let mut c = Vec::with_capacity(cl.len() + 1);
        c.push(ROOT_C);
        c.extend_from_slice(cl);
        let mut w = Vec::with_capacity(words.len() + 1);
        let mut p = Vec::with_capacity(words.len() + 1);
        let mut x = Vec::with_capacity(words.len() + 1);
        w.push(ROOT_W);
        p.push(ROOT_P);
        x.push(ROOT_W);
        w.extend_from_slice(words);
        p.extend_from_slice(upos);
        x.extend_from_slice(suffixes);
        let mut a = Vec::with_capacity(words.len() + 1);
        a.push(ROOT_W);
        a.extend_from_slice(amb);
        let (mut cv, mut cp) = (Vec::with_capacity(p.len()), Vec::with_capacity(p.len()));
        let (mut nv, mut np) = (0u16, 0u16);
        for (i, t) in p.iter().enumerate() {
            if i > 0 {
                nv = nv.saturating_add((*t == UPOS_VERB || *t == UPOS_AUX) as u16);
                np = np.saturating_add((*t == UPOS_PUNCT) as u16);
            }
            cv.push(nv);
            cp.push(np);
        }
        Sent {
            w,
            p,
            x,
            a,
            has_clusters: cl.iter().any(|c| *c != 0),
            c,
            cv,
            cp,
        }
    }
    /// Number of words (without ROOT).
    pub fn n(&self) -> usize {
        self.w.len() - 1
    }
    #[inline]
    fn wh(&self, i: usize) -> u64 {
        if i == NONE {
            NONE_H
        } else {
            self.w[i]
        }
    }
    #[inline]
    fn xh(&self, i: usize) -> u64 {
        if i == NONE {
            NONE_H
        } else {
            self.x[i]
        }
    }
    #[inline]
    fn ah(&self, i: usize) -> u64 {
        if i == NONE {
            NONE_H
        } else {
            self.a[i]
        }
    }
    /// Cluster of word `i`, cut to its first `k` bits (`k` = 32: full path).
    #[inline]
    fn ch(&self, i: usize, k: u32) -> u64 {
        if i == NONE {
            return 0x5eed_0000_0000_0c00;
        }
        let c = self.c[i];
        if c == 0 || c == ROOT_C {
            return 0x5eed_0000_0000_0c01 + (c == ROOT_C) as u64;
        }
        let len = 31 - c.leading_zeros();
        (if len > k { c >> (len - k) } else { c }) as u64
    }
    #[inline]
    fn ph(&self, i: usize) -> u64 {
        if i == NONE {
            NONE_P
        } else {
            self.p[i]
        }
    }
}

/// Parser configuration.
pub(crate) struct State {
    pub stack: Vec<usize>,
    /// Front of the buffer; the buffer is `b..=n`.
    pub b: usize,
    pub n: usize,
    pub head: Vec<usize>,
    pub label: Vec<u8>,
    l1: Vec<usize>,
    l2: Vec<usize>,
    r1: Vec<usize>,
    r2: Vec<usize>,
    lv: Vec<u8>,
    rv: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
    in_stack: Vec<bool>,
}

impl State {
    pub fn new(n: usize) -> State {
        let m = n + 1;
        let mut in_stack = vec![false; m];
        in_stack[0] = true;
        State {
            stack: vec![0],
            b: 1,
            n,
            head: vec![NONE; m],
            label: vec![0; m],
            l1: vec![NONE; m],
            l2: vec![NONE; m],
            r1: vec![NONE; m],
            r2: vec![NONE; m],
            lv: vec![0; m],
            rv: vec![0; m],
            lset: vec![0; m],
            rset: vec![0; m],
            in_stack,
        }
    }

    pub fn done(&self) -> bool {
        self.b > self.n
    }

    #[inline]
    pub fn s0(&self) -> usize {
        *self.stack.last().expect("ROOT stays on the stack")
    }

    pub fn has_head(&self, i: usize) -> bool {
        self.head[i] != NONE
    }

    /// Head of `i` (`None` when unattached); index 0 is ROOT.
    pub fn head_of(&self, i: usize) -> Option<usize> {
        (self.head[i] != NONE).then_some(self.head[i])
    }

    /// Valid unlabeled actions.
    pub fn valid(&self) -> [bool; NA] {
        let s0 = self.s0();
        let buf = self.b <= self.n;
        [
            buf,
            s0 != 0 && self.has_head(s0),
            buf && s0 != 0 && !self.has_head(s0),
            buf && (s0 != 0 || self.rv[0] == 0),
        ]
    }

    fn add_arc(&mut self, h: usize, d: usize, l: u8) {
        self.head[d] = h;
        self.label[d] = l;
        let bit = 1u64 << (l % 64);
        if d < h {
            self.lv[h] = self.lv[h].saturating_add(1);
            self.lset[h] |= bit;
            if self.l1[h] == NONE || d < self.l1[h] {
                self.l2[h] = self.l1[h];
                self.l1[h] = d;
            } else if self.l2[h] == NONE || d < self.l2[h] {
                self.l2[h] = d;
            }
        } else {
            self.rv[h] = self.rv[h].saturating_add(1);
            self.rset[h] |= bit;
            if self.r1[h] == NONE || d > self.r1[h] {
                self.r2[h] = self.r1[h];
                self.r1[h] = d;
            } else if self.r2[h] == NONE || d > self.r2[h] {
                self.r2[h] = d;
            }
        }
    }

    /// Applies a valid action; `l` is the label of an arc action.
    pub fn apply(&mut self, a: usize, l: u8) {
        let s0 = self.s0();
        match a {
            SHIFT => {
                self.stack.push(self.b);
                self.in_stack[self.b] = true;
                self.b += 1;
            }
            REDUCE => {
                self.stack.pop();
                self.in_stack[s0] = false;
            }
            LEFT => {
                self.add_arc(self.b, s0, l);
                self.stack.pop();
                self.in_stack[s0] = false;
            }
            _ => {
                self.add_arc(s0, self.b, l);
                self.stack.push(self.b);
                self.in_stack[self.b] = true;
                self.b += 1;
            }
        }
    }

    /// Dynamic-oracle cost of each action: gold arcs it makes unreachable.
    pub fn costs(&self, gh: &[usize]) -> [u32; NA] {
        let s0 = self.s0();
        let b0 = self.b;
        let mut c = [0u32; NA];
        if b0 > self.n {
            return c;
        }
        let root_free = self.rv[0] == 0;
        // head of b0 on the stack (reachable), children of b0 on the stack
        let mut b0_head_in_stack = 0;
        let mut b0_kids_in_stack = 0;
        for &k in &self.stack {
            if gh[b0] == k && (k != 0 || root_free) && k != s0 {
                b0_head_in_stack += 1;
            }
            if k != 0 && gh[k] == b0 && !self.has_head(k) {
                b0_kids_in_stack += 1;
            }
        }
        let b0_head_is_s0 = (gh[b0] == s0 && (s0 != 0 || root_free)) as u32;
        // SHIFT: loses b0's head / children on the stack.
        c[SHIFT] = b0_head_in_stack + b0_head_is_s0 + b0_kids_in_stack;
        // RIGHT: b0's other heads (stack or buffer) and its stack children.
        let b0_head_in_buf = (gh[b0] > b0) as u32;
        c[RIGHT] = b0_head_in_stack + b0_head_in_buf + b0_kids_in_stack;
        // s0's children in the buffer
        let s0_kids_in_buf = if s0 == 0 {
            0
        } else {
            gh[b0..=self.n].iter().filter(|&&h| h == s0).count() as u32
        };
        c[REDUCE] = s0_kids_in_buf;
        let s0_head_in_buf_not_b0 = (s0 != 0 && !self.has_head(s0) && gh[s0] > b0) as u32;
        c[LEFT] = s0_kids_in_buf + s0_head_in_buf_not_b0;
        c
    }

    /// Hashed features of the state (Zhang & Nivre 2011 templates, arc-eager).
    pub fn features(&self, s: &Sent, out: &mut Vec<u64>) {
        out.clear();
        let s0 = self.s0();
        let s1 = if self.stack.len() >= 2 {
            self.stack[self.stack.len() - 2]
        } else {
            NONE
        };
        let n = self.n;
        let pos = |i: usize| if i <= n { i } else { NONE };
        let (n0, n1, n2) = (pos(self.b), pos(self.b + 1), pos(self.b + 2));
        let get = |v: &Vec<usize>, i: usize| if i == NONE { NONE } else { v[i] };
        let s0h = get(&self.head, s0);
        let s0h2 = get(&self.head, s0h);
        let s0l = get(&self.l1, s0);
        let s0l2 = get(&self.l2, s0);
        let s0r = get(&self.r1, s0);
        let s0r2 = get(&self.r2, s0);
        let n0l = get(&self.l1, n0);
        let n0l2 = get(&self.l2, n0);
        let lab = |i: usize| {
            if i == NONE {
                NONE_L
            } else {
                self.label[i] as u64
            }
        };

        let (s0w, s0p) = (s.wh(s0), s.ph(s0));
        let (n0w, n0p) = (s.wh(n0), s.ph(n0));
        let (n1w, n1p) = (s.wh(n1), s.ph(n1));
        let (n2w, n2p) = (s.wh(n2), s.ph(n2));
        let (s1w, s1p) = (s.wh(s1), s.ph(s1));
        let s0wp = f1(s0w, s0p);
        let n0wp = f1(n0w, n0p);
        let n1wp = f1(n1w, n1p);
        let n2wp = f1(n2w, n2p);

        let mut t = 0u64;
        let mut push1 = |a: u64, out: &mut Vec<u64>| {
            t += 1;
            out.push(f1(t, a));
        };
        // single words
        for v in [
            s0wp, s0w, s0p, n0wp, n0w, n0p, n1wp, n1w, n1p, n2wp, n2w, n2p,
        ] {
            push1(v, out);
        }
        // pairs
        for v in [
            f1(s0wp, n0wp),
            f1(s0wp, n0w),
            f1(s0w, n0wp),
            f1(s0wp, n0p),
            f1(s0p, n0wp),
            f1(s0w, n0w),
            f1(s0p, n0p),
            f1(n0p, n1p),
        ] {
            push1(v, out);
        }
        // three words
        let s0hp = s.ph(s0h);
        let s0lp = s.ph(s0l);
        let s0rp = s.ph(s0r);
        let n0lp = s.ph(n0l);
        for v in [
            f2(n0p, n1p, n2p),
            f2(s0p, n0p, n1p),
            f2(s0hp, s0p, n0p),
            f2(s0p, s0lp, n0p),
            f2(s0p, s0rp, n0p),
            f2(s0p, n0p, n0lp),
        ] {
            push1(v, out);
        }
        // distance
        let d = if n0 == NONE || s0 == 0 {
            0
        } else {
            (n0 - s0).min(8) as u64
        };
        for v in [
            f1(s0w, d),
            f1(s0p, d),
            f1(n0w, d),
            f1(n0p, d),
            f2(s0w, n0w, d),
            f2(s0p, n0p, d),
        ] {
            push1(v, out);
        }
        // valency
        let vl = |i: usize| if i == NONE { 99 } else { self.lv[i] as u64 };
        let vr = |i: usize| if i == NONE { 99 } else { self.rv[i] as u64 };
        for v in [
            f1(s0w, vr(s0)),
            f1(s0p, vr(s0)),
            f1(s0w, vl(s0)),
            f1(s0p, vl(s0)),
            f1(n0w, vl(n0)),
            f1(n0p, vl(n0)),
        ] {
            push1(v, out);
        }
        // unigrams of children / head
        for v in [
            s.wh(s0h),
            s0hp,
            lab(s0),
            s.wh(s0l),
            s0lp,
            lab(s0l),
            s.wh(s0r),
            s0rp,
            lab(s0r),
            s.wh(n0l),
            n0lp,
            lab(n0l),
        ] {
            push1(v, out);
        }
        // third order
        for v in [
            s.wh(s0h2),
            s.ph(s0h2),
            lab(s0h),
            s.wh(s0l2),
            s.ph(s0l2),
            lab(s0l2),
            s.wh(s0r2),
            s.ph(s0r2),
            lab(s0r2),
            s.wh(n0l2),
            s.ph(n0l2),
            lab(n0l2),
            f2(s0p, s0lp, s.ph(s0l2)),
            f2(s0p, s0rp, s.ph(s0r2)),
            f2(s0p, s0hp, s.ph(s0h2)),
            f2(n0p, n0lp, s.ph(n0l2)),
        ] {
            push1(v, out);
        }
        // label sets
        let ls = |i: usize| if i == NONE { 0 } else { self.lset[i] };
        let rs = |i: usize| if i == NONE { 0 } else { self.rset[i] };
        for v in [
            f1(s0w, rs(s0)),
            f1(s0p, rs(s0)),
            f1(s0w, ls(s0)),
            f1(s0p, ls(s0)),
            f1(n0w, ls(n0)),
            f1(n0p, ls(n0)),
        ] {
            push1(v, out);
        }
        // s1 and extra context
        let s0_has_head = (s0 != 0 && self.has_head(s0)) as u64;
        for v in [
            f1(s1w, s1p),
            s1p,
            f2(s1p, s0p, n0p),
            f2(s1w, s0p, n0p),
            f2(s0p, n0p, s0_has_head),
            f2(s0wp, n0p, s0_has_head),
            f2(s0p, n0wp, s0_has_head),
            f2(n0wp, n1wp, 1),
            f2(s0p, n0p, n2p),
            f2(n0p, n1wp, 2),
            f2(n0p, n2wp, 3),
        ] {
            push1(v, out);
        }
        // suffix/shape features (robust to POS errors) and more word pairs
        let (s0x, n0x, n1x) = (s.xh(s0), s.xh(n0), s.xh(n1));
        for v in [
            s0x,
            n0x,
            n1x,
            f2(s0x, n0x, 1),
            f2(s0x, n0p, 2),
            f2(s0p, n0x, 3),
            f2(n0x, n1x, 4),
            f2(s0w, n0w, f1(n1p, 5)),
            f2(s1w, s0w, 6),
            f2(s1p, s0wp, 7),
            f2(s.wh(s0h), n0w, 8),
            f2(s.wh(s0h), s0w, 9),
            f2(n0w, n1w, 10),
            f2(s0p, s.xh(s0l), n0p),
        ] {
            push1(v, out);
        }
        let (s0a, n0a, n1a) = (s.ah(s0), s.ah(n0), s.ah(n1));
        for v in [
            f1(s0a, 11),
            f1(n0a, 12),
            f1(n1a, 13),
            f2(s0a, n0a, 14),
            f2(s0a, n0p, 15),
            f2(s0p, n0a, 16),
            f2(n0a, n1a, 17),
            f2(s.ah(s1), s0a, n0a),
        ] {
            push1(v, out);
        }
        // verbs and punctuation between s0 and n0, stack depth
        let (bv, bp) = if s0 != 0 && n0 != NONE && n0 > s0 {
            (
                (s.cv[n0 - 1] - s.cv[s0]).min(2) as u64,
                (s.cp[n0 - 1] - s.cp[s0]).min(2) as u64,
            )
        } else {
            (3, 3)
        };
        let depth = self.stack.len().min(6) as u64;
        for v in [
            f2(s0p, n0p, f1(bv, bp)),
            f2(bv, bp, 18),
            f2(s0wp, bv, bp),
            f2(n0wp, bv, bp),
            f2(depth, n0p, 19),
        ] {
            push1(v, out);
        }
        // Brown clusters (Koo et al. 2008): 4- and 6-bit prefixes and full paths
        if s.has_clusters {
            let (s0c4, s0c6, s0c) = (s.ch(s0, 4), s.ch(s0, 6), s.ch(s0, 32));
            let (n0c4, n0c6, n0c) = (s.ch(n0, 4), s.ch(n0, 6), s.ch(n0, 32));
            let (n1c4, n1c) = (s.ch(n1, 4), s.ch(n1, 32));
            let s1c4 = s.ch(s1, 4);
            for v in [
                f1(s0c, 20),
                f1(n0c, 21),
                f1(n1c, 22),
                f2(s0c4, n0c4, 23),
                f2(s0c6, n0c6, 24),
                f2(s0c, n0p, 25),
                f2(s0p, n0c, 26),
                f2(s0c4, n0p, f1(n1p, 27)),
                f2(s0p, n0c4, f1(n1p, 28)),
                f2(s0c4, n0c4, n1c4),
                f2(s1c4, s0c4, f1(n0c4, 29)),
                f2(n0c6, n1c4, 30),
                f2(s0c, n0w, 31),
                f2(s0w, n0c, 32),
                f2(s.ch(s0h, 4), s0c4, f1(n0c4, 33)),
                f2(s0c4, s.ch(s0l, 4), f1(n0c4, 34)),
                f2(s0c4, s.ch(s0r, 4), f1(n0c4, 35)),
                f2(s0c4, n0c4, f1(n0lp, 36)),
            ] {
                push1(v, out);
            }
        }
    }

    /// Features for choosing the label of an arc `h -> d`.
    pub fn label_features(&self, s: &Sent, h: usize, d: usize, out: &mut Vec<u64>) {
        out.clear();
        let dir = (d < h) as u64;
        let (hw, hp, dw, dp) = (s.wh(h), s.ph(h), s.wh(d), s.ph(d));
        let dist = if h == 0 {
            0
        } else {
            (h.abs_diff(d)).min(8) as u64
        };
        let n = self.n;
        let next = |i: usize| if i < n { i + 1 } else { NONE };
        let prev = |i: usize| if i > 1 { i - 1 } else { NONE };
        let dl = self.l1[d];
        let dr = self.r1[d];
        let hh = self.head[h];
        let lab = |i: usize| {
            if i == NONE {
                NONE_L
            } else {
                self.label[i] as u64
            }
        };
        let hl = if h == 0 { NONE_L } else { lab(h) };
        let mut t = 1000u64;
        for v in [
            hw,
            hp,
            dw,
            dp,
            f1(hw, hp),
            f1(dw, dp),
            f2(hw, dw, 0),
            f2(hp, dp, 0),
            f2(hw, dp, 1),
            f2(hp, dw, 1),
            f2(f1(hw, hp), f1(dw, dp), 2),
            f2(hp, dp, dist),
            f2(hp, dp, f1(self.lset[h], self.rset[h])),
            f2(dp, self.lset[d], self.rset[d]),
            f2(dw, self.lset[d], self.rset[d]),
            f2(hp, dp, s.ph(prev(d))),
            f2(hp, dp, s.ph(next(d))),
            f2(hp, dp, s.ph(dl)),
            f2(hp, dp, s.ph(dr)),
            f2(dp, s.wh(dl), 4),
            f2(hp, dp, hl),
            f2(hp, dp, s.ph(hh)),
            f2(hw, dp, hl),
            f2(hp, dp, s.ph(next(h))),
            f2(hp, dp, s.ph(prev(h))),
            f2(dw, s.wh(next(d)), 5),
            f2(hp, dw, hl),
            f2(s.xh(h), s.xh(d), 6),
            f2(hp, s.xh(d), 7),
            f2(s.xh(h), dp, 8),
            f2(dw, s.xh(h), 9),
            f2(s.ah(h), s.ah(d), 10),
            f2(hp, s.ah(d), 11),
            f2(s.ah(h), dp, 12),
        ] {
            t += 1;
            out.push(f2(t, v, dir));
        }
        if s.has_clusters {
            for v in [
                f2(s.ch(h, 32), s.ch(d, 32), 13),
                f2(s.ch(h, 4), s.ch(d, 4), 14),
                f2(s.ch(h, 6), dp, 15),
                f2(hp, s.ch(d, 6), 16),
                f2(s.ch(h, 32), dp, 17),
                f2(hp, s.ch(d, 32), 18),
                f2(hp, dp, f1(s.ch(dl, 4), 19)),
                f2(s.ch(d, 4), s.ch(next(d), 4), 20),
            ] {
                t += 1;
                out.push(f2(t, v, dir));
            }
        }
    }
}
