//! Bounded HTTP GET for feeds and article pages (blocking, `ureq` + rustls).
//!
//! Takes a URL, optional cached validators (ETag, Last-Modified) and
//! [`FetchOptions`]; gives the body of the final response ([`Fetched`]) or
//! [`FetchOutcome::NotModified`] on `304`, or a [`RecordError`] naming the URL and
//! the reason. Limits: an overall time limit per request, a body size cap (checked
//! while reading, so a lying or missing `Content-Length` cannot get past it), a
//! redirect cap, an `http`/`https` scheme allow-list, and an address guard that
//! refuses loopback, private, link-local, unspecified, multicast and other
//! non-public addresses (IPv4 and IPv6, including IPv4-mapped IPv6) unless
//! [`FetchOptions::allow_private`]. Redirects are followed here, one hop at a
//! time, so every hop goes through the scheme check and the address guard; the
//! guard also sits inside the client's resolver, so the address actually
//! connected to is the one checked (no DNS-rebinding window). Proxies from the
//! environment are ignored.

use chronicle_core::RecordError;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use url::Url;

/// Limits and identity of the HTTP client.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Time limit of one request (connect, headers and body), and of the
    /// connect step alone; each redirect hop gets its own. Default 30 s.
    pub timeout: Duration,
    /// Largest body accepted (bytes, after content decoding); larger is an
    /// error. Default 10 MB.
    pub max_bytes: u64,
    /// Most redirects followed; one more is an error. Default 5.
    pub max_redirects: u32,
    /// Allow loopback/private/link-local/... addresses (tests, intranets).
    pub allow_private: bool,
    /// `User-Agent` header sent.
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            allow_private: false,
            user_agent: format!(
                "chronicle/{} (+news event extraction)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// A successful (2xx) response.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Final URL, after redirects.
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Vec<u8>,
}

/// What a conditional GET gave.
#[derive(Debug, Clone)]
pub enum FetchOutcome {
    Fetched(Fetched),
    /// `304 Not Modified`: the cached copy is current.
    NotModified,
}

/// GET `url`, following at most `opts.max_redirects` redirects, each hop checked.
///
/// `validators` = (ETag, Last-Modified) from an earlier response; each non-empty
/// one is sent (`If-None-Match`, `If-Modified-Since`), and a `304` answer gives
/// [`FetchOutcome::NotModified`]. Non-2xx statuses other than redirects and 304
/// are errors. Errors name the URL asked for (and the hop, when it differs).
pub fn fetch(
    url: &str,
    validators: Option<(&str, &str)>,
    opts: &FetchOptions,
) -> Result<FetchOutcome, RecordError> {
    Fetcher::new(opts).get(url, validators)
}

/// A reusable client (keeps connections alive between requests to the same
/// host); [`fetch`] makes one per call.
#[derive(Debug, Clone)]
pub struct Fetcher {
    agent: ureq::Agent,
    opts: FetchOptions,
}

impl Fetcher {
    pub fn new(opts: &FetchOptions) -> Fetcher {
        Fetcher {
            agent: agent(opts),
            opts: opts.clone(),
        }
    }

    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    /// Same as [`fetch`], with this client.
    pub fn get(
        &self,
        url: &str,
        validators: Option<(&str, &str)>,
    ) -> Result<FetchOutcome, RecordError> {
        get(&self.agent, url, validators, &self.opts)
    }
}

