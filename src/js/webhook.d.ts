
// verifyWebhook (pkg-template/webhook.js): by hand, like client.d.ts.

/**
 * The request's headers: `Headers` (a Fetch `Request`'s, Next.js's), or a plain object such as
 * Node's `req.headers` (names in any case; a repeated header's values as an array).
 */
export type WebhookHeaders =
  | { get(name: string): string | null | undefined }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The argument of `verifyWebhook`. */
export interface VerifyWebhookInput {
  headers: WebhookHeaders;
  /** The body exactly as received, e.g. `await request.text()` (not a parsed object). */
  rawBody: string;
  /**
   * For `jwt` webhooks: `webhook.public_key` as `fetchJsonPublicKey` (`GET /webhooks/json_public_key`)
   * hands it out, the base64 of a PEM, or the PEM itself (`-----BEGIN PUBLIC KEY-----`).
   */
  publicKey?: string | undefined;
  /** For `hmac` webhooks: your organisation's HMAC key (Lago's UI, Developers). */
  hmacKey?: string | undefined;
  /** For `jwt` webhooks: the `iss` to expect (your Lago server's `LAGO_API_URL`); not checked when absent. */
  issuer?: string | undefined;
}

/** What Lago sends: `webhook_type` (e.g. `"invoice.created"`), `object_type`, and the object under its type's name. */
export interface LagoWebhookEvent {
  webhook_type: string;
  object_type: string;
  organization_id?: string;
  [key: string]: unknown;
}

/** The answer of `verifyWebhook`: `event` is the parsed body when `valid`, else `null`. */
export type VerifiedWebhook<E = LagoWebhookEvent> =
  | {
      valid: true;
      algorithm: "jwt" | "hmac";
      /** `X-Lago-Unique-Key`: the same for each retry of one delivery; dedupe on it. */
      uniqueKey: string | null;
      event: E;
    }
  | {
      valid: false;
      /** `X-Lago-Signature-Algorithm` as sent (`null` when missing). */
      algorithm: "jwt" | "hmac" | (string & {}) | null;
      uniqueKey: string | null;
      event: null;
    };

/**
 * Checks a webhook's signature (`X-Lago-Signature`, following `X-Lago-Signature-Algorithm`:
 * `jwt` RS256 with `publicKey`, or `hmac` SHA-256 with `hmacKey`) with WebCrypto. A wrong,
 * missing or malformed signature resolves `valid: false`; it rejects (a `LagoError` of kind
 * `"invalid_input"`) only when the key the algorithm needs was not given or is not a key, or
 * `rawBody` is not a string.
 */
export function verifyWebhook<E = LagoWebhookEvent>(input: VerifyWebhookInput): Promise<VerifiedWebhook<E>>;
