//! Seed stories: splits the raw file into its stories (each starts at the first
//! occurrence of the next story's title from `expected.json`), feeds each as a
//! document published on its README/expected date, and scores with the README's
//! match rules:
//! * an expected event is found when an output event of the same document has an
//!   accepted type (`type` / `type_any`) and, when actors are listed, an actor whose
//!   canonical name or surface text equals the name or an alias (case-insensitive)
//!   with the same country where one is given; "all fields" additionally checks the
//!   given recipients, killed / wounded ranges (and per-source `reports`), location
//!   (name + country) and date (output range inside the expected one);
//! * an expected quote is found when a quote of the document has a speaker whose
//!   resolved name contains the expected name and text containing `text_contains`;
//! * `must_not` descriptions are read as rules: "located in X", "a TYPE by ACTOR on
//!   'PHRASE'", "two or more separate TYPE events for the PLACE ...", "comment or
//!   statement event by ACTOR ('p', ...)"; "output twice" is the duplicates count
//!   (matching output events left over by a maximum one-to-one assignment of
//!   output events to expected events, plus repeated quotes).
//!   Descriptions that fit no rule are counted as unscored.

use super::{events_of, read_string, Ctx, Ev};
use crate::metrics::{norm, ratio};
use crate::report::Row;
use crate::system::{parse_date, text_doc};
use chronicle_core::{Actor, Casualty, Document, Place};
use regex::Regex;
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;

/// Split the raw text at each following document's title. Returns (doc id, text)
/// pairs; a title that cannot be found is an error naming it.
pub fn split_stories(
    raw: &str,
    docs: &[(String, String)],
) -> anyhow::Result<Vec<(String, String)>> {
    let mut cuts = vec![0];
    for (id, title) in docs.iter().skip(1) {
        let from = *cuts.last().expect("non-empty");
        let pos = raw[from..]
            .find(title.as_str())
            .map(|p| p + from)
            .ok_or_else(|| {
                anyhow::anyhow!("seed: title of {id} ({title:?}) not found in the raw text")
            })?;
        cuts.push(pos);
    }
    cuts.push(raw.len());
    Ok(docs
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.clone(), raw[cuts[i]..cuts[i + 1]].to_string()))
        .collect())
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn names_of(v: &Value) -> Vec<String> {
    let mut n: Vec<String> = v["name"]
        .as_str()
        .map(|s| vec![s.to_string()])
        .unwrap_or_default();
    n.extend(strs(&v["aliases"]));
    n.into_iter().map(|s| norm(&s)).collect()
}

/// Whether an output actor matches an expected actor object.
pub fn actor_matches(exp: &Value, a: &Actor) -> bool {
    let names = names_of(exp);
    let got = [norm(&a.name), norm(&a.text)];
    let name_ok = got.iter().any(|g| !g.is_empty() && names.contains(g));
    let country_ok = match exp["country"].as_str() {
        Some(c) => a
            .country
            .as_deref()
            .is_some_and(|x| x.eq_ignore_ascii_case(c)),
        None => true,
    };
    name_ok && country_ok
}

fn place_matches(exp: &Value, p: &Place) -> bool {
    let names = names_of(exp);
    let country_ok = exp["country"]
        .as_str()
        .is_none_or(|c| p.country.eq_ignore_ascii_case(c));
    names.contains(&norm(&p.name)) && country_ok
}

fn accepted_types(exp: &Value) -> Vec<String> {
    let mut t = strs(&exp["type_any"]);
    if let Some(s) = exp["type"].as_str() {
        t.push(s.to_string());
    }
    t.iter().map(|s| s.to_ascii_uppercase()).collect()
}

/// Core match: type and actor.
pub fn event_matches(exp: &Value, e: &Ev) -> bool {
    let types = accepted_types(exp);
    let actors = exp["actors"].as_array().cloned().unwrap_or_default();
    types.iter().any(|t| t == e.ty.as_str())
        && (actors.is_empty()
            || actors
                .iter()
                .any(|x| e.actors.iter().any(|a| actor_matches(x, a))))
}

fn counts_in(exp: &Value, got: &[Casualty]) -> bool {
    let in_range = |r: &Value| {
        let (lo, hi) = (r["min"].as_u64(), r["max"].as_u64().or(r["min"].as_u64()));
        match (lo, hi) {
            (Some(lo), Some(hi)) => got.iter().any(|c| c.min >= lo && c.min <= hi),
            _ => true,
        }
    };
    match exp["reports"].as_array() {
        Some(reports) => reports.iter().all(in_range),
        None => in_range(exp),
    }
}

