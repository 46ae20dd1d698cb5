//! Billable metrics, subscriptions and the usage numbers the fake reports.
//!
//! Usage is never stored: it is computed from a hash of the subscription id, the metric and the
//! month, so it is identical on every run (and after a reset) yet varies month to month like a
//! real account, and every total is the sum of its parts.

use crate::util::{days_from_civil, hash_str, mix, rfc3339, uuid_from, ymd};
use serde_json::{json, Value};

/// A billable metric with the charge that prices it (one charge per metric in every plan).
pub struct Metric {
    pub code: &'static str,
    name: &'static str,
    aggregation: &'static str,
    charge_model: &'static str,
    display_name: &'static str,
    /// Range of a typical month's units, so each account gets its own level.
    min_units: u64,
    max_units: u64,
}

/// The metric catalog. Codes are what `billable_metric_code` / `charge_code` filters accept.
pub const METRICS: [Metric; 5] = [
    Metric {
        code: "api_calls",
        name: "API calls",
        aggregation: "sum_agg",
        charge_model: "graduated",
        display_name: "API calls (first 10k free)",
        min_units: 20_000,
        max_units: 800_000,
    },
    Metric {
        code: "storage_gb",
        name: "Storage (GB)",
        aggregation: "max_agg",
        charge_model: "volume",
        display_name: "Storage",
        min_units: 10,
        max_units: 900,
    },
    Metric {
        code: "seats",
        name: "Seats",
        aggregation: "unique_count_agg",
        charge_model: "standard",
        display_name: "Active seats",
        min_units: 2,
        max_units: 60,
    },
    Metric {
        code: "emails_sent",
        name: "Emails sent",
        aggregation: "count_agg",
        charge_model: "package",
        display_name: "Emails (per 1,000)",
        min_units: 500,
        max_units: 60_000,
    },
    Metric {
        code: "payments_volume",
        name: "Payments volume",
        aggregation: "sum_agg",
        charge_model: "percentage",
        display_name: "Payment processing (2.9% + 30c)",
        min_units: 2_000,
        max_units: 150_000,
    },
];

/// Index in [`METRICS`] of a metric code.
pub fn metric_index(code: &str) -> Option<usize> {
    METRICS.iter().position(|m| m.code == code)
}

/// Most generated charges a subscription may hold (`POST /admin/.../charges?count=N`).
pub const MAX_GENERATED: usize = 2000;

/// Every charge model and aggregation type the spec allows; generated charge `i` takes
/// `CHARGE_MODELS[i % 5]` and `AGGREGATIONS[i % 6]`, so 30 charges cover every pair.
const CHARGE_MODELS: [&str; 5] = ["standard", "graduated", "package", "percentage", "volume"];
const AGGREGATIONS: [&str; 6] = [
    "count_agg",
    "sum_agg",
    "max_agg",
    "unique_count_agg",
    "weighted_sum_agg",
    "latest_agg",
];

/// A customer's subscription: its plan is the list of metrics it is charged for.
#[derive(Clone, Debug)]
pub struct Subscription {
    pub external_id: String,
    pub active: bool,
    pub metrics: Vec<usize>,
    /// `Some(n)`: the current period reports `n` generated charges instead of the plan's
    /// (set by the admin route, for big usage bodies; past periods keep the plan's).
    pub generated: Option<usize>,
    /// Units and event counts that events sent to this subscription added to the current
    /// period, per catalog metric (`events.rs`).
    pub from_events: Vec<(usize, u64, u64)>,
    /// Created through the API (`flow.rs`): it has no usage but what its events bring, where
    /// a seeded one shows a real account's history.
    pub from_api: bool,
    /// Charges of a plan made through the API on metrics the catalog does not know.
    pub custom: Vec<CustomCharge>,
}

/// A charge on a billable metric made through the API: its usage is what its events bring.
#[derive(Clone, Debug)]
pub struct CustomCharge {
    pub code: String,
    pub name: String,
    pub aggregation: &'static str,
    pub charge_model: &'static str,
    /// Price of one unit in cents: the charge's `properties.amount` (every model is priced
    /// this way; the fake does not model tiers or packages of charges made through the API).
    pub unit_cents: f64,
    /// Units and events its events added to the current period.
    pub units: u64,
    pub events: u64,
}

