//! Greedy transition-based dependency parser (arc-eager, averaged perceptron),
//! trained on UD English-EWT.
//!
//! Takes a sentence's words and UPOS tags (from [`PosTagger`](crate::PosTagger))
//! and gives, per word, its head (index in the sentence, `None` for the root)
//! and a Universal Dependencies relation (`nsubj`, `obj`, `obl`, `nsubj:pass`,
//! `aux:pass`, `advmod`, ...). [`DepParser::parse_sentence`] does the same for
//! one sentence of a [`Document`] in place; as a [`Stage`] named `"parse"` it
//! fills `Token.head` (document token index) and `Token.deprel` sentence by
//! sentence.
//!
//! Transitions are scored by one averaged perceptron over Zhang & Nivre
//! (2011) feature templates plus word-cluster and ambiguity-class features;
//! the relation of each new arc by a second one. Training uses the arc-eager
//! dynamic oracle with error exploration, so non-projective training trees
//! are used as they are. The weights live in cache-friendly frozen tables
//! (`table.rs`). The model lives in `data/models/parser-ewt.bin`, built with
//! `PARSER_MODELS=3 cargo run --release -p chronicle-nlp --example train_parser -- <ud-ewt dir> data/models 10 0.5 jackknife`
//! (see `data/models/README.md`).

mod system;
mod table;
mod train;

pub use train::{train_parser, train_parser_prunes, ParserTrainOptions};

use crate::tagger::binio::{Reader, Writer};
use crate::tagger::features::{hash_str, normalise, IdMap};
use crate::tagger::perceptron::Weights;
use crate::tagger::upos_index;
use chronicle_core::{Document, Error, Result, Stage};
use std::path::Path;
use system::{Sent, State, LEFT, RIGHT, SHIFT};
use table::{ActTable, LabTable};

/// Dependency relations the model can give (UD v2 English-EWT inventory).
pub const DEPRELS: [&str; 58] = [
    "root",
    "punct",
    "case",
    "nsubj",
    "det",
    "advmod",
    "obj",
    "amod",
    "obl",
    "conj",
    "compound",
    "mark",
    "nmod",
    "cc",
    "aux",
    "cop",
    "advcl",
    "nmod:poss",
    "xcomp",
    "ccomp",
    "acl:relcl",
    "flat",
    "parataxis",
    "nummod",
    "appos",
    "acl",
    "aux:pass",
    "nsubj:pass",
    "obl:unmarked",
    "nmod:unmarked",
    "discourse",
    "compound:prt",
    "iobj",
    "list",
    "expl",
    "fixed",
    "nmod:desc",
    "obl:agent",
    "csubj",
    "nsubj:outer",
    "det:predet",
    "vocative",
    "goeswith",
    "advcl:relcl",
    "cc:preconj",
    "reparandum",
    "orphan",
    "csubj:pass",
    "dislocated",
    "dep",
    "csubj:outer",
    "obl:npmod",
    "obl:tmod",
    "nmod:npmod",
    "nmod:tmod",
    "flat:foreign",
    "clf",
    "det:poss",
];
const MAGIC: &[u8; 8] = b"CHRDEP\x06\x00";
/// Previous format (32-bit fingerprints, 4 weights per transition slot),
/// still read.
const MAGIC_V5: &[u8; 8] = b"CHRDEP\x05\x00";
/// File name of the shipped model inside `data/models/`.
pub const PARSER_MODEL_FILE: &str = "parser-ewt.bin";

/// Index of a relation in [`DEPRELS`]; unknown subtypes fall back to their
/// base relation, anything else to `dep`.
pub fn label_index(rel: &str) -> Option<u8> {
    let find = |r: &str| DEPRELS.iter().position(|d| *d == r).map(|i| i as u8);
    find(rel)
        .or_else(|| rel.split(':').next().and_then(find))
        .or_else(|| find("dep"))
}

/// Word hashes, UPOS indices, ambiguity classes and word clusters of a sentence.
pub(crate) fn sentence_input(
    words: &[&str],
    upos: &[&str],
    lexicon: &IdMap<u32>,
    clusters: &IdMap<u32>,
) -> Sent {
    let mut w = Vec::with_capacity(words.len());
    let mut x = Vec::with_capacity(words.len());
    for word in words {
        let n = normalise(word);
        w.push(hash_str(&n));
        x.push(suffix_hash(word, &n));
    }
    let a: Vec<u64> = w
        .iter()
        .map(|h| lexicon.get(h).map_or(0x5eed_0000_0000_00aa, |m| *m as u64))
        .collect();
    let c: Vec<u32> = w
        .iter()
        .map(|h| clusters.get(h).copied().unwrap_or(0))
        .collect();
    let p: Vec<u64> = (0..words.len())
        .map(|i| {
            upos.get(i)
                .and_then(|t| upos_index(t))
                .map_or(17, |x| x as u64)
        })
        .collect();
    Sent::new(&w, &p, &x, &a, &c)
}

