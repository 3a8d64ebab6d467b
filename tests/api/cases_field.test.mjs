// Field work of city management: patrol logs (日巡查 / 夜盯守) with tracks and the problems
// found on the way, the compliance of each chief with the frequency of the level, teams and
// their members, construction sites with their "一长三员", the "8个100%" checklist and its
// versions, inspections whose failed items open rectification cases for the supervisor, and the
// pass rate of a site over time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LONGHAI, login, assertError, assertOk, uniq, shanghaiDate } from './lib.mjs';
import { makeWorld, round6 } from './cases_fixture.mjs';

let admin, leader, grid, instructor, w;

test('setup', async () => {
    [admin, leader, grid, instructor] = await Promise.all(
        ['admin', 'leader', 'grid', 'instructor'].map((u) => login(u)));
    w = await makeWorld(admin, '巡查测试');
});

/** 09:00 Shanghai time `days` days from today, as ISO 8601 with offset. */
function at(days, hour = 9) {
    return `${shanghaiDate(days)}T${String(hour).padStart(2, '0')}:00:00+08:00`;
}

/** The ISO week (2026-W09) of a YYYY-MM-DD date. */
function isoWeek(ymd) {
    const d = new Date(ymd + 'T00:00:00Z');
    const day = (d.getUTCDay() + 6) % 7;
    d.setUTCDate(d.getUTCDate() - day + 3);
    const y = d.getUTCFullYear();
    const jan4 = new Date(Date.UTC(y, 0, 4));
    const w1 = new Date(jan4);
    w1.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7) + 3);
    const n = 1 + Math.round((d - w1) / (7 * 86400e3));
    return `${y}-W${String(n).padStart(2, '0')}`;
}

test('patrols: logged by the chief, with a track; bad logs are refused', async () => {
    const track = [[w.lat, w.lng, 1], [round6(w.lat + 0.0002), round6(w.lng + 0.0015), 2], [w.lat, round6(w.lng + 0.003), 3]];
    const res = await w.chiefUser.post('/api/v1/cases/patrols', {
        road_id: w.road.id, kind: 'night', started_at: at(-1, 20), ended_at: at(-1, 21),
        findings: '夜间盯守,未发现渣土车撒漏。', track,
    });
    const p = assertOk(res, 201);
    assert.equal(p.chief.id, w.chiefs.second.id, 'the chief record of the caller on that road');
    assert.equal(p.kind, 'night');
    assert.equal(p.minutes, 60);
    assert.equal(p.date, shanghaiDate(-1));
    assert.ok(p.distance_m > 250 && p.distance_m < 350, `${p.distance_m} m along the track`);
    assert.deepEqual(p.track, track);
    const list = assertOk(await admin.get(`/api/v1/cases/patrols?road=${w.road.id}`));
    assert.ok(list.items.some((x) => x.id === p.id && x.has_track && !('track' in x)));
    const base = { road_id: w.road.id, kind: 'day', started_at: at(-2, 9), ended_at: at(-2, 10) };
    const bad = [
        [w.chiefUser, { ...base, ended_at: at(-2, 8) }, 400, 'invalid_field', 'ended_at'],
        [w.chiefUser, { ...base, started_at: at(-2, 9), ended_at: at(0, 23) }, 400, 'invalid_field', 'ended_at'],
        [w.chiefUser, { ...base, started_at: at(1, 9), ended_at: at(1, 10) }, 400, 'invalid_field', 'ended_at'],
        [w.chiefUser, { ...base, started_at: at(-120, 9), ended_at: at(-120, 10) }, 400, 'invalid_field', 'started_at'],
        [w.chiefUser, { ...base, kind: 'dusk' }, 400, 'invalid_field', 'kind'],
        [w.chiefUser, { ...base, started_at: '2026-13-01T09:00:00+08:00' }, 400, 'invalid_field', 'started_at'],
        [w.chiefUser, { ...base, road_id: 99999999 }, 422, 'unknown_road', 'road_id'],
        [w.chiefUser, { ...base, chief_id: w.chiefs.first.id }, 403, 'forbidden', 'chief_id'],
        [w.chiefUser, { ...base, track: [[44, 113], [44.1, 113]] }, 400, 'outside_service_area', 'track'],
        [w.chiefUser, { ...base, track: [[34.3]] }, 400, 'invalid_field', 'track'],
        [w.chiefUser, { ...base, problems: [{ service_code: 'litter' }] }, 400, 'invalid_field', 'problems'],
        [w.chiefUser, { ...base, problems: [{ service_code: 'unicorns', description: 'x' }] }, 400, 'unknown_service', 'service_code'],
        [grid, base, 403, 'area_forbidden', 'road_id'],
        [instructor, base, 403, 'forbidden', undefined],
    ];
    const before = assertOk(await admin.get(`/api/v1/cases/patrols?road=${w.road.id}`)).total;
    for (const [client, b, status, code, field] of bad)
        assertError(await client.post('/api/v1/cases/patrols', b), status, code, field);
    assert.equal(assertOk(await admin.get(`/api/v1/cases/patrols?road=${w.road.id}`)).total, before, 'nothing logged');
    assert.equal(assertOk(await admin.get(`/api/v1/cases?road=${w.road.id}&source=patrol`)).total, 0, 'no case opened');
});

