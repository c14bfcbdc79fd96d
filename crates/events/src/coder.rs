//! The event coder: trigger matches + entities → [`EventMention`]s.
//!
//! Takes a document with sentences, tokens, entities (with actor codes), places,
//! dates, casualties and quotes; adds `doc.mentions`. Per sentence it:
//! 1. finds triggers with the [`Lexicon`], skipping those inside direct quotes;
//! 2. reads modality around each trigger (negation, habitual, conditional,
//!    future/intent) and drops negated, habitual and conditional ones — a negated
//!    "accept"/"agree" becomes REJECT;
//! 3. drops purpose-clause triggers ("vowed to send fighters *to support* X") and
//!    anaphoric nouns with nothing new to say ("the strike", "such a meeting");
//! 4. assigns actors (subject side, or the `by` agent for passives; "blamed on X"
//!    gives an *alleged* actor) and recipients (object side, or the passive subject);
//! 5. merges same-type triggers of one sentence into one mention and attaches the
//!    nearest date and the sentence's casualty counts and quotes.
//!
//! The event location is chosen later by the geo stage; dedup merges mentions.

use crate::lexicon::{Lexicon, TriggerPos};
use crate::mapping::Mapping;
use crate::syntax::Tree;
use chronicle_core::{
    Actor, Attribution, Document, EntityKind, EventMention, PloverType, QuoteKind, Result, Span,
    Stage,
};
use std::path::Path;

/// Adds `doc.mentions`.
pub struct EventStage {
    lexicon: Lexicon,
    mapping: Mapping,
}

const SPATIAL_PREPS: &[&str] = &[
    "in", "at", "near", "from", "to", "into", "across", "inside", "outside", "toward", "towards",
    "through", "around", "within", "onto", "off",
];
const OTHER_PREPS: &[&str] = &[
    "on", "with", "for", "about", "over", "under", "during", "between", "among", "like",
];
const NEGATORS: &[&str] = &[
    "not", "n't", "no", "never", "cannot", "without", "neither", "nor",
];
const HABITUAL: &[&str] = &[
    "frequently",
    "often",
    "regularly",
    "routinely",
    "usually",
    "rarely",
    "seldom",
    "typically",
    "sometimes",
    "repeatedly",
    "generally",
];
const CONDITIONAL: &[&str] = &["if", "unless", "whether", "should"];
const FUTURE: &[&str] = &[
    "will", "would", "'ll", "shall", "going", "plans", "plan", "planned", "intends", "intend",
    "may", "might", "could",
];
const INTENT: &[&str] = &[
    "vowed",
    "vows",
    "vow",
    "pledged",
    "pledges",
    "promised",
    "promises",
    "ready",
    "willing",
    "willingness",
    "threatened",
    "threatens",
    "intends",
    "plans",
    "wants",
    "seeks",
    "prepared",
    "determined",
];
const AUX_PASSIVE: &[&str] = &[
    "was", "were", "been", "being", "is", "are", "be", "got", "get", "gets",
];
const ADVERBS: &[&str] = &[
    "reportedly",
    "allegedly",
    "also",
    "widely",
    "apparently",
    "later",
    "then",
    "already",
    "just",
    "recently",
    "all",
    "both",
    "not",
    "fatally",
    "seriously",
    "critically",
    "badly",
    "lightly",
];
const DETERMINERS: &[&str] = &[
    "the", "this", "that", "these", "those", "its", "their", "his", "her", "such", "our", "said",
];
const CLAUSE_STOPS: &[&str] = &[
    ",", ";", ":", "which", "who", "whom", "while", "but", "because", "after", "before", "when",
    "although", "though", "as", "—", "–", "-", "(", ")",
];
/// Verbs that carry a nominal event ("launched an attack", "held talks").
const LIGHT_VERBS: &[&str] = &[
    "launched",
    "launch",
    "launches",
    "carried",
    "carry",
    "carries",
    "conducted",
    "conduct",
    "conducts",
    "staged",
    "stage",
    "stages",
    "held",
    "hold",
    "holds",
    "mounted",
    "mount",
    "waged",
    "wage",
    "made",
    "make",
    "makes",
    "issued",
    "issue",
    "issues",
    "signed",
    "sign",
    "signs",
    "imposed",
    "impose",
    "imposes",
    "announced",
    "announce",
    "announces",
    "led",
    "organized",
    "organised",
    "organize",
    "organise",
    "began",
    "begin",
    "started",
    "start",
];
const ALLEGE_CUES: &[&str] = &[
    "blamed",
    "attributed",
    "blames",
    "blaming",
    "suspected",
    "accused",
];

