// pages.mjs — the pages in a real browser. Starts `jingyou serve --demo` on a temporary database
// with a fixed clock, drives Debian's chromium through playwright-core, and walks one D01
// application from the counter to the citizen's tracking page: the clerk's intake by keyboard
// alone, a bad ID number refused on its field with nothing submitted, review, the police's
// approval, production and dispatch through the scan box, archive, tracking in zh and en; the
// receipt, label and manifest PDFs behind the print links; a receipt's QR link checked on the
// tracking page (genuine, genuine but unlike the record, and forged). Screenshots of every page go to build/screens/ (beside the jingyou binary).
//
//   node tests/browser/pages.mjs build/jingyou
//
// Exit 0 when every scenario passed, 1 on a failure (including no node modules or no chromium).
import {
  CLOCK, apiLogin, base, clickForOk, countApplications, drainUntil, expect, expectPdf, finish,
  login, newPage, receiptToken, scenario, shot,
} from './lib.mjs';

const clerkApi = await apiLogin('clerk');
const catalog = (await clerkApi('GET', '/api/v1/catalog')).body;
const d01 = catalog.business_types.find((t) => t.code === 'D01');
let number = null;
let display = null;

await scenario('landing and login pages; the demo banner; a locked account says so', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await page.locator('#demo-banner').waitFor();
  expect((await page.locator('.landing a').count()) >= 6, 'links to every page');
  await shot(page, 'index');
  await page.goto(`${base}/login.html`);
  await page.waitForSelector('#login[data-ready="true"]');
  for (let i = 0; i < 6; i++) {
    await page.fill('#username', 'clerk2');
    await page.fill('#password', 'wrong-password');
    await page.press('#password', 'Enter');
    await page.waitForFunction((n) => document.querySelector('#login-error').textContent !== '' &&
      window.__n !== n && ((window.__n = n), true), i);
  }
  await page.waitForFunction(() => /锁定/.test(document.querySelector('#login-error').textContent));
  await shot(page, 'login-locked');
  await page.context().close();
});

await scenario('clerk takes a D01 intake by keyboard alone and sees the receipt', async () => {
  const page = await newPage();
  await login(page, 'clerk');
  expect(page.url().endsWith('/counter.html'), `the clerk lands on the counter (at ${page.url()})`);
  await page.locator('#type-input:focus').waitFor();
  const kb = page.keyboard;
  await kb.type('D01');
  await kb.press('Enter'); // picks the type; focus moves to the first field
  await page.locator('#f-applicant-name:focus').waitFor();
  await kb.type('张三');
  await kb.press('Tab');
  await kb.type('11010519491231002X');
  await kb.press('Tab');
  await kb.type('13800138000');
  await kb.press('Tab'); // the licence number follows the ID number
  expect(await page.inputValue('#f-licence-number') === '11010519491231002X', 'the licence number copied');
  await kb.press('Tab');
  await kb.type('C1');
  await kb.press('Tab'); // recipient (copied)
  await kb.press('Tab'); // recipient's mobile (copied)
  await kb.press('Tab');
  await kb.type('湖北省武汉市武昌区彭刘杨路1号');
  await kb.press('Tab');
  await kb.type('430060');
  for (const d of d01.documents) {
    await kb.press('Tab');
    if (d.required) await kb.press('Space');
  }
  expect(await page.locator('#fee-total').textContent() === `¥${Math.floor(d01.fee_total_fen / 100)}.${String(d01.fee_total_fen % 100).padStart(2, '0')}`, 'the fee total from the catalog');
  expect((await page.locator('#due-info').textContent()).includes(String(d01.sla_working_days)), 'the SLA in working days');
  // The date before submitting: 2026-11-30 (Monday) + 3 working days, on the official calendar.
  await page.locator('#due-date').waitFor();
  expect((await page.locator('#due-date').textContent()).includes('2026-12-03'), 'the expected date before submitting');
  await shot(page, 'counter');
  await kb.press('Tab');
  expect(await page.evaluate(() => document.activeElement.id) === 'submit', 'Tab reaches the submit button');
  await kb.press('Enter');
  await page.locator('#receipt:not([hidden])').waitFor();
  display = (await page.locator('#receipt-number').textContent()).trim();
  number = await page.locator('#receipt-print').getAttribute('data-number');
  expect(/^WH-\d{6}-\d{5}-[0-9A-Z]$/.test(display), `a display number (${display})`);
  expect((await page.locator('#receipt-print').getAttribute('href')) === `/api/v1/applications/${number}/receipt.pdf`, 'the print link');
  expect((await page.locator('#receipt-print-80mm').getAttribute('href')) === `/api/v1/applications/${number}/receipt.pdf?format=80mm`, 'the 80 mm print link');
  await expectPdf(page, await page.locator('#receipt-print').getAttribute('href'), 'the receipt');
  await expectPdf(page, await page.locator('#receipt-print-80mm').getAttribute('href'), 'the 80 mm receipt');
  const app = (await clerkApi('GET', `/api/v1/applications/${number}`)).body;
  expect(app.state === 'at_station' && app.station === d01.route[0], 'the application waits at the first station');
  await shot(page, 'receipt');
  await page.context().close();
});

