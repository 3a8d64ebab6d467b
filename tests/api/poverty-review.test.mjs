// 回头看 review campaigns: the demo's finished campaign and its sentence, then a small campaign run
// end to end — a frozen household set, check records, one finding of each type moved through
// draft → submitted → approved → applied, the sentence generated from the records — and the
// refusals: applying a rejected change, approving one's own, a change during its 公示, findings
// that no longer fit the registry (nothing changes), a closed campaign.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, assertError, assertOk, shanghaiDate } from './lib.mjs';
import {
    REGISTERED, idMaker, family, freshVillage, createHousehold, household, stepWithNotice, step,
    move, approveAndApply,
} from './poverty-lib.mjs';

const cid = idMaker('410184'); // 新密市: no other file makes these
const SOURCE = '对13个行政村进行排查,对1312户十类重点户和77户建档立卡贫困户重点关注。共排查新识别1户4人、人口自然减少8人、漏登4人、错评1户4人、标注稳定脱贫错误需回退1户2人,以上问题均已整改并系统录入、标识到位。';

let admin, officer, leader;
let V, A, B, C, D, E, review;

test('setup: a village with two 建档立卡 and three 十类重点户 households', async () => {
    [admin, officer, leader] = await Promise.all(['admin', 'poverty', 'leader'].map((u) => login(u)));
    V = await freshVillage(admin, '回头看测试村');
    const mk = (tags, n, s) => createHousehold(officer, {
        area: V, tags, effective_date: shanghaiDate(-60), persons: family(cid, n, s),
    });
    [A, B, C, D, E] = await Promise.all([
        mk([REGISTERED], 2, '岳'), mk([REGISTERED], 3, '桂'), mk(['低保户'], 6, '柴'), mk(['残疾人户'], 1, '牛'),
        mk(['大病户', '危房户'], 2, '童'),
    ]);
    for (const h of [A, B]) {
        await stepWithNotice(officer, h.id, 'poor', 'general', 50, 42);
        await stepWithNotice(officer, h.id, 'exited', '', 30, 22);
    }
    await step(officer, A.id, 'stable', '', 5, '标注稳定脱贫');
});

test('the demo campaign: its summary reads exactly as the source', async () => {
    const list = assertOk(await officer.get('/api/v1/poverty/reviews?area=410181110000'));
    const demo = list.items.find((r) => r.name === '2020年脱贫攻坚“回头看”排查');
    assert.ok(demo, 'the finished 2020 campaign is listed');
    assert.equal(demo.state, 'closed');
    assert.equal(demo.households, 1389);
    assert.equal(demo.checked, 1389);
    const s = assertOk(await officer.get(`/api/v1/poverty/reviews/${demo.id}/summary`));
    assert.equal(s.text, SOURCE);
    assert.equal(s.villages, 13);
    assert.equal(s.villages_checked, 13);
    assert.deepEqual([s.focus.key, s.focus.registered], [1312, 77]);
    const t = Object.fromEntries(s.by_type.map((x) => [x.type, [x.households, x.persons, x.applied === x.findings]]));
    assert.deepEqual(t.new, [1, 4, true]);
    assert.equal(t.decrease[1], 8);
    assert.equal(t.missed[1], 4);
    assert.deepEqual(t.wrong_assess, [1, 4, true]);
    assert.deepEqual(t.wrong_exit, [1, 2, true]);
    assert.equal(s.all_applied, true);
    // the same counts from the change requests themselves
    const changes = assertOk(await officer.get(`/api/v1/poverty/changes?review=${demo.id}&state=applied&per_page=100`));
    const persons = (type) => changes.items.filter((c) => c.type === type).reduce((n, c) => n + c.persons, 0);
    assert.deepEqual(['new', 'decrease', 'missed', 'wrong_assess', 'wrong_exit'].map(persons), [4, 8, 4, 4, 2]);
    assert.ok(changes.items.every((c) => c.marks.rectified && c.marks.entered && c.marks.flagged));
    // leaders of other streets do not see it
    assertError(await leader.get(`/api/v1/poverty/reviews/${demo.id}/summary`), 403, 'area_forbidden');
});

