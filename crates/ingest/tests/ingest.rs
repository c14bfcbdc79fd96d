//! End-to-end tests of chronicle-ingest: every format, detection, cleaning rules,
//! bad input and pathological input.

use chronicle_core::InputFormat;
use chronicle_ingest::{clean_text, extract_html, read_bytes, read_path, IngestOptions};
use std::path::Path;

const FIXTURE: &str = include_str!("fixtures/article.html");

fn ok_docs(
    v: Vec<Result<chronicle_core::Document, chronicle_core::RecordError>>,
) -> Vec<chronicle_core::Document> {
    v.into_iter().map(|r| r.expect("document")).collect()
}

fn paragraphs_consistent(doc: &chronicle_core::Document) {
    assert!(!doc.paragraphs.is_empty());
    let rebuilt: Vec<&str> = doc.paragraphs.iter().map(|s| doc.slice(*s)).collect();
    assert_eq!(rebuilt.join("\n\n"), doc.text);
}

#[test]
fn html_fixture_main_text_and_metadata() {
    let a = extract_html(FIXTURE.as_bytes(), "fixture.html").unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Flood waters force thousands from homes in Riverton")
    );
    assert_eq!(
        a.authors,
        vec!["Maria Lindqvist".to_string(), "Tom Okafor".to_string()]
    );
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2024-09-20T06:15:00+00:00"
    );
    assert_eq!(a.site_name.as_deref(), Some("The Valley Courier"));
    assert_eq!(
        a.canonical_url.as_deref(),
        Some("https://valley-courier.example/news/2024/09/20/riverton-floods")
    );
    assert_eq!(a.language.as_deref(), Some("en"));

    let t = &a.text;
    // standfirst, then body paragraphs, in order
    let order = [
        "Emergency services evacuated low-lying districts",
        "More than 4,000 people were moved",
        "The regional governor, Anna Berg",
        "Forecasters expect more rain",
        "\"We have never seen the water come this fast,\"",
        "Schools across the valley will stay closed",
    ];
    let mut last = 0;
    for o in order {
        let pos = t.find(o).unwrap_or_else(|| panic!("missing {o:?} in\n{t}"));
        assert!(pos >= last, "{o:?} out of order");
        last = pos;
    }
    for junk in [
        "cookies",
        "Sport",
        "Share on",
        "Harford",
        "(Reuters)",
        "Residents wade",
        "Related articles",
        "Drought warnings",
        "Stay safe everyone",
        "All rights reserved",
        "Advertisement",
        "analytics",
        "font-family",
        "\nTT\n",
    ] {
        assert!(!t.contains(junk), "junk {junk:?} kept in\n{t}");
    }
    // headline is metadata, not body
    assert!(!t.starts_with("Flood waters"));
    // paragraph breaks preserved
    assert!(t.split("\n\n").count() >= 6, "{t}");
}

#[test]
fn html_document_has_title_first_once() {
    let docs = ok_docs(read_bytes(
        "news/riverton.html",
        FIXTURE.as_bytes(),
        &IngestOptions::default(),
    ));
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(d.meta.format, InputFormat::Html);
    assert_eq!(d.meta.origin.as_deref(), Some("news/riverton.html"));
    assert!(d
        .text
        .starts_with("Flood waters force thousands from homes in Riverton\n\nEmergency services"));
    assert_eq!(d.text.matches("Flood waters force thousands").count(), 1);
    assert_eq!(
        d.meta.url.as_deref(),
        Some("https://valley-courier.example/news/2024/09/20/riverton-floods")
    );
    assert_eq!(
        d.id,
        chronicle_core::ids::document_id(None, d.meta.url.as_deref(), &d.text)
    );
    assert_eq!(d.content_hash, chronicle_core::ids::content_hash(&d.text));
    paragraphs_consistent(d);
}

