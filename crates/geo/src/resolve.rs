//! Toponym resolution and the [`GeoStage`]: takes detected candidates (see
//! `detect`) and gives `doc.places`, choosing for each toponym the gazetteer entry
//! with the best score: population, feature type, the document's country context
//! (unambiguous places, demonyms, entity actor countries), admin consistency
//! ("Homs, Syria", "Idlib province", other places in the same admin1) and distance
//! to the other places of the document. One sense per name per document.

use crate::detect::{
    detect, local_sentences, span_candidate, Candidate, CountryCue, FastMap, Source,
};
use crate::gazetteer::{Gazetteer, Hit};
use chronicle_core::{Document, PlaceMention, Result, Span, Stage};
use std::collections::HashMap;
use std::sync::Arc;

/// Weights of the resolution score (tuned on the geoparsing dev split; see
/// `examples/geoparse_eval.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// × ln(1 + population) / ln(1e7).
    pub population: f32,
    pub country: f32,
    pub admin1: f32,
    pub capital: f32,
    pub ppla: f32,
    pub ppla2: f32,
    pub admin2: f32,
    /// Penalty when the name is only an alternate name of the entry.
    pub alt_name: f32,
    /// × share of the candidate's country in the document's country evidence.
    pub country_context: f32,
    /// Candidate's admin1 is named or contains another place of the document.
    pub admin1_context: f32,
    /// Candidate's admin2 (county, district) holds another place of the document.
    pub admin2_context: f32,
    /// × closeness (1 - d/600 km) to the nearest other place of the document.
    pub distance: f32,
    /// Division candidate when the text says "X province/county...".
    pub division_hint: f32,
    /// Minimum best score to keep a weak (sentence-initial / person-like) match.
    pub weak_min: f32,
    /// Minimum best score to keep any match.
    pub min_score: f32,
    /// Detection bonus when a locative word precedes ("in X", "near X").
    pub locative: f32,
    /// Penalty for a country with no evidence when the document has other evidence.
    pub foreign: f32,
    /// Bonus for a capital / big city over its homonymous first-level division.
    pub seat_over_division: f32,
    /// Penalty for a populated place under 1% of the population of a major
    /// homonym ("Toronto", Ohio vs Toronto, Ontario).
    pub dwarf: f32,
    /// Bonus for a capital or a city of a million or more.
    pub major: f32,
    /// Population factor for divisions (their population is the sum of their places).
    pub division_pop: f32,
    /// Penalty for a populated place (under a million) named like a country
    /// ("China", Maine) unless the text names its container.
    pub town_vs_country: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            population: 0.6,
            country: 2.0,
            admin1: 1.5,
            capital: -0.2,
            ppla: 0.3,
            ppla2: 0.3,
            admin2: 0.2,
            alt_name: 0.9,
            country_context: 2.2,
            admin1_context: 0.7,
            admin2_context: 0.5,
            distance: 0.4,
            division_hint: 1.5,
            weak_min: 0.8,
            min_score: 0.7,
            locative: 0.4,
            foreign: 0.8,
            seat_over_division: 1.0,
            dwarf: 0.2,
            major: 0.5,
            division_pop: 0.4,
            town_vs_country: 1.0,
        }
    }
}

/// Fills `doc.places` from LOC entities, capitalised word sequences and datelines.
pub struct GeoStage {
    gaz: Arc<Gazetteer>,
    weights: Weights,
}

impl GeoStage {
    pub fn new(gaz: Arc<Gazetteer>) -> Self {
        GeoStage {
            gaz,
            weights: Weights::default(),
        }
    }
    pub fn with_weights(gaz: Arc<Gazetteer>, weights: Weights) -> Self {
        GeoStage { gaz, weights }
    }
    pub fn gazetteer(&self) -> &Arc<Gazetteer> {
        &self.gaz
    }
}

struct Group {
    members: Vec<usize>,
    hits: Vec<Hit>,
    /// Chosen entry and score/confidence.
    best: Option<(u32, f32, f32)>,
}