test('problems found on a patrol become dispatched cases of the road', async () => {
    const desc = uniq('巡查发现垃圾');
    const p = assertOk(await w.chiefUser.post('/api/v1/cases/patrols', {
        road_id: w.road.id, kind: 'day', started_at: at(-1, 10), ended_at: at(-1, 11),
        findings: '发现暴露垃圾一处', problems: [
            { service_code: 'litter', description: desc, lat: w.lat + 0.0001, lng: w.lng + 0.001 },
            { service_code: 'shop_overflow', description: desc + '店外经营' }],
    }), 201);
    assert.equal(p.case_ids.length, 2);
    for (const id of p.case_ids) {
        const c = assertOk(await admin.get(`/api/v1/cases/${id}`));
        assert.equal(c.source, 'patrol');
        assert.equal(c.patrol_id, p.id);
        assert.equal(c.road.id, w.road.id);
        assert.equal(c.state, 'dispatched', 'routed and dispatched at once');
    }
    const [litter, shop] = await Promise.all(p.case_ids.map((id) => admin.get(`/api/v1/cases/${id}`)));
    assert.equal(litter.json.team.id, w.teams.clean.id);
    assert.equal(shop.json.team.id, w.teams.law.id);
    assert.equal(shop.json.address, w.road.name, 'without an address: the road');
});

test('compliance: periods required by the level\'s frequency, those patrolled, those missed', async () => {
    // the chiefs were appointed a month ago
    for (const c of Object.values(w.chiefs))
        assertOk(await admin.patch(`/api/v1/cases/chiefs/${c.id}`, { version: c.version, since: shanghaiDate(-30) }));
    // the second-level chief (daily) patrols on six of the last ten days, not today
    const days = [-9, -8, -6, -5, -3, -2];
    for (const d of days)
        assertOk(await w.chiefUser.post('/api/v1/cases/patrols', {
            road_id: w.road.id, kind: 'day', started_at: at(d, 8), ended_at: at(d, 9) }), 201);
    // the first-level chief's (weekly) paper log, entered by the office; once on day -9
    assertOk(await admin.post('/api/v1/cases/patrols', { road_id: w.road.id, chief_id: w.chiefs.first.id,
        kind: 'day', started_at: at(-9, 14), ended_at: at(-9, 15) }), 201);
    const from = shanghaiDate(-9), to = shanghaiDate(0);
    const rep = assertOk(await admin.get(`/api/v1/cases/patrols/compliance?area=${w.area}&from=${from}&to=${to}`));
    const row = (id) => rep.chiefs.find((c) => c.chief_id === id);
    const second = row(w.chiefs.second.id);
    // days -9 … 0: ten periods; patrolled on the six days above and on day -1 (the patrols of
    // the first tests); today is still running (open), days -7 and -4 are missed
    const done = new Set([...days, -1]);
    assert.equal(second.frequency, 'day');
    assert.equal(second.required, 10);
    assert.equal(second.done, done.size);
    assert.equal(second.open, 1);
    assert.equal(second.missed, 10 - done.size - 1);
    assert.deepEqual(second.missed_periods, [shanghaiDate(-7), shanghaiDate(-4)]);
    assert.equal(second.rate, Math.round((done.size / 9) * 1000) / 10);
    const first = row(w.chiefs.first.id);
    const weeks = [...new Set(Array.from({ length: 10 }, (_, i) => isoWeek(shanghaiDate(i - 9))))];
    assert.equal(first.frequency, 'week');
    assert.equal(first.required, weeks.length);
    assert.equal(first.done, 1);
    assert.equal(first.open, 1, 'this week is still running');
    assert.equal(first.missed, weeks.length - 2);
    const general = row(w.chiefs.general.id);
    assert.equal(general.frequency, 'half_month');
    assert.equal(general.done, 0);
    assert.equal(rep.required, rep.chiefs.reduce((s, c) => s + c.required, 0));
    assertError(await admin.get(`/api/v1/cases/patrols/compliance?from=${to}&to=${from}`), 400, 'invalid_parameter', 'from');
    // the demo: every chief of the 13 roads, daily chiefs mostly but not always on patrol
    const demo = assertOk(await leader.get(`/api/v1/cases/patrols/compliance?area=${LONGHAI}&from=${shanghaiDate(-60)}&to=${shanghaiDate(-1)}`));
    assert.equal(demo.chiefs.length, 39);
    const daily = demo.chiefs.filter((c) => c.level === 'second');
    assert.ok(daily.every((c) => c.required === 60));
    assert.ok(daily.some((c) => c.rate < 100) && daily.every((c) => c.rate > 70), daily.map((c) => c.rate).join());
});

