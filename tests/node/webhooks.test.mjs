// verifyWebhook (API.md "Webhooks") on the built package: webhooks the fake Lago server signed
// as lago-api does (jwt: RS256 over {data, iss}; hmac: SHA-256), valid and tampered in every way,
// in Node and in headless Chromium (the browser entry, which loads webhook.js on first call).
// Nothing in a request can make it throw: only a missing or unusable key rejects (invalid_input).
// The Rust face's twin is tests/rust_face_webhooks.rs; workerd's is in workerd.test.mjs.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { verifyWebhook, LagoError } from "../../pkg/node.mjs";
import cjs from "../../pkg/node/index.cjs";
import { launchChromium, servePkg } from "./helpers.mjs";
import { API_KEY, startFakeLago } from "./servers.mjs";

let fake;
/** `{ public_key, hmac_key, issuer }` from the fake's admin route. */
let keys;
before(async () => {
  fake = await startFakeLago();
  keys = await (await fetch(`${fake.url}/admin/webhooks/keys`)).json();
});
after(() => fake?.stop());

/** A webhook the fake signed: `{ headers, body }` (no payload: its sample customer.created). */
async function signed(algorithm, payload) {
  const res = await fetch(`${fake.url}/admin/webhooks/sign?algorithm=${algorithm}`, {
    method: "POST",
    body: payload === undefined ? "" : JSON.stringify(payload),
  });
  assert.equal(res.status, 200);
  return res.json();
}

/** Both keys and the issuer, so the request alone decides the outcome. */
const allKeys = () => ({ publicKey: keys.public_key, hmacKey: keys.hmac_key, issuer: keys.issuer });

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");
const utf8 = (text) => new TextEncoder().encode(text);

/** A JWT made here: `header` and `claims` as given, signed with `privateKey` (RS256) or unsigned. */
async function jwt(header, claims, privateKey) {
  const input = `${b64url(utf8(JSON.stringify(header)))}.${b64url(utf8(JSON.stringify(claims)))}`;
  if (!privateKey) return `${input}.`;
  const sig = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", privateKey, utf8(input));
  return `${input}.${b64url(new Uint8Array(sig))}`;
}

/** Another RSA key pair: `{ privateKey, pem }` (the public half as a PEM). */
async function otherRsaKey() {
  const pair = await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  );
  const spki = Buffer.from(await crypto.subtle.exportKey("spki", pair.publicKey)).toString("base64");
  const pem = `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g).join("\n")}\n-----END PUBLIC KEY-----\n`;
  return { privateKey: pair.privateKey, pem };
}

async function assertRefused(input, why) {
  const out = await verifyWebhook(input);
  assert.equal(out.valid, false, why);
  assert.equal(out.event, null, why);
  return out;
}

