// One customer: fields, current and past usage charts, portal and checkout links, applied
// coupons, delete.
import { adminData, api, describe, isAbort, LagoError, report } from "./api.js";
import { barChart, legend, PALETTE, stackedColumns } from "./charts.js";
import { country, date, h, humanCode, money, moneyShort, month, number, status } from "./ui.js";

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
  const usageCard = h("section", { class: "card", id: "usage" }, h("h2", {}, "Usage"), h("p", { class: "muted" }, "Loading usage…"));
  const couponsCard = h("section", { class: "card", id: "coupons" }, h("h2", {}, "Applied coupons"), h("p", { class: "muted" }, "Loading coupons…"));
  const portal = h("span", { class: "muted" }, "Loading portal link…");
  const checkoutOut = h("div", { class: "checkout-out", "aria-live": "polite" });
  const checkout = h("button", { type: "button", class: "secondary", onclick: () => generateCheckout() }, "Generate checkout URL");
  const remove = h("button", { type: "button", class: "danger", onclick: () => destroy() }, "Delete customer");

  view.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "#/customers" }, "‹ Customers")),
    h("section", { class: "card" },
      h("div", { class: "title-row" },
        h("div", {}, h("h1", {}, title), h("div", { class: "muted mono" }, customer.external_id)),
        h("div", { class: "actions" }, checkout, remove)),
      checkoutOut,
      fieldsOf(customer),
      h("p", { class: "portal" }, "Customer portal: ", portal)),
    usageCard,
    couponsCard,
  );

  // Portal link, admin data (coupons, subscriptions): in parallel, each failing on its own.
  api().getCustomerPortalUrl(customer.external_id, { signal }).then(
    ({ customer: c }) => portal.replaceWith(h("a", { href: c.portal_url, target: "_blank", rel: "noopener", id: "portal-link" }, "Open the customer portal ↗")),
    (err) => {
      if (isAbort(err)) return;
      portal.textContent = "unavailable";
      report(err, "Could not get the portal URL");
    },
  );
  let admin = null;
  try {
    admin = await adminData(customer.external_id, signal);
  } catch {
    return; // aborted: the user left
  }
  renderCoupons(admin?.coupons ?? null);
  renderUsage(admin?.subscriptions ?? null);

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

  // ---- coupons ----
  function renderCoupons(coupons) {
    const body = [h("h2", {}, "Applied coupons")];
    if (coupons === null) {
      body.push(h("p", { class: "muted" }, "This server does not list applied coupons (Lago's Customers API has no such call). Remove one by its Lago id:"));
    } else if (coupons.length === 0) {
      body.push(h("p", { class: "muted", id: "no-coupons" }, "No active coupons."));
    } else {
      body.push(h("ul", { class: "coupons" }, coupons.map((c) => couponRow(c))));
    }
    if (coupons === null) {
      const input = h("input", { placeholder: "applied coupon id (uuid)", "aria-label": "Applied coupon id", class: "mono" });
      body.push(h("form", { class: "row", onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) removeCoupon({ lago_id: input.value.trim(), coupon_name: input.value.trim() }); } },
        input, h("button", { class: "secondary" }, "Remove coupon")));
    }
    couponsCard.replaceChildren(...body);
  }

  function couponRow(c) {
    const value = c.percentage_rate != null ? `${number(c.percentage_rate)}% off`
      : c.amount_cents != null ? `${money(c.amount_cents, c.amount_currency ?? customer.currency)} off` : "";
    const left = c.frequency === "recurring" && c.frequency_duration_remaining != null ? ` · ${c.frequency_duration_remaining} periods left` : "";
    return h("li", { class: "coupon", dataset: { id: c.lago_id } },
      h("div", {}, h("strong", {}, c.coupon_name ?? c.coupon_code), " ", h("span", { class: "badge" }, c.coupon_code),
        h("div", { class: "muted" }, `${value} · ${c.frequency}${left} · applied ${date(c.created_at)}`)),
      h("button", { type: "button", class: "secondary small", onclick: (e) => removeCoupon(c, e.currentTarget) }, "Remove"));
  }

  async function removeCoupon(c, button) {
    if (button) button.disabled = true;
    const busy = status.busy(`Removing coupon ${c.coupon_name}…`);
    try {
      await api().deleteAppliedCoupon(customer.external_id, c.lago_id, { signal });
      status.info(`Coupon ${c.coupon_name} removed from ${customer.external_id}.`);
      const row = couponsCard.querySelector(`li[data-id="${CSS.escape(c.lago_id)}"]`);
      row?.remove();
      if (row && !couponsCard.querySelector("li.coupon")) renderCoupons([]);
    } catch (err) {
      if (!isAbort(err)) report(err, "Could not remove the coupon");
      if (button) button.disabled = false;
    } finally {
      busy.done();
    }
  }

  // ---- usage ----
  function renderUsage(subscriptions) {
    // Lago's Customers API does not list subscriptions: the fake's admin data does; otherwise
    // guess the demo's naming and let the user type another id.
    const known = (subscriptions ?? []).map((s) => s.external_id);
    const active = (subscriptions ?? []).filter((s) => s.status === "active").map((s) => s.external_id);
    if (subscriptions && known.length === 0) {
      usageCard.replaceChildren(h("h2", {}, "Usage"),
        h("p", { class: "muted", id: "no-subscription" }, "This customer has no subscription yet, so there is no usage to show. Usage appears here once a plan is assigned in Lago."));
      return;
    }
    const initial = active[0] ?? known[0] ?? `sub_${customer.external_id}_1`;
    const pick = known.length
      ? h("select", { "aria-label": "Subscription" }, known.map((s) => h("option", { value: s, selected: s === initial }, `${s}${active.includes(s) ? "" : " (terminated)"}`)))
      : h("input", { value: initial, "aria-label": "Subscription external id", class: "mono" });
    const current = h("div", { class: "chart-box", id: "current-usage" });
    const past = h("div", { class: "chart-box", id: "past-usage" });
    usageCard.replaceChildren(
      h("div", { class: "title-row" }, h("h2", {}, "Usage"), h("label", { class: "inline" }, "Subscription ", pick)),
      h("h3", {}, "Current period"), current,
      h("h3", {}, "Past periods"), past);
    pick.addEventListener("change", () => loadUsage(pick.value.trim()));
    loadUsage(initial);

    async function loadUsage(sub) {
      current.replaceChildren(h("p", { class: "muted" }, "Loading current usage…"));
      past.replaceChildren(h("p", { class: "muted" }, "Loading past usage…"));
      const busy = status.busy(`Loading usage of ${sub}…`);
      const [now, before] = await Promise.allSettled([
        api().findCustomerCurrentUsage(customer.external_id, sub, {}, { signal }),
        api().findAllCustomerPastUsage(customer.external_id, sub, { periods_count: 12, per_page: 12 }, { signal }),
      ]);
      busy.done();
      if (now.status === "fulfilled") drawCurrent(current, now.value.customer_usage);
      else usageFailed(current, now.reason, sub);
      if (before.status === "fulfilled") drawPast(past, before.value.usage_periods);
      else usageFailed(past, before.reason, sub);
    }
  }

  function usageFailed(box, err, sub) {
    if (isAbort(err)) return;
    const expected = err instanceof LagoError && (err.status === 404 || err.status === 405);
    box.replaceChildren(h("p", { class: "notice warn" }, expected
      ? `No usage for subscription “${sub}”: ${err.code ? humanCode(err.code) : err.message}.`
      : `Usage unavailable: ${describe(err) ?? ""}`));
    if (!expected) report(err, "Could not load usage");
  }
}

