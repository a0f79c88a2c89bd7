// reception.js — hand-over scanning (logistics): the morning van's bags at the centre, or the
// 17:00 batch at the mail centre. Pick the bag (or batch), open it, scan each file or envelope
// in the box (it keeps the focus, so a barcode scanner types straight in); the counts move with
// every scan, an extra or duplicate scan beeps and shows in colour; closing lists what is
// missing, extra or scanned twice.
import './custody_header.js';
import { initI18n, api, requireSession, t, el, localTime, errorText } from './common.js';

// A discrepancy's detail in words: "wrong_bag: <seal>" or "not_expected".
function detailText(d) {
  if (!d) return '';
  const m = /^wrong_bag: (.+)$/.exec(d);
  return m ? t('custody.detail.wrong_bag', { s: m[1] }) : d === 'not_expected' ? t('custody.detail.not_expected') : d;
}

const kindSel = document.getElementById('kind-select');
const whichSel = document.getElementById('handover-select');
const input = document.getElementById('scan-input');
const log = document.getElementById('scan-log');
const msg = document.getElementById('reception-msg');
let current = null; // {kind, ref, data}
const counts = { extra: 0, duplicate: 0 };
const queue = [];
let busy = false;

function say(text, ok) {
  msg.className = ok ? 'ok' : 'error';
  msg.textContent = text;
}

const path = (kind, ref) => (kind === 'bag' ? `/api/v1/bags/${encodeURIComponent(ref)}`
  : `/api/v1/dispatch/batches/${encodeURIComponent(ref)}`);
const refOf = (kind, h) => (kind === 'bag' ? h.seal : h.batch);
const stateOf = (kind, h) => (kind === 'bag' ? h.reception : h.handover);

// A short tone: high for a good scan, low and longer for one to look at.
let audio = null;
function beep(good) {
  try {
    audio = audio || new AudioContext();
    const o = audio.createOscillator();
    const g = audio.createGain();
    o.frequency.value = good ? 1200 : 300;
    g.gain.value = 0.15;
    o.connect(g).connect(audio.destination);
    o.start();
    o.stop(audio.currentTime + (good ? 0.08 : 0.4));
  } catch {
    /* no audio: the colour says it */
  }
}

async function loadList() {
  const kind = kindSel.value;
  const items = [];
  if (kind === 'bag') {
    for (const st of ['receiving', 'in_transit']) {
      const r = await api('GET', `/api/v1/bags?state=${st}&limit=200`);
      items.push(...r.items);
    }
  } else {
    const r = await api('GET', '/api/v1/dispatch');
    items.push(...r.batches.filter((b) => b.handover !== 'received'));
  }
  const want = new URLSearchParams(location.search).get(kind === 'bag' ? 'seal' : 'batch');
  whichSel.replaceChildren(...items.map((h) => el('option', { value: refOf(kind, h) },
    `${refOf(kind, h)}${h.branch ? ` · ${h.branch.name_zh}` : ''} · ${h.item_count} · ${t(`custody.${kind === 'bag' ? 'reception' : 'handover'}.${stateOf(kind, h)}`)}`)));
  if (want && items.some((h) => refOf(kind, h) === want)) whichSel.value = want;
  if (!items.length) whichSel.append(el('option', { value: '' }, t('reception.nothing')));
}

function showCounts(h) {
  document.getElementById('received-count').textContent = h.received_count;
  document.getElementById('expected-count').textContent = h.item_count;
  document.getElementById('extra-count').textContent = counts.extra;
  document.getElementById('duplicate-count').textContent = counts.duplicate;
}

async function showItems() {
  const h = await api('GET', path(current.kind, current.ref));
  current.data = h;
  showCounts(h);
  const rows = h.items.map((it) => el('tr', { class: it.received ? 'ok' : '', dataset: { number: it.number } },
    el('td', {}, it.display_number), el('td', {}, it.waybill || ''),
    el('td', {}, it.received ? t('reception.in') : t('reception.waiting'))));
  document.getElementById('items').replaceChildren(el('table', { id: 'items-table' },
    el('thead', {}, el('tr', {}, el('th', {}, t('col.number')), el('th', {}, t('col.waybill')),
      el('th', {}, t('custody.state')))), el('tbody', {}, rows)));
}

