//! Store behaviour: cross-document merging, idempotency, replacement, queries,
//! exports, stable ids, the Sink seam. Documents are built by hand.

use chronicle_core::{
    Actor, Casualty, CasualtyKind, Document, Event, EventDate, EventMention, Metadata, Place,
    PloverType, Qualifier, Sentence, Sink, Span,
};
use chronicle_dedup::event_id;
use chronicle_store::export::{write_csv, write_geojson, write_jsonl, CSV_COLUMNS};
use chronicle_store::{JsonlSink, Query, Store};
use chrono::NaiveDate;

fn damascus() -> Place {
    Place {
        geonames_id: 170654,
        name: "Damascus".into(),
        lat: 33.5102,
        lon: 36.2913,
        feature_class: "P".into(),
        feature_code: "PPLC".into(),
        country: "SYR".into(),
        admin1_code: Some("13".into()),
        precision: 1,
        ..Default::default()
    }
}

fn syria() -> Place {
    Place {
        geonames_id: 163843,
        name: "Syria".into(),
        lat: 35.0,
        lon: 38.0,
        feature_class: "A".into(),
        feature_code: "PCLI".into(),
        country: "SYR".into(),
        precision: 3,
        ..Default::default()
    }
}

fn baghdad() -> Place {
    Place {
        geonames_id: 98182,
        name: "Baghdad".into(),
        lat: 33.3406,
        lon: 44.4009,
        feature_class: "P".into(),
        feature_code: "PPLC".into(),
        country: "IRQ".into(),
        precision: 1,
        ..Default::default()
    }
}

/// A town `km` kilometres east of Damascus.
fn east(km: f64, id: u64) -> Place {
    let mut p = damascus();
    p.geonames_id = id;
    p.name = format!("Town{id}");
    p.feature_code = "PPL".into();
    p.lon += km / (111.32 * p.lat.to_radians().cos());
    p
}

fn actor(name: &str, cc: &str) -> Actor {
    Actor {
        name: name.into(),
        country: Some(cc.into()),
        text: name.into(),
        ..Default::default()
    }
}

fn day(d: u32) -> EventDate {
    EventDate::day(NaiveDate::from_ymd_opt(2024, 2, d).unwrap())
}

struct Spec {
    id: &'static str,
    source: &'static str,
    t: PloverType,
    place: Option<Place>,
    date: Option<EventDate>,
    actors: Vec<Actor>,
    wounded: Option<u64>,
}

fn doc(s: Spec) -> Document {
    let text = format!("Report {}: forces attacked the area.", s.id);
    let meta = Metadata {
        source: Some(s.source.into()),
        url: Some(format!("https://ex.org/{}", s.id)),
        ..Default::default()
    };
    let mut d = Document::new(s.id, meta, text.clone());
    d.sentences.push(Sentence {
        span: Span::new(0, text.len()),
        tokens: 0..0,
    });
    let t = text.find("attacked").unwrap();
    d.mentions.push(EventMention {
        event_type: s.t,
        mode: None,
        context: vec![],
        cameo: None,
        acled_event_type: None,
        acled_sub_event_type: None,
        sentence: 0,
        trigger: Span::new(t, t + 8),
        span: Span::new(0, text.len()),
        actors: s.actors,
        recipients: vec![],
        location: s.place,
        date: s.date,
        casualties: s
            .wounded
            .map(|n| {
                vec![Casualty {
                    span: Span::new(0, 0),
                    sentence: 0,
                    kind: CasualtyKind::Wounded,
                    min: n,
                    max: n,
                    qualifier: Qualifier::Exact,
                    source: None,
                    text: n.to_string(),
                }]
            })
            .unwrap_or_default(),
        flags: vec![],
        quotes: vec![],
        confidence: 0.6,
    });
    d
}

fn spec(id: &'static str, place: Place, date: u32) -> Spec {
    Spec {
        id,
        source: "Wire",
        t: PloverType::Assault,
        place: Some(place),
        date: Some(day(date)),
        actors: vec![actor("United States", "USA")],
        wounded: None,
    }
}

fn corpus() -> Vec<Document> {
    vec![
        doc(Spec {
            source: "Reuters",
            wounded: Some(1),
            ..spec("a", damascus(), 9)
        }),
        doc(Spec {
            source: "AP",
            wounded: Some(3),
            ..spec("b", east(30.0, 1), 10)
        }),
        doc(spec("c", east(200.0, 2), 9)),
        doc(Spec {
            t: PloverType::Protest,
            actors: vec![actor("Iraqi protesters", "IRQ")],
            ..spec("d", baghdad(), 12)
        }),
    ]
}

