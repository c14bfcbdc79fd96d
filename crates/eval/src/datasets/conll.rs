//! CoNLL-2003 `eng.testa`: reads the column format, turns the pipeline's entities into
//! token tags and scores entity chunks with conlleval semantics (exact span + type;
//! chunk boundaries follow conlleval's start/end-of-chunk rules, which read the
//! original IOB1 tags and IOB2 alike), per type and micro-averaged.

use super::{quick_take, Ctx};
use crate::metrics::Prf;
use crate::report::Row;
use crate::system::text_doc;
use chronicle_core::{Document, EntityKind};
use std::collections::BTreeMap;
use std::path::Path;

/// One sentence: (token, NER tag) pairs.
pub type Sentence = Vec<(String, String)>;

/// Parse the CoNLL column format into documents of sentences (`-DOCSTART-` splits
/// documents wherever it appears, including at the end of the file).
pub fn parse(text: &str) -> Vec<Vec<Sentence>> {
    let mut docs: Vec<Vec<Sentence>> = Vec::new();
    let mut doc: Vec<Sentence> = Vec::new();
    let mut sent: Sentence = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            if !sent.is_empty() {
                doc.push(std::mem::take(&mut sent));
            }
            if !doc.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        if line.is_empty() {
            if !sent.is_empty() {
                doc.push(std::mem::take(&mut sent));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() >= 2 {
            sent.push((cols[0].to_string(), cols[cols.len() - 1].to_string()));
        }
    }
    if !sent.is_empty() {
        doc.push(sent);
    }
    if !doc.is_empty() {
        docs.push(doc);
    }
    docs
}

fn split_tag(tag: &str) -> (&str, &str) {
    match tag.split_once('-') {
        Some((p, t)) => (p, t),
        None => (if tag == "O" { "O" } else { tag }, ""),
    }
}

fn end_of_chunk(prev: (&str, &str), cur: (&str, &str)) -> bool {
    let (pt, pty) = prev;
    let (t, ty) = cur;
    matches!(
        (pt, t),
        ("B", "B") | ("B", "O") | ("I", "B") | ("I", "O") | ("E", _) | ("S", _)
    ) || (pt != "O" && pt != "." && pty != ty)
}

fn start_of_chunk(prev: (&str, &str), cur: (&str, &str)) -> bool {
    let (pt, pty) = prev;
    let (t, ty) = cur;
    matches!(
        (pt, t),
        (_, "B")
            | (_, "S")
            | ("O", "I")
            | ("O", "E")
            | ("E", "I")
            | ("E", "E")
            | ("S", "I")
            | ("S", "E")
    ) || (t != "O" && t != "." && pty != ty)
}

/// Chunks `(start, end_exclusive, type)` of a tag sequence, conlleval style.
pub fn chunks<S: AsRef<str>>(tags: &[S]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut prev = ("O", "");
    let mut open: Option<(usize, String)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let cur = split_tag(tag.as_ref());
        if open.is_some() && end_of_chunk(prev, cur) {
            let (s, ty) = open.take().unwrap();
            out.push((s, i, ty));
        }
        if start_of_chunk(prev, cur) {
            open = Some((i, cur.1.to_string()));
        }
        prev = cur;
    }
    if let Some((s, ty)) = open {
        out.push((s, tags.len(), ty));
    }
    out
}

/// Per-type and micro ("ALL") chunk counts over aligned gold / predicted tag sentences.
pub fn score(gold: &[Vec<String>], pred: &[Vec<String>]) -> BTreeMap<String, Prf> {
    let mut by: BTreeMap<String, Prf> = BTreeMap::new();
    for (g, p) in gold.iter().zip(pred) {
        let gc = chunks(g);
        let pc = chunks(p);
        for c in &gc {
            let e = by.entry(c.2.clone()).or_default();
            if pc.contains(c) {
                e.tp += 1;
            } else {
                e.fn_ += 1;
            }
        }
        for c in &pc {
            if !gc.contains(c) {
                by.entry(c.2.clone()).or_default().fp += 1;
            }
        }
    }
    let mut all = Prf::default();
    for v in by.values() {
        all.add(*v);
    }
    by.insert("ALL".into(), all);
    by
}

fn kind_tag(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Per => "PER",
        EntityKind::Org => "ORG",
        EntityKind::Loc => "LOC",
        EntityKind::Misc | EntityKind::Norp => "MISC",
    }
}

/// Lay a CoNLL document out as text (tokens joined by spaces, sentences by newlines);
/// returns the text and each token's byte span.
pub fn layout(doc: &[Sentence]) -> (String, Vec<Vec<(usize, usize)>>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    for s in doc {
        let mut sp = Vec::new();
        for (i, (tok, _)) in s.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            sp.push((text.len(), text.len() + tok.len()));
            text.push_str(tok);
        }
        text.push('\n');
        spans.push(sp);
    }
    (text, spans)
}

