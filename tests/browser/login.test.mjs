// login.test.mjs — throttling: after repeated wrong passwords the API answers 429 with
// retry_after; the page says so in Chinese and holds the button until the time is up. And a
// session that ends while the page is open leads back to the login, then to the page asked for.

import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {BASE_URL, launch, openPage, login, seeText, noProblems} from './lib.mjs';

let browser;
let page;

before(async () => {
  browser = await launch();
  page = await openPage(browser, {width: 1280, height: 860});
});

after(async () => {
  await browser?.close();
});

test('too many wrong passwords: the wait is shown and the button is held', async () => {
  await page.goto(BASE_URL + '/');
  const alert = page.locator('form.login-form .form-error');
  const submit = page.locator('form.login-form button[type="submit"]');
  let locked = false;
  // 'poverty' is used by no other test; the lock is per user (five failures by default)
  for (let i = 0; i < 8 && !locked; i++) {
    await page.locator('input[name="username"]').fill('poverty');
    await page.locator('input[name="password"]').fill('wrong-' + i);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
      submit.click(),
    ]);
    locked = res.status() === 429;
    if (!locked) await seeText(alert, '用户名或密码错误');
  }
  assert.ok(locked, 'the account was locked (429)');
  // the server's Chinese message names the wait in seconds
  await seeText(alert, /\d+ 秒后再试/);
  assert.equal(await submit.isDisabled(), true, 'the button waits');
  await seeText(submit, /请 \d+ 秒后再试/);
  noProblems(page);
});

test('a session that has ended leads to the login, then back to the page', async () => {
  const other = await openPage(browser, {width: 1280, height: 860});
  await login(other, 'leader2');
  await seeText(other.locator('[data-test="user-name"]'), '陈静');
  await other.context().clearCookies(); // the server forgot us (expired, password reset …)
  await other.locator('nav.sidenav').getByRole('link', {name: '操作日志'}).click();
  await other.locator('form.login-form').waitFor();
  await seeText(other.locator('.notice'), '登录已过期');
  await other.locator('input[name="username"]').fill('leader2');
  await other.locator('input[name="password"]').fill(process.env.JICENG_TEST_PASSWORD);
  await other.locator('form.login-form button[type="submit"]').click();
  await seeText(other.locator('main h1'), '操作日志');
  assert.match(other.url(), /#\/audit$/);
  noProblems(other);
  await other.context().close();
});
