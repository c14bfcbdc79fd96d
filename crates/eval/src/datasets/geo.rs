//! Geoparsing gold (LGL, GeoWebNews): reads the XML, runs each article through the
//! pipeline, and scores toponym recognition (exact character-span P/R/F1) and
//! resolution: end to end (over gold toponyms whose span was found exactly:
//! acc@161 km, median / mean km error, Gritta AUC, GeoNames-id exact match) and
//! "given gold spans" (every gold toponym with coordinates is resolved by
//! `chronicle_geo::GeoStage::resolve_spans` on the pipeline-annotated document, so
//! its entities and places give the context; a span left unresolved counts as the
//! maximum error; the "(overlapped only)" rows are over the resolved spans). Without
//! the pipeline (unit tests, fake systems) the gold-span prediction is the predicted
//! place overlapping the gold span.
//! GeoWebNews types Demonym, Language, Homonym and Non_Toponym are not toponyms.

use super::{quick_take, read_string, Ctx};
use crate::metrics::{byte_to_char_span, distance_stats, ratio, Prf, MAX_ERROR_KM};
use crate::report::Row;
use crate::system::text_doc;
use chronicle_core::{haversine_km, Document};
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct Toponym {
    /// Character offsets into the article text.
    pub start: usize,
    pub end: usize,
    pub coords: Option<(f64, f64)>,
    pub geonames_id: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub text: String,
    pub toponyms: Vec<Toponym>,
}

const NOT_TOPONYM: [&str; 4] = ["Demonym", "Language", "Homonym", "Non_Toponym"];

fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.children().find(|c| c.has_tag_name(name))
}
fn child_text(n: roxmltree::Node, name: &str) -> Option<String> {
    child(n, name)
        .and_then(|c| c.text())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Parse LGL or GeoWebNews XML (the schema is detected per toponym).
pub fn parse(xml: &str, corpus: &str) -> anyhow::Result<Vec<Article>> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| anyhow::anyhow!("{corpus}: XML: {e}"))?;
    let mut out = Vec::new();
    for (i, a) in doc
        .descendants()
        .filter(|n| n.has_tag_name("article"))
        .enumerate()
    {
        let id = a
            .attribute("docid")
            .or(a.attribute("file"))
            .map(String::from)
            .unwrap_or_else(|| i.to_string());
        let text = child(a, "text")
            .map(|t| t.text().unwrap_or("").to_string())
            .unwrap_or_default();
        let mut tops = Vec::new();
        if let Some(ts) = child(a, "toponyms") {
            for t in ts.children().filter(|c| c.has_tag_name("toponym")) {
                let num = |k: &str| child_text(t, k).and_then(|s| s.parse::<usize>().ok());
                let (Some(start), Some(end)) = (num("start"), num("end")) else {
                    continue;
                };
                if let Some(ty) = child_text(t, "type") {
                    if NOT_TOPONYM.contains(&ty.as_str()) {
                        continue;
                    }
                }
                let (coords, gid) = if let Some(g) = child(t, "gaztag") {
                    let f = |k: &str| child_text(g, k).and_then(|s| s.parse::<f64>().ok());
                    let c = f("lat").zip(f("lon"));
                    (
                        c,
                        g.attribute("geonameid").and_then(|s| s.trim().parse().ok()),
                    )
                } else {
                    let f = |k: &str| child_text(t, k).and_then(|s| s.parse::<f64>().ok());
                    (
                        f("latitude").zip(f("longitude")),
                        child_text(t, "geonamesID").and_then(|s| s.parse().ok()),
                    )
                };
                tops.push(Toponym {
                    start,
                    end,
                    coords,
                    geonames_id: gid,
                });
            }
        }
        out.push(Article {
            id: format!("{corpus}#{id}"),
            text,
            toponyms: tops,
        });
    }
    Ok(out)
}

/// Accumulated geoparsing scores.
#[derive(Debug, Default, Clone)]
pub struct GeoScore {
    pub spans: Prf,
    pub e2e_errors: Vec<f64>,
    pub id_match: usize,
    pub id_total: usize,
    pub gold_span_errors: Vec<f64>,
    /// Errors for gold toponyms that some predicted place overlaps (no penalty for misses).
    pub overlap_errors: Vec<f64>,
    /// Gold toponyms with a GeoNames id, and those whose overlapping prediction has it.
    pub gold_span_id_total: usize,
    pub gold_span_id_match: usize,
}