test('teams: members are replaced with the version; stale edits are 409', async () => {
    const t = w.teams.law;
    const upd = assertOk(await admin.patch(`/api/v1/cases/teams/${t.id}`, { version: t.version,
        members: [w.member2.me.id, w.member.me.id], leader_name: '新队长' }));
    assert.deepEqual(upd.members.map((m) => m.id).sort((a, b) => a - b), [w.member.me.id, w.member2.me.id].sort((a, b) => a - b));
    assert.equal(upd.leader_name, '新队长');
    assertError(await admin.patch(`/api/v1/cases/teams/${t.id}`, { version: t.version, leader_name: 'x' }), 409, 'stale_version');
    assertError(await admin.patch(`/api/v1/cases/teams/${t.id}`, { version: upd.version, members: [w.member.me.id, w.member.me.id] }), 400, 'invalid_field', 'members');
    assertError(await w.member.patch(`/api/v1/cases/teams/${t.id}`, { version: upd.version, name: 'x' }), 403, 'forbidden');
    const back = assertOk(await admin.patch(`/api/v1/cases/teams/${t.id}`, { version: upd.version, members: [w.member2.me.id] }));
    assert.deepEqual(back.members.map((m) => m.id), [w.member2.me.id]);
    const demo = assertOk(await leader.get(`/api/v1/cases/teams?area=${LONGHAI}`));
    assert.deepEqual(demo.items.map((x) => x.kind).sort(), ['卫生清洁', '日常巡逻', '综合执法']);
    assert.ok(demo.items.every((x) => x.members.length >= 1));
});

let site;

test('sites: registered with their 一长三员; bad supervisors are refused', async () => {
    const body = { area: w.area, name: uniq('测试工地'), builder: '测试建设公司', lat: w.lat + 0.0005, lng: w.lng + 0.001,
        area_m2: 12000, start_date: shanghaiDate(-200), end_date: shanghaiDate(200),
        supervisors: [{ title: '网格长', name: '测试网格长', phone: '13900000001', user_id: w.member2.me.id },
            { title: '网格员', name: '测试网格员' }, { title: '督查员', name: '测试督查员' }, { title: '执法员', name: '测试执法员' }] };
    assertError(await admin.post('/api/v1/cases/sites', { ...body, supervisors: [{ title: '工长', name: 'x' }] }), 400, 'invalid_field', 'supervisors');
    assertError(await admin.post('/api/v1/cases/sites', { ...body, supervisors: [{ title: '网格长', name: 'x', user_id: leader.me.id }] }), 422, 'user_out_of_area', 'supervisors');
    assertError(await admin.post('/api/v1/cases/sites', { ...body, end_date: shanghaiDate(-300) }), 400, 'invalid_field', 'end_date');
    assertError(await admin.post('/api/v1/cases/sites', { ...body, lat: 40.0 }), 400, 'outside_service_area', 'lat');
    assertError(await w.member.post('/api/v1/cases/sites', body), 403, 'forbidden');
    site = assertOk(await admin.post('/api/v1/cases/sites', body), 201);
    assert.equal(site.supervisors.length, 4);
    assert.equal(site.supervisors[0].phone, '13900000001');
    assert.equal(site.inspections, 0);
    assert.equal(site.pass_rate, null);
    const asChief = assertOk(await w.chiefUser.get(`/api/v1/cases/sites/${site.id}`));
    assert.equal(asChief.supervisors[0].phone, '139****0001', 'phones masked for field staff');
});

