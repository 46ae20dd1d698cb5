//! Static descriptions of the spec's operations and of the shapes caller input is checked
//! against. They are read from one generated blob, `spec_tables::SPEC` (written by
//! `tools/gen-from-spec.mjs` from Lago's spec); this file says what its bytes mean. The blob is
//! face-neutral: it names arguments by their wire names only, and each face names them its own
//! way (the Rust face from its generated methods, the JS face by `js_name`).
//!
//! Operations and tables are addressed by their u16 offset in the blob. Texts are ASCII ended by
//! a NUL. The letters below are `gen-from-spec.mjs`'s `RETRY_TAGS`, `ANSWER_KINDS` and
//! `ARG_TAGS` (the Node blob reader takes them from there too).
//! - an operation: its method (an index in `spec_tables::METHODS`); its retry class (`i`, `u`,
//!   or `k` then the key's path as a text; see [`Retry`]); its route as the spec writes it; its
//!   answer (a count, then per alternative its kind letter, one of `tonlp` (see [`Shape`]), and
//!   its key as a text); its arguments (a count, then per argument a letter: `p` a path id, `q`
//!   a required query value followed by its wire name, `b` the body, `B` a body that may be left
//!   out, `f` the optional query object); its query table as an object kind (or `0xff` for
//!   none); its body's kind (or `0xff` for none);
//! - a table: a count byte, then per field its name (a text) and its kind, whose first byte
//!   holds the field's flags in its high four bits (1: required, 2: nullable, `style << 2`);
//! - a kind, written where it is used: a tag (0 to 7: the simple kinds, in [`Kind`]'s order; 8
//!   array and 9 map, then the inner kind; 10 one of, then a count and that many kinds; 11
//!   object, then the offset of its table; 12 object, then its table itself, for a table used
//!   in that one place).
//!
//! As structs of pointers, the 202 operations' tables were 17 KiB of the npm wasm's gzip; as
//! this blob, 4.9 (measured with all 202 operations).

use super::spec_tables::{METHODS, SPEC};
use super::text::split_once;

const NONE: u16 = 0xffff;

/// The byte at `at` (0 past the end: the blob is generated, its offsets hold).
fn byte(at: usize) -> u8 {
    SPEC.get(at).copied().unwrap_or(0)
}

/// The u16 offset at `at` (little-endian).
fn offset(at: usize) -> u16 {
    u16::from_le_bytes([byte(at), byte(at + 1)])
}

/// The NUL-ended ASCII at `at` of `bytes` (`""` if it were not ASCII: the generator writes
/// only ASCII), and where it ends (past its NUL). One reader for the blob and for a [`Shape`]'s
/// bytes, which on the Rust face are a static of their own.
fn text_at(bytes: &'static [u8], at: usize) -> (&'static str, usize) {
    let rest = bytes.get(at..).unwrap_or_default();
    // One sweep to the NUL, checking each byte ASCII on the way: a body's check reads a table's
    // every name, and a sweep to find the NUL then another to check the text cost twice that.
    let (mut len, mut ascii) = (0, true);
    while let Some(&b) = rest.get(len).filter(|&&b| b != 0) {
        ascii &= b.is_ascii();
        len += 1;
    }
    let text = rest.get(..len).unwrap_or_default();
    // SAFETY: ASCII is valid UTF-8. (`str::from_utf8` would validate it again, and its
    // validator is 0.7 KB of the npm wasm that nothing else there needs.)
    let text = if ascii {
        unsafe { std::str::from_utf8_unchecked(text) }
    } else {
        ""
    };
    (text, at + len + 1)
}

/// Where the text at `at` ends (past its NUL): found without reading the text as one (a body's
/// check steps over every name of the tables written inside the one it reads).
fn skip_text(at: usize) -> usize {
    let rest = SPEC.get(at..).unwrap_or_default();
    at + 1 + rest.iter().position(|&b| b == 0).unwrap_or(rest.len())
}

/// One operation of an API class: its offset in the blob. [`Operation::read`] decodes it, once
/// per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation(pub u16);

/// Most positional arguments an operation takes (the generator refuses more).
pub const MAX_ARGS: usize = 5;

/// An operation as a call uses it: its record read once, field by field.
#[derive(Debug, Clone, Copy)]
pub struct Op {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The route as the spec writes it (`/customers/{external_customer_id}`): each `{...}` is
    /// filled, in order, by the path arguments.
    pub route: &'static str,
    /// What the top level of a good answer holds.
    pub answer: Shape,
    /// What sending its request twice can do, and so when it may be sent again.
    pub retry: Retry,
    /// Its optional query parameters (for an operation that has some).
    pub query: Option<Table>,
    args: [Arg; MAX_ARGS],
    arg_count: u8,
}

impl Operation {
    /// Its record, decoded.
    pub fn read(&self) -> Op {
        self.read_record().0
    }

    /// The operation whose record follows this one's: the blob holds them in the order of the
    /// JS face's indexes.
    #[cfg(any(feature = "js", test))]
    pub fn next(&self) -> Operation {
        Operation(skip_kind(self.read_record().1) as u16)
    }