#[test]
fn plain_text_document() {
    let raw = "Troops entered the town of Kessa on Monday.\r\n\r\nTroops entered the town of Kessa on Monday.\r\n\r\nResidents said shops were closed.\r\n";
    let opts = IngestOptions {
        source: Some("wire".into()),
        ..Default::default()
    };
    let docs = ok_docs(read_bytes("a.txt", raw.as_bytes(), &opts));
    let d = &docs[0];
    assert_eq!(d.meta.format, InputFormat::Text);
    assert_eq!(
        d.text,
        "Troops entered the town of Kessa on Monday.\n\nResidents said shops were closed."
    );
    assert_eq!(d.meta.source.as_deref(), Some("wire"));
    assert_eq!(d.meta.title, None, "a sentence is not a headline");
    let h = ok_docs(read_bytes(
        "h.txt",
        b"Ceasefire Holds in Kessa\n\nThe ceasefire held overnight.\n\nCeasefire Holds in Kessa",
        &opts,
    ));
    assert_eq!(h[0].meta.title.as_deref(), Some("Ceasefire Holds in Kessa"));
    assert_eq!(
        h[0].text,
        "Ceasefire Holds in Kessa\n\nThe ceasefire held overnight."
    );
    assert!(d.warnings.iter().any(|w| w.contains("publication date")));
    paragraphs_consistent(d);
}

#[test]
fn published_option_only_fills_missing_dates() {
    let when = chrono::DateTime::parse_from_rfc3339("2020-01-02T00:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let opts = IngestOptions {
        published: Some(when),
        ..Default::default()
    };
    let t = ok_docs(read_bytes("a.txt", b"Some news text here.", &opts));
    assert_eq!(t[0].meta.published, Some(when));
    let h = ok_docs(read_bytes("a.html", FIXTURE.as_bytes(), &opts));
    assert_eq!(
        h[0].meta.published.unwrap().to_rfc3339(),
        "2024-09-20T06:15:00+00:00"
    );
}

#[test]
fn jsonl_records_and_broken_line() {
    let data = concat!(
        r#"{"id": "a1", "url": "https://x.example/1", "title": "Strike hits port", "text": "A strike closed the port of Velm on Tuesday.", "published": "2024-03-05", "source": "Wire", "section": "world"}"#,
        "\n",
        r#"{"id": "a2", "text": "broken"#,
        "\n\n",
        r#"{"url": "https://x.example/3", "html": "<html><body><article><h1>Talks resume</h1><p>Negotiators met again in Geneva on Wednesday, officials said, after a week-long pause in the talks.</p></article></body></html>", "published": "March 6, 2024"}"#,
        "\n",
        r#"{"id": "a4", "title": "No body"}"#,
        "\n"
    );
    let out = read_bytes("feed.jsonl", data.as_bytes(), &IngestOptions::default());
    assert_eq!(out.len(), 4);
    let d1 = out[0].as_ref().unwrap();
    assert_eq!(d1.id, "a1");
    assert_eq!(d1.meta.origin.as_deref(), Some("feed.jsonl:1"));
    assert_eq!(d1.meta.format, InputFormat::Jsonl);
    assert_eq!(
        d1.text,
        "Strike hits port\n\nA strike closed the port of Velm on Tuesday."
    );
    assert_eq!(
        d1.meta.published.unwrap().to_rfc3339(),
        "2024-03-05T00:00:00+00:00"
    );
    assert_eq!(d1.meta.source.as_deref(), Some("Wire"));
    assert_eq!(
        d1.meta.extra.get("section").and_then(|v| v.as_str()),
        Some("world")
    );
    let e2 = out[1].as_ref().unwrap_err();
    assert_eq!(e2.origin, "feed.jsonl:2");
    assert!(e2.reason.contains("invalid JSON"), "{}", e2.reason);
    let d3 = out[2].as_ref().unwrap();
    assert_eq!(d3.meta.origin.as_deref(), Some("feed.jsonl:4"));
    assert_eq!(
        d3.id,
        chronicle_core::ids::document_id(None, Some("https://x.example/3"), "")
    );
    assert_eq!(d3.meta.title.as_deref(), Some("Talks resume"));
    assert!(d3.text.contains("Negotiators met again in Geneva"));
    assert_eq!(
        d3.meta.published.unwrap().to_rfc3339(),
        "2024-03-06T00:00:00+00:00"
    );
    let e4 = out[3].as_ref().unwrap_err();
    assert_eq!(e4.origin, "feed.jsonl:5");
    assert!(e4.reason.contains("no \"text\""));
}

