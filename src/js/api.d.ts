/** Client for Lago's Customers endpoints; every method resolves to the parsed JSON body. */
export class CustomersApi {
  constructor(options?: CustomersApiOptions);
  /** POST /customers: creates the customer, or updates the one with the same `external_id`. */
  createCustomer(body: CustomerCreateInput, options?: RequestOptions): Promise<Customer>;
  /** DELETE /customers/{external_customer_id}/applied_coupons/{applied_coupon_id} */
  deleteAppliedCoupon(externalCustomerId: string, appliedCouponId: string, options?: RequestOptions): Promise<AppliedCoupon>;
  /** DELETE /customers/{external_customer_id} */
  destroyCustomer(externalId: string, options?: RequestOptions): Promise<Customer>;
  /** GET /customers/{external_customer_id}/past_usage */
  findAllCustomerPastUsage(externalCustomerId: string, externalSubscriptionId: string, query?: FindAllCustomerPastUsageQuery, options?: RequestOptions): Promise<CustomerPastUsage>;
  /** GET /customers */
  findAllCustomers(query?: FindAllCustomersQuery, options?: RequestOptions): Promise<CustomersPaginated>;
  /** GET /customers/{external_customer_id} */
  findCustomer(externalId: string, options?: RequestOptions): Promise<Customer>;
  /** GET /customers/{external_customer_id}/current_usage */
  findCustomerCurrentUsage(externalCustomerId: string, externalSubscriptionId: string, query?: FindCustomerCurrentUsageQuery, options?: RequestOptions): Promise<CustomerUsage>;
  /** POST /customers/{external_customer_id}/checkout_url */
  generateCustomerCheckoutURL(externalCustomerId: string, options?: RequestOptions): Promise<GenerateCustomerCheckoutURL200Response>;
  /** GET /customers/{external_customer_id}/portal_url */
  getCustomerPortalUrl(externalCustomerId: string, options?: RequestOptions): Promise<GetCustomerPortalUrl200Response>;
  /** Every customer matching `query`, walking `meta.next_page` lazily: `for await (const c of api.listAllCustomers())`. */
  listAllCustomers(query?: Omit<FindAllCustomersQuery, "page"> & { page?: number }, options?: RequestOptions): AsyncIterableIterator<CustomerObjectExtended>;
  /** Releases the client's wasm memory now instead of at garbage collection. */
  free(): void;
}
