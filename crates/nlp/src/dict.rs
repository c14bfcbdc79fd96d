//! Actor and country dictionaries and the token trie used to find them in text.
//!
//! Takes the `data/` directory (`countries/countries.tsv`, `countries/aliases.tsv`,
//! `actors/actors.tsv`, `actors/roles.tsv`; formats in `data/actors/README.md`) and
//! gives [`Dictionaries`]: alias lookup ([`Dictionaries::lookup_actor`]), country
//! names, and longest-match search over token sequences for the entity stage.
//!
//! Aliases are tokenized with the document tokenizer and stored in a trie keyed by
//! folded (lowercased, diacritic-free, `’`→`'`) tokens. Case is checked after a trie
//! hit: an alias written in lowercase (a role word such as `troops`) matches any
//! case; an alias with capitals (a name) must match exactly, except that an
//! ALL-CAPS surface matches aliases of 5+ letters (`DAMASCUS`, `HEZBOLLAH`) and a
//! lowercase particle may be capitalised (`Al-Qaeda` for `al-Qaeda`). So `US`,
//! `IS` and `Turkey` never match `us`, `is` or `turkey`.

use crate::tokenize::Tokenizer;
use chronicle_core::{Actor, EntityKind, Error, Result};
use std::collections::HashMap;
use std::path::Path;

/// A country row.
#[derive(Debug, Clone)]
pub(crate) struct Country {
    pub iso3: String,
    pub name: String,
}

/// What a role word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleClass {
    /// Singular person title that can precede a name (`President`, `spokesman`, `Gen.`).
    Title,
    /// Plural / collective people (`troops`, `protesters`, `officials`).
    Group,
    /// Institution (`army`, `government`, `police`).
    Body,
    /// Head word that makes an unknown capitalised name an organisation (`Ministry`).
    OrgHead,
    /// Adjective that may precede a demonym + role (`armed` in "armed Iraqi factions").
    Modifier,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EntryKind {
    Country,
    Demonym,
    Capital,
    Named(EntityKind),
    Role(RoleClass),
}

/// One dictionary target: what an alias resolves to.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub kind: EntryKind,
    /// Actor template (`text` empty). For roles: name = label, sectors, no country.
    pub actor: Actor,
}

#[derive(Debug, Clone)]
struct Alias {
    /// Folded tokens with case kept.
    tokens: Vec<String>,
    entry: u32,
    /// Alias written entirely in lowercase: matches any case.
    any_case: bool,
    letters: usize,
}

/// Loaded dictionaries: countries, demonyms, capitals, actors and role words.
#[derive(Debug)]
pub struct Dictionaries {
    countries: Vec<Country>,
    by_iso3: HashMap<String, usize>,
    pub(crate) entries: Vec<Entry>,
    aliases: Vec<Alias>,
    vocab: HashMap<String, u32>,
    edges: HashMap<(u32, u32), u32>,
    terminals: HashMap<u32, Vec<u32>>,
    nodes: u32,
}

/// Fold a token for trie keys / case checks: `’`→`'`, dashes→`-`, diacritics removed,
/// optionally lowercased.
pub(crate) fn fold_into(s: &str, lower: bool, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        if lower {
            out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            out.push_str(s);
        }
        return;
    }
    for c in s.chars() {
        let mut tmp = [0u8; 4];
        let mapped: &str = if c.is_ascii() {
            c.encode_utf8(&mut tmp)
        } else {
            match c {
                '’' | '‘' | 'ʼ' | '`' | '´' => "'",
                '‐' | '‑' | '‒' | '–' | '—' => "-",
                '\u{AD}' => "",
                _ => deunicode::deunicode_char(c).unwrap_or(""),
            }
        };
        if lower {
            out.extend(mapped.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            out.push_str(mapped);
        }
    }
}

pub(crate) fn fold(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, lower, &mut out);
    out
}

fn data_err(path: &Path, line: usize, reason: impl std::fmt::Display) -> Error {
    Error::Data(format!("{}:{}: {}", path.display(), line, reason))
}

/// Read a TSV file: (line number, fields) for every non-blank, non-comment line
/// (the first line is skipped when it starts with the given header word).
fn read_tsv(path: &Path, header: &str) -> Result<Vec<(usize, Vec<String>)>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Data(format!("{}: cannot read: {e}", path.display())))?;
    let mut out = Vec::new();
    let mut first = true;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if std::mem::take(&mut first) && line.split('\t').next() == Some(header) {
            continue;
        }
        out.push((
            i + 1,
            line.split('\t').map(|f| f.trim().to_string()).collect(),
        ));
    }
    Ok(out)
}

fn parse_sectors(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| x.to_ascii_uppercase())
        .collect()
}

