// Checks the files tools/gen-from-spec.mjs derives from Lago's OpenAPI spec:
//   - they are up to date with the spec (`--check`),
//   - every property of every schema the generated operations reach is in the TypeScript types,
//   - the TypeScript compiles under --strict and catches the mistakes it should,
//   - the Rust tables agree with the TypeScript (same tables, same fields, same query keys)
//     (that they are rustfmt-clean is `cargo fmt --check`'s job in make test).
// Tests that need the spec skip loudly when it is missing; the others read the committed files.
//
//   node --test tests/node/spec-generated.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ANSWER_KINDS, ANSWER_RENAMES, ARG_TAGS, METHODS, REPO, RETRY_TAGS, retryClass, RS_OUT, TS_OUT, generate, loadSpec, specManifest, specPath } from "../../tools/gen-from-spec.mjs";

const SPEC = specPath();
const HAVE_SPEC = existsSync(SPEC);
const SKIP_MSG = `Lago spec not found at ${SPEC} (set LAGO_OPENAPI)`;
if (!HAVE_SPEC) console.warn(`\n*** SKIPPING spec-dependent tests: ${SKIP_MSG} ***\n`);
const needSpec = (t) => {
  if (HAVE_SPEC) return false;
  t.skip(SKIP_MSG);
  return true;
};

const ts = readFileSync(TS_OUT, "utf8");
const rust = readFileSync(RS_OUT, "utf8");

// --- a tiny reader for the generated .d.ts (its layout is the generator's own) ---------------

/** name -> { props: Map<prop, {type, optional}>, extends: [] } and name -> alias target. */
function parseTs(text) {
  const interfaces = new Map();
  const aliases = new Map();
  for (const m of text.matchAll(/^export interface (\w+)(?: extends ([\w, ]+))? \{\n([\s\S]*?)^\}/gm)) {
    const props = new Map();
    // Optional properties also say `| undefined` (exactOptionalPropertyTypes); `type` is without it.
    for (const p of m[3].matchAll(/^ {2}"?(\w+)"?(\??): (.*);$/gm))
      props.set(p[1], { type: p[3].replace(/ \| undefined$/, ""), optional: p[2] === "?" });
    interfaces.set(m[1], { props, extends: m[2] ? m[2].split(/,\s*/) : [] });
  }
  for (const m of text.matchAll(/^export type (\w+) =([\s\S]*?);$/gm)) aliases.set(m[1], m[2].trim());
  return { interfaces, aliases };
}
const TS = parseTs(ts);

/** All properties of a TS declaration, following `extends` and `type X = Item[]`. */
function tsProps(name) {
  const alias = TS.aliases.get(name);
  if (alias) {
    const m = /^(\w+)\[\]$/.exec(alias);
    assert.ok(m, `type ${name} = ${alias} is not an array of an interface`);
    return tsProps(m[1]);
  }
  const d = TS.interfaces.get(name);
  assert.ok(d, `no interface ${name} in types.d.ts`);
  const all = new Map();
  for (const e of d.extends) for (const [k, v] of tsProps(e)) all.set(k, v);
  for (const [k, v] of d.props) all.set(k, v);
  return all;
}

/** The declaration a property's type points to (`X`, `X[]`, `X | null` -> `X`). */
function targetOf(owner, prop) {
  const p = tsProps(owner).get(prop);
  assert.ok(p, `${owner} has no property ${prop}`);
  const t = p.type.replace(/ \| null$/, "").replace(/\[\]$/, "");
  assert.match(t, /^\w+$/, `${owner}.${prop}: ${p.type} names no declaration`);
  return t;
}

/** `CustomerCreateInput.customer.metadata[]` -> `CustomerMetadataInput`. */
function resolvePath(path) {
  const [head, ...rest] = path.split(".");
  let name = head.replace(/\[\]$/, "");
  for (const seg of rest) name = targetOf(name, seg.replace(/\[\]$/, ""));
  return name;
}

// --- the tests -------------------------------------------------------------------------------

