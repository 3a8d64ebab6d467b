// poverty-review.js — 回头看 review campaigns: the list and a form to start one, the campaign
// workspace (the report sentence, progress by village, the households to check with "verified"
// and "record a finding", the approval and application queue), and the change request's page.

import {h, append, replace, clear} from '../dom.js';
import {t, pick} from '../i18n.js';
import {get, post, patch, qs, ApiError, errorText} from '../api.js';
import {registerPage} from '../router.js';
import {currentUser} from '../session.js';
import {
  field, input, textarea, select, formError, submitting, button, pageHeader, card,
  notice, loading, empty, failed, table, pager, formDialog, fmtTime, today,
} from '../ui.js';
import {
  meta, canWrite, L, statusInfo, statusBadge, tagBadges, villages, villageOptions, townsAndVillages,
} from './poverty-common.js';
import {personRows, tagChecks, noticeList} from './poverty.js';

const ROLES = ['admin', 'poverty_officer', 'leader'];

function stateBadge(ch) {
  return h('span', {class: ['badge', 'pv-ch', 'pv-ch-' + ch.state], 'data-state': ch.state}, pick(ch, 'state') || ch.state_zh);
}

/** The transitions of the change workflow this user may take from a state. */
function actionsFor(m, state) {
  const user = currentUser();
  const mine = new Set((user ? user.roles : []).map((r) => r.code || r));
  return m.change_workflow.transitions.filter((tr) => tr.from === state && tr.roles.some((r) => mine.has(r)));
}

async function takeAction(ch, tr, after) {
  const go = async (reason) => {
    try {
      await post(`/api/v1/poverty/changes/${ch.id}/transitions`, {action: tr.action, version: ch.version, ...(reason ? {reason} : {})});
      after({kind: 'success', text: t('ch.done_action', {action: pick(tr)})});
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'stale_version' || err.code === 'invalid_transition')) {
        after({kind: 'warning', text: t('ch.reload')});
        return;
      }
      throw err;
    }
  };
  if (!tr.needs_reason) {
    try {
      await go();
    } catch (err) {
      after({kind: 'error', text: errorText(err)});
    }
    return;
  }
  formDialog({
    title: pick(tr),
    submitLabel: pick(tr),
    danger: tr.action === 'reject' || tr.action === 'cancel',
    build: (form) => form.appendChild(field(t('pv.reason'), textarea('reason', {rows: 3}), {required: true})),
    submit: async (form) => {
      await go(form.elements.reason.value);
      return true;
    },
  });
}

function actionButtons(m, ch, after) {
  return actionsFor(m, ch.state).map((tr) => button(pick(tr), {
    class: 'btn-sm', kind: tr.action === 'reject' || tr.action === 'cancel' ? 'secondary' : tr.action === 'apply' ? 'primary' : null,
    'data-action': tr.action, onclick: () => takeAction(ch, tr, after),
  }));
}

/* ---- list ---- */

function progressBar(done, total) {
  return h('span', {class: 'pv-progress'},
    h('progress', {max: Math.max(total, 1), value: done}),
    h('span', {class: 'pv-progress-text'}, `${done}/${total}`));
}

