//! Errors. A [`RecordError`] names the record (file, line) and the reason; a batch
//! collects them and goes on with the good records.

use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Record(#[from] RecordError),
    #[error("stage {stage}: {reason}")]
    Stage { stage: &'static str, reason: String },
    #[error("data: {0}")]
    Data(String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Other(String),
}

/// One bad input record: where it came from and why it was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{origin}: {reason}")]
pub struct RecordError {
    /// `path`, `path:line` or `path#item` — enough for a user to find the record.
    pub origin: String,
    pub reason: String,
}

impl RecordError {
    pub fn new(origin: impl Into<String>, reason: impl Into<String>) -> Self {
        RecordError {
            origin: origin.into(),
            reason: reason.into(),
        }
    }
}
