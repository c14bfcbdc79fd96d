//! Trigger lexicon: `data/verbs/plover_triggers.tsv` compiled into a token matcher.
//!
//! Takes lowercased token texts of one sentence; gives the trigger matches
//! (PLOVER type, mode, CAMEO code, token range). Verbs are inflected here (-s, -ed,
//! -ing, plus irregular forms from the file); nouns get plurals.

use chronicle_core::{Error, PloverType, Result};
use std::collections::HashMap;
use std::path::Path;

/// Part of speech of a trigger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerPos {
    Verb,
    Noun,
    Phrase,
}

/// One pattern element: alternatives for one token, or a gap.
#[derive(Debug, Clone, PartialEq)]
enum Elem {
    Words(Vec<String>),
    Any,
    Gap,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub event_type: PloverType,
    pub mode: Option<String>,
    pub cameo: String,
    pub pos: TriggerPos,
    /// The pattern as written (for debugging / docs).
    pub pattern: String,
    elems: Vec<Elem>,
}

/// A match of an entry in a token sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerMatch {
    pub entry: usize,
    /// Index of the first token (the head word for verbs and nouns).
    pub start: usize,
    /// One past the last matched token.
    pub end: usize,
}

/// Compiled lexicon.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub entries: Vec<Entry>,
    /// First-word surface form -> entry ids.
    index: HashMap<String, Vec<usize>>,
}

