// poverty.js — 扶贫档案: the household list with the status counts of any day, registration of a
// household with its members, import from spreadsheets, and the household's page (members,
// status history, 公示 with objections, findings, subsidies) with its lifecycle steps.
// The campaign, funds and 雨露计划 pages live in their own files, imported here.

import {h, append, replace, clear} from '../dom.js';
import {t, pick} from '../i18n.js';
import {get, post, patch, qs, ApiError} from '../api.js';
import {registerPage} from '../router.js';
import {flash} from '../session.js';
import {
  field, input, textarea, select, formError, submitting, button, linkButton, pageHeader, card,
  notice, loading, empty, failed, table, pager, formDialog, today,
} from '../ui.js';
import {
  meta, canWrite, L, statusInfo, statusBadge, tagBadges, villages, villageOptions, STATUS_ORDER,
  fieldError,
} from './poverty-common.js';
import './poverty-review.js';
import './poverty-funds.js';

const PER_PAGE = 20;

/* ---- list ---- */

async function statsCard(ctx, m) {
  const box = h('div', {class: 'pv-stats-body'}, loading());
  const asOf = input('as_of', {type: 'date', value: ctx.query.get('as_of') || today(), 'aria-label': t('pv.stats_as_of')});
  const draw = async () => {
    replace(box, loading());
    try {
      const s = await get('/api/v1/poverty/stats' + qs({area: ctx.query.get('village') || '', as_of: asOf.value || today()}));
      if (!ctx.alive()) return;
      const cols = [
        {label: t('pv.village'), class: 'col-nowrap', cell: (r) => r.name},
        ...STATUS_ORDER.map((code) => ({label: L(statusInfo(m, code)), class: 'col-num',
          cell: (r) => String(r.households[code] || 0)})),
        {label: t('pv.households'), class: 'col-num', cell: (r) => h('strong', null, String(r.households_total))},
        {label: t('pv.persons'), class: 'col-num', cell: (r) => String(r.persons_total)},
      ];
      const rows = [...s.villages, {name: t('pv.total'), households: s.total.households,
        households_total: s.total.households_total, persons_total: s.total.persons_total, total: true}];
      replace(box, rows.length > 1
        ? table(cols, rows, {class: 'pv-stats-table', caption: t('pv.stats'), rowAttrs: (r) => ({class: r.total ? 'row-total' : null, 'data-village': r.area || 'total'})})
        : empty());
    } catch (err) {
      failed(box, err);
    }
  };
  asOf.addEventListener('change', draw);
  await draw();
  return card(null,
    h('div', {class: 'sum-head'}, h('h2', {class: 'card-title'}, t('pv.stats')),
      h('label', {class: 'pv-inline'}, t('pv.stats_as_of'), ' ', asOf),
      h('span', {class: 'muted'}, t('pv.stats_basis'))),
    box);
}

