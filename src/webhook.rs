//! Webhooks on the Rust face: [`verify_webhook`] checks that a request came from Lago, with the
//! contract of the JS face's `verifyWebhook` (README, Webhooks). How Lago signs:
//! `shared/lago-openapi/REALITY.md` section 8 (lago-api `app/models/webhook.rb`):
//! - `X-Lago-Signature-Algorithm: jwt`: `X-Lago-Signature` is an RS256 JWT whose claims are
//!   `{data: <the body>, iss: <LAGO_API_URL>}` (no `exp`, no `iat`);
//! - `X-Lago-Signature-Algorithm: hmac`: `X-Lago-Signature` is the base64 of
//!   HMAC-SHA256(organisation's HMAC key, body);
//! - `X-Lago-Unique-Key`: the webhook's id, the same for each retry of one delivery.
//!
//! The signatures are checked by WebCrypto (`crypto.subtle` of the global scope: a window, a
//! worker, Node or Deno alike); parsing is plain Rust. Nothing a request carries makes it fail:
//! a wrong, missing or malformed signature is `valid: false`. It fails (`ErrorKind::InvalidInput`)
//! only when the key the algorithm needs was not given or is not a key.
//!
//! ```no_run
//! # async fn handler(raw_body: String, headers: Vec<(String, String)>, key: String) -> Result<(), lago_wasm::Error> {
//! use lago_wasm::webhook::{verify_webhook, WebhookRequest};
//! let verified = verify_webhook(WebhookRequest::new(raw_body).headers(headers).public_key(key)).await?;
//! if verified.valid {
//!     let event = verified.event.unwrap_or_default();
//!     println!("{} (dedupe on {:?})", event["webhook_type"], verified.unique_key);
//! }
//! # Ok(()) }
//! ```

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use crate::error::{Error, ErrorKind};

/// `X-Lago-Signature-Algorithm`: what the webhook says it is signed with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// RS256 JWT, checked with [`WebhookRequest::public_key`] (Lago's default).
    Jwt,
    /// HMAC-SHA256, checked with [`WebhookRequest::hmac_key`].
    Hmac,
    /// Anything else, as sent (never valid).
    Other(String),
}

impl SignatureAlgorithm {
    fn from_header(value: &str) -> Self {
        match value {
            "jwt" => SignatureAlgorithm::Jwt,
            "hmac" => SignatureAlgorithm::Hmac,
            other => SignatureAlgorithm::Other(other.into()),
        }
    }

    /// The header's value: `"jwt"`, `"hmac"` or what was sent.
    pub fn as_str(&self) -> &str {
        match self {
            SignatureAlgorithm::Jwt => "jwt",
            SignatureAlgorithm::Hmac => "hmac",
            SignatureAlgorithm::Other(other) => other,
        }
    }
}

/// A webhook request to verify: its raw body, the headers Lago sent, and the keys to check it
/// with. Only the three Lago headers are kept (names compared case-insensitively; a header
/// given twice is joined with `, `, as `Headers` does, so it no longer verifies).
///
/// Owns what it holds, so the future of [`verify_webhook`] is `'static`. Its `Debug` never
/// prints the HMAC key.
#[derive(Clone, Default)]
pub struct WebhookRequest {
    raw_body: String,
    signature: Option<String>,
    algorithm: Option<String>,
    unique_key: Option<String>,
    public_key: Option<String>,
    hmac_key: Option<String>,
    issuer: Option<String>,
}

impl WebhookRequest {
    /// The body exactly as received (not re-serialized: the signature covers its bytes).
    pub fn new(raw_body: impl Into<String>) -> Self {
        WebhookRequest {
            raw_body: raw_body.into(),
            ..Default::default()
        }
    }

