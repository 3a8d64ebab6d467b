// The public side of city management: Open311 GeoReport v2 (discovery, services, service
// definitions, requests GET/POST, single requests, tokens — JSON and XML, the spec's field
// lists and error format), photos sent with a report, the limit of anonymous reports per
// address, hidden reports, and a resident following a report and evaluating its handling
// (未解决 reopens it). Every anonymous report of the API tests is made in this file: the rate
// limit counts them per address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, assertOk, assertError, Client, uniq, jiceng, DB, BASE } from './lib.mjs';
import { makeWorld, caseBody, png, multipart, form, parseXml, fields, setConfig } from './cases_fixture.mjs';

const anon = new Client('resident');
let admin, leader, w;

const REQUEST_FIELDS = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code',
    'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime',
    'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'];
const SERVICE_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

test('setup', async () => {
    [admin, leader] = await Promise.all([login('admin'), login('leader')]);
    w = await makeWorld(admin, '公众测试');
    // the default (30 per hour and address) would stop this file: every test here is one address
    await setConfig(admin, 'cases.open311_rate_per_hour', 100000);
});

/** POSTs a report as a form; returns the response. */
function report(fieldsIn, fmt = 'json', client = anon) {
    return client.post(`/open311/v2/requests.${fmt}`, form(fieldsIn),
        { 'Content-Type': 'application/x-www-form-urlencoded' });
}

function reportFields(over = {}) {
    const [lat, lng] = w.at();
    return { service_code: 'litter', lat: String(lat), long: String(lng), description: uniq('公众反映'),
        first_name: '建华', last_name: '张', phone: '13903719999', email: 'zhang@example.com', ...over };
}

/** Asserts an Open311 JSON error list. */
function o311Error(res, status, field) {
    const where = `${res.method} ${res.path} → ${res.status} ${res.text.slice(0, 300)}`;
    assert.equal(res.status, status, where);
    assert.match(res.headers.get('content-type'), /^application\/json/, where);
    assert.ok(Array.isArray(res.json) && res.json.length === 1, where);
    const e = res.json[0];
    assert.equal(e.code, status, where);
    assert.equal(typeof e.description, 'string', where);
    assert.ok(e.description.length > 5, where);
    if (field !== undefined) assert.equal(e.field, field, where);
    return e;
}

/** Asserts an Open311 XML error. */
function o311XmlError(res, status) {
    assert.equal(res.status, status, res.text);
    assert.match(res.headers.get('content-type'), /^text\/xml/);
    const doc = parseXml(res.text);
    assert.equal(doc.name, 'errors');
    assert.equal(doc.children[0].name, 'error');
    const f = fields(doc.children[0]);
    assert.equal(f.code, String(status));
    assert.ok(f.description.length > 5);
}

async function staffCount(q) {
    return assertOk(await admin.get(`/api/v1/cases?q=${encodeURIComponent(q)}&per_page=200`)).total;
}

test('discovery in JSON and XML', async () => {
    for (const p of ['/open311/discovery.json', '/open311/v2/discovery.json']) {
        const d = assertOk(await anon.get(p));
        assert.deepEqual(Object.keys(d).sort(), ['changeset', 'contact', 'endpoints', 'key_service']);
        assert.match(d.changeset, ISO);
        const e = d.endpoints[0];
        assert.deepEqual(Object.keys(e).sort(), ['changeset', 'formats', 'specification', 'type', 'url']);
        assert.equal(e.specification, 'http://wiki.open311.org/GeoReport_v2');
        assert.match(e.url, /\/open311\/v2$/);
        assert.deepEqual(e.formats, ['text/xml', 'application/json']);
    }
    const res = await anon.get('/open311/discovery.xml');
    assert.match(res.headers.get('content-type'), /^text\/xml; charset=utf-8/);
    const doc = parseXml(res.text);
    assert.equal(doc.name, 'discovery');
    const ep = doc.children.find((c) => c.name === 'endpoints').children[0];
    assert.equal(ep.name, 'endpoint');
    assert.deepEqual(ep.children.find((c) => c.name === 'formats').children.map((c) => [c.name, c.text]),
        [['format', 'text/xml'], ['format', 'application/json']]);
});

