#!/usr/bin/env node
// Derives, from Lago's official OpenAPI spec, every artefact that must track it exactly:
//   src/js/types.d.ts          TypeScript model and query types (spliced verbatim into
//                              wasm-bindgen's .d.ts through `typescript_custom_section`)
//   src/core/spec_tables.rs    the operations and the tables caller input is checked against,
//                              as one blob (format: src/core/schema.rs)
//   src/models/*.rs            the Rust face's typed models (tools/gen-rust-models.mjs)
//   src/js/api.d.ts, pkg-template/operations.js, src/client/operations.rs, src/js/arg_names.rs,
//   fake-lago/src/spec_*.rs    the classes of both faces and the fake's tables (gen-api.mjs,
//                              gen-fake-routes.mjs), and the class lists of the READMEs
//
//   node tools/gen-from-spec.mjs          write them all
//   node tools/gen-from-spec.mjs --check  regenerate in memory; exit 1 if a committed file differs
//
// The spec is read from $LAGO_OPENAPI, default <repo>/../shared/lago-openapi/openapi.yaml. It is
// AGPL-licensed and must never be copied into this repository; only derived declarations are.
// When it is missing, --check prints SKIPPED and exits 0 (CI machines without the shared folder
// must not fail), while a plain run fails (there is nothing to generate from).
//
// Design: `loadSpec` applies the spec fixes (SPEC_FIXES, answer names) as it parses; then one
// walk, `buildModel`, turns the spec into the one intermediate model: named declarations
// (interfaces with `extends`, enums, aliases) whose properties carry a "shape", the operations
// and their roots, with what Lago's real server has beyond the spec (REALITY_FIELDS,
// REALITY_VALUES) and every name from tools/spec-names.mjs. The emitters print that model: as
// TypeScript (`emitTs`), as the runtime tables (`RustEmitter`), as the classes (gen-api.mjs) and
// as the Rust models (gen-rust-models.mjs, which gets `buildModel`'s result and maps it to
// structs and enums by its own rules; it walks no spec). Only the fake's routes
// (gen-fake-routes.mjs) read the fixed spec itself. Anything the generator does not understand
// makes it throw instead of guessing, so a spec update that introduces a new construct fails
// loudly in `--check` rather than producing silently wrong types. Output order follows the
// spec's order, so it is deterministic.

import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import YAML from "yaml";
import { emitApiDts, emitFakeValues, emitJsOperations, emitRustFace, withClassList } from "./gen-api.mjs";
import { emitRustModels } from "./gen-rust-models.mjs";
import { INLINE_NAMES, inlineName, pascal } from "./spec-names.mjs";
import { emitFakeRoutes } from "./gen-fake-routes.mjs";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const TS_OUT = join(REPO, "src/js/types.d.ts");
export const RS_OUT = join(REPO, "src/core/spec_tables.rs");
export const API_DTS_OUT = join(REPO, "src/js/api.d.ts");
export const JS_OPERATIONS_OUT = join(REPO, "pkg-template/operations.js");
export const FAKE_VALUES_OUT = join(REPO, "fake-lago/src/spec_values.rs");
export const FAKE_ROUTES_OUT = join(REPO, "fake-lago/src/spec_routes.rs");
export const RUST_FACE_OUT = join(REPO, "src/client/operations.rs");
export const JS_ARG_NAMES_OUT = join(REPO, "src/js/arg_names.rs");

/** Where the spec is looked for: $LAGO_OPENAPI, else the shared checkout next to the repo. */
export function specPath() {
  return process.env.LAGO_OPENAPI || resolve(REPO, "../shared/lago-openapi/openapi.yaml");
}

