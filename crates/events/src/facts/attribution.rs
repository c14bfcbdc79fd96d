//! Attribution helpers shared by quotes and casualty sources: takes text and
//! byte ranges, gives speech cues ("said", "according to"), the noun phrase that
//! is the cue's subject, and a [`Resolver`] that turns that phrase into a
//! [`Speaker`] (entity actor name, or the most recent compatible named entity for
//! pronouns and "the official" / "the group").

use chronicle_core::{Actor, Document, EntityKind, Span, Speaker};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// A speech cue found in the text.
#[derive(Debug, Clone)]
pub(crate) struct Cue {
    pub span: Span,
    pub text: String,
    /// "according to X": the speaker follows the cue.
    pub according: bool,
    /// Cue takes an addressee before its content ("told reporters that").
    pub takes_object: bool,
    /// A participle ("..., adding that ..."): its speaker is the main clause's.
    pub participle: bool,
}

static CUE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(said|says|say|added|adds|declared|declares|told|tells|stated|confirmed|confirms|announced|announces|warned|warns|vowed|vows|emphasi[sz]ed|emphasi[sz]es|stressed|stresses|pointed out|points out|dismissed|dismisses|noted|explained|explains|insisted|insists|claimed|argued|argues|asserted|asserts|affirmed|reiterated|urged|urges|threatened|denied|denies|acknowledged|admitted|wrote|writes|tweeted|replied|responded|asked|reported|reports|claims|notes|states|writes|adding|saying|noting|stressing|insisting|arguing|claiming|explaining|asserting|declaring|vowing|emphasi[sz]ing|[Aa]ccording to)(?-u:\b)",
    )
    .expect("cue regex")
});

/// Verbs that report speech or belief only through a clausal complement ("polls
/// show that …", "she believes the plan …"), in the forms news uses. They are read
/// from the dependency parse alone: without one, "show" or "found" is too often
/// not a report.
const CLAUSE_CUES: &[&str] = &[
    "believe",
    "believes",
    "believed",
    "think",
    "thinks",
    "thought",
    "suggest",
    "suggests",
    "suggested",
    "agree",
    "agrees",
    "agreed",
    "predict",
    "predicts",
    "predicted",
    "estimate",
    "estimates",
    "estimated",
    "show",
    "shows",
    "showed",
    "shown",
    "find",
    "finds",
    "found",
    "expect",
    "expects",
    "expected",
    "fear",
    "fears",
    "feared",
    "hope",
    "hopes",
    "hoped",
    "know",
    "knows",
    "knew",
    "feel",
    "feels",
    "felt",
    "worry",
    "worries",
    "worried",
    "promise",
    "promises",
    "promised",
    "pledge",
    "pledges",
    "pledged",
    "concede",
    "concedes",
    "conceded",
    "contend",
    "contends",
    "contended",
    "maintain",
    "maintains",
    "maintained",
    "complain",
    "complains",
    "complained",
    "signal",
    "signals",
    "signaled",
    "signalled",
    "indicate",
    "indicates",
    "indicated",
    "reveal",
    "reveals",
    "revealed",
    "recall",
    "recalls",
    "recalled",
    "observe",
    "observes",
    "observed",
    "allege",
    "alleges",
    "alleged",
    "charge",
    "charges",
    "charged",
    "mention",
    "mentions",
    "mentioned",
    "assure",
    "assures",
    "assured",
    "conclude",
    "concludes",
    "concluded",
    "recognize",
    "recognizes",
    "recognized",
    "realize",
    "realizes",
    "realized",
    "understand",
    "understands",
    "understood",
    "doubt",
    "doubts",
    "doubted",
    "suspect",
    "suspects",
    "suspected",
    "assume",
    "assumes",
    "assumed",
    "propose",
    "proposes",
    "proposed",
    "recommend",
    "recommends",
    "recommended",
    "speculate",
    "speculates",
    "speculated",
    "hint",
    "hints",
    "hinted",
    "testify",
    "testifies",
    "testified",
    "imply",
    "implies",
    "implied",
    "acknowledges",
    "admits",
    "emphasize",
    "emphasizes",
    "announce",
    "demand",
    "demands",
    "demanded",
];

static CLAUSE_CUE_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| CLAUSE_CUES.iter().copied().collect());

/// Whether a word (as written: these verbs are lower case) is one of [`CLAUSE_CUES`].
pub(crate) fn is_clause_cue(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase()) && CLAUSE_CUE_SET.contains(word)
}

static HEAD_PP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s(?:in|at|from|near|with)\s").expect("head regex"));