/// `value` as the catalog's name for it, when it has one: an aggregation type or charge model
/// for a usage object (`None`: one the fake has no name for).
pub fn known_name(value: &str) -> Option<&'static str> {
    AGGREGATIONS
        .iter()
        .chain(CHARGE_MODELS.iter())
        .copied()
        .find(|v| *v == value)
}

/// One charge of a period: catalog metric `m`, or generated charge `i` (current period only).
#[derive(Clone, Copy, Debug, PartialEq)]
enum ChargeRef {
    Catalog(usize),
    Generated(usize),
    Custom(usize),
}

/// A billable metric and its charge as a usage object names them.
struct Named {
    code: String,
    name: String,
    aggregation: &'static str,
    charge_model: &'static str,
    display_name: String,
}

impl Subscription {
    /// An event of metric `code` with `units`: counted in the current period (an unknown
    /// code changes nothing, as an event of a metric the plan does not charge).
    pub fn add_event(&mut self, code: &str, units: f64) {
        let units = units.max(0.0).round() as u64;
        // Every charge of the metric counts the event (a plan may charge one metric twice).
        let mut custom = self.custom.iter_mut().filter(|c| c.code == code).peekable();
        if custom.peek().is_some() {
            for charge in custom {
                charge.units += units;
                charge.events += 1;
            }
            return;
        }
        let Some(m) = metric_index(code).filter(|m| self.metrics.contains(m)) else {
            return;
        };
        match self.from_events.iter_mut().find(|e| e.0 == m) {
            Some(entry) => {
                entry.1 += units;
                entry.2 += 1;
            }
            None => self.from_events.push((m, units, 1)),
        }
    }

    /// What events added to metric `m` this period: (units, events).
    fn event_units(&self, m: usize) -> (u64, u64) {
        self.from_events
            .iter()
            .find(|e| e.0 == m)
            .map_or((0, 0), |e| (e.1, e.2))
    }

    fn seed(&self) -> u64 {
        hash_str(&self.external_id)
    }

    /// The charges billed `back` months ago.
    fn charges(&self, back: u64) -> Vec<ChargeRef> {
        match self.generated {
            Some(n) if back == 0 => (0..n).map(ChargeRef::Generated).collect(),
            _ => self
                .metrics
                .iter()
                .map(|&m| ChargeRef::Catalog(m))
                .chain((0..self.custom.len()).map(ChargeRef::Custom))
                .collect(),
        }
    }

    /// The Lago id of one of this subscription's charges.
    fn charge_id(&self, charge: ChargeRef) -> String {
        match charge {
            ChargeRef::Catalog(m) => uuid_from(self.seed() ^ mix(0xC4A2 + m as u64)),
            ChargeRef::Generated(i) => uuid_from(self.seed() ^ mix(0xC4A2_0000_0000 + i as u64)),
            ChargeRef::Custom(i) => uuid_from(self.seed() ^ mix(0xC057_0000_0000 + i as u64)),
        }
    }

    /// The plan: (code, name, monthly fee in cents). The second subscription of a customer is
    /// on the legacy plan; the first on Scale (four metrics) or Growth (three).
    pub fn plan(&self) -> (&'static str, &'static str, u64) {
        if self.external_id.ends_with("_2") {
            ("legacy_monthly", "Legacy", 1_900)
        } else if self.metrics.len() > 3 {
            ("scale_monthly", "Scale", 9_900)
        } else {
            ("growth_monthly", "Growth", 4_900)
        }
    }

    /// The Lago id of the subscription.
    pub fn lago_id(&self) -> String {
        uuid_from(mix(self.seed() ^ 0x5B5C))
    }

    /// The Lago id of the invoice of the period `back` months ago (past usage names it).
    pub fn invoice_id(&self, back: u64) -> String {
        uuid_from(self.seed() ^ mix(0x1_0000 + back))
    }

    /// Metric code of the current-period charge with Lago id `charge_id`.
    pub fn current_code_of_charge(&self, charge_id: &str) -> Option<String> {
        self.charges(0)
            .into_iter()
            .find(|&c| self.charge_id(c) == charge_id)
            .map(|c| named(self, c).code)
    }

    /// Whether the current period has a charge for metric `code`.
    pub fn current_has_code(&self, code: &str) -> bool {
        self.charges(0)
            .into_iter()
            .any(|c| named(self, c).code == code)
    }

