// LagoEventQueue (API.md "Usage events") over real HTTP against the fake Lago server, whose
// `/events/batch` behaves as lago-api's (REALITY.md section 7): batching and order, a 422 with
// a duplicate and a bad event, a lost answer, a 429 storm with Lago Cloud's rate-limit headers,
// overflow, close(), the timer; and, in headless Chromium, a page that queues events and
// navigates away. Counted on the server (its request log), never by timing.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { CustomersApi, EventsApi, LagoError, LagoEventQueue } from "../../pkg/node.mjs";
import { API_KEY, startFakeLago } from "./servers.mjs";
import { launchChromium, servePkg } from "./helpers.mjs";

let fake;
let limited;
before(async () => {
  [fake, limited] = await Promise.all([startFakeLago(), startFakeLago(["--rate-limit=5,10"])]);
});
after(() => Promise.all([fake?.stop(), limited?.stop()]));

let seq = 0;
const uid = (prefix) => `${prefix}_${process.pid}_${++seq}`;
const SUB = "sub_acme_corp_1";
const event = (transaction_id, extra = {}) => ({ transaction_id, external_subscription_id: SUB, code: "api_calls", properties: { calls: 10 }, ...extra });

/** The batches the server received carrying header `x-test-id: tag`: [{ status, ids }]. */
async function batches(server, tag) {
  const log = await (await fetch(`${server.url}/admin/requests`)).json();
  return log
    .filter((r) => r.path.endsWith("/api/v1/events/batch") && r.headers["x-test-id"] === tag)
    .map((r) => ({ status: r.status, ids: JSON.parse(r.body).events.map((e) => e.transaction_id) }));
}

function queue(options = {}, server = fake) {
  const tag = uid("q");
  const errors = [];
  const q = new LagoEventQueue({
    apiKey: API_KEY,
    baseUrl: `${server.url}/api/v1`,
    flushIntervalMs: 0,
    onError: (err, events) => errors.push({ err, events }),
    ...options,
    headers: { "x-test-id": tag, ...options.headers },
  });
  return { q, tag, errors };
}

