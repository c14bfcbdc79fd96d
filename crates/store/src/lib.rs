//! # chronicle-store
//!
//! The default event sink: an embedded SQLite database (WAL mode, versioned schema
//! with migrations) that merges each new document's events with stored events by
//! the cross-document rules of `chronicle-dedup`, plus JSONL/CSV/GeoJSON exports.
//!
//! * [`Store`] — `add_document` (idempotent per id + content hash, one transaction
//!   per document), `add_events` (bare events, e.g. as a [`chronicle_core::Sink`]),
//!   `query`, counts, and a `seen` key set for the feed watcher.
//! * [`Query`] — filter by PLOVER type, location country, date window, actor.
//! * [`export`] — `write_jsonl`, `write_csv`, `write_geojson`, and [`export::JsonlSink`].
//!
//! Stored event ids are stable once assigned: a merge never renames a stored event
//! (see [`Store`]'s module docs). The store does not annotate text; documents arrive
//! with their in-document events (or mentions, which it merges first).
//!
//! ```
//! use chronicle_core::{Document, Metadata};
//! use chronicle_store::{Query, Store};
//! let mut store = Store::open_in_memory().unwrap();
//! let doc = Document::new("d1", Metadata::default(), "Nothing happened.".to_string());
//! assert!(store.add_document(&doc).unwrap().new_document);
//! assert!(!store.add_document(&doc).unwrap().new_document); // idempotent
//! assert_eq!(store.count_documents().unwrap(), 1);
//! assert!(store.query(&Query::default()).unwrap().is_empty());
//! ```

mod db;
pub mod export;
pub mod schema;

pub use db::{AddOutcome, Query, Store};
pub use export::JsonlSink;
