// The package's types with no DOM lib and no @types/node (lib es2022 only, types []): a server
// project that declares its own globals, or a worker project with another lib. `fetch` and
// `AbortSignal` fall back to the structural types the SDK declares. Compiled by types.test.mjs.
import { CustomersApi, LagoError, verifyWebhook } from "lago-wasm";
import type { LagoFetch } from "lago-wasm";

// A fetch of the shape the SDK calls (here a stub; in a real project, the runtime's).
const fetchStub: LagoFetch = async (url, init) => ({
  status: 200,
  headers: { get: (name: string) => (name === "content-type" ? "application/json" : null) },
  text: async () => JSON.stringify({ customer: { external_id: url.endsWith("/acme") ? "acme" : init.method } }),
});

export async function withoutLibs(): Promise<string> {
  const lago = new CustomersApi({ apiKey: "sk", fetch: fetchStub, sleep: async () => {} });
  const { customer } = await lago.findCustomer("acme");
  const err = new LagoError("x", { kind: "network" });
  return `${customer.external_id} ${err.kind}`;
}

// verifyWebhook needs no DOM type either: headers as a plain object.
export async function webhookWithoutLibs(rawBody: string): Promise<string> {
  const out = await verifyWebhook({ headers: { "x-lago-signature-algorithm": "hmac" }, rawBody, hmacKey: "k" });
  return out.valid ? out.event.webhook_type : "refused";
}
