//! ACLED location / admin1 match of the geo stages on the ACLED development notes
//! (`/work/shared/eval/acled-*`, or `$ACLED_DIRS` = colon-separated folders).
//!
//! For each row the note text goes through [`GeoStage`] (no NLP stages: the geo
//! crate does not depend on chronicle-nlp) and
//! [`EventLocationStage`] with one event mention spanning the note's first sentence
//! (ACLED notes open with the event: "On 9 May 2020, interns protested in Haifa
//! city ..."), so the chosen place is what the pipeline's event-location rule picks
//! for that sentence. Compared with the row's gold `location`, `admin1` and
//! coordinates:
//!
//! * **in gazetteer**: the gold location name (or, for ACLED's "City - Quarter"
//!   names, one of its parts) is a gazetteer name with an entry within 30 km of the
//!   gold coordinates. The share not in the gazetteer is reported.
//! * **location match**: the chosen place's name and the gold name contain one
//!   another after normalisation (`chronicle_geo::normalize`), or the chosen place is
//!   the in-gazetteer entry itself (within 5 km of it).
//! * **admin1 match (name)**: the chosen place's admin1 (or the place itself when it
//!   is a first-level division) equals the gold admin1 after normalisation, ignoring
//!   "governorate/province/county/region/state/district" and spaces/hyphens.
//! * **admin1 match (region)**: the chosen place lies in the same GeoNames admin1 as
//!   the populated place nearest to the gold coordinates (spelling-independent).
//! * acc@161 km and the share of rows with no location.
//!
//! Each is given over all rows, over rows whose location is in the gazetteer, and
//! over those of them whose note names the location (many ACLED notes do not name
//! the place at all: "Students protest over the transfer of their teacher.").
//!
//! `cargo run -p chronicle-geo --release --example acled_geo [-- --dump N]`
//! (`--dump N` prints up to N in-gazetteer misses per dataset). Skips (exit 0)
//! when the data or the built gazetteer is absent.

use chronicle_core::{
    haversine_km, Document, EventMention, Metadata, Place, PloverType, Span, Stage,
};
use chronicle_geo::{local_sentences, normalize, EventLocationStage, Gazetteer, GeoStage};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

struct Row {
    location: String,
    admin1: String,
    lat: f64,
    lon: f64,
    notes: String,
}

fn read_rows(path: &Path) -> Result<Vec<Row>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = rdr
        .headers()
        .map_err(|e| format!("{}: header: {e}", path.display()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{}: no column {name}", path.display()))
    };
    let (cl, ca, clat, clon, cn) = (
        col("location")?,
        col("admin1")?,
        col("latitude")?,
        col("longitude")?,
        col("notes")?,
    );
    let mut out = vec![];
    for (i, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{}: record {}: {e}, skipped", path.display(), i + 2);
                continue;
            }
        };
        let get = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
        let (Ok(lat), Ok(lon)) = (get(clat).parse::<f64>(), get(clon).parse::<f64>()) else {
            eprintln!(
                "{}: record {}: bad coordinates, skipped",
                path.display(),
                i + 2
            );
            continue;
        };
        if get(cn).is_empty() {
            continue;
        }
        out.push(Row {
            location: get(cl),
            admin1: get(ca),
            lat,
            lon,
            notes: get(cn),
        });
    }
    Ok(out)
}

/// 1° grid of populated places for nearest-place queries.
struct Grid {
    cells: HashMap<(i32, i32), Vec<u32>>,
}

impl Grid {
    fn new(gaz: &Gazetteer) -> Self {
        let mut cells: HashMap<(i32, i32), Vec<u32>> = HashMap::new();
        for e in 0..gaz.len() as u32 {
            if gaz.feature_class(e) != b'P' {
                continue;
            }
            let (la, lo) = gaz.latlon(e);
            cells
                .entry((la.floor() as i32, lo.floor() as i32))
                .or_default()
                .push(e);
        }
        Grid { cells }
    }
    fn nearest(&self, gaz: &Gazetteer, lat: f64, lon: f64) -> Option<u32> {
        let (ci, cj) = (lat.floor() as i32, lon.floor() as i32);
        let mut best: Option<(f64, u32)> = None;
        for di in -1..=1 {
            for dj in -1..=1 {
                for &e in self.cells.get(&(ci + di, cj + dj)).into_iter().flatten() {
                    let (la, lo) = gaz.latlon(e);
                    let d = haversine_km(lat, lon, la, lo);
                    if best.is_none_or(|b| d < b.0) {
                        best = Some((d, e));
                    }
                }
            }
        }
        best.map(|b| b.1)
    }
}

/// Admin1 name key: ASCII-folded, without division words, spaces and hyphens.
fn admin_key(s: &str) -> String {
    let n = normalize(s);
    n.split_whitespace()
        .filter(|w| {
            ![
                "governorate",
                "province",
                "county",
                "region",
                "state",
                "district",
                "muhafazat",
                "wilayah",
                "of",
            ]
            .contains(w)
        })
        .collect::<String>()
}

