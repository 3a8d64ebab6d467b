// poverty-funds.js — 扶贫项目资金: projects with their progress and the "completed before DATE"
// report, fund sources with their balances, allocations and payments by voucher (in fen, shown in
// yuan); and 雨露计划: applications checked against the registry, paid per semester.

import {h, append, replace} from '../dom.js';
import {t} from '../i18n.js';
import {get, post, patch, qs, ApiError} from '../api.js';
import {registerPage} from '../router.js';
import {flash} from '../session.js';
import {
  field, input, textarea, select, button, pageHeader, card, notice, empty, failed, table, pager,
  formDialog, today,
} from '../ui.js';
import {
  meta, canWrite, L, yuan, parseYuan, fieldError, townsAndVillages, villages, villageOptions,
  schoolYear,
} from './poverty-common.js';

const ROLES = ['admin', 'poverty_officer', 'leader'];

function money(name, attrs = {}) {
  return input(name, {inputmode: 'decimal', placeholder: '0.00', ...attrs});
}

function fen(form, name) {
  const v = parseYuan(form.elements[name].value);
  if (v === null) throw fieldError(name, `${name}: an amount in yuan with at most two decimals`, '金额须为以元为单位、最多两位小数的数字');
  return v;
}

function progressCell(p) {
  return h('span', {class: 'pv-progress'}, h('progress', {max: 100, value: p.progress}),
    h('span', {class: 'pv-progress-text'}, `${p.progress}%`));
}

function acceptanceBadge(p) {
  return h('span', {class: ['badge', 'pv-acc-' + p.acceptance]}, t('pj.acc_' + p.acceptance));
}

/* ---- projects ---- */

function projectDialog(m, areaList, after) {
  formDialog({
    title: t('pj.new'),
    submitLabel: t('common.save'),
    build: (form) => append(form, [
      field(t('pj.name'), input('name', {maxlength: 100}), {required: true}),
      field(t('pj.village'), select('area', villageOptions(areaList, t('common.choose'))), {required: true}),
      field(t('pj.type'), select('type', m.project_types.map((x) => ({value: x, label: x}))), {required: true}),
      field(t('pj.budget'), money('budget_fen'), {required: true, hint: t('pj.yuan_hint')}),
      field(t('pj.start_date'), input('start_date', {type: 'date', value: today()})),
      field(t('pj.planned_end'), input('planned_end', {type: 'date'}), {required: true}),
      field(t('pj.responsible'), input('responsible', {maxlength: 100})),
      field(t('pj.description'), textarea('description', {rows: 2}))]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      if (!v('planned_end')) throw fieldError('planned_end', 'planned_end is required', '请填写计划完成日期');
      const body = {name: v('name').trim(), area: v('area'), type: v('type'), budget_fen: fen(form, 'budget_fen'),
        planned_end: v('planned_end'), responsible: v('responsible'), description: v('description')};
      if (v('start_date')) body.start_date = v('start_date');
      const made = await post('/api/v1/poverty/projects', body);
      after(made);
      return true;
    },
  });
}

function updateDialog(p, after) {
  formDialog({
    title: t('pj.update'),
    submitLabel: t('common.save'),
    build: (form) => append(form, [
      field(t('pj.progress'), input('progress', {type: 'number', min: 0, max: 100, value: p.progress})),
      field(t('pj.actual_end'), input('actual_end', {type: 'date', value: p.actual_end || '', max: today()})),
      field(t('pj.acceptance'), select('acceptance', ['pending', 'passed', 'failed'].map((a) => ({value: a,
        label: t('pj.acc_' + a)})), {value: p.acceptance})),
      field(t('pj.accepted_on'), input('accepted_on', {type: 'date', value: p.accepted_on || ''}))]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      const body = {version: p.version, acceptance: v('acceptance')};
      if (v('actual_end')) body.actual_end = v('actual_end');
      else body.progress = Number(v('progress'));
      if (v('accepted_on')) body.accepted_on = v('accepted_on');
      await patch(`/api/v1/poverty/projects/${p.id}`, body);
      after();
      return true;
    },
  });
}

