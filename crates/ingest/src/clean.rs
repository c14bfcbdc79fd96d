//! Text cleaning applied to every document, whatever its format.
//!
//! Takes raw article text (already decoded, possibly with `\r\n`, non-breaking
//! spaces, duplicated headlines, captions and boilerplate lines) and gives
//! [`Cleaned`]: the normalised text with paragraphs separated by `"\n\n"`, the byte
//! spans of those paragraphs, and the lines that were dropped (for diagnostics).
//!
//! Rules, in order, per line:
//! 1. normalise line endings, Unicode spaces, zero-width and control characters;
//!    collapse runs of whitespace; trim;
//! 2. drop photo-caption lines (ending in a parenthesised credit such as `(AFP)`,
//!    `(Reuters)`, `(AP Photo/…)`, `(Photo: …)`, `(File photo)`, or starting with
//!    `Photo:` / `FILE PHOTO:`) — in every occurrence;
//! 3. drop junk lines (lone short all-caps tokens such as agency codes, "Advertisement",
//!    "Share this article", "Read more", cookie notices…);
//! 4. drop lines repeated verbatim, keeping the first occurrence.
//!
//! Paragraphs: blank lines separate paragraphs, and so do single newlines, except
//! inside a hard-wrapped block (uniform line widths of 40-100 characters, which
//! becomes one paragraph) or where a line without closing punctuation is followed
//! by one starting in lower case (a wrap).

use chronicle_core::Span;
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Result of [`clean_text`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cleaned {
    /// Cleaned text; paragraphs separated by `"\n\n"`.
    pub text: String,
    /// Byte spans of the paragraphs in `text`.
    pub paragraphs: Vec<Span>,
    /// Lines that were removed (captions, junk, duplicates), in input order.
    pub dropped: Vec<String>,
}

/// Clean raw article text (see the module docs for the rules).
pub fn clean_text(raw: &str) -> Cleaned {
    clean_with_title(raw, None)
}

/// Like [`clean_text`], but when `title` is given it becomes the first paragraph,
/// and every line of the body equal to it is dropped (it stays exactly once).
pub fn clean_with_title(raw: &str, title: Option<&str>) -> Cleaned {
    let normalised = normalise(raw);

    // Group lines into raw blocks.
    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for line in normalised.lines() {
        let line = collapse_ws(line);
        if line.is_empty() {
            if !cur.is_empty() {
                blocks.push(std::mem::take(&mut cur));
            }
            continue;
        }
        cur.push(line);
    }
    if !cur.is_empty() {
        blocks.push(cur);
    }

    let mut seen: HashSet<String> = HashSet::new();
    let mut dropped = Vec::new();
    let mut paras: Vec<String> = Vec::new();
    let title = title.map(collapse_ws).filter(|t| !t.is_empty());
    if let Some(t) = &title {
        seen.insert(dedup_key(t));
        paras.push(t.clone());
    }
    for block in blocks {
        let mut kept: Vec<String> = Vec::new();
        for line in block {
            if is_caption(&line) || is_junk(&line) {
                dropped.push(line);
                continue;
            }
            let key = dedup_key(&line);
            if !seen.insert(key) {
                dropped.push(line);
                continue;
            }
            kept.push(line);
        }
        paras.extend(join_lines(kept));
    }

    let mut text = String::with_capacity(raw.len());
    let mut paragraphs = Vec::with_capacity(paras.len());
    for p in paras {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(&p);
        paragraphs.push(Span::new(start, text.len()));
    }
    Cleaned {
        text,
        paragraphs,
        dropped,
    }
}

/// Turn the kept lines of one blank-line-separated block into paragraphs: a
/// hard-wrapped block (uniform line widths of 40-100 characters) becomes one
/// paragraph; otherwise a line is continued by the next only when it lacks
/// closing punctuation and the next starts in lower case.
fn join_lines(lines: Vec<String>) -> Vec<String> {
    if lines.is_empty() {
        return Vec::new();
    }
    let ends_sentence = |l: &str| {
        l.ends_with([
            '.', '!', '?', ':', ';', '"', '”', '’', '\'', ')', '»', '…', '。', '！', '？',
        ])
    };
    if lines.len() >= 3 {
        let body = &lines[..lines.len() - 1];
        let widths: Vec<usize> = body.iter().map(|l| l.chars().count()).collect();
        let max = widths.iter().copied().max().unwrap_or(0);
        let min = widths.iter().copied().min().unwrap_or(0);
        if (40..=100).contains(&max) && min * 2 >= max && body.iter().any(|l| !ends_sentence(l)) {
            return vec![lines.join(" ")];
        }
    }
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let continues = out.last().is_some_and(|prev: &String| {
            !ends_sentence(prev) && line.chars().next().is_some_and(|c| c.is_lowercase())
        });
        match out.last_mut() {
            Some(prev) if continues => {
                prev.push(' ');
                prev.push_str(&line);
            }
            _ => out.push(line),
        }
    }
    out
}