fn parse_kind(s: &str) -> Option<EntityKind> {
    Some(match s {
        "PER" => EntityKind::Per,
        "ORG" => EntityKind::Org,
        "LOC" => EntityKind::Loc,
        "MISC" => EntityKind::Misc,
        "NORP" => EntityKind::Norp,
        _ => return None,
    })
}

impl Dictionaries {
    /// Load every dictionary under `data_dir` (the repository's `data/` folder).
    /// Errors name the file, line and reason.
    pub fn load(data_dir: &Path) -> Result<Dictionaries> {
        let mut d = Dictionaries {
            countries: Vec::new(),
            by_iso3: HashMap::new(),
            entries: Vec::new(),
            aliases: Vec::new(),
            vocab: HashMap::new(),
            edges: HashMap::new(),
            terminals: HashMap::new(),
            nodes: 1,
        };
        let tok = Tokenizer;

        // ---- actors first: on identical aliases, earlier entries win
        let path = data_dir.join("actors/actors.tsv");
        for (line, f) in read_tsv(&path, "name")? {
            if f.len() < 4 {
                return Err(data_err(
                    &path,
                    line,
                    format!("expected >= 4 tab-separated fields, got {}", f.len()),
                ));
            }
            let kind = parse_kind(&f[1]).ok_or_else(|| {
                data_err(
                    &path,
                    line,
                    format!("unknown kind {:?} (PER|ORG|LOC|MISC|NORP)", f[1]),
                )
            })?;
            let country = (!f[2].is_empty()).then(|| f[2].to_ascii_uppercase());
            if country
                .as_ref()
                .is_some_and(|c| c.len() != 3 || !c.bytes().all(|b| b.is_ascii_alphabetic()))
            {
                return Err(data_err(
                    &path,
                    line,
                    format!("country {:?} is not ISO 3166 alpha-3", f[2]),
                ));
            }
            if f[0].is_empty() {
                return Err(data_err(&path, line, "empty name"));
            }
            let actor = Actor {
                name: f[0].clone(),
                country,
                sectors: parse_sectors(&f[3]),
                ..Default::default()
            };
            let e = d.push_entry(EntryKind::Named(kind), actor);
            d.add_alias(&tok, &f[0], e);
            if let Some(al) = f.get(4) {
                for a in al.split('|').map(str::trim).filter(|a| !a.is_empty()) {
                    d.add_alias(&tok, a, e);
                }
            }
        }

        // ---- role words
        let path = data_dir.join("actors/roles.tsv");
        for (line, f) in read_tsv(&path, "text")? {
            if f.len() < 3 {
                return Err(data_err(
                    &path,
                    line,
                    format!("expected >= 3 tab-separated fields, got {}", f.len()),
                ));
            }
            let class = match f[1].as_str() {
                "title" => RoleClass::Title,
                "group" => RoleClass::Group,
                "body" => RoleClass::Body,
                "orghead" => RoleClass::OrgHead,
                "modifier" => RoleClass::Modifier,
                other => {
                    return Err(data_err(
                        &path,
                        line,
                        format!("unknown class {other:?} (title|group|body|orghead|modifier)"),
                    ))
                }
            };
            let label = f
                .get(3)
                .filter(|l| !l.is_empty())
                .cloned()
                .unwrap_or_default();
            let actor = Actor {
                name: label,
                sectors: parse_sectors(&f[2]),
                ..Default::default()
            };
            let e = d.push_entry(EntryKind::Role(class), actor);
            for a in f[0].split('|').map(str::trim).filter(|a| !a.is_empty()) {
                d.add_alias(&tok, a, e);
            }
        }

        // ---- countries (GeoNames-derived) + hand-written aliases
        let path = data_dir.join("countries/countries.tsv");
        let mut capitals: Vec<(usize, String)> = Vec::new();
        for (line, f) in read_tsv(&path, "iso2")? {
            if f.len() < 3 || f[1].len() != 3 {
                return Err(data_err(
                    &path,
                    line,
                    "expected iso2, iso3, name[, capital]",
                ));
            }
            let idx = d.countries.len();
            d.by_iso3.insert(f[1].clone(), idx);
            d.countries.push(Country {
                iso3: f[1].clone(),
                name: f[2].clone(),
            });
            if let Some(cap) = f.get(3).filter(|c| !c.is_empty() && **c != f[2]) {
                capitals.push((idx, cap.clone()));
            }
        }
        let path = data_dir.join("countries/aliases.tsv");
        let rows = read_tsv(&path, "iso3")?;
        let mut no_capital = std::collections::HashSet::new();
        let mut extra: Vec<(usize, String, String)> = Vec::new();
        for (line, f) in rows {
            if f.len() < 2 || (f.len() < 3 && f[1] != "nocapital") {
                return Err(data_err(&path, line, "expected iso3, type, text"));
            }
            let idx = *d
                .by_iso3
                .get(&f[0])
                .ok_or_else(|| data_err(&path, line, format!("unknown country {:?}", f[0])))?;
            match f[1].as_str() {
                "canonical" => d.countries[idx].name = f[2].clone(),
                "nocapital" => {
                    no_capital.insert(idx);
                }
                "name" | "demonym" | "capital" => {
                    for t in f[2].split('|').map(str::trim).filter(|t| !t.is_empty()) {
                        extra.push((idx, f[1].clone(), t.to_string()));
                    }
                }
                other => {
                    return Err(data_err(
                        &path,
                        line,
                        format!(
                            "unknown type {other:?} (name|demonym|capital|canonical|nocapital)"
                        ),
                    ))
                }
            }
        }
        // entries per country: name (LOC, GOV), demonym (NORP), capital (LOC, GOV)
        let mut ent_name = Vec::with_capacity(d.countries.len());
        let mut ent_dem = Vec::with_capacity(d.countries.len());
        let mut ent_cap = Vec::with_capacity(d.countries.len());
        for i in 0..d.countries.len() {
            let c = d.countries[i].clone();
            let gov = Actor {
                name: c.name.clone(),
                country: Some(c.iso3.clone()),
                sectors: vec!["GOV".into()],
                ..Default::default()
            };
            ent_name.push(d.push_entry(EntryKind::Country, gov.clone()));
            ent_cap.push(d.push_entry(EntryKind::Capital, gov));
            let norp = Actor {
                name: c.name.clone(),
                country: Some(c.iso3.clone()),
                ..Default::default()
            };
            ent_dem.push(d.push_entry(EntryKind::Demonym, norp));
        }
        for (idx, ty, text) in &extra {
            let e = match ty.as_str() {
                "name" => ent_name[*idx],
                "demonym" => ent_dem[*idx],
                _ => ent_cap[*idx],
            };
            d.add_alias(&tok, text, e);
        }
        for (i, &e) in ent_name.iter().enumerate() {
            let name = d.countries[i].name.clone();
            d.add_alias(&tok, &name, e);
        }
        for (idx, cap) in capitals {
            if !no_capital.contains(&idx) {
                d.add_alias(&tok, &cap, ent_cap[idx]);
            }
        }
        Ok(d)
    }

