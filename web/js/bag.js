// bag.js — the branch's bag (clerk): what the next bag would take before the cut-off, closing it
// (封袋) with its seal number and the manifest (交接清单) to print, and the branch's bags with
// how their reception at the centre went.
import './custody_header.js';
import { initI18n, api, requireSession, t, el, localTime, errorText } from './common.js';

const msg = document.getElementById('bag-msg');

function say(text, ok) {
  msg.className = ok ? 'ok' : 'error';
  msg.textContent = text;
}

export function bagState(b) {
  return t(`custody.reception.${b.reception}`);
}

function bagsTable(items) {
  if (!items.length) return el('p', { class: 'muted' }, t('branch.empty'));
  const head = el('tr', {}, el('th', {}, t('custody.seal')), el('th', {}, t('custody.closed_at')),
    el('th', {}, t('custody.items')), el('th', {}, t('custody.state')),
    el('th', {}, t('custody.received')), el('th', {}, t('custody.open_discrepancies')),
    el('th', {}, t('custody.manifest')));
  const rows = items.map((b) => el('tr', { dataset: { seal: b.seal } },
    el('td', {}, el('strong', {}, b.seal)), el('td', {}, localTime(b.closed_at)),
    el('td', {}, String(b.item_count)), el('td', {}, bagState(b)),
    el('td', {}, `${b.received_count} / ${b.item_count}`),
    el('td', { class: b.open_discrepancies ? 'error' : '' }, String(b.open_discrepancies)),
    el('td', {}, el('a', { href: `/api/v1/bags/${encodeURIComponent(b.seal)}/manifest.pdf`,
      target: '_blank', rel: 'noopener', class: 'print-manifest' }, t('custody.print')))));
  return el('table', { id: 'bag-table' }, el('thead', {}, head), el('tbody', {}, rows));
}

async function load() {
  const n = await api('GET', '/api/v1/bags/next');
  document.getElementById('next').replaceChildren(...[
    el('p', {}, t('bag.next_text', { n: n.pending, c: n.cutoff, u: localTime(n.until) })),
    n.after_cutoff ? el('p', { class: 'muted' }, t('bag.after_cutoff')) : null].filter(Boolean));
  document.getElementById('close-bag').disabled = n.pending === 0;
  const list = await api('GET', '/api/v1/bags?limit=30');
  document.getElementById('bags').replaceChildren(bagsTable(list.items));
}

document.getElementById('close-bag').addEventListener('click', async () => {
  try {
    const b = await api('POST', '/api/v1/bags');
    say(t('bag.closed', { s: b.seal, n: b.item_count }), true);
    window.open(`/api/v1/bags/${encodeURIComponent(b.seal)}/manifest.pdf`, '_blank', 'noopener');
  } catch (e) {
    say(errorText(e), false);
  }
  await load().catch((e) => say(errorText(e), false));
});

await initI18n(() => load());
try {
  await requireSession(['clerk']);
  await load();
} catch (e) {
  if (e.message !== 'wrong role') say(errorText(e), false);
}