fn prior(gaz: &Gazetteer, w: &Weights, h: Hit, any_primary: bool) -> f32 {
    let e = h.entry;
    let pop = gaz.population(e) as f32;
    let code = gaz.feature_code(e);
    let pop_w = if code == "ADM1" || code == "ADM2" {
        w.population * w.division_pop
    } else {
        w.population
    };
    let mut s = pop_w * (1.0 + pop).ln() / (1e7f32).ln();
    s += match code {
        c if c.starts_with("PCL") || c == "CONT" => w.country,
        "ADM1" => w.admin1,
        "PPLC" => w.capital,
        "PPLA" => w.ppla,
        // a county seat of a few hundred people is no more likely than a town
        "PPLA2" => w.ppla2 * (pop / 5_000.0).min(1.0),
        "ADM2" => w.admin2,
        _ => 0.0,
    };
    if code == "PPLC" || (gaz.feature_class(e) == b'P' && pop >= 1e6) {
        s += w.major;
    }
    // an alternate name only loses against a candidate named so primarily
    if !h.primary && any_primary {
        s -= w.alt_name;
    }
    s
}

impl Stage for GeoStage {
    fn name(&self) -> &'static str {
        "geo"
    }

    fn process(&self, doc: &mut Document) -> Result<()> {
        let places = self.resolve(doc);
        doc.places = places;
        Ok(())
    }
}

impl GeoStage {
    /// Detect and resolve; returns the place mentions in text order.
    pub fn resolve(&self, doc: &Document) -> Vec<PlaceMention> {
        let gaz = &*self.gaz;
        let w = &self.weights;
        let (cands, cues) = detect(gaz, doc);
        if cands.is_empty() {
            return vec![];
        }
        let Ranked {
            groups,
            group_of,
            base_cues,
        } = self.rank(&cands, &cues);
        let sentence_of = sentence_index(doc);
        // countries the document is about, from exact matches and cues: a place
        // matched only by transliteration skeleton must lie in one of them
        let mut doc_countries: std::collections::HashSet<&str> =
            base_cues.keys().map(|k| k.as_str()).collect();
        for (i, c) in cands.iter().enumerate() {
            if !c.fuzzy {
                if let Some((e, _, _)) = groups[group_of[i]].best {
                    doc_countries.insert(gaz.country_iso3(e));
                }
            }
        }
        // how many groups (names) resolve into each country, cues counting as one
        let mut named_in: HashMap<&str, usize> = HashMap::new();
        for k in base_cues.keys() {
            *named_in.entry(k.as_str()).or_default() += 1;
        }
        for g in &groups {
            if g.members.iter().all(|&m| cands[m].fuzzy) {
                continue;
            }
            if let Some((e, _, _)) = g.best {
                *named_in.entry(gaz.country_iso3(e)).or_default() += 1;
            }
        }
        let mut out = vec![];
        for (i, c) in cands.iter().enumerate() {
            let g = &groups[group_of[i]];
            let Some((e, s, conf)) = g.best else { continue };
            if c.fuzzy && !doc_countries.contains(gaz.country_iso3(e)) {
                continue;
            }
            // weak evidence (a word of a longer name, a common word) for a place in
            // a country nothing else in the document names
            if c.source == Source::Raw
                && c.weak
                && !c.cued
                && !c.locative
                && !gaz.is_country(e)
                && named_in.get(gaz.country_iso3(e)).copied().unwrap_or(0) <= 1
                && named_in.len() > 1
            {
                continue;
            }
            let any_primary = g.hits.iter().any(|h| h.primary);
            let hit = g
                .hits
                .iter()
                .copied()
                .find(|h| h.entry == e)
                .unwrap_or(Hit {
                    entry: e,
                    primary: true,
                });
            let p0 = prior(gaz, w, hit, any_primary);
            if !keep(gaz, w, c, e, s, p0) {
                continue;
            }
            let mut score = conf;
            if c.org_modifier {
                score *= 0.5;
            }
            out.push(PlaceMention {
                span: c.span,
                sentence: sentence_of(c.span.start),
                text: doc.text[c.span.start..c.span.end].to_string(),
                place: gaz.place(e),
                score,
            });
        }
        out.sort_by_key(|p| p.span.start);
        out
    }