async function newReviewForm(ctx) {
  const [areaList, m] = await Promise.all([townsAndVillages(), meta()]);
  const town = areaList.find((a) => a.level === 4) || areaList[0] || {};
  const users = await get('/api/v1/users/lookup' + qs({area: town.code || ''})).catch(() => ({items: []}));
  const checkers = h('div', {class: 'check-group', role: 'group', name: 'checkers'},
    users.items.map((u) => h('label', {class: 'check'}, h('input', {type: 'checkbox', value: String(u.id),
      checked: currentUser() && u.id === currentUser().id}), u.display_name)));
  const focus = h('div', {class: 'check-group', role: 'group', name: 'focus'},
    h('label', {class: 'check'}, h('input', {type: 'checkbox', value: 'key', checked: true}), t('pv.focus_key')),
    h('label', {class: 'check'}, h('input', {type: 'checkbox', value: 'registered', checked: true}), t('pv.focus_registered')));
  const f = {
    name: input('name', {maxlength: 100}),
    area: select('area', areaList.map((a) => ({value: a.code, label: a.name})), {value: town.code}),
    start_date: input('start_date', {type: 'date', value: today()}),
    end_date: input('end_date', {type: 'date'}),
    note: textarea('note', {rows: 2}),
  };
  const form = h('form', {class: 'form-grid', novalidate: true},
    h('h2', {class: 'card-title field-wide'}, t('rv.new')), formError(),
    field(t('rv.name'), f.name, {required: true, wide: true}),
    field(t('rv.area'), f.area, {required: true, hint: m.key_categories.length ? '' : null}),
    field(t('rv.start'), f.start_date, {required: true}),
    field(t('rv.end'), f.end_date, {required: true}),
    field(t('rv.focus'), focus, {group: true, required: true}),
    field(t('rv.checkers'), checkers, {group: true, wide: true}),
    field(t('rv.note'), f.note, {wide: true}),
    h('div', {class: 'form-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('rv.create'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitting(form, async () => {
      const made = await post('/api/v1/poverty/reviews', {
        name: f.name.value.trim(), area: f.area.value, start_date: f.start_date.value, end_date: f.end_date.value,
        focus: [...focus.querySelectorAll('input:checked')].map((x) => x.value),
        checkers: [...checkers.querySelectorAll('input:checked')].map((x) => Number(x.value)), note: f.note.value,
      });
      ctx.go(`/poverty/reviews/${made.id}`);
    });
  });
  return card(null, form);
}

async function renderReviews(ctx) {
  ctx.setTitle(t('rv.title'));
  const list = await get('/api/v1/poverty/reviews' + qs({page: ctx.query.get('page') || 1, per_page: 20}));
  if (!ctx.alive()) return;
  append(ctx.el, [pageHeader(t('rv.title'))]);
  const cols = [
    {label: t('rv.name'), class: 'col-title', cell: (r) => h('a', {href: `#/poverty/reviews/${r.id}`, class: 'pv-review-link'}, r.name)},
    {label: t('rv.area'), cell: (r) => r.area_name},
    {label: t('rv.period'), class: 'col-date', cell: (r) => `${r.start_date} — ${r.end_date}`},
    {label: t('rv.progress'), cell: (r) => progressBar(r.checked, r.households)},
    {label: t('rv.findings'), class: 'col-num', cell: (r) => String(r.findings)},
    {label: t('pv.status'), cell: (r) => h('span', {class: ['badge', 'pv-rv-' + r.state]}, t('rv.state_' + r.state))},
  ];
  ctx.el.appendChild(card(null, list.items.length ? table(cols, list.items, {class: 'pv-reviews'}) : empty(t('rv.none')),
    list.total > list.per_page ? pager(list.total, list.page, list.per_page, (p) => ctx.go('/poverty/reviews', {page: p})) : null));
  if (canWrite()) ctx.el.appendChild(await newReviewForm(ctx));
}

/* ---- recording a finding ---- */

