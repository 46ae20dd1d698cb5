//! The body check of both faces: a body's JSON text, read byte by byte, against the spec's
//! table for it (required fields, types, nested objects and arrays, `oneOf`). The JS face
//! checks the very text `JSON.stringify` gave and sends it as it is: one string crosses into
//! wasm instead of one boundary crossing per field probed, and what was checked is what is sent.
//! Every read is a `get`, never an index, and containers are skipped without recursion, so
//! no text (however deep or broken) can panic or overflow the stack; the check's own recursion
//! follows the table, whose depth is fixed.
//! Enum membership is not checked: Lago's server judges it (REALITY.md).

use super::encode::push_u64;
use super::schema::{Field, Kind, Operation};
use super::spec_tables::CREATE_CUSTOMER;

/// Where a refused value sits (`customer.metadata.0.key`, `body` for the body itself) and
/// what is wrong with it.
pub type Refusal = (String, &'static str);

/// Checks `json`, the text of `op`'s body, against `kind` (the table of that body). Members
/// are looked up as a JSON reader finds them: the last of two equal keys wins.
pub fn check_body(op: &Operation, kind: &Kind, json: &[u8]) -> Result<(), Refusal> {
    let mut reader = Reader { json, at: 0 };
    let well_formed = reader.skip().is_ok() && reader.at_end();
    let name = |path: String| if path.is_empty() { "body".into() } else { path };
    if !well_formed {
        return Err((name(String::new()), "is not valid JSON"));
    }
    reader.at = 0;
    let mut path = String::new();
    reader
        .check(kind, &mut path)
        .map_err(|(path, problem)| (name(path), problem))?;
    // The one check beyond the spec: `customer.external_id` is the customer's identity and
    // the path id of every later call, where "" is refused, so "" is refused here too.
    if std::ptr::eq(op, &CREATE_CUSTOMER) && empty_string_at(json, &["customer", "external_id"]) {
        return Err(("customer.external_id".into(), "must not be empty"));
    }
    Ok(())
}

/// Whether the value under `keys` (object in object) is `""`.
fn empty_string_at(json: &[u8], keys: &[&str]) -> bool {
    let mut reader = Reader { json, at: 0 };
    for key in keys {
        let Some(at) = reader.members().ok().and_then(|m| find(&m, key)) else {
            return false;
        };
        reader.at = at;
    }
    reader.ws();
    json.get(reader.at..reader.at + 2) == Some(b"\"\"")
}

/// Text that is not JSON (what the checks below read is already known to be JSON).
struct Malformed;

/// One member of an object: its key as written (between the quotes) and where its value starts.
type Member<'a> = (&'a [u8], usize);