/// Cluster code of a bit-string path (`"0110"`): the bits below a leading 1;
/// `None` for an empty, too long or non-binary path.
pub fn cluster_code(path: &str) -> Option<u32> {
    if path.is_empty() || path.len() > 30 {
        return None;
    }
    path.bytes().try_fold(1u32, |c, b| match b {
        b'0' => Some(c << 1),
        b'1' => Some(c << 1 | 1),
        _ => None,
    })
}

/// Hash of a word's last three characters (lower-cased) and its capitalisation;
/// `n` is the normalised word.
fn suffix_hash(w: &str, n: &str) -> u64 {
    let cut = n.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
    let cap = match w.chars().next() {
        Some(c) if c.is_uppercase() => 1u64,
        Some(c) if c.is_alphabetic() => 2,
        Some(c) if c.is_numeric() => 3,
        Some(_) => 4,
        None => 5,
    };
    hash_str(&n[cut..]) ^ cap.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Arc-eager dependency parser. Immutable after loading; one instance serves
/// every thread.
#[derive(Debug, Clone)]
pub struct DepParser {
    actions: ActTable,
    labels: LabTable,
    /// Normalised-word hash -> bit set of the UPOS tags it had in training
    /// (words seen at least twice).
    lexicon: IdMap<u32>,
    /// Normalised-word hash -> Brown cluster code (see [`cluster_code`]).
    clusters: IdMap<u32>,
}

/// Largest decompressed model body accepted (protects the allocation).
const MAX_BODY: u64 = 1 << 28;

impl DepParser {
    pub(crate) fn from_parts(
        actions: Weights,
        labels: Weights,
        lexicon: IdMap<u32>,
        clusters: IdMap<u32>,
    ) -> Self {
        DepParser {
            actions: ActTable::from_weights(&actions),
            labels: LabTable::from_weights(&labels),
            lexicon,
            clusters,
        }
    }

    /// Loads `data_dir/models/parser-ewt.bin`.
    pub fn load(data_dir: &Path) -> Result<DepParser> {
        Self::load_file(&data_dir.join("models").join(PARSER_MODEL_FILE))
    }

    /// Loads a model file written by [`DepParser::save`].
    pub fn load_file(path: &Path) -> Result<DepParser> {
        let bytes = crate::tagger::binio::read_model(path)?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    /// Decodes a model; `origin` names it in errors.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<DepParser> {
        let mut r = Reader::new(bytes, origin);
        let magic = r.take(8)?;
        let v5 = magic == MAGIC_V5;
        if magic != MAGIC && !v5 {
            return Err(r.err("not a chronicle parser model of this version (bad magic)"));
        }
        let len = r.u64()?;
        if len > MAX_BODY {
            return Err(r.err(&format!("model body of {len} bytes is too large")));
        }
        let rest = r.take(bytes.len() - 16)?;
        let body = zstd::bulk::decompress(rest, len as usize)
            .map_err(|e| r.err(&format!("model body does not decompress: {e}")))?;
        if body.len() as u64 != len {
            return Err(r.err("model body has the wrong length"));
        }
        let mut r = Reader::new(&body, origin);
        let nl = r.u32()? as usize;
        if nl != DEPRELS.len() {
            return Err(r.err(&format!(
                "model has {nl} relations, expected {}",
                DEPRELS.len()
            )));
        }
        for d in DEPRELS {
            if r.str()? != d {
                return Err(r.err("relation set differs from this build"));
            }
        }
        let actions = if v5 {
            ActTable::read_v5(&mut r)?
        } else {
            ActTable::read(&mut r)?
        };
        let labels = LabTable::read(&mut r, DEPRELS.len())?;
        let nl = r.count(12)?;
        let mut lexicon = IdMap::with_capacity_and_hasher(nl, Default::default());
        for _ in 0..nl {
            let k = r.u64()?;
            lexicon.insert(k, r.u32()?);
        }
        let nc = r.count(12)?;
        let mut clusters = IdMap::with_capacity_and_hasher(nc, Default::default());
        for _ in 0..nc {
            let k = r.u64()?;
            clusters.insert(k, r.u32()?);
        }
        if !r.at_end() {
            return Err(r.err("trailing bytes after the model"));
        }
        Ok(DepParser {
            actions,
            labels,
            lexicon,
            clusters,
        })
    }

    /// Encodes the model: magic, body length, zstd-compressed body (relation
    /// list, the two weight tables exactly as laid out in memory, lexicon).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u32(DEPRELS.len() as u32);
        for d in DEPRELS {
            w.str(d);
        }
        self.actions.write(&mut w);
        self.labels.write(&mut w);
        let mut lex: Vec<_> = self.lexicon.iter().collect();
        lex.sort();
        w.u32(lex.len() as u32);
        for (k, m) in lex {
            w.u64(*k);
            w.u32(*m);
        }
        let mut cl: Vec<_> = self.clusters.iter().collect();
        cl.sort();
        w.u32(cl.len() as u32);
        for (k, c) in cl {
            w.u64(*k);
            w.u32(*c);
        }
        let packed = zstd::bulk::compress(&w.buf, 9).expect("zstd compresses a buffer");
        let mut out = Vec::with_capacity(packed.len() + 16);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(w.buf.len() as u64).to_le_bytes());
        out.extend_from_slice(&packed);
        out
    }

    /// Writes the model to `path`.
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::tagger::binio::write_model(path, &self.to_bytes())
    }

    /// Number of weighted features (transition model, relation model).
    pub fn stats(&self) -> (usize, usize) {
        (self.actions.len(), self.labels.len())
    }

    /// Parses one sentence. `upos[i]` is the UPOS tag of `words[i]` (missing
    /// or unknown tags are allowed but hurt accuracy). Gives per word its
    /// head (`None` = root of the sentence) and relation. Exactly one word is
    /// the root of a non-empty sentence.
    pub fn parse(&self, words: &[&str], upos: &[&str]) -> Vec<(Option<usize>, &'static str)> {
        if words.is_empty() {
            return Vec::new();
        }
        let sent = sentence_input(words, upos, &self.lexicon, &self.clusters);
        let n = words.len();
        let root = 0usize; // index of "root" in DEPRELS
        let mut st = State::new(n);
        let mut feats = Vec::with_capacity(160);
        let mut lsc = [0i32; 64];
        while !st.done() {
            let valid = st.valid();
            let a = if valid.iter().filter(|v| **v).count() == 1 {
                valid.iter().position(|v| *v).unwrap_or(SHIFT)
            } else {
                st.features(&sent, &mut feats);
                let sc = self.actions.scores(&feats);
                let mut a = SHIFT;
                let mut best = i32::MIN;
                for (i, s) in sc.iter().enumerate() {
                    if valid[i] && *s > best {
                        best = *s;
                        a = i;
                    }
                }
                a
            };
            let mut l = 0u8;
            if a == LEFT || a == RIGHT {
                let s0 = st.s0();
                let (h, d) = if a == LEFT { (st.b, s0) } else { (s0, st.b) };
                if h == 0 {
                    l = root as u8;
                } else {
                    st.label_features(&sent, h, d, &mut feats);
                    lsc.iter_mut().for_each(|s| *s = 0);
                    self.labels.add_scores(&feats, &mut lsc);
                    let mut bl = i32::MIN;
                    for (i, s) in lsc[..DEPRELS.len()].iter().enumerate() {
                        if i != root && *s > bl {
                            bl = *s;
                            l = i as u8;
                        }
                    }
                }
            }
            st.apply(a, l);
        }
        // Unattached words: the first becomes the root when ROOT has no child,
        // the rest attach to the root word.
        let mut root_word = (1..=n).find(|&i| st.head_of(i) == Some(0));
        let mut out = Vec::with_capacity(n);
        for i in 1..=n {
            match st.head_of(i) {
                Some(0) => out.push((None, DEPRELS[root])),
                Some(h) => out.push((Some(h - 1), DEPRELS[st.label[i] as usize])),
                None => match root_word {
                    None => {
                        root_word = Some(i);
                        out.push((None, DEPRELS[root]));
                    }
                    Some(r) => {
                        let rel = if upos.get(i - 1) == Some(&"PUNCT") {
                            "punct"
                        } else {
                            "dep"
                        };
                        out.push((Some(r - 1), rel));
                    }
                },
            }
        }
        out
    }
}

