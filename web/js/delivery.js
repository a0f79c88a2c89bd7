// delivery.js — on the branch page (clerk): the deliveries to follow up — items whose delivery
// failed or that came back to the centre — with what the clerk needs to call the applicant, a
// box to record what was agreed, and each item's timeline.
import { initI18n, api, requireSession, t, el, localTime, errorText } from './common.js';
import { timelineEl } from './timeline.js';

const box = document.getElementById('attention');
let items = [];

function row(a) {
  const note = el('input', { id: `contact-${a.number}`, autocomplete: 'off' });
  const msg = el('span', { role: 'status' });
  const tl = el('div', { class: 'timeline-box', hidden: true });
  return el('li', { class: 'card', dataset: { number: a.number, state: a.state } },
    el('div', {}, el('strong', {}, a.number), ' ', t(`state.${a.state}`), ' · EMS ', a.waybill || '—'),
    el('dl', { class: 'kv' },
      el('dt', {}, t('delivery.recipient')), el('dd', {}, `${a.recipient || ''} ${a.mobile || ''}`),
      el('dt', {}, t('part.delivery')), el('dd', {}, a.address || ''),
      el('dt', {}, t('delivery.failure')), el('dd', {}, a.failure_reason || '—'),
      el('dt', {}, t('delivery.since')), el('dd', {}, localTime(a.since))),
    el('div', { class: 'row' },
      el('div', { class: 'field', style: 'flex:1' }, el('label', { for: note.id }, t('delivery.contacted_note')), note),
      el('button', {
        type: 'button', class: 'primary',
        onclick: async () => {
          try {
            await api('POST', `/api/v1/applications/${a.number}/contacted`, { note: note.value.trim() });
            msg.className = 'ok';
            msg.textContent = t('delivery.contacted_ok');
          } catch (e) {
            msg.className = 'error';
            msg.textContent = errorText(e);
          }
        },
      }, t('delivery.contacted')), ' ',
      el('button', {
        type: 'button',
        onclick: async () => {
          tl.hidden = !tl.hidden;
          if (!tl.hidden) {
            try {
              tl.replaceChildren(await timelineEl(a.number));
            } catch (e) {
              tl.replaceChildren(el('p', { class: 'error' }, errorText(e)));
            }
          }
        },
      }, t('timeline.show')), ' ', msg),
    tl);
}

function render() {
  box.replaceChildren(el('p', { class: 'muted' }, t('delivery.attention_hint')),
    items.length ? el('ul', { class: 'plain' }, items.map(row)) : el('p', { class: 'muted' }, t('delivery.empty')));
}

await initI18n(() => render());
try {
  await requireSession(['clerk']);
  items = (await api('GET', '/api/v1/deliveries/attention')).items;
  render();
} catch (e) {
  box.textContent = errorText(e);
}
