// party.test.mjs — what the secretary of 文化路街道 does in 两新党建: imports an .xlsx of
// organizations with one bad row (sees the report, fixes the file, imports), sets up a joint
// branch over the new units, watches the coverage figure change, is refused an early stage of the
// pipeline with the rule and the first possible date, and looks at the 版图 on desktop and phone.

import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {BASE_URL, launch, openPage, login, seeText, dayFromToday, noProblems, shot} from './lib.mjs';
import {xlsx, creditCode} from '../api/party_lib.mjs';

let browser;
let page;
const stamp = Date.now().toString(36).slice(-5);
const names = [`晨曦网络科技${stamp}`, `青橙文化传播${stamp}`, `禾苗教育咨询${stamp}`];
const HEADER = ['名称', '统一社会信用代码', '组织类型', '行业类别', '所属区域', '地址', '纬度', '经度', '从业人员', '经营状态', '联系人', '联系电话'];
const row = (name, code) => [name, code, '新经济组织', '网络科技', '农科路社区', '农科路88号', '34.7880', '113.6690', '12', '在营', '赵六', '13700001111'];
let coveredBefore;

before(async () => {
  browser = await launch();
  page = await openPage(browser, {width: 1280, height: 900});
  await login(page, 'leader2');
});

after(async () => {
  await browser?.close();
});

async function covered() {
  await page.goto(BASE_URL + '/#/party?area=410105008000');
  const v = page.locator('[data-stat="covered"] .stat-value');
  await v.waitFor();
  return Number(await v.innerText());
}

test('the overview shows the demo figures: 42 units with party organizations', async () => {
  coveredBefore = await covered();
  assert.equal(coveredBefore, 42);
  await seeText(page.locator('[data-stat="preparing"] .stat-value'), '2');
  await seeText(page.locator('[data-stat="this_year"] .stat-value'), '8');
  await seeText(page.locator('[data-test="coverage-source"]'), '当前数据');
  assert.equal(await page.locator('svg.party-donut').count(), 1);
  assert.ok(await page.locator('svg.party-bars rect.party-bar').count() > 6, 'community bars drawn');
  await shot(page, 'party-overview-desktop', {fullPage: true});
  // a past day: rebuilt from the audit log
  await page.locator('input[name="as_of"]').fill(`${new Date().getFullYear()}-01-01`);
  await page.locator('form.party-filters button[type="submit"]').click();
  await seeText(page.locator('[data-test="coverage-source"]'), '按操作日志还原');
  await seeText(page.locator('[data-stat="this_year"] .stat-value'), '0');
  noProblems(page);
});

