//! Lookup-plus-suffix-rule lemmatiser learned from a UD treebank.
//!
//! Takes (form, UPOS) pairs and gives lemmas. Training counts the treebank's
//! (lower-cased form, UPOS) -> lemma pairs and keeps the most frequent lemma;
//! for unseen words it applies the most frequent edit (strip n characters,
//! append a string) learned for the longest known (UPOS, suffix) pair.
//! Proper nouns keep their form unless the table knows the exact form.

use super::binio::{Reader, Writer};
use super::UPOS;
use chronicle_core::Result;
use std::collections::HashMap;

/// Longest suffix used by the rules (characters).
const MAX_SUFFIX: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Edit {
    strip: u8,
    append: String,
}

/// The lemmatiser: an exact table plus suffix rules.
#[derive(Debug, Default, Clone)]
pub struct Lemmatizer {
    /// (upos index, form key) -> lemma. Form key: lower case, except PROPN (exact).
    table: HashMap<(u8, String), String>,
    /// (upos index, lower-case suffix) -> edit
    rules: HashMap<(u8, String), Edit>,
}

fn key_form(form: &str, upos: u8) -> String {
    if UPOS[upos as usize] == "PROPN" {
        form.to_string()
    } else {
        form.to_lowercase()
    }
}

fn edit_of(form: &str, lemma: &str) -> Option<Edit> {
    let f: Vec<char> = form.chars().collect();
    let l: Vec<char> = lemma.chars().collect();
    let p = f.iter().zip(&l).take_while(|(a, b)| a == b).count();
    let strip = f.len() - p;
    if strip > 255 {
        return None;
    }
    Some(Edit {
        strip: strip as u8,
        append: l[p..].iter().collect(),
    })
}

