//! HTML article extraction: main text and metadata.
//!
//! Takes the raw bytes of one web page and gives an [`Article`]: the cleaned body
//! text (standfirst and body paragraphs in order, separated by `"\n\n"`, without the
//! headline, which is in `title`) plus title, authors, publication time, site name,
//! canonical URL and language.
//!
//! Main text is found with a text-density / link-density scoring of the DOM (the
//! approach of Readability and its descendants), on the tree built by `scraper`
//! (html5ever); no regular expression ever runs over HTML:
//! 1. prune: scripts, styles, forms controls, nav/aside/footer, figures and
//!    captions, hidden elements (not mere `display:none`, see `is_hidden`),
//!    and elements whose class/id/role mark them as
//!    boilerplate (comments, share bars, cookie banners, related lists, ads…);
//! 2. score: every paragraph-like block adds `1 + commas + min(len/100, 3)` to its
//!    ancestors (decaying with distance); an element's score is scaled by
//!    `1 - link density`;
//! 3. pick the best element (promoted to a common ancestor when several strong
//!    candidates share one), add siblings that look like content;
//! 4. render it block by block, dropping link-heavy or image-heavy containers.
//!
//! If the result is short, extraction is retried with fewer pruning rules, and
//! JSON-LD `articleBody` is used when it is much longer than what the DOM gave.
//! All tree walks are iterative, so deeply nested input cannot blow the stack.

use crate::clean::clean_text;
use crate::date::{date_from_url, parse_date, parse_date_local};
use crate::decode;
use chronicle_core::RecordError;
use chrono::{DateTime, FixedOffset, Utc};
use ego_tree::{NodeId, NodeRef};
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// Largest HTML input accepted (bytes).
pub const MAX_HTML_BYTES: usize = 128 * 1024 * 1024;

/// What [`extract_html`] finds in a page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Article {
    /// Headline as shown on the page: the `<h1>` a meta title (JSON-LD
    /// Article `headline`, `<title>`, og:title) agrees with, else the JSON-LD
    /// headline, the one `<h1>`, or `<title>` without its site-name part.
    pub title: Option<String>,
    /// Cleaned main text without the headline; paragraphs separated by `"\n\n"`.
    pub text: String,
    pub authors: Vec<String>,
    /// Publication time: meta tags, JSON-LD `datePublished` (any object,
    /// Article types first), `itemprop`, `<time datetime>`, a date line under
    /// the headline, visible date/byline elements; a `/YYYY/MM/DD/` URL date
    /// fixes the calendar day (see `reconcile_url_date`).
    pub published: Option<DateTime<Utc>>,
    /// The same instant with the UTC offset the page gave (the publisher's
    /// local calendar date); `+00:00` when the page gave none.
    pub published_local: Option<DateTime<FixedOffset>>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
    /// ISO 639-1 code (639-3 when no two-letter code exists).
    pub language: Option<String>,
    /// Non-fatal problems (e.g. the page looks truncated).
    pub warnings: Vec<String>,
}

/// Extract main text and metadata from an HTML page. `origin` names the page in
/// errors. Fails on binary input and on pages with no article text.
pub fn extract_html(bytes: &[u8], origin: &str) -> Result<Article, RecordError> {
    if bytes.len() > MAX_HTML_BYTES {
        return Err(RecordError::new(
            origin,
            format!(
                "HTML too large ({} bytes, limit {MAX_HTML_BYTES})",
                bytes.len()
            ),
        ));
    }
    if decode::looks_binary(bytes) {
        return Err(RecordError::new(origin, "binary data, not HTML"));
    }
    let (text, _enc) = decode::decode(bytes, true);
    extract_html_str(&text, origin)
}

/// [`extract_html`] on already-decoded text.
pub fn extract_html_str(source: &str, origin: &str) -> Result<Article, RecordError> {
    let truncated = looks_truncated(source);
    let html = Html::parse_document(source);
    let mut art = metadata(&html, origin);
    if truncated {
        art.warnings
            .push("HTML looks truncated (no closing </html> or </body>)".into());
    }
    let ld_body = jsonld_body(&html);
    // The tree is handed over (pruning edits it); retries re-parse the source,
    // so only one tree is alive at a time.
    let body = main_text(html, source);
    let mut cleaned = clean_text(&body).text;
    if let Some(ld_body) = ld_body {
        let ld = clean_text(&ld_body).text;
        if ld.len() > 400 && ld.len() > cleaned.len() * 2 {
            cleaned = ld;
        }
    }
    // The headline lives in `title`; drop it from the top of the body.
    if let Some(t) = &art.title {
        let first = cleaned.split("\n\n").next().unwrap_or("");
        if !first.is_empty() && same_text(first, t) {
            cleaned = cleaned[first.len()..].trim_start().to_string();
        }
    }
    if cleaned.trim().is_empty() {
        let why = if truncated {
            "no article text found (HTML looks truncated)"
        } else {
            "no article text found in HTML"
        };
        return Err(RecordError::new(origin, why));
    }
    if art.language.is_none() {
        art.language = detect_language(&cleaned);
    }
    art.text = cleaned;
    Ok(art)
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

fn looks_truncated(src: &str) -> bool {
    let tail_start = src.len().saturating_sub(2048);
    let mut i = tail_start;
    while !src.is_char_boundary(i) {
        i += 1;
    }
    let tail = src[i..].to_ascii_lowercase();
    !(tail.contains("</html") || tail.contains("</body"))
}

// ---------------------------------------------------------------------------
// Language

/// Detect the language of a text with whatlang; ISO 639-1 when known.
pub fn detect_language(text: &str) -> Option<String> {
    let sample: String = text.chars().take(4000).collect();
    let info = whatlang::detect(&sample)?;
    if sample.len() < 200 && !info.is_reliable() {
        return None;
    }
    let code3 = info.lang().code();
    Some(iso639_1(code3).unwrap_or(code3).to_string())
}

fn iso639_1(code3: &str) -> Option<&'static str> {
    const MAP: &[(&str, &str)] = &[
        ("eng", "en"),
        ("fra", "fr"),
        ("deu", "de"),
        ("spa", "es"),
        ("por", "pt"),
        ("ita", "it"),
        ("nld", "nl"),
        ("rus", "ru"),
        ("ukr", "uk"),
        ("pol", "pl"),
        ("ces", "cs"),
        ("slk", "sk"),
        ("swe", "sv"),
        ("dan", "da"),
        ("nob", "nb"),
        ("fin", "fi"),
        ("est", "et"),
        ("lav", "lv"),
        ("lit", "lt"),
        ("hun", "hu"),
        ("ron", "ro"),
        ("bul", "bg"),
        ("srp", "sr"),
        ("hrv", "hr"),
        ("slv", "sl"),
        ("ell", "el"),
        ("tur", "tr"),
        ("ara", "ar"),
        ("heb", "he"),
        ("pes", "fa"),
        ("urd", "ur"),
        ("hin", "hi"),
        ("ben", "bn"),
        ("tam", "ta"),
        ("tel", "te"),
        ("mar", "mr"),
        ("guj", "gu"),
        ("pan", "pa"),
        ("kan", "kn"),
        ("mal", "ml"),
        ("ori", "or"),
        ("nep", "ne"),
        ("sin", "si"),
        ("cmn", "zh"),
        ("jpn", "ja"),
        ("kor", "ko"),
        ("vie", "vi"),
        ("tha", "th"),
        ("ind", "id"),
        ("msa", "ms"),
        ("tgl", "tl"),
        ("swa", "sw"),
        ("amh", "am"),
        ("yor", "yo"),
        ("ibo", "ig"),
        ("hau", "ha"),
        ("zul", "zu"),
        ("xho", "xh"),
        ("afr", "af"),
        ("som", "so"),
        ("kat", "ka"),
        ("hye", "hy"),
        ("aze", "az"),
        ("kaz", "kk"),
        ("uzb", "uz"),
        ("bel", "be"),
        ("mkd", "mk"),
        ("cat", "ca"),
        ("epo", "eo"),
        ("lat", "la"),
        ("khm", "km"),
        ("mya", "my"),
        ("aka", "ak"),
        ("sna", "sn"),
        ("tuk", "tk"),
        ("yid", "yi"),
        ("jav", "jv"),
        ("lin", "ln"),
    ];
    MAP.iter().find(|(a, _)| *a == code3).map(|(_, b)| *b)
}

// ---------------------------------------------------------------------------
// Metadata

/// A CSS selector parsed once per call site (parsing one costs more than
/// matching it against a small page).
macro_rules! sel {
    ($s:literal) => {{
        static SEL: OnceLock<Selector> = OnceLock::new();
        SEL.get_or_init(|| Selector::parse($s).expect("static selector"))
    }};
}

fn norm_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| norm_ws(&s)).filter(|s| !s.is_empty())
}

