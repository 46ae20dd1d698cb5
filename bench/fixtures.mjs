// Deterministic response bodies shaped like Lago's (spec 1.51 `CustomerObjectExtended`, our
// `Customer`; `CustomersPaginated`; `CustomerUsage`, our `CustomerUsageResponse`;
// `InvoicesPaginated`; see ../shared/lago-openapi/CUSTOMERS.md),
// plus the upsert inputs that make the fake server hold the same 1,000 customers, and the
// createCustomer request body.
// No imports: the browser page loads this file too.

/** A small seeded PRNG (mulberry32), so every run serves byte-identical fixtures. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (r, n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join("");
const uuid = (r) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
const iso = (r, year) =>
  new Date(Date.UTC(year, Math.floor(r() * 12), 1 + Math.floor(r() * 28), Math.floor(r() * 24), Math.floor(r() * 60), Math.floor(r() * 60)))
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");

const CITIES = [
  ["Paris", "FR", "EUR", "Europe/Paris", "Île-de-France", "75011", "fr_vat"],
  ["Berlin", "DE", "EUR", "Europe/Berlin", "Berlin", "10115", "de_vat"],
  ["London", "GB", "GBP", "Europe/London", "Greater London", "EC1A 1BB", "gb_vat"],
  ["New York", "US", "USD", "America/New_York", "NY", "10001", null],
  ["San Francisco", "US", "USD", "America/Los_Angeles", "CA", "94107", null],
  ["Madrid", "ES", "EUR", "Europe/Madrid", "Madrid", "28001", "es_vat"],
  ["Amsterdam", "NL", "EUR", "Europe/Amsterdam", "Noord-Holland", "1012 AB", "nl_vat"],
  ["Sydney", "AU", "AUD", "Australia/Sydney", "NSW", "2000", "au_gst"],
];
const WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Tyrell", "Cyberdyne",
  "Soylent", "Wonka", "Gringotts", "Oscorp", "Aperture", "Massive", "Dynamic", "Northwind", "Contoso", "Fabrikam"];
const SUFFIX = ["Inc.", "SAS", "GmbH", "Ltd", "BV", "SL", "Pty Ltd", "LLC"];
const FIRST = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "John"];
const LAST = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Backus"];
const TAX_NAMES = { fr_vat: ["TVA", 20], de_vat: ["MwSt", 19], gb_vat: ["UK VAT", 20], es_vat: ["IVA", 21], nl_vat: ["BTW", 21], au_gst: ["GST", 10] };

/** The upsert input (`CustomerCreateInput.customer`) of bench customer `i`. */
export function customerInput(i) {
  const r = rng(1000 + i);
  const [city, country, currency, timezone, state, zipcode, tax] = CITIES[i % CITIES.length];
  const company = `${pick(r, WORDS)} ${pick(r, WORDS)} ${pick(r, SUFFIX)}`;
  const first = pick(r, FIRST);
  const last = pick(r, LAST);
  const slug = company.toLowerCase().replace(/[^a-z]+/g, "-").replace(/-+$/, "");
  return {
    external_id: `bench_cust_${String(i).padStart(3, "0")}`,
    name: company,
    firstname: first,
    lastname: last,
    legal_name: company,
    legal_number: `${Math.floor(r() * 1e9)}`,
    email: `billing@${slug}.example`,
    phone: `+1 555 ${String(Math.floor(r() * 1e7)).padStart(7, "0")}`,
    url: `https://${slug}.example`,
    logo_url: `https://${slug}.example/logo.png`,
    address_line1: `${1 + Math.floor(r() * 200)} ${pick(r, ["Main St", "Rue de Rivoli", "Hauptstraße", "High St"])}`,
    address_line2: `Suite ${1 + Math.floor(r() * 900)}`,
    city,
    state,
    zipcode,
    country,
    currency,
    timezone,
    account_type: "customer",
    customer_type: i % 3 ? "company" : "individual",
    tax_identification_number: `${country}${Math.floor(r() * 1e10)}`,
    net_payment_term: pick(r, [0, 15, 30, 45]),
    finalize_zero_amount_invoice: pick(r, ["inherit", "skip", "finalize"]),
    skip_invoice_custom_sections: false,
    billing_configuration: {
      invoice_grace_period: pick(r, [0, 3, 7]),
      payment_provider: "stripe",
      payment_provider_code: "stripe_prod",
      provider_customer_id: `cus_${hex(r, 14)}`,
      sync: true,
      sync_with_provider: true,
      document_locale: pick(r, ["en", "fr", "de", "es"]),
      provider_payment_methods: ["card", "sepa_debit"],
    },
    shipping_address: { address_line1: "1 Warehouse Way", address_line2: null, city, country, state, zipcode },
    metadata: [
      { key: "crm_id", value: `0018${hex(r, 14)}`, display_in_invoice: false },
      { key: "segment", value: pick(r, ["smb", "mid-market", "enterprise"]), display_in_invoice: true },
    ],
    tax_codes: tax ? [tax] : [],
  };
}

