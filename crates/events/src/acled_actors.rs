//! ACLED-style actor names, a mapping like the ACLED event types.
//!
//! Takes a document whose mentions have actors, recipients, an ACLED event type
//! and (after the event-location stage) a location; sets `Actor.acled` on every
//! party following ACLED's public naming conventions:
//! * state forces: "Military Forces of Kenya", "Police Forces of Kenya";
//! * governments: "Government of Kenya";
//! * unnamed groups, with the country of the actor or else of the event:
//!   "Protesters (Kenya)" ("Rioters (Kenya)" in a riot), "Civilians (Kenya)",
//!   "Unidentified Armed Group (Kenya)";
//! * named actors (organisations, people) keep their canonical name.
//!
//! Country names come from `data/countries/countries.tsv`; the generic role
//! labels ("military", "civilians", …) that mark an unnamed actor from
//! `data/actors/roles.tsv`.

use chronicle_core::{Actor, Document, Error, Result, Stage};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Sets `Actor.acled` on the parties of every mention.
pub struct AcledActorStage {
    /// ISO3 → English short name.
    countries: HashMap<String, String>,
    /// Generic role labels ("military", "armed groups") from the role dictionary.
    labels: HashSet<String>,
}

impl AcledActorStage {
    pub fn new(countries: HashMap<String, String>, labels: HashSet<String>) -> Self {
        AcledActorStage { countries, labels }
    }

    /// Reads `countries/countries.tsv` and the label column of `actors/roles.tsv`.
    pub fn load(data_dir: &Path) -> Result<Self> {
        let read = |rel: &str| {
            let p = data_dir.join(rel);
            std::fs::read_to_string(&p).map_err(|e| Error::Data(format!("{}: {e}", p.display())))
        };
        let mut countries = HashMap::new();
        for line in read("countries/countries.tsv")?.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if line.starts_with('#') || cols.len() < 3 {
                continue;
            }
            countries.insert(cols[1].to_string(), cols[2].to_string());
        }
        let mut labels = HashSet::new();
        for line in read("actors/roles.tsv")?.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if line.starts_with('#') || cols.len() < 4 || cols[1] == "class" {
                continue;
            }
            if !cols[3].is_empty() {
                labels.insert(cols[3].to_lowercase());
            }
        }
        Ok(AcledActorStage::new(countries, labels))
    }

    fn country_name(&self, iso3: Option<&str>) -> Option<&str> {
        iso3.and_then(|c| self.countries.get(c)).map(String::as_str)
    }

    /// The role label an unnamed actor was named after ("Kenya military" →
    /// "military"), or `None` for a named actor.
    fn generic_label<'a>(&self, a: &'a Actor) -> Option<&'a str> {
        let name = a.name.as_str();
        let lower = name.to_lowercase();
        if self.labels.contains(&lower) {
            return Some(name);
        }
        let country = self.country_name(a.country.as_deref())?;
        let rest = name.strip_prefix(country)?.trim_start();
        self.labels.contains(&rest.to_lowercase()).then_some(rest)
    }

    /// ACLED-style name of `a` in an event located in `event_country`; `crowd` is
    /// `Some("Protesters")` or `Some("Rioters")` for the acting side of a protest
    /// or riot, whose unnamed civilian groups ACLED names by that role.
    pub fn name(&self, a: &Actor, event_country: Option<&str>, crowd: Option<&str>) -> String {
        let Some(label) = self.generic_label(a) else {
            return a.name.clone();
        };
        let own = self.country_name(a.country.as_deref());
        let place = own.or_else(|| self.country_name(event_country));
        let has = |s: &str| a.sectors.iter().any(|x| x == s);
        let label = label.to_lowercase();
        let state = |kind: &str| match own {
            Some(c) => format!("{kind} of {c}"),
            None => match place {
                Some(c) => format!("{kind} of {c}"),
                None => kind.to_string(),
            },
        };
        let group = |kind: &str| match place {
            Some(c) => format!("{kind} ({c})"),
            None => kind.to_string(),
        };
        let armed = ["COP", "MIL", "GOV", "LEG", "JUD", "UAF", "REB"]
            .iter()
            .any(|s| has(s));
        if let (Some(role), false) = (crowd, armed) {
            return group(role);
        }
        if label == "protesters" || (has("OPP") && has("CVL")) {
            return group("Protesters");
        }
        if has("COP") && !has("MIL") {
            return state("Police Forces");
        }
        if has("MIL") || label == "security forces" {
            return state("Military Forces");
        }
        if has("GOV") || has("LEG") || has("JUD") {
            return state("Government");
        }
        if has("UAF") || has("REB") {
            return group("Unidentified Armed Group");
        }
        group("Civilians")
    }
}

