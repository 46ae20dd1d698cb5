// The Rust example (www-example-rust/) end to end: built by its build.sh (a quick no-op when
// up to date), served by its serve.mjs with a fresh fake Lago, driven in headless Chromium.
// What the page shows is compared with the fake's own answers, fetched through the same proxy.
// Screenshots go to target/screenshots/rust-*.png; any console or page error fails a test.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { launchChromium, root } from "./helpers.mjs";

const shots = join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "screenshots");
const STATUSES = ["active", "pending", "terminated", "canceled"]; // what the page asks for

let server; // the serve.mjs child
let serverExit;
let baseUrl;
let fakePid;
let browser;
let page;
const problems = [];
let expected404 = false; // the step provokes a 404 on purpose

/** The fake's answer to GET /api/v1/{path}, through the example's proxy. */
async function lago(path, init) {
  const res = await fetch(`${baseUrl}lago/api/v1/${path}`, init);
  return { status: res.status, body: await res.json() };
}

const activeSubs = async (id) =>
  (await lago(`customers/${id}/subscriptions?per_page=100`)).body.subscriptions;

/** The page's rule for a customer's name (src/format.rs), applied to the fake's JSON. */
const displayName = (c) =>
  c.name?.trim() || [c.firstname, c.lastname].filter(Boolean).join(" ").trim() || c.external_id;

/** `cents` in `currency` as the browser's Intl formats it: independent of the Rust code. */
const money = (cents, currency) =>
  page.evaluate(([cents, currency]) => {
    const f = new Intl.NumberFormat("en", { style: "currency", currency });
    return f.format(Number(cents) / 10 ** f.resolvedOptions().maximumFractionDigits);
  }, [cents, currency]);

/** The fake-lago child of `ppid` (Linux /proc), to check it stops with its parent. */
function fakeChild(ppid) {
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const after = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(after[1]) === ppid && stat.includes("(fake-lago)")) return Number(entry);
    } catch { /* gone meanwhile */ }
  }
  return undefined;
}

function running(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return false;
  }
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  const build = spawnSync("bash", [join(root, "www-example-rust/build.sh")], { stdio: ["ignore", 2, 2] });
  assert.equal(build.status, 0, "www-example-rust/build.sh succeeds");
  server = spawn(process.execPath, [join(root, "www-example-rust/serve.mjs"), "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  serverExit = new Promise((ok) => server.once("exit", (code, signal) => ok({ code, signal })));
  let stderr = "";
  server.stderr.on("data", (d) => (stderr += d));
  baseUrl = await new Promise((ok, ko) => {
    createInterface({ input: server.stdout }).on("line", (line) => {
      const match = /^lago-wasm Rust example: (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line);
      if (match) ok(match[1]);
    });
    serverExit.then(({ code }) => ko(new Error(`serve.mjs exited (${code}) before its URL:\n${stderr}`)));
  });
  fakePid = fakeChild(server.pid);
  assert.ok(fakePid, "serve.mjs runs a fake-lago child");

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    if (expected404 && /status of 404/.test(msg.text())) return;
    problems.push(`console error: ${msg.text()}`);
  });
}, { timeout: 1_200_000 }); // a cold build of the example and of fake-lago takes minutes

afterEach(() => assert.deepEqual(problems.splice(0), [], "no console or page errors"));

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill("SIGKILL");
    await serverExit;
  }
});

/** The detail of `id` as shown: the customer, every subscription, each active one's usage. */
async function checkDetail(id) {
  const { body } = await lago(`customers/${encodeURIComponent(id)}`);
  await page.waitForSelector("#customer[data-state=done]");
  assert.equal(await page.textContent("#customer h1"), displayName(body.customer));
  const fields = await page.$$eval("#customer dt", (dts) => dts.map((dt) => [dt.textContent, dt.nextElementSibling.textContent]));
  const c = body.customer;
  assert.deepEqual(fields.slice(0, 5), [
    ["External ID", c.external_id], ["Email", c.email || "—"], ["Currency", c.currency || "—"],
    ["Country", c.country || "—"], ["Payment provider", c.billing_configuration?.payment_provider || "—"],
  ]);

  const query = STATUSES.map((s) => `status[]=${s}`).join("&");
  const all = (await lago(`customers/${id}/subscriptions?per_page=100&${query}`)).body.subscriptions;
  await page.waitForSelector("#subscriptions[data-state=done]");
  const rows = await page.$$eval("#subscriptions tbody tr", (trs) => trs.map((tr) => tr.dataset.id));
  assert.deepEqual(rows, all.map((s) => s.external_id));

  const active = await activeSubs(id);
  assert.ok(active.length > 0, `${id} has an active subscription in the fake`);
  await page.waitForSelector("#usage[data-state=done]");
  const sections = await page.$$eval("#usage section.usage", (ss) => ss.map((s) => s.dataset.subscription));
  assert.deepEqual(sections, active.map((s) => s.external_id), "one usage section per active subscription");
  for (const sub of active) {
    const path = `customers/${id}/current_usage?external_subscription_id=${sub.external_id}`;
    const usage = (await lago(path)).body.customer_usage;
    const section = `#usage section[data-subscription="${sub.external_id}"]`;
    const totals = { amount: "amount_cents", taxes: "taxes_amount_cents", total: "total_amount_cents" };
    for (const [key, field] of Object.entries(totals)) {
      const shown = page.locator(`${section} [data-total=${key}]`);
      const cents = usage[field];
      assert.equal(await shown.getAttribute("data-cents"), String(cents), `${key} of ${sub.external_id}`);
      assert.equal(await shown.textContent(), await money(cents, usage.currency));
    }
    const charges = await page.$$eval(`${section} tbody tr`, (trs) => trs.map((tr) => [tr.dataset.code, tr.dataset.cents]));
    assert.ok(usage.charges_usage.length > 0, "the fake reports charges");
    assert.deepEqual(charges, usage.charges_usage.map((c) => [c.billable_metric.code, String(c.amount_cents)]));
  }
  return active.length;
}

