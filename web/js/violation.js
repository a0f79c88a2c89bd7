// violation.js — approving a W01 violation handling (违法处理): the decision number issued and the
// points scored, asked for at approval on the police desk and the station workbench, and sent
// with the complete action ({decision_number, points}).
import { t, el } from './common.js';

// The score bands of 公安部令第163号.
const BANDS = [0, 1, 3, 6, 9, 12];

// The fields, in a card.
export function violationFields() {
  return el('section', { class: 'card', id: 'w01-fields' },
    el('h3', {}, t('violation.title')),
    el('div', { class: 'field' },
      el('label', { for: 'w01-decision' }, t('violation.decision_number')),
      el('input', { id: 'w01-decision', autocomplete: 'off', maxlength: '32', inputmode: 'latin' })),
    el('div', { class: 'field' },
      el('label', { for: 'w01-points' }, t('violation.points')),
      el('select', { id: 'w01-points' }, ...BANDS.map((p) => el('option', { value: String(p) }, String(p))))));
}

// The body's part: {decision_number, points}, from the fields.
export function violationBody() {
  const d = document.getElementById('w01-decision');
  const p = document.getElementById('w01-points');
  return { decision_number: d ? d.value.trim() : '', points: p ? Number(p.value) : 0 };
}
