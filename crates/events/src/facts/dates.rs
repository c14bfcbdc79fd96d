//! Date expressions: takes a document's text and publication date, gives
//! [`DateMention`]s with resolved [`EventDate`]s. Absolute dates ("20 September
//! 2024", "Sept. 20, 2024", "2024-09-20", "September 2024", "in 2015") resolve
//! without a publication date; relative ones ("on Friday", "last week",
//! "yesterday", "three days ago", "earlier this month") need it.

use chronicle_core::{DateMention, Document, EventDate, Granularity, Result, Span, Stage};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// Fills `doc.dates` (replacing what was there). Without a publication date only
/// absolute dates resolve, and one warning is added to `doc.warnings`.
#[derive(Debug, Default, Clone, Copy)]
pub struct DateStage;

const NO_PUB_WARNING: &str = "dates: no publication date";

impl Stage for DateStage {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        let published = doc.meta.published_date();
        let found = scan(&doc.text, published, &sentence_bounds(doc));
        let mut dates = Vec::new();
        let mut unresolved = 0usize;
        for c in found {
            match c.date {
                Some(date) => dates.push(DateMention {
                    span: c.span,
                    sentence: doc.sentence_of(c.span.start).unwrap_or(0),
                    text: doc.text[c.span.start..c.span.end].to_string(),
                    date,
                }),
                None => unresolved += 1,
            }
        }
        doc.dates = dates;
        if published.is_none() && !doc.warnings.iter().any(|w| w.starts_with(NO_PUB_WARNING)) {
            doc.warnings.push(format!(
                "{NO_PUB_WARNING}; only absolute dates resolved, {unresolved} relative date expression(s) left unresolved"
            ));
        }
        Ok(())
    }
}

/// Resolve one date expression ("on Friday", "20 September 2024", "last week")
/// against a publication date. Returns the date of the longest expression found
/// in `expr`, or `None` when it holds no date.
pub fn resolve_date(expr: &str, published: NaiveDate) -> Option<EventDate> {
    scan(expr, Some(published), &[])
        .into_iter()
        .filter(|c| c.date.is_some())
        .max_by_key(|c| c.span.len())
        .and_then(|c| c.date)
}

/// Sentence spans to bound future-tense look-behind; the doc's sentences or none.
fn sentence_bounds(doc: &Document) -> Vec<Span> {
    doc.sentences.iter().map(|s| s.span).collect()
}

struct Candidate {
    span: Span,
    priority: usize,
    /// `None`: a relative expression that could not be resolved (no publication date).
    date: Option<EventDate>,
}

const MONTH: &str = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)";
const WEEKDAY: &str = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const ORD: &str = r"(?:st|nd|rd|th)?";

