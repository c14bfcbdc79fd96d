//! Stable event ids: a content hash of type, actors, recipients, place and date
//! (never a counter), plus a deterministic disambiguation when two distinct events
//! hash alike.

use crate::compat::actor_key;
use chronicle_core::ids::stable_id;
use chronicle_core::Event;
use std::collections::HashMap;

/// Content hash of the event's PLOVER type, sorted actor keys, sorted recipient
/// keys, location (GeoNames id, else country) and date. Equal content gives equal
/// ids whatever order the mentions arrived in.
pub fn event_id(e: &Event) -> String {
    let mut actors: Vec<String> = e.actors.iter().map(actor_key).collect();
    actors.sort();
    actors.dedup();
    let mut recipients: Vec<String> = e.recipients.iter().map(actor_key).collect();
    recipients.sort();
    recipients.dedup();
    let loc = match &e.location {
        Some(p) if p.geonames_id != 0 => format!("gn:{}", p.geonames_id),
        Some(p) => format!("cc:{}", p.country),
        None => String::new(),
    };
    let date = match &e.date {
        Some(d) => match d.end {
            Some(end) if end != d.value => format!("{}/{}", d.value, end),
            _ => d.value.to_string(),
        },
        None => String::new(),
    };
    stable_id(
        "ev-",
        &[
            e.event_type.as_str(),
            &actors.join("\u{1f}"),
            &recipients.join("\u{1f}"),
            &loc,
            &date,
        ],
    )
}

/// Sort key of an event's first mention: (doc id, start, end, sentence).
fn first_mention_key(e: &Event) -> (String, usize, usize, usize) {
    e.mentions
        .iter()
        .map(|m| (m.doc_id.clone(), m.start, m.end, m.sentence))
        .min()
        .unwrap_or_default()
}

/// Recomputes every id with [`event_id`] and makes them unique: when distinct events
/// share a content hash, the one with the earliest first mention keeps it and the
/// others get a hash of it plus their first mention's document and span.
pub fn assign_ids(events: &mut [Event]) {
    for e in events.iter_mut() {
        e.id = event_id(e);
    }
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        groups.entry(e.id.clone()).or_default().push(i);
    }
    for (base, mut idx) in groups {
        if idx.len() < 2 {
            continue;
        }
        idx.sort_by_key(|&i| first_mention_key(&events[i]));
        for &i in &idx[1..] {
            let (doc, start, end, sent) = first_mention_key(&events[i]);
            events[i].id = stable_id(
                "ev-",
                &[
                    &base,
                    &doc,
                    &start.to_string(),
                    &end.to_string(),
                    &sent.to_string(),
                ],
            );
        }
    }
}
