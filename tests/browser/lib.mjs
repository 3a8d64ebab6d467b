// lib.mjs — helpers of the browser test: launching Debian's chromium through playwright-core,
// pages that record script errors, login, and waiting for what a user would see.

import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

export const BASE_URL = process.env.BASE_URL;
export const PASSWORD = process.env.JICENG_TEST_PASSWORD;
if (!BASE_URL || !PASSWORD) {
  throw new Error('BASE_URL and JICENG_TEST_PASSWORD must be set: run tests/run-browser.sh');
}

const here = dirname(fileURLToPath(import.meta.url));
export const SHOTS = join(here, 'screenshots');
mkdirSync(SHOTS, {recursive: true});

export const TIMEOUT = 10_000;

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A new context and page. Every script error, CSP violation and console error is recorded in
 * page.problems — except the browser's own "Failed to load resource" lines, which an API answer
 * of 401/400/409 produces on purpose.
 */
export async function openPage(browser, {width = 1280, height = 860, lang} = {}) {
  const context = await browser.newContext({
    viewport: {width, height}, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1,
  });
  context.setDefaultTimeout(TIMEOUT);
  if (lang) {
    await context.addInitScript((l) => window.localStorage.setItem('jiceng.lang', l), lang);
  }
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    if (/Failed to load resource/.test(m.text())) return;
    page.problems.push(`console.${m.type()}: ${m.text()}`);
  });
  return page;
}

export async function login(page, username, password = PASSWORD) {
  await page.goto(BASE_URL + '/');
  await page.locator('form.login-form').waitFor();
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form.login-form button[type="submit"]').click();
  await page.locator('header.topbar').waitFor();
}

/** Waits until `locator` shows text matching `expected` (string: contains; RegExp: matches). */
export async function seeText(locator, expected, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    try {
      last = (await locator.first().innerText({timeout: 500})).trim();
      if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return last;
    } catch (err) {
      /* not there yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`expected ${locator} to show ${expected}, it shows ${JSON.stringify(last)}`);
}

/** A date n days from today in Asia/Shanghai, YYYY-MM-DD. */
export function dayFromToday(n) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + n * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}

export function noProblems(page) {
  assert.deepEqual(page.problems, [], 'the page logged errors');
}

export function shot(page, name, opts = {}) {
  return page.screenshot({path: join(SHOTS, name + '.png'), ...opts});
}
