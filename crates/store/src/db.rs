//! The SQLite [`Store`]: takes documents (with their in-document events) or bare
//! events, merges them with stored events by the cross-document rules of
//! `chronicle-dedup`, and answers queries.
//!
//! **Ids.** A new event is stored under its content-hash id ([`event_id`]); when a
//! later merge changes its content the stored id is *kept* (ids are stable once
//! assigned, so links to an event never break). Should a content id already belong
//! to a different stored event, a deterministic variant (hash of the id and the
//! event's first mention) is used.

use crate::schema;
use chronicle_core::ids::stable_id;
use chronicle_core::{Document, Error, Event, PloverType, Result};
use chronicle_dedup::compat::{affinity, date_bounds, place_level, PlaceLevel};
use chronicle_dedup::{compatible, event_id, merge_into, merge_mentions, MergeConfig};
use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::Path;

/// What [`Store::add_document`] / [`Store::add_events`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddOutcome {
    /// The document id was not stored before.
    pub new_document: bool,
    /// Events inserted as new rows.
    pub new_events: usize,
    /// Events merged into stored events.
    pub merged_events: usize,
    /// The document id was stored with a different content hash; its old
    /// contributions were withdrawn first.
    pub replaced_document: bool,
}

/// Event filter for [`Store::query`]. Every field narrows the result.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub event_type: Option<PloverType>,
    /// ISO3 code of the event's location.
    pub country: Option<String>,
    /// Events whose dates reach on or after this day (undated events excluded).
    pub since: Option<NaiveDate>,
    /// Events whose dates start on or before this day (undated events excluded).
    pub until: Option<NaiveDate>,
    /// Case-insensitive substring of an actor's or recipient's name or surface text.
    pub actor: Option<String>,
    pub limit: Option<usize>,
}

/// The embedded event store.
pub struct Store {
    conn: Connection,
    cfg: MergeConfig,
}

fn db<T>(r: rusqlite::Result<T>, what: &str) -> Result<T> {
    r.map_err(|e| Error::Other(format!("sqlite: {what}: {e}")))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339()
}

fn to_json(e: &Event) -> Result<String> {
    serde_json::to_string(e)
        .map_err(|err| Error::Other(format!("event {}: cannot serialise: {err}", e.id)))
}

fn from_json(id: &str, json: &str) -> Result<Event> {
    serde_json::from_str(json)
        .map_err(|err| Error::Data(format!("stored event {id}: unreadable JSON: {err}")))
}

/// Columns derived from an event for indexing.
struct Row {
    date: Option<String>,
    date_end: Option<String>,
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    level: Option<i64>,
    /// Covers more than [`schema::LONG_SPAN_DAYS`] days.
    long_span: bool,
}

fn row_of(e: &Event) -> Row {
    let (date, date_end, long_span) = match &e.date {
        Some(d) => {
            let (a, b) = date_bounds(d);
            let long = (b - a).num_days() > schema::LONG_SPAN_DAYS;
            (Some(a.to_string()), Some(b.to_string()), long)
        }
        None => (None, None, false),
    };
    let loc = e.location.as_ref();
    let country = loc
        .map(|p| p.country.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty());
    let finite = |x: f64| x.is_finite().then_some(x);
    Row {
        date,
        date_end,
        country,
        lat: loc.and_then(|p| finite(p.lat)),
        lon: loc.and_then(|p| finite(p.lon)),
        level: loc.map(|p| place_level(p) as i64),
        long_span,
    }
}

fn first_mention_key(e: &Event) -> String {
    e.mentions
        .iter()
        .map(|m| {
            format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}",
                m.doc_id, m.start, m.end, m.sentence
            )
        })
        .min()
        .unwrap_or_default()
}

