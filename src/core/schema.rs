//! Static descriptions of the spec's operations and of the shapes caller input is checked
//! against. They are read from one generated blob, `spec_tables::SPEC` (written by
//! `tools/gen-from-spec.mjs` from Lago's spec); this file says what its bytes mean.
//!
//! Operations and tables are addressed by their u16 offset in the blob:
//! - an operation: its text (a length byte, then ASCII; see [`Operation`]), its body's kind
//!   (or `0xff` for none), then the offset of its query table (`0xffff` for none);
//! - a table: a count byte, then per field its name (a length byte, then ASCII), a flags byte
//!   (1: required, 2: nullable, `style << 2`) and its kind;
//! - a kind, written where it is used: a tag (0 to 7: the simple kinds, in [`Kind`]'s order; 8
//!   array and 9 map, then the inner kind; 10 one of, then a count and that many kinds; 11
//!   object, then the offset of its table).
//!
//! As structs of pointers, the 202 operations' tables were 17 KiB of the npm wasm's gzip; as
//! this blob, 6.5 (measured with all 202 operations).

use super::spec_tables::SPEC;

const NONE: u16 = 0xffff;

/// The byte at `at` (0 past the end: the blob is generated, its offsets hold).
fn byte(at: usize) -> u8 {
    SPEC.get(at).copied().unwrap_or(0)
}

/// The u16 offset at `at` (little-endian).
fn offset(at: usize) -> u16 {
    u16::from_le_bytes([byte(at), byte(at + 1)])
}

/// The length-prefixed ASCII at `at`.
fn text(at: usize) -> &'static str {
    let len = usize::from(byte(at));
    SPEC.get(at + 1..at + 1 + len)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("")
}

/// One operation of an API class: its offset in the blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation(pub u16);

