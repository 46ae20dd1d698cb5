// End to end: `node www-example/serve.mjs --port 0` (the example app, its proxy and a fresh fake
// Lago), driven in headless Chromium through playwright-core. Screenshots go to
// target/screenshots/. Any console error or page error the test did not expect fails it.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { launchChromium, root } from "./helpers.mjs";

const shots = join(root, "target/screenshots");
const NEW_ID = "e2e_roadrunner";
const NEW_NAME = "Road Runner Deliveries";

let server; // the serve.mjs child
let serverExit; // resolves with { code, signal } when it exits
let baseUrl;
let fakePids = [];
let browser;
let page;
const problems = []; // unexpected console errors and page errors
let expectedStatuses = new Set(); // HTTP errors the current step provokes on purpose
const responsesSeen = new Map(); // status -> responses of an expected status the page received
const consoleSeen = new Map(); // status -> their "Failed to load resource" console errors

/** PIDs of the fake-lago processes whose parent is `ppid` (Linux /proc). */
function fakeLagoChildren(ppid) {
  const found = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === ppid && comm.startsWith("fake-lago")) found.push(Number(entry));
    } catch { /* gone meanwhile */ }
  }
  return found;
}

/** Whether `pid` still runs (a zombie counts as gone). */
function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

async function waitUntil(check, ms, what) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Runs `step` allowing the browser's "Failed to load resource" console errors for `statuses`,
 * then waits until each response of those statuses the page received has had its console
 * error (it may arrive after the step saw the page react), so none lands after the window.
 */
async function allowing(statuses, step) {
  expectedStatuses = new Set(statuses);
  responsesSeen.clear();
  consoleSeen.clear();
  try {
    return await step();
  } finally {
    try {
      await waitUntil(
        () => statuses.every((s) => (responsesSeen.get(s) ?? 0) >= 1 && (consoleSeen.get(s) ?? 0) >= responsesSeen.get(s)),
        5_000,
        `a console error for each ${statuses.join("/")} response (responses ${JSON.stringify([...responsesSeen])}, console errors ${JSON.stringify([...consoleSeen])})`,
      );
    } finally {
      expectedStatuses = new Set();
    }
  }
}

const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** Screenshots show the page, not the fading notes in its corner (after checking none is an error). */
async function quietStatus() {
  assert.equal(await page.locator("#status .msg-error").count(), 0, "no error reported on the page");
  await page.evaluate(() => document.querySelectorAll("#status .msg-info").forEach((n) => n.remove()));
}

/** GET from the fake's API through the example's own proxy (which adds the key: the test holds none). */
async function lago(path) {
  const res = await fetch(`${baseUrl}lago/api/v1/${path}`);
  assert.equal(res.status, 200, path);
  return res.json();
}

/** Every item of a list of the fake (the seeded lists fit one page of 100: checked). */
async function lagoList(path, key) {
  const body = await lago(`${path}${path.includes("?") ? "&" : "?"}per_page=100`);
  assert.equal(body[key].length, body.meta.total_count, `${path}: one page holds the whole list`);
  return body[key];
}

/** Money as the app shows it: minor units in the currency's own digits, English formatting. */
function money(cents, currency) {
  const f = new Intl.NumberFormat("en", { style: "currency", currency });
  return f.format(Number(cents) / 10 ** f.resolvedOptions().maximumFractionDigits);
}

/** The rows of the table in card `#card`: `[{ id, cells: { column: text } }]`, in page order. */
const rowsOf = (card) => page.$$eval(`#${card} tbody tr`, (trs) =>
  trs.map((tr) => ({ id: tr.dataset.id, cells: Object.fromEntries([...tr.children].map((td) => [td.dataset.col, td.textContent.trim()])) })));

/** Opens the rest of a long table, when it has a "Show all" button; returns its rows. */
async function allRowsOf(card) {
  if (await page.locator(`#${card} .show-all`).count()) await page.click(`#${card} .show-all`);
  return rowsOf(card);
}

