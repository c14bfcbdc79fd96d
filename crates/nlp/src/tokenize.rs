//! Rule-based tokenizer and sentence splitter for English news text.
//!
//! Takes a document's text (and its paragraph spans, which are hard sentence
//! boundaries; blank lines are hard boundaries too) and gives `doc.tokens` and
//! `doc.sentences` with UTF-8 byte spans.
//!
//! Tokens: words keep internal apostrophes and hyphens (`Kata'ib`, `al-Walai`,
//! `Secretary-General`), numbers keep thousands separators and decimals (`100,000`,
//! `3.5`), abbreviations keep their period (`U.S.`, `Gen.`, `Sept.`, `No.` before a
//! number), possessive `'s` is split off, quote marks (straight and curly) are
//! separate tokens, runs of dots (`...`) and dashes (`--`) are one token.
//!
//! Sentences end after `.`/`!`/`?`/`…` followed by a capital, digit or opening
//! quote; a closing quote after the terminator belongs to the sentence it closes.
//! Titles (`Mr.`, `Gen.`) never end a sentence; other abbreviations (`U.S.`,
//! `Inc.`) end one only before a typical sentence opener (`The`, `He`, ...). A
//! news dateline (`DAMASCUS (Reuters) -`) at a paragraph start is its own sentence.

use chronicle_core::{Document, Result, Sentence, Span, Stage, Token};

/// Tokenizer + sentence splitter stage (`"tokenize"`). Stateless; one instance
/// serves every thread.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tokenizer;

/// Titles and honorifics: always followed by a name, never end a sentence.
const TITLE_ABBREVS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "Cpl", "Pvt", "Adm",
    "Brig", "Cmdr", "Cdr", "Sen", "Rep", "Gov", "Rev", "Hon", "Pres", "St", "Mt", "Ft", "Supt",
    "Insp", "Atty", "Gens", "Messrs", "Fr", "Sr", "Jr", "Sheikh",
];

/// Other abbreviations that keep their period; they may end a sentence.
const OTHER_ABBREVS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon",
    "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun", "Inc", "Corp", "Ltd", "Co",
    "Bros", "Dept", "Univ", "Ave", "Blvd", "Rd", "etc", "vs", "approx", "est", "Gov't", "Nos",
    "ca", "cf", "al", "v", "pop", "Ph", "Gov't", "Pvt", "fig", "Fig", "Vol", "vol", "pp",
];

/// Capitalised words that typically open a sentence (used after an abbreviation
/// such as `U.S.` to decide whether the period also ends the sentence).
const SENTENCE_OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "In",
    "On",
    "At",
    "But",
    "And",
    "Or",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "As",
    "After",
    "Before",
    "When",
    "While",
    "Meanwhile",
    "However",
    "Earlier",
    "Later",
    "Last",
    "Separately",
    "According",
    "Also",
    "Some",
    "Many",
    "Most",
    "No",
    "If",
    "So",
    "Yet",
    "Since",
    "During",
    "Despite",
    "Amid",
    "Following",
    "Officials",
    "Asked",
    "Speaking",
    "Such",
    "Both",
    "Another",
    "Other",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "One",
    "Two",
    "Three",
    "Several",
    "Still",
    "Then",
    "Now",
    "Today",
    "Yesterday",
    "On",
    "By",
    "For",
    "With",
    "From",
    "Under",
];

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»' | '„' | '‟' | '‹' | '›'
    )
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '―' | '‒')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AbbrevKind {
    None,
    /// A title such as `Gen.`: never ends a sentence.
    Title,
    /// `U.S.`, `Inc.`, `Sept.`: may end a sentence.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct RawTok {
    start: usize,
    end: usize,
    abbrev: AbbrevKind,
}

#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

