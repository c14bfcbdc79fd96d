//! Behaviour tests for in-document merging, casualty handling, cross-document
//! clustering and id stability. Documents and events are built by hand.

use chronicle_core::{
    Actor, Casualty, CasualtyKind, Document, Event, EventDate, EventMention, Granularity, Metadata,
    Place, PloverType, Qualifier, Sentence, Span, Stage,
};
use chronicle_dedup::{
    compatible, event_id, mention_to_event, merge_into, CrossDocIndex, InDocMerge, MergeConfig,
};
use chrono::NaiveDate;

#[allow(clippy::too_many_arguments)]
fn place(
    id: u64,
    name: &str,
    lat: f64,
    lon: f64,
    code: &str,
    cc: &str,
    adm1: Option<&str>,
    prec: u8,
) -> Place {
    Place {
        geonames_id: id,
        name: name.into(),
        lat,
        lon,
        feature_class: if code.starts_with("PCL") || code.starts_with("ADM") {
            "A"
        } else {
            "P"
        }
        .into(),
        feature_code: code.into(),
        country: cc.into(),
        admin1_code: adm1.map(str::to_string),
        precision: prec,
        ..Default::default()
    }
}

fn syria() -> Place {
    place(163843, "Syria", 35.0, 38.0, "PCLI", "SYR", None, 3)
}
fn damascus() -> Place {
    place(
        170654,
        "Damascus",
        33.5102,
        36.2913,
        "PPLC",
        "SYR",
        Some("13"),
        1,
    )
}
fn damascus_airport() -> Place {
    place(
        6300767,
        "Damascus International Airport",
        33.4114,
        36.5156,
        "AIRP",
        "SYR",
        Some("08"),
        1,
    )
}
fn baghdad() -> Place {
    place(
        98182,
        "Baghdad",
        33.3406,
        44.4009,
        "PPLC",
        "IRQ",
        Some("07"),
        1,
    )
}

fn actor(name: &str, country: Option<&str>, sectors: &[&str]) -> Actor {
    Actor {
        name: name.into(),
        country: country.map(str::to_string),
        sectors: sectors.iter().map(|s| s.to_string()).collect(),
        text: name.into(),
        ..Default::default()
    }
}

