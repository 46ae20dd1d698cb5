// LagoEventQueue: usage events batched through `createBatchEvents` (API.md "Usage events",
// REALITY.md section 7). Each entry makes the class from its own EventsApi (the same call
// path, checks, retries and rate-limit waits as every operation) and the wasm's event check.
//
// This is the part every app that imports the package ships: what must answer synchronously
// (the constructor's option checks, `enqueue`'s checks and its `transaction_id`, `size`). The
// batches, the timer, flush() and the page's exit are event-batches.js, which the entry hands
// over as `load` (the browser entry with `import()`, so it is downloaded only when a queue is
// made, in parallel with the wasm the sends need anyway). Events enqueued before it arrives
// wait here, and it takes them over.
import { LagoError } from "./lago-error.js";

// The bytes of JSON a request may carry: in a page at most 16 KiB (browsers carry at most 64 KiB
// of `keepalive` bodies in flight per page, and at its exit the request in flight, resent, and
// what waits must fit: event-batches.js), elsewhere 60 KiB.
const most = () => (typeof globalThis.document === "object" && globalThis.document !== null ? 16 : 60) * 1024;
const ENVELOPE = '{"events":[]}'.length;

let encoder = null;
const utf8Length = (text) => (encoder ??= new TextEncoder()).encode(text).length;

/**
 * A v4 UUID from `crypto.getRandomValues`, which every runtime has in every context (where
 * `crypto.randomUUID` is missing from pages served over plain http); `crypto` is the entry's
 * (Node 18 has no global one).
 */
function uuid(crypto) {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  let i = 0;
  return "xxxx-xx-xx-xx-xxxxxx".replace(/x/g, () => (b[i++] + 256).toString(16).slice(1));
}

const optionError = (field, problem) =>
  new LagoError(`Invalid option: ${field} ${problem} (new LagoEventQueue)`, { kind: "invalid_input", field });

function integerIn(value, fallback, field, min, max) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw optionError(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * The `LagoEventQueue` class over an entry's `EventsApi`, the wasm's `__checkEvent`, `load`,
 * which resolves to event-batches.js's `batches` (or rejects with a LagoError), and `crypto`
 * (default: the global one).
 */
export function eventQueueClass(EventsApi, checkEvent, load, crypto) {
  return class LagoEventQueue {
    #q; // the state event-batches.js shares (see there)
    #batches = null; // once loaded
    #loaded;

    constructor(options) {
      const { batchSize, flushIntervalMs, maxQueued, onError, ...client } = options ?? {};
      const q = {
        batchSize: integerIn(batchSize, 100, "batchSize", 1, 100),
        maxQueued: integerIn(maxQueued, 10_000, "maxQueued", 1, 10_000_000),
        intervalMs: flushIntervalMs ?? 1000,
        onError,
        most,
        waiting: [],
        seq: 0,
        // closed, exiting: undefined, false, until set
      };
      if (!(Number.isFinite(q.intervalMs) && q.intervalMs >= 0)) {
        throw optionError("flushIntervalMs", "must be a non-negative number of ms (0 = send only on flush())");
      }
      if (onError !== undefined && typeof onError !== "function") throw optionError("onError", "must be a function");
      // The caller's fetch (or the global one, looked up per call), with `keepalive` while the
      // page exits: so exit sends take the same call path as every other.
      const fetch = client.fetch;
      if (fetch !== undefined && typeof fetch !== "function") throw optionError("fetch", "must be a function");
      q.api = new EventsApi({ ...client, fetch: (url, init) => (fetch ?? globalThis.fetch)(url, q.exiting ? { ...init, keepalive: true } : init) });
      this.#q = q;
      // `load` rejects with a LagoError when event-batches.js cannot load; a queue that sends
      // only on its timer has no flush() to reject, so it is said once on the console.
      this.#loaded = load().then((batches) => (this.#batches = batches(q)));
      this.#loaded.catch((err) => console.error(`LagoEventQueue cannot send: ${err.message}`));
    }

    /** Events waiting (those in flight included). */
    get size() {
      return this.#q.waiting.length;
    }

    /**
     * Checks `event` as `createEvent` would, fixes its `transaction_id` (given, or a new UUID)
     * and `timestamp` (given, or now, Unix seconds as Lago reads them), queues it and returns
     * its `transaction_id`. Throws a LagoError: `invalid_input` for a bad event, code
     * `queue_full` past `maxQueued`, code `queue_closed` after `close()`.
     */
    enqueue(event) {
      const q = this.#q;
      if (q.closed) {
        throw new LagoError("LagoEventQueue: enqueue after close(); nothing was queued", { kind: "invalid_input", code: "queue_closed" });
      }
      if (q.waiting.length >= q.maxQueued) {
        throw new LagoError(`LagoEventQueue: ${q.waiting.length} events wait (maxQueued); this one was not queued`, {
          kind: "invalid_input",
          code: "queue_full",
        });
      }
      const e = event !== null && typeof event === "object" && !Array.isArray(event) ? { ...event } : event;
      if (e !== event) {
        e.transaction_id ??= uuid(crypto ?? globalThis.crypto);
        e.timestamp ??= (Date.now() / 1000).toFixed(3);
      }
      const refused = checkEvent({ event: e });
      if (refused) throw refused;
      const bytes = utf8Length(JSON.stringify(e));
      const limit = most() - ENVELOPE;
      if (bytes > limit) {
        throw new LagoError(`Invalid input: event is ${bytes} bytes of JSON, more than a request may carry (${limit}); nothing was queued`, {
          kind: "invalid_input",
          field: "event",
        });
      }
      // `sending`, `keepalive` and `done` (event-batches.js) start false, as undefined.
      const entry = { event: e, bytes, seq: q.seq++ };
      q.waiting.push(entry);
      this.#batches?.added(entry);
      return e.transaction_id;
    }

    /** Resolves once every event enqueued before the call is delivered or given up. */
    flush() {
      const target = this.#q.seq;
      return this.#loaded.then((batches) => batches.flush(target));
    }

    /** Flushes, stops the timer and the page listeners; a later `enqueue` throws. */
    close() {
      this.#q.closed = true;
      const target = this.#q.seq;
      return this.#loaded.then((batches) => batches.close(target));
    }
  };
}
