// The platform side of the JS face: its calls run here (the attempts, the shared deadline
// timer, aborts, the waits between attempts, the pagers), so a call costs wasm one call out and,
// unless the first answer is a good 2xx, one call back per attempt; the decisions (what to
// send, when to retry, how to map errors) stay in Rust. Nothing here throws or rejects at
// wasm: every outcome, however hostile the caller's fetch or signal, is a plain value.

const REPLY = 0;
const NETWORK = 1;
const TIMEOUT = 2;
const ABORTED = 3;
const ABORTED_IN_WAIT = 4; // the caller aborted while waiting to retry: no attempt made

export { aborted as isAborted };

function aborted(signal) {
  try {
    return signal != null && signal.aborted === true;
  } catch {
    return false;
  }
}

// An attempt's outcome: [failure, status, retryAfter, rateLimit, text, message, cause], the
// arguments `calls.step` takes after the call's number (failure 0 is a reply). A failure has no
// reply: its holes read as undefined, which the wasm takes as absent, as it does null.
function failed(failure, message, cause) {
  return [failure, 0, , , , message, cause];
}

// The error's message followed by its causes' (Node's fetch says only "fetch failed" and puts
// the reason, e.g. `connect ECONNREFUSED 127.0.0.1:9`, in `cause`), each once, at most 4 deep.
function message(e) {
  const parts = [];
  try {
    for (let depth = 0; e != null && depth < 4; depth++, e = e.cause) {
      let text = typeof e === "object" && typeof e.message === "string" ? e.message : String(e);
      if (typeof e === "object" && typeof e.code === "string" && !text.includes(e.code)) text = `${e.code} ${text}`.trim();
      if (text && !parts.includes(text)) parts.push(text);
      if (typeof e !== "object") break;
    }
  } catch {
    parts.push("unknown error");
  }
  const text = parts.join(": ") || "unknown error";
  return text.length > 300 ? text.slice(0, 300) + "…" : text;
}

// Reads of values that JS can make throw. Each returns THROWN instead of throwing, so no
// exception crosses into wasm (where wasm-bindgen's catch path held on to a slot per exception).
// (Only the wasm sees it, through isThrown: no description.)
export const THROWN = Symbol();

export function isThrown(v) {
  return v === THROWN;
}

export function get(target, key) {
  try {
    return target[key];
  } catch {
    return THROWN;
  }
}

export function isArray(v) {
  try {
    return Array.isArray(v);
  } catch {
    return THROWN;
  }
}

export function keys(v) {
  try {
    return Object.keys(v);
  } catch {
    return THROWN;
  }
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return THROWN;
  }
}

export function stringifyJson(v) {
  try {
    return JSON.stringify(v);
  } catch {
    return THROWN;
  }
}

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Parses a 2xx body and checks its top level against `shape` (see `Operation::shape` in
 * schema.rs): `o:key` an object under `key`, `n:key` an object or null, `l:key` an array,
 * `p:key` an array plus a `meta` object, alternatives joined by `|`; "" (no content) gives
 * `undefined` whatever was sent. Returns the body, or a number naming the problem (see
 * `decode_problem` in platform.rs).
 */
function parseBody(text, shape) {
  if (shape === "") return undefined;
  if (typeof text !== "string") return 1;
  if (shape === "t") return text; // a text/plain answer (fetchPublicKey)
  const body = parseJson(text);
  if (body === THROWN) return 2;
  if (!isObject(body)) return 3;
  let problem = 0;
  for (const alt of shape.split("|")) {
    const key = alt.slice(2);
    const kind = alt[0];
    const value = body[key];
    let p;
    if (kind === "o" || kind === "n") p = isObject(value) || (kind === "n" && value === null) ? 0 : 4;
    else p = !Array.isArray(value) ? 5 : kind === "p" && !isObject(body.meta) ? 6 : 0;
    if (p === 0) return body;
    problem ||= p;
  }
  return problem;
}

/** `text` with every occurrence of `key` (8 characters or more) replaced; non-strings as they are. */
function redact(text, key) {
  return typeof text === "string" && key.length >= 8 ? text.split(key).join("[redacted]") : text;
}

// Imported by the wasm as they are (neither needs a `this`).
// `JsValue::as_f64` and `as_bool` without their glue (see jsval.rs).
export const num = (v) => (typeof v === "number" ? v : NaN);
export const bool = (v) => (typeof v === "boolean" ? +v : 2);
export const now = Date.now;
export const random = Math.random;

/** `target[key] = value` on an object the wasm made (never a caller's). */
export function set(target, key, value) {
  target[key] = value;
}

/**
 * `globalThis.fetch`, looked up at call time (tests and polyfills may install it late); the wasm
 * takes it only if it is a function.
 */
