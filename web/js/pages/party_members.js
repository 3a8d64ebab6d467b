// party_members.js — a member or applicant: the pipeline 入党申请人 → 入党积极分子 → 发展对象 →
// 预备党员 → 正式党员 with its dates, the next step and the first day it is possible (a refusal
// shows the rule, its source and that day), transfers, dues; and the registration form.

import {h, append, replace} from '../dom.js';
import {t, pick} from '../i18n.js';
import {get, post, patch, qs, ApiError, errorText} from '../api.js';
import {registerPage} from '../router.js';
import {flash} from '../session.js';
import {
  field, input, select, textarea, formError, submitting, button, linkButton, pageHeader, card, notice, empty,
  table, formDialog, today,
} from '../ui.js';
import {PARTY_ROLES, STAFF, isStaff, meta, tabs, yuan, toFen, historyCard} from './party_common.js';

const STAGES = ['applicant', 'activist', 'candidate', 'probationary', 'full'];

function stepper(m) {
  const at = STAGES.indexOf(m.stage);
  return h('ol', {class: 'loop party-pipeline', 'aria-label': t('party.member.stage')},
    STAGES.map((code, i) => h('li', {
      class: ['loop-step', i < at && 'done', i === at && 'current'], 'aria-current': i === at ? 'step' : null, 'data-stage': code,
    }, h('span', {class: 'loop-dot'}, String(i + 1)),
    h('span', {class: 'loop-name'}, t('party.stage.' + code, null, code), h('br'), h('span', {class: 'muted party-stage-date'}, m.dates[code] || '')))));
}

async function pipelineDialog(m, action, reload) {
  const next = m.next;
  let fulls = [];
  if (action === 'advance' && next && next.stage === 'probationary')
    fulls = (await get('/api/v1/party/members' + qs({org: m.org ? m.org.id : 0, stage: 'full', status: 'active', per_page: 200}))).items;
  const title = action === 'advance' ? t('party.member.advance') : t('party.member.extend');
  formDialog({
    title,
    build: (form) => {
      if (action === 'advance') {
        append(form, [h('p', {class: 'dialog-text'}, next ? (next.earliest ? t('party.member.next_earliest', {stage: pick(next), date: next.earliest}) : t('party.member.next_now', {stage: pick(next)})) : ''),
          field(t('party.member.to'), select('to', STAGES.slice(1).map((s) => ({value: s, label: t('party.stage.' + s)})), {value: next ? next.stage : ''}), {required: true})]);
      } else {
        append(form, [field(t('party.member.months'), select('months', [6, 7, 8, 9, 10, 11, 12].map((n) => ({value: String(n), label: String(n)}))), {required: true})]);
      }
      form.appendChild(field(t('party.member.date'), input('date', {type: 'date', value: today(), max: today()}), {required: true}));
      if (fulls.length)
        form.appendChild(field(t('party.member.introducers'), h('div', {class: 'check-group check-scroll', name: 'introducer_ids'},
          fulls.filter((f) => f.id !== m.id).map((f) => h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'intro', value: String(f.id)}), ` ${f.name}`))),
        {group: true, hint: t('party.member.intro_pick')}));
      if (action === 'extend') form.appendChild(field(t('party.member.reason'), textarea('reason', {rows: 2}), {required: true}));
    },
    submit: async (form) => {
      const body = {action, version: m.version, date: form.elements.date.value};
      if (action === 'advance') body.to = form.elements.to.value;
      else {
        body.months = Number(form.elements.months.value);
        body.reason = form.elements.reason.value;
      }
      const intro = [...form.querySelectorAll('input[name="intro"]:checked')].map((x) => Number(x.value));
      if (intro.length) body.introducer_ids = intro;
      try {
        await post(`/api/v1/party/members/${m.id}/pipeline`, body);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'stale_version') {
          reload({kind: 'warning', text: t('party.member.stale')});
          return true;
        }
        throw err;
      }
      reload({kind: 'success', text: title});
      return true;
    },
  });
}

