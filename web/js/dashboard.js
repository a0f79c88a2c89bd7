// dashboard.js — how the city is doing (manager, police): the period's and today's totals, then
// one section per figure — a chart drawn by charts.js, the table it is drawn from, and the
// table as CSV from the server (GET /api/v1/reports/summary?…&format=csv) — and the map of
// the branch network's coverage. The fines collected (payments in force, by settlement day) have
// a section of their own: a tile of the period's amount and count, and the branches' table.
import { initI18n, api, requireSession, t, el, errorText, pick, currentLang, money } from './common.js';
import { barChart, coverageMap } from './charts.js';

const msg = document.getElementById('dash-msg');
const fromInput = document.getElementById('from');
const toInput = document.getElementById('to');

// The sections: which grouping, which figures the chart draws, which the table shows.
const SECTIONS = [
  { id: 'hour', series: ['accepted'], cols: ['accepted', 'share'] },
  { id: 'day', series: ['accepted', 'completed'], cols: ['accepted', 'completed', 'returned', 'refused'] },
  { id: 'district', series: ['accepted'], cols: ['accepted', 'share', 'returned', 'refused', 'first_time_right'] },
  { id: 'branch', series: ['accepted', 'returned', 'refused'],
    cols: ['accepted', 'completed', 'returned', 'refused', 'first_time_right', 'overdue'] },
  { id: 'type', series: ['accepted'],
    cols: ['accepted', 'share', 'completed', 'sla_met', 'sla_missed', 'turnaround_p50', 'turnaround_p90'] },
  { id: 'station', series: ['waiting', 'overdue', 'completed'],
    cols: ['waiting', 'leased', 'overdue', 'due_today', 'oldest_age_days', 'completed', 'returned', 'refused'] },
  { id: 'operator', series: ['completed', 'returned', 'refused'], cols: ['completed', 'returned', 'refused'] },
  { id: 'reason', series: ['returned', 'refused'], cols: ['returned', 'refused'] },
  { id: 'clerk', series: ['accepted', 'returned'], cols: ['accepted', 'returned', 'corrections', 'first_time_right'] },
];
const KPIS = ['accepted', 'completed', 'in_progress', 'returned', 'refused', 'first_time_right',
  'sla_met', 'sla_missed', 'overdue', 'due_today', 'turnaround_p50', 'turnaround_p90'];
const RATIOS = new Set(['share', 'first_time_right']);
const BAD = new Set(['overdue', 'sla_missed']);

// A figure as shown: ratios as percentages, nothing as a dash.
export function show(field, v) {
  if (v === null || v === undefined) return '—';
  if (RATIOS.has(field)) return `${(v * 100).toFixed(1)}%`;
  return String(v);
}

function query(group, from, to) {
  return `from=${from}&to=${to}&group_by=${group}`;
}

function label(row, group) {
  if (group === 'branch') return `${row.key} ${pick(row) || ''}`.trim();
  if (group === 'day' || group === 'hour') return row.key;
  return pick(row) || row.key;
}

function figureTable(id, group, rows, cols, totals) {
  const head = el('tr', {}, el('th', {}, t(`dash.key.${group}`)), cols.map((c) => el('th', { class: 'num' }, t(`fig.${c}`))));
  const body = rows.map((r) => el('tr', { 'data-key': r.key }, el('th', { scope: 'row' }, label(r, group)),
    cols.map((c) => el('td', { class: 'num', 'data-field': c }, show(c, r[c])))));
  const total = el('tr', { class: 'total', 'data-key': 'total' }, el('th', { scope: 'row' }, t('dash.total')),
    cols.map((c) => el('td', { class: 'num', 'data-field': c }, show(c, totals[c]))));
  return el('div', { class: 'table-wrap' }, el('table', { class: 'figures', id: `t-${id}` },
    el('caption', { class: 'sr-only' }, t(`dash.${id}`)), el('thead', {}, head), el('tbody', {}, body, total)));
}

async function section(s, from, to) {
  const sum = await api('GET', `/api/v1/reports/summary?${query(s.id, from, to)}`);
  const rows = sum.groups;
  const chartRows = rows.map((r) => ({ label: label(r, s.id), values: s.series.map((f) => r[f] || 0) }));
  const series = s.series.map((f) => ({ name: t(`fig.${f}`) }));
  const csv = `/api/v1/reports/summary?${query(s.id, from, to)}&format=csv`;
  return el('section', { class: 'card', id: `s-${s.id}` },
    el('h2', {}, t(`dash.${s.id}`)),
    rows.length ? barChart(chartRows, series, t(`dash.${s.id}`)) : el('p', { class: 'muted' }, t('dash.none')),
    figureTable(s.id, s.id, rows, s.cols, sum.totals),
    el('p', {}, el('a', { href: csv, download: '', class: 'csv' }, t('dash.csv'))));
}