#[test]
fn cross_document_merging() {
    let mut st = Store::open_in_memory().unwrap();
    let docs = corpus();
    let o = st.add_document(&docs[0]).unwrap();
    assert!(o.new_document);
    assert_eq!((o.new_events, o.merged_events), (1, 0));
    let o = st.add_document(&docs[1]).unwrap();
    assert_eq!(
        (o.new_events, o.merged_events),
        (0, 1),
        "30 km, 1 day apart, same actor: merged"
    );
    let o = st.add_document(&docs[2]).unwrap();
    assert_eq!(
        (o.new_events, o.merged_events),
        (1, 0),
        "200 km apart: separate"
    );
    let o = st.add_document(&docs[3]).unwrap();
    assert_eq!(
        (o.new_events, o.merged_events),
        (1, 0),
        "different type: separate"
    );
    assert_eq!(st.count_events().unwrap(), 3);
    assert_eq!(st.count_documents().unwrap(), 4);
    assert_eq!(st.count_mentions().unwrap(), 4);

    let merged = st
        .query(&Query {
            country: Some("SYR".into()),
            ..Default::default()
        })
        .unwrap();
    let m = merged.iter().find(|e| e.mention_count == 2).unwrap();
    assert_eq!(m.doc_ids, vec!["a", "b"]);
    let mut w: Vec<(u64, String)> = m
        .wounded
        .iter()
        .map(|c| (c.min, c.source.clone().unwrap()))
        .collect();
    w.sort();
    assert_eq!(
        w,
        vec![(1, "Reuters".into()), (3, "AP".into())],
        "figures from two sources kept apart"
    );
    let of_b = st.events_for_document("b").unwrap();
    assert_eq!(of_b.len(), 1);
    assert_eq!(of_b[0].id, m.id);
    assert!(st.events_for_document("nope").unwrap().is_empty());
}

#[test]
fn re_adding_the_same_document_changes_nothing() {
    let mut st = Store::open_in_memory().unwrap();
    for d in corpus() {
        st.add_document(&d).unwrap();
    }
    let before = (
        st.count_events().unwrap(),
        st.count_documents().unwrap(),
        st.count_mentions().unwrap(),
    );
    let snapshot = st.query(&Query::default()).unwrap();
    for d in corpus() {
        let o = st.add_document(&d).unwrap();
        assert!(!o.new_document && !o.replaced_document);
        assert_eq!((o.new_events, o.merged_events), (0, 0));
    }
    let after = (
        st.count_events().unwrap(),
        st.count_documents().unwrap(),
        st.count_mentions().unwrap(),
    );
    assert_eq!(before, after);
    assert_eq!(snapshot, st.query(&Query::default()).unwrap());
}

#[test]
fn replaced_document_withdraws_its_old_contribution() {
    let mut st = Store::open_in_memory().unwrap();
    let docs = corpus();
    st.add_document(&docs[0]).unwrap();
    st.add_document(&docs[1]).unwrap();
    let id = st.query(&Query::default()).unwrap()[0].id.clone();
    // Same id "b", new text: now reports an attack in Baghdad instead.
    let mut b2 = doc(Spec {
        id: "b",
        ..spec("b", baghdad(), 10)
    });
    b2.text.push_str(" Updated.");
    b2.content_hash = chronicle_core::ids::content_hash(&b2.text);
    let o = st.add_document(&b2).unwrap();
    assert!(o.replaced_document && !o.new_document);
    assert_eq!(st.count_documents().unwrap(), 2);
    assert_eq!(st.count_events().unwrap(), 2);
    let e = st.get(&id).unwrap().expect("event kept its id");
    assert_eq!(e.doc_ids, vec!["a"]);
    assert_eq!(e.mention_count, 1);
    assert_eq!(e.wounded.len(), 1);
    assert_eq!(st.count_mentions().unwrap(), 2);
}

