// The lago-wasm clients as an app would set them up: settings, the clients, and readable errors.
import { CustomersApi, CustomerWalletsApi, LagoError, LagoEventQueue } from "lago-wasm";
import { status } from "./ui.js";

export { LagoError };

const STORAGE_KEY = "lago-wasm-example.settings";
/** By default the browser calls this example's own server, which adds the key: no key here. */
export const DEFAULTS = { baseUrl: "/lago/api/v1", apiKey: "", fault: "" };

export function loadSettings() {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") };
  } catch {
    return { ...DEFAULTS };
  }
}

let settings = loadSettings();
let clients;
try {
  clients = makeClients(settings);
} catch (err) {
  // Stored settings the SDK refuses (e.g. a malformed base URL): start from the defaults.
  console.warn("lago-wasm example: ignoring stored settings:", err.message);
  settings = { ...DEFAULTS };
  clients = makeClients(settings);
}

/** The current clients (rebuilt when the settings change): customers, and their wallets. */
export const api = () => clients.customers;
export const walletsApi = () => clients.wallets;
export const eventQueue = () => clients.events;
export const currentSettings = () => settings;

/** Applies and stores new settings; throws (keeping the old ones) when the SDK refuses them. */
export function saveSettings(next) {
  const candidate = { ...DEFAULTS, ...next };
  // "times=N" faults count requests carrying the same id: a fresh id starts a fresh count.
  if (candidate.fault.includes("times=") && !candidate.fault.includes("id=")) {
    candidate.fault += `;id=demo-${Date.now()}`;
  }
  const fresh = makeClients(candidate); // throws on a bad option: nothing changes then
  clients = fresh; // the old ones are freed at garbage collection, after their calls in flight
  settings = candidate;
  localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
}

/** Both classes share one set of options: same Lago, same key, same retry policy. */
function makeClients({ baseUrl, apiKey, fault }) {
  const options = {
    baseUrl: baseUrl || DEFAULTS.baseUrl,
    apiKey: apiKey || undefined,
    headers: fault ? { "X-Fake-Fault": fault } : undefined,
    timeoutMs: 15_000,
    maxRetries: 2,
    fetch: watchedFetch,
    sleep: sleepWithNotice,
  };
  // Usage events go through a queue: batched (up to 100 a request), sent within half a second,
  // and what waits when the tab closes is sent with `keepalive`.
  const events = new LagoEventQueue({ ...options, flushIntervalMs: 500, onError: (err) => report(err, "Events refused") });
  return { customers: new CustomersApi(options), wallets: new CustomerWalletsApi(options), events };
}

// The SDK retries on its own; these two hooks only let the user see it happening.
let lastTrouble = "an error";
async function watchedFetch(url, init) {
  try {
    const res = await fetch(url, init);
    if ([429, 502, 503, 504].includes(res.status)) lastTrouble = `HTTP ${res.status}`;
    return res;
  } catch (err) {
    lastTrouble = init?.signal?.aborted ? "no answer in time" : "a network error";
    throw err;
  }
}

function sleepWithNotice(ms, signal) {
  const note = status.busy(`Lago answered with ${lastTrouble}: retrying in ${(ms / 1000).toFixed(1)} s…`);
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      note.done();
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal?.addEventListener("abort", finish, { once: true });
  });
}

/** One line a person can act on, for any failure of a call; `null` for a deliberate abort. */
export function describe(err) {
  if (!(err instanceof LagoError)) return `Unexpected error: ${err?.message ?? err}`;
  const tries = err.attempts > 1 ? ` (${err.attempts} attempts)` : "";
  const where = settings.baseUrl || DEFAULTS.baseUrl;
  switch (err.kind) {
    case "aborted":
      return null;
    case "network":
      return `Cannot reach Lago at ${where}${tries}. Check the connection or the base URL in Settings.`;
    case "timeout":
      return `Lago did not answer in time${tries}.`;
    case "decode":
      return `Lago's answer could not be read${tries}.`;
    case "invalid_input":
      return `Not sent: ${err.message}`;
    default:
      break;
  }
  if (err.status === 401) return "Lago refused the API key (401). Check Settings.";
  if (err.status === 403) return `This API key may not do that (403 ${err.code ?? ""}).`;
  if (err.status === 404) return `Not found (${err.code ?? "404"}).`;
  if (err.status === 429) {
    const wait = err.retryAfterMs ? ` Lago asks to wait ${Math.ceil(err.retryAfterMs / 1000)} s.` : "";
    return `Lago is rate limiting requests (429)${tries}.${wait} Try again shortly.`;
  }
  if (err.status >= 500) return `Lago had a server error (${err.status})${tries}. Try again shortly.`;
  return err.message;
}

/** Shows a failed call in the status area (unless it was aborted on purpose). */
export function report(err, doing) {
  const text = describe(err);
  if (text === null) return;
  status.error(doing ? `${doing}: ${text}` : text, err instanceof LagoError ? err.message : undefined);
  if (!(err instanceof LagoError)) console.warn(err);
}

export const isAbort = (err) => err instanceof LagoError && err.kind === "aborted";

/** Every item of a `listAll…` pager (it fetches page after page); rejects like the calls do. */
export async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}
