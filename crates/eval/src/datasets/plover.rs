//! PLOVER gold-standard records: each coded sentence goes through the pipeline; the
//! highest-confidence output event is compared with the gold coding. Legacy v0.5b1
//! names are mapped (DEMAND→REQUEST, FIGHT→ASSAULT, DISAPPROVE/INVESTIGATE→ACCUSE).
//! Scores: event-type accuracy and macro F1 (no event = label "NONE"); source /
//! target actor match by text (normalised, either contains the other) and by code
//! (gold code equals the predicted actor's country or one of its sectors).

use super::{events_of, quick_take, read_string, Ctx};
use crate::mapping::legacy_plover;
use crate::metrics::{classification, norm, ratio};
use crate::report::Row;
use crate::system::text_doc;
use chronicle_core::Actor;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct GoldRecord {
    pub id: String,
    pub text: String,
    /// PLOVER 2021 type name.
    pub event: String,
    /// (actorText, code)
    pub sources: Vec<(String, String)>,
    pub targets: Vec<(String, String)>,
}

/// A predicted actor: surface/canonical texts and codes (country, sectors).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PredActor {
    pub texts: Vec<String>,
    pub codes: Vec<String>,
}

impl PredActor {
    pub fn from_actor(a: &Actor) -> PredActor {
        let mut codes: Vec<String> = a.country.iter().cloned().collect();
        codes.extend(a.sectors.iter().cloned());
        PredActor {
            texts: vec![a.name.clone(), a.text.clone()],
            codes,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prediction {
    pub event: Option<String>,
    pub actors: Vec<PredActor>,
    pub recipients: Vec<PredActor>,
}

fn actors(v: Option<&serde_json::Value>) -> Vec<(String, String)> {
    v.and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    let t = x.get("actorText")?.as_str()?.to_string();
                    let c = x
                        .get("code")
                        .and_then(|c| c.as_str())
                        .unwrap_or("")
                        .to_string();
                    Some((t, c))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Parse the GSR JSON array (the `DOCUMENT` record and unknown event names are skipped).
pub fn parse(json: &str) -> anyhow::Result<Vec<GoldRecord>> {
    let v: Vec<serde_json::Value> = serde_json::from_str(json)?;
    Ok(v.iter()
        .filter_map(|r| {
            let ev = legacy_plover(r.get("event")?.as_str()?)?;
            Some(GoldRecord {
                id: r
                    .get("id")
                    .and_then(|x| x.as_str())
                    .unwrap_or("")
                    .to_string(),
                text: r.get("text")?.as_str()?.to_string(),
                event: ev.as_str().to_string(),
                sources: actors(r.get("source")),
                targets: actors(r.get("target")),
            })
        })
        .collect())
}

fn text_match(gold: &str, p: &PredActor) -> bool {
    let g = norm(gold);
    !g.is_empty()
        && p.texts
            .iter()
            .map(|t| norm(t))
            .any(|t| !t.is_empty() && (t.contains(&g) || g.contains(&t)))
}

fn code_match(code: &str, p: &PredActor) -> bool {
    let c = code.trim().to_ascii_uppercase();
    !c.is_empty() && p.codes.iter().any(|x| x.eq_ignore_ascii_case(&c))
}

/// Scores: (type accuracy, macro F1, source text, source code, target text, target
/// code match rates, #records with source, #records with target).
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub n: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub src_text: f64,
    pub src_code: f64,
    pub tgt_text: f64,
    pub tgt_code: f64,
    pub n_src: usize,
    pub n_tgt: usize,
}

pub fn score(gold: &[GoldRecord], pred: &[Prediction]) -> Scores {
    let g: Vec<String> = gold.iter().map(|r| r.event.clone()).collect();
    let p: Vec<String> = pred
        .iter()
        .map(|p| p.event.clone().unwrap_or_else(|| "NONE".into()))
        .collect();
    let c = classification(&g, &p);
    let side = |gs: &dyn Fn(&GoldRecord) -> &Vec<(String, String)>,
                ps: &dyn Fn(&Prediction) -> &Vec<PredActor>| {
        let (mut n, mut t, mut k) = (0, 0, 0);
        for (r, pr) in gold.iter().zip(pred) {
            let ga = gs(r);
            if ga.is_empty() {
                continue;
            }
            n += 1;
            t += ga
                .iter()
                .any(|(txt, _)| ps(pr).iter().any(|a| text_match(txt, a)))
                as usize;
            k += ga
                .iter()
                .any(|(_, code)| ps(pr).iter().any(|a| code_match(code, a)))
                as usize;
        }
        (n, t, k)
    };
    let (ns, st, sc) = side(&|r| &r.sources, &|p| &p.actors);
    let (nt, tt, tc) = side(&|r| &r.targets, &|p| &p.recipients);
    Scores {
        n: gold.len(),
        accuracy: c.accuracy,
        macro_f1: c.macro_f1,
        src_text: ratio(st, ns),
        src_code: ratio(sc, ns),
        tgt_text: ratio(tt, nt),
        tgt_code: ratio(tc, nt),
        n_src: ns,
        n_tgt: nt,
    }
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    const DS: &str = "plover-gsr";
    let gold = quick_take(
        parse(&read_string(&dir.join("PLOVER_GSR_CAMEO.json"))?)?,
        ctx.quick,
        40,
    );
    let docs = gold
        .iter()
        .enumerate()
        .map(|(i, r)| text_doc(&format!("{}#{i}", r.id), r.text.clone(), None))
        .collect();
    let (out, errors) = ctx.annotate(docs);
    let pred: Vec<Prediction> = out
        .iter()
        .map(|d| match events_of(d).first() {
            None => Prediction::default(),
            Some(e) => Prediction {
                event: Some(e.ty.as_str().to_string()),
                actors: e.actors.iter().map(PredActor::from_actor).collect(),
                recipients: e.recipients.iter().map(PredActor::from_actor).collect(),
            },
        })
        .collect();
    let s = score(&gold, &pred);
    let note = if errors > 0 {
        format!("{errors} docs failed")
    } else {
        String::new()
    };
    Ok(vec![
        Row::new(DS, "all", s.n, "event-type accuracy", s.accuracy).with_note(note),
        Row::new(DS, "all", s.n, "event-type macro F1", s.macro_f1),
        Row::new(DS, "all", s.n_src, "source text match", s.src_text),
        Row::new(DS, "all", s.n_src, "source code match", s.src_code),
        Row::new(DS, "all", s.n_tgt, "target text match", s.tgt_text),
        Row::new(DS, "all", s.n_tgt, "target code match", s.tgt_code),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold() -> Vec<GoldRecord> {
        parse(
            r#"[{"id":"D","event":"DOCUMENT","text":"x"},
            {"id":"a","event":"DEMAND","text":"Japan asked China.","source":[{"actorText":"Japan","code":"JPN"}],"target":[{"actorText":"China","code":"CHN"}]},
            {"id":"b","event":"FIGHT","text":"Rebels fought.","source":[{"actorText":"Rebels","code":"REB"}],"target":""}]"#,
        )
        .unwrap()
    }

    #[test]
    fn parse_maps_legacy_names() {
        let g = gold();
        assert_eq!(g.len(), 2);
        assert_eq!(
            (g[0].event.as_str(), g[1].event.as_str()),
            ("REQUEST", "ASSAULT")
        );
        assert!(g[1].targets.is_empty());
    }

    #[test]
    fn perfect_and_empty() {
        let g = gold();
        let pa = |t: &str, c: &str| PredActor {
            texts: vec![t.into()],
            codes: vec![c.into()],
        };
        let perfect = vec![
            Prediction {
                event: Some("REQUEST".into()),
                actors: vec![pa("Japan", "JPN")],
                recipients: vec![pa("China", "CHN")],
            },
            Prediction {
                event: Some("ASSAULT".into()),
                actors: vec![pa("the rebels", "REB")],
                recipients: vec![],
            },
        ];
        let s = score(&g, &perfect);
        assert_eq!(
            (s.accuracy, s.macro_f1, s.src_text, s.src_code, s.tgt_text, s.tgt_code),
            (1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
        );
        assert_eq!((s.n_src, s.n_tgt), (2, 1));
        let e = score(&g, &[Prediction::default(), Prediction::default()]);
        assert_eq!(
            (e.accuracy, e.macro_f1, e.src_text, e.tgt_code),
            (0.0, 0.0, 0.0, 0.0)
        );
    }
}
