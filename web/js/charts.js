// charts.js — small charts as inline SVG, drawn from rows of figures: bars (one or several
// series side by side), and the coverage map. No library: each chart is a few dozen elements,
// and every chart on the dashboard sits beside the table it is drawn from.
const NS = 'http://www.w3.org/2000/svg';
export const COLOURS = ['#0a5c36', '#b3261e', '#8a5a00', '#1f6feb', '#6f42c1', '#57606a'];

export function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

// Vertical bars: `rows` [{label, values: [n…]}], `series` [{name}], the chart's accessible
// `title`. Bars of one row stand side by side; the axis starts at 0.
export function barChart(rows, series, title, { width = 640, height = 220 } = {}) {
  const pad = { l: 40, r: 8, t: 10, b: 46 };
  const max = Math.max(1, ...rows.flatMap((r) => r.values.map((v) => v || 0)));
  const w = width - pad.l - pad.r, h = height - pad.t - pad.b;
  const band = rows.length ? w / rows.length : w;
  const bw = Math.max(1, (band * 0.8) / series.length);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', width: '100%' },
    svg('title', {}, title));
  const ticks = niceTicks(max);
  for (const v of ticks) {
    const y = pad.t + h - (v / ticks[ticks.length - 1]) * h;
    root.append(svg('line', { x1: pad.l, x2: width - pad.r, y1: y, y2: y, stroke: '#d0d7de' }),
      svg('text', { x: pad.l - 4, y: y + 4, 'text-anchor': 'end', 'font-size': 10 }, v));
  }
  const top = ticks[ticks.length - 1];
  rows.forEach((r, i) => {
    r.values.forEach((v, s) => {
      const bh = ((v || 0) / top) * h;
      const x = pad.l + i * band + band * 0.1 + s * bw;
      root.append(svg('rect', { x, y: pad.t + h - bh, width: bw, height: bh, fill: COLOURS[s % COLOURS.length],
        'data-label': r.label, 'data-value': v || 0 }, svg('title', {}, `${r.label} ${series[s].name}: ${v}`)));
    });
    const every = Math.ceil(rows.length / 24);
    if (i % every === 0) {
      const x = pad.l + i * band + band / 2;
      root.append(svg('text', { x, y: height - pad.b + 14, 'font-size': 10, 'text-anchor': 'end',
        transform: `rotate(-35 ${x} ${height - pad.b + 14})` }, r.label.length > 10 ? `${r.label.slice(0, 10)}…` : r.label));
    }
  });
  if (series.length > 1) {
    series.forEach((s, k) => {
      root.append(svg('rect', { x: pad.l + k * 110, y: 0, width: 10, height: 10, fill: COLOURS[k % COLOURS.length] }),
        svg('text', { x: pad.l + k * 110 + 14, y: 9, 'font-size': 10 }, s.name));
    });
  }
  return root;
}

// 0 … a round number at or above `max`, in 4–6 steps.
function niceTicks(max) {
  const step0 = max / 5;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) || mag * 10;
  const steps = Math.max(1, Math.round(step));
  const out = [];
  for (let v = 0; v <= max + steps - 1 && out.length < 12; v += steps) out.push(v);
  if (out[out.length - 1] < max) out.push(out[out.length - 1] + steps);
  return out;
}

// The coverage map: districts' boxes, branches as dots (closed ones hollow), uncovered cells
// shaded. `c` is the answer of GET /api/v1/reports/coverage.
export function coverageMap(c, title, names, { width = 640 } = {}) {
  const b = c.bounds;
  const k = Math.cos(((b.south + b.north) / 2) * Math.PI / 180);
  const spanX = (b.east - b.west) * k, spanY = b.north - b.south;
  const height = Math.round((width * spanY) / spanX);
  const x = (lon) => ((lon - b.west) * k / spanX) * width;
  const y = (lat) => height - ((lat - b.south) / spanY) * height;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart map', width: '100%', id: 'coverage-map' },
    svg('title', {}, title));
  const cw = x(b.west + c.cell_lon_deg) - x(b.west), ch = y(b.south) - y(b.south + c.cell_lat_deg);
  const cells = svg('g', { class: 'uncovered', fill: '#b3261e', 'fill-opacity': '0.35' });
  for (const [lat, lon] of c.uncovered)
    cells.append(svg('rect', { x: x(lon) - cw / 2, y: y(lat) - ch / 2, width: cw + 0.2, height: ch + 0.2 }));
  root.append(cells);
  const districts = svg('g', { class: 'districts', fill: 'none', stroke: '#1b1f24', 'stroke-width': 1 });
  for (const d of c.districts) {
    districts.append(svg('rect', { x: x(d.west), y: y(d.north), width: x(d.east) - x(d.west), height: y(d.south) - y(d.north) },
      svg('title', {}, names(d))));
    districts.append(svg('text', { x: x(d.west) + 3, y: y(d.north) + 11, 'font-size': 10, fill: '#1b1f24', stroke: 'none' }, names(d)));
  }
  root.append(districts);
  const dots = svg('g', { class: 'branches' });
  for (const br of c.branches)
    dots.append(svg('circle', { cx: x(br.lon), cy: y(br.lat), r: 2.6, fill: br.is_open ? '#0a5c36' : 'none',
      stroke: '#0a5c36', 'data-code': br.code }, svg('title', {}, `${br.code} ${br.name_zh}`)));
  root.append(dots);
  return root;
}
