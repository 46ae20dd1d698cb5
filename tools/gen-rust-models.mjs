// Emits the Rust face's models (`src/models/*.rs`, except the hand-written `support.rs` and
// `drift.rs`) from Lago's OpenAPI spec. tools/gen-from-spec.mjs runs it (and `--check`s its
// output) with the same loaded spec, the same operations and, through tools/spec-names.mjs, the
// same names as the TypeScript types: this file reads no file and imports no other generator.
//
// `emitRustModels(spec, { version, operations, format })` is pure: it returns a Map from
// repo-relative path to file text. The spec is AGPL: only declarations and the first sentence
// of a description (as a doc line) are derived from it.
//
// The rules (issue 12: every body Lago really sends decodes, and re-encodes to the same JSON):
// - Scope: every schema reachable from the request bodies and responses of the operations of the
//   API classes (all of the spec's), plus `ApiError` (the error schemas merged into one, every
//   field optional: proxies and 401s send less).
// - A response root (the schema an operation answers with) keeps its `required` keys as plain
//   fields: `{}` or `{"customer": null}` must fail to decode, so the client answers `decode`.
//   Inside a response nothing is required: older servers and list items leave fields out, and a
//   missing field must stay missing, never become a made-up `0` or `""`. Every such field is a
//   `Field<T>` (absent / null / value), so an explicit `null` also survives a round trip.
//   Except the ids: `lago_id` and `external_id`, where the spec requires them and they cannot
//   be `null`, are plain `String`s everywhere (`ALWAYS_SENT`): every serializer of the server
//   writes a record's ids (old servers and list items too), so a body without one is not Lago's
//   and fails with `decode`, and users do not unwrap a field that is never absent. A
//   subscription's `external_id` stays a `Field`: 2022 servers did not send it (`SOMETIMES_ABSENT`).
// - Request bodies the caller builds (schemas reachable only from request bodies) keep `required`
//   everywhere: leaving one out is a caller bug the compiler should catch.
// - Numbers, and strings the spec shows as decimals (a numeric `pattern` or example), are
//   `NumOrStr`: the server and the spec disagree on which of the two it sends (REALITY.md), and
//   the original form must round-trip.
// - Enums are open (`Other(String)` keeps unknown values). Lists of more than 20 values
//   (country, currency, timezone) are plain strings: the server accepts more than the spec lists.
// - Free-form maps (`additionalProperties`: metadata, event properties, provider details) are
//   `serde_json::Map`: their keys and values belong to the user, and any JSON round-trips.
// - Every struct keeps unknown fields in `extra`.
// Anything the generator does not understand throws, so a new construct fails `--check` loudly.

import { inlineName, pascal } from "./spec-names.mjs";


/**
 * What the real server sends beyond the pinned spec: REALITY.md wins over the spec, so these are
 * typed fields and variants, not `extra`/`Other`. Keyed by the schema (or the Rust name of an
 * inline object) that gets them; a field the spec already has is left alone.
 */
const REALITY_FIELDS = {
  // REALITY.md 2 and 5: the customer serializer and the 1.55 spec carry it.
  CustomerBaseObject: {
    external_salesforce_id: { type: ["string", "null"], description: "The customer's Salesforce id (sent by the server, not in spec 1.51)" },
  },
  // REALITY.md 2: the 1.55 create input.
  CustomerInput: {
    external_salesforce_id: { type: ["string", "null"], description: "The customer's Salesforce id (accepted by the server, not in spec 1.51)" },
  },
  // REALITY.md 2: the server permits it on the items (HubSpot).
  IntegrationCustomerInput: {
    targeted_object: { type: ["string", "null"], description: "HubSpot object the customer maps to (accepted by the server, not in spec 1.51)" },
  },
  // REALITY.md 5: the charge usage serializer adds the charge's code.
  ChargeUsageCharge: {
    code: { type: "string", description: "The charge's code (sent by the server, not in spec 1.51)" },
  },
  // REALITY.md 5: the applied coupon serializer adds it.
  AppliedCoupon: {
    coupon_description: { type: ["string", "null"], description: "The coupon's description (sent by the server, not in spec 1.51)" },
  },
};

