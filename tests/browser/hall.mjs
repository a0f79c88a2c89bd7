// hall.mjs — the hall queue in a real browser: a citizen takes a fines ticket at the kiosk
// (touch, no login, Chinese then English), the slip is a PDF; the display page is open on the
// TV; the clerk at window 5 (fines first) finishes the ticket the demo morning left in hand and
// calls the next — the kiosk's ticket — and the display shows its number and window within a
// moment, with a chime; the window opens the counter's intake form for the caller; the slip's
// status page says where to go. Screenshots in build/screens/hall-*.png.
//
//   node tests/browser/hall.mjs build/jingyou
import {
  base, expect, expectPdf, finish, login, newPage, scenario, shot,
} from './lib.mjs';

let number = null;
let display = null;

await scenario('the display page connects to the live stream and shows the morning\'s calls', async () => {
  display = await newPage({ width: 1920, height: 1080 });
  await display.goto(`${base}/display.html`);
  await display.waitForFunction(() => document.getElementById('status').dataset.state === 'live');
  await display.waitForFunction(() => document.getElementById('latest-number').textContent !== '—');
  expect((await display.locator('#history li').count()) >= 3, 'a history of the demo morning\'s calls');
  await shot(display, 'hall-display-before');
});

await scenario('kiosk: a tap on 违法处理/罚款 takes ticket C004, nobody ahead; the slip is a PDF; English', async () => {
  const page = await newPage({ width: 1080, height: 1920 });
  await page.goto(`${base}/kiosk.html`);
  const fines = page.locator('button[data-category="fines"]');
  await fines.waitFor();
  expect((await fines.textContent()).includes('违法处理/罚款'), 'the button in Chinese first');
  await shot(page, 'hall-kiosk');
  await fines.click();
  await page.locator('#ticket:not([hidden])').waitFor();
  number = (await page.textContent('#ticket-number')).trim();
  expect(number === 'C004', `ticket C004 (got ${number})`);
  expect((await page.textContent('#ticket-ahead')).includes('0 人'), 'nobody waits ahead');
  await expectPdf(page, await page.getAttribute('#ticket-print', 'href'), 'the slip');
  await shot(page, 'hall-kiosk-ticket');
  await page.click('#ticket-done');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.querySelector('button[data-category="fines"]').textContent.includes('Violations'));
  await page.context().close();
});

await scenario('window 5 finishes its ticket in hand, calls the kiosk\'s ticket, and the display shows it', async () => {
  const page = await newPage();
  await login(page, 'window5', '/window.html');
  await page.selectOption('#window-select', '5');
  await page.waitForFunction(() => document.getElementById('current-number').textContent === 'C003');
  expect(await page.isDisabled('#act-call'), 'no call while a ticket is in hand');
  expect(await page.isDisabled('#act-skip'), 'no skip before two recalls');
  await page.click('#act-start');
  await page.waitForFunction(() => !document.getElementById('act-finish').disabled);
  await page.click('#act-finish');
  await page.waitForFunction(() => !document.getElementById('act-call').disabled);
  const chimesBefore = Number(await display.evaluate(() => document.body.dataset.chimes || '0'));
  await page.click('#act-call');
  await page.waitForFunction((n) => document.getElementById('current-number').textContent === n, number);
  await display.waitForFunction((n) => document.getElementById('latest-number').textContent === n, number,
    { timeout: 5000 });
  expect((await display.textContent('#latest-window')).includes('5号窗口'), 'the display names window 5');
  const chimes = Number(await display.evaluate(() => document.body.dataset.chimes || '0'));
  expect(chimes === chimesBefore + 1, `one chime for the call (${chimesBefore} → ${chimes})`);
  await shot(display, 'hall-display');

  await page.click('#act-recall');
  await display.waitForFunction((c) => Number(document.body.dataset.chimes) === c + 1, chimes);
  await page.waitForFunction(() => document.getElementById('current-info').textContent.includes('1'));
  await page.waitForSelector('#figures-categories tr:nth-child(4)');
  await shot(page, 'hall-window');

  const href = await page.getAttribute('#act-intake', 'href');
  expect(href === `/counter.html?ticket=${number}`, `the intake link carries the ticket (${href})`);
  await page.click('#act-intake');
  await page.waitForFunction((n) => (document.getElementById('hall-ticket') || {}).textContent?.includes(n), number);
  await shot(page, 'hall-counter');
  await page.context().close();
});

await scenario('the slip\'s QR page says which window to go to; the display in English', async () => {
  const page = await newPage({ width: 390, height: 844 });
  await page.goto(`${base}/ticket.html?number=${number}&date=2026-11-30`);
  await page.waitForFunction(() => document.getElementById('ticket-status').textContent.includes('5 号窗口'));
  await shot(page, 'hall-ticket');
  await page.context().close();
  await display.click('#lang-switch');
  await display.waitForFunction(() => document.getElementById('latest-window').textContent === 'Please go to Window 5');
  expect((await display.textContent('#latest-window-en')).includes('5号窗口'), 'the Chinese under the English');
  await display.context().close();
});

await finish('hall');
