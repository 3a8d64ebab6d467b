// The secretary's ledger: creating tasks, validation, and the closed loop
// 定责 → 研讨 → 问效 → 考评 → 办结 with return, reopen and cancel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    LONGHAI, WENHUA, login, assertError, assertOk, createTask, taskBody, transition, countTasks,
    uniq, shanghaiDate,
} from './lib.mjs';

let admin, leader, leader2, grid;

test('setup', async () => {
    [admin, leader, leader2, grid] = await Promise.all(
        ['admin', 'leader', 'leader2', 'grid'].map((u) => login(u)));
});

test('create: 201 with Location, ETag and the stored task', async () => {
    // the grid worker is granted the grids of 永安街社区: a task of the first grid is theirs
    const body = taskBody('410104007001001', {
        title: uniq('创建'), description: '第一行\n第二行', assignee_id: grid.me.id,
    });
    const res = await leader.post('/api/v1/ledger/tasks', body);
    const t = assertOk(res, 201);
    assert.equal(res.headers.get('location'), `/api/v1/ledger/tasks/${t.id}`);
    assert.equal(res.headers.get('etag'), `"${t.version}"`);
    assert.equal(t.version, 1);
    assert.equal(t.state, 'assigned');
    assert.equal(t.state_zh, '定责');
    for (const k of ['title', 'description', 'area', 'category', 'responsible_unit',
        'responsible_person', 'deadline'])
        assert.equal(t[k], body[k], k);
    assert.equal(t.area_name, '永安街社区第一网格');
    assert.equal(t.assignee.id, grid.me.id);
    assert.equal(t.score, null);
    assert.equal(t.closed_at, null);
    assert.equal(t.reopen_count, 0);
    assert.equal(t.overdue, false);
    assert.deepEqual(t.actions.map((a) => a.action).sort(), ['cancel', 'start']);
    const got = await leader.get(res.headers.get('location'));
    assert.deepEqual(assertOk(got).title, body.title);
    assert.equal(got.headers.get('etag'), '"1"');
    // the grid worker is the assignee: sees it and may start it, though not a leader
    const asGrid = assertOk(await grid.get(`/api/v1/ledger/tasks/${t.id}`));
    assert.deepEqual(asGrid.actions.map((a) => a.action), ['start']);
    assert.equal(asGrid.can_edit, false);
});

test('validation errors name the field and create nothing', async () => {
    const marker = uniq('不应创建');
    const cases = [
        [{ title: undefined, description: marker }, 400, 'required', 'title'],
        [{ title: '   ', description: marker }, 400, 'required', 'title'],
        [{ title: marker, deadline: '2026-02-30' }, 400, 'invalid_field', 'deadline'],
        [{ title: marker, deadline: '2026-13-01' }, 400, 'invalid_field', 'deadline'],
        [{ title: marker, deadline: '20260301' }, 400, 'invalid_field', 'deadline'],
        [{ title: marker, deadline: undefined }, 400, 'required', 'deadline'],
        [{ title: marker, category: '不存在的类别' }, 400, 'invalid_field', 'category'],
        [{ title: marker, area: WENHUA }, 403, 'area_forbidden', 'area'],
        [{ title: marker, area: '12345x' }, 400, 'invalid_field', 'area'],
        [{ title: marker, assignee_id: leader2.me.id }, 422, 'assignee_out_of_area', 'assignee_id'],
        [{ title: marker, assignee_id: 99999999 }, 422, undefined, 'assignee_id'],
        [{ title: marker, assignee_id: '3' }, 400, 'invalid_field', 'assignee_id'],
        [{ title: marker, priority: 'high' }, 400, 'unknown_field', 'priority'],
        [{ title: marker, state: 'closed' }, 400, 'unknown_field', 'state'],
        [{ title: marker + 'x'.repeat(101) }, 400, 'invalid_field', 'title'],
        [{ title: `${marker}\u0007` }, 400, 'invalid_field', 'title'],
    ];
    for (const [over, status, code, field] of cases) {
        const body = taskBody(LONGHAI, over);
        for (const k of Object.keys(over)) if (over[k] === undefined) delete body[k];
        const res = await leader.post('/api/v1/ledger/tasks', body);
        const e = assertError(res, status, code, field);
        if (field === 'category') {
            assert.ok(Array.isArray(e.allowed), 'the allowed categories are listed');
            assert.ok(e.allowed.includes('组织建设') && e.allowed.includes('四个一'), e.allowed.join());
        }
    }
    assert.equal(await countTasks(admin, marker), 0, 'none of the rejected bodies created a task');
});

