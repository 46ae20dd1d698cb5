//! A checked request for one of the generated [`Operation`]s. Both faces build a [`Request`]
//! here; nothing else fills in a route.

use super::body_check::gives_value;
use super::encode::{push_segment, Query, SegmentError};
pub use super::schema::{Op, Operation, Retry};
use super::text::split_once;

/// A checked request, ready for the transport.
#[derive(Debug, Clone)]
pub struct Request {
    /// Which operation this is, its record read once.
    pub op: Op,
    /// Encoded path below the base URL, e.g. `/customers/a%2Fb/current_usage`.
    pub path: String,
    /// Encoded query string, without the `?`.
    pub query: Query,
    /// JSON text of the body, for operations that take one.
    pub body: Option<String>,
}

/// A path id [`Request::new`] refused: its position among the path ids, and why. Each face
/// names the argument its own way in the `invalid_input` error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// 0 for the first path id.
    pub index: usize,
    /// What is wrong with it.
    pub problem: &'static str,
}

impl Request {
    /// Fills the route's `{...}` placeholders with `ids` (one per [`Arg::Path`](super::schema::Arg::Path) of `op`, in
    /// order), each encoded as exactly one segment; ids that would change the route are refused.
    pub fn new(op: Op, ids: &[&str]) -> Result<Request, Refused> {
        let mut path = String::with_capacity(op.route.len() + 32);
        let mut ids = ids.iter();
        let mut rest = op.route;
        let mut index = 0;
        while let Some((literal, placeholder)) = split_once(rest, "{") {
            // The literal before the placeholder, without its `/` (push_segment adds one).
            path.push_str(literal.strip_suffix("/").unwrap_or(literal));
            rest = split_once(placeholder, "}").map_or("", |(_, after)| after);
            push_segment(&mut path, ids.next().copied().unwrap_or("")).map_err(|e| Refused {
                index,
                problem: match e {
                    SegmentError::Empty => "must not be empty",
                    SegmentError::DotSegment => "must not be \".\" or \"..\"",
                },
            })?;
            index += 1;
        }
        path.push_str(rest);
        Ok(Request {
            op,
            path,
            query: Query::default(),
            body: None,
        })
    }

    /// This call's retry class: a keyed create whose body does not give its key is unsafe.
    pub fn retry(&self) -> Retry {
        match self.op.retry {
            Retry::Keyed(path) if !self.body.as_deref().is_some_and(|b| gives_value(b, path)) => {
                Retry::Unsafe
            }
            class => class,
        }
    }
}