fn month_num(s: &str) -> Option<u32> {
    let s = s.to_ascii_lowercase();
    let m = match s.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday(s: &str) -> Option<Weekday> {
    s.to_ascii_lowercase().get(..3)?.parse::<Weekday>().ok()
}

/// Abbreviated or lowercase month names are only trusted next to digits; bare
/// months must be capitalised full names ("may" is a verb, "march" a noun).
fn month_ok(m: &str, bare: bool) -> bool {
    let cap = m.chars().next().is_some_and(|c| c.is_uppercase());
    if bare {
        cap && m.len() >= 3
            && month_num(m).is_some()
            && (m.len() > 4 || matches!(m, "May" | "June" | "July"))
    } else {
        month_num(m).is_some() && (cap || m.len() > 3 || m.eq_ignore_ascii_case("may"))
    }
}

struct Patterns {
    range_dmy: Regex,
    range_mdy: Regex,
    iso: Regex,
    dmy: Regex,
    mdy: Regex,
    my: Regex,
    numeric: Regex,
    year: Regex,
    bare_month: Regex,
    weekday: Regex,
    relative: Regex,
    ago: Regex,
    past_n: Regex,
    future: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let r = |s: String| Regex::new(&s).expect("date regex");
    Patterns {
        range_dmy: r(format!(
            r"(?i)(?-u:\b)(\d{{1,2}}){ORD}\s*(?:-|–|to|and)\s*(\d{{1,2}}){ORD}\s+(?:of\s+)?{MONTH}\.?(?:,?\s+(\d{{4}}))?(?-u:\b)"
        )),
        range_mdy: r(format!(
            r"(?i)(?-u:\b){MONTH}\.?\s+(\d{{1,2}}){ORD}\s*(?:-|–|to|and)\s*(\d{{1,2}}){ORD}(?-u:\b)(?:,?\s+(\d{{4}})(?-u:\b))?"
        )),
        iso: r(r"(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?-u:\b)".to_string()),
        dmy: r(format!(r"(?i)(?-u:\b)(\d{{1,2}}){ORD}\s+(?:of\s+)?{MONTH}(?-u:\b)\.?(?:,?\s+(\d{{4}})(?-u:\b))?")),
        mdy: r(format!(r"(?i)(?-u:\b){MONTH}\.?\s+(\d{{1,2}}){ORD}(?-u:\b)(?:,?\s+(\d{{4}})(?-u:\b))?")),
        my: r(format!(r"(?i)(?-u:\b){MONTH}\.?,?\s+(\d{{4}})(?-u:\b)")),
        numeric: r(r"(?-u:\b)(\d{1,2})/(\d{1,2})/(\d{4})(?-u:\b)".to_string()),
        year: r(
            r"(?i)(?-u:\b)(?:in|since|during|until|till|by|from|of|throughout|before|after|early|late|mid|mid-|spring|summer|autumn|fall|winter)[\s-]+((?:1[89]|20)\d\d)(?-u:\b)"
                .to_string(),
        ),
        bare_month: r(format!(
            r"(?i)(?-u:\b)(?:(in|since|during|until|by|from|early|late|mid-?|of|last|next|this|throughout|before|after)\s+){MONTH}(?-u:\b)"
        )),
        weekday: r(format!(
            r"(?i)(?-u:\b)(?:(last|next|this|this past|this coming|on|late on|early on|late|early|since|by|until|from)\s+)?{WEEKDAY}(?-u:\b)"
        )),
        relative: r(r"(?i)(?-u:\b)(the day before yesterday|yesterday|today|tonight|tomorrow|last night|this morning|this afternoon|this evening|earlier today|earlier this week|later this week|this week|last week|next week|earlier this month|later this month|this month|last month|next month|earlier this year|later this year|this year|last year|next year|over the weekend|during the weekend|at the weekend|this past weekend|this weekend|last weekend|next weekend)(?-u:\b)".to_string()),
        ago: r(r"(?i)(?-u:\b)(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few|several|some)?\s*(day|week|month|year)s?\s+ago(?-u:\b)".to_string()),
        past_n: r(r"(?i)(?-u:\b)(?:the\s+)?(?:past|last|previous)\s+(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(day|week|month|year)s(?-u:\b)".to_string()),
        future: r(r"(?i)(?-u:\b)(will|shall|scheduled|planned|plans|planning|expected|due|set to|to be held|going to|upcoming|next)(?-u:\b)".to_string()),
    }
});

fn small_number(s: &str) -> Option<i64> {
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    super::numbers::parse_count(s)
        .filter(|(lo, hi, _)| lo == hi)
        .map(|(n, _, _)| n as i64)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1).map(|d| d - Duration::days(1))
}

