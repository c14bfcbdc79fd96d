//! Trained linguistic models: an averaged-perceptron UPOS tagger with a
//! lemmatiser (trained on UD English-EWT) and a perceptron NER model
//! ([`ner`], trained on CoNLL-2003).
//!
//! Takes tokenised sentences (words as `&str`, or a [`Document`] whose
//! `tokens`/`sentences` the [`Tokenizer`](crate::Tokenizer) filled) and gives a
//! Universal POS tag and a lemma per word. The model lives in
//! `data/models/pos-ewt.bin` (see `data/models/README.md`); it is trained with
//! `cargo run --release -p chronicle-nlp --example train_pos -- <ud-ewt dir> data/models`.
//!
//! Tagging is greedy left to right with the classic feature set (normalised
//! word, raw word, prefixes 1-3, suffixes 1-4, shape, hyphen/digit/capital
//! flags, words and suffixes at ±1/±2, the two previous predicted tags and
//! some conjunctions); frequent unambiguous words are tagged from a tag
//! dictionary. A stacked second stage re-tags the sentence seeing the first
//! stage's tags of the following words (trained on jackknifed first-stage output).

pub(crate) mod binio;
pub mod clusters;
pub mod conllu;
pub mod features;
mod lemma;
pub mod ner;
pub(crate) mod perceptron;
mod train;

pub use lemma::Lemmatizer;
pub use ner::NerModel;
pub use train::{train_pos, TrainOptions};

use binio::{Reader, Writer};
use chronicle_core::{Document, Error, Result, Stage};
use features::{pos_features, sentence_hashes, IdMap};
use perceptron::Weights;
use std::collections::HashMap;
use std::path::Path;

/// The 17 Universal POS tags, in model order.
pub const UPOS: [&str; 17] = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];
const NT: usize = UPOS.len();
/// Previous-tag values before the sentence start.
const PAD1: u64 = 1000;
const PAD2: u64 = 1001;
const MAGIC: &[u8; 8] = b"CHRPOS\x04\x00";
/// File name of the shipped model inside `data/models/`.
pub const POS_MODEL_FILE: &str = "pos-ewt.bin";

/// Index of a UPOS tag name.
pub fn upos_index(tag: &str) -> Option<u8> {
    UPOS.iter().position(|u| *u == tag).map(|i| i as u8)
}

/// Averaged-perceptron UPOS tagger plus lemmatiser. Immutable after loading;
/// one instance serves every thread.
#[derive(Debug, Clone)]
pub struct PosTagger {
    weights: Weights,
    /// Stacked second stage: also sees the first stage's tags of the sentence
    /// (right context).
    stage2: Option<Weights>,
    tagdict: HashMap<String, u8>,
    /// normalised-word hash -> bit set of its training tags
    lexicon: IdMap<u32>,
    lemmatizer: Lemmatizer,
}

impl PosTagger {
    pub(crate) fn from_parts(
        weights: Weights,
        stage2: Option<Weights>,
        tagdict: HashMap<String, u8>,
        lexicon: IdMap<u32>,
        lemmatizer: Lemmatizer,
    ) -> Self {
        PosTagger {
            weights,
            stage2,
            tagdict,
            lexicon,
            lemmatizer,
        }
    }

    /// Loads `data_dir/models/pos-ewt.bin`.
    pub fn load(data_dir: &Path) -> Result<PosTagger> {
        Self::load_file(&data_dir.join("models").join(POS_MODEL_FILE))
    }

