// The two files `make bench` writes besides the text table: target/bench/report.html (one
// self-contained page: inline SVG bar charts drawn here, no script, no CDN, and the full table
// in a <pre>) and target/bench/table.md (a short Markdown table for the README). Both read only
// run.mjs's `results` (the verdicts were decided there: this file draws, it never judges).
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const COLORS = { official: "#4e79a7", floor: "#f28e2b", wasm: "#59a14f", target: "#d62728", grid: "#ddd", pass: "#2e7d32", miss: "#c62828", na: "#777" };
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const verdictText = (pass) => (pass === null || pass === undefined ? "n/a" : pass ? "PASS" : "MISS");
const verdictColor = (pass) => (pass === null || pass === undefined ? COLORS.na : pass ? COLORS.pass : COLORS.miss);

/**
 * A horizontal bar chart as an SVG string. `rows`: { label, bars: [{ name, value, color }],
 * target?: number (a short red tick on this row), pass?: verdict shown at the row's end }.
 * `lines`: chart-wide vertical target lines { value, label }. `fmt`: value -> text. `cap`: the
 * axis ends there at most; a longer bar is cut (zigzag end) and keeps its true value as text,
 * so one outlier does not squash the target lines of the others.
 */
function barChart({ title, rows, lines = [], fmt, unit = "", cap = Infinity }) {
  const W = 1040, labelW = 300, verdictW = 70, plotW = W - labelW - verdictW - 135;
  const barH = 13, barGap = 3, rowGap = 12, top = 62;
  const values = rows.flatMap((r) => [...r.bars.map((b) => b.value), r.target ?? 0]).concat(lines.map((l) => l.value)).filter(Number.isFinite);
  const max = Math.min(Math.max(...values, 1e-9), cap) * 1.08;
  const x = (v) => labelW + (Math.max(0, v) / max) * plotW;
  const legend = [...new Map(rows.flatMap((r) => r.bars).map((b) => [b.name, b.color])).entries()];
  let y = top;
  const out = [];
  const labels = []; // drawn last, over the target lines
  for (const row of rows) {
    const h = row.bars.length * (barH + barGap) - barGap;
    out.push(`<text x="${labelW - 8}" y="${y + h / 2 + 4}" text-anchor="end" font-size="12">${esc(row.label)}</text>`);
    row.bars.forEach((b, i) => {
      const by = y + i * (barH + barGap);
      const ok = Number.isFinite(b.value);
      const cut = ok && b.value > max;
      const end = ok ? x(Math.min(b.value, max)) : labelW;
      if (ok) out.push(`<rect x="${labelW}" y="${by}" width="${Math.max(1, end - labelW).toFixed(1)}" height="${barH}" fill="${b.color}"><title>${esc(`${row.label}: ${b.name} ${fmt(b.value)}`)}</title></rect>`);
      if (cut) out.push(`<path d="M${end - 6} ${by - 1} l4 ${(barH + 2) / 3} l-4 ${(barH + 2) / 3} l4 ${(barH + 2) / 3}" stroke="#fff" stroke-width="2.5" fill="none"/>`);
      // A white halo keeps the value legible where it crosses a target line.
      labels.push(`<text x="${end + 4}" y="${by + barH - 2}" font-size="11" fill="#333" stroke="#fff" stroke-width="3" paint-order="stroke"${cut ? ' font-weight="bold"' : ""}>${esc(ok ? `${fmt(b.value)}${cut ? " (off scale)" : ""}` : "n/a")}</text>`);
    });
    if (Number.isFinite(row.target)) {
      out.push(`<line x1="${x(row.target)}" x2="${x(row.target)}" y1="${y - 3}" y2="${y + h + 3}" stroke="${COLORS.target}" stroke-width="2.5"><title>target ${esc(fmt(row.target))}</title></line>`);
    }
    if ("pass" in row) {
      out.push(`<text x="${W - verdictW + 6}" y="${y + h / 2 + 4}" font-size="12" font-weight="bold" fill="${verdictColor(row.pass)}">${verdictText(row.pass)}</text>`);
    }
    y += h + rowGap;
  }
  const bottom = y;
  const grid = lines.map((l, i) =>
    `<line x1="${x(l.value)}" x2="${x(l.value)}" y1="${top - 8}" y2="${bottom - rowGap + 4}" stroke="${l.color ?? COLORS.target}" stroke-dasharray="5 3" stroke-width="1.8"/>` +
    `<text x="${x(l.value) + 3}" y="${top - 10 - (i % 2) * 11}" font-size="11" fill="${l.color ?? COLORS.target}">${esc(l.label)}</text>`).join("");
  const legendSvg = legend.map(([name, color], i) =>
    `<rect x="${labelW + i * 190}" y="8" width="12" height="12" fill="${color}"/><text x="${labelW + i * 190 + 17}" y="18" font-size="12">${esc(name)}</text>`).join("");
  const axis = `<line x1="${labelW}" x2="${labelW}" y1="${top - 6}" y2="${bottom - rowGap + 4}" stroke="#999"/>` +
    `<text x="${labelW + plotW}" y="${bottom + 8}" font-size="11" text-anchor="end" fill="#666">${esc(unit)}</text>`;
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${bottom + 14}" viewBox="0 0 ${W} ${bottom + 14}" font-family="system-ui, sans-serif">${legendSvg}${axis}${out.join("")}${grid}${labels.join("")}</svg></figure>`;
}

