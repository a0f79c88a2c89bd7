// index.js — the landing page: links to every page.
import { initI18n, api } from './common.js';

await initI18n();
// The demo banner shows when the server says demo (every response carries X-Jingyou-Demo).
api('GET', '/healthz').catch(() => {});
