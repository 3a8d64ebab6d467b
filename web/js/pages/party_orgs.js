// party_orgs.js — party organizations: the list, setting one up (alone for its own unit, or
// jointly for several: 商圈, 楼宇, 市场, 商铺), the detail with the units it covers, its members
// and its way 孵化中 → 筹建 → 已成立 → 撤销.

import {h, append, replace} from '../dom.js';
import {t, pick} from '../i18n.js';
import {api, get, post, patch, qs, ApiError, errorText} from '../api.js';
import {registerPage} from '../router.js';
import {areas, flash} from '../session.js';
import {
  field, input, textarea, select, areaOptions, formError, submitting, button, linkButton, pageHeader, card,
  notice, loading, empty, table, pager, formDialog, today,
} from '../ui.js';
import {PARTY_ROLES, STAFF, isStaff, meta, tabs, statusBadge, coverageBadge, historyCard} from './party_common.js';

const PER_PAGE = 20;

async function renderList(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.tab.orgs'));
  append(el, [tabs('orgs'), pageHeader(t('party.tab.orgs'),
    isStaff() ? linkButton(t('party.org.new'), '#/party/orgs/new', {kind: 'primary', icon: 'plus'}) : null)]);
  const body = h('div', null, loading());
  el.appendChild(body);
  const page = Math.max(1, Number(query.get('page')) || 1);
  const params = {};
  for (const k of ['area', 'status', 'kind', 'setting', 'q']) if (query.get(k)) params[k] = query.get(k);
  const [m, areaList, list] = await Promise.all([meta(), areas(), get('/api/v1/party/orgs' + qs({...params, page, per_page: PER_PAGE}))]);
  if (!ctx.alive()) return;
  const go = (p) => ctx.go('/party/orgs', p);
  const q = (k) => query.get(k) || '';
  const form = h('form', {class: 'filters', role: 'search', novalidate: true},
    field(t('party.unit.area'), select('area', areaOptions(areaList, t('common.all')), {value: q('area')})),
    field(t('party.org.status'), select('status', [{value: '', label: t('common.all')}, ...m.org_workflow.states.map((s) => ({value: s.code, label: pick(s)}))], {value: q('status')})),
    field(t('party.org.kind'), select('kind', [{value: '', label: t('common.all')}, ...m.org_kinds.map((s) => ({value: s.code, label: pick(s)}))], {value: q('kind')})),
    field(t('party.filter.q'), input('q', {type: 'search', value: q('q')})),
    h('div', {class: 'filter-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('common.search')), linkButton(t('common.reset'), '#/party/orgs')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go({...Object.fromEntries(new FormData(form).entries()), page: 1});
  });
  const cols = [
    {label: t('party.org.name'), class: 'col-title', cell: (r) => h('a', {href: `#/party/orgs/${r.id}`, class: 'task-link'}, r.name)},
    {label: t('party.org.kind'), cell: (r) => pick(r, 'kind')},
    {label: t('party.org.setting'), cell: (r) => pick(r, 'setting')},
    {label: t('party.org.status'), cell: (r) => statusBadge(r)},
    {label: t('party.org.established_on'), class: 'col-date', cell: (r) => r.established_on || ''},
    {label: t('party.org.units'), class: 'col-num', cell: (r) => String(r.units_count)},
    {label: t('party.org.members'), class: 'col-num', cell: (r) => String(r.members.total)},
    {label: t('party.org.secretary'), cell: (r) => r.secretary},
  ];
  replace(body, card(null,
    h('details', {class: 'filter-box', open: true}, h('summary', null, t('ledger.filters')), form),
    h('div', {class: 'party-list-head'},
      h('p', {class: 'result-count', role: 'status'}, t('party.org.count', {n: list.total})),
      h('a', {class: 'btn btn-sm', href: '/api/v1/party/orgs/export' + qs(params), download: ''}, t('party.export'))),
    list.items.length ? table(cols, list.items, {class: 'party-orgs', caption: t('party.tab.orgs'), rowAttrs: (r) => ({'data-org': r.id})}) : empty(t('party.org.none')),
    list.total > list.per_page ? pager(list.total, list.page, list.per_page, (p) => go({...Object.fromEntries(query), page: p})) : null));
}

/** Checkboxes of units (those free, plus the ones already chosen). */
function unitPicker(units, chosen) {
  return h('div', {class: 'check-group check-scroll party-unit-picker', role: 'group'},
    units.map((u) => h('label', {class: 'check'},
      h('input', {type: 'checkbox', name: 'unit_ids', value: String(u.id), checked: chosen.includes(u.id), 'data-name': u.name}),
      ` ${u.name}`, h('span', {class: 'muted'}, ` · ${u.category} · ${u.area_name}`))));
}

async function freeUnits(area, keep) {
  const [none, pending] = await Promise.all([
    get('/api/v1/party/units' + qs({area, status: 'operating', coverage: 'none', per_page: 200})),
    keep ? get('/api/v1/party/units' + qs({org: keep, per_page: 200})) : Promise.resolve({items: []}),
  ]);
  const seen = new Set();
  return [...pending.items, ...none.items].filter((u) => !seen.has(u.id) && seen.add(u.id));
}

const committeeText = (list) => (list || []).map((c) => `${c.name} ${c.duty}`).join('\n');
function parseCommittee(text) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const [name, ...duty] = l.split(/\s+/);
    return {name, duty: duty.join(' ')};
  });
}

