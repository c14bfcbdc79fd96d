//! # chronicle-core
//!
//! The one data model that flows through chronicle, and the seams between stages.
//!
//! * [`Document`] — one article: metadata, the *cleaned* text, and one annotation
//!   layer per stage (sentences, tokens, entities, places, dates, casualties,
//!   quotes, event mentions, events). Every annotation carries a [`Span`]: UTF-8
//!   **byte** offsets into [`Document::text`] (use [`Document::char_span`] for
//!   character offsets).
//! * [`Stage`] — a component that reads the layers earlier stages added and adds its
//!   own. Stages are `Send + Sync` and hold read-only models, so one instance serves
//!   every thread.
//! * [`Event`] — the output record: a deduplicated event with provenance
//!   ([`MentionRef`]) back to every document, sentence and span that reported it.
//!
//! This crate does no I/O and knows nothing about formats or models.
//!
//! ```
//! use chronicle_core::{Document, Metadata, Span};
//! let mut doc = Document::new("d1", Metadata::default(), "Rebels attacked Goma.".to_string());
//! doc.sentences.push(chronicle_core::Sentence { span: Span::new(0, 21), tokens: 0..0 });
//! assert_eq!(doc.slice(Span::new(0, 6)), "Rebels");
//! assert_eq!(doc.sentence_of(7), Some(0));
//! ```

mod actor;
mod document;
mod error;
mod event;
mod facts;
pub mod ids;
mod place;
mod span;
mod stage;
pub mod words;

pub use actor::{Actor, Attribution, Sector};
pub use document::{Document, Entity, EntityKind, InputFormat, Metadata, Sentence, Token};
pub use error::{Error, RecordError, Result};
pub use event::{Event, EventMention, MentionRef, PloverType};
pub use facts::{
    Casualty, CasualtyKind, DateMention, EventDate, Granularity, Qualifier, Quote, QuoteKind,
    Speaker,
};
pub use place::{haversine_km, Place, PlaceMention, Precision};
pub use span::Span;
pub use stage::{Pipeline, Sink, Stage};