/// [`element_text`] when it is shorter than `max` bytes; stops collecting
/// (and gives `None`) as soon as it is not, so large containers cost little.
fn short_element_text(e: ElementRef, max: usize) -> Option<String> {
    let mut out = String::new();
    // Whitespace seen since the last word (pieces join like one string).
    let mut gap = false;
    for piece in e.text() {
        for (i, w) in piece.split_whitespace().enumerate() {
            let sep = i > 0 || gap || piece.starts_with(char::is_whitespace);
            if sep && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
            if out.len() >= max {
                return None;
            }
        }
        if piece.split_whitespace().next().is_some() {
            gap = piece.ends_with(char::is_whitespace);
        } else if !piece.is_empty() {
            gap = true;
        }
    }
    Some(out)
}

fn element_text(e: ElementRef) -> String {
    norm_ws(&e.text().collect::<String>())
}

fn metadata(html: &Html, origin: &str) -> Article {
    let mut metas: HashMap<String, String> = HashMap::new();
    for m in html.select(sel!("meta")) {
        let el = m.value();
        let key = el
            .attr("property")
            .or_else(|| el.attr("name"))
            .or_else(|| el.attr("itemprop"))
            .or_else(|| el.attr("http-equiv"));
        let val = el.attr("content");
        if let (Some(k), Some(v)) = (key, val) {
            let v = norm_ws(v);
            if !v.is_empty() {
                metas.entry(k.trim().to_ascii_lowercase()).or_insert(v);
            }
        }
    }
    let meta = |keys: &[&str]| keys.iter().find_map(|k| metas.get(*k).cloned());
    let ld = jsonld_objects(html);
    let ld_article = ld
        .iter()
        .find(|o| is_article_type(o))
        .or_else(|| ld.first());

    let ld_str = |key: &str| -> Option<String> {
        ld_article.and_then(|o| o.get(key)).and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Array(a) => a.first().and_then(|x| x.as_str()).map(String::from),
            _ => None,
        })
    };

    let mut h1s: Vec<String> = Vec::new();
    for t in html.select(sel!("h1")).map(element_text) {
        if t.len() >= 2 && t.len() <= 400 && !h1s.contains(&t) {
            h1s.push(t);
        }
    }
    let title_tag = html
        .select(sel!("title"))
        .next()
        .map(element_text)
        .filter(|t| !t.is_empty());
    let site_name = nonempty(meta(&["og:site_name", "application-name", "twitter:site"]))
        .or_else(|| {
            ld_article
                .and_then(|o| o.get("publisher"))
                .and_then(|p| p.get("name"))
                .and_then(|n| n.as_str())
                .map(String::from)
        })
        .map(|s| s.trim_start_matches('@').to_string());
    let ld_headline = ld
        .iter()
        .filter(|o| is_article_type(o))
        .find_map(|o| o.get("headline").and_then(|h| h.as_str()))
        .map(decode_entities)
        .and_then(|h| nonempty(Some(h)));
    let title = choose_title(&TitleSources {
        ld_headline,
        h1s,
        title_tag,
        og_title: nonempty(meta(&["og:title", "twitter:title"])),
        site_name: site_name.clone(),
    });

    let mut authors: Vec<String> = Vec::new();
    fn push_author(authors: &mut Vec<String>, a: &str) {
        let a = norm_ws(a);
        let a = strip_by(&a)
            .trim_matches(|c: char| {
                c.is_whitespace() || matches!(c, ',' | '|' | '·' | '-' | '–' | '—')
            })
            .to_string();
        if !a.is_empty()
            && !a.starts_with("http")
            && !a.starts_with('@')
            && a.len() < 120
            && !authors.contains(&a)
        {
            authors.push(a);
        }
    }
    /// Names from a visible byline: "By Jane Doe and John Roe, Reuters".
    fn byline_names(text: &str) -> Vec<String> {
        let t = norm_ws(text);
        let t = strip_by(&t);
        if t.is_empty() || t.len() > 120 || t.chars().any(|c| c.is_ascii_digit()) {
            return Vec::new();
        }
        t.split([',', '&', '|', '·', '–', '—'])
            .flat_map(|p| p.split(" - "))
            .flat_map(|p| p.split(" and "))
            .map(str::trim)
            .filter(|n| {
                let w = n.split_whitespace().count();
                (1..=5).contains(&w) && n.chars().next().is_some_and(|c| c.is_uppercase())
            })
            .map(String::from)
            .collect()
    }
    if let Some(a) = ld_article.and_then(|o| o.get("author")) {
        for name in jsonld_names(a) {
            push_author(&mut authors, &name);
        }
    }
    if authors.is_empty() {
        let byline = sel!(".byline, .author, .author-name, .byline__name, .article-author, [class*=byline], [class*=author-name], [class*=AuthorName]");
        for e in html.select(byline).take(3) {
            let names = byline_names(&element_text(e));
            for n in names.into_iter().take(4) {
                push_author(&mut authors, &n);
            }
            if !authors.is_empty() {
                break;
            }
        }
    }
    for k in [
        "author",
        "article:author",
        "dc.creator",
        "byl",
        "parsely-author",
        "sailthru.author",
    ] {
        if let Some(v) = metas.get(k) {
            for part in v.split([',', ';']) {
                push_author(&mut authors, part.trim());
            }
        }
    }
    if authors.is_empty() {
        for e in html.select(sel!("[itemprop=author], [rel=author]")).take(5) {
            let name = e
                .select(sel!("[itemprop=name]"))
                .next()
                .map(element_text)
                .unwrap_or_else(|| element_text(e));
            push_author(&mut authors, &name);
        }
    }

    let canonical_url = html
        .select(sel!("link[rel=canonical]"))
        .find_map(|l| {
            l.value()
                .attr("href")
                .map(str::trim)
                .filter(|h| h.starts_with("http"))
                .map(String::from)
        })
        .or_else(|| meta(&["og:url", "twitter:url"]))
        .or_else(|| ld_str("url"));

    let published_local = meta(&[
        "article:published_time",
        "og:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "publication_date",
        "sailthru.date",
        "parsely-pub-date",
        "dc.date.issued",
        "dc.date",
        "dcterms.created",
        "date",
    ])
    .and_then(|s| parse_date_local(&s))
    .or_else(|| ld_date(&ld, "datePublished"))
    .or_else(|| ld_date(&ld, "dateCreated"))
    .or_else(|| {
        html.select(sel!("[itemprop=datePublished], [itemprop=dateCreated]"))
            .find_map(|t| {
                let v = t.value();
                v.attr("content")
                    .or_else(|| v.attr("datetime"))
                    .and_then(parse_date_local)
                    .or_else(|| date_in_text(&element_text(t)).map(|d| d.fixed_offset()))
            })
    })
    .or_else(|| {
        html.select(sel!("time[datetime]"))
            .find_map(|t| t.value().attr("datetime").and_then(parse_date_local))
    })
    .or_else(|| date_under_headline(html))
    .or_else(|| {
        // Visible date lines: elements whose class/id says "date" or "published".
        html.select(sel!("time, abbr, span, div, p, li, small"))
            .filter(|e| {
                let v = e.value();
                let has = |needle: &str| {
                    [v.attr("class"), v.attr("id")]
                        .into_iter()
                        .flatten()
                        .any(|a| contains_ignore_ascii_case(a, needle))
                };
                (v.attr("class").is_some() || v.attr("id").is_some())
                    && [
                        "date", "publish", "posted", "time", "meta", "byline", "author",
                    ]
                    .iter()
                    .any(|n| has(n))
                    && !has("update")
                    && !has("modif")
            })
            .take(30)
            .find_map(|e| {
                e.value()
                    .attr("title")
                    .and_then(parse_date_local)
                    .or_else(|| {
                        short_element_text(e, 120)
                            .and_then(|t| date_in_text(&t))
                            .map(|d| d.fixed_offset())
                    })
            })
    });
    let url_date = canonical_url
        .as_deref()
        .and_then(date_from_url)
        .or_else(|| {
            origin
                .starts_with("http")
                .then(|| date_from_url(origin))
                .flatten()
        });
    let published_local = reconcile_url_date(published_local, url_date);
    let published = published_local.map(|d| d.with_timezone(&Utc));

    let language = html
        .root_element()
        .value()
        .attr("lang")
        .or_else(|| html.root_element().value().attr("xml:lang"))
        .map(String::from)
        .or_else(|| meta(&["content-language", "og:locale", "language", "dc.language"]))
        .or_else(|| ld_str("inLanguage"))
        .and_then(|l| {
            let code: String = l
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            (code.len() == 2 || code.len() == 3).then(|| code.to_ascii_lowercase())
        });

    Article {
        title,
        text: String::new(),
        authors,
        published,
        published_local,
        site_name,
        canonical_url,
        language,
        warnings: Vec::new(),
    }
}

/// Where a page states its headline; see [`choose_title`].
#[derive(Debug, Default)]
struct TitleSources {
    /// JSON-LD `headline` of an Article-type object (entities decoded).
    ld_headline: Option<String>,
    /// Distinct `<h1>` texts in document order.
    h1s: Vec<String>,
    /// The `<title>` element as written.
    title_tag: Option<String>,
    /// `og:title`, else `twitter:title`.
    og_title: Option<String>,
    site_name: Option<String>,
}