fn dedup_key(line: &str) -> String {
    line.to_lowercase()
}

/// Normalise line endings and odd characters (keeps newlines).
fn normalise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' => out.push('\n'),
            '\u{2028}' | '\u{2029}' | '\u{0B}' | '\u{0C}' | '\u{85}' => out.push('\n'),
            '\t' => out.push(' '),
            // zero-width characters, soft hyphen, BOM
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}' => {}
            c if c.is_whitespace() => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Collapse whitespace runs to one space and trim.
fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn caption_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)
            \(\s*(?:
                (?:AFP|Reuters|AP|EPA|Getty|Getty\s+Images|Archive|Archives|File|File\s+photo|Photo|Photos|Image|Picture|Pic|Credit|Xinhua|Anadolu|dpa|ANSA|Sipa|Shutterstock|Handout|TT|NTB|Scanpix|Ritzau|AAP|PA|IANS|PTI|ANI|Bloomberg|NurPhoto|Alamy|Courtesy)
                (?:(?-u:\b)[^()]{0,120})?
              | [^()]{0,80}(?-u:\b)(?:photo|photograph|image|picture|pic)\s*(?::|/|by)[^()]{0,120}
              | [^()]{0,80}/\s*(?:AFP|Reuters|AP|EPA|Getty\s+Images|Getty|Xinhua|Anadolu|dpa|Shutterstock|Alamy)
              | [^()]{0,80}(?-u:\b)via\s+(?:AFP|Reuters|AP|EPA|Getty\s+Images|Getty|Xinhua|Anadolu|dpa|Shutterstock|Alamy)(?-u:\b)[^()]{0,40}
            )\s*\)\s*[.]?\s*$",
        )
        .expect("caption regex")
    })
}

fn caption_prefix_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^(?:file\s+photo|photo|photos|image|picture|pictured|caption|credit|photograph)\s*(?::|\||—|–)")
            .expect("caption prefix regex")
    })
}

/// A photo-caption line: ends in a parenthesised photo credit, or starts with
/// "Photo:"/"FILE PHOTO:"-style labels.
pub fn is_caption(line: &str) -> bool {
    // The credit pattern ends with ")" and an optional full stop.
    let ends_paren = line
        .trim_end()
        .trim_end_matches('.')
        .trim_end()
        .ends_with(')');
    (ends_paren && caption_re().is_match(line)) || caption_prefix_re().is_match(line)
}

fn junk_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^(?:
                advertisement|advertising|advert|ad|tags|topics|sponsored(?:\s+content)?|story\s+continues\s+(?:below|after\s+advertisement)
              | (?:share|share\s+this(?:\s+(?:article|story|page|post))?|share\s+on\s+\w+|tweet|email|print|comments?|\d+\s+comments?)
              | (?:click\s+here|read\s+more|read\s+also|read\s+next|see\s+also|more\s+on\s+this(?:\s+story)?|related(?:\s+(?:articles?|stories|content|news|coverage))?|recommended(?:\s+for\s+you)?|most\s+(?:read|popular|viewed))(?:\s*[:>»›].{0,160})?
              | (?:skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|toggle\s+navigation|menu|search|close|loading\.*|log\s*in|sign\s*in|sign\s+up|subscribe(?:\s+now)?)
              | (?:follow\s+us\s+on\s+.{0,80})
              | (?:sign\s+up\s+(?:for|to)\s+.{0,120}newsletter.{0,80})
              | (?:all\s+rights\s+reserved.{0,80}|©.{0,100}|(?:copyright|\(c\))\s*©?\s*\d{4}.{0,100})
              | (?:this\s+(?:article|story|content)\s+(?:is\s+)?(?:only\s+)?available\s+to\s+subscribers.{0,80})
              | (?:you\s+(?:may|might)\s+also\s+like.{0,40})
              | (?:listen\s+to\s+(?:this\s+)?(?:article|story).{0,40}|\d+\s+min(?:ute)?s?\s+read)
              | (?:image\s+(?:source|caption|copyright)\s*[:,].{0,160})
            )\s*[.!:]?\s*$",
        )
        .expect("junk regex")
    })
}

/// Cookie-banner lines (checked only on lines that mention cookies).
fn cookie_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^(?:we\s+use\s+cookies.{0,300}|.{0,200}(?-u:\b)cookies?(?-u:\b).{0,200}(?-u:\b)(?:accept|consent|privacy\s+policy|cookie\s+policy|cookie\s+settings)(?-u:\b).{0,200})\s*[.!:]?\s*$",
        )
        .expect("cookie regex")
    })
}

