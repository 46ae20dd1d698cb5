// Entry for browsers, bundlers (Vite, webpack 5, esbuild) and Web Workers: instantiates the
// wasm once, at import, so callers never call an init function.
import init, { CustomersApi, __registerLagoError } from "./lago_wasm.js";
import { LagoError } from "./lago-error.js";

await init({ module_or_path: new URL("./lago_wasm_bg.wasm", import.meta.url) });
__registerLagoError(LagoError.prototype);

export { CustomersApi, LagoError };