impl EventStage {
    pub fn new(lexicon: Lexicon, mapping: Mapping) -> Self {
        EventStage { lexicon, mapping }
    }
    pub fn load(data_dir: &Path) -> Result<Self> {
        Ok(EventStage::new(
            Lexicon::load(data_dir)?,
            Mapping::load(data_dir)?,
        ))
    }

    /// Sentences with at least one trigger match: the ones worth a dependency parse.
    pub fn trigger_sentences(&self, doc: &Document) -> Vec<usize> {
        let mut words: Vec<String> = Vec::new();
        (0..doc.sentences.len())
            .filter(|&si| {
                let Some(toks) = doc.tokens.get(doc.sentences[si].tokens.clone()) else {
                    return false;
                };
                words.clear();
                words.extend(toks.iter().map(|t| {
                    let w = doc.text.get(t.span.start..t.span.end).unwrap_or("");
                    normalize_quote(&w.to_lowercase())
                }));
                let w: Vec<&str> = words.iter().map(String::as_str).collect();
                !self.lexicon.find(&w).is_empty()
            })
            .collect()
    }
}

/// A trigger kept after filtering, before merging per type.
struct Cand {
    event_type: PloverType,
    mode: Option<String>,
    cameo: String,
    /// token indices relative to the sentence
    start: usize,
    end: usize,
    head: usize,
    actors: Vec<Actor>,
    recipients: Vec<Actor>,
    flags: Vec<String>,
}

/// Per-sentence view: lowercased words and entity positions in token indices.
struct SentView<'a> {
    words: Vec<String>,
    spans: Vec<Span>,
    /// (first token, last token exclusive, entity index)
    ents: Vec<(usize, usize, usize)>,
    doc: &'a Document,
}

impl<'a> SentView<'a> {
    fn new(doc: &'a Document, si: usize) -> Self {
        let sent = &doc.sentences[si];
        let toks = &doc.tokens[sent.tokens.clone()];
        let words: Vec<String> = toks
            .iter()
            .map(|t| normalize_quote(&doc.text[t.span.start..t.span.end].to_lowercase()))
            .collect();
        let spans: Vec<Span> = toks.iter().map(|t| t.span).collect();
        let mut ents = Vec::new();
        // entities are in text order (sorted in `process`): start at the sentence
        let from = doc
            .entities
            .partition_point(|e| e.span.start < sent.span.start);
        for (ei, e) in doc.entities.iter().enumerate().skip(from) {
            if e.span.start >= sent.span.end {
                break;
            }
            if !sent.span.overlaps(e.span) {
                continue;
            }
            let first = spans.partition_point(|s| s.end <= e.span.start);
            let last = spans.partition_point(|s| s.start < e.span.end);
            if first < last {
                ents.push((first, last, ei));
            }
        }
        ents.sort();
        SentView {
            words,
            spans,
            ents,
            doc,
        }
    }

    fn word(&self, i: usize) -> &str {
        self.words.get(i).map(String::as_str).unwrap_or("")
    }

    fn entity_at(&self, tok: usize) -> Option<usize> {
        self.ents
            .iter()
            .find(|(s, e, _)| *s <= tok && tok < *e)
            .map(|x| x.2)
    }

    /// Word before token `i`, skipping determiners and adjectives-like adverbs.
    fn prep_before(&self, first: usize) -> Option<&str> {
        let mut i = first;
        while i > 0 {
            i -= 1;
            let w = self.word(i);
            if matches!(w, "the" | "a" | "an" | "its" | "their") || ADVERBS.contains(&w) {
                continue;
            }
            return Some(w);
        }
        None
    }

    fn actor_of(&self, ei: usize) -> Option<Actor> {
        let e = &self.doc.entities[ei];
        let mut a = match (&e.actor, e.kind) {
            (Some(a), _) => a.clone(),
            (None, EntityKind::Per | EntityKind::Org) => Actor {
                name: e.text.clone(),
                ..Actor::default()
            },
            _ => return None,
        };
        if a.text.is_empty() {
            a.text = e.text.clone();
        }
        Some(a)
    }

