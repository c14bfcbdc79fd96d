//! Quotes: takes a document's text, sentences and entities (both optional),
//! gives [`Quote`]s — direct (“...” / "..."), mixed (a quoted fragment inside
//! reported speech) and indirect ("X said (that) ...", "according to X, ...") —
//! each with the speech cue and a [`Speaker`] resolved through pronouns and
//! "the official" / "the group" to the most recent compatible named entity.
//!
//! Quote marks pair per paragraph; single quotes and apostrophes (Kata'ib, don't)
//! never open a quote, and quote marks nested inside a quote are skipped.
//!
//! Where the cue's sentence carries a dependency parse (`chronicle --parse`), the
//! speaker is the cue verb's `nsubj` phrase and indirect content its `ccomp`
//! clause; verbs that report speech or belief only through a clause ("polls show
//! that …", "she believes …") are read from the parse alone. Word-order rules
//! remain the fallback where the parse gives nothing.

use super::attribution::{cues_in, is_clause_cue, np_after, subject_before, Cue, Resolver};
use super::{has_sentence_stop, sentence_spans};
use crate::syntax::Tree;
use chronicle_core::{Document, Quote, QuoteKind, Result, Span, Speaker, Stage};
use regex::Regex;
use std::sync::LazyLock;

/// Fills `doc.quotes` (replacing what was there).
#[derive(Debug, Default, Clone, Copy)]
pub struct QuoteStage;

impl Stage for QuoteStage {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        let items = find_items(doc);
        let mut resolver = Resolver::new(doc);
        let mut quotes: Vec<Quote> = Vec::with_capacity(items.len());
        let mut last_speaker: Option<Speaker> = None;
        for it in items {
            let speaker = match it.speaker {
                Src::Np(np) => resolver.resolve(np).map(|mut sp| {
                    // the mention runs on through its apposition; the name stays resolved
                    sp.span = Some(with_apposition(&doc.text, np));
                    sp
                }),
                Src::Inherit => last_speaker.clone().map(|mut s| {
                    s.span = None;
                    s.surface = None;
                    s
                }),
                Src::None => None,
            };
            if speaker.is_some() {
                last_speaker = speaker.clone();
            }
            let (s, e) = trim_span(&doc.text, it.span);
            if s >= e {
                continue;
            }
            quotes.push(Quote {
                span: Span::new(s, e),
                sentence: doc.sentence_of(s).unwrap_or(0),
                kind: it.kind,
                text: doc.text[s..e].to_string(),
                speaker,
                cue: it.cue,
            });
        }
        doc.quotes = quotes;
        Ok(())
    }
}

/// Indices of the sentences holding a speech cue or a verb that reports speech
/// or belief through a clause: the sentences the quote stage reads a parse of.
pub fn speech_sentences(doc: &Document) -> Vec<usize> {
    (0..doc.sentences.len())
        .filter(|&si| {
            let s = &doc.sentences[si];
            !cues_in(&doc.text, s.span).is_empty()
                || doc.tokens.get(s.tokens.clone()).is_some_and(|toks| {
                    toks.iter().any(|t| {
                        doc.text
                            .get(t.span.start..t.span.end)
                            .is_some_and(is_clause_cue)
                    })
                })
        })
        .collect()
}

/// Cue verbs after which a speaker's apposition ends ("X, the group's leader, said").
static APPOS_THEN_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^,\s+([^,;:“”"\n]{2,160}?(?:,\s+[^,;:“”"\n]{2,80}?)?),\s+(?:also\s+|later\s+|then\s+|has\s+|had\s+)?(?:said|says|told|tells|added|adds|wrote|writes|noted|notes|explained|stated|warned|argued|declared|announced|claimed|insisted|asked|replied|confirmed|acknowledged|predicted|believes|thinks)(?-u:\b)"#)
        .expect("apposition regex")
});
/// A cue right before an inverted speaker ("said Tarek Hamdan, the commander …").
static CUE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:said|says|told|added|wrote|noted|explained|stated|declared|announced|asked|replied|according\s+to)\s+$")
        .expect("cue-before regex")
});

/// A speaker phrase with the apposition or relative clause that follows it, as
/// attribution corpora mark the source: "Walai, the group's leader, said" →
/// "Walai, the group's leader"; "said Hamdan, the commander of the brigade." →
/// "Hamdan, the commander of the brigade". Other phrases are returned as they are.
fn with_apposition(text: &str, np: Span) -> Span {
    let Some(after) = text.get(np.end..) else {
        return np;
    };
    if !after.starts_with(',') {
        return np;
    }
    if let Some(c) = APPOS_THEN_CUE.captures(after) {
        let m = c.get(1).expect("group");
        if !has_sentence_stop(text, np.end + m.start(), m.as_str()) {
            return Span::new(np.start, np.end + m.end());
        }
    }
    let before = text.get(..np.start).unwrap_or("");
    if CUE_BEFORE.is_match(before) {
        // to the sentence end: "said X, the commander of the rebel brigade."
        let rest = &after[1..];
        let end = rest
            .char_indices()
            .find(|&(i, ch)| {
                matches!(ch, ';' | ':' | '“' | '”' | '"' | '\n')
                    || (ch == '.' && rest[i + 1..].starts_with(char::is_whitespace))
                    || (ch == '.' && i + 1 == rest.len())
            })
            .map_or(rest.len(), |(i, _)| i);
        let app = rest[..end].trim_end();
        let first = app.split_whitespace().next().unwrap_or("");
        // ", adding that …" / ", in a statement": not an apposition
        let clause = first.ends_with("ing") || matches!(first, "in" | "on" | "at" | "and" | "but");
        if !app.trim().is_empty() && !clause && words(app) <= 25 {
            return Span::new(np.start, np.end + 1 + app.len());
        }
    }
    np
}

/// Trim whitespace and a trailing comma / full stop outside the words.
fn trim_span(text: &str, sp: Span) -> (usize, usize) {
    let piece = &text[sp.start..sp.end];
    let lead = piece.len() - piece.trim_start().len();
    let t = piece.trim_end().trim_end_matches([',', ';']).trim_end();
    (sp.start + lead, sp.start + t.len().max(lead))
}

#[derive(Debug, Clone, Copy)]
enum Src {
    Np(Span),
    Inherit,
    None,
}

#[derive(Debug)]
struct Item {
    span: Span,
    kind: QuoteKind,
    cue: Option<String>,
    speaker: Src,
}