impl Lexicon {
    pub fn load(data_dir: &Path) -> Result<Lexicon> {
        let path = data_dir.join("verbs/plover_triggers.tsv");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::Data(format!("{}: {e}", path.display())))?;
        Lexicon::parse(&text).map_err(|e| Error::Data(format!("{}: {e}", path.display())))
    }

    /// Parse the TSV format described in `data/verbs/README.md`.
    pub fn parse(text: &str) -> std::result::Result<Lexicon, String> {
        let mut lex = Lexicon::default();
        for (ln, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 5 {
                return Err(format!(
                    "line {}: expected 5 or 6 tab-separated columns",
                    ln + 1
                ));
            }
            let event_type: PloverType = cols[0]
                .parse()
                .map_err(|e| format!("line {}: {e}", ln + 1))?;
            let mode = (cols[1] != "-" && !cols[1].is_empty()).then(|| cols[1].to_string());
            let pos = match cols[3] {
                "v" => TriggerPos::Verb,
                "n" => TriggerPos::Noun,
                "p" => TriggerPos::Phrase,
                o => return Err(format!("line {}: unknown pos {o:?}", ln + 1)),
            };
            let words: Vec<&str> = cols[4].split_whitespace().collect();
            if words.is_empty() {
                return Err(format!("line {}: empty pattern", ln + 1));
            }
            let irregular: Vec<String> = cols
                .get(5)
                .map(|f| {
                    f.split(',')
                        .map(|s| s.trim().to_lowercase())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let mut elems = Vec::new();
            for (i, w) in words.iter().enumerate() {
                let w = w.to_lowercase();
                if w == "..." {
                    elems.push(Elem::Gap);
                } else if w == "*" {
                    elems.push(Elem::Any);
                } else {
                    let alts: Vec<String> = w.split('|').map(str::to_string).collect();
                    let forms = if i == 0 {
                        match pos {
                            TriggerPos::Verb => {
                                let mut f: Vec<String> =
                                    alts.iter().flat_map(|a| inflect_verb(a)).collect();
                                f.extend(irregular.iter().cloned());
                                f
                            }
                            TriggerPos::Noun if words.len() == 1 => alts
                                .iter()
                                .flat_map(|a| [a.clone(), pluralize(a)])
                                .collect(),
                            _ => alts,
                        }
                    } else if pos == TriggerPos::Noun && i == words.len() - 1 {
                        alts.iter()
                            .flat_map(|a| [a.clone(), pluralize(a)])
                            .collect()
                    } else {
                        alts
                    };
                    let mut forms = forms;
                    forms.sort();
                    forms.dedup();
                    elems.push(Elem::Words(forms));
                }
            }
            let id = lex.entries.len();
            if let Some(Elem::Words(first)) = elems.first() {
                for f in first {
                    lex.index.entry(f.clone()).or_default().push(id);
                }
            } else {
                return Err(format!("line {}: a pattern must start with a word", ln + 1));
            }
            lex.entries.push(Entry {
                event_type,
                mode,
                cameo: cols[2].to_string(),
                pos,
                pattern: cols[4].to_string(),
                elems,
            });
        }
        Ok(lex)
    }

    /// Matches in a lowercased token sequence: at each start the longest match wins,
    /// and a match starting inside an earlier multi-word match is dropped.
    pub fn find(&self, words: &[&str]) -> Vec<TriggerMatch> {
        let mut out = Vec::new();
        for start in 0..words.len() {
            let Some(ids) = self.index.get(words[start]) else {
                continue;
            };
            let mut best: Option<TriggerMatch> = None;
            for &id in ids {
                if let Some(end) = match_at(&self.entries[id].elems, words, start) {
                    let better = match &best {
                        None => true,
                        Some(b) => end - start > b.end - b.start,
                    };
                    if better {
                        best = Some(TriggerMatch {
                            entry: id,
                            start,
                            end,
                        });
                    }
                }
            }
            if let Some(b) = best {
                // a match inside an earlier, longer one ("drone strike" / "strike") is dropped
                if out
                    .last()
                    .is_none_or(|l: &TriggerMatch| b.start >= l.end || l.end - l.start == 1)
                {
                    out.push(b);
                }
            }
        }
        out
    }
}

fn match_at(elems: &[Elem], words: &[&str], pos: usize) -> Option<usize> {
    match elems.split_first() {
        None => Some(pos),
        Some((Elem::Gap, rest)) => (0..=3).find_map(|skip| {
            let p = pos + skip;
            // a gap never crosses clause punctuation
            if words[pos..p.min(words.len())]
                .iter()
                .any(|w| matches!(*w, "," | ";" | "." | ":"))
            {
                return None;
            }
            if p <= words.len() {
                match_at(rest, words, p)
            } else {
                None
            }
        }),
        Some((Elem::Any, rest)) => (pos < words.len())
            .then(|| match_at(rest, words, pos + 1))
            .flatten(),
        Some((Elem::Words(ws), rest)) => {
            if pos < words.len() && ws.binary_search_by(|w| w.as_str().cmp(words[pos])).is_ok() {
                match_at(rest, words, pos + 1)
            } else {
                None
            }
        }
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Regular verb forms: base, -s, -ed, -ing (with the usual spelling rules).
pub fn inflect_verb(v: &str) -> Vec<String> {
    let chars: Vec<char> = v.chars().collect();
    let n = chars.len();
    let mut out = vec![v.to_string()];
    if n < 2 {
        return out;
    }
    let last = chars[n - 1];
    let prev = chars[n - 2];
    // third person
    if v.ends_with('s')
        || v.ends_with("sh")
        || v.ends_with("ch")
        || v.ends_with('x')
        || v.ends_with('z')
    {
        out.push(format!("{v}es"));
    } else if last == 'y' && !is_vowel(prev) {
        out.push(format!("{}ies", &v[..v.len() - 1]));
    } else {
        out.push(format!("{v}s"));
    }
    // past and gerund
    if last == 'e' {
        out.push(format!("{v}d"));
        if prev == 'e' {
            out.push(format!("{v}ing"));
        } else {
            out.push(format!("{}ing", &v[..v.len() - 1]));
        }
    } else if last == 'y' && !is_vowel(prev) {
        out.push(format!("{}ied", &v[..v.len() - 1]));
        out.push(format!("{v}ing"));
    } else {
        // consonant doubling for short CVC verbs (ban -> banned, stab -> stabbed)
        let cvc = n >= 3
            && !is_vowel(last)
            && is_vowel(prev)
            && !is_vowel(chars[n - 3])
            && !matches!(last, 'w' | 'x' | 'y');
        if cvc && n <= 4 {
            out.push(format!("{v}{last}ed"));
            out.push(format!("{v}{last}ing"));
        }
        out.push(format!("{v}ed"));
        out.push(format!("{v}ing"));
    }
    out
}

/// Regular noun plural.
pub fn pluralize(n: &str) -> String {
    if n.ends_with('s') || n.ends_with("sh") || n.ends_with("ch") || n.ends_with('x') {
        format!("{n}es")
    } else if n.ends_with('y') && n.len() > 1 && !is_vowel(n.chars().rev().nth(1).unwrap_or('a')) {
        format!("{}ies", &n[..n.len() - 1])
    } else {
        format!("{n}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections() {
        let f = inflect_verb("attack");
        for w in ["attack", "attacks", "attacked", "attacking"] {
            assert!(f.contains(&w.to_string()), "{w} missing from {f:?}");
        }
        assert!(inflect_verb("deny").contains(&"denied".to_string()));
        assert!(inflect_verb("agree").contains(&"agreeing".to_string()));
        assert!(inflect_verb("injure").contains(&"injuring".to_string()));
        assert!(inflect_verb("stab").contains(&"stabbed".to_string()));
        assert_eq!(pluralize("clash"), "clashes");
        assert_eq!(pluralize("strike"), "strikes");
    }

    #[test]
    fn matching_longest_with_gap_and_alternatives() {
        let lex = Lexicon::parse(
            "ASSAULT\t-\t190\tv\tstrike\tstruck\n\
             ASSAULT\tdrone\t195\tn\tdrone strike\n\
             MOBILIZE\tmilitary\t150\tv\tsend ... troops|fighters\tsent\n",
        )
        .unwrap();
        let words = ["a", "drone", "strike", "hit", "the", "car"];
        let m = lex.find(&words);
        assert_eq!(m.len(), 1);
        assert_eq!(lex.entries[m[0].entry].mode.as_deref(), Some("drone"));
        assert_eq!((m[0].start, m[0].end), (1, 3));
        let words = ["they", "sent", "100,000", "fighters"];
        let m = lex.find(&words);
        assert_eq!(m.len(), 1);
        assert_eq!(lex.entries[m[0].entry].event_type, PloverType::Mobilize);
        // the gap does not cross a comma
        assert!(lex.find(&["sent", ",", "fighters"]).is_empty());
        assert!(Lexicon::parse("NOPE\t-\t1\tv\tx\n").is_err());
    }

    #[test]
    fn shipped_lexicon_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let lex = Lexicon::load(&dir).expect("shipped lexicon parses");
        assert!(lex.entries.len() > 150);
        for t in PloverType::ALL {
            assert!(
                lex.entries.iter().any(|e| e.event_type == t),
                "no trigger for {t}"
            );
        }
    }
}
