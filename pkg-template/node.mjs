// Entry for Node's `import`: the same instance as `require` gets, so there is one LagoError.
import lago from "./node/index.cjs";

export const { CustomersApi, CustomerWalletsApi, LagoError } = lago;