test("generated files are up to date with the spec (--check)", (t) => {
  if (needSpec(t)) return;
  const r = spawnSync(process.execPath, [join(REPO, "tools/gen-from-spec.mjs"), "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, `gen-from-spec --check failed:\n${r.stdout}${r.stderr}`);
  t.diagnostic(r.stdout.trim().split("\n").pop());
});

test("--check without a spec skips loudly and succeeds", () => {
  const r = spawnSync(process.execPath, [join(REPO, "tools/gen-from-spec.mjs"), "--check"], {
    encoding: "utf8",
    env: { ...process.env, LAGO_OPENAPI: join(tmpdir(), "no-such-dir", "openapi.yaml") },
  });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /SKIPPED: Lago spec not found at .*no-such-dir.* \(set LAGO_OPENAPI\)/);
});

test("every property of every reachable schema is in types.d.ts", (t) => {
  if (needSpec(t)) return;
  const doc = loadSpec(SPEC);
  const { schemas, inline, queries } = specManifest(doc);
  let properties = 0;
  const missing = [];
  const check = (label, tsName, props) => {
    const have = tsProps(tsName);
    for (const p of props) {
      properties++;
      if (!have.has(p)) missing.push(`${label}.${p} (TS ${tsName})`);
    }
  };
  for (const [name, props] of Object.entries(schemas)) {
    const s = doc.components.schemas[name];
    if (s.enum) {
      // Enum schemas: every value of the spec's list must be a literal of the TS type.
      const alias = TS.aliases.get(name);
      assert.ok(alias, `no type ${name}`);
      const base = /^(\w+) \|/.exec(alias)?.[1];
      const text = base && TS.aliases.has(base) ? `${TS.aliases.get(base)} | ${alias}` : alias;
      for (const v of s.enum) if (v !== null) assert.ok(text.includes(JSON.stringify(v)), `${name}: ${v} missing`);
      if (s.enum.includes(null)) assert.match(alias, /\| null$/, `${name} must allow null`);
      continue;
    }
    if (!props.length) {
      assert.ok(TS.aliases.has(name) || TS.interfaces.has(name), `no declaration ${name}`);
      continue;
    }
    check(name, name, props);
    // Required lists: required on the wire means no `?` (array schemas' array-level `required`
    // is the spec quirk that does not apply to items, so it is not checked).
    // (A required name that is no property is a spec bug the generator lists and skips.)
    if (s.type === "object")
      for (const r of s.required || []) if (r in s.properties) assert.equal(tsProps(name).get(r)?.optional, false, `${name}.${r} should be required`);
  }
  for (const [path, props] of Object.entries(inline)) check(path, resolvePath(path), props);
  let queryParams = 0;
  for (const [name, keys] of Object.entries(queries)) {
    queryParams += keys.length;
    check(name, name, keys);
    assert.deepEqual([...tsProps(name).keys()], keys, `${name} has exactly the spec's optional parameters`);
  }
  assert.deepEqual(missing, [], `properties missing from types.d.ts:\n  ${missing.join("\n  ")}`);
  const counts =
    `${Object.keys(schemas).length} schemas, ${Object.keys(inline).length} inline objects, ` +
    `${properties - queryParams} properties, ${queryParams} query parameters`;
  console.log(`spec ${doc.info.version}: ${counts}`);
  t.diagnostic(counts);
  // 36 for the seed's nine operations (CUSTOMERS.md); 97 for the 33 of the customer, wallet and
  // event classes; 286 for all 202 operations: the spec's 290 (with the spec fixes' own) but
  // its webhook payloads (TriggeredAlertObject, the *ErrorObject and *FailureObject events...).
  assert.equal(Object.keys(schemas).length, 286, "spec 1.51.0: 286 schemas reachable from the 202 operations");
  for (const n of ["GenerateCustomerCheckoutURL200Response", "GetCustomerPortalUrl200Response", "CustomerPortalUrl"])
    assert.ok(TS.interfaces.has(n), n);
});

test("answers are named <X>Response and the object inside <X> (ANSWER_RENAMES, README \"TypeScript\")", (t) => {
  if (needSpec(t)) return;
  loadSpec(SPEC);
  const renames = Object.fromEntries(ANSWER_RENAMES);
  // The rule holds for every rename: a wrapper W becomes WResponse, the object inside takes W.
  for (const [from, to] of ANSWER_RENAMES) {
    if (to.endsWith("Response")) assert.equal(to, `${from}Response`, from);
    else assert.equal(renames[to], `${to}Response`, `${from} -> ${to}: ${to} is a renamed wrapper`);
  }
  // The names of the first classes' answers, which the README's rename table lists.
  const first = {
    Customer: "CustomerResponse", CustomerObjectExtended: "Customer",
    AppliedCoupon: "AppliedCouponResponse", AppliedCouponObject: "AppliedCoupon",
    Wallet: "WalletResponse", WalletObject: "Wallet",
    WalletAlert: "WalletAlertResponse", WalletAlertObject: "WalletAlert",
    CustomerUsage: "CustomerUsageResponse", CustomerUsageObject: "CustomerUsage",
    CustomerProjectedUsage: "CustomerProjectedUsageResponse", CustomerProjectedUsageObject: "CustomerProjectedUsage",
    EventCreated: "EventCreatedResponse", EventsCreated: "EventsCreatedResponse",
  };
  for (const [from, to] of Object.entries(first)) assert.equal(renames[from], to, from);
  t.diagnostic(`${ANSWER_RENAMES.size} renames`);
  for (const gone of ["CustomerObjectExtended", "WalletObject", "WalletAlertObject", "EventCreatedEvent", "EventsCreatedEventsItem"])
    assert.ok(!TS.interfaces.has(gone), gone);
  assert.match(ts, /^export interface CustomerResponse \{\n  customer: Customer;\n\}/m);
  assert.match(ts, /^export interface WalletResponse \{\n  wallet: Wallet;\n\}/m);
  assert.match(ts, /^export interface EventsCreatedResponse \{\n  events: EventCreated\[\];\n\}/m);
});

test("types.d.ts is plain exported declarations: no imports, no any, unknown only where the spec gives no shape", () => {
  assert.match(ts, /^\/\/ Generated by tools\/gen-from-spec\.mjs from Lago's OpenAPI spec \S+; do not edit\./);
  assert.doesNotMatch(ts, /^\s*import\b/m);
  for (const line of ts.split("\n")) {
    if (/^\s*(\/\/|\/\*\*|\*)/.test(line)) continue; // comments: spec prose may say "any"
    if (/^(interface|type|declare|const|class|enum)\b/.test(line)) assert.fail(`not exported: ${line}`);
    assert.doesNotMatch(line, /\bany\b/, "no `any` in a type");
    if (/\bunknown\b/.test(line))
      assert.match(line, /^ {2}\w+\??: Record<string, unknown>( \| null)?( \| undefined)?;$/, `unexpected unknown: ${line}`);
  }
  for (const n of ["CustomersApi", "LagoError ", "LagoError{"]) assert.ok(!ts.includes(`interface ${n}`) && !ts.includes(`class ${n}`), n);
  assert.ok(TS.interfaces.has("LagoErrorBody"));
  const body = tsProps("LagoErrorBody");
  assert.deepEqual(
    [...body].map(([k, v]) => `${k}${v.optional ? "?" : ""}`),
    ["status", "error", "code?", "error_details?"],
  );
});

test("types.d.ts compiles under tsc --strict and catches caller mistakes", () => {
  const dir = mkdtempSync(join(tmpdir(), "lago-types-"));
  try {
    writeFileSync(join(dir, "types.d.ts"), ts);
    writeFileSync(
      join(dir, "usage.ts"),
      `import type {
  AppliedCouponResponse, Customer, CustomerCreateInput, CustomerPastUsage, CustomerResponse, CustomersPaginated,
  CustomerUsage, CustomerUsageResponse, Wallet, WalletResponse,
  FindAllCustomerPastUsageQuery, FindAllCustomersQuery, FindCustomerCurrentUsageQuery,
  GenerateCustomerCheckoutURL200Response, GetCustomerPortalUrl200Response, LagoErrorBody,
} from "./types";

export const ok: CustomerCreateInput = {
  customer: {
    external_id: "acme", country: "NO", currency: null, timezone: "Europe/Kyiv", account_type: "partner",
    metadata: [{ key: "k", value: "v", display_in_invoice: true }],
    billing_configuration: { payment_provider: "stripe", provider_payment_methods: null },
    integration_customers: [{ integration_type: "netsuite", sync_with_provider: true }],
  },
};
// @ts-expect-error a typo in a field name is caught (no index signatures)
export const typo: CustomerCreateInput = { customer: { external_id: "x", emial: "a@b.c" } };
// @ts-expect-error external_id is required
export const noId: CustomerCreateInput = { customer: {} };
// Enum types are open (the server judges): a code the spec does not list yet still type-checks.
export const newCurrency: CustomerCreateInput = { customer: { external_id: "x", currency: "BHD", country: "XX" } };
// @ts-expect-error but a country is still a string
export const badCountry: CustomerCreateInput = { customer: { external_id: "x", country: 33 } };

export const q1: FindAllCustomersQuery = {
  page: 1, per_page: 20, currencies: ["USD", "EUR"], countries: ["FR"], account_type: ["customer", "partner"],
  metadata: { is_synced: "true" }, customer_type: "company", has_customer_type: true, search_term: "x",
};
export const q2: FindCustomerCurrentUsageQuery = { group: { cloud: "aws" }, apply_taxes: false, full_usage: true };
// @ts-expect-error external_subscription_id is positional, not a query key
export const q3: FindAllCustomerPastUsageQuery = { external_subscription_id: "s" };
// @ts-expect-error metadata values are strings
export const q4: FindAllCustomersQuery = { metadata: { n: 1 } };

export function read(
  c: CustomerResponse, l: CustomersPaginated, a: AppliedCouponResponse, u: CustomerUsageResponse, p: CustomerPastUsage,
  k: GenerateCustomerCheckoutURL200Response, g: GetCustomerPortalUrl200Response, e: LagoErrorBody,
): Array<string | number | null | undefined> {
  const next: number | null | undefined = l.meta.next_page;
  const group: Record<string, string> | undefined = u.customer_usage.charges_usage[0]?.grouped_usage?.[0]?.grouped_by;
  const values: Record<string, string[]> | undefined = u.customer_usage.charges_usage[0]?.filters?.[0]?.values;
  const details: Record<string, string> | undefined = c.customer.error_details?.[0]?.details;
  void group; void values; void details;
  return [c.customer.external_id, c.customer.country, next, a.applied_coupon.frequency, p.usage_periods[0]?.amount_cents,
    k.customer.checkout_url, g.customer.portal_url, e.status, e.code, c.customer.integration_customers?.[0]?.type];
}
// Names that say what they hold (ANSWER_RENAMES): the object inside an answer has the plain name.
export function inner(c: CustomerResponse, u: CustomerUsageResponse, w: WalletResponse): [Customer, CustomerUsage, Wallet] {
  return [c.customer, u.customer_usage, w.wallet];
}
`,
    );
    const tsc = join(REPO, "node_modules/.bin/tsc");
    // cwd is the temporary folder so that tsc does not pull in the repo's node_modules/@types.
    const r = spawnSync(tsc, ["--noEmit", "--strict", "--target", "es2020", "types.d.ts", "usage.ts"], {
      encoding: "utf8",
      cwd: dir,
    });
    assert.equal(r.status, 0, `tsc --strict failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// --- Rust tables -------------------------------------------------------------------------------

/** The blob of spec_tables.rs as bytes, and each operation constant's offset. */
function parseRustBlob(text) {
  const m = /pub static SPEC: &\[u8\] =\s*b"([\s\S]*?)";\n/.exec(text);
  assert.ok(m, "spec_tables.rs has the SPEC blob");
  const literal = m[1].replace(/\\\n\s*/g, ""); // line continuations drop the newline and indent
  const bytes = [];
  for (let i = 0; i < literal.length; i++) {
    if (literal[i] !== "\\") bytes.push(literal.charCodeAt(i));
    else if (literal[i + 1] === "x") (bytes.push(parseInt(literal.slice(i + 2, i + 4), 16)), (i += 3));
    else bytes.push(literal.charCodeAt(++i)); // \" and \\
  }
  const consts = new Map([...text.matchAll(/pub const (\w+): Operation = Operation\((\d+)\);/g)].map((c) => [c[1], Number(c[2])]));
  const order = /pub static OPERATIONS: \[Operation; \d+\] = \[([\s\S]*?)\];/.exec(text)[1].split(",").map((x) => x.trim()).filter(Boolean);
  return { bytes, consts, order };
}

/** A reader of the blob with schema.rs's format, written again here to check the generator. */
function blobReader(bytes) {
  const u16 = (at) => bytes[at] | (bytes[at + 1] << 8);
  const text = (at) => String.fromCharCode(...bytes.slice(at, bytes.indexOf(0, at))); // NUL-ended
  const SIMPLE = ["Str", "NonEmptyStr", "Int", "Num", "Bool", "StrMap", "StrOrNullMap", "Any"];
  // A kind written at `at`: [the kind, where it ends].
  const kind = (at) => {
    const tag = bytes[at] & 15; // a field's flags are the high four bits
    if (tag < 8) return [{ tag: SIMPLE[tag] }, at + 1];
    if (tag === 8 || tag === 9) {
      const [inner, end] = kind(at + 1);
      return [{ tag: tag === 8 ? "Array" : "Map", inner }, end];
    }
    if (tag === 10) {
      const members = [];
      let next = at + 2;
      for (let i = 0; i < bytes[at + 1]; i++) {
        const [m, end] = kind(next);
        members.push(m);
        next = end;
      }
      return [{ tag: "OneOf", members }, next];
    }
    if (tag === 12) return [{ tag: "Object", table: at + 1 }, tableEnd(at + 1)]; // the table inline
    assert.equal(tag, 11, `kind tag at ${at}`);
    return [{ tag: "Object", table: u16(at + 1) }, at + 3];
  };
  const tableEnd = (at) => {
    let next = at + 1;
    for (let i = 0; i < bytes[at]; i++) next = kind(next + text(next).length + 1)[1];
    return next;
  };
  const table = (at) => {
    const rows = [];
    let next = at + 1;
    for (let i = 0; i < bytes[at]; i++) {
      const name = text(next);
      const kindAt = next + name.length + 1;
      const flags = bytes[kindAt] >> 4;
      const [k, end] = kind(kindAt);
      rows.push({ name, kind: k, required: !!(flags & 1), nullable: !!(flags & 2), style: ["Plain", "Brackets", "Deep"][flags >> 2] });
      next = end;
    }
    return rows;
  };
  // An operation's record: its method, retry class, route, answer and arguments, then its body
  // kind and query table (the letters are the generator's RETRY_TAGS, ANSWER_KINDS, ARG_TAGS).
  const op = (at) => {
    const method = METHODS[bytes[at]];
    const retryTag = Object.keys(RETRY_TAGS).find((k) => RETRY_TAGS[k] === bytes[at + 1]);
    let next = at + 2;
    const take = () => {
      const t = text(next);
      next += t.length + 1;
      return t;
    };
    const retry = retryTag === "keyed" ? `keyed:${take()}` : retryTag;
    const route = take();
    const answer = [];
    for (let n = bytes[next++]; n > 0; n--) {
      const k = String.fromCharCode(bytes[next++]);
      assert.ok(ANSWER_KINDS.includes(k), `answer kind ${k} at ${next - 1}`);
      const key = take();
      answer.push(k === "t" ? "t" : `${k}:${key}`);
    }
    const args = [];
    for (let n = bytes[next++]; n > 0; n--) {
      const tag = Object.keys(ARG_TAGS).find((k) => ARG_TAGS[k] === bytes[next]);
      next++;
      args.push(tag === "query" ? `query:${take()}` : tag);
    }
    // The query table as an object kind, then the body's kind; `0xff` for none.
    const [queryKind, bodyAt] = bytes[next] === 0xff ? [null, next + 1] : kind(next);
    const [body] = bytes[bodyAt] === 0xff ? [null] : kind(bodyAt);
    return { method, retry, route, shape: answer.join("|"), args, body, query: queryKind ? queryKind.table : null };
  };
  return { op, table };
}

test("the Rust blob mirrors the TypeScript: every operation, its arguments, its body's objects and its query keys", (t) => {
  if (needSpec(t)) return;
  const { built } = generate(loadSpec(SPEC));
  const { bytes, consts, order } = parseRustBlob(rust);
  const read = blobReader(bytes);
  assert.equal(order.length, built.ops.length, "OPERATIONS lists every operation");
  const checked = new Set();
  let fields = 0;
  // A table against the TS interface it mirrors, then the objects its fields lead to.
  const compare = (at, tsName, where) => {
    if (checked.has(`${at}:${tsName}`)) return;
    checked.add(`${at}:${tsName}`);
    const rows = read.table(at);
    const props = tsProps(tsName);
    assert.deepEqual(rows.map((r) => r.name), [...props.keys()], `${where}: fields = ${tsName} properties`);
    for (const r of rows) {
      fields++;
      const p = props.get(r.name);
      assert.equal(r.required, !p.optional, `${where}.${r.name} required`);
      assert.equal(r.nullable, /\| null$/.test(p.type), `${where}.${r.name} nullable`);
      const k = r.kind.tag === "Array" ? r.kind.inner : r.kind;
      if (k.tag === "Object") compare(k.table, p.type.replace(/ \| null$/, "").replace(/^\((.*)\)\[\]$|\[\]$/, "$1"), `${where}.${r.name}`);
    }
  };
  built.ops.forEach((o, i) => {
    const name = order[i];
    assert.ok(consts.has(name), `${name} is a constant`);
    const op = read.op(consts.get(name));
    assert.deepEqual([op.method, op.route, op.shape], [o.method, o.path, built.roots.shape[o.id]], o.id);
    const retry = retryClass(o);
    assert.equal(op.retry, retry.startsWith("Retry::Keyed(") ? `keyed:${JSON.parse(retry.slice(13, -1))}` : retry.slice(7).toLowerCase(), `${o.id} retry class`);
    // Wire names only: the faces name the arguments themselves.
    assert.deepEqual(op.args, o.args.map((a) => ({ path: "path", query: `query:${a.wire}`, body: a.optional ? "optionalBody" : "body", filters: "filters" })[a.kind]), `${o.id} arguments`);
    const body = built.roots.body[o.id];
    assert.equal(op.body !== null, !!body, `${o.id} body`);
    if (op.body?.tag === "Object") compare(op.body.table, body, `${o.id} body`);
    const query = built.roots.query[o.id];
    assert.equal(op.query !== null, !!query, `${o.id} query`);
    if (!query) return;
    compare(op.query, query, `${o.id} query`);
    for (const r of read.table(op.query)) {
      const p = tsProps(query).get(r.name);
      const style = /\[\]$/.test(p.type) ? "Brackets" : /^Record</.test(p.type) ? "Deep" : "Plain";
      assert.equal(r.style, style, `${o.id} query ${r.name} style`);
      if (style === "Brackets") assert.equal(r.kind.tag, "Array");
      if (style === "Deep") assert.equal(r.kind.tag, "StrMap");
      if (r.name === "page" || r.name === "per_page") assert.equal(r.kind.tag, "Int");
    }
  });
  t.diagnostic(`${built.ops.length} operations, ${checked.size} tables, ${fields} fields, ${bytes.length} B`);
});

test("the JS face names each argument as its method does: camelCase of the wire name, or src/js/arg_names.rs", (t) => {
  if (needSpec(t)) return;
  const { built } = generate(loadSpec(SPEC));
  const renamed = new Map(
    [...readFileSync(join(REPO, "src/js/arg_names.rs"), "utf8").matchAll(/\((\d+), "(\w+)", "(\w+)"\)/g)].map((m) => [`${m[1]}.${m[2]}`, m[3]]),
  );
  // `js_name` in src/js/validate.rs: the same rule.
  const camel = (wire) => wire.replace(/_(\w)/g, (_, c) => c.toUpperCase());
  let named = 0;
  built.ops.forEach((o, i) => {
    for (const a of o.args.filter((a) => a.kind === "path" || a.kind === "query")) {
      assert.equal(renamed.get(`${i}.${a.wire}`) ?? camel(a.wire), a.name, `${o.id} ${a.wire}`);
      named++;
    }
  });
  assert.ok(renamed.size > 0 && named > 200, `${named} arguments, ${renamed.size} renamed`);
});