/// A pair of quote marks: opening mark at `open`, closing mark
/// at `close` (`close_len` bytes, 0 when closed by a paragraph end).
#[derive(Debug, Clone, Copy)]
struct Marks {
    open: usize,
    close: usize,
    close_len: usize,
    inner: Span,
}

impl Marks {
    fn end(&self) -> usize {
        self.close + self.close_len
    }
}

fn find_marks(text: &str) -> Vec<Marks> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize, char)> = None;
    let mut depth = 0usize;
    let push = |o: usize, ol: usize, c: usize, cl: usize, out: &mut Vec<Marks>| {
        let inner = &text[o + ol..c];
        let lead = inner.len() - inner.trim_start().len();
        let trimmed = inner.trim();
        if !trimmed.is_empty() {
            let s = o + ol + lead;
            out.push(Marks {
                open: o,
                close: c,
                close_len: cl,
                inner: Span::new(s, s + trimmed.len()),
            });
        }
    };
    let mut skip_next = false;
    for (i, ch) in text.char_indices() {
        if skip_next {
            skip_next = false;
            continue;
        }
        let mut len = ch.len_utf8();
        // '' (two apostrophes) is a double quote mark in some archives
        let ch = if ch == '\'' && text[i + 1..].starts_with('\'') {
            skip_next = true;
            len = 2;
            '"'
        } else {
            ch
        };
        match (ch, open) {
            ('\n', Some((o, ol, _))) => {
                push(o, ol, i, 0, &mut out);
                open = None;
                depth = 0;
            }
            ('“' | '„', None) => open = Some((i, len, 'c')),
            ('“' | '„', Some((_, _, 'c'))) => {
                // nested only if enough closing marks follow in this paragraph;
                // otherwise the earlier opener was never closed: start over here
                let rest = &text[i + len..];
                let para = &rest[..rest.find('\n').unwrap_or(rest.len())];
                let balance =
                    para.matches('”').count() as isize - para.matches(['“', '„']).count() as isize;
                if balance >= depth as isize + 2 {
                    depth += 1;
                } else {
                    open = Some((i, len, 'c'));
                    depth = 0;
                }
            }
            ('”', Some((o, ol, 'c'))) => {
                if depth > 0 {
                    depth -= 1;
                } else {
                    push(o, ol, i, len, &mut out);
                    open = None;
                }
            }
            ('«', None) => open = Some((i, len, 'g')),
            ('«', Some((_, _, 'g'))) => depth += 1,
            ('»', Some((o, ol, 'g'))) => {
                if depth > 0 {
                    depth -= 1;
                } else {
                    push(o, ol, i, len, &mut out);
                    open = None;
                }
            }
            ('"', None) => open = Some((i, len, 's')),
            ('"', Some((o, ol, 's'))) => {
                push(o, ol, i, len, &mut out);
                open = None;
            }
            _ => {}
        }
    }
    if let Some((o, ol, _)) = open {
        push(o, ol, text.len(), 0, &mut out);
    }
    out
}

fn words(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .count()
}

static TRANSCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*((?:[A-Z][A-Z.'’-]+)(?:\s+[A-Z][A-Z.'’-]+){0,3}):\s+([^\n]+?)\s*$")
        .expect("transcript regex")
});
static NAMING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(called|calls|calling|described|describes|describing|labell?ed|dubbed|termed|branded|referred\s+to)(?-u:\b)")
        .expect("naming regex")
});
static THAT_AHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[\s,]+[^\s.;:“”']+){0,8}?\s+that(?-u:\b)").expect("that regex")
});
static ADVERBIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s,]*(?:(?:late|early)\s+)?(?:on\s+\w+day|\w+day|yesterday|today|last\s+(?:week|month|night)|in\s+an?\s+(?:[\w-]+\s+){0,2}(?:statement|interview|speech|address|post|briefing|message)|at\s+an?\s+(?:[\w-]+\s+){0,2}(?:press|news)\s+conference|at\s+an?\s+(?:[\w-]+\s+){0,2}(?:rally|briefing|meeting|ceremony)|(?:also|later|again|previously|earlier))(?-u:\b)[\s,:]*")
        .expect("adverbial regex")
});
static OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(?:(?:reporters|journalists|lawmakers|parliament|supporters|followers|the\s+crowd|crowds|mourners|students|troops|listeners|viewers|the\s+press|me|us|him|her|them)(?-u:\b)|(?:the\s+)?[A-Z][\w'’.&-]*(?:\s+(?:of\s+)?[A-Z][\w'’.&-]*){0,4})[\s,:]*")
        .expect("object regex")
});

/// After a cue: an inverted speaker ("said Jeffrey Trimble, a senior official")
/// or an adverbial ("said Friday afternoon, as ...") that closes the attribution
/// at a comma.
fn tail_ends_early(text: &str, cue: &Cue, hi: usize) -> bool {
    let mut p = cue.span.end;
    if let Some(m) = ADVERBIAL.find(&text[p..hi]) {
        p += m.end();
    }
    let rest = text[p..hi].trim_start();
    if rest.starts_with(',') || rest.is_empty() {
        return true;
    }
    np_after(text, p, hi).is_some_and(|np| {
        let after = text[np.end..hi].trim_start();
        text[np.start..np.end]
            .split_whitespace()
            .any(|w| w.starts_with(|c: char| c.is_uppercase()))
            && (after.is_empty() || after.starts_with([',', '.']))
    })
}

/// The capitalised name (or pronoun) opening a sentence: "Cruz", "Rep. Trey Gowdy (R-S.C.)".
fn leading_subject(text: &str, s: Span) -> Option<Span> {
    let seg = &text[s.start..s.end];
    let mut end = None;
    let mut off = 0;
    for (k, w) in seg.split_whitespace().enumerate() {
        let i = off + seg[off..].find(w)?;
        off = i + w.len();
        let core = w.trim_end_matches([',', ';', ':']);
        let pronoun = k == 0 && matches!(core, "He" | "She" | "They" | "It");
        let name_like = core.starts_with(|c: char| c.is_uppercase())
            || (core.starts_with('(') && core.ends_with(')'))
            || (k > 0 && matches!(core, "al-" | "bin" | "de" | "of"));
        if k >= 6 || !(name_like || pronoun) {
            break;
        }
        end = Some(s.start + i + core.len());
        if core.len() != w.len() || pronoun {
            break;
        }
    }
    end.map(|e| Span::new(s.start, e))
}

