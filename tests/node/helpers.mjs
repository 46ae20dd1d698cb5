// Shared by the Node suites: the packed package installed into a throwaway project, once per
// run, as a user would install it.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize, resolve, sep } from "node:path";

export const root = resolve(import.meta.dirname, "../..");

/** `npm pack ./pkg` into a temp folder; returns the tarball path and npm's file list. */
export function pack() {
  const dir = mkdtempSync(join(tmpdir(), "lago-pack-"));
  const out = execFileSync("npm", ["pack", join(root, "pkg"), "--json", "--pack-destination", dir], {
    encoding: "utf8",
  });
  const [info] = JSON.parse(out);
  return { tarball: join(dir, info.filename), info };
}

/** A throwaway project with the tarball installed; returns its folder. */
export function installTarball(tarball, packageJson = { name: "consumer", private: true }) {
  const dir = mkdtempSync(join(tmpdir(), "lago-consumer-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify(packageJson));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: dir });
  if (!existsSync(join(dir, "node_modules/lago-wasm/package.json"))) throw new Error("install failed");
  return dir;
}

/** Runs `code` with node in `dir` (ESM for .mjs, CommonJS for .cjs); returns stdout. */
export function runIn(dir, file, code) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), code);
  return execFileSync(process.execPath, [join(dir, file)], { cwd: dir, encoding: "utf8" });
}

/** Debian's Chromium (installed by tools/setup.sh), headless, never a downloaded browser. */
export async function launchChromium() {
  const { chromium } = await import(join(root, "node_modules/playwright-core/index.mjs"));
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--no-first-run", "--disable-quic",
    ],
  });
}

/**
 * Serves `html` at `/` and the built package under `/pkg/` on a free loopback port, with
 * `application/wasm` for the wasm; returns `{ origin, close }`.
 */
export async function servePkg(html) {
  const pkgDir = join(root, "pkg");
  const server = createServer((req, res) => {
    const path = decodeURI(new URL(req.url, "http://x").pathname);
    if (path === "/") return res.writeHead(200, { "content-type": "text/html" }).end(html);
    const file = normalize(join(pkgDir, path.replace(/^\/pkg\//, "/")));
    if (!path.startsWith("/pkg/") || !file.startsWith(pkgDir + sep) || !existsSync(file)) return res.writeHead(404).end();
    const type = file.endsWith(".wasm") ? "application/wasm" : "text/javascript";
    res.writeHead(200, { "content-type": type }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}
