// LagoEventQueue: usage events batched through `createBatchEvents` (API.md "Usage events",
// REALITY.md section 7). Each entry makes the class from its own EventsApi (the same call
// path, checks, retries and rate-limit waits as every operation) and the wasm's event check.
// Events wait here as `{ event, bytes, seq, sending, keepalive, done }` entries, in enqueue order,
// until delivered or given up.
import { LagoError } from "./lago-error.js";

const MAX_BATCH = 100;
// Browsers carry at most 64 KiB of `keepalive` bodies in flight per page, and a page's exit
// cancels its other requests. So in a page a request carries at most PAGE_BYTES and what waits
// unsent is sent early once it reaches EARLY_BYTES: at exit, the request in flight (resent:
// the ids dedupe) and what waits fit in one page's quota. Elsewhere a request carries at most
// MAX_BYTES.
const MAX_BYTES = 60 * 1024;
const PAGE_BYTES = 16 * 1024;
const EARLY_BYTES = 24 * 1024;
const ENVELOPE = '{"events":[]}'.length;
const inPage = () => typeof globalThis.document === "object" && globalThis.document !== null;

let encoder = null;
const utf8Length = (text) => (encoder ??= new TextEncoder()).encode(text).length;

/** A v4 UUID: `crypto.randomUUID` where there is one (secure contexts), else from random bytes. */
function uuid() {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === "function") {
    try {
      return crypto.randomUUID();
    } catch {}
  }
  const b = new Uint8Array(16);
  if (typeof crypto?.getRandomValues === "function") crypto.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function optionError(field, problem) {
  return new LagoError(`Invalid option: ${field} ${problem} (new LagoEventQueue)`, { kind: "invalid_input", field });
}

function integerIn(value, fallback, field, min, max) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw optionError(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * What a refused batch says about each of its events: a Map from the index in the batch to that
 * event's errors (Lago's 422 `error_details` keyed by index, or the SDK's own `invalid_input`
 * naming `events.<index>.<field>`), or null when the refusal is not about single events.
 */
function errorsByIndex(err, length) {
  const byIndex = new Map();
  if (err?.kind === "invalid_input") {
    const m = /^events\.(\d+)(?:\.|$)/.exec(err.field ?? "");
    if (m && Number(m[1]) < length) byIndex.set(Number(m[1]), { invalid_input: [err.message] });
  } else if (err?.status === 422 && err.details && typeof err.details === "object") {
    for (const [key, value] of Object.entries(err.details)) {
      if (/^\d+$/.test(key) && Number(key) < length) byIndex.set(Number(key), value);
    }
  }
  return byIndex.size > 0 ? byIndex : null;
}

/** An event refused only as `transaction_id: ["value_already_exist"]` was delivered before. */
function isDuplicate(errors) {
  if (!errors || typeof errors !== "object") return false;
  const keys = Object.keys(errors);
  const ids = errors.transaction_id;
  return keys.length === 1 && Array.isArray(ids) && ids.length > 0 && ids.every((c) => c === "value_already_exist");
}