fn day(y: i32, m: u32, d: u32) -> EventDate {
    EventDate::day(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn casualty(kind: CasualtyKind, n: u64, q: Qualifier, source: Option<&str>) -> Casualty {
    Casualty {
        span: Span::new(0, 0),
        sentence: 0,
        kind,
        min: n,
        max: n,
        qualifier: q,
        source: source.map(str::to_string),
        text: n.to_string(),
    }
}

/// Finds `needle` in `text` (byte span).
fn find(text: &str, needle: &str) -> Span {
    let s = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    Span::new(s, s + needle.len())
}

struct DocBuilder {
    doc: Document,
}

impl DocBuilder {
    fn new(id: &str, source: &str, sentences: &[&str]) -> Self {
        let text = sentences.join(" ");
        let meta = Metadata {
            source: Some(source.into()),
            url: Some(format!("https://example.org/{id}")),
            ..Default::default()
        };
        let mut doc = Document::new(id, meta, text);
        let mut pos = 0;
        for s in sentences {
            doc.sentences.push(Sentence {
                span: Span::new(pos, pos + s.len()),
                tokens: 0..0,
            });
            pos += s.len() + 1;
        }
        DocBuilder { doc }
    }

    #[allow(clippy::too_many_arguments)]
    fn mention(
        &mut self,
        sentence: usize,
        trigger: &str,
        actors: Vec<Actor>,
        recipients: Vec<Actor>,
        location: Option<Place>,
        date: Option<EventDate>,
        casualties: Vec<Casualty>,
    ) -> &mut Self {
        let sspan = self.doc.sentences[sentence].span;
        let t = find(&self.doc.text[sspan.start..sspan.end], trigger);
        self.doc.mentions.push(EventMention {
            event_type: PloverType::Assault,
            mode: None,
            context: vec![],
            cameo: Some("190".into()),
            acled_event_type: None,
            acled_sub_event_type: None,
            sentence,
            trigger: Span::new(sspan.start + t.start, sspan.start + t.end),
            span: sspan,
            actors,
            recipients,
            location,
            date,
            casualties,
            flags: vec![],
            quotes: vec![],
            confidence: 0.7,
        });
        self
    }
}

fn strike_doc() -> Document {
    let mut b = DocBuilder::new(
        "doc-strike",
        "Wire",
        &[
            "A militia leader was killed in a US strike in Syria on Friday.",
            "Abu Baqir al-Saadi was killed in Damascus.",
            "He was killed in a drone strike on the road to the Damascus airport.",
            "A car was struck in Damascus, killing one.",
            "Separately, a roadside bomb in Baghdad wounded three soldiers.",
        ],
    );
    let mut fri = day(2024, 2, 9);
    fri.relative = true;
    b.mention(
        0,
        "strike",
        vec![actor("United States", Some("USA"), &["GOV"])],
        vec![actor("militia leader", None, &[])],
        Some(syria()),
        Some(fri),
        vec![],
    )
    .mention(
        1,
        "killed",
        vec![],
        vec![actor("Abu Baqir al-Saadi", Some("IRQ"), &["REB"])],
        Some(damascus()),
        None,
        vec![],
    )
    .mention(
        2,
        "strike",
        vec![],
        vec![],
        Some(damascus_airport()),
        None,
        vec![],
    )
    .mention(
        3,
        "struck",
        vec![],
        vec![],
        Some(damascus()),
        None,
        vec![casualty(CasualtyKind::Killed, 1, Qualifier::Exact, None)],
    )
    .mention(
        4,
        "bomb",
        vec![],
        vec![actor("Iraqi army", Some("IRQ"), &["MIL"])],
        Some(baghdad()),
        Some(day(2024, 2, 9)),
        vec![casualty(CasualtyKind::Wounded, 3, Qualifier::Exact, None)],
    );
    b.doc.mentions[2].mode = Some("drone".into());
    b.doc
}

#[test]
fn four_sentence_attack_becomes_one_event_other_country_stays_apart() {
    let mut doc = strike_doc();
    InDocMerge::default().process(&mut doc).unwrap();
    assert_eq!(doc.events.len(), 2, "{:#?}", doc.events);
    let total: usize = doc.events.iter().map(|e| e.mention_count).sum();
    assert_eq!(
        total,
        doc.mentions.len(),
        "every mention in exactly one event"
    );

    let syr = doc
        .events
        .iter()
        .find(|e| e.location.as_ref().unwrap().country == "SYR")
        .unwrap();
    assert_eq!(syr.mention_count, 4);
    assert_eq!(
        syr.mentions.iter().map(|m| m.sentence).collect::<Vec<_>>(),
        vec![0, 1, 2, 3]
    );
    assert_eq!(
        syr.location.as_ref().unwrap().name,
        "Damascus",
        "town beats country"
    );
    assert!(syr.places.iter().any(|p| p.name == "Syria"));
    assert_eq!(
        syr.date.as_ref().unwrap().value,
        NaiveDate::from_ymd_opt(2024, 2, 9).unwrap()
    );
    assert_eq!(syr.mode.as_deref(), Some("drone"));
    assert_eq!(syr.actors.len(), 1);
    assert!(syr
        .recipients
        .iter()
        .any(|a| a.name == "Abu Baqir al-Saadi"));
    assert_eq!(syr.killed.len(), 1);
    assert_eq!(syr.killed[0].source.as_deref(), Some("Wire"));
    assert_eq!(syr.id, event_id(syr));

    let irq = doc
        .events
        .iter()
        .find(|e| e.location.as_ref().unwrap().country == "IRQ")
        .unwrap();
    assert_eq!(irq.mention_count, 1);
    assert_eq!(irq.wounded[0].min, 3);
    assert_ne!(irq.id, syr.id);
}

#[test]
fn mention_ref_provenance() {
    let text = "Ça va. Élan attacked Goma.";
    let mut doc = Document::new("d", Metadata::default(), text.to_string());
    doc.meta.url = Some("u".into());
    doc.sentences = vec![
        Sentence {
            span: Span::new(0, 7),
            tokens: 0..0,
        },
        Sentence {
            span: Span::new(8, text.len()),
            tokens: 0..0,
        },
    ];
    let mut b = DocBuilder { doc };
    b.mention(1, "attacked", vec![], vec![], None, None, vec![]);
    let e = mention_to_event(&b.doc, &b.doc.mentions[0]);
    let m = &e.mentions[0];
    assert_eq!(m.trigger, "attacked");
    assert_eq!(m.text, "Élan attacked Goma.");
    assert_eq!((m.start, m.end), (8, text.len()));
    assert_eq!((m.char_start, m.char_end), (7, text.chars().count()));
    assert_eq!(m.url.as_deref(), Some("u"));
    assert_eq!(e.doc_ids, vec!["d".to_string()]);
}

#[test]
fn bad_spans_do_not_panic() {
    let mut b = DocBuilder::new("d", "s", &["Élan attacked Goma."]);
    b.mention(0, "attacked", vec![], vec![], None, None, vec![]);
    b.doc.mentions[0].span = Span::new(1, 500); // inside 'É' and past the end
    b.doc.mentions[0].sentence = 9;
    let e = mention_to_event(&b.doc, &b.doc.mentions[0]);
    assert_eq!(e.mentions[0].start, 0);
    assert_eq!(e.mentions[0].end, b.doc.text.len());
}

#[test]
fn in_doc_result_independent_of_mention_order() {
    let mut a = strike_doc();
    let mut b = strike_doc();
    b.mentions.reverse();
    b.mentions.swap(0, 2);
    InDocMerge::default().process(&mut a).unwrap();
    InDocMerge::default().process(&mut b).unwrap();
    assert_eq!(a.events, b.events);
}

fn single(
    doc_id: &str,
    source: &str,
    loc: Place,
    date: EventDate,
    actors: Vec<Actor>,
    cas: Vec<Casualty>,
) -> Event {
    let mut b = DocBuilder::new(doc_id, source, &["Fighters attacked the town."]);
    b.mention(0, "attacked", actors, vec![], Some(loc), Some(date), cas);
    mention_to_event(&b.doc, &b.doc.mentions[0])
}

#[test]
fn casualty_reports_from_two_sources_kept_apart() {
    let hezb = || vec![actor("Hezbollah", Some("LBN"), &["REB"])];
    let mut a = single(
        "a",
        "Reuters",
        damascus(),
        day(2024, 2, 9),
        hezb(),
        vec![casualty(CasualtyKind::Wounded, 1, Qualifier::Exact, None)],
    );
    let b = single(
        "b",
        "AP",
        damascus(),
        day(2024, 2, 9),
        hezb(),
        vec![casualty(CasualtyKind::Wounded, 3, Qualifier::Exact, None)],
    );
    let c = single(
        "c",
        "AP",
        damascus(),
        day(2024, 2, 9),
        hezb(),
        vec![casualty(CasualtyKind::Wounded, 3, Qualifier::Exact, None)],
    );
    assert!(compatible(&a, &b, &MergeConfig::default()));
    merge_into(&mut a, b);
    merge_into(&mut a, c);
    let mut figs: Vec<(u64, String)> = a
        .wounded
        .iter()
        .map(|c| (c.min, c.source.clone().unwrap()))
        .collect();
    figs.sort();
    assert_eq!(
        figs,
        vec![(1, "Reuters".into()), (3, "AP".into())],
        "two sources, duplicate dropped"
    );
    assert_eq!(a.doc_ids, vec!["a", "b", "c"]);
    assert_eq!(a.mention_count, 3);
}

#[test]
fn exact_figure_replaces_vaguer_one_from_same_source() {
    let mut a = single(
        "a",
        "Reuters",
        damascus(),
        day(2024, 2, 9),
        vec![],
        vec![casualty(
            CasualtyKind::Killed,
            3,
            Qualifier::AtLeast,
            Some("health ministry"),
        )],
    );
    let b = single(
        "b",
        "AP",
        damascus(),
        day(2024, 2, 9),
        vec![],
        vec![casualty(
            CasualtyKind::Killed,
            4,
            Qualifier::Exact,
            Some("Health Ministry"),
        )],
    );
    merge_into(&mut a, b);
    assert_eq!(a.killed.len(), 1);
    assert_eq!(
        (a.killed[0].min, a.killed[0].qualifier),
        (4, Qualifier::Exact)
    );
    // A vaguer figure arriving later from the same source is dropped.
    let c = single(
        "c",
        "AP",
        damascus(),
        day(2024, 2, 9),
        vec![],
        vec![casualty(
            CasualtyKind::Killed,
            2,
            Qualifier::Vague,
            Some("health ministry"),
        )],
    );
    merge_into(&mut a, c);
    assert_eq!(a.killed.len(), 1);
}

#[test]
fn identical_mentions_are_not_duplicated() {
    let mut a = single("a", "R", damascus(), day(2024, 2, 9), vec![], vec![]);
    let b = a.clone();
    merge_into(&mut a, b);
    assert_eq!(a.mention_count, 1);
    assert_eq!(a.mentions.len(), 1);
}

/// A place `km` kilometres east of Damascus.
fn east_of_damascus(km: f64, id: u64) -> Place {
    let mut p = damascus();
    p.geonames_id = id;
    p.name = format!("Town{id}");
    p.feature_code = "PPL".into();
    p.lon += km / (111.32 * p.lat.to_radians().cos());
    p
}

#[test]
fn cross_doc_merge_rules() {
    let cfg = MergeConfig::default();
    let us = || vec![actor("United States", Some("USA"), &["GOV"])];
    let a = single("a", "R", damascus(), day(2024, 2, 9), us(), vec![]);
    let near = single(
        "b",
        "AP",
        east_of_damascus(30.0, 1),
        day(2024, 2, 10),
        us(),
        vec![],
    );
    let far = single(
        "c",
        "AFP",
        east_of_damascus(200.0, 2),
        day(2024, 2, 9),
        us(),
        vec![],
    );
    let mut other_type = single("d", "BBC", damascus(), day(2024, 2, 9), us(), vec![]);
    other_type.event_type = PloverType::Protest;
    let late = single("e", "DW", damascus(), day(2024, 2, 12), us(), vec![]);
    let other_actor = single(
        "f",
        "X",
        damascus(),
        day(2024, 2, 9),
        vec![actor("Turkey", Some("TUR"), &["GOV"])],
        vec![],
    );
    let mut unlocated = single("g", "Y", damascus(), day(2024, 2, 9), us(), vec![]);
    unlocated.location = None;
    let country_level = single("h", "Z", syria(), day(2024, 2, 9), us(), vec![]);

    assert!(compatible(&a, &near, &cfg), "30 km, 1 day, same actor");
    assert!(!compatible(&a, &far, &cfg), "200 km");
    assert!(!compatible(&a, &other_type, &cfg), "different type");
    assert!(!compatible(&a, &late, &cfg), "3 days apart");
    assert!(!compatible(&a, &other_actor, &cfg), "no shared participant");
    assert!(
        !compatible(&a, &unlocated, &cfg),
        "one unlocated across documents"
    );
    assert!(
        compatible(&a, &country_level, &cfg),
        "country contains the town"
    );

    let mut idx = CrossDocIndex::new(cfg);
    for e in [
        a.clone(),
        near.clone(),
        far.clone(),
        other_type.clone(),
        late.clone(),
    ] {
        idx.add(e);
    }
    let out = idx.into_events();
    assert_eq!(out.len(), 4);
    let merged = out
        .iter()
        .find(|e| e.mention_count == 2)
        .expect("a+near merged");
    assert_eq!(merged.doc_ids, vec!["a", "b"]);
}

#[test]
fn cross_doc_ids_independent_of_input_order() {
    let cfg = MergeConfig::default();
    let us = || vec![actor("United States", Some("USA"), &["GOV"])];
    let events = vec![
        single("a", "R", damascus(), day(2024, 2, 9), us(), vec![]),
        single(
            "b",
            "AP",
            east_of_damascus(30.0, 1),
            day(2024, 2, 10),
            us(),
            vec![],
        ),
        single(
            "c",
            "AFP",
            east_of_damascus(200.0, 2),
            day(2024, 2, 9),
            us(),
            vec![],
        ),
        single(
            "d",
            "AFP",
            east_of_damascus(20.0, 3),
            day(2024, 2, 9),
            us(),
            vec![],
        ),
        single("e", "X", baghdad(), day(2024, 2, 9), vec![], vec![]),
        single("f", "Y", baghdad(), day(2024, 2, 9), vec![], vec![]),
    ];
    let run = |evs: Vec<Event>| {
        let mut idx = CrossDocIndex::new(cfg);
        for e in evs {
            idx.add(e);
        }
        let mut out = idx.into_events();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    };
    let fwd = run(events.clone());
    let mut rev = events.clone();
    rev.reverse();
    let rev = run(rev);
    let mut mixed = events;
    mixed.swap(0, 3);
    mixed.swap(1, 4);
    let mixed = run(mixed);
    assert_eq!(fwd, rev);
    assert_eq!(fwd, mixed);
    let ids: std::collections::HashSet<_> = fwd.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids.len(), fwd.len(), "ids unique");
    // Two unattributed Baghdad reports of the same day merge.
    let bag: Vec<_> = fwd
        .iter()
        .filter(|e| e.location.as_ref().is_some_and(|p| p.name == "Baghdad"))
        .collect();
    assert_eq!(bag.len(), 1);
    assert_eq!(bag[0].mention_count, 2);
    // Two unlocated, unattributed reports share a content hash but cannot be merged
    // across documents: they still get distinct ids.
    let unlocated = |d: &str| {
        let mut e = single(d, "Q", baghdad(), day(2024, 3, 1), vec![], vec![]);
        e.location = None;
        e
    };
    let (u1, u2) = (unlocated("u1"), unlocated("u2"));
    assert_eq!(event_id(&u1), event_id(&u2));
    let out = run(vec![u1, u2]);
    assert_eq!(out.len(), 2);
    assert_ne!(out[0].id, out[1].id);
}

#[test]
fn negated_report_does_not_merge_with_factual_one() {
    let mut a = single("a", "R", damascus(), day(2024, 2, 9), vec![], vec![]);
    let mut b = a.clone();
    b.mentions[0].start += 1;
    b.flags = vec!["negated".into()];
    assert!(!compatible(&a, &b, &MergeConfig::default()));
    a.flags = vec!["reported".into()];
    b.flags = vec!["alleged".into()];
    assert!(compatible(&a, &b, &MergeConfig::default()));
}

#[test]
fn month_date_is_compatible_with_a_day_inside_it() {
    let a = single("a", "R", damascus(), day(2024, 2, 9), vec![], vec![]);
    let mut b = a.clone();
    b.date = Some(EventDate {
        granularity: Granularity::Month,
        ..day(2024, 2, 1)
    });
    assert!(compatible(&a, &b, &MergeConfig::default()));
    let mut m = a.clone();
    merge_into(&mut m, b);
    assert_eq!(
        m.date.unwrap().granularity,
        Granularity::Day,
        "most precise date kept"
    );
}

#[test]
fn different_acled_subtypes_stay_apart_across_documents_only() {
    let cfg = MergeConfig::default();
    let mut a = single("a", "R", damascus(), day(2024, 2, 9), vec![], vec![]);
    let mut b = single("b", "AP", damascus(), day(2024, 2, 9), vec![], vec![]);
    a.acled_sub_event_type = Some("Air/drone strike".into());
    b.acled_sub_event_type = Some("Shelling/artillery/missile attack".into());
    assert!(!compatible(&a, &b, &cfg));
    b.acled_sub_event_type = None;
    assert!(compatible(&a, &b, &cfg), "unknown sub-type does not block");
    // Inside one document the rule does not apply.
    let mut c = a.clone();
    c.mentions[0].start += 1;
    c.acled_sub_event_type = Some("Remote explosive/landmine/IED".into());
    assert!(compatible(&a, &c, &cfg));
}

#[test]
fn in_doc_verbal_events_by_different_speakers_stay_apart() {
    let mut b = DocBuilder::new(
        "v",
        "Wire",
        &[
            "Abu Alaa al-Walai accused Washington of aggression.",
            "Senator Smith accused the militia of terrorism.",
            "Fighters attacked a convoy near the border.",
            "The raid killed the commander of the unit.",
        ],
    );
    b.mention(
        0,
        "accused",
        vec![actor("Abu Alaa al-Walai", None, &[])],
        vec![],
        None,
        None,
        vec![],
    )
    .mention(
        1,
        "accused",
        vec![actor("Senator Smith", None, &[])],
        vec![],
        None,
        None,
        vec![],
    )
    .mention(
        2,
        "attacked",
        vec![],
        vec![actor("convoy", None, &[])],
        None,
        None,
        vec![],
    )
    .mention(
        3,
        "raid",
        vec![],
        vec![actor("commander", None, &[])],
        None,
        None,
        vec![],
    );
    b.doc.mentions[0].event_type = PloverType::Accuse;
    b.doc.mentions[1].event_type = PloverType::Accuse;
    let mut doc = b.doc;
    InDocMerge::default().process(&mut doc).unwrap();
    let accuse = doc
        .events
        .iter()
        .filter(|e| e.event_type == PloverType::Accuse)
        .count();
    let assault: Vec<_> = doc
        .events
        .iter()
        .filter(|e| e.event_type == PloverType::Assault)
        .collect();
    assert_eq!(accuse, 2, "different speakers");
    assert_eq!(assault.len(), 1, "partial descriptions of one attack merge");
    assert_eq!(assault[0].recipients.len(), 2);
}

#[test]
fn unlocated_in_doc_mention_joins_the_nearest_compatible_event() {
    let mut b = DocBuilder::new(
        "n",
        "Wire",
        &[
            "Pagers exploded across Lebanon.",
            "The explosions killed 37 people.",
            "A drone struck a car in Damascus.",
            "The strike killed one person.",
        ],
    );
    let lebanon = place(272103, "Lebanon", 33.8, 35.8, "PCLI", "LBN", None, 3);
    b.mention(0, "exploded", vec![], vec![], Some(lebanon), None, vec![])
        .mention(1, "explosions", vec![], vec![], None, None, vec![])
        .mention(2, "struck", vec![], vec![], Some(damascus()), None, vec![])
        .mention(3, "strike", vec![], vec![], None, None, vec![]);
    let mut doc = b.doc;
    InDocMerge::default().process(&mut doc).unwrap();
    assert_eq!(doc.events.len(), 2);
    let sentences = |cc: &str| {
        let e = doc
            .events
            .iter()
            .find(|e| e.location.as_ref().unwrap().country == cc)
            .unwrap();
        e.mentions.iter().map(|m| m.sentence).collect::<Vec<_>>()
    };
    assert_eq!(sentences("LBN"), vec![0, 1]);
    assert_eq!(sentences("SYR"), vec![2, 3]);
}

#[test]
fn large_document_clusters_by_country() {
    // 600 mentions, one sentence each, cycling through 30 distinct countries.
    let sentences: Vec<String> = (0..600)
        .map(|i| format!("Attack number {i} hit a town."))
        .collect();
    let refs: Vec<&str> = sentences.iter().map(String::as_str).collect();
    let mut b = DocBuilder::new("big", "Wire", &refs);
    for i in 0..600 {
        let c = i % 30;
        let p = place(
            500 + c as u64,
            &format!("Capital{c}"),
            10.0 + c as f64,
            20.0,
            "PPLC",
            &format!("C{c:02}"),
            None,
            1,
        );
        b.mention(
            i,
            "hit",
            vec![],
            vec![],
            Some(p),
            Some(day(2024, 2, 9)),
            vec![],
        );
    }
    let mut doc = b.doc;
    InDocMerge::default().process(&mut doc).unwrap();
    assert_eq!(doc.events.len(), 30);
    assert!(doc.events.iter().all(|e| e.mention_count == 20));
}

#[test]
fn in_doc_attacks_on_civilians_and_on_soldiers_stay_apart() {
    let cfg = MergeConfig::default();
    let rebels = || vec![actor("M23", Some("COD"), &["REB"])];
    let mut on_civilians = single("a", "R", damascus(), day(2024, 2, 9), rebels(), vec![]);
    on_civilians.recipients = vec![actor("civilians", None, &["CVL"])];
    let mut on_army = single(
        "a",
        "R",
        east_of_damascus(20.0, 7),
        day(2024, 2, 9),
        rebels(),
        vec![],
    );
    on_army.recipients = vec![actor("military", Some("COD"), &["MIL"])];
    assert!(!chronicle_dedup::compatible_in(
        &on_civilians,
        &on_army,
        &cfg,
        chronicle_dedup::Scope::InDoc
    ));
    // a victim named without coding does not conflict
    let mut named = on_army.clone();
    named.recipients = vec![actor("Abu Example", None, &[])];
    assert!(chronicle_dedup::compatible_in(
        &on_civilians,
        &named,
        &cfg,
        chronicle_dedup::Scope::InDoc
    ));
}

#[test]
fn one_speakers_statement_in_one_document_merges_despite_guessed_places() {
    let cfg = MergeConfig::default();
    let kh = || vec![actor("Kataib Hezbollah", Some("IRQ"), &["UAF"])];
    let mut a = single("a", "R", damascus(), day(2024, 9, 20), kh(), vec![]);
    a.event_type = PloverType::Agree;
    let mut b = single("a", "R", baghdad(), day(2024, 9, 20), kh(), vec![]);
    b.event_type = PloverType::Agree;
    assert!(chronicle_dedup::compatible_in(
        &a,
        &b,
        &cfg,
        chronicle_dedup::Scope::InDoc
    ));
    // material events still need compatible places
    let mut c = a.clone();
    c.event_type = PloverType::Assault;
    let mut d = b.clone();
    d.event_type = PloverType::Assault;
    assert!(!chronicle_dedup::compatible_in(
        &c,
        &d,
        &cfg,
        chronicle_dedup::Scope::InDoc
    ));
}

#[test]
fn the_same_figure_from_two_sources_is_one_corroborated_entry() {
    let hezb = || vec![actor("Hezbollah", Some("LBN"), &["REB"])];
    let killed = |n| vec![casualty(CasualtyKind::Killed, n, Qualifier::Exact, None)];
    let mut a = single(
        "a",
        "Reuters",
        damascus(),
        day(2024, 2, 9),
        hezb(),
        killed(4),
    );
    merge_into(
        &mut a,
        single("b", "AP", damascus(), day(2024, 2, 9), hezb(), killed(4)),
    );
    merge_into(
        &mut a,
        single("c", "AFP", damascus(), day(2024, 2, 9), hezb(), killed(6)),
    );
    let figs: Vec<(u64, String)> = a
        .killed
        .iter()
        .map(|c| (c.min, c.source.clone().unwrap()))
        .collect();
    assert_eq!(figs, vec![(4, "Reuters; AP".into()), (6, "AFP".into())]);
}
