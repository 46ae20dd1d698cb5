// Entry for browsers, bundlers (Vite, webpack 5, Rollup, Parcel, esbuild, Next.js client
// bundles) and Web Workers. The wasm is fetched at import from `new URL(..., import.meta.url)`,
// the one form every bundler follows (and copies as an asset); no top-level `await`: the
// classes are ready at once and their calls wait for the wasm (see loader.js).
import * as glue from "./lago_wasm.js";
import { LagoError } from "./lago-error.js";
import { eventQueueClass } from "./event-queue.js";
import { apiClasses } from "./classes.js";

const url = new URL("./lago_wasm_bg.wasm", import.meta.url).href;
// Instantiated here rather than by the glue's `default` init, whose other paths (a URL, a
// Request, bytes, deprecated arguments, its warnings) this entry never takes: a bundle leaves
// them out (build-pkg.sh exports the glue's two steps, `__wbg_get_imports` and
// `__wbg_finalize_init`). Streamed when the server says application/wasm, which
// instantiateStreaming requires; from the bytes otherwise.
const instantiate = (r, type) => {
  const imports = glue.__wbg_get_imports();
  return (
    type === "application/wasm" && WebAssembly.instantiateStreaming
      ? WebAssembly.instantiateStreaming(r, imports)
      : r.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, imports))
  ).then((m) => glue.__wbg_finalize_init(m.instance, m.module));
};
// The wasm at `at`; anything else the server answers (an error, a dev server's HTML page) is
// thrown as its Response, for wasm-missing.js.
const load = (at) =>
  fetch(at).then((r) => {
    const type = (r.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
    if (r.ok && !/html/.test(type)) return instantiate(r, type);
    throw r;
  });
const ready = { done: false };
ready.promise = Promise.resolve()
  .then(() => load(url))
  // What went wrong, and one more place to look, are wasm-missing.js's: loaded only then.
  .catch((failure) =>
    import("./wasm-missing.js").then(
      (module) => module.retry(LagoError, failure, url, load),
      (cause) => {
        const why = failure instanceof Response ? `it answered ${failure.status}` : failure;
        throw new LagoError(`lago-wasm could not load its WebAssembly module from ${url} (${why}), nor wasm-missing.js to say why: ${cause}`, {
          kind: "network",
          cause,
        });
      },
    ),
  )
  .then(() => {
    glue.__registerLagoError(LagoError.prototype);
    ready.done = true;
  });

// The glue read by static names only (never as a whole namespace object), so a bundler (and
// build-pkg.sh's own bundle) can leave out what this entry does not use of it (initSync).
// Destructured as an array, in operations.js's order with Lago last (build-pkg.sh writes the
// list): minified, each class name is then written once here instead of twice.
export const [CustomersApi] = apiClasses({ Core: glue.Core }, ready); // @classes
// The event queue sends through EventsApi; its events are checked by the wasm once it is ready
// (until then, a bad event is refused with its batch and handed to onError). Its batches, timer
// and page-exit sends (event-batches.js) load when a queue is made, as webhook.js does below;
// a failure to load is the queue's to report (its flush() rejects with a LagoError).
const LagoEventQueue = /* @__PURE__ */ eventQueueClass(
  EventsApi,
  (body) => (ready.done ? glue.__checkEvent(body) : undefined),
  () => import("./event-batches.js").then((module) => module.batches),
);

// verifyWebhook lives in its own module (webhook.js), loaded on its first call: a page that
// never verifies a webhook never downloads it, a bundler that sees it unused drops it, and this
// module stays within its size budget (build-pkg.sh keeps webhook.js and event-batches.js out of
// its bundle).
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
