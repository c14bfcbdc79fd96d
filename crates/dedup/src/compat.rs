//! Whether two events may describe the same happening: takes two [`Event`]s and a
//! [`MergeConfig`], gives a yes/no (and a score to pick the best of several
//! candidates). Rules differ inside one document (permissive) and across documents.

use chronicle_core::{Actor, Event, EventDate, Granularity, Place};
use chrono::{Datelike, Days, NaiveDate};

/// Thresholds for merging.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MergeConfig {
    /// Two located events further apart than this (and not containing one another)
    /// are different events.
    pub max_km: f64,
    /// Two dated events more than this many days apart are different events.
    pub max_days: i64,
}

impl Default for MergeConfig {
    fn default() -> Self {
        MergeConfig {
            max_km: 50.0,
            max_days: 1,
        }
    }
}

/// Which rule set applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Both events come from the same single document.
    InDoc,
    /// Events from different documents.
    CrossDoc,
}

/// Normalised comparison key of an actor: canonical name (or surface text when the
/// name is empty), lowercased, punctuation folded, leading "the " dropped.
pub fn actor_key(a: &Actor) -> String {
    let raw = if a.name.trim().is_empty() {
        &a.text
    } else {
        &a.name
    };
    let mut out = String::with_capacity(raw.len());
    for w in raw
        .split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '-' && c != '&'))
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out.strip_prefix("the ").map(str::to_string).unwrap_or(out)
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Two actor records name the same participant: equal keys, or the same country
/// with overlapping sectors (or no sectors on one side: "Israel" vs "Israeli army").
pub fn same_actor(a: &Actor, b: &Actor) -> bool {
    let (ka, kb) = (actor_key(a), actor_key(b));
    if !ka.is_empty() && ka == kb {
        return true;
    }
    match (nonempty(&a.country), nonempty(&b.country)) {
        (Some(ca), Some(cb)) if ca.eq_ignore_ascii_case(cb) => {
            a.sectors.is_empty()
                || b.sectors.is_empty()
                || a.sectors
                    .iter()
                    .any(|s| b.sectors.iter().any(|t| t.eq_ignore_ascii_case(s)))
        }
        _ => false,
    }
}

fn any_match(xs: &[Actor], ys: &[Actor]) -> bool {
    xs.iter().any(|x| ys.iter().any(|y| same_actor(x, y)))
}

/// Every actor on both sides has a known country and no country is shared: the
/// sides are clearly different parties.
fn countries_disjoint(xs: &[Actor], ys: &[Actor]) -> bool {
    let cx: Option<Vec<&str>> = xs.iter().map(|a| nonempty(&a.country)).collect();
    let cy: Option<Vec<&str>> = ys.iter().map(|a| nonempty(&a.country)).collect();
    match (cx, cy) {
        (Some(cx), Some(cy)) => !cx
            .iter()
            .any(|c| cy.iter().any(|d| c.eq_ignore_ascii_case(d))),
        _ => false,
    }
}

/// Actor-side conflict: both sides name participants and none match.
fn side_conflicts(xs: &[Actor], ys: &[Actor], scope: Scope, material: bool) -> bool {
    if xs.is_empty() || ys.is_empty() || any_match(xs, ys) {
        return false;
    }
    match scope {
        Scope::CrossDoc => true,
        // Inside a document, partial descriptions of one attack ("a leader", "the
        // commander", the group vs its leader) often lack coding; only clearly
        // different parties conflict. Verbal events (accuse, request, consult, ...)
        // by different speakers or towards different targets are different events.
        Scope::InDoc => !material || countries_disjoint(xs, ys) || classes_disjoint(xs, ys),
    }
}

/// Coarse party class of an actor from its sectors: armed, civilian or unknown.
fn party_class(a: &Actor) -> Option<bool> {
    let armed = a
        .sectors
        .iter()
        .any(|s| matches!(s.as_str(), "MIL" | "COP" | "REB" | "UAF" | "SPY" | "INS"));
    let civilian = a
        .sectors
        .iter()
        .any(|s| matches!(s.as_str(), "CVL" | "MED" | "REL" | "EDU" | "HLH" | "REF"));
    match (armed, civilian) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Every participant on both sides has a known class (armed / civilian) and the
/// sides share none: "shelled civilians in Goma" vs "attacked an army post in Sake".
fn classes_disjoint(xs: &[Actor], ys: &[Actor]) -> bool {
    let cx: Option<Vec<bool>> = xs.iter().map(party_class).collect();
    let cy: Option<Vec<bool>> = ys.iter().map(party_class).collect();
    match (cx, cy) {
        (Some(cx), Some(cy)) => !cx.iter().any(|c| cy.contains(c)),
        _ => false,
    }
}

/// Actors/recipients compatible under `scope`.
pub fn actors_compatible(a: &Event, b: &Event, scope: Scope) -> bool {
    let material = a.event_type.is_material() && b.event_type.is_material();
    if side_conflicts(&a.actors, &b.actors, scope, material)
        || side_conflicts(&a.recipients, &b.recipients, scope, material)
    {
        return false;
    }
    // Reversed roles ("A attacked B" / "B attacked A") are different events.
    if !a.actors.is_empty()
        && !b.actors.is_empty()
        && any_match(&a.actors, &b.recipients)
        && any_match(&a.recipients, &b.actors)
        && !any_match(&a.actors, &b.actors)
    {
        return false;
    }
    if scope == Scope::CrossDoc {
        let pa = a.actors.iter().chain(&a.recipients);
        let pb: Vec<&Actor> = b.actors.iter().chain(&b.recipients).collect();
        let a_any = !a.actors.is_empty() || !a.recipients.is_empty();
        if a_any && !pb.is_empty() && !pa.into_iter().any(|x| pb.iter().any(|y| same_actor(x, y))) {
            return false;
        }
    }
    true
}

/// Administrative level of a place, coarse to fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlaceLevel {
    Point = 0,
    Admin2 = 1,
    Admin1 = 2,
    Country = 3,
}

