// Emits the Rust face's models (`src/models/*.rs`, except the hand-written `support.rs` and
// `drift.rs`) from the one model of Lago's OpenAPI spec that tools/gen-from-spec.mjs builds
// (`buildModel`: the TypeScript types and the runtime tables are printed from it too). This file
// reads no file, walks no spec and imports no other generator: gen-from-spec runs it (and
// `--check`s its output) and passes what it needs in.
//
// `emitRustModels(built, { version, format })` is pure: `built` is `buildModel`'s result (the
// declarations `model.decls`, the operations `ops`, their `roots` and `errorSchemas`; of the spec
// itself only the names of its schemas are read, for spec-names.mjs' rule), `format` is rustfmt.
// It returns a Map from repo-relative path to file text. Every name is the model's, so a type
// has one name on both faces; what this file decides is the Rust face's mapping of the model:
// an interface's `extends` flattened into one struct, a type per shape, an enum for every enum
// the model keeps as a literal union (named by spec-names.mjs' rule), and plain fields or
// `Field<T>` by the side a struct is reached from. The fields and enum values Lago's server has
// beyond the spec (REALITY.md) are in the model already (gen-from-spec's REALITY_FIELDS and
// REALITY_VALUES). The spec is AGPL: only declarations and the first sentence of a description
// (as a doc line) are derived from it.
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
// - Numbers, and strings the spec shows as decimals (a numeric `pattern`, format or example), are
//   `NumOrStr`: the server and the spec disagree on which of the two it sends (REALITY.md), and
//   the original form must round-trip.
// - Enums are open (`Other(String)` keeps unknown values). Lists of more than 20 values
//   (country, currency, timezone) are plain strings: the server accepts more than the spec lists.
// - Free-form maps (`additionalProperties`: metadata, event properties, provider details) are
//   `serde_json::Map`: their keys and values belong to the user, and any JSON round-trips.
// - Every struct keeps unknown fields in `extra`.
// Anything the generator does not understand throws, so a new construct fails `--check` loudly.

import { inlineName, pascal } from "./spec-names.mjs";

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

/**
 * The Rust face's declarations, mapped from the shared model (`buildModel`'s `model.decls`):
 * structs (an interface with its `extends` flattened into one), open enums (every enum the
 * model has, named by the shared rule where the model leaves it a literal union), and untagged
 * unions (a body that is a oneOf), with the request/response sides that decide plain fields
 * from `Field<T>`s. Only what the operations' bodies and answers reach is declared.
 */
class RustModel {
  constructor(model) {
    this.model = model;
    /** name -> declaration, in discovery order */
    this.decls = new Map();
    /** names of structs reachable from a response */
    this.responseSide = new Set();
    this.roots = new Set();
  }

  decl(name) {
    const d = this.model.decls.get(name);
    if (!d) throw new Error(`${name}: not in the model`);
    return d;
  }

  /** Whether `name` is one of the spec's own schemas (not an inline object or enum named here). */
  isComponent(name) {
    return Object.hasOwn(this.model.schemas, name);
  }

  /**
   * The Rust type of a property's shape, declaring the named types it reaches. `owner`, `wire`
   * and `isItem` say where the shape is (for the rule that names an inline enum), `doc` is the
   * property's description (an enum's doc line).
   */
  type(shape, owner, wire, side, isItem = false, doc = undefined) {
    switch (shape.t) {
      case "string": {
        // A decimal the spec shows as a string: a numeric `pattern` or format, or a decimal example.
        const numeric =
          (typeof shape.pattern === "string" && shape.pattern.includes("[0-9]")) ||
          (typeof shape.format === "string" && shape.format.includes("[0-9]")) ||
          (typeof shape.example === "string" && DECIMAL.test(shape.example));
        return numeric ? { k: "num" } : { k: "str" };
      }
      case "integer":
      case "number":
        return { k: "num" };
      case "boolean":
        return { k: "bool" };
      case "null":
        return { k: "json" };
      case "map":
      case "anyObject":
        return { k: "map" };
      case "union":
        // A number or a numeric string; any other mix (a privilege's value: integer, boolean or
        // string; `provider_error`: a string or an object) is the JSON value as sent, kept whole.
        return shape.members.every((m) => ["integer", "number", "string"].includes(m.t)) ? { k: "num" } : { k: "json" };
      case "enum":
        return this.enumType(inlineName(this.model.schemas, owner, wire, isItem), shape.values, isItem ? undefined : doc, `${wire}${isItem ? "[]" : ""}`);
      case "orNull": {
        const values = [...this.decl(shape.base).values, ...shape.extra];
        if (values.length > MAX_CLOSED_ENUM) return { k: "str" };
        throw new Error(`${owner}.${wire}: a short XOrNull enum is not supported`);
      }
      case "array":
        return { k: "vec", of: this.type(shape.items, owner, wire, side, true) };
      case "ref":
        return this.named(shape.name, side, isItem ? undefined : doc, `${wire}${isItem ? "[]" : ""}`);
      default:
        throw new Error(`${owner}.${wire}: unsupported shape ${shape.t}`);
    }
  }

  /**
   * An enum of `values` named `name`; lists of more than MAX_CLOSED_ENUM values are strings.
   * The model merged the lists of a name several places share (spec-names.mjs); a name the rule
   * gives again (a base's enum, flattened into several structs) is one enum too.
   */
  enumType(name, values, doc, where) {
    if (values.length > MAX_CLOSED_ENUM) return { k: "str" };
    const existing = this.decls.get(name);
    if (existing) {
      if (existing.kind !== "enum") throw new Error(`${name} declared twice with different kinds`);
      existing.values = [...new Set([...existing.values, ...values])];
    } else {
      this.decls.set(name, { kind: "enum", name, values, doc: docLine(doc, `Values of \`${where}\`.`) });
    }
    return { k: "ref", name };
  }

