// timeline.js — one application's timeline for staff: the counter, the custody hand-overs, the
// centre's stations, dispatch and every row of the carrier's feed, in one ordered list
// (GET /api/v1/applications/{number}/timeline), in the page's language.
import { api, t, el, localTime, currentLang } from './common.js';

export function timelineList(items) {
  const en = currentLang() === 'en';
  if (!items.length) return el('p', { class: 'muted' }, t('timeline.empty'));
  return el('ol', { class: 'timeline staff-timeline' }, items.map((e) => {
    const details = [
      e.actor ? `${t('history.actor')}: ${e.actor}` : null,
      e.waybill ? `EMS ${e.waybill}` : null,
      e.failure_reason ? `${t('delivery.failure')}: ${e.failure_reason}` : null,
      e.note && e.kind !== 'carrier' ? e.note : null,
    ].filter(Boolean).join(' · ');
    return el('li', { dataset: { kind: e.kind, code: e.code } },
      el('time', { datetime: e.at }, localTime(e.at)), ' ',
      el('span', { class: `badge kind-${e.kind}` }, t(`timeline.kind_${e.kind}`)), ' ',
      el('span', { class: 'label' }, en ? e.label_en : e.label_zh),
      details ? el('div', { class: 'muted' }, details) : null);
  }));
}

export async function timelineEl(number) {
  const r = await api('GET', `/api/v1/applications/${encodeURIComponent(number)}/timeline`);
  return timelineList(r.items);
}
