// 两新 party building: the demo figures of 文化路街道 from records, coverage now and from the
// audit history, roles and personal data, the registry of units and organizations with its
// rules (credit codes, joint branch limit, units taken, the 孵化中 → 筹建 → 已成立 machine),
// warnings, and versions. Writes go to a township of the test's own, so the demo stays as made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, assertError, assertOk, createUser, shanghaiDate, PW } from './lib.mjs';
import { WENHUA, freshTownship, unitBody, creditCode, creditCheck, addDays } from './party_lib.mjs';

let admin, leader, leader2, instructor, grid, town, boss;
const today = shanghaiDate(0);
const year = today.slice(0, 4);

test('setup', async () => {
    [admin, leader, leader2, instructor, grid] = await Promise.all(
        ['admin', 'leader', 'leader2', 'instructor', 'grid'].map((u) => login(u)));
    town = await freshTownship(admin);
    const u = await createUser(admin, { roles: ['leader'], areas: [town.street], name: '测试街道书记' });
    boss = await login(u.username, PW);
});

test('the demo reproduces the source: 42 units with organizations, 2 in preparation, 8 this year', async () => {
    const cov = assertOk(await leader2.get(`/api/v1/party/coverage?area=${WENHUA}`));
    assert.equal(cov.source, 'live');
    assert.equal(cov.as_of, today);
    assert.equal(cov.units.own + cov.units.joint, 42);
    assert.equal(cov.units.covered, 42);
    assert.equal(cov.orgs.preparing, 2);
    assert.equal(cov.orgs.established_this_year, 8);
    assert.equal(cov.coverage_rate, Math.round((42 * 1000) / cov.units.operating) / 10);
    // the same figures counted record by record
    const covered = assertOk(await leader2.get(`/api/v1/party/units?area=${WENHUA}&status=operating&coverage=covered&per_page=1`));
    assert.equal(covered.total, 42);
    const own = assertOk(await leader2.get(`/api/v1/party/units?area=${WENHUA}&status=operating&coverage=own&per_page=1`));
    assert.equal(own.total, cov.units.own);
    const prep = assertOk(await leader2.get(`/api/v1/party/orgs?area=${WENHUA}&status=preparing`));
    assert.equal(prep.total, 2);
    assert.ok(prep.items.some((o) => o.name === '传世老汤饸饹面党支部'), prep.items.map((o) => o.name).join());
    const est = assertOk(await leader2.get(`/api/v1/party/orgs?area=${WENHUA}&status=established&per_page=200`));
    assert.equal(est.items.filter((o) => o.established_on >= `${year}-01-01`).length, 8);
    assert.equal(est.total, cov.orgs.established);
    // the named units and organizations of DOMAIN.md
    for (const name of ['郑州晨钟教育集团党委', '金水区众创家协会党支部', '新创客协会党支部',
        '河南智业科技发展有限公司党支部', '河南省超级宝贝少儿艺术团党支部', '河南田野文化艺术有限公司党支部',
        '蓝堡湾贵人街联合党支部', '天骄金街联合党支部']) {
        const r = assertOk(await leader2.get(`/api/v1/party/orgs?area=${WENHUA}&q=${encodeURIComponent(name)}`));
        assert.ok(r.items.some((o) => o.name === name), name);
    }
    const centre = assertOk(await leader2.get(`/api/v1/party/units?area=${WENHUA}&q=${encodeURIComponent('大学生创业园党群服务中心')}`));
    assert.equal(centre.items[0].coverage, 'joint');
    // 晨钟: a 党委 with ≥ 100 members in its branches, the demonstration point of 民办教育
    const points = assertOk(await leader2.get(`/api/v1/party/demo-points?area=${WENHUA}`)).items;
    const edu = points.find((p) => p.category === '民办教育');
    assert.equal(edu.unit.name, '郑州晨钟教育集团');
    assert.equal(edu.org.kind, 'committee');
    assert.match(edu.instructor, /王晓红/);
    assert.equal(new Set(points.map((p) => p.category)).size, points.length, 'one point per category');
    const stations = assertOk(await instructor.get('/api/v1/party/stations?instructor=me&current=1')).items;
    assert.ok(stations.some((s) => s.goal.includes('科技报国')));
    assert.ok(stations.some((s) => s.goal.includes('站在更高的高度承担社会责任')));
});