impl Operation {
    /// Space-separated: the method (`GET`, ...), the route as the spec writes it
    /// (`/customers/{external_customer_id}`: each `{...}` is filled, in order, by the path
    /// arguments), the answer's shape (see [`Operation::shape`], `-` for none), the retry class
    /// (`i`, `u` or `k:<path>`, see [`Retry`]), then one token per positional argument, in
    /// order: `p:<name>` a path id, `q:<name>:<wire>` a required query value, `b` the body
    /// (`b?` when it may be left out), `f` the optional query object (the call options always
    /// come last).
    pub fn text(&self) -> &'static str {
        text(usize::from(self.0))
    }

    fn token(&self, i: usize) -> &'static str {
        self.text().split(' ').nth(i).unwrap_or("")
    }

    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub fn method(&self) -> &'static str {
        self.token(0)
    }

    /// The route as the spec writes it: `/customers/{external_customer_id}`.
    pub fn template(&self) -> &'static str {
        self.token(1)
    }

    /// What the top level of a good answer holds: `o:key` (an object under `key`), `l:key` (an
    /// array), `p:key` (an array plus a `meta` object), `n:key` (an object or `null` under
    /// `key`), `t` (text), alternatives joined by `|`, or `""` for an answer with no content.
    /// Checked in one JS call (`parseBody` in `runtime.js`).
    pub fn shape(&self) -> &'static str {
        match self.token(2) {
            "-" => "",
            shape => shape,
        }
    }

    /// What sending its request twice can do, and so when it may be sent again.
    pub fn retry(&self) -> Retry {
        match self.token(3) {
            "u" => Retry::Unsafe,
            t => t.strip_prefix("k:").map_or(Retry::Idempotent, Retry::Keyed),
        }
    }

    /// The end of its text: where its body kind and query table are.
    fn tail(&self) -> usize {
        usize::from(self.0) + 1 + usize::from(byte(usize::from(self.0)))
    }

    /// What its body must look like (for an operation that takes one).
    pub fn body(&self) -> Option<Kind> {
        let at = self.tail();
        (byte(at) != 0xff).then(|| KindRef(at as u16).get())
    }

    /// Its optional query parameters (for an operation that has some).
    pub fn query(&self) -> Option<Table> {
        let at = offset(skip_kind(self.tail()));
        (at != NONE).then_some(Table(at))
    }

    /// The positional arguments, in order (the call options always come last).
    pub fn args(&self) -> impl Iterator<Item = Arg> {
        let body = self.body();
        self.text()
            .split(' ')
            .skip(4)
            .map(move |t| match t.split_once(':') {
                Some(("p", name)) => Arg::Path(name),
                Some((_, names)) => {
                    let (name, wire) = names.split_once(':').unwrap_or((names, names));
                    Arg::Query(name, wire)
                }
                None if t == "b" => body.map_or(Arg::Filters, Arg::Body),
                None if t == "b?" => body.map_or(Arg::Filters, Arg::OptionalBody),
                None => Arg::Filters,
            })
    }
}

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
#[derive(Debug, Clone, Copy)]
pub enum Arg {
    /// A path id, named as the JS argument (`externalCustomerId`), for errors.
    Path(&'static str),
    /// A required query parameter taken positionally: its JS name and its wire name.
    Query(&'static str, &'static str),
    /// The request body and what it must look like.
    Body(Kind),
    /// A body the spec leaves optional: none is sent when the caller gives none.
    OptionalBody(Kind),
    /// The optional query object (its parameters: [`Operation::query`]).
    Filters,
}

/// What a JSON value must look like.
#[derive(Debug, Clone, Copy)]
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
    Array(KindRef),
    /// An object with known fields; fields it does not list are let through untouched.
    Object(Table),
    /// An object of string values (free-form maps such as `group` or `metadata[key]`).
    StrMap,
    /// An object of string or `null` values (`MetadataObject`: a `null` value removes a key).
    StrOrNullMap,
    /// An object whose values all match the inner kind (an event's `properties`).
    Map(KindRef),
    /// Any one of these (the spec's `oneOf`).
    OneOf(Kinds),
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

/// Where the kind written at `at` ends (`0xff`, no kind, is one byte too).
fn skip_kind(at: usize) -> usize {
    match byte(at) {
        8 | 9 => skip_kind(at + 1),
        10 => (0..byte(at + 1)).fold(at + 2, |at, _| skip_kind(at)),
        11 => at + 3,
        _ => at + 1,
    }
}

/// A kind in the blob, read when needed.
#[derive(Debug, Clone, Copy)]
pub struct KindRef(u16);

impl KindRef {
    /// The kind.
    pub fn get(self) -> Kind {
        let at = usize::from(self.0);
        let inner = || KindRef(self.0 + 1);
        match byte(at) {
            0 => Kind::Str,
            1 => Kind::NonEmptyStr,
            2 => Kind::Int,
            3 => Kind::Num,
            4 => Kind::Bool,
            5 => Kind::StrMap,
            6 => Kind::StrOrNullMap,
            8 => Kind::Array(inner()),
            9 => Kind::Map(inner()),
            10 => Kind::OneOf(Kinds(self.0)),
            11 => Kind::Object(Table(offset(at + 1))),
            _ => Kind::Any,
        }
    }
}

/// The members of a one-of kind.
#[derive(Debug, Clone, Copy)]
pub struct Kinds(u16);

impl Kinds {
    /// Each member, in order.
    pub fn iter(self) -> impl Iterator<Item = Kind> {
        let at = usize::from(self.0);
        let mut next = at + 2;
        (0..byte(at + 1)).map(move |_| {
            let member = KindRef(next as u16).get();
            next = skip_kind(next);
            member
        })
    }
}

/// The fields of an object, or an operation's query parameters.
#[derive(Debug, Clone, Copy)]
pub struct Table(u16);

impl Table {
    /// Its fields, in order (none for a table that is not there).
    pub fn fields(self) -> impl Iterator<Item = Field> {
        let at = usize::from(self.0);
        let count = if self.0 == NONE { 0 } else { byte(at) };
        let mut next = at + 1;
        (0..count).map(move |_| {
            let name = text(next);
            let flags_at = next + 1 + usize::from(byte(next));
            let flags = byte(flags_at);
            next = skip_kind(flags_at + 1);
            Field {
                name,
                kind: KindRef((flags_at + 1) as u16).get(),
                required: flags & 1 != 0,
                nullable: flags & 2 != 0,
                style: match flags >> 2 {
                    1 => QueryStyle::Brackets,
                    2 => QueryStyle::Deep,
                    _ => QueryStyle::Plain,
                },
            }
        })
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
    /// How a query parameter is written into the URL (`Plain` for a body's fields).
    pub style: QueryStyle,
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
