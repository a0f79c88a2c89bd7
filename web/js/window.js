// window.js — a service window (hall staff): take a window, call the next ticket by the
// window's category priorities, recall, skip after the allowed recalls, start and finish the
// service, open the counter's intake form for the caller; put a skipped ticket back in line;
// the day's figures (waiting and service times per category and window, tickets per hour).
import { initI18n, requireSession, api, t, pick, el, errorText, currentLang } from './common.js';

const WINDOW_KEY = 'jy.window';
const select = document.getElementById('window-select');
const msg = document.getElementById('window-msg');
let session = null;
let windows = [];
let skipAfter = 2;
let categories = [];
let figures = null;

const mine = () => windows.find((w) => String(w.number) === select.value);
const catName = (code) => pick(categories.find((c) => c.code === code)) || code;

function say(text, ok) {
  msg.textContent = text;
  msg.className = ok ? 'ok' : 'error';
}

function render() {
  const keep = select.value || localStorage.getItem(WINDOW_KEY) || '';
  select.replaceChildren(...windows.map((w) => el('option', { value: String(w.number) },
    `${pick(w)}${w.staff ? ` — ${w.staff.display_name || w.staff.username}` : ` — ${t('window.free')}`}`)));
  if (keep && windows.some((w) => String(w.number) === keep)) select.value = keep;
  const w = mine();
  const at = w && w.mine;
  document.getElementById('window-info').textContent = w
    ? t('window.serves', { list: w.categories.map(catName).join(' › ') }) : '';
  document.getElementById('window-open').disabled = !w || at;
  document.getElementById('window-close').disabled = !at;
  const c = at ? w.current : null;
  document.getElementById('current-number').textContent = c ? c.number : '—';
  document.getElementById('current-info').textContent = c
    ? `${pick(c, 'category_name')} · ${t(`ticket.status_${c.status}`, { w: w.number })} · ${t('window.recalls', { n: c.recalls })}` : '';
  document.getElementById('act-call').disabled = !at || !!c;
  document.getElementById('act-recall').disabled = !c || c.status !== 'called';
  document.getElementById('act-skip').disabled = !c || c.status !== 'called' || c.recalls < skipAfter;
  document.getElementById('act-skip').title = t('window.skip_hint', { n: skipAfter });
  document.getElementById('act-start').disabled = !c || c.status !== 'called';
  document.getElementById('act-finish').disabled = !c || c.status !== 'serving';
  const intake = document.getElementById('act-intake');
  intake.hidden = !c;
  if (c) intake.href = `/counter.html?ticket=${encodeURIComponent(c.number)}`;
  renderFigures();
}

function secs(v) {
  if (v === null || v === undefined) return '—';
  return v >= 60 ? `${Math.floor(v / 60)}′${String(v % 60).padStart(2, '0')}″` : `${v}″`;
}

function timesTable(table, rows, first) {
  table.replaceChildren(
    el('tr', {}, el('th', {}, first), el('th', {}, t('window.f_tickets')), el('th', {}, t('window.f_served')),
      el('th', {}, t('window.f_wait')), el('th', {}, t('window.f_service'))),
    ...rows.map((r) => el('tr', {}, el('td', {}, r.label), el('td', {}, r.tickets), el('td', {}, r.served),
      el('td', {}, `${secs(r.wait_p50_seconds)} / ${secs(r.wait_p90_seconds)}`),
      el('td', {}, `${secs(r.service_p50_seconds)} / ${secs(r.service_p90_seconds)}`))));
}

function renderFigures() {
  if (!figures) return;
  const f = figures;
  document.getElementById('figures-summary').textContent = t('window.f_summary', { d: f.date, n: f.tickets, w: f.waiting });
  timesTable(document.getElementById('figures-categories'),
    f.categories.map((c) => ({ ...c, label: catName(c.category) })), t('window.f_category'));
  timesTable(document.getElementById('figures-windows'),
    f.windows.map((w) => ({ ...w, label: pick(windows.find((x) => x.number === w.window)) || String(w.window) })),
    t('window.f_window'));
  const max = Math.max(1, ...f.tickets_per_hour);
  document.getElementById('figures-hours').replaceChildren(...f.tickets_per_hour.map((n, h) =>
    el('span', { style: `height:${(100 * n) / max}%`, title: `${h}:00 ${n}` })));
  document.getElementById('figures-hours-text').textContent = f.tickets_per_hour
    .map((n, h) => (n ? `${h}:00 ${n}` : null)).filter(Boolean).join(currentLang() === 'zh' ? '，' : ', ');
}

async function refresh() {
  const r = await api('GET', '/api/v1/hall/windows');
  windows = r.items;
  skipAfter = r.skip_after_recalls;
  try {
    figures = await api('GET', '/api/v1/hall/figures');
  } catch {
    figures = null;
  }
  render();
}

async function run(fn, okKey) {
  try {
    const r = await fn();
    if (okKey) say(t(okKey, { n: r && r.number ? r.number : '' }), true);
    await refresh();
  } catch (e) {
    say(errorText(e), false);
    await refresh().catch(() => {});
  }
}

const w = () => select.value;
const cur = () => (mine() && mine().current ? mine().current.number : '');
select.addEventListener('change', () => { localStorage.setItem(WINDOW_KEY, select.value); render(); });
document.getElementById('window-open').addEventListener('click', () => {
  localStorage.setItem(WINDOW_KEY, select.value);
  run(() => api('POST', `/api/v1/hall/windows/${w()}/open`), 'window.opened');
});
document.getElementById('window-close').addEventListener('click', () =>
  run(() => api('POST', `/api/v1/hall/windows/${w()}/close`), 'window.closed'));
document.getElementById('act-call').addEventListener('click', () => run(async () => {
  const r = await api('POST', `/api/v1/hall/windows/${w()}/call`);
  if (!r) throw new Error(t('window.none_waiting'));
  return r;
}, 'window.called'));
for (const a of ['recall', 'skip', 'start', 'finish'])
  document.getElementById(`act-${a}`).addEventListener('click', () =>
    run(() => api('POST', `/api/v1/hall/windows/${w()}/${a}`, { ticket: cur() }), `window.done_${a}`));
document.getElementById('requeue').addEventListener('click', () => {
  const n = document.getElementById('requeue-number').value.trim().toUpperCase();
  run(() => api('POST', `/api/v1/hall/tickets/${encodeURIComponent(n)}/requeue`), 'window.requeued');
});

await initI18n(render);
session = await requireSession(['clerk', 'supervisor', 'admin', 'manager']);
categories = (await api('GET', '/api/v1/hall/categories')).items;
await refresh();
setInterval(() => refresh().catch(() => {}), 15000);
void session;
