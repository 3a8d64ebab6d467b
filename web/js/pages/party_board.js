// party_board.js — the incubation board (units without their own organization: members now
// against the three needed, path, instructor, next step), the warnings (each with its rule and
// source) and the 版图: the sub-district drawn from its stored boundaries with every unit
// coloured by how it is covered.

import {h, s, append, replace} from '../dom.js';
import {t, pick} from '../i18n.js';
import {get, qs} from '../api.js';
import {registerPage} from '../router.js';
import {areas, hasRole} from '../session.js';
import {field, select, areaOptions, pageHeader, card, loading, empty, table, pager} from '../ui.js';
import {createMap} from '../map.js';
import {PARTY_ROLES, meta, tabs, coverageBadge} from './party_common.js';
import {planDialog} from './party_units.js';

/* ---- incubation ---- */

async function renderBoard(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.board.title'));
  const [m, areaList] = await Promise.all([meta(), areas()]);
  if (!ctx.alive()) return;
  append(el, [tabs('board'), pageHeader(t('party.board.title')), h('p', {class: 'lead'}, t('party.board.lead', {n: m.org_rules.branch_min_formal}))]);
  const body = h('div', null, loading());
  el.appendChild(body);
  const page = Math.max(1, Number(query.get('page')) || 1);
  const area = query.get('area') || '';
  const list = await get('/api/v1/party/incubation' + qs({area, page, per_page: 50}));
  if (!ctx.alive()) return;
  const reload = (msg) => {
    if (msg) ctx.flash(msg.kind, msg.text);
    ctx.refresh();
  };
  const bar = (r) => {
    const n = r.members.formal, need = r.needed;
    const pct = Math.min(100, Math.round((n * 100) / need));
    return h('div', {class: 'party-progress', role: 'meter', 'aria-valuenow': String(n), 'aria-valuemin': '0', 'aria-valuemax': String(need),
      'aria-label': `${t('party.board.now')} ${n}/${need}`},
    s('svg', {viewBox: '0 0 100 10', class: 'party-progress-bar', preserveAspectRatio: 'none', 'aria-hidden': 'true'},
      s('rect', {x: 0, y: 0, width: 100, height: 10, class: 'party-progress-bg'}),
      s('rect', {x: 0, y: 0, width: pct, height: 10, class: r.ready ? 'party-progress-ready' : 'party-progress-fill'})),
    h('span', {class: 'party-progress-text'}, `${n} / ${need}`));
  };
  const form = h('form', {class: 'filters', role: 'search'},
    field(t('party.unit.area'), select('area', areaOptions(areaList, t('common.all')), {value: area, onchange: (ev) => ctx.go('/party/incubation', {area: ev.target.value})})));
  const cols = [
    {label: t('party.unit.name'), class: 'col-title', cell: (r) => h('a', {href: `#/party/units/${r.id}`}, r.name)},
    {label: t('party.unit.category'), cell: (r) => r.category},
    {label: t('party.unit.coverage'), cell: (r) => coverageBadge(r.coverage)},
    {label: t('party.board.now'), cell: bar},
    {label: t('party.board.path'), cell: (r) => (r.incubation ? pick(r.incubation, 'path') : h('span', {class: 'muted'}, t('party.board.no_plan')))},
    {label: t('party.board.instructor'), cell: (r) => (r.incubation && r.incubation.instructor ? r.incubation.instructor.name : '')},
    {label: t('party.board.next_step'), class: 'col-text', cell: (r) => (r.incubation ? r.incubation.next_step : '')},
    {label: t('party.board.target'), class: 'col-date', cell: (r) => (r.incubation && r.incubation.target_date) || ''},
    {label: '', cell: (r) => (hasRole(...PARTY_ROLES) ? h('button', {type: 'button', class: 'btn btn-sm', onclick: () => planDialog(ctx, r, m, reload)}, t('party.board.plan_btn')) : null)},
  ];
  replace(body, card(null, form,
    h('p', {class: 'result-count'}, t('party.unit.count', {n: list.total})),
    list.items.length ? table(cols, list.items, {class: 'party-board', caption: t('party.board.title'), rowAttrs: (r) => ({'data-unit': r.id, class: r.ready ? 'party-ready' : null})}) : empty(),
    list.total > list.per_page ? pager(list.total, list.page, list.per_page, (p) => ctx.go('/party/incubation', {area, page: p})) : null));
}