/// Where the reported content starts after a cue: skips an addressee ("told
/// reporters"), adverbials ("on Friday", "in a statement") and "that".
fn content_start(text: &str, cue: &Cue, hi: usize) -> usize {
    let mut p = cue.span.end;
    if p >= hi {
        return hi;
    }
    if let Some(m) = THAT_AHEAD.find(&text[p..hi]) {
        // not across a clause of its own before another cue ("said the dam was
        // safe, adding that …"); "said, adding that …" reads on
        let other = cues_in(text, Span::new(p, p + m.end()))
            .into_iter()
            .find(|c| words(&text[p..c.span.start]) >= 2);
        if other.is_none() {
            return p + m.end();
        }
    }
    if cue.takes_object {
        if let Some(m) = OBJECT.find(&text[p..hi]) {
            p += m.end();
        }
    }
    for _ in 0..3 {
        match ADVERBIAL.find(&text[p..hi]) {
            Some(m) if m.end() > 0 => p += m.end(),
            _ => break,
        }
    }
    let rest = &text[p..hi];
    p + (rest.len() - rest.trim_start_matches([' ', ',', ':', '\t']).len())
}

fn strip_end_punct(text: &str, lo: usize, hi: usize) -> usize {
    let t = text[lo..hi]
        .trim_end()
        .trim_end_matches(['.', '!', '?', ',', ';', ':'])
        .trim_end();
    lo + t.len()
}