    /// Loads a model file written by [`PosTagger::save`].
    pub fn load_file(path: &Path) -> Result<PosTagger> {
        let bytes = crate::tagger::binio::read_model(path)?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    /// Decodes a model; `origin` names it in errors.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<PosTagger> {
        let mut r = Reader::new(bytes, origin);
        if r.take(8)? != MAGIC {
            return Err(r.err("not a chronicle POS model (bad magic)"));
        }
        let nt = r.u32()? as usize;
        if nt != NT {
            return Err(r.err(&format!("model has {nt} tags, expected {NT}")));
        }
        for t in UPOS {
            if r.str()? != t {
                return Err(r.err("tag set differs from UPOS"));
            }
        }
        let weights = Weights::read(&mut r, NT)?;
        let stage2 = match r.u8()? {
            0 => None,
            1 => Some(Weights::read(&mut r, NT)?),
            _ => return Err(r.err("bad stage-2 flag")),
        };
        let nd = r.count(5)?;
        let mut tagdict = HashMap::with_capacity(nd);
        for _ in 0..nd {
            let w = r.str()?.to_string();
            let t = r.u8()?;
            if t as usize >= NT {
                return Err(r.err("tag dictionary: bad tag index"));
            }
            tagdict.insert(w, t);
        }
        let nl = r.count(12)?;
        let mut lexicon = IdMap::with_capacity_and_hasher(nl, Default::default());
        for _ in 0..nl {
            let k = r.u64()?;
            lexicon.insert(k, r.u32()?);
        }
        let lemmatizer = Lemmatizer::read(&mut r)?;
        if !r.at_end() {
            return Err(r.err("trailing bytes after the model"));
        }
        Ok(PosTagger {
            weights,
            stage2,
            tagdict,
            lexicon,
            lemmatizer,
        })
    }

    /// Encodes the model (weights quantised to i16, zero weights omitted).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(MAGIC);
        w.u32(NT as u32);
        for t in UPOS {
            w.str(t);
        }
        self.weights.write(&mut w);
        match &self.stage2 {
            Some(s2) => {
                w.u8(1);
                s2.write(&mut w);
            }
            None => w.u8(0),
        }
        let mut d: Vec<_> = self.tagdict.iter().collect();
        d.sort();
        w.u32(d.len() as u32);
        for (word, t) in d {
            w.str(word);
            w.u8(*t);
        }
        let mut lex: Vec<_> = self.lexicon.iter().collect();
        lex.sort();
        w.u32(lex.len() as u32);
        for (k, m) in lex {
            w.u64(*k);
            w.u32(*m);
        }
        self.lemmatizer.write(&mut w);
        w.buf
    }

    /// Writes the model to `path`.
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::tagger::binio::write_model(path, &self.to_bytes())
    }

    /// Normalised-word hash -> bit set of the UPOS tags seen in training.
    pub fn lexicon(&self) -> &IdMap<u32> {
        &self.lexicon
    }

    /// Number of weighted features and tag-dictionary entries.
    pub fn stats(&self) -> (usize, usize) {
        (
            self.weights.len() + self.stage2.as_ref().map_or(0, Weights::len),
            self.tagdict.len(),
        )
    }

    /// UPOS tag indices for a sentence (greedy, left to right). Contractions
    /// the treebank splits (`didn't`, `they're`) are tagged as two words; the
    /// token gets its host's tag (`didn't` -> AUX).
    pub fn tag_indices(&self, words: &[&str]) -> Vec<u8> {
        let (expanded, host) = expand_clitics(words);
        let tags = self.tag_words(&expanded);
        host.iter().map(|h| tags[*h]).collect()
    }

    fn tag_words(&self, words: &[&str]) -> Vec<u8> {
        let h = sentence_hashes(words, &self.lexicon);
        let dict: Vec<Option<u8>> = words
            .iter()
            .map(|w| self.tagdict.get(*w).copied())
            .collect();
        let first = greedy_with(&self.weights, &dict, &h, None);
        match &self.stage2 {
            Some(w2) => greedy_with(w2, &dict, &h, Some(&first)),
            None => first,
        }
    }

    /// Lemma of `word` given its UPOS tag name (unknown tags: lower case).
    pub fn lemma(&self, word: &str, upos: &str) -> String {
        match upos_index(upos) {
            Some(t) => self.lemmatizer.lemma(word, t),
            None => word.to_lowercase(),
        }
    }

    /// UPOS tag and lemma for every word of one sentence. A contraction the
    /// treebank splits gets its host's tag and lemma (`didn't` -> AUX, `do`).
    pub fn tag(&self, words: &[&str]) -> Vec<(&'static str, String)> {
        let (expanded, host) = expand_clitics(words);
        let tags = self.tag_words(&expanded);
        host.iter()
            .map(|h| {
                let t = tags[*h];
                (UPOS[t as usize], self.lemmatizer.lemma(expanded[*h], t))
            })
            .collect()
    }
}

