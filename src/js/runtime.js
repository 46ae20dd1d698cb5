// The platform side of the transport: one fetch attempt and the wait between attempts.
// Written in JS so that an attempt costs wasm one call and one awaited promise, instead of a
// boundary crossing (and a string decode) for every property it reads; the decisions (what to
// send, when to retry, how to map errors) stay in Rust. Nothing here throws or rejects: every
// outcome, however hostile the caller's fetch or signal, is a plain object.

const REPLY = 0;
const NETWORK = 1;
const TIMEOUT = 2;
const ABORTED = 3;

function aborted(signal) {
  try {
    return signal != null && signal.aborted === true;
  } catch {
    return false;
  }
}

// Every outcome has every field, so the typed getters on the Rust side always read a value.
function failed(failure, message = null) {
  return { failure, status: 0, retryAfter: null, text: undefined, message };
}

function message(e) {
  try {
    const text = e != null && typeof e.message === "string" ? e.message : String(e);
    return text.length > 200 ? text.slice(0, 200) + "…" : text;
  } catch {
    return "unknown error";
  }
}

// Reads of values that JS can make throw. Each returns THROWN instead of throwing, so no
// exception crosses into wasm (where wasm-bindgen's catch path held on to a slot per exception).
export const THROWN = Symbol("lago-wasm: threw");

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

export function parseJson(text) {
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
 * Parses a 2xx body and checks its top level: `{ [key]: {...} }`, or for a page
 * `{ [key]: [...], meta: {...} }`. Returns the body, or a number naming the problem (see
 * `parse_checked` in operation.rs): a good body is always an object, never a number.
 */
export function parseBody(text, key, page) {
  if (typeof text !== "string") return 1;
  const body = parseJson(text);
  if (body === THROWN) return 2;
  if (!isObject(body)) return 3;
  if (!page) return isObject(body[key]) ? body : 4;
  if (!Array.isArray(body[key])) return 5;
  return isObject(body.meta) ? body : 6;
}

/** `text` with every occurrence of `key` (8 characters or more) replaced; non-strings as they are. */
export function redact(text, key) {
  return typeof text === "string" && key.length >= 8 ? text.split(key).join("[redacted]") : text;
}

/** Whether the caller's signal has fired. */
export function isAborted(signal) {
  return aborted(signal);
}

/** `globalThis.fetch`, looked up at call time (tests and polyfills may install it late). */
export function globalFetch() {
  return typeof globalThis.fetch === "function" ? globalThis.fetch : undefined;
}

/**
 * One request, body read included, under its own AbortController that the timer and the
 * caller's signal both trip. Resolves to `{ failure: 0, status, retryAfter, text }` or a failure.
 * Written with plain callbacks rather than async/await and Promise.race: this runs once per
 * call, and every promise it does not make is time the caller gets back.
 */
export function attempt(fetch, url, method, headers, body, timeoutMs, signal) {
  return new Promise((resolve) => {
    const controller = new AbortController();
    let timer;
    let done = false;
    const finish = (outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        signal?.removeEventListener("abort", stop);
      } catch {}
      resolve(outcome);
    };
    // Settles at once on abort, whether or not the caller's fetch honours its signal.
    const stop = () => {
      controller.abort();
      finish(failed(aborted(signal) ? ABORTED : TIMEOUT));
    };
    const fail = (e) => finish(aborted(signal) ? failed(ABORTED) : failed(NETWORK, message(e)));
    try {
      signal?.addEventListener("abort", stop);
      if (timeoutMs > 0) timer = setTimeout(stop, timeoutMs);
      // A copy per attempt: a caller's fetch that edits init.headers cannot touch the next call.
      const init = { method, headers: { ...headers }, signal: controller.signal };
      if (body !== undefined) init.body = body;
      Promise.resolve(fetch(url, init)).then((res) => {
        const status = res.status;
        if (!Number.isInteger(status) || status < 100 || status > 599) {
          return finish(failed(NETWORK, "fetch resolved to something that is not a Response"));
        }
        let retryAfter = null;
        try {
          retryAfter = res.headers.get("retry-after");
        } catch {}
        retryAfter = typeof retryAfter === "string" ? retryAfter : null;
        Promise.resolve(res.text()).then(
          (text) => finish({ failure: REPLY, status, retryAfter, text, message: null }),
          fail,
        );
      }).catch(fail);
    } catch (e) {
      fail(e);
    }
  });
}

/** Waits `ms` between attempts, or less when the caller aborts; `custom` replaces the timer. */
export async function sleep(ms, signal, custom) {
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
