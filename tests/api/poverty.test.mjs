// The poverty registry: households and persons (citizen IDs checked against sex and birth date,
// one household at a time), masking, the status lifecycle with its 公示 and objections, the status
// counts of any past day, import (CSV UTF-8/GBK, XLSX, the command line) and export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    login, assertError, assertOk, createUser, shanghaiDate, uniq, jiceng, DB, BIN, BASE,
} from './lib.mjs';
import {
    TOWN, REGISTERED, idMaker, family, freshVillage, createHousehold, household, stepWithNotice,
    step, checkChar,
} from './poverty-lib.mjs';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const cid = idMaker('410183'); // 登封市: no other file makes these
let admin, officer, leader, grid, village, village2;

test('setup', async () => {
    [admin, officer, leader, grid] = await Promise.all(['admin', 'poverty', 'leader', 'grid'].map((u) => login(u)));
    village = await freshVillage(admin, '登记测试村');
    village2 = await freshVillage(admin, '登记测试二村');
});

test('meta: statuses with their kinds and lifecycle, the tags, and what the caller may do', async () => {
    const m = assertOk(await officer.get('/api/v1/poverty/meta'));
    assert.deepEqual(m.statuses.map((s) => s.code), ['none', 'poor', 'exited', 'stable', 'returned', 'monitored']);
    const poor = m.statuses.find((s) => s.code === 'poor');
    assert.deepEqual(poor.kinds.map((k) => k.zh), ['一般贫困户', '低保贫困户', '五保贫困户']);
    assert.equal(poor.needs_notice, true);
    assert.deepEqual(m.statuses.find((s) => s.code === 'none').next.sort(), ['monitored', 'poor']);
    assert.equal(m.registered_tag, REGISTERED);
    assert.equal(m.key_categories.length, 10);
    assert.ok(m.key_categories.includes('低保户') && m.key_categories.includes('独居老人户'));
    assert.equal(m.notice_days, 7);
    assert.equal(m.yulu_annual_fen, 300000);
    assert.equal(m.pii, true);
    assert.equal(m.can_write, true);
    assert.equal(m.can_approve, false);
    const a = assertOk(await admin.get('/api/v1/poverty/meta'));
    assert.equal(a.can_approve, true);
});

test('roles and areas: a grid worker has no access, a leader of another street sees nothing here', async () => {
    assertError(await grid.get('/api/v1/poverty/households'), 403, 'forbidden');
    assertError(await grid.get('/api/v1/poverty/stats'), 403, 'forbidden');
    assertError(await leader.get(`/api/v1/poverty/households?area=${TOWN}`), 403, 'area_forbidden', 'area');
    const mine = assertOk(await leader.get('/api/v1/poverty/households'));
    assert.equal(mine.total, 0, 'the leader of 陇海马路街道 sees no households of 北山口镇');
    const res = await leader.post('/api/v1/poverty/households', { area: village, persons: [] });
    assertError(res, 403, 'forbidden');
});

