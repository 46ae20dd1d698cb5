// The spec and the package are the same set of operations: every operation the spec tags
// `customers` is a method of CustomersApi, every operation under
// `/customers/{external_customer_id}/wallets` one of CustomerWalletsApi, and nothing else is;
// every paginated `findAll…` has its `listAll…` twin. Read from the built package, not from the
// generator, so a method lost anywhere on the way fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";

import { CLASSES, findOperations, loadSpec, specPath } from "../../tools/gen-from-spec.mjs";
import * as lago from "../../pkg/node.mjs";

const own = (cls) =>
  Object.getOwnPropertyNames(cls.prototype).filter((n) => typeof cls.prototype[n] === "function" && !["constructor", "free", "__destroy_into_raw"].includes(n));

test("each class has exactly the spec's operations, plus a listAll… pager per paginated findAll…", (t) => {
  if (!existsSync(specPath())) return t.skip(`Lago spec not found at ${specPath()}`);
  const doc = loadSpec();
  const ops = findOperations(doc);
  const counts = [];
  for (const c of CLASSES) {
    const cls = lago[c.name];
    assert.equal(typeof cls, "function", `the package exports ${c.name}`);
    const spec = ops.filter((o) => o.cls === c.name);
    const pagers = spec
      .filter((o) => o.id.startsWith("findAll") && /Paginated$|PastUsage$/.test(o.op.responses["200"].content["application/json"].schema.$ref ?? ""))
      .map((o) => `listAll${o.id.slice("findAll".length)}`);
    const methods = own(cls).sort();
    assert.deepEqual(methods, [...spec.map((o) => o.id), ...pagers].sort(), `${c.name} methods`);
    counts.push(`${c.name}: ${spec.length} spec operations, ${spec.length} methods + ${pagers.length} pagers`);
  }
  const tagged = ops.filter((o) => o.tags.includes("customers")).length;
  assert.equal(tagged, 16, "spec 1.51.0 tags 16 operations `customers`");
  assert.equal(ops.filter((o) => o.cls === "CustomerWalletsApi").length, 15);
  t.diagnostic(counts.join("; "));
});
