// Calls the types must refuse. Each `@ts-expect-error` makes tsc fail if the line below it
// compiles, so a passing `tsc` proves every one of these is an error.
import { CustomersApi, Lago, LagoError, verifyWebhook } from "lago-wasm";

const api = new CustomersApi();

export async function wrongCalls(): Promise<void> {
  // @ts-expect-error a number as the customer id
  await api.findCustomer(42);
  // @ts-expect-error a number as the id of destroyCustomer
  await api.destroyCustomer(7);
  // @ts-expect-error the body without its `customer` wrapper
  await api.createCustomer({ external_id: "acme" });
  // @ts-expect-error `customer.external_id` missing
  await api.createCustomer({ customer: { name: "Acme" } });
  // @ts-expect-error no body at all
  await api.createCustomer();
  // @ts-expect-error a currency that is not a string (enum types are open: any string goes)
  await api.createCustomer({ customer: { external_id: "acme", currency: 978 } });
  // @ts-expect-error a country that is not a string
  await api.createCustomer({ customer: { external_id: "acme", country: ["FR"] } });
  // @ts-expect-error current usage without the subscription id
  await api.findCustomerCurrentUsage("acme");
  // @ts-expect-error past usage without the subscription id
  await api.findAllCustomerPastUsage("acme");
  // @ts-expect-error the subscription id as a number
  await api.findCustomerCurrentUsage("acme", 1);
  // @ts-expect-error deleteAppliedCoupon without the applied coupon id
  await api.deleteAppliedCoupon("acme");
  // @ts-expect-error an unknown per-call option
  await api.findCustomer("acme", { retries: 3 });
  // @ts-expect-error timeoutMs as a string, per call
  await api.findCustomer("acme", { timeoutMs: "1" });
  // @ts-expect-error a query field that is not the wire name (camelCase)
  await api.findAllCustomers({ perPage: 10 });
  // @ts-expect-error currencies as one string instead of an array
  await api.findAllCustomers({ currencies: "USD" });
  // @ts-expect-error a currency filter of numbers
  await api.findAllCustomers({ currencies: [978] });
  // @ts-expect-error a result field that does not exist (camelCase)
  (await api.findCustomer("acme")).customer.externalId;
  // @ts-expect-error the result is wrapped: `external_id` lives under `customer`
  (await api.findCustomer("acme")).external_id;
  // @ts-expect-error usage amounts are numbers, not strings
  const cents: string = (await api.findCustomerCurrentUsage("acme", "sub")).customer_usage.amount_cents;
  void cents;
  // @ts-expect-error listAllCustomers is an async iterable, not an array
  api.listAllCustomers().map((c) => c);
}

// @ts-expect-error timeoutMs as a string, on the client
new CustomersApi({ timeoutMs: "1" });
// @ts-expect-error an unknown client option
new CustomersApi({ apikey: "sk" });
// @ts-expect-error maxRetries as a boolean
new CustomersApi({ maxRetries: true });
// @ts-expect-error headers must be strings
new CustomersApi({ headers: { "x-n": 1 } });

export function wrongErrorUse(err: unknown): void {
  // @ts-expect-error `kind` is unknown until narrowed with instanceof
  err.kind;
  if (err instanceof LagoError) {
    // @ts-expect-error not a kind LagoError has
    if (err.kind === "server") return;
    // @ts-expect-error the fields are read-only
    err.status = 500;
    // @ts-expect-error not a method any operation uses
    if (err.method === "OPTIONS") return;
  }
  // @ts-expect-error a LagoError built by hand needs its fields (at least `kind`)
  new LagoError("x");
}

export async function wrongWebhooks(): Promise<void> {
  // @ts-expect-error the parsed body instead of the raw text
  await verifyWebhook({ headers: {}, rawBody: { webhook_type: "x" } });
  // @ts-expect-error no rawBody
  await verifyWebhook({ headers: {} });
  // @ts-expect-error headers as a string
  await verifyWebhook({ headers: "x-lago-signature: x", rawBody: "" });
  const out = await verifyWebhook({ headers: {}, rawBody: "", hmacKey: "k" });
  // @ts-expect-error the event is null until `valid` is checked
  out.event.webhook_type;

  const lago = new Lago({ apiKey: "sk" });
  // @ts-expect-error the facade's properties drop `Api`
  lago.customersApi;
  // @ts-expect-error the required query value (external_subscription_id) is positional
  await lago.customers.findCustomerCurrentUsage("acme");
  // @ts-expect-error path ids come first, then the body
  await lago.plans.updatePlan({ plan: { name: "x" } }, "starter");
  // @ts-expect-error a method of another class
  await lago.plans.findCustomer("acme");
  // @ts-expect-error a list without per_page has no listAll twin
  lago.analytics.listAllMrrs();
}
