// counter.js — the counter intake (受理): the business type by code or name, its documents as a
// checklist, the fields its `requires` asks for, each checked as it is typed (rules.js), fees
// and the due time before submitting; submit → the receipt with the number.
import {
  initI18n, api, requireSession, t, pick, el, money, translate, errorText, ApiError,
} from './common.js';
import {
  fold, checkIdNumber, checkMobile, checkVin, checkPlate, checkLicenceClass, checkAddress,
  checkPostcode, checkRequired, PLATE_TYPES,
} from './rules.js';

const form = document.getElementById('intake');
const typeInput = document.getElementById('type-input');
const typeList = document.getElementById('type-list');
const sections = document.getElementById('sections');
const formError = document.getElementById('form-error');
const submitBtn = document.getElementById('submit');

let catalog = null;
let types = [];
let current = null; // the chosen business type
let idempotencyKey = null;
let activeIndex = -1;
let shown = [];

function todayShanghai() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

// The form's fields: path (the API's dotted path), message key of the label, the check, and
// options. `part` is the `requires` entry that brings the field.
const FIELDS = [
  { part: 'applicant', path: 'applicant.name', label: 'field.name', check: checkRequired, auto: 'name' },
  { part: 'applicant', path: 'applicant.id_number', label: 'field.id_number', check: (v) => checkRequired(v) || checkIdNumber(v, todayShanghai()), mono: true },
  { part: 'applicant', path: 'applicant.mobile', label: 'field.mobile', check: (v) => checkRequired(v) || checkMobile(v), type: 'tel' },
  { part: 'owner_org_allowed', path: 'owner_uscc', label: 'field.owner_uscc', check: () => null, optional: true, mono: true },
  { part: 'vehicle', path: 'vehicle.plate', label: 'field.plate', check: (v) => checkRequired(v) || checkPlate(v, value('vehicle.plate_type')) },
  { part: 'vehicle', path: 'vehicle.plate_type', label: 'field.plate_type', select: 'plate_types', check: checkRequired },
  { part: 'vehicle', path: 'vehicle.vin', label: 'field.vin', check: (v) => checkRequired(v) || checkVin(v), mono: true },
  { part: 'licence', path: 'licence.number', label: 'field.licence_number', check: (v) => checkRequired(v) || checkIdNumber(v, todayShanghai()), mirror: 'applicant.id_number', mono: true },
  { part: 'licence', path: 'licence.class', label: 'field.licence_class', check: (v) => checkRequired(v) || checkLicenceClass(v) },
  { part: 'licence', path: 'licence.expiry', label: 'field.licence_expiry', check: checkRequired, type: 'date', only: (ty) => !!ty.renewal_window_days },
  { part: 'delivery', path: 'delivery.recipient', label: 'field.recipient', check: checkRequired, mirror: 'applicant.name' },
  { part: 'delivery', path: 'delivery.mobile', label: 'field.delivery_mobile', check: (v) => checkRequired(v) || checkMobile(v), mirror: 'applicant.mobile', type: 'tel' },
  { part: 'delivery', path: 'delivery.address', label: 'field.address', check: (v) => checkRequired(v) || checkAddress(v) },
  { part: 'delivery', path: 'delivery.postcode', label: 'field.postcode', check: checkPostcode, optional: true, inputmode: 'numeric' },
];

const inputId = (path) => `f-${path.replace(/\./g, '-')}`;
const input = (path) => document.getElementById(inputId(path));
const value = (path) => (input(path) ? input(path).value : '');

// ---- business type: type-ahead by code or name ----

function matches(q) {
  const s = fold(q).toLowerCase();
  if (!s) return types;
  return types.filter((ty) => ty.code.toLowerCase().startsWith(s) || ty.name_zh.includes(q.trim())
    || ty.name_en.toLowerCase().includes(s));
}

function renderList() {
  typeList.innerHTML = '';
  shown = matches(typeInput.value);
  shown.forEach((ty, i) => {
    typeList.append(el('li', {
      role: 'option', id: `type-opt-${ty.code}`, 'aria-selected': i === activeIndex ? 'true' : 'false',
      onmousedown: (e) => { e.preventDefault(); chooseType(ty); },
    }, `${ty.code} ${pick(ty)}`));
  });
  const open = shown.length > 0 && document.activeElement === typeInput;
  typeList.hidden = !open;
  typeInput.setAttribute('aria-expanded', open ? 'true' : 'false');
  if (activeIndex >= 0 && shown[activeIndex]) typeInput.setAttribute('aria-activedescendant', `type-opt-${shown[activeIndex].code}`);
  else typeInput.removeAttribute('aria-activedescendant');
}