test('services: the public ones with the spec\'s fields; definitions with attributes', async () => {
    const list = assertOk(await anon.get('/open311/v2/services.json'));
    assert.ok(list.length >= 10);
    for (const s of list) assert.deepEqual(Object.keys(s).sort(), [...SERVICE_FIELDS].sort());
    const codes = list.map((s) => s.service_code);
    assert.ok(codes.includes('litter') && codes.includes('road_damage'));
    assert.ok(!codes.includes('site_rectification'), 'services that are not public stay out');
    const rd = list.find((s) => s.service_code === 'road_damage');
    assert.equal(rd.metadata, true);
    assert.equal(rd.type, 'realtime');
    assert.equal(list.find((s) => s.service_code === 'litter').metadata, false);
    assert.equal(assertOk(await anon.get('/open311/v2/services.json?locale=en')).find((s) => s.service_code === 'litter').service_name, 'Exposed rubbish');
    const xml = parseXml((await anon.get('/open311/v2/services.xml')).text);
    assert.equal(xml.name, 'services');
    assert.equal(xml.children.length, list.length);
    for (const s of xml.children) {
        assert.equal(s.name, 'service');
        assert.deepEqual(s.children.map((c) => c.name), SERVICE_FIELDS);
    }
    // a definition
    const def = assertOk(await anon.get('/open311/v2/services/road_damage.json'));
    assert.equal(def.service_code, 'road_damage');
    const kind = def.attributes.find((a) => a.code === 'kind');
    assert.deepEqual(Object.keys(kind).sort(), ['code', 'datatype', 'datatype_description', 'description', 'order', 'required', 'values', 'variable']);
    assert.equal(kind.datatype, 'singlevaluelist');
    assert.equal(kind.required, true);
    assert.deepEqual(kind.values.map((v) => v.key), ['manhole', 'pothole', 'curb']);
    const dx = parseXml((await anon.get('/open311/v2/services/road_damage.xml')).text);
    assert.equal(dx.name, 'service_definition');
    const attrs = dx.children.find((c) => c.name === 'attributes').children;
    assert.deepEqual(attrs.map((a) => a.name), ['attribute', 'attribute']);
    assert.equal(fields(attrs[0]).code, 'kind');
    assert.deepEqual(attrs[0].children.find((c) => c.name === 'values').children.map((v) => fields(v).key), ['manhole', 'pothole', 'curb']);
    o311Error(await anon.get('/open311/v2/services/unicorns.json'), 404, 'service_code');
    o311XmlError(await anon.get('/open311/v2/services/unicorns.xml'), 404);
    o311Error(await anon.get('/open311/v2/services/litter.html'), 404);
});