/** Parses the spec. YAML 1.2 (the `yaml` default) keeps `NO` (Norway) and `null` apart. */
export function loadSpec(path = specPath()) {
  const doc = YAML.parse(readFileSync(path, "utf8"), { version: "1.2", maxAliasCount: -1 });
  for (const fix of SPEC_FIXES) fix.apply(doc);
  nameAnswers(doc);
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Scope and naming decisions (the only hand-written knowledge in this file)
// ---------------------------------------------------------------------------------------------

/**
 * The API classes and which of the spec's operations each one has. Adding a class is one entry
 * here: its methods, types, tables and Rust face all follow from the spec.
 */
export const CLASSES = [
  {
    name: "CustomersApi",
    doc: "Client for Lago's Customers endpoints: every operation the spec tags `customers`.",
    has: (o) => o.tags.includes("customers"),
  },
  {
    name: "CustomerWalletsApi",
    doc: "Client for a customer's wallets, their metadata and their alerts (`/customers/{external_customer_id}/wallets`).",
    has: (o) => o.path.startsWith("/customers/{external_customer_id}/wallets"),
  },
  // The rest: one class per spec tag (API.md "Every operation of the spec"), by the first tag.
  ...[
    "add_ons", "activity_logs", "analytics", "api_logs", "billable_metrics", "billing_entities", "coupons",
    "credit_notes", "entitlements", "events", "features", "fees", "invoices", "organizations",
    "payment_methods", "payment_receipts", "payment_requests", "payments", "plans", "subscriptions", "taxes",
    "wallets", "webhook_endpoints", "webhooks",
  ].map((tag) => ({
    name: `${pascal(tag)}Api`,
    doc: `Client for Lago's ${tag.replace(/_/g, " ")} endpoints: every operation the spec tags \`${tag}\` (and no other class has).`,
    has: (o) => o.tags[0] === tag,
  })),
];

/**
 * Argument names that are not the camelCase of the spec's parameter name. The only exception:
 * API.md keeps the seed's `externalId` for these two (the spec of its day named the path
 * parameter `external_id`).
 */
const ARG_NAMES = {
  "findCustomer.external_customer_id": "externalId",
  "destroyCustomer.external_customer_id": "externalId",
};

/**
 * Spec bugs: names an object's `required` list holds but its `properties` do not (`Wallet`, the
 * spec's WalletObject (see ANSWER_RENAMES), requires `balance`, which no wallet has: its balances are `balance_cents` and friends;
 * CustomerProjectedChargeUsageObject requires `groups`, an old name of `grouped_usage`). They
 * are ignored; any other such name is an error.
 */
const REQUIRED_NON_PROPERTIES = new Set([
  "Wallet.balance",
  "CustomerProjectedChargeUsageObject.groups",
  // REALITY.md section 9: OrganizationObject (`Organization`, see ANSWER_RENAMES) requires an
  // `email_settings` it does not describe.
  "Organization.email_settings",
]);

/**
 * Retry classes (API.md "Retries: never a second write"): every GET, PUT and DELETE is
 * idempotent; every POST and PATCH of a class must be listed here, with the evidence of
 * REALITY.md section 6 (lago-api@1b1c24a), or the generator throws. Lago has no idempotency
 * key, so a write whose repeat doubles is `unsafe`; `keyed:<path>` names the body value whose
 * uniqueness makes a repeat answer 422 `value_already_exist` (keyed only when the body gives
 * it; `|` joins alternatives); a PUT or DELETE listed here overrides its method's class.
 */
export const RETRY_CLASSES = {
  // Upserts, replaces and merges: app/services/customers/upsert, subscriptions/create_service.rb
  // L63-64 (same external_id and plan answers the current subscription), metadata controllers.
  createCustomer: "idempotent",
  createSubscription: "idempotent",
  replaceCreditNoteMetadata: "idempotent",
  mergeCreditNoteMetadata: "idempotent",
  replaceCustomerWalletMetadata: "idempotent",
  mergeCustomerWalletMetadata: "idempotent",
  replacePlanMetadata: "idempotent",
  mergePlanMetadata: "idempotent",
  replaceWalletMetadata: "idempotent",
  mergeWalletMetadata: "idempotent",
  // Full replaces: app/controllers/api/v1/plans/entitlements_controller.rb.
  createEntitlement: "idempotent",
  updateEntitlement: "idempotent",
  updateSubscriptionEntitlements: "idempotent",
  // Computations and downloads that store nothing new.
  evaluateBillableMetricExpression: "idempotent",
  estimateCreditNote: "idempotent",
  eventEstimateFees: "idempotent",
  eventEstimateInstantFees: "idempotent",
  eventBatchEstimateInstantFees: "idempotent",
  invoicePreview: "idempotent",
  downloadInvoice: "idempotent",
  downloadCreditNote: "idempotent",
  // Keyed: app/services/events/create_service.rb L39-40 (transaction_id); uniqueness
  // validations in app/models/{add_on,billable_metric,coupon,tax,plan,billing_entity,charge,
  // fixed_charge,webhook_endpoint}.rb; usage_monitoring/create_alert_service.rb L103-106.
  createEvent: "keyed:event.transaction_id",
  createBatchEvents: "keyed:events",
  createBillingEntity: "keyed:billing_entity.code",
  createAddOn: "keyed:add_on.code",
  createBillableMetric: "keyed:billable_metric.code",
  createFeature: "keyed:feature.code",
  createCoupon: "keyed:coupon.code",
  createPlan: "keyed:plan.code",
  createTax: "keyed:tax.code",
  createPlanCharge: "keyed:charge.code",
  createPlanFixedCharge: "keyed:fixed_charge.code",
  createCustomerWalletAlert: "keyed:alert.code|alerts",
  createSubscriptionAlert: "keyed:alert.code|alerts",
  createWebhookEndpoint: "keyed:webhook_endpoint.webhook_url",
  // Without `wallet.code` a taken generated code gets a `_<timestamp>` suffix: a second wallet
  // (app/services/wallets/create_service.rb L24-31, wallets/validate_service.rb L48-56).
  createCustomerWallet: "keyed:wallet.code",
  createWallet: "keyed:wallet.code",
  // Doubles: a second top-up (and its invoice), one-off invoice, manual payment, credit note,
  // payment request, reusable coupon application, charge filter, provider session
  // (wallet_transactions_controller.rb#create, invoices/create_one_off_service.rb L30-37,
  // payments/manual_create_service.rb L74-92, credit_notes/validate_service.rb L97-114,
  // payment_requests/create_service.rb L61-90, applied_coupons/create_service.rb L67-76,
  // charge_filters/create_service.rb L17-33).
  createWalletTransaction: "unsafe",
  createInvoice: "unsafe",
  createPayment: "unsafe",
  createCreditNote: "unsafe",
  createPaymentRequest: "unsafe",
  applyCoupon: "unsafe",
  createPlanChargeFilter: "unsafe",
  createSubscriptionChargeFilter: "unsafe",
  generateCustomerCheckoutURL: "unsafe",
  invoicePaymentUrl: "unsafe",
  walletTransactionPaymentUrl: "unsafe",
  // State transitions: a repeat after success answers an error instead of the result, and
  // retryPayment's job is async (a race window): not repeated blindly either
  // (invoices/payments/retry_service.rb L15-27, invoices/{retry,void,lose_dispute}_service.rb,
  // credit_notes/void_service.rb L17).
  retryPayment: "unsafe",
  retryInvoice: "unsafe",
  voidInvoice: "unsafe",
  loseDisputeInvoice: "unsafe",
  voidCreditNote: "unsafe",
};

/** `o`'s retry class as `schema.rs`'s `Retry` (see `RETRY_CLASSES`). */
export function retryClass(o) {
  const listed = RETRY_CLASSES[o.id];
  if (!listed && (o.method === "POST" || o.method === "PATCH")) {
    throw new Error(`${o.id}: a ${o.method} needs a retry class in RETRY_CLASSES (REALITY.md section 6)`);
  }
  const cls = listed ?? "idempotent";
  if (cls.startsWith("keyed:")) return `Retry::Keyed(${JSON.stringify(cls.slice(6))})`;
  if (cls !== "idempotent" && cls !== "unsafe") throw new Error(`${o.id}: unknown retry class ${cls}`);
  return `Retry::${cls === "unsafe" ? "Unsafe" : "Idempotent"}`;
}

/**
 * Where the spec is wrong about a request and the server wins, applied to the spec as it is
 * loaded so that every emitter (types, tables, Rust models) sees the same fix. Each entry says
 * why, with its source.
 */
const SPEC_FIXES = [
  {
    // REALITY.md section 7: an event's `timestamp` is Unix seconds, "a number or numeric
    // string, fractions allowed" (`BigDecimal(event_params[:timestamp].to_s)` in
    // app/services/events/create_batch_service.rb and create_service.rb); the spec allows only
    // an integer or a string, so `Date.now() / 1000` would be refused here and not there.
    // The integer becomes a number (not a number added beside it: an integer would then match
    // two members of the `oneOf`, which Prism rightly refuses).
    why: "EventInputObject.timestamp: a number with a fraction too",
    apply(doc) {
      const timestamp = doc.components.schemas.EventInputObject.properties.timestamp;
      timestamp.oneOf = timestamp.oneOf.map((s) => (s.type === "integer" ? { ...s, type: "number" } : s));
    },
  },
  {
    // REALITY.md section 9: `createCustomerWallet` reuses `WalletCreateInput`, which requires
    // `wallet.external_customer_id`; the server takes the customer from the path
    // (`wallet_create(customer)` in app/controllers/api/v1/customers/wallets_controller.rb).
    // Its body gets a schema of its own in which that field is optional (`createWallet`, at
    // `/wallets`, keeps requiring it).
    why: "createCustomerWallet: the customer comes from the path",
    apply(doc) {
      const schemas = doc.components.schemas;
      const copy = structuredClone(schemas.WalletCreateInput);
      copy.properties.wallet.required = copy.properties.wallet.required.filter((n) => n !== "external_customer_id");
      copy.description = "`WalletCreateInput` for `POST /customers/{external_customer_id}/wallets`: the customer is the path's.";
      schemas.CustomerWalletCreateInput = copy;
      const op = doc.paths["/customers/{external_customer_id}/wallets"].post;
      op.requestBody.content["application/json"].schema = { $ref: "#/components/schemas/CustomerWalletCreateInput" };
    },
  },
  {
    // REALITY.md section 9: answers the spec leaves unwrapped that the server wraps under a root
    // key (`root_name` in app/controllers/api/v1/{billing_entities,payments,payment_requests,
    // wallet_transactions}_controller.rb, lago-api@1b1c24a). `getBillingEntity` and
    // `updateBillingEntity` render the same serializer with the same includes, so they share
    // one wrapper; `create` renders it without includes (the spec's BillingEntityObject).
    why: "wrapped answers: billing entities, findPayment, findPaymentRequest, findWalletTransaction; updateBillingEntity's body",
    apply(doc) {
      const schemas = doc.components.schemas;
      const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
      const wrap = (key, inner) => ({ type: "object", required: [key], properties: { [key]: ref(inner) } });
      const answer = (path, method, schema) => {
        doc.paths[path][method].responses["200"].content["application/json"].schema = schema;
      };
      schemas.BillingEntity = wrap("billing_entity", "BillingEntityObjectExtended");
      answer("/billing_entities/{code}", "get", ref("BillingEntity"));
      answer("/billing_entities/{code}", "put", ref("BillingEntity"));
      // The body too: `params.require(:billing_entity)` (billing_entities_controller.rb
      // update_params); the spec's BillingEntityUpdateInput is the inner object.
      const update = doc.paths["/billing_entities/{code}"].put.requestBody.content["application/json"];
      update.schema = { type: "object", required: ["billing_entity"], properties: { billing_entity: update.schema } };
      answer("/billing_entities", "post", wrap("billing_entity", "BillingEntityObject"));
      answer("/payments/{lago_id}", "get", ref("Payment"));
      answer("/payment_requests/{lago_id}", "get", ref("PaymentRequest"));
      schemas.WalletTransaction = wrap("wallet_transaction", "WalletTransactionObject");
      answer("/wallet_transactions/{lago_id}", "get", ref("WalletTransaction"));
    },
  },
  {
    // REALITY.md section 9: the payment-URL answers name no required top-level key
    // (`InvoicePaymentUrl`), or list the inner object's fields at the top
    // (`WalletTransactionPaymentUrl`); the server always sends the one wrapper key
    // (`render json: { invoice_payment_details: ... }` / `wallet_transaction_payment_details`,
    // app/controllers/api/v1/{invoices,wallet_transactions}_controller.rb).
    why: "payment URLs: the wrapper key is the required one",
    apply(doc) {
      const schemas = doc.components.schemas;
      schemas.InvoicePaymentUrl.required = ["invoice_payment_details"];
      const w = schemas.WalletTransactionPaymentUrl;
      const inner = w.properties.wallet_transaction_payment_details;
      inner.required = w.required.filter((k) => k in inner.properties);
      w.required = ["wallet_transaction_payment_details"];
    },
  },
];

/**
 * What Lago's real server sends or takes beyond the pinned spec: REALITY.md wins over the spec,
 * so these are typed fields and enum values on both faces (not the Rust face's `extra`/`Other`,
 * nor only the TypeScript face's open `string`). Keyed by the name the model gives the
 * declaration (a schema, or an inline object or enum named by tools/spec-names.mjs); a field or
 * value the spec already has is left alone; an entry that names no declaration is an error.
 */
const REALITY_FIELDS = {
  // REALITY.md 2 and 5: the customer serializer and the 1.55 spec carry it.
  CustomerBaseObject: {
    external_salesforce_id: { type: ["string", "null"], description: "The customer's Salesforce id (sent by the server, not in spec 1.51)." },
  },
  // REALITY.md 2: the 1.55 create input.
  CustomerInput: {
    external_salesforce_id: { type: ["string", "null"], description: "The customer's Salesforce id (accepted by the server, not in spec 1.51)." },
  },
  // REALITY.md 2: the server permits it on the items (HubSpot).
  IntegrationCustomerInput: {
    targeted_object: { type: ["string", "null"], description: "HubSpot object the customer maps to (accepted by the server, not in spec 1.51)." },
  },
  // REALITY.md 5: the charge usage serializer adds the charge's code.
  ChargeUsageCharge: {
    code: { type: "string", description: "The charge's code (sent by the server, not in spec 1.51)." },
  },
  // REALITY.md 5: the applied coupon serializer adds it.
  AppliedCoupon: {
    coupon_description: { type: ["string", "null"], description: "The coupon's description (sent by the server, not in spec 1.51)." },
  },
};

/** Enum values the server sends or takes beyond the pinned spec (same rule as REALITY_FIELDS). */
const REALITY_VALUES = {
  // REALITY.md 2: the server's Customer::PAYMENT_PROVIDERS (spec 1.55).
  PaymentProvider: ["cashfree", "flutterwave", "moneyhash"],
  // REALITY.md 2: spec 1.55 input enum and the server's integration customer types.
  IntegrationType: ["avalara"],
  // The server's charge models and aggregation beyond the spec lists: not in REALITY.md, from the
  // seed models' notes (tests/corpus/SOURCES.md, `customer_usage/v1_51_open_enums.json`).
  ChargeModel: ["graduated_percentage", "custom", "dynamic"],
  AggregationType: ["custom_agg"],
};

/**
 * Names that say what they hold (issue 22), applied to the spec as it is loaded, so that every
 * emitter (TypeScript types and api.d.ts, the tables, the Rust models and the Rust face) sees
 * one name per type. The spec names an answer's wrapper like the object it holds (`Customer` is
 * `{ customer: CustomerObjectExtended }`, `Wallet` is `{ wallet: WalletObject }`), so a user who
 * reads `Customer` as the customer writes `const c: Customer = (await find(...)).customer` and
 * gets a type error. The rule, for every 200 answer of the classes' operations that is a
 * component W, not a page (no `meta` property), whose one required key holds one object (or a
 * list: `EventsCreated`):
 *   - the wrapper W is renamed `<W>Response`;
 *   - an object inside (not a list's items) takes W's name: a component keeps its content under
 *     the new name (`CustomerObjectExtended` -> `Customer`), an inline object becomes a component
 *     of that name (`EventCreated.event` -> `EventCreated`), and other answers' inline objects (or
 *     list items) identical to it refer to it (`EventsCreated.events[]`): one name for the event.
 * Every other name stays the spec's: pages (`CustomersPaginated`) and lists with a `meta`
 * (`WalletAlerts`, `CustomerPastUsage`), wrappers already named for the answer
 * (`WalletMetadataResponse`, the inline `...200Response`s), request bodies, nested objects. A new
 * name that is already some other schema's is an error, and the emitters still throw on two
 * declarations with one name. The renames are listed in README.md ("TypeScript", "Rust").
 * `ANSWER_RENAMES` (filled as the spec loads) maps each old name to its new one.
 */
export const ANSWER_RENAMES = new Map();

function nameAnswers(doc) {
  const schemas = doc.components.schemas;
  const wrappers = [];
  for (const o of findOperations(doc)) {
    const schema = o.op.responses?.["200"] && jsonSchemaOf(doc, o.op.responses["200"]);
    for (const s of schema?.oneOf ?? (schema ? [schema] : [])) {
      if (!s.$ref) continue;
      const w = refName(s.$ref);
      const ws = schemas[w];
      if (wrappers.some((x) => x.w === w) || ws.properties?.meta || (ws.required || []).length !== 1) continue;
      if (w.endsWith("Response")) continue;
      const inner = ws.properties[ws.required[0]];
      if (inner.$ref) {
        const t = schemas[refName(inner.$ref)];
        if (splitType(t).type !== "object" && !t.allOf) continue;
        wrappers.push({ w, key: ws.required[0], inner: refName(inner.$ref) });
      } else if (inner.allOf || (splitType(inner).type === "object" && inner.properties)) {
        wrappers.push({ w, key: ws.required[0], inline: inner });
      } else if (splitType(inner).type === "array") {
        wrappers.push({ w, key: ws.required[0] }); // a list: only the wrapper is renamed
      }
    }
  }
  const renames = new Map();
  for (const { w, inner } of wrappers) {
    renames.set(w, `${w}Response`);
    if (inner) renames.set(inner, w);
  }
  for (const [from, to] of renames) {
    if (to in schemas && !renames.has(to)) throw new Error(`answer names: ${from} -> ${to}, which the spec already has`);
  }
  // Inline objects become components (under their wrapper's name, renamed below with the rest).
  const hoisted = [];
  for (const { w, key, inline } of wrappers) {
    if (!inline) continue;
    const name = `${w}#inner`;
    schemas[name] = inline;
    schemas[w].properties[key] = { $ref: `#/components/schemas/${name}` };
    renames.set(name, w);
    hoisted.push({ name, text: JSON.stringify(inline) });
  }
  // The other answers' top-level objects and list items that are the same inline schema.
  for (const ws of Object.values(schemas)) {
    for (const [k, v] of Object.entries(ws.properties || {})) {
      const h = hoisted.find((x) => x.text === JSON.stringify(v) || x.text === JSON.stringify(v.items));
      if (!h) continue;
      if (JSON.stringify(v) === h.text) ws.properties[k] = { $ref: `#/components/schemas/${h.name}` };
      else ws.properties[k] = { ...v, items: { $ref: `#/components/schemas/${h.name}` } };
    }
  }
  // Rename: the components (in place, keeping the spec's order) and every $ref to them.
  const renamed = Object.entries(schemas).map(([k, v]) => [renames.get(k) ?? k, v]);
  for (const k of Object.keys(schemas)) delete schemas[k];
  for (const [k, v] of renamed) {
    if (k in schemas) throw new Error(`answer names: two schemas named ${k}`);
    schemas[k] = v;
  }
  const seen = new Set(); // YAML aliases share nodes: each is renamed once
  const walk = (x) => {
    if (!x || typeof x !== "object" || seen.has(x)) return;
    seen.add(x);
    if (typeof x.$ref === "string" && x.$ref.startsWith("#/components/schemas/")) {
      const to = renames.get(x.$ref.slice("#/components/schemas/".length));
      if (to) x.$ref = `#/components/schemas/${to}`;
    }
    for (const v of Object.values(x)) walk(v);
  };
  walk(doc);
  ANSWER_RENAMES.clear();
  for (const [from, to] of renames) if (!from.endsWith("#inner")) ANSWER_RENAMES.set(from, to);
}

/**
 * String fields that must not be empty, beyond what the spec says (`Kind::NonEmptyStr` in
 * schema.rs; keyed `<TS interface>.<property>`). `CustomerInput.external_id`: the customer's
 * identity and the path id of every later call (where "" is refused); Lago refuses an empty
 * `external_id` on create, and an upsert keyed on "" would be no customer anyone can find again.
 * Both faces refuse it before sending (`body_check.rs`). An entry that matches no body field is
 * an error.
 */
const NON_EMPTY_STRINGS = new Set(["CustomerInput.external_id"]);

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** `CustomerInput` -> `CUSTOMER_INPUT`, `GenerateCustomerCheckoutURL` -> `..._CHECKOUT_URL`. */
const screaming = (s) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toUpperCase();
/** `{ type: object, additionalProperties: true }` and friends: an object the spec says nothing of. */
function freeForm(s) {
  return s.type === "object" && !s.properties && (s.additionalProperties === undefined || s.additionalProperties === true);
}

/** An allOf member that only annotates (an example, a description), adding no constraint. */
function annotationOnly(s) {
  return Object.keys(s).every((k) => ["example", "examples", "description", "title", "deprecated"].includes(k));
}

const refName = (ref) => {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  if (!m) throw new Error(`unsupported $ref ${ref}`);
  return m[1];
};

/** Resolves `#/components/<kind>/<name>` refs (parameters, responses, request bodies). */
function deref(doc, obj) {
  let seen = 0;
  while (obj && obj.$ref && !obj.$ref.startsWith("#/components/schemas/")) {
    const path = obj.$ref.replace(/^#\//, "").split("/");
    obj = path.reduce((o, k) => o?.[k], doc);
    if (!obj || ++seen > 10) throw new Error(`cannot resolve ref`);
  }
  return obj;
}

/** Splits `type: [X, "null"]` into X and a nullable flag. */
function splitType(schema) {
  const t = schema.type;
  if (Array.isArray(t)) {
    const rest = t.filter((x) => x !== "null");
    if (rest.length !== 1) throw new Error(`unsupported type list ${JSON.stringify(t)}`);
    return { type: rest[0], nullable: rest.length !== t.length };
  }
  return { type: t, nullable: false };
}

/** The operations of every class, in spec order, each as { id, cls, method, path, op, params, tags }. */
export function findOperations(doc) {
  const found = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== "object" || !op.operationId) continue;
      const o = { id: op.operationId, method: method.toUpperCase(), path, op, tags: op.tags || [] };
      const cls = CLASSES.find((c) => c.has(o));
      if (!cls) continue;
      // Path-level parameters apply too; operation-level ones override by (name, in).
      const params = new Map();
      for (const p of [...(item.parameters || []), ...(op.parameters || [])]) {
        const r = deref(doc, p);
        params.set(`${r.in}:${r.name}`, r);
      }
      found.push({ ...o, cls: cls.name, params: [...params.values()] });
    }
  }
  for (const c of CLASSES) {
    if (!found.some((o) => o.cls === c.name)) throw new Error(`no operation of the spec belongs to ${c.name}`);
  }
  // Class by class (spec order within each): the order of the wasm's OPERATIONS table, whose
  // indices the JS classes call by (pkg-template/operations.js).
  const rank = (o) => CLASSES.findIndex((c) => c.name === o.cls);
  return found.sort((a, b) => rank(a) - rank(b));
}

