// The work around the registry: incubation plans and the board, instructors stationed at units
// with a goal, demonstration points one per category, visits and advice, the 三向服务清单 with a
// need matched to an offer and tracked to done, and joint meetings with attendance and decisions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, assertError, assertOk, createUser, shanghaiDate, PW } from './lib.mjs';
import { freshTownship, unitBody, addDays } from './party_lib.mjs';

let admin, boss, ins, other, grid, town, u1, u2, u3;
const today = shanghaiDate(0);

test('setup', async () => {
    admin = await login('admin');
    grid = await login('grid');
    town = await freshTownship(admin, '孵化测试街道');
    const b = await createUser(admin, { roles: ['leader'], areas: [town.street], name: '孵化书记' });
    boss = await login(b.username, PW);
    const i = await createUser(admin, { roles: ['party_instructor'], areas: [town.street], name: '蹲点指导员' });
    ins = await login(i.username, PW);
    ins.id = i.id;
    const o = await createUser(admin, { roles: ['party_instructor'], areas: [town.street], name: '另一位指导员' });
    other = await login(o.username, PW);
    other.id = o.id;
    u1 = assertOk(await boss.post('/api/v1/party/units', unitBody(town.communities[0], { category: '创客' })), 201);
    u2 = assertOk(await boss.post('/api/v1/party/units', unitBody(town.communities[0], { category: '创客' })), 201);
    u3 = assertOk(await boss.post('/api/v1/party/units', unitBody(town.communities[1], { category: '民办教育' })), 201);
});

test('stations: leaders station an instructor of the area with a goal; instructors then work there', async () => {
    const body = { unit_id: u1.id, instructor_id: ins.id, goal: '科技报国', since: today };
    assertError(await ins.post('/api/v1/party/stations', body), 403, 'forbidden');
    assertError(await boss.post('/api/v1/party/stations', { ...body, instructor_id: boss.me.id }), 422, 'not_instructor', 'instructor_id');
    const wen = await login('instructor'); // granted 文化路街道 only
    assertError(await boss.post('/api/v1/party/stations', { ...body, instructor_id: wen.me.id }), 422, 'instructor_out_of_area', 'instructor_id');
    assertError(await boss.post('/api/v1/party/stations', { ...body, since: addDays(today, 1) }), 400, 'invalid_field', 'since');
    const s = assertOk(await boss.post('/api/v1/party/stations', body), 201);
    assert.equal(s.goal, '科技报国');
    assert.equal(s.current, true);
    assert.equal(s.visits, 0);
    assertError(await boss.post('/api/v1/party/stations', body), 409, 'duplicate');
    // visits: the stationed instructor may log; another may not
    const visit = { unit_id: u1.id, date: today, kind: 'visit', summary: '座谈党员情况', advice: '建立党员活动室', outcome: '已挂牌' };
    assertError(await other.post('/api/v1/party/visits', visit), 403, 'not_your_unit');
    assertError(await ins.post('/api/v1/party/visits', { ...visit, date: addDays(today, 1) }), 400, 'invalid_field', 'date');
    assertError(await ins.post('/api/v1/party/visits', { ...visit, kind: 'party' }), 400, 'invalid_field', 'kind');
    const v = assertOk(await ins.post('/api/v1/party/visits', visit), 201);
    assert.equal(v.instructor.id, ins.id);
    assert.equal(v.outcome, '已挂牌');
    const mine = assertOk(await ins.get('/api/v1/party/stations?instructor=me'));
    assert.equal(mine.items[0].visits, 1);
    assert.equal(mine.items[0].last_visit, today);
    // the station ends; a stale version changes nothing
    const ended = assertOk(await boss.patch(`/api/v1/party/stations/${s.id}`, { until: today, version: s.version }));
    assert.equal(ended.current, false);
    assertError(await boss.patch(`/api/v1/party/stations/${s.id}`, { goal: 'x', version: s.version }), 409, 'stale_version');
    assertError(await grid.get('/api/v1/party/stations'), 403, 'forbidden');
});

