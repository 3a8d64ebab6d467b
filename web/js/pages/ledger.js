// ledger.js — 书记抓基层党建工作台账: summary, task list with filters, create/edit, and the task
// detail with its closed loop 定责 → 研讨 → 问效 → 考评 → 办结 and its history.

import {h, append, replace} from '../dom.js';
import {t, lang, pick} from '../i18n.js';
import {get, post, patch, qs, ApiError, errorText} from '../api.js';
import {registerPage, href} from '../router.js';
import {areas, workflow, hasRole, flash, cached} from '../session.js';
import {
  field, input, textarea, select, areaOptions, formError, submitting, button, linkButton,
  pageHeader, card, notice, loading, empty, failed, stateBadge, overdueBadge, table, pager,
  formDialog, fmtTime, today, addDays, fmtNumber,
} from '../ui.js';

const LOOP = ['assigned', 'discussing', 'checking', 'evaluating', 'closed'];
const PER_PAGE = [20, 50, 100];

/* ---- periods ---- */

export function periodValue(kind) {
  const d = today();
  const y = d.slice(0, 4);
  const m = Number(d.slice(5, 7));
  if (kind === 'month') return d.slice(0, 7);
  if (kind === 'quarter') return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
  if (kind === 'year') return y;
  return '';
}

const PERIODS = ['month', 'quarter', 'year', 'all'];

function stateOptions(wf, blank) {
  return [{value: '', label: blank}, ...wf.states.map((s) => ({value: s.code, label: pick(s)}))];
}

/* ---- list ---- */

function summaryCards(sum, wf, query) {
  const link = (state, extra) => href('/ledger', {...Object.fromEntries(query), state, overdue: extra, page: null});
  const item = (key, labelText, value, opts = {}) => h('a', {
    class: ['stat', opts.cls], href: opts.href, 'data-stat': key,
    'aria-label': `${labelText}: ${value}`,
  }, h('span', {class: 'stat-value'}, value), h('span', {class: 'stat-label'}, labelText));
  return h('div', {class: 'stats'},
    item('total', t('ledger.sum_total'), sum.total, {cls: 'stat-total', href: link(null)}),
    wf.states.map((s) => item(s.code, pick(s), sum.by_state[s.code] ?? 0,
      {cls: 'stat-' + s.code, href: link(s.code)})),
    item('overdue', t('ledger.sum_overdue'), sum.overdue, {cls: sum.overdue ? 'stat-alert' : '', href: link(null, 1)}),
    item('average', t('ledger.sum_average'), sum.average_score === null ? '—' : fmtNumber(sum.average_score),
      {cls: 'stat-score', href: link('closed')}));
}

