// The hand-written types (options, per-call options, LagoError, disposal) under the strictest
// settings users turn on: exactOptionalPropertyTypes and noUncheckedIndexedAccess. Compiled
// (never run) by tests/node/types.test.mjs.
import { CustomersApi, LagoError, verifyWebhook } from "lago-wasm";
import type { CustomersApiOptions, LagoErrorInit, RequestOptions } from "lago-wasm";

// What `process.env` gives under @types/node: possibly undefined (declared here so that this
// file needs no @types/node).
declare const env: { [name: string]: string | undefined };
declare const maybeNumber: number | undefined;
declare const maybeSignal: AbortSignal | undefined;

// The README's first lines: `apiKey: process.env.LAGO_API_KEY` (TS2375 before `| undefined`).
const lago = new CustomersApi({ apiKey: env["LAGO_API_KEY"], baseUrl: env["LAGO_URL"] });
const options: CustomersApiOptions = {
  apiKey: env["LAGO_API_KEY"],
  timeoutMs: maybeNumber,
  maxRetries: maybeNumber,
  headers: undefined,
  fetch: undefined,
  sleep: undefined,
  warnOnBrowserKey: env["CI"] === undefined,
};
new CustomersApi(options);
new CustomersApi({ apiKey: "sk", warnOnBrowserKey: false }); // silences the browser-key warning

export async function perCall(): Promise<string | undefined> {
  const call: RequestOptions = { signal: maybeSignal, timeoutMs: maybeNumber, maxRetries: undefined, headers: undefined };
  const found = await lago.findCustomer("acme", call);
  const page = await lago.findAllCustomers(undefined, { signal: maybeSignal });
  // noUncheckedIndexedAccess: an element of a result array may be missing.
  const first = page.customers[0];
  // @ts-expect-error under noUncheckedIndexedAccess, `first` may be undefined
  void first.external_id;
  return first?.external_id ?? found.customer.external_id;
}

// A client scoped to a block needs no `using`: it holds no wasm memory of its own (the wasm
// Core is freed by a FinalizationRegistry), so a plain `const` is the whole pattern.
export async function scopedClient(): Promise<void> {
  const scoped = new CustomersApi({ apiKey: "sk" });
  await scoped.findCustomer("acme");
}

// Building a LagoError in a test, e.g. for a mocked client's rejection.
const init: LagoErrorInit = { kind: "http", status: 404, code: "customer_not_found", method: "GET", path: "/customers/x", attempts: 1 };
export const notFound = new LagoError("Lago 404 customer_not_found on GET /customers/x", init);
export const conflict = new LagoError("Lago 422 on PATCH /x", { kind: "http", status: 422, method: "PATCH" });
export const replaced = new LagoError("Lago 404 on PUT /x", { kind: "http", status: 404, method: "PUT" });
export const timedOut = new LagoError("timed out", { kind: "timeout", retryable: true, status: maybeNumber, cause: new Error("slow") });
const kind: "http" | "network" | "timeout" | "aborted" | "decode" | "invalid_input" = notFound.kind;
const status: number | undefined = notFound.status;
void [kind, status];
// @ts-expect-error a LagoError needs its kind
new LagoError("no kind", {});
// @ts-expect-error not a kind
new LagoError("bad kind", { kind: "server" });
// @ts-expect-error no per-call option is called `retries`
lago.findCustomer("acme", { retries: 1 });

// verifyWebhook's keys straight from the environment (each maybe undefined).
export async function webhookFromEnv(headers: Headers, rawBody: string): Promise<boolean> {
  const { valid } = await verifyWebhook({ headers, rawBody, publicKey: env["LAGO_WEBHOOK_PUBLIC_KEY"], hmacKey: env["LAGO_HMAC_KEY"], issuer: env["LAGO_API_URL"] });
  return valid;
}
