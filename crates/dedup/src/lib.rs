//! # chronicle-dedup
//!
//! Turns event *mentions* (one per trigger) into deduplicated *events*, first inside
//! one document, then across documents. No I/O.
//!
//! * [`mention_to_event`] — one [`EventMention`](chronicle_core::EventMention) → a
//!   one-mention [`Event`](chronicle_core::Event) with [`MentionRef`](chronicle_core::MentionRef)
//!   provenance (document, sentence, byte + char span, trigger, sentence text, url,
//!   publication time).
//! * [`compatible`] — may two events be one happening? Same PLOVER type, same
//!   modality (negated / irrealis reports stay apart), dates within
//!   [`MergeConfig::max_days`], places in the same country and nested or within
//!   [`MergeConfig::max_km`], non-conflicting participants. Inside one document the
//!   rules are permissive (a missing place or date, or uncoded participants, do not
//!   block); across documents both must be located and share a participant.
//! * [`merge_into`] — folds one event into another (most precise place and date,
//!   union of participants, flags, quotes and mentions; casualty figures from
//!   different sources are kept apart).
//! * [`InDocMerge`] — the [`Stage`](chronicle_core::Stage) that fills `doc.events`
//!   from `doc.mentions`; every mention ends in exactly one event.
//! * [`CrossDocIndex`] — in-memory clustering of a batch of events from many
//!   documents (the SQLite store does the same incrementally).
//! * [`event_id`] — stable content hash; never a counter.
//!
//! Clustering is greedy against each cluster's merged record, on input sorted by
//! content, so results do not depend on input order.
//!
//! ```
//! use chronicle_core::{Document, EventMention, Metadata, PloverType, Sentence, Span, Stage};
//! use chronicle_dedup::InDocMerge;
//! let text = "Rebels attacked Goma. The attack on Goma killed two.".to_string();
//! let mut doc = Document::new("d1", Metadata::default(), text);
//! doc.sentences = vec![
//!     Sentence { span: Span::new(0, 21), tokens: 0..0 },
//!     Sentence { span: Span::new(22, 52), tokens: 0..0 },
//! ];
//! let mention = |sentence: usize, trigger: Span, span: Span| EventMention {
//!     event_type: PloverType::Assault, mode: None, context: vec![], cameo: None,
//!     acled_event_type: None, acled_sub_event_type: None, sentence, trigger, span,
//!     actors: vec![], recipients: vec![], location: None, date: None,
//!     casualties: vec![], flags: vec![], quotes: vec![], confidence: 0.8,
//! };
//! doc.mentions.push(mention(0, Span::new(7, 15), Span::new(0, 21)));
//! doc.mentions.push(mention(1, Span::new(26, 32), Span::new(22, 52)));
//! InDocMerge::default().process(&mut doc).unwrap();
//! assert_eq!(doc.events.len(), 1);
//! assert_eq!(doc.events[0].mention_count, 2);
//! assert_eq!(doc.events[0].mentions[1].trigger, "attack");
//! ```

mod cluster;
pub mod compat;
mod convert;
mod ids;
pub mod merge;

pub use cluster::{cluster_in_doc, merge_mentions, CrossDocIndex, InDocMerge};
pub use compat::{compatible, compatible_in, MergeConfig, Scope};
pub use convert::{mention_ref, mention_to_event};
pub use ids::{assign_ids, event_id};
pub use merge::merge_into;