    /// Resolve toponym spans given from outside (gold annotation, another tagger):
    /// one result per span, in the order given; `None` when nothing in the span is in
    /// the gazetteer. The spans are taken as toponyms (no detection filter); the
    /// document's own detected toponyms, demonyms and entity countries still give the
    /// context (country, admin1, distance, "X, Country" containers), as in
    /// [`GeoStage::resolve`]. A detected toponym overlapping a given span gives way
    /// to it. A span naming a demonym ("Syrian") resolves to its country.
    pub fn resolve_spans(&self, doc: &Document, spans: &[Span]) -> Vec<Option<PlaceMention>> {
        let gaz = &*self.gaz;
        let (det, cues) = detect(gaz, doc);
        let mut cands: Vec<Candidate> = Vec::with_capacity(det.len() + spans.len());
        let mut remap: Vec<Option<usize>> = vec![None; det.len()];
        for (i, c) in det.iter().enumerate() {
            let exact = spans.contains(&c.span);
            if exact || !spans.iter().any(|s| s.overlaps(c.span)) {
                remap[i] = Some(cands.len());
                cands.push(c.clone());
            }
        }
        for c in cands.iter_mut() {
            c.container = c.container.and_then(|k| remap[k]);
        }
        let mut span_cand: Vec<Option<usize>> = Vec::with_capacity(spans.len());
        for &s in spans {
            let found = cands.iter().position(|c| c.span == s);
            let idx = match found {
                Some(k) => {
                    // a demonym, state abbreviation or alias read as such
                    if let Some(sc) = span_candidate(gaz, doc, s) {
                        if sc.key != cands[k].key {
                            cands[k].key = sc.key;
                            cands[k].hits = sc.hits;
                            cands[k].fuzzy = sc.fuzzy;
                            cands[k].partial = sc.partial;
                        }
                    }
                    Some(k)
                }
                None => span_candidate(gaz, doc, s).map(|c| {
                    cands.push(c);
                    cands.len() - 1
                }),
            };
            span_cand.push(idx);
        }
        // "X, Y" containers among the new candidates
        let text = doc.text.as_str();
        for k in 0..cands.len() {
            if cands[k].container.is_some() || cands[k].container_admin1.is_some() {
                continue;
            }
            let end = cands[k].span.end;
            if text.get(end..).is_some_and(|r| r.starts_with(", ")) {
                cands[k].container = cands.iter().position(|c| c.span.start == end + 2);
            }
        }
        if cands.is_empty() {
            return vec![None; spans.len()];
        }
        let Ranked {
            groups,
            group_of,
            base_cues,
        } = self.rank(&cands, &cues);
        let sentence_of = sentence_index(doc);
        // the document's focus: the most-mentioned resolved town (else division,
        // else country); an unknown local name (street, neighbourhood, river) is
        // most likely there
        let focus = {
            // the document's dominant country: cues plus resolved places
            let mut ctry: HashMap<&str, f32> = HashMap::new();
            for (c, wt) in &base_cues {
                *ctry.entry(c.as_str()).or_default() += wt;
            }
            for g in &groups {
                let Some((e, _, conf)) = g.best else { continue };
                if g.members.iter().all(|&m| cands[m].fuzzy) {
                    continue;
                }
                *ctry.entry(gaz.country_iso3(e)).or_default() +=
                    conf * (g.members.len() as f32).sqrt();
            }
            let dominant = ctry
                .iter()
                .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(c, _)| *c);
            let mut best: Option<(u32, f32)> = None;
            for (gi, g) in groups.iter().enumerate() {
                let Some((e, _, conf)) = g.best else { continue };
                if g.members.iter().all(|&m| cands[m].fuzzy) {
                    continue;
                }
                if dominant.is_some_and(|d| d != gaz.country_iso3(e)) {
                    continue;
                }
                let level = if gaz.is_country(e) || gaz.feature_code(e) == "CONT" {
                    0.0
                } else if gaz.is_admin1(e) {
                    1.0
                } else {
                    2.0
                };
                let first = g.members.iter().map(|&m| cands[m].span.start).min();
                let early = first.map_or(0.0, |p| if p < 300 { 0.5 } else { 0.0 });
                let v = level * 10.0 + g.members.len() as f32 + early + conf;
                let _ = gi;
                if best.is_none_or(|b| v > b.1) {
                    best = Some((e, v));
                }
            }
            (best.map(|b| b.0), dominant.map(|d| d.to_string()))
        };
        let (focus, dominant) = focus;
        // resolved towns of the dominant country, by text position: an unknown
        // local name (street, building) is most likely in the nearest one
        let local: Vec<(usize, u32)> = {
            let mut v: Vec<(usize, u32)> = cands
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.fuzzy)
                .filter_map(|(i, c)| {
                    let (e, _, _) = groups[group_of[i]].best?;
                    let town = gaz.feature_class(e) == b'P';
                    let home = dominant.as_deref().is_none_or(|d| d == gaz.country_iso3(e));
                    (town && home).then_some((c.span.start, e))
                })
                .collect();
            v.sort_unstable();
            v
        };
        let nearest_local = |pos: usize| -> Option<u32> {
            local
                .iter()
                .filter(|(p, _)| p.abs_diff(pos) <= NEAREST_LOCAL_BYTES)
                .min_by_key(|(p, _)| p.abs_diff(pos))
                .map(|x| x.1)
        };
        span_cand
            .iter()
            .zip(spans)
            .map(|(idx, &span)| {
                let resolved = idx.and_then(|i| {
                    let (e, _, conf) = groups[group_of[i]].best?;
                    // a transliteration or part-of-span match in a country the
                    // document is not about gives way to the local fallbacks
                    let weak = cands[i].fuzzy || cands[i].partial;
                    if weak
                        && dominant
                            .as_deref()
                            .is_some_and(|d| d != gaz.country_iso3(e))
                    {
                        return None;
                    }
                    Some((e, conf))
                });
                let (e, score) = resolved
                    .or(nearest_local(span.start).map(|e| (e, 0.1)))
                    .or(focus.map(|e| (e, 0.1)))?;
                let text = doc.text.get(span.start..span.end)?.to_string();
                Some(PlaceMention {
                    span,
                    sentence: sentence_of(span.start),
                    text,
                    place: gaz.place(e),
                    score,
                })
            })
            .collect()
    }

    /// Score every candidate group (one sense per name per document).
    fn rank(&self, cands: &[Candidate], cues: &[CountryCue]) -> Ranked {
        let gaz = &*self.gaz;
        let w = &self.weights;
        // group by key (one sense per name per document)
        let mut groups: Vec<Group> = vec![];
        let mut gidx: HashMap<&str, usize> = HashMap::new();
        for (i, c) in cands.iter().enumerate() {
            let g = *gidx.entry(c.key.as_str()).or_insert_with(|| {
                let mut hits = c.hits.clone();
                hits.sort_by_key(|h| (h.entry, !h.primary));
                hits.dedup_by_key(|h| h.entry);
                groups.push(Group {
                    members: vec![],
                    hits,
                    best: None,
                });
                groups.len() - 1
            });
            groups[g].members.push(i);
        }
        let group_of: Vec<usize> = {
            let mut v = vec![0; cands.len()];
            for (gi, g) in groups.iter().enumerate() {
                for &m in &g.members {
                    v[m] = gi;
                }
            }
            v
        };
        // explicit containers: admin1 table index / country iso3 required of a group
        let mut required: Vec<Option<Container>> = vec![None; groups.len()];
        for (i, c) in cands.iter().enumerate() {
            let g = group_of[i];
            if let Some(code) = &c.container_admin1 {
                required[g] = Some(Container::Admin1Code(code.clone()));
            } else if let Some(k) = c.container {
                let cg = group_of[k];
                required[g] = Some(Container::Group(cg));
            }
        }
        // groups named as the container of others ("Atlanta, Georgia": Georgia)
        let mut contains: Vec<Vec<usize>> = vec![vec![]; groups.len()];
        for (gi, r) in required.iter().enumerate() {
            if let Some(Container::Group(cg)) = r {
                if *cg != gi {
                    contains[*cg].push(gi);
                }
            }
        }
        let division_hint: Vec<bool> = groups
            .iter()
            .map(|g| g.members.iter().any(|&m| cands[m].division_hint))
            .collect();
        let base_cues: HashMap<String, f32> = cues.iter().fold(HashMap::new(), |mut m, (c, wt)| {
            *m.entry(c.clone()).or_default() += wt;
            m
        });

        // country evidence by slot, as `ctry` below but without hashing; codes not
        // in the gazetteer (a cue only) count in the total alone
        let no_country = gaz.country_count();
        let slot_of_entry = |e: u32| {
            gaz.country_slot_of(gaz.country_iso3(e))
                .unwrap_or(no_country)
        };
        let mut dense: Vec<f32> = vec![0.0; no_country + 1];
        // what each candidate entry brings regardless of context, once per group
        let infos: Vec<Vec<HitInfo>> = groups
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                let any_primary = g.hits.iter().any(|h| h.primary);
                let major_pop = g
                    .hits
                    .iter()
                    .filter(|h| {
                        gaz.feature_class(h.entry) == b'P'
                            && (gaz.population(h.entry) >= 1_000_000
                                || gaz.feature_code(h.entry) == "PPLC")
                    })
                    .map(|h| gaz.population(h.entry))
                    .max()
                    .unwrap_or(0);
                let has_country = g.hits.iter().any(|h| h.primary && gaz.is_country(h.entry));
                g.hits
                    .iter()
                    .map(|&h| {
                        let e = h.entry;
                        let is_country = gaz.is_country(e);
                        let is_admin1 = gaz.is_admin1(e);
                        let is_admin2 = gaz.is_admin2(e);
                        let town = gaz.feature_class(e) == b'P';
                        let pop = gaz.population(e);
                        let code = gaz.feature_code(e);
                        let iso3 = gaz.country_iso3(e);
                        let holds = !contains[gi].is_empty()
                            && (is_country || is_admin1)
                            && contains[gi].iter().any(|&x| {
                                groups[x].hits.iter().any(|h| {
                                    h.entry != e
                                        && if is_country {
                                            gaz.country_iso3(h.entry) == iso3
                                        } else {
                                            gaz.admin1_of(h.entry) == gaz.admin1_of(e)
                                        }
                                })
                            });
                        let seat = code == "PPLC" || code == "PPLA" || pop >= 100_000;
                        HitInfo {
                            entry: e,
                            prior: prior(gaz, w, h, any_primary),
                            slot: gaz.country_slot_of(iso3).unwrap_or(no_country),
                            neighbours: gaz.neighbour_slots_of_entry(e),
                            is_country,
                            is_admin1,
                            is_admin2,
                            big: is_country || code == "PPLC" || pop >= 1_000_000,
                            holds,
                            dwarf: major_pop > 0 && town && pop * 100 < major_pop,
                            town_named_like_country: has_country
                                && required[gi].is_none()
                                && town
                                && pop < 1_000_000,
                            seat_over_division: !is_country
                                && !is_admin1
                                && !is_admin2
                                && seat
                                && g.hits.iter().any(|h| {
                                    gaz.is_admin1(h.entry) && gaz.country_iso3(h.entry) == iso3
                                }),
                            admin1: gaz.admin1_of(e),
                            admin2: gaz.admin2_of(e),
                            latlon: gaz.latlon(e),
                            cos_lat: gaz.latlon(e).0.to_radians().cos(),
                        }
                    })
                    .collect()
            })
            .collect();
        let mut scored: Vec<(u32, f32)> = vec![];

        // iterate: prior-only pass, then context passes
        for pass in 0..3 {
            let mut ctry: FastMap<&str, f32> =
                base_cues.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            dense.iter_mut().for_each(|x| *x = 0.0);
            for (k, v) in &base_cues {
                if let Some(s) = gaz.country_slot_of(k) {
                    dense[s] = *v;
                }
            }
            let mut admin1s: FastMap<u32, f32> = FastMap::default();
            let mut admin2s: FastMap<u32, f32> = FastMap::default();
            // (group, lat, lon, cos of lat)
            let mut points: Vec<(usize, f64, f64, f64)> = vec![];
            if pass > 0 {
                for (gi, g) in groups.iter().enumerate() {
                    // transliteration-only matches give no context
                    if g.members.iter().all(|&m| cands[m].fuzzy) {
                        continue;
                    }
                    if let Some((e, _, conf)) = g.best {
                        let n = g.members.len() as f32;
                        *ctry.entry(gaz.country_iso3(e)).or_default() += conf * n.sqrt();
                        dense[slot_of_entry(e)] += conf * n.sqrt();
                        let a1 = gaz.admin1_of(e);
                        if a1 != u32::MAX && !gaz.is_country(e) {
                            *admin1s.entry(a1).or_default() += conf;
                        }
                        let a2 = gaz.admin2_of(e);
                        if a2 != u32::MAX {
                            *admin2s.entry(a2).or_default() += conf;
                        }
                        if !gaz.is_country(e) && !gaz.is_admin1(e) {
                            let (la, lo) = gaz.latlon(e);
                            points.push((gi, la, lo, la.to_radians().cos()));
                        }
                    }
                }
            }
            let total: f32 = ctry.values().sum::<f32>().max(1e-6);
            let prev: Vec<Option<(u32, f32, f32)>> = groups.iter().map(|g| g.best).collect();
            for gi in 0..groups.len() {
                let g = &groups[gi];
                // container filter
                let allowed = |e: u32| -> bool {
                    match &required[gi] {
                        None => true,
                        Some(Container::Admin1Code(code)) => {
                            gaz.admin1_code_of(e).is_some_and(|c| c == code)
                        }
                        Some(Container::Group(cg)) => match prev[*cg].or(groups[*cg].best) {
                            Some((ce, _, _)) if gaz.is_country(ce) => {
                                gaz.country_iso3(ce) == gaz.country_iso3(e) && ce != e
                            }
                            Some((ce, _, _)) if gaz.is_admin1(ce) => {
                                gaz.admin1_of(ce) == gaz.admin1_of(e) && ce != e
                            }
                            _ => {
                                groups[*cg].hits.iter().any(|h| {
                                    (gaz.is_country(h.entry)
                                        && gaz.country_iso3(h.entry) == gaz.country_iso3(e))
                                        || (gaz.is_admin1(h.entry)
                                            && gaz.admin1_of(h.entry) == gaz.admin1_of(e))
                                }) && !groups[*cg].hits.iter().any(|h| h.entry == e)
                            }
                        },
                    }
                };
                let any_allowed = required[gi].is_some() && g.hits.iter().any(|h| allowed(h.entry));
                // country evidence from everything but this name itself; a
                // neighbouring country's evidence counts half
                let own = prev[gi].map_or(0.0, |p| p.2 * (g.members.len() as f32).sqrt());
                let own_c = prev[gi].map(|p| slot_of_entry(p.0));
                let ev = |c: usize| (dense[c] - if own_c == Some(c) { own } else { 0.0 }).max(0.0);
                let rest_total = (total - own).max(1e-6);
                scored.clear();
                for hi in &infos[gi] {
                    let e = hi.entry;
                    if any_allowed && !allowed(e) {
                        continue;
                    }
                    let mut s = hi.prior;
                    if any_allowed {
                        s += 2.0;
                    }
                    if hi.holds {
                        s += 1.0;
                    }
                    let mut local_support = false;
                    if hi.dwarf {
                        s -= w.dwarf;
                    }
                    let share = ev(hi.slot) / rest_total;
                    let near: f32 =
                        hi.neighbours.iter().map(|&n| ev(n as usize)).sum::<f32>() / rest_total;
                    s += w.country_context * (share + 0.5 * near.min(1.0));
                    if rest_total >= 1.5 && share + near < 0.05 && !hi.big {
                        s -= w.foreign;
                        // a division's rank prior does not carry it abroad
                        if hi.is_admin1 || hi.is_admin2 {
                            s -= FOREIGN_DIVISION;
                        }
                    }
                    // a big or seat city beats its homonymous division ("Baghdad",
                    // "New York", "Washington") unless the text says "province"
                    if hi.seat_over_division && !division_hint[gi] {
                        s += w.seat_over_division;
                    }
                    // another place of the document lies in the same division
                    // (this group's own previous vote does not count)
                    let division_vote =
                        |votes: &FastMap<u32, f32>, code: u32, of: fn(&Gazetteer, u32) -> u32| {
                            code != u32::MAX
                                && votes.get(&code).is_some_and(|v| {
                                    let own = prev[gi]
                                        .filter(|p| of(gaz, p.0) == code)
                                        .map_or(0.0, |p| p.2);
                                    *v - own > 0.05
                                })
                        };
                    if !hi.is_admin1 && division_vote(&admin1s, hi.admin1, Gazetteer::admin1_of) {
                        s += w.admin1_context;
                        local_support = true;
                    }
                    // same second-level division as another place ("Paris" and
                    // "Lamar County": Paris, Texas)
                    if w.admin2_context != 0.0
                        && division_vote(&admin2s, hi.admin2, Gazetteer::admin2_of)
                    {
                        s += w.admin2_context;
                        local_support = true;
                    }
                    if w.distance != 0.0 && !hi.is_country && !hi.is_admin1 && !points.is_empty() {
                        let (la, lo) = hi.latlon;
                        // only distances under 600 km count: a latitude gap over
                        // 5.5° (> 611 km) needs no great-circle computation
                        // Between latitudes within ±70° (cos ≥ 0.342) a longitude gap
                        // over 16° is over 600 km too (haversine lower bound).
                        let far_lon = |p: &(usize, f64, f64, f64)| {
                            let mut dl = (p.2 - lo).abs();
                            if dl > 180.0 {
                                dl = 360.0 - dl;
                            }
                            dl > 16.0 && la.abs() <= 70.0 && p.1.abs() <= 70.0
                        };
                        let dmin = points
                            .iter()
                            .filter(|p| p.0 != gi && (p.1 - la).abs() <= 5.5 && !far_lon(p))
                            .map(|p| haversine_cos(la, lo, hi.cos_lat, p.1, p.2, p.3))
                            .fold(f64::INFINITY, f64::min);
                        if dmin.is_finite() {
                            s += w.distance * (1.0 - (dmin as f32) / 600.0).max(0.0);
                        }
                        local_support |= dmin < 150.0;
                    }
                    // "China" is the country unless the town has local support
                    if hi.town_named_like_country && !local_support {
                        s -= w.town_vs_country;
                    }
                    if division_hint[gi] && (hi.is_admin1 || hi.is_admin2) {
                        s += w.division_hint;
                    }
                    scored.push((e, s));
                }
                scored.sort_by(|a, b| b.1.total_cmp(&a.1));
                let best = scored.first().map(|&(e, s)| {
                    let second = scored.get(1).map_or(s - 2.0, |x| x.1);
                    let conf = 0.5 + 0.5 * ((s - second) as f64).tanh() as f32;
                    (e, s, conf)
                });
                groups[gi].best = best;
            }
        }

        Ranked {
            groups,
            group_of,
            base_cues,
        }
    }
}

