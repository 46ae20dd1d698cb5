//! Pagination info of list answers.

use super::macros::model;
use super::serde_util::null_to_default;

model! {
    /// Where a page sits in a list. With no results Lago sends `current_page: 0`,
    /// `total_pages: 0`, `total_count: 0` and `null` neighbours.
    pub struct PaginationMeta {
        /// This page's number (1-based; 0 when the list is empty).
        #[serde(default, deserialize_with = "null_to_default")]
        pub current_page: i64,
        /// Next page's number, if any.
        #[serde(default)]
        pub next_page: Option<i64>,
        /// Previous page's number, if any.
        #[serde(default)]
        pub prev_page: Option<i64>,
        /// Number of pages.
        #[serde(default, deserialize_with = "null_to_default")]
        pub total_pages: i64,
        /// Number of records over all pages.
        #[serde(default, deserialize_with = "null_to_default")]
        pub total_count: i64,
    }
}