function filterForm(ctx, m, vs) {
  const q = (k) => ctx.query.get(k) || '';
  const tags = [m.registered_tag, ...m.key_categories];
  const form = h('form', {class: 'filters', role: 'search', novalidate: true},
    field(t('pv.village'), select('village', villageOptions(vs, t('common.all')), {value: q('village')})),
    field(t('pv.focus'), select('focus', [{value: '', label: t('common.all')},
      {value: 'key', label: t('pv.focus_key')}, {value: 'registered', label: t('pv.focus_registered')}], {value: q('focus')})),
    field(t('pv.tag'), select('tag', [{value: '', label: t('common.all')}, ...tags.map((x) => ({value: x, label: x}))], {value: q('tag')})),
    field(t('pv.status'), select('status', [{value: '', label: t('common.all')},
      ...m.statuses.map((s) => ({value: s.code, label: L(s)}))], {value: q('status')})),
    field(t('pv.q'), input('q', {type: 'search', value: q('q'), placeholder: t('pv.q_ph')})),
    h('div', {class: 'filter-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('common.search')),
      linkButton(t('common.reset'), '#/poverty')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    ctx.go('/poverty', {village: fd.get('village'), focus: fd.get('focus'), tag: fd.get('tag'),
      status: fd.get('status'), q: String(fd.get('q') || '').trim(), as_of: ctx.query.get('as_of')});
  });
  return form;
}

function listParams(query) {
  return {area: query.get('village'), focus: query.get('focus'), tag: query.get('tag'),
    status: query.get('status'), q: query.get('q')};
}

async function renderList(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('pv.title'));
  const m = await meta();
  const vs = await villages();
  if (!ctx.alive()) return;
  const exportHref = '/api/v1/poverty/export/households' + qs(listParams(query));
  append(el, [pageHeader(t('pv.title'),
    canWrite() ? linkButton(t('pv.new'), '#/poverty/households/new', {kind: 'primary', icon: 'plus'}) : null,
    canWrite() ? button(t('pv.import'), {kind: 'secondary', onclick: () => importDialog(ctx)}) : null,
    h('a', {class: 'btn btn-secondary', href: exportHref, download: '', 'data-test': 'export'}, t('pv.export')))]);
  if (!m.pii) el.appendChild(notice('info', t('pv.masked_hint')));
  el.appendChild(await statsCard(ctx, m));
  const page = Math.max(1, Number(query.get('page')) || 1);
  const list = await get('/api/v1/poverty/households' + qs({...listParams(query), page, per_page: PER_PAGE}));
  if (!ctx.alive()) return;
  const cols = [
    {label: t('pv.head'), class: 'col-title', cell: (r) => h('a', {href: `#/poverty/households/${r.id}`, class: 'pv-hh-link'},
      r.head_name || t('pv.detail'), r.household_no ? h('span', {class: 'muted pv-no'}, ' ', r.household_no) : null)},
    {label: t('pv.village'), cell: (r) => r.area_name},
    {label: t('pv.members'), class: 'col-num', cell: (r) => String(r.members)},
    {label: t('pv.status'), cell: (r) => statusBadge(m, r.status, r.kind)},
    {label: t('pv.tag'), cell: (r) => (r.tags.length ? tagBadges(r.tags, m.registered_tag) : '')},
    {label: t('pv.status_since'), class: 'col-date', cell: (r) => r.status_since},
  ];
  const go = (p) => ctx.go('/poverty', {...Object.fromEntries(query), page: p});
  el.appendChild(card(null,
    h('details', {class: 'filter-box', open: !window.matchMedia('(max-width: 760px)').matches},
      h('summary', null, t('ledger.filters')), filterForm(ctx, m, vs)),
    h('p', {class: 'result-count', role: 'status'}, t('pv.count', {n: list.total})),
    list.items.length ? table(cols, list.items, {class: 'pv-hh-table', caption: t('pv.list'),
      rowAttrs: (r) => ({'data-household': r.id})}) : empty(t('pv.none')),
    list.total > list.per_page ? pager(list.total, list.page, list.per_page, go) : null));
}

/* ---- import ---- */

