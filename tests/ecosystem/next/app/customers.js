"use client";
// A client component: the client is made at module level (so the package is imported during
// server rendering too) and calls Lago through this app's own /lago proxy, with no API key.
import { useEffect, useState } from "react";
import { CustomersApi, LagoError } from "lago-wasm";
import { scenario } from "./scenario.js";

const lago = new CustomersApi({ baseUrl: "/lago/api/v1" });

export default function Customers() {
  const [out, setOut] = useState(null);
  useEffect(() => {
    scenario(lago, LagoError).then(setOut, (e) => setOut({ failed: String(e?.stack ?? e) }));
  }, []);
  return <pre id="out" data-done={out ? "" : undefined}>{out ? JSON.stringify(out) : "loading"}</pre>;
}
