//! The scoreboard's output: [`Row`]s rendered as a plain-text table, as a Markdown
//! section spliced between `<!-- eval:begin -->` / `<!-- eval:end -->` markers of a
//! file (the rest of the file is kept), and as JSON.

use serde::{Deserialize, Serialize};
use std::path::Path;

pub const BEGIN: &str = "<!-- eval:begin -->";
pub const END: &str = "<!-- eval:end -->";

/// One line of the scoreboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub dataset: String,
    pub split: String,
    /// Items scored (sentences, documents, toponyms, ...; see `metric`).
    pub n: usize,
    pub metric: String,
    /// `None` for skipped rows.
    pub value: Option<f64>,
    /// Wall time for the whole dataset (same on all its rows).
    pub seconds: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Row {
    pub fn new(dataset: &str, split: &str, n: usize, metric: impl Into<String>, value: f64) -> Row {
        Row {
            dataset: dataset.into(),
            split: split.into(),
            n,
            metric: metric.into(),
            value: Some(value),
            seconds: 0.0,
            note: String::new(),
        }
    }
    pub fn skipped(dataset: &str, split: &str, why: &str) -> Row {
        Row {
            dataset: dataset.into(),
            split: split.into(),
            n: 0,
            metric: format!("skipped ({why})"),
            value: None,
            seconds: 0.0,
            note: String::new(),
        }
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Row {
        self.note = note.into();
        self
    }
    fn value_str(&self) -> String {
        let m = self.metric.to_lowercase();
        match self.value {
            None => "-".into(),
            Some(v)
                if m.contains("violations")
                    || m.contains("duplicates")
                    || m.contains("not scored") =>
            {
                format!("{v:.0}")
            }
            Some(v) if m.contains(" km") => format!("{v:.1}"),
            Some(v) => format!("{v:.4}"),
        }
    }
    /// Metric with its note, if any.
    fn label(&self) -> String {
        if self.note.is_empty() {
            self.metric.clone()
        } else {
            format!("{} ({})", self.metric, self.note)
        }
    }
}

/// Plain-text table with aligned columns.
pub fn table(rows: &[Row]) -> String {
    let head = ["dataset", "split", "n", "metric", "value", "seconds"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.dataset.clone(),
                r.split.clone(),
                r.n.to_string(),
                r.label(),
                r.value_str(),
                format!("{:.1}", r.seconds),
            ]
        })
        .collect();
    let mut w = head.map(|h| h.len());
    for c in &cells {
        for i in 0..6 {
            w[i] = w[i].max(c[i].chars().count());
        }
    }
    let line = |c: &[String]| {
        let mut s = String::new();
        for i in 0..6 {
            let pad = w[i] - c[i].chars().count();
            if i == 2 || i >= 4 {
                s.push_str(&" ".repeat(pad));
                s.push_str(&c[i]);
            } else {
                s.push_str(&c[i]);
                s.push_str(&" ".repeat(pad));
            }
            s.push_str(if i < 5 { "  " } else { "\n" });
        }
        s
    };
    let mut out = line(&head.map(String::from));
    out.push_str(&line(&w.map(|n| "-".repeat(n))));
    for c in &cells {
        out.push_str(&line(c));
    }
    out
}

/// Markdown section (including the markers).
pub fn markdown(rows: &[Row], header: &str) -> String {
    let mut s = format!("{BEGIN}\n{header}\n\n| dataset | split | n | metric | value | seconds |\n|---|---|---:|---|---:|---:|\n");
    for r in rows {
        let metric = if r.note.is_empty() {
            r.metric.clone()
        } else {
            format!("{} ({})", r.metric, r.note)
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {:.1} |\n",
            r.dataset,
            r.split,
            r.n,
            metric.replace('|', "/"),
            r.value_str(),
            r.seconds
        ));
    }
    s.push_str(END);
    s.push('\n');
    s
}

/// Replace the marked section of `existing` with `section` (append it when absent).
pub fn splice(existing: &str, section: &str) -> String {
    match (existing.find(BEGIN), existing.find(END)) {
        (Some(b), Some(e)) if e > b => {
            let mut after = &existing[e + END.len()..];
            if let Some(rest) = after.strip_prefix('\n') {
                after = rest;
            }
            format!("{}{}{}", &existing[..b], section, after)
        }
        _ => {
            let mut s = existing.to_string();
            if !s.is_empty() && !s.ends_with("\n\n") {
                s.push_str(if s.ends_with('\n') { "\n" } else { "\n\n" });
            }
            s.push_str(section);
            s
        }
    }
}

/// Write the Markdown section into `path`, keeping the rest of the file.
pub fn write_quality(path: &Path, rows: &[Row], header: &str) -> anyhow::Result<()> {
    let existing = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "# Quality\n".to_string(),
        Err(e) => return Err(anyhow::anyhow!("{}: {e}", path.display())),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, splice(&existing, &markdown(rows, header)))
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_replaces_only_the_section() {
        let old = format!("# Q\n\nintro\n\n{BEGIN}\nold stuff\n{END}\n\ntail\n");
        let new = splice(&old, &format!("{BEGIN}\nnew\n{END}\n"));
        assert_eq!(
            new,
            format!("# Q\n\nintro\n\n{BEGIN}\nnew\n{END}\n\ntail\n")
        );
        let appended = splice("# Q\n", &format!("{BEGIN}\nx\n{END}\n"));
        assert!(appended.starts_with("# Q\n\n") && appended.contains("x"));
    }

    #[test]
    fn table_and_markdown_have_all_rows() {
        let mut r = Row::new("conll2003", "eng.testa", 10, "micro F1", 0.5);
        r.seconds = 1.25;
        let rows = vec![r, Row::skipped("muc4", "dev", "absent")];
        let t = table(&rows);
        assert!(t.contains("conll2003") && t.contains("0.5000") && t.contains("skipped (absent)"));
        let m = markdown(&rows, "h");
        assert!(m.starts_with(BEGIN) && m.trim_end().ends_with(END));
        assert_eq!(m.matches("\n| ").count(), 3);
    }

    #[test]
    fn write_quality_keeps_rest_of_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("docs/quality.md");
        write_quality(&p, &[Row::new("a", "b", 1, "m", 1.0)], "h").unwrap();
        let first = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, format!("{first}\nmy notes\n")).unwrap();
        write_quality(&p, &[Row::new("a", "b", 2, "m", 0.0)], "h").unwrap();
        let second = std::fs::read_to_string(&p).unwrap();
        assert!(second.contains("my notes"));
        assert_eq!(second.matches(BEGIN).count(), 1);
        assert!(second.contains("| a | b | 2 |"));
    }
}
