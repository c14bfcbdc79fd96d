//! Bytes to text: gzip unwrapping, binary detection and character decoding.
//!
//! Takes raw file bytes and gives a Rust `String`. Encoding is chosen from, in
//! order: a byte-order mark, a declared charset (HTML `<meta charset>` /
//! `http-equiv` or the XML declaration, found by a byte-level prescan of the first
//! 4 KiB — never a regex over the document), valid UTF-8, else a `chardetng`
//! guess. Decoding uses `encoding_rs` with replacement characters, so invalid
//! bytes never abort; input that looks binary is rejected with a reason.

use encoding_rs::{Encoding, UTF_8};
use std::io::Read;

/// Largest decompressed size accepted from a gzip file (bytes).
pub const MAX_GUNZIP: u64 = 512 * 1024 * 1024;

/// If `bytes` is gzip-compressed, decompress it.
pub fn maybe_gunzip(bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    if bytes.len() < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b {
        return Ok(None);
    }
    let mut out = Vec::new();
    let dec = flate2::read::MultiGzDecoder::new(bytes);
    dec.take(MAX_GUNZIP + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("corrupt gzip data: {e}"))?;
    if out.len() as u64 > MAX_GUNZIP {
        return Err(format!("gzip content larger than {MAX_GUNZIP} bytes"));
    }
    Ok(Some(out))
}

/// Does this look like a binary (non-text) file? Checks the first 8 KiB for NUL
/// bytes and other control characters (UTF-16 with a BOM is text).
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.is_empty() {
        return false;
    }
    if head.contains(&0) {
        return true;
    }
    let ctrl = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
        .count();
    ctrl * 20 > head.len()
}

/// Find a charset declared in the first bytes of an HTML or XML document.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    // XML declaration: <?xml version="1.0" encoding="..."?>
    if lower.starts_with(b"<?xml") {
        if let Some(end) = find(&lower, b"?>") {
            if let Some(p) = find(&lower[..end], b"encoding") {
                if let Some(enc) = value_after(&head[p + 8..end]) {
                    return label(enc);
                }
            }
        }
    }
    // HTML: charset=... anywhere in a meta tag within the prescan window.
    let mut from = 0;
    while let Some(p) = find(&lower[from..], b"charset") {
        let at = from + p;
        let before = &lower[..at];
        let in_meta = before
            .iter()
            .rposition(|&b| b == b'<')
            .map(|lt| lower[lt..].starts_with(b"<meta"))
            .unwrap_or(false);
        if in_meta {
            if let Some(enc) = value_after(&head[at + 7..]).and_then(label) {
                return Some(enc);
            }
        }
        from = at + 7;
    }
    None
}

fn label(v: &[u8]) -> Option<&'static Encoding> {
    Encoding::for_label(v).map(|e| {
        // A page can't really be UTF-16 once we are reading ASCII-compatible bytes.
        if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
            UTF_8
        } else {
            e
        }
    })
}

/// Skip `\s*=\s*` and read a possibly quoted value.
fn value_after(s: &[u8]) -> Option<&[u8]> {
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_whitespace() {
        i += 1;
    }
    if i >= s.len() || s[i] != b'=' {
        return None;
    }
    i += 1;
    while i < s.len() && s[i].is_ascii_whitespace() {
        i += 1;
    }
    let quote = s.get(i).copied().filter(|&b| b == b'"' || b == b'\'');
    if quote.is_some() {
        i += 1;
    }
    let start = i;
    while i < s.len() {
        let b = s[i];
        if Some(b) == quote
            || (quote.is_none()
                && (b.is_ascii_whitespace() || b == b'>' || b == b';' || b == b'"' || b == b'\''))
        {
            break;
        }
        if quote.is_some() && (b == b'>' || b == b';') {
            break;
        }
        i += 1;
    }
    (i > start).then(|| &s[start..i])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decode bytes to a string (see the module docs for how the encoding is chosen).
/// Returns the text and the name of the encoding used.
pub fn decode(bytes: &[u8], sniff_markup: bool) -> (String, &'static str) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc.name());
    }
    let declared = if sniff_markup {
        declared_charset(bytes)
    } else {
        None
    };
    let utf8_ok = std::str::from_utf8(bytes).is_ok();
    let enc = match declared {
        Some(e) if e == UTF_8 && !utf8_ok => guess(bytes),
        Some(e) => e,
        None if utf8_ok => UTF_8,
        None => guess(bytes),
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc.name())
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_is_honoured() {
        let html = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body></html>";
        let (t, enc) = decode(html, true);
        assert_eq!(enc, "windows-1252");
        assert!(t.contains("café"));
        let html2 =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">na\xefve";
        assert!(decode(html2, true).0.contains("naïve"));
    }

    #[test]
    fn xml_declaration_and_bom() {
        let x = b"<?xml version='1.0' encoding='ISO-8859-1'?><rss>\xe9t\xe9</rss>";
        assert!(decode(x, true).0.contains("été"));
        let b = b"\xef\xbb\xbfhello";
        assert_eq!(decode(b, false).0, "hello");
    }

    #[test]
    fn undeclared_latin1_is_guessed() {
        let t = "Les manifestants se sont réunis à Besançon après la décision du préfet. Été chaud à Orléans.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(t);
        let (d, _) = decode(&bytes, true);
        assert_eq!(d, t);
    }

    #[test]
    fn binary_is_detected() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(!looks_binary("plain text, ok".as_bytes()));
    }
}