static TRAILING_FILLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:,?\s*(?:who\s+)?(?:spoke|speaking|talking)\s+(?:on|under)\s+(?:the\s+)?condition\s+of\s+anonymity,?|,\s*(?:speaking|talking|writing|addressing)\s+[^,]{1,150}(?:,\s*which\s+[^,]{1,150})?,|,?\s*(?:who\s+)?(?:asked|declined|asking|declining)\s+not\s+to\s+be\s+(?:named|identified),?|\s+(?:also|has|have|had|then|later|previously|earlier|reportedly|separately|publicly|recently|again|further|once|however|will|would|could|may|might|can|yesterday|today|tonight|(?:(?:late|early)\s+)?on\s+\w+day(?:\s+(?:night|morning|afternoon|evening))?|\w+day(?:\s+(?:night|morning|afternoon|evening))?|last\s+(?:week|month|year|night)|in\s+an?\s+(?:\w+\s+){0,2}(?:statement|interview|speech|address|post|briefing))|\s*,)\s*$",
    )
    .expect("filler regex")
});

/// Words that end a subject noun phrase when walking left from a cue.
const BOUNDARY: &[&str] = &[
    "that", "which", "who", "whom", "whose", "and", "but", "or", "nor", "while", "when", "whereas",
    "as", "because", "after", "before", "since", "if", "though", "although", "unless", "until",
    "where", "so", "than", "on", "in", "at", "with", "from", "to", "by", "during", "over", "into",
    "about", "against", "near", "under", "amid", "via", "per", "said", "says", "say", "told",
    "added", "is", "are", "was", "were", "be", "been", "being", "not", "also", "has", "had",
    "have", "it's", "there", "here", "what", "how", "why",
];

/// Nouns for people that take a place phrase inside their noun phrase.
const PEOPLE_NOUNS: &[&str] = &[
    "official",
    "officials",
    "residents",
    "resident",
    "sources",
    "source",
    "witnesses",
    "witness",
    "doctors",
    "doctor",
    "police",
    "authorities",
    "activists",
    "activist",
    "medics",
    "medic",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "journalists",
    "journalist",
    "correspondent",
    "diplomats",
    "diplomat",
    "commander",
    "commanders",
    "workers",
    "worker",
    "staff",
    "rescuers",
    "people",
    "someone",
    "experts",
    "analysts",
];

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our",
];

const PER_PRONOUNS: &[&str] = &["he", "she"];
const ORG_PRONOUNS: &[&str] = &["it", "they"];
const PER_ROLES: &[&str] = &[
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "leader",
    "commander",
    "president",
    "prime minister",
    "envoy",
    "ambassador",
    "general",
    "chief",
    "secretary",
    "lawmaker",
    "senator",
    "governor",
    "cleric",
    "diplomat",
    "source",
    "man",
    "woman",
    "mayor",
    "head",
];
const ORG_ROLES: &[&str] = &[
    "group",
    "faction",
    "militia",
    "movement",
    "organization",
    "organisation",
    "ministry",
    "army",
    "party",
    "agency",
    "observatory",
    "monitor",
    "coalition",
    "alliance",
    "government",
    "council",
    "committee",
    "company",
    "network",
    "brigade",
    "brigades",
    "force",
    "forces",
    "office",
    "administration",
    "embassy",
    "department",
];
const ORG_WORDS: &[&str] = &[
    "ministry",
    "army",
    "forces",
    "force",
    "group",
    "party",
    "council",
    "observatory",
    "agency",
    "committee",
    "brigades",
    "brigade",
    "front",
    "movement",
    "organization",
    "organisation",
    "union",
    "association",
    "police",
    "government",
    "office",
    "corps",
    "command",
    "authority",
    "court",
    "bank",
    "news",
    "press",
    "times",
    "reuters",
    "afp",
    "company",
    "institute",
    "university",
    "commission",
    "coalition",
    "alliance",
    "network",
    "media",
    "mobilization",
    "mobilisation",
    "unit",
    "units",
    "guard",
    "department",
    "state",
    "nations",
    "hezbollah",
    "hamas",
    "kataib",
    "militia",
    "cross",
    "crescent",
    "federation",
    "assembly",
    "parliament",
    "congress",
    "senate",
    "pentagon",
    "kremlin",
    "ministers",
    "faction",
    "factions",
    "militias",
    "states",
    "kingdom",
    "republic",
    "emirates",
    "arabia",
    "nations",
    "administration",
    "tv",
    "television",
    "radio",
    "agency's",
    "observatory",
    "framework",
    "mission",
    "hospital",
    "directorate",
    "regime",
    "cabinet",
    "presidency",
];
/// Titles that precede a person's name.
const TITLES: &[&str] = &[
    "secretary",
    "general",
    "leader",
    "minister",
    "president",
    "commander",
    "chief",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "sheikh",
    "shaikh",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "envoy",
    "ambassador",
    "governor",
    "senator",
    "king",
    "prince",
    "emir",
    "imam",
    "ayatollah",
    "colonel",
    "col",
    "lieutenant",
    "lt",
    "major",
    "maj",
    "captain",
    "capt",
    "brigadier",
    "gen",
    "deputy",
    "mayor",
    "premier",
    "chairman",
    "director",
    "rep",
    "representative",
    "sen",
    "judge",
    "host",
    "anchor",
    "moderator",
    "correspondent",
    "pope",
    "cardinal",
    "bishop",
    "sergeant",
    "sgt",
    "admiral",
    "marshal",
];
/// Capitalised only because they start a sentence.
const FUNCTION_WORDS: &[&str] = &[
    "if",
    "but",
    "and",
    "when",
    "as",
    "after",
    "before",
    "meanwhile",
    "however",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "by",
    "since",
    "while",
    "although",
    "though",
    "during",
    "according",
    "last",
    "it",
    "they",
    "we",
    "i",
    "there",
    "then",
    "so",
    "yet",
    "also",
    "still",
    "now",
    "today",
    "yesterday",
    "earlier",
    "later",
    "separately",
    "speaking",
    "asked",
    "under",
    "despite",
    "amid",
    "following",
    "over",
    "to",
    "of",
    "what",
    "why",
    "how",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
/// Country-like names that act as organisations ("United States", "Kingdom").
const GEO_SUFFIX: &[&str] = &[
    "washington",
    "moscow",
    "beijing",
    "tehran",
    "ankara",
    "damascus",
    "baghdad",
    "beirut",
    "cairo",
    "riyadh",
    "london",
    "paris",
    "berlin",
    "kyiv",
    "jerusalem",
];

const NAME_PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "abu", "de", "la", "du", "van", "von", "der", "of", "for",
    "and", "the",
];

