//! Over-merging check on real event distributions: every ACLED row is a distinct
//! event (ACLED codes one event per actor pair, location and day), so each merge
//! `CrossDocIndex` makes between rows counts against it. Each row becomes a
//! one-mention event (its own "document"): type from ACLED event type, actor1 →
//! actors, actor2 → recipients, location from lat/lon/admin1/geo_precision, date.
//!
//! `cargo run --release -p chronicle-dedup --example acled_overmerge -- FILE.csv [MAX_KM] [MAX_DAYS]`
//! (e.g. /work/shared/eval/acled-syria-battles/acled_syria_battles_2017_2023.csv).
//! Prints a message and exits when the file is absent.

use chronicle_core::{Actor, Event, EventDate, MentionRef, Place, PloverType};
use chronicle_dedup::{CrossDocIndex, MergeConfig};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::time::Instant;

fn plover(event_type: &str) -> PloverType {
    match event_type {
        "Protests" | "Riots" => PloverType::Protest,
        "Strategic developments" => PloverType::Mobilize,
        _ => PloverType::Assault, // Battles, Explosions/Remote violence, Violence against civilians
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    ["%d %B %Y", "%d-%b-%y", "%Y-%m-%d", "%d %b %Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s.trim(), f).ok())
}

fn actor(name: &str) -> Vec<Actor> {
    let name = name.trim();
    if name.is_empty() {
        vec![]
    } else {
        vec![Actor {
            name: name.to_string(),
            ..Default::default()
        }]
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: acled_overmerge FILE.csv [MAX_KM] [MAX_DAYS]");
        return;
    };
    if !std::path::Path::new(path).exists() {
        println!("{path} not found; skipping (evaluation data absent)");
        return;
    }
    let mut cfg = MergeConfig::default();
    if let Some(k) = args.get(2).and_then(|s| s.parse().ok()) {
        cfg.max_km = k;
    }
    if let Some(d) = args.get(3).and_then(|s| s.parse().ok()) {
        cfg.max_days = d;
    }
    let mut rdr = match csv::Reader::from_path(path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{path}: {e}");
            return;
        }
    };
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            eprintln!("{path}: no header row: {e}");
            return;
        }
    };
    let needed = [
        "event_id_cnty",
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "iso",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
    ];
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|n| !headers.iter().any(|h| h == *n))
        .collect();
    if !missing.is_empty() {
        eprintln!("{path}: not an ACLED export, missing columns {missing:?}");
        return;
    }
    // Every name below is in `needed`, so the position exists.
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap_or(0);
    let (c_id, c_date, c_type, c_a1, c_a2) = (
        col("event_id_cnty"),
        col("event_date"),
        col("event_type"),
        col("actor1"),
        col("actor2"),
    );
    let c_sub = col("sub_event_type");
    // CHRONICLE_NO_SUBTYPE=1 leaves the sub-event type out (as when the coder gives none).
    let use_sub = std::env::var("CHRONICLE_NO_SUBTYPE").as_deref() != Ok("1");
    let (c_iso, c_adm1, c_loc, c_lat, c_lon, c_prec) = (
        col("iso"),
        col("admin1"),
        col("location"),
        col("latitude"),
        col("longitude"),
        col("geo_precision"),
    );
    let mut events = Vec::new();
    let mut skipped = 0;
    for (line, rec) in rdr.records().enumerate() {
        let Ok(r) = rec else {
            skipped += 1;
            continue;
        };
        let (Some(date), Ok(lat), Ok(lon)) = (
            parse_date(&r[c_date]),
            r[c_lat].parse::<f64>(),
            r[c_lon].parse::<f64>(),
        ) else {
            eprintln!(
                "{path}:{}: unreadable date or coordinates; skipped",
                line + 2
            );
            skipped += 1;
            continue;
        };
        let prec: u8 = r[c_prec].parse().unwrap_or(1);
        let place = Place {
            geonames_id: 0,
            name: r[c_loc].to_string(),
            lat,
            lon,
            feature_class: if prec >= 3 { "A" } else { "P" }.into(),
            feature_code: if prec >= 3 { "ADM1" } else { "PPL" }.into(),
            country: r[c_iso].to_string(),
            admin1_code: Some(r[c_adm1].to_string()),
            admin1: Some(r[c_adm1].to_string()),
            precision: prec,
            ..Default::default()
        };
        let id = r[c_id].to_string();
        events.push(Event {
            id: id.clone(),
            event_type: plover(&r[c_type]),
            mode: None,
            context: vec![],
            cameo: None,
            acled_event_type: Some(r[c_type].to_string()),
            acled_sub_event_type: Some(r[c_sub].to_string()).filter(|_| use_sub),
            actors: actor(&r[c_a1]),
            recipients: actor(&r[c_a2]),
            location: Some(place),
            places: vec![],
            date: Some(EventDate::day(date)),
            killed: vec![],
            wounded: vec![],
            flags: vec![],
            quotes: vec![],
            mentions: vec![MentionRef {
                doc_id: id.clone(),
                sentence: 0,
                start: 0,
                end: 0,
                char_start: 0,
                char_end: 0,
                trigger: String::new(),
                text: String::new(),
                url: None,
                published: None,
            }],
            mention_count: 1,
            doc_ids: vec![id],
            confidence: 1.0,
        });
    }
    let n = events.len();
    let t = Instant::now();
    let mut idx = CrossDocIndex::new(cfg);
    for e in events {
        idx.add(e);
    }
    let out = idx.into_events();
    let secs = t.elapsed().as_secs_f64();
    let merged_rows: usize = out
        .iter()
        .filter(|e| e.mention_count > 1)
        .map(|e| e.mention_count)
        .sum();
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for e in &out {
        *sizes.entry(e.mention_count).or_default() += 1;
    }
    let mut sizes: Vec<_> = sizes.into_iter().collect();
    sizes.sort();
    println!(
        "{path}: {n} distinct ACLED events ({skipped} skipped) -> {} clusters in {secs:.2}s (max_km {}, max_days {})",
        out.len(),
        cfg.max_km,
        cfg.max_days
    );
    println!(
        "over-merge: {merged_rows} rows ({:.1}%) ended in a multi-row cluster; cluster sizes {:?}",
        100.0 * merged_rows as f64 / n.max(1) as f64,
        sizes
    );
}
