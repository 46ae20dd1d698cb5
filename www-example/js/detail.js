// One customer: its fields, portal and checkout links and delete, then one card per thing Lago
// keeps about it (wallets, usage, subscriptions, invoices, credit notes, payments, payment
// requests, applied coupons), each loading and failing on its own.
import { api, describe, isAbort, LagoError, report } from "./api.js";
import { couponsCard } from "./coupons.js";
import { creditNotesCard, invoicesCard } from "./invoices.js";
import { paymentRequestsCard, paymentsCard } from "./payments.js";
import { subscriptionsCard } from "./subscriptions.js";
import { country, date, h, number, status } from "./ui.js";
import { usageCard } from "./usage.js";
import { walletsCard } from "./wallets.js";

export async function renderDetail(view, params, signal) {
  const id = params.get("id");
  const note = status.busy(`Loading customer ${id}…`);
  view.replaceChildren(h("p", { class: "muted" }, `Loading customer ${id}…`));
  let customer;
  try {
    ({ customer } = await api().findCustomer(id, { signal }));
  } catch (err) {
    if (isAbort(err)) return;
    const missing = err instanceof LagoError && err.status === 404;
    if (!missing) report(err, `Could not load customer ${id}`);
    view.replaceChildren(h("section", { class: "card" },
      h("h1", {}, missing ? "No such customer" : "Customer unavailable"),
      h("p", {}, missing ? `Lago has no customer with external id “${id}”.` : describe(err) ?? ""),
      h("p", {}, h("a", { href: "#/customers" }, "‹ Back to customers"), " ",
        missing ? null : h("button", { type: "button", class: "link", onclick: () => renderDetail(view, params, signal) }, "Try again"))));
    return;
  } finally {
    note.done();
  }

  const title = customer.name || [customer.firstname, customer.lastname].filter(Boolean).join(" ") || customer.external_id;
  const portal = h("span", { class: "muted" }, "Loading portal link…");
  const checkoutOut = h("div", { class: "checkout-out", "aria-live": "polite" });
  const checkout = h("button", { type: "button", class: "secondary", onclick: () => generateCheckout() }, "Generate checkout URL");
  const remove = h("button", { type: "button", class: "danger", onclick: () => destroy() }, "Delete customer");

  const subscriptions = subscriptionsCard(customer, signal);
  view.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "#/customers" }, "‹ Customers")),
    h("section", { class: "card" },
      h("div", { class: "title-row" },
        h("div", {}, h("h1", {}, title), h("div", { class: "muted mono" }, customer.external_id)),
        h("div", { class: "actions" }, checkout, remove)),
      checkoutOut,
      fieldsOf(customer),
      h("p", { class: "portal" }, "Customer portal: ", portal)),
    walletsCard(customer, signal),
    usageCard(customer, subscriptions.loaded, signal),
    subscriptions.node,
    invoicesCard(customer, signal),
    paymentsCard(customer, signal),
    paymentRequestsCard(customer, signal),
    creditNotesCard(customer, signal),
    couponsCard(customer, signal),
  );

  api().getCustomerPortalUrl(customer.external_id, { signal }).then(
    ({ customer: c }) => portal.replaceWith(h("a", { href: c.portal_url, target: "_blank", rel: "noopener", id: "portal-link" }, "Open the customer portal ↗")),
    (err) => {
      if (isAbort(err)) return;
      portal.textContent = "unavailable";
      report(err, "Could not get the portal URL");
    },
  );

  // ---- checkout and delete ----
  async function generateCheckout() {
    checkout.disabled = true;
    checkoutOut.replaceChildren(h("span", { class: "muted" }, "Asking Lago for a checkout URL…"));
    try {
      const { customer: c } = await api().generateCustomerCheckoutURL(customer.external_id, { signal });
      checkoutOut.replaceChildren(h("div", { class: "notice ok" }, `Checkout page (${c.payment_provider}): `,
        h("a", { href: c.checkout_url, target: "_blank", rel: "noopener" }, c.checkout_url)));
    } catch (err) {
      if (isAbort(err)) return;
      const base = err instanceof LagoError && err.status === 422 ? err.details?.base : null;
      if (Array.isArray(base) && base.includes("no_linked_payment_provider")) {
        checkoutOut.replaceChildren(h("div", { class: "notice warn" },
          h("strong", {}, "No payment provider is linked to this customer. "),
          "A checkout URL lets a customer register a payment method with Stripe, Adyen or GoCardless; link one to this customer in Lago first."));
      } else {
        checkoutOut.replaceChildren(h("div", { class: "notice error" }, `No checkout URL: ${describe(err) ?? ""}`));
        report(err, "Could not generate a checkout URL");
      }
    } finally {
      checkout.disabled = false;
    }
  }

  async function destroy() {
    if (!confirm(`Delete customer “${title}” (${customer.external_id})?\n\nLago deletes it for good.`)) return;
    remove.disabled = true;
    const busy = status.busy(`Deleting ${customer.external_id}…`);
    try {
      await api().destroyCustomer(customer.external_id, { signal });
      status.info(`Customer ${customer.external_id} deleted.`);
      location.hash = "#/customers";
    } catch (err) {
      if (!isAbort(err)) report(err, `Could not delete ${customer.external_id}`);
      remove.disabled = false;
    } finally {
      busy.done();
    }
  }
}

function fieldsOf(c) {
  const address = [c.address_line1, c.address_line2, [c.zipcode, c.city].filter(Boolean).join(" "), c.state].filter(Boolean).join(", ");
  const billing = c.billing_configuration ?? {};
  const rows = [
    ["Email", c.email],
    ["Phone", c.phone],
    ["Legal name", c.legal_name],
    ["Type", c.customer_type],
    ["Country", c.country ? country(c.country) : null],
    ["Address", address],
    ["Currency", c.currency],
    ["Timezone", c.timezone ?? c.applicable_timezone],
    ["Payment provider", billing.payment_provider ? `${billing.payment_provider}${billing.provider_customer_id ? ` (${billing.provider_customer_id})` : ""}` : "none"],
    ["Taxes", (c.taxes ?? []).map((t) => `${t.name} ${number(t.rate)}%`).join(", ")],
    ["Net payment term", c.net_payment_term != null ? `${c.net_payment_term} days` : null],
    ["Metadata", (c.metadata ?? []).map((m) => `${m.key}: ${m.value}`).join(", ")],
    ["Lago id", c.lago_id],
    ["Created", date(c.created_at, true)],
  ];
  return h("dl", { class: "fields" }, rows.filter(([, v]) => v).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}
