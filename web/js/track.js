// track.js — the citizen's tracking page (public, phone-sized): the number from the receipt and
// the last four characters of the ID number → the timeline, in Chinese or English.
import { initI18n, api, t, pick, el, localTime, errorText, currentLang } from './common.js';
import { compactNumber } from './appview.js';

const form = document.getElementById('track-form');
const result = document.getElementById('track-result');
const errBox = document.getElementById('track-error');
let last = null;

function render() {
  if (!last) return;
  const r = last;
  const l = currentLang();
  result.hidden = false;
  result.replaceChildren(
    el('h2', {}, r.number),
    el('dl', { class: 'kv' },
      el('dt', {}, t('col.type')), el('dd', {}, pick(r, 'business_name')),
      el('dt', {}, t('col.state')), el('dd', { id: 'track-state' }, l === 'en' ? r.state_en : r.state_zh),
      el('dt', {}, t('col.due')), el('dd', {}, r.due_date || ''),
      r.waybill ? el('dt', {}, t('col.waybill')) : null, r.waybill ? el('dd', {}, r.waybill) : null),
    el('h3', {}, t('track.timeline')),
    el('ol', { class: 'timeline', id: 'timeline' }, r.timeline.map((e) => el('li', {},
      el('time', { datetime: e.at }, localTime(e.at)), l === 'en' ? e.text_en : e.text_zh))));
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  errBox.textContent = '';
  const number = compactNumber(document.getElementById('track-number').value);
  const last4 = document.getElementById('track-last4').value.trim().toUpperCase();
  if (!number) return (errBox.textContent = t('track.need_number'));
  if (!/^[0-9]{3}[0-9X]$/.test(last4)) return (errBox.textContent = t('track.need_last4'));
  try {
    last = await api('GET', `/api/v1/track/${encodeURIComponent(number)}?id_last4=${encodeURIComponent(last4)}`);
    render();
    result.focus();
  } catch (e) {
    last = null;
    result.hidden = true;
    errBox.textContent = e.status === 404 ? t('track.not_found') : errorText(e);
  }
});

await initI18n(() => render());
const q = new URLSearchParams(location.search);
if (q.get('number')) document.getElementById('track-number').value = q.get('number');
document.getElementById('track-number').focus();