export async function findingDialog(ctx, m, opts, after) {
  // opts: {review_id?, household?: detail} — without a household only 新识别
  const hh = opts.household;
  const types = m.change_types.filter((ty) => (hh ? ty.code !== 'new' : ty.code === 'new'));
  const vs = hh ? [] : await villages();
  let parts = {};
  formDialog({
    title: hh ? `${t('pv.record_finding')}:${hh.head_name || ''}` : t('rv.new_household'),
    submitLabel: t('common.save'),
    build: (form) => {
      const type = select('type', types.map((ty) => ({value: ty.code, label: L(ty)})));
      const box = h('div', {class: 'pv-finding-box'});
      const fill = () => {
        clear(box);
        parts = {};
        const ty = type.value;
        if (ty === 'decrease') {
          const rows = hh.persons.map((p) => h('div', {class: 'pv-leave-row', 'data-person': p.id},
            h('label', {class: 'check'}, h('input', {type: 'checkbox', value: String(p.id)}), `${p.name}(${p.relation})`),
            select('reason', m.leave_reasons.map((r) => ({value: r.code, label: L(r)})), {'aria-label': t('ch.leave_reason')}),
            input('date', {type: 'date', value: today(), max: today(), 'aria-label': t('ch.leave_date')})));
          append(box, [h('span', {class: 'field-label'}, t('ch.choose_members')), h('div', {class: 'pv-leave-rows', name: 'payload.persons'}, rows)]);
          parts.payload = () => ({persons: rows.filter((r) => r.querySelector('input[type=checkbox]').checked).map((r) => ({
            person_id: Number(r.dataset.person), reason: r.querySelector('[name=reason]').value, date: r.querySelector('[name=date]').value,
          }))});
        } else if (ty === 'missed') {
          const rows = personRows(m, 1);
          box.appendChild(rows);
          parts.payload = () => ({persons: rows.read()});
          parts.rows = rows;
        } else if (ty === 'wrong_exit') {
          const target = select('target', [{value: '', label: t('ch.target_auto')},
            ...['poor', 'exited', 'returned', 'monitored'].map((c) => ({value: c, label: L(statusInfo(m, c))}))]);
          box.appendChild(field(t('ch.target_status'), target));
          parts.payload = () => (target.value ? {status: target.value, kind: target.value === 'poor' ? 'general' : target.value === 'monitored' ? 'unstable' : ''} : {});
        } else if (ty === 'new') {
          const area = select('payload.household.area', villageOptions(vs, t('common.choose')));
          const address = input('payload.household.address', {maxlength: 200});
          const tags = tagChecks(m, [m.registered_tag]);
          const status = select('payload.status', ['poor', 'monitored'].map((c) => ({value: c, label: L(statusInfo(m, c))})));
          const kind = select('payload.kind', []);
          const fillKinds = () => replace(kind, ...statusInfo(m, status.value).kinds.map((k) => h('option', {value: k.code}, L(k))));
          status.addEventListener('change', fillKinds);
          fillKinds();
          const rows = personRows(m, 2);
          append(box, [field(t('pv.village'), area, {required: true}), field(t('pv.address'), address),
            field(t('pv.tag'), tags, {group: true}), field(t('ch.new_status'), status), field(t('pv.kind'), kind), rows,
            h('p', {class: 'field-hint'}, t('ch.notice_hint'))]);
          parts.payload = () => ({household: {area: area.value, address: address.value.trim(), tags: tags.read()},
            persons: rows.read(), status: status.value, kind: kind.value});
          parts.rows = rows;
        }
      };
      type.addEventListener('change', fill);
      append(form, [field(t('ch.type'), type, {required: true}), box,
        field(t('ch.description'), textarea('description', {rows: 2}), {required: true}),
        field(t('ch.evidence'), textarea('evidence', {rows: 2})),
        field(t('ch.effective_date'), input('effective_date', {type: 'date'}), {hint: t('ch.effective_hint')})]);
      fill();
    },
    submit: async (form) => {
      const body = {type: form.elements.type.value, payload: parts.payload ? parts.payload() : {},
        description: form.elements.description.value, evidence: form.elements.evidence.value};
      if (opts.review_id) body.review_id = opts.review_id;
      if (hh) body.household_id = hh.id;
      if (form.elements.effective_date.value) body.effective_date = form.elements.effective_date.value;
      try {
        const made = await post('/api/v1/poverty/changes', body);
        after({kind: 'success', text: t('ch.created')}, made);
      } catch (err) {
        if (parts.rows && err instanceof ApiError && err.field) {
          const f = err.field.replace(/^payload\./, '');
          setTimeout(() => parts.rows.mark(f)); // after the dialog has shown the error
        }
        throw err;
      }
      return true;
    },
  });
}

