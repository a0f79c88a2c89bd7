// branch.js — the branch list (clerk): today's applications at this branch, and those sent back
// for correction with what to fix, each with a resubmit button.
import {
  initI18n, api, requireSession, t, pick, el, localTime, localDate, stateText, dueBadge, errorText,
} from './common.js';

let catalog = null;

function reasonText(code) {
  const r = catalog && catalog.return_reasons.find((x) => x.code === code);
  return r ? pick(r) : code;
}

function table(items, withCorrection) {
  if (!items.length) return el('p', { class: 'muted' }, t('branch.empty'));
  const head = el('tr', {}, el('th', {}, t('col.number')), el('th', {}, t('col.type')),
    el('th', {}, t('col.applicant')), el('th', {}, t('col.accepted')), el('th', {}, t('col.state')),
    el('th', {}, t('col.due')), withCorrection ? el('th', {}, t('col.to_fix')) : null,
    withCorrection ? el('th', {}, t('col.action')) : null);
  const rows = items.map((a) => {
    const msg = el('span', { role: 'status' });
    const note = el('input', { id: `note-${a.number}`, autocomplete: 'off' });
    return el('tr', { dataset: { number: a.number } },
      el('td', {}, a.display_number), el('td', {}, `${a.business_type} ${pick(a, 'business_name')}`),
      el('td', {}, a.applicant.name), el('td', {}, localTime(a.accepted_at)), el('td', {}, stateText(a)),
      el('td', {}, dueBadge(a)),
      withCorrection ? el('td', {}, el('strong', {}, reasonText(a.correction && a.correction.reason)),
        a.correction && a.correction.note ? ` — ${a.correction.note}` : '',
        el('div', { class: 'muted' }, t('branch.returned_from', { s: t('station.' + (a.correction ? a.correction.station : a.station)) }))) : null,
      withCorrection ? el('td', {},
        el('div', { class: 'field' }, el('label', { for: `note-${a.number}` }, t('branch.resubmit_note')), note),
        el('button', {
          type: 'button', class: 'primary',
          onclick: async () => {
            try {
              const body = note.value.trim() ? { note: note.value.trim() } : {};
              const r = await api('POST', `/api/v1/applications/${a.number}/resubmit`, body);
              msg.className = 'ok';
              msg.textContent = t('branch.resubmitted', { s: t('station.' + r.station) });
            } catch (e) {
              msg.className = 'error';
              msg.textContent = errorText(e);
            }
          },
        }, t('branch.resubmit')), ' ', msg) : null);
  });
  return el('table', {}, el('thead', {}, head), el('tbody', {}, rows));
}

async function load() {
  const corr = await api('GET', '/api/v1/applications?state=correction&limit=200');
  document.getElementById('correction').replaceChildren(table(corr.items, true));
  // Newest first: read pages until one reaches before today (Asia/Shanghai).
  const today = localDate(new Date().toISOString());
  const list = [];
  let cursor = null;
  for (let page = 0; page < 10; page++) {
    const r = await api('GET', `/api/v1/applications?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    let older = false;
    for (const a of r.items) {
      if (localDate(a.accepted_at) === today) list.push(a);
      else if (localDate(a.accepted_at) < today) older = true;
    }
    cursor = r.next_cursor;
    if (older || !cursor) break;
  }
  document.getElementById('today').replaceChildren(
    el('p', {}, t('branch.today_count', { n: list.length, d: today })), table(list, false));
}

await initI18n(() => load());
try {
  await requireSession(['clerk']);
  catalog = await api('GET', '/api/v1/catalog');
  await load();
} catch (e) {
  document.getElementById('today').textContent = errorText(e);
}