#[test]
fn stored_ids_are_stable_across_merges() {
    let mut st = Store::open_in_memory().unwrap();
    // First report only knows the country; the second pins the town.
    st.add_document(&doc(spec("a", syria(), 9))).unwrap();
    let first = st.query(&Query::default()).unwrap().remove(0);
    assert_eq!(
        first.id,
        event_id(&first),
        "new events get their content id"
    );
    st.add_document(&doc(spec("b", damascus(), 9))).unwrap();
    assert_eq!(st.count_events().unwrap(), 1);
    let merged = st.get(&first.id).unwrap().expect("same id after merge");
    assert_eq!(merged.location.as_ref().unwrap().name, "Damascus");
    assert_ne!(event_id(&merged), merged.id, "content changed, id kept");

    // The same documents in the other order give the same clusters.
    let mut st2 = Store::open_in_memory().unwrap();
    st2.add_document(&doc(spec("b", damascus(), 9))).unwrap();
    st2.add_document(&doc(spec("a", syria(), 9))).unwrap();
    let e2 = st2.query(&Query::default()).unwrap();
    assert_eq!(e2.len(), 1);
    assert_eq!(e2[0].doc_ids, merged.doc_ids);
    assert_eq!(e2[0].location, merged.location);
}

#[test]
fn colliding_content_ids_get_distinct_stable_variants() {
    let mut st = Store::open_in_memory().unwrap();
    // Unlocated, unattributed reports cannot merge across documents but hash alike.
    let un = |id: &'static str| {
        doc(Spec {
            place: None,
            actors: vec![],
            ..spec(id, damascus(), 9)
        })
    };
    st.add_document(&un("x")).unwrap();
    st.add_document(&un("y")).unwrap();
    let evs = st.query(&Query::default()).unwrap();
    assert_eq!(evs.len(), 2);
    assert_ne!(evs[0].id, evs[1].id);
}

#[test]
fn query_filters() {
    let mut st = Store::open_in_memory().unwrap();
    for d in corpus() {
        st.add_document(&d).unwrap();
    }
    let q = |q: Query| st.query(&q).unwrap();
    assert_eq!(q(Query::default()).len(), 3);
    assert_eq!(
        q(Query {
            event_type: Some(PloverType::Protest),
            ..Default::default()
        })
        .len(),
        1
    );
    assert_eq!(
        q(Query {
            event_type: Some(PloverType::Assault),
            ..Default::default()
        })
        .len(),
        2
    );
    assert_eq!(
        q(Query {
            country: Some("irq".into()),
            ..Default::default()
        })
        .len(),
        1
    );
    let d = |n| NaiveDate::from_ymd_opt(2024, 2, n).unwrap();
    assert_eq!(
        q(Query {
            since: Some(d(11)),
            ..Default::default()
        })
        .len(),
        1
    );
    // The merged a+b event keeps the first report's day (9th): only Baghdad (12th).
    assert_eq!(
        q(Query {
            since: Some(d(10)),
            ..Default::default()
        })
        .len(),
        1
    );
    assert_eq!(
        q(Query {
            until: Some(d(9)),
            ..Default::default()
        })
        .len(),
        2
    );
    assert_eq!(
        q(Query {
            since: Some(d(1)),
            until: Some(d(8)),
            ..Default::default()
        })
        .len(),
        0
    );
    assert_eq!(
        q(Query {
            actor: Some("united".into()),
            ..Default::default()
        })
        .len(),
        2
    );
    assert_eq!(
        q(Query {
            actor: Some("PROTESTERS".into()),
            ..Default::default()
        })
        .len(),
        1
    );
    assert_eq!(
        q(Query {
            actor: Some("nobody".into()),
            ..Default::default()
        })
        .len(),
        0
    );
    assert_eq!(
        q(Query {
            limit: Some(1),
            ..Default::default()
        })
        .len(),
        1
    );
    assert_eq!(
        q(Query {
            actor: Some("united".into()),
            limit: Some(1),
            ..Default::default()
        })
        .len(),
        1
    );
    let all = q(Query::default());
    let dates: Vec<_> = all.iter().map(|e| e.date.as_ref().unwrap().value).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "ordered by date");
}

