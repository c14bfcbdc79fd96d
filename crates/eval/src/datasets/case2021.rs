//! CASE 2021 Task 2: each snippet goes through the pipeline; the highest-confidence
//! event's ACLED sub-event type (the stage's own field, else our PLOVER+mode → ACLED
//! table in [`crate::mapping`]) is mapped to the task label (no event, or no ACLED
//! equivalent = "NONE"). Scores with scikit-learn semantics: accuracy, macro and
//! weighted F1 over all 30 labels (subtask 3) and weighted F1 on the 25 ACLED labels
//! (subtask 1).

use super::{events_of, quick_take, read_string, Ctx};
use crate::mapping::acled_sub_to_case;
use crate::metrics::classification;
use crate::report::Row;
use crate::system::text_doc;
use std::path::Path;

/// Labels that are not ACLED sub-event types (subtasks 2-3).
pub const UNSEEN: [&str; 5] = [
    "ORG_CRIME",
    "NATURAL_DISASTER",
    "MAN_MADE_DISASTER",
    "DIPLO",
    "ATTRIB",
];

/// (id, snippet, label) rows of the TSV (header skipped; no quoting).
pub fn parse(tsv: &str) -> Vec<(String, String, String)> {
    tsv.lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            let id = f.next()?.trim().to_string();
            let text = f.next()?.to_string();
            let label = f.next()?.trim().to_string();
            (!label.is_empty()).then_some((id, text, label))
        })
        .collect()
}

/// (accuracy, macro F1, weighted F1, weighted F1 on ACLED-label items, #ACLED items).
pub fn score(gold: &[String], pred: &[String]) -> (f64, f64, f64, f64, usize) {
    let all = classification(gold, pred);
    let (g1, p1): (Vec<String>, Vec<String>) = gold
        .iter()
        .zip(pred)
        .filter(|(g, _)| !UNSEEN.contains(&g.as_str()))
        .map(|(g, p)| (g.clone(), p.clone()))
        .unzip();
    let sub1 = classification(&g1, &p1);
    (
        all.accuracy,
        all.macro_f1,
        all.weighted_f1,
        sub1.weighted_f1,
        g1.len(),
    )
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    const DS: &str = "case2021-task2";
    let rows = quick_take(
        parse(&read_string(
            &dir.join("test_set_final_release_with_labels.tsv"),
        )?),
        ctx.quick,
        60,
    );
    let docs = rows
        .iter()
        .map(|(id, t, _)| text_doc(&format!("case2021#{id}"), t.clone(), None))
        .collect();
    let (out, errors) = ctx.annotate(docs);
    let pred: Vec<String> = out
        .iter()
        .map(|d| {
            events_of(d)
                .iter()
                .find_map(|e| e.acled().and_then(|(_, sub)| acled_sub_to_case(&sub)))
                .unwrap_or("NONE")
                .to_string()
        })
        .collect();
    let gold: Vec<String> = rows.iter().map(|r| r.2.clone()).collect();
    let (acc, mac, wei, wei1, n1) = score(&gold, &pred);
    let n = gold.len();
    let note = if errors > 0 {
        format!("{errors} docs failed")
    } else {
        String::new()
    };
    Ok(vec![
        Row::new(DS, "test", n, "accuracy", acc).with_note(note),
        Row::new(DS, "test", n, "macro F1 (30 types)", mac),
        Row::new(DS, "test", n, "weighted F1 (30 types)", wei),
        Row::new(DS, "test", n1, "weighted F1 (25 ACLED types)", wei1),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_tsv() {
        let r = parse("id\tEventSnippet\tSubType\n1\tJets hit \"X\" village\tAIR_STRIKE\n2\tQuake\tNATURAL_DISASTER\n");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].1, "Jets hit \"X\" village");
    }

    #[test]
    fn perfect_and_empty() {
        let g: Vec<String> = ["AIR_STRIKE", "ARREST", "DIPLO"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (a, m, w, w1, n1) = score(&g, &g);
        assert_eq!((a, m, w, w1, n1), (1.0, 1.0, 1.0, 1.0, 2));
        let none = vec!["NONE".to_string(); 3];
        let (a, m, w, w1, _) = score(&g, &none);
        assert_eq!((a, m, w, w1), (0.0, 0.0, 0.0, 0.0));
    }
}
