// Entry for the `edge-light` condition (Next.js edge runtime, Vercel Edge), which imports a
// `.wasm?module` as a compiled WebAssembly.Module and forbids compiling wasm from bytes:
// instantiated synchronously at import.
import wasm from "./lago_wasm_bg.wasm?module";
import * as glue from "./lago_wasm.js";
import { LagoError } from "./lago-error.js";
import { eventQueueClass } from "./event-queue.js";
import { batches } from "./event-batches.js";
import { loadFailure } from "./loader.js";
import { apiClasses } from "./classes.js";
import { verifier } from "./webhook.js";

const ready = { done: false };
try {
  // Next.js compiles the module outside the edge sandbox's realm, so it fails the glue's
  // `instanceof WebAssembly.Module` (and is then taken for bytes). It is a real Module: give it
  // this realm's prototype (WebAssembly.Instance only checks what it is, not its prototype).
  if (!(wasm instanceof WebAssembly.Module) && Object.prototype.toString.call(wasm) === "[object WebAssembly.Module]") {
    Object.setPrototypeOf(wasm, WebAssembly.Module.prototype);
  }
  glue.initSync({ module: wasm });
  glue.__registerLagoError(LagoError.prototype);
  ready.done = true;
} catch (cause) {
  ready.promise = Promise.reject(loadFailure(cause));
}

export const { CustomersApi } = apiClasses(glue, ready); // @classes
const verifyWebhook = verifier(LagoError);
// The event queue sends through EventsApi; its events are checked by the wasm once it is ready
// (until then, a bad event is refused with its batch and handed to onError). Its batches are
// bundled here (a server loads the whole package anyway).
const LagoEventQueue = /* @__PURE__ */ eventQueueClass(
  EventsApi,
  (body) => (ready.done ? glue.__checkEvent(body) : undefined),
  async () => batches,
);
export { LagoError, LagoEventQueue, verifyWebhook };
