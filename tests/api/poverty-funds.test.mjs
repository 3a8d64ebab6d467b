// Poverty projects (completion, acceptance, overdue, "completed before DATE"), the funds ledger in
// integer fen (never beyond the source, the budget or the allocation — also with concurrent
// payments), and 雨露计划 (eligibility from the registry, one application per school year,
// payment per semester, the configurable subsidy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, assertError, assertOk, shanghaiDate, uniq } from './lib.mjs';
import { TOWN, REGISTERED, idMaker, family, freshVillage, createHousehold, household, step } from './poverty-lib.mjs';

const cid = idMaker('410185'); // 新郑市: no other file makes these
let admin, officer, leader, V;

test('setup', async () => {
    [admin, officer, leader] = await Promise.all(['admin', 'poverty', 'leader'].map((u) => login(u)));
    V = await freshVillage(admin, '资金测试村');
});

test('demo: six projects completed before the end of October 2020, a seventh in November', async () => {
    const r = assertOk(await officer.get(`/api/v1/poverty/projects/report?area=${TOWN}&before=2020-10-31`));
    assert.equal(r.completed, 6);
    assert.ok(r.items.every((p) => p.completed && p.actual_end <= '2020-10-31'));
    assert.equal(r.budget_fen, r.items.reduce((n, p) => n + p.budget_fen, 0));
    assert.match(r.text, /^截至2020年10月31日,已完成扶贫项目6个/);
    assert.equal(assertOk(await officer.get(`/api/v1/poverty/projects/report?area=${TOWN}&before=2020-11-30`)).completed, 7);
    assertError(await officer.get('/api/v1/poverty/projects/report'), 400, 'required', 'before');
    const overdue = assertOk(await officer.get(`/api/v1/poverty/projects?area=${TOWN}&overdue=1`));
    assert.ok(overdue.total >= 1 && overdue.items.every((p) => p.overdue && !p.completed && p.planned_end < shanghaiDate(0)));
    // the funds of the demo add up from their records
    const b = assertOk(await officer.get(`/api/v1/poverty/funds/balances?area=${TOWN}`));
    const paid = assertOk(await officer.get(`/api/v1/poverty/funds/disbursements?area=${TOWN}&per_page=200`));
    const demoSources = b.sources.filter((s) => s.year === 2020);
    assert.equal(demoSources.length, 3);
    const demoPaid = paid.items.filter((d) => d.paid_on.startsWith('2020') || d.paid_on.startsWith('2021'));
    assert.equal(demoSources.reduce((n, s) => n + s.disbursed_fen, 0), demoPaid.reduce((n, d) => n + d.amount_fen, 0));
});

test('projects: completion needs progress 100, acceptance needs completion, overdue is flagged', async () => {
    const base = { area: V, name: uniq('项目'), type: '基础设施', budget_fen: 1000000, planned_end: shanghaiDate(-2), start_date: shanghaiDate(-60) };
    const cases = [
        [{ type: '娱乐' }, 400, 'invalid_field', 'type'],
        [{ budget_fen: -1 }, 400, 'invalid_field', 'budget_fen'],
        [{ budget_fen: 12.5 }, 400, 'invalid_field', 'budget_fen'],
        [{ progress: 100 }, 422, 'required', 'actual_end'],
        [{ actual_end: shanghaiDate(1), progress: 100 }, 422, 'invalid_date', 'actual_end'],
        [{ acceptance: 'passed', accepted_on: shanghaiDate(0) }, 422, 'not_completed', 'acceptance'],
        [{ planned_end: shanghaiDate(-90) }, 400, 'invalid_field', 'planned_end'],
        [{ area: '410104007001' }, 403, 'area_forbidden', 'area'],
    ];
    for (const [over, status, code, field] of cases)
        assertError(await officer.post('/api/v1/poverty/projects', { ...base, ...over }), status, code, field);
    assertError(await leader.post('/api/v1/poverty/projects', base), 403, 'forbidden');
    const res = await officer.post('/api/v1/poverty/projects', base);
    let p = assertOk(res, 201);
    assert.deepEqual([p.overdue, p.completed, p.progress, p.acceptance], [true, false, 0, 'pending']);
    p = assertOk(await officer.patch(`/api/v1/poverty/projects/${p.id}`, { progress: 60, version: p.version }));
    assert.equal(p.progress, 60);
    assertError(await officer.patch(`/api/v1/poverty/projects/${p.id}`, { progress: 70, version: p.version - 1 }), 409, 'stale_version');
    assertError(await officer.patch(`/api/v1/poverty/projects/${p.id}`, { area: TOWN, version: p.version }), 400, 'invalid_field', 'area');
    p = assertOk(await officer.patch(`/api/v1/poverty/projects/${p.id}`, { actual_end: shanghaiDate(-1), version: p.version }));
    assert.deepEqual([p.completed, p.overdue, p.progress], [true, false, 100]);
    assertError(await officer.patch(`/api/v1/poverty/projects/${p.id}`, { acceptance: 'passed', version: p.version }), 400, 'required', 'accepted_on');
    p = assertOk(await officer.patch(`/api/v1/poverty/projects/${p.id}`, { acceptance: 'passed', accepted_on: shanghaiDate(0), version: p.version }));
    assert.equal(p.acceptance_zh, '验收合格');
    const rep = assertOk(await officer.get(`/api/v1/poverty/projects/report?area=${V}&before=${shanghaiDate(0)}`));
    assert.deepEqual(rep.items.map((x) => x.id), [p.id]);
    assert.equal(rep.accepted, 1);
    assert.equal(assertOk(await officer.get(`/api/v1/poverty/projects/report?area=${V}&before=${shanghaiDate(-2)}`)).completed, 0);
});

