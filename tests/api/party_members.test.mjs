// 发展党员: the pipeline 入党申请人 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员 enforced with
// its durations, age and introducers, refusals that say which rule and when; transfers that keep
// the history; dues from the income bands, paid once a month. In a township of the test's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, assertError, assertOk, createUser, shanghaiDate, PW } from './lib.mjs';
import { freshTownship, unitBody, citizenId, addDays, addYears, addMonths } from './party_lib.mjs';

let admin, boss, town, unitId, org, org2, intro;
const today = shanghaiDate(0);

async function member(body) {
    return assertOk(await boss.post('/api/v1/party/members', body), 201);
}

/** A full member registered with a consistent history. */
async function fullMember(orgId, name = '老党员') {
    return member({
        name, citizen_id: citizenId('1980-05-05'), unit_id: unitId, org_id: orgId, stage: 'full',
        applied_on: '2005-03-01', activist_on: '2005-09-01', candidate_on: '2006-10-01',
        probationary_on: '2006-12-01', full_on: '2007-12-03', monthly_income_fen: 450000,
    });
}

test('setup', async () => {
    admin = await login('admin');
    town = await freshTownship(admin, '党员测试街道');
    const u = await createUser(admin, { roles: ['leader'], areas: [town.street], name: '书记' });
    boss = await login(u.username, PW);
    unitId = assertOk(await boss.post('/api/v1/party/units', unitBody(town.communities[0])), 201).id;
    const u2 = assertOk(await boss.post('/api/v1/party/units', unitBody(town.communities[1])), 201).id;
    org = assertOk(await boss.post('/api/v1/party/orgs', {
        area: town.communities[0], name: '测试党支部', kind: 'branch', setting: 'single', status: 'established',
        established_on: '2010-01-01', unit_ids: [unitId] }), 201);
    org2 = assertOk(await boss.post('/api/v1/party/orgs', {
        area: town.communities[1], name: '第二党支部', kind: 'branch', setting: 'single', status: 'established',
        established_on: '2012-01-01', unit_ids: [u2] }), 201);
    intro = [await fullMember(org.id, '介绍人甲'), await fullMember(org.id, '介绍人乙')];
});

test('registration: the citizen ID is checked, the birth date and sex come from it', async () => {
    const before = assertOk(await boss.get(`/api/v1/party/members?area=${town.street}`)).total;
    const ok = citizenId('1995-02-03');
    const bad = ok.slice(0, 17) + (ok[17] === '0' ? '1' : '0');
    assertError(await boss.post('/api/v1/party/members', { name: '错号', citizen_id: bad, unit_id: unitId, applied_on: today }), 400, 'invalid_field', 'citizen_id');
    assertError(await boss.post('/api/v1/party/members', { name: '错日', citizen_id: '41010519950230123X', unit_id: unitId, applied_on: today }), 400, 'invalid_field', 'citizen_id');
    assertError(await boss.post('/api/v1/party/members', { name: '无处', citizen_id: citizenId('1995-02-03'), applied_on: today }), 400, 'required', 'unit_id');
    // a member belongs to a branch
    assertError(await boss.post('/api/v1/party/members', {
        name: '无支部', citizen_id: citizenId('1980-01-01'), unit_id: unitId, stage: 'full', applied_on: '2005-03-01',
        activist_on: '2005-09-01', candidate_on: '2006-10-01', probationary_on: '2006-12-01', full_on: '2007-12-03' }), 400, 'required', 'org_id');
    // 17 years old: refused, with the day of the 18th birthday
    const birth = addDays(addYears(today, -18), 10);
    const young = assertError(await boss.post('/api/v1/party/members', {
        name: '少年', citizen_id: citizenId(birth), unit_id: unitId, applied_on: today }), 422, 'too_young', 'applied_on');
    assert.equal(young.earliest, addYears(birth, 18));
    assert.match(young.message_zh, /中国共产党章程第一条/);
    assert.equal(young.rule.source, '中国共产党章程第一条');
    // a history that breaks the activist year
    const chain = assertError(await boss.post('/api/v1/party/members', {
        name: '急于求成', citizen_id: citizenId('1990-01-01'), unit_id: unitId, org_id: org.id, stage: 'candidate',
        applied_on: '2025-01-01', activist_on: '2025-02-01', candidate_on: '2025-12-01' }), 422, 'activist_period', 'candidate_on');
    assert.equal(chain.earliest, '2026-02-01');
    assert.equal(assertOk(await boss.get(`/api/v1/party/members?area=${town.street}`)).total, before, 'nothing registered');
    const cid = citizenId('1995-02-03');
    const m = await member({ name: '申请人', citizen_id: cid, phone: '+8613912345678', unit_id: unitId, applied_on: today });
    assert.equal(m.birth_date, '1995-02-03');
    assert.equal(m.sex, Number(cid[16]) % 2 ? 'male' : 'female');
    assert.equal(m.phone, '13912345678');
    assert.equal(m.stage, 'applicant');
    assert.equal(m.area, town.communities[0]);
    assert.equal(m.next.stage, 'activist');
    assertError(await boss.post('/api/v1/party/members', { name: '重复', citizen_id: cid, unit_id: unitId, applied_on: today }), 409, 'duplicate', 'citizen_id');
});