const jsonSchemaOf = (doc, holder) => deref(doc, holder)?.content?.["application/json"]?.schema;

/**
 * How a query parameter maps to a JS key and a wire style (also used by the encoder's tables):
 *   `name[]`          -> key `name`, Brackets (`name[]=a&name[]=b`)
 *   `name[key]`       -> key `name`, Deep     (`name[k]=v`, a Record<string, string>)
 *   style deepObject  -> key = name, Deep
 *   anything else     -> key = name, Plain
 */
export function queryKey(param) {
  let m;
  if ((m = /^(\w+)\[\]$/.exec(param.name))) return { key: m[1], style: "Brackets" };
  if ((m = /^(\w+)\[key\]$/.exec(param.name))) return { key: m[1], style: "Deep" };
  if (!/^\w+$/.test(param.name)) throw new Error(`unsupported query parameter name ${param.name}`);
  if (param.style === "deepObject") return { key: param.name, style: "Deep" };
  if (param.style && param.style !== "form") throw new Error(`unsupported style on ${param.name}`);
  return { key: param.name, style: "Plain" };
}

// ---------------------------------------------------------------------------------------------
// Spec -> intermediate model
// ---------------------------------------------------------------------------------------------
//
// This model is the one both faces print (see the header): the TypeScript types and tables
// below, and the Rust models (tools/gen-rust-models.mjs), which flatten `extends` and name the
// literal enums by spec-names.mjs' rule.
//
// A shape is one of
//   { t: "string", format?, pattern?, example? }   (pattern and example: is it a decimal?)
//   { t: "integer" | "number" | "boolean", format? }
//   { t: "enum", values }                 inline enum INLINE_NAMES does not name (a literal union)
//   { t: "ref", name }                    a declared interface/alias/enum
//   { t: "orNull", base, extra }          an `XOrNull` enum twin (see enumComponent)
//   { t: "union", members }               a value of several scalar or free-form types
//   { t: "array", items }
//   { t: "map", values }                  additionalProperties: a Record<string, values>
//   { t: "anyObject" }                    `type: object` with no shape at all
//   { t: "null" }                         a property that is always null
// plus `nullable: true` when null is allowed.
//
// A declaration is one of
//   { kind: "interface", name, doc, extends: [names], props: [prop], nullable }
//   { kind: "enum", name, values, doc }
//   { kind: "alias", name, shape, doc }
// where prop = { name, shape, required, doc, deprecated, format, default }.

class Model {
  constructor(doc) {
    this.doc = doc;
    this.schemas = doc.components?.schemas || {};
    this.decls = new Map(); // name -> declaration, in first-seen order
    this.inlineSources = new Map(); // inline object's name -> its schema, to share a name only between equals
    this.components = new Set(); // component schemas reached (the spec's own names)
    this.open = new Map(); // interface -> the shape of the other keys it allows (additionalProperties)
    this.real = new Set(); // declarations REALITY_FIELDS or REALITY_VALUES added to
  }