impl Stage for AcledActorStage {
    fn name(&self) -> &'static str {
        "acled-actors"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        for m in &mut doc.mentions {
            let country = m.location.as_ref().map(|p| p.country.clone());
            let crowd = match m.acled_event_type.as_deref() {
                Some("Riots") => Some("Rioters"),
                Some("Protests") => Some("Protesters"),
                _ => None,
            };
            for a in &mut m.actors {
                a.acled = Some(self.name(a, country.as_deref(), crowd));
            }
            for a in &mut m.recipients {
                a.acled = Some(self.name(a, country.as_deref(), None));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage() -> AcledActorStage {
        let countries = [("KEN", "Kenya"), ("SYR", "Syria")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let labels = [
            "military",
            "police",
            "civilians",
            "protesters",
            "armed groups",
            "government",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        AcledActorStage::new(countries, labels)
    }

    fn actor(name: &str, country: Option<&str>, sectors: &[&str]) -> Actor {
        Actor {
            name: name.into(),
            country: country.map(Into::into),
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
            ..Actor::default()
        }
    }

    #[test]
    fn acled_conventions() {
        let s = stage();
        let n = |a: &Actor, c: Option<&str>| s.name(a, c, None);
        assert_eq!(
            n(&actor("Kenya military", Some("KEN"), &["MIL"]), None),
            "Military Forces of Kenya"
        );
        assert_eq!(
            n(&actor("Kenya police", Some("KEN"), &["COP"]), None),
            "Police Forces of Kenya"
        );
        // unnamed groups take the event's country when they have none
        assert_eq!(
            n(&actor("civilians", None, &["CVL"]), Some("SYR")),
            "Civilians (Syria)"
        );
        assert_eq!(
            n(&actor("protesters", None, &["CVL", "OPP"]), Some("KEN")),
            "Protesters (Kenya)"
        );
        assert_eq!(
            s.name(
                &actor("protesters", None, &["CVL", "OPP"]),
                Some("KEN"),
                Some("Rioters")
            ),
            "Rioters (Kenya)"
        );
        // journalists demonstrating are protesters; police at a protest stay police
        assert_eq!(
            s.name(
                &actor("civilians", None, &["CVL"]),
                Some("KEN"),
                Some("Protesters")
            ),
            "Protesters (Kenya)"
        );
        assert_eq!(
            s.name(
                &actor("police", None, &["COP"]),
                Some("KEN"),
                Some("Protesters")
            ),
            "Police Forces of Kenya"
        );
        assert_eq!(
            n(&actor("armed groups", None, &["UAF"]), Some("KEN")),
            "Unidentified Armed Group (Kenya)"
        );
        assert_eq!(
            n(&actor("Syria government", Some("SYR"), &["GOV"]), None),
            "Government of Syria"
        );
        // named actors keep their names
        assert_eq!(
            n(&actor("Al-Shabaab", Some("SOM"), &["REB"]), Some("KEN")),
            "Al-Shabaab"
        );
        assert_eq!(n(&actor("Kenya", Some("KEN"), &[]), None), "Kenya");
    }
}
