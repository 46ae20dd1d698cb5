// A route handler on the edge runtime, with the secret key from the environment.
import { CustomersApi, LagoError } from "lago-wasm";
import { scenario } from "../../scenario.js";

export const runtime = "edge";
export const dynamic = "force-dynamic";

export async function GET() {
  const lago = new CustomersApi({ apiKey: process.env.LAGO_KEY, baseUrl: `${process.env.LAGO_ORIGIN}/api/v1` });
  return Response.json({ runtime: process.env.NEXT_RUNTIME, ...(await scenario(lago, LagoError)) });
}