test('coverage for a past day comes from the audit history, not from today', async () => {
    const now = assertOk(await leader2.get(`/api/v1/party/coverage?area=${WENHUA}`));
    const same = assertOk(await leader2.get(`/api/v1/party/coverage?area=${WENHUA}&as_of=${today}`));
    assert.equal(same.source, 'audit');
    assert.deepEqual(same.units, now.units);
    assert.deepEqual(same.orgs, now.orgs);
    assert.deepEqual(same.members, now.members);
    // on New Year's Day none of this year's eight existed yet
    const jan1 = assertOk(await leader2.get(`/api/v1/party/coverage?area=${WENHUA}&as_of=${year}-01-01`));
    assert.equal(jan1.orgs.established_this_year, 0);
    assert.ok(jan1.units.covered < now.units.covered, `${jan1.units.covered} < ${now.units.covered}`);
    // the office started the ledger on 1 March two years ago: the day before, nothing
    const before = assertOk(await leader2.get(`/api/v1/party/coverage?area=${WENHUA}&as_of=${Number(year) - 2}-02-28`));
    assert.equal(before.units.total, 0);
    assert.equal(before.coverage_rate, null);
    assertError(await leader2.get(`/api/v1/party/coverage?area=${WENHUA}&as_of=${addDays(today, 1)}`), 400, 'invalid_parameter', 'as_of');
    assertError(await leader2.get(`/api/v1/party/coverage?as_of=2026-02-30`), 400, 'invalid_parameter', 'as_of');
    const hist = assertOk(await leader2.get(`/api/v1/party/coverage/history?area=${WENHUA}&months=6`));
    assert.equal(hist.points.length, 6);
    assert.equal(hist.points[5].date, today);
    assert.equal(hist.points[5].own + hist.points[5].joint, 42);
});

test('roles and areas: only party roles, only their areas; personal data masked for instructors', async () => {
    assertError(await grid.get('/api/v1/party/units'), 403, 'forbidden');
    assertError(await grid.get('/api/v1/party/coverage'), 403, 'forbidden');
    assertError(await leader.get(`/api/v1/party/units?area=${WENHUA}`), 403, 'area_forbidden');
    assert.equal(assertOk(await leader.get('/api/v1/party/units')).total, 0, '陇海马路 has no 两新 units');
    const unit = assertOk(await leader2.get(`/api/v1/party/units?area=${WENHUA}&per_page=1`)).items[0];
    assertError(await leader.get(`/api/v1/party/units/${unit.id}`), 403, 'area_forbidden');
    assertError(await boss.get(`/api/v1/party/units/${unit.id}`), 403, 'area_forbidden');
    // the same member seen by the secretary and by the instructor
    const m2 = assertOk(await leader2.get(`/api/v1/party/members?area=${WENHUA}&stage=full&per_page=1`)).items[0];
    const mi = assertOk(await instructor.get(`/api/v1/party/members/${m2.id}`));
    assert.match(m2.citizen_id, /^\d{17}[\dX]$/);
    assert.equal(mi.citizen_id, `${m2.citizen_id.slice(0, 6)}********${m2.citizen_id.slice(14)}`);
    assert.match(m2.phone, /^1\d{10}$/);
    assert.equal(mi.phone, `${m2.phone.slice(0, 3)}****${m2.phone.slice(7)}`);
    assert.equal(mi.birth_date, null);
    assert.equal(mi.monthly_income_fen, null);
    assert.equal(m2.birth_date.replaceAll('-', ''), m2.citizen_id.slice(6, 14));
    // an exact ID finds the member only for those who may see IDs
    assert.equal(assertOk(await leader2.get(`/api/v1/party/members?q=${m2.citizen_id}`)).total, 1);
    assert.equal(assertOk(await instructor.get(`/api/v1/party/members?q=${m2.citizen_id}`)).total, 0);
    const u2 = assertOk(await instructor.get(`/api/v1/party/units/${unit.id}`));
    assert.match(u2.contact_phone, /^\d{3}\*{4}\d{4}$/);
    // instructors read, but do not change the registry
    assertError(await instructor.post('/api/v1/party/units', unitBody(WENHUA)), 403, 'forbidden');
    assertError(await instructor.patch(`/api/v1/party/units/${unit.id}`, { name: 'x', version: unit.version }), 403, 'forbidden');
});