/* ---- the workspace ---- */

function summaryCard(m, s) {
  return card(null,
    h('div', {class: 'sum-head'}, h('h2', {class: 'card-title'}, t('rv.report')), h('span', {class: 'muted'}, t('rv.report_hint'))),
    h('blockquote', {class: 'pv-report', 'data-test': 'review-text'}, s.text),
    h('p', {class: 'muted'}, t('rv.in_focus', {key: s.focus.key, reg: s.focus.registered})),
    table([
      {label: t('rv.type'), cell: (x) => L(x)},
      {label: t('rv.findings'), class: 'col-num', cell: (x) => String(x.findings)},
      {label: t('pv.households'), class: 'col-num', cell: (x) => String(x.households)},
      {label: t('pv.persons'), class: 'col-num', cell: (x) => String(x.persons)},
      {label: t('rv.applied'), class: 'col-num', cell: (x) => String(x.applied)},
    ], s.by_type, {class: 'pv-by-type', rowAttrs: (x) => ({'data-type': x.type, class: x.findings ? null : 'row-muted'})}));
}

function villageTable(progress) {
  return table([
    {label: t('pv.village'), cell: (v) => v.name},
    {label: t('rv.progress'), cell: (v) => progressBar(v.checked, v.households)},
    {label: t('rv.findings'), class: 'col-num', cell: (v) => String(v.findings)},
  ], progress, {class: 'pv-progress-table', rowAttrs: (v) => ({'data-village': v.area})});
}

async function checksCard(ctx, m, review, reload) {
  const box = h('div', null, loading());
  const q = (k) => ctx.query.get(k) || '';
  const village = select('village', [{value: '', label: t('common.all')}, ...review.villages.map((v) => ({value: v.area, label: v.name}))], {value: q('village')});
  const checked = select('checked', [{value: '', label: t('common.all')}, {value: '0', label: t('rv.not_checked')},
    {value: '1', label: t('rv.is_checked')}], {value: ctx.query.has('checked') ? q('checked') : review.state === 'open' ? '0' : ''});
  const page = Math.max(1, Number(q('page')) || 1);
  const go = (p) => ctx.go(`/poverty/reviews/${review.id}`, {village: village.value, checked: checked.value, page: p});
  village.addEventListener('change', () => go(1));
  checked.addEventListener('change', () => go(1));
  const open = review.state === 'open' && canWrite();
  try {
    const res = await get(`/api/v1/poverty/reviews/${review.id}/checks` + qs({village: village.value, checked: checked.value, page, per_page: 20}));
    const cols = [
      {label: t('pv.head'), class: 'col-title', cell: (k) => h('a', {href: `#/poverty/households/${k.household_id}`}, k.head_name || String(k.household_id))},
      {label: t('pv.village'), cell: (k) => k.area_name},
      {label: t('pv.members'), class: 'col-num', cell: (k) => String(k.members)},
      {label: t('pv.status'), cell: (k) => statusBadge(m, k.status, k.kind)},
      {label: t('rv.focus'), cell: (k) => [k.is_key ? h('span', {class: 'badge pv-tag'}, t('pv.focus_key')) : null, ' ',
        k.is_registered ? h('span', {class: 'badge pv-tag-reg'}, t('pv.focus_registered')) : null]},
      {label: t('rv.checked_filter'), cell: (k) => (k.checked ? h('span', {class: 'badge pv-checked'}, k.result === 'finding' ? t('rv.findings') : t('rv.is_checked')) : h('span', {class: 'muted'}, t('rv.not_checked')))},
      {label: t('common.actions'), cell: (k) => (open ? h('span', {class: 'pv-row-actions'},
        !k.checked ? button(t('rv.check_ok'), {class: 'btn-sm', 'data-action': 'check', onclick: async () => {
          try {
            await post(`/api/v1/poverty/reviews/${review.id}/checks/${k.household_id}`, {result: 'ok', note: '入户核实,信息准确', version: k.version});
            reload({kind: 'success', text: t('rv.check_done')});
          } catch (err) {
            reload({kind: 'error', text: errorText(err)});
          }
        }}) : null,
        button(t('pv.record_finding'), {class: 'btn-sm', kind: 'secondary', 'data-action': 'finding', onclick: async () => {
          const hh = await get(`/api/v1/poverty/households/${k.household_id}`);
          findingDialog(ctx, m, {review_id: review.id, household: hh}, reload);
        }})) : '')},
    ];
    replace(box, res.items.length ? table(cols, res.items, {class: 'pv-checks', rowAttrs: (k) => ({'data-household': k.household_id})}) : empty(),
      res.total > res.per_page ? pager(res.total, res.page, res.per_page, go) : null);
  } catch (err) {
    failed(box, err);
  }
  return card(null, h('div', {class: 'sum-head'}, h('h2', {class: 'card-title'}, t('rv.to_check')),
    h('label', {class: 'pv-inline'}, t('pv.village'), ' ', village), h('label', {class: 'pv-inline'}, t('rv.checked_filter'), ' ', checked),
    open ? button(t('rv.new_household'), {icon: 'plus', class: 'btn-sm', 'data-action': 'new-household',
      onclick: () => findingDialog(ctx, m, {review_id: review.id}, reload)}) : null), box);
}

