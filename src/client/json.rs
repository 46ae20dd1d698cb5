//! The Rust face's JSON reader: a `serde::Deserializer` over an answer's text, which the
//! models (`serde::Deserialize`, `serde_json::Value` in their `extra`) decode from instead of
//! `serde_json::from_str`. Why not serde_json's: in a Rust app its parser, error codes and texts,
//! positions and float tables came to about 24 KB of `find_customer`'s 117 KB; this one is a
//! non-generic tokenizer ([`Reader::token`]) and, per visitor, only the `visit_…` its type asks
//! for (CONTRIBUTING.md, "Performance", has the steps and their bytes).
//!
//! What it reads is what serde_json reads (RFC 8259; the tests and `core::fuzz` hold it to that):
//! strings with every escape and surrogate pairs (a lone surrogate is refused, as serde_json
//! does), numbers as `u64` when they fit, `i64` when negative and they fit, else `f64` (`-0` too;
//! correctly rounded, where serde_json rounds twice beyond 19 digits or 10^22), nesting up to 128
//! levels (deeper is refused, not a stack overflow), nothing but whitespace after the value.
//! Errors are a [`JsonError`]: the problem and the byte where it was seen. Nothing panics.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;

/// Why an answer's text could not be read as the type asked for: serde's words for a value of
/// the wrong shape (`missing field `lago_id``), or the reader's for text that is not JSON, with
/// the byte offset where the reader stood.
/// Boxed: a `Result<T, JsonError>` is then as small as serde_json's, which every field read
/// passes back (an unboxed error made the models' decoding kilobytes larger).
#[derive(Debug)]
pub(crate) struct JsonError(Box<Problem>);

#[derive(Debug)]
struct Problem {
    message: String,
    at: Option<usize>,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        match self.0.at {
            Some(at) => write!(f, " at byte {at}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for JsonError {}

impl de::Error for JsonError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        JsonError(Box::new(Problem {
            message: msg.to_string(),
            at: None,
        }))
    }

    /// serde's words, but with [`unexpected`] for the value.
    fn invalid_type(what: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "invalid type: {}, expected {expected}",
            Unexpected(what)
        ))
    }

    fn invalid_value(what: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "invalid value: {}, expected {expected}",
            Unexpected(what)
        ))
    }
}

/// serde's `Unexpected` in JSON's words (`null`, `list`, `object`), and a float without its
/// value: `Unexpected`'s own `Display` quotes it with core's float formatting, kilobytes of wasm
/// for an error message.
struct Unexpected<'a>(de::Unexpected<'a>);

impl fmt::Display for Unexpected<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use de::Unexpected as U;
        match self.0 {
            U::Bool(b) => write!(f, "boolean `{b}`"),
            U::Unsigned(n) => write!(f, "integer `{n}`"),
            U::Signed(n) => write!(f, "integer `{n}`"),
            U::Float(_) => f.write_str("floating point number"),
            U::Char(c) => write!(f, "character `{c}`"),
            // Quoted as it is: `Debug` would escape it, with core's Unicode tables.
            U::Str(s) => write!(f, "string \"{s}\""),
            U::Bytes(_) => f.write_str("byte array"),
            U::Unit => f.write_str("null"),
            U::Option => f.write_str("Option value"),
            U::NewtypeStruct => f.write_str("newtype struct"),
            U::Seq => f.write_str("list"),
            U::Map => f.write_str("object"),
            U::Enum => f.write_str("enum"),
            U::UnitVariant => f.write_str("unit variant"),
            U::NewtypeVariant => f.write_str("newtype variant"),
            U::TupleVariant => f.write_str("tuple variant"),
            U::StructVariant => f.write_str("struct variant"),
            U::Other(other) => f.write_str(other),
        }
    }
}

/// `T` read from the whole of `text` (whitespace around it allowed, nothing else).
pub(crate) fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T, JsonError> {
    let mut reader = Reader::new(text);
    let value = T::deserialize(&mut reader);
    reader.finish(value)
}

