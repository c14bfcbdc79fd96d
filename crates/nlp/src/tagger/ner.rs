//! Averaged-perceptron named-entity recogniser (PER, ORG, LOC, MISC) trained
//! on CoNLL-2003 English.
//!
//! Takes a tokenised sentence (or a document of them) and gives entity spans as
//! token ranges with an [`EntityKind`]. Labels are BILOU ([`Scheme`]; BIO models
//! are still read); decoding is greedy left to right and only emits label
//! sequences the scheme allows. Features: word, lower case, shape,
//! prefixes/suffixes, a ±2 window, the two previous labels, UPOS tags and
//! lexicon ambiguity classes from [`PosTagger`], Brown-cluster path prefixes, and
//! gazetteer membership (begin/inside of a phrase from the shipped country,
//! demonym, capital and actor dictionaries and, optionally, GeoNames place names;
//! the phrases are stored inside the model so training and use see the same
//! lists). A document stage re-labels each sentence with features from the first
//! stage's labels of the same words elsewhere in the document. Each stage's
//! weights can be the mean of several training runs. The model file is
//! `data/models/ner-conll.bin`; it is not wired into the entity stage.

use super::binio::{Reader, Writer};
use super::clusters::WordClusters;
use super::features::{f1, f2, hash_str, sentence_hashes, IdMap, WordHashes};
use super::perceptron::{Trainer, Weights};
use super::PosTagger;
use chronicle_core::{EntityKind, Error, RecordError, Result};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// BIO labels in model order.
pub const NER_LABELS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];
/// BILOU labels in model order (label `4k+1..=4k+4` is `B/I/L/U-TYPES[k]`).
pub const NER_LABELS_BILOU: [&str; 17] = [
    "O", "B-PER", "I-PER", "L-PER", "U-PER", "B-ORG", "I-ORG", "L-ORG", "U-ORG", "B-LOC", "I-LOC",
    "L-LOC", "U-LOC", "B-MISC", "I-MISC", "L-MISC", "U-MISC",
];
/// Most labels of any scheme.
const MAX_NL: usize = NER_LABELS_BILOU.len();
/// Entity types in label order (label `2k+1` is `B-TYPES[k]`).
pub const NER_TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];
/// Version 5 stores the label count; version 4 files are BIO.
const MAGIC: &[u8; 8] = b"CHRNER\x05\x00";
const MAGIC_V4: &[u8; 8] = b"CHRNER\x04\x00";
/// File name of the shipped model inside `data/models/`.
pub const NER_MODEL_FILE: &str = "ner-conll.bin";
const PAD_LABEL: u64 = 100;
const PAD_POS: u8 = 200;

/// How entity spans are encoded as per-token labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Begin / inside / outside ([`NER_LABELS`]).
    Bio,
    /// Begin / inside / last / outside / unit ([`NER_LABELS_BILOU`]).
    Bilou,
}

impl Scheme {
    /// Label names in model order.
    pub fn labels(self) -> &'static [&'static str] {
        match self {
            Scheme::Bio => &NER_LABELS,
            Scheme::Bilou => &NER_LABELS_BILOU,
        }
    }

    fn len(self) -> usize {
        self.labels().len()
    }

    /// Entity type of a label: 0 for `O`, `1 + k` for `NER_TYPES[k]`.
    fn ty(self, l: u8) -> usize {
        match self {
            Scheme::Bio => l.div_ceil(2) as usize,
            Scheme::Bilou => l.div_ceil(4) as usize,
        }
    }

    /// Whether label `cur` may follow label `prev` (0 = `O` before the start).
    fn allowed(self, prev: usize, cur: usize) -> bool {
        match self {
            Scheme::Bio => cur == 0 || cur % 2 == 1 || prev == cur || prev + 1 == cur,
            Scheme::Bilou => {
                let part = |l: usize| (l + 3) % 4; // 0 B, 1 I, 2 L, 3 U
                let open = prev != 0 && part(prev) < 2;
                if open {
                    cur != 0 && (cur - 1) / 4 == (prev - 1) / 4 && matches!(part(cur), 1 | 2)
                } else {
                    cur == 0 || matches!(part(cur), 0 | 3)
                }
            }
        }
    }

    /// The BIO tag of a label (BILOU: `U` as `B`, `L` as `I`).
    pub fn bio_tag(self, l: u8) -> &'static str {
        let t = self.ty(l);
        if t == 0 {
            return "O";
        }
        let begins = match self {
            Scheme::Bio => l % 2 == 1,
            Scheme::Bilou => matches!((l + 3) % 4, 0 | 3),
        };
        NER_LABELS[2 * t - usize::from(begins)]
    }

    /// Label indices of an IOB1 or BIO tag sequence.
    pub fn encode(self, tags: &[&str]) -> Vec<u8> {
        let mut out = vec![0u8; tags.len()];
        for (s, e, ty) in tag_spans(tags) {
            let Some(k) = type_index(&ty) else { continue };
            match self {
                Scheme::Bio => {
                    out[s] = (2 * k + 1) as u8;
                    for o in &mut out[s + 1..e] {
                        *o = (2 * k + 2) as u8;
                    }
                }
                Scheme::Bilou => {
                    let b = 4 * k + 1;
                    if e == s + 1 {
                        out[s] = (b + 3) as u8;
                    } else {
                        out[s] = b as u8;
                        for o in &mut out[s + 1..e - 1] {
                            *o = (b + 1) as u8;
                        }
                        out[e - 1] = (b + 2) as u8;
                    }
                }
            }
        }
        out
    }
}

fn type_index(t: &str) -> Option<usize> {
    NER_TYPES.iter().position(|x| *x == t)
}

/// Gazetteer classes: the four entity types plus GeoNames places (`GEO`),
/// kept apart so the model can learn how far each list is to be trusted.
pub const GAZ_CLASSES: [&str; 5] = ["PER", "ORG", "LOC", "MISC", "GEO"];
const NG: usize = GAZ_CLASSES.len();

/// Phrase gazetteer: lower-cased, space-joined token sequences -> class bit
/// set (bit k = `GAZ_CLASSES[k]`). Lookups hash the words' lower-case forms
/// and chain them ([`phrase_step`]), so matching builds no strings.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    phrases: HashMap<String, u16>,
    /// chained phrase hash -> class bits (low 16) | `PREFIX` when the token
    /// sequence also starts a longer phrase
    keys: IdMap<u32>,
    max_len: usize,
}

/// Flag in [`Gazetteer::keys`]: a longer phrase continues this one.
const PREFIX: u32 = 1 << 16;
/// Chained hash of the empty phrase.
const PHRASE_SEED: u64 = 0x5eed_0f9a_2e77;

/// Extends a chained phrase hash by one token's lower-case hash.
#[inline]
fn phrase_step(h: u64, token: u64) -> u64 {
    f2(250, h, token)
}

/// `hash_str` of the word lower-cased character by character, without
/// allocating for ASCII words of up to 64 bytes.
fn lower_hash(w: &str) -> u64 {
    let b = w.as_bytes();
    if b.len() <= 64 && w.is_ascii() {
        let mut buf = [0u8; 64];
        for (o, c) in buf.iter_mut().zip(b) {
            *o = c.to_ascii_lowercase();
        }
        return hash_str(std::str::from_utf8(&buf[..b.len()]).unwrap_or(""));
    }
    let l: String = w.chars().flat_map(char::to_lowercase).collect();
    hash_str(&l)
}