async function queueCard(ctx, m, review, reload) {
  const res = await get('/api/v1/poverty/changes' + qs({review: review.id, per_page: 100}));
  const cols = [
    {label: t('ch.type'), cell: (c) => h('a', {href: `#/poverty/reviews/changes/${c.id}`, class: 'pv-change-link'}, pick(c, 'type'))},
    {label: t('ch.household'), cell: (c) => (c.household_id ? h('a', {href: `#/poverty/households/${c.household_id}`}, c.head_name || String(c.household_id)) : c.area_name)},
    {label: t('rv.hh_persons'), class: 'col-num col-nowrap', cell: (c) => `${c.households}户${c.persons}人`},
    {label: t('pv.status'), cell: (c) => stateBadge(c)},
    {label: t('ch.description'), class: 'col-text', cell: (c) => c.description},
    {label: t('common.actions'), cell: (c) => h('span', {class: 'pv-row-actions'}, actionButtons(m, c, reload))},
  ];
  return card(t('rv.queue'), res.items.length ? table(cols, res.items, {class: 'pv-queue', rowAttrs: (c) => ({'data-change': c.id, 'data-type': c.type, 'data-state': c.state})}) : empty(t('pv.no_findings')));
}

async function renderReview(ctx) {
  const {el} = ctx;
  const m = await meta();
  const draw = async (msg) => {
    const id = encodeURIComponent(ctx.params.id);
    const [review, s] = await Promise.all([get(`/api/v1/poverty/reviews/${id}`), get(`/api/v1/poverty/reviews/${id}/summary`)]);
    if (!ctx.alive()) return;
    ctx.setTitle(review.name);
    const reload = (mm) => draw(mm).catch((err) => failed(el, err));
    const [checks, queue] = await Promise.all([checksCard(ctx, m, review, reload), queueCard(ctx, m, review, reload)]);
    if (!ctx.alive()) return;
    const closeBtn = review.state === 'open' && canWrite() ? button(t('rv.close'), {kind: 'secondary', 'data-action': 'close', onclick: () => formDialog({
      title: t('rv.close'), submitLabel: t('rv.close'), danger: true,
      build: (form) => form.appendChild(h('p', {class: 'dialog-text'}, t('rv.close_confirm', {name: review.name}))),
      submit: async () => {
        await patch(`/api/v1/poverty/reviews/${review.id}`, {close: true, version: review.version});
        reload({kind: 'success', text: t('rv.closed_msg')});
        return true;
      },
    })}) : null;
    replace(el,
      h('p', {class: 'crumbs'}, h('a', {href: '#/poverty/reviews'}, t('rv.title')), ' / ', review.name),
      msg ? notice(msg.kind, msg.text) : null,
      h('div', {class: 'page-head'},
        h('div', {class: 'title-block'}, h('h1', {tabindex: '-1'}, review.name),
          h('div', {class: 'title-meta'}, h('span', {class: ['badge', 'pv-rv-' + review.state]}, t('rv.state_' + review.state)),
            h('span', {class: 'muted'}, `${review.area_name} · ${review.start_date} — ${review.end_date}`),
            review.checkers.length ? h('span', {class: 'muted'}, t('rv.checkers'), ':', review.checkers.map((u) => u.name).join('、')) : null)),
        closeBtn ? h('div', {class: 'page-actions'}, closeBtn) : null),
      summaryCard(m, s),
      card(t('rv.by_village'), villageTable(review.progress)),
      checks,
      queue);
    if (msg) el.querySelector('.notice')?.focus?.();
  };
  await draw(ctx.flashed);
}