async function renderNew(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.org.new'));
  const [m, areaList] = await Promise.all([meta(), areas()]);
  if (!ctx.alive()) return;
  append(el, [tabs('orgs'), h('p', {class: 'crumbs'}, h('a', {href: '#/party/orgs'}, t('party.tab.orgs'))), pageHeader(t('party.org.new'))]);
  const area0 = query.get('area') || (areaList.find((a) => a.level === 4) || areaList[0]).code;
  const limit = m.org_rules.joint_max_units;
  const f = {
    name: input('name', {maxlength: 100}),
    area: select('area', areaOptions(areaList.filter((a) => a.level >= 4)), {value: area0}),
    kind: select('kind', m.org_kinds.map((k) => ({value: k.code, label: pick(k)})), {value: 'branch'}),
    setting: select('setting', m.org_settings.map((k) => ({value: k.code, label: pick(k)})), {value: 'single'}),
    status: select('status', m.org_workflow.states.filter((s) => s.code !== 'dissolved').map((s) => ({value: s.code, label: pick(s)})), {value: 'incubating'}),
    established_on: input('established_on', {type: 'date', max: today()}),
    secretary: input('secretary', {maxlength: 40}),
    committee: textarea('committee', {rows: 3}),
    override_reason: textarea('override_reason', {rows: 2}),
  };
  const pickerBox = h('div', {'data-field': 'unit_ids'});
  const fillUnits = async () => {
    replace(pickerBox, loading());
    const units = await freeUnits(f.area.value, 0);
    const picker = unitPicker(units, []);
    picker.setAttribute('name', 'unit_ids');
    replace(pickerBox, picker);
  };
  f.area.addEventListener('change', fillUnits);
  f.kind.addEventListener('change', () => {
    if (f.kind.value === 'joint_branch') f.setting.value = 'joint';
  });
  const form = h('form', {class: 'form-grid', novalidate: true}, formError(),
    field(t('party.org.name'), f.name, {required: true, wide: true}),
    field(t('party.unit.area'), f.area, {required: true}),
    field(t('party.org.kind'), f.kind, {required: true}),
    field(t('party.org.setting'), f.setting, {required: true}),
    field(t('party.org.status'), f.status),
    field(t('party.org.established_on'), f.established_on),
    field(t('party.org.secretary'), f.secretary),
    field(t('party.org.committee'), f.committee, {hint: t('party.org.committee_hint')}),
    h('div', {class: 'field field-wide'}, h('span', {class: 'field-label'}, t('party.org.units')),
      h('span', {class: 'field-hint'}, t('party.org.units_hint', {n: limit})), pickerBox),
    field(t('party.org.override'), f.override_reason, {wide: true, hint: t('party.org.override_hint', {n: limit})}),
    h('div', {class: 'form-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('party.org.new')), linkButton(t('common.cancel'), '#/party/orgs')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitting(form, async () => {
      const ids = [...form.querySelectorAll('input[name="unit_ids"]:checked')].map((x) => Number(x.value));
      const body = {
        name: f.name.value.trim(), area: f.area.value, kind: f.kind.value, setting: f.setting.value, status: f.status.value,
        secretary: f.secretary.value.trim(), committee: parseCommittee(f.committee.value), unit_ids: ids,
      };
      if (f.established_on.value) body.established_on = f.established_on.value;
      if (f.override_reason.value.trim()) body.override_reason = f.override_reason.value.trim();
      const made = await post('/api/v1/party/orgs', body);
      flash('success', t('party.org.created'));
      ctx.go(`/party/orgs/${made.id}`);
    });
  });
  append(el, [card(null, form)]);
  await fillUnits();
}