/** `rows` as a map by id, asserting they are exactly the ids of `items`. */
function byId(rows, items, key, what) {
  assert.deepEqual(rows.map((r) => r.id).sort(), items.map(key).sort(), `${what}: one row per item Lago lists`);
  return new Map(rows.map((r) => [r.id, r.cells]));
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = spawn(process.execPath, [join(root, "www-example/serve.mjs"), "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  serverExit = new Promise((ok) => server.once("exit", (code, signal) => ok({ code, signal })));
  let stderr = "";
  server.stderr.on("data", (d) => (stderr += d));
  baseUrl = await new Promise((ok, ko) => {
    const lines = createInterface({ input: server.stdout });
    lines.on("line", (line) => {
      const match = /^lago-wasm example: (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line);
      if (match) ok(match[1]);
    });
    serverExit.then(({ code }) => ko(new Error(`serve.mjs exited (${code}) before printing its URL:\n${stderr}`)));
  });
  fakePids = fakeLagoChildren(server.pid);
  assert.equal(fakePids.length, 1, "serve.mjs runs exactly one fake-lago child");

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const status = /Failed to load resource: the server responded with a status of (\d+)/.exec(msg.text());
    if (status && expectedStatuses.has(Number(status[1]))) {
      consoleSeen.set(Number(status[1]), (consoleSeen.get(Number(status[1])) ?? 0) + 1);
      return;
    }
    problems.push(`console error: ${msg.text()}`);
  });
  page.on("response", (res) => {
    if (expectedStatuses.has(res.status())) responsesSeen.set(res.status(), (responsesSeen.get(res.status()) ?? 0) + 1);
  });
}, { timeout: 600_000 }); // serve.mjs may have to build fake-lago first

afterEach(() => {
  const seen = problems.splice(0);
  assert.deepEqual(seen, [], "no console or page errors");
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill("SIGKILL");
    await serverExit;
  }
  // Even when serve.mjs was killed outright, its fake-lago sees stdin EOF and exits.
  await waitUntil(() => !fakePids.some(alive), 10_000, "fake-lago to exit");
});

test("the list loads with the seeded customers, paginated", async () => {
  await page.goto(baseUrl);
  await page.waitForSelector("tr.clickable");
  const ids = await page.$$eval("tr.clickable", (rows) => rows.map((r) => r.dataset.id));
  assert.equal(ids[0], "acme_corp");
  assert.equal(ids.length, 20, "20 per page by default");
  assert.match(await page.textContent("#list-summary"), /Page 1 of 2 · 36 customers/);
  await shot("list");

  await page.click("[data-testid=next]");
  await page.waitForSelector("text=Page 2 of 2");
  assert.equal(await page.locator("tr.clickable").count(), 16);
  await page.selectOption("select[name=per_page]", "50");
  await page.waitForSelector("text=Page 1 of 1 · 36 customers");
  assert.equal(await page.locator("tr.clickable").count(), 36);
});

test("a customer is created through the form, after an invalid email shows the field error", async () => {
  await page.click("text=+ New customer");
  await page.waitForSelector("form.form");
  await page.fill("#f-external_id", NEW_ID);
  await page.fill("#f-name", NEW_NAME);
  await page.fill("#f-email", "not-an-email");
  await page.selectOption("#f-currency", "EUR");
  await page.selectOption("#f-country", "FR");
  await page.fill("#f-city", "Lyon");
  await allowing([422], async () => {
    await page.click("button[type=submit]");
    await page.waitForSelector("#f-email-error:not(:empty)");
  });
  assert.match(await page.textContent("#f-email-error"), /email/i);
  assert.equal(await page.getAttribute("#f-email", "aria-invalid"), "true");
  assert.equal(await page.textContent("#f-name-error"), "", "only the email is blamed");
  await shot("form-error");

  await page.fill("#f-email", "beep@roadrunner.example");
  await page.click("button[type=submit]");
  await page.waitForURL(`**#/customers/${NEW_ID}`);
  await page.waitForSelector(`h1:has-text("${NEW_NAME}")`);
  assert.match(await page.textContent("dl.fields"), /beep@roadrunner\.example/);
  // New customers have no subscription in the fake: the page says so instead of failing.
  await page.waitForSelector("#no-subscription");
});

test("the new customer is found via search", async () => {
  await page.click("text=‹ Customers");
  await page.waitForSelector("tr.clickable");
  await page.fill("input[type=search]", "Road Runner");
  await page.waitForSelector("text=1 customer found");
  const ids = await page.$$eval("tr.clickable", (rows) => rows.map((r) => r.dataset.id));
  assert.deepEqual(ids, [NEW_ID]);
  await page.click(`tr[data-id=${NEW_ID}]`);
  await page.waitForSelector(`h1:has-text("${NEW_NAME}")`);
});

