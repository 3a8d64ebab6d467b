// Recurring duties ("四个一"): generated tasks per period and compliance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    LONGHAI, WENHUA, login, assertError, assertOk, transition, freshArea, uniq, shanghaiDate,
} from './lib.mjs';

let admin, leader, leader2, grid;

test('setup', async () => {
    [admin, leader, leader2, grid] = await Promise.all(
        ['admin', 'leader', 'leader2', 'grid'].map((u) => login(u)));
});

function dutyBody(area, over = {}) {
    return {
        title: uniq('每周一天下沉社区'),
        description: '班子成员每周至少一天到联系社区',
        area,
        category: '四个一',
        frequency: 'week',
        responsible_unit: '街道党工委',
        responsible_person: '班子成员',
        start_date: shanghaiDate(-28),
        ...over,
    };
}

async function dutyTasks(client, id) {
    const res = assertOk(await client.get(`/api/v1/ledger/tasks?duty=${id}&per_page=200`));
    assert.equal(res.total, res.items.length);
    return res.items;
}

async function close(client, t) {
    t = assertOk(await transition(client, t, 'start'));
    t = assertOk(await transition(client, t, 'submit', { note: '已下沉社区' }));
    t = assertOk(await transition(client, t, 'verify'));
    return assertOk(await transition(client, t, 'evaluate', { score: 90, comment: '按要求完成' }));
}

test('a weekly duty started 4 weeks ago has one task for each of the 5 weeks so far', async () => {
    const area = await freshArea(admin, LONGHAI, '常态化测试社区');
    const body = dutyBody(area, { assignee_id: leader.me.id });
    const res = await leader.post('/api/v1/ledger/duties', body);
    const d = assertOk(res, 201);
    assert.equal(d.frequency, 'week');
    assert.equal(d.active, true);
    assert.equal(d.assignee.id, leader.me.id);
    assert.equal(res.headers.get('etag'), `"${d.version}"`);

    const today = shanghaiDate(0);
    const tasks = await dutyTasks(leader, d.id);
    assert.equal(tasks.length, 5, tasks.map((t) => t.period).join());
    const periods = tasks.map((t) => t.period);
    assert.equal(new Set(periods).size, 5, 'one task per week');
    for (const t of tasks) {
        assert.match(t.period, /^\d{4}-W\d\d$/);
        assert.equal(t.title, `${body.title}(${t.period})`);
        assert.equal(t.duty_id, d.id);
        assert.equal(t.area, area);
        assert.equal(t.category, '四个一');
        assert.equal(t.state, 'assigned');
        assert.equal(t.assignee.id, leader.me.id);
        assert.equal(new Date(`${t.deadline}T00:00:00Z`).getUTCDay(), 0, 'due on the Sunday');
        assert.equal(t.overdue, t.deadline < today);
    }
    const sorted = [...tasks].sort((a, b) => (a.deadline < b.deadline ? -1 : 1));
    assert.ok(sorted[0].deadline >= body.start_date, 'the first week contains the start date');
    assert.ok(sorted[4].deadline >= today, 'the last week is the current one');
    assert.equal(tasks.filter((t) => t.overdue).length, 4);

    // compliance: nothing done yet
    const q = `area=${area}&from=${body.start_date}&to=${shanghaiDate(7)}`;
    let c = assertOk(await leader.get(`/api/v1/ledger/compliance?${q}`));
    assert.equal(c.duties.length, 1);
    let row = c.duties[0];
    assert.equal(row.duty_id, d.id);
    assert.equal(row.required, 5);
    assert.equal(row.open, 5);
    assert.equal(row.on_time, 0);
    assert.equal(row.late, 0);
    assert.equal(row.periods.filter((p) => p.status === 'missed').length, 4);
    assert.equal(row.periods.filter((p) => p.status === 'open').length, 1);

    // this week's done on time, the first week's done late
    await close(leader, sorted[4]);
    await close(leader, sorted[0]);
    c = assertOk(await leader.get(`/api/v1/ledger/compliance?${q}`));
    row = c.duties[0];
    assert.equal(row.required, 5);
    assert.equal(row.on_time, 1);
    assert.equal(row.late, 1);
    assert.equal(row.open, 3);
    assert.equal(row.rate, 20);
    assert.equal(c.required, 5);
    assert.equal(c.on_time, 1);
    const status = Object.fromEntries(row.periods.map((p) => [p.task_id, p.status]));
    assert.equal(status[sorted[4].id], 'done');
    assert.equal(status[sorted[0].id], 'late');
    assert.equal(status[sorted[1].id], 'missed');

    // a cancelled period is not owed
    assertOk(await transition(leader, sorted[1], 'cancel', { reason: '节假日调休' }));
    row = assertOk(await leader.get(`/api/v1/ledger/compliance?${q}`)).duties[0];
    assert.equal(row.required, 4);
    assert.equal(row.rate, 25);

    // generation is idempotent: reading again, editing the duty create no duplicates
    const e = assertOk(await leader.patch(`/api/v1/ledger/duties/${d.id}`, {
        version: d.version, responsible_person: '街道书记',
    }));
    assert.equal(e.responsible_person, '街道书记');
    assert.equal((await dutyTasks(leader, d.id)).length, 5);
});

