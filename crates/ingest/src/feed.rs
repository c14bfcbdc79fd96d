//! RSS / Atom / RDF feeds via `feed-rs`.
//!
//! Takes feed bytes and gives one document per item (`origin` = `path#N`, N from
//! 1): title, link, published (else updated), authors, and the item's content or
//! else its summary; HTML content goes through the HTML extractor.

use crate::{article_draft, finish, html, Draft, IngestOptions};
use chronicle_core::{Document, InputFormat, RecordError};

pub(crate) fn read_feed(
    origin: &str,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Vec<Result<Document, RecordError>> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(f) => f,
        Err(e) => return vec![Err(RecordError::new(origin, format!("invalid feed: {e}")))],
    };
    let feed_title = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let feed_lang = feed.language.clone();
    if feed.entries.is_empty() {
        return vec![Err(RecordError::new(origin, "feed has no items"))];
    }
    feed.entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let rec = format!("{origin}#{}", i + 1);
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().map(|r| r == "alternate").unwrap_or(true))
                .or(e.links.first())
                .map(|l| l.href.trim().to_string())
                .filter(|h| !h.is_empty());
            let mut d = Draft {
                id: None,
                url: link.clone(),
                title: e.title.as_ref().map(|t| html_to_plain(&t.content)),
                authors: e
                    .authors
                    .iter()
                    .filter_map(|p| p.name.clone())
                    .filter(|n| !n.trim().is_empty())
                    .collect(),
                published: e.published.or(e.updated),
                source: feed_title.clone(),
                language: e.language.clone().or_else(|| feed_lang.clone()).map(|l| {
                    l.chars()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .collect::<String>()
                        .to_ascii_lowercase()
                }),
                ..Draft::default()
            };
            if d.url.is_none() && !e.id.trim().is_empty() {
                d.id = Some(e.id.trim().to_string());
            }
            if !e.id.trim().is_empty() {
                d.extra.insert("feed_item_id".into(), e.id.trim().into());
            }
            let body = e
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .filter(|b| !b.trim().is_empty())
                .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
                .unwrap_or_default();
            let body = if looks_like_html(&body) {
                match html::extract_html_str(&body, &rec) {
                    Ok(a) => {
                        let ad = article_draft(&a);
                        if d.authors.is_empty() {
                            d.authors = ad.authors;
                        }
                        // Feed content is already the article: keep it whole when the
                        // extractor's selection lost most of it.
                        let plain = html_to_plain(&body);
                        if a.text.len() * 2 < plain.len() {
                            plain
                        } else {
                            a.text
                        }
                    }
                    Err(_) => html_to_plain(&body),
                }
            } else {
                body
            };
            if body.trim().is_empty() && d.title.is_none() {
                return Err(RecordError::new(
                    rec,
                    "empty feed item: no title or content",
                ));
            }
            // A feed item with only a title is still news (headline-only items).
            finish(
                &rec,
                InputFormat::Feed,
                if body.trim().is_empty() {
                    d.title.clone().unwrap_or_default()
                } else {
                    body
                }
                .as_str(),
                d,
                opts,
            )
        })
        .collect()
}

fn looks_like_html(s: &str) -> bool {
    s.contains('<')
        && (s.contains("</") || s.contains("/>") || s.contains("<br") || s.contains("<p"))
}

/// All text of an HTML snippet (no main-text selection).
fn html_to_plain(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.trim().to_string();
    }
    let frag = scraper::Html::parse_fragment(s);
    frag.root_element()
        .text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