    /// One header of the request (any other name than Lago's three is ignored).
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        let slot = if name.eq_ignore_ascii_case("x-lago-signature") {
            &mut self.signature
        } else if name.eq_ignore_ascii_case("x-lago-signature-algorithm") {
            &mut self.algorithm
        } else if name.eq_ignore_ascii_case("x-lago-unique-key") {
            &mut self.unique_key
        } else {
            return self;
        };
        match slot {
            Some(seen) => {
                seen.push_str(", ");
                seen.push_str(value.as_ref());
            }
            None => *slot = Some(value.as_ref().into()),
        }
        self
    }

    /// The request's headers as `(name, value)` pairs: a `Vec<(String, String)>`, an
    /// `http::HeaderMap` mapped to strings, workers-rs `Headers::entries()`, ...
    pub fn headers<N, V>(self, headers: impl IntoIterator<Item = (N, V)>) -> Self
    where
        N: AsRef<str>,
        V: AsRef<str>,
    {
        headers
            .into_iter()
            .fold(self, |request, (name, value)| request.header(name, value))
    }

    /// For `jwt` webhooks: `webhook.public_key` as `GET /webhooks/json_public_key` hands it out
    /// (the base64 of a PEM, newlines and all), or the PEM itself.
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = Some(key.into());
        self
    }

    /// For `hmac` webhooks: the organisation's HMAC key (Lago's UI, Developers).
    pub fn hmac_key(mut self, key: impl Into<String>) -> Self {
        self.hmac_key = Some(key.into());
        self
    }

    /// For `jwt` webhooks: the `iss` to expect (your Lago server's `LAGO_API_URL`); not
    /// checked when not given.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }
}

impl std::fmt::Debug for WebhookRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookRequest")
            .field("raw_body_len", &self.raw_body.len())
            .field("algorithm", &self.algorithm)
            .field("unique_key", &self.unique_key)
            .field("signature", &self.signature.as_ref().map(|_| "..."))
            .field("public_key", &self.public_key.as_ref().map(|_| "..."))
            .field("hmac_key", &self.hmac_key.as_ref().map(|_| "<redacted>"))
            .field("issuer", &self.issuer)
            .finish()
    }
}

/// What [`verify_webhook`] found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Verified {
    /// The signature is Lago's, over this very body (and the issuer, when given, matches).
    pub valid: bool,
    /// `X-Lago-Signature-Algorithm` as sent (`None` when missing).
    pub algorithm: Option<SignatureAlgorithm>,
    /// `X-Lago-Unique-Key`: the same for each retry of one delivery (Lago retries up to 3
    /// times); dedupe on it.
    pub unique_key: Option<String>,
    /// The parsed body when `valid` (`webhook_type`, `object_type`, the object), else `None`.
    /// `serde_json::from_value` turns it into your own type.
    pub event: Option<Value>,
}

/// Checks a webhook's signature, following `X-Lago-Signature-Algorithm`. `Ok` with
/// `valid: false` for anything wrong in the request (signature, body, algorithm header, issuer);
/// `Err` (`ErrorKind::InvalidInput`) only when the key the algorithm needs was not given or is
/// not a key, or WebCrypto is missing (browsers give it to secure contexts only).
pub async fn verify_webhook(request: WebhookRequest) -> Result<Verified, Error> {
    let algorithm = request
        .algorithm
        .as_deref()
        .map(SignatureAlgorithm::from_header);
    let ok = match &algorithm {
        Some(SignatureAlgorithm::Jwt) => {
            let key = rsa_key(request.public_key.as_deref()).await?;
            match jwt_parts(request.signature.as_deref()) {
                Some(jwt) if jwt.claims_match(&request.raw_body, request.issuer.as_deref()) => {
                    verify(RS256, &key, &jwt.signature, jwt.signing_input.as_bytes()).await
                }
                _ => false,
            }
        }
        Some(SignatureAlgorithm::Hmac) => {
            let key = hmac_key(request.hmac_key.as_deref()).await?;
            match request
                .signature
                .as_deref()
                .and_then(|s| base64(s.as_bytes(), false))
            {
                Some(signature) => {
                    verify("HMAC", &key, &signature, request.raw_body.as_bytes()).await
                }
                None => false,
            }
        }
        _ => false,
    };
    let event = if ok {
        serde_json::from_str::<Value>(&request.raw_body).ok()
    } else {
        None
    };
    Ok(Verified {
        valid: event.is_some(),
        algorithm,
        unique_key: request.unique_key,
        event,
    })
}

const RS256: &str = "RSASSA-PKCS1-v1_5";

/// A JWT's parts once its header says RS256.
struct Jwt<'a> {
    signing_input: &'a str,
    claims: Value,
    signature: Vec<u8>,
}