#[inline]
fn prev_char(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// Scan one word/number starting at `i` (an alphanumeric char); returns its end
/// and abbreviation kind.
fn scan_word(text: &str, i: usize, end: usize) -> (usize, AbbrevKind) {
    let mut j = i;
    let mut seg_start = i; // start of the current dot-separated segment
    let mut has_dot = false;
    while j < end {
        let c = match char_at(text, j) {
            Some(c) => c,
            None => break,
        };
        if c.is_alphanumeric() || c == '\u{AD}' {
            j += c.len_utf8();
            continue;
        }
        let next_pos = j + c.len_utf8();
        let next = if next_pos < end {
            char_at(text, next_pos)
        } else {
            None
        };
        let prev = prev_char(text, j);
        let (Some(p), Some(n)) = (prev, next) else {
            break;
        };
        if is_apostrophe(c) && p.is_alphabetic() && n.is_alphabetic() {
            // possessive / contraction 's is split off: Assad's -> Assad 's
            let after = next_pos + n.len_utf8();
            let after_c = if after < end {
                char_at(text, after)
            } else {
                None
            };
            if (n == 's' || n == 'S') && !after_c.is_some_and(|a| a.is_alphanumeric()) {
                break;
            }
            j = next_pos;
            continue;
        }
        if is_hyphen(c) && p.is_alphanumeric() && n.is_alphanumeric() {
            j = next_pos;
            seg_start = j;
            continue;
        }
        if c == '.' && n.is_alphanumeric() {
            if p.is_ascii_digit() && n.is_ascii_digit() {
                j = next_pos;
                continue;
            }
            // acronym with dots: U.S, U.N, e.g
            let seg = &text[seg_start..j];
            if seg.chars().count() == 1 && p.is_alphabetic() && n.is_alphabetic() {
                let after = next_pos + n.len_utf8();
                let after_c = if after < end {
                    char_at(text, after)
                } else {
                    None
                };
                if after_c.is_none_or(|a| !a.is_alphabetic()) {
                    j = next_pos;
                    seg_start = j;
                    has_dot = true;
                    continue;
                }
            }
            break;
        }
        if c == ',' && p.is_ascii_digit() && n.is_ascii_digit() {
            // thousands separator: exactly three digits follow
            let rest = &text.as_bytes()[next_pos..end];
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 3 {
                j = next_pos;
                continue;
            }
            break;
        }
        if c == ':' && p.is_ascii_digit() && n.is_ascii_digit() {
            j = next_pos;
            continue;
        }
        break;
    }
    // trailing period of an abbreviation
    let mut kind = AbbrevKind::None;
    if j < end && text.as_bytes()[j] == b'.' {
        let after_dot = text.as_bytes().get(j + 1).copied();
        let is_ellipsis = after_dot == Some(b'.');
        if !is_ellipsis {
            let word = &text[i..j];
            if has_dot {
                kind = AbbrevKind::Other;
            } else if TITLE_ABBREVS.contains(&word) {
                kind = AbbrevKind::Title;
            } else if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
                // initial: "George W. Bush"
                kind = AbbrevKind::Title;
            } else if OTHER_ABBREVS.contains(&word) {
                kind = AbbrevKind::Other;
            } else if word == "No" || word == "no" || word == "Nos" || word == "Art" {
                let rest = text[j + 1..end].trim_start();
                if rest.starts_with(|c: char| c.is_ascii_digit()) {
                    kind = AbbrevKind::Title;
                }
            }
            if kind != AbbrevKind::None {
                j += 1;
            }
        }
    }
    (j, kind)
}

/// End of a URL (`http://`, `https://`, `www.`) or e-mail address starting at `i`.
fn url_or_email_end(text: &str, i: usize, end: usize) -> Option<usize> {
    let rest = &text[i..end];
    let chunk_len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '“' | '”'))
        .unwrap_or(rest.len());
    let chunk = &rest[..chunk_len];
    let is_url =
        chunk.starts_with("http://") || chunk.starts_with("https://") || chunk.starts_with("www.");
    let is_email = chunk.find('@').is_some_and(|a| {
        a > 0
            && chunk[a + 1..].contains('.')
            && chunk[..a]
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
    });
    if !is_url && !is_email {
        return None;
    }
    let trimmed = chunk.trim_end_matches(['.', ',', ';', ':', ')', ']', '!', '?', '\'', '’']);
    (trimmed.len() > 4).then_some(i + trimmed.len())
}