function sourceDialog(m, areaList, after) {
  formDialog({
    title: t('pj.source_new'),
    submitLabel: t('common.save'),
    build: (form) => append(form, [
      field(t('pj.source_name'), input('name', {maxlength: 100}), {required: true}),
      field(t('pj.village'), select('area', areaList.map((a) => ({value: a.code, label: a.name})))),
      field(t('pj.level'), select('level', m.fund_levels.map((x) => ({value: x, label: x})))),
      field(t('pj.year'), input('year', {type: 'number', value: today().slice(0, 4)})),
      field(t('pj.amount'), money('amount_fen'), {required: true, hint: t('pj.yuan_hint')}),
      field(t('pv.note'), input('note', {maxlength: 200}))]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      await post('/api/v1/poverty/funds/sources', {name: v('name').trim(), area: v('area'), level: v('level'),
        year: Number(v('year')), amount_fen: fen(form, 'amount_fen'), note: v('note')});
      after();
      return true;
    },
  });
}

async function renderProjects(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('pj.title'));
  const [m, areaList] = await Promise.all([meta(), townsAndVillages()]);
  if (!ctx.alive()) return;
  const q = (k) => query.get(k) || '';
  const before = q('before') || today();
  const params = {area: q('area'), type: q('type'), overdue: q('overdue'), completed: q('completed')};
  const page = Math.max(1, Number(q('page')) || 1);
  const [report, list, bal] = await Promise.all([
    get('/api/v1/poverty/projects/report' + qs({area: q('area'), before})),
    get('/api/v1/poverty/projects' + qs({...params, page, per_page: 20})),
    get('/api/v1/poverty/funds/balances' + qs({area: q('area')})),
  ]);
  if (!ctx.alive()) return;
  const go = (over) => ctx.go('/poverty/projects', {...Object.fromEntries(query), ...over});
  append(el, [pageHeader(t('pj.title'),
    canWrite() ? button(t('pj.new'), {kind: 'primary', icon: 'plus', onclick: () => projectDialog(m, areaList, (p) => {
      flash('success', t('pv.saved'));
      ctx.go(`/poverty/projects/${p.id}`);
    })}) : null,
    h('a', {class: 'btn btn-secondary', href: '/api/v1/poverty/export/projects' + qs(params), download: ''}, t('pv.export')))]);
  const beforeInput = input('before', {type: 'date', value: before, 'aria-label': t('pj.before'),
    onchange: (ev) => go({before: ev.target.value})});
  el.appendChild(card(null,
    h('div', {class: 'sum-head'}, h('h2', {class: 'card-title'}, t('pj.report')), h('label', {class: 'pv-inline'}, t('pj.before'), ' ', beforeInput)),
    h('blockquote', {class: 'pv-report', 'data-test': 'project-report'}, report.text)));
  const filters = h('form', {class: 'filters', novalidate: true},
    field(t('pj.village'), select('area', villageOptions(areaList, t('common.all')), {value: q('area')})),
    field(t('pj.type'), select('type', [{value: '', label: t('common.all')}, ...m.project_types.map((x) => ({value: x, label: x}))], {value: q('type')})),
    field(t('pj.completed'), select('completed', [{value: '', label: t('common.all')}, {value: '1', label: t('pj.completed_yes')},
      {value: '0', label: t('pj.completed_no')}], {value: q('completed')})),
    h('div', {class: 'field field-check'}, h('label', null, h('input', {type: 'checkbox', name: 'overdue', value: '1', checked: q('overdue') === '1'}), ' ', t('pj.only_overdue'))),
    h('div', {class: 'filter-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('common.search'))));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fd = new FormData(filters);
    go({area: fd.get('area'), type: fd.get('type'), completed: fd.get('completed'), overdue: fd.get('overdue') ? 1 : null, page: 1});
  });
  const cols = [
    {label: t('pj.name'), class: 'col-title', cell: (p) => h('a', {href: `#/poverty/projects/${p.id}`}, p.name, p.overdue ? [' ', h('span', {class: 'badge badge-overdue'}, t('pj.overdue'))] : null)},
    {label: t('pj.village'), cell: (p) => p.area_name},
    {label: t('pj.type'), cell: (p) => p.type},
    {label: t('pj.budget'), class: 'col-num', cell: (p) => yuan(p.budget_fen)},
    {label: t('pj.planned_end'), class: 'col-date', cell: (p) => p.planned_end},
    {label: t('pj.actual_end'), class: 'col-date', cell: (p) => p.actual_end || ''},
    {label: t('pj.progress'), cell: progressCell},
    {label: t('pj.acceptance'), cell: acceptanceBadge},
    {label: t('pj.disbursed'), class: 'col-num', cell: (p) => yuan(p.disbursed_fen)},
  ];
  el.appendChild(card(t('pj.list'), filters,
    list.items.length ? table(cols, list.items, {class: 'pv-projects', rowAttrs: (p) => ({'data-project': p.id, class: p.overdue ? 'row-overdue' : null})}) : empty(t('pj.none')),
    list.total > list.per_page ? pager(list.total, list.page, list.per_page, (p) => go({page: p})) : null));
  el.appendChild(card(null,
    h('div', {class: 'sum-head'}, h('h2', {class: 'card-title'}, t('pj.sources')),
      canWrite() ? button(t('pj.source_new'), {icon: 'plus', class: 'btn-sm', onclick: () => sourceDialog(m, areaList, () => ctx.refresh())}) : null),
    bal.sources.length ? table([
      {label: t('pj.source_name'), class: 'col-title', cell: (s) => s.name},
      {label: t('pj.level'), cell: (s) => s.level},
      {label: t('pj.year'), cell: (s) => String(s.year)},
      {label: t('pj.amount'), class: 'col-num', cell: (s) => yuan(s.amount_fen)},
      {label: t('pj.allocated'), class: 'col-num', cell: (s) => yuan(s.allocated_fen)},
      {label: t('pj.disbursed'), class: 'col-num', cell: (s) => yuan(s.disbursed_fen)},
      {label: t('pj.unallocated'), class: 'col-num', cell: (s) => yuan(s.unallocated_fen)},
    ], [...bal.sources, {name: t('pv.total'), level: '', year: '', amount_fen: bal.total.amount_fen, allocated_fen: bal.total.allocated_fen,
      disbursed_fen: bal.total.disbursed_fen, unallocated_fen: bal.total.unallocated_fen, total: true}],
    {class: 'pv-sources', rowAttrs: (s) => ({class: s.total ? 'row-total' : null})}) : empty()));
}

