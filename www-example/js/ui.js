// Small DOM helpers, the status area and formatting shared by the views.

/** `h("a", { href, class: "x", onclick }, "text", child)`: an element, its attributes and children. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

// The status area: loading notes, retry notices, successes and every failure, bottom right.
const area = () => document.getElementById("status");

function message(kind, text, detail) {
  const node = h("div", { class: `msg msg-${kind}` }, h("span", { class: "msg-text" }, text));
  if (detail) node.append(h("small", { class: "msg-detail" }, detail));
  area().append(node);
  // Keep the stack short: the oldest non-busy messages go first.
  const old = [...area().children].filter((n) => !n.classList.contains("msg-busy"));
  for (const n of old.slice(0, Math.max(0, old.length - 4))) n.remove();
  return node;
}

export const status = {
  /** A loading note; call `.done()` when finished. */
  busy(text) {
    const node = message("busy", text);
    return { done: () => node.remove(), update: (t) => (node.firstChild.textContent = t) };
  },
  /** A success or neutral note that fades after a few seconds. */
  info(text) {
    const node = message("info", text);
    setTimeout(() => node.remove(), 5000);
  },
  /** A failure: stays until dismissed (or pushed out by newer ones). */
  error(text, detail) {
    const node = message("error", text, detail);
    node.prepend(h("button", { class: "msg-close", type: "button", "aria-label": "Dismiss", onclick: () => node.remove() }, "×"));
  },
};

// Formatting.
const moneyFormats = new Map();
/** `amount_cents` (minor units) as money in `currency`, e.g. 123456 EUR -> "€1,234.56". */
export function money(cents, currency) {
  const code = currency || "USD";
  let f = moneyFormats.get(code);
  if (!f) {
    try {
      f = new Intl.NumberFormat("en", { style: "currency", currency: code });
    } catch {
      f = new Intl.NumberFormat("en", { style: "currency", currency: "USD" });
    }
    moneyFormats.set(code, f);
  }
  const digits = f.resolvedOptions().maximumFractionDigits;
  return f.format(Number(cents ?? 0) / 10 ** digits);
}

/** A compact money label for chart axes: "€1.2K". */
export function moneyShort(cents, currency) {
  const f = new Intl.NumberFormat("en", { style: "currency", currency: currency || "USD", notation: "compact", maximumFractionDigits: 1 });
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: currency || "USD" }).resolvedOptions().maximumFractionDigits;
  return f.format(Number(cents ?? 0) / 10 ** digits);
}

export const number = (value) => Number(value ?? 0).toLocaleString("en", { maximumFractionDigits: 2 });

export function date(iso, withTime = false) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString("en", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC", ...(withTime ? { hour: "2-digit", minute: "2-digit" } : {}) });
}

export const month = (iso) => new Date(iso).toLocaleDateString("en", { month: "short", year: "2-digit", timeZone: "UTC" });

const regions = new Intl.DisplayNames(["en"], { type: "region" });
/** "FR" -> "France" (the code itself when the browser does not know it). */
export function country(code) {
  if (!code) return "—";
  try {
    return regions.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Lago's error codes ("invalid_email_format") as words a person reads next to a field. */
const CODES = {
  invalid_email_format: "is not a valid email address",
  value_is_mandatory: "is required",
  value_already_exist: "is already used by another customer",
  value_is_invalid: "is not an accepted value",
  invalid_format: "has an invalid format",
  invalid_value: "is not an accepted value",
  value_is_too_long: "is too long",
  no_linked_payment_provider: "no payment provider is linked to this customer",
};
export const humanCode = (code) => CODES[code] ?? String(code).replaceAll("_", " ");