function importDialog(ctx) {
  let checked = null;
  formDialog({
    title: t('pv.import_title'),
    submitLabel: t('pv.import_check'),
    build: (form) => {
      append(form, [
        h('p', {class: 'dialog-text'}, t('pv.import_hint')),
        field(t('pv.import_kind'), select('kind', [{value: 'households', label: t('pv.import_households')},
          {value: 'persons', label: t('pv.import_persons')}])),
        field(t('pv.import_file'), h('input', {type: 'file', name: 'file', accept: '.xlsx,.csv,text/csv'}), {required: true}),
        h('div', {class: 'pv-import-report', role: 'status'}),
      ]);
    },
    submit: async (form) => {
      const file = form.elements.file.files[0];
      const kind = form.elements.kind.value;
      const report = form.querySelector('.pv-import-report');
      if (!file) throw fieldError('file', 'choose a file', '请选择文件');
      const run = !!checked && checked === file;
      const res = await fetch(`/api/v1/poverty/import/${kind}` + qs({dry_run: run ? null : 1, filename: file.name}), {
        method: 'POST', credentials: 'same-origin', body: file,
        headers: {'Content-Type': /\.xlsx$/i.test(file.name)
          ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv'},
      });
      const data = await res.json().catch(() => null);
      clear(report);
      if (res.ok && !run) {
        checked = file;
        append(report, [notice('success', t('pv.import_ok', {rows: data.rows}))]);
        form.querySelector('button[type="submit"]').textContent = t('pv.import_run');
        return false;
      }
      if (res.ok) {
        flash('success', t('pv.import_done', {n: data.created}));
        ctx.refresh();
        return true;
      }
      const e = (data && data.error) || {};
      if (e.code !== 'import_invalid' || !e.problems) throw new ApiError(res.status, data);
      checked = null;
      append(report, [
        notice('error', t('pv.import_problems', {rows: e.rows ?? 0, errors: e.errors ?? e.problems.length})),
        table([
          {label: t('pv.line'), class: 'col-num', cell: (p) => String(p.line)},
          {label: t('pv.field'), cell: (p) => p.field || ''},
          {label: t('pv.problem'), cell: (p) => (document.documentElement.lang === 'en' ? p.message : p.message_zh)},
        ], e.problems.slice(0, 50), {class: 'pv-problems'})]);
      return false;
    },
  });
}

/* ---- registration ---- */

export function personRows(m, initial = 1) {
  const body = h('div', {class: 'pv-person-rows'});
  const add = () => {
    const row = h('div', {class: 'pv-person-row'},
      field(t('pv.name'), input('name', {maxlength: 50})),
      field(t('pv.citizen_id'), input('citizen_id', {maxlength: 18, inputmode: 'text', autocapitalize: 'characters'})),
      field(t('pv.relation'), select('relation', m.relations.map((r) => ({value: r, label: r})),
        {value: body.children.length ? m.relations[1] : m.relations[0]})),
      field(t('pv.phone'), input('phone', {type: 'tel', maxlength: 14})),
      button(t('pv.remove_row'), {class: 'btn-sm pv-remove', onclick: () => row.remove()}));
    body.appendChild(row);
  };
  for (let i = 0; i < initial; i++) add();
  const wrap = h('div', {class: 'field field-wide pv-persons'},
    h('span', {class: 'field-label'}, t('pv.members_rows')), body,
    button(t('pv.add_row'), {icon: 'plus', class: 'btn-sm', onclick: add}));
  wrap.read = () => [...body.querySelectorAll('.pv-person-row')].map((r) => {
    const v = (n) => r.querySelector(`[name="${n}"]`).value.trim();
    const p = {name: v('name'), citizen_id: v('citizen_id').toUpperCase(), relation: v('relation')};
    if (v('phone')) p.phone = v('phone');
    return p;
  }).filter((p) => p.name || p.citizen_id);
  // API errors name persons[2].citizen_id: mark that input
  wrap.mark = (err) => {
    const f = typeof err === 'string' ? err : err instanceof ApiError ? err.field : null;
    const mm = f ? /persons\[(\d+)\]\.(\w+)/.exec(f) : null;
    if (!mm) return;
    const rows = body.querySelectorAll('.pv-person-row');
    const ctl = rows[Number(mm[1])] && rows[Number(mm[1])].querySelector(`[name="${mm[2]}"]`);
    if (ctl) {
      ctl.setAttribute('aria-invalid', 'true');
      ctl.closest('.field').classList.add('invalid');
    }
  };
  return wrap;
}

export function tagChecks(m, chosen = []) {
  const tags = [m.registered_tag, ...m.key_categories];
  const group = h('div', {class: 'check-group', role: 'group', name: 'tags'},
    tags.map((tg) => h('label', {class: 'check'},
      h('input', {type: 'checkbox', value: tg, checked: chosen.includes(tg)}), tg)));
  group.read = () => [...group.querySelectorAll('input:checked')].map((x) => x.value);
  return group;
}

async function renderNew(ctx) {
  ctx.setTitle(t('pv.new'));
  const [m, vs] = await Promise.all([meta(), villages()]);
  if (!ctx.alive()) return;
  const f = {
    area: select('area', villageOptions(vs, t('common.choose')), {value: ctx.query.get('village') || ''}),
    household_no: input('household_no', {maxlength: 40}),
    address: input('address', {maxlength: 200}),
    phone: input('phone', {type: 'tel', maxlength: 14}),
    tags: tagChecks(m),
    persons: personRows(m, 2),
  };
  const form = h('form', {class: 'form-grid', novalidate: true},
    formError(),
    field(t('pv.village'), f.area, {required: true}),
    field(t('pv.household_no'), f.household_no),
    field(t('pv.address'), f.address, {wide: true}),
    field(t('pv.phone'), f.phone),
    field(t('pv.tag'), f.tags, {wide: true, group: true}),
    f.persons,
    h('div', {class: 'form-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('pv.create')),
      linkButton(t('common.cancel'), '#/poverty')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitting(form, async () => {
      const body = {area: f.area.value, address: f.address.value.trim(), tags: f.tags.read(), persons: f.persons.read()};
      if (f.household_no.value.trim()) body.household_no = f.household_no.value.trim();
      if (f.phone.value.trim()) body.phone = f.phone.value.trim();
      try {
        const made = await post('/api/v1/poverty/households', body);
        flash('success', t('pv.created'));
        ctx.go(`/poverty/households/${made.id}`);
      } catch (err) {
        setTimeout(() => f.persons.mark(err)); // after the form has shown the error
        throw err;
      }
    });
  });
  append(ctx.el, [h('p', {class: 'crumbs'}, h('a', {href: '#/poverty'}, t('pv.title'))), pageHeader(t('pv.new')), card(null, form)]);
}

/* ---- the household ---- */

function statusDialog(ctx, m, hh, reload) {
  const next = hh.next_statuses.map((c) => statusInfo(m, c));
  formDialog({
    title: t('pv.status_change'),
    submitLabel: t('common.save'),
    build: (form) => {
      const status = select('status', next.map((s) => ({value: s.code, label: L(s)})));
      const kind = select('kind', []);
      const hint = h('p', {class: 'field-hint pv-notice-hint'});
      const fillKinds = () => {
        const s = statusInfo(m, status.value);
        replace(kind, ...[{code: '', zh: '—', en: '—'}, ...(s.kinds || [])]
          .filter((k) => !(s.kinds && s.kinds.length && !k.code))
          .map((k) => h('option', {value: k.code}, L(k))));
        kind.disabled = !(s.kinds && s.kinds.length);
        hint.textContent = s.needs_notice && s.code !== hh.status
          ? t('pv.notice_needed', {status: L(s), days: m.notice_days}) : '';
      };
      status.addEventListener('change', fillKinds);
      fillKinds();
      append(form, [field(t('pv.status_new'), status, {required: true}), hint,
        field(t('pv.kind'), kind),
        field(t('pv.effective_date'), input('effective_date', {type: 'date', value: today(), max: today()})),
        field(t('pv.change_reason'), textarea('reason', {rows: 3}), {required: true})]);
    },
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      try {
        await post(`/api/v1/poverty/households/${hh.id}/status`, {status: v('status'), kind: v('kind'),
          effective_date: v('effective_date') || today(), reason: v('reason'), version: hh.version});
      } catch (err) {
        if (err instanceof ApiError && err.code === 'stale_version') {
          reload({kind: 'warning', text: t('pv.stale')});
          return true;
        }
        throw err;
      }
      reload({kind: 'success', text: t('pv.saved')});
      return true;
    },
  });
}

function noticeDialog(m, target, reload) {
  // target: {household_id | change_id, statuses: [codes]}
  formDialog({
    title: t('pv.notice_start'),
    submitLabel: t('pv.notice_start'),
    build: (form) => {
      const status = select('target_status', target.statuses.map((c) => ({value: c, label: L(statusInfo(m, c))})));
      const kind = select('target_kind', []);
      const fill = () => {
        const s = statusInfo(m, status.value);
        replace(kind, h('option', {value: ''}, '—'), ...(s.kinds || []).map((k) => h('option', {value: k.code}, L(k))));
        if (target.kind) kind.value = target.kind;
      };
      status.addEventListener('change', fill);
      fill();
      append(form, [field(t('pv.notice_target'), status, {required: true}), field(t('pv.kind'), kind),
        field(t('pv.start_date'), input('start_date', {type: 'date', value: today()}), {required: true}),
        field(t('pv.days'), input('days', {type: 'number', min: m.notice_days, max: 30, value: m.notice_days})),
        field(t('pv.place'), input('place', {value: '村务公开栏', maxlength: 100}))]);
    },
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      const body = {target_status: v('target_status'), target_kind: v('target_kind'), start_date: v('start_date'),
        days: Number(v('days')) || m.notice_days, place: v('place')};
      if (target.household_id) body.household_id = target.household_id;
      else body.change_id = target.change_id;
      await post('/api/v1/poverty/notices', body);
      reload({kind: 'success', text: t('pv.saved')});
      return true;
    },
  });
}