export function globalFetch() {
  return globalThis.fetch;
}

function header(res, name) {
  try {
    const v = res.headers.get(name);
    return typeof v === "string" ? v : null;
  } catch {
    return null;
  }
}

// Lago Cloud's `X-RateLimit-Limit/-Remaining/-Reset` (reset: seconds until the window resets),
// as numbers (NaN where a header is missing or unreadable), or null when none was sent.
function rateLimitOf(res) {
  const values = ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"].map((n) => header(res, n));
  if (values.every((v) => v === null)) return null;
  return values.map((v) => (v === null || v.trim() === "" ? NaN : Number(v)));
}

/**
 * `e` with every occurrence of `key` (8 characters or more) gone from its message and its
 * causes' messages: the same error when the key is nowhere, else a copy (an Error with the same
 * name) whose texts read `[redacted]`. For the `cause` of a network `LagoError`.
 */
export function redactError(e, key) {
  try {
    if (typeof key !== "string" || key.length < 8 || e == null || typeof e !== "object") return e;
    const msg = typeof e.message === "string" ? e.message : "";
    const cause = e.cause === undefined ? undefined : redactError(e.cause, key);
    const stack = typeof e.stack === "string" ? e.stack : "";
    if (!msg.includes(key) && !stack.includes(key) && cause === e.cause) return e;
    const copy = new Error(redact(msg, key), cause === undefined ? undefined : { cause });
    copy.name = typeof e.name === "string" ? e.name : "Error";
    if (typeof e.code === "string") copy.code = redact(e.code, key);
    return copy;
  } catch {
    return undefined;
  }
}

// The LagoError class, registered through the wasm's __registerLagoError by whatever made the
// glue ready: every package entry (before its first `Core`), and the tests that drive a bare
// glue (the browser suites' tests/js_face_support, tests/node/faults and load). Only those call
// it, always with LagoError.prototype: no checks, and no error is made before it.
let LagoErrorClass;

export function registerLagoError(prototype) {
  LagoErrorClass = prototype.constructor;
}

/**
 * A LagoError from the fields of a Rust `Error` (lago_error.rs), in one constructor call. The
 * numbers are NaN where absent (so the glue hands every argument over as it is).
 */
export function lagoError(message, kind, status, code, error, field, body, bodyIsJson, method, path, attempts, retryable, mayHaveSucceeded, retryAfterMs, rateLimited, limit, remaining, resetMs, cause) {
  if (bodyIsJson) {
    const parsed = parseJson(body);
    if (parsed !== THROWN) body = parsed;
  }
  const some = (n) => (n === n ? n : undefined);
  const rateLimit = rateLimited ? { limit: some(limit), remaining: some(remaining), resetMs: some(resetMs) } : undefined;
  const details = body?.error_details;
  const f = { kind, status: some(status), code, error, field, details, body, method, path, attempts, retryable, mayHaveSucceeded, retryAfterMs: some(retryAfterMs), rateLimit, cause };
  for (const k in f) if (f[k] === undefined) delete f[k];
  return new LagoErrorClass(message, f);
}

// An API key in a browser page is readable by every visitor: say so once, on the console.
// jsdom and happy-dom (Vitest, Jest) give Node a `document`, but no visitor can read a key
// there and a warning in every test run would only be noise: both say so in their user agent.
let warned = false;

export function warnIfKeyInBrowser() {
  try {
    if (warned || typeof document !== "object" || document === null) return;
    if (/jsdom\/|HappyDOM/.test(globalThis.navigator?.userAgent)) return;
    warned = true;
    console.warn(
      "lago-wasm: every visitor can read an apiKey in a browser page, and Lago API keys are secret: " +
        "point baseUrl at your backend proxy and pass no apiKey (or pass warnOnBrowserKey: false).",
    );
  } catch {}
}

// The way back into calls parked in wasm (`Calls` in platform.rs), handed over once.
let calls = null;

export function setCalls(c) {
  calls = c;
}

/**
 * A whole call: its attempts, and the waits between them. A 2xx answer whose body has the
 * expected shape settles the call here, and `pending` (the number of the call parked in wasm)
 * is dropped. After any other outcome `calls.step` decides, in Rust (retries, backoff,
 * Retry-After, errors): it answers the ms to wait before the next attempt, or the LagoError to
 * reject with. Plain callbacks rather than async/await: this runs once per call, and every
 * promise it does not make is time the caller gets back.
 */
