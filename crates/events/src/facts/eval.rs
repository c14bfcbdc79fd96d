//! Measurements against the shared evaluation data (PolNeAR quotes, ACLED
//! notes). Takes `/work/shared/eval` (or `$CHRONICLE_EVAL`), prints P/R and
//! checks floors; skips with a message when the data is absent.

use super::{CasualtyStage, QuoteStage};
use chronicle_core::{CasualtyKind, Document, Metadata, Span, Stage};
use std::path::PathBuf;

fn eval_dir() -> Option<PathBuf> {
    let d = std::env::var_os("CHRONICLE_EVAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/eval"));
    d.is_dir().then_some(d)
}

fn char_to_byte(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

struct Gold {
    content: Span,
    source: Option<Span>,
    cue: Option<Span>,
}

fn parse_ann(ann: &str, c2b: &[usize]) -> Vec<Gold> {
    use std::collections::HashMap;
    let mut t: HashMap<&str, Span> = HashMap::new();
    let mut out = Vec::new();
    let conv = |c: usize| c2b.get(c).copied();
    for line in ann.lines() {
        let mut parts = line.split('\t');
        let (Some(id), Some(meta)) = (parts.next(), parts.next()) else {
            continue;
        };
        if id.starts_with('T') {
            let mut m = meta.split([' ', ';']);
            let _label = m.next();
            let nums: Vec<usize> = m.filter_map(|x| x.parse().ok()).collect();
            if let (Some(&s), Some(&e)) = (nums.first(), nums.last()) {
                if let (Some(s), Some(e)) = (conv(s), conv(e)) {
                    if s <= e {
                        t.insert(id, Span::new(s, e));
                    }
                }
            }
        }
    }
    for line in ann.lines() {
        let mut parts = line.split('\t');
        let (Some(id), Some(meta)) = (parts.next(), parts.next()) else {
            continue;
        };
        if !id.starts_with('E') {
            continue;
        }
        let mut content = None;
        let mut source = None;
        let mut cue = None;
        for kv in meta.split_whitespace() {
            if let Some(x) = kv.strip_prefix("Content:") {
                content = t.get(x).copied();
            } else if let Some(x) = kv.strip_prefix("Source:") {
                source = t.get(x).copied();
            } else if let Some(x) = kv.strip_prefix("Cue:") {
                cue = t.get(x).copied();
            }
        }
        if let Some(content) = content {
            out.push(Gold {
                content,
                source,
                cue,
            });
        }
    }
    out
}

fn jaccard(a: Span, b: Span) -> f64 {
    let inter = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    let union = a.end.max(b.end) - a.start.min(b.start);
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// PolNeAR dev: attribution content spans (direct, indirect, mixed) and their
/// source spans, no NER layer (the fallback paths are what is measured).
#[test]
fn polnear_dev_quotes() {
    polnear(false);
}

/// The same with sentences and a crude name tagger standing in for the nlp
/// stage (capitalised runs as PER, or ORG with an organisation word), to
/// exercise the entity paths of speaker resolution.
#[test]
fn polnear_dev_quotes_with_pseudo_entities() {
    polnear(true);
}

fn pseudo_nlp(doc: &mut Document) {
    use chronicle_core::{Entity, EntityKind, Sentence};
    let spans = super::sentence_spans(doc);
    doc.sentences = spans
        .iter()
        .map(|s| Sentence {
            span: *s,
            tokens: 0..0,
        })
        .collect();
    let re =
        regex::Regex::new(r"(?-u:\b)[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|al-[A-Z][a-z]+|[A-Z]\.)){1,3}")
            .unwrap();
    let org = [
        "Party",
        "Department",
        "Committee",
        "Campaign",
        "News",
        "Post",
        "Times",
        "Council",
        "Senate",
        "House",
        "Agency",
        "Commission",
        "Court",
        "University",
        "Institute",
        "Foundation",
        "Association",
        "Service",
        "Bureau",
        "Journal",
    ];
    let skip = [
        "The", "But", "And", "In", "On", "At", "If", "When", "As", "After", "This", "That", "A",
        "An", "It", "He", "She", "They", "We", "I",
    ];
    let mut ents = Vec::new();
    for m in re.find_iter(&doc.text) {
        let t = m.as_str();
        let first = t.split_whitespace().next().unwrap_or("");
        let (start, t) = if skip.contains(&first) {
            let rest = t[first.len()..].trim_start();
            if !rest.contains(' ') {
                continue;
            }
            (m.end() - rest.len(), rest)
        } else {
            (m.start(), t)
        };
        let kind = if t.split_whitespace().any(|w| org.contains(&w)) {
            EntityKind::Org
        } else {
            EntityKind::Per
        };
        let span = Span::new(start, start + t.len());
        ents.push(Entity {
            span,
            sentence: doc.sentence_of(start).unwrap_or(0),
            kind,
            text: t.to_string(),
            actor: None,
            source: "pseudo".into(),
        });
    }
    doc.entities = ents;
}

fn polnear(with_entities: bool) {
    let Some(root) = eval_dir() else {
        eprintln!("skip: evaluation data not found (set CHRONICLE_EVAL)");
        return;
    };
    let dir = root.join("polnear/dev");
    let Ok(texts) = std::fs::read_dir(dir.join("text")) else {
        eprintln!("skip: {} missing", dir.display());
        return;
    };
    let mut names: Vec<_> = texts.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    let (mut n_pred, mut n_gold, mut pred_hit, mut gold_hit, mut pred_hit_j, mut gold_hit_j) =
        (0, 0, 0, 0, 0, 0);
    let (mut src_pairs, mut src_ok) = (0, 0);
    let debug = std::env::var_os("POLNEAR_DEBUG").is_some();
    let (mut bytes, mut n_docs, mut elapsed) = (0usize, 0usize, std::time::Duration::ZERO);
    let mut per_stage = [std::time::Duration::ZERO; 3];
    // compile the lazily built regexes outside the timing
    let mut warm = Document::new(
        "warm",
        Metadata::default(),
        "“Hi,” he said on Friday. Two were killed.".into(),
    );
    let t = std::time::Instant::now();
    for stage in [&QuoteStage as &dyn Stage, &super::DateStage, &CasualtyStage] {
        stage.process(&mut warm).unwrap();
    }
    let warmup = t.elapsed();
    let mut shown = 0;
    let mut src_shown = 0;
    let mut said_shown = 0;
    let mut missed: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for path in names {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // first annotator's file
        let Ok(anns) = std::fs::read_dir(dir.join("attributions")) else {
            continue;
        };
        let mut ann_files: Vec<_> = anns
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&format!("{stem}_"))
            })
            .collect();
        ann_files.sort();
        let Some(ann_path) = ann_files.first() else {
            continue;
        };
        let ann = std::fs::read_to_string(ann_path).unwrap_or_default();
        let c2b = char_to_byte(&text);
        let gold = parse_ann(&ann, &c2b);
        bytes += text.len();
        let mut doc = Document::new(stem.clone(), Metadata::default(), text);
        if with_entities {
            pseudo_nlp(&mut doc);
        }
        let t = std::time::Instant::now();
        QuoteStage.process(&mut doc).unwrap();
        per_stage[0] += t.elapsed();
        let t1 = std::time::Instant::now();
        super::DateStage.process(&mut doc).unwrap();
        per_stage[1] += t1.elapsed();
        let t2 = std::time::Instant::now();
        CasualtyStage.process(&mut doc).unwrap();
        per_stage[2] += t2.elapsed();
        elapsed += t.elapsed();
        n_docs += 1;
        n_pred += doc.quotes.len();
        n_gold += gold.len();
        for q in &doc.quotes {
            if gold.iter().any(|g| g.content.overlaps(q.span)) {
                pred_hit += 1;
            }
            if gold.iter().any(|g| jaccard(g.content, q.span) >= 0.5) {
                pred_hit_j += 1;
            }
        }
        for g in &gold {
            let best = doc
                .quotes
                .iter()
                .filter(|q| q.span.overlaps(g.content))
                .max_by(|a, b| jaccard(a.span, g.content).total_cmp(&jaccard(b.span, g.content)));
            if best.is_none() && debug {
                let cue = g
                    .cue
                    .map(|c| doc.text[c.start..c.end].to_lowercase())
                    .unwrap_or_default();
                if (cue == "said" || cue == "says" || cue == "told") && said_shown < 25 {
                    said_shown += 1;
                    let lo = g.content.start.min(g.cue.map_or(usize::MAX, |c| c.start));
                    let hi = g.content.end.max(g.cue.map_or(0, |c| c.end));
                    let lo = super::floor_char(&doc.text, lo.saturating_sub(60));
                    let hi = super::floor_char(&doc.text, hi + 40);
                    eprintln!("MISS {:?}", &doc.text[lo..hi]);
                }
                *missed.entry(cue).or_insert(0usize) += 1;
            }
            if let Some(q) = best {
                if debug && jaccard(q.span, g.content) < 0.5 && shown < 25 {
                    shown += 1;
                    eprintln!(
                        "LOWJ {:?}\n  gold: {}\n  pred: {}",
                        q.kind,
                        &doc.text[g.content.start..g.content.end],
                        q.text
                    );
                }
                gold_hit += 1;
                if jaccard(q.span, g.content) >= 0.5 {
                    gold_hit_j += 1;
                }
                if let Some(gs) = g.source {
                    src_pairs += 1;
                    if q.speaker
                        .as_ref()
                        .and_then(|s| s.span)
                        .is_some_and(|ps| ps.overlaps(gs))
                    {
                        src_ok += 1;
                    } else if debug && src_shown < 40 {
                        src_shown += 1;
                        let sp = q
                            .speaker
                            .as_ref()
                            .and_then(|s| s.span)
                            .map(|p| &doc.text[p.start..p.end]);
                        eprintln!(
                            "SRC gold {:?} pred {:?} cue {:?} | {}",
                            &doc.text[gs.start..gs.end],
                            sp,
                            q.cue,
                            &q.text[..q
                                .text
                                .char_indices()
                                .nth(80)
                                .map_or(q.text.len(), |(i, _)| i)]
                        );
                    }
                }
            }
        }
    }
    if debug {
        let mut v: Vec<_> = missed.into_iter().collect();
        v.sort_by_key(|b| std::cmp::Reverse(b.1));
        eprintln!("missed gold cues: {:?}", &v[..v.len().min(60)]);
    }
    let p = pred_hit as f64 / n_pred.max(1) as f64;
    let r = gold_hit as f64 / n_gold.max(1) as f64;
    let pj = pred_hit_j as f64 / n_pred.max(1) as f64;
    let rj = gold_hit_j as f64 / n_gold.max(1) as f64;
    let f = |p: f64, r: f64| {
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    };
    eprintln!(
        "polnear dev (entities: {with_entities}): pred {n_pred} gold {n_gold} | overlap P {p:.3} R {r:.3} F1 {:.3} | jaccard>=0.5 P {pj:.3} R {rj:.3} F1 {:.3} | source overlap on matched {src_ok}/{src_pairs} = {:.3}",
        f(p, r),
        f(pj, rj),
        src_ok as f64 / src_pairs.max(1) as f64
    );
    eprintln!(
        "polnear dev: {n_docs} docs, {:.1} KB, all three fact stages {:.1} ms ({:.2} ms/doc; quotes {:?}, dates {:?}, casualties {:?}; one-time regex build {warmup:?})",
        bytes as f64 / 1024.0,
        elapsed.as_secs_f64() * 1000.0,
        elapsed.as_secs_f64() * 1000.0 / n_docs.max(1) as f64,
        per_stage[0],
        per_stage[1],
        per_stage[2]
    );
    assert!(n_pred > 0 && f(p, r) > 0.3, "quote extraction collapsed");
}

