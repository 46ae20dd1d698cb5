// A customer's invoices and credit notes, each list read in full through the SDK's pagers.
import { api, collect } from "./api.js";
import { pill, section, stat, table, totals } from "./section.js";
import { date, h, money } from "./ui.js";

const newestFirst = (a, b) => b.issuing_date.localeCompare(a.issuing_date) || (b.sequential_id ?? 0) - (a.sequential_id ?? 0);

/** The invoices card: what was invoiced, paid and still owed, then the invoices themselves. */
export function invoicesCard(customer, signal) {
  const card = section("invoices", "Invoices");
  collect(api().listAllCustomerInvoices(customer.external_id, { per_page: 50 }, { signal })).then((invoices) => {
    if (!invoices.length) return card.show(0, h("p", { class: "muted" }, "No invoices yet."));
    invoices.sort(newestFirst);
    const live = invoices.filter((i) => i.status === "finalized");
    const unpaid = live.filter((i) => i.payment_status !== "succeeded");
    const cents = (i) => i.total_amount_cents;
    const cur = (i) => i.currency;
    card.show(invoices.length,
      h("div", { class: "totals" },
        stat("Invoiced", totals(live, cents, cur, customer.currency)),
        stat("Paid", totals(live.filter((i) => i.payment_status === "succeeded"), cents, cur, customer.currency)),
        stat("Outstanding", totals(unpaid, cents, cur, customer.currency), true),
        stat("Overdue", totals(unpaid.filter((i) => i.payment_overdue), cents, cur, customer.currency))),
      table([
        { label: "Number", cell: (i) => h("span", { class: "mono" }, i.number) },
        { label: "Issued", cell: (i) => date(i.issuing_date) },
        { label: "Type", cell: (i) => i.invoice_type?.replaceAll("_", " ") },
        { label: "Status", cell: (i) => pill(i.status) },
        { label: "Payment", cell: (i) => [pill(i.payment_status), i.payment_overdue ? " " : null, i.payment_overdue ? pill("overdue") : null] },
        { label: "Due", cell: (i) => date(i.payment_due_date) },
        { label: "Amount", num: true, cell: (i) => money(i.total_amount_cents, i.currency) },
      ], invoices, (i) => i.lago_id, { limit: 8 }));
  }, card.failed);
  return card.node;
}

/** The credit notes card: each note, its invoice, what is left of it to spend or refund. */
export function creditNotesCard(customer, signal) {
  const card = section("credit-notes", "Credit notes");
  collect(api().listAllCustomerCreditNotes(customer.external_id, { per_page: 50 }, { signal })).then((notes) => {
    if (!notes.length) return card.show(0, h("p", { class: "muted" }, "No credit notes."));
    notes.sort(newestFirst);
    card.show(notes.length, table([
      { label: "Number", cell: (n) => h("span", { class: "mono" }, n.number) },
      { label: "Invoice", cell: (n) => h("span", { class: "mono" }, n.invoice_number) },
      { label: "Issued", cell: (n) => date(n.issuing_date) },
      { label: "Reason", cell: (n) => n.reason?.replaceAll("_", " ") },
      { label: "Credit", cell: (n) => pill(n.credit_status) },
      { label: "Refund", cell: (n) => pill(n.refund_status) },
      { label: "Amount", num: true, cell: (n) => money(n.total_amount_cents, n.currency) },
      { label: "Balance", num: true, cell: (n) => money(n.balance_amount_cents, n.currency) },
    ], notes, (n) => n.lago_id, { limit: 8 }));
  }, card.failed);
  return card.node;
}