/** Enum values the server sends beyond the pinned spec (same rule as REALITY_FIELDS). */
const REALITY_VALUES = {
  // REALITY.md 2: the server's Customer::PAYMENT_PROVIDERS (spec 1.55).
  PaymentProvider: ["cashfree", "flutterwave", "moneyhash"],
  // REALITY.md 2: spec 1.55 input enum and the server's integration customer types.
  IntegrationType: ["avalara"],
  // The server's charge models and aggregations beyond the spec lists (noted in the seed models).
  ChargeModel: ["graduated_percentage", "custom", "dynamic"],
  AggregationType: ["custom_agg"],
};

/** Field types decided by hand, with the reason next to each. `<Owner>.<prop>` -> type. */
const FIELD_OVERRIDES = {
  // 422 bodies carry an object, but a proxy or an older server may send anything here.
  "ApiError.error_details": { k: "json" },
};

/** Which file each declaration goes to (first matching rule). */
const FILES = [
  [/^ApiError$/, "error"],
  [/Usage|^PresentationBreakdown|^ChargeUsage|^UsagePricingUnit|^AggregationType$|^ChargeModel$/, "usage"],
  [/^Wallet|^Alert|^Metadata|^CreateCustomerWallet|^RecurringTransaction|^TransactionMetadata/, "wallet"],
  [/^AppliedCoupon|^Coupon/, "coupon"],
  [/^CreditNote/, "credit_note"],
  [/^Invoice|^Fee|^Credit|^BaseAppliedTax|^PricingUnitDetails/, "invoice"],
  [/^PaymentRequest/, "payment_request"],
  [/^Payment(Object|sPaginated|MethodReference)/, "payment"],
  [/^Subscription|^AppliedUsageThreshold|^UsageThreshold/, "subscription"],
  [/^Event/, "event"],
  [/./, "customer"],
];

const FILE_DOCS = {
  customer: "The customer: its answers, its create/update input and the parts they share.",
  usage: "A customer's usage: current, past and projected, per charge, filter and group.",
  wallet: "A customer's prepaid wallets, their metadata and their balance alerts.",
  coupon: "Coupons applied to a customer.",
  credit_note: "Credit notes of a customer.",
  invoice: "Invoices of a customer, their fees and applied taxes.",
  payment_request: "Payment requests of a customer.",
  payment: "Payments of a customer.",
  subscription: "Subscriptions of a customer and their usage thresholds.",
  error: "The JSON body Lago sends with its 4xx and 5xx answers.",
  event: "Usage events: what is sent (one or a batch) and what Lago answers.",
};

const MAX_CLOSED_ENUM = 20;
const RUST_KEYWORDS = new Set(["type", "ref", "match", "move", "self", "struct", "enum", "fn", "mod", "use", "impl", "in", "loop", "where", "crate", "super", "async", "await", "dyn"]);
// A decimal example ("0.5", "10.0"); whole-number examples ("91364", "2") are ids and zipcodes.
const DECIMAL = /^-?[0-9]+\.[0-9]+$/;

function deref(spec, node) {
  let seen = 0;
  while (node && node.$ref && !node.$ref.startsWith("#/components/schemas/")) {
    node = node.$ref.slice(2).split("/").reduce((o, k) => o?.[k], spec);
    if (!node || ++seen > 10) throw new Error("cannot resolve a $ref");
  }
  return node;
}

const refName = (ref) => {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  if (!m) throw new Error(`unsupported $ref ${ref}`);
  return m[1];
};

/** `type` without "null", and whether "null" was there. */
function splitType(s) {
  const t = s.type;
  if (t === undefined) return { types: [], nullable: false };
  const list = Array.isArray(t) ? t : [t];
  return { types: list.filter((x) => x !== "null"), nullable: list.includes("null") };
}

/** Spec prose may hold `[0-9]` or `<tag>`, which rustdoc would read as links or HTML. */
const escapeDoc = (s) => s.replace(/([\[\]<>])/g, "\\$1");