fn add_months(y: i32, m: u32, delta: i32) -> (i32, u32) {
    let idx = y * 12 + (m as i32 - 1) + delta;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

fn span_date(
    value: NaiveDate,
    end: NaiveDate,
    granularity: Granularity,
    relative: bool,
) -> EventDate {
    EventDate {
        value,
        end: (end != value).then_some(end),
        granularity,
        relative,
    }
}

fn day(value: NaiveDate, relative: bool) -> EventDate {
    EventDate {
        value,
        end: None,
        granularity: Granularity::Day,
        relative,
    }
}

fn month_date(y: i32, m: u32, relative: bool) -> Option<EventDate> {
    Some(span_date(
        ymd(y, m, 1)?,
        month_end(y, m)?,
        Granularity::Month,
        relative,
    ))
}

fn year_date(y: i32, relative: bool) -> Option<EventDate> {
    Some(span_date(
        ymd(y, 1, 1)?,
        ymd(y, 12, 31)?,
        Granularity::Year,
        relative,
    ))
}

/// Year for a day/month given without one: the publication year, moved back
/// (or forward in future-tense context) when that lands far from publication.
fn infer_year(m: u32, d: u32, pubd: NaiveDate, future: bool) -> Option<NaiveDate> {
    let cand = ymd(pubd.year(), m, d)?;
    if !future && cand > pubd + Duration::days(30) {
        ymd(pubd.year() - 1, m, d)
    } else if future && cand < pubd - Duration::days(30) {
        ymd(pubd.year() + 1, m, d)
    } else {
        Some(cand)
    }
}

/// Does the same sentence, before `pos`, talk about the future?
fn future_context(text: &str, pos: usize, sentences: &[Span]) -> bool {
    let start = sentences
        .iter()
        .find(|s| s.start <= pos && pos < s.end.max(s.start + 1))
        .map(|s| s.start)
        .unwrap_or_else(|| {
            let lo = pos.saturating_sub(120);
            let lo = (lo..=pos)
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(pos);
            text[lo..pos]
                .rfind(['.', '!', '?', '\n'])
                .map(|i| lo + i + 1)
                .unwrap_or(lo)
        });
    if start > pos || !text.is_char_boundary(start) || !text.is_char_boundary(pos) {
        return false;
    }
    // only the clause the date is in, and only a few words back: "the talks will
    // resume on Monday" is future, "it will respond, he said on Friday" is not
    let clause = &text[start..pos];
    let clause = match CLAUSE_BREAK.find_iter(clause).last() {
        Some(m) => &clause[m.end()..],
        None => clause,
    };
    let words: Vec<&str> = clause.split_whitespace().collect();
    let tail = words[words.len().saturating_sub(8)..].join(" ");
    PATTERNS.future.is_match(&tail)
}

static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[,;:—–()“”\x22]|(?-u:\b)(?:said|says|told|added|announced|stated|declared|vowed|warned|after|before|when|while|but)(?-u:\b)")
        .expect("clause regex")
});

