//! MUC-4 (GRIT-processed dev = TST1+TST2): each document goes through the pipeline;
//! its ASSAULT / COERCE events give role fillers: actors → PerpInd when the actor's
//! text is a person entity, else PerpOrg; recipients → Victim when a person entity
//! or a civilian (CVL) actor, else Target; the event mode → Weapon. Scored as GRIT:
//! per role, a predicted string is correct when it equals (after normalisation) any
//! mention of a not-yet-matched gold entity; P/R/F1 per role and micro-averaged.
//! Incident detection: document has any gold filler vs any such event (P/R/F1).

use super::{events_of, quick_take, read_string, Ctx};
use crate::metrics::{binary_prf, norm, Prf};
use crate::report::Row;
use crate::system::text_doc;
use chronicle_core::{Actor, Document, EntityKind, PloverType};
use std::collections::BTreeMap;
use std::path::Path;

pub const ROLES: [&str; 5] = ["PerpInd", "PerpOrg", "Target", "Victim", "Weapon"];

#[derive(Debug, Clone)]
pub struct GoldDoc {
    pub id: String,
    pub text: String,
    /// role → entities → coreferent mention strings
    pub roles: BTreeMap<String, Vec<Vec<String>>>,
}

pub fn parse(jsonl: &str) -> anyhow::Result<Vec<GoldDoc>> {
    let mut out = Vec::new();
    for (i, line) in jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| anyhow::anyhow!("line {}: {e}", i + 1))?;
        let mut roles = BTreeMap::new();
        for r in ROLES {
            let ents = v["extracts"][r]
                .as_array()
                .map(|ents| {
                    ents.iter()
                        .map(|ent| {
                            ent.as_array()
                                .map(|ms| {
                                    ms.iter()
                                        .filter_map(|m| {
                                            m.get(0).and_then(|s| s.as_str()).map(String::from)
                                        })
                                        .collect()
                                })
                                .unwrap_or_default()
                        })
                        .filter(|m: &Vec<String>| !m.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            roles.insert(r.to_string(), ents);
        }
        out.push(GoldDoc {
            id: v["docid"].as_str().unwrap_or("?").to_string(),
            text: v["doctext"].as_str().unwrap_or("").to_string(),
            roles,
        });
    }
    Ok(out)
}

/// GRIT matching for one role of one document.
pub fn match_role(gold: &[Vec<String>], pred: &[String]) -> Prf {
    let mut used = vec![false; gold.len()];
    let mut seen = std::collections::BTreeSet::new();
    let mut c = Prf::default();
    for p in pred {
        let p = norm(p);
        if p.is_empty() || !seen.insert(p.clone()) {
            continue;
        }
        match gold
            .iter()
            .enumerate()
            .position(|(i, ms)| !used[i] && ms.iter().any(|m| norm(m) == p))
        {
            Some(i) => {
                used[i] = true;
                c.tp += 1;
            }
            None => c.fp += 1,
        }
    }
    c.fn_ = used.iter().filter(|u| !**u).count();
    c
}

/// Role fillers predicted for a document.
pub fn predict(doc: &Document) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> =
        ROLES.iter().map(|r| (r.to_string(), Vec::new())).collect();
    let is_person = |a: &Actor| {
        let t = norm(if a.text.is_empty() { &a.name } else { &a.text });
        doc.entities
            .iter()
            .any(|e| e.kind == EntityKind::Per && norm(&e.text) == t)
    };
    let surface = |a: &Actor| {
        if a.text.is_empty() {
            a.name.clone()
        } else {
            a.text.clone()
        }
    };
    for e in events_of(doc)
        .iter()
        .filter(|e| matches!(e.ty, PloverType::Assault | PloverType::Coerce))
    {
        for a in &e.actors {
            let role = if is_person(a) { "PerpInd" } else { "PerpOrg" };
            out.get_mut(role).expect("role").push(surface(a));
        }
        for a in &e.recipients {
            let role = if is_person(a) || a.sectors.iter().any(|s| s == "CVL") {
                "Victim"
            } else {
                "Target"
            };
            out.get_mut(role).expect("role").push(surface(a));
        }
        if let Some(m) = &e.mode {
            out.get_mut("Weapon").expect("role").push(m.clone());
        }
    }
    out
}