/// Reads an ACLED CSV: (event_date, notes, fatalities).
fn acled_rows(path: &std::path::Path) -> Vec<(String, String, u64)> {
    let Ok(mut rdr) = csv_reader(path) else {
        return Vec::new();
    };
    let headers = rdr.next().unwrap_or_default();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(d), Some(n), Some(f)) = (col("event_date"), col("notes"), col("fatalities")) else {
        return Vec::new();
    };
    rdr.filter_map(|r| {
        Some((
            r.get(d)?.clone(),
            r.get(n)?.clone(),
            r.get(f)?.trim().parse().ok()?,
        ))
    })
    .collect()
}

/// Minimal CSV reader (quoted fields, doubled quotes, newlines in quotes).
fn csv_reader(path: &std::path::Path) -> std::io::Result<std::vec::IntoIter<Vec<String>>> {
    let data = std::fs::read_to_string(path)?;
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut in_q = false;
    let mut chars = data.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, in_q) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => in_q = false,
            ('"', false) if field.is_empty() => in_q = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows.into_iter())
}

/// The note without ACLED's own fatality statement ("2 fatalities.", "There
/// were no fatalities.", "Fatalities coded as 0 ...") and size tags.
fn strip_answer(notes: &str) -> String {
    let re = regex::Regex::new(r"\[size=[^\]]*\]").unwrap();
    let notes = re.replace_all(notes, "");
    notes
        .split_inclusive(". ")
        .filter(|s| !s.to_lowercase().contains("fatalit"))
        .collect::<String>()
        .trim()
        .to_string()
}

