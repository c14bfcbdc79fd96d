//! # chronicle-ingest
//!
//! Raw news in, [`chronicle_core::Document`]s out.
//!
//! Takes files, directories, stdin or in-memory bytes in four formats — plain text,
//! HTML pages, RSS/Atom/RDF feeds and JSON Lines — detected per file by extension
//! and content sniffing (overridable with [`IngestOptions::format`]; gzip is
//! unwrapped transparently). Gives one `Document` per article with cleaned text
//! ([`clean_text`]), paragraph spans, metadata (`origin` = `path`, `path:LINE` for
//! JSONL, `path#ITEM` for feeds), or a [`RecordError`] naming the bad record and
//! why. Bad input never panics and never stops the other records.
//!
//! Document text: when a title is known it is the first paragraph, followed by
//! the body paragraphs (a body line that repeats the title is dropped).
//! `meta.published` is UTC; when the input gave a non-UTC offset, the original
//! local time is kept as RFC 3339 in `meta.extra["published_local"]` (its
//! calendar date is the publisher's "today").

pub mod clean;
pub mod date;
pub mod decode;
mod feed;
pub mod fetch;
pub mod fingerprint;
pub mod html;
mod jsonl;
pub mod watch;

pub use chronicle_core::{Document, InputFormat, Metadata, RecordError};
pub use clean::{clean_text, Cleaned};
pub use fetch::{fetch, FetchOptions, FetchOutcome, Fetched};
pub use fingerprint::{near_duplicate, simhash};
pub use html::{extract_html, Article};
pub use watch::{poll_once, MemorySeenStore, SeenStore, WatchOptions};

use chrono::{DateTime, Utc};
use std::io::Read;
use std::path::Path;

/// Options for reading.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Force this format instead of auto-detection.
    pub format: Option<InputFormat>,
    /// Publication time for inputs that carry none.
    pub published: Option<DateTime<Utc>>,
    /// Source (outlet) for inputs that carry none.
    pub source: Option<String>,
}

/// Largest single file read (bytes).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Read one file, a directory (walked recursively, sorted, hidden files and
/// directories skipped) or `"-"` for stdin. Files are read lazily, one at a time.
pub fn read_path(
    path: &Path,
    opts: &IngestOptions,
) -> Box<dyn Iterator<Item = Result<Document, RecordError>> + Send> {
    let opts = opts.clone();
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        return match std::io::stdin().lock().read_to_end(&mut buf) {
            Ok(_) => Box::new(read_bytes("-", &buf, &opts).into_iter()),
            Err(e) => Box::new(std::iter::once(Err(RecordError::new(
                "-",
                format!("cannot read stdin: {e}"),
            )))),
        };
    }
    if path.is_dir() {
        let walker = walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        let it = walker.flat_map(move |entry| -> Vec<Result<Document, RecordError>> {
            match entry {
                Ok(e) if e.file_type().is_file() => read_file(e.path(), &opts),
                Ok(_) => Vec::new(),
                Err(err) => {
                    let origin = err
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    vec![Err(RecordError::new(
                        origin,
                        format!("cannot read directory entry: {err}"),
                    ))]
                }
            }
        });
        return Box::new(it);
    }
    Box::new(read_file(path, &opts).into_iter())
}

fn read_file(path: &Path, opts: &IngestOptions) -> Vec<Result<Document, RecordError>> {
    let origin = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return vec![Err(RecordError::new(
                origin,
                format!("cannot read file: {e}"),
            ))]
        }
    };
    if meta.len() > MAX_FILE_BYTES {
        return vec![Err(RecordError::new(
            origin,
            format!(
                "file too large ({} bytes, limit {MAX_FILE_BYTES})",
                meta.len()
            ),
        ))];
    }
    match std::fs::read(path) {
        Ok(bytes) => read_bytes(&origin, &bytes, opts),
        Err(e) => vec![Err(RecordError::new(
            origin,
            format!("cannot read file: {e}"),
        ))],
    }
}

