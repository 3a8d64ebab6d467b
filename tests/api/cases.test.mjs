// City management for staff: roads, chiefs and teams; cases entered, routed to the road's chief
// and the right team with their deadline, and taken round the loop 受理 → 派单 → 处置 → 核查 →
// 办结 by the people who do it (退回, 重派, 挂起, 重新打开); overdue lists; duplicates and merging;
// moderation; photos; what each role may see and do; bad input refused with nothing created.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    LONGHAI, WENHUA, login, assertError, assertOk, uniq, rawRequest, Client,
} from './lib.mjs';
import { makeWorld, caseBody, png, JPEG, WEBP } from './cases_fixture.mjs';

let admin, leader, leader2, grid, w;

test('setup', async () => {
    [admin, leader, leader2, grid] = await Promise.all(
        ['admin', 'leader', 'leader2', 'grid'].map((u) => login(u)));
    w = await makeWorld(admin);
});

/** Cases the admin sees whose description or address contains q. */
async function count(q) {
    return assertOk(await admin.get(`/api/v1/cases?q=${encodeURIComponent(q)}&per_page=200`)).total;
}

async function step(client, c, action, extra = {}) {
    const res = await client.post(`/api/v1/cases/${c.id}/transitions`, { action, version: c.version, ...extra });
    return res;
}

test('roads: created with geometry and length, chiefs and their frequencies listed', async () => {
    const road = assertOk(await admin.get(`/api/v1/cases/roads/${w.road.id}`));
    assert.equal(road.geometry.length, 3);
    assert.ok(road.length_m > 250 && road.length_m < 350, `length ${road.length_m} m of a 0.003° road`);
    const byLevel = Object.fromEntries(road.chiefs.map((c) => [c.level, c]));
    assert.equal(byLevel.general.frequency, 'half_month');
    assert.equal(byLevel.first.frequency, 'week');
    assert.equal(byLevel.second.frequency, 'day');
    assert.equal(byLevel.second.level_zh, '二级路长');
    assert.deepEqual(byLevel.second.duties, ['包秩序', '包卫生', '包立面']);
    assert.equal(byLevel.second.user.id, w.chiefUser.me.id);
    // the demo's 13 roads of 陇海马路街道, each with chiefs at the three levels
    const demo = assertOk(await leader.get(`/api/v1/cases/roads?area=${LONGHAI}`));
    assert.equal(demo.total, 13);
    for (const r of demo.items)
        assert.deepEqual([...new Set(r.chiefs.map((c) => c.level))].sort(), ['first', 'general', 'second'], r.name);
    assert.ok(demo.items.some((r) => r.name === '陇海马路'));
});

test('roads and chiefs: bad input is refused with the field named, nothing created', async () => {
    const name = uniq('坏路');
    const bad = [
        [{ area: w.area, name, geometry: [[34.3, 112.9]] }, 400, 'invalid_field', 'geometry'],
        [{ area: w.area, name, geometry: [[44.3, 112.9], [44.31, 112.9]] }, 400, 'outside_service_area', 'geometry'],
        [{ area: w.area, name, geometry: [['a', 112.9], [34.3, 112.9]] }, 400, 'invalid_field', 'geometry'],
        [{ area: w.area, name: '' }, 400, 'required', 'name'],
        [{ area: LONGHAI, name }, 201],
    ];
    for (const [b, status, code, field] of bad) {
        const res = await leader2.post('/api/v1/cases/roads', b);
        if (status === 201) assertError(res, 403, 'area_forbidden', 'area');
        else assertError(res, status, code, field);
    }
    assertError(await grid.post('/api/v1/cases/roads', { area: w.area, name }), 403, 'forbidden');
    const roads = assertOk(await admin.get('/api/v1/cases/roads'));
    assert.ok(!roads.items.some((r) => r.name === name), 'no road was created');
    // a duplicate name in the same area
    assertError(await admin.post('/api/v1/cases/roads', { area: w.area, name: w.road.name }), 409, 'duplicate', 'name');
    const chief = { road_id: w.road.id, level: 'second', name: '某人', duties: ['包秩序'] };
    assertError(await admin.post('/api/v1/cases/chiefs', { ...chief, level: 'third' }), 400, 'invalid_field', 'level');
    assertError(await admin.post('/api/v1/cases/chiefs', { ...chief, duties: ['包绿化'] }), 400, 'invalid_field', 'duties');
    assertError(await admin.post('/api/v1/cases/chiefs', { ...chief, duties: [] }), 400, 'required', 'duties');
    assertError(await admin.post('/api/v1/cases/chiefs', { ...chief, user_id: leader.me.id }), 422, 'user_out_of_area', 'user_id');
    assertError(await admin.post('/api/v1/cases/chiefs', { ...chief, phone: '12345' }), 400, 'invalid_field', 'phone');
    const chiefs = assertOk(await admin.get(`/api/v1/cases/chiefs?road=${w.road.id}`));
    assert.equal(chiefs.total, 3, 'still the three chiefs of the world');
    // teams: a kind that is not configured, a member outside the area
    assertError(await admin.post('/api/v1/cases/teams', { area: w.area, name: uniq('队'), kind: '绿化' }), 400, 'invalid_field', 'kind');
    assertError(await admin.post('/api/v1/cases/teams', { area: w.area, name: uniq('队'), kind: '日常巡逻', members: [leader.me.id] }),
        422, 'member_out_of_area', 'members');
});

