//! ACLED development sets (Kenya, Gaza, global sample, Syria battles): each row's
//! `notes` goes through the pipeline as a document published on `event_date`; the
//! output event that maps to an ACLED type (else the first) is compared field by
//! field with the row. Columns are read by header name (the exports differ).
//!
//! Match rules: event / sub-event type exact (case-insensitive); actors after
//! normalisation (parenthesised qualifiers such as "(2022-)" or "(Kenya)" removed,
//! lowercase) match when either name contains the other, against any predicted
//! actor (actor1) or recipient (actor2; rows without actor2 are not counted);
//! admin1 and location names contained either way (GeoNames writes "Kiambu County"
//! where ACLED writes "Kiambu"); km error between the event
//! location and the row's coordinates; fatalities exact and within ±1 (no event or
//! no count = 0).

use super::{events_of, quick_take, Ctx, Ev};
use crate::metrics::{distance_stats, norm, ratio};
use crate::report::Row;
use crate::system::{parse_date, text_doc};
use chronicle_core::haversine_km;
use regex::Regex;
use std::path::Path;
use std::sync::OnceLock;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gold {
    pub id: String,
    pub date: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub actor1: String,
    pub actor2: String,
    pub admin1: String,
    pub location: String,
    pub coords: Option<(f64, f64)>,
    pub fatalities: u64,
    pub notes: String,
}

/// What the system said about one row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pred {
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
    pub actors: Vec<String>,
    pub recipients: Vec<String>,
    pub admin1: Option<String>,
    pub location: Option<String>,
    pub coords: Option<(f64, f64)>,
    pub fatalities: u64,
}

pub fn parse(csv_text: &str, origin: &str) -> anyhow::Result<Vec<Gold>> {
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rd.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let need =
        |name: &str| col(name).ok_or_else(|| anyhow::anyhow!("{origin}: no column {name:?}"));
    let (ci, cd, ct, cs) = (
        need("event_id_cnty")?,
        need("event_date")?,
        need("event_type")?,
        need("sub_event_type")?,
    );
    let (ca1, ca2, cad, cl) = (
        need("actor1")?,
        need("actor2")?,
        need("admin1")?,
        need("location")?,
    );
    let (clat, clon, cn, cf) = (
        need("latitude")?,
        need("longitude")?,
        need("notes")?,
        need("fatalities")?,
    );
    let mut out = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                eprintln!("warning: {origin}:{}: {e}", i + 2);
                continue;
            }
        };
        let g = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
        let lat = g(clat).parse::<f64>().ok();
        let lon = g(clon).parse::<f64>().ok();
        out.push(Gold {
            id: g(ci),
            date: g(cd),
            event_type: g(ct),
            sub_event_type: g(cs),
            actor1: g(ca1),
            actor2: g(ca2),
            admin1: g(cad),
            location: g(cl),
            coords: lat.zip(lon),
            fatalities: g(cf).parse().unwrap_or(0),
            notes: g(cn),
        });
    }
    Ok(out)
}

/// ACLED actor name without parenthesised qualifiers, normalised.
pub fn actor_norm(s: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\([^)]*\)").expect("static regex"));
    // "al-Shabaab" and "Al Shabaab" are one name
    norm(&re.replace_all(s, " ").replace('-', " "))
}

fn contains_either(a: &str, b: &str) -> bool {
    !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a))
}

fn any_actor(gold: &str, pred: &[String]) -> bool {
    let g = actor_norm(gold);
    pred.iter().any(|p| contains_either(&g, &actor_norm(p)))
}

/// Per-field tallies.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub n: usize,
    pub event_type: usize,
    pub sub_event_type: usize,
    pub actor1: usize,
    pub n_actor2: usize,
    pub actor2: usize,
    pub admin1: usize,
    pub location: usize,
    pub km: Vec<f64>,
    pub within161: usize,
    pub fat_exact: usize,
    pub fat_pm1: usize,
}

impl Tally {
    pub fn add(&mut self, g: &Gold, p: &Pred) {
        let eq = |a: &Option<String>, b: &str| a.as_deref().is_some_and(|a| norm(a) == norm(b));
        self.n += 1;
        self.event_type += eq(&p.event_type, &g.event_type) as usize;
        self.sub_event_type += eq(&p.sub_event_type, &g.sub_event_type) as usize;
        self.actor1 += any_actor(&g.actor1, &p.actors) as usize;
        if !g.actor2.is_empty() {
            self.n_actor2 += 1;
            self.actor2 += any_actor(&g.actor2, &p.recipients) as usize;
        }
        // GeoNames and ACLED spell divisions differently ("Kiambu County" / "Kiambu",
        // "Nairobi Area" / "Nairobi"): one name contained in the other counts
        self.admin1 +=
            p.admin1
                .as_deref()
                .is_some_and(|a| contains_either(&norm(a), &norm(&g.admin1))) as usize;
        self.location += p
            .location
            .as_deref()
            .is_some_and(|l| contains_either(&norm(l), &norm(&g.location)))
            as usize;
        if let (Some(gc), Some(pc)) = (g.coords, p.coords) {
            let d = haversine_km(gc.0, gc.1, pc.0, pc.1);
            self.km.push(d);
            self.within161 += (d <= 161.0) as usize;
        }
        self.fat_exact += (p.fatalities == g.fatalities) as usize;
        self.fat_pm1 += (p.fatalities.abs_diff(g.fatalities) <= 1) as usize;
    }