function exactType(q) {
  const s = fold(q).toUpperCase();
  return types.find((ty) => ty.code === s || ty.name_zh === q.trim()) || null;
}

typeInput.addEventListener('input', () => { activeIndex = matches(typeInput.value).length ? 0 : -1; renderList(); });
typeInput.addEventListener('focus', () => renderList());
typeInput.addEventListener('blur', () => {
  typeList.hidden = true;
  typeInput.setAttribute('aria-expanded', 'false');
  const ty = exactType(typeInput.value);
  if (ty && ty !== current) chooseType(ty, false);
});
typeInput.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    if (!shown.length) return;
    activeIndex = (activeIndex + (e.key === 'ArrowDown' ? 1 : -1) + shown.length) % shown.length;
    renderList();
  } else if (e.key === 'Enter' || (e.key === 'Tab' && !e.shiftKey && typeInput.value.trim())) {
    const ty = exactType(typeInput.value) || shown[activeIndex >= 0 ? activeIndex : 0];
    if (ty && (e.key === 'Enter' || ty !== current)) {
      if (e.key === 'Enter') e.preventDefault();
      chooseType(ty, e.key === 'Enter');
    }
  } else if (e.key === 'Escape') {
    typeList.hidden = true;
  }
});

function chooseType(ty, moveFocus = true) {
  const same = ty === current;
  current = ty;
  typeInput.value = `${ty.code} ${pick(ty)}`;
  typeList.hidden = true;
  typeInput.setAttribute('aria-expanded', 'false');
  setMsg('type-input-msg', null);
  if (!same) renderType();
  if (moveFocus) {
    const first = sections.querySelector('input, select');
    if (first) first.focus();
  }
}

// ---- the form for the chosen type ----

function fieldsFor(ty) {
  return FIELDS.filter((f) => ty.requires.includes(f.part) && (!f.only || f.only(ty)));
}

function renderType() {
  const ty = current;
  const keep = {};
  for (const f of FIELDS) if (input(f.path)) keep[f.path] = input(f.path).value;
  const checked = new Set([...document.querySelectorAll('#docs input:checked')].map((c) => c.value));
  sections.innerHTML = '';
  const info = document.getElementById('type-info');
  info.textContent = `${t('intake.route')}: ${ty.route.map((s) => t('station.' + s)).join(' → ')}`
    + (ty.delivery === 'ems' ? ` · ${t('intake.by_ems')}` : '');
  for (const part of ['applicant', 'vehicle', 'licence', 'delivery']) {
    const fs = fieldsFor(ty).filter((f) => f.part === part || (part === 'applicant' && f.part === 'owner_org_allowed'));
    if (!fs.length) continue;
    const sec = el('section', { class: 'card' }, el('h2', {}, t(`part.${part}`)));
    const grid = el('div', { class: 'grid' });
    for (const f of fs) grid.append(fieldEl(f));
    sec.append(grid);
    sections.append(sec);
  }
  for (const [p, v] of Object.entries(keep)) if (input(p)) input(p).value = v;
  // documents
  const docs = document.getElementById('docs');
  docs.innerHTML = '';
  for (const d of ty.documents) {
    const id = `doc-${d.code}`;
    docs.append(el('li', {},
      el('input', { type: 'checkbox', id, name: 'documents', value: d.code, checked: checked.has(d.code), dataset: { required: d.required ? '1' : '' }, onchange: () => setMsg('documents-msg', null) }),
      ' ',
      el('label', { for: id }, pick(d), d.required ? el('span', { class: 'error' }, ` (${t('intake.required')})`) : el('span', { class: 'muted' }, ` (${t('intake.optional')})`))));
  }
  document.getElementById('docs-card').hidden = false;
  // fees and the due time
  const fees = document.getElementById('fees');
  fees.innerHTML = '';
  for (const f of ty.fees) fees.append(el('tr', {}, el('td', {}, pick(f)), el('td', {}, money(f.amount_fen))));
  fees.append(el('tr', {}, el('th', {}, t('intake.fee_total')), el('th', { id: 'fee-total' }, money(ty.fee_total_fen))));
  const due = document.getElementById('due-info');
  due.textContent = ty.sla_working_days > 0
    ? t('intake.due_sla', { n: ty.sla_working_days }) : t('intake.due_same_day');
  if (ty.sla_working_days > 0) {
    // The date itself, counted by the server on the official calendar.
    const code = ty.code;
    api('GET', `/api/v1/catalog/${encodeURIComponent(code)}/due-date`).then((r) => {
      if (current && current.code === code && r) {
        due.prepend(el('strong', { id: 'due-date' }, t('intake.due_date', { date: r.due_date })), el('br'));
      }
    }).catch(() => { /* the working days above still say it */ });
  }
  if (catalog.demo_fees) due.append(el('br'), el('span', { class: 'muted' }, t('intake.demo_fees')));
  document.getElementById('fees-card').hidden = false;
}