async function transferDialog(m, reload) {
  const orgs = (await get('/api/v1/party/orgs' + qs({status: 'established', per_page: 200}))).items.filter((o) => !m.org || o.id !== m.org.id);
  formDialog({
    title: t('party.member.transfer'),
    build: (form) => append(form, [
      field(t('party.member.to_org'), select('to_org_id', [{value: '', label: '—'}, ...orgs.map((o) => ({value: String(o.id), label: o.name}))])),
      field(t('party.member.to_text'), input('to_text', {maxlength: 100})),
      field(t('party.member.date'), input('date', {type: 'date', value: today(), max: today()}), {required: true}),
      field(t('party.member.note'), textarea('note', {rows: 2}))]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      const body = {version: m.version, date: v('date'), note: v('note')};
      if (v('to_org_id')) body.to_org_id = Number(v('to_org_id'));
      if (v('to_text').trim()) body.to_text = v('to_text').trim();
      await post(`/api/v1/party/members/${m.id}/transfers`, body);
      reload({kind: 'success', text: t('party.member.transfer')});
      return true;
    },
  });
}

function duesDialog(m, reload) {
  formDialog({
    title: t('party.member.pay'),
    build: (form) => append(form, [
      h('p', {class: 'dialog-text'}, t('party.member.due'), ': ', yuan(m.monthly_dues_fen), ' ', t('party.yuan')),
      field(t('party.member.month'), input('month', {type: 'month', value: today().slice(0, 7)}), {required: true}),
      field(t('party.member.paid'), input('paid', {inputmode: 'decimal'}), {hint: t('party.member.paid_hint')}),
      field(t('party.member.paid_on'), input('paid_on', {type: 'date', value: today(), max: today()}), {required: true})]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      const body = {month: v('month'), paid_on: v('paid_on')};
      if (v('paid').trim()) {
        const fen = toFen(v('paid'));
        if (Number.isNaN(fen))
          throw new ApiError(400, {error: {code: 'invalid_field', field: 'paid', message: 'an amount in yuan, e.g. 12.50', message_zh: '请填写金额(元),如 12.50'}});
        body.paid_fen = fen;
      }
      await post(`/api/v1/party/members/${m.id}/dues`, body);
      reload({kind: 'success', text: t('common.saved')});
      return true;
    },
  });
}

async function editDialog(m, reload) {
  const mt = await meta();
  formDialog({
    title: t('common.edit'),
    build: (form) => append(form, [
      field(t('party.member.name'), input('name', {value: m.name, maxlength: 40}), {required: true}),
      field(t('party.member.phone'), input('phone', {type: 'tel', value: m.phone && !m.phone.includes('*') ? m.phone : ''})),
      field(t('party.member.dues_category'), select('dues_category', mt.dues_categories.map((c) => ({value: c.code, label: pick(c)})), {value: m.dues_category})),
      m.monthly_income_fen === null ? null
        : field(t('party.member.income'), input('monthly_income_fen', {inputmode: 'decimal', value: yuan(m.monthly_income_fen)}))]),
    submit: async (form) => {
      const v = (n) => (form.elements[n] ? form.elements[n].value : '');
      const body = {name: v('name').trim(), dues_category: v('dues_category'), version: m.version};
      if (v('phone').trim()) body.phone = v('phone').trim();
      else if (m.phone && !m.phone.includes('*')) body.phone = null;
      if (form.elements.monthly_income_fen) {
        const fen = toFen(v('monthly_income_fen'));
        if (Number.isNaN(fen)) throw new ApiError(400, {error: {code: 'invalid_field', field: 'monthly_income_fen', message: 'an amount in yuan', message_zh: '请填写金额(元)'}});
        body.monthly_income_fen = fen;
      }
      await patch(`/api/v1/party/members/${m.id}`, body);
      reload({kind: 'success', text: t('common.saved')});
      return true;
    },
  });
}

