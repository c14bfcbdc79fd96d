//! Mention → single-mention [`Event`]: takes one [`EventMention`] of a [`Document`]
//! and gives an `Event` carrying one [`MentionRef`] (provenance) and the mention's
//! facts (actors, place, date, casualties, quotes, flags).

use crate::ids::event_id;
use chronicle_core::{CasualtyKind, Document, Event, EventMention, MentionRef, Place, Span};

/// Largest char boundary of `text` that is `<= pos` (clamped to the text length).
fn floor_boundary(text: &str, pos: usize) -> usize {
    let mut p = pos.min(text.len());
    while p > 0 && !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

/// A span clamped into the text and onto char boundaries (never panics).
fn safe_span(doc: &Document, span: Span) -> Span {
    let start = floor_boundary(&doc.text, span.start);
    let end = floor_boundary(&doc.text, span.end).max(start);
    Span { start, end }
}

fn safe_slice(doc: &Document, span: Span) -> String {
    let s = safe_span(doc, span);
    doc.text[s.start..s.end].to_string()
}

/// The source a casualty figure is attributed to: the one the text names, else the
/// outlet (metadata `source`), else the document id. Figures from different sources
/// are kept apart when events merge.
fn casualty_source(doc: &Document, given: &Option<String>) -> String {
    if let Some(s) = given.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        return s.to_string();
    }
    if let Some(s) = doc
        .meta
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        return s.to_string();
    }
    doc.id.clone()
}

/// Provenance record of a mention: document, sentence, byte + char span of the
/// mention's span, trigger text, sentence text, url and publication time.
pub fn mention_ref(doc: &Document, m: &EventMention) -> MentionRef {
    let span = safe_span(doc, m.span);
    let (char_start, char_end) = doc.char_span(span);
    let sentence_text = match doc.sentences.get(m.sentence) {
        Some(s) => safe_slice(doc, s.span),
        None => safe_slice(doc, m.span),
    };
    MentionRef {
        doc_id: doc.id.clone(),
        sentence: m.sentence,
        start: span.start,
        end: span.end,
        char_start,
        char_end,
        trigger: safe_slice(doc, m.trigger),
        text: sentence_text,
        url: doc.meta.url.clone(),
        published: doc.meta.published,
    }
}

/// Builds a one-mention event from `m`. Casualty figures without a named source are
/// attributed to the outlet (or the document id), so figures from different reports
/// stay apart after merging. Missing/arrested/displaced counts have no field in
/// [`Event`] and are not carried.
pub fn mention_to_event(doc: &Document, m: &EventMention) -> Event {
    let mention = mention_ref(doc, m);
    // Other places named inside the mention's span.
    let mut places: Vec<Place> = Vec::new();
    let loc_id = m.location.as_ref().map(|p| p.geonames_id);
    for pm in &doc.places {
        if m.span.contains(pm.span)
            && Some(pm.place.geonames_id) != loc_id
            && !places.iter().any(|p| p.geonames_id == pm.place.geonames_id)
        {
            places.push(pm.place.clone());
        }
    }
    let mut killed = Vec::new();
    let mut wounded = Vec::new();
    for c in &m.casualties {
        let mut c = c.clone();
        c.source = Some(casualty_source(doc, &c.source));
        match c.kind {
            CasualtyKind::Killed => killed.push(c),
            CasualtyKind::Wounded => wounded.push(c),
            _ => {}
        }
    }
    let mut flags: Vec<String> = Vec::new();
    for f in &m.flags {
        if !flags.contains(f) {
            flags.push(f.clone());
        }
    }
    flags.sort();
    let quotes = m
        .quotes
        .iter()
        .filter_map(|&i| doc.quotes.get(i).cloned())
        .collect();
    let mut e = Event {
        id: String::new(),
        event_type: m.event_type,
        mode: m.mode.clone(),
        context: m.context.clone(),
        cameo: m.cameo.clone(),
        acled_event_type: m.acled_event_type.clone(),
        acled_sub_event_type: m.acled_sub_event_type.clone(),
        actors: crate::merge::dedup_actors(m.actors.clone()),
        recipients: crate::merge::dedup_actors(m.recipients.clone()),
        location: m.location.clone(),
        places,
        date: m.date.clone(),
        killed: crate::merge::dedup_casualties(killed),
        wounded: crate::merge::dedup_casualties(wounded),
        flags,
        quotes,
        mentions: vec![mention],
        mention_count: 1,
        doc_ids: vec![doc.id.clone()],
        confidence: if m.confidence.is_finite() {
            m.confidence
        } else {
            0.0
        },
    };
    e.id = event_id(&e);
    e
}