describe("valid webhooks", () => {
  for (const algorithm of ["jwt", "hmac"]) {
    test(`${algorithm}: valid, with the parsed event, the algorithm and the unique key`, async () => {
      const { headers, body } = await signed(algorithm);
      const out = await verifyWebhook({ headers, rawBody: body, ...allKeys() });
      assert.deepEqual(out, {
        valid: true,
        algorithm,
        uniqueKey: headers["X-Lago-Unique-Key"],
        event: JSON.parse(body),
      });
      assert.equal(out.event.customer.name, "Acme Corp — Zürich");
    });

    test(`${algorithm}: Headers, lower-case and odd-case plain objects, Node's array values`, async () => {
      const { headers, body } = await signed(algorithm, { webhook_type: "invoice.created", object_type: "invoice", invoice: { lago_id: "i1", total_amount_cents: 1999, note: "« ünïcødé » \u2028 </script>" } });
      const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      const odd = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
      const arrays = Object.fromEntries(Object.entries(lower).map(([k, v]) => [k, [v]]));
      for (const h of [new Headers(headers), lower, odd, arrays, new Map(Object.entries(headers))]) {
        const out = await verifyWebhook({ headers: h, rawBody: body, ...allKeys() });
        assert.equal(out.valid, true, `headers as ${h.constructor.name}`);
        assert.equal(out.event.invoice.total_amount_cents, 1999);
      }
    });
  }

  test("jwt: the key from json_public_key, from public_key (text/plain), and as a PEM", async () => {
    const auth = { headers: { authorization: `Bearer ${API_KEY}` } };
    const jsonKey = (await (await fetch(`${fake.url}/api/v1/webhooks/json_public_key`, auth)).json()).webhook.public_key;
    const res = await fetch(`${fake.url}/api/v1/webhooks/public_key`, auth);
    assert.match(res.headers.get("content-type"), /^text\/plain/);
    const textKey = await res.text();
    assert.equal(textKey, jsonKey);
    assert.match(jsonKey, /\n/, "Lago's Base64.encode64 breaks lines");
    const pem = Buffer.from(jsonKey, "base64").toString("utf8");
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n/);
    const { headers, body } = await signed("jwt");
    for (const publicKey of [jsonKey, textKey, pem, jsonKey.replace(/\n/g, ""), ` ${pem}\n`, pem.replace(/\n/g, "\r\n")]) {
      assert.equal((await verifyWebhook({ headers, rawBody: body, publicKey })).valid, true);
    }
  });

  test("jwt: issuer is checked only when given; hmac ignores it", async () => {
    const { headers, body } = await signed("jwt");
    assert.equal((await verifyWebhook({ headers, rawBody: body, publicKey: keys.public_key })).valid, true);
    assert.equal((await verifyWebhook({ headers, rawBody: body, publicKey: keys.public_key, issuer: keys.issuer })).valid, true);
    const h = await signed("hmac");
    assert.equal((await verifyWebhook({ headers: h.headers, rawBody: h.body, hmacKey: keys.hmac_key, issuer: "https://elsewhere" })).valid, true);
  });

  test("jwt made here with the right claims but another key is refused; with extra header fields and the real shape it verifies its own key", async () => {
    const { privateKey, pem } = await otherRsaKey();
    const body = JSON.stringify({ webhook_type: "x", object_type: "y" });
    const token = await jwt({ alg: "RS256", typ: "JWT" }, { data: body, iss: keys.issuer }, privateKey);
    const headers = { "X-Lago-Signature": token, "X-Lago-Signature-Algorithm": "jwt", "X-Lago-Unique-Key": "u1" };
    await assertRefused({ headers, rawBody: body, ...allKeys() }, "signed by another key");
    const own = await verifyWebhook({ headers, rawBody: body, publicKey: pem, issuer: keys.issuer });
    assert.equal(own.valid, true, "a JWT signed by the key given verifies");
    assert.equal(own.uniqueKey, "u1");
  });

  test("the same verifyWebhook from import and require; many at once, mixed", async () => {
    assert.equal(cjs.verifyWebhook, verifyWebhook);
    const good = await Promise.all([signed("jwt"), signed("hmac")]);
    const runs = Array.from({ length: 60 }, (_, i) => {
      const { headers, body } = good[i % 2];
      const rawBody = i % 3 === 0 ? `${body} ` : body;
      return verifyWebhook({ headers, rawBody, ...allKeys() }).then((out) => [out.valid, i % 3 !== 0]);
    });
    for (const [got, want] of await Promise.all(runs)) assert.equal(got, want);
  });
});