/* ---- a change request ---- */

function stateName(m, code) {
  const s = m.change_workflow.states.find((x) => x.code === code);
  return s ? pick(s) : code;
}

function actionName(m, action) {
  const tr = m.change_workflow.transitions.find((x) => x.action === action);
  if (tr) return pick(tr);
  return t('ch.act_' + action, null, action);
}

function payloadView(m, ch) {
  const p = ch.payload || {};
  const parts = [];
  if (p.household) {
    parts.push(h('p', null, t('pv.village'), ':', p.household.area, ' ', p.household.address || '', ' ',
      tagBadges(p.household.tags || [], m.registered_tag), ' → ', statusBadge(m, p.status, p.kind)));
  }
  if (Array.isArray(p.persons) && p.persons.length) {
    const leaving = ch.type === 'decrease';
    parts.push(table([
      {label: t('pv.name'), cell: (x) => x.name || String(x.person_id || '')},
      ...(leaving ? [
        {label: t('ch.leave_reason'), cell: (x) => L(m.leave_reasons.find((r) => r.code === x.reason))},
        {label: t('ch.leave_date'), class: 'col-date', cell: (x) => x.date || ''},
      ] : [
        {label: t('pv.citizen_id'), class: 'col-nowrap', cell: (x) => x.citizen_id || ''},
        {label: t('pv.relation'), cell: (x) => x.relation || ''},
      ]),
    ], p.persons, {class: 'pv-payload-persons'}));
  }
  if (p.from_status) {
    parts.push(h('p', null, statusBadge(m, p.from_status, p.from_kind), ' → ',
      ch.type === 'wrong_assess' ? statusBadge(m, 'none', '') : statusBadge(m, p.status, p.kind)));
  }
  return parts.length ? parts : empty();
}

