//! `CustomersApi` as the package's JS makes it (`pkg-template/classes.js`): each method hands
//! its arguments, as given, to the wasm's `Core.call` (or `Core.pages` for a `listAll…` twin:
//! six values, the missing ones `undefined`) with the method's index, its position in the generated `pkg-template/operations.js`. The
//! browser suites drive the JS face through this, with what JS would pass.

use js_sys::Promise;
use lago_wasm::js::{register_lago_error, Core};
use wasm_bindgen::prelude::*;

// The package's own LagoError: the wasm builds its errors on the class an entry registers
// (`__registerLagoError`), and these suites drive the glue without an entry.
#[wasm_bindgen(module = "/pkg-template/lago-error.js")]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = LagoError)]
    static LAGO_ERROR: JsValue;
}

const OPERATIONS: &str = include_str!("../../pkg-template/operations.js");

/// The index of `method` in the generated list (class names and `+` marks are not methods; `~`
/// in a method stands for its class's noun, the class name without `sApi`, as classes.js reads it).
fn index(method: &str) -> usize {
    let list = OPERATIONS.split('"').nth(1).expect("the generated list");
    list.split('|')
        .flat_map(|class| {
            let mut words = class.split(' ');
            let noun = words
                .next()
                .and_then(|name| name.strip_suffix("sApi"))
                .unwrap_or_default();
            words.map(move |m| m.trim_end_matches('+').replace('~', noun))
        })
        .position(|m| m == method)
        .unwrap_or_else(|| panic!("no method {method} in operations.js"))
}

/// The six values `Core` takes: the method's arguments, then `undefined`s.
fn six(values: &[&JsValue]) -> [JsValue; 6] {
    std::array::from_fn(|i| values.get(i).map_or(JsValue::UNDEFINED, |v| (*v).clone()))
}

pub struct CustomersApi(Core);

macro_rules! methods {
    ($($name:ident $js:literal ($($arg:ident),*);)*) => {
        $(
            pub fn $name(&self, $($arg: JsValue,)* options: JsValue) -> Promise {
                let [a, b, c, d, e, f] = six(&[$(&$arg,)* &options]);
                self.0.call(index($js), a, b, c, d, e, f)
            }
        )*
    };
}

// Each suite uses some of the methods.
#[allow(dead_code)]
impl CustomersApi {
    pub fn new(options: JsValue) -> Result<CustomersApi, JsValue> {
        // As an entry does before it makes a `Core` (every test makes its client first).
        let class = LAGO_ERROR.with(JsValue::clone);
        register_lago_error(js_sys::Reflect::get(&class, &"prototype".into()).unwrap());
        Core::new(options, "new CustomersApi".into()).map(CustomersApi)
    }

    methods! {
        create_customer "createCustomer" (body);
        find_all_customers "findAllCustomers" (query);
        find_customer "findCustomer" (external_id);
        destroy_customer "destroyCustomer" (external_id);
        delete_applied_coupon "deleteAppliedCoupon" (customer, coupon);
        find_all_customer_past_usage "findAllCustomerPastUsage" (customer, subscription, query);
        find_customer_current_usage "findCustomerCurrentUsage" (customer, subscription, query);
        generate_customer_checkout_url "generateCustomerCheckoutURL" (customer);
        get_customer_portal_url "getCustomerPortalUrl" (customer);
    }

    pub fn list_all_customers(&self, query: JsValue, options: JsValue) -> JsValue {
        let [a, b, c, d, e, f] = six(&[&query, &options]);
        self.0.pages(index("findAllCustomers"), a, b, c, d, e, f)
    }
}
