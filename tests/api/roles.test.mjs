// Roles and areas: who may see and change what, and the area tree's code rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    LONGHAI, WENHUA, PW, login, assertError, assertOk, createTask, createUser, taskBody, transition,
    countTasks, uniq, Client,
} from './lib.mjs';

let admin, leader, leader2, grid;
let wenhuaTask; // a task of 文化路街道, created by leader2

test('setup', async () => {
    [admin, leader, leader2, grid] = await Promise.all(
        ['admin', 'leader', 'leader2', 'grid'].map((u) => login(u)));
    wenhuaTask = await createTask(leader2, WENHUA, { title: uniq('文化路任务') });
});

test('a leader of 陇海马路街道 can neither see nor change a task of 文化路街道', async () => {
    const url = `/api/v1/ledger/tasks/${wenhuaTask.id}`;
    assertError(await leader.get(url), 403, 'area_forbidden');
    assertError(await leader.patch(url, { title: '越权修改', version: wenhuaTask.version }), 403,
        'area_forbidden');
    assertError(await transition(leader, wenhuaTask, 'start'), 403, 'area_forbidden');
    assertError(await transition(leader, wenhuaTask, 'cancel', { reason: '越权撤销' }), 403,
        'area_forbidden');
    // nor move it into their own street
    assertError(await leader.patch(url, { area: LONGHAI, version: wenhuaTask.version }), 403,
        'area_forbidden');
    // nothing changed
    const now = assertOk(await leader2.get(url));
    assert.equal(now.title, wenhuaTask.title);
    assert.equal(now.state, 'assigned');
    assert.equal(now.version, wenhuaTask.version);
    assert.equal(now.area, WENHUA);
});

test('a leader cannot create a task in another street, nor filter a list by it', async () => {
    const body = taskBody(WENHUA);
    assertError(await leader.post('/api/v1/ledger/tasks', body), 403, 'area_forbidden', 'area');
    assert.equal(await countTasks(leader2, body.title), 0, 'nothing was created');
    assertError(await leader.get(`/api/v1/ledger/tasks?area=${WENHUA}`), 403, 'area_forbidden');
    assertError(await leader.get(`/api/v1/ledger/summary?area=${WENHUA}`), 403, 'area_forbidden');
    assertError(await leader.get(`/api/v1/ledger/duties?area=${WENHUA}`), 403, 'area_forbidden');
    assertError(await leader.get(`/api/v1/ledger/compliance?area=${WENHUA}`), 403, 'area_forbidden');
    assertError(await leader.get(`/api/v1/areas?area=${WENHUA}`), 403, 'area_forbidden');
    assertError(await leader.get(`/api/v1/areas/${WENHUA}`), 404);
});

test('a grid worker cannot create or edit tasks (403)', async () => {
    const body = taskBody('410104007001001');
    assertError(await grid.post('/api/v1/ledger/tasks', body), 403, 'forbidden');
    assert.equal(await countTasks(leader, body.title), 0);
    const mine = await createTask(leader, '410104007001001');
    assertError(await grid.patch(`/api/v1/ledger/tasks/${mine.id}`, { title: 'x', version: mine.version }),
        403, 'forbidden');
    // but sees tasks of their grid, and cannot verify (a leader's step)
    const seen = assertOk(await grid.get(`/api/v1/ledger/tasks/${mine.id}`));
    assert.equal(seen.title, mine.title);
    assert.deepEqual(seen.actions, [], 'a grid worker who is not the assignee has no actions');
    assertError(await transition(grid, mine, 'start'), 403, 'forbidden');
});

test('list endpoints return only records of the caller\'s areas', async () => {
    // make sure each street has at least one task of its own
    await createTask(leader, LONGHAI);
    for (const [client, prefix] of [[leader, '410104007'], [leader2, '410105008'],
        [grid, '410104007001']]) {
        let page = 1, seen = 0, total;
        do {
            const res = assertOk(await client.get(`/api/v1/ledger/tasks?per_page=200&page=${page}`));
            total = res.total;
            for (const t of res.items)
                assert.ok(t.area.startsWith(prefix), `${client.name} sees task ${t.id} of ${t.area}`);
            seen += res.items.length;
            page += 1;
            if (res.items.length === 0) break;
        } while (seen < total);
        assert.ok(seen > 0, `${client.name} sees some tasks`);
        const duties = assertOk(await client.get('/api/v1/ledger/duties?per_page=200'));
        for (const d of duties.items) assert.ok(d.area.startsWith(prefix), `${client.name} duty ${d.area}`);
        const areas = assertOk(await client.get('/api/v1/areas'));
        assert.ok(areas.items.length > 0);
        for (const a of areas.items) assert.ok(a.code.startsWith(prefix), `${client.name} area ${a.code}`);
    }
    const l2 = assertOk(await leader2.get('/api/v1/ledger/tasks?per_page=200'));
    assert.ok(l2.items.some((t) => t.id === wenhuaTask.id));
});

test('non-administrators cannot list users or change configuration', async () => {
    for (const c of [leader, leader2, grid]) {
        assertError(await c.get('/api/v1/users'), 403, 'forbidden');
        assertError(await c.get(`/api/v1/users/${c.me.id}`), 403, 'forbidden');
        assertError(await c.post('/api/v1/users', {
            username: uniq('x'), display_name: 'x', password: PW, roles: ['admin'], areas: ['410100'],
        }), 403, 'forbidden');
        assertError(await c.get('/api/v1/config'), 403, 'forbidden');
        assertError(await c.put('/api/v1/config/ledger.categories', { value: ['只有这一类'], version: 0 }),
            403, 'forbidden');
        assertError(await c.post('/api/v1/areas', { code: '410104007901', name: 'x', kind: '社区' }),
            403, 'forbidden');
    }
    // the categories are unchanged
    const wf = assertOk(await leader.get('/api/v1/ledger/workflow'));
    assert.ok(wf.categories.includes('组织建设'));
    // but anyone logged in may look up who can take work in an area of their own
    const people = assertOk(await leader.get(`/api/v1/users/lookup?area=${LONGHAI}`));
    assert.ok(people.items.some((p) => p.id === leader.me.id));
    assertError(await leader.get(`/api/v1/users/lookup?area=${WENHUA}`), 403, 'area_forbidden');
});

