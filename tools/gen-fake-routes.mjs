// `fake-lago/src/spec_routes.rs`: one row per operation of Lago's spec, for the fake's generic,
// spec-driven store (fake-lago/src/generic.rs). Per operation: method, path template, what it
// does to the store (derived from the path and the answer, see `kindOf`), the answer's root key
// and shape, the request body's root key, the scalar fields a body may copy into the answer
// object, and a JSON skeleton of that object with every required field (recursively) filled
// with a type- and enum-valid value, so that skeleton + the body's matching fields passes
// Prism's response validation.

// Answers and bodies the spec leaves unwrapped but the server wraps under a root key (REALITY.md
// section 9) come wrapped already: the spec this reads is `loadSpec`'s, with gen-from-spec.mjs's
// SPEC_FIXES applied. Prism, which reads the spec as published, reports those answers.

/**
 * Required fields the spec never declares as properties, with what the server sends for them
 * (`OrganizationObject.email_settings`: `model.email_settings`, a list of setting names, in
 * app/serializers/v1/organization_serializer.rb). Others are left out, as the server does.
 */
const UNDECLARED = { email_settings: [] };

const FIXED = {
  "date-time": "2026-01-01T00:00:00Z",
  date: "2026-01-01",
  uuid: "1a901a90-1a90-4a90-8a90-1a901a901a90",
  email: "billing@example.com",
  uri: "https://example.com",
  url: "https://example.com",
};

function makeDeref(doc) {
  return (s) => {
    let seen = 0;
    while (s && s.$ref) {
      if (++seen > 20) throw new Error(`$ref loop at ${s.$ref}`);
      s = s.$ref.split("/").slice(1).reduce((a, k) => a?.[decodeURIComponent(k)], doc);
    }
    return s;
  };
}

/** `type` as a list (3.1 allows `[string, "null"]`). */
const types = (s) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/** An object schema's allOf members merged: { properties, required }. */
function flatten(deref, s) {
  s = deref(s);
  const out = { properties: { ...(s?.properties || {}) }, required: [...(s?.required || [])] };
  for (const part of s?.allOf || []) {
    const f = flatten(deref, part);
    Object.assign(out.properties, f.properties);
    out.required.push(...f.required);
  }
  const first = (s?.oneOf || s?.anyOf || []).map(deref).find((o) => !types(o).includes("null") || o.properties);
  if (first && !s.properties && !s.allOf) return flatten(deref, first);
  out.required = [...new Set(out.required)];
  return out;
}

/** A value of `schema` with every required field filled in. */
function skeleton(deref, schema, depth = 0) {
  const s = deref(schema);
  if (!s || depth > 14) return null;
  if ("const" in s) return s.const;
  const options = s.oneOf || s.anyOf;
  if (options && !s.properties && !s.allOf) {
    const pick = options.map(deref).find((o) => !types(o).includes("null") || types(o).length > 1) ?? options[0];
    return skeleton(deref, pick, depth + 1);
  }
  if (s.enum) return s.enum.find((v) => v !== null) ?? null;
  const t = types(s).filter((x) => x !== "null");
  const kind = t[0] ?? (s.properties || s.allOf ? "object" : s.items ? "array" : s.format ? "string" : undefined);
  switch (kind) {
    case "object": {
      const f = flatten(deref, s);
      const out = {};
      for (const name of f.required) {
        if (name in f.properties) out[name] = skeleton(deref, f.properties[name], depth + 1);
        else if (name in UNDECLARED) out[name] = UNDECLARED[name];
      }
      return out;
    }
    case "array":
      return [];
    case "string":
      if (s.format in FIXED) return FIXED[s.format];
      if (typeof s.example === "string") return s.example;
      return "x".repeat(Math.max(1, s.minLength ?? 1));
    case "integer":
      return Number.isInteger(s.example) ? s.example : Math.max(0, s.minimum ?? 0);
    case "number":
      return typeof s.example === "number" ? s.example : Math.max(0, s.minimum ?? 0);
    case "boolean":
      return typeof s.example === "boolean" ? s.example : false;
    default:
      return null;
  }
}

/** Enums written by name in `fields`: `e=@currency` is any of spec_values.rs' `CURRENCY`. */
const NAMED_LISTS = { Currency: "@currency", Country: "@country", Timezone: "@timezone" };

/**
 * The scalar properties of an object schema a request body may set, as `name:kinds` words:
 * `s` a plain string (no format, pattern or enum), `i` integer, `f` number, `b` boolean, `n`
 * null, `o` a free-form object (a charge filter's `values`: the caller's keys), `e=a|b` one of
 * these strings.
 */