  declare(decl) {
    this.withReality(decl);
    const old = this.decls.get(decl.name);
    if (old) {
      // A named inline enum shared by several properties (spec-names.mjs) takes every value of
      // each (the spec lists integration types one way for inputs and another for answers), as
      // the Rust enum does.
      if (old.kind === "enum" && decl.kind === "enum") {
        old.values = [...new Set([...old.values, ...decl.values])];
        return;
      }
      throw new Error(`two different declarations named ${decl.name}`);
    }
    this.decls.set(decl.name, decl);
  }

  /**
   * Declares the inline object `s` found at `where` as `name` (made by `make`), once: several
   * places may share a name (spec-names.mjs) when they hold the same object, descriptions aside.
   */
  inlineDecl(name, where, s, make) {
    if (this.schemas[name]) throw new Error(`${where}: ${name} is the name of a spec schema`);
    const same = JSON.stringify(s, (k, v) => (k === "description" || k === "example" ? undefined : v));
    if (this.decls.has(name)) {
      if (this.inlineSources.get(name) !== same) throw new Error(`${where}: name ${name} is already taken by another object`);
      return;
    }
    this.inlineSources.set(name, same);
    this.decls.set(name, null); // reserve the slot, as component() does
    this.decls.set(name, this.withReality(make()));
  }

  /** `decl` with what the server sends or takes beyond the spec (REALITY_FIELDS and _VALUES). */
  withReality(decl) {
    const fields = decl.kind === "interface" && REALITY_FIELDS[decl.name];
    if (fields) {
      const has = (d, wire) => d.props.some((p) => p.name === wire) || d.extends.some((e) => has(this.decls.get(e), wire));
      for (const [wire, schema] of Object.entries(fields)) {
        if (!has(decl, wire)) decl.props.push(...this.props(decl.name, { properties: { [wire]: schema } }));
      }
    }
    const values = decl.kind === "enum" && REALITY_VALUES[decl.name];
    if (values) decl.values = [...decl.values, ...values.filter((v) => !decl.values.includes(v))];
    if (fields || values) this.real.add(decl.name);
    return decl;
  }

  /** Declares component schema `name` (once) and returns the shape that refers to it. */
  component(name) {
    const s = this.schemas[name];
    if (!s) throw new Error(`unknown schema ${name}`);
    if (!this.components.has(name)) {
      this.components.add(name);
      this.decls.set(name, null); // reserve the slot: keeps spec order, stops recursion
      this.decls.set(name, this.withReality(this.componentDecl(name, s)));
    }
    return { t: "ref", name };
  }

  componentDecl(name, s) {
    const doc = s.description;
    if (s.allOf) {
      // allOf of refs plus inline objects -> `interface X extends A, B { own props }`.
      const ext = [];
      const props = [];
      const mustHave = [];
      const inherited = this.inherited(s);
      for (const part of s.allOf) {
        if (part.$ref) ext.push(this.component(refName(part.$ref)).name);
        else if ((part.type === undefined || splitType(part).type === "object") && part.properties) {
          props.push(...this.props(name, part, inherited));
          mustHave.push(...(part.required || []).filter((r) => !(r in part.properties)));
        }
        // A member that only requires inherited fields (ChargeCreateInput.charge requires
        // `billable_metric_id` and `charge_model` of ChargeInput), or that requires some beside
        // its own (WalletAlertCreateInput.alert: AlertBaseInput's `thresholds`): they are
        // redeclared required.
        else if (part.required && !part.properties && !part.type) mustHave.push(...part.required);
        else throw new Error(`unsupported allOf member in ${name}`);
      }
      for (const r of mustHave) {
        if (props.some((p) => p.name === r) || inherited.get(r) === true) continue;
        const holder = s.allOf.filter((x) => x.$ref).map((x) => this.findProp(this.schemas[refName(x.$ref)], r)).find(Boolean);
        if (!holder) throw new Error(`${name}: allOf requires ${r}, which no member has`);
        props.push(...this.props(name, { properties: { [r]: holder }, required: [r] }).map((p) => ({ ...p, required: true })));
      }
      // Properties beside the allOf (CreditNoteAppliedTaxObject) belong to the object too.
      if (s.properties) props.push(...this.props(name, { ...s, allOf: undefined }, this.inherited(s)));
      return { kind: "interface", name, doc, extends: ext, props, nullable: false };
    }
    const { type, nullable } = splitType(s);
    if (s.enum) return this.enumComponent(name, s, nullable);
    if (type === "object" && s.properties) {
      // The whole object may be nullable (UsagePricingUnitDetailsObject): the interface is the
      // non-null part, references to it add `| null` (see refShape).
      return { kind: "interface", name, doc, extends: [], props: this.props(name, s), nullable };
    }
    if (type === "array") {
      // Quirk: CustomerChargeFiltersUsageObject and CustomerChargeGroupedUsageObject carry a
      // `required` list at array level, which JSON Schema applies to the array (a no-op), not
      // to its items; the grouped one even lists `groups`, which is no property. The items
      // schema has no `required`, so every item property stays optional.
      return { kind: "alias", name, doc, shape: { t: "array", items: this.shape(s.items, name, "", true), nullable } };
    }
    return { kind: "alias", name, doc, shape: this.shape(s, name, null) };
  }

  /**
   * An enum component. `XOrNull` twins are special: the spec keeps separate, drifted copies of
   * the lists (CurrencyOrNull lacks GHS; TimezoneOrNull still has America/Godthab, Asia/Rangoon,
   * Europe/Kiev where Timezone has the new names). We declare `XOrNull = X | <its extra
   * values> | null`: every value either list names is accepted, because refusing a value the
   * spec lists somewhere (before any request) would be worse than letting Lago decide.
   */
  enumComponent(name, s, nullable) {
    const values = s.enum.filter((v) => v !== null);
    if (values.some((v) => typeof v !== "string")) throw new Error(`non-string enum in ${name}`);
    nullable = nullable || s.enum.includes(null);
    const twin = name.endsWith("OrNull") ? name.slice(0, -"OrNull".length) : null;
    if (nullable && twin && this.schemas[twin]?.enum && !splitType(this.schemas[twin]).nullable) {
      const base = this.component(twin).name;
      const baseValues = this.schemas[twin].enum;
      const extra = values.filter((v) => !baseValues.includes(v));
      const missing = baseValues.filter((v) => !values.includes(v));
      let doc = s.description;
      if (extra.length || missing.length) {
        const diff = [missing.length && `lacks ${missing.join(", ")}`, extra.length && `adds ${extra.join(", ")}`];
        const note = `The spec's ${name} list differs from ${twin} (it ${diff.filter(Boolean).join("; it ")}); values of both lists are accepted here.`;
        doc = doc ? `${doc}\n\n${note}` : note;
      }
      return { kind: "alias", name, doc, shape: { t: "orNull", base, extra, nullable: true } };
    }
    if (nullable) return { kind: "alias", name, doc: s.description, shape: { t: "enum", values, nullable } };
    return { kind: "enum", name, values, doc: s.description };
  }

  /** The schema of property `name` of component schema `s`, following its allOf members. */
  findProp(s, name) {
    if (s.$ref) return this.findProp(this.schemas[refName(s.$ref)], name);
    return s.properties?.[name] ?? (s.allOf || []).map((x) => this.findProp(x, name)).find(Boolean);
  }

  /**
   * Property names the `$ref` members of an allOf bring, each with whether a member requires it
   * (an inline member may require them; one that redeclares a required one keeps it required,
   * as EventCreated's `lago_customer_id: null` over EventObject's).
   */
  inherited(s) {
    const names = new Map();
    const walk = (x) => {
      if (x.$ref) return walk(this.schemas[refName(x.$ref)]);
      for (const part of x.allOf || []) walk(part);
      const required = new Set(x.required || []);
      for (const k of Object.keys(x.properties || {})) names.set(k, names.get(k) || required.has(k));
    };
    for (const part of s.allOf) if (part.$ref) walk(part);
    return names;
  }

  /** The properties of an object schema owned by declaration `owner`. */
  props(owner, s, inherited = new Map()) {
    // Named properties plus any others (EventObject.properties: `operation_type` and the
    // event's own keys): an interface with an index signature.
    const more = s.additionalProperties;
    if (more !== undefined && more !== false) this.open.set(owner, more === true ? { t: "anyObject" } : this.shape(more, owner, "*"));
    const required = new Set(s.required || []);
    for (const r of required) {
      if (r in s.properties || inherited.has(r) || REQUIRED_NON_PROPERTIES.has(`${owner}.${r}`)) continue;
      throw new Error(`${owner}: required ${r} is no property`);
    }
    return Object.entries(s.properties).map(([prop, ps]) => ({
      name: prop,
      shape: this.shape(ps, owner, prop),
      required: required.has(prop) || inherited.get(prop) === true,
      // OpenAPI 3.1 allows a description next to a $ref; a $ref's target description documents
      // the type (on its own declaration), not this property, so it is not repeated here.
      doc: ps.description,
      deprecated: !!ps.deprecated,
      format: ps.format ?? (ps.type === "array" ? ps.items?.format : undefined),
      default: ps.default,
    }));
  }

