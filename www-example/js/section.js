// The building blocks of the customer page's list cards: a card that loads on its own (so one
// failing call leaves the rest of the page working), a compact table, and status pills.
import { describe, isAbort, report } from "./api.js";
import { h, money } from "./ui.js";

/** A card `#id` titled `title`, "Loading…" until `show` or `failed` is called. */
export function section(id, title) {
  const node = h("section", { class: "card", id }, h("h2", {}, title), h("p", { class: "muted" }, `Loading ${title.toLowerCase()}…`));
  const heading = (count) => h("h2", {}, title, count == null ? null : h("span", { class: "count" }, String(count)));
  return {
    node,
    /** The loaded content, under the title and its item count. */
    show(count, ...children) {
      node.replaceChildren(heading(count), ...children);
    },
    failed(err) {
      if (isAbort(err)) return; // the user left the page
      node.replaceChildren(heading(), h("p", { class: "notice warn" }, `${title} unavailable: ${describe(err) ?? ""}`));
      report(err, `Could not load ${title.toLowerCase()}`);
    },
  };
}

/**
 * A table of `rows`, one `<tr data-id=key(row)>` each; `columns`: [{ label, cell(row), num }]
 * (`num`: right-aligned figures). Past `limit` rows, a button shows the rest: long histories
 * stay one click away without making the page endless.
 */
export function table(columns, rows, key, { limit = Infinity } = {}) {
  const tr = (row) => h("tr", { dataset: { id: key(row) } },
    columns.map((c) => h("td", { class: c.num ? "num" : null, dataset: { col: c.label.toLowerCase() } }, c.cell(row) ?? "—")));
  const body = h("tbody", {}, rows.slice(0, limit).map(tr));
  const wrap = h("div", { class: "table-wrap" }, h("table", { class: "list" },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { class: c.num ? "num" : null }, c.label)))), body));
  if (rows.length > limit) {
    const more = h("button", { type: "button", class: "link show-all", onclick: () => { body.append(...rows.slice(limit).map(tr)); more.remove(); } },
      `Show all ${rows.length}`);
    wrap.append(more);
  }
  return wrap;
}

// What each status means for the reader: settled, needs attention, waiting, or over.
const TONES = {
  active: "good", succeeded: "good", finalized: "good", available: "good",
  failed: "bad", overdue: "bad",
  pending: "wait", draft: "wait",
  terminated: "off", canceled: "off", voided: "off", consumed: "off",
};
/** A status as a coloured pill ("payment_overdue" reads "payment overdue"). */
export const pill = (value, label = value) =>
  value == null ? null : h("span", { class: `pill ${TONES[value] ?? ""}`, dataset: { status: value } }, String(label).replaceAll("_", " "));

/**
 * Sums of `cents(item)` per currency, as one readable string ("$1,200.00 + €30.00"); nothing
 * is zero in `fallback` (the customer's currency).
 */
export function totals(items, cents, currency, fallback) {
  const sums = new Map();
  for (const item of items) sums.set(currency(item), (sums.get(currency(item)) ?? 0) + Number(cents(item) ?? 0));
  if (sums.size === 0) return money(0, fallback);
  return [...sums].map(([cur, sum]) => money(sum, cur)).join(" + ");
}

/** A labelled figure, as in the usage totals. */
export const stat = (label, value, strong = false) =>
  h("div", { class: `stat${strong ? " strong" : ""}` }, h("small", {}, label), h("span", {}, value));
