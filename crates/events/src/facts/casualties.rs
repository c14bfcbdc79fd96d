//! Casualty counts: takes a document's sentences (and entities / quotes when
//! present), gives [`Casualty`] records — killed, wounded, missing, arrested,
//! displaced — with the count range, its qualifier and the reporting source.
//!
//! A number counts only when it is tied to a casualty word: the object of an
//! active verb ("killed at least 37 people"), the subject of a passive or
//! adjective ("three soldiers were killed", "5 dead"), or a death toll ("the toll
//! rose to 12"). Singular subjects ("a leader ... was killed", "another person
//! injured", "Hamdan was killed") count as one.

use super::attribution::{cues_in, np_after, subject_before, Resolver};
use super::numbers::{count_pattern, is_number_word, parse_count};
use super::sentence_spans;
use chronicle_core::{Casualty, CasualtyKind, Document, Qualifier, Result, Span, Stage};
use regex::Regex;
use std::sync::LazyLock;

/// Fills `doc.casualties` (replacing what was there).
#[derive(Debug, Default, Clone, Copy)]
pub struct CasualtyStage;

impl Stage for CasualtyStage {
    fn name(&self) -> &'static str {
        "casualties"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        let mut out = Vec::new();
        let mut resolver = Resolver::new(doc);
        let mut prev_killed = false;
        for sent in sentence_spans(doc) {
            let found = in_sentence(&doc.text, sent);
            let had_killed = prev_killed;
            prev_killed = found.iter().any(|f| f.kind == CasualtyKind::Killed);
            for f in found {
                if f.anaphoric && had_killed {
                    continue;
                }
                let source = source_for(doc, sent, f.span, &mut resolver);
                out.push(Casualty {
                    span: f.span,
                    sentence: doc.sentence_of(f.span.start).unwrap_or(0),
                    kind: f.kind,
                    min: f.min,
                    max: f.max,
                    qualifier: f.qualifier,
                    source,
                    text: doc.text[f.span.start..f.span.end].to_string(),
                });
            }
        }
        doc.casualties = out;
        Ok(())
    }
}

struct Found {
    span: Span,
    verb: Span,
    kind: CasualtyKind,
    min: u64,
    max: u64,
    qualifier: Qualifier,
    /// Refers back to someone ("he died"): dropped when the previous sentence already counted a death.
    anaphoric: bool,
}

impl Found {
    /// One victim ("a leader was killed", "killing him").
    fn one(span: Span, verb: Span, kind: CasualtyKind, anaphoric: bool) -> Found {
        Found {
            span,
            verb,
            kind,
            min: 1,
            max: 1,
            qualifier: Qualifier::Exact,
            anaphoric,
        }
    }
}

/// One victim per match of `re` (group 1 = the verb) not already counted.
fn one_per_match(
    found: &mut Vec<Found>,
    re: &Regex,
    s: &str,
    base: usize,
    kind: Option<CasualtyKind>,
    anaphoric: bool,
) {
    for c in re.captures_iter(s) {
        let v = c.get(1).expect("verb");
        let verb = Span::new(base + v.start(), base + v.end());
        if found.iter().any(|f| f.verb.overlaps(verb)) {
            continue;
        }
        let whole = c.get(0).expect("whole");
        let kind = kind.unwrap_or_else(|| kind_of(v.as_str()));
        found.push(Found::one(
            Span::new(base + whole.start(), base + whole.end()),
            verb,
            kind,
            anaphoric,
        ));
    }
}

struct Patterns {
    count: Regex,
    active_before: Regex,
    toll_before: Regex,
    passive_after: Regex,
    active_after: Regex,
    unit_after: Regex,
    named: Regex,
    det: Regex,
}

const PASSIVE_VERBS: &str = r"(?:shot|stabbed|attacked|beaten|hit|ambushed)\s+and\s+(?:killed|wounded|injured)|killed|(?:beaten|shot|stabbed|burned|burnt|hacked|stoned|tortured)\s+to\s+death|executed|assassinated|lynched|massacred|beheaded|shot\s+dead|dead|died|slain|perished|lost\s+their\s+lives|deaths|fatalities|bodies|wounded|injured|hurt|injuries|missing|arrested|detained|displaced|fled";