impl Jwt<'_> {
    /// `data` is the raw body, and `iss` the issuer when one is expected.
    fn claims_match(&self, raw_body: &str, issuer: Option<&str>) -> bool {
        let claim = |name: &str| self.claims.get(name).and_then(Value::as_str);
        claim("data") == Some(raw_body)
            && match issuer {
                Some(issuer) => claim("iss") == Some(issuer),
                None => true,
            }
    }
}

/// `header.claims.signature`, each base64url, the header `{"alg":"RS256", ...}`.
fn jwt_parts(token: Option<&str>) -> Option<Jwt<'_>> {
    let token = token?;
    let bytes = token.as_bytes();
    let dot = |from: usize| Some(from + bytes.get(from..)?.iter().position(|&b| b == b'.')?);
    let first = dot(0)?;
    let second = dot(first + 1)?;
    if dot(second + 1).is_some() {
        return None;
    }
    let (head, claims, signature) = (
        bytes.get(..first)?,
        bytes.get(first + 1..second)?,
        bytes.get(second + 1..)?,
    );
    let header: Value = serde_json::from_slice(&base64(head, true)?).ok()?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return None;
    }
    Some(Jwt {
        signing_input: token.get(..second)?,
        claims: serde_json::from_slice(&base64(claims, true)?).ok()?,
        signature: base64(signature, true)?,
    })
}

/// Base64 (`url`: the base64url alphabet, no padding) to bytes; `None` for anything else.
/// Standard base64 may end in one or two `=`. Bits past the last byte are ignored.
///
/// The text is read byte by byte here and in [`spki_der`], with no `str` pattern search
/// (`split`, `find`, `trim`): those generic searchers are shared with the JS face, and a new
/// caller of one changes how LLVM inlines it there, which grew the npm wasm by 155 B although
/// none of this module reaches it.
fn base64(text: &[u8], url: bool) -> Option<Vec<u8>> {
    let text = match text {
        [rest @ .., b'=', b'='] | [rest @ .., b'='] if !url => rest,
        _ => text,
    };
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' if url => 62,
            b'_' if url => 63,
            b'+' if !url => 62,
            b'/' if !url => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Where `needle` starts in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let last = hay.len().checked_sub(needle.len())?;
    (0..=last).find(|&i| hay.get(i..i + needle.len()) == Some(needle))
}

/// `bytes` without ASCII whitespace (PEM and Lago's base64 break lines).
fn unwrapped(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect()
}

/// The DER of `-----BEGIN PUBLIC KEY-----`, from the PEM or from the base64 of it.
fn spki_der(public_key: &str) -> Option<Vec<u8>> {
    const BEGIN: &[u8] = b"-----BEGIN PUBLIC KEY-----";
    const END: &[u8] = b"-----END PUBLIC KEY-----";
    let decoded;
    let pem = if find(public_key.as_bytes(), b"-----BEGIN").is_some() {
        public_key.as_bytes()
    } else {
        decoded = base64(&unwrapped(public_key.as_bytes()), false)?;
        &decoded
    };
    let rest = pem.get(find(pem, BEGIN)? + BEGIN.len()..)?;
    let body = rest.get(..find(rest, END)?)?;
    base64(&unwrapped(body), false).filter(|der| !der.is_empty())
}

thread_local! {
    /// The last key imported per algorithm: a server verifies with the same key again and again.
    static RSA_KEY: RefCell<Option<(String, CryptoKey)>> = const { RefCell::new(None) };
    static HMAC_KEY: RefCell<Option<(String, CryptoKey)>> = const { RefCell::new(None) };
}

async fn rsa_key(public_key: Option<&str>) -> Result<CryptoKey, Error> {
    let public_key = given(public_key, "public_key", "jwt")?;
    if let Some(key) = cached(&RSA_KEY, public_key) {
        return Ok(key);
    }
    let not_a_key = || {
        invalid(
            "public_key",
            "is not an RSA public key (a PEM `-----BEGIN PUBLIC KEY-----`, or its base64 as Lago's `webhook.public_key`)",
        )
    };
    let der = spki_der(public_key).ok_or_else(not_a_key)?;
    let algorithm = Object::new();
    set(&algorithm, "name", RS256);
    set(&algorithm, "hash", "SHA-256");
    let key = import_key("spki", &der, &algorithm)
        .await
        .map_err(|_| not_a_key())?;
    RSA_KEY.with(|slot| *slot.borrow_mut() = Some((public_key.into(), key.clone())));
    Ok(key)
}

