//! # chronicle-events
//!
//! Event coding: takes a document with sentences, tokens, entities and places and
//! adds [`chronicle_core::EventMention`]s (PLOVER type + mode, CAMEO and ACLED
//! mappings, actors, recipients, flags), and the facts attached to them
//! ([`facts`]: dates, casualty counts, quotes).

pub mod facts;