async function renderProject(ctx) {
  const {el} = ctx;
  const m = await meta();
  const draw = async (msg) => {
    const p = await get(`/api/v1/poverty/projects/${encodeURIComponent(ctx.params.id)}`);
    const sources = await get('/api/v1/poverty/funds/sources');
    if (!ctx.alive()) return;
    ctx.setTitle(p.name);
    const reload = (mm) => draw(mm).catch((err) => failed(el, err));
    const row = (k, v) => [h('dt', null, t(k)), h('dd', null, v === '' || v === null || v === undefined ? h('span', {class: 'muted'}, '—') : v)];
    const w = canWrite();
    const allocate = () => formDialog({
      title: t('pj.allocate'),
      build: (form) => append(form, [
        field(t('pj.source'), select('source_id', sources.items.map((s) => ({value: String(s.id),
          label: `${s.name}(${t('pj.unallocated')} ${yuan(s.unallocated_fen)})`})))),
        field(t('pj.amount'), money('amount_fen'), {required: true, hint: t('pj.yuan_hint')}),
        field(t('pj.allocated_on'), input('allocated_on', {type: 'date', value: today(), max: today()})),
        field(t('pj.doc_no'), input('note', {maxlength: 200}))]),
      submit: async (form) => {
        await post('/api/v1/poverty/funds/allocations', {source_id: Number(form.elements.source_id.value), project_id: p.id,
          amount_fen: fen(form, 'amount_fen'), allocated_on: form.elements.allocated_on.value, note: form.elements.note.value});
        reload({kind: 'success', text: t('pv.saved')});
        return true;
      },
    });
    const disburse = () => formDialog({
      title: t('pj.disburse'),
      build: (form) => append(form, [
        field(t('pj.allocation'), select('allocation_id', p.allocations.map((a) => ({value: String(a.id),
          label: `${a.source_name}(${t('pj.remaining')} ${yuan(a.remaining_fen)})`})))),
        field(t('pj.voucher'), input('voucher_no', {maxlength: 40}), {required: true}),
        field(t('pj.payee'), input('payee', {maxlength: 100}), {required: true}),
        field(t('pj.amount'), money('amount_fen'), {required: true, hint: t('pj.yuan_hint')}),
        field(t('pj.paid_on'), input('paid_on', {type: 'date', value: today(), max: today()})),
        field(t('pj.purpose'), input('note', {maxlength: 200}))]),
      submit: async (form) => {
        const v = (n) => form.elements[n].value;
        await post('/api/v1/poverty/funds/disbursements', {allocation_id: Number(v('allocation_id')), voucher_no: v('voucher_no').trim(),
          payee: v('payee').trim(), amount_fen: fen(form, 'amount_fen'), paid_on: v('paid_on'), note: v('note')});
        reload({kind: 'success', text: t('pv.saved')});
        return true;
      },
    });
    replace(el,
      h('p', {class: 'crumbs'}, h('a', {href: '#/poverty/projects'}, t('pj.title')), ' / ', p.name),
      msg ? notice(msg.kind, msg.text) : null,
      h('div', {class: 'page-head'}, h('div', {class: 'title-block'}, h('h1', {tabindex: '-1'}, p.name),
        h('div', {class: 'title-meta'}, acceptanceBadge(p), p.overdue ? h('span', {class: 'badge badge-overdue'}, t('pj.overdue')) : null))),
      w ? h('div', {class: 'actions pv-actions'},
        button(t('pj.update'), {kind: 'primary', 'data-action': 'update', onclick: () => updateDialog(p, () => reload({kind: 'success', text: t('pv.saved')}))}),
        sources.items.length ? button(t('pj.allocate'), {'data-action': 'allocate', onclick: allocate}) : null,
        p.allocations.length ? button(t('pj.disburse'), {'data-action': 'disburse', onclick: disburse}) : null) : null,
      h('div', {class: 'detail-grid'},
        card(t('pv.info'), h('dl', {class: 'details'},
          row('pj.village', p.area_name), row('pj.type', p.type), row('pj.budget', yuan(p.budget_fen)),
          row('pj.start_date', p.start_date), row('pj.planned_end', p.planned_end), row('pj.actual_end', p.actual_end),
          row('pj.progress', progressCell(p)), row('pj.acceptance', p.accepted_on ? `${t('pj.acc_' + p.acceptance)} ${p.accepted_on}` : t('pj.acc_' + p.acceptance)),
          row('pj.responsible', p.responsible), row('pj.description', p.description))),
        card(t('pj.allocations'), p.allocations.length ? table([
          {label: t('pj.source'), cell: (a) => a.source_name},
          {label: t('pj.amount'), class: 'col-num', cell: (a) => yuan(a.amount_fen)},
          {label: t('pj.disbursed'), class: 'col-num', cell: (a) => yuan(a.disbursed_fen)},
          {label: t('pj.remaining'), class: 'col-num', cell: (a) => yuan(a.remaining_fen)},
          {label: t('pj.allocated_on'), class: 'col-date', cell: (a) => a.allocated_on},
        ], p.allocations, {class: 'pv-allocations'}) : empty(t('pj.no_allocations')))),
      card(t('pj.disbursements'), p.disbursements.length ? table([
        {label: t('pj.paid_on'), class: 'col-date', cell: (d) => d.paid_on},
        {label: t('pj.voucher'), cell: (d) => d.voucher_no},
        {label: t('pj.payee'), cell: (d) => d.payee},
        {label: t('pj.amount'), class: 'col-num', cell: (d) => yuan(d.amount_fen)},
        {label: t('pj.source'), cell: (d) => d.source_name},
        {label: t('pj.purpose'), cell: (d) => d.note},
      ], p.disbursements, {class: 'pv-disbursements'}) : empty(t('pj.no_disbursements'))));
    if (msg) el.querySelector('.notice')?.focus?.();
  };
  await draw(ctx.flashed);
}