/** The first sentence of a description, on one line, short enough for a doc comment. */
function docLine(text, fallback) {
  if (typeof text !== "string" || !text.trim()) return fallback;
  let line = text.trim().split("\n")[0].trim();
  const stop = line.search(/\.(\s|$)/);
  if (stop > 0) line = line.slice(0, stop);
  line = line.replace(/:$/, "").replace(/\s+/g, " ");
  if (line.length > 90) line = line.slice(0, 87).replace(/\s+\S*$/, "") + "...";
  line = escapeDoc(line);
  return line.endsWith(".") || line.endsWith("...") ? line : line + ".";
}

/** A doc line for a property the spec does not describe: what its type is. */
function fallbackDoc(t) {
  if (t.k === "ref") return `See [\`${t.name}\`].`;
  if (t.k === "vec" && t.of.k === "ref") return `A list of [\`${t.of.name}\`].`;
  if (t.k === "map") return "Free-form key-value data, kept as JSON.";
  if (t.k === "num") return "A number, as a JSON number or a decimal string.";
  return "Not described by the spec.";
}

class Model {
  constructor(spec) {
    this.spec = spec;
    /** name -> declaration, in discovery order */
    this.decls = new Map();
    /** names of schemas/inline objects reachable from a response */
    this.responseSide = new Set();
    this.roots = new Set();
  }

  schema(name) {
    const s = this.spec.components?.schemas?.[name];
    if (!s) throw new Error(`schema ${name} not in the spec`);
    return s;
  }

  /** Turns a schema node into a type expression, declaring named types on the way. */
  type(node, owner, prop, side) {
    if (node.$ref) {
      const name = refName(node.$ref);
      return this.named(name, this.schema(name), side);
    }
    if (node.oneOf || node.anyOf) {
      const variants = node.oneOf || node.anyOf;
      if (variants.every((v) => !v.$ref && ["integer", "number", "string"].includes(v.type))) {
        return { k: "num" };
      }
      // Any other mix (a privilege's value: integer, boolean or string; `provider_error`: a
      // string or an object): the JSON value as sent, kept whole.
      if (variants.every((v) => !v.$ref && !v.properties)) return { k: "json" };
      throw new Error(`${owner}.${prop}: unsupported oneOf`);
    }
    if (node.allOf) return this.inlineObject(node, owner, prop, side);
    const { types } = splitType(node);
    if (types.length > 1) {
      if (types.every((t) => ["integer", "number", "string"].includes(t))) return { k: "num" };
      return { k: "json" };
    }
    const t = types[0];
    if (t === undefined) {
      if (node.properties) return this.inlineObject(node, owner, prop, side);
      return { k: "json" };
    }
    if (t === "string") {
      if (node.enum) return this.enumType(node, owner, prop);
      const numeric =
        (typeof node.pattern === "string" && node.pattern.includes("[0-9]")) ||
        (typeof node.format === "string" && node.format.includes("[0-9]")) ||
        (typeof node.example === "string" && DECIMAL.test(node.example));
      return numeric ? { k: "num" } : { k: "str" };
    }
    if (t === "integer" || t === "number") return { k: "num" };
    if (t === "boolean") return { k: "bool" };
    if (t === "null") return { k: "json" };
    if (t === "array") {
      if (!node.items) return { k: "vec", of: { k: "json" } };
      return { k: "vec", of: this.type(node.items, owner, `${prop}[]`, side) };
    }
    if (t === "object") {
      if (node.properties || node.allOf) return this.inlineObject(node, owner, prop, side);
      return { k: "map" };
    }
    throw new Error(`${owner}.${prop}: unsupported type ${JSON.stringify(node.type)}`);
  }