await scenario('a bad ID number shows the field error and submits nothing', async () => {
  const before = await countApplications(clerkApi);
  const page = await newPage();
  await login(page, 'clerk', '/counter.html');
  await page.locator('#type-input:focus').waitFor();
  await page.keyboard.type('补领机动车驾驶证');
  await page.keyboard.press('Enter');
  await page.fill('#f-applicant-name', '李四');
  await page.fill('#f-applicant-id_number', '110105194912310021'); // check character wrong
  await page.fill('#f-applicant-mobile', '13800138000');
  await page.fill('#f-licence-class', 'C1');
  await page.fill('#f-delivery-address', '湖北省武汉市武昌区彭刘杨路2号');
  for (const d of d01.documents) if (d.required) await page.check(`#doc-${d.code}`);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/api/v1/applications')) posts.push(r.url()); });
  await page.press('#f-delivery-address', 'Enter');
  await page.waitForFunction(() => document.querySelector('#f-applicant-id_number-msg').textContent.includes('校验'));
  expect(await page.getAttribute('#f-applicant-id_number', 'aria-invalid') === 'true', 'the field marked invalid');
  expect(await page.evaluate(() => document.activeElement.id) === 'f-applicant-id_number', 'focus on the bad field');
  await shot(page, 'counter-bad-id');
  expect(posts.length === 0, 'no POST sent');
  expect(await countApplications(clerkApi) === before, `the count of applications unchanged (${before})`);
  await page.context().close();
});

await scenario('the server\'s error shows on its field (a D03 outside its renewal window)', async () => {
  const d03 = catalog.business_types.find((t) => t.code === 'D03');
  if (!d03 || !d03.renewal_window_days) return;
  const page = await newPage();
  await login(page, 'clerk', '/counter.html');
  await page.locator('#type-input:focus').waitFor(); // the catalog is in
  await page.fill('#type-input', 'D03');
  await page.press('#type-input', 'Enter');
  await page.fill('#f-applicant-name', '王五');
  await page.fill('#f-applicant-id_number', '11010519491231002X');
  await page.fill('#f-applicant-mobile', '13800138000');
  await page.fill('#f-licence-class', 'C1');
  await page.fill('#f-licence-expiry', '2030-01-01');
  await page.fill('#f-delivery-address', '湖北省武汉市武昌区彭刘杨路3号');
  for (const d of d03.documents) if (d.required) await page.check(`#doc-${d.code}`);
  await page.click('#submit');
  await page.waitForFunction(() => document.querySelector('#f-licence-expiry-msg').textContent !== '');
  expect(await page.getAttribute('#f-licence-expiry', 'aria-invalid') === 'true', 'the expiry field marked by the server');
  await shot(page, 'counter-server-error');
  await page.context().close();
});

await scenario('branch list: today\'s applications and those in correction', async () => {
  const page = await newPage();
  await login(page, 'clerk', '/branch.html');
  await page.locator(`#today tr[data-number="${number}"]`).waitFor();
  await shot(page, 'branch');
  const corr = page.locator('#correction tbody tr');
  if (await corr.count()) {
    await corr.first().locator('button').click();
    await corr.first().locator('.ok').waitFor();
  }
  await page.context().close();
});

