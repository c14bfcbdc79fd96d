//! # chronicle-geo
//!
//! Takes documents (text, optionally sentences, tokens and named entities) and gives
//! resolved place mentions (`doc.places`) and each event mention's location.
//!
//! * [`Gazetteer`] — GeoNames-derived gazetteer (cities500 + countries + admin1/2 +
//!   continents), compiled by the `build-gazetteer` binary into
//!   `data/gazetteer/gazetteer.bin.zst` (columnar arrays + `fst` name index, zstd;
//!   ~8 MB, loads in ~0.1–0.15 s idle, ~30 MB resident). In memory each entry's
//!   numbers sit in one record, and Bloom filters built at load answer most
//!   look-ups of non-names without walking the `fst`. [`Gazetteer::import`] adds
//!   GeoNames-format files at run time.
//! * [`GeoStage`] — toponym detection (entities of kind LOC when an NLP stage ran;
//!   capitalised word sequences from the tokens or, without tokens, from the raw
//!   text; datelines; "Place, Va." abbreviations) and resolution (population,
//!   feature type, document country context incl. demonyms, neighbouring
//!   countries and the publisher's country-code domain ([`publisher_country`]),
//!   admin consistency "Homs, Syria" / "Idlib province" / same county, distance to
//!   the document's other places). Settlement and container cues ("Ankhel town",
//!   "the village of X", "Ruiru (Kiambu)", "Markada in Al-Hasakeh") admit small
//!   places that would otherwise be weak evidence. Demonyms and nationalities are
//!   never places.
//!   A single word of a longer capitalised name (or a common word) resolving into
//!   a country nothing else in the document names is dropped, and a division in a
//!   country without evidence loses its rank prior when the document has evidence
//!   elsewhere ("West Coast", New Zealand, in a Seattle story).
//!   [`GeoStage::resolve_spans`] resolves toponym spans given from outside (gold
//!   annotation, another tagger) with the same ranking and document context; a
//!   span matched only through some of its words or by transliteration, landing in
//!   another country than the document's, falls back to the document's nearest
//!   local place ("Faubourg Marigny" in a New Orleans story is not Marigny, France).
//! * [`EventLocationStage`] — picks where each event mention happened: the most
//!   specific place attached to it (a town inside an attached division wins),
//!   never a street or site name ("Yafa street").
//!
//! Resolution weights ([`Weights`]) were tuned by coordinate search on a fixed split
//! of LGL + GeoWebNews (article index `i % 5 < 3`); `examples/geoparse_eval.rs`
//! reports the other part (end to end and given gold spans);
//! `examples/geo_profile.rs` times the stage (`--nlp`: after tokens and dictionary
//! entities, as in the pipeline); `examples/acled_geo.rs` scores the
//! event location on the ACLED development notes (location / admin1 match, share
//! of gold locations not in the gazetteer).
//!
//! Speed: the geo stages take about 9% of the single-thread pipeline time of
//! `scripts/bench.sh` (geo 50–55 µs, event location 6–7 µs per document on the
//! 2-core development machine, 2026-11-26; were ~80 and ~20). Per document the
//! detection memoises gazetteer look-ups by surface (and a per-thread cache keeps
//! recent `fst` answers across documents), tests overlap with person/organisation
//! spans by binary search, and the ranking computes each candidate entry's
//! context-free facts once for its three passes; what remains is mostly memory
//! traffic (tokens, entry records).

mod countries;
mod detect;
mod gazetteer;
mod location;
mod normalize;
mod resolve;

pub use countries::{demonym_country, demonym_prefix};
pub use detect::{is_dateline, is_org_modifier, local_sentences, publisher_country};
pub use gazetteer::{BuildStats, Gazetteer, Hit, GAZETTEER_FILE};
pub use location::{dominant_country, EventLocationStage};
pub use normalize::{normalize, skeleton};
pub use resolve::{GeoStage, Weights};