  enumType(node, owner, prop) {
    const values = node.enum.filter((v) => v !== null);
    if (values.some((v) => typeof v !== "string")) throw new Error(`${owner}.${prop}: non-string enum`);
    if (values.length > MAX_CLOSED_ENUM) return { k: "str" };
    // A component's own enum keeps the component's name.
    const name = prop === "" ? owner : inlineName(this.spec.components.schemas, owner, prop.replace(/\[\]$/, ""), prop.endsWith("[]"));
    const extra = (REALITY_VALUES[name] || []).filter((v) => !values.includes(v));
    this.declare(name, { kind: "enum", name, values: [...values, ...extra], doc: docLine(node.description, `Values of \`${prop}\`.`) });
    return { k: "ref", name };
  }

  /** A components schema used by name. */
  named(name, s, side) {
    if (s.enum) {
      const values = s.enum.filter((v) => v !== null);
      if (values.length > MAX_CLOSED_ENUM) return { k: "str" };
      return this.enumType(s, name, "");
    }
    const { types } = splitType(s);
    if (types[0] === "array") {
      // An array schema: the Rust side uses `Vec<Item>` directly (no alias to keep in sync).
      return { k: "vec", of: this.type(s.items, name, "[]", side) };
    }
    if (s.properties || s.allOf || types[0] === "object") {
      if (!s.properties && !s.allOf) return { k: "map" };
      this.object(name, s, side);
      return { k: "ref", name };
    }
    return this.type(s, name, "", side);
  }

  inlineObject(node, owner, prop, side) {
    // `Owner.prop`, `Owner.prop[]` (array items), or `Owner[]` (items of an array schema).
    const name = inlineName(this.spec.components.schemas, owner, prop.replace(/\[\]$/, ""), prop.endsWith("[]") && prop !== "[]");
    this.object(name, node, side);
    return { k: "ref", name };
  }

  /**
   * Merges `allOf` parts into one property list, keeping the spec's order. Each property keeps
   * the name of the schema that declares it, so its inline enums and objects are named after
   * that schema (one `AccountType`, not one per schema that includes the customer).
   */
  flatten(node, owner, props, required) {
    if (node.$ref) {
      const name = refName(node.$ref);
      this.flatten(this.schema(name), name, props, required);
      this.addRealityFields(name, props);
      return;
    }
    for (const part of node.allOf || []) this.flatten(part, owner, props, required);
    for (const [k, v] of Object.entries(node.properties || {})) {
      // A later allOf part may restate a property: keep the first position, the later schema.
      const prev = props.get(k);
      const schema = prev && !v.description && prev.schema.description ? { ...v, description: prev.schema.description } : v;
      props.set(k, { schema, owner: prev && prev.owner !== owner ? prev.owner : owner });
    }
    for (const r of node.required || []) required.add(r);
    if (node.oneOf || node.anyOf) throw new Error("oneOf inside an object is not supported");
  }

  addRealityFields(name, props) {
    for (const [wire, schema] of Object.entries(REALITY_FIELDS[name] || {})) {
      if (!props.has(wire)) props.set(wire, { schema, owner: name });
    }
  }

  object(name, node, side) {
    if (side === "response") this.responseSide.add(name);
    const existing = this.decls.get(name);
    if (existing) {
      if (existing.kind !== "struct") throw new Error(`${name} declared twice with different kinds`);
      const props = new Map();
      this.flatten(node, name, props, new Set());
      this.addRealityFields(name, props);
      const same = JSON.stringify([...props.keys()]) === JSON.stringify(existing.raw.map((p) => p.wire));
      if (!same) throw new Error(`${name}: two different objects under one name (see tools/spec-names.mjs)`);
      if (existing.sides.has(side)) return;
      existing.sides.add(side);
      for (const p of existing.raw) this.type(p.schema, p.owner, p.wire, side);
      return;
    }
    const props = new Map();
    const required = new Set();
    this.flatten(node, name, props, required);
    this.addRealityFields(name, props);
    const decl = { kind: "struct", name, doc: docLine(node.description, `Lago's \`${name}\`.`), sides: new Set([side]), raw: [], props: [] };
    this.decls.set(name, decl);
    for (const [wire, { schema, owner }] of props) decl.raw.push({ wire, schema, owner });
    for (const { wire, schema, owner } of decl.raw) {
      const { nullable } = splitType(schema.$ref ? this.schema(refName(schema.$ref)) : schema);
      const ty = FIELD_OVERRIDES[`${name}.${wire}`] || this.type(schema, owner, wire, side);
      const target = schema.$ref ? this.schema(refName(schema.$ref)) : null;
      decl.props.push({ wire, type: ty, required: required.has(wire), nullable: nullable || (schema.enum || []).includes(null), doc: docLine(schema.description || target?.description, fallbackDoc(ty)) });
    }
  }

