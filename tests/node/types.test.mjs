// The packed package's TypeScript types, as a user gets them: tests/types/*.ts compiled with
// `tsc --strict` in a throwaway project that installed the tarball, once per module resolution
// (bundler, node16, nodenext; the last two also through `require` in a .cts file), then under
// exactOptionalPropertyTypes, noUncheckedIndexedAccess, and with no DOM lib nor @types/node.
// Correct calls must compile, and every `@ts-expect-error` line must really be an error (tsc
// fails on an unused one). publint and @arethetypeswrong/cli then lint the tarball itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { pack, installTarball, root } from "./helpers.mjs";

const run = promisify(execFile);
const tsc = join(root, "node_modules/typescript/bin/tsc");
const attw = join(root, "node_modules/@arethetypeswrong/cli/dist/index.js");

let tarball;
let consumer;
const compiled = {}; // tsconfig name -> promise of tsc's { code, stdout }

before(() => {
  ({ tarball } = pack());
  consumer = installTarball(tarball, { name: "ts-consumer", private: true, type: "module" });
  cpSync(join(root, "tests/types"), consumer, { recursive: true });
  // All three compilations at once (each takes a few seconds); each test awaits its own.
  for (const name of ["bundler", "node16", "nodenext", "exact", "exact-models", "unchecked", "nolib"]) {
    compiled[name] = run(process.execPath, [tsc, "-p", `tsconfig.${name}.json`, "--listFiles"], { cwd: consumer })
      .then(({ stdout }) => ({ code: 0, stdout }), (e) => ({ code: e.code, stdout: `${e.stdout}${e.stderr}` }));
  }
}, { timeout: 60_000 });

after(async () => {
  await Promise.allSettled(Object.values(compiled));
  if (consumer) rmSync(consumer, { recursive: true, force: true });
  if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
});

/** tsc's verdict: its error lines, and the files of lago-wasm it read (relative to the package). */
async function verdict(name) {
  const { code, stdout } = await compiled[name];
  const lines = stdout.split("\n");
  const errors = lines.filter((l) => /error TS\d+/.test(l));
  const pkgFiles = lines.filter((l) => l.includes("/node_modules/lago-wasm/"))
    .map((l) => l.trim().replace(/.*\/node_modules\/lago-wasm\//, ""));
  return { code, errors, pkgFiles };
}

test("types, moduleResolution bundler: every operation compiles and every wrong call is an error", async () => {
  const { code, errors, pkgFiles } = await verdict("bundler");
  assert.deepEqual(errors, []);
  assert.equal(code, 0);
  assert.deepEqual(pkgFiles, ["index.d.ts"]);
});

test("types, module node16: the ESM and CommonJS type paths compile the same user code", async () => {
  const { code, errors, pkgFiles } = await verdict("node16");
  assert.deepEqual(errors, []);
  assert.equal(code, 0);
  assert.deepEqual(pkgFiles.sort(), ["index.d.ts", "node/index.d.cts"]);
});

test("types, module nodenext: the ESM and CommonJS type paths compile the same user code", async () => {
  const { code, errors, pkgFiles } = await verdict("nodenext");
  assert.deepEqual(errors, []);
  assert.equal(code, 0);
  assert.deepEqual(pkgFiles.sort(), ["index.d.ts", "node/index.d.cts"]);
});

test("types, exactOptionalPropertyTypes: options from process.env, per-call options and LagoError fields take undefined", async () => {
  const { code, errors, pkgFiles } = await verdict("exact");
  assert.deepEqual(errors, []);
  assert.equal(code, 0);
  assert.deepEqual(pkgFiles, ["index.d.ts"]);
});

// The generated half of index.d.ts (src/js/types.d.ts, api.d.ts): query objects and bodies built
// from maybe-undefined values, as forms and URL parameters give them.
test("types, exactOptionalPropertyTypes: generated query objects and bodies take undefined", async () => {
  const { code, errors } = await verdict("exact-models");
  assert.deepEqual(errors, []);
  assert.equal(code, 0);
});

test("types, noUncheckedIndexedAccess: index.d.ts compiles and result arrays index safely", async () => {
  const { code, errors, pkgFiles } = await verdict("unchecked");
  assert.deepEqual(errors, []);
  assert.equal(code, 0);
  assert.deepEqual(pkgFiles, ["index.d.ts"]);
});

test("types, no DOM lib and no @types/node (lib es2022, types []): fetch and AbortSignal fall back", async () => {
  const { code, errors, pkgFiles } = await verdict("nolib");
  assert.deepEqual(errors, []);
  assert.equal(code, 0);
  assert.deepEqual(pkgFiles, ["index.d.ts"]);
});

test("publint: the tarball has no errors, warnings or suggestions", async () => {
  const { publint } = await import("publint");
  const bytes = readFileSync(tarball);
  const { messages } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: "suggestion",
    strict: true,
  });
  assert.deepEqual(messages, []);
});

test("@arethetypeswrong/cli: no type problems for node10, node16 (CJS and ESM) or bundler", async () => {
  const { stdout } = await run(process.execPath, [attw, tarball, "--format", "json"], { cwd: consumer });
  const { analysis, problems } = JSON.parse(stdout);
  assert.deepEqual(problems, {});
  assert.deepEqual(analysis.problems, []);
  const resolved = analysis.entrypoints["."].resolutions;
  assert.deepEqual(Object.keys(resolved).sort(), ["bundler", "node10", "node16-cjs", "node16-esm"]);
  assert.equal(resolved["node16-cjs"].resolution.fileName, "/node_modules/lago-wasm/node/index.d.cts");
  assert.equal(resolved["node16-esm"].resolution.fileName, "/node_modules/lago-wasm/index.d.ts");
});
