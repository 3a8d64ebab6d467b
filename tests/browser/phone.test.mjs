// phone.test.mjs — the ledger on a 375×812 phone: collapsible menu, tasks as cards.

import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {launch, openPage, login, seeText, noProblems, shot} from './lib.mjs';

let browser;
let page;

before(async () => {
  browser = await launch();
  page = await openPage(browser, {width: 375, height: 812});
});

after(async () => {
  await browser?.close();
});

test('on a phone the list shows tasks as cards and the menu folds away', async () => {
  await login(page, 'leader');
  await page.locator('.stats').waitFor();
  await page.locator('table.task-table tbody tr').first().waitFor();

  const menu = page.locator('button.menu-btn');
  assert.ok(await menu.isVisible(), 'the menu button is shown');
  assert.equal(await page.locator('nav.sidenav').isVisible(), false, 'the navigation is folded away');
  assert.equal(await page.locator('table.task-table thead').isVisible(), false, 'no table header on a phone');
  const row = page.locator('table.task-table tbody tr').first();
  assert.equal(await row.evaluate((el) => getComputedStyle(el).display), 'block', 'rows are cards');
  const box = await row.boundingBox();
  assert.ok(box.width <= 375, 'a card fits the screen');
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 375, `no sideways scrolling (page is ${scrollWidth}px wide)`);
  // each card labels its values
  const stateCell = row.locator('td', {has: page.locator('.badge[data-state]')});
  assert.equal(await stateCell.getAttribute('data-label'), '状态');
  await shot(page, 'list-phone');

  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  const nav = page.locator('nav.sidenav');
  await seeText(nav, '四个一常态化工作');
  await shot(page, 'menu-phone');
  await nav.getByRole('link', {name: '四个一常态化工作'}).click();
  await seeText(page.locator('main h1'), '四个一常态化工作');
  assert.equal(await nav.isVisible(), false, 'the menu closes after choosing a page');
  noProblems(page);
});