test('road edits carry the version: stale is 409, geometry can be cleared', async () => {
    const road = assertOk(await admin.post('/api/v1/cases/roads', { area: w.area, name: uniq('支路'),
        geometry: [[w.lat + 0.05, w.lng], [w.lat + 0.05, w.lng + 0.001]] }), 201);
    assertError(await admin.patch(`/api/v1/cases/roads/${road.id}`, { description: 'x' }), 428, 'version_required');
    const upd = assertOk(await admin.patch(`/api/v1/cases/roads/${road.id}`, { version: 1, description: '南北向', geometry: null }));
    assert.equal(upd.version, 2);
    assert.equal(upd.geometry, null);
    assert.equal(upd.length_m, 0);
    const e = assertError(await admin.patch(`/api/v1/cases/roads/${road.id}`, { version: 1, name: 'x' }), 409, 'stale_version');
    assert.equal(e.current_version, 2);
    assertOk(await admin.patch(`/api/v1/cases/roads/${road.id}`, { version: 2, active: false }));
});

test('a case is routed: nearest road, its chief for the duty, the team of the kind, the deadline', async () => {
    const body = caseBody(w, { reporter_name: '张建华', reporter_phone: '13903710001' });
    const res = await admin.post('/api/v1/cases', body);
    const c = assertOk(res, 201);
    assert.equal(res.headers.get('location'), `/api/v1/cases/${c.id}`);
    assert.equal(res.headers.get('etag'), '"1"');
    assert.equal(c.state, 'new');
    assert.equal(c.state_zh, '待受理');
    assert.equal(c.status, 'open');
    assert.equal(c.road.id, w.road.id);
    assert.equal(c.chief.id, w.chiefs.second.id, 'the second-level chief with an account');
    assert.equal(c.team.id, w.teams.clean.id, 'litter goes to 卫生清洁');
    assert.equal(c.area, w.area);
    assert.equal(c.service_name, '暴露垃圾');
    const hours = (Date.parse(c.deadline) - Date.parse(c.created_at)) / 3600e3;
    assert.equal(hours, 24, 'litter: 24 hours');
    assert.deepEqual(c.actions.map((a) => a.action).sort(), ['dispatch', 'reject']);
    assert.deepEqual(c.duplicates, []);
    // road damage: 综合执法, 72 hours, attributes checked
    const rd = assertOk(await admin.post('/api/v1/cases', caseBody(w, { service_code: 'road_damage', attributes: { kind: 'manhole', width_m: 0.8 } })), 201);
    assert.equal(rd.team.id, w.teams.law.id);
    assert.deepEqual(rd.attributes, { kind: 'manhole', width_m: 0.8 });
    assert.equal((Date.parse(rd.deadline) - Date.parse(rd.created_at)) / 3600e3, 72);
    // a place far from every road: no road, no chief, the intake area (陇海马路街道) takes it
    const far = assertOk(await admin.post('/api/v1/cases', caseBody(w, { lat: w.lat + 0.1, lng: w.lng })), 201);
    assert.equal(far.road, null);
    assert.equal(far.chief, null);
    assert.equal(far.area, LONGHAI);
    // the road named in the address when there is no position
    const named = assertOk(await admin.post('/api/v1/cases', { service_code: 'posters', description: uniq('小广告'),
        address: `${w.road.name}与某街交叉口` }), 201);
    assert.equal(named.road.id, w.road.id);
    assert.equal(named.lat, null);
});

