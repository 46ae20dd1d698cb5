//! Static descriptions of the spec's operations and of the shapes caller input is checked
//! against. The tables themselves live in `spec_tables.rs`, generated from Lago's spec by
//! `tools/gen-from-spec.mjs`; this file only says what a table entry means.

/// One operation of an API class.
#[derive(Debug)]
pub struct Operation {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The route as the spec writes it (`/customers/{external_customer_id}`); each `{...}` is
    /// filled, in order, by the operation's [`Arg::Path`] arguments.
    pub template: &'static str,
    /// The positional arguments, in order (the call options always come last).
    pub args: &'static [Arg],
    /// What the top level of a good answer holds: `o:key` (an object under `key`), `l:key` (an
    /// array), `p:key` (an array plus a `meta` object), `n:key` (an object or `null` under `key`),
    /// alternatives joined by `|`, or `""` for
    /// an answer with no content. Checked in one JS call (`parseBody` in `runtime.js`).
    pub shape: &'static str,
    /// What sending its request twice can do, and so when it may be sent again.
    pub retry: Retry,
}

/// An operation's retry class (API.md "Retries"; the evidence per operation is
/// `tools/gen-from-spec.mjs`'s `RETRY_CLASSES`, from REALITY.md section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// A repeat changes nothing more (every GET, PUT and DELETE; upserts, replaces,
    /// computations): retried on network errors, timeouts, 429, 502, 503 and 504.
    Idempotent,
    /// A create made unique by the body value at this path (`wallet.code`; alternatives joined
    /// by `|`): retried like [`Retry::Idempotent`] when the body gives a value there (a repeat
    /// answers 422 `value_already_exist`), and [`Retry::Unsafe`] when it does not.
    Keyed(&'static str),
    /// A repeat is a second write (a second top-up, invoice, payment): retried only on the
    /// answers that prove nothing was written, 429 and 503.
    Unsafe,
}

/// One positional argument of an operation.
#[derive(Debug)]
pub enum Arg {
    /// A path id, named as the JS argument (`externalCustomerId`), for errors.
    Path(&'static str),
    /// A required query parameter taken positionally: its JS name and its wire name.
    Query(&'static str, &'static str),
    /// The request body and what it must look like.
    Body(Kind),
    /// The optional query object and its parameters.
    Filters(&'static [QueryParam]),
}

/// What a JSON value must look like.
#[derive(Debug)]
pub enum Kind {
    /// A JSON string. The spec's enums are strings too: Lago's server judges enum membership
    /// (it accepts values ahead of its spec and refuses some the spec lists; REALITY.md).
    Str,
    /// A JSON string other than `""`: a flag the generator sets from its own short list
    /// (`NON_EMPTY_STRINGS` in gen-from-spec.mjs), where Lago refuses what the spec allows
    /// (`customer.external_id`). Told "must be a string", or "must not be empty" for `""`.
    NonEmptyStr,
    /// A JSON number with no fraction.
    Int,
    /// Any JSON number.
    Num,
    /// `true` or `false`.
    Bool,
    /// An array whose items all match the inner kind.
    Array(&'static Kind),
    /// An object with known fields; fields it does not list are let through untouched.
    Object(&'static [Field]),
    /// An object of string values (free-form maps such as `group` or `metadata[key]`).
    StrMap,
    /// An object of string or `null` values (`MetadataObject`: a `null` value removes a key).
    StrOrNullMap,
    /// An object whose values all match the inner kind (an event's `properties`).
    Map(&'static Kind),
    /// Any one of these (the spec's `oneOf`).
    OneOf(&'static [Kind]),
    /// Any JSON value (the values of a free-form object: the server's to judge).
    Any,
}

impl Kind {
    /// What a value that does not match this kind is told, on either face.
    pub fn problem(&self) -> &'static str {
        match self {
            Kind::Str | Kind::NonEmptyStr => "must be a string",
            Kind::Int => "must be an integer",
            Kind::Num => "must be a number",
            Kind::Bool => "must be a boolean",
            Kind::StrMap => "must be an object of strings",
            Kind::StrOrNullMap => "must be an object of strings or nulls",
            Kind::Array(_) => "must be an array",
            Kind::Object(_) | Kind::Map(_) => "must be an object",
            Kind::OneOf(_) => "matches none of the shapes the spec allows",
            Kind::Any => "must be JSON",
        }
    }
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
