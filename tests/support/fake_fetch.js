// Test doubles for the browser suites (tests/browser.rs): a scripted `fetch` that records every
// request, a `sleep` that records the backoff delays and returns at once, and small helpers the
// Rust side cannot express shortly (AbortControllers, `for await`, error snapshots).
//
// A script is a JSON array of steps, one per fetch call; when it runs out, the last step repeats.
//   {status, body, headers}   reply: `body` is sent as JSON text (default status 200)
//   {status, text, headers}   reply with a raw text body
//   {throw: "TypeError"}      fetch rejects like a network failure
//   {hang: true}              never settles; rejects with an AbortError once init.signal aborts
//   {delay: ms, ...reply}     the reply arrives after `ms` (rejects early if the signal aborts)
//   {stallBody: true, status}  headers arrive at once, the body never ends (errors on abort,
//                             as a real fetch body does)
//   {abort: true, ...}        also calls `controller.abort()` (the one given to makeFetch) as
//                             soon as this request was sent: an abort in mid-request
//   {abortAfterBody: true, ...}  calls `controller.abort()` in the task after this reply's body
//                             was read: once the attempt has settled and the SDK has acted on
//                             it (whatever it does next starts in the microtasks before), and
//                             records whether the attempt's own `init.signal` was aborted then

function abortError() {
  return new DOMException("The operation was aborted.", "AbortError");
}

function whenAborted(signal, reject) {
  if (!signal) return;
  if (signal.aborted) reject(abortError());
  else signal.addEventListener("abort", () => reject(abortError()), { once: true });
}

function reply(step) {
  const text = step.text !== undefined ? step.text : JSON.stringify(step.body === undefined ? {} : step.body);
  return new Response(text, { status: step.status === undefined ? 200 : step.status, headers: step.headers || {} });
}

export function makeFetch(scriptJson, controller) {
  const script = JSON.parse(scriptJson);
  const calls = [];
  const aborts = [];
  const fetch = (url, init) => {
    init = init || {};
    const raw = init.headers || {};
    const headerNames = Object.keys(raw);
    const headers = {};
    for (const name of headerNames) headers[name.toLowerCase()] = String(raw[name]);
    calls.push({
      url: String(url),
      // What a URL parser makes of it (dot segments collapsed, escapes normalised).
      parsedHref: new URL(String(url), "https://parser.test/").href,
      method: init.method === undefined ? "GET" : init.method,
      headers,
      headerNames,
      hasBody: "body" in init,
      body: init.body === undefined ? null : init.body,
      initKeys: Object.keys(init).sort(),
      hasSignal: typeof AbortSignal !== "undefined" && init.signal instanceof AbortSignal,
    });
    const step = script.length === 0 ? {} : script[Math.min(calls.length - 1, script.length - 1)];
    if (step.abort && controller) queueMicrotask(() => controller.abort());
    if (step.throw) return Promise.reject(new globalThis[step.throw]("Failed to fetch"));
    if (step.hang) return new Promise((_, reject) => whenAborted(init.signal, reject));
    if (step.stallBody) {
      const body = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"customer":'));
          whenAborted(init.signal, (e) => c.error(e));
        },
      });
      return Promise.resolve(new Response(body, { status: step.status || 200 }));
    }
    if (step.delay) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(reply(step)), step.delay);
        whenAborted(init.signal, (e) => { clearTimeout(timer); reject(e); });
      });
    }
    const res = reply(step);
    if (step.abortAfterBody && controller) {
      const text = res.text.bind(res);
      res.text = () =>
        text().then((t) => {
          setTimeout(() => {
            controller.abort();
            aborts.push({ request: calls.length, attemptSignalAborted: init.signal ? init.signal.aborted : null });
          }, 0);
          return t;
        });
    }
    return Promise.resolve(res);
  };
  return {
    fetch,
    count: () => calls.length,
    callsJson: () => JSON.stringify(calls),
    abortsJson: () => JSON.stringify(aborts),
  };
}

// The `sleep` option: records each requested delay and resolves at once. With a controller, the
// first wait aborts it (an abort that lands during the backoff wait).
export function recordingSleep(controller) {
  const delays = [];
  const signals = [];
  return {
    sleep: (ms, signal) => {
      delays.push(ms);
      signals.push(signal !== undefined);
      if (controller) controller.abort();
      return Promise.resolve();
    },
    delaysJson: () => JSON.stringify(delays),
    signalsJson: () => JSON.stringify(signals),
  };
}

export function newController() {
  return new AbortController();
}

export function abortedSignal() {
  const c = new AbortController();
  c.abort();
  return c.signal;
}

export function abortLater(controller, ms) {
  setTimeout(() => controller.abort(), ms);
}

// `new Date(Date.now() + ms).toUTCString()`: an IMF-fixdate such as "Sun, 06 Nov 1994 08:49:37 GMT".
export function httpDateIn(ms) {
  return new Date(Date.now() + ms).toUTCString();
}

// Everything a caller could log about an error, as JSON: its contract fields plus message and
// stack, and a JSON dump of all own properties.
export function errorJson(err) {
  const own = {};
  if (err !== null && typeof err === "object") {
    for (const k of Object.getOwnPropertyNames(err)) own[k] = err[k];
  }
  const pick = (k) => (err === null || err === undefined || err[k] === undefined ? null : err[k]);
  return JSON.stringify({
    isError: err instanceof Error,
    name: pick("name"),
    message: pick("message"),
    stack: err && err.stack !== undefined ? String(err.stack) : null,
    kind: pick("kind"),
    status: pick("status"),
    code: pick("code"),
    error: pick("error"),
    field: pick("field"),
    details: pick("details"),
    body: pick("body"),
    method: pick("method"),
    path: pick("path"),
    attempts: pick("attempts"),
    retryable: pick("retryable"),
    mayHaveSucceeded: pick("mayHaveSucceeded"),
    retryAfterMs: pick("retryAfterMs"),
    hasRetryAfterMs: err !== null && typeof err === "object" && "retryAfterMs" in err,
    ownJson: JSON.stringify(own),
    toString: String(err),
  });
}

// `for await (const c of iterable)`, taking at most `limit` items (then `break`), and noting
// how many requests the fake had seen when each item arrived.
export async function forAwait(iterable, fake, limit) {
  const seen = [];
  for await (const customer of iterable) {
    seen.push({ customer, requestsSoFar: fake.count() });
    if (seen.length >= limit) break;
  }
  return JSON.stringify(seen);
}

// Replaces `globalThis.fetch` for one call; returns the function that puts the real one back.
export function installGlobalFetch(fetch) {
  const real = globalThis.fetch;
  globalThis.fetch = fetch;
  return () => {
    globalThis.fetch = real;
  };
}
