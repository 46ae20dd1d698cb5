// Entry for browsers, bundlers (Vite, webpack 5, Rollup, Parcel, esbuild, Next.js client
// bundles) and Web Workers. The wasm is fetched at import from `new URL(..., import.meta.url)`,
// the one form every bundler follows (and copies as an asset); no top-level `await`: the
// classes are ready at once and their calls wait for the wasm (see loader.js).
import * as glue from "./lago_wasm.js";
import { LagoError } from "./lago-error.js";
import { eventQueueClass } from "./event-queue.js";
import { loadFailure } from "./loader.js";
import { apiClasses } from "./classes.js";

const url = new URL("./lago_wasm_bg.wasm", import.meta.url).href;
// A dev server that pre-bundles this file into its cache (Vite 7's node_modules/.vite/deps, or
// .cache/vite/client/deps) has no wasm beside the copy, but serves the package's own folder
// beside that cache: one more try there, only for such a URL.
const own = url.replace(/(\/node_modules\/)\.[^?#]*\/deps[^/]*\/[^/]+$/, "$1lago-wasm/lago_wasm_bg.wasm");
let missing = ""; // what the server answered instead of the wasm, URL by URL
// Instantiated here rather than by the glue's `default` init, whose other paths (a URL, a
// Request, bytes, deprecated arguments, its warnings) this entry never takes: a bundle leaves
// them out (build-pkg.sh exports the glue's two steps, `__wbg_get_imports` and
// `__wbg_finalize_init`). Streamed when the server says application/wasm, which
// instantiateStreaming requires (every browser has it: this entry is the browsers' alone, see
// package.json's conditions); from the bytes otherwise. The glue is handed the instance only:
// the module it kept beside it was used for nothing (tools/trim-glue.mjs took that out).
const instantiate = (r, type) => {
  const imports = glue.__wbg_get_imports();
  return (
    type === "application/wasm"
      ? WebAssembly.instantiateStreaming(r, imports)
      : r.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, imports))
  ).then((m) => glue.__wbg_finalize_init(m.instance));
};
const load = (at) =>
  fetch(at).then((r) => {
    const type = (r.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
    if (r.ok && !/html/.test(type)) return instantiate(r, type);
    missing += `${missing && ", then "}${at} answered ${r.status}${type && ` ${type}`}`;
    if (at !== own) return load(own);
    throw missing;
  });
const ready = { done: false };
ready.promise = Promise.resolve()
  .then(() => load(url))
  .then(
    () => {
      glue.__registerLagoError(LagoError.prototype);
      ready.done = true;
    },
    (cause) => {
      throw loadFailure(cause, url, missing);
    },
  );

// The glue read by static names only (never as a whole namespace object), so a bundler (and
// build-pkg.sh's own bundle) can leave out what this entry does not use of it (initSync).
// Destructured as an array, in operations.js's order with Lago last (build-pkg.sh writes the
// list): minified, each class name is then written once here instead of twice.
export const [CustomersApi] = apiClasses({ Core: glue.Core }, ready); // @classes
// A module this entry loads on first use (`loading`, its import()), or the LagoError that says
// it could not be.
function later(loading, file) {
  return loading.catch((cause) => {
    throw new LagoError(`lago-wasm could not load ${file}: ${cause}`, { kind: "network", cause });
  });
}

// The event queue sends through EventsApi; its events are checked by the wasm once it is ready
// (until then, a bad event is refused with its batch and handed to onError). Its batches, timer
// and page-exit sends (event-batches.js) load when a queue is made, as webhook.js does below;
// a failure to load is the queue's to report (its flush() rejects with a LagoError).
const LagoEventQueue = /* @__PURE__ */ eventQueueClass(
  EventsApi,
  (body) => (ready.done ? glue.__checkEvent(body) : undefined),
  () => later(import("./event-batches.js"), "event-batches.js").then((module) => module.batches),
);

// verifyWebhook lives in its own module (webhook.js), loaded on its first call: a page that
// never verifies a webhook never downloads it, a bundler that sees it unused drops it, and this
// module stays within its size budget (build-pkg.sh keeps webhook.js and event-batches.js out of
// its bundle).
let verify;
export function verifyWebhook(input) {
  return later(import("./webhook.js"), "webhook.js").then((module) => (verify ??= module.verifier(LagoError))(input));
}
export { LagoError, LagoEventQueue };