#[test]
fn exports_parse_back() {
    let mut st = Store::open_in_memory().unwrap();
    for d in corpus() {
        st.add_document(&d).unwrap();
    }
    let mut events = st.query(&Query::default()).unwrap();
    let mut unlocated = events[0].clone();
    unlocated.id = "ev-unlocated".into();
    unlocated.location = None;
    events.push(unlocated);

    let mut buf = Vec::new();
    write_jsonl(&events, &mut buf).unwrap();
    let back: Vec<Event> = String::from_utf8(buf)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back, events);

    let mut buf = Vec::new();
    write_csv(&events, &mut buf).unwrap();
    let mut rdr = csv::Reader::from_reader(buf.as_slice());
    assert_eq!(rdr.headers().unwrap().len(), CSV_COLUMNS.len());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), events.len());
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    let merged = rows
        .iter()
        .find(|r| &r[col("mention_count")] == "2")
        .expect("merged row");
    assert_eq!(
        &merged[col("wounded")],
        "3",
        "wounded = max of min across reports"
    );
    assert_eq!(&merged[col("doc_ids")], "a;b");
    assert_eq!(&merged[col("actors")], "United States");
    // no ACLED-style name set: the canonical name stands in
    assert_eq!(&merged[col("acled_actors")], "United States");

    let mut buf = Vec::new();
    write_geojson(&events, &mut buf).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let feats = v["features"].as_array().unwrap();
    assert_eq!(feats.len(), events.len() - 1, "only located events");
    assert_eq!(feats[0]["geometry"]["type"], "Point");
    assert!(
        feats[0]["geometry"]["coordinates"][0].as_f64().unwrap() > 30.0,
        "lon first"
    );
}

#[test]
fn sinks() {
    let mut st = Store::open_in_memory().unwrap();
    let mut events = Vec::new();
    for mut d in corpus() {
        chronicle_core::Stage::process(&chronicle_dedup::InDocMerge::default(), &mut d).unwrap();
        events.extend(d.events);
    }
    st.write(&events).unwrap();
    assert_eq!(st.count_events().unwrap(), 3);
    st.write(&events).unwrap();
    assert_eq!(
        st.count_events().unwrap(),
        3,
        "re-written events are skipped"
    );
    assert_eq!(st.count_mentions().unwrap(), 4);

    let mut sink = JsonlSink::new(Vec::new());
    sink.write(&events).unwrap();
    sink.finish().unwrap();
    assert_eq!(sink.written(), 4);
    assert_eq!(
        String::from_utf8(sink.into_inner())
            .unwrap()
            .lines()
            .count(),
        4
    );
}

#[test]
fn seen_keys() {
    let mut st = Store::open_in_memory().unwrap();
    assert!(!st.has_seen("guid-1").unwrap());
    st.mark_seen("guid-1").unwrap();
    st.mark_seen("guid-1").unwrap();
    assert!(st.has_seen("guid-1").unwrap());
    assert!(!st.has_seen("guid-2").unwrap());
}

#[test]
fn feed_validators_round_trip_and_update() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    {
        let mut st = Store::open(&path).unwrap();
        assert_eq!(st.feed_validators("https://x.test/rss").unwrap(), None);
        st.set_feed_validators(
            "https://x.test/rss",
            "\"v1\"",
            "Mon, 03 Feb 2025 10:00:00 GMT",
        )
        .unwrap();
        st.set_feed_validators("https://x.test/rss", "\"v2\"", "")
            .unwrap();
    }
    let st = Store::open(&path).unwrap();
    assert_eq!(
        st.feed_validators("https://x.test/rss").unwrap(),
        Some(("\"v2\"".to_string(), String::new()))
    );
}

#[test]
fn file_store_persists_and_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("events.db");
    {
        let mut st = Store::open(&path).unwrap();
        for d in corpus() {
            st.add_document(&d).unwrap();
        }
        assert_eq!(
            st.schema_version().unwrap(),
            chronicle_store::schema::latest_version()
        );
    }
    let st = Store::open(&path).unwrap();
    assert_eq!(st.count_events().unwrap(), 3);
    assert_eq!(st.count_documents().unwrap(), 4);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO schema_version (version, applied_at) VALUES (99, 'x')",
        [],
    )
    .unwrap();
    drop(conn);
    let err = Store::open(&path).err().expect("refused").to_string();
    assert!(err.contains("newer"), "{err}");
}

#[test]
fn bulk_add_matches_one_by_one() {
    let mut one = Store::open_in_memory().unwrap();
    for d in corpus() {
        one.add_document(&d).unwrap();
    }
    let mut bulk = Store::open_in_memory().unwrap();
    let mut docs = corpus();
    docs.push(corpus().remove(0)); // a duplicate inside the batch adds nothing
    let outs = bulk.add_documents(&docs).unwrap();
    assert_eq!(outs.len(), 5);
    assert_eq!(
        (
            outs[4].new_document,
            outs[4].new_events,
            outs[4].merged_events
        ),
        (false, 0, 0)
    );
    let strip = |mut v: Vec<Event>| {
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    };
    assert_eq!(
        strip(one.query(&Query::default()).unwrap()),
        strip(bulk.query(&Query::default()).unwrap())
    );
}

