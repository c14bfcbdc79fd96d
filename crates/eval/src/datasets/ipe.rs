//! IndiaPoliceEvents: each article goes through the pipeline (published on its
//! metadata date); each gold sentence is located in the article text and gets the
//! labels of the events whose mention spans overlap it. Label rules (police actor =
//! an actor whose name or text mentions police / cop, or sector COP):
//! KILL = ASSAULT by police with a killed count; ARREST = COERCE by police with an
//! arrest/detain mode or an arrested count; FORCE = any other ASSAULT / COERCE by
//! police; FAIL (failure to intervene) is never predicted; ANY_ACTION = any of them.
//! Scores: per-label sentence P/R/F1 (upstream Task 1) and document-level F1
//! (a document is positive when any of its sentences is; upstream ranks documents
//! by score for AP, which needs scores the pipeline does not give).

use super::{events_of, quick_take, read_string, Ctx, Ev};
use crate::metrics::{binary_prf, Prf};
use crate::report::Row;
use crate::system::{parse_date, text_doc};
use chronicle_core::{CasualtyKind, Document, PloverType};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

pub const LABELS: [&str; 5] = ["KILL", "ARREST", "FAIL", "FORCE", "ANY_ACTION"];

#[derive(Debug, Clone)]
pub struct Article {
    pub id: i64,
    pub text: String,
    pub date: Option<String>,
    pub labels: BTreeSet<String>,
    /// (sentence text, labels)
    pub sentences: Vec<(String, BTreeSet<String>)>,
}

fn labels(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

pub fn parse(docs: &str, sents: &str, meta: Option<&str>) -> anyhow::Result<Vec<Article>> {
    let lines = |s: &str, what: &str| -> anyhow::Result<Vec<serde_json::Value>> {
        s.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l).map_err(|e| anyhow::anyhow!("{what}:{}: {e}", i + 1))
            })
            .collect()
    };
    let mut dates = HashMap::new();
    if let Some(m) = meta {
        for v in lines(m, "metadata.jsonl")? {
            if let (Some(id), Some(d)) = (v["doc_id"].as_i64(), v["date"].as_str()) {
                dates.insert(id, d.to_string());
            }
        }
    }
    let mut by: HashMap<i64, Vec<(i64, String, BTreeSet<String>)>> = HashMap::new();
    for v in lines(sents, "sents.jsonl")? {
        let Some(id) = v["doc_id"].as_i64() else {
            continue;
        };
        by.entry(id).or_default().push((
            v["sent_id"].as_i64().unwrap_or(0),
            v["sent_text"].as_str().unwrap_or("").to_string(),
            labels(&v["sent_labels"]),
        ));
    }
    let mut out = Vec::new();
    for v in lines(docs, "docs.jsonl")? {
        let Some(id) = v["doc_id"].as_i64() else {
            continue;
        };
        let mut ss = by.remove(&id).unwrap_or_default();
        ss.sort_by_key(|s| s.0);
        out.push(Article {
            id,
            text: v["doc_text"].as_str().unwrap_or("").to_string(),
            date: dates.get(&id).cloned(),
            labels: labels(&v["doc_labels"]),
            sentences: ss.into_iter().map(|(_, t, l)| (t, l)).collect(),
        });
    }
    Ok(out)
}

/// Byte ranges of the sentences in the article text (searched in order).
pub fn locate(text: &str, sentences: &[(String, BTreeSet<String>)]) -> Vec<Option<(usize, usize)>> {
    let mut cur = 0;
    sentences
        .iter()
        .map(|(s, _)| {
            let i = text.get(cur..)?.find(s.as_str())? + cur;
            cur = i + s.len();
            Some((i, i + s.len()))
        })
        .collect()
}

fn by_police(e: &Ev) -> bool {
    e.actors.iter().any(|a| {
        let t = format!("{} {}", a.name, a.text).to_lowercase();
        t.contains("police") || t.contains("cop") || a.sectors.iter().any(|s| s == "COP")
    })
}

/// Labels an event implies.
pub fn event_labels(e: &Ev, doc: &Document) -> BTreeSet<&'static str> {
    let mut l = BTreeSet::new();
    if !by_police(e) || super::is_unasserted(e) {
        return l;
    }
    let mode = e.mode.as_deref().unwrap_or("").to_lowercase();
    let arrested = doc.casualties.iter().any(|c| {
        c.kind == CasualtyKind::Arrested
            && e.spans
                .iter()
                .any(|s| s.0 <= c.span.start && c.span.end <= s.1)
    });
    match e.ty {
        PloverType::Assault if !e.killed.is_empty() => {
            l.insert("KILL");
        }
        PloverType::Coerce if mode.contains("arrest") || mode.contains("detain") || arrested => {
            l.insert("ARREST");
        }
        PloverType::Assault | PloverType::Coerce => {
            l.insert("FORCE");
        }
        _ => {}
    }
    if !l.is_empty() {
        l.insert("ANY_ACTION");
    }
    l
}