test('register a household: members, head, history row, audit record', async () => {
    const persons = family(cid, 3, '孟');
    persons[1].birth_date = persons[1].citizen_id.slice(6, 10) + '-' + persons[1].citizen_id.slice(10, 12) + '-' + persons[1].citizen_id.slice(12, 14);
    const res = await officer.post('/api/v1/poverty/households', {
        area: village, household_no: uniq('H'), address: '登记测试村一组', phone: '+8613912345678',
        tags: ['大病户', '残疾人户'], persons,
    });
    const h = assertOk(res, 201);
    assert.equal(res.headers.get('location'), `/api/v1/poverty/households/${h.id}`);
    assert.equal(res.headers.get('etag'), `"${h.version}"`);
    assert.equal(h.status, 'none');
    assert.equal(h.status_since, shanghaiDate(0));
    assert.equal(h.head_name, '孟甲');
    assert.equal(h.members, 3);
    assert.equal(h.phone, '13912345678', 'the phone is kept as 11 digits');
    assert.deepEqual(h.tags.sort(), ['大病户', '残疾人户'].sort());
    assert.deepEqual(h.persons.map((p) => p.relation), ['户主', '配偶', '子']);
    assert.equal(h.persons[1].sex, 2, 'sex from the ID');
    assert.equal(h.persons[0].birth_date, '1965-01-10', 'birth date from the ID');
    assert.equal(h.status_history.length, 1);
    assert.equal(h.membership_history.length, 3);
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=pv_household&id=${h.id}`));
    assert.equal(audit.items.length, 1);
    assert.equal(audit.items[0].action, 'create');
    assert.equal(audit.items[0].after.status, 'none');
});

test('bad input names the field and registers nothing', async () => {
    const good = cid('1970-03-03', 1);
    const badChecksum = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const marker = uniq('不应登记');
    const mk = (p, over = {}) => ({ area: village, address: marker, persons: [p], ...over });
    const head = (over) => ({ name: '坏例', citizen_id: cid('1971-04-04', 1), relation: '户主', ...over });
    const f2 = cid('1972-05-05', 2);
    const cases = [
        [mk(head({ citizen_id: badChecksum })), 400, 'invalid_field', 'persons[0].citizen_id'],
        [mk(head({ citizen_id: '41018319700303' })), 400, 'invalid_field', 'persons[0].citizen_id'],
        [mk(head({ citizen_id: good.slice(0, 6) + '19701332' + good.slice(14, 17) + 'X' })), 400, 'invalid_field', 'persons[0].citizen_id'],
        [mk(head({ citizen_id: good, birth_date: '1970-03-04' })), 400, 'invalid_field', 'persons[0].birth_date'],
        [mk(head({ citizen_id: good, sex: 2 })), 400, 'invalid_field', 'persons[0].sex'],
        [mk(head({ relation: '远房表亲' })), 400, 'invalid_field', 'persons[0].relation'],
        [mk(head({ name: '' })), 400, 'required', 'persons[0].name'],
        [mk(head({ age: 40 })), 400, 'unknown_field', 'persons[0].age'],
        [{ area: village, address: marker, persons: [head(), { name: 'x', citizen_id: f2, relation: '户主' }] }, 422, 'two_heads', 'persons[1].relation'],
        [{ area: village, address: marker, persons: [head({ citizen_id: f2 }), { name: 'y', citizen_id: f2, relation: '配偶' }] }, 400, 'invalid_field', 'persons[1].citizen_id'],
        [mk(head(), { tags: ['富裕户'] }), 400, 'invalid_field', 'tags'],
        [mk(head(), { area: TOWN }), 422, 'area_level', 'area'],
        [mk(head(), { area: '410104007001' }), 403, 'area_forbidden', 'area'],
        [mk(head(), { status: 'poor', kind: 'general' }), 422, 'notice_required', 'status'],
        [mk(head(), { status: 'monitored' }), 400, 'required', 'kind'],
        [mk(head(), { status: 'stable' }), 422, 'invalid_transition', 'status'],
        [mk(head(), { phone: '12345' }), 400, 'invalid_field', 'phone'],
        [mk(head(), { effective_date: shanghaiDate(3) }), 422, 'invalid_date', 'effective_date'],
        [mk(head(), { income: 1 }), 400, 'unknown_field', 'income'],
    ];
    for (const [body, status, code, field] of cases) {
        const e = assertError(await officer.post('/api/v1/poverty/households', body), status, code, field);
        if (field === 'tags') assert.ok(e.allowed.includes(REGISTERED) && e.allowed.includes('低保户'));
    }
    const found = assertOk(await officer.get(`/api/v1/poverty/households?q=${encodeURIComponent(marker)}`));
    assert.equal(found.total, 0, 'no refused body registered a household');
    const persons = assertOk(await officer.get(`/api/v1/poverty/persons?q=${f2}`));
    assert.equal(persons.total, 0, 'nor a person');
});

test('a person is in one household at a time: the same ID again is refused naming the record', async () => {
    const p = family(cid, 2, '霍');
    const a = await createHousehold(officer, { area: village, persons: p });
    const other = { name: '霍乙', citizen_id: p[1].citizen_id, relation: '户主' };
    const e = assertError(await officer.post('/api/v1/poverty/households', {
        area: village2, address: '第二户', persons: [other],
    }), 409, 'duplicate', 'persons[0].citizen_id');
    assert.equal(e.existing.household_id, a.id);
    assert.equal(e.existing.person_id, a.persons[1].id);
    assert.equal(e.existing.name, '霍乙');
    assert.match(e.message_zh, /霍乙/);
    assert.match(e.message_zh, /同一人同时只能在一户/);
    // adding the person to another household is refused too, and changes nothing
    const b = await createHousehold(officer, { area: village2, persons: [{ name: '卫甲', citizen_id: cid('1977-07-07', 1), relation: '户主' }] });
    const add = await officer.post(`/api/v1/poverty/households/${b.id}/persons`, { ...other, relation: '配偶', version: b.version });
    assertError(add, 409, 'duplicate', 'citizen_id');
    assert.equal((await household(officer, b.id)).members, 1);
    assert.equal((await household(officer, a.id)).members, 2);
});

test('members: added with the ID rules, a second head refused, relation edits keep a history', async () => {
    const h = await createHousehold(officer, { area: village, persons: family(cid, 1, '邢') });
    const baby = { name: '邢小宝', citizen_id: cid(shanghaiDate(-200), 1), relation: '孙子', version: h.version };
    const res = await officer.post(`/api/v1/poverty/households/${h.id}/persons`, baby);
    const got = assertOk(res, 201);
    assert.match(res.headers.get('location'), /^\/api\/v1\/poverty\/persons\/\d+$/);
    assert.equal(got.members, 2);
    const head2 = { name: '邢二', citizen_id: cid('1966-06-06', 1), relation: '户主', version: got.version };
    assertError(await officer.post(`/api/v1/poverty/households/${h.id}/persons`, head2), 422, 'two_heads', 'relation');
    assertError(await officer.post(`/api/v1/poverty/households/${h.id}/persons`, { ...head2, relation: '子', version: h.version }), 409, 'stale_version');
    const pid = Number(res.headers.get('location').split('/').pop());
    const person = assertOk(await officer.get(`/api/v1/poverty/persons/${pid}`));
    const edited = assertOk(await officer.patch(`/api/v1/poverty/persons/${pid}`, { relation: '孙女', name: '邢小花', version: person.version }));
    assert.equal(edited.relation, '孙女');
    assert.equal(edited.name, '邢小花');
    const d = await household(officer, h.id);
    const rows = d.membership_history.filter((m) => m.person_id === pid);
    assert.deepEqual(rows.map((m) => m.relation), ['孙子', '孙女'], 'the old membership row ends, a new one starts');
    assert.equal(rows[0].to, shanghaiDate(0));
});

test('masking: a reader outside poverty.pii_roles sees masked IDs and phones', async () => {
    const u = await createUser(admin, { roles: ['leader'], areas: [village], name: '测试村书记' });
    const reader = await login(u.username);
    const p = family(cid, 1, '蒙');
    const h = await createHousehold(officer, { area: village, phone: '13712345678', persons: [{ ...p[0], phone: '13612345678' }] });
    const seen = assertOk(await reader.get(`/api/v1/poverty/households/${h.id}`));
    const id = p[0].citizen_id;
    assert.equal(seen.persons[0].citizen_id, `${id.slice(0, 6)}********${id.slice(14)}`);
    assert.equal(seen.persons[0].phone, '136****5678');
    assert.equal(seen.phone, '137****5678');
    assert.equal(seen.membership_history[0].citizen_id, `${id.slice(0, 6)}********${id.slice(14)}`);
    const list = assertOk(await reader.get(`/api/v1/poverty/persons?q=${id}`));
    assert.equal(list.total, 1, 'an exact ID still finds the person');
    assert.notEqual(list.items[0].citizen_id, id);
    assert.equal(assertOk(await reader.get('/api/v1/poverty/meta')).pii, false);
    // the officer sees them in full; the reader may not write
    assert.equal((await household(officer, h.id)).persons[0].citizen_id, id);
    assertError(await reader.patch(`/api/v1/poverty/households/${h.id}`, { address: 'x', version: h.version }), 403, 'forbidden');
    // the audit log masks them for everyone but administrators
    const audit = assertOk(await officer.get(`/api/v1/audit?entity=pv_person&id=${h.persons[0].id}`));
    assert.notEqual(audit.items[0].after.citizen_id, id);
});

test('公示: entry needs a notice; during it the change is refused with the date it may proceed', async () => {
    const h = await createHousehold(officer, { area: village, persons: family(cid, 2, '傅') });
    const body = (v) => ({ status: 'poor', kind: 'dibao', reason: '因病致贫,村民代表评议通过', version: v });
    assertError(await officer.post(`/api/v1/poverty/households/${h.id}/status`, body(h.version)), 422, 'notice_required', 'status');
    const n = assertOk(await officer.post('/api/v1/poverty/notices', {
        household_id: h.id, target_status: 'poor', target_kind: 'dibao', start_date: shanghaiDate(0), place: '村务公开栏',
    }), 201);
    assert.equal(n.end_date, shanghaiDate(6));
    assert.equal(n.may_proceed_on, shanghaiDate(7));
    assert.equal(n.state, 'running');
    assertError(await officer.post('/api/v1/poverty/notices', {
        household_id: h.id, target_status: 'poor', start_date: shanghaiDate(0),
    }), 409, 'duplicate', 'target_status');
    const e = assertError(await officer.post(`/api/v1/poverty/households/${h.id}/status`, body(h.version)), 409, 'notice_running', 'effective_date');
    assert.equal(e.may_proceed_on, shanghaiDate(7));
    assert.match(e.message_zh, new RegExp(shanghaiDate(7)));
    const after = await household(officer, h.id);
    assert.equal(after.status, 'none', 'nothing changed');
    assert.equal(after.status_history.length, 1);
    assert.equal(after.version, h.version);
    // a notice shorter than the configured days is refused
    assertError(await officer.post('/api/v1/poverty/notices', {
        household_id: h.id, target_status: 'exited', start_date: shanghaiDate(0), days: 3,
    }), 400, 'invalid_field', 'days');
});

test('公示 objections: pending blocks, upheld fails the notice, dismissed lets it proceed', async () => {
    const h = await createHousehold(officer, { area: village, effective_date: shanghaiDate(-40), persons: family(cid, 2, '祁') });
    let n = assertOk(await officer.post('/api/v1/poverty/notices', {
        household_id: h.id, target_status: 'poor', target_kind: 'general', start_date: shanghaiDate(-10),
    }), 201);
    assertError(await officer.post(`/api/v1/poverty/notices/${n.id}/objections`, {
        received_on: shanghaiDate(-1), content: '公示期外收到',
    }), 422, 'invalid_date', 'received_on');
    n = assertOk(await officer.post(`/api/v1/poverty/notices/${n.id}/objections`, {
        received_on: shanghaiDate(-8), from_name: '村民甲', content: '该户在城里有商品房',
    }), 201);
    assert.equal(n.objections.length, 1);
    assert.equal(n.state, 'objection');
    const body = (v) => ({ status: 'poor', kind: 'general', reason: '识别', effective_date: shanghaiDate(-1), version: v });
    assertError(await officer.post(`/api/v1/poverty/households/${h.id}/status`, body(h.version)), 409, 'objection_pending');
    const o = n.objections[0];
    assertError(await officer.post(`/api/v1/poverty/objections/${o.id}/resolve`, { resolution: 'dismissed', version: o.version }), 400, 'required', 'note');
    n = assertOk(await officer.post(`/api/v1/poverty/objections/${o.id}/resolve`, {
        resolution: 'dismissed', note: '经核实,商品房为其子女所有,已分户', version: o.version,
    }));
    assert.equal(n.objections[0].resolution, 'dismissed');
    assert.equal(n.state, 'ended');
    const d = assertOk(await officer.post(`/api/v1/poverty/households/${h.id}/status`, body(h.version)));
    assert.equal(d.status, 'poor');
    assert.equal(d.status_history.at(-1).notice_id, n.id);
    assert.equal(d.notices[0].state, 'used');

    // upheld: the notice fails and the step needs a new one
    const h2 = await createHousehold(officer, { area: village, effective_date: shanghaiDate(-40), persons: family(cid, 1, '禹') });
    let n2 = assertOk(await officer.post('/api/v1/poverty/notices', {
        household_id: h2.id, target_status: 'poor', target_kind: 'general', start_date: shanghaiDate(-9),
    }), 201);
    n2 = assertOk(await officer.post(`/api/v1/poverty/notices/${n2.id}/objections`, { received_on: shanghaiDate(-7), content: '有经营性收入' }), 201);
    n2 = assertOk(await officer.post(`/api/v1/poverty/objections/${n2.objections[0].id}/resolve`, {
        resolution: 'upheld', note: '核实属实,不予识别', version: n2.objections[0].version,
    }));
    assert.equal(n2.state, 'failed');
    assertError(await officer.post(`/api/v1/poverty/households/${h2.id}/status`, body(h2.version)), 422, 'notice_required');
});

test('lifecycle: history appended in date order, illegal steps refused with what is allowed', async () => {
    const h = await createHousehold(officer, { area: village, effective_date: shanghaiDate(-40), persons: family(cid, 3, '封') });
    await stepWithNotice(officer, h.id, 'poor', 'general', 30, 22);
    let d = await household(officer, h.id);
    const e = assertError(await officer.post(`/api/v1/poverty/households/${h.id}/status`, {
        status: 'stable', reason: '越级', version: d.version,
    }), 409, 'invalid_transition', 'status');
    assert.deepEqual(e.allowed.sort(), ['exited', 'poor']);
    assertError(await officer.post(`/api/v1/poverty/households/${h.id}/status`, {
        status: 'poor', kind: 'general', reason: '无变化', version: d.version,
    }), 409, 'invalid_transition');
    assertError(await officer.post(`/api/v1/poverty/households/${h.id}/status`, {
        status: 'poor', kind: 'wubao', reason: '早于上次', effective_date: shanghaiDate(-25), version: d.version,
    }), 422, 'invalid_date', 'effective_date');
    assertError(await officer.post(`/api/v1/poverty/households/${h.id}/status`, {
        status: 'poor', kind: 'wubao', reason: '将来', effective_date: shanghaiDate(2), version: d.version,
    }), 422, 'invalid_date', 'effective_date');
    assertError(await officer.post(`/api/v1/poverty/households/${h.id}/status`, {
        status: 'poor', kind: 'dibao', reason: 'x', version: d.version - 1,
    }), 409, 'stale_version');
    assertError(await officer.post(`/api/v1/poverty/households/${h.id}/status`, {
        status: 'poor', kind: 'dibao', reason: '',
    }), 428, 'version_required');
    d = await step(officer, h.id, 'poor', 'dibao', 20, '纳入低保');
    assert.equal(d.kind_zh, '低保贫困户');
    await stepWithNotice(officer, h.id, 'exited', '', 18, 10, '达到脱贫标准');
    d = await step(officer, h.id, 'stable', '', 3, '稳定脱贫');
    assert.deepEqual(d.status_history.map((r) => r.status), ['none', 'poor', 'poor', 'exited', 'stable']);
    assert.deepEqual(d.status_history.map((r) => r.effective_date),
        [-40, -22, -20, -10, -3].map((n) => shanghaiDate(n)));
    assert.equal(d.status_history[3].prev_status, 'poor');
    // the audit log tells the same story, step by step, in the same transactions
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=pv_household&id=${h.id}`)).items.reverse();
    const steps = audit.filter((a) => a.action === 'status');
    assert.deepEqual(steps.map((a) => [a.after.status, a.after.status_since]),
        d.status_history.slice(1).map((r) => [r.status, r.effective_date]));
});