fn is_boundary(w: &str) -> bool {
    let lw = w.to_lowercase();
    BOUNDARY.contains(&lw.as_str())
}

fn is_capitalised(w: &str) -> bool {
    let w = w.trim_start_matches(['(', '[', '\'', '‘']);
    let core = w.split_once('-').filter(|(p, _)| {
        matches!(
            *p,
            "al" | "el" | "as" | "ad" | "an" | "ar" | "ash" | "at" | "az"
        )
    });
    let w = core.map(|(_, rest)| rest).unwrap_or(w);
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Speech cues inside `range`, skipping passives ("is said to") and nominal uses ("the reported attack").
pub(crate) fn cues_in(text: &str, range: Span) -> Vec<Cue> {
    let Some(slice) = text.get(range.start..range.end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in CUE_RE.find_iter(slice) {
        let start = range.start + m.start();
        let before = &text[range.start..start];
        let prev = before
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_lowercase();
        let word = m.as_str().to_lowercase();
        let according = word == "according to";
        // plural nouns as often as verbs: only "X reports: ..." / "X claims that ..."
        if matches!(word.as_str(), "reports" | "claims" | "notes" | "states") {
            let after = text[range.start + m.end()..range.end].trim_start();
            if !(after.starts_with(':') || after.starts_with("that ")) {
                continue;
            }
        }
        if !according
            && matches!(
                prev.as_str(),
                "is" | "are"
                    | "was"
                    | "were"
                    | "be"
                    | "been"
                    | "being"
                    | "the"
                    | "a"
                    | "an"
                    | "its"
                    | "their"
                    | "his"
                    | "her"
                    | "widely"
                    | "not"
            )
        {
            continue;
        }
        out.push(Cue {
            span: Span::new(start, range.start + m.end()),
            text: m.as_str().to_string(),
            according,
            participle: !according && word.ends_with("ing"),
            takes_object: matches!(
                word.as_str(),
                "told" | "tells" | "urged" | "urges" | "asked" | "warned" | "warns"
            ),
        });
    }
    out
}

/// The subject noun phrase ending right before `cue_start` (not before `lo`):
/// "Iraqi militia leader Abu Alaa al-Walai said" → "Iraqi militia leader Abu
/// Alaa al-Walai"; "Walai, the group's leader, said" → "Walai"; "he also said" → "he".
pub(crate) fn subject_before(text: &str, lo: usize, cue_start: usize) -> Option<Span> {
    if lo >= cue_start || !text.is_char_boundary(lo) || !text.is_char_boundary(cue_start) {
        return None;
    }
    let mut end = cue_start;
    // strip trailing adverbials / auxiliaries
    for _ in 0..6 {
        let seg = &text[lo..end];
        let trimmed_len = seg.trim_end().len();
        let Some(m) = TRAILING_FILLER.find(&seg[..trimmed_len]) else {
            end = lo + trimmed_len;
            break;
        };
        if m.start() == 0 {
            return None;
        }
        end = lo + m.start();
    }
    let seg = &text[lo..end];
    let seg_trim = seg.trim_end();
    end = lo + seg_trim.len();
    // appositive: "Walai, the group's leader," (the trailing comma was stripped above only
    // when the cue followed it directly, so look for "X, APPOSITIVE" at the end)
    if let Some(head) = appositive_head(text, lo, end, cue_start) {
        return Some(head);
    }
    np_ending_at(text, lo, end)
}

/// "X, the group's leader, said": when the text just before the cue is an
/// appositive after a name, return the name.
fn appositive_head(text: &str, lo: usize, end: usize, cue_start: usize) -> Option<Span> {
    let between = &text[end..cue_start];
    if !between.trim_start().starts_with(',') {
        return None;
    }
    let seg = &text[lo..end];
    let comma = seg.rfind(',')?;
    let appos = seg[comma + 1..].trim();
    let first = appos.split_whitespace().next()?.to_lowercase();
    let appos_is_np =
        DETERMINERS.contains(&first.as_str()) || appos.split_whitespace().count() <= 6;
    if !appos_is_np {
        return None;
    }
    let head = np_ending_at(text, lo, lo + seg[..comma].trim_end().len())?;
    let head_text = &text[head.start..head.end];
    // only a named head ("Walai") wins over the appositive; "the army, which ..." does not
    if head_text.split_whitespace().any(is_capitalised)
        && !PER_PRONOUNS.contains(&head_text.to_lowercase().as_str())
    {
        Some(head)
    } else {
        None
    }
}

/// Walk left from `end` over at most 8 words of a noun phrase.
fn np_ending_at(text: &str, lo: usize, end: usize) -> Option<Span> {
    let seg = &text[lo..end];
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = seg.len();
    for w in seg.split_whitespace().rev() {
        // locate this word's byte offset (search backward from i)
        let pos = seg[..i].rfind(w)?;
        i = pos;
        let is_last = words.is_empty();
        let ends_punct = w.ends_with([
            ',', ';', ':', '(', ')', '“', '”', '"', '—', '–', '.', '!', '?',
        ]);
        let has_quote = w.contains(['“', '”', '"']);
        // "Mr. Obama", "U.S. officials": a title or abbreviation stays in the phrase
        let abbreviation =
            w.ends_with('.') && super::abbreviation_before(text, lo + pos + w.len() - 1);
        if (!is_last && ends_punct && !abbreviation) || has_quote {
            break;
        }
        if is_boundary(w) {
            // "officials in Tyre", "a doctor at the hospital": keep the PP after a people noun
            let lw = w.to_lowercase();
            let prev = seg[..pos]
                .split_whitespace()
                .last()
                .unwrap_or("")
                .to_lowercase();
            let nounish = !prev.is_empty()
                && !is_boundary(&prev)
                && !prev.ends_with("ed")
                && !prev.ends_with("ing")
                && !prev.ends_with("ly")
                && !prev.ends_with([',', ';', ':', '.', '”', '"'])
                && !crate::facts::numbers::is_number_word(&prev)
                && !prev.chars().any(|c| c.is_ascii_digit());
            if !(matches!(lw.as_str(), "in" | "at" | "from" | "near" | "with")
                && (PEOPLE_NOUNS.contains(&prev.as_str()) || nounish))
            {
                break;
            }
        }
        if is_last && ends_punct {
            // "X." cannot be a subject
            break;
        }
        words.push((lo + pos, lo + pos + w.len()));
        if words.len() >= 8 {
            break;
        }
    }
    words.reverse();
    // drop leading lowercase non-determiner words ("killed officials" → "officials")
    while words.len() > 1 {
        let w = &text[words[0].0..words[0].1];
        let lw = w.to_lowercase();
        if is_capitalised(w)
            || DETERMINERS.contains(&lw.as_str())
            || PER_PRONOUNS.contains(&lw.as_str())
            || lw.ends_with("'s")
            || lw.ends_with("’s")
        {
            break;
        }
        // keep adjective + noun ("local officials"), drop verbs-ish words ending in -ed/-ing
        if !(lw.ends_with("ed") || lw.ends_with("ing")) && words.len() <= 3 {
            break;
        }
        words.remove(0);
    }
    // cut at an inner determiner ("Friday the group's spokesman" → "the group's spokesman")
    if let Some(k) = (1..words.len()).rev().find(|&k| {
        let w = text[words[k].0..words[k].1].to_lowercase();
        let prev = text[words[k - 1].0..words[k - 1].1].to_lowercase();
        matches!(w.as_str(), "the" | "a" | "an")
            && !NAME_PARTICLES.contains(&prev.as_str())
            && !matches!(prev.as_str(), "in" | "at" | "from" | "near" | "with")
    }) {
        words.drain(..k);
    }
    let (s, e) = (words.first()?.0, words.last()?.1);
    let t = text[s..e].to_lowercase();
    if DETERMINERS.contains(&t.as_str()) || matches!(t.as_str(), "who" | "which" | "that") {
        return None;
    }
    Some(Span::new(s, e))
}

/// The noun phrase starting after `pos` ("said the Syrian Observatory for Human
/// Rights."; "according to the ministry, ...").
pub(crate) fn np_after(text: &str, pos: usize, hi: usize) -> Option<Span> {
    let hi = hi.min(text.len());
    if pos >= hi || !text.is_char_boundary(pos) || !text.is_char_boundary(hi) {
        return None;
    }
    let seg = &text[pos..hi];
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    for w in seg.split_whitespace() {
        let off = i + seg[i..].find(w)?;
        i = off + w.len();
        if w.contains(['“', '”', '"']) || is_boundary(w) && !words.is_empty() {
            break;
        }
        if words.is_empty() && is_boundary(w) {
            break;
        }
        let core = w.trim_end_matches([',', ';', ':', '.', '!', '?', ')', '—']);
        if !core.is_empty() {
            words.push((pos + off, pos + off + core.len()));
        }
        if core.len() != w.len() || words.len() >= 8 {
            break;
        }
    }
    let (s, e) = (words.first()?.0, words.last()?.1);
    Some(Span::new(s, e))
}

/// Broad class of a speaker, for pronoun agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Per,
    Org,
}

#[derive(Debug, Clone)]
struct Mention {
    pos: usize,
    name: String,
    actor: Option<Actor>,
    class: Class,
    /// A resolved speaker (preferred over plain subject mentions at equal recency).
    speaker: bool,
    /// In subject position: a candidate antecedent for pronouns.
    subject: bool,
}

/// Resolves subject phrases to speakers, remembering named speakers so later
/// pronouns ("he", "the group") find them.
pub(crate) struct Resolver<'a> {
    doc: &'a Document,
    /// PER/ORG entities in subject position, plus resolved speakers, by position.
    mentions: Vec<Mention>,
}