fn find_items(doc: &Document) -> Vec<Item> {
    let text = &doc.text;
    let sents = sentence_spans(doc);
    let marks = find_marks(text);
    let sent_of = |pos: usize| -> Option<usize> {
        let i = sents.partition_point(|s| s.end <= pos);
        (i < sents.len() && sents[i].start <= pos).then_some(i)
    };
    let para_start = |pos: usize| text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let para_end = |pos: usize| {
        text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len())
    };

    let mut items: Vec<Item> = Vec::new();
    let mut consumed: Vec<Span> = Vec::new();
    let mut mixed: Vec<Span> = Vec::new();
    // quote index → sentence index of its close, for the continuation rule
    let mut last_quote_sentence: Option<usize> = None;

    for (qi, q) in marks.iter().enumerate() {
        if mixed.iter().any(|m| m.contains(q.inner)) {
            continue;
        }
        let quote_text = &text[q.inner.start..q.inner.end];
        let ps = para_start(q.open);
        let prev_end = if qi > 0 { marks[qi - 1].end() } else { 0 };
        let si = sent_of(q.open);
        let head_lo = si
            .map(|i| sents[i].start)
            .unwrap_or(ps)
            .max(ps)
            .max(prev_end)
            .min(q.open);
        let sc = sent_of(q.close.saturating_sub(1).max(q.inner.start));
        let after = q.end();
        let pe = para_end(after.min(text.len()));
        let next_open = marks.get(qi + 1).map(|m| m.open).unwrap_or(text.len());
        let mut tail_hi = sc.map(|i| sents[i].end).unwrap_or(pe).max(after);
        if text[after..tail_hi]
            .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
            .is_empty()
        {
            if let Some(next) = sc.and_then(|i| sents.get(i + 1)) {
                // “Why?” he asked. / “We agree.” Mr. King said.
                let short_cue =
                    words(&text[next.start..next.end]) <= 8 && !cues_in(text, *next).is_empty();
                if text[next.start..].starts_with(|c: char| c.is_lowercase()) || short_cue {
                    tail_hi = next.end;
                }
            }
        }
        let tail_hi = tail_hi.min(next_open).min(pe).max(after);

        // cue before the quote
        let head_cue = cues_in(text, Span::new(head_lo, q.open))
            .into_iter()
            .rfind(|c| !consumed.iter().any(|u| u.overlaps(c.span)));
        let mut head_direct = None;
        let mut head_mixed = None;
        if let Some(c) = head_cue {
            let between = text[c.span.end..q.open].trim();
            if c.according || between.is_empty() || between.ends_with([':', ',']) {
                head_direct = Some(c);
            } else {
                head_mixed = Some(c);
            }
        }
        // cue after the quote: “...,” he said / “...,” said Hamdan
        let tail_ok = quote_text.ends_with([',', '.', '?', '!', '…', '—', '-', ';'])
            || text[after..tail_hi].trim_start().starts_with([',', '—']);
        let mut tail = None;
        if tail_ok && head_direct.is_none() {
            if let Some(c) = cues_in(text, Span::new(after, tail_hi))
                .into_iter()
                .find(|c| !c.participle)
            {
                let pre = text[after..c.span.start]
                    .trim_start_matches(|ch: char| ch == ',' || ch == '—' || ch.is_whitespace());
                if words(pre) <= 8
                    && !pre.contains([';', '“', '"'])
                    && !has_sentence_stop(text, c.span.start - pre.len(), pre)
                {
                    let np = if c.according {
                        np_after(text, c.span.end, tail_hi)
                    } else {
                        parse_speaker(doc, &c)
                            .or_else(|| subject_before(text, after, c.span.start))
                            .or_else(|| np_after(text, c.span.end, tail_hi))
                    };
                    if let Some(np) = np {
                        tail = Some((c, np));
                    }
                }
            }
        }

        if let Some(c) = head_direct {
            let np = if c.according {
                np_after(text, c.span.end, q.open)
            } else if c.participle {
                None
            } else {
                parse_speaker(doc, &c).or_else(|| subject_before(text, head_lo, c.span.start))
            };
            consumed.push(c.span);
            let speaker = match np {
                Some(np) => Src::Np(np),
                None if c.participle => Src::Inherit,
                None => Src::None,
            };
            items.push(Item {
                span: q.inner,
                kind: QuoteKind::Direct,
                cue: Some(c.text),
                speaker,
            });
        } else if let Some((c, np)) = tail {
            consumed.push(c.span);
            items.push(Item {
                span: q.inner,
                kind: QuoteKind::Direct,
                cue: Some(c.text),
                speaker: Src::Np(np),
            });
        } else if let Some(c) = head_mixed {
            // the reported clause runs from the cue to the end of the quote's sentence
            let sent_lo = si.map(|i| sents[i].start).unwrap_or(ps).min(c.span.start);
            let hi = sc.map(|i| sents[i].end).unwrap_or(pe).max(after).min(pe);
            let start = content_start(text, &c, q.open).min(q.open);
            let end = strip_end_punct(text, start, hi).max(after.min(hi));
            let span = Span::new(start, end);
            let np = if c.participle {
                None
            } else {
                subject_before(text, sent_lo, c.span.start)
            };
            let participle = c.participle;
            consumed.push(c.span);
            mixed.push(span);
            items.push(Item {
                span,
                kind: QuoteKind::Mixed,
                cue: Some(c.text),
                speaker: np.map(Src::Np).unwrap_or(if participle {
                    Src::Inherit
                } else {
                    Src::None
                }),
            });
        } else {
            // bare quote: scare quotes and titles are short and unpunctuated, and a
            // short fragment inside a sentence without a speech cue is a term
            let embedded = words(&text[head_lo..q.open]) > 0;
            if words(quote_text) < 5 && !quote_text.ends_with(['.', '?', '!', '…']) {
                continue;
            }
            // a fragment inside a sentence: "X called the plan “a disaster.”"
            if embedded && words(quote_text) < 8 {
                if let Some(m) = NAMING.find_iter(&text[head_lo..q.open]).last() {
                    let np = subject_before(text, head_lo, head_lo + m.start());
                    items.push(Item {
                        span: q.inner,
                        kind: QuoteKind::Direct,
                        cue: Some(m.as_str().to_string()),
                        speaker: np.map(Src::Np).unwrap_or(Src::None),
                    });
                } else {
                    items.push(Item {
                        span: q.inner,
                        kind: QuoteKind::Direct,
                        cue: None,
                        speaker: Src::None,
                    });
                }
                last_quote_sentence = sc.or(si);
                continue;
            }
            let mut found: Option<(Cue, Span)> = None;
            if let Some(prev) = si.and_then(|i| i.checked_sub(1)).and_then(|i| sents.get(i)) {
                if let Some(c) = cues_in(text, *prev).into_iter().last() {
                    let np = if c.according {
                        np_after(text, c.span.end, prev.end)
                    } else {
                        subject_before(text, prev.start, c.span.start)
                    };
                    found = np.map(|np| (c, np));
                }
            }
            if found.is_none() {
                if let Some(next) = sc
                    .and_then(|i| sents.get(i + 1))
                    .filter(|n| n.start >= after)
                {
                    if let Some(c) = cues_in(text, *next).into_iter().next() {
                        let np = if c.according {
                            np_after(text, c.span.end, next.end)
                        } else {
                            subject_before(text, next.start, c.span.start)
                        };
                        found = np.map(|np| (c, np));
                    }
                }
            }
            let item = match found {
                Some((c, np)) => Item {
                    span: q.inner,
                    kind: QuoteKind::Direct,
                    cue: Some(c.text),
                    speaker: Src::Np(np),
                },
                None => {
                    let continues =
                        matches!((last_quote_sentence, si), (Some(l), Some(i)) if i <= l + 2);
                    Item {
                        span: q.inner,
                        kind: QuoteKind::Direct,
                        cue: None,
                        speaker: if continues { Src::Inherit } else { Src::None },
                    }
                }
            };
            items.push(item);
        }
        last_quote_sentence = sc.or(si);
    }

    // transcripts: "PENCE: Well, look, ..." (a capitalised label opening a paragraph)
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if let Some(c) = TRANSCRIPT.captures(line) {
            let (label, body) = (c.get(1).expect("label"), c.get(2).expect("body"));
            let body_span = Span::new(pos + body.start(), pos + body.end());
            let covered = items.iter().any(|it| it.span.overlaps(body_span));
            if !covered && words(body.as_str()) >= 3 {
                mixed.push(Span::new(pos, pos + line.len()));
                items.push(Item {
                    span: body_span,
                    kind: QuoteKind::Direct,
                    cue: Some(":".to_string()),
                    speaker: Src::Np(Span::new(pos + label.start(), pos + label.end())),
                });
            }
        }
        pos += line.len();
    }

    // indirect speech, from cues no direct quote used
    let in_quote = |sp: Span| {
        marks
            .iter()
            .any(|m| Span::new(m.open, m.end()).overlaps(sp))
    };
    for s in &sents {
        for c in cues_in(text, *s) {
            if consumed.iter().any(|u| u.overlaps(c.span))
                || in_quote(c.span)
                || mixed.iter().any(|m| m.overlaps(c.span))
            {
                continue;
            }
            let pre = &text[s.start..c.span.start];
            let post = &text[c.span.end..s.end];
            let mut allow_overlap = false;
            if c.participle {
                let earlier = items
                    .iter()
                    .any(|it| it.span.start >= s.start && it.span.start < c.span.start)
                    || consumed
                        .iter()
                        .any(|u| u.start >= s.start && u.end <= c.span.start);
                let start = content_start(text, &c, s.end);
                let content = Span::new(start, strip_end_punct(text, start, s.end));
                if earlier
                    && content.start < content.end
                    && words(&text[content.start..content.end]) >= 3
                {
                    consumed.push(c.span);
                    items.push(Item {
                        span: content,
                        kind: QuoteKind::Indirect,
                        cue: Some(c.text),
                        speaker: Src::Inherit,
                    });
                }
                continue;
            }
            let (np, content) = if c.according {
                let np = np_after(text, c.span.end, s.end);
                if pre.trim().is_empty() {
                    let after_np = np.map(|n| n.end).unwrap_or(c.span.end);
                    let comma = text[after_np..s.end].find(',').map(|i| after_np + i + 1);
                    (
                        np,
                        comma.map(|cm| Span::new(cm, strip_end_punct(text, cm, s.end))),
                    )
                } else {
                    let cut = pre.rfind(',').map(|i| s.start + i).unwrap_or(c.span.start);
                    (
                        np,
                        Some(Span::new(s.start, strip_end_punct(text, s.start, cut))),
                    )
                }
            } else if pre.contains(',')
                && (words(post) <= 6
                    || post.trim_start().starts_with(',')
                    || tail_ends_early(text, &c, s.end))
                && !post.contains(" that ")
                && words(&pre[pre.rfind(',').expect("comma") + 1..]) <= 6
            {
                // "..., the army said." or "But, he said, officials should be vigilant."
                let comma = s.start + pre.rfind(',').expect("comma");
                let np = subject_before(text, comma + 1, c.span.start)
                    .or_else(|| np_after(text, c.span.end, s.end));
                let parenthetical = post.trim_start().starts_with(',') && words(post) >= 2;
                let end = if parenthetical { s.end } else { comma };
                allow_overlap = parenthetical;
                (
                    np,
                    Some(Span::new(s.start, strip_end_punct(text, s.start, end))),
                )
            } else {
                // "X exhorted ... and said he ...": the subject of the first verb
                let np = subject_before(text, s.start, c.span.start).or_else(|| {
                    let before = text[s.start..c.span.start].trim_end();
                    before
                        .ends_with(" and")
                        .then(|| leading_subject(text, *s))
                        .flatten()
                });
                let start = content_start(text, &c, s.end);
                // "…, adding that …": the participle's clause is a report of its own
                let end = cues_in(text, Span::new(start, s.end))
                    .into_iter()
                    .find(|p| {
                        p.participle
                            && text[start..p.span.start].trim_end().ends_with(',')
                            && words(&text[start..p.span.start]) >= 3
                    })
                    .map_or(s.end, |p| {
                        start + text[start..p.span.start].trim_end().len() - 1
                    });
                (
                    np,
                    Some(Span::new(start, strip_end_punct(text, start, end))),
                )
            };
            let (np, content) = match (!c.according)
                .then(|| parsed_cue(doc, c.span.start))
                .flatten()
            {
                Some(p) => (p.speaker.or(np), p.content.or(content)),
                None => (np, content),
            };
            let (Some(np), Some(content)) = (np, content) else {
                continue;
            };
            if !reportable(text, np, content, allow_overlap) {
                continue;
            }
            consumed.push(c.span);
            items.push(Item {
                span: content,
                kind: QuoteKind::Indirect,
                cue: Some(c.text),
                speaker: Src::Np(np),
            });
        }
    }

    // verbs that report speech or belief through a clause, read from the parse alone
    for si in 0..doc.sentences.len() {
        let Some(toks) = doc.tokens.get(doc.sentences[si].tokens.clone()) else {
            continue;
        };
        if toks.iter().all(|t| t.deprel.is_none()) {
            continue;
        }
        for t in toks {
            let sp = t.span;
            let Some(w) = text.get(sp.start..sp.end) else {
                continue;
            };
            if !is_clause_cue(w)
                || consumed.iter().any(|u| u.overlaps(sp))
                || in_quote(sp)
                || mixed.iter().any(|m| m.overlaps(sp))
            {
                continue;
            }
            let Some(Parsed {
                speaker: Some(np),
                content: Some(content),
            }) = parsed_cue(doc, sp.start)
            else {
                continue;
            };
            if !reportable(text, np, content, false) {
                continue;
            }
            consumed.push(sp);
            items.push(Item {
                span: content,
                kind: QuoteKind::Indirect,
                cue: Some(w.to_string()),
                speaker: Src::Np(np),
            });
        }
    }
    items.sort_by_key(|i| i.span.start);
    // "X said, adding that …": both cues read the same clause; the first (with its
    // own speaker) is kept
    items.dedup_by(|later, first| later.span == first.span);
    items
}

