//! Feed watching and the bounded HTTP client against a tiny HTTP server on
//! 127.0.0.1 (a thread with a bounded number of requests and a deadline; it
//! stops by itself). No other address is contacted.

use chronicle_ingest::fetch::{fetch, FetchOptions, FetchOutcome};
use chronicle_ingest::watch::{poll_once, MemorySeenStore, SeenStore, WatchOptions};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One logged request: path, request headers (lower-cased names), status sent.
#[derive(Debug, Clone)]
struct Logged {
    path: String,
    headers: Vec<(String, String)>,
    status: u16,
}

#[derive(Default)]
struct State {
    /// (guid, title, summary) of the feed items; item N links to /article/N.
    items: Vec<(String, String, String)>,
    log: Vec<Logged>,
}

struct Server {
    base: String,
    state: Arc<Mutex<State>>,
}

impl Server {
    /// Serve at most `max_requests` requests, for at most 30 s.
    fn start(max_requests: usize) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let st = state.clone();
        let b = base.clone();
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut served = 0;
            while served < max_requests && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        served += 1;
                        handle_conn(stream, &st, &b);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { base, state }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn add_item(&self, guid: &str, title: &str, summary: &str) {
        self.state
            .lock()
            .unwrap()
            .items
            .push((guid.into(), title.into(), summary.into()));
    }

    fn log(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }
}

fn handle_conn(mut stream: TcpStream, state: &Arc<Mutex<State>>, base: &str) {
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 65536 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf).to_string();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("/")
        .to_string();
    let headers: Vec<(String, String)> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let (status, extra_headers, body) = respond(&path, &headers, state, base);
    let reason = match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        _ => "Error",
    };
    let mut out = format!("HTTP/1.1 {status} {reason}\r\nConnection: close\r\n");
    for (k, v) in &extra_headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    let chunked = extra_headers
        .iter()
        .any(|(k, v)| k == "Transfer-Encoding" && v == "chunked");
    if !chunked {
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    if chunked {
        for part in body.chunks(1000) {
            let _ = stream.write_all(format!("{:x}\r\n", part.len()).as_bytes());
            let _ = stream.write_all(part);
            let _ = stream.write_all(b"\r\n");
        }
        let _ = stream.write_all(b"0\r\n\r\n");
    } else {
        let _ = stream.write_all(&body);
    }
    let _ = stream.flush();
    state.lock().unwrap().log.push(Logged {
        path,
        headers,
        status,
    });
}

type Reply = (u16, Vec<(String, String)>, Vec<u8>);