impl<'a> Resolver<'a> {
    pub fn new(doc: &'a Document) -> Self {
        let mut mentions = Vec::new();
        for e in &doc.entities {
            let class = match e.kind {
                EntityKind::Per => Class::Per,
                EntityKind::Org => Class::Org,
                _ => continue,
            };
            if e.span.end > doc.text.len()
                || !doc.text.is_char_boundary(e.span.start)
                || !doc.text.is_char_boundary(e.span.end)
            {
                continue;
            }
            let sent_start = doc
                .sentences
                .get(e.sentence)
                .map(|s| s.span.start)
                .filter(|&s| s <= e.span.start && doc.text.is_char_boundary(s));
            let before_words = sent_start
                .map(|s| doc.text[s..e.span.start].split_whitespace().count())
                .unwrap_or(0);
            let after = &doc.text[e.span.end..super::floor_char(&doc.text, e.span.end + 120)];
            // a speech cue within 100 characters, seven words and no sentence or
            // quote break of the name
            let limit = after
                .char_indices()
                .nth(100)
                .map_or(after.len(), |(i, _)| i);
            let followed_by_cue = CUE_RE
                .find_iter(after)
                .take_while(|m| m.start() < limit)
                .any(|m| {
                    let gap = &after[..m.start()];
                    gap.split_whitespace().count() <= 7 && !gap.contains(['.', '“', '"'])
                });
            {
                // a name inside quotation marks is quoted, not a speaker ("“Nasrallah told me…,” he said")
                let quoted = inside_quote(&doc.text, e.span.start);
                // "he"/"she" refer to named people, not to role groups ("fighters", "residents")
                let common_noun = !e.text.chars().next().is_some_and(char::is_uppercase);
                if common_noun && class == Class::Per {
                    continue;
                }
                mentions.push(Mention {
                    subject: !quoted && (before_words <= 5 || followed_by_cue),
                    pos: e.span.start,
                    // a bare role ("official", "militia official") says more in its own
                    // words than as its sector label ("government", "armed groups")
                    name: e
                        .actor
                        .as_ref()
                        .filter(|a| !(e.source == "role" && a.country.is_none()))
                        .map(|a| a.name.clone())
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| e.text.clone()),
                    actor: e.actor.clone(),
                    class,
                    speaker: false,
                });
            }
        }
        if doc.entities.is_empty() {
            mentions.extend(fallback_subjects(doc));
        }
        Resolver { doc, mentions }
    }

    /// Turn a subject phrase into a speaker; remembers it for later pronouns.
    pub fn resolve(&mut self, np: Span) -> Option<Speaker> {
        let text = self.doc.text.get(np.start..np.end)?.trim();
        if text.is_empty() {
            return None;
        }
        // the entity stage already resolved this definite group mention ("the
        // faction" → Kataib Hezbollah): take its actor rather than the most recent
        // organisation (people roles such as "the official" still go to the most
        // recent named person below)
        if let Some(e) = self.doc.entities.iter().find(|e| {
            e.source == "coref"
                && e.kind == EntityKind::Org
                && np.contains(e.span)
                && e.actor.as_ref().is_some_and(|a| !a.name.is_empty())
        }) {
            let actor = e.actor.clone().expect("checked above");
            self.note(
                np.start,
                actor.name.clone(),
                Some(actor.clone()),
                Class::Org,
            );
            return Some(Speaker {
                surface: Some(text.to_string()),
                name: actor.name.clone(),
                span: Some(np),
                actor: Some(actor),
            });
        }
        let lower = text.to_lowercase();
        let bare = lower.strip_prefix("the ").unwrap_or(&lower);
        let anaphor = if PER_PRONOUNS.contains(&lower.as_str())
            || (lower.starts_with("the ") && PER_ROLES.contains(&bare))
        {
            Some(vec![Class::Per])
        } else if lower == "they" {
            Some(vec![Class::Org, Class::Per])
        } else if ORG_PRONOUNS.contains(&lower.as_str())
            || (lower.starts_with("the ") && ORG_ROLES.contains(&bare))
        {
            Some(vec![Class::Org])
        } else {
            None
        };
        if let Some(classes) = anaphor {
            for class in classes {
                if let Some(m) = self.most_recent(np.start, class) {
                    let sp = Speaker {
                        name: m.name.clone(),
                        surface: Some(text.to_string()),
                        span: Some(np),
                        actor: m.actor.clone(),
                    };
                    self.note(np.start, m.name, m.actor, m.class);
                    return Some(sp);
                }
            }
            let name = strip_determiner(text);
            return Some(Speaker {
                surface: (name != text).then(|| text.to_string()),
                name: name.to_string(),
                span: Some(np),
                actor: None,
            });
        }
        // the head of the phrase ends before a place phrase ("officials in Tyre")
        let head_end = HEAD_PP
            .find(text)
            .map(|m| np.start + (self.doc.text[np.start..np.end].len() - text.len()) + m.start())
            .unwrap_or(np.end);
        let head = Span::new(np.start, head_end.max(np.start));
        let head_text = self.doc.text[head.start..head.end].trim();
        // named: an entity inside the phrase
        let ents: Vec<_> = self
            .doc
            .entities
            .iter()
            .filter(|e| head.contains(e.span) || e.span.contains(np))
            .collect();
        let pick = ents
            .iter()
            .rev()
            .find(|e| e.kind == EntityKind::Per)
            .or_else(|| ents.iter().rev().find(|e| e.kind == EntityKind::Org))
            .or_else(|| {
                ents.iter()
                    .rev()
                    .find(|e| e.kind == EntityKind::Loc && e.actor.is_some())
            });
        if let Some(e) = pick {
            let class = if e.kind == EntityKind::Per {
                Class::Per
            } else {
                Class::Org
            };
            let name = match e
                .actor
                .as_ref()
                .map(|a| a.name.clone())
                .filter(|n| !n.is_empty())
            {
                Some(n) => n,
                None if class == Class::Per => self.expand_surname(&e.text, np.start),
                None => e.text.clone(),
            };
            self.note(np.start, name.clone(), e.actor.clone(), class);
            return Some(Speaker {
                surface: (name != text).then(|| text.to_string()),
                name,
                span: Some(np),
                actor: e.actor.clone(),
            });
        }
        // no entity: a capitalised name at the end of the phrase
        if let Some((name, class, org)) = named_parts(head_text) {
            // a surname alone ("Walai") refers back to a full name said before
            let name = if class == Class::Per {
                self.expand_surname(&name, np.start)
            } else {
                name
            };
            if let Some(org) = org {
                self.note(np.start, org, None, Class::Org);
            }
            self.note(np.start, name.clone(), None, class);
            return Some(Speaker {
                surface: (name != text).then(|| text.to_string()),
                name,
                span: Some(np),
                actor: None,
            });
        }
        let name = strip_determiner(text);
        Some(Speaker {
            surface: (name != text).then(|| text.to_string()),
            name: name.to_string(),
            span: Some(np),
            actor: None,
        })
    }

    /// A one-word name ("Walai") that ends a full name mentioned before
    /// ("Abu Alaa al-Walai") is that person.
    fn expand_surname(&self, name: &str, pos: usize) -> String {
        if name.contains(' ') {
            return name.to_string();
        }
        self.mentions
            .iter()
            .filter(|m| m.pos < pos && m.class == Class::Per && m.name.contains(' '))
            .filter(|m| {
                m.name.split_whitespace().any(|w| {
                    w.eq_ignore_ascii_case(name)
                        || w.to_lowercase()
                            .ends_with(&format!("-{}", name.to_lowercase()))
                })
            })
            .max_by_key(|m| m.pos)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| name.to_string())
    }

    fn most_recent(&self, pos: usize, class: Class) -> Option<Mention> {
        self.mentions
            .iter()
            .filter(|m| m.pos < pos && m.class == class && (m.subject || m.speaker))
            .max_by_key(|m| (m.pos, m.speaker))
            .cloned()
    }

    fn note(&mut self, pos: usize, name: String, actor: Option<Actor>, class: Class) {
        self.mentions.push(Mention {
            pos,
            name,
            actor,
            class,
            speaker: true,
            subject: true,
        });
    }
}

