//! A checked request for one of the generated [`Operation`]s. Both faces build a [`Request`]
//! here; nothing else fills in a route.

use super::body_check::gives_value;
use super::encode::{push_segment, Query, SegmentError};
pub use super::schema::{Arg, Operation, Retry};
use super::text::split_once;
use crate::error::Error;

/// A checked request, ready for the transport.
#[derive(Debug, Clone)]
pub struct Request {
    /// Which operation this is.
    pub op: &'static Operation,
    /// Encoded path below the base URL, e.g. `/customers/a%2Fb/current_usage`.
    pub path: String,
    /// Encoded query string, without the `?`.
    pub query: Query,
    /// JSON text of the body, for operations that take one.
    pub body: Option<String>,
}

impl Request {
    /// Fills the route's `{...}` placeholders with `ids` (one per [`Arg::Path`] of `op`, in
    /// order), each encoded as exactly one segment; ids that would change the route are refused.
    pub fn new(op: &'static Operation, ids: &[&str]) -> Result<Request, Error> {
        let mut path = String::with_capacity(op.template().len() + 32);
        let mut names = op.args().filter_map(|a| match a {
            Arg::Path(name) => Some(name),
            _ => None,
        });
        let mut ids = ids.iter();
        let mut rest = op.template();
        while let Some((literal, placeholder)) = split_once(rest, "{") {
            // The literal before the placeholder, without its `/` (push_segment adds one).
            path.push_str(literal.strip_suffix("/").unwrap_or(literal));
            rest = split_once(placeholder, "}").map_or("", |(_, after)| after);
            let (name, id) = (
                names.next().unwrap_or("id"),
                ids.next().copied().unwrap_or(""),
            );
            push_segment(&mut path, id).map_err(|e| {
                let problem = match e {
                    SegmentError::Empty => "must not be empty",
                    SegmentError::DotSegment => "must not be \".\" or \"..\"",
                };
                Error::invalid_input(op.method(), op.template(), name, problem)
            })?;
        }
        path.push_str(rest);
        Ok(Request {
            op,
            path,
            query: Query::default(),
            body: None,
        })
    }
}

impl Request {
    /// This call's retry class: a keyed create whose body does not give its key is unsafe.
    pub fn retry(&self) -> Retry {
        match self.op.retry() {
            Retry::Keyed(path) if !self.body.as_deref().is_some_and(|b| gives_value(b, path)) => {
                Retry::Unsafe
            }
            class => class,
        }
    }
}