test('bad input names the field, and no case is created', async () => {
    const marker = uniq('不应创建');
    const base = caseBody(w, { description: marker });
    const without = (k) => Object.fromEntries(Object.entries(base).filter(([x]) => x !== k));
    const cases = [
        [{ ...without('lat'), lng: undefined, address: undefined }, 400, 'location_required', 'lat'],
        [{ ...base, lat: 95 }, 400, 'invalid_field', 'lat'],
        [{ ...base, lng: 200 }, 400, 'invalid_field', 'lng'],
        [{ ...base, lat: 39.9, lng: 116.4 }, 400, 'outside_service_area', 'lat'],
        [{ ...base, lat: 34.5, lng: 115 }, 400, 'outside_service_area', 'lng'],
        [without('lng'), 400, 'required', 'lng'],
        [{ ...base, lat: '34.5' }, 400, 'invalid_field', 'lat'],
        [{ ...base, service_code: 'unicorns' }, 400, 'unknown_service', 'service_code'],
        [without('service_code'), 400, 'required', 'service_code'],
        [{ ...base, description: '   ' }, 400, 'required', 'description'],
        [{ ...base, description: marker + 'x'.repeat(4000) }, 400, 'invalid_field', 'description'],
        [{ ...base, service_code: 'parking' }, 400, 'required', 'attribute[vehicle]'],
        [{ ...base, service_code: 'parking', attributes: { vehicle: 'horse' } }, 400, 'invalid_field', 'attribute[vehicle]'],
        [{ ...base, service_code: 'road_damage', attributes: { kind: 'curb', width_m: 'wide' } }, 400, 'invalid_field', 'attribute[width_m]'],
        [{ ...base, attributes: { colour: 'red' } }, 400, 'unknown_attribute', 'attribute[colour]'],
        [{ ...base, reporter_phone: '110' }, 400, 'invalid_field', 'reporter_phone'],
        [{ ...base, road_id: 99999999 }, 422, 'unknown_road', 'road_id'],
        [{ ...base, priority: 'high' }, 400, 'unknown_field', 'priority'],
        [{ ...base, area: LONGHAI }, 403, 'area_forbidden', 'area'],
    ];
    for (const [b, status, code, field] of cases) {
        for (const k of Object.keys(b)) if (b[k] === undefined) delete b[k];
        const client = code === 'area_forbidden' ? leader2 : admin;
        const e = assertError(await client.post('/api/v1/cases', b), status, code, field);
        if (code === 'unknown_service') assert.ok(e.allowed.includes('litter'), 'the services are listed');
        if (code === 'outside_service_area') {
            assert.match(e.message_zh, /郑州市/);
            assert.equal(e.service_area.min_lat, 34.26);
        }
    }
    // invalid UTF-8 in the body
    const raw = Buffer.concat([Buffer.from(`{"service_code":"litter","description":"${marker}`), Buffer.from([0xff, 0xfe]),
        Buffer.from(`","lat":${w.lat},"lng":${w.lng}}`)]);
    assertError(await admin.post('/api/v1/cases', raw), 400, 'invalid_utf8');
    assert.equal(await count(marker), 0, 'none of the rejected bodies created a case');
    // the role: a party instructor does not enter city cases
    const instructor = await login('instructor');
    assertError(await instructor.post('/api/v1/cases', base), 403, 'forbidden');
});

test('HTML in the text is stored as text and returned as JSON text, never markup', async () => {
    const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)>&amp;"'${uniq('')}`;
    const c = assertOk(await admin.post('/api/v1/cases', caseBody(w, { description: hostile, address: '<b>路口</b>' })), 201);
    const got = await admin.get(`/api/v1/cases/${c.id}`);
    assert.match(got.headers.get('content-type'), /^application\/json/);
    assert.equal(got.json.description, hostile);
    assert.equal(got.json.address, '<b>路口</b>');
    assert.ok(got.text.includes('\\u003c') || got.text.includes('<script>'), 'JSON text');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
});