impl GeoScore {
    /// Add one article: gold toponyms vs predicted toponyms (same shape; `coords`
    /// and `geonames_id` are the resolution); the gold-span rows use the predicted
    /// place overlapping each gold span.
    pub fn add(&mut self, gold: &[Toponym], pred: &[Toponym]) {
        self.add_given(gold, pred, None);
    }

    /// Like [`GeoScore::add`]; with `given`, the gold-span rows use it instead: the
    /// resolution of each gold toponym (same order as `gold`, `None` = unresolved).
    pub fn add_given(
        &mut self,
        gold: &[Toponym],
        pred: &[Toponym],
        given: Option<&[Option<Toponym>]>,
    ) {
        let exact = |g: &Toponym| pred.iter().find(|p| p.start == g.start && p.end == g.end);
        let tp = gold.iter().filter(|g| exact(g).is_some()).count();
        let pred_tp = pred
            .iter()
            .filter(|p| gold.iter().any(|g| g.start == p.start && g.end == p.end))
            .count();
        self.spans
            .add(Prf::new(tp, pred.len() - pred_tp, gold.len() - tp));
        for g in gold {
            let hit = exact(g);
            if let (Some(gc), Some(p)) = (g.coords, hit) {
                let err = p
                    .coords
                    .map(|pc| haversine_km(gc.0, gc.1, pc.0, pc.1))
                    .unwrap_or(MAX_ERROR_KM);
                self.e2e_errors.push(err);
            }
            if let (Some(gid), Some(p)) = (g.geonames_id, hit) {
                self.id_total += 1;
                if p.geonames_id == Some(gid) {
                    self.id_match += 1;
                }
            }
        }
        for (gi, g) in gold.iter().enumerate() {
            let given_one = given.map(|v| v.get(gi).cloned().flatten());
            if let Some(gid) = g.geonames_id {
                self.gold_span_id_total += 1;
                let ok = match &given_one {
                    Some(r) => r.as_ref().is_some_and(|p| p.geonames_id == Some(gid)),
                    None => pred
                        .iter()
                        .any(|p| p.start < g.end && g.start < p.end && p.geonames_id == Some(gid)),
                };
                self.gold_span_id_match += ok as usize;
            }
            if let Some(gc) = g.coords {
                let coords = match &given_one {
                    Some(r) => r.as_ref().and_then(|p| p.coords),
                    None => pred
                        .iter()
                        .find(|p| p.start < g.end && g.start < p.end && p.coords.is_some())
                        .and_then(|p| p.coords),
                };
                let err = coords.map(|pc| haversine_km(gc.0, gc.1, pc.0, pc.1));
                self.gold_span_errors.push(err.unwrap_or(MAX_ERROR_KM));
                self.overlap_errors.extend(err);
            }
        }
    }

    pub fn rows(&self, dataset: &str, split: &str, errors: usize) -> Vec<Row> {
        let n = self.spans.tp + self.spans.fn_;
        let e = distance_stats(&self.e2e_errors);
        let g = distance_stats(&self.gold_span_errors);
        let o = distance_stats(&self.overlap_errors);
        let note = if errors > 0 {
            format!("{errors} docs failed")
        } else {
            String::new()
        };
        vec![
            Row::new(dataset, split, n, "toponym P", self.spans.precision()),
            Row::new(dataset, split, n, "toponym R", self.spans.recall()),
            Row::new(dataset, split, n, "toponym F1", self.spans.f1()).with_note(note),
            Row::new(dataset, split, e.n, "e2e acc@161km", e.acc161),
            Row::new(dataset, split, e.n, "e2e median km", e.median_km),
            Row::new(dataset, split, e.n, "e2e mean km", e.mean_km),
            Row::new(dataset, split, e.n, "e2e AUC (lower better)", e.auc),
            Row::new(
                dataset,
                split,
                self.id_total,
                "e2e GeoNames-id match",
                ratio(self.id_match, self.id_total),
            ),
            Row::new(dataset, split, g.n, "gold-span acc@161km", g.acc161),
            Row::new(dataset, split, g.n, "gold-span median km", g.median_km),
            Row::new(dataset, split, g.n, "gold-span mean km", g.mean_km),
            Row::new(
                dataset,
                split,
                self.gold_span_id_total,
                "gold-span GeoNames-id match",
                ratio(self.gold_span_id_match, self.gold_span_id_total),
            ),
            Row::new(
                dataset,
                split,
                o.n,
                "gold-span acc@161km (overlapped only)",
                o.acc161,
            ),
            Row::new(
                dataset,
                split,
                o.n,
                "gold-span median km (overlapped only)",
                o.median_km,
            ),
        ]
    }
}