/// Read records from bytes already in memory; `origin` (e.g. the file path) names
/// them in metadata and errors, and its extension guides format detection.
pub fn read_bytes(
    origin: &str,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Vec<Result<Document, RecordError>> {
    let (bytes, name): (std::borrow::Cow<[u8]>, &str) = match decode::maybe_gunzip(bytes) {
        Ok(Some(inner)) => (inner.into(), origin.strip_suffix(".gz").unwrap_or(origin)),
        Ok(None) => (bytes.into(), origin),
        Err(e) => return vec![Err(RecordError::new(origin, e))],
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return vec![Err(RecordError::new(origin, "empty input"))];
    }
    if decode::looks_binary(&bytes) {
        return vec![Err(RecordError::new(
            origin,
            "binary file, not text, HTML, feed or JSONL",
        ))];
    }
    let format = opts.format.unwrap_or_else(|| detect_format(name, &bytes));
    match format {
        InputFormat::Text => vec![text_doc(origin, &bytes, opts)],
        InputFormat::Html => vec![html_doc(origin, &bytes, opts)],
        InputFormat::Feed => feed::read_feed(origin, &bytes, opts),
        InputFormat::Jsonl => jsonl::read_jsonl(origin, &bytes, opts),
    }
}

/// Guess the format from the file name and the first bytes.
pub fn detect_format(name: &str, bytes: &[u8]) -> InputFormat {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let head_len = bytes.len().min(2048);
    let head = String::from_utf8_lossy(&bytes[..head_len]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let is_feed = || {
        head.contains("<rss")
            || head.contains("<feed")
            || head.contains("<rdf:rdf")
            || head.contains("<channel")
    };
    let is_html = || {
        head.starts_with("<!doctype html")
            || head.contains("<html")
            || head.contains("<head")
            || head.contains("<body")
            || (head.starts_with('<')
                && (head.contains("<p>") || head.contains("<div") || head.contains("<meta")))
    };
    let is_jsonl = || {
        head.starts_with('{') || (head.starts_with('[') && head[1..].trim_start().starts_with('{'))
    };
    match ext.as_str() {
        "html" | "htm" | "xhtml" | "shtml" => return InputFormat::Html,
        "jsonl" | "ndjson" | "json" if is_jsonl() => return InputFormat::Jsonl,
        "rss" | "atom" | "rdf" => return InputFormat::Feed,
        "txt" | "text" if !is_html() && !is_feed() => return InputFormat::Text,
        _ => {}
    }
    if is_jsonl() {
        InputFormat::Jsonl
    } else if head.starts_with('<') && is_feed() && !head.contains("<html") {
        InputFormat::Feed
    } else if is_html() {
        InputFormat::Html
    } else {
        InputFormat::Text
    }
}

/// Everything known about one article before it becomes a Document.
#[derive(Default)]
pub(crate) struct Draft {
    pub id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    /// Publication time with the offset the input gave.
    pub published_local: Option<DateTime<chrono::FixedOffset>>,
    pub source: Option<String>,
    pub language: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub warnings: Vec<String>,
}

/// Clean `body`, put the title first, fill metadata, compute the id.
pub(crate) fn finish(
    origin: &str,
    format: InputFormat,
    body: &str,
    d: Draft,
    opts: &IngestOptions,
) -> Result<Document, RecordError> {
    let body_clean = clean::clean_text(body);
    if body_clean.text.is_empty() {
        return Err(RecordError::new(
            origin,
            "empty article: no text after cleaning",
        ));
    }
    let title = d
        .title
        .as_deref()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
    let title = title.filter(|t| !t.is_empty());
    let cleaned = clean::clean_with_title(&body_clean.text, title.as_deref());
    let mut warnings = d.warnings;
    let published = d.published.or(opts.published);
    if published.is_none() {
        warnings.push("no publication date".to_string());
    }
    let language = d.language.or_else(|| html::detect_language(&cleaned.text));
    let mut extra = d.extra;
    if let Some(local) = d
        .published_local
        .filter(|l| l.offset().local_minus_utc() != 0)
    {
        // Keep the publisher's local time: its calendar date can differ from UTC's.
        extra.insert("published_local".into(), local.to_rfc3339().into());
    }
    let meta = Metadata {
        origin: Some(origin.to_string()),
        url: d.url.clone(),
        title,
        authors: d.authors,
        published,
        source: d.source.or_else(|| opts.source.clone()),
        language,
        format,
        extra,
    };
    let id = chronicle_core::ids::document_id(d.id.as_deref(), d.url.as_deref(), &cleaned.text);
    let mut doc = Document::new(id, meta, cleaned.text);
    doc.paragraphs = cleaned.paragraphs;
    doc.warnings = warnings;
    Ok(doc)
}

fn text_doc(origin: &str, bytes: &[u8], opts: &IngestOptions) -> Result<Document, RecordError> {
    let (text, _) = decode::decode(bytes, false);
    if bad_decoding(&text) {
        return Err(RecordError::new(
            origin,
            "undecodable text (unknown encoding)",
        ));
    }
    let cleaned = clean::clean_text(&text);
    let draft = Draft {
        title: headline_of(&cleaned),
        ..Draft::default()
    };
    finish(origin, InputFormat::Text, &cleaned.text, draft, opts)
}

/// The first paragraph of plain text when it looks like a headline: short, no
/// closing full stop, followed by more text.
fn headline_of(c: &Cleaned) -> Option<String> {
    if c.paragraphs.len() < 2 {
        return None;
    }
    let first = &c.text[c.paragraphs[0].start..c.paragraphs[0].end];
    let words = first.split_whitespace().count();
    (first.chars().count() <= 200
        && (2..=30).contains(&words)
        && !first.ends_with(['.', ':', ',', ';']))
    .then(|| first.to_string())
}

/// Too many replacement or control characters to be real text.
fn bad_decoding(text: &str) -> bool {
    let total = text.chars().count().max(1);
    let bad = text
        .chars()
        .filter(|&c| c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
        .count();
    bad * 10 > total
}

pub(crate) fn article_draft(a: &Article) -> Draft {
    Draft {
        url: a.canonical_url.clone(),
        title: a.title.clone(),
        authors: a.authors.clone(),
        published: a.published,
        published_local: a.published_local,
        source: a.site_name.clone(),
        language: a.language.clone(),
        warnings: a.warnings.clone(),
        ..Draft::default()
    }
}

fn html_doc(origin: &str, bytes: &[u8], opts: &IngestOptions) -> Result<Document, RecordError> {
    let art = extract_html(bytes, origin)?;
    finish(
        origin,
        InputFormat::Html,
        &art.text,
        article_draft(&art),
        opts,
    )
}