function enableScanning(on) {
  input.disabled = !on;
  document.getElementById('scan-submit').disabled = !on;
  document.getElementById('close').disabled = !on;
  if (on) input.focus();
}

document.getElementById('open').addEventListener('click', async () => {
  const kind = kindSel.value;
  const ref = whichSel.value;
  if (!ref) return;
  try {
    current = { kind, ref };
    counts.extra = 0;
    counts.duplicate = 0;
    log.replaceChildren();
    document.getElementById('found').replaceChildren();
    if (kind === 'bag') await api('POST', `${path(kind, ref)}/reception`);
    await showItems();
    say(t('reception.opened', { s: ref }), true);
    enableScanning(true);
  } catch (e) {
    say(errorText(e), false);
  }
});

async function scanOne(code) {
  try {
    const r = await api('POST', `${path(current.kind, current.ref)}/scans`, { number: code });
    const h = r.bag || r.batch;
    if (r.outcome === 'extra') counts.extra++;
    if (r.outcome === 'duplicate') counts.duplicate++;
    showCounts(h);
    const good = r.outcome === 'expected';
    beep(good);
    const text = `${r.display_number} — ${t(`reception.outcome.${r.outcome}`)}${r.in ? ` (${r.in})` : ''}`;
    log.prepend(el('li', { class: good ? 'ok' : 'warn', dataset: { outcome: r.outcome } }, text));
    const row = document.querySelector(`#items-table tr[data-number="${r.number}"]`);
    if (row) {
      row.className = 'ok';
      row.lastChild.textContent = t('reception.in');
    }
  } catch (e) {
    beep(false);
    log.prepend(el('li', { class: 'error', dataset: { outcome: 'error' } }, `${code} — ${errorText(e)}`));
  }
}

async function drain() {
  if (busy) return;
  busy = true;
  while (queue.length) await scanOne(queue.shift());
  busy = false;
}

document.getElementById('scan-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const code = input.value.trim();
  input.value = '';
  input.focus();
  if (!code || !current) return;
  queue.push(code);
  drain();
});
// The box keeps the focus: a click elsewhere on the page gives it back.
input.addEventListener('blur', () => {
  setTimeout(() => {
    const a = document.activeElement;
    if (!input.disabled && (!a || a === document.body)) input.focus();
  }, 0);
});

function discrepancyList(items) {
  if (!items.length) return el('p', { class: 'ok', id: 'no-discrepancies' }, t('reception.all_there'));
  return el('ul', { id: 'discrepancy-list' }, items.map((d) => el('li', {
    class: d.kind === 'missing' ? 'error' : 'warn', dataset: { kind: d.kind, number: d.number },
  }, `${t(`custody.kind.${d.kind}`)}: ${d.display_number}${d.detail ? ` (${detailText(d.detail)})` : ''}`)));
}

document.getElementById('close').addEventListener('click', async () => {
  if (!current) return;
  while (busy) await new Promise((r) => setTimeout(r, 50));
  const url = current.kind === 'bag' ? `${path(current.kind, current.ref)}/reception/close`
    : `${path(current.kind, current.ref)}/handover/close`;
  try {
    const r = await api('POST', url);
    enableScanning(false);
    document.getElementById('found').replaceChildren(discrepancyList(r.discrepancies));
    say(t('reception.closed', { s: current.ref, n: r.discrepancies.length }), r.discrepancies.length === 0);
    await showItems();
    await loadList();
  } catch (e) {
    say(errorText(e), false);
  }
});

kindSel.addEventListener('change', () => loadList().catch((e) => say(errorText(e), false)));

await initI18n(() => loadList());
try {
  await requireSession(['logistics']);
  const q = new URLSearchParams(location.search);
  if (q.get('batch')) kindSel.value = 'batch';
  await loadList();
} catch (e) {
  if (e.message !== 'wrong role') say(errorText(e), false);
}