/// The administrative level of a GeoNames entry.
pub fn place_level(p: &Place) -> PlaceLevel {
    let code = p.feature_code.to_ascii_uppercase();
    if code.starts_with("PCL") || code == "TERR" {
        PlaceLevel::Country
    } else if code == "ADM1" || code == "ADM1H" {
        PlaceLevel::Admin1
    } else if code.starts_with("ADM") {
        PlaceLevel::Admin2
    } else if code.is_empty() && p.precision >= 3 && p.admin1_code.is_none() {
        PlaceLevel::Country
    } else {
        PlaceLevel::Point
    }
}

fn same_country(a: &Place, b: &Place) -> Option<bool> {
    let (ca, cb) = (a.country.trim(), b.country.trim());
    if ca.is_empty() || cb.is_empty() {
        None
    } else {
        Some(ca.eq_ignore_ascii_case(cb))
    }
}

/// `outer` contains `inner` by the administrative hierarchy (a country contains its
/// towns, a province the towns whose admin1 code matches).
pub fn contains(outer: &Place, inner: &Place) -> bool {
    if same_country(outer, inner) != Some(true) {
        return false;
    }
    let eq = |x: &Option<String>, y: &Option<String>| match (nonempty(x), nonempty(y)) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => false,
    };
    match place_level(outer) {
        PlaceLevel::Country => place_level(inner) < PlaceLevel::Country,
        PlaceLevel::Admin1 => {
            place_level(inner) < PlaceLevel::Admin1 && eq(&outer.admin1_code, &inner.admin1_code)
        }
        PlaceLevel::Admin2 => {
            place_level(inner) < PlaceLevel::Admin2
                && eq(&outer.admin1_code, &inner.admin1_code)
                && eq(&outer.admin2_code, &inner.admin2_code)
        }
        PlaceLevel::Point => false,
    }
}

fn finite(p: &Place) -> bool {
    p.lat.is_finite() && p.lon.is_finite() && !(p.lat == 0.0 && p.lon == 0.0)
}

/// Two resolved places can be the site of one event: same country and (same entry,
/// one containing the other, or within `max_km`).
pub fn places_compatible(a: &Place, b: &Place, max_km: f64) -> bool {
    if a.geonames_id != 0 && a.geonames_id == b.geonames_id {
        return true;
    }
    match same_country(a, b) {
        Some(false) => return false,
        Some(true) if contains(a, b) || contains(b, a) => return true,
        _ => {}
    }
    finite(a) && finite(b) && a.distance_km(b) <= max_km
}