#[test]
fn local_publication_time_is_kept() {
    let line = br#"{"text": "Late-evening story about a storm.", "published": "2024-09-20T22:30:00-05:00"}"#;
    let d = ok_docs(read_bytes("l.jsonl", line, &IngestOptions::default()));
    assert_eq!(
        d[0].meta.published.unwrap().to_rfc3339(),
        "2024-09-21T03:30:00+00:00"
    );
    assert_eq!(
        d[0].meta
            .extra
            .get("published_local")
            .and_then(|v| v.as_str()),
        Some("2024-09-20T22:30:00-05:00")
    );
    // The fixture gives +02:00.
    let h = ok_docs(read_bytes(
        "a.html",
        FIXTURE.as_bytes(),
        &IngestOptions::default(),
    ));
    assert_eq!(
        h[0].meta
            .extra
            .get("published_local")
            .and_then(|v| v.as_str()),
        Some("2024-09-20T08:15:00+02:00")
    );
    // UTC input adds nothing.
    let u = br#"{"text": "Story.", "published": "2024-09-20"}"#;
    let d = ok_docs(read_bytes("u.jsonl", u, &IngestOptions::default()));
    assert!(d[0].meta.extra.get("published_local").is_none());
}

#[test]
fn json_array_file() {
    let data = br#"[{"id": "x1", "text": "First item text."}, {"text": ""}]"#;
    let out = read_bytes("export.json", data, &IngestOptions::default());
    assert_eq!(out.len(), 2);
    assert_eq!(
        out[0].as_ref().unwrap().meta.origin.as_deref(),
        Some("export.json#1")
    );
    assert_eq!(out[0].as_ref().unwrap().id, "x1");
    assert_eq!(out[1].as_ref().unwrap_err().origin, "export.json#2");
}

const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Valley Wire</title><link>https://wire.example</link><description>d</description>
<item><title>Bridge reopens after repairs</title><link>https://wire.example/bridge</link>
<pubDate>Tue, 10 Sep 2024 09:00:00 GMT</pubDate>
<description>The old bridge in Harford reopened to traffic on Tuesday after six months of repairs.</description></item>
<item><title>Council votes on budget</title><link>https://wire.example/budget</link>
<pubDate>Wed, 11 Sep 2024 15:30:00 +0200</pubDate>
<description><![CDATA[<p>The city council approved the 2025 budget by 31 votes to 20 on Wednesday evening.</p><p>Opposition members walked out before the final vote, calling the plan unfair to small businesses.</p>]]></description></item>
</channel></rss>"#;

#[test]
fn feed_with_two_items() {
    let out = ok_docs(read_bytes(
        "wire.xml",
        FEED.as_bytes(),
        &IngestOptions::default(),
    ));
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].meta.origin.as_deref(), Some("wire.xml#1"));
    assert_eq!(out[1].meta.origin.as_deref(), Some("wire.xml#2"));
    assert_eq!(out[0].meta.format, InputFormat::Feed);
    assert_eq!(
        out[0].meta.url.as_deref(),
        Some("https://wire.example/bridge")
    );
    assert_eq!(out[0].meta.source.as_deref(), Some("Valley Wire"));
    assert_eq!(out[0].text, "Bridge reopens after repairs\n\nThe old bridge in Harford reopened to traffic on Tuesday after six months of repairs.");
    assert_eq!(
        out[1].meta.published.unwrap().to_rfc3339(),
        "2024-09-11T13:30:00+00:00"
    );
    assert!(
        out[1]
            .text
            .contains("by 31 votes to 20 on Wednesday evening.\n\nOpposition members walked out"),
        "{}",
        out[1].text
    );
    assert!(!out[1].text.contains("<p>"));
    assert_ne!(out[0].id, out[1].id);
}