    pub fn rows(&self, ds: &str, errors: usize) -> Vec<Row> {
        let n = self.n;
        let d = distance_stats(&self.km);
        let note = if errors > 0 {
            format!("{errors} docs failed")
        } else {
            String::new()
        };
        vec![
            Row::new(
                ds,
                "dev",
                n,
                "event_type accuracy",
                ratio(self.event_type, n),
            )
            .with_note(note),
            Row::new(
                ds,
                "dev",
                n,
                "sub_event_type accuracy",
                ratio(self.sub_event_type, n),
            ),
            Row::new(ds, "dev", n, "actor1 match", ratio(self.actor1, n)),
            Row::new(
                ds,
                "dev",
                self.n_actor2,
                "actor2 match",
                ratio(self.actor2, self.n_actor2),
            ),
            Row::new(ds, "dev", n, "admin1 match", ratio(self.admin1, n)),
            Row::new(ds, "dev", n, "location match", ratio(self.location, n)),
            Row::new(
                ds,
                "dev",
                n,
                "acc@161km (unlocated = miss)",
                ratio(self.within161, n),
            ),
            Row::new(ds, "dev", d.n, "median km (located rows)", d.median_km),
            Row::new(ds, "dev", n, "fatalities exact", ratio(self.fat_exact, n)),
            Row::new(ds, "dev", n, "fatalities within 1", ratio(self.fat_pm1, n)),
        ]
    }
}

/// The prediction for one row from the document's events.
pub fn predict(evs: &[Ev]) -> Pred {
    let Some(e) = evs.iter().find(|e| e.acled().is_some()).or(evs.first()) else {
        return Pred::default();
    };
    let ac = e.acled();
    let names = |v: &[chronicle_core::Actor]| -> Vec<String> {
        v.iter()
            .flat_map(|a| {
                [
                    a.name.clone(),
                    a.text.clone(),
                    a.acled.clone().unwrap_or_default(),
                ]
            })
            .filter(|s| !s.is_empty())
            .collect()
    };
    Pred {
        event_type: ac.as_ref().map(|a| a.0.clone()).filter(|s| !s.is_empty()),
        sub_event_type: ac.map(|a| a.1),
        actors: names(&e.actors),
        recipients: names(&e.recipients),
        admin1: e.location.as_ref().and_then(|l| l.admin1.clone()),
        location: e.location.as_ref().map(|l| l.name.clone()),
        coords: e.location.as_ref().map(|l| (l.lat, l.lon)),
        fatalities: e.fatalities().unwrap_or(0),
    }
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    let ds = match dir.file_name().and_then(|f| f.to_str()).unwrap_or("") {
        "acled-kenya" => "acled-kenya",
        "acled-gaza" => "acled-gaza",
        "acled-syria-battles" => "acled-syria",
        "acled-global-sample-2020" => "acled-global",
        other => return Err(anyhow::anyhow!("unknown ACLED folder {other}")),
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    let Some(file) = files.first() else {
        return Ok(vec![Row::skipped(ds, "dev", "no CSV")]);
    };
    let text =
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let gold = quick_take(parse(&text, &file.display().to_string())?, ctx.quick, 100);
    let docs = gold
        .iter()
        .map(|g| {
            text_doc(
                &format!("{ds}#{}", g.id),
                g.notes.clone(),
                parse_date(&g.date),
            )
        })
        .collect();
    let (out, errors) = ctx.annotate(docs);
    let mut t = Tally::default();
    for (g, d) in gold.iter().zip(&out) {
        t.add(g, &predict(&events_of(d)));
    }
    Ok(t.rows(ds, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,notes,fatalities\n\
PSE1,6-Jun-25,Explosions/Remote violence,Air/drone strike,Military Forces of Israel (2022-),Civilians (Palestine),Gaza Strip,Gaza City,31.5,34.46,\"On 6 June 2025, Israeli drones struck Gaza City, killing 3.\",3\n";

    fn perfect() -> Pred {
        Pred {
            event_type: Some("Explosions/Remote violence".into()),
            sub_event_type: Some("Air/drone strike".into()),
            actors: vec!["Israel".into()],
            recipients: vec!["civilians".into()],
            admin1: Some("Gaza Strip".into()),
            location: Some("Gaza".into()),
            coords: Some((31.5, 34.46)),
            fatalities: 3,
        }
    }

    #[test]
    fn parse_by_header() {
        let g = parse(CSV, "t").unwrap();
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].fatalities, 3);
        assert_eq!(g[0].coords, Some((31.5, 34.46)));
        assert!(g[0].notes.contains("drones"));
        assert!(parse("a,b\n1,2\n", "t").is_err());
        assert_eq!(
            actor_norm("Military Forces of Israel (2022-)"),
            "military forces of israel"
        );
    }

    #[test]
    fn perfect_and_empty() {
        let g = &parse(CSV, "t").unwrap()[0];
        let mut t = Tally::default();
        t.add(g, &perfect());
        let rows = t.rows("x", 0);
        assert!(
            rows.iter()
                .all(|r| r.metric.contains("median") || r.value == Some(1.0)),
            "{rows:?}"
        );
        let mut e = Tally::default();
        e.add(g, &Pred::default());
        let rows = e.rows("x", 0);
        assert!(rows.iter().all(|r| r.value == Some(0.0)), "{rows:?}");
        let mut near = Tally::default();
        near.add(
            g,
            &Pred {
                fatalities: 2,
                ..perfect()
            },
        );
        assert_eq!((near.fat_exact, near.fat_pm1), (0, 1));
    }
}