impl DepParser {
    /// Parses sentence `sentence` of `doc` in place: fills `head` (document
    /// token index, `None` for the sentence root) and `deprel` of its tokens
    /// and leaves every other token alone. Needs `Token.pos` on the
    /// sentence's tokens (run the POS tagger first). Errors name the document
    /// and the reason (no such sentence, bad token range or span, missing POS).
    pub fn parse_sentence(&self, doc: &mut Document, sentence: usize) -> Result<()> {
        let err = |reason: String| Error::Stage {
            stage: "parse",
            reason: format!("document {}: {reason}", doc.id),
        };
        let n = doc.tokens.len();
        let Some(s) = doc.sentences.get(sentence) else {
            return Err(err(format!(
                "no sentence {sentence} (document has {})",
                doc.sentences.len()
            )));
        };
        let r = s.tokens.clone();
        if r.start > r.end || r.end > n {
            return Err(err(format!(
                "sentence {sentence} token range {r:?} outside {n} tokens"
            )));
        }
        let mut words = Vec::with_capacity(r.len());
        let mut tags = Vec::with_capacity(r.len());
        for ti in r.clone() {
            let t = &doc.tokens[ti];
            let w = doc.text.get(t.span.start..t.span.end).ok_or_else(|| {
                err(format!(
                    "token {ti} span {}..{} is not a text slice",
                    t.span.start, t.span.end
                ))
            })?;
            let p = t.pos.as_deref().ok_or_else(|| {
                err(format!(
                    "token {ti} has no POS tag (run the POS tagger before the parser)"
                ))
            })?;
            words.push(w);
            tags.push(p);
        }
        let parsed = self.parse(&words, &tags);
        let start = r.start;
        for (ti, (h, rel)) in r.zip(parsed) {
            let tok = &mut doc.tokens[ti];
            tok.head = h.map(|h| start + h);
            tok.deprel = Some(rel.to_string());
        }
        Ok(())
    }
}

