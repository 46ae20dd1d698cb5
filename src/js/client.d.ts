// The hand-written part of the public types: client options, per-call options and LagoError.
// The models (types.d.ts) and the API classes (api.d.ts) are generated from the spec.

/** Options of `new CustomersApi(...)`. */
export interface CustomersApiOptions {
  /**
   * Sent as `Authorization: Bearer <apiKey>`. Lago keys are secret: omit it in a browser and
   * point `baseUrl` at your own backend proxy, which adds the key.
   */
  apiKey?: string;
  /**
   * Default `"https://api.getlago.com/api/v1"` (US). EU: `"https://api.eu.getlago.com/api/v1"`;
   * self-hosted: `"<origin>/api/v1"`; a path such as `"/lago/api/v1"` calls your own origin.
   * A trailing `/` is allowed.
   */
  baseUrl?: string;
  /** Default `globalThis.fetch`, looked up when a call is made. */
  fetch?: typeof fetch;
  /** Sent on every request. */
  headers?: Record<string, string>;
  /** Per attempt, in ms; default 30000; 0 = no timeout. */
  timeoutMs?: number;
  /** Extra attempts on network errors, timeouts, 429, 502, 503 and 504; default 2; 0 = never retry. */
  maxRetries?: number;
  /**
   * Waits between attempts; default a timer. For tests and fake timers: resolve when the wait
   * is over (or at once), and early when `signal` aborts.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The last argument of every method: overrides the client's settings for one call. */
export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
}

/** What went wrong: branch on it. */
export type LagoErrorKind = "http" | "network" | "timeout" | "aborted" | "decode" | "invalid_input";

/** Every failure of a `CustomersApi` call rejects with a `LagoError`. */
export class LagoError extends Error {
  readonly name: "LagoError";
  readonly kind: LagoErrorKind;
  /** HTTP status, for `kind: "http"`. */
  readonly status?: number;
  /** Lago's error code, e.g. `"customer_not_found"`, `"validation_errors"`. */
  readonly code?: string;
  /** Lago's error text, e.g. `"Not Found"`. */
  readonly error?: string;
  /** Lago's `error_details`, e.g. `{ email: ["invalid_email_format"] }`. */
  readonly details?: Record<string, unknown>;
  /** The parsed error body, or its raw text when it is not JSON. */
  readonly body?: unknown;
  /** For `kind: "invalid_input"`: the argument or field at fault, e.g. `"customer.email"`. */
  readonly field?: string;
  readonly method: "GET" | "POST" | "DELETE" | "";
  /** Request path below the base URL (never the API key). */
  readonly path: string;
  /** Requests sent, retries included (0 when nothing was sent). */
  readonly attempts: number;
  /** Whether the same call may succeed later. */
  readonly retryable: boolean;
  /** What the server's `Retry-After` asked for, in ms. */
  readonly retryAfterMs?: number;
  private constructor();
}
