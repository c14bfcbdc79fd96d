//! Dictionary + cue based named entities with actor coding.
//!
//! Takes a tokenized [`Document`] (sentences, tokens; tokenizes itself only when
//! both are empty) and gives `doc.entities`, non-overlapping and in text order.
//!
//! Per sentence:
//! 1. longest dictionary match on token boundaries (actors, countries, demonyms,
//!    capitals, role words; see [`crate::dict`]);
//! 2. runs of unknown capitalised tokens (with name particles `al-`, `bin`, `Abu`,
//!    `de`, `van`, ...; connectors `of`/`for`/`and` inside organisation names);
//!    sentence-initial common words and words seen lowercased elsewhere in the
//!    document are not names;
//! 3. composition: `[Country|Demonym|Org]['s] Title+ Name` → one PER (the name's
//!    span) coded with the modifier's country and the title's (or the
//!    organisation's) sectors; `[armed] [Country|Demonym|Org]['s] Role+` → one role
//!    entity (`Syrian army` → "Syria military", SYR, MIL); appositions
//!    `Name, the head of ORG` and `the head of ORG, Name` give the person the
//!    organisation's country and sectors;
//! 4. in-document alias resolution: a later surname / partial mention, an
//!    acronym introduced in parentheses, or an organisation's head word ("the
//!    Coalition") gets the full mention's actor (only when unambiguous);
//! 5. definite role mentions ("the faction", "its fighters", "the president") take
//!    the nearest earlier actor with the same main sector (≤ 5 sentences back);
//! 6. if the document names exactly one country (news agencies, NGOs and IGOs
//!    aside), bare state roles ("police", "the government") get that country.
//!
//! Role mentions (source `"role"`, or `"coref"` after steps 5–6) are actors but
//! not named entities; CoNLL-style NER scoring should leave `"role"` out.
//!
//! Actor naming convention: dictionary actors keep their canonical name; a
//! country's government (country name, capital, `Syrian government`, `the Iraqi
//! president`) is named after the country (`"Syria"`, sector GOV); any other
//! sector of a country is `"<Country> <label>"` (`"Syria military"`,
//! `"Iraq armed groups"`, `"Israel police"`); an unknown person or organisation is
//! named by its surface text.

use crate::dict::{fold, fold_into, Dictionaries, EntryKind, RoleClass};
use crate::tokenize::Tokenizer;
use chronicle_core::{Actor, Document, Entity, EntityKind, Result, Span, Stage};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Entity stage (`"entities"`): dictionary tagging, name cues, composition and
/// in-document alias resolution.
pub struct EntityStage {
    dict: Arc<Dictionaries>,
}

/// Capitalised words that are not names on their own (sentence openers, months,
/// weekdays, pronouns, common adverbs).
const STOPWORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Here",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Your",
    "In",
    "On",
    "At",
    "By",
    "For",
    "From",
    "With",
    "Without",
    "Of",
    "To",
    "Into",
    "As",
    "And",
    "But",
    "Or",
    "Nor",
    "So",
    "Yet",
    "If",
    "When",
    "While",
    "Where",
    "Why",
    "How",
    "What",
    "Who",
    "Whom",
    "Which",
    "After",
    "Before",
    "During",
    "Since",
    "Until",
    "Despite",
    "Amid",
    "Among",
    "Following",
    "According",
    "Meanwhile",
    "However",
    "Once",
    "Earlier",
    "Later",
    "Last",
    "Next",
    "Separately",
    "Also",
    "Some",
    "Many",
    "Most",
    "Several",
    "Few",
    "All",
    "Both",
    "Each",
    "Every",
    "Another",
    "Other",
    "Such",
    "No",
    "Not",
    "Now",
    "Then",
    "Still",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Tonight",
    // weekdays and months: chronicle_core::words
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "Jun.",
    "Jul.",
    "Aug.",
    "Sep.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "First",
    "Second",
    "Third",
    "Although",
    "Though",
    "Because",
    "Unless",
    "Under",
    "Over",
    "About",
    "Above",
    "Below",
    "Near",
    "Against",
    "Between",
    "Through",
    "Throughout",
    "Within",
    "Across",
    "Around",
    "Along",
    "Asked",
    "Speaking",
    "Adding",
    "Saying",
    "Reuters",
    "AP",
    "AFP",
    "Photo",
    "Read",
    "Watch",
    "Update",
    "Updated",
    "Breaking",
    "Exclusive",
    "Analysis",
    "Opinion",
    "Instead",
    "Indeed",
    "Thus",
    "Hence",
    "Moreover",
    "Furthermore",
    "Nevertheless",
    "Overall",
    "Yes",
    "Please",
    "Thank",
    "Thanks",
    "Let",
    "Even",
    "Only",
    "Just",
    "Again",
    "Already",
    "Almost",
    "Perhaps",
    "Maybe",
    "Local",
    "Heavy",
    "Fierce",
    "Several",
    "Dozens",
    "Hundreds",
    "Thousands",
    "Witnesses",
    "Sources",
    "Reports",
    "Video",
    "Footage",
    "Images",
    "Pictures",
];

/// Name particles allowed inside person names (not at the end).
const PARTICLES: &[&str] = &[
    "al", "Al", "bin", "Bin", "ibn", "Ibn", "bint", "Abu", "Abou", "Umm", "de", "De", "del",
    "della", "da", "di", "van", "Van", "von", "der", "den", "la", "le", "du", "dos", "das", "el",
    "El", "ben", "Ben", "ter", "y", "bin-", "abu",
];

/// Connectors allowed inside organisation names.
const CONNECTORS: &[&str] = &["of", "for", "and", "the", "on", "&", "de", "al", "in"];

/// Head words by which a multi-word organisation is referred to elsewhere in a
/// document ("the Coalition", "the Observatory"); used only when unambiguous.
const ORG_SHORT_HEADS: &[&str] = &[
    "Coalition",
    "Council",
    "Observatory",
    "Commission",
    "Committee",
    "Front",
    "Movement",
    "Alliance",
    "Party",
    "Organization",
    "Organisation",
    "Authority",
    "Agency",
    "Union",
    "League",
    "Brigades",
    "Network",
    "Assembly",
    "Tribunal",
    "Court",
    "Institute",
    "Foundation",
];

/// Last words that make an unknown capitalised run a place ("Iloilo City").
const PLACE_HEADS: &[&str] = &[
    "City",
    "Province",
    "District",
    "Region",
    "Valley",
    "River",
    "Mountains",
    "Mountain",
    "Island",
    "Islands",
    "Camp",
    "Square",
    "Street",
    "Road",
    "Bridge",
    "Airport",
    "Port",
    "Village",
    "Town",
    "County",
    "Neighborhood",
    "Neighbourhood",
    "Sea",
    "Gulf",
    "Strait",
    "Desert",
    "Lake",
    "Crossing",
    "Plain",
    "Plains",
    "Hills",
    "Peninsula",
    "Coast",
    "Base",
    "Airbase",
    "Governorate",
    "Oblast",
    "Prefecture",
    "Municipality",
    "State",
    "Highway",
];

/// First words that make an unknown capitalised run a place ("Mount Hermon").
const PLACE_FIRST: &[&str] = &[
    "Mount", "Lake", "Camp", "Port", "Cape", "Fort", "Saint", "San", "Santa",
];

