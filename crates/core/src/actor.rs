//! Actors: who did what to whom.

use serde::{Deserialize, Serialize};

/// PLOVER / CAMEO-style actor sector codes.
pub type Sector = String;

/// How sure the text is that this actor did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Attribution {
    /// Stated as fact.
    #[default]
    Stated,
    /// Blamed / accused / suspected / claimed by others ("widely blamed on Israel").
    Alleged,
    /// Responsibility claimed by the actor itself.
    Claimed,
}

/// A coded actor: canonical name, country (ISO 3166 alpha-3) and sector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Actor {
    /// Canonical name ("Kataib Hezbollah", "United States").
    pub name: String,
    /// ISO 3166-1 alpha-3 country code of affiliation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Sector codes: GOV, MIL, REB, CVL, OPP, PTY, POL, IGO, NGO, MED, JUD, BUS, UAF, SPY, ...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<Sector>,
    /// Surface text it was found as ("Washington", "he").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub attribution: Attribution,
    /// The actor under ACLED's naming conventions ("Military Forces of Kenya",
    /// "Protesters (Kenya)", a named group's own name), set once the event's
    /// country is known; a mapping like the CAMEO and ACLED event codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acled: Option<String>,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

impl Actor {
    /// Key used to compare actors across mentions (canonical name, lowercased).
    pub fn key(&self) -> String {
        self.name.to_lowercase()
    }
}
