// A tiny loopback server answering from the bench fixtures, run as its own process so it never
// shares an event loop with the client being timed. It serves `current_usage` (the fake Lago
// server reports at most 5 charges per subscription; this answers the 200-charge fixture) and,
// if the fake server cannot start, the other two routes as well. Allows CORS like the fake does.
// Prints `fixture-server listening on http://127.0.0.1:PORT/api/v1`; exits when stdin closes.
import { createServer } from "node:http";
import { fixtureTexts } from "./fixtures.mjs";

const texts = fixtureTexts();
const KEY = "Bearer lago-demo-key";
const server = createServer((req, res) => {
  const cors = { "access-control-allow-origin": "*" };
  if (req.method === "OPTIONS") {
    res.writeHead(204, {
      ...cors,
      "access-control-allow-methods": "GET, OPTIONS",
      "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "*",
      "access-control-max-age": "600",
    });
    return res.end();
  }
  const path = new URL(req.url, "http://x").pathname;
  const json = { ...cors, "content-type": "application/json" };
  if (req.headers.authorization !== KEY) {
    res.writeHead(401, json);
    return res.end('{"status":401,"error":"Unauthorized"}');
  }
  let text;
  if (/^\/api\/v1\/customers\/[^/]+\/current_usage$/.test(path)) text = texts.usage;
  else if (/^\/api\/v1\/customers\/[^/]+$/.test(path)) text = texts.one;
  else if (path === "/api/v1/customers") text = texts.page;
  if (req.method !== "GET" || !text) {
    res.writeHead(404, json);
    return res.end('{"status":404,"error":"Not Found","code":"resource_not_found"}');
  }
  res.writeHead(200, json);
  res.end(text);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  console.log(`fixture-server listening on http://127.0.0.1:${server.address().port}/api/v1`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