  /**
   * The shape of schema `s`, found at `<owner>.<prop>` (prop "" for the items of an array
   * schema; `isItem` marks array items, which get `[]` in INLINE_NAMES keys).
   */
  shape(s, owner, prop, isItem = false) {
    const where = prop === "" ? `${owner}[]` : `${owner}.${prop}${isItem ? "[]" : ""}`;
    if (s.$ref) return this.refShape(refName(s.$ref));
    const refs = s.allOf?.filter((x) => x.$ref) ?? [];
    if (refs.length === 1 && s.allOf.every((x) => x.$ref || annotationOnly(x))) {
      // REALITY.md section 9: query `currency` on analytics and fees is an allOf of `Currency`
      // and an example: the reference alone.
      return this.refShape(refName(refs[0].$ref));
    }
    if (s.allOf) {
      // allOf of refs plus inline objects (WalletAlertCreateInput.alert): an interface that
      // extends the refs and adds the inline properties, like a component's allOf.
      const name = inlineName(this.schemas, owner, prop, isItem);
      this.inlineDecl(name, where, s, () => this.componentDecl(name, s));
      return { t: "ref", name, nullable: false };
    }
    const variants = s.oneOf ?? s.anyOf;
    if (variants?.every((x) => !x.$ref && (["string", "integer", "number", "boolean", "null"].includes(x.type) || freeForm(x)))) {
      // A value that may take several types (AlertThresholdInput.value: integer or string; a
      // privilege's value: integer, boolean or string; `provider_error`: a string or an object).
      // A `null` member makes the value nullable.
      const members = variants.filter((x) => x.type !== "null").map((x) => (freeForm(x) ? { t: "anyObject" } : { t: x.type, format: x.format }));
      const nullable = members.length !== variants.length;
      return members.length === 1 ? { ...members[0], nullable } : { t: "union", members, nullable };
    }
    if (s.oneOf || s.anyOf) throw new Error(`${where}: inline oneOf/anyOf unsupported`);
    const { type, nullable } = splitType(s);
    if (s.enum) {
      const values = s.enum.filter((v) => v !== null);
      const shape = { t: "enum", values, nullable: nullable || s.enum.includes(null) };
      const name = INLINE_NAMES[where];
      // An enum the table does not name stays a literal union (the Rust side names it by the rule).
      if (name) {
        this.declare({ kind: "enum", name, values, doc: undefined });
        return { t: "ref", name, nullable: shape.nullable };
      }
      return shape;
    }
    switch (type) {
      case "string":
        // The pattern and example say whether the string holds a decimal (the Rust face's `NumOrStr`).
        return { t: type, format: s.format, pattern: s.pattern, example: typeof s.example === "string" ? s.example : undefined, nullable };
      case "integer":
      case "number":
      case "boolean":
        return { t: type, format: s.format, nullable };
      case "null":
        // A property that is always null (WalletAlertObject.external_subscription_id).
        return { t: "null" };
      case "array":
        if (!s.items) throw new Error(`${where}: array without items`);
        return { t: "array", items: this.shape(s.items, owner, prop, true), nullable };
      case "object": {
        if (s.properties) {
          const name = inlineName(this.schemas, owner, prop, isItem);
          this.inlineDecl(name, where, s, () => ({ kind: "interface", name, doc: s.description, extends: [], props: this.props(name, s) }));
          return { t: "ref", name, nullable };
        }
        const ap = s.additionalProperties;
        if (ap && typeof ap === "object") return { t: "map", values: this.shape(ap, owner, prop), nullable };
        // `type: object` with no shape (ApiErrorUnprocessableEntity.error_details): the spec
        // says nothing, so Record<string, unknown> is the honest type.
        return { t: "anyObject", nullable };
      }
      default:
        throw new Error(`${where}: unsupported schema ${JSON.stringify(s).slice(0, 120)}`);
    }
  }

  /**
   * The type of a request body or a 200 answer: a component's name, else a declaration named
   * `name`: a union alias for a oneOf of components, an interface for an inline object.
   */
  rootType(schema, name, doc) {
    if (schema.$ref) return this.component(refName(schema.$ref)).name;
    if (schema.oneOf) {
      if (!schema.oneOf.every((x) => x.$ref)) throw new Error(`${name}: oneOf of inline schemas unsupported`);
      const members = schema.oneOf.map((x) => this.component(refName(x.$ref)));
      this.declare({ kind: "alias", name, doc, shape: { t: "union", members } });
      return name;
    }
    this.decls.set(name, null); // reserve the slot so the wrapper precedes its inner objects
    this.decls.set(name, { kind: "interface", name, doc, extends: [], props: this.props(name, schema) });
    return name;
  }

  /**
   * A reference to a component; nullable components (`type: [object, null]`) add null. A
   * reference to an `XOrNull` enum is written out as `X | <extras> | null` rather than by the
   * alias name, so that nullability shows where the property is declared.
   */
  refShape(name) {
    const s = this.schemas[name];
    this.component(name);
    const d = this.decls.get(name);
    if (d?.kind === "alias" && d.shape.t === "orNull") return d.shape;
    const nullable = splitType(s).nullable || (Array.isArray(s.enum) && s.enum.includes(null));
    return { t: "ref", name, nullable };
  }
}

/** The JS name of argument `wire` of operation `id`: camelCase, or ARG_NAMES's exception. */
function argName(id, wire) {
  return ARG_NAMES[`${id}.${wire}`] ?? camel(wire);
}

/** `external_customer_id` -> `externalCustomerId` (the JS face's `js_name` does the same). */
const camel = (wire) => wire.replace(/_(\w)/g, (_, c) => c.toUpperCase());

/**
 * What the top level of a good answer holds, as the runtime checks it: `o:key` (an object
 * under `key`), `n:key` (an object or null), `l:key` (an array), `p:key` (an array plus a
 * `meta` object: a page), several
 * joined by `|` for a oneOf, or "" for an answer with no content.
 */
function topShape(doc, schema, id) {
  if (schema.oneOf) return schema.oneOf.map((s) => topShape(doc, s, id)).join("|");
  const flat = (x) => {
    x = x.$ref ? doc.components.schemas[refName(x.$ref)] : x;
    const parts = (x.allOf || []).map(flat);
    return {
      required: [...(x.required || []), ...parts.flatMap((p) => p.required)],
      properties: Object.assign({}, ...parts.map((p) => p.properties), x.properties),
    };
  };
  const s = flat(schema); // a page is an allOf of the list and its `meta` (WalletTransactionsPaginated)
  const required = s.required || [];
  const keys = required.filter((k) => k !== "meta");
  if (keys.length !== 1) throw new Error(`${id}: answer has no single top-level key (${required})`);
  const key = keys[0];
  const prop = s.properties[key];
  const target = prop.$ref ? doc.components.schemas[refName(prop.$ref)] : prop;
  const type = splitType(target).type;
  if (type === "array") return `${required.includes("meta") ? "p" : "l"}:${key}`;
  if (type === "object" || target.allOf) return `${splitType(target).nullable ? "n" : "o"}:${key}`;
  throw new Error(`${id}: top-level ${key} is neither object nor array`);
}

/** Builds the whole model: bodies, 200 responses, query types and the error body. */
export function buildModel(doc) {
  const m = new Model(doc);
  const ops = findOperations(doc);
  const roots = { body: {}, response: {}, query: {}, shape: {} };
  const errorSchemas = [];

  for (const o of ops) {
    const pascalId = `${o.id[0].toUpperCase()}${o.id.slice(1)}`;
    // Request body: a component, or a oneOf of components (declared as a union alias).
    const body = o.op.requestBody && jsonSchemaOf(doc, o.op.requestBody);
    if (body) roots.body[o.id] = m.rootType(body, `${pascalId}Request`, deref(doc, o.op.requestBody).description);
    // 200 response: a component, a oneOf of them, an inline object named like
    // openapi-generator does, or no content at all (void).
    roots.response[o.id] = "void";
    roots.shape[o.id] = "";
    for (const [code, resp] of Object.entries(o.op.responses || {})) {
      const schema = jsonSchemaOf(doc, resp);
      if (code === "200" && !schema && deref(doc, resp)?.content?.["text/plain"]) {
        // REALITY.md section 9: `fetchPublicKey` answers text/plain, which resolves to its text.
        roots.response[o.id] = "string";
        roots.shape[o.id] = "t";
      }
      if (!schema) continue;
      if (code !== "200") {
        if (!schema.$ref) throw new Error(`${o.id} ${code}: inline error body unsupported`);
        const name = refName(schema.$ref);
        m.component(name);
        if (!errorSchemas.includes(name)) errorSchemas.push(name);
        continue;
      }
      const description = deref(doc, resp).description;
      roots.response[o.id] = m.rootType(schema, `${pascalId}200Response`, description && `${description}.`);
      roots.shape[o.id] = topShape(doc, schema, o.id);
    }
    // Arguments: path ids in path order, then required query parameters (positional), then the
    // body or the optional query object.
    const args = [];
    for (const [, wire] of o.path.matchAll(/\{(\w+)\}/g)) {
      const p = o.params.find((x) => x.in === "path" && x.name === wire);
      if (!p) throw new Error(`${o.id}: path parameter ${wire} is not declared`);
      args.push({ kind: "path", wire, name: argName(o.id, wire), doc: p.description });
    }
    const query = o.params.filter((p) => p.in === "query");
    for (const p of query.filter((x) => x.required)) {
      if (splitType(p.schema).type !== "string") throw new Error(`${o.id}: required query ${p.name} is no string`);
      args.push({ kind: "query", wire: p.name, name: argName(o.id, p.name), doc: p.description });
    }
    // A body the spec leaves optional (`required` is false by default: destroyPlanCharge's
    // `cascade_updates`, voidInvoice's options) may be left out.
    if (body) args.push({ kind: "body", name: "body", type: roots.body[o.id], optional: deref(doc, o.op.requestBody).required !== true });
    const optional = query.filter((p) => !p.required);
    o.args = args;
    if (!optional.length) continue;
    const name = `${pascalId}Query`;
    const props = optional.map((p) => {
      const { key, style } = queryKey(p);
      // Inline enums of array parameters are looked up in INLINE_NAMES as `<Query>.<key>[]`.
      let shape = m.shape(p.schema, name, key);
      if (style === "Brackets" && shape.t !== "array") throw new Error(`${o.id}: ${p.name} is not an array`);
      if (style !== "Brackets" && shape.t === "array") throw new Error(`${o.id}: array ${p.name} has no [] name`);
      if (style === "Deep" && shape.t !== "map") {
        // `metadata[key]` declares the type of one value: the JS side is a map of those.
        if (shape.t !== "string") throw new Error(`${o.id}: ${p.name} values must be strings`);
        shape = { t: "map", values: shape };
      }
      if (style === "Deep" && shape.values.t !== "string") throw new Error(`${o.id}: ${p.name} must map to strings`);
      return { name: key, wire: p.name, style, shape, required: false, doc: p.description, deprecated: !!p.deprecated, format: p.schema.format, default: p.schema.default };
    });
    const keys = props.map((p) => p.name);
    if (new Set(keys).size !== keys.length) throw new Error(`${o.id}: two query parameters share a JS key`);
    m.declare({ kind: "interface", name, doc: `Optional query parameters of \`${o.method} ${o.path}\` (\`${o.id}\`).`, extends: [], props });
    roots.query[o.id] = name;
    args.push({ kind: "filters", name: "query", type: name });
  }

  // LagoErrorBody: what every error response of the nine operations has in common. Properties
  // are the union of the error schemas' properties, required only where all of them require it.
  const props = new Map();
  for (const e of errorSchemas) {
    const s = m.schemas[e];
    for (const p of m.props(e, s)) {
      const old = props.get(p.name);
      const type = (shape) => JSON.stringify(shape, (k, v) => (k === "example" ? undefined : v));
      if (old && type(old.shape) !== type(p.shape)) throw new Error(`error bodies disagree on ${p.name}`);
      props.set(p.name, { ...p, required: errorSchemas.every((x) => (m.schemas[x].required || []).includes(p.name)) });
    }
  }
  m.declare({
    kind: "interface",
    name: "LagoErrorBody",
    doc: `The JSON body of a Lago error response (merged from ${errorSchemas.join(", ")}).`,
    extends: [],
    props: [...props.values()],
  });

  const unused = [...Object.keys(REALITY_FIELDS), ...Object.keys(REALITY_VALUES)].filter((n) => !m.real.has(n));
  if (unused.length) throw new Error(`REALITY_FIELDS/REALITY_VALUES: no declaration ${unused.join(", ")}`);
  return { model: m, ops, roots, errorSchemas };
}