fn get(
    agent: &ureq::Agent,
    url: &str,
    validators: Option<(&str, &str)>,
    opts: &FetchOptions,
) -> Result<FetchOutcome, RecordError> {
    let err = |reason: String| RecordError::new(url, reason);
    let mut current = Url::parse(url.trim()).map_err(|e| err(format!("invalid URL: {e}")))?;
    let mut hops = 0u32;
    loop {
        // Reason prefix naming the redirect hop, when there is one.
        let at = if hops == 0 {
            String::new()
        } else {
            format!("after {hops} redirect(s), at {current}: ")
        };
        check_url(&current, opts.allow_private).map_err(|r| err(format!("{at}{r}")))?;
        // The fragment is never sent.
        let mut target = current.clone();
        target.set_fragment(None);
        let mut req = agent.get(target.as_str());
        if let Some((etag, last_modified)) = validators {
            if !etag.trim().is_empty() {
                req = req.header("If-None-Match", etag.trim());
            }
            if !last_modified.trim().is_empty() {
                req = req.header("If-Modified-Since", last_modified.trim());
            }
        }
        let mut resp = req
            .call()
            .map_err(|e| err(format!("{at}request failed: {}", describe(&e))))?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        if status == 304 {
            if validators.is_none() {
                return Err(err(format!("{at}HTTP 304 to an unconditional request")));
            }
            return Ok(FetchOutcome::NotModified);
        }
        if (300..400).contains(&status) {
            let Some(location) = header("location") else {
                return Err(err(format!("{at}HTTP {status} redirect without Location")));
            };
            if hops >= opts.max_redirects {
                return Err(err(format!(
                    "too many redirects (more than {}; next was {location})",
                    opts.max_redirects
                )));
            }
            current = current
                .join(&location)
                .map_err(|e| err(format!("{at}bad redirect Location {location:?}: {e}")))?;
            hops += 1;
            continue;
        }
        if !(200..300).contains(&status) {
            return Err(err(format!("{at}HTTP status {status}")));
        }
        if let Some(len) = header("content-length").and_then(|l| l.parse::<u64>().ok()) {
            // Early refusal; the limit below is the real guard.
            if len > opts.max_bytes && header("content-encoding").is_none() {
                return Err(err(format!(
                    "{at}body too large ({len} bytes, limit {})",
                    opts.max_bytes
                )));
            }
        }
        let content_type = header("content-type");
        let etag = header("etag");
        let last_modified = header("last-modified");
        let body = resp
            .body_mut()
            .with_config()
            .limit(opts.max_bytes)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => err(format!(
                    "{at}body too large (more than {} bytes)",
                    opts.max_bytes
                )),
                e => err(format!("{at}reading body failed: {}", describe(&e))),
            })?;
        return Ok(FetchOutcome::Fetched(Fetched {
            url: current.to_string(),
            status,
            content_type,
            etag,
            last_modified,
            body,
        }));
    }
}

fn agent(opts: &FetchOptions) -> ureq::Agent {
    let config = Config::builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .user_agent(opts.user_agent.as_str())
        .timeout_global(Some(opts.timeout))
        .timeout_connect(Some(opts.timeout))
        .build();
    ureq::Agent::with_parts(
        config,
        DefaultConnector::new(),
        GuardResolver {
            allow_private: opts.allow_private,
        },
    )
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(t) => format!("timed out ({t:?})"),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => io.to_string(),
        e => e.to_string(),
    }
}

/// Scheme allow-list and, for IP-literal hosts, the address guard, before any
/// connection (the resolver enforces the guard for every name at connect time).
fn check_url(url: &Url, allow_private: bool) -> Result<(), String> {
    match url.scheme() {
        "http" | "https" => {}
        s => return Err(format!("scheme {s:?} not allowed (only http and https)")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials in URLs are not allowed".into());
    }
    let host = match url.host() {
        Some(h) => h.to_string(),
        None => return Err("URL has no host".into()),
    };
    if allow_private {
        return Ok(());
    }
    // Host names are checked by the resolver (with the request's time limit).
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) if !is_public(&ip) => Err(refusal(&host, &ip)),
        _ => Ok(()),
    }
}

fn refusal(host: &str, ip: &IpAddr) -> String {
    format!(
        "refused: host {host} is at non-public address {ip} ({}); allow with --allow-private",
        kind_of(ip)
    )
}

/// Resolver that drops non-public addresses (unless allowed) and fails when
/// none is left.
struct GuardResolver {
    allow_private: bool,
}

impl fmt::Debug for GuardResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GuardResolver")
            .field("allow_private", &self.allow_private)
            .finish()
    }
}

