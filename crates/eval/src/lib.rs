//! # chronicle-eval
//!
//! The scoreboard: scores every chronicle stage on the third-party development data
//! (`/work/shared/eval`-style folder, one sub-folder per dataset) and a throughput
//! benchmark. Takes a data folder and the loaded pipeline; gives [`report::Row`]s
//! rendered as a table, a Markdown section of `docs/quality.md` and JSON.
//!
//! * [`metrics`] — P/R/F1, macro/weighted F1, distance errors (pure functions);
//! * [`mapping`] — CAMEO→PLOVER (read at run time), PLOVER+mode→ACLED, ACLED→CASE labels;
//! * [`datasets`] — one reader + scorer + runner per dataset;
//! * [`system`] — the system under test behind a trait (pipeline + HTML extractor);
//! * [`report`] — table / Markdown / JSON output.

pub mod datasets;
pub mod mapping;
pub mod metrics;
pub mod report;
pub mod system;