function filterForm(query, wf, areaList, onSubmit) {
  const q = (k) => query.get(k) || '';
  const period = query.get('period') || 'month';
  const form = h('form', {class: 'filters', role: 'search', novalidate: true},
    field(t('ledger.f_period'), select('period', PERIODS.map((p) => ({value: p, label: t('period.' + p)})), {value: period})),
    field(t('task.state'), select('state', stateOptions(wf, t('common.all')), {value: q('state')})),
    field(t('task.category'), select('category',
      [{value: '', label: t('common.all')}, ...(wf.categories || []).map((c) => ({value: c, label: c}))], {value: q('category')})),
    field(t('task.area'), select('area', areaOptions(areaList, t('common.all')), {value: q('area')})),
    field(t('ledger.f_q'), input('q', {type: 'search', value: q('q'), placeholder: t('ledger.f_q_ph')})),
    h('div', {class: 'field field-check'},
      h('label', null, h('input', {type: 'checkbox', name: 'overdue', value: '1', checked: q('overdue') === '1'}),
        ' ', t('ledger.f_overdue'))),
    h('div', {class: 'filter-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('common.search')),
      linkButton(t('common.reset'), '#/ledger')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    onSubmit({
      period: fd.get('period'), state: fd.get('state'), category: fd.get('category'), area: fd.get('area'),
      q: String(fd.get('q') || '').trim(), overdue: fd.get('overdue') ? 1 : null,
      per_page: query.get('per_page'),
    });
  });
  return form;
}

/** On a phone the filters fold into a "筛选" line, open when a filter is in use. */
function filterBox(query, form) {
  const phone = window.matchMedia('(max-width: 760px)').matches;
  const active = ['state', 'category', 'area', 'q', 'overdue'].filter((k) => query.get(k));
  return h('details', {class: 'filter-box', open: !phone || active.length > 0},
    h('summary', null, t('ledger.filters'), active.length ? ` (${active.length})` : ''),
    form);
}

async function renderList(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('ledger.title'));
  const canCreate = hasRole('admin', 'leader');
  append(el, [pageHeader(t('ledger.title'),
    canCreate ? linkButton(t('ledger.new'), '#/ledger/new', {kind: 'primary', icon: 'plus'}) : null)]);
  const body = h('div', null, loading());
  el.appendChild(body);

  const periodKind = query.get('period') || 'month';
  const period = periodValue(periodKind);
  const page = Math.max(1, Number(query.get('page')) || 1);
  const perPage = PER_PAGE.includes(Number(query.get('per_page'))) ? Number(query.get('per_page')) : 20;
  const common = {
    area: query.get('area'), category: query.get('category'), q: query.get('q'), period,
  };
  // the summary of "all periods": a range wide enough for every deadline
  const sumParams = period ? common : {...common, from: '2000-01-01', to: '2099-12-31'};
  const [wf, areaList, sum, list] = await Promise.all([
    workflow(), areas(),
    get('/api/v1/ledger/summary' + qs(sumParams)),
    get('/api/v1/ledger/tasks' + qs({...common, state: query.get('state'), overdue: query.get('overdue'),
      page, per_page: perPage})),
  ]);
  if (!ctx.alive()) return;

  const go = (params) => ctx.go('/ledger', params);
  const range = period && sum.from && sum.to ? t('ledger.sum_range', {from: sum.from, to: sum.to}) : t('period.all');
  const columns = [
    {label: t('task.title'), class: 'col-title', cell: (r) => h('a', {href: `#/ledger/tasks/${r.id}`, class: 'task-link'}, r.title)},
    {label: t('task.category'), cell: (r) => r.category},
    {label: t('task.area'), cell: (r) => r.area_name},
    {label: t('task.responsible'), cell: (r) => [r.responsible_unit, r.responsible_person].filter(Boolean).join(' / ')},
    {label: t('task.deadline'), class: 'col-date', cell: (r) => h('span', null, r.deadline, r.overdue ? [' ', overdueBadge()] : null)},
    {label: t('task.state'), cell: (r) => stateBadge(r)},
    {label: t('task.score'), class: 'col-num', cell: (r) => (r.score === null ? '' : String(r.score))},
  ];
  const pagerBar = pager(list.total, list.page, list.per_page, (p) => go({...Object.fromEntries(query), page: p}));
  const perSel = select('per_page', PER_PAGE.map((n) => ({value: String(n), label: t('common.per_page', {n})})),
    {value: String(perPage), 'aria-label': t('common.per_page_label'),
      onchange: (ev) => go({...Object.fromEntries(query), per_page: ev.target.value, page: 1})});
  pagerBar.appendChild(perSel);

  replace(body,
    card(null,
      h('div', {class: 'sum-head'}, h('h2', {class: 'card-title'}, t('ledger.summary')),
        h('span', {class: 'muted'}, range, ' · ', t('ledger.sum_basis'))),
      summaryCards(sum, wf, query)),
    card(null,
      filterBox(query, filterForm(query, wf, areaList, (f) => go({...f, page: 1}))),
      h('p', {class: 'result-count', role: 'status'}, t('ledger.count', {n: list.total})),
      list.items.length
        ? table(columns, list.items, {class: 'task-table', caption: t('ledger.title'),
          rowAttrs: (r) => ({class: r.overdue ? 'row-overdue' : null, 'data-task': r.id})})
        : empty(t('ledger.none')),
      list.total > list.per_page || page > 1 ? pagerBar : null));
}

/* ---- create / edit ---- */

async function assigneeOptions(area, current) {
  const opts = [{value: '', label: t('task.no_assignee')}];
  if (area) {
    try {
      const res = await get('/api/v1/users/lookup' + qs({area}));
      for (const u of res.items) opts.push({value: String(u.id), label: u.display_name});
    } catch (err) {
      /* the select stays with "none"; the area field shows the problem on submit */
    }
  }
  if (current && !opts.some((o) => o.value === String(current.id)))
    opts.push({value: String(current.id), label: current.name});
  return opts;
}

