//! Hashed sparse features for the perceptron models.
//!
//! Takes a sentence's words and gives, per position, 64-bit feature hashes:
//! word strings (normalised, prefixes, suffixes, shape) are hashed once per
//! word, and each feature template combines a template id with those hashes
//! (and the previously predicted tags), so no feature string is built at
//! tagging time.

use std::hash::{BuildHasherDefault, Hasher};

/// Hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// `HashMap` keyed by pre-hashed `u64`s.
pub type IdMap<V> = std::collections::HashMap<u64, V, BuildHasherDefault<IdHasher>>;

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of a string, finalised.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.bytes())
}

/// FNV-1a of a byte sequence, finalised (`hash_bytes(s.bytes()) == hash_str(s)`).
#[inline]
fn hash_bytes(bytes: impl Iterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    mix(h)
}

/// Combines a template id with one value.
#[inline]
pub fn f1(t: u64, a: u64) -> u64 {
    mix(a ^ t.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Combines a template id with two values.
#[inline]
pub fn f2(t: u64, a: u64, b: u64) -> u64 {
    mix(f1(t, a) ^ b.wrapping_mul(0xc2b2_ae3d_27d4_eb4f))
}

/// Normalised word: lower case, curly quotes straightened, 4-digit numbers
/// as `!YEAR`, other digit-initial tokens as `!DIGITS`.
pub fn normalise(w: &str) -> String {
    let b = w.as_bytes();
    if b.len() == 4 && b.iter().all(u8::is_ascii_digit) {
        return "!YEAR".into();
    }
    if b.first().is_some_and(u8::is_ascii_digit) {
        return "!DIGITS".into();
    }
    w.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '`' | '\u{00B4}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Word shape with runs collapsed: `Xxx`, `X.X.`, `dd,dd`, `xx-Xxx`.
pub fn shape(w: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if k == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = k;
        out.push(k);
    }
    out
}

/// Prefix/suffix of `n` characters (the whole word when shorter).
pub fn prefix(w: &str, n: usize) -> &str {
    match w.char_indices().nth(n) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

pub fn suffix(w: &str, n: usize) -> &str {
    let count = w.chars().count();
    if count <= n {
        return w;
    }
    match w.char_indices().nth(count - n) {
        Some((i, _)) => &w[i..],
        None => w,
    }
}

/// Per-word hashes, computed once per word of a sentence.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct WordHashes {
    pub raw: u64,
    pub norm: u64,
    pub pre: [u64; 3],
    pub suf: [u64; 4],
    pub shape: u64,
    /// bit 0 hyphen, 1 digit, 2 initial capital, 3 all capitals, 4 no letters
    pub flags: u8,
    /// Ambiguity class: 1 + bit set of the tags the lexicon saw for the
    /// normalised word, 0 when unknown.
    pub amb: u64,
}

impl WordHashes {
    pub fn new(w: &str) -> Self {
        if w.is_ascii() {
            Self::new_ascii(w.as_bytes())
        } else {
            Self::new_chars(w)
        }
    }

    /// Hashes of any word, from its normalised, lower-cased and shape strings.
    fn new_chars(w: &str) -> Self {
        let n = normalise(w);
        let mut flags = 0u8;
        if w.contains('-') {
            flags |= 1;
        }
        if w.bytes().any(|b| b.is_ascii_digit()) {
            flags |= 2;
        }
        let mut letters = w.chars().filter(|c| c.is_alphabetic());
        if w.chars().next().is_some_and(char::is_uppercase) {
            flags |= 4;
        }
        match letters.next() {
            None => flags |= 16,
            Some(_) => {
                if w.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
                {
                    flags |= 8;
                }
            }
        }
        let l = w.to_lowercase();
        WordHashes {
            raw: hash_str(w),
            norm: hash_str(&n),
            pre: [1, 2, 3].map(|k| hash_str(prefix(&l, k))),
            suf: [1, 2, 3, 4].map(|k| hash_str(suffix(&l, k))),
            shape: hash_str(&shape(w)),
            flags,
            amb: 0,
        }
    }

    /// [`WordHashes::new`] for an ASCII word, without building strings: the
    /// same hashes of the same bytes.
    fn new_ascii(b: &[u8]) -> Self {
        let mut flags = 0u8;
        if b.contains(&b'-') {
            flags |= 1;
        }
        if b.iter().any(u8::is_ascii_digit) {
            flags |= 2;
        }
        if b.first().is_some_and(u8::is_ascii_uppercase) {
            flags |= 4;
        }
        let mut letters = b.iter().filter(|c| c.is_ascii_alphabetic()).peekable();
        if letters.peek().is_none() {
            flags |= 16;
        } else if letters.all(u8::is_ascii_uppercase) {
            flags |= 8;
        }
        let norm = if b.len() == 4 && b.iter().all(u8::is_ascii_digit) {
            hash_str("!YEAR")
        } else if b.first().is_some_and(u8::is_ascii_digit) {
            hash_str("!DIGITS")
        } else {
            hash_bytes(b.iter().map(|&c| {
                if c == b'`' {
                    b'\''
                } else {
                    c.to_ascii_lowercase()
                }
            }))
        };
        let lower = |s: &[u8]| hash_bytes(s.iter().map(u8::to_ascii_lowercase));
        let n = b.len();
        let mut last = 0u8;
        let mut run = 0;
        let shape = hash_bytes(b.iter().filter_map(|&c| {
            let k = if c.is_ascii_uppercase() {
                b'X'
            } else if c.is_ascii_lowercase() {
                b'x'
            } else if c.is_ascii_digit() {
                b'd'
            } else {
                c
            };
            if k == last {
                run += 1;
                if run >= 2 {
                    return None;
                }
            } else {
                run = 0;
            }
            last = k;
            Some(k)
        }));
        WordHashes {
            raw: hash_bytes(b.iter().copied()),
            norm,
            pre: [1, 2, 3].map(|k| lower(&b[..k.min(n)])),
            suf: [1, 2, 3, 4].map(|k| lower(&b[n - k.min(n)..])),
            shape,
            flags,
            amb: 0,
        }
    }

    /// Padding word before the sentence start / after its end.
    pub fn pad(before: bool) -> Self {
        let s = if before { "-START-" } else { "-END-" };
        let h = hash_str(s);
        WordHashes {
            raw: h,
            norm: h,
            pre: [h; 3],
            suf: [h; 4],
            shape: h,
            flags: 32,
            amb: 1 << 40,
        }
    }
}

/// Hashes for a sentence, padded with two words on each side; `lexicon` maps
/// a normalised-word hash to its tag bit set (ambiguity class).
pub fn sentence_hashes(words: &[&str], lexicon: &IdMap<u32>) -> Vec<WordHashes> {
    let mut v = Vec::with_capacity(words.len() + 4);
    let s = WordHashes::pad(true);
    let e = WordHashes::pad(false);
    v.push(s);
    v.push(s);
    v.extend(words.iter().map(|w| {
        let mut h = WordHashes::new(w);
        h.amb = lexicon.get(&h.norm).map_or(0, |m| *m as u64 + 1);
        h
    }));
    v.push(e);
    v.push(e);
    v
}

/// POS-tagger features of word `i` (index into the unpadded sentence) given
/// the two previous predicted tags (pad values past the start) and, for the
/// stacked second stage, the first stage's tags of the whole sentence.
pub fn pos_features(
    h: &[WordHashes],
    i: usize,
    p1: u64,
    p2: u64,
    stacked: Option<&[u8]>,
    out: &mut Vec<u64>,
) {
    out.clear();
    let j = i + 2;
    let w = &h[j];
    out.push(f1(0, 0));
    out.push(f1(1, w.norm));
    out.push(f1(2, w.raw));
    for k in 0..4 {
        out.push(f1(3 + k as u64, w.suf[k]));
    }
    for k in 0..3 {
        out.push(f1(7 + k as u64, w.pre[k]));
    }
    out.push(f1(10, w.shape));
    for bit in 0..6u64 {
        if w.flags & (1 << bit) != 0 {
            out.push(f1(11 + bit, 1));
        }
    }
    if i == 0 && w.flags & 4 != 0 {
        out.push(f1(17, 1));
    }
    out.push(f1(18, p1));
    out.push(f1(19, p2));
    out.push(f2(20, p1, p2));
    out.push(f2(21, p1, w.norm));
    out.push(f1(22, h[j - 1].norm));
    out.push(f1(23, h[j - 1].suf[2]));
    out.push(f1(24, h[j - 2].norm));
    out.push(f1(25, h[j + 1].norm));
    out.push(f1(26, h[j + 1].suf[2]));
    out.push(f1(27, h[j + 2].norm));
    out.push(f2(28, h[j - 1].norm, w.norm));
    out.push(f2(29, w.norm, h[j + 1].norm));
    out.push(f1(30, h[j + 1].shape));
    out.push(f1(31, h[j - 1].shape));
    out.push(f2(32, p1, w.suf[2]));
    out.push(f2(33, w.suf[2], h[j + 1].norm));
    out.push(f1(34, w.amb));
    out.push(f1(35, h[j + 1].amb));
    out.push(f1(36, h[j + 2].amb));
    out.push(f1(37, h[j - 1].amb));
    out.push(f2(38, p1, w.amb));
    out.push(f2(39, w.amb, h[j + 1].amb));
    out.push(f2(40, w.norm, h[j + 1].amb));
    out.push(f2(41, p1, w.shape));
    if let Some(t) = stacked {
        let g = |k: isize| -> u64 {
            let j = i as isize + k;
            if j < 0 || j as usize >= t.len() {
                99
            } else {
                t[j as usize] as u64
            }
        };
        out.push(f1(60, g(0)));
        out.push(f1(61, g(1)));
        out.push(f1(62, g(2)));
        out.push(f2(63, g(1), w.norm));
        out.push(f2(64, p1, g(1)));
        out.push(f2(65, g(0), g(1)));
        out.push(f2(66, g(1), g(2)));
        out.push(f2(67, g(0), w.norm));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_affixes() {
        assert_eq!(shape("Obama"), "Xxx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("100,000"), "dd,dd");
        assert_eq!(suffix("Jürgen", 3), "gen");
        assert_eq!(prefix("Ébola", 2), "Éb");
        assert_eq!(suffix("ab", 3), "ab");
        assert_eq!(normalise("1999"), "!YEAR");
        assert_eq!(normalise("Don\u{2019}t"), "don't");
        assert_ne!(f1(1, 5), f1(2, 5));
        assert_ne!(f2(1, 5, 6), f2(1, 6, 5));
    }

    #[test]
    fn ascii_hashes_equal_string_hashes() {
        let words = [
            "",
            "a",
            "A",
            "The",
            "U.S.",
            "1999",
            "19999",
            "7th",
            "--",
            "``",
            "Don`t",
            "McDonald's",
            "x-ray",
            "ABC-12",
            "e-mail",
            "...",
            "HELLO",
            "hello",
            "MiXeD",
            "a1b2",
            "12,000",
            "Q",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "'s",
            "n't",
            "AAA.BBB",
            "$",
            "http://x.org/a_b",
        ];
        for w in words {
            assert_eq!(
                WordHashes::new_ascii(w.as_bytes()),
                WordHashes::new_chars(w),
                "{w:?}"
            );
        }
        // non-ASCII words take the string path
        assert_eq!(WordHashes::new("Jürgen"), WordHashes::new_chars("Jürgen"));
        assert_ne!(WordHashes::new("Don\u{2019}t"), WordHashes::new("Dont"));
    }
}
