// The Rust face's size-measurement apps (bench/rust-apps/, one feature per app), built as a
// user's app is built: cargo's release wasm (opt-level "z", LTO, one codegen unit, panic =
// abort), wasm-bindgen's `web` glue, then `wasm-opt -Oz`. Prints each app's wasm raw and gzip -9
// bytes against issue 21's targets, and those of the Rust example page (www-example-rust/, built
// by its build.sh as `make example-rust` builds it; no target); `make bench` (bench/run.mjs)
// shows the same as a table.
//
//   node bench/rust-apps.mjs           # the table
//   node bench/rust-apps.mjs --names   # also keeps a named copy of each (…-names.wasm, for twiggy)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const root = join(import.meta.dirname, "..");
const crate = join(root, "bench/rust-apps");
const target = join(root, "target/rust-apps");
const HOME_BIN = join(process.env.HOME ?? "/root", ".cargo/bin");
const env = { ...process.env, PATH: `${join(root, "node_modules/.bin")}:${HOME_BIN}:${process.env.PATH}` };
// The features rustc emits for wasm32 today (as tools/build-pkg.sh); wasm-opt refuses the
// module without them.
const FEATURES = [
  "--enable-reference-types", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
  "--enable-sign-ext", "--enable-multivalue", "--enable-mutable-globals",
];

// Issue 21's targets, raw bytes: (b)'s is the pager's cost on top of (a).
export const APPS = [
  { feature: "find", label: "find_customer (+ 404)", target: 100_000 },
  { feature: "pager", label: "+ list_all_customers (Stream)", overTarget: 15_000 },
  { feature: "five", label: "five operations", target: 180_000 },
];

const run = (cmd, args) => execFileSync(cmd, args, { cwd: crate, env, stdio: ["ignore", "ignore", "inherit"] });

/** The wasm `make example-rust` serves: raw and gzip -9 bytes. */
function buildExampleRust() {
  execFileSync("bash", [join(root, "www-example-rust/build.sh")], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  const out = join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "example-rust/pkg");
  const bytes = readFileSync(join(out, "lago_wasm_example_rust_bg.wasm"));
  return { label: "www-example-rust (the example page)", raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/**
 * Builds every app; returns [{ feature, label, raw, gzip, target, pass }], with the example
 * page as `rows.example` ({ label, raw, gzip }): it has no target, so it stays out of the rows
 * bench/run.mjs gives a verdict each, and only the table shows it.
 */
export function buildRustApps({ names = false } = {}) {
  const rows = [];
  for (const app of APPS) {
    run("cargo", [
      "build", "--quiet", "--release", "--target", "wasm32-unknown-unknown",
      "--target-dir", target, "--no-default-features", "--features", app.feature,
    ]);
    const wasm = join(target, "wasm32-unknown-unknown/release/lago_wasm_size_apps.wasm");
    const out = join(target, "apps", app.feature);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    run("wasm-bindgen", ["--target", "web", "--no-typescript", "--out-dir", out, wasm]);
    const bg = join(out, "lago_wasm_size_apps_bg.wasm");
    if (names) run("wasm-opt", ["-Oz", "-g", ...FEATURES, "-o", join(target, "apps", `${app.feature}-names.wasm`), bg]);
    run("wasm-opt", ["-Oz", "--strip-debug", "--strip-producers", ...FEATURES, "-o", bg, bg]);
    const bytes = readFileSync(bg);
    const row = { ...app, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    const base = rows.at(-1);
    row.over = app.overTarget !== undefined && base ? row.raw - base.raw : undefined;
    row.pass = app.target !== undefined ? row.raw <= app.target : row.over <= app.overTarget;
    rows.push(row);
  }
  rows.example = buildExampleRust();
  return rows;
}

export function rustAppsTable(rows) {
  const lines = ["| Rust face apps (wasm after wasm-opt -Oz) | raw B | gzip B | target (raw) |", "|---|---:|---:|---|"];
  for (const r of rows) {
    const goal = r.target !== undefined
      ? `<= ${r.target.toLocaleString("en")}`
      : `+${r.over.toLocaleString("en")} over find; <= +${r.overTarget.toLocaleString("en")}`;
    lines.push(`| ${r.label} | ${r.raw.toLocaleString("en")} | ${r.gzip.toLocaleString("en")} | ${goal} ${r.pass ? "PASS" : "MISS"} |`);
  }
  const ex = rows.example;
  if (ex) lines.push(`| ${ex.label} | ${ex.raw.toLocaleString("en")} | ${ex.gzip.toLocaleString("en")} | none |`);
  return lines.join("\n");
}

if (import.meta.main ?? process.argv[1] === import.meta.filename) {
  console.log(rustAppsTable(buildRustApps({ names: process.argv.includes("--names") })));
}