    /// Is the entity a plausible actor argument (not a place after a spatial preposition)?
    fn argument_ok(&self, first: usize, ei: usize) -> bool {
        let kind = self.doc.entities[ei].kind;
        match self.prep_before(first) {
            Some(p) if SPATIAL_PREPS.contains(&p) => {
                // "belonging to Hezbollah", "a letter to X": organisations and people are fine
                matches!(p, "to" | "in") && matches!(kind, EntityKind::Per | EntityKind::Org)
            }
            Some(p) if OTHER_PREPS.contains(&p) => false,
            _ => true,
        }
    }

    /// Nearest actor to the left of `tok`, within the sentence and not across a
    /// complementizer ("X reported that Y was killed": the subject is Y's side).
    /// Coordinated names count together ("Jordan and Britain agreed").
    fn subject(&self, tok: usize) -> Vec<Actor> {
        let floor = (0..tok)
            .rev()
            .find(|&i| self.word(i) == "that")
            .map(|i| i + 1)
            .unwrap_or(0);
        for (k, &(s, e, ei)) in self.ents.iter().enumerate().rev() {
            if e > tok || s < floor {
                continue;
            }
            if self.argument_ok(s, ei) {
                if let Some(a) = self.actor_of(ei) {
                    let mut out = vec![a];
                    // walk left over "X, Y and" while each conjunct is a name
                    let mut start = s;
                    for &(ps, pe, pei) in self.ents[..k].iter().rev() {
                        let joined =
                            pe + 1 == start && matches!(self.word(pe), "and" | ",") && ps >= floor;
                        if !joined {
                            break;
                        }
                        if let Some(b) = self.actor_of(pei) {
                            if !out.iter().any(|o| o.key() == b.key()) {
                                out.insert(0, b);
                            }
                        }
                        start = ps;
                    }
                    return out;
                }
            }
        }
        Vec::new()
    }

    /// Actors to the right of `tok` up to a clause boundary (at most two).
    fn objects(&self, tok: usize) -> Vec<Actor> {
        let mut out: Vec<Actor> = Vec::new();
        let stop = (tok..self.words.len())
            .find(|&i| i > tok && CLAUSE_STOPS.contains(&self.word(i)))
            .unwrap_or(self.words.len());
        for &(s, _e, ei) in &self.ents {
            if s <= tok || s >= stop {
                continue;
            }
            if self.prep_before(s) == Some("by") {
                continue;
            }
            // right after the trigger ("called on the rebels"): the trigger's own
            // particle is not a preposition introducing a place
            let det = |i: usize| matches!(self.word(i), "the" | "a" | "an" | "its" | "their");
            let adjacent = (tok + 1..s).all(det);
            // "an attack on X", "sanctions against X", "talks with X": the target
            let targeted = matches!(self.word(tok + 1), "on" | "upon" | "against" | "with")
                && (tok + 2..s).all(det);
            if adjacent || targeted || self.argument_ok(s, ei) {
                if let Some(a) = self.actor_of(ei) {
                    if !out.iter().any(|o| o.key() == a.key()) {
                        out.push(a);
                    }
                }
            }
            if out.len() == 2 {
                break;
            }
        }
        out
    }

    /// "by X" agent after `tok`.
    fn agent(&self, tok: usize) -> Option<Actor> {
        let stop = (tok + 1..self.words.len())
            .find(|&i| CLAUSE_STOPS.contains(&self.word(i)))
            .unwrap_or(self.words.len());
        self.ents
            .iter()
            .filter(|(s, _, _)| *s > tok && *s < stop)
            .find(|(s, _, _)| self.prep_before(*s) == Some("by"))
            .and_then(|&(_, _, ei)| self.actor_of(ei))
    }

    /// "blamed on X", "attributed to X": an alleged perpetrator anywhere in the sentence.
    fn alleged(&self) -> Option<Actor> {
        for (i, w) in self.words.iter().enumerate() {
            if ALLEGE_CUES.contains(&w.as_str()) && matches!(self.word(i + 1), "on" | "to" | "by") {
                if let Some(&(_, _, ei)) = self.ents.iter().find(|(s, _, _)| *s > i && *s <= i + 4)
                {
                    if let Some(mut a) = self.actor_of(ei) {
                        a.attribution = Attribution::Alleged;
                        return Some(a);
                    }
                }
            }
        }
        None
    }