function fieldEl(f) {
  const id = inputId(f.path);
  let control;
  if (f.select === 'plate_types') {
    control = el('select', { id, dataset: { path: f.path }, 'aria-describedby': `${id}-msg` },
      el('option', { value: '' }, t('intake.choose')),
      PLATE_TYPES.map(([code, zh, en]) => el('option', { value: code }, `${code} ${document.documentElement.lang === 'en' ? en : zh}`)));
  } else {
    control = el('input', {
      id, type: f.type || 'text', autocomplete: 'off', dataset: { path: f.path },
      'aria-describedby': `${id}-msg`, inputmode: f.inputmode, class: f.mono ? 'mono' : null,
    });
  }
  control.addEventListener('input', () => {
    control.dataset.edited = '1';
    mirrorFrom(f.path);
    validate(f, false);
  });
  control.addEventListener('change', () => validate(f, true));
  control.addEventListener('blur', () => validate(f, true));
  return el('div', { class: 'field' },
    el('label', { for: id }, t(f.label), f.optional ? el('span', { class: 'muted' }, ` (${t('intake.optional')})`) : null),
    control,
    el('span', { class: 'msg', id: `${id}-msg`, 'aria-live': 'polite' }));
}

// Fields that start as a copy of another (the licence number from the ID number, the recipient
// from the applicant) follow it until the clerk edits them.
function mirrorFrom(path) {
  for (const f of FIELDS) {
    if (f.mirror !== path) continue;
    const target = input(f.path);
    if (target && !target.dataset.edited) {
      target.value = value(path);
      validate(f, false);
    }
  }
}

function setMsg(id, text) {
  const m = document.getElementById(id);
  if (m) m.textContent = text || '';
}

function showFieldError(path, text) {
  const i = input(path);
  if (!i) return false;
  i.setAttribute('aria-invalid', text ? 'true' : 'false');
  setMsg(`${inputId(path)}-msg`, text);
  return true;
}

// Check one field; `final` shows every error (leaving the field, submitting), otherwise the
// errors that only mean "not finished yet" wait.
function validate(f, final) {
  const i = input(f.path);
  if (!i) return null;
  const r = f.check(i.value);
  if (!r) {
    showFieldError(f.path, null);
    return null;
  }
  const unfinished = r.key === 'rule.required' || r.key.endsWith('.length');
  if (final || !unfinished) showFieldError(f.path, t(r.key, r.vars));
  else showFieldError(f.path, null);
  return r;
}

function body() {
  const b = { business_type: current.code };
  for (const f of fieldsFor(current)) {
    const v = fold(value(f.path));
    if (f.optional && v === '') continue;
    const [a, k] = f.path.split('.');
    if (k === undefined) b[a] = v;
    else (b[a] ||= {})[k] = v;
  }
  if (b.applicant) b.applicant.id_type = 'resident_id';
  b.documents = [...document.querySelectorAll('#docs input:checked')].map((c) => c.value);
  return b;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  formError.textContent = '';
  if (!current) {
    setMsg('type-input-msg', t('intake.choose_type'));
    typeInput.focus();
    return;
  }
  let first = null;
  for (const f of fieldsFor(current)) if (validate(f, true) && !first) first = input(f.path);
  const missing = [...document.querySelectorAll('#docs input')].filter((c) => c.dataset.required && !c.checked);
  if (missing.length) {
    setMsg('documents-msg', t('intake.documents_missing', { n: missing.length }));
    if (!first) first = missing[0];
  }
  if (first) {
    formError.textContent = t('intake.fix_errors');
    first.focus();
    return;
  }
  submitBtn.disabled = true;
  idempotencyKey ||= crypto.randomUUID();
  try {
    const app = await api('POST', '/api/v1/applications', body(), { 'Idempotency-Key': idempotencyKey });
    idempotencyKey = null;
    showReceipt(app);
  } catch (e) {
    // The server disagrees: its error goes on its field when it names one.
    if (e instanceof ApiError && e.field) {
      const path = e.field.startsWith('documents') ? null : e.field;
      if (path && showFieldError(path, errorText(e))) input(path).focus();
      else if (e.field.startsWith('documents')) setMsg('documents-msg', errorText(e));
      else if (e.field === 'business_type') setMsg('type-input-msg', errorText(e));
      else formError.textContent = errorText(e);
    } else {
      formError.textContent = errorText(e);
    }
    // A refused body will change before the next try; a lost answer is retried with the same key.
    if (e instanceof ApiError && e.status < 500) idempotencyKey = null;
  } finally {
    submitBtn.disabled = false;
  }
});