    /// Whether `code` names a billable metric (the catalog's, or one generated for this plan).
    pub fn knows_metric(&self, code: &str) -> bool {
        metric_index(code).is_some() || self.current_has_code(code)
    }

    /// What the admin route shows, so an example app knows which ids to ask usage for.
    pub fn to_json(&self) -> Value {
        let codes: Vec<&str> = self
            .metrics
            .iter()
            .map(|&m| METRICS[m].code)
            .chain(self.custom.iter().map(|c| c.code.as_str()))
            .collect();
        let mut json = json!({
            "external_id": self.external_id,
            "status": if self.active { "active" } else { "terminated" },
            "billable_metric_codes": codes,
        });
        if let Some(n) = self.generated {
            json["current_period_generated_charges"] = json!(n);
        }
        json
    }
}

/// The metric and charge names of `charge`.
fn named(sub: &Subscription, charge: ChargeRef) -> Named {
    match charge {
        ChargeRef::Custom(i) => {
            let custom = sub.custom.get(i);
            let text = |f: fn(&CustomCharge) -> &String| custom.map(f).cloned().unwrap_or_default();
            Named {
                code: text(|c| &c.code),
                name: text(|c| &c.name),
                aggregation: custom.map_or("sum_agg", |c| c.aggregation),
                charge_model: custom.map_or("standard", |c| c.charge_model),
                display_name: text(|c| &c.name),
            }
        }
        ChargeRef::Catalog(m) => {
            let metric = &METRICS[m];
            Named {
                code: metric.code.to_string(),
                name: metric.name.to_string(),
                aggregation: metric.aggregation,
                charge_model: metric.charge_model,
                display_name: metric.display_name.to_string(),
            }
        }
        ChargeRef::Generated(i) => Named {
            code: format!("generated_metric_{:04}", i + 1),
            name: format!("Generated metric {}", i + 1),
            aggregation: AGGREGATIONS[i % AGGREGATIONS.len()],
            charge_model: CHARGE_MODELS[i % CHARGE_MODELS.len()],
            display_name: format!("Generated charge {}", i + 1),
        },
    }
}

/// Price in cents of `units` under the metric's charge model.
fn price(metric: usize, units: u64, events: u64) -> u64 {
    match metric {
        // graduated: 0-10k free, 10k-100k at 0.1c, above at 0.05c
        0 => {
            units.clamp(10_000, 100_000).saturating_sub(10_000) / 10
                + units.saturating_sub(100_000) / 20
        }
        // volume: the tier reached prices every unit
        1 => {
            units
                * if units <= 100 {
                    25
                } else if units <= 500 {
                    20
                } else {
                    15
                }
        }
        // standard: 12.00 per seat
        2 => units * 1_200,
        // package: 5.00 per started pack of 1,000
        3 => units.div_ceil(1_000) * 500,
        // percentage: 2.9% of the volume (units are major currency units) + 30c per transaction
        _ => units * 100 * 29 / 1_000 + events * 30,
    }
}

/// Events behind `units` (how many usage events a real account would have sent).
fn events(metric: usize, units: u64) -> u64 {
    match metric {
        0 => units / 25 + 1,
        1 => 30,
        2 => units * 3,
        3 => units,
        _ => units / 85 + 1,
    }
}

/// A full month's units of metric `m` for subscription `seed`, `back` months ago.
fn month_units(seed: u64, m: usize, back: u64) -> u64 {
    let metric = &METRICS[m];
    let level = metric.min_units + mix(seed ^ m as u64) % (metric.max_units - metric.min_units);
    let noise = 70 + mix(seed ^ ((m as u64) << 8) ^ (back << 16)) % 61; // 70%..130%
    let growth = 100 - back.min(24) * 2; // older months a little smaller
    (level * noise / 100 * growth / 100).max(1)
}

/// A calendar month (UTC): first day and first day of the next month, in days since epoch.
pub fn month_bounds(now_days: i64, back: u64) -> (i64, i64) {
    let (y, m, _) = crate::util::civil_from_days(now_days);
    let index = y * 12 + i64::from(m) - 1 - i64::try_from(back).unwrap_or(0);
    let start = days_from_civil(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1);
    let next = index + 1;
    let end = days_from_civil(next.div_euclid(12), (next.rem_euclid(12) + 1) as u32, 1);
    (start, end)
}