/// Per-role and micro ("ALL") counts, plus incident detection counts.
pub fn score(
    gold: &[GoldDoc],
    pred: &[BTreeMap<String, Vec<String>>],
) -> (BTreeMap<String, Prf>, Prf) {
    let mut by: BTreeMap<String, Prf> = BTreeMap::new();
    let mut det = Vec::new();
    for (g, p) in gold.iter().zip(pred) {
        for r in ROLES {
            let ge = g.roles.get(r).map(Vec::as_slice).unwrap_or(&[]);
            let pe = p.get(r).map(Vec::as_slice).unwrap_or(&[]);
            by.entry(r.to_string()).or_default().add(match_role(ge, pe));
        }
        det.push((
            g.roles.values().any(|v| !v.is_empty()),
            p.values().any(|v| !v.is_empty()),
        ));
    }
    let mut all = Prf::default();
    for v in by.values() {
        all.add(*v);
    }
    by.insert("ALL".into(), all);
    (by, binary_prf(det))
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    const DS: &str = "muc4";
    let gold = quick_take(
        parse(&read_string(&dir.join("grit-processed/dev.json"))?)?,
        ctx.quick,
        30,
    );
    let docs = gold
        .iter()
        .map(|g| text_doc(&g.id, g.text.clone(), None))
        .collect();
    let (out, errors) = ctx.annotate(docs);
    let pred: Vec<_> = out.iter().map(predict).collect();
    let (by, det) = score(&gold, &pred);
    let n = gold.len();
    let note = if errors > 0 {
        format!("{errors} docs failed")
    } else {
        String::new()
    };
    let mut rows = vec![
        Row::new(DS, "dev", n, "incident detection F1", det.f1()).with_note(note),
        Row::new(DS, "dev", n, "role micro P", by["ALL"].precision()),
        Row::new(DS, "dev", n, "role micro R", by["ALL"].recall()),
        Row::new(DS, "dev", n, "role micro F1", by["ALL"].f1()),
    ];
    for r in ROLES {
        let c = by[r];
        rows.push(Row::new(DS, "dev", c.tp + c.fn_, format!("{r} F1"), c.f1()));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"docid": "TST1-1", "doctext": "terrorists of the fmln bombed the bank, killing peasants.", "extracts": {"PerpInd": [[["terrorists", 0]]], "PerpOrg": [[["fmln", 18], ["farabundo marti national liberation front", 99]]], "Target": [[["the bank", 30]]], "Victim": [[["peasants", 48]]], "Weapon": []}}"#;

    fn roles(v: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        v.iter()
            .map(|(r, xs)| (r.to_string(), xs.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn perfect_empty_and_alias() {
        let g = parse(LINE).unwrap();
        assert_eq!(g[0].roles["PerpOrg"][0].len(), 2);
        let perfect = roles(&[
            ("PerpInd", &["terrorists"]),
            ("PerpOrg", &["FMLN"]),
            ("Target", &["the bank"]),
            ("Victim", &["peasants"]),
        ]);
        let (by, det) = score(&g, &[perfect]);
        assert_eq!((by["ALL"].f1(), det.f1()), (1.0, 1.0));
        let (by, det) = score(&g, &[roles(&[])]);
        assert_eq!((by["ALL"].f1(), det.f1()), (0.0, 0.0));
        // any coreferent mention counts, but one entity only once
        let dup = roles(&[(
            "PerpOrg",
            &["farabundo marti national liberation front", "fmln"],
        )]);
        let (by, _) = score(&g, &[dup]);
        assert_eq!(by["PerpOrg"], Prf::new(1, 1, 0));
    }
}
