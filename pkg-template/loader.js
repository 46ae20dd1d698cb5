// Shared by the entries and classes.js: the error every call rejects with when the wasm could
// not load, and the pager a method returns before the wasm is in.
import { LagoError } from "./lago-error.js";

const RECIPES = "https://github.com/lago-wasm/lago-wasm#recipes-runtimes-frameworks-and-bundlers";

/**
 * The LagoError every call rejects with when the wasm did not load. `missing`: what the server
 * answered instead of the wasm (`<url> answered 404`...), when it has none there.
 */
export function loadFailure(cause, where, missing) {
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
 * An async iterable over the pager `promise` resolves to (runtime.js's `pages`, its own
 * iterator, with a `return`); `break` closes it.
 */
export function iterableLater(promise) {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: (...args) => promise.then((it) => it.next(...args)),
    // Even before a first next(): the pager made once the wasm arrived may hold a listener on
    // the caller's signal and a wasm page source, which its return() lets go of at once.
    return: (value) =>
      promise.then(
        (it) => it.return(value),
        () => ({ done: true, value }),
      ),
  };
}
