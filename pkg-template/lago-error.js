// The class every failure of a CustomersApi call is an instance of. It lives in JS because a
// wasm-bindgen export cannot extend Error; the wasm builds its errors on this prototype.
export class LagoError extends Error {
  constructor(message, fields) {
    super(message);
    this.name = "LagoError";
    Object.assign(this, fields);
  }
}
