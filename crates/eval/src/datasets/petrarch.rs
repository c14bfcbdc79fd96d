//! PETRARCH-2 validation records: each `<Sentence>` text goes through the pipeline;
//! its events become (source code, target code, CAMEO code) triples, where an actor's
//! code is its country plus first sector ("GON"+"GOV" → "GONGOV"). Scores as the
//! PETRARCH validation run: share of records whose triple set equals the expected
//! set (`noevents` = empty), triple P/R/F1; per expected coding: CAMEO exact match,
//! CAMEO root (2-digit) match, PLOVER-type match (gold code mapped with the
//! CAMEO→PLOVER table), source-code and target-code match.

use super::{events_of, quick_take, read_string, Ctx};
use crate::mapping::CameoTable;
use crate::metrics::{ratio, set_prf, Prf};
use crate::report::Row;
use crate::system::text_doc;
use chronicle_core::{Actor, PloverType};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Coding {
    pub source: String,
    pub target: String,
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct Record {
    pub id: String,
    pub text: String,
    pub codings: Vec<Coding>,
}

/// A predicted coding: the triple plus the PLOVER type it came from.
#[derive(Debug, Clone)]
pub struct PredCoding {
    pub coding: Coding,
    pub plover: PloverType,
}

pub fn parse(xml: &str) -> anyhow::Result<Vec<Record>> {
    let doc =
        roxmltree::Document::parse(xml).map_err(|e| anyhow::anyhow!("PETR records: XML: {e}"))?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("Sentence"))
        .map(|s| {
            let text = s
                .children()
                .find(|c| c.has_tag_name("Text"))
                .and_then(|t| t.text())
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let codings = s
                .children()
                .filter(|c| c.has_tag_name("EventCoding") && c.attribute("noevents").is_none())
                .filter_map(|c| {
                    Some(Coding {
                        source: c.attribute("sourcecode")?.trim().to_string(),
                        target: c.attribute("targetcode").unwrap_or("").trim().to_string(),
                        code: c.attribute("eventcode")?.trim().to_string(),
                    })
                })
                .collect();
            Record {
                id: s.attribute("id").unwrap_or("?").to_string(),
                text,
                codings,
            }
        })
        .collect())
}