async function taskForm(ctx, task) {
  const {el} = ctx;
  const editing = Boolean(task);
  const [wf, areaList] = await Promise.all([workflow(), areas()]);
  if (!ctx.alive()) return;
  const defArea = task ? task.area : (areaList.find((a) => a.level === 4) || areaList[0] || {}).code || '';
  const cats = [...(wf.categories || [])];
  if (task && !cats.includes(task.category)) cats.push(task.category);

  const f = {
    title: input('title', {value: task ? task.title : '', maxlength: 100}),
    description: textarea('description', {rows: 4, value: task ? task.description : ''}),
    area: select('area', areaOptions(areaList, t('common.choose')), {value: defArea}),
    category: select('category', [{value: '', label: t('common.choose')}, ...cats.map((c) => ({value: c, label: c}))],
      {value: task ? task.category : ''}),
    responsible_unit: input('responsible_unit', {value: task ? task.responsible_unit : '', maxlength: 100}),
    responsible_person: input('responsible_person', {value: task ? task.responsible_person : '', maxlength: 64}),
    assignee_id: select('assignee_id', [{value: '', label: t('task.no_assignee')}]),
    deadline: input('deadline', {type: 'date', value: task ? task.deadline : addDays(today(), 14)}),
  };
  const fillAssignees = async () => {
    const keep = f.assignee_id.value || (task && task.assignee ? String(task.assignee.id) : '');
    const opts = await assigneeOptions(f.area.value, task && f.area.value === task.area ? task.assignee : null);
    replace(f.assignee_id, ...opts.map((o) => h('option', {value: o.value}, o.label)));
    f.assignee_id.value = opts.some((o) => o.value === keep) ? keep : '';
  };
  f.area.addEventListener('change', fillAssignees);
  await fillAssignees();
  if (!ctx.alive()) return;

  const form = h('form', {class: 'form-grid', novalidate: true},
    formError(),
    field(t('task.title'), f.title, {required: true, wide: true}),
    field(t('task.description'), f.description, {wide: true}),
    field(t('task.area'), f.area, {required: true}),
    field(t('task.category'), f.category, {required: true}),
    field(t('task.responsible_unit'), f.responsible_unit),
    field(t('task.responsible_person'), f.responsible_person),
    field(t('task.assignee'), f.assignee_id, {hint: t('task.assignee_hint')}),
    field(t('task.deadline'), f.deadline, {required: true}),
    h('div', {class: 'form-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, editing ? t('common.save') : t('ledger.create')),
      linkButton(t('common.cancel'), editing ? `#/ledger/tasks/${task.id}` : '#/ledger')));

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitting(form, async () => {
      const body = {
        title: f.title.value.trim(), description: f.description.value, area: f.area.value,
        category: f.category.value, responsible_unit: f.responsible_unit.value.trim(),
        responsible_person: f.responsible_person.value.trim(),
        assignee_id: f.assignee_id.value ? Number(f.assignee_id.value) : null, deadline: f.deadline.value,
      };
      if (!body.deadline) {
        throw new ApiError(400, {error: {code: 'required', field: 'deadline', message: 'deadline is required',
          message_zh: '完成时限为必填项'}});
      }
      if (!editing) {
        const made = await post('/api/v1/ledger/tasks', body);
        flash('success', t('ledger.created'));
        ctx.go(`/ledger/tasks/${made.id}`);
        return;
      }
      try {
        await patch(`/api/v1/ledger/tasks/${task.id}`, {...body, version: task.version});
      } catch (err) {
        if (err instanceof ApiError && err.code === 'stale_version') {
          flash('warning', t('ledger.stale_edit'));
          ctx.refresh();
          return;
        }
        throw err;
      }
      flash('success', t('common.saved'));
      ctx.go(`/ledger/tasks/${task.id}`);
    });
  });
  append(el, [card(null, form)]);
  f.title.focus();
}

async function renderNew(ctx) {
  ctx.setTitle(t('ledger.new'));
  append(ctx.el, [h('p', {class: 'crumbs'}, h('a', {href: '#/ledger'}, t('ledger.title'))), pageHeader(t('ledger.new'))]);
  await taskForm(ctx, null);
}

async function renderEdit(ctx) {
  const task = await get(`/api/v1/ledger/tasks/${encodeURIComponent(ctx.params.id)}`);
  if (!ctx.alive()) return;
  ctx.setTitle(t('ledger.edit'));
  append(ctx.el, [
    h('p', {class: 'crumbs'}, h('a', {href: '#/ledger'}, t('ledger.title')), ' / ',
      h('a', {href: `#/ledger/tasks/${task.id}`}, task.title)),
    pageHeader(t('ledger.edit'))]);
  if (!task.can_edit) {
    append(ctx.el, [notice('warning', t('ledger.cannot_edit'))]);
    return;
  }
  await taskForm(ctx, task);
}

/* ---- detail ---- */