// The fines collected in the period: the tile, then the branches that collected any — their
// chart (yuan), table and the CSV by branch (which carries fines_count and fines_amount_fen).
async function finesSection(from, to) {
  const sum = await api('GET', `/api/v1/reports/summary?${query('branch', from, to)}`);
  const rows = sum.groups.filter((r) => r.fines_count > 0);
  const cols = ['fines_count', 'fines_amount_fen'];
  const cell = (c, v) => (c === 'fines_amount_fen' ? money(v) : String(v));
  const tile = el('div', { class: 'kpis', id: 'kpi-fines' },
    el('div', { 'data-field': 'amount_fen' }, el('b', {}, money(sum.fines.amount_fen)), el('span', {}, t('fig.fines_amount_fen'))),
    el('div', { 'data-field': 'count' }, el('b', {}, String(sum.fines.count)), el('span', {}, t('fig.fines_count'))));
  const head = el('tr', {}, el('th', {}, t('dash.key.branch')), cols.map((c) => el('th', { class: 'num' }, t(`fig.${c}`))));
  const body = rows.map((r) => el('tr', { 'data-key': r.key }, el('th', { scope: 'row' }, label(r, 'branch')),
    cols.map((c) => el('td', { class: 'num', 'data-field': c }, cell(c, r[c])))));
  const total = el('tr', { class: 'total', 'data-key': 'total' }, el('th', { scope: 'row' }, t('dash.total')),
    el('td', { class: 'num', 'data-field': 'fines_count' }, String(sum.fines.count)),
    el('td', { class: 'num', 'data-field': 'fines_amount_fen' }, money(sum.fines.amount_fen)));
  const chartRows = rows.map((r) => ({ label: label(r, 'branch'), values: [r.fines_amount_fen / 100] }));
  const csv = `/api/v1/reports/summary?${query('branch', from, to)}&format=csv`;
  return el('section', { class: 'card', id: 's-fines' },
    el('h2', {}, t('dash.fines')),
    el('p', { class: 'muted' }, t('dash.fines_note')),
    tile,
    rows.length ? barChart(chartRows, [{ name: t('dash.fines_chart') }], t('dash.fines')) : el('p', { class: 'muted' }, t('dash.none')),
    el('div', { class: 'table-wrap' }, el('table', { class: 'figures', id: 't-fines' },
      el('caption', { class: 'sr-only' }, t('dash.fines')), el('thead', {}, head), el('tbody', {}, body, total))),
    el('p', {}, el('a', { href: csv, download: '', class: 'csv' }, t('dash.csv'))));
}

async function overview(from, to, today) {
  const [period, day] = await Promise.all([
    api('GET', `/api/v1/reports/summary?${query('type', from, to)}`),
    api('GET', `/api/v1/reports/summary?${query('type', today, today)}`),
  ]);
  const card = (f, v, extra) => el('div', { class: BAD.has(f) && v > 0 ? 'bad' : '', 'data-field': f, ...extra },
    el('b', {}, show(f, v)), el('span', {}, t(`fig.${f}`)));
  const tot = period.totals;
  const sla = [{ label: t('fig.sla_met'), values: [tot.sla_met] }, { label: t('fig.sla_missed'), values: [tot.sla_missed] },
    { label: t('fig.overdue'), values: [tot.overdue] }, { label: t('fig.due_today'), values: [tot.due_today] }];
  document.getElementById('kpi').replaceChildren(
    el('h3', {}, t('dash.period', { from, to })),
    el('div', { class: 'kpis', id: 'kpi-period' }, KPIS.map((f) => card(f, tot[f]))),
    el('h3', {}, t('dash.today', { d: today })),
    el('div', { class: 'kpis', id: 'kpi-today' }, ['accepted', 'completed', 'returned', 'refused', 'due_today', 'overdue']
      .map((f) => card(f, day.totals[f]))),
    el('h3', {}, t('dash.sla')),
    barChart(sla, [{ name: t('dash.applications') }], t('dash.sla'), { height: 180 }));
}

async function coverage() {
  const c = await api('GET', '/api/v1/reports/coverage');
  document.getElementById('coverage-summary').textContent = t('dash.coverage_summary', {
    share: (c.share * 100).toFixed(1), covered: c.covered_cells, cells: c.city_cells,
    km: c.radius_m / 1000, cell: c.cell_m, n: c.branches.filter((b) => b.is_open).length,
  });
  document.getElementById('coverage').replaceChildren(coverageMap(c, t('dash.coverage'),
    (d) => (currentLang() === 'zh' ? d.name_zh : d.name_en)));
}

let last = null;
async function load() {
  const from = fromInput.value, to = toInput.value;
  msg.className = '';
  msg.textContent = t('dash.loading');
  try {
    await overview(from, to, last.today);
    const parts = await Promise.all([...SECTIONS.map((s) => section(s, from, to)), finesSection(from, to)]);
    document.getElementById('sections').replaceChildren(...parts);
    await coverage();
    msg.textContent = '';
    document.body.dataset.ready = 'true';
  } catch (e) {
    msg.className = 'error';
    msg.textContent = errorText(e);
  }
}

await initI18n(() => load());
try {
  await requireSession(['manager', 'supervisor', 'admin']);
  // Today by the server's clock; the default period is the last seven days.
  last = await api('GET', '/api/v1/reports/summary?group_by=type');
  const d = new Date(`${last.today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 6);
  fromInput.value = d.toISOString().slice(0, 10);
  toInput.value = last.today;
  document.getElementById('period').addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  await load();
} catch (e) {
  if (e.message !== 'wrong role') {
    msg.className = 'error';
    msg.textContent = errorText(e);
  }
}
