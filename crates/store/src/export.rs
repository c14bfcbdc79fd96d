//! Exports: takes [`Event`]s, gives JSON Lines (the full record), CSV (one flat row
//! per event) or a GeoJSON FeatureCollection (located events only). Also
//! [`JsonlSink`], a [`Sink`] writing JSON Lines.

use chronicle_core::{Actor, Casualty, Event, Granularity, Result, Sink};
use serde_json::{json, Value};
use std::io::{self, Write};

/// One JSON object per line, the full [`Event`] record.
pub fn write_jsonl<W: Write>(events: &[Event], mut w: W) -> io::Result<()> {
    for e in events {
        serde_json::to_writer(&mut w, e)?;
        w.write_all(b"\n")?;
    }
    w.flush()
}

/// CSV column names, in order.
pub const CSV_COLUMNS: [&str; 29] = [
    "id",
    "type",
    "mode",
    "cameo",
    "acled_event_type",
    "acled_sub_event_type",
    "actors",
    "actor_countries",
    "recipients",
    "recipient_countries",
    "acled_actors",
    "acled_recipients",
    "location",
    "lat",
    "lon",
    "country",
    "admin1",
    "precision",
    "geonames_id",
    "date",
    "date_end",
    "granularity",
    "killed",
    "wounded",
    "flags",
    "mention_count",
    "doc_ids",
    "confidence",
    "first_sentence",
];

fn names(actors: &[Actor]) -> String {
    actors
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// ACLED-style names, falling back to the canonical name.
fn acled_names(actors: &[Actor]) -> String {
    actors
        .iter()
        .map(|a| a.acled.as_deref().unwrap_or(&a.name))
        .collect::<Vec<_>>()
        .join(";")
}

fn countries(actors: &[Actor]) -> String {
    let mut cs: Vec<&str> = Vec::new();
    for c in actors.iter().filter_map(|a| a.country.as_deref()) {
        if !cs.contains(&c) {
            cs.push(c);
        }
    }
    cs.join(";")
}

/// Largest lower bound among the casualty reports (empty when none).
fn max_min(cs: &[Casualty]) -> String {
    cs.iter()
        .map(|c| c.min)
        .max()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

fn granularity(g: Granularity) -> &'static str {
    match g {
        Granularity::Day => "day",
        Granularity::Week => "week",
        Granularity::Month => "month",
        Granularity::Year => "year",
        Granularity::Range => "range",
    }
}

fn csv_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("csv: {other:?}")),
    }
}

/// One row per event with flat columns ([`CSV_COLUMNS`]); lists are `;`-joined;
/// `killed`/`wounded` hold the largest lower bound across reports.
pub fn write_csv<W: Write>(events: &[Event], w: W) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(CSV_COLUMNS).map_err(csv_err)?;
    for e in events {
        let loc = e.location.as_ref();
        let opt = |s: Option<String>| s.unwrap_or_default();
        let record: [String; 29] = [
            e.id.clone(),
            e.event_type.as_str().to_string(),
            opt(e.mode.clone()),
            opt(e.cameo.clone()),
            opt(e.acled_event_type.clone()),
            opt(e.acled_sub_event_type.clone()),
            names(&e.actors),
            countries(&e.actors),
            names(&e.recipients),
            countries(&e.recipients),
            acled_names(&e.actors),
            acled_names(&e.recipients),
            opt(loc.map(|p| p.name.clone())),
            opt(loc.map(|p| p.lat.to_string())),
            opt(loc.map(|p| p.lon.to_string())),
            opt(loc.map(|p| p.country.clone())),
            opt(loc.and_then(|p| p.admin1.clone().or_else(|| p.admin1_code.clone()))),
            opt(loc.map(|p| p.precision.to_string())),
            opt(loc.map(|p| p.geonames_id.to_string())),
            opt(e.date.as_ref().map(|d| d.value.to_string())),
            opt(e.date.as_ref().and_then(|d| d.end.map(|x| x.to_string()))),
            opt(e
                .date
                .as_ref()
                .map(|d| granularity(d.granularity).to_string())),
            max_min(&e.killed),
            max_min(&e.wounded),
            e.flags.join(";"),
            e.mention_count.to_string(),
            e.doc_ids.join(";"),
            e.confidence.to_string(),
            opt(e.mentions.first().map(|m| m.text.clone())),
        ];
        out.write_record(&record).map_err(csv_err)?;
    }
    out.flush()
}

/// A GeoJSON FeatureCollection with one Point feature per located event
/// (coordinates `[lon, lat]`); properties summarise the event.
pub fn write_geojson<W: Write>(events: &[Event], mut w: W) -> io::Result<()> {
    let features: Vec<Value> = events
        .iter()
        .filter_map(|e| {
            let p = e.location.as_ref()?;
            if !(p.lat.is_finite() && p.lon.is_finite()) {
                return None;
            }
            Some(json!({
                "type": "Feature",
                "id": e.id,
                "geometry": { "type": "Point", "coordinates": [p.lon, p.lat] },
                "properties": {
                    "id": e.id,
                    "type": e.event_type.as_str(),
                    "mode": e.mode,
                    "cameo": e.cameo,
                    "acled_event_type": e.acled_event_type,
                    "acled_sub_event_type": e.acled_sub_event_type,
                    "actors": e.actors.iter().map(|a| &a.name).collect::<Vec<_>>(),
                    "recipients": e.recipients.iter().map(|a| &a.name).collect::<Vec<_>>(),
                    "acled_actors": acled_names(&e.actors),
                    "acled_recipients": acled_names(&e.recipients),
                    "location": p.name,
                    "country": p.country,
                    "admin1": p.admin1,
                    "precision": p.precision,
                    "geonames_id": p.geonames_id,
                    "date": e.date.as_ref().map(|d| d.value.to_string()),
                    "date_end": e.date.as_ref().and_then(|d| d.end.map(|x| x.to_string())),
                    "killed": e.killed.iter().map(|c| c.min).max(),
                    "wounded": e.wounded.iter().map(|c| c.min).max(),
                    "flags": e.flags,
                    "mention_count": e.mention_count,
                    "doc_ids": e.doc_ids,
                }
            }))
        })
        .collect();
    serde_json::to_writer(
        &mut w,
        &json!({ "type": "FeatureCollection", "features": features }),
    )?;
    w.write_all(b"\n")?;
    w.flush()
}

/// A [`Sink`] writing each event as one JSON line.
pub struct JsonlSink<W: Write> {
    w: W,
    written: usize,
}

impl<W: Write> JsonlSink<W> {
    pub fn new(w: W) -> Self {
        JsonlSink { w, written: 0 }
    }
    /// Events written so far.
    pub fn written(&self) -> usize {
        self.written
    }
    pub fn into_inner(self) -> W {
        self.w
    }
}

impl<W: Write> Sink for JsonlSink<W> {
    fn write(&mut self, events: &[Event]) -> Result<()> {
        for e in events {
            serde_json::to_writer(&mut self.w, e).map_err(io::Error::from)?;
            self.w.write_all(b"\n")?;
        }
        self.written += events.len();
        Ok(())
    }
    fn finish(&mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }
}
