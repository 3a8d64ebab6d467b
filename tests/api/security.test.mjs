// Security headers on every answer, no path traversal out of the web root, /healthz.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IS_PG, login, assertOk, rawRequest, assertSecurityHeaders, Client } from './lib.mjs';

let leader;

test('setup', async () => {
    leader = await login('leader');
});

test('every kind of answer carries CSP, X-Frame-Options DENY and nosniff', async () => {
    const anon = new Client();
    const answers = [
        ['API 200', await leader.get('/api/v1/me'), 200],
        ['API 401', await anon.get('/api/v1/me'), 401],
        ['API 403', await leader.get('/api/v1/users'), 403],
        ['API 404', await leader.get('/api/v1/no-such-route'), 404],
        ['API 400', await leader.post('/api/v1/ledger/tasks', '{'), 400],
        ['API 415', await leader.post('/api/v1/ledger/tasks', '{}', { 'Content-Type': 'text/plain' }), 415],
        ['healthz', await anon.get('/healthz'), 200],
        ['openapi', await anon.get('/api/v1/openapi.json'), 200],
        ['static /', await anon.get('/'), 200],
        ['static 404', await anon.get('/no-such-file.js'), 404],
        ['static 405', await anon.req('POST', '/index.html'), 405],
        ['static POST with a body', await anon.post('/index.html', '{}'), 405],
    ];
    for (const [what, res, status] of answers) {
        assert.equal(res.status, status, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
        assertSecurityHeaders((h) => res.headers.get(h), what);
    }
    const root = answers.find(([w]) => w === 'static /')[1];
    assert.match(root.headers.get('content-type'), /^text\/html/);
    assert.match(root.text, /<html/i);
    const big = await rawRequest({
        method: 'POST', path: '/api/v1/ledger/tasks',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(10 << 20) },
        sendBody: false, body: '',
    });
    assert.equal(big.status, 413);
    assertSecurityHeaders((h) => big.headers[h], '413');
    const raw404 = await rawRequest({ path: '/../../etc/passwd' });
    assertSecurityHeaders((h) => raw404.headers[h], 'traversal');
});

test('API answers are JSON and never cached', async () => {
    const res = await leader.get('/api/v1/me');
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
});

test('no path leaves the web root', async () => {
    const paths = [
        '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/js/../../src/main.c',
        '/..%2f..%2fetc%2fpasswd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/....//....//etc/passwd',
        '/js/..%5c..%5csrc%5cmain.c', '//etc/passwd', '/index.html/../../../etc/passwd',
        '/%252e%252e/%252e%252e/etc/passwd', '/src/main.c', '/Makefile', '/../Makefile',
        '/js/%2e%2e/%2e%2e/src/main.c', '/./../../etc/hostname',
    ];
    for (const p of paths) {
        const res = await rawRequest({ path: p });
        const where = `${p} → ${res.status}`;
        assert.ok([200, 400, 403, 404].includes(res.status), where);
        assert.ok(!/root:.*:0:0:/.test(res.text), `${where}: /etc/passwd leaked`);
        assert.ok(!/#include|int main\(/.test(res.text), `${where}: source code leaked`);
        assert.ok(!/\.PHONY|CFLAGS/.test(res.text), `${where}: the Makefile leaked`);
        if (res.status === 200) {
            // only the web UI itself may answer (the app shell for extension-less paths)
            assert.match(res.headers['content-type'] || '', /^text\/html/, where);
            assert.match(res.text, /<html/i, where);
        }
    }
});

test('GET /healthz reports the backend', async () => {
    const res = await new Client().get('/healthz');
    const h = assertOk(res);
    assert.equal(h.status, 'ok');
    assert.equal(h.database, IS_PG ? 'postgresql' : 'sqlite');
    assert.match(h.version, /^\d+\.\d+\.\d+/);
});