test('an area code inside the grants that names no area is 422 unknown_area', async () => {
    const body = taskBody('410104007199', { title: uniq('不存在的社区') });
    assertError(await leader.post('/api/v1/ledger/tasks', body), 422, 'unknown_area', 'area');
    assert.equal(await countTasks(leader, body.title), 0);
    const t = await createTask(leader, LONGHAI);
    assertError(await leader.patch(`/api/v1/ledger/tasks/${t.id}`, { version: 1, area: '410104007001199' }),
        422, 'unknown_area', 'area');
    const duty = {
        title: body.title, area: '410104007199', category: '四个一', frequency: 'month',
        start_date: shanghaiDate(0),
    };
    assertError(await leader.post('/api/v1/ledger/duties', duty), 422, 'unknown_area', 'area');
    assert.equal(assertOk(await leader.get(`/api/v1/ledger/tasks/${t.id}`)).area, LONGHAI);
});

test('moving a task to an area its assignee does not cover is 422', async () => {
    const t = await createTask(leader, '410104007001001', { assignee_id: grid.me.id });
    assertError(await leader.patch(`/api/v1/ledger/tasks/${t.id}`, { version: 1, area: '410104007002' }),
        422, 'assignee_out_of_area', 'assignee_id');
    // without the assignee it may move
    const moved = assertOk(await leader.patch(`/api/v1/ledger/tasks/${t.id}`,
        { version: 1, area: '410104007002', assignee_id: null }));
    assert.equal(moved.area, '410104007002');
    assert.equal(moved.assignee, null);
});

test('assignee=me lists the caller\'s own tasks', async () => {
    const t = await createTask(leader, '410104007001002', { assignee_id: grid.me.id });
    const mine = assertOk(await grid.get('/api/v1/ledger/tasks?assignee=me&per_page=200'));
    assert.ok(mine.items.length > 0);
    assert.ok(mine.items.every((x) => x.assignee && x.assignee.id === grid.me.id));
    assert.ok(mine.items.some((x) => x.id === t.id));
    const byId = assertOk(await leader.get(`/api/v1/ledger/tasks?assignee=${grid.me.id}&per_page=200`));
    assert.ok(byId.items.some((x) => x.id === t.id));
    assertError(await leader.get('/api/v1/ledger/tasks?assignee=someone'), 400, 'invalid_parameter', 'assignee');
});