/// A candidate entry's context-free facts (see `GeoStage::rank`).
struct HitInfo<'g> {
    entry: u32,
    prior: f32,
    /// Country slot (see `Gazetteer::country_slot_of`).
    slot: usize,
    neighbours: &'g [u16],
    is_country: bool,
    is_admin1: bool,
    is_admin2: bool,
    /// A country, capital or city of a million.
    big: bool,
    /// A country / first-level division holding a place the text says it contains.
    holds: bool,
    /// A populated place under 1% of the group's biggest major city.
    dwarf: bool,
    /// A town (under a million) named like a country of the group, no container named.
    town_named_like_country: bool,
    /// A capital, seat or big city with a homonymous first-level division.
    seat_over_division: bool,
    admin1: u32,
    admin2: u32,
    latlon: (f64, f64),
    cos_lat: f64,
}

/// `chronicle_core::haversine_km` with the cosines of the latitudes given (the
/// same arithmetic, so the same result).
fn haversine_cos(lat1: f64, lon1: f64, cos1: f64, lat2: f64, lon2: f64, cos2: f64) -> f64 {
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + cos1 * cos2 * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().asin()
}

/// Extra penalty for a first/second-level division in a country with no evidence
/// when the document has some ("North Side", Cayman Islands, in a Chicago story).
const FOREIGN_DIVISION: f32 = 1.0;

