//! `chronicle`: raw news in, a structured, geocoded, deduplicated event log out.
//!
//! Subcommands: `run` (ingest → near-duplicate check → pipeline → dedup →
//! store/output), `query` (read the store back), `watch` (poll feeds into the
//! store), `gazetteer build|import`. Exit codes: 0 = at least one document was
//! processed or linked as a copy (bad records are reported on stderr and skipped);
//! 1 = a fatal error (bad arguments, missing data, unwritable store); 2 = input given
//! but no document could be processed.

use anyhow::{bail, Context, Result};
use chronicle_core::{Document, Event, InputFormat, PloverType, RecordError};
use chronicle_dedup::{CrossDocIndex, MergeConfig};
use chronicle_ingest::IngestOptions;
use chronicle_pipeline::Chronicle;
use chronicle_store::{export, Query, Store};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "chronicle",
    version,
    about = "News in, a structured, geocoded, deduplicated event log out."
)]
struct Cli {
    /// Data folder (gazetteer, dictionaries, models). Default: $CHRONICLE_DATA or the shipped data/.
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    /// Also run the trained POS tagger + lemmatiser (fills token.pos / token.lemma).
    #[arg(long, global = true)]
    pos: bool,
    /// Also run the dependency parser (implies --pos); the event coder then reads
    /// subjects, objects, agents and voice from the parse, the quote stage speakers
    /// and reported clauses.
    #[arg(long, global = true)]
    parse: bool,
    /// Also run the trained NER for people and organisations the dictionaries miss (about 3x slower).
    #[arg(long, global = true)]
    ner_model: bool,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
enum OutFormat {
    Jsonl,
    Csv,
    Geojson,
}

#[derive(Subcommand)]
enum Cmd {
    /// Read news (files, directories, or - for stdin), extract events, write them out (and to --db).
    Run {
        /// Input files or directories (recursive); `-` reads stdin.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Input format (default: detected per file): text, html, feed, jsonl.
        #[arg(long)]
        format: Option<String>,
        /// Publication date for inputs that carry none (YYYY-MM-DD or RFC 3339).
        #[arg(long)]
        published: Option<String>,
        /// Publisher name for inputs that carry none.
        #[arg(long)]
        source: Option<String>,
        /// SQLite store to add documents and events to (idempotent).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Output file (default: stdout).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Output format.
        #[arg(
            long = "to",
            alias = "output-format",
            value_enum,
            default_value = "jsonl"
        )]
        to: OutFormat,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Write annotated documents (all layers) as JSONL to this file, for debugging.
        #[arg(long)]
        dump_docs: Option<PathBuf>,
    },
    /// Read events back from a store.
    Query {
        #[arg(long, required = true)]
        db: PathBuf,
        /// PLOVER type, e.g. ASSAULT.
        #[arg(long = "type")]
        event_type: Option<String>,
        /// ISO 3166 alpha-3 country of the event location, e.g. SYR.
        #[arg(long)]
        country: Option<String>,
        /// Events on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Events on or before this date (YYYY-MM-DD).
        #[arg(long)]
        until: Option<String>,
        /// Actor or recipient name contains this (case-insensitive).
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        limit: Option<usize>,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: OutFormat,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Poll RSS/Atom feeds (URLs or files), fetch new items' pages, extract events into --db.
    Watch {
        /// Feed URLs (http/https) or feed files.
        #[arg(required = true)]
        sources: Vec<String>,
        /// SQLite store: events go here, and seen items and feed validators are kept here across restarts.
        #[arg(long, required = true)]
        db: PathBuf,
        /// Seconds between polls.
        #[arg(long, default_value_t = 300)]
        interval: u64,
        /// Poll once and exit.
        #[arg(long)]
        once: bool,
        /// Allow fetching from loopback and private addresses (off by default).
        #[arg(long)]
        allow_private: bool,
        /// Use the feed's own text instead of fetching each item's page.
        #[arg(long)]
        no_pages: bool,
        /// Publication date for items that carry none (YYYY-MM-DD or RFC 3339).
        #[arg(long)]
        published: Option<String>,
    },
    /// Build or extend the gazetteer.
    Gazetteer {
        #[command(subcommand)]
        cmd: GazCmd,
    },
}

