//! Publication-date parsing for metadata fields.
//!
//! Takes a date string as found in feeds, JSONL records, `<meta>` tags and
//! JSON-LD (RFC 3339, RFC 2822, ISO dates with or without time or zone,
//! `YYYY/MM/DD`, `DD Month YYYY`, `Month DD, YYYY`, Unix timestamps) and gives a
//! UTC timestamp. Dates without a time become midnight UTC; times without a zone
//! are taken as UTC. Also finds `/YYYY/MM/DD/` patterns in URLs.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use regex::Regex;
use std::sync::OnceLock;

/// Parse a date/time string; `None` when no known format fits.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    parse_date_local(s).map(|d| d.with_timezone(&Utc))
}

/// Like [`parse_date`] but keeps the UTC offset written in the string (UTC when
/// none), so the publisher's local calendar date is known.
pub fn parse_date_local(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim().trim_matches('"');
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    // Zoned variants.
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%a, %d %b %Y %H:%M:%S %z",
        "%a, %d %b %Y %H:%M %z",
        "%d %b %Y %H:%M:%S %z",
        "%Y%m%dT%H%M%S%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    // Strip a trailing zone name like " GMT", " UTC", "Z".
    let bare = s
        .strip_suffix(" GMT")
        .or_else(|| s.strip_suffix(" UTC"))
        .or_else(|| s.strip_suffix('Z'))
        .unwrap_or(s)
        .trim();
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%a, %d %b %Y %H:%M:%S",
        "%d %b %Y %H:%M:%S",
        "%d %B %Y %H:%M",
        "%B %d, %Y %H:%M",
        "%Y%m%dT%H%M%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(bare, f) {
            return Some(Utc.from_utc_datetime(&d).fixed_offset());
        }
    }
    let no_comma = bare.replace(',', "");
    let dotless = no_comma.replace(". ", " ");
    for cand in [bare, no_comma.as_str(), dotless.as_str()] {
        for f in [
            "%Y-%m-%d",
            "%Y/%m/%d",
            "%Y.%m.%d",
            "%d.%m.%Y",
            "%d/%m/%Y",
            "%d %B %Y",
            "%d %b %Y",
            "%B %d %Y",
            "%b %d %Y",
            "%A %B %d %Y",
            "%A %d %B %Y",
            "%a %b %d %Y",
            "%a %d %b %Y",
            "%Y%m%d",
        ] {
            if let Ok(d) = NaiveDate::parse_from_str(cand, f) {
                return d
                    .and_hms_opt(0, 0, 0)
                    .map(|dt| Utc.from_utc_datetime(&dt).fixed_offset());
            }
        }
    }
    // Unix timestamp (seconds or milliseconds).
    if s.len() >= 9 && s.len() <= 13 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        let secs = if s.len() == 13 { n / 1000 } else { n };
        return Utc
            .timestamp_opt(secs, 0)
            .single()
            .map(|d| d.fixed_offset());
    }
    // ISO date prefix followed by anything ("2024-09-20T10:00:00+0200 extra").
    if s.len() >= 10 && s.is_char_boundary(10) {
        if let Ok(d) = NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d") {
            return d
                .and_hms_opt(0, 0, 0)
                .map(|dt| Utc.from_utc_datetime(&dt).fixed_offset());
        }
    }
    None
}

/// A date in a URL path such as `/2024/09/20/` or `/2024-09-20/`.
pub fn date_from_url(url: &str) -> Option<DateTime<Utc>> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|-|_|\.|$)")
            .expect("url date regex")
    });
    let c = re.captures(url)?;
    let d = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
    d.and_hms_opt(0, 0, 0).map(|dt| Utc.from_utc_datetime(&dt))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(d: DateTime<Utc>) -> String {
        d.format("%Y-%m-%d %H:%M").to_string()
    }

    #[test]
    fn common_formats() {
        let cases = [
            ("2024-09-20T10:30:00+02:00", "2024-09-20 08:30"),
            ("2024-09-20T10:30:00Z", "2024-09-20 10:30"),
            ("2024-09-20", "2024-09-20 00:00"),
            ("2024-09-20 10:30:00", "2024-09-20 10:30"),
            ("Fri, 20 Sep 2024 10:30:00 GMT", "2024-09-20 10:30"),
            ("Fri, 20 Sep 2024 10:30:00 +0000", "2024-09-20 10:30"),
            ("20 September 2024", "2024-09-20 00:00"),
            ("September 20, 2024", "2024-09-20 00:00"),
            ("Sep 20, 2024", "2024-09-20 00:00"),
            ("2024/09/20", "2024-09-20 00:00"),
            ("2024-09-20T10:30:00.123+0200", "2024-09-20 08:30"),
        ];
        for (s, want) in cases {
            assert_eq!(parse_date(s).map(ymd).as_deref(), Some(want), "{s}");
        }
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn local_offset_is_kept() {
        let d = parse_date_local("2024-09-20T22:30:00-05:00").unwrap();
        assert_eq!(d.date_naive().to_string(), "2024-09-20");
        assert_eq!(
            parse_date("2024-09-20T22:30:00-05:00")
                .unwrap()
                .date_naive()
                .to_string(),
            "2024-09-21"
        );
    }

    #[test]
    fn url_dates() {
        let d = date_from_url("https://x.com/news/2024/09/20/story-title").unwrap();
        assert_eq!(ymd(d), "2024-09-20 00:00");
        assert!(date_from_url("https://x.com/news/2024/13/20/x").is_none());
        assert!(date_from_url("https://x.com/story-123").is_none());
    }
}
