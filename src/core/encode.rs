//! Percent-encoding of path segments and query strings. Pure functions, natively tested.

/// Appends `s` percent-encoded: everything but RFC 3986 unreserved characters other than `.`
/// is escaped. `.` is escaped too because Lago's Rails router reads `acme.com` as id `acme`
/// with format `com`.
pub fn push_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'~' {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// Why a path argument was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentError {
    /// `""`: would call the parent route.
    Empty,
    /// `"."` or `".."`: URL parsers collapse them, even percent-encoded.
    DotSegment,
}

/// Appends `/` and `id` encoded as exactly one path segment, or refuses ids that would change
/// which route is called.
pub fn push_segment(out: &mut String, id: &str) -> Result<(), SegmentError> {
    match id {
        "" => return Err(SegmentError::Empty),
        "." | ".." => return Err(SegmentError::DotSegment),
        _ => {}
    }
    out.push('/');
    push_encoded(out, id);
    Ok(())
}

/// Builds a query string (`a=1&b%5B%5D=2` without the leading `?`) one pair at a time.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Query(String);

impl Query {
    /// Adds `name=value`, both escaped.
    pub fn push(&mut self, name: &str, value: &str) {
        self.start_pair(name);
        self.finish_pair(value);
    }

    /// Adds `name=<n>` (`page`, `per_page`, …).
    pub fn push_number(&mut self, name: &str, n: u64) {
        let mut text = String::new();
        push_u64(&mut text, n);
        self.push(name, &text);
    }

    /// Adds `name[]=value`: how the spec's `name[]` array parameters are exploded.
    pub fn push_item(&mut self, name: &str, value: &str) {
        self.start_pair(name);
        self.0.push_str("[]");
        self.finish_pair(value);
    }

    /// Adds `name[key]=value` for deep-object parameters, escaping `key` whatever it holds.
    pub fn push_deep(&mut self, name: &str, key: &str, value: &str) {
        self.start_pair(name);
        self.0.push('[');
        push_encoded(&mut self.0, key);
        self.0.push(']');
        self.finish_pair(value);
    }

    /// The query string, empty when no pair was added.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn start_pair(&mut self, name: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        push_encoded(&mut self.0, name);
    }

    fn finish_pair(&mut self, value: &str) {
        self.0.push('=');
        push_encoded(&mut self.0, value);
    }
}

/// Writes a non-negative integer without pulling `core::fmt` into the wasm.
pub fn push_u64(out: &mut String, n: u64) {
    // Most significant digit first, by recursion (at most 20 deep): no digit buffer, so no
    // index into one (and no bounds-check panic path in the wasm).
    if n >= 10 {
        push_u64(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(id: &str) -> Result<String, SegmentError> {
        let mut s = String::new();
        push_segment(&mut s, id).map(|()| s)
    }

    #[test]
    fn path_segments_can_never_change_the_route() {
        let table = [
            ("abc", "/abc"),
            ("a/b", "/a%2Fb"),
            ("?x", "/%3Fx"),
            ("#", "/%23"),
            ("%", "/%25"),
            ("%2e", "/%252e"),
            ("a b", "/a%20b"),
            ("acme.com", "/acme%2Ecom"),
            ("...", "/%2E%2E%2E"),
            ("é", "/%C3%A9"),
            ("日本", "/%E6%97%A5%E6%9C%AC"),
            ("a-b_c~d", "/a-b_c~d"),
        ];
        for (id, want) in table {
            assert_eq!(seg(id).as_deref(), Ok(want), "id {id:?}");
        }
    }

    #[test]
    fn rejects_empty_and_dot_segments() {
        assert_eq!(seg(""), Err(SegmentError::Empty));
        assert_eq!(seg("."), Err(SegmentError::DotSegment));
        assert_eq!(seg(".."), Err(SegmentError::DotSegment));
    }

    #[test]
    fn query_writes_array_and_deep_params_and_escapes_values() {
        let mut q = Query::default();
        q.push_item("currencies", "USD");
        q.push_item("currencies", "EUR");
        q.push("search_term", "a&b=c d");
        q.push_deep("group", "cloud]&x", "aws");
        assert_eq!(
            q.as_str(),
            "currencies[]=USD&currencies[]=EUR&search_term=a%26b%3Dc%20d&group[cloud%5D%26x]=aws"
        );
    }

    #[test]
    fn writes_integers_without_fmt() {
        for n in [0u64, 7, 10, 12345, u64::MAX] {
            let mut s = String::new();
            push_u64(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