impl Lemmatizer {
    /// Learns the table and rules from (form, upos index, lemma) triples.
    pub fn train<'a>(pairs: impl Iterator<Item = (&'a str, u8, &'a str)>) -> Self {
        let mut counts: HashMap<(u8, String), HashMap<String, u32>> = HashMap::new();
        let mut rule_counts: HashMap<(u8, String), HashMap<Edit, u32>> = HashMap::new();
        for (form, upos, lemma) in pairs {
            if lemma == "_" || lemma.is_empty() {
                continue;
            }
            *counts
                .entry((upos, key_form(form, upos)))
                .or_default()
                .entry(lemma.to_string())
                .or_default() += 1;
            let lower = form.to_lowercase();
            let target = if UPOS[upos as usize] == "PROPN" {
                lemma.to_string()
            } else {
                lemma.to_lowercase()
            };
            let src = if UPOS[upos as usize] == "PROPN" {
                form.to_string()
            } else {
                lower.clone()
            };
            if let Some(e) = edit_of(&src, &target) {
                let n = lower.chars().count();
                for k in 1..=MAX_SUFFIX.min(n.saturating_sub(1)) {
                    let s = super::features::suffix(&lower, k).to_string();
                    *rule_counts
                        .entry((upos, s))
                        .or_default()
                        .entry(e.clone())
                        .or_default() += 1;
                }
            }
        }
        let best = |m: HashMap<String, u32>| {
            m.into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|x| x.0)
        };
        let mut table = HashMap::new();
        for (k, m) in counts {
            if let Some(l) = best(m) {
                // identity entries are what the fallback would give for PROPN
                if !(UPOS[k.0 as usize] == "PROPN" && l == k.1) {
                    table.insert(k, l);
                }
            }
        }
        let mut rules = HashMap::new();
        for (k, m) in rule_counts {
            let total: u32 = m.values().sum();
            if let Some((e, c)) = m
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.append.cmp(&a.0.append)))
            {
                // keep confident rules seen at least twice; identity is the default
                if c >= 2 && c * 10 >= total * 6 && !(e.strip == 0 && e.append.is_empty()) {
                    rules.insert(k, e);
                }
            }
        }
        Lemmatizer { table, rules }
    }

    /// Lemma of `form` tagged with UPOS index `upos`.
    pub fn lemma(&self, form: &str, upos: u8) -> String {
        let straight;
        let form = if form.contains('\u{2019}') {
            straight = form.replace('\u{2019}', "'");
            straight.as_str()
        } else {
            form
        };
        let propn = UPOS.get(upos as usize) == Some(&"PROPN");
        let key = key_form(form, upos);
        if let Some(l) = self.table.get(&(upos, key)) {
            return l.clone();
        }
        if propn {
            // unseen names keep their form ("Reuters", not "Reuter")
            return form.to_string();
        }
        let lower = form.to_lowercase();
        let n = lower.chars().count();
        for k in (1..=MAX_SUFFIX.min(n.saturating_sub(1))).rev() {
            let s = super::features::suffix(&lower, k);
            if let Some(e) = self.rules.get(&(upos, s.to_string())) {
                let chars: Vec<char> = lower.chars().collect();
                if (e.strip as usize) < chars.len() {
                    let mut out: String = chars[..chars.len() - e.strip as usize].iter().collect();
                    out.push_str(&e.append);
                    // a rule that leaves a stub of a longer word is not trusted
                    if out.chars().count() < 3 && n >= 4 {
                        return lower;
                    }
                    return out;
                }
            }
        }
        lower
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        let mut t: Vec<_> = self.table.iter().collect();
        t.sort();
        w.u32(t.len() as u32);
        for ((u, f), l) in t {
            w.u8(*u);
            w.str(f);
            w.str(l);
        }
        let mut r: Vec<_> = self.rules.iter().collect();
        r.sort_by(|a, b| a.0.cmp(b.0));
        w.u32(r.len() as u32);
        for ((u, s), e) in r {
            w.u8(*u);
            w.str(s);
            w.u8(e.strip);
            w.str(&e.append);
        }
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self> {
        let n = r.count(9)?;
        let mut table = HashMap::with_capacity(n);
        for _ in 0..n {
            let u = r.u8()?;
            if u as usize >= UPOS.len() {
                return Err(r.err("lemma table: bad UPOS index"));
            }
            let f = r.str()?.to_string();
            let l = r.str()?.to_string();
            table.insert((u, f), l);
        }
        let n = r.count(10)?;
        let mut rules = HashMap::with_capacity(n);
        for _ in 0..n {
            let u = r.u8()?;
            let s = r.str()?.to_string();
            let strip = r.u8()?;
            let append = r.str()?.to_string();
            rules.insert((u, s), Edit { strip, append });
        }
        Ok(Lemmatizer { table, rules })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(t: &str) -> u8 {
        UPOS.iter().position(|u| *u == t).unwrap() as u8
    }

    #[test]
    fn table_and_rules() {
        let n = idx("NOUN");
        let v = idx("VERB");
        let data = [
            ("cats", n, "cat"),
            ("dogs", n, "dog"),
            ("hats", n, "hat"),
            ("went", v, "go"),
            ("walked", v, "walk"),
            ("jumped", v, "jump"),
            ("Talked", v, "talk"),
        ];
        let l = Lemmatizer::train(data.iter().copied());
        assert_eq!(l.lemma("went", v), "go");
        assert_eq!(l.lemma("Went", v), "go");
        assert_eq!(l.lemma("bats", n), "bat");
        assert_eq!(l.lemma("kicked", v), "kick");
        assert_eq!(l.lemma("is", idx("AUX")), "is");
        assert_eq!(l.lemma("Damascus", idx("PROPN")), "Damascus");
        assert_eq!(l.lemma("Reuters", idx("PROPN")), "Reuters");
        assert_eq!(l.lemma("Went", v), "go");
        // "ed" rule would leave a stub
        assert_eq!(l.lemma("shed", v), "shed");
    }
}