/// What to bill: the customer's currency and summed tax rate (percent).
pub struct Billing<'a> {
    pub currency: &'a str,
    pub tax_rate: f64,
}

/// One charge of a period: what was used so far, and (current period) the month's projection.
struct Line {
    charge: ChargeRef,
    named: Named,
    units: u64,
    events: u64,
    amount: u64,
    projected_units: u64,
    projected_amount: u64,
}

/// The charges of `sub` billed `back` months ago (0 = current period, partial so far).
fn lines(sub: &Subscription, now_days: i64, back: u64, only: Option<&str>) -> Vec<Line> {
    let (start, end) = month_bounds(now_days, back);
    let seed = sub.seed();
    sub.charges(back)
        .into_iter()
        .map(|charge| (charge, named(sub, charge)))
        .filter(|(_, n)| only.is_none_or(|o| o == n.code))
        .map(|(charge, named)| match charge {
            ChargeRef::Catalog(m) => {
                let full = if sub.from_api {
                    0
                } else {
                    month_units(seed, m, back)
                };
                // The current period only has the days elapsed so far (storage is a max).
                let units = if sub.from_api {
                    0
                } else if back == 0 && m != 1 {
                    let elapsed = u64::try_from(now_days - start + 1).unwrap_or(1);
                    let days = u64::try_from(end - start).unwrap_or(30);
                    (full * elapsed / days).max(1)
                } else {
                    full
                };
                let (added, sent) = if back == 0 {
                    sub.event_units(m)
                } else {
                    (0, 0)
                };
                // Each event sent adds its units and counts once; the events behind the
                // seeded units are estimated from them.
                let behind = |units| if sub.from_api { 0 } else { events(m, units) };
                let count = behind(units) + sent;
                let (units, full) = (units + added, full + added);
                Line {
                    charge,
                    named,
                    units,
                    events: count,
                    amount: price(m, units, count),
                    projected_units: full,
                    projected_amount: price(m, full, behind(full - added) + sent),
                }
            }
            ChargeRef::Custom(i) => {
                let (units, events, cents) = match sub.custom.get(i) {
                    Some(c) if back == 0 => (c.units, c.events, c.unit_cents),
                    _ => (0, 0, 0.0),
                };
                let amount = (units as f64 * cents).round().max(0.0) as u64;
                Line {
                    charge,
                    named,
                    units,
                    events,
                    amount,
                    projected_units: units,
                    projected_amount: amount,
                }
            }
            // Fixed numbers (not scaled by the day), so a benchmark body never changes size.
            ChargeRef::Generated(i) => {
                let h = mix(seed ^ mix(0x6E4E_0000_0000 + i as u64));
                let units = 1 + h % 100_000;
                let amount = units * (1 + (h >> 32) % 40);
                Line {
                    charge,
                    named,
                    units,
                    events: units / 7 + 1,
                    amount,
                    projected_units: units,
                    projected_amount: amount,
                }
            }
        })
        .collect()
}

/// The `charge` and `billable_metric` objects of a usage line (`charge.code` is what the server
/// sends beyond the spec).
fn charge_names(sub: &Subscription, line: &Line) -> (Value, Value) {
    let n = &line.named;
    (
        json!({
            "lago_id": sub.charge_id(line.charge),
            "code": n.code,
            "charge_model": n.charge_model,
            "invoice_display_name": n.display_name,
        }),
        json!({
            "lago_id": uuid_from(hash_str(&n.code)),
            "name": n.name,
            "code": n.code,
            "aggregation_type": n.aggregation,
        }),
    )
}

fn taxes_on(amount: u64, billing: &Billing, apply_taxes: bool) -> u64 {
    if apply_taxes {
        (amount as f64 * billing.tax_rate / 100.0).round() as u64
    } else {
        0
    }
}

/// What the charges of `sub` came to `back` months ago, in cents (what its invoice bills).
pub fn period_amount(sub: &Subscription, now_secs: i64, back: u64) -> u64 {
    lines(sub, now_secs.div_euclid(86_400), back, None)
        .iter()
        .map(|l| l.amount)
        .sum()
}

