//! PolNeAR dev: each article goes through the pipeline; quote content spans and
//! speaker spans (character offsets) are compared with the BRAT `Content` and
//! `Source` spans of the article's first annotation file (sorted by annotator id):
//! exact-span P/R/F1 and overlap P/R/F1 (a prediction is right when it overlaps a
//! gold span; a gold span is found when a prediction overlaps it). A third content
//! score is exact after trimming both spans' edges of quotation marks, punctuation
//! and a leading "that": PolNeAR's content spans keep the quote marks and the
//! complementiser, chronicle's quote text leaves them out.

use super::{quick_take, read_string, Ctx};
use crate::metrics::{byte_to_char_span, set_prf, OverlapPrf, Prf};
use crate::report::Row;
use crate::system::text_doc;
use chronicle_core::Document;
use std::path::Path;

/// (content spans, speaker spans), character offsets.
pub type Spans = (Vec<(usize, usize)>, Vec<(usize, usize)>);

/// (content spans, source spans) in character offsets from a BRAT `.ann` file.
pub fn parse_ann(ann: &str) -> Spans {
    let (mut content, mut source) = (Vec::new(), Vec::new());
    for line in ann.lines().filter(|l| l.starts_with('T')) {
        let mut f = line.split('\t');
        let _id = f.next();
        let Some(meta) = f.next() else { continue };
        let mut parts = meta.splitn(2, ' ');
        let label = parts.next().unwrap_or("");
        let offs = parts.next().unwrap_or("");
        // discontinuous spans "a b;c d": first start .. last end
        let nums: Vec<usize> = offs
            .split([' ', ';'])
            .filter_map(|x| x.parse().ok())
            .collect();
        let (Some(&s), Some(&e)) = (nums.first(), nums.last()) else {
            continue;
        };
        match label {
            "Content" => content.push((s, e)),
            "Source" => source.push((s, e)),
            _ => {}
        }
    }
    (content, source)
}

/// Predicted (content, speaker) character spans.
pub fn predict(doc: &Document) -> Spans {
    let c = doc
        .quotes
        .iter()
        .map(|q| byte_to_char_span(&doc.text, q.span.start, q.span.end))
        .collect();
    let s = doc
        .quotes
        .iter()
        .filter_map(|q| q.speaker.as_ref().and_then(|s| s.span))
        .map(|sp| byte_to_char_span(&doc.text, sp.start, sp.end))
        .collect();
    (c, s)
}

/// A content span without the quotation marks, punctuation, spaces and leading
/// "that" at its edges (character offsets into `chars`).
pub fn trim_edges(chars: &[char], (mut s, mut e): (usize, usize)) -> (usize, usize) {
    let e0 = e.min(chars.len());
    e = e0;
    let edge = |c: char| c.is_whitespace() || "\"'“”‘’«»,.;:!?—–-()".contains(c);
    loop {
        while s < e && edge(chars[s]) {
            s += 1;
        }
        let that: Vec<char> = "that ".chars().collect();
        if e - s > that.len()
            && chars[s..s + that.len()]
                .iter()
                .zip(&that)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
        {
            s += that.len();
            continue;
        }
        break;
    }
    while e > s && edge(chars[e - 1]) {
        e -= 1;
    }
    (s, e)
}

#[derive(Debug, Default, Clone)]
pub struct Scores {
    pub content: Prf,
    /// Content spans compared after [`trim_edges`].
    pub content_trimmed: Prf,
    pub source: Prf,
    pub content_ov: OverlapPrf,
    pub source_ov: OverlapPrf,
}

