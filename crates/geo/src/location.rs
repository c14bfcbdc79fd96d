//! Event location: takes `doc.mentions` and `doc.places` (from [`crate::GeoStage`])
//! and gives each mention without a location the place where it happened: a place
//! attached to the trigger ("in X", "near X", "on the road to X") in the same
//! sentence — in the dependency tree when the sentence was parsed (`--parse`),
//! else nearest within the clause; else any place in the sentence; else in the
//! paragraph; else the dateline; else the document's dominant country. Places that
//! are only organisation-name modifiers ("Paris Police Department"), "X-based"
//! adjectives or datelines (when the sentence names another place) are not used.

use crate::detect::{is_dateline, is_org_modifier, local_sentences};
use crate::gazetteer::Gazetteer;
use chronicle_core::{Document, Place, PlaceMention, Result, Span, Stage};
use std::collections::HashMap;
use std::sync::Arc;

/// Chooses `EventMention::location`.
pub struct EventLocationStage {
    gaz: Arc<Gazetteer>,
}

impl EventLocationStage {
    pub fn new(gaz: Arc<Gazetteer>) -> Self {
        EventLocationStage { gaz }
    }
}

/// Prepositions that attach a place to an event, with the precision they imply
/// for a town (1 = at the town, 2 = near it).
const LOCATIVES: &[(&str, u8)] = &[
    ("in", 1),
    ("at", 1),
    ("inside", 1),
    ("into", 1),
    ("across", 1),
    ("throughout", 1),
    ("within", 1),
    ("on", 1),
    ("near", 2),
    ("outside", 2),
    ("around", 2),
    ("nearby", 2),
    ("north of", 2),
    ("south of", 2),
    ("east of", 2),
    ("west of", 2),
    ("northeast of", 2),
    ("northwest of", 2),
    ("southeast of", 2),
    ("southwest of", 2),
    ("outskirts of", 2),
    ("road to", 2),
    ("road from", 2),
    ("highway to", 2),
    ("way to", 2),
    ("towards", 2),
    ("toward", 2),
    ("countryside of", 2),
    ("province of", 1),
    ("area of", 2),
    ("vicinity of", 2),
    ("city of", 1),
    ("town of", 1),
    ("village of", 1),
];

/// The text before byte `pos`, trailing whitespace trimmed, lower-cased: only its
/// last 96 bytes when they hold 40 or more non-space characters (every caller looks
/// at fewer than 40 characters back from the end), else all of it.
fn lower_before(text: &str, pos: usize) -> String {
    let before = &text[..pos];
    if before.len() > 96 {
        let mut from = before.len() - 96;
        while !before.is_char_boundary(from) {
            from += 1;
        }
        // the window's first character is not counted: a caller may look at it
        let tail = &before[from..];
        let solid = tail
            .chars()
            .skip(1)
            .filter(|c| !c.is_whitespace())
            .take(40)
            .count();
        if solid >= 40 {
            return tail.trim_end().to_lowercase();
        }
    }
    before.trim_end().to_lowercase()
}

