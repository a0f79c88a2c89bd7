// kiosk.js — the self-service kiosk (no login, touch): one large button per service category;
// a tap takes a ticket and shows its number, how many wait ahead, and the 80 mm slip to print.
// Back to the buttons after 30 s or on "done".
import { initI18n, api, t, pick, el, errorText, localTime } from './common.js';

const choices = document.getElementById('choices');
const choose = document.getElementById('choose');
const ticketBox = document.getElementById('ticket');
const errBox = document.getElementById('kiosk-error');
let categories = [];
let ticket = null;
let timer = null;

function renderChoices() {
  choices.replaceChildren(...categories.filter((c) => c.active).map((c) =>
    el('button', { type: 'button', 'data-category': c.code, onclick: () => take(c.code) },
      pick(c), el('small', {}, `${c.prefix} · ${pick(c) === c.name_zh ? c.name_en : c.name_zh}`))));
}

function renderTicket() {
  if (!ticket) return;
  document.getElementById('ticket-number').textContent = ticket.number;
  document.getElementById('ticket-category').textContent = pick(ticket, 'category_name');
  document.getElementById('ticket-ahead').textContent = t('kiosk.ahead', { n: ticket.waiting_ahead });
  document.getElementById('ticket-time').textContent = localTime(ticket.issued_at);
  document.getElementById('ticket-print').href =
    `/api/v1/hall/tickets/${encodeURIComponent(ticket.number)}/slip.pdf?date=${ticket.day}`;
}

function reset() {
  clearTimeout(timer);
  ticket = null;
  ticketBox.hidden = true;
  choose.hidden = false;
  errBox.textContent = '';
}

async function take(code) {
  errBox.textContent = '';
  for (const b of choices.querySelectorAll('button')) b.disabled = true;
  try {
    ticket = await api('POST', '/api/v1/hall/tickets', { category: code });
    renderTicket();
    choose.hidden = true;
    ticketBox.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(reset, 30000);
  } catch (e) {
    errBox.textContent = errorText(e);
  } finally {
    for (const b of choices.querySelectorAll('button')) b.disabled = false;
  }
}

document.getElementById('ticket-done').addEventListener('click', reset);
await initI18n(() => { renderChoices(); renderTicket(); });
try {
  categories = (await api('GET', '/api/v1/hall/categories')).items;
  renderChoices();
} catch (e) {
  errBox.textContent = errorText(e);
}
