// The audit log: a record's history, and the latest entries scoped to the caller's areas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    LONGHAI, WENHUA, login, assertError, assertOk, createTask, createUser, transition, uniq,
} from './lib.mjs';

let admin, leader, leader2, grid;

test('setup', async () => {
    [admin, leader, leader2, grid] = await Promise.all(
        ['admin', 'leader', 'leader2', 'grid'].map((u) => login(u)));
});

test('a task\'s history lists every step, newest first, with the note as reason', async () => {
    let t = await createTask(leader, LONGHAI);
    t = assertOk(await leader.patch(`/api/v1/ledger/tasks/${t.id}`, { version: 1, title: '改了标题' }));
    t = assertOk(await transition(leader, t, 'start'));
    const note = uniq('已召开会议研究');
    t = assertOk(await transition(leader, t, 'submit', { note }));
    t = assertOk(await transition(leader, t, 'return', { reason: '材料不全' }));
    t = assertOk(await transition(leader, t, 'submit', { note: '补齐材料' }));
    t = assertOk(await transition(leader, t, 'verify'));
    t = assertOk(await transition(leader, t, 'evaluate', { score: 88, comment: '整改及时' }));

    const res = assertOk(await leader.get(`/api/v1/audit?entity=ledger_task&id=${t.id}`));
    const items = res.items;
    assert.deepEqual(items.map((e) => e.action),
        ['evaluate', 'verify', 'submit', 'return', 'submit', 'start', 'update', 'create']);
    const seqs = items.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
    for (const e of items) {
        assert.equal(e.entity, 'ledger_task');
        assert.equal(e.entity_id, String(t.id));
        assert.equal(e.user, 'leader');
        assert.equal(e.user_id, leader.me.id);
        assert.equal(e.area, LONGHAI);
        assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d/);
    }
    const by = (a, i = 0) => items.filter((e) => e.action === a)[i];
    assert.equal(by('submit', 1).reason, note, 'the first submit keeps its note');
    assert.equal(by('submit', 0).reason, '补齐材料');
    assert.equal(by('return').reason, '材料不全');
    assert.equal(by('evaluate').reason, '整改及时');
    assert.equal(by('create').before, null);
    assert.equal(by('create').after.state, 'assigned');
    assert.equal(by('update').before.title, items.at(-1).after.title);
    assert.equal(by('update').after.title, '改了标题');
    assert.equal(by('start').before.state, 'assigned');
    assert.equal(by('start').after.state, 'discussing');
    assert.equal(by('evaluate').after.score, 88);
    assert.equal(by('evaluate').after.state, 'closed');
    // the same history for the administrator, and none of it is changeable over the API
    const asAdmin = assertOk(await admin.get(`/api/v1/audit?entity=ledger_task&id=${t.id}`));
    assert.deepEqual(asAdmin.items.map((e) => e.seq), seqs);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const r = await admin.req(m, '/api/v1/audit', m === 'DELETE' ? undefined : {});
        assert.ok([404, 405].includes(r.status), `${m} /api/v1/audit → ${r.status}`);
    }
    assertError(await leader.get(`/api/v1/audit?id=${t.id}`), 400, 'invalid_parameter', 'entity');
});

test('the history is paged with limit and next_before', async () => {
    let t = await createTask(leader, LONGHAI);
    for (const title of ['一', '二', '三', '四']) {
        t = assertOk(await leader.patch(`/api/v1/ledger/tasks/${t.id}`, { version: t.version, title }));
    }
    const first = assertOk(await leader.get(`/api/v1/audit?entity=ledger_task&id=${t.id}&limit=3`));
    assert.equal(first.items.length, 3);
    assert.ok(first.next_before);
    const second = assertOk(await leader.get(
        `/api/v1/audit?entity=ledger_task&id=${t.id}&limit=3&before=${first.next_before}`));
    assert.deepEqual(second.items.map((e) => e.action), ['update', 'create']);
    assert.ok(second.items[0].seq < first.items[2].seq);
    assertError(await leader.get('/api/v1/audit?limit=0'), 400, 'invalid_parameter', 'limit');
    assertError(await leader.get('/api/v1/audit?limit=501'), 400, 'invalid_parameter', 'limit');
});