function transitionDialog(org, a, reload) {
  const title = pick(a);
  formDialog({
    title, submitLabel: title, danger: a.action === 'dissolve',
    build: (form) => {
      if (a.action === 'establish' || a.action === 'dissolve')
        form.appendChild(field(t('party.org.date'), input('date', {type: 'date', value: today(), max: today()}), {required: a.action === 'establish'}));
      if (a.needs_reason) form.appendChild(field(t('party.org.reason'), textarea('reason', {rows: 3}), {required: true}));
    },
    submit: async (form) => {
      const body = {action: a.action, version: org.version};
      if (form.elements.date) body.date = form.elements.date.value;
      if (form.elements.reason) body.reason = form.elements.reason.value;
      try {
        await post(`/api/v1/party/orgs/${org.id}/transitions`, body);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'stale_version') {
          reload({kind: 'warning', text: t('party.org.stale')});
          return true;
        }
        throw err;
      }
      reload({kind: 'success', text: t('party.org.done_action', {action: title})});
      return true;
    },
  });
}

async function unitsDialog(org, m, reload) {
  const units = await freeUnits(org.area, org.id);
  const chosen = org.units.map((u) => u.id);
  formDialog({
    title: t('party.org.edit_units'),
    build: (form) => append(form, [
      h('p', {class: 'dialog-text'}, t('party.org.units_hint', {n: m.org_rules.joint_max_units})),
      h('div', {'data-field': 'unit_ids'}, (() => {
        const p = unitPicker(units, chosen);
        p.setAttribute('name', 'unit_ids');
        return p;
      })()),
      field(t('party.org.override'), textarea('override_reason', {rows: 2, value: org.joint_override || ''}), {hint: t('party.org.override_hint', {n: m.org_rules.joint_max_units})})]),
    submit: async (form) => {
      const ids = [...form.querySelectorAll('input[name="unit_ids"]:checked')].map((x) => Number(x.value));
      const body = {unit_ids: ids, version: org.version};
      if (form.elements.override_reason.value.trim()) body.override_reason = form.elements.override_reason.value.trim();
      await api('PUT', `/api/v1/party/orgs/${org.id}/units`, body);
      reload({kind: 'success', text: t('common.saved')});
      return true;
    },
  });
}

function editDialog(org, m, reload) {
  formDialog({
    title: t('common.edit'),
    build: (form) => append(form, [
      field(t('party.org.name'), input('name', {value: org.name}), {required: true}),
      field(t('party.org.kind'), select('kind', m.org_kinds.map((k) => ({value: k.code, label: pick(k)})), {value: org.kind})),
      field(t('party.org.secretary'), input('secretary', {value: org.secretary})),
      field(t('party.org.committee'), textarea('committee', {rows: 4, value: committeeText(org.committee)}), {hint: t('party.org.committee_hint')}),
      field(t('party.org.term_start'), input('term_start', {type: 'date', value: org.term_start || ''})),
      field(t('party.org.term_end'), input('term_end', {type: 'date', value: org.term_end || ''}))]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      const body = {name: v('name').trim(), kind: v('kind'), secretary: v('secretary').trim(), committee: parseCommittee(v('committee')), version: org.version};
      body.term_start = v('term_start') || null;
      body.term_end = v('term_end') || null;
      await patch(`/api/v1/party/orgs/${org.id}`, body);
      reload({kind: 'success', text: t('common.saved')});
      return true;
    },
  });
}

