//! One module per development dataset: a reader (pure parse function), a scorer
//! (pure function over gold and predicted values, unit-tested on hand-made cases)
//! and a `run` that feeds the dataset through the system and returns scoreboard rows.
//! [`run_all`] runs them in order, timing each and turning a missing folder into a
//! "skipped (absent)" row.

pub mod acled;
pub mod case2021;
pub mod conll;
pub mod extraction;
pub mod geo;
pub mod glocon;
pub mod ipe;
pub mod muc4;
pub mod petrarch;
pub mod plover;
pub mod polnear;
pub mod seed;
pub mod trafilatura;

use crate::mapping::CameoTable;
use crate::report::Row;
use crate::system::System;
use chronicle_core::{Actor, Casualty, CasualtyKind, Document, EventDate, Place, PloverType};
use std::io::Read;
use std::path::Path;
use std::time::Instant;

/// What every dataset runner gets.
pub struct Ctx<'a> {
    pub sys: &'a dyn System,
    /// `--quick`: a small fixed subset per dataset.
    pub quick: bool,
    /// CAMEO→PLOVER table, when the reference file was found.
    pub cameo: Option<&'a CameoTable>,
    /// `--dump FILE`: every annotated document is appended here as one JSON line.
    pub dump: Option<&'a std::sync::Mutex<std::fs::File>>,
}

impl Ctx<'_> {
    /// Annotate documents in parallel (see [`crate::system::annotate_all`]) and
    /// append them to the dump file when one was given.
    pub fn annotate(&self, docs: Vec<Document>) -> (Vec<Document>, usize) {
        let (out, errors) = crate::system::annotate_all(self.sys, docs);
        if let Some(f) = self.dump {
            use std::io::Write;
            let mut f = f.lock().unwrap_or_else(|e| e.into_inner());
            for d in &out {
                let line = serde_json::to_string(d).unwrap_or_default();
                if let Err(e) = writeln!(f, "{line}") {
                    eprintln!("warning: dump: {e}");
                    break;
                }
            }
        }
        (out, errors)
    }
}

/// A dataset: name, folder under the data dir, runner.
pub struct Dataset {
    pub name: &'static str,
    pub dir: &'static str,
    pub run: fn(&Ctx, &Path) -> anyhow::Result<Vec<Row>>,
}

/// Every dataset, in scoreboard order.
pub fn all() -> Vec<Dataset> {
    vec![
        Dataset {
            name: "conll2003",
            dir: "conll2003",
            run: conll::run,
        },
        Dataset {
            name: "geoparsing",
            dir: "geoparsing-gold",
            run: geo::run,
        },
        Dataset {
            name: "article-extraction",
            dir: "article-extraction-benchmark",
            run: extraction::run,
        },
        Dataset {
            name: "trafilatura-eval-en",
            dir: "trafilatura-eval-en",
            run: trafilatura::run,
        },
        Dataset {
            name: "plover-gsr",
            dir: "plover-gsr",
            run: plover::run,
        },
        Dataset {
            name: "petrarch-validation",
            dir: "petrarch-validation",
            run: petrarch::run,
        },
        Dataset {
            name: "case2021-task2",
            dir: "case2021-task2",
            run: case2021::run,
        },
        Dataset {
            name: "acled-kenya",
            dir: "acled-kenya",
            run: acled::run,
        },
        Dataset {
            name: "acled-gaza",
            dir: "acled-gaza",
            run: acled::run,
        },
        Dataset {
            name: "acled-global",
            dir: "acled-global-sample-2020",
            run: acled::run,
        },
        Dataset {
            name: "acled-syria",
            dir: "acled-syria-battles",
            run: acled::run,
        },
        Dataset {
            name: "muc4",
            dir: "muc4",
            run: muc4::run,
        },
        Dataset {
            name: "polnear",
            dir: "polnear",
            run: polnear::run,
        },
        Dataset {
            name: "glocon",
            dir: "glocon-gold-sample",
            run: glocon::run,
        },
        Dataset {
            name: "indiapoliceevents",
            dir: "indiapoliceevents",
            run: ipe::run,
        },
        Dataset {
            name: "seed",
            dir: "seed",
            run: seed::run,
        },
    ]
}

