// appview.js — an application as the back office sees it (details, scans, history), shared by
// the station workbench and the police desk.
import { api, t, pick, el, money, localTime, stateText, dueBadge, errorText } from './common.js';

// The compact form of a number as typed or scanned: "wh-261129-00001-l" → "WH26112900001L".
export function compactNumber(s) {
  return String(s || '').replace(/[\s-]/g, '').toUpperCase()
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

export function detailsEl(a, catalog) {
  const ty = catalog && catalog.business_types.find((x) => x.code === a.business_type);
  const dl = el('dl', { class: 'kv' });
  const add = (k, v) => { if (v !== null && v !== undefined && v !== '') dl.append(el('dt', {}, t(k)), el('dd', {}, v)); };
  add('col.number', el('strong', { class: 'app-number' }, a.display_number));
  add('col.type', `${a.business_type} ${pick(a, 'business_name')}`);
  add('col.state', stateText(a));
  add('col.due', dueBadge(a));
  add('col.branch', a.branch && a.branch.name_zh);
  add('col.accepted', localTime(a.accepted_at));
  add('field.name', a.applicant && a.applicant.name);
  add('field.id_number', a.applicant && a.applicant.id_number);
  add('field.mobile', a.applicant && a.applicant.mobile);
  if (a.vehicle) add('field.plate', `${a.vehicle.plate} (${a.vehicle.plate_type} ${a.vehicle.plate_type_name || ''}) VIN ${a.vehicle.vin}`);
  if (a.licence) add('field.licence_number', `${a.licence.number} ${a.licence.class}${a.licence.expiry ? ` · ${a.licence.expiry}` : ''}`);
  if (a.delivery) add('part.delivery', `${a.delivery.recipient} ${a.delivery.mobile} ${a.delivery.address} ${a.delivery.postcode || ''}`);
  add('intake.fee_total', money(a.fee_total_fen));
  if (a.lease) add('col.lease', t('station.lease_until', { u: a.lease.user, at: localTime(a.lease.expires_at) }));
  add('col.waybill', a.waybill);
  if (a.correction) add('col.to_fix', `${reasonText(a.correction.reason)}${a.correction.note ? ` — ${a.correction.note}` : ''}`);
  const docNames = (a.documents || []).map((c) => {
    const d = ty && ty.documents.find((x) => x.code === c);
    return d ? pick(d) : c;
  });
  add('intake.documents', docNames.join('、'));
  const scans = el('div', { class: 'scans' }, el('span', { class: 'muted' }, t('scans.loading')));
  add('scans.heading', scans);
  api('GET', `/api/v1/applications/${a.number}/documents`).then((r) => {
    scans.replaceChildren(r.items.length ? el('ul', {}, r.items.map((d) => el('li', {},
      el('a', { href: `/api/v1/applications/${a.number}/documents/${d.sha256}`, target: '_blank', rel: 'noopener' },
        `${d.kind} (${d.content_type}, ${Math.ceil(d.size / 1024)} KiB)`)))) : el('span', { class: 'muted' }, t('scans.none')));
  }).catch((e) => scans.replaceChildren(el('span', { class: 'error' }, errorText(e))));
  return dl;
}

export async function historyEl(number) {
  const r = await api('GET', `/api/v1/applications/${number}/events`);
  const rows = r.items.map((e) => el('tr', {},
    el('td', {}, localTime(e.at)), el('td', {}, e.actor ? e.actor.username : t('history.system')),
    el('td', {}, e.from_state ? `${t('state.' + e.from_state)}${e.from_station ? ' · ' + t('station.' + e.from_station) : ''}` : '—'),
    el('td', {}, `${t('state.' + e.to_state)}${e.to_station ? ' · ' + t('station.' + e.to_station) : ''}`),
    el('td', {}, [reasonText(e.reason), e.note].filter(Boolean).join(' — '))));
  return el('table', { class: 'history' }, el('thead', {}, el('tr', {},
    el('th', {}, t('history.at')), el('th', {}, t('history.actor')), el('th', {}, t('history.from')),
    el('th', {}, t('history.to')), el('th', {}, t('history.reason')))), el('tbody', {}, rows));
}

export function queueTable(items, onPick) {
  if (!items.length) return el('p', { class: 'muted' }, t('station.queue_empty'));
  return el('table', { class: 'queue' },
    el('thead', {}, el('tr', {}, el('th', {}, t('col.number')), el('th', {}, t('col.type')),
      el('th', {}, t('col.branch')), el('th', {}, t('col.due')), onPick ? el('th', {}, t('col.action')) : null)),
    el('tbody', {}, items.map((a) => el('tr', { dataset: { number: a.number, due: a.due_status || '' } },
      el('td', {}, a.display_number), el('td', {}, `${a.business_type} ${pick(a, 'business_name')}`),
      el('td', {}, a.branch ? a.branch.name_zh : ''), el('td', {}, dueBadge(a)),
      onPick ? el('td', {}, el('button', { type: 'button', onclick: () => onPick(a) }, t('police.open'))) : null))));
}

// A reason picker (select + note) from a catalog list; returns {node, get()}.
export function reasonPicker(idPrefix, reasons) {
  const sel = el('select', { id: `${idPrefix}-reason` }, el('option', { value: '' }, t('intake.choose')),
    reasons.map((r) => el('option', { value: r.code }, pick(r))));
  const note = el('input', { id: `${idPrefix}-note`, autocomplete: 'off' });
  const node = el('div', { class: 'row' },
    el('div', { class: 'field' }, el('label', { for: sel.id }, t('reason.reason')), sel),
    el('div', { class: 'field', style: 'flex:1' }, el('label', { for: note.id }, t('reason.note')), note));
  return { node, get: () => ({ reason: sel.value, note: note.value.trim() }) };
}

// A reason code of an event (intake, a return or refusal reason, a carrier status) in words;
// the code itself when the message files do not know it.
export function reasonText(code) {
  if (!code) return '';
  const key = `event_reason.${code}`;
  const text = t(key);
  return text === key ? code : text;
}
