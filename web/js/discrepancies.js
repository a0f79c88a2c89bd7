// discrepancies.js — what the hand-overs found wrong (police, managers; logistics reads): files
// or envelopes missing, extra or scanned twice, each open until resolved with a reason — found,
// re-sent, or lost (the applicant is asked for a replacement; a note says what was done).
import './custody_header.js';
import { initI18n, api, requireSession, t, el, localTime, errorText } from './common.js';

// A discrepancy's detail in words: "wrong_bag: <seal>" or "not_expected".
function detailText(d) {
  if (!d) return '';
  const m = /^wrong_bag: (.+)$/.exec(d);
  return m ? t('custody.detail.wrong_bag', { s: m[1] }) : d === 'not_expected' ? t('custody.detail.not_expected') : d;
}

const msg = document.getElementById('disc-msg');
const stateSel = document.getElementById('state-select');
let mayResolve = false;

function say(text, ok) {
  msg.className = ok ? 'ok' : 'error';
  msg.textContent = text;
}

function resolver(d) {
  const sel = el('select', { id: `res-${d.id}` }, ['found', 'resent', 'lost'].map((r) =>
    el('option', { value: r }, t(`custody.resolution.${r}`))));
  const note = el('input', { id: `note-${d.id}`, autocomplete: 'off', placeholder: t('discrepancies.note') });
  const btn = el('button', {
    type: 'button', class: 'primary',
    onclick: async () => {
      try {
        const body = { resolution: sel.value };
        if (note.value.trim()) body.note = note.value.trim();
        await api('POST', `/api/v1/discrepancies/${d.id}/resolve`, body);
        await load();
        say(t('discrepancies.resolved', { n: d.display_number }), true);
      } catch (e) {
        say(errorText(e), false);
      }
    },
  }, t('discrepancies.resolve'));
  return el('div', { class: 'row' }, el('label', { class: 'sr-only', for: sel.id }, t('discrepancies.resolution')), sel,
    el('label', { class: 'sr-only', for: note.id }, t('discrepancies.note')), note, btn);
}

async function load() {
  const r = await api('GET', `/api/v1/discrepancies?state=${stateSel.value}&limit=200`);
  const list = document.getElementById('list');
  if (!r.items.length) {
    list.replaceChildren(el('p', { class: 'ok' }, t('discrepancies.none')));
    return;
  }
  const head = el('tr', {}, el('th', {}, t('discrepancies.kind')), el('th', {}, t('col.number')),
    el('th', {}, t('discrepancies.where')), el('th', {}, t('discrepancies.opened')),
    el('th', {}, t('discrepancies.resolution')));
  const rows = r.items.map((d) => el('tr', { dataset: { id: String(d.id), kind: d.kind } },
    el('td', { class: d.kind === 'missing' ? 'error' : 'warn' }, t(`custody.kind.${d.kind}`)),
    el('td', {}, d.display_number),
    el('td', {}, `${t(d.on === 'bag' ? 'custody.seal' : 'custody.batch')} ${d.reference}${d.detail ? ` (${detailText(d.detail)})` : ''}`),
    el('td', {}, localTime(d.opened_at)),
    el('td', {}, d.resolution
      ? `${t(`custody.resolution.${d.resolution}`)} · ${d.resolved_by || ''} · ${localTime(d.resolved_at)}${d.note ? ` — ${d.note}` : ''}`
      : (mayResolve ? resolver(d) : t('discrepancies.open_one')))));
  list.replaceChildren(el('table', { id: 'disc-table' }, el('thead', {}, head), el('tbody', {}, rows)));
}

stateSel.addEventListener('change', () => load().catch((e) => say(errorText(e), false)));

await initI18n(() => load());
try {
  const s = await requireSession(['supervisor', 'manager', 'logistics', 'admin']);
  mayResolve = s.user.role === 'supervisor' || s.user.role === 'manager';
  await load();
} catch (e) {
  if (e.message !== 'wrong role') say(errorText(e), false);
}