fn respond(
    path: &str,
    headers: &[(String, String)],
    state: &Arc<Mutex<State>>,
    base: &str,
) -> Reply {
    let h = |k: &str, v: &str| (k.to_string(), v.to_string());
    if path == "/feed.xml" {
        let items = state.lock().unwrap().items.clone();
        let etag = format!("\"v{}\"", items.len());
        let inm = headers
            .iter()
            .find(|(k, _)| k == "if-none-match")
            .map(|(_, v)| v.as_str());
        if inm == Some(etag.as_str()) {
            return (304, vec![h("ETag", &etag)], Vec::new());
        }
        let mut xml = String::from(
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Test Wire</title>\
             <link>http://127.0.0.1/</link><description>test</description>\n",
        );
        for (i, (guid, title, summary)) in items.iter().enumerate() {
            xml.push_str(&format!(
                "<item><guid>{guid}</guid><title>{title}</title><link>{base}/article/{}</link>\
                 <description>{summary}</description>\
                 <pubDate>Tue, 10 Mar 2026 0{}:00:00 GMT</pubDate></item>\n",
                i + 1,
                i % 10
            ));
        }
        xml.push_str("</channel></rss>\n");
        return (
            200,
            vec![
                h("Content-Type", "application/rss+xml"),
                h("ETag", &etag),
                h("Last-Modified", "Tue, 10 Mar 2026 09:00:00 GMT"),
            ],
            xml.into_bytes(),
        );
    }
    if let Some(n) = path.strip_prefix("/article/") {
        let n: usize = n.parse().unwrap_or(0);
        let items = state.lock().unwrap().items.clone();
        let Some((_, title, _)) = n.checked_sub(1).and_then(|i| items.get(i)) else {
            return (404, vec![], b"not found".to_vec());
        };
        if title.contains("Broken") {
            return (500, vec![], b"boom".to_vec());
        }
        if title.contains("Pdf") {
            return (
                200,
                vec![h("Content-Type", "application/pdf")],
                b"%PDF-1.4 not html".to_vec(),
            );
        }
        return (
            200,
            vec![h("Content-Type", "text/html; charset=utf-8")],
            article_html(n, title).into_bytes(),
        );
    }
    if path == "/big" {
        return (
            200,
            vec![h("Content-Type", "text/html")],
            vec![b'a'; 50_000],
        );
    }
    if path == "/big-chunked" {
        return (
            200,
            vec![
                h("Content-Type", "text/html"),
                h("Transfer-Encoding", "chunked"),
            ],
            vec![b'a'; 50_000],
        );
    }
    if let Some(n) = path.strip_prefix("/r/") {
        let n: u32 = n.parse().unwrap_or(0);
        if n == 0 {
            return (
                200,
                vec![h("Content-Type", "text/plain")],
                b"landed".to_vec(),
            );
        }
        // Relative Location: resolved against the current URL.
        return (302, vec![h("Location", &format!("/r/{}", n - 1))], vec![]);
    }
    if path == "/to-ftp" {
        return (302, vec![h("Location", "ftp://127.0.0.1/x")], vec![]);
    }
    (404, vec![], b"not found".to_vec())
}

fn article_html(n: usize, title: &str) -> String {
    format!(
        "<!doctype html><html><head><title>{title} | Test Wire</title></head><body>\
         <nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li>\
         <li><a href=\"/sport\">Sport menu link</a></li></ul></nav>\
         <article><h1>{title}</h1>\
         <p>Article {n} body: officials in the northern province said on Tuesday that talks \
         between the two delegations had resumed after a pause of several weeks, and that a \
         joint statement was expected before the end of the month.</p>\
         <p>The negotiators met in the capital for a second day, according to a spokesperson, \
         who added that humanitarian access and the exchange of detainees were on the agenda \
         of the meeting that lasted well into the evening.</p>\
         <p>Observers cautioned that earlier rounds had collapsed over similar issues, but \
         said the mood this time appeared more constructive than before.</p>\
         </article><footer>Copyright footer text. Subscribe to our newsletter.</footer>\
         </body></html>"
    )
}

fn private_opts() -> WatchOptions {
    WatchOptions {
        fetch: FetchOptions {
            timeout: Duration::from_secs(10),
            allow_private: true,
            ..FetchOptions::default()
        },
        ..WatchOptions::default()
    }
}