/// ACLED notes: killed count found in the note (its fatality sentence removed)
/// against the event's `fatalities`; and the first date against `event_date`.
#[test]
fn acled_notes_fatalities_and_dates() {
    let Some(root) = eval_dir() else {
        eprintln!("skip: evaluation data not found (set CHRONICLE_EVAL)");
        return;
    };
    for file in [
        "acled-syria-battles/acled_syria_battles_2017_2023.csv",
        "acled-global-sample-2020/acled_global_2020-04-28_2020-05-09.csv",
        "acled-kenya/acled_kenya_2004_2019.csv",
        "acled-gaza/acled_gaza_2023_2025.csv",
    ] {
        let rows = acled_rows(&root.join(file));
        if rows.is_empty() {
            eprintln!("skip: {file} missing or unreadable");
            continue;
        }
        let (mut pos, mut pos_exact, mut pos_any, mut zero, mut zero_ok) = (0, 0, 0, 0, 0);
        let (mut dated, mut date_ok) = (0, 0);
        for (event_date, notes, fatalities) in &rows {
            let text = strip_answer(notes);
            let mut doc = Document::new("acled", Metadata::default(), text);
            CasualtyStage.process(&mut doc).unwrap();
            super::DateStage.process(&mut doc).unwrap();
            let killed: u64 = doc
                .casualties
                .iter()
                .filter(|c| c.kind == CasualtyKind::Killed)
                .map(|c| c.min)
                .sum();
            if *fatalities > 0 {
                pos += 1;
                pos_exact += (killed == *fatalities) as usize;
                pos_any += (killed > 0) as usize;
            } else {
                zero += 1;
                zero_ok += (killed == 0) as usize;
            }
            if let (Some(gold), Some(first)) = (parse_acled_date(event_date), doc.dates.first()) {
                dated += 1;
                if first.date.value == gold {
                    date_ok += 1;
                }
            }
        }
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        eprintln!(
            "{file}: {} notes | fatalities>0: {pos}, killed exact {:.1}%, any killed {:.1}% | fatalities=0: {zero}, no killed {:.1}% | notes with a date: {dated}, first date = event_date {:.1}%",
            rows.len(),
            pct(pos_exact, pos),
            pct(pos_any, pos),
            pct(zero_ok, zero),
            pct(date_ok, dated)
        );
        assert!(
            pct(date_ok, dated) > 80.0,
            "date extraction collapsed on {file}"
        );
        assert!(
            pos == 0 || pct(pos_any, pos) > 40.0,
            "casualty extraction collapsed on {file}"
        );
    }
}

