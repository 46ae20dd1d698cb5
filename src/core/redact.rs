//! Keeping the API key out of errors: text that comes from elsewhere (a fetch wrapper's error,
//! an error body a proxy echoed) has every occurrence of the key replaced before it goes into
//! an error. Keys shorter than 8 characters are not Lago keys and are left alone rather than
//! garble the text.

/// `text` with every occurrence of `key` replaced by `[redacted]`. A plain byte scan: `str`'s
/// own substring search would add kilobytes of searcher to the wasm for no gain at these sizes,
/// and `get` instead of indexing keeps the panic messages (and `core::fmt`) out of it too.
pub fn redact(text: &str, key: &str) -> String {
    let (t, k) = (text.as_bytes(), key.as_bytes());
    if k.len() < 8 || t.len() < k.len() {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let (mut start, mut i) = (0, 0);
    while i + k.len() <= t.len() {
        if &t[i..i + k.len()] == k {
            // Both ends are char boundaries: `key` is valid UTF-8 and matched whole.
            out.push_str(text.get(start..i).unwrap_or_default());
            out.push_str("[redacted]");
            i += k.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn every_occurrence_and_only_long_keys() {
        let key = "sk_live_SECRET";
        assert_eq!(
            redact("a sk_live_SECRET b sk_live_SECRETsk_live_SECRET", key),
            "a [redacted] b [redacted][redacted]"
        );
        assert_eq!(redact("nothing here", key), "nothing here");
        assert_eq!(redact("short", "abc"), "short");
        assert_eq!(redact("é sk_live_SECRET é", key), "é [redacted] é");
    }
}