#[test]
fn polls_feed_fetches_pages_and_remembers_items() {
    let srv = Server::start(40);
    srv.add_item("id-1", "Talks resume in the north", "Short summary one.");
    srv.add_item("id-2", "Second round of negotiations", "Short summary two.");
    let feed = srv.url("/feed.xml");
    let sources = vec![feed.clone()];
    let opts = private_opts();
    let mut seen = MemorySeenStore::default();

    // First pass: both items, each from its extracted page.
    let (docs, errors) = poll_once(&sources, &opts, &mut seen);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 2);
    for (i, d) in docs.iter().enumerate() {
        let n = i + 1;
        assert!(
            d.text.contains(&format!("Article {n} body: officials")),
            "page text missing: {}",
            d.text
        );
        assert!(d.text.contains("more constructive"), "{}", d.text);
        assert!(!d.text.contains("Sport menu link"), "nav kept: {}", d.text);
        assert!(!d.text.contains("newsletter"), "footer kept: {}", d.text);
        assert_eq!(
            d.meta.url.as_deref(),
            Some(srv.url(&format!("/article/{n}")).as_str())
        );
        assert!(d.meta.published.is_some());
        assert_eq!(
            d.meta.extra.get("feed").and_then(|v| v.as_str()),
            Some(feed.as_str())
        );
    }
    assert_eq!(
        docs[0].meta.title.as_deref(),
        Some("Talks resume in the north")
    );
    assert_ne!(docs[0].id, docs[1].id);
    assert_eq!(
        seen.validators(&feed),
        Some((
            "\"v2\"".to_string(),
            "Tue, 10 Mar 2026 09:00:00 GMT".to_string()
        ))
    );

    // Second pass: the feed answers 304, nothing new, no page fetched.
    let before = srv.log().len();
    let (docs, errors) = poll_once(&sources, &opts, &mut seen);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(docs.is_empty(), "seen items came back: {}", docs.len());
    let log = srv.log();
    let new: Vec<_> = log[before..].to_vec();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].path, "/feed.xml");
    assert_eq!(new[0].status, 304);
    assert!(new[0]
        .headers
        .iter()
        .any(|(k, v)| k == "if-none-match" && v == "\"v2\""));
    assert!(new[0]
        .headers
        .iter()
        .any(|(k, v)| k == "if-modified-since" && v.contains("2026")));

    // A new item: exactly one new document, from its page.
    srv.add_item(
        "id-3",
        "Third report from the talks",
        "Short summary three.",
    );
    let (docs, errors) = poll_once(&sources, &opts, &mut seen);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 1);
    assert!(docs[0].text.contains("Article 3 body"), "{}", docs[0].text);

    // A "restart" with a store that forgot the validators but kept the seen
    // keys: the feed is fetched in full, still nothing new.
    let mut restarted = MemorySeenStore {
        seen: seen.seen.clone(),
        ..MemorySeenStore::default()
    };
    let (docs, errors) = poll_once(&sources, &opts, &mut restarted);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(docs.is_empty());
    assert_eq!(srv.log().last().map(|l| l.status), Some(200));
}

#[test]
fn page_error_falls_back_to_feed_text_and_is_reported() {
    let srv = Server::start(20);
    srv.add_item("ok-1", "A fine article", "Fine summary.");
    srv.add_item(
        "bad-2",
        "Broken page item",
        "The summary of the broken item says the bridge reopened on Monday.",
    );
    srv.add_item(
        "pdf-3",
        "Pdf report",
        "A report on grain exports was published.",
    );
    let sources = vec![srv.url("/feed.xml")];
    let mut seen = MemorySeenStore::default();
    let (docs, errors) = poll_once(&sources, &private_opts(), &mut seen);
    assert_eq!(docs.len(), 3, "{errors:?}");
    assert!(docs[0].text.contains("Article 1 body"));
    assert!(
        docs[1].text.contains("bridge reopened on Monday"),
        "{}",
        docs[1].text
    );
    assert!(docs[2].text.contains("grain exports"), "{}", docs[2].text);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].origin, srv.url("/article/2"));
    assert!(errors[0].reason.contains("500"), "{}", errors[0].reason);
    assert!(errors[0].reason.contains("#2"), "{}", errors[0].reason);
    assert_eq!(errors[1].origin, srv.url("/article/3"));
    assert!(
        errors[1].reason.contains("not HTML"),
        "{}",
        errors[1].reason
    );
    // All are seen now (the fallback documents were produced).
    assert_eq!(seen.seen.len(), 3);
}

#[test]
fn feed_text_only_when_pages_are_not_fetched() {
    let srv = Server::start(10);
    srv.add_item("s-1", "Headline one", "Summary text of the first item.");
    let sources = vec![srv.url("/feed.xml")];
    let opts = WatchOptions {
        fetch_pages: false,
        ..private_opts()
    };
    let mut seen = MemorySeenStore::default();
    let (docs, errors) = poll_once(&sources, &opts, &mut seen);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 1);
    assert!(docs[0].text.contains("Summary text of the first item"));
    assert!(srv.log().iter().all(|l| !l.path.starts_with("/article/")));
}