/// Predicted toponyms (character offsets) from a document's place mentions.
pub fn predicted(doc: &Document) -> Vec<Toponym> {
    doc.places
        .iter()
        .map(|pm| {
            let (s, e) = byte_to_char_span(&doc.text, pm.span.start, pm.span.end);
            let ok = pm.place.geonames_id != 0 || pm.place.lat != 0.0 || pm.place.lon != 0.0;
            Toponym {
                start: s,
                end: e,
                coords: ok.then_some((pm.place.lat, pm.place.lon)),
                geonames_id: (pm.place.geonames_id != 0).then_some(pm.place.geonames_id),
            }
        })
        .collect()
}

/// Resolves given toponym spans: the shipped gazetteer and `GeoStage`.
#[cfg(feature = "pipeline")]
struct SpanResolver(chronicle_geo::GeoStage);

#[cfg(feature = "pipeline")]
impl SpanResolver {
    fn load() -> Option<SpanResolver> {
        let dir = chronicle_pipeline::default_data_dir();
        match chronicle_pipeline::load_gazetteer(&dir) {
            Ok(g) => Some(SpanResolver(chronicle_geo::GeoStage::new(
                std::sync::Arc::new(g),
            ))),
            Err(e) => {
                eprintln!("warning: geoparsing gold spans: {e}; using overlapping predictions");
                None
            }
        }
    }

    /// Each gold toponym resolved on the annotated document (character offsets).
    fn resolve(&self, doc: &Document, gold: &[Toponym]) -> Vec<Option<Toponym>> {
        let c2b: Vec<usize> = doc
            .text
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(doc.text.len()))
            .collect();
        let spans: Vec<chronicle_core::Span> = gold
            .iter()
            .map(|g| {
                let s = c2b.get(g.start).copied().unwrap_or(doc.text.len());
                let e = c2b.get(g.end).copied().unwrap_or(doc.text.len()).max(s);
                chronicle_core::Span::new(s, e)
            })
            .collect();
        self.0
            .resolve_spans(doc, &spans)
            .into_iter()
            .zip(gold)
            .map(|(pm, g)| {
                pm.map(|pm| Toponym {
                    start: g.start,
                    end: g.end,
                    coords: Some((pm.place.lat, pm.place.lon)),
                    geonames_id: (pm.place.geonames_id != 0).then_some(pm.place.geonames_id),
                })
            })
            .collect()
    }
}