test('the full loop by the people who do it: chief dispatches, team handles, chief verifies', async () => {
    let c = assertOk(await admin.post('/api/v1/cases', caseBody(w)), 201);
    // the team member cannot dispatch; the grid worker of another area cannot see it
    assertError(await step(w.member, c, 'dispatch'), 403, 'forbidden', 'action');
    assertError(await grid.get(`/api/v1/cases/${c.id}`), 403, 'area_forbidden');
    // the road's chief sees it with the dispatch action and dispatches it
    const asChief = assertOk(await w.chiefUser.get(`/api/v1/cases/${c.id}`));
    assert.deepEqual(asChief.actions.map((a) => a.action).sort(), ['dispatch', 'reject']);
    c = assertOk(await step(w.chiefUser, c, 'dispatch'));
    assert.equal(c.state, 'dispatched');
    assert.ok(c.dispatched_at);
    // the team member may start, not verify
    const asMember = assertOk(await w.member.get(`/api/v1/cases/${c.id}`));
    assert.deepEqual(asMember.actions.map((a) => a.action).sort(), ['return', 'start']);
    c = assertOk(await step(w.member, c, 'start'));
    assert.equal(c.state, 'processing');
    // submit needs a note; a stale version is 409 with nothing changed
    assertError(await step(w.member, c, 'submit'), 400, 'required', 'note');
    const e = assertError(await step(w.member, { ...c, version: c.version - 1 }, 'submit', { note: 'x' }), 409, 'stale_version');
    assert.equal(e.current_version, c.version);
    c = assertOk(await step(w.member, c, 'submit', { note: '已清运垃圾并冲洗地面' }));
    assert.equal(c.state, 'verifying');
    assert.equal(c.last_note, '已清运垃圾并冲洗地面');
    assertError(await step(w.member, c, 'verify'), 403, 'forbidden', 'action');
    // not fixed: back to the team, with the reason
    c = assertOk(await step(w.chiefUser, c, 'return', { reason: '现场仍有遗留垃圾' }));
    assert.equal(c.state, 'processing');
    c = assertOk(await step(w.member, c, 'submit', { note: '已彻底清理' }));
    c = assertOk(await step(w.chiefUser, c, 'verify', { reply: '已清理完毕,感谢反映。' }));
    assert.equal(c.state, 'closed');
    assert.equal(c.status, 'closed');
    assert.ok(c.closed_at);
    assert.equal(c.reply, '已清理完毕,感谢反映。');
    assert.equal(c.overdue, false);
    // only the command centre reopens; the reopen gives a fresh deadline and counts
    assertError(await step(w.chiefUser, c, 'reopen', { reason: 'x' }), 403, 'forbidden');
    const e2 = assertError(await step(admin, c, 'start'), 409, 'invalid_transition', 'action');
    assert.deepEqual(e2.allowed.map((a) => a.action), ['reopen']);
    c = assertOk(await step(admin, c, 'reopen', { reason: '群众再次反映' }));
    assert.equal(c.state, 'processing');
    assert.equal(c.reopen_count, 1);
    assert.equal(c.closed_at, null);
    // the history is in the audit log, with who did each step and why
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=case&id=${c.id}`));
    const steps = audit.items.map((a) => a.action).reverse();
    assert.deepEqual(steps, ['create', 'dispatch', 'start', 'submit', 'return', 'submit', 'verify', 'reopen']);
    const ret = audit.items.find((a) => a.action === 'return');
    assert.equal(ret.user, w.chiefUser.me.username);
    assert.equal(ret.reason, '现场仍有遗留垃圾');
});

test('reject, redispatch, suspend and resume (the deadline stands still while suspended)', async () => {
    let r = assertOk(await admin.post('/api/v1/cases', caseBody(w)), 201);
    assertError(await step(w.chiefUser, r, 'reject'), 400, 'required', 'reason');
    r = assertOk(await step(w.chiefUser, r, 'reject', { reason: '不属于本辖区' }));
    assert.equal(r.state, 'rejected');
    assert.equal(r.status, 'closed');

    let c = assertOk(await admin.post('/api/v1/cases', caseBody(w)), 201);
    // dispatch choosing the other team; the handler is chosen only when dispatching
    assertError(await step(admin, c, 'dispatch', { team_id: 99999999 }), 422, 'unknown_team', 'team_id');
    c = assertOk(await step(admin, c, 'dispatch', { team_id: w.teams.law.id }));
    assert.equal(c.team.id, w.teams.law.id);
    // the first team's member is no longer the handler
    assertError(await step(w.member, c, 'start'), 403, 'forbidden');
    assertError(await step(admin, c, 'redispatch', { reason: 'x', team_id: w.teams.law.id }), 422, 'unchanged');
    c = assertOk(await step(w.chiefUser, c, 'redispatch', { reason: '应由保洁队处置', team_id: w.teams.clean.id }));
    assert.equal(c.team.id, w.teams.clean.id);
    c = assertOk(await step(w.member, c, 'start'));
    assertError(await step(w.member, c, 'suspend', { team_id: w.teams.law.id, reason: 'x' }), 400, 'invalid_field', 'team_id');
    const deadline = Date.parse(c.deadline);
    c = assertOk(await step(w.member, c, 'suspend', { reason: '等待权属单位' }));
    assert.equal(c.state, 'suspended');
    assert.ok(c.suspended_at);
    await new Promise((ok) => setTimeout(ok, 2100));
    c = assertOk(await step(w.member, c, 'resume'));
    assert.equal(c.state, 'processing');
    assert.equal(c.suspended_at, null);
    const moved = (Date.parse(c.deadline) - deadline) / 1000;
    assert.ok(moved >= 2 && moved <= 4, `the deadline moved by the ${moved} s of suspension`);
});

test('overdue cases are flagged and listed per chief and per team', async () => {
    // 占道经营 has a 12-hour limit: a case reported now is not overdue; the list filters work
    const c = assertOk(await admin.post('/api/v1/cases', caseBody(w, { service_code: 'street_vendor' })), 201);
    assert.equal(c.overdue, false);
    const list = assertOk(await admin.get(`/api/v1/cases?overdue=1&road=${w.road.id}`));
    assert.ok(list.items.every((x) => x.overdue));
    // the demo has overdue cases (left lying for weeks): the report groups them
    const rep = assertOk(await leader.get('/api/v1/cases/reports/overdue'));
    assert.ok(rep.total > 0, 'the demo season has overdue cases');
    const sumChief = rep.by_chief.reduce((s, g) => s + g.count, 0);
    const sumTeam = rep.by_team.reduce((s, g) => s + g.count, 0);
    assert.equal(sumChief, rep.total);
    assert.equal(sumTeam, rep.total);
    for (const g of rep.by_chief) for (const x of g.cases) assert.ok(x.hours_overdue >= 0);
    const overdue = assertOk(await leader.get('/api/v1/cases?overdue=1&per_page=200'));
    assert.equal(overdue.total, rep.total, 'the list and the report agree');
    assert.ok(overdue.items.every((x) => x.overdue && x.status === 'open'));
});

test('lists filter by state, service, road, team, source and text', async () => {
    const marker = uniq('筛选');
    const a = assertOk(await admin.post('/api/v1/cases', caseBody(w, { description: marker })), 201);
    const b = assertOk(await admin.post('/api/v1/cases', caseBody(w, { description: marker, service_code: 'facade', source: 'phone' })), 201);
    await step(admin, b, 'dispatch');
    const q = (p) => admin.get(`/api/v1/cases?q=${encodeURIComponent(marker)}&${p}`);
    assert.equal(assertOk(await q('')).total, 2);
    assert.deepEqual(assertOk(await q('state=new')).items.map((x) => x.id), [a.id]);
    assert.deepEqual(assertOk(await q('state=dispatched')).items.map((x) => x.id), [b.id]);
    assert.deepEqual(assertOk(await q('service=facade')).items.map((x) => x.id), [b.id]);
    assert.deepEqual(assertOk(await q('source=phone')).items.map((x) => x.id), [b.id]);
    assert.deepEqual(assertOk(await q(`team=${w.teams.law.id}`)).items.map((x) => x.id), [b.id]);
    assert.equal(assertOk(await q(`road=${w.road.id}`)).total, 2);
    assert.equal(assertOk(await q('open=1&state=closed')).total, 0);
    assert.deepEqual(assertOk(await admin.get(`/api/v1/cases?q=%23${a.id}`)).items.map((x) => x.id), [a.id]);
    assertError(await admin.get('/api/v1/cases?state=done'), 400, 'invalid_parameter', 'state');
    assertError(await admin.get('/api/v1/cases?sort=name'), 400, 'invalid_parameter', 'sort');
    assertError(await admin.get('/api/v1/cases?source=fax'), 400, 'invalid_parameter', 'source');
    // leader2 (文化路街道) sees the world's cases, leader (陇海马路街道) does not
    assert.equal(assertOk(await leader.get(`/api/v1/cases?q=${encodeURIComponent(marker)}`)).total, 0);
    assert.equal(assertOk(await leader2.get(`/api/v1/cases?q=${encodeURIComponent(marker)}`)).total, 2);
});

test('duplicates: open cases of the same service within 50 m are offered, and merged', async () => {
    const [lat, lng] = w.at(0.0003, 0.002);
    const first = assertOk(await admin.post('/api/v1/cases', caseBody(w, { lat, lng, description: uniq('原始') })), 201);
    // 30 m away, same service: offered; another service or 80 m away: not
    const near = assertOk(await admin.post('/api/v1/cases', caseBody(w, { lat: lat + 0.00027, lng, description: uniq('重复') })), 201);
    assert.deepEqual(near.duplicates.map((d) => d.id), [first.id]);
    assert.ok(near.duplicates[0].distance_m >= 28 && near.duplicates[0].distance_m <= 32, `${near.duplicates[0].distance_m} m`);
    const other = assertOk(await admin.post('/api/v1/cases', caseBody(w, { lat, lng, service_code: 'posters' })), 201);
    assert.ok(!other.duplicates.some((d) => d.id === first.id));
    const far = assertOk(await admin.get(`/api/v1/cases/nearby?service_code=litter&lat=${lat + 0.00072}&lng=${lng}`));
    assert.ok(!far.items.some((d) => d.id === first.id), '80 m is beyond the radius');
    assert.equal(far.radius_m, 50);
    // merge: the duplicate follows the original; both keep their history
    assertError(await admin.post(`/api/v1/cases/${near.id}/merge`, { into: near.id, reason: 'x', version: 1 }), 422, 'merge_into_itself', 'into');
    assertError(await admin.post(`/api/v1/cases/${near.id}/merge`, { into: first.id, version: 1 }), 400, 'required', 'reason');
    assertError(await w.member.post(`/api/v1/cases/${near.id}/merge`, { into: first.id, reason: 'x', version: 1 }), 403, 'forbidden');
    const merged = assertOk(await w.chiefUser.post(`/api/v1/cases/${near.id}/merge`, { into: first.id, reason: '同一位置重复反映', version: 1 }));
    assert.equal(merged.state, 'merged');
    assert.equal(merged.merged_into, first.id);
    assert.deepEqual(merged.actions, []);
    const orig = assertOk(await admin.get(`/api/v1/cases/${first.id}`));
    assert.deepEqual(orig.merged_cases, [near.id]);
    const a1 = assertOk(await admin.get(`/api/v1/audit?entity=case&id=${near.id}`)).items.map((x) => x.action);
    const a2 = assertOk(await admin.get(`/api/v1/audit?entity=case&id=${first.id}`)).items.map((x) => x.action);
    assert.deepEqual(a1.slice(0, 2), ['merge', 'create']);
    assert.deepEqual(a2.slice(0, 2), ['merge_in', 'create']);
    // merged cases are no longer offered as duplicates
    const again = assertOk(await admin.get(`/api/v1/cases/nearby?service_code=litter&lat=${lat}&lng=${lng}`));
    assert.ok(!again.items.some((d) => d.id === near.id));
    assertError(await admin.post(`/api/v1/cases/${near.id}/merge`, { into: first.id, reason: 'x', version: merged.version }), 409, 'not_open');
});

test('moderation hides a report or replaces its public text; the original stays, the audit says who and why', async () => {
    const c = assertOk(await admin.post('/api/v1/cases', caseBody(w, { description: '某商户老板张三电话13900000000占道' })), 201);
    assertError(await w.chiefUser.post(`/api/v1/cases/${c.id}/moderation`, { hidden: true, reason: 'x', version: 1 }), 403, 'forbidden');
    assertError(await admin.post(`/api/v1/cases/${c.id}/moderation`, { hidden: true, version: 1 }), 400, 'required', 'reason');
    let m = assertOk(await admin.post(`/api/v1/cases/${c.id}/moderation`,
        { public_description: '某商户占道经营', reason: '原文含个人电话', version: 1 }));
    assert.equal(m.public_description, '某商户占道经营');
    assert.equal(m.description, '某商户老板张三电话13900000000占道', 'the original is kept');
    m = assertOk(await admin.post(`/api/v1/cases/${c.id}/moderation`, { hidden: true, reason: '涉及隐私', version: m.version }));
    assert.equal(m.hidden, true);
    assert.equal(m.hidden_reason, '涉及隐私');
    const hidden = assertOk(await admin.get(`/api/v1/cases?hidden=1&road=${w.road.id}`));
    assert.ok(hidden.items.some((x) => x.id === c.id));
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=case&id=${c.id}`)).items.filter((x) => x.action === 'moderate');
    assert.equal(audit.length, 2);
    assert.equal(audit[0].user, 'admin');
    assert.equal(audit[0].reason, '涉及隐私');
    assert.equal(audit[1].before.public_description, null);
    assert.equal(audit[1].after.public_description, '某商户占道经营');
    m = assertOk(await admin.post(`/api/v1/cases/${c.id}/moderation`, { hidden: false, public_description: null, reason: '恢复', version: m.version }));
    assert.equal(m.hidden, false);
    assert.equal(m.public_description, null);
});

