// The hand-written part of the public types: client options, per-call options and LagoError.
// The models (types.d.ts) and the API classes (api.d.ts) are generated from the spec.
// Every optional property also takes `undefined`, so `exactOptionalPropertyTypes` users can
// pass `process.env.X` or a maybe-undefined variable. No lib is required: `fetch` and
// `AbortSignal` are the global ones when a lib declares them (DOM, @types/node, Deno, Bun,
// workers), and a structural stand-in otherwise.

/** The global `AbortSignal` when a lib declares one; else what the SDK reads of a signal. */
export type LagoAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer S } }
  ? S
  : {
      readonly aborted: boolean;
      readonly reason?: unknown;
      addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
      removeEventListener(type: "abort", listener: () => void): void;
    };

/** The global `fetch` when a lib declares one; else the call the SDK makes and what it reads back. */
export type LagoFetch = typeof globalThis extends { fetch: infer F }
  ? F
  : (
      url: string,
      init: { method: string; headers: Record<string, string>; body?: string; signal?: LagoAbortSignal },
    ) => Promise<{
      readonly status: number;
      readonly headers: { get(name: string): string | null };
      text(): Promise<string>;
    }>;

/** Options of `new Lago(...)` and of every API class (`new CustomersApi(...)`, ...). */
export interface LagoOptions {
  /**
   * Sent as `Authorization: Bearer <apiKey>`. Lago keys are secret: omit it in a browser and
   * point `baseUrl` at your own backend proxy, which adds the key.
   */
  apiKey?: string | undefined;
  /**
   * Default `"https://api.getlago.com/api/v1"` (US). EU: `"https://api.eu.getlago.com/api/v1"`;
   * self-hosted: `"<origin>/api/v1"`; a path such as `"/lago/api/v1"` calls your own origin.
   * A trailing `/` is allowed.
   */
  baseUrl?: string | undefined;
  /**
   * Default `globalThis.fetch`, looked up when a call is made; any WHATWG `fetch`. Calls may
   * share one `AbortSignal`: attempts made without a caller's `signal` share one
   * `AbortController` per deadline slot (attempts with the same `timeoutMs` started close
   * together), so a custom fetch must not assume `init.signal` is its own: other requests may
   * be listening to it, and its abort times out all of them. Remove any listener you add to it
   * once your request settles. A call given a `signal` gets a signal of its own.
   */
  fetch?: LagoFetch | undefined;
  /** Sent on every request. */
  headers?: Record<string, string> | undefined;
  /** Per attempt, in ms; default 30000; 0 = no timeout. */
  timeoutMs?: number | undefined;
  /** Extra attempts on network errors, timeouts, 429, 502, 503 and 504; default 2; 0 = never retry. */
  maxRetries?: number | undefined;
  /**
   * Waits between attempts; default a timer. For tests and fake timers: resolve when the wait
   * is over (or at once), and early when `signal` aborts.
   */
  sleep?: ((ms: number, signal?: LagoAbortSignal) => Promise<void>) | undefined;
  /**
   * Default `true`: an `apiKey` used where a `document` exists (a browser page) logs one
   * console warning, since every visitor can read the key. `false` silences it (an internal
   * tool, or tests under jsdom / happy-dom).
   */
  warnOnBrowserKey?: boolean | undefined;
}

/** Options of `new LagoEventQueue(...)`: a client's, plus how the queue batches. */
export interface LagoEventQueueOptions extends LagoOptions {
  /** Events per request, 1 to 100; default 100. */
  batchSize?: number | undefined;
  /** Sends what waits this long after the first unsent event; default 1000; 0 = only on `flush()`. */
  flushIntervalMs?: number | undefined;
  /** Events that may wait; past it `enqueue` throws (code `"queue_full"`); default 10000. */
  maxQueued?: number | undefined;
  /** Events given up for good (refused by Lago, or still failing after `maxRetries`). */
  onError?: ((err: LagoError, events: EventInputObject[]) => void) | undefined;
}

/** What settled since the previous `flush()` resolved. */
export interface LagoEventQueueReport {
  /** Accepted by Lago. */
  delivered: number;
  /** Refused as `transaction_id: value_already_exist`: delivered before (a lost answer's resend). */
  duplicates: number;
  /** Given up for good (and handed to `onError`). */
  failed: number;
}

/**
 * Usage events, batched through `createBatchEvents` (up to 100 a request, in order, one request
 * at a time), never lost or doubled: ids and timestamps are fixed at `enqueue`, so a resend
 * after a lost answer is recognized as a duplicate. In a page, `pagehide` sends what waits
 * with `keepalive`.
 */