pub fn run(ctx: &Ctx, dir: &Path) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    #[cfg(feature = "pipeline")]
    let resolver = SpanResolver::load();
    for (file, name) in [("lgl.xml", "LGL"), ("GeoWebNews.xml", "GeoWebNews")] {
        let path = dir.join(file);
        if !path.exists() {
            rows.push(Row::skipped("geoparsing", name, "absent"));
            continue;
        }
        let arts = quick_take(parse(&read_string(&path)?, name)?, ctx.quick, 20);
        let docs = arts
            .iter()
            .map(|a| text_doc(&a.id, a.text.clone(), None))
            .collect();
        let (out, errors) = ctx.annotate(docs);
        let mut sc = GeoScore::default();
        for (a, d) in arts.iter().zip(&out) {
            #[cfg(feature = "pipeline")]
            if let Some(r) = &resolver {
                let given = r.resolve(d, &a.toponyms);
                sc.add_given(&a.toponyms, &predicted(d), Some(&given));
                continue;
            }
            sc.add(&a.toponyms, &predicted(d));
        }
        rows.extend(sc.rows("geoparsing", name, errors));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: usize, e: usize, c: Option<(f64, f64)>, id: Option<u64>) -> Toponym {
        Toponym {
            start: s,
            end: e,
            coords: c,
            geonames_id: id,
        }
    }

    #[test]
    fn perfect_and_empty() {
        let gold = vec![
            t(0, 5, Some((38.9, -77.0)), Some(42)),
            t(10, 15, Some((48.8, 2.3)), None),
        ];
        let mut p = GeoScore::default();
        p.add(&gold, &gold);
        assert_eq!(p.spans.f1(), 1.0);
        let d = distance_stats(&p.e2e_errors);
        assert_eq!((d.acc161, d.mean_km), (1.0, 0.0));
        assert_eq!((p.id_match, p.id_total), (1, 1));
        assert_eq!((p.gold_span_id_match, p.gold_span_id_total), (1, 1));
        let mut e = GeoScore::default();
        e.add(&gold, &[]);
        assert_eq!(e.spans.f1(), 0.0);
        assert!(e.e2e_errors.is_empty());
        assert_eq!(distance_stats(&e.gold_span_errors).acc161, 0.0);
    }

    #[test]
    fn wrong_resolution_counts_as_error() {
        let gold = vec![t(0, 10, Some((31.31, -92.45)), Some(1))]; // Alexandria LA
        let pred = vec![t(0, 10, Some((38.80, -77.05)), Some(2))]; // Alexandria VA
        let mut s = GeoScore::default();
        s.add(&gold, &pred);
        assert_eq!(s.spans.f1(), 1.0);
        assert!(s.e2e_errors[0] > 1000.0);
        assert_eq!(s.id_match, 0);
        // overlapping but not exact span: counts for gold-span mode only
        let mut o = GeoScore::default();
        o.add(&gold, &[t(0, 4, Some((31.31, -92.45)), None)]);
        assert_eq!(o.spans.tp, 0);
        assert!(o.gold_span_errors[0] < 1.0);
        assert_eq!(o.overlap_errors.len(), 1);
        assert_eq!((o.gold_span_id_match, o.gold_span_id_total), (0, 1));
        assert!(s.overlap_errors[0] > 1000.0);
    }

    #[test]
    fn given_resolutions_replace_overlaps() {
        let gold = vec![
            t(0, 10, Some((31.31, -92.45)), Some(1)),
            t(20, 25, Some((48.8, 2.3)), None),
        ];
        // the pipeline found neither; the given resolutions are right / missing
        let given = vec![Some(t(0, 10, Some((31.3, -92.4)), Some(1))), None];
        let mut s = GeoScore::default();
        s.add_given(&gold, &[], Some(&given));
        assert_eq!(s.spans.tp, 0);
        assert!(s.e2e_errors.is_empty());
        assert!(s.gold_span_errors[0] < 10.0);
        assert_eq!(s.gold_span_errors[1], MAX_ERROR_KM);
        assert_eq!(s.overlap_errors.len(), 1);
        assert_eq!((s.gold_span_id_match, s.gold_span_id_total), (1, 1));
    }

    #[test]
    fn parses_both_schemas() {
        let lgl = r#"<articles><article docid="7"><text>In Paris today</text><toponyms><toponym><start>3</start><end>8</end><phrase>Paris</phrase><gaztag geonameid="2988507"><lat>48.85</lat><lon>2.35</lon></gaztag></toponym></toponyms></article></articles>"#;
        let a = parse(lgl, "LGL").unwrap();
        assert_eq!(
            a[0].toponyms,
            vec![t(3, 8, Some((48.85, 2.35)), Some(2988507))]
        );
        let gwn = r#"<articles><article file="0"><text>French Paris</text><toponyms><toponym><type>Demonym</type><start>0</start><end>6</end></toponym><toponym><type>Literal</type><start>7</start><end>12</end><geonamesID/><latitude>48.8</latitude><longitude>2.3</longitude></toponym></toponyms></article></articles>"#;
        let g = parse(gwn, "GWN").unwrap();
        assert_eq!(g[0].toponyms, vec![t(7, 12, Some((48.8, 2.3)), None)]);
    }
}