fn contains_either(a: &str, b: &str) -> bool {
    !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a))
}

/// The gazetteer entry the gold location names, if any (within 30 km).
fn gold_entry(gaz: &Gazetteer, r: &Row) -> Option<u32> {
    let mut names = vec![r.location.clone()];
    for part in r.location.split(" - ") {
        names.push(part.trim().to_string());
    }
    let mut best: Option<(f64, u32)> = None;
    for n in &names {
        for h in gaz.lookup(n) {
            let (la, lo) = gaz.latlon(h.entry);
            let d = haversine_km(r.lat, r.lon, la, lo);
            if d <= 30.0 && best.is_none_or(|b| d < b.0) {
                best = Some((d, h.entry));
            }
        }
    }
    best.map(|b| b.1)
}

fn first_sentence_mention(doc: &Document) -> EventMention {
    let sent = doc
        .sentences
        .first()
        .map(|s| s.span)
        .or_else(|| local_sentences(&doc.text).first().copied())
        .unwrap_or(Span::new(0, doc.text.len()));
    EventMention {
        event_type: PloverType::Assault,
        mode: None,
        context: vec![],
        cameo: None,
        acled_event_type: None,
        acled_sub_event_type: None,
        sentence: 0,
        trigger: sent,
        span: sent,
        actors: vec![],
        recipients: vec![],
        location: None,
        date: None,
        casualties: vec![],
        flags: vec![],
        quotes: vec![],
        confidence: 1.0,
    }
}

#[derive(Default)]
struct Tally {
    n: usize,
    in_gaz: usize,
    located: usize,
    loc_ok: usize,
    a1_name_ok: usize,
    a1_region_ok: usize,
    acc161: usize,
    // over rows whose location is in the gazetteer
    g_loc_ok: usize,
    g_a1_name_ok: usize,
    g_a1_region_ok: usize,
    g_acc161: usize,
    // over in-gazetteer rows whose note names the gold location
    named: usize,
    m_loc_ok: usize,
    m_a1_region_ok: usize,
    m_acc161: usize,
}

