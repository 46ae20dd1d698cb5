// Where every operation of Lago's spec lives in the built package, checked against API.md's
// rules ("Every operation of the spec") computed here from the spec file itself, not from the
// generator's CLASSES (so a generator bug cannot agree with itself): each operationId is a
// method of exactly one class, the class API.md names; every class is on `new Lago(...)` under
// its camelCase name; every paginated list has its `listAll…` twin and nothing else does; and
// the TypeScript declarations (pkg/index.d.ts) say the same.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import * as pkg from "../../pkg/node.mjs";
import { root } from "./helpers.mjs";
import { SPEC, specMissing } from "./servers.mjs";

const pascal = (tag) => tag.split("_").map((w) => w[0].toUpperCase() + w.slice(1)).join("");

/** `[{ id, cls, paged }]`: the spec's operations and the class API.md places each on. */
function expectedPlacement() {
  const doc = parse(readFileSync(SPEC, "utf8"));
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const op of Object.values(item)) {
      if (!op?.operationId) continue;
      const tags = op.tags ?? [];
      const cls = tags.includes("customers")
        ? "CustomersApi"
        : path.startsWith("/customers/{external_customer_id}/wallets")
          ? "CustomerWalletsApi"
          : `${pascal(tags[0])}Api`;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => (p.$ref ? doc.components.parameters[p.$ref.split("/").at(-1)] : p));
      ops.push({ id: op.operationId, cls, paged: params.some((p) => p.in === "query" && p.name === "per_page") });
    }
  }
  return ops;
}

const twin = (id) => `listAll${id.slice("findAll".length)}`;
const camel = (cls) => cls[0].toLowerCase() + cls.slice(1, -"Api".length);

/** `{ Class: Set(expected methods) }` from the placement. */
function expectedClasses(ops) {
  const classes = {};
  for (const o of ops) {
    (classes[o.cls] ??= new Set()).add(o.id);
    if (o.paged) classes[o.cls].add(twin(o.id));
  }
  return classes;
}

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]));

