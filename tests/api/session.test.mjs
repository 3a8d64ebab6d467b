// Login, logout, sessions, throttling, bearer tokens, disabled accounts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    Client, PW, DB, LONGHAI, login, setCookies, assertError, assertOk, createUser, jiceng,
    rawRequest,
} from './lib.mjs';

let admin;

test('setup: admin logs in', async () => {
    admin = await login('admin');
});

test('login sets an HttpOnly, SameSite=Strict session cookie and answers who I am', async () => {
    const c = new Client();
    const res = await c.post('/api/v1/session', { username: 'leader', password: PW });
    const me = assertOk(res);
    assert.equal(me.username, 'leader');
    assert.deepEqual(me.areas.map((a) => a.code), [LONGHAI]);
    assert.ok(me.roles.some((r) => r.code === 'leader'));
    const set = setCookies(res).find((s) => s.startsWith('jc_session='));
    assert.ok(set, 'Set-Cookie jc_session');
    assert.match(set, /;\s*HttpOnly/i);
    assert.match(set, /;\s*SameSite=Strict/i);
    assert.match(set, /;\s*Path=\//i);
    assert.ok(!/password|hash/i.test(res.text), 'the answer carries no password material');
    const again = assertOk(await c.get('/api/v1/me'));
    assert.equal(again.username, 'leader');
});

test('wrong password and unknown user get the same 401 bad_credentials', async () => {
    // a dedicated user: failures count per username, and the shared demo users must stay usable
    const u = await createUser(admin, { roles: ['grid_worker'], areas: [LONGHAI] });
    const c = new Client();
    const wrong = await c.post('/api/v1/session', { username: u.username, password: 'not-the-password' });
    const e1 = assertError(wrong, 401, 'bad_credentials');
    const unknown = await c.post('/api/v1/session', { username: 'nobody-such-user', password: 'whatever1' });
    const e2 = assertError(unknown, 401, 'bad_credentials');
    assert.equal(e1.message, e2.message, 'no hint whether the user exists');
    assert.equal(e1.field, e2.field);
    assert.equal(c.cookies.get('jc_session'), undefined, 'no session cookie on failure');
    assertError(await c.get('/api/v1/me'), 401);
});

test('missing username or password is 400 naming the field', async () => {
    const c = new Client();
    assertError(await c.post('/api/v1/session', { username: 'leader' }), 400, 'required', 'password');
    assertError(await c.post('/api/v1/session', { password: PW }), 400, 'required', 'username');
});

test('GET /api/v1/me without a cookie is 401; a made-up cookie too', async () => {
    const c = new Client();
    assertError(await c.get('/api/v1/me'), 401, 'unauthenticated');
    assertError(await c.get('/api/v1/me', { Cookie: 'jc_session=js_forged' }), 401);
    assertError(await c.get('/api/v1/ledger/tasks'), 401);
});

test('logout ends the session on the server: the old cookie no longer works', async () => {
    const c = await login('leader');
    const old = c.cookies.get('jc_session');
    assertOk(await c.get('/api/v1/me'));
    const out = await c.del('/api/v1/session');
    assertOk(out);
    const cleared = setCookies(out).find((s) => s.startsWith('jc_session='));
    assert.match(cleared, /Max-Age=0/i, 'the browser is told to drop the cookie');
    // replay the old cookie, as a thief who copied it would
    const replay = new Client();
    assertError(await replay.get('/api/v1/me', { Cookie: `jc_session=${old}` }), 401);
    // other sessions of the same user are untouched
    const other = await login('leader');
    assertOk(await other.get('/api/v1/me'));
});

test('5 failed logins lock the user: the 6th attempt, even right, is 429 with retry_after', async () => {
    const u = await createUser(admin, { roles: ['grid_worker'], areas: [LONGHAI] });
    const c = new Client();
    for (let i = 0; i < 5; i++) {
        const res = await c.post('/api/v1/session', { username: u.username, password: `wrong-${i}-pw` });
        assertError(res, 401, 'bad_credentials');
    }
    const sixth = await c.post('/api/v1/session', { username: u.username, password: PW });
    const e = assertError(sixth, 429, 'too_many_attempts');
    assert.ok(Number.isInteger(e.retry_after) && e.retry_after > 0 && e.retry_after <= 900,
        `retry_after ${e.retry_after}`);
    assert.equal(c.cookies.get('jc_session'), undefined);
    // the lock is per user: another user from the same address still logs in
    await login('leader');
});

test('a bearer token from `jiceng token create` authenticates API calls', async () => {
    const r = await jiceng(['token', 'create', '--db', DB, '--user', 'leader', '--name', 'api-test']);
    assert.equal(r.code, 0, r.stderr);
    const token = r.stdout.trim().split('\n').pop().trim();
    assert.ok(token.length > 20, `token: ${token}`);
    const c = new Client();
    const me = assertOk(await c.get('/api/v1/me', { Authorization: `Bearer ${token}` }));
    assert.equal(me.username, 'leader');
    const list = assertOk(await c.get('/api/v1/ledger/tasks', { Authorization: `Bearer ${token}` }));
    assert.ok(list.items.every((t) => t.area.startsWith('410104007')));
    assertError(await c.get('/api/v1/me', { Authorization: `Bearer ${token}x` }), 401, 'bad_token');
    // the token carries the user's role: still no admin pages
    assertError(await c.get('/api/v1/users', { Authorization: `Bearer ${token}` }), 403);
});

test('a disabled user cannot log in and their open session ends', async () => {
    const u = await createUser(admin, { roles: ['leader'], areas: [LONGHAI] });
    const c = await login(u.username);
    assertOk(await c.get('/api/v1/me'));
    const cur = assertOk(await admin.get(`/api/v1/users/${u.id}`));
    const res = await admin.patch(`/api/v1/users/${u.id}`, { disabled: true, version: cur.version });
    const after = assertOk(res);
    assert.equal(after.disabled, true);
    assertError(await c.get('/api/v1/me'), 401);
    assertError(await c.get('/api/v1/ledger/tasks'), 401);
    const again = await new Client().post('/api/v1/session', { username: u.username, password: PW });
    assert.equal(again.status, 401, again.text);
    assert.ok(['account_disabled', 'bad_credentials'].includes(again.json.error.code), again.text);
    assert.equal(setCookies(again).length, 0, 'no cookie for a disabled account');
});

test('a disabled user\'s bearer token stops working too', async () => {
    const u = await createUser(admin, { roles: ['leader'], areas: [LONGHAI] });
    const r = await jiceng(['token', 'create', '--db', DB, '--user', u.username]);
    assert.equal(r.code, 0, r.stderr);
    const auth = { Authorization: `Bearer ${r.stdout.trim()}` };
    const c = new Client();
    assertOk(await c.get('/api/v1/me', auth));
    const cur = assertOk(await admin.get(`/api/v1/users/${u.id}`));
    assertOk(await admin.patch(`/api/v1/users/${u.id}`, { disabled: true, version: cur.version }));
    assertError(await c.get('/api/v1/me', auth), 401);
});

test('changing one\'s password ends every session; the new password works', async () => {
    const u = await createUser(admin, { roles: ['grid_worker'], areas: [LONGHAI] });
    const a = await login(u.username);
    const b = await login(u.username);
    assertError(await a.put('/api/v1/me/password', { current_password: 'not-it-at-all', new_password: 'new-pass-123' }),
        422, 'bad_credentials', 'current_password');
    assertError(await a.put('/api/v1/me/password', { current_password: PW, new_password: 'short' }),
        400, 'invalid_field', 'new_password');
    assertOk(await a.get('/api/v1/me'), 200);
    assertOk(await a.put('/api/v1/me/password', { current_password: PW, new_password: 'new-pass-123' }));
    assertError(await a.get('/api/v1/me'), 401);
    assertError(await b.get('/api/v1/me'), 401);
    await login(u.username, 'new-pass-123');
});

test('an administrator cannot disable their own account', async () => {
    const cur = assertOk(await admin.get(`/api/v1/users/${admin.me.id}`));
    const res = await admin.patch(`/api/v1/users/${admin.me.id}`, { disabled: true, version: cur.version });
    assertError(res, 422, 'cannot_disable_self', 'disabled');
    assertOk(await admin.get('/api/v1/me'));
});

test('the login body is capped small (8 KiB): a huge one is 413', async () => {
    const res = await rawRequest({
        method: 'POST', path: '/api/v1/session',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'leader', password: 'x'.repeat(20000) }),
    });
    assert.equal(res.status, 413, res.text);
});
