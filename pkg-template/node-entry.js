// Entry for Node (`require`, and `import` through node.mjs): the browser build of the glue,
// bundled into CommonJS by tools/build-pkg.sh, with the wasm compiled synchronously from disk.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync, CustomersApi, CustomerWalletsApi, __registerLagoError } from "../lago_wasm.js";
import { LagoError } from "../lago-error.js";

initSync({ module: readFileSync(join(__dirname, "../lago_wasm_bg.wasm")) });
__registerLagoError(LagoError.prototype);

export { CustomersApi, CustomerWalletsApi, LagoError };