test('photos: JPEG, PNG and WebP by their bytes, size and count limits, served with their type', async () => {
    const c = assertOk(await admin.post('/api/v1/cases', caseBody(w)), 201);
    const up = (client, body, type, stage) => client.post(`/api/v1/cases/${c.id}/photos${stage ? `?stage=${stage}` : ''}`,
        body, { 'Content-Type': type });
    const p1 = assertOk(await up(w.member, png(), 'image/png'), 201);
    assert.equal(p1.content_type, 'image/png');
    assert.equal(p1.stage, 'process');
    const p2 = assertOk(await up(admin, JPEG, 'image/png', 'result'), 201);
    assert.equal(p2.content_type, 'image/jpeg', 'the type comes from the bytes, not the header');
    assert.equal(assertOk(await up(admin, WEBP, 'image/webp'), 201).content_type, 'image/webp');
    // not an image, a wrong Content-Type, too large, an unknown stage
    assertError(await up(admin, Buffer.from('GIF89a not accepted here........'), 'image/gif'), 415, 'not_an_image', 'photo');
    assertError(await up(admin, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'), 415, 'not_an_image', 'photo');
    assertError(await up(admin, png(), 'application/octet-stream'), 415, 'unsupported_media_type', 'Content-Type');
    const big = Buffer.concat([png(), Buffer.alloc(5 * 1024 * 1024 + 1)]);
    assertError(await up(admin, big, 'image/png'), 413, 'photo_too_large', 'photo');
    assertError(await up(admin, png(), 'image/png', 'before'), 400, 'invalid_parameter', 'stage');
    assertError(await up(grid, png(), 'image/png'), 403, 'area_forbidden');
    const got = await admin.get(`/api/v1/cases/${c.id}`);
    assert.deepEqual(got.json.photos.map((p) => p.content_type), ['image/png', 'image/jpeg', 'image/webp']);
    // served back byte for byte, with its type and nosniff, only to those who see the case
    const raw = await rawRequest({ path: p1.url, headers: { Cookie: admin.cookieHeader() } });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-type'], 'image/png');
    assert.equal(raw.headers['x-content-type-options'], 'nosniff');
    assert.ok(raw.body.equals(png()));
    assertError(await grid.get(p1.url), 403, 'area_forbidden');
    assertError(await new Client().get(p1.url), 401, undefined);
    assertError(await admin.get(`/api/v1/cases/${c.id}/photos/99999999`), 404, 'not_found');
    // the audit names each photo
    const audit = assertOk(await admin.get(`/api/v1/audit?entity=case&id=${c.id}`)).items.filter((x) => x.action === 'photo');
    assert.equal(audit.length, 3);
    // at most cases.photos_per_case (9) per case
    for (let i = 3; i < 9; i++) assertOk(await up(admin, png(2, 2), 'image/png'), 201);
    assertError(await up(admin, png(2, 2), 'image/png'), 422, 'too_many_photos', 'photo');
    assert.equal(assertOk(await admin.get(`/api/v1/cases/${c.id}`)).photos.length, 9);
});

test('reporters\' contact data: shown to leaders, masked for chiefs and teams, hidden for anonymous', async () => {
    const c = assertOk(await admin.post('/api/v1/cases', caseBody(w, { reporter_name: '王秀英', reporter_phone: '13912345678' })), 201);
    const asLeader = assertOk(await leader2.get(`/api/v1/cases/${c.id}`));
    assert.deepEqual([asLeader.reporter.name, asLeader.reporter.phone], ['王秀英', '13912345678']);
    const asChief = assertOk(await w.chiefUser.get(`/api/v1/cases/${c.id}`));
    assert.deepEqual([asChief.reporter.name, asChief.reporter.phone, asChief.reporter.masked], ['王*', '139****5678', true]);
    const anon = assertOk(await admin.post('/api/v1/cases', caseBody(w, { reporter_name: '李四', reporter_phone: '13912340000', anonymous: true })), 201);
    const a2 = assertOk(await leader2.get(`/api/v1/cases/${anon.id}`));
    assert.equal(a2.reporter.anonymous, true);
    assert.equal(a2.reporter.name, null);
    assert.equal(a2.reporter.phone, null);
    const a3 = assertOk(await admin.get(`/api/v1/cases/${anon.id}`));
    assert.equal(a3.reporter.phone, '13912340000', 'administrators see it');
    // the audit snapshot masks it for non-administrators too
    const audit = assertOk(await w.chiefUser.get(`/api/v1/audit?entity=case&id=${c.id}`)).items[0];
    assert.equal(audit.after.reporter_phone, '139****5678');
});

test('edits of an open case carry the version; a finished case cannot be edited', async () => {
    let c = assertOk(await admin.post('/api/v1/cases', caseBody(w)), 201);
    assertError(await leader2.patch(`/api/v1/cases/${c.id}`, { version: 1, reporter_phone: '13900000000' }), 400, 'invalid_field', 'reporter_phone');
    c = assertOk(await leader2.patch(`/api/v1/cases/${c.id}`, { version: 1, service_code: 'road_damage', attributes: { kind: 'pothole' } }));
    assert.equal(c.service_code, 'road_damage');
    assert.equal((Date.parse(c.deadline) - Date.parse(c.created_at)) / 3600e3, 72, 'the deadline follows the new service');
    assertError(await w.member.patch(`/api/v1/cases/${c.id}`, { version: c.version, address: 'x' }), 403, 'forbidden');
    c = assertOk(await step(admin, c, 'reject', { reason: '重复' }));
    assertError(await admin.patch(`/api/v1/cases/${c.id}`, { version: c.version, address: 'x' }), 409, 'closed');
});

test('the demo season: every state, every source, evaluations, in numbers that add up', async () => {
    const s = assertOk(await leader.get('/api/v1/cases/summary?from=2000-01-01'));
    for (const st of ['new', 'dispatched', 'processing', 'verifying', 'suspended', 'closed', 'rejected', 'merged'])
        assert.ok(s.by_state[st] > 0, `some demo cases are ${st}`);
    for (const src of ['public', 'phone', 'staff', 'patrol', 'inspection']) assert.ok(s.by_source[src] > 0, src);
    const total = Object.values(s.by_state).reduce((a, b) => a + b, 0);
    assert.equal(s.total, total);
    assert.equal(Object.values(s.by_source).reduce((a, b) => a + b, 0), total);
    assert.equal(s.by_service.reduce((a, b) => a + b.total, 0), total);
    assert.ok(s.closed_on_time <= s.closed);
    assert.equal(s.on_time_rate, Math.round((s.closed_on_time * 1000) / s.closed) / 10);
    const list = assertOk(await leader.get('/api/v1/cases?per_page=1'));
    assert.ok(list.total >= total, 'the list holds them all');
    const sat = assertOk(await leader.get('/api/v1/cases/reports/satisfaction?from=2000-01-01'));
    assert.equal(sat.by_team.reduce((a, b) => a + b.evaluations, 0), sat.total.evaluations);
    assert.equal(sat.by_road.reduce((a, b) => a + b.evaluations, 0), sat.total.evaluations);
    assert.ok(sat.by_team.some((t) => t.name === '综合执法队'));
    assert.ok(sat.total.evaluations > 0 && sat.total.resolved < sat.total.evaluations, 'some said 未解决');
    for (const t of sat.by_team) assert.ok(t.average_rating >= 1 && t.average_rating <= 5);
});