/// Longest line (in characters) any [`junk_re`] alternative can match.
const JUNK_MAX_CHARS: usize = 260;
/// Longest line [`cookie_re`] can match.
const COOKIE_MAX_CHARS: usize = 720;

fn promo_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)
              ^(?:lea\s+también|lee\s+también|à\s+lire\s+aussi|lire\s+aussi|lesen\s+sie\s+auch|leia\s+também|leggi\s+anche|also\s+read|related\s*:|watch\s*:|listen\s*:)
            | (?-u:\b)subscribe(?-u:\b).{0,80}(?-u:\b)(?:full\s+story|to\s+continue|to\s+read|newsletter|our\s+channel|edition)
            | (?-u:\b)(?:subscribers?|log\s*in)(?-u:\b).{0,60}(?-u:\b)(?:immediate\s+access|full\s+access|to\s+view\s+the\s+full)
            | to\s+view\s+the\s+full\s+story
            | (?-u:\b)follow\s+(?:us|@?\w+(?:\s+\w+){0,3})\s+on\s+(?:twitter|facebook|instagram|x|tiktok|youtube|linkedin|telegram|whatsapp)
            | (?-u:\b)download\s+(?:the|our)\s+.{0,40}(?-u:\b)apps?(?-u:\b)
            | (?-u:\b)copyrighted\s+property\s+of
            | (?-u:\b)written\s+permission(?-u:\b).{0,60}(?-u:\b)(?:reprint|reproduc|republish)
            | (?-u:\b)may\s+not\s+be\s+(?:published|reproduced|rewritten|redistributed|broadcast)
            | (?-u:\b)submit\s+your\s+letter
            | (?-u:\b)we\s+want\s+to\s+hear\s+what\s+you\s+think
            | (?-u:\b)advertising\s+disclaimer
            | (?-u:\b)sign\s+up\s+for\s+(?:our|the)\s+.{0,40}newsletter
            | (?-u:\b)click\s+here\s+to\s+(?:subscribe|sign\s+up|read|download|join)
            | (?-u:\b)this\s+(?:post|article|page)\s+(?:may\s+)?contains?\s+(?:affiliate\s+)?links
            | ^the\s+post\s+.{1,200}\s+appeared\s+first\s+on\s+
            | ^continue\s+reading(?-u:\b)
            | (?-u:\b)share\s+(?:it|this)\s+with\s+(?:a\s+friend|your\s+friends)
            | (?-u:\b)requires\s+javascript(?-u:\b)|(?-u:\b)enable\s+javascript(?-u:\b)
            | ^tell\s+us\s+what\s+you\s+think
            | ^also\s+on\s+\S+\.(?:com|net|org|co\.uk)(?-u:\b)
            ",
        )
        .expect("promo regex")
    })
}

/// An obvious boilerplate line.
pub fn is_junk(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return true;
    }
    // A lone short all-caps token: agency codes like "TT", "AFP", "NTB".
    if !t.contains(' ')
        && t.chars().count() <= 5
        && t.chars().any(|c| c.is_alphabetic())
        && t.chars()
            .all(|c| c.is_uppercase() || c == '/' || c == '-' || c == '.')
    {
        return true;
    }
    // Lines of only punctuation / symbols (separators like "***", "—").
    if !t.chars().any(|c| c.is_alphanumeric()) {
        return true;
    }
    // The regexes are bounded; most body lines are longer than any match and
    // skip them (their matching was the costliest step of HTML extraction).
    let chars = t.chars().count();
    (chars <= JUNK_MAX_CHARS && junk_re().is_match(t))
        || (chars <= COOKIE_MAX_CHARS && mentions_cookies(t) && cookie_re().is_match(t))
        || (t.len() <= 300 && promo_re().is_match(t))
        || is_byline_or_stamp(t)
}

fn mentions_cookies(t: &str) -> bool {
    t.as_bytes()
        .windows(6)
        .any(|w| w.eq_ignore_ascii_case(b"cookie"))
}

