// ticket.js — a ticket's place in the queue (public, phone-sized), opened from the slip's QR
// code (`?number=A007&date=2026-11-30`); it refreshes every 15 s.
import { initI18n, api, t, errorText } from './common.js';

const q = new URLSearchParams(location.search);
const number = (q.get('number') || '').toUpperCase();
const date = q.get('date') || '';
let ticket = null;

function render() {
  document.getElementById('ticket-number').textContent = number;
  if (!ticket) return;
  const s = ticket.status;
  let text = t(`ticket.status_${s}`);
  if (s === 'waiting') text = t('ticket.waiting', { n: ticket.waiting_ahead });
  if (s === 'called' || s === 'serving') text = t(`ticket.status_${s}`, { w: ticket.window });
  document.getElementById('ticket-status').textContent = text;
}

async function load() {
  try {
    ticket = await api('GET', `/api/v1/hall/tickets/${encodeURIComponent(number)}${date ? `?date=${encodeURIComponent(date)}` : ''}`);
    document.getElementById('ticket-error').textContent = '';
    render();
  } catch (e) {
    document.getElementById('ticket-error').textContent = errorText(e);
  }
}

await initI18n(render);
render();
if (number) {
  await load();
  setInterval(load, 15000);
}