async function stationPage(user, station) {
  const page = await newPage();
  await login(page, user, `/station.html?station=${station}`);
  await page.locator('#queue table, #queue p').first().waitFor();
  return page;
}

await scenario('review operator claims and completes it', async () => {
  const api = await apiLogin('review');
  await drainUntil(api, 'review', number);
  const page = await stationPage('review', 'review');
  await shot(page, 'station-review');
  await page.click('#claim-next');
  await page.locator('#current .app-number').waitFor();
  expect((await page.locator('#current .app-number').textContent()) === display, 'the claimed item is ours');
  await shot(page, 'station-review-claimed');
  await clickForOk(page, '#complete', '#station-msg');
  const app = (await clerkApi('GET', `/api/v1/applications/${number}`)).body;
  expect(app.station === d01.route[1], `on to ${d01.route[1]} (got ${app.state}/${app.station})`);
  await page.context().close();
});

await scenario('police approves it', async () => {
  const api = await apiLogin('police');
  await drainUntil(api, 'approval', number);
  const page = await newPage();
  await login(page, 'police', '/police.html');
  await page.locator('#queue table, #queue p').first().waitFor();
  await page.click('#claim-next');
  await page.locator('#approve').waitFor();
  expect((await page.locator('#current .app-number').textContent()) === display, 'the claimed item is ours');
  await page.locator('#history table').waitFor();
  await shot(page, 'police');
  await clickForOk(page, '#approve', '#police-msg');
  // search and history
  await page.fill('#search-input', display);
  await page.press('#search-input', 'Enter');
  await page.locator('#history tbody tr').nth(2).waitFor();
  await shot(page, 'police-search');
  const app = (await clerkApi('GET', `/api/v1/applications/${number}`)).body;
  expect(app.station === d01.route[2], `on to ${d01.route[2]} (got ${app.state}/${app.station})`);
  await page.context().close();
});

// The stations after approval; the first and the last through the scan box.
const rest = d01.route.slice(2);
for (const [i, station] of rest.entries()) {
  const byScan = i === 0 || i === rest.length - 1;
  await scenario(`${station} completes it${byScan ? ' through the scan box' : ''}`, async () => {
    const api = await apiLogin(station);
    await drainUntil(api, station, number);
    const page = await stationPage(station, station);
    if (byScan) {
      await page.locator('#scan-input').focus();
      await page.keyboard.type('NOSUCHNUMBER1');
      await page.keyboard.press('Enter');
      await page.locator('#scan-log li[data-ok="0"]').waitFor();
      await page.keyboard.type(display); // a scanner types the number, then Enter
      await page.keyboard.press('Enter');
      await page.locator('#scan-log li[data-ok="1"]').waitFor();
      expect(await page.locator('#scan-ok-count').textContent() === '1', 'one success');
      expect(await page.locator('#scan-err-count').textContent() === '1', 'one error');
    } else {
      await page.click('#claim-next');
      await page.locator('#complete').waitFor();
      expect((await page.locator('#current .app-number').textContent()) === display, 'the claimed item is ours');
      await clickForOk(page, '#complete', '#station-msg');
    }
    await shot(page, `station-${station}`);
    const app = (await clerkApi('GET', `/api/v1/applications/${number}`)).body;
    const next = rest[i + 1];
    if (next) expect(app.station === next, `on to ${next} (got ${app.state}/${app.station})`);
    else expect(app.state === 'sealed' && /^[A-Z]{2}\d{9}[A-Z]{2}$/.test(app.waybill), `sealed with a waybill (got ${app.state} ${app.waybill})`);
    if (station === 'dispatch') {
      const label = page.locator(`#sealed-list a.print-label[data-number="${number}"]`);
      await label.waitFor();
      expect(await label.getAttribute('target') === '_blank', 'the label opens in a new tab');
      await expectPdf(page, await label.getAttribute('href'), 'the envelope label');
      const manifest = page.locator('#print-manifest');
      expect(await manifest.isVisible(), 'the manifest link');
      expect(await manifest.getAttribute('href') === '/api/v1/manifests/outbound.pdf?date=2026-11-30', `today's manifest (got ${await manifest.getAttribute('href')})`);
      await expectPdf(page, await manifest.getAttribute('href'), 'the outbound manifest');
      await shot(page, 'station-dispatch-print');
    }
    await page.context().close();
  });
}