test('POST requests: a report as a form becomes a routed case; the public sees no contact data', async () => {
    const f = reportFields();
    const res = await report(f);
    const out = assertOk(res, 201)[0];
    assert.deepEqual(Object.keys(out).sort(), ['account_id', 'service_notice', 'service_request_id', 'token']);
    assert.match(out.token, /^[0-9a-f]{32}$/);
    assert.match(out.service_request_id, /^\d+$/);
    assert.match(out.service_notice, /24小时/);
    assert.equal(res.headers.get('location'), `/open311/v2/requests/${out.service_request_id}.json`);
    // the request as the public reads it: the spec's fields, no reporter
    const got = await anon.get(`/open311/v2/requests/${out.service_request_id}.json`);
    const r = assertOk(got)[0];
    assert.deepEqual(Object.keys(r), REQUEST_FIELDS);
    assert.equal(r.status, 'open');
    assert.equal(r.service_code, 'litter');
    assert.equal(r.description, f.description);
    assert.ok(Math.abs(r.lat - Number(f.lat)) < 1e-8 && Math.abs(r.long - Number(f.long)) < 1e-8, 'the position');
    assert.match(r.requested_datetime, ISO);
    assert.match(r.expected_datetime, ISO);
    assert.equal((Date.parse(r.expected_datetime) - Date.parse(r.requested_datetime)) / 3600e3, 24);
    assert.equal(r.agency_responsible, w.teams.clean.name);
    for (const secret of ['13903719999', 'zhang@example.com', '建华'])
        assert.ok(!got.text.includes(secret), `${secret} is not public`);
    // staff see it as a public report of the world's road, with the reporter for the leader
    const c = assertOk(await admin.get(`/api/v1/cases/${out.service_request_id}`));
    assert.equal(c.source, 'public');
    assert.equal(c.road.id, w.road.id);
    assert.equal(c.chief.id, w.chiefs.second.id);
    assert.deepEqual([c.reporter.name, c.reporter.phone, c.reporter.email], ['张建华', '13903719999', 'zhang@example.com']);
    // XML: the same fields in the same order
    const x = await report(reportFields(), 'xml');
    assert.equal(x.status, 201);
    const xr = parseXml(x.text);
    assert.equal(xr.name, 'service_requests');
    assert.deepEqual(xr.children[0].children.map((c) => c.name), ['service_request_id', 'token', 'service_notice', 'account_id']);
    const id = fields(xr.children[0]).service_request_id;
    const one = parseXml((await anon.get(`/open311/v2/requests/${id}.xml`)).text);
    assert.deepEqual(one.children[0].children.map((c) => c.name), REQUEST_FIELDS);
    assert.equal(fields(one.children[0]).status, 'open');
    o311Error(await anon.get('/open311/v2/requests/99999999.json'), 404, 'service_request_id');
    o311XmlError(await anon.get('/open311/v2/requests/99999999.xml'), 404);
});