/// Split `text[start..end]` into raw tokens.
fn scan_tokens(text: &str, start: usize, end: usize, out: &mut Vec<RawTok>) {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < end {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let c = match char_at(text, i) {
            Some(c) => c,
            None => break,
        };
        if c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}' {
            i += c.len_utf8();
            continue;
        }
        if let Some(j) = url_or_email_end(text, i, end) {
            out.push(RawTok {
                start: i,
                end: j,
                abbrev: AbbrevKind::None,
            });
            i = j;
            continue;
        }
        if c.is_alphanumeric() {
            let (j, abbrev) = scan_word(text, i, end);
            out.push(RawTok {
                start: i,
                end: j,
                abbrev,
            });
            i = j;
            continue;
        }
        // possessive 's / ' after a word
        if is_apostrophe(c) {
            let n = char_at(text, i + c.len_utf8());
            let after = i + c.len_utf8() + 1;
            if prev_char(text, i).is_some_and(|p| p.is_alphanumeric())
                && matches!(n, Some('s') | Some('S'))
                && !(after < end && char_at(text, after).is_some_and(|a| a.is_alphanumeric()))
            {
                let j = i + c.len_utf8() + 1;
                out.push(RawTok {
                    start: i,
                    end: j,
                    abbrev: AbbrevKind::None,
                });
                i = j;
                continue;
            }
        }
        let mut j = i + c.len_utf8();
        if c == '.' || c == '-' || c == '!' || c == '?' {
            while j < end && bytes[j] == b {
                j += 1;
            }
        }
        out.push(RawTok {
            start: i,
            end: j,
            abbrev: AbbrevKind::None,
        });
        i = j;
    }
}

fn is_terminator(tok: &str) -> bool {
    matches!(tok, "." | "!" | "?" | "…" | "?!" | "!?")
        || tok.bytes().all(|b| b == b'.' || b == b'!' || b == b'?')
}

fn is_closer(tok: &str) -> bool {
    matches!(tok, ")" | "]" | "}" | "”" | "’" | "»" | "›" | "\"" | "'")
}

/// Is this token allowed to start a new sentence?
fn can_open(tok: &str) -> bool {
    let c = match tok.chars().next() {
        Some(c) => c,
        None => return false,
    };
    c.is_uppercase()
        || c.is_ascii_digit()
        || is_quote(c)
        || matches!(c, '(' | '[' | '-' | '—' | '–' | '•' | '*')
}

/// Length (in tokens) of a dateline at the start of `toks`, including the dash.
fn dateline_len(text: &str, toks: &[RawTok]) -> Option<usize> {
    let t = |k: usize| -> &str { &text[toks[k].start..toks[k].end] };
    let is_cap = |s: &str| s.chars().next().is_some_and(|c| c.is_uppercase());
    let all_caps =
        |s: &str| s.chars().any(|c| c.is_alphabetic()) && !s.chars().any(|c| c.is_lowercase());
    let mut k = 0;
    let mut saw_caps = false;
    // place words (up to 4), optional ", Region" (up to 3 words)
    while k < toks.len() && k < 4 && is_cap(t(k)) {
        if all_caps(t(k)) && t(k).chars().filter(|c| c.is_alphabetic()).count() >= 3 {
            saw_caps = true;
        }
        k += 1;
    }
    if k == 0 {
        return None;
    }
    if k < toks.len() && t(k) == "," {
        let mut m = k + 1;
        while m < toks.len()
            && m < k + 6
            && (is_cap(t(m))
                || t(m).ends_with('.')
                || t(m).bytes().all(|b| b.is_ascii_digit())
                || t(m) == ",")
        {
            m += 1;
        }
        if m == k + 1 {
            return None;
        }
        k = m;
    }
    let mut saw_agency = false;
    if k < toks.len() && t(k) == "(" {
        let mut m = k + 1;
        while m < toks.len() && m < k + 5 && t(m) != ")" {
            m += 1;
        }
        if m < toks.len()
            && t(m) == ")"
            && m > k + 1
            && (k + 1..m).all(|x| is_cap(t(x)) || matches!(t(x), "/" | "-" | "&"))
        {
            saw_agency = true;
            k = m + 1;
        } else {
            return None;
        }
    }
    if k < toks.len() && t(k).chars().all(is_dash) && !t(k).is_empty() && (saw_caps || saw_agency) {
        // something must follow the dateline
        if k + 1 < toks.len() {
            return Some(k + 1);
        }
    }
    None
}