    fn push_entry(&mut self, kind: EntryKind, actor: Actor) -> u32 {
        self.entries.push(Entry { kind, actor });
        (self.entries.len() - 1) as u32
    }

    fn add_alias(&mut self, tok: &Tokenizer, alias: &str, entry: u32) {
        let spans = tok.token_spans(alias);
        if spans.is_empty() {
            return;
        }
        let mut node = 0u32;
        let mut tokens = Vec::with_capacity(spans.len());
        for sp in &spans {
            let t = &alias[sp.start..sp.end];
            let key = fold(t, true);
            let next_id = self.vocab.len() as u32;
            let id = *self.vocab.entry(key).or_insert(next_id);
            node = match self.edges.get(&(node, id)) {
                Some(n) => *n,
                None => {
                    let n = self.nodes;
                    self.nodes += 1;
                    self.edges.insert((node, id), n);
                    n
                }
            };
            tokens.push(fold(t, false));
        }
        let any_case = !alias.chars().any(|c| c.is_uppercase());
        let letters = alias.chars().filter(|c| c.is_alphabetic()).count();
        let aid = self.aliases.len() as u32;
        // skip exact duplicates for the same entry
        if let Some(list) = self.terminals.get(&node) {
            if list.iter().any(|&a| {
                self.aliases[a as usize].entry == entry && self.aliases[a as usize].tokens == tokens
            }) {
                return;
            }
        }
        self.aliases.push(Alias {
            tokens,
            entry,
            any_case,
            letters,
        });
        self.terminals.entry(node).or_default().push(aid);
    }

    /// Vocabulary id of a folded, lowercased token (for [`Self::longest_match`]).
    pub(crate) fn vocab_id(&self, folded_lower: &str) -> Option<u32> {
        self.vocab.get(folded_lower).copied()
    }

    fn case_ok(&self, alias: &Alias, surface: &[String]) -> bool {
        if alias.any_case {
            return true;
        }
        if alias.tokens.iter().zip(surface).all(|(a, s)| a == s) {
            return true;
        }
        // ALL-CAPS surface (headlines, datelines) for long aliases
        if alias.letters >= 5
            && surface.iter().all(|s| !s.chars().any(|c| c.is_lowercase()))
            && alias
                .tokens
                .iter()
                .zip(surface)
                .all(|(a, s)| a.to_uppercase() == *s)
        {
            return true;
        }
        // capitalised lowercase particle: Al-Qaeda / al-Qaeda
        let first_ok = match (alias.tokens.first(), surface.first()) {
            (Some(a), Some(s)) => {
                a.starts_with(|c: char| c.is_lowercase())
                    && {
                        let mut ac = a.chars();
                        let mut sc = s.chars();
                        matches!((ac.next(), sc.next()), (Some(x), Some(y)) if x.to_uppercase().eq(y.to_uppercase()))
                            && ac.as_str() == sc.as_str()
                    }
            }
            _ => false,
        };
        first_ok
            && alias
                .tokens
                .iter()
                .zip(surface)
                .skip(1)
                .all(|(a, s)| a == s)
    }