// ---- the receipt ----

function showReceipt(app) {
  document.getElementById('intake-view').hidden = true;
  const r = document.getElementById('receipt');
  r.hidden = false;
  document.getElementById('receipt-number').textContent = app.display_number;
  const dl = document.getElementById('receipt-details');
  dl.innerHTML = '';
  const add = (k, v) => dl.append(el('dt', {}, t(k)), el('dd', {}, v));
  add('receipt.type', `${app.business_type} ${pick(app, 'business_name')}`);
  add('receipt.applicant', app.applicant.name);
  add('receipt.fee_total', money(app.fee_total_fen));
  add('receipt.due_date', app.due_date);
  add('receipt.station', t('station.' + app.station));
  const print = document.getElementById('receipt-print');
  const receiptPdf = `/api/v1/applications/${encodeURIComponent(app.number)}/receipt.pdf`;
  print.href = receiptPdf;
  print.dataset.number = app.number;
  const print80 = document.getElementById('receipt-print-80mm');
  print80.href = `${receiptPdf}?format=80mm`;
  print80.dataset.number = app.number;
  uploadArea(app);
  r.focus();
}

// Scans of the documents: a file (or what a scanner saved) per document of the checklist.
function uploadArea(app) {
  const area = document.getElementById('upload-area');
  area.innerHTML = '';
  area.append(el('h3', {}, t('upload.heading')));
  for (const code of app.documents) {
    const d = current.documents.find((x) => x.code === code);
    const id = `up-${code}`;
    const status = el('span', { class: 'muted', 'aria-live': 'polite' });
    const fileInput = el('input', { type: 'file', id, accept: 'image/jpeg,image/png,application/pdf' });
    fileInput.addEventListener('change', async () => {
      const file = fileInput.files[0];
      if (!file) return;
      status.textContent = t('upload.sending');
      try {
        const r = await fetch(`/api/v1/applications/${encodeURIComponent(app.number)}/documents?kind=${encodeURIComponent(code)}`, {
          method: 'POST', body: file, credentials: 'same-origin',
          headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': sessionStorage.getItem('jy.csrf') || '' },
        });
        const j = await r.json().catch(() => null);
        if (!r.ok) throw new ApiError(r.status, j);
        status.className = 'ok';
        status.textContent = t('upload.done');
      } catch (e) {
        status.className = 'error';
        status.textContent = errorText(e);
      }
    });
    area.append(el('div', { class: 'field' }, el('label', { for: id }, d ? pick(d) : code), fileInput, status));
  }
}

document.getElementById('next-intake').addEventListener('click', () => {
  document.getElementById('receipt').hidden = true;
  document.getElementById('intake-view').hidden = false;
  form.reset();
  current = null;
  sections.innerHTML = '';
  document.getElementById('docs-card').hidden = true;
  document.getElementById('fees-card').hidden = true;
  document.getElementById('type-info').textContent = '';
  typeInput.value = '';
  typeInput.focus();
});

// Opened from a hall window (window.html, ?ticket=A007): the caller's ticket, above the form.
const hallTicket = new URLSearchParams(location.search).get('ticket');
function showHallTicket() {
  if (!hallTicket || !/^[A-Z][0-9]{3,6}$/.test(hallTicket)) return;
  const box = document.getElementById('hall-ticket') ||
    document.querySelector('main').insertAdjacentElement('afterbegin', el('p', { class: 'card', id: 'hall-ticket' }));
  box.textContent = t('counter.hall_ticket', { n: hallTicket });
}

await initI18n(() => { if (current) { typeInput.value = `${current.code} ${pick(current)}`; renderType(); } translate(); showHallTicket(); });
showHallTicket();
try {
  await requireSession(['clerk']);
  catalog = await api('GET', '/api/v1/catalog');
  types = catalog.business_types.filter((ty) => !ty.counter_only);
  typeInput.focus();
} catch (e) {
  formError.textContent = errorText(e);
}
