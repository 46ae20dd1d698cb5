// Entry for Node, Deno and Bun (`require`, and `import` through node.mjs), bundled into CommonJS
// by tools/build-pkg.sh. The wasm is inlined as base64 (./wasm-base64.js, written by the build)
// and compiled synchronously at import: no file is read at run time, so bundlers that pack
// server code (Next.js route handlers, Vite SSR with noExternal, webpack for Node) carry it
// along, and Deno needs no --allow-read.
import * as glue from "../lago_wasm.js";
import { LagoError } from "../lago-error.js";
import { eventQueueClass } from "../event-queue.js";
import { batches } from "../event-batches.js";
import { loadFailure } from "../loader.js";
import { apiClasses } from "../classes.js";
import base64 from "./wasm-base64.js";
import { webcrypto } from "node:crypto";
import { verifier } from "../webhook.js";

// Node 18 has no global `crypto`: verifyWebhook uses node:crypto's WebCrypto there.
const verifyWebhook = verifier(LagoError, webcrypto);

const ready = { done: false };
try {
  glue.initSync({ module: decode(base64) });
  glue.__registerLagoError(LagoError.prototype);
  ready.done = true;
} catch (cause) {
  ready.promise = Promise.reject(loadFailure(cause));
}

/** Base64 to bytes with what every server runtime has (Buffer is Node's alone). */
function decode(text) {
  if (typeof Buffer === "function") return Buffer.from(text, "base64");
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const { CustomersApi } = apiClasses(glue, ready); // @classes
// The event queue sends through EventsApi; its events are checked by the wasm once it is ready
// (until then, a bad event is refused with its batch and handed to onError). Its batches are
// bundled here (a server loads the whole package anyway).
const LagoEventQueue = /* @__PURE__ */ eventQueueClass(
  EventsApi,
  (body) => (ready.done ? glue.__checkEvent(body) : undefined),
  async () => batches,
  webcrypto,
);
export { LagoError, LagoEventQueue, verifyWebhook };