async function renderChange(ctx) {
  const {el} = ctx;
  const m = await meta();
  const draw = async (msg) => {
    const ch = await get(`/api/v1/poverty/changes/${encodeURIComponent(ctx.params.id)}`);
    const audit = await get('/api/v1/audit' + qs({entity: 'pv_change', id: ch.id, limit: 50})).catch(() => ({items: []}));
    if (!ctx.alive()) return;
    ctx.setTitle(`${pick(ch, 'type')} #${ch.id}`);
    const reload = (mm) => draw(mm).catch((err) => failed(el, err));
    const row = (k, v) => [h('dt', null, t(k)), h('dd', null, v === '' || v === null || v === undefined ? h('span', {class: 'muted'}, '—') : v)];
    const marks = ['rectified', 'entered', 'flagged'].map((k) => h('span', {class: ['badge', ch.marks[k] ? 'pv-mark-on' : 'pv-mark-off']}, t('ch.' + k)));
    const buttons = actionButtons(m, ch, reload);
    const canNotice = ch.type === 'new' && ['draft', 'submitted', 'approved'].includes(ch.state) && canWrite();
    replace(el,
      h('p', {class: 'crumbs'}, ch.review_id ? h('a', {href: `#/poverty/reviews/${ch.review_id}`}, t('rv.title')) : h('a', {href: '#/poverty'}, t('pv.title')), ' / ', t('ch.detail')),
      msg ? notice(msg.kind, msg.text) : null,
      h('div', {class: 'page-head'}, h('div', {class: 'title-block'}, h('h1', {tabindex: '-1'}, `${pick(ch, 'type')} #${ch.id}`),
        h('div', {class: 'title-meta'}, h('span', {'data-test': 'change-state'}, stateBadge(ch)), h('span', {class: 'muted'}, `${ch.households}户${ch.persons}人`)))),
      buttons.length || canNotice ? h('div', {class: 'actions pv-actions'}, buttons,
        canNotice ? button(t('pv.notice_start'), {kind: 'secondary', 'data-action': 'notice', onclick: () => import('./poverty.js')
          .then((mod) => mod.noticeDialog(m, {change_id: ch.id, statuses: [ch.payload.status], kind: ch.payload.kind}, reload))}) : null) : null,
      h('div', {class: 'detail-grid'},
        card(t('pv.info'), h('dl', {class: 'details'},
          row('ch.type', pick(ch, 'type')),
          row('ch.household', ch.household_id ? h('a', {href: `#/poverty/households/${ch.household_id}`}, ch.head_name || String(ch.household_id)) : ch.area_name),
          row('ch.description', ch.description),
          row('ch.evidence', ch.evidence),
          row('ch.effective_date', ch.effective_date),
          row('ch.reject_reason', ch.reject_reason),
          row('ch.marks', h('span', {class: 'pv-marks'}, marks)))),
        card(t('ch.payload'), payloadView(m, ch))),
      ch.type === 'new' ? card(t('pv.notices'), noticeList(m, ch.notices, reload, canWrite())) : null,
      ch.items.length ? card(t('ch.items'), table([
        {label: t('ch.household'), cell: (i) => (i.household_id ? h('a', {href: `#/poverty/households/${i.household_id}`}, String(i.household_id)) : '')},
        {label: t('pv.name'), cell: (i) => i.name || ''},
        {label: t('pv.citizen_id'), cell: (i) => i.citizen_id || ''},
        {label: t('ch.type'), cell: (i) => t('ch.what_' + i.what, null, i.what)},
      ], ch.items)) : null,
      card(t('ch.history'), audit.items.length ? h('ol', {class: 'timeline'}, audit.items.slice().reverse().map((e) => h('li', {class: 'tl-item'},
        h('div', {class: 'tl-head'}, h('span', {class: 'tl-action'}, actionName(m, e.action)),
          e.after && e.after.state ? h('span', {class: 'tl-state'}, '→ ', stateName(m, e.after.state)) : null,
          h('time', {class: 'tl-time'}, fmtTime(e.at)), h('span', {class: 'tl-user'}, e.user_name || e.user)),
        e.reason ? h('div', {class: 'tl-reason'}, e.reason) : null))) : empty()));
    if (msg) el.querySelector('.notice')?.focus?.();
  };
  await draw(ctx.flashed);
}

registerPage({path: '/poverty/reviews', title: 'rv.title', roles: ROLES, render: renderReviews,
  nav: {label: 'nav.poverty_reviews', icon: 'audit', roles: ROLES, order: 41}});
registerPage({path: '/poverty/reviews/:id', title: 'rv.title', roles: ROLES, render: renderReview});
registerPage({path: '/poverty/reviews/changes/:id', title: 'ch.detail', roles: ROLES, render: renderChange});