    /// Its record, decoded, and where its body's kind is: the record's last part, which only
    /// [`Operation::next`] steps over (a body table written inline is long to walk, and a call
    /// reads its record every time).
    fn read_record(&self) -> (Op, usize) {
        let start = usize::from(self.0);
        let method = METHODS
            .get(usize::from(byte(start)))
            .copied()
            .unwrap_or("GET");
        let mut at = start + 2;
        let retry = match byte(start + 1) {
            b'u' => Retry::Unsafe,
            b'k' => {
                let (key, after) = text_at(SPEC, at);
                at = after;
                Retry::Keyed(key)
            }
            _ => Retry::Idempotent,
        };
        let (route, after) = text_at(SPEC, at);
        at = after;
        let answer_at = at;
        at = (0..byte(at)).fold(at + 1, |at, _| skip_text(at + 1));
        let answer = Shape(SPEC.get(answer_at..at).unwrap_or_default());
        let arg_count = byte(at).min(MAX_ARGS as u8);
        let mut tags = at + 1;
        at = (0..byte(at)).fold(at + 1, |at, _| match byte(at) {
            b'q' => skip_text(at + 1),
            _ => at + 1,
        });
        // The query table, written as an object kind (or `0xff`), then the body's kind.
        let query = match (byte(at) != 0xff).then(|| KindRef(at as u16).get()) {
            Some(Kind::Object(table)) => Some(table),
            _ => None,
        };
        let body_at = skip_kind(at);
        let body = (byte(body_at) != 0xff).then(|| KindRef(body_at as u16).get());
        let mut args = [Arg::Filters; MAX_ARGS];
        let mut rest = route;
        for arg in args.iter_mut().take(usize::from(arg_count)) {
            *arg = match byte(tags) {
                b'p' => {
                    // Its wire name: the route's next `{...}`.
                    let (name, after) = next_placeholder(rest);
                    rest = after;
                    Arg::Path(name)
                }
                b'q' => {
                    let (wire, after) = text_at(SPEC, tags + 1);
                    tags = after - 1;
                    Arg::Query(wire)
                }
                b'b' => body.map_or(Arg::Filters, Arg::Body),
                b'B' => body.map_or(Arg::Filters, Arg::OptionalBody),
                _ => Arg::Filters,
            };
            tags += 1;
        }
        let op = Op {
            method,
            route,
            answer,
            retry,
            query,
            args,
            arg_count,
        };
        (op, body_at)
    }
}

/// The name inside the next `{...}` of `route`, and the route after it.
fn next_placeholder(route: &'static str) -> (&'static str, &'static str) {
    split_once(route, "{")
        .and_then(|(_, rest)| split_once(rest, "}"))
        .unwrap_or(("", ""))
}

impl Op {
    /// An operation as the Rust face sends it (its generated `Endpoint`s): what the transport
    /// reads, with no arguments listed (its methods take their own) and no query table.
    pub const fn new(method: &'static str, route: &'static str, answer: Shape, retry: Retry) -> Op {
        Op {
            method,
            route,
            answer,
            retry,
            query: None,
            args: [Arg::Filters; MAX_ARGS],
            arg_count: 0,
        }
    }

    /// The positional arguments, in order (the call options always come last).
    pub fn args(&self) -> &[Arg] {
        self.args.get(..usize::from(self.arg_count)).unwrap_or(&[])
    }

    /// What its body must look like (for an operation that takes one).
    pub fn body(&self) -> Option<Kind> {
        self.args().iter().find_map(|a| match a {
            Arg::Body(kind) | Arg::OptionalBody(kind) => Some(*kind),
            _ => None,
        })
    }
}

/// What the top level of a good answer holds: no content, text, or JSON with one of its
/// alternatives (the spec's `oneOf`) at the top level. Checked in one JS call (`parseBody` in
/// `runtime.js`, which takes it as the text [`Shape::alternatives`] spells).
///
/// Its bytes are a count, then per alternative its kind letter and its key as a text: a slice
/// of the blob on the JS face, a static of its own on the Rust face's `Endpoint`s (so a Rust
/// app links no blob for it); `answerBytes` in gen-from-spec.mjs writes both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape(&'static [u8]);

impl Shape {
    /// The shape these bytes spell (see above).
    pub const fn new(bytes: &'static [u8]) -> Shape {
        Shape(bytes)
    }

    /// The alternatives, each a kind letter (`t` text, `o` an object under the key, `n` an
    /// object or `null`, `l` an array, `p` an array plus a `meta` object) and its key; none for
    /// an answer with no content.
    pub fn alternatives(self) -> impl Iterator<Item = (u8, &'static str)> {
        let bytes = self.0;
        let mut next = 1;
        (0..bytes.first().copied().unwrap_or(0)).map(move |_| {
            let kind = bytes.get(next).copied().unwrap_or(0);
            let (key, after) = text_at(bytes, next + 1);
            next = after;
            (kind, key)
        })
    }

    /// Where its bytes are: the same for the same shape of the blob, so a cache keyed by it
    /// compares one number instead of the bytes.
    pub fn addr(self) -> usize {
        self.0.as_ptr() as usize
    }