/// Clitics UD English writes as separate words.
const CLITICS: [&str; 6] = ["n't", "'re", "'ve", "'ll", "'m", "'d"];

/// Splits `didn't`-style tokens into host + clitic; gives the expanded words
/// and, per input word, the index of its host in the expansion.
fn expand_clitics<'a>(words: &[&'a str]) -> (Vec<&'a str>, Vec<usize>) {
    let mut out = Vec::with_capacity(words.len() + 2);
    let mut host = Vec::with_capacity(words.len());
    for w in words {
        host.push(out.len());
        match clitic_split(w) {
            Some((stem, clitic)) => {
                out.push(stem);
                out.push(clitic);
            }
            None => out.push(w),
        }
    }
    (out, host)
}

/// `didn't` -> (`did`, `n't`), `They’re` -> (`They`, `'re`); `None` for other words.
fn clitic_split(w: &str) -> Option<(&str, &'static str)> {
    if w.len() < 3 || !w.contains(['\'', '\u{2019}']) {
        return None;
    }
    let straight = w.replace('\u{2019}', "'").to_lowercase();
    for c in CLITICS {
        if straight.len() > c.len() && straight.ends_with(c) {
            let apos = w.rfind(['\'', '\u{2019}'])?;
            // "n't": the host ends before the "n"
            let end = if c == "n't" {
                apos.checked_sub(1)?
            } else {
                apos
            };
            let stem = &w[..end];
            if !stem.is_empty() && stem.chars().all(char::is_alphabetic) {
                return Some((stem, c));
            }
        }
    }
    None
}

/// Greedy left-to-right decoding; words in the tag dictionary keep its tag.
pub(crate) fn greedy(
    weights: &Weights,
    tagdict: &HashMap<String, u8>,
    words: &[&str],
    h: &[features::WordHashes],
    stacked: Option<&[u8]>,
) -> Vec<u8> {
    let dict: Vec<Option<u8>> = words.iter().map(|w| tagdict.get(*w).copied()).collect();
    greedy_with(weights, &dict, h, stacked)
}

/// [`greedy`] given each word's tag-dictionary tag (looked up once for both stages).
pub(crate) fn greedy_with(
    weights: &Weights,
    dict: &[Option<u8>],
    h: &[features::WordHashes],
    stacked: Option<&[u8]>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(dict.len());
    let mut feats = Vec::with_capacity(64);
    let (mut p1, mut p2) = (PAD1, PAD2);
    for (i, d) in dict.iter().enumerate() {
        let t = match d {
            Some(t) => *t,
            None => {
                pos_features(h, i, p1, p2, stacked, &mut feats);
                let mut s = [0f32; NT];
                weights.add_scores(&feats, &mut s);
                argmax(&s)
            }
        };
        out.push(t);
        p2 = p1;
        p1 = t as u64;
    }
    out
}

pub(crate) fn argmax(s: &[f32]) -> u8 {
    let mut best = 0;
    for (i, v) in s.iter().enumerate() {
        if *v > s[best] {
            best = i;
        }
    }
    best as u8
}

