// Entry for Node's `import` (and Deno's and Bun's): the same instance as `require` gets, so
// there is one LagoError class.
import lago from "./node/index.cjs";

export const { CustomersApi, LagoError, verifyWebhook } = lago; // @classes
export const { LagoEventQueue } = lago;
