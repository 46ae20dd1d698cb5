// The customers list: search (`search_term`), page size, previous/next from `meta`.
import { api, isAbort, report } from "./api.js";
import { country, date, h, status } from "./ui.js";

const PAGE_SIZES = [10, 20, 50, 100];

export const customerHref = (externalId) => `#/customers/${encodeURIComponent(externalId)}`;

/** Renders the list into `view`; `params` come from the URL (`#/customers?q=&page=&per_page=`). */
export function renderList(view, params, signal) {
  const state = {
    q: params.get("q") ?? "",
    page: Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1),
    perPage: PAGE_SIZES.includes(Number(params.get("per_page"))) ? Number(params.get("per_page")) : 20,
  };

  const search = h("input", { type: "search", name: "search", placeholder: "Search by name, email or id…", value: state.q, "aria-label": "Search customers" });
  const perPage = h("select", { name: "per_page", "aria-label": "Customers per page" },
    PAGE_SIZES.map((n) => h("option", { value: n, selected: n === state.perPage }, `${n} per page`)));
  const rows = h("tbody", {}, h("tr", {}, h("td", { colspan: 6, class: "muted center" }, "Loading customers…")));
  const summary = h("span", { class: "summary", id: "list-summary" }, "");
  const prev = h("button", { type: "button", class: "ghost", disabled: true, "data-testid": "prev" }, "‹ Previous");
  const next = h("button", { type: "button", class: "ghost", disabled: true, "data-testid": "next" }, "Next ›");
  const table = h("table", { class: "customers" },
    h("thead", {}, h("tr", {}, ["Customer", "Email", "Country", "Currency", "Payment provider", "Created"].map((t) => h("th", {}, t)))),
    rows);

  view.replaceChildren(
    h("section", { class: "card" },
      h("div", { class: "toolbar" },
        h("h1", {}, "Customers"),
        search,
        perPage,
        h("a", { href: "#/new", class: "button primary" }, "+ New customer")),
      h("div", { class: "table-wrap" }, table),
      h("div", { class: "pager" }, prev, summary, next)),
  );

  let inflight = null; // the running request, aborted when a newer one starts
  async function load() {
    // Keep the address shareable without adding a history entry per keystroke.
    const query = new URLSearchParams({ ...(state.q ? { q: state.q } : {}), page: state.page, per_page: state.perPage });
    history.replaceState(null, "", `#/customers?${query}`);
    inflight?.abort();
    const controller = new AbortController();
    inflight = controller;
    signal.addEventListener("abort", () => controller.abort(), { once: true });
    table.classList.add("loading");
    const note = status.busy("Loading customers…");
    try {
      const { customers, meta } = await api().findAllCustomers(
        { page: state.page, per_page: state.perPage, search_term: state.q || undefined },
        { signal: controller.signal },
      );
      show(customers, meta);
    } catch (err) {
      if (isAbort(err)) return;
      report(err, "Could not load customers");
      rows.replaceChildren(h("tr", {}, h("td", { colspan: 6, class: "muted center" }, "Customers could not be loaded. ",
        h("button", { type: "button", class: "link", onclick: load }, "Try again"))));
    } finally {
      note.done();
      if (inflight === controller) table.classList.remove("loading");
    }
  }

  function show(customers, meta) {
    if (customers.length === 0) {
      rows.replaceChildren(h("tr", {}, h("td", { colspan: 6, class: "muted center empty" },
        state.q ? `No customers match “${state.q}”.` : "No customers yet.")));
    } else {
      rows.replaceChildren(...customers.map((c) => {
        const href = customerHref(c.external_id);
        const name = c.name || [c.firstname, c.lastname].filter(Boolean).join(" ") || c.external_id;
        return h("tr", { class: "clickable", dataset: { id: c.external_id }, onclick: (e) => { if (e.target.tagName !== "A") location.hash = href; } },
          h("td", {}, h("a", { href, class: "strong" }, name), h("div", { class: "muted mono" }, c.external_id)),
          h("td", {}, c.email ?? "—"),
          h("td", {}, country(c.country)),
          h("td", {}, c.currency ?? "—"),
          h("td", {}, c.billing_configuration?.payment_provider ?? h("span", { class: "muted" }, "none")),
          h("td", { class: "nowrap" }, date(c.created_at)));
      }));
    }
    const total = meta.total_count;
    summary.textContent = total === 0
      ? "0 customers"
      : `Page ${meta.current_page} of ${meta.total_pages} · ${total} customer${total === 1 ? "" : "s"}${state.q ? " found" : ""}`;
    prev.disabled = meta.prev_page == null;
    next.disabled = meta.next_page == null;
    prev.onclick = () => { state.page = meta.prev_page; load(); };
    next.onclick = () => { state.page = meta.next_page; load(); };
  }

  let debounce;
  search.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { state.q = search.value.trim(); state.page = 1; load(); }, 300);
  });
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { clearTimeout(debounce); state.q = search.value.trim(); state.page = 1; load(); }
  });
  perPage.addEventListener("change", () => { state.perPage = Number(perPage.value); state.page = 1; load(); });
  signal.addEventListener("abort", () => clearTimeout(debounce), { once: true });
  load();
}