impl Store {
    /// Opens (creating if needed) a store file, applies migrations, enables WAL.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(path)
            .map_err(|e| Error::Other(format!("sqlite: opening {}: {e}", path.display())))?;
        Self::init(conn, true).map_err(|e| Error::Other(format!("{}: {e}", path.display())))
    }

    /// A store in memory (tests, one-off batches).
    pub fn open_in_memory() -> Result<Store> {
        let conn = db(Connection::open_in_memory(), "opening in-memory database")?;
        Self::init(conn, false)
    }

    fn init(mut conn: Connection, wal: bool) -> Result<Store> {
        if wal {
            let mode: String = db(
                conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)),
                "enabling WAL",
            )?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Other(format!(
                    "sqlite: WAL not available (journal mode {mode})"
                )));
            }
        }
        db(
            conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"),
            "setting pragmas",
        )?;
        schema::migrate(&mut conn).map_err(|e| Error::Other(format!("sqlite: {e}")))?;
        Ok(Store {
            conn,
            cfg: MergeConfig::default(),
        })
    }

    /// Uses other merge thresholds for later additions.
    pub fn with_config(mut self, cfg: MergeConfig) -> Store {
        self.cfg = cfg;
        self
    }

    /// Schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        db(
            self.conn.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                [],
                |r| r.get(0),
            ),
            "reading schema version",
        )
    }

    /// Adds a document and its events in one transaction. A document already stored
    /// with the same id and content hash adds nothing. A stored document with the
    /// same id but other content is replaced: its earlier contributions are withdrawn
    /// (events rebuilt from their other documents, or deleted) before the new events
    /// are added. When `doc.events` is empty but `doc.mentions` is not, the
    /// in-document merge runs first.
    pub fn add_document(&mut self, doc: &Document) -> Result<AddOutcome> {
        let cfg = self.cfg;
        let name = |e: Error| match e {
            Error::Other(m) => Error::Other(format!("document {}: {m}", doc.id)),
            other => other,
        };
        let tx = db(self.conn.transaction(), "begin").map_err(name)?;
        let out = add_document_tx(&tx, &cfg, doc).map_err(name)?;
        db(tx.commit(), "commit").map_err(name)?;
        Ok(out)
    }

    /// Bulk form of [`Store::add_document`]: the same per-document semantics, but one
    /// transaction for the whole batch (several times faster for bulk loads; a
    /// failure rolls back the whole batch).
    pub fn add_documents(&mut self, docs: &[Document]) -> Result<Vec<AddOutcome>> {
        let cfg = self.cfg;
        let tx = db(self.conn.transaction(), "begin")?;
        let mut outs = Vec::with_capacity(docs.len());
        for doc in docs {
            outs.push(add_document_tx(&tx, &cfg, doc).map_err(|e| match e {
                Error::Other(m) => Error::Other(format!("document {}: {m}", doc.id)),
                other => other,
            })?);
        }
        db(tx.commit(), "commit")?;
        Ok(outs)
    }

    /// Adds bare events (e.g. from a [`chronicle_core::Sink`]) in one transaction.
    /// An event whose mentions are all stored already is skipped, so writing the same
    /// events twice changes nothing. `doc_id_hint` names the contributing document
    /// when known (else each event's first document id is used).
    pub fn add_events(
        &mut self,
        doc_id_hint: Option<&str>,
        events: &[Event],
    ) -> Result<AddOutcome> {
        let cfg = self.cfg;
        let tx = db(self.conn.transaction(), "begin")?;
        let mut out = AddOutcome::default();
        for e in events {
            if already_stored(&tx, e)? {
                continue;
            }
            let doc = doc_id_hint
                .map(str::to_string)
                .or_else(|| e.doc_ids.first().cloned())
                .unwrap_or_default();
            if add_event(&tx, &cfg, e, &doc)? {
                out.merged_events += 1;
            } else {
                out.new_events += 1;
            }
        }
        db(tx.commit(), "commit")?;
        Ok(out)
    }

    /// One event by id.
    pub fn get(&self, id: &str) -> Result<Option<Event>> {
        let json: Option<String> = db(
            self.conn
                .query_row("SELECT json FROM events WHERE id = ?1", [id], |r| r.get(0))
                .optional(),
            "reading event",
        )?;
        json.map(|j| from_json(id, &j)).transpose()
    }

    /// The stored events a document contributed mentions to, ordered by id.
    pub fn events_for_document(&self, doc_id: &str) -> Result<Vec<Event>> {
        let ids: Vec<String> = {
            let mut stmt = db(
                self.conn.prepare(
                    "SELECT DISTINCT event_id FROM mentions WHERE doc_id = ?1 ORDER BY event_id",
                ),
                "preparing document events",
            )?;
            let rows = db(
                stmt.query_map([doc_id], |r| r.get(0)),
                "listing document events",
            )?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(|e| Error::Other(format!("sqlite: {e}")))?
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(e) = self.get(&id)? {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Events matching `q`, ordered by date (undated last) then id.
    pub fn query(&self, q: &Query) -> Result<Vec<Event>> {
        let mut sql = String::from("SELECT id, json FROM events WHERE 1=1");
        let mut args: Vec<String> = Vec::new();
        if let Some(t) = q.event_type {
            args.push(t.as_str().to_string());
            sql.push_str(&format!(" AND type = ?{}", args.len()));
        }
        if let Some(c) = &q.country {
            args.push(c.trim().to_ascii_uppercase());
            sql.push_str(&format!(" AND country = ?{}", args.len()));
        }
        if let Some(s) = q.since {
            args.push(s.to_string());
            sql.push_str(&format!(" AND date_end >= ?{}", args.len()));
        }
        if let Some(u) = q.until {
            args.push(u.to_string());
            sql.push_str(&format!(" AND date <= ?{}", args.len()));
        }
        if let Some(a) = q
            .actor
            .as_ref()
            .map(|a| a.trim().to_lowercase())
            .filter(|a| !a.is_empty())
        {
            args.push(a);
            sql.push_str(&format!(" AND instr(actor_names, ?{}) > 0", args.len()));
        }
        sql.push_str(" ORDER BY date IS NULL, date, id");
        if let Some(l) = q.limit {
            sql.push_str(&format!(" LIMIT {l}"));
        }
        let mut stmt = db(self.conn.prepare(&sql), "preparing query")?;
        let rows = db(
            stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            }),
            "running query",
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = db(row, "reading row")?;
            out.push(from_json(&id, &json)?);
        }
        Ok(out)
    }

    pub fn count_events(&self) -> Result<usize> {
        self.count("SELECT COUNT(*) FROM events")
    }

    pub fn count_documents(&self) -> Result<usize> {
        self.count("SELECT COUNT(*) FROM documents")
    }

    /// Number of stored mention rows (provenance records).
    pub fn count_mentions(&self) -> Result<usize> {
        self.count("SELECT COUNT(*) FROM mentions")
    }

    fn count(&self, sql: &str) -> Result<usize> {
        let n: i64 = db(self.conn.query_row(sql, [], |r| r.get(0)), "counting")?;
        Ok(n.max(0) as usize)
    }

    /// Whether a key (feed item guid, URL, ...) was marked seen.
    pub fn has_seen(&self, key: &str) -> Result<bool> {
        let n: i64 = db(
            self.conn
                .query_row("SELECT COUNT(*) FROM seen WHERE key = ?1", [key], |r| {
                    r.get(0)
                }),
            "reading seen",
        )?;
        Ok(n > 0)
    }

    /// Remember a processed document's content fingerprint (64-bit SimHash).
    pub fn add_fingerprint(&mut self, doc_id: &str, simhash: u64) -> Result<()> {
        let b = bands(simhash);
        db(
            self.conn.execute(
                "INSERT OR REPLACE INTO fingerprints (doc_id, simhash, b0, b1, b2, b3) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![doc_id, simhash as i64, b[0], b[1], b[2], b[3]],
            ),
            "writing fingerprint",
        )?;
        Ok(())
    }

    /// A stored document (other than `doc_id`) whose fingerprint is within
    /// `max_bits` (≤ 3) of `simhash`: the one processed when a syndicated copy arrives.
    pub fn find_near_duplicate(
        &self,
        doc_id: &str,
        simhash: u64,
        max_bits: u32,
    ) -> Result<Option<String>> {
        let b = bands(simhash);
        let mut stmt = db(
            self.conn.prepare_cached(
                "SELECT doc_id, simhash FROM fingerprints WHERE (b0 = ?1 OR b1 = ?2 OR b2 = ?3 OR b3 = ?4) AND doc_id <> ?5",
            ),
            "reading fingerprints",
        )?;
        let rows = db(
            stmt.query_map(params![b[0], b[1], b[2], b[3], doc_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            }),
            "reading fingerprints",
        )?;
        for row in rows {
            let (id, h) = db(row, "reading fingerprints")?;
            if (h ^ simhash).count_ones() <= max_bits {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Record that `doc_id` is a near duplicate of `duplicate_of` (not processed again).
    pub fn link_duplicate(
        &mut self,
        doc_id: &str,
        duplicate_of: &str,
        url: Option<&str>,
    ) -> Result<()> {
        db(
            self.conn.execute(
                "INSERT OR REPLACE INTO duplicates (doc_id, duplicate_of, url, added_at) VALUES (?1, ?2, ?3, ?4)",
                params![doc_id, duplicate_of, url, now()],
            ),
            "linking duplicate",
        )?;
        Ok(())
    }

    /// The document `doc_id` was linked to as a near duplicate, if any.
    pub fn duplicate_of(&self, doc_id: &str) -> Result<Option<String>> {
        db(
            self.conn
                .query_row(
                    "SELECT duplicate_of FROM duplicates WHERE doc_id = ?1",
                    [doc_id],
                    |r| r.get(0),
                )
                .optional(),
            "reading duplicates",
        )
    }

    /// Stored HTTP validators (ETag, Last-Modified) of a polled feed.
    pub fn feed_validators(&self, feed: &str) -> Result<Option<(String, String)>> {
        let row = self
            .conn
            .query_row(
                "SELECT etag, last_modified FROM feed_state WHERE feed = ?1",
                [feed],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional();
        db(row, "reading feed state")
    }

    /// Remember a feed's HTTP validators.
    pub fn set_feed_validators(
        &mut self,
        feed: &str,
        etag: &str,
        last_modified: &str,
    ) -> Result<()> {
        db(
            self.conn.execute(
                "INSERT INTO feed_state (feed, etag, last_modified, polled_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(feed) DO UPDATE SET etag = ?2, last_modified = ?3, polled_at = ?4",
                params![feed, etag, last_modified, now()],
            ),
            "writing feed state",
        )?;
        Ok(())
    }

    /// Marks a key seen (idempotent).
    pub fn mark_seen(&mut self, key: &str) -> Result<()> {
        db(
            self.conn.execute(
                "INSERT OR IGNORE INTO seen (key, seen_at) VALUES (?1, ?2)",
                params![key, now()],
            ),
            "marking seen",
        )?;
        Ok(())
    }
}

/// The four 16-bit bands of a fingerprint: two fingerprints within 3 bits share one.
fn bands(h: u64) -> [i64; 4] {
    [
        (h & 0xffff) as i64,
        ((h >> 16) & 0xffff) as i64,
        ((h >> 32) & 0xffff) as i64,
        (h >> 48) as i64,
    ]
}

fn add_document_tx(tx: &Transaction, cfg: &MergeConfig, doc: &Document) -> Result<AddOutcome> {
    let stored: Option<String> = db(
        tx.query_row(
            "SELECT content_hash FROM documents WHERE id = ?1",
            [&doc.id],
            |r| r.get(0),
        )
        .optional(),
        "looking up document",
    )?;
    let mut out = AddOutcome::default();
    match stored {
        Some(h) if h == doc.content_hash => return Ok(out),
        Some(_) => {
            withdraw_document(tx, &doc.id)?;
            out.replaced_document = true;
        }
        None => out.new_document = true,
    }
    db(
        tx.execute(
            "INSERT OR REPLACE INTO documents (id, content_hash, url, title, published, source, origin, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                doc.id,
                doc.content_hash,
                doc.meta.url,
                doc.meta.title,
                doc.meta.published.map(|p| p.to_rfc3339()),
                doc.meta.source,
                doc.meta.origin,
                now()
            ],
        ),
        "inserting document",
    )?;
    let computed;
    let events: &[Event] = if doc.events.is_empty() && !doc.mentions.is_empty() {
        computed = merge_mentions(doc, cfg);
        &computed
    } else {
        &doc.events
    };
    for e in events {
        if add_event(tx, cfg, e, &doc.id)? {
            out.merged_events += 1;
        } else {
            out.new_events += 1;
        }
    }
    Ok(out)
}

/// An event written before: all its mentions are stored, or (for an event without
/// mentions) a stored event with its id has exactly its content.
fn already_stored(tx: &Transaction, e: &Event) -> Result<bool> {
    if !e.mentions.is_empty() {
        return all_mentions_stored(tx, e);
    }
    let json: Option<String> = db(
        tx.query_row("SELECT json FROM events WHERE id = ?1", [&e.id], |r| {
            r.get(0)
        })
        .optional(),
        "reading event",
    )?;
    Ok(match json {
        Some(j) => from_json(&e.id, &j)? == *e,
        None => false,
    })
}

fn all_mentions_stored(tx: &Transaction, e: &Event) -> Result<bool> {
    let mut stmt = db(
        tx.prepare_cached(
            "SELECT COUNT(*) FROM mentions WHERE doc_id = ?1 AND start = ?2 AND \"end\" = ?3 AND sentence = ?4 AND trigger = ?5",
        ),
        "preparing mention lookup",
    )?;
    for m in &e.mentions {
        let n: i64 = db(
            stmt.query_row(
                params![
                    m.doc_id,
                    m.start as i64,
                    m.end as i64,
                    m.sentence as i64,
                    m.trigger
                ],
                |r| r.get(0),
            ),
            "looking up mention",
        )?;
        if n == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Stored events that could be the same as `e`: same type and country (or both
/// unlocated), dates overlapping the window `max_days` around `e`'s dates (or
/// undated), and for a point location, within the bounding box of `max_km` unless
/// the stored place is coarser than a point. Uses the (type, country, date) index.
fn candidates(tx: &Transaction, cfg: &MergeConfig, e: &Event, row: &Row) -> Result<Vec<Event>> {
    const BASE: &str = "SELECT id, json FROM events WHERE type = ?1 AND country IS ?2";
    if e.location.is_none() && e.date.is_none() {
        // Unlocated and undated: nothing in another document can match (the
        // cross-document rules need a place, or both dates and both sides' actors).
        return Ok(Vec::new());
    }
    let mut args: Vec<rusqlite::types::Value> = vec![
        e.event_type.as_str().to_string().into(),
        row.country.clone().into(),
    ];
    let dated = e.date.as_ref().map(|d| {
        let (a, b) = date_bounds(d);
        let days = Days::new(cfg.max_days.max(0) as u64);
        let lo = a.checked_sub_days(days).unwrap_or(a);
        let hi = b.checked_add_days(days).unwrap_or(b);
        let lo_short = lo
            .checked_sub_days(Days::new(schema::LONG_SPAN_DAYS as u64))
            .unwrap_or(lo);
        (lo, hi, lo_short)
    });
    if let Some((lo, hi, lo_short)) = dated {
        args.push(hi.to_string().into());
        args.push(lo.to_string().into());
        args.push(lo_short.to_string().into());
    }
    // Bounding box around a point location (coarser stored places may contain it).
    let mut geo = String::new();
    let point = e
        .location
        .as_ref()
        .is_some_and(|p| place_level(p) == PlaceLevel::Point);
    if let (true, Some(lat), Some(lon)) = (point, row.lat, row.lon) {
        let dlat = cfg.max_km / 110.0;
        let dlon = cfg.max_km / (111.32 * lat.to_radians().cos().abs().max(0.01));
        let n = args.len();
        geo = format!(
            " AND (level > 0 OR lat IS NULL OR (lat BETWEEN ?{} AND ?{} AND lon BETWEEN ?{} AND ?{}))",
            n + 1,
            n + 2,
            n + 3,
            n + 4
        );
        args.extend([
            (lat - dlat).into(),
            (lat + dlat).into(),
            (lon - dlon).into(),
            (lon + dlon).into(),
        ]);
    }
    // Dated: three index range scans: short-span events starting in the window
    // (a short event starting earlier than `lo_short` ends before `lo`), undated
    // events, and the few long-span events (partial index).
    let sql = if dated.is_some() {
        format!(
            "{BASE} AND date BETWEEN ?5 AND ?3 AND date_end >= ?4{geo}
             UNION ALL {BASE} AND date IS NULL{geo}
             UNION ALL SELECT id, json FROM events INDEXED BY events_long_span
               WHERE type = ?1 AND country IS ?2 AND long_span = 1 AND date < ?5 AND date_end >= ?4{geo}"
        )
    } else {
        format!("{BASE}{geo}")
    };
    let mut stmt = db(tx.prepare_cached(&sql), "preparing candidate lookup")?;
    let rows = db(
        stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        }),
        "looking up candidates",
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (id, json) = db(row, "reading candidate")?;
        out.push(from_json(&id, &json)?);
    }
    Ok(out)
}

fn write_event(tx: &Transaction, e: &Event, insert: bool) -> Result<()> {
    let r = row_of(e);
    let json = to_json(e)?;
    let sql = if insert {
        "INSERT INTO events (id, type, date, date_end, country, lat, lon, level, json, mention_count, updated_at, actor_names, long_span)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    } else {
        "UPDATE events SET type = ?2, date = ?3, date_end = ?4, country = ?5, lat = ?6, lon = ?7, level = ?8,
         json = ?9, mention_count = ?10, updated_at = ?11, actor_names = ?12, long_span = ?13 WHERE id = ?1"
    };
    let mut stmt = db(tx.prepare_cached(sql), "preparing event write")?;
    db(
        stmt.execute(params![
            e.id,
            e.event_type.as_str(),
            r.date,
            r.date_end,
            r.country,
            r.lat,
            r.lon,
            r.level,
            json,
            e.mention_count as i64,
            now(),
            schema::actor_names(e),
            r.long_span
        ]),
        "writing event",
    )?;
    Ok(())
}

fn insert_mentions<'a>(
    tx: &Transaction,
    event_id: &str,
    mentions: impl Iterator<Item = &'a chronicle_core::MentionRef>,
) -> Result<()> {
    let mut stmt = db(
        tx.prepare_cached(
            "INSERT INTO mentions (event_id, doc_id, sentence, start, \"end\", char_start, char_end, trigger)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        ),
        "preparing mention insert",
    )?;
    for m in mentions {
        db(
            stmt.execute(params![
                event_id,
                m.doc_id,
                m.sentence as i64,
                m.start as i64,
                m.end as i64,
                m.char_start as i64,
                m.char_end as i64,
                m.trigger
            ]),
            "inserting mention",
        )?;
    }
    Ok(())
}

fn insert_contribution(tx: &Transaction, event_id: &str, doc_id: &str, e: &Event) -> Result<()> {
    let mut stmt = db(
        tx.prepare_cached("INSERT INTO contributions (event_id, doc_id, json) VALUES (?1, ?2, ?3)"),
        "preparing contribution insert",
    )?;
    db(
        stmt.execute(params![event_id, doc_id, to_json(e)?]),
        "inserting contribution",
    )?;
    Ok(())
}

fn id_taken(tx: &Transaction, id: &str) -> Result<bool> {
    let mut stmt = db(
        tx.prepare_cached("SELECT COUNT(*) FROM events WHERE id = ?1"),
        "preparing id lookup",
    )?;
    let n: i64 = db(stmt.query_row([id], |r| r.get(0)), "looking up id")?;
    Ok(n > 0)
}

/// Merges `e` into the best compatible stored event (returns true) or inserts it
/// (returns false).
fn add_event(tx: &Transaction, cfg: &MergeConfig, e: &Event, doc_id: &str) -> Result<bool> {
    let row = row_of(e);
    let mut best: Option<(Event, f64)> = None;
    for c in candidates(tx, cfg, e, &row)? {
        if !compatible(&c, e, cfg) {
            continue;
        }
        let a = affinity(&c, e);
        let better = match &best {
            None => true,
            Some((b, ba)) => a > *ba || (a == *ba && c.id < b.id),
        };
        if better {
            best = Some((c, a));
        }
    }
    if let Some((stored, _)) = best {
        let mut merged = stored.clone();
        merge_into(&mut merged, e.clone());
        merged.id = stored.id.clone();
        write_event(tx, &merged, false)?;
        insert_mentions(
            tx,
            &merged.id,
            e.mentions.iter().filter(|m| !stored.mentions.contains(m)),
        )?;
        insert_contribution(tx, &merged.id, doc_id, e)?;
        return Ok(true);
    }
    let mut new = e.clone();
    let mut dedup_mentions = Vec::with_capacity(new.mentions.len());
    for m in std::mem::take(&mut new.mentions) {
        if !dedup_mentions.contains(&m) {
            dedup_mentions.push(m);
        }
    }
    new.mentions = dedup_mentions;
    new.mention_count = new.mentions.len();
    let base = if new.id.trim().is_empty() {
        event_id(&new)
    } else {
        new.id.clone()
    };
    let mut id = base.clone();
    let fm = first_mention_key(&new);
    let mut salt = 0u32;
    while id_taken(tx, &id)? {
        salt += 1;
        id = stable_id("ev-", &[&base, &fm, &salt.to_string()]);
    }
    new.id = id;
    write_event(tx, &new, true)?;
    insert_mentions(tx, &new.id, new.mentions.iter())?;
    insert_contribution(tx, &new.id, doc_id, e)?;
    Ok(false)
}

/// Withdraws everything a document contributed: events it alone supported are
/// deleted, the others are rebuilt (keeping their ids) from their remaining
/// contributions in insertion order.
fn withdraw_document(tx: &Transaction, doc_id: &str) -> Result<()> {
    let ids: Vec<String> = {
        let mut stmt = db(
            tx.prepare(
                "SELECT DISTINCT event_id FROM contributions WHERE doc_id = ?1 ORDER BY event_id",
            ),
            "preparing withdrawal",
        )?;
        let rows = db(
            stmt.query_map([doc_id], |r| r.get(0)),
            "listing contributions",
        )?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| Error::Other(format!("sqlite: {e}")))?
    };
    db(
        tx.execute("DELETE FROM contributions WHERE doc_id = ?1", [doc_id]),
        "deleting contributions",
    )?;
    for id in ids {
        let parts: Vec<(String, String)> = {
            let mut stmt = db(
                tx.prepare(
                    "SELECT doc_id, json FROM contributions WHERE event_id = ?1 ORDER BY seq",
                ),
                "preparing rebuild",
            )?;
            let rows = db(
                stmt.query_map([&id], |r| Ok((r.get(0)?, r.get(1)?))),
                "reading contributions",
            )?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(|e| Error::Other(format!("sqlite: {e}")))?
        };
        db(
            tx.execute("DELETE FROM mentions WHERE event_id = ?1", [&id]),
            "deleting mentions",
        )?;
        if parts.is_empty() {
            db(
                tx.execute("DELETE FROM events WHERE id = ?1", [&id]),
                "deleting event",
            )?;
            continue;
        }
        let mut rebuilt: Option<Event> = None;
        for (_, json) in parts {
            let e = from_json(&id, &json)?;
            match &mut rebuilt {
                None => rebuilt = Some(e),
                Some(r) => merge_into(r, e),
            }
        }
        if let Some(mut r) = rebuilt {
            r.id = id.clone();
            write_event(tx, &r, false)?;
            insert_mentions(tx, &id, r.mentions.iter())?;
        }
    }
    Ok(())
}

impl chronicle_core::Sink for Store {
    fn write(&mut self, events: &[Event]) -> Result<()> {
        self.add_events(None, events).map(|_| ())
    }
}