/* ---- 雨露计划 ---- */

function applyDialog(m, after) {
  let chosen = null;
  formDialog({
    title: t('yl.new'),
    submitLabel: t('yl.apply'),
    build: (form) => {
      const find = input('q', {type: 'search', placeholder: t('yl.find_ph')});
      const results = select('person_id', [{value: '', label: t('common.choose')}]);
      const verdict = h('p', {class: 'pv-eligibility', role: 'status'});
      let timer = null;
      const check = async () => {
        verdict.textContent = '';
        chosen = results.value ? Number(results.value) : null;
        if (!chosen) return;
        const e = await get('/api/v1/poverty/yulu/eligibility' + qs({person_id: chosen}));
        verdict.textContent = e.eligible ? t('yl.eligible', {basis: e.basis}) : t('yl.not_eligible', {reason: e.reason_zh});
        verdict.className = 'pv-eligibility ' + (e.eligible ? 'pv-ok' : 'pv-bad');
      };
      find.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
          const q = find.value.trim();
          if (!q) return;
          const res = await get('/api/v1/poverty/persons' + qs({q, state: 'alive', per_page: 20}));
          replace(results, h('option', {value: ''}, t('common.choose')),
            ...res.items.map((p) => h('option', {value: String(p.id)}, `${p.name} ${p.birth_date} ${p.household_no || ''}`)));
          if (res.items.length === 1) {
            results.value = String(res.items[0].id);
            check();
          }
        }, 250);
      });
      results.addEventListener('change', check);
      append(form, [
        h('p', {class: 'dialog-text'}, t('yl.rule', {yuan: yuan(m.yulu_annual_fen)})),
        field(t('yl.find'), find), field(t('yl.student'), results, {required: true}), verdict,
        field(t('yl.school_year'), input('school_year', {value: schoolYear(), maxlength: 9}), {required: true}),
        field(t('yl.school'), input('school', {maxlength: 100}), {required: true}),
        field(t('yl.major'), input('major', {maxlength: 100})),
        field(t('yl.level'), select('level', m.yulu_levels.map((l) => ({value: l.code, label: L(l)})))),
        h('div', {class: 'field field-check'}, h('label', null, h('input', {type: 'checkbox', name: 'full_time', checked: true}), ' ', t('yl.full_time'))),
        field(t('yl.enrolled_on'), input('enrolled_on', {type: 'date'}))]);
    },
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      if (!v('person_id')) throw fieldError('person_id', 'choose the student', '请选择学生');
      const body = {person_id: Number(v('person_id')), school_year: v('school_year').trim(), school: v('school').trim(),
        major: v('major').trim(), level: v('level'), full_time: form.elements.full_time.checked};
      if (v('enrolled_on')) body.enrolled_on = v('enrolled_on');
      await post('/api/v1/poverty/yulu', body);
      after();
      return true;
    },
  });
}

