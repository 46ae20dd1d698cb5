// Entry for Cloudflare Workers (workerd), which cannot fetch the wasm by URL but imports a
// `.wasm` file as a compiled WebAssembly.Module: instantiate it synchronously at import.
import wasm from "./lago_wasm_bg.wasm";
import { initSync, CustomersApi, CustomerWalletsApi, __registerLagoError } from "./lago_wasm.js";
import { LagoError } from "./lago-error.js";

initSync({ module: wasm });
__registerLagoError(LagoError.prototype);

export { CustomersApi, CustomerWalletsApi, LagoError };