static P: LazyLock<Patterns> = LazyLock::new(|| {
    let count = count_pattern();
    let r = |s: String| Regex::new(&s).expect("casualty regex");
    Patterns {
        count: r(format!(r"(?i)(?-u:\b){count}")),
        active_before: r(r"(?i)(?-u:\b)(killed|killing|kills|kill|arrests|arrest|injures|injure|wounds|detains|detain|wounded|wounding|injured|injuring|hurt|hurting|arrested|arresting|detained|detaining|displaced|displacing|rounded\s+up|claimed\s+the\s+lives\s+of|took\s+the\s+lives\s+of|killing\s+of|deaths?\s+of|bodies\s+of|body\s+of|remains\s+of|executed|executing|assassinated|assassinating|lynched|lynching|massacred|massacring|beheaded|beheading|shot\s+dead|(?:beaten|beat|hacked|stoned|stabbed|shot|burned|burnt|clubbed)\s+to\s+death)\s*(?:a\s+total\s+of\s+)?$".into()),
        toll_before: r(r"(?i)(?-u:\b)(?:(death|casualty|fatality|injury)\s+)?toll(?-u:\b)[^.;]{0,60}?(?-u:\b)(?:to|at|of|reached|hit|hits|reaches|exceeded|surpassed|topped|passed|is|was|now|stood\s+at|stands\s+at)\s*$".into()),
        passive_after: r(format!(
            r"(?i)^(?P<np>(?:\s+[\w'’-]+){{0,5}}?)(?:\s*,)?(?:\s+(?:were|was|have|has|had|are|is|been|being|got|remain|remained|reportedly|also|later|all|allegedly|subsequently|confirmed|believed|feared|thought|to|be|now|still|people|who))*\s+(?P<verb>{PASSIVE_VERBS})(?-u:\b)"
        )),
        active_after: r(format!(r"(?i)^\s+(?:{count})")),
        unit_after: r(r"(?i)^(?:-year|-month|-day|-week|-hour|-kilo|-km|-mile|-strong|-member|\s*(?:-|\s)\s*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|km|kilometres?|kilometers?|miles?|metres?|meters?|feet|percent|per\s+cent|times|a\.m\.|p\.m\.|am|pm|gmt|dollars|euros|pounds|tons|tonnes|rockets|missiles|drones|shells|rounds|tanks|vehicles|homes|houses|buildings|countries|nations|villages|towns|cities|provinces|districts|years?\s+old)(?-u:\b)|%|:\d)".into()),
        named: r(r"(?-u:\b)(?P<name>(?:[A-Z][\w'’-]+|al-[A-Z][\w'’-]*)(?:\s+(?:(?:al-|bin\s+|ibn\s+|abu\s+)?[A-Z][\w'’-]+|al-[A-Z][\w'’-]*))*|[Hh]e|[Ss]he)(?:\s*,[^,]{1,80},)?\s+(?:was|has\s+been|had\s+been)\s+(?:\w+ly\s+)?(?P<verb>killed|(?:beaten|shot|stabbed|burned|burnt|hacked)\s+to\s+death|shot\s+dead|executed|assassinated|wounded|injured|hurt|arrested|detained)(?-u:\b)".into()),
        det: r(r"(?i)(?-u:\b)(a|an|another|one|the)(?-u:\b)".into()),
    }
});

fn kind_of(verb: &str) -> CasualtyKind {
    let v = verb.to_lowercase();
    // "shot and killed": the last verb says what happened
    let v = v.rsplit(" and ").next().unwrap_or(&v).trim().to_string();
    if v.starts_with("kill")
        || v.contains("death")
        || v.starts_with("execut")
        || v.starts_with("assassin")
        || v.starts_with("lynch")
        || v.starts_with("massac")
        || v.starts_with("behead")
        || v.contains("dead")
        || v.starts_with("died")
        || v.starts_with("slain")
        || v.starts_with("perish")
        || v.contains("lives")
        || v.starts_with("death")
        || v.starts_with("fatalit")
        || v.starts_with("bodies")
        || v.starts_with("body")
        || v.starts_with("remains")
    {
        CasualtyKind::Killed
    } else if v.starts_with("wound") || v.starts_with("injur") || v.starts_with("hurt") {
        CasualtyKind::Wounded
    } else if v.starts_with("missing") {
        CasualtyKind::Missing
    } else if v.starts_with("arrest") || v.starts_with("detain") || v.starts_with("rounded") {
        CasualtyKind::Arrested
    } else {
        CasualtyKind::Displaced
    }
}

const NP_STOP: &[&str] = &[
    "and",
    "or",
    "but",
    "while",
    "after",
    "before",
    "when",
    "as",
    "including",
    "said",
    "says",
    "who",
    "which",
    "that",
    "than",
    "if",
    "because",
    "since",
    "though",
    "where",
    "killed",
    "killing",
    "wounded",
    "injured",
    "arrested",
    "died",
    "not",
    "no",
    "never",
    "none",
    "to",
    "could",
    "would",
    "might",
    "may",
    "will",
    "should",
];

fn np_ok(np: &str) -> bool {
    np.split_whitespace().all(|w| {
        let lw = w.trim_end_matches(',').to_lowercase();
        // "12-year-old" is an adjective, not another count
        let digit_ok = !lw.chars().any(|c| c.is_ascii_digit()) || lw.contains("-year");
        !NP_STOP.contains(&lw.as_str()) && !is_number_word(&lw) && digit_ok
    })
}

