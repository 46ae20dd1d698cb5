// How a TypeScript user calls lago-wasm: every operation, its options and results, read through
// the published types. Compiled (never run) by tests/node/types.test.mjs with `tsc --strict`
// against the installed tarball, once per module resolution.
import { CustomersApi, CustomerWalletsApi, EventsApi, Lago, LagoError, PlansApi, verifyWebhook } from "lago-wasm";
import type {
  AppliedCoupon,
  AppliedCouponResponse,
  Currency,
  Customer,
  CustomerCreateInput,
  CustomerPastUsage,
  CustomerResponse,
  CustomersApiOptions,
  CustomersPaginated,
  CustomerUsage,
  CustomerUsageResponse,
  EventCreated,
  EventCreatedResponse,
  EventsCreatedResponse,
  FindAllCustomersQuery,
  FindCustomerCurrentUsageQuery,
  GenerateCustomerCheckoutURL200Response,
  GetCustomerPortalUrl200Response,
  LagoErrorKind,
  LagoOptions,
  Plan,
  PlansPaginated,
  RequestOptions,
  Wallet,
  WalletTransactionsResponse,
  WalletAlert,
  WalletAlertResponse,
  WalletResponse,
} from "lago-wasm";

/** Compiles only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function same<A, B>(_: Equal<A, B>): void {}

const options: CustomersApiOptions = {
  apiKey: "sk_live_123",
  baseUrl: "https://api.eu.getlago.com/api/v1/",
  fetch: (input, init) => fetch(input, init),
  headers: { "x-request-source": "billing-worker" },
  timeoutMs: 10_000,
  maxRetries: 0,
};
const api = new CustomersApi(options);
new CustomersApi();
new CustomersApi({ fetch }); // the global fetch as is
new CustomersApi({ baseUrl: "/lago/api/v1" }); // a browser app behind its own proxy, no key

export async function everyOperation(signal: AbortSignal): Promise<void> {
  const perCall: RequestOptions = { signal, timeoutMs: 5_000, maxRetries: 1, headers: { "x-trace": "1" } };

  const input: CustomerCreateInput = {
    customer: { external_id: "acme", name: "Acme", currency: "EUR", country: "FR", email: "billing@acme.test" },
  };
  const created = await api.createCustomer(input, perCall);
  same<typeof created, CustomerResponse>(true);
  const externalId: string = created.customer.external_id;
  const lagoId: string = created.customer.lago_id;
  const currency: Currency | null | undefined = created.customer.currency;

  const found = await api.findCustomer(externalId, { signal });
  same<typeof found, CustomerResponse>(true);
  // Names that say what they hold: `Customer` is the customer, `CustomerResponse` the answer.
  const c: Customer = (await api.findCustomer("acme")).customer;
  same<typeof c, typeof found.customer>(true);

  const page = await api.findAllCustomers({ page: 2, per_page: 50, currencies: ["USD", "EUR"], search_term: "acme",
    countries: ["FR"], metadata: { is_synced: "true" }, customer_type: "company", account_type: ["customer"] });
  same<typeof page, CustomersPaginated>(true);
  const next: number | null | undefined = page.meta.next_page;
  const firstId: string | undefined = page.customers[0]?.external_id;
  await api.findAllCustomers();

  for await (const customer of api.listAllCustomers({ per_page: 100, currencies: ["USD"] }, { signal })) {
    same<typeof customer, Customer>(true);
    const id: string = customer.external_id;
    void id;
  }
  for await (const customer of api.listAllCustomers()) void customer.lago_id;

  const usageQuery: FindCustomerCurrentUsageQuery = { apply_taxes: false, group: { cloud: "aws" }, full_usage: true };
  const usage = await api.findCustomerCurrentUsage(externalId, "sub_1", usageQuery, perCall);
  same<typeof usage, CustomerUsageResponse>(true);
  const usageNow: CustomerUsage = usage.customer_usage;
  const metricCode: string = usage.customer_usage.charges_usage[0].billable_metric.code;
  const cents: number = usage.customer_usage.total_amount_cents;
  await api.findCustomerCurrentUsage(externalId, "sub_1");

  const past = await api.findAllCustomerPastUsage(externalId, "sub_1", { periods_count: 3, billable_metric_code: "cpu" });
  same<typeof past, CustomerPastUsage>(true);
  const pastCents: number | undefined = past.usage_periods[0]?.amount_cents;
  await api.findAllCustomerPastUsage(externalId, "sub_1", undefined, { maxRetries: 0 });

  const portal = await api.getCustomerPortalUrl(externalId);
  same<typeof portal, GetCustomerPortalUrl200Response>(true);
  const portalUrl: string = portal.customer.portal_url;

  const checkout = await api.generateCustomerCheckoutURL(externalId);
  same<typeof checkout, GenerateCustomerCheckoutURL200Response>(true);
  const checkoutUrl: string | undefined = checkout.customer.checkout_url;

  const coupon = await api.deleteAppliedCoupon(externalId, "applied_coupon_1");
  same<typeof coupon, AppliedCouponResponse>(true);
  const applied: AppliedCoupon = coupon.applied_coupon;
  const couponCode: string = coupon.applied_coupon.coupon_code;

  const destroyed = await api.destroyCustomer(externalId);
  same<typeof destroyed, CustomerResponse>(true);

  // The classes hold no wasm memory of their own (the shared wasm Core is freed by a
  // FinalizationRegistry), so there is nothing to free by hand.
  // @ts-expect-error no free() on an API class
  api.free();
  void [lagoId, currency, next, firstId, metricCode, cents, pastCents, portalUrl, checkoutUrl, couponCode, c, usageNow, applied];
}

// Wallets and events: each answer is `<X>Response`, the object inside is `<X>` (ANSWER_RENAMES).
export async function walletsAndEvents(wallets: CustomerWalletsApi, events: EventsApi): Promise<void> {
  const found = await wallets.findCustomerWallet("acme", "main");
  same<typeof found, WalletResponse>(true);
  const wallet: Wallet = found.wallet;
  const alert = await wallets.getCustomerWalletAlert("acme", "main", "low");
  same<typeof alert, WalletAlertResponse>(true);
  const low: WalletAlert = alert.alert;
  const sent = await events.createEvent({ event: { transaction_id: "t1", external_subscription_id: "s1", code: "cpu" } });
  same<typeof sent, EventCreatedResponse>(true);
  const event: EventCreated = sent.event;
  const batch = await events.createBatchEvents({ events: [{ transaction_id: "t2", external_subscription_id: "s1", code: "cpu" }] });
  same<typeof batch, EventsCreatedResponse>(true);
  const first: EventCreated | undefined = batch.events[0];
  void [wallet, low, event, first];
}

// Errors: narrowed with instanceof, then branched on `kind`, which is exhaustive.
export async function errorHandling(): Promise<string> {
  try {
    await api.findCustomer("nobody");
    return "found";
  } catch (err) {
    if (!(err instanceof LagoError)) throw err;
    same<typeof err.kind, LagoErrorKind>(true);
    const asError: Error = err;
    const base: { method: string; path: string; attempts: number; retryable: boolean } = err;
    void [asError, base];
    // The request's method, one of the five the operations use, or "" for an error about the
    // constructor's options (no request).
    same<typeof err.method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "">(true);
    switch (err.kind) {
      case "http": {
        const status: number | undefined = err.status;
        const code: string | undefined = err.code;
        const details: Record<string, unknown> | undefined = err.details;
        return `${status} ${code} ${JSON.stringify(details)} ${err.error ?? ""} ${String(err.body)}`;
      }
      case "network":
      case "timeout":
        return err.retryable ? `retry in ${err.retryAfterMs ?? 0} ms` : "give up";
      case "aborted":
        return "aborted";
      case "decode":
        return err.message;
      case "invalid_input":
        return `bad ${err.field ?? "?"}`;
      default: {
        const unreachable: never = err.kind;
        return unreachable;
      }
    }
  }
}

// A filter object typed on its own, then reused (a common pattern).
export const filters: FindAllCustomersQuery = { has_tax_identification_number: true, zipcodes: ["75001"] };

// A webhook route handler (the README's Next.js recipe): Headers in, the event narrowed by `valid`.
export async function webhookRoute(req: Request, publicKey: string): Promise<Response> {
  const rawBody = await req.text();
  const verified = await verifyWebhook({ headers: req.headers, rawBody, publicKey });
  if (!verified.valid) return new Response("bad signature", { status: 401 });
  const algorithm: "jwt" | "hmac" = verified.algorithm;
  const key: string | null = verified.uniqueKey;
  return Response.json({ type: verified.event.webhook_type, object: verified.event.object_type, algorithm, key });
}

// Node's `req.headers` (a plain object, arrays for repeats) and an event type of the user's own.
export async function fromNodeHeaders(headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<string | null> {
  const out = await verifyWebhook<{ webhook_type: "invoice.created"; invoice: { lago_id: string } }>({ headers, rawBody, hmacKey: "k" });
  const unknownAlgorithm: string | null = out.algorithm;
  return out.valid ? out.event.invoice.lago_id : unknownAlgorithm;
}

// The facade: one property per class (camelCase, no `Api`), typed as that class; the
// positional order of a method with path ids, required query values and a body.
export async function facade(lagoOptions: LagoOptions): Promise<number> {
  const lago = new Lago(lagoOptions);
  const plans: PlansApi = lago.plans;
  const page = await plans.findAllPlans({ per_page: 10 });
  same<typeof page, PlansPaginated>(true);
  for await (const plan of lago.plans.listAllPlans({ per_page: 10 })) same<typeof plan, Plan>(true);
  const usage = await lago.customers.findCustomerCurrentUsage("acme", "sub_1", { apply_taxes: false });
  same<typeof usage, CustomerUsageResponse>(true);
  const wallet = await lago.customerWallets.findCustomerWallet("acme", "main");
  same<typeof wallet, WalletResponse>(true);
  const txs = await lago.wallets.createWalletTransaction({ wallet_transaction: { wallet_id: "w", paid_credits: "10" } });
  same<typeof txs, WalletTransactionsResponse>(true);
  await lago.plans.updatePlan("starter", { plan: { name: "Starter" } });
  return page.plans.length + usage.customer_usage.amount_cents;
}