export function noticeList(m, notices, reload, writable) {
  if (!notices.length) return empty(t('pv.no_notices'));
  return h('ul', {class: 'pv-notices'}, notices.map((n) => h('li', {class: 'pv-notice', 'data-notice': n.id},
    h('div', {class: 'pv-notice-head'},
      h('strong', null, L(statusInfo(m, n.target_status)),
        n.target_kind ? ` · ${L((statusInfo(m, n.target_status).kinds || []).find((k) => k.code === n.target_kind))}` : ''),
      h('span', {class: ['badge', 'pv-ns', 'pv-ns-' + n.state]}, t('pv.ns_' + n.state)),
      h('span', {class: 'muted'}, t('pv.notice_period'), ' ', n.start_date, ' — ', n.end_date),
      n.state === 'running' ? h('span', {class: 'muted'}, t('pv.may_proceed'), ' ', n.may_proceed_on) : null,
      n.place ? h('span', {class: 'muted'}, n.place) : null),
    (n.objections || []).length ? h('ul', {class: 'pv-objections'}, n.objections.map((o) => h('li', null,
      h('span', {class: ['badge', 'pv-res-' + o.resolution]}, t('pv.res_' + o.resolution)), ' ',
      o.received_on, ' ', o.from_name ? `${o.from_name}:` : '', o.content,
      o.resolution_note ? h('div', {class: 'muted'}, o.resolution_note) : null,
      writable && o.resolution === 'pending' ? button(t('pv.resolve'), {class: 'btn-sm', onclick: () => resolveDialog(o, reload)}) : null))) : null,
    writable && !['used', 'failed', 'withdrawn'].includes(n.state)
      ? button(t('pv.objection_add'), {class: 'btn-sm', onclick: () => objectionDialog(n, reload)}) : null)));
}