    /// Sentence-relative token range `[first, last)` covering a byte span.
    fn token_range(&self, span: Span) -> (usize, usize) {
        let first = self.spans.partition_point(|s| s.end <= span.start);
        let last = self.spans.partition_point(|s| s.start < span.end);
        (first, last)
    }

    /// A Title Case line without final punctuation (a headline): most words capitalised.
    fn is_headline(&self) -> bool {
        let text = self.doc.text.as_str();
        let last = self.words.last().map(String::as_str).unwrap_or("");
        if matches!(last, "." | "!" | "?" | "\"" | "'" | "”" | "’" | ")") {
            return false;
        }
        let words: Vec<&str> = self
            .spans
            .iter()
            .map(|s| &text[s.start..s.end])
            .filter(|w| w.chars().next().is_some_and(char::is_alphabetic) && w.len() > 3)
            .collect();
        words.len() >= 4
            && words
                .iter()
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .count()
                * 10
                >= words.len() * 8
    }

    /// Actors named in the phrases headed at `heads` (nearest entity first), skipping
    /// places introduced by a spatial preposition ("fired at Gaza").
    fn slot_actors(&self, tree: &Tree, heads: &[usize], words: &[&str]) -> Vec<Actor> {
        let mut out: Vec<Actor> = Vec::new();
        for &h in heads {
            // "fired at Gaza", "moved into Rafah": a place, not a party
            let spatial = tree
                .case(h, words)
                .is_some_and(|p| matches!(p, "at" | "into" | "toward" | "towards" | "in"));
            for t in tree.phrase(h, words) {
                let Some(ei) = self.entity_at(t) else {
                    continue;
                };
                if spatial && self.doc.entities[ei].kind == EntityKind::Loc {
                    continue;
                }
                if let Some(a) = self.actor_of(ei) {
                    if !out.iter().any(|o| o.key() == a.key()) {
                        out.push(a);
                    }
                }
            }
        }
        out
    }

    fn window_has(&self, from: usize, to: usize, list: &[&str]) -> bool {
        (from..to.min(self.words.len())).any(|i| list.contains(&self.word(i)))
    }
}

fn normalize_quote(w: &str) -> String {
    match w {
        "’" | "‘" => "'".to_string(),
        "n’t" => "n't".to_string(),
        _ => w.replace('’', "'"),
    }
}