/// Run the selected datasets (`only` matches name or folder, substring); absent
/// folders give "skipped (absent)", a failing dataset gives an "error: ..." row.
pub fn run_all(data: &Path, only: Option<&str>, ctx: &Ctx) -> Vec<Row> {
    let mut rows = Vec::new();
    for ds in all() {
        if let Some(o) = only {
            if !o
                .split(',')
                .any(|o| ds.name.contains(o.trim()) || ds.dir.contains(o.trim()))
            {
                continue;
            }
        }
        let dir = data.join(ds.dir);
        if !dir.is_dir() {
            rows.push(Row::skipped(ds.name, "-", "absent"));
            continue;
        }
        eprintln!("eval: {} ...", ds.name);
        let t = Instant::now();
        let mut got = match (ds.run)(ctx, &dir) {
            Ok(r) => r,
            Err(e) => vec![Row::skipped(ds.name, "-", &format!("error: {e}"))],
        };
        let secs = t.elapsed().as_secs_f64();
        for r in &mut got {
            r.seconds = secs;
            if r.dataset != ds.name && ds.name.starts_with("acled") {
                r.dataset = ds.name.to_string();
            }
        }
        eprintln!("eval: {} done in {secs:.1}s", ds.name);
        rows.extend(got);
    }
    rows
}

/// First `n` items in quick mode, all otherwise.
pub fn quick_take<T>(mut v: Vec<T>, quick: bool, n: usize) -> Vec<T> {
    if quick {
        v.truncate(n);
    }
    v
}

