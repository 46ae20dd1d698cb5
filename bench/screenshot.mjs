// `node bench/screenshot.mjs [out.png]`: a full-page screenshot of target/bench/report.html
// (default /tmp/report.png), to check by eye that the charts read well. Not part of `make bench`.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..");
const out = process.argv[2] ?? "/tmp/report.png";
const { chromium } = await import(join(root, "node_modules/playwright-core/index.mjs"));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(pathToFileURL(join(root, "target/bench/report.html")).href);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
