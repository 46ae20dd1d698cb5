//! The two views. Each builds its own container first, then fills it as answers arrive, and
//! marks each section's `data-state` (`loading`, `done`, `error`) so that a reader, or a test,
//! knows when it is complete.

use lago_wasm::models::{CustomerUsage, Subscription};
use lago_wasm::{CallOptions, Client};
use web_sys::Element;

use crate::dom::{add, customer_link, row, set, show_error, table};
use crate::format::{customer_name, day, money, text};

/// Every customer, walked page by page with the lazy pager; rows appear as pages arrive.
pub async fn list(client: Client, call: CallOptions, root: Element) {
    let card = add(&root, "div", "card", "");
    let bar = add(&card, "div", "toolbar", "");
    add(&bar, "h1", "", "Customers");
    let summary = add(&bar, "span", "summary", "Loading…");
    set(&summary, "id", "list-summary");
    set(&card, "id", "customers");
    set(&card, "data-state", "loading");
    let tbody = table(
        &card,
        "customers",
        &["Name", "External ID", "Email", "Country", "Currency"],
    );

    let mut pager = client.list_all_customers().options(&call);
    let mut count = 0;
    while let Some(item) = pager.next().await {
        let c = match item {
            Ok(c) => c,
            Err(err) => return show_error(&card, &err),
        };
        let id = c.external_id.as_str();
        let tr = row(&tbody, &[]);
        set(&tr, "data-id", id);
        customer_link(&add(&tr, "td", "", ""), id, &customer_name(&c));
        add(&tr, "td", "mono", id);
        for value in [&c.email, &c.country, &c.currency] {
            add(&tr, "td", "", &text(value.as_deref()));
        }
        count += 1;
        summary.set_text_content(Some(&format!("Loading… {count} so far")));
    }
    let noun = if count == 1 { "customer" } else { "customers" };
    summary.set_text_content(Some(&format!("{count} {noun}")));
    set(&card, "data-state", "done");
}

/// One customer, then its subscriptions, then the current usage of each active one.
pub async fn detail(client: Client, call: CallOptions, root: Element, id: String) {
    customer_link(&add(&root, "p", "crumbs", ""), "", "‹ Customers");
    let card = add(&root, "div", "card", "");
    set(&card, "id", "customer");
    set(&card, "data-state", "loading");
    let title = add(&card, "h1", "", &id);
    let c = match client.find_customer(&id).options(&call).await {
        Ok(found) => found.customer,
        Err(err) => return show_error(&card, &err),
    };
    title.set_text_content(Some(&customer_name(&c)));
    let fields = add(&card, "dl", "fields", "");
    let provider = c
        .billing_configuration
        .value()
        .and_then(|b| b.payment_provider.value())
        .map(|p| p.as_str());
    for (label, value) in [
        ("External ID", Some(c.external_id.as_str())),
        ("Email", c.email.as_deref()),
        ("Currency", c.currency.as_deref()),
        ("Country", c.country.as_deref()),
        ("Payment provider", provider),
        ("Created", Some(day(c.created_at.as_deref())).as_deref()),
    ] {
        add(&fields, "dt", "", label);
        add(&fields, "dd", "", &text(value));
    }
    set(&card, "data-state", "done");

    let Some(active) = subscriptions(&client, &call, &root, &id).await else {
        return;
    };
    let usage = add(&root, "div", "card", "");
    set(&usage, "id", "usage");
    add(&usage, "h2", "", "Current usage");
    set(&usage, "data-state", "loading");
    if active.is_empty() {
        add(
            &usage,
            "p",
            "notice warn",
            "No active subscription, so no current usage.",
        );
    }
    for sub in &active {
        let sub_id = sub.external_id.as_deref().unwrap_or("");
        match client
            .find_customer_current_usage(&id, sub_id)
            .options(&call)
            .await
        {
            Ok(found) => show_usage(&usage, sub, &found.customer_usage),
            Err(err) => return show_error(&usage, &err),
        }
    }
    set(&usage, "data-state", "done");
}