// ---------------------------------------------------------------------------------------------
// TypeScript emitter
// ---------------------------------------------------------------------------------------------

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JSDoc block. `*\/` inside spec text is escaped so it cannot close the comment early. */
function jsdoc(indent, lines) {
  lines = lines
    .flatMap((l) => String(l).split("\n"))
    .map((l) => l.replace(/\*\//g, "*\\/").replace(/\s+$/, ""));
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  while (lines.length && lines[0] === "") lines.shift();
  if (!lines.length) return "";
  if (lines.length === 1 && indent.length + lines[0].length + 7 <= 100) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join("\n")}\n${indent} */\n`;
}

function propDoc(p) {
  const lines = p.doc ? [p.doc.trim()] : [];
  // Query keys that are not sent under their own name say how they are sent.
  if (p.style === "Brackets") lines.push(`Sent as \`${p.name}[]=<value>\`, once per value.`);
  if (p.style === "Deep") lines.push(`Sent as \`${p.name}[<key>]=<value>\`, once per entry.`);
  if (p.format) lines.push(`@format ${p.format}`);
  if (p.default !== undefined) lines.push(`@default ${JSON.stringify(p.default)}`);
  if (p.deprecated) lines.push("@deprecated");
  return lines;
}

/**
 * Every enum type is open: Lago's server accepts values ahead of its spec (REALITY.md), so any
 * string is allowed while editors still complete the known ones.
 */
const OPEN = "(string & {})";

function tsType(shape) {
  let t;
  switch (shape.t) {
    case "string":
      t = "string";
      break;
    case "integer":
    case "number":
      t = "number";
      break;
    case "boolean":
      t = "boolean";
      break;
    case "enum":
      t = [...shape.values.map((v) => JSON.stringify(v)), OPEN].join(" | ");
      break;
    case "orNull":
      t = [shape.base, ...shape.extra.map((v) => JSON.stringify(v))].join(" | ");
      break;
    case "union":
      // `integer` and `number` are both `number`: once.
      t = [...new Set(shape.members.map(tsType))].join(" | ");
      break;
    case "null":
      return "null";
    case "ref":
      t = shape.name;
      break;
    case "array": {
      const inner = tsType(shape.items);
      t = /[ |]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
      break;
    }
    case "map":
      t = `Record<string, ${tsType(shape.values)}>`;
      break;
    case "anyObject":
      t = "Record<string, unknown>";
      break;
    default:
      throw new Error(`no TS type for ${shape.t}`);
  }
  return shape.nullable ? `${t} | null` : t;
}

function emitTs(built, version) {
  const { model } = built;
  const out = [];
  out.push(`// Generated by tools/gen-from-spec.mjs from Lago's OpenAPI spec ${version}; do not edit.\n`);
  out.push(`// Wire names (snake_case) throughout, as Lago sends and expects them.\n`);
  const decls = [...model.decls.values()];
  // Interfaces and aliases first (spec order), then enums: the long country, currency and
  // timezone lists would otherwise bury the models.
  const order = [...decls.filter((d) => d.kind !== "enum"), ...decls.filter((d) => d.kind === "enum")];
  for (const d of order) {
    out.push("\n");
    if (d.kind === "interface") {
      out.push(jsdoc("", d.doc ? [d.doc.trim()] : []));
      const ext = d.extends.length ? ` extends ${d.extends.join(", ")}` : "";
      out.push(`export interface ${d.name}${ext} {\n`);
      for (const p of d.props) {
        out.push(jsdoc("  ", propDoc(p)));
        const key = IDENT.test(p.name) ? p.name : JSON.stringify(p.name);
        // `| undefined` on optional properties: callers under exactOptionalPropertyTypes may
        // then pass `{ name: maybeUndefined }`, which the SDK treats as absent.
        out.push(`  ${key}${p.required ? "" : "?"}: ${tsType(p.shape)}${p.required ? "" : " | undefined"};\n`);
      }
      if (model.open.has(d.name)) {
        // The index signature must also admit every named property's type.
        const types = new Set([tsType(model.open.get(d.name)), ...d.props.map((p) => tsType(p.shape))]);
        if (d.props.some((p) => !p.required)) types.add("undefined");
        out.push(`  [key: string]: ${[...types].join(" | ")};\n`);
      }
      out.push("}\n");
    } else if (d.kind === "enum") {
      out.push(jsdoc("", d.doc ? [d.doc.trim()] : []));
      const values = [...d.values.map((v) => JSON.stringify(v)), OPEN];
      const one = `export type ${d.name} = ${values.join(" | ")};`;
      if (one.length <= 100) out.push(one + "\n");
      else out.push(`export type ${d.name} =\n${values.map((v) => `  | ${v}`).join("\n")};\n`);
    } else {
      out.push(jsdoc("", d.doc ? [d.doc.trim()] : []));
      out.push(`export type ${d.name} = ${tsType(d.shape)};\n`);
    }
  }
  return out.join("");
}

// ---------------------------------------------------------------------------------------------
// Rust emitter: every operation and the tables caller input is checked against, as one blob
// ---------------------------------------------------------------------------------------------
//
// `SPEC` (format: `schema.rs`) holds, addressed by u16 offsets: the operations (their text, then
// their body kind and query table), the tables (a count, then five bytes per field: name, kind,
// flags), the kinds (deduplicated), and the names (each once). As structs of pointers, the 202
// operations' tables were 17 KiB of the npm wasm's gzip; as this blob, a third of that.

const rsStr = (s) => {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`non-ASCII string for Rust: ${s}`);
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
};

