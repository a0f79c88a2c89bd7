// index.js — the landing page: links to every page; the banner when next year's holiday
// arrangement is missing.
import { initI18n, api } from './common.js';
import { checkCalendar, redrawCalendarWarning } from './calwarn.js';

await initI18n(redrawCalendarWarning);
// The demo banner shows when the server says demo (every response carries X-Jingyou-Demo).
api('GET', '/healthz').catch(() => {});
checkCalendar();
