//! The model layer adds unknown people/organisations and never overrides the dictionary.

use chronicle_core::{Document, EntityKind, Metadata, Stage};
use chronicle_nlp::{Dictionaries, EntityStage, ModelEntityStage, NerModel, Tokenizer};
use std::path::Path;
use std::sync::Arc;

#[test]
fn model_entities_fill_gaps_left_by_the_dictionary() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    if !data.join("models/ner-conll.bin").exists() {
        eprintln!("SKIPPED: no NER model in data/models");
        return;
    }
    let dict = Arc::new(Dictionaries::load(&data).unwrap());
    let model = Arc::new(NerModel::load(&data).unwrap());
    // "Juventus" is a single capitalised word with no cue: the dictionary rules skip it
    let text = "Hezbollah fighters watched as Leeds United beat Juventus 2-1 on Saturday.";
    let mut doc = Document::new("m", Metadata::default(), text.to_string());
    Tokenizer.process(&mut doc).unwrap();
    EntityStage::new(dict.clone()).process(&mut doc).unwrap();
    let before: Vec<_> = doc.entities.iter().map(|e| (e.span, e.kind)).collect();
    ModelEntityStage::new(model, dict)
        .process(&mut doc)
        .unwrap();
    // dictionary entities are untouched
    for (span, kind) in &before {
        assert!(doc
            .entities
            .iter()
            .any(|e| e.span == *span && e.kind == *kind));
    }
    let added: Vec<_> = doc
        .entities
        .iter()
        .filter(|e| e.source == "model")
        .collect();
    assert!(
        added
            .iter()
            .any(|e| e.text == "Juventus" && e.kind == EntityKind::Org),
        "{added:?}"
    );
    // no overlaps, text order
    for w in doc.entities.windows(2) {
        assert!(w[0].span.end <= w[1].span.start, "{:?} / {:?}", w[0], w[1]);
    }
}