test('inspections: every item answered; failed items open rectification cases for the supervisor', async () => {
    const cl = assertOk(await admin.get('/api/v1/cases/checklist'));
    assert.equal(cl.items.length, 8);
    assert.deepEqual(cl.items.slice(0, 7).map((i) => i.text), ['周边围挡', '物料堆放覆盖', '土方开挖湿法作业',
        '出场车辆清洗', '施工现场地面硬化', '渣土车辆密闭运输', '在线视频监控安装']);
    assert.match(cl.items[7].text, /非道路移动机械/);
    const answers = (fail = []) => cl.items.map((i) => ({ code: i.code, pass: !fail.includes(i.code),
        note: fail.includes(i.code) ? `${i.text}未落实` : '' }));
    const bad = [
        [{ site_id: site.id, kind: 'day', results: answers().slice(1) }, 400, 'invalid_field', 'results'],
        [{ site_id: site.id, kind: 'day', results: [...answers().slice(1), { code: 'nope', pass: true }] }, 400, 'invalid_field', 'results'],
        [{ site_id: site.id, kind: 'day', results: answers().map((a) => ({ ...a, pass: 'yes' })) }, 400, 'invalid_field', 'results'],
        [{ site_id: site.id, kind: 'evening', results: answers() }, 400, 'invalid_field', 'kind'],
        [{ site_id: 99999999, kind: 'day', results: answers() }, 422, 'unknown_site', 'site_id'],
        [{ site_id: site.id, kind: 'day', results: answers(), checklist_version: 99999 }, 422, 'unknown_checklist', 'checklist_version'],
    ];
    for (const [b, status, code, field] of bad)
        assertError(await w.member.post('/api/v1/cases/inspections', b), status, code, field);
    assert.equal(assertOk(await admin.get(`/api/v1/cases/inspections?site=${site.id}`)).total, 0);
    // a clean night inspection, then a day one with two failures
    const ok = assertOk(await w.member.post('/api/v1/cases/inspections', { site_id: site.id, kind: 'night', results: answers() }), 201);
    assert.equal(ok.all_passed, true);
    assert.deepEqual(ok.case_ids, []);
    const failed = [cl.items[1].code, cl.items[3].code];
    const insp = assertOk(await w.member.post('/api/v1/cases/inspections', { site_id: site.id, kind: 'day', results: answers(failed), note: '日巡查' }), 201);
    assert.equal(insp.passed, 6);
    assert.equal(insp.failed, 2);
    assert.equal(insp.checklist_version, cl.version || 1);
    assert.equal(insp.case_ids.length, 2);
    for (const id of insp.case_ids) {
        const c = assertOk(await admin.get(`/api/v1/cases/${id}`));
        assert.equal(c.source, 'inspection');
        assert.equal(c.service_code, 'site_rectification');
        assert.equal(c.site_id, site.id);
        assert.equal(c.inspection_id, insp.id);
        assert.equal(c.assignee.id, w.member2.me.id, 'the 网格长 with an account');
        assert.equal(c.state, 'dispatched');
        assert.match(c.description, /8个100%/);
        assert.ok(failed.some((code) => c.description.includes(cl.items.find((i) => i.code === code).text)));
    }
    // the supervisor handles them
    const c1 = assertOk(await w.member2.get(`/api/v1/cases/${insp.case_ids[0]}`));
    assert.ok(c1.actions.some((a) => a.action === 'start'));
    assertOk(await w.member2.post(`/api/v1/cases/${c1.id}/transitions`, { action: 'start', version: c1.version }));
    // the site's record: pass rate this month
    const s = assertOk(await admin.get(`/api/v1/cases/sites/${site.id}`));
    assert.equal(s.inspections, 2);
    assert.equal(s.inspections_passed, 1);
    assert.equal(s.pass_rate, 50);
    const month = s.pass_rates[s.pass_rates.length - 1];
    assert.deepEqual([month.month, month.inspections, month.night, month.all_passed, month.items_checked, month.items_failed],
        [shanghaiDate(0).slice(0, 7), 2, 1, 1, 16, 2]);
    assert.equal(month.item_pass_rate, 87.5);
    assert.equal(s.recent_inspections[0].id, insp.id);
});