/// IOB2 tags for the given token spans from a document's entities.
pub fn tags_from_entities(doc: &Document, spans: &[(usize, usize)]) -> Vec<String> {
    let mut prev: Option<usize> = None;
    spans
        .iter()
        .map(|&(s, e)| {
            let hit = doc
                .entities
                .iter()
                .position(|en| en.span.start < e && s < en.span.end);
            let tag = match hit {
                None => "O".to_string(),
                Some(k) => {
                    let p = if prev == Some(k) { "I" } else { "B" };
                    format!("{p}-{}", kind_tag(doc.entities[k].kind))
                }
            };
            prev = hit;
            tag
        })
        .collect()
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    let path = dir.join("eng.testa");
    let text =
        std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let docs = quick_take(parse(&text), ctx.quick, 25);
    let mut inputs = Vec::new();
    let mut layouts = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let (t, spans) = layout(d);
        inputs.push(text_doc(&format!("eng.testa#{i}"), t, None));
        layouts.push(spans);
    }
    let (out, errors) = ctx.annotate(inputs);
    let (mut gold, mut pred) = (Vec::new(), Vec::new());
    for ((d, spans), ann) in docs.iter().zip(&layouts).zip(&out) {
        for (s, sp) in d.iter().zip(spans) {
            gold.push(s.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>());
            pred.push(tags_from_entities(ann, sp));
        }
    }
    let by = score(&gold, &pred);
    let n = gold.len();
    let mut rows = Vec::new();
    let all = by["ALL"];
    let note = if errors > 0 {
        format!("{errors} docs failed")
    } else {
        String::new()
    };
    rows.push(Row::new(
        "conll2003",
        "eng.testa",
        n,
        "micro P",
        all.precision(),
    ));
    rows.push(Row::new(
        "conll2003",
        "eng.testa",
        n,
        "micro R",
        all.recall(),
    ));
    rows.push(Row::new("conll2003", "eng.testa", n, "micro F1", all.f1()).with_note(note));
    for ty in ["PER", "LOC", "ORG", "MISC"] {
        let c = by.get(ty).copied().unwrap_or_default();
        let n = c.tp + c.fn_;
        for (m, v) in [("P", c.precision()), ("R", c.recall()), ("F1", c.f1())] {
            rows.push(Row::new(
                "conll2003",
                "eng.testa",
                n,
                format!("{ty} {m}"),
                v,
            ));
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn iob1_and_iob2_give_same_chunks() {
        let iob1 = v(&["I-ORG", "O", "I-MISC", "I-MISC", "B-MISC", "O", "I-PER"]);
        let iob2 = v(&["B-ORG", "O", "B-MISC", "I-MISC", "B-MISC", "O", "B-PER"]);
        assert_eq!(chunks(&iob1), chunks(&iob2));
        assert_eq!(chunks(&iob1).len(), 4);
        assert_eq!(chunks(&iob1)[1], (2, 4, "MISC".to_string()));
        // type change inside I- run splits the chunk
        assert_eq!(chunks(&v(&["I-PER", "I-LOC"])).len(), 2);
    }

    #[test]
    fn perfect_and_empty_predictions() {
        let g = vec![v(&["B-PER", "I-PER", "O", "B-LOC"])];
        let p = score(&g, &g);
        assert_eq!(p["ALL"].f1(), 1.0);
        let e = score(&g, &[v(&["O", "O", "O", "O"])]);
        assert_eq!(e["ALL"].f1(), 0.0);
        // wrong boundary is a miss and a false positive
        let b = score(&g, &[v(&["B-PER", "O", "O", "B-LOC"])]);
        assert_eq!(b["PER"], Prf::new(0, 1, 1));
        assert_eq!(b["LOC"], Prf::new(1, 0, 0));
    }

    #[test]
    fn parse_handles_trailing_docstart() {
        let t = "EU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\n\n-DOCSTART- -X- O O\n\nX NN I-NP O\n\n-DOCSTART- -X- -X- O";
        let d = parse(t);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].len(), 2);
        assert_eq!(d[0][0][0], ("EU".to_string(), "I-ORG".to_string()));
    }

    #[test]
    fn entities_become_tags() {
        let sents = vec![vec![
            ("John".to_string(), "I-PER".to_string()),
            ("Smith".into(), "I-PER".into()),
            ("left".into(), "O".into()),
        ]];
        let (text, spans) = layout(&sents);
        let mut d = text_doc("x", text, None);
        d.entities.push(chronicle_core::Entity {
            span: chronicle_core::Span::new(0, 10),
            sentence: 0,
            kind: EntityKind::Per,
            text: "John Smith".into(),
            actor: None,
            source: "test".into(),
        });
        assert_eq!(
            tags_from_entities(&d, &spans[0]),
            v(&["B-PER", "I-PER", "O"])
        );
    }
}