test('a campaign freezes its household set and gives each one a check record', async () => {
    assertError(await officer.post('/api/v1/poverty/reviews', {
        name: '坏', area: V, start_date: shanghaiDate(0), end_date: shanghaiDate(5), focus: [],
    }), 400, 'required', 'focus');
    assertError(await officer.post('/api/v1/poverty/reviews', {
        name: '坏', area: V, start_date: shanghaiDate(0), end_date: shanghaiDate(5), focus: ['everyone'],
    }), 400, 'invalid_field', 'focus');
    assertError(await officer.post('/api/v1/poverty/reviews', {
        name: '坏', area: V, start_date: shanghaiDate(5), end_date: shanghaiDate(0), focus: ['key'],
    }), 400, 'invalid_field', 'end_date');
    assertError(await officer.post('/api/v1/poverty/reviews', {
        name: '坏', area: V, start_date: shanghaiDate(0), end_date: shanghaiDate(5), focus: ['key'], checkers: [leader.me.id],
    }), 422, 'unknown_user', 'checkers');
    const res = await officer.post('/api/v1/poverty/reviews', {
        name: '回头看测试', area: V, start_date: shanghaiDate(-1), end_date: shanghaiDate(30),
        focus: ['key', 'registered'], checkers: [officer.me.id],
    });
    review = assertOk(res, 201);
    assert.match(res.headers.get('location'), /^\/api\/v1\/poverty\/reviews\/\d+$/);
    assert.deepEqual(review.villages.map((v) => v.area), [V]);
    assert.deepEqual([review.households, review.checked, review.findings], [5, 0, 0]);
    assert.equal(review.checkers[0].id, officer.me.id);
    assert.deepEqual(review.progress, [{ area: V, name: review.progress[0].name, households: 5, checked: 0, findings: 0 }]);
    // a household registered later is not in the set
    await createHousehold(officer, { area: V, tags: ['低保户'], persons: family(cid, 1, '后') });
    const checks = assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}/checks`));
    assert.equal(checks.total, 5);
    const byId = Object.fromEntries(checks.items.map((k) => [k.household_id, k]));
    assert.equal(byId[A.id].is_registered, true);
    assert.equal(byId[C.id].is_key, true);
    assert.equal(byId[C.id].checked, false);
    const s = assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}/summary`));
    assert.equal(s.text, '对1个行政村进行排查,对3户十类重点户和2户建档立卡贫困户重点关注。未排查出问题。');
});

test('check records: visited ok, with the version; stale refused', async () => {
    const k = assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}/checks?checked=0`)).items.find((x) => x.household_id === E.id);
    const r = assertOk(await officer.post(`/api/v1/poverty/reviews/${review.id}/checks/${E.id}`, {
        result: 'ok', note: '入户核实,信息准确', version: k.version,
    }));
    assert.equal(r.checked, true);
    assertError(await officer.post(`/api/v1/poverty/reviews/${review.id}/checks/${E.id}`, {
        result: 'ok', version: k.version,
    }), 409, 'stale_version');
    assertError(await officer.post(`/api/v1/poverty/reviews/${review.id}/checks/999999999`, {
        result: 'ok', version: 1,
    }), 404, 'not_found');
    assertError(await officer.post(`/api/v1/poverty/reviews/${review.id}/checks/${E.id}`, {
        result: 'perfect', version: r.version,
    }), 400, 'invalid_field', 'result');
    const left = assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}/checks?checked=0`));
    assert.equal(left.total, 4);
});

const findings = {};

