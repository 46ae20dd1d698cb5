// The CommonJS face (`require("lago-wasm")` → node/index.d.cts) under module: node16/nodenext.
import { CustomersApi, LagoError } from "lago-wasm";
import lago = require("lago-wasm");

const api = new lago.CustomersApi({ apiKey: "sk", maxRetries: 1 });

export async function viaRequire(): Promise<string> {
  try {
    const c = await api.findCustomer("acme");
    const id: string = c.customer.external_id;
    const usage = await new CustomersApi().findCustomerCurrentUsage(id, "sub_1");
    return usage.customer_usage.charges_usage[0].billable_metric.code;
  } catch (err) {
    if (err instanceof LagoError && err.kind === "http") return `${err.status}`;
    if (err instanceof lago.LagoError) return err.kind;
    throw err;
  }
}

// @ts-expect-error a number as the id, through require too
api.findCustomer(1);
// @ts-expect-error the body without its `customer` wrapper, through require too
api.createCustomer({ external_id: "acme" });
