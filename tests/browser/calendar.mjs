// calendar.mjs — next year's holiday arrangement loaded into a running server from the admin's
// page. The server's clock is 2026-12-29 (Tuesday): the built-in calendar ends in 3 days, so the
// landing page and the admin's calendar page show the banner (zh, then en), and a D01 intake
// (3 working days) is refused. The admin uploads the 2027 test fixture (tests/data), the banner
// goes at once on the calendar page and on the landing page, and the same intake is accepted
// with its due date counted over the fixture's New Year's Day. A second upload without Replace
// is refused with the reason shown; a clerk does not get the page.
//
//   node tests/browser/calendar.mjs build/jingyou
process.env.JY_BROWSER_CLOCK = '2026-12-29T02:00:00Z';
const { apiLogin, base, expect, finish, login, newPage, root, scenario, shot } = await import('./lib.mjs');
const path = await import('node:path');

const fixture = path.join(root, 'tests', 'data', 'calendar_2027_fixture.csv');
const clerkApi = await apiLogin('clerk');
const d01 = {
  business_type: 'D01',
  applicant: { name: '孙七', id_type: 'resident_id', id_number: '420106197511200041', mobile: '18602700000' },
  licence: { number: '420106197511200041', class: 'C2' },
  delivery: { recipient: '孙七', mobile: '18602700000', address: '湖北省武汉市江汉区新华路218号', postcode: '430022' },
  documents: ['id_card', 'photo', 'application_form', 'loss_statement'],
};

await scenario('the landing page warns that 2027 is missing, in zh and en', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  const banner = page.locator('#calendar-warning');
  await banner.waitFor();
  const zh = await banner.textContent();
  expect(zh.includes('2027 年节假日安排尚未导入，3 天后起无法计算办结时限'), `the Chinese warning (got ${zh})`);
  expect((await page.locator('.landing a[href="/calendar.html"]').count()) === 1, 'a link to the calendar page');
  expect((await page.locator('.landing a').count()) >= 6, 'the links to every page still there');
  await shot(page, 'calendar-warning-index');
  await page.click('#lang-switch');
  await page.waitForFunction(() => /has not been loaded/.test(document.querySelector('#calendar-warning').textContent));
  const en = await banner.textContent();
  expect(en.includes('The 2027 public holiday arrangement has not been loaded') && en.includes('3 days'), `the English warning (got ${en})`);
  await page.context().close();
});

await scenario('before the load, an intake running into 2027 is refused', async () => {
  const r = await clerkApi('POST', '/api/v1/applications', d01);
  expect(r.status === 422 && r.body.error.code === 'calendar_year_missing', `422 calendar_year_missing (got ${r.status} ${JSON.stringify(r.body)})`);
});

await scenario('a clerk does not get the calendar page', async () => {
  const page = await newPage();
  await login(page, 'clerk', '/calendar.html');
  await page.locator('main .error').waitFor();
  expect((await page.locator('#cal-form').count()) === 0, 'no upload form');
  await page.context().close();
});

await scenario('the admin uploads the 2027 file; the banner goes; a second upload needs Replace', async () => {
  const page = await newPage();
  await login(page, 'admin', '/calendar.html');
  await page.locator('#cal-years tbody tr[data-year="2026"]').waitFor();
  await page.locator('#calendar-warning').waitFor();
  expect((await page.locator('#cal-years tbody tr').count()) === 2, 'two years covered, both built in');
  expect((await page.locator('#cal-coverage').textContent()).includes('2026-12-31'), 'covered up to 2026-12-31');
  expect(await page.inputValue('#cal-year') === '2027', 'the missing year proposed');
  await shot(page, 'calendar-before');
  await page.setInputFiles('#cal-file', fixture);
  await page.fill('#cal-source', '测试数据 TEST FIXTURE');
  await page.click('#cal-form button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#cal-msg').className === 'ok');
  expect((await page.locator('#cal-msg').textContent()).includes('2027'), 'the load reported');
  expect((await page.locator('#calendar-warning').count()) === 0, 'the banner is gone');
  const row = page.locator('#cal-years tbody tr[data-year="2027"]');
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  expect(cells[1] === '导入' && cells[2] === '30' && cells[3] === 'admin' && cells[5] === '测试数据 TEST FIXTURE',
    `the 2027 row: loaded, 30 days, by admin, from the notice (got ${cells.join(' | ')})`);
  expect((await page.locator('#cal-coverage').textContent()).includes('2027-12-31'), 'covered up to 2027-12-31');
  await shot(page, 'calendar-after');

  await page.setInputFiles('#cal-file', fixture);
  await page.click('#cal-form button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#cal-msg').className === 'error');
  expect((await page.locator('#cal-msg').textContent()).includes('已导入'), 'already loaded, in words');
  await page.context().close();
});

await scenario('after the load: no banner on the landing page, the intake is accepted', async () => {
  const page = await newPage();
  const health = page.waitForResponse((r) => r.url().endsWith('/healthz'));
  await page.goto(`${base}/`);
  await health;
  await page.waitForTimeout(200);
  expect((await page.locator('#calendar-warning').count()) === 0, 'no banner');
  await page.context().close();
  const r = await clerkApi('POST', '/api/v1/applications', d01);
  // Tue 12-29: 12-30, 12-31, then the fixture's 2027-01-01 off and the weekend: Mon 01-04.
  expect(r.status === 201 && r.body.due_date === '2027-01-04', `201 due 2027-01-04 (got ${r.status} ${JSON.stringify(r.body).slice(0, 200)})`);
});

await finish('calendar');