function objectionDialog(n, reload) {
  formDialog({
    title: t('pv.objection_add'),
    build: (form) => append(form, [
      field(t('pv.received_on'), input('received_on', {type: 'date', value: today() < n.end_date ? today() : n.end_date}), {required: true}),
      field(t('pv.from_name'), input('from_name', {maxlength: 50})),
      field(t('pv.content'), textarea('content', {rows: 3}), {required: true})]),
    submit: async (form) => {
      const v = (k) => form.elements[k].value;
      await post(`/api/v1/poverty/notices/${n.id}/objections`, {received_on: v('received_on'), from_name: v('from_name'), content: v('content')});
      reload({kind: 'success', text: t('pv.saved')});
      return true;
    },
  });
}

function resolveDialog(o, reload) {
  formDialog({
    title: t('pv.resolve'),
    build: (form) => append(form, [
      field(t('pv.resolution'), select('resolution', [{value: 'dismissed', label: t('pv.res_dismissed')},
        {value: 'upheld', label: t('pv.res_upheld')}])),
      field(t('pv.reason'), textarea('note', {rows: 3}), {required: true})]),
    submit: async (form) => {
      await post(`/api/v1/poverty/objections/${o.id}/resolve`, {resolution: form.elements.resolution.value,
        note: form.elements.note.value, version: o.version});
      reload({kind: 'success', text: t('pv.saved')});
      return true;
    },
  });
}

function addPersonDialog(m, hh, reload) {
  formDialog({
    title: t('pv.add_person'),
    build: (form) => append(form, [
      field(t('pv.name'), input('name', {maxlength: 50}), {required: true}),
      field(t('pv.citizen_id'), input('citizen_id', {maxlength: 18}), {required: true}),
      field(t('pv.relation'), select('relation', m.relations.filter((r) => r !== '户主' || !hh.head_name).map((r) => ({value: r, label: r})))),
      field(t('pv.phone'), input('phone', {type: 'tel', maxlength: 14}))]),
    submit: async (form) => {
      const v = (k) => form.elements[k].value.trim();
      const body = {name: v('name'), citizen_id: v('citizen_id').toUpperCase(), relation: v('relation'), version: hh.version};
      if (v('phone')) body.phone = v('phone');
      await post(`/api/v1/poverty/households/${hh.id}/persons`, body);
      reload({kind: 'success', text: t('pv.saved')});
      return true;
    },
  });
}

