// dashboard.mjs — the dashboard in a real browser: the manager opens it after logging in and sees
// the demo city's figures, each equal to the summary API's for the same period (the overview's
// totals, the tables by branch, type and station, the CSV links), the charts drawn beside their
// tables, the fines collected (the tile and the branches' table equal to the API's fines, and to
// today's settlement), and the coverage map (13 district boxes, 160 branches, the uncovered cells the API
// lists); the page switches to English; the police see it too; a clerk is told it is not for
// that role. A screenshot goes to build/screens/dashboard.png.
//
//   node tests/browser/dashboard.mjs build/jingyou
import { apiLogin, base, expect, finish, login, newPage, scenario, shot } from './lib.mjs';

const managerApi = await apiLogin('manager');
const today = (await managerApi('GET', '/api/v1/reports/summary')).body.today;
const d = new Date(`${today}T00:00:00Z`);
d.setUTCDate(d.getUTCDate() - 6);
const from = d.toISOString().slice(0, 10);
const summary = async (group) =>
  (await managerApi('GET', `/api/v1/reports/summary?from=${from}&to=${today}&group_by=${group}`)).body;
const show = (field, v) => {
  if (v === null || v === undefined) return '—';
  if (field === 'share' || field === 'first_time_right') return `${(v * 100).toFixed(1)}%`;
  return String(v);
};

// The table #t-ID as {key: {field: text}}.
async function table(page, id) {
  return page.$$eval(`#t-${id} tbody tr`, (rows) => Object.fromEntries(rows.map((r) => [r.dataset.key,
    Object.fromEntries([...r.querySelectorAll('td')].map((c) => [c.dataset.field, c.textContent]))])));
}

async function sameAsApi(page, group) {
  const sum = await summary(group);
  const shown = await table(page, group);
  expect(sum.groups.length > 0, `${group}: groups in the API`);
  expect(Object.keys(shown).length === sum.groups.length + 1, `${group}: one row per group and a total`);
  for (const g of sum.groups) {
    const row = shown[g.key];
    expect(row, `${group}: a row for ${g.key}`);
    for (const [field, text] of Object.entries(row))
      expect(text === show(field, g[field]), `${group} ${g.key} ${field}: page ${text}, API ${show(field, g[field])}`);
  }
  for (const [field, text] of Object.entries(shown.total))
    expect(text === show(field, sum.totals[field]), `${group} total ${field}: page ${text}, API ${sum.totals[field]}`);
  // The chart draws the same rows.
  const bars = await page.$$eval(`#s-${group} svg.chart rect[data-label]`, (r) => r.length);
  expect(bars > 0, `${group}: a chart`);
  return sum;
}

