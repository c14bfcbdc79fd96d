//! # chronicle-nlp
//!
//! Sentences, tokens and dictionary-based named entities with actor coding.
//!
//! * [`Tokenizer`] — a [`Stage`](chronicle_core::Stage) that fills `doc.sentences`
//!   and `doc.tokens` (UTF-8 byte spans). Paragraphs are hard sentence boundaries.
//! * [`Dictionaries`] — countries (names, short names, demonyms, capitals as
//!   government metonyms), actors (organisations, armed groups, persons, bodies) and
//!   role words, loaded from `data/countries` and `data/actors`.
//! * [`EntityStage`] — a stage that fills `doc.entities` (PER/ORG/LOC/NORP/MISC),
//!   each with an [`Actor`](chronicle_core::Actor) coding (canonical name, ISO3
//!   country, sectors) when known. It reads the tokenizer's layers and does not
//!   re-tokenize them.
//! * [`DepParser`] — a greedy arc-eager dependency parser (UD relations such as
//!   `nsubj`, `obj`, `obl`, `nsubj:pass`, `aux:pass`), loaded from
//!   `data/models/parser-ewt.bin`; as a stage named `"parse"` it fills
//!   `Token.head`/`Token.deprel` and needs the [`PosTagger`]'s `Token.pos`.
//!
//! Run the tokenizer before the entity stage:
//!
//! ```
//! use chronicle_core::{Document, Metadata, Stage};
//! use chronicle_nlp::{Dictionaries, EntityStage, Tokenizer};
//! use std::sync::Arc;
//! let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
//! let dict = Arc::new(Dictionaries::load(&data).unwrap());
//! let mut doc = Document::new("d1", Metadata::default(), "Syrian troops shelled Idlib.".into());
//! Tokenizer.process(&mut doc).unwrap();
//! EntityStage::new(dict).process(&mut doc).unwrap();
//! let a = doc.entities[0].actor.as_ref().unwrap();
//! assert_eq!((a.name.as_str(), a.country.as_deref()), ("Syria military", Some("SYR")));
//! assert_eq!(a.sectors, vec!["MIL"]);
//! ```

mod dict;
mod entity;
mod model_entities;
pub mod parser;
pub mod tagger;
mod tokenize;

pub use dict::Dictionaries;
pub use entity::EntityStage;
pub use model_entities::ModelEntityStage;
pub use parser::DepParser;
pub use tagger::{NerModel, PosTagger};
pub use tokenize::Tokenizer;
