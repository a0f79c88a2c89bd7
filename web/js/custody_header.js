// custody_header.js — the header the custody pages share (bag, reception, dispatch,
// discrepancies): the application's name, the links to the counter's and the custody pages, who
// is logged in, log out and the language switch. Put at the top of <body> when imported, so the
// page's own module imports it first: initI18n() and requireSession() (common.js) then translate
// and fill it as they do a header written in the page.
import { el } from './common.js';

// [page, message key, Chinese text shown before the messages load]
const LINKS = [
  ['counter', 'nav.counter', '受理'],
  ['branch', 'nav.branch', '本网点'],
  ['bag', 'nav.bag', '封袋'],
  ['reception', 'nav.reception', '交接扫描'],
  ['station', 'nav.station', '工作台'],
  ['dispatch', 'nav.dispatch', '封发批次'],
  ['police', 'nav.police', '民警'],
  ['discrepancies', 'nav.discrepancies', '交接差异'],
  ['track', 'nav.track', '查询'],
];

export function custodyHeader() {
  return el('header', { class: 'top' },
    el('h1', {}, el('a', { href: '/', 'data-i18n': 'app.name' }, '警邮')),
    el('nav', { 'aria-label': 'pages', 'data-i18n-aria-label': 'nav.label' },
      LINKS.map(([page, key, text]) => el('a', { href: `/${page}.html`, 'data-i18n': key }, text))),
    el('span', { class: 'spacer' }),
    el('span', { id: 'who' }),
    el('button', { type: 'button', id: 'logout', hidden: true, 'data-i18n': 'nav.logout' }, '退出'),
    el('button', { type: 'button', id: 'lang-switch' }, 'English'));
}

document.body.prepend(custodyHeader());
