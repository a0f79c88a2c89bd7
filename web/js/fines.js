// fines.js — fines at the counter (clerk): look up a penalty decision by its number, a plate and
// its type, or a licence number; each open decision with the fine, the days past its deadline,
// the late-payment surcharge of today and the total; take the payment (cash, bank card, QR) with
// an Idempotency-Key so that a retry never pays twice; the receipt to print.
import { initI18n, api, requireSession, t, el, money, errorText } from './common.js';
import { PLATE_TYPES } from './rules.js';

const msg = document.getElementById('fines-msg');
const payMsg = document.getElementById('pay-msg');
let selected = null; // the decision being paid
let payKey = null; // the Idempotency-Key of the payment being taken
let shown = []; // the decisions listed

function say(node, text, ok = true) {
  node.className = ok ? 'ok' : 'error';
  node.textContent = text;
}

function fillPlateTypes() {
  const sel = document.getElementById('plate-type');
  const keep = sel.value || '02';
  const en = document.documentElement.lang === 'en';
  sel.replaceChildren(...PLATE_TYPES.map(([code, zh, e]) => el('option', { value: code }, `${code} ${en ? e : zh}`)));
  sel.value = keep;
}

function table(items) {
  if (!items.length) return el('p', { class: 'muted', id: 'no-fines' }, t('fines.none_open'));
  const head = el('tr', {}, ...['fines.decision_number', 'field.plate', 'fines.violation', 'fines.fine',
    'fines.deadline', 'fines.days_overdue', 'fines.surcharge', 'fines.total', 'col.action']
    .map((k) => el('th', {}, t(k))));
  const rows = items.map((d) => el('tr', { dataset: { number: d.decision_number } },
    el('td', { class: 'mono' }, d.decision_number), el('td', {}, d.plate),
    el('td', {}, d.description, el('div', { class: 'muted' }, t('fines.points', { p: d.points }))),
    el('td', {}, money(d.fine_fen)), el('td', {}, d.payment_deadline),
    el('td', {}, String(d.days_overdue)), el('td', { class: 'surcharge' }, money(d.surcharge_fen)),
    el('td', { class: 'total' }, el('strong', {}, money(d.total_fen))),
    el('td', {}, d.open
      ? el('button', { type: 'button', class: 'primary', onclick: () => select(d) }, t('fines.collect'))
      : el('span', { class: 'muted' }, t('fines.paid')))));
  return el('table', { id: 'fines-table' }, el('thead', {}, head), el('tbody', {}, rows));
}

function show(items) {
  shown = items;
  document.getElementById('results').replaceChildren(table(items));
  say(msg, items.length ? t('fines.found', { n: items.length }) : '');
}

function select(d) {
  selected = d;
  payKey = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  document.getElementById('pay-card').hidden = false;
  document.getElementById('pay-summary').replaceChildren(
    el('p', {}, el('span', { class: 'mono' }, d.decision_number), ` · ${d.plate}`),
    el('p', {}, t('fines.fine'), ' ', money(d.fine_fen), ' + ', t('fines.surcharge'), ' ',
      money(d.surcharge_fen), ` (${t('fines.days_late', { n: d.days_overdue })})`),
    el('p', { class: 'amount' }, t('fines.total'), ' ', el('strong', { id: 'pay-total' }, money(d.total_fen))));
  payMsg.textContent = '';
  document.getElementById('pay').disabled = false;
  document.getElementById('reference').value = '';
}

async function find(path) {
  try {
    const r = await api('GET', path);
    show(r.items ? r.items : [r]);
  } catch (e) {
    show([]);
    say(msg, errorText(e), false);
  }
}

document.getElementById('by-number').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const n = document.getElementById('decision-number').value.trim();
  if (n) find(`/api/v1/decisions/${encodeURIComponent(n)}`);
});
document.getElementById('by-plate').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const p = document.getElementById('plate').value.trim();
  const ty = document.getElementById('plate-type').value;
  if (p) find(`/api/v1/decisions?plate=${encodeURIComponent(p)}&plate_type=${encodeURIComponent(ty)}`);
});
document.getElementById('by-licence').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const n = document.getElementById('licence-number').value.trim();
  if (n) find(`/api/v1/decisions?licence_number=${encodeURIComponent(n)}`);
});

document.getElementById('pay-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (!selected) return;
  const method = document.querySelector('input[name="method"]:checked').value;
  const reference = document.getElementById('reference').value.trim();
  const body = { method, amount_fen: selected.total_fen };
  if (reference) body.reference = reference;
  try {
    const p = await api('POST', `/api/v1/decisions/${encodeURIComponent(selected.decision_number)}/payments`,
      body, { 'Idempotency-Key': payKey });
    document.getElementById('pay').disabled = true;
    say(payMsg, t('fines.paid_ok', { n: p.decision_number, a: money(p.amount_fen) }));
    payMsg.append(' ', el('a', { href: p.receipt_url, target: '_blank', id: 'receipt-link' }, t('fines.receipt')));
    show(shown.map((d) => (d.decision_number === p.decision_number ? { ...d, open: false } : d)));
  } catch (e) {
    say(payMsg, errorText(e), false);
  }
});

await initI18n(() => {
  fillPlateTypes();
  show(shown);
});
try {
  await requireSession(['clerk']);
  fillPlateTypes();
} catch (e) {
  say(msg, errorText(e), false);
}
