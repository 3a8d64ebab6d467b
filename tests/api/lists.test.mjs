// Task lists: filters, overdue, pagination, and the summary — each in a fresh community of its
// own, so that counts are exact while other test files write elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    LONGHAI, login, assertError, assertOk, createTask, transition, freshArea, uniq, shanghaiDate,
} from './lib.mjs';

let admin, leader, leader2;
let area; // the fresh community of this file's list tests
const made = {};

async function list(client, query) {
    return assertOk(await client.get(`/api/v1/ledger/tasks?${query}`));
}

async function close(client, t, score = 80) {
    t = assertOk(await transition(client, t, 'start'));
    t = assertOk(await transition(client, t, 'submit', { note: '已完成' }));
    t = assertOk(await transition(client, t, 'verify'));
    return assertOk(await transition(client, t, 'evaluate', { score, comment: '好' }));
}

/** ISO week name (YYYY-Www) of a YYYY-MM-DD date. */
function isoWeek(ymd) {
    const d = new Date(`${ymd}T00:00:00Z`);
    const day = (d.getUTCDay() + 6) % 7; // Monday 0
    d.setUTCDate(d.getUTCDate() - day + 3); // the Thursday of this week
    const year = d.getUTCFullYear();
    const jan4 = new Date(Date.UTC(year, 0, 4));
    const week = 1 + Math.round(((d - jan4) / 86400000 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
    return `${year}-W${String(week).padStart(2, '0')}`;
}

test('setup: a fresh community with tasks in several states', async () => {
    [admin, leader, leader2] = await Promise.all(['admin', 'leader', 'leader2'].map((u) => login(u)));
    area = await freshArea(admin, LONGHAI, '列表测试社区');
    made.overdue = await createTask(leader, area, {
        title: uniq('逾期甲'), category: '组织建设', deadline: shanghaiDate(-3),
    });
    made.discussing = assertOk(await transition(leader, await createTask(leader, area, {
        category: '党员管理', deadline: shanghaiDate(5),
    }), 'start'));
    made.cancelled = assertOk(await transition(leader, await createTask(leader, area, {
        category: '阵地建设', deadline: shanghaiDate(-2),
    }), 'cancel', { reason: '取消' }));
    made.closed = await close(leader, await createTask(leader, area, {
        category: '阵地建设', deadline: shanghaiDate(-1),
    }));
    made.percent = await createTask(leader, area, {
        title: uniq('完成率50%'), category: '制度建设', deadline: '2031-03-15',
    });
    made.may = await createTask(leader, area, {
        title: uniq('五月'), category: '制度建设', deadline: '2031-05-10',
        description: '描述里的关键字_下划线',
    });
    made.other = await createTask(leader, area, { category: '服务群众', deadline: '2031-12-31' });
});

test('the area filter returns exactly the tasks of that area', async () => {
    const all = await list(leader, `area=${area}`);
    assert.equal(all.total, 7);
    assert.equal(all.items.length, 7);
    assert.deepEqual(new Set(all.items.map((t) => t.id)), new Set(Object.values(made).map((t) => t.id)));
    // ordered by deadline
    const deadlines = all.items.map((t) => t.deadline);
    assert.deepEqual(deadlines, [...deadlines].sort());
    // the street's list contains them too
    const street = await list(leader, `area=${LONGHAI}&q=${encodeURIComponent(made.overdue.title)}`);
    assert.equal(street.total, 1);
    // another street's leader gets 403 for this area
    assertError(await leader2.get(`/api/v1/ledger/tasks?area=${area}`), 403, 'area_forbidden');
    assertError(await leader.get('/api/v1/ledger/tasks?area=4101'), 400, 'invalid_parameter', 'area');
});

test('state, category and q filters', async () => {
    const d = await list(leader, `area=${area}&state=discussing`);
    assert.deepEqual(d.items.map((t) => t.id), [made.discussing.id]);
    const c = await list(leader, `area=${area}&category=${encodeURIComponent('阵地建设')}`);
    assert.deepEqual(c.items.map((t) => t.id).sort(), [made.cancelled.id, made.closed.id].sort());
    const closed = await list(leader, `area=${area}&state=closed`);
    assert.deepEqual(closed.items.map((t) => t.id), [made.closed.id]);
    assert.equal(closed.items[0].score, 80);
    const q = await list(leader, `area=${area}&q=${encodeURIComponent(made.overdue.title.slice(2))}`);
    assert.deepEqual(q.items.map((t) => t.id), [made.overdue.id]);
    // % and _ are literal characters in q, not wildcards
    const pct = await list(leader, `area=${area}&q=${encodeURIComponent('%')}`);
    assert.deepEqual(pct.items.map((t) => t.id), [made.percent.id]);
    const us = await list(leader, `area=${area}&q=_`);
    assert.deepEqual(us.items.map((t) => t.id), [made.may.id], 'q searches the description too');
    const none = await list(leader, `area=${area}&q=${encodeURIComponent('没有这样的任务')}`);
    assert.equal(none.total, 0);
    assert.deepEqual(none.items, []);
    assertError(await leader.get('/api/v1/ledger/tasks?state=done'), 400, 'invalid_parameter', 'state');
});

test('several states at once, open=1, and the sort orders', async () => {
    const two = await list(leader, `area=${area}&state=closed,cancelled`);
    assert.deepEqual(two.items.map((t) => t.id).sort(), [made.closed.id, made.cancelled.id].sort());
    const open = await list(leader, `area=${area}&open=1`);
    assert.ok(open.items.every((t) => t.state !== 'closed' && t.state !== 'cancelled'));
    assert.equal(open.total, 5, 'overdue, discussing, percent, may, other');
    const openClosed = await list(leader, `area=${area}&open=1&state=closed`);
    assert.equal(openClosed.total, 0, 'open=1 never lists a closed task');
    const asc = await list(leader, `area=${area}`);
    const desc = await list(leader, `area=${area}&sort=-deadline`);
    assert.deepEqual(desc.items.map((t) => t.id), asc.items.map((t) => t.id).reverse());
    assert.equal(desc.items[0].deadline, '2031-12-31');
    const upd = await list(leader, `area=${area}&sort=-updated`);
    assert.ok(upd.items.length === asc.items.length);
    assertError(await leader.get('/api/v1/ledger/tasks?sort=title'), 400, 'invalid_parameter', 'sort');
    assertError(await leader.get('/api/v1/ledger/tasks?state=closed,,x'), 400, 'invalid_parameter', 'state');
});

test('overdue: the flag and the overdue=1 filter (closed and cancelled are never overdue)', async () => {
    const all = await list(leader, `area=${area}`);
    const byId = new Map(all.items.map((t) => [t.id, t]));
    assert.equal(byId.get(made.overdue.id).overdue, true);
    assert.equal(byId.get(made.discussing.id).overdue, false);
    assert.equal(byId.get(made.cancelled.id).overdue, false);
    assert.equal(byId.get(made.closed.id).overdue, false);
    const od = await list(leader, `area=${area}&overdue=1`);
    assert.deepEqual(od.items.map((t) => t.id), [made.overdue.id]);
    assert.equal(od.total, 1);
    assertError(await leader.get('/api/v1/ledger/tasks?overdue=yes'), 400, 'invalid_parameter', 'overdue');
    // moving the deadline into the future ends the overdue state
    const t = assertOk(await leader.get(`/api/v1/ledger/tasks/${made.overdue.id}`));
    assert.equal(t.overdue, true);
});

test('period filter: year, quarter, month, ISO week; bad periods are 400', async () => {
    const ids = async (p) => (await list(leader, `area=${area}&period=${p}`)).items.map((t) => t.id);
    assert.deepEqual(await ids('2031-03'), [made.percent.id]);
    assert.deepEqual(await ids('2031-Q2'), [made.may.id]);
    assert.deepEqual(await ids('2031'), [made.percent.id, made.may.id, made.other.id]);
    assert.deepEqual(await ids(isoWeek('2031-03-15')), [made.percent.id]);
    assert.deepEqual(await ids('2031-02'), []);
    const fromTo = await list(leader, `area=${area}&from=2031-03-15&to=2031-05-10`);
    assert.deepEqual(fromTo.items.map((t) => t.id), [made.percent.id, made.may.id]);
    for (const p of ['2031-13', '2031-Q5', '31', '2031-W60', 'last-month'])
        assertError(await leader.get(`/api/v1/ledger/tasks?period=${p}`), 400, 'invalid_parameter', 'period');
    assertError(await leader.get('/api/v1/ledger/tasks?from=2031-02-30'), 400, 'invalid_parameter', 'from');
});

test('pagination: total, page and per_page; pages do not overlap', async () => {
    const seen = [];
    for (let page = 1; page <= 3; page++) {
        const res = await list(leader, `area=${area}&per_page=3&page=${page}`);
        assert.equal(res.total, 7);
        assert.equal(res.page, page);
        assert.equal(res.per_page, 3);
        assert.equal(res.items.length, page < 3 ? 3 : 1);
        seen.push(...res.items.map((t) => t.id));
    }
    assert.equal(new Set(seen).size, 7);
    const beyond = await list(leader, `area=${area}&per_page=3&page=4`);
    assert.equal(beyond.total, 7);
    assert.deepEqual(beyond.items, []);
    const dflt = await list(leader, `area=${area}`);
    assert.equal(dflt.per_page, 50);
    assert.equal(dflt.page, 1);
    for (const q of ['per_page=0', 'per_page=201', 'page=0', 'page=-1', 'per_page=abc'])
        assertError(await leader.get(`/api/v1/ledger/tasks?${q}`), 400, 'invalid_parameter');
});

test('summary: counts by state, overdue and average score follow the tasks', async () => {
    const sumArea = await freshArea(admin, LONGHAI, '汇总测试社区');
    const month = shanghaiDate(0).slice(0, 7);
    const summary = async (q = '') =>
        assertOk(await leader.get(`/api/v1/ledger/summary?area=${sumArea}${q}`));
    const empty = await summary();
    assert.equal(empty.period, month, 'the default period is this month');
    assert.equal(empty.total, 0);
    assert.equal(empty.average_score, null);
    for (const v of Object.values(empty.by_state)) assert.equal(v, 0);

    const today = shanghaiDate(0);
    const a = await createTask(leader, sumArea, { deadline: today });
    let s = await summary();
    assert.equal(s.total, 1);
    assert.equal(s.by_state.assigned, 1);
    assert.equal(s.overdue, 0);

    const b = await createTask(leader, sumArea, { deadline: today });
    await close(leader, b, 90);
    await close(leader, await createTask(leader, sumArea, { deadline: today }), 75);
    s = await summary();
    assert.equal(s.total, 3);
    assert.equal(s.by_state.assigned, 1);
    assert.equal(s.by_state.closed, 2);
    assert.equal(s.evaluated, 2);
    assert.equal(s.average_score, 82.5);

    assertOk(await transition(leader, a, 'cancel', { reason: '不再需要' }));
    s = await summary();
    assert.equal(s.by_state.assigned, 0);
    assert.equal(s.by_state.cancelled, 1);
    assert.equal(s.total, 3);

    // an overdue task, in the period of its deadline
    const y = shanghaiDate(-1);
    await createTask(leader, sumArea, { deadline: y });
    s = await summary(`&period=${y.slice(0, 7)}`);
    assert.equal(s.overdue, 1);
    // a task due in another month does not count in this one
    await createTask(leader, sumArea, { deadline: '2031-06-01' });
    const june = await summary('&period=2031-06');
    assert.equal(june.total, 1);
    assert.equal(june.by_state.assigned, 1);
    assert.equal((await summary()).total, month === y.slice(0, 7) ? 4 : 3);
    assertError(await leader.get('/api/v1/ledger/summary?period=2031-00'), 400, 'invalid_parameter', 'period');
});

test('summary for every period: period=all counts tasks of any deadline', async () => {
    const all = assertOk(await leader.get(`/api/v1/ledger/summary?area=${area}&period=all`));
    assert.equal(all.total, 7);
    assert.equal(all.from, null);
    const month = assertOk(await leader.get(`/api/v1/ledger/summary?area=${area}&period=2031-05`));
    assert.equal(month.total, 1);
});

test('summary without an area covers only the caller\'s own areas', async () => {
    const far = await freshArea(admin, '410105008000', '文化路汇总社区');
    await createTask(leader2, far, { deadline: '2032-02-02' });
    const l1 = assertOk(await leader.get('/api/v1/ledger/summary?period=2032-02'));
    const l2 = assertOk(await leader2.get('/api/v1/ledger/summary?period=2032-02'));
    const all = assertOk(await admin.get('/api/v1/ledger/summary?period=2032-02'));
    assert.equal(l1.total, 0, "leader does not count 文化路街道's task");
    assert.ok(l2.total >= 1);
    assert.ok(all.total >= l2.total);
});