/// Prepositions after which an unknown capitalised run is a place.
const SPATIAL_PREPS: &[&str] = &[
    "in", "near", "outside", "around", "toward", "towards", "across", "inside", "into", "at",
    "through", "across", "between", "north", "south", "east", "west", "northern", "southern",
    "eastern", "western", "central",
];

/// Verbs of saying that mark a preceding capitalised run as a person.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stated",
    "declared",
    "announced",
    "warned",
    "stressed",
    "noted",
    "wrote",
    "tweeted",
    "insisted",
    "argued",
    "explained",
    "claimed",
    "urged",
    "denied",
    "confirmed",
    "vowed",
    "asked",
    "replied",
    "pointed",
];

fn is_particle_prefixed(t: &str) -> bool {
    // al-Walai, el-Sisi, ad-Dawla, bin-Laden
    for p in [
        "al-", "Al-", "el-", "El-", "ad-", "as-", "ash-", "an-", "ar-", "at-", "az-", "bin-",
        "abu-", "Abu-", "ibn-",
    ] {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.starts_with(|c: char| c.is_uppercase());
        }
    }
    false
}

/// Does an acronym abbreviate a name? Its first letter is the name's first
/// initial and its letters appear in order among the initials of the name's words
/// and hyphen parts ("JNIM" ← "Jama'at Nusrat al-Islam wal-Muslimin").
fn acronym_fits(acr: &str, name: &str) -> bool {
    let initials: Vec<char> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .flat_map(|c| c.to_uppercase())
        .collect();
    let letters: Vec<char> = acr.chars().filter(|c| c.is_alphanumeric()).collect();
    if letters.is_empty() || initials.first() != letters.first() {
        return false;
    }
    let mut it = initials.iter();
    letters.iter().all(|l| it.any(|i| i == l))
}

/// `United Kingdom-based`, `Iran-backed`: an adjective, not a name.
fn has_relational_suffix(t: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "-based",
        "-backed",
        "-led",
        "-linked",
        "-affiliated",
        "-aligned",
        "-allied",
        "-run",
        "-controlled",
        "-held",
        "-born",
        "-owned",
        "-made",
        "-style",
        "-funded",
        "-sponsored",
    ];
    SUFFIXES.iter().any(|x| t.ends_with(x))
}