/// Read a file, gunzipping when the name ends in `.gz`.
pub fn read_bytes(path: &Path) -> anyhow::Result<Vec<u8>> {
    let raw = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(|e| anyhow::anyhow!("{}: gunzip: {e}", path.display()))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

pub fn read_string(path: &Path) -> anyhow::Result<String> {
    let b = read_bytes(path)?;
    String::from_utf8(b).map_err(|e| anyhow::anyhow!("{}: not UTF-8: {e}", path.display()))
}

/// A flat view of one output event (a merged `Event`, or an `EventMention` when
/// the document has mentions but no merged events).
#[derive(Debug, Clone)]
pub struct Ev {
    pub ty: PloverType,
    pub mode: Option<String>,
    pub cameo: Option<String>,
    pub acled_type: Option<String>,
    pub acled_sub: Option<String>,
    pub actors: Vec<Actor>,
    pub recipients: Vec<Actor>,
    pub location: Option<Place>,
    pub places: Vec<Place>,
    pub date: Option<EventDate>,
    pub killed: Vec<Casualty>,
    pub wounded: Vec<Casualty>,
    pub flags: Vec<String>,
    /// Byte spans of the mentions (sentence or clause).
    pub spans: Vec<(usize, usize)>,
    /// Sentence texts of the mentions.
    pub texts: Vec<String>,
    pub confidence: f32,
}

impl Ev {
    /// Killed count (largest lower bound among the reports), if any.
    pub fn fatalities(&self) -> Option<u64> {
        self.killed.iter().map(|c| c.min).max()
    }
    /// ACLED (type, sub-type) via the stage's fields or our mapping.
    pub fn acled(&self) -> Option<(String, String)> {
        crate::mapping::acled_of(
            self.ty,
            self.mode.as_deref(),
            self.acled_type.as_deref(),
            self.acled_sub.as_deref(),
        )
    }
}

/// Events of an annotated document, highest confidence first (stable).
pub fn events_of(doc: &Document) -> Vec<Ev> {
    let mut out: Vec<Ev> = if !doc.events.is_empty() {
        doc.events
            .iter()
            .map(|e| Ev {
                ty: e.event_type,
                mode: e.mode.clone(),
                cameo: e.cameo.clone(),
                acled_type: e.acled_event_type.clone(),
                acled_sub: e.acled_sub_event_type.clone(),
                actors: e.actors.clone(),
                recipients: e.recipients.clone(),
                location: e.location.clone(),
                places: e.places.clone(),
                date: e.date.clone(),
                killed: e.killed.clone(),
                wounded: e.wounded.clone(),
                flags: e.flags.clone(),
                spans: e
                    .mentions
                    .iter()
                    .filter(|m| m.doc_id == doc.id)
                    .map(|m| (m.start, m.end))
                    .collect(),
                texts: e.mentions.iter().map(|m| m.text.clone()).collect(),
                confidence: e.confidence,
            })
            .collect()
    } else {
        doc.mentions
            .iter()
            .map(|m| {
                let sent = doc
                    .sentences
                    .get(m.sentence)
                    .map(|s| s.span)
                    .filter(|s| s.end <= doc.text.len())
                    .unwrap_or(m.span);
                let text = doc.text.get(sent.start..sent.end).unwrap_or("").to_string();
                Ev {
                    ty: m.event_type,
                    mode: m.mode.clone(),
                    cameo: m.cameo.clone(),
                    acled_type: m.acled_event_type.clone(),
                    acled_sub: m.acled_sub_event_type.clone(),
                    actors: m.actors.clone(),
                    recipients: m.recipients.clone(),
                    location: m.location.clone(),
                    places: Vec::new(),
                    date: m.date.clone(),
                    killed: m
                        .casualties
                        .iter()
                        .filter(|c| c.kind == CasualtyKind::Killed)
                        .cloned()
                        .collect(),
                    wounded: m
                        .casualties
                        .iter()
                        .filter(|c| c.kind == CasualtyKind::Wounded)
                        .cloned()
                        .collect(),
                    flags: m.flags.clone(),
                    spans: vec![(m.span.start, m.span.end)],
                    texts: vec![text],
                    confidence: m.confidence,
                }
            })
            .collect()
    };
    out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    out
}

/// Whether an event is negated or hypothetical (not asserted as happening).
pub fn is_unasserted(e: &Ev) -> bool {
    e.flags
        .iter()
        .any(|f| matches!(f.as_str(), "negated" | "hypothetical"))
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Builders for hand-made predictions.
    use super::*;
    use chronicle_core::{Event, MentionRef};

    pub fn actor(name: &str, country: Option<&str>) -> Actor {
        Actor {
            name: name.into(),
            country: country.map(String::from),
            text: name.into(),
            ..Default::default()
        }
    }

    pub fn event(doc: &Document, ty: PloverType, span: (usize, usize)) -> Event {
        Event {
            id: format!("e{}", span.0),
            event_type: ty,
            mode: None,
            context: vec![],
            cameo: None,
            acled_event_type: None,
            acled_sub_event_type: None,
            actors: vec![],
            recipients: vec![],
            location: None,
            places: vec![],
            date: None,
            killed: vec![],
            wounded: vec![],
            flags: vec![],
            quotes: vec![],
            mentions: vec![MentionRef {
                doc_id: doc.id.clone(),
                sentence: 0,
                start: span.0,
                end: span.1,
                char_start: span.0,
                char_end: span.1,
                trigger: String::new(),
                text: doc.text.get(span.0..span.1).unwrap_or("").to_string(),
                url: None,
                published: None,
            }],
            mention_count: 1,
            doc_ids: vec![doc.id.clone()],
            confidence: 0.5,
        }
    }

    pub fn place(name: &str, lat: f64, lon: f64) -> Place {
        Place {
            geonames_id: 1,
            name: name.into(),
            lat,
            lon,
            country: "USA".into(),
            ..Default::default()
        }
    }

    pub fn killed(n: u64) -> Casualty {
        Casualty {
            span: chronicle_core::Span::new(0, 0),
            sentence: 0,
            kind: CasualtyKind::Killed,
            min: n,
            max: n,
            qualifier: Default::default(),
            source: None,
            text: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::fake::Fake;

    #[test]
    fn absent_datasets_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let sys = Fake(|d: Document| d);
        let ctx = Ctx {
            sys: &sys,
            quick: true,
            cameo: None,
            dump: None,
        };
        let rows = run_all(dir.path(), None, &ctx);
        assert_eq!(rows.len(), all().len());
        assert!(rows
            .iter()
            .all(|r| r.metric == "skipped (absent)" && r.value.is_none()));
        let only = run_all(dir.path(), Some("seed,muc4"), &ctx);
        assert_eq!(only.len(), 2);
    }

    #[test]
    fn a_present_dataset_is_scored_end_to_end() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("case2021-task2");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(
            d.join("test_set_final_release_with_labels.tsv"),
            "id\tEventSnippet\tSubType\n1\tPolice arrested ten men.\tARREST\n2\tStorm hit.\tNATURAL_DISASTER\n",
        )
        .unwrap();
        // an oracle that codes "arrested" as COERCE/arrest
        let sys = Fake(|mut doc: Document| {
            if let Some(i) = doc.text.find("arrested") {
                let mut e = testutil::event(&doc, PloverType::Coerce, (0, i + 8));
                e.mode = Some("arrest".into());
                doc.events.push(e);
            }
            doc
        });
        let ctx = Ctx {
            sys: &sys,
            quick: false,
            cameo: None,
            dump: None,
        };
        let rows = run_all(dir.path(), Some("case2021"), &ctx);
        let acc = rows.iter().find(|r| r.metric == "accuracy").unwrap();
        assert_eq!((acc.n, acc.value), (2, Some(0.5)));
        let w1 = rows.iter().find(|r| r.metric.contains("25 ACLED")).unwrap();
        assert_eq!((w1.n, w1.value), (1, Some(1.0)));
        // a malformed file gives an error row, not a panic
        std::fs::write(
            d.join("test_set_final_release_with_labels.tsv"),
            [0xff, 0xfe],
        )
        .unwrap();
        let rows = run_all(dir.path(), Some("case2021"), &ctx);
        assert!(rows[0].metric.starts_with("skipped (error"), "{rows:?}");
    }
}