function scalarFields(deref, schema, doc) {
  const f = flatten(deref, schema);
  // The spec's long lists are named, not repeated (generic.rs reads them from spec_values.rs).
  const named = Object.entries(NAMED_LISTS).map(([schemaName, ref]) => [ref, (doc.components.schemas[schemaName]?.enum ?? []).join("|")]);
  const words = [];
  for (const [name, raw] of Object.entries(f.properties)) {
    const p = deref(raw);
    if (!p || p.oneOf || p.anyOf || p.allOf) continue;
    const t = types(p);
    let kinds = "";
    if (p.enum) {
      const strings = p.enum.filter((v) => typeof v === "string" && !/[\s|:]/.test(v));
      if (strings.length !== p.enum.filter((v) => v !== null).length) continue;
      const list = strings.join("|");
      kinds = `e=${named.find(([, values]) => values === list)?.[0] ?? list}`;
      if (t.includes("null") || p.enum.includes(null)) kinds = `n${kinds}`;
    } else {
      for (const x of t) {
        if (x === "string" && !p.format && !p.pattern) kinds += "s";
        else if (x === "string" && p.format === "date-time") kinds += "t";
        else if (x === "integer") kinds += "i";
        else if (x === "number") kinds += "f";
        else if (x === "boolean") kinds += "b";
        else if (x === "null") kinds += "n";
        else if (x === "object" && !p.properties && p.additionalProperties) kinds += "o";
      }
      if (!kinds.replace("n", "")) continue;
    }
    words.push(`${name}:${kinds}`);
  }
  return words.join(" ");
}

/** The answer: { root, shape, item } where item is the schema of the object (or list item). */
function answerOf(deref, id, op) {
  const [, ok] = Object.entries(op.responses || {}).find(([code]) => code.startsWith("2")) ?? [];
  const content = deref(ok)?.content;
  if (!content) return { shape: "Empty", root: "", item: null };
  if (!content["application/json"]) return { shape: "Text", root: "", item: null };
  const schema = content["application/json"].schema;
  const f = flatten(deref, schema);
  const keys = Object.keys(f.properties).filter((k) => k !== "meta");
  const paged = "meta" in f.properties;
  if (keys.length !== 1) throw new Error(`${id}: cannot tell the answer's root key among ${keys}`);
  const [root] = keys;
  const inner = deref(f.properties[root]);
  if (types(inner).includes("array") || inner.items) return { shape: paged ? "Page" : "List", root, item: inner.items };
  return { shape: "Object", root, item: f.properties[root] };
}

/** The request body's root key (`{"add_on": {...}}` -> `add_on`), or "". */
function bodyRoot(deref, op) {
  const schema = deref(op.requestBody)?.content?.["application/json"]?.schema;
  if (!schema) return "";
  const f = flatten(deref, schema);
  // The one property, else the one required (`subscription` beside an optional `authorization`).
  const all = Object.keys(f.properties);
  const keys = all.length === 1 ? all : f.required.filter((k) => k in f.properties);
  const inner = keys.length === 1 && deref(f.properties[keys[0]]);
  return inner && (types(inner).includes("object") || inner.properties || inner.allOf) ? keys[0] : "";
}

/**
 * What an operation does to the store, and the path template it does it on:
 * - `Find`/`Update`/`Delete` the item at its own path, or `Action` on an item at a shorter path
 *   (the longest prefix ending in a parameter that is an item, read there or listed at its
 *   collection, and answered with the same root key: `POST /invoices/{lago_id}/finalize`
 *   answers the invoice at `/invoices/{lago_id}`; removing a privilege acts on its feature);
 * - `Create`/`List`/`Clear` on the collection at its path (a path some GET lists);
 * - the four metadata operations on the item that owns the metadata;
 * - `Static`: nothing stored, the skeleton answered (analytics, estimates, keys).
 */
