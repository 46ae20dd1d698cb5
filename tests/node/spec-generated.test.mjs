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
import { ANSWER_RENAMES, REPO, RS_OUT, TS_OUT, loadSpec, specManifest, specPath } from "../../tools/gen-from-spec.mjs";

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
  // 36 for the seed's nine operations (CUSTOMERS.md); 90 for the 31 of the customer and wallet
  // classes; 96 with the two event sends (CustomerWalletCreateInput is a spec fix's own); 97 with
  // `EventCreated`, the created event the answer names hoist out of `EventCreated.event`.
  assert.equal(Object.keys(schemas).length, 97, "spec 1.51.0: 97 schemas reachable from the 33 operations");
  for (const n of ["GenerateCustomerCheckoutURL200Response", "GetCustomerPortalUrl200Response", "CustomerPortalUrl"])
    assert.ok(TS.interfaces.has(n), n);
});

test("answers are named <X>Response and the object inside <X> (ANSWER_RENAMES, README \"TypeScript\")", (t) => {
  if (needSpec(t)) return;
  loadSpec(SPEC);
  assert.deepEqual(Object.fromEntries(ANSWER_RENAMES), {
    Customer: "CustomerResponse", CustomerObjectExtended: "Customer",
    AppliedCoupon: "AppliedCouponResponse", AppliedCouponObject: "AppliedCoupon",
    Wallet: "WalletResponse", WalletObject: "Wallet",
    WalletAlert: "WalletAlertResponse", WalletAlertObject: "WalletAlert",
    CustomerUsage: "CustomerUsageResponse", CustomerUsageObject: "CustomerUsage",
    CustomerProjectedUsage: "CustomerProjectedUsageResponse", CustomerProjectedUsageObject: "CustomerProjectedUsage",
    EventCreated: "EventCreatedResponse", EventsCreated: "EventsCreatedResponse",
  });
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

const screaming = (s) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toUpperCase();

/** static name -> [{name, kind, required, nullable, style?}] for every `&[Field]`/`&[QueryParam]` table. */
function parseRustTables(text) {
  const tables = new Map();
  // One chunk per static; the tables are the `&[Field]` and `&[QueryParam]` ones.
  for (const chunk of text.split(/^(?=pub static |static )/m)) {
    const m = /^pub static (\w+): &\[(?:Field|QueryParam)\] = &\[([\s\S]*)\];/.exec(chunk);
    if (!m) continue;
    const fields = [];
    // (rustfmt wraps a kind whose static has a long name over several lines)
    for (const f of m[2].matchAll(/name: "(\w+)",\s*kind: ([^]*?),\s*required: (true|false),\s*nullable: (true|false),\s*\}(?:,\s*style: QueryStyle::(\w+))?/g))
      fields.push({ name: f[1], kind: f[2].replace(/\s+/g, "").replace(/,\)$/, ")"), required: f[3] === "true", nullable: f[4] === "true", style: f[5] });
    tables.set(m[1], fields);
  }
  return tables;
}

test("Rust tables mirror the TypeScript: same objects, fields, required flags and query keys", (t) => {
  const tables = parseRustTables(rust);
  for (const n of ["CUSTOMER_CREATE_INPUT", "CUSTOMER_INPUT", "FIND_ALL_CUSTOMERS_QUERY", "FIND_CUSTOMER_CURRENT_USAGE_QUERY", "FIND_ALL_CUSTOMER_PAST_USAGE_QUERY"])
    assert.ok(tables.has(n), `spec_tables.rs lacks ${n}`);
  const byRust = new Map([...TS.interfaces.keys()].map((n) => [screaming(n), n]));
  let fields = 0;
  for (const [table, rows] of tables) {
    const tsName = byRust.get(table);
    assert.ok(tsName, `${table} matches no TS interface`);
    const props = tsProps(tsName);
    assert.deepEqual(rows.map((r) => r.name), [...props.keys()], `${table} fields = ${tsName} properties`);
    for (const r of rows) {
      fields++;
      const p = props.get(r.name);
      assert.equal(r.required, !p.optional, `${table}.${r.name} required`);
      assert.equal(r.nullable, /\| null$/.test(p.type), `${table}.${r.name} nullable`);
      if (table.endsWith("_QUERY")) {
        const style = /\[\]$/.test(p.type) ? "Brackets" : /^Record</.test(p.type) ? "Deep" : "Plain";
        assert.equal(r.style, style, `${table}.${r.name} style`);
        if (style === "Brackets") assert.match(r.kind, /^Kind::Array\(/);
        if (style === "Deep") assert.equal(r.kind, "Kind::StrMap");
      }
    }
  }
  const paging = tables.get("FIND_ALL_CUSTOMER_PAST_USAGE_QUERY").filter((r) => r.kind === "Kind::Int").map((r) => r.name);
  assert.deepEqual(paging, ["page", "per_page", "periods_count"]);
  t.diagnostic(`${tables.size} Rust tables, ${fields} fields`);
});
