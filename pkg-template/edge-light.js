// Entry for the `edge-light` condition (Next.js edge runtime, Vercel Edge), which imports a
// `.wasm?module` as a compiled WebAssembly.Module and forbids compiling wasm from bytes:
// instantiated synchronously at import.
import wasm from "./lago_wasm_bg.wasm?module";
import * as glue from "./lago_wasm.js";
import { LagoError } from "./lago-error.js";
import { exportsOf, loadFailure } from "./loader.js";

const ready = { done: false };
try {
  glue.initSync({ module: wasm });
  glue.__registerLagoError(LagoError.prototype);
  ready.done = true;
} catch (cause) {
  ready.promise = Promise.reject(loadFailure(cause));
}

const names = ["CustomersApi"]; // @classes
export const { CustomersApi } = exportsOf(glue, names, ready); // @classes
export { LagoError };
