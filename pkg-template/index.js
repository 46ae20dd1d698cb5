// Entry for browsers, bundlers (Vite, webpack 5, Rollup, Parcel, esbuild, Next.js client
// bundles) and Web Workers. The wasm is fetched at import from `new URL(..., import.meta.url)`,
// the one form every bundler follows (and copies as an asset); no top-level `await`: the
// classes are ready at once and their calls wait for the wasm (see loader.js).
import * as glue from "./lago_wasm.js";
import { LagoError } from "./lago-error.js";
import { eventQueueClass } from "./event-queue.js";
import { exportsOf, loadFailure } from "./loader.js";

const url = new URL("./lago_wasm_bg.wasm", import.meta.url);
const ready = { done: false };
ready.promise = Promise.resolve()
  .then(() => glue.default({ module_or_path: url }))
  .then(
    () => {
      glue.__registerLagoError(LagoError.prototype);
      ready.done = true;
    },
    (cause) => {
      throw loadFailure(cause, String(url));
    },
  );

// The glue read by static names only (never as a whole namespace object), so a bundler (and
// build-pkg.sh's own bundle) can leave out what this entry does not use of it (initSync).
const classes = { CustomersApi: glue.CustomersApi }; // @glue-classes
const names = ["CustomersApi"]; // @classes
export const { CustomersApi } = exportsOf(classes, names, ready); // @classes
// The event queue sends through EventsApi; its events are checked by the wasm once it is ready
// (until then, a bad event is refused with its batch and handed to onError).
const LagoEventQueue = /* @__PURE__ */ eventQueueClass(EventsApi, (body) => (ready.done ? glue.__checkEvent(body) : undefined));

// verifyWebhook lives in its own module (webhook.js), loaded on its first call: a page that
// never verifies a webhook never downloads it, a bundler that sees it unused drops it, and this
// module stays within its size budget (build-pkg.sh keeps webhook.js out of its bundle).
let verify;
export function verifyWebhook(input) {
  return import("./webhook.js").then(
    (module) => (verify ??= module.verifier(LagoError))(input),
    (cause) => {
      throw new LagoError(`lago-wasm could not load webhook.js: ${cause}`, { kind: "network", cause });
    },
  );
}
export { LagoError, LagoEventQueue };