function progress(task) {
  const at = LOOP.indexOf(task.state);
  if (task.state === 'cancelled') return h('p', {class: 'loop-cancelled'}, stateBadge(task));
  return h('ol', {class: 'loop', 'aria-label': t('ledger.loop')},
    LOOP.map((code, i) => h('li', {
      class: ['loop-step', (i < at || task.state === 'closed') && 'done', i === at && 'current'],
      'aria-current': i === at ? 'step' : null,
    }, h('span', {class: 'loop-dot'}, String(i + 1)), h('span', {class: 'loop-name'}, t('state.' + code)))));
}

function detailList(task) {
  const row = (key, value, cls) => [h('dt', null, t(key)), h('dd', {class: cls, 'data-field': key.replace('task.', '')},
    value === null || value === undefined || value === '' ? h('span', {class: 'muted'}, '—') : value)];
  return h('dl', {class: 'details'},
    row('task.id', String(task.id)),
    row('task.state', h('span', null, stateBadge(task), task.overdue ? [' ', overdueBadge()] : null)),
    row('task.category', task.category),
    row('task.area', `${task.area_name} (${task.area})`),
    row('task.responsible_unit', task.responsible_unit),
    row('task.responsible_person', task.responsible_person),
    row('task.assignee', task.assignee ? task.assignee.name : ''),
    row('task.deadline', task.deadline),
    row('task.description', task.description, 'pre'),
    row('task.last_note', task.last_note, 'pre'),
    row('task.score', task.score === null ? '' : h('strong', {class: 'score'}, String(task.score))),
    row('task.eval_comment', task.eval_comment, 'pre'),
    row('task.reopen_count', String(task.reopen_count)),
    task.duty_id ? row('task.period', h('a', {href: '#/ledger/duties'}, task.period || String(task.duty_id))) : null,
    row('task.created_at', fmtTime(task.created_at)),
    row('task.updated_at', fmtTime(task.updated_at)),
    row('task.closed_at', fmtTime(task.closed_at)),
    row('task.version', String(task.version)));
}

const TASK_FIELDS = ['title', 'description', 'area', 'category', 'deadline', 'responsible_unit',
  'responsible_person', 'assignee_id', 'state', 'score', 'eval_comment'];

function changedFields(e) {
  if (!e.before || !e.after) return [];
  return TASK_FIELDS.filter((k) => k !== 'state' && JSON.stringify(e.before[k] ?? '') !== JSON.stringify(e.after[k] ?? ''));
}

export function actionLabel(code) {
  return t('action.' + code, null, code);
}

function historyList(items, names) {
  if (!items.length) return empty(t('ledger.no_history'));
  return h('ol', {class: 'timeline'}, items.map((e) => {
    const who = (e.user_id && names.get(e.user_id)) || e.user;
    const changed = e.action === 'update' ? changedFields(e) : [];
    const after = e.after || {};
    return h('li', {class: ['tl-item', 'tl-' + e.action], 'data-action': e.action},
      h('div', {class: 'tl-head'},
        h('span', {class: 'tl-action'}, actionLabel(e.action)),
        after.state && e.before && e.before.state !== after.state
          ? h('span', {class: 'tl-state'}, '→ ', t('state.' + after.state, null, after.state)) : null,
        h('time', {class: 'tl-time', datetime: e.at}, fmtTime(e.at)),
        h('span', {class: 'tl-user'}, who)),
      e.action === 'evaluate' && after.score !== undefined
        ? h('div', {class: 'tl-score'}, t('task.score'), ': ', h('strong', null, String(after.score))) : null,
      e.reason ? h('div', {class: 'tl-reason'}, e.reason) : null,
      changed.length ? h('div', {class: 'tl-changed'}, t('ledger.changed'), ': ',
        changed.map((k) => t('task.' + (k === 'assignee_id' ? 'assignee' : k))).join(lang() === 'zh' ? '、' : ', ')) : null);
  }));
}

async function loadHistory(box, task) {
  replace(box, loading());
  try {
    const [audit, people] = await Promise.all([
      get('/api/v1/audit' + qs({entity: 'ledger_task', id: task.id, limit: 200})),
      cached('/api/v1/users/lookup' + qs({area: task.area})).catch(() => ({items: []})),
    ]);
    const names = new Map(people.items.map((u) => [u.id, u.display_name]));
    replace(box, historyList(audit.items.slice().reverse(), names));
  } catch (err) {
    failed(box, err);
  }
}

