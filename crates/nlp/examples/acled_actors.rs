//! Actor-type recall on ACLED event notes.
//!
//! ```text
//! cargo run --release -p chronicle-nlp --example acled_actors -- data \
//!     /work/shared/eval/acled-global-sample-2020/acled_global_2020-04-28_2020-05-09.csv
//! ```
//! For every event with notes, the notes are run through the tokenizer and the
//! entity stage. Each gold actor (`actor1`, `actor2`) counts as found when some
//! entity in the notes has an actor whose sectors fit the gold ACLED actor type
//! (`inter`: 1 state forces → MIL/GOV/COP, 2 rebels → REB/UAF, 3/4 militias →
//! UAF/REB, 5 rioters and 6 protesters → CVL/OPP, 7 civilians → CVL, 8 external →
//! IGO/MIL/GOV/NGO). For state forces we also report whether the entity's country
//! is the event's country. Prints a message and exits 0 when the file is missing.

use chronicle_core::{Document, Metadata, Stage};
use chronicle_nlp::{Dictionaries, EntityStage, Tokenizer};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

fn fits(inter: &str) -> &'static [&'static str] {
    match inter {
        "1" => &["MIL", "GOV", "COP"],
        "2" => &["REB", "UAF"],
        "3" | "4" => &["UAF", "REB"],
        "5" | "6" => &["CVL", "OPP"],
        "7" => &["CVL"],
        "8" => &["IGO", "MIL", "GOV", "NGO"],
        _ => &[],
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let data = args.get(1).map(String::as_str).unwrap_or("data");
    let path = args.get(2).map(String::as_str).unwrap_or(
        "/work/shared/eval/acled-global-sample-2020/acled_global_2020-04-28_2020-05-09.csv",
    );
    let mut rdr = match csv::Reader::from_path(path) {
        Ok(r) => r,
        Err(e) => {
            println!("skipping ACLED actor evaluation: {path}: {e}");
            return Ok(());
        }
    };
    let dict = Arc::new(Dictionaries::load(std::path::Path::new(data))?);
    let stage = EntityStage::new(dict.clone());
    let headers = rdr.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{path}: no column {name}"))
    };
    let c_notes = col("notes")?;
    // newer exports have no iso3 column: map the country name through the dictionary
    let c_iso3 = col("iso3").ok();
    let c_country = col("country")?;
    let actor_cols = [
        (col("actor1")?, col("inter1")?),
        (col("actor2")?, col("inter2")?),
    ];
    // per inter type: (gold, found, state-forces country ok)
    let mut stats: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut seen = HashSet::new();
    let mut misses: Vec<String> = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("{path}: record {}: {e}", i + 2))?;
        let notes = rec.get(c_notes).unwrap_or("").trim();
        if notes.is_empty() {
            continue;
        }
        let iso3 = match c_iso3 {
            Some(c) => rec.get(c).unwrap_or("").to_string(),
            None => dict
                .lookup_actor(rec.get(c_country).unwrap_or(""))
                .and_then(|a| a.country)
                .unwrap_or_default(),
        };
        let iso3 = iso3.as_str();
        let mut doc = Document::new("acled", Metadata::default(), notes.to_string());
        Tokenizer.process(&mut doc)?;
        stage.process(&mut doc)?;
        for (ca, ci) in actor_cols {
            let (actor, inter) = (rec.get(ca).unwrap_or(""), rec.get(ci).unwrap_or(""));
            if actor.is_empty() || fits(inter).is_empty() {
                continue;
            }
            if !seen.insert((notes.to_string(), actor.to_string())) {
                continue;
            }
            let ok = fits(inter);
            let hits: Vec<_> = doc
                .entities
                .iter()
                .filter_map(|e| e.actor.as_ref())
                .filter(|a| a.sectors.iter().any(|s| ok.contains(&s.as_str())))
                .collect();
            let st = stats.entry(inter.to_string()).or_default();
            st.0 += 1;
            if !hits.is_empty() {
                st.1 += 1;
                if hits.iter().any(|a| a.country.as_deref() == Some(iso3)) {
                    st.2 += 1;
                }
            } else if std::env::var("SHOW").is_ok() && misses.len() < 40 {
                misses.push(format!(
                    "MISS inter {inter} {actor:?}: {}",
                    &notes[..notes.len().min(160)]
                ));
            }
        }
    }
    println!(
        "{:<28} {:>6} {:>6} {:>7} {:>12}",
        "ACLED actor type (inter)", "gold", "found", "recall", "+country"
    );
    let names = [
        ("1", "state forces"),
        ("2", "rebel groups"),
        ("3", "political militias"),
        ("4", "identity militias"),
        ("5", "rioters"),
        ("6", "protesters"),
        ("7", "civilians"),
        ("8", "external/other forces"),
    ];
    let (mut g, mut f) = (0, 0);
    for (k, name) in names {
        if let Some(&(gold, found, cty)) = stats.get(k) {
            g += gold;
            f += found;
            let cty = if k == "1" {
                format!("{:.1}", 100.0 * cty as f64 / gold.max(1) as f64)
            } else {
                "-".to_string()
            };
            println!(
                "{:<28} {gold:>6} {found:>6} {:>7.1} {cty:>12}",
                format!("{k} {name}"),
                100.0 * found as f64 / gold.max(1) as f64
            );
        }
    }
    println!(
        "{:<28} {g:>6} {f:>6} {:>7.1}",
        "all",
        100.0 * f as f64 / g.max(1) as f64
    );
    for m in misses {
        println!("{m}");
    }
    Ok(())
}