describe("tampered or wrong: valid false, event null, never a throw", () => {
  for (const algorithm of ["jwt", "hmac"]) {
    test(`${algorithm}: body changed`, async () => {
      const { headers, body } = await signed(algorithm);
      const changed = [body.replace("acme_corp", "acme_corq"), `${body}\n`, ` ${body}`, body.slice(0, -1), "", "{}", JSON.stringify(JSON.parse(body), null, 2)];
      for (const rawBody of changed) await assertRefused({ headers, rawBody, ...allKeys() }, JSON.stringify(rawBody.slice(0, 40)));
    });

    test(`${algorithm}: signature changed`, async () => {
      const { headers, body } = await signed(algorithm);
      const sig = headers["X-Lago-Signature"];
      const mid = Math.floor(sig.length / 2);
      const flip = (c) => (c === "A" ? "B" : "A");
      const changed = [
        sig.slice(0, mid) + flip(sig[mid]) + sig.slice(mid + 1),
        sig.slice(0, -2) + flip(sig.at(-2)) + sig.at(-1),
        sig.slice(0, -4),
        `${sig}AAAA`,
        sig.toLowerCase(),
        `${sig} ${sig}`,
      ];
      for (const s of changed) {
        await assertRefused({ headers: { ...headers, "X-Lago-Signature": s }, rawBody: body, ...allKeys() }, s.slice(0, 30));
      }
    });

    test(`${algorithm}: missing signature header, missing or unknown algorithm header`, async () => {
      const { headers, body } = await signed(algorithm);
      const { "X-Lago-Signature": _, ...noSig } = headers;
      const out = await assertRefused({ headers: noSig, rawBody: body, ...allKeys() });
      assert.equal(out.algorithm, algorithm);
      assert.equal(out.uniqueKey, headers["X-Lago-Unique-Key"]);
      const { "X-Lago-Signature-Algorithm": __, ...noAlg } = headers;
      assert.equal((await assertRefused({ headers: noAlg, rawBody: body, ...allKeys() })).algorithm, null);
      for (const unknown of ["rs256", "RS256", "JWT", "HMAC", "none", "", "jwt ", "hmac-sha256", "jwt, hmac"]) {
        const seen = await assertRefused({ headers: { ...headers, "X-Lago-Signature-Algorithm": unknown }, rawBody: body, ...allKeys() }, unknown);
        assert.equal(seen.algorithm, unknown);
      }
      // An unknown algorithm needs no key: refused without a throw even with none given.
      await assertRefused({ headers: { ...headers, "X-Lago-Signature-Algorithm": "rsa" }, rawBody: body });
      assert.deepEqual(await verifyWebhook({ headers: {}, rawBody: body }), { valid: false, algorithm: null, uniqueKey: null, event: null });
    });

    test(`${algorithm}: the other algorithm's header on this signature`, async () => {
      const { headers, body } = await signed(algorithm);
      const other = algorithm === "jwt" ? "hmac" : "jwt";
      await assertRefused({ headers: { ...headers, "X-Lago-Signature-Algorithm": other }, rawBody: body, ...allKeys() });
    });
  }

  test("jwt: wrong key, wrong issuer", async () => {
    const { headers, body } = await signed("jwt");
    const { pem } = await otherRsaKey();
    await assertRefused({ headers, rawBody: body, publicKey: pem }, "another public key");
    for (const issuer of ["https://api.getlago.com", `${keys.issuer}/`, keys.issuer.toUpperCase(), ""]) {
      await assertRefused({ headers, rawBody: body, publicKey: keys.public_key, issuer }, issuer);
    }
  });

  test("hmac: wrong key", async () => {
    const { headers, body } = await signed("hmac");
    for (const hmacKey of [`${keys.hmac_key}x`, keys.hmac_key.toUpperCase(), "k", keys.hmac_key.slice(1)]) {
      await assertRefused({ headers, rawBody: body, hmacKey }, hmacKey);
    }
  });

  test("jwt: forged tokens (alg none, HS256 keyed with the public key, claims swapped, data not a string)", async () => {
    const { headers, body } = await signed("jwt");
    const [h, c, s] = headers["X-Lago-Signature"].split(".");
    const claims = { data: body, iss: keys.issuer };
    const hsKey = await crypto.subtle.importKey("raw", utf8(keys.public_key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const hsInput = `${b64url(utf8('{"alg":"HS256"}'))}.${b64url(utf8(JSON.stringify(claims)))}`;
    const hs256 = `${hsInput}.${b64url(new Uint8Array(await crypto.subtle.sign("HMAC", hsKey, utf8(hsInput))))}`;
    const { privateKey } = await otherRsaKey();
    const forged = [
      await jwt({ alg: "none" }, claims),
      `${b64url(utf8('{"alg":"none"}'))}.${c}.`,
      `${b64url(utf8('{"alg":"none"}'))}.${c}.${s}`,
      `${b64url(utf8('{"alg":"RS512"}'))}.${c}.${s}`,
      `${b64url(utf8('{"alg":"rs256"}'))}.${c}.${s}`,
      `${b64url(utf8("[]"))}.${c}.${s}`,
      hs256,
      await jwt({ alg: "RS256" }, { data: JSON.parse(body), iss: keys.issuer }, privateKey),
      `${h}.${b64url(utf8(JSON.stringify({ ...claims, data: `${body} ` })))}.${s}`,
      `${h}.${b64url(utf8(JSON.stringify({ data: JSON.parse(body), iss: keys.issuer })))}.${s}`,
      `${h}.${b64url(utf8(JSON.stringify({ iss: keys.issuer })))}.${s}`,
      `${h}.${c}`,
      `${h}.${c}.${s}.${s}`,
      `${h}..${s}`,
      `.${c}.${s}`,
      `${h}.${c}.`,
      `${h}=.${c}.${s}`,
      `${h}.${c}.${s}==`,
      `${h}.${c}.${Buffer.from(s, "base64url").toString("base64")}`,
    ];
    for (const token of forged) {
      await assertRefused({ headers: { ...headers, "X-Lago-Signature": token }, rawBody: body, ...allKeys() }, token.slice(0, 50));
    }
  });

  test("garbage everywhere", async () => {
    const j = await signed("jwt");
    const hm = await signed("hmac");
    const junk = [
      "", " ", ".", "..", "...", "a.b.c", "x".repeat(100_000), "€€€.€.€", "\u0000", "%%%", "null", "{}", "[]",
      "eyJ.eyJ.eyJ", "====", "AAAA", "!!!!", "A".repeat(43) + "=", "QUJD", "-_-_", "a\nb", "🦀.🦀.🦀",
    ];
    for (const { headers, body } of [j, hm]) {
      for (const sig of junk) {
        await assertRefused({ headers: { ...headers, "X-Lago-Signature": sig }, rawBody: body, ...allKeys() }, sig.slice(0, 20));
        await assertRefused({ headers: { ...headers, "X-Lago-Signature": sig }, rawBody: sig, ...allKeys() }, sig.slice(0, 20));
      }
      // Header values that are not strings are taken as missing.
      for (const bad of [123, null, undefined, {}, [], [1, 2], true]) {
        await assertRefused({ headers: { ...headers, "X-Lago-Signature": bad }, rawBody: body, ...allKeys() }, String(bad));
        await assertRefused({ headers: { ...headers, "X-Lago-Signature-Algorithm": bad }, rawBody: body, ...allKeys() }, String(bad));
      }
      // A repeated signature header (two spellings) is joined as Headers would: refused.
      await assertRefused({ headers: { ...headers, "x-lago-signature": headers["X-Lago-Signature"] }, rawBody: body, ...allKeys() });
      await assertRefused({ headers: { ...headers, "X-Lago-Signature": [headers["X-Lago-Signature"], "x"] }, rawBody: body, ...allKeys() });
      // A body that is not JSON, signed right, still has no event: refused.
    }
    // A signed body that is not JSON (Lago never sends one): valid stays false, event null.
    const made = await otherRsaKey();
    const token = await jwt({ alg: "RS256" }, { data: "not json", iss: "i" }, made.privateKey);
    await assertRefused({ headers: { "x-lago-signature": token, "x-lago-signature-algorithm": "jwt" }, rawBody: "not json", publicKey: made.pem });
  });
});

describe("invalid_input: only when the key the algorithm needs is missing or unusable", () => {
  const rejectsInvalid = async (input, field) => {
    const err = await verifyWebhook(input).then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    assert.ok(err instanceof LagoError, String(err));
    assert.ok(err instanceof Error);
    assert.equal(err.kind, "invalid_input");
    assert.equal(err.field, field);
    assert.equal(err.mayHaveSucceeded, false);
    assert.match(err.message, /verifyWebhook/);
    assert.ok(!err.message.includes(keys.hmac_key), "the HMAC key never appears in an error");
  };

  test("jwt without publicKey, hmac without hmacKey (empty and non-string too)", async () => {
    const j = await signed("jwt");
    const hm = await signed("hmac");
    for (const publicKey of [undefined, null, "", "   ", 42]) {
      await rejectsInvalid({ headers: j.headers, rawBody: j.body, publicKey, hmacKey: keys.hmac_key }, "publicKey");
    }
    for (const hmacKey of [undefined, null, "", 42]) {
      await rejectsInvalid({ headers: hm.headers, rawBody: hm.body, hmacKey, publicKey: keys.public_key }, "hmacKey");
    }
    // Whatever the request carries: a missing signature does not hide a missing key.
    await rejectsInvalid({ headers: { "X-Lago-Signature-Algorithm": "jwt" }, rawBody: "{}" }, "publicKey");
  });

  test("a publicKey that is not an RSA public key", async () => {
    const j = await signed("jwt");
    const pem = Buffer.from(keys.public_key, "base64").toString("utf8");
    for (const publicKey of ["not a key", keys.hmac_key, pem.replace("PUBLIC KEY", "PRIVATE KEY"), pem.slice(0, 200), Buffer.from("hello").toString("base64")]) {
      await rejectsInvalid({ headers: j.headers, rawBody: j.body, publicKey }, "publicKey");
    }
  });

  test("rawBody not a string, headers not an object", async () => {
    const j = await signed("jwt");
    await rejectsInvalid({ headers: j.headers, rawBody: JSON.parse(j.body), ...allKeys() }, "rawBody");
    await rejectsInvalid({ headers: j.headers, rawBody: Buffer.from(j.body), ...allKeys() }, "rawBody");
    await rejectsInvalid({ headers: null, rawBody: j.body, ...allKeys() }, "headers");
    await rejectsInvalid({ headers: "x-lago-signature: x", rawBody: j.body, ...allKeys() }, "headers");
    await rejectsInvalid(undefined, "rawBody");
  });
});

test("a webhook handler over HTTP: the fake's signed request POSTed to a Node server using verifyWebhook", async () => {
  const seen = new Set();
  // The README's handler, on node:http with a Fetch Request (as Next.js hands one).
  const handler = async (req) => {
    const rawBody = await req.text();
    const { valid, uniqueKey, event } = await verifyWebhook({ headers: req.headers, rawBody, ...allKeys() });
    if (!valid) return new Response("bad signature", { status: 401 });
    if (seen.has(uniqueKey)) return new Response("duplicate", { status: 200 });
    seen.add(uniqueKey);
    return Response.json({ got: event.webhook_type });
  };
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const request = new Request(`http://x${req.url}`, { method: "POST", headers: req.headers, body: Buffer.concat(chunks) });
    const answer = await handler(request);
    res.writeHead(answer.status, { "content-type": "text/plain" }).end(await answer.text());
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}/lago/webhooks`;
  try {
    for (const algorithm of ["jwt", "hmac"]) {
      const { headers, body } = await signed(algorithm, { webhook_type: "invoice.paid", object_type: "invoice", invoice: { n: "ü" } });
      const post = (b, h = headers) => fetch(url, { method: "POST", headers: { ...h, "content-type": "application/json" }, body: b });
      const first = await post(body);
      assert.equal(first.status, 200);
      assert.equal(await first.text(), '{"got":"invoice.paid"}');
      assert.equal(await (await post(body)).text(), "duplicate", "a retried delivery has the same unique key");
      assert.equal((await post(body.replace("invoice.paid", "invoice.void"))).status, 401);
      assert.equal((await post(body, { ...headers, "X-Lago-Signature": "x" })).status, 401);
    }
  } finally {
    await new Promise((r) => server.close(r));
  }
});

describe("in headless Chromium (the browser entry)", () => {
  test("a page verifies both kinds, refuses tampered ones, and loads webhook.js only when verifyWebhook is called", async () => {
    const browser = await launchChromium();
    const server = await servePkg('<!doctype html><link rel="icon" href="data:,"><title>webhooks</title>');
    try {
      const page = await browser.newPage();
      const requested = [];
      page.on("request", (r) => requested.push(new URL(r.url()).pathname));
      await page.goto(server.origin);
      const cases = [await signed("jwt"), await signed("hmac")];
      const out = await page.evaluate(
        async ({ cases, keys }) => {
          const lago = await import("/pkg/index.js");
          await new lago.CustomersApi({ baseUrl: "http://127.0.0.1:9/api/v1", maxRetries: 0 }).findCustomer("x").catch(() => {});
          const before = performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname);
          const all = { publicKey: keys.public_key, hmacKey: keys.hmac_key, issuer: keys.issuer };
          const results = [];
          for (const { headers, body } of cases) {
            results.push(await lago.verifyWebhook({ headers: new Headers(headers), rawBody: body, ...all }));
            results.push(await lago.verifyWebhook({ headers, rawBody: `${body} `, ...all }));
            results.push(await lago.verifyWebhook({ headers: { ...headers, "X-Lago-Signature": "garbage.." }, rawBody: body, ...all }));
          }
          const err = await lago.verifyWebhook({ headers: cases[0].headers, rawBody: cases[0].body }).catch((e) => e);
          return {
            before,
            results: results.map((r) => [r.valid, r.algorithm, r.uniqueKey, r.event?.webhook_type ?? null]),
            err: { isLago: err instanceof lago.LagoError, kind: err.kind, field: err.field },
          };
        },
        { cases, keys },
      );
      assert.ok(!out.before.some((p) => p.endsWith("/webhook.js")), `webhook.js loaded before any verifyWebhook call: ${out.before}`);
      assert.ok(requested.some((p) => p === "/pkg/webhook.js"), "loaded on the first call");
      const [j, h] = cases.map((c) => c.headers["X-Lago-Unique-Key"]);
      assert.deepEqual(out.results, [
        [true, "jwt", j, "customer.created"], [false, "jwt", j, null], [false, "jwt", j, null],
        [true, "hmac", h, "customer.created"], [false, "hmac", h, null], [false, "hmac", h, null],
      ]);
      assert.deepEqual(out.err, { isLago: true, kind: "invalid_input", field: "publicKey" });
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