/// Separators between a headline and a site or section name in `<title>`.
const TITLE_SEPS: [&str; 9] = [
    " | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " • ",
];

/// Lower-cased alphanumerics only: "What's new?" and "Whats New" agree.
fn title_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The headline shown on the page, not the one written for search engines or
/// social cards. The page's `<h1>` (the only one, or among several the one a
/// meta title agrees with; never one that is the site's name) wins when a meta
/// title (JSON-LD Article `headline`, `<title>`, og:title) agrees with it;
/// otherwise a JSON-LD headline that is not cut short, then the `<h1>`, then
/// `<title>` without its site-name part (og:title when they differ beyond
/// letter case).
fn choose_title(s: &TitleSources) -> Option<String> {
    let site = s.site_name.as_deref();
    let title_tag = s.title_tag.as_deref();
    let ld = s
        .ld_headline
        .as_deref()
        .filter(|h| !(h.ends_with("...") || h.ends_with('…')))
        .map(|h| strip_known_site(h, site));
    // Text after a separator in <title>: the site or section part.
    let tails: Vec<&str> = title_tag
        .map(|t| {
            TITLE_SEPS
                .iter()
                .flat_map(|sep| t.match_indices(sep).map(move |(i, _)| &t[i + sep.len()..]))
                .collect()
        })
        .unwrap_or_default();
    let site_like = |h: &str| {
        let k = title_key(h);
        k.is_empty()
            || site.is_some_and(|s| title_key(s) == k)
            || tails.iter().any(|t| title_key(t) == k)
    };
    let from_tag = title_tag.map(|t| {
        // A single <h1> naming the site marks the part of <title> to drop.
        if let [one] = s.h1s.as_slice() {
            for sep in TITLE_SEPS {
                if let Some(i) = t.find(sep) {
                    let (head, tail) = (&t[..i], &t[i + sep.len()..]);
                    if title_key(tail) == title_key(one) && !head.trim().is_empty() {
                        return head.trim().to_string();
                    }
                }
            }
        }
        // Breadcrumb titles ("Site » Section » Page"): the last part.
        for sep in [" » ", " › "] {
            if let Some(i) = t.rfind(sep) {
                let last = t[i + sep.len()..].trim();
                if last.split_whitespace().count() >= 2
                    && site.is_none_or(|s| title_key(s) != title_key(last))
                {
                    return last.to_string();
                }
            }
        }
        strip_site(t, site)
    });
    let og = s.og_title.as_deref().map(|t| strip_known_site(t, site));
    // Meta titles in the order their spelling is preferred.
    let metas: Vec<&str> = [from_tag.as_deref(), og.as_deref(), ld.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    // A meta title with the same words as the heading, else one that is the
    // heading plus a site-name part.
    let same = |h: &str| {
        let hk = title_key(h);
        metas.iter().copied().find(|m| title_key(m) == hk)
    };
    let prefix_of = |h: &str| {
        let hk = title_key(h);
        hk.len() >= 2
            && [title_tag, s.og_title.as_deref(), s.ld_headline.as_deref()]
                .into_iter()
                .flatten()
                .any(|t| {
                    let tk = title_key(t);
                    tk.starts_with(&hk)
                        && (hk.len() * 3 >= tk.len()
                            || TITLE_SEPS.iter().any(|sep| {
                                t.split(sep)
                                    .next()
                                    .is_some_and(|head| title_key(head) == hk)
                            }))
                })
    };
    let headings: Vec<&String> = s.h1s.iter().filter(|h| !site_like(h)).collect();
    if let Some(h) = headings.iter().find(|h| same(h).is_some()) {
        // Same words: when only letter case differs, the meta spelling
        // (headings are often re-cased); else the heading as shown.
        return match same(h) {
            Some(m) if m.to_lowercase() == h.to_lowercase() => Some(m.to_string()),
            _ => Some(h.to_string()),
        };
    }
    if let Some(h) = headings.iter().find(|h| prefix_of(h)) {
        return Some(h.to_string());
    }
    if ld.is_some() {
        return ld;
    }
    if let ([one], [_]) = (headings.as_slice(), s.h1s.as_slice()) {
        if one.split_whitespace().count() >= 2 {
            return Some(one.to_string());
        }
    }
    match (from_tag, og) {
        (Some(t), Some(o)) if title_key(&t) == title_key(&o) => Some(t),
        (t, Some(o)) => Some(o).or(t),
        (t, None) => t,
    }
}

/// Decode character references in a string taken from JSON-LD, where
/// publishers often leave `&amp;` or `&#038;` (through the HTML parser).
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let frag = Html::parse_fragment(s);
    frag.root_element().text().collect()
}

/// A JSON-LD date field: Article-type objects first, then any object that has
/// it (a `WebPage` in an `@graph` often carries `datePublished`).
fn ld_date(
    ld: &[serde_json::Map<String, serde_json::Value>],
    key: &str,
) -> Option<DateTime<FixedOffset>> {
    let field = |o: &serde_json::Map<String, serde_json::Value>| {
        o.get(key).and_then(|v| match v {
            serde_json::Value::String(s) => parse_date_local(s),
            serde_json::Value::Array(a) => a.first()?.as_str().and_then(parse_date_local),
            _ => None,
        })
    };
    ld.iter()
        .filter(|o| is_article_type(o))
        .find_map(field)
        .or_else(|| ld.iter().find_map(field))
}

/// A short date line among the first text after the first `<h1>` ("January
/// 22, 2014" under the headline of a blog post).
fn date_under_headline(html: &Html) -> Option<DateTime<FixedOffset>> {
    let h1 = html.select(sel!("h1")).next()?;
    let mut seen = 0;
    let mut node = *h1;
    // Following nodes in document order: next siblings of the h1 and of its
    // ancestors, each subtree walked in order.
    loop {
        let next = match node.next_sibling() {
            Some(n) => n,
            None => {
                node = node.parent()?;
                continue;
            }
        };
        node = next;
        for d in next.descendants() {
            match d.value() {
                Node::Element(e) if matches!(e.name(), "script" | "style" | "noscript") => {
                    break;
                }
                Node::Text(t) => {
                    let t = t.trim();
                    if t.is_empty() {
                        continue;
                    }
                    seen += 1;
                    if t.len() <= 60 {
                        if let Some(d) = date_in_text(t) {
                            return Some(d.fixed_offset());
                        }
                    }
                    if seen >= 12 {
                        return None;
                    }
                }
                _ => {}
            }
        }
    }
}

/// A full `/YYYY/MM/DD/` date in the page URL is the publisher's calendar
/// date, fixed when the story was filed. A found timestamp within a day of it
/// keeps its instant, shown at the offset (whole hours, -12..=+14) that puts it
/// on the URL's day (a UTC timestamp of an evening story in America falls on the
/// next day); one further away is a later update or a wrong field, and the URL
/// date is used.
fn reconcile_url_date(
    found: Option<DateTime<FixedOffset>>,
    url: Option<DateTime<Utc>>,
) -> Option<DateTime<FixedOffset>> {
    let Some(url) = url else {
        return found;
    };
    let day = url.date_naive();
    let Some(f) = found else {
        return Some(url.fixed_offset());
    };
    if f.date_naive() == day {
        return Some(f);
    }
    let utc = f.with_timezone(&Utc);
    let mut hours: Vec<i32> = (-12..=14).collect();
    hours.sort_by_key(|h| h.abs());
    for h in hours {
        let Some(off) = FixedOffset::east_opt(h * 3600) else {
            continue;
        };
        let local = utc.with_timezone(&off);
        if local.date_naive() == day {
            return Some(local);
        }
    }
    Some(url.fixed_offset())
}

/// `needle` (ASCII lower case) occurs in `hay`, ignoring ASCII case.
fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Drop a leading "By"/"Von"/"Par"/"Por"/"Di"/"Door"/"Av" from a byline.
fn strip_by(s: &str) -> &str {
    for p in ["by ", "von ", "par ", "por ", "di ", "door ", "av "] {
        if s.len() > p.len() && s.is_char_boundary(p.len()) && s[..p.len()].eq_ignore_ascii_case(p)
        {
            return s[p.len()..].trim_start();
        }
    }
    s
}

/// A date written in running text ("Posted on September 21, 2020 by …").
fn date_in_text(t: &str) -> Option<DateTime<Utc>> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)(?-u:\b)(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}\.? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,? \d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{4}/\d{2}/\d{2}|\d{1,2}\.\d{1,2}\.\d{4})(?-u:\b)",
        )
        .expect("date-in-text regex")
    });
    re.find_iter(t).find_map(|m| {
        let s = m.as_str().replace(['.'], "");
        let s = ["st,", "nd,", "rd,", "th,"]
            .iter()
            .fold(s, |acc, suf| acc.replace(suf, ","));
        parse_date(&s).or_else(|| parse_date(m.as_str()))
    })
}

