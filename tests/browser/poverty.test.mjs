// poverty.test.mjs — a small 回头看 campaign run end to end in the browser: a household registered
// through the form, a step refused during its 公示, a campaign started over one village, one
// finding of each type recorded, approved by the administrator and applied by the officer (the
// 新识别 after its 公示), the report sentence generated from the records, and the wrong exit
// rolled back in the household's history; the workspace on a phone and in English.

import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {BASE_URL, PASSWORD, launch, openPage, login, seeText, noProblems, shot, dayFromToday} from './lib.mjs';

const TOWN = '410181110000';
const REGISTERED = '建档立卡贫困户';
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
let seq = 100;
function cid(birth, sex) {
  seq += 1;
  const first = `410122${birth.replaceAll('-', '')}${String(seq * 2 + (sex === 1 ? 1 : 0)).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first[i]) * W[i];
  return first + '10X98765432'[sum % 11];
}

/** A tiny API client for the set-up the test does not need to click through. */
async function apiLogin(username) {
  const res = await fetch(`${BASE_URL}/api/v1/session`, {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({username, password: PASSWORD})});
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const call = async (method, path, body) => {
    const r = await fetch(BASE_URL + path, {method, headers: {Cookie: cookie, 'Content-Type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body)});
    const json = await r.json();
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {get: (p) => call('GET', p), post: (p, b) => call('POST', p, b)};
}

let browser, page, adminPage;
// an officer of its own: login.test.mjs locks the demo user `poverty` on purpose
const OFFICER = 'pvofficer' + Date.now().toString(36);
let V, A, B, C, D;
let reviewUrl;
const dialog = () => page.locator('dialog[open]');

/** Waits until `locator` matches n elements (the page redraws after each action). */
async function count(locator, n, timeout = 10000) {
  const end = Date.now() + timeout;
  let got = -1;
  while (Date.now() < end) {
    got = await locator.count();
    if (got === n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`expected ${n} of ${locator}, found ${got}`);
}

before(async () => {
  browser = await launch();
  page = await openPage(browser, {width: 1280, height: 900});
  const admin = await apiLogin('admin');
  await admin.post('/api/v1/users', {username: OFFICER, display_name: '钱卫民(驻村工作队)', password: PASSWORD,
    roles: ['poverty_officer'], areas: [TOWN]});
  const officer = await apiLogin(OFFICER);
  for (let n = 301; n < 399 && !V; n++) {
    try {
      await admin.post('/api/v1/areas', {code: `410181110${n}`, parent: TOWN, name: '浏览器测试村', kind: '村'});
      V = `410181110${n}`;
    } catch (err) {
      /* taken: the next code */
    }
  }
  const hh = (tags, persons) => officer.post('/api/v1/poverty/households', {area: V, tags, effective_date: dayFromToday(-60), persons});
  const step = async (h, status, kind, noticeAgo, ago) => {
    if (noticeAgo) await officer.post('/api/v1/poverty/notices', {household_id: h.id, target_status: status, target_kind: kind, start_date: dayFromToday(-noticeAgo)});
    const cur = await officer.get(`/api/v1/poverty/households/${h.id}`);
    return officer.post(`/api/v1/poverty/households/${h.id}/status`, {status, kind, effective_date: dayFromToday(-ago), reason: '测试', version: cur.version});
  };
  A = await hh([REGISTERED], [{name: '岳大山', citizen_id: cid('1962-03-04', 1), relation: '户主'}, {name: '韦秀兰', citizen_id: cid('1964-05-06', 2), relation: '配偶'}]);
  B = await hh([REGISTERED], [{name: '桂长林', citizen_id: cid('1970-01-02', 1), relation: '户主'}, {name: '桂小红', citizen_id: cid('1995-02-03', 2), relation: '女'}, {name: '桂小刚', citizen_id: cid('1998-04-05', 1), relation: '子'}]);
  C = await hh(['低保户'], [{name: '柴永福', citizen_id: cid('1958-06-07', 1), relation: '户主'}, {name: '柴小军', citizen_id: cid('1985-08-09', 1), relation: '子'}, {name: '姚桂芝', citizen_id: cid('1932-10-11', 2), relation: '母亲'}]);
  D = await hh(['残疾人户'], [{name: '牛守义', citizen_id: cid('1968-12-13', 1), relation: '户主'}]);
  for (const h of [A, B]) {
    await step(h, 'poor', 'general', 50, 42);
    await step(h, 'exited', '', 30, 22);
  }
  await step(A, 'stable', '', 0, 5);
});

after(async () => {
  await browser?.close();
});

test('the officer registers a household through the form', async () => {
  await login(page, OFFICER);
  await page.goto(BASE_URL + '/#/poverty');
  await page.locator('table.pv-stats-table').waitFor();
  await seeText(page.locator('main h1'), '扶贫档案');
  assert.ok(await page.locator(`table.pv-stats-table tr[data-village="${V}"]`).count(), 'the new village is counted');
  await page.getByRole('link', {name: '登记新户'}).click();
  await seeText(page.locator('main h1'), '登记新户');
  const form = page.locator('main form.form-grid');
  await form.locator('select[name="area"]').selectOption(V);
  await form.locator('input[name="address"]').fill('浏览器测试村五组');
  await form.locator('.check-group[name="tags"] label', {hasText: '大病户'}).locator('input').check();
  const rows = form.locator('.pv-person-row');
  await rows.nth(0).locator('input[name="name"]').fill('童守田');
  // a wrong check digit first: the field is marked
  const good = cid('1966-07-08', 1);
  await rows.nth(0).locator('input[name="citizen_id"]').fill(good.slice(0, 17) + (good[17] === '1' ? '2' : '1'));
  await rows.nth(1).locator('input[name="name"]').fill('苗凤英');
  await rows.nth(1).locator('input[name="citizen_id"]').fill(cid('1967-09-10', 2));
  await form.locator('button[type="submit"]').click();
  await seeText(form.getByRole('alert'), '校验码');
  assert.equal(await rows.nth(0).locator('input[name="citizen_id"]').getAttribute('aria-invalid'), 'true');
  await rows.nth(0).locator('input[name="citizen_id"]').fill(good);
  await form.locator('button[type="submit"]').click();
  await page.waitForURL(/#\/poverty\/households\/\d+$/);
  await seeText(page.locator('main h1'), '童守田家');
  await seeText(page.locator('table.pv-members'), good);
  await seeText(page.locator('[data-test="hh-status"]'), '未识别');
  await shot(page, 'poverty-household');
});

test('a step during its 公示 is refused with the day it may proceed', async () => {
  await page.locator('button[data-action="notice"]').click();
  await dialog().locator('select[name="target_status"]').selectOption('poor');
  await dialog().locator('button[type="submit"]').click();
  await seeText(page.locator('.pv-notice'), '公示中');
  await page.locator('button[data-action="status"]').click();
  await dialog().locator('select[name="status"]').selectOption('poor');
  await seeText(dialog().locator('.pv-notice-hint'), '须先公示7天');
  await dialog().locator('textarea[name="reason"]').fill('因病致贫');
  await dialog().locator('button[type="submit"]').click();
  await seeText(dialog().getByRole('alert'), `须于 ${dayFromToday(7)} 起方可办理`);
  await shot(page, 'poverty-notice-refused');
  await dialog().getByRole('button', {name: '取消'}).click();
  await seeText(page.locator('[data-test="hh-status"]'), '未识别');
});

test('the officer starts a campaign over the village', async () => {
  await page.locator('nav.sidenav').getByRole('link', {name: '回头看排查'}).click();
  await seeText(page.locator('main h1'), '回头看排查');
  await seeText(page.locator('table.pv-reviews'), '2020年脱贫攻坚“回头看”排查');
  const form = page.locator('main form.form-grid');
  await form.locator('input[name="name"]').fill('浏览器测试村“回头看”');
  await form.locator('select[name="area"]').selectOption(V);
  await form.locator('input[name="end_date"]').fill(dayFromToday(30));
  await form.locator('button[type="submit"]').click();
  await page.waitForURL(/#\/poverty\/reviews\/\d+/);
  reviewUrl = page.url();
  await seeText(page.locator('main h1'), '浏览器测试村“回头看”');
  await seeText(page.locator('[data-test="review-text"]'), '对1个行政村进行排查,对3户十类重点户和2户建档立卡贫困户重点关注。未排查出问题。');
  assert.equal(await page.locator('table.pv-checks tbody tr').count(), 5);
});

async function findingFor(household, fill) {
  const before = await page.locator('table.pv-queue tbody tr').count();
  await page.locator(`tr[data-household="${household}"] button[data-action="finding"]`).click();
  await dialog().waitFor();
  await fill(dialog());
  await dialog().locator('button[type="submit"]').click();
  await count(page.locator('table.pv-queue tbody tr'), before + 1);
  await seeText(page.locator('.notice'), '已记录为草稿');
}

test('one finding of each type is recorded in the workspace', async () => {
  const checks = page.locator('table.pv-checks');
  await checks.locator('tr', {hasText: '童守田'}).locator('button[data-action="check"]').click();
  await seeText(page.locator('.notice'), '已记录排查结果');
  await findingFor(C.id, async (d) => {
    await d.locator('select[name="type"]').selectOption('decrease');
    const mother = d.locator('.pv-leave-row', {hasText: '姚桂芝'});
    await mother.locator('input[type="checkbox"]').check();
    await mother.locator('select[name="reason"]').selectOption('deceased');
    await mother.locator('input[name="date"]').fill(dayFromToday(-3));
    await d.locator('textarea[name="description"]').fill('母亲病故,户籍已注销');
  });
  await findingFor(D.id, async (d) => {
    await d.locator('select[name="type"]').selectOption('missed');
    const row = d.locator('.pv-person-row').first();
    await row.locator('input[name="name"]').fill('牛小川');
    await row.locator('input[name="citizen_id"]').fill(cid('2003-03-15', 1));
    await row.locator('select[name="relation"]').selectOption('子');
    await d.locator('textarea[name="description"]').fill('儿子未登记入户');
  });
  await findingFor(B.id, async (d) => {
    await d.locator('select[name="type"]').selectOption('wrong_assess');
    await d.locator('textarea[name="description"]').fill('识别时家庭收入高于扶贫标准');
  });
  await findingFor(A.id, async (d) => {
    await d.locator('select[name="type"]').selectOption('wrong_exit');
    await d.locator('textarea[name="description"]').fill('户主因病丧失劳动能力,不符合稳定脱贫条件');
  });
  await page.locator('button[data-action="new-household"]').click();
  await dialog().waitFor();
  await dialog().locator('select[name="payload.household.area"]').selectOption(V);
  await dialog().locator('input[name="payload.household.address"]').fill('浏览器测试村六组');
  const rows = dialog().locator('.pv-person-row');
  await rows.nth(0).locator('input[name="name"]').fill('宫德顺');
  await rows.nth(0).locator('input[name="citizen_id"]').fill(cid('1971-05-20', 1));
  await rows.nth(1).locator('input[name="name"]').fill('宫秀英');
  await rows.nth(1).locator('input[name="citizen_id"]').fill(cid('1973-06-21', 2));
  await dialog().locator('textarea[name="description"]').fill('因灾致贫,经评议拟新识别为贫困户');
  await dialog().locator('button[type="submit"]').click();
  await seeText(page.locator('.notice'), '已记录为草稿');
  await seeText(page.locator('[data-test="review-text"]'),
    '共排查新识别1户2人、人口自然减少1人、漏登1人、错评1户3人、标注稳定脱贫错误需回退1户2人。');
  assert.equal(await page.locator('table.pv-queue tbody tr').count(), 5);
  for (let i = 1; i <= 5; i++) {
    await page.locator('table.pv-queue tr[data-state="draft"] button[data-action="submit"]').first().click();
    await count(page.locator('table.pv-queue tr[data-state="submitted"]'), i);
  }
  await seeText(page.locator('.notice'), '已提交审核');
  await shot(page, 'poverty-campaign-recorded');
});

test('the administrator approves; the officer applies, the 新识别 after its 公示', async () => {
  adminPage = await openPage(browser, {width: 1280, height: 900});
  await login(adminPage, 'admin');
  await adminPage.goto(reviewUrl);
  await adminPage.locator('table.pv-queue').waitFor();
  for (let i = 1; i <= 5; i++) {
    await adminPage.locator('table.pv-queue tr[data-state="submitted"] button[data-action="approve"]').first().click();
    await count(adminPage.locator('table.pv-queue tr[data-state="approved"]'), i);
  }
  await seeText(adminPage.locator('.notice'), '已审核通过');
  noProblems(adminPage);
  await adminPage.close();

  await page.reload();
  await page.locator('table.pv-queue').waitFor();
  let applied = 0;
  for (const type of ['decrease', 'missed', 'wrong_assess', 'wrong_exit']) {
    await page.locator(`table.pv-queue tr[data-type="${type}"] button[data-action="apply"]`).click();
    await count(page.locator('table.pv-queue tr[data-state="applied"]'), ++applied);
  }
  await seeText(page.locator('.notice'), '已整改入库');
  // the 新识别 needs its 公示 first
  await page.locator('table.pv-queue tr[data-type="new"] button[data-action="apply"]').click();
  await seeText(page.locator('.notice'), '须先公示7天');
  await page.locator('table.pv-queue tr[data-type="new"] a.pv-change-link').click();
  await page.waitForURL(/#\/poverty\/reviews\/changes\/\d+$/);
  await page.locator('button[data-action="notice"]').click();
  await dialog().locator('input[name="start_date"]').fill(dayFromToday(-9));
  await dialog().locator('button[type="submit"]').click();
  await seeText(page.locator('.pv-notice'), '公示期满');
  await page.locator('button[data-action="apply"]').click();
  await seeText(page.locator('[data-test="change-state"]'), '已整改');
  await seeText(page.locator('.pv-marks'), '标识到位');
  await shot(page, 'poverty-change-applied');
});

test('the sentence reads from the records, with its last clause once all are applied', async () => {
  await page.goto(reviewUrl);
  const text = '对1个行政村进行排查,对3户十类重点户和2户建档立卡贫困户重点关注。共排查新识别1户2人、人口自然减少1人、漏登1人、错评1户3人、标注稳定脱贫错误需回退1户2人,以上问题均已整改并系统录入、标识到位。';
  await seeText(page.locator('[data-test="review-text"]'), text);
  assert.equal(await page.locator('[data-test="review-text"]').innerText(), text);
  assert.equal(await page.locator('table.pv-queue tr[data-state="applied"]').count(), 5);
  await shot(page, 'poverty-campaign-summary', {fullPage: true});
});

test('the wrong exit is rolled back by a new history row, the old ones kept', async () => {
  await page.goto(`${BASE_URL}/#/poverty/households/${A.id}`);
  await seeText(page.locator('[data-test="hh-status"]'), '已脱贫');
  const rows = page.locator('.pv-history li');
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.status)), ['exited', 'stable', 'exited', 'poor', 'none']);
  await seeText(rows.first(), '标注稳定脱贫错误需回退');
  await seeText(page.locator('table.pv-findings'), '已整改');
  await shot(page, 'poverty-rollback');
  // the household wrongly assessed is no longer 建档立卡
  await page.goto(`${BASE_URL}/#/poverty/households/${B.id}`);
  await seeText(page.locator('[data-test="hh-status"]'), '未识别');
  assert.equal(await page.locator('.title-meta .pv-tag-reg').count(), 0);
});

test('the workspace on a phone, and in English', async () => {
  const phone = await openPage(browser, {width: 375, height: 812});
  await login(phone, OFFICER);
  await phone.goto(reviewUrl);
  await phone.locator('table.pv-queue').waitFor();
  const scrollWidth = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 380, `no sideways scrolling (${scrollWidth}px)`);
  await shot(phone, 'poverty-campaign-phone', {fullPage: true});
  await phone.locator('.lang-switch button', {hasText: 'English'}).click();
  await seeText(phone.locator('.card-title').first(), 'Report');
  await seeText(phone.locator('table.pv-queue'), 'Applied'.toLowerCase());
  noProblems(phone);
  await phone.close();
  noProblems(page);
});
