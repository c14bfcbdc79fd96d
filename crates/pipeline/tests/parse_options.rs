//! The optional dependency parse changes who the coder names as the parties:
//! coordinated subjects and passive agents come from the parse tree, and only
//! sentences with event-trigger candidates or speech cues are parsed; the quote
//! stage reads speakers and reported clauses from that parse.

use chronicle_core::{Document, Metadata};
use chronicle_pipeline::{default_data_dir, Chronicle, Options};

fn events(c: &Chronicle, text: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let meta = Metadata {
        published: Some("2024-05-03T00:00:00Z".parse().unwrap()),
        ..Metadata::default()
    };
    let doc = c
        .annotate(Document::new("t", meta, text.to_string()))
        .unwrap();
    doc.events
        .iter()
        .map(|e| {
            (
                e.event_type.as_str().to_string(),
                e.actors.iter().map(|a| a.name.clone()).collect(),
                e.recipients.iter().map(|a| a.name.clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn parse_fills_heads_and_names_coordinated_subjects() {
    let data = default_data_dir();
    let opts = Options {
        parse: true,
        ..Options::default()
    };
    let c = Chronicle::load_with(&data, opts).expect("pipeline with parser loads");
    let doc = c
        .annotate(Document::new(
            "h",
            Metadata::default(),
            "Rebels attacked the base. The weather was mild. Polls show that the senator leads the race.".into(),
        ))
        .unwrap();
    assert_eq!(doc.sentences.len(), 3);
    // only the sentence with a trigger is tagged and parsed
    let first = &doc.tokens[doc.sentences[0].tokens.clone()];
    let second = &doc.tokens[doc.sentences[1].tokens.clone()];
    assert!(first.iter().all(|t| t.pos.is_some()));
    assert!(first.iter().any(|t| t.deprel.as_deref() == Some("nsubj")));
    assert!(second.iter().all(|t| t.deprel.is_none()));
    // a verb reporting a belief through a clause: parsed, and read as a quote
    let third = &doc.tokens[doc.sentences[2].tokens.clone()];
    assert!(third.iter().any(|t| t.deprel.as_deref() == Some("ccomp")));
    let q = doc
        .quotes
        .iter()
        .find(|q| q.cue.as_deref() == Some("show"))
        .unwrap_or_else(|| panic!("a quote cued by \"show\": {:#?}", doc.quotes));
    assert_eq!(q.text, "the senator leads the race");

    let ev = events(
        &c,
        "Jordan and Britain agreed to hold joint military exercises.",
    );
    let agree = ev.iter().find(|e| e.0 == "AGREE").expect("an AGREE event");
    assert!(agree.1.iter().any(|a| a == "Jordan"), "{ev:?}");
    assert!(agree.1.iter().any(|a| a == "United Kingdom"), "{ev:?}");

    let ev = events(
        &c,
        "Two Kenyan soldiers were killed by Al-Shabaab militants in Mandera.",
    );
    let assault = ev
        .iter()
        .find(|e| e.0 == "ASSAULT")
        .expect("an ASSAULT event");
    assert!(assault.1.iter().any(|a| a.contains("Shabaab")), "{ev:?}");
    assert!(!assault.2.iter().any(|a| a.contains("Shabaab")), "{ev:?}");
}
