// The calls every Next.js runtime makes (browser, Node and edge route handlers), against the
// fake Lago server: one customer, a walk over every page, a 404 and a refused argument.
export async function scenario(lago, LagoError) {
  const out = {};
  out.found = (await lago.findCustomer("acme_corp")).customer.external_id;
  out.listed = 0;
  for await (const c of lago.listAllCustomers({ per_page: 10 })) if (c.external_id) out.listed++;
  const missing = await lago.findCustomer("nobody").catch((e) => e);
  out.error = { isLagoError: missing instanceof LagoError, kind: missing.kind, status: missing.status, code: missing.code };
  const invalid = await lago.findCustomer("..").catch((e) => e);
  out.invalid = { isLagoError: invalid instanceof LagoError, kind: invalid.kind };
  return out;
}
