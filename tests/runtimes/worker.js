// A module Web Worker: imports the package and posts the scenario's outcome back.
import { CustomersApi, LagoError, LagoEventQueue } from "/node_modules/lago-wasm/index.js";
import { scenario } from "/scenario.js";

scenario(CustomersApi, LagoError, LagoEventQueue).then(
  (out) => postMessage(out),
  (e) => postMessage({ failed: String(e && e.stack || e) }),
);