test('findings of each type are recorded as drafts and counted; zero types are left out', async () => {
    const mother = (await household(officer, C.id)).persons.find((p) => p.relation === '母亲');
    let res = await officer.post('/api/v1/poverty/changes', {
        review_id: review.id, household_id: C.id, type: 'decrease',
        payload: { persons: [{ person_id: mother.id, reason: 'deceased', date: shanghaiDate(-3) }] },
        evidence: '死亡证明', description: '母亲病故',
    });
    findings.decrease = assertOk(res, 201);
    assert.equal(findings.decrease.state, 'draft');
    assert.deepEqual([findings.decrease.households, findings.decrease.persons], [1, 1]);
    assert.deepEqual(findings.decrease.actions.map((a) => a.action).sort(), ['cancel', 'submit']);
    let s = assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}/summary`));
    assert.equal(s.text, '对1个行政村进行排查,对3户十类重点户和2户建档立卡贫困户重点关注。共排查人口自然减少1人。');
    // recording a finding marks its household checked
    const k = assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}/checks`)).items.find((x) => x.household_id === C.id);
    assert.deepEqual([k.checked, k.result, k.findings], [true, 'finding', 1]);

    findings.missed = assertOk(await officer.post('/api/v1/poverty/changes', {
        review_id: review.id, household_id: D.id, type: 'missed',
        payload: { persons: [{ name: '牛小乙', citizen_id: cid('2001-06-01', 1), relation: '子' }] },
        description: '儿子未登记',
    }), 201);
    findings.wrong_assess = assertOk(await officer.post('/api/v1/poverty/changes', {
        review_id: review.id, household_id: B.id, type: 'wrong_assess', payload: {}, description: '识别时收入超标',
    }), 201);
    assert.equal(findings.wrong_assess.persons, 3, 'the members of the household');
    findings.wrong_exit = assertOk(await officer.post('/api/v1/poverty/changes', {
        review_id: review.id, household_id: A.id, type: 'wrong_exit', payload: {}, description: '不符合稳定脱贫条件',
    }), 201);
    assert.deepEqual([findings.wrong_exit.payload.status, findings.wrong_exit.payload.from_status], ['exited', 'stable'],
        'by default back to where it stood before the mark');
    findings.new = assertOk(await officer.post('/api/v1/poverty/changes', {
        review_id: review.id, type: 'new',
        payload: {
            household: { area: V, address: '回头看测试村五组', tags: [REGISTERED] },
            persons: family(cid, 2, '宫'), status: 'poor', kind: 'general',
        },
        description: '因灾致贫,新识别',
    }), 201);
    assert.deepEqual([findings.new.households, findings.new.persons, findings.new.household_id], [1, 2, null]);
    s = assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}/summary`));
    assert.equal(s.text, '对1个行政村进行排查,对3户十类重点户和2户建档立卡贫困户重点关注。共排查新识别1户2人、人口自然减少1人、漏登1人、错评1户3人、标注稳定脱贫错误需回退1户2人。');
    assert.equal(s.all_applied, false);
    const list = assertOk(await officer.get(`/api/v1/poverty/changes?review=${review.id}&type=missed`));
    assert.deepEqual(list.items.map((c) => c.id), [findings.missed.id]);
});

test('bad findings are refused naming the field, and record nothing', async () => {
    const before = assertOk(await officer.get(`/api/v1/poverty/changes?review=${review.id}`)).total;
    const other = (await household(officer, E.id)).persons[0];
    const cases = [
        [{ household_id: C.id, type: 'decrease', payload: { persons: [{ person_id: other.id, reason: 'deceased', date: shanghaiDate(-1) }] } }, 422, 'not_a_member', 'payload.persons[0].person_id'],
        [{ household_id: C.id, type: 'decrease', payload: { persons: [{ person_id: other.id, reason: 'vanished', date: shanghaiDate(-1) }] } }, 400, 'invalid_field', 'payload.persons[0].reason'],
        [{ household_id: C.id, type: 'decrease', payload: { persons: [{ person_id: other.id, reason: 'deceased', date: shanghaiDate(2) }] } }, 422, 'invalid_date', 'payload.persons[0].date'],
        [{ household_id: D.id, type: 'missed', payload: { persons: [{ name: '重', citizen_id: other.citizen_id, relation: '子' }] } }, 409, 'duplicate', 'payload.persons[0].citizen_id'],
        [{ household_id: D.id, type: 'missed', payload: { persons: [{ name: '坏', citizen_id: '410184200001010000', relation: '子' }] } }, 400, 'invalid_field', 'payload.persons[0].citizen_id'],
        [{ type: 'new', payload: { household: { area: V }, persons: [{ name: '无户主', citizen_id: cid('1990-01-01', 1), relation: '子' }], status: 'poor', kind: 'general' } }, 422, 'head_required', 'payload.persons'],
        [{ type: 'new', household_id: A.id, payload: {} }, 400, 'invalid_field', 'household_id'],
        [{ household_id: C.id, type: 'wrong_exit', payload: {} }, 409, 'invalid_transition', 'household_id'],
        [{ household_id: D.id, type: 'wrong_assess', payload: {} }, 409, 'invalid_transition', 'household_id'],
        [{ household_id: A.id, type: 'wrong_exit', payload: { status: 'stable' } }, 400, 'invalid_field', 'payload.status'],
        [{ household_id: A.id, type: 'wrong_exit', payload: { colour: 'red' } }, 400, 'unknown_field', 'payload.colour'],
        [{ household_id: A.id, type: 'mistake', payload: {} }, 400, 'invalid_field', 'type'],
        [{ type: 'decrease', payload: {} }, 400, 'required', 'household_id'],
        [{ household_id: 999999999, type: 'wrong_exit', payload: {} }, 404, 'not_found', 'household_id'],
    ];
    for (const [body, status, code, field] of cases)
        assertError(await officer.post('/api/v1/poverty/changes', { review_id: review.id, ...body }), status, code, field);
    assertError(await leader.post('/api/v1/poverty/changes', { household_id: A.id, type: 'wrong_exit', payload: {} }), 403, 'forbidden');
    assert.equal(assertOk(await officer.get(`/api/v1/poverty/changes?review=${review.id}`)).total, before);
});

test('the workflow: submit, approve by someone else, apply; refusals change nothing', async () => {
    const d = findings.decrease;
    assertError(await move(officer, d.id, 'apply'), 409, 'invalid_transition', 'action');
    assertError(await move(officer, d.id, 'approve'), 409, 'invalid_transition');
    const sub = assertOk(await move(officer, d.id, 'submit'));
    assert.equal(sub.state, 'submitted');
    assertError(await move(officer, d.id, 'approve'), 403, 'forbidden', 'action');
    assertError(await officer.patch(`/api/v1/poverty/changes/${d.id}`, { evidence: 'x', version: sub.version }), 409, 'closed');
    assertError(await officer.post(`/api/v1/poverty/changes/${d.id}/transitions`, { action: 'submit', version: sub.version - 1 }), 409, 'stale_version');
    assertError(await move(admin, d.id, 'reject'), 400, 'required', 'reason');
    // an administrator who submitted may not approve the same change
    assertError(await admin.post('/api/v1/poverty/changes', {
        review_id: review.id, household_id: E.id, type: 'wrong_assess', payload: {},
    }), 409, 'invalid_transition', 'household_id'); // E is not poor: nothing to correct
    const h = await createHousehold(officer, { area: V, effective_date: shanghaiDate(-20), persons: family(cid, 1, '薄') });
    await step(officer, h.id, 'monitored', 'sudden', 10);
    const adminChange = assertOk(await admin.post('/api/v1/poverty/changes', { household_id: h.id, type: 'wrong_assess', payload: {} }), 201);
    assertOk(await move(admin, adminChange.id, 'submit'));
    const e = assertError(await move(admin, adminChange.id, 'approve'), 403, 'self_approval', 'action');
    assert.match(e.message_zh, /提交人以外/);
    // rejected with a reason, and a rejected change is never applied
    const rej = assertOk(await move(admin, adminChange.id, 'reject', { reason: '经复核,监测认定正确' }));
    assert.equal(rej.state, 'rejected');
    assert.equal(rej.reject_reason, '经复核,监测认定正确');
    const ae = assertError(await move(officer, adminChange.id, 'apply'), 409, 'invalid_transition', 'action');
    assert.deepEqual(ae.allowed, []);
    assert.equal((await household(officer, h.id)).status, 'monitored', 'the registry did not change');
});

test('apply: a finding that no longer fits the registry is refused whole', async () => {
    const m = findings.missed;
    assertOk(await move(officer, m.id, 'submit'));
    assertOk(await move(admin, m.id, 'approve'));
    // meanwhile the same person was registered in household E
    const e = await household(officer, E.id);
    const p = m.payload.persons[0];
    assertOk(await officer.post(`/api/v1/poverty/households/${E.id}/persons`, { name: p.name, citizen_id: p.citizen_id, relation: '子', version: e.version }), 201);
    assertError(await move(officer, m.id, 'apply'), 409, 'duplicate', 'payload.persons[0].citizen_id');
    const still = assertOk(await officer.get(`/api/v1/poverty/changes/${m.id}`));
    assert.equal(still.state, 'approved');
    assert.equal((await household(officer, D.id)).members, 1, 'nothing was added');
    // the person goes back out of E (a change of its own), then the finding applies
    const wrong = (await household(officer, E.id)).persons.find((x) => x.citizen_id === p.citizen_id);
    const out = assertOk(await officer.post('/api/v1/poverty/changes', {
        household_id: E.id, type: 'decrease', payload: { persons: [{ person_id: wrong.id, reason: 'moved_out', date: shanghaiDate(0) }] },
        description: '误登入该户',
    }), 201);
    await approveAndApply(officer, admin, out.id);
    const applied = assertOk(await move(officer, m.id, 'apply'));
    assert.equal(applied.state, 'applied');
    assert.deepEqual(applied.marks, { rectified: true, entered: true, flagged: true });
    const dd = await household(officer, D.id);
    assert.equal(dd.members, 2);
    assert.equal(dd.persons.find((x) => x.citizen_id === p.citizen_id).relation, '子',
        'the person who left every household joins this one (the same record)');
});

test('a 新识别 waits for its 公示: refused during it with the date, applied after it', async () => {
    const n = findings.new;
    assertOk(await move(officer, n.id, 'submit'));
    assertOk(await move(admin, n.id, 'approve'));
    assertError(await move(officer, n.id, 'apply'), 422, 'notice_required', 'status');
    // a notice posted today: the change may proceed a week later
    const tmp = assertOk(await officer.post('/api/v1/poverty/changes', {
        type: 'new', payload: { household: { area: V }, persons: family(cid, 1, '暂'), status: 'poor', kind: 'wubao' },
    }), 201);
    assertOk(await officer.post('/api/v1/poverty/notices', { change_id: tmp.id, target_status: 'poor', start_date: shanghaiDate(0) }), 201);
    assertOk(await move(officer, tmp.id, 'submit'));
    assertOk(await move(admin, tmp.id, 'approve'));
    const e = assertError(await move(officer, tmp.id, 'apply'), 409, 'notice_running', 'effective_date');
    assert.equal(e.may_proceed_on, shanghaiDate(7));
    assertOk(await move(admin, tmp.id, 'reject', { reason: '公示未满,下次办理' }));
    // the campaign's own: its notice was posted nine days ago
    const notice = assertOk(await officer.post('/api/v1/poverty/notices', {
        change_id: n.id, target_status: 'poor', target_kind: 'general', start_date: shanghaiDate(-9), place: '村务公开栏',
    }), 201);
    assert.equal(notice.state, 'ended');
    const applied = assertOk(await move(officer, n.id, 'apply'));
    assert.ok(applied.household_id, 'the new household is named');
    assert.equal(applied.items.filter((i) => i.what === 'added').length, 2);
    const h = await household(officer, applied.household_id);
    assert.deepEqual([h.status, h.kind, h.members, h.tags], ['poor', 'general', 2, [REGISTERED]]);
    assert.equal(h.status_history[0].change_id, n.id);
    assert.equal(h.status_history[0].notice_id, notice.id);
    assert.equal(h.notices[0].state, 'used');
});

test('applied corrections: the registry changes, history is appended, a rollback is a new change', async () => {
    assertOk(await move(admin, findings.decrease.id, 'approve')); // submitted above
    assertOk(await move(officer, findings.decrease.id, 'apply'));
    const c = await household(officer, C.id);
    assert.equal(c.members, 5);
    const gone = c.membership_history.find((m) => m.reason_out === '死亡');
    assert.equal(gone.to, shanghaiDate(-3));
    const dead = assertOk(await officer.get(`/api/v1/poverty/persons/${gone.person_id}`));
    assert.deepEqual([dead.state, dead.household_id, dead.left_on], ['deceased', null, shanghaiDate(-3)]);

    await approveAndApply(officer, admin, findings.wrong_assess.id);
    const b = await household(officer, B.id);
    assert.equal(b.status, 'none');
    assert.deepEqual(b.tags, [], 'a wrongly assessed household was never 建档立卡');
    assert.equal(b.status_history.at(-1).change_id, findings.wrong_assess.id);

    const before = await household(officer, A.id);
    await approveAndApply(officer, admin, findings.wrong_exit.id);
    const a = await household(officer, A.id);
    assert.equal(a.status, 'exited');
    assert.deepEqual(a.status_history.map((r) => r.status), ['none', 'poor', 'exited', 'stable', 'exited']);
    assert.deepEqual(a.status_history.slice(0, 4), before.status_history, 'the earlier rows are untouched');
    assert.equal(a.status_history.at(-1).prev_status, 'stable');
    assert.ok(a.findings.some((f) => f.id === findings.wrong_exit.id));
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=pv_household&id=${A.id}`));
    const corr = audit.items.find((x) => x.action === 'correct');
    assert.equal(corr.before.status, 'stable');
    assert.equal(corr.after.status, 'exited');
    assert.match(corr.reason, /标注稳定脱贫错误需回退/);
    // stats of yesterday still show the old world, today's the corrected one
    const at = async (d) => assertOk(await officer.get(`/api/v1/poverty/stats?area=${V}&as_of=${shanghaiDate(d)}`)).villages[0];
    const y = await at(-1), t = await at(0);
    assert.deepEqual([y.households.stable, y.households.exited, y.households.poor], [1, 1, 0]);
    assert.deepEqual([t.households.stable, t.households.exited, t.households.poor], [0, 1, 1]);
});

