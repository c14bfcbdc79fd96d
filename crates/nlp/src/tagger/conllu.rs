//! CoNLL-U reader for Universal Dependencies treebanks.
//!
//! Takes a `.conllu` file and gives its sentences as syntactic words (form,
//! lemma, UPOS, head, deprel). Multi-word token lines (`1-2`) and empty nodes
//! (`8.1`) are skipped; malformed lines give an error naming `path:line`.

use chronicle_core::{Error, RecordError, Result};
use std::path::Path;

/// One syntactic word of a UD sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct UdWord {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    /// 1-based head index, 0 for the root.
    pub head: usize,
    pub deprel: String,
}

/// Reads every sentence of a CoNLL-U file.
pub fn read_conllu(path: &Path) -> Result<Vec<Vec<UdWord>>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Data(format!("{}: {e}", path.display())))?;
    parse_conllu(&text, &path.display().to_string())
}

/// Parses CoNLL-U text; `origin` names the source in errors.
pub fn parse_conllu(text: &str, origin: &str) -> Result<Vec<Vec<UdWord>>> {
    let mut out = Vec::new();
    let mut cur: Vec<UdWord> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let bad = |reason: String| {
            Error::Record(RecordError {
                origin: format!("{origin}:{}", i + 1),
                reason,
            })
        };
        if cols.len() != 10 {
            return Err(bad(format!("expected 10 columns, found {}", cols.len())));
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            continue;
        }
        let head = if cols[6] == "_" {
            0
        } else {
            cols[6]
                .parse()
                .map_err(|_| bad(format!("bad head {:?}", cols[6])))?
        };
        cur.push(UdWord {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            head,
            deprel: cols[7].to_string(),
        });
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_multiword_and_reports_bad_lines() {
        let t = "# c\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\t_\n\n";
        let s = parse_conllu(t, "x").unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0][1].lemma, "not");
        assert_eq!(s[0][1].head, 1);
        let e = parse_conllu("1\tbad\n", "f.conllu").unwrap_err();
        assert!(e.to_string().contains("f.conllu:1"), "{e}");
    }
}