/// Chained hash of a word's lower-case tokens: a word holding spaces counts
/// as several tokens, as it would in the space-joined phrase key.
fn word_step(h: u64, w: &str) -> u64 {
    if w.contains(' ') {
        w.split(' ').fold(h, |h, t| phrase_step(h, lower_hash(t)))
    } else {
        phrase_step(h, lower_hash(w))
    }
}

fn phrase_key<'a>(tokens: impl Iterator<Item = &'a str>) -> String {
    let mut k = String::new();
    for t in tokens {
        if !k.is_empty() {
            k.push(' ');
        }
        k.extend(t.chars().flat_map(char::to_lowercase));
    }
    k
}

impl Gazetteer {
    /// Adds a phrase (whitespace-separated; a possessive `'s` is split off).
    pub fn add(&mut self, phrase: &str, class: usize) {
        let mut toks: Vec<&str> = Vec::new();
        for t in phrase.split_whitespace() {
            match t.strip_suffix("'s") {
                Some(stem) if !stem.is_empty() => {
                    toks.push(stem);
                    toks.push("'s");
                }
                _ => toks.push(t),
            }
        }
        if toks.is_empty() || toks.len() > 8 || class >= NG {
            return;
        }
        let key = phrase_key(toks.into_iter());
        self.insert(key, 1 << class);
    }

    /// Records a phrase key (lower case, tokens joined by one space).
    fn insert(&mut self, key: String, classes: u16) {
        let mut h = PHRASE_SEED;
        let toks: Vec<&str> = key.split(' ').collect();
        self.max_len = self.max_len.max(toks.len());
        for (i, t) in toks.iter().enumerate() {
            h = phrase_step(h, hash_str(t));
            let e = self.keys.entry(h).or_default();
            if i + 1 < toks.len() {
                *e |= PREFIX;
            } else {
                *e |= classes as u32;
            }
        }
        *self.phrases.entry(key).or_default() |= classes;
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
    /// Builds the gazetteer from `data/countries/{countries,aliases}.tsv`
    /// (country names and capitals: LOC, demonyms: MISC) and
    /// `data/actors/actors.tsv` (names and aliases by kind: PER, ORG, NORP as MISC).
    pub fn from_data_dir(data_dir: &Path) -> Result<Gazetteer> {
        let mut g = Gazetteer::default();
        let loc = 2;
        for_rows(&data_dir.join("countries/countries.tsv"), 4, |c| {
            g.add(c[2], loc);
            g.add(c[3], loc);
            Ok(())
        })?;
        for_rows(&data_dir.join("countries/aliases.tsv"), 2, |c| {
            let ty = match c[1] {
                "name" | "canonical" | "capital" => loc,
                "demonym" => 3,
                _ => return Ok(()),
            };
            let texts = c
                .get(2)
                .ok_or_else(|| format!("{} row without text", c[1]))?;
            texts.split('|').for_each(|t| g.add(t, ty));
            Ok(())
        })?;
        for_rows(&data_dir.join("actors/actors.tsv"), 2, |c| {
            let ty = match c[1] {
                "PER" => 0,
                "ORG" => 1,
                "NORP" => 3,
                "kind" => return Ok(()),
                other => return Err(format!("unknown actor kind {other:?}")),
            };
            g.add(c[0], ty);
            if let Some(a) = c.get(4) {
                a.split('|')
                    .filter(|t| !t.is_empty())
                    .for_each(|t| g.add(t, ty));
            }
            Ok(())
        })?;
        Ok(g)
    }

    /// Adds GeoNames place names (class `GEO`) from a GeoNames directory:
    /// `cities15000.txt` (name and ASCII name), `admin1CodesASCII.txt` and the
    /// country names of `countryInfo.txt`. Returns the number of names read.
    pub fn add_geonames(&mut self, dir: &Path) -> Result<usize> {
        let geo = 4;
        let mut n = 0;
        for_rows(&dir.join("cities15000.txt"), 3, |c| {
            self.add(c[1], geo);
            self.add(c[2], geo);
            n += 1;
            Ok(())
        })?;
        for_rows(&dir.join("admin1CodesASCII.txt"), 3, |c| {
            self.add(c[1], geo);
            self.add(c[2], geo);
            n += 1;
            Ok(())
        })?;
        for_rows(&dir.join("countryInfo.txt"), 5, |c| {
            if c[0] != "ISO" {
                self.add(c[4], geo);
                n += 1;
            }
            Ok(())
        })?;
        Ok(n)
    }

    /// Classes of one exact phrase (0 when unknown).
    pub fn lookup(&self, words: &[&str]) -> u16 {
        if words.len() > self.max_len || words.is_empty() {
            return 0;
        }
        let h = words.iter().fold(PHRASE_SEED, |h, w| word_step(h, w));
        self.keys.get(&h).map_or(0, |m| *m as u16)
    }

    /// Per token: bit k = begins a phrase of class k, bit `NG + k` = inside one.
    pub fn marks(&self, words: &[&str]) -> Vec<u16> {
        let mut out = vec![0u16; words.len()];
        let mut steps: Vec<Option<u64>> = Vec::with_capacity(words.len());
        // lower-case token hash per word; `None` for words holding spaces
        steps.extend(
            words
                .iter()
                .map(|w| (!w.contains(' ')).then(|| lower_hash(w))),
        );
        for i in 0..words.len() {
            let mut h = PHRASE_SEED;
            for j in i..words.len().min(i + self.max_len) {
                h = match steps[j] {
                    Some(t) => phrase_step(h, t),
                    None => word_step(h, words[j]),
                };
                let Some(&e) = self.keys.get(&h) else {
                    break;
                };
                let m = e as u16;
                if m != 0 {
                    out[i] |= m;
                    for o in &mut out[i + 1..=j] {
                        *o |= m << NG;
                    }
                }
                if e & PREFIX == 0 {
                    break;
                }
            }
        }
        out
    }

    fn write(&self, w: &mut Writer) {
        let mut p: Vec<_> = self.phrases.iter().collect();
        p.sort();
        w.u32(self.max_len as u32);
        w.u32(p.len() as u32);
        for (k, m) in p {
            w.str(k);
            w.u32(*m as u32);
        }
    }

    fn read(r: &mut Reader) -> Result<Gazetteer> {
        let max_len = r.u32()? as usize;
        let n = r.count(8)?;
        let mut g = Gazetteer {
            phrases: HashMap::with_capacity(n),
            keys: IdMap::with_capacity_and_hasher(n * 3 / 2, Default::default()),
            max_len: 0,
        };
        for _ in 0..n {
            let k = r.str()?.to_string();
            let m = r.u32()?;
            if m >> NG != 0 {
                return Err(r.err("gazetteer phrase with an unknown class"));
            }
            g.insert(k, m as u16);
        }
        if g.max_len > max_len {
            return Err(r.err("gazetteer phrase longer than the stored maximum"));
        }
        g.max_len = max_len;
        Ok(g)
    }
}

fn for_rows(
    path: &Path,
    min_cols: usize,
    mut f: impl FnMut(&[&str]) -> std::result::Result<(), String>,
) -> Result<()> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Data(format!("{}: {e}", path.display())))?;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let bad = |reason: String| {
            Error::Record(RecordError {
                origin: format!("{}:{}", path.display(), i + 1),
                reason,
            })
        };
        if cols.len() < min_cols {
            return Err(bad(format!(
                "expected {min_cols} columns, found {}",
                cols.len()
            )));
        }
        f(&cols).map_err(bad)?;
    }
    Ok(())
}

