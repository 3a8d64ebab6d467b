// The OpenAPI description is OpenAPI 3 JSON and describes every route the binary serves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, assertOk, jiceng } from './lib.mjs';

test('GET /api/v1/openapi.json is an OpenAPI 3 document', async () => {
    const res = await new Client().get('/api/v1/openapi.json');
    const doc = assertOk(res);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.ok(doc.info && doc.info.title && doc.info.version, 'info.title and info.version');
    assert.equal(typeof doc.paths, 'object');
});

test('every route printed by `jiceng routes` is described in paths', async () => {
    const r = await jiceng(['routes']);
    assert.equal(r.code, 0, r.stderr);
    const routes = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
    assert.ok(routes.length >= 20, `${routes.length} routes`);
    const doc = assertOk(await new Client().get('/api/v1/openapi.json'));
    const missing = [];
    for (const [method, path] of routes) {
        const item = doc.paths[path];
        if (!item || !item[method.toLowerCase()]) missing.push(`${method} ${path}`);
    }
    assert.deepEqual(missing, [], `routes without a description in openapi.json:\n${missing.join('\n')}`);
    // and nothing described that is not served
    const served = new Set(routes.map(([m, p]) => `${m} ${p}`));
    const extra = [];
    for (const [path, item] of Object.entries(doc.paths))
        for (const m of Object.keys(item))
            if (['get', 'post', 'put', 'patch', 'delete'].includes(m) && !served.has(`${m.toUpperCase()} ${path}`))
                extra.push(`${m.toUpperCase()} ${path}`);
    assert.deepEqual(extra, [], `described but not routed:\n${extra.join('\n')}`);
});