/// All-fields match: core + recipients, killed, wounded, location, date where given.
pub fn event_matches_fully(exp: &Value, e: &Ev) -> bool {
    if !event_matches(exp, e) {
        return false;
    }
    let mut recips: Vec<Value> = exp["recipients"].as_array().cloned().unwrap_or_default();
    recips.extend(
        exp["recipients_any"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    );
    if !recips.is_empty()
        && !recips
            .iter()
            .any(|x| e.recipients.iter().any(|a| actor_matches(x, a)))
    {
        return false;
    }
    if exp["killed"].is_object() && !counts_in(&exp["killed"], &e.killed) {
        return false;
    }
    if exp["wounded"].is_object() && !counts_in(&exp["wounded"], &e.wounded) {
        return false;
    }
    let mut locs: Vec<Value> = exp["location_any"].as_array().cloned().unwrap_or_default();
    if exp["location"].is_object() {
        locs.push(exp["location"].clone());
    }
    if !locs.is_empty()
        && !e
            .location
            .as_ref()
            .is_some_and(|p| locs.iter().any(|l| place_matches(l, p)))
    {
        return false;
    }
    if let Some(v) = exp["date"]["value"].as_str().and_then(parse_date) {
        let end = exp["date"]["end"]
            .as_str()
            .and_then(parse_date)
            .unwrap_or(v);
        if !e
            .date
            .as_ref()
            .is_some_and(|d| d.value >= v && d.last() <= end)
        {
            return false;
        }
    }
    true
}

/// A `must_not` description read as a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    LocatedIn(String),
    TypeByActorOn {
        ty: String,
        actor: String,
        phrase: String,
    },
    Separate {
        ty: String,
        place: String,
    },
    StatementBy {
        actor: String,
        phrases: Vec<String>,
    },
    Duplicates,
    Unscored(String),
}

pub fn parse_rule(what: &str) -> Rule {
    let re = |p: &str| Regex::new(p).expect("static regex");
    if what.contains("output twice") || what.contains("duplicate") {
        return Rule::Duplicates;
    }
    if let Some(c) =
        re(r"two or more separate ([A-Z]{4,}) events for the ([A-Z][\w'\-]*)").captures(what)
    {
        return Rule::Separate {
            ty: c[1].to_string(),
            place: c[2].to_string(),
        };
    }
    if let Some(c) =
        re(r"(?:comment|statement) event by ([A-Z][\w'\-]*)\s*\(([^)]*)\)").captures(what)
    {
        let phrases = re(r"'([^']+)'")
            .captures_iter(&c[2])
            .map(|q| q[1].to_string())
            .collect();
        return Rule::StatementBy {
            actor: c[1].to_string(),
            phrases,
        };
    }
    if let Some(c) = re(r"\b([A-Z]{4,}) by ([A-Z][\w'\- ]*?) on '([^']+)'").captures(what) {
        return Rule::TypeByActorOn {
            ty: c[1].to_string(),
            actor: c[2].to_string(),
            phrase: c[3].to_string(),
        };
    }
    if let Some(c) = re(r"located in ([A-Z][\w'\- ]*?)\s*(?:\(|,|$)").captures(what) {
        return Rule::LocatedIn(c[1].trim().to_string());
    }
    Rule::Unscored(what.to_string())
}

fn named(a: &Actor, name: &str) -> bool {
    let n = norm(name);
    norm(&a.name) == n || norm(&a.text) == n
}

fn at_place(e: &Ev, place: &str) -> bool {
    let n = norm(place);
    e.location
        .iter()
        .chain(e.places.iter())
        .any(|p| norm(&p.name) == n)
}

fn texts_contain(e: &Ev, phrase: &str) -> bool {
    let p = phrase.to_lowercase();
    e.texts.iter().any(|t| t.to_lowercase().contains(&p))
}

