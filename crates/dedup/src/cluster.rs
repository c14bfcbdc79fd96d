//! Clustering: [`InDocMerge`] turns a document's mentions into events,
//! [`CrossDocIndex`] clusters the events of many documents in memory. Both sort their
//! input by content first, so results do not depend on input order, and merge each
//! event into the best-scoring compatible cluster (greedy, against the cluster's
//! merged record, so an unlocated or country-level report cannot chain two distant
//! towns together).

use crate::compat::{affinity, compatible_in, date_bounds, scope_of, MergeConfig, Scope};
use crate::convert::mention_to_event;
use crate::ids::{assign_ids, event_id};
use crate::merge::merge_into;
use chronicle_core::{Document, Event, PloverType, Result, Stage};
use std::collections::HashMap;

/// Index of the best compatible cluster for `e` (highest affinity, then lowest index).
fn best_cluster<'a>(
    clusters: &[Event],
    candidates: impl Iterator<Item = &'a usize>,
    e: &Event,
    cfg: &MergeConfig,
    scope: Option<Scope>,
) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for &i in candidates {
        let c = &clusters[i];
        let sc = match scope.or_else(|| scope_of(c, e)) {
            Some(s) => s,
            None => continue,
        };
        if !compatible_in(c, e, cfg, sc) {
            continue;
        }
        let mut a = affinity(c, e);
        if sc == Scope::InDoc {
            // Prefer the cluster reported nearest in the text.
            let gap = c
                .mentions
                .iter()
                .flat_map(|x| {
                    e.mentions
                        .iter()
                        .map(move |y| x.sentence.abs_diff(y.sentence))
                })
                .min()
                .unwrap_or(usize::MAX);
            a += 0.5 / (1.0 + gap as f64);
        }
        let better = match best {
            None => true,
            Some((bi, ba)) => a > ba || (a == ba && i < bi),
        };
        if better {
            best = Some((i, a));
        }
    }
    best.map(|(i, _)| i)
}

/// Merges the events of one document (already in a deterministic order) into
/// clusters, then merges clusters with each other until nothing changes.
pub fn cluster_in_doc(events: Vec<Event>, cfg: &MergeConfig) -> Vec<Event> {
    let mut clusters: Vec<Event> = Vec::new();
    for e in events {
        let idx: Vec<usize> = (0..clusters.len()).collect();
        match best_cluster(&clusters, idx.iter(), &e, cfg, Some(Scope::InDoc)) {
            Some(i) => merge_into(&mut clusters[i], e),
            None => clusters.push(e),
        }
    }
    // Second pass: a later, more precise report can make two clusters compatible.
    // Sweeps until a sweep merges nothing; after a merge into `i` the scan goes on
    // from the same `j` (the merged cluster left that slot), so one sweep is O(n²).
    loop {
        let mut changed = false;
        let mut i = 0;
        while i < clusters.len() {
            let mut j = i + 1;
            while j < clusters.len() {
                if compatible_in(&clusters[i], &clusters[j], cfg, Scope::InDoc) {
                    let other = clusters.remove(j);
                    merge_into(&mut clusters[i], other);
                    changed = true;
                } else {
                    j += 1;
                }
            }
            i += 1;
        }
        if !changed {
            break;
        }
    }
    assign_ids(&mut clusters);
    clusters
}

/// Turns `doc.mentions` into events: one single-mention event per mention
/// ([`mention_to_event`]), clustered with the in-document rules. Every mention ends
/// up in exactly one event.
pub fn merge_mentions(doc: &Document, cfg: &MergeConfig) -> Vec<Event> {
    let mut order: Vec<usize> = (0..doc.mentions.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&doc.mentions[a], &doc.mentions[b]);
        (
            x.sentence,
            x.span.start,
            x.trigger.start,
            x.trigger.end,
            x.event_type,
            x.span.end,
        )
            .cmp(&(
                y.sentence,
                y.span.start,
                y.trigger.start,
                y.trigger.end,
                y.event_type,
                y.span.end,
            ))
            .then_with(|| a.cmp(&b))
    });
    let events = order
        .into_iter()
        .map(|i| mention_to_event(doc, &doc.mentions[i]))
        .collect();
    cluster_in_doc(events, cfg)
}