/** The `CustomerObjectExtended` Lago would send for bench customer `i`. */
export function customerObject(i) {
  const input = customerInput(i);
  const r = rng(5000 + i);
  const created = iso(r, 2024);
  const { tax_codes, metadata, billing_configuration, ...top } = input;
  return {
    lago_id: uuid(r),
    billing_entity_code: "acme_us",
    sequential_id: 1 + i,
    slug: `LAG-7A90-${String(1 + i).padStart(3, "0")}`,
    ...top,
    applicable_timezone: input.timezone,
    created_at: created,
    updated_at: iso(r, 2025),
    billing_configuration: {
      ...billing_configuration,
      subscription_invoice_issuing_date_anchor: null,
      subscription_invoice_issuing_date_adjustment: null,
    },
    metadata: metadata.map((m) => ({ lago_id: uuid(r), ...m, created_at: created })),
    integration_customers: [
      {
        lago_id: uuid(r),
        type: "netsuite",
        integration_code: "netsuite_prod",
        external_customer_id: `NS-${Math.floor(r() * 1e6)}`,
        sync_with_provider: true,
        subsidiary_id: "2",
        targeted_object: null,
        email: null,
      },
    ],
    taxes: tax_codes.map((code) => ({
      lago_id: uuid(r),
      name: TAX_NAMES[code][0],
      code,
      description: `${TAX_NAMES[code][0]} (${TAX_NAMES[code][1]}%)`,
      rate: TAX_NAMES[code][1],
      applied_to_organization: false,
      created_at: "2024-01-02T09:00:00Z",
    })),
    applicable_invoice_custom_sections: [
      {
        lago_id: uuid(r),
        name: "Bank details",
        code: "bank_details",
        description: "Where to wire payments",
        details: "IBAN FR76 3000 6000 0112 3456 7890 189",
        display_name: "Bank details",
        applied_to_organization: true,
        organization_id: "6a3b8c2e-0b1f-4a6e-9c1d-2f0e8a7b6c5d",
        created_at: "2024-01-02T09:00:00Z",
      },
    ],
    error_details: [],
    external_salesforce_id: null,
  };
}

const METRICS = [
  ["api_calls", "API calls", "sum_agg", "graduated"],
  ["storage_gb", "Storage (GB)", "max_agg", "volume"],
  ["seats", "Seats", "unique_count_agg", "standard"],
  ["emails_sent", "Emails sent", "count_agg", "package"],
  ["payments_volume", "Payments volume", "sum_agg", "percentage"],
  ["compute_hours", "Compute hours", "weighted_sum_agg", "graduated"],
];