impl Stage for EventStage {
    fn name(&self) -> &'static str {
        "events"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        if !doc
            .entities
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start)
        {
            doc.entities.sort_by_key(|e| e.span.start);
        }
        let direct_quotes: Vec<Span> = doc
            .quotes
            .iter()
            .filter(|q| matches!(q.kind, QuoteKind::Direct))
            .map(|q| q.span)
            .collect();
        let mut mentions = Vec::new();
        for si in 0..doc.sentences.len() {
            let view = SentView::new(doc, si);
            if view.words.is_empty() {
                continue;
            }
            // headlines repeat the body in Title Case, which misleads the name finders
            if view.is_headline() {
                continue;
            }
            let words: Vec<&str> = view.words.iter().map(String::as_str).collect();
            let tree = Tree::new(doc, si);
            let matches = self.lexicon.find(&words);
            let mut cands: Vec<Cand> = Vec::new();
            for m in matches {
                let entry = &self.lexicon.entries[m.entry];
                // the head is the first word, except for phrases like "is against"/"ready to"
                let head = m.start;
                let span = Span::new(view.spans[m.start].start, view.spans[m.end - 1].end);
                if direct_quotes.iter().any(|q| q.contains(span)) {
                    continue;
                }
                // triggers inside an entity name ("Popular Mobilization Forces")
                if view.entity_at(head).is_some() {
                    continue;
                }
                let w = view.word(head);
                // a capitalised trigger inside a sentence is a name or a month ("March", "Strike Force")
                let raw = &doc.text[view.spans[head].start..view.spans[head].end];
                if head > 0
                    && raw.chars().next().is_some_and(char::is_uppercase)
                    && !matches!(view.word(head - 1), "\"" | "“" | "'" | "‘" | "(" | ":")
                {
                    continue;
                }
                // "blamed on X" is attribution, not an accusation event
                if entry.event_type == PloverType::Accuse
                    && matches!(view.word(m.end), "on" | "for")
                    && w.ends_with("ed")
                {
                    continue;
                }
                let lo = head.saturating_sub(4);
                let mut flags: Vec<String> = Vec::new();
                let mut event_type = entry.event_type;
                let mut cameo = entry.cameo.clone();
                let negated =
                    view.window_has(head.saturating_sub(3), head, NEGATORS) || (w.ends_with("n't"));
                if negated {
                    if matches!(
                        event_type,
                        PloverType::Agree | PloverType::Support | PloverType::Cooperate
                    ) {
                        event_type = PloverType::Reject;
                        cameo = "120".into();
                    } else {
                        continue;
                    }
                }
                if view.window_has(lo, head, HABITUAL) && !w.ends_with("ed") {
                    continue;
                }
                if view.window_has(0, head, CONDITIONAL) {
                    continue;
                }
                if view.window_has(lo, head, FUTURE) {
                    flags.push("future".into());
                }
                if view.window_has(head.saturating_sub(6), head + 1, INTENT) {
                    flags.push("intent".into());
                    if !flags.iter().any(|f| f == "future") {
                        flags.push("future".into());
                    }
                }
                // an announced coercive act ("said it would impose a blockade") is a threat
                if flags.iter().any(|f| f == "future")
                    && !flags.iter().any(|f| f == "intent")
                    && matches!(
                        event_type,
                        PloverType::Sanction | PloverType::Coerce | PloverType::Assault
                    )
                {
                    event_type = PloverType::Threaten;
                    cameo = "130".into();
                }
                // purpose clause: "... to send fighters to support X" after an earlier trigger
                let infinitive = head > 0 && view.word(head - 1) == "to";
                if infinitive && !cands.is_empty() {
                    continue;
                }
                // the complement of a previous trigger: "is against normalizing relations",
                // "demanding sanctions", "denied that it supports the group"
                if let Some(prev) = cands.last() {
                    let framing = matches!(
                        prev.event_type,
                        PloverType::Request
                            | PloverType::Reject
                            | PloverType::Threaten
                            | PloverType::Accuse
                            | PloverType::Agree
                    );
                    if (w.ends_with("ing") || framing) && prev.end + 2 > head {
                        continue;
                    }
                    let denial = prev.event_type == PloverType::Reject && prev.cameo == "125";
                    if denial && (prev.end..head).any(|i| view.word(i) == "that") {
                        continue;
                    }
                }
                // a verb form right after a determiner is a noun ("the strike", "a meeting")
                let pos = if entry.pos == TriggerPos::Verb
                    && head > 0
                    && (matches!(view.word(head - 1), "a" | "an")
                        || DETERMINERS.contains(&view.word(head - 1))
                        || view.word(head - 1) == "'s")
                {
                    TriggerPos::Noun
                } else {
                    entry.pos
                };
                // nouns need something new: a place, a date or casualties near them, or an actor modifier
                if pos == TriggerPos::Noun {
                    let det = head > 0
                        && (DETERMINERS.contains(&view.word(head - 1))
                            || (head > 1
                                && DETERMINERS.contains(&view.word(head - 2))
                                && !view.word(head - 1).ends_with("'s")));
                    let before = head.saturating_sub(3)..head;
                    let after = m.end..m.end + 4;
                    let sent_span = doc.sentences[si].span;
                    let near_date =
                        doc.dates
                            .iter()
                            .filter(|d| sent_span.contains(d.span))
                            .any(|d| {
                                let (first, last) = view.token_range(d.span);
                                (last > 0 && before.contains(&(last - 1))) || after.contains(&first)
                            });
                    let near_place = doc
                        .places
                        .iter()
                        .filter(|p| sent_span.contains(p.span))
                        .any(|p| {
                            let (first, last) = view.token_range(p.span);
                            last == head
                                || (after.contains(&first)
                                    && view.prep_before(first).is_some_and(|w| {
                                        matches!(
                                            w,
                                            "in" | "near"
                                                | "at"
                                                | "on"
                                                | "outside"
                                                | "inside"
                                                | "around"
                                                | "across"
                                        )
                                    }))
                        });
                    let casualties =
                        matches!(entry.event_type, PloverType::Assault | PloverType::Coerce)
                            && doc.casualties.iter().any(|c| c.sentence == si);
                    let modifier = head > 0 && view.entity_at(head - 1).is_some();
                    let anchored = near_date || near_place || casualties || modifier;
                    // a material act introduced as new ("a protest", "clashes", "airstrikes")
                    // is an event; a definite or verbal noun needs something new beside it
                    let indefinite = head == 0 || !DETERMINERS.contains(&view.word(head - 1));
                    let new_material = indefinite
                        && !det
                        && matches!(
                            entry.event_type,
                            PloverType::Assault | PloverType::Protest | PloverType::Coerce
                        );
                    if !new_material
                        && (!anchored || (det && !near_date && !casualties && !near_place))
                    {
                        continue;
                    }
                }
                // passive voice: "X was killed (by Y)"
                let mut k = head;
                while k > 0 && ADVERBS.contains(&view.word(k - 1)) {
                    k -= 1;
                }
                let passive = pos == TriggerPos::Verb
                    && k > 0
                    && AUX_PASSIVE.contains(&view.word(k - 1))
                    && !w.ends_with("ing");
                // "X, killed in ...", "another person injured in ...": a participle with no
                // object is passive
                let reduced_passive = pos == TriggerPos::Verb
                    && matches!(entry.event_type, PloverType::Assault | PloverType::Coerce)
                    && w.ends_with("ed")
                    && head > 0
                    && m.end == head + 1
                    && matches!(
                        view.word(m.end),
                        "by" | "in"
                            | "on"
                            | "at"
                            | "during"
                            | "when"
                            | "while"
                            | "after"
                            | ","
                            | "."
                            | "and"
                            | ""
                    );
                // the parse decides when it names the parties; word-order rules fill
                // what it leaves open (no parse, pronoun subjects, non-entity heads)
                let syntactic = tree.as_ref().map(|t| {
                    let slots = t.slots(m.start, m.end, pos == TriggerPos::Noun, &words);
                    (
                        view.slot_actors(t, &slots.actors, &words),
                        view.slot_actors(t, &slots.recipients, &words),
                        slots.passive,
                    )
                });
                let passive = syntactic.as_ref().map_or(passive, |s| s.2);
                let reduced_passive = syntactic.is_none() && reduced_passive;
                let (mut actors, mut recipients) = if passive || reduced_passive {
                    (
                        view.agent(m.end - 1).into_iter().collect::<Vec<_>>(),
                        view.subject(head),
                    )
                } else if pos == TriggerPos::Noun {
                    let modifier = (head > 0)
                        .then(|| view.entity_at(head - 1))
                        .flatten()
                        .and_then(|ei| view.actor_of(ei));
                    let agent = view.agent(m.end - 1);
                    // "militants launched an attack on X": the light verb's subject acts
                    let light = (head.saturating_sub(4)..head)
                        .rev()
                        .find(|&i| LIGHT_VERBS.contains(&view.word(i)));
                    let actors: Vec<Actor> = match (modifier.or(agent), light) {
                        (Some(a), _) => vec![a],
                        (None, Some(v)) => view.subject(v),
                        (None, None) => Vec::new(),
                    };
                    (actors, view.objects(m.end - 1))
                } else if (w.ends_with("ing") && head > 0 && view.word(head - 1) == ",")
                    || (head > 0 && view.word(head - 1) == "and" && !cands.is_empty())
                {
                    // ", killing one person" / "killed 37 and wounded 3,000": the subject
                    // is the main clause's ("protesters demonstrated ..., demanding X")
                    let main = cands.last().map(|c| c.actors.clone()).unwrap_or_default();
                    (main, view.objects(m.end - 1))
                } else {
                    (view.subject(head), view.objects(m.end - 1))
                };
                if let Some((a, r, _)) = syntactic {
                    if !a.is_empty() {
                        actors = a;
                    }
                    if !r.is_empty() {
                        recipients = r;
                    }
                    recipients.retain(|x| !actors.iter().any(|a| a.key() == x.key()));
                }
                if actors.is_empty()
                    && matches!(event_type, PloverType::Assault | PloverType::Coerce)
                {
                    if let Some(a) = view.alleged() {
                        actors.push(a);
                        flags.push("alleged".into());
                    }
                }
                let mode = entry
                    .mode
                    .clone()
                    .or_else(|| sentence_mode(&words, event_type));
                cands.push(Cand {
                    event_type,
                    mode,
                    cameo,
                    start: m.start,
                    end: m.end,
                    head,
                    actors,
                    recipients,
                    flags,
                });
            }
            // one mention per type per sentence
            let mut merged: Vec<Cand> = Vec::new();
            for c in cands {
                if let Some(t) = merged.iter_mut().find(|t| t.event_type == c.event_type) {
                    for a in c.actors {
                        if !t.actors.iter().any(|x| x.key() == a.key())
                            && !t.recipients.iter().any(|x| x.key() == a.key())
                        {
                            t.actors.push(a);
                        }
                    }
                    for r in c.recipients {
                        if !t.recipients.iter().any(|x| x.key() == r.key())
                            && !t.actors.iter().any(|x| x.key() == r.key())
                        {
                            t.recipients.push(r);
                        }
                    }
                    for f in c.flags {
                        if !t.flags.contains(&f) {
                            t.flags.push(f);
                        }
                    }
                    if t.mode.is_none() {
                        t.mode = c.mode;
                    }
                } else {
                    merged.push(c);
                }
            }
            for c in merged {
                mentions.push(self.build_mention(doc, &view, si, c));
            }
        }
        doc.mentions = mentions;
        Ok(())
    }
}