function openAction(ctx, task, a, reload) {
  const title = pick(a);
  formDialog({
    title,
    submitLabel: title,
    danger: a.action === 'cancel',
    build: (form) => {
      append(form, [h('p', {class: 'dialog-text'}, t('ledger.action_confirm', {action: title, to: pick(a, 'to')}))]);
      if (a.needs_note) form.appendChild(field(t('task.note'), textarea('note', {rows: 4}), {required: true, hint: t('task.note_hint')}));
      else if (!a.needs_reason && !a.needs_score) form.appendChild(field(t('task.note_optional'), textarea('note', {rows: 2})));
      if (a.needs_reason) form.appendChild(field(t('task.reason'), textarea('reason', {rows: 3}), {required: true}));
      if (a.needs_score) {
        form.appendChild(field(t('task.score_input'), input('score', {type: 'number', min: 0, max: 100, step: 1, inputmode: 'numeric'}),
          {required: true, hint: t('task.score_hint')}));
        form.appendChild(field(t('task.eval_comment'), textarea('comment', {rows: 3}), {required: true}));
      }
    },
    submit: async (form) => {
      const body = {action: a.action, version: task.version};
      const val = (n) => (form.elements[n] ? form.elements[n].value : undefined);
      if (a.needs_note) body.note = val('note');
      else if (val('note') && val('note').trim()) body.note = val('note');
      if (a.needs_reason) body.reason = val('reason');
      if (a.needs_score) {
        const raw = String(val('score')).trim();
        if (!/^\d{1,3}$/.test(raw) || Number(raw) > 100) {
          throw new ApiError(400, {error: {code: 'invalid_field', field: 'score',
            message: 'score must be a whole number between 0 and 100', message_zh: '考评分数须为0到100之间的整数'}});
        }
        body.score = Number(raw);
        body.comment = val('comment');
      }
      try {
        await post(`/api/v1/ledger/tasks/${task.id}/transitions`, body);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          // someone else changed the task: say so, and show it as it is now
          reload({kind: 'warning', text: err.code === 'stale_version' ? t('ledger.stale')
            : t('ledger.reloaded', {msg: errorText(err)})});
          return true;
        }
        throw err;
      }
      reload({kind: 'success', text: t('ledger.done_action', {action: title})});
      return true;
    },
  });
}

async function renderDetail(ctx) {
  const {el, params} = ctx;
  const id = params.id;
  const draw = async (msg) => {
    const task = await get(`/api/v1/ledger/tasks/${encodeURIComponent(id)}`);
    if (!ctx.alive()) return;
    ctx.setTitle(task.title);
    const reload = (m) => draw(m).catch((err) => failed(el, err));
    const actions = (task.actions || []).map((a) => button(pick(a), {
      kind: a.action === 'cancel' ? 'danger' : a.action === 'return' || a.action === 'reopen' ? 'secondary' : 'primary',
      'data-action': a.action, onclick: () => openAction(ctx, task, a, reload),
    }));
    const history = h('div', {class: 'history'});
    replace(el,
      h('p', {class: 'crumbs'}, h('a', {href: '#/ledger'}, t('ledger.title')), ' / ', t('ledger.detail')),
      msg ? notice(msg.kind, msg.text) : null,
      h('div', {class: 'page-head'},
        h('div', {class: 'title-block'},
          h('h1', {tabindex: '-1'}, task.title),
          h('div', {class: 'title-meta'}, h('span', {'data-test': 'task-state'}, stateBadge(task)),
            task.overdue ? overdueBadge() : null,
            task.score !== null ? h('span', {class: 'badge badge-score', 'data-test': 'task-score'}, t('ledger.score_badge', {n: task.score})) : null)),
        task.can_edit ? linkButton(t('common.edit'), `#/ledger/tasks/${task.id}/edit`, {kind: 'secondary'}) : null),
      card(null, progress(task),
        actions.length
          ? h('div', {class: 'actions', role: 'group', 'aria-label': t('ledger.actions')},
            h('span', {class: 'actions-label'}, t('ledger.next_step')), actions)
          : h('p', {class: 'muted actions-none'}, t(task.state === 'closed' || task.state === 'cancelled' ? 'ledger.finished' : 'ledger.no_actions'))),
      h('div', {class: 'detail-grid'},
        card(t('ledger.info'), detailList(task)),
        card(t('ledger.history'), history)));
    if (msg) el.querySelector('.notice')?.focus?.();
    await loadHistory(history, task);
  };
  await draw(ctx.flashed);
}

registerPage({
  path: '/ledger', title: 'ledger.title', render: renderList,
  nav: {label: 'nav.ledger', icon: 'ledger', order: 10},
});
registerPage({path: '/ledger/new', title: 'ledger.new', roles: ['admin', 'leader'], render: renderNew});
registerPage({path: '/ledger/tasks/:id', title: 'ledger.detail', render: renderDetail});
registerPage({path: '/ledger/tasks/:id/edit', title: 'ledger.edit', roles: ['admin', 'leader'], render: renderEdit});