async function renderDetail(ctx) {
  const {el, params} = ctx;
  const draw = async (msg) => {
    const m = await get(`/api/v1/party/members/${encodeURIComponent(params.id)}`);
    if (!ctx.alive()) return;
    ctx.setTitle(m.name);
    const reload = (x) => draw(x).catch((err) => replace(el, notice('error', errorText(err))));
    const active = m.status === 'active';
    const staff = isStaff() && active;
    const actions = [];
    if (staff && m.next) actions.push(button(t('party.member.advance'), {kind: 'primary', 'data-action': 'advance', onclick: () => pipelineDialog(m, 'advance', reload)}));
    if (staff && m.stage === 'probationary' && !m.extension_months)
      actions.push(button(t('party.member.extend'), {kind: 'secondary', 'data-action': 'extend', onclick: () => pipelineDialog(m, 'extend', reload)}));
    if (staff && m.stage !== 'applicant') actions.push(button(t('party.member.transfer'), {kind: 'secondary', onclick: () => transferDialog(m, reload)}));
    if (staff && (m.stage === 'probationary' || m.stage === 'full')) actions.push(button(t('party.member.pay'), {kind: 'secondary', onclick: () => duesDialog(m, reload)}));
    if (staff) actions.push(button(t('common.edit'), {kind: 'secondary', onclick: () => editDialog(m, reload)}));
    const row = (k, v) => [h('dt', null, k), h('dd', null, v === null || v === undefined || v === '' ? h('span', {class: 'muted'}, '—') : v)];
    replace(el,
      tabs('orgs'),
      h('p', {class: 'crumbs'}, m.org ? h('a', {href: `#/party/orgs/${m.org.id}`}, m.org.name) : h('a', {href: '#/party/orgs'}, t('party.tab.orgs')), ' / ', m.name),
      msg ? notice(msg.kind, msg.text) : null,
      h('div', {class: 'page-head'}, h('div', {class: 'title-block'}, h('h1', {tabindex: '-1'}, m.name),
        h('div', {class: 'title-meta'}, h('span', {class: 'badge badge-kind', 'data-test': 'member-stage'}, pick(m, 'stage')),
          active ? null : h('span', {class: 'badge st-cancelled'}, t('party.member.status_out')),
          m.extension_months ? h('span', {class: 'badge st-checking'}, t('party.member.extension', {n: m.extension_months})) : null))),
      card(null, stepper(m),
        m.next ? h('p', {class: 'party-next', 'data-test': 'member-next'}, t('party.member.next'), ': ',
          m.next.earliest && m.next.earliest > today() ? t('party.member.next_earliest', {stage: pick(m.next), date: m.next.earliest})
            : t('party.member.next_now', {stage: pick(m.next)})) : null,
        actions.length ? h('div', {class: 'actions'}, actions) : null),
      h('div', {class: 'detail-grid'},
        card(t('party.info'), h('dl', {class: 'details'},
          row(t('party.member.citizen_id'), m.citizen_id), row(t('party.member.sex'), t('party.member.' + m.sex)),
          row(t('party.member.age'), String(m.age)), row(t('party.member.birth'), m.birth_date),
          row(t('party.member.phone'), m.phone), row(t('party.member.unit'), m.unit ? h('a', {href: `#/party/units/${m.unit.id}`}, m.unit.name) : ''),
          row(t('party.member.org'), m.org ? h('a', {href: `#/party/orgs/${m.org.id}`}, m.org.name) : ''),
          row(t('party.member.introducers'), m.introducers.map((i) => i.name).join('、')),
          row(t('party.member.probation_end'), m.probation_end),
          row(t('party.member.dues_category'), pick(m, 'dues_category')),
          row(t('party.member.monthly_dues'), m.monthly_dues_fen === null ? '' : `${yuan(m.monthly_dues_fen)} ${t('party.yuan')}`))),
        card(t('party.member.dues_list'), m.dues.length ? table([
          {label: t('party.member.month'), cell: (r) => r.month},
          {label: t('party.member.due'), class: 'col-num', cell: (r) => yuan(r.due_fen)},
          {label: t('party.member.paid'), class: 'col-num', cell: (r) => yuan(r.paid_fen)},
          {label: t('party.member.paid_on'), class: 'col-date', cell: (r) => r.paid_on},
        ], m.dues) : empty())),
      card(t('party.member.transfers'), m.transfers.length ? table([
        {label: t('party.member.date'), class: 'col-date', cell: (r) => r.date},
        {label: '', cell: (r) => t('party.member.direction.' + r.direction)},
        {label: t('party.member.org'), cell: (r) => `${r.from_org ? r.from_org.name : r.from_text || '—'} → ${r.to_org ? r.to_org.name : r.to_text || '—'}`},
        {label: t('party.member.note'), cell: (r) => r.note},
      ], m.transfers) : empty()),
      historyCard('party_member', m.id));
  };
  await draw(ctx.flashed);
}

