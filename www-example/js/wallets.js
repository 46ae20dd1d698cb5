// A customer's prepaid-credit wallets and their balance (CustomerWalletsApi).
import { collect, walletsApi } from "./api.js";
import { pill, section } from "./section.js";
import { date, h, money, number } from "./ui.js";

/** The wallets card: one tile per wallet, its balance first. */
export function walletsCard(customer, signal) {
  const card = section("wallets", "Wallets");
  collect(walletsApi().listAllCustomerWallets(customer.external_id, { per_page: 50 }, { signal })).then((wallets) => {
    if (!wallets.length) return card.show(0, h("p", { class: "muted" }, "No wallets: this customer has no prepaid credits."));
    card.show(wallets.length, h("ul", { class: "wallets" }, wallets.map((w) => tile(w))));
  }, card.failed);
  return card.node;
}

function tile(w) {
  const credits = (value) => `${number(value)} credit${Number(value) === 1 ? "" : "s"}`;
  return h("li", { class: "wallet", dataset: { code: w.code ?? w.lago_id } },
    h("div", { class: "wallet-head" }, h("strong", {}, w.name || w.code), " ", h("span", { class: "badge" }, w.code), " ", pill(w.status)),
    h("div", { class: "wallet-balance", title: "Balance" }, money(w.balance_cents, w.currency)),
    h("div", { class: "muted wallet-credits" }, `${credits(w.credits_balance)} × ${number(w.rate_amount)} ${w.currency}`),
    h("dl", { class: "wallet-facts" },
      h("dt", {}, "Ongoing balance"), h("dd", {}, money(w.ongoing_balance_cents, w.currency)),
      h("dt", {}, "Consumed"), h("dd", {}, credits(w.consumed_credits)),
      h("dt", {}, "Expires"), h("dd", {}, w.expiration_at ? date(w.expiration_at) : "never")));
}