/// A `CustomerUsageObject` for `sub`, `back` months ago (0 = current period, partial so far).
/// `only` keeps the charge of one metric code; `apply_taxes: false` reports no taxes.
pub fn usage_object(
    sub: &Subscription,
    billing: &Billing,
    now_secs: i64,
    back: u64,
    only: Option<&str>,
    apply_taxes: bool,
) -> Value {
    let now_days = now_secs.div_euclid(86_400);
    let (start, end) = month_bounds(now_days, back);
    let lines = lines(sub, now_days, back, only);
    let total: u64 = lines.iter().map(|l| l.amount).sum();
    let charges: Vec<Value> = lines
        .iter()
        .map(|line| {
            let (charge, metric) = charge_names(sub, line);
            json!({
                "units": format!("{}.0", line.units),
                "total_aggregated_units": format!("{}.0", line.units),
                "events_count": line.events,
                "amount_cents": line.amount,
                "amount_currency": billing.currency,
                "charge": charge,
                "billable_metric": metric,
                "filters": [],
                "grouped_usage": [],
            })
        })
        .collect();
    let taxes = taxes_on(total, billing, apply_taxes);
    let mut usage = json!({
        "from_datetime": rfc3339(start * 86_400),
        "to_datetime": rfc3339(end * 86_400 - 1),
        "issuing_date": ymd(end),
        "currency": billing.currency,
        "amount_cents": total,
        "taxes_amount_cents": taxes,
        "total_amount_cents": total + taxes,
        "charges_usage": charges,
    });
    if back > 0 {
        // A past period was invoiced; the current one has no invoice yet.
        usage["lago_invoice_id"] = json!(sub.invoice_id(back));
    }
    usage
}

/// A `CustomerProjectedUsageObject`: the current period so far plus where it will end up if
/// usage keeps its pace (every projected amount is at least the current one).
pub fn projected_usage_object(
    sub: &Subscription,
    billing: &Billing,
    now_secs: i64,
    apply_taxes: bool,
) -> Value {
    let now_days = now_secs.div_euclid(86_400);
    let (start, end) = month_bounds(now_days, 0);
    let lines = lines(sub, now_days, 0, None);
    let total: u64 = lines.iter().map(|l| l.amount).sum();
    let projected: u64 = lines.iter().map(|l| l.projected_amount.max(l.amount)).sum();
    let charges: Vec<Value> = lines
        .iter()
        .map(|line| {
            let (charge, metric) = charge_names(sub, line);
            json!({
                "units": format!("{}.0", line.units),
                "projected_units": format!("{}.0", line.projected_units.max(line.units)),
                "events_count": line.events,
                "amount_cents": line.amount,
                "projected_amount_cents": line.projected_amount.max(line.amount),
                "amount_currency": billing.currency,
                "charge": charge,
                "billable_metric": metric,
                "filters": [],
                "grouped_usage": [],
                // The spec requires this undefined property of projected charges.
                "groups": [],
            })
        })
        .collect();
    let taxes = taxes_on(total, billing, apply_taxes);
    json!({
        "from_datetime": rfc3339(start * 86_400),
        "to_datetime": rfc3339(end * 86_400 - 1),
        "issuing_date": ymd(end),
        "lago_invoice_id": null,
        "currency": billing.currency,
        "amount_cents": total,
        "projected_amount_cents": projected,
        "taxes_amount_cents": taxes,
        "total_amount_cents": total + taxes,
        "charges_usage": charges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charge_models_price_as_documented() {
        assert_eq!(price(0, 5_000, 1), 0);
        assert_eq!(price(0, 110_000, 1), 9_000 + 500);
        assert_eq!(price(1, 100, 1), 2_500);
        assert_eq!(price(1, 600, 1), 9_000);
        assert_eq!(price(2, 3, 1), 3_600);
        assert_eq!(price(3, 1_001, 1), 1_000);
        assert_eq!(price(4, 1_000, 2), 2_900 + 60);
    }

    #[test]
    fn month_bounds_cross_years() {
        let now = days_from_civil(2026, 2, 15);
        assert_eq!(
            month_bounds(now, 0),
            (days_from_civil(2026, 2, 1), days_from_civil(2026, 3, 1))
        );
        assert_eq!(
            month_bounds(now, 2),
            (days_from_civil(2025, 12, 1), days_from_civil(2026, 1, 1))
        );
    }
}