/// Where the value of the last member named `name` starts.
fn find(members: &[Member<'_>], name: &str) -> Option<usize> {
    members
        .iter()
        .rev()
        .find(|(key, _)| key_is(key, name))
        .map(|&(_, at)| at)
}

/// A cursor over JSON text.
struct Reader<'a> {
    json: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.json.get(self.at).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Steps over `b` when it comes next.
    fn eat(&mut self, b: u8) -> bool {
        let next = self.peek() == Some(b);
        self.at += usize::from(next);
        next
    }

    /// Steps over `b` when it comes next after whitespace.
    fn take(&mut self, b: u8) -> bool {
        self.ws();
        self.eat(b)
    }

    fn expect(&mut self, b: u8) -> Result<(), Malformed> {
        self.take(b).then_some(()).ok_or(Malformed)
    }

    fn at_end(&mut self) -> bool {
        self.ws();
        self.at == self.json.len()
    }

    /// Steps over one JSON value, containers with a stack of their closing bytes rather than
    /// recursion (a caller's body may nest 100,000 deep).
    fn skip(&mut self) -> Result<(), Malformed> {
        let mut open = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                Some(b @ (b'{' | b'[')) => {
                    self.at += 1;
                    // `}` and `]` are two bytes after `{` and `[` in ASCII.
                    let close = b + 2;
                    if !self.take(close) {
                        open.push(close);
                        if close == b'}' {
                            self.key()?;
                        }
                        continue;
                    }
                }
                Some(b'"') => self.string()?,
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                _ => {
                    self.number()?;
                }
            }
            // After a value: close what ends here, then go on with the next item or member.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                if !self.take(close) {
                    self.expect(b',')?;
                    if close == b'}' {
                        self.key()?;
                    }
                    break;
                }
                open.pop();
            }
        }
    }

    /// A member's key and its `:`; the key as written, between its quotes.
    fn key(&mut self) -> Result<&'a [u8], Malformed> {
        self.ws();
        let start = self.at + 1;
        self.string()?;
        let key = self.json.get(start..self.at - 1).unwrap_or_default();
        self.expect(b':')?;
        Ok(key)
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Malformed> {
        let end = self.at + word.len();
        (self.json.get(self.at..end) == Some(word))
            .then(|| self.at = end)
            .ok_or(Malformed)
    }

    fn string(&mut self) -> Result<(), Malformed> {
        self.ws();
        if !self.eat(b'"') {
            return Err(Malformed);
        }
        loop {
            let b = self.peek().ok_or(Malformed)?;
            self.at += 1;
            match b {
                b'"' => return Ok(()),
                b'\\' => {
                    let escape = self.peek().ok_or(Malformed)?;
                    self.at += 1;
                    if escape == b'u' {
                        let hex = self.json.get(self.at..self.at + 4).ok_or(Malformed)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return Err(Malformed);
                        }
                        self.at += 4;
                    } else if !b"\"\\/bfnrt".contains(&escape) {
                        return Err(Malformed);
                    }
                }
                0..=0x1f => return Err(Malformed),
                _ => {}
            }
        }
    }

    /// Steps over a number; whether it is a whole number. Decided on the decimal text (no
    /// float parsing code in the wasm), which is exact for the shortest round-trip form that
    /// `JSON.stringify` and serde_json write: a fraction there always shows as one.
    fn number(&mut self) -> Result<bool, Malformed> {
        self.eat(b'-');
        let start = self.at;
        let whole = self.digits();
        if whole == 0 || (whole > 1 && self.peek_at(start) == Some(b'0')) {
            return Err(Malformed);
        }
        let mut fraction = 0;
        if self.eat(b'.') {
            fraction = self.digits();
            if fraction == 0 {
                return Err(Malformed);
            }
        }
        let digits = self.json.get(start..self.at).unwrap_or_default();
        let mut exponent: i64 = 0;
        if self.eat(b'e') || self.eat(b'E') {
            let negative = self.eat(b'-');
            if !negative {
                self.eat(b'+');
            }
            let from = self.at;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                exponent = (exponent * 10 + i64::from(d - b'0')).min(1 << 40);
                self.at += 1;
            }
            if self.at == from {
                return Err(Malformed);
            }
            if negative {
                exponent = -exponent;
            }
        }
        // The digits times 10^(exponent - fraction): whole when the trailing zeros of the
        // digits make up for the places after the point (or when every digit is 0).
        let zeros = digits.iter().rev().filter(|&&d| d != b'.');
        let zeros = zeros.take_while(|&&d| d == b'0').count();
        let all_zero = digits.iter().all(|&d| d == b'0' || d == b'.');
        Ok(all_zero || exponent - fraction as i64 + zeros as i64 >= 0)
    }

    fn peek_at(&self, at: usize) -> Option<u8> {
        self.json.get(at).copied()
    }

    /// How many digits come next (stepped over).
    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    /// The members of the object that comes next (`Err` when no object does).
    fn members(&mut self) -> Result<Vec<Member<'a>>, Malformed> {
        let mut members = Vec::new();
        self.expect(b'{')?;
        if self.take(b'}') {
            return Ok(members);
        }
        loop {
            let key = self.key()?;
            self.ws();
            members.push((key, self.at));
            self.skip()?;
            if self.take(b'}') {
                return Ok(members);
            }
            self.expect(b',')?;
        }
    }

    /// Where each item of the array that comes next starts (`Err` when no array does).
    fn items(&mut self) -> Result<Vec<usize>, Malformed> {
        let mut items = Vec::new();
        self.expect(b'[')?;
        if self.take(b']') {
            return Ok(items);
        }
        loop {
            self.ws();
            items.push(self.at);
            self.skip()?;
            if self.take(b']') {
                return Ok(items);
            }
            self.expect(b',')?;
        }
    }

    /// Checks the value that comes next against `kind`; `path` names where it sits.
    fn check(&mut self, kind: &Kind, path: &mut String) -> Result<(), Refusal> {
        self.ws();
        let start = self.at;
        let first = self.peek();
        let ok = match kind {
            Kind::Str => first == Some(b'"'),
            Kind::Bool => matches!(first, Some(b't' | b'f')),
            Kind::Int => self.number().unwrap_or(false),
            Kind::StrMap | Kind::StrOrNullMap => self.members().is_ok_and(|members| {
                let null_too = matches!(kind, Kind::StrOrNullMap);
                members.iter().all(|&(_, at)| match self.peek_at(at) {
                    Some(b'"') => true,
                    Some(b'n') => null_too,
                    _ => false,
                })
            }),
            Kind::OneOf(kinds) => kinds.iter().any(|kind| {
                self.at = start;
                let len = path.len();
                let ok = self.check(kind, path).is_ok();
                path.truncate(len);
                ok
            }),
            Kind::Object(fields) => match self.members() {
                Ok(members) => return self.check_fields(&members, fields, path),
                Err(Malformed) => false,
            },
            Kind::Array(item) => match self.items() {
                Ok(items) => {
                    for (i, at) in items.into_iter().enumerate() {
                        let len = path.len();
                        path.push('.');
                        push_u64(path, i as u64);
                        self.at = at;
                        self.check(item, path)?;
                        path.truncate(len);
                    }
                    true
                }
                Err(Malformed) => false,
            },
        };
        if ok {
            Ok(())
        } else {
            Err((path.clone(), kind.problem()))
        }
    }

    /// Checks an object's members against its table, in the table's order.
    fn check_fields(
        &mut self,
        members: &[Member<'_>],
        fields: &[Field],
        path: &mut String,
    ) -> Result<(), Refusal> {
        for field in fields {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(field.name);
            match find(members, field.name) {
                None if field.required => return Err((path.clone(), "is required")),
                None => {}
                Some(at) if self.peek_at(at) == Some(b'n') && !field.nullable => {
                    return Err((path.clone(), "must not be null"));
                }
                Some(at) if self.peek_at(at) == Some(b'n') => {}
                Some(at) => {
                    self.at = at;
                    self.check(&field.kind, path)?;
                }
            }
            path.truncate(len);
        }
        Ok(())
    }
}

