// home.test.mjs — after login each person lands on the page made for their work: the leader on
// the ledger, the party-building instructor on 两新党建.

import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {launch, openPage, login, noProblems} from './lib.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

for (const [user, path, nav] of [['leader', '#/ledger', '党建工作台账'], ['instructor', '#/party', '两新党建']]) {
  test(`${user} lands on ${path}`, async () => {
    const page = await openPage(browser, {width: 1280, height: 860});
    await login(page, user);
    await page.waitForFunction((p) => window.location.hash.startsWith(p), path, {timeout: 10_000});
    assert.ok(page.url().includes(path), page.url());
    const active = page.locator('nav a[aria-current="page"], nav .nav-link.active').first();
    assert.match(await active.innerText(), new RegExp(nav));
    noProblems(page);
    await page.close();
  });
}
