// The usage card: the current period per charge against where it is heading (projected usage),
// and the past periods, for one subscription at a time.
import { api, describe, eventQueue, isAbort, LagoError, report } from "./api.js";
import { barChart, legend, PALETTE, stackedColumns } from "./charts.js";
import { stat } from "./section.js";
import { date, h, humanCode, money, moneyShort, month, number, status } from "./ui.js";

/** The usage card; `subscriptions` is the subscriptions card's promise (active ones first). */
export function usageCard(customer, subscriptions, signal) {
  const card = h("section", { class: "card", id: "usage" }, h("h2", {}, "Usage"), h("p", { class: "muted" }, "Loading usage…"));
  subscriptions.then((subs) => render(subs), (err) => (isAbort(err) ? null : render(null)));

  function render(subs) {
    // Without the list (the call failed), guess the demo's naming and let the user type another id.
    const known = (subs ?? []).map((s) => s.external_id);
    const active = (subs ?? []).filter((s) => s.status === "active").map((s) => s.external_id);
    if (subs && known.length === 0) {
      card.replaceChildren(h("h2", {}, "Usage"),
        h("p", { class: "muted", id: "no-subscription" }, "This customer has no subscription yet, so there is no usage to show. Usage appears here once a plan is assigned in Lago."));
      return;
    }
    const initial = active[0] ?? known[0] ?? `sub_${customer.external_id}_1`;
    const pick = known.length
      ? h("select", { "aria-label": "Subscription" }, known.map((s) => h("option", { value: s, selected: s === initial }, `${s}${active.includes(s) ? "" : " (not active)"}`)))
      : h("input", { value: initial, "aria-label": "Subscription external id", class: "mono" });
    const current = h("div", { class: "chart-box", id: "current-usage" });
    const past = h("div", { class: "chart-box", id: "past-usage" });
    const sender = eventsPanel(() => pick.value.trim(), () => load(pick.value.trim()));
    card.replaceChildren(
      h("div", { class: "title-row" }, h("h2", {}, "Usage"), h("label", { class: "inline" }, "Subscription ", pick)),
      sender,
      h("h3", {}, "Current period: so far and projected"), current,
      h("h3", {}, "Past periods"), past);
    pick.addEventListener("change", () => load(pick.value.trim()));
    load(initial);

    async function load(sub) {
      current.replaceChildren(h("p", { class: "muted" }, "Loading current usage…"));
      past.replaceChildren(h("p", { class: "muted" }, "Loading past usage…"));
      const busy = status.busy(`Loading usage of ${sub}…`);
      const [now, before] = await Promise.allSettled([
        currentPeriod(customer.external_id, sub, signal),
        api().findAllCustomerPastUsage(customer.external_id, sub, { periods_count: 12, per_page: 12 }, { signal }),
      ]);
      busy.done();
      if (now.status === "fulfilled") drawCurrent(current, now.value);
      else failed(current, now.reason, sub);
      if (before.status === "fulfilled") drawPast(past, before.value.usage_periods);
      else failed(past, before.reason, sub);
    }
  }
  return card;
}

/**
 * Buttons that send usage events for the chosen subscription through the event queue, as an
 * app would on each click; once they land, the current usage is drawn again.
 */
function eventsPanel(subscription, redraw) {
  const note = h("span", { class: "muted", id: "events-note" }, "Events go out in batches, within half a second.");
  const send = (code, units) => async () => {
    const queue = eventQueue();
    try {
      for (let i = 0; i < 10; i++) {
        queue.enqueue({ external_subscription_id: subscription(), code, properties: { units: String(units) } });
      }
    } catch (err) {
      return report(err, "Events not queued");
    }
    note.textContent = `${queue.size} events waiting…`;
    const { delivered, duplicates, failed } = await queue.flush();
    note.textContent = `Delivered ${delivered} events${duplicates ? `, ${duplicates} already there` : ""}${failed ? `, ${failed} refused` : ""}.`;
    redraw();
  };
  return h("div", { class: "events-panel", id: "send-events" },
    h("span", {}, "Send usage events: "),
    h("button", { type: "button", onclick: send("api_calls", 1000) }, "10 × 1,000 API calls"),
    h("button", { type: "button", onclick: send("seats", 1) }, "10 seats"),
    note);
}

/**
 * The current period with its projection; when Lago will not project (a plan without the
 * feature: 403, or any failure but "no such subscription"), the current usage alone.
 */
async function currentPeriod(customerId, sub, signal) {
  try {
    const { customer_projected_usage: usage } = await api().findCustomerProjectedUsage(customerId, sub, {}, { signal });
    return { usage, projected: true };
  } catch (err) {
    const noSuchSubscription = err instanceof LagoError && (err.status === 404 || err.status === 405);
    if (isAbort(err) || noSuchSubscription) throw err; // current usage would answer the same
    const { customer_usage: usage } = await api().findCustomerCurrentUsage(customerId, sub, {}, { signal });
    return { usage, projected: false, why: describe(err) };
  }
}

function failed(box, err, sub) {
  if (isAbort(err)) return;
  const expected = err instanceof LagoError && (err.status === 404 || err.status === 405);
  box.replaceChildren(h("p", { class: "notice warn" }, expected
    ? `No usage for subscription “${sub}”: ${err.code ? humanCode(err.code) : err.message}.`
    : `Usage unavailable: ${describe(err) ?? ""}`));
  if (!expected) report(err, "Could not load usage");
}

function drawCurrent(box, { usage, projected, why }) {
  const cur = usage.currency;
  const items = usage.charges_usage.map((c, i) => ({
    key: c.billable_metric.code,
    label: c.charge?.invoice_display_name || c.billable_metric.name,
    sublabel: `${number(c.units)}${projected ? ` → ${number(c.projected_units)}` : ""} units · ${number(c.events_count)} events`,
    value: Number(c.amount_cents),
    valueLabel: money(c.amount_cents, c.amount_currency ?? cur),
    projected: projected ? Number(c.projected_amount_cents) : undefined,
    projectedLabel: projected ? money(c.projected_amount_cents, c.amount_currency ?? cur) : undefined,
    color: PALETTE[i % PALETTE.length],
  }));
  box.replaceChildren(
    h("div", { class: "totals" },
      stat("Period", `${date(usage.from_datetime)} – ${date(usage.to_datetime)}`),
      stat("Usage so far", money(usage.amount_cents, cur)),
      projected ? stat("Projected by period end", money(usage.projected_amount_cents, cur), true) : null,
      stat("Taxes so far", money(usage.taxes_amount_cents, cur)),
      stat("Total so far", money(usage.total_amount_cents, cur), !projected)),
    items.length ? barChart(items, { title: projected ? "Usage per charge, so far and projected" : "Current usage per charge" }) : h("p", { class: "muted" }, "No charges in this period yet."),
    !projected ? h("p", { class: "muted" }, `No projection: ${why ?? ""}`)
      : items.length ? legend([{ label: "So far", color: "#64748b" }, { label: "Projected by the end of the period", color: "#64748b", pale: true }]) : null,
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
