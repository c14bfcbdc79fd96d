//! Folding one [`Event`] into another: takes two events judged to be the same
//! happening and gives one record keeping the most precise facts, every participant,
//! every mention and every distinct casualty report.

use crate::compat::{actor_key, date_bounds, place_level};
use chronicle_core::{Actor, Casualty, Event, EventDate, Place, Qualifier, Quote};

/// How much coding an actor record carries.
fn actor_info(a: &Actor) -> usize {
    usize::from(a.country.as_deref().is_some_and(|c| !c.trim().is_empty())) * 2
        + usize::from(!a.sectors.is_empty())
}

fn add_actor(list: &mut Vec<Actor>, a: Actor) {
    let key = actor_key(&a);
    if let Some(pos) = list.iter().position(|x| actor_key(x) == key) {
        let cur = &mut list[pos];
        if actor_info(&a) > actor_info(cur) {
            let mut a = a;
            for s in &cur.sectors {
                if !a.sectors.contains(s) {
                    a.sectors.push(s.clone());
                }
            }
            *cur = a;
        } else {
            for s in a.sectors {
                if !cur.sectors.contains(&s) {
                    cur.sectors.push(s);
                }
            }
        }
    } else {
        list.push(a);
    }
}

/// Actors with duplicates (same [`actor_key`]) folded, keeping the best-coded record.
pub fn dedup_actors(actors: Vec<Actor>) -> Vec<Actor> {
    let mut out = Vec::with_capacity(actors.len());
    for a in actors {
        add_actor(&mut out, a);
    }
    out
}

/// Rank of a place, lower = more precise: precision, then administrative level.
fn place_rank(p: &Place) -> (u8, u8) {
    (p.precision, place_level(p) as u8)
}

fn push_place(places: &mut Vec<Place>, p: Place, loc: Option<&Place>) {
    if loc.is_some_and(|l| l.geonames_id == p.geonames_id && l.name == p.name) {
        return;
    }
    if !places
        .iter()
        .any(|x| x.geonames_id == p.geonames_id && x.name == p.name)
    {
        places.push(p);
    }
}

/// Rank of a date, lower = more precise: days covered, then relative after absolute.
fn date_rank(d: &EventDate) -> (i64, bool) {
    let (a, b) = date_bounds(d);
    ((b - a).num_days(), d.relative)
}

fn qualifier_rank(q: Qualifier) -> u8 {
    match q {
        Qualifier::Exact => 0,
        Qualifier::AtLeast | Qualifier::MoreThan | Qualifier::About | Qualifier::AtMost => 1,
        Qualifier::Vague => 2,
    }
}

fn source_key(c: &Casualty) -> String {
    c.source.as_deref().unwrap_or("").trim().to_lowercase()
}

fn same_figure(a: &Casualty, b: &Casualty) -> bool {
    a.kind == b.kind && a.min == b.min && a.max == b.max && a.qualifier == b.qualifier
}

/// Adds one casualty report: an exact duplicate (same figure, qualifier and source)
/// is dropped; the same figure from another source adds that source to the entry
/// ("A; B"); from the same source a more precise figure replaces vaguer ones and a
/// vaguer one is dropped; different figures from different sources are all kept.
fn add_casualty(list: &mut Vec<Casualty>, c: Casualty) {
    let src = source_key(&c);
    let rank = qualifier_rank(c.qualifier);
    let same_src = |x: &Casualty| x.kind == c.kind && source_key(x) == src;
    if list.iter().any(|x| same_src(x) && same_figure(x, &c)) {
        return;
    }
    // the same figure from another source corroborates it: one entry, both sources
    if let Some(x) = list.iter_mut().find(|x| same_figure(x, &c)) {
        if let Some(new) = c.source.as_deref().filter(|s| !s.trim().is_empty()) {
            let known = x.source.as_deref().unwrap_or("");
            if !known.split("; ").any(|k| k.eq_ignore_ascii_case(new)) {
                x.source = Some(if known.is_empty() {
                    new.to_string()
                } else {
                    format!("{known}; {new}")
                });
            }
        }
        return;
    }
    if list
        .iter()
        .any(|x| same_src(x) && qualifier_rank(x.qualifier) < rank)
    {
        return;
    }
    list.retain(|x| !(same_src(x) && qualifier_rank(x.qualifier) > rank));
    list.push(c);
}