test('stats: counts per village and status for any past day, from the history', async () => {
    const v = await freshVillage(admin, '统计测试村');
    const a = await createHousehold(officer, { area: v, effective_date: shanghaiDate(-40), persons: family(cid, 3, '晏') });
    const b = await createHousehold(officer, { area: v, effective_date: shanghaiDate(-40), persons: family(cid, 2, '郦') });
    await stepWithNotice(officer, a.id, 'poor', 'general', 35, 25);
    await stepWithNotice(officer, a.id, 'exited', '', 20, 12);
    await step(officer, b.id, 'monitored', 'marginal', 5);
    const at = async (days) => {
        const s = assertOk(await officer.get(`/api/v1/poverty/stats?area=${v}&as_of=${shanghaiDate(days)}`));
        return s.villages.find((x) => x.area === v) || { households: {}, persons: {}, households_total: 0 };
    };
    assert.equal((await at(-41)).households_total, 0, 'before registration');
    let s = await at(-30);
    assert.equal(s.households.none, 2);
    assert.equal(s.persons.none, 5);
    s = await at(-20);
    assert.equal(s.households.poor, 1);
    assert.equal(s.persons.poor, 3);
    s = await at(-6);
    assert.deepEqual([s.households.exited, s.households.none, s.households.monitored], [1, 1, 0]);
    s = await at(0);
    assert.deepEqual([s.households.exited, s.households.monitored], [1, 1]);
    // today's counts agree with the registry's lists
    for (const st of ['none', 'poor', 'exited', 'monitored']) {
        const list = assertOk(await officer.get(`/api/v1/poverty/households?area=${v}&status=${st}`));
        assert.equal(list.total, s.households[st] || 0, st);
    }
    assertError(await officer.get(`/api/v1/poverty/stats?as_of=2020-02-30`), 400, 'invalid_parameter', 'as_of');
    assertError(await officer.get('/api/v1/poverty/stats?area=410104007000'), 403, 'area_forbidden');
});