#[test]
fn loopback_is_refused_unless_allowed() {
    let srv = Server::start(10);
    srv.add_item("x-1", "Some headline", "Some summary.");
    let feed = srv.url("/feed.xml");

    let strict = WatchOptions::default();
    assert!(!strict.fetch.allow_private);
    let mut seen = MemorySeenStore::default();
    let (docs, errors) = poll_once(std::slice::from_ref(&feed), &strict, &mut seen);
    assert!(docs.is_empty());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].origin, feed);
    assert!(
        errors[0].reason.contains("127.0.0.1"),
        "{}",
        errors[0].reason
    );
    assert!(errors[0].reason.contains("refused"), "{}", errors[0].reason);
    let e = fetch(&feed, None, &FetchOptions::default()).unwrap_err();
    assert_eq!(e.origin, feed);
    assert!(e.reason.contains("loopback"), "{}", e.reason);
    // The guard refused before connecting: the server saw nothing.
    assert!(srv.log().is_empty());

    let (docs, errors) = poll_once(std::slice::from_ref(&feed), &private_opts(), &mut seen);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 1);
}

#[test]
fn size_cap_is_enforced() {
    let srv = Server::start(10);
    let opts = FetchOptions {
        allow_private: true,
        max_bytes: 10_000,
        timeout: Duration::from_secs(10),
        ..FetchOptions::default()
    };
    for path in ["/big", "/big-chunked"] {
        let url = srv.url(path);
        let e = fetch(&url, None, &opts).unwrap_err();
        assert_eq!(e.origin, url);
        assert!(e.reason.contains("too large"), "{path}: {}", e.reason);
    }
    let roomy = FetchOptions {
        max_bytes: 60_000,
        ..opts
    };
    match fetch(&srv.url("/big-chunked"), None, &roomy).unwrap() {
        FetchOutcome::Fetched(f) => assert_eq!(f.body.len(), 50_000),
        FetchOutcome::NotModified => panic!("unexpected 304"),
    }
}

#[test]
fn redirects_are_followed_up_to_the_cap_and_checked() {
    let srv = Server::start(30);
    let opts = FetchOptions {
        allow_private: true,
        timeout: Duration::from_secs(10),
        ..FetchOptions::default()
    };
    assert_eq!(opts.max_redirects, 5);
    match fetch(&srv.url("/r/5"), None, &opts).unwrap() {
        FetchOutcome::Fetched(f) => {
            assert_eq!(f.url, srv.url("/r/0"));
            assert_eq!(f.status, 200);
            assert_eq!(f.body, b"landed");
        }
        FetchOutcome::NotModified => panic!("unexpected 304"),
    }
    // The fragment stays on our side.
    match fetch(&srv.url("/r/0#section-2"), None, &opts).unwrap() {
        FetchOutcome::Fetched(f) => assert_eq!(f.body, b"landed"),
        FetchOutcome::NotModified => panic!("unexpected 304"),
    }
    assert_eq!(srv.log().last().map(|l| l.path.as_str()), Some("/r/0"));
    let url = srv.url("/r/6");
    let e = fetch(&url, None, &opts).unwrap_err();
    assert_eq!(e.origin, url);
    assert!(e.reason.contains("too many redirects"), "{}", e.reason);
    // A redirect hop to another scheme is refused too.
    let url = srv.url("/to-ftp");
    let e = fetch(&url, None, &opts).unwrap_err();
    assert_eq!(e.origin, url);
    assert!(e.reason.contains("scheme \"ftp\""), "{}", e.reason);
}