/// `"Headline - Site Name"` -> `"Headline"` only when the tail is the known site name.
fn strip_known_site(title: &str, site: Option<&str>) -> String {
    let Some(site) = site else {
        return title.to_string();
    };
    let key = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase()
    };
    let site_key = key(site);
    if site_key.len() < 3 {
        return title.to_string();
    }
    for sep in [" | ", " - ", " – ", " — ", " :: ", " « ", " » "] {
        let mut from = 0;
        while let Some(pos) = title[from..].find(sep) {
            let at = from + pos;
            let tail = &title[at + sep.len()..];
            if key(tail).starts_with(&site_key) && title[..at].split_whitespace().count() >= 2 {
                return title[..at].trim().to_string();
            }
            from = at + sep.len();
        }
    }
    title.to_string()
}

/// `"Headline | Site"` -> `"Headline"`.
fn strip_site(title: &str, site: Option<&str>) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: ", " « ", " » "] {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (&title[..pos], &title[pos + sep.len()..]);
            let tail_is_site = site.map(|s| same_text(s, tail)).unwrap_or(false)
                || tail.split_whitespace().count() <= 4;
            if tail_is_site && head.split_whitespace().count() >= 3 {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

fn jsonld_objects(html: &Html) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let mut out = Vec::new();
    for s in html.select(sel!("script[type='application/ld+json']")) {
        let raw: String = s.text().collect();
        let raw = raw
            .trim()
            .trim_start_matches("<![CDATA[")
            .trim_end_matches("]]>")
            .trim();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) else {
            continue;
        };
        // Flatten arrays and @graph, iteratively.
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(a) => stack.extend(a.into_iter().rev()),
                serde_json::Value::Object(mut o) => {
                    if let Some(g) = o.remove("@graph") {
                        stack.push(g);
                    }
                    if o.contains_key("@type") {
                        out.push(o);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn is_article_type(o: &serde_json::Map<String, serde_json::Value>) -> bool {
    let is = |t: &str| {
        t.contains("Article") || t == "BlogPosting" || t == "Report" || t == "LiveBlogPosting"
    };
    match o.get("@type") {
        Some(serde_json::Value::String(t)) => is(t),
        Some(serde_json::Value::Array(a)) => a.iter().any(|t| t.as_str().map(is).unwrap_or(false)),
        _ => false,
    }
}

fn jsonld_names(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Object(o) => o
            .get("name")
            .and_then(|n| n.as_str())
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
        serde_json::Value::Array(a) => a.iter().flat_map(jsonld_names).collect(),
        _ => Vec::new(),
    }
}

fn jsonld_body(html: &Html) -> Option<String> {
    let objs = jsonld_objects(html);
    let body = objs.iter().filter(|o| is_article_type(o)).find_map(|o| {
        o.get("articleBody")
            .and_then(|b| b.as_str())
            .map(String::from)
    })?;
    // articleBody sometimes carries HTML markup; render it as text.
    if body.contains("</p>") || body.contains("<br") {
        let frag = Html::parse_fragment(&body);
        let root = frag.tree.root();
        return Some(render(root, &Stats::empty_map(), &Flags::none(), true));
    }
    Some(body)
}

// ---------------------------------------------------------------------------
// Main text

#[derive(Clone, Copy)]
struct Flags {
    strip_unlikely: bool,
    weight_classes: bool,
    clean_conditionally: bool,
}

impl Flags {
    fn all() -> Self {
        Flags {
            strip_unlikely: true,
            weight_classes: true,
            clean_conditionally: true,
        }
    }
    fn none() -> Self {
        Flags {
            strip_unlikely: false,
            weight_classes: false,
            clean_conditionally: false,
        }
    }
}

const MIN_TEXT: usize = 250;
/// How many levels above the best candidate to look for more article paragraphs.
const EXPAND_LEVELS: usize = 4;
/// Largest link density of an ancestor the candidate may expand to.
const EXPAND_MAX_LD: f64 = 0.3;

fn main_text(html: Html, source: &str) -> String {
    let attempts = [
        Flags::all(),
        Flags {
            strip_unlikely: false,
            ..Flags::all()
        },
        Flags {
            strip_unlikely: false,
            weight_classes: false,
            ..Flags::all()
        },
        Flags::none(),
    ];
    let mut best = String::new();
    let mut first = Some(html);
    for flags in attempts {
        let doc = first.take().unwrap_or_else(|| Html::parse_document(source));
        let t = extract_with(doc, flags);
        let len = t.split_whitespace().count();
        if len * 6 >= MIN_TEXT {
            return t;
        }
        if t.len() > best.len() {
            best = t;
        }
    }
    best
}

fn block_tag(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "ul"
            | "caption"
            | "legend"
            | "option"
            | "iframe"
            | "noscript"
            | "br"
            | "select"
            | "textarea"
            | "video"
            | "audio"
            | "picture"
    )
}

/// Tags removed with their content, always.
fn drop_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "svg"
            | "canvas"
            | "object"
            | "embed"
            | "nav"
            | "aside"
            | "footer"
            | "figcaption"
            | "figure"
            | "button"
            | "select"
            | "input"
            | "textarea"
            | "label"
            | "dialog"
            | "menu"
            | "link"
            | "head"
            | "video"
            | "audio"
            | "picture"
            | "map"
            | "math"
            | "title"
    )
}

fn unlikely_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)-ad-|(?-u:\b)ad-|(?-u:\b)ads(?-u:\b)|hovercard|popover|rollover-(?:\w+-)?block|advert|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|cookie|consent|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|modal|overlay|yom-remote|share|sharing|newsletter|subscribe|signup|promo|outbrain|taboola|recommend|trending|most-?popular|most-?read|tags(?-u:\b)|tag-list|author-?bio|toolbar|tooltip|caption|credit|widget|navbar|masthead|nav(?-u:\b)|print|dropdown|sr-only|visually-hidden|login|teaser|disclosure",
        )
        .expect("unlikely regex")
    })
}

fn standfirst_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)standfirst|excerpt|(?-u:\b)dek(?-u:\b)|lede|lead-?text|intro|summary|sub-?title|sub-?head|description|teaser-text|abstract")
            .expect("standfirst regex")
    })
}

fn comments_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)comment|disqus|replies|respond|discussion").expect("comments regex")
    })
}

fn maybe_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)and|article|body|column|content|main|shadow|story|entry|post-?text|text")
            .expect("maybe regex")
    })
}

fn positive_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|articlebody|article-body|story-body")
            .expect("positive regex")
    })
}

fn negative_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)-ad-|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|byline|author|dateline|caption|credit|newsletter|social|recommend")
            .expect("negative regex")
    })
}

fn class_id(e: &scraper::node::Element) -> String {
    let mut s = String::new();
    if let Some(c) = e.attr("class") {
        s.push_str(c);
    }
    if let Some(i) = e.attr("id") {
        s.push(' ');
        s.push_str(i);
    }
    s
}

fn class_weight(e: &scraper::node::Element, flags: &Flags) -> f64 {
    if !flags.weight_classes {
        return 0.0;
    }
    let mut w = 0.0;
    for v in [e.attr("class"), e.attr("id")].into_iter().flatten() {
        if v.is_empty() {
            continue;
        }
        if negative_re().is_match(v) {
            w -= 25.0;
        }
        if positive_re().is_match(v) {
            w += 25.0;
        }
    }
    if matches!(
        e.attr("itemprop"),
        Some("articleBody") | Some("articlebody")
    ) {
        w += 50.0;
    }
    w
}

/// Hidden for good: the `hidden` attribute, `aria-hidden="true"` or
/// `visibility:hidden`. Inline `display:none` (and a `hidden` class) is not
/// enough: scripts toggle it to show gallery slides, tabs and "read more"
/// text, and boilerplate that is hidden that way is caught by its class, id or
/// role (menus, modals, banners).
fn is_hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Prune {
    Keep,
    Drop,
    /// Dropped for its class/id only (may be protected when it holds the article).
    Unlikely,
}

fn should_prune(node: NodeRef<Node>, flags: &Flags) -> Prune {
    let Some(e) = node.value().as_element() else {
        return if matches!(
            node.value(),
            Node::Comment(_) | Node::ProcessingInstruction(_)
        ) {
            Prune::Drop
        } else {
            Prune::Keep
        };
    };
    let name = e.name();
    if drop_tag(name) {
        return Prune::Drop;
    }
    if matches!(name, "html" | "body" | "article" | "main") {
        return Prune::Keep;
    }
    if is_hidden(e) {
        return Prune::Drop;
    }
    if let Some(role) = e.attr("role") {
        if matches!(
            role,
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "menu"
                | "menubar"
                | "dialog"
                | "alert"
                | "alertdialog"
                | "search"
        ) {
            return Prune::Drop;
        }
    }
    if flags.strip_unlikely && name != "a" {
        let ci = class_id(e);
        if !ci.is_empty() && unlikely_re().is_match(&ci) && !maybe_re().is_match(&ci) {
            return Prune::Unlikely;
        }
    }
    Prune::Keep
}

/// Hashes a tree node id (a small integer) by multiplying it: node-keyed maps
/// are hot, and SipHash cost more than the work done per node.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Map keyed by tree node.
type IdMap<V> = HashMap<NodeId, V, BuildHasherDefault<IdHasher>>;