/** A `CustomerUsage` with `charges` charges, each with its metric, charge, filters and groups. */
export function usageObject(charges) {
  const r = rng(77);
  let total = 0;
  const charges_usage = Array.from({ length: charges }, (_, i) => {
    const [code, name, aggregation_type, charge_model] = METRICS[i % METRICS.length];
    const units = Math.floor(r() * 100000);
    const amount = Math.floor(units * (1 + r() * 3));
    total += amount;
    const regions = ["us-east-1", "eu-west-1"];
    return {
      units: `${units}.0`,
      total_aggregated_units: `${units}.0`,
      events_count: Math.floor(units / 7) + 1,
      amount_cents: amount,
      amount_currency: "USD",
      pricing_unit_details: null,
      charge: { lago_id: uuid(r), charge_model, invoice_display_name: `${name} #${i}` },
      billable_metric: { lago_id: uuid(r), name: `${name} #${i}`, code: `${code}_${i}`, aggregation_type },
      filters: regions.map((region, k) => ({
        units: `${Math.floor(units / 2)}.0`,
        total_aggregated_units: `${Math.floor(units / 2)}.0`,
        amount_cents: Math.floor(amount / 2),
        events_count: Math.floor(units / 14) + k,
        invoice_display_name: `${name} (${region})`,
        pricing_unit_details: null,
        values: { region: [region] },
        presentation_breakdowns: [],
      })),
      grouped_usage: i % 4
        ? []
        : [{
            amount_cents: amount,
            events_count: Math.floor(units / 7) + 1,
            units: `${units}.0`,
            total_aggregated_units: `${units}.0`,
            pricing_unit_details: null,
            grouped_by: { cloud: "aws" },
            filters: [],
            presentation_breakdowns: [],
          }],
      presentation_breakdowns: [],
    };
  });
  const taxes = Math.round(total * 0.2);
  return {
    customer_usage: {
      from_datetime: "2026-11-01T00:00:00Z",
      to_datetime: "2026-11-30T23:59:59Z",
      issuing_date: "2026-12-01",
      lago_invoice_id: null,
      currency: "USD",
      amount_cents: total,
      taxes_amount_cents: taxes,
      total_amount_cents: total + taxes,
      charges_usage,
    },
  };
}

/**
 * An `InvoiceObject` as `GET /customers/{id}/invoices` lists it: the base fields, the customer
 * (`CustomerObject`: Lago's invoice serializer embeds it in lists), metadata, applied taxes,
 * custom sections and usage thresholds. Invoice `k` of bench customer `i`, issued monthly.
 */
export function invoiceObject(i, k) {
  const r = rng(9000 + i * 131 + k);
  const customer = customerObject(i);
  const { integration_customers, taxes, applicable_invoice_custom_sections, error_details, external_salesforce_id, ...plain } = customer;
  const tax = taxes[0];
  const fees = 1000 + Math.floor(r() * 500000);
  const coupons = k % 5 === 0 ? Math.floor(fees / 10) : 0;
  const excluding = fees - coupons;
  const taxCents = tax ? Math.round((excluding * tax.rate) / 100) : 0;
  const total = excluding + taxCents;
  const month = String(12 - (k % 12)).padStart(2, "0");
  const year = 2025 - Math.floor(k / 12);
  const issued = `${year}-${month}-01`;
  const lago_id = uuid(r);
  const payment_status = k === 0 ? "pending" : k === 3 ? "failed" : "succeeded";
  return {
    lago_id,
    billing_entity_code: "acme_us",
    sequential_id: 24 - k,
    number: `${customer.slug}-${String(24 - k).padStart(3, "0")}`,
    issuing_date: issued,
    payment_dispute_lost_at: null,
    payment_due_date: new Date(Date.parse(issued) + customer.net_payment_term * 86400000).toISOString().slice(0, 10),
    payment_overdue: payment_status !== "succeeded" && k > 0,
    net_payment_term: customer.net_payment_term,
    invoice_type: k % 7 === 6 ? "one_off" : "subscription",
    status: "finalized",
    payment_status,
    currency: customer.currency,
    fees_amount_cents: fees,
    coupons_amount_cents: coupons,
    credit_notes_amount_cents: 0,
    sub_total_excluding_taxes_amount_cents: excluding,
    taxes_amount_cents: taxCents,
    sub_total_including_taxes_amount_cents: total,
    prepaid_credit_amount_cents: 0,
    prepaid_granted_credit_amount_cents: 0,
    prepaid_purchased_credit_amount_cents: 0,
    progressive_billing_credit_amount_cents: 0,
    total_amount_cents: total,
    version_number: 4,
    self_billed: false,
    file_url: `https://lago.example/invoices/${lago_id}.pdf`,
    web_url: `https://billing.example/invoices/${lago_id}`,
    created_at: `${issued}T00:05:12Z`,
    updated_at: `${issued}T00:06:40Z`,
    customer: plain,
    metadata: [{ lago_id: uuid(r), key: "po_number", value: `PO-${year}-${String(k).padStart(4, "0")}`, created_at: `${issued}T00:05:12Z` }],
    applied_taxes: tax
      ? [{
          lago_id: uuid(r),
          lago_tax_id: tax.lago_id,
          tax_name: tax.name,
          tax_code: tax.code,
          tax_rate: tax.rate,
          tax_description: tax.description,
          amount_cents: taxCents,
          amount_currency: customer.currency,
          created_at: `${issued}T00:05:12Z`,
          lago_invoice_id: lago_id,
          fees_amount_cents: excluding,
        }]
      : [],
    applied_invoice_custom_sections: [{
      lago_id: uuid(r),
      lago_invoice_id: lago_id,
      code: "bank_details",
      details: "IBAN FR76 3000 6000 0112 3456 7890 189",
      display_name: "Bank details",
      created_at: `${issued}T00:05:12Z`,
    }],
    applied_usage_thresholds: [],
  };
}