/// Violations of one rule among a document's output events (`Duplicates` and
/// `Unscored` give 0 here).
pub fn violations(rule: &Rule, evs: &[Ev]) -> usize {
    match rule {
        Rule::LocatedIn(x) => evs.iter().filter(|e| at_place(e, x)).count(),
        Rule::TypeByActorOn { ty, actor, phrase } => evs
            .iter()
            .filter(|e| e.ty.as_str() == ty && e.actors.iter().any(|a| named(a, actor)))
            .filter(|e| texts_contain(e, phrase) && !e.flags.iter().any(|f| f == "habitual"))
            .count(),
        Rule::Separate { ty, place } => evs
            .iter()
            .filter(|e| e.ty.as_str() == ty && at_place(e, place))
            .count()
            .saturating_sub(1),
        Rule::StatementBy { actor, phrases } => evs
            .iter()
            .filter(|e| !e.ty.is_material() && e.actors.iter().any(|a| named(a, actor)))
            .filter(|e| phrases.is_empty() || phrases.iter().any(|p| texts_contain(e, p)))
            .count(),
        Rule::Duplicates | Rule::Unscored(_) => 0,
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    pub events: usize,
    pub found: usize,
    pub found_full: usize,
    pub quotes: usize,
    pub quotes_found: usize,
    pub rules: usize,
    pub violations: usize,
    pub unscored: usize,
    pub duplicates: usize,
    pub output_events: usize,
}

/// Size of a maximum bipartite matching (Kuhn's augmenting paths); `hits[i]` lists
/// the right-side nodes left node `i` may take.
pub fn max_matching(hits: &[Vec<usize>], right: usize) -> usize {
    fn augment(
        i: usize,
        hits: &[Vec<usize>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for &j in &hits[i] {
            if j < seen.len() && !seen[j] {
                seen[j] = true;
                if owner[j].is_none_or(|k| augment(k, hits, seen, owner)) {
                    owner[j] = Some(i);
                    return true;
                }
            }
        }
        false
    }
    let mut owner = vec![None; right];
    (0..hits.len())
        .filter(|&i| augment(i, hits, &mut vec![false; right], &mut owner))
        .count()
}

/// Score annotated documents (ids = expected doc ids) against `expected.json`.
pub fn score(expected: &Value, docs: &[Document]) -> Scores {
    let mut s = Scores::default();
    let evs: Vec<(String, Vec<Ev>)> = docs.iter().map(|d| (d.id.clone(), events_of(d))).collect();
    let doc_evs = |id: &str| -> Vec<&Ev> {
        evs.iter()
            .filter(|(d, _)| id == "any" || d == id)
            .flat_map(|(_, e)| e)
            .collect()
    };
    s.output_events = evs.iter().map(|(_, e)| e.len()).sum();
    let exps: Vec<&Value> = expected["events"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    for exp in &exps {
        s.events += 1;
        let cands = doc_evs(exp["doc"].as_str().unwrap_or(""));
        s.found += cands.iter().any(|e| event_matches(exp, e)) as usize;
        s.found_full += cands.iter().any(|e| event_matches_fully(exp, e)) as usize;
    }
    // duplicates: output events that match some expected event but are left over by
    // a maximum one-to-one assignment of output events to expected events
    let mut hits: Vec<Vec<usize>> = Vec::new();
    for (doc, list) in &evs {
        for e in list {
            let h: Vec<usize> = (0..exps.len())
                .filter(|&i| {
                    exps[i]["doc"].as_str() == Some(doc.as_str()) && event_matches(exps[i], e)
                })
                .collect();
            if !h.is_empty() {
                hits.push(h);
            }
        }
    }
    s.duplicates += hits.len() - max_matching(&hits, exps.len());
    for q in expected["quotes"].as_array().into_iter().flatten() {
        s.quotes += 1;
        let speaker = norm(q["speaker"].as_str().unwrap_or(""));
        let needle = q["text_contains"].as_str().unwrap_or("").to_lowercase();
        let doc = q["doc"].as_str().unwrap_or("");
        s.quotes_found += docs
            .iter()
            .filter(|d| d.id == doc)
            .flat_map(|d| &d.quotes)
            .any(|x| {
                x.speaker
                    .as_ref()
                    .is_some_and(|sp| !speaker.is_empty() && norm(&sp.name).contains(&speaker))
                    && x.text.to_lowercase().contains(&needle)
            }) as usize;
    }
    for d in docs {
        let mut seen = HashSet::new();
        for q in &d.quotes {
            let key = (q.speaker.as_ref().map(|s| norm(&s.name)), norm(&q.text));
            if !seen.insert(key) {
                s.duplicates += 1;
            }
        }
    }
    for m in expected["must_not"].as_array().into_iter().flatten() {
        let rule = parse_rule(m["what"].as_str().unwrap_or(""));
        match rule {
            Rule::Unscored(_) => s.unscored += 1,
            Rule::Duplicates => {}
            _ => {
                s.rules += 1;
                let evs: Vec<Ev> = doc_evs(m["doc"].as_str().unwrap_or("any"))
                    .into_iter()
                    .cloned()
                    .collect();
                s.violations += violations(&rule, &evs);
            }
        }
    }
    s
}

/// Publication date of each expected document (`published`).
fn docs_of(expected: &Value) -> Vec<(String, String, Option<chrono::NaiveDate>)> {
    expected["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| {
            Some((
                d["id"].as_str()?.to_string(),
                d["title"].as_str()?.to_string(),
                d["published"].as_str().and_then(parse_date),
            ))
        })
        .collect()
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    const DS: &str = "seed";
    let expected: Value = serde_json::from_str(&read_string(&dir.join("expected.json"))?)?;
    let mut raws: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    raws.sort();
    let Some(raw_path) = raws.first() else {
        return Ok(vec![Row::skipped(DS, "stories", "no raw .txt")]);
    };
    let raw = read_string(raw_path)?;
    let meta = docs_of(&expected);
    let pairs: Vec<(String, String)> = meta
        .iter()
        .map(|(i, t, _)| (i.clone(), t.clone()))
        .collect();
    let stories = split_stories(&raw, &pairs)?;
    let docs = stories
        .iter()
        .zip(&meta)
        .map(|((id, text), (_, title, date))| {
            let mut d = text_doc(id, text.clone(), *date);
            d.meta.title = Some(title.clone());
            d
        })
        .collect();
    let (out, errors) = ctx.annotate(docs);
    let s = score(&expected, &out);
    let note = if errors > 0 {
        format!("{errors} docs failed")
    } else {
        format!("{} output events", s.output_events)
    };
    let mut rows = vec![
        Row::new(
            DS,
            "stories",
            s.events,
            "event recall (type+actor)",
            ratio(s.found, s.events),
        )
        .with_note(note),
        Row::new(
            DS,
            "stories",
            s.events,
            "event recall (all fields)",
            ratio(s.found_full, s.events),
        ),
        Row::new(
            DS,
            "stories",
            s.quotes,
            "quote recall",
            ratio(s.quotes_found, s.quotes),
        ),
        Row::new(
            DS,
            "stories",
            s.rules,
            "must_not violations",
            s.violations as f64,
        ),
        Row::new(DS, "stories", s.events, "duplicates", s.duplicates as f64),
    ];
    if s.unscored > 0 {
        rows.push(Row::new(
            DS,
            "stories",
            s.unscored,
            "must_not rules not scored",
            s.unscored as f64,
        ));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::testutil::{actor, event, killed, place};
    use chronicle_core::{PloverType, Quote, QuoteKind, Span, Speaker};

    const RAW: &str = "Rebels Storm Town\n\nCaption in Hilltown.\nRebels stormed Lowtown on Monday, killing 5, the army said.\n\nMinister Rejects Talks\n\nMinister Ann Lee rejected talks. \"No deal,\" she said.\n";

    fn expected() -> Value {
        serde_json::json!({
            "documents": [
                {"id": "d1", "title": "Rebels Storm Town", "published": "2024-01-03"},
                {"id": "d2", "title": "Minister Rejects Talks", "published": "2024-01-04"}
            ],
            "events": [
                {"id": "E1", "doc": "d1", "type_any": ["ASSAULT"], "actors": [{"name": "Rebels", "aliases": ["insurgents"], "country": "XXA"}],
                 "killed": {"min": 5, "max": 5}, "location": {"name": "Lowtown", "country": "USA"}},
                {"id": "E2", "doc": "d2", "type_any": ["REJECT"], "actors": [{"name": "Ann Lee"}]}
            ],
            "quotes": [{"doc": "d2", "speaker": "Ann Lee", "text_contains": "no deal"}],
            "must_not": [
                {"doc": "d1", "what": "any event located in Hilltown (photo caption)"},
                {"doc": "d1", "what": "two or more separate ASSAULT events for the Lowtown raid"},
                {"doc": "d1", "what": "a comment or statement event by Army ('the army said')"},
                {"doc": "any", "what": "any event or quote output twice because the headline appears twice"}
            ]
        })
    }

    fn docs() -> Vec<Document> {
        let pairs = vec![
            ("d1".to_string(), "Rebels Storm Town".to_string()),
            ("d2".into(), "Minister Rejects Talks".into()),
        ];
        split_stories(RAW, &pairs)
            .unwrap()
            .into_iter()
            .map(|(id, t)| text_doc(&id, t, None))
            .collect()
    }

    fn perfect() -> Vec<Document> {
        let mut d = docs();
        let s1 = d[0].text.find("Rebels stormed").unwrap();
        let mut e = event(&d[0], PloverType::Assault, (s1, s1 + 40));
        e.actors.push(actor("Rebels", Some("XXA")));
        e.killed.push(killed(5));
        e.location = Some(place("Lowtown", 1.0, 1.0));
        d[0].events.push(e);
        let mut r = event(&d[1], PloverType::Reject, (0, 10));
        r.actors.push(actor("Ann Lee", None));
        d[1].events.push(r);
        d[1].quotes.push(Quote {
            span: Span::new(0, 1),
            sentence: 0,
            kind: QuoteKind::Direct,
            text: "No deal,".into(),
            speaker: Some(Speaker {
                name: "Minister Ann Lee".into(),
                surface: Some("she".into()),
                span: None,
                actor: None,
            }),
            cue: None,
        });
        d
    }

    #[test]
    fn split_at_titles() {
        let d = docs();
        assert!(d[0].text.starts_with("Rebels Storm Town") && d[0].text.contains("killing 5"));
        assert!(d[1].text.starts_with("Minister Rejects Talks"));
        let bad = split_stories(
            RAW,
            &[
                ("a".into(), "x".into()),
                ("b".into(), "Missing Title".into()),
            ],
        );
        assert!(bad.unwrap_err().to_string().contains("Missing Title"));
    }

    #[test]
    fn distinct_expected_events_are_not_duplicates() {
        let exp = serde_json::json!({
            "documents": [{"id": "d1", "title": "T"}],
            "events": [
                {"id": "A", "doc": "d1", "type_any": ["ACCUSE"], "actors": [{"name": "X"}]},
                {"id": "B", "doc": "d1", "type_any": ["ACCUSE", "REJECT"], "actors": [{"name": "X"}]}
            ]
        });
        let mut d = text_doc(
            "d1",
            "X accused Y. X rejected Z. X accused Y again.".into(),
            None,
        );
        for (ty, span) in [
            (PloverType::Accuse, (0, 12)),
            (PloverType::Reject, (13, 26)),
            (PloverType::Accuse, (27, 44)),
        ] {
            let mut e = event(&d, ty, span);
            e.actors.push(actor("X", None));
            d.events.push(e);
        }
        let s = score(&exp, &[d]);
        assert_eq!((s.found, s.duplicates), (2, 1));
    }

    #[test]
    fn matching_is_maximum() {
        assert_eq!(max_matching(&[vec![0, 1], vec![0, 1], vec![1]], 2), 2);
        assert_eq!(max_matching(&[vec![0], vec![0]], 1), 1);
        // greedy first-free would give 1 here
        assert_eq!(max_matching(&[vec![0, 1], vec![0]], 2), 2);
        assert_eq!(max_matching(&[], 3), 0);
    }

    #[test]
    fn rules_parse() {
        assert_eq!(
            parse_rule("any event located in Hilltown (photo caption)"),
            Rule::LocatedIn("Hilltown".into())
        );
        assert_eq!(
            parse_rule("an ASSAULT by Zed on 'the villages' dated to the story"),
            Rule::TypeByActorOn {
                ty: "ASSAULT".into(),
                actor: "Zed".into(),
                phrase: "the villages".into()
            }
        );
        assert_eq!(
            parse_rule("something vague"),
            Rule::Unscored("something vague".into())
        );
        assert_eq!(parse_rule("quote output twice"), Rule::Duplicates);
    }

    #[test]
    fn perfect_and_empty() {
        let exp = expected();
        let p = score(&exp, &perfect());
        assert_eq!(
            (
                p.found,
                p.found_full,
                p.quotes_found,
                p.violations,
                p.duplicates
            ),
            (2, 2, 1, 0, 0)
        );
        assert_eq!((p.rules, p.unscored), (3, 0));
        let e = score(&exp, &docs());
        assert_eq!(
            (e.found, e.found_full, e.quotes_found, e.violations),
            (0, 0, 0, 0)
        );
    }

    #[test]
    fn violations_and_duplicates_are_counted() {
        let exp = expected();
        let mut d = perfect();
        // caption place, a second assault at the same place, a duplicate quote
        let mut cap = event(&d[0], PloverType::Assault, (0, 10));
        cap.actors.push(actor("Rebels", Some("XXA")));
        cap.location = Some(place("Lowtown", 1.0, 1.0));
        cap.places.push(place("Hilltown", 2.0, 2.0));
        d[0].events.push(cap);
        let q = d[1].quotes[0].clone();
        d[1].quotes.push(q);
        let s = score(&exp, &d);
        assert_eq!(s.violations, 2, "{s:?}");
        assert_eq!(s.duplicates, 2, "{s:?}");
        assert_eq!(s.found, 2);
        // wrong country on the actor: core match fails
        let mut w = perfect();
        w[0].events[0].actors[0].country = Some("ZZZ".into());
        assert_eq!(score(&exp, &w).found, 1);
    }
}