fn scan(text: &str, published: Option<NaiveDate>, sentences: &[Span]) -> Vec<Candidate> {
    let p = &*PATTERNS;
    let mut out: Vec<Candidate> = Vec::new();
    let mut push = |span: Span, priority: usize, date: Option<EventDate>| {
        out.push(Candidate {
            span,
            priority,
            date,
        })
    };
    let whole = |c: &Captures| {
        let m = c.get(0).expect("group 0");
        Span::new(m.start(), m.end())
    };
    let int = |c: &Captures, i: usize| c.get(i).and_then(|m| m.as_str().parse::<i64>().ok());

    // explicit day ranges: "3-5 March 2023" (day, day, month) and "March 3-5, 2023"
    // (month, day, day); the year is group 4 in both
    for (re, gm, gd1, gd2) in [(&p.range_dmy, 3, 1, 2), (&p.range_mdy, 1, 2, 3)] {
        for c in re.captures_iter(text) {
            if !month_ok(&c[gm], false) {
                continue;
            }
            let (Some(d1), Some(d2), Some(m)) = (int(&c, gd1), int(&c, gd2), month_num(&c[gm]))
            else {
                continue;
            };
            let year = int(&c, 4);
            let r = resolve_range(
                d1 as u32,
                d2 as u32,
                m,
                year,
                published,
                future_context(text, c.get(0).unwrap().start(), sentences),
            );
            push(whole(&c), 0, r);
        }
    }
    for c in p.iso.captures_iter(text) {
        if let (Some(y), Some(m), Some(d)) = (int(&c, 1), int(&c, 2), int(&c, 3)) {
            if let Some(date) = ymd(y as i32, m as u32, d as u32) {
                push(whole(&c), 1, Some(EventDate::day(date)));
            }
        }
    }
    for c in p.numeric.captures_iter(text) {
        let (Some(a), Some(b), Some(y)) = (int(&c, 1), int(&c, 2), int(&c, 3)) else {
            continue;
        };
        // only unambiguous day/month orders
        let (d, m) = if a > 12 && b <= 12 {
            (a, b)
        } else if b > 12 && a <= 12 {
            (b, a)
        } else if a == b {
            (a, b)
        } else {
            continue;
        };
        if let Some(date) = ymd(y as i32, m as u32, d as u32) {
            push(whole(&c), 1, Some(EventDate::day(date)));
        }
    }
    let day_month = |c: &Captures,
                     d: Option<i64>,
                     mstr: &str,
                     year: Option<i64>,
                     push: &mut dyn FnMut(Span, usize, Option<EventDate>)| {
        if !month_ok(mstr, false) {
            return;
        }
        let (Some(d), Some(m)) = (d, month_num(mstr)) else {
            return;
        };
        if !(1..=31).contains(&d) {
            return;
        }
        let span = whole(c);
        match year {
            Some(y) => {
                if let Some(date) = ymd(y as i32, m, d as u32) {
                    push(span, 1, Some(EventDate::day(date)));
                }
            }
            None => {
                let r = published.and_then(|pd| {
                    infer_year(m, d as u32, pd, future_context(text, span.start, sentences))
                        .map(|dt| day(dt, true))
                });
                if published.is_some() && r.is_none() {
                    return;
                }
                push(span, 2, r);
            }
        }
    };
    for c in p.dmy.captures_iter(text) {
        let (d, y) = (int(&c, 1), int(&c, 3));
        day_month(&c, d, &c[2], y, &mut push);
    }
    for c in p.mdy.captures_iter(text) {
        let (d, y) = (int(&c, 2), int(&c, 3));
        day_month(&c, d, &c[1], y, &mut push);
    }
    for c in p.my.captures_iter(text) {
        if !month_ok(&c[1], false) {
            continue;
        }
        if let (Some(m), Some(y)) = (month_num(&c[1]), int(&c, 2)) {
            if let Some(d) = month_date(y as i32, m, false) {
                push(whole(&c), 3, Some(d));
            }
        }
    }
    for c in p.year.captures_iter(text) {
        let m = c.get(1).expect("year group");
        // "in 2015,000" or "in 2015.5" are not years
        if text[m.end()..].starts_with([',', '.'])
            && text[m.end() + 1..].starts_with(|ch: char| ch.is_ascii_digit())
        {
            continue;
        }
        if let Some(d) = m
            .as_str()
            .parse::<i32>()
            .ok()
            .and_then(|y| year_date(y, false))
        {
            push(Span::new(m.start(), m.end()), 4, Some(d));
        }
    }
    for c in p.bare_month.captures_iter(text) {
        let mg = c.get(2).expect("month group");
        if !month_ok(mg.as_str(), true) {
            continue;
        }
        let Some(m) = month_num(mg.as_str()) else {
            continue;
        };
        let modifier = c
            .get(1)
            .map(|g| g.as_str().to_ascii_lowercase())
            .unwrap_or_default();
        let span = if matches!(modifier.as_str(), "last" | "next" | "this") {
            whole(&c)
        } else {
            Span::new(mg.start(), mg.end())
        };
        let r = published.and_then(|pd| {
            let fut = future_context(text, span.start, sentences);
            let (py, pm) = (pd.year(), pd.month());
            let y = match modifier.as_str() {
                "last" => {
                    if m < pm {
                        py
                    } else {
                        py - 1
                    }
                }
                "next" => {
                    if m > pm {
                        py
                    } else {
                        py + 1
                    }
                }
                "this" => py,
                _ if fut => {
                    if m >= pm {
                        py
                    } else {
                        py + 1
                    }
                }
                _ => {
                    if m <= pm {
                        py
                    } else {
                        py - 1
                    }
                }
            };
            month_date(y, m, true)
        });
        push(span, 5, r);
    }
    for c in p.weekday.captures_iter(text) {
        let wg = c.get(2).expect("weekday group");
        let Some(wd) = weekday(wg.as_str()) else {
            continue;
        };
        let modifier = c
            .get(1)
            .map(|g| g.as_str().to_ascii_lowercase())
            .unwrap_or_default();
        let span = if matches!(
            modifier.as_str(),
            "last" | "next" | "this" | "this past" | "this coming"
        ) {
            whole(&c)
        } else {
            Span::new(wg.start(), wg.end())
        };
        let r = published.map(|pd| {
            let back = (pd.weekday().num_days_from_monday() as i64
                - wd.num_days_from_monday() as i64)
                .rem_euclid(7);
            let fwd = (wd.num_days_from_monday() as i64
                - pd.weekday().num_days_from_monday() as i64)
                .rem_euclid(7);
            let date = match modifier.as_str() {
                "last" => pd - Duration::days(if back == 0 { 7 } else { back }),
                "next" | "this coming" => pd + Duration::days(if fwd == 0 { 7 } else { fwd }),
                "this past" => pd - Duration::days(back),
                "since" => pd - Duration::days(back),
                _ if future_context(text, span.start, sentences) => pd + Duration::days(fwd),
                _ => pd - Duration::days(back),
            };
            day(date, true)
        });
        push(span, 6, r);
    }
    for c in p.relative.captures_iter(text) {
        let expr = c[1].to_ascii_lowercase();
        let span = whole(&c);
        let r = published
            .and_then(|pd| relative_expr(&expr, pd, future_context(text, span.start, sentences)));
        push(span, 2, r);
    }
    for c in p.ago.captures_iter(text) {
        let span = whole(&c);
        let unit = c[2].to_ascii_lowercase();
        let n = c.get(1).map(|g| g.as_str().to_ascii_lowercase());
        let r = published.and_then(|pd| ago(n.as_deref(), &unit, pd));
        push(span, 2, r);
    }
    for c in p.past_n.captures_iter(text) {
        let span = whole(&c);
        let unit = c[2].to_ascii_lowercase();
        let r = published.and_then(|pd| {
            let n = small_number(&c[1].to_ascii_lowercase())?;
            let days = match unit.as_str() {
                "day" => n,
                "week" => n * 7,
                "month" => n * 30,
                _ => n * 365,
            };
            Some(span_date(
                pd - Duration::days(days),
                pd,
                Granularity::Range,
                true,
            ))
        });
        push(span, 2, r);
    }

    // keep the longest non-overlapping candidates (ties: lower priority number)
    out.sort_by(|a, b| {
        b.span
            .len()
            .cmp(&a.span.len())
            .then(a.priority.cmp(&b.priority))
            .then(a.span.start.cmp(&b.span.start))
    });
    let mut kept: Vec<Candidate> = Vec::new();
    for c in out {
        if c.span.is_empty() || kept.iter().any(|k| k.span.overlaps(c.span)) {
            continue;
        }
        kept.push(c);
    }
    kept.sort_by_key(|c| c.span.start);
    // "Friday, 13 September 2024": the weekday belongs to the absolute date after it
    let mut merged: Vec<Candidate> = Vec::with_capacity(kept.len());
    for c in kept {
        if let Some(prev) = merged.last_mut() {
            let gap = &text[prev.span.end..c.span.start];
            let is_weekday = weekday(&text[prev.span.start..prev.span.end]).is_some()
                && text[prev.span.start..prev.span.end].len() <= 9;
            if is_weekday
                && gap
                    .trim_matches(|ch: char| ch == ',' || ch.is_whitespace())
                    .is_empty()
                && c.date
                    .as_ref()
                    .is_some_and(|d| d.granularity == Granularity::Day)
            {
                prev.span = prev.span.cover(c.span);
                prev.date = c.date;
                prev.priority = c.priority;
                continue;
            }
        }
        merged.push(c);
    }
    merged
}