test('with every finding applied the sentence gains its last clause; a closed campaign takes no more', async () => {
    const s = assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}/summary`));
    assert.equal(s.text, '对1个行政村进行排查,对3户十类重点户和2户建档立卡贫困户重点关注。共排查新识别1户2人、人口自然减少1人、漏登1人、错评1户3人、标注稳定脱贫错误需回退1户2人,以上问题均已整改并系统录入、标识到位。');
    assert.equal(s.all_applied, true);
    assert.deepEqual(s.progress[0].findings, 5);
    const r = assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}`));
    const closed = assertOk(await officer.patch(`/api/v1/poverty/reviews/${review.id}`, { close: true, version: r.version }));
    assert.equal(closed.state, 'closed');
    assert.ok(closed.closed_at);
    assertError(await officer.patch(`/api/v1/poverty/reviews/${review.id}`, { note: 'x', version: closed.version }), 409, 'closed');
    const all = assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}/checks`));
    assert.equal(all.items.filter((x) => x.checked).length, 5, 'every household was visited');
    const k = all.items[0];
    assertError(await officer.post(`/api/v1/poverty/reviews/${review.id}/checks/${k.household_id}`, { result: 'ok', version: k.version }), 409, 'closed');
    assertError(await officer.post('/api/v1/poverty/changes', { review_id: review.id, household_id: E.id, type: 'missed', payload: { persons: family(cid, 1, '迟') } }), 409, 'closed', 'review_id');
    // and its sentence stays as it was
    assert.equal(assertOk(await officer.get(`/api/v1/poverty/reviews/${review.id}/summary`)).text, s.text);
});