function editDialog(m, hh, reload) {
  let tags;
  formDialog({
    title: t('pv.edit'),
    submitLabel: t('common.save'),
    build: (form) => {
      tags = tagChecks(m, hh.tags);
      append(form, [
        field(t('pv.household_no'), input('household_no', {value: hh.household_no || '', maxlength: 40})),
        field(t('pv.address'), input('address', {value: hh.address, maxlength: 200})),
        field(t('pv.phone'), input('phone', {type: 'tel', value: m.pii ? hh.phone : '', maxlength: 14})),
        field(t('pv.note'), textarea('note', {rows: 2, value: hh.note})),
        field(t('pv.tag'), tags, {group: true})]);
    },
    submit: async (form) => {
      const v = (k) => form.elements[k].value.trim();
      const body = {address: v('address'), note: form.elements.note.value, tags: tags.read(), version: hh.version};
      if (v('household_no')) body.household_no = v('household_no');
      if (m.pii) body.phone = v('phone') || null;
      await patch(`/api/v1/poverty/households/${hh.id}`, body);
      reload({kind: 'success', text: t('pv.saved')});
      return true;
    },
  });
}

function details(m, hh) {
  const row = (k, v) => [h('dt', null, t(k)), h('dd', null, v === '' || v === null || v === undefined ? h('span', {class: 'muted'}, '—') : v)];
  return h('dl', {class: 'details'},
    row('pv.household_no', hh.household_no),
    row('pv.village', hh.area_name),
    row('pv.address', hh.address),
    row('pv.phone', hh.phone),
    row('pv.status', h('span', null, statusBadge(m, hh.status, hh.kind), ' ', h('span', {class: 'muted'}, hh.status_since))),
    row('pv.tag', hh.tags.length ? tagBadges(hh.tags, m.registered_tag) : ''),
    row('pv.note', hh.note));
}

function historyList(m, rows) {
  return h('ol', {class: 'timeline pv-history'}, rows.slice().reverse().map((r) => h('li', {class: ['tl-item', r.change_id ? 'pv-tl-correct' : null], 'data-status': r.status},
    h('div', {class: 'tl-head'},
      h('span', {class: 'tl-action'}, statusBadge(m, r.status, r.kind)),
      h('time', {class: 'tl-time'}, r.effective_date),
      r.recorded_by ? h('span', {class: 'tl-user'}, r.recorded_by) : null),
    r.reason ? h('div', {class: 'tl-reason'}, r.reason) : null,
    r.change_id ? h('div', {class: 'tl-changed'}, h('a', {href: `#/poverty/reviews/changes/${r.change_id}`}, t('ch.detail'), ' #', String(r.change_id))) : null)));
}

export function findingsTable(m, items) {
  if (!items.length) return empty(t('pv.no_findings'));
  return table([
    {label: t('ch.type'), cell: (c) => h('a', {href: `#/poverty/reviews/changes/${c.id}`}, pick(c, 'type'))},
    {label: t('rv.hh_persons'), class: 'col-num col-nowrap', cell: (c) => `${c.households}/${c.persons}`},
    {label: t('pv.status'), cell: (c) => h('span', {class: ['badge', 'pv-ch', 'pv-ch-' + c.state]}, pick(c, 'state'))},
    {label: t('ch.description'), class: 'col-text', cell: (c) => c.description},
  ], items, {class: 'pv-findings'});
}

