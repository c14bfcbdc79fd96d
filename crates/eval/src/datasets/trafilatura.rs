//! Trafilatura evaluation set (English): extracts each page with the ingest crate and
//! scores as trafilatura's `comparison.py`: each `with` snippet found in the output is
//! a TP (else FN), each `without` snippet found is an FP (else TN); P/R/F1/accuracy
//! over all snippets (plain substring test, as upstream). Metadata: title / author / date accuracy over pages with a non-empty gold
//! value (title and author after case/whitespace normalisation, author as a set of
//! `;`-separated names, date as YYYY-MM-DD).

use super::{quick_take, read_bytes, read_string, Ctx};
use crate::metrics::{f1, norm, ratio};
use crate::report::Row;
use crate::system::Extracted;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Page {
    pub file: String,
    #[serde(default)]
    pub with: Vec<String>,
    #[serde(default)]
    pub without: Vec<String>,
    #[serde(default, deserialize_with = "str_or_list")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "str_or_list")]
    pub author: Option<String>,
    #[serde(default, deserialize_with = "str_or_list")]
    pub date: Option<String>,
}

/// Gold metadata is a string or (for some pages) a list of strings, joined with "; ".
fn str_or_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Array(a) => Some(
            a.iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    })
}

/// Snippet counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Snip {
    pub tp: usize,
    pub fn_: usize,
    pub fp: usize,
    pub tn: usize,
}

impl Snip {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_)
    }
}

/// Score one page's extracted text against its snippets.
pub fn score_snippets(page: &Page, text: &str) -> Snip {
    let mut s = Snip::default();
    for w in &page.with {
        if text.contains(w.as_str()) {
            s.tp += 1;
        } else {
            s.fn_ += 1;
        }
    }
    for w in &page.without {
        if text.contains(w.as_str()) {
            s.fp += 1;
        } else {
            s.tn += 1;
        }
    }
    s
}

fn names(s: &str) -> BTreeSet<String> {
    s.split(';').map(norm).filter(|x| !x.is_empty()).collect()
}

/// (title, author, date) correctness for the fields the page has gold for.
pub fn score_meta(page: &Page, got: &Extracted) -> [Option<bool>; 3] {
    let gold = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let title =
        gold(&page.title).map(|g| got.title.as_deref().is_some_and(|t| norm(t) == norm(&g)));
    let author = gold(&page.author).map(|g| names(&g) == names(&got.authors.join(";")));
    let date = gold(&page.date).map(|g| {
        got.published
            .map(|d| d.format("%Y-%m-%d").to_string())
            .as_deref()
            == g.get(..10)
    });
    [title, author, date]
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    const DS: &str = "trafilatura-eval-en";
    if !ctx.sys.has_html() {
        return Ok(vec![Row::skipped(DS, "dev", "ingest not wired")]);
    }
    let pages: std::collections::BTreeMap<String, Page> =
        serde_json::from_str(&read_string(&dir.join("evaldata-en.json"))?)?;
    let pages = quick_take(pages.into_iter().collect::<Vec<_>>(), ctx.quick, 20);
    let res: Vec<(Snip, [Option<bool>; 3], bool)> = pages
        .par_iter()
        .map(|(url, p)| {
            let path = dir.join("html").join(&p.file);
            let got = read_bytes(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| ctx.sys.extract_html(&b, url));
            let (got, failed) = match got {
                Ok(g) => (g, false),
                Err(e) => {
                    eprintln!("warning: {e}");
                    (Extracted::default(), true)
                }
            };
            (score_snippets(p, &got.text), score_meta(p, &got), failed)
        })
        .collect();
    let mut s = Snip::default();
    let mut meta = [(0usize, 0usize); 3];
    for (sn, m, _) in &res {
        s.tp += sn.tp;
        s.fp += sn.fp;
        s.fn_ += sn.fn_;
        s.tn += sn.tn;
        for i in 0..3 {
            if let Some(ok) = m[i] {
                meta[i].1 += 1;
                meta[i].0 += ok as usize;
            }
        }
    }
    let errors = res.iter().filter(|r| r.2).count();
    let n = s.tp + s.fp + s.fn_ + s.tn;
    let note = if errors > 0 {
        format!("{errors} pages failed")
    } else {
        format!("{} pages", res.len())
    };
    Ok(vec![
        Row::new(DS, "dev", n, "snippet P", s.precision()),
        Row::new(DS, "dev", n, "snippet R", s.recall()),
        Row::new(DS, "dev", n, "snippet F1", s.f1()).with_note(note),
        Row::new(DS, "dev", n, "snippet accuracy", s.accuracy()),
        Row::new(
            DS,
            "dev",
            meta[0].1,
            "title accuracy",
            ratio(meta[0].0, meta[0].1),
        ),
        Row::new(
            DS,
            "dev",
            meta[1].1,
            "author accuracy",
            ratio(meta[1].0, meta[1].1),
        ),
        Row::new(
            DS,
            "dev",
            meta[2].1,
            "date accuracy",
            ratio(meta[2].0, meta[2].1),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn page() -> Page {
        Page {
            file: "x".into(),
            with: vec!["first sentence".into(), "last line".into()],
            without: vec!["Cookie notice".into()],
            title: Some("A Title".into()),
            author: Some("Jane Doe; John Roe".into()),
            date: Some("2020-01-16".into()),
        }
    }

    #[test]
    fn snippets_perfect_empty_and_boilerplate() {
        let p = page();
        let perfect = score_snippets(&p, "The first sentence.\nThe last line.");
        assert_eq!(
            perfect,
            Snip {
                tp: 2,
                fn_: 0,
                fp: 0,
                tn: 1
            }
        );
        assert_eq!((perfect.f1(), perfect.accuracy()), (1.0, 1.0));
        let empty = score_snippets(&p, "");
        assert_eq!((empty.f1(), empty.recall()), (0.0, 0.0));
        let noisy = score_snippets(&p, "first sentence Cookie notice");
        assert_eq!(
            noisy,
            Snip {
                tp: 1,
                fn_: 1,
                fp: 1,
                tn: 0
            }
        );
    }

    #[test]
    fn list_metadata_parses() {
        let p: Page = serde_json::from_str(
            r#"{"file":"f","with":[],"without":[],"author":["A B","C D"],"date":null}"#,
        )
        .unwrap();
        assert_eq!(p.author.as_deref(), Some("A B; C D"));
        assert_eq!(p.date, None);
    }

    #[test]
    fn metadata() {
        let p = page();
        let good = Extracted {
            title: Some(" a title ".into()),
            text: String::new(),
            authors: vec!["John Roe".into(), "Jane Doe".into()],
            published: Some(chrono::Utc.with_ymd_and_hms(2020, 1, 16, 10, 0, 0).unwrap()),
        };
        assert_eq!(score_meta(&p, &good), [Some(true); 3]);
        assert_eq!(score_meta(&p, &Extracted::default()), [Some(false); 3]);
        let nogold = Page {
            title: Some(String::new()),
            ..Page::default()
        };
        assert_eq!(score_meta(&nogold, &good), [None; 3]);
    }
}