/* ---- warnings ---- */

async function renderWarnings(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.warn.title'));
  const areaList = await areas();
  if (!ctx.alive()) return;
  append(el, [tabs('warnings'), pageHeader(t('party.warn.title')), h('p', {class: 'lead'}, t('party.warn.lead'))]);
  const body = h('div', null, loading());
  el.appendChild(body);
  const area = query.get('area') || '';
  const rule = query.get('rule') || '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  const w = await get('/api/v1/party/warnings' + qs({area, rule, page, per_page: 100}));
  if (!ctx.alive()) return;
  const go = (p) => ctx.go('/party/warnings', {area, rule, ...p});
  const chips = h('div', {class: 'party-chips', role: 'group', 'aria-label': t('party.warn.rule')},
    h('a', {class: ['party-chip', !rule && 'active'], href: '#/party/warnings' + qs({area})}, t('party.warn.all'), ` (${Object.values(w.counts).reduce((a, b) => a + b, 0)})`),
    w.rules.map((r) => h('a', {class: ['party-chip', rule === r.code && 'active', w.counts[r.code] && 'party-chip-hot'], href: '#/party/warnings' + qs({area, rule: r.code}), 'data-rule': r.code},
      pick(r), ` (${w.counts[r.code]})`)));
  const href = (i) => (i.entity === 'unit' ? `#/party/units/${i.id}` : i.entity === 'org' ? `#/party/orgs/${i.id}` : `#/party/members/${i.id}`);
  const cols = [
    {label: t('party.warn.rule'), cell: (i) => pick(i, 'rule')},
    {label: t('party.warn.object'), class: 'col-title', cell: (i) => h('span', null, h('span', {class: 'muted'}, t('party.warn.entity.' + i.entity), ' '), h('a', {href: href(i)}, i.name))},
    {label: t('party.unit.area'), cell: (i) => i.area_name},
    {label: t('party.warn.detail'), class: 'col-text', cell: (i) => pick(i, 'detail')},
    {label: t('party.warn.source'), class: 'col-text', cell: (i) => h('span', {class: 'party-source'}, i.source)},
  ];
  const form = h('form', {class: 'filters', role: 'search'},
    field(t('party.unit.area'), select('area', areaOptions(areaList, t('common.all')), {value: area, onchange: (ev) => go({area: ev.target.value, page: 1})})));
  replace(body, card(null, form, chips,
    h('div', {class: 'party-list-head'}, h('p', {class: 'result-count', role: 'status'}, String(w.total)),
      h('a', {class: 'btn btn-sm', href: '/api/v1/party/warnings/export' + qs({area, rule}), download: ''}, t('party.export'))),
    w.items.length ? table(cols, w.items, {class: 'party-warnings', caption: t('party.warn.title'), rowAttrs: (i) => ({'data-rule': i.rule})}) : empty(t('party.warn.none')),
    w.total > w.per_page ? pager(w.total, w.page, w.per_page, (p) => go({page: p})) : null));
}

/* ---- the map ---- */

const COVS = ['own', 'joint', 'pending', 'none'];