impl Stage for DepParser {
    fn name(&self) -> &'static str {
        "parse"
    }

    /// Parses each sentence with [`DepParser::parse_sentence`]; fills `head`
    /// (document token index, `None` for the sentence root) and `deprel` of
    /// its tokens. Requires `Token.pos`.
    fn process(&self, doc: &mut Document) -> Result<()> {
        for si in 0..doc.sentences.len() {
            self.parse_sentence(doc, si)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PosTagger, Tokenizer};
    use chronicle_core::Metadata;
    use std::sync::OnceLock;

    fn data() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
    }

    fn parser() -> Option<&'static DepParser> {
        static P: OnceLock<Option<DepParser>> = OnceLock::new();
        P.get_or_init(|| {
            let path = data().join("models").join(PARSER_MODEL_FILE);
            if !path.exists() {
                eprintln!("skipping: {} not found", path.display());
                return None;
            }
            Some(DepParser::load(&data()).expect("shipped parser model loads"))
        })
        .as_ref()
    }

    fn tagger() -> Option<&'static PosTagger> {
        static T: OnceLock<Option<PosTagger>> = OnceLock::new();
        T.get_or_init(|| PosTagger::load(&data()).ok()).as_ref()
    }

    #[test]
    fn parses_a_transitive_sentence() {
        let Some(p) = parser() else { return };
        let words = ["The", "rebels", "attacked", "the", "town", "."];
        let tags = ["DET", "NOUN", "VERB", "DET", "NOUN", "PUNCT"];
        let out = p.parse(&words, &tags);
        assert_eq!(out.len(), 6);
        assert_eq!(out[2], (None, "root"));
        assert_eq!(out[1], (Some(2), "nsubj"));
        assert_eq!(out[4], (Some(2), "obj"));
        assert_eq!(out[0], (Some(1), "det"));
        assert_eq!(out[5], (Some(2), "punct"));
    }

    #[test]
    fn passive_and_negation() {
        let Some(p) = parser() else { return };
        let words = ["The", "town", "was", "not", "attacked", "by", "rebels", "."];
        let tags = ["DET", "NOUN", "AUX", "PART", "VERB", "ADP", "NOUN", "PUNCT"];
        let out = p.parse(&words, &tags);
        assert_eq!(out[4], (None, "root"));
        assert_eq!(out[1], (Some(4), "nsubj:pass"));
        assert_eq!(out[2], (Some(4), "aux:pass"));
        assert_eq!(out[3], (Some(4), "advmod"));
        assert_eq!(out[6], (Some(4), "obl:agent"), "{out:?}");
        assert_eq!(out[5], (Some(6), "case"), "{out:?}");
    }

    #[test]
    fn every_sentence_is_a_tree_with_one_root() {
        let Some(p) = parser() else { return };
        for (w, t) in [
            (vec!["Yes"], vec!["INTJ"]),
            (vec![",", ",", ","], vec!["PUNCT", "PUNCT", "PUNCT"]),
            (vec!["a", "b", "c", "d"], vec!["X", "", "BOGUS", "NOUN"]),
            (vec!["Go", "home"], vec![]),
        ] {
            let out = p.parse(&w, &t);
            assert_eq!(out.len(), w.len());
            assert_eq!(out.iter().filter(|(h, _)| h.is_none()).count(), 1, "{w:?}");
            for (i, (h, _)) in out.iter().enumerate() {
                // following heads from i reaches the root without a cycle
                let (mut cur, mut steps) = (Some(i), 0);
                while let Some(c) = cur {
                    assert!(c < w.len());
                    cur = out[c].0;
                    steps += 1;
                    assert!(steps <= w.len(), "cycle in {w:?}: {out:?}");
                }
                assert_ne!(*h, Some(i));
            }
        }
        assert!(p.parse(&[], &[]).is_empty());
    }

    #[test]
    fn stage_fills_heads_and_requires_pos() {
        let Some(p) = parser() else { return };
        let Some(t) = tagger() else {
            eprintln!("skipping: POS model not found");
            return;
        };
        let text = "Police arrested two men. They were charged with murder.";
        let mut doc = Document::new("d7", Metadata::default(), text.into());
        Tokenizer.process(&mut doc).unwrap();
        let err = p.process(&mut doc).unwrap_err().to_string();
        assert!(err.contains("d7") && err.contains("POS"), "{err}");
        t.process(&mut doc).unwrap();
        p.process(&mut doc).unwrap();
        assert_eq!(doc.sentences.len(), 2);
        let s2 = doc.sentences[1].tokens.clone();
        let word = |i: usize| &doc.text[doc.tokens[i].span.start..doc.tokens[i].span.end];
        let charged = s2.clone().find(|&i| word(i) == "charged").unwrap();
        let they = s2.clone().find(|&i| word(i) == "They").unwrap();
        assert_eq!(doc.tokens[charged].head, None);
        assert_eq!(doc.tokens[they].head, Some(charged));
        assert_eq!(doc.tokens[they].deprel.as_deref(), Some("nsubj:pass"));
        for i in s2 {
            if let Some(h) = doc.tokens[i].head {
                assert!(doc.sentences[1].tokens.contains(&h));
            }
        }
    }

    #[test]
    fn parse_sentence_touches_only_that_sentence() {
        let Some(p) = parser() else { return };
        let Some(t) = tagger() else {
            eprintln!("skipping: POS model not found");
            return;
        };
        let text = "Police arrested two men. They were charged with murder.";
        let mut doc = Document::new("d8", Metadata::default(), text.into());
        Tokenizer.process(&mut doc).unwrap();
        t.process(&mut doc).unwrap();
        let e = p.parse_sentence(&mut doc, 5).unwrap_err().to_string();
        assert!(e.contains("d8") && e.contains("no sentence 5"), "{e}");
        p.parse_sentence(&mut doc, 1).unwrap();
        let (s1, s2) = (
            doc.sentences[0].tokens.clone(),
            doc.sentences[1].tokens.clone(),
        );
        assert!(s1.clone().all(|i| doc.tokens[i].deprel.is_none()));
        assert!(s2.clone().all(|i| doc.tokens[i].deprel.is_some()));
        assert_eq!(
            s2.clone().filter(|&i| doc.tokens[i].head.is_none()).count(),
            1
        );
        let mut whole = doc.clone();
        p.process(&mut whole).unwrap();
        for i in s2 {
            assert_eq!(whole.tokens[i], doc.tokens[i]);
        }
    }

    #[test]
    fn bad_model_is_an_error() {
        assert!(DepParser::from_bytes(b"nonsense", "x.bin").is_err());
        let Some(p) = parser() else { return };
        let bytes = std::fs::read(data().join("models").join(PARSER_MODEL_FILE)).unwrap();
        let e = DepParser::from_bytes(&bytes[..bytes.len() / 2], "half.bin").unwrap_err();
        assert!(e.to_string().contains("half.bin"), "{e}");
        let mut old = bytes[..64].to_vec();
        old[6] = 3; // an older format version
        let e = DepParser::from_bytes(&old, "old.bin").unwrap_err();
        assert!(e.to_string().contains("bad magic"), "{e}");
        assert!(
            p.stats().0 > 100_000 && p.stats().1 > 10_000,
            "{:?}",
            p.stats()
        );
    }

    /// A tiny treebank: "X verbed Y ." and "Y was verbed by X ." patterns.
    fn tiny_treebank() -> Vec<Vec<crate::tagger::conllu::UdWord>> {
        let mut text = String::new();
        let nouns = ["police", "rebels", "troops", "protesters", "officials"];
        let verbs = ["attacked", "arrested", "killed", "blamed"];
        let mut k = 0;
        for (i, a) in nouns.iter().enumerate() {
            for b in nouns.iter().skip(i + 1) {
                for v in verbs {
                    k += 1;
                    text.push_str(&format!(
                        "1\t{a}\t_\tNOUN\t_\t_\t2\tnsubj\t_\t_\n\
                         2\t{v}\t_\tVERB\t_\t_\t0\troot\t_\t_\n\
                         3\t{b}\t_\tNOUN\t_\t_\t2\tobj\t_\t_\n\
                         4\t.\t_\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n"
                    ));
                    text.push_str(&format!(
                        "1\t{b}\t_\tNOUN\t_\t_\t3\tnsubj:pass\t_\t_\n\
                         2\twere\t_\tAUX\t_\t_\t3\taux:pass\t_\t_\n\
                         3\t{v}\t_\tVERB\t_\t_\t0\troot\t_\t_\n\
                         4\tby\t_\tADP\t_\t_\t5\tcase\t_\t_\n\
                         5\t{a}\t_\tNOUN\t_\t_\t3\tobl:agent\t_\t_\n\
                         6\t.\t_\tPUNCT\t_\t_\t3\tpunct\t_\t_\n\n"
                    ));
                }
            }
        }
        assert_eq!(k, 40);
        crate::tagger::conllu::parse_conllu(&text, "tiny").unwrap()
    }

    #[test]
    fn tiny_model_learns_and_round_trips() {
        let bank = tiny_treebank();
        let tags: Vec<Vec<String>> = bank
            .iter()
            .map(|s| s.iter().map(|w| w.upos.clone()).collect())
            .collect();
        let opt = ParserTrainOptions {
            iterations: 5,
            prune: 0.0,
            ..ParserTrainOptions::default()
        };
        let p = train_parser(&bank, &tags, &opt, |_, _| {}).unwrap();
        let active = p.parse(
            &["troops", "blamed", "officials", "."],
            &["NOUN", "VERB", "NOUN", "PUNCT"],
        );
        assert_eq!(
            active,
            vec![
                (Some(1), "nsubj"),
                (None, "root"),
                (Some(1), "obj"),
                (Some(1), "punct")
            ]
        );
        let words = ["officials", "were", "killed", "by", "police", "."];
        let upos = ["NOUN", "AUX", "VERB", "ADP", "NOUN", "PUNCT"];
        let passive = p.parse(&words, &upos);
        assert_eq!(passive[0], (Some(2), "nsubj:pass"));
        assert_eq!(passive[1], (Some(2), "aux:pass"));
        assert_eq!(passive[4], (Some(2), "obl:agent"));
        // save -> load gives the same model and the same parses
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tiny.bin");
        p.save(&path).unwrap();
        let q = DepParser::load_file(&path).unwrap();
        assert_eq!(q.stats(), p.stats());
        assert_eq!(q.to_bytes(), p.to_bytes());
        assert_eq!(q.parse(&words, &upos), passive);
        // every truncation of the file is an error, never a panic
        let bytes = p.to_bytes();
        for cut in [0, 7, 8, 15, 16, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                DepParser::from_bytes(&bytes[..cut], "cut").is_err(),
                "{cut}"
            );
        }
        let mut bad = bytes.clone();
        bad[8] ^= 0xff; // body length
        assert!(DepParser::from_bytes(&bad, "bad").is_err());
    }

    #[test]
    fn labels_fall_back_to_base_relation() {
        assert_eq!(label_index("nsubj:pass"), Some(27));
        assert_eq!(DEPRELS[label_index("obl:foo").unwrap() as usize], "obl");
        assert_eq!(DEPRELS[label_index("weird").unwrap() as usize], "dep");
    }
}
