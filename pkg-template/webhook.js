// verifyWebhook: checks that a webhook came from Lago (README, Webhooks). Plain JS over WebCrypto
// (`crypto.subtle`), the same code in browsers, workers, Deno, Bun, Node and edge runtimes; it
// never touches the wasm (nothing to parse there, and the npm wasm stays as it is). How Lago signs:
// shared/lago-openapi/REALITY.md section 8 (lago-api app/models/webhook.rb).
//
// Only a missing or unusable key (or a rawBody that is not a string) rejects, with a LagoError of
// kind "invalid_input": everything in the request itself is untrusted, so any wrong, missing or
// malformed part of it resolves `valid: false`.
//
// No import: each entry hands in its own LagoError class (the browser entry bundles its copy, so
// this module must not load lago-error.js a second time), and the Node entry node:crypto's
// WebCrypto for Node 18, which has no global `crypto`.

// One imported key per algorithm: a server verifies with the same key again and again.
const cached = { jwt: [], hmac: [] };
const encode = (text) => new TextEncoder().encode(text);

/** `verifyWebhook` for an entry: errors made with its `LagoError`. */
export function verifier(LagoError, fallbackCrypto) {
  const invalid = (field, problem, cause) =>
    new LagoError(`Invalid input: ${field} ${problem} (verifyWebhook)`, { kind: "invalid_input", field, cause });
  const subtle = () => {
    const found = (globalThis.crypto ?? fallbackCrypto)?.subtle;
    if (!found) {
      throw invalid("crypto", "WebCrypto (crypto.subtle) is missing here: browsers give it to secure contexts (https, localhost) only");
    }
    return found;
  };
  return async function verifyWebhook(request) {
    const { headers, rawBody, publicKey, hmacKey, issuer } = request ?? {};
    if (typeof rawBody !== "string") {
      throw invalid("rawBody", "must be the body as received, a string (e.g. `await request.text()`)");
    }
    if (headers === null || typeof headers !== "object") {
      throw invalid("headers", "must be the request's Headers or a plain object");
    }
    if (issuer !== undefined && typeof issuer !== "string") throw invalid("issuer", "must be a string");
    const header = reader(headers);
    const algorithm = header("x-lago-signature-algorithm");
    const signature = header("x-lago-signature");
    const out = { valid: false, algorithm, uniqueKey: header("x-lago-unique-key"), event: null };
    let ok = false;
    if (algorithm === "jwt") {
      const key = await importOnce("jwt", "publicKey", publicKey, (pem) => importRsa(pem, subtle(), invalid), invalid);
      ok = signature !== null && (await checkJwt(subtle(), key, signature, rawBody, issuer));
    } else if (algorithm === "hmac") {
      const key = await importOnce("hmac", "hmacKey", hmacKey, (text) => importHmac(text, subtle()), invalid);
      ok = signature !== null && (await check(subtle(), "HMAC", key, base64(signature), encode(rawBody)));
    }
    if (ok) {
      try {
        out.event = JSON.parse(rawBody);
        out.valid = true;
      } catch {
        // Signed but not JSON: Lago never sends that.
      }
    }
    return out;
  };
}

/** A header's value by its lower-case name, or null: from Headers (get) or a plain object. */
function reader(headers) {
  if (typeof headers.get === "function" && !(headers instanceof Map)) {
    return (name) => {
      const value = headers.get(name);
      return typeof value === "string" ? value : null;
    };
  }
  const entries = headers instanceof Map ? [...headers] : Object.entries(headers);
  return (name) => {
    // Every spelling of the name, joined as Headers would join repeats.
    const values = entries
      .filter(([key]) => typeof key === "string" && key.toLowerCase() === name)
      .flatMap(([, value]) => value)
      .filter((value) => typeof value === "string");
    return values.length ? values.join(", ") : null;
  };
}

/** RS256 over `{data, iss}`: `data` must be the raw body, `iss` the issuer when one is given. */
async function checkJwt(subtle, key, token, rawBody, issuer) {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const [head, claims, signature] = parts;
  if (json(head)?.alg !== "RS256") return false;
  const payload = json(claims);
  if (payload?.data !== rawBody) return false;
  if (issuer !== undefined && payload.iss !== issuer) return false;
  return check(subtle, "RSASSA-PKCS1-v1_5", key, base64(signature, true), encode(`${head}.${claims}`));
}

/** WebCrypto's verify (constant time for HMAC); false for anything that does not verify. */
async function check(subtle, name, key, signature, data) {
  if (!signature) return false;
  try {
    return await subtle.verify(name, key, signature, data);
  } catch {
    return false;
  }
}

/** A base64url JWT part as JSON, or undefined. */
function json(part) {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64(part, true)));
  } catch {
    return undefined;
  }
}

/** Bytes of base64 (`url`: base64url, no padding), or null when it is not that. */
function base64(text, url) {
  if (url) {
    if (/[^\w-]/.test(text)) return null;
    text = text.replace(/-/g, "+").replace(/_/g, "/");
  }
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The CryptoKey for `value`, imported once while the same value comes back. */
async function importOnce(algorithm, field, value, make, invalid) {
  if (typeof value !== "string" || !value.trim()) {
    throw invalid(field, `is required to verify a webhook signed with ${algorithm}`);
  }
  const [last, key] = cached[algorithm];
  if (last === value) return key;
  const made = await make(value);
  cached[algorithm] = [value, made];
  return made;
}

/** `publicKey`: base64 of a PEM (what Lago hands out, newlines and all) or the PEM itself. */
async function importRsa(value, subtle, invalid) {
  let pem = value;
  if (!pem.includes("-----BEGIN")) {
    const bytes = base64(pem.replace(/\s/g, ""));
    pem = bytes ? new TextDecoder().decode(bytes) : "";
  }
  const body = /-----BEGIN PUBLIC KEY-----([^-]*)-----END PUBLIC KEY-----/.exec(pem);
  const der = body && base64(body[1].replace(/\s/g, ""));
  try {
    return await subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
  } catch (cause) {
    throw invalid("publicKey", "is not an RSA public key (a PEM `-----BEGIN PUBLIC KEY-----`, or its base64 as Lago's `webhook.public_key`)", cause);
  }
}

function importHmac(value, subtle) {
  return subtle.importKey("raw", encode(value), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
}