test('the full loop: start → submit → verify → evaluate → closed', async () => {
    let t = await createTask(leader, LONGHAI, { assignee_id: leader.me.id });
    const url = `/api/v1/ledger/tasks/${t.id}`;
    t = assertOk(await transition(leader, t, 'start'));
    assert.equal(t.state, 'discussing');
    assert.equal(t.version, 2);
    // submit needs a note saying what was done
    assertError(await transition(leader, t, 'submit'), 400, 'required', 'note');
    assertError(await transition(leader, t, 'submit', { note: '  \n ' }), 400, 'required', 'note');
    assert.equal(assertOk(await leader.get(url)).state, 'discussing', 'nothing moved');
    const note = `已召开专题会议${uniq('')}`;
    t = assertOk(await transition(leader, t, 'submit', { note }));
    assert.equal(t.state, 'checking');
    assert.equal(t.last_note, note);
    t = assertOk(await transition(leader, t, 'verify'));
    assert.equal(t.state, 'evaluating');
    // evaluation: score 0–100 and a comment are required
    assertError(await transition(leader, t, 'evaluate', { comment: '好' }), 400, 'required', 'score');
    assertError(await transition(leader, t, 'evaluate', { score: 101, comment: '好' }), 400,
        'invalid_field', 'score');
    assertError(await transition(leader, t, 'evaluate', { score: -1, comment: '好' }), 400,
        'invalid_field', 'score');
    assertError(await transition(leader, t, 'evaluate', { score: 80.5, comment: '好' }), 400,
        'invalid_field', 'score');
    assertError(await transition(leader, t, 'evaluate', { score: 90 }), 400, 'required', 'comment');
    const mid = assertOk(await leader.get(url));
    assert.equal(mid.state, 'evaluating');
    assert.equal(mid.score, null);
    assert.equal(mid.version, t.version, 'rejected evaluations changed nothing');
    t = assertOk(await transition(leader, t, 'evaluate', { score: 100, comment: '完成质量高' }));
    assert.equal(t.state, 'closed');
    assert.equal(t.state_zh, '办结');
    assert.equal(t.score, 100);
    assert.equal(t.eval_comment, '完成质量高');
    assert.match(t.closed_at || '', /^\d{4}-\d\d-\d\d/);
    assert.deepEqual(t.actions, []);
    assert.equal(t.can_edit, false);
    // closed is final: no transition, no edit
    const again = await transition(leader, t, 'reopen', { reason: '再看看' });
    const e = assertError(again, 409, 'invalid_transition', 'action');
    assert.deepEqual(e.allowed, []);
    assertError(await leader.patch(url, { title: '改已办结', version: t.version }), 409);
    const final = assertOk(await leader.get(url));
    assert.equal(final.title, t.title);
    assert.equal(final.score, 100);
});

test('score 0 is a valid evaluation', async () => {
    let t = await createTask(leader, LONGHAI);
    t = assertOk(await transition(leader, t, 'start'));
    t = assertOk(await transition(leader, t, 'submit', { note: '已办' }));
    t = assertOk(await transition(leader, t, 'verify'));
    t = assertOk(await transition(leader, t, 'evaluate', { score: 0, comment: '未达到要求' }));
    assert.equal(t.score, 0);
    assert.equal(t.state, 'closed');
});

test('an illegal transition is 409 invalid_transition listing the allowed actions', async () => {
    const t = await createTask(leader, LONGHAI);
    const res = await transition(leader, t, 'verify');
    const e = assertError(res, 409, 'invalid_transition', 'action');
    assert.deepEqual(e.allowed.map((a) => a.action).sort(), ['cancel', 'start']);
    assert.equal(e.state, 'assigned');
    assertError(await transition(leader, t, 'evaluate', { score: 90, comment: '好' }), 409,
        'invalid_transition');
    assertError(await transition(leader, t, 'fly'), 400, 'invalid_field', 'action');
    assertError(await transition(leader, t, 'start', { score: 50 }), 400, 'invalid_field', 'score');
    const now = assertOk(await leader.get(`/api/v1/ledger/tasks/${t.id}`));
    assert.equal(now.state, 'assigned');
    assert.equal(now.version, 1);
});

test('return from 问效 and reopen from 考评 count reopenings and clear the score', async () => {
    let t = await createTask(leader, LONGHAI);
    t = assertOk(await transition(leader, t, 'start'));
    t = assertOk(await transition(leader, t, 'submit', { note: '第一次办理' }));
    assertError(await transition(leader, t, 'return'), 400, 'required', 'reason');
    t = assertOk(await transition(leader, t, 'return', { reason: '材料不全' }));
    assert.equal(t.state, 'discussing');
    assert.equal(t.reopen_count, 1);
    assert.equal(t.score, null);
    t = assertOk(await transition(leader, t, 'submit', { note: '补充材料' }));
    t = assertOk(await transition(leader, t, 'verify'));
    assertError(await transition(leader, t, 'reopen', { reason: ' ' }), 400, 'required', 'reason');
    t = assertOk(await transition(leader, t, 'reopen', { reason: '群众仍有意见' }));
    assert.equal(t.state, 'discussing');
    assert.equal(t.reopen_count, 2);
    assert.equal(t.score, null);
    assert.equal(t.eval_comment, null);
    t = assertOk(await transition(leader, t, 'submit', { note: '再次整改' }));
    t = assertOk(await transition(leader, t, 'verify'));
    t = assertOk(await transition(leader, t, 'evaluate', { score: 75, comment: '整改到位' }));
    assert.equal(t.reopen_count, 2);
    assert.equal(t.score, 75);
});