test('units: create, read, change with the version; bad input names the field and writes nothing', async () => {
    const area = town.communities[0];
    const body = unitBody(area);
    const res = await boss.post('/api/v1/party/units', body);
    const u = assertOk(res, 201);
    assert.equal(res.headers.get('location'), `/api/v1/party/units/${u.id}`);
    assert.equal(res.headers.get('etag'), '"1"');
    for (const k of ['name', 'credit_code', 'kind', 'category', 'area', 'address', 'employees', 'contact_name'])
        assert.equal(u[k], body[k], k);
    assert.equal(u.status, 'operating');
    assert.equal(u.coverage, 'none');
    assert.equal(u.credit_code_warning, false);
    assert.deepEqual(u.warnings, []);
    assert.equal(u.credit_code_registrar.zh, '市场监管');
    const marker = `不应创建${Date.now()}`;
    const bad = [
        [{ credit_code: '91410105MA44B7K6PI' }, 400, 'invalid_field', 'credit_code'], // I is not in the alphabet
        [{ credit_code: '9141010' }, 400, 'invalid_field', 'credit_code'],
        [{ credit_code: undefined }, 400, 'required', 'credit_code'],
        [{ kind: 'company' }, 400, 'invalid_field', 'kind'],
        [{ category: '炼丹' }, 400, 'invalid_field', 'category'],
        [{ area: WENHUA }, 403, 'area_forbidden', 'area'],
        [{ area: `${town.street.slice(0, 9)}999` }, 422, 'unknown_area', 'area'],
        [{ contact_phone: '12345678901' }, 400, 'invalid_field', 'contact_phone'],
        [{ lat: 10.5 }, 400, 'invalid_field', 'lng'],
        [{ lat: 80, lng: 113 }, 400, 'invalid_field', 'lat'],
        [{ employees: -1 }, 400, 'invalid_field', 'employees'],
        [{ owner: '张三' }, 400, 'unknown_field', 'owner'],
        [{ credit_code: body.credit_code }, 409, 'duplicate', 'credit_code'],
    ];
    for (const [over, status, code, field] of bad) {
        const b = unitBody(area, { name: marker, ...over });
        for (const k of Object.keys(over)) if (over[k] === undefined) delete b[k];
        if (over.lat === 10.5) delete b.lng;
        const e = assertError(await boss.post('/api/v1/party/units', b), status, code, field);
        if (field === 'category') assert.ok(e.allowed.includes('民办教育'));
    }
    assert.equal(assertOk(await boss.get(`/api/v1/party/units?q=${encodeURIComponent(marker)}`)).total, 0);
    // an early pilot code fails its check character: accepted, with a warning
    const pilotFirst = creditCode().slice(0, 17);
    const right = creditCheck(pilotFirst);
    const wrong = right === '0' ? '1' : '0';
    const pilot = assertOk(await boss.post('/api/v1/party/units', unitBody(area, { credit_code: pilotFirst + wrong })), 201);
    assert.equal(pilot.credit_code_warning, true);
    assert.equal(pilot.warnings[0].field, 'credit_code');
    assert.match(pilot.warnings[0].message_zh, /试点/);
    // changes carry the version; a stale one changes nothing
    const url = `/api/v1/party/units/${u.id}`;
    assertError(await boss.patch(url, { employees: 40 }), 428, 'version_required');
    const ch = assertOk(await boss.patch(url, { employees: 40, version: 1 }));
    assert.equal(ch.employees, 40);
    assert.equal(ch.version, 2);
    const e = assertError(await boss.patch(url, { employees: 99, version: 1 }), 409, 'stale_version');
    assert.equal(e.current_version, 2);
    assert.equal(assertOk(await boss.get(url)).employees, 40);
    assertOk(await boss.patch(url, { name: '改名后的单位' }, { 'If-Match': '"2"' }));
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=party_unit&id=${u.id}`)).items;
    assert.deepEqual(audit.map((a) => a.action), ['update', 'update', 'create']);
    assert.equal(audit[0].after.name, '改名后的单位');
});

async function units(n, area = town.communities[0]) {
    const ids = [];
    for (let i = 0; i < n; i++) ids.push(assertOk(await boss.post('/api/v1/party/units', unitBody(area)), 201).id);
    return ids;
}

test('organizations: joint branch over the limit, units taken, settings; nothing written on refusal', async () => {
    const ids = await units(7);
    const base = { area: town.street, kind: 'joint_branch', setting: 'joint', status: 'established', established_on: today };
    const before = assertOk(await boss.get(`/api/v1/party/orgs?area=${town.street}`)).total;
    const over = assertError(await boss.post('/api/v1/party/orgs', { ...base, name: '六户联合党支部', unit_ids: ids.slice(0, 6) }),
        422, 'joint_over_limit', 'unit_ids');
    assert.equal(over.limit, 5);
    assert.match(over.message_zh, /第五条/);
    assertError(await boss.post('/api/v1/party/orgs', { ...base, name: '一户联合', unit_ids: ids.slice(0, 1) }), 422, 'joint_needs_units', 'unit_ids');
    assertError(await boss.post('/api/v1/party/orgs', { ...base, name: '错配', setting: 'single', unit_ids: ids.slice(0, 1) }), 422, 'kind_setting', 'setting');
    assertError(await boss.post('/api/v1/party/orgs', { ...base, name: '未来', established_on: addDays(today, 3), unit_ids: ids.slice(0, 2) }), 400, 'invalid_field', 'established_on');
    assertError(await boss.post('/api/v1/party/orgs', { ...base, name: '无日期', established_on: undefined, unit_ids: ids.slice(0, 2) }), 400, 'required', 'established_on');
    assertError(await boss.post('/api/v1/party/orgs', { ...base, name: '重复', unit_ids: [ids[0], ids[0]] }), 400, 'invalid_field', 'unit_ids');
    assertError(await boss.post('/api/v1/party/orgs', { ...base, name: '不存在', unit_ids: [ids[0], 99999999] }), 422, 'unknown_unit', 'unit_ids');
    assert.equal(assertOk(await boss.get(`/api/v1/party/orgs?area=${town.street}`)).total, before, 'no refused organization was written');
    assert.equal(assertOk(await boss.get(`/api/v1/party/units/${ids[0]}`)).org, null);
    // with the reason: set up, and on the warnings list
    const res = await boss.post('/api/v1/party/orgs', { ...base, name: '六户联合党支部', unit_ids: ids.slice(0, 6), override_reason: '同属一个商会' });
    const jo = assertOk(res, 201);
    assert.equal(jo.units_count, 6);
    assert.equal(jo.units.length, 6);
    assert.equal(jo.joint_override, '同属一个商会');
    const w = assertOk(await boss.get(`/api/v1/party/warnings?area=${town.street}&rule=joint_over_limit`));
    assert.equal(w.items.length, 1);
    assert.equal(w.items[0].id, jo.id);
    assert.equal(w.items[0].source, '中国共产党支部工作条例(试行)第五条');
    // a unit is in one organization only
    const taken = assertError(await boss.post('/api/v1/party/orgs', { ...base, name: '抢单位', setting: 'single', kind: 'branch', unit_ids: [ids[0]] }), 409, 'unit_taken', 'unit_ids');
    assert.equal(taken.unit_id, ids[0]);
    // units move: PUT the list with the version; over the limit again without a reason is refused
    const url = `/api/v1/party/orgs/${jo.id}/units`;
    assertError(await boss.put(url, { unit_ids: ids.slice(0, 7), version: jo.version }), 422, 'joint_over_limit');
    const five = assertOk(await boss.put(url, { unit_ids: ids.slice(0, 5), version: jo.version }));
    assert.equal(five.units_count, 5);
    assert.equal(five.joint_override, null);
    assertError(await boss.put(url, { unit_ids: ids.slice(0, 4), version: jo.version }), 409, 'stale_version');
    assert.equal(assertOk(await boss.get(`/api/v1/party/units/${ids[5]}`)).coverage, 'none');
    assert.equal(assertOk(await boss.get(`/api/v1/party/units/${ids[4]}`)).coverage, 'joint');
    assert.equal(assertOk(await boss.get(`/api/v1/party/warnings?area=${town.street}&rule=joint_over_limit`)).items.length, 0);
    assertError(await boss.patch(`/api/v1/party/orgs/${jo.id}`, { setting: 'single', version: five.version }), 400, 'invalid_field', 'setting');
});

test('organizations move 孵化中 → 筹建 → 已成立, and coverage follows', async () => {
    const [u] = await units(1, town.communities[1]);
    const cov0 = assertOk(await boss.get(`/api/v1/party/coverage?area=${town.communities[1]}`));
    const o = assertOk(await boss.post('/api/v1/party/orgs', {
        area: town.communities[1], name: '孵化中的党支部', kind: 'branch', setting: 'single', unit_ids: [u],
        secretary: '王芳', committee: [{ name: '王芳', duty: '书记' }],
    }), 201);
    assert.equal(o.status, 'incubating');
    assert.deepEqual(o.actions.map((a) => a.action).sort(), ['dissolve', 'prepare']);
    const t = (body) => boss.post(`/api/v1/party/orgs/${o.id}/transitions`, body);
    const skip = assertError(await t({ action: 'establish', date: today, version: o.version }), 409, 'invalid_transition');
    assert.deepEqual(skip.allowed.map((a) => a.action).sort(), ['dissolve', 'prepare']);
    assertError(await t({ action: 'prepare', version: o.version + 5 }), 409, 'stale_version');
    const p = assertOk(await t({ action: 'prepare', version: o.version }));
    assert.equal(p.status, 'preparing');
    assert.equal(assertOk(await boss.get(`/api/v1/party/units/${u}`)).coverage, 'pending');
    assertError(await t({ action: 'establish', version: p.version }), 400, 'required', 'date');
    assertError(await t({ action: 'dissolve', version: p.version }), 400, 'required', 'reason');
    const e = assertOk(await t({ action: 'establish', date: today, version: p.version }));
    assert.equal(e.status, 'established');
    assert.equal(e.established_on, today);
    assert.equal(e.term_start, today);
    assert.equal(e.term_end_effective, `${Number(year) + 3}${today.slice(4)}`.replace('-02-29', '-03-01'));
    const cov1 = assertOk(await boss.get(`/api/v1/party/coverage?area=${town.communities[1]}`));
    assert.equal(cov1.units.own, cov0.units.own + 1);
    assert.equal(cov1.orgs.established_this_year, cov0.orgs.established_this_year + 1);
    // the office's history: create, prepare, establish
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=party_org&id=${o.id}`)).items;
    assert.deepEqual(audit.map((a) => a.action), ['establish', 'prepare', 'create']);
    assert.deepEqual(audit[0].after.units, [u]);
    // instructors may prepare but not establish
    const o2 = assertOk(await boss.post('/api/v1/party/orgs', { area: town.communities[1], name: '另一个', kind: 'branch', setting: 'single', unit_ids: (await units(1, town.communities[1])) }), 201);
    const ins = await createUser(admin, { roles: ['party_instructor'], areas: [town.street], name: '测试指导员' });
    const ic = await login(ins.username, PW);
    const pr = assertOk(await ic.post(`/api/v1/party/orgs/${o2.id}/transitions`, { action: 'prepare', version: o2.version }));
    assertError(await ic.post(`/api/v1/party/orgs/${o2.id}/transitions`, { action: 'establish', date: today, version: pr.version }), 403, 'forbidden');
});

