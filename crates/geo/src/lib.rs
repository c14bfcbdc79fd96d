//! # chronicle-geo
//!
//! Takes documents (text, optionally tokens and named entities) and gives resolved
//! place mentions (`doc.places`) and each event mention's location.
//!
//! * [`Gazetteer`] — GeoNames-derived gazetteer (cities500 + countries + admin1/2),
//!   compiled by `build-gazetteer` into `data/gazetteer/gazetteer.bin.zst`.
//! * [`GeoStage`] — toponym detection (entities of kind LOC, capitalised word
//!   sequences, datelines) and resolution (population, feature type, document
//!   country context, admin consistency, distance to other places).
//! * [`EventLocationStage`] — picks the place where each event mention happened.

mod countries;
mod gazetteer;
mod normalize;

pub use countries::{demonym_country, demonym_prefix};
pub use gazetteer::{BuildStats, Gazetteer, Hit, GAZETTEER_FILE};
pub use normalize::normalize;
mod detect;
mod location;
mod resolve;

pub use detect::{is_dateline, local_sentences};
pub use location::EventLocationStage;
pub use resolve::{GeoStage, Weights};