/**
 * The `CustomerCreateInput` createCustomer sends: an upsert of one customer with name, email,
 * currency, address, billing configuration and metadata. `metadataIds`: the `id` of each metadata
 * entry as the server already holds it (an upsert that names them updates them in place, so
 * every call answers the same body; without them Lago mints new metadata ids on every call).
 */
export function createInput(metadataIds = []) {
  const { tax_codes, ...customer } = customerInput(CREATE_INDEX);
  return {
    customer: {
      ...customer,
      external_id: CREATE_ID,
      metadata: customer.metadata.map((m, k) => (metadataIds[k] ? { id: metadataIds[k], ...m } : m)),
      tax_codes,
    },
  };
}

export const PAGE_SIZE = 100;
export const BIG_PAGE_SIZE = 1000;
export const CHARGES = 200;
export const INVOICES = 20;
export const CUSTOMER_ID = "bench_cust_007";
export const SUBSCRIPTION_ID = "bench_sub_1";
export const CREATE_ID = "bench_new_001";
const CREATE_INDEX = 1001;

/** The customer body Lago answers createCustomer with, for `createInput(ids)`. */
function createdObject() {
  const customer = customerObject(CREATE_INDEX);
  customer.external_id = CREATE_ID;
  return customer;
}

/** The response texts the in-memory fetch answers with, and the createCustomer request body. */
export function fixtureTexts() {
  const customers = Array.from({ length: BIG_PAGE_SIZE }, (_, i) => customerObject(i));
  const created = createdObject();
  return {
    page: JSON.stringify({
      customers: customers.slice(0, PAGE_SIZE),
      meta: { current_page: 1, next_page: 2, prev_page: null, total_pages: 3, total_count: 250 },
    }),
    bigPage: JSON.stringify({
      customers,
      meta: { current_page: 1, next_page: 2, prev_page: null, total_pages: 3, total_count: 2500 },
    }),
    one: JSON.stringify({ customer: customers[7] }),
    usage: JSON.stringify(usageObject(CHARGES)),
    invoices: JSON.stringify({
      invoices: Array.from({ length: INVOICES }, (_, k) => invoiceObject(7, k)),
      meta: { current_page: 1, next_page: 2, prev_page: null, total_pages: 2, total_count: 24 },
    }),
    created: JSON.stringify({ customer: created }),
    createBody: JSON.stringify(createInput(created.metadata.map((m) => m.lago_id))),
  };
}
