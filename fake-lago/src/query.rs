//! Query strings and Lago's (Kaminari's) pagination.

use serde_json::{json, Value};

/// Decoded query pairs, in order (`name[]` repeats for arrays).
pub struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn parse(raw: &str) -> Query {
        Query(
            form_urlencoded::parse(raw.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// First value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// All values of an array parameter, sent as `name[]=a&name[]=b` (or `name=a`).
    pub fn all(&self, name: &str) -> Vec<&str> {
        let bracketed = format!("{name}[]");
        self.0
            .iter()
            .filter(|(k, _)| *k == bracketed || k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Ruby's `String#to_i`: leading digits after an optional sign, 0 if none (`"2abc"` is 2).
fn ruby_to_i(s: &str) -> i64 {
    let s = s.trim_start();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, s.strip_prefix('+').unwrap_or(s)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits
        .get(..end)
        .and_then(|d| d.parse::<i64>().ok())
        .map_or(0, |n| sign * n)
}

/// Lago pages with Kaminari: `page` below 1 (or not a number) is page 1; `per_page` that is
/// not a positive number falls back to the default 100 (Kaminari would send an empty page for
/// 0; the client never sends it). Returns the page's items and the `PaginationMeta`.
pub fn paginate<T: Clone>(items: &[T], query: &Query) -> (Vec<T>, Value) {
    let page = query.get("page").map_or(1, ruby_to_i).max(1) as u64;
    let per_page = query
        .get("per_page")
        .map(ruby_to_i)
        .filter(|&n| n > 0)
        .unwrap_or(100) as u64;
    let total = items.len() as u64;
    // Kaminari's `current_page` is the page asked for, records or not (`offset / limit + 1`);
    // an empty list has no pages.
    let total_pages = total.div_ceil(per_page);
    let start =
        usize::try_from(page.saturating_sub(1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let slice: Vec<T> = items
        .iter()
        .skip(start)
        .take(per_page as usize)
        .cloned()
        .collect();
    let in_range = page <= total_pages;
    let meta = json!({
        "current_page": page,
        "next_page": (page < total_pages).then_some(page + 1),
        "prev_page": (page > 1 && in_range).then_some(page - 1),
        "total_pages": total_pages,
        "total_count": total,
    });
    (slice, meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruby_to_i_matches_ruby() {
        assert_eq!(ruby_to_i("2abc"), 2);
        assert_eq!(ruby_to_i("abc"), 0);
        assert_eq!(ruby_to_i("-3"), -3);
        assert_eq!(ruby_to_i(" 7"), 7);
    }
}
