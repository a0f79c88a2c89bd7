// police.js — the police desk (supervisor): the approval queue; approve (claim, then complete at
// approval), return with a reason, refuse with a reason; search any application; its history.
import { initI18n, api, requireSession, t, el, errorText, translate } from './common.js';
import { compactNumber, detailsEl, historyEl, queueTable, reasonPicker } from './appview.js';
import { violationBody, violationFields } from './violation.js';

const msg = document.getElementById('police-msg');
const currentBox = document.getElementById('current');
let catalog = null;
let shown = null; // the application on the right
let user = null;

function say(text, ok = true) {
  msg.className = ok ? 'ok' : 'error';
  msg.textContent = text;
}

async function loadQueue() {
  const r = await api('GET', '/api/v1/stations/approval/queue?limit=50');
  document.getElementById('queue').replaceChildren(queueTable(r.items, (a) => open(a.number)));
}

async function open(number) {
  try {
    shown = await api('GET', `/api/v1/applications/${encodeURIComponent(number)}`);
    render();
  } catch (e) {
    say(errorText(e), false);
  }
}

function render() {
  if (!shown) return;
  const a = shown;
  const nodes = [detailsEl(a, catalog)];
  const atApproval = a.state === 'at_station' && a.station === 'approval';
  const mine = a.lease && a.lease.user === user.username;
  if (atApproval && a.business_type === 'W01') nodes.push(violationFields());
  if (a.violation) {
    nodes.push(el('p', { id: 'w01-recorded' },
      t('violation.recorded', { d: a.violation.decision_number, p: a.violation.points })));
  }
  if (atApproval) {
    nodes.push(el('p', { class: 'row' },
      el('button', { type: 'button', class: 'primary', id: 'approve', onclick: approve }, t('police.approve'))));
    if (mine) {
      const ret = reasonPicker('return', catalog.return_reasons);
      nodes.push(el('h3', {}, t('station.return')), ret.node, el('p', {},
        el('button', { type: 'button', id: 'return', onclick: () => withReason('return', ret.get()) }, t('station.return_submit'))));
    }
  }
  if (a.state === 'at_station' || a.state === 'correction') {
    const ref = reasonPicker('refuse', catalog.refusal_reasons);
    nodes.push(el('h3', {}, t('police.refuse')), ref.node, el('p', {},
      el('button', { type: 'button', class: 'danger', id: 'refuse', onclick: () => withReason('refuse', ref.get()) }, t('police.refuse_submit'))));
  }
  currentBox.replaceChildren(...nodes);
  historyEl(a.number).then((h) => document.getElementById('history').replaceChildren(h))
    .catch((e) => document.getElementById('history').replaceChildren(el('p', { class: 'error' }, errorText(e))));
}

// Approve: the lease on this application first (claim by number), then complete at approval.
async function approve() {
  try {
    if (!(shown.lease && shown.lease.user === user.username)) {
      // This application, whatever waits ahead of it in the queue.
      shown = await api('POST', '/api/v1/stations/approval/claim', { number: compactNumber(shown.number) });
    }
    const body = { station: 'approval' };
    if (shown.business_type === 'W01') Object.assign(body, violationBody());
    const a = await api('POST', `/api/v1/applications/${shown.number}/complete`, body);
    say(t('police.approved', { n: a.display_number, s: a.station ? t('station.' + a.station) : t('state.' + a.state) }));
    shown = a;
    render();
    await loadQueue();
  } catch (e) {
    say(errorText(e), false);
  }
}

async function withReason(kind, r) {
  if (!r.reason) return say(t('reason.choose'), false);
  try {
    const body = { reason: r.reason };
    if (kind === 'return') body.station = 'approval';
    if (r.note) body.note = r.note;
    const a = await api('POST', `/api/v1/applications/${shown.number}/${kind}`, body);
    say(t(kind === 'refuse' ? 'police.refused' : 'station.returned', { n: a.display_number }));
    shown = a;
    render();
    await loadQueue();
  } catch (e) {
    say(errorText(e), false);
  }
}

document.getElementById('claim-next').addEventListener('click', async () => {
  try {
    const a = await api('POST', '/api/v1/stations/approval/claim');
    if (!a) return say(t('station.nothing_waits'));
    shown = a;
    say(t('station.claimed', { n: a.display_number }));
    render();
    await loadQueue();
    document.getElementById('approve').focus();
  } catch (e) {
    say(errorText(e), false);
  }
});
document.getElementById('refresh').addEventListener('click', () => loadQueue().catch((e) => say(errorText(e), false)));

document.getElementById('search-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const raw = document.getElementById('search-input').value.trim();
  if (!raw) return;
  const q = /^[A-Za-z]{2}[-\s]?\d/.test(raw) ? compactNumber(raw) : raw;
  try {
    const r = await api('GET', `/api/v1/applications?limit=50&q=${encodeURIComponent(q)}`);
    document.getElementById('results').replaceChildren(r.items.length
      ? queueTable(r.items, (a) => open(a.number)) : el('p', { class: 'muted' }, t('police.no_results')));
    if (r.items.length === 1) open(r.items[0].number);
  } catch (e) {
    document.getElementById('results').replaceChildren(el('p', { class: 'error' }, errorText(e)));
  }
});

await initI18n(() => { translate(); render(); loadQueue().catch(() => {}); });
try {
  const s = await requireSession(['supervisor', 'manager', 'admin']);
  user = s.user;
  catalog = await api('GET', '/api/v1/catalog');
  await loadQueue();
} catch (e) {
  say(errorText(e), false);
}