/** Bytes as a Rust byte-string literal, printable ASCII as is, 100 columns a line. */
function rsBytes(bytes, indent) {
  const parts = bytes.map((b) => (b === 0x22 ? '\\"' : b === 0x5c ? "\\\\" : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`));
  const lines = [];
  let line = "";
  for (const p of parts) {
    if (indent.length + line.length + p.length > 96) {
      lines.push(`${line}\\`);
      line = "";
    }
    line += p;
  }
  lines.push(line);
  // A continuation `\` drops the newline and the next line's leading whitespace: a line that
  // starts with a space would lose it, so such a space is escaped.
  return `b"${lines.map((l, n) => (n && l.startsWith(" ") ? `\\x20${l.slice(1)}` : l)).join(`\n${indent}`)}"`;
}

/**
 * ASCII ended by a NUL, as the blob holds every name and route: the same size as a length
 * byte before it, and 0.5 KiB less of gzip (an ever-equal byte where lengths varied).
 */
const ascii = (t) => {
  if (!/^[\x20-\x7e]*$/.test(t)) throw new Error(`${t}: does not pack`);
  return [...[...t].map((c) => c.charCodeAt(0)), 0];
};

/**
 * The letters of an operation's record (format: `schema.rs`), shared with the blob's reader in
 * tests/node/spec-generated.test.mjs. The methods are emitted into spec_tables.rs as `METHODS`
 * (a record holds the index), so the Rust reader takes them from here too.
 */
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
export const RETRY_TAGS = { idempotent: 0x69 /* i */, unsafe: 0x75 /* u */, keyed: 0x6b /* k */ };
export const ARG_TAGS = { path: 0x70 /* p */, query: 0x71 /* q */, body: 0x62 /* b */, optionalBody: 0x42 /* B */, filters: 0x66 /* f */ };
/** An answer's kinds: text, object, object or null, list, page (see `Shape` in schema.rs). */
export const ANSWER_KINDS = "tonlp";

/**
 * The bytes of an answer's `shape` (`o:customer`, `p:customers`, `t`, "" for no content): a
 * count, then per alternative its kind letter and key. The blob's records hold them, and the
 * Rust face's `Endpoint`s too (`Shape::new`), so both faces read one format.
 */
export function answerBytes(id, shape) {
  const alts = shape ? shape.split("|").map((alt) => (alt === "t" ? ["t", ""] : alt.split(":"))) : [];
  for (const [kind] of alts) if (!ANSWER_KINDS.includes(kind)) throw new Error(`${id}: answer kind ${kind}`);
  return [alts.length, ...alts.flatMap(([k, key]) => [k.charCodeAt(0), ...ascii(key)])];
}

/** Kind tags of the blob (`Kind` in schema.rs): 0 to 7 are the simple kinds, in this order. */
const SIMPLE_KINDS = ["Str", "NonEmptyStr", "Int", "Num", "Bool", "StrMap", "StrOrNullMap", "Any"];
const [ARRAY, MAP, ONE_OF, OBJECT, INLINE_OBJECT] = [8, 9, 10, 11, 12];
const NONE = 0xffff;

class RustEmitter {
  constructor(model) {
    this.model = model;
    this.tables = new Map(); // TS interface name -> [{ name, kind, flags }], filled once reached
    this.pending = [];
    this.kinds = new Map(); // kind key -> { tag, children: [kind key], table? }
    this.nonEmptyUsed = new Set(); // NON_EMPTY_STRINGS entries met in a body table
  }

  /** A kind's key (registered once): simple kinds by name, others by their structure. */
  kindKey(tag, children = [], table) {
    const key = tag < ARRAY ? SIMPLE_KINDS[tag] : `${tag}(${table ?? children.join(",")})`;
    if (!this.kinds.has(key)) this.kinds.set(key, { tag, children, table });
    return key;
  }

  /**
   * The kind of a shape (nullability is the field's business). Enums are plain strings: the
   * server judges enum membership (it accepts values ahead of its spec and refuses some the
   * spec lists, REALITY.md), so the wasm carries no value lists at all.
   */
  kind(shape, where) {
    const simple = (name) => this.kindKey(SIMPLE_KINDS.indexOf(name));
    switch (shape.t) {
      case "string":
      case "enum":
      case "orNull":
        return simple("Str");
      case "integer":
        return simple("Int");
      case "number":
        return simple("Num");
      case "anyObject":
        // A free-form object (an estimate's event `properties`): its values are the server's.
        return this.kindKey(MAP, [simple("Any")]);
      case "null":
        return simple("Any");
      case "boolean":
        return simple("Bool");
      case "map":
        if (shape.values.t === "string") return simple(shape.values.nullable ? "StrOrNullMap" : "StrMap");
        // Other values (EventInputObject.properties: string or number): a map of that kind.
        return this.kindKey(MAP, [this.kind(shape.values, `${where}.values`)]);
      case "union":
        return this.kindKey(ONE_OF, shape.members.map((m) => this.kind(m, where)));
      case "array":
        return this.kindKey(ARRAY, [this.kind(shape.items, where)]);
      case "ref": {
        const d = this.model.decls.get(shape.name);
        if (d.kind === "interface") return this.kindKey(OBJECT, [], this.table(d.name));
        if (d.kind === "enum") return simple("Str");
        return this.kind(d.shape, d.name); // aliases such as TaxCodes
      }
      default:
        throw new Error(`${where}: no Rust kind for ${shape.t}`);
    }
  }

  /** Table `tsName` (queued for filling). */
  table(tsName) {
    if (!this.tables.has(tsName)) {
      this.tables.set(tsName, null);
      this.pending.push(tsName);
    }
    return tsName;
  }

  /** All properties of an interface, following `extends` (base first, later ones override). */
  flatProps(d) {
    const byName = new Map();
    for (const e of d.extends) for (const p of this.flatProps(this.model.decls.get(e))) byName.set(p.name, p);
    for (const p of d.props) byName.set(p.name, p);
    return [...byName.values()];
  }

  /** One field of a table: its name, its kind's key and its flags (see `Table` in schema.rs). */
  field(p, where, style = "Plain") {
    const key = `${where}.${p.name}`;
    let kind = this.kind(p.shape, key);
    if (NON_EMPTY_STRINGS.has(key)) {
      if (kind !== "Str") throw new Error(`${key}: NON_EMPTY_STRINGS lists a field that is not a string`);
      kind = this.kindKey(SIMPLE_KINDS.indexOf("NonEmptyStr"));
      this.nonEmptyUsed.add(key);
    }
    if (!/^[\x20-\x7e]+$/.test(p.name) || p.name.length > 255) throw new Error(`${key}: name does not pack`);
    const flags = (p.required ? 1 : 0) | (p.shape.nullable ? 2 : 0) | (["Plain", "Brackets", "Deep"].indexOf(style) << 2);
    return { name: p.name, kind, flags };
  }

  /** The kind a request body is checked against: its table, or a oneOf of tables. */
  bodyKind(tsName) {
    const d = this.model.decls.get(tsName);
    if (d.kind === "interface") return this.kindKey(OBJECT, [], this.table(tsName));
    if (d.kind === "alias" && d.shape.t === "union") return this.kind(d.shape, tsName);
    throw new Error(`${tsName}: unsupported request body`);
  }

  /** One argument's bytes in an operation's record: its letter (ARG_TAGS), a query's wire name after it. */
  arg(a) {
    const tag = ARG_TAGS[a.kind === "body" && a.optional ? "optionalBody" : a.kind];
    return a.kind === "query" ? [tag, ...ascii(a.wire)] : [tag];
  }

  emit(built, version) {
    const { model, roots, ops } = built;
    const operations = ops.map((o) => {
      const retry = retryClass(o);
      const keyed = retry.startsWith("Retry::Keyed(") && JSON.parse(retry.slice("Retry::Keyed(".length, -1));
      const retryBytes = keyed ? [RETRY_TAGS.keyed, ...ascii(keyed)] : [retry === "Retry::Unsafe" ? RETRY_TAGS.unsafe : RETRY_TAGS.idempotent];
      const head = [METHODS.indexOf(o.method), ...retryBytes, ...ascii(o.path), ...answerBytes(o.id, roots.shape[o.id]), o.args.length, ...o.args.flatMap((a) => this.arg(a))];
      if (head[0] < 0) throw new Error(`${o.id}: method ${o.method}`);
      // schema.rs's `Op` holds at most MAX_ARGS (5); `Core.call` takes six values.
      if (o.args.length > 5) throw new Error(`${o.id}: more than 5 arguments`);
      const body = roots.body[o.id] ? this.bodyKind(roots.body[o.id]) : null;
      const query = roots.query[o.id] ? this.table(roots.query[o.id]) : null;
      if (query) this.tables.set(query, model.decls.get(query).props.map((p) => this.field(p, query, p.style)));
      // The query table as an object kind: an offset, or the table itself when only this
      // operation has it.
      return { o, head, body, query: query && this.kindKey(OBJECT, [], query) };
    });
    // Body tables: the request bodies' objects and the nested objects they lead to.
    while (this.pending.length) {
      const tsName = this.pending.shift();
      if (this.tables.get(tsName)) continue; // a query table, filled above
      this.tables.set(tsName, this.flatProps(model.decls.get(tsName)).map((p) => this.field(p, tsName)));
    }
    const unused = [...NON_EMPTY_STRINGS].filter((k) => !this.nonEmptyUsed.has(k));
    if (unused.length) throw new Error(`NON_EMPTY_STRINGS: no request body field ${unused.join(", ")}`);

    // Layout: the operations, then the tables; kinds are written inline where they are used
    // (only an object refers elsewhere: to its table). Names inline too: gzip finds the repeats
    // (as a pool of u16 references, the blob was 1.1 KiB more of gzip).
    // A table used in one place only is written there, after the tag INLINE_OBJECT, instead of
    // an offset to it (`inline`, filled once tables are merged): 0.2 KiB less of gzip, as
    // offsets are bytes gzip cannot predict. `within`: the inline tables being written (a
    // schema that held itself would never end).
    const inline = new Set();
    const kindBytes = (key, tableAt, within = []) => {
      const k = this.kinds.get(key);
      if (k.tag < ARRAY) return [k.tag];
      if (k.tag === OBJECT) {
        const t = same.get(k.table);
        if (inline.has(t)) {
          if (within.includes(t)) throw new Error(`${t} holds itself: it cannot be written inline`);
          return [INLINE_OBJECT, ...layoutTable(t, tableAt, [...within, t])];
        }
        const at = tableAt(k.table);
        return [OBJECT, at & 0xff, at >> 8];
      }
      const inner = k.children.flatMap((c) => kindBytes(c, tableAt, within));
      return k.tag === ONE_OF ? [ONE_OF, k.children.length, ...inner] : [k.tag, ...inner];
    };
    const u16 = (n) => [n & 0xff, n >> 8];
    const layoutTable = (name, tableAt, within) => {
      const fields = this.tables.get(name);
      if (fields.length > 255) throw new Error("a table of more than 255 fields");
      // A field's flags share its kind's first byte (tags fit in its low four bits).
      const field = (f) => {
        const [tag, ...rest] = kindBytes(f.kind, tableAt, within);
        return [...ascii(f.name), tag | (f.flags << 4), ...rest];
      };
      return [fields.length, ...fields.flatMap(field)];
    };
    const layout = (tableAt) => {
      // The body's kind last: reading an operation never has to step over it.
      const ops = operations.map((op) => [...op.head, ...(op.query ? kindBytes(op.query, tableAt) : [0xff]), ...(op.body ? kindBytes(op.body, tableAt) : [0xff])]);
      const tables = new Map(kept.map((name) => [name, layoutTable(name, tableAt)]));
      return { ops, tables };
    };
    // Tables with the same fields (names, flags, kinds, and the tables those lead to) are
    // written once: `same` maps each table to the first of its kind, found by merging tables
    // whose fields read alike until nothing more merges.
    const same = new Map([...this.tables.keys()].map((name) => [name, name]));
    let kept = [...this.tables.keys()];
    const ids = new Map([...this.tables.keys()].map((name, i) => [name, i])); // a table's number in a signature
    for (let merged = true; merged; ) {
      merged = false;
      const first = new Map();
      for (const name of this.tables.keys()) {
        if (same.get(name) !== name) continue;
        const sig = JSON.stringify(layoutTable(name, (t) => ids.get(same.get(t))));
        if (first.has(sig)) (same.set(name, first.get(sig)), (merged = true));
        else first.set(sig, name);
      }
      for (const [name, to] of same) same.set(name, same.get(to));
    }
    kept = kept.filter((name) => same.get(name) === name);
    // Where each table is used.
    const uses = new Map();
    const countKind = (key) => {
      const k = this.kinds.get(key);
      if (k.tag === OBJECT) uses.set(same.get(k.table), (uses.get(same.get(k.table)) ?? 0) + 1);
      else k.children.forEach(countKind);
    };
    for (const op of operations) for (const kind of [op.query, op.body]) if (kind) countKind(kind);
    for (const name of kept) for (const f of this.tables.get(name)) countKind(f.kind);
    for (const [name, n] of uses) if (n === 1) inline.add(name);
    kept = kept.filter((name) => !inline.has(name));
    // Sizes do not depend on offsets (an object's is always 3 bytes): lay out once to place.
    const sized = layout(() => 0);
    const at = { op: new Map(), table: new Map() };
    let size = 0;
    operations.forEach((op, i) => (at.op.set(op, size), (size += sized.ops[i].length)));
    for (const name of kept) (at.table.set(name, size), (size += sized.tables.get(name).length));
    if (size > NONE) throw new Error(`the spec blob (${size} B) no longer fits u16 offsets`);
    const placed = layout((name) => at.table.get(same.get(name)));
    const bytes = [...placed.ops.flat(), ...kept.flatMap((name) => placed.tables.get(name))];
    if (bytes.length !== size) throw new Error("spec blob layout mismatch");

    const header =
      `//! Generated by tools/gen-from-spec.mjs from Lago's OpenAPI spec ${version}; do not edit.\n` +
      `//! Every operation of the API classes (method, route, arguments, the top level of a good\n` +
      `//! answer, retry class) and the request bodies and query parameters caller input is checked\n` +
      `//! against, packed in one blob (see \`schema.rs\` for its format).\n\n` +
      `use super::schema::Operation;\n\n` +
      `/// The methods, by the index an operation's record starts with.\n` +
      `pub static METHODS: [&str; ${METHODS.length}] = [${METHODS.map(rsStr).join(", ")}];\n`;
    // The JS face walks the records; the Rust face names an operation here only for its body's
    // check (`client::Endpoint`), so the others are for tests alone.
    const consts = operations.map(
      (op) =>
        `/// \`${op.o.method} ${op.o.path}\` (\`${op.o.id}\`, ${op.o.cls}).\n${op.body ? "" : "#[cfg(test)]\n"}` +
        `pub const ${screaming(op.o.id)}: Operation = Operation(${at.op.get(op)});\n`,
    );
    // The JS face finds an operation by its index by walking the records (they are in this
    // order): a table of 202 offsets was 0.4 KiB of the npm wasm's gzip.
    const table =
      `/// How many operations the blob holds, class by class in the order the JS face's methods\n` +
      `/// call \`Core\` with (pkg-template/operations.js lists them the same way).\n` +
      `#[cfg(any(feature = "js", test))]\n` +
      `pub const OPERATION_COUNT: usize = ${ops.length};\n\n` +
      `/// Every operation in the blob's order (for tests: the JS face walks the records).\n` +
      `#[cfg(test)]\n` +
      `pub static OPERATIONS: [Operation; ${ops.length}] = [${ops.map((o) => screaming(o.id)).join(", ")}];\n`;
    const blob = `/// The blob the operations and tables are read from (${size} B).\npub static SPEC: &[u8] = ${rsBytes(bytes, "    ")};\n`;
    return rustfmt([header, table, ...consts, blob].join("\n"));
  }
}

/**
 * The JS face's argument names that are not the camelCase of their wire name (ARG_NAMES), by
 * operation index (the order of OPERATIONS) and wire name: the core's blob holds wire names only, and the JS
 * face derives every other name by `argName`'s rule (src/js/validate.rs, `js_name`).
 */
function emitJsArgNames(built, version) {
  const rows = built.ops.flatMap((o, i) =>
    o.args.filter((a) => (a.kind === "path" || a.kind === "query") && a.name !== camel(a.wire)).map((a) => `(${i}, ${rsStr(a.wire)}, ${rsStr(a.name)})`),
  );
  return rustfmt(
    `//! Generated by tools/gen-from-spec.mjs from Lago's OpenAPI spec ${version}; do not edit.\n` +
      `//! The JS arguments not named as the camelCase of their wire name: (the operation's index,\n` +
      `//! its record's place in the blob; wire name; JS name).\n\n` +
      `pub static RENAMED: [(usize, &str, &str); ${rows.length}] = [${rows.join(", ")}];\n`,
  );
}

/** `text` as rustfmt lays it out (the toolchain's rustfmt; `cargo fmt --check` agrees). */
export function rustfmt(text) {
  const r = spawnSync("rustfmt", ["--edition", "2021", "--emit", "stdout", "--quiet"], { input: text, encoding: "utf8" });
  if (r.error || r.status !== 0) throw new Error(`rustfmt failed: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/** Generates both files in memory: { ts, rust, stats }. */
export function generate(doc) {
  const built = buildModel(doc);
  const version = doc.info?.version ?? "(unknown version)";
  const ts = emitTs(built, version);
  const rust = new RustEmitter(built.model).emit(built, version);
  const decls = [...built.model.decls.values()];
  const stats = {
    version,
    schemas: built.model.components.size,
    declarations: decls.length,
    interfaces: decls.filter((d) => d.kind === "interface").length,
    properties: decls.filter((d) => d.kind === "interface").reduce((n, d) => n + d.props.length, 0),
    queryParams: Object.values(built.roots.query).reduce((n, q) => n + built.model.decls.get(q).props.length, 0),
  };
  const files = new Map([
    [TS_OUT, ts],
    [RS_OUT, rust],
    [API_DTS_OUT, emitApiDts(built, CLASSES, tsType, version)],
    [JS_OPERATIONS_OUT, emitJsOperations(built, CLASSES, version)],
    ...[join(REPO, "README.md"), join(REPO, "pkg-template/README.md")].map((f) => [f, withClassList(readFileSync(f, "utf8"), built, CLASSES)]),
    [FAKE_VALUES_OUT, emitFakeValues(built, version)],
    [FAKE_ROUTES_OUT, rustfmt(emitFakeRoutes(doc))],
    [RUST_FACE_OUT, rustfmt(emitRustFace(built, CLASSES, tsType, version, { retryClass, answerBytes }))],
    [JS_ARG_NAMES_OUT, emitJsArgNames(built, version)],
    ...[...emitRustModels(built, { version, format: rustfmt })].map(([rel, text]) => [join(REPO, rel), text]),
  ]);
  return { ts, rust, files, stats, built };
}

/**
 * An independent, deliberately naive walk of the spec for the completeness test: for every
 * component schema reachable from the nine operations (bodies and all responses), its
 * property names (allOf members merged, array items' properties for array schemas); for every
 * inline object, keyed by `<Schema>.<prop>[.<prop>...]` (with `[]` for array items); and the
 * JS keys of every query type. Reachable means from a request body, any response or any
 * parameter of the nine operations (the `countries[]` filter is what reaches `Country`).
 */
export function specManifest(doc) {
  const S = doc.components.schemas;
  const schemas = {};
  const inline = {};
  const queue = [];
  const reach = (ref) => {
    const n = refName(ref);
    if (!(n in schemas)) {
      schemas[n] = null;
      queue.push(n);
    }
  };
  // `collect` receives the properties of the component being listed; nested inline objects
  // are listed under their path instead.
  const walk = (s, path, collect) => {
    if (!s || typeof s !== "object") return;
    if (s.$ref) return reach(s.$ref);
    for (const part of s.allOf || []) walk(part, path, collect);
    if (s.items) walk(s.items, `${path}[]`, collect);
    if (s.additionalProperties && typeof s.additionalProperties === "object") walk(s.additionalProperties, path, null);
    if (s.properties) {
      if (collect) collect.push(...Object.keys(s.properties));
      else (inline[path] ??= []).push(...Object.keys(s.properties));
      for (const [k, v] of Object.entries(s.properties)) walk(v, `${path}.${k}`, null);
    }
  };
  const ops = findOperations(doc);
  const queries = {};
  for (const o of ops) {
    const body = o.op.requestBody && jsonSchemaOf(doc, o.op.requestBody);
    if (body) walk(body, `${o.id[0].toUpperCase()}${o.id.slice(1)}Request`, null);
    for (const [code, r] of Object.entries(o.op.responses || {})) {
      const s = jsonSchemaOf(doc, r);
      if (s) walk(s, `${o.id[0].toUpperCase()}${o.id.slice(1)}${code}Response`, null);
    }
    for (const p of o.params) walk(p.schema, `${o.id}?${p.name}`, null);
    const keys = o.params.filter((p) => p.in === "query" && !p.required).map((p) => queryKey(p).key);
    if (keys.length) queries[`${o.id[0].toUpperCase()}${o.id.slice(1)}Query`] = keys;
  }
  while (queue.length) {
    const n = queue.shift();
    const props = [];
    walk(S[n], n, props);
    schemas[n] = [...new Set(props)];
  }
  return { schemas, inline, queries };
}

function firstDifference(a, b) {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return { line: i + 1, committed: la[i], generated: lb[i] };
  }
  return null;
}

function main(argv) {
  const check = argv.includes("--check");
  const path = specPath();
  if (!existsSync(path)) {
    const msg = `SKIPPED: Lago spec not found at ${path} (set LAGO_OPENAPI)`;
    if (check) {
      console.log(`\n*** ${msg} ***\n`);
      return 0;
    }
    console.error(msg);
    return 2;
  }
  const { files, stats } = generate(loadSpec(path));
  const summary =
    `spec ${stats.version}: ${stats.schemas} spec schemas, ${stats.declarations} TS declarations ` +
    `(${stats.interfaces} interfaces, ${stats.properties} properties), ${stats.queryParams} query parameters`;
  if (!check) {
    for (const [file, text] of files) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      console.log(`wrote ${relative(REPO, file)}`);
    }
    console.log(summary);
    return 0;
  }
  let stale = 0;
  for (const [file, text] of files) {
    const rel = relative(REPO, file);
    const committed = existsSync(file) ? readFileSync(file, "utf8") : null;
    if (committed === text) {
      console.log(`ok      ${rel}`);
      continue;
    }
    stale++;
    if (committed === null) {
      console.error(`STALE   ${rel}: file is missing`);
      continue;
    }
    const d = firstDifference(committed, text);
    const [nc, ng] = [committed.split("\n").length, text.split("\n").length];
    console.error(`STALE   ${rel}: differs from what the spec gives (${nc} lines committed, ${ng} generated)`);
    console.error(`        first difference at line ${d.line}:`);
    console.error(`        - committed: ${d.committed ?? "(end of file)"}`);
    console.error(`        + generated: ${d.generated ?? "(end of file)"}`);
  }
  console.log(summary);
  if (stale) {
    console.error(`\n${stale} generated file(s) out of date: run \`node tools/gen-from-spec.mjs\` and commit the result.`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`gen-from-spec: ${e.message}`);
    process.exitCode = 1;
  }
}