/// Per-node aggregate counts over the (pruned) subtree.
#[derive(Clone, Copy, Default, Debug)]
struct Stats {
    text: u32,
    link: u32,
    commas: u32,
    /// Text in direct text children and inline descendants (not inside blocks).
    inline_text: u32,
    inline_commas: u32,
    p: u32,
    /// Text inside `<p>` elements.
    ptext: u32,
    /// Text inside `<p>` elements that are not mostly links.
    good_ptext: u32,
    img: u32,
    li: u32,
    embed: u32,
    headings: u32,
}

impl Stats {
    fn empty_map() -> IdMap<Stats> {
        IdMap::default()
    }
    fn link_density(&self) -> f64 {
        if self.text == 0 {
            0.0
        } else {
            self.link as f64 / self.text as f64
        }
    }
}

/// (characters of the whitespace-separated words plus one per word, commas).
fn text_len(s: &str) -> (u32, u32) {
    let mut n: u32 = 0;
    let mut commas: u32 = 0;
    let mut in_word = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (ws, comma) = if b < 0x80 {
            i += 1;
            (b.is_ascii_whitespace() || b == 0x0b, b == b',')
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            (c.is_whitespace(), matches!(c, '，' | '،'))
        };
        if ws {
            in_word = false;
            continue;
        }
        // One extra per word: its separating space.
        n = n.saturating_add(if in_word { 1 } else { 2 });
        in_word = true;
        if comma {
            commas = commas.saturating_add(1);
        }
    }
    (n, commas)
}

fn compute_stats(root: NodeRef<Node>) -> IdMap<Stats> {
    let order: Vec<NodeRef<Node>> = root.descendants().collect();
    let mut stats: IdMap<Stats> = IdMap::with_capacity_and_hasher(order.len(), Default::default());
    for node in order.iter().rev() {
        let mut s = Stats::default();
        match node.value() {
            // Script and style bodies (often most of a page's bytes) are
            // never text; they are pruned anyway.
            Node::Text(_)
                if node
                    .parent()
                    .and_then(|p| p.value().as_element())
                    .is_some_and(|e| {
                        matches!(e.name(), "script" | "style" | "noscript" | "template")
                    }) => {}
            Node::Text(t) => {
                let (n, c) = text_len(t);
                s.text = n;
                s.commas = c;
                s.inline_text = n;
                s.inline_commas = c;
            }
            Node::Element(_) | Node::Document | Node::Fragment => {
                for child in node.children() {
                    let Some(cs) = stats.get(&child.id()) else {
                        continue;
                    };
                    s.text += cs.text;
                    s.link += cs.link;
                    s.commas += cs.commas;
                    s.p += cs.p;
                    s.ptext += cs.ptext;
                    s.good_ptext += cs.good_ptext;
                    s.img += cs.img;
                    s.li += cs.li;
                    s.embed += cs.embed;
                    s.headings += cs.headings;
                    let child_block = child
                        .value()
                        .as_element()
                        .map(|ce| block_tag(ce.name()))
                        .unwrap_or(false);
                    if !child_block {
                        s.inline_text += cs.inline_text;
                        s.inline_commas += cs.inline_commas;
                    }
                }
                let name = node.value().as_element().map(|e| e.name()).unwrap_or("");
                match name {
                    "a" => s.link = s.text,
                    "p" => {
                        s.p += 1;
                        s.ptext = s.text;
                        s.good_ptext = if s.link * 2 < s.text { s.text } else { 0 };
                    }
                    "img" => s.img += 1,
                    "li" => s.li += 1,
                    "embed" | "object" | "iframe" | "video" => s.embed += 1,
                    "h2" | "h3" | "h4" | "h5" | "h6" => s.headings += 1,
                    _ => {}
                }
            }
            _ => {}
        }
        stats.insert(node.id(), s);
    }
    stats
}

fn parent_el(node: NodeRef<Node>) -> Option<NodeRef<Node>> {
    node.parent().filter(|p| p.value().is_element())
}

