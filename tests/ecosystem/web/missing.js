// A bundle whose bundler did not copy the .wasm (Rollup without a plugin): the page must load,
// and the first call must reject with a LagoError the app can catch, not throw at import.
import { CustomersApi, LagoError } from "lago-wasm";

const out = document.getElementById("out");
const api = new CustomersApi({ baseUrl: "/api/v1/" });
api.findCustomer("acme").then(
  () => ({ resolved: true }),
  (e) => ({ isLagoError: e instanceof LagoError, kind: e.kind, attempts: e.attempts, message: e.message }),
).then((result) => {
  out.textContent = JSON.stringify(result);
  out.setAttribute("data-done", "");
});
