//! GLOCON gold sample: protest-event detection. Documents and (separately) sentences
//! go through the pipeline; a text is predicted positive when it yields a PROTEST
//! event or an event mapped to the ACLED Protests / Riots types. Label 2 (undocumented)
//! is dropped. Scores: positive-class P/R/F1 and binary macro F1, at document and
//! sentence level, as the CASE 2021 Task 1 / ProtestNews subtasks.

use super::{events_of, quick_take, read_string, Ctx};
use crate::metrics::{binary_macro_f1, binary_prf};
use crate::report::Row;
use crate::system::text_doc;
use chronicle_core::{Document, PloverType};
use std::path::Path;

/// (id, text, label) from JSON lines, with the text under `text_key`; label 2 dropped.
pub fn parse(jsonl: &str, text_key: &str) -> anyhow::Result<Vec<(String, String, bool)>> {
    let mut out = Vec::new();
    for (i, line) in jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| anyhow::anyhow!("line {}: {e}", i + 1))?;
        let label = v["label"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("line {}: no label", i + 1))?;
        if label > 1 {
            continue;
        }
        let id = match &v["id"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push((
            id,
            v[text_key].as_str().unwrap_or("").to_string(),
            label == 1,
        ));
    }
    Ok(out)
}

/// Whether the pipeline found a protest in the document.
pub fn is_protest(doc: &Document) -> bool {
    events_of(doc).iter().any(|e| {
        e.ty == PloverType::Protest
            || e.acled().is_some_and(|(t, _)| {
                t.eq_ignore_ascii_case("Protests") || t.eq_ignore_ascii_case("Riots")
            })
    })
}

fn level(ctx: &Ctx, items: &[(String, String, bool)], level: &str) -> Vec<Row> {
    const DS: &str = "glocon";
    let docs = items
        .iter()
        .map(|(id, t, _)| text_doc(&format!("glocon#{id}"), t.clone(), None))
        .collect();
    let (out, errors) = ctx.annotate(docs);
    let pairs: Vec<(bool, bool)> = items
        .iter()
        .zip(&out)
        .map(|(g, d)| (g.2, is_protest(d)))
        .collect();
    let c = binary_prf(pairs.iter().copied());
    let n = pairs.len();
    let note = if errors > 0 {
        format!("{errors} docs failed")
    } else {
        String::new()
    };
    vec![
        Row::new(DS, level, n, "protest P", c.precision()),
        Row::new(DS, level, n, "protest R", c.recall()),
        Row::new(DS, level, n, "protest F1", c.f1()).with_note(note),
        Row::new(DS, level, n, "macro F1", binary_macro_f1(&pairs)),
    ]
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    let docs = quick_take(
        parse(
            &read_string(&dir.join("documents_Sabinet_R.jsonl"))?,
            "text",
        )?,
        ctx.quick,
        40,
    );
    let sents = quick_take(
        parse(
            &read_string(&dir.join("sentences_Sabinet.jsonl"))?,
            "sentence",
        )?,
        ctx.quick,
        80,
    );
    let mut rows = level(ctx, &docs, "documents");
    rows.extend(level(ctx, &sents, "sentences"));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::testutil::event;
    use crate::system::fake::Fake;

    #[test]
    fn parse_drops_label_2() {
        let j = "{\"id\": \"a\", \"text\": \"x\", \"label\": 1}\n{\"id\": \"b\", \"text\": \"y\", \"label\": 2}\n{\"id\": 3, \"text\": \"z\", \"label\": 0}";
        let p = parse(j, "text").unwrap();
        assert_eq!(
            p,
            vec![
                ("a".into(), "x".into(), true),
                ("3".into(), "z".into(), false)
            ]
        );
    }

    #[test]
    fn perfect_and_empty_detection() {
        let items = vec![
            ("1".to_string(), "Workers marched.".to_string(), true),
            ("2".into(), "Rain.".into(), false),
        ];
        let oracle = Fake(|mut d: Document| {
            if d.text.contains("marched") {
                let e = event(&d, PloverType::Protest, (0, 7));
                d.events.push(e);
            }
            d
        });
        let ctx = Ctx {
            sys: &oracle,
            quick: false,
            cameo: None,
            dump: None,
        };
        let rows = level(&ctx, &items, "documents");
        assert!(rows.iter().all(|r| r.value == Some(1.0)), "{rows:?}");
        let blind = Fake(|d: Document| d);
        let ctx = Ctx {
            sys: &blind,
            quick: false,
            cameo: None,
            dump: None,
        };
        let rows = level(&ctx, &items, "documents");
        assert_eq!(rows[2].value, Some(0.0));
    }
}