fn extract_with(mut doc: Html, flags: Flags) -> String {
    // 1. prune
    let ids: Vec<NodeId> = doc.tree.root().descendants().map(|n| n.id()).collect();
    // Paragraph text per subtree before pruning: an element whose class looks
    // unlikely but which holds most of the page's paragraph text is the article
    // (e.g. `<div class="above-footer">` wrapping everything).
    let pre = if flags.strip_unlikely {
        compute_stats(doc.tree.root())
    } else {
        IdMap::default()
    };
    let total_ptext = pre.get(&doc.tree.root().id()).map(|s| s.ptext).unwrap_or(0);
    let mut to_detach = Vec::new();
    for id in ids {
        if let Some(n) = doc.tree.get(id) {
            match should_prune(n, &flags) {
                Prune::Keep => {}
                Prune::Drop => to_detach.push(id),
                Prune::Unlikely => {
                    let ptext = pre.get(&id).map(|s| s.ptext).unwrap_or(0);
                    let ci = n.value().as_element().map(class_id).unwrap_or_default();
                    let holds_article = total_ptext >= 500
                        && ptext * 2 >= total_ptext
                        && !comments_re().is_match(&ci);
                    if !holds_article {
                        to_detach.push(id);
                    }
                }
            }
        }
    }
    for id in to_detach {
        if let Some(mut n) = doc.tree.get_mut(id) {
            n.detach();
        }
    }
    let root = doc.tree.root();
    let stats = compute_stats(root);
    let st = |n: &NodeRef<Node>| stats.get(&n.id()).copied().unwrap_or_default();

    // 2. score
    let mut scores: IdMap<f64> = IdMap::default();
    let init = |n: NodeRef<Node>, scores: &mut IdMap<f64>| {
        scores.entry(n.id()).or_insert_with(|| {
            let e = n.value().as_element().expect("element");
            let base = match e.name() {
                "div" | "article" | "main" => 5.0,
                "pre" | "td" | "blockquote" => 3.0,
                "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
                _ => 0.0,
            };
            base + class_weight(e, &flags)
        });
    };
    for node in root.descendants() {
        let Some(e) = node.value().as_element() else {
            continue;
        };
        let name = e.name();
        let s = st(&node);
        // The scoring unit and the first ancestor to credit.
        let (len, commas, first) = match name {
            "p" | "pre" | "td" => (s.text, s.commas, parent_el(node)),
            "div" | "section" | "article" | "main" | "blockquote" | "center" | "font" | "span"
            | "dd" | "li" => {
                if s.inline_text < 25 {
                    continue;
                }
                (s.inline_text, s.inline_commas, Some(node))
            }
            _ => continue,
        };
        if len < 25 {
            continue;
        }
        let unit = 1.0 + commas as f64 + ((len / 100) as f64).min(3.0);
        let mut level = 0usize;
        let mut cur = first;
        while let Some(a) = cur {
            if level >= 5
                || matches!(
                    a.value().as_element().map(|e| e.name()),
                    Some("html") | None
                )
            {
                break;
            }
            init(a, &mut scores);
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            *scores.get_mut(&a.id()).expect("init") += unit / div;
            level += 1;
            cur = parent_el(a);
        }
    }
    if scores.is_empty() {
        return render(root, &stats, &flags, false);
    }
    let final_score = |scores: &IdMap<f64>, id: NodeId| -> f64 {
        let sc = scores.get(&id).copied().unwrap_or(0.0);
        let ld = stats.get(&id).map(|s| s.link_density()).unwrap_or(0.0);
        sc * (1.0 - ld)
    };
    let mut ranked: Vec<(NodeId, f64)> = scores
        .keys()
        .map(|&id| (id, final_score(&scores, id)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (mut top_id, mut top_score) = ranked[0];
    let node_of = |id: NodeId| doc.tree.get(id).expect("node");
    let is_body = |n: &NodeRef<Node>| {
        matches!(
            n.value().as_element().map(|e| e.name()),
            Some("body") | Some("html") | None
        )
    };

    // 3a. several strong candidates under one ancestor: promote.
    let alternatives: Vec<NodeId> = ranked
        .iter()
        .skip(1)
        .take(4)
        .filter(|(_, s)| *s >= top_score * 0.75)
        .map(|(id, _)| *id)
        .collect();
    if alternatives.len() >= 3 {
        let mut under: IdMap<usize> = IdMap::default();
        for alt in &alternatives {
            for a in node_of(*alt).ancestors() {
                *under.entry(a.id()).or_default() += 1;
            }
        }
        let mut cur = parent_el(node_of(top_id));
        while let Some(a) = cur {
            if is_body(&a) {
                break;
            }
            if under.get(&a.id()).copied().unwrap_or(0) >= 3 {
                top_id = a.id();
                init(a, &mut scores);
                break;
            }
            cur = parent_el(a);
        }
    }
    // 3b. climb while the parent scores better.
    {
        let mut last = final_score(&scores, top_id);
        let threshold = last / 3.0;
        let mut cur = parent_el(node_of(top_id));
        while let Some(p) = cur {
            if is_body(&p) {
                break;
            }
            if !scores.contains_key(&p.id()) {
                cur = parent_el(p);
                continue;
            }
            let ps = final_score(&scores, p.id());
            if ps < threshold {
                break;
            }
            if ps > last {
                top_id = p.id();
                break;
            }
            last = ps;
            cur = parent_el(p);
        }
    }
    // 3c. only child: use the parent.
    loop {
        let n = node_of(top_id);
        let Some(p) = parent_el(n) else { break };
        if is_body(&p) || p.children().filter(|c| c.value().is_element()).count() != 1 {
            break;
        }
        top_id = p.id();
    }
    // 3e. an article split into several blocks (around ads or widgets): move up
    // to a near ancestor that holds clearly more prose paragraphs and is not
    // link-heavy.
    if flags.clean_conditionally {
        let mut cur = top_id;
        loop {
            let base = st(&node_of(cur)).good_ptext;
            let mut next = None;
            let mut a = parent_el(node_of(cur));
            for _ in 0..EXPAND_LEVELS {
                let Some(p) = a else { break };
                if is_body(&p) {
                    break;
                }
                let ps = st(&p);
                if ps.good_ptext >= base + base * 3 / 10 + 150
                    && ps.link_density() < EXPAND_MAX_LD
                    && ps.good_ptext * 2 >= ps.text
                {
                    next = Some(p.id());
                    break;
                }
                a = parent_el(p);
            }
            match next {
                Some(n) => cur = n,
                None => break,
            }
        }
        top_id = cur;
    }
    init(node_of(top_id), &mut scores);
    top_score = final_score(&scores, top_id).max(top_score);

    // 3d. siblings.
    let top = node_of(top_id);
    let mut parts: Vec<NodeRef<Node>> = Vec::new();
    match parent_el(top) {
        Some(parent) => {
            let threshold = (top_score * 0.2).max(10.0);
            let top_class = top
                .value()
                .as_element()
                .and_then(|e| e.attr("class"))
                .unwrap_or("");
            let mut before_top = true;
            for sib in parent.children() {
                if sib.id() == top_id {
                    parts.push(sib);
                    before_top = false;
                    continue;
                }
                let Some(se) = sib.value().as_element() else {
                    continue;
                };
                let mut append = false;
                let bonus = if !top_class.is_empty() && se.attr("class") == Some(top_class) {
                    top_score * 0.2
                } else {
                    0.0
                };
                if scores.contains_key(&sib.id())
                    && final_score(&scores, sib.id()) + bonus >= threshold
                {
                    append = true;
                } else if se.name() == "p" {
                    let s = st(&sib);
                    let ld = s.link_density();
                    let txt: String = ElementRef::wrap(sib).map(element_text).unwrap_or_default();
                    let long_prose = s.text > 80 && ld < 0.25;
                    let short_sentence = s.text > 0
                        && s.text <= 80
                        && ld == 0.0
                        && (txt.contains(". ") || txt.ends_with('.'));
                    append = long_prose || short_sentence;
                }
                // A standfirst just before the body ("excerpt", "dek", "lede"…).
                if !append && before_top && flags.weight_classes {
                    let s = st(&sib);
                    let ci = class_id(se);
                    append =
                        standfirst_re().is_match(&ci) && s.text >= 40 && s.link_density() < 0.3;
                }
                if append {
                    parts.push(sib);
                }
            }
        }
        None => parts.push(top),
    }
    // 3f. prose blocks beside the body's containers inside the same
    // <article>/<main> (a standfirst in the article's <header>, a lead
    // paragraph or a later part of the text in a sibling container).
    let (before, after) = if flags.clean_conditionally {
        article_neighbours(top, &stats)
    } else {
        (Vec::new(), Vec::new())
    };
    let lead = if flags.clean_conditionally && !in_article(top) {
        lead_paragraphs(root, top, &stats)
    } else {
        Vec::new()
    };
    let mut out = String::new();
    for p in lead.into_iter().chain(before).chain(parts).chain(after) {
        out.push_str(&render(p, &stats, &flags, false));
        out.push_str("\n\n");
    }
    out
}

/// Elements beside the ancestors of `top` (up to its nearest `<article>` or
/// `<main>`, at most [`NEIGHBOUR_LEVELS`] levels up; none without one) that are
/// prose: enough text in `<p>`s that are not link lists, most of the element's
/// text in them (any share in a `<header>`), few links. Those before `top` in document order and those after.
fn article_neighbours<'a>(
    top: NodeRef<'a, Node>,
    stats: &IdMap<Stats>,
) -> (Vec<NodeRef<'a, Node>>, Vec<NodeRef<'a, Node>>) {
    let mut chain = Vec::new();
    let mut cur = parent_el(top);
    let mut found = false;
    for _ in 0..NEIGHBOUR_LEVELS {
        let Some(a) = cur else { break };
        let name = a.value().as_element().map(|e| e.name()).unwrap_or("");
        if matches!(name, "body" | "html") {
            break;
        }
        if matches!(name, "article" | "main") {
            found = true;
            break;
        }
        chain.push(a);
        cur = parent_el(a);
    }
    if !found {
        return (Vec::new(), Vec::new());
    }
    let prose = |n: &NodeRef<Node>| {
        let Some(e) = n.value().as_element() else {
            return false;
        };
        if matches!(e.name(), "nav" | "aside" | "footer" | "form" | "h1") {
            return false;
        }
        let s = stats.get(&n.id()).copied().unwrap_or_default();
        // A header also holds the headline (dropped when rendered) and labels.
        let dominant = e.name() == "header" || s.good_ptext * 3 >= s.text * 2;
        s.good_ptext >= 80 && dominant && s.link_density() < 0.25
    };
    let (mut before, mut after) = (Vec::new(), Vec::new());
    // `chain` holds top's ancestors below the article: the siblings of each
    // are the neighbours (top's own siblings were handled by the caller).
    for a in chain.iter() {
        let mut prev = a.prev_sibling();
        let mut level_before = Vec::new();
        while let Some(p) = prev {
            if prose(&p) {
                level_before.push(p);
            }
            prev = p.prev_sibling();
        }
        level_before.reverse();
        // Outer levels come first in document order.
        before.splice(0..0, level_before);
        let mut next = a.next_sibling();
        while let Some(n) = next {
            if prose(&n) {
                after.push(n);
            }
            next = n.next_sibling();
        }
    }
    (before, after)
}

/// `top` has an `<article>` or `<main>` ancestor within [`NEIGHBOUR_LEVELS`].
fn in_article(top: NodeRef<Node>) -> bool {
    top.ancestors().take(NEIGHBOUR_LEVELS + 1).any(|a| {
        a.value()
            .as_element()
            .is_some_and(|e| matches!(e.name(), "article" | "main"))
    })
}

/// A lead paragraph placed between the headline and the body in a container of
/// its own, on pages without `<article>`/`<main>` markup: the prose `<p>`s
/// after the last `<h1>` that precedes `top` in document order and before
/// `top` (at most [`LEAD_MAX_PARAS`] of [`LEAD_MAX_CHARS`] in all; none when
/// there are more, which is other content, or no `<h1>` precedes `top`).
fn lead_paragraphs<'a>(
    root: NodeRef<'a, Node>,
    top: NodeRef<'a, Node>,
    stats: &IdMap<Stats>,
) -> Vec<NodeRef<'a, Node>> {
    let mut found: Vec<NodeRef<Node>> = Vec::new();
    let mut after_h1 = false;
    let mut inside: Option<NodeId> = None;
    for n in root.descendants() {
        if n.id() == top.id() {
            break;
        }
        // Skip the inside of a collected paragraph.
        if let Some(p) = inside {
            if n.ancestors().any(|a| a.id() == p) {
                continue;
            }
            inside = None;
        }
        let Some(e) = n.value().as_element() else {
            continue;
        };
        match e.name() {
            "h1" => {
                after_h1 = true;
                found.clear();
            }
            "p" if after_h1 => {
                let s = stats.get(&n.id()).copied().unwrap_or_default();
                if s.text >= 60 && s.link_density() < 0.25 {
                    found.push(n);
                }
                inside = Some(n.id());
            }
            _ => {}
        }
    }
    let chars: u32 = found
        .iter()
        .map(|n| stats.get(&n.id()).map(|s| s.text).unwrap_or(0))
        .sum();
    if found.len() > LEAD_MAX_PARAS || chars as usize > LEAD_MAX_CHARS {
        return Vec::new();
    }
    found
}

/// Most paragraphs [`lead_paragraphs`] takes.
const LEAD_MAX_PARAS: usize = 2;
/// Most characters [`lead_paragraphs`] takes.
const LEAD_MAX_CHARS: usize = 800;

/// How far above the main block [`article_neighbours`] looks for its article.
const NEIGHBOUR_LEVELS: usize = 9;

