// Shared by the entries: what they export before the wasm is instantiated, or when it could not
// be. Each public class of the glue is exported as is when the wasm is ready at import (Node,
// workers, edge: instantiated synchronously), or else (browsers fetch the wasm) as a stand-in
// class of the same name whose instances build the real one when the wasm is ready. So no entry needs a top-level `await` (which Parcel's dev server, webpack's
// older targets and es2020 builds refuse), and a wasm that cannot load rejects the first call
// with a LagoError instead of throwing at import, where the app cannot catch it.
import { LagoError } from "./lago-error.js";

const INNER = Symbol("lago-wasm: instance");
const LATER = Symbol("lago-wasm: pending instance");
const ignore = () => {};

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
 * The public classes `names` of the glue (tools/build-pkg.sh writes the list into each entry: the
 * classes the glue exports with a constructor). `ready`: `{ done }` (true once instantiated) and `promise` (resolves when
 * instantiated, rejects with a LagoError when it cannot be).
 */
export function exportsOf(glue, names, ready) {
  ready.promise?.catch(ignore); // a failure is reported by the calls, not as an unhandled rejection
  const out = {};
  for (const name of names) {
    // By hand: the browser bundle is minified without keeping names.
    Object.defineProperty(glue[name], "name", { value: name });
    out[name] = ready.done ? glue[name] : standIn(glue[name], ready);
  }
  return out;
}

function standIn(Inner, ready) {
  const Outer = class {
    constructor(...args) {
      if (ready.done) {
        this[INNER] = new Inner(...args); // option errors throw here, as with the real class
        return;
      }
      // Until then (or forever, if the wasm failed) calls wait for this instance.
      this[LATER] = ready.promise.then(() => (this[INNER] = new Inner(...args)));
      this[LATER].catch(ignore); // reported by the calls, never as an unhandled rejection
    }
  };
  Object.defineProperty(Outer, "name", { value: Inner.name });
  for (const key of Reflect.ownKeys(Inner.prototype)) {
    const method = Object.getOwnPropertyDescriptor(Inner.prototype, key).value;
    if (key === "constructor" || typeof method !== "function") continue;
    Outer.prototype[key] = function (...args) {
      if (this[INNER]) return this[INNER][key](...args);
      const result = this[LATER].then((inner) => inner[key](...args));
      result.catch(ignore);
      // `free` and `Symbol.dispose` return nothing; the `listAll…` pagers are async iterables
      // (returned at once, not awaited); every other method returns a promise.
      if (key === "free" || typeof key === "symbol") return undefined;
      return typeof key === "string" && key.startsWith("listAll") ? iterableLater(result) : result;
    };
  }
  return Outer;
}

/** An async iterable over the one `promise` resolves to; `break` closes it. */
function iterableLater(promise) {
  let iterator;
  const get = () => (iterator ??= promise.then((it) => it[Symbol.asyncIterator]()));
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: (...args) => get().then((it) => it.next(...args)),
    // Even before a first next(): the pager made once the wasm arrived may hold a listener on
    // the caller's signal and a wasm page source, which its return() lets go of at once.
    return: (value) =>
      get().then(
        (it) => (it.return ? it.return(value) : { done: true, value }),
        () => ({ done: true, value }),
      ),
  };
}