async function renderDetail(ctx) {
  const {el} = ctx;
  const m = await meta();
  const draw = async (msg) => {
    const hh = await get(`/api/v1/poverty/households/${encodeURIComponent(ctx.params.id)}`);
    if (!ctx.alive()) return;
    const title = hh.head_name ? t('pv.family', {name: hh.head_name}) : t('pv.detail');
    ctx.setTitle(title);
    const reload = (mm) => draw(mm).catch((err) => failed(el, err));
    const w = canWrite() && hh.can_write;
    const noticeTargets = hh.next_statuses.filter((c) => statusInfo(m, c).needs_notice && c !== hh.status);
    const actions = w ? [
      button(t('pv.status_change'), {kind: 'primary', 'data-action': 'status', onclick: () => statusDialog(ctx, m, hh, reload)}),
      noticeTargets.length ? button(t('pv.notice_start'), {kind: 'secondary', 'data-action': 'notice',
        onclick: () => noticeDialog(m, {household_id: hh.id, statuses: noticeTargets}, reload)}) : null,
      button(t('pv.add_person'), {'data-action': 'add-person', onclick: () => addPersonDialog(m, hh, reload)}),
      button(t('pv.edit'), {'data-action': 'edit', onclick: () => editDialog(m, hh, reload)}),
      linkButton(t('pv.record_finding'), '#/poverty/reviews', {class: 'btn-ghost'}),
    ] : [];
    const members = table([
      {label: t('pv.name'), cell: (p) => p.name},
      {label: t('pv.relation'), cell: (p) => p.relation},
      {label: t('pv.citizen_id'), class: 'col-nowrap pv-cid', cell: (p) => p.citizen_id},
      {label: t('pv.sex'), cell: (p) => t('pv.sex_' + p.sex)},
      {label: t('pv.birth_date'), class: 'col-date', cell: (p) => p.birth_date},
      {label: t('pv.phone'), cell: (p) => p.phone},
    ], hh.persons, {class: 'pv-members'});
    const membership = table([
      {label: t('pv.name'), cell: (r) => r.name},
      {label: t('pv.relation'), cell: (r) => r.relation},
      {label: t('pv.from'), class: 'col-date', cell: (r) => r.from},
      {label: t('pv.to'), class: 'col-date', cell: (r) => r.to || ''},
      {label: t('pv.reason'), cell: (r) => [r.reason_in, r.reason_out].filter(Boolean).join(' → ')},
    ], hh.membership_history, {class: 'pv-membership'});
    const subsidies = hh.subsidies.length ? table([
      {label: t('yl.school_year'), cell: (y) => y.school_year},
      {label: t('yl.student'), cell: (y) => y.name},
      {label: t('yl.school'), cell: (y) => `${y.school} · ${L(m.yulu_levels.find((l) => l.code === y.level))}`},
      {label: t('yl.paid'), class: 'col-num', cell: (y) => `${(y.paid_fen / 100).toFixed(2)} / ${(y.annual_fen / 100).toFixed(2)}`},
    ], hh.subsidies) : empty(t('pv.no_subsidies'));
    replace(el,
      h('p', {class: 'crumbs'}, h('a', {href: '#/poverty'}, t('pv.title')), ' / ', t('pv.detail')),
      msg ? notice(msg.kind, msg.text) : null,
      h('div', {class: 'page-head'},
        h('div', {class: 'title-block'}, h('h1', {tabindex: '-1'}, title),
          h('div', {class: 'title-meta'}, h('span', {'data-test': 'hh-status'}, statusBadge(m, hh.status, hh.kind)),
            tagBadges(hh.tags, m.registered_tag)))),
      actions.length ? h('div', {class: 'actions pv-actions', role: 'group'}, actions) : null,
      h('div', {class: 'detail-grid'},
        card(t('pv.info'), details(m, hh)),
        card(t('pv.history'), historyList(m, hh.status_history))),
      card(t('pv.person_list'), members),
      h('div', {class: 'detail-grid'},
        card(t('pv.notices'), noticeList(m, hh.notices, reload, w)),
        card(t('pv.findings'), findingsTable(m, hh.findings))),
      h('div', {class: 'detail-grid'},
        card(t('pv.membership'), membership),
        card(t('pv.subsidies'), subsidies)));
    if (msg) el.querySelector('.notice')?.focus?.();
  };
  await draw(ctx.flashed);
}

export {statusDialog, noticeDialog};

const ROLES = ['admin', 'poverty_officer', 'leader'];
registerPage({path: '/poverty', title: 'pv.title', roles: ROLES, render: renderList,
  nav: {label: 'nav.poverty', icon: 'users', roles: ROLES, order: 40}});
registerPage({path: '/poverty/households/new', title: 'pv.new', roles: ['admin', 'poverty_officer'], render: renderNew});
registerPage({path: '/poverty/households/:id', title: 'pv.detail', roles: ROLES, render: renderDetail});
