// login.js — the login form; after a login, the page the user came for, else the one for the
// role. A locked account shows the server's lockout message.
import { initI18n, api, setCsrf, t, errorText } from './common.js';

const HOME = {
  clerk: '/counter.html', operator: '/station.html', supervisor: '/police.html',
  logistics: '/reception.html', manager: '/police.html', admin: '/',
};

// The form's handler is attached before anything is awaited: an Enter pressed while the page is
// still loading its words must never submit the form natively (the form says method="post", so
// even then the password stays out of the address and the server's logs).
const form = document.getElementById('login');
const msg = document.getElementById('login-error');

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  msg.textContent = '';
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    msg.textContent = t('login.missing');
    return;
  }
  try {
    const s = await api('POST', '/api/v1/session', { username, password });
    setCsrf(s.csrf_token);
    const next = new URLSearchParams(location.search).get('next');
    location.href = next && next.startsWith('/') && !next.startsWith('//') ? next : HOME[s.user.role] || '/';
  } catch (e) {
    // The server's own sentence follows the words of the message file (for a lockout: how
    // long the account stays locked).
    msg.textContent = errorText(e);
    form.password.select();
  }
});

await initI18n();
api('GET', '/healthz').catch(() => {});
document.getElementById('username').focus();
form.dataset.ready = 'true'; // words in, handler on, focus set: ready to type into