impl EventStage {
    fn build_mention(&self, doc: &Document, view: &SentView, si: usize, c: Cand) -> EventMention {
        let sent = &doc.sentences[si];
        let trigger = Span::new(view.spans[c.start].start, view.spans[c.end - 1].end);
        let head_pos = view.spans[c.head].start;
        let date = doc
            .dates
            .iter()
            .filter(|d| d.sentence == si || sent.span.contains(d.span))
            .min_by_key(|d| d.span.distance(trigger))
            .map(|d| d.date.clone());
        let casualties = if matches!(c.event_type, PloverType::Assault | PloverType::Coerce) {
            doc.casualties
                .iter()
                .filter(|x| x.sentence == si || sent.span.contains(x.span))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let quotes = doc
            .quotes
            .iter()
            .enumerate()
            .filter(|(_, q)| q.sentence == si || sent.span.contains(q.span))
            .map(|(i, _)| i)
            .collect();
        let words: Vec<&str> = view.words.iter().map(String::as_str).collect();
        let acled = crate::acled::classify(
            &self.mapping,
            c.event_type,
            c.mode.as_deref(),
            &c.actors,
            &c.recipients,
            &words,
        );
        let filled = [
            !c.actors.is_empty(),
            !c.recipients.is_empty(),
            date.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        let mut flags = c.flags;
        flags.sort();
        flags.dedup();
        let _ = head_pos;
        EventMention {
            event_type: c.event_type,
            mode: c.mode,
            context: Vec::new(),
            cameo: Some(c.cameo),
            acled_event_type: acled.as_ref().map(|a| a.0.clone()),
            acled_sub_event_type: acled.map(|a| a.1),
            sentence: si,
            trigger,
            span: sent.span,
            actors: c.actors,
            recipients: c.recipients,
            location: None,
            date,
            casualties,
            flags,
            quotes,
            confidence: 0.4 + 0.15 * filled as f32,
        }
    }
}

/// Mode from cue words in the sentence when the trigger itself has none.
fn sentence_mode(words: &[&str], t: PloverType) -> Option<String> {
    if t != PloverType::Assault {
        return None;
    }
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if has(&["drone", "drones", "uav"]) {
        Some("drone".into())
    } else if has(&[
        "airstrike",
        "airstrikes",
        "warplanes",
        "jets",
        "aircraft",
        "helicopter",
        "helicopters",
    ]) {
        Some("air".into())
    } else if has(&[
        "bomb",
        "bombs",
        "explosive",
        "explosives",
        "ied",
        "explosion",
        "explosions",
        "blast",
        "detonated",
        "landmine",
        "mine",
    ]) {
        Some("explosives".into())
    } else if has(&[
        "shelling",
        "artillery",
        "mortar",
        "mortars",
        "rocket",
        "rockets",
        "missile",
        "missiles",
        "shells",
    ]) {
        Some("artillery".into())
    } else if has(&["gunmen", "gunfire", "shot", "rifle", "guns", "gunman"]) {
        Some("firearms".into())
    } else {
        None
    }
}
