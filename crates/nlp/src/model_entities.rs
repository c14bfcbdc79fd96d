//! Model entities: the trained CoNLL NER ([`crate::NerModel`]) over the document's
//! sentences, adding PER/ORG/MISC entities where the dictionary layer found
//! none (places are left to the dictionary and the geo stage). Takes `doc.sentences`, `doc.tokens` and `doc.entities` (from
//! [`crate::EntityStage`]); adds entities with `source = "model"` and no actor
//! coding except what the dictionary knows for the exact name. Dictionary entities
//! always win on overlap, so actor codes stay the dictionary's.

use crate::{Dictionaries, NerModel};
use chronicle_core::{Document, Entity, EntityKind, Result, Span, Stage};
use std::sync::Arc;

/// Adds the NER model's entities that do not overlap dictionary entities.
pub struct ModelEntityStage {
    model: Arc<NerModel>,
    dict: Arc<Dictionaries>,
}

impl ModelEntityStage {
    pub fn new(model: Arc<NerModel>, dict: Arc<Dictionaries>) -> Self {
        ModelEntityStage { model, dict }
    }
}

impl Stage for ModelEntityStage {
    fn name(&self) -> &'static str {
        "ner-model"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        if doc.sentences.is_empty() {
            return Ok(());
        }
        let sentences: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| {
                doc.tokens[s.tokens.clone()]
                    .iter()
                    .map(|t| doc.text.get(t.span.start..t.span.end).unwrap_or(""))
                    .collect()
            })
            .collect();
        let predicted = self.model.predict_document(&sentences);
        let mut added = Vec::new();
        for (si, spans) in predicted.into_iter().enumerate() {
            let range = doc.sentences[si].tokens.clone();
            for (a, b, kind) in spans {
                // places stay with the dictionary and the geo stage's gazetteer
                // matching (tuned for toponyms); the model adds people and organisations
                if a >= b || range.start + b > range.end || kind == EntityKind::Loc {
                    continue;
                }
                let span = Span::new(
                    doc.tokens[range.start + a].span.start,
                    doc.tokens[range.start + b - 1].span.end,
                );
                if doc.entities.iter().any(|e| e.span.overlaps(span))
                    || doc.places.iter().any(|p| p.span.overlaps(span))
                {
                    continue;
                }
                let text = doc.text[span.start..span.end].to_string();
                let actor = self.dict.lookup_actor(&text);
                added.push(Entity {
                    span,
                    sentence: si,
                    kind,
                    text,
                    actor,
                    source: "model".into(),
                });
            }
        }
        if !added.is_empty() {
            doc.entities.extend(added);
            doc.entities.sort_by_key(|e| e.span.start);
        }
        Ok(())
    }
}
