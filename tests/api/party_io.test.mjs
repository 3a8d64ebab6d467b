// Spreadsheets in and out: importing 两新组织 from .xlsx and CSV (UTF-8 with or without a BOM, and
// GBK) with the row-by-row report before anything is written, all valid rows in one go or none;
// export of filtered lists to .xlsx with the right headers and masked personal data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { login, assertError, assertOk, createUser, rawRequest, PW } from './lib.mjs';
import { freshTownship, creditCode, creditCheck, xlsx, sheetRows, unitBody } from './party_lib.mjs';

let admin, boss, instructor, town, communityName;

const HEADER = ['名称', '统一社会信用代码', '组织类型', '行业类别', '所属区域', '地址', '纬度', '经度', '从业人员', '经营状态', '联系人', '联系电话'];

function rows(n, over = {}) {
    const out = [];
    for (let i = 0; i < n; i++) {
        out.push([`导入单位${Date.now() % 100000}-${i}`, creditCode(), '新经济组织', '网络科技', communityName, `导入路${i}号`,
            '34.78', '113.66', String(10 + i), '在营', '李四', '13700000000']);
        for (const [k, v] of Object.entries(over[i] || {})) out[i][HEADER.indexOf(k)] = v;
    }
    return out;
}

const csv = (table) => table.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';

async function count() {
    return assertOk(await boss.get(`/api/v1/party/units?area=${town.street}&per_page=1`)).total;
}

function upload(client, body, query = '') {
    return client.post(`/api/v1/party/units/import${query}`, body, { 'Content-Type': 'application/octet-stream' });
}

test('setup', async () => {
    admin = await login('admin');
    instructor = await login('instructor');
    town = await freshTownship(admin, '导入测试街道');
    const u = await createUser(admin, { roles: ['leader'], areas: [town.street], name: '导入书记' });
    boss = await login(u.username, PW);
    communityName = assertOk(await boss.get(`/api/v1/areas/${town.communities[0]}`)).name;
});