async function renderNew(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.member.new'));
  const orgId = Number(query.get('org')) || 0;
  const [m, org] = await Promise.all([meta(), orgId ? get(`/api/v1/party/orgs/${orgId}`) : Promise.resolve(null)]);
  if (!ctx.alive()) return;
  append(el, [tabs('orgs'), h('p', {class: 'crumbs'}, org ? h('a', {href: `#/party/orgs/${org.id}`}, org.name) : t('party.tab.orgs')), pageHeader(t('party.member.new'))]);
  const units = org ? org.units : [];
  const f = {
    name: input('name', {maxlength: 40}),
    citizen_id: input('citizen_id', {maxlength: 18}),
    phone: input('phone', {type: 'tel'}),
    unit_id: select('unit_id', [{value: '', label: '—'}, ...units.map((u) => ({value: String(u.id), label: u.name}))], {value: units.length === 1 ? String(units[0].id) : ''}),
    stage: select('stage', m.stages.map((s) => ({value: s.code, label: pick(s)})), {value: 'applicant'}),
    dues_category: select('dues_category', m.dues_categories.map((s) => ({value: s.code, label: pick(s)})), {value: 'regular'}),
    income: input('monthly_income_fen', {inputmode: 'decimal'}),
    transfer_in_from: input('transfer_in_from', {maxlength: 100}),
  };
  const dates = {
    applied_on: input('applied_on', {type: 'date', max: today(), value: today()}),
    activist_on: input('activist_on', {type: 'date', max: today()}),
    candidate_on: input('candidate_on', {type: 'date', max: today()}),
    probationary_on: input('probationary_on', {type: 'date', max: today()}),
    full_on: input('full_on', {type: 'date', max: today()}),
  };
  const dateFields = Object.entries(dates).map(([k, ctl], i) => field(t('party.stage.' + STAGES[i]), ctl));
  const showDates = () => {
    const at = STAGES.indexOf(f.stage.value);
    dateFields.forEach((fd, i) => {
      fd.hidden = i > at;
    });
  };
  f.stage.addEventListener('change', showDates);
  const form = h('form', {class: 'form-grid', novalidate: true}, formError(),
    field(t('party.member.name'), f.name, {required: true}),
    field(t('party.member.citizen_id'), f.citizen_id, {required: true}),
    field(t('party.member.phone'), f.phone),
    field(t('party.member.unit'), f.unit_id),
    field(t('party.member.stage'), f.stage),
    ...dateFields,
    field(t('party.member.dues_category'), f.dues_category),
    field(t('party.member.income'), f.income),
    field(t('party.member.transfer_in'), f.transfer_in_from, {wide: true}),
    h('div', {class: 'form-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('party.member.new')),
      linkButton(t('common.cancel'), org ? `#/party/orgs/${org.id}` : '#/party/orgs')));
  showDates();
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitting(form, async () => {
      const at = STAGES.indexOf(f.stage.value);
      const body = {name: f.name.value.trim(), citizen_id: f.citizen_id.value.trim().toUpperCase(), stage: f.stage.value, dues_category: f.dues_category.value};
      if (f.phone.value.trim()) body.phone = f.phone.value.trim();
      if (f.unit_id.value) body.unit_id = Number(f.unit_id.value);
      if (org) body.org_id = org.id;
      Object.keys(dates).forEach((k, i) => {
        if (i <= at && dates[k].value) body[k] = dates[k].value;
      });
      if (f.income.value.trim()) {
        const fen = toFen(f.income.value);
        if (Number.isNaN(fen)) throw new ApiError(400, {error: {code: 'invalid_field', field: 'monthly_income_fen', message: 'an amount in yuan', message_zh: '请填写金额(元)'}});
        body.monthly_income_fen = fen;
      }
      if (f.transfer_in_from.value.trim()) body.transfer_in_from = f.transfer_in_from.value.trim();
      const made = await post('/api/v1/party/members', body);
      flash('success', t('party.member.created'));
      ctx.go(`/party/members/${made.id}`);
    });
  });
  append(el, [card(null, form)]);
}

registerPage({path: '/party/members/new', title: 'party.member.new', roles: STAFF, render: renderNew});
registerPage({path: '/party/members/:id', title: 'party.member.name', roles: PARTY_ROLES, render: renderDetail});