  /**
   * A declaration of the model used by name. An array schema is `Vec<Item>` (no alias to keep
   * in sync); a component's own enum keeps its doc, an inline one takes its property's.
   */
  named(name, side, doc, where) {
    const d = this.decl(name);
    if (d.kind === "interface") {
      this.object(name, side);
      return { k: "ref", name };
    }
    if (d.kind === "enum") {
      return this.isComponent(name) ? this.enumType(name, d.values, d.doc, "") : this.enumType(name, d.values, doc, where);
    }
    if (d.kind !== "alias") throw new Error(`${name}: unsupported declaration ${d.kind}`);
    if (d.shape.t === "array") return { k: "vec", of: this.type(d.shape.items, name, "", side, true) };
    if (d.shape.t === "enum") return this.enumType(name, d.shape.values, d.doc, "");
    return this.type(d.shape, name, "", side);
  }

  /**
   * The properties of interface `d` with its `extends` flattened, in the spec's order. A later
   * part may restate a property: it keeps its first position and the first declaring schema as
   * its owner (so its inline enum is named once: one `AccountType`), and takes the later shape.
   */
  flatten(d, out = new Map()) {
    for (const e of d.extends) this.flatten(this.decl(e), out);
    for (const p of d.props) {
      const prev = out.get(p.name);
      out.set(p.name, { wire: p.name, shape: p.shape, owner: prev?.owner ?? d.name, required: p.required || !!prev?.required, doc: p.doc || prev?.doc });
    }
    return out;
  }

  /** The struct of interface `name` (`fallback` documents it when the spec does not). */
  object(name, side, fallback = `Lago's \`${name}\`.`) {
    const d = this.decl(name);
    this.struct(name, docLine(d.doc, fallback), [...this.flatten(d).values()], side);
  }

  /** Declares struct `name` of `fields` (once), reached from `side`. */
  struct(name, doc, fields, side) {
    if (side === "response") this.responseSide.add(name);
    const existing = this.decls.get(name);
    if (existing) {
      if (existing.kind !== "struct") throw new Error(`${name} declared twice with different kinds`);
      if (existing.sides.has(side)) return;
      existing.sides.add(side);
      for (const f of existing.fields) this.fieldType(name, f, side);
      return;
    }
    const decl = { kind: "struct", name, doc, sides: new Set([side]), fields, props: [] };
    this.decls.set(name, decl);
    for (const f of fields) {
      const ty = this.fieldType(name, f, side);
      // A reference's own description, else the referred schema's.
      const target = f.shape.t === "ref" && this.isComponent(f.shape.name) ? this.decl(f.shape.name).doc : undefined;
      const nullable = !!f.shape.nullable || f.shape.t === "null";
      decl.props.push({ wire: f.wire, type: ty, required: f.required, nullable, doc: docLine(f.doc || target, fallbackDoc(ty)) });
    }
  }

  fieldType(name, f, side) {
    return FIELD_OVERRIDES[`${name}.${f.wire}`] || this.type(f.shape, f.owner, f.wire, side, false, f.doc);
  }

  /** A request body or an answer, declaration `name` of the model: a union of structs, or one. */
  body(name, side, fallback) {
    const d = this.decl(name);
    if (d.kind === "alias" && d.shape.t === "union") {
      const variants = d.shape.members.map((m) => {
        const t = m.t === "ref" && this.named(m.name, side);
        if (t?.k !== "ref") throw new Error(`${name}: oneOf variant is not an object`);
        this.roots.add(t.name);
        return t.name;
      });
      this.decls.set(name, { kind: "union", name, variants, doc: docLine(d.doc, fallback) });
      return;
    }
    if (d.kind === "interface" && !this.isComponent(name)) {
      this.object(name, side, fallback);
      this.roots.add(name);
      return;
    }
    const t = this.named(name, side);
    if (t.k === "ref") this.roots.add(t.name);
  }
}

/**
 * The Rust declarations of `built`'s operations (those of the API classes): their answers
 * first, so a schema shared with a request body is treated as a response part, then their
 * request bodies, then `ApiError`.
 */
function rustModel(built) {
  const m = new RustModel(built.model);
  const { ops, roots } = built;
  for (const o of ops) {
    const answer = roots.response[o.id];
    if (answer !== "void" && answer !== "string") m.body(answer, "response", `Answer of \`${o.id}\`.`);
  }
  for (const o of ops) if (roots.body[o.id]) m.body(roots.body[o.id], "request", `Body of \`${o.id}\`.`);
  // ApiError: the `ApiError*` error schemas merged, every field optional (see the header).
  const fields = new Map();
  for (const name of built.errorSchemas.filter((n) => n.startsWith("ApiError")).sort()) {
    for (const p of m.decl(name).props) if (!fields.has(p.name)) fields.set(p.name, { wire: p.name, shape: p.shape, owner: "ApiError", required: false, doc: p.doc });
  }
  const doc = "Lago's error body, such as `{\"status\":404,\"error\":\"Not Found\",\"code\":\"customer_not_found\"}`";
  m.struct("ApiError", docLine(doc), [...fields.values()], "response");
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
 * The model files of `built` (gen-from-spec's `buildModel` of the loaded spec), covering its
 * operations, each laid out by `format` (rustfmt).
 */
export function emitRustModels(built, { version, format }) {
  const m = rustModel(built);
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