/// The locative preposition at the end of `before` (the lower-cased text before a
/// place; see [`lower_before`]), allowing "the", "northern", ... in between.
fn locative_at_end(before: &str) -> Option<u8> {
    // the last word of `b` (each pattern below must end with it, so most texts
    // are settled by it alone)
    let last_word = |b: &str| -> bool {
        let w = b.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
        matches!(
            w,
            "in" | "at"
                | "inside"
                | "into"
                | "across"
                | "throughout"
                | "within"
                | "on"
                | "near"
                | "outside"
                | "around"
                | "nearby"
                | "of"
                | "to"
                | "from"
                | "towards"
                | "toward"
                | "the"
                | "northern"
                | "southern"
                | "eastern"
                | "western"
                | "central"
                | "rural"
                | "besieged"
                | "occupied"
                | "downtown"
        )
    };
    let mut b = before;
    if !last_word(b) {
        return None;
    }
    // skip a determiner / direction adjective
    for skip in [
        "the",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "rural",
        "besieged",
        "occupied",
        "downtown",
        "the city of",
        "the town of",
    ] {
        if let Some(rest) = b.strip_suffix(skip) {
            if rest.ends_with(' ') || rest.is_empty() {
                b = rest.trim_end();
                break;
            }
        }
    }
    b = b.strip_suffix(" the").unwrap_or(b);
    if !last_word(b) {
        return None;
    }
    LOCATIVES
        .iter()
        .filter(|(p, _)| {
            b.ends_with(p)
                && b[..b.len() - p.len()]
                    .chars()
                    .last()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|&(p, prec)| (p.len(), prec))
        .max_by_key(|x| x.0)
        .map(|x| x.1)
}

/// A place named as a party, not a setting: "backed by Iran", "against Israel",
/// "with Turkey" (`before`: the lower-cased text before the place, see
/// [`lower_before`]).
fn party_word_at_end(before: &str) -> bool {
    let before = before.strip_suffix(" the").unwrap_or(before);
    [" by", " against", " with"]
        .iter()
        .any(|w| before.ends_with(w))
}

/// Words after a place name that make it the name of a street or site in some
/// other town ("Baghdad Street in Al-Bukamal", "the Kuwait roundabout in Gaza").
const STREET_WORDS: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "roundabout",
    "intersection",
    "junction",
    "school",
    "hospital",
    "mosque",
    "market",
    "stadium",
];

/// A place that names a street or site ("Yafa street", "Mombasa Road"); a
/// hyphenated road between towns ("the Eldoret-Kitale road") still counts.
fn street_name(text: &str, span: Span) -> bool {
    let after = &text[span.end..];
    let Some(rest) = after.strip_prefix(' ') else {
        return false;
    };
    let end = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(i, _)| i);
    let word = &rest[..end];
    let street = if word.is_ascii() {
        STREET_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
    } else {
        STREET_WORDS.contains(&word.to_lowercase().as_str())
    };
    street && !text[..span.start].ends_with('-')
}

/// "London-based", "Paris-born": where an actor is from, not a setting.
fn based(text: &str, p: &PlaceMention) -> bool {
    let after = &text[p.span.end..];
    after.starts_with("-based") || after.starts_with(" based") || after.starts_with("-born")
}

/// Places usable as an event location (not org modifiers, not "X-based", not
/// street or site names).
fn usable(text: &str, p: &PlaceMention) -> bool {
    !based(text, p) && !is_org_modifier(text, p.span) && !street_name(text, p.span)
}

/// Does a clause boundary (";", " but ", ", while") separate two offsets?
fn clause_gap(text: &str, a: usize, b: usize) -> bool {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let mid = text
        .get(lo.min(text.len())..hi.min(text.len()))
        .unwrap_or("");
    mid.contains(';')
        || mid.contains(" but ")
        || mid.contains(", while ")
        || mid.contains(" and then ")
        || mid.contains('\n')
}

