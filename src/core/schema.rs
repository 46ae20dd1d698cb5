//! Static descriptions of the spec's shapes that the JS face checks caller input against.
//! The tables themselves live in `spec_tables.rs`, generated from Lago's spec by
//! `tools/gen-from-spec.mjs`; this file only says what a table entry means.

/// What a JSON value must look like.
#[derive(Debug)]
pub enum Kind {
    /// A JSON string.
    Str,
    /// A JSON number with no fraction.
    Int,
    /// Any JSON number.
    Num,
    /// `true` or `false`.
    Bool,
    /// A string out of a closed list (the spec's `enum`), given as its values separated by
    /// single spaces (no value holds one): far fewer bytes in the wasm than a slice of strs.
    Enum(&'static str),
    /// An array whose items all match the inner kind.
    Array(&'static Kind),
    /// An object with known fields; fields it does not list are let through untouched.
    Object(&'static [Field]),
    /// An object of string values (free-form maps such as `group` or `metadata[key]`).
    StrMap,
    /// Anything (the spec gives no shape).
    Any,
}

/// One property of an object, or one query parameter.
#[derive(Debug)]
pub struct Field {
    /// The wire name (for query parameters: the key in the caller's query object).
    pub name: &'static str,
    /// What its value must look like.
    pub kind: Kind,
    /// The spec lists it as required (`undefined` is refused).
    pub required: bool,
    /// `null` is accepted (the spec's `type: [X, "null"]`).
    pub nullable: bool,
}

/// How a query parameter is written into the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=value`
    Plain,
    /// `name[]=a&name[]=b` (the spec's `name[]` array parameters, `explode: true`).
    Brackets,
    /// `name[key]=value` (the spec's `deepObject` and `metadata[key]` parameters).
    Deep,
}

/// One query parameter of an operation.
#[derive(Debug)]
pub struct QueryParam {
    /// Its key in the caller's query object and what its value must look like.
    pub field: Field,
    /// How it is written into the URL.
    pub style: QueryStyle,
}
