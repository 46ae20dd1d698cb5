// Two hand-drawn SVG charts: horizontal bars (current usage per charge, against projected) and
// stacked columns (past usage per period, stacked by billable metric). No chart library.

const NS = "http://www.w3.org/2000/svg";
export const PALETTE = ["#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#a855f7", "#64748b"];

function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** A "nice" axis step (1, 2 or 5 times a power of ten) for about `count` ticks up to `max`. */
function niceStep(max, count) {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw);
}

/**
 * One bar per item, longest = largest value. With `projected`, each row also shows where the
 * item is heading: a pale bar to the projected value behind the solid one, and its figure.
 * items: [{ label, sublabel, value, valueLabel, projected?, projectedLabel?, color?, key? }]
 */
export function barChart(items, { title }) {
  const width = 720, labelW = 240, valueW = 120, rowH = 48, barH = 20;
  const barMax = width - labelW - valueW;
  const max = Math.max(1, ...items.map((i) => Math.max(i.value, i.projected ?? 0)));
  const height = items.length * rowH + 8;
  const len = (v) => (v > 0 ? Math.max(2, (v / max) * barMax) : 0);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart bar-chart", role: "img", "aria-label": title });
  items.forEach((item, i) => {
    const y = 4 + i * rowH;
    const color = item.color ?? PALETTE[i % PALETTE.length];
    const ahead = item.projected != null ? ` → ${item.projectedLabel} projected` : "";
    const g = s("g", { class: "row", "data-key": item.key, "data-value": item.value, "data-projected": item.projected });
    g.append(
      s("title", {}, `${item.label}: ${item.valueLabel}${ahead} (${item.sublabel})`),
      s("text", { x: 0, y: y + 16, class: "label" }, item.label),
      s("text", { x: 0, y: y + 33, class: "sublabel" }, item.sublabel),
      s("rect", { x: labelW, y: y + 6, width: barMax, height: barH, rx: 4, class: "track" }),
    );
    if (item.projected != null) {
      g.append(s("rect", { x: labelW, y: y + 6, width: len(item.projected).toFixed(1), height: barH, rx: 4, class: "projected", fill: color }));
    }
    g.append(
      s("rect", { x: labelW, y: y + 6, width: len(item.value).toFixed(1), height: barH, rx: 4, class: "bar", fill: color }),
      s("text", { x: width, y: y + 21, class: "value", "text-anchor": "end" }, item.valueLabel),
    );
    if (item.projected != null) g.append(s("text", { x: width, y: y + 38, class: "sublabel projected-value", "text-anchor": "end" }, `→ ${item.projectedLabel}`));
    svg.append(g);
  });
  return svg;
}

/**
 * Columns over time, each stacked by series.
 * columns: [{ label, title, values: { [seriesKey]: number } }]
 * series:  [{ key, label, color }]
 */
export function stackedColumns(columns, series, { title, format, formatAxis = format }) {
  const width = 720, height = 280, left = 64, right = 8, top = 22, bottom = 30;
  const plotW = width - left - right, plotH = height - top - bottom;
  const totals = columns.map((c) => series.reduce((sum, sr) => sum + (c.values[sr.key] ?? 0), 0));
  const step = niceStep(Math.max(1, ...totals), 4);
  const max = Math.ceil(Math.max(1, ...totals) / step) * step;
  const y = (v) => top + plotH - (v / max) * plotH;
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart column-chart", role: "img", "aria-label": title });

  for (let v = 0; v <= max + step / 2; v += step) {
    svg.append(
      s("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: v === 0 ? "axis" : "grid" }),
      s("text", { x: left - 8, y: y(v) + 4, class: "tick", "text-anchor": "end" }, formatAxis(v)),
    );
  }
  const slot = plotW / Math.max(1, columns.length);
  const colW = Math.min(44, slot * 0.68);
  columns.forEach((column, i) => {
    const x = left + i * slot + (slot - colW) / 2;
    const g = s("g", { class: "column" });
    let base = 0;
    for (const sr of series) {
      const v = column.values[sr.key] ?? 0;
      if (v <= 0) continue;
      const y0 = y(base), y1 = y(base + v);
      g.append(s("rect", { x: x.toFixed(1), y: y1.toFixed(1), width: colW.toFixed(1), height: Math.max(0.5, y0 - y1).toFixed(1), class: "bar", fill: sr.color },
        s("title", {}, `${column.title} · ${sr.label}: ${format(v)}`)));
      base += v;
    }
    g.append(
      s("text", { x: x + colW / 2, y: height - bottom + 18, class: "tick", "text-anchor": "middle" }, column.label),
      s("title", {}, `${column.title}: ${format(totals[i])}`),
    );
    if (slot > 40) {
      g.append(s("text", { x: x + colW / 2, y: y(totals[i]) - 6, class: "total", "text-anchor": "middle" }, formatAxis(totals[i])));
    }
    svg.append(g);
  });
  return svg;
}

/** An HTML legend for `series` (`pale`: a swatch as the projected bars are drawn). */
export function legend(series) {
  const ul = document.createElement("ul");
  ul.className = "legend";
  for (const sr of series) {
    const li = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = sr.pale ? "swatch pale" : "swatch";
    swatch.style.background = sr.color;
    li.append(swatch, sr.label);
    ul.append(li);
  }
  return ul;
}