  declare(name, decl) {
    const existing = this.decls.get(name);
    if (existing) {
      if (JSON.stringify(existing.values) !== JSON.stringify(decl.values)) {
        // Two spec lists under one Rust name: the union keeps every value a variant.
        existing.values = [...new Set([...existing.values, ...decl.values])];
      }
      return;
    }
    this.decls.set(name, decl);
  }

  union(name, variants, side, doc) {
    const names = variants.map((v) => {
      if (!v.$ref) throw new Error(`${name}: inline oneOf variant`);
      const t = this.named(refName(v.$ref), this.schema(refName(v.$ref)), side);
      if (t.k !== "ref") throw new Error(`${name}: oneOf variant is not an object`);
      this.roots.add(t.name);
      return t.name;
    });
    this.decls.set(name, { kind: "union", name, variants: names, doc });
    return { k: "ref", name };
  }

  /** A request or response body: a named schema, an inline object, or a oneOf of schemas. */
  body(schema, rootName, side, doc) {
    if (schema.$ref) {
      const name = refName(schema.$ref);
      const t = this.named(name, this.schema(name), side);
      if (t.k === "ref") this.roots.add(t.name);
      return;
    }
    if (schema.oneOf) return this.union(rootName, schema.oneOf, side, doc);
    if (schema.properties) {
      this.object(rootName, { ...schema, description: schema.description || doc }, side);
      this.roots.add(rootName);
      return;
    }
    throw new Error(`${rootName}: unsupported body schema`);
  }
}

/** The models of `operations` (`findOperations`' list: those of the API classes). */
function buildRustModel(spec, operations) {
  const m = new Model(spec);
  const errors = new Map();
  // Responses first, so a schema shared with a request body is treated as a response part.
  for (const { op } of operations) {
    const opName = op.operationId[0].toUpperCase() + op.operationId.slice(1);
    for (const [status, resp] of Object.entries(op.responses || {})) {
      const r = deref(spec, resp);
      const media = r?.content?.["application/json"];
      if (!media?.schema) continue;
      if (/^2/.test(status)) {
        m.body(media.schema, `${opName}${status}Response`, "response", docLine(r.description, `Answer of \`${op.operationId}\`.`));
      } else if (media.schema.$ref) {
        errors.set(refName(media.schema.$ref), true);
      }
    }
  }
  for (const { op } of operations) {
    const opName = op.operationId[0].toUpperCase() + op.operationId.slice(1);
    const body = deref(spec, op.requestBody);
    const schema = body?.content?.["application/json"]?.schema;
    if (schema) m.body(schema, `${opName}Request`, "request", docLine(body.description, `Body of \`${op.operationId}\`.`));
  }
  // ApiError: the error schemas merged; every field optional (see the header).
  const merged = { type: "object", description: "Lago's error body, such as `{\"status\":404,\"error\":\"Not Found\",\"code\":\"customer_not_found\"}`", properties: {} };
  for (const name of [...errors.keys()].filter((n) => n.startsWith("ApiError")).sort()) {
    for (const [k, v] of Object.entries(m.schema(name).properties || {})) merged.properties[k] ??= v;
  }
  m.object("ApiError", merged, "response");
  return m;
}

// ---------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------

function rustType(t) {
  switch (t.k) {
    case "str":
      return "String";
    case "num":
      return "NumOrStr";
    case "bool":
      return "bool";
    case "json":
      return "serde_json::Value";
    case "map":
      return "Map<String, Value>";
    case "vec":
      return `Vec<${rustType(t.of)}>`;
    case "ref":
      return t.name;
    default:
      throw new Error(`unknown type kind ${t.k}`);
  }
}