/// Deeper nesting is refused (as serde_json does), so that a hostile body cannot overflow the
/// stack: each level is a few frames of recursion.
const MAX_DEPTH: u32 = 128;

/// The exact powers of ten an `f64` holds (10^22 is the last): one multiplication or division
/// by one of them rounds once, so the fast path of [`Reader::float`] is exact.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The reader: the text and where it stands in it.
pub(crate) struct Reader<'de> {
    text: &'de str,
    pos: usize,
    depth: u32,
}

/// The nearest `f64` to a JSON number's text (which [`Reader::number`] checked), for the few
/// that Clinger's fast path cannot take. In the browser, JS's `parseFloat`, correctly rounded
/// and already there: a correct parser in Rust is core's `f64::from_str` (about 10 KB of tables)
/// or serde_json's (17 KB once it is in, and not correctly rounded); elsewhere (the native
/// tests), core's.
#[cfg(target_arch = "wasm32")]
fn slow_float(text: &str) -> f64 {
    js_sys::parse_float(text)
}

#[cfg(not(target_arch = "wasm32"))]
fn slow_float(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

/// A string as read: borrowed from the text when it had no escapes (no copy for keys and most
/// values), owned when it had some.
enum Text<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> Reader<'de> {
    pub(crate) fn new(text: &'de str) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
        }
    }

    /// `value`, if only whitespace follows it; an error gets the position it was seen at.
    pub(crate) fn finish<T>(&mut self, value: Result<T, JsonError>) -> Result<T, JsonError> {
        let value = value.and_then(|value| match self.peek() {
            None => Ok(value),
            Some(_) => Err(self.error("text after the JSON value")),
        });
        value.map_err(|mut e| {
            e.0.at.get_or_insert(self.pos);
            e
        })
    }

    fn error(&self, message: &str) -> JsonError {
        JsonError(Box::new(Problem {
            message: message.to_owned(),
            at: Some(self.pos),
        }))
    }

    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// The next byte that is not whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.byte() {
            self.pos += 1;
        }
        self.byte()
    }

    /// Consumes `byte` (after whitespace) or refuses with `message`.
    fn expect(&mut self, byte: u8, message: &str) -> Result<(), JsonError> {
        if self.peek() != Some(byte) {
            return Err(self.error(message));
        }
        self.pos += 1;
        Ok(())
    }

    /// Consumes the literal `word` (`null`, `true`, `false`), whose first byte was peeked.
    fn word(&mut self, word: &str) -> Result<(), JsonError> {
        let end = self.pos + word.len();
        if self.text.as_bytes().get(self.pos..end) != Some(word.as_bytes()) {
            return Err(self.error("expected a JSON value"));
        }
        self.pos = end;
        Ok(())
    }

    /// A string; the reader stands on its opening quote.
    fn string(&mut self) -> Result<Text<'de>, JsonError> {
        self.pos += 1;
        let bytes = self.text.as_bytes();
        let mut start = self.pos;
        let mut owned: Option<String> = None;
        loop {
            let Some(&b) = bytes.get(self.pos) else {
                return Err(self.error("unterminated string"));
            };
            match b {
                b'"' => {
                    // Both ends are ASCII, so `get` finds char boundaries.
                    let tail = self.text.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    return Ok(match owned {
                        None => Text::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Text::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(self.text.get(start..self.pos).unwrap_or_default());
                    self.pos += 1;
                    self.escape(s)?;
                    start = self.pos;
                }
                0..=0x1f => return Err(self.error("control character in a string")),
                _ => self.pos += 1,
            }
        }
    }

    /// One escape (the reader stands after its `\`), pushed onto `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let Some(b) = self.byte() else {
            return Err(self.error("unterminated string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xd800..=0xdbff => {
                        // A leading surrogate must be followed by `\u` and a trailing one.
                        if self.text.as_bytes().get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return Err(self.error("lone leading surrogate in an escape"));
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&low) {
                            return Err(self.error("lone leading surrogate in an escape"));
                        }
                        0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)
                    }
                    0xdc00..=0xdfff => {
                        return Err(self.error("lone trailing surrogate in an escape"))
                    }
                    _ => unit,
                };
                char::from_u32(code).ok_or_else(|| self.error("invalid escape"))?
            }
            _ => return Err(self.error("invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self
                .byte()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| self.error("invalid \\u escape"))?;
            unit = unit * 16 + digit;
            self.pos += 1;
        }
        Ok(unit)
    }

    /// The digits at the reader (at least one), consumed.
    fn digits(&mut self) -> Result<&'de str, JsonError> {
        let start = self.pos;
        while self.byte().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error("invalid number"));
        }
        Ok(self.text.get(start..self.pos).unwrap_or_default())
    }

    /// A number, as serde_json reads it: `u64`, negative `i64`, else `f64`. Not generic (one
    /// copy for every visitor).
    #[inline(never)]
    fn number(&mut self) -> Result<Num, JsonError> {
        let start = self.pos;
        let negative = self.byte() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int = self.digits()?;
        if int.len() > 1 && int.starts_with('0') {
            return Err(self.error("invalid number"));
        }
        let mut frac = "";
        if self.byte() == Some(b'.') {
            self.pos += 1;
            frac = self.digits()?;
        }
        let mut exponent: i64 = 0;
        if let Some(b'e' | b'E') = self.byte() {
            self.pos += 1;
            let minus = self.byte() == Some(b'-');
            if let Some(b'+' | b'-') = self.byte() {
                self.pos += 1;
            }
            // Saturated: an exponent of more than 18 digits is out of range either way.
            let digits = self.digits()?;
            exponent = digits.bytes().fold(0i64, |e, d| {
                e.saturating_mul(10).saturating_add(i64::from(d - b'0'))
            });
            if minus {
                exponent = -exponent;
            }
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        if text.len() == int.len() + usize::from(negative) {
            if let Ok(n) = int.parse::<u64>() {
                if !negative {
                    return Ok(Num::U(n));
                }
                // `-0` and negatives beyond `i64` are floats, as serde_json makes them.
                let neg = (n as i64).wrapping_neg();
                if neg < 0 {
                    return Ok(Num::I(neg));
                }
            }
        }
        self.float(negative, int, frac, exponent, text).map(Num::F)
    }

    /// The `f64` of a number: exact in one operation when its digits fit an `f64`'s 53 bits and
    /// its power of ten is exact (Clinger's fast path: every amount and rate Lago sends), else
    /// [`slow_float`] (17 significant digits, huge exponents).
    fn float(
        &self,
        negative: bool,
        int: &str,
        frac: &str,
        exponent: i64,
        text: &str,
    ) -> Result<f64, JsonError> {
        let digits = int.bytes().chain(frac.bytes()).skip_while(|&d| d == b'0');
        let mut mantissa: u64 = 0;
        let mut count = 0;
        for d in digits {
            mantissa = mantissa * 10 + u64::from(d - b'0');
            count += 1;
            if count > 15 {
                break;
            }
        }
        let power = exponent.saturating_sub(frac.len() as i64);
        let scale = POW10.get(usize::try_from(power.unsigned_abs()).unwrap_or(usize::MAX));
        if let Some(&scale) = scale.filter(|_| count <= 15 && mantissa < 1 << 53) {
            let f = mantissa as f64;
            let f = if power < 0 { f / scale } else { f * scale };
            return Ok(if negative { -f } else { f });
        }
        // 1e400 and beyond: JSON allows them, an `f64` does not hold them (serde_json refuses
        // them too).
        Some(slow_float(text))
            .filter(|f| f.is_finite())
            .ok_or_else(|| self.error("number out of range"))
    }

    /// The next value's first token, consumed (a list's or an object's opening bracket, which
    /// enters one level). Not generic: one copy for every visitor.
    #[inline(never)]
    fn token(&mut self) -> Result<Token<'de>, JsonError> {
        Ok(match self.peek() {
            Some(b'n') => {
                self.word("null")?;
                Token::Null
            }
            Some(b't') => {
                self.word("true")?;
                Token::Bool(true)
            }
            Some(b'f') => {
                self.word("false")?;
                Token::Bool(false)
            }
            Some(b'"') => Token::Str(self.string()?),
            Some(b'-' | b'0'..=b'9') => Token::Num(self.number()?),
            Some(open @ (b'[' | b'{')) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.error("nested too deep"));
                }
                self.pos += 1;
                if open == b'[' {
                    Token::List
                } else {
                    Token::Object
                }
            }
            Some(_) => return Err(self.error("expected a JSON value")),
            None => return Err(self.error("the text ends before the JSON value")),
        })
    }

    /// Hands `token` (and, for a list or an object, what follows) to `visitor`.
    fn visit<V: Visitor<'de>>(
        &mut self,
        token: Token<'de>,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        match token {
            Token::Null => visitor.visit_unit(),
            Token::Bool(b) => visitor.visit_bool(b),
            Token::Str(Text::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Token::Str(Text::Owned(s)) => visitor.visit_string(s),
            Token::Num(Num::U(n)) => visitor.visit_u64(n),
            Token::Num(Num::I(n)) => visitor.visit_i64(n),
            Token::Num(Num::F(n)) => visitor.visit_f64(n),
            Token::List => self.list(visitor),
            Token::Object => self.object(visitor),
        }
    }

    /// A list's items to `visitor` (its `[` read).
    fn list<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, JsonError> {
        let value = visitor.visit_seq(Items {
            reader: &mut *self,
            first: true,
        })?;
        // A visitor that stopped early (none of the crate's) would leave items unread.
        self.close(b']', "more items in the list than expected")?;
        Ok(value)
    }

    /// An object's entries to `visitor` (its `{` read).
    fn object<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, JsonError> {
        let value = visitor.visit_map(Entries {
            reader: &mut *self,
            first: true,
        })?;
        self.close(b'}', "more keys in the object than expected")?;
        Ok(value)
    }

    fn close(&mut self, bracket: u8, message: &str) -> Result<(), JsonError> {
        self.expect(bracket, message)?;
        self.depth -= 1;
        Ok(())
    }

    /// A value of the wrong kind for `expected`, in serde's words.
    #[inline(never)]
    fn mismatch(&self, token: &Token<'_>, expected: &dyn de::Expected) -> JsonError {
        let what = match token {
            Token::Null => de::Unexpected::Unit,
            Token::Bool(b) => de::Unexpected::Bool(*b),
            Token::Str(Text::Borrowed(s)) => de::Unexpected::Str(s),
            Token::Str(Text::Owned(s)) => de::Unexpected::Str(s),
            Token::Num(Num::U(n)) => de::Unexpected::Unsigned(*n),
            Token::Num(Num::I(n)) => de::Unexpected::Signed(*n),
            Token::Num(Num::F(n)) => de::Unexpected::Float(*n),
            Token::List => de::Unexpected::Seq,
            Token::Object => de::Unexpected::Map,
        };
        de::Error::invalid_type(what, expected)
    }
}

