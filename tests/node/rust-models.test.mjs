// Checks the Rust models tools/gen-rust-models.mjs derives from Lago's OpenAPI spec:
//   - the committed src/models files are what the spec generates (drift fails),
//   - emitRustModels is pure and deterministic (same input, same output; no file written),
//   - the emitted files cover the models the Rust face names.
// Needs the spec; skips loudly when it is missing, like spec-generated.test.mjs.
//
//   node --test tests/node/rust-models.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, buildModel, loadSpec, rustfmt, specPath } from "../../tools/gen-from-spec.mjs";
import { emitRustModels } from "../../tools/gen-rust-models.mjs";

/** The model files for `spec`, as tools/gen-from-spec.mjs emits them (from the one built model). */
const models = (spec, version = spec.info.version) => emitRustModels(buildModel(spec), { version, format: rustfmt });

const SPEC = specPath();
const HAVE_SPEC = existsSync(SPEC);
const SKIP_MSG = `Lago spec not found at ${SPEC} (set LAGO_OPENAPI)`;
if (!HAVE_SPEC) console.warn(`\n*** SKIPPING the Rust model tests: ${SKIP_MSG} ***\n`);

test("committed Rust models match what the spec generates", { skip: !HAVE_SPEC && SKIP_MSG }, () => {
  for (const [rel, text] of models(loadSpec(SPEC))) {
    assert.ok(readFileSync(join(REPO, rel), "utf8") === text, `${rel} differs from what the spec generates: run node tools/gen-from-spec.mjs`);
  }
});

test("a change in the spec is drift", { skip: !HAVE_SPEC && SKIP_MSG }, () => {
  // A spec with one more customer property must make the committed files stale.
  const spec = loadSpec(SPEC);
  spec.components.schemas.CustomerBaseObject.properties.drift_probe = { type: "string" };
  const files = models(spec);
  const customer = files.get("src/models/customer.rs");
  assert.match(customer, /pub drift_probe: Field<String>,/);
  assert.notEqual(customer, readFileSync(join(REPO, "src/models/customer.rs"), "utf8"));
});

test("emitRustModels is deterministic and names the Rust face's models", { skip: !HAVE_SPEC && SKIP_MSG }, () => {
  const spec = loadSpec(SPEC);
  const a = models(spec, "x");
  const b = models(loadSpec(SPEC), "x");
  assert.deepEqual([...a.entries()], [...b.entries()]);
  const all = [...a.values()].join("\n");
  for (const name of [
    "AppliedCoupon",
    "AppliedCouponResponse",
    "Customer",
    "CustomerResponse",
    "CustomerCreateInput",
    "CustomerInput",
    "CustomerPastUsage",
    "CustomerUsage",
    "CustomerUsageResponse",
    "CustomersPaginated",
    "GenerateCustomerCheckoutURL200Response",
    "GetCustomerPortalUrl200Response",
    "ApiError",
    "InvoicesPaginated",
    "CreditNotesPaginated",
    "PaymentsPaginated",
    "PaymentRequestsPaginated",
    "SubscriptionsPaginated",
    "AppliedCouponsPaginated",
    "WalletsPaginated",
    "CustomerProjectedUsage",
    "CustomerProjectedUsageResponse",
    "Wallet",
    "WalletResponse",
    "WalletMetadataResponse",
    "WalletAlerts",
    "WalletAlert",
    "WalletAlertResponse",
    "EventCreated",
    "EventCreatedResponse",
    "EventsCreatedResponse",
    "CustomerWalletCreateInput",
    "WalletUpdateInput",
  ]) {
    assert.match(all, new RegExp(`^pub (struct|enum) ${name} \\{`, "m"), name);
  }
  for (const path of a.keys()) assert.match(path, /^src\/models\/\w+\.rs$/);
});