/// Longest Brown path prefix the model keeps per word.
const MAX_PATH: usize = 24;
/// Most prefix lengths a model uses.
const MAX_PREFIXES: usize = 4;
/// Default Brown path prefix lengths used as features.
pub const DEFAULT_PREFIXES: [u8; 4] = [4, 6, 10, 20];

/// Brown cluster paths keyed by normalised-word hash, with the path prefix
/// lengths the model uses as features. Stored inside the model file.
#[derive(Debug, Clone, Default)]
pub struct ClusterTable {
    prefixes: Vec<u8>,
    /// normalised-word hash -> (first `len` path bits, MSB first; `len`)
    paths: IdMap<(u32, u8)>,
}

impl ClusterTable {
    /// Table from word clusters (keys: the words as written in the clusters
    /// file, i.e. normalised) and up to four prefix lengths (1..=24).
    pub fn new(clusters: &WordClusters, prefixes: &[u8]) -> ClusterTable {
        let prefixes: Vec<u8> = prefixes
            .iter()
            .copied()
            .filter(|p| (1..=MAX_PATH as u8).contains(p))
            .take(MAX_PREFIXES)
            .collect();
        let mut paths = IdMap::default();
        for (w, p) in clusters.iter() {
            let len = p.len().min(MAX_PATH);
            let bits = p
                .bytes()
                .take(len)
                .fold(0u32, |b, c| (b << 1) | (c == b'1') as u32);
            paths.insert(hash_str(w), (bits, len as u8));
        }
        ClusterTable { prefixes, paths }
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Prefix hashes of a word (by normalised-word hash); unknown words get
    /// one fixed value per prefix length.
    fn features(&self, norm: u64) -> [u64; MAX_PREFIXES] {
        let mut out = [0u64; MAX_PREFIXES];
        match self.paths.get(&norm) {
            Some(&(bits, len)) => {
                for (o, &p) in out.iter_mut().zip(&self.prefixes) {
                    let m = p.min(len);
                    *o = f2(1, m as u64, (bits >> (len - m)) as u64);
                }
            }
            None => out.iter_mut().for_each(|o| *o = 7),
        }
        out
    }

    fn write(&self, w: &mut Writer) {
        w.u8(self.prefixes.len() as u8);
        self.prefixes.iter().for_each(|p| w.u8(*p));
        let mut rows: Vec<_> = self.paths.iter().collect();
        rows.sort();
        w.u32(rows.len() as u32);
        for (k, (bits, len)) in rows {
            w.u64(*k);
            w.u32(*bits);
            w.u8(*len);
        }
    }

    fn read(r: &mut Reader) -> Result<ClusterTable> {
        let np = r.u8()? as usize;
        if np > MAX_PREFIXES {
            return Err(r.err("too many cluster prefix lengths"));
        }
        let mut prefixes = Vec::with_capacity(np);
        for _ in 0..np {
            let p = r.u8()?;
            if p == 0 || p as usize > MAX_PATH {
                return Err(r.err("bad cluster prefix length"));
            }
            prefixes.push(p);
        }
        let n = r.count(13)?;
        let mut paths = IdMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let k = r.u64()?;
            let bits = r.u32()?;
            let len = r.u8()?;
            if len == 0 || len as usize > MAX_PATH || (len < 32 && bits >> len != 0) {
                return Err(r.err("bad cluster path"));
            }
            paths.insert(k, (bits, len));
        }
        Ok(ClusterTable { prefixes, paths })
    }
}

/// A sentence of (word, NER tag) pairs.
pub type ConllSentence = Vec<(String, String)>;
/// A document: its sentences.
pub type ConllDoc = Vec<ConllSentence>;

/// Reads a CoNLL-2003 file into documents (split at `-DOCSTART-` lines) of
/// sentences of (word, NER tag).
pub fn read_conll2003_docs(path: &Path) -> Result<Vec<ConllDoc>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Data(format!("{}: {e}", path.display())))?;
    let mut docs = vec![Vec::new()];
    let mut start = 0;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("-DOCSTART-") {
            let chunk: Vec<&str> = text.lines().skip(start).take(i - start).collect();
            docs.last_mut().expect("non-empty").extend(parse_conll2003(
                &chunk.join("\n"),
                path,
                start,
            )?);
            docs.push(Vec::new());
            start = i + 1;
        }
    }
    let chunk: Vec<&str> = text.lines().skip(start).collect();
    docs.last_mut()
        .expect("non-empty")
        .extend(parse_conll2003(&chunk.join("\n"), path, start)?);
    docs.retain(|d: &ConllDoc| !d.is_empty());
    Ok(docs)
}

/// Reads a CoNLL-2003 file (`word POS chunk NER`) into sentences of
/// (word, NER tag); `-DOCSTART-` lines are skipped.
pub fn read_conll2003(path: &Path) -> Result<Vec<Vec<(String, String)>>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Data(format!("{}: {e}", path.display())))?;
    parse_conll2003(&text, path, 0)
}

fn parse_conll2003(
    text: &str,
    path: &Path,
    first_line: usize,
) -> Result<Vec<Vec<(String, String)>>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let cols: Vec<&str> = line.split(' ').collect();
        if cols.len() < 2 {
            return Err(Error::Record(RecordError {
                origin: format!("{}:{}", path.display(), first_line + i + 1),
                reason: format!("expected `word ... tag`, found {line:?}"),
            }));
        }
        cur.push((cols[0].to_string(), cols[cols.len() - 1].to_string()));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Entity spans `(start, end_exclusive, type)` of an IOB1 or BIO tag sequence.
pub fn tag_spans(tags: &[&str]) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (bio, ty) = match t.split_once('-') {
            Some((b, ty)) if b == "B" || b == "I" => (b, ty),
            _ => ("O", ""),
        };
        let continues = bio == "I" && open.is_some_and(|(_, o)| o == ty);
        if !continues {
            if let Some((s, o)) = open.take() {
                out.push((s, i, o.to_string()));
            }
            if bio != "O" {
                open = Some((i, ty));
            }
        }
    }
    if let Some((s, o)) = open {
        out.push((s, tags.len(), o.to_string()));
    }
    out
}

/// Per-sentence inputs shared by training and prediction.
struct Prepared {
    h: Vec<WordHashes>,
    pos: Vec<u8>,
    gaz: Vec<u16>,
    caps: bool,
    /// Per word: the run of capitalised words containing it (`start..end`),
    /// empty at the word's index when it is not capitalised.
    runs: Vec<(usize, usize)>,
    /// Gazetteer classes of each whole capitalised run (by run start).
    run_gaz: Vec<u16>,
    /// Extra features of the document stage, word `i`'s at
    /// `extra[extra_at[i]..extra_at[i + 1]]` (both empty for stage 1).
    extra: Vec<u64>,
    extra_at: Vec<u32>,
    /// Static features ([`static_features`]), word `i`'s at
    /// `stat[stat_at[i]..stat_at[i + 1]]`, shared by both stages.
    stat: Vec<u64>,
    stat_at: Vec<u32>,
    /// Cluster prefix hashes per word, padded with two words on each side.
    cl: Vec<[u64; MAX_PREFIXES]>,
}

/// The model's word-level resources: POS tagger, gazetteer, clusters.
struct Resources<'a> {
    tagger: &'a PosTagger,
    gaz: &'a Gazetteer,
    clusters: &'a ClusterTable,
}