const byGroup = (results, group) => results.verdicts.filter((t) => t.group === group);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

function html(results, ops) {
  const { environment: env } = results;
  const charts = [];
  for (const runtime of ["node", "chromium"]) {
    for (const transport of ["memory", "loopback"]) {
      const rows = ops.map((op) => {
        const t = byGroup(results, "per call").find((v) => v.env === runtime && v.transport === transport && v.op === op);
        return {
          label: op,
          pass: t.pass,
          bars: [
            { name: "lago-wasm / official", value: t.wasmToOfficial, color: COLORS.official },
            { name: "lago-wasm / floor", value: t.wasm, color: COLORS.floor },
          ],
        };
      });
      charts.push(barChart({
        title: `Per call, ${runtime}, ${transport === "memory" ? "in memory" : "over loopback (fake-lago)"}: lago-wasm's time as a ratio (median of per-round ratios; lower is better)`,
        rows, fmt: (v) => `${v.toFixed(2)}x`, unit: "ratio (axis cut at 2.5x)", cap: 2.5,
        // Each target line in the darker shade of the bars it applies to.
        lines: [
          { value: results.targets.vsOfficial, label: `target ${results.targets.vsOfficial.toFixed(2)}x official`, color: "#1f4e79" },
          { value: results.targets.vsFloor, label: `target ${results.targets.vsFloor.toFixed(2)}x floor`, color: "#b35900" },
        ],
      }));
    }
  }
  const fixed = byGroup(results, "fixed");
  charts.push(barChart({
    title: `Fixed cost per call (tiny body, fetch resolves at once; lago-wasm with its default 30 s timeout), µs`,
    rows: fixed.map((t) => ({
      label: t.env, pass: t.pass,
      bars: [
        { name: "floor (fetch + res.json())", value: t.floor, color: COLORS.floor },
        { name: "official client", value: t.official, color: COLORS.official },
        { name: "lago-wasm", value: t.wasm, color: COLORS.wasm },
      ],
    })),
    fmt: (v) => `${v.toFixed(2)} µs`, unit: "µs per call", lines: [{ value: results.targets.fixedCostUs, label: `${results.targets.fixedCostUs} µs target` }],
  }));
  const su = results.startup;
  const first = byGroup(results, "startup").find((t) => t.what === "chromium first import");
  const warm = byGroup(results, "startup").find((t) => t.what === "instantiate warm chromium");
  charts.push(barChart({
    title: "Start-up, ms (median of fresh pages / processes)",
    rows: [
      { label: "Chromium first import + first call", pass: first.pass, target: first.official + results.targets.firstImportOverOfficialMs,
        bars: [{ name: "lago-wasm", value: first.wasm, color: COLORS.wasm }, { name: "official client", value: first.official, color: COLORS.official }] },
      { label: "Node first import (not a target)",
        bars: [{ name: "lago-wasm", value: median(su.node.importWasm), color: COLORS.wasm }, { name: "official client", value: median(su.node.importOfficial), color: COLORS.official }] },
      { label: "Chromium instantiate warm", pass: warm.pass, target: results.targets.warmInstantiateMs,
        bars: [{ name: "lago-wasm", value: warm.wasm ?? NaN, color: COLORS.wasm }] },
    ],
    fmt: (v) => `${v.toFixed(2)} ms`, unit: "ms (red tick: the row's target)",
  }));
  const [wasmT, glueT] = ["wasm gzip", "glue gzip"].map((w) => byGroup(results, "bytes").find((t) => t.what === w));
  charts.push(barChart({
    title: "Bytes a browser downloads, gzip -9, KiB",
    rows: [
      { label: `wasm (pkg/${results.sizes.wasm.file})`, pass: wasmT.pass, target: results.targets.wasmGzipKiB, bars: [{ name: "lago-wasm", value: results.sizes.wasm.gzip / 1024, color: COLORS.wasm }] },
      { label: `JS of import * as lago (${Object.keys(results.sizes.glue.files).length} chunks)`, pass: glueT.pass, target: results.targets.glueGzipKiB, bars: [{ name: "lago-wasm", value: results.sizes.glue.gzip / 1024, color: COLORS.wasm }] },
      { label: "lago-wasm total", bars: [{ name: "lago-wasm", value: (results.sizes.wasm.gzip + results.sizes.glue.gzip) / 1024, color: COLORS.wasm }] },
      { label: "official client (esbuild --minify)", bars: [{ name: "official client", value: results.sizes.official.gzip / 1024, color: COLORS.official }] },
    ],
    fmt: (v) => `${v.toFixed(1)} KiB`, unit: `KiB (red tick: the row's target; wasm aim ${results.targets.wasmGzipAimKiB} KiB)`,
  }));
  const passed = results.verdicts.filter((t) => t.pass === true).length;
  const missed = results.verdicts.filter((t) => t.pass === false);
  const others = results.verdicts.filter((t) => !["per call", "fixed", "startup", "bytes"].includes(t.group));
  const otherList = others.map((t) => `<li><b style="color:${verdictColor(t.pass)}">${verdictText(t.pass)}</b> ${esc(t.what)}: ${esc(t.wasm === null ? "n/a" : fmtOther(t))} (target ${esc(t.target)})</li>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lago-wasm benchmark ${esc(env.date)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 4px; } .machine { color: #555; margin: 0 0 12px; }
.targets { font-size: 15px; padding: 8px 12px; background: #f6f6f6; border-left: 4px solid ${missed.length ? COLORS.miss : COLORS.pass}; }
figure { margin: 18px 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
pre { font-size: 11.5px; background: #fafafa; border: 1px solid #ddd; padding: 10px; overflow-x: auto; }
.wrap { display: flex; flex-wrap: wrap; gap: 0 32px; }
</style></head><body>
<h1>lago-wasm benchmark</h1>
<p class="machine">${esc(env.date)}: ${esc(env.cpu)}, ${env.cores} cores (shared), Node ${esc(env.node)}, Chromium ${esc(env.chromium)}; ${env.rounds} rounds per measure</p>
<p class="targets"><b>TARGETS: ${passed}/${results.verdicts.length} PASS</b>${missed.length ? `; MISS: ${esc(missed.map((t) => t.what).join("; "))}` : ""}</p>
<ul>${otherList}</ul>
<div class="wrap">${charts.join("\n")}</div>
<h2>Full table</h2>
<pre>${esc(results.table)}</pre>
</body></html>
`;
}

function fmtOther(t) {
  if (t.group === "pager") return `${t.wasm.toFixed(2)}x a plain async function*`;
  if (t.group === "crossings") return `${t.wasm} wasm->JS calls`;
  if (t.group === "events") return `${t.wasm}x the events a second of one createEvent per event`;
  if (t.group === "memory") return `heap ${t.wasm >= 0 ? "+" : ""}${(t.wasm / 1024).toFixed(0)} KiB, wasm memory ${t.wasmMemoryGrowth === null ? "n/a" : `+${t.wasmMemoryGrowth} B`}`;
  return String(t.wasm);
}

/** The short Markdown table for the README: one row per measure, the machine underneath. */
function markdown(results, ops) {
  const rows = [["measure", "lago-wasm", "official client", "target", "verdict"]];
  const v = (pass) => (pass === null ? "n/a" : pass ? "PASS" : "**MISS**");
  const perCall = byGroup(results, "per call");
  for (const op of ops) {
    const ts = perCall.filter((t) => t.op === op);
    const worst = (k) => Math.max(...ts.map((t) => t[k]));
    const failed = ts.filter((t) => !t.pass).map((t) => `${t.env} ${t.transport}`);
    rows.push([
      `${op}, per call (worst of Node/Chromium × memory/loopback)`,
      `${worst("wasm").toFixed(2)}x floor, ${worst("wasmToOfficial").toFixed(2)}x official`,
      `${worst("official").toFixed(2)}x floor`,
      "≤ 1.10x floor, ≤ 1.00x official",
      failed.length ? `**MISS** (${failed.join(", ")})` : `PASS ${ts.length}/${ts.length}`,
    ]);
  }
  for (const t of byGroup(results, "fixed")) rows.push([`fixed cost per call, ${t.env}`, `${t.wasm.toFixed(2)} µs`, `${t.official.toFixed(2)} µs`, t.target.replace("<=", "≤"), v(t.pass)]);
  for (const t of byGroup(results, "pager")) rows.push([`listAllCustomers per item, ${t.env}`, `${t.wasm.toFixed(2)}x async function*`, "–", t.target.replace("<=", "≤"), v(t.pass)]);
  for (const t of byGroup(results, "crossings")) rows.push(["createCustomer wasm→JS calls", t.wasm === null ? "n/a" : String(t.wasm), "–", t.target.replace("<=", "≤"), v(t.pass)]);
  for (const t of byGroup(results, "startup")) {
    rows.push(t.what === "chromium first import"
      ? ["first import + first call, fresh Chromium page", `${t.wasm.toFixed(1)} ms`, `${t.official.toFixed(1)} ms`, t.target.replace("<=", "≤"), v(t.pass)]
      : ["instantiate warm, Chromium", t.wasm === null ? "n/a" : `${t.wasm.toFixed(2)} ms`, "–", t.target, v(t.pass)]);
  }
  for (const t of byGroup(results, "memory")) rows.push([`memory, ${results.environment.soakCalls.toLocaleString("en")} findCustomer calls (Node)`, t.wasm === null ? "n/a" : fmtOther(t), "–", t.target, v(t.pass)]);
  const s = results.sizes;
  for (const t of byGroup(results, "bytes")) {
    rows.push(t.what === "wasm gzip"
      ? ["wasm, gzip -9", `${(s.wasm.gzip / 1024).toFixed(1)} KiB`, `${(s.official.gzip / 1024).toFixed(1)} KiB (whole bundle)`, t.target.replace("<=", "≤"), v(t.pass)]
      : [`JS of \`import * as lago\`, esbuild, gzip -9 (${Object.keys(s.glue.files).length} chunks)`, `${(s.glue.gzip / 1024).toFixed(1)} KiB`, "–", t.target.replace("<=", "≤"), v(t.pass)]);
  }
  const line = (r) => `| ${r.join(" | ")} |`;
  const e = results.environment;
  return [
    line(rows[0]), line(rows[0].map(() => "---")), ...rows.slice(1).map(line), "",
    `Measured ${e.date.slice(0, 10)} on ${e.cpu}, ${e.cores} cores (shared), Node ${e.node}, Chromium ${e.chromium} (\`make bench\`, ${e.rounds} rounds).`, "",
  ].join("\n");
}

/** Writes report.html and table.md into `outDir`; returns their names. */
export function writeReport({ outDir, results, ops }) {
  writeFileSync(join(outDir, "report.html"), html(results, ops));
  writeFileSync(join(outDir, "table.md"), markdown(results, ops));
  return ["report.html", "table.md"];
}