    /// The first alternative's kind letter (0 for an answer with no content).
    pub fn kind(self) -> u8 {
        self.alternatives().next().map_or(0, |(kind, _)| kind)
    }

    /// A text answer (`fetchPublicKey`'s `text/plain`).
    pub fn is_text(self) -> bool {
        self.kind() == b't'
    }

    /// The key of the first alternative (a list's items, for its pager).
    pub fn key(self) -> &'static str {
        self.alternatives().next().map_or("", |(_, key)| key)
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
    /// A path id, by its wire name (`external_customer_id`: the route's placeholder). Read by
    /// the JS face, which names its arguments after it; the Rust face's methods name theirs.
    Path(#[cfg_attr(not(any(feature = "js", test)), allow(dead_code))] &'static str),
    /// A required query parameter taken positionally, by its wire name.
    Query(&'static str),
    /// The request body and what it must look like.
    Body(Kind),
    /// A body the spec leaves optional: none is sent when the caller gives none.
    OptionalBody(Kind),
    /// The optional query object (its parameters: [`Op::query`]).
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
    match byte(at) & 15 {
        8 | 9 => skip_kind(at + 1),
        10 => (0..byte(at + 1)).fold(at + 2, |at, _| skip_kind(at)),
        11 => at + 3,
        12 => skip_table(at + 1),
        _ => at + 1,
    }
}

/// Where the table written at `at` ends.
fn skip_table(at: usize) -> usize {
    (0..byte(at)).fold(at + 1, |at, _| skip_kind(skip_text(at)))
}

/// A kind in the blob, read when needed.
#[derive(Debug, Clone, Copy)]
pub struct KindRef(u16);

impl KindRef {
    /// The kind.
    pub fn get(self) -> Kind {
        let at = usize::from(self.0);
        let inner = || KindRef(self.0 + 1);
        match byte(at) & 15 {
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
            12 => Kind::Object(Table(self.0 + 1)),
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
            let (name, kind_at) = text_at(SPEC, next);
            // The field's flags are the high four bits of its kind's first byte.
            let flags = byte(kind_at) >> 4;
            next = skip_kind(kind_at);
            Field {
                name,
                kind: KindRef(kind_at as u16).get(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec_tables::{
        CREATE_CUSTOMER_WALLET_ALERT, DESTROY_CUSTOMER, FETCH_PUBLIC_KEY,
        FIND_CUSTOMER_CURRENT_USAGE, OPERATIONS,
    };

    fn answer(op: &Op) -> Vec<(char, &'static str)> {
        op.answer
            .alternatives()
            .map(|(k, key)| (char::from(k), key))
            .collect()
    }

    #[test]
    fn an_operation_record_reads_into_its_parts_with_wire_names() {
        let op = FIND_CUSTOMER_CURRENT_USAGE.read();
        assert_eq!(op.method, "GET");
        assert_eq!(op.route, "/customers/{external_customer_id}/current_usage");
        assert_eq!(answer(&op), [('o', "customer_usage")]);
        assert_eq!(op.retry, Retry::Idempotent);
        assert!(matches!(
            op.args(),
            [
                Arg::Path("external_customer_id"),
                Arg::Query("external_subscription_id"),
                Arg::Filters
            ]
        ));
        assert!(op.query.is_some() && op.body().is_none());

        let op = CREATE_CUSTOMER_WALLET_ALERT.read();
        assert_eq!(op.method, "POST");
        assert_eq!(answer(&op), [('o', "alert"), ('l', "alerts")]);
        assert_eq!(op.retry, Retry::Keyed("alert.code|alerts"));
        assert!(matches!(
            op.args(),
            [
                Arg::Path("external_customer_id"),
                Arg::Path("wallet_code"),
                Arg::Body(Kind::OneOf(_))
            ] | [
                Arg::Path("external_customer_id"),
                Arg::Path("wallet_code"),
                Arg::Body(Kind::Object(_))
            ]
        ));

        let op = DESTROY_CUSTOMER.read();
        assert_eq!((op.method, op.answer.key()), ("DELETE", "customer"));
        assert!(FETCH_PUBLIC_KEY.read().answer.is_text());
    }

    #[test]
    fn walking_the_records_finds_every_operation_in_order() {
        let mut op = Operation(0);
        for listed in OPERATIONS {
            assert_eq!(op, listed);
            op = op.next();
        }
        assert_eq!(OPERATIONS.len(), crate::core::spec_tables::OPERATION_COUNT);
    }

    #[test]
    fn every_operation_reads_whole() {
        for op in OPERATIONS.iter().map(Operation::read) {
            assert!(op.route.starts_with('/'), "{op:?}");
            let placeholders = op.route.matches('{').count();
            let paths = op
                .args()
                .iter()
                .filter(|a| matches!(a, Arg::Path(_)))
                .count();
            assert_eq!(placeholders, paths, "{}", op.route);
            assert!(op
                .args()
                .iter()
                .all(|a| !matches!(a, Arg::Path("") | Arg::Query(""))));
        }
    }
}
