//! The [`Document`]: text, metadata and every stage's annotation layer.

use crate::actor::Actor;
use crate::{Casualty, DateMention, Event, EventMention, PlaceMention, Quote, Span};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// How the raw input was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    #[default]
    Text,
    Html,
    Feed,
    Jsonl,
}

impl std::str::FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Ok(InputFormat::Text),
            "html" | "htm" => Ok(InputFormat::Html),
            "feed" | "rss" | "atom" | "rdf" | "xml" => Ok(InputFormat::Feed),
            "jsonl" | "ndjson" | "json" => Ok(InputFormat::Jsonl),
            other => Err(format!(
                "unknown input format {other:?} (text|html|feed|jsonl)"
            )),
        }
    }
}

/// What we know about a document besides its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Metadata {
    /// Where it was read from: `path`, `path:line`, `path#item` or a URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Publication time; relative dates ("on Friday") resolve against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
    /// Publisher / outlet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// ISO 639-1 code when detected or given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub format: InputFormat,
    /// Input fields chronicle does not interpret, kept as given.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Metadata {
    /// Publication date, if any.
    pub fn published_date(&self) -> Option<NaiveDate> {
        self.published.map(|d| d.date_naive())
    }
}

/// A sentence: its span and the range of its tokens in [`Document::tokens`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Range<usize>,
}

/// A token with optional linguistic annotations (filled by later nlp models).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Token {
    pub span: Span,
    /// Universal POS tag, when a tagger ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lemma: Option<String>,
    /// Index (into `Document::tokens`) of the syntactic head; `None` for the root or no parse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprel: Option<String>,
}

/// Named-entity class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityKind {
    Per,
    Org,
    Loc,
    Misc,
    /// Nationality / demonym ("Syrian", "Iraqi"): a country reference, not a place.
    Norp,
}

/// A named-entity mention, with its actor coding when the dictionary knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub span: Span,
    pub sentence: usize,
    pub kind: EntityKind,
    /// Surface text as it appears.
    pub text: String,
    /// Actor coding (canonical name, country, sector) when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// Which component found it ("dict", "model", "coref").
    pub source: String,
}

/// One article and all its annotations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub meta: Metadata,
    /// Cleaned text; every span points into it.
    pub text: String,
    /// Hash of the cleaned text (idempotent ingestion).
    pub content_hash: String,
    /// Paragraph spans (blank-line or block separated).
    #[serde(default)]
    pub paragraphs: Vec<Span>,
    #[serde(default)]
    pub sentences: Vec<Sentence>,
    #[serde(default)]
    pub tokens: Vec<Token>,
    #[serde(default)]
    pub entities: Vec<Entity>,
    #[serde(default)]
    pub places: Vec<PlaceMention>,
    #[serde(default)]
    pub dates: Vec<DateMention>,
    #[serde(default)]
    pub casualties: Vec<Casualty>,
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// Event mentions, one per trigger.
    #[serde(default)]
    pub mentions: Vec<EventMention>,
    /// Events after in-document merging.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Non-fatal problems stages noticed (e.g. "no publication date").
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl Document {
    pub fn new(id: impl Into<String>, meta: Metadata, text: String) -> Self {
        let content_hash = crate::ids::content_hash(&text);
        Document {
            id: id.into(),
            meta,
            text,
            content_hash,
            paragraphs: Vec::new(),
            sentences: Vec::new(),
            tokens: Vec::new(),
            entities: Vec::new(),
            places: Vec::new(),
            dates: Vec::new(),
            casualties: Vec::new(),
            quotes: Vec::new(),
            mentions: Vec::new(),
            events: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// Text of token `i`.
    pub fn token_text(&self, i: usize) -> &str {
        self.slice(self.tokens[i].span)
    }

    /// Index of the sentence containing byte offset `pos`.
    pub fn sentence_of(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= pos);
        (i < self.sentences.len() && self.sentences[i].span.start <= pos).then_some(i)
    }

    /// Index of the paragraph containing byte offset `pos`.
    pub fn paragraph_of(&self, pos: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|s| s.end <= pos);
        (i < self.paragraphs.len() && self.paragraphs[i].start <= pos).then_some(i)
    }

    /// Tokens of sentence `i`.
    pub fn sentence_tokens(&self, i: usize) -> &[Token] {
        &self.tokens[self.sentences[i].tokens.clone()]
    }

    /// Character (Unicode scalar) offsets of a byte span.
    pub fn char_span(&self, span: Span) -> (usize, usize) {
        let start = self.text[..span.start].chars().count();
        (
            start,
            start + self.text[span.start..span.end].chars().count(),
        )
    }

    /// Entities inside a span, in order.
    pub fn entities_in(&self, span: Span) -> impl Iterator<Item = &Entity> {
        self.entities.iter().filter(move |e| span.contains(e.span))
    }
}