#[test]
fn atom_and_rdf_feeds() {
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><id>urn:x</id><updated>2024-05-01T00:00:00Z</updated>
<entry><title>Port strike ends</title><id>urn:x:1</id><link href="https://atom.example/port"/>
<published>2024-05-01T10:00:00Z</published><updated>2024-05-01T11:00:00Z</updated>
<content type="html">&lt;nav&gt;&lt;a href="/"&gt;Home&lt;/a&gt;&lt;/nav&gt;&lt;p&gt;Dock workers in Velm returned to work on Wednesday after a two-week strike over pay, the union said.&lt;/p&gt;&lt;p&gt;Ships waiting offshore began unloading in the afternoon.&lt;/p&gt;</content>
</entry></feed>"#;
    let d = ok_docs(read_bytes(
        "wire.atom",
        atom.as_bytes(),
        &IngestOptions::default(),
    ));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].meta.url.as_deref(), Some("https://atom.example/port"));
    assert_eq!(
        d[0].meta.published.unwrap().to_rfc3339(),
        "2024-05-01T10:00:00+00:00"
    );
    assert!(
        d[0].text
            .starts_with("Port strike ends\n\nDock workers in Velm returned"),
        "{}",
        d[0].text
    );
    assert!(!d[0].text.contains("Home"));
    let rdf = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF News</title><link>https://rdf.example/</link><description>d</description></channel>
<item rdf:about="https://rdf.example/a"><title>Election date set</title><link>https://rdf.example/a</link>
<description>The electoral commission set the vote for 12 October.</description><dc:date>2024-06-02T08:00:00Z</dc:date></item>
</rdf:RDF>"#;
    let d = ok_docs(read_bytes(
        "news.rdf",
        rdf.as_bytes(),
        &IngestOptions::default(),
    ));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].meta.origin.as_deref(), Some("news.rdf#1"));
    assert!(d[0].text.contains("set the vote for 12 October"));
    let bad = read_bytes(
        "bad.rss",
        b"<rss><channel><item><title>x",
        &IngestOptions::default(),
    );
    let e = bad[0].as_ref().unwrap_err();
    assert_eq!(e.origin, "bad.rss");
    assert!(e.reason.contains("invalid feed"), "{}", e.reason);
}

#[test]
fn auto_detection_and_override() {
    use chronicle_ingest::detect_format;
    assert_eq!(detect_format("x.html", b"hello"), InputFormat::Html);
    assert_eq!(detect_format("x", FIXTURE.as_bytes()), InputFormat::Html);
    assert_eq!(detect_format("x.dat", FEED.as_bytes()), InputFormat::Feed);
    assert_eq!(detect_format("x.xml", FEED.as_bytes()), InputFormat::Feed);
    assert_eq!(
        detect_format("x", b"{\"text\": \"a\"}\n"),
        InputFormat::Jsonl
    );
    assert_eq!(detect_format("x.txt", b"Just words."), InputFormat::Text);
    assert_eq!(
        detect_format("noext", b"Just words <maybe> here."),
        InputFormat::Text
    );
    let atom = br#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>"#;
    assert_eq!(detect_format("a", atom), InputFormat::Feed);
    // override: HTML bytes read as text keep the tags as text
    let opts = IngestOptions {
        format: Some(InputFormat::Text),
        ..Default::default()
    };
    let d = ok_docs(read_bytes("x.html", b"<p>Hello there, reader.</p>", &opts));
    assert_eq!(d[0].meta.format, InputFormat::Text);
    assert!(d[0].text.contains("<p>"));
}

#[test]
fn repeated_lines_and_captions_dropped() {
    let raw = "Shelling resumed in Dorvik\n\nShelling resumed in Dorvik\n\n\
               A destroyed building in Almora (AFP)\n\n\
               Artillery hit the outskirts of Dorvik overnight, the local administration said.\n\n\
               A destroyed building in Almora (AFP)\n\n\
               Smoke over the harbour (AP Photo/Jane Roe)\n\n\
               Share this article\n\n\
               Artillery hit the outskirts of Dorvik overnight, the local administration said.";
    let c = clean_text(raw);
    assert_eq!(c.text, "Shelling resumed in Dorvik\n\nArtillery hit the outskirts of Dorvik overnight, the local administration said.");
    assert!(!c.text.contains("Almora"));
    assert_eq!(c.paragraphs.len(), 2);
    assert!(c.dropped.iter().filter(|l| l.contains("Almora")).count() == 2);
}

