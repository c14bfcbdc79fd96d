//! Selective syntax: POS tags and a dependency parse for the sentences the event
//! coder will read.
//!
//! Takes a tokenized document; for every sentence where the event lexicon matches a
//! trigger or a speech cue occurs (the quote stage reads speakers and reported
//! clauses from the parse) it fills `Token.pos`/`Token.lemma` (unless a full POS pass already did)
//! and `Token.head`/`Token.deprel`. Other sentences are left unparsed, which keeps
//! the parse's cost proportional to the sentences that can yield events.

use chronicle_core::{Document, Error, Result, Stage};
use chronicle_events::facts::speech_sentences;
use chronicle_events::EventStage;
use chronicle_nlp::{DepParser, PosTagger};
use std::sync::Arc;

/// Tags and parses the sentences with event-trigger candidates or speech cues.
pub struct EventSyntax {
    pub tagger: Arc<PosTagger>,
    pub parser: Arc<DepParser>,
    /// Only its lexicon is used, to find the candidate sentences.
    pub coder: Arc<EventStage>,
}

impl Stage for EventSyntax {
    fn name(&self) -> &'static str {
        "parse"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        let mut todo = self.coder.trigger_sentences(doc);
        todo.extend(speech_sentences(doc));
        todo.sort_unstable();
        todo.dedup();
        for si in todo {
            let r = doc.sentences[si].tokens.clone();
            if doc.tokens[r.clone()].iter().any(|t| t.pos.is_none()) {
                let words: Vec<&str> = doc.tokens[r.clone()]
                    .iter()
                    .map(|t| doc.text.get(t.span.start..t.span.end).unwrap_or(""))
                    .collect();
                let tags = self.tagger.tag(&words);
                if tags.len() != r.len() {
                    return Err(Error::Stage {
                        stage: "parse",
                        reason: format!(
                            "document {}: sentence {si}: tagger gave {} tags for {} tokens",
                            doc.id,
                            tags.len(),
                            r.len()
                        ),
                    });
                }
                for (t, (upos, lemma)) in doc.tokens[r].iter_mut().zip(tags) {
                    t.pos = Some(upos.to_string());
                    t.lemma = Some(lemma);
                }
            }
            self.parser.parse_sentence(doc, si)?;
        }
        Ok(())
    }
}