test('an .xlsx with one bad row: the report names row, column and problem; nothing is written until fixed', async () => {
    const data = rows(4, { 2: { 统一社会信用代码: '91410105MA44B7K6PZ', 经营状态: '倒闭了' } });
    const file = xlsx([HEADER, ...data]);
    const n0 = await count();
    const dry = assertOk(await upload(boss, file, '?dry_run=1'));
    assert.equal(dry.format, 'xlsx');
    assert.equal(dry.dry_run, true);
    assert.equal(dry.rows, 4);
    assert.equal(dry.valid, 3);
    assert.equal(dry.invalid, 1);
    assert.equal(dry.error_count, 2);
    const byField = new Map(dry.errors.map((e) => [e.field, e]));
    const code = byField.get('credit_code');
    assert.equal(code.row, 4); // the header is row 1: data row 3 is spreadsheet row 4
    assert.equal(code.column, 'B');
    assert.equal(code.header, '统一社会信用代码');
    assert.equal(code.value, '91410105MA44B7K6PZ');
    assert.match(code.problem, /GB 32100/);
    assert.match(code.problem_zh, /统一社会信用代码/);
    assert.equal(byField.get('status').column, 'J');
    assert.equal(await count(), n0, 'a dry run writes nothing');
    // without dry_run the bad table is refused as a whole
    const refused = assertError(await upload(boss, file), 422, 'import_invalid', 'body');
    assert.equal(refused.report.invalid, 1);
    assert.equal(refused.report.errors.length, 2);
    assert.equal(await count(), n0, 'no row of a bad table is written');
    // fixed: all four in one go
    data[2][1] = creditCode();
    data[2][9] = '在营';
    const done = assertOk(await upload(boss, xlsx([HEADER, ...data])), 201);
    assert.equal(done.created, 4);
    assert.equal(done.ids.length, 4);
    assert.equal(await count(), n0 + 4);
    const u = assertOk(await boss.get(`/api/v1/party/units/${done.ids[2]}`));
    assert.equal(u.name, data[2][0]);
    assert.equal(u.area, town.communities[0], 'the community was found by its name');
    assert.equal(u.employees, 12);
    assert.equal(u.lat, 34.78);
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=party_unit&id=${done.ids[0]}`)).items;
    assert.equal(audit[0].action, 'create');
    // the same file again: every code is registered now
    const again = assertOk(await upload(boss, xlsx([HEADER, ...data]), '?dry_run=1'));
    assert.equal(again.invalid, 4);
    assert.match(again.errors[0].problem_zh, /已登记/);
});

test('CSV in UTF-8 with and without BOM and in GBK; pilot codes warn, duplicates in the file are caught', async () => {
    const n0 = await count();
    const a = rows(2);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv([HEADER, ...a]))]);
    const r1 = assertOk(await upload(boss, bom), 201);
    assert.equal(r1.format, 'csv-utf8');
    assert.equal(r1.created, 2);
    const b = rows(1);
    const r2 = assertOk(await upload(boss, Buffer.from(csv([HEADER, ...b]))), 201);
    assert.equal(r2.created, 1);
    const g = rows(2, { 0: { 名称: '郑州市金水区文化路繁體測試商行' } });
    const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: csv([HEADER, ...g]) });
    const r3 = assertOk(await upload(boss, gbk), 201);
    assert.equal(r3.format, 'csv-gbk');
    const gu = assertOk(await boss.get(`/api/v1/party/units/${r3.ids[0]}`));
    assert.equal(gu.name, '郑州市金水区文化路繁體測試商行');
    assert.equal(await count(), n0 + 5);
    // English headers, a pilot code, and the same code twice in one file
    const first = creditCode().slice(0, 17);
    const wrong = creditCheck(first) === 'A' ? 'B' : 'A';
    const dup = creditCode();
    const en = [['name', 'credit_code', 'kind', 'category', 'area', 'status'],
        ['Pilot Co', first + wrong, 'economic', '商铺', town.communities[1], 'operating'],
        ['Twin A', dup, 'social', '商铺', town.communities[1], ''],
        ['Twin B', dup, 'social', '商铺', town.communities[1], ''],
        ['Elsewhere', creditCode(), 'economic', '商铺', '410104007001', '']];
    const rep = assertOk(await upload(boss, Buffer.from(csv(en)), '?dry_run=1'));
    assert.equal(rep.warning_count, 1);
    assert.equal(rep.warnings[0].row, 2);
    assert.match(rep.warnings[0].problem_zh, /试点/);
    const twin = rep.errors.find((e) => e.row === 4);
    assert.match(twin.problem, /row 3/);
    const far = rep.errors.find((e) => e.row === 5);
    assert.equal(far.field, 'area');
    assert.match(far.problem_zh, /管辖/);
    assert.equal(rep.valid, 2);
});

test('whole-file problems: no header columns, old .xls, empty, wrong role', async () => {
    const noCols = assertOk(await upload(boss, Buffer.from('甲,乙\n1,2\n'), '?dry_run=1'));
    assert.ok(noCols.errors.some((e) => e.row === 1 && e.field === 'credit_code' && /缺少必填列/.test(e.problem_zh)));
    assert.ok(noCols.warnings.some((w) => w.header === '甲'));
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    assertError(await upload(boss, xls), 415, 'unsupported_media_type', 'body');
    assertError(await upload(boss, Buffer.alloc(0)), 400, 'required', 'body');
    const headerOnly = assertOk(await upload(boss, Buffer.from(HEADER.join(',') + '\n'), '?dry_run=1'));
    assert.equal(headerOnly.rows, 0);
    assert.ok(headerOnly.error_count > 0);
    assertError(await upload(instructor, Buffer.from(csv([HEADER, ...rows(1)]))), 403, 'forbidden');
    assertError(await upload(boss, Buffer.from('x'), '?dry_run=maybe'), 400, 'invalid_parameter', 'dry_run');
    // far over the endpoint's 16 MiB the body is refused before it is read (a body a little over
    // the limit is read and dropped first, then refused: see src/http/server.c)
    const big = await rawRequest({ method: 'POST', path: '/api/v1/party/units/import', headers: { Cookie: `jc_session=${boss.cookies.get('jc_session')}`, 'Content-Type': 'text/csv', 'Content-Length': String(80 << 20) }, body: Buffer.alloc(1024), sendBody: false });
    assert.equal(big.status, 413);
});

test('exports: the filtered list as .xlsx with the right headers; phones masked as in the API', async () => {
    const mine = assertOk(await boss.post('/api/v1/party/units', unitBody(town.communities[1], { name: '导出测试单位', category: '楼宇', contact_phone: '13912345678' })), 201);
    const res = await boss.get(`/api/v1/party/units/export?area=${town.street}&category=${encodeURIComponent('楼宇')}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="party-units-\d{8}\.xlsx"; filename\*=UTF-8''%E4%B8%A4/);
    const raw = await fetch(`${(process.env.BASE_URL || 'http://127.0.0.1:8080')}/api/v1/party/units/export?area=${town.street}&category=${encodeURIComponent('楼宇')}`,
        { headers: { Cookie: boss.cookieHeader() } });
    const sheet = sheetRows(Buffer.from(await raw.arrayBuffer()));
    assert.equal(sheet[0][1], '名称');
    assert.equal(sheet[0][2], '统一社会信用代码');
    const list = assertOk(await boss.get(`/api/v1/party/units?area=${town.street}&category=${encodeURIComponent('楼宇')}&per_page=200`));
    assert.equal(sheet.length - 1, list.total);
    const row = sheet.find((r) => r[1] === '导出测试单位');
    assert.equal(row[2], mine.credit_code);
    assert.equal(row[13], '13912345678');
    assert.equal(row[11], '在营');
    // members' export for an instructor: IDs masked
    const wen = await fetch(`${(process.env.BASE_URL || 'http://127.0.0.1:8080')}/api/v1/party/members/export?area=410105008001&stage=full`,
        { headers: { Cookie: instructor.cookieHeader() } });
    assert.equal(wen.status, 200);
    const ms = sheetRows(Buffer.from(await wen.arrayBuffer()));
    assert.equal(ms[0][2], '身份证号码');
    assert.ok(ms.length > 1);
    for (const r of ms.slice(1)) assert.match(r[2], /^\d{6}\*{8}[\dX]{4}$/);
    const orgs = await boss.get(`/api/v1/party/orgs/export?area=${town.street}`);
    assert.equal(orgs.status, 200);
    const warn = await boss.get(`/api/v1/party/warnings/export?area=${town.street}`);
    assert.equal(warn.status, 200);
    const tpl = await fetch(`${(process.env.BASE_URL || 'http://127.0.0.1:8080')}/api/v1/party/units/import/template`, { headers: { Cookie: boss.cookieHeader() } });
    const t = sheetRows(Buffer.from(await tpl.arrayBuffer()));
    assert.deepEqual(t[0], HEADER);
    // the template's example row passes the checks as it is
    const check = assertOk(await upload(admin, Buffer.from(await (await fetch(`${(process.env.BASE_URL || 'http://127.0.0.1:8080')}/api/v1/party/units/import/template`, { headers: { Cookie: admin.cookieHeader() } })).arrayBuffer()), '?dry_run=1'));
    assert.equal(check.error_count, 0, JSON.stringify(check.errors));
    assertError(await boss.get('/api/v1/party/units/export?coverage=maybe'), 400, 'invalid_parameter', 'coverage');
});