test('one demonstration point per category: choosing another unit replaces it', async () => {
    const set = (unit, category = '创客') => boss.post('/api/v1/party/demo-points', { category, unit_id: unit.id, chosen_on: today, note: '示范' });
    assertError(await set(u3), 422, 'category_mismatch', 'unit_id');
    assertError(await set(u1, '不存在的类别'), 400, 'invalid_field', 'category');
    const p1 = assertOk(await set(u1));
    assert.equal(p1.unit.id, u1.id);
    assert.equal(p1.township, town.street);
    const p2 = assertOk(await set(u2));
    assert.equal(p2.id, p1.id, 'the same point, now another unit');
    assert.equal(p2.unit.id, u2.id);
    const all = assertOk(await boss.get(`/api/v1/party/demo-points?area=${town.street}`)).items;
    assert.equal(all.filter((p) => p.category === '创客').length, 1);
    const hist = assertOk(await admin.get(`/api/v1/audit?entity=party_demo_point&id=${p1.id}`)).items;
    assert.deepEqual(hist.map((h) => h.action), ['update', 'create']);
    assert.equal(hist[0].before.unit_id, u1.id);
    assertError(await ins.post('/api/v1/party/demo-points', { category: '创客', unit_id: u1.id, chosen_on: today }), 403, 'forbidden');
});

test('incubation: a plan per unit, on the board with members now against the three needed', async () => {
    const url = `/api/v1/party/units/${u3.id}/incubation`;
    // the instructor holds no plan and is not stationed here
    assertError(await ins.put(url, { version: 0, path: 'hire' }), 403, 'not_your_unit');
    assertError(await boss.put(url, { version: 0, path: 'grow' }), 400, 'invalid_field', 'path');
    assertError(await boss.put(url, { version: 0 }), 400, 'required', 'path');
    assertError(await boss.put(url, { version: 0, path: 'hire', instructor_id: boss.me.id }), 422, 'not_instructor', 'instructor_id');
    const made = assertOk(await boss.put(url, { version: 0, path: 'hire', instructor_id: ins.id, next_step: '招聘党员教师', target_date: addDays(today, 90), note: '建立孵化台账' }));
    assert.equal(made.incubation.path, 'hire');
    assert.equal(made.incubation.path_zh, '招聘优先');
    assert.equal(made.incubation.instructor.id, ins.id);
    assertError(await boss.put(url, { version: 0, path: 'train' }), 409, 'stale_version');
    // the plan's instructor carries it on
    const upd = assertOk(await ins.put(url, { version: made.incubation.version, next_step: '面试党员教师1名', note: '已面试' }));
    assert.equal(upd.incubation.next_step, '面试党员教师1名');
    assert.equal(upd.incubation.path, 'hire');
    const hist = assertOk(await admin.get(`/api/v1/audit?entity=party_incubation&id=${u3.id}`)).items;
    assert.deepEqual(hist.map((h) => [h.action, h.reason]), [['update', '已面试'], ['create', '建立孵化台账']]);
    const board = assertOk(await boss.get(`/api/v1/party/incubation?area=${town.street}&per_page=200`));
    const row = board.items.find((i) => i.id === u3.id);
    assert.equal(row.needed, 3);
    assert.equal(row.members.formal, 0);
    assert.equal(row.ready, false);
    assert.equal(row.incubation.next_step, '面试党员教师1名');
    // a unit with its own organization leaves the board, and needs no plan
    const org = assertOk(await boss.post('/api/v1/party/orgs', { area: town.communities[1], name: '新建支部', kind: 'branch', setting: 'single', status: 'established', established_on: today, unit_ids: [u3.id] }), 201);
    assert.equal(org.status, 'established');
    const after = assertOk(await boss.get(`/api/v1/party/incubation?area=${town.street}&per_page=200`));
    assert.ok(!after.items.some((i) => i.id === u3.id));
    assertError(await boss.put(url, { version: upd.incubation.version, next_step: 'x' }), 409, 'has_own_org');
});