test('demo world: 13 villages with 1312 十类重点户 and 77 建档立卡 households, history back to 2014', async () => {
    let key = 0, reg = 0;
    for (let k = 1; k <= 13; k++) {
        const v = `4101811102${String(k).padStart(2, '0')}`;
        key += assertOk(await officer.get(`/api/v1/poverty/households?area=${v}&focus=key&per_page=1`)).total;
        reg += assertOk(await officer.get(`/api/v1/poverty/households?area=${v}&tag=${encodeURIComponent(REGISTERED)}&per_page=1`)).total;
    }
    assert.equal(key, 1312);
    assert.equal(reg, 77);
    const s2015 = assertOk(await officer.get(`/api/v1/poverty/stats?area=410181110201&as_of=2015-12-31`));
    const v1 = s2015.villages[0];
    assert.equal(v1.households.poor, v1.households_total, 'in 2015 every registered household of 北山口村 was poor');
    assert.ok(v1.households_total >= 5);
    // every demo citizen ID is valid
    const page = assertOk(await officer.get('/api/v1/poverty/persons?area=410181110203&per_page=200'));
    assert.ok(page.total > 100);
    for (const p of page.items) {
        assert.equal(checkChar(p.citizen_id.slice(0, 17)), p.citizen_id[17], p.citizen_id);
        assert.equal(p.citizen_id.slice(0, 6), '410181');
        assert.equal(p.birth_date.replaceAll('-', ''), p.citizen_id.slice(6, 14));
        assert.equal(Number(p.citizen_id[16]) % 2 === 1 ? 1 : 2, p.sex);
    }
});

