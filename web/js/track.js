// track.js — the citizen's tracking page (public, phone-sized): the number from the receipt and
// the last four characters of the ID number → the timeline, in Chinese or English. Opened from
// a receipt's QR code (`?number=N&r=TOKEN`), it first says whether the receipt is genuine.
import { initI18n, api, t, pick, el, money, localTime, errorText, currentLang } from './common.js';
import { compactNumber } from './appview.js';

const form = document.getElementById('track-form');
const result = document.getElementById('track-result');
const errBox = document.getElementById('track-error');
const verifyBox = document.getElementById('verify');
let last = null;
let verdict = null; // the answer of /api/v1/receipts/verify, or {error} when it failed

function renderVerify() {
  if (!verdict) return;
  const v = verdict;
  verifyBox.hidden = false;
  if (v.error) {
    verifyBox.className = 'card verify';
    verifyBox.replaceChildren(el('p', { class: 'error' }, t('verify.failed', { e: errorText(v.error) })));
    return;
  }
  if (!v.genuine) {
    verifyBox.className = 'card verify verify-bad';
    verifyBox.replaceChildren(el('h2', { id: 'verify-verdict' }, t('verify.not_genuine')),
      el('p', {}, t('verify.not_genuine_hint')));
    return;
  }
  let warning = null;
  if (v.record === 'differs') {
    const what = (v.differs || []).map((d) => t(`verify.differs_${d}`)).join(currentLang() === 'zh' ? '、' : ', ');
    warning = t('verify.differs', { what });
  } else if (v.record === 'missing') {
    warning = t('verify.missing');
  }
  verifyBox.className = 'card verify verify-genuine';
  verifyBox.replaceChildren(el('h2', { id: 'verify-verdict' }, t('verify.genuine')),
    el('dl', { class: 'kv' },
      el('dt', {}, t('verify.number')), el('dd', { id: 'verify-number' }, v.number),
      el('dt', {}, t('verify.date')), el('dd', { id: 'verify-date' }, v.date),
      el('dt', {}, t('verify.fee')), el('dd', { id: 'verify-fee' }, money(v.fee_fen))));
  if (warning) verifyBox.append(el('p', { class: 'warn', id: 'verify-warning' }, warning));
}

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

await initI18n(() => { renderVerify(); render(); });
const q = new URLSearchParams(location.search);
if (q.get('number')) document.getElementById('track-number').value = q.get('number');
document.getElementById(q.get('number') ? 'track-last4' : 'track-number').focus();
if (q.get('r')) {
  verifyBox.hidden = false;
  verifyBox.replaceChildren(el('p', { class: 'muted' }, t('verify.checking')));
  try {
    verdict = await api('GET', `/api/v1/receipts/verify?r=${encodeURIComponent(q.get('r'))}`);
  } catch (e) {
    // 400: not a token at all (too long, say) — no receipt of this centre carries that.
    verdict = e.status === 400 ? { genuine: false } : { error: e };
  }
  renderVerify();
}
