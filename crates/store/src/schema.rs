//! SQLite schema and migrations: takes a connection, gives it the current schema.
//! `schema_version` records every applied migration; migrations are append-only.

use chronicle_core::Event;
use rusqlite::{Connection, Transaction};

/// A data backfill run inside a migration's transaction.
pub type Backfill = fn(&Transaction) -> Result<(), String>;

/// A schema step: SQL, then an optional data backfill written in Rust.
pub struct Migration {
    pub sql: &'static str,
    pub backfill: Option<Backfill>,
}

/// Lowercased actor and recipient names and surface texts, `\u{1f}`-separated: the
/// `events.actor_names` column that actor queries search.
pub fn actor_names(e: &Event) -> String {
    let mut out = String::new();
    for a in e.actors.iter().chain(&e.recipients) {
        for s in [&a.name, &a.text] {
            if !s.is_empty() {
                out.push('\u{1f}');
                out.push_str(&s.to_lowercase());
            }
        }
    }
    out
}

fn backfill_actor_names(tx: &Transaction) -> Result<(), String> {
    let rows: Vec<(String, String)> = {
        let mut stmt = tx
            .prepare("SELECT id, json FROM events")
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| e.to_string())?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| e.to_string())?
    };
    let mut upd = tx
        .prepare("UPDATE events SET actor_names = ?2 WHERE id = ?1")
        .map_err(|e| e.to_string())?;
    for (id, json) in rows {
        let e: Event = serde_json::from_str(&json)
            .map_err(|err| format!("event {id}: unreadable JSON: {err}"))?;
        upd.execute(rusqlite::params![id, actor_names(&e)])
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Migration `i` brings the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: V1,
        backfill: None,
    },
    Migration {
        sql: V2,
        backfill: Some(backfill_actor_names),
    },
    Migration {
        sql: V3,
        backfill: None,
    },
    Migration {
        sql: V4,
        backfill: None,
    },
    Migration {
        sql: V5,
        backfill: None,
    },
];

/// v5: content fingerprints (64-bit SimHash split into four 16-bit bands, so any
/// fingerprint within 3 bits shares a band and is found through an index) and the
/// near-duplicate documents linked to the one that was processed.
const V5: &str = r#"
    CREATE TABLE fingerprints (
        doc_id  TEXT PRIMARY KEY,
        simhash INTEGER NOT NULL,
        b0 INTEGER NOT NULL, b1 INTEGER NOT NULL, b2 INTEGER NOT NULL, b3 INTEGER NOT NULL
    );
    CREATE INDEX fingerprints_b0 ON fingerprints(b0);
    CREATE INDEX fingerprints_b1 ON fingerprints(b1);
    CREATE INDEX fingerprints_b2 ON fingerprints(b2);
    CREATE INDEX fingerprints_b3 ON fingerprints(b3);
    CREATE TABLE duplicates (
        doc_id       TEXT PRIMARY KEY,
        duplicate_of TEXT NOT NULL,
        url          TEXT,
        added_at     TEXT NOT NULL
    );
    "#;

/// v4: HTTP validators of polled feeds (`chronicle watch`), so restarts send
/// conditional requests.
const V4: &str = r#"
    CREATE TABLE feed_state (
        feed          TEXT PRIMARY KEY,
        etag          TEXT NOT NULL,
        last_modified TEXT NOT NULL,
        polled_at     TEXT NOT NULL
    );
    "#;

/// Events covering more than this many days are "long-span": the candidate lookup
/// finds them through a partial index instead of the date range scan.
pub const LONG_SPAN_DAYS: i64 = 31;

/// v3: long-span flag + partial index, so candidate lookups range-scan dates.
const V3: &str = "ALTER TABLE events ADD COLUMN long_span INTEGER NOT NULL DEFAULT 0;
UPDATE events SET long_span = 1 WHERE date IS NOT NULL AND julianday(date_end) - julianday(date) > 31;
CREATE INDEX events_long_span ON events(type, country) WHERE long_span = 1;";

/// v2: a searchable column of participant names for actor queries.
const V2: &str = "ALTER TABLE events ADD COLUMN actor_names TEXT NOT NULL DEFAULT '';";

const V1: &str = r#"
    CREATE TABLE documents (
        id           TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        url          TEXT,
        title        TEXT,
        published    TEXT,
        source       TEXT,
        origin       TEXT,
        added_at     TEXT NOT NULL
    );
    CREATE TABLE events (
        id            TEXT PRIMARY KEY,
        type          TEXT NOT NULL,
        date          TEXT,            -- first day covered (ISO), NULL when undated
        date_end      TEXT,            -- last day covered (ISO)
        country       TEXT,            -- ISO3 of the location, NULL when unlocated
        lat           REAL,
        lon           REAL,
        level         INTEGER,         -- 0 point, 1 admin2, 2 admin1, 3 country
        json          TEXT NOT NULL,   -- the full Event record
        mention_count INTEGER NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE INDEX events_type_date ON events(type, date);
    CREATE INDEX events_country ON events(country);
    CREATE INDEX events_type_country_date ON events(type, country, date);
    CREATE TABLE mentions (
        event_id   TEXT NOT NULL,
        doc_id     TEXT NOT NULL,
        sentence   INTEGER NOT NULL,
        start      INTEGER NOT NULL,
        "end"      INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end   INTEGER NOT NULL,
        trigger    TEXT NOT NULL
    );
    CREATE INDEX mentions_event ON mentions(event_id);
    CREATE INDEX mentions_doc ON mentions(doc_id, start, "end");
    -- What each document contributed to each event (its in-document event), so an
    -- event can be rebuilt when a document is replaced.
    CREATE TABLE contributions (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL,
        doc_id   TEXT NOT NULL,
        json     TEXT NOT NULL
    );
    CREATE INDEX contributions_event ON contributions(event_id);
    CREATE INDEX contributions_doc ON contributions(doc_id);
    CREATE TABLE seen (
        key     TEXT PRIMARY KEY,
        seen_at TEXT NOT NULL
    );
    "#;

/// Current schema version of this build.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies every missing migration, each in its own transaction. Refuses a database
/// written by a newer build.
pub fn migrate(conn: &mut Connection) -> Result<i64, String> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL);")
        .map_err(|e| format!("creating schema_version: {e}"))?;
    let current: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version",
            [],
            |r| r.get(0),
        )
        .map_err(|e| format!("reading schema_version: {e}"))?;
    if current > latest_version() {
        return Err(format!(
            "database schema version {current} is newer than this build supports ({})",
            latest_version()
        ));
    }
    for (i, m) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as i64 + 1;
        let tx = conn
            .transaction()
            .map_err(|e| format!("migration {version}: {e}"))?;
        tx.execute_batch(m.sql)
            .map_err(|e| format!("migration {version}: {e}"))?;
        if let Some(f) = m.backfill {
            f(&tx).map_err(|e| format!("migration {version}: {e}"))?;
        }
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
            rusqlite::params![version, chrono::Utc::now().to_rfc3339()],
        )
        .map_err(|e| format!("migration {version}: {e}"))?;
        tx.commit()
            .map_err(|e| format!("migration {version}: {e}"))?;
    }
    Ok(latest_version())
}