/// Should this container be dropped from the output (readability's
/// "clean conditionally")?
fn drop_conditionally(e: &scraper::node::Element, s: &Stats, flags: &Flags) -> bool {
    let name = e.name();
    if name == "header" {
        return s.p == 0 || s.link_density() > 0.3;
    }
    if name == "h1" {
        return true;
    }
    if matches!(name, "h2" | "h3" | "h4" | "h5" | "h6") {
        return flags.weight_classes && class_weight(e, flags) < 0.0 || s.link_density() > 0.5;
    }
    if name == "p" {
        return s.text > 0 && s.text < 200 && s.link_density() >= 0.9;
    }
    if !flags.clean_conditionally {
        return false;
    }
    if !matches!(
        name,
        "div" | "section" | "ul" | "ol" | "table" | "form" | "fieldset" | "dl"
    ) {
        return false;
    }
    let weight = class_weight(e, flags);
    if weight < 0.0 {
        return true;
    }
    let is_list = matches!(name, "ul" | "ol" | "dl") || (s.li > 0 && s.li > s.p * 2);
    let ld = s.link_density();
    if s.commas >= 10 {
        return false;
    }
    let p = s.p as f64;
    let img = s.img as f64;
    let li = s.li as f64 - 100.0;
    let content_len = s.text;
    // In a list, items are the paragraphs (recipe steps with a photo each).
    let paras = if is_list { p + s.li as f64 } else { p };
    (img > 1.0 && paras / img < 0.5)
        || (!is_list && li > p)
        || (!is_list && content_len < 25 && (s.img == 0 || s.img > 2))
        || (!is_list && weight < 25.0 && ld > 0.2)
        || (is_list && ld > 0.5)
        || (weight >= 25.0 && ld > 0.5)
        || (s.embed == 1 && content_len < 75)
        || s.embed > 1
}