/// `pos`: UPOS indices already assigned to the words (`None`: tag them here).
fn prepare(words: &[&str], res: &Resources, pos: Option<Vec<u8>>) -> Prepared {
    let (tagger, gaz) = (res.tagger, res.gaz);
    let letters = words
        .iter()
        .flat_map(|w| w.chars())
        .filter(|c| c.is_alphabetic());
    let caps = letters.clone().count() > 3 && letters.clone().all(char::is_uppercase);
    let cap = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let mut runs = vec![(0, 0); words.len()];
    let mut run_gaz = vec![0u16; words.len()];
    let mut i = 0;
    while i < words.len() {
        if !cap(words[i]) {
            runs[i] = (i, i);
            i += 1;
            continue;
        }
        let s = i;
        while i < words.len() && cap(words[i]) {
            i += 1;
        }
        runs[s..i].iter_mut().for_each(|r| *r = (s, i));
        run_gaz[s] = gaz.lookup(&words[s..i]);
    }
    let h = sentence_hashes(words, tagger.lexicon());
    let cl = if res.clusters.prefixes.is_empty() {
        Vec::new()
    } else {
        let pad = [11u64; MAX_PREFIXES];
        let mut cl = vec![pad, pad];
        cl.extend(
            h[2..h.len() - 2]
                .iter()
                .map(|x| res.clusters.features(x.norm)),
        );
        cl.extend([pad, pad]);
        cl
    };
    let pos = match pos {
        Some(p) if p.len() == words.len() => p,
        _ => tagger.tag_indices(words),
    };
    let mut p = Prepared {
        runs,
        run_gaz,
        extra: Vec::new(),
        extra_at: Vec::new(),
        h,
        pos,
        gaz: gaz.marks(words),
        caps,
        cl,
        stat: Vec::with_capacity(words.len() * 96),
        stat_at: Vec::with_capacity(words.len() + 1),
    };
    let mut stat = std::mem::take(&mut p.stat);
    p.stat_at.push(0);
    for i in 0..words.len() {
        static_features(&p, i, &mut stat);
        p.stat_at.push(stat.len() as u32);
    }
    p.stat = stat;
    p
}

/// All features of word `i` given the two previous labels: the static ones
/// (computed once in [`prepare`]), the document stage's, the label ones.
fn ner_features(p: &Prepared, i: usize, l1: u64, l2: u64, out: &mut Vec<u64>) {
    out.clear();
    out.extend_from_slice(&p.stat[p.stat_at[i] as usize..p.stat_at[i + 1] as usize]);
    if let (Some(a), Some(b)) = (p.extra_at.get(i), p.extra_at.get(i + 1)) {
        out.extend_from_slice(&p.extra[*a as usize..*b as usize]);
    }
    label_features(p, i, l1, l2, out);
}

/// The features that involve the two previous labels.
fn label_features(p: &Prepared, i: usize, l1: u64, l2: u64, out: &mut Vec<u64>) {
    let j = i + 2;
    let w = &p.h[j];
    let pos0 = p.pos.get(i).map_or(PAD_POS as u64, |x| *x as u64);
    let g = p.gaz.get(i).map_or(1 << 20, |x| *x as u64);
    out.push(f1(118, l1));
    out.push(f1(119, l2));
    out.push(f2(120, l1, l2));
    out.push(f2(121, l1, w.norm));
    out.push(f2(122, l1, w.shape));
    out.push(f2(144, l1, pos0));
    out.push(f2(156, l1, g));
    let (rs, re) = p.runs[i];
    if re > rs {
        out.push(f2(176, p.h[re + 1].norm, l1));
    }
    if !p.cl.is_empty() {
        out.push(f2(186, l1, p.cl[j][1]));
    }
}

/// The features that do not depend on earlier labels or the document,
/// appended to `out`.
fn static_features(p: &Prepared, i: usize, out: &mut Vec<u64>) {
    let h = &p.h;
    let j = i + 2;
    let w = &h[j];
    let pos = |k: isize| -> u64 {
        let idx = i as isize + k;
        if idx < 0 || idx as usize >= p.pos.len() {
            PAD_POS as u64
        } else {
            p.pos[idx as usize] as u64
        }
    };
    let gaz = |k: isize| -> u64 {
        let idx = i as isize + k;
        if idx < 0 || idx as usize >= p.gaz.len() {
            1 << 20
        } else {
            p.gaz[idx as usize] as u64
        }
    };
    out.push(f1(100, 0));
    out.push(f1(101, w.norm));
    out.push(f1(102, w.raw));
    for k in 0..4 {
        out.push(f1(103 + k as u64, w.suf[k]));
    }
    for k in 0..3 {
        out.push(f1(107 + k as u64, w.pre[k]));
    }
    out.push(f1(110, w.shape));
    for bit in 0..6u64 {
        if w.flags & (1 << bit) != 0 {
            out.push(f1(111 + bit, 1));
        }
    }
    if i == 0 {
        out.push(f1(117, w.shape));
    }
    for (t, k) in [(123u64, 1usize), (124, 3), (125, 4)] {
        // previous word, next word, word after next
        let x = &h[j + k - 2];
        out.push(f1(t, x.norm));
    }
    out.push(f1(126, h[j - 2].norm));
    out.push(f1(127, h[j - 1].raw));
    out.push(f1(128, h[j + 1].raw));
    out.push(f1(129, h[j - 1].shape));
    out.push(f1(130, h[j + 1].shape));
    out.push(f1(131, h[j - 2].shape));
    out.push(f1(132, h[j + 2].shape));
    out.push(f1(133, h[j - 1].suf[2]));
    out.push(f1(134, h[j + 1].suf[2]));
    out.push(f2(135, h[j - 1].norm, w.norm));
    out.push(f2(136, w.norm, h[j + 1].norm));
    out.push(f2(137, f2(0, h[j - 1].shape, w.shape), h[j + 1].shape));
    out.push(f1(138, pos(0)));
    out.push(f1(139, pos(-1)));
    out.push(f1(140, pos(1)));
    out.push(f2(141, pos(0), w.shape));
    out.push(f2(142, pos(-1), pos(0)));
    out.push(f2(143, pos(0), pos(1)));
    let g = gaz(0);
    for bit in 0..2 * NG as u64 {
        if g & (1 << bit) != 0 {
            out.push(f2(145, bit, 1));
            out.push(f2(153, bit, w.shape));
        }
    }
    out.push(f1(154, gaz(-1)));
    out.push(f1(155, gaz(1)));
    if p.caps {
        out.push(f1(157, 1));
        out.push(f1(158, w.norm));
    }
    out.push(f2(159, w.norm, h[j + 2].norm));
    out.push(f1(160, w.amb));
    out.push(f2(161, w.amb, w.shape));
    let (rs, re) = p.runs[i];
    if re > rs {
        let len = (re - rs).min(5) as u64;
        let at = if i == rs {
            0
        } else if i + 1 == re {
            1
        } else {
            2
        };
        out.push(f2(170, len, at));
        out.push(f1(171, h[rs + 2].norm));
        out.push(f1(172, h[re + 1].norm));
        out.push(f1(173, h[rs + 1].norm));
        out.push(f1(174, h[re + 2].norm));
        out.push(f2(175, p.run_gaz[rs] as u64, at));
    }
    if !p.cl.is_empty() {
        for d in 0..5 {
            for (k, v) in p.cl[i + d].iter().enumerate() {
                out.push(f2(180 + d as u64, k as u64, *v));
            }
        }
        out.push(f2(187, p.cl[j][1], w.shape));
        out.push(f2(188, p.cl[j - 1][1], p.cl[j][1]));
        out.push(f2(189, p.cl[j][1], p.cl[j + 1][1]));
        out.push(f2(190, p.cl[j][2], w.flags as u64 & 12));
    }
}