const fieldName = (wire) => {
  const snake = wire.replace(/[^A-Za-z0-9_]/g, "_").toLowerCase();
  return RUST_KEYWORDS.has(snake) ? `r#${snake}` : snake;
};

/** Wraps `// ` or `/// ` text at 100 columns. */
function wrapDoc(prefix, text) {
  const words = text.split(" ");
  const lines = [];
  let line = prefix;
  for (const w of words) {
    if (line.length + 1 + w.length > 100 && line !== prefix) {
      lines.push(line);
      line = prefix;
    }
    line += (line === prefix ? " " : " ") + w;
  }
  lines.push(line);
  return lines.map((l) => l.replace(/^(\s*\/\/\/?) {2}/, "$1 ")).join("\n");
}


/**
 * Whether `p` is a plain field (the key must be there): every required one of a request body the
 * caller builds or of a response root, and the ids Lago always sends (see `alwaysSent`).
 */
const isPlain = (d, p, strict, isRoot) => p.required && (strict || isRoot || alwaysSent(d, p));

/**
 * `lago_id` and `external_id` where the spec requires them and they cannot be `null`: every
 * serializer of the server writes the record's id (REALITY.md), old servers and list items
 * included, so a body without one is not Lago's and fails with `decode`, and users read
 * `customer.lago_id` rather than unwrap a `Field` that is never absent.
 */
const ALWAYS_SENT = new Set(["lago_id", "external_id"]);
/**
 * `<Struct>.<key>` ids that stay `Field`s: a subscription's `external_id` came after 2022 (the
 * corpus' `subscriptions_paginated/v1_55_active_and_v0_terminated.json` has a 2022 server's
 * subscription without it, from lago-python-client's fixtures).
 */
const SOMETIMES_ABSENT = new Set(["Subscription.external_id", "SubscriptionExtended.external_id"]);
const alwaysSent = (d, p) =>
  ALWAYS_SENT.has(p.wire) && !p.nullable && p.type.k === "str" && !SOMETIMES_ABSENT.has(`${d.name}.${p.wire}`);