function kindOf(o, all) {
  const segs = o.path.split("/").slice(1);
  const isParam = (s) => s.startsWith("{");
  const last = segs.at(-1);
  if (last === "metadata" || segs.at(-2) === "metadata") {
    const owner = "/" + segs.slice(0, segs.indexOf("metadata")).join("/");
    const kind = { POST: "MetaReplace", PATCH: "MetaMerge", DELETE: last === "metadata" ? "MetaClear" : "MetaDeleteKey" }[o.method];
    return { kind, at: owner };
  }
  if (o.root) {
    for (let n = segs.length; n > 0; n--) {
      if (!isParam(segs[n - 1])) continue;
      const prefix = "/" + segs.slice(0, n).join("/");
      const collection = "/" + segs.slice(0, n - 1).join("/");
      const sameRoot = all.some((x) => x.path === prefix && x.root === o.root && x.shape === "Object");
      // An item: read at its own path, or listed at its collection's (a privilege of a
      // feature is neither, so removing one acts on the feature).
      const isItem =
        all.some((x) => x.path === prefix && x.method === "GET") ||
        all.some((x) => x.path === collection && x.method === "GET" && (x.shape === "Page" || x.shape === "List"));
      if (!sameRoot || !isItem) continue;
      if (n < segs.length) return { kind: "Action", at: prefix };
      const kind = { GET: "Find", PUT: "Update", PATCH: "Update", DELETE: "Delete" }[o.method] ?? "Action";
      return { kind, at: prefix };
    }
  }
  const listed = all.some((x) => x.path === o.path && x.method === "GET" && (x.shape === "Page" || x.shape === "List"));
  const itemAt = all.some((x) => x.path.startsWith(`${o.path}/{`) && x.path.split("/").length === segs.length + 2);
  if (!isParam(last) && (listed || itemAt)) {
    const kind = { GET: "List", POST: "Create", DELETE: "Clear" }[o.method];
    if (kind && (kind !== "Create" || o.shape === "Object")) return { kind, at: o.path };
  }
  return { kind: "Static", at: o.path };
}

/** `raw` as a Rust raw string literal. */
const rawString = (raw) => {
  let hashes = "#";
  while (raw.includes(`"${hashes}`)) hashes += "#";
  return `r${hashes}"${raw}"${hashes}`;
};

/** The file's text (the caller formats it with rustfmt). */
export function emitFakeRoutes(doc) {
  const deref = makeDeref(doc);
  const version = doc.info?.version ?? "(unknown version)";
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op?.operationId) continue;
      const id = op.operationId;
      const answer = answerOf(deref, id, op);
      ops.push({
        id,
        method: method.toUpperCase(),
        path,
        ...answer,
        body: bodyRoot(deref, op),
        skeleton: answer.item ? skeleton(deref, answer.item) : null,
        fields: answer.item ? scalarFields(deref, answer.item, doc) : "",
      });
    }
  }
  const rows = ops.map((o) => {
    const { kind, at } = kindOf(o, ops);
    return [
      "    SpecOp {",
      `        id: "${o.id}",`,
      `        method: "${o.method}",`,
      `        path: "${o.path}",`,
      `        kind: Kind::${kind},`,
      `        at: "${at}",`,
      `        root: "${o.root}",`,
      `        shape: Shape::${o.shape},`,
      `        body: "${o.body}",`,
      `        fields: "${o.fields}",`,
      `        skeleton: ${rawString(JSON.stringify(o.skeleton))},`,
      "    },",
    ].join("\n");
  });
  return `//! Generated by tools/gen-from-spec.mjs (tools/gen-fake-routes.mjs) from Lago's OpenAPI spec ${version}; do not edit.
//! One row per operation, read by \`generic.rs\`.

/// What an operation does to the generic store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Adds an item to the collection at \`at\`.
    Create,
    /// Pages (or lists) the collection at \`at\`.
    List,
    /// Empties the collection at \`at\`.
    Clear,
    /// Reads, changes or removes the item at \`at\` (its own path).
    Find,
    Update,
    Delete,
    /// Answers the item at \`at\` (a shorter path), after the operation's effect.
    Action,
    /// The metadata of the item at \`at\`.
    MetaReplace,
    MetaMerge,
    MetaClear,
    MetaDeleteKey,
    /// Stores nothing: answers the skeleton.
    Static,
}

/// How the answer carries its object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// \`{root: object}\`.
    Object,
    /// \`{root: [items], meta}\`.
    Page,
    /// \`{root: [items]}\`.
    List,
    /// \`text/plain\`.
    Text,
    /// No body.
    Empty,
}

/// One operation of the spec.
#[derive(Debug)]
pub struct SpecOp {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub kind: Kind,
    /// The path template \`kind\` applies to.
    pub at: &'static str,
    pub root: &'static str,
    pub shape: Shape,
    /// The request body's root key, or "".
    pub body: &'static str,
    /// Scalar fields a body may copy into the object: \`name:kinds\` (see gen-fake-routes.mjs).
    pub fields: &'static str,
    /// The answer's object (or list item) with every required field, as JSON.
    pub skeleton: &'static str,
}

/// Every operation, in spec order (${ops.length}).
pub const SPEC_OPS: &[SpecOp] = &[
${rows.join("\n")}
];
`;
}
