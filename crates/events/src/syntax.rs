//! Clause arguments from the dependency parse, for the event coder.
//!
//! Takes one sentence whose tokens carry `head`/`deprel` (the parser stage) and a
//! trigger; gives the tokens that head the trigger's actor and recipient phrases
//! and its voice. Word-order rules in the coder are only the fallback for
//! sentences without a parse.
//!
//! What it reads, by UD relation:
//! * verbs: `nsubj` (actor, or recipient when passive), `nsubj:pass`, `obl:agent`
//!   / `obl` + "by" (passive actor), `obj`/`iobj`, `obl` with a case marker that
//!   introduces a target ("on", "against", "with", "at", "to" …);
//! * subjects inherited through `conj` ("killed 37 and wounded 3,000"), `xcomp`
//!   ("vowed to send"), adverbial `-ing` clauses (", killing one") and relative
//!   and participial clauses ("militants who attacked", "a soldier killed by X");
//! * nouns: `nmod:poss`, `amod`, `compound` modifiers and "by" phrases as the
//!   actor ("Israeli strikes", "an attack by militants"), `nmod` with "on",
//!   "against", "of", "with" as the recipient, and a light verb's subject
//!   ("militants launched an attack on …").

use chronicle_core::Document;

/// One sentence's parse, indices relative to the sentence.
pub(crate) struct Tree<'a> {
    heads: Vec<Option<usize>>,
    rels: Vec<&'a str>,
    pos: Vec<&'a str>,
    children: Vec<Vec<usize>>,
}

/// The argument slots of one trigger, as sentence token indices (phrase heads).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Slots {
    pub actors: Vec<usize>,
    pub recipients: Vec<usize>,
    pub passive: bool,
}

const RELATIVE: &[&str] = &["who", "which", "that", "whom", "whose"];
/// Case markers that introduce a target of the act ("fired on", "clashed with").
const TARGET_CASES: &[&str] = &[
    "on", "upon", "against", "with", "at", "to", "toward", "towards", "into", "of", "over",
];

