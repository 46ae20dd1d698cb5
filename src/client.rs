//! The Rust face: a client for Rust wasm apps (Leptos, Yew, Dioxus) whose async methods return
//! typed models. It shares the core (checks, encoding, transport, retries, error mapping) with
//! the JS face and differs only in the last step: the body is decoded into `crate::models`.

use serde::de::DeserializeOwned;

use crate::core::encode::{push_u64, Query};
use crate::core::operation::{Operation, Request};
use crate::core::spec_tables as ops;
use crate::core::transport::{send, Config, DEFAULT_BASE_URL};
use crate::error::Error;
use crate::models::{
    AppliedCoupon, Customer, CustomerCreateInput, CustomerPastUsage, CustomerUsage,
    CustomersPaginated, GenerateCustomerCheckoutURL200Response, GetCustomerPortalUrl200Response,
};

pub use crate::core::transport::CallOptions;

/// Settings of a [`Client`]; `Default` is Lago's US cloud with no key.
#[derive(Clone)]
pub struct ClientOptions {
    /// Sent as `Authorization: Bearer <key>`; `None` behind your own proxy.
    pub api_key: Option<String>,
    /// e.g. `https://api.eu.getlago.com/api/v1`; a trailing `/` is allowed.
    pub base_url: String,
    /// Sent on every request.
    pub headers: Vec<(String, String)>,
    /// Per attempt, in ms; 0 = none.
    pub timeout_ms: u32,
    /// Extra attempts on network errors, timeouts, 429, 502, 503, 504.
    pub max_retries: u32,
}

/// By hand, so that `{:?}` never prints the API key (nor header values, which may be secrets).
impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            api_key: None,
            base_url: DEFAULT_BASE_URL.into(),
            headers: Vec::new(),
            timeout_ms: 30_000,
            max_retries: 2,
        }
    }
}

/// Query parameters of the list and usage calls, under the spec's wire names.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    query: Query,
    refused: Option<&'static str>,
}

impl Filters {
    /// Page number, from 1.
    pub fn page(self, n: u32) -> Self {
        self.positive("page", n)
    }
    /// Records per page, from 1.
    pub fn per_page(self, n: u32) -> Self {
        self.positive("per_page", n)
    }
    /// How many past billing periods (past usage).
    pub fn periods_count(self, n: u32) -> Self {
        self.positive("periods_count", n)
    }
    /// A plain parameter, e.g. `("search_term", "acme")` or `("apply_taxes", "false")`.
    pub fn param(mut self, name: &str, value: &str) -> Self {
        self.query.push(name, value);
        self
    }
    /// One item of an array parameter: `("currencies", "USD")` sends `currencies[]=USD`.
    pub fn item(mut self, name: &str, value: &str) -> Self {
        self.query.push_item(name, value);
        self
    }
    /// A deep-object entry: `("group", "cloud", "aws")` sends `group[cloud]=aws`.
    pub fn deep(mut self, name: &str, key: &str, value: &str) -> Self {
        self.query.push_deep(name, key, value);
        self
    }

    fn positive(mut self, name: &'static str, n: u32) -> Self {
        if n == 0 {
            self.refused = Some(name);
        } else {
            let mut text = String::new();
            push_u64(&mut text, u64::from(n));
            self.query.push(name, &text);
        }
        self
    }

    fn apply(&self, op: &Operation, req: &mut Request) -> Result<(), Error> {
        if let Some(name) = self.refused {
            return Err(Error::invalid_input(
                op.method,
                op.template,
                name,
                "must be a positive integer",
            ));
        }
        req.query.append(&self.query);
        Ok(())
    }
}

/// Client for Lago's Customers endpoints with typed results.
#[derive(Debug, Clone)]
pub struct Client {
    cfg: Config,
}

impl Client {
    /// A client; nothing is sent until a method is awaited.
    pub fn new(options: ClientOptions) -> Client {
        let ClientOptions {
            api_key,
            base_url,
            headers,
            timeout_ms,
            max_retries,
        } = options;
        let cfg = Config {
            base_url: base_url.trim_end_matches('/').into(),
            api_key,
            headers,
            timeout_ms: f64::from(timeout_ms),
            max_retries,
            ..Config::default()
        };
        Client { cfg }
    }

    /// POST /customers: creates the customer, or updates the one with the same `external_id`.
    pub async fn create_customer(
        &self,
        body: &CustomerCreateInput,
        call: &CallOptions,
    ) -> Result<Customer, Error> {
        let op = &ops::CREATE_CUSTOMER;
        if body.customer.external_id.is_empty() {
            return Err(Error::invalid_input(
                op.method,
                op.template,
                "customer.external_id",
                "must not be empty",
            ));
        }
        let mut req = Request::new(op, &[])?;
        req.body = Some(serde_json::to_string(body).map_err(|_| {
            Error::invalid_input(
                op.method,
                op.template,
                "body",
                "cannot be serialized to JSON",
            )
        })?);
        self.run(req, call).await
    }