test('funds: allocations within the source and the budget, payments within the allocation', async () => {
    const src = assertOk(await officer.post('/api/v1/poverty/funds/sources', {
        area: V, name: uniq('资金'), level: '县级', year: 2026, amount_fen: 500000,
    }), 201);
    assert.equal(src.unallocated_fen, 500000);
    assertError(await officer.post('/api/v1/poverty/funds/sources', { area: V, name: 'x', level: '火星', year: 2026, amount_fen: 1 }), 400, 'invalid_field', 'level');
    assertError(await officer.post('/api/v1/poverty/funds/sources', { area: V, name: 'x', level: '县级', year: 2026, amount_fen: 0 }), 400, 'invalid_field', 'amount_fen');
    const p1 = assertOk(await officer.post('/api/v1/poverty/projects', { area: V, name: uniq('路'), type: '基础设施', budget_fen: 300000, planned_end: shanghaiDate(30) }), 201);
    const p2 = assertOk(await officer.post('/api/v1/poverty/projects', { area: V, name: uniq('水'), type: '安全饮水', budget_fen: 400000, planned_end: shanghaiDate(30) }), 201);
    const alloc = (project, amount) => officer.post('/api/v1/poverty/funds/allocations', {
        source_id: src.id, project_id: project.id, amount_fen: amount, allocated_on: shanghaiDate(0), note: '文号',
    });
    let e = assertError(await alloc(p1, 300001), 422, 'over_budget', 'amount_fen');
    assert.equal(e.remaining_fen, 300000);
    const a1 = assertOk(await alloc(p1, 300000), 201);
    e = assertError(await alloc(p2, 200001), 422, 'over_allocation', 'amount_fen');
    assert.equal(e.remaining_fen, 200000);
    assert.match(e.message_zh, /2000\.00 元/);
    const a2 = assertOk(await alloc(p2, 200000), 201);
    assertError(await officer.post('/api/v1/poverty/funds/allocations', { source_id: src.id, project_id: p2.id, amount_fen: 1, allocated_on: shanghaiDate(1) }), 422, 'invalid_date', 'allocated_on');
    // a budget below what is allocated is refused
    assertError(await officer.patch(`/api/v1/poverty/projects/${p1.id}`, { budget_fen: 299999, version: (await officer.get(`/api/v1/poverty/projects/${p1.id}`)).json.version }), 422, 'over_budget', 'budget_fen');

    const pay = (a, amount, voucher = uniq('记-')) => officer.post('/api/v1/poverty/funds/disbursements', {
        allocation_id: a.id, voucher_no: voucher, payee: '巩义市某建筑公司', paid_on: shanghaiDate(0), amount_fen: amount, note: '进度款',
    });
    const d1 = assertOk(await pay(a1, 210000), 201);
    assert.equal(d1.allocation.remaining_fen, 90000);
    assert.equal(d1.disbursement.amount_fen, 210000);
    e = assertError(await pay(a1, 90001), 422, 'over_disbursement', 'amount_fen');
    assert.equal(e.remaining_fen, 90000);
    assertError(await pay(a1, 1, d1.disbursement.voucher_no), 409, 'duplicate', 'voucher_no');
    assertError(await pay(a1, 0), 400, 'invalid_field', 'amount_fen');
    assertError(await pay({ id: 999999999 }, 1), 404, 'not_found', 'allocation_id');
    assertOk(await pay(a1, 90000), 201);
    // nothing else moved: the balances add up from the payments
    const b = assertOk(await officer.get(`/api/v1/poverty/funds/balances?area=${V}`));
    const bp = Object.fromEntries(b.projects.map((x) => [x.project_id, x]));
    assert.deepEqual([bp[p1.id].allocated_fen, bp[p1.id].disbursed_fen, bp[p1.id].remaining_fen], [300000, 300000, 0]);
    assert.deepEqual([bp[p2.id].allocated_fen, bp[p2.id].disbursed_fen, bp[p2.id].unfunded_fen], [200000, 0, 200000]);
    const bs = b.sources.find((x) => x.id === src.id);
    assert.deepEqual([bs.allocated_fen, bs.disbursed_fen, bs.unallocated_fen], [500000, 300000, 0]);
    assert.equal(b.total.disbursed_fen, 300000);
    const list = assertOk(await officer.get(`/api/v1/poverty/funds/disbursements?project=${p1.id}`));
    assert.equal(list.total, 2);
    assert.equal(list.items.reduce((n, d) => n + d.amount_fen, 0), 300000);
    const detail = assertOk(await officer.get(`/api/v1/poverty/projects/${p1.id}`));
    assert.equal(detail.allocations.length, 1);
    assert.equal(detail.disbursements.length, 2);
    assert.ok(a2.id > a1.id);
});

