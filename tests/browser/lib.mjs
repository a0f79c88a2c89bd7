// lib.mjs — the harness every browser test shares. Importing it starts `jingyou serve --demo`
// (the binary is argv[2]) on a temporary database with a fixed clock and launches Debian's
// chromium through playwright-core; it exports the server's base URL, API clients per user,
// a scenario runner, page helpers and `finish()`, which prints the tally and exits.
import { spawn } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const CHROMIUM = process.env.JY_CHROMIUM || '/usr/bin/chromium';
// JY_BROWSER_CLOCK: another fixed time, for a test that must run on another day (calendar.mjs).
export const CLOCK = process.env.JY_BROWSER_CLOCK || '2026-11-30T02:00:00Z';
export const PASSWORD = 'jingyou-demo';
const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');

export function fail(msg) {
  console.error(`browser: FAIL: ${msg}`);
  process.exit(1);
}

const jingyou = process.argv[2];
if (!jingyou || !existsSync(jingyou)) fail(`usage: node SCRIPT.mjs PATH/TO/jingyou (got ${jingyou})`);
if (!existsSync(CHROMIUM))
  fail(`${CHROMIUM} is missing: install Debian's chromium (scripts/install-deps does)`);
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  fail(`playwright-core is not installed: run npm ci --prefix tests/browser (${e.message})`);
}
export const screens = path.join(path.dirname(path.resolve(jingyou)), 'screens');
mkdirSync(screens, { recursive: true });

// ---- the server ----
export const tmp = mkdtempSync(path.join(tmpdir(), 'jy-browser-'));
const server = spawn(path.resolve(jingyou), ['serve', '--demo', '--db', path.join(tmp, 'jy.db'),
  '--port', '0', '--clock', CLOCK, '--web', path.join(root, 'web')], { stdio: ['ignore', 'pipe', 'pipe'] });
let serverErr = '';
server.stderr.on('data', (d) => { serverErr = (serverErr + d).slice(-4000); });
export const base = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('the server did not start in 60 s')), 60000);
  const rl = createInterface({ input: server.stdout });
  rl.once('line', (line) => {
    clearTimeout(timer);
    const m = line.match(/^jingyou serving (http:\/\/[^ ]+?)\/? /);
    if (m) resolve(m[1]); else reject(new Error(`unexpected first line: ${line}`));
  });
  server.once('exit', (code) => reject(new Error(`the server exited (${code}): ${serverErr}`)));
}).catch((e) => fail(e.message));
server.stdout.resume();

export let browser;
export async function stop(code) {
  if (browser) await browser.close().catch(() => {});
  server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}

// ---- the API, as each user, for the checks around the pages ----
export async function apiLogin(username) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await r.json();
  return async (method, p, body) => {
    const res = await fetch(`${base}${p}`, {
      method, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

export async function countApplications(api) {
  let n = 0, cursor = null;
  do {
    const r = await api('GET', `/api/v1/applications?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    n += r.body.items.length;
    cursor = r.body.next_cursor;
  } while (cursor);
  return n;
}

// As an operator would: claim at `station`, completing what comes first, until `number` is the
// item claimed (then held by that user).
export async function drainUntil(api, station, number) {
  for (let i = 0; i < 500; i++) {
    const c = await api('POST', `/api/v1/stations/${station}/claim`);
    if (c.status !== 200) throw new Error(`claim at ${station}: ${c.status} ${JSON.stringify(c.body)}`);
    if (c.body.number === number) return;
    const d = await api('POST', `/api/v1/applications/${c.body.number}/complete`, { station });
    if (d.status !== 200) throw new Error(`complete ${c.body.number} at ${station}: ${d.status}`);
  }
  throw new Error(`${number} never came up at ${station}`);
}

// ---- the scenarios ----
export const results = [];
export let failed = false;
export async function scenario(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push(`ok   ${name} (${Date.now() - t0} ms)`);
    console.log(`ok   ${name}`);
  } catch (e) {
    failed = true;
    results.push(`FAIL ${name}: ${e.stack || e}`);
    console.log(`FAIL ${name}: ${e.stack || e}`);
  }
}
export function expect(cond, what) {
  if (!cond) throw new Error(`expected ${what}`);
}

export const pageErrors = [];
export async function newPage(viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await context.clock.setFixedTime(new Date(CLOCK));
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return page;
}
// The link's target, fetched with the page's cookies, is a PDF.
export async function expectPdf(page, href, what) {
  expect(href, `${what}: a link`);
  const r = await page.request.get(new URL(href, base).href);
  const type = r.headers()['content-type'] || '';
  expect(r.status() === 200 && type.startsWith('application/pdf'), `${what} is a PDF (got ${r.status()} ${type})`);
  expect((await r.body()).subarray(0, 5).toString() === '%PDF-', `${what} starts with %PDF-`);
}

// A receipt token (N.YYYYMMDD.FEE.SIG) signed with the key the server made beside its database,
// as src/render/receipt_sign.c signs one.
export function receiptToken(num, date, feeFen) {
  const seed = Buffer.from(readFileSync(path.join(tmp, 'keys', 'receipt_sign.key'), 'utf8').trim(), 'hex');
  const key = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8',
  });
  const sig = sign(null, Buffer.from(`jingyou-receipt-v1|${num}|${date}|${feeFen}`), key);
  return `${num}.${date.replaceAll('-', '')}.${feeFen}.${sig.toString('base64url')}`;
}

export const shot = (page, name) => page.screenshot({ path: path.join(screens, `${name}.png`), fullPage: true });

// Click `button` and wait for the page's message at `msgSel` to say something new, and as a
// success (the claim before it was a success too).
export async function clickForOk(page, button, msgSel) {
  const before = await page.locator(msgSel).textContent();
  await page.click(button);
  await page.waitForFunction(([sel, b]) => {
    const m = document.querySelector(sel);
    return m.className === 'ok' && m.textContent !== b;
  }, [msgSel, before]);
}

// Log in through the form by keyboard: username, Tab, password, Enter.
export async function login(page, username, next) {
  await page.goto(`${base}/login.html${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  // Type only once the page's script has its handler on and has set the focus (a slow server,
  // as under the sanitizers, would otherwise meet the keys half-way).
  await page.waitForSelector('#login[data-ready="true"]');
  await page.locator('#username').focus();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
} catch (e) {
  console.error(`browser: FAIL: chromium did not start: ${e.message}`);
  await stop(1);
}


// Print the tally, stop the browser and the server, and exit 0 when every scenario passed.
export async function finish(name) {
  await scenario('no script errors on any page', async () => {
    expect(pageErrors.length === 0, `none (got ${pageErrors.join('; ')})`);
  });
  console.log(`\n${name}: ${results.filter((r) => r.startsWith('ok')).length}/${results.length} passed; screenshots in ${screens}`);
  await stop(failed ? 1 : 0);
}