impl Scores {
    /// Scores one article; `text` is the article the character spans index.
    pub fn add(&mut self, text: &str, gold: &Spans, pred: &Spans) {
        let chars: Vec<char> = text.chars().collect();
        let trim = |v: &[(usize, usize)]| -> Vec<(usize, usize)> {
            v.iter().map(|&sp| trim_edges(&chars, sp)).collect()
        };
        self.content.add(set_prf(&gold.0, &pred.0));
        self.content_trimmed
            .add(set_prf(&trim(&gold.0), &trim(&pred.0)));
        self.source.add(set_prf(&gold.1, &pred.1));
        self.content_ov.add(&gold.0, &pred.0);
        self.source_ov.add(&gold.1, &pred.1);
    }
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    const DS: &str = "polnear";
    let tdir = dir.join("dev/text");
    let adir = dir.join("dev/attributions");
    let mut texts: Vec<_> = std::fs::read_dir(&tdir)
        .map_err(|e| anyhow::anyhow!("{}: {e}", tdir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    texts.sort();
    let mut anns: Vec<String> = std::fs::read_dir(&adir)
        .map_err(|e| anyhow::anyhow!("{}: {e}", adir.display()))?
        .filter_map(|e| e.ok().and_then(|e| e.file_name().into_string().ok()))
        .collect();
    anns.sort();
    let mut items = Vec::new();
    for t in texts {
        let stem = t
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let Some(ann) = anns
            .iter()
            .find(|a| a.starts_with(&format!("{stem}_")) && a.ends_with(".ann"))
        else {
            continue;
        };
        items.push((stem, t.clone(), adir.join(ann)));
    }
    let items = quick_take(items, ctx.quick, 10);
    let mut gold = Vec::new();
    let mut docs = Vec::new();
    let mut texts_of = std::collections::HashMap::new();
    for (stem, t, a) in &items {
        gold.push(parse_ann(&read_string(a)?));
        let id = format!("polnear#{stem}");
        let text = read_string(t)?;
        texts_of.insert(id.clone(), text.clone());
        docs.push(text_doc(&id, text, None));
    }
    let (out, errors) = ctx.annotate(docs);
    let mut s = Scores::default();
    for (g, d) in gold.iter().zip(&out) {
        s.add(&texts_of[&d.id], g, &predict(d));
    }
    let n = s.content.tp + s.content.fn_;
    let m = s.source.tp + s.source.fn_;
    let note = if errors > 0 {
        format!("{errors} docs failed")
    } else {
        format!("{} articles", items.len())
    };
    Ok(vec![
        Row::new(DS, "dev", n, "content exact P", s.content.precision()),
        Row::new(DS, "dev", n, "content exact R", s.content.recall()),
        Row::new(DS, "dev", n, "content exact F1", s.content.f1()).with_note(note),
        Row::new(
            DS,
            "dev",
            n,
            "content exact F1, edge marks/punct/\"that\" trimmed",
            s.content_trimmed.f1(),
        ),
        Row::new(DS, "dev", n, "content overlap F1", s.content_ov.f1()),
        Row::new(DS, "dev", m, "speaker exact P", s.source.precision()),
        Row::new(DS, "dev", m, "speaker exact R", s.source.recall()),
        Row::new(DS, "dev", m, "speaker exact F1", s.source.f1()),
        Row::new(DS, "dev", m, "speaker overlap F1", s.source_ov.f1()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANN: &str = "T1\tSource 0 2\twe\nT2\tCue 3 9\tmocked\nT3\tContent 10 20\tthe thing\nT4\tAttribution 3 9\tmocked\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\nT5\tContent 30 35;40 45\tsplit\n";

    const TEXT: &str = "we mocked “the thing” and more words in a split sentence here";

    #[test]
    fn trimming_ignores_marks_punctuation_and_that() {
        let t: Vec<char> = "He said that “we will win,” and left".chars().collect();
        // gold with the marks, the comma and "that"; prediction without
        assert_eq!(trim_edges(&t, (8, 27)), (14, 25));
        assert_eq!(trim_edges(&t, (14, 25)), (14, 25));
        // a span of only marks trims to nothing, never past its end
        assert_eq!(trim_edges(&t, (13, 14)), (14, 14));
    }

    #[test]
    fn parse_and_score() {
        let g = parse_ann(ANN);
        assert_eq!(g, (vec![(10, 20), (30, 45)], vec![(0, 2)]));
        let mut perfect = Scores::default();
        perfect.add(TEXT, &g, &g);
        assert_eq!(
            (
                perfect.content.f1(),
                perfect.source.f1(),
                perfect.content_ov.f1()
            ),
            (1.0, 1.0, 1.0)
        );
        let mut empty = Scores::default();
        empty.add(TEXT, &g, &(vec![], vec![]));
        assert_eq!((empty.content.f1(), empty.source_ov.f1()), (0.0, 0.0));
        let mut partial = Scores::default();
        partial.add(TEXT, &g, &(vec![(12, 20)], vec![(0, 2)]));
        assert_eq!(partial.content.tp, 0);
        assert_eq!(
            (partial.content_ov.precision(), partial.content_ov.recall()),
            (1.0, 0.5)
        );
    }

    #[test]
    fn quotes_to_char_spans() {
        let mut d = text_doc("x", "é said “hi”".into(), None);
        d.quotes.push(chronicle_core::Quote {
            span: chronicle_core::Span::new(11, 13),
            sentence: 0,
            kind: chronicle_core::QuoteKind::Direct,
            text: "hi".into(),
            speaker: Some(chronicle_core::Speaker {
                name: "é".into(),
                surface: None,
                span: Some(chronicle_core::Span::new(0, 2)),
                actor: None,
            }),
            cue: None,
        });
        assert_eq!(predict(&d), (vec![(8, 10)], vec![(0, 1)]));
    }
}