export function run(pending, fetch, url, method, headers, body, timeoutMs, signal, shape, custom) {
  return new Promise((resolve, reject) => {
    const settle = (outcome) => {
      try {
        let problem = 0;
        // A reply (failure 0) with a 2xx status: its text is the body.
        if (outcome[0] === REPLY && outcome[1] >= 200 && outcome[1] < 300) {
          const parsed = parseBody(outcome[4], shape);
          if (typeof parsed !== "number") {
            calls.drop(pending);
            return resolve(parsed);
          }
          problem = parsed;
        }
        const next = calls.step(pending, ...outcome, problem);
        if (typeof next !== "number") return reject(next);
        sleep(next, signal, custom).then(() => {
          if (aborted(signal)) settle(failed(ABORTED_IN_WAIT));
          else send(fetch, url, method, headers, body, timeoutMs, signal, settle);
        });
      } catch (e) {
        reject(e);
      }
    };
    send(fetch, url, method, headers, body, timeoutMs, signal, settle);
  });
}

// One timer for every attempt in flight, armed for the earliest deadline: an attempt adds its
// deadline to `deadlines` and deletes it when it settles, instead of setting and clearing a
// timer of its own (the dearest part of an attempt after fetch itself). When the tick comes,
// every attempt past its deadline is aborted, and the timer is armed again for the next one.
// Deadlines are read on a monotonic clock, so a wall-clock jump (NTP, a user changing the
// system time) can neither fire a timeout early nor hold it. Every runtime the package supports
// has a global `performance` (browsers, workers, Node 16+, Deno, Bun, workerd). (Wall-clock
// times, such as Retry-After's HTTP dates, are computed in Rust.)
const clock = () => performance.now();

const deadlines = new Set();
let timer = null;
let timerAt = Infinity;
let timerRef = true;

function tick() {
  timer = null;
  timerAt = Infinity;
  const now = clock();
  let next = Infinity;
  for (const d of deadlines) {
    if (d.at <= now) {
      deadlines.delete(d);
      d.stop();
    } else if (d.at < next) next = d.at;
  }
  if (next !== Infinity) arm(next);
}

function arm(at) {
  if (timer !== null) {
    if (!timerRef) {
      timer.ref();
      timerRef = true;
    }
    if (at >= timerAt) return;
    clearTimeout(timer);
  }
  timer = setTimeout(tick, Math.max(0, at - clock()));
  timerAt = at;
  timerRef = true;
}

// A browser page or worker has no process for a timer to keep alive (Deno, which may define
// `window`, does, and its test sanitizer reports a timer left behind).
const lingers =
  typeof Deno === "undefined" && (typeof window === "object" || typeof importScripts === "function");

// With nothing in flight the timer must not keep a process alive: where timers can be unref'd
// (Node, Bun) it stays armed but unref'd (the next attempt re-refs it, no new timer); in a
// browser it stays armed (firing once with nothing to do); elsewhere it is cleared, as a
// per-attempt timer was.
function disarm() {
  if (deadlines.size !== 0 || timer === null) return;
  // (Node's and Bun's timers have both `unref` and `ref`; elsewhere a timer is a number.)
  if (timer.unref) {
    timer.unref();
    timerRef = false;
  } else if (!lingers) {
    clearTimeout(timer);
    timer = null;
    timerAt = Infinity;
  }
}

// What aborts the fetch of an attempt without a caller's signal: only its deadline. So such
// attempts share one AbortController per deadline slot instead of making one each (in Node,
// `new AbortController()` alone costs about as much as the rest of a call). A slot opens with
// the deadline of its first attempt plus a slack of 1/64 of the timeout; an attempt joins it
// while its own deadline is not later than the slot's, so a timeout fires between 0 and 1/64
// (0.47 s of 30 s) late, never early. Every attempt in a slot has the same deadline, so the
// abort that times one out times out only those that are also due. At most SLOT_USES attempts
// share a slot: a fetch may keep an abort listener on the signal until it is collected, and
// Node warns past 1,500 listeners on one signal.
const SLOT_USES = 256;
let slot = null;

function sharedController(timeoutMs, now) {
  const due = now + timeoutMs;
  if (slot === null || slot.timeoutMs !== timeoutMs || due > slot.at || slot.uses >= SLOT_USES) {
    slot = { controller: new AbortController(), timeoutMs, at: due + Math.floor(timeoutMs / 64), uses: 0 };
  }
  slot.uses++;
  return slot;
}

// One attempt in flight: what aborts its fetch (`controller`, its own when the caller passed a
// signal, else its deadline slot's; null when nothing can abort it), its place among the
// `deadlines` (`at`, 0 = no timer) and how it settles. A class rather than closures per
// attempt: its methods are made once, not once per attempt.
class Flight {
  constructor(signal, resolve) {
    this.controller = null;
    this.signal = signal;
    this.resolve = resolve;
    this.at = 0;
    this.done = false;
    this.onAbort = null;
  }

  finish(outcome) {
    if (this.done) return;
    this.done = true;
    if (this.at !== 0) {
      deadlines.delete(this);
      disarm();
    }
    if (this.onAbort !== null) {
      try {
        this.signal.removeEventListener("abort", this.onAbort);
      } catch {}
    }
    this.resolve(outcome);
  }