impl Stage for PosTagger {
    fn name(&self) -> &'static str {
        "pos"
    }

    /// Fills `pos` and `lemma` of every token, one sentence at a time; tokens
    /// outside every sentence are tagged as one extra sequence.
    fn process(&self, doc: &mut Document) -> Result<()> {
        let n = doc.tokens.len();
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        let mut covered = vec![false; n];
        for (si, s) in doc.sentences.iter().enumerate() {
            if s.tokens.start > s.tokens.end || s.tokens.end > n {
                return Err(Error::Stage {
                    stage: "pos",
                    reason: format!(
                        "document {}: sentence {si} token range {:?} outside {n} tokens",
                        doc.id, s.tokens
                    ),
                });
            }
            covered[s.tokens.clone()].iter_mut().for_each(|c| *c = true);
            ranges.push(s.tokens.clone());
        }
        let mut i = 0;
        while i < n {
            if covered[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < n && !covered[i] {
                i += 1;
            }
            ranges.push(start..i);
        }
        for r in ranges {
            let mut words = Vec::with_capacity(r.len());
            for ti in r.clone() {
                let sp = doc.tokens[ti].span;
                match doc.text.get(sp.start..sp.end) {
                    Some(w) => words.push(w),
                    None => {
                        return Err(Error::Stage {
                            stage: "pos",
                            reason: format!(
                                "document {}: token {ti} span {}..{} is not a text slice",
                                doc.id, sp.start, sp.end
                            ),
                        })
                    }
                }
            }
            let tagged = self.tag(&words);
            for (ti, (pos, lemma)) in r.zip(tagged) {
                let tok = &mut doc.tokens[ti];
                tok.pos = Some(pos.to_string());
                tok.lemma = Some(lemma);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tokenizer;
    use chronicle_core::Metadata;
    use std::sync::OnceLock;

    fn tagger() -> &'static PosTagger {
        static T: OnceLock<PosTagger> = OnceLock::new();
        T.get_or_init(|| {
            let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
            PosTagger::load(&data).expect("shipped POS model loads")
        })
    }

    fn tags(s: &str) -> Vec<&'static str> {
        let words: Vec<&str> = s.split(' ').collect();
        tagger().tag(&words).into_iter().map(|x| x.0).collect()
    }

    #[test]
    fn tags_news_sentences() {
        assert_eq!(
            tags("The rebels attacked the town on Monday ."),
            ["DET", "NOUN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PUNCT"]
        );
        assert_eq!(
            tags("Government forces have killed 12 protesters in Khartoum ."),
            ["NOUN", "NOUN", "AUX", "VERB", "NUM", "NOUN", "ADP", "PROPN", "PUNCT"]
        );
    }

    #[test]
    fn lemmas() {
        let words = ["The", "soldiers", "were", "fleeing", "cities", "."];
        let out = tagger().tag(&words);
        let lemmas: Vec<&str> = out.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(lemmas, ["the", "soldier", "be", "flee", "city", "."]);
    }

    #[test]
    fn contractions_take_their_host_tag() {
        let out = tagger().tag(&["They", "didn\u{2019}t", "say", "they're", "leaving", "."]);
        assert_eq!((out[1].0, out[1].1.as_str()), ("AUX", "do"));
        assert_eq!(out[3].0, "PRON");
        assert_eq!(out.len(), 6);
        assert_eq!(clitic_split("can't"), Some(("ca", "n't")));
        assert_eq!(clitic_split("n't"), None);
        assert_eq!(clitic_split("rock'n'roll"), None);
        assert_eq!(clitic_split("O'Brien"), None);
    }

    #[test]
    fn empty_and_odd_input() {
        assert!(tagger().tag(&[]).is_empty());
        let out = tagger().tag(&["", "\u{1F600}", "-----", "ÀÉÎ"]);
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn stage_fills_every_token() {
        let mut doc = Document::new(
            "d1",
            Metadata::default(),
            "Police arrested 40 people in Cairo. They were released later.".into(),
        );
        Tokenizer.process(&mut doc).unwrap();
        tagger().process(&mut doc).unwrap();
        assert!(doc
            .tokens
            .iter()
            .all(|t| t.pos.is_some() && t.lemma.is_some()));
        let pos: Vec<&str> = doc
            .tokens
            .iter()
            .map(|t| t.pos.as_deref().unwrap())
            .collect();
        assert_eq!(&pos[..4], ["NOUN", "VERB", "NUM", "NOUN"]);
        assert_eq!(doc.tokens[1].lemma.as_deref(), Some("arrest"));
    }

    #[test]
    fn bad_model_is_an_error() {
        assert!(PosTagger::from_bytes(b"nonsense", "x").is_err());
        let bytes = tagger().to_bytes();
        let e = PosTagger::from_bytes(&bytes[..bytes.len() / 2], "half.bin").unwrap_err();
        assert!(e.to_string().contains("half.bin"), "{e}");
    }

    #[test]
    fn round_trip() {
        let bytes = tagger().to_bytes();
        let t2 = PosTagger::from_bytes(&bytes, "rt").unwrap();
        let w = ["Troops", "fired", "on", "protesters", "."];
        assert_eq!(tagger().tag(&w), t2.tag(&w));
    }
}
