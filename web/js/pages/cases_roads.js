// cases_roads.js — 路长制 for staff: the roads on the offline map with their chiefs at three
// levels and the teams with their members (set up by administrators and leaders), and the
// patrol log with each chief's compliance with the frequency of the level.

import {h, append, replace} from '../dom.js';
import {t, pick} from '../i18n.js';
import {get, post, patch, qs, ApiError} from '../api.js';
import {registerPage} from '../router.js';
import {hasRole, cached, forget, areas} from '../session.js';
import {
  field, input, textarea, select, areaOptions, button, submitting, formError, pageHeader, card, notice, loading, empty, table, pager,
  formDialog, fmtTime, today, addDays,
} from '../ui.js';
import {createMap} from '../map.js';
import {drawRoads, rateBar, serviceName, sep, paren} from './cases_i18n.js';

const STAFF = ['admin', 'leader'];
const CITY = ['admin', 'leader', 'road_chief', 'team_member', 'grid_worker'];
const LEVELS = ['general', 'first', 'second'];

const meta = () => cached('/api/v1/cases/meta');
const freshRoads = () => {
  forget('/api/v1/cases/roads');
  forget('/api/v1/cases/teams');
  return cached('/api/v1/cases/roads');
};

/** The area a new road, team or site starts with: the first sub-district (街道/镇) visible. */
export function defaultArea(list) {
  return (list.find((a) => a.level === 4) || list[0] || {}).code || '';
}

/** People who may be linked: accounts granted the area. */
async function peopleOf(area) {
  try {
    return (await get('/api/v1/users/lookup' + qs({area}))).items;
  } catch (err) {
    return [];
  }
}

function chiefCell(chiefs, level) {
  const list = chiefs.filter((c) => c.level === level && c.active);
  if (!list.length) return h('span', {class: 'muted'}, '—');
  return list.map((c, i) => [i ? sep() : '', h('span', {class: 'cm-chief', 'data-chief': c.id, title: c.title},
    c.name, c.user ? h('span', {class: 'cm-linked', title: c.user.name}, ' ●') : null)]);
}

/* ---- dialogs ---- */

function roadDialog(areaList, roads, done) {
  const pts = [];
  let line = null;
  const count = h('span', {class: 'muted'}, t('roads.points', {n: 0}));
  const map = createMap({height: 260, label: t('roads.geometry')});
  drawRoads(map, roads, {labels: false});
  map.fit();
  const redraw = () => {
    if (line) line.remove();
    line = pts.length >= 2 ? map.polyline(pts, {class: 'cm-road-new'}) : null;
    replace(count, t('roads.points', {n: pts.length}));
  };
  map.onPick((lat, lng) => {
    pts.push([lat, lng]);
    redraw();
  });
  formDialog({
    title: t('roads.new'), submitLabel: t('roads.new'),
    build: (form) => append(form, [
      field(t('cases.f.area'), select('area', areaOptions(areaList), {value: defaultArea(areaList)}), {required: true}),
      field(t('roads.name'), input('name', {maxlength: 50}), {required: true}),
      field(t('roads.description'), input('description', {maxlength: 200, placeholder: t('roads.description_ph')})),
      h('div', {class: 'field'}, h('span', {class: 'field-label'}, t('roads.geometry')),
        h('span', {class: 'field-hint'}, t('roads.draw_hint')), map.el,
        h('div', {class: 'cm-draw-tools'}, count,
          button(t('roads.undo'), {class: 'btn-sm', onclick: () => { pts.pop(); redraw(); }}),
          button(t('roads.clear'), {class: 'btn-sm', onclick: () => { pts.length = 0; map.setPick(null); redraw(); }})),
        h('input', {type: 'hidden', name: 'geometry'}))]),
    submit: async (form) => {
      await post('/api/v1/cases/roads', {area: form.elements.area.value, name: form.elements.name.value.trim(),
        description: form.elements.description.value.trim(), geometry: pts.length ? pts : null});
      done(t('roads.created'));
      return true;
    },
  });
}