/// An indirect report worth keeping: a third-party speaker (first and second
/// person outside quotes are the author or the reader) and content of at least
/// three words apart from the speaker.
fn reportable(text: &str, np: Span, content: Span, allow_overlap: bool) -> bool {
    !matches!(
        text[np.start..np.end].to_lowercase().as_str(),
        "i" | "we" | "you"
    ) && content.start < content.end
        && words(&text[content.start..content.end]) >= 3
        && (allow_overlap || !np.overlaps(content))
}

/// What the parse says about a cue verb.
struct Parsed {
    /// The verb's subject phrase (a conjoined verb's: "X met Y and said …").
    speaker: Option<Span>,
    /// Its clausal complement without "that" and end punctuation.
    content: Option<Span>,
}

/// Relations that end a speaker phrase: "Walai, the group's leader," → "Walai".
const SPEAKER_CUT: &[&str] = &[
    "acl:relcl",
    "acl",
    "appos",
    "punct",
    "parataxis",
    "advcl",
    "dep",
    "conj",
    "cc",
];

/// The parse of the sentence holding the cue word that starts at `cue_start`, if
/// that sentence was parsed.
fn parsed_cue(doc: &Document, cue_start: usize) -> Option<Parsed> {
    let si = doc.sentence_of(cue_start)?;
    let tree = Tree::new(doc, si)?;
    let toks = doc.tokens.get(doc.sentences[si].tokens.clone())?;
    let v = toks.iter().position(|t| t.span.start == cue_start)?;
    let span_of = |(lo, hi): (usize, usize)| Span::new(toks[lo].span.start, toks[hi].span.end);
    let word = |i: usize| doc.text.get(toks[i].span.start..toks[i].span.end);
    let subject = tree.kid(v, &["nsubj"]).or_else(|| {
        (tree.rel(v) == "conj")
            .then(|| tree.head(v).and_then(|h| tree.kid(h, &["nsubj"])))
            .flatten()
    });
    // "Republicans, who said …": the relative pronoun stands for the noun
    let subject = match (subject, tree.head(v)) {
        (Some(s), Some(h))
            if tree.rel(v) == "acl:relcl"
                && word(s).is_some_and(|w| {
                    ["who", "which", "that"].contains(&w.to_lowercase().as_str())
                }) =>
        {
            Some(h)
        }
        (s, _) => s,
    };
    let speaker = subject.map(|s| span_of(tree.extent(s, SPEAKER_CUT)));
    let content = tree.kid(v, &["ccomp"]).and_then(|c| {
        let (mut lo, hi) = tree.extent(c, &[]);
        while lo < hi
            && (tree.rel(lo) == "punct"
                || (tree.rel(lo) == "mark"
                    && word(lo).is_some_and(|w| w.eq_ignore_ascii_case("that"))))
        {
            lo += 1;
        }
        let sp = span_of((lo, hi));
        let end = strip_end_punct(&doc.text, sp.start, sp.end);
        (sp.start < end).then(|| Span::new(sp.start, end))
    });
    Some(Parsed { speaker, content })
}

