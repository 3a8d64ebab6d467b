// party_units.js — 两新组织: the list with filters, the import (the file checked row by row first,
// imported whole or not at all), export, the detail (organization, members, incubation plan,
// stations and visits) and the form.

import {h, append, replace} from '../dom.js';
import {t, pick} from '../i18n.js';
import {api, get, post, patch, qs, ApiError} from '../api.js';
import {registerPage} from '../router.js';
import {areas, flash, hasRole} from '../session.js';
import {
  field, input, textarea, select, areaOptions, formError, submitting, button, linkButton, pageHeader, card,
  notice, loading, empty, table, pager, formDialog, today,
} from '../ui.js';
import {createMap} from '../map.js';
import {
  PARTY_ROLES, STAFF, isStaff, meta, tabs, coverageBadge, statusBadge, historyCard,
} from './party_common.js';

const PER_PAGE = 20;
const COVERAGES = ['own', 'joint', 'pending', 'none', 'covered'];

/* ---- list ---- */

function filterForm(query, m, areaList, go) {
  const q = (k) => query.get(k) || '';
  const form = h('form', {class: 'filters', role: 'search', novalidate: true},
    field(t('party.unit.area'), select('area', areaOptions(areaList, t('common.all')), {value: q('area')})),
    field(t('party.unit.category'), select('category', [{value: '', label: t('common.all')}, ...m.categories.map((c) => ({value: c, label: c}))], {value: q('category')})),
    field(t('party.filter.coverage'), select('coverage', [{value: '', label: t('common.all')},
      ...COVERAGES.map((c) => ({value: c, label: c === 'covered' ? t('party.dash.covered') : t('party.coverage.' + c)}))], {value: q('coverage')})),
    field(t('party.filter.status'), select('status', [{value: '', label: t('common.all')}, ...m.unit_statuses.map((s) => ({value: s.code, label: pick(s)}))], {value: q('status')})),
    field(t('party.filter.q'), input('q', {type: 'search', value: q('q'), placeholder: t('party.filter.q_ph')})),
    h('div', {class: 'filter-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('common.search')),
      linkButton(t('common.reset'), '#/party/units')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    go(Object.fromEntries(fd.entries()));
  });
  return form;
}

/** Uploads a file as the raw request body (the API's import takes the bytes as they are). */
async function uploadFile(file, dryRun) {
  const res = await fetch('/api/v1/party/units/import' + (dryRun ? '?dry_run=1' : ''), {
    method: 'POST', credentials: 'same-origin', cache: 'no-store',
    headers: {'Content-Type': 'application/octet-stream', Accept: 'application/json'},
    body: await file.arrayBuffer(),
  });
  let data = null;
  try {
    data = await res.json();
  } catch (err) {
    data = null;
  }
  if (!res.ok) {
    const e = new ApiError(res.status, data);
    e.report = data && data.error ? data.error.report : null;
    throw e;
  }
  return data;
}

function reportTable(list, kind) {
  return table([
    {label: t('party.import.row'), class: 'col-num', cell: (r) => String(r.row)},
    {label: t('party.import.column'), cell: (r) => (r.column ? `${r.column} ${r.header || ''}` : r.header || '')},
    {label: t('party.import.value'), cell: (r) => r.value || ''},
    {label: t('party.import.problem'), class: 'col-text', cell: (r) => pick({zh: r.problem_zh, en: r.problem})},
  ], list, {class: 'party-report party-report-' + kind, caption: t('party.import.' + kind),
    rowAttrs: (r) => ({'data-row': r.row, 'data-field': r.field || ''})});
}

function showReport(box, rep, refusedText) {
  const parts = [];
  if (refusedText) parts.push(notice('error', refusedText));
  parts.push(h('p', {class: 'party-report-sum', 'data-test': 'import-summary'},
    rep.error_count ? t('party.import.report', rep) : t('party.import.ok', rep)));
  if (rep.errors.length) parts.push(h('h3', {class: 'party-sub'}, t('party.import.errors'), ` (${rep.error_count})`), reportTable(rep.errors, 'errors'));
  if (rep.warnings.length) parts.push(h('h3', {class: 'party-sub'}, t('party.import.warnings'), ` (${rep.warning_count})`), reportTable(rep.warnings, 'warnings'));
  replace(box, ...parts);
}

function importDialog(ctx) {
  const box = h('div', {class: 'party-report-box', 'aria-live': 'polite'});
  const file = h('input', {type: 'file', name: 'file', accept: '.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'});
  file.addEventListener('change', () => replace(box));
  let dlg = null;
  /* the import button appears in the report only when every row passed the check */
  const runButton = (checked) => button(t('party.import.run'), {kind: 'primary', 'data-test': 'import-run', onclick: async (ev) => {
    ev.currentTarget.disabled = true;
    try {
      const rep = await uploadFile(checked, false);
      dlg.close();
      flash('success', t('party.import.done', {n: rep.created}));
      ctx.refresh();
    } catch (err) {
      if (err.report) showReport(box, err.report, t('party.import.refused'));
      else replace(box, notice('error', pick({zh: err.message_zh, en: err.message_en})));
    }
  }});
  dlg = formDialog({
    title: t('party.import.title'),
    submitLabel: t('party.import.check'),
    build: (form) => {
      append(form, [h('p', {class: 'dialog-text'}, t('party.import.lead')),
        field(t('party.import.file'), file, {required: true}),
        h('p', null, h('a', {href: '/api/v1/party/units/import/template', download: ''}, t('party.import.template'))),
        box]);
    },
    submit: async () => {
      const f = file.files[0];
      if (!f) throw new ApiError(400, {error: {code: 'required', field: 'file', message: 'choose a file', message_zh: '请选择文件'}});
      const rep = await uploadFile(f, true);
      showReport(box, rep);
      if (!rep.error_count) box.appendChild(h('div', {class: 'party-import-go'}, runButton(f)));
      return false; // the dialog stays open to show the report
    },
  });
  dlg.classList.add('party-dialog-wide');
}

async function renderList(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.tab.units'));
  const staff = isStaff();
  append(el, [tabs('units'), pageHeader(t('party.tab.units'),
    staff ? button(t('party.import'), {kind: 'secondary', 'data-test': 'import-open', onclick: () => importDialog(ctx)}) : null,
    staff ? linkButton(t('party.unit.new'), '#/party/units/new', {kind: 'primary', icon: 'plus'}) : null)]);
  const body = h('div', null, loading());
  el.appendChild(body);
  const page = Math.max(1, Number(query.get('page')) || 1);
  const params = {};
  for (const k of ['area', 'category', 'coverage', 'status', 'q', 'kind', 'org']) if (query.get(k)) params[k] = query.get(k);
  const [m, areaList, list] = await Promise.all([meta(), areas(),
    get('/api/v1/party/units' + qs({...params, page, per_page: PER_PAGE}))]);
  if (!ctx.alive()) return;
  const go = (p) => ctx.go('/party/units', p);
  const cols = [
    {label: t('party.unit.name'), class: 'col-title', cell: (r) => h('a', {href: `#/party/units/${r.id}`, class: 'task-link'}, r.name)},
    {label: t('party.unit.category'), cell: (r) => r.category},
    {label: t('party.unit.area'), cell: (r) => r.area_name},
    {label: t('party.unit.org'), cell: (r) => (r.org ? h('a', {href: `#/party/orgs/${r.org.id}`}, r.org.name) : '')},
    {label: t('party.unit.coverage'), cell: (r) => coverageBadge(r.coverage)},
    {label: t('party.unit.members_fp'), class: 'col-num', cell: (r) => `${r.members.formal}/${r.members.probationary}`},
    {label: t('party.unit.status'), cell: (r) => r.status_zh && pick(r, 'status')},
  ];
  const exportHref = '/api/v1/party/units/export' + qs(params);
  replace(body, card(null,
    h('details', {class: 'filter-box', open: true}, h('summary', null, t('ledger.filters')), filterForm(query, m, areaList, (f) => go({...f, page: 1}))),
    h('div', {class: 'party-list-head'},
      h('p', {class: 'result-count', role: 'status'}, t('party.unit.count', {n: list.total})),
      h('a', {class: 'btn btn-sm', href: exportHref, download: ''}, t('party.export'))),
    list.items.length ? table(cols, list.items, {class: 'party-units', caption: t('party.tab.units'), rowAttrs: (r) => ({'data-unit': r.id})})
      : empty(t('party.unit.none')),
    list.total > list.per_page ? pager(list.total, list.page, list.per_page, (p) => go({...Object.fromEntries(query), page: p})) : null));
}

/* ---- form ---- */

async function unitForm(ctx, unit) {
  const [m, areaList] = await Promise.all([meta(), areas()]);
  if (!ctx.alive()) return;
  const own = areaList.filter((a) => a.level >= 4);
  const f = {
    name: input('name', {value: unit ? unit.name : '', maxlength: 100}),
    credit_code: input('credit_code', {value: unit ? unit.credit_code : '', maxlength: 18, autocapitalize: 'characters'}),
    kind: select('kind', m.unit_kinds.map((k) => ({value: k.code, label: pick(k)})), {value: unit ? unit.kind : 'economic'}),
    category: select('category', [{value: '', label: t('common.choose')}, ...m.categories.map((c) => ({value: c, label: c}))], {value: unit ? unit.category : ''}),
    area: select('area', areaOptions(own, t('common.choose')), {value: unit ? unit.area : ''}),
    address: input('address', {value: unit ? unit.address : '', maxlength: 200}),
    lat: input('lat', {value: unit && unit.lat !== null ? String(unit.lat) : '', inputmode: 'decimal'}),
    lng: input('lng', {value: unit && unit.lng !== null ? String(unit.lng) : '', inputmode: 'decimal'}),
    employees: input('employees', {type: 'number', min: 0, value: unit ? String(unit.employees) : '0'}),
    status: select('status', m.unit_statuses.map((s) => ({value: s.code, label: pick(s)})), {value: unit ? unit.status : 'operating'}),
    contact_name: input('contact_name', {value: unit ? unit.contact_name : '', maxlength: 40}),
    contact_phone: input('contact_phone', {type: 'tel', value: unit && unit.contact_phone && !unit.contact_phone.includes('*') ? unit.contact_phone : ''}),
  };
  const map = createMap({height: 260, label: t('party.unit.pick')});
  const mapData = await get('/api/v1/party/map');
  if (!ctx.alive()) return;
  for (const a of mapData.areas) if (a.geometry && a.geometry.type === 'Polygon') map.polygon(a.geometry.coordinates[0].map(([x, y]) => [y, x]), {class: 'party-area-l' + a.level, title: a.name});
  map.fit();
  if (unit && unit.lat !== null) map.setPick(unit.lat, unit.lng);
  map.onPick((lat, lng) => {
    f.lat.value = String(lat);
    f.lng.value = String(lng);
  });
  const form = h('form', {class: 'form-grid', novalidate: true}, formError(),
    field(t('party.unit.name'), f.name, {required: true, wide: true}),
    field(t('party.unit.credit_code'), f.credit_code, {required: true}),
    field(t('party.unit.kind'), f.kind, {required: true}),
    field(t('party.unit.category'), f.category, {required: true}),
    field(t('party.unit.area'), f.area, {required: true}),
    field(t('party.unit.address'), f.address, {wide: true}),
    field(t('party.unit.lat'), f.lat),
    field(t('party.unit.lng'), f.lng),
    h('div', {class: 'field field-wide'}, h('span', {class: 'field-label'}, t('party.unit.pick')), map.el),
    field(t('party.unit.employees'), f.employees),
    field(t('party.unit.status'), f.status),
    field(t('party.unit.contact_name'), f.contact_name),
    field(t('party.unit.contact_phone'), f.contact_phone),
    h('div', {class: 'form-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, unit ? t('common.save') : t('party.unit.new')),
      linkButton(t('common.cancel'), unit ? `#/party/units/${unit.id}` : '#/party/units')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitting(form, async () => {
      const num = (x) => (x.value.trim() === '' ? null : Number(x.value));
      const body = {
        name: f.name.value.trim(), credit_code: f.credit_code.value.trim().toUpperCase(), kind: f.kind.value,
        category: f.category.value, area: f.area.value, address: f.address.value.trim(), lat: num(f.lat), lng: num(f.lng),
        employees: Number(f.employees.value || 0), status: f.status.value, contact_name: f.contact_name.value.trim(),
        contact_phone: f.contact_phone.value.trim() || null,
      };
      if (unit && body.contact_phone === null && unit.contact_phone && unit.contact_phone.includes('*')) delete body.contact_phone;
      if (!unit) {
        const made = await post('/api/v1/party/units', body);
        flash(made.credit_code_warning ? 'warning' : 'success', made.credit_code_warning ? t('party.unit.code_warning') : t('party.unit.created'));
        ctx.go(`/party/units/${made.id}`);
        return;
      }
      await patch(`/api/v1/party/units/${unit.id}`, {...body, version: unit.version});
      flash('success', t('common.saved'));
      ctx.go(`/party/units/${unit.id}`);
    });
  });
  append(ctx.el, [card(null, form)]);
}

/* ---- detail ---- */

export async function planDialog(ctx, unit, m, reload) {
  const p = unit.incubation;
  const users = await get('/api/v1/party/instructors' + qs({area: unit.area})).catch(() => ({items: []}));
  formDialog({
    title: t('party.board.set_plan'),
    build: (form) => {
      const instr = select('instructor_id', [{value: '', label: '—'}, ...users.items.map((u) => ({value: String(u.id), label: u.name}))],
        {value: p && p.instructor ? String(p.instructor.id) : ''});
      append(form, [
        field(t('party.board.path'), select('path', m.paths.map((x) => ({value: x.code, label: pick(x)})), {value: p ? p.path : 'train'}), {required: true}),
        field(t('party.board.instructor'), instr),
        field(t('party.board.next_step'), textarea('next_step', {rows: 2, value: p ? p.next_step : ''})),
        field(t('party.board.target'), input('target_date', {type: 'date', value: p && p.target_date ? p.target_date : ''})),
        field(t('party.board.note'), textarea('note', {rows: 2}))]);
    },
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      const body = {version: p ? p.version : 0, path: v('path'), next_step: v('next_step'),
        instructor_id: v('instructor_id') ? Number(v('instructor_id')) : null, target_date: v('target_date') || null};
      if (v('note').trim()) body.note = v('note').trim();
      await api('PUT', `/api/v1/party/units/${unit.id}/incubation`, body);
      reload({kind: 'success', text: t('party.board.saved')});
      return true;
    },
  });
}

function visitDialog(unit, reload) {
  formDialog({
    title: t('party.ins.log_visit'),
    build: (form) => append(form, [
      field(t('party.ins.kind'), select('kind', [{value: 'visit', label: t('party.ins.kind.visit')}, {value: 'advice', label: t('party.ins.kind.advice')}]), {required: true}),
      field(t('party.member.date'), input('date', {type: 'date', value: today(), max: today()}), {required: true}),
      field(t('party.ins.summary'), textarea('summary', {rows: 3}), {required: true}),
      field(t('party.ins.advice'), textarea('advice', {rows: 2})),
      field(t('party.ins.outcome'), textarea('outcome', {rows: 2}))]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      await post('/api/v1/party/visits', {unit_id: unit.id, kind: v('kind'), date: v('date'), summary: v('summary'), advice: v('advice'), outcome: v('outcome')});
      reload({kind: 'success', text: t('party.ins.saved')});
      return true;
    },
  });
}

function dl(rows) {
  return h('dl', {class: 'details'}, rows.filter(Boolean).map(([k, v]) => [h('dt', null, k),
    h('dd', null, v === null || v === undefined || v === '' ? h('span', {class: 'muted'}, '—') : v)]));
}

async function renderDetail(ctx) {
  const {el, params} = ctx;
  const draw = async (msg) => {
    const [u, m] = await Promise.all([get(`/api/v1/party/units/${encodeURIComponent(params.id)}`), meta()]);
    const people = await get('/api/v1/party/members' + qs({unit: u.id, per_page: 100}));
    if (!ctx.alive()) return;
    ctx.setTitle(u.name);
    const reload = (mm) => draw(mm).catch((err) => replace(el, notice('error', err.message)));
    const plan = u.incubation;
    const canPlan = u.coverage !== 'own' && u.status === 'operating' && hasRole(...PARTY_ROLES);
    replace(el,
      tabs('units'),
      h('p', {class: 'crumbs'}, h('a', {href: '#/party/units'}, t('party.tab.units')), ' / ', u.name),
      msg ? notice(msg.kind, msg.text) : null,
      u.credit_code_warning ? notice('warning', t('party.unit.code_warning')) : null,
      h('div', {class: 'page-head'},
        h('div', {class: 'title-block'}, h('h1', {tabindex: '-1'}, u.name),
          h('div', {class: 'title-meta'}, coverageBadge(u.coverage), h('span', {class: 'badge badge-kind'}, u.category),
            u.demo_point ? h('span', {class: 'badge party-demo-badge'}, t('party.unit.demo_point', {c: u.demo_point})) : null)),
        u.can_edit ? linkButton(t('common.edit'), `#/party/units/${u.id}/edit`, {kind: 'secondary'}) : null),
      h('div', {class: 'detail-grid'},
        card(t('party.info'), dl([
          [t('party.unit.credit_code'), u.credit_code],
          [t('party.unit.registrar'), u.credit_code_registrar ? `${pick(u.credit_code_registrar)} ${pick({zh: u.credit_code_registrar.class_zh, en: u.credit_code_registrar.class_en})}` : ''],
          [t('party.unit.kind'), pick(u, 'kind')],
          [t('party.unit.area'), u.area_name],
          [t('party.unit.address'), u.address],
          [t('party.unit.employees'), String(u.employees)],
          [t('party.unit.status'), pick(u, 'status')],
          [t('party.unit.contact_name'), u.contact_name],
          [t('party.unit.contact_phone'), u.contact_phone],
          [t('party.unit.org'), u.org ? h('span', null, h('a', {href: `#/party/orgs/${u.org.id}`}, u.org.name), ' ', statusBadge(u.org, 'status', m.org_workflow.states)) : ''],
          [t('party.unit.members'), t('party.unit.members_n', {f: u.members.formal, p: u.members.probationary, x: u.members.pipeline})],
        ])),
        card(t('party.board.plan'),
          plan ? dl([
            [t('party.board.path'), pick(plan, 'path')],
            [t('party.board.instructor'), plan.instructor ? plan.instructor.name : ''],
            [t('party.board.next_step'), plan.next_step],
            [t('party.board.target'), plan.target_date],
          ]) : h('p', {class: 'muted'}, t('party.board.no_plan')),
          canPlan ? button(t('party.board.set_plan'), {kind: 'secondary', 'data-test': 'plan-open', onclick: () => planDialog(ctx, u, m, reload)}) : null,
          null)),
      plan ? historyCard('party_incubation', u.id, t('party.board.history')) : null,
      card(t('party.unit.people'), people.items.length ? table([
        {label: t('party.member.name'), cell: (r) => h('a', {href: `#/party/members/${r.id}`}, r.name)},
        {label: t('party.member.stage'), cell: (r) => pick(r, 'stage')},
        {label: t('party.member.org'), cell: (r) => (r.org ? r.org.name : '')},
      ], people.items, {caption: t('party.unit.people')}) : empty(t('party.member.none'))),
      card(t('party.unit.stations'), u.stations.length ? table([
        {label: t('party.ins.instructor'), cell: (r) => r.instructor.name},
        {label: t('party.ins.goal'), class: 'col-text', cell: (r) => r.goal},
        {label: t('party.ins.since'), class: 'col-date', cell: (r) => r.since},
        {label: t('party.ins.until'), class: 'col-date', cell: (r) => r.until || ''},
      ], u.stations) : empty()),
      card(t('party.unit.visits'),
        hasRole(...PARTY_ROLES) ? button(t('party.ins.log_visit'), {kind: 'secondary', onclick: () => visitDialog(u, reload)}) : null,
        u.visits.length ? table([
          {label: t('party.member.date'), class: 'col-date', cell: (r) => r.date},
          {label: t('party.ins.kind'), cell: (r) => t('party.ins.kind.' + r.kind)},
          {label: t('party.ins.summary'), class: 'col-text', cell: (r) => r.summary},
          {label: t('party.ins.advice'), cell: (r) => r.advice},
          {label: t('party.ins.outcome'), cell: (r) => r.outcome},
          {label: t('party.ins.instructor'), cell: (r) => (r.instructor ? r.instructor.name : '')},
        ], u.visits) : empty()),
      historyCard('party_unit', u.id));
  };
  await draw(ctx.flashed);
}

async function renderNew(ctx) {
  ctx.setTitle(t('party.unit.new'));
  append(ctx.el, [tabs('units'), h('p', {class: 'crumbs'}, h('a', {href: '#/party/units'}, t('party.tab.units'))), pageHeader(t('party.unit.new'))]);
  await unitForm(ctx, null);
}

async function renderEdit(ctx) {
  const u = await get(`/api/v1/party/units/${encodeURIComponent(ctx.params.id)}`);
  if (!ctx.alive()) return;
  ctx.setTitle(t('party.unit.edit'));
  append(ctx.el, [tabs('units'), h('p', {class: 'crumbs'}, h('a', {href: '#/party/units'}, t('party.tab.units')), ' / ',
    h('a', {href: `#/party/units/${u.id}`}, u.name)), pageHeader(t('party.unit.edit'))]);
  await unitForm(ctx, u);
}

registerPage({path: '/party/units', title: 'party.tab.units', roles: PARTY_ROLES, render: renderList});
registerPage({path: '/party/units/new', title: 'party.unit.new', roles: STAFF, render: renderNew});
registerPage({path: '/party/units/:id', title: 'party.tab.units', roles: PARTY_ROLES, render: renderDetail});
registerPage({path: '/party/units/:id/edit', title: 'party.unit.edit', roles: STAFF, render: renderEdit});
