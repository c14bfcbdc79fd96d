//! The system under test, behind a small trait so scorers can be exercised with a
//! fake in unit tests: text documents go through `chronicle_pipeline::Chronicle`,
//! HTML pages through `chronicle_ingest::extract_html` (when the `html` feature is
//! on; otherwise HTML scorers report "skipped (ingest not wired)").

use chronicle_core::{Document, Metadata};
use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;

use std::time::Duration;

/// Per-stage wall times of one document.
pub type StageTimes = Vec<(&'static str, Duration)>;

/// What the HTML extractor gives back (mirrors `chronicle_ingest::Article`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub title: Option<String>,
    pub text: String,
    pub authors: Vec<String>,
    pub published: Option<DateTime<Utc>>,
}

/// The system under test.
pub trait System: Sync {
    /// Run every stage on one document.
    fn annotate(&self, doc: Document) -> Result<Document, String>;
    /// Like `annotate`, with per-stage times.
    fn annotate_timed(&self, doc: Document) -> Result<(Document, StageTimes), String> {
        self.annotate(doc).map(|d| (d, Vec::new()))
    }
    /// Main-text and metadata extraction from raw HTML bytes; `Err` when unavailable or failed.
    fn extract_html(&self, bytes: &[u8], origin: &str) -> Result<Extracted, String>;
    /// Whether `extract_html` is wired to a real extractor.
    fn has_html(&self) -> bool;
}

/// Command-line switches for the optional model stages, shared by `chronicle-eval`
/// and `chronicle-bench`.
#[cfg(feature = "pipeline")]
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct ModelFlags {
    /// Also run the trained POS tagger.
    #[arg(long)]
    pub pos: bool,
    /// Also run the dependency parser (implies --pos); the event coder and quote stage use it.
    #[arg(long)]
    pub parse: bool,
    /// Also run the trained NER.
    #[arg(long = "ner-model")]
    pub ner_model: bool,
}

#[cfg(feature = "pipeline")]
impl From<ModelFlags> for chronicle_pipeline::Options {
    fn from(f: ModelFlags) -> Self {
        chronicle_pipeline::Options {
            pos: f.pos,
            parse: f.parse,
            ner_model: f.ner_model,
        }
    }
}

/// The real pipeline.
#[cfg(feature = "pipeline")]
pub struct ChronicleSystem {
    pub chronicle: chronicle_pipeline::Chronicle,
}

#[cfg(feature = "pipeline")]
impl ChronicleSystem {
    pub fn load(data_dir: &std::path::Path) -> anyhow::Result<Self> {
        Self::load_with(data_dir, chronicle_pipeline::Options::default())
    }

    /// Load with optional model stages (POS, parse, model NER).
    pub fn load_with(
        data_dir: &std::path::Path,
        opts: chronicle_pipeline::Options,
    ) -> anyhow::Result<Self> {
        let chronicle = chronicle_pipeline::Chronicle::load_with(data_dir, opts)
            .map_err(|e| anyhow::anyhow!("loading pipeline from {}: {e}", data_dir.display()))?;
        Ok(ChronicleSystem { chronicle })
    }
}

#[cfg(feature = "pipeline")]
impl System for ChronicleSystem {
    fn annotate(&self, doc: Document) -> Result<Document, String> {
        let id = doc.id.clone();
        self.chronicle
            .annotate(doc)
            .map_err(|e| format!("{id}: {e}"))
    }
    fn annotate_timed(&self, doc: Document) -> Result<(Document, StageTimes), String> {
        let id = doc.id.clone();
        self.chronicle
            .annotate_timed(doc)
            .map_err(|e| format!("{id}: {e}"))
    }
    fn extract_html(&self, bytes: &[u8], origin: &str) -> Result<Extracted, String> {
        html_adapter(bytes, origin)
    }
    fn has_html(&self) -> bool {
        cfg!(feature = "html")
    }
}

/// Adapter to the ingest crate's HTML extractor.
#[cfg(feature = "html")]
pub fn html_adapter(bytes: &[u8], origin: &str) -> Result<Extracted, String> {
    let a = chronicle_ingest::extract_html(bytes, origin).map_err(|e| e.to_string())?;
    Ok(Extracted {
        title: a.title,
        text: a.text,
        authors: a.authors,
        published: a.published,
    })
}