#[test]
fn non_http_schemes_are_refused() {
    let opts = FetchOptions {
        allow_private: true,
        ..FetchOptions::default()
    };
    for url in [
        "file:///etc/hostname",
        "ftp://127.0.0.1/feed.xml",
        "data:text/plain,hi",
    ] {
        let e = fetch(url, None, &opts).unwrap_err();
        assert_eq!(e.origin, url);
        assert!(e.reason.contains("not allowed"), "{url}: {}", e.reason);
    }
    let mut seen = MemorySeenStore::default();
    let sources = vec!["file:///etc/hostname".to_string()];
    let (docs, errors) = poll_once(&sources, &private_opts(), &mut seen);
    assert!(docs.is_empty());
    assert_eq!(errors.len(), 1);
    assert!(errors[0].reason.contains("not allowed"), "{:?}", errors[0]);
}

#[test]
fn local_feed_files_work_offline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wire.rss");
    let write = |n: usize| {
        let mut xml = String::from(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local Wire</title>",
        );
        for i in 1..=n {
            xml.push_str(&format!(
                "<item><title>Local headline {i}</title><link>https://example.invalid/a/{i}</link>\
                 <description>Local summary number {i} about the flood relief effort.</description></item>"
            ));
        }
        xml.push_str("</channel></rss>");
        std::fs::write(&path, xml).unwrap();
    };
    write(2);
    let sources = vec![path.display().to_string()];
    // fetch_pages off: nothing touches the network.
    let opts = WatchOptions {
        fetch_pages: false,
        ..WatchOptions::default()
    };
    let mut seen = MemorySeenStore::default();
    let (docs, errors) = poll_once(&sources, &opts, &mut seen);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 2);
    assert!(docs[1].text.contains("Local summary number 2"));
    // Items without guid are keyed by link.
    assert!(seen
        .seen
        .iter()
        .any(|k| k.ends_with("#https://example.invalid/a/1")));
    let (docs, _) = poll_once(&sources, &opts, &mut seen);
    assert!(docs.is_empty());
    write(3);
    let (docs, errors) = poll_once(&sources, &opts, &mut seen);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 1);
    assert!(docs[0].text.contains("Local summary number 3"));

    // A gzipped feed file reads the same (its items are already seen).
    let gz = dir.path().join("wire.rss.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&std::fs::read(&path).unwrap()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let mut fresh = MemorySeenStore::default();
    let (docs, errors) = poll_once(&[gz.display().to_string()], &opts, &mut fresh);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 3);

    // A missing file or a non-feed file is a per-source error, not a panic.
    std::fs::write(dir.path().join("junk.rss"), b"\x00\x01 not a feed").unwrap();
    let bad = vec![
        dir.path().join("missing.rss").display().to_string(),
        dir.path().join("junk.rss").display().to_string(),
        path.display().to_string(),
    ];
    let (docs, errors) = poll_once(&bad, &opts, &mut seen);
    assert!(docs.is_empty());
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].origin.ends_with("missing.rss"));
    assert!(errors[1].reason.contains("invalid feed"), "{:?}", errors[1]);
}

#[test]
fn host_names_resolving_to_loopback_are_refused() {
    let srv = Server::start(5);
    let port = srv.base.rsplit(':').next().unwrap().to_string();
    let url = format!("http://localhost:{port}/feed.xml");
    let e = fetch(&url, None, &FetchOptions::default()).unwrap_err();
    assert_eq!(e.origin, url);
    assert!(e.reason.contains("loopback"), "{}", e.reason);
    assert!(e.reason.contains("--allow-private"), "{}", e.reason);
    assert!(srv.log().is_empty());
}

#[test]
fn slow_servers_time_out() {
    // Accepts one connection and never answers; gone after 3 s.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/slow", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((_stream, _)) = listener.accept() {
            std::thread::sleep(Duration::from_secs(3));
        }
    });
    let opts = FetchOptions {
        allow_private: true,
        timeout: Duration::from_millis(500),
        ..FetchOptions::default()
    };
    let t = Instant::now();
    let e = fetch(&url, None, &opts).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    assert_eq!(e.origin, url);
    assert!(e.reason.contains("timed out"), "{}", e.reason);
}
