// The "new customer" form. Its errors come from LagoError: `field` for what the SDK refused
// before sending (kind "invalid_input"), `details` for what Lago refused (422).
import { api, isAbort, LagoError, report } from "./api.js";
import { countries, currencies } from "./codes.js";
import { customerHref } from "./list.js";
import { h, humanCode, status } from "./ui.js";

const FIELDS = [
  { name: "external_id", label: "External id", required: true, hint: "Your own id for this customer. An existing id updates that customer (Lago's create is an upsert)." },
  { name: "name", label: "Name" },
  { name: "email", label: "Email", type: "email" },
  { name: "phone", label: "Phone", type: "tel" },
  { name: "currency", label: "Currency", options: () => currencies().map((c) => [c.code, `${c.code} · ${c.name}`]) },
  { name: "country", label: "Country", options: () => countries().map((c) => [c.code, c.name]) },
  { name: "customer_type", label: "Type", options: () => [["company", "Company"], ["individual", "Individual"]] },
  { name: "city", label: "City" },
  { name: "address_line1", label: "Address" },
  { name: "zipcode", label: "Zip code" },
];

export function renderForm(view, _params, signal) {
  const inputs = {};
  const errors = {};
  const formError = h("div", { class: "form-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "primary" }, "Create customer");

  const fields = FIELDS.map((f) => {
    const id = `f-${f.name}`;
    const input = f.options
      ? h("select", { id, name: f.name }, h("option", { value: "" }, "—"), f.options().map(([v, t]) => h("option", { value: v }, t)))
      : h("input", { id, name: f.name, type: f.type ?? "text", required: f.required, autocomplete: "off", spellcheck: "false" });
    inputs[f.name] = input;
    errors[f.name] = h("div", { class: "field-error", id: `${id}-error`, "aria-live": "polite" });
    input.setAttribute("aria-describedby", `${id}-error`);
    return h("div", { class: `field${f.name === "external_id" ? " wide" : ""}`, dataset: { field: f.name } },
      h("label", { for: id }, f.label, f.required ? h("span", { class: "req" }, " *") : null),
      input,
      f.hint ? h("small", { class: "hint" }, f.hint) : null,
      errors[f.name]);
  });

  const form = h("form", { class: "card form", novalidate: true },
    h("h1", {}, "New customer"),
    h("div", { class: "grid" }, fields),
    formError,
    h("div", { class: "row end" }, h("a", { href: "#/customers", class: "button ghost" }, "Cancel"), submit));
  view.replaceChildren(form);
  inputs.external_id.focus();

  function clearErrors() {
    formError.hidden = true;
    formError.textContent = "";
    for (const [name, node] of Object.entries(errors)) {
      node.textContent = "";
      inputs[name].removeAttribute("aria-invalid");
    }
  }

  /** Puts `text` next to field `name`, or in the form's own error box when there is no such field. */
  function fieldError(name, text) {
    if (errors[name]) {
      errors[name].textContent = text;
      inputs[name].setAttribute("aria-invalid", "true");
    } else {
      formError.hidden = false;
      formError.append(h("div", {}, name === "base" ? text : `${name}: ${text}`));
    }
  }

  function showError(err) {
    if (err instanceof LagoError && err.kind === "invalid_input" && err.field) {
      // e.g. field "customer.email": the SDK refused it before any request.
      fieldError(err.field.replace(/^customer\./, ""), err.message);
    } else if (err instanceof LagoError && err.status === 422 && err.details) {
      // e.g. details { email: ["invalid_email_format"] }: Lago refused it.
      for (const [name, codes] of Object.entries(err.details)) {
        const list = Array.isArray(codes) ? codes : [codes];
        const label = FIELDS.find((f) => f.name === name)?.label ?? name;
        fieldError(name, `${label} ${list.map(humanCode).join(", ")}.`);
      }
    } else {
      report(err, "Could not create the customer");
      fieldError("base", "The customer was not created; see the message at the bottom right.");
      return;
    }
    form.querySelector("[aria-invalid]")?.focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const customer = {};
    for (const f of FIELDS) {
      const value = inputs[f.name].value.trim();
      if (value) customer[f.name] = value;
    }
    if (!customer.external_id) return fieldError("external_id", "An external id is required.");
    submit.disabled = true;
    submit.textContent = "Creating…";
    const note = status.busy(`Creating customer ${customer.external_id}…`);
    try {
      const created = await api().createCustomer({ customer }, { signal });
      status.info(`Customer ${created.customer.external_id} saved.`);
      location.hash = customerHref(created.customer.external_id);
    } catch (err) {
      if (!isAbort(err)) showError(err);
    } finally {
      note.done();
      submit.disabled = false;
      submit.textContent = "Create customer";
    }
  });
}