fn decode_step(scheme: Scheme, scores: &[f32], prev: usize) -> usize {
    let mut best = usize::MAX;
    for (k, s) in scores.iter().enumerate() {
        if scheme.allowed(prev, k) && (best == usize::MAX || *s > scores[best]) {
            best = k;
        }
    }
    best
}

/// Averaged-perceptron NER model with its gazetteer and POS tagger.
///
/// Stage 1 labels one sentence at a time. The optional stage 2 (used by
/// [`NerModel::predict_document`]) adds document features built from stage-1
/// labels of the same word elsewhere in the document; it was trained on
/// jackknifed stage-1 output.
#[derive(Debug, Clone)]
pub struct NerModel {
    scheme: Scheme,
    weights: Weights,
    doc_weights: Option<Weights>,
    gazetteer: Gazetteer,
    clusters: ClusterTable,
    tagger: Arc<PosTagger>,
}

/// Training settings for [`train_ner`].
#[derive(Debug, Clone)]
pub struct NerTrainOptions {
    pub iterations: usize,
    pub prune: f32,
    pub seed: u64,
    /// Folds for the jackknifed stage-1 labels that train stage 2 (0: no stage 2).
    pub doc_folds: usize,
    /// Training runs (shuffle seeds `seed`, `seed + 1`, ...) whose averaged
    /// weights are averaged again into each stage's model.
    pub models: usize,
    /// Also average `models` runs for each jackknife fold (else one run).
    pub fold_models: bool,
    pub scheme: Scheme,
}

impl Default for NerTrainOptions {
    fn default() -> Self {
        NerTrainOptions {
            iterations: 16,
            prune: 0.05,
            seed: 11,
            doc_folds: 4,
            models: 3,
            fold_models: true,
            scheme: Scheme::Bilou,
        }
    }
}

fn decode(scheme: Scheme, weights: &Weights, p: &Prepared) -> Vec<u8> {
    let nl = scheme.len();
    let mut feats = Vec::with_capacity(112);
    let mut out = Vec::with_capacity(p.runs.len());
    let (mut l1, mut l2) = (PAD_LABEL, PAD_LABEL + 1);
    let mut prev = 0usize;
    for i in 0..p.runs.len() {
        ner_features(p, i, l1, l2, &mut feats);
        let mut scores = [0f32; MAX_NL];
        weights.add_scores(&feats, &mut scores[..nl]);
        let g = decode_step(scheme, &scores[..nl], prev);
        out.push(g as u8);
        l2 = l1;
        l1 = g as u64;
        prev = g;
    }
    out
}

/// Mean of `opt.models` runs with consecutive shuffle seeds (one run when
/// `opt.models <= 1`), pruned at `opt.prune` after averaging.
fn train_weights(
    data: &[(&Prepared, &[u8])],
    opt: &NerTrainOptions,
    what: &str,
    models: usize,
) -> Weights {
    if models <= 1 {
        return train_run(data, opt, opt.seed, what).averaged(opt.prune);
    }
    let runs: Vec<Weights> = (0..models)
        .map(|m| {
            train_run(
                data,
                opt,
                opt.seed + m as u64,
                &format!("{what}, run {}", m + 1),
            )
            .averaged(0.0)
        })
        .collect();
    mean_weights(&runs, opt.prune)
}

/// Element-wise mean of several weight tables (a feature missing from a table
/// counts as zero there); values with `|w| < prune` and all-zero features dropped.
fn mean_weights(runs: &[Weights], prune: f32) -> Weights {
    let nc = runs.first().map_or(NER_LABELS.len(), |w| w.nc);
    let mut sum: IdMap<Vec<f32>> = IdMap::default();
    for r in runs {
        for (k, row) in r.rows() {
            let e = sum.entry(k).or_insert_with(|| vec![0.0; nc]);
            e.iter_mut().zip(&row).for_each(|(a, b)| *a += b);
        }
    }
    let scale = 1.0 / runs.len().max(1) as f32;
    let mut rows: Vec<(u64, Vec<f32>)> = sum
        .into_iter()
        .filter_map(|(k, mut row)| {
            row.iter_mut().for_each(|a| {
                *a *= scale;
                if a.abs() < prune {
                    *a = 0.0;
                }
            });
            row.iter().any(|a| *a != 0.0).then_some((k, row))
        })
        .collect();
    rows.sort_unstable_by_key(|r| r.0);
    Weights::from_rows(nc, rows)
}

fn train_run(data: &[(&Prepared, &[u8])], opt: &NerTrainOptions, seed: u64, what: &str) -> Trainer {
    let nl = opt.scheme.len();
    let mut tr = Trainer::new(nl);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = seed.max(1);
    let mut feats = Vec::with_capacity(112);
    let mut scores = [0f32; MAX_NL];
    for it in 0..opt.iterations {
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let (mut right, mut n) = (0usize, 0usize);
        for &si in &order {
            let (p, gold) = data[si];
            let (mut l1, mut l2) = (PAD_LABEL, PAD_LABEL + 1);
            let mut prev = 0usize;
            for (i, g) in gold.iter().enumerate() {
                ner_features(p, i, l1, l2, &mut feats);
                tr.scores(&feats, &mut scores[..nl]);
                let guess = decode_step(opt.scheme, &scores[..nl], prev);
                tr.tick();
                tr.update(&feats, *g as usize, guess);
                right += (guess == *g as usize) as usize;
                n += 1;
                l2 = l1;
                l1 = guess as u64;
                prev = guess;
            }
        }
        if it + 1 == opt.iterations {
            eprintln!(
                "{what}: {} iterations, last train label accuracy {:.4} ({} features)",
                opt.iterations,
                right as f64 / n.max(1) as f64,
                tr.features()
            );
        }
    }
    tr
}

/// One capitalised word occurrence in a document: sentence, word, the
/// normalised previous and next words, stage-1 entity type.
#[derive(Clone, Copy)]
struct Occurrence {
    sentence: usize,
    word: usize,
    prev: u64,
    next: u64,
    ty: usize,
}

/// Most other occurrences whose contexts a word gets as features.
const MAX_CONTEXTS: usize = 6;