/// The cue verb's subject from the parse ("“…,” said Hamdan, the commander" → "Hamdan").
fn parse_speaker(doc: &Document, c: &Cue) -> Option<Span> {
    parsed_cue(doc, c.span.start)?.speaker
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::test_util::{doc, entity};
    use chronicle_core::EntityKind;

    fn run(d: &mut Document) -> Vec<Quote> {
        QuoteStage.process(d).unwrap();
        d.quotes.clone()
    }

    fn speaker(q: &Quote) -> &str {
        q.speaker
            .as_ref()
            .map(|s| s.name.as_str())
            .unwrap_or("<none>")
    }

    /// One parsed sentence from (word, head (1-based, 0 = root), relation) rows.
    fn parsed(rows: &[(&str, usize, &str)]) -> Document {
        use chronicle_core::{Sentence, Token};
        let text = rows.iter().map(|r| r.0).collect::<Vec<_>>().join(" ");
        let mut d = doc(&text, None);
        d.sentences = vec![Sentence {
            span: Span::new(0, text.len()),
            tokens: 0..rows.len(),
        }];
        let mut at = 0;
        for r in rows {
            d.tokens.push(Token {
                span: Span::new(at, at + r.0.len()),
                pos: None,
                lemma: None,
                head: r.1.checked_sub(1),
                deprel: Some(r.2.into()),
            });
            at += r.0.len() + 1;
        }
        d
    }

    fn span_text<'a>(d: &'a Document, q: &Quote) -> &'a str {
        let sp = q
            .speaker
            .as_ref()
            .and_then(|s| s.span)
            .expect("speaker span");
        &d.text[sp.start..sp.end]
    }

    #[test]
    fn speaker_span_keeps_its_apposition() {
        let mut d = doc(
            "“We will not retreat,” said Tarek Hamdan, the commander of the rebel brigade. Walai, the group's leader, said the fighters were ready to cross into Lebanon within days.",
            None,
        );
        entity(
            &mut d,
            "Tarek Hamdan",
            EntityKind::Per,
            Some("Tarek Hamdan"),
        );
        entity(&mut d, "Walai", EntityKind::Per, Some("Abu Alaa al-Walai"));
        let q = run(&mut d);
        assert!(q.len() >= 2, "{q:#?}");
        assert_eq!(speaker(&q[0]), "Tarek Hamdan");
        assert_eq!(
            span_text(&d, &q[0]),
            "Tarek Hamdan, the commander of the rebel brigade"
        );
        let w = q
            .iter()
            .find(|x| x.text.starts_with("the fighters"))
            .unwrap_or_else(|| panic!("{q:#?}"));
        assert_eq!(speaker(w), "Abu Alaa al-Walai", "{q:#?}");
        assert_eq!(span_text(&d, w), "Walai, the group's leader");
        // "said, adding that …" gives one quote, not two
        let mut d = doc(
            "Officials said, adding that the road was closed, the talks had ended.",
            None,
        );
        let q = run(&mut d);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert_eq!(speaker(&q[0]), "Officials");
        // a participle clause after a comma is no apposition
        let t = "“It is over,” said Ali, adding that talks had failed.";
        let np = Span::new(t.find("Ali").unwrap(), t.find("Ali").unwrap() + 3);
        assert_eq!(with_apposition(t, np), np);
    }

    #[test]
    fn resolved_group_mention_names_the_speaker() {
        let mut d = doc(
            "Al-Shabaab attacked a base. The Kenyan army responded. In a statement, the group said its fighters had seized weapons.",
            None,
        );
        entity(&mut d, "Al-Shabaab", EntityKind::Org, Some("Al-Shabaab"));
        entity(
            &mut d,
            "Kenyan army",
            EntityKind::Org,
            Some("Kenya military"),
        );
        // the entity stage's definite-mention resolution ("the group" → Al-Shabaab)
        entity(&mut d, "group", EntityKind::Org, Some("Al-Shabaab"));
        let q = run(&mut d);
        assert_eq!(q.len(), 1, "{q:#?}");
        // without the resolved mention the most recent organisation would speak
        assert_eq!(speaker(&q[0]), "Kenya military");
        for e in &mut d.entities {
            if e.text == "group" {
                e.source = "coref".into();
            }
        }
        let q = run(&mut d);
        assert_eq!(speaker(&q[0]), "Al-Shabaab");
        assert_eq!(span_text(&d, &q[0]), "the group");
    }

    #[test]
    fn title_abbreviation_stays_with_the_speaker() {
        let mut d = doc(
            "“We will win the votes,” Mr. Alexander said on Monday. Dr. Jane Roe warned that the vote could be delayed.",
            None,
        );
        // the test splitter breaks after every ". "; the pipeline's keeps "Mr." inside
        let cut = d.text.find(" Dr.").unwrap();
        d.sentences = vec![
            chronicle_core::Sentence {
                span: Span::new(0, cut),
                tokens: 0..0,
            },
            chronicle_core::Sentence {
                span: Span::new(cut + 1, d.text.len()),
                tokens: 0..0,
            },
        ];
        entity(
            &mut d,
            "Alexander",
            EntityKind::Per,
            Some("Lamar Alexander"),
        );
        let q = run(&mut d);
        assert_eq!(q.len(), 2, "{q:#?}");
        assert_eq!(q[0].text, "We will win the votes");
        assert_eq!(speaker(&q[0]), "Lamar Alexander");
        assert_eq!(span_text(&d, &q[0]), "Mr. Alexander");
        assert_eq!(q[1].text, "the vote could be delayed");
        assert_eq!(span_text(&d, &q[1]), "Dr. Jane Roe");
    }

    #[test]
    fn clause_cue_is_read_from_the_parse_only() {
        let rows = [
            ("Polls", 2, "nsubj"),
            ("show", 0, "root"),
            ("that", 6, "mark"),
            ("the", 5, "det"),
            ("senator", 6, "nsubj"),
            ("leads", 2, "ccomp"),
            ("the", 8, "det"),
            ("race", 6, "obj"),
            (".", 2, "punct"),
        ];
        let mut d = parsed(&rows);
        let q = run(&mut d);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert_eq!(q[0].kind, QuoteKind::Indirect);
        assert_eq!(q[0].text, "the senator leads the race");
        assert_eq!(q[0].cue.as_deref(), Some("show"));
        assert_eq!(span_text(&d, &q[0]), "Polls");
        // the same words without a parse: "show" alone is no report
        for t in &mut d.tokens {
            t.deprel = None;
            t.head = None;
        }
        assert!(run(&mut d).is_empty());
    }

    #[test]
    fn parse_gives_conjoined_and_appositive_speakers() {
        let rows = [
            ("The", 2, "det"),
            ("minister", 3, "nsubj"),
            ("met", 0, "root"),
            ("envoys", 3, "obj"),
            ("and", 6, "cc"),
            ("said", 3, "conj"),
            ("talks", 9, "nsubj"),
            ("would", 9, "aux"),
            ("resume", 6, "ccomp"),
            ("soon", 9, "advmod"),
            (".", 3, "punct"),
        ];
        let mut d = parsed(&rows);
        let q = run(&mut d);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert_eq!(q[0].text, "talks would resume soon");
        assert_eq!(span_text(&d, &q[0]), "The minister");

        let rows = [
            ("Walai", 6, "nsubj"),
            (",", 4, "punct"),
            ("the", 4, "det"),
            ("leader", 1, "appos"),
            (",", 4, "punct"),
            ("said", 0, "root"),
            ("fighters", 9, "nsubj"),
            ("would", 9, "aux"),
            ("cross", 6, "ccomp"),
            ("the", 11, "det"),
            ("border", 9, "obj"),
            (".", 6, "punct"),
        ];
        let mut d = parsed(&rows);
        let q = run(&mut d);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert_eq!(q[0].text, "fighters would cross the border");
        assert_eq!(span_text(&d, &q[0]), "Walai");
    }

    #[test]
    fn relative_pronoun_speaker_is_the_noun() {
        let rows = [
            ("Republicans", 0, "root"),
            (",", 4, "punct"),
            ("who", 4, "nsubj"),
            ("believe", 1, "acl:relcl"),
            ("the", 6, "det"),
            ("tax", 7, "nsubj"),
            ("hurts", 4, "ccomp"),
            ("small", 9, "amod"),
            ("firms", 7, "obj"),
        ];
        let mut d = parsed(&rows);
        let q = run(&mut d);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert_eq!(q[0].text, "the tax hurts small firms");
        assert_eq!(span_text(&d, &q[0]), "Republicans");
    }

    const PASSAGE: &str = "“We will not retreat from the northern hills,” said Tarek Hamdan, the commander of the rebel brigade. He added: “Our fighters are ready for a long war.” “Nobody in Baghdad can stop us now,” he told the crowd.";

    #[test]
    fn three_quotes_one_named_speaker_with_entities() {
        let mut d = doc(PASSAGE, None);
        entity(
            &mut d,
            "Tarek Hamdan",
            EntityKind::Per,
            Some("Tarek Hamdan"),
        );
        entity(&mut d, "Baghdad", EntityKind::Loc, None);
        let q = run(&mut d);
        let direct: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
        assert_eq!(direct.len(), 3, "{q:#?}");
        for x in &direct {
            assert_eq!(speaker(x), "Tarek Hamdan", "{x:#?}");
        }
        assert_eq!(
            direct[0].text,
            "We will not retreat from the northern hills"
        );
        assert_eq!(
            direct[1].speaker.as_ref().unwrap().surface.as_deref(),
            Some("He")
        );
        assert_eq!(direct[2].cue.as_deref(), Some("told"));
        assert_eq!(direct[1].text, "Our fighters are ready for a long war.");
    }

    #[test]
    fn three_quotes_one_named_speaker_without_entities() {
        let mut d = doc(PASSAGE, None);
        let q = run(&mut d);
        let direct: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
        assert_eq!(direct.len(), 3, "{q:#?}");
        for x in &direct {
            assert_eq!(speaker(x), "Tarek Hamdan", "{x:#?}");
        }
    }

    #[test]
    fn straight_quotes_and_quote_spanning_sentences() {
        let mut d = doc("Lena Ortiz, the mayor, spoke first. \"The bridge is gone. We need help now,\" Ortiz said.", None);
        let q = run(&mut d);
        let direct: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
        assert_eq!(direct.len(), 1, "{q:#?}");
        assert_eq!(direct[0].text, "The bridge is gone. We need help now");
        assert_eq!(speaker(direct[0]), "Lena Ortiz");
    }

    #[test]
    fn mixed_quote() {
        let mut d = doc("The militia chief Omar Farouk met his commanders. He said his fighters were “waiting for the signal” to act.", None);
        let q = run(&mut d);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert_eq!(q[0].kind, QuoteKind::Mixed);
        assert_eq!(
            q[0].text,
            "his fighters were “waiting for the signal” to act"
        );
        assert_eq!(speaker(&q[0]), "Omar Farouk");
        assert_eq!(
            q[0].speaker.as_ref().unwrap().surface.as_deref(),
            Some("He")
        );
    }

    #[test]
    fn indirect_quotes() {
        let mut d = doc(
            "The interior minister said on Tuesday that the border crossing would reopen next week. According to the governor, the road to the airport was closed. Two clinics were shelled overnight, the medical charity stated. The Northern Front warned that any incursion would be met with force.",
            None,
        );
        let q = run(&mut d);
        let got: Vec<(QuoteKind, &str, &str)> = q
            .iter()
            .map(|q| (q.kind, q.text.as_str(), speaker(q)))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    QuoteKind::Indirect,
                    "the border crossing would reopen next week",
                    "interior minister"
                ),
                (
                    QuoteKind::Indirect,
                    "the road to the airport was closed",
                    "governor"
                ),
                (
                    QuoteKind::Indirect,
                    "Two clinics were shelled overnight",
                    "medical charity"
                ),
                (
                    QuoteKind::Indirect,
                    "any incursion would be met with force",
                    "Northern Front"
                ),
            ]
        );
        assert_eq!(q[1].cue.as_deref(), Some("According to"));
    }

    #[test]
    fn org_anaphora() {
        let mut d = doc("The Northern Front said it would respond to the raid. “We hold the occupiers responsible for every drop of blood,” the group said.", None);
        entity(
            &mut d,
            "Northern Front",
            EntityKind::Org,
            Some("Northern Front Movement"),
        );
        let q = run(&mut d);
        let direct = q
            .iter()
            .find(|q| q.kind == QuoteKind::Direct)
            .expect("direct");
        assert_eq!(speaker(direct), "Northern Front Movement");
        assert_eq!(
            direct.speaker.as_ref().unwrap().surface.as_deref(),
            Some("the group")
        );
        assert!(direct.speaker.as_ref().unwrap().actor.is_some());
    }

    #[test]
    fn nested_marks_and_apostrophes() {
        let mut d = doc(
            "“We don't fear Kata'ib's threats or their ‘red lines’, and we won't accept what they call \"stability\" either,” the spokesman Ali Reza said.",
            None,
        );
        let q = run(&mut d);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert!(q[0].text.starts_with("We don't fear Kata'ib's"));
        assert!(q[0].text.ends_with("\"stability\" either"));
        assert_eq!(speaker(&q[0]), "Ali Reza");
    }

    #[test]
    fn bare_quote_paragraphs() {
        let mut d = doc("Maria Lopez said on Monday:\n“This is a historic day for our people.”\n“We will rebuild every school.”", None);
        let q = run(&mut d);
        let direct: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
        assert_eq!(direct.len(), 2, "{q:#?}");
        assert!(direct.iter().all(|x| speaker(x) == "Maria Lopez"), "{q:#?}");
        let mut d = doc("“The talks have failed and we are leaving Geneva.”\nThe envoy Maria Lopez announced the decision after midnight.", None);
        let q = run(&mut d);
        assert_eq!(speaker(&q[0]), "Maria Lopez");
    }

    #[test]
    fn unclosed_opener_and_parenthetical() {
        let mut d = doc("“The vote was rigged, observers wrote in their report, calling the result a “farce,” a monitor told us.", None);
        let q = run(&mut d);
        let direct: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
        assert!(
            direct.iter().all(|x| !x.text.starts_with("The vote")),
            "{q:#?}"
        );
        let mut d = doc(
            "To prevent fraud, the governor said, every ballot will be counted twice.",
            None,
        );
        let q = run(&mut d);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert_eq!(
            q[0].text,
            "To prevent fraud, the governor said, every ballot will be counted twice"
        );
        assert_eq!(speaker(&q[0]), "governor");
        // curly quotes nested in curly quotes
        let mut d = doc(
            "“They call it a “temporary measure” but it is permanent,” said Rana Aziz.",
            None,
        );
        let q = run(&mut d);
        assert_eq!(q.len(), 1, "{q:#?}");
        assert_eq!(
            q[0].text,
            "They call it a “temporary measure” but it is permanent"
        );
        assert_eq!(speaker(&q[0]), "Rana Aziz");
    }

    #[test]
    fn participles_inherit_the_speaker() {
        let mut d = doc("Governor Lina Haddad said the dam was safe, adding that engineers would inspect it daily.", None);
        let q = run(&mut d);
        assert_eq!(q.len(), 2, "{q:#?}");
        assert_eq!(q[0].text, "the dam was safe");
        assert_eq!(q[1].text, "engineers would inspect it daily");
        assert_eq!(speaker(&q[1]), "Lina Haddad");
        assert_eq!(q[1].cue.as_deref(), Some("adding"));
    }

    #[test]
    fn the_official_resolves_to_person() {
        let mut d = doc(
            "Foreign Minister Karim Nasser arrived in Oslo on Monday. The official stated that the talks would continue until a deal is reached. He told reporters the delegation was optimistic.",
            None,
        );
        entity(&mut d, "Karim Nasser", EntityKind::Per, None);
        d.entities[0].actor = Some(chronicle_core::Actor {
            name: "Karim Nasser".into(),
            country: Some("JOR".into()),
            sectors: vec!["GOV".into()],
            ..Default::default()
        });
        let q = run(&mut d);
        assert_eq!(q.len(), 2, "{q:#?}");
        assert_eq!(q[0].kind, QuoteKind::Indirect);
        assert_eq!(
            q[0].text,
            "the talks would continue until a deal is reached"
        );
        let sp = q[0].speaker.as_ref().unwrap();
        assert_eq!(
            (sp.name.as_str(), sp.surface.as_deref()),
            ("Karim Nasser", Some("The official"))
        );
        assert_eq!(
            sp.actor.as_ref().and_then(|a| a.country.as_deref()),
            Some("JOR")
        );
        assert_eq!(q[1].text, "the delegation was optimistic");
        assert_eq!(speaker(&q[1]), "Karim Nasser");
    }

    #[test]
    fn transcripts_and_noun_like_cues() {
        let mut d = doc(
            "Host Dana Wells interviewed Senator Mark Ruiz.\nWELLS: Will you support the bill this week?\nRUIZ: Not in its current form, and I have said so.\nThe ministry states that the claims are false. The company reports were late.",
            None,
        );
        let q = run(&mut d);
        let got: Vec<(&str, &str)> = q.iter().map(|q| (q.text.as_str(), speaker(q))).collect();
        assert_eq!(
            got,
            vec![
                ("Will you support the bill this week?", "Dana Wells"),
                ("Not in its current form, and I have said so.", "Mark Ruiz"),
                ("the claims are false", "ministry"),
            ]
        );
    }

    #[test]
    fn doubled_apostrophe_quotes_and_split_tails() {
        let mut d = doc("''They pay us a lot of money, and we need it,'' Mr. King said. ''It is simple.'' He left.", None);
        let q = run(&mut d);
        let direct: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
        assert_eq!(direct.len(), 2, "{q:#?}");
        assert_eq!(direct[0].text, "They pay us a lot of money, and we need it");
        assert_eq!(speaker(direct[0]), "King");
        let mut d = doc(
            "“Will the border reopen?” Ana Lima asked. “Nobody knows.”",
            None,
        );
        let q = run(&mut d);
        assert_eq!(speaker(&q[0]), "Ana Lima", "{q:#?}");
    }

    #[test]
    fn inverted_and_coordinated_attribution() {
        let mut d = doc(
            "The stations were removed from the network by 2005, said Jeffrey Trimble, a senior official. Cruz exhorted delegates to vote and said he was standing on principle. Black lawmakers said Friday afternoon, as they gathered in the hall, that the claim was an insult.",
            None,
        );
        let q = run(&mut d);
        let got: Vec<(&str, &str)> = q.iter().map(|q| (q.text.as_str(), speaker(q))).collect();
        assert_eq!(
            got[0],
            (
                "The stations were removed from the network by 2005",
                "Jeffrey Trimble"
            )
        );
        assert_eq!(got[1], ("he was standing on principle", "Cruz"));
        assert_eq!(got[2].1, "Black lawmakers");
    }

    #[test]
    fn scare_quotes_are_not_quotes() {
        let mut d = doc(
            "Delegates of the so-called “axis of resistance” met in Beirut.",
            None,
        );
        assert!(run(&mut d).is_empty());
    }

    #[test]
    fn pronoun_prefers_last_speaker_over_other_people() {
        let text = "Ahmed Saleh said the ceasefire had collapsed. Saleh's forces clashed with troops loyal to Karim Nasser near the river. “We were attacked first,” he said.";
        let mut d = doc(text, None);
        entity(&mut d, "Ahmed Saleh", EntityKind::Per, None);
        entity(&mut d, "Karim Nasser", EntityKind::Per, None);
        let q = run(&mut d);
        let direct = q.iter().find(|q| q.kind == QuoteKind::Direct).unwrap();
        assert_eq!(speaker(direct), "Ahmed Saleh");
    }
}
