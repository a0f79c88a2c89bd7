// display.js — the hall's display (a TV, full screen, no login): the latest call large (number
// and window), the calls before it in a list, a chime on each call. Live from the server-sent
// events of GET /api/v1/hall/stream; on (re)connecting it reloads the history from
// GET /api/v1/hall/calls, so a display that was cut off misses nothing. The browser's
// EventSource reconnects by itself after a dropped connection; when the server refuses the
// stream (503: too many displays), this page tries again after 10 s.
import { initI18n, api, t, el, currentLang } from './common.js';

const latest = document.getElementById('latest');
const statusBox = document.getElementById('status');
const historyList = document.getElementById('history');
const HISTORY = 8;
let calls = []; // newest first: {number, window, window_name_zh, window_name_en, recall, at}
let audio = null;
let chimes = 0;
let source = null;

function windowName(c) {
  return currentLang() === 'en' ? c.window_name_en : c.window_name_zh;
}

function render() {
  const c = calls[0];
  document.getElementById('latest-number').textContent = c ? c.number : '—';
  // The other language under the main one, for everyone in the hall.
  const other = currentLang() === 'en' ? c && c.window_name_zh : c && c.window_name_en;
  document.getElementById('latest-window').textContent = c ? t('display.to_window', { w: windowName(c) }) : '';
  document.getElementById('latest-window-en').textContent = c ? `${c.number} → ${other}` : '';
  historyList.replaceChildren(...calls.slice(1, HISTORY + 1).map((h) =>
    el('li', { 'data-number': h.number }, el('span', { class: 'n' }, h.number), el('span', {}, windowName(h)))));
}

// Two soft tones (a "ding-dong"), from WebAudio: no sound file to fetch.
function chime() {
  chimes++;
  document.body.dataset.chimes = String(chimes);
  if (!audio) return;
  const now = audio.currentTime;
  for (const [i, f] of [[0, 880], [1, 659]]) {
    const o = audio.createOscillator();
    const g = audio.createGain();
    o.type = 'sine';
    o.frequency.value = f;
    g.gain.setValueAtTime(0.0001, now + i * 0.45);
    g.gain.exponentialRampToValueAtTime(0.4, now + i * 0.45 + 0.03);
    g.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.45 + 0.9);
    o.connect(g).connect(audio.destination);
    o.start(now + i * 0.45);
    o.stop(now + i * 0.45 + 1);
  }
}

function setStatus(state) {
  statusBox.dataset.state = state;
  statusBox.textContent = t(`display.${state}`);
}

async function loadHistory() {
  try {
    calls = (await api('GET', `/api/v1/hall/calls?limit=${HISTORY + 1}`)).items;
    render();
  } catch {
    /* the stream's events fill the board anyway */
  }
}

function connect() {
  source = new EventSource('/api/v1/hall/stream');
  setStatus('connecting');
  source.addEventListener('open', () => {
    setStatus('live');
    loadHistory();
  });
  source.addEventListener('call', (ev) => {
    const c = JSON.parse(ev.data);
    calls = [c, ...calls.filter((x) => x.number !== c.number)].slice(0, HISTORY + 1);
    render();
    latest.classList.remove('flash');
    void latest.offsetWidth; // restart the animation
    latest.classList.add('flash');
    chime();
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      setStatus('offline');
      source.close();
      setTimeout(connect, 10000);
    } else {
      setStatus('connecting');
    }
  });
}

document.getElementById('sound').addEventListener('click', (e) => {
  audio = audio || new AudioContext();
  audio.resume();
  e.currentTarget.hidden = true;
  document.documentElement.requestFullscreen?.().catch(() => {});
});
await initI18n(() => { render(); setStatus(statusBox.dataset.state); });
render();
connect();