impl<'a> Tree<'a> {
    /// The parse of sentence `si`, or `None` when the parser did not run on it.
    pub fn new(doc: &'a Document, si: usize) -> Option<Tree<'a>> {
        let sent = doc.sentences.get(si)?;
        let toks = doc.tokens.get(sent.tokens.clone())?;
        if toks.is_empty() || toks.iter().all(|t| t.deprel.is_none()) {
            return None;
        }
        let base = sent.tokens.start;
        let n = toks.len();
        let heads: Vec<Option<usize>> = toks
            .iter()
            .map(|t| t.head.and_then(|h| h.checked_sub(base)).filter(|&h| h < n))
            .collect();
        let rels = toks
            .iter()
            .map(|t| t.deprel.as_deref().unwrap_or("dep"))
            .collect();
        let pos = toks
            .iter()
            .map(|t| t.pos.as_deref().unwrap_or("X"))
            .collect();
        let mut children = vec![Vec::new(); n];
        for (i, h) in heads.iter().enumerate() {
            if let Some(h) = *h {
                if h != i {
                    children[h].push(i);
                }
            }
        }
        Some(Tree {
            heads,
            rels,
            pos,
            children,
        })
    }

    fn len(&self) -> usize {
        self.heads.len()
    }

    /// The head of token `i` (`None` for the root).
    pub fn head(&self, i: usize) -> Option<usize> {
        self.heads.get(i).copied().flatten()
    }

    /// The first child of `i` attached with one of `rels`.
    pub fn kid(&self, i: usize, rels: &[&str]) -> Option<usize> {
        self.kids(i, rels).next()
    }

    /// First and last token of the subtree headed at `i`, leaving out the
    /// children attached with a relation in `skip` (and everything under them).
    pub fn extent(&self, i: usize, skip: &[&str]) -> (usize, usize) {
        let (mut lo, mut hi) = (i, i);
        let mut stack = vec![i];
        let mut seen = 0;
        while let Some(x) = stack.pop() {
            // a malformed parse with a cycle must not loop forever
            seen += 1;
            if seen > self.len() {
                break;
            }
            lo = lo.min(x);
            hi = hi.max(x);
            for &c in self.children.get(x).into_iter().flatten() {
                if !skip.contains(&self.rel(c)) {
                    stack.push(c);
                }
            }
        }
        (lo, hi)
    }

    pub fn rel(&self, i: usize) -> &str {
        self.rels.get(i).copied().unwrap_or("dep")
    }

    fn kids<'s>(&'s self, i: usize, rels: &'s [&'s str]) -> impl Iterator<Item = usize> + 's {
        self.children
            .get(i)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&c| rels.contains(&self.rel(c)))
    }

    fn has_kid(&self, i: usize, rels: &[&str]) -> bool {
        self.kids(i, rels).next().is_some()
    }

    /// The case marker ("on", "by") of a nominal, lowercased by the caller's `words`.
    pub fn case<'w>(&self, i: usize, words: &'w [&'w str]) -> Option<&'w str> {
        self.kids(i, &["case"]).next().map(|c| words[c])
    }

    /// The token of `[start, end)` whose head lies outside the range.
    pub fn phrase_head(&self, start: usize, end: usize) -> usize {
        let end = end.min(self.len());
        (start..end)
            .find(|&i| match self.heads[i] {
                Some(h) => h < start || h >= end,
                None => true,
            })
            .unwrap_or(start)
    }

    fn is_passive(&self, v: usize) -> bool {
        self.has_kid(v, &["nsubj:pass", "aux:pass", "csubj:pass"])
    }

    /// A participle that modifies a noun or stands as a reduced clause.
    fn passive_participle(&self, v: usize, words: &[&str]) -> bool {
        let w = words[v];
        self.pos.get(v) == Some(&"VERB")
            && (w.ends_with("ed") || w.ends_with("en") || w.ends_with("wn"))
            && !self.has_kid(v, &["obj"])
    }

    /// Slots for a verbal trigger headed at `v`.
    fn verb_slots(&self, v: usize, words: &[&str], depth: usize) -> Slots {
        let mut s = Slots {
            passive: self.is_passive(v),
            ..Slots::default()
        };
        let rel = self.rel(v);
        // "X was killed and another person injured": a conjoined participle shares
        // the passive auxiliary of the verb it is joined to
        if !s.passive
            && rel == "conj"
            && self.passive_participle(v, words)
            && !self.has_kid(v, &["aux"])
            && self.heads[v].is_some_and(|h| self.is_passive(h))
        {
            s.passive = true;
            s.recipients.extend(self.kids(v, &["nsubj"]));
        }
        if s.passive {
            s.recipients
                .extend(self.kids(v, &["nsubj:pass", "csubj:pass"]));
            if s.recipients.is_empty() && rel == "conj" {
                // "X was arrested and charged": the first verb's subject
                if let Some(h) = self.heads[v] {
                    s.recipients.extend(self.kids(h, &["nsubj:pass"]));
                }
            }
            s.actors.extend(self.kids(v, &["obl:agent"]));
            s.actors.extend(
                self.kids(v, &["obl"])
                    .filter(|&c| self.case(c, words) == Some("by")),
            );
        } else {
            for c in self.kids(v, &["nsubj", "csubj", "nsubj:outer"]) {
                // "militants who attacked": the relative pronoun stands for the noun
                if RELATIVE.contains(&words[c]) && rel == "acl:relcl" {
                    s.actors.extend(self.heads[v]);
                } else {
                    s.actors.push(c);
                }
            }
            for c in self.kids(v, &["obj", "iobj"]) {
                if RELATIVE.contains(&words[c]) && rel == "acl:relcl" {
                    s.recipients.extend(self.heads[v]);
                } else {
                    s.recipients.push(c);
                }
            }
        }
        for c in self.kids(v, &["obl"]) {
            if self
                .case(c, words)
                .is_some_and(|p| TARGET_CASES.contains(&p) && p != "of")
            {
                s.recipients.push(c);
            }
        }
        if s.actors.is_empty() && depth < 4 {
            let head = self.heads[v];
            match (rel, head) {
                // "killed 37 and wounded 3,000", "vowed to send", ", killing one"
                ("conj" | "xcomp", Some(h)) => {
                    let up = self.verb_slots(h, words, depth + 1);
                    if up.passive && !s.passive && self.passive_participle(v, words) {
                        s.passive = true;
                        if s.recipients.is_empty() {
                            s.recipients = up.recipients;
                        }
                        s.actors = up.actors;
                    } else if !up.passive {
                        s.actors = up.actors;
                    }
                }
                ("advcl", Some(h)) if words[v].ends_with("ing") => {
                    let up = self.verb_slots(h, words, depth + 1);
                    if !up.passive {
                        s.actors = up.actors;
                    }
                }
                // "the forum, which has agreed": a relative clause without a
                // subject of its own is about the noun it modifies
                ("acl:relcl", Some(h)) => {
                    s.actors.push(h);
                }
                // "a soldier killed by X" / "gunmen attacking the base"
                ("acl", Some(h)) if v == h + 1 || self.has_kid(v, &["obl:agent"]) => {
                    if self.passive_participle(v, words) {
                        s.passive = true;
                        if s.recipients.is_empty() {
                            s.recipients.push(h);
                        }
                    } else if words[v].ends_with("ing") {
                        s.actors.push(h);
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// Slots for a nominal trigger headed at `n`.
    fn noun_slots(&self, n: usize, words: &[&str]) -> Slots {
        let mut s = Slots::default();
        s.actors
            .extend(self.kids(n, &["nmod:poss", "amod", "compound"]));
        for c in self.kids(n, &["nmod", "acl"]) {
            match self.case(c, words) {
                Some("by") => s.actors.push(c),
                Some(p) if TARGET_CASES.contains(&p) => s.recipients.push(c),
                _ => {}
            }
        }
        // "militants launched an attack on ...": the light verb's subject acts
        if s.actors.is_empty() && self.rel(n) == "obj" {
            if let Some(h) = self.heads[n] {
                if self.pos.get(h) == Some(&"VERB") {
                    let up = self.verb_slots(h, words, 1);
                    if !up.passive {
                        s.actors = up.actors;
                    }
                }
            }
        }
        s
    }

    /// Argument slots of the trigger whose tokens are `[start, end)`.
    pub fn slots(&self, start: usize, end: usize, noun: bool, words: &[&str]) -> Slots {
        let h = self.phrase_head(start, end);
        let is_noun = noun || matches!(self.pos.get(h), Some(&"NOUN" | &"PROPN"));
        if is_noun {
            return self.noun_slots(h, words);
        }
        let mut s = self.verb_slots(h, words, 0);
        // "held talks with X", "imposed sanctions on X": the phrase's noun names the target
        for t in (start..end.min(self.len())).filter(|&t| t != h) {
            if matches!(self.pos.get(t), Some(&"NOUN")) {
                for r in self.noun_slots(t, words).recipients {
                    if !s.recipients.contains(&r) {
                        s.recipients.push(r);
                    }
                }
            }
        }
        s
    }

    /// Tokens of the noun phrase headed at `t`, nearest first: the head, its
    /// modifiers and flat parts, coordinated phrases ("X and Y") and "of"/"from"
    /// complements ("members of Hezbollah"), two levels deep.
    pub fn phrase(&self, t: usize, words: &[&str]) -> Vec<usize> {
        let mut out = vec![t];
        let mut frontier = vec![t];
        for _ in 0..2 {
            let mut next = Vec::new();
            for &x in &frontier {
                for c in self.children[x].iter().copied() {
                    let keep = match self.rel(c) {
                        "compound" | "flat" | "amod" | "nmod:poss" | "appos" | "conj"
                        | "nmod:desc" => true,
                        "nmod" => matches!(self.case(c, words), Some("of" | "from")),
                        _ => false,
                    };
                    if keep && !out.contains(&c) {
                        out.push(c);
                        next.push(c);
                    }
                }
            }
            frontier = next;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_core::{Metadata, Sentence, Span, Token};

    /// A document from (word, head (1-based, 0 = root), relation, upos) rows.
    fn doc(rows: &[(&str, usize, &str, &str)]) -> Document {
        let text = rows.iter().map(|r| r.0).collect::<Vec<_>>().join(" ");
        let mut d = Document::new("t", Metadata::default(), text);
        let mut at = 0;
        for r in rows {
            d.tokens.push(Token {
                span: Span::new(at, at + r.0.len()),
                pos: Some(r.3.into()),
                lemma: None,
                head: r.1.checked_sub(1),
                deprel: Some(r.2.into()),
            });
            at += r.0.len() + 1;
        }
        d.sentences.push(Sentence {
            span: Span::new(0, d.text.len()),
            tokens: 0..rows.len(),
        });
        d
    }

    fn words(d: &Document) -> Vec<String> {
        d.tokens
            .iter()
            .map(|t| d.text[t.span.start..t.span.end].to_lowercase())
            .collect()
    }

    #[test]
    fn active_passive_and_inherited_subjects() {
        // Militants attacked the base and killed two soldiers .
        let d = doc(&[
            ("Militants", 2, "nsubj", "NOUN"),
            ("attacked", 0, "root", "VERB"),
            ("the", 4, "det", "DET"),
            ("base", 2, "obj", "NOUN"),
            ("and", 6, "cc", "CCONJ"),
            ("killed", 2, "conj", "VERB"),
            ("two", 8, "nummod", "NUM"),
            ("soldiers", 6, "obj", "NOUN"),
            (".", 2, "punct", "PUNCT"),
        ]);
        let w = words(&d);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        let t = Tree::new(&d, 0).unwrap();
        let s = t.slots(1, 2, false, &w);
        assert_eq!(
            (s.actors, s.recipients, s.passive),
            (vec![0], vec![3], false)
        );
        // the conjoined verb inherits the subject
        let s = t.slots(5, 6, false, &w);
        assert_eq!((s.actors, s.recipients), (vec![0], vec![7]));

        // Two soldiers were killed by militants .
        let d = doc(&[
            ("Two", 2, "nummod", "NUM"),
            ("soldiers", 4, "nsubj:pass", "NOUN"),
            ("were", 4, "aux:pass", "AUX"),
            ("killed", 0, "root", "VERB"),
            ("by", 6, "case", "ADP"),
            ("militants", 4, "obl:agent", "NOUN"),
            (".", 4, "punct", "PUNCT"),
        ]);
        let w = words(&d);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        let t = Tree::new(&d, 0).unwrap();
        let s = t.slots(3, 4, false, &w);
        assert!(s.passive);
        assert_eq!((s.actors, s.recipients), (vec![5], vec![1]));
    }

    #[test]
    fn nominal_triggers_and_light_verbs() {
        // Rebels launched an attack on the army .
        let d = doc(&[
            ("Rebels", 2, "nsubj", "NOUN"),
            ("launched", 0, "root", "VERB"),
            ("an", 4, "det", "DET"),
            ("attack", 2, "obj", "NOUN"),
            ("on", 7, "case", "ADP"),
            ("the", 7, "det", "DET"),
            ("army", 4, "nmod", "NOUN"),
            (".", 2, "punct", "PUNCT"),
        ]);
        let w = words(&d);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        let t = Tree::new(&d, 0).unwrap();
        let s = t.slots(3, 4, true, &w);
        assert_eq!((s.actors, s.recipients), (vec![0], vec![6]));
        // the noun phrase of "army" is just itself; of "attack" keeps no "on" phrase
        assert_eq!(t.phrase(6, &w), vec![6]);
        assert_eq!(t.phrase(3, &w), vec![3]);
    }

    #[test]
    fn no_parse_gives_none() {
        let mut d = doc(&[("Hello", 0, "root", "INTJ")]);
        d.tokens[0].deprel = None;
        assert!(Tree::new(&d, 0).is_none());
    }
}
