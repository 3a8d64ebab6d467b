// cases.test.mjs — city management in the browser: a resident reports a problem with a photo on
// a phone (no login), the road's chief accepts it, the cleaning team handles it, the chief
// verifies and closes it, the resident answers 未解决 and the case reopens; a site inspection
// with a failed item opens a rectification case; the pages of roads, patrols and reports draw.

import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {deflateSync} from 'node:zlib';
import {BASE_URL, launch, openPage, login, seeText, noProblems, shot} from './lib.mjs';

let browser, phone, chief, cleaner, leader;
const DESC = `陇海马路边上有一堆装修垃圾,已经三天没人清理 ${Date.now().toString(36)}`;
let token, caseId;

const CRC = Array.from({length: 256}, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function png(w, h) {
  const crc = (b) => {
    let c = 0xffffffff;
    for (const x of b) c = CRC[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const raw = Buffer.alloc(h * (1 + w * 3));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = y * (1 + w * 3) + 1 + x * 3;
      raw[o] = 90 + (x * 2) % 120;
      raw[o + 1] = 110;
      raw[o + 2] = y < h / 2 ? 200 : 80;
    }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

before(async () => {
  browser = await launch();
  phone = await openPage(browser, {width: 390, height: 844});
  chief = await openPage(browser, {width: 1280, height: 900});
  cleaner = await openPage(browser, {width: 1280, height: 900});
  leader = await openPage(browser, {width: 1280, height: 900});
});

after(async () => {
  await browser?.close();
});

const dialog = (page) => page.locator('dialog[open]');

/** Takes a step of the loop from the case page: button, dialog, fields, confirm. */
async function act(page, label, fill) {
  await page.locator('.actions button', {hasText: label}).click();
  await dialog(page).waitFor();
  if (fill) await fill(dialog(page));
  await dialog(page).locator('button[type="submit"]').click();
  await dialog(page).waitFor({state: 'detached'});
}

test('a resident reports a problem with a photo on a phone, without logging in', async () => {
  await phone.goto(BASE_URL + '/#/report');
  await seeText(phone.locator('main h1'), '我要反映');
  assert.equal(await phone.locator('header.topbar').count(), 0, 'a public page: no staff shell');
  // sent empty: the category is asked for, and marked
  await phone.locator('form.pub-form button[type="submit"]').click();
  await seeText(phone.getByRole('alert'), '请选择问题类别');
  assert.equal(await phone.locator('select[name="service_code"]').getAttribute('aria-invalid'), 'true');
  await phone.locator('select[name="service_code"]').selectOption('litter');
  await phone.locator('textarea[name="description"]').fill(DESC);
  await phone.locator('input[name="media"]').setInputFiles({name: 'rubbish.png', mimeType: 'image/png', buffer: png(48, 36)});
  // without a place it is refused too
  await phone.locator('form.pub-form button[type="submit"]').click();
  await seeText(phone.getByRole('alert'), '请在地图上点选问题位置');
  // the place: on 陇海马路, picked on the offline map of the roads
  const road = phone.locator('svg.map-svg polyline', {has: phone.locator('title', {hasText: /^陇海马路$/})});
  const box = await road.boundingBox();
  // between the crossings of 二里岗街 and 城东南路, so that 陇海马路 is the nearest road
  await phone.mouse.click(box.x + box.width * 0.39, box.y + box.height / 2);
  await seeText(phone.locator('.pub-where'), '已选位置');
  await phone.locator('input[name="first_name"]').fill('王女士');
  await phone.locator('input[name="phone"]').fill('13903715678');
  await shot(phone, 'cases-public-report', {fullPage: true});
  await phone.locator('form.pub-form button[type="submit"]').click();
  await phone.waitForURL(/#\/report\/t\/[0-9a-f]{32}/);
  token = /#\/report\/t\/([0-9a-f]{32})/.exec(phone.url())[1];
  await seeText(phone.locator('.notice-success'), '已收到您的反映');
  caseId = Number(/编号 (\d+)/.exec(await phone.locator('.notice-success').innerText())[1]);
  assert.ok(caseId > 0);
  assert.equal(await phone.locator('[data-test="token"]').innerText(), token);
  await seeText(phone.locator('[data-test="status-notes"]'), '已收到,等待受理');
  await phone.locator('.pub-photos img').waitFor();
  assert.ok(await phone.locator('.pub-photos img').evaluate((img) => img.complete && img.naturalWidth === 48), 'the photo is served back');
  assert.equal(await phone.locator('.pub-eval').count(), 0, 'no evaluation before it is closed');
  await shot(phone, 'cases-public-submitted', {fullPage: true});
  noProblems(phone);
});

test('the road\'s chief sees it routed to him, with photo and map, and dispatches it', async () => {
  await login(chief, 'roadchief');
  await chief.goto(`${BASE_URL}/#/cases/${caseId}`);
  await seeText(chief.locator('main h1'), `#${caseId}`);
  await seeText(chief.locator('[data-test="case-state"]'), '待受理');
  const info = chief.locator('.details');
  await seeText(info.locator('[data-field="road"]'), '陇海马路');
  await seeText(info.locator('[data-field="chief"]'), '孙志强');
  await seeText(info.locator('[data-field="team"]'), '卫生清洁队');
  await seeText(info.locator('[data-field="reporter"]'), '139****5678');
  assert.ok(!(await info.innerText()).includes('13903715678'), 'the chief sees the phone masked');
  await chief.locator('.cm-photos img').waitFor();
  assert.ok(await chief.locator('.cm-photos img').evaluate((img) => img.complete && img.naturalWidth === 48));
  assert.equal(await chief.locator('.cm-detail-map .cm-pt-here').count(), 1, 'the place on the map');
  await seeText(chief.locator('.timeline'), '登记');
  await act(chief, '受理派单');
  await seeText(chief.locator('[data-test="case-state"]'), '已派单');
  noProblems(chief);
});

test('the cleaning team handles it: start, then 处置完成 with a note (required)', async () => {
  await login(cleaner, 'cleaner');
  await cleaner.goto(`${BASE_URL}/#/cases/${caseId}`);
  await seeText(cleaner.locator('[data-test="case-state"]'), '已派单');
  const buttons = await cleaner.locator('.actions button').allInnerTexts();
  assert.deepEqual(buttons.sort(), ['开始处置', '退回'].sort());
  await act(cleaner, '开始处置');
  await seeText(cleaner.locator('[data-test="case-state"]'), '处置中');
  // the note is required: the dialog says so and stays open
  await cleaner.locator('.actions button', {hasText: '处置完成'}).click();
  await dialog(cleaner).waitFor();
  await dialog(cleaner).locator('button[type="submit"]').click();
  await seeText(dialog(cleaner).getByRole('alert'), '请填写办理情况说明');
  await dialog(cleaner).locator('textarea[name="note"]').fill('已安排清运车辆将装修垃圾全部清运,并冲洗路面。');
  await dialog(cleaner).locator('button[type="submit"]').click();
  await dialog(cleaner).waitFor({state: 'detached'});
  await seeText(cleaner.locator('[data-test="case-state"]'), '待核查');
  assert.equal(await cleaner.locator('.actions button').count(), 0, 'the team does not verify its own work');
  noProblems(cleaner);
});

test('the chief verifies it with an answer to the resident: 已办结', async () => {
  await chief.reload();
  await seeText(chief.locator('[data-test="case-state"]'), '待核查');
  await act(chief, '核查通过', async (d) => d.locator('textarea[name="reply"]').fill('装修垃圾已清运完毕,感谢您的反映。'));
  await seeText(chief.locator('[data-test="case-state"]'), '已办结');
  await seeText(chief.locator('.timeline'), '处置完成');
  await shot(chief, 'cases-detail-closed', {fullPage: true});
  noProblems(chief);
});

test('the resident answers 未解决 and the case reopens', async () => {
  await phone.goto(`${BASE_URL}/#/report/t/${token}`);
  await seeText(phone.locator('[data-test="status-notes"]'), '已办结。装修垃圾已清运完毕');
  await phone.locator('.pub-eval').waitFor();
  // the rating is required
  await phone.locator('.pub-eval input[value="no"]').check();
  await phone.locator('.pub-eval button[type="submit"]').click();
  await seeText(phone.locator('.pub-eval').getByRole('alert'), '请给出1到5星评价');
  await phone.locator('.pub-star[data-n="2"]').click();
  await phone.locator('.pub-eval textarea[name="comment"]').fill('垃圾只清走了一半,路边还有建筑垃圾。');
  await shot(phone, 'cases-public-evaluate', {fullPage: true});
  await phone.locator('.pub-eval button[type="submit"]').click();
  await seeText(phone.locator('.notice-warning'), '问题已重新交办处理');
  await seeText(phone.locator('[data-test="status"]'), '处置中');
  await seeText(phone.locator('.pub-timeline'), '重新办理');
  assert.equal(await phone.locator('.pub-eval').count(), 0);
  await shot(phone, 'cases-public-reopened', {fullPage: true});
  noProblems(phone);
  // staff see it reopened, with the evaluation
  await login(leader, 'leader');
  await leader.goto(`${BASE_URL}/#/cases/${caseId}`);
  await seeText(leader.locator('[data-test="case-state"]'), '处置中');
  await seeText(leader.locator('.cm-evals'), '未解决');
  await seeText(leader.locator('.details [data-field="reopen"]'), '1');
  await seeText(leader.locator('.details [data-field="reporter"]'), '13903715678');
  await seeText(leader.locator('.timeline'), '重新打开');
  await shot(leader, 'cases-detail-reopened', {fullPage: true});
  noProblems(leader);
});

test('the board finds it; the filters and the map work', async () => {
  await leader.goto(`${BASE_URL}/#/cases`);
  await leader.locator('.cm-stats').waitFor();
  await leader.locator('form.filters input[name="q"]').fill(`#${caseId}`);
  await leader.locator('form.filters button[type="submit"]').click();
  await leader.waitForURL(/q=/);
  await seeText(leader.locator('.result-count'), '共 1 件');
  await seeText(leader.locator('table.cm-table tbody'), '暴露垃圾');
  // overdue filter: every row flagged
  await leader.goto(`${BASE_URL}/#/cases?overdue=1`);
  await leader.locator('table.cm-table').waitFor();
  const rows = leader.locator('table.cm-table tbody tr');
  assert.ok((await rows.count()) > 0, 'the demo has overdue cases');
  assert.equal(await leader.locator('table.cm-table tbody tr.row-overdue').count(), await rows.count());
  await leader.goto(`${BASE_URL}/#/cases`);
  await leader.locator('.cm-board-map svg .cm-pt').first().waitFor();
  await shot(leader, 'cases-board-desktop');
  // a point on the map opens its case
  await leader.locator('.cm-board-map svg .map-point').first().click();
  await leader.waitForURL(/#\/cases\/\d+$/);
  await leader.locator('[data-test="case-state"]').waitFor();
  noProblems(leader);
});

test('an inspection with a failed item opens a rectification case for the site\'s supervisor', async () => {
  await leader.goto(`${BASE_URL}/#/cases/sites`);
  await seeText(leader.locator('table.cm-sites'), '陇海马路棚户区改造安置房项目');
  await leader.locator('table.cm-sites a', {hasText: '陇海马路棚户区改造安置房项目'}).click();
  await leader.locator('.cm-chart').waitFor();
  const items = leader.locator('.cm-check-item');
  assert.equal(await items.count(), 8);
  const second = items.nth(1);
  await second.locator('input[value="fail"]').check();
  // a failed item needs its problem
  await leader.locator('form.cm-inspect button[type="submit"]').click();
  await seeText(leader.locator('form.cm-inspect').getByRole('alert'), '物料堆放覆盖');
  await second.locator('input.cm-check-note').fill('北侧土方未覆盖防尘网');
  await leader.locator('form.cm-inspect button[type="submit"]').click();
  await seeText(leader.locator('.notice-success'), '已生成整改工单');
  const link = leader.locator('table.cm-inspections tbody tr').first().locator('a');
  await link.click();
  await seeText(leader.locator('main h1'), '整改');
  await seeText(leader.locator('[data-test="case-state"]'), '已派单');
  await seeText(leader.locator('.details [data-field="assignee"]'), '孙志强');
  await seeText(leader.locator('.details [data-field="description"]'), '北侧土方未覆盖防尘网');
  noProblems(leader);
});

test('roads, patrols and reports draw; the roads page lists the 13 roads and their chiefs', async () => {
  await leader.goto(`${BASE_URL}/#/cases/roads`);
  await leader.locator('table.cm-roads-table').waitFor();
  assert.equal(await leader.locator('table.cm-roads-table tbody tr').count(), 13);
  assert.equal(await leader.locator('.cm-roads-map svg polyline.cm-road').count(), 13);
  await shot(leader, 'cases-roads', {fullPage: true});
  await leader.goto(`${BASE_URL}/#/cases/patrols`);
  await leader.locator('table.cm-compliance').waitFor();
  assert.equal(await leader.locator('table.cm-compliance tbody tr').count(), 39);
  await leader.goto(`${BASE_URL}/#/cases/reports`);
  await leader.locator('table.cm-sat-team').waitFor();
  await seeText(leader.locator('table.cm-sat-team'), '综合执法队');
  await shot(leader, 'cases-reports', {fullPage: true});
  noProblems(leader);
});

test('the public pages in English, at phone width', async () => {
  const en = await openPage(browser, {width: 390, height: 844, lang: 'en'});
  await en.goto(`${BASE_URL}/#/report/t/${token}`);
  await seeText(en.locator('.pub-timeline'), 'Reopen');
  await en.goto(`${BASE_URL}/#/report`);
  await seeText(en.locator('main h1'), 'Report a problem');
  await seeText(en.locator('label', {hasText: 'What kind of problem'}), 'What kind of problem');
  await shot(en, 'cases-public-report-en', {fullPage: true});
  noProblems(en);
  await en.context().close();
});
