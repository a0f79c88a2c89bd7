// reception.mjs — hand-over scanning in a real browser. The clerk of 彭刘杨路 takes three
// applications and closes the branch's bag from the bag page (its manifest a PDF); a clerk of
// another branch takes one more. At the centre, logistics opens the bag on the reception page and
// scans into the box, which keeps the focus: two files of the bag (one in its display form), the
// other branch's file (extra: shown in colour), one file again (duplicate); the counts move with
// each scan. Closing the reception lists exactly what is missing, extra and scanned twice; the
// police see them on the discrepancy page and resolve the missing one as lost; the dispatch page
// shows the S10 numbers left. Screenshots go to build/screens/.
//
//   node tests/browser/reception.mjs build/jingyou
import {
  apiLogin, base, expect, expectPdf, finish, login, newPage, scenario, shot,
} from './lib.mjs';

const clerkApi = await apiLogin('clerk');
const clerk2Api = await apiLogin('clerk2');
const d01 = (name) => ({
  business_type: 'D01',
  applicant: { name, id_type: 'resident_id', id_number: '420106198001010015', mobile: '13871000003' },
  licence: { number: '420106198001010015', class: 'C1' },
  delivery: { recipient: name, mobile: '13871000003', address: '湖北省武汉市武昌区中南路99号', postcode: '430071' },
  documents: ['id_card', 'photo', 'application_form', 'loss_statement'],
});
const files = [];
let extra = null;
let seal = null;

await scenario('the clerk closes the bag of three files and prints its manifest', async () => {
  for (const n of ['赵一', '钱二', '孙三']) {
    const r = await clerkApi('POST', '/api/v1/applications', d01(n));
    expect(r.status === 201, `intake ${n} (${r.status})`);
    files.push(r.body);
  }
  const page = await newPage();
  await login(page, 'clerk', '/bag.html');
  await page.waitForFunction(() => /3/.test(document.querySelector('#next').textContent));
  await shot(page, 'bag-before');
  const popup = page.context().waitForEvent('page');
  await page.click('#close-bag');
  await page.waitForFunction(() => document.querySelector('#bag-msg').className === 'ok');
  (await popup).close();
  seal = (await page.locator('#bag-msg').textContent()).match(/WH001-\d{8}-\d+/)[0];
  await page.locator(`#bag-table tr[data-seal="${seal}"]`).waitFor();
  await expectPdf(page, await page.locator(`#bag-table tr[data-seal="${seal}"] a.print-manifest`).getAttribute('href'), 'the bag manifest');
  expect(await page.locator('#close-bag').isDisabled(), 'nothing left to close');
  await shot(page, 'bag-closed');
  await page.context().close();
  const r = await clerk2Api('POST', '/api/v1/applications', d01('李四'));
  expect(r.status === 201, 'the other branch takes one');
  extra = r.body;
});

await scenario('logistics scans 2 of 3, one unexpected and one twice, closes, sees the discrepancies', async () => {
  const page = await newPage();
  await login(page, 'logistics');
  expect(page.url().endsWith('/reception.html'), `logistics lands on reception (at ${page.url()})`);
  await page.locator(`#handover-select option[value="${seal}"]`).waitFor({ state: 'attached' });
  await page.selectOption('#handover-select', seal);
  await page.click('#open');
  await page.waitForFunction(() => document.querySelector('#expected-count').textContent === '3');
  await page.locator('#scan-input:focus').waitFor();
  const scan = async (code, n) => {
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await page.waitForFunction((k) => document.querySelectorAll('#scan-log li').length === k, n);
  };
  await scan(files[0].display_number, 1);
  await scan(files[1].number, 2);
  expect(await page.locator('#received-count').textContent() === '2', 'two of three received');
  await scan(extra.number, 3);
  const last = page.locator('#scan-log li').first();
  expect(await last.getAttribute('data-outcome') === 'extra', 'the other branch\'s file is extra');
  expect(await last.getAttribute('class') === 'warn', 'shown in colour');
  expect(await page.locator('#extra-count').textContent() === '1', 'one extra');
  await scan(files[0].number, 4);
  expect(await page.locator('#scan-log li').first().getAttribute('data-outcome') === 'duplicate', 'scanned twice');
  expect(await page.locator('#received-count').textContent() === '2', 'still two received');
  await page.locator('#scan-input:focus').waitFor(); // the box kept the focus through it all
  await scan('WH-000000-00000-0', 5);
  expect(await page.locator('#scan-log li').first().getAttribute('data-outcome') === 'error', 'a bad number');
  expect(await page.locator(`#items-table tr[data-number="${files[1].number}"]`).getAttribute('class') === 'ok', 'b marked in');
  await shot(page, 'reception-scanning');
  await page.click('#close');
  await page.locator('#discrepancy-list').waitFor();
  const got = await page.$$eval('#discrepancy-list li', (ls) => ls.map((l) => `${l.dataset.kind}:${l.dataset.number}`).sort());
  const want = [`missing:${files[2].number}`, `extra:${extra.number}`, `duplicate:${files[0].number}`].sort();
  expect(JSON.stringify(got) === JSON.stringify(want), `exactly ${want} (got ${got})`);
  expect(await page.locator('#scan-input').isDisabled(), 'the box closes with the reception');
  await shot(page, 'reception-closed');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.querySelector('#open').textContent === 'Start receiving');
  await page.context().close();
});

await scenario('the police resolve the missing file as lost; dispatch shows the numbers left', async () => {
  const page = await newPage();
  await login(page, 'police', '/discrepancies.html');
  const row = page.locator('#disc-table tr[data-kind="missing"]').first();
  await row.waitFor();
  const id = await row.getAttribute('data-id');
  await page.selectOption(`#res-${id}`, 'lost');
  await page.fill(`#note-${id}`, '已电话通知申请人补交');
  await page.click(`#disc-table tr[data-id="${id}"] button`);
  await page.waitForFunction(() => document.querySelector('#disc-msg').className === 'ok');
  expect(await page.locator(`#disc-table tr[data-id="${id}"]`).count() === 0, 'no longer open');
  await shot(page, 'discrepancies');
  const police = await apiLogin('police');
  const a = await police('GET', `/api/v1/applications/${files[2].number}`);
  expect(a.body.custody.paper_file === 'lost', 'the application is flagged lost');
  await page.context().close();

  const d = await newPage();
  await login(d, 'dispatch', '/dispatch.html');
  await d.waitForFunction(() => document.querySelector('#s10-left').textContent !== '');
  expect(Number(await d.locator('#s10-left').textContent()) > 90000, 'numbers left shown');
  expect(await d.locator('#s10-warning').isHidden(), 'no low-stock warning');
  await shot(d, 'dispatch');
  await d.context().close();
});

await finish('browser.reception');