    /// Longest dictionary match starting at token `i`. `ids` are vocabulary ids of
    /// the folded, lowercased tokens; `surface(k)` gives the case-kept folded
    /// token `k`. Returns (number of tokens, entry index).
    pub(crate) fn longest_match(
        &self,
        ids: &[Option<u32>],
        i: usize,
        surface: &mut dyn FnMut(usize) -> String,
    ) -> Option<(usize, u32)> {
        let mut node = 0u32;
        let mut hits: Vec<(usize, u32)> = Vec::new();
        let mut k = i;
        while k < ids.len() {
            let Some(id) = ids[k] else { break };
            match self.edges.get(&(node, id)) {
                Some(&n) => node = n,
                None => break,
            }
            k += 1;
            if self.terminals.contains_key(&node) {
                hits.push((k - i, node));
            }
        }
        if hits.is_empty() {
            return None;
        }
        let mut surf: Vec<String> = Vec::new();
        for &(len, node) in hits.iter().rev() {
            while surf.len() < len {
                surf.push(surface(i + surf.len()));
            }
            for &aid in &self.terminals[&node] {
                let a = &self.aliases[aid as usize];
                if self.case_ok(a, &surf[..len]) {
                    return Some((len, a.entry));
                }
            }
        }
        None
    }

    /// The actor a name or alias stands for (`"Hezbollah"`, `"Erdogan"`,
    /// `"Damascus"`, `"troops"`), with `text` set to `name`. Countries and capitals
    /// give the country's government; demonyms give the country without a sector.
    pub fn lookup_actor(&self, name: &str) -> Option<Actor> {
        let e = self.lookup_entry(name)?;
        let mut actor = self.entries[e as usize].actor.clone();
        actor.text = name.to_string();
        Some(actor)
    }

    /// Entry a whole name or alias resolves to.
    pub(crate) fn lookup_entry(&self, name: &str) -> Option<u32> {
        let tok = Tokenizer;
        let spans = tok.token_spans(name);
        if spans.is_empty() {
            return None;
        }
        let ids: Vec<Option<u32>> = spans
            .iter()
            .map(|s| self.vocab_id(&fold(&name[s.start..s.end], true)))
            .collect();
        let mut surface = |k: usize| fold(&name[spans[k].start..spans[k].end], false);
        let (len, e) = self.longest_match(&ids, 0, &mut surface)?;
        (len == spans.len()).then_some(e)
    }

    /// Common English name of a country (`"SYR"` → `"Syria"`).
    pub fn country_name(&self, iso3: &str) -> Option<&str> {
        self.by_iso3
            .get(&iso3.to_ascii_uppercase())
            .map(|&i| self.countries[i].name.as_str())
    }

    /// Number of (countries, dictionary entries, aliases) loaded.
    pub fn stats(&self) -> (usize, usize, usize) {
        (self.countries.len(), self.entries.len(), self.aliases.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Dictionaries {
        Dictionaries::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")).unwrap()
    }

    #[test]
    fn shipped_dictionaries_load_and_named_aliases_are_unambiguous() {
        let d = shipped();
        let (countries, entries, aliases) = d.stats();
        assert!(countries >= 240, "{countries} countries");
        assert!(
            entries >= 1000 && aliases >= 2500,
            "{entries} entries, {aliases} aliases"
        );
        let mut seen: HashMap<Vec<String>, u32> = HashMap::new();
        for a in &d.aliases {
            if matches!(d.entries[a.entry as usize].kind, EntryKind::Named(_)) {
                let prev = *seen.entry(a.tokens.clone()).or_insert(a.entry);
                assert_eq!(
                    d.entries[prev as usize].actor.name, d.entries[a.entry as usize].actor.name,
                    "alias {:?} names two actors",
                    a.tokens
                );
            }
        }
        // every actor country is a known ISO3 code
        for e in &d.entries {
            if let Some(c) = &e.actor.country {
                assert!(
                    d.country_name(c).is_some(),
                    "{} has unknown country {c}",
                    e.actor.name
                );
            }
        }
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Erdoğan’s", false), "Erdogan's");
        assert_eq!(fold("Kata’ib", true), "kata'ib");
        assert_eq!(fold("Türkiye—x", false), "Turkiye-x");
    }
}
