// Usage events over loopback against the fake Lago server, in Node: how many events a second
// LagoEventQueue delivers (batches of 100 through createBatchEvents, one request at a time)
// against one createEvent call per event (16 in flight, as an app firing one per click would).
// Each side runs for about `ms` and counts events Lago answered 200 for.
import { EventsApi, LagoEventQueue } from "../pkg/node.mjs";

export async function benchEvents(baseUrl, apiKey, ms = 2000) {
  const run = `${process.pid}_${Date.now()}`;
  let n = 0;
  const event = () => ({ transaction_id: `bench_${run}_${n++}`, external_subscription_id: "sub_bench", code: "api_calls", properties: { calls: "1" } });

  const api = new EventsApi({ apiKey, baseUrl, maxRetries: 10 });
  let single = 0;
  const until = performance.now() + ms;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (performance.now() < until) {
      await api.createEvent({ event: event() });
      single++;
    }
  }));
  const singleS = (performance.now() - t0) / 1000;

  const queue = new LagoEventQueue({ apiKey, baseUrl, maxRetries: 10, flushIntervalMs: 0, maxQueued: 1_000_000 });
  let queued = 0;
  const t1 = performance.now();
  const stop = t1 + ms;
  while (performance.now() < stop) {
    for (let i = 0; i < 1000; i++) queue.enqueue(event());
    queued += 1000;
    await queue.flush();
  }
  const report = await queue.close();
  const queueS = (performance.now() - t1) / 1000;
  if (report.failed) throw new Error(`the queue gave up ${report.failed} events`);
  return { single: single / singleS, singleEvents: single, queue: queued / queueS, queueEvents: queued, seconds: { single: singleS, queue: queueS } };
}