async function chiefDialog(road, m, done) {
  const people = await peopleOf(road.area);
  formDialog({
    title: `${t('roads.appoint')} · ${road.name}`, submitLabel: t('roads.appoint'),
    build: (form) => append(form, [
      field(t('roads.level'), select('level', m.levels.map((l) => ({value: l.code, label: paren(pick(l), t('freq.' + l.frequency))})), {value: 'second'}), {required: true}),
      field(t('roads.person'), input('name', {maxlength: 50}), {required: true}),
      field(t('roads.job'), input('title', {maxlength: 50})),
      field(t('roads.phone'), input('phone', {type: 'tel', maxlength: 14})),
      field(t('roads.account'), select('user_id', [{value: '', label: t('roads.no_account')}, ...people.map((u) => ({value: String(u.id), label: u.display_name}))])),
      field(t('roads.duties'), h('div', {class: 'check-group', name: 'duties'}, m.chief_duties.map((d) =>
        h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'duty', value: d, checked: true}), ' ', d))), {group: true, required: true}),
      field(t('roads.since'), input('since', {type: 'date', value: today()}))]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value.trim();
      const body = {road_id: road.id, level: v('level'), name: v('name'), title: v('title'),
        duties: [...form.querySelectorAll('input[name="duty"]:checked')].map((x) => x.value), since: v('since')};
      if (v('phone')) body.phone = v('phone');
      if (v('user_id')) body.user_id = Number(v('user_id'));
      await post('/api/v1/cases/chiefs', body);
      done(t('roads.appointed'));
      return true;
    },
  });
}

async function teamDialog(areaList, m, team, done) {
  const people = await peopleOf(team ? team.area : defaultArea(areaList));
  const mine = new Set(team ? team.members.map((x) => x.id) : []);
  formDialog({
    title: team ? `${t('roads.edit_members')} · ${team.name}` : t('roads.team_new'), submitLabel: t('common.save'),
    build: (form) => append(form, [
      team ? null : field(t('cases.f.area'), select('area', areaOptions(areaList), {value: defaultArea(areaList)}), {required: true}),
      team ? null : field(t('roads.team_name'), input('name', {maxlength: 50}), {required: true}),
      team ? null : field(t('roads.team_kind'), select('kind', m.team_kinds.map((k) => ({value: k, label: k}))), {required: true}),
      team ? null : field(t('roads.team_leader'), input('leader_name', {maxlength: 50})),
      field(t('roads.team_members'), h('div', {class: 'check-group check-scroll', name: 'members'}, people.map((u) =>
        h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'member', value: String(u.id), checked: mine.has(u.id)}), ' ', u.display_name))), {group: true})]),
    submit: async (form) => {
      const members = [...form.querySelectorAll('input[name="member"]:checked')].map((x) => Number(x.value));
      if (team) {
        await patch(`/api/v1/cases/teams/${team.id}`, {members, version: team.version});
        done(t('roads.team_saved'));
      } else {
        await post('/api/v1/cases/teams', {area: form.elements.area.value, name: form.elements.name.value.trim(), kind: form.elements.kind.value,
          leader_name: form.elements.leader_name.value.trim(), members});
        done(t('roads.team_created'));
      }
      return true;
    },
  });
}

/* ---- roads and chiefs ---- */