test('POST requests with a photo (multipart/form-data): media_url serves it', async () => {
    const f = reportFields({ service_code: 'road_damage', 'attribute[kind]': 'manhole' });
    const mp = multipart({ ...f, media: { filename: 'well.png', type: 'image/png', data: png(6, 5) } });
    const out = assertOk(await anon.post('/open311/v2/requests.json', mp.body, { 'Content-Type': mp.type }), 201)[0];
    const r = assertOk(await anon.get(`/open311/v2/requests/${out.service_request_id}.json`))[0];
    assert.match(r.media_url, /^\/open311\/v2\/media\/[0-9a-f]{32}\.png$/);
    const img = await fetch(BASE + r.media_url);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.equal(img.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(Buffer.from(await img.arrayBuffer()).equals(png(6, 5)));
    o311Error(await anon.get(r.media_url.replace('.png', '.jpg')), 404);
    o311Error(await anon.get('/open311/v2/media/0123456789abcdef0123456789abcdef.png'), 404);
    const c = assertOk(await admin.get(`/api/v1/cases/${out.service_request_id}`));
    assert.deepEqual(c.attributes, { kind: 'manhole' });
    assert.equal(c.photos.length, 1);
    assert.equal(c.photos[0].stage, 'report');
});

test('bad reports are refused with Open311 errors naming the field, and nothing is created', async () => {
    const marker = uniq('不应受理');
    const base = reportFields({ description: marker });
    const cases = [
        [{ ...base, service_code: '' }, 400, 'service_code'],
        [{ ...base, service_code: 'unicorns' }, 400, 'service_code'],
        [{ ...base, lat: '', long: '' }, 400, 'lat'],
        [{ ...base, long: '' }, 400, 'long'],
        [{ ...base, lat: '95' }, 400, 'lat'],
        [{ ...base, lat: 'north' }, 400, 'lat'],
        [{ ...base, lat: '39.9042', long: '116.4074' }, 400, 'lat'],
        [{ ...base, long: '113.1', lat: '35.2' }, 400, 'lat'],
        [{ ...base, phone: '12345' }, 400, 'phone'],
        [{ ...base, email: 'not-an-address' }, 400, 'email'],
        [{ ...base, service_code: 'parking' }, 400, 'attribute[vehicle]'],
        [{ ...base, service_code: 'parking', 'attribute[vehicle]': 'horse' }, 400, 'attribute[vehicle]'],
        [{ ...base, 'attribute[colour]': 'red' }, 400, 'attribute[colour]'],
        [{ ...base, description: marker + '好'.repeat(4000) }, 400, 'description'],
        [{ ...base, description: `${marker}\u0007` }, 400, 'description'],
        [{ ...base, anonymous: 'maybe' }, 400, 'anonymous'],
    ];
    for (const [f, status, field] of cases) o311Error(await report(f), status, field);
    // outside the service area the message says which area
    const e = o311Error(await report({ ...base, lat: '39.9042', long: '116.4074' }), 400, 'lat');
    assert.match(e.description_zh, /郑州市/);
    // XML errors
    o311XmlError(await report({ ...base, lat: '95' }, 'xml'), 400);
    // invalid UTF-8: in the form, in a multipart field
    o311Error(await anon.post('/open311/v2/requests.json', `service_code=litter&lat=34.3&long=112.9&description=${marker}%FF%FE`,
        { 'Content-Type': 'application/x-www-form-urlencoded' }), 400, 'description');
    const bad = multipart({ ...base, description: Buffer.concat([Buffer.from(marker), Buffer.from([0xc3, 0x28])]) });
    o311Error(await anon.post('/open311/v2/requests.json', bad.body, { 'Content-Type': bad.type }), 400, 'description');
    // not an image; a photo over the limit; a malformed body; JSON is not the spec's format
    const notImg = multipart({ ...base, media: { filename: 'x.png', type: 'image/png', data: Buffer.from('%PDF-1.4 not a photo at all') } });
    o311Error(await anon.post('/open311/v2/requests.json', notImg.body, { 'Content-Type': notImg.type }), 400, 'media');
    const huge = multipart({ ...base, media: { filename: 'big.png', type: 'image/png', data: Buffer.concat([png(), Buffer.alloc(5 * 1024 * 1024)]) } });
    o311Error(await anon.post('/open311/v2/requests.json', huge.body, { 'Content-Type': huge.type }), 413, 'media');
    o311Error(await anon.post('/open311/v2/requests.json', '--x\r\nbroken', { 'Content-Type': 'multipart/form-data; boundary=x' }), 400);
    o311Error(await anon.post('/open311/v2/requests.json', JSON.stringify(base), { 'Content-Type': 'application/json' }), 400, 'Content-Type');
    o311Error(await anon.post('/open311/v2/requests.json', 'service_code=litter&%zz=1', { 'Content-Type': 'application/x-www-form-urlencoded' }), 400);
    assert.equal(await staffCount(marker), 0, 'none of the refused reports became a case');
});

test('hostile text comes back as text in JSON and escaped in well-formed XML', async () => {
    const hostile = `<request><status>closed</status></request>]]>&amp; & "quotes" 'apos' <!-- x --> ${uniq('恶意')}`;
    const out = assertOk(await report(reportFields({ description: hostile, address_string: '<b>&</b>' })), 201)[0];
    const j = assertOk(await anon.get(`/open311/v2/requests/${out.service_request_id}.json`))[0];
    assert.equal(j.description, hostile);
    assert.equal(j.status, 'open');
    const x = await anon.get(`/open311/v2/requests/${out.service_request_id}.xml`);
    const doc = parseXml(x.text);
    const f = fields(doc.children[0]);
    assert.equal(f.description, hostile, 'the text survives, escaped');
    assert.equal(f.address, '<b>&</b>');
    assert.equal(f.status, 'open', 'the injected <status> did not become an element');
    assert.equal(doc.children.length, 1);
});

test('GET requests: the spec\'s filters, and their errors', async () => {
    const mark = uniq('筛选公众');
    const a = assertOk(await report(reportFields({ description: mark })), 201)[0];
    const b = assertOk(await report(reportFields({ description: mark, service_code: 'posters' })), 201)[0];
    // close b (staff)
    let c = assertOk(await admin.get(`/api/v1/cases/${b.service_request_id}`));
    for (const [action, extra] of [['dispatch', {}], ['start', {}], ['submit', { note: '已清除' }], ['verify', { reply: '小广告已清除' }]])
        c = assertOk(await admin.post(`/api/v1/cases/${c.id}/transitions`, { action, version: c.version, ...extra }));
    const ids = `${a.service_request_id},${b.service_request_id}`;
    const both = assertOk(await anon.get(`/open311/v2/requests.json?service_request_id=${ids}`));
    assert.deepEqual(both.map((r) => r.service_request_id).sort(), [a.service_request_id, b.service_request_id].sort());
    const closed = both.find((r) => r.service_request_id === b.service_request_id);
    assert.equal(closed.status, 'closed');
    assert.equal(closed.status_notes, '已办结。小广告已清除');
    const since = new Date(Date.now() - 120e3).toISOString().replace(/\.\d+Z$/, 'Z');
    const recent = assertOk(await anon.get(`/open311/v2/requests.json?start_date=${since}&service_code=posters`));
    assert.ok(recent.some((r) => r.service_request_id === b.service_request_id));
    assert.ok(recent.every((r) => r.service_code === 'posters' && Date.parse(r.requested_datetime) >= Date.parse(since) - 1000));
    const open = assertOk(await anon.get(`/open311/v2/requests.json?start_date=${since}&status=open`));
    assert.ok(open.every((r) => r.status === 'open'));
    assert.ok(open.some((r) => r.service_request_id === a.service_request_id));
    assert.ok(!open.some((r) => r.service_request_id === b.service_request_id));
    const old = assertOk(await anon.get('/open311/v2/requests.json?start_date=2001-01-01T00:00:00%2B08:00&end_date=2001-02-01T00:00:00%2B08:00'));
    assert.deepEqual(old, []);
    const page = assertOk(await anon.get('/open311/v2/requests.json?page_size=2'));
    assert.equal(page.length, 2);
    const xml = parseXml((await anon.get(`/open311/v2/requests.xml?service_request_id=${ids}`)).text);
    assert.equal(xml.children.length, 2);
    for (const r of xml.children) assert.deepEqual(r.children.map((c) => c.name), REQUEST_FIELDS);
    o311Error(await anon.get('/open311/v2/requests.json?status=pending'), 400, 'status');
    o311Error(await anon.get('/open311/v2/requests.json?start_date=yesterday'), 400, 'start_date');
    o311Error(await anon.get('/open311/v2/requests.json?end_date=2026-13-01T00:00:00Z'), 400, 'end_date');
    o311Error(await anon.get('/open311/v2/requests.json?start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z'), 400, 'start_date');
    o311Error(await anon.get('/open311/v2/requests.json?service_request_id=1,abc'), 400, 'service_request_id');
    o311Error(await anon.get('/open311/v2/requests.json?service_code=unicorns'), 400, 'service_code');
    o311Error(await anon.get('/open311/v2/requests.json?page_size=0'), 400, 'page_size');
    o311XmlError(await anon.get('/open311/v2/requests.xml?status=pending'), 400);
});

test('tokens, hidden reports and public text', async () => {
    const mark = uniq('隐私');
    const out = assertOk(await report(reportFields({ description: `${mark} 老板电话13912345678` })), 201)[0];
    const t = assertOk(await anon.get(`/open311/v2/tokens/${out.token}.json`));
    assert.deepEqual(t, [{ service_request_id: out.service_request_id, token: out.token }]);
    const tx = parseXml((await anon.get(`/open311/v2/tokens/${out.token}.xml`)).text);
    assert.deepEqual(fields(tx.children[0]), { service_request_id: out.service_request_id, token: out.token });
    o311Error(await anon.get('/open311/v2/tokens/0123456789abcdef0123456789abcdef.json'), 404, 'token');
    o311Error(await anon.get('/open311/v2/tokens/nonsense.json'), 404, 'token');
    // public text replaced: the public sees the edited text, staff the original
    let c = assertOk(await admin.get(`/api/v1/cases/${out.service_request_id}`));
    c = assertOk(await admin.post(`/api/v1/cases/${c.id}/moderation`, { public_description: `${mark} 某商户占道`, reason: '去除电话', version: c.version }));
    const r = assertOk(await anon.get(`/open311/v2/requests/${c.id}.json`))[0];
    assert.equal(r.description, `${mark} 某商户占道`);
    // hidden: gone from every public read
    c = assertOk(await admin.post(`/api/v1/cases/${c.id}/moderation`, { hidden: true, reason: '涉及个人信息', version: c.version }));
    o311Error(await anon.get(`/open311/v2/requests/${c.id}.json`), 404);
    const all = assertOk(await anon.get(`/open311/v2/requests.json?service_request_id=${c.id}`));
    assert.deepEqual(all, []);
    const since = new Date(Date.now() - 600e3).toISOString().replace(/\.\d+Z$/, 'Z');
    assert.ok(!assertOk(await anon.get(`/open311/v2/requests.json?start_date=${since}`)).some((x) => x.service_request_id === String(c.id)));
    assert.deepEqual(assertOk(await anon.get(`/open311/v2/tokens/${out.token}.json`)), [{ service_request_id: null, token: out.token }]);
    const track = assertOk(await anon.get(`/api/v1/cases/public/track/${out.token}`));
    assert.equal(track.description, '', 'the reporter still follows it, without the text');
    assert.deepEqual(track.media_urls, []);
});

test('services that are not public need an api_key; a keyed client is not rate-limited', async () => {
    const f = reportFields({ service_code: 'site_rectification' });
    o311Error(await report(f), 403, 'api_key');
    o311Error(await report({ ...f, api_key: 'jt_forged' }), 403, 'api_key');
    const made = await jiceng(['token', 'create', '--db', DB, '--user', 'admin', '--name', uniq('open311')]);
    assert.equal(made.code, 0, made.stderr);
    const key = made.stdout.trim();
    const res = await report({ ...f, api_key: key });
    const out = assertOk(res, 201)[0];
    assert.equal(res.headers.get('x-ratelimit-limit'), null, 'keyed clients are not counted');
    const c = assertOk(await admin.get(`/api/v1/cases/${out.service_request_id}`));
    assert.equal(c.service_code, 'site_rectification');
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=case&id=${c.id}`)).items;
    assert.equal(audit[audit.length - 1].user, 'admin', 'the keyed report is the account\'s');
    const keyed = assertOk(await anon.get(`/open311/v2/services.json?api_key=${key}`));
    assert.ok(keyed.some((s) => s.service_code === 'site_rectification'));
    o311Error(await anon.get('/open311/v2/services.json?api_key=jt_forged'), 403, 'api_key');
});

test('anonymous reports are limited per address: 429 with Retry-After beyond the limit', async () => {
    const first = await report(reportFields());
    assertOk(first, 201);
    const limit = Number(first.headers.get('x-ratelimit-limit'));
    const used = limit - Number(first.headers.get('x-ratelimit-remaining'));
    assert.equal(limit, 100000);
    await setConfig(admin, 'cases.open311_rate_per_hour', used + 2);
    try {
        const mark = uniq('限流');
        const r1 = await report(reportFields({ description: mark }));
        assertOk(r1, 201);
        assert.equal(r1.headers.get('x-ratelimit-remaining'), '1');
        const r2 = await report(reportFields({ description: mark }));
        assertOk(r2, 201);
        assert.equal(r2.headers.get('x-ratelimit-remaining'), '0');
        const r3 = await report(reportFields({ description: mark }));
        const e = o311Error(r3, 429);
        assert.match(e.description_zh, /每小时最多上报/);
        const wait = Number(r3.headers.get('retry-after'));
        assert.ok(wait >= 1 && wait <= 3600, `Retry-After ${wait}`);
        o311XmlError(await report(reportFields({ description: mark }), 'xml'), 429);
        assert.equal(await staffCount(mark), 2, 'the refused reports created nothing');
    } finally {
        await setConfig(admin, 'cases.open311_rate_per_hour', 100000);
    }
});

/** Takes a case to 已办结 as the command centre. */
async function close(id) {
    let c = assertOk(await admin.get(`/api/v1/cases/${id}`));
    const plan = { new: 'dispatch', dispatched: 'start', processing: 'submit', verifying: 'verify' };
    while (plan[c.state]) {
        const action = plan[c.state];
        c = assertOk(await admin.post(`/api/v1/cases/${id}/transitions`, {
            action, version: c.version, ...(action === 'submit' ? { note: '已处置' } : {}),
            ...(action === 'verify' ? { reply: '已处理完毕' } : {}),
        }));
    }
    return c;
}

test('the resident follows the report and evaluates it: 未解决 reopens, 已解决 counts', async () => {
    const out = assertOk(await report(reportFields()), 201)[0];
    const url = `/api/v1/cases/public/track/${out.token}`;
    let t = assertOk(await anon.get(url));
    assert.equal(t.id, Number(out.service_request_id));
    assert.equal(t.status, 'open');
    assert.equal(t.can_evaluate, false);
    assert.deepEqual(t.timeline.map((e) => e.action), ['create']);
    assert.ok(!JSON.stringify(t).includes('13903719999'), 'no contact data');
    assertError(await anon.post(`${url}/evaluation`, { resolved: true, rating: 5 }), 409, 'not_closed');
    await close(out.service_request_id);
    t = assertOk(await anon.get(url));
    assert.equal(t.can_evaluate, true);
    assert.deepEqual(t.timeline.map((e) => e.action), ['create', 'dispatch', 'start', 'submit', 'verify']);
    assert.equal(t.status_notes, '已办结。已处理完毕');
    for (const [b, code, field] of [[{ resolved: true, rating: 6 }, 'invalid_field', 'rating'], [{ resolved: true }, 'required', 'rating'],
        [{ resolved: 'yes', rating: 3 }, 'invalid_field', 'resolved'], [{ resolved: true, rating: 3, extra: 1 }, 'unknown_field', 'extra']])
        assertError(await anon.post(`${url}/evaluation`, b), 400, code, field);
    assertError(await anon.post('/api/v1/cases/public/track/0123456789abcdef0123456789abcdef/evaluation', { resolved: true, rating: 5 }), 404, 'not_found');
    // 未解决: the case reopens
    t = assertOk(await anon.post(`${url}/evaluation`, { resolved: false, rating: 2, comment: '垃圾还在' }));
    assert.equal(t.status, 'open');
    assert.equal(t.state, 'processing');
    assert.equal(t.can_evaluate, false);
    let c = assertOk(await admin.get(`/api/v1/cases/${t.id}`));
    assert.equal(c.reopen_count, 1);
    assert.equal(c.last_reason, '居民评价:未解决。垃圾还在');
    assert.deepEqual(c.evaluations.map((e) => [e.resolved, e.rating, e.cycle]), [[false, 2, 0]]);
    // handled again, closed again: now 已解决 with 5, and only once
    await close(t.id);
    t = assertOk(await anon.post(`${url}/evaluation`, { resolved: true, rating: 5 }));
    assert.equal(t.status, 'closed');
    assert.equal(t.evaluated, true);
    assertError(await anon.post(`${url}/evaluation`, { resolved: true, rating: 4 }), 409, 'already_evaluated');
    c = assertOk(await admin.get(`/api/v1/cases/${t.id}`));
    assert.deepEqual(c.evaluations.map((e) => [e.resolved, e.rating, e.cycle]), [[false, 2, 0], [true, 5, 1]]);
    // satisfaction of the world's team: these two evaluations
    const sat = assertOk(await admin.get(`/api/v1/cases/reports/satisfaction?area=${w.area}`));
    const team = sat.by_team.find((x) => x.id === w.teams.clean.id);
    assert.ok(team.evaluations >= 2);
    const mine = sat.by_road.find((x) => x.id === w.road.id);
    assert.equal(mine.evaluations, team.evaluations, 'one road, one cleaning team');
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=case&id=${t.id}`)).items;
    assert.ok(audit.some((a) => a.action === 'reopen' && a.user === 'anonymous'));
});