/// Actor code: country + first sector, uppercase.
pub fn actor_code(a: &Actor) -> String {
    let mut c = a.country.clone().unwrap_or_default();
    if let Some(s) = a.sectors.first() {
        c.push_str(s);
    }
    c.to_ascii_uppercase()
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scores {
    pub records: usize,
    pub passed: usize,
    pub triples: Prf,
    pub codings: usize,
    pub cameo_exact: usize,
    pub cameo_root: usize,
    pub plover: Option<usize>,
    pub source: usize,
    pub target: usize,
}

pub fn score(gold: &[Record], pred: &[Vec<PredCoding>], table: Option<&CameoTable>) -> Scores {
    let mut s = Scores {
        records: gold.len(),
        plover: table.map(|_| 0),
        ..Default::default()
    };
    for (g, p) in gold.iter().zip(pred) {
        let pt: Vec<Coding> = p.iter().map(|x| x.coding.clone()).collect();
        let prf = set_prf(&g.codings, &pt);
        s.triples.add(prf);
        if prf.fp == 0 && prf.fn_ == 0 {
            s.passed += 1;
        }
        for c in &g.codings {
            s.codings += 1;
            s.cameo_exact += p.iter().any(|x| x.coding.code == c.code) as usize;
            s.cameo_root += p.iter().any(|x| {
                x.coding.code.get(..2).is_some() && x.coding.code.get(..2) == c.code.get(..2)
            }) as usize;
            s.source += p
                .iter()
                .any(|x| !c.source.is_empty() && x.coding.source == c.source)
                as usize;
            s.target += p
                .iter()
                .any(|x| !c.target.is_empty() && x.coding.target == c.target)
                as usize;
            if let (Some(t), Some(n)) = (table, s.plover.as_mut()) {
                if let Some(gt) = t.plover(&c.code) {
                    *n += p.iter().any(|x| x.plover == gt) as usize;
                }
            }
        }
    }
    s
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    const DS: &str = "petrarch-validation";
    let gold = quick_take(
        parse(&read_string(
            &dir.join("petrarch2-unit-tests/PETR.UnitTest.records.xml"),
        )?)?,
        ctx.quick,
        60,
    );
    let docs = gold
        .iter()
        .map(|r| text_doc(&format!("PETR#{}", r.id), r.text.clone(), None))
        .collect();
    let (out, errors) = ctx.annotate(docs);
    let pred: Vec<Vec<PredCoding>> = out
        .iter()
        .map(|d| {
            events_of(d)
                .iter()
                .map(|e| PredCoding {
                    coding: Coding {
                        source: e.actors.first().map(actor_code).unwrap_or_default(),
                        target: e.recipients.first().map(actor_code).unwrap_or_default(),
                        code: e.cameo.clone().unwrap_or_default(),
                    },
                    plover: e.ty,
                })
                .collect()
        })
        .collect();
    let s = score(&gold, &pred, ctx.cameo);
    let note = if errors > 0 {
        format!("{errors} docs failed")
    } else {
        String::new()
    };
    let mut rows = vec![
        Row::new(
            DS,
            "unit-tests",
            s.records,
            "records passed",
            ratio(s.passed, s.records),
        )
        .with_note(note),
        Row::new(
            DS,
            "unit-tests",
            s.codings,
            "triple P",
            s.triples.precision(),
        ),
        Row::new(DS, "unit-tests", s.codings, "triple R", s.triples.recall()),
        Row::new(DS, "unit-tests", s.codings, "triple F1", s.triples.f1()),
        Row::new(
            DS,
            "unit-tests",
            s.codings,
            "CAMEO exact match",
            ratio(s.cameo_exact, s.codings),
        ),
        Row::new(
            DS,
            "unit-tests",
            s.codings,
            "CAMEO root match",
            ratio(s.cameo_root, s.codings),
        ),
    ];
    rows.push(match s.plover {
        Some(k) => Row::new(
            DS,
            "unit-tests",
            s.codings,
            "PLOVER-type match (via CAMEO2PLOVER)",
            ratio(k, s.codings),
        ),
        None => Row::skipped(
            DS,
            "unit-tests",
            "PLOVER-type match: CAMEO2PLOVER table absent",
        ),
    });
    rows.push(Row::new(
        DS,
        "unit-tests",
        s.codings,
        "source code match",
        ratio(s.source, s.codings),
    ));
    rows.push(Row::new(
        DS,
        "unit-tests",
        s.codings,
        "target code match",
        ratio(s.target, s.codings),
    ));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<Validation><Sentences>
<Sentence date="19950101" id="A-1" category="X" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<Text>
Arnor restores ties
 with Gondor.
</Text></Sentence>
<Sentence date="19950101" id="A-2" category="X" sentence="true">
<EventCoding noevents = "True"></EventCoding>
<Text>Nothing happened.</Text></Sentence>
</Sentences></Validation>"#;

    fn pc(s: &str, t: &str, c: &str, p: PloverType) -> PredCoding {
        PredCoding {
            coding: Coding {
                source: s.into(),
                target: t.into(),
                code: c.into(),
            },
            plover: p,
        }
    }

    #[test]
    fn parse_records() {
        let r = parse(XML).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].text, "Arnor restores ties with Gondor.");
        assert_eq!(r[0].codings.len(), 1);
        assert!(r[1].codings.is_empty());
    }

    #[test]
    fn perfect_and_empty() {
        let g = parse(XML).unwrap();
        let table = CameoTable::parse("06: COOPERATE\n");
        let perfect = vec![vec![pc("ARN", "GON", "064", PloverType::Cooperate)], vec![]];
        let s = score(&g, &perfect, Some(&table));
        assert_eq!(
            (
                s.passed,
                s.triples.f1(),
                s.cameo_exact,
                s.cameo_root,
                s.plover
            ),
            (2, 1.0, 1, 1, Some(1))
        );
        let empty = score(&g, &[vec![], vec![]], Some(&table));
        assert_eq!(
            (
                empty.passed,
                empty.triples.f1(),
                empty.cameo_exact,
                empty.plover
            ),
            (1, 0.0, 0, Some(0))
        );
        // right root, wrong leaf; spurious event on a noevents record
        let near = score(
            &g,
            &[
                vec![pc("ARN", "GON", "061", PloverType::Cooperate)],
                vec![pc("X", "", "010", PloverType::Consult)],
            ],
            None,
        );
        assert_eq!(
            (
                near.passed,
                near.cameo_exact,
                near.cameo_root,
                near.source,
                near.plover
            ),
            (0, 0, 1, 1, None)
        );
    }
}