#[test]
fn v1_database_is_migrated_and_backfilled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let ev = {
        let mut st = Store::open_in_memory().unwrap();
        st.add_document(&doc(spec("a", damascus(), 9))).unwrap();
        st.query(&Query::default()).unwrap().remove(0)
    };
    {
        // A database as version 1 of the schema left it, with one event.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL);",
        )
        .unwrap();
        conn.execute_batch(chronicle_store::schema::MIGRATIONS[0].sql)
            .unwrap();
        conn.execute("INSERT INTO schema_version VALUES (1, 'then')", [])
            .unwrap();
        conn.execute(
            "INSERT INTO events (id, type, date, date_end, country, json, mention_count, updated_at)
             VALUES (?1, 'ASSAULT', '2024-02-09', '2024-02-09', 'SYR', ?2, 1, 'then')",
            rusqlite::params![ev.id, serde_json::to_string(&ev).unwrap()],
        )
        .unwrap();
    }
    let st = Store::open(&path).unwrap();
    assert_eq!(
        st.schema_version().unwrap(),
        chronicle_store::schema::latest_version()
    );
    let hits = st
        .query(&Query {
            actor: Some("UNITED states".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits, vec![ev]);
}

#[test]
fn events_without_mentions_are_written_once() {
    let mut st = Store::open_in_memory().unwrap();
    let mut d = doc(spec("a", damascus(), 9));
    chronicle_core::Stage::process(&chronicle_dedup::InDocMerge::default(), &mut d).unwrap();
    let mut e = d.events.remove(0);
    e.mentions.clear();
    e.mention_count = 0;
    st.write(std::slice::from_ref(&e)).unwrap();
    st.write(std::slice::from_ref(&e)).unwrap();
    assert_eq!(st.count_events().unwrap(), 1);
}

#[test]
fn corrupt_database_file_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.db");
    std::fs::write(
        &path,
        b"this is not an sqlite database, just some bytes that are long enough to matter ....",
    )
    .unwrap();
    let err = Store::open(&path).err().expect("refused").to_string();
    assert!(err.contains("bad.db"), "{err}");
}

#[test]
fn long_span_and_undated_events_are_still_candidates() {
    let mut st = Store::open_in_memory().unwrap();
    // A month-long report (long span, starts well before the window) and a later
    // precise report of the same happening.
    let month = EventDate {
        granularity: chronicle_core::Granularity::Month,
        ..day(1)
    };
    st.add_document(&doc(Spec {
        date: Some(month),
        ..spec("m", damascus(), 1)
    }))
    .unwrap();
    let o = st.add_document(&doc(spec("d", damascus(), 27))).unwrap();
    assert_eq!(o.merged_events, 1, "Feb 27 lies inside February");
    // An undated stored report meets a dated one.
    st.add_document(&doc(Spec {
        date: None,
        ..spec("u", baghdad(), 1)
    }))
    .unwrap();
    let o = st.add_document(&doc(spec("v", baghdad(), 20))).unwrap();
    assert_eq!(o.merged_events, 1);
    // Short reports far apart do not.
    let o = st.add_document(&doc(spec("w", damascus(), 5))).unwrap();
    assert_eq!(o.merged_events, 0, "Feb 5 vs the Feb 27 event");
    assert_eq!(st.count_events().unwrap(), 3);
}

#[test]
fn near_duplicate_fingerprints_are_found_through_bands() {
    let mut st = Store::open_in_memory().unwrap();
    let h: u64 = 0x0123_4567_89ab_cdef;
    st.add_fingerprint("orig", h).unwrap();
    // 3 bits off, spread over three bands: the fourth band still matches
    let near = h ^ (1 | (1 << 20) | (1 << 40));
    assert_eq!(
        st.find_near_duplicate("copy", near, 3).unwrap(),
        Some("orig".to_string())
    );
    // 4 bits off is not near
    assert_eq!(
        st.find_near_duplicate("copy", near ^ (1 << 60), 3).unwrap(),
        None
    );
    // a document is never its own duplicate
    assert_eq!(st.find_near_duplicate("orig", h, 3).unwrap(), None);
    st.link_duplicate("copy", "orig", Some("https://example.net/copy"))
        .unwrap();
    assert_eq!(st.duplicate_of("copy").unwrap(), Some("orig".to_string()));
    assert_eq!(st.duplicate_of("orig").unwrap(), None);
}