async function renderYulu(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('yl.title'));
  const [m, vs] = await Promise.all([meta(), villages()]);
  const q = (k) => query.get(k) || '';
  const page = Math.max(1, Number(q('page')) || 1);
  const params = {area: q('area'), school_year: q('school_year')};
  const list = await get('/api/v1/poverty/yulu' + qs({...params, page, per_page: 20}));
  if (!ctx.alive()) return;
  const go = (over) => ctx.go('/poverty/yulu', {...Object.fromEntries(query), ...over});
  append(el, [pageHeader(t('yl.title'),
    canWrite() ? button(t('yl.new'), {kind: 'primary', icon: 'plus', onclick: () => applyDialog(m, () => {
      flash('success', t('yl.applied'));
      ctx.refresh();
    })}) : null,
    h('a', {class: 'btn btn-secondary', href: '/api/v1/poverty/export/yulu' + qs(params), download: ''}, t('pv.export')))]);
  const filters = h('form', {class: 'filters', novalidate: true},
    field(t('pv.village'), select('area', villageOptions(vs, t('common.all')), {value: q('area')})),
    field(t('yl.school_year'), input('school_year', {value: q('school_year'), placeholder: schoolYear()})),
    h('div', {class: 'filter-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('common.search'))));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fd = new FormData(filters);
    go({area: fd.get('area'), school_year: String(fd.get('school_year') || '').trim(), page: 1});
  });
  const pay = async (y, semester) => {
    try {
      await post(`/api/v1/poverty/yulu/${y.id}/payments`, {semester, paid_on: today()});
      flash('success', t('yl.paid_msg'));
    } catch (err) {
      flash('error', err instanceof ApiError ? (document.documentElement.lang === 'en' ? err.message_en : err.message_zh) : String(err));
    }
    ctx.refresh();
  };
  const cols = [
    {label: t('yl.student'), class: 'col-title', cell: (y) => h('a', {href: `#/poverty/households/${y.household_id}`}, y.name)},
    {label: t('pv.village'), cell: (y) => y.area_name},
    {label: t('yl.school_year'), cell: (y) => y.school_year},
    {label: t('yl.school'), cell: (y) => `${y.school}${y.major ? ' · ' + y.major : ''}`},
    {label: t('yl.level'), cell: (y) => L(m.yulu_levels.find((l) => l.code === y.level))},
    {label: t('yl.basis'), cell: (y) => y.eligibility},
    {label: t('yl.annual'), class: 'col-num', cell: (y) => yuan(y.annual_fen)},
    {label: t('yl.paid'), class: 'col-num', cell: (y) => yuan(y.paid_fen)},
    {label: t('common.actions'), cell: (y) => (canWrite() && y.due_fen > 0
      ? button(t('yl.pay', {n: y.paid_fen ? 2 : 1}), {class: 'btn-sm', 'data-action': 'pay', onclick: () => pay(y, y.paid_fen ? 2 : 1)}) : '')},
  ];
  el.appendChild(card(null, filters,
    h('p', {class: 'result-count'}, `${list.total} · ${t('yl.annual')} ${yuan(list.annual_fen)} · ${t('yl.paid')} ${yuan(list.paid_fen)}`),
    list.items.length ? table(cols, list.items, {class: 'pv-yulu', rowAttrs: (y) => ({'data-yulu': y.id})}) : empty(t('yl.none')),
    list.total > list.per_page ? pager(list.total, list.page, list.per_page, (p) => go({page: p})) : null));
}

registerPage({path: '/poverty/projects', title: 'pj.title', roles: ROLES, render: renderProjects,
  nav: {label: 'nav.poverty_projects', icon: 'ledger', roles: ROLES, order: 42}});
registerPage({path: '/poverty/projects/:id', title: 'pj.title', roles: ROLES, render: renderProject});
registerPage({path: '/poverty/yulu', title: 'yl.title', roles: ROLES, render: renderYulu,
  nav: {label: 'nav.poverty_yulu', icon: 'duty', roles: ROLES, order: 43}});