await scenario('the manager opens the dashboard and sees the figures of the summary API', async () => {
  const page = await newPage();
  await login(page, 'manager', '/dashboard.html');
  await page.waitForSelector('body[data-ready="true"]');
  expect(await page.inputValue('#from') === from && await page.inputValue('#to') === today, 'the last seven days');
  const byType = await summary('type');
  expect(byType.totals.accepted === 40, `40 demo applications in the week (got ${byType.totals.accepted})`);
  for (const f of ['accepted', 'completed', 'in_progress', 'returned', 'refused', 'first_time_right', 'sla_met',
    'sla_missed', 'overdue', 'due_today', 'turnaround_p50', 'turnaround_p90']) {
    const text = await page.textContent(`#kpi-period [data-field="${f}"] b`);
    expect(text === show(f, byType.totals[f]), `overview ${f}: page ${text}, API ${byType.totals[f]}`);
  }
  const day = (await managerApi('GET', `/api/v1/reports/summary?from=${today}&to=${today}&group_by=type`)).body;
  expect(await page.textContent('#kpi-today [data-field="accepted"] b') === String(day.totals.accepted), "today's intake");
  for (const g of ['branch', 'type', 'station', 'district', 'hour', 'day', 'clerk', 'reason', 'operator'])
    await sameAsApi(page, g);
  // Every table has its CSV from the server, with the same total.
  const href = await page.getAttribute('#s-branch a.csv', 'href');
  const r = await page.request.get(new URL(href, base).href);
  expect(r.status() === 200 && r.headers()['content-type'].startsWith('text/csv'), 'the branch CSV');
  expect((await r.text()).includes(`\r\ntotal,合计,total,${byType.totals.accepted},`), 'the CSV total');
  expect(await page.locator('section.card a.csv').count() === 10, 'a CSV link under every table');
  // Fines collected: the tile and the table are the summary's fines, which are today's settlement.
  const byBranch = await summary('branch');
  const yuan = (fen) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  const amount = await page.textContent('#kpi-fines [data-field="amount_fen"] b');
  const count = await page.textContent('#kpi-fines [data-field="count"] b');
  expect(amount === yuan(byBranch.fines.amount_fen), `fines tile amount: page ${amount}, API ${byBranch.fines.amount_fen}`);
  expect(count === String(byBranch.fines.count), `fines tile count: page ${count}, API ${byBranch.fines.count}`);
  const settled = (await managerApi('GET', '/api/v1/fine-settlements/today')).body;
  expect(byBranch.fines.count === 7 && settled.count === 7 && byBranch.fines.amount_fen === settled.amount_fen,
    `the week's fines are today's settlement: ${settled.count} ${settled.amount_fen}`);
  const fines = await table(page, 'fines');
  const collecting = byBranch.groups.filter((g) => g.fines_count > 0);
  expect(collecting.length === 2 && Object.keys(fines).length === 3, 'fines: two branches and a total');
  for (const g of collecting) {
    expect(fines[g.key]?.fines_count === String(g.fines_count), `fines ${g.key} count`);
    expect(fines[g.key]?.fines_amount_fen === yuan(g.fines_amount_fen), `fines ${g.key} amount`);
  }
  expect(fines.total.fines_amount_fen === amount, 'fines total row');
  expect(await page.locator('#s-fines svg.chart rect[data-label]').count() === 2, 'fines: a bar per branch');
  const fcsv = await page.request.get(new URL(await page.getAttribute('#s-fines a.csv', 'href'), base).href);
  expect((await fcsv.text()).includes(`,${byBranch.fines.count},${byBranch.fines.amount_fen}\r\n`), 'the fines in the CSV');
  await shot(page, 'dashboard');
  await page.context().close();
});

await scenario('the coverage map: districts, branches, uncovered cells as the API says', async () => {
  const page = await newPage();
  await login(page, 'manager', '/dashboard.html');
  await page.waitForSelector('body[data-ready="true"]');
  const c = (await managerApi('GET', '/api/v1/reports/coverage')).body;
  expect(await page.locator('#coverage-map g.districts rect').count() === 13, '13 district boxes');
  expect(await page.locator('#coverage-map g.branches circle').count() === 160, '160 branches');
  expect(await page.locator('#coverage-map circle[data-code="WH001"]').count() === 1, 'WH001 on the map');
  const cells = await page.locator('#coverage-map g.uncovered rect').count();
  expect(cells === c.uncovered.length && cells > 0, `uncovered cells: page ${cells}, API ${c.uncovered.length}`);
  const text = await page.textContent('#coverage-summary');
  expect(text.includes(`${(c.share * 100).toFixed(1)}%`), `the share in words (${text})`);
  await page.locator('#coverage-map').screenshot({ path: new URL('../../build/screens/coverage.png', import.meta.url).pathname }).catch(() => {});
  await page.context().close();
});

await scenario('in English; a chosen period; the police see it; a clerk does not', async () => {
  const page = await newPage();
  await login(page, 'police', '/dashboard.html');
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#lang-switch');
  await page.waitForFunction(() => /Intake by hour/.test(document.querySelector('#s-hour h2').textContent));
  // One day only: the figures follow.
  await page.evaluate(() => { document.body.dataset.ready = ''; });
  await page.fill('#from', today);
  await page.fill('#to', today);
  await page.click('#period button[type="submit"]');
  await page.waitForSelector('body[data-ready="true"]');
  const day = (await managerApi('GET', `/api/v1/reports/summary?from=${today}&to=${today}&group_by=type`)).body;
  const text = await page.textContent('#kpi-period [data-field="accepted"] b');
  expect(text === String(day.totals.accepted), `one day's intake: page ${text}, API ${day.totals.accepted}`);
  await page.context().close();

  const clerk = await newPage();
  await login(clerk, 'clerk', '/dashboard.html');
  await clerk.waitForSelector('main p.error[role="alert"]');
  await clerk.context().close();
});

await finish('dashboard');