test('三向服务清单: a need matched to an offer, tracked to done', async () => {
    const svc = (body) => ins.post('/api/v1/party/services', { area: town.communities[0], ...body });
    assertError(await svc({ list: 'enterprise', title: '没写企业' }), 400, 'required', 'unit_id');
    assertError(await svc({ list: 'gift', title: 'x' }), 400, 'invalid_field', 'list');
    const offer = assertOk(await svc({ list: 'enterprise', title: '免费编程课', unit_id: u1.id }), 201);
    assert.equal(offer.provider, u1.name);
    const office = assertOk(await svc({ list: 'office', title: '四点半课堂', provider: '社区党群服务中心' }), 201);
    const need = assertOk(await svc({ list: 'need', title: '困难家庭孩子放学无人照看', provider: '社区困难家庭5户' }), 201);
    const m = (body) => ins.post('/api/v1/party/matches', { date: today, ...body });
    assertError(await m({ need_id: office.id, offer_id: offer.id }), 422, 'not_a_need', 'need_id');
    assertError(await m({ need_id: need.id, offer_id: need.id }), 422, 'not_an_offer', 'offer_id');
    const mt = assertOk(await m({ need_id: need.id, offer_id: office.id, note: '对接' }), 201);
    assert.equal(mt.state, 'matched');
    assert.deepEqual(mt.actions.map((a) => a.action).sort(), ['cancel', 'start']);
    assertError(await m({ need_id: need.id, offer_id: offer.id }), 409, 'need_matched', 'need_id');
    const tr = (match, body) => ins.post(`/api/v1/party/matches/${match.id}/transitions`, { version: match.version, ...body });
    assertError(await tr(mt, { action: 'finish', note: '完成' }), 409, 'invalid_transition');
    const started = assertOk(await tr(mt, { action: 'start' }));
    assertError(await tr(started, { action: 'finish' }), 400, 'required', 'note');
    const done = assertOk(await tr(started, { action: 'finish', note: '每周一至周五开放', beneficiaries: 5 }));
    assert.equal(done.state, 'done');
    assert.equal(done.done_on, today);
    assert.equal(done.beneficiaries, 5);
    assert.deepEqual(done.actions, []);
    const needNow = assertOk(await boss.get(`/api/v1/party/services?area=${town.street}&list=need`)).items.find((s) => s.id === need.id);
    assert.equal(needNow.match_state, 'done');
    // a cancelled match frees the need again
    const need2 = assertOk(await svc({ list: 'need', title: '老人手机培训' }), 201);
    const m2 = assertOk(await m({ need_id: need2.id, offer_id: offer.id }), 201);
    assertError(await tr(m2, { action: 'cancel' }), 400, 'required', 'reason');
    assertOk(await tr(m2, { action: 'cancel', reason: '课程时间不合适' }));
    assertOk(await m({ need_id: need2.id, offer_id: office.id }), 201);
    // an item switched off cannot be matched
    const off = assertOk(await ins.patch(`/api/v1/party/services/${offer.id}`, { active: false, version: offer.version }));
    assert.equal(off.active, false);
    const need3 = assertOk(await svc({ list: 'need', title: '第三个需求' }), 201);
    assertError(await m({ need_id: need3.id, offer_id: offer.id }), 422, 'inactive');
    assertError(await ins.patch(`/api/v1/party/services/${offer.id}`, { title: 'x', version: offer.version }), 409, 'stale_version');
    assertError(await ins.patch(`/api/v1/party/services/${offer.id}`, { list: 'office', version: off.version }), 400, 'invalid_field', 'list');
});

test('joint meetings: attendance and decisions recorded and changed with the version', async () => {
    const body = {
        area: town.street, title: '两新组织党建联席会议', held_on: today, place: '党群服务中心', host: '书记',
        attendees: [{ name: '张三', unit: '甲公司', present: true }, { name: '李四', unit: '乙协会', present: false }],
        decisions: ['建立三向服务清单', '推动乙协会单独建立党支部'],
    };
    assertError(await boss.post('/api/v1/party/meetings', { ...body, attendees: [{ name: '', present: true }] }), 400, 'invalid_field', 'attendees');
    assertError(await boss.post('/api/v1/party/meetings', { ...body, attendees: [{ name: '王五' }] }), 400, 'invalid_field', 'attendees');
    assertError(await boss.post('/api/v1/party/meetings', { ...body, decisions: [''] }), 400, 'invalid_field', 'decisions');
    assertError(await boss.post('/api/v1/party/meetings', { ...body, held_on: '2026-02-30' }), 400, 'invalid_field', 'held_on');
    const mt = assertOk(await boss.post('/api/v1/party/meetings', body), 201);
    assert.equal(mt.present, 1);
    assert.equal(mt.invited, 2);
    assert.deepEqual(mt.decisions, body.decisions);
    const url = `/api/v1/party/meetings/${mt.id}`;
    const ch = assertOk(await ins.patch(url, { decisions: [...body.decisions, '四点半课堂扩大'], version: mt.version }));
    assert.equal(ch.decisions.length, 3);
    assert.equal(ch.attendees.length, 2);
    assertError(await ins.patch(url, { title: '改', version: mt.version }), 409, 'stale_version');
    assertError(await ins.patch(url, { area: town.communities[0], version: ch.version }), 400, 'invalid_field', 'area');
    const list = assertOk(await ins.get(`/api/v1/party/meetings?area=${town.street}&q=${encodeURIComponent('四点半')}`));
    assert.equal(list.total, 1);
});