async fn hmac_key(hmac_key: Option<&str>) -> Result<CryptoKey, Error> {
    let hmac_key = given(hmac_key, "hmac_key", "hmac")?;
    if let Some(key) = cached(&HMAC_KEY, hmac_key) {
        return Ok(key);
    }
    let algorithm = Object::new();
    set(&algorithm, "name", "HMAC");
    set(&algorithm, "hash", "SHA-256");
    let key = import_key("raw", hmac_key.as_bytes(), &algorithm)
        .await
        .map_err(|_| invalid("hmac_key", "could not be imported by WebCrypto"))?;
    HMAC_KEY.with(|slot| *slot.borrow_mut() = Some((hmac_key.into(), key.clone())));
    Ok(key)
}

fn given<'a>(key: Option<&'a str>, field: &str, algorithm: &str) -> Result<&'a str, Error> {
    key.filter(|k| !k.bytes().all(|b| b.is_ascii_whitespace()))
        .ok_or_else(|| {
            let mut problem = String::from("is required to verify a webhook signed with ");
            problem.push_str(algorithm);
            invalid(field, &problem)
        })
}

fn cached(
    slot: &'static std::thread::LocalKey<RefCell<Option<(String, CryptoKey)>>>,
    value: &str,
) -> Option<CryptoKey> {
    slot.with(|slot| match &*slot.borrow() {
        Some((last, key)) if last == value => Some(key.clone()),
        _ => None,
    })
}

fn invalid(field: &str, problem: &str) -> Error {
    let mut message = String::from("Invalid input: ");
    message.push_str(field);
    message.push(' ');
    message.push_str(problem);
    message.push_str(" (verify_webhook)");
    let mut err = Error::new(ErrorKind::InvalidInput, "", "", message);
    err.field = Some(field.into());
    err
}

fn set(object: &Object, name: &str, value: &str) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(name), &JsValue::from_str(value));
}

/// `globalThis.crypto.subtle`: a window's, a worker's, Node's or Deno's.
fn subtle() -> Result<SubtleCrypto, Error> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok();
    let subtle = crypto
        .filter(JsValue::is_object)
        .and_then(|c| Reflect::get(&c, &JsValue::from_str("subtle")).ok())
        .filter(JsValue::is_object);
    match subtle {
        // Every method used is `catch`: a stand-in object makes them fail, never trap.
        Some(subtle) => Ok(subtle.unchecked_into()),
        None => Err(invalid(
            "crypto",
            "WebCrypto (crypto.subtle) is missing here: browsers give it to secure contexts (https, localhost) only",
        )),
    }
}

async fn import_key(format: &str, data: &[u8], algorithm: &Object) -> Result<CryptoKey, Error> {
    let usages = Array::of1(&JsValue::from_str("verify"));
    let promise = subtle()?
        .import_key_with_object(format, &Uint8Array::from(data), algorithm, false, &usages)
        .map_err(|_| invalid("key", "could not be imported"))?;
    let key = JsFuture::from(promise)
        .await
        .map_err(|_| invalid("key", "could not be imported"))?;
    key.dyn_into::<CryptoKey>().or_else(|key| {
        // Where `CryptoKey` is not a global class (older Node), take WebCrypto's word.
        if key.is_object() {
            Ok(key.unchecked_into())
        } else {
            Err(invalid("key", "could not be imported"))
        }
    })
}

