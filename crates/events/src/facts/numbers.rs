//! Count expressions: takes a phrase such as "at least 37", "about 3,000", "two
//! dozen", "hundreds" and gives `(min, max, Qualifier)`. Also exports the regex
//! fragment that finds such phrases in running text.

use chronicle_core::Qualifier;

const UNITS: &[(&str, u64)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];

const TENS: &[(&str, u64)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

const SCALES: &[(&str, u64)] = &[
    ("hundred", 100),
    ("thousand", 1_000),
    ("million", 1_000_000),
    ("billion", 1_000_000_000),
];

/// Qualifier prefixes, longest first so "more than" wins over "more".
const QUALIFIERS: &[(&str, Qualifier)] = &[
    ("no fewer than", Qualifier::AtLeast),
    ("not less than", Qualifier::AtLeast),
    ("a minimum of", Qualifier::AtLeast),
    ("at least", Qualifier::AtLeast),
    ("more than", Qualifier::MoreThan),
    ("upwards of", Qualifier::MoreThan),
    ("in excess of", Qualifier::MoreThan),
    ("well over", Qualifier::MoreThan),
    ("just over", Qualifier::MoreThan),
    ("over", Qualifier::MoreThan),
    ("approximately", Qualifier::About),
    ("an estimated", Qualifier::About),
    ("estimated", Qualifier::About),
    ("roughly", Qualifier::About),
    ("around", Qualifier::About),
    ("about", Qualifier::About),
    ("some", Qualifier::About),
    ("nearly", Qualifier::About),
    ("almost", Qualifier::About),
    ("close to", Qualifier::About),
    ("as many as", Qualifier::AtMost),
    ("no more than", Qualifier::AtMost),
    ("fewer than", Qualifier::AtMost),
    ("less than", Qualifier::AtMost),
    ("just under", Qualifier::AtMost),
    ("at most", Qualifier::AtMost),
    ("up to", Qualifier::AtMost),
    ("under", Qualifier::AtMost),
];

/// Vague quantities: an order of magnitude, not a count.
const VAGUE: &[(&str, u64, u64)] = &[
    ("hundreds of thousands", 200_000, 999_999),
    ("tens of thousands", 20_000, 99_999),
    ("several dozen", 24, 99),
    ("several hundred", 200, 999),
    ("several thousand", 2_000, 9_999),
    ("a few dozen", 24, 60),
    ("a few hundred", 200, 500),
    ("a few thousand", 2_000, 5_000),
    ("dozens", 24, 99),
    ("scores", 40, 199),
    ("hundreds", 200, 999),
    ("thousands", 2_000, 9_999),
    ("millions", 2_000_000, 9_999_999),
    ("a handful", 2, 5),
    ("a few", 2, 5),
    ("several", 3, 9),
];

fn unit(w: &str) -> Option<u64> {
    UNITS.iter().find(|(n, _)| *n == w).map(|&(_, v)| v)
}
fn tens(w: &str) -> Option<u64> {
    TENS.iter().find(|(n, _)| *n == w).map(|&(_, v)| v)
}
fn scale(w: &str) -> Option<u64> {
    SCALES.iter().find(|(n, _)| *n == w).map(|&(_, v)| v)
}

/// True for a word that is (part of) a spelled-out number.
pub(crate) fn is_number_word(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    unit(&w).is_some()
        || tens(&w).is_some()
        || scale(&w).is_some()
        || matches!(
            w.as_str(),
            "dozen" | "dozens" | "scores" | "hundreds" | "thousands"
        )
        || w.split('-').count() == 2 && w.split('-').all(|p| unit(p).is_some() || tens(p).is_some())
}

/// Regex fragment (no capture groups) matching a count phrase with optional
/// qualifier. Case-insensitive use expected.
pub(crate) fn count_pattern() -> String {
    let quals = QUALIFIERS
        .iter()
        .map(|(q, _)| q.replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|");
    let units = UNITS.iter().map(|(n, _)| *n).collect::<Vec<_>>();
    // longest first so "seventeen" is not matched as "seven"
    let mut units_sorted = units.clone();
    units_sorted.sort_by_key(|u| std::cmp::Reverse(u.len()));
    let units = units_sorted.join("|");
    let tens = TENS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("|");
    let scales = SCALES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("|");
    let word = format!(r"(?:(?:{tens})(?:[-\s](?:{units}))?|(?:{units}))");
    let scaled = format!(
        r"(?:(?:{word}|a|an)\s+)?(?:{scales})(?:(?:\s+and)?\s+(?:{word}\s+)?(?:{scales}))*(?:(?:\s+and)?\s+{word})?"
    );
    let digits = format!(r"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s+(?:{scales}))?");
    let vague = VAGUE
        .iter()
        .map(|(v, _, _)| v.replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|");
    let dozen = format!(r"(?:(?:half\s+a|a|{word})\s+dozen)");
    let single = format!(r"(?:{digits}|{scaled}|{dozen}|{vague}|{word}|both)");
    let range =
        format!(r"(?:between\s+{single}\s+and\s+{single}|{single}\s*(?:-|–|to)\s*{single})");
    format!(r"(?:(?:{quals})\s+)?(?:{range}|{single})(?-u:\b)")
}

/// Parse a spelled-out or digit number without qualifier. Returns `None` when
/// the expression is not a number.
fn parse_number(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // digits, optional decimal, optional scale word
    let mut parts = s.split_whitespace();
    let first = parts.next()?;
    if first.chars().next()?.is_ascii_digit() {
        let cleaned: String = first.chars().filter(|c| *c != ',').collect();
        let rest: Vec<&str> = parts.collect();
        let mult = match rest.as_slice() {
            [] => 1,
            [w] => scale(&w.to_ascii_lowercase())?,
            _ => return None,
        };
        if cleaned.contains('.') {
            let f: f64 = cleaned.parse().ok()?;
            let v = f * mult as f64;
            if !v.is_finite() || v < 0.0 || v > u64::MAX as f64 / 2.0 {
                return None;
            }
            return Some(v.round() as u64);
        }
        let n: u64 = cleaned.parse().ok()?;
        return n.checked_mul(mult);
    }
    // words
    let lower = s.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let (mut total, mut current, mut seen) = (0u64, 0u64, false);
    for (i, w) in words.iter().enumerate() {
        if let Some(v) = unit(w).or_else(|| tens(w)) {
            current = current.checked_add(v)?;
            seen = true;
        } else if let Some(sc) = scale(w) {
            if sc == 100 {
                current = current.max(1).checked_mul(100)?;
            } else {
                total = total.checked_add(current.max(1).checked_mul(sc)?)?;
                current = 0;
            }
            seen = true;
        } else if (*w == "a" || *w == "an") && i == 0 {
            current = 1;
        } else if *w == "and" && seen {
            continue;
        } else {
            return None;
        }
    }
    seen.then_some(total + current)
}

/// One count without qualifier: number, dozen form or vague quantity.
fn parse_single(s: &str) -> Option<(u64, u64, Qualifier)> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(&(_, lo, hi)) = VAGUE.iter().find(|(v, _, _)| *v == lower) {
        return Some((lo, hi, Qualifier::Vague));
    }
    if let Some(head) = lower.strip_suffix(" dozen") {
        let n = match head {
            "a" => 1,
            "half a" => return Some((6, 6, Qualifier::About)),
            other => parse_number(other)?,
        };
        return Some((n * 12, n * 12, Qualifier::About));
    }
    if lower == "both" {
        return Some((2, 2, Qualifier::Exact));
    }
    if matches!(lower.as_str(), "a couple" | "a couple of" | "a pair of") {
        return Some((2, 2, Qualifier::About));
    }
    parse_number(&lower).map(|n| (n, n, Qualifier::Exact))
}

/// Parse a count expression: "at least 37" → `(37, 37, AtLeast)`, "about 3,000"
/// → `(3000, 3000, About)`, "two" → `(2, 2, Exact)`, "dozens" → `(24, 99, Vague)`,
/// "between 10 and 15" → `(10, 15, About)`. A trailing "of" ("dozens of") is
/// ignored. Returns `None` when the expression is not a count.
pub fn parse_count(expr: &str) -> Option<(u64, u64, Qualifier)> {
    let mut s = expr.trim().to_ascii_lowercase();
    s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(t) = s.strip_suffix(" of") {
        s = t.to_string();
    }
    let mut qual = None;
    for (q, ql) in QUALIFIERS {
        if let Some(rest) = s.strip_prefix(q) {
            if rest.starts_with(' ') {
                qual = Some(*ql);
                s = rest.trim().to_string();
                break;
            }
        }
    }
    // ranges
    let range = if let Some(rest) = s.strip_prefix("between ") {
        rest.split_once(" and ")
            .map(|(a, b)| (a.to_string(), b.to_string()))
    } else if let Some((a, b)) = s.split_once(" to ") {
        Some((a.to_string(), b.to_string()))
    } else if let Some((a, b)) = s.split_once('–') {
        Some((a.to_string(), b.to_string()))
    } else if s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        s.split_once('-')
            .map(|(a, b)| (a.to_string(), b.to_string()))
    } else {
        None
    };
    if let Some((a, b)) = range {
        if let (Some((lo, _, _)), Some((_, hi, _))) = (parse_single(&a), parse_single(&b)) {
            if lo <= hi {
                return Some((lo, hi, qual.unwrap_or(Qualifier::About)));
            }
        }
    }
    let (lo, hi, q) = parse_single(&s)?;
    let q = match (qual, q) {
        (_, Qualifier::Vague) => Qualifier::Vague,
        (Some(ql), _) => ql,
        (None, q) => q,
    };
    Some((lo, hi, q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn parses_qualified_counts() {
        assert_eq!(
            parse_count("at least 37"),
            Some((37, 37, Qualifier::AtLeast))
        );
        assert_eq!(
            parse_count("about 3,000"),
            Some((3000, 3000, Qualifier::About))
        );
        assert_eq!(parse_count("two"), Some((2, 2, Qualifier::Exact)));
        assert_eq!(parse_count("dozens"), Some((24, 99, Qualifier::Vague)));
        assert_eq!(parse_count("Dozens of"), Some((24, 99, Qualifier::Vague)));
        assert_eq!(
            parse_count("more than 1,200"),
            Some((1200, 1200, Qualifier::MoreThan))
        );
        assert_eq!(parse_count("over 40"), Some((40, 40, Qualifier::MoreThan)));
        assert_eq!(
            parse_count("nearly fifty"),
            Some((50, 50, Qualifier::About))
        );
        assert_eq!(
            parse_count("around 2.5 million"),
            Some((2_500_000, 2_500_000, Qualifier::About))
        );
        assert_eq!(parse_count("up to 30"), Some((30, 30, Qualifier::AtMost)));
        assert_eq!(parse_count("a dozen"), Some((12, 12, Qualifier::About)));
        assert_eq!(
            parse_count("more than a dozen"),
            Some((12, 12, Qualifier::MoreThan))
        );
        assert_eq!(parse_count("two dozen"), Some((24, 24, Qualifier::About)));
        assert_eq!(parse_count("scores"), Some((40, 199, Qualifier::Vague)));
        assert_eq!(parse_count("hundreds"), Some((200, 999, Qualifier::Vague)));
        assert_eq!(
            parse_count("tens of thousands"),
            Some((20_000, 99_999, Qualifier::Vague))
        );
    }

    #[test]
    fn parses_number_words() {
        assert_eq!(parse_count("twenty-one"), Some((21, 21, Qualifier::Exact)));
        assert_eq!(parse_count("ninety nine"), Some((99, 99, Qualifier::Exact)));
        assert_eq!(parse_count("a hundred"), Some((100, 100, Qualifier::Exact)));
        assert_eq!(
            parse_count("three hundred and fifty"),
            Some((350, 350, Qualifier::Exact))
        );
        assert_eq!(
            parse_count("two thousand five hundred"),
            Some((2500, 2500, Qualifier::Exact))
        );
        assert_eq!(
            parse_count("one million"),
            Some((1_000_000, 1_000_000, Qualifier::Exact))
        );
        assert_eq!(
            parse_count("between 10 and 15"),
            Some((10, 15, Qualifier::About))
        );
        assert_eq!(parse_count("10-15"), Some((10, 15, Qualifier::About)));
    }

    #[test]
    fn rejects_non_counts() {
        assert_eq!(parse_count(""), None);
        assert_eq!(parse_count("people"), None);
        assert_eq!(parse_count("at least"), None);
        assert_eq!(parse_count("one two x"), None);
        assert_eq!(parse_count("99999999999999999999999"), None);
    }

    #[test]
    fn pattern_finds_counts_in_text() {
        let re = Regex::new(&format!("(?i){}", count_pattern())).unwrap();
        let found: Vec<&str> = re
            .find_iter("killed at least 37 people and wounded about 3,000, seventeen more and dozens of others")
            .map(|m| m.as_str())
            .collect();
        assert_eq!(
            found,
            vec!["at least 37", "about 3,000", "seventeen", "dozens"]
        );
        for f in found {
            assert!(parse_count(f).is_some(), "{f}");
        }
    }
}