/// Document features for every word of every sentence of a document, from
/// stage-1 labels. For a capitalised word: the entity types the same word
/// (exact case) received elsewhere in the document and the majority one; the
/// majority type of its other occurrences in any case (`JANSHER` / `Jansher`);
/// the type of its first occurrence; the words around up to [`MAX_CONTEXTS`]
/// other occurrences; the type of the longest capitalised run (2+ words) holding
/// the word elsewhere, the word's place in it and its length. For every word its
/// own stage-1 label.
fn doc_features(scheme: Scheme, doc: &mut [Prepared], labels: &[Vec<u8>]) {
    // word (raw hash) -> counts per label type (0 = outside, 1..=4 = types)
    let mut counts: IdMap<[u32; 5]> = IdMap::default();
    // lower-case word -> counts per type, occurrences in document order
    let mut lcounts: IdMap<[u32; 5]> = IdMap::default();
    let mut occ: IdMap<Vec<Occurrence>> = IdMap::default();
    let ty = |l: u8| scheme.ty(l);
    // capitalised words: flag bit 2 of `WordHashes` (first character upper case)
    let cap = |w: &WordHashes| w.flags & 4 != 0;
    for (si, (p, ls)) in doc.iter().zip(labels).enumerate() {
        for (wi, l) in ls.iter().enumerate().take(p.h.len() - 4) {
            let w = &p.h[wi + 2];
            if cap(w) {
                counts.entry(w.raw).or_default()[ty(*l)] += 1;
                lcounts.entry(w.norm).or_default()[ty(*l)] += 1;
                occ.entry(w.norm).or_default().push(Occurrence {
                    sentence: si,
                    word: wi,
                    prev: p.h[wi + 1].norm,
                    next: p.h[wi + 3].norm,
                    ty: ty(*l),
                });
            }
        }
    }
    let best_of = |c: &[u32; 5]| {
        c.iter()
            .enumerate()
            .max_by_key(|x| (*x.1, std::cmp::Reverse(x.0)))
            .map_or(0, |x| x.0)
    };
    // lower-case word -> longest capitalised run (2+ words) holding it:
    // (length, sentence, run start, position in run, stage-1 type of its first word)
    let mut longest: IdMap<(usize, usize, usize, usize, usize)> = IdMap::default();
    for (si, (p, ls)) in doc.iter().zip(labels).enumerate() {
        let mut i = 0;
        while i < p.runs.len() {
            let (rs, re) = p.runs[i];
            if re > rs + 1 && rs == i {
                let t = ls.get(rs).map_or(0, |l| ty(*l));
                for k in rs..re {
                    let pos = if k == rs {
                        0
                    } else if k + 1 == re {
                        1
                    } else {
                        2
                    };
                    let e = longest.entry(p.h[k + 2].norm).or_insert((0, 0, 0, 0, 0));
                    if re - rs > e.0 {
                        *e = (re - rs, si, rs, pos, t);
                    }
                }
                i = re;
            } else {
                i += 1;
            }
        }
    }
    for (si, (p, ls)) in doc.iter_mut().zip(labels).enumerate() {
        let f = &mut p.extra;
        f.clear();
        p.extra_at.clear();
        p.extra_at.push(0);
        for (wi, (w, l)) in p.h[2..p.h.len() - 2].iter().zip(ls).enumerate() {
            f.push(f1(200, *l as u64));
            if !cap(w) {
                p.extra_at.push(f.len() as u32);
                continue;
            }
            if let Some(c) = counts.get(&w.raw) {
                let mut c = *c;
                c[ty(*l)] -= 1;
                let others: u32 = c.iter().sum();
                if others > 0 {
                    let best = best_of(&c);
                    f.push(f1(201, best as u64));
                    f.push(f2(202, best as u64, *l as u64));
                    for (k, n) in c.iter().enumerate().skip(1) {
                        if *n > 0 {
                            f.push(f1(203 + k as u64, 1));
                        }
                    }
                } else {
                    f.push(f1(210, 1));
                }
            }
            if let Some(c) = lcounts.get(&w.norm) {
                let mut c = *c;
                c[ty(*l)] -= 1;
                if c.iter().sum::<u32>() > 0 {
                    let best = best_of(&c);
                    f.push(f1(211, best as u64));
                    f.push(f2(212, best as u64, *l as u64));
                }
            }
            if let Some(o) = occ.get(&w.norm) {
                let me = |x: &&Occurrence| (x.sentence, x.word) == (si, wi);
                if let Some(first) = o.first().filter(|x| !me(x)) {
                    f.push(f1(220, first.ty as u64));
                    f.push(f2(221, first.ty as u64, ty(*l) as u64));
                }
                for x in o.iter().filter(|x| !me(x)).take(MAX_CONTEXTS) {
                    f.push(f1(230, x.prev));
                    f.push(f1(231, x.next));
                }
            }
            if let Some(&(len, lsi, rs, pos, t)) = longest.get(&w.norm) {
                // a longer name elsewhere, not the run holding this word
                if (lsi, rs) != (si, p.runs[wi].0) {
                    f.push(f2(260, t as u64, pos as u64));
                    f.push(f2(261, t as u64, ty(*l) as u64));
                    f.push(f2(262, len.min(5) as u64, t as u64));
                }
            }
            p.extra_at.push(f.len() as u32);
        }
    }
}

/// Trains an NER model on documents of (word, IOB1/BIO tag) sentences.
pub fn train_ner(
    docs: &[ConllDoc],
    tagger: Arc<PosTagger>,
    gazetteer: Gazetteer,
    clusters: ClusterTable,
    opt: &NerTrainOptions,
) -> NerModel {
    let words: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| {
            d.iter()
                .map(|s| s.iter().map(|x| x.0.as_str()).collect())
                .collect()
        })
        .collect();
    let gold: Vec<Vec<Vec<u8>>> = docs
        .iter()
        .map(|d| {
            d.iter()
                .map(|s| {
                    opt.scheme
                        .encode(&s.iter().map(|x| x.1.as_str()).collect::<Vec<_>>())
                })
                .collect()
        })
        .collect();
    let mut prepared: Vec<Vec<Prepared>> = words
        .iter()
        .map(|d| {
            let res = Resources {
                tagger: &tagger,
                gaz: &gazetteer,
                clusters: &clusters,
            };
            d.iter().map(|w| prepare(w, &res, None)).collect()
        })
        .collect();
    fn pairs<'a>(
        prepared: &'a [Vec<Prepared>],
        gold: &'a [Vec<Vec<u8>>],
        keep: &dyn Fn(usize) -> bool,
    ) -> Vec<(&'a Prepared, &'a [u8])> {
        let mut v: Vec<(&Prepared, &[u8])> = Vec::new();
        for (di, (pd, gd)) in prepared.iter().zip(gold).enumerate() {
            if keep(di) {
                v.extend(pd.iter().zip(gd.iter().map(Vec::as_slice)));
            }
        }
        v
    }
    let weights = train_weights(
        &pairs(&prepared, &gold, &|_| true),
        opt,
        "stage 1",
        opt.models,
    );
    let mut doc_weights = None;
    if opt.doc_folds >= 2 {
        let k = opt.doc_folds;
        let mut jack: Vec<Vec<Vec<u8>>> = vec![Vec::new(); docs.len()];
        for fold in 0..k {
            let w = train_weights(
                &pairs(&prepared, &gold, &|d| d % k != fold),
                opt,
                &format!("stage 1, fold {}", fold + 1),
                if opt.fold_models { opt.models } else { 1 },
            );
            for (di, pd) in prepared.iter().enumerate() {
                if di % k == fold {
                    jack[di] = pd.iter().map(|p| decode(opt.scheme, &w, p)).collect();
                }
            }
        }
        for (pd, jd) in prepared.iter_mut().zip(&jack) {
            doc_features(opt.scheme, pd, jd);
        }
        doc_weights = Some(train_weights(
            &pairs(&prepared, &gold, &|_| true),
            opt,
            "stage 2",
            opt.models,
        ));
    }
    NerModel {
        scheme: opt.scheme,
        weights,
        doc_weights,
        gazetteer,
        clusters,
        tagger,
    }
}

impl NerModel {
    /// Loads `data_dir/models/ner-conll.bin` and the POS model it uses
    /// (`data_dir/models/pos-ewt.bin`, loaded here).
    pub fn load(data_dir: &Path) -> Result<NerModel> {
        Self::load_with(data_dir, Arc::new(PosTagger::load(data_dir)?))
    }

    /// Loads `data_dir/models/ner-conll.bin` using an already loaded POS
    /// tagger (share the pipeline's one: the model was trained with
    /// `pos-ewt.bin`, so pass that model).
    pub fn load_with(data_dir: &Path, tagger: Arc<PosTagger>) -> Result<NerModel> {
        let path = data_dir.join("models").join(NER_MODEL_FILE);
        let bytes = crate::tagger::binio::read_model(&path)?;
        Self::from_bytes(&bytes, &path.display().to_string(), tagger)
    }