impl Tokenizer {
    /// Tokenize `text`, using `paragraphs` as hard boundaries (empty: the whole text,
    /// further split at blank lines). Returns (sentences, tokens).
    pub fn tokenize(&self, text: &str, paragraphs: &[Span]) -> (Vec<Sentence>, Vec<Token>) {
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        if paragraphs.is_empty() {
            split_blank_lines(text, 0, text.len(), &mut blocks);
        } else {
            for p in paragraphs {
                let s = p.start.min(text.len());
                let e = p.end.min(text.len());
                if s < e && text.is_char_boundary(s) && text.is_char_boundary(e) {
                    split_blank_lines(text, s, e, &mut blocks);
                }
            }
        }
        let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5);
        let mut sentences: Vec<Sentence> = Vec::with_capacity(text.len() / 100);
        let mut raw: Vec<RawTok> = Vec::new();
        for (bs, be) in blocks {
            raw.clear();
            scan_tokens(text, bs, be, &mut raw);
            split_sentences(text, &raw, &mut tokens, &mut sentences);
        }
        (sentences, tokens)
    }

    /// Token byte spans of a short string (used to tokenize dictionary aliases the
    /// same way as documents).
    pub fn token_spans(&self, text: &str) -> Vec<Span> {
        let mut raw = Vec::new();
        scan_tokens(text, 0, text.len(), &mut raw);
        raw.iter().map(|r| Span::new(r.start, r.end)).collect()
    }
}

fn split_blank_lines(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut s = start;
    let mut i = start;
    while i < end {
        if bytes[i] == b'\n' {
            // look for another newline after optional horizontal whitespace
            let mut k = i + 1;
            while k < end && (bytes[k] == b' ' || bytes[k] == b'\t' || bytes[k] == b'\r') {
                k += 1;
            }
            if k < end && bytes[k] == b'\n' {
                if s < i {
                    out.push((s, i));
                }
                while k < end && bytes[k].is_ascii_whitespace() {
                    k += 1;
                }
                s = k;
                i = k;
                continue;
            }
        }
        i += 1;
    }
    if s < end {
        out.push((s, end));
    }
}

fn split_sentences(
    text: &str,
    raw: &[RawTok],
    tokens: &mut Vec<Token>,
    sentences: &mut Vec<Sentence>,
) {
    if raw.is_empty() {
        return;
    }
    let t = |k: usize| -> &str { &text[raw[k].start..raw[k].end] };
    let base = tokens.len();
    tokens.extend(raw.iter().map(|r| Token {
        span: Span::new(r.start, r.end),
        ..Default::default()
    }));
    let mut sent_start = 0usize;
    let push = |from: usize, to: usize, sentences: &mut Vec<Sentence>| {
        if from < to {
            sentences.push(Sentence {
                span: Span::new(raw[from].start, raw[to - 1].end),
                tokens: base + from..base + to,
            });
        }
    };
    if let Some(n) = dateline_len(text, raw) {
        push(0, n, sentences);
        sent_start = n;
    }
    let n = raw.len();
    let mut k = sent_start;
    while k < n {
        let tok = t(k);
        let mut boundary_after: Option<usize> = None;
        if is_terminator(tok) {
            // absorb further terminators and closing quotes/brackets
            let mut m = k + 1;
            while m < n && is_terminator(t(m)) {
                m += 1;
            }
            while m < n && is_closer(t(m)) {
                // a straight quote directly followed by a word is an opener
                let r = raw[m];
                let glued_next = char_at(text, r.end).is_some_and(|c| c.is_alphanumeric());
                if (t(m) == "\"" || t(m) == "'") && glued_next {
                    break;
                }
                m += 1;
            }
            if m >= n {
                boundary_after = Some(n);
            } else {
                let next = t(m);
                let ellipsis = tok == "…" || tok.starts_with("..");
                let opens = can_open(next);
                let upper_next = next
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || is_quote(c));
                // "... one. they are": a plain lowercase word before the period and
                // a lowercase word after it (informal text) still ends the sentence
                let plain_before = tok == "."
                    && k > sent_start
                    && {
                        let w = t(k - 1);
                        w.chars().count() >= 3 && w.chars().all(|c| c.is_lowercase())
                    }
                    && next.chars().next().is_some_and(|c| c.is_lowercase());
                if (opens && (!ellipsis || upper_next)) || plain_before {
                    boundary_after = Some(m);
                }
            }
            if let Some(b) = boundary_after {
                push(sent_start, b, sentences);
                sent_start = b;
                k = b;
                continue;
            }
            k = m;
            continue;
        }
        // a headline line (Title Case or ALL CAPS, no final punctuation) ends at its newline
        if k + 1 < n
            && text[raw[k].end..raw[k + 1].start].contains('\n')
            && !matches!(tok, "," | ";" | ":")
        {
            let line_start = text[..raw[k].end].rfind('\n').map(|p| p + 1).unwrap_or(0);
            if tok == ")" || headline_like(&text[line_start.max(raw[sent_start].start)..raw[k].end])
            {
                push(sent_start, k + 1, sentences);
                sent_start = k + 1;
                k += 1;
                continue;
            }
        }
        if raw[k].abbrev == AbbrevKind::Other && k + 1 < n {
            let next = t(k + 1);
            if SENTENCE_OPENERS.contains(&next) {
                push(sent_start, k + 1, sentences);
                sent_start = k + 1;
            }
        }
        k += 1;
    }
    push(sent_start, n, sentences);
}

