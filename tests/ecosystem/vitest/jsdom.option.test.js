// @vitest-environment jsdom
// Vitest with jsdom: a client with an apiKey (a test of server code run in a DOM environment)
// prints no browser-key warning when told not to, and still calls the fake Lago server. (One
// case per file: the SDK warns once per instance, and each file gets its own.)
import { afterEach, expect, test, vi } from "vitest";
import { CustomersApi, LagoError } from "lago-wasm";

afterEach(() => vi.restoreAllMocks());

test("warnOnBrowserKey: false prints no warning, and calls work", async () => {
  expect(typeof document).toBe("object"); // the environment is a DOM one
  const warn = vi.spyOn(console, "warn");
  const lago = new CustomersApi({ apiKey: process.env.LAGO_KEY, baseUrl: process.env.LAGO_URL, warnOnBrowserKey: false });
  expect((await lago.findCustomer("acme_corp")).customer.external_id).toBe("acme_corp");
  const err = await lago.findCustomer("nobody").catch((e) => e);
  expect(err).toBeInstanceOf(LagoError);
  expect(warn).not.toHaveBeenCalled();
});