fn parse_acled_date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%d %B %Y")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s.trim(), "%d-%b-%y"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(s.trim(), "%d-%m-%y"))
        .ok()
}

#[test]
#[ignore]
fn acled_debug_dump() {
    let Some(root) = eval_dir() else { return };
    let file = std::env::var("ACLED_FILE")
        .unwrap_or("acled-syria-battles/acled_syria_battles_2017_2023.csv".into());
    let rows = acled_rows(&root.join(file));
    let (mut nd, mut nk) = (0, 0);
    for (event_date, notes, fatalities) in rows.iter() {
        let text = strip_answer(notes);
        let mut doc = Document::new("acled", Metadata::default(), text.clone());
        CasualtyStage.process(&mut doc).unwrap();
        super::DateStage.process(&mut doc).unwrap();
        let killed: u64 = doc
            .casualties
            .iter()
            .filter(|c| c.kind == CasualtyKind::Killed)
            .map(|c| c.min)
            .sum();
        let gold = parse_acled_date(event_date);
        if nd < 5 && gold.is_some() && doc.dates.first().map(|d| d.date.value) != gold {
            nd += 1;
            eprintln!(
                "DATE {event_date} {:?} | {}",
                doc.dates.first().map(|d| (&d.text, d.date.value)),
                &text[..text.len().min(200)]
            );
        }
        if std::env::var_os("ACLED_FP").is_some() && *fatalities == 0 && killed > 0 && nk < 40 {
            nk += 1;
            let got: Vec<_> = doc
                .casualties
                .iter()
                .map(|c| (c.kind, c.min, c.text.clone()))
                .collect();
            eprintln!("FP {got:?} | {}", &text[..text.len().min(300)]);
            continue;
        }
        if nk < 40 && *fatalities > 0 && killed != *fatalities {
            nk += 1;
            let got: Vec<_> = doc
                .casualties
                .iter()
                .map(|c| (c.kind, c.min, c.text.clone()))
                .collect();
            eprintln!(
                "KILL gold {fatalities} got {killed} {got:?} | {}",
                &text[..text.len().min(400)]
            );
        }
    }
}

