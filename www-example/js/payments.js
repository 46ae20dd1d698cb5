// A customer's payments and payment requests, each list read in full through the SDK's pagers.
import { api, collect } from "./api.js";
import { pill, section, stat, table, totals } from "./section.js";
import { date, h, money } from "./ui.js";

const newestFirst = (a, b) => b.created_at.localeCompare(a.created_at);
const numbers = (list) => h("span", { class: "mono" }, list.join(", "));

/** The payments card: each payment, the invoices it settles, through which provider. */
export function paymentsCard(customer, signal) {
  const card = section("payments", "Payments");
  collect(api().listAllCustomerPayments(customer.external_id, { per_page: 50 }, { signal })).then((payments) => {
    if (!payments.length) return card.show(0, h("p", { class: "muted" }, "No payments recorded."));
    payments.sort(newestFirst);
    const settled = payments.filter((p) => p.payment_status === "succeeded");
    card.show(payments.length,
      h("div", { class: "totals" }, stat("Received", totals(settled, (p) => p.amount_cents, (p) => p.amount_currency, customer.currency), true)),
      table([
        { label: "Date", cell: (p) => date(p.created_at) },
        { label: "Invoices", cell: (p) => numbers(p.invoice_numbers ?? p.invoice_ids) },
        { label: "Via", cell: (p) => (p.type === "manual" ? "manual" : p.payment_provider_type) },
        { label: "Status", cell: (p) => pill(p.payment_status) },
        { label: "Amount", num: true, cell: (p) => money(p.amount_cents, p.amount_currency) },
      ], payments, (p) => p.lago_id, { limit: 6 }));
  }, card.failed);
  return card.node;
}

/** The payment requests card: what Lago asked the customer to pay, for which invoices. */
export function paymentRequestsCard(customer, signal) {
  const card = section("payment-requests", "Payment requests");
  collect(api().listAllCustomerPaymentRequests(customer.external_id, { per_page: 50 }, { signal })).then((requests) => {
    if (!requests.length) return card.show(0, h("p", { class: "muted" }, "No payment requests."));
    requests.sort(newestFirst);
    card.show(requests.length, table([
      { label: "Date", cell: (r) => date(r.created_at) },
      { label: "Invoices", cell: (r) => numbers(r.invoices.map((i) => i.number)) },
      { label: "Sent to", cell: (r) => r.email },
      { label: "Status", cell: (r) => pill(r.payment_status) },
      { label: "Amount", num: true, cell: (r) => money(r.amount_cents, r.amount_currency) },
    ], requests, (r) => r.lago_id, { limit: 6 }));
  }, card.failed);
  return card.node;
}