test('the city administrator sees every street', async () => {
    const all = assertOk(await admin.get(`/api/v1/ledger/tasks/${wenhuaTask.id}`));
    assert.equal(all.area, WENHUA);
    const both = new Set();
    let page = 1;
    for (;;) {
        const res = assertOk(await admin.get(`/api/v1/ledger/tasks?per_page=200&page=${page}`));
        for (const t of res.items) both.add(t.area.slice(0, 9));
        if (res.items.length < 200) break;
        page += 1;
    }
    assert.ok(both.has('410104007') && both.has('410105008'), [...both].join(','));
    const users = assertOk(await admin.get('/api/v1/users?per_page=200'));
    const names = users.items.map((u) => u.username);
    for (const n of ['leader', 'leader2', 'grid', 'poverty']) assert.ok(names.includes(n), n);
    const areas = assertOk(await admin.get('/api/v1/areas?per_page=5000'));
    assert.ok(areas.items.some((a) => a.code === '410181110000'));
});

test('an administrator can grant only areas inside their own grants', async () => {
    const streetAdmin = await createUser(admin, { roles: ['admin'], areas: [LONGHAI] });
    const sa = await login(streetAdmin.username);
    const username = uniq('g');
    const res = await sa.post('/api/v1/users', {
        username, display_name: '越权授权', password: PW, roles: ['grid_worker'], areas: [WENHUA],
    });
    assertError(res, 403, 'area_forbidden', 'areas');
    const mixed = await sa.post('/api/v1/users', {
        username, display_name: '越权授权', password: PW, roles: ['grid_worker'],
        areas: ['410104007001', WENHUA],
    });
    assertError(mixed, 403, 'area_forbidden', 'areas');
    const fail = await new Client().post('/api/v1/session', { username, password: PW });
    assert.equal(fail.status, 401, 'the user was not created');
    const users = assertOk(await admin.get('/api/v1/users?per_page=200'));
    assert.ok(!users.items.some((u) => u.username === username));
    // within the grants it works
    const ok = assertOk(await sa.post('/api/v1/users', {
        username, display_name: '社区网格员', password: PW, roles: ['grid_worker'],
        areas: ['410104007001'],
    }), 201);
    assert.deepEqual(ok.areas, ['410104007001']);
    // a street admin cannot widen an existing user's grants beyond their own either
    const widen = await sa.patch(`/api/v1/users/${ok.id}`, { areas: [WENHUA], version: ok.version });
    assertError(widen, 403, 'area_forbidden', 'areas');
    // nor touch a user of another street
    assertError(await sa.get(`/api/v1/users/${leader2.me.id}`), 403);
    assertError(await sa.patch(`/api/v1/users/${leader2.me.id}`, { display_name: 'x', version: 1 }), 403);
    // nor see users outside their street in the list
    const list = assertOk(await sa.get('/api/v1/users?per_page=200'));
    assert.ok(!list.items.some((u) => u.username === 'leader2'), 'leader2 is outside the street');
});

test('area codes: a child must extend its parent (422), invalid 400, duplicate 409', async () => {
    const wrongParent = await admin.post('/api/v1/areas', {
        code: '410105008101', parent: LONGHAI, name: '错挂社区', kind: '社区',
    });
    assertError(wrongParent, 422, 'code_not_under_parent', 'parent');
    for (const code of ['4101050081', '41010500810a', '000000', '410105000101', '410105008000000']) {
        const bad = await admin.post('/api/v1/areas', { code, name: '无效代码', kind: '社区' });
        assertError(bad, 400, 'invalid_field', 'code');
    }
    const dup = await admin.post('/api/v1/areas', { code: '410104007001', name: '重复', kind: '社区' });
    assertError(dup, 409, 'duplicate', 'code');
    // none of them exists afterwards, and the original keeps its name
    assertError(await admin.get('/api/v1/areas/410105008101'), 404);
    assert.equal(assertOk(await admin.get('/api/v1/areas/410104007001')).name, '永安街社区');
    // an orphan (no parent in the tree) is refused over the API
    const orphan = await admin.post('/api/v1/areas', { code: '410199001001', name: '孤儿', kind: '社区' });
    assertError(orphan, 422, 'parent_missing');
    // the code is validated even without "parent": it decides the parent
    const child = await admin.post('/api/v1/areas', { code: '410105008199', name: '新社区', kind: '社区' });
    const a = assertOk(child, 201);
    assert.equal(a.parent, WENHUA);
    assert.equal(a.level, 5);
    const seen = assertOk(await leader2.get('/api/v1/areas/410105008199'));
    assert.equal(seen.name, '新社区');
    assertError(await leader.get('/api/v1/areas/410105008199'), 404);
});

test('a street administrator cannot create areas outside their grants', async () => {
    const streetAdmin = await createUser(admin, { roles: ['admin'], areas: [LONGHAI] });
    const sa = await login(streetAdmin.username);
    const res = await sa.post('/api/v1/areas', { code: '410105008198', name: '越权', kind: '社区' });
    assertError(res, 403, 'area_forbidden', 'parent');
    assertError(await admin.get('/api/v1/areas/410105008198'), 404);
});