function printStruct(d, strict, isRoot) {
  const out = [];
  out.push(wrapDoc("///", d.doc));
  const plain = (p) => isPlain(d, p, strict, isRoot);
  const defaultable = d.props.every((p) => !plain(p) || p.nullable || ["str", "vec", "map", "bool", "json"].includes(p.type.k) || (p.type.k === "ref" && p.defaultable));
  // A model with a `Default` decodes through `support::decode_model` (one generic loop for all
  // of them, a fraction of the derive's bytes per model); the others keep the derive.
  const byHand = defaultable && d.props.length <= 128;
  out.push(`#[derive(Debug, Clone, ${defaultable ? "Default, " : ""}PartialEq, Eq, Serialize${byHand ? "" : ", Deserialize"})]`);
  out.push(`pub struct ${d.name} {`);
  for (const p of d.props) {
    const name = fieldName(p.wire);
    const rename = name.replace(/^r#/, "") !== p.wire ? `rename = "${p.wire}", ` : "";
    const ty = rustType(p.type);
    out.push(wrapDoc("    ///", p.doc));
    if (plain(p)) {
      if (p.nullable) {
        // Required but nullable: the key must be there; `null` is a value.
        // (serde treats a plain `Option` field as optional: `Option::deserialize` makes the key
        // mandatory again.)
        if (!byHand) out.push(`    #[serde(${rename}deserialize_with = "Option::deserialize")]`);
        else if (rename) out.push(`    #[serde(${rename.replace(/, $/, "")})]`);
        out.push(`    pub ${name}: Option<${ty}>,`);
      } else {
        if (rename) out.push(`    #[serde(${rename.replace(/, $/, "")})]`);
        out.push(`    pub ${name}: ${ty},`);
      }
    } else {
      out.push(`    #[serde(${rename}${byHand ? "" : "default, "}skip_serializing_if = "Field::is_absent")]`);
      out.push(`    pub ${name}: Field<${ty}>,`);
    }
  }
  out.push("    /// Fields this crate does not model: kept on decode, sent back unchanged.");
  out.push("    #[serde(flatten)]");
  out.push("    pub extra: Map<String, Value>,");
  out.push("}");
  out.push("");
  const fields = d.props.map((p) => fieldName(p.wire));
  out.push(macroCall("model_impls!", d.name, fields));
  if (byHand) out.push("", printModelFields(d, fields, strict, isRoot));
  return { text: out.join("\n"), defaultable };
}

/** The `ModelFields` impl and the `Deserialize` of a model decoded by `support::decode_model`. */
function printModelFields(d, fields, strict, isRoot) {
  const required = d.props.reduce((bits, p, i) => (isPlain(d, p, strict, isRoot) ? bits | (1n << BigInt(i)) : bits), 0n);
  const out = [];
  out.push(`impl ModelFields for ${d.name} {`);
  out.push(`    const EXPECTING: &'static str = "struct ${d.name}";`);
  out.push(`    const FIELDS: &'static [&'static str] = &[${d.props.map((p) => JSON.stringify(p.wire)).join(", ")}];`);
  out.push(`    const REQUIRED: u128 = ${required === 0n ? "0" : `0x${required.toString(16)}`};`);
  out.push("");
  const [index, map] = fields.length ? ["index", "map"] : ["_index", "_map"];
  out.push(`    fn read_field<'de, A: serde::de::MapAccess<'de>>(&mut self, ${index}: usize, ${map}: &mut A) -> Result<(), A::Error> {`);
  if (fields.length === 1) {
    // The one key of `FIELDS` (an `if`: clippy refuses a one-arm `match`).
    out.push(`        if index == 0 {`);
    out.push(`            read(map, &mut self.${fields[0]})?;`);
    out.push("        }");
  } else if (fields.length) {
    out.push("        match index {");
    fields.forEach((f, i) => out.push(`            ${i} => read(map, &mut self.${f})?,`));
    // `index` comes from `FIELDS`, so it is always one of the arms above.
    out.push("            _ => {}");
    out.push("        }");
  }
  out.push("        Ok(())");
  out.push("    }");
  out.push("");
  out.push("    fn extra(&mut self) -> &mut Map<String, Value> {");
  out.push("        &mut self.extra");
  out.push("    }");
  out.push("}");
  out.push("");
  out.push(`impl<'de> Deserialize<'de> for ${d.name} {`);
  out.push("    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {");
  out.push("        decode_model(deserializer)");
  out.push("    }");
  out.push("}");
  return out.join("\n");
}

/** `name! { Type: a, b, c }`, wrapped by hand at 100 columns (rustfmt leaves brace macros). */
function macroCall(mac, name, items) {
  const one = `${mac} { ${name}${items.length ? ": " + items.join(", ") : ""} }`;
  if (one.length <= 100) return one;
  const lines = [`${mac} {`, `    ${name}:`];
  let line = "       ";
  for (const [i, it] of items.entries()) {
    const piece = ` ${it}${i < items.length - 1 ? "," : ""}`;
    if (line.length + piece.length > 100) {
      lines.push(line);
      line = "       ";
    }
    line += piece;
  }
  lines.push(line);
  lines.push("}");
  return lines.join("\n");
}

function variantName(value) {
  const p = pascal(value);
  // `Other(String)` is the catch-all for unknown values; the spec's own `other` gets its own name.
  if (p === "Other") return "ListedOther";
  return /^[0-9]/.test(p) ? `V${p}` : p || "Empty";
}

function printEnum(d) {
  const out = [];
  out.push("open_enum! {");
  out.push(wrapDoc("    ///", d.doc));
  out.push(`    pub enum ${d.name} {`);
  for (const v of d.values) {
    out.push(`        /// \`${v}\`.`);
    out.push(`        ${variantName(v)} => "${v}",`);
  }
  out.push("    }");
  out.push("}");
  return out.join("\n");
}

function printUnion(d) {
  const out = [];
  out.push(wrapDoc("///", d.doc));
  out.push(wrapDoc("///", "The first variant whose required keys are present wins (serde `untagged`)."));
  out.push("#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]");
  out.push("#[serde(untagged)]");
  out.push(`pub enum ${d.name} {`);
  for (const v of d.variants) {
    out.push(`    /// A \`${v}\` body.`);
    // Boxed: the variants differ in size by hundreds of bytes (clippy::large_enum_variant).
    out.push(`    ${v}(Box<${v}>),`);
  }
  out.push("}");
  out.push("");
  out.push(`union_impls! { ${d.name}: ${d.variants.join(", ")} }`);
  return out.join("\n");
}

const fileOf = (name) => FILES.find(([re]) => re.test(name))[1];

/**
 * The model files for `spec` (loaded by gen-from-spec's `loadSpec`), covering `operations`,
 * each laid out by `format` (rustfmt).
 */
export function emitRustModels(spec, { version = spec?.info?.version, operations, format }) {
  const m = buildRustModel(spec, operations);
  const header = (what) =>
    `// Generated by tools/gen-rust-models.mjs from Lago's OpenAPI spec ${version}; do not edit.\n` +
    `//! ${what}\n`;
  // Defaultable: a struct whose required fields all have honest empty values (computed to a
  // fixed point so containers of defaultable structs are defaultable too).
  const files = new Map();
  const byFile = new Map();
  const structs = [...m.decls.values()].filter((d) => d.kind === "struct");
  const strictOf = (d) => !m.responseSide.has(d.name);
  let changed = true;
  const defaultable = new Set();
  while (changed) {
    changed = false;
    for (const d of structs) {
      for (const p of d.props) if (p.type.k === "ref") p.defaultable = defaultable.has(p.type.name);
      if (!defaultable.has(d.name) && printStruct(d, strictOf(d), m.roots.has(d.name)).defaultable) {
        defaultable.add(d.name);
        changed = true;
      }
    }
  }
  for (const d of m.decls.values()) {
    let text;
    if (d.kind === "struct") text = printStruct(d, strictOf(d), m.roots.has(d.name)).text;
    else if (d.kind === "enum") text = printEnum(d);
    else text = printUnion(d);
    const file = fileOf(d.name);
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file).push({ name: d.name, text });
  }
  const order = [...new Set(FILES.map(([, f]) => f))].filter((f) => byFile.has(f)).sort();
  for (const file of order) {
    const decls = byFile.get(file).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const body = decls.map((d) => d.text).join("\n\n");
    // Glob imports: which support items and sibling types a file needs depends on the spec.
    const uses = [
      "use super::support::*;",
      "// Sibling types; a file may use none of them, depending on the spec.",
      "#[allow(unused_imports)]",
      "use super::*;",
    ];
    files.set(
      `src/models/${file}.rs`,
      `${header(FILE_DOCS[file])}\n${uses.join("\n")}\n\n${body}\n`,
    );
  }
  const mod = [
    `// Generated by tools/gen-rust-models.mjs from Lago's OpenAPI spec ${version}; do not edit.`,
    `//! Typed models of Lago's Customers and customer-wallet endpoints (spec ${version}), generated`,
    "//! from the spec by `tools/gen-rust-models.mjs`. They are honest and lossless: every body the",
    "//! real server sends decodes and re-encodes to the same JSON. See `support.rs` for [`Field`]",
    "//! (absent / null / value) and [`NumOrStr`], and the generator's header for the rules.",
    "",
    ...[...order, "drift", "support"].sort().map((f) => `mod ${f};`),
    "",
    ...[
      ...order.map((f) => `pub use self::${f}::*;`),
      "pub use self::drift::{DriftItem, SpecDrift};",
      "pub use self::support::{Field, JsModel, NumOrStr};",
    ].sort(),
    "",
  ].join("\n");
  files.set("src/models/mod.rs", mod);
  // Laid out as `cargo fmt` would (a long field type wraps), so --check agrees with it.
  for (const [rel, text] of files) files.set(rel, format(text));
  return files;
}
