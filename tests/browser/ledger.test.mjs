// ledger.test.mjs — what a leader sees: login errors, the ledger, a task taken through the whole
// loop 定责 → 研讨 → 问效 → 考评 → 办结, its history, the English UI, a task changed by someone
// else meanwhile, the recurring duties, the audit log and logout.

import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {BASE_URL, launch, openPage, login, seeText, dayFromToday, noProblems, shot} from './lib.mjs';

let browser;
let page;
const stamp = Date.now().toString(36);
// each run has a fresh database (tests/run-browser.sh), so these need no unique suffix
const TITLE = '第四季度支部组织生活会督导检查';
const NOTE = '已逐一走访12个支部,查看会议记录,督促整改问题3项。';
const COMMENT = '闭环完整,材料齐全';
let taskUrl;

before(async () => {
  browser = await launch();
  page = await openPage(browser, {width: 1280, height: 860});
});

after(async () => {
  await browser?.close();
});

const dialog = () => page.locator('dialog[open]');
const stateBadge = () => page.locator('[data-test="task-state"]');

async function act(label, fill) {
  await page.locator('.actions button', {hasText: label}).click();
  await dialog().waitFor();
  await seeText(dialog().locator('h2'), label);
  if (fill) await fill(dialog());
  await dialog().locator('button[type="submit"]').click();
}

test('a wrong password shows the Chinese error and marks the field', async () => {
  await page.goto(BASE_URL + '/');
  await seeText(page.locator('h1'), '基层工作台账');
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await page.locator('input[name="username"]').fill('leader');
  await page.locator('input[name="password"]').fill('not-the-password');
  await page.getByRole('button', {name: '登 录'}).or(page.getByRole('button', {name: '登录'})).click();
  await seeText(page.getByRole('alert'), '用户名或密码错误');
  assert.equal(await page.locator('input[name="password"]').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('header.topbar').count(), 0, 'still logged out');
  await shot(page, 'login-desktop');
});

test('the leader logs in and sees name, roles and only the pages of the role', async () => {
  await login(page, 'leader');
  await seeText(page.locator('[data-test="user-name"]'), '李明');
  await seeText(page.locator('[data-test="user-roles"]'), '书记/主任');
  const nav = page.locator('nav.sidenav');
  await seeText(nav, '党建工作台账');
  const navText = await nav.innerText();
  for (const s of ['四个一常态化工作', '区域管理', '操作日志']) assert.ok(navText.includes(s), s);
  assert.ok(!navText.includes('用户管理'), 'users page is for administrators only');
  await page.goto(BASE_URL + '/#/users');
  await seeText(page.locator('main h1'), '无权访问');
});

test('the ledger shows the summary and a filterable task list', async () => {
  await page.locator('nav.sidenav').getByRole('link', {name: '党建工作台账'}).click();
  await page.locator('.stats').waitFor();
  assert.equal(await page.locator('select[name="period"]').inputValue(), 'month', 'this month by default');
  const total = Number(await page.locator('[data-stat="total"] .stat-value').innerText());
  assert.ok(total > 0, 'the demo ledger has tasks');
  await seeText(page.locator('.result-count'), `共 ${total} 项任务`);
  const rows = page.locator('table.task-table tbody tr');
  assert.ok((await rows.count()) > 0);
  assert.ok(await page.locator('.stat[data-stat="closed"]').isVisible());
  await shot(page, 'list-desktop');

  // filter: all periods, closed tasks only — every row says 办结
  await page.locator('form.filters select[name="period"]').selectOption('all');
  await page.locator('form.filters select[name="state"]').selectOption('closed');
  await page.locator('form.filters button[type="submit"]').click();
  await page.waitForURL(/state=closed/);
  await page.locator('table.task-table').waitFor();
  const states = await page.locator('table.task-table tbody tr .badge[data-state]').allInnerTexts();
  assert.ok(states.length > 0);
  assert.deepEqual([...new Set(states)], ['办结']);
  const closed = Number(await page.locator('[data-stat="closed"] .stat-value').innerText());
  await seeText(page.locator('.result-count'), `共 ${closed} 项任务`);

  // 20 a page: the pager goes to page 2, which holds other tasks
  const pages = Math.ceil(closed / 20);
  assert.ok(pages > 1, 'the demo has more than one page of closed tasks');
  await seeText(page.locator('.pager-info'), `第 1/${pages} 页`);
  const firstPage = await page.locator('table.task-table tbody tr').first().innerText();
  await page.locator('.pager').getByRole('button', {name: '下一页'}).click();
  await seeText(page.locator('.pager-info'), `第 2/${pages} 页`);
  assert.notEqual(await page.locator('table.task-table tbody tr').first().innerText(), firstPage);
});