async function apiCallsUnits() {
  const customers = new CustomersApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1` });
  const usage = await customers.findCustomerCurrentUsage("acme_corp", SUB);
  return Number(usage.customer_usage.charges_usage.find((c) => c.billable_metric.code === "api_calls").units);
}

describe("LagoEventQueue against fake-lago", () => {
  test("batches of up to batchSize, in enqueue order, one request at a time; events move current usage", async () => {
    const before = await apiCallsUnits();
    const { q, tag } = queue({ batchSize: 100 });
    const ids = [];
    for (let i = 0; i < 250; i++) ids.push(q.enqueue(event(uid("order"))));
    assert.equal(q.size, 250);
    const report = await q.flush();
    assert.deepEqual(report, { delivered: 250, duplicates: 0, failed: 0 });
    assert.equal(q.size, 0);
    const sent = await batches(fake, tag);
    assert.deepEqual(sent.map((b) => [b.status, b.ids.length]), [[200, 100], [200, 100], [200, 50]]);
    assert.deepEqual(sent.flatMap((b) => b.ids), ids, "in enqueue order");
    assert.equal(await apiCallsUnits(), before + 2500);
  });

  test("ids and timestamps are fixed at enqueue: a given id is kept, a missing one is a UUID", async () => {
    const { q, tag } = queue();
    const given = q.enqueue(event("given_id_" + uid("x")));
    const made = q.enqueue({ external_subscription_id: SUB, code: "seats" });
    assert.match(given, /^given_id_/);
    assert.match(made, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await q.flush();
    const log = await (await fetch(`${fake.url}/admin/requests`)).json();
    const body = JSON.parse(log.find((r) => r.headers["x-test-id"] === tag).body);
    assert.deepEqual(body.events.map((e) => e.transaction_id), [given, made]);
    for (const e of body.events) assert.match(String(e.timestamp), /^\d{10}\.\d{3}$/, "Unix seconds, fixed when queued");
  });

  test("a 422 naming a duplicate and a bad event: the duplicate counts as delivered, the bad one goes to onError, the rest is resent at once", async () => {
    const dup = uid("dup");
    await new EventsApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1` }).createEvent({ event: event(dup) });
    const { q, tag, errors } = queue();
    const good = [uid("g"), uid("g"), uid("g")];
    q.enqueue(event(good[0]));
    q.enqueue(event(dup));
    q.enqueue(event(good[1], { code: "" })); // Lago refuses an empty code: value_is_mandatory
    q.enqueue(event(good[2]));
    const report = await q.flush();
    assert.deepEqual(report, { delivered: 2, duplicates: 1, failed: 1 });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].err.status, 422);
    assert.deepEqual(errors[0].events.map((e) => e.transaction_id), [good[1]]);
    const sent = await batches(fake, tag);
    assert.deepEqual(sent.map((b) => b.status), [422, 200]);
    assert.deepEqual(sent[1].ids, [good[0], good[2]]);
  });

  test("a lost answer: the resent batch's duplicates count as delivered, nothing twice", async () => {
    const fault = uid("lost");
    const { q, tag, errors } = queue({ headers: { "x-fake-fault": `drop;commit;times=1;id=${fault}` }, sleep: async () => {} });
    for (let i = 0; i < 5; i++) q.enqueue(event(uid("lost")));
    const report = await q.flush();
    assert.deepEqual(report, { delivered: 0, duplicates: 5, failed: 0 });
    assert.deepEqual(errors, []);
    const sent = await batches(fake, tag);
    assert.deepEqual(sent.map((b) => b.status), [null, 422], "the answer cut, then the resend refused as duplicates");
  });

  test("a 429 storm: the rate-limit waits are honoured and every event lands once", async () => {
    const waits = [];
    const { q, tag } = queue({ batchSize: 1, maxRetries: 10, sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, ms))) }, limited);
    for (let i = 0; i < 12; i++) q.enqueue(event(uid("storm")));
    const report = await q.flush();
    assert.deepEqual(report, { delivered: 12, duplicates: 0, failed: 0 });
    const sent = await batches(limited, tag);
    assert.ok(sent.some((b) => b.status === 429), "the limiter refused some");
    assert.equal(sent.filter((b) => b.status === 200).length, 12);
    assert.ok(waits.length > 0 && waits.every((ms) => ms >= 1000), `waited for the window's reset: ${waits}`);
  });

  test("bounded: past maxQueued enqueue throws queue_full and nothing is dropped", async () => {
    const { q } = queue({ maxQueued: 3 });
    for (let i = 0; i < 3; i++) q.enqueue(event(uid("full")));
    assert.throws(() => q.enqueue(event(uid("full"))), (e) => e instanceof LagoError && e.code === "queue_full");
    assert.equal(q.size, 3);
    assert.deepEqual(await q.flush(), { delivered: 3, duplicates: 0, failed: 0 });
  });

  test("a bad event throws invalid_input at once; bad options throw at construction", () => {
    const { q } = queue();
    for (const bad of [{ external_subscription_id: SUB }, { ...event("x"), code: 5 }, { ...event("x"), properties: { a: [1] } }, "event", null]) {
      assert.throws(() => q.enqueue(bad), (e) => e instanceof LagoError && e.kind === "invalid_input", JSON.stringify(bad));
    }
    assert.equal(q.size, 0);
    for (const options of [{ batchSize: 0 }, { batchSize: 101 }, { flushIntervalMs: -1 }, { maxQueued: 0 }, { onError: 1 }, { timeoutMs: -5 }]) {
      assert.throws(() => new LagoEventQueue(options), (e) => e instanceof LagoError && e.kind === "invalid_input", JSON.stringify(options));
    }
  });

  test("close() flushes and stops; a later enqueue throws queue_closed", async () => {
    const { q, tag } = queue({ flushIntervalMs: 60_000 });
    q.enqueue(event(uid("close")));
    assert.deepEqual(await q.close(), { delivered: 1, duplicates: 0, failed: 0 });
    assert.equal((await batches(fake, tag)).length, 1);
    assert.throws(() => q.enqueue(event(uid("close"))), (e) => e instanceof LagoError && e.code === "queue_closed");
  });

  test("the timer sends what waits without a flush()", async () => {
    const { q, tag } = queue({ flushIntervalMs: 30 });
    q.enqueue(event(uid("timer")));
    q.enqueue(event(uid("timer")));
    while ((await batches(fake, tag)).length === 0) await new Promise((r) => setTimeout(r, 10));
    const sent = await batches(fake, tag);
    assert.deepEqual(sent.map((b) => b.ids.length), [2]);
    while (q.size > 0) await new Promise((r) => setTimeout(r, 10));
  });

  test("a batch given up after maxRetries goes to onError with its events", async () => {
    const { q, errors } = queue({ headers: { "x-fake-fault": "status=503" }, maxRetries: 1, sleep: async () => {} });
    const ids = [q.enqueue(event(uid("503"))), q.enqueue(event(uid("503")))];
    assert.deepEqual(await q.flush(), { delivered: 0, duplicates: 0, failed: 2 });
    assert.equal(errors[0].err.status, 503);
    assert.equal(errors[0].err.attempts, 2);
    assert.deepEqual(errors[0].events.map((e) => e.transaction_id), ids);
  });
});

