//! Webhooks signed the way Lago signs them (`shared/lago-openapi/REALITY.md` section 8;
//! lago-api `app/models/webhook.rb` `generate_headers`, `jwt_signature`, `hmac_signature`), with
//! a test-only RSA key pair (`webhook-test-only-key.pem`, committed on purpose: it signs nothing
//! real) and a fixed test HMAC key, so the SDK's `verifyWebhook` / `verify_webhook` can be tested
//! against what a server made:
//! - `GET /api/v1/webhooks/json_public_key`: `{"webhook":{"public_key":"<base64 of the PEM>"}}`;
//! - `GET /api/v1/webhooks/public_key`: the same base64 as `text/plain` (deprecated in Lago);
//! - `POST /admin/webhooks/sign?algorithm=jwt|hmac[&unique_key=K]` with a JSON payload (or no
//!   body: a sample `customer.created`): `{"headers": {...}, "body": "<raw body>"}`;
//! - `GET /admin/webhooks/keys`: `{"public_key", "hmac_key", "issuer"}` for tests.

use crate::query::Query;
use crate::util::{bad_request, invalid, not_found, uuid_from, Reply};
use axum::body::Body;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The organisation's HMAC key fake-lago signs `hmac` webhooks with (Lago makes one per
/// organisation, a UUID shown in its UI). Test-only, like the RSA key.
pub const TEST_HMAC_KEY: &str = "fake-lago-test-hmac-key";

/// The test-only RSA key (2048-bit, PKCS#8), after the file's warning lines.
const KEY_FILE: &str = include_str!("../webhook-test-only-key.pem");

struct Keys {
    signing: SigningKey<Sha256>,
    /// The public half as Lago hands it out: `Base64.encode64(RsaPublicKey.to_s)`.
    public_base64: String,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let pem = KEY_FILE
            .find("-----BEGIN")
            .map_or(KEY_FILE, |at| &KEY_FILE[at..]);
        // Our own committed file: a parse failure is a broken checkout, not input.
        let private = RsaPrivateKey::from_pkcs8_pem(pem).expect("webhook-test-only-key.pem");
        let public_pem = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("public key PEM");
        Keys {
            public_base64: ruby_encode64(public_pem.as_bytes()),
            signing: SigningKey::<Sha256>::new(private),
        }
    })
}

