//! A checked request for one of the generated operations (the blob's [`Operation`]s for the JS
//! face, any other [`Route`]: the Rust face's own per-operation statics). Both faces build a
//! [`Request`] here; nothing else fills in a route.

use super::body_check::gives_value;
use super::encode::{push_segment, Query, SegmentError};
pub use super::schema::{Arg, Operation, Retry};
use super::text::split_once;
use crate::error::Error;

/// What the transport reads of a request's operation. The JS face's is `&'static Operation`,
/// read from the one blob of every operation (`spec_tables::SPEC`); the Rust face's is its own
/// per-operation static (`client::Endpoint`), so that a Rust app links the data of the
/// operations it calls and not the whole blob.
pub trait Route: Copy + std::fmt::Debug {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    fn method(self) -> &'static str;
    /// The route as the spec writes it: `/customers/{external_customer_id}`.
    fn template(self) -> &'static str;
    /// What the top level of a good answer holds ([`Operation::shape`]).
    fn shape(self) -> &'static str;
    /// What sending its request twice can do ([`Operation::retry`]).
    fn retry(self) -> Retry;
}

impl Route for &'static Operation {
    fn method(self) -> &'static str {
        Operation::method(self)
    }

    fn template(self) -> &'static str {
        Operation::template(self)
    }

    fn shape(self) -> &'static str {
        Operation::shape(self)
    }

    fn retry(self) -> Retry {
        Operation::retry(self)
    }
}

/// A checked request, ready for the transport.
#[derive(Debug, Clone)]
pub struct Request<O: Route = &'static Operation> {
    /// Which operation this is.
    pub op: O,
    /// Encoded path below the base URL, e.g. `/customers/a%2Fb/current_usage`.
    pub path: String,
    /// Encoded query string, without the `?`.
    pub query: Query,
    /// JSON text of the body, for operations that take one.
    pub body: Option<String>,
}

#[cfg(any(feature = "js", test))]
impl Request {
    /// Fills the route's `{...}` placeholders with `ids` (one per [`Arg::Path`] of `op`, in
    /// order), each encoded as exactly one segment; ids that would change the route are refused.
    pub fn new(op: &'static Operation, ids: &[&str]) -> Result<Request, Error> {
        let names = op.args().filter_map(|a| match a {
            Arg::Path(name) => Some(name),
            _ => None,
        });
        Request::with_ids(op, names, ids)
    }
}

impl<O: Route> Request<O> {
    /// [`Request::new`] for any [`Route`]: `names` are the path ids' names, for errors.
    pub fn with_ids(
        op: O,
        mut names: impl Iterator<Item = &'static str>,
        ids: &[&str],
    ) -> Result<Self, Error> {
        let mut path = String::with_capacity(op.template().len() + 32);
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

impl<O: Route> Request<O> {
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