function drawCurrent(box, usage) {
  const cur = usage.currency;
  const items = usage.charges_usage.map((c, i) => ({
    label: c.charge?.invoice_display_name || c.billable_metric.name,
    sublabel: `${number(c.units)} units · ${number(c.events_count)} events`,
    value: Number(c.amount_cents),
    valueLabel: money(c.amount_cents, c.amount_currency ?? cur),
    color: PALETTE[i % PALETTE.length],
  }));
  box.replaceChildren(
    h("div", { class: "totals" },
      stat("Period", `${date(usage.from_datetime)} – ${date(usage.to_datetime)}`),
      stat("Usage", money(usage.amount_cents, cur)),
      stat("Taxes", money(usage.taxes_amount_cents, cur)),
      stat("Total so far", money(usage.total_amount_cents, cur), true)),
    items.length ? barChart(items, { title: "Current usage per charge" }) : h("p", { class: "muted" }, "No charges in this period yet."),
  );
}

function drawPast(box, periods) {
  if (!periods.length) return box.replaceChildren(h("p", { class: "muted" }, "No past periods yet."));
  const ordered = [...periods].sort((a, b) => a.from_datetime.localeCompare(b.from_datetime));
  const cur = ordered[0].currency ?? ordered[0].charges_usage[0]?.amount_currency;
  const series = [];
  for (const p of ordered) {
    for (const c of p.charges_usage) {
      if (!series.some((s) => s.key === c.billable_metric.code)) {
        series.push({ key: c.billable_metric.code, label: c.billable_metric.name, color: PALETTE[series.length % PALETTE.length] });
      }
    }
  }
  const columns = ordered.map((p) => ({
    label: month(p.from_datetime),
    title: `${date(p.from_datetime)} – ${date(p.to_datetime)} (total ${money(p.total_amount_cents, cur)} with taxes)`,
    values: Object.fromEntries(p.charges_usage.map((c) => [c.billable_metric.code, Number(c.amount_cents)])),
  }));
  const sum = ordered.reduce((s, p) => s + Number(p.amount_cents), 0);
  box.replaceChildren(
    h("div", { class: "totals" },
      stat("Periods", String(ordered.length)),
      stat("Usage over these periods", money(sum, cur)),
      stat("Average per period", money(Math.round(sum / ordered.length), cur))),
    stackedColumns(columns, series, { title: "Usage per past period, by billable metric", format: (v) => money(v, cur), formatAxis: (v) => moneyShort(v, cur) }),
    legend(series),
  );
}

const stat = (label, value, strong = false) =>
  h("div", { class: `stat${strong ? " strong" : ""}` }, h("small", {}, label), h("span", {}, value));

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