test('warnings name the rule and its source, from the demo records', async () => {
    const w = assertOk(await leader2.get(`/api/v1/party/warnings?area=${WENHUA}&per_page=200`));
    const rules = new Map(w.rules.map((r) => [r.code, r]));
    for (const code of ['unit_needs_branch', 'joint_over_limit', 'branch_too_large', 'no_branch_committee', 'term_due', 'probation_overdue', 'unit_unplanned'])
        assert.ok(w.counts[code] > 0, `${code}: ${JSON.stringify(w.counts)}`);
    for (const item of w.items) {
        assert.equal(item.source, rules.get(item.rule).source);
        assert.ok(item.detail_zh && item.detail_en);
    }
    assert.equal(w.total, Object.values(w.counts).reduce((a, b) => a + b, 0));
    const pick = (rule, name) => w.items.find((i) => i.rule === rule && i.name === name);
    assert.ok(pick('joint_over_limit', '天骄金街联合党支部'));
    assert.ok(pick('unit_needs_branch', '传世老汤饸饹面'));
    assert.ok(pick('branch_too_large', '郑州鑫源餐饮管理有限公司党支部'));
    assert.ok(pick('term_due', '郑州华联超市文化路店党支部'));
    assert.match(rules.get('probation_overdue').source, /第七条/);
    // each warning checked against the record it names
    const big = pick('branch_too_large', '郑州鑫源餐饮管理有限公司党支部');
    const org = assertOk(await leader2.get(`/api/v1/party/orgs/${big.id}`));
    assert.ok(org.members.total > 50, String(org.members.total));
    const term = assertOk(await leader2.get(`/api/v1/party/orgs/${pick('term_due', '郑州华联超市文化路店党支部').id}`));
    assert.equal(term.term_due, true);
    assert.ok(term.term_end_effective < today);
    const late = w.items.find((i) => i.rule === 'probation_overdue');
    const m = assertOk(await leader2.get(`/api/v1/party/members/${late.id}`));
    assert.equal(m.stage, 'probationary');
    assert.ok(m.probation_end < today);
    const only = assertOk(await leader2.get(`/api/v1/party/warnings?area=${WENHUA}&rule=term_due`));
    assert.ok(only.items.every((i) => i.rule === 'term_due'));
    assertError(await leader2.get('/api/v1/party/warnings?rule=nonsense'), 400, 'invalid_parameter', 'rule');
});

