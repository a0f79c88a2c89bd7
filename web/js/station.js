// station.js — the station workbench (operator): the queue with due dates coloured, "claim
// next", the item held with its documents, complete and return; a scan box that completes each
// scanned number at this station: it claims that very application by its number (whatever waits
// ahead of it) and completes it, so a stack of envelopes scans through in any order. At dispatch, the
// envelope label of each item sealed here and today's outbound manifest, to print.
import {
  initI18n, api, requireSession, t, pick, el, errorText, ApiError, translate, stateText, localDate,
} from './common.js';
import { compactNumber, detailsEl, queueTable, reasonPicker } from './appview.js';
import { violationBody, violationFields } from './violation.js';

const select = document.getElementById('station-select');
const msg = document.getElementById('station-msg');
const currentBox = document.getElementById('current');
const scanInput = document.getElementById('scan-input');
const scanLog = document.getElementById('scan-log');
let catalog = null;
let held = null; // the application this operator holds at this station
let okCount = 0;
let errCount = 0;
const sealed = []; // applications sealed on this page, the latest first

const station = () => select.value;
const DISPATCH = 'dispatch';

const labelHref = (number) => `/api/v1/applications/${encodeURIComponent(number)}/label.pdf`;

function labelLink(a) {
  return el('a', { href: labelHref(a.number), target: '_blank', rel: 'noopener', class: 'print-label',
    dataset: { number: a.number } }, t('station.print_label'));
}

// The print card: shown at dispatch only.
function showPaper() {
  const card = document.getElementById('paper-card');
  card.hidden = station() !== DISPATCH;
  if (card.hidden) return;
  const today = localDate(new Date().toISOString());
  document.getElementById('print-manifest').href = `/api/v1/manifests/outbound.pdf?date=${today}`;
  document.getElementById('sealed-list').replaceChildren(...(sealed.length
    ? sealed.map((a) => el('li', { dataset: { number: a.number } }, `${a.display_number} · ${a.waybill || ''} `, labelLink(a)))
    : [el('li', { class: 'muted' }, t('station.sealed_none'))]));
}

function noteSealed(a) {
  if (a.state !== 'sealed') return;
  if (!sealed.some((x) => x.number === a.number)) sealed.unshift(a);
  showPaper();
}

function say(text, ok = true) {
  msg.className = ok ? 'ok' : 'error';
  msg.textContent = text;
}

async function loadQueue() {
  const r = await api('GET', `/api/v1/stations/${station()}/queue?limit=50`);
  document.getElementById('queue').replaceChildren(queueTable(r.items));
}

function showHeld() {
  if (!held) {
    currentBox.replaceChildren(el('p', { class: 'muted' }, t('station.none_held')));
    return;
  }
  const picker = reasonPicker('return', catalog.return_reasons);
  const last = catalog.business_types.find((x) => x.code === held.business_type);
  const isLast = last && last.route[last.route.length - 1] === station();
  const w01 = held.business_type === 'W01' && station() === 'approval';
  currentBox.replaceChildren(
    detailsEl(held, catalog),
    ...(w01 ? [violationFields()] : []),
    el('p', { class: 'row' },
      el('button', { type: 'button', class: 'primary', id: 'complete', onclick: () => act('complete') },
        isLast && last.delivery === 'ems' ? t('station.seal') : t('station.complete'))),
    el('h3', {}, t('station.return')),
    picker.node,
    el('p', {}, el('button', { type: 'button', id: 'return', onclick: () => act('return', picker.get()) }, t('station.return_submit'))));
}

async function act(kind, extra) {
  try {
    const body = { station: station() };
    if (kind === 'complete' && held.business_type === 'W01' && station() === 'approval') {
      Object.assign(body, violationBody());
    }
    if (kind === 'return') {
      if (!extra.reason) return say(t('reason.choose'), false);
      body.reason = extra.reason;
      if (extra.note) body.note = extra.note;
    }
    const a = await api('POST', `/api/v1/applications/${held.number}/${kind}`, body);
    say(kind === 'complete' ? doneText(a) : t('station.returned', { n: a.display_number }));
    if (a.state === 'sealed') msg.append(' ', labelLink(a));
    held = null;
    showHeld();
    noteSealed(a);
    await loadQueue();
  } catch (e) {
    say(errorText(e), false);
  }
}

function doneText(a) {
  if (a.state === 'sealed') return t('station.sealed', { n: a.display_number, w: a.waybill });
  if (a.state === 'at_station') return t('station.moved', { n: a.display_number, s: t('station.' + a.station) });
  return t('station.done', { n: a.display_number, s: t('state.' + a.state) });
}

document.getElementById('claim-next').addEventListener('click', async () => {
  try {
    const a = await api('POST', `/api/v1/stations/${station()}/claim`);
    if (!a) {
      say(t('station.nothing_waits'));
      return;
    }
    held = a;
    say(t('station.claimed', { n: a.display_number }));
    showHeld();
    await loadQueue();
    document.getElementById('complete').focus();
  } catch (e) {
    say(errorText(e), false);
  }
});
document.getElementById('refresh').addEventListener('click', () => loadQueue().catch((e) => say(errorText(e), false)));
select.addEventListener('change', () => {
  held = null;
  showHeld();
  showPaper();
  loadQueue().catch((e) => say(errorText(e), false));
});

// ---- the scan box: one number per Enter; the scans run one after the other ----

let chain = Promise.resolve();

function logScan(ok, text) {
  if (ok) okCount++; else errCount++;
  document.getElementById('scan-ok-count').textContent = okCount;
  document.getElementById('scan-err-count').textContent = errCount;
  scanLog.prepend(el('li', { class: ok ? 'ok' : 'error', dataset: { ok: ok ? '1' : '0' } }, text));
}

async function completeScanned(number) {
  const st = station();
  try {
    if (!held || compactNumber(held.number) !== number) {
      // The envelope in hand: claim that very application, whatever waits ahead of it.
      held = await api('POST', `/api/v1/stations/${st}/claim`, { number });
    }
    const done = await api('POST', `/api/v1/applications/${held.number}/complete`, { station: st });
    held = null;
    logScan(true, doneText(done));
    noteSealed(done);
  } catch (e) {
    logScan(false, `${number} — ${e instanceof ApiError ? errorText(e) : e.message}`);
  }
  showHeld();
}

document.getElementById('scan-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const number = compactNumber(scanInput.value);
  scanInput.value = '';
  if (!number) return;
  chain = chain.then(() => completeScanned(number)).then(() => loadQueue()).catch(() => {});
});

await initI18n(() => { translate(); showHeld(); showPaper(); loadQueue().catch(() => {}); });
try {
  const s = await requireSession(['operator', 'manager', 'admin']);
  catalog = await api('GET', '/api/v1/catalog');
  const mine = s.user.stations && s.user.stations.length ? s.user.stations : catalog.stations.map((x) => x.code);
  for (const code of mine) {
    const info = catalog.stations.find((x) => x.code === code);
    select.append(el('option', { value: code }, info ? pick(info) : code));
  }
  const want = new URLSearchParams(location.search).get('station');
  if (want && mine.includes(want)) select.value = want;
  showPaper();
  await loadQueue();
  scanInput.focus();
} catch (e) {
  say(errorText(e), false);
}
