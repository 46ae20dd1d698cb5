// A customer's applied coupons (listed by the SDK), each removable.
import { api, collect, isAbort, report } from "./api.js";
import { section } from "./section.js";
import { date, h, money, number, status } from "./ui.js";

/** The applied coupons card: the active ones, with a Remove button each. */
export function couponsCard(customer, signal) {
  const card = section("coupons", "Applied coupons");
  let coupons = [];
  const render = () => card.show(coupons.length, coupons.length
    ? h("ul", { class: "coupons" }, coupons.map((c) => row(c)))
    : h("p", { class: "muted", id: "no-coupons" }, "No active coupons."));
  collect(api().listAllCustomerAppliedCoupons(customer.external_id, { status: "active", per_page: 50 }, { signal }))
    .then((list) => { coupons = list; render(); }, card.failed);

  function row(c) {
    const value = c.percentage_rate != null ? `${number(c.percentage_rate)}% off`
      : c.amount_cents != null ? `${money(c.amount_cents, c.amount_currency ?? customer.currency)} off` : "";
    const left = c.frequency === "recurring" && c.frequency_duration_remaining != null ? ` · ${c.frequency_duration_remaining} periods left` : "";
    return h("li", { class: "coupon", dataset: { id: c.lago_id } },
      h("div", {}, h("strong", {}, c.coupon_name ?? c.coupon_code), " ", h("span", { class: "badge" }, c.coupon_code),
        h("div", { class: "muted" }, `${value} · ${c.frequency}${left} · applied ${date(c.created_at)}`)),
      h("button", { type: "button", class: "secondary small", onclick: (e) => remove(c, e.currentTarget) }, "Remove"));
  }

  async function remove(c, button) {
    button.disabled = true;
    const busy = status.busy(`Removing coupon ${c.coupon_name}…`);
    try {
      await api().deleteAppliedCoupon(customer.external_id, c.lago_id, { signal });
      status.info(`Coupon ${c.coupon_name} removed from ${customer.external_id}.`);
      coupons = coupons.filter((x) => x.lago_id !== c.lago_id);
      render();
    } catch (err) {
      if (!isAbort(err)) report(err, "Could not remove the coupon");
      button.disabled = false;
    } finally {
      busy.done();
    }
  }
  return card.node;
}