#[test]
fn empty_article_is_an_error() {
    let e = read_bytes(
        "e.txt",
        b"Advertisement\n\nShare this article\n\nTT\n",
        &IngestOptions::default(),
    );
    assert_eq!(e.len(), 1);
    let err = e[0].as_ref().unwrap_err();
    assert_eq!(err.origin, "e.txt");
    assert!(err.reason.contains("empty article"), "{}", err.reason);
    let h = read_bytes(
        "e.html",
        b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
        &IngestOptions::default(),
    );
    assert!(h[0]
        .as_ref()
        .unwrap_err()
        .reason
        .contains("no article text"));
    let blank = read_bytes("b.txt", b"   \n", &IngestOptions::default());
    assert!(blank[0].as_ref().unwrap_err().reason.contains("empty"));
}

#[test]
fn latin1_and_invalid_utf8_pages() {
    let body = "<html><head><meta charset=\"iso-8859-1\"><title>t</title></head><body><article><p>La manifestation a réuni des milliers de personnes à Besançon, selon la préfecture, malgré la pluie.</p></article></body></html>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(body);
    let a = extract_html(&bytes, "latin1.html").unwrap();
    assert!(
        a.text
            .contains("réuni des milliers de personnes à Besançon"),
        "{}",
        a.text
    );
    // No declaration at all: detected.
    let undeclared = body.replace("<meta charset=\"iso-8859-1\">", "");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&undeclared);
    let a = extract_html(&bytes, "latin1b.html").unwrap();
    assert!(a.text.contains("préfecture"), "{}", a.text);
    // Declared UTF-8 with a few invalid bytes: replacement characters, no abort.
    let mut bad = b"<html><head><meta charset=\"utf-8\"></head><body><p>Police arrested twelve people in the capital on Sunday night, a spokesman said \xff\xfe today.</p></body></html>".to_vec();
    bad.extend_from_slice("<p>ok</p>".as_bytes());
    let a = extract_html(&bad, "bad.html").unwrap();
    assert!(a.text.contains("Police arrested twelve people"));
}

#[test]
fn binary_and_unreadable_inputs_are_errors() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
    let r = read_bytes("img.png", png, &IngestOptions::default());
    assert!(r[0].as_ref().unwrap_err().reason.contains("binary"));
    let r: Vec<_> = read_path(
        Path::new("/nonexistent/chronicle/x.html"),
        &IngestOptions::default(),
    )
    .collect();
    assert_eq!(r.len(), 1);
    let e = r[0].as_ref().unwrap_err();
    assert!(e.origin.contains("/nonexistent/chronicle/x.html"));
    assert!(e.reason.contains("cannot read"));
}

#[test]
fn truncated_html_still_gives_text_or_a_clear_error() {
    let cut = &FIXTURE[..FIXTURE.find("Forecasters expect").unwrap() + 20];
    let a = extract_html(cut.as_bytes(), "cut.html").unwrap();
    assert!(a.text.contains("The regional governor"));
    assert!(a.warnings.iter().any(|w| w.contains("truncated")));
    let cut2 = &FIXTURE[..FIXTURE.find("<body>").unwrap() + 8];
    let e = extract_html(cut2.as_bytes(), "cut2.html").unwrap_err();
    assert!(e.reason.contains("truncated"), "{}", e.reason);
}

#[test]
fn deeply_nested_html_does_not_overflow() {
    let depth = 10_000;
    let mut s = String::from("<html><body>");
    for _ in 0..depth {
        s.push_str("<div>");
    }
    s.push_str("<p>Deep inside the page, the council confirmed the new curfew will start on Friday at ten in the evening.</p>");
    for _ in 0..depth {
        s.push_str("</div>");
    }
    s.push_str("</body></html>");
    // Run on a thread with a small stack to prove no recursion depends on depth.
    let h = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || extract_html(s.as_bytes(), "deep.html"))
        .unwrap();
    let a = h.join().expect("no stack overflow").unwrap();
    assert!(a.text.contains("the council confirmed the new curfew"));
}