test('the audit list shows only the caller\'s areas; a leader never sees another street', async () => {
    const theirs = await createTask(leader2, WENHUA, { title: uniq('文化路审计') });
    const mine = await createTask(leader, LONGHAI, { title: uniq('陇海审计') });
    const check = async (client, prefix) => {
        const res = assertOk(await client.get('/api/v1/audit?limit=500'));
        assert.ok(res.items.length > 0, `${client.name} sees entries`);
        for (const e of res.items) {
            assert.ok(e.area, `${client.name} sees an entry without an area: ${JSON.stringify(e)}`);
            assert.ok(e.area.startsWith(prefix), `${client.name} sees ${e.area} (${e.entity} ${e.action})`);
        }
        return res.items;
    };
    const l1 = await check(leader, '410104007');
    const l2 = await check(leader2, '410105008');
    await check(grid, '410104007001');
    assert.ok(l1.some((e) => e.entity_id === String(mine.id)));
    assert.ok(!l1.some((e) => e.entity === 'ledger_task' && e.entity_id === String(theirs.id)));
    assert.ok(l2.some((e) => e.entity_id === String(theirs.id)));
    // asking for the other street's record by id shows nothing either
    const direct = assertOk(await leader.get(`/api/v1/audit?entity=ledger_task&id=${theirs.id}`));
    assert.deepEqual(direct.items, []);
    // a user's records (logins included) belong to the user's first granted area
    const own = assertOk(await leader.get(`/api/v1/audit?entity=user&id=${leader.me.id}`));
    assert.ok(own.items.some((e) => e.action === 'login' && e.area === LONGHAI));
    const other = assertOk(await leader.get(`/api/v1/audit?entity=user&id=${leader2.me.id}`));
    assert.deepEqual(other.items, [], 'leader2 of 文化路街道 is outside 陇海马路街道');
    const adm = assertOk(await admin.get(`/api/v1/audit?entity=user&id=${leader.me.id}`));
    assert.ok(adm.items.some((e) => e.action === 'login'));
    // entries name the person, not only the account
    assert.ok(l1.some((e) => e.user === 'leader' && e.user_name === leader.me.display_name));
    // the administrator of the city sees both streets
    const all = assertOk(await admin.get('/api/v1/audit?entity=ledger_task&limit=500'));
    const ids = new Set(all.items.map((e) => e.entity_id));
    assert.ok(ids.has(String(theirs.id)) && ids.has(String(mine.id)));
});

test('personal data in snapshots is masked for non-administrators', async () => {
    // a user's phone shows in the admin's audit of that user, unmasked
    const username = uniq('p');
    const u = assertOk(await admin.post('/api/v1/users', {
        username, display_name: '手机号用户', password: 'secret-pass-1', roles: ['grid_worker'],
        areas: ['410104007001'], phone: '13912345678',
    }), 201);
    const hist = assertOk(await admin.get(`/api/v1/audit?entity=user&id=${u.id}`));
    assert.equal(hist.items[0].after.phone, '13912345678');
    assert.ok(!JSON.stringify(hist.items).includes('secret-pass-1'), 'no password in the audit');
    assert.ok(!/argon2/.test(JSON.stringify(hist.items)), 'no password hash in the audit');
});

// A street administrator must not read, through the audit log, the user records (phone numbers
// included) of another street that GET /api/v1/users/{id} refuses them.
test('a street administrator does not see the user records of another street', async () => {
    const sa = await createUser(admin, { roles: ['admin'], areas: [LONGHAI] });
    const c = await login(sa.username);
    assertError(await c.get(`/api/v1/users/${leader2.me.id}`), 403);
    const res = assertOk(await c.get(`/api/v1/audit?entity=user&id=${leader2.me.id}`));
    assert.deepEqual(res.items, [], 'leader2 of 文化路街道 is outside this administrator\'s grants');
});