  // Settles at once on abort, whether or not the caller's fetch honours its signal.
  stop() {
    this.controller?.abort();
    this.finish(failed(aborted(this.signal) ? ABORTED : TIMEOUT));
  }

  fail(e) {
    this.finish(aborted(this.signal) ? failed(ABORTED) : failed(NETWORK, message(e), e));
  }
}

function send(fetch, url, method, headers, body, timeoutMs, signal, resolve) {
  const flight = new Flight(signal, resolve);
  try {
    if (signal != null) {
      flight.controller = new AbortController();
      flight.onAbort = () => flight.stop();
      signal.addEventListener("abort", flight.onAbort);
    }
    if (timeoutMs > 0) {
      const now = clock();
      if (flight.controller === null) {
        const shared = sharedController(timeoutMs, now);
        flight.controller = shared.controller;
        flight.at = shared.at;
      } else {
        flight.at = now + timeoutMs;
      }
      deadlines.add(flight);
      arm(flight.at);
    }
    // A copy per attempt: a caller's fetch that edits init.headers cannot touch the next call.
    const init = { method, headers: { ...headers } };
    if (flight.controller !== null) init.signal = flight.controller.signal;
    if (body !== undefined) init.body = body;
    Promise.resolve(fetch(url, init))
      .then((res) => {
        const status = res.status;
        if (!Number.isInteger(status) || status < 100 || status > 599) {
          return flight.finish(failed(NETWORK, "fetch resolved to something that is not a Response"));
        }
        // Headers matter only when the call failed: a 2xx answer reads none.
        const ok = status >= 200 && status < 300;
        const retryAfter = ok ? null : header(res, "retry-after");
        const rateLimit = ok ? null : rateLimitOf(res);
        Promise.resolve(res.text()).then(
          (text) => flight.finish([REPLY, status, retryAfter, rateLimit, text, null, undefined]),
          (e) => flight.fail(e),
        );
      })
      .catch((e) => flight.fail(e));
  } catch (e) {
    flight.fail(e);
  }
}

/** Waits `ms` between attempts, or less when the caller aborts; `custom` replaces the timer. */
async function sleep(ms, signal, custom) {
  if (custom) {
    try {
      await custom(ms, signal);
    } catch {}
    return;
  }
  let wake;
  const done = new Promise((resolve) => (wake = resolve));
  const timer = setTimeout(wake, ms);
  try {
    signal?.addEventListener("abort", wake);
  } catch {}
  await done;
  clearTimeout(timer);
  try {
    signal?.removeEventListener("abort", wake);
  } catch {}
}

/**
 * The `listAll…` pagers: an async generator over the pages `source.fetch(page, signal)` gives
 * (a wasm `PageSource`: the checked request, sent through the shared call). Pages are fetched
 * lazily, one after another, following `meta.next_page` while it moves forward. `return()`
 * (`break` in `for await`) aborts the request in flight at once and ends the walk; the caller's
 * own signal aborts it too. `error`, when set, is what the first `next()` rejects with (input
 * refused before anything was sent).
 */
export function pages(source, key, first, signal, error) {
  const controller = new AbortController();
  const state = { stopped: false };
  const follow = () => controller.abort();
  try {
    if (aborted(signal)) controller.abort();
    else signal?.addEventListener("abort", follow);
  } catch {}
  // Lets go of the caller's signal and frees the wasm `PageSource`, once: from the walk's
  // `finally`, or from `return()`/`throw()` when the walk never started (a generator that was
  // never resumed completes without running its body, so its `finally` never runs).
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      signal?.removeEventListener("abort", follow);
    } catch {}
    source?.free();
  };
  const walk = walkPages(source, key, first, controller.signal, error, state, release);
  let started = false;
  const stop = () => {
    state.stopped = true;
    controller.abort();
    if (!started) release();
  };
  return {
    next: () => {
      started = true;
      return walk.next();
    },
    // Like a `for await` loop's own call: what `return()` is given is not handed back.
    return() {
      stop();
      return walk.return(undefined);
    },
    throw(e) {
      stop();
      return walk.throw(e);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function* walkPages(source, key, page, signal, error, state, release) {
  try {
    if (error) throw error;
    for (;;) {
      let body;
      try {
        body = await source.fetch(page, signal);
      } catch (e) {
        if (state.stopped) return; // return() was called while this page was in flight
        throw e;
      }
      yield* body[key];
      const next = body.meta.next_page;
      // A next page that does not move forward would loop for ever: stop there.
      if (!Number.isInteger(next) || next <= page) return;
      page = next;
    }
  } finally {
    release();
  }
}
