//! Event coder behaviour on hand-built documents (tokens and entities set by the
//! test, so this checks the coder alone).

use chronicle_core::{
    Actor, Document, Entity, EntityKind, Metadata, PloverType, Sentence, Span, Stage, Token,
};
use chronicle_events::EventStage;
use std::path::Path;

fn stage() -> EventStage {
    EventStage::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")).unwrap()
}

type EntSpec<'a> = (&'a str, EntityKind, Option<(&'a str, &'a str, &'a str)>);

/// An organisation entity spec whose actor has the same name.
fn org<'a>(name: &'a str, country: &'a str, sector: &'a str) -> EntSpec<'a> {
    (name, EntityKind::Org, Some((name, country, sector)))
}

/// Whitespace/punctuation tokenizer for tests; one sentence per line.
fn doc(text: &str, ents: &[EntSpec]) -> Document {
    let mut d = Document::new("t", Metadata::default(), text.to_string());
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let s0 = d.tokens.len();
        let mut i = 0;
        let b = line.as_bytes();
        let wordy = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c >= 0x80;
        while i < b.len() {
            if b[i].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let j0 = i;
            if wordy(b[i]) && b[i] != 0xe2 {
                while i < b.len()
                    && ((wordy(b[i]) && b[i] != 0xe2)
                        || (b[i] == b',' && i + 1 < b.len() && b[i + 1].is_ascii_digit()))
                {
                    i += 1;
                }
            } else if b[i] == 0xe2 {
                i += 3; // curly quote
            } else {
                i += 1;
            }
            d.tokens.push(Token {
                span: Span::new(start + j0, start + i),
                ..Token::default()
            });
        }
        let end = start + line.trim_end().len();
        d.sentences.push(Sentence {
            span: Span::new(start, end),
            tokens: s0..d.tokens.len(),
        });
        start += line.len();
    }
    for (name, kind, actor) in ents {
        let mut from = 0;
        while let Some(p) = d.text[from..].find(name) {
            let s = from + p;
            let sentence = d.sentence_of(s).unwrap();
            d.entities.push(Entity {
                span: Span::new(s, s + name.len()),
                sentence,
                kind: *kind,
                text: name.to_string(),
                actor: actor.map(|(n, c, sec)| Actor {
                    name: n.into(),
                    country: Some(c.into()),
                    sectors: vec![sec.into()],
                    ..Actor::default()
                }),
                source: "test".into(),
            });
            from = s + name.len();
        }
    }
    d.entities.sort_by_key(|e| e.span.start);
    d
}

#[test]
fn active_voice_actor_and_recipient() {
    let mut d = doc(
        "Rebels of the Alpha Front attacked Bravo Army positions on Monday.",
        &[
            org("Alpha Front", "COD", "REB"),
            org("Bravo Army", "COD", "MIL"),
        ],
    );
    stage().process(&mut d).unwrap();
    assert_eq!(d.mentions.len(), 1, "{:?}", d.mentions);
    let m = &d.mentions[0];
    assert_eq!(m.event_type, PloverType::Assault);
    assert_eq!(m.actors[0].name, "Alpha Front");
    assert_eq!(m.recipients[0].name, "Bravo Army");
    assert_eq!(m.acled_event_type.as_deref(), Some("Battles"));
}

#[test]
fn passive_voice_swaps_roles() {
    let mut d = doc(
        "A commander of Delta Brigade was killed by Echo Forces in a drone strike.",
        &[
            org("Delta Brigade", "IRQ", "REB"),
            org("Echo Forces", "ISR", "MIL"),
        ],
    );
    stage().process(&mut d).unwrap();
    assert_eq!(d.mentions.len(), 1, "{:?}", d.mentions);
    let m = &d.mentions[0];
    assert_eq!(m.recipients[0].name, "Delta Brigade");
    assert_eq!(m.actors[0].name, "Echo Forces");
    assert_eq!(m.mode.as_deref(), Some("drone"));
}

#[test]
fn negated_habitual_and_conditional_statements_are_not_events() {
    let mut d = doc(
        "Zulu did not attack the town.\nZulu frequently strikes camps in the north.\nIf Zulu attacks, Yankee will respond.",
        &[
            ("Zulu", EntityKind::Loc, Some(("Zulu", "ZZZ", "GOV"))),
            ("Yankee", EntityKind::Loc, Some(("Yankee", "YYY", "GOV"))),
        ],
    );
    stage().process(&mut d).unwrap();
    assert!(d.mentions.is_empty(), "{:?}", d.mentions);
}