/// Is `pos` inside a quotation opened earlier in its paragraph? Counts curly
/// opening/closing marks and straight double quotes since the last blank line.
fn inside_quote(text: &str, pos: usize) -> bool {
    let para_start = text[..pos].rfind("\n\n").map(|i| i + 2).unwrap_or(0);
    let before = &text[para_start..pos];
    let open = before.matches('“').count() as i64 - before.matches('”').count() as i64;
    open > 0 || before.matches('"').count() % 2 == 1
}

/// Without an NER layer: runs of two or more capitalised words are names. All
/// serve surname expansion; the first run (within the first six words) and
/// organisation names anywhere also serve pronoun resolution.
fn fallback_subjects(doc: &Document) -> Vec<Mention> {
    let mut out = Vec::new();
    for s in super::sentence_spans(doc) {
        let seg = &doc.text[s.start..s.end];
        let mut runs: Vec<(usize, Vec<(usize, &str)>)> = Vec::new();
        let mut run: Vec<(usize, &str)> = Vec::new();
        let mut run_k = 0;
        let mut off = 0;
        for (k, w) in seg.split_whitespace().enumerate() {
            let Some(i) = seg[off..].find(w) else { break };
            let pos = off + i;
            off = pos + w.len();
            let core = w
                .trim_start_matches(['(', '“', '"', '‘'])
                .trim_end_matches([',', '.', ';', ':', '\'', '’', ')', '”', '"'])
                .trim_end_matches("'s")
                .trim_end_matches("’s");
            let lw = core.to_lowercase();
            let particle = NAME_PARTICLES.contains(&lw.as_str()) && !run.is_empty();
            let sentence_word = run.is_empty() && FUNCTION_WORDS.contains(&lw.as_str());
            let cap = is_capitalised(core)
                && !DETERMINERS.contains(&lw.as_str())
                && !PER_PRONOUNS.contains(&lw.as_str())
                && !sentence_word;
            if cap || particle {
                if run.is_empty() {
                    run_k = k;
                }
                run.push((
                    s.start + pos + (w.len() - w.trim_start_matches(['(', '“', '"', '‘']).len()),
                    core,
                ));
            }
            let ends = !(cap || particle) || core.len() != w.len();
            if ends {
                if run.len() >= 2 {
                    runs.push((run_k, std::mem::take(&mut run)));
                }
                run.clear();
            }
        }
        if run.len() >= 2 {
            runs.push((run_k, run));
        }
        for (n, (k, run)) in runs.into_iter().enumerate() {
            let name = run.iter().map(|(_, w)| *w).collect::<Vec<_>>().join(" ");
            let Some((name, class, org)) = named_parts(&name) else {
                continue;
            };
            let first = n == 0 && k < 6;
            if let Some(org) = org {
                out.push(Mention {
                    pos: run[0].0,
                    name: org,
                    actor: None,
                    class: Class::Org,
                    speaker: false,
                    subject: true,
                });
            }
            let subject = first || class == Class::Org;
            out.push(Mention {
                pos: run[0].0,
                name,
                actor: None,
                class,
                speaker: false,
                subject,
            });
        }
    }
    out
}