#[derive(Subcommand)]
enum GazCmd {
    /// Build data/gazetteer from GeoNames files (cities500.txt[.gz], admin1CodesASCII.txt, admin2Codes.txt, countryInfo.txt).
    Build {
        /// Folder holding the GeoNames files.
        geonames: PathBuf,
        /// Output folder (default: <data>/gazetteer).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Add places from GeoNames-format files (allCountries.txt, per-country dumps, your own lists).
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

// mimalloc: the pipeline allocates many small strings and vectors per document;
// with glibc malloc/free at about 12% of the benchmark time (perf), mimalloc gives
// about 10% more documents per CPU-second (docs/quality.md, Throughput).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data = cli
        .data
        .clone()
        .unwrap_or_else(chronicle_pipeline::default_data_dir);
    let models = chronicle_pipeline::Options {
        pos: cli.pos,
        parse: cli.parse,
        ner_model: cli.ner_model,
    };
    let res = match cli.cmd {
        Cmd::Run {
            inputs,
            format,
            published,
            source,
            db,
            out,
            to,
            threads,
            dump_docs,
        } => run(RunArgs {
            data,
            models,
            inputs,
            format,
            published,
            source,
            db,
            out,
            to,
            threads,
            dump_docs,
        }),
        Cmd::Query {
            db,
            event_type,
            country,
            since,
            until,
            actor,
            limit,
            format,
            out,
        } => query(
            &db, event_type, country, since, until, actor, limit, format, out,
        )
        .map(|_| ExitCode::SUCCESS),
        Cmd::Watch {
            sources,
            db,
            interval,
            once,
            allow_private,
            no_pages,
            published,
        } => watch(
            &data,
            models,
            WatchArgs {
                sources,
                db,
                interval,
                once,
                allow_private,
                no_pages,
                published,
            },
        )
        .map(|_| ExitCode::SUCCESS),
        Cmd::Gazetteer { cmd } => gazetteer(&data, cmd).map(|_| ExitCode::SUCCESS),
    };
    match res {
        Ok(code) => code,
        Err(e) => {
            eprintln!("chronicle: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

struct RunArgs {
    data: PathBuf,
    models: chronicle_pipeline::Options,
    inputs: Vec<PathBuf>,
    format: Option<String>,
    published: Option<String>,
    source: Option<String>,
    db: Option<PathBuf>,
    out: Option<PathBuf>,
    to: OutFormat,
    threads: Option<usize>,
    dump_docs: Option<PathBuf>,
}

fn parse_date_arg(s: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(d.with_timezone(&chrono::Utc));
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("--published {s:?}: expected YYYY-MM-DD or RFC 3339"))?;
    Ok(d.and_hms_opt(12, 0, 0).expect("valid time").and_utc())
}

fn run(a: RunArgs) -> Result<ExitCode> {
    if let Some(n) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .ok();
    }
    let opts = IngestOptions {
        format: a
            .format
            .as_deref()
            .map(str::parse::<InputFormat>)
            .transpose()
            .map_err(anyhow::Error::msg)?,
        published: a.published.as_deref().map(parse_date_arg).transpose()?,
        source: a.source.clone(),
    };
    let chronicle = Chronicle::load_with(&a.data, a.models).with_context(|| {
        format!(
            "loading data from {} (set --data or CHRONICLE_DATA)",
            a.data.display()
        )
    })?;
    let mut store = match &a.db {
        Some(p) => Some(Store::open(p).with_context(|| format!("opening store {}", p.display()))?),
        None => None,
    };
    let bar = progress_bar();
    let mut dump = match &a.dump_docs {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => None,
    };

    let mut index = CrossDocIndex::new(MergeConfig::default());
    let mut copies = NearDuplicates::default();
    let mut linked = 0usize;
    let (mut ok, mut failed) = (0usize, 0usize);
    let (mut new_docs, mut new_events) = (0usize, 0usize);
    let report =
        |e: &RecordError, bar: &ProgressBar| bar.suspend(|| eprintln!("chronicle: skipped {e}"));
    for input in &a.inputs {
        // Batches keep memory flat on big inputs while rayon works on each batch.
        let mut iter = chronicle_ingest::read_path(input, &opts).peekable();
        while iter.peek().is_some() {
            let batch: Vec<Result<Document, RecordError>> = iter.by_ref().take(512).collect();
            // syndicated copies of an article already seen (in this run or the store)
            // are linked to it and not processed again
            let mut fresh = Vec::with_capacity(batch.len());
            for r in batch {
                let Ok(doc) = r else {
                    fresh.push(r);
                    continue;
                };
                let h = chronicle_ingest::simhash(&doc.text);
                let of = match copies.find(&doc.id, h) {
                    Some(of) => Some(of),
                    None => match store.as_ref() {
                        Some(st) => st.find_near_duplicate(&doc.id, h, NEAR_BITS)?,
                        None => None,
                    },
                };
                match of {
                    Some(of) if h != 0 => {
                        linked += 1;
                        bar.suspend(|| eprintln!("chronicle: {} is a near duplicate of {of}; linked, not processed again", doc.id));
                        if let Some(st) = store.as_mut() {
                            st.link_duplicate(&doc.id, &of, doc.meta.url.as_deref())?;
                        }
                    }
                    _ => {
                        copies.add(&doc.id, h);
                        fresh.push(Ok(doc));
                    }
                }
            }
            let results: Vec<Result<Document, RecordError>> = fresh
                .into_par_iter()
                .map(|r| {
                    r.and_then(|doc| {
                        let origin = doc.meta.origin.clone().unwrap_or_else(|| doc.id.clone());
                        chronicle
                            .annotate(doc)
                            .map_err(|e| RecordError::new(origin, e.to_string()))
                    })
                })
                .collect();
            let mut docs = Vec::with_capacity(results.len());
            for r in results {
                match r {
                    Ok(doc) => docs.push(doc),
                    Err(e) => {
                        failed += 1;
                        report(&e, &bar);
                    }
                }
            }
            ok += docs.len();
            bar.inc(docs.len() as u64);
            if let Some(st) = store.as_mut() {
                // one transaction per batch
                for outcome in st.add_documents(&docs).context("storing documents")? {
                    new_docs += outcome.new_document as usize;
                    new_events += outcome.new_events;
                }
                for doc in &docs {
                    let h = chronicle_ingest::simhash(&doc.text);
                    if h != 0 {
                        st.add_fingerprint(&doc.id, h)?;
                    }
                }
            }
            for doc in docs {
                if let Some(w) = dump.as_mut() {
                    serde_json::to_writer(&mut *w, &doc)?;
                    w.write_all(b"\n")?;
                }
                for e in doc.events {
                    index.add(e);
                }
            }
        }
    }
    bar.finish_and_clear();
    let events = index.into_events();
    write_events(&events, a.to, a.out.as_deref())?;
    let mut summary = format!(
        "chronicle: {ok} documents processed, {failed} skipped, {} events",
        events.len()
    );
    if linked > 0 {
        summary.push_str(&format!(", {linked} near-duplicate copies linked"));
    }
    if store.is_some() {
        summary.push_str(&format!(
            " ({new_docs} new documents, {new_events} new events stored)"
        ));
    }
    eprintln!("{summary}");
    // a linked copy counts as handled
    if ok == 0 && linked == 0 {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Largest Hamming distance between fingerprints of copies of one article.
const NEAR_BITS: u32 = 3;

/// Fingerprints of the documents processed in this run, found through their four
/// 16-bit bands (fingerprints within 3 bits share at least one band).
#[derive(Default)]
struct NearDuplicates {
    docs: Vec<(u64, String)>,
    bands: std::collections::HashMap<(usize, u64), Vec<usize>>,
}

impl NearDuplicates {
    fn band_keys(h: u64) -> [(usize, u64); 4] {
        [0, 1, 2, 3].map(|i| (i, (h >> (16 * i)) & 0xffff))
    }
    fn find(&self, id: &str, h: u64) -> Option<String> {
        if h == 0 {
            return None;
        }
        Self::band_keys(h)
            .iter()
            .filter_map(|k| self.bands.get(k))
            .flatten()
            .map(|&i| &self.docs[i])
            .find(|(g, other)| other != id && (g ^ h).count_ones() <= NEAR_BITS)
            .map(|(_, other)| other.clone())
    }
    fn add(&mut self, id: &str, h: u64) {
        if h == 0 {
            return;
        }
        let i = self.docs.len();
        self.docs.push((h, id.to_string()));
        for k in Self::band_keys(h) {
            self.bands.entry(k).or_default().push(i);
        }
    }
}

fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents  {per_sec}  {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn write_events(events: &[Event], to: OutFormat, out: Option<&Path>) -> Result<()> {
    let sink: Box<dyn Write> = match out {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let w = std::io::BufWriter::new(sink);
    match to {
        OutFormat::Jsonl => export::write_jsonl(events, w)?,
        OutFormat::Csv => export::write_csv(events, w)?,
        OutFormat::Geojson => export::write_geojson(events, w)?,
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn query(
    db: &Path,
    event_type: Option<String>,
    country: Option<String>,
    since: Option<String>,
    until: Option<String>,
    actor: Option<String>,
    limit: Option<usize>,
    format: OutFormat,
    out: Option<PathBuf>,
) -> Result<()> {
    if !db.exists() {
        bail!("no store at {}", db.display());
    }
    let date = |s: Option<String>, flag: &str| -> Result<Option<chrono::NaiveDate>> {
        s.map(|s| {
            chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .with_context(|| format!("--{flag} {s:?}: expected YYYY-MM-DD"))
        })
        .transpose()
    };
    let q = Query {
        event_type: event_type
            .map(|t| t.parse::<PloverType>())
            .transpose()
            .map_err(anyhow::Error::msg)?,
        country: country.map(|c| c.to_ascii_uppercase()),
        since: date(since, "since")?,
        until: date(until, "until")?,
        actor,
        limit,
    };
    let store = Store::open(db)?;
    let events = store.query(&q)?;
    write_events(&events, format, out.as_deref())?;
    eprintln!("chronicle: {} events", events.len());
    Ok(())
}

struct WatchArgs {
    sources: Vec<String>,
    db: PathBuf,
    interval: u64,
    once: bool,
    allow_private: bool,
    no_pages: bool,
    published: Option<String>,
}

/// The store as the watcher's memory of seen items and feed validators. A store
/// error reads as "not seen" (the item is processed again, never lost) and is logged.
struct StoreSeen<'a>(&'a mut Store);

impl chronicle_ingest::SeenStore for StoreSeen<'_> {
    fn has_seen(&self, key: &str) -> bool {
        self.0.has_seen(key).unwrap_or_else(|e| {
            eprintln!("chronicle: store: {e}");
            false
        })
    }
    fn mark_seen(&mut self, key: &str) {
        if let Err(e) = self.0.mark_seen(key) {
            eprintln!("chronicle: store: {e}");
        }
    }
    fn validators(&self, feed: &str) -> Option<(String, String)> {
        self.0.feed_validators(feed).ok().flatten()
    }
    fn set_validators(&mut self, feed: &str, etag: &str, last_modified: &str) {
        if let Err(e) = self.0.set_feed_validators(feed, etag, last_modified) {
            eprintln!("chronicle: store: {e}");
        }
    }
}

fn watch(data: &Path, models: chronicle_pipeline::Options, a: WatchArgs) -> Result<()> {
    let chronicle = Chronicle::load_with(data, models).with_context(|| {
        format!(
            "loading data from {} (set --data or CHRONICLE_DATA)",
            data.display()
        )
    })?;
    let mut store =
        Store::open(&a.db).with_context(|| format!("opening store {}", a.db.display()))?;
    let mut opts = chronicle_ingest::WatchOptions::default();
    opts.fetch.allow_private = a.allow_private;
    opts.fetch_pages = !a.no_pages;
    opts.ingest.published = a.published.as_deref().map(parse_date_arg).transpose()?;
    let mut out = std::io::stdout().lock();
    loop {
        let (docs, errors) =
            chronicle_ingest::poll_once(&a.sources, &opts, &mut StoreSeen(&mut store));
        for e in &errors {
            eprintln!("chronicle: skipped {e}");
        }
        let annotated: Vec<Document> = docs
            .into_par_iter()
            .filter_map(|doc| {
                let origin = doc.meta.origin.clone().unwrap_or_else(|| doc.id.clone());
                chronicle
                    .annotate(doc)
                    .map_err(|e| eprintln!("chronicle: skipped {origin}: {e}"))
                    .ok()
            })
            .collect();
        let outcomes = store
            .add_documents(&annotated)
            .context("storing documents")?;
        let new_events: usize = outcomes.iter().map(|o| o.new_events).sum();
        let events: Vec<Event> = annotated.into_iter().flat_map(|d| d.events).collect();
        export::write_jsonl(&events, &mut out)?;
        out.flush()?;
        eprintln!(
            "chronicle: {} new items, {} events ({new_events} new in the store)",
            outcomes.len(),
            events.len()
        );
        if a.once {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_secs(a.interval.max(1)));
    }
}

fn gazetteer(data: &Path, cmd: GazCmd) -> Result<()> {
    match cmd {
        GazCmd::Build { geonames, out } => {
            let out = out.unwrap_or_else(|| data.join("gazetteer"));
            let stats = chronicle_geo::Gazetteer::build(&geonames, &out)?;
            eprintln!("chronicle: gazetteer built in {}: {stats:?}", out.display());
        }
        GazCmd::Import { files } => {
            // validate first: a file with no usable row is refused with file:line reasons
            let mut gaz = chronicle_pipeline::load_gazetteer(data)?;
            let n = gaz.import(&files)?;
            let dir = chronicle_pipeline::imported_places_dir(data);
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            for f in &files {
                let name = f.file_name().context("import: not a file")?;
                let dest = dir.join(name);
                std::fs::copy(f, &dest)
                    .with_context(|| format!("copying {} to {}", f.display(), dest.display()))?;
            }
            eprintln!(
                "chronicle: imported {n} new places; kept in {} (loaded on every run)",
                dir.display()
            );
        }
    }
    Ok(())
}