test('cancel: only from 定责, needs a reason, is final', async () => {
    let t = await createTask(leader, LONGHAI);
    assertError(await transition(leader, t, 'cancel'), 400, 'required', 'reason');
    t = assertOk(await transition(leader, t, 'cancel', { reason: '项目取消' }));
    assert.equal(t.state, 'cancelled');
    assert.notEqual(t.closed_at, null);
    assert.equal(t.overdue, false);
    assertError(await transition(leader, t, 'start'), 409, 'invalid_transition');
    assertError(await leader.patch(`/api/v1/ledger/tasks/${t.id}`, { title: 'x', version: t.version }),
        409, 'closed');
    let s = await createTask(leader, LONGHAI);
    s = assertOk(await transition(leader, s, 'start'));
    const e = assertError(await transition(leader, s, 'cancel', { reason: '不做了' }), 409,
        'invalid_transition');
    assert.ok(e.allowed.some((a) => a.action === 'submit'));
});

test('the assignee does the work, the leader checks it', async () => {
    let t = await createTask(leader, '410104007001001', { assignee_id: grid.me.id });
    t = assertOk(await transition(grid, t, 'start'));
    t = assertOk(await transition(grid, t, 'submit', { note: '网格内已落实' }));
    assert.equal(t.state, 'checking');
    assertError(await transition(grid, t, 'verify'), 403, 'forbidden');
    assertError(await transition(grid, t, 'return', { reason: '自己退回' }), 403, 'forbidden');
    t = assertOk(await transition(leader, t, 'verify'));
    assertError(await transition(grid, t, 'evaluate', { score: 100, comment: '自评' }), 403, 'forbidden');
    const now = assertOk(await leader.get(`/api/v1/ledger/tasks/${t.id}`));
    assert.equal(now.state, 'evaluating');
    assert.equal(now.score, null);
});

test('edit: fields change, the version grows, rules still apply', async () => {
    const t = await createTask(leader, LONGHAI);
    const url = `/api/v1/ledger/tasks/${t.id}`;
    const res = await leader.patch(url, {
        version: t.version, title: '改后的标题', deadline: shanghaiDate(30), area: '410104007002',
    });
    const u = assertOk(res);
    assert.equal(u.title, '改后的标题');
    assert.equal(u.area, '410104007002');
    assert.equal(u.version, t.version + 1);
    assert.equal(res.headers.get('etag'), `"${u.version}"`);
    assert.equal(u.description, t.description, 'untouched fields stay');
    assertError(await leader.patch(url, { version: u.version, title: '' }), 400, 'required', 'title');
    assertError(await leader.patch(url, { version: u.version, title: '   ' }), 400, 'required', 'title');
    assertError(await leader.patch(url, { version: u.version, deadline: '2026-02-29' }), 400,
        'invalid_field', 'deadline');
    assertError(await leader.patch(url, { version: u.version, category: '无' }), 400, 'invalid_field',
        'category');
    assertError(await leader.patch(url, { version: u.version, state: 'closed' }), 400, 'unknown_field',
        'state');
    assertError(await leader.patch(url, { version: u.version, area: WENHUA }), 403, 'area_forbidden');
    const now = assertOk(await leader.get(url));
    assert.equal(now.version, u.version);
    assert.equal(now.title, '改后的标题');
    assert.equal(now.area, '410104007002');
    assertError(await leader.get('/api/v1/ledger/tasks/999999999'), 404, 'not_found');
    assertError(await leader.get('/api/v1/ledger/tasks/abc'), 404, 'not_found');
});

test('the workflow is described as data', async () => {
    const wf = assertOk(await grid.get('/api/v1/ledger/workflow'));
    assert.deepEqual(wf.states.map((s) => s.code),
        ['assigned', 'discussing', 'checking', 'evaluating', 'closed', 'cancelled']);
    const ev = wf.transitions.find((x) => x.action === 'evaluate');
    assert.ok(ev, 'evaluate transition');
    assert.ok(wf.categories.includes('组织建设'));
});
