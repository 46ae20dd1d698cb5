//! The deterministic seed: 36 customers across 20 countries, with subscriptions, taxes,
//! metadata, payment providers and a few applied coupons, so an example app looks alive.
//!
//! Fixed handles for tests: `acme_corp` (stripe, listed first, subscriptions `sub_acme_corp_1`
//! active and `sub_acme_corp_2` terminated, applied coupons [`ACME_COUPON_ID`] and
//! [`ACME_SECOND_COUPON_ID`]) and `initech` (no payment provider).

use crate::store::{Store, TAXES};
use crate::usage::Subscription;
use crate::util::{days_from_civil, hash_str, mix, rfc3339, uuid_from};
use serde_json::{json, Map, Value};

/// A Stripe customer whose checkout fails like a Stripe account with a revoked key does:
/// `401 {"status":401,"error":"Stripe authentication failed. ..."}` (not about the Lago key).
pub const STRIPE_AUTH_FAILS: &str = "dublin_devworks";

/// `acme_corp`'s "startup_deal" applied coupon (10% off, recurring).
pub const ACME_COUPON_ID: &str = "a11ed000-c0de-4000-8000-000000000001";
/// `acme_corp`'s "welcome_credit" applied coupon (fixed amount, once).
pub const ACME_SECOND_COUPON_ID: &str = "a11ed000-c0de-4000-8000-000000000002";

