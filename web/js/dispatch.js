// dispatch.js — the 17:00 dispatch batch (dispatch operator): how many sealed envelopes the next
// batch takes before the centre's cut-off, closing it with its manifest to print, the recent
// batches and their hand-over at the mail centre, and the EMS item numbers left (a warning when
// the centre's ranges run low).
import './custody_header.js';
import { initI18n, api, requireSession, t, el, localTime, errorText } from './common.js';

const msg = document.getElementById('dispatch-msg');
let canClose = false;

function say(text, ok) {
  msg.className = ok ? 'ok' : 'error';
  msg.textContent = text;
}

function batchesTable(items) {
  if (!items.length) return el('p', { class: 'muted' }, t('branch.empty'));
  const head = el('tr', {}, el('th', {}, t('custody.batch')), el('th', {}, t('custody.closed_at')),
    el('th', {}, t('custody.items')), el('th', {}, t('custody.state')),
    el('th', {}, t('custody.received')), el('th', {}, t('custody.open_discrepancies')),
    el('th', {}, t('custody.manifest')));
  const rows = items.map((b) => el('tr', { dataset: { batch: b.batch } },
    el('td', {}, el('strong', {}, b.batch)), el('td', {}, localTime(b.closed_at)),
    el('td', {}, String(b.item_count)), el('td', {}, t(`custody.handover.${b.handover}`)),
    el('td', {}, `${b.received_count} / ${b.item_count}`),
    el('td', { class: b.open_discrepancies ? 'error' : '' }, String(b.open_discrepancies)),
    el('td', {}, el('a', { href: `/api/v1/dispatch/batches/${encodeURIComponent(b.batch)}/manifest.pdf`,
      target: '_blank', rel: 'noopener', class: 'print-manifest' }, t('custody.print')))));
  return el('table', { id: 'batch-table' }, el('thead', {}, head), el('tbody', {}, rows));
}

async function load() {
  const d = await api('GET', '/api/v1/dispatch');
  document.getElementById('s10-left').textContent = String(d.s10.left);
  const warn = document.getElementById('s10-warning');
  warn.hidden = !d.s10.low;
  warn.textContent = t('dispatch.s10_low', { n: d.s10.threshold });
  document.getElementById('s10-card').classList.toggle('low', d.s10.low);
  document.getElementById('next').replaceChildren(...[
    el('p', {}, t('dispatch.next_text', { n: d.next.pending, c: d.next.cutoff, u: localTime(d.next.until) })),
    d.next.after_cutoff ? el('p', { class: 'muted' }, t('dispatch.after_cutoff')) : null].filter(Boolean));
  document.getElementById('close-batch').disabled = !canClose || d.next.pending === 0;
  document.getElementById('batches').replaceChildren(batchesTable(d.batches));
}

document.getElementById('close-batch').addEventListener('click', async () => {
  try {
    const b = await api('POST', '/api/v1/dispatch/batches');
    say(t('dispatch.closed', { s: b.batch, n: b.item_count }), true);
    window.open(`/api/v1/dispatch/batches/${encodeURIComponent(b.batch)}/manifest.pdf`, '_blank', 'noopener');
  } catch (e) {
    say(errorText(e), false);
  }
  await load().catch((e) => say(errorText(e), false));
});

await initI18n(() => load());
try {
  const s = await requireSession(['operator', 'logistics', 'supervisor', 'manager', 'admin']);
  canClose = s.user.role === 'operator' && (s.user.stations || []).includes('dispatch');
  await load();
} catch (e) {
  if (e.message !== 'wrong role') say(errorText(e), false);
}
