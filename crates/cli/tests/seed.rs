//! The seed stories (../shared/eval/seed): the acceptance checks.
//! Skips clearly when the evaluation data is absent.
//!
//! The raw file holds two stories; they are fed as two JSONL records with the
//! publication dates from the seed README, split at the second story's title as
//! listed in expected.json (the same way any user would split such a dump).

mod common;
use common::*;
use serde_json::{json, Value};

struct SeedRun {
    events: Vec<Value>,
    docs: Vec<Value>,
}

fn run_seed(test: &str) -> Option<SeedRun> {
    let eval = eval_dir(test)?;
    let raw = std::fs::read_to_string(eval.join("seed/asharq-2024-09.txt")).ok()?;
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(eval.join("seed/expected.json")).ok()?)
            .ok()?;
    let docs = expected["documents"].as_array().unwrap();
    let second_title = docs[1]["title"].as_str().unwrap();
    let cut = raw
        .find(second_title)
        .expect("second title in the raw file");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("seed.jsonl");
    let mut lines = String::new();
    for (d, text) in docs.iter().zip([&raw[..cut], &raw[cut..]]) {
        let rec = json!({"id": d["id"], "title": d["title"], "published": d["published"], "source": d["publisher"], "text": text});
        lines.push_str(&rec.to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    let dump = dir.path().join("docs.jsonl");
    let db = dir.path().join("seed.db");
    let out = chronicle(&[
        "run",
        "--db",
        db.to_str().unwrap(),
        "--dump-docs",
        dump.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert_success(&out);
    let events = stdout_json_lines(&out);
    let docs = std::fs::read_to_string(&dump)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Some(SeedRun { events, docs })
}

fn in_country(e: &Value, iso3: &str) -> bool {
    e["location"]["country"].as_str() == Some(iso3)
}

fn killed(e: &Value) -> Vec<u64> {
    e["killed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["min"].as_u64().unwrap())
        .collect()
}

fn wounded_max(e: &Value) -> Vec<u64> {
    e["wounded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["max"].as_u64().unwrap())
        .collect()
}

#[test]
fn seed_pager_attack_is_one_assault_with_37_killed_and_about_3000_wounded() {
    let Some(run) = run_seed("seed_pager_attack") else {
        return;
    };
    let lebanon: Vec<&Value> = run
        .events
        .iter()
        .filter(|e| e["type"] == "ASSAULT" && in_country(e, "LBN"))
        .collect();
    assert_eq!(
        lebanon.len(),
        1,
        "exactly one ASSAULT in Lebanon: {lebanon:#?}"
    );
    let e = lebanon[0];
    assert!(killed(e).contains(&37), "killed: {}", e["killed"]);
    assert!(
        wounded_max(e).iter().any(|w| (2500..=3500).contains(w)),
        "wounded: {}",
        e["wounded"]
    );
}

#[test]
fn seed_damascus_strike_is_one_event_with_one_killed() {
    let Some(run) = run_seed("seed_damascus_strike") else {
        return;
    };
    let syria: Vec<&Value> = run
        .events
        .iter()
        .filter(|e| {
            e["type"] == "ASSAULT" && in_country(e, "SYR") && e["doc_ids"][0] == "asharq-kh-lebanon"
        })
        .collect();
    assert_eq!(
        syria.len(),
        1,
        "the Damascus strike must be one event, not several: {syria:#?}"
    );
    let e = syria[0];
    assert_eq!(e["location"]["name"], "Damascus", "{}", e["location"]);
    assert!(killed(e).contains(&1), "killed: {}", e["killed"]);
    assert!(
        e["mention_count"].as_u64().unwrap() >= 2,
        "its mentions are kept: {}",
        e["mention_count"]
    );
}

#[test]
fn seed_walai_quotes_are_attributed_to_him() {
    let Some(run) = run_seed("seed_walai_quotes") else {
        return;
    };
    let doc = run
        .docs
        .iter()
        .find(|d| d["id"] == "asharq-kh-lebanon")
        .expect("first story");
    let quotes = doc["quotes"].as_array().unwrap();
    for needle in [
        "greatest reservoir of power",
        "waiting for the signal",
        "100,000 heroes",
    ] {
        let q = quotes
            .iter()
            .find(|q| q["text"].as_str().unwrap_or("").contains(needle))
            .unwrap_or_else(|| panic!("no quote containing {needle:?}: {quotes:#?}"));
        assert_eq!(
            q["speaker"]["name"], "Abu Alaa al-Walai",
            "speaker of {needle:?}: {}",
            q["speaker"]
        );
    }
}

#[test]
fn seed_caption_place_yields_nothing() {
    let Some(run) = run_seed("seed_caption") else {
        return;
    };
    let all = serde_json::to_string(&run.events).unwrap();
    assert!(!all.contains("Jurf"), "an event mentions the caption place");
    for d in &run.docs {
        let text = d["text"].as_str().unwrap();
        assert!(
            !text.contains("Jurf al-Sakhar"),
            "caption line survived cleaning in {}",
            d["id"]
        );
        // the repeated headline is kept once
        let title = d["meta"]["title"].as_str().unwrap();
        assert_eq!(
            text.matches(title).count(),
            1,
            "headline of {} not kept exactly once",
            d["id"]
        );
    }
}