/// The customer's subscriptions in every status, in a table; returns the active ones, `None`
/// after an error (shown).
async fn subscriptions(
    client: &Client,
    call: &CallOptions,
    root: &Element,
    id: &str,
) -> Option<Vec<Subscription>> {
    let card = add(root, "div", "card", "");
    set(&card, "id", "subscriptions");
    set(&card, "data-state", "loading");
    add(&card, "h2", "", "Subscriptions");
    let tbody = table(
        &card,
        "customers",
        &["Subscription", "Plan", "Status", "Started"],
    );
    // Without `status[]`, Lago lists only the active ones.
    let mut pager = client
        .list_all_customer_subscriptions(id)
        .status(["active", "pending", "terminated", "canceled"])
        .options(call);
    let mut active = Vec::new();
    while let Some(item) = pager.next().await {
        let sub = match item {
            Ok(sub) => sub,
            Err(err) => {
                show_error(&card, &err);
                return None;
            }
        };
        let status = sub.status.value().map(|s| s.as_str()).unwrap_or("—");
        let tr = row(
            &tbody,
            &[
                sub.external_id.as_deref().unwrap_or("—"),
                sub.plan_code.as_deref().unwrap_or("—"),
                status,
                &day(sub.started_at.as_deref()),
            ],
        );
        set(&tr, "data-id", sub.external_id.as_deref().unwrap_or(""));
        if status == "active" {
            active.push(sub);
        }
    }
    if tbody.child_element_count() == 0 {
        add(&card, "p", "muted", "No subscriptions.");
    }
    set(&card, "data-state", "done");
    Some(active)
}

/// One subscription's current period: its totals, then a row per charge.
fn show_usage(parent: &Element, sub: &Subscription, u: &CustomerUsage) {
    let section = add(parent, "section", "usage", "");
    let sub_id = sub.external_id.as_deref().unwrap_or("");
    set(&section, "data-subscription", sub_id);
    let (from, to) = (
        day(u.from_datetime.as_deref()),
        day(u.to_datetime.as_deref()),
    );
    let plan = sub.plan_code.as_deref().unwrap_or("—");
    add(
        &section,
        "h3",
        "",
        &format!("{sub_id} · {plan} · {from} → {to}"),
    );
    let currency = u.currency.as_deref().unwrap_or("");
    let totals = add(&section, "div", "totals", "");
    for (label, key, cents) in [
        ("Amount", "amount", &u.amount_cents),
        ("Taxes", "taxes", &u.taxes_amount_cents),
        ("Total", "total", &u.total_amount_cents),
    ] {
        let stat = add(&totals, "div", "stat", "");
        add(&stat, "small", "", label);
        let value = add(&stat, "strong", "", &money(cents.value(), currency));
        set(&value, "data-total", key);
        set(
            &value,
            "data-cents",
            &cents.value().map(|c| c.to_string()).unwrap_or_default(),
        );
    }
    let tbody = table(
        &section,
        "customers",
        &["Charge", "Code", "Units", "Amount"],
    );
    for charge in charges(u) {
        let metric = charge.billable_metric.value();
        let code = metric.and_then(|m| m.code.as_deref()).unwrap_or("");
        let name = metric.and_then(|m| m.name.as_deref()).unwrap_or(code);
        let units = charge
            .units
            .value()
            .map(|n| n.to_string())
            .unwrap_or_default();
        let amount = charge.amount_cents.value();
        let tr = row(&tbody, &[name, code, &units, &money(amount, currency)]);
        set(&tr, "data-code", code);
        set(
            &tr,
            "data-cents",
            &amount.map(|c| c.to_string()).unwrap_or_default(),
        );
    }
}

fn charges(u: &CustomerUsage) -> &[lago_wasm::models::CustomerChargeUsageObject] {
    u.charges_usage.value().map(Vec::as_slice).unwrap_or(&[])
}
