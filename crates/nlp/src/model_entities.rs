//! Model entities: the trained CoNLL NER ([`crate::NerModel`]) over the document's
//! sentences, adding PER/ORG/MISC entities where the dictionary layer found
//! none (places are left to the dictionary and the geo stage). Takes `doc.sentences`, `doc.tokens` and `doc.entities` (from
//! [`crate::EntityStage`]); adds entities with `source = "model"` and no actor
//! coding except what the dictionary knows for the exact name. Dictionary entities
//! always win on overlap, so actor codes stay the dictionary's.
//!
//! When every token of a sentence already has a UPOS tag in `Token.pos` (the
//! [`crate::PosTagger`] stage ran before), those tags are the model's POS
//! features and the sentence is not tagged again; otherwise the model tags it.
//! Build the model with [`NerModel::load_with`] to share the pipeline's tagger.
//! Predicted names without a capital letter (mojibake such as `€`, lone `&`,
//! spans over lower-case text) are dropped.

use crate::tagger::upos_index;
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
        // POS tags of the sentences whose every token the POS stage tagged
        let pos: Vec<Vec<u8>> = doc
            .sentences
            .iter()
            .map(|s| {
                doc.tokens[s.tokens.clone()]
                    .iter()
                    .map(|t| t.pos.as_deref().and_then(upos_index))
                    .collect::<Option<Vec<u8>>>()
                    .unwrap_or_default()
            })
            .collect();
        let predicted = self.model.predict_document_with_pos(&sentences, Some(&pos));
        self.add_predicted(doc, predicted);
        Ok(())
    }
}

impl ModelEntityStage {
    /// Adds predicted spans (per sentence: first token, end token exclusive,
    /// kind) as entities, skipping places, overlaps with dictionary entities or
    /// places, and names without a capital letter.
    fn add_predicted(&self, doc: &mut Document, predicted: Vec<Vec<(usize, usize, EntityKind)>>) {
        let mut added = Vec::new();
        for (si, spans) in predicted.into_iter().enumerate() {
            let Some(range) = doc.sentences.get(si).map(|s| s.tokens.clone()) else {
                break;
            };
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
                // names have a capital letter: mojibake and symbols ("€", "&")
                // and runs over lower-case text (badly decoded pages) are noise
                if !text.chars().any(char::is_uppercase) {
                    continue;
                }
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityStage, PosTagger, Tokenizer};
    use chronicle_core::Metadata;
    use std::path::Path;

    /// The repository's data folder, when the NER model is shipped in it.
    fn shipped_data() -> Option<std::path::PathBuf> {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let ok = data
            .join("models")
            .join(crate::tagger::ner::NER_MODEL_FILE)
            .exists();
        if !ok {
            println!("skipping: no shipped NER model");
        }
        ok.then_some(data)
    }

    #[test]
    fn shared_tagger_and_stage_pos_give_the_same_entities() {
        let Some(data) = shipped_data() else {
            return;
        };
        let pos = Arc::new(PosTagger::load(&data).unwrap());
        let own = Arc::new(NerModel::load(&data).unwrap());
        let shared = Arc::new(NerModel::load_with(&data, pos.clone()).unwrap());
        assert!(Arc::ptr_eq(shared.pos_tagger(), &pos));
        let dict = Arc::new(Dictionaries::load(&data).unwrap());
        let text =
            "Jakob Lindqvist of the Baltic Shipping Federation met Ms. Okonkwo in Tallinn.\n\n\
                    Lindqvist said the Federation would appeal. Police detained 12 people.";
        let run = |model: &Arc<NerModel>, with_pos: bool| {
            let mut doc = Document::new("d", Metadata::default(), text.to_string());
            Tokenizer.process(&mut doc).unwrap();
            if with_pos {
                pos.process(&mut doc).unwrap();
            }
            EntityStage::new(dict.clone()).process(&mut doc).unwrap();
            ModelEntityStage::new(model.clone(), dict.clone())
                .process(&mut doc)
                .unwrap();
            doc.entities
                .iter()
                .map(|e| (e.span, e.kind, e.source.clone()))
                .collect::<Vec<_>>()
        };
        let base = run(&own, false);
        assert!(base.iter().any(|e| e.2 == "model"), "{base:?}");
        assert_eq!(run(&shared, false), base);
        assert_eq!(run(&shared, true), base);
        assert_eq!(run(&own, true), base);
    }

    #[test]
    fn names_without_capitals_are_dropped() {
        let Some(data) = shipped_data() else {
            return;
        };
        let model = Arc::new(NerModel::load(&data).unwrap());
        let dict = Arc::new(Dictionaries::load(&data).unwrap());
        // mojibake tokens as they come from badly decoded pages
        let text = "Zorbec met kar sevaks\u{e2} \u{20ac} \u{2122} in Qarvistan .";
        let mut doc = Document::new("d", Metadata::default(), text.to_string());
        Tokenizer.process(&mut doc).unwrap();
        let words: Vec<&str> = doc
            .tokens
            .iter()
            .map(|t| &text[t.span.start..t.span.end])
            .collect();
        let at = |w: &str| words.iter().position(|x| *x == w).unwrap();
        let (euro, tm) = (at("\u{20ac}"), at("\u{2122}"));
        assert_eq!(doc.sentences.len(), 1, "{words:?}");
        // as if the model had tagged a name, lower-case words, the mojibake and a place
        let predicted = vec![vec![
            (0, 1, EntityKind::Per),
            (2, 4, EntityKind::Org),
            (euro, tm + 1, EntityKind::Org),
            (tm, tm + 1, EntityKind::Misc),
            (tm + 2, tm + 3, EntityKind::Loc),
        ]];
        ModelEntityStage::new(model, dict).add_predicted(&mut doc, predicted);
        let got: Vec<(&str, EntityKind)> = doc
            .entities
            .iter()
            .map(|e| (e.text.as_str(), e.kind))
            .collect();
        assert_eq!(got, vec![("Zorbec", EntityKind::Per)]);
    }
}