// The browser entry loads the queue's sends (event-batches.js) with import() when a queue is
// made; a bundle or server that lost that file must not lose the events silently.
test("when event-batches.js cannot load: enqueue still answers, flush() rejects with a LagoError, the events wait", async () => {
  const { eventQueueClass } = await import("../../pkg/event-queue.js");
  const missing = new LagoError("lago-wasm could not load event-batches.js: TypeError: Failed to fetch dynamically imported module", { kind: "network" });
  const Queue = eventQueueClass(EventsApi, () => undefined, () => Promise.reject(missing));
  const logged = [];
  const consoleError = console.error;
  console.error = (m) => logged.push(m);
  try {
    const q = new Queue({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, flushIntervalMs: 0 });
    const id = q.enqueue(event(uid("lost_module")));
    assert.match(id, /^lost_module_/);
    const err = await q.flush().then(() => null, (e) => e);
    assert.equal(err, missing, "flush() rejects with load's LagoError");
    assert.equal(q.size, 1, "nothing dropped");
    assert.equal(logged.length, 1, "said once on the console, for a queue that only has its timer");
    assert.match(logged[0], /^LagoEventQueue cannot send: lago-wasm could not load event-batches\.js/);
  } finally {
    console.error = consoleError;
  }
});

describe("LagoEventQueue in a page that goes away (headless Chromium)", () => {
  let browser;
  let site;
  before(async () => {
    // Queues `n` events in bursts of 10 every 100 ms (a busy page: 100 events a second), then
    // says so in its title. (Faster than a request per round trip can carry, what waits grows
    // past what an exit can carry: README, "Usage events".)
    site = await servePkg(`<!doctype html><title>events</title><script type="module">
      import { LagoEventQueue } from "/pkg/index.js";
      const params = new URL(location.href).searchParams;
      const tag = params.get("tag");
      const queue = new LagoEventQueue({ baseUrl: params.get("lago"), headers: { "x-test-id": tag }, flushIntervalMs: 60000 });
      const note = "x".repeat(Number(params.get("pad")));
      for (let i = 0; i < Number(params.get("n")); i++) {
        if (i > 0 && i % 10 === 0) await new Promise((r) => setTimeout(r, 100));
        queue.enqueue({ transaction_id: tag + "_" + i, external_subscription_id: "sub_acme_corp_1", code: "api_calls", properties: { calls: "1", note } });
      }
      document.title = "queued " + params.get("n");
    </script>`);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const [n, pad] of [[30, 10], [300, 400]]) {
    test(`${n} events of about ${pad + 150} bytes queued for a minute, then the page navigates away: all delivered`, async () => {
      const page = await browser.newPage();
      const tag = uid("exit");
      const url = `${site.origin}/?lago=${encodeURIComponent(`${fake.url}/proxy/api/v1`)}&tag=${tag}&n=${n}&pad=${pad}`;
      await page.goto(url);
      await page.waitForFunction((want) => document.title === want, `queued ${n}`, { timeout: 20_000 });
      await page.goto("about:blank");
      let sent = [];
      for (let i = 0; i < 200 && sent.flatMap((b) => b.ids).length < n; i++) {
        await new Promise((r) => setTimeout(r, 25));
        sent = await batches(fake, tag);
      }
      await page.close();
      const ids = sent.filter((b) => b.status === 200).flatMap((b) => b.ids);
      const shape = sent.map((b) => `${b.status}:${b.ids.length}@${b.ids[0]?.split("_").pop()}`).join(" ");
      assert.equal(new Set(ids).size, n, `every event delivered once (${sent.length} requests: ${shape})`);
      const log = await (await fetch(`${fake.url}/admin/requests`)).json();
      const bodies = log.filter((r) => r.headers["x-test-id"] === tag).map((r) => Buffer.byteLength(r.body));
      assert.ok(bodies.every((b) => b < 64 * 1024), `each request under 64 KiB: ${bodies}`);
      console.log(`pagehide: ${n} events in ${bodies.length} requests of ${bodies.join(", ")} bytes`);
    });
  }
});