async function renderMap(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.map.title'));
  const [m, areaList] = await Promise.all([meta(), areas()]);
  if (!ctx.alive()) return;
  const streets = areaList.filter((a) => a.level === 4);
  const area = query.get('area') || (streets[0] || {}).code || '';
  const category = query.get('category') || '';
  const data = await get('/api/v1/party/map' + qs({area, category}));
  if (!ctx.alive()) return;
  const form = h('form', {class: 'filters', role: 'search'},
    field(t('party.dash.area'), select('area', areaOptions(areaList.filter((a) => a.level <= 5)), {value: area, onchange: (ev) => ctx.go('/party/map', {area: ev.target.value, category})})),
    field(t('party.map.category'), select('category', [{value: '', label: t('common.all')}, ...m.categories.map((c) => ({value: c, label: c}))],
      {value: category, onchange: (ev) => ctx.go('/party/map', {area, category: ev.target.value})})));
  const phone = window.matchMedia('(max-width: 760px)').matches;
  const map = createMap({height: phone ? 720 : 460, label: t('party.map.title'), class: 'party-map'});
  const info = h('div', {class: 'party-map-info', 'aria-live': 'polite'}, h('p', {class: 'muted'}, t('party.map.shown', {n: data.units.length})));
  for (const a of data.areas) {
    if (!a.geometry || a.geometry.type !== 'Polygon') continue;
    map.polygon(a.geometry.coordinates[0].map(([lng, lat]) => [lat, lng]), {class: 'party-area-l' + a.level, title: a.name});
  }
  for (const a of data.areas) if (a.level === 5 && a.lat !== null) map.text(a.lat, a.lng, a.name, {class: phone ? 'party-map-label party-map-label-lg' : 'party-map-label'});
  for (const u of data.units) {
    const pt = map.point(u.lat, u.lng, {
      class: ['party-pt', 'party-pt-' + u.coverage, u.demo_point && 'party-pt-demo'].filter(Boolean).join(' '),
      r: (u.demo_point ? 9 : 6) * (phone ? 2 : 1),
      title: `${u.name} · ${t('party.coverage.' + u.coverage)}`,
      onclick: () => replace(info, card(null,
        h('h3', {class: 'party-sub'}, h('a', {href: `#/party/units/${u.id}`}, u.name)),
        h('p', null, coverageBadge(u.coverage), ' ', h('span', {class: 'badge badge-kind'}, u.category),
          u.demo_point ? [' ', h('span', {class: 'badge party-demo-badge'}, t('party.map.demo'))] : null),
        u.org_name ? h('p', null, t('party.unit.org'), ': ', u.org_name) : null,
        h('p', null, t('party.unit.members'), ': ', `${u.formal} / ${u.probationary}`))),
    });
    pt.setAttribute('data-unit', String(u.id));
    pt.setAttribute('data-coverage', u.coverage);
  }
  const street = data.areas.find((a) => a.code === area);
  if (street && street.geometry) map.fit();
  else map.fit();
  const legendEl = h('ul', {class: 'party-legend party-map-legend', 'aria-label': t('party.map.legend')},
    COVS.map((c) => h('li', null, h('span', {class: 'party-swatch party-pt-' + c, 'aria-hidden': 'true'}), t('party.coverage.' + c),
      ` (${data.units.filter((u) => u.coverage === c).length})`)),
    h('li', null, h('span', {class: 'party-swatch party-swatch-demo', 'aria-hidden': 'true'}), t('party.map.demo')));
  append(el, [tabs('map'), pageHeader(t('party.map.title')), h('p', {class: 'lead'}, t('party.map.lead')),
    card(null, form, h('div', {class: 'party-map-wrap'}, map.el, h('div', {class: 'party-map-side'}, legendEl, info)),
      data.without_position ? h('p', {class: 'muted'}, t('party.map.without_pos', {n: data.without_position})) : null)]);
}

registerPage({path: '/party/incubation', title: 'party.board.title', roles: PARTY_ROLES, render: renderBoard});
registerPage({path: '/party/warnings', title: 'party.warn.title', roles: PARTY_ROLES, render: renderWarnings});
registerPage({path: '/party/map', title: 'party.map.title', roles: PARTY_ROLES, render: renderMap});