test('a monthly duty from the first of last month has two tasks', async () => {
    const area = await freshArea(admin, LONGHAI, '月度测试社区');
    const [y, m] = shanghaiDate(0).split('-').map(Number);
    const prev = m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
    const d = assertOk(await leader.post('/api/v1/ledger/duties',
        dutyBody(area, { frequency: 'month', start_date: prev, title: uniq('联席会议') })), 201);
    const tasks = await dutyTasks(leader, d.id);
    assert.deepEqual(tasks.map((t) => t.period).sort(), [prev.slice(0, 7), shanghaiDate(0).slice(0, 7)]);
});

test('duty validation, permissions and area scope', async () => {
    const marker = uniq('无效常态化');
    const bad = [
        [{ frequency: 'daily' }, 400, 'invalid_field', 'frequency'],
        [{ start_date: '2026-02-30' }, 400, 'invalid_field', 'start_date'],
        [{ category: '不存在' }, 400, 'invalid_field', 'category'],
        [{ area: WENHUA }, 403, 'area_forbidden', 'area'],
        [{ active: false }, 400, 'invalid_field', 'active'],
        [{ every: 2 }, 400, 'unknown_field', 'every'],
    ];
    for (const [over, status, code, field] of bad) {
        const e = assertError(await leader.post('/api/v1/ledger/duties',
            dutyBody(LONGHAI, { title: marker, ...over })), status, code, field);
        if (field === 'frequency') assert.deepEqual(e.allowed, ['week', 'month', 'quarter', 'year']);
    }
    assertError(await grid.post('/api/v1/ledger/duties', dutyBody('410104007001001', { title: marker })),
        403, 'forbidden');
    const all = assertOk(await admin.get('/api/v1/ledger/duties?per_page=200'));
    assert.ok(!all.items.some((d) => d.title === marker), 'no duty was created');
    const tasks = assertOk(await admin.get(`/api/v1/ledger/tasks?q=${encodeURIComponent(marker)}`));
    assert.equal(tasks.total, 0, 'no task was generated');

    // another street's duty is invisible and unchangeable
    const d2 = assertOk(await leader2.post('/api/v1/ledger/duties',
        dutyBody(WENHUA, { start_date: shanghaiDate(0) })), 201);
    assertError(await leader.get(`/api/v1/ledger/duties/${d2.id}`), 403, 'area_forbidden');
    assertError(await leader.patch(`/api/v1/ledger/duties/${d2.id}`, { version: d2.version, active: false }),
        403, 'area_forbidden');
    const mine = assertOk(await leader.get('/api/v1/ledger/duties?per_page=200'));
    assert.ok(!mine.items.some((d) => d.id === d2.id));
    const comp = assertOk(await leader.get('/api/v1/ledger/compliance'));
    assert.ok(!comp.duties.some((r) => r.duty_id === d2.id));
    // area, frequency and start date are fixed once set
    assertError(await leader2.patch(`/api/v1/ledger/duties/${d2.id}`, { version: d2.version, frequency: 'month' }),
        400, 'invalid_field', 'frequency');
    assertError(await leader2.patch(`/api/v1/ledger/duties/${d2.id}`, { title: 'x' }), 428, 'version_required');
    assertError(await leader2.patch(`/api/v1/ledger/duties/${d2.id}`, { version: d2.version, title: '  ' }),
        400, 'required', 'title');
    assertError(await leader2.patch(`/api/v1/ledger/duties/${d2.id}`, { version: d2.version, title: '' }),
        400, 'required', 'title');
    const still = assertOk(await leader2.get(`/api/v1/ledger/duties/${d2.id}`));
    assert.equal(still.active, true);
    assert.equal(still.version, d2.version);
    assert.equal(still.title, d2.title);
});

test('an inactive duty generates no new periods', async () => {
    const area = await freshArea(admin, LONGHAI, '停用测试社区');
    const d = assertOk(await leader.post('/api/v1/ledger/duties',
        dutyBody(area, { start_date: shanghaiDate(0) })), 201);
    assert.equal((await dutyTasks(leader, d.id)).length, 1);
    const off = assertOk(await leader.patch(`/api/v1/ledger/duties/${d.id}`, { version: d.version, active: false }));
    assert.equal(off.active, false);
    assert.equal((await dutyTasks(leader, d.id)).length, 1);
});