test('the checklist is versioned: a new version applies to new inspections, old ones keep theirs', async () => {
    const cur = assertOk(await admin.get('/api/v1/cases/checklist'));
    const items = [...cur.items, { text: '施工扬尘在线监测' }];
    assertError(await w.member.put('/api/v1/cases/checklist', { items, version: cur.version }), 403, 'forbidden');
    assertError(await admin.put('/api/v1/cases/checklist', { items: [], version: cur.version }), 400, 'invalid_field', 'items');
    assertError(await admin.put('/api/v1/cases/checklist', { items: [{ code: 'A!', text: 'x' }], version: cur.version }), 400, 'invalid_field', 'items');
    assertError(await admin.put('/api/v1/cases/checklist', { items, version: cur.version - 1 }), 409, 'stale_version');
    const next = assertOk(await admin.put('/api/v1/cases/checklist', { items, version: cur.version, note: '增加在线监测' }));
    assert.equal(next.version, cur.version + 1);
    assert.equal(next.items.length, 9);
    assert.equal(next.items[8].code, 'item9');
    try {
        const results = next.items.map((i) => ({ code: i.code, pass: true }));
        assertError(await w.member.post('/api/v1/cases/inspections', { site_id: site.id, kind: 'day', results: results.slice(0, 8) }), 400, 'invalid_field', 'results');
        const i9 = assertOk(await w.member.post('/api/v1/cases/inspections', { site_id: site.id, kind: 'day', results }), 201);
        assert.equal(i9.checklist_version, next.version);
        assert.equal(i9.results.length, 9);
        // the earlier inspections still show the eight items they were made with
        const list = assertOk(await admin.get(`/api/v1/cases/inspections?site=${site.id}`));
        const older = list.items.filter((x) => x.id !== i9.id);
        assert.ok(older.length >= 2);
        for (const o of older) {
            assert.equal(o.results.length, 8);
            assert.equal(o.checklist_version, cur.version || 1);
        }
        const hist = assertOk(await admin.get('/api/v1/cases/checklists'));
        assert.equal(hist.current.version, next.version);
        assert.equal(hist.items[0].inspections, 1);
        assert.equal(hist.items[0].note, '增加在线监测');
    } finally {
        // back to the eight items for everyone else
        assertOk(await admin.put('/api/v1/cases/checklist', { items: cur.items, version: next.version, note: '恢复' }));
    }
});

test('the demo\'s three sites: inspected by day and night, with rectification cases', async () => {
    const sites = assertOk(await leader.get(`/api/v1/cases/sites?area=${LONGHAI}`));
    assert.equal(sites.total, 3);
    for (const s of sites.items) {
        assert.ok(s.inspections > 20, `${s.name}: ${s.inspections}`);
        assert.ok(s.pass_rate > 0 && s.pass_rate <= 100);
        const d = assertOk(await leader.get(`/api/v1/cases/sites/${s.id}`));
        assert.ok(d.pass_rates.length >= 3, 'months of a season');
        assert.ok(d.pass_rates.some((m) => m.night > 0), 'night inspections');
        assert.equal(d.pass_rates.reduce((a, m) => a + m.inspections, 0), s.inspections);
    }
    const rect = assertOk(await leader.get('/api/v1/cases?source=inspection&per_page=1'));
    assert.ok(rect.total > 0);
    const versions = assertOk(await leader.get('/api/v1/cases/checklists'));
    assert.ok(versions.items.length >= 2, 'the demo revised the checklist once');
    assert.ok(versions.items.every((v) => v.inspections > 0 || v.version > 2));
});
