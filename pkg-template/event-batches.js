// What LagoEventQueue does once events wait (API.md "Usage events", REALITY.md section 7): the
// batches through `createBatchEvents`, the timer, flush(), a 422's verdicts per event, the
// page's exit. Loaded on first use: the browser entry imports it with `import()` when a queue is
// made (event-queue.js, the part every app ships, keeps the synchronous constructor and
// enqueue), so an app that never queues an event never downloads it. It imports nothing:
// whatever it needs of the entry comes in `q`.
//
// `q`, shared with event-queue.js: `api` (the queue's EventsApi), `batchSize`, `intervalMs`,
// `onError`, `most()` (the bytes a request may carry here), `waiting` (the entries
// `{ event, bytes, seq, sending, keepalive, done }` in enqueue order, until delivered or given
// up; the last three are undefined, false, until set here), `seq` (the next entry's), `exiting` (the page is going away: sends carry `keepalive`).

// Browsers carry at most 64 KiB of `keepalive` bodies in flight per page, and a page's exit
// cancels its other requests. So in a page (where `q.most()` is 16 KiB) what waits unsent is
// sent early once it reaches EARLY_BYTES: at exit, the request in flight (resent: the ids
// dedupe) and what waits fit in one page's quota.
const EARLY_BYTES = 24 * 1024;
const ENVELOPE = '{"events":[]}'.length;

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

/** Takes over queue `q`: what already waits in it, and each entry `added` later. */
export function batches(q) {
  return new Batches(q);
}

class Batches {
  #q;
  #unsent = 0; // of q.waiting, how many wait unsent, and their bytes
  #unsentBytes = 0;
  #sending = 0; // requests in flight (more than one only when a page exits)
  #timer = null;
  #again = false; // a refused batch's rest goes again at once
  #flushes = [];
  #report = { delivered: 0, duplicates: 0, failed: 0 };
  #unlisten = null;

  constructor(q) {
    this.#q = q;
    if (!q.closed) this.#listen();
    // What was enqueued while this module loaded.
    for (const w of q.waiting) {
      this.#unsent++;
      this.#unsentBytes += w.bytes;
    }
    this.#next();
  }

  /** An entry event-queue.js has just pushed to `q.waiting`. */
  added(w) {
    this.#unsent++;
    this.#unsentBytes += w.bytes;
    this.#next();
  }

  /** Resolves once every entry before seq `target` is delivered or given up. */
  flush(target) {
    return new Promise((resolve) => {
      this.#flushes.push({ target, resolve });
      this.#resolveFlushes();
      this.#pump();
    });
  }

  /** Flushes up to `target`, stops the timer and the page listeners. */
  close(target) {
    this.#unlisten?.();
    this.#unlisten = null;
    return this.flush(target).then((report) => {
      clearTimeout(this.#timer);
      this.#timer = null;
      return report;
    });
  }

  // What comes next: a send now (a full batch, a page's worth of bytes, or a flush waiting),
  // or a timer.
  #next() {
    if (this.#unsent === 0) return;
    if (this.#again || this.#unsent >= this.#q.batchSize || this.#unsentBytes >= EARLY_BYTES || this.#flushes.length > 0) {
      this.#again = false;
      this.#pump();
    } else if (this.#timer === null && this.#q.intervalMs > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#pump();
      }, this.#q.intervalMs);
    }
  }

  // The next batch: the first unsent events (of `from`), up to batchSize and the request
  // byte bound.
  #take(from = this.#q.waiting) {
    const batch = [];
    const most = this.#q.most();
    let bytes = ENVELOPE;
    for (const w of from) {
      if (w.sending) continue;
      if (batch.length === this.#q.batchSize || bytes + w.bytes + 1 > most) break;
      batch.push(w);
      bytes += w.bytes + 1;
    }
    for (const w of batch) {
      w.sending = true;
      w.keepalive = this.#q.exiting;
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
    this.#q.api
      .createBatchEvents({ events: batch.map((w) => w.event) })
      .then(
        () => this.#settle(batch, "delivered"),
        (err) => this.#refused(batch, err),
      )
      .finally(() => {
        this.#sending--;
        this.#resolveFlushes();
        if (!this.#q.exiting) this.#next();
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
    if (this.#q.onError) {
      try {
        this.#q.onError(err, events);
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
    this.#q.waiting = this.#q.waiting.filter((w) => !done.has(w));
    this.#report[outcome] += done.size;
  }

  // A flush resolves once no event enqueued before it waits; it reports what settled since
  // the previous flush resolved.
  #resolveFlushes() {
    const waiting = this.#q.waiting;
    const oldest = waiting.length > 0 ? waiting[0].seq : Infinity;
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
      this.#q.exiting = true;
      clearTimeout(this.#timer);
      this.#timer = null;
      // A page's exit cancels the request in flight: its batch goes again as it was (its ids
      // dedupe: all duplicates or all new, never a mix that Lago would refuse whole), then
      // what waits. Events already sent with keepalive are not sent again.
      const cancelled = this.#q.waiting.filter((w) => w.sending && !w.keepalive);
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
    this.#q.exiting = false;
    this.#next();
  }
}
