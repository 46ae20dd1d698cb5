// The class every failure of a lago-wasm call is an instance of. It lives in JS because a
// wasm-bindgen export cannot extend Error; the wasm builds its errors on this prototype.
// The constructor is public so that tests can make the errors a mocked client would reject
// with: `new LagoError("Lago 404 ...", { kind: "http", status: 404, code: "customer_not_found" })`.
export class LagoError extends Error {
  constructor(message, fields = {}) {
    const { cause, ...rest } = fields ?? {};
    super(message, cause === undefined ? undefined : { cause });
    this.name = "LagoError";
    // The fields every LagoError has, whatever the caller gave (see index.d.ts).
    this.kind = "network";
    this.method = "";
    this.path = "";
    this.attempts = 0;
    this.retryable = false;
    this.mayHaveSucceeded = false;
    Object.assign(this, rest);
  }
}
// By hand: the browser bundle is minified without keeping names.
Object.defineProperty(LagoError, "name", { value: "LagoError" });
