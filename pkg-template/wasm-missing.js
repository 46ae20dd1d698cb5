// Why the wasm did not load, and the LagoError every call then rejects with. The browser entry
// imports this with import() only when its wasm did not arrive (so a working page never
// downloads it), the other entries at once; each hands over its own LagoError class (in a
// bundle of index.js, lago-error.js is a second copy of the class, which `instanceof` would
// not see).

const RECIPES = "https://github.com/lago-wasm/lago-wasm#recipes-runtimes-frameworks-and-bundlers";

/**
 * The LagoError every call rejects with when the wasm did not load. `missing`: what the server
 * answered instead of the wasm (`<url> answered 404`...), when it has none there.
 */
export function loadFailure(LagoError, cause, where, missing) {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new LagoError(
    `lago-wasm could not load its WebAssembly module${
      missing
        ? `: ${missing}, not the wasm, so lago_wasm_bg.wasm is not where the bundle expects it. Serve it there`
        : `${where ? ` from ${where}` : ""}: ${why}. Serve lago_wasm_bg.wasm beside the bundle`
    } as application/wasm (the setup for each bundler and framework: ${RECIPES}).`,
    { kind: "network", cause: missing ? undefined : cause },
  );
}

/**
 * The browser entry's wasm at `url` did not load: `load(at)` (index.js) threw `failure`, the
 * Response when the server answered something else than the wasm. A dev server that pre-bundles
 * the entry into its cache (Vite 7's node_modules/.vite/deps, or .cache/vite/client/deps) has
 * no wasm beside the copy, but serves the package's own folder beside that cache: one more try
 * there, only for such a URL. Resolves once the wasm is in, or rejects with the LagoError.
 */
export function retry(LagoError, failure, url, load) {
  const own = url.replace(/(\/node_modules\/)\.[^?#]*\/deps[^/]*\/[^/]+$/, "$1lago-wasm/lago_wasm_bg.wasm");
  let missing = ""; // what the server answered instead of the wasm, URL by URL
  const diagnose = (at) => (r) => {
    if (!(r instanceof Response)) throw loadFailure(LagoError, r, url, missing);
    const type = (r.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
    missing += `${missing && ", then "}${at} answered ${r.status}${type && ` ${type}`}`;
    if (at !== own) return load(own).catch(diagnose(own));
    throw loadFailure(LagoError, missing, url, missing);
  };
  return diagnose(url)(failure);
}