test('the map: boundaries of the street and its communities, units with positions and status', async () => {
    const m = assertOk(await leader2.get(`/api/v1/party/map?area=${WENHUA}`));
    const street = m.areas.find((a) => a.code === WENHUA);
    assert.equal(street.geometry.type, 'Polygon');
    assert.ok(m.areas.filter((a) => a.level === 5 && a.geometry).length >= 6);
    const cov = assertOk(await leader2.get(`/api/v1/party/coverage?area=${WENHUA}`));
    assert.equal(m.units.length + m.without_position, cov.units.operating);
    assert.equal(m.units.filter((u) => u.coverage === 'own' || u.coverage === 'joint').length, 42);
    assert.ok(m.units.some((u) => u.demo_point && u.name === '郑州晨钟教育集团'));
    const edu = assertOk(await leader2.get(`/api/v1/party/map?area=${WENHUA}&category=${encodeURIComponent('民办教育')}`));
    assert.ok(edu.units.length > 0 && edu.units.every((u) => u.category === '民办教育'));
});

test('meta lists the rules, the stages and the configured dues table', async () => {
    const meta = assertOk(await instructor.get('/api/v1/party/meta'));
    assert.deepEqual(meta.stages.map((s) => s.code), ['applicant', 'activist', 'candidate', 'probationary', 'full']);
    assert.equal(meta.rules.length, 8);
    assert.equal(meta.personal_data, false);
    assert.equal(assertOk(await leader2.get('/api/v1/party/meta')).personal_data, true);
    assert.deepEqual(meta.dues_bands.map((b) => b.permille), [5, 10, 15, 20]);
    assert.equal(meta.org_rules.joint_max_units, 5);
});