fn strip_determiner(t: &str) -> &str {
    for d in ["the ", "The ", "a ", "A ", "an ", "An "] {
        if let Some(r) = t.strip_prefix(d) {
            return r;
        }
    }
    t
}

/// "Iraqi militia leader Abu Alaa al-Walai" → ("Abu Alaa al-Walai", Per);
/// "the Syrian Observatory for Human Rights" → ("Syrian Observatory for Human Rights", Org).
#[cfg(test)]
fn trailing_name(t: &str) -> Option<(String, Class)> {
    named_parts(t).map(|(name, class, _)| (name, class))
}

/// Like [`trailing_name`], and also the organisation named before a title
/// ("Kataib Hezbollah Secretary Abu Alaa al-Walai" → person "Abu Alaa al-Walai",
/// organisation "Kataib Hezbollah").
fn named_parts(t: &str) -> Option<(String, Class, Option<String>)> {
    let words: Vec<&str> = t.split_whitespace().collect();
    let mut start = words.len();
    while start > 0 {
        let w = words[start - 1];
        let lw = w.to_lowercase();
        if is_capitalised(w) || (NAME_PARTICLES.contains(&lw.as_str()) && start < words.len()) {
            start -= 1;
        } else {
            break;
        }
    }
    // do not start on a particle, determiner or sentence-initial function word
    while start < words.len() {
        let lw = words[start].to_lowercase();
        if (NAME_PARTICLES.contains(&lw.as_str()) && !is_capitalised(words[start]))
            || DETERMINERS.contains(&lw.as_str())
            || FUNCTION_WORDS.contains(&lw.as_str())
        {
            start += 1;
        } else {
            break;
        }
    }
    if start >= words.len() {
        return None;
    }
    // "officials in Tyre": the name is a place phrase, not the speaker
    let is_prep = |w: &str| {
        matches!(
            w.to_lowercase().as_str(),
            "in" | "at" | "from" | "near" | "with"
        )
    };
    if start > 0
        && (is_prep(words[start - 1])
            || (start > 1
                && words[start - 1].eq_ignore_ascii_case("the")
                && is_prep(words[start - 2])))
    {
        return None;
    }
    let mut name_words = &words[start..];
    let lname = name_words.join(" ").to_lowercase();
    if PER_PRONOUNS.contains(&lname.as_str())
        || ORG_PRONOUNS.contains(&lname.as_str())
        || lname == "they"
    {
        return None;
    }
    // a title inside the run: the person follows it, the organisation precedes it
    let norm = |w: &str| {
        w.to_lowercase()
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string()
    };
    if let Some(k) = name_words
        .iter()
        .rposition(|w| TITLES.contains(&norm(w).as_str()))
    {
        if k + 1 < name_words.len() {
            let first_title = name_words
                .iter()
                .position(|w| TITLES.contains(&norm(w).as_str()))
                .unwrap_or(k);
            let org = (first_title > 0).then(|| name_words[..first_title].join(" "));
            return Some((name_words[k + 1..].join(" "), Class::Per, org));
        }
        // "... Secretary" with no name after: not a name
        name_words = &name_words[..k];
        if name_words.is_empty() {
            return None;
        }
    }
    let name = name_words.join(" ");
    let class = if name_words
        .iter()
        .any(|w| ORG_WORDS.contains(&norm(w).as_str()))
        || name_words.len() == 1 && GEO_SUFFIX.contains(&norm(name_words[0]).as_str())
    {
        Class::Org
    } else {
        Class::Per
    };
    Some((name, class, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::test_util::{doc, entity};

    fn subj(text: &str) -> Option<String> {
        let cue = cues_in(text, Span::new(0, text.len())).into_iter().next()?;
        subject_before(text, 0, cue.span.start).map(|s| text[s.start..s.end].to_string())
    }

    #[test]
    fn subjects_before_cues() {
        assert_eq!(
            subj("Iraqi militia leader Abu Alaa al-Walai said on Friday").as_deref(),
            Some("Iraqi militia leader Abu Alaa al-Walai")
        );
        assert_eq!(
            subj("Walai, the group's leader, said").as_deref(),
            Some("Walai")
        );
        assert_eq!(
            subj("The fighting stopped, the army said.").as_deref(),
            Some("the army")
        );
        assert_eq!(subj("He also said").as_deref(), Some("He"));
        assert_eq!(
            subj("Two officials who spoke on condition of anonymity said").as_deref(),
            Some("Two officials")
        );
        assert_eq!(
            subj("The minister on Tuesday said").as_deref(),
            Some("The minister")
        );
        assert_eq!(subj("It is said to be"), None);
    }

    #[test]
    fn np_after_cue() {
        let t = "the toll rose, according to the Syrian Observatory for Human Rights.";
        let c = cues_in(t, Span::new(0, t.len())).remove(0);
        assert!(c.according);
        let s = np_after(t, c.span.end, t.len()).unwrap();
        assert_eq!(
            &t[s.start..s.end],
            "the Syrian Observatory for Human Rights"
        );
    }

    #[test]
    fn resolver_pronouns_and_names() {
        let text = "Brigade commander Tarek Hamdan spoke in Mosul. The Northern Front issued a statement. He said nothing. It said more.";
        let mut d = doc(text, None);
        entity(
            &mut d,
            "Tarek Hamdan",
            EntityKind::Per,
            Some("Tarek Hamdan"),
        );
        entity(
            &mut d,
            "Northern Front",
            EntityKind::Org,
            Some("Northern Front Movement"),
        );
        let mut r = Resolver::new(&d);
        let he = text.find("He said").unwrap();
        let sp = r.resolve(Span::new(he, he + 2)).unwrap();
        assert_eq!(sp.name, "Tarek Hamdan");
        assert_eq!(sp.surface.as_deref(), Some("He"));
        let it = text.find("It said").unwrap();
        let sp = r.resolve(Span::new(it, it + 2)).unwrap();
        assert_eq!(sp.name, "Northern Front Movement");
        assert!(sp.actor.is_some());
        assert_eq!(
            trailing_name("Iraqi militia leader Abu Alaa al-Walai")
                .unwrap()
                .0,
            "Abu Alaa al-Walai"
        );
        assert_eq!(
            trailing_name("the Syrian Observatory for Human Rights").unwrap(),
            (
                "Syrian Observatory for Human Rights".to_string(),
                Class::Org
            )
        );
    }
}
