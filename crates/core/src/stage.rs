//! The seams: a [`Stage`] annotates a document, a [`Sink`] receives events, a
//! [`Pipeline`] runs stages in order.

use crate::{Document, Event, Result};
use std::time::{Duration, Instant};

/// A pipeline component. It reads the layers earlier stages added and adds its own.
/// It must not re-tokenise or re-parse what an earlier stage produced.
pub trait Stage: Send + Sync {
    fn name(&self) -> &'static str;
    fn process(&self, doc: &mut Document) -> Result<()>;
}

/// A stage shared between pipelines or between two places in one pipeline
/// (e.g. a model that another stage also reads).
impl<S: Stage + ?Sized> Stage for std::sync::Arc<S> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn process(&self, doc: &mut Document) -> Result<()> {
        (**self).process(doc)
    }
}

/// Receives finished events (store, JSONL writer, ...).
pub trait Sink {
    fn write(&mut self, events: &[Event]) -> Result<()>;
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Ordered list of stages.
#[derive(Default)]
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    pub fn new() -> Self {
        Pipeline::default()
    }
    pub fn with(mut self, stage: impl Stage + 'static) -> Self {
        self.stages.push(Box::new(stage));
        self
    }
    pub fn push(&mut self, stage: Box<dyn Stage>) {
        self.stages.push(stage);
    }
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }
    /// Run every stage; stops at the first failing stage and names it.
    pub fn process(&self, doc: &mut Document) -> Result<()> {
        for s in &self.stages {
            s.process(doc)?;
        }
        Ok(())
    }
    /// Run every stage and return the time each took (for benchmarks).
    pub fn process_timed(&self, doc: &mut Document) -> Result<Vec<(&'static str, Duration)>> {
        let mut out = Vec::with_capacity(self.stages.len());
        for s in &self.stages {
            let t = Instant::now();
            s.process(doc)?;
            out.push((s.name(), t.elapsed()));
        }
        Ok(out)
    }
}
