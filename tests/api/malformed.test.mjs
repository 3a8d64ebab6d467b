// Malformed input is refused at the edge, before anything is touched: size limits, bad UTF-8,
// bad JSON, wrong media types. Hostile text is stored and returned verbatim as JSON text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    LONGHAI, PW, login, assertError, assertOk, countTasks, taskBody, uniq, rawRequest, Client,
    assertSecurityHeaders,
} from './lib.mjs';

let admin, leader;

test('setup', async () => {
    [admin, leader] = await Promise.all(['admin', 'leader'].map((u) => login(u)));
});

const cookie = (c) => `jc_session=${c.cookies.get('jc_session')}`;

function assertRawError(res, status, code) {
    assert.equal(res.status, status, `${res.status} ${res.text.slice(0, 300)}`);
    const j = JSON.parse(res.text);
    assert.equal(j.error.code, code);
    assert.ok(j.error.message_zh);
    assertSecurityHeaders((h) => res.headers[h], `${status} ${code}`);
}

test('a body announced far over the limit (64 MiB) is 413 before it is read', async () => {
    const username = uniq('big');
    const res = await rawRequest({
        method: 'POST', path: '/api/v1/users',
        headers: { 'Content-Type': 'application/json', Cookie: cookie(admin),
            'Content-Length': String(64 * 1024 * 1024) },
        body: JSON.stringify({ username }), sendBody: false,
    });
    assertRawError(res, 413, 'too_large');
});

test('a body over 1 MiB on its way (sized or chunked) is 413 and creates nothing', async () => {
    const username = uniq('big');
    const body = JSON.stringify({
        username, display_name: '大', password: PW, roles: ['grid_worker'], areas: [LONGHAI],
        pad: 'x'.repeat(1024 * 1024 + 100),
    });
    const res = await rawRequest({
        method: 'POST', path: '/api/v1/users',
        headers: { 'Content-Type': 'application/json', Cookie: cookie(admin) }, body,
    });
    assertRawError(res, 413, 'too_large');
    const chunked = await rawRequest({
        method: 'POST', path: '/api/v1/users', chunked: true,
        headers: { 'Content-Type': 'application/json', Cookie: cookie(admin) }, body,
    });
    assertRawError(chunked, 413, 'too_large');
    const login2 = await new Client().post('/api/v1/session', { username, password: PW });
    assert.equal(login2.status, 401, 'the user does not exist');
});

test('a 70 KiB ledger task is 413 (its limit is 64 KiB) and creates nothing', async () => {
    const body = taskBody(LONGHAI, { description: '长'.repeat(24 * 1024) }); // 3 bytes each: 72 KiB
    const text = JSON.stringify(body);
    assert.ok(text.length > 64 * 1024 / 3 && Buffer.byteLength(text) > 70 * 1024);
    const res = await leader.post('/api/v1/ledger/tasks', text);
    assertError(res, 413, 'too_large');
    const chunked = await rawRequest({
        method: 'POST', path: '/api/v1/ledger/tasks', chunked: true,
        headers: { 'Content-Type': 'application/json', Cookie: cookie(leader) }, body: text,
    });
    assertRawError(chunked, 413, 'too_large');
    assert.equal(await countTasks(leader, body.title), 0);
    // just under the limit, the description's own limit (4000 characters) answers instead
    const under = taskBody(LONGHAI, { description: 'x'.repeat(4001) });
    assertError(await leader.post('/api/v1/ledger/tasks', under), 400, 'invalid_field', 'description');
    assert.equal(await countTasks(leader, under.title), 0);
});