impl Stage for EventLocationStage {
    fn name(&self) -> &'static str {
        "event-location"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        if doc.mentions.is_empty() {
            return Ok(());
        }
        let text = doc.text.as_str();
        // the local split only when no NLP stage gave sentences / paragraphs
        let local_sents: Vec<Span> = if doc.sentences.is_empty() {
            local_sentences(text)
        } else {
            vec![]
        };
        let sentence_span = |i: usize| -> Option<Span> {
            if doc.sentences.is_empty() {
                local_sents.get(i).copied()
            } else {
                doc.sentences.get(i).map(|s| s.span)
            }
        };
        let local_paras: Vec<Span> = if doc.paragraphs.is_empty() {
            blank_line_paragraphs(text)
        } else {
            vec![]
        };
        let paragraphs: &[Span] = if doc.paragraphs.is_empty() {
            &local_paras
        } else {
            &doc.paragraphs
        };
        let para_of = |pos: usize| {
            paragraphs
                .iter()
                .position(|p| p.start <= pos && pos < p.end.max(p.start + 1))
        };
        let dominant = dominant_country(&doc.places);
        // what each place allows, computed once for all mentions
        let info: Vec<PlaceInfo> = doc
            .places
            .iter()
            .map(|p| {
                let before = lower_before(text, p.span.start);
                PlaceInfo {
                    usable: usable(text, p),
                    based: based(text, p),
                    dateline: is_dateline(text, p.span),
                    party: party_word_at_end(&before),
                    locative: locative_at_end(&before),
                    lower: p.text.to_lowercase(),
                }
            })
            .collect();
        let places: Vec<(&PlaceMention, &PlaceInfo)> = doc.places.iter().zip(&info).collect();
        let mut chosen: Vec<Option<Place>> = vec![None; doc.mentions.len()];
        for (mi, m) in doc.mentions.iter().enumerate() {
            if m.location.is_some() {
                continue;
            }
            let sent = sentence_span(m.sentence).unwrap_or(m.span);
            let trig = m.trigger;
            // the actor's own name is not where it acted ("blamed on Israel", "Washington said")
            let actor_texts: Vec<String> = m
                .actors
                .iter()
                .flat_map(|a| [a.text.to_lowercase(), a.name.to_lowercase()])
                .filter(|t| !t.is_empty())
                .collect();
            let pool: Vec<(&PlaceMention, &PlaceInfo)> = places
                .iter()
                .copied()
                .filter(|(_, f)| f.usable && !actor_texts.contains(&f.lower))
                .collect();
            let in_sent: Vec<(&PlaceMention, &PlaceInfo)> = pool
                .iter()
                .copied()
                .filter(|(p, f)| sent.contains(p.span) && !f.dateline && !f.party)
                .collect();
            // 1. attached to the trigger (in the parse tree when there is one),
            // nearest within the clause
            let attached = in_sent
                .iter()
                .filter_map(|(p, f)| f.locative.map(|prec| (p, prec)))
                .min_by_key(|(p, _)| {
                    (
                        parse_attached(doc, m.sentence, trig, p.span) == Some(false),
                        clause_gap(text, trig.start, p.span.start),
                        p.span.distance(trig),
                        p.span.start,
                    )
                });
            let pick = if let Some((p, prec)) = attached {
                // a division or country attached ("in Homs countryside") gives way
                // to a town of the same sentence that lies in it ("in the area of
                // Al Qusayr in Homs countryside"): the most specific place
                let finer = (p.place.feature_class == "A")
                    .then(|| {
                        // towns of the sentence, sites named after them included
                        // ("Nyeri Prison ... in Kenya")
                        places
                            .iter()
                            .filter(|(q, f)| {
                                sent.contains(q.span)
                                    && !f.based
                                    && !f.dateline
                                    && !f.party
                                    && !actor_texts.contains(&f.lower)
                            })
                            .filter(|(q, _)| {
                                q.place.feature_class == "P"
                                    && q.place.country == p.place.country
                                    && match p.place.feature_code.as_str() {
                                        c if c.starts_with("PCL") => true,
                                        "ADM1" => {
                                            q.place.admin1_code.is_some()
                                                && q.place.admin1_code == p.place.admin1_code
                                        }
                                        "ADM2" => {
                                            q.place.admin2_code.is_some()
                                                && q.place.admin1_code == p.place.admin1_code
                                                && q.place.admin2_code == p.place.admin2_code
                                        }
                                        _ => false,
                                    }
                            })
                            .min_by_key(|(q, _)| q.span.distance(p.span))
                    })
                    .flatten();
                match finer {
                    Some((q, f)) => Some(with_precision(&q.place, f.locative.unwrap_or(2))),
                    None => Some(with_precision(&p.place, prec)),
                }
            } else if let Some((p, _)) = in_sent.iter().min_by_key(|(p, _)| {
                (
                    clause_gap(text, trig.start, p.span.start),
                    p.span.distance(trig),
                )
            }) {
                Some(p.place.clone())
            } else if let Some((p, _)) = places
                .iter()
                .filter(|(p, f)| {
                    // 2b. a site named after its town ("Nyeri Prison", "Chuka
                    // University") when the sentence names no other place
                    sent.contains(p.span)
                        && !f.usable
                        && !f.based
                        && !actor_texts.contains(&f.lower)
                        && p.place.feature_class == "P"
                })
                .min_by_key(|(p, _)| p.span.distance(trig))
            {
                Some(with_precision(&p.place, 2))
            } else {
                // 3. same paragraph, preferring earlier mentions nearest before the trigger
                let para = para_of(trig.start);
                let in_para = pool
                    .iter()
                    .filter(|(p, f)| para.is_some() && para_of(p.span.start) == para && !f.dateline)
                    .min_by_key(|(p, _)| (p.span.start > trig.start, p.span.distance(trig)));
                if let Some((p, _)) = in_para {
                    Some(with_precision(&p.place, 2))
                } else if let Some((p, _)) = pool.iter().find(|(_, f)| f.dateline) {
                    Some(with_precision(&p.place, 2))
                } else {
                    dominant.as_deref().and_then(|iso3| self.gaz.country(iso3))
                }
            };
            chosen[mi] = pick;
        }
        for (m, c) in doc.mentions.iter_mut().zip(chosen) {
            if m.location.is_none() {
                m.location = c;
            }
        }
        Ok(())
    }
}

