//! # chronicle-pipeline
//!
//! Builds the full stage list (nlp → geo → facts → events → event location →
//! ACLED actor names → in-document dedup) from the shipped `data/` folder, and runs it on documents.
//! Integration point for the CLI, the evaluation harness and benchmarks.

use chronicle_core::{Document, Pipeline, Result};
use chronicle_events::facts::{CasualtyStage, DateStage, QuoteStage};
use chronicle_events::{AcledActorStage, EventStage};
use chronicle_geo::{EventLocationStage, Gazetteer, GeoStage};
use chronicle_nlp::{
    DepParser, Dictionaries, EntityStage, ModelEntityStage, NerModel, PosTagger, Tokenizer,
};
use std::path::{Path, PathBuf};
use syntax::EventSyntax;

mod syntax;
use std::sync::Arc;
use std::time::Duration;

/// Locate the data folder: `$CHRONICLE_DATA`, then `data/` next to the executable
/// or its parents, then the source tree's `data/`.
pub fn default_data_dir() -> PathBuf {
    if let Ok(p) = std::env::var("CHRONICLE_DATA") {
        return PathBuf::from(p);
    }
    if let Ok(exe) = std::env::current_exe() {
        for dir in exe.ancestors().skip(1).take(4) {
            let cand = dir.join("data");
            if cand.join("README.md").exists() {
                return cand;
            }
        }
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// Folder holding place lists added by `chronicle gazetteer import`.
pub fn imported_places_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("gazetteer").join("imported")
}

/// The shipped gazetteer plus every file a user imported (GeoNames format).
pub fn load_gazetteer(data_dir: &Path) -> Result<Gazetteer> {
    let mut gaz = Gazetteer::load(data_dir)?;
    let dir = imported_places_dir(data_dir);
    if dir.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        if !files.is_empty() {
            gaz.import(&files)?;
        }
    }
    Ok(gaz)
}

/// Optional trained-model stages, off by default because each costs more per
/// document than the rest of the pipeline (see docs/quality.md): the POS tagger,
/// the dependency parse (which the event coder then uses for subjects, objects,
/// agents and voice) and the model NER.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Trained POS tagger + lemmatiser: fills `Token.pos` and `Token.lemma`.
    pub pos: bool,
    /// Dependency parse of the sentences with event-trigger candidates (tagging
    /// them first when `pos` is off): fills `Token.head`/`Token.deprel` there; the
    /// event coder reads arguments and voice from it instead of word-order rules.
    pub parse: bool,
    /// Trained NER: adds people and organisations the dictionaries and gazetteer missed.
    pub ner_model: bool,
}

/// The loaded pipeline: every stage with its read-only models.
pub struct Chronicle {
    pipeline: Pipeline,
}

impl Chronicle {
    /// Load every default stage's data from `data_dir`.
    pub fn load(data_dir: &Path) -> Result<Chronicle> {
        Chronicle::load_with(data_dir, Options::default())
    }

    /// Load with optional stages switched on or off.
    pub fn load_with(data_dir: &Path, opts: Options) -> Result<Chronicle> {
        let dict = Arc::new(Dictionaries::load(data_dir)?);
        let gaz = Arc::new(load_gazetteer(data_dir)?);
        Chronicle::with_gazetteer(data_dir, dict, gaz, opts)
    }

    /// Build with already-loaded dictionaries and gazetteer (e.g. one with imported places).
    pub fn with_gazetteer(
        data_dir: &Path,
        dict: Arc<Dictionaries>,
        gaz: Arc<Gazetteer>,
        opts: Options,
    ) -> Result<Chronicle> {
        let mut pipeline = Pipeline::new().with(Tokenizer);
        let tagger = if opts.pos || opts.parse {
            Some(Arc::new(PosTagger::load(data_dir)?))
        } else {
            None
        };
        if let (true, Some(t)) = (opts.pos, &tagger) {
            pipeline = pipeline.with(t.clone());
        }
        pipeline = pipeline
            .with(EntityStage::new(dict.clone()))
            .with(GeoStage::new(gaz.clone()));
        if opts.ner_model {
            // after geo: the model adds people and organisations where neither the
            // dictionaries nor the gazetteer matched
            pipeline = pipeline.with(ModelEntityStage::new(
                Arc::new(match &tagger {
                    Some(t) => NerModel::load_with(data_dir, t.clone())?,
                    None => NerModel::load(data_dir)?,
                }),
                dict,
            ));
        }
        let coder = Arc::new(EventStage::load(data_dir)?);
        pipeline = pipeline.with(DateStage);
        if let (true, Some(tagger)) = (opts.parse, tagger) {
            // before quotes and events, which both read the parse
            pipeline = pipeline.with(EventSyntax {
                tagger,
                parser: Arc::new(DepParser::load(data_dir)?),
                coder: coder.clone(),
            });
        }
        let pipeline = pipeline
            // quotes before casualties: casualty sources reuse resolved quote speakers
            .with(QuoteStage)
            .with(CasualtyStage)
            .with(coder)
            .with(EventLocationStage::new(gaz))
            .with(AcledActorStage::load(data_dir)?)
            .with(chronicle_dedup::InDocMerge::default());
        Ok(Chronicle { pipeline })
    }

    /// Run all stages on one document (adds every layer, incl. `doc.events`).
    pub fn annotate(&self, mut doc: Document) -> Result<Document> {
        self.pipeline.process(&mut doc)?;
        Ok(doc)
    }

    /// Like [`Chronicle::annotate`], also returning each stage's time.
    pub fn annotate_timed(
        &self,
        mut doc: Document,
    ) -> Result<(Document, Vec<(&'static str, Duration)>)> {
        let t = self.pipeline.process_timed(&mut doc)?;
        Ok((doc, t))
    }

    pub fn stage_names(&self) -> Vec<&'static str> {
        self.pipeline.stage_names()
    }
}
