// calwarn.js — the banner that next year's holiday arrangement has not been loaded: from the
// "calendar_year_missing" warning of /healthz (or GET /api/v1/calendar), shown under the header
// in the page's language; gone when the warning is.
import { t } from './common.js';

let last = null;

// Show (or remove, for null) the banner for `warning` ({year, days_left, …}).
export function showCalendarWarning(warning) {
  last = warning || null;
  let b = document.getElementById('calendar-warning');
  if (!last) {
    if (b) b.remove();
    return;
  }
  if (!b) {
    b = document.createElement('div');
    b.id = 'calendar-warning';
    b.className = 'calendar-banner';
    b.setAttribute('role', 'alert');
    const header = document.querySelector('header.top');
    if (header) header.after(b);
    else document.body.prepend(b);
  }
  const key = last.days_left > 0 ? 'calendar.warning' : 'calendar.warning_now';
  b.textContent = t(key, { year: last.year, days: last.days_left });
  const link = document.createElement('a');
  link.href = '/calendar.html';
  link.textContent = t('calendar.warning_link');
  b.append(' ', link);
}

// Again, in the language now chosen.
export function redrawCalendarWarning() {
  showCalendarWarning(last);
}

// The warning of /healthz, shown. Never throws.
export async function checkCalendar() {
  try {
    const r = await fetch('/healthz', { credentials: 'same-origin' });
    const h = await r.json();
    showCalendarWarning((h.warnings || []).find((w) => w.code === 'calendar_year_missing'));
  } catch {
    // The health check answers whatever else is wrong; the banner is only a reminder.
  }
}
