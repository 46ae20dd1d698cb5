// The entry a bundler builds (Vite, esbuild): imports the package by its name, as a user would.
import { CustomersApi, LagoError, LagoEventQueue } from "lago-wasm";
import { scenario, report } from "./scenario.js";

report(scenario(CustomersApi, LagoError, LagoEventQueue));
