// Entry for Node's `require`: wasm-bindgen's nodejs build loads the wasm synchronously.
"use strict";
const wasm = require("./lago_wasm.js");
const { LagoError } = require("./lago-error.cjs");

wasm.__registerLagoError(LagoError.prototype);

module.exports = { CustomersApi: wasm.CustomersApi, LagoError };
