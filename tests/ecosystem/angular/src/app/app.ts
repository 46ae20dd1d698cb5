// One standalone component calling Lago from the browser. No API key in a page: `baseUrl` is a
// route of the app's backend that adds it (here the fake Lago server's /proxy/api/v1, whose
// origin the test passes as ?lago=...; an app would use its own path, e.g. "/lago/api/v1").
import { Component, signal } from "@angular/core";
import { CustomersApi, LagoError } from "lago-wasm";

@Component({
  selector: "app-root",
  template: `<pre id="out" [attr.data-done]="done() ? '' : null">{{ out() }}</pre>`,
})
export class App {
  protected readonly out = signal("loading");
  protected readonly done = signal(false);

  constructor() {
    run().then(
      (result) => this.out.set(JSON.stringify(result)),
      (e: unknown) => this.out.set(JSON.stringify({ failed: String(e) })),
    ).finally(() => this.done.set(true));
  }
}

async function run() {
  const lago = new URLSearchParams(location.search).get("lago") ?? "";
  const api = new CustomersApi({ baseUrl: `${lago}/proxy/api/v1` });
  const externalId = `angular-${Date.now()}`;
  const { customer } = await api.createCustomer({ customer: { external_id: externalId, name: "Angular", currency: "EUR" } });
  const found = await api.findCustomer(customer.external_id);
  const error = await api.findCustomer("nobody").catch((e: unknown) => e);
  return {
    created: customer.external_id === externalId,
    found: found.customer.name,
    error: error instanceof LagoError ? { kind: error.kind, status: error.status, code: error.code } : String(error),
  };
}
