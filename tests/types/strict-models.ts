// The generated types (bodies, query objects) under exactOptionalPropertyTypes: optional fields
// take a maybe-undefined value, as query objects built from form fields or URL parameters do
// (TS2379 before the generator writes `| undefined`). Compiled by tests/node/types.test.mjs.
import { CustomersApi } from "lago-wasm";

declare const maybeString: string | undefined;
declare const maybeNumber: number | undefined;
declare const maybeBoolean: boolean | undefined;

const lago = new CustomersApi();

export async function queriesAndBodies(): Promise<void> {
  await lago.findAllCustomers({ search_term: maybeString, per_page: maybeNumber, page: maybeNumber });
  for await (const c of lago.listAllCustomers({ search_term: maybeString, per_page: maybeNumber })) void c;
  await lago.findCustomerCurrentUsage("acme", "sub_1", { apply_taxes: maybeBoolean, full_usage: maybeBoolean });
  await lago.findAllCustomerPastUsage("acme", "sub_1", { periods_count: maybeNumber, billable_metric_code: maybeString });
  await lago.createCustomer({ customer: { external_id: "acme", name: maybeString, email: maybeString, legal_name: maybeString } });
}