test('the pipeline goes stage by stage, waits out its periods and explains a refusal', async () => {
    const a = today;
    // applied two years ago, activist 13 months ago
    const activistOn = addDays(addYears(today, -1), -30);
    let m = await member({ name: '积极分子', citizen_id: citizenId('1996-06-06'), unit_id: unitId, org_id: org.id,
        stage: 'activist', applied_on: addYears(today, -2), activist_on: activistOn, monthly_income_fen: 520000 });
    const step = (body) => boss.post(`/api/v1/party/members/${m.id}/pipeline`, { version: m.version, ...body });
    // no stage is skipped
    const skip = assertError(await step({ action: 'advance', to: 'probationary', date: a }), 409, 'stage_order', 'to');
    assert.equal(skip.next, 'candidate');
    assertError(await step({ action: 'advance', to: 'applicant', date: a }), 409, 'stage_order', 'to');
    assertError(await step({ action: 'advance', to: 'candidate', date: addDays(today, 1) }), 422, 'date_in_future', 'date');
    assertError(await step({ action: 'advance', to: 'candidate', date: 'tomorrow' }), 400, 'invalid_date', 'date');
    // a day before the year is over: refused, the first possible day named
    const early = assertError(await step({ action: 'advance', to: 'candidate', date: addDays(addYears(activistOn, 1), -1) }), 422, 'activist_period', 'date');
    assert.equal(early.earliest, addYears(activistOn, 1));
    assert.match(early.message_zh, /最早可于/);
    assert.equal(early.rule.source, '中国共产党发展党员工作细则第十三条');
    m = assertOk(await step({ action: 'advance', to: 'candidate', date: addYears(activistOn, 1) }));
    assert.equal(m.stage, 'candidate');
    assert.equal(m.dates.candidate, addYears(activistOn, 1));
    // two introducers who are full members
    const adm = addDays(addYears(activistOn, 1), 5) <= today ? addDays(addYears(activistOn, 1), 5) : today;
    assertError(await step({ action: 'advance', to: 'probationary', date: adm }), 422, 'introducers', 'introducer_ids');
    assertError(await step({ action: 'advance', to: 'probationary', date: adm, introducer_ids: [intro[0].id, intro[0].id] }), 422, 'introducers');
    const applicant = await member({ name: '不是党员', citizen_id: citizenId('1990-07-07'), unit_id: unitId, applied_on: today });
    const notFull = assertError(await step({ action: 'advance', to: 'probationary', date: adm, introducer_ids: [intro[0].id, applicant.id] }), 422, 'introducers');
    assert.match(notFull.message_zh, /不是正式党员/);
    m = assertOk(await step({ action: 'advance', to: 'probationary', date: adm, introducer_ids: [intro[0].id, intro[1].id] }));
    assert.equal(m.stage, 'probationary');
    assert.deepEqual(m.introducers.map((i) => i.id), [intro[0].id, intro[1].id]);
    assert.equal(m.probation_end, addYears(adm, 1));
    assert.equal(m.monthly_dues_fen, 7800); // 5200 元 × 1.5%
    // a year's probation: conversion refused now, possible on its end
    const conv = assertError(await step({ action: 'advance', to: 'full', date: today }), 422, 'probation_period', 'date');
    assert.equal(conv.earliest, addYears(adm, 1));
    // the probation may be extended once by 6–12 months, with a reason
    assertError(await step({ action: 'extend', months: 3, date: today, reason: '继续考察' }), 400, 'extension_months', 'months');
    assertError(await step({ action: 'extend', months: 6, date: today }), 400, 'required', 'reason');
    m = assertOk(await step({ action: 'extend', months: 6, date: today, reason: '学习不够经常' }));
    assert.equal(m.extension_months, 6);
    assert.equal(m.probation_end, addMonths(adm, 18));
    const ext = assertError(await step({ action: 'extend', months: 6, date: today, reason: '再延' }), 409, 'already_extended');
    assert.match(ext.message_zh, /只能延长一次/);
    // stale versions change nothing
    const old = m.version - 1;
    assertError(await boss.post(`/api/v1/party/members/${m.id}/pipeline`, { version: old, action: 'extend', months: 6, date: today, reason: 'x' }), 409, 'stale_version');
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=party_member&id=${m.id}`)).items;
    assert.deepEqual(audit.map((e) => e.action), ['extend', 'advance', 'advance', 'create']);
    assert.equal(audit[1].reason, '发展对象 → 预备党员');
    assert.equal(audit[2].reason, '入党积极分子 → 发展对象');
});

test('a registered history converts on time; a full member from outside is recorded as transferred in', async () => {
    const adm = addYears(today, -1);
    let m = await member({ name: '预备期满', citizen_id: citizenId('1993-03-03'), unit_id: unitId, org_id: org.id, stage: 'probationary',
        applied_on: addYears(today, -4), activist_on: addYears(today, -3), candidate_on: addDays(adm, -60), probationary_on: adm,
        introducer_ids: [intro[0].id, intro[1].id] });
    m = assertOk(await boss.post(`/api/v1/party/members/${m.id}/pipeline`, { version: m.version, action: 'advance', to: 'full', date: today }));
    assert.equal(m.stage, 'full');
    assert.equal(m.next, null);
    const t = await member({ name: '转入党员', citizen_id: citizenId('1985-08-08'), unit_id: unitId, org_id: org.id, stage: 'full',
        applied_on: '2008-01-01', activist_on: '2008-06-01', candidate_on: '2009-07-01', probationary_on: '2009-09-01', full_on: '2010-09-02',
        transfer_in_from: '中共郑州高新区某公司支部' });
    assert.equal(t.transfers.length, 1);
    assert.equal(t.transfers[0].direction, 'in');
    assert.equal(t.transfers[0].from_text, '中共郑州高新区某公司支部');
    // probationary registration without introducers is refused unless transferred in
    assertError(await boss.post('/api/v1/party/members', { name: '无介绍人', citizen_id: citizenId('1994-04-04'), unit_id: unitId, org_id: org.id,
        stage: 'probationary', applied_on: '2022-01-01', activist_on: '2022-02-01', candidate_on: '2023-03-01', probationary_on: '2023-05-01' }), 422, 'introducers');
});

test('transfers between branches keep the history; a member transferred out stays on record', async () => {
    let m = await fullMember(org.id, '调动党员');
    const url = `/api/v1/party/members/${m.id}/transfers`;
    assertError(await boss.post(url, { version: m.version, date: today }), 400, 'required', 'to_org_id');
    assertError(await boss.post(url, { version: m.version, date: today, to_org_id: org.id }), 422, 'same_org', 'to_org_id');
    const incub = assertOk(await boss.post('/api/v1/party/orgs', { area: town.communities[1], name: '孵化支部', kind: 'branch', setting: 'single',
        unit_ids: [assertOk(await boss.post('/api/v1/party/units', unitBody(town.communities[1])), 201).id] }), 201);
    assertError(await boss.post(url, { version: m.version, date: today, to_org_id: incub.id }), 422, 'org_not_established', 'to_org_id');
    m = assertOk(await boss.post(url, { version: m.version, date: today, to_org_id: org2.id, to_unit_id: null, note: '工作调动' }));
    assert.equal(m.org.id, org2.id);
    assert.equal(m.unit, null);
    assert.equal(m.area, town.communities[1], 'the area follows the new branch');
    m = assertOk(await boss.post(url, { version: m.version, date: today, to_text: '中共上海市某街道工委' }));
    assert.equal(m.status, 'transferred_out');
    assert.deepEqual(m.transfers.map((t) => t.direction), ['internal', 'out']);
    assert.equal(m.transfers[0].from_org.id, org.id);
    assert.equal(m.transfers[0].to_org.id, org2.id);
    assert.equal(m.transfers[1].to_text, '中共上海市某街道工委');
    assertError(await boss.post(url, { version: m.version, date: today, to_org_id: org.id }), 409, 'transferred_out');
    const active = assertOk(await boss.get(`/api/v1/party/members?area=${town.street}&status=active&per_page=200`)).items;
    assert.ok(!active.some((x) => x.id === m.id));
    // a branch with members cannot be dissolved
    const o = assertOk(await boss.get(`/api/v1/party/orgs/${org.id}`));
    assertError(await boss.post(`/api/v1/party/orgs/${org.id}/transitions`, { action: 'dissolve', reason: '测试', version: o.version }), 409, 'has_members');
});

test('dues: the band table with inclusive bounds, fixed 0.2 元, one payment per month', async () => {
    const calc = async (base, category = 'regular') => assertOk(await boss.get(`/api/v1/party/dues/calc?base_fen=${base}&category=${category}`)).due_fen;
    assert.equal(await calc(300000), 1500);
    assert.equal(await calc(300001), 3000);
    assert.equal(await calc(500000), 5000);
    assert.equal(await calc(1000000), 15000);
    assert.equal(await calc(1000001), 20000);
    assert.equal(await calc(900000, 'student'), 20);
    assert.equal(await calc(0, 'dibao'), 20);
    assertError(await boss.get('/api/v1/party/dues/calc?base_fen=-1'), 400, 'invalid_parameter', 'base_fen');
    let m = await fullMember(org.id, '缴费党员');
    m = assertOk(await boss.patch(`/api/v1/party/members/${m.id}`, { monthly_income_fen: 800000, version: m.version }));
    assert.equal(m.monthly_dues_fen, 12000); // 8000 元 × 1.5%
    const month = today.slice(0, 7);
    const url = `/api/v1/party/members/${m.id}/dues`;
    const paid = assertOk(await boss.post(url, { month, paid_on: today }), 201);
    assert.equal(paid.due_fen, 12000);
    assert.equal(paid.paid_fen, 12000);
    assert.equal(paid.base_fen, 800000);
    assertError(await boss.post(url, { month, paid_on: today }), 409, 'duplicate', 'month');
    assertError(await boss.post(url, { month: '2026-13', paid_on: today }), 400, 'invalid_field', 'month');
    assertError(await boss.post(url, { month: '1999-01', paid_on: today }), 422, 'before_admission', 'month');
    assertError(await boss.post(url, { month, paid_on: addDays(today, 2) }), 400, 'invalid_field', 'paid_on');
    assertError(await boss.post(url, { month: '2025-01', paid_on: today, paid_fen: 12.5 }), 400, 'invalid_field', 'paid_fen');
    const roll = assertOk(await boss.get(`/api/v1/party/dues?org=${org.id}&month=${month}`));
    const mine = roll.items.find((i) => i.member_id === m.id);
    assert.equal(mine.due_fen, 12000);
    assert.equal(mine.paid.paid_fen, 12000);
    assert.equal(roll.expected_fen, roll.items.reduce((s, i) => s + i.due_fen, 0));
    const applicant = await member({ name: '还不是党员', citizen_id: citizenId('1999-09-09'), unit_id: unitId, applied_on: today });
    assertError(await boss.post(`/api/v1/party/members/${applicant.id}/dues`, { month, paid_on: today }), 422, 'not_a_member');
    const hist = assertOk(await boss.get(url));
    assert.equal(hist.items.length, 1);
    assert.equal(hist.monthly_dues_fen, 12000);
    // the income is personal: shown to the secretary, not to an instructor, and never in the log
    assert.equal(hist.items[0].base_fen, 800000);
    const ins = await createUser(admin, { roles: ['party_instructor'], areas: [town.street], name: '党费指导员' });
    const ic = await login(ins.username, PW);
    const seen = assertOk(await ic.get(url));
    assert.equal(seen.items[0].base_fen, null);
    assert.equal(assertOk(await ic.get(`/api/v1/party/members/${m.id}`)).monthly_income_fen, null);
    const roll2 = assertOk(await ic.get(`/api/v1/party/dues?org=${org.id}&month=${month}`));
    assert.ok(roll2.items.every((i) => i.monthly_income_fen === null && (!i.paid || i.paid.base_fen === null)));
    for (const entity of ['party_member', 'party_dues']) {
        const log = assertOk(await admin.get(`/api/v1/audit?entity=${entity}&limit=500`)).items;
        assert.ok(log.length > 0);
        assert.ok(log.every((e) => !JSON.stringify(e.after || {}).includes('income') && !('base_fen' in (e.after || {}))), entity);
    }
});