fn prev_word(s: &str) -> String {
    s.split_whitespace()
        .last()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '.')
        .to_lowercase()
}

const MONTH_ABBR: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Is the number at `m` something other than a count of people (a year, an age,
/// a resolution number, a distance)?
fn excluded(s: &str, start: usize, end: usize, num: &str) -> bool {
    let before = &s[..start];
    let after = &s[end..];
    let pw = prev_word(before);
    if matches!(
        pw.as_str(),
        "aged"
            | "age"
            | "ages"
            | "resolution"
            | "no."
            | "no"
            | "number"
            | "article"
            | "route"
            | "highway"
            | "flight"
            | "page"
            | "chapter"
            | "section"
            | "paragraph"
            | "item"
            | "unit"
            | "brigade"
            | "division"
            | "battalion"
            | "decree"
            | "law"
            | "code"
            | "room"
            | "building"
            | "gate"
            | "road"
            | "street"
            | "level"
            | "phase"
            | "round"
            | "model"
            | "the"
            | "its"
            | "their"
            | "his"
            | "her"
    ) {
        return true;
    }
    // "June 5" is a date, "15 June: 3 people killed" is not
    let raw_prev = before.split_whitespace().last().unwrap_or("");
    let punct_before = raw_prev.ends_with([':', ',', ';', '.']);
    if !punct_before && (MONTHS.contains(&pw.as_str()) || MONTH_ABBR.contains(&pw.as_str())) {
        return true;
    }
    if before.trim_end().ends_with(['$', '€', '£', '#']) {
        return true;
    }
    // a digit count right after a capitalised word that is not the sentence start ("Resolution 2254")
    let digits = num.chars().next().is_some_and(|c| c.is_ascii_digit());
    if digits {
        if let Some(w) = before.split_whitespace().last() {
            let sentence_initial = before.split_whitespace().count() == 1;
            if w.chars().next().is_some_and(|c| c.is_uppercase())
                && !sentence_initial
                && !w.ends_with([',', ':', ';', '.'])
            {
                return true;
            }
        }
        let plain: String = num.chars().filter(|c| c.is_ascii_digit()).collect();
        if plain.len() == 4 && !num.contains(',') {
            if let Ok(y) = plain.parse::<u32>() {
                if (1900..=2100).contains(&y)
                    && matches!(
                        pw.as_str(),
                        "in" | "since"
                            | "of"
                            | "during"
                            | "until"
                            | "by"
                            | "from"
                            | "early"
                            | "late"
                            | "mid"
                            | "before"
                            | "after"
                            | ""
                    )
                {
                    return true;
                }
            }
        }
    }
    P.unit_after.is_match(after)
}

/// Casualty counts in one sentence.
fn in_sentence(text: &str, sent: Span) -> Vec<Found> {
    let s = &text[sent.start..sent.end];
    // most sentences mention no casualty at all
    if !KEYWORDS.is_match(s) {
        return Vec::new();
    }
    let mut found: Vec<Found> = Vec::new();
    let mut used_numbers: Vec<Span> = Vec::new();
    let mut last_active: Option<(CasualtyKind, usize)> = None;
    for m in P.count.find_iter(s) {
        let num = m.as_str();
        let Some((min, max, qualifier)) = parse_count(num) else {
            continue;
        };
        if excluded(s, m.start(), m.end(), num) {
            continue;
        }
        let before = &s[..m.start()];
        let after = &s[m.end()..];
        let nspan = Span::new(sent.start + m.start(), sent.start + m.end());
        let coordinated = last_active.and_then(|(kind, end): (CasualtyKind, usize)| {
            let gap = text.get(end..sent.start + m.start())?;
            let c = COORD.captures(gap)?;
            np_ok(c.get(1).map_or("", |g| g.as_str())).then_some(kind)
        });
        let hit = if let Some(c) = P.active_before.captures(before) {
            let v = c.get(1).expect("verb");
            let verb = Span::new(sent.start + v.start(), sent.start + v.end());
            // "killing and injuring 75": killed and wounded together, neither count known
            if COMBINED_BEFORE.is_match(&before[..v.start()]) {
                continue;
            }
            // present tense only as a headline-style statement, not "threatened to kill 5"
            let base = matches!(
                v.as_str().to_lowercase().as_str(),
                "kill" | "arrest" | "injure" | "detain"
            );
            let pw = prev_word(&before[..v.start()]);
            if base
                && matches!(
                    pw.as_str(),
                    "to" | "will"
                        | "would"
                        | "could"
                        | "can"
                        | "may"
                        | "might"
                        | "should"
                        | "must"
                        | "not"
                        | "did"
                        | "didn't"
                        | "won't"
                        | "cannot"
                        | "and"
                )
            {
                continue;
            }
            Some((verb.cover(nspan), verb, kind_of(v.as_str())))
        } else if let Some(kind) = coordinated {
            // "killing 2 soldiers and 1 militiaman": the second count shares the verb
            Some((nspan, nspan, kind))
        } else if let Some(c) = P.toll_before.captures(before) {
            let whole = c.get(0).expect("toll");
            let verb = Span::new(sent.start + whole.start(), sent.start + whole.end());
            let kind = if c
                .get(1)
                .is_some_and(|g| g.as_str().eq_ignore_ascii_case("injury"))
            {
                CasualtyKind::Wounded
            } else {
                CasualtyKind::Killed
            };
            Some((verb.cover(nspan), verb, kind))
        } else if let Some(c) = P.passive_after.captures(after) {
            let np = c.name("np").map(|g| g.as_str()).unwrap_or("");
            let v = c.name("verb").expect("verb");
            let verb = Span::new(
                sent.start + m.end() + v.start(),
                sent.start + m.end() + v.end(),
            );
            // "2015 killed 30": the verb is active, this number is not its victims
            let who_active = after[..v.start()]
                .trim_end()
                .to_lowercase()
                .ends_with(" who");
            let active = who_active
                || P.active_after.is_match(&after[v.end()..])
                || COMBINED_AFTER.is_match(&after[v.end()..]);
            (np_ok(np) && !active).then(|| (nspan.cover(verb), verb, kind_of(v.as_str())))
        } else {
            None
        };
        if let Some((span, verb, kind)) = hit {
            if found
                .iter()
                .any(|f| f.verb == verb && f.kind == kind && f.span.overlaps(span))
            {
                continue;
            }
            used_numbers.push(nspan);
            let object = verb.end <= nspan.start;
            last_active = object.then_some((kind, nspan.end));
            found.push(Found {
                span,
                verb,
                kind,
                min,
                max,
                qualifier,
                anaphoric: false,
            });
        }
    }
    // singular subjects: "a leader ... was killed", "another person injured"
    for m in P.det.find_iter(s) {
        let dspan = Span::new(sent.start + m.start(), sent.start + m.end());
        if used_numbers.iter().any(|u| u.overlaps(dspan)) || prev_word(&s[..m.start()]) == "no" {
            continue;
        }
        let det = m.as_str().to_ascii_lowercase();
        // "shot and killed a regime soldier", "the killing of a man"
        if det == "a" || det == "an" || det == "the" {
            if let Some(c) = P.active_before.captures(&s[..m.start()]) {
                let next_words: Vec<String> = s[m.end()..]
                    .split_whitespace()
                    .take(6)
                    .map(|w| {
                        w.trim_matches(|ch: char| !ch.is_alphanumeric() && ch != '-')
                            .to_lowercase()
                    })
                    .collect();
                let next = next_words.first().cloned().unwrap_or_default();
                // "the soldiers" is plural: not one victim (the head is the word before a preposition)
                let head = next_words
                    .iter()
                    .take_while(|w| {
                        !matches!(
                            w.as_str(),
                            "of" | "in"
                                | "at"
                                | "from"
                                | "near"
                                | "on"
                                | "and"
                                | "who"
                                | "with"
                                | "by"
                        )
                    })
                    .last()
                    .cloned()
                    .unwrap_or_default();
                let plural_the = det == "the" && (head.ends_with('s') || head.is_empty());
                let quantity = plural_the
                    || next_words.get(1).is_some_and(|w| w == "number")
                    || matches!(
                        next.as_str(),
                        "unknown"
                            | "undetermined"
                            | "unspecified"
                            | "undisclosed"
                            | "total"
                            | "number"
                            | "further"
                            | "few"
                            | "dozen"
                            | "couple"
                            | "handful"
                            | "lot"
                            | "series"
                            | "wave"
                            | "hundred"
                            | "thousand"
                            | "million"
                            | "minimum"
                            | "maximum"
                            | "record"
                    );
                let v = c.get(1).expect("verb");
                let verb = Span::new(sent.start + v.start(), sent.start + v.end());
                if !quantity && !found.iter().any(|f| f.verb.overlaps(verb)) {
                    let noun_end = s[m.end()..]
                        .split_whitespace()
                        .next()
                        .and_then(|w| {
                            s[m.end()..]
                                .find(w)
                                .map(|i| m.end() + i + w.trim_end_matches([',', '.', ';']).len())
                        })
                        .unwrap_or(m.end());
                    // "killing a man and his child": two victims
                    let pair = PAIR_AFTER.find(&s[m.end()..]);
                    let (n, end) = match pair {
                        Some(p) => (2, m.end() + p.end()),
                        None => (1, noun_end),
                    };
                    found.push(Found {
                        span: verb.cover(Span::new(sent.start + m.start(), sent.start + end)),
                        verb,
                        kind: kind_of(v.as_str()),
                        min: n,
                        max: n,
                        qualifier: Qualifier::Exact,
                        anaphoric: false,
                    });
                    continue;
                }
            }
        }
        let another = det == "another";
        if let Some(c) = SINGULAR_DIED.captures(&s[m.end()..]) {
            let np = c.name("np").map(|g| g.as_str()).unwrap_or("");
            // "the victim died" is one person; "the fighters died" is not a count
            let head = np
                .split_whitespace()
                .last()
                .unwrap_or("")
                .trim_end_matches(',')
                .to_lowercase();
            if det == "the"
                && (np.split_whitespace().count() != 1
                    || head.ends_with('s')
                    || !SINGLE_VICTIMS.contains(&head.as_str()))
            {
                continue;
            }
            let v = c.name("verb").expect("verb");
            let verb = Span::new(
                sent.start + m.end() + v.start(),
                sent.start + m.end() + v.end(),
            );
            if np_ok(np) && !found.iter().any(|f| f.verb.overlaps(verb)) {
                found.push(Found::one(
                    dspan.cover(verb),
                    verb,
                    CasualtyKind::Killed,
                    false,
                ));
            }
            continue;
        }
        if det == "the" {
            continue;
        }
        if let Some(c) = PAIR_PASSIVE.captures(&s[m.end()..]) {
            if det != "another" {
                let v = c.name("verb").expect("verb");
                let verb = Span::new(
                    sent.start + m.end() + v.start(),
                    sent.start + m.end() + v.end(),
                );
                if !found.iter().any(|f| f.verb.overlaps(verb)) {
                    found.push(Found {
                        span: dspan.cover(verb),
                        verb,
                        kind: kind_of(v.as_str()),
                        min: 2,
                        max: 2,
                        qualifier: Qualifier::Exact,
                        anaphoric: false,
                    });
                }
                continue;
            }
        }
        let re = if another {
            &*SINGULAR_OPT_AUX
        } else {
            &*SINGULAR_AUX
        };
        let Some(c) = re.captures(&s[m.end()..]) else {
            continue;
        };
        let np = c.name("np").map(|g| g.as_str()).unwrap_or("");
        if !np_ok(np) {
            continue;
        }
        let v = c.name("verb").expect("verb");
        let verb = Span::new(
            sent.start + m.end() + v.start(),
            sent.start + m.end() + v.end(),
        );
        if found.iter().any(|f| f.verb.overlaps(verb)) {
            continue;
        }
        found.push(Found::one(
            dspan.cover(verb),
            verb,
            kind_of(v.as_str()),
            false,
        ));
    }
    // "killing him", "injuring her"
    one_per_match(&mut found, &PRONOUN_OBJECT, s, sent.start, None, false);
    // "He died a day later from his wounds": one death, unless the sentence before
    // already counted one (checked by the caller through `anaphoric`)
    one_per_match(
        &mut found,
        &PRONOUN_DIED,
        s,
        sent.start,
        Some(CasualtyKind::Killed),
        true,
    );
    // named or pronoun subject: "Hamdan was killed", "he was wounded"
    for c in P.named.captures_iter(s) {
        let name = c.name("name").expect("name");
        let v = c.name("verb").expect("verb");
        let verb = Span::new(sent.start + v.start(), sent.start + v.end());
        if found.iter().any(|f| f.verb.overlaps(verb)) {
            continue;
        }
        // "The Army was ..." is not a person; sentence-initial determiners are not names
        if matches!(name.as_str(), "The" | "A" | "An" | "It" | "This" | "That") {
            continue;
        }
        let span = Span::new(sent.start + name.start(), verb.end);
        found.push(Found {
            span,
            verb,
            kind: kind_of(v.as_str()),
            min: 1,
            max: 1,
            qualifier: Qualifier::Exact,
            anaphoric: false,
        });
    }
    found.sort_by_key(|f| f.span.start);
    found
}

fn singular(aux: &str) -> Regex {
    Regex::new(&format!(
        r"(?i)^\s+(?P<np>(?:[\w'’-]+,?\s+){{0,8}}?)(?:(?:was|has\s+been|had\s+been|is|got|reportedly|also|later|been|being|allegedly|subsequently|then)\s+){aux}(?P<verb>(?:shot|stabbed|attacked|beaten|hit|ambushed)\s+and\s+(?:killed|wounded|injured)|killed|(?:beaten|shot|stabbed|burned|burnt|hacked|stoned|tortured)\s+to\s+death|shot\s+dead|executed|assassinated|lynched|beheaded|wounded|injured|hurt|arrested|detained|missing)(?-u:\b)"
    ))
    .expect("singular regex")
}
/// Nouns that, after "the", refer back to one person already introduced.
const SINGLE_VICTIMS: &[&str] = &[
    "victim",
    "man",
    "woman",
    "boy",
    "girl",
    "child",
    "nurse",
    "driver",
    "officer",
    "soldier",
    "policeman",
    "suspect",
    "journalist",
    "teenager",
    "student",
    "farmer",
    "civilian",
    "inmate",
    "prisoner",
    "detainee",
];

static SINGULAR_DIED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s+(?P<np>(?:[\w'’-]+,?\s+){0,6}?)(?:(?:later|subsequently|reportedly|also|then)\s+)?(?P<verb>died|(?:was|were)\s+found\s+dead)(?-u:\b)").expect("died regex")
});
static COMBINED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:killed|killing|wounded|wounding|injured|injuring)\s*(?:and|or|/)\s*$",
    )
    .expect("combined regex")
});
static COMBINED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:,|and|or|/)\s*(?:killed|dead|wounded|injured|hurt)(?-u:\b)")
        .expect("combined regex")
});
/// "a man and his child" after an active verb (up to three words per noun phrase).
static PAIR_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+\s+and\s+(?:his|her|their|a|an|another|one)\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+(?-u:\b)")
        .expect("pair regex")
});
/// "a man and his 12-year-old son were killed".
static PAIR_PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+\s+and\s+(?:his|her|their|a|an|another|one)\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+\s+(?:were|have\s+been|had\s+been)\s+(?:\w+ly\s+)?(?P<verb>killed|wounded|injured|arrested|detained)(?-u:\b)")
        .expect("pair regex")
});
/// Every pattern below needs one of these stems.
static KEYWORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)kill|dead|die[ds]|death|slain|perish|lives|fatalit|bod(?:y|ies)|remains|wound|injur|hurt|missing|arrest|detain|displac|fled|round|toll|execut|assassin|lynch|massac|behead|succumb")
        .expect("keyword regex")
});
static PRONOUN_DIED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:[Hh]e|[Ss]he)\s+(?:later\s+|subsequently\s+|then\s+)?(died|succumbed)(?-u:\b)",
    )
    .expect("pronoun died regex")
});
static PRONOUN_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(killed|killing|wounded|wounding|injured|injuring|arrested|arresting|detained|detaining)\s+(?:him|her)(?-u:\b)").expect("pronoun object regex")
});
static COORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^((?:\s+[\w'’-]+){0,5}?)\s*,?\s+and\s+$").expect("coordination regex")
});
static SINGULAR_AUX: LazyLock<Regex> = LazyLock::new(|| singular("{1,3}"));
static SINGULAR_OPT_AUX: LazyLock<Regex> = LazyLock::new(|| singular("{0,3}"));

/// Who reported the figure: a quote's speaker covering it, "according to X",
/// "..., X said", "X said/reported/confirmed (that) ...".
fn source_for(doc: &Document, sent: Span, span: Span, resolver: &mut Resolver) -> Option<String> {
    if let Some(q) = doc.quotes.iter().find(|q| {
        q.span.contains(span)
            || (q.sentence == doc.sentence_of(span.start).unwrap_or(usize::MAX)
                && q.span.overlaps(sent)
                && q.kind == chronicle_core::QuoteKind::Indirect
                && q.span.contains(span))
    }) {
        if let Some(sp) = &q.speaker {
            return Some(sp.name.clone());
        }
    }
    let text = &doc.text;
    let cues: Vec<_> = cues_in(text, sent)
        .into_iter()
        .filter(|c| {
            !c.participle
                && !matches!(
                    c.text.as_str(),
                    "asked"
                        | "urged"
                        | "urges"
                        | "threatened"
                        | "vowed"
                        | "vows"
                        | "denied"
                        | "denies"
                        | "dismissed"
                        | "dismisses"
                )
        })
        .collect();
    let np = if let Some(c) = cues.iter().find(|c| c.according) {
        np_after(text, c.span.end, sent.end)
    } else if let Some(c) = cues.iter().find(|c| c.span.start >= span.end) {
        // tail attribution: "..., the Observatory said" / "..., said the ministry"
        let lo = text[span.end..c.span.start]
            .rfind(',')
            .map(|i| span.end + i + 1)
            .unwrap_or(span.end);
        subject_before(text, lo, c.span.start).or_else(|| np_after(text, c.span.end, sent.end))
    } else if let Some(c) = cues.iter().rev().find(|c| c.span.end <= span.start) {
        subject_before(text, sent.start, c.span.start)
    } else {
        None
    }?;
    resolver.resolve(np).map(|sp| sp.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::test_util::{doc, entity};
    use chronicle_core::EntityKind;

    fn run(text: &str) -> Vec<Casualty> {
        let mut d = doc(text, None);
        CasualtyStage.process(&mut d).unwrap();
        d.casualties
    }

    fn summary(c: &[Casualty]) -> Vec<(CasualtyKind, u64, u64, Qualifier)> {
        c.iter()
            .map(|c| (c.kind, c.min, c.max, c.qualifier))
            .collect()
    }

    use CasualtyKind::*;

    #[test]
    fn killed_and_wounded_with_qualifiers() {
        let c = run("The blasts killed at least 37 people — including two children — and wounded about 3,000, officials in Tyre said.");
        assert_eq!(
            summary(&c),
            vec![
                (Killed, 37, 37, Qualifier::AtLeast),
                (Wounded, 3000, 3000, Qualifier::About)
            ]
        );
        assert_eq!(c[0].source.as_deref(), Some("officials in Tyre"));
        assert!(c[0].text.starts_with("killed at least 37"));
    }

    #[test]
    fn singular_and_another() {
        let c = run("A shepherd was killed and another person injured when the shell landed.");
        assert_eq!(
            summary(&c),
            vec![
                (Killed, 1, 1, Qualifier::Exact),
                (Wounded, 1, 1, Qualifier::Exact)
            ]
        );
        let c = run("The drone hit a van, killing one person and injuring three others.");
        assert_eq!(
            summary(&c),
            vec![
                (Killed, 1, 1, Qualifier::Exact),
                (Wounded, 3, 3, Qualifier::Exact)
            ]
        );
        let c = run("A senior leader of the Tigers movement, Ravi Kumar, was killed in the raid.");
        assert_eq!(summary(&c), vec![(Killed, 1, 1, Qualifier::Exact)]);
        let c = run("Commander Ravi Kumar was killed in the raid.");
        assert_eq!(summary(&c), vec![(Killed, 1, 1, Qualifier::Exact)]);
        assert!(run("No one was killed in the fire.").is_empty());
    }

    #[test]
    fn passive_adjective_and_toll() {
        let c = run("The ambush left 5 dead and dozens wounded.");
        assert_eq!(
            summary(&c),
            vec![
                (Killed, 5, 5, Qualifier::Exact),
                (Wounded, 24, 99, Qualifier::Vague)
            ]
        );
        let c = run("The death toll from the flood rose to 12 on Monday.");
        assert_eq!(summary(&c), vec![(Killed, 12, 12, Qualifier::Exact)]);
        let c = run("Three soldiers were killed near the dam.");
        assert_eq!(summary(&c), vec![(Killed, 3, 3, Qualifier::Exact)]);
        let c = run("More than a dozen protesters were arrested and hundreds have been displaced.");
        assert_eq!(
            summary(&c),
            vec![
                (Arrested, 12, 12, Qualifier::MoreThan),
                (Displaced, 200, 999, Qualifier::Vague)
            ]
        );
        let c = run("Nearly 40 villagers remain missing.");
        assert_eq!(summary(&c), vec![(Missing, 40, 40, Qualifier::About)]);
        let c = run("Police detained twenty-one students.");
        assert_eq!(summary(&c), vec![(Arrested, 21, 21, Qualifier::Exact)]);
    }

    #[test]
    fn object_and_intransitive_forms() {
        let c = run("Snipers shot and killed a border guard near the crossing.");
        assert_eq!(summary(&c), vec![(Killed, 1, 1, Qualifier::Exact)]);
        let c = run("Gunmen attacked a farmer in his field. The victim died.");
        assert_eq!(summary(&c), vec![(Killed, 1, 1, Qualifier::Exact)]);
        let c = run("The clashes ended with the killing of 5 militiamen.");
        assert_eq!(summary(&c), vec![(Killed, 5, 5, Qualifier::Exact)]);
        let c = run("The raid killed 2 guards and 1 driver, and injured a nurse.");
        assert_eq!(
            summary(&c),
            vec![
                (Killed, 2, 2, Qualifier::Exact),
                (Killed, 1, 1, Qualifier::Exact),
                (Wounded, 1, 1, Qualifier::Exact)
            ]
        );
        let c = run("A trader was beaten to death by a mob, and both brothers were executed.");
        assert_eq!(
            summary(&c),
            vec![
                (Killed, 1, 1, Qualifier::Exact),
                (Killed, 2, 2, Qualifier::Exact)
            ]
        );
        let c = run("Police stopped the car, arresting him.");
        assert_eq!(summary(&c), vec![(Arrested, 1, 1, Qualifier::Exact)]);
        // "a total of" is a quantity, not one victim
        let c = run("The shelling killed a total of 14 people.");
        assert_eq!(summary(&c), vec![(Killed, 14, 14, Qualifier::Exact)]);
        let c = run("The raid ended with police killing the wanted man.");
        assert_eq!(summary(&c), vec![(Killed, 1, 1, Qualifier::Exact)]);
        assert!(
            run("Shelling went on, killing and injuring an unknown number of fighters.")
                .iter()
                .all(|c| c.min != 1)
        );
        assert!(run("The strike killed the commanders of both units.").is_empty());
        let c = run("Snipers shot dead a guard.");
        assert_eq!(summary(&c), vec![(Killed, 1, 1, Qualifier::Exact)]);
        let c = run("Gunmen shot and injured a teacher. He died a day later from his wounds.");
        assert_eq!(
            summary(&c),
            vec![
                (Wounded, 1, 1, Qualifier::Exact),
                (Killed, 1, 1, Qualifier::Exact)
            ]
        );
        let c = run("Gunmen shot and killed a teacher. He died on the way to hospital.");
        assert_eq!(summary(&c), vec![(Killed, 1, 1, Qualifier::Exact)]);
        let c = run("Police arrest 35 protesters in Kisumu.");
        assert_eq!(summary(&c), vec![(Arrested, 35, 35, Qualifier::Exact)]);
        assert!(run("The militia threatened to kill 20 hostages.").is_empty());
        let c = run(
            "01 Oct. 7 people killed in the attack. 15 June: Several police officers feared dead.",
        );
        assert_eq!(
            summary(&c),
            vec![
                (Killed, 7, 7, Qualifier::Exact),
                (Killed, 3, 9, Qualifier::Vague)
            ]
        );
        let c = run(
            "A mob stoned to death a police officer. A civilian was shot and killed by bandits.",
        );
        assert_eq!(
            summary(&c),
            vec![
                (Killed, 1, 1, Qualifier::Exact),
                (Killed, 1, 1, Qualifier::Exact)
            ]
        );
        assert!(run("Police arrested around 50 youth who killed a trader.")
            .iter()
            .all(|c| c.kind != Killed || c.min == 1));
        let c = run("A drone hit the house, killing a man and his child.");
        assert_eq!(summary(&c), vec![(Killed, 2, 2, Qualifier::Exact)]);
        let c = run("A man and his 12-year-old son were killed by gunmen.");
        assert_eq!(summary(&c), vec![(Killed, 2, 2, Qualifier::Exact)]);
        // killed and wounded together: no separate count
        assert!(
            run("Airstrikes hit the base, reportedly killing/injuring seventy five soldiers.")
                .is_empty()
        );
        assert!(run("Seven militants were killed and wounded in the raid.").is_empty());
        // plural "the" subjects are not counts
        assert!(run("The fighters died fighting.").is_empty());
    }

    #[test]
    fn non_casualty_numbers_are_ignored() {
        for t in [
            "The commander vowed to send 100,000 fighters to the front.",
            "The council cited UN Resolution 2254 in its statement.",
            "A girl aged 12 was among those rescued.",
            "Two countries pledged aid in 2015.",
            "The war killed in 2015 was not forgotten.",
            "He served 12 years in prison and was released.",
            "Troops fired 40 rockets and 12 shells.",
        ] {
            assert!(run(t).is_empty(), "{t}: {:?}", summary(&run(t)));
        }
        // ages inside a casualty sentence don't change the count
        let c = run("A 12-year-old boy was killed in the strike.");
        assert_eq!(summary(&c), vec![(Killed, 1, 1, Qualifier::Exact)]);
    }

    #[test]
    fn sources() {
        let c = run("Eight fighters were killed in the clashes, the Syrian Observatory for Human Rights said.");
        assert_eq!(
            c[0].source.as_deref(),
            Some("Syrian Observatory for Human Rights")
        );
        let c = run("According to the health ministry, 14 people were wounded.");
        assert_eq!(c[0].source.as_deref(), Some("health ministry"));
        let c = run("State television reported that 6 guards were killed.");
        assert_eq!(c[0].source.as_deref(), Some("State television"));
        let c = run("An official at the hospital confirmed that two nurses were injured.");
        assert_eq!(c[0].source.as_deref(), Some("official at the hospital"));
        let mut d = doc("The Red Crescent said nine people died.", None);
        entity(
            &mut d,
            "Red Crescent",
            EntityKind::Org,
            Some("Syrian Arab Red Crescent"),
        );
        CasualtyStage.process(&mut d).unwrap();
        assert_eq!(
            d.casualties[0].source.as_deref(),
            Some("Syrian Arab Red Crescent")
        );
        assert_eq!(
            summary(&d.casualties),
            vec![(Killed, 9, 9, Qualifier::Exact)]
        );
        assert_eq!(run("Four people were killed.")[0].source, None);
    }

    #[test]
    fn works_without_sentences() {
        let mut d = chronicle_core::Document::new(
            "x",
            Default::default(),
            "Two men died. Five were hurt".into(),
        );
        CasualtyStage.process(&mut d).unwrap();
        assert_eq!(
            summary(&d.casualties),
            vec![
                (Killed, 2, 2, Qualifier::Exact),
                (Wounded, 5, 5, Qualifier::Exact)
            ]
        );
        assert_eq!(d.casualties[1].sentence, 0);
    }
}
