// Entry for Cloudflare Workers (workerd), which cannot fetch the wasm by URL but imports a
// `.wasm` file as a compiled WebAssembly.Module: instantiated synchronously at import.
import wasm from "./lago_wasm_bg.wasm";
import * as glue from "./lago_wasm.js";
import { LagoError } from "./lago-error.js";
import { eventQueueClass } from "./event-queue.js";
import { batches } from "./event-batches.js";
import { loadFailure } from "./loader.js";
import { apiClasses } from "./classes.js";
import { verifier } from "./webhook.js";

const ready = { done: false };
try {
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
