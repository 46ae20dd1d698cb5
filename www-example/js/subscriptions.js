// A customer's subscriptions, every status: the usage card picks its subscription from them.
import { api, collect } from "./api.js";
import { pill, section, table } from "./section.js";
import { date, h, money } from "./ui.js";

// Without `status`, Lago lists only active subscriptions; the page shows the history too.
const EVERY_STATUS = ["active", "pending", "terminated", "canceled"];

/**
 * The subscriptions card, and a promise of the subscriptions (active first) for the usage card;
 * the promise rejects when the call fails (the card has said so already).
 */
export function subscriptionsCard(customer, signal) {
  const card = section("subscriptions", "Subscriptions");
  const loaded = collect(api().listAllCustomerSubscriptions(customer.external_id, { status: EVERY_STATUS, per_page: 50 }, { signal })).then((subs) => {
    subs.sort((a, b) => (a.status === "active" ? 0 : 1) - (b.status === "active" ? 0 : 1) || b.started_at?.localeCompare(a.started_at ?? "") || 0);
    if (!subs.length) {
      card.show(0, h("p", { class: "muted" }, "No subscriptions."));
      return subs;
    }
    card.show(subs.length, table([
      { label: "Plan", cell: (s) => [h("strong", {}, s.name || s.plan_code), " ", h("span", { class: "badge" }, s.plan_code)] },
      { label: "Subscription", cell: (s) => h("span", { class: "mono" }, s.external_id) },
      { label: "Status", cell: (s) => pill(s.status) },
      { label: "Started", cell: (s) => date(s.started_at ?? s.subscription_at) },
      { label: "Current period", cell: (s) => (s.status === "active" ? `${date(s.current_billing_period_started_at)} – ${date(s.current_billing_period_ending_at)}` : s.terminated_at ? `ended ${date(s.terminated_at)}` : null) },
      { label: "Plan fee", num: true, cell: (s) => (s.plan_amount_cents != null ? money(s.plan_amount_cents, s.plan_amount_currency) : null) },
    ], subs, (s) => s.external_id));
    return subs;
  });
  loaded.catch(card.failed);
  return { node: card.node, loaded };
}