async function renderRoads(ctx) {
  const {el} = ctx;
  ctx.setTitle(t('roads.title'));
  const draw = async (msg) => {
    const [m, roads, teams, areaList] = await Promise.all([meta(), freshRoads(), cached('/api/v1/cases/teams'), areas()]);
    if (!ctx.alive()) return;
    const staff = hasRole(...STAFF);
    const reload = (text) => draw({kind: 'success', text}).catch(() => {});
    const map = createMap({height: 420, label: t('roads.map'), class: 'cm-roads-map'});
    drawRoads(map, roads.items, {onclick: (r) => {
      const row = el.querySelector(`tr[data-road="${r.id}"]`);
      if (row) {
        row.scrollIntoView({block: 'center'});
        row.classList.add('cm-flash');
        setTimeout(() => row.classList.remove('cm-flash'), 1500);
      }
    }});
    map.fit();
    const columns = [
      {label: t('roads.name'), class: 'col-title', cell: (r) => [h('strong', null, r.name), r.active ? null : h('span', {class: 'badge st-cancelled'}, ' ', t('roads.inactive'))]},
      {label: t('roads.description'), cell: (r) => r.description},
      {label: t('roads.length'), class: 'col-num', cell: (r) => (r.length_m ? `${(r.length_m / 1000).toFixed(2)} km` : '')},
      ...LEVELS.map((lv) => ({label: pick(m.levels.find((l) => l.code === lv)), cell: (r) => chiefCell(r.chiefs, lv)})),
      staff ? {label: t('common.actions'), cell: (r) => button(t('roads.appoint'), {class: 'btn-sm', 'data-road': r.id, onclick: () => chiefDialog(r, m, reload)})} : null,
    ].filter(Boolean);
    const teamCols = [
      {label: t('roads.team_name'), cell: (x) => h('strong', null, x.name)},
      {label: t('roads.team_kind'), cell: (x) => x.kind},
      {label: t('roads.team_leader'), cell: (x) => x.leader_name},
      {label: t('roads.team_members'), cell: (x) => x.members.map((u) => u.name).join(sep())},
      staff ? {label: t('common.actions'), cell: (x) => button(t('roads.edit_members'), {class: 'btn-sm', onclick: () => teamDialog(areaList, m, x, reload)})} : null,
    ].filter(Boolean);
    replace(el,
      pageHeader(t('roads.title'),
        staff ? button(t('roads.new'), {kind: 'primary', icon: 'plus', onclick: () => roadDialog(areaList, roads.items, reload)}) : null,
        staff ? button(t('roads.team_new'), {kind: 'secondary', onclick: () => teamDialog(areaList, m, null, reload)}) : null),
      msg ? notice(msg.kind, msg.text) : null,
      h('p', {class: 'lead'}, t('roads.lead')),
      card(t('roads.map'), map.el, h('p', {class: 'muted cm-legend'}, h('span', {class: 'cm-linked'}, '●'), ' ', t('roads.account'))),
      card(t('roads.chiefs'), roads.items.length ? table(columns, roads.items, {class: 'cm-roads-table',
        rowAttrs: (r) => ({'data-road': r.id})}) : empty(t('roads.none'))),
      card(t('roads.teams'), teams.items.length ? table(teamCols, teams.items) : empty()));
  };
  await draw(ctx.flashed);
}

/* ---- patrols ---- */

function toIso(local) {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function localInput(offsetMinutes) {
  const d = new Date(Date.now() + offsetMinutes * 60e3 - new Date().getTimezoneOffset() * 60e3);
  return d.toISOString().slice(0, 16);
}

function patrolForm(roads, m, done) {
  const kind = (v, label, checked) => h('label', {class: 'check'}, h('input', {type: 'radio', name: 'kind', value: v, checked}), ' ', label);
  const form = h('form', {class: 'form-grid cm-patrol-form', novalidate: true},
    formError(),
    field(t('patrols.road'), select('road_id', roads.filter((r) => r.active).map((r) => ({value: String(r.id), label: r.name}))), {required: true}),
    field(t('patrols.kind'), h('div', {class: 'check-group', name: 'kind'}, kind('day', t('patrols.day'), true), kind('night', t('patrols.night'), false)), {group: true}),
    field(t('patrols.start'), input('started_at', {type: 'datetime-local', value: localInput(-60)}), {required: true}),
    field(t('patrols.end'), input('ended_at', {type: 'datetime-local', value: localInput(0)}), {required: true}),
    field(t('patrols.findings'), textarea('findings', {rows: 2}), {wide: true}),
    h('fieldset', {class: 'cm-problem field-wide'}, h('legend', null, t('patrols.problem')),
      field(t('cases.f.service'), select('problem_service', [{value: '', label: '—'}, ...m.services.filter((s) => s.public).map((s) => ({value: s.code, label: serviceName(s)}))])),
      field(t('patrols.problem_desc'), input('problem_desc', {maxlength: 200}))),
    h('div', {class: 'form-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('patrols.new'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitting(form, async () => {
      const v = (n) => form.elements[n].value.trim();
      const body = {road_id: Number(v('road_id')), kind: form.querySelector('input[name="kind"]:checked').value,
        started_at: toIso(v('started_at')), ended_at: toIso(v('ended_at')), findings: form.elements.findings.value};
      if (v('problem_service') || v('problem_desc')) {
        if (!v('problem_service') || !v('problem_desc'))
          throw new ApiError(400, {error: {code: 'required', field: v('problem_service') ? 'problem_desc' : 'problem_service', message: 'a problem needs a category and a description', message_zh: '发现问题须填写类别和描述'}});
        body.problems = [{service_code: v('problem_service'), description: v('problem_desc')}];
      }
      const p = await post('/api/v1/cases/patrols', body);
      done(p.case_ids.length ? t('patrols.logged_cases', {ids: p.case_ids.map((id) => '#' + id).join(sep())}) : t('patrols.logged'));
    });
  });
  return form;
}

