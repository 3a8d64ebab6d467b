// admin.test.mjs — what an administrator sees: the users page, a new user, and a child area.

import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {BASE_URL, launch, openPage, login, seeText, noProblems} from './lib.mjs';

let browser;
let page;
const stamp = Date.now().toString(36).slice(-5);

before(async () => {
  browser = await launch();
  page = await openPage(browser, {width: 1280, height: 860, lang: 'en'});
});

after(async () => {
  await browser?.close();
});

test('the administrator (in English) creates a user; a bad phone number is marked', async () => {
  await login(page, 'admin');
  await seeText(page.locator('[data-test="user-roles"]'), 'administrator');
  await page.locator('nav.sidenav').getByRole('link', {name: 'Users'}).click();
  await seeText(page.locator('main table'), 'leader');
  await page.getByRole('link', {name: 'New user'}).click();
  const form = page.locator('main form.form-grid');
  await form.locator('input[name="username"]').fill('grid' + stamp);
  await form.locator('input[name="display_name"]').fill('测试网格员' + stamp);
  await form.locator('input[name="password"]').fill('a-long-password-1');
  await form.locator('input[name="phone"]').fill('12345');
  await form.getByLabel('grid worker').check();
  await form.getByLabel('永安街社区第一网格 (410104007001001)').check();
  await form.locator('button[type="submit"]').click();
  await seeText(form.getByRole('alert'), /phone/i);
  assert.equal(await form.locator('input[name="phone"]').getAttribute('aria-invalid'), 'true');
  await form.locator('input[name="phone"]').fill('13912345678');
  await form.locator('button[type="submit"]').click();
  await seeText(page.locator('.notice'), 'created');
  await seeText(page.locator('main table'), '测试网格员' + stamp);
});

test('the administrator adds a grid under a community and renames it', async () => {
  await page.goto(BASE_URL + '/#/areas');
  const node = page.locator('li[data-code="410104007003"]');
  await node.locator(':scope > .node').getByRole('button', {name: 'Add child'}).click();
  const form = node.locator('form.inline-form');
  const code = await form.locator('input[name="code"]').inputValue();
  assert.match(code, /^410104007003\d{3}$/, 'the next free grid code is filled in');
  await form.locator('input[name="name"]').fill('二里岗社区第一网格');
  await form.locator('button[type="submit"]').click();
  await seeText(page.locator('.notice'), 'added');
  const grid = page.locator(`li[data-code="${code}"]`);
  await seeText(grid, '二里岗社区第一网格');
  await grid.getByRole('button', {name: 'Rename'}).click();
  await grid.locator('input[name="name"]').fill('二里岗社区一号网格');
  await grid.locator('button[type="submit"]').click();
  await seeText(page.locator(`li[data-code="${code}"] .node-name`), '二里岗社区一号网格');
  noProblems(page);
});