/// How far (bytes) an unknown local name looks for the nearest resolved town.
const NEAREST_LOCAL_BYTES: usize = 400;

struct Ranked {
    groups: Vec<Group>,
    group_of: Vec<usize>,
    base_cues: HashMap<String, f32>,
}

/// Sentence index of a byte position: the NLP sentences, else a local split.
fn sentence_index(doc: &Document) -> impl Fn(usize) -> usize + '_ {
    let local_sents = if doc.sentences.is_empty() {
        local_sentences(&doc.text)
    } else {
        vec![]
    };
    move |pos: usize| -> usize {
        if !doc.sentences.is_empty() {
            doc.sentence_of(pos).unwrap_or(0)
        } else {
            local_sents
                .partition_point(|s| s.end <= pos)
                .min(local_sents.len().saturating_sub(1))
        }
    }
}

#[derive(Debug, Clone)]
enum Container {
    Admin1Code(String),
    Group(usize),
}

/// Detection acceptance given the chosen entry, its full score `s` and its
/// context-free prior `p0`: weak matches (person-like, common words) must stand on
/// the prior alone, since document context says where a place is, not whether a
/// word is one.
fn keep(gaz: &Gazetteer, w: &Weights, c: &Candidate, e: u32, s: f32, p0: f32) -> bool {
    if c.fuzzy && !(c.locative || c.source == Source::Entity) {
        return false;
    }
    if c.source == Source::Entity || c.source == Source::Dateline || c.abbreviation {
        return true;
    }
    if c.all_caps && !gaz.is_country(e) {
        return false;
    }
    let bonus = if c.locative { w.locative } else { 0.0 };
    let s = s + bonus;
    if c.weak && !c.cued && p0 + bonus < w.weak_min {
        return false;
    }
    s >= w.min_score
}

#[cfg(test)]
mod tests {
    use super::haversine_cos;
    use chronicle_core::haversine_km;

    #[test]
    fn haversine_with_cosines_is_the_core_formula() {
        let pts: [(f64, f64); 6] = [
            (33.51, 36.29),
            (-33.87, 151.21),
            (40.71, -74.01),
            (0.0, 179.9),
            (0.0, -179.9),
            (89.0, 10.0),
        ];
        for &(a, b) in &pts {
            for &(c, d) in &pts {
                let ca = a.to_radians().cos();
                let cc = c.to_radians().cos();
                assert_eq!(haversine_cos(a, b, ca, c, d, cc), haversine_km(a, b, c, d));
            }
        }
    }
}