/// external_id, company ("" for an individual), first name, last name, email, country,
/// currency, timezone, city, payment provider ("" for none). Listed newest first.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const ROWS: [Row; 36] = [
    ("acme_corp", "Acme Corporation", "Wile", "Coyote", "billing@acme.example", "US", "USD", "America/Los_Angeles", "Los Angeles", "stripe"),
    ("globex", "Globex Corporation", "Hank", "Scorpio", "ap@globex.example", "US", "USD", "America/New_York", "New York", "stripe"),
    ("initech", "Initech LLC", "Bill", "Lumbergh", "finance@initech.example", "US", "USD", "America/Chicago", "Austin", ""),
    ("petit_atelier", "Le Petit Atelier SARL", "Camille", "Dubois", "compta@petitatelier.example", "FR", "EUR", "Europe/Paris", "Lyon", "gocardless"),
    ("lucas_martin", "", "Lucas", "Martin", "lucas.martin@mail.example", "FR", "EUR", "Europe/Paris", "Bordeaux", ""),
    ("nordwind", "Nordwind GmbH", "Jonas", "Becker", "rechnung@nordwind.example", "DE", "EUR", "Europe/Berlin", "Hamburg", "adyen"),
    ("klara_schmidt", "", "Klara", "Schmidt", "klara.schmidt@post.example", "DE", "EUR", "Europe/Berlin", "München", ""),
    ("thames_analytics", "Thames Analytics Ltd", "Oliver", "Hughes", "accounts@thames.example", "GB", "GBP", "Europe/London", "London", "stripe"),
    ("harriet_evans", "", "Harriet", "Evans", "harriet.evans@mail.example", "GB", "GBP", "Europe/London", "Manchester", "gocardless"),
    ("sol_y_mar", "Sol y Mar Viajes SL", "Lucía", "García", "facturas@solymar.example", "ES", "EUR", "Europe/Madrid", "Valencia", "adyen"),
    ("diego_fernandez", "", "Diego", "Fernández", "diego.fernandez@correo.example", "ES", "EUR", "Europe/Madrid", "Sevilla", ""),
    ("tulip_logistics", "Tulip Logistics B.V.", "Sanne", "de Vries", "finance@tulip.example", "NL", "EUR", "Europe/Amsterdam", "Rotterdam", "stripe"),
    ("maple_leaf_labs", "Maple Leaf Labs Inc.", "Emma", "Tremblay", "billing@mapleleaf.example", "CA", "CAD", "America/Halifax", "Halifax", "stripe"),
    ("noah_wilson", "", "Noah", "Wilson", "noah.wilson@mail.example", "CA", "CAD", "America/Regina", "Regina", ""),
    ("samba_digital", "Samba Digital Ltda.", "Beatriz", "Souza", "financeiro@samba.example", "BR", "BRL", "America/Sao_Paulo", "São Paulo", "stripe"),
    ("rafael_oliveira", "", "Rafael", "Oliveira", "rafael.oliveira@mail.example", "BR", "BRL", "America/Sao_Paulo", "Rio de Janeiro", ""),
    ("sakura_robotics", "Sakura Robotics K.K.", "Haruto", "Sato", "keiri@sakura.example", "JP", "JPY", "Asia/Tokyo", "Tokyo", "adyen"),
    ("yui_tanaka", "", "Yui", "Tanaka", "yui.tanaka@mail.example", "JP", "JPY", "Asia/Tokyo", "Osaka", ""),
    ("outback_solar", "Outback Solar Pty Ltd", "Jack", "Thompson", "accounts@outbacksolar.example", "AU", "AUD", "Australia/Sydney", "Sydney", "stripe"),
    ("chloe_nguyen", "", "Chloe", "Nguyen", "chloe.nguyen@mail.example", "AU", "AUD", "Australia/Melbourne", "Melbourne", ""),
    ("baltic_design", "Baltic Design AB", "Elsa", "Lindqvist", "faktura@balticdesign.example", "SE", "SEK", "Europe/Stockholm", "Stockholm", "gocardless"),
    ("alpine_ventures", "Alpine Ventures AG", "Lukas", "Meier", "buchhaltung@alpine.example", "CH", "CHF", "Europe/Zurich", "Zürich", "stripe"),
    ("roma_foods", "Roma Foods S.r.l.", "Giulia", "Rossi", "amministrazione@romafoods.example", "IT", "EUR", "Europe/Rome", "Roma", ""),
    ("dublin_devworks", "Dublin DevWorks Ltd", "Aoife", "Murphy", "billing@devworks.example", "IE", "EUR", "Europe/Dublin", "Dublin", "stripe"),
    ("lisboa_tiles", "Lisboa Tiles Lda", "Inês", "Costa", "contas@lisboatiles.example", "PT", "EUR", "Europe/Lisbon", "Lisboa", ""),
    ("warsaw_fintech", "Warsaw Fintech sp. z o.o.", "Piotr", "Nowak", "faktury@warsawfintech.example", "PL", "PLN", "Europe/Warsaw", "Warszawa", "adyen"),
    ("bangalore_cloud", "Bangalore Cloud Pvt Ltd", "Priya", "Sharma", "accounts@bangalorecloud.example", "IN", "INR", "Asia/Kolkata", "Bengaluru", "stripe"),
    ("lion_city_trading", "Lion City Trading Pte Ltd", "Wei", "Tan", "finance@lioncity.example", "SG", "SGD", "Asia/Singapore", "Singapore", ""),
    ("kiwi_outdoors", "Kiwi Outdoors Ltd", "Aroha", "Ngata", "accounts@kiwioutdoors.example", "NZ", "NZD", "Pacific/Auckland", "Auckland", "gocardless"),
    ("cape_coffee", "Cape Coffee Roasters (Pty) Ltd", "Thabo", "Nkosi", "accounts@capecoffee.example", "ZA", "ZAR", "Africa/Johannesburg", "Cape Town", ""),
    ("mexico_motion", "Mexico Motion S.A. de C.V.", "Valentina", "López", "facturacion@mexmotion.example", "MX", "MXN", "America/Mexico_City", "Ciudad de México", "stripe"),
    ("seoul_games", "Seoul Games Co., Ltd.", "Min-jun", "Kim", "billing@seoulgames.example", "KR", "KRW", "Asia/Seoul", "Seoul", ""),
    ("euro_reseller", "EuroReseller Partners GmbH", "Anna", "Novak", "partners@euroreseller.example", "DE", "EUR", "Europe/Berlin", "Berlin", ""),
    ("ethan_brooks", "", "Ethan", "Brooks", "ethan.brooks@mail.example", "US", "USD", "America/Denver", "Denver", "stripe"),
    ("sophie_laurent", "", "Sophie", "Laurent", "sophie.laurent@mail.example", "FR", "EUR", "Europe/Paris", "Paris", ""),
    // A lead with an incomplete profile: no country, currency, timezone or email.
    ("stealth_startup", "Stealth Startup", "", "", "", "", "", "", "", ""),
];

