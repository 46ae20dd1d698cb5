// The README's webhook recipe on the Node runtime: verifyWebhook with the keys from the environment.
import { verifyWebhook } from "lago-wasm";

export const dynamic = "force-dynamic";

export async function POST(req) {
  const rawBody = await req.text();
  const { valid, algorithm, uniqueKey, event } = await verifyWebhook({
    headers: req.headers,
    rawBody,
    publicKey: process.env.LAGO_WEBHOOK_PUBLIC_KEY,
    hmacKey: process.env.LAGO_WEBHOOK_HMAC_KEY,
    issuer: process.env.LAGO_WEBHOOK_ISSUER,
  });
  if (!valid) return new Response("invalid signature", { status: 401 });
  return Response.json({ runtime: process.env.NEXT_RUNTIME, algorithm, uniqueKey, type: event.webhook_type });
}