test('invalid UTF-8 inside a JSON string is 400 invalid_utf8', async () => {
    const title = uniq('坏编码');
    const head = Buffer.from(`{"title":"${title}`, 'utf8');
    const rest = Buffer.from(JSON.stringify(taskBody(LONGHAI, { title: undefined })).slice(1), 'utf8');
    for (const bad of [[0xff], [0xc3, 0x28], [0xe4, 0xb8], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
        const body = Buffer.concat([head, Buffer.from(bad), Buffer.from('",'), rest]);
        const res = await leader.post('/api/v1/ledger/tasks', body);
        assertError(res, 400, 'invalid_utf8');
    }
    assert.equal(await countTasks(leader, title), 0);
    // also in a login
    const res = await new Client().post('/api/v1/session',
        Buffer.concat([Buffer.from('{"username":"leader","password":"'), Buffer.from([0xfe]), Buffer.from('"}')]));
    assertError(res, 400, 'invalid_utf8');
});

test('invalid UTF-8 in the address or a query parameter is 400 invalid_utf8', async () => {
    // PostgreSQL refuses such bytes as parameters: they must be stopped at the edge
    for (const q of ['q=%FF', 'category=%C3%28', 'state=%ED%A0%80', '%FF=1'])
        assertError(await leader.get(`/api/v1/ledger/tasks?${q}`), 400, 'invalid_utf8');
    assertError(await leader.get('/api/v1/ledger/summary?area=%FF'), 400, 'invalid_utf8');
    assertError(await leader.get('/api/v1/audit?entity=%FF%FE'), 400, 'invalid_utf8');
    assertError(await leader.get('/api/v1/areas?parent=%E4%B8'), 400, 'invalid_utf8');
    assertError(await admin.get('/api/v1/areas/%FF%FF'), 400, 'invalid_utf8');
    assertError(await admin.put('/api/v1/config/%FF', { value: 1, version: 0 }), 400, 'invalid_utf8');
    // well-formed UTF-8 in a query is fine
    assertOk(await leader.get(`/api/v1/ledger/tasks?q=${encodeURIComponent('党建')}`));
});

test('NUL characters and absurd nesting in JSON are 400, not a crash', async () => {
    const title = uniq('NUL');
    const body = JSON.stringify(taskBody(LONGHAI, { title: `${title}\u0000隐藏` }));
    assertError(await leader.post('/api/v1/ledger/tasks', body), 400, 'invalid_json');
    assertError(await leader.post('/api/v1/ledger/tasks', '['.repeat(60000)), 400, 'invalid_json');
    assertError(await leader.post('/api/v1/ledger/tasks', `{"a":${'{"a":'.repeat(10000)}1${'}'.repeat(10001)}`),
        400, 'invalid_json');
    assert.equal(await countTasks(leader, title), 0);
    assertOk(await leader.get('/api/v1/me'), 200);
});

test('malformed JSON is 400 invalid_json', async () => {
    const title = uniq('坏JSON');
    const good = JSON.stringify(taskBody(LONGHAI, { title }));
    for (const body of [good.slice(0, -1), `${good}}`, `${good} x`, good.replace(/"/, "'"),
        '{title: "x"}', '{"title":"a",}', '', 'null', '"just a string"', '42', '[1,2']) {
        const res = await leader.post('/api/v1/ledger/tasks', body);
        if (body === '') {
            // an empty body is no JSON at all: the required fields are missing
            assertError(res, 400, 'required');
            continue;
        }
        assertError(res, 400, 'invalid_json');
    }
    // a JSON array where an object belongs
    assertError(await leader.post('/api/v1/ledger/tasks', '[]'), 400, 'invalid_json');
    assert.equal(await countTasks(leader, title), 0);
});

test('duplicate keys are 400, whichever value would win', async () => {
    const title = uniq('重复键');
    const body = JSON.stringify(taskBody(LONGHAI, { title })).replace(/^\{/, `{"area":"${LONGHAI}",`);
    assertError(await leader.post('/api/v1/ledger/tasks', body), 400, 'invalid_json');
    const t = await leader.post('/api/v1/ledger/tasks', taskBody(LONGHAI));
    const task = assertOk(t, 201);
    const dupVersion = `{"version":${task.version},"title":"新","version":${task.version + 5}}`;
    assertError(await leader.patch(`/api/v1/ledger/tasks/${task.id}`, dupVersion), 400, 'invalid_json');
    const dupLogin = '{"username":"leader","username":"admin","password":"x"}';
    assertError(await new Client().post('/api/v1/session', dupLogin), 400, 'invalid_json');
    assert.equal(await countTasks(leader, title), 0);
    assert.equal(assertOk(await leader.get(`/api/v1/ledger/tasks/${task.id}`)).version, 1);
});

test('a body that is not application/json is 415', async () => {
    const body = taskBody(LONGHAI);
    const text = JSON.stringify(body);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
        'application/json; charset=latin1', 'application/jsonp']) {
        const res = await leader.post('/api/v1/ledger/tasks', text, { 'Content-Type': type });
        assertError(res, 415, 'unsupported_media_type');
    }
    // no Content-Type at all
    const bare = await rawRequest({
        method: 'POST', path: '/api/v1/ledger/tasks', headers: { Cookie: cookie(leader) }, body: text,
    });
    assert.equal(bare.status, 415, bare.text);
    assert.equal(await countTasks(leader, body.title), 0);
    // charset utf-8 is accepted
    const ok = await leader.post('/api/v1/ledger/tasks', JSON.stringify(taskBody(LONGHAI)),
        { 'Content-Type': 'application/json; charset=UTF-8' });
    assertOk(ok, 201);
});

test('HTML in a title is stored and returned verbatim as JSON text', async () => {
    const title = `<script>alert("x")</script><img src=x onerror=alert(1)>&amp;${uniq('')}`;
    const res = await leader.post('/api/v1/ledger/tasks', taskBody(LONGHAI, {
        title, description: '<b>粗体</b>\n<iframe src="javascript:alert(1)"></iframe>',
    }));
    const t = assertOk(res, 201);
    assert.equal(t.title, title);
    const got = await leader.get(`/api/v1/ledger/tasks/${t.id}`);
    assert.match(got.headers.get('content-type'), /^application\/json; charset=utf-8$/i);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(assertOk(got).title, title, 'not escaped, not stripped');
    assert.equal(got.json.description, '<b>粗体</b>\n<iframe src="javascript:alert(1)"></iframe>');
    const found = assertOk(await leader.get(`/api/v1/ledger/tasks?q=${encodeURIComponent('<script>')}`));
    assert.ok(found.items.some((x) => x.id === t.id && x.title === title));
    // and the audit trail keeps it as text too
    const hist = assertOk(await leader.get(`/api/v1/audit?entity=ledger_task&id=${t.id}`));
    assert.equal(hist.items[0].after.title, title);
});

test('wrong JSON types name the field', async () => {
    const t = uniq('类型');
    const cases = [
        [{ title: 42 }, 'title'], [{ title: t, deadline: 20260101 }, 'deadline'],
        [{ title: t, area: 410104007000 }, 'area'], [{ title: t, category: ['组织建设'] }, 'category'],
        [{ title: t, description: { a: 1 } }, 'description'], [{ title: null }, 'title'],
    ];
    for (const [over, field] of cases) {
        const res = await leader.post('/api/v1/ledger/tasks', taskBody(LONGHAI, over));
        assert.equal(res.status, 400, res.text);
        assert.equal(res.json.error.field, field, res.text);
    }
    assert.equal(await countTasks(leader, t), 0);
});

test('an unknown route is 404, a wrong method 405, both as JSON errors', async () => {
    assertError(await leader.get('/api/v1/nothing-here'), 404, 'not_found');
    const m = await leader.put('/api/v1/ledger/tasks', {});
    assertError(m, 405, 'method_not_allowed');
    assert.ok(m.headers.get('allow'));
});