/// A value's first token ([`Reader::token`]).
enum Token<'de> {
    Null,
    Bool(bool),
    Str(Text<'de>),
    Num(Num),
    List,
    Object,
}

/// A number in the form serde_json gives it to a visitor.
enum Num {
    U(u64),
    I(i64),
    F(f64),
}

/// Each `deserialize_…` takes only the JSON it asks for and refuses the rest before calling the
/// visitor, so a visitor is compiled with the one `visit_…` it needs (a `String`'s has no list
/// or number path); `deserialize_any` (`Value`, `NumOrStr`, numbers) takes everything.
macro_rules! only {
    ($($method:ident($token:ident, $visitor:ident, $reader:ident) { $($arm:pat => $then:expr),+ $(,)? })*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $visitor: V) -> Result<V::Value, JsonError> {
                let $reader = self;
                let $token = $reader.token()?;
                match $token {
                    $($arm => $then,)+
                    other => Err($reader.mismatch(&other, &$visitor)),
                }
            }
        )*
    };
}

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        let token = self.token()?;
        self.visit(token, visitor)
    }

    only! {
        deserialize_bool(t, v, r) { Token::Bool(b) => v.visit_bool(b) }
        deserialize_str(t, v, r) {
            Token::Str(Text::Borrowed(s)) => v.visit_borrowed_str(s),
            Token::Str(Text::Owned(s)) => v.visit_string(s),
        }
        deserialize_string(t, v, r) {
            Token::Str(Text::Borrowed(s)) => v.visit_borrowed_str(s),
            Token::Str(Text::Owned(s)) => v.visit_string(s),
        }
        deserialize_identifier(t, v, r) {
            Token::Str(Text::Borrowed(s)) => v.visit_borrowed_str(s),
            Token::Str(Text::Owned(s)) => v.visit_string(s),
        }
        deserialize_unit(t, v, r) { Token::Null => v.visit_unit() }
        deserialize_seq(t, v, r) { Token::List => r.list(v) }
        deserialize_map(t, v, r) { Token::Object => r.object(v) }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        if self.peek() == Some(b'n') {
            self.word("null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit_struct tuple
        tuple_struct enum ignored_any
    }
}

/// The items of a list; the reader stands after `[` or after an item.
struct Items<'a, 'de> {
    reader: &'a mut Reader<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = JsonError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, JsonError> {
        if self.reader.peek() == Some(b']') {
            return Ok(None);
        }
        if !std::mem::take(&mut self.first) {
            self.reader.expect(b',', "expected `,` or `]`")?;
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

/// The entries of an object; the reader stands after `{` or after a value.
struct Entries<'a, 'de> {
    reader: &'a mut Reader<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = JsonError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, JsonError> {
        if self.reader.peek() == Some(b'}') {
            return Ok(None);
        }
        if !std::mem::take(&mut self.first) {
            self.reader.expect(b',', "expected `,` or `}`")?;
        }
        if self.reader.peek() != Some(b'"') {
            return Err(self.reader.error("expected a key"));
        }
        let key = self.reader.string()?;
        seed.deserialize(Key(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, JsonError> {
        self.reader.expect(b':', "expected `:`")?;
        seed.deserialize(&mut *self.reader)
    }
}

/// A key, handed over as the string it is.
struct Key<'de>(Text<'de>);

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.0 {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            Text::Owned(s) => visitor.visit_string(s),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn same_as_serde_json(text: &str) {
        let ours = from_str::<Value>(text).map_err(|e| e.to_string());
        let theirs = serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{text:?}");
                // Numbers in the same form (`1.0` stays a float, `-0` a float, `1` an integer).
                assert_eq!(a.to_string(), b.to_string(), "{text:?}");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            "null", "true", "false", "0", "-0", "1", "-1", "1.0", "-1.5", "0.5", "1e3", "1E+3",
            "1e-3", "-0.0", "12.50", "0.1", "0.30000000000000004", "1.7976931348623157e308",
            "5e-324", "1e400", "-1e400", "1e-400", "123456789012345678901234567890",
            "18446744073709551615", "18446744073709551616", "-9223372036854775808",
            "-9223372036854775809", "9007199254740993", "4.35", "100.0e-2", "2.5E-5",
            r#""""#, r#""a\"b\\c\/d\b\f\n\r\t""#, r#""\u00e9\u65e5\ud83d\ude00""#,
            r#""é日本😀""#, r#""\ud83d""#, r#""\ude00""#, r#""\ud83d\u0041""#, r#""\u12""#,
            r#""\x""#, "\"a\u{1}b\"", "\"unterminated", "[]", "[1,2,[3,{}]]", "[1,]", "[,1]",
            "[1 2]", "{}", r#"{"a":1,"b":[true,null]}"#, r#"{"a":1,}"#, r#"{"a" 1}"#,
            r#"{1:2}"#, r#"{"a":1"b":2}"#, " \n\t{ \"a\" : [ ] } \r\n", "01", "1.", ".5",
            "-", "+1", "1e", "1e+", "--1", "nul", "nulll", "tru", "[1] x", "", "   ",
            r#"{"a":1,"a":2}"#, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ] {
            same_as_serde_json(text);
        }
    }

    #[test]
    fn refuses_deep_nesting_instead_of_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert!(from_str::<Value>(&deep)
            .unwrap_err()
            .to_string()
            .starts_with("nested too deep"));
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(from_str::<Value>(&ok).is_ok());
    }

    #[test]
    fn errors_say_what_and_where() {
        let err = |text: &str| from_str::<Value>(text).unwrap_err().to_string();
        assert_eq!(
            err(r#"{"a":"#),
            "the text ends before the JSON value at byte 5"
        );
        assert_eq!(err("[1] x"), "text after the JSON value at byte 4");
        assert_eq!(
            err(r#""\ud83d""#),
            "lone leading surrogate in an escape at byte 7"
        );
        // serde's own words for a value of the wrong shape, at the byte where it was seen.
        let wrong = from_str::<crate::models::CustomerResponse>(r#"{"customer": {"lago_id": 1}}"#);
        let wrong = wrong.unwrap_err().to_string();
        assert!(
            wrong.starts_with("invalid type: integer `1`, expected a string"),
            "{wrong}"
        );
        assert!(wrong.ends_with("at byte 26"), "{wrong}");
    }

    #[test]
    fn keys_and_strings_without_escapes_are_borrowed() {
        #[derive(serde::Deserialize)]
        struct Borrowing<'a> {
            #[serde(borrow)]
            a: &'a str,
        }
        let text = r#"{"a": "plain"}"#;
        assert_eq!(from_str::<Borrowing>(text).unwrap().a, "plain");
        // An escaped string cannot be borrowed: serde refuses it rather than copy.
        assert!(from_str::<Borrowing>(r#"{"a": "\n"}"#).is_err());
    }

    /// Every body of the corpus decodes into its model as serde_json decodes it.
    #[test]
    fn the_corpus_decodes_as_with_serde_json() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        let mut seen = 0;
        for kind in std::fs::read_dir(&dir).expect("tests/corpus") {
            let kind = kind.expect("entry").path();
            for file in std::fs::read_dir(&kind).into_iter().flatten() {
                let file = file.expect("entry").path();
                if file.extension().and_then(|e| e.to_str()) != Some("json") {
                    continue;
                }
                let text = std::fs::read_to_string(&file).expect("a corpus body");
                same_as_serde_json(&text);
                let ours: Value = from_str(&text).expect("reads");
                assert_eq!(ours, serde_json::from_str::<Value>(&text).expect("reads"));
                seen += 1;
            }
        }
        assert!(seen > 20, "{seen} corpus bodies");
        // And a model: the same struct through either reader.
        let text = r#"{"customer":{"lago_id":"1a90","external_id":"a\u00e9","name":"A",
            "metadata":[{"lago_id":"m1","key":"k","value":"v"}],"x":[1.0,-0,2e2]}}"#;
        let ours: crate::models::CustomerResponse = from_str(text).expect("ours");
        let theirs: crate::models::CustomerResponse = serde_json::from_str(text).expect("theirs");
        assert_eq!(ours, theirs);
        assert_eq!(
            serde_json::to_value(&ours).unwrap(),
            json!({"customer":{"lago_id":"1a90","external_id":"aé","name":"A",
                "metadata":[{"lago_id":"m1","key":"k","value":"v"}],"x":[1.0,-0.0,200.0]}})
        );
    }
}