#[test]
fn negated_acceptance_is_a_rejection() {
    let mut d = doc(
        "Washington cannot accept the ceasefire proposal.",
        &[(
            "Washington",
            EntityKind::Loc,
            Some(("United States", "USA", "GOV")),
        )],
    );
    stage().process(&mut d).unwrap();
    assert_eq!(d.mentions.len(), 1);
    assert_eq!(d.mentions[0].event_type, PloverType::Reject);
    assert_eq!(d.mentions[0].actors[0].country.as_deref(), Some("USA"));
}

#[test]
fn purpose_clause_is_part_of_the_main_event() {
    let mut d = doc(
        "The Kilo Group vowed to send 5,000 fighters to Lima to support the Mike Movement.",
        &[
            org("Kilo Group", "AAA", "REB"),
            ("Lima", EntityKind::Loc, Some(("Lima", "BBB", "GOV"))),
            org("Mike Movement", "BBB", "REB"),
        ],
    );
    stage().process(&mut d).unwrap();
    assert_eq!(d.mentions.len(), 1, "{:?}", d.mentions);
    let m = &d.mentions[0];
    assert_eq!(m.event_type, PloverType::Agree);
    assert!(m.flags.iter().any(|f| f == "intent"), "{:?}", m.flags);
    assert_eq!(m.actors[0].name, "Kilo Group");
    // a country after "to" is a destination, not a recipient
    assert!(m.recipients.iter().all(|r| r.name != "Lima"));
    assert!(m.recipients.iter().any(|r| r.name == "Mike Movement"));
}

#[test]
fn blamed_on_gives_an_alleged_actor() {
    let mut d = doc(
        "The blasts, widely blamed on Oscar, killed 12 people.",
        &[("Oscar", EntityKind::Loc, Some(("Oscar", "OSC", "GOV")))],
    );
    stage().process(&mut d).unwrap();
    assert_eq!(d.mentions.len(), 1, "{:?}", d.mentions);
    let m = &d.mentions[0];
    assert_eq!(m.event_type, PloverType::Assault);
    assert_eq!(m.actors[0].name, "Oscar");
    assert_eq!(
        m.actors[0].attribution,
        chronicle_core::Attribution::Alleged
    );
    assert!(m.flags.contains(&"alleged".to_string()));
}

#[test]
fn anaphoric_noun_without_new_information_is_dropped() {
    let mut d = doc(
        "Officials gave no comment on the strike.\nThe meeting was described as tense.",
        &[],
    );
    stage().process(&mut d).unwrap();
    assert!(d.mentions.is_empty(), "{:?}", d.mentions);
}

#[test]
fn triggers_inside_direct_quotes_are_skipped() {
    let text = "\u{201c}We will attack them everywhere,\u{201d} the commander said.";
    let mut d = doc(text, &[]);
    let open = text.find('\u{201c}').unwrap() + '\u{201c}'.len_utf8();
    let close = text.find('\u{201d}').unwrap();
    d.quotes.push(chronicle_core::Quote {
        span: Span::new(open, close),
        sentence: 0,
        kind: chronicle_core::QuoteKind::Direct,
        text: text[open..close].to_string(),
        speaker: None,
        cue: Some("said".into()),
    });
    stage().process(&mut d).unwrap();
    assert!(d.mentions.is_empty(), "{:?}", d.mentions);
}

#[test]
fn coordinated_subjects_are_all_actors() {
    let mut d = doc(
        "Alpha Front, Bravo Army and Charlie Party agreed to a ceasefire.",
        &[
            org("Alpha Front", "COD", "REB"),
            org("Bravo Army", "COD", "MIL"),
            org("Charlie Party", "COD", "PTY"),
        ],
    );
    stage().process(&mut d).unwrap();
    let m = d
        .mentions
        .iter()
        .find(|m| m.event_type == PloverType::Agree)
        .expect("an AGREE mention");
    let names: Vec<&str> = m.actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Alpha Front", "Bravo Army", "Charlie Party"]);
}

#[test]
fn light_verb_subject_acts_for_a_nominal_trigger() {
    let mut d = doc(
        "Alpha Front launched an attack on Bravo Army positions near the river.",
        &[
            org("Alpha Front", "COD", "REB"),
            org("Bravo Army", "COD", "MIL"),
        ],
    );
    stage().process(&mut d).unwrap();
    let m = d
        .mentions
        .iter()
        .find(|m| m.event_type == PloverType::Assault)
        .unwrap_or_else(|| panic!("no ASSAULT in {:?}", d.mentions));
    assert_eq!(m.actors.len(), 1, "{:?}", m.actors);
    assert_eq!(m.actors[0].name, "Alpha Front");
    assert_eq!(m.recipients[0].name, "Bravo Army");
}