/// WebCrypto's verify (constant time for HMAC); false for anything that does not verify.
async fn verify(algorithm: &str, key: &CryptoKey, signature: &[u8], data: &[u8]) -> bool {
    let Ok(subtle) = subtle() else {
        return false;
    };
    let Ok(promise) =
        subtle.verify_with_str_and_u8_array_and_u8_array(algorithm, key, signature, data)
    else {
        return false;
    };
    matches!(
        JsFuture::from(promise).await.map(|v| v.as_bool()),
        Ok(Some(true))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_both_alphabets() {
        assert_eq!(base64(b"aGVsbG8", true).as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64(b"aGVsbG8=", false).as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64(b"-_-_", true), Some(vec![0xfb, 0xff, 0xbf]));
        assert_eq!(base64(b"+/+/", false), Some(vec![0xfb, 0xff, 0xbf]));
        assert_eq!(base64(b"+/+/", true), None);
        assert_eq!(base64(b"-_-_", false), None);
        assert_eq!(base64(b"aGVsbG8=", true), None, "no padding in base64url");
        assert_eq!(base64(b"a", false), None);
        assert_eq!(base64(b"a b", false), None);
        assert_eq!(base64(b"", true), Some(vec![]));
        assert_eq!(base64("€".as_bytes(), true), None);
    }

    #[test]
    fn jwt_needs_three_parts_and_rs256() {
        // {"alg":"RS256"} . {"data":"{}","iss":"i"} . "sig"
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjoie30iLCJpc3MiOiJpIn0.c2ln";
        let jwt = jwt_parts(Some(token)).expect("parsed");
        assert_eq!(jwt.signature, b"sig");
        assert_eq!(
            jwt.signing_input,
            "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjoie30iLCJpc3MiOiJpIn0"
        );
        assert!(jwt.claims_match("{}", None));
        assert!(jwt.claims_match("{}", Some("i")));
        assert!(!jwt.claims_match("{}", Some("j")));
        assert!(!jwt.claims_match("{} ", None));
        for bad in [
            "",
            "..",
            "a.b.c",
            "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjoie30iLCJpc3MiOiJpIn0",
            "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjoie30iLCJpc3MiOiJpIn0.c2ln.c2ln",
            // {"alg":"none"}
            "eyJhbGciOiJub25lIn0.eyJkYXRhIjoie30iLCJpc3MiOiJpIn0.",
            // {"alg":"HS256"}
            "eyJhbGciOiJIUzI1NiJ9.eyJkYXRhIjoie30iLCJpc3MiOiJpIn0.c2ln",
            "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjoie30iLCJpc3MiOiJpIn0.c2ln=",
        ] {
            assert!(jwt_parts(Some(bad)).is_none(), "{bad}");
        }
        // data that is not a string never matches.
        let not_string = "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjp7fX0.c2ln"; // {"data":{}}
        assert!(!jwt_parts(Some(not_string))
            .expect("parsed")
            .claims_match("{}", None));
    }

    #[test]
    fn public_key_as_pem_or_its_base64() {
        let pem = "-----BEGIN PUBLIC KEY-----\nAQID\nBAU=\n-----END PUBLIC KEY-----\n";
        assert_eq!(spki_der(pem), Some(vec![1, 2, 3, 4, 5]));
        let b64 = "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KQVFJRApCQVU9Ci0tLS0tRU5E\nIFBVQkxJQyBLRVktLS0tLQo=\n";
        assert_eq!(spki_der(b64), Some(vec![1, 2, 3, 4, 5]));
        assert_eq!(spki_der("not a key"), None);
        assert_eq!(
            spki_der("-----BEGIN PRIVATE KEY-----\nAQID\n-----END PRIVATE KEY-----"),
            None
        );
    }

    #[test]
    fn headers_case_insensitive_repeats_joined() {
        let request = WebhookRequest::new("{}").headers([
            ("X-LAGO-SIGNATURE", "a"),
            ("x-lago-signature-algorithm", "jwt"),
            ("X-Lago-Unique-Key", "k"),
            ("content-type", "application/json"),
            ("x-lago-signature", "b"),
        ]);
        assert_eq!(request.signature.as_deref(), Some("a, b"));
        assert_eq!(request.algorithm.as_deref(), Some("jwt"));
        assert_eq!(request.unique_key.as_deref(), Some("k"));
        let shown = format!("{:?}", request.hmac_key("s3cret-hmac"));
        assert!(!shown.contains("s3cret"), "{shown}");
    }

    #[test]
    fn missing_keys_are_invalid_input() {
        let err = given(None, "public_key", "jwt").expect_err("missing");
        assert_eq!(err.kind, ErrorKind::InvalidInput);
        assert_eq!(err.field.as_deref(), Some("public_key"));
        assert!(given(Some("  "), "hmac_key", "hmac").is_err());
        assert_eq!(given(Some("k"), "hmac_key", "hmac").ok(), Some("k"));
    }
}
