// What Node, Deno and Bun run with the package's default entry for them: every kind of call
// against the fake Lago server (URL and key in argv), printed as one JSON line.
import { CustomersApi, LagoError, verifyWebhook } from "lago-wasm";

const [url, key] = (globalThis.Deno?.args ?? process.argv.slice(2));
const lago = new CustomersApi({ apiKey: key, baseUrl: url });
const out = {};
const id = `runtime_${Math.random().toString(36).slice(2)}`;
out.created = (await lago.createCustomer({ customer: { external_id: id, name: "Runtime test", currency: "EUR" } })).customer.external_id === id;
out.found = (await lago.findCustomer("acme_corp")).customer.external_id;
out.listed = 0;
for await (const c of lago.listAllCustomers({ per_page: 10 })) if (c.external_id) out.listed++;
const missing = await lago.findCustomer("nobody").catch((e) => e);
out.error = { isLagoError: missing instanceof LagoError, isError: missing instanceof Error, kind: missing.kind,
  status: missing.status, code: missing.code };
const invalid = await lago.findCustomer("..").catch((e) => e);
out.invalid = { isLagoError: invalid instanceof LagoError, kind: invalid.kind };
out.deleted = (await lago.destroyCustomer(id)).customer.external_id === id;
// Webhooks the fake signed (its admin routes, beside the API), verified with this runtime's WebCrypto.
const origin = new URL(url).origin;
const keys = await (await fetch(`${origin}/admin/webhooks/keys`)).json();
const verify = { publicKey: keys.public_key, hmacKey: keys.hmac_key, issuer: keys.issuer };
out.webhooks = [];
for (const algorithm of ["jwt", "hmac"]) {
  const { headers, body } = await (await fetch(`${origin}/admin/webhooks/sign?algorithm=${algorithm}`, { method: "POST" })).json();
  out.webhooks.push((await verifyWebhook({ headers, rawBody: body, ...verify })).valid);
  out.webhooks.push((await verifyWebhook({ headers, rawBody: `${body} `, ...verify })).valid);
}
console.log(JSON.stringify(out));