/// Title Case or ALL CAPS line: most words of 4+ letters start with a capital.
pub(crate) fn headline_like(line: &str) -> bool {
    let mut long = 0;
    let mut cap = 0;
    for w in line.split(|c: char| !c.is_alphabetic()) {
        if w.chars().count() >= 4 {
            long += 1;
            if w.starts_with(|c: char| c.is_uppercase()) {
                cap += 1;
            }
        }
    }
    long >= 2 && cap * 10 >= long * 7
}

impl Stage for Tokenizer {
    fn name(&self) -> &'static str {
        "tokenize"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        let (sentences, tokens) = self.tokenize(&doc.text, &doc.paragraphs);
        doc.sentences = sentences;
        doc.tokens = tokens;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        Tokenizer
            .token_spans(s)
            .iter()
            .map(|sp| s[sp.start..sp.end].to_string())
            .collect()
    }

    fn sents(s: &str) -> Vec<String> {
        let (ss, _) = Tokenizer.tokenize(s, &[]);
        ss.iter()
            .map(|x| s[x.span.start..x.span.end].to_string())
            .collect()
    }

    #[test]
    fn words_keep_apostrophes_and_hyphens() {
        assert_eq!(
            toks("Kata'ib Hezbollah's leader al-Walai, the Secretary-General."),
            vec![
                "Kata'ib",
                "Hezbollah",
                "'s",
                "leader",
                "al-Walai",
                ",",
                "the",
                "Secretary-General",
                "."
            ]
        );
        assert_eq!(toks("Kata’ib"), vec!["Kata’ib"]);
        assert_eq!(toks("the rebels' base"), vec!["the", "rebels", "'", "base"]);
    }

    #[test]
    fn numbers_and_abbreviations() {
        assert_eq!(
            toks("100,000 people and 3.5 tons"),
            vec!["100,000", "people", "and", "3.5", "tons"]
        );
        assert_eq!(
            toks("1,2 and 10,50"),
            vec!["1", ",", "2", "and", "10", ",", "50"]
        );
        assert_eq!(
            toks("U.S. Gen. Smith on Sept. 11"),
            vec!["U.S.", "Gen.", "Smith", "on", "Sept.", "11"]
        );
        assert_eq!(toks("No. 10 and no."), vec!["No.", "10", "and", "no", "."]);
        assert_eq!(toks("Mr. Smith left."), vec!["Mr.", "Smith", "left", "."]);
    }

    #[test]
    fn quotes_dashes_ellipses() {
        assert_eq!(
            toks("“We won,” he said"),
            vec!["“", "We", "won", ",", "”", "he", "said"]
        );
        assert_eq!(
            toks("wait... no — never -- ok"),
            vec!["wait", "...", "no", "—", "never", "--", "ok"]
        );
        assert_eq!(toks("\"Yes.\""), vec!["\"", "Yes", ".", "\""]);
        assert_eq!(
            toks("See http://www.example.com/a.asp?id=9. Mail hilary.a@gs.com, or www.un.org."),
            vec![
                "See",
                "http://www.example.com/a.asp?id=9",
                ".",
                "Mail",
                "hilary.a@gs.com",
                ",",
                "or",
                "www.un.org",
                "."
            ]
        );
    }

    #[test]
    fn sentence_splitting() {
        assert_eq!(
            sents("Mr. Smith met Gen. Jones in the U.S. capital. They talked."),
            vec![
                "Mr. Smith met Gen. Jones in the U.S. capital.",
                "They talked."
            ]
        );
        assert_eq!(
            sents("He flew to the U.S. The talks failed."),
            vec!["He flew to the U.S.", "The talks failed."]
        );
        assert_eq!(
            sents("He said: “We will fight. We will win.” Then he left."),
            vec!["He said: “We will fight.", "We will win.”", "Then he left."]
        );
        assert_eq!(
            sents("\"It is over,\" she said. \"Go home.\" Nobody moved."),
            vec!["\"It is over,\" she said.", "\"Go home.\"", "Nobody moved."]
        );
        assert_eq!(
            sents("It cost 3.5 million... and more. Then?"),
            vec!["It cost 3.5 million... and more.", "Then?"]
        );
        assert_eq!(
            sents("The attack on Sept. 11 killed 2,977 people."),
            vec!["The attack on Sept. 11 killed 2,977 people."]
        );
    }

    #[test]
    fn datelines_and_paragraphs() {
        assert_eq!(
            sents("DAMASCUS (Reuters) - Syrian forces shelled Idlib."),
            vec!["DAMASCUS (Reuters) -", "Syrian forces shelled Idlib."]
        );
        assert_eq!(
            sents("BEIRUT, Lebanon (AP) — Israel struck. Hezbollah replied."),
            vec![
                "BEIRUT, Lebanon (AP) —",
                "Israel struck.",
                "Hezbollah replied."
            ]
        );
        assert_eq!(
            sents("WASHINGTON, Sept. 20 (Reuters) - The U.S. imposed sanctions."),
            vec![
                "WASHINGTON, Sept. 20 (Reuters) -",
                "The U.S. imposed sanctions."
            ]
        );
        // not a dateline: ordinary sentence with a parenthesis and a dash
        assert_eq!(
            sents("Hamas (the group) - not Fatah - agreed."),
            vec!["Hamas (the group) - not Fatah - agreed."]
        );
        // headline without a period followed by a blank line
        assert_eq!(
            sents("Rebels seize town\n\nRebels seized it."),
            vec!["Rebels seize town", "Rebels seized it."]
        );
        assert_eq!(
            sents("IRAQI FORCES RETAKE TOWN\nIraqi forces retook it. Army Says Attack Repelled\nTroops held."),
            vec!["IRAQI FORCES RETAKE TOWN", "Iraqi forces retook it.", "Army Says Attack Repelled", "Troops held."]
        );
        // hard-wrapped prose is not split
        assert_eq!(
            sents("The army said on Monday that it had\nrepelled the attack."),
            vec!["The army said on Monday that it had\nrepelled the attack."]
        );
        let text = "First para no period Second para.";
        let (ss, _) = Tokenizer.tokenize(text, &[Span::new(0, 20), Span::new(21, text.len())]);
        assert_eq!(ss.len(), 2);
        assert_eq!(&text[ss[1].span.start..ss[1].span.end], "Second para.");
    }

    #[test]
    fn spans_are_consistent_and_unicode_safe() {
        let text = "Erdoğan’s “deal” — résumé… Ünal said 5°C. Fin";
        let mut doc = Document::new("d", Default::default(), text.to_string());
        Tokenizer.process(&mut doc).unwrap();
        for (i, s) in doc.sentences.iter().enumerate() {
            for ti in s.tokens.clone() {
                assert!(s.span.contains(doc.tokens[ti].span), "sentence {i}");
            }
        }
        assert_eq!(doc.token_text(0), "Erdoğan");
        assert_eq!(doc.token_text(1), "’s");
        // bad paragraph spans never panic
        let (ss, _) = Tokenizer.tokenize(text, &[Span::new(1, 3), Span::new(40, 9999)]);
        assert!(ss.len() <= 2);
    }
}