/// Ruby's `Base64.encode64`: standard base64, a `\n` after every 60 characters and at the end
/// (what lago-api's webhooks controller sends, newlines and all).
fn ruby_encode64(bytes: &[u8]) -> String {
    let flat = STANDARD.encode(bytes);
    let mut out = String::with_capacity(flat.len() + flat.len() / 60 + 1);
    for line in flat.as_bytes().chunks(60) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// `GET /webhooks/json_public_key`.
pub fn json_public_key() -> Reply {
    (
        StatusCode::OK,
        json!({"webhook": {"public_key": keys().public_base64}}),
    )
}

/// `GET /webhooks/public_key` (deprecated in Lago): the same base64, as `text/plain`.
pub fn public_key_text() -> Response {
    let mut response = Response::new(Body::from(keys().public_base64.clone()));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// `/admin/webhooks/<rest>`: `POST sign` and `GET keys`; `issuer` is this server's URL.
pub fn admin(method: &Method, rest: &str, query: &Query, body: &[u8], issuer: &str) -> Reply {
    match (method.as_str(), rest) {
        ("POST", "sign") => sign(
            query.get("algorithm"),
            query.get("unique_key"),
            body,
            issuer,
        ),
        ("GET", "keys") => test_keys(issuer),
        _ => not_found("resource_not_found"),
    }
}

/// `GET /admin/webhooks/keys`: what a test verifies with.
pub fn test_keys(issuer: &str) -> Reply {
    (
        StatusCode::OK,
        json!({"public_key": keys().public_base64, "hmac_key": TEST_HMAC_KEY, "issuer": issuer}),
    )
}

/// `JWT.encode({data: body, iss: issuer}, private_key, "RS256")` as ruby-jwt writes it: header
/// `{"alg":"RS256"}`, no `exp` or `iat`.
pub fn jwt_signature(body: &str, issuer: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256"}"#);
    let claims = URL_SAFE_NO_PAD.encode(json!({"data": body, "iss": issuer}).to_string());
    let signing_input = format!("{header}.{claims}");
    let signature = keys().signing.sign(signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    )
}

/// `Base64.strict_encode64(OpenSSL::HMAC.digest("sha-256", hmac_key, body))`.
pub fn hmac_signature(body: &str, key: &str) -> String {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(body.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// `POST /admin/webhooks/sign?algorithm=jwt|hmac[&unique_key=K]`: the headers and body Lago
/// would POST for this payload (`payload.to_json`: compact JSON). No body: a sample
/// `customer.created`. The issuer is this server's URL (Lago's `LAGO_API_URL`).
pub fn sign(algorithm: Option<&str>, unique_key: Option<&str>, body: &[u8], issuer: &str) -> Reply {
    let payload: Value = if body.iter().all(u8::is_ascii_whitespace) {
        sample_payload()
    } else {
        match serde_json::from_slice(body) {
            Ok(value) => value,
            Err(_) => return bad_request("the payload to sign must be JSON"),
        }
    };
    let raw = payload.to_string();
    // Lago's endpoints default to jwt.
    let algorithm = algorithm.unwrap_or("jwt");
    let signature = match algorithm {
        "jwt" => jwt_signature(&raw, issuer),
        "hmac" => hmac_signature(&raw, TEST_HMAC_KEY),
        _ => return invalid("algorithm", "value_is_invalid"),
    };
    // Lago's key is the webhook's id, a UUID.
    static SIGNED: AtomicU64 = AtomicU64::new(0);
    let unique_key = unique_key.map_or_else(
        || uuid_from(0x7765_6268_6f6f_6b00 ^ SIGNED.fetch_add(1, Ordering::Relaxed)),
        str::to_string,
    );
    (
        StatusCode::OK,
        json!({
            "headers": {
                "X-Lago-Signature": signature,
                "X-Lago-Signature-Algorithm": algorithm,
                "X-Lago-Unique-Key": unique_key,
            },
            "body": raw,
        }),
    )
}

/// A webhook as Lago sends one when a customer is created (shortened).
fn sample_payload() -> Value {
    json!({
        "webhook_type": "customer.created",
        "object_type": "customer",
        "organization_id": "4f0e7d6a-1b2c-4d3e-8f90-a1b2c3d4e5f6",
        "customer": {
            "lago_id": "99a6094e-199b-4101-896a-54e927ce7bd7",
            "external_id": "acme_corp",
            "name": "Acme Corp — Zürich",
            "currency": "EUR",
            "created_at": "2025-01-15T10:00:00Z"
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;

    #[test]
    fn public_key_is_ruby_encode64_of_an_spki_pem() {
        let b64 = &keys().public_base64;
        assert!(b64.ends_with('\n'));
        assert!(b64.lines().all(|l| l.len() <= 60));
        let pem = STANDARD.decode(b64.replace('\n', "")).expect("base64");
        let pem = String::from_utf8(pem).expect("utf8");
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
        rsa::RsaPublicKey::from_public_key_pem(&pem).expect("spki");
    }

    #[test]
    fn jwt_is_rs256_over_data_and_iss() {
        let token = jwt_signature(r#"{"a":"é"}"#, "http://lago.test");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header = URL_SAFE_NO_PAD.decode(parts[0]).expect("b64");
        assert_eq!(header, br#"{"alg":"RS256"}"#);
        let claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
        assert_eq!(
            claims,
            json!({"data": r#"{"a":"é"}"#, "iss": "http://lago.test"})
        );
        let verifying = VerifyingKey::<Sha256>::new(keys().signing.as_ref().to_public_key());
        let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(parts[2]).expect("b64").as_slice())
            .expect("sig");
        let input = format!("{}.{}", parts[0], parts[1]);
        verifying.verify(input.as_bytes(), &sig).expect("valid");
    }

    #[test]
    fn hmac_matches_a_known_vector() {
        // RFC 4231 test case 2 (also `openssl dgst -sha256 -hmac Jefe -binary | base64`).
        assert_eq!(
            hmac_signature("what do ya want for nothing?", "Jefe"),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
        );
    }

    #[test]
    fn sign_answers_headers_and_body() {
        let (status, out) = sign(Some("hmac"), Some("k1"), b"{\"b\":1, \"a\":2}", "http://x");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(out["body"], r#"{"a":2,"b":1}"#);
        assert_eq!(out["headers"]["X-Lago-Unique-Key"], "k1");
        assert_eq!(out["headers"]["X-Lago-Signature-Algorithm"], "hmac");
        let (status, _) = sign(Some("rsa"), None, b"", "http://x");
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = sign(None, None, b"not json", "http://x");
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
}