/// Provider-side details: (connection code, customer id in the provider).
fn provider_details(provider: &str, seed: u64) -> (&'static str, String) {
    match provider {
        "stripe" => ("stripe_prod", format!("cus_{:014x}", seed >> 8)),
        "adyen" => ("adyen_eu", format!("ADY{:010}", seed % 10_000_000_000)),
        _ => ("gocardless_eu", format!("CU{:012X}", seed >> 16)),
    }
}

/// The `customer` input a seed row would be created with through the API.
fn input(i: usize, row: &Row) -> Map<String, Value> {
    let (id, company, first, last, email, country, currency, timezone, city, provider) = *row;
    let opt = |s: &str| if s.is_empty() { Value::Null } else { json!(s) };
    let seed = hash_str(id);
    let name = if company.is_empty() {
        format!("{first} {last}")
    } else {
        company.to_string()
    };
    let mut billing = json!({
        "invoice_grace_period": if company.is_empty() { 0 } else { 3 },
        "document_locale": "en",
    });
    if !provider.is_empty() {
        let (code, customer_id) = provider_details(provider, seed);
        billing["payment_provider"] = json!(provider);
        billing["payment_provider_code"] = json!(code);
        billing["provider_customer_id"] = json!(customer_id);
        billing["sync_with_provider"] = json!(true);
        if provider == "stripe" {
            billing["provider_payment_methods"] = json!(["card", "sepa_debit"]);
        }
    }
    let mut metadata = Vec::new();
    if i % 3 == 1 {
        metadata.push(json!({"key": "crm_id", "value": format!("CRM-{}", 1000 + i), "display_in_invoice": false}));
    }
    if !company.is_empty() && i.is_multiple_of(4) {
        metadata.push(json!({"key": "PO number", "value": format!("PO-2026-{:03}", 100 + i), "display_in_invoice": true}));
    }
    let tax_code = format!("{}_", country.to_ascii_lowercase());
    let taxes: Vec<&str> = TAXES
        .iter()
        .map(|t| t.0)
        .filter(|c| !country.is_empty() && c.starts_with(&tax_code))
        .collect();
    let customer_type = match (company.is_empty(), id) {
        (_, "stealth_startup") => Value::Null,
        (true, _) => json!("individual"),
        (false, _) => json!("company"),
    };
    let is_company = !company.is_empty() && !first.is_empty();
    let json = json!({
        "external_id": id,
        "name": name,
        "firstname": opt(first),
        "lastname": opt(last),
        "email": opt(email),
        "country": opt(country),
        "currency": opt(currency),
        "timezone": opt(timezone),
        "city": opt(city),
        "address_line1": if city.is_empty() { Value::Null } else { json!(format!("{} Harbour Street", 3 + i * 7)) },
        "zipcode": if city.is_empty() { Value::Null } else { json!(format!("{:05}", 10_000 + seed % 89_999)) },
        "legal_name": if is_company { json!(company) } else { Value::Null },
        "legal_number": if is_company { json!(format!("{:02}-{:07}", seed % 90 + 10, seed % 10_000_000)) } else { Value::Null },
        "tax_identification_number": if is_company && country != "US" { json!(format!("{country}{:09}", seed % 1_000_000_000)) } else { Value::Null },
        "url": if is_company { json!(format!("https://{}", email.split('@').nth(1).unwrap_or("example.com"))) } else { Value::Null },
        "phone": if i.is_multiple_of(2) { json!(format!("+1-555-{:04}", seed % 10_000)) } else { Value::Null },
        "account_type": if id == "euro_reseller" { "partner" } else { "customer" },
        "customer_type": customer_type,
        "net_payment_term": if is_company { json!(30) } else { Value::Null },
        "billing_configuration": billing,
        "shipping_address": {
            "address_line1": if city.is_empty() { Value::Null } else { json!(format!("{} Depot Road", 100 + i)) },
            "city": opt(city),
            "country": opt(country),
        },
        "metadata": metadata,
        "tax_codes": taxes,
    });
    json.as_object().cloned().unwrap_or_default()
}

