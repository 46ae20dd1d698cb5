//! The JSON text reader of both faces (the JS face's wasm carries no JSON parser). Its main
//! use is the body check: a body's JSON text, read byte by byte, against the spec's table for
//! it (required fields, types, nested objects and arrays, `oneOf`). The JS face checks the very
//! text `JSON.stringify` gave and sends it as it is: one string crosses into wasm instead of one
//! boundary crossing per field probed, and what was checked is what is sent. The transport
//! reads Lago's error labels with it too ([`top_level_string`]).
//! Every read is a `get`, never an index, and containers are skipped without recursion, so
//! no text (however deep or broken) can panic or overflow the stack; the check's own recursion
//! follows the table, whose depth is fixed.
//! Enum membership is not checked: Lago's server judges it (REALITY.md).

use super::encode::push_u64;
use super::schema::{Kind, Table};
use super::text::{split_once, truncate};

/// Where a refused value sits (`customer.metadata.0.key`, `body` for the body itself) and
/// what is wrong with it.
pub type Refusal = (String, &'static str);

/// Checks `json`, the text of a request body, against `kind` (the table of that body). Members
/// are looked up as a JSON reader finds them (the last of two equal keys wins), by their key
/// as written: `JSON.stringify` and serde_json escape no character a spec name holds.
///
/// One pass reads and checks the text: the check steps over each value it passes with the
/// JSON reader's own strict steps, so text it passes whole is JSON. Only a refusal reads the
/// text once more, to tell a wrong value from text that is not JSON (which is told first).
pub fn check_body(kind: &Kind, json: &str) -> Result<(), Refusal> {
    let mut reader = Reader::new(json);
    let checked = reader.check(kind);
    reader.ws();
    if checked.is_ok() && reader.at == json.len() {
        return Ok(());
    }
    reader.at = 0;
    let well_formed = reader.skip().is_ok() && {
        reader.ws();
        reader.at == json.len()
    };
    match checked {
        // A path below the body starts with the `.` of its first step, which a field of the
        // body's own object does not write (`customer.name`).
        Err((path, problem)) if well_formed => Err((
            match path.get(1..) {
                Some(below) => below.into(),
                None => "body".into(),
            },
            problem,
        )),
        _ => Err(("body".into(), MALFORMED)),
    }
}

const MALFORMED: &str = "is not valid JSON";

/// Whether `json` gives a value (not `null`, not `""`) at one of the dotted `paths`, joined by
/// `|` (`alert.code|alerts`): what makes a keyed create keyed (`Retry::Keyed`).
pub fn gives_value(json: &str, mut paths: &str) -> bool {
    loop {
        let (path, rest) = split_once(paths, "|").unwrap_or((paths, ""));
        let given = value_at(json, path)
            .and_then(|at| json.as_bytes().get(at..))
            .is_some_and(|v| !v.starts_with(b"null") && !v.starts_with(b"\"\""));
        if given || rest.is_empty() {
            return given;
        }
        paths = rest;
    }
}

/// Where the value at the dotted `path` (object in object) starts.
fn value_at(json: &str, path: &str) -> Option<usize> {
    let mut reader = Reader::new(json);
    let mut rest = path;
    loop {
        let (head, tail) = split_once(rest, ".").unwrap_or((rest, ""));
        reader.at = reader.lookup(reader.at, head)?;
        if tail.is_empty() {
            return Some(reader.at);
        }
        rest = tail;
    }
}

/// The value of `"key": "..."` at the top level of a JSON object, when it is a string
/// (escapes decoded for `\"`, `\\` and `\/` only; anything fancier is left out rather than
/// guessed), at most 200 bytes: Lago's `code` and `error` labels, read from an error body by
/// the transport with this reader rather than a JSON parser (the JS face's wasm carries none).
pub fn top_level_string(json: &str, key: &str) -> Option<String> {
    let bytes = json.as_bytes();
    let at = Reader::new(json).lookup(0, key)?;
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let (mut out, mut from, mut i) = (String::new(), at + 1, at + 1);
    loop {
        match *bytes.get(i)? {
            b'"' => {
                out.push_str(json.get(from..i)?);
                return Some(truncate(out, 200));
            }
            b'\\' => {
                out.push_str(json.get(from..i)?);
                let escaped = *bytes.get(i + 1)?;
                if !matches!(escaped, b'"' | b'\\' | b'/') {
                    return None;
                }
                out.push(char::from(escaped));
                i += 2;
                from = i;
            }
            _ => i += 1,
        }
    }
}

/// Text that is not JSON.
struct Malformed;

/// Inside the check, malformed text is refused like a wrong value: [`check_body`] then reads
/// the text again and tells it is not JSON.
impl From<Malformed> for Refusal {
    fn from(_: Malformed) -> Refusal {
        (String::new(), MALFORMED)
    }
}

/// `refusal`, of a value inside this one, from this one: its `step` (a field's name, an item's
/// index, a map's key) written before the inner path. Paths are made only on a refusal.
fn under(step: &str, (path, problem): Refusal) -> Refusal {
    let mut full = String::with_capacity(1 + step.len() + path.len());
    full.push('.');
    full.push_str(step);
    full.push_str(&path);
    (full, problem)
}

/// A cursor over JSON text.
struct Reader<'a> {
    json: &'a [u8],
    /// The same text as a `str`: keys are cut from it at their quotes (always char
    /// boundaries), so no UTF-8 validation (`str::from_utf8`, 0.7 KB of wasm) is needed.
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            json: text.as_bytes(),
            text,
            at: 0,
        }
    }

    // Inlined by hand: at opt-level "z" nothing is, and a call per byte read made the body
    // check the dearest part of createCustomer (55 -> 38 µs a call in Node, and 9 B smaller).
    #[inline(always)]
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
    fn key(&mut self) -> Result<&'a str, Malformed> {
        self.ws();
        let start = self.at + 1;
        self.string()?;
        let key = self.text.get(start..self.at - 1).unwrap_or_default();
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
            // Plain bytes in one sweep: only a quote, a backslash or a control byte stops it.
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
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
        if whole == 0 || (whole > 1 && self.json.get(start) == Some(&b'0')) {
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
        let (mut zeros, mut all_zero) = (0, true);
        for &d in digits.iter().rev().filter(|&&d| d != b'.') {
            if d != b'0' {
                all_zero = false;
                break;
            }
            zeros += 1;
        }
        Ok(all_zero || exponent - fraction as i64 + zeros >= 0)
    }

    /// How many digits come next (stepped over).
    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    /// Steps to the next entry of a container already opened, or just past its last entry:
    /// over the `,` and, in an object, the key, which it returns (`""` in an array); `None` at
    /// the container's end, stepped over. `first`: no entry was read yet.
    fn next_entry(&mut self, close: u8, first: &mut bool) -> Result<Option<&'a str>, Malformed> {
        if self.take(close) {
            return Ok(None);
        }
        if !std::mem::take(first) {
            self.expect(b',')?;
        }
        let key = if close == b'}' { self.key()? } else { "" };
        self.ws();
        Ok(Some(key))
    }

    /// Where the value of the last member `name` of the object at `object` starts (`None`
    /// when it has none, or no object is there).
    fn lookup(&mut self, object: usize, name: &str) -> Option<usize> {
        self.at = object;
        if !self.take(b'{') {
            return None;
        }
        let (mut first, mut found) = (true, None);
        while let Ok(Some(key)) = self.next_entry(b'}', &mut first) {
            if key == name {
                found = Some(self.at);
            }
            self.skip().ok()?;
        }
        found
    }

    /// Checks the value that comes next against `kind` and, when it passes, steps over it
    /// (after a refusal the reader is left anywhere in it). A refusal's path is below this
    /// value: `""` for the value itself, else each step after a `.` (`.metadata.0.key`).
    fn check(&mut self, kind: &Kind) -> Result<(), Refusal> {
        self.ws();
        let start = self.at;
        let first = self.peek();
        let ok = match kind {
            // The one check beyond the spec (a flag of the generated table): `""` is refused.
            Kind::NonEmptyStr if self.json.get(start..start + 2) == Some(b"\"\"") => {
                return Err((String::new(), "must not be empty"));
            }
            Kind::Str | Kind::NonEmptyStr => first == Some(b'"') && self.string().is_ok(),
            Kind::Bool => matches!(first, Some(b't' | b'f')) && self.skip().is_ok(),
            Kind::Any => self.skip().is_ok(),
            Kind::Int => self.number().unwrap_or(false),
            Kind::Num => first != Some(b'"') && self.number().is_ok(),
            Kind::StrMap | Kind::StrOrNullMap => {
                let null_too = matches!(kind, Kind::StrOrNullMap);
                let (mut first, mut all) = (true, self.take(b'{'));
                while all {
                    let Some(_) = self.next_entry(b'}', &mut first)? else {
                        break;
                    };
                    all = self.peek() == Some(b'"') || null_too && self.peek() == Some(b'n');
                    all &= self.skip().is_ok();
                }
                all
            }
            Kind::OneOf(kinds) => kinds.iter().any(|kind| {
                self.at = start;
                self.check(&kind).is_ok()
            }),
            Kind::Object(fields) if first == Some(b'{') => return self.check_fields(*fields),
            Kind::Array(item) if self.take(b'[') => {
                let (mut first, mut i) = (true, 0);
                while self.next_entry(b']', &mut first)?.is_some() {
                    self.check(&item.get()).map_err(|refusal| {
                        let mut step = String::new();
                        push_u64(&mut step, i);
                        under(&step, refusal)
                    })?;
                    i += 1;
                }
                true
            }
            Kind::Map(values) if self.take(b'{') => {
                let mut first = true;
                while let Some(key) = self.next_entry(b'}', &mut first)? {
                    self.check(&values.get())
                        .map_err(|refusal| under(key, refusal))?;
                }
                true
            }
            Kind::Object(_) | Kind::Array(_) | Kind::Map(_) => false,
        };
        if ok {
            Ok(())
        } else {
            Err((String::new(), kind.problem()))
        }
    }

    /// Checks the object that comes next against its table. Its members are read once, in
    /// order, each value checked as it comes (a nested object is read once, by its own check);
    /// what is refused is then told in the table's order, for each field's last value.
    fn check_fields(&mut self, table: Table) -> Result<(), Refusal> {
        // Decoded from the blob once: each key of the object is looked up among them (decoding
        // the table for every key made a customer's check 2x slower). With each field: where
        // its value starts and whether that value passed.
        let mut fields: Vec<_> = table.fields().map(|field| (field, None)).collect();
        self.take(b'{');
        let mut first = true;
        while let Some(key) = self.next_entry(b'}', &mut first)? {
            let at = self.at;
            // Lengths first: most names are told apart by them without a call to compare bytes.
            let field = fields
                .iter_mut()
                .find(|(field, _)| field.name.len() == key.len() && field.name == key);
            let passed = match &field {
                // `null` is judged below, by the field's flags.
                Some((field, _)) if self.peek() != Some(b'n') => self.check(&field.kind).is_ok(),
                _ => false,
            };
            if !passed {
                self.at = at;
                self.skip()?;
            }
            if let Some((_, value)) = field {
                *value = Some((at, passed));
            }
        }
        for (field, value) in &fields {
            let problem = match *value {
                None if field.required => "is required",
                Some((at, _)) if self.json.get(at) == Some(&b'n') => {
                    if field.nullable {
                        continue;
                    }
                    "must not be null"
                }
                Some((at, false)) => {
                    // Checked again for its refusal: a value's path and problem are made only
                    // for the one refusal told.
                    self.at = at;
                    match self.check(&field.kind) {
                        Err(refusal) => return Err(under(field.name, refusal)),
                        Ok(()) => continue,
                    }
                }
                _ => continue,
            };
            return Err(under(field.name, (String::new(), problem)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec_tables::{CREATE_CUSTOMER, CREATE_CUSTOMER_WALLET};

    fn refusal(json: &str) -> Option<(String, &'static str)> {
        check_body(&CREATE_CUSTOMER.read().body().unwrap(), json).err()
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
    fn only_a_non_empty_string_field_refuses_an_empty_string() {
        let empty = r#"{"customer":{"external_id":""}}"#;
        let id = "customer.external_id";
        assert_eq!(refusal(empty), Some((id.into(), "must not be empty")));
        let spaced = r#"{"customer":{"external_id" :  "" }}"#;
        assert_eq!(refusal(spaced), Some((id.into(), "must not be empty")));
        let number = r#"{"customer":{"external_id":5}}"#;
        assert_eq!(refusal(number), Some((id.into(), "must be a string")));
        assert_eq!(refusal(r#"{"customer":{"external_id":"\"\""}}"#), None);
        // A plain string field takes "" (the wallet's `name` is one).
        let wallet = CREATE_CUSTOMER_WALLET.read().body().unwrap();
        let named = r#"{"wallet":{"rate_amount":"1","currency":"EUR","external_customer_id":"","name":""}}"#;
        assert_eq!(check_body(&wallet, named), Ok(()));
    }

    #[test]
    fn keys_are_read_as_a_json_reader_reads_them() {
        // The last of two equal keys wins.
        let twice = r#"{"customer":{"external_id":"a"},"customer":5}"#;
        assert_eq!(
            refusal(twice),
            Some(("customer".into(), "must be an object"))
        );
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