async function renderDetail(ctx) {
  const {el, params} = ctx;
  const draw = async (msg) => {
    const [o, m] = await Promise.all([get(`/api/v1/party/orgs/${encodeURIComponent(params.id)}`), meta()]);
    const members = await get('/api/v1/party/members' + qs({org: o.id, status: 'active', per_page: 200}));
    if (!ctx.alive()) return;
    ctx.setTitle(o.name);
    const reload = (mm) => draw(mm).catch((err) => replace(el, notice('error', errorText(err))));
    const actions = o.actions.map((a) => button(pick(a), {
      kind: a.action === 'dissolve' ? 'danger' : 'primary', 'data-action': a.action, onclick: () => transitionDialog(o, a, reload)}));
    const unitCols = [
      {label: t('party.unit.name'), class: 'col-title', cell: (r) => h('a', {href: `#/party/units/${r.id}`}, r.name)},
      {label: t('party.unit.category'), cell: (r) => r.category},
      {label: t('party.unit.area'), cell: (r) => r.area_name},
      {label: t('party.unit.coverage'), cell: (r) => coverageBadge(r.coverage)},
      {label: t('party.unit.members_fp'), class: 'col-num', cell: (r) => `${r.members.formal}/${r.members.probationary}`},
    ];
    replace(el,
      tabs('orgs'),
      h('p', {class: 'crumbs'}, h('a', {href: '#/party/orgs'}, t('party.tab.orgs')), ' / ', o.name),
      msg ? notice(msg.kind, msg.text) : null,
      h('div', {class: 'page-head'},
        h('div', {class: 'title-block'}, h('h1', {tabindex: '-1'}, o.name),
          h('div', {class: 'title-meta'}, h('span', {'data-test': 'org-status'}, statusBadge(o)), h('span', {class: 'badge badge-kind'}, pick(o, 'kind')),
            h('span', {class: 'badge'}, pick(o, 'setting')), o.term_due ? h('span', {class: 'badge badge-overdue'}, t('party.org.term_due')) : null)),
        o.can_edit ? button(t('common.edit'), {kind: 'secondary', onclick: () => editDialog(o, m, reload)}) : null),
      actions.length ? card(null, h('div', {class: 'party-actions', role: 'group', 'aria-label': t('party.org.actions')},
        h('span', {class: 'actions-label'}, t('party.org.actions')), actions)) : null,
      h('div', {class: 'detail-grid'},
        card(t('party.info'), h('dl', {class: 'details'},
          [[t('party.unit.area'), o.area_name], [t('party.org.established_on'), o.established_on], [t('party.org.secretary'), o.secretary],
            [t('party.org.committee'), o.committee.length ? o.committee.map((c) => `${c.name}(${c.duty})`).join('、') : ''],
            [t('party.org.term'), o.term_start ? `${o.term_start} — ${o.term_end_effective || ''}` : ''],
            [t('party.org.parent'), o.parent ? h('a', {href: `#/party/orgs/${o.parent.id}`}, o.parent.name) : ''],
            [t('party.org.members'), [t('party.org.members_n', o.members),
              o.children.length ? ` · ${t('party.org.members_children', {n: o.children.reduce((a, c) => a + c.members, 0)})}` : '']],
            [t('party.org.joint_override'), o.joint_override || '']]
            .map(([k, v]) => [h('dt', null, k), h('dd', null, v || h('span', {class: 'muted'}, '—'))]))),
        card(t('party.org.children'), o.children.length
          ? h('ul', {class: 'party-plain'}, o.children.map((c) => h('li', null, h('a', {href: `#/party/orgs/${c.id}`}, c.name), h('span', {class: 'muted'}, ` · ${c.members}`))))
          : empty())),
      card(t('party.org.units'),
        o.can_edit ? button(t('party.org.edit_units'), {kind: 'secondary', 'data-test': 'edit-units', onclick: () => unitsDialog(o, m, reload)}) : null,
        o.units.length ? table(unitCols, o.units, {class: 'party-org-units', caption: t('party.org.units')}) : empty()),
      card(t('party.org.member_list'),
        isStaff() && o.status !== 'dissolved' ? linkButton(t('party.org.add_member'), `#/party/members/new?org=${o.id}`, {kind: 'secondary', icon: 'plus'}) : null,
        members.items.length ? table([
          {label: t('party.member.name'), cell: (r) => h('a', {href: `#/party/members/${r.id}`}, r.name)},
          {label: t('party.member.stage'), cell: (r) => pick(r, 'stage')},
          {label: t('party.member.unit'), cell: (r) => (r.unit ? r.unit.name : '')},
          {label: t('party.member.phone'), cell: (r) => r.phone || ''},
          {label: t('party.member.next'), cell: (r) => (r.next ? (r.next.earliest ? t('party.member.next_earliest', {stage: pick(r.next), date: r.next.earliest}) : pick(r.next)) : '')},
        ], members.items, {class: 'party-members', caption: t('party.org.member_list')}) : empty(t('party.member.none'))),
      historyCard('party_org', o.id));
  };
  await draw(ctx.flashed);
}

registerPage({path: '/party/orgs', title: 'party.tab.orgs', roles: PARTY_ROLES, render: renderList});
registerPage({path: '/party/orgs/new', title: 'party.org.new', roles: STAFF, render: renderNew});
registerPage({path: '/party/orgs/:id', title: 'party.tab.orgs', roles: PARTY_ROLES, render: renderDetail});