impl Resolver for GuardResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let all = DefaultResolver::default().resolve(uri, config, timeout)?;
        if self.allow_private {
            return Ok(all);
        }
        let mut kept = self.empty();
        let mut refused = None;
        for a in all.iter() {
            if is_public(&a.ip()) {
                kept.push(*a);
            } else {
                refused.get_or_insert(a.ip());
            }
        }
        match refused {
            // Any non-public answer makes the whole name suspect.
            Some(ip) => Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                refusal(uri.host().unwrap_or("?"), &ip),
            ))),
            None if kept.is_empty() => Err(ureq::Error::HostNotFound),
            None => Ok(kept),
        }
    }
}

/// Whether an address is a globally routable unicast address.
pub fn is_public(ip: &IpAddr) -> bool {
    kind_of(ip) == "public"
}

fn kind_of(ip: &IpAddr) -> &'static str {
    match ip {
        IpAddr::V4(v4) => kind_of_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return kind_of_v4(&v4);
            }
            let s = v6.segments();
            if v6.is_loopback() {
                "loopback"
            } else if v6.is_unspecified() {
                "unspecified"
            } else if v6.is_multicast() {
                "multicast"
            } else if s[0] & 0xfe00 == 0xfc00 {
                "unique-local"
            } else if s[0] & 0xffc0 == 0xfe80 {
                "link-local"
            } else if s[0] & 0xffc0 == 0xfec0 {
                "site-local"
            } else if s[0] == 0x2001 && s[1] == 0x0db8 {
                "documentation"
            } else if s[0] == 0x0064 && s[1] == 0xff9b {
                // NAT64: judge the embedded IPv4 address.
                kind_of_v4(&embedded_v4(v6))
            } else if s[..6].iter().all(|&x| x == 0) {
                // Deprecated IPv4-compatible form ::a.b.c.d.
                kind_of_v4(&embedded_v4(v6))
            } else if s[0] == 0x2002 {
                // 6to4: 2002:AABB:CCDD::/48 embeds a.b.c.d.
                let [a, b] = s[1].to_be_bytes();
                let [c, d] = s[2].to_be_bytes();
                kind_of_v4(&Ipv4Addr::new(a, b, c, d))
            } else {
                "public"
            }
        }
    }
}

fn embedded_v4(v6: &Ipv6Addr) -> Ipv4Addr {
    let o = v6.octets();
    Ipv4Addr::new(o[12], o[13], o[14], o[15])
}

fn kind_of_v4(ip: &Ipv4Addr) -> &'static str {
    let o = ip.octets();
    if ip.is_loopback() {
        "loopback"
    } else if ip.is_unspecified() || o[0] == 0 {
        "unspecified"
    } else if ip.is_private() {
        "private"
    } else if ip.is_link_local() {
        "link-local"
    } else if ip.is_multicast() {
        "multicast"
    } else if ip.is_broadcast() || o[0] >= 240 {
        "reserved"
    } else if o[0] == 100 && (64..128).contains(&o[1]) {
        "shared (carrier-grade NAT)"
    } else if o[0] == 192 && o[1] == 0 && o[2] == 0 {
        "IETF protocol assignment"
    } else if o[0] == 198 && (o[1] == 18 || o[1] == 19) {
        "benchmarking"
    } else if ip.is_documentation() {
        "documentation"
    } else {
        "public"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn classifies_addresses() {
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "100.64.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1",
        ] {
            assert!(!is_public(&ip(s)), "{s} should be refused");
        }
        for s in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(&ip(s)), "{s} should be allowed");
        }
    }

    #[test]
    fn refuses_bad_urls_before_connecting() {
        let opts = FetchOptions::default();
        for (u, why) in [
            ("file:///etc/passwd", "scheme"),
            ("ftp://example.org/x", "scheme"),
            ("gopher://example.org/", "scheme"),
            ("http://127.0.0.1:9/", "loopback"),
            ("http://[::1]:9/", "loopback"),
            ("http://169.254.169.254/latest/meta-data/", "link-local"),
            ("http://user:pw@example.org/", "credentials"),
            ("not a url", "invalid URL"),
        ] {
            let e = fetch(u, None, &opts).unwrap_err();
            assert_eq!(e.origin, u);
            assert!(e.reason.contains(why), "{u}: {}", e.reason);
        }
    }
}
