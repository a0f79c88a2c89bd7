// fines.mjs — fines at the counter in a real browser (the harness of lib.mjs: `jingyou serve
// --demo` with the clock at 2026-11-30T02:00:00Z). The clerk looks a demo decision up by its
// number (33 days past its deadline: a fine of ¥50.00 with ¥49.50 surcharge), takes the payment
// in cash, gets the receipt link (a PDF), and finds nothing open any more for the plate; the
// manager's settlement page shows the day's total, the same as the API's; English too.
//
//   node tests/browser/fines.mjs build/jingyou
import { apiLogin, base, expect, expectPdf, finish, login, newPage, scenario, shot } from './lib.mjs';

// Demo decision k = 12 (src/service/demo_fines.c): deadline 33 days ago, fine 5000 fen,
// plate 鄂A64276 (type 02); not among those the demo pays.
const NUMBER = '4201202630095028';
const managerApi = await apiLogin('manager');

await scenario('the clerk looks a fine up, sees the surcharge, takes the payment, gets the receipt', async () => {
  const page = await newPage();
  await login(page, 'clerk', '/fines.html');
  expect(page.url().endsWith('/fines.html'), `on the fines page (at ${page.url()})`);
  await page.fill('#decision-number', NUMBER);
  await page.press('#decision-number', 'Enter');
  const row = page.locator(`#fines-table tr[data-number="${NUMBER}"]`);
  await row.waitFor();
  expect((await row.locator('td.surcharge').textContent()) === '¥49.50', 'the surcharge of 33 days: 3% × 33 of ¥50.00');
  expect((await row.locator('td.total').textContent()) === '¥99.50', 'the total');
  await shot(page, 'fines-lookup');
  await row.locator('button').click();
  await page.locator('#pay-card:not([hidden])').waitFor();
  expect((await page.locator('#pay-total').textContent()) === '¥99.50', 'the amount to collect');
  await page.check('input[name="method"][value="cash"]');
  await page.click('#pay');
  await page.locator('#receipt-link').waitFor();
  expect((await page.locator('#pay-msg').getAttribute('class')) === 'ok', 'the payment is taken');
  expect(await page.locator('#pay').isDisabled(), 'no second payment from the same form');
  await expectPdf(page, await page.locator('#receipt-link').getAttribute('href'), 'the payment receipt');
  await shot(page, 'fines-paid');

  // Nothing open for the plate any more.
  await page.fill('#plate', '鄂A64276');
  await page.selectOption('#plate-type', '02');
  await page.click('#by-plate button[type="submit"]');
  await page.locator('#no-fines').waitFor();
  // English
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.querySelector('#by-number button').textContent === 'Find');
  await page.context().close();
});

await scenario('the manager sees the day settled, with the payment in it', async () => {
  const api = await managerApi('GET', '/api/v1/fine-settlements/2026-11-30');
  expect(api.status === 200, 'the settlement over the API');
  expect(api.body.payments.some((p) => p.decision_number === NUMBER && p.amount_fen === 9950), 'the payment is in the day');
  const page = await newPage();
  await login(page, 'manager', '/settlement.html');
  await page.locator('#total-amount').waitFor();
  const yuan = `¥${Math.floor(api.body.amount_fen / 100)}.${String(api.body.amount_fen % 100).padStart(2, '0')}`;
  expect((await page.locator('#total-amount').textContent()) === yuan, `the day's total ${yuan}`);
  expect(await page.locator(`#payments-table td:text("${NUMBER}")`).count() === 1, 'the payment listed');
  expect((await page.locator('#csv-link').getAttribute('href')) === '/api/v1/fine-settlements/2026-11-30/settlement.csv', 'the settlement file link');
  const csv = await page.request.get(`${base}/api/v1/fine-settlements/2026-11-30/settlement.csv`);
  expect(csv.status() === 200 && (await csv.text()).includes(NUMBER), 'the settlement file has it');
  await shot(page, 'settlement');
  await page.context().close();
});

await finish('browser.fines');