export class LagoEventQueue {
  constructor(options?: LagoEventQueueOptions);
  /**
   * Checks the event as `createEvent` would, fixes its `transaction_id` (given, or a new UUID)
   * and `timestamp` (given, or now) and queues it; returns its `transaction_id`. Throws a
   * `LagoError`: `invalid_input` for a bad event, code `"queue_full"` past `maxQueued`, code
   * `"queue_closed"` after `close()`.
   */
  enqueue(event: Omit<EventInputObject, "transaction_id"> & { transaction_id?: string | undefined }): string;
  /** Resolves once every event enqueued before the call is delivered or given up. */
  flush(): Promise<LagoEventQueueReport>;
  /** Flushes and stops the timer; a later `enqueue` throws. */
  close(): Promise<LagoEventQueueReport>;
  /** Events waiting (those in flight included). */
  readonly size: number;
}

/** The last argument of every method: overrides the client's settings for one call. */
export interface RequestOptions {
  signal?: LagoAbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  headers?: Record<string, string> | undefined;
}

/** What went wrong: branch on it. */
export type LagoErrorKind = "http" | "network" | "timeout" | "aborted" | "decode" | "invalid_input";

/** The fields of `new LagoError(message, fields)`: `kind` and any of the others. */
export interface LagoErrorInit {
  kind: LagoErrorKind;
  status?: number | undefined;
  code?: string | undefined;
  error?: string | undefined;
  details?: Record<string, unknown> | undefined;
  body?: unknown;
  field?: string | undefined;
  /** Default `""`. */
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "" | undefined;
  /** Default `""`. */
  path?: string | undefined;
  /** Default `0`. */
  attempts?: number | undefined;
  /** Default `false`. */
  retryable?: boolean | undefined;
  /** Default `false`. */
  mayHaveSucceeded?: boolean | undefined;
  retryAfterMs?: number | undefined;
  /** Kept as the standard `Error.cause`. */
  cause?: unknown;
}

/** Every failure of a lago-wasm call rejects with a `LagoError`. */
export class LagoError extends Error {
  /**
   * For tests of code that handles errors, e.g. a mocked client's rejection:
   * `new LagoError("Lago 404 customer_not_found on GET /customers/x", { kind: "http", status: 404, code: "customer_not_found" })`.
   */
  constructor(message: string, fields: LagoErrorInit);
  readonly name: "LagoError";
  readonly kind: LagoErrorKind;
  /** HTTP status, for `kind: "http"`. */
  readonly status?: number | undefined;
  /** Lago's error code, e.g. `"customer_not_found"`, `"validation_errors"`. */
  readonly code?: string | undefined;
  /** Lago's error text, e.g. `"Not Found"`. */
  readonly error?: string | undefined;
  /** Lago's `error_details`, e.g. `{ email: ["invalid_email_format"] }`. */
  readonly details?: Record<string, unknown> | undefined;
  /** The parsed error body, or its raw text when it is not JSON. */
  readonly body?: unknown;
  /** For `kind: "invalid_input"`: the argument or field at fault, e.g. `"customer.email"`. */
  readonly field?: string | undefined;
  /**
   * The request's method. `""` when there was no request: an error about the constructor's
   * options (which says so in its message, e.g. `Invalid option: timeoutMs must be ...
   * (new CustomersApi)`), or a `LagoError` made by hand without one.
   */
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "";
  /** Request path below the base URL (never the API key); `""` when `method` is `""`. */
  readonly path: string;
  /** Requests sent, retries included (0 when nothing was sent). */
  readonly attempts: number;
  /**
   * Whether the SDK would send this call again (rate limits, gateway trouble, no answer):
   * never after a write whose repeat could double it (a timeout on a top-up).
   */
  readonly retryable: boolean;
  /**
   * `true` when the call writes (any method but GET) and one of its attempts ended without
   * proof that nothing was written: a timeout, a network error, an abort once the request was
   * handed to fetch, a 500, 502 or 504, a keyed write's retry answering 422
   * `value_already_exist`, or a 2xx whose body could not be read. Look before repeating it
   * (find the wallet by its code, list the customer's wallet transactions...). `false` for
   * every GET, for `invalid_input`, and when every attempt was refused (401, 403, 404, 405, a
   * first 422, 429, 503).
   */
  readonly mayHaveSucceeded: boolean;
  /** What the server's `Retry-After` asked for, in ms. */
  readonly retryAfterMs?: number | undefined;
}

/** The name `LagoOptions` had when `CustomersApi` was the package's one class. */
export type CustomersApiOptions = LagoOptions;