/// A byline ("By Jane Doe, Reuters") or a time stamp line ("Updated 1:39 am EST,
/// Wednesday, November 20, 2019") standing alone.
fn is_byline_or_stamp(t: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^(?:updated|published|posted|last\s+updated|first\s+published|modified)(?:\s+on)?\s*:?\s+\S")
            .expect("stamp regex")
    });
    let short = t.chars().count() <= 100;
    if short && re.is_match(t) && t.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    let words = t.split_whitespace().count();
    (t.starts_with("By ") || t.starts_with("BY "))
        && t.chars().count() <= 80
        && words <= 10
        && !t.ends_with(['.', '!', '?'])
        && t[3..].trim_start().starts_with(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_whitespace_and_line_endings() {
        let c = clean_text("First\u{a0}line  here.\r\n\r\nSecond\tline.\r\n");
        assert_eq!(c.text, "First line here.\n\nSecond line.");
        assert_eq!(c.paragraphs.len(), 2);
        assert_eq!(
            &c.text[c.paragraphs[1].start..c.paragraphs[1].end],
            "Second line."
        );
    }

    #[test]
    fn hard_wraps_join_inside_blocks() {
        let c = clean_text("A wrapped\nsentence.\n\nNext one.");
        assert_eq!(c.text, "A wrapped sentence.\n\nNext one.");
    }

    #[test]
    fn lines_without_blank_lines_are_paragraphs() {
        let c = clean_text("One.\nTwo.\nThree.");
        assert_eq!(c.paragraphs.len(), 3);
        // one paragraph per line, long lines, no blank lines between them
        let c = clean_text("Headline of the day\n\nFirst paragraph is long and ends here.\nSecond paragraph, also a line.\nThird one.");
        assert_eq!(c.paragraphs.len(), 4);
    }

    #[test]
    fn hard_wrapped_block_is_one_paragraph() {
        let raw = "The committee met on Monday to discuss the new budget and the\n\
                   proposals from the finance ministry, which were criticised by\n\
                   several members as too optimistic about revenue growth in the\n\
                   coming year.";
        let c = clean_text(raw);
        assert_eq!(c.paragraphs.len(), 1, "{}", c.text);
    }

    #[test]
    fn duplicate_lines_dropped_keeping_first() {
        let c = clean_text("Headline here\n\nHeadline here\n\nBody text follows.\n\nHeadline here");
        assert_eq!(c.text, "Headline here\n\nBody text follows.");
        assert_eq!(c.dropped.len(), 2);
    }

    #[test]
    fn captions_dropped_every_time() {
        let raw = "Smoke rises over Kharkiv after a strike (AFP)\n\n\
                   Troops shelled the town on Monday, officials said.\n\n\
                   Residents flee Lyon, France (AP Photo/Jane Doe)\n\n\
                   Protesters in Dakar on Friday (Photo: Someone/Agency)\n\n\
                   A market in Aleppo (File photo)\n\n\
                   Police in Rome (Reuters)\n\n\
                   A view of Paris (Archive)\n\n\
                   Astronauts during a space walk in 2006. (NASA via AP, File)\n\n\
                   Smoke rises over Kharkiv after a strike (AFP)";
        let c = clean_text(raw);
        assert_eq!(c.text, "Troops shelled the town on Monday, officials said.");
        assert!(!c.text.contains("Kharkiv"));
        assert_eq!(c.dropped.len(), 8);
    }

    #[test]
    fn caption_does_not_eat_dateline() {
        assert!(!is_caption(
            "PARIS (AFP) — Police arrested three people on Monday."
        ));
        assert!(is_caption("Firefighters in Athens. (AFP file)"));
        assert!(is_caption("FILE PHOTO: A soldier stands guard in Kyiv"));
    }

    #[test]
    fn junk_lines_dropped() {
        for j in [
            "TT",
            "Advertisement",
            "Share this article",
            "Read more",
            "Read more: Floods in Spain",
            "We use cookies to improve your experience. By continuing you accept our cookie policy.",
            "***",
            "To view the full story, please subscribe to The Daily.",
            "Follow The Gazette on Twitter and Instagram @Gazette.",
            "Lea también: Otra noticia",
            "By Jane Doe, Reuters",
            "Updated 1:39 am EST, Wednesday, November 20, 2019",
            "Published on 3 May 2024",
            "The post Floods in Riverton appeared first on Valley News.",
            "Continue reading →",
            "Like this story? Share it with a friend!",
            "This slideshow requires JavaScript.",
        ] {
            assert!(is_junk(j), "{j}");
        }
        for ok in [
            "By the end of the week, the army had withdrawn.",
            "Updated figures show rising unemployment in the north of the country, officials said on Tuesday.",
            "Police said three people died.",
            "NATO",
            "Read more about the plan in the report, he said.",
        ] {
            // "NATO" alone is a lone all-caps token: junk by rule; the others are text.
            assert_eq!(is_junk(ok), ok == "NATO", "{ok}");
        }
    }

    #[test]
    fn title_stays_once_first() {
        let c = clean_with_title(
            "Body one.\n\nBig News Today\n\nBody two.",
            Some("Big News Today"),
        );
        assert_eq!(c.text, "Big News Today\n\nBody one.\n\nBody two.");
    }
}
