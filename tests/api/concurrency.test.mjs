// Optimistic concurrency: versions, If-Match, 409 stale_version, 428 version_required, and
// races between clients on the same record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LONGHAI, login, assertError, assertOk, createTask, transition } from './lib.mjs';

let admin, leader, leader2;

test('setup', async () => {
    [admin, leader, leader2] = await Promise.all(['admin', 'leader', 'leader2'].map((u) => login(u)));
});

const url = (t) => `/api/v1/ledger/tasks/${t.id}`;

test('a stale version is 409 stale_version and changes nothing', async () => {
    const t = await createTask(leader, LONGHAI);
    const v2 = assertOk(await leader.patch(url(t), { version: 1, title: '第一次修改' }));
    assert.equal(v2.version, 2);
    const stale = await admin.patch(url(t), { version: 1, description: '基于旧版本的修改' });
    const e = assertError(stale, 409, 'stale_version', 'version');
    assert.equal(e.current_version, 2);
    const staleMove = await transition(admin, { id: t.id, version: 1 }, 'start');
    assertError(staleMove, 409, 'stale_version');
    // an action that is illegal now but was sent with an old version: "changed meanwhile" wins
    assertError(await transition(admin, { id: t.id, version: 1 }, 'evaluate', { score: 1, comment: 'x' }),
        409, 'stale_version');
    const now = assertOk(await leader.get(url(t)));
    assert.equal(now.version, 2);
    assert.equal(now.title, '第一次修改');
    assert.equal(now.description, t.description);
    assert.equal(now.state, 'assigned');
    // versions from the future are stale too
    assertError(await leader.patch(url(t), { version: 99, title: 'x' }), 409, 'stale_version');
});

test('If-Match carries the version; a stale ETag is 409', async () => {
    const t = await createTask(leader, LONGHAI);
    const got = await leader.get(url(t));
    const etag = got.headers.get('etag');
    assert.equal(etag, '"1"');
    const res = await leader.patch(url(t), { title: '带If-Match修改' }, { 'If-Match': etag });
    const u = assertOk(res);
    assert.equal(u.version, 2);
    assert.equal(res.headers.get('etag'), '"2"');
    assertError(await leader.patch(url(t), { title: '旧ETag' }, { 'If-Match': etag }), 409, 'stale_version');
    // a weak ETag form is understood as well
    assertOk(await leader.patch(url(t), { responsible_person: '李四' }, { 'If-Match': 'W/"2"' }));
    // transitions take If-Match too
    const moved = assertOk(await leader.post(`${url(t)}/transitions`, { action: 'start' },
        { 'If-Match': '"3"' }));
    assert.equal(moved.state, 'discussing');
    assertError(await leader.patch(url(t), { title: 'x' }, { 'If-Match': 'garbage' }), 400,
        'invalid_field', 'If-Match');
    const now = assertOk(await leader.get(url(t)));
    assert.equal(now.title, '带If-Match修改');
    assert.equal(now.responsible_person, '李四');
    assert.equal(now.version, 4);
});

test('without a version an update is 428 version_required', async () => {
    const t = await createTask(leader, LONGHAI);
    assertError(await leader.patch(url(t), { title: '没有版本' }), 428, 'version_required', 'version');
    assertError(await leader.post(`${url(t)}/transitions`, { action: 'start' }), 428, 'version_required');
    assertError(await leader.patch(url(t), { title: 'x', version: 0 }), 400, 'invalid_field', 'version');
    assertError(await leader.patch(url(t), { title: 'x', version: '1' }), 400, 'invalid_field', 'version');
    const now = assertOk(await leader.get(url(t)));
    assert.equal(now.version, 1);
    assert.equal(now.title, t.title);
    assert.equal(now.state, 'assigned');
});

test('two clients editing different fields one after the other lose nothing', async () => {
    const t = await createTask(leader, LONGHAI);
    // both read version 1
    const a = assertOk(await leader.get(url(t)));
    const b = assertOk(await admin.get(url(t)));
    assertOk(await leader.patch(url(t), { version: a.version, title: '甲改了标题' }));
    // b's write on the old version is refused; b reloads and applies its own change on top
    assertError(await admin.patch(url(t), { version: b.version, description: '乙改了内容' }), 409,
        'stale_version');
    const b2 = assertOk(await admin.get(url(t)));
    assertOk(await admin.patch(url(t), { version: b2.version, description: '乙改了内容' }));
    const now = assertOk(await leader.get(url(t)));
    assert.equal(now.title, '甲改了标题');
    assert.equal(now.description, '乙改了内容');
    assert.equal(now.version, 3);
});

test('parallel transitions of one task with the same version: exactly one wins', async () => {
    const t = await createTask(leader, LONGHAI);
    const clients = [leader, admin, leader, admin, leader, admin];
    const results = await Promise.all(clients.map((c) => transition(c, t, 'start')));
    const ok = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    assert.equal(ok.length, 1, results.map((r) => `${r.status} ${r.text.slice(0, 80)}`).join('\n'));
    for (const r of lost) {
        assert.equal(r.status, 409, r.text);
        assert.ok(['stale_version', 'invalid_transition'].includes(r.json.error.code), r.text);
    }
    const now = assertOk(await leader.get(url(t)));
    assert.equal(now.state, 'discussing');
    assert.equal(now.version, 2);
    const hist = assertOk(await admin.get(`/api/v1/audit?entity=ledger_task&id=${t.id}`));
    assert.equal(hist.items.filter((e) => e.action === 'start').length, 1, 'one start in the history');
});

test('parallel edits with the same version: exactly one is applied', async () => {
    const t = await createTask(leader, LONGHAI);
    const titles = ['并发一', '并发二', '并发三', '并发四', '并发五'];
    const results = await Promise.all(titles.map((title, i) =>
        (i % 2 ? admin : leader).patch(url(t), { version: 1, title })));
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, results.map((r) => `${r.status} ${r.text.slice(0, 80)}`).join('\n'));
    for (const r of results) if (r.status !== 200) assertError(r, 409, 'stale_version');
    const now = assertOk(await leader.get(url(t)));
    assert.equal(now.version, 2);
    assert.equal(now.title, ok[0].json.title);
});

test('parallel creates by several users all succeed with distinct ids', async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => (i % 2 ? leader2 : leader));
    const results = await Promise.all(bodies.map((c) =>
        createTask(c, c === leader ? LONGHAI : '410105008000')));
    assert.equal(new Set(results.map((t) => t.id)).size, 8);
});