    /// The POS tagger the model uses.
    pub fn pos_tagger(&self) -> &Arc<PosTagger> {
        &self.tagger
    }

    /// Decodes a model written by [`NerModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8], origin: &str, tagger: Arc<PosTagger>) -> Result<NerModel> {
        let mut r = Reader::new(bytes, origin);
        let magic = r.take(8)?;
        let nl = if magic == MAGIC {
            r.u32()? as usize
        } else if magic == MAGIC_V4 {
            NER_LABELS.len()
        } else {
            return Err(r.err("not a chronicle NER model (bad magic)"));
        };
        let scheme = [Scheme::Bio, Scheme::Bilou]
            .into_iter()
            .find(|s| s.len() == nl)
            .ok_or_else(|| r.err(&format!("{nl} labels: neither BIO nor BILOU")))?;
        for l in scheme.labels() {
            if r.str()? != *l {
                return Err(r.err("label set differs"));
            }
        }
        let weights = Weights::read(&mut r, nl)?;
        let doc_weights = match r.u8()? {
            0 => None,
            1 => Some(Weights::read(&mut r, nl)?),
            _ => return Err(r.err("bad stage-2 flag")),
        };
        let gazetteer = Gazetteer::read(&mut r)?;
        let clusters = ClusterTable::read(&mut r)?;
        if !r.at_end() {
            return Err(r.err("trailing bytes after the model"));
        }
        Ok(NerModel {
            scheme,
            weights,
            doc_weights,
            gazetteer,
            clusters,
            tagger,
        })
    }

    /// Encodes the weights and gazetteer (not the POS tagger).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(MAGIC);
        w.u32(self.scheme.len() as u32);
        for l in self.scheme.labels() {
            w.str(l);
        }
        self.weights.write(&mut w);
        match &self.doc_weights {
            Some(d) => {
                w.u8(1);
                d.write(&mut w);
            }
            None => w.u8(0),
        }
        self.gazetteer.write(&mut w);
        self.clusters.write(&mut w);
        w.buf
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        crate::tagger::binio::write_model(path, &self.to_bytes())
    }

    /// (weighted features of stage 1 + stage 2, gazetteer phrases, cluster words)
    pub fn stats(&self) -> (usize, usize, usize) {
        let d = self.doc_weights.as_ref().map_or(0, Weights::len);
        (
            self.weights.len() + d,
            self.gazetteer.len(),
            self.clusters.len(),
        )
    }

    fn resources(&self) -> Resources<'_> {
        Resources {
            tagger: &self.tagger,
            gaz: &self.gazetteer,
            clusters: &self.clusters,
        }
    }

    /// The model's label scheme: label indices point into `scheme().labels()`.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Stage-1 label indices (into `scheme().labels()`) for one sentence.
    pub fn labels(&self, words: &[&str]) -> Vec<u8> {
        decode(
            self.scheme,
            &self.weights,
            &prepare(words, &self.resources(), None),
        )
    }

    /// BIO label indices for every sentence of a document (stage 2 when the
    /// model has one).
    pub fn document_labels(&self, sentences: &[Vec<&str>]) -> Vec<Vec<u8>> {
        self.document_labels_with_pos(sentences, None)
    }

    /// As [`NerModel::document_labels`], with the sentences' UPOS tags (indices
    /// into [`crate::tagger::UPOS`]) already assigned, e.g. by the pipeline's
    /// POS stage; a sentence whose tag count differs from its word count is
    /// tagged here.
    pub fn document_labels_with_pos(
        &self,
        sentences: &[Vec<&str>],
        pos: Option<&[Vec<u8>]>,
    ) -> Vec<Vec<u8>> {
        let res = self.resources();
        let mut prepared: Vec<Prepared> = sentences
            .iter()
            .enumerate()
            .map(|(i, w)| prepare(w, &res, pos.and_then(|p| p.get(i)).cloned()))
            .collect();
        let first: Vec<Vec<u8>> = prepared
            .iter()
            .map(|p| decode(self.scheme, &self.weights, p))
            .collect();
        let Some(dw) = &self.doc_weights else {
            return first;
        };
        doc_features(self.scheme, &mut prepared, &first);
        prepared
            .iter()
            .map(|p| decode(self.scheme, dw, p))
            .collect()
    }

    /// Entity spans `(first token, end token exclusive, kind)` of one sentence
    /// (stage 1 only: no document context).
    pub fn predict(&self, words: &[&str]) -> Vec<(usize, usize, EntityKind)> {
        label_spans(self.scheme, &self.labels(words))
    }

    /// Entity spans per sentence of a whole document, using the document
    /// stage (same word labelled elsewhere in the document) when present.
    pub fn predict_document(
        &self,
        sentences: &[Vec<&str>],
    ) -> Vec<Vec<(usize, usize, EntityKind)>> {
        self.predict_document_with_pos(sentences, None)
    }

    /// As [`NerModel::predict_document`], with UPOS tag indices per sentence
    /// already assigned (`None`: tag here).
    pub fn predict_document_with_pos(
        &self,
        sentences: &[Vec<&str>],
        pos: Option<&[Vec<u8>]>,
    ) -> Vec<Vec<(usize, usize, EntityKind)>> {
        self.document_labels_with_pos(sentences, pos)
            .iter()
            .map(|l| label_spans(self.scheme, l))
            .collect()
    }
}

fn label_spans(scheme: Scheme, labels: &[u8]) -> Vec<(usize, usize, EntityKind)> {
    let labels: Vec<&str> = labels.iter().map(|l| scheme.bio_tag(*l)).collect();
    tag_spans(&labels)
        .into_iter()
        .map(|(s, e, ty)| {
            let kind = match ty.as_str() {
                "PER" => EntityKind::Per,
                "ORG" => EntityKind::Org,
                "LOC" => EntityKind::Loc,
                _ => EntityKind::Misc,
            };
            (s, e, kind)
        })
        .collect()
}

/// Exact-match entity counts per type: (true positives, predicted, gold).
/// With `documents`, each document is labelled as a whole
/// ([`NerModel::document_labels`]); otherwise sentence by sentence.
pub fn evaluate(
    model: &NerModel,
    docs: &[ConllDoc],
    documents: bool,
) -> HashMap<String, [usize; 3]> {
    let mut c: HashMap<String, [usize; 3]> = HashMap::new();
    for d in docs {
        let words: Vec<Vec<&str>> = d
            .iter()
            .map(|s| s.iter().map(|x| x.0.as_str()).collect())
            .collect();
        let labels = if documents {
            model.document_labels(&words)
        } else {
            words.iter().map(|w| model.labels(w)).collect()
        };
        for (s, l) in d.iter().zip(labels) {
            let tags: Vec<&str> = s.iter().map(|x| x.1.as_str()).collect();
            let gold = tag_spans(&tags);
            let pred: Vec<&str> = l.iter().map(|x| model.scheme.bio_tag(*x)).collect();
            let pred = tag_spans(&pred);
            for g in &gold {
                c.entry(g.2.clone()).or_default()[2] += 1;
            }
            for p in &pred {
                let e = c.entry(p.2.clone()).or_default();
                e[1] += 1;
                if gold.contains(p) {
                    e[0] += 1;
                }
            }
        }
    }
    c
}