test("a customer's detail shows usage charts and a portal link", async () => {
  await page.goto(`${baseUrl}#/customers/acme_corp`);
  await page.waitForSelector("#current-usage svg rect.bar");
  await page.waitForSelector("#past-usage svg rect.bar");
  const current = await page.$$eval("#current-usage svg rect.bar", (bars) => bars.map((b) => b.getBBox()).map((r) => [r.width, r.height]));
  assert.ok(current.length >= 3, `current usage has a bar per charge (${current.length})`);
  for (const [w, hgt] of current) assert.ok(w > 0 && hgt > 0, "current usage bars are drawn");
  const past = await page.$$eval("#past-usage svg g.column", (columns) =>
    columns.map((g) => [...g.querySelectorAll("rect.bar")].reduce((sum, r) => sum + r.getBBox().height, 0)));
  assert.equal(past.length, 12, "12 past periods");
  for (const height of past) assert.ok(height > 10, `every past period has a visible column (${height})`);
  const portal = await page.getAttribute("#portal-link", "href");
  assert.match(portal, /^http:\/\/127\.0\.0\.1:\d+\//);
  await quietStatus();
  await shot("detail-with-charts");
});

test("the usage chart shows each charge's usage so far against its projection, as Lago projects it", async () => {
  // (still on acme_corp's page) The subscription the page chose, projected by the fake itself.
  const sub = await page.inputValue("#usage select");
  const { customer_projected_usage: p } = await lago(`customers/acme_corp/projected_usage?external_subscription_id=${sub}`);
  assert.ok(p.charges_usage.length >= 3);
  const rows = await page.$$eval("#current-usage svg g.row", (gs) => gs.map((g) => ({
    key: g.dataset.key, value: Number(g.dataset.value), projected: Number(g.dataset.projected),
    bar: g.querySelector("rect.bar").getBBox().width, ahead: g.querySelector("rect.projected").getBBox().width,
    now: g.querySelector("text.value").textContent, then: g.querySelector("text.projected-value").textContent,
  })));
  assert.deepEqual(rows.map((r) => [r.key, r.value, r.projected]),
    p.charges_usage.map((c) => [c.billable_metric.code, c.amount_cents, c.projected_amount_cents]), "one row per charge, Lago's figures");
  p.charges_usage.forEach((c, i) => {
    assert.equal(rows[i].now, money(c.amount_cents, c.amount_currency));
    assert.equal(rows[i].then, `→ ${money(c.projected_amount_cents, c.amount_currency)}`);
    assert.ok(rows[i].bar > 0 && rows[i].ahead >= rows[i].bar, `${c.billable_metric.code}: the projection is drawn behind the bar`);
  });
  // A projection ahead of the usage shows as a longer pale bar (it can only be equal on a period's last day).
  assert.equal(rows.some((r) => r.ahead > r.bar + 1), p.projected_amount_cents > p.amount_cents);
  const figures = await page.$$eval("#current-usage .stat", (stats) => Object.fromEntries(stats.map((s) => [s.firstChild.textContent, s.lastChild.textContent])));
  assert.equal(figures["Usage so far"], money(p.amount_cents, p.currency));
  assert.equal(figures["Projected by period end"], money(p.projected_amount_cents, p.currency));
  await quietStatus();
  await page.locator("#usage").screenshot({ path: join(shots, "customer-usage.png") });
});

test("usage events sent from the page go through the queue and the current usage chart moves as they land", async () => {
  // (still on acme_corp's page)
  const sub = await page.inputValue("#usage select");
  const apiCalls = async () => {
    const { customer_usage: u } = await lago(`customers/acme_corp/current_usage?external_subscription_id=${sub}`);
    return u.charges_usage.find((c) => c.billable_metric.code === "api_calls");
  };
  const before = await apiCalls();
  const row = '#current-usage svg g.row[data-key="api_calls"]';
  const drawn = await page.getAttribute(row, "data-value");
  assert.equal(Number(drawn), before.amount_cents);
  await page.click("text=10 × 1,000 API calls");
  await page.waitForSelector("#events-note:has-text('Delivered 10 events')");
  const after = await apiCalls();
  assert.equal(Number(after.units), Number(before.units) + 10_000, "Lago counted the 10 events of 1,000 units");
  assert.equal(after.events_count, before.events_count + 10);
  await page.waitForFunction(([sel, value]) => document.querySelector(sel)?.dataset.value === value, [row, String(after.amount_cents)]);
  assert.ok(after.amount_cents > before.amount_cents, "the bar grew");
});

test("the customer page shows wallets, subscriptions, invoices, payments, payment requests and credit notes as Lago lists them", async () => {
  // ethan_brooks has something in every list (checked below: empty lists would prove nothing).
  const id = "ethan_brooks";
  const [wallets, subs, invoices, payments, requests, notes] = await Promise.all([
    lagoList(`customers/${id}/wallets`, "wallets"),
    lagoList(`customers/${id}/subscriptions?status[]=active&status[]=pending&status[]=terminated&status[]=canceled`, "subscriptions"),
    lagoList(`customers/${id}/invoices`, "invoices"),
    lagoList(`customers/${id}/payments`, "payments"),
    lagoList(`customers/${id}/payment_requests`, "payment_requests"),
    lagoList(`customers/${id}/credit_notes`, "credit_notes"),
  ]);
  for (const [what, list] of Object.entries({ wallets, subs, invoices, payments, requests, notes })) assert.ok(list.length > 0, `${id} has ${what}`);
  await page.goto(`${baseUrl}#/customers/${id}`);
  for (const card of ["subscriptions", "invoices", "payments", "payment-requests", "credit-notes"]) await page.waitForSelector(`#${card} tbody tr`);
  await page.waitForSelector("#wallets li.wallet");
  await page.waitForSelector("#current-usage svg rect.projected");

  // Wallets: each with its balance.
  const tiles = await page.$$eval("#wallets li.wallet", (lis) => lis.map((li) => ({
    code: li.dataset.code, balance: li.querySelector(".wallet-balance").textContent, credits: li.querySelector(".wallet-credits").textContent,
  })));
  assert.deepEqual(tiles.map((t) => t.code), wallets.map((w) => w.code));
  wallets.forEach((w, i) => {
    assert.equal(tiles[i].balance, money(w.balance_cents, w.currency), `${w.code} balance`);
    assert.ok(tiles[i].credits.startsWith(`${Number(w.credits_balance).toLocaleString("en")} credit`), tiles[i].credits);
  });

  const subRows = byId(await rowsOf("subscriptions"), subs, (s) => s.external_id, "subscriptions");
  for (const s of subs) {
    assert.equal(subRows.get(s.external_id).status, s.status);
    assert.equal(subRows.get(s.external_id)["plan fee"], money(s.plan_amount_cents, s.plan_amount_currency));
  }

  // Invoices: the count, every row (after "Show all") with status, payment and amount, newest first.
  assert.equal(await page.textContent("#invoices h2 .count"), String(invoices.length));
  const invoiceRows = await allRowsOf("invoices");
  const inv = byId(invoiceRows, invoices, (i) => i.lago_id, "invoices");
  for (const i of invoices) {
    const cells = inv.get(i.lago_id);
    assert.equal(cells.number, i.number);
    assert.equal(cells.status, i.status);
    assert.equal(cells.payment, i.payment_overdue ? `${i.payment_status} overdue` : i.payment_status);
    assert.equal(cells.amount, money(i.total_amount_cents, i.currency));
  }
  const issued = invoiceRows.map((r) => invoices.find((i) => i.lago_id === r.id).issuing_date);
  assert.deepEqual(issued, [...issued].sort().reverse(), "newest first");
  const owed = invoices.filter((i) => i.status === "finalized" && i.payment_status !== "succeeded");
  assert.ok(owed.length > 0);
  assert.equal(await page.textContent("#invoices .stat.strong span"), money(owed.reduce((s, i) => s + i.total_amount_cents, 0), owed[0].currency));

  const pay = byId(await allRowsOf("payments"), payments, (p) => p.lago_id, "payments");
  for (const p of payments) {
    const cells = pay.get(p.lago_id);
    assert.equal(cells.status, p.payment_status);
    assert.equal(cells.amount, money(p.amount_cents, p.amount_currency));
    assert.equal(cells.invoices, p.invoice_numbers.join(", "));
  }

  const req = byId(await allRowsOf("payment-requests"), requests, (r) => r.lago_id, "payment requests");
  for (const r of requests) {
    const cells = req.get(r.lago_id);
    assert.equal(cells.status, r.payment_status);
    assert.equal(cells.amount, money(r.amount_cents, r.amount_currency));
    assert.equal(cells.invoices, r.invoices.map((i) => i.number).join(", "));
  }

  const cn = byId(await allRowsOf("credit-notes"), notes, (n) => n.lago_id, "credit notes");
  for (const n of notes) {
    const cells = cn.get(n.lago_id);
    assert.equal(cells.invoice, n.invoice_number);
    assert.equal(cells.credit, n.credit_status);
    assert.equal(cells.amount, money(n.total_amount_cents, n.currency));
    assert.equal(cells.balance, money(n.balance_amount_cents, n.currency));
  }
  await quietStatus();
  await shot("customer-page");
  await page.locator("#invoices").screenshot({ path: join(shots, "customer-invoices.png") });
});

test("a customer without payment requests, credit notes or wallets says so", async () => {
  const [requests, notes] = await Promise.all([
    lagoList("customers/acme_corp/payment_requests", "payment_requests"),
    lagoList("customers/acme_corp/credit_notes", "credit_notes"),
  ]);
  assert.deepEqual([requests.length, notes.length], [0, 0], "the seed gives acme_corp neither");
  await page.goto(`${baseUrl}#/customers/acme_corp`);
  await page.waitForSelector("#payment-requests:has-text('No payment requests.')");
  await page.waitForSelector("#credit-notes:has-text('No credit notes.')");
  assert.equal(await page.textContent("#payment-requests h2 .count"), "0");

  // stealth_startup has no currency, so no wallet.
  assert.deepEqual(await lagoList("customers/stealth_startup/wallets", "wallets"), []);
  await page.goto(`${baseUrl}#/customers/stealth_startup`);
  await page.waitForSelector("#wallets:has-text('No wallets')");
});

test("checkout: a URL for a customer with a provider, a plain notice without one", async () => {
  await page.goto(`${baseUrl}#/customers/acme_corp`);
  await page.waitForSelector("h1:has-text('Acme Corporation')");
  await page.click("text=Generate checkout URL");
  await page.waitForSelector(".notice.ok a");
  await page.goto(`${baseUrl}#/customers/initech`);
  await page.waitForSelector("h1:has-text('Initech')");
  await allowing([422], async () => {
    await page.click("text=Generate checkout URL");
    await page.waitForSelector(".notice.warn:has-text('No payment provider')");
  });
});

test("a coupon is removed from acme_corp", async () => {
  await page.goto(`${baseUrl}#/customers/acme_corp`);
  await page.waitForSelector("li.coupon");
  const before = await page.$$eval("li.coupon", (items) => items.map((li) => li.dataset.id));
  assert.equal(before.length, 2);
  await page.click(`li.coupon[data-id="${before[0]}"] button`);
  await page.waitForSelector(`li.coupon[data-id="${before[0]}"]`, { state: "detached" });
  await page.waitForSelector(".msg-info:has-text('removed')");
  // The server agrees: reloaded, only the other coupon is left.
  await page.reload();
  await page.waitForSelector("li.coupon");
  assert.deepEqual(await page.$$eval("li.coupon", (items) => items.map((li) => li.dataset.id)), [before[1]]);
});

test("a forced 429 is retried visibly, then reported without freezing the page", async () => {
  await page.click("#open-settings");
  await page.selectOption("select[name=fault]", "status=429;retry-after=1");
  await allowing([429], async () => {
    await page.click("button[value=save]");
    await page.waitForSelector(".msg-busy:has-text('retrying')");
    assert.ok(await page.evaluate(() => 1 + 1) === 2, "the page still answers while retrying");
    await page.waitForSelector(".msg-error:has-text('429')");
  });
  assert.match(await page.textContent(".msg-error"), /3 attempts/);
  await page.click("#open-settings");
  await page.click("#settings-reset");
  await page.click("button[value=save]");
  await page.waitForSelector("li.coupon");
  await page.click(".msg-error .msg-close");
});

test("the customer is deleted after accepting the confirm dialog and disappears", async () => {
  await page.goto(`${baseUrl}#/customers/${NEW_ID}`);
  await page.waitForSelector(`h1:has-text("${NEW_NAME}")`);
  let asked = "";
  page.once("dialog", (dialog) => {
    asked = `${dialog.type()}: ${dialog.message()}`;
    dialog.accept();
  });
  await page.click("text=Delete customer");
  await page.waitForURL(/#\/customers(\?|$)/);
  assert.match(asked, new RegExp(`^confirm: .*${NEW_ID}`));
  await page.waitForSelector(`.msg-info:has-text("${NEW_ID} deleted")`);
  await page.fill("input[type=search]", "Road Runner");
  await page.waitForSelector("text=No customers match");
  await shot("after-delete");
  const res = await fetch(`${baseUrl}lago/api/v1/customers/${NEW_ID}`);
  assert.equal(res.status, 404, "the proxy (with its key) no longer finds it");
});

test("SIGTERM stops serve.mjs and its fake-lago", async () => {
  server.kill("SIGTERM");
  const { code, signal } = await serverExit;
  assert.deepEqual({ code, signal }, { code: 0, signal: null });
  await waitUntil(() => !fakePids.some(alive), 5_000, "fake-lago to exit");
});
