//! The checks of a client's and a call's settings that both faces make, on plain Rust values:
//! each face reads its own input (a JS options object, a Rust struct), asks these, and refuses
//! with the same words (`invalid_input`, before anything is sent).

/// What a refused `baseUrl` / `base_url` is told.
pub const BASE_URL_PROBLEM: &str = "must be an http(s) URL or a path starting with \"/\"";
/// What a refused timeout is told.
pub const TIMEOUT_PROBLEM: &str = "must be a finite number of milliseconds >= 0";
/// What a refused retry count is told.
pub const RETRIES_PROBLEM: &str = "must be an integer from 0 to 10";
/// What an empty API key is told (never the value: it may be a key pasted in the wrong place).
pub const KEY_PROBLEM: &str = "must be a non-empty string";

/// The longest timeout: `setTimeout` treats delays above 2^31-1 ms as 0.
pub const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;
/// The most extra attempts a call may make.
pub const MAX_RETRIES: u32 = 10;

/// The base URL without its trailing `/`s, when it is an `http(s)://` URL or a path starting
/// with `/`, with no query or fragment.
pub fn base_url(s: &str) -> Option<&str> {
    let mut s = s;
    while let Some(shorter) = s.strip_suffix("/") {
        s = shorter;
    }
    let ok = s.starts_with("https://") || s.starts_with("http://") || s.starts_with("/");
    (ok && !s.bytes().any(|b| b == b'?' || b == b'#')).then_some(s)
}

/// A header `fetch` can send: a name that is an HTTP token, a value without a line break or NUL.
pub fn header(name: &str, value: &str) -> Result<(), &'static str> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err("has a name that is not a valid HTTP header name");
    }
    if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
        return Err("has a value with a line break or NUL");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            base_url("https://api.getlago.com/api/v1//"),
            Some("https://api.getlago.com/api/v1")
        );
        assert_eq!(base_url("/lago/api/v1/"), Some("/lago/api/v1"));
        assert_eq!(
            base_url("http://127.0.0.1:3000"),
            Some("http://127.0.0.1:3000")
        );
        for bad in [
            "",
            "/",
            "api.getlago.com",
            "ftp://x",
            "https://x/?a=1",
            "https://x#f",
        ] {
            assert_eq!(base_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn headers() {
        assert_eq!(header("x-proxy-token", "a b; c=d"), Ok(()));
        let name = Err("has a name that is not a valid HTTP header name");
        assert_eq!(header("", "v"), name);
        assert_eq!(header("bad name", "v"), name);
        assert_eq!(header("x:y", "v"), name);
        assert_eq!(header("naïve", "v"), name);
        let value = Err("has a value with a line break or NUL");
        for bad in ["a\nb", "a\rb", "nul\0"] {
            assert_eq!(header("x-ok", bad), value, "{bad:?}");
        }
    }
}