test('a merged report follows its original, and its reporter evaluates the original', async () => {
    const [lat, lng] = w.at(0.0004, 0.0025);
    const o = assertOk(await report(reportFields({ lat: String(lat), long: String(lng) })), 201)[0];
    const d = assertOk(await report(reportFields({ lat: String(lat + 0.0001), long: String(lng) })), 201)[0];
    // offered as a duplicate on the public page before reporting
    const near = assertOk(await anon.get(`/api/v1/cases/public/nearby?service_code=litter&lat=${lat}&lng=${lng}`));
    assert.ok(near.items.some((x) => x.id === Number(o.service_request_id)));
    assert.ok(!JSON.stringify(near).includes('13903719999'));
    assertError(await anon.get('/api/v1/cases/public/nearby?service_code=litter&lat=44&lng=113'), 400, 'outside_service_area', 'lat');
    assertError(await anon.get(`/api/v1/cases/public/nearby?lat=${lat}&lng=${lng}`), 400, 'required', 'service_code');
    const dup = assertOk(await admin.get(`/api/v1/cases/${d.service_request_id}`));
    assertOk(await admin.post(`/api/v1/cases/${dup.id}/merge`, { into: Number(o.service_request_id), reason: '重复反映', version: dup.version }));
    let r = assertOk(await anon.get(`/open311/v2/requests/${d.service_request_id}.json`))[0];
    assert.equal(r.status, 'open');
    assert.match(r.status_notes, new RegExp(`编号 ${o.service_request_id}`));
    await close(o.service_request_id);
    r = assertOk(await anon.get(`/open311/v2/requests/${d.service_request_id}.json`))[0];
    assert.equal(r.status, 'closed', 'the duplicate is closed with its original');
    const t = assertOk(await anon.post(`/api/v1/cases/public/track/${d.token}/evaluation`, { resolved: true, rating: 4 }));
    assert.equal(t.merged_into, Number(o.service_request_id));
    const orig = assertOk(await admin.get(`/api/v1/cases/${o.service_request_id}`));
    assert.deepEqual(orig.evaluations.map((e) => e.case_id), [Number(d.service_request_id)]);
    // the original's own reporter evaluates too
    assertOk(await anon.post(`/api/v1/cases/public/track/${o.token}/evaluation`, { resolved: true, rating: 5 }));
});