test('edit a household: tags and address with the version; stale and unknown refused', async () => {
    const h = await createHousehold(officer, { area: village, persons: family(cid, 1, '殷') });
    const e = await officer.patch(`/api/v1/poverty/households/${h.id}`, { tags: ['危房户', REGISTERED], address: '新地址', version: h.version });
    const d = assertOk(e);
    assert.deepEqual(d.tags.sort(), ['危房户', REGISTERED].sort());
    assert.equal(d.version, h.version + 1);
    assertError(await officer.patch(`/api/v1/poverty/households/${h.id}`, { address: 'x', version: h.version }), 409, 'stale_version');
    assertError(await officer.patch(`/api/v1/poverty/households/${h.id}`, { address: 'x' }), 428, 'version_required');
    assertError(await officer.patch(`/api/v1/poverty/households/${h.id}`, { status: 'poor', version: d.version }), 400, 'unknown_field', 'status');
    assertError(await officer.get('/api/v1/poverty/households/999999999'), 404, 'not_found');
});

function gbk(text) {
    // node has no GBK encoder: iconv does it
    return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: Buffer.from(text, 'utf8') });
}

test('import: a row-level report first, then all rows or none (CSV UTF-8 and GBK)', async () => {
    const v = await freshVillage(admin, '导入测试村');
    const no = (k) => `${v}${String(k).padStart(4, '0')}`;
    const hh = `\ufeff户编号,行政村,地址,标签,状态,属性,状态日期\n${no(1)},${v},一组,低保户、残疾人户,未识别,,2020/5/1\n${no(2)},${v},二组,${REGISTERED},已脱贫,,2019-12-01\n`;
    const dry = assertOk(await officer.post('/api/v1/poverty/import/households?dry_run=1', hh, { 'Content-Type': 'text/csv' }));
    assert.deepEqual([dry.rows, dry.errors, dry.created, dry.dry_run], [2, 0, 0, true]);
    assert.equal(assertOk(await officer.get(`/api/v1/poverty/households?area=${v}`)).total, 0, 'a dry run writes nothing');
    const done = assertOk(await officer.post('/api/v1/poverty/import/households?filename=hh.csv', hh, { 'Content-Type': 'text/csv' }), 201);
    assert.equal(done.created, 2);
    const list = assertOk(await officer.get(`/api/v1/poverty/households?area=${v}`));
    assert.equal(list.total, 2);
    const exited = list.items.find((x) => x.household_no === no(2));
    assert.equal(exited.status, 'exited');
    assert.equal(exited.status_since, '2019-12-01');
    // persons in GBK, one of them with a bad check digit and one in two households
    const h1 = cid('1958-02-03', 1), h2 = cid('1960-08-09', 2), h3 = cid('1985-11-12', 1);
    const bad = h3.slice(0, 17) + (h3[17] === '0' ? '1' : '0');
    const persons = `户编号,姓名,身份证号,性别,与户主关系\n${no(1)},甘甲,${h1},男,户主\n${no(1)},甘乙,${h2},女,配偶\n${no(2)},甘丙,${bad},男,户主\n${no(2)},甘丁,${h1},男,子\n${no(9)},甘戊,${cid('1990-01-01', 1)},男,户主\n`;
    const r = await officer.post('/api/v1/poverty/import/persons', gbk(persons), { 'Content-Type': 'text/csv' });
    const e = assertError(r, 422, 'import_invalid');
    assert.equal(e.rows, 5);
    assert.equal(e.errors, 3);
    assert.deepEqual(e.problems.map((p) => [p.line, p.field]), [[4, 'citizen_id'], [5, 'citizen_id'], [6, 'household_no']]);
    assert.match(e.problems[0].message_zh, /校验码/);
    assert.equal(assertOk(await officer.get(`/api/v1/poverty/persons?area=${v}`)).total, 0, 'nothing was imported');
    // fixed, the whole file goes in
    const fixed = persons.split('\n').filter((l, i) => i !== 3 && i !== 4 && i !== 5).join('\n');
    const ok = assertOk(await officer.post('/api/v1/poverty/import/persons', gbk(fixed), { 'Content-Type': 'text/csv' }), 201);
    assert.equal(ok.created, 2);
    const d = await household(officer, list.items.find((x) => x.household_no === no(1)).id);
    assert.deepEqual(d.persons.map((p) => [p.name, p.relation, p.sex]), [['甘甲', '户主', 1], ['甘乙', '配偶', 2]]);
    assert.equal(d.membership_history[0].from, '2020-05-01', 'members count from the household\'s first status date');
    // a header without a required column, and a file that is not a table
    assertError(await officer.post('/api/v1/poverty/import/persons', '姓名,身份证号\n甲,1\n', { 'Content-Type': 'text/csv' }), 422, 'import_invalid');
    assertError(await officer.post('/api/v1/poverty/import/people', 'x', { 'Content-Type': 'text/csv' }), 404, 'not_found');
    assertError(await leader.post('/api/v1/poverty/import/households', hh, { 'Content-Type': 'text/csv' }), 403, 'forbidden');
});