/// An `AppliedCouponObject` as seeded.
fn coupon(
    lago_id: &str,
    code: &str,
    name: &str,
    customer: &Map<String, Value>,
    percentage: Option<&str>,
    created: i64,
) -> Value {
    let fixed = percentage.is_none();
    json!({
        "lago_id": lago_id,
        "lago_coupon_id": uuid_from(hash_str(code)),
        "coupon_code": code,
        "coupon_name": name,
        "coupon_description": format!("{name}: seeded by fake-lago"),
        "coupon_status": "active",
        "coupon_deleted_at": null,
        "lago_customer_id": customer["lago_id"],
        "external_customer_id": customer["external_id"],
        "status": "active",
        "amount_cents": if fixed { json!(5_000) } else { Value::Null },
        "amount_cents_remaining": if fixed { json!(2_500) } else { Value::Null },
        "amount_currency": if fixed { customer["currency"].clone() } else { Value::Null },
        "percentage_rate": percentage,
        "frequency": if fixed { "once" } else { "recurring" },
        "frequency_duration": if fixed { Value::Null } else { json!(6) },
        "frequency_duration_remaining": if fixed { Value::Null } else { json!(3) },
        "expiration_at": null,
        "created_at": rfc3339(created),
        "terminated_at": null,
    })
}

/// Builds the seeded store (a row the upsert refused would be missing: `seed_is_valid` checks).
pub fn seed() -> Store {
    let mut store = Store::default();
    let newest = days_from_civil(2026, 1, 12) * 86_400 + 9 * 3600;
    // Oldest first, so sequential ids follow creation and the list (newest first) shows acme_corp first.
    for (i, row) in ROWS.iter().enumerate().rev() {
        let created = newest - (i as i64) * (9 * 86_400 + 3 * 3600 + 17 * 60);
        let input = input(i, row);
        if store.upsert(&input, created).is_err() {
            continue;
        }
        let id = row.0;
        let Some(customer) = store.find_mut(id) else {
            continue;
        };
        // Seed ids are derived from the external id, not the counter, so they never move.
        customer
            .json
            .insert("lago_id".into(), json!(uuid_from(hash_str(id))));
        customer
            .json
            .insert("updated_at".into(), json!(rfc3339(created + 3 * 86_400)));
        let mut subs = vec![Subscription {
            external_id: format!("sub_{id}_1"),
            active: true,
            metrics: if i.is_multiple_of(2) {
                vec![0, 1, 2, 3]
            } else {
                vec![0, 1, 2]
            },
            generated: None,
            from_events: Vec::new(),
            from_api: false,
            custom: Vec::new(),
        }];
        if i.is_multiple_of(3) {
            subs.push(Subscription {
                external_id: format!("sub_{id}_2"),
                active: i % 2 == 1,
                metrics: vec![4, 2, 0],
                generated: None,
                from_events: Vec::new(),
                from_api: false,
                custom: Vec::new(),
            });
        }
        customer.subscriptions = subs;
        let json = customer.json.clone();
        customer.wallets = crate::wallets::seeded(&json, i, created + 2 * 3600);
        if i == 0 {
            customer.coupons = vec![
                coupon(
                    ACME_COUPON_ID,
                    "startup_deal",
                    "Startup Deal",
                    &json,
                    Some("10.0"),
                    created + 86_400,
                ),
                coupon(
                    ACME_SECOND_COUPON_ID,
                    "welcome_credit",
                    "Welcome credit",
                    &json,
                    None,
                    created + 2 * 86_400,
                ),
            ];
        } else if i % 7 == 3 {
            let lago_id = uuid_from(mix(hash_str(id) ^ 0xC0));
            customer.coupons = vec![coupon(
                &lago_id,
                "spring_promo",
                "Spring promo",
                &json,
                Some("15.0"),
                created + 86_400,
            )];
        }
    }
    store
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_is_valid_and_stable() {
        let a = seed();
        assert_eq!(a.customers.len(), 36);
        let acme = a.find("acme_corp").expect("acme_corp");
        assert_eq!(
            acme.json["billing_configuration"]["payment_provider"],
            "stripe"
        );
        assert_eq!(acme.coupons[0]["lago_id"], ACME_COUPON_ID);
        assert_eq!(acme.subscriptions[0].external_id, "sub_acme_corp_1");
        assert!(!acme.subscriptions[1].active);
        let b = seed();
        assert_eq!(a.customers[5].json, b.customers[5].json);
    }
}