fn resolve_range(
    d1: u32,
    d2: u32,
    m: u32,
    year: Option<i64>,
    published: Option<NaiveDate>,
    future: bool,
) -> Option<EventDate> {
    if d1 >= d2 || d1 == 0 || d2 > 31 {
        return None;
    }
    let (start, relative) = match year {
        Some(y) => (ymd(y as i32, m, d1)?, false),
        None => (infer_year(m, d1, published?, future)?, true),
    };
    let end = ymd(start.year(), m, d2)?;
    Some(span_date(start, end, Granularity::Range, relative))
}

fn relative_expr(expr: &str, pd: NaiveDate, future: bool) -> Option<EventDate> {
    let mon = monday_of(pd);
    let (y, m) = (pd.year(), pd.month());
    let first = ymd(y, m, 1)?;
    let d = |n: i64| pd + Duration::days(n);
    let week = |a: NaiveDate, b: NaiveDate| span_date(a, b, Granularity::Week, true);
    let month = |a: NaiveDate, b: NaiveDate| span_date(a, b, Granularity::Month, true);
    let r = match expr {
        "today" | "tonight" | "this morning" | "this afternoon" | "this evening"
        | "earlier today" => day(pd, true),
        "yesterday" | "last night" => day(d(-1), true),
        "the day before yesterday" => day(d(-2), true),
        "tomorrow" => day(d(1), true),
        "this week" => week(mon, pd),
        "earlier this week" => week(mon, d(-1).max(mon)),
        "later this week" => week(pd, mon + Duration::days(6)),
        "last week" => week(mon - Duration::days(7), mon - Duration::days(1)),
        "next week" => week(mon + Duration::days(7), mon + Duration::days(13)),
        "this month" => month(first, pd),
        "earlier this month" => month(first, d(-1).max(first)),
        "later this month" => month(pd, month_end(y, m)?),
        "last month" => {
            let (py, pm) = add_months(y, m, -1);
            month_date(py, pm, true)?
        }
        "next month" => {
            let (ny, nm) = add_months(y, m, 1);
            month_date(ny, nm, true)?
        }
        "this year" | "earlier this year" => span_date(ymd(y, 1, 1)?, pd, Granularity::Year, true),
        "later this year" => span_date(pd, ymd(y, 12, 31)?, Granularity::Year, true),
        "last year" => year_date(y - 1, true)?,
        "next year" => year_date(y + 1, true)?,
        "next weekend" => {
            let sat = mon
                + Duration::days(if pd.weekday().num_days_from_monday() >= 5 {
                    12
                } else {
                    5
                });
            span_date(sat, sat + Duration::days(1), Granularity::Range, true)
        }
        "last weekend" | "this past weekend" | "over the weekend" | "during the weekend"
        | "at the weekend" | "this weekend" => {
            let this_sat = mon + Duration::days(5);
            let sat = if (expr == "this weekend" && future)
                || (pd >= this_sat && expr != "last weekend")
            {
                this_sat
            } else {
                this_sat - Duration::days(7)
            };
            span_date(sat, sat + Duration::days(1), Granularity::Range, true)
        }
        _ => return None,
    };
    Some(r)
}

