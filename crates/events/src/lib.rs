//! # chronicle-events
//!
//! Event coding: takes a document with sentences, tokens, entities and places and
//! adds [`chronicle_core::EventMention`]s (PLOVER type + mode, CAMEO and ACLED
//! mappings, actors, recipients, flags), and the facts attached to them
//! ([`facts`]: dates, casualty counts, quotes).
//!
//! * [`lexicon`] — the trigger lexicon (`data/verbs`), compiled into a matcher;
//! * [`mapping`] — PLOVER → ACLED / CAMEO (`data/mappings`);
//! * [`acled`] — ACLED type refined by the parties (armed / civilian / mob) and cue words;
//! * [`EventStage`] — the coder itself;
//! * [`AcledActorStage`] — ACLED-style actor names, after the event location is known;
//! * [`facts`] — [`facts::DateStage`], [`facts::CasualtyStage`], [`facts::QuoteStage`],
//!   which run before the coder.

pub mod acled;
mod acled_actors;
mod coder;
pub mod facts;
pub mod lexicon;
pub mod mapping;
mod syntax;

pub use acled_actors::AcledActorStage;
pub use coder::EventStage;
