// Every operation of Lago's spec called through the SDK's `new Lago(...)` facade, with the
// values of every-operation-args.mjs (the ones fake-every-operation.test.mjs sends with raw
// fetch) laid out as each method's positional arguments. The layout comes from the generator's
// own model (`built.ops[i].args`), so this file never restates a signature: path ids in path
// order, then the required query values, then the body, then `query?` (API.md "Every
// operation of the spec").
import { generate, loadSpec } from "../../tools/gen-from-spec.mjs";
import { SPEC } from "./servers.mjs";

let model;
/**
 * The spec's operations as the SDK places them: `[{ id, cls, prop, method, path, re, args,
 * paged, listAll, tags }]` (`prop`: the facade property of `cls`; `listAll`: the pager's name
 * when the operation takes `per_page`).
 */
export function sdkOperations() {
  model ??= generate(loadSpec(SPEC)).built.ops.map((o) => {
    const paged = o.params.some((p) => p.in === "query" && p.name === "per_page");
    return {
      id: o.id,
      cls: o.cls,
      prop: o.cls[0].toLowerCase() + o.cls.slice(1, -"Api".length),
      method: o.method,
      path: o.path,
      tags: o.tags,
      args: o.args,
      paged,
      listAll: paged ? `listAll${o.id.slice("findAll".length)}` : null,
      re: new RegExp(`^/api/v1${o.path.replace(/\{[^}]+\}/g, "[^/?]+")}$`),
    };
  });
  return model;
}

/** The operation a logged request was (`null` when none matches). */
export function operationOf(ops, { method, url }) {
  const path = new URL(url).pathname.replace(/^\/(?!api\/v1\/)/, "/api/v1/");
  // A literal segment beats a parameter (`/invoices/preview` is not `/invoices/{lago_id}`).
  const matches = ops.filter((o) => o.method === method && o.re.test(path));
  return matches.sort((a, b) => (a.path.match(/\{/g) ?? []).length - (b.path.match(/\{/g) ?? []).length)[0] ?? null;
}

/**
 * `{ path, query, body }` (spec names, wire query names) -> the method's positional arguments.
 * A value the method takes but the args do not give is `undefined` in its place, so the SDK
 * judges it; a query value no argument takes is an error here (it would be silently dropped).
 */
export function positional(op, { path = {}, query = {}, body } = {}) {
  const rest = { ...query };
  const out = [];
  for (const a of op.args) {
    if (a.kind === "path") {
      if (!(a.wire in path)) throw new Error(`${op.id}: no path value for ${a.wire}`);
      out.push(path[a.wire]);
    } else if (a.kind === "query") {
      out.push(rest[a.wire]);
      delete rest[a.wire];
    } else if (a.kind === "body") out.push(body);
    else if (a.kind === "filters") {
      out.push(Object.keys(rest).length ? rest : undefined);
      for (const k of Object.keys(rest)) delete rest[k];
    } else throw new Error(`${op.id}: unknown argument kind ${a.kind}`);
  }
  if (Object.keys(rest).length) throw new Error(`${op.id} takes no query ${Object.keys(rest).join(", ")}`);
  if (body !== undefined && !op.args.some((a) => a.kind === "body")) throw new Error(`${op.id} takes no body`);
  // Trailing undefineds say nothing; dropping them keeps the call as a user writes it.
  while (out.length && out.at(-1) === undefined) out.pop();
  return out;
}
