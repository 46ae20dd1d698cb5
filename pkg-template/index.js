// Entry for browsers, bundlers (Vite, webpack 5, esbuild) and Web Workers: instantiates the
// wasm once, at import, so callers never call an init function. The wasm download starts
// first, in parallel with loading the glue, instead of after it.
const wasm = fetch(new URL("./lago_wasm_bg.wasm", import.meta.url));
const [glue, { LagoError }] = await Promise.all([import("./lago_wasm.js"), import("./lago-error.js")]);
await glue.default({ module_or_path: wasm });
glue.__registerLagoError(LagoError.prototype);

export const { CustomersApi, CustomerWalletsApi } = glue;
export { LagoError };
