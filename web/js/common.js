// common.js — what every page shares: the message files (zh by default, en by switch), the
// API client (session cookie + X-CSRF-Token), the demo banner, the header, small DOM helpers.

const LANG_KEY = 'jy.lang';
const CSRF_KEY = 'jy.csrf';
let messages = {};
let lang = 'zh';

export function currentLang() {
  return lang;
}

// The message `key` with {name} placeholders filled from `vars`; the key itself when missing.
export function t(key, vars) {
  let s = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// The Chinese or English member of an object with name_zh/name_en (or text_zh/text_en…).
export function pick(obj, base = 'name') {
  if (!obj) return '';
  return obj[`${base}_${lang}`] ?? obj[`${base}_zh`] ?? '';
}

// Fill every [data-i18n] (text), [data-i18n-placeholder], [data-i18n-aria-label] and
// [data-i18n-title] under `root`.
export function translate(root = document) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
    el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]'))
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n);
}

async function loadMessages(l) {
  const r = await fetch(`/i18n/${l}.json`);
  if (!r.ok) throw new Error(`no message file for ${l}`);
  messages = await r.json();
  lang = l;
}

// Load the chosen language and translate the page; `onChange` runs again after each switch.
export async function initI18n(onChange) {
  let l = localStorage.getItem(LANG_KEY);
  if (l !== 'zh' && l !== 'en') l = 'zh';
  await loadMessages(l);
  translate();
  const btn = document.getElementById('lang-switch');
  if (btn) {
    btn.textContent = t('lang.switch');
    btn.addEventListener('click', async () => {
      const next = lang === 'zh' ? 'en' : 'zh';
      localStorage.setItem(LANG_KEY, next);
      await loadMessages(next);
      translate();
      btn.textContent = t('lang.switch');
      if (onChange) onChange();
    });
  }
}

// An error from the API: status, code, message and field (a dotted path) when given.
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || `http_${status}`;
    this.field = e.field || null;
  }
}

export function setCsrf(token) {
  sessionStorage.setItem(CSRF_KEY, token);
}

let demoSeen = false;

// One API call. `body` is sent as JSON; answers 204 as null. Throws ApiError. A 401 (other
// than on the login itself) sends the browser to the login page.
export async function api(method, path, body, headers = {}) {
  const h = { ...headers };
  if (method !== 'GET') h['X-CSRF-Token'] = sessionStorage.getItem(CSRF_KEY) || '';
  const init = { method, headers: h, credentials: 'same-origin' };
  if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  if (r.headers.get('X-Jingyou-Demo') === '1' && !demoSeen) {
    demoSeen = true;
    showDemoBanner();
  }
  if (r.status === 204) return null;
  let data = null;
  const text = await r.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!r.ok) {
    const err = new ApiError(r.status, data);
    if ((r.status === 401 && path !== '/api/v1/session') || err.code === 'csrf_failed') toLogin();
    throw err;
  }
  return data;
}

export function toLogin() {
  const next = location.pathname + location.search;
  location.href = `/login.html?next=${encodeURIComponent(next)}`;
}

function showDemoBanner() {
  if (document.getElementById('demo-banner')) return;
  const b = document.createElement('div');
  b.id = 'demo-banner';
  b.className = 'demo-banner';
  b.setAttribute('role', 'note');
  b.dataset.i18n = 'demo.banner';
  b.textContent = t('demo.banner');
  document.body.prepend(b);
}

// The logged-in user ({user, demo}), or a redirect to the login page when there is none.
// `roles`, when given, are the roles this page is for.
export async function requireSession(roles) {
  const s = await api('GET', '/api/v1/session');
  if (s.demo) showDemoBanner();
  const who = document.getElementById('who');
  if (who) who.textContent = `${s.user.display_name || s.user.username} (${t('role.' + s.user.role)})`;
  const out = document.getElementById('logout');
  if (out) {
    out.hidden = false;
    out.addEventListener('click', async () => {
      try {
        await api('DELETE', '/api/v1/session');
      } finally {
        sessionStorage.removeItem(CSRF_KEY);
        location.href = '/login.html';
      }
    });
  }
  if (roles && !roles.includes(s.user.role)) {
    const main = document.querySelector('main');
    if (main) {
      main.innerHTML = '';
      main.append(el('p', { class: 'error', role: 'alert' }, t('error.wrong_role')));
    }
    throw new Error('wrong role');
  }
  return s;
}

// A new element: el('p', {class: 'x', onclick: f}, 'text', child…).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// Fen as yuan: 12000 → "¥120.00".
export function money(fen) {
  const neg = fen < 0;
  const a = Math.abs(fen);
  return `${neg ? '-' : ''}¥${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

// A UTC ISO time as Asia/Shanghai "YYYY-MM-DD HH:MM".
export function localTime(iso) {
  if (!iso) return '';
  const d = new Date(Date.parse(iso) + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

// The Asia/Shanghai civil date of a UTC ISO time ("YYYY-MM-DD").
export function localDate(iso) {
  return localTime(iso).slice(0, 10);
}

// The text for an error from the API: the message file's words for its code when there are
// some, else the server's own sentence.
export function errorText(e) {
  if (!(e instanceof ApiError)) return String(e && e.message ? e.message : e);
  const key = `error.${e.code}`;
  const known = t(key);
  return known !== key ? `${known}${e.message ? ` — ${e.message}` : ''}` : e.message;
}

// The state of an application in words.
export function stateText(a) {
  const s = t(`state.${a.state}`);
  return a.station && a.state === 'at_station' ? `${s} · ${t('station.' + a.station)}` : s;
}

export function dueBadge(a) {
  const cls = a.due_status ? `due due-${a.due_status}` : 'due';
  const label = a.due_status ? t(`due.${a.due_status}`) : '';
  return el('span', { class: cls }, a.due_date || '', label ? ` (${label})` : '');
}
