// Checks the Rust models tools/gen-rust-models.mjs derives from Lago's OpenAPI spec:
//   - the committed src/models files are what the spec generates (`--check` fails on drift),
//   - emitRustModels is pure and deterministic (same input, same output; no file written),
//   - the emitted files cover the models the Rust face names.
// Needs the spec; skips loudly when it is missing, like spec-generated.test.mjs.
//
//   node --test tests/node/rust-models.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, loadSpec, specPath } from "../../tools/gen-from-spec.mjs";
import { emitRustModels } from "../../tools/gen-rust-models.mjs";

const SPEC = specPath();
const HAVE_SPEC = existsSync(SPEC);
const SKIP_MSG = `Lago spec not found at ${SPEC} (set LAGO_OPENAPI)`;
if (!HAVE_SPEC) console.warn(`\n*** SKIPPING the Rust model tests: ${SKIP_MSG} ***\n`);

test("committed Rust models match what the spec generates (--check)", { skip: !HAVE_SPEC && SKIP_MSG }, () => {
  const run = spawnSync(process.execPath, [join(REPO, "tools/gen-rust-models.mjs"), "--check"], {
    encoding: "utf8",
  });
  assert.equal(run.status, 0, `gen-rust-models --check failed:\n${run.stdout}${run.stderr}`);
});

test("--check fails on drift", { skip: !HAVE_SPEC && SKIP_MSG }, () => {
  // A spec with one more customer property must make the committed files stale.
  const spec = loadSpec(SPEC);
  spec.components.schemas.CustomerBaseObject.properties.drift_probe = { type: "string" };
  const files = emitRustModels(spec, spec.info.version);
  const customer = files.get("src/models/customer.rs");
  assert.match(customer, /pub drift_probe: Field<String>,/);
  assert.notEqual(customer, readFileSync(join(REPO, "src/models/customer.rs"), "utf8"));
});

test("emitRustModels is deterministic and names the Rust face's models", { skip: !HAVE_SPEC && SKIP_MSG }, () => {
  const spec = loadSpec(SPEC);
  const a = emitRustModels(spec, "x");
  const b = emitRustModels(loadSpec(SPEC), "x");
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
