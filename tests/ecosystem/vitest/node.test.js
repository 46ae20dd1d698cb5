// Vitest, node environment (the default): real calls to the fake Lago server.
import { expect, test } from "vitest";
import { CustomersApi, LagoError } from "lago-wasm";

const lago = new CustomersApi({ apiKey: process.env.LAGO_KEY, baseUrl: process.env.LAGO_URL });

test("finds a customer and reports a 404 as a LagoError", async () => {
  expect((await lago.findCustomer("acme_corp")).customer.external_id).toBe("acme_corp");
  const err = await lago.findCustomer("nobody").catch((e) => e);
  expect(err).toBeInstanceOf(LagoError);
  expect(err).toMatchObject({ kind: "http", status: 404, code: "customer_not_found" });
});

// The README's recipe for testing code that handles errors: a mocked client rejecting with a
// LagoError built by hand.
test("a LagoError built in a test behaves like one from the client", async () => {
  const fake = { findCustomer: () => Promise.reject(new LagoError("Lago 404 customer_not_found on GET /customers/x", { kind: "http", status: 404, code: "customer_not_found", method: "GET", path: "/customers/x", attempts: 1 })) };
  const err = await fake.findCustomer("x").catch((e) => e);
  expect(err).toBeInstanceOf(LagoError);
  expect(err).toBeInstanceOf(Error);
  expect(err).toMatchObject({ name: "LagoError", kind: "http", status: 404, retryable: false, attempts: 1 });
});