/// Locations compatible under `scope`: both present → [`places_compatible`]; one or
/// both missing → only inside one document.
pub fn locations_compatible(a: &Event, b: &Event, cfg: &MergeConfig, scope: Scope) -> bool {
    // One speaker's statement reported twice in a document: where it was said is
    // rarely stated, so places guessed from the sentences do not keep them apart.
    if scope == Scope::InDoc
        && !a.event_type.is_material()
        && !b.event_type.is_material()
        && !a.actors.is_empty()
        && any_match(&a.actors, &b.actors)
    {
        return true;
    }
    match (&a.location, &b.location) {
        (Some(x), Some(y)) => places_compatible(x, y, cfg.max_km),
        (None, None) => match scope {
            Scope::InDoc => true,
            // Two unlocated reports from different documents: only when both the
            // actor and the recipient sides match and both are dated.
            Scope::CrossDoc => {
                a.date.is_some()
                    && b.date.is_some()
                    && any_match(&a.actors, &b.actors)
                    && any_match(&a.recipients, &b.recipients)
            }
        },
        _ => scope == Scope::InDoc,
    }
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// First and last day a date covers (months and years expanded when no end is given).
pub fn date_bounds(d: &EventDate) -> (NaiveDate, NaiveDate) {
    let (v, end) = match d.end {
        Some(e) if e >= d.value => (d.value, e),
        Some(e) => (e, d.value),
        None => {
            let v = d.value;
            let e = match d.granularity {
                Granularity::Day | Granularity::Range => v,
                Granularity::Week => v.checked_add_days(Days::new(6)).unwrap_or(v),
                Granularity::Month => last_of_month(v),
                Granularity::Year => NaiveDate::from_ymd_opt(v.year(), 12, 31).unwrap_or(v),
            };
            (v, e)
        }
    };
    (v, end)
}

/// `d` with its implicit extent made explicit (so [`EventDate::gap_days`] sees it).
pub fn expanded(d: &EventDate) -> EventDate {
    let (value, end) = date_bounds(d);
    EventDate {
        value,
        end: Some(end),
        granularity: d.granularity,
        relative: d.relative,
    }
}

/// Dates compatible: both present → within `max_days` (gap between their extents);
/// one missing → compatible.
pub fn dates_compatible(a: &Option<EventDate>, b: &Option<EventDate>, max_days: i64) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => expanded(x).gap_days(&expanded(y)) <= max_days,
        _ => true,
    }
}

const IRREALIS: [&str; 4] = ["future", "intent", "threat", "hypothetical"];

/// Negated or not-yet-real reports do not merge with factual ones.
pub fn modality_compatible(a: &Event, b: &Event) -> bool {
    let has = |e: &Event, f: &str| e.flags.iter().any(|x| x.eq_ignore_ascii_case(f));
    let irrealis = |e: &Event| IRREALIS.iter().any(|f| has(e, f));
    has(a, "negated") == has(b, "negated") && irrealis(a) == irrealis(b)
}

/// Scope of a pair: `Some(InDoc)` when both come from exactly the same single
/// document, `Some(CrossDoc)` when their documents are disjoint, `None` when they
/// share a document but are otherwise from different ones (in-document merging
/// already kept them apart, so they stay apart).
pub fn scope_of(a: &Event, b: &Event) -> Option<Scope> {
    if a.doc_ids.len() == 1 && b.doc_ids.len() == 1 && a.doc_ids[0] == b.doc_ids[0] {
        return Some(Scope::InDoc);
    }
    if a.doc_ids.iter().any(|d| b.doc_ids.contains(d)) {
        None
    } else {
        Some(Scope::CrossDoc)
    }
}

/// Across documents, two events whose ACLED sub-event types are both known and
/// differ ("Air/drone strike" vs "Shelling/artillery/missile attack") are different
/// events; inside one document partial descriptions of one attack often get
/// different sub-types, so the rule does not apply there.
pub fn subtypes_compatible(a: &Event, b: &Event, scope: Scope) -> bool {
    if scope == Scope::InDoc {
        return true;
    }
    match (
        nonempty(&a.acled_sub_event_type),
        nonempty(&b.acled_sub_event_type),
    ) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => true,
    }
}

/// Compatibility under an explicit scope.
pub fn compatible_in(a: &Event, b: &Event, cfg: &MergeConfig, scope: Scope) -> bool {
    a.event_type == b.event_type
        && modality_compatible(a, b)
        && subtypes_compatible(a, b, scope)
        && dates_compatible(&a.date, &b.date, cfg.max_days)
        && locations_compatible(a, b, cfg, scope)
        && actors_compatible(a, b, scope)
}

/// May `a` and `b` be merged? Same PLOVER type, compatible modality, dates, places
/// and actors. The scope is inferred from their document ids (see [`scope_of`]).
pub fn compatible(a: &Event, b: &Event, cfg: &MergeConfig) -> bool {
    match scope_of(a, b) {
        Some(scope) => compatible_in(a, b, cfg, scope),
        None => false,
    }
}

/// Preference among compatible candidates (higher is better): shared participants,
/// same place, closeness, same date.
pub fn affinity(a: &Event, b: &Event) -> f64 {
    let mut s = 0.0;
    let pa: Vec<&Actor> = a.actors.iter().chain(&a.recipients).collect();
    for y in b.actors.iter().chain(&b.recipients) {
        if pa.iter().any(|x| same_actor(x, y)) {
            s += 3.0;
        }
    }
    match (&a.location, &b.location) {
        (Some(x), Some(y)) => {
            if x.geonames_id == y.geonames_id {
                s += 2.0;
            } else if finite(x) && finite(y) {
                s += 1.0 / (1.0 + x.distance_km(y));
            }
        }
        (None, None) => {}
        _ => s -= 0.5,
    }
    if let (Some(x), Some(y)) = (&a.date, &b.date) {
        if expanded(x).gap_days(&expanded(y)) == 0 {
            s += 1.0;
        }
    }
    s
}
