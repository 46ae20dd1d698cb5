//! The request log behind `/admin/requests`: the last API requests as they arrived (the key
//! never stored) and the status each was answered with, so tests can count attempts.

use axum::http::{header, HeaderMap, Method};
use serde_json::{json, Map, Value};
use std::collections::VecDeque;

/// How many API requests the log remembers.
const CAPACITY: usize = 200;

/// The request as it arrived.
pub struct Arrival<'a> {
    pub method: &'a Method,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub authorized: bool,
    pub body: &'a [u8],
}

/// Entries oldest first, each with a sequence number to set its status later.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<(u64, Value)>,
    next: u64,
}

impl RequestLog {
    /// Records a request; its `status` stays null until [`RequestLog::answered`].
    pub fn push(&mut self, arrival: &Arrival) -> u64 {
        let mut names = Map::new();
        for (name, value) in arrival.headers {
            // Never keep the key: `authorized` says whether it was right.
            if name == header::AUTHORIZATION {
                continue;
            }
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            match names.get_mut(name.as_str()) {
                Some(Value::String(existing)) => {
                    existing.push_str(", ");
                    existing.push_str(&value);
                }
                _ => {
                    names.insert(name.as_str().to_string(), json!(value));
                }
            }
        }
        let entry = json!({
            "method": arrival.method.as_str(),
            "path": arrival.path,
            "query": arrival.query,
            "headers": names,
            "authorized": arrival.authorized,
            "body": String::from_utf8_lossy(arrival.body),
            "status": null,
        });
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
        }
        self.next += 1;
        self.entries.push_back((self.next, entry));
        self.next
    }

    /// Sets the status request `seq` was answered with (a dropped connection keeps null).
    pub fn answered(&mut self, seq: u64, status: u16) {
        if let Some((_, entry)) = self.entries.iter_mut().rev().find(|(s, _)| *s == seq) {
            entry["status"] = json!(status);
        }
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> Value {
        Value::Array(self.entries.iter().map(|(_, e)| e.clone()).collect())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