/// Whether a key as written (escapes and all) reads `name`. Escapes are decoded as far as
/// ASCII goes: the spec's names are ASCII, so no other escape can match.
fn key_is(key: &[u8], name: &str) -> bool {
    let mut name = name.bytes();
    let mut i = 0;
    while let Some(&b) = key.get(i) {
        let (read, len) = match (b, key.get(i + 1)) {
            // `\u00XX`, XX below 0x80: the only `\u` escapes of an ASCII character.
            (b'\\', Some(b'u')) => match key.get(i + 2..i + 6) {
                Some(&[b'0', b'0', high @ b'0'..=b'7', low]) => {
                    (hex(low).map(|low| (high - b'0') * 16 + low), 6)
                }
                _ => (None, 6),
            },
            (b'\\', Some(&e)) => (unescape(e), 2),
            _ => (Some(b), 1),
        };
        if read.is_none() || read != name.next() {
            return false;
        }
        i += len;
    }
    name.next().is_none()
}

/// The value of one hex digit.
fn hex(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

/// The byte a one-letter escape (`\n`, `\"`, ...) stands for.
fn unescape(e: u8) -> Option<u8> {
    Some(match e {
        b'b' => 8,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'"' | b'\\' | b'/' => e,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec_tables::{CREATE_CUSTOMER_WALLET, CUSTOMER_CREATE_INPUT};

    const CREATE: Kind = Kind::Object(CUSTOMER_CREATE_INPUT);

    fn refusal(json: &str) -> Option<(String, &'static str)> {
        check_body(&CREATE_CUSTOMER, &CREATE, json.as_bytes()).err()
    }

    #[test]
    fn the_create_table_applies() {
        let ok = r#"{"customer":{"external_id":"a","currency":"BHD","metadata":[]}}"#;
        assert_eq!(refusal(ok), None);
        assert_eq!(refusal("{}"), Some(("customer".into(), "is required")));
        let wrong = r#"{"customer":{"external_id":"a","net_payment_term":"30"}}"#;
        let field = "customer.net_payment_term";
        assert_eq!(refusal(wrong), Some((field.into(), "must be an integer")));
        let item = r#"{"customer":{"external_id":"a","metadata":[{"key":"k","value":"v","display_in_invoice":true},{"key":1}]}}"#;
        assert_eq!(
            refusal(item).map(|r| r.0),
            Some("customer.metadata.1.key".into())
        );
        let null = r#"{"customer":{"external_id":null}}"#;
        let id = "customer.external_id";
        assert_eq!(refusal(null), Some((id.into(), "must not be null")));
        assert_eq!(refusal("[]"), Some(("body".into(), "must be an object")));
    }

    #[test]
    fn an_empty_external_id_is_refused_on_create_only() {
        let empty = r#"{"customer":{"external_id":""}}"#;
        let id = "customer.external_id";
        assert_eq!(refusal(empty), Some((id.into(), "must not be empty")));
        let kind = Kind::Object(&[]);
        assert_eq!(
            check_body(&CREATE_CUSTOMER_WALLET, &kind, empty.as_bytes()),
            Ok(())
        );
    }

    #[test]
    fn keys_are_read_as_a_json_reader_reads_them() {
        // The last of two equal keys wins, and escapes are decoded.
        let twice = r#"{"customer":{"external_id":"a"},"customer":5}"#;
        assert_eq!(
            refusal(twice),
            Some(("customer".into(), "must be an object"))
        );
        let escaped = r#"{"\u0063ustomer":{"external\u005Fid":5}}"#;
        let id = "customer.external_id";
        assert_eq!(refusal(escaped), Some((id.into(), "must be a string")));
    }

    #[test]
    fn whole_numbers_are_told_from_fractions_on_the_text() {
        let term = |n: &str| {
            let json = format!(r#"{{"customer":{{"external_id":"a","net_payment_term":{n}}}}}"#);
            refusal(&json).is_none()
        };
        for whole in [
            "0", "-0", "30", "30.0", "3e1", "3.5e1", "350e-1", "0.0e-5", "1.5E+21",
        ] {
            assert!(term(whole), "{whole}");
        }
        for fraction in ["0.5", "-1.25", "3e-1", "35e-2", "1.05e1"] {
            assert!(!term(fraction), "{fraction}");
        }
    }

    #[test]
    fn text_that_is_not_json_is_refused() {
        // Separated by `|`, which none of them holds.
        let bad = r#"| |{|}|{"a"}|{"a":}|[1,]|{"a":1,}|{"a" 1}|[1 2]|{1:2}|01|1.|-|- 1|1 .5|1e"#;
        let bad = bad
            .split('|')
            .chain([r#""\x""#, r#""\u12""#, "tru", "{} {}", "\"a\nb\""]);
        for text in bad {
            assert_eq!(
                refusal(text),
                Some(("body".into(), "is not valid JSON")),
                "{text:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let deep = format!(
            r#"{{"customer":{{"external_id":"a"}},"x":{}{}}}"#,
            "[".repeat(200_000),
            "]".repeat(200_000)
        );
        assert_eq!(refusal(&deep), None);
    }
}
