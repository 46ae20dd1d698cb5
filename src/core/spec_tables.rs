//! TEMPORARY stub until tools/gen-from-spec.mjs writes the real tables.
use super::schema::{Field, Kind, QueryParam, QueryStyle};
pub static CUSTOMER_INPUT: &[Field] = &[Field { name: "external_id", kind: Kind::Str, required: true, nullable: false }];
pub static CUSTOMER_CREATE_INPUT: &[Field] = &[Field { name: "customer", kind: Kind::Object(CUSTOMER_INPUT), required: true, nullable: false }];
pub static FIND_ALL_CUSTOMERS_QUERY: &[QueryParam] = &[QueryParam { field: Field { name: "page", kind: Kind::Int, required: false, nullable: false }, style: QueryStyle::Plain }];
pub static FIND_CUSTOMER_CURRENT_USAGE_QUERY: &[QueryParam] = &[];
pub static FIND_ALL_CUSTOMER_PAST_USAGE_QUERY: &[QueryParam] = &[];