test('concurrent payments never overdraw an allocation', async () => {
    const src = assertOk(await officer.post('/api/v1/poverty/funds/sources', { area: V, name: uniq('并发资金'), level: '省级', year: 2026, amount_fen: 1000000 }), 201);
    const p = assertOk(await officer.post('/api/v1/poverty/projects', { area: V, name: uniq('并发'), type: '产业扶贫', budget_fen: 1000000, planned_end: shanghaiDate(60) }), 201);
    const a = assertOk(await officer.post('/api/v1/poverty/funds/allocations', { source_id: src.id, project_id: p.id, amount_fen: 50000, allocated_on: shanghaiDate(0) }), 201);
    const clients = await Promise.all([0, 1, 2, 3].map(() => login('poverty')));
    const tries = Array.from({ length: 24 }, (_, k) => clients[k % 4].post('/api/v1/poverty/funds/disbursements', {
        allocation_id: a.id, voucher_no: uniq('并-'), payee: '收款人', paid_on: shanghaiDate(0), amount_fen: 10000,
    }));
    const res = await Promise.all(tries);
    const ok = res.filter((r) => r.status === 201).length;
    const refused = res.filter((r) => r.status === 422 && r.json.error.code === 'over_disbursement').length;
    const busy = res.filter((r) => r.status === 503).length;
    assert.equal(ok, 5, `exactly five payments of 100 yuan fit 500 yuan (busy ${busy})`);
    assert.equal(ok + refused + busy, 24);
    const after = assertOk(await officer.get(`/api/v1/poverty/funds/allocations?project=${p.id}`)).items[0];
    assert.deepEqual([after.disbursed_fen, after.remaining_fen], [50000, 0]);
    const list = assertOk(await officer.get(`/api/v1/poverty/funds/disbursements?project=${p.id}`));
    assert.equal(list.total, 5);
});

