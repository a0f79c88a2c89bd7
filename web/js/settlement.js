// settlement.js — the day's fine settlement (manager, police): every payment of the day per
// branch with the totals, the settlement file to download (its last line is the SHA-256 of the
// rest), the police's reversal of a payment made today with a reason, and the reconciliation
// against the police's confirmation file (matched, missing, unexpected).
import { initI18n, api, requireSession, t, el, money, localTime, errorText } from './common.js';

const msg = document.getElementById('settle-msg');
const dayInput = document.getElementById('day');
let user = null;
let data = null;

function say(text, ok = true) {
  msg.className = ok ? 'ok' : 'error';
  msg.textContent = text;
}

function tableOf(heads, rows, id) {
  return el('table', { id }, el('thead', {}, el('tr', {}, ...heads.map((k) => el('th', {}, t(k))))),
    el('tbody', {}, rows));
}

function render() {
  if (!data) return;
  const s = data;
  document.getElementById('csv-link').href = `/api/v1/fine-settlements/${s.date}/settlement.csv`;
  const branchRows = s.branches.map((b) => el('tr', {}, el('td', {}, b.code), el('td', {}, b.name_zh),
    el('td', {}, String(b.count)), el('td', {}, money(b.fine_fen)), el('td', {}, money(b.surcharge_fen)),
    el('td', {}, money(b.amount_fen))));
  branchRows.push(el('tr', { class: 'sum' }, el('td', {}, el('strong', {}, t('settle.all'))), el('td', {}),
    el('td', {}, String(s.count)), el('td', {}, money(s.fine_fen)), el('td', {}, money(s.surcharge_fen)),
    el('td', { id: 'total-amount' }, el('strong', {}, money(s.amount_fen)))));
  document.getElementById('totals').replaceChildren(
    el('p', {}, t('settle.summary', { d: s.date, n: s.count, r: s.reversed })),
    tableOf(['settle.branch_code', 'settle.branch', 'settle.count', 'fines.fine', 'fines.surcharge', 'fines.total'],
      branchRows, 'branch-totals'));
  const rows = s.payments.map((p) => {
    const reason = el('input', { autocomplete: 'off', 'aria-label': t('settle.reason') });
    const canReverse = user.role === 'supervisor' && !p.reversal && p.paid_date === s.today;
    return el('tr', { class: p.reversal ? 'reversed' : null, dataset: { id: String(p.id) } },
      el('td', {}, localTime(p.paid_at)), el('td', {}, p.branch.code),
      el('td', { class: 'mono' }, p.decision_number), el('td', {}, p.plate),
      el('td', {}, t(`fines.method_${p.method}`)), el('td', {}, p.clerk.display_name),
      el('td', {}, money(p.amount_fen)),
      el('td', {}, p.reversal ? `${t('settle.reversed')} — ${p.reversal.reason}` : '',
        el('a', { href: p.receipt_url, target: '_blank' }, ` ${t('fines.receipt')}`),
        canReverse ? el('span', {}, ' ', reason, el('button', {
          type: 'button', class: 'danger',
          onclick: async () => {
            if (!reason.value.trim()) return say(t('settle.reason_needed'), false);
            try {
              await api('POST', `/api/v1/fine-payments/${p.id}/reverse`, { reason: reason.value.trim() });
              say(t('settle.reversed_ok', { n: p.decision_number }));
              await load();
            } catch (e) {
              say(errorText(e), false);
            }
          },
        }, t('settle.reverse'))) : null));
  });
  document.getElementById('payments').replaceChildren(s.payments.length
    ? tableOf(['settle.time', 'settle.branch_code', 'fines.decision_number', 'field.plate', 'fines.method',
      'settle.clerk', 'fines.total', 'col.action'], rows, 'payments-table')
    : el('p', { class: 'muted' }, t('settle.none')));
}

async function load() {
  try {
    data = await api('GET', `/api/v1/fine-settlements/${dayInput.value || 'today'}`);
    dayInput.value = data.date;
    render();
  } catch (e) {
    say(errorText(e), false);
  }
}

function items(list, withReason) {
  if (!list.length) return el('p', { class: 'muted' }, '—');
  return el('ul', {}, list.map((x) => el('li', {}, el('span', { class: 'mono' }, x.decision_number || '—'), ' ',
    x.amount_fen !== undefined ? money(x.amount_fen) : '', x.line ? ` (${t('settle.line', { n: x.line })})` : '',
    withReason && x.reason ? ` — ${t(`settle.why_${x.reason}`)}` : '')));
}

document.getElementById('recon-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = document.getElementById('confirmation').files[0];
  if (!f) return;
  try {
    const r = await fetch(`/api/v1/fine-settlements/${dayInput.value}/reconciliation`, {
      method: 'POST', credentials: 'same-origin', body: await f.text(),
      headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': sessionStorage.getItem('jy.csrf') || '' },
    });
    const j = await r.json();
    if (!r.ok) throw new Error(j.error ? j.error.message : `HTTP ${r.status}`);
    document.getElementById('recon').replaceChildren(
      el('p', { class: j.balanced ? 'ok' : 'error', id: 'recon-verdict' }, t(j.balanced ? 'settle.balanced' : 'settle.unbalanced')),
      el('h3', {}, t('settle.matched', { n: j.matched.length })), items(j.matched, false),
      el('h3', {}, t('settle.missing', { n: j.missing.length })), items(j.missing, false),
      el('h3', {}, t('settle.unexpected', { n: j.unexpected.length })), items(j.unexpected, true),
      j.bad_rows.length ? el('h3', {}, t('settle.bad_rows', { n: j.bad_rows.length })) : null,
      j.bad_rows.length ? items(j.bad_rows, true) : null);
  } catch (e) {
    document.getElementById('recon').replaceChildren(el('p', { class: 'error' }, String(e.message)));
  }
});

document.getElementById('day-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  load();
});

await initI18n(() => render());
try {
  const s = await requireSession(['supervisor', 'manager', 'admin']);
  user = s ? s.user : { role: '' };
  await load();
} catch (e) {
  say(errorText(e), false);
}
