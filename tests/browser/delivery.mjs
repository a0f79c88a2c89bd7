// delivery.mjs — a failed delivery on the pages: an item of the clerk's branch goes out, the
// delivery fails (with the carrier's reason) and it comes back; the branch page lists it under
// 投递异常待联系 with the recipient and the reason, the clerk records the call, and the item's
// timeline (counter, centre, dispatch, carrier) opens in place; in English too.
//
//   node tests/browser/delivery.mjs build/jingyou
import { apiLogin, base, expect, finish, login, newPage, scenario, shot } from './lib.mjs';

const clerkApi = await apiLogin('clerk');
const logistics = await apiLogin('logistics');

// An item of the clerk's branch on its way: shipped, else sealed.
async function itemOnItsWay() {
  for (const state of ['shipped', 'sealed']) {
    const r = await clerkApi('GET', `/api/v1/applications?state=${state}&limit=50`);
    if (r.body.items.length) return r.body.items[0];
  }
  throw new Error('the demo city has no item of the clerk\'s branch on its way');
}

let app = null;
await scenario('the carrier reports a failed delivery and a return (API)', async () => {
  app = await itemOnItsWay();
  const events = [
    { waybill: app.waybill, status: 'shipped', at: '2026-11-30T03:00:00Z', location: '武汉邮区中心局' },
    { waybill: app.waybill, status: 'in_transit', at: '2026-11-30T03:30:00Z', location: '武汉市武昌区' },
    { waybill: app.waybill, status: 'delivery_failed', at: '2026-11-30T04:00:00Z', location: '彭刘杨路营业部', failure_reason: '收件人不在' },
    { waybill: app.waybill, status: 'returned', at: '2026-11-30T04:30:00Z', location: '武汉邮区中心局' },
  ];
  const r = await logistics('POST', '/api/v1/shipments/events', { events });
  expect(r.status === 200, `200 (got ${r.status} ${JSON.stringify(r.body)})`);
  const a = await clerkApi('GET', `/api/v1/applications/${app.number}`);
  expect(a.body.state === 'returned', `returned (got ${a.body.state})`);
});

await scenario('the branch page lists it; the clerk records the call; the timeline opens', async () => {
  const page = await newPage();
  await login(page, 'clerk', '/branch.html');
  const item = page.locator(`#attention li[data-number="${app.number}"]`);
  await item.waitFor();
  const text = await item.textContent();
  expect(text.includes('收件人不在'), `the carrier's reason shown (got ${text})`);
  expect(text.includes(app.waybill), 'the item number shown');
  await item.locator('input').fill('已联系申请人，明日上午在家');
  await item.locator('button.primary').click();
  await item.locator('[role=status].ok').waitFor();
  await item.locator('button:not(.primary)').click();
  await item.locator('.staff-timeline li[data-kind="carrier"][data-code="in_transit"]').waitFor();
  const kinds = await item.locator('.staff-timeline li').evaluateAll((ls) => ls.map((l) => l.dataset.kind));
  for (const k of ['counter', 'centre', 'dispatch', 'carrier']) expect(kinds.includes(k), `a ${k} entry (got ${kinds})`);
  const contacted = item.locator('.staff-timeline li[data-code="applicant_contacted"]');
  expect((await contacted.textContent()).includes('明日上午在家'), 'the call recorded on the timeline');
  await shot(page, 'branch-delivery');
  await page.click('#lang-switch');
  await page.waitForFunction(() => /follow up/.test(document.body.textContent));
  await item.locator('button:not(.primary)').click(); // the list is drawn again in English
  await item.locator('.staff-timeline li[data-code="in_transit"]').filter({ hasText: 'In transit' }).waitFor();
  await shot(page, 'branch-delivery-en');
  await page.context().close();
});

await finish('delivery');