/// Render a subtree as text: blocks separated by blank lines, inline whitespace
/// collapsed. Iterative (explicit stack).
fn render(root: NodeRef<Node>, stats: &IdMap<Stats>, flags: &Flags, plain: bool) -> String {
    let mut out = String::new();
    let mut stack: Vec<(NodeRef<Node>, bool)> = vec![(root, false)];
    let mut depth = 0usize;
    while let Some((node, exiting)) = stack.pop() {
        match node.value() {
            Node::Text(t) => {
                let mut first = true;
                let starts_ws = t.starts_with(char::is_whitespace);
                if starts_ws && !out.ends_with([' ', '\n']) && !out.is_empty() {
                    out.push(' ');
                }
                for w in t.split_whitespace() {
                    if !first {
                        out.push(' ');
                    }
                    out.push_str(w);
                    first = false;
                }
                if t.ends_with(char::is_whitespace) && !first {
                    out.push(' ');
                }
            }
            Node::Element(e) => {
                let name = e.name();
                let block = block_tag(name);
                if exiting {
                    if block {
                        out.push_str("\n\n");
                    }
                    depth = depth.saturating_sub(1);
                    continue;
                }
                if name == "br" || name == "hr" {
                    out.push_str("\n\n");
                    continue;
                }
                if plain {
                    if matches!(name, "script" | "style" | "noscript" | "template") {
                        continue;
                    }
                } else if node.id() != root.id() {
                    let s = stats.get(&node.id()).copied().unwrap_or_default();
                    if drop_conditionally(e, &s, flags) {
                        // A container dropped for its images or links may
                        // still open with a prose paragraph of its own.
                        if matches!(e.name(), "div" | "section") && class_weight(e, flags) >= 0.0 {
                            let kept: Vec<NodeRef<Node>> = node
                                .children()
                                .filter(|c| {
                                    c.value().as_element().is_some_and(|ce| ce.name() == "p")
                                        && stats.get(&c.id()).is_some_and(|cs| {
                                            cs.text >= 60 && cs.link_density() < 0.25
                                        })
                                })
                                .collect();
                            for c in kept.into_iter().rev() {
                                stack.push((c, false));
                            }
                        }
                        continue;
                    }
                }
                if block {
                    out.push_str("\n\n");
                }
                depth += 1;
                stack.push((node, true));
                let children: Vec<NodeRef<Node>> = node.children().collect();
                for c in children.into_iter().rev() {
                    stack.push((c, false));
                }
            }
            Node::Document | Node::Fragment if !exiting => {
                stack.push((node, true));
                let children: Vec<NodeRef<Node>> = node.children().collect();
                for c in children.into_iter().rev() {
                    stack.push((c, false));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_site_suffix() {
        assert_eq!(
            strip_site(
                "Floods hit the north of Spain | The Daily",
                Some("The Daily")
            ),
            "Floods hit the north of Spain"
        );
        assert_eq!(strip_site("Short | Site", None), "Short | Site");
    }

    #[test]
    fn site_suffix_and_text_dates() {
        assert_eq!(
            strip_known_site(
                "Crash on I-95 - WSVN 7News | Miami News",
                Some("WSVN 7News")
            ),
            "Crash on I-95"
        );
        assert_eq!(
            strip_known_site("War in Sudan - live updates", Some("The Paper")),
            "War in Sudan - live updates"
        );
        let d = date_in_text("Posted on September 21, 2020 by Someone").unwrap();
        assert_eq!(d.format("%Y-%m-%d").to_string(), "2020-09-21");
        let d = date_in_text("Published 3 Nov. 2023, 10:00").unwrap();
        assert_eq!(d.format("%Y-%m-%d").to_string(), "2023-11-03");
        assert!(date_in_text("no date here").is_none());
    }

    #[test]
    fn standfirst_sibling_is_kept_and_link_lists_dropped() {
        let html = r#"<html><body><main>
            <h2 class="article__excerpt">The government announced new curfew rules after a week of protests in the capital.</h2>
            <div class="article__text">
              <p>Police said on Sunday that more than two hundred people had been detained since the protests began, most of them in the old town.</p>
              <p>The interior minister, speaking on state television, said the curfew would be lifted once order had been restored across the city.</p>
              <ul><li><a href="/1">Another story about football results</a></li><li><a href="/2">Weather for the weekend ahead</a></li></ul>
              <p>Opposition leaders called the measures disproportionate and said they would challenge them in court next week.</p>
            </div>
          </main></body></html>"#;
        let a = extract_html_str(html, "t.html").unwrap();
        assert!(
            a.text
                .starts_with("The government announced new curfew rules"),
            "{}",
            a.text
        );
        assert!(a.text.contains("challenge them in court"));
        assert!(!a.text.contains("football results"));
    }

    #[test]
    fn lead_paragraph_in_its_own_container_is_kept() {
        // No <article>/<main>: the lead sits between the headline and the body
        // in a separate block.
        let body: String = (0..6)
            .map(|i| format!("<p>Paragraph {i} of the report says that the council met again on Tuesday, and that the vote, which was delayed twice, will now take place in spring.</p>"))
            .collect();
        let html = format!(
            r#"<html><body><div class="top"><h1>Council delays the vote again</h1>
            <div class="head-info"><div class="x"><p>After a week of protests, the council said the vote would wait until spring, its third delay this year.</p></div></div></div>
            <div class="col"><div class="inner">{body}</div></div>
            <div class="more"><a href="/a">Other news one</a> <a href="/b">Other news two</a></div></body></html>"#
        );
        let a = extract_html_str(&html, "lead.html").unwrap();
        assert!(a.text.starts_with("After a week of protests"), "{}", a.text);
        assert!(a.text.contains("Paragraph 5 of the report"));
        assert!(!a.text.contains("Other news"));
    }

    #[test]
    fn header_standfirst_beside_the_body_is_kept() {
        let body: String = (0..6)
            .map(|i| format!("<p>Paragraph {i}: ministers said on Thursday that travellers arriving after Saturday must stay at home for two weeks, with fines for those who refuse.</p>"))
            .collect();
        let html = format!(
            r#"<html><body><article><header><a href="/news">News</a><h1>Three islands added to the quarantine list</h1>
            <p>Penalties for those who refuse to self-isolate are to be raised to a maximum of ten thousand pounds.</p></header>
            <div class="wrap"><div class="inner"><div class="text">{body}</div></div><div class="gallery"><img src="a.jpg"></div></div></article></body></html>"#
        );
        let a = extract_html_str(&html, "std.html").unwrap();
        let standfirst = a.text.find("Penalties for those").expect("standfirst kept");
        assert!(
            standfirst < a.text.find("Paragraph 0:").unwrap(),
            "{}",
            a.text
        );
        assert!(a.text.contains("Paragraph 5:"));
        assert!(!a.text.contains("quarantine list"), "headline is in title");
    }

    #[test]
    fn list_of_steps_with_photos_is_kept() {
        let intro: String = (0..4)
            .map(|i| format!("<p>Note {i}: this dish is quick to make on a weeknight, and the tofu, fried until golden, keeps it filling.</p>"))
            .collect();
        let html = format!(
            r#"<html><body><article>{intro}<ul class="steps">
            <li>Heat two tablespoons of oil in the wok and fry the tofu. <img src="1.jpg"></li>
            <li>With the oil left in the wok, saute the garlic until fragrant. <img src="2.jpg"></li>
            <li>Add the noodles and the sauce, then toss for two minutes. <img src="3.jpg"></li>
            </ul></article></body></html>"#
        );
        let a = extract_html_str(&html, "steps.html").unwrap();
        assert!(a.text.contains("saute the garlic"), "{}", a.text);
    }

    #[test]
    fn script_toggled_sections_kept_hidden_attribute_dropped() {
        let slides: String = (0..4)
            .map(|i| format!(r#"<div class="slide hidden" style="display: none;"><h2>Item {i}</h2><p>Item {i} is a laundry bag with a joke printed on it, sold in three sizes, and it folds flat when empty.</p></div>"#))
            .collect();
        let html = format!(
            r#"<html><body><article><p>These are the strangest things you can buy online this year, from bags to lamps, picked by our editors.</p>{slides}
            <div hidden><p>Secret text that must never show up in the output of the extractor.</p></div></article></body></html>"#
        );
        let a = extract_html_str(&html, "gallery.html").unwrap();
        assert!(a.text.contains("Item 3 is a laundry bag"), "{}", a.text);
        assert!(!a.text.contains("Secret text"));
    }

    #[test]
    fn prose_paragraph_of_a_dropped_logo_block_is_kept() {
        let body: String = (0..4)
            .map(|i| format!("<p>Part {i}: the foundation said on Monday that its licences are now used by millions of people, libraries and museums.</p>"))
            .collect();
        let logos: String = (0..5)
            .map(|i| format!(r#"<li><a href="/p{i}"><img src="{i}.png" alt="">Partner organisation number {i}</a></li>"#))
            .collect();
        let html = format!(
            r#"<html><body><article>{body}<div class="programs"><h2><a href="/programs">Our Programs</a></h2>
            <p>Our work spans many areas and partners working to build a more vibrant commons.</p><ul>{logos}</ul></div></article></body></html>"#
        );
        let a = extract_html_str(&html, "logos.html").unwrap();
        assert!(a.text.contains("Our work spans many areas"), "{}", a.text);
    }

    #[test]
    fn byline_authors() {
        let html = r#"<html><body><div class="byline">By Jane Doe and John Roe, Reuters</div>
            <article><p>Negotiators met in Geneva on Wednesday, officials said, after a week-long pause in the talks between the two sides.</p></article></body></html>"#;
        let a = extract_html_str(html, "b.html").unwrap();
        assert_eq!(a.authors, vec!["Jane Doe", "John Roe", "Reuters"]);
        assert_eq!(strip_by("Von Patrick Czerny"), "Patrick Czerny");
    }

    fn title_of(html: &str) -> Option<String> {
        metadata(&Html::parse_document(html), "t.html").title
    }

    #[test]
    fn visible_headline_beats_social_title() {
        // og:title is a shorter social-card line; the page's h1 agrees with
        // the JSON-LD headline.
        let html = r#"<html><head><title>Short social line | The Paper</title>
            <meta property="og:title" content="Short social line">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Council approves the new river bridge after long debate"}</script>
            </head><body><h1>Council approves the new river bridge after long debate</h1></body></html>"#;
        assert_eq!(
            title_of(html).as_deref(),
            Some("Council approves the new river bridge after long debate")
        );
        // A single h1 agreeing with <title> minus the site part.
        let html = r#"<html><head><title>Storm closes ports along the coast - Daily Wire Service</title>
            <meta property="og:title" content="Ports shut as storm nears"></head>
            <body><h1>Storm closes ports along the coast</h1></body></html>"#;
        assert_eq!(
            title_of(html).as_deref(),
            Some("Storm closes ports along the coast")
        );
    }

    #[test]
    fn site_name_heading_is_not_the_headline() {
        // The only h1 is the site banner (the tail of <title>).
        let html = r#"<html><head><title>Harbour Notes - Town Gazette Online</title></head>
            <body><h1>Town Gazette Online</h1><p>text</p></body></html>"#;
        assert_eq!(title_of(html).as_deref(), Some("Harbour Notes"));
        // Several h1s: the one <title> agrees with.
        let html = r#"<html><head><title>Weekly Digest</title></head>
            <body><h1>Sections</h1><h1>About</h1><h1>Weekly Digest</h1></body></html>"#;
        assert_eq!(title_of(html).as_deref(), Some("Weekly Digest"));
        // Several unrelated h1s: <title>.
        let html = r#"<html><head><title>photo-archive</title></head>
            <body><h1>Pictures</h1><h1>Bilder</h1><h1>Images</h1></body></html>"#;
        assert_eq!(title_of(html).as_deref(), Some("photo-archive"));
        // Breadcrumb title: the last part.
        let html = r#"<html><head><title>Club e.V. - News » Results of the spring cup</title></head>
            <body><h1>News</h1><h1>Links</h1></body></html>"#;
        assert_eq!(title_of(html).as_deref(), Some("Results of the spring cup"));
    }

    #[test]
    fn ld_headline_decoded_and_truncated_skipped() {
        let html = r#"<html><head><title>Bread &amp; olives - Kitchen</title>
            <script type="application/ld+json">{"@type":"BlogPosting","headline":"Olive &#038; Herb Bread"}</script>
            </head><body><h1>Bread</h1></body></html>"#;
        assert_eq!(title_of(html).as_deref(), Some("Olive & Herb Bread"));
        let html = r#"<html><head><title>Minister resigns over the budget row | Paper</title>
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Minister resigns over..."}</script>
            </head><body><h1>Minister resigns over the budget row</h1></body></html>"#;
        assert_eq!(
            title_of(html).as_deref(),
            Some("Minister resigns over the budget row")
        );
        // Same words, only letter case differs: the meta spelling.
        let html = r#"<html><head><title>Ten Ways To Use Advice</title></head>
            <body><h1>Ten ways to use advice</h1></body></html>"#;
        assert_eq!(title_of(html).as_deref(), Some("Ten Ways To Use Advice"));
    }

    fn date_of(html: &str, origin: &str) -> Option<String> {
        metadata(&Html::parse_document(html), origin)
            .published_local
            .map(|d| d.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn url_date_fixes_the_calendar_day() {
        // A UTC timestamp of an evening story in America: the URL's day wins
        // and the instant is kept.
        let html = r#"<html><head><link rel="canonical" href="https://news.example/2023/11/08/mayor-elected/">
            <meta property="article:published_time" content="2023-11-09T05:30:59+00:00"></head><body></body></html>"#;
        let m = metadata(&Html::parse_document(html), "x");
        let d = m.published_local.unwrap();
        assert_eq!(d.format("%Y-%m-%d").to_string(), "2023-11-08");
        assert_eq!(
            m.published.unwrap().to_rfc3339(),
            "2023-11-09T05:30:59+00:00"
        );
        // Far apart: the URL date.
        let html = r#"<html><head><meta itemprop="datePublished" content="2019-06-17T18:28:00+0200"></head><body></body></html>"#;
        assert_eq!(
            date_of(html, "https://blog.example/home/2017/7/12/post").as_deref(),
            Some("2017-07-12")
        );
        // No URL date: the meta date.
        assert_eq!(date_of(html, "page.html").as_deref(), Some("2019-06-17"));
    }

    #[test]
    fn ld_graph_webpage_and_visible_dates() {
        let html = r#"<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"Organization","name":"X"},
            {"@type":"WebPage","datePublished":"2018-06-07T10:13:17+00:00","dateModified":"2019-12-01T19:06:47+00:00"}]}</script>
            </head><body></body></html>"#;
        assert_eq!(date_of(html, "p").as_deref(), Some("2018-06-07"));
        // A date line under the headline.
        let html = r#"<html><body><div><h1>Top ten players</h1><p>January 22, 2014</p><p>Body text.</p></div></body></html>"#;
        assert_eq!(date_of(html, "p").as_deref(), Some("2014-01-22"));
        // A dotted day.month.year date in an author line.
        let html = r#"<html><body><h1>News</h1><p>a</p><p>b</p><p>c</p><p>d</p><p>e</p><p>f</p><p>g</p><p>h</p><p>i</p><p>j</p><p>k</p><p>l</p><p>m</p>
            <div class="left author">Author: Someone am 29.12.2010, 13:36 Uhr</div></body></html>"#;
        assert_eq!(date_of(html, "p").as_deref(), Some("2010-12-29"));
    }

    #[test]
    fn short_element_text_matches_element_text() {
        let h = Html::parse_fragment(
            "<div> Posted <b>on</b>Mon<i>day</i>  \n <span> </span>3 May 2021 </div><p>x</p>",
        );
        let div = h.select(sel!("div")).next().unwrap();
        assert_eq!(short_element_text(div, 120), Some(element_text(div)));
        assert_eq!(element_text(div), "Posted onMonday 3 May 2021");
        assert_eq!(short_element_text(div, 10), None);
    }

    #[test]
    fn iso_codes() {
        assert_eq!(iso639_1("eng"), Some("en"));
        assert_eq!(
            detect_language("Die Polizei hat am Montag drei Menschen festgenommen, teilte die Staatsanwaltschaft mit. Die Ermittlungen dauern an und weitere Festnahmen sind möglich.")
                .as_deref(),
            Some("de")
        );
    }
}
