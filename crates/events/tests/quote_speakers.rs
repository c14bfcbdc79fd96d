//! Pronoun speakers skip names inside the quotation and role groups.

use chronicle_core::{Actor, Document, Entity, EntityKind, Metadata, Stage};
use chronicle_events::facts::QuoteStage;

fn ent(doc: &Document, name: &str, nth: usize, kind: EntityKind) -> Entity {
    let start = doc.text.match_indices(name).nth(nth).unwrap().0;
    Entity {
        span: chronicle_core::Span::new(start, start + name.len()),
        sentence: 0,
        kind,
        text: name.to_string(),
        actor: Some(Actor {
            name: name.to_string(),
            ..Actor::default()
        }),
        source: "test".into(),
    }
}

#[test]
fn he_is_the_last_named_speaker_not_a_quoted_name_or_a_group() {
    let text = "Commander Rosa Adeyemi said her unit was ready.\n\n\
                \u{201c}Colonel Brandt once told me that the river was ours,\u{201d} he added.\n\n\
                He said his fighters were \u{201c}ready for the order\u{201d} to move.\n\n\
                \u{201c}We will hold the bridge,\u{201d} he declared.";
    // the text says "he" for Rosa on purpose: the resolver must pick the named speaker
    let mut doc = Document::new("q", Metadata::default(), text.to_string());
    doc.entities = vec![
        ent(&doc, "Rosa Adeyemi", 0, EntityKind::Per),
        ent(&doc, "Brandt", 0, EntityKind::Per),
        ent(&doc, "fighters", 0, EntityKind::Per),
    ];
    QuoteStage.process(&mut doc).unwrap();
    for needle in ["river was ours", "ready for the order", "hold the bridge"] {
        let q = doc
            .quotes
            .iter()
            .find(|q| q.text.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {:?}", doc.quotes));
        assert_eq!(
            q.speaker.as_ref().map(|s| s.name.as_str()),
            Some("Rosa Adeyemi"),
            "{needle}"
        );
    }
}

#[test]
fn a_participial_aside_between_speaker_and_cue_is_skipped() {
    let text = "Lena Ortiz, speaking during a visit to the port, which was broadcast by \
                Channel Nine on Monday, stated that the talks would resume.";
    let mut doc = Document::new("q2", Metadata::default(), text.to_string());
    doc.entities = vec![
        ent(&doc, "Lena Ortiz", 0, EntityKind::Per),
        ent(&doc, "Channel Nine", 0, EntityKind::Org),
    ];
    QuoteStage.process(&mut doc).unwrap();
    let q = doc
        .quotes
        .iter()
        .find(|q| q.text.contains("talks would resume"))
        .expect("indirect quote");
    assert_eq!(
        q.speaker.as_ref().map(|s| s.name.as_str()),
        Some("Lena Ortiz")
    );
}