fn pct(a: usize, n: usize) -> f64 {
    a as f64 / n.max(1) as f64
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dump = 0usize;
    while let Some(a) = args.next() {
        if a == "--dump" {
            dump = args.next().and_then(|v| v.parse().ok()).unwrap_or(20);
        }
    }
    let dirs: Vec<PathBuf> = match std::env::var("ACLED_DIRS") {
        Ok(v) => v.split(':').map(PathBuf::from).collect(),
        Err(_) => [
            "acled-gaza",
            "acled-global-sample-2020",
            "acled-kenya",
            "acled-syria-battles",
        ]
        .iter()
        .map(|d| Path::new("/work/shared/eval").join(d))
        .collect(),
    };
    let data_dir = std::env::var("CHRONICLE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data")));
    let gaz = match Gazetteer::load(&data_dir) {
        Ok(g) => Arc::new(g),
        Err(e) => {
            println!("acled_geo: gazetteer not loadable ({e}), skipping");
            return;
        }
    };
    let grid = Grid::new(&gaz);
    let geo = GeoStage::new(gaz.clone());
    let loc = EventLocationStage::new(gaz.clone());
    let mut total = Tally::default();
    for dir in &dirs {
        let Some(file) = std::fs::read_dir(dir).ok().and_then(|rd| {
            let mut v: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "csv"))
                .collect();
            v.sort();
            v.into_iter().next()
        }) else {
            println!("acled_geo: no CSV in {}, skipping", dir.display());
            continue;
        };
        let rows = match read_rows(&file) {
            Ok(r) => r,
            Err(e) => {
                println!("acled_geo: {e}, skipping");
                continue;
            }
        };
        let name = dir.file_name().and_then(|f| f.to_str()).unwrap_or("?");
        let mut t = Tally::default();
        let mut dumped = 0;
        let t0 = Instant::now();
        for r in &rows {
            let mut doc = Document::new("acled", Metadata::default(), r.notes.clone());
            let ok = geo.process(&mut doc).is_ok() && {
                doc.mentions.push(first_sentence_mention(&doc));
                loc.process(&mut doc).is_ok()
            };
            let chosen: Option<Place> = if ok {
                doc.mentions.first().and_then(|m| m.location.clone())
            } else {
                None
            };
            let ge = gold_entry(&gaz, r);
            let gold_region = grid.nearest(&gaz, r.lat, r.lon).and_then(|e| {
                let p = gaz.place(e);
                Some((p.country, p.admin1_code?))
            });
            t.n += 1;
            t.in_gaz += ge.is_some() as usize;
            let (mut loc_ok, mut a1n, mut a1r, mut ok161) = (false, false, false, false);
            if let Some(p) = &chosen {
                t.located += 1;
                let gl = normalize(&r.location);
                loc_ok = contains_either(&normalize(&p.name), &gl)
                    || r.location
                        .split(" - ")
                        .any(|part| normalize(part) == normalize(&p.name))
                    || ge.is_some_and(|e| {
                        let (la, lo) = gaz.latlon(e);
                        haversine_km(la, lo, p.lat, p.lon) <= 5.0 && gaz.feature_class(e) == b'P'
                    });
                let pa1 = if p.feature_code == "ADM1" {
                    Some(p.name.clone())
                } else {
                    p.admin1.clone()
                };
                a1n = pa1.is_some_and(|a| {
                    let (x, y) = (admin_key(&a), admin_key(&r.admin1));
                    !x.is_empty() && x == y
                });
                a1r = gold_region.as_ref().is_some_and(|(c, a)| {
                    *c == p.country && p.admin1_code.as_deref() == Some(a.as_str())
                });
                ok161 = haversine_km(r.lat, r.lon, p.lat, p.lon) <= 161.0;
            }
            t.loc_ok += loc_ok as usize;
            t.a1_name_ok += a1n as usize;
            t.a1_region_ok += a1r as usize;
            t.acc161 += ok161 as usize;
            let named = ge.is_some() && {
                let note = format!(" {} ", normalize(&r.notes));
                std::iter::once(r.location.as_str())
                    .chain(r.location.split(" - "))
                    .map(normalize)
                    .any(|n| !n.is_empty() && note.contains(&format!(" {n} ")))
                    || note.contains(&format!(" {} ", normalize(gaz.name(ge.unwrap_or(0)))))
            };
            if named {
                t.named += 1;
                t.m_loc_ok += loc_ok as usize;
                t.m_a1_region_ok += a1r as usize;
                t.m_acc161 += ok161 as usize;
            }
            if ge.is_some() {
                t.g_loc_ok += loc_ok as usize;
                t.g_a1_name_ok += a1n as usize;
                t.g_a1_region_ok += a1r as usize;
                t.g_acc161 += ok161 as usize;
                if named && !(loc_ok && a1r) && dumped < dump {
                    dumped += 1;
                    let head: String = r.notes.chars().take(160).collect();
                    println!(
                        "MISS {name} gold {:?} / {:?} -> {:?} | {}",
                        r.location,
                        r.admin1,
                        chosen.as_ref().map(|p| format!(
                            "{} {} {}",
                            p.name,
                            p.feature_code,
                            p.admin1.clone().unwrap_or_default()
                        )),
                        head
                    );
                }
            }
        }
        let secs = t0.elapsed().as_secs_f64();
        report(name, &t, secs);
        total.n += t.n;
        total.in_gaz += t.in_gaz;
        total.located += t.located;
        total.loc_ok += t.loc_ok;
        total.a1_name_ok += t.a1_name_ok;
        total.a1_region_ok += t.a1_region_ok;
        total.acc161 += t.acc161;
        total.g_loc_ok += t.g_loc_ok;
        total.g_a1_name_ok += t.g_a1_name_ok;
        total.g_a1_region_ok += t.g_a1_region_ok;
        total.g_acc161 += t.g_acc161;
        total.named += t.named;
        total.m_loc_ok += t.m_loc_ok;
        total.m_a1_region_ok += t.m_a1_region_ok;
        total.m_acc161 += t.m_acc161;
    }
    if total.n > 0 {
        report("all", &total, 0.0);
    }
}

fn report(name: &str, t: &Tally, secs: f64) {
    println!(
        "{name:<26} rows {:>5} | not in gazetteer {:.3} | located {:.3} | all rows: location {:.3} admin1 name {:.3} admin1 region {:.3} acc@161 {:.3} | in-gazetteer rows ({}): location {:.3} admin1 name {:.3} admin1 region {:.3} acc@161 {:.3} | named in the note and in gazetteer ({}): location {:.3} admin1 region {:.3} acc@161 {:.3}{}",
        t.n,
        1.0 - pct(t.in_gaz, t.n),
        pct(t.located, t.n),
        pct(t.loc_ok, t.n),
        pct(t.a1_name_ok, t.n),
        pct(t.a1_region_ok, t.n),
        pct(t.acc161, t.n),
        t.in_gaz,
        pct(t.g_loc_ok, t.in_gaz),
        pct(t.g_a1_name_ok, t.in_gaz),
        pct(t.g_a1_region_ok, t.in_gaz),
        pct(t.g_acc161, t.in_gaz),
        t.named,
        pct(t.m_loc_ok, t.named),
        pct(t.m_a1_region_ok, t.named),
        pct(t.m_acc161, t.named),
        if secs > 0.0 {
            format!(" | {:.2} ms/row", secs * 1e3 / t.n.max(1) as f64)
        } else {
            String::new()
        }
    );
}