    /// DELETE /customers/{external_customer_id}/applied_coupons/{applied_coupon_id}
    pub async fn delete_applied_coupon(
        &self,
        external_customer_id: &str,
        applied_coupon_id: &str,
        call: &CallOptions,
    ) -> Result<AppliedCoupon, Error> {
        let ids = [external_customer_id, applied_coupon_id];
        self.run(Request::new(&ops::DELETE_APPLIED_COUPON, &ids)?, call)
            .await
    }

    /// DELETE /customers/{external_customer_id}
    pub async fn destroy_customer(
        &self,
        external_id: &str,
        call: &CallOptions,
    ) -> Result<Customer, Error> {
        self.by_id(&ops::DESTROY_CUSTOMER, external_id, call).await
    }

    /// GET /customers/{external_customer_id}/past_usage
    pub async fn find_all_customer_past_usage(
        &self,
        external_customer_id: &str,
        external_subscription_id: &str,
        filters: &Filters,
        call: &CallOptions,
    ) -> Result<CustomerPastUsage, Error> {
        let op = &ops::FIND_ALL_CUSTOMER_PAST_USAGE;
        let req = usage_request(op, external_customer_id, external_subscription_id, filters)?;
        self.run(req, call).await
    }

    /// GET /customers
    pub async fn find_all_customers(
        &self,
        filters: &Filters,
        call: &CallOptions,
    ) -> Result<CustomersPaginated, Error> {
        let op = &ops::FIND_ALL_CUSTOMERS;
        let mut req = Request::new(op, &[])?;
        filters.apply(op, &mut req)?;
        self.run(req, call).await
    }

    /// GET /customers/{external_customer_id}
    pub async fn find_customer(
        &self,
        external_id: &str,
        call: &CallOptions,
    ) -> Result<Customer, Error> {
        self.by_id(&ops::FIND_CUSTOMER, external_id, call).await
    }

    /// GET /customers/{external_customer_id}/current_usage
    pub async fn find_customer_current_usage(
        &self,
        external_customer_id: &str,
        external_subscription_id: &str,
        filters: &Filters,
        call: &CallOptions,
    ) -> Result<CustomerUsage, Error> {
        let op = &ops::FIND_CUSTOMER_CURRENT_USAGE;
        let req = usage_request(op, external_customer_id, external_subscription_id, filters)?;
        self.run(req, call).await
    }

    /// POST /customers/{external_customer_id}/checkout_url
    pub async fn generate_customer_checkout_url(
        &self,
        external_customer_id: &str,
        call: &CallOptions,
    ) -> Result<GenerateCustomerCheckoutURL200Response, Error> {
        self.by_id(
            &ops::GENERATE_CUSTOMER_CHECKOUT_URL,
            external_customer_id,
            call,
        )
        .await
    }

    /// GET /customers/{external_customer_id}/portal_url
    pub async fn get_customer_portal_url(
        &self,
        external_customer_id: &str,
        call: &CallOptions,
    ) -> Result<GetCustomerPortalUrl200Response, Error> {
        self.by_id(&ops::GET_CUSTOMER_PORTAL_URL, external_customer_id, call)
            .await
    }

    async fn by_id<T: DeserializeOwned>(
        &self,
        op: &'static Operation,
        id: &str,
        call: &CallOptions,
    ) -> Result<T, Error> {
        self.run(Request::new(op, &[id])?, call).await
    }

    /// Sends `req` and decodes the body into `T` (tolerant models: unknown fields and enum
    /// values are kept, not refused).
    async fn run<T: DeserializeOwned>(&self, req: Request, call: &CallOptions) -> Result<T, Error> {
        let reply = send(&self.cfg, &req, call).await?;
        let text = reply.text.as_string().unwrap_or_default();
        serde_json::from_str(&text).map_err(|e| reply.decode_error(&req, &e.to_string()))
    }
}

fn usage_request(
    op: &'static Operation,
    customer: &str,
    subscription: &str,
    filters: &Filters,
) -> Result<Request, Error> {
    if subscription.is_empty() {
        return Err(Error::invalid_input(
            op.method,
            op.template,
            "external_subscription_id",
            "must not be empty",
        ));
    }
    let mut req = Request::new(op, &[customer])?;
    req.query.push("external_subscription_id", subscription);
    filters.apply(op, &mut req)?;
    Ok(req)
}