test("the list shows every customer the fake has, in its order", async () => {
  const { body } = await lago("customers?per_page=100");
  assert.ok(body.customers.length > 20, "more than one page of 20: the pager walks on");
  await page.goto(baseUrl);
  await page.waitForSelector("#customers[data-state=done]");
  const shown = await page.$$eval("#customers tbody tr", (trs) =>
    trs.map((tr) => [tr.dataset.id, ...[...tr.cells].map((td) => td.textContent)]));
  const expected = body.customers.map((c) => [
    c.external_id, displayName(c), c.external_id, c.email || "—", c.country || "—", c.currency || "—",
  ]);
  assert.deepEqual(shown, expected);
  assert.equal(await page.textContent("#list-summary"), `${body.customers.length} customers`);
  await page.screenshot({ path: join(shots, "rust-list.png") });
});

test("clicking the first customer opens it with its subscriptions and current usage", async () => {
  const { body } = await lago("customers?per_page=1");
  const first = body.customers[0].external_id;
  await page.click(`#customers tr[data-id="${first}"] a`);
  await page.waitForURL(`**#/customers/${first}`);
  await checkDetail(first);
  await page.screenshot({ path: join(shots, "rust-detail.png"), fullPage: true });
});

test("a customer with several active subscriptions shows the usage of each", async () => {
  const { body } = await lago("customers?per_page=100");
  let best = { id: "", count: 0 };
  for (const c of body.customers) {
    const count = (await activeSubs(c.external_id)).length;
    if (count > best.count) best = { id: c.external_id, count };
  }
  assert.ok(best.count >= 2, "the fake has a customer with two active subscriptions");
  await page.goto(`${baseUrl}#/customers/${encodeURIComponent(best.id)}`);
  assert.equal(await checkDetail(best.id), best.count);
  await page.screenshot({ path: join(shots, "rust-detail-several.png"), fullPage: true });
});

test("a new customer, with no subscription, says so instead of asking for usage", async () => {
  const customer = { external_id: "rust_example_newcomer", name: "Newcomer from Rust", currency: "EUR" };
  const created = await lago("customers", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ customer }),
  });
  assert.equal(created.status, 200, "the fake creates it");
  await page.goto(`${baseUrl}#/customers/${customer.external_id}`);
  await page.waitForSelector("#usage[data-state=done]");
  assert.equal(await page.textContent("#customer h1"), customer.name);
  assert.equal(await page.locator("#subscriptions tbody tr").count(), 0);
  assert.match(await page.textContent("#usage .notice"), /No active subscription/);
  assert.equal(await page.locator("#usage section.usage").count(), 0);
});

test("an unknown customer shows the client's one-line error with Lago's status and code", async () => {
  const { status, body } = await lago("customers/no_such_customer");
  assert.equal(status, 404);
  expected404 = true;
  try {
    // Chromium logs the 404 itself; wait for that line rather than for a while.
    const logged = page.waitForEvent("console", (msg) => /status of 404/.test(msg.text()));
    await page.goto(`${baseUrl}#/customers/no_such_customer`);
    await page.waitForSelector("#customer[data-state=error]");
    await logged;
  } finally {
    expected404 = false;
  }
  const line = await page.textContent("#customer .notice.error");
  assert.ok(line.includes(String(body.status)) && line.includes(body.code), line);
  assert.equal(await page.locator("#subscriptions").count(), 0, "nothing else is asked for");
});

test("SIGTERM stops serve.mjs and its fake-lago", async () => {
  server.kill("SIGTERM");
  assert.deepEqual(await serverExit, { code: 0, signal: null });
  const end = Date.now() + 5_000;
  while (running(fakePid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  assert.equal(running(fakePid), false, "fake-lago has exited");
});
