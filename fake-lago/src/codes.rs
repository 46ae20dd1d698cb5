//! Which `Country`, `Currency` and `Timezone` values the fake accepts: the spec's lists
//! (`spec_values.rs`) corrected by hand where Lago's server disagrees with its own spec
//! (`shared/lago-openapi/REALITY.md`, section 2, "Spec enums against server validation").

use crate::spec_values::{COUNTRY, CURRENCY, TIMEZONE};

/// Currencies the server accepts beyond the spec (`app/models/concerns/currencies.rb`).
const EXTRA_CURRENCIES: &str = "BHD IRR JOD KWD";

/// Timezones the server accepts beyond the spec's list: ActiveSupport's names for `UTC` and
/// for what the spec calls `GMT+12` (`app/support/timezones.rb`).
const EXTRA_TIMEZONES: &str = "Etc/UTC Etc/GMT+12";

/// Spec timezones the server refuses with `invalid_timezone` (the spec's input enum also lists
/// the old `America/Godthab`, `Asia/Rangoon` and `Europe/Kiev`, which `spec_values` omits).
const REFUSED_TIMEZONES: &str = "GMT+12 America/Godthab Asia/Rangoon Europe/Kiev";

fn listed(list: &str, value: &str) -> bool {
    list.split(' ').any(|v| v == value)
}

/// Whether the server accepts `value` as a currency.
pub fn is_currency(value: &str) -> bool {
    listed(CURRENCY, value) || listed(EXTRA_CURRENCIES, value)
}

/// Whether `value` is an ISO 3166-1 alpha-2 code (already upcased, as the server does).
pub fn is_country(value: &str) -> bool {
    listed(COUNTRY, value)
}

/// Whether the server accepts `value` as a timezone.
pub fn is_timezone(value: &str) -> bool {
    (listed(TIMEZONE, value) || listed(EXTRA_TIMEZONES, value)) && !listed(REFUSED_TIMEZONES, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_have_the_spec_sizes_and_the_server_corrections() {
        assert_eq!(CURRENCY.split(' ').count(), 138);
        assert_eq!(COUNTRY.split(' ').count(), 249);
        assert_eq!(TIMEZONE.split(' ').count(), 135);
        assert!(is_country("NO") && is_currency("EUR") && is_currency("KWD"));
        assert!(is_timezone("UTC") && is_timezone("Europe/Kyiv") && is_timezone("Etc/UTC"));
        assert!(!is_country("XX") && !is_country("fr") && !is_currency("usd"));
        assert!(!is_timezone("Mars/Olympus") && !is_timezone("GMT+12"));
        assert!(!is_timezone("Europe/Kiev"));
    }
}