/// Casualty reports with duplicates and superseded vague figures removed.
pub fn dedup_casualties(cs: Vec<Casualty>) -> Vec<Casualty> {
    let mut out = Vec::with_capacity(cs.len());
    for c in cs {
        add_casualty(&mut out, c);
    }
    out
}

fn same_quote(a: &Quote, b: &Quote) -> bool {
    a.text == b.text
        && a.speaker.as_ref().map(|s| s.name.as_str())
            == b.speaker.as_ref().map(|s| s.name.as_str())
}

fn union_strings(into: &mut Vec<String>, from: Vec<String>) {
    for s in from {
        if !into.contains(&s) {
            into.push(s);
        }
    }
}

/// Folds `other` into `target`. Keeps `target.id` (callers recompute it with
/// [`crate::event_id`] or keep a stored id).
///
/// * actors/recipients: union by [`actor_key`], preferring records with country/sectors;
/// * location: the most precise (lower precision number; a town beats the country or
///   province containing it); the other goes to `places`;
/// * date: the most precise (fewest days covered; absolute before relative);
/// * mode/cameo/ACLED types: the target's, else the other's; context, flags, quotes:
///   union;
/// * killed/wounded: see [`dedup_casualties`] — different figures from different
///   sources stay apart;
/// * mentions: union without identical duplicates; `mention_count` = mentions kept;
///   `doc_ids`: sorted union; confidence: max.
pub fn merge_into(target: &mut Event, other: Event) {
    let Event {
        id: _,
        event_type: _,
        mode,
        context,
        cameo,
        acled_event_type,
        acled_sub_event_type,
        actors,
        recipients,
        location,
        places,
        date,
        killed,
        wounded,
        flags,
        quotes,
        mentions,
        mention_count: _,
        doc_ids,
        confidence,
    } = other;
    if target.mode.is_none() {
        target.mode = mode;
    }
    if target.cameo.is_none() {
        target.cameo = cameo;
    }
    if target.acled_event_type.is_none() {
        target.acled_event_type = acled_event_type;
    }
    if target.acled_sub_event_type.is_none() {
        target.acled_sub_event_type = acled_sub_event_type;
    }
    union_strings(&mut target.context, context);
    for a in actors {
        add_actor(&mut target.actors, a);
    }
    for a in recipients {
        add_actor(&mut target.recipients, a);
    }
    // Location: keep the most precise, remember the other.
    match (target.location.take(), location) {
        (Some(t), Some(o)) => {
            let (keep, drop) = if place_rank(&o) < place_rank(&t) {
                (o, t)
            } else {
                (t, o)
            };
            push_place(&mut target.places, drop, Some(&keep));
            target.location = Some(keep);
        }
        (t, o) => target.location = t.or(o),
    }
    for p in places {
        let loc = target.location.clone();
        push_place(&mut target.places, p, loc.as_ref());
    }
    if let Some(loc) = target.location.clone() {
        target
            .places
            .retain(|p| !(p.geonames_id == loc.geonames_id && p.name == loc.name));
    }
    target.date = match (target.date.take(), date) {
        (Some(t), Some(o)) => Some(if date_rank(&o) < date_rank(&t) { o } else { t }),
        (t, o) => t.or(o),
    };
    for c in killed {
        add_casualty(&mut target.killed, c);
    }
    for c in wounded {
        add_casualty(&mut target.wounded, c);
    }
    union_strings(&mut target.flags, flags);
    target.flags.sort();
    for q in quotes {
        if !target.quotes.iter().any(|x| same_quote(x, &q)) {
            target.quotes.push(q);
        }
    }
    for m in mentions {
        if !target.mentions.contains(&m) {
            target.mentions.push(m);
        }
    }
    target.mention_count = target.mentions.len();
    union_strings(&mut target.doc_ids, doc_ids);
    target.doc_ids.sort();
    if confidence.is_finite() && confidence > target.confidence {
        target.confidence = confidence;
    }
}
