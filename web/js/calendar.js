// calendar.js — the admin's holiday calendar page: the years covered (built in or loaded, by
// whom, when, from which notice) and the upload of a year's arrangement (CSV date,kind,name),
// which a running server takes at once (PUT /api/v1/calendar/{year}).
import { initI18n, api, requireSession, el, t, localTime, errorText, ApiError, toLogin } from './common.js';
import { showCalendarWarning, redrawCalendarWarning } from './calwarn.js';

let data = null;

function render() {
  if (!data) return;
  redrawCalendarWarning();
  const tbody = document.querySelector('#cal-years tbody');
  tbody.replaceChildren(...data.years.map((y) => el('tr', { dataset: { year: String(y.year) } },
    el('td', {}, String(y.year)),
    el('td', {}, t(`calendar.origin_${y.origin}`)),
    el('td', {}, String(y.days)),
    el('td', {}, y.loaded_by || ''),
    el('td', {}, y.loaded_at ? localTime(y.loaded_at) : ''),
    el('td', {}, y.source || ''))));
  document.getElementById('cal-coverage').textContent = data.last_covered_day
    ? t('calendar.coverage', { day: data.last_covered_day, days: data.days_left })
    : t('calendar.coverage_none');
}

async function load() {
  data = await api('GET', '/api/v1/calendar');
  showCalendarWarning(data.warning);
  render();
  const year = document.getElementById('cal-year');
  if (!year.value && data.warning) year.value = String(data.warning.year);
}

async function upload(ev) {
  ev.preventDefault();
  const msg = document.getElementById('cal-msg');
  msg.className = '';
  msg.textContent = '';
  const year = document.getElementById('cal-year').value.trim();
  const file = document.getElementById('cal-file').files[0];
  if (!file) return;
  const q = new URLSearchParams();
  if (document.getElementById('cal-replace').checked) q.set('replace', '1');
  const source = document.getElementById('cal-source').value.trim();
  if (source) q.set('source', source);
  try {
    const r = await fetch(`/api/v1/calendar/${encodeURIComponent(year)}?${q}`, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'X-CSRF-Token': sessionStorage.getItem('jy.csrf') || '' },
      body: await file.text(),
    });
    const body = await r.json().catch(() => null);
    if (!r.ok) {
      const err = new ApiError(r.status, body);
      // As every other page's calls: a lapsed session or a tab without its CSRF token logs in again.
      if (r.status === 401 || err.code === 'csrf_failed') toLogin();
      throw err;
    }
    data = body.calendar;
    showCalendarWarning(data.warning);
    render();
    msg.className = 'ok';
    msg.textContent = t(body.replaced ? 'calendar.replaced' : 'calendar.loaded', { year: body.year, days: body.days });
  } catch (e) {
    msg.className = 'error';
    msg.textContent = errorText(e) + (e.field ? ` (${e.field})` : '');
  }
}

await initI18n(render);
let admin = false;
try {
  await requireSession(['admin']);
  admin = true;
} catch (e) {
  // Another role: requireSession has said so on the page. Not logged in: say so, as the other
  // pages do.
  if (e.message !== 'wrong role') {
    const msg = document.getElementById('cal-msg');
    msg.className = 'error';
    msg.textContent = errorText(e);
  }
}
if (admin) {
  await load();
  document.getElementById('cal-form').addEventListener('submit', upload);
}