/// Print what the three stages find in a text file: `FACTS_FILE=path
/// [FACTS_PUBLISHED=YYYY-MM-DD] cargo test -p chronicle-events facts_dump -- --ignored --nocapture`.
#[test]
#[ignore]
fn facts_dump() {
    let Some(path) = std::env::var_os("FACTS_FILE") else {
        eprintln!("skip: set FACTS_FILE");
        return;
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skip: cannot read {path:?}");
        return;
    };
    let mut meta = Metadata::default();
    if let Some(d) = std::env::var("FACTS_PUBLISHED")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
    {
        meta.published = d.and_hms_opt(12, 0, 0).map(|t| t.and_utc());
    }
    let mut doc = Document::new("dump", meta, text);
    super::DateStage.process(&mut doc).unwrap();
    QuoteStage.process(&mut doc).unwrap();
    CasualtyStage.process(&mut doc).unwrap();
    for d in &doc.dates {
        eprintln!(
            "DATE {:?} -> {} {:?} {:?}",
            d.text, d.date.value, d.date.end, d.date.granularity
        );
    }
    for c in &doc.casualties {
        eprintln!(
            "CAS {:?} {} {}-{} {:?} src={:?} | {}",
            c.kind, c.text, c.min, c.max, c.qualifier, c.source, c.sentence
        );
    }
    for q in &doc.quotes {
        eprintln!(
            "QUOTE {:?} cue={:?} speaker={:?}/{:?} | {}",
            q.kind,
            q.cue,
            q.speaker.as_ref().map(|s| &s.name),
            q.speaker.as_ref().and_then(|s| s.surface.as_ref()),
            q.text
        );
    }
    eprintln!("warnings: {:?}", doc.warnings);
}