describe("placement of every operation", { skip: specMissing ?? false }, () => {
  test("every operationId is a method of exactly the class API.md names, and every paginated one has its listAll twin", () => {
    const ops = expectedPlacement();
    assert.equal(ops.length, 202, "spec v1.51.0 has 202 operations");
    assert.equal(new Set(ops.map((o) => o.id)).size, ops.length, "operationIds are unique");
    const paged = ops.filter((o) => o.paged);
    // API.md says 39; the spec has 38 operations with `per_page`, all of them `findAll…`.
    assert.equal(paged.length, 38);
    assert.ok(paged.every((o) => o.id.startsWith("findAll")), "every pager's twin name is derivable");
    const want = expectedClasses(ops);
    assert.equal(Object.keys(want).length, 26);

    const exported = Object.fromEntries(Object.entries(pkg).filter(([name, v]) => /Api$/.test(name) && typeof v === "function"));
    const got = {};
    for (const [name, Api] of Object.entries(exported)) {
      assert.equal(Api.name, name, "the minified package keeps each class's name");
      got[name] = new Set(Object.getOwnPropertyNames(Api.prototype).filter((m) => m !== "constructor"));
      for (const m of got[name]) assert.equal(typeof Api.prototype[m], "function", `${name}.${m}`);
    }
    assert.deepEqual(sorted(got), sorted(want), "the exported classes have exactly API.md's methods");
    // Exactly one class: no operationId on two classes.
    const owners = new Map();
    for (const [name, methods] of Object.entries(got)) for (const m of methods) owners.set(m, [...(owners.get(m) ?? []), name]);
    assert.deepEqual([...owners].filter(([, c]) => c.length > 1), []);
    // The two fixed placements, by name.
    assert.equal(typeof pkg.CustomersApi.prototype.findAllCustomerPayments, "function");
    assert.equal(typeof pkg.CustomerWalletsApi.prototype.findAllCustomerWallets, "function");
    assert.equal(pkg.WalletsApi.prototype.findAllCustomerWallets, undefined);
  });

  test("new Lago(options) has every class under its camelCase name without Api, sharing one set of options", async () => {
    const want = expectedClasses(expectedPlacement());
    const calls = [];
    const fetch = async (url, init) => {
      calls.push({ url, auth: init.headers.authorization ?? new Headers(init.headers).get("authorization") });
      return new Response(JSON.stringify({ status: 404, error: "Not Found", code: "x_not_found" }), { status: 404, headers: { "content-type": "application/json" } });
    };
    const lago = new pkg.Lago({ apiKey: "k_facade", baseUrl: "http://lago.test/api/v1", fetch, maxRetries: 0 });
    assert.deepEqual(Object.keys(lago).sort(), Object.keys(want).map(camel).sort());
    for (const cls of Object.keys(want)) {
      const api = lago[camel(cls)];
      assert.ok(api instanceof pkg[cls], `lago.${camel(cls)} is a ${cls}`);
      for (const m of want[cls]) assert.equal(typeof api[m], "function", `lago.${camel(cls)}.${m}`);
    }
    assert.equal(lago.customerWallets.constructor, pkg.CustomerWalletsApi);
    assert.equal(pkg.Lago.name, "Lago", "named in the minified package too");
    // One set of options: two properties send with the same key to the same base URL.
    await lago.plans.findPlan("p").catch(() => {});
    await lago.customerWallets.findCustomerWallet("c", "w").catch(() => {});
    assert.deepEqual(calls.map((c) => c.url), ["http://lago.test/api/v1/plans/p", "http://lago.test/api/v1/customers/c/wallets/w"]);
    assert.deepEqual(calls.map((c) => c.auth), ["Bearer k_facade", "Bearer k_facade"]);
  });

  test("the TypeScript declarations (pkg/index.d.ts) have the same classes, methods, twins and facade", () => {
    const dts = readFileSync(join(root, "pkg/index.d.ts"), "utf8");
    const want = expectedClasses(expectedPlacement());
    const got = {};
    // Each `export class XxxApi {` block up to its closing `}` at column 0; its methods are
    // the lines `  name(` (two-space indent, outside the doc comments).
    for (const m of dts.matchAll(/^export class (\w+Api) \{\n([\s\S]*?)^\}/gm)) {
      const names = [...m[2].matchAll(/^ {2}(\w+)\(/gm)].map((x) => x[1]);
      assert.equal(names.filter((n) => n === "constructor").length, 1, `${m[1]} has one constructor`);
      got[m[1]] = new Set(names.filter((n) => n !== "constructor"));
    }
    assert.deepEqual(sorted(got), sorted(want), "index.d.ts declares exactly API.md's methods on each class");
    // The pagers are typed as async iterables, the rest as promises.
    for (const [cls, methods] of Object.entries(want)) {
      for (const m of methods) {
        const line = dts.match(new RegExp(`^export class ${cls} \\{[\\s\\S]*?^ {2}${m}\\((.*)$`, "m"))[1];
        assert.match(line, m.startsWith("listAll") ? /\): AsyncIterableIterator<.+>;$/ : /\): Promise<.+>;$/, `${cls}.${m}`);
      }
    }
    const facade = dts.match(/^export class Lago \{\n([\s\S]*?)^\}/m)[1];
    const props = Object.fromEntries([...facade.matchAll(/^ {2}readonly (\w+): (\w+);$/gm)].map((x) => [x[1], x[2]]));
    assert.deepEqual(props, Object.fromEntries(Object.keys(want).map((c) => [camel(c), c]).sort(([a], [b]) => a.localeCompare(b))));
    assert.match(facade, /^ {2}constructor\(options\?: LagoOptions\);$/m);
  });

  test("the Rust face has every operation as a Client method, and a list_all_ twin for each paginated one", () => {
    const rust = readFileSync(join(root, "src/client/operations.rs"), "utf8");
    const methods = new Set([...rust.matchAll(/^ {4}pub fn (\w+)\(/gm)].map((m) => m[1]));
    const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").toLowerCase();
    const ops = expectedPlacement();
    const missing = ops.filter((o) => !methods.has(snake(o.id))).map((o) => o.id);
    assert.deepEqual(missing, [], "every operationId is a method of the Rust Client");
    const pagers = ops.filter((o) => o.paged).map((o) => snake(twin(o.id)));
    assert.deepEqual(pagers.filter((p) => !methods.has(p)), [], "every paginated list has its list_all_ twin");
    assert.equal(methods.size, ops.length + pagers.length, "no other method");
  });
});