async function renderPatrols(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('patrols.title'));
  const draw = async (msg) => {
    const from = query.get('from') || addDays(today(), -29);
    const to = query.get('to') || today();
    const page = Math.max(1, Number(query.get('page')) || 1);
    const [m, roads, comp, log] = await Promise.all([meta(), cached('/api/v1/cases/roads'),
      get('/api/v1/cases/patrols/compliance' + qs({from, to})), get('/api/v1/cases/patrols' + qs({page, per_page: 20}))]);
    if (!ctx.alive()) return;
    const range = h('form', {class: 'filters cm-range', novalidate: true},
      field(t('patrols.from'), input('from', {type: 'date', value: from})),
      field(t('patrols.to'), input('to', {type: 'date', value: to})),
      h('div', {class: 'filter-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('common.search'))));
    range.addEventListener('submit', (ev) => {
      ev.preventDefault();
      ctx.go('/cases/patrols', {from: range.elements.from.value, to: range.elements.to.value});
    });
    const compCols = [
      {label: t('patrols.col_road'), cell: (r) => r.road_name},
      {label: t('patrols.col_level'), cell: (r) => r.level_zh},
      {label: t('patrols.col_chief'), cell: (r) => r.name},
      {label: t('patrols.col_freq'), cell: (r) => t('freq.' + r.frequency)},
      {label: t('patrols.col_required'), class: 'col-num', cell: (r) => String(r.required)},
      {label: t('patrols.col_done'), class: 'col-num', cell: (r) => String(r.done)},
      {label: t('patrols.col_missed'), class: 'col-num', cell: (r) => (r.missed ? h('span', {class: 'cm-bad', title: r.missed_periods.join(' ')}, String(r.missed)) : '0')},
      {label: t('patrols.col_rate'), cell: (r) => rateBar(r.rate)},
    ];
    const logCols = [
      {label: t('patrols.col_when'), class: 'col-date', cell: (p) => fmtTime(p.started_at)},
      {label: t('patrols.col_road'), cell: (p) => p.road.name},
      {label: t('patrols.kind'), cell: (p) => h('span', {class: ['badge', p.kind === 'night' ? 'cm-night' : 'cm-day']}, t('patrols.' + p.kind))},
      {label: t('patrols.col_who'), cell: (p) => [p.patroller, p.chief ? h('span', {class: 'muted'}, ` (${p.chief.name} · ${p.chief.level_zh})`) : null]},
      {label: t('patrols.col_minutes'), class: 'col-num', cell: (p) => t('patrols.minutes', {n: p.minutes})},
      {label: t('patrols.col_distance'), class: 'col-num', cell: (p) => (p.distance_m ? `${p.distance_m} m` : '')},
      {label: t('patrols.findings'), class: 'col-text', cell: (p) => [p.findings, p.case_ids.length ? [' ', p.case_ids.map((id) => h('a', {href: `#/cases/${id}`}, ` #${id}`))] : null]},
    ];
    const mayLog = hasRole(...CITY);
    replace(el,
      pageHeader(t('patrols.title')),
      msg ? notice(msg.kind, msg.text) : null,
      h('p', {class: 'lead'}, t('patrols.lead')),
      card(t('patrols.compliance'), range,
        h('p', {class: 'muted'}, t('patrols.range', {from: comp.from, to: comp.to}), ' · ', t('patrols.total'), ' ',
          `${comp.done} / ${comp.required - comp.open}`, ' ', rateBar(comp.rate)),
        comp.chiefs.length ? table(compCols, comp.chiefs, {class: 'cm-compliance'}) : empty()),
      mayLog ? card(t('patrols.new'), patrolForm(roads.items, m, (text) => draw({kind: 'success', text}).catch(() => {}))) : null,
      card(t('patrols.log'), log.items.length ? table(logCols, log.items, {class: 'cm-patrols'}) : empty(t('patrols.none')),
        log.total > log.per_page ? pager(log.total, log.page, log.per_page, (p) => ctx.go('/cases/patrols', {...Object.fromEntries(query), page: p})) : null));
  };
  await draw(ctx.flashed);
}

registerPage({path: '/cases/roads', title: 'roads.title', render: renderRoads,
  nav: {label: 'nav.cases_roads', icon: 'area', roles: CITY, order: 32}});
registerPage({path: '/cases/patrols', title: 'patrols.title', render: renderPatrols,
  nav: {label: 'nav.cases_patrols', icon: 'duty', roles: CITY, order: 34}});