test('雨露计划: eligible households only, one application per school year, paid per semester', async () => {
    const reg = await createHousehold(officer, { area: V, tags: [REGISTERED], persons: [
        { name: '雷甲', citizen_id: cid('1975-03-03', 1), relation: '户主' },
        { name: '雷小乙', citizen_id: cid('2008-09-09', 2), relation: '女' },
        { name: '雷小丙', citizen_id: cid('2009-10-10', 1), relation: '子' },
    ] });
    const plain = await createHousehold(officer, { area: V, effective_date: shanghaiDate(-30), persons: [
        { name: '万甲', citizen_id: cid('1976-04-04', 1), relation: '户主' },
        { name: '万小乙', citizen_id: cid('2008-05-05', 1), relation: '子' },
    ] });
    const student = reg.persons[1], other = plain.persons[1];
    const el = assertOk(await officer.get(`/api/v1/poverty/yulu/eligibility?person_id=${student.id}`));
    assert.deepEqual([el.eligible, el.basis], [true, REGISTERED]);
    const no = assertOk(await officer.get(`/api/v1/poverty/yulu/eligibility?person_id=${other.id}`));
    assert.equal(no.eligible, false);
    assert.match(no.reason_zh, /万小乙/);
    const body = (p, over = {}) => ({ person_id: p.id, school_year: '2026-2027', school: '巩义市中等专业学校', major: '数控技术', level: 'secondary', full_time: true, ...over });
    let e = assertError(await officer.post('/api/v1/poverty/yulu', body(other)), 422, 'not_eligible', 'person_id');
    assert.match(e.message_zh, /不属于雨露计划补助对象/);
    assertError(await officer.post('/api/v1/poverty/yulu', body(student, { full_time: false })), 422, 'not_eligible', 'full_time');
    assertError(await officer.post('/api/v1/poverty/yulu', body(student, { level: 'university' })), 400, 'invalid_field', 'level');
    assertError(await officer.post('/api/v1/poverty/yulu', body(student, { school_year: '2026-2028' })), 400, 'invalid_field', 'school_year');
    const res = await officer.post('/api/v1/poverty/yulu', body(student));
    let y = assertOk(res, 201);
    assert.deepEqual([y.annual_fen, y.paid_fen, y.eligibility, y.level_zh], [300000, 0, REGISTERED, '中职']);
    e = assertError(await officer.post('/api/v1/poverty/yulu', body(student, { school: '另一所学校' })), 409, 'duplicate', 'school_year');
    assert.equal(e.existing_id, y.id);
    y = assertOk(await officer.post(`/api/v1/poverty/yulu/${y.id}/payments`, { semester: 1, paid_on: shanghaiDate(0), voucher_no: 'YL-1' }), 201);
    assert.deepEqual([y.paid_fen, y.payments[0].amount_fen], [150000, 150000]);
    assertError(await officer.post(`/api/v1/poverty/yulu/${y.id}/payments`, { semester: 1, paid_on: shanghaiDate(0) }), 409, 'duplicate', 'semester');
    assertError(await officer.post(`/api/v1/poverty/yulu/${y.id}/payments`, { semester: 3, paid_on: shanghaiDate(0) }), 400, 'invalid_field', 'semester');
    y = assertOk(await officer.post(`/api/v1/poverty/yulu/${y.id}/payments`, { semester: 2, paid_on: shanghaiDate(0) }), 201);
    assert.deepEqual([y.paid_fen, y.due_fen], [300000, 0]);
    // the household shows its subsidies; the next school year is a new application
    assert.equal((await household(officer, reg.id)).subsidies[0].id, y.id);
    assertOk(await officer.post('/api/v1/poverty/yulu', body(student, { school_year: '2027-2028', level: 'higher' })), 201);
    // a monitored household is eligible (poverty.yulu_eligible_statuses), checked from the registry
    await step(officer, plain.id, 'monitored', 'marginal', 1);
    const ok = assertOk(await officer.post('/api/v1/poverty/yulu', body(other)), 201);
    assert.equal(ok.eligibility, '监测户(边缘易致贫户)');
    const list = assertOk(await officer.get(`/api/v1/poverty/yulu?area=${V}&school_year=2026-2027`));
    assert.equal(list.total, 2);
    assert.equal(list.annual_fen, 600000);
    assert.equal(list.paid_fen, 300000);
});

test('the subsidy is configuration: a new amount applies to new applications', async () => {
    const cfg = assertOk(await admin.get('/api/v1/config')).items.find((x) => x.key === 'poverty.yulu_annual_fen');
    assert.equal(cfg.default, 300000);
    const set = await admin.put('/api/v1/config/poverty.yulu_annual_fen', { value: 350000, version: cfg.version });
    assertOk(set);
    try {
        const h = await createHousehold(officer, { area: V, tags: [REGISTERED], persons: [
            { name: '桑甲', citizen_id: cid('1974-02-02', 1), relation: '户主' },
            { name: '桑小乙', citizen_id: cid('2007-07-07', 2), relation: '女' },
        ] });
        const y = assertOk(await officer.post('/api/v1/poverty/yulu', {
            person_id: h.persons[1].id, school_year: '2026-2027', school: '郑州职业技术学院', level: 'higher', full_time: true,
        }), 201);
        assert.equal(y.annual_fen, 350000);
        const paid = assertOk(await officer.post(`/api/v1/poverty/yulu/${y.id}/payments`, { semester: 1, paid_on: shanghaiDate(0) }), 201);
        assert.equal(paid.paid_fen, 175000);
    } finally {
        const now = assertOk(await admin.get('/api/v1/config')).items.find((x) => x.key === 'poverty.yulu_annual_fen');
        assertOk(await admin.put('/api/v1/config/poverty.yulu_annual_fen', { value: 300000, version: now.version }));
    }
});
