// What every browser runtime runs (page, bundles, worker): the package's real default fetch
// against the test server's same-origin /api/v1 routes, and a LagoError through an injected
// fetch (a real 404 would put "Failed to load resource" on the console, which fails the tests).
export async function scenario(CustomersApi, LagoError, LagoEventQueue) {
  const out = { runtime: typeof document === "undefined" ? "worker" : "page" };
  // A browser app points baseUrl at its own backend and sends no API key.
  const api = new CustomersApi({ baseUrl: "/api/v1/" });
  // A pager ended before its first next(), made while the wasm may still be loading: once the
  // real pager exists it lets go of the caller's signal (listeners counted here) and fetches
  // nothing.
  const caller = new AbortController();
  let listening = 0;
  const { signal } = caller;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (type, f, o) => (type === "abort" && listening++, add(type, f, o));
  signal.removeEventListener = (type, f, o) => (type === "abort" && listening--, remove(type, f, o));
  out.endedEarly = await api.listAllCustomers(undefined, { signal }).return();
  const found = await api.findCustomer("acme.com");
  out.found = found.customer.external_id;
  out.plainObject = Object.getPrototypeOf(found) === Object.prototype;
  out.all = [];
  for await (const c of api.listAllCustomers({ per_page: 1, currencies: ["EUR"] })) out.all.push(c.external_id);

  const notFound = JSON.stringify({ status: 404, error: "Not Found", code: "customer_not_found" });
  const failing = new CustomersApi({
    baseUrl: "https://lago.test/api/v1",
    fetch: async () => new Response(notFound, { status: 404, headers: { "content-type": "application/json" } }),
  });
  try {
    await failing.findCustomer("nobody");
    out.error = "resolved";
  } catch (e) {
    out.error = { isLagoError: e instanceof LagoError, isError: e instanceof Error, name: e.name, kind: e.kind,
      status: e.status, code: e.code, message: e.message };
  }
  try {
    await api.findCustomer("..");
    out.invalid = "resolved";
  } catch (e) {
    out.invalid = { isLagoError: e instanceof LagoError, kind: e.kind };
  }
  out.listening = listening;

  // The event queue, whose batches (event-batches.js) the browser entry loads with import()
  // when a queue is made: that chunk must resolve in every bundler and runtime. Its one batch
  // goes to an injected fetch, which answers as Lago does.
  const batches = [];
  const queue = new LagoEventQueue({
    baseUrl: "https://lago.test/api/v1",
    flushIntervalMs: 0,
    fetch: async (url, init) => {
      const { events } = JSON.parse(init.body);
      batches.push({ url, ids: events.map((e) => e.transaction_id) });
      return new Response(JSON.stringify({ events }), { status: 200, headers: { "content-type": "application/json" } });
    },
  });
  const id = queue.enqueue({ external_subscription_id: "sub_1", code: "api_calls", properties: { calls: "1" } });
  out.queue = { report: await queue.close(), batches, sentTheId: batches[0]?.ids[0] === id, size: queue.size };
  return out;
}

/** Writes the outcome where the test reads it: #out's text, then data-done. */
export function report(promise) {
  const el = document.getElementById("out");
  promise.then(
    (out) => { el.textContent = JSON.stringify(out); },
    (e) => { el.textContent = JSON.stringify({ failed: String(e && e.stack || e) }); },
  ).finally(() => el.setAttribute("data-done", ""));
}