/** The `LagoEventQueue` class over an entry's `EventsApi` and the wasm's `__checkEvent`. */
export function eventQueueClass(EventsApi, checkEvent) {
  return class LagoEventQueue {
    #api;
    #batchSize;
    #intervalMs;
    #maxQueued;
    #onError;
    #waiting = [];
    #unsent = 0; // of #waiting, how many wait unsent, and their bytes
    #unsentBytes = 0;
    #seq = 0;
    #sending = 0; // requests in flight (more than one only when a page exits)
    #timer = null;
    #closed = false;
    #exiting = false;
    #again = false; // a refused batch's rest goes again at once
    #flushes = [];
    #report = { delivered: 0, duplicates: 0, failed: 0 };
    #unlisten = null;

    constructor(options) {
      const { batchSize, flushIntervalMs, maxQueued, onError, ...client } = options ?? {};
      this.#batchSize = integerIn(batchSize, MAX_BATCH, "batchSize", 1, MAX_BATCH);
      this.#maxQueued = integerIn(maxQueued, 10_000, "maxQueued", 1, 10_000_000);
      const interval = flushIntervalMs ?? 1000;
      if (typeof interval !== "number" || !(interval >= 0) || !Number.isFinite(interval)) {
        throw optionError("flushIntervalMs", "must be a non-negative number of ms (0 = send only on flush())");
      }
      this.#intervalMs = interval;
      if (onError !== undefined && typeof onError !== "function") throw optionError("onError", "must be a function");
      this.#onError = onError;
      // The caller's fetch (or the global one, looked up per call), with `keepalive` while the
      // page exits: so exit sends take the same call path as every other.
      const fetch = client.fetch;
      if (fetch !== undefined && typeof fetch !== "function") throw optionError("fetch", "must be a function");
      const send = (url, init) => {
        const f = fetch ?? globalThis.fetch;
        return f(url, this.#exiting ? { ...init, keepalive: true } : init);
      };
      this.#api = new EventsApi({ ...client, fetch: send });
      this.#listen();
    }

    /** Events waiting (those in flight included). */
    get size() {
      return this.#waiting.length;
    }

    /**
     * Checks `event` as `createEvent` would, fixes its `transaction_id` (given, or a new UUID)
     * and `timestamp` (given, or now, Unix seconds as Lago reads them), queues it and returns
     * its `transaction_id`. Throws a LagoError: `invalid_input` for a bad event, code
     * `queue_full` past `maxQueued`, code `queue_closed` after `close()`.
     */
    enqueue(event) {
      if (this.#closed) {
        throw new LagoError("LagoEventQueue: enqueue after close(); nothing was queued", { kind: "invalid_input", code: "queue_closed" });
      }
      if (this.#waiting.length >= this.#maxQueued) {
        throw new LagoError(`LagoEventQueue: ${this.#waiting.length} events wait (maxQueued); this one was not queued`, {
          kind: "invalid_input",
          code: "queue_full",
        });
      }
      const e = event !== null && typeof event === "object" && !Array.isArray(event) ? { ...event } : event;
      if (e !== event) {
        e.transaction_id ??= uuid();
        e.timestamp ??= (Date.now() / 1000).toFixed(3);
      }
      const refused = checkEvent({ event: e });
      if (refused) throw refused;
      const bytes = utf8Length(JSON.stringify(e));
      const most = (inPage() ? PAGE_BYTES : MAX_BYTES) - ENVELOPE;
      if (bytes > most) {
        throw new LagoError(`Invalid input: event is ${bytes} bytes of JSON, more than a request may carry (${most}); nothing was queued`, {
          kind: "invalid_input",
          field: "event",
        });
      }
      this.#waiting.push({ event: e, bytes, seq: this.#seq++, sending: false, keepalive: false, done: false });
      this.#unsent++;
      this.#unsentBytes += bytes;
      this.#next();
      return e.transaction_id;
    }

    /** Resolves once every event enqueued before the call is delivered or given up. */
    flush() {
      const target = this.#seq;
      return new Promise((resolve) => {
        this.#flushes.push({ target, resolve });
        this.#resolveFlushes();
        this.#pump();
      });
    }

    /** Flushes, stops the timer and the page listeners; a later `enqueue` throws. */
    close() {
      this.#closed = true;
      this.#unlisten?.();
      this.#unlisten = null;
      return this.flush().then((report) => {
        clearTimeout(this.#timer);
        this.#timer = null;
        return report;
      });
    }

    // What comes next: a send now (a full batch, a page's worth of bytes, or a flush waiting),
    // or a timer.
    #next() {
      if (this.#unsent === 0) return;
      if (this.#again || this.#unsent >= this.#batchSize || this.#unsentBytes >= EARLY_BYTES || this.#flushes.length > 0) {
        this.#again = false;
        this.#pump();
      } else if (this.#timer === null && this.#intervalMs > 0) {
        this.#timer = setTimeout(() => {
          this.#timer = null;
          this.#pump();
        }, this.#intervalMs);
      }
    }

    // The next batch: the first unsent events (of `from`), up to batchSize and the request
    // byte bound.
    #take(from = this.#waiting) {
      const batch = [];
      const most = inPage() ? PAGE_BYTES : MAX_BYTES;
      let bytes = ENVELOPE;
      for (const w of from) {
        if (w.sending) continue;
        if (batch.length === this.#batchSize || bytes + w.bytes + 1 > most) break;
        batch.push(w);
        bytes += w.bytes + 1;
      }
      for (const w of batch) {
        w.sending = true;
        w.keepalive = this.#exiting;
        this.#unsent--;
        this.#unsentBytes -= w.bytes;
      }
      return batch;
    }

    // Sends the next batch, unless one is in flight (one at a time, so events go out in order).
    #pump() {
      if (this.#sending > 0) return;
      clearTimeout(this.#timer);
      this.#timer = null;
      this.#send(this.#take());
    }

    #send(batch) {
      if (batch.length === 0) return;
      this.#sending++;
      this.#api.createBatchEvents({ events: batch.map((w) => w.event) }).then(
        () => this.#settle(batch, "delivered"),
        (err) => this.#refused(batch, err),
      ).finally(() => {
        this.#sending--;
        this.#resolveFlushes();
        if (!this.#exiting) this.#next();
      });
    }

    // A refused batch: a 422 that names events by index gives each its fate (a duplicate was
    // delivered before; anything else is refused for good) and the rest is sent again at once;
    // any other failure (after the client's retries) gives the whole batch up.
    #refused(batch, err) {
      const byIndex = errorsByIndex(err, batch.length);
      if (byIndex === null) return this.#giveUp(batch, err);
      const duplicates = [];
      const bad = [];
      for (const [i, errors] of byIndex) (isDuplicate(errors) ? duplicates : bad).push(batch[i]);
      this.#settle(duplicates, "duplicates");
      if (bad.length > 0) this.#giveUp(bad, err);
      this.#unsend(batch.filter((w) => !w.done));
      this.#again = true;
    }

    #giveUp(entries, err) {
      this.#settle(entries, "failed");
      const events = entries.map((w) => w.event);
      if (this.#onError) {
        try {
          this.#onError(err, events);
        } catch {}
      } else {
        console.error(`lago-wasm: LagoEventQueue gave up ${events.length} event(s): ${err?.message ?? err}`);
      }
    }

    // Entries to send again.
    #unsend(entries) {
      for (const w of entries) {
        w.sending = false;
        this.#unsent++;
        this.#unsentBytes += w.bytes;
      }
    }

    // Each entry settles once (a batch resent at a page's exit may be answered twice).
    #settle(entries, outcome) {
      const done = new Set(entries.filter((w) => !w.done));
      if (done.size === 0) return;
      for (const w of done) w.done = true;
      this.#waiting = this.#waiting.filter((w) => !done.has(w));
      this.#report[outcome] += done.size;
    }

    // A flush resolves once no event enqueued before it waits; it reports what settled since
    // the previous flush resolved.
    #resolveFlushes() {
      const oldest = this.#waiting.length > 0 ? this.#waiting[0].seq : Infinity;
      const ready = this.#flushes.filter((f) => f.target <= oldest);
      if (ready.length === 0) return;
      this.#flushes = this.#flushes.filter((f) => f.target > oldest);
      const report = this.#report;
      this.#report = { delivered: 0, duplicates: 0, failed: 0 };
      for (const f of ready) f.resolve(report);
    }

    // In a page: on `pagehide`, or `visibilitychange` to hidden, everything unsent goes out at
    // once with `keepalive` (which outlives the page), in requests under 64 KiB.
    #listen() {
      const doc = globalThis.document;
      if (typeof doc !== "object" || doc === null || typeof globalThis.addEventListener !== "function") return;
      const exit = () => {
        this.#exiting = true;
        clearTimeout(this.#timer);
        this.#timer = null;
        // A page's exit cancels the request in flight: its batch goes again as it was (its ids
        // dedupe: all duplicates or all new, never a mix that Lago would refuse whole), then
        // what waits. Events already sent with keepalive are not sent again.
        const cancelled = this.#waiting.filter((w) => w.sending && !w.keepalive);
        this.#unsend(cancelled);
        this.#send(this.#take(cancelled));
        for (let batch = this.#take(); batch.length > 0; batch = this.#take()) this.#send(batch);
      };
      const onVisibility = () => {
        if (doc.visibilityState === "hidden") exit();
        else this.#back();
      };
      const onShow = () => this.#back();
      globalThis.addEventListener("pagehide", exit);
      globalThis.addEventListener("pageshow", onShow);
      doc.addEventListener("visibilitychange", onVisibility);
      this.#unlisten = () => {
        globalThis.removeEventListener("pagehide", exit);
        globalThis.removeEventListener("pageshow", onShow);
        doc.removeEventListener("visibilitychange", onVisibility);
      };
    }

    // The page is back (visible again, or restored from the back/forward cache).
    #back() {
      this.#exiting = false;
      this.#next();
    }
  };
}