fn ago(n: Option<&str>, unit: &str, pd: NaiveDate) -> Option<EventDate> {
    let count = match n {
        None | Some("a few") | Some("few") | Some("several") | Some("some") => None,
        Some("a") | Some("an") => Some(1),
        Some(s) => Some(small_number(s)?),
    };
    let Some(n) = count else {
        // vague: "days ago", "a few weeks ago"
        let (lo, hi) = match unit {
            "day" => (6, 2),
            "week" => (42, 14),
            "month" => (365, 60),
            _ => (3650, 730),
        };
        return Some(span_date(
            pd - Duration::days(lo),
            pd - Duration::days(hi),
            Granularity::Range,
            true,
        ));
    };
    match unit {
        "day" => Some(day(pd - Duration::days(n), true)),
        "week" => {
            let mon = monday_of(pd - Duration::days(7 * n));
            Some(span_date(
                mon,
                mon + Duration::days(6),
                Granularity::Week,
                true,
            ))
        }
        "month" => {
            let (y, m) = add_months(pd.year(), pd.month(), -(n as i32));
            month_date(y, m, true)
        }
        _ => year_date(pd.year() - n as i32, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::test_util::doc;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }
    // 2024-09-20 is a Friday, 2024-07-11 a Thursday.
    const FRI: (i32, u32, u32) = (2024, 9, 20);
    const THU: (i32, u32, u32) = (2024, 7, 11);
    fn fri() -> NaiveDate {
        d(FRI.0, FRI.1, FRI.2)
    }
    fn thu() -> NaiveDate {
        d(THU.0, THU.1, THU.2)
    }

    #[test]
    fn on_friday_for_friday_and_thursday_publication() {
        let r = resolve_date("on Friday", fri()).unwrap();
        assert_eq!(r.value, fri());
        assert_eq!(r.granularity, Granularity::Day);
        assert!(r.relative);
        // published on Thursday 2024-07-11: the previous Friday, 2024-07-05
        assert_eq!(
            resolve_date("on Friday", thu()).unwrap().value,
            d(2024, 7, 5)
        );
        assert_eq!(resolve_date("on Thursday", thu()).unwrap().value, thu());
        assert_eq!(
            resolve_date("last Friday", fri()).unwrap().value,
            d(2024, 9, 13)
        );
        assert_eq!(
            resolve_date("next Monday", fri()).unwrap().value,
            d(2024, 9, 23)
        );
        assert_eq!(
            resolve_date("next Thursday", thu()).unwrap().value,
            d(2024, 7, 18)
        );
        // future tense points forward, but only within the date's own clause
        assert_eq!(
            resolve_date("The envoys will meet on Monday", thu())
                .unwrap()
                .value,
            d(2024, 7, 15)
        );
        assert_eq!(
            resolve_date("The group will respond, its leader said on Monday", thu())
                .unwrap()
                .value,
            d(2024, 7, 8)
        );
    }

    #[test]
    fn weeks_months_and_days() {
        let lw = resolve_date("last week", fri()).unwrap();
        assert_eq!((lw.value, lw.end), (d(2024, 9, 9), Some(d(2024, 9, 15))));
        assert_eq!(lw.granularity, Granularity::Week);
        let tw = resolve_date("this week", fri()).unwrap();
        assert_eq!(
            (tw.value, tw.end, tw.granularity),
            (d(2024, 9, 16), Some(fri()), Granularity::Week)
        );
        let lm = resolve_date("last month", thu()).unwrap();
        assert_eq!(
            (lm.value, lm.end, lm.granularity),
            (d(2024, 6, 1), Some(d(2024, 6, 30)), Granularity::Month)
        );
        let em = resolve_date("earlier this month", fri()).unwrap();
        assert_eq!((em.value, em.end), (d(2024, 9, 1), Some(d(2024, 9, 19))));
        assert_eq!(
            resolve_date("yesterday", fri()).unwrap().value,
            d(2024, 9, 19)
        );
        assert_eq!(resolve_date("today", fri()).unwrap().value, fri());
        assert_eq!(
            resolve_date("three days ago", fri()).unwrap().value,
            d(2024, 9, 17)
        );
        let days = resolve_date("days ago", fri()).unwrap();
        assert_eq!(days.granularity, Granularity::Range);
        assert!(days.value < days.last() && days.last() < fri());
        let jan = resolve_date("last month", d(2024, 1, 10)).unwrap();
        assert_eq!(jan.value, d(2023, 12, 1));
    }

    #[test]
    fn absolute_dates() {
        for e in [
            "20 September 2024",
            "Sept. 20, 2024",
            "2024-09-20",
            "September 20th, 2024",
            "on 20/09/2024",
        ] {
            let r = resolve_date(e, thu()).unwrap_or_else(|| panic!("{e}"));
            assert_eq!(
                (r.value, r.granularity, r.relative),
                (fri(), Granularity::Day, false),
                "{e}"
            );
        }
        let m = resolve_date("September 2024", thu()).unwrap();
        assert_eq!(
            (m.value, m.end, m.granularity),
            (d(2024, 9, 1), Some(d(2024, 9, 30)), Granularity::Month)
        );
        let y = resolve_date("in 2015", thu()).unwrap();
        assert_eq!(
            (y.value, y.end, y.granularity),
            (d(2015, 1, 1), Some(d(2015, 12, 31)), Granularity::Year)
        );
        let r = resolve_date("between 3 and 5 March 2023", thu()).unwrap();
        assert_eq!(
            (r.value, r.end, r.granularity),
            (d(2023, 3, 3), Some(d(2023, 3, 5)), Granularity::Range)
        );
        // a day and month without year takes the publication year (relative)
        let r = resolve_date("on 2 July", thu()).unwrap();
        assert_eq!((r.value, r.relative), (d(2024, 7, 2), true));
        // a December date in a July article without year is last December
        assert_eq!(
            resolve_date("December 5", thu()).unwrap().value,
            d(2023, 12, 5)
        );
        assert_eq!(
            resolve_date("in March", thu()).unwrap().value,
            d(2024, 3, 1)
        );
    }

    #[test]
    fn non_dates_are_ignored() {
        assert!(resolve_date("UN Resolution 2254 was adopted", fri()).is_none());
        assert!(resolve_date("the group may send 100,000 fighters", fri()).is_none());
        assert!(resolve_date("a march on the capital", fri()).is_none());
    }

    #[test]
    fn stage_fills_doc_and_warns_without_publication() {
        let text = "Rebels attacked the town on Friday. The strike came last week. Talks began on 3 June 2023. Fighting resumed yesterday.";
        let mut with_pub = doc(text, Some(fri()));
        DateStage.process(&mut with_pub).unwrap();
        let texts: Vec<&str> = with_pub.dates.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(
            texts,
            vec!["Friday", "last week", "3 June 2023", "yesterday"]
        );
        assert_eq!(with_pub.dates[0].date.value, fri());
        assert_eq!(with_pub.dates[2].sentence, 2);
        assert_eq!(with_pub.slice(with_pub.dates[1].span), "last week");
        assert!(with_pub.warnings.is_empty());

        let mut no_pub = doc(text, None);
        DateStage.process(&mut no_pub).unwrap();
        DateStage.process(&mut no_pub).unwrap();
        assert_eq!(no_pub.dates.len(), 1);
        assert_eq!(no_pub.dates[0].date.value, d(2023, 6, 3));
        assert_eq!(no_pub.warnings.len(), 1, "{:?}", no_pub.warnings);
        assert!(no_pub.warnings[0].contains("3 relative"));
    }

    #[test]
    fn stage_without_sentences() {
        let mut dc = chronicle_core::Document::new(
            "x",
            Default::default(),
            "It happened on Friday, 13 September 2024.".into(),
        );
        dc.meta.published = Some(fri().and_hms_opt(12, 0, 0).unwrap().and_utc());
        DateStage.process(&mut dc).unwrap();
        assert_eq!(dc.dates.len(), 1);
        assert_eq!(dc.dates[0].date.value, d(2024, 9, 13));
    }
}