test('creating a task: a missing title is marked, then the task is created in state 定责', async () => {
  await page.goto(BASE_URL + '/#/ledger');
  await page.getByRole('link', {name: '新建任务'}).click();
  await seeText(page.locator('main h1'), '新建任务');
  const form = page.locator('main form.form-grid');
  await form.locator('select[name="area"]').selectOption('410104007000');
  await form.locator('select[name="category"]').selectOption('组织建设');
  await form.locator('input[name="deadline"]').fill(dayFromToday(20));
  await form.locator('button[type="submit"]').click();
  await seeText(form.getByRole('alert'), '必填');
  assert.equal(await form.locator('input[name="title"]').getAttribute('aria-invalid'), 'true');

  await form.locator('input[name="title"]').fill(TITLE);
  await form.locator('textarea[name="description"]').fill('检查各支部组织生活会召开情况,督促整改。');
  await form.locator('input[name="responsible_unit"]').fill('党建办');
  await form.locator('input[name="responsible_person"]').fill('王主任');
  const assignee = form.locator('select[name="assignee_id"]');
  await assignee.locator('option', {hasText: '李明'}).first().waitFor({state: 'attached'});
  await assignee.selectOption({label: '李明(陇海马路街道党工委书记)'});
  await form.locator('button[type="submit"]').click();

  await page.waitForURL(/#\/ledger\/tasks\/\d+$/);
  taskUrl = page.url();
  await seeText(page.locator('main h1'), TITLE);
  await seeText(stateBadge(), '定责');
  await seeText(page.locator('.notice'), '任务已创建');
  await seeText(page.locator('dd[data-field="assignee"]'), '李明');
});

test('the task is edited: new deadline and person, saved with its version', async () => {
  await page.getByRole('link', {name: '编辑'}).click();
  await seeText(page.locator('main h1'), '修改任务');
  const form = page.locator('main form.form-grid');
  assert.equal(await form.locator('input[name="title"]').inputValue(), TITLE);
  await form.locator('input[name="deadline"]').fill(dayFromToday(25));
  await form.locator('input[name="responsible_person"]').fill('张干事');
  await form.locator('button[type="submit"]').click();
  await page.waitForURL(/#\/ledger\/tasks\/\d+$/);
  await seeText(page.locator('.notice'), '已保存');
  await seeText(page.locator('dd[data-field="deadline"]'), dayFromToday(25));
  await seeText(page.locator('dd[data-field="responsible_person"]'), '张干事');
  await seeText(page.locator('.timeline'), '修改了');
});

test('the task goes 开始研讨 → 提交问效 (with a note) → 问效通过 → 考评办结 (90)', async () => {
  await act('开始研讨');
  await seeText(stateBadge(), '研讨');

  // submit without a note: the API's Chinese message, the note field marked, the dialog stays
  await page.locator('.actions button', {hasText: '提交问效'}).click();
  await dialog().waitFor();
  await dialog().locator('button[type="submit"]').click();
  await seeText(dialog().getByRole('alert'), '请填写办理情况说明');
  assert.equal(await dialog().locator('textarea[name="note"]').getAttribute('aria-invalid'), 'true');
  await dialog().locator('textarea[name="note"]').fill(NOTE);
  await dialog().locator('button[type="submit"]').click();
  await seeText(stateBadge(), '问效');
  await seeText(page.locator('dd[data-field="last_note"]'), NOTE);

  await act('问效通过');
  await seeText(stateBadge(), '考评');

  // a score above 100 is refused before it is sent
  await act('考评办结', async (d) => {
    await d.locator('input[name="score"]').fill('120');
    await d.locator('textarea[name="comment"]').fill(COMMENT);
  });
  await seeText(dialog().getByRole('alert'), '0到100');
  await dialog().locator('input[name="score"]').fill('90');
  await dialog().locator('button[type="submit"]').click();

  await seeText(stateBadge(), '办结');
  await seeText(page.locator('[data-test="task-score"]'), '90');
  await seeText(page.locator('dd[data-field="score"]'), '90');
  await seeText(page.locator('dd[data-field="eval_comment"]'), COMMENT);
  assert.equal(await page.locator('.actions button').count(), 0, 'a closed task has no actions');
  await seeText(page.locator('.loop-step.current'), '办结');
});

test('the history lists every step, with the note and the score', async () => {
  const items = page.locator('.timeline .tl-item');
  await seeText(page.locator('.timeline'), '考评办结');
  const actions = await items.evaluateAll((els) => els.map((e) => e.dataset.action));
  assert.deepEqual(actions, ['create', 'update', 'start', 'submit', 'verify', 'evaluate']);
  const texts = await items.allInnerTexts();
  assert.match(texts[0], /定责/);
  assert.match(texts[1], /修改[\s\S]*完成时限[\s\S]*责任人/);
  assert.match(texts[2], /开始研讨/);
  assert.match(texts[3], /提交问效/);
  assert.ok(texts[3].includes(NOTE), 'the note is in the history');
  assert.match(texts[4], /问效通过/);
  assert.match(texts[5], /考评办结/);
  assert.match(texts[5], /90/);
  assert.ok(texts[5].includes(COMMENT));
  for (const t of texts) assert.match(t, /李明/, 'each step names who took it');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'detail-closed-desktop', {fullPage: true});
});

test('switching to English shows English labels, and back', async () => {
  await page.getByRole('button', {name: 'English'}).click();
  await seeText(page.locator('nav.sidenav'), 'Party-building ledger');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await seeText(stateBadge(), 'closed');
  await seeText(page.locator('.timeline'), 'Submit for checking');
  await seeText(page.locator('.detail-grid'), 'History');
  await seeText(page.locator('header .logout'), 'Log out');
  // the choice is kept across a reload
  await page.reload();
  await seeText(page.locator('nav.sidenav'), 'Recurring duties');
  await page.getByRole('button', {name: '中文'}).click();
  await seeText(stateBadge(), '办结');
  await seeText(page.locator('nav.sidenav'), '党建工作台账');
});

test('a task changed by someone else meanwhile is reloaded with a warning', async () => {
  const res = await page.request.post(BASE_URL + '/api/v1/ledger/tasks', {
    data: {title: `并发修改测试 ${stamp}`, area: '410104007000', category: '制度建设', deadline: dayFromToday(10)},
  });
  assert.equal(res.status(), 201);
  const task = await res.json();
  await page.goto(`${BASE_URL}/#/ledger/tasks/${task.id}`);
  await seeText(stateBadge(), '定责');
  // another user renames it: the page still holds the old version
  const changed = await page.request.patch(`${BASE_URL}/api/v1/ledger/tasks/${task.id}`, {
    data: {title: `并发修改测试(已改名) ${stamp}`, version: task.version},
  });
  assert.equal(changed.status(), 200);
  await act('开始研讨');
  await seeText(page.locator('.notice'), '被他人修改');
  await seeText(page.locator('main h1'), '已改名');
  await seeText(stateBadge(), '定责');
  await act('开始研讨');
  await seeText(stateBadge(), '研讨');
});

test('recurring duties show compliance per duty, and a new duty is set up', async () => {
  await page.goto(BASE_URL + '/#/ledger/duties');
  const table = page.locator('table.compliance-table');
  await seeText(table, '班子成员每周一天下沉社区');
  const header = await table.locator('thead').innerText();
  for (const s of ['应完成', '按时完成', '逾期完成', '未完成', '按时完成率']) assert.ok(header.includes(s), s);
  await seeText(table.locator('tr.row-total'), /合计[\s\S]*\d+(\.\d)?%/);

  const duty = '党员志愿服务每月一次';
  await page.getByRole('button', {name: '新建常态化工作'}).click();
  const form = page.locator('main form.form-grid');
  await form.locator('input[name="title"]').fill(duty);
  await form.locator('select[name="frequency"]').selectOption('month');
  await form.locator('input[name="responsible_unit"]').fill('街道党工委');
  await form.locator('button[type="submit"]').click();
  await seeText(page.locator('.notice'), '常态化工作已创建');
  const row = page.locator('main table tbody tr', {hasText: duty});
  await seeText(row.first(), '每月');
  await seeText(page.locator('table.compliance-table tr', {hasText: duty}).first(), '每月');
});

test('the audit log shows the leader\'s steps and pages back with "more"', async () => {
  await page.goto(BASE_URL + '/#/audit');
  const rows = page.locator('main table tbody tr');
  await seeText(rows.first(), 'leader');
  const first = await rows.count();
  assert.equal(first, 50);
  await seeText(page.locator('main table'), '考评办结');
  await page.getByRole('button', {name: '加载更多'}).click();
  await page.waitForFunction((n) => document.querySelectorAll('main table tbody tr').length > n, first);
});

test('the areas page shows the tree of the leader\'s areas, read-only', async () => {
  await page.goto(BASE_URL + '/#/areas');
  const tree = page.locator('ul.tree-root');
  await seeText(tree, '陇海马路街道');
  await seeText(tree.locator('li[data-code="410104007001"]'), '永安街社区');
  await seeText(tree.locator('li[data-code="410104007001001"]'), '永安街社区第一网格');
  assert.equal(await page.getByRole('button', {name: '添加下级'}).count(), 0);
});

test('logout returns to the login page, and pages need a login again', async () => {
  await page.locator('header .logout').click();
  await page.locator('form.login-form').waitFor();
  await seeText(page.locator('.notice'), '您已安全退出');
  await page.goto(taskUrl);
  await page.locator('form.login-form').waitFor();
  const me = await page.request.get(BASE_URL + '/api/v1/me');
  assert.equal(me.status(), 401);
  noProblems(page);
});