#[test]
fn huge_html_page() {
    // ~50 MB: a real article followed by a very long comment-like tail.
    let mut s = String::with_capacity(52 * 1024 * 1024);
    s.push_str("<html><head><title>Big</title></head><body><article>");
    s.push_str("<p>Officials in the northern province said on Monday that the dam would be inspected again next week.</p>");
    let para = "<p>Filler paragraph number with words, commas, and more words to make the page very large indeed.</p>\n";
    while s.len() < 50 * 1024 * 1024 {
        s.push_str(para);
    }
    s.push_str("</article></body></html>");
    let h = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || read_bytes("big.html", s.as_bytes(), &IngestOptions::default()))
        .unwrap();
    let out = h.join().expect("no stack overflow");
    let d = out[0].as_ref().expect("document");
    assert!(d.text.contains("the dam would be inspected"));
    // repeated lines collapse to one
    assert_eq!(d.text.matches("Filler paragraph number").count(), 1);
}

#[test]
fn directory_walk_sorted_hidden_skipped_and_errors_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("b_sub")).unwrap();
    std::fs::create_dir_all(p.join(".hidden_dir")).unwrap();
    std::fs::write(p.join("c.txt"), "Third story text about a ceasefire.").unwrap();
    std::fs::write(p.join("a.html"), FIXTURE).unwrap();
    std::fs::write(p.join("b_sub/feed.rss"), FEED).unwrap();
    std::fs::write(p.join(".secret.txt"), "hidden file").unwrap();
    std::fs::write(p.join(".hidden_dir/x.txt"), "hidden dir file").unwrap();
    std::fs::write(
        p.join("d.jsonl"),
        "{\"text\": \"Fourth story.\"}\nnot json\n",
    )
    .unwrap();
    let out: Vec<_> = read_path(p, &IngestOptions::default()).collect();
    let origins: Vec<String> = out
        .iter()
        .map(|r| match r {
            Ok(d) => d.meta.origin.clone().unwrap(),
            Err(e) => e.origin.clone(),
        })
        .collect();
    let rel: Vec<String> = origins
        .iter()
        .map(|o| {
            o.strip_prefix(&p.display().to_string())
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        rel,
        vec![
            "/a.html",
            "/b_sub/feed.rss#1",
            "/b_sub/feed.rss#2",
            "/c.txt",
            "/d.jsonl:1",
            "/d.jsonl:2"
        ]
    );
    assert!(out[5].is_err());
    assert!(!out.iter().flatten().any(|d| d.text.contains("hidden")));
}

#[test]
fn gzip_input_is_unwrapped() {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(FIXTURE.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    let d = ok_docs(read_bytes("page.html.gz", &gz, &IngestOptions::default()));
    assert_eq!(d[0].meta.format, InputFormat::Html);
    assert!(d[0].text.contains("Riverton"));
}

#[test]
fn deeply_nested_feed_does_not_overflow() {
    // Unknown XML elements nested deep inside an item, and deep HTML inside the
    // escaped description: the fuzz target's feed path on a small stack.
    let depth = 5_000;
    let mut s = String::from(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title><item><title>Curfew extended</title>"#,
    );
    for _ in 0..depth {
        s.push_str("<wrap>");
    }
    for _ in 0..depth {
        s.push_str("</wrap>");
    }
    s.push_str("<description>");
    for _ in 0..depth {
        s.push_str("&lt;div&gt;");
    }
    s.push_str("The council extended the curfew in the old town until the end of the month, officials said.");
    for _ in 0..depth {
        s.push_str("&lt;/div&gt;");
    }
    s.push_str("</description></item></channel></rss>");
    let h = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let opts = IngestOptions {
                format: Some(InputFormat::Feed),
                ..IngestOptions::default()
            };
            let start = std::time::Instant::now();
            let out = read_bytes("deep.xml", s.as_bytes(), &opts);
            (out, start.elapsed())
        })
        .unwrap();
    let (out, took) = h.join().expect("no stack overflow");
    assert_eq!(out.len(), 1);
    // Depth alone is no reason to reject the item.
    match &out[0] {
        Ok(d) => assert!(d.text.contains("extended the curfew"), "{}", d.text),
        Err(e) => panic!("deep feed rejected: {e:?}"),
    }
    assert!(took.as_secs() < 10, "took {took:?}");
}