test('export: any filtered list as .xlsx; the persons sheet goes back in only as duplicates', async () => {
    for (const kind of ['households', 'persons', 'projects', 'disbursements', 'yulu']) {
        const res = await officer.get(`/api/v1/poverty/export/${kind}?area=410181110201`);
        assert.equal(res.status, 200, kind);
        assert.match(res.headers.get('content-type'), /spreadsheetml/);
        assert.match(res.headers.get('content-disposition'), new RegExp(`attachment; filename="poverty-${kind}-`));
    }
    assertError(await officer.get('/api/v1/poverty/export/secrets'), 404, 'not_found');
    const raw = await fetch(`${BASE}/api/v1/poverty/export/persons?area=410181110205`, { headers: { Cookie: officer.cookieHeader() } });
    const xlsx = Buffer.from(await raw.arrayBuffer());
    assert.equal(xlsx.slice(0, 2).toString(), 'PK');
    const r = await officer.post('/api/v1/poverty/import/persons?dry_run=1', xlsx, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    const e = assertError(r, 422, 'import_invalid');
    const n = assertOk(await officer.get('/api/v1/poverty/persons?area=410181110205&per_page=1')).total;
    assert.equal(e.rows, n, 'every exported row was read back');
    assert.equal(e.errors, n, 'and each is refused: the person is registered already');
    // registered members clash on their ID; those who left (no household) have no household number
    assert.ok(e.problems.every((p) => ['citizen_id', 'household_no'].includes(p.field)), JSON.stringify(e.problems[0]));
    assert.ok(e.problems.some((p) => p.field === 'citizen_id' && /已登记/.test(p.message_zh)));
});

test('command line: jiceng import households FILE --db DB', { skip: !DB && 'JICENG_DB not set' }, async () => {
    const v = await freshVillage(admin, '命令行导入村');
    const dir = mkdtempSync(join(tmpdir(), 'pv-import-'));
    try {
        const file = join(dir, 'households.csv');
        writeFileSync(file, `户编号,行政村代码,地址,标签\n${v}0001,${v},一组,独居老人户\n${v}0002,${v},二组,无劳动力户\n`);
        const r = await jiceng(['import', 'households', file, '--db', DB]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /2 households imported/);
        assert.equal(assertOk(await officer.get(`/api/v1/poverty/households?area=${v}`)).total, 2);
        const again = await jiceng(['import', 'households', file, '--db', DB]);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /line 2 household_no: household number .* is already registered/);
        const usage = await jiceng(['import', 'households', '--db', DB]);
        assert.equal(usage.code, 2);
        const stats = await jiceng(['poverty', 'stats', '--db', DB, '--area', v]);
        assert.equal(stats.code, 0, stats.stderr);
        assert.match(stats.stdout, /total as of .*: 2 households, 0 persons/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(BIN);
});

test('two steps at once on one household: one wins, the other is stale, the history agrees', async () => {
    const h = await createHousehold(officer, { area: village, effective_date: shanghaiDate(-40), persons: family(cid, 1, '冉') });
    const others = await Promise.all([login('poverty'), login('poverty'), login('poverty')]);
    const res = await Promise.all(others.map((c, i) => c.post(`/api/v1/poverty/households/${h.id}/status`, {
        status: 'monitored', kind: ['marginal', 'sudden', 'marginal'][i], reason: `并发${i}`, version: h.version,
    })));
    const ok = res.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, res.map((r) => r.status).join());
    for (const r of res.filter((x) => x.status !== 200)) assertError(r, 409, 'stale_version');
    const d = await household(officer, h.id);
    assert.deepEqual(d.status_history.map((r) => r.status), ['none', 'monitored']);
    assert.equal(d.kind, d.status_history[1].kind);
});