fn is_capitalised(t: &str) -> bool {
    let mut cs = t.chars();
    match cs.next() {
        Some(c) if c.is_uppercase() => t.chars().any(|c| c.is_alphabetic()),
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokClass {
    /// Not part of a name.
    Other,
    /// Capitalised unknown word.
    Name,
    /// Name particle (`bin`, `Abu`, `al`).
    Particle,
    /// Connector inside an organisation name (`of`, `for`).
    Connector,
}

/// A unit of a sentence after matching: a dictionary hit, a name run or one token.
#[derive(Debug, Clone)]
struct Unit {
    s: usize,
    e: usize,
    kind: UKind,
}

#[derive(Debug, Clone)]
enum UKind {
    Dict(u32),
    /// Unknown capitalised run; `head` = sectors of its organisation head word,
    /// `country` from an absorbed demonym/country.
    Run {
        head: Option<Vec<String>>,
        country: Option<String>,
    },
    Tok,
}

/// A name run: (first token, end token, org-head sectors, absorbed country).
type RunSpec = (usize, usize, Option<Vec<String>>, Option<String>);

/// The result of composing units: an entity to emit.
#[derive(Debug, Clone)]
struct Found {
    s: usize,
    e: usize,
    kind: EntityKind,
    actor: Option<Actor>,
    source: &'static str,
}

impl EntityStage {
    pub fn new(dict: Arc<Dictionaries>) -> Self {
        EntityStage { dict }
    }

    fn entry_kind(&self, e: u32) -> &EntryKind {
        &self.dict.entries[e as usize].kind
    }

    fn entry_actor(&self, e: u32) -> &Actor {
        &self.dict.entries[e as usize].actor
    }

    /// `Ankara-Damascus`, `Israel-Hezbollah`: a hyphenated pair of dictionary names
    /// is a relation, not a new name.
    fn known_compound(&self, t: &str) -> bool {
        t.contains('-')
            && !is_particle_prefixed(t)
            && t.split('-')
                .all(|p| is_capitalised(p) && self.dict.vocab_id(&fold(p, true)).is_some())
    }

    fn entry_actor_of(&self, u: &Unit) -> Option<Actor> {
        match u.kind {
            UKind::Dict(e) => Some(self.entry_actor(e).clone()),
            _ => None,
        }
    }

    fn role_class(&self, u: &Unit) -> Option<RoleClass> {
        match u.kind {
            UKind::Dict(e) => match self.entry_kind(e) {
                EntryKind::Role(c) => Some(*c),
                _ => None,
            },
            _ => None,
        }
    }

    /// Country code of a unit usable as a modifier (country, demonym, capital,
    /// dictionary org/person, org run).
    fn modifier_actor(&self, u: &Unit) -> Option<(Actor, bool)> {
        match &u.kind {
            UKind::Dict(e) => match self.entry_kind(*e) {
                EntryKind::Country
                | EntryKind::Demonym
                | EntryKind::Capital
                | EntryKind::Named(EntityKind::Norp) => Some((self.entry_actor(*e).clone(), false)),
                EntryKind::Named(EntityKind::Org) | EntryKind::Named(EntityKind::Misc) => {
                    Some((self.entry_actor(*e).clone(), true))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Actor for a country + role: government → the country; else "<Country> <label>".
    fn country_role_actor(&self, country: &Actor, role: &Actor) -> Actor {
        let iso = country.country.clone();
        let cname = iso
            .as_deref()
            .and_then(|c| self.dict.country_name(c))
            .unwrap_or(&country.name)
            .to_string();
        let name =
            if role.sectors.first().map(String::as_str) == Some("GOV") || role.sectors.is_empty() {
                cname
            } else {
                format!("{cname} {}", role.name)
            };
        Actor {
            name,
            country: iso,
            sectors: role.sectors.clone(),
            ..Default::default()
        }
    }
}

fn kind_of_role(c: RoleClass) -> EntityKind {
    match c {
        RoleClass::Body => EntityKind::Org,
        _ => EntityKind::Per,
    }
}

struct DocCtx<'a> {
    text: &'a str,
    spans: Vec<Span>,
    ids: Vec<Option<u32>>,
    /// Lowercased forms of words seen lowercase somewhere in the document.
    lower_seen: HashSet<String>,
}

impl<'a> DocCtx<'a> {
    fn tok(&self, i: usize) -> &'a str {
        let s = self.spans[i];
        &self.text[s.start..s.end]
    }
}

impl Stage for EntityStage {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        if doc.tokens.is_empty() && doc.sentences.is_empty() {
            Tokenizer.process(doc)?;
        }
        let text = doc.text.as_str();
        let spans: Vec<Span> = doc.tokens.iter().map(|t| t.span).collect();
        let mut buf = String::new();
        let mut ids = Vec::with_capacity(spans.len());
        let mut lower_seen = HashSet::new();
        for (i, sp) in spans.iter().enumerate() {
            let t = text.get(sp.start..sp.end).unwrap_or("");
            fold_into(t, true, &mut buf);
            ids.push(self.dict.vocab_id(&buf));
            if t.starts_with(|c: char| c.is_lowercase()) && i > 0 {
                lower_seen.insert(buf.clone());
            }
        }
        let ctx = DocCtx {
            text,
            spans,
            ids,
            lower_seen,
        };
        let mut found: Vec<(usize, Found)> = Vec::new();
        for (si, sent) in doc.sentences.iter().enumerate() {
            let (s, e) = (
                sent.tokens.start.min(ctx.spans.len()),
                sent.tokens.end.min(ctx.spans.len()),
            );
            if s >= e {
                continue;
            }
            for f in self.sentence(&ctx, s, e) {
                found.push((si, f));
            }
        }
        self.resolve_aliases(&ctx, doc, &mut found);
        found.sort_by_key(|(_, f)| f.s);
        self.resolve_definites(&ctx, &mut found);
        self.default_country(&mut found);
        found.sort_by_key(|(_, f)| f.s);
        let mut out = Vec::with_capacity(found.len());
        let mut last_end = 0usize;
        for (si, f) in found {
            if f.s < last_end || f.e <= f.s {
                continue;
            }
            last_end = f.e;
            let span = Span::new(ctx.spans[f.s].start, ctx.spans[f.e - 1].end);
            let surface = text[span.start..span.end].to_string();
            let actor = f.actor.map(|mut a| {
                if a.text.is_empty() {
                    a.text = surface.clone();
                }
                a
            });
            out.push(Entity {
                span,
                sentence: si,
                kind: f.kind,
                text: surface,
                actor,
                source: f.source.to_string(),
            });
        }
        doc.entities = out;
        Ok(())
    }
}

impl EntityStage {
    fn sentence(&self, ctx: &DocCtx, s: usize, e: usize) -> Vec<Found> {
        // 1. dictionary matches
        let mut dict_at: Vec<Option<(usize, u32)>> = vec![None; e - s];
        let mut surface = |k: usize| fold(ctx.tok(k), false);
        let mut i = s;
        while i < e {
            if let Some((len, entry)) = self.dict.longest_match(&ctx.ids[..e], i, &mut surface) {
                dict_at[i - s] = Some((len, entry));
                i += len;
            } else {
                i += 1;
            }
        }
        // headline-style ALL CAPS sentence: no name runs
        let alpha: Vec<&str> = (s..e)
            .map(|k| ctx.tok(k))
            .filter(|t| t.chars().any(|c| c.is_alphabetic()))
            .collect();
        let caps = alpha
            .iter()
            .filter(|t| !t.chars().any(|c| c.is_lowercase()))
            .count();
        let sent_text = &ctx.text[ctx.spans[s].start..ctx.spans[e - 1].end];
        // ALL CAPS sentence: no name runs
        let shouting = alpha.len() >= 3 && caps * 10 >= alpha.len() * 6;
        // Title Case headline: words seen lowercase elsewhere in the document are
        // common words, not names ("US Links Ankara-Damascus Normalization to ...")
        let headline = alpha.len() >= 4
            && !matches!(
                ctx.tok(e - 1),
                "." | "!" | "?" | "\"" | "”" | "'" | "’" | "…" | ":" | ";"
            )
            && crate::tokenize::headline_like(sent_text);

        // 2. token classes for name runs
        let mut class = vec![TokClass::Other; e - s];
        let mut covered = vec![false; e - s];
        let mut dissolved = vec![false; e - s];
        let mut k = s;
        while k < e {
            // a multi-word dictionary organisation preceded by another capitalised
            // name or by a different country is a different organisation:
            // "Supreme Security Council", "Iraqi National Security Council"
            if let Some((len, entry)) = dict_at[k - s] {
                let named_org = matches!(self.entry_kind(entry), EntryKind::Named(EntityKind::Org));
                let org_country = self.entry_actor(entry).country.clone();
                let prev_name =
                    k > s + 1 && class[k - 1 - s] == TokClass::Name && !covered[k - 1 - s];
                let prev_other_country = k > s
                    && (s..k)
                        .rev()
                        .find_map(|j| dict_at[j - s].filter(|(l, _)| j + l == k))
                        .is_some_and(|(_, pe)| {
                            matches!(self.entry_kind(pe), EntryKind::Demonym | EntryKind::Country)
                                && org_country.is_some()
                                && self.entry_actor(pe).country != org_country
                        });
                if named_org
                    && len >= 2
                    && !shouting
                    && !dissolved[k - s]
                    && (prev_name || prev_other_country)
                {
                    dict_at[k - s] = None;
                    dissolved[k - s] = true;
                    let mut j = k;
                    while j < k + len {
                        match self
                            .dict
                            .longest_match(&ctx.ids[..k + len], j, &mut surface)
                        {
                            Some((l, en)) if !(j == k && l == len) => {
                                dict_at[j - s] = Some((l, en));
                                j += l;
                            }
                            _ => j += 1,
                        }
                    }
                    continue;
                }
            }
            if let Some((len, entry)) = dict_at[k - s] {
                let cap_role =
                    matches!(self.entry_kind(entry), EntryKind::Role(RoleClass::OrgHead))
                        || (matches!(
                            self.entry_kind(entry),
                            EntryKind::Role(RoleClass::Body | RoleClass::Group)
                        ) && len == 1
                            && is_capitalised(ctx.tok(k))
                            && ((k > s && class[k - 1 - s] == TokClass::Name)
                                || (k > s + 1
                                    && class[k - 1 - s] == TokClass::Connector
                                    && class[k - 2 - s] == TokClass::Name)
                                // "Ministry of Defence", "Council of Ministers"
                                || (k + 2 < e
                                    && matches!(ctx.tok(k + 1), "of" | "for")
                                    && is_capitalised(ctx.tok(k + 2)))));
                for j in k..k + len {
                    covered[j - s] = true;
                }
                if cap_role && len == 1 && is_capitalised(ctx.tok(k)) {
                    class[k - s] = TokClass::Name;
                }
                k += len;
                continue;
            }
            let t = ctx.tok(k);
            let first_word = k == s
                || matches!(
                    ctx.tok(k - 1),
                    "\"" | "“" | "‘" | "'" | "(" | "-" | "—" | "–" | ":"
                );
            class[k - s] = if shouting {
                TokClass::Other
            } else if PARTICLES.contains(&t) {
                TokClass::Particle
            } else if is_particle_prefixed(t) {
                TokClass::Name
            } else if is_capitalised(t)
                && !STOPWORDS.contains(&t)
                && !chronicle_core::words::is_calendar_word(t)
                && !has_relational_suffix(t)
                && !self.known_compound(t)
            {
                let low = fold(t, true);
                if (first_word || headline) && ctx.lower_seen.contains(&low) {
                    TokClass::Other
                } else {
                    TokClass::Name
                }
            } else if CONNECTORS.contains(&t) {
                TokClass::Connector
            } else {
                TokClass::Other
            };
            k += 1;
        }
        let is_head = |k: usize| -> Option<Vec<String>> {
            if !covered[k - s] || class[k - s] != TokClass::Name {
                return None;
            }
            dict_at[k - s].map(|(_, en)| self.entry_actor(en).sectors.clone())
        };
        let is_semi = |k: usize| -> Option<(usize, u32)> {
            // a country/demonym match that may be absorbed into an org name
            let (len, en) = dict_at[k - s]?;
            matches!(
                self.entry_kind(en),
                EntryKind::Country | EntryKind::Demonym | EntryKind::Named(EntityKind::Norp)
            )
            .then_some((len, en))
        };

        // 3. runs
        let mut runs: Vec<RunSpec> = Vec::new();
        let mut k = s;
        while k < e {
            let starts = class[k - s] == TokClass::Name
                || (class[k - s] == TokClass::Particle
                    && ctx.tok(k).starts_with(|c: char| c.is_uppercase()))
                || is_semi(k).is_some();
            if !starts {
                k += 1;
                continue;
            }
            // greedy extent
            let mut j = k;
            let mut head: Option<Vec<String>> = None;
            let mut country: Option<String> = None;
            let mut names = 0;
            let mut connectors = false;
            loop {
                if j >= e {
                    break;
                }
                if let Some((len, en)) = is_semi(j) {
                    if country.is_none() {
                        country = self.entry_actor(en).country.clone();
                    }
                    j += len;
                    continue;
                }
                match class[j - s] {
                    TokClass::Name => {
                        if let Some(h) = is_head(j) {
                            head = Some(h);
                        }
                        names += 1;
                        j += 1;
                    }
                    TokClass::Particle => j += 1,
                    TokClass::Connector
                        if j + 1 < e
                            && names > 0
                            && (ctx.tok(j) != "the"
                                || matches!(ctx.tok(j - 1), "of" | "for" | "on"))
                            && (!matches!(ctx.tok(j), "and" | "&")
                                || class[j + 1 - s] == TokClass::Name
                                || is_semi(j + 1).is_some())
                            && (class[j + 1 - s] == TokClass::Name
                                || is_semi(j + 1).is_some()
                                || (class[j + 1 - s] == TokClass::Connector
                                    && j + 2 < e
                                    && class[j + 2 - s] == TokClass::Name)) =>
                    {
                        connectors = true;
                        j += 1
                    }
                    _ => break,
                }
            }
            if names == 0 {
                k = j.max(k + 1);
                continue;
            }
            // a lone head word ("the Brigade", "Council") is not an organisation name
            let lone_head = head.is_some()
                && names == 1
                && country.is_none()
                && (k..j).all(|x| covered[x - s] || class[x - s] != TokClass::Name);
            if lone_head {
                k = j;
                continue;
            }
            if head.is_some() {
                let mut end = j;
                while end > k
                    && matches!(class[end - 1 - s], TokClass::Connector | TokClass::Particle)
                    && is_semi(end - 1).is_none()
                {
                    end -= 1;
                }
                runs.push((k, end, head, country));
                k = j;
                continue;
            }
            // no organisation head: split at connectors and country/demonym matches
            let _ = connectors;
            let mut a = k;
            while a < j {
                if let Some((len, _)) = is_semi(a) {
                    a += len;
                    continue;
                }
                if matches!(class[a - s], TokClass::Name | TokClass::Particle) {
                    let mut b = a;
                    while b < j
                        && is_semi(b).is_none()
                        && matches!(class[b - s], TokClass::Name | TokClass::Particle)
                    {
                        b += 1;
                    }
                    let mut end = b;
                    while end > a && class[end - 1 - s] == TokClass::Particle {
                        end -= 1;
                    }
                    // a covered role word alone is not a name
                    let real = (a..end).any(|x| !covered[x - s] && class[x - s] == TokClass::Name);
                    if end > a && real {
                        runs.push((a, end, None, None));
                    }
                    a = b;
                } else {
                    a += 1;
                }
            }
            k = j;
        }

        // 4. units
        let mut units: Vec<Unit> = Vec::new();
        let mut r = 0;
        let mut k = s;
        while k < e {
            if r < runs.len() && runs[r].0 == k {
                let (rs, re, head, country) = runs[r].clone();
                units.push(Unit {
                    s: rs,
                    e: re,
                    kind: UKind::Run { head, country },
                });
                k = re;
                r += 1;
                continue;
            }
            while r < runs.len() && runs[r].0 < k {
                r += 1;
            }
            if let Some((len, en)) = dict_at[k - s] {
                let end = (k + len).min(runs.get(r).map(|x| x.0).unwrap_or(e).max(k + 1));
                units.push(Unit {
                    s: k,
                    e: end,
                    kind: UKind::Dict(en),
                });
                k = end;
                continue;
            }
            units.push(Unit {
                s: k,
                e: k + 1,
                kind: UKind::Tok,
            });
            k += 1;
        }
        self.compose(ctx, &units)
    }

    fn unit_text<'a>(&self, ctx: &DocCtx<'a>, u: &Unit) -> &'a str {
        &ctx.text[ctx.spans[u.s].start..ctx.spans[u.e - 1].end]
    }

    fn is_tok(&self, ctx: &DocCtx, u: Option<&Unit>, words: &[&str]) -> bool {
        u.is_some_and(|u| {
            matches!(u.kind, UKind::Tok) && words.contains(&ctx.tok(u.s).to_lowercase().as_str())
        })
    }

    /// Is unit a person name (dictionary PER or a run without org head)?
    fn is_name(&self, u: &Unit) -> bool {
        match &u.kind {
            UKind::Dict(e) => matches!(self.entry_kind(*e), EntryKind::Named(EntityKind::Per)),
            UKind::Run { head, .. } => head.is_none(),
            UKind::Tok => false,
        }
    }

    fn compose(&self, ctx: &DocCtx, units: &[Unit]) -> Vec<Found> {
        let n = units.len();
        let mut out: Vec<Option<Found>> = vec![None; n];
        let mut used = vec![false; n];
        let is_role = |u: usize, classes: &[RoleClass]| -> bool {
            units
                .get(u)
                .and_then(|x| self.role_class(x))
                .is_some_and(|c| classes.contains(&c))
        };

        // --- P1: [modifier ['s]] Title+ Name
        let mut u = 0;
        while u < n {
            if !is_role(u, &[RoleClass::Title]) {
                u += 1;
                continue;
            }
            let t0 = u;
            let mut t1 = u;
            while t1 < n && is_role(t1, &[RoleClass::Title]) {
                t1 += 1;
            }
            if t1 < n && self.is_name(&units[t1]) && !used[t1] {
                // title sectors: the last title with sectors
                let mut title_sectors: Vec<String> = Vec::new();
                for unit in &units[t0..t1] {
                    if let UKind::Dict(en) = unit.kind {
                        let a = self.entry_actor(en);
                        if !a.sectors.is_empty() {
                            title_sectors = a.sectors.clone();
                        }
                    }
                }
                // modifier directly before (optionally with 's)
                let mut m = None;
                if t0 >= 1 {
                    if let Some(x) = self.modifier_actor(&units[t0 - 1]) {
                        m = Some((t0 - 1, x));
                    } else if t0 >= 2
                        && self.is_tok(ctx, units.get(t0 - 1), &["'s", "’s", "'", "’"])
                    {
                        // "Syria's President X"; "Guterres' spokesman X" (the person's affiliation)
                        if let Some(x) = self.modifier_actor(&units[t0 - 2]) {
                            m = Some((t0 - 2, x));
                        } else if let Some(a) = out[t0 - 2]
                            .as_ref()
                            .and_then(|f| f.actor.clone())
                            .or_else(|| {
                                self.is_name(&units[t0 - 2])
                                    .then(|| self.entry_actor_of(&units[t0 - 2]))
                                    .flatten()
                            })
                        {
                            if a.country.is_some() || !a.sectors.is_empty() {
                                m = Some((t0 - 2, (a, true)));
                            }
                        }
                    } else {
                        // an organisation a few lowercase words back:
                        // "Hamas political bureau member X", "Hezbollah senior commander X"
                        let mut b = t0;
                        while b > 0
                            && t0 - b < 3
                            && (matches!(units[b - 1].kind, UKind::Tok)
                                && ctx.tok(units[b - 1].s).chars().all(|c| c.is_lowercase())
                                || self.role_class(&units[b - 1]) == Some(RoleClass::Modifier))
                        {
                            b -= 1;
                        }
                        if b < t0 && b > 0 {
                            if let Some(x) = self.modifier_actor(&units[b - 1]).filter(|x| x.1) {
                                m = Some((b - 1, x));
                            }
                        }
                    }
                }
                let mut actor = self.name_actor(ctx, &units[t1]);
                if let Some((mi, (ma, is_org))) = &m {
                    if actor.country.is_none() {
                        actor.country = ma.country.clone();
                    }
                    if actor.sectors.is_empty() {
                        actor.sectors = if *is_org {
                            ma.sectors.clone()
                        } else {
                            title_sectors.clone()
                        };
                    }
                    if !*is_org && !used[*mi] {
                        used[*mi] = true; // demonym/country folded into the person
                    }
                }
                if actor.sectors.is_empty() {
                    actor.sectors = title_sectors;
                }
                for x in used.iter_mut().take(t1).skip(t0) {
                    *x = true;
                }
                used[t1] = true;
                let source = if matches!(units[t1].kind, UKind::Dict(_)) {
                    "dict"
                } else {
                    "rule"
                };
                out[t1] = Some(Found {
                    s: units[t1].s,
                    e: units[t1].e,
                    kind: EntityKind::Per,
                    actor: Some(actor),
                    source,
                });
                u = t1 + 1;
                continue;
            }
            u = t1;
        }

        // --- appositions: Name , [det] [demonym] Title (of|to|for) [the] Target ; [the] Title (of|for) [the] Target , Name
        for u in 0..n {
            if !self.is_name(&units[u]) {
                continue;
            }
            let already = out[u]
                .as_ref()
                .and_then(|f| f.actor.as_ref())
                .is_some_and(|a| a.country.is_some() && !a.sectors.is_empty());
            if already || matches!(units[u].kind, UKind::Dict(_)) {
                continue;
            }
            let mut target: Option<(Actor, Vec<String>, Option<String>)> = None; // (target actor, title sectors, demonym country)
                                                                                 // after
            if self.is_tok(ctx, units.get(u + 1), &[","]) {
                let mut v = u + 2;
                if self.is_tok(ctx, units.get(v), &["the", "a", "an"]) {
                    v += 1;
                }
                let mut dem_country = None;
                if let Some(x) = units.get(v).and_then(|x| self.modifier_actor(x)) {
                    if !x.1 {
                        dem_country = x.0.country.clone();
                        v += 1;
                    }
                }
                let mut ts = Vec::new();
                let mut any_title = false;
                while is_role(v, &[RoleClass::Title]) {
                    if let UKind::Dict(en) = units[v].kind {
                        if !self.entry_actor(en).sectors.is_empty() {
                            ts = self.entry_actor(en).sectors.clone();
                        }
                    }
                    any_title = true;
                    v += 1;
                }
                if any_title {
                    let mut w = v;
                    let mut tgt = None;
                    if self.is_tok(ctx, units.get(w), &["of", "to", "for", "at"]) {
                        w += 1;
                        if self.is_tok(ctx, units.get(w), &["the"]) {
                            w += 1;
                        }
                        tgt = self.target_at(ctx, units, &out, w);
                    }
                    match tgt {
                        Some(a) => target = Some((a, ts, dem_country)),
                        None => target = Some((Actor::default(), ts, dem_country)),
                    }
                }
            }
            // titled name followed by "of/from [the] Target": General X of the Russian army
            if target.is_none()
                && out[u].is_some()
                && self.is_tok(ctx, units.get(u + 1), &["of", "from"])
            {
                let mut w = u + 2;
                if self.is_tok(ctx, units.get(w), &["the"]) {
                    w += 1;
                }
                if let Some(a) = self.target_at(ctx, units, &out, w) {
                    target = Some((a, Vec::new(), None));
                }
            }
            // before
            // (titles between the comma and the name are skipped: ", Lt. Col. X")
            let mut b = u;
            while b > 0 && is_role(b - 1, &[RoleClass::Title]) {
                b -= 1;
            }
            if target.is_none() && b >= 2 && self.is_tok(ctx, units.get(b - 1), &[","]) {
                // the target ends right before the comma: one unit ("the IDF") or a
                // demonym + role ("the Iraqi Defence Ministry")
                let found_at = [b - 2, b.saturating_sub(3)]
                    .into_iter()
                    .filter(|&w| w < b - 1)
                    .find_map(|w| self.target_at(ctx, units, &out, w).map(|a| (w, a)));
                if let Some((w, a)) = found_at {
                    let mut v = w;
                    if v >= 1 && self.is_tok(ctx, units.get(v - 1), &["the"]) {
                        v -= 1;
                    }
                    if v >= 2
                        && self.is_tok(ctx, units.get(v - 1), &["of", "for", "at"])
                        && is_role(v - 2, &[RoleClass::Title])
                    {
                        let ts = match units[v - 2].kind {
                            UKind::Dict(en) => self.entry_actor(en).sectors.clone(),
                            _ => Vec::new(),
                        };
                        target = Some((a, ts, None));
                    }
                }
            }
            if let Some((ta, ts, dc)) = target {
                let mut actor = out[u]
                    .as_ref()
                    .and_then(|f| f.actor.clone())
                    .unwrap_or_else(|| self.name_actor(ctx, &units[u]));
                if actor.country.is_none() {
                    actor.country = ta.country.clone().or(dc);
                }
                if actor.sectors.is_empty() {
                    actor.sectors = match ta.sectors.is_empty() {
                        false
                            if ta.sectors.first().map(String::as_str) != Some("GOV")
                                || ts.is_empty() =>
                        {
                            ta.sectors.clone()
                        }
                        _ => ts,
                    };
                }
                used[u] = true;
                out[u] = Some(Found {
                    s: units[u].s,
                    e: units[u].e,
                    kind: EntityKind::Per,
                    actor: Some(actor),
                    source: "rule",
                });
            }
        }

        // --- P2/P3: [modifier-adjectives] [Country|Demonym|Org ['s]] [modifier-adjectives] Role+
        let mut u = 0;
        while u < n {
            if used[u] {
                u += 1;
                continue;
            }
            let start = u;
            let mut v = u;
            while v < n && !used[v] && is_role(v, &[RoleClass::Modifier]) {
                v += 1;
            }
            let mut modi: Option<(usize, Actor, bool)> = None;
            if v < n && !used[v] {
                let possessive_person = self.is_tok(ctx, units.get(v + 1), &["'s", "’s"])
                    && matches!(units[v].kind, UKind::Dict(en) if matches!(self.entry_kind(en), EntryKind::Named(EntityKind::Per)))
                    && self
                        .entry_actor_of(&units[v])
                        .is_some_and(|a| a.country.is_some());
                let m = if possessive_person {
                    self.entry_actor_of(&units[v]).map(|a| (a, false))
                } else {
                    self.modifier_actor(&units[v])
                };
                if let Some((a, is_org)) = m {
                    let mut w = v + 1;
                    if self.is_tok(ctx, units.get(w), &["'s", "’s"]) {
                        w += 1;
                    }
                    let mut x = w;
                    while x < n && is_role(x, &[RoleClass::Modifier]) {
                        x += 1;
                    }
                    if x < n
                        && !used[x]
                        && is_role(x, &[RoleClass::Group, RoleClass::Body, RoleClass::Title])
                    {
                        modi = Some((v, a, is_org));
                        v = x;
                    }
                }
            }
            if v < n
                && !used[v]
                && is_role(v, &[RoleClass::Group, RoleClass::Body, RoleClass::Title])
            {
                let mut r_end = v;
                while r_end < n
                    && !used[r_end]
                    && is_role(
                        r_end,
                        &[RoleClass::Group, RoleClass::Body, RoleClass::Title],
                    )
                    // a plural group is not the modifier of another group or body
                    // ("forces families", "soldiers police" are verb + object)
                    && !(r_end > v
                        && is_role(r_end - 1, &[RoleClass::Group])
                        && is_role(r_end, &[RoleClass::Group, RoleClass::Body]))
                {
                    r_end += 1;
                }
                // the head is the last role word, unless an institution comes first
                // ("militia official" is the militia's, "army spokesman" the army's)
                let head_idx = (v..r_end)
                    .find(|&x| {
                        self.role_class(&units[x]) == Some(RoleClass::Body)
                            && x + 1 < r_end
                            && self.role_class(&units[x + 1]) == Some(RoleClass::Title)
                    })
                    .unwrap_or(r_end - 1);
                let head = &units[head_idx];
                let (role_actor, class) = match (head.kind.clone(), self.role_class(head)) {
                    (UKind::Dict(en), Some(c)) => (self.entry_actor(en).clone(), c),
                    _ => {
                        u += 1;
                        continue;
                    }
                };
                // "the government of Rwanda": a role followed by of + country
                if modi.is_none()
                    && !role_actor.sectors.is_empty()
                    && self.is_tok(ctx, units.get(r_end), &["of"])
                    && r_end + 1 < n
                    && !used[r_end + 1]
                    && matches!(units[r_end + 1].kind, UKind::Dict(en) if *self.entry_kind(en) == EntryKind::Country)
                {
                    if let Some((a, _)) = self.modifier_actor(&units[r_end + 1]) {
                        modi = Some((r_end + 1, a, false));
                        r_end += 2;
                    }
                }
                let span_start = if modi.is_some() || start < v {
                    units[start].s
                } else {
                    units[v].s
                };
                let (actor, source, kind) = match &modi {
                    Some((_, a, true)) => (a.clone(), "dict", EntityKind::Org),
                    Some((_, a, false)) => (
                        self.country_role_actor(a, &role_actor),
                        "role",
                        EntityKind::Org,
                    ),
                    None => {
                        // "Kurdish-led forces", "Iran-backed troops": proxies, not a state military
                        let proxy = (start.saturating_sub(1)..v).filter(|&x| x < n).any(|x| {
                            let t = self.unit_text(ctx, &units[x]);
                            has_relational_suffix(t)
                                || (x > 0
                                    && self.unit_text(ctx, &units[x - 1]) == "-"
                                    && has_relational_suffix(&format!("-{t}")))
                        });
                        let state = role_actor.sectors.iter().any(|x| x == "MIL");
                        if proxy && state {
                            let a = Actor {
                                name: "armed groups".to_string(),
                                sectors: vec!["UAF".to_string()],
                                ..Default::default()
                            };
                            (a, "role", kind_of_role(class))
                        } else {
                            (role_actor.clone(), "role", kind_of_role(class))
                        }
                    }
                };
                // "the war forces families to flee", "to police the streets": a verb
                let verb_use = modi.is_none()
                    && r_end == v + 1
                    && matches!(
                        self.unit_text(ctx, &units[v]),
                        "forces" | "police" | "rebels" | "guards" | "heads"
                    )
                    && units.get(r_end).is_some_and(|x| {
                        const OBJECTS: &[&str] = &[
                            "the",
                            "a",
                            "an",
                            "his",
                            "her",
                            "their",
                            "its",
                            "him",
                            "them",
                            "us",
                            "me",
                            "it",
                            "our",
                            "many",
                            "thousands",
                            "hundreds",
                            "people",
                            "families",
                            "civilians",
                            "residents",
                        ];
                        OBJECTS.contains(&ctx.tok(x.s).to_lowercase().as_str())
                    });
                let skip_bare = verb_use
                    || (modi.is_none()
                        && ((class == RoleClass::Title
                            && r_end < n
                            && self.is_name(&units[r_end]))
                            || role_actor.sectors.is_empty()));
                if !skip_bare {
                    for x in start..r_end {
                        used[x] = true;
                        out[x] = None;
                    }
                    out[start] = Some(Found {
                        s: span_start,
                        e: units[r_end - 1].e,
                        kind,
                        actor: Some(actor),
                        source,
                    });
                }
                u = r_end;
                continue;
            }
            u += 1;
        }

        // --- remaining dictionary units and runs
        for u in 0..n {
            if used[u] || out[u].is_some() {
                continue;
            }
            let unit = &units[u];
            let f = match &unit.kind {
                UKind::Dict(en) => match self.entry_kind(*en) {
                    EntryKind::Country | EntryKind::Capital => {
                        Some((EntityKind::Loc, Some(self.entry_actor(*en).clone()), "dict"))
                    }
                    EntryKind::Demonym => Some((
                        EntityKind::Norp,
                        Some(self.entry_actor(*en).clone()),
                        "dict",
                    )),
                    EntryKind::Named(k) => Some((*k, Some(self.entry_actor(*en).clone()), "dict")),
                    EntryKind::Role(_) => None,
                },
                UKind::Run {
                    head: Some(sectors),
                    country,
                } => {
                    let name = self.unit_text(ctx, unit).to_string();
                    // "Iran's Supreme National Security Council"
                    let possessor = (u >= 2 && self.is_tok(ctx, units.get(u - 1), &["'s", "’s"]))
                        .then(|| self.modifier_actor(&units[u - 2]))
                        .flatten()
                        .filter(|(_, is_org)| !is_org)
                        .and_then(|(a, _)| a.country);
                    let actor = Actor {
                        name,
                        country: country.clone().or(possessor),
                        sectors: sectors.clone(),
                        ..Default::default()
                    };
                    Some((EntityKind::Org, Some(actor), "rule"))
                }
                UKind::Run { head: None, .. } => self.classify_run(ctx, units, u),
                UKind::Tok => None,
            };
            if let Some((kind, actor, source)) = f {
                out[u] = Some(Found {
                    s: unit.s,
                    e: unit.e,
                    kind,
                    actor,
                    source,
                });
            }
        }
        out.into_iter().flatten().collect()
    }

    /// Actor a person-name unit stands for (dictionary entry, or its own text).
    fn name_actor(&self, ctx: &DocCtx, u: &Unit) -> Actor {
        match u.kind {
            UKind::Dict(en) => self.entry_actor(en).clone(),
            _ => Actor {
                name: self.unit_text(ctx, u).to_string(),
                ..Default::default()
            },
        }
    }

    /// Actor of an apposition target starting at unit `w`: a coded unit, or a
    /// demonym/country followed by a role (`the Iraqi Defence Ministry`).
    fn target_at(
        &self,
        ctx: &DocCtx,
        units: &[Unit],
        out: &[Option<Found>],
        w: usize,
    ) -> Option<Actor> {
        let u = units.get(w)?;
        if let Some((country, false)) = self.modifier_actor(u) {
            let mut x = w + 1;
            while units.get(x).and_then(|y| self.role_class(y)) == Some(RoleClass::Modifier) {
                x += 1;
            }
            if let Some(y) = units.get(x) {
                if matches!(
                    self.role_class(y),
                    Some(RoleClass::Body | RoleClass::Group | RoleClass::Title)
                ) {
                    if let UKind::Dict(en) = y.kind {
                        return Some(self.country_role_actor(&country, self.entry_actor(en)));
                    }
                }
            }
        }
        self.target_actor(ctx, u, &out[w])
    }

    /// Actor of an apposition target (org, country, or an already coded person).
    fn target_actor(&self, ctx: &DocCtx, u: &Unit, found: &Option<Found>) -> Option<Actor> {
        if let Some(a) = found.as_ref().and_then(|f| f.actor.clone()) {
            return Some(a);
        }
        match &u.kind {
            UKind::Dict(en) => match self.entry_kind(*en) {
                EntryKind::Named(_) | EntryKind::Country | EntryKind::Capital => {
                    Some(self.entry_actor(*en).clone())
                }
                _ => None,
            },
            UKind::Run {
                head: Some(sectors),
                country,
            } => Some(Actor {
                name: self.unit_text(ctx, u).to_string(),
                country: country.clone(),
                sectors: sectors.clone(),
                ..Default::default()
            }),
            _ => None,
        }
    }

    /// Kind of an unknown capitalised run without title or org head.
    fn classify_run(
        &self,
        ctx: &DocCtx,
        units: &[Unit],
        u: usize,
    ) -> Option<(EntityKind, Option<Actor>, &'static str)> {
        let unit = &units[u];
        let len = unit.e - unit.s;
        let toks: Vec<&str> = (unit.s..unit.e).map(|k| ctx.tok(k)).collect();
        let particle = toks
            .iter()
            .any(|t| PARTICLES.contains(t) || is_particle_prefixed(t));
        let next_is_speech = units
            .get(u + 1)
            .is_some_and(|x| matches!(x.kind, UKind::Tok) && SPEECH_VERBS.contains(&ctx.tok(x.s)));
        // "in the Jurf al-Sakhar region", "near Tal Abyad": a place, not an actor
        let mut p = u;
        if p > 0 && self.is_tok(ctx, units.get(p - 1), &["the"]) {
            p -= 1;
        }
        // "in Hilde Wiese's family": a possessive two-word name is a person
        let possessive = len == 2 && self.is_tok(ctx, units.get(u + 1), &["'s", "’s"]);
        let after_spatial =
            p > 0 && !possessive && self.is_tok(ctx, units.get(p - 1), SPATIAL_PREPS);
        // "El Fasher", "Al Qusayr": a run opening with an article is a place name
        // unless it speaks ("al-Sharaa said")
        let first = toks[0];
        let article_first = len <= 3
            && (matches!(first, "El" | "Al" | "al" | "el")
                || ["Al-", "El-", "al-", "el-"]
                    .iter()
                    .any(|p| first.starts_with(p)));
        let last = toks[len - 1];
        let place_head =
            PLACE_HEADS.contains(&last) || (len >= 2 && PLACE_FIRST.contains(&toks[0]));
        if (after_spatial || article_first || place_head) && !next_is_speech {
            return Some((EntityKind::Loc, None, "rule"));
        }
        let person =
            particle || (2..=4).contains(&len) || (next_is_speech && (1..=4).contains(&len));
        if person
            && toks.iter().all(|t| {
                t.chars().any(|c| c.is_lowercase())
                    || t.chars().count() <= 1
                    || (t.chars().count() == 2 && t.ends_with('.'))
            })
        {
            let actor = Actor {
                name: self.unit_text(ctx, unit).to_string(),
                ..Default::default()
            };
            return Some((EntityKind::Per, Some(actor), "rule"));
        }
        if len >= 2 {
            return Some((EntityKind::Misc, None, "rule"));
        }
        None
    }

    /// In-document alias resolution: later partial mentions of a multi-token
    /// person, and acronyms introduced in parentheses.
    fn resolve_aliases(&self, ctx: &DocCtx, doc: &Document, found: &mut Vec<(usize, Found)>) {
        type Keys = HashMap<String, Option<(Actor, EntityKind)>>;
        let mut keys: Keys = HashMap::new();
        let add = |k: String, a: &Actor, kind: EntityKind, keys: &mut Keys| match keys.get(&k) {
            Some(Some((b, _))) if b.key() != a.key() => {
                keys.insert(k, None); // ambiguous
            }
            Some(_) => {}
            None => {
                keys.insert(k, Some((a.clone(), kind)));
            }
        };
        found.sort_by_key(|(_, f)| f.s);
        for (_, f) in found.iter() {
            let Some(a) = &f.actor else { continue };
            if f.kind == EntityKind::Per && f.e - f.s >= 2 {
                let toks: Vec<&str> = (f.s..f.e).map(|k| ctx.tok(k)).collect();
                let last = toks[toks.len() - 1];
                add(fold(last, false), a, f.kind, &mut keys);
                if let Some(p) = last.find('-') {
                    let stem = &last[p + 1..];
                    if is_particle_prefixed(last) && stem.chars().count() >= 3 {
                        add(fold(stem, false), a, f.kind, &mut keys);
                    }
                }
                if toks.len() >= 3 && matches!(toks[0], "Abu" | "Umm" | "Abou") {
                    add(
                        fold(&format!("{} {}", toks[0], toks[1]), false),
                        a,
                        f.kind,
                        &mut keys,
                    );
                }
                if toks.len() >= 3 {
                    add(
                        fold(&format!("{} {}", toks[toks.len() - 2], last), false),
                        a,
                        f.kind,
                        &mut keys,
                    );
                }
            }
            // head word of a multi-word organisation: "the Coalition", "the Observatory"
            if f.kind == EntityKind::Org && f.e - f.s >= 2 {
                for k in f.s..f.e {
                    let w = ctx.tok(k);
                    if ORG_SHORT_HEADS.contains(&w) {
                        add(w.to_string(), a, f.kind, &mut keys);
                    }
                }
            }
            // acronym in parentheses right after an org / coded entity: "... (SOHR)"
            if f.e + 2 < ctx.spans.len() && ctx.tok(f.e) == "(" && ctx.tok(f.e + 2) == ")" {
                let acr = ctx.tok(f.e + 1);
                let surface = &ctx.text[ctx.spans[f.s].start..ctx.spans[f.e - 1].end];
                if acr.len() >= 2
                    && acr
                        .chars()
                        .all(|c| c.is_uppercase() || c == '.' || c.is_ascii_digit())
                    && acronym_fits(acr, surface)
                {
                    add(fold(acr, false), a, f.kind, &mut keys);
                }
            }
        }
        if keys.is_empty() {
            return;
        }
        let mut covered = vec![false; ctx.spans.len()];
        for (_, f) in found.iter() {
            for c in covered.iter_mut().take(f.e).skip(f.s) {
                *c = true;
            }
        }
        let mut new: Vec<(usize, Found)> = Vec::new();
        // replace single-token/partial runs (rule entities) and fill uncovered tokens
        let mut replaced: HashSet<usize> = HashSet::new();
        for (idx, (_, f)) in found.iter().enumerate() {
            if f.source != "rule" || f.e - f.s > 2 {
                continue;
            }
            let text = fold(
                &(f.s..f.e).map(|k| ctx.tok(k)).collect::<Vec<_>>().join(" "),
                false,
            );
            if let Some(Some((a, kind))) = keys.get(&text) {
                if f.actor.as_ref().is_some_and(|x| x.key() == a.key()) {
                    continue;
                }
                replaced.insert(idx);
                new.push((
                    0,
                    Found {
                        s: f.s,
                        e: f.e,
                        kind: *kind,
                        actor: Some(a.clone()),
                        source: "coref",
                    },
                ));
            }
        }
        for (si, sent) in doc.sentences.iter().enumerate() {
            let (s, e) = (
                sent.tokens.start.min(ctx.spans.len()),
                sent.tokens.end.min(ctx.spans.len()),
            );
            let mut k = s;
            while k < e {
                if covered[k] || !is_capitalised(ctx.tok(k)) {
                    k += 1;
                    continue;
                }
                // try two tokens, then one
                let mut hit = None;
                if k + 1 < e && !covered[k + 1] {
                    let two = fold(&format!("{} {}", ctx.tok(k), ctx.tok(k + 1)), false);
                    if let Some(Some(a)) = keys.get(&two) {
                        hit = Some((2, a.clone()));
                    }
                }
                if hit.is_none() {
                    if let Some(Some(a)) = keys.get(&fold(ctx.tok(k), false)) {
                        hit = Some((1, a.clone()));
                    }
                }
                if let Some((len, (a, kind))) = hit {
                    new.push((
                        si,
                        Found {
                            s: k,
                            e: k + len,
                            kind,
                            actor: Some(a),
                            source: "coref",
                        },
                    ));
                    k += len;
                } else {
                    k += 1;
                }
            }
        }
        if !replaced.is_empty() {
            let mut i = 0;
            found.retain(|_| {
                let keep = !replaced.contains(&i);
                i += 1;
                keep
            });
        }
        // sentence index for replaced entries
        for (si, f) in new.iter_mut() {
            if *si == 0 {
                *si = doc.sentence_of(ctx.spans[f.s].start).unwrap_or(0);
            }
        }
        found.extend(new);
    }
}

/// Determiners and possessives that make a bare role a reference to an actor
/// already named ("the faction", "his fighters", "the army").
const DEFINITE: &[&str] = &[
    "the", "his", "its", "their", "this", "that", "her", "these", "those",
];

impl EntityStage {
    /// Definite role mentions ("the faction said", "its fighters", "the army") take the
    /// actor of the nearest earlier entity (within 5 sentences) coded with the role's
    /// main sector and a country: a person for a singular title ("the president"), an
    /// organisation or country otherwise. Civilians and media are never resolved.
    fn resolve_definites(&self, ctx: &DocCtx, found: &mut [(usize, Found)]) {
        for i in 0..found.len() {
            let (si, f) = &found[i];
            // "the Defence Ministry of X" is specified by its complement
            let complement = f.e < ctx.spans.len() && matches!(ctx.tok(f.e), "of" | "in");
            if f.source != "role"
                || f.s == 0
                || complement
                || !DEFINITE.contains(&ctx.tok(f.s - 1).to_lowercase().as_str())
            {
                continue;
            }
            let Some(a) = &f.actor else { continue };
            if a.country.is_some() {
                continue;
            }
            let Some(main) = a.sectors.first().cloned() else {
                continue;
            };
            if main == "CVL" || main == "MED" {
                continue;
            }
            let si = *si;
            let is_title = |t: &str| {
                self.dict.lookup_entry(t).map(|e| {
                    self.dict.entries[e as usize].kind == EntryKind::Role(RoleClass::Title)
                })
            };
            let whole = &ctx.text[ctx.spans[f.s].start..ctx.spans[f.e - 1].end];
            let title = is_title(whole)
                .or_else(|| is_title(ctx.tok(f.e - 1)))
                .unwrap_or(false);
            let hit = found[..i]
                .iter()
                .rev()
                .take_while(|(sj, _)| si.saturating_sub(*sj) <= 5)
                // persons for titles; organisations (not bare country/place names) otherwise
                .filter(|(_, g)| {
                    if title {
                        g.kind == EntityKind::Per
                    } else {
                        g.kind == EntityKind::Org
                    }
                })
                .filter_map(|(_, g)| g.actor.as_ref())
                .find(|b| b.country.is_some() && b.sectors.contains(&main))
                .cloned();
            if let Some(mut b) = hit {
                b.text = String::new();
                found[i].1.actor = Some(b);
                found[i].1.source = "coref";
            }
        }
    }

    /// When every country-coded entity of the document names one and the same
    /// country, bare state roles ("the army", "police", "the government") belong to
    /// it: "Syrian troops ... police said" → "Syria police".
    fn default_country(&self, found: &mut [(usize, Found)]) {
        let mut only: Option<String> = None;
        for (_, f) in found.iter() {
            // news agencies and NGOs do not set the story's country
            let outside = f.actor.as_ref().is_some_and(|a| {
                !a.sectors.is_empty()
                    && a.sectors
                        .iter()
                        .all(|x| matches!(x.as_str(), "MED" | "NGO" | "IGO"))
            });
            if outside {
                continue;
            }
            if let Some(c) = f.actor.as_ref().and_then(|a| a.country.as_ref()) {
                match &only {
                    None => only = Some(c.clone()),
                    Some(o) if o != c => return,
                    _ => {}
                }
            }
        }
        let Some(iso) = only else { return };
        let country = Actor {
            name: String::new(),
            country: Some(iso),
            ..Default::default()
        };
        for (_, f) in found.iter_mut() {
            let unknown_org = f.source == "rule" && f.kind == EntityKind::Org;
            let titled_person = f.source == "rule" && f.kind == EntityKind::Per;
            if f.source != "role" && !unknown_org && !titled_person {
                continue;
            }
            let Some(a) = &f.actor else { continue };
            let state = a
                .sectors
                .iter()
                .any(|x| matches!(x.as_str(), "GOV" | "MIL" | "COP" | "JUD" | "LEG" | "SPY"));
            if a.country.is_none() && state {
                f.actor = Some(if unknown_org || titled_person {
                    // "Ministry of Interior", "Lands Minister X" keep their names and gain the country
                    Actor {
                        country: country.country.clone(),
                        ..a.clone()
                    }
                } else {
                    self.country_role_actor(&country, a)
                });
            }
        }
    }
}
