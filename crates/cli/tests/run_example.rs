//! End-to-end runs on the bundled examples: output shape, schema, idempotent store,
//! cross-document merging, query filters, output formats.

mod common;
use common::*;

#[test]
fn example_output_validates_against_schema() {
    let root = repo_root();
    let out = chronicle(&[
        "run",
        root.join("examples/articles.jsonl").to_str().unwrap(),
    ]);
    assert_success(&out);
    let events = stdout_json_lines(&out);
    assert!(!events.is_empty(), "no events from the example");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("docs/event.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for e in &events {
        let errors: Vec<String> = validator
            .iter_errors(e)
            .map(|er| format!("{} at {}", er, er.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "event does not validate: {errors:?}\n{e}"
        );
    }
    // the schema is strict enough to reject a broken record
    let mut bad = events[0].clone();
    bad["type"] = serde_json::json!("EXPLODE");
    assert!(!validator.is_valid(&bad));
}

#[test]
fn example_finds_the_shelling_with_casualties_and_merges_across_documents() {
    let root = repo_root();
    let out = chronicle(&[
        "run",
        root.join("examples/articles.jsonl").to_str().unwrap(),
    ]);
    assert_success(&out);
    let events = stdout_json_lines(&out);
    let assaults: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e["type"] == "ASSAULT" && e["location"]["name"].as_str() == Some("Goma"))
        .collect();
    assert_eq!(
        assaults.len(),
        1,
        "one Goma shelling event expected: {assaults:#?}"
    );
    let e = assaults[0];
    let docs = e["doc_ids"].as_array().unwrap();
    assert_eq!(docs.len(), 2, "reported by both example documents: {e}");
    let killed: Vec<u64> = e["killed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["min"].as_u64().unwrap())
        .collect();
    assert!(killed.contains(&12), "killed {killed:?}");
    // the caption line never yields an event or a place
    assert!(!String::from_utf8_lossy(&out.stdout).contains("lake shore"));
}

#[test]
fn same_input_twice_into_one_store_adds_nothing() {
    let root = repo_root();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let input = root.join("examples/articles.jsonl");
    let count = || {
        let q = chronicle(&["query", "--db", db.to_str().unwrap()]);
        assert_success(&q);
        stdout_json_lines(&q).len()
    };
    assert_success(&chronicle(&[
        "run",
        "--db",
        db.to_str().unwrap(),
        input.to_str().unwrap(),
    ]));
    let first = count();
    assert!(first > 0);
    let again = chronicle(&["run", "--db", db.to_str().unwrap(), input.to_str().unwrap()]);
    assert_success(&again);
    assert_eq!(
        count(),
        first,
        "re-ingesting the same articles changed the event count"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 new documents"));
    // query filters
    let q = chronicle(&[
        "query",
        "--db",
        db.to_str().unwrap(),
        "--type",
        "ASSAULT",
        "--country",
        "COD",
    ]);
    assert_success(&q);
    let got = stdout_json_lines(&q);
    assert!(!got.is_empty());
    assert!(got
        .iter()
        .all(|e| e["type"] == "ASSAULT" && e["location"]["country"] == "COD"));
    let none = chronicle(&[
        "query",
        "--db",
        db.to_str().unwrap(),
        "--since",
        "2030-01-01",
    ]);
    assert_success(&none);
    assert!(stdout_json_lines(&none).is_empty());
}

#[test]
fn csv_and_geojson_outputs() {
    let root = repo_root();
    let input = root.join("examples/articles.jsonl");
    let csv = chronicle(&["run", "--to", "csv", input.to_str().unwrap()]);
    assert_success(&csv);
    let text = String::from_utf8_lossy(&csv.stdout);
    assert!(text.lines().next().unwrap().contains("type"));
    assert!(text.lines().next().unwrap().contains("acled_actors"));
    assert!(text.lines().count() > 1);
    let gj = chronicle(&["run", "--to", "geojson", input.to_str().unwrap()]);
    assert_success(&gj);
    let v: serde_json::Value = serde_json::from_slice(&gj.stdout).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert!(!v["features"].as_array().unwrap().is_empty());
}

#[test]
fn html_example_is_read() {
    let root = repo_root();
    let out = chronicle(&["run", root.join("examples/article.html").to_str().unwrap()]);
    assert_success(&out);
    let events = stdout_json_lines(&out);
    assert!(events.iter().any(|e| e["type"] == "ASSAULT"), "{events:#?}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Share on"));
    // every party carries its ACLED-style name
    let parties: Vec<&serde_json::Value> = events
        .iter()
        .flat_map(|e| ["actors", "recipients"].map(|k| e[k].as_array()))
        .flatten()
        .flatten()
        .collect();
    assert!(!parties.is_empty());
    assert!(
        parties.iter().all(|a| a["acled"].is_string()),
        "{parties:#?}"
    );
}

#[test]
fn gazetteer_import_adds_a_place_used_by_later_runs() {
    let root = repo_root();
    let dir = tempfile::tempdir().unwrap();
    // a private copy of the data folder, so the repository's data stays untouched
    let data = dir.path().join("data");
    copy_dir(&root.join("data"), &data);
    let places = dir.path().join("villages.txt");
    // GeoNames main format, 19 tab-separated columns; an invented village
    std::fs::write(
        &places,
        "990000001\tZarbuta\tZarbuta\tZarbuta,Zarboutah\t35.1234\t36.4321\tP\tPPL\tSY\t\t12\t\t\t\t1200\t\t300\tAsia/Damascus\t2024-01-01\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .args(args)
            .env("CHRONICLE_DATA", &data)
            .output()
            .unwrap()
    };
    let out = run(&["gazetteer", "import", places.to_str().unwrap()]);
    assert_success(&out);
    assert!(data.join("gazetteer/imported/villages.txt").exists());
    let article = dir.path().join("a.txt");
    std::fs::write(
        &article,
        "Gunmen attacked a checkpoint in Zarbuta on Monday, killing two soldiers.\n",
    )
    .unwrap();
    let out = run(&[
        "run",
        "--published",
        "2025-02-05",
        article.to_str().unwrap(),
    ]);
    assert_success(&out);
    let events = stdout_json_lines(&out);
    assert!(
        events
            .iter()
            .any(|e| e["location"]["name"] == "Zarbuta"
                && e["location"]["geonames_id"] == 990000001u64),
        "{events:#?}"
    );
    // a file with no usable row is refused and names the line
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "not a geonames row\n").unwrap();
    let out = run(&["gazetteer", "import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.txt:1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn watch_once_on_a_feed_file_remembers_seen_items() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let feed = dir.path().join("feed.xml");
    let item = |n: u32, text: &str| {
        format!(
            "<item><title>Item {n}</title><link>https://example.org/{n}</link><guid>g{n}</guid>\
             <pubDate>Tue, 04 Feb 2025 10:00:00 GMT</pubDate><description>{text}</description></item>"
        )
    };
    let write = |items: &[String]| {
        std::fs::write(
            &feed,
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>https://example.org</link>\
                 <description>d</description>{}</channel></rss>",
                items.concat()
            ),
        )
        .unwrap()
    };
    let one = item(
        1,
        "Police arrested 30 protesters in Nairobi on Monday, officials said.",
    );
    write(std::slice::from_ref(&one));
    let watch = || {
        chronicle(&[
            "watch",
            "--once",
            "--no-pages",
            "--db",
            db.to_str().unwrap(),
            feed.to_str().unwrap(),
        ])
    };
    let first = watch();
    assert_success(&first);
    assert!(stdout_json_lines(&first)
        .iter()
        .any(|e| e["type"] == "COERCE"));
    assert!(String::from_utf8_lossy(&first.stderr).contains("1 new items"));
    let again = watch();
    assert_success(&again);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 new items"));
    write(&[
        one,
        item(
            2,
            "Rebels attacked an army post near Goma on Monday, killing two soldiers.",
        ),
    ]);
    let third = watch();
    assert_success(&third);
    assert!(String::from_utf8_lossy(&third.stderr).contains("1 new items"));
    assert!(stdout_json_lines(&third)
        .iter()
        .any(|e| e["type"] == "ASSAULT"));
}

#[test]
fn syndicated_copies_are_linked_not_processed_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let body = "Gunmen attacked a police post in the town of Garissa on Monday night, killing three officers \
                and wounding two others, the county commissioner said on Tuesday.\\n\\n\
                The attackers escaped towards the border before reinforcements arrived, according to officials \
                who asked not to be named because they were not authorised to speak to the media.";
    let rec = |id: &str, title: &str| {
        format!(
            "{{\"id\":\"{id}\",\"title\":\"{title}\",\"published\":\"2025-03-04\",\"text\":\"{title}\\n\\n{body}\"}}\n"
        )
    };
    let first = dir.path().join("a.jsonl");
    std::fs::write(
        &first,
        rec("wire-1", "Three police officers killed in Garissa")
            + &rec("paper-1", "Garissa attack leaves three dead"),
    )
    .unwrap();
    let out = chronicle(&["run", "--db", db.to_str().unwrap(), first.to_str().unwrap()]);
    assert_success(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("paper-1 is a near duplicate of wire-1"),
        "{err}"
    );
    assert!(err.contains("1 near-duplicate copies linked"), "{err}");
    // a later copy is found through the store
    let later = dir.path().join("b.jsonl");
    std::fs::write(&later, rec("blog-9", "Police post attacked")).unwrap();
    let out = chronicle(&["run", "--db", db.to_str().unwrap(), later.to_str().unwrap()]);
    assert_success(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("blog-9 is a near duplicate of wire-1"));
    // re-running the original is not a "copy" of itself
    let out = chronicle(&["run", "--db", db.to_str().unwrap(), first.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("wire-1 is a near duplicate"));
}

#[test]
fn optional_model_stages_add_pos_tags_and_model_entities() {
    let root = repo_root();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("docs.jsonl");
    let input = root.join("examples/articles.jsonl");
    let out = chronicle(&[
        "run",
        "--pos",
        "--ner-model",
        "--dump-docs",
        dump.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert_success(&out);
    let docs: Vec<serde_json::Value> = std::fs::read_to_string(&dump)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tokens = docs[0]["tokens"].as_array().unwrap();
    assert!(
        tokens.iter().all(|t| t["pos"].is_string()),
        "every token tagged"
    );
    assert!(
        tokens
            .iter()
            .any(|t| t["pos"] == "VERB" && t["lemma"] == "shell"),
        "shelled → VERB, lemma shell"
    );
    // without the flags no token carries a tag
    let plain = dir.path().join("plain.jsonl");
    assert_success(&chronicle(&[
        "run",
        "--dump-docs",
        plain.to_str().unwrap(),
        input.to_str().unwrap(),
    ]));
    let first: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&plain)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert!(first["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t.get("pos").is_none()));
}