/// The in-document dedup stage: fills `doc.events` from `doc.mentions`.
#[derive(Debug, Clone, Default)]
pub struct InDocMerge {
    pub cfg: MergeConfig,
}

impl InDocMerge {
    pub fn new(cfg: MergeConfig) -> Self {
        InDocMerge { cfg }
    }
}

impl Stage for InDocMerge {
    fn name(&self) -> &'static str {
        "dedup-in-doc"
    }
    fn process(&self, doc: &mut Document) -> Result<()> {
        doc.events = merge_mentions(doc, &self.cfg);
        Ok(())
    }
}

/// Content-only sort key of an event (independent of insertion order): date extent
/// (undated last), type, first mention, content id.
type SortKey = (
    bool,
    Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    PloverType,
    Option<(String, usize, usize, usize)>,
    String,
);

fn sort_key(e: &Event) -> SortKey {
    let d = e.date.as_ref().map(date_bounds);
    let m = e
        .mentions
        .iter()
        .map(|m| (m.doc_id.clone(), m.start, m.end, m.sentence))
        .min();
    (d.is_none(), d, e.event_type, m, event_id(e))
}

/// Sorts events by content only; exact key ties fall back to the serialised record.
fn canonical_sort(events: Vec<Event>) -> Vec<Event> {
    let mut keyed: Vec<(SortKey, Event)> = events.into_iter().map(|e| (sort_key(&e), e)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        ka.cmp(kb).then_with(|| {
            let ja = serde_json::to_string(a).unwrap_or_default();
            let jb = serde_json::to_string(b).unwrap_or_default();
            ja.cmp(&jb)
        })
    });
    keyed.into_iter().map(|(_, e)| e).collect()
}

/// Clusters of one (type, country) bucket: all of them, and those still open to
/// dated events (date not yet left behind by the sweep).
#[derive(Default)]
struct Bucket {
    all: Vec<usize>,
    open: Vec<usize>,
}

/// In-memory cross-document clustering of a batch of events (no database).
#[derive(Debug, Clone, Default)]
pub struct CrossDocIndex {
    cfg: MergeConfig,
    events: Vec<Event>,
}

impl CrossDocIndex {
    pub fn new(cfg: MergeConfig) -> Self {
        CrossDocIndex {
            cfg,
            events: Vec::new(),
        }
    }

    /// Queues an event (usually one of a document's in-document events).
    pub fn add(&mut self, e: Event) {
        self.events.push(e);
    }

    /// Number of queued events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Clusters the queued events with the cross-document rules and returns the
    /// merged events with recomputed, unique, order-independent ids.
    pub fn into_events(self) -> Vec<Event> {
        let CrossDocIndex { cfg, events } = self;
        let events = canonical_sort(events);
        let max_days = chrono::Days::new(cfg.max_days.max(0) as u64);
        let mut clusters: Vec<Event> = Vec::new();
        // Candidates are looked up by (type, country); unlocated events only meet
        // unlocated ones (cross-document rule). Dated events arrive in date order, so
        // a cluster whose last day lies more than `max_days` before the current
        // event's first day can never match a later dated event: it leaves the
        // bucket's open list (undated events, sorted last, still see every cluster).
        let mut buckets: HashMap<(PloverType, String), Bucket> = HashMap::new();
        for e in events {
            let key = (
                e.event_type,
                e.location
                    .as_ref()
                    .map(|p| p.country.trim().to_ascii_uppercase())
                    .unwrap_or_default(),
            );
            let bucket = buckets.entry(key).or_default();
            let candidates = match e.date.as_ref().map(date_bounds) {
                Some((first, _)) => {
                    let cutoff = first.checked_sub_days(max_days).unwrap_or(first);
                    bucket.open.retain(|&i| match &clusters[i].date {
                        None => true,
                        Some(d) => date_bounds(d).1 >= cutoff,
                    });
                    &bucket.open
                }
                None => &bucket.all,
            };
            match best_cluster(&clusters, candidates.iter(), &e, &cfg, None) {
                Some(i) => merge_into(&mut clusters[i], e),
                None => {
                    bucket.all.push(clusters.len());
                    bucket.open.push(clusters.len());
                    clusters.push(e);
                }
            }
        }
        assign_ids(&mut clusters);
        clusters
    }
}