/// With a dependency parse of the sentence (`chronicle --parse`): whether the place
/// hangs off the trigger, i.e. its chain of heads reaches a trigger token without
/// passing through the verb of another clause ("killed in a strike near Damascus":
/// Damascus → strike → killed). `None` when the sentence was not parsed.
fn parse_attached(doc: &Document, sentence: usize, trig: Span, place: Span) -> Option<bool> {
    let range = doc.sentences.get(sentence)?.tokens.clone();
    let toks = doc.tokens.get(range.clone())?;
    if toks.iter().all(|t| t.deprel.is_none()) {
        return None;
    }
    let in_place = |i: usize| doc.tokens.get(i).is_some_and(|t| place.contains(t.span));
    // the place's own head word: inside the place, its head outside it
    let mut cur = range
        .clone()
        .find(|&i| in_place(i) && doc.tokens[i].head.is_none_or(|h| !in_place(h)))?;
    for _ in 0..12 {
        let Some(h) = doc.tokens[cur].head.filter(|h| range.contains(h)) else {
            return Some(false);
        };
        let t = &doc.tokens[h];
        if trig.overlaps(t.span) {
            return Some(true);
        }
        if t.pos.as_deref() == Some("VERB") {
            return Some(false);
        }
        cur = h;
    }
    Some(false)
}

/// What a place allows as an event location, computed once per document.
struct PlaceInfo {
    /// Not an organisation-name modifier, "X-based" or a street / site name.
    usable: bool,
    based: bool,
    dateline: bool,
    /// Named as a party ("backed by Iran").
    party: bool,
    /// The precision implied by a locative preposition before it.
    locative: Option<u8>,
    /// The mention text in lower case (compared with actor names).
    lower: String,
}

/// A town read off a looser cue becomes precision 2; regions/countries keep theirs.
fn with_precision(p: &Place, prec: u8) -> Place {
    let mut p = p.clone();
    p.precision = p.precision.max(prec);
    p
}

fn blank_line_paragraphs(text: &str) -> Vec<Span> {
    let mut out = vec![];
    let mut start = 0;
    for i in memchr::memmem::find_iter(text.as_bytes(), "\n\n") {
        if i > start {
            out.push(Span::new(start, i));
        }
        start = i + 2;
    }
    if start < text.len() {
        out.push(Span::new(start, text.len()));
    }
    out
}

/// The country most of the document's places lie in (weighted by confidence).
pub fn dominant_country(places: &[PlaceMention]) -> Option<String> {
    let mut w: HashMap<&str, f32> = HashMap::new();
    for p in places {
        *w.entry(p.place.country.as_str()).or_default() += p.score.max(0.1);
    }
    w.into_iter()
        .filter(|(c, _)| !c.is_empty())
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c.to_string())
}
