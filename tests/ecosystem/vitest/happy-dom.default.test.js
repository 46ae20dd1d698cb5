// @vitest-environment happy-dom
// Vitest with happy-dom and no option: the SDK tells a test DOM from a browser page, so it prints
// nothing here either (a real browser page still gets the warning: secrets.test.mjs). One case
// per file: the SDK warns once per instance, and each file gets its own.
import { expect, test, vi } from "vitest";
import { CustomersApi } from "lago-wasm";

test("no warning by default in a test DOM", () => {
  expect(typeof document).toBe("object");
  const warn = vi.spyOn(console, "warn");
  new CustomersApi({ apiKey: process.env.LAGO_KEY, baseUrl: process.env.LAGO_URL });
  expect(warn).not.toHaveBeenCalled();
});
