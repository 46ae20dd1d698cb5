// The app's own backend proxy to Lago: it adds the secret key, so the browser never sees it.
export const dynamic = "force-dynamic";

async function proxy(request) {
  const url = new URL(request.url);
  // The raw path as sent (ids stay percent-encoded: "acme%2Ecom" must not become "acme.com").
  const target = `${process.env.LAGO_ORIGIN}${url.pathname.slice("/lago".length)}${url.search}`;
  const headers = { authorization: `Bearer ${process.env.LAGO_KEY}` };
  const type = request.headers.get("content-type");
  if (type) headers["content-type"] = type;
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
  const answer = await fetch(target, { method: request.method, headers, body, cache: "no-store" });
  return new Response(await answer.text(), {
    status: answer.status,
    headers: { "content-type": answer.headers.get("content-type") ?? "application/json" },
  });
}

export { proxy as GET, proxy as POST, proxy as DELETE, proxy as PUT };
