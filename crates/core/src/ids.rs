//! Stable content-derived identifiers (never run counters).

/// Hex prefix (16 chars = 64 bits) of the BLAKE3 hash of the parts, separated by
/// an unambiguous delimiter.
pub fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let hex = h.finalize().to_hex();
    format!("{prefix}{}", &hex[..16])
}

/// Id of a document: from its given id/url when present, else from its text.
pub fn document_id(given: Option<&str>, url: Option<&str>, text: &str) -> String {
    match (given, url) {
        (Some(g), _) if !g.trim().is_empty() => g.trim().to_string(),
        (_, Some(u)) if !u.trim().is_empty() => stable_id("doc-", &[u.trim()]),
        _ => stable_id("doc-", &[text]),
    }
}

/// Hash of a text's content (used for idempotent ingestion).
pub fn content_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..32].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(stable_id("e-", &["a", "b"]), stable_id("e-", &["a", "b"]));
        assert_ne!(stable_id("e-", &["ab", ""]), stable_id("e-", &["a", "b"]));
        assert_eq!(document_id(Some(" x "), None, "t"), "x");
        assert!(document_id(None, None, "t").starts_with("doc-"));
    }
}
