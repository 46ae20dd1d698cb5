//! Text that comes from elsewhere (a fetch wrapper's error, an error body a proxy echoed) and
//! goes into an error: the API key taken out of it, and its length bounded. Plain byte scans:
//! `str`'s own substring search would add kilobytes of searcher to the wasm for no gain at
//! these sizes (as would its char patterns: `split_once(',')` and the like, here and in the
//! other core files, go through [`find`] and [`split_once`] instead), and `get` instead of
//! indexing keeps panic messages (and `core::fmt`) out too.

/// Where `part` first stands in `text` at or after byte `from`.
pub fn find(text: &str, part: &str, from: usize) -> Option<usize> {
    let (t, p) = (text.as_bytes(), part.as_bytes());
    (from..=t.len().checked_sub(p.len())?).find(|&i| t.get(i..i + p.len()) == Some(p))
}

/// `text` cut around the first `sep` (ASCII, so both sides are whole `str`s).
pub fn split_once<'a>(text: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let at = find(text, sep, 0)?;
    Some((text.get(..at)?, text.get(at + sep.len()..)?))
}

/// `text` with every occurrence of `key` replaced by `[redacted]`. Keys shorter than 8
/// characters are not Lago keys and are left alone rather than garble the text.
pub fn redact(text: &str, key: &str) -> String {
    if key.len() < 8 {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    // Both ends of a match are char boundaries: `key` is valid UTF-8 and matched whole.
    while let Some(at) = find(text, key, start) {
        out.push_str(text.get(start..at).unwrap_or_default());
        out.push_str("[redacted]");
        start = at + key.len();
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out
}

/// Cuts `s` to at most `max` bytes on a char boundary, marking the cut with `…`.
pub fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        // A copy of the kept part rather than `String::truncate`, whose boundary assertion
        // (a panic path with its location) would be in the wasm: `end` is a boundary already.
        s = s.get(..end).unwrap_or_default().to_owned();
        s.push('…');
    }
    s
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

    #[test]
    fn find_from_a_position() {
        use super::find;
        assert_eq!(find("Mozilla/5.0 jsdom/26.1.0", "jsdom/", 0), Some(12));
        assert_eq!(find("abab", "ab", 1), Some(2));
        assert_eq!(find("ab", "abc", 0), None);
        assert_eq!(find("ab", "b", 5), None);
    }
}