test('the public report page\'s data: roads to draw, public services, limits', async () => {
    const info = assertOk(await anon.get('/api/v1/cases/public/info'));
    assert.ok(info.roads.length >= 13);
    const lh = info.roads.find((r) => r.name === '陇海马路');
    assert.ok(lh.geometry.length >= 2);
    assert.ok(info.services.every((s) => s.code !== 'site_rectification'));
    assert.equal(info.service_area.name, '郑州市');
    assert.equal(info.photo_max_bytes, 5 * 1024 * 1024);
    assert.equal(info.duplicate_radius_m, 50);
});

test('errors met before any Open311 handler (no such path, bad bytes) are Open311 errors too', async () => {
    const json = await anon.get('/open311/v2/nosuch.json');
    assert.equal(json.status, 404);
    assert.ok(Array.isArray(json.json), json.text);
    assert.equal(json.json[0].code, 404);
    assert.ok(json.json[0].description);
    const xml = await anon.get('/open311/v2/nosuch.xml');
    assert.equal(xml.status, 404);
    assert.match(xml.headers.get('content-type'), /xml/);
    const doc = parseXml(xml.text);
    assert.equal(doc.name, 'errors');
    assert.equal(doc.children[0].children.find((c) => c.name === 'code').text, '404');
    const bad = await anon.get('/open311/v2/requests.json?service_code=%ff');
    assert.equal(bad.status, 400);
    assert.equal(bad.json[0].code, 400);
    assert.equal(bad.json[0].field, 'service_code');
    // the rest of the API keeps its own error format
    const api = await anon.get('/api/v1/nosuch');
    assert.equal(api.status, 404);
    assert.equal(api.json.error.code, 'not_found');
});