/// Adapter to the ingest crate's HTML extractor (not wired in this build).
#[cfg(not(feature = "html"))]
pub fn html_adapter(_bytes: &[u8], origin: &str) -> Result<Extracted, String> {
    Err(format!(
        "{origin}: HTML extraction not wired (build chronicle-eval with --features html)"
    ))
}

/// A text document with its publication date (midnight UTC).
pub fn text_doc(id: &str, text: String, published: Option<NaiveDate>) -> Document {
    let meta = Metadata {
        origin: Some(id.to_string()),
        published: published
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|dt| dt.and_utc()),
        ..Metadata::default()
    };
    Document::new(id, meta, text)
}

/// Annotate many documents in parallel. A failed document comes back as the
/// un-annotated input (so it scores as an empty prediction); the error count is returned.
pub fn annotate_all(sys: &dyn System, docs: Vec<Document>) -> (Vec<Document>, usize) {
    let out: Vec<(Document, bool)> = docs
        .into_par_iter()
        .map(|d| {
            let backup = Document::new(d.id.clone(), d.meta.clone(), d.text.clone());
            match guarded(&backup.id, || sys.annotate(d)) {
                Ok(a) => (a, false),
                Err(e) => {
                    eprintln!("warning: {e}");
                    (backup, true)
                }
            }
        })
        .collect();
    let errors = out.iter().filter(|(_, e)| *e).count();
    (out.into_iter().map(|(d, _)| d).collect(), errors)
}

/// Run `f`, turning a panic inside the system into an error naming the document
/// (a stage bug must cost one document, not the whole scoreboard).
pub fn guarded<T>(id: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            let short: String = msg
                .chars()
                .take(160)
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            Err(format!("{id}: panic in pipeline: {short}"))
        }
    }
}

/// Install a panic hook that prints one line (location) instead of a backtrace;
/// used by the binaries so a failing stage does not flood the output.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let loc = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("panic at {loc}");
    }));
}

/// Parse a date given as `YYYY-MM-DD`, ACLED `6-Jun-25` / `06 June 2025`, or an RFC 3339 prefix.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    for f in [
        "%Y-%m-%d", "%d-%b-%y", "%d-%B-%y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d/%m/%Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d);
        }
    }
    s.get(..10)
        .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
}

#[cfg(test)]
pub mod fake {
    //! A fake system for scorer tests: returns documents unchanged, or via a closure.
    use super::*;

    pub struct Fake<F: Fn(Document) -> Document + Sync>(pub F);

    impl<F: Fn(Document) -> Document + Sync> System for Fake<F> {
        fn annotate(&self, doc: Document) -> Result<Document, String> {
            Ok((self.0)(doc))
        }
        fn extract_html(&self, bytes: &[u8], _origin: &str) -> Result<Extracted, String> {
            Ok(Extracted {
                text: String::from_utf8_lossy(bytes).into_owned(),
                ..Default::default()
            })
        }
        fn has_html(&self) -> bool {
            true
        }
    }

    #[test]
    fn panics_become_errors() {
        let r: Result<(), String> = guarded("doc-9", || panic!("boom"));
        let e = r.unwrap_err();
        assert!(e.contains("doc-9") && e.contains("boom"), "{e}");
        assert_eq!(guarded("d", || Ok::<_, String>(3)), Ok(3));
    }

    #[test]
    fn dates_parse() {
        assert_eq!(parse_date("6-Jun-25"), NaiveDate::from_ymd_opt(2025, 6, 6));
        assert_eq!(
            parse_date("2024-09-20"),
            NaiveDate::from_ymd_opt(2024, 9, 20)
        );
        assert_eq!(
            parse_date("09 May 2020"),
            NaiveDate::from_ymd_opt(2020, 5, 9)
        );
        assert_eq!(parse_date("junk"), None);
        let d = text_doc("x", "t".into(), NaiveDate::from_ymd_opt(2024, 1, 2));
        assert_eq!(d.meta.published_date(), NaiveDate::from_ymd_opt(2024, 1, 2));
    }
}
