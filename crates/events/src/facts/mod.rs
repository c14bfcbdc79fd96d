//! Facts: document-level layers the event stage attaches to events. Takes a
//! [`Document`](chronicle_core::Document) after the nlp stages (sentences,
//! tokens, entities — all optional) and gives:
//!
//! * [`DateStage`] → `doc.dates`: date expressions resolved against the
//!   publication date ([`resolve_date`]);
//! * [`CasualtyStage`] → `doc.casualties`: killed / wounded / missing / arrested /
//!   displaced counts with qualifier and reporting source ([`parse_count`]);
//! * [`QuoteStage`] → `doc.quotes`: direct, mixed and indirect quotes with their
//!   speaker, pronouns resolved to the most recent compatible named entity.
//!
//! Each stage replaces its layer, so running it twice gives the same result.

mod attribution;
mod casualties;
mod dates;
#[cfg(test)]
mod eval;
mod numbers;
mod quotes;

pub use casualties::CasualtyStage;
pub use dates::{resolve_date, DateStage};
pub use numbers::parse_count;
pub use quotes::{speech_sentences, QuoteStage};

use chronicle_core::{Document, Span};

/// The largest char boundary at or below `i` (clamped to the text).
pub(crate) fn floor_char(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Sentence spans to work on: the document's sentences, or (when the nlp stage
/// did not run) a plain split after `.`, `!`, `?` (optionally followed by a
/// closing quote) before whitespace, and at line breaks.
pub(crate) fn sentence_spans(doc: &Document) -> Vec<Span> {
    let valid = |s: &Span| {
        s.start <= s.end
            && s.end <= doc.text.len()
            && doc.text.is_char_boundary(s.start)
            && doc.text.is_char_boundary(s.end)
    };
    if !doc.sentences.is_empty() {
        return doc.sentences.iter().map(|s| s.span).filter(valid).collect();
    }
    let text = &doc.text;
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = None;
        if c == '\n' {
            end = Some((i, i + 1));
        } else if matches!(c, '.' | '!' | '?') && !(c == '.' && abbreviation_before(text, i)) {
            let mut j = i + c.len_utf8();
            while let Some(&(k, q)) = chars.peek() {
                if matches!(q, '"' | '”' | '’' | '\'' | ')') {
                    j = k + q.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let boundary = match chars.peek() {
                None => true,
                Some(&(_, n)) => n.is_whitespace(),
            };
            if boundary {
                end = Some((j, j));
            }
        }
        if let Some((e, next)) = end {
            push_trimmed(text, start, e, &mut out);
            start = next;
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

/// "Mr." / "Sen." / "U.S." / an initial: a full stop that does not end a sentence.
/// Whether `piece`, which starts at byte `at` of `text`, has a full stop that
/// ends a sentence (not "Mr.", "U.S." or an initial).
pub(crate) fn has_sentence_stop(text: &str, at: usize, piece: &str) -> bool {
    piece
        .match_indices('.')
        .any(|(i, _)| !abbreviation_before(text, at + i))
}

pub(crate) fn abbreviation_before(text: &str, dot: usize) -> bool {
    let word = text[..dot]
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"')
        .next()
        .unwrap_or("");
    let w = word.trim_start_matches(['(', '“', '"']);
    if w.chars().count() == 1 && w.chars().all(|c| c.is_uppercase()) {
        return true;
    }
    if w.contains('.') && w.chars().filter(|c| c.is_alphabetic()).count() <= 4 {
        return true; // "U.S", "a.m"
    }
    matches!(
        w,
        "Mr" | "Mrs"
            | "Ms"
            | "Dr"
            | "Gen"
            | "Sen"
            | "Rep"
            | "Gov"
            | "Lt"
            | "Col"
            | "Sgt"
            | "Capt"
            | "St"
            | "Jr"
            | "Sr"
            | "Prof"
            | "No"
            | "Vol"
            | "Maj"
            | "Brig"
            | "Adm"
            | "Cmdr"
            | "Rev"
            | "Hon"
            | "Pres"
            | "Jan"
            | "Feb"
            | "Aug"
            | "Sept"
            | "Sep"
            | "Oct"
            | "Nov"
            | "Dec"
            | "Corp"
            | "Inc"
            | "Co"
            | "Ltd"
            | "vs"
            | "etc"
            | "approx"
    )
}

fn push_trimmed(text: &str, s: usize, e: usize, out: &mut Vec<Span>) {
    if s >= e {
        return;
    }
    let piece = &text[s..e];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push(Span::new(s + lead, e - trail));
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    use chronicle_core::{Actor, Document, Entity, EntityKind, Metadata, Sentence, Span};
    use chrono::NaiveDate;

    /// A document with sentences split after ". ", "? ", "! " (and newlines);
    /// no tokens, no entities.
    pub fn doc(text: &str, published: Option<NaiveDate>) -> Document {
        let meta = Metadata {
            published: published.map(|d| d.and_hms_opt(10, 0, 0).unwrap().and_utc()),
            ..Default::default()
        };
        let mut d = Document::new("test", meta, text.to_string());
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let end_here = match bytes[i] {
                b'\n' => Some(i),
                b'.' | b'?' | b'!' if i + 1 < bytes.len() && bytes[i + 1] == b' ' => Some(i + 1),
                _ => None,
            };
            if let Some(e) = end_here {
                if !text[start..e].trim().is_empty() {
                    d.sentences.push(Sentence {
                        span: trim(text, start, e),
                        tokens: 0..0,
                    });
                }
                start = e + 1;
            }
            i += 1;
        }
        if !text[start..].trim().is_empty() {
            d.sentences.push(Sentence {
                span: trim(text, start, text.len()),
                tokens: 0..0,
            });
        }
        d
    }

    fn trim(text: &str, s: usize, e: usize) -> Span {
        let piece = &text[s..e];
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        Span::new(s + lead, e - trail)
    }

    /// Mark every occurrence of `surface` as an entity of `kind`, with an actor
    /// named `actor` when given.
    pub fn entity(d: &mut Document, surface: &str, kind: EntityKind, actor: Option<&str>) {
        let mut from = 0;
        while let Some(i) = d.text[from..].find(surface) {
            let s = from + i;
            let span = Span::new(s, s + surface.len());
            d.entities.push(Entity {
                span,
                sentence: d.sentence_of(s).unwrap_or(0),
                kind,
                text: surface.to_string(),
                actor: actor.map(|a| Actor {
                    name: a.to_string(),
                    text: surface.to_string(),
                    ..Default::default()
                }),
                source: "test".into(),
            });
            from = s + surface.len();
        }
        d.entities.sort_by_key(|e| e.span.start);
    }
}

#[cfg(test)]
mod splitter_tests {
    use super::sentence_spans;
    use chronicle_core::{Document, Metadata};

    #[test]
    fn fallback_split_respects_abbreviations() {
        let d = Document::new(
            "s",
            Metadata::default(),
            "Sen. Mark Ruiz met Mr. J. Doe in the U.S. capital. “We agree.” He left!\nNew line"
                .into(),
        );
        let got: Vec<&str> = sentence_spans(&d).iter().map(|s| d.slice(*s)).collect();
        assert_eq!(
            got,
            vec![
                "Sen. Mark Ruiz met Mr. J. Doe in the U.S. capital.",
                "“We agree.”",
                "He left!",
                "New line"
            ]
        );
    }
}

#[cfg(test)]
mod robustness {
    use super::{CasualtyStage, DateStage, QuoteStage};
    use chronicle_core::{Document, Entity, EntityKind, Metadata, Sentence, Span, Stage};

    /// Random-ish documents (quotes, numbers, multibyte text, odd spans) never panic.
    #[test]
    fn stages_never_panic() {
        let pieces = [
            "said",
            "“",
            "”",
            "\"",
            "‘",
            "’",
            "'",
            "«",
            "»",
            "\n",
            "\n\n",
            ". ",
            ", ",
            "killed",
            "at least",
            "37",
            "3,000",
            "dozens",
            "on Friday",
            "last week",
            "He",
            "the group",
            "according to",
            "Kata'ib",
            "é",
            "日本",
            "🙂",
            "2015",
            "were",
            "wounded",
            "a",
            "leader",
            "was",
            "told",
            "reporters",
            ":",
            "that",
            "Sept.",
            "20",
            "May",
            "—",
            "  ",
        ];
        let mut seed: u64 = 0x9E3779B97F4A7C15;
        for round in 0..400 {
            let mut text = String::new();
            let n = 5 + (round % 60);
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
                if matches!(seed % 3, 0) {
                    text.push(' ');
                }
            }
            let meta = Metadata {
                published: matches!(round % 2, 0).then(|| {
                    chrono::NaiveDate::from_ymd_opt(2024, 9, 20)
                        .unwrap()
                        .and_hms_opt(1, 0, 0)
                        .unwrap()
                        .and_utc()
                }),
                ..Default::default()
            };
            let mut doc = Document::new("fuzz", meta, text.clone());
            if !matches!(round % 3, 0) {
                // sentences at char boundaries, some entities
                let bounds: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                let mut start = 0;
                for (k, &b) in bounds.iter().enumerate() {
                    if k % 17 == 16 || b == text.len() {
                        if b > start {
                            doc.sentences.push(Sentence {
                                span: Span::new(start, b),
                                tokens: 0..0,
                            });
                        }
                        start = b;
                    }
                }
                for (k, w) in bounds.windows(2).enumerate().filter(|(k, _)| k % 11 == 3) {
                    doc.entities.push(Entity {
                        span: Span::new(w[0], w[1]),
                        sentence: doc.sentence_of(w[0]).unwrap_or(0),
                        kind: if matches!(k % 2, 0) {
                            EntityKind::Per
                        } else {
                            EntityKind::Org
                        },
                        text: text[w[0]..w[1]].to_string(),
                        actor: None,
                        source: "fuzz".into(),
                    });
                }
            }
            for stage in [&DateStage as &dyn Stage, &QuoteStage, &CasualtyStage] {
                stage
                    .process(&mut doc)
                    .unwrap_or_else(|e| panic!("{e} on {text:?}"));
            }
            // idempotent: a second run replaces the layers with the same content
            let first = (
                doc.dates.clone(),
                doc.quotes.clone(),
                doc.casualties.clone(),
                doc.warnings.clone(),
            );
            for stage in [&DateStage as &dyn Stage, &QuoteStage, &CasualtyStage] {
                stage.process(&mut doc).unwrap();
            }
            assert_eq!(
                first,
                (
                    doc.dates.clone(),
                    doc.quotes.clone(),
                    doc.casualties.clone(),
                    doc.warnings.clone()
                )
            );
            for q in &doc.quotes {
                assert_eq!(doc.slice(q.span), q.text);
            }
            for c in &doc.casualties {
                assert!(c.min <= c.max);
                assert_eq!(doc.slice(c.span), c.text);
            }
            for d in &doc.dates {
                assert_eq!(doc.slice(d.span), d.text);
            }
        }
    }
}