/// Per-type and micro precision / recall / F1 table of [`evaluate`] counts.
pub fn score_table(c: &HashMap<String, [usize; 3]>) -> String {
    let prf = |x: [usize; 3]| {
        let p = x[0] as f64 / x[1].max(1) as f64;
        let r = x[0] as f64 / x[2].max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (100.0 * p, 100.0 * r, 100.0 * f)
    };
    let mut all = [0usize; 3];
    let mut keys: Vec<_> = c.keys().collect();
    keys.sort();
    let mut out = String::from("type        P      R     F1   (gold)\n");
    for k in keys {
        let x = c[k];
        (0..3).for_each(|i| all[i] += x[i]);
        let (p, r, f) = prf(x);
        out += &format!("{k:<6} {p:6.2} {r:6.2} {f:6.2}  ({})\n", x[2]);
    }
    let (p, r, f) = prf(all);
    out += &format!("micro  {p:6.2} {r:6.2} {f:6.2}  ({})\n", all[2]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_from_iob1_and_bio() {
        let t = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG", "B-MISC"];
        assert_eq!(
            tag_spans(&t),
            vec![
                (0, 2, "PER".to_string()),
                (3, 4, "LOC".to_string()),
                (4, 5, "LOC".to_string()),
                (5, 6, "ORG".to_string()),
                (6, 7, "MISC".to_string()),
            ]
        );
        let bio = Scheme::Bio;
        assert_eq!(bio.encode(&["I-ORG", "I-ORG", "O"]), vec![3, 4, 0]);
        assert!(!bio.allowed(0, 2));
        assert!(bio.allowed(1, 2));
        assert!(!bio.allowed(3, 2));
        let bilou = Scheme::Bilou;
        let t = ["I-ORG", "I-ORG", "I-ORG", "O", "I-PER", "B-PER"];
        let l = bilou.encode(&t);
        assert_eq!(l, vec![5, 6, 7, 0, 4, 4]);
        let back: Vec<&str> = l.iter().map(|x| bilou.bio_tag(*x)).collect();
        assert_eq!(tag_spans(&back), tag_spans(&t));
        assert!(bilou.allowed(0, 5) && bilou.allowed(5, 6) && bilou.allowed(6, 7));
        assert!(!bilou.allowed(5, 0) && !bilou.allowed(5, 10) && !bilou.allowed(0, 6));
        assert!(bilou.allowed(7, 4) && bilou.allowed(4, 0) && !bilou.allowed(4, 6));
        // mean of two weight tables: a missing feature counts as zero
        let a = Weights::from_rows(2, vec![(1, vec![1.0, 2.0]), (2, vec![0.08, 0.0])]);
        let b = Weights::from_rows(2, vec![(1, vec![3.0, 0.0])]);
        let m: HashMap<u64, Vec<f32>> = mean_weights(&[a, b], 0.05).rows().collect();
        assert_eq!(
            m.len(),
            1,
            "feature 2 averages to 0.04 and is pruned: {m:?}"
        );
        assert_eq!(m[&1], vec![2.0, 1.0]);
        let mut c = HashMap::new();
        c.insert("PER".to_string(), [1, 2, 4]);
        let t = score_table(&c);
        assert!(t.contains("PER     50.00  25.00  33.33  (4)"), "{t}");
    }

    #[test]
    fn gazetteer_marks_phrases() {
        let mut g = Gazetteer::default();
        g.add("United Nations", 1);
        g.add("Côte d'Ivoire", 2);
        let m = g.marks(&["the", "UNITED", "Nations", "and", "côte", "d'Ivoire"]);
        assert_eq!(m, vec![0, 2, 2 << NG, 0, 4, 4 << NG]);
        // nested phrases, non-ASCII upper case, a token holding a space
        g.add("New York", 2);
        g.add("New York Times", 1);
        g.add("ÉCOLE", 3);
        let m = g.marks(&["NEW", "York", "Times", "école", "new york"]);
        assert_eq!(m, vec![2 | 4, (2 | 4) << NG, 2 << NG, 8, 4]);
        assert_eq!(g.lookup(&["New", "York"]), 4);
        assert_eq!(g.lookup(&["New"]), 0, "a prefix alone is no phrase");
        assert_eq!(g.lookup(&["new york", "times"]), 2);
        // the stored phrases come back with the same matches
        let mut w = Writer::default();
        g.write(&mut w);
        let back = Gazetteer::read(&mut Reader::new(&w.buf, "gaz")).unwrap();
        assert_eq!(
            back.marks(&["NEW", "York", "Times"]),
            g.marks(&["NEW", "York", "Times"])
        );
        assert_eq!(back.len(), g.len());
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let g = Gazetteer::from_data_dir(&data).unwrap();
        assert!(g.len() > 500);
        assert_ne!(g.marks(&["Syria"])[0] & 4, 0);
    }

    #[test]
    fn shipped_model_finds_entities() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        if !data.join("models").join(NER_MODEL_FILE).exists() {
            println!("skipping: no shipped NER model");
            return;
        }
        let m = NerModel::load(&data).unwrap();
        let words = [
            "Angela",
            "Merkel",
            "met",
            "officials",
            "of",
            "the",
            "European",
            "Union",
            "in",
            "Paris",
            "on",
            "Monday",
            ".",
        ];
        let got = m.predict(&words);
        assert!(got.contains(&(0, 2, EntityKind::Per)), "{got:?}");
        assert!(got.contains(&(6, 8, EntityKind::Org)), "{got:?}");
        assert!(got.contains(&(9, 10, EntityKind::Loc)), "{got:?}");
        assert!(m.predict(&[]).is_empty());
        let doc = vec![
            words.to_vec(),
            vec!["Merkel", "later", "left", "Paris", "."],
            vec![],
        ];
        let d = m.predict_document(&doc);
        assert_eq!(d.len(), 3);
        assert!(d[0].contains(&(0, 2, EntityKind::Per)), "{d:?}");
        assert!(d[1].contains(&(0, 1, EntityKind::Per)), "{d:?}");
        assert!(d[1].contains(&(3, 4, EntityKind::Loc)), "{d:?}");
        assert!(d[2].is_empty());
        let bytes = m.to_bytes();
        assert!(NerModel::from_bytes(&bytes[..bytes.len() - 3], "cut", m.tagger.clone()).is_err());
        let back = NerModel::from_bytes(&bytes, "rt", m.tagger.clone()).unwrap();
        assert_eq!(back.stats(), m.stats());
        assert_eq!(back.document_labels(&doc), m.document_labels(&doc));
        // a BIO model, also in the version-4 layout (no label count)
        let bio = NerModel {
            scheme: Scheme::Bio,
            weights: Weights::from_rows(9, vec![(f1(100, 0), vec![0.0; 9])]),
            doc_weights: None,
            gazetteer: Gazetteer::default(),
            clusters: ClusterTable::default(),
            tagger: m.tagger.clone(),
        };
        let v5 = bio.to_bytes();
        let mut v4 = MAGIC_V4.to_vec();
        v4.extend_from_slice(&v5[12..]);
        for bytes in [v5, v4] {
            let back = NerModel::from_bytes(&bytes, "bio", m.tagger.clone()).unwrap();
            assert_eq!(back.scheme(), Scheme::Bio);
            assert_eq!(back.labels(&words).len(), words.len());
        }
        let mut bad = bio.to_bytes();
        bad[8] = 5; // five labels: neither scheme
        assert!(NerModel::from_bytes(&bad, "bad", m.tagger.clone()).is_err());
        // external POS tags give the same labels as tagging inside
        let pos: Vec<Vec<u8>> = doc.iter().map(|s| m.tagger.tag_indices(s)).collect();
        assert_eq!(
            m.document_labels_with_pos(&doc, Some(&pos)),
            m.document_labels(&doc)
        );
    }
}