await scenario('a citizen tracks it on a phone and sees the timeline, in Chinese and English', async () => {
  const page = await newPage({ width: 390, height: 844 });
  await page.goto(`${base}/track.html`);
  await page.fill('#track-number', display);
  await page.fill('#track-last4', '002x');
  await page.press('#track-last4', 'Enter');
  await page.locator('#timeline li').nth(2).waitFor();
  expect((await page.locator('#track-state').textContent()).length > 0, 'a state');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width <= 390, `no sideways scrolling on a phone (width ${width})`);
  await shot(page, 'track-zh');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  expect(/[A-Za-z]/.test(await page.locator('#timeline li').first().textContent()), 'the timeline in English');
  await shot(page, 'track-en');
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#lang-switch').textContent === '中文');
  await page.fill('#track-number', display);
  await page.fill('#track-last4', '0000');
  await page.press('#track-last4', 'Enter');
  await page.waitForFunction(() => document.querySelector('#track-error').textContent !== '');
  await page.context().close();
});

await scenario('the receipt\'s QR link: genuine, genuine but unlike the record, forged', async () => {
  const app = (await clerkApi('GET', `/api/v1/applications/${number}`)).body;
  const date = new Date(Date.parse(app.accepted_at) + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const token = receiptToken(number, date, app.fee_total_fen);
  const check = await (await fetch(`${base}/api/v1/receipts/verify?r=${encodeURIComponent(token)}`)).json();
  expect(check.genuine === true && check.record === 'matches', `the server takes the token (got ${JSON.stringify(check)})`);
  const page = await newPage({ width: 390, height: 844 });
  await page.goto(`${base}/track.html?number=${number}&r=${encodeURIComponent(token)}`);
  await page.locator('#verify.verify-genuine #verify-verdict').waitFor();
  expect(await page.locator('#verify-verdict').textContent() === '本中心出具的真实回执', 'genuine, in Chinese');
  expect(await page.locator('#verify-number').textContent() === number, 'the signed number');
  expect(await page.locator('#verify-date').textContent() === date, 'the signed date');
  expect(await page.locator('#verify-fee').textContent() === `¥${Math.floor(app.fee_total_fen / 100)}.${String(app.fee_total_fen % 100).padStart(2, '0')}`, 'the signed fee');
  expect(await page.locator('#verify-warning').count() === 0, 'no warning when the record matches');
  expect(!(await page.locator('#verify').textContent()).includes('null'), 'nothing printed as "null"');
  expect(await page.inputValue('#track-number') === number, 'the number prefilled');
  await shot(page, 'track-verify');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.querySelector('#verify-verdict').textContent === 'Genuine receipt of this centre');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');

  await page.goto(`${base}/track.html?number=${number}&r=${encodeURIComponent(receiptToken(number, date, app.fee_total_fen + 100))}`);
  await page.locator('#verify.verify-genuine #verify-warning').waitFor();
  expect((await page.locator('#verify-warning').textContent()).includes('不一致'), 'the record differs');
  await shot(page, 'track-verify-differs');

  const parts = token.split('.');
  const forged = [parts[0], parts[1], app.fee_total_fen + 100, parts[3]].join('.'); // the fee altered
  await page.goto(`${base}/track.html?number=${number}&r=${encodeURIComponent(forged)}`);
  await page.locator('#verify.verify-bad #verify-verdict').waitFor();
  expect(await page.locator('#verify-verdict').textContent() === '非本中心出具的回执', 'not genuine, in Chinese');
  expect(await page.locator('#verify-number').count() === 0, 'no signed fields shown');
  await shot(page, 'track-verify-forged');
  await page.goto(`${base}/track.html?number=${number}&r=garbage`);
  await page.locator('#verify.verify-bad').waitFor();
  await page.context().close();
});

await finish('browser');
