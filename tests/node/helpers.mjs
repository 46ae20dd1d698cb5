// Shared by the Node suites: the packed package installed into a throwaway project, once per
// run, as a user would install it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

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