test('import an .xlsx with one bad row: the report names it, nothing is written; fixed, all rows go in', async () => {
  await page.goto(BASE_URL + '/#/party/units');
  await page.locator('[data-test="import-open"]').click();
  const dlg = page.locator('dialog[open]');
  await dlg.waitFor();
  const bad = xlsx([HEADER, row(names[0], creditCode()), row(names[1], '9141010512345'), row(names[2], creditCode())]);
  await dlg.locator('input[type="file"]').setInputFiles({name: '两新组织.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bad});
  await dlg.locator('button[type="submit"]').click();
  await seeText(dlg.locator('[data-test="import-summary"]'), '共 3 行,2 行无误,1 行有问题');
  const err = dlg.locator('table.party-report-errors tbody tr');
  assert.equal(await err.count(), 1);
  assert.equal(await err.first().getAttribute('data-row'), '3');
  assert.equal(await err.first().getAttribute('data-field'), 'credit_code');
  await seeText(err.first(), 'B 统一社会信用代码');
  await seeText(err.first(), '不是有效的统一社会信用代码');
  assert.equal(await dlg.locator('[data-test="import-run"]').count(), 0, 'no import while a row is bad');
  await shot(page, 'party-import-report');
  // the file fixed
  const good = xlsx([HEADER, row(names[0], creditCode()), row(names[1], creditCode()), row(names[2], creditCode())]);
  await dlg.locator('input[type="file"]').setInputFiles({name: '两新组织.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: good});
  await dlg.locator('button[type="submit"]').click();
  await seeText(dlg.locator('[data-test="import-summary"]'), '全部 3 行无误');
  await dlg.locator('[data-test="import-run"]').click();
  await seeText(page.locator('.notice-success'), '已导入 3 个两新组织');
  await page.locator('input[name="q"]').fill(stamp);
  await page.locator('form.filters button[type="submit"]').click();
  await seeText(page.locator('.result-count'), '共 3 个两新组织');
  for (const n of names) await seeText(page.locator('table.party-units'), n);
  noProblems(page);
});

test('set up a joint branch over the three: the coverage figure changes', async () => {
  await page.goto(BASE_URL + '/#/party/orgs/new');
  const form = page.locator('form.form-grid');
  await form.waitFor();
  await form.locator('input[name="name"]').fill(`农科路创新联合党支部${stamp}`);
  await form.locator('select[name="area"]').selectOption('410105008001');
  await form.locator('select[name="kind"]').selectOption('joint_branch');
  assert.equal(await form.locator('select[name="setting"]').inputValue(), 'joint');
  await form.locator('select[name="status"]').selectOption('established');
  await form.locator('input[name="established_on"]').fill(dayFromToday(0));
  await form.locator('input[name="secretary"]').fill('赵六');
  for (const n of names) await form.locator(`input[data-name="${n}"]`).check();
  await form.locator('button[type="submit"]').click();
  await seeText(page.locator('h1'), `农科路创新联合党支部${stamp}`);
  await seeText(page.locator('[data-test="org-status"]'), '已成立');
  assert.equal(await page.locator('table.party-org-units tbody tr').count(), 3);
  await shot(page, 'party-joint-branch');
  assert.equal(await covered(), coveredBefore + 3);
  await seeText(page.locator('[data-stat="joint"] .stat-value'), '19');
  noProblems(page);
});

test('the pipeline refuses an activist too early, naming the rule and the first possible day', async () => {
  const res = await page.request.get(BASE_URL + '/api/v1/party/members?area=410105008000&stage=activist&per_page=50');
  const list = await res.json();
  const early = list.items.find((m) => m.next && m.next.earliest && m.next.earliest > dayFromToday(0));
  assert.ok(early, 'the demo has an activist within the year');
  await page.goto(BASE_URL + `/#/party/members/${early.id}`);
  await seeText(page.locator('[data-test="member-next"]'), early.next.earliest);
  await page.locator('button[data-action="advance"]').click();
  const dlg = page.locator('dialog[open]');
  await dlg.waitFor();
  await dlg.locator('button[type="submit"]').click();
  await seeText(dlg.locator('.form-error'), '一年以上培养教育和考察');
  await seeText(dlg.locator('.form-error'), '中国共产党发展党员工作细则第十三条');
  await seeText(dlg.locator('.form-error'), `最早可于${early.next.earliest}办理`);
  await shot(page, 'party-pipeline-refused');
  await dlg.locator('button', {hasText: '取消'}).click();
  await seeText(page.locator('[data-test="member-stage"]'), '入党积极分子');
  noProblems(page);
});

test('the 版图: boundaries, units coloured by coverage, the category filter; desktop and phone, Chinese and English', async () => {
  await page.goto(BASE_URL + '/#/party/map?area=410105008000');
  await page.locator('svg.map-svg .map-point').first().waitFor();
  assert.ok(await page.locator('svg.map-svg polygon.party-area-l5').count() >= 6, 'community boundaries');
  assert.equal(await page.locator('svg.map-svg polygon.party-area-l4').count(), 1);
  const own = await page.locator('.map-point.party-pt-own').count();
  const joint = await page.locator('.map-point.party-pt-joint').count();
  assert.equal(own + joint, coveredBefore + 3);
  await page.locator('.map-point.party-pt-demo').first().click();
  await seeText(page.locator('.party-map-info'), '示范点');
  await shot(page, 'party-map-desktop');
  await page.locator('select[name="category"]').selectOption('民办教育');
  await page.waitForFunction(() => document.querySelectorAll('.map-point').length > 0 && location.hash.includes('category'));
  const edu = await page.locator('svg.map-svg .map-point').count();
  assert.ok(edu > 0 && edu < own + joint, `${edu} units of 民办教育`);
  const phone = await openPage(browser, {width: 390, height: 844});
  await login(phone, 'leader2');
  await phone.goto(BASE_URL + '/#/party/map');
  await phone.locator('svg.map-svg .map-point').first().waitFor();
  await shot(phone, 'party-map-phone', {fullPage: true});
  await phone.goto(BASE_URL + '/#/party');
  await phone.locator('[data-stat="covered"]').waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scrolling on a phone (${overflow}px)`);
  await shot(phone, 'party-overview-phone', {fullPage: true});
  await phone.locator('.lang-btn', {hasText: 'English'}).click();
  await seeText(phone.locator('h1'), 'Overview');
  await seeText(phone.locator('[data-stat="coverage_rate"] .stat-label'), 'Coverage');
  noProblems(phone);
  noProblems(page);
  await phone.context().close();
});
