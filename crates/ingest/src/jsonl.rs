//! JSON Lines input: one article object per line.
//!
//! Takes JSONL bytes and gives one document (or one [`RecordError`] naming
//! `path:LINE` and the reason) per non-blank line. Known fields: `id`, `url`,
//! `title`, `text` or `html` (HTML goes through the HTML extractor), `published`
//! (RFC 3339, `YYYY-MM-DD` or other common formats), `source`, `author(s)`,
//! `language`/`lang`; every other field is kept in `meta.extra`. A file holding
//! one JSON array of such objects is read too (records named `path#N`).

use crate::{article_draft, date::parse_date_local, decode, finish, html, Draft, IngestOptions};
use chronicle_core::{Document, InputFormat, RecordError};
use serde_json::Value;

pub(crate) fn read_jsonl(
    origin: &str,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Vec<Result<Document, RecordError>> {
    let (text, _) = decode::decode(bytes, false);
    // A single JSON array of article objects (a `.json` export): items are
    // named `path#N`.
    if text.trim_start().starts_with('[') {
        return match serde_json::from_str::<Vec<Value>>(text.trim()) {
            Ok(items) if items.is_empty() => {
                vec![Err(RecordError::new(origin, "empty JSON array"))]
            }
            Ok(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| read_value(&format!("{origin}#{}", i + 1), v, opts))
                .collect(),
            Err(e) => vec![Err(RecordError::new(
                origin,
                format!("invalid JSON array: {e}"),
            ))],
        };
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let rec_origin = format!("{origin}:{}", i + 1);
        out.push(read_line(&rec_origin, line, opts));
    }
    if out.is_empty() {
        out.push(Err(RecordError::new(origin, "empty JSONL input")));
    }
    out
}

fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn read_line(origin: &str, line: &str, opts: &IngestOptions) -> Result<Document, RecordError> {
    let v: Value = serde_json::from_str(line)
        .map_err(|e| RecordError::new(origin, format!("invalid JSON: {e}")))?;
    read_value(origin, v, opts)
}

fn read_value(origin: &str, v: Value, opts: &IngestOptions) -> Result<Document, RecordError> {
    let Value::Object(mut obj) = v else {
        return Err(RecordError::new(origin, "JSON record is not an object"));
    };
    let mut d = Draft {
        id: obj.remove("id").as_ref().and_then(as_string),
        url: obj.remove("url").as_ref().and_then(as_string),
        title: obj.remove("title").as_ref().and_then(as_string),
        source: obj.remove("source").as_ref().and_then(as_string),
        ..Draft::default()
    };
    for key in ["authors", "author"] {
        match obj.remove(key) {
            Some(Value::String(s)) => d.authors.extend(
                s.split([',', ';'])
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty()),
            ),
            Some(Value::Array(a)) => d.authors.extend(a.iter().filter_map(as_string)),
            Some(other) => {
                obj.insert(key.to_string(), other);
            }
            None => {}
        }
    }
    for key in ["language", "lang"] {
        if let Some(l) = obj.remove(key).as_ref().and_then(as_string) {
            d.language.get_or_insert(l.to_ascii_lowercase());
        }
    }
    if let Some(p) = obj.remove("published") {
        match as_string(&p).and_then(|s| parse_date_local(&s)) {
            Some(dt) => {
                d.published = Some(dt.with_timezone(&chrono::Utc));
                d.published_local = Some(dt);
            }
            None => {
                d.warnings.push(format!("unparsed published date {p}"));
                obj.insert("published".into(), p);
            }
        }
    }
    let text = obj.remove("text");
    let html_field = obj.remove("html");
    let body = match (
        text.as_ref().and_then(as_string),
        html_field.as_ref().and_then(as_string),
    ) {
        (Some(t), _) => t,
        (None, Some(h)) => {
            let art = html::extract_html_str(&h, origin)?;
            let ad = article_draft(&art);
            d.url = d.url.or(ad.url);
            d.title = d.title.or(ad.title);
            if d.authors.is_empty() {
                d.authors = ad.authors;
            }
            if d.published.is_none() {
                d.published = ad.published;
                d.published_local = ad.published_local;
            }
            d.source = d.source.or(ad.source);
            d.language = d.language.or(ad.language);
            d.warnings.extend(ad.warnings);
            art.text
        }
        (None, None) => return Err(RecordError::new(origin, "no \"text\" or \"html\" content")),
    };
    d.extra = obj;
    finish(origin, InputFormat::Jsonl, &body, d, opts)
}