/// Predicted labels per sentence.
pub fn predict(doc: &Document, ranges: &[Option<(usize, usize)>]) -> Vec<BTreeSet<String>> {
    let evs = events_of(doc);
    ranges
        .iter()
        .map(|r| {
            let Some((s, e)) = *r else {
                return BTreeSet::new();
            };
            evs.iter()
                .filter(|ev| ev.spans.iter().any(|sp| sp.0 < e && s < sp.1))
                .flat_map(|ev| event_labels(ev, doc))
                .map(String::from)
                .collect()
        })
        .collect()
}

/// (sentence counts, document counts) per label.
pub fn score(gold: &[Article], pred: &[Vec<BTreeSet<String>>]) -> (Vec<Prf>, Vec<Prf>) {
    let sent = LABELS
        .iter()
        .map(|l| {
            binary_prf(gold.iter().zip(pred).flat_map(|(g, p)| {
                g.sentences
                    .iter()
                    .zip(p)
                    .map(|(gs, ps)| (gs.1.contains(*l), ps.contains(*l)))
            }))
        })
        .collect();
    let doc = LABELS
        .iter()
        .map(|l| {
            binary_prf(
                gold.iter()
                    .zip(pred)
                    .map(|(g, p)| (g.labels.contains(*l), p.iter().any(|s| s.contains(*l)))),
            )
        })
        .collect();
    (sent, doc)
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    const DS: &str = "indiapoliceevents";
    let meta = read_string(&dir.join("metadata.jsonl")).ok();
    let gold = quick_take(
        parse(
            &read_string(&dir.join("docs.jsonl"))?,
            &read_string(&dir.join("sents.jsonl"))?,
            meta.as_deref(),
        )?,
        ctx.quick,
        30,
    );
    let docs = gold
        .iter()
        .map(|a| {
            text_doc(
                &format!("ipe#{}", a.id),
                a.text.clone(),
                a.date.as_deref().and_then(parse_date),
            )
        })
        .collect();
    let (out, errors) = ctx.annotate(docs);
    let pred: Vec<_> = gold
        .iter()
        .zip(&out)
        .map(|(g, d)| predict(d, &locate(&g.text, &g.sentences)))
        .collect();
    let (sent, doc) = score(&gold, &pred);
    let ns: usize = gold.iter().map(|g| g.sentences.len()).sum();
    let mut rows = Vec::new();
    for (i, l) in LABELS.iter().enumerate() {
        let mut r = Row::new(DS, "sentences", ns, format!("{l} F1"), sent[i].f1());
        if i == 0 && errors > 0 {
            r = r.with_note(format!("{errors} docs failed"));
        }
        rows.push(r);
    }
    rows.push(Row::new(
        DS,
        "sentences",
        ns,
        "ANY_ACTION P",
        sent[4].precision(),
    ));
    rows.push(Row::new(
        DS,
        "sentences",
        ns,
        "ANY_ACTION R",
        sent[4].recall(),
    ));
    let nd = gold.len();
    for (i, l) in LABELS.iter().enumerate() {
        rows.push(Row::new(
            DS,
            "documents",
            nd,
            format!("{l} F1"),
            doc[i].f1(),
        ));
    }
    rows.push(Row::new(
        DS,
        "documents",
        nd,
        "ANY_ACTION P",
        doc[4].precision(),
    ));
    rows.push(Row::new(
        DS,
        "documents",
        nd,
        "ANY_ACTION R",
        doc[4].recall(),
    ));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::testutil::{actor, event, killed};

    const DOCS: &str = r#"{"doc_id": 1, "doc_text": "Police shot two rioters. Calm returned.", "doc_labels": ["KILL", "ANY_ACTION"]}"#;
    const SENTS: &str = "{\"doc_id\": 1, \"sent_id\": 0, \"sent_labels\": [\"KILL\", \"ANY_ACTION\"], \"sent_text\": \"Police shot two rioters.\"}\n{\"doc_id\": 1, \"sent_id\": 1, \"sent_labels\": [], \"sent_text\": \" Calm returned.\"}";

    #[test]
    fn perfect_and_empty() {
        let g = parse(DOCS, SENTS, None).unwrap();
        let ranges = locate(&g[0].text, &g[0].sentences);
        assert_eq!(ranges, vec![Some((0, 24)), Some((24, 39))]);
        let mut d = text_doc("1", g[0].text.clone(), None);
        let mut e = event(&d, PloverType::Assault, (0, 24));
        e.actors.push(actor("police", Some("IND")));
        e.killed.push(killed(2));
        d.events.push(e);
        let p = predict(&d, &ranges);
        let (sent, doc) = score(&g, &[p]);
        assert_eq!((sent[0].f1(), sent[4].f1(), doc[0].f1()), (1.0, 1.0, 1.0));
        let empty = predict(&text_doc("1", g[0].text.clone(), None), &ranges);
        let (sent, doc) = score(&g, &[empty]);
        assert_eq!((sent[0].f1(), doc[4].f1()), (0.0, 0.0));
    }
}
