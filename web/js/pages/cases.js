// cases.js — city management for staff: the case board (summary, filters, map, list), a case
// entered by staff (with the duplicates nearby), the case detail (loop, actions taken by the
// people who do them, map, photos, evaluations, history from the audit log, merge, public text)
// and the reports. The other pages of the room are imported here, so app.js imports one file.

import {h, append, replace, clear} from '../dom.js';
import {t, lang, pick} from '../i18n.js';
import {get, post, qs, ApiError, errorText} from '../api.js';
import {registerPage, href} from '../router.js';
import {hasRole, cached, forget} from '../session.js';
import {
  field, input, textarea, select, formError, submitting, button, linkButton, pageHeader, card,
  notice, loading, empty, failed, table, pager, formDialog, fmtTime, fmtNumber,
} from '../ui.js';
import {createMap} from '../map.js';
import {caseBadge, caseActionLabel, serviceName, coord, drawRoads, sep, paren} from './cases_i18n.js';
import './cases_roads.js';
import './cases_sites.js';
import './cases_public.js';

const STAFF = ['admin', 'leader'];
const CITY = ['admin', 'leader', 'road_chief', 'team_member', 'grid_worker'];
const LOOP = ['new', 'dispatched', 'processing', 'verifying', 'closed'];
const SOURCES = ['public', 'staff', 'phone', 'patrol', 'inspection'];

export const meta = () => cached('/api/v1/cases/meta');
export const roadsList = () => cached('/api/v1/cases/roads');
export const teamsList = () => cached('/api/v1/cases/teams');

/* ---- the board ---- */

function short(text, n) {
  const chars = [...(text || '')];
  return chars.length > n ? chars.slice(0, n).join('') + '…' : text || '';
}

function statCards(sum) {
  const item = (key, label, value, cls, link) => h('a', {class: ['stat', cls], href: link, 'data-stat': key},
    h('span', {class: 'stat-value'}, value), h('span', {class: 'stat-label'}, label));
  return h('div', {class: 'stats cm-stats'},
    item('total', t('cases.sum_total'), sum.total, 'stat-total', '#/cases'),
    item('open', t('cases.sum_open'), sum.open, 'stat-discussing', href('/cases', {open: 1})),
    ...['new', 'dispatched', 'processing', 'verifying'].map((st) =>
      item(st, t('cstate.' + st), sum.by_state[st] || 0, 'cm-stat-' + st, href('/cases', {state: st}))),
    item('overdue', t('cases.sum_overdue'), sum.overdue, sum.overdue ? 'stat-alert' : '', href('/cases', {overdue: 1})),
    item('on_time', t('cases.sum_on_time'), sum.on_time_rate === null ? '—' : `${sum.on_time_rate}%`, 'stat-closed', '#/cases/reports'),
    item('rating', t('cases.sum_rating'), sum.evaluations.average_rating === null ? '—' : fmtNumber(sum.evaluations.average_rating, 2),
      'stat-score', '#/cases/reports'));
}

function filterForm(query, m, roads, teams, onSubmit) {
  const q = (k) => query.get(k) || '';
  const opt = (list) => [{value: '', label: t('common.all')}, ...list];
  const form = h('form', {class: 'filters', role: 'search', novalidate: true},
    field(t('cases.f_state'), select('state', opt(m.workflow.states.map((s) => ({value: s.code, label: pick(s)}))), {value: q('state')})),
    field(t('cases.f_service'), select('service', opt(m.services.map((s) => ({value: s.code, label: serviceName(s)}))), {value: q('service')})),
    field(t('cases.f_road'), select('road', opt(roads.map((r) => ({value: String(r.id), label: r.name}))), {value: q('road')})),
    field(t('cases.f_team'), select('team', opt(teams.map((x) => ({value: String(x.id), label: x.name}))), {value: q('team')})),
    field(t('cases.f_source'), select('source', opt(SOURCES.map((s) => ({value: s, label: t('src.' + s)}))), {value: q('source')})),
    field(t('cases.f_q'), input('q', {type: 'search', value: q('q'), placeholder: t('cases.f_q_ph')})),
    h('div', {class: 'field field-check'},
      h('label', null, h('input', {type: 'checkbox', name: 'overdue', value: '1', checked: q('overdue') === '1'}), ' ', t('cases.f_overdue'))),
    hasRole(...STAFF) ? h('div', {class: 'field field-check'},
      h('label', null, h('input', {type: 'checkbox', name: 'hidden', value: '1', checked: q('hidden') === '1'}), ' ', t('cases.f_hidden'))) : null,
    h('div', {class: 'filter-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('common.search')),
      linkButton(t('common.reset'), '#/cases')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    const out = {};
    for (const k of ['state', 'service', 'road', 'team', 'source', 'q']) out[k] = String(fd.get(k) || '').trim();
    out.overdue = fd.get('overdue') ? 1 : null;
    out.hidden = fd.get('hidden') ? 1 : null;
    onSubmit(out);
  });
  return form;
}

function casesMap(roads, items, go) {
  const map = createMap({height: 260, label: t('cases.map'), class: 'cm-map'});
  drawRoads(map, roads);
  for (const c of items)
    if (c.lat !== null)
      map.point(c.lat, c.lng, {class: 'cm-pt cm-pt-' + c.state + (c.overdue ? ' cm-pt-overdue' : ''), r: 8,
        title: `#${c.id} ${c.service_name} · ${pick(c, 'state')}`, onclick: () => go(`/cases/${c.id}`)});
  map.fit();
  return map.el;
}

async function renderBoard(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('cases.title'));
  append(el, [pageHeader(t('cases.title'),
    linkButton(t('cases.public_page'), '#/report', {kind: 'secondary'}),
    hasRole(...CITY) ? linkButton(t('cases.new'), '#/cases/new', {kind: 'primary', icon: 'plus'}) : null),
  h('p', {class: 'lead'}, t('cases.lead'))]);
  const body = h('div', null, loading());
  el.appendChild(body);
  const page = Math.max(1, Number(query.get('page')) || 1);
  const params = {};
  for (const k of ['state', 'service', 'road', 'team', 'source', 'q', 'overdue', 'hidden', 'open']) params[k] = query.get(k);
  const [m, roads, teams, sum, list] = await Promise.all([meta(), roadsList(), teamsList(),
    get('/api/v1/cases/summary'), get('/api/v1/cases' + qs({...params, page, per_page: 20}))]);
  if (!ctx.alive()) return;
  const go = (p) => ctx.go('/cases', p);
  const columns = [
    {label: t('cases.col_id'), class: 'col-nowrap', cell: (r) => h('a', {href: `#/cases/${r.id}`, class: 'task-link'}, `#${r.id}`)},
    {label: t('cases.col_service'), cell: (r) => r.service_name},
    {label: t('cases.col_desc'), class: 'col-title', cell: (r) => [h('a', {href: `#/cases/${r.id}`, class: 'cm-desc'},
      short(r.description || r.service_name, 38)), r.hidden ? [' ', h('span', {class: 'badge badge-hidden'}, t('cases.hidden'))] : null]},
    {label: t('cases.col_where'), cell: (r) => (r.road ? r.road.name : short(r.address, 12))},
    {label: t('cases.col_team'), class: 'col-nowrap', cell: (r) => (r.team ? r.team.name : r.assignee ? r.assignee.name : '')},
    {label: t('cases.col_state'), cell: (r) => caseBadge(r)},
    {label: t('cases.col_deadline'), class: 'col-date', cell: (r) => h('span', null, fmtTime(r.deadline), r.overdue ? [' ', h('span', {class: 'badge badge-overdue'}, t('cases.overdue'))] : null)},
    {label: t('cases.col_created'), class: 'col-date', cell: (r) => fmtTime(r.created_at)},
  ];
  const phone = window.matchMedia('(max-width: 760px)').matches;
  const active = ['state', 'service', 'road', 'team', 'source', 'q', 'overdue', 'hidden'].filter((k) => query.get(k));
  replace(body,
    card(null, h('div', {class: 'sum-head'}, h('h2', {class: 'card-title'}, t('cases.summary'))), statCards(sum)),
    card(null,
      h('details', {class: 'filter-box', open: !phone || active.length > 0},
        h('summary', null, t('cases.filters'), active.length ? ` (${active.length})` : ''),
        filterForm(query, m, roads.items, teams.items, (f) => go({...f, page: 1}))),
      h('p', {class: 'result-count', role: 'status'}, t('cases.count', {n: list.total})),
      list.items.length ? h('details', {class: 'cm-board-map', open: !phone},
        h('summary', null, t('cases.map'), ' · ', h('span', {class: 'muted'}, t('cases.map_hint'))),
        casesMap(roads.items, list.items, ctx.go)) : null,
      list.items.length ? table(columns, list.items, {class: 'cm-table', caption: t('cases.title'),
        rowAttrs: (r) => ({class: r.overdue ? 'row-overdue' : null, 'data-case': r.id})})
        : empty(t('cases.none')),
      list.total > list.per_page ? pager(list.total, list.page, list.per_page, (p) => go({...Object.fromEntries(query), page: p})) : null));
}

/* ---- a case entered by staff ---- */

/** Inputs for a service's extra attributes (Open311 attribute definitions). */
export function attributeFields(svc, prefix = '') {
  if (!svc || !svc.attributes || !svc.attributes.length) return [];
  return svc.attributes.map((a) => {
    const name = prefix ? `${prefix}[${a.code}]` : `attribute[${a.code}]`;
    const ctl = a.values && a.values.length
      ? select(name, [{value: '', label: t('cases.attr_choose')}, ...a.values.map((v) => ({value: v.key, label: v.name}))])
      : input(name, {type: a.datatype === 'number' ? 'number' : 'text', step: 'any'});
    ctl.dataset.attr = a.code;
    ctl.dataset.type = a.datatype;
    return field(a.description, ctl, {required: a.required});
  });
}

/** {code: value} from the attribute inputs of a form. */
export function attributeValues(form) {
  const out = {};
  for (const el of form.querySelectorAll('[data-attr]')) {
    const v = el.value.trim();
    if (v) out[el.dataset.attr] = el.dataset.type === 'number' ? Number(v) : v;
  }
  return out;
}

function nearbyList(items, linkFor) {
  return h('ul', {class: 'cm-dups'}, items.map((d) => h('li', null,
    h('a', {href: linkFor(d)}, `#${d.id}`), ' ', caseBadge(d), ' ', d.description.slice(0, 40), ' ',
    h('span', {class: 'muted'}, t('cases.distance', {m: d.distance_m})))));
}

async function renderNew(ctx) {
  ctx.setTitle(t('cases.new_title'));
  append(ctx.el, [h('p', {class: 'crumbs'}, h('a', {href: '#/cases'}, t('cases.title'))), pageHeader(t('cases.new_title'))]);
  const [m, roads] = await Promise.all([meta(), roadsList()]);
  if (!ctx.alive()) return;
  const svcSel = select('service_code', [{value: '', label: t('cases.choose_service')},
    ...m.services.map((s) => ({value: s.code, label: `${s.group ? s.group + ' · ' : ''}${serviceName(s)}`}))]);
  const attrBox = h('div', {class: 'cm-attrs field-wide'});
  const lat = input('lat', {inputmode: 'decimal', placeholder: '34.7358'});
  const lng = input('lng', {inputmode: 'decimal', placeholder: '113.6850'});
  const dupBox = h('div', {class: 'cm-dupbox field-wide', role: 'status'});
  const map = createMap({height: 420, label: t('cases.location')});
  drawRoads(map, roads.items);
  map.fit();
  const checkDups = async () => {
    clear(dupBox);
    if (!svcSel.value || !lat.value || !lng.value) return;
    try {
      const res = await get('/api/v1/cases/nearby' + qs({service_code: svcSel.value, lat: lat.value, lng: lng.value}));
      append(dupBox, res.items.length
        ? [notice('warning', t('cases.dups_found')), nearbyList(res.items, (d) => `#/cases/${d.id}`)]
        : [h('p', {class: 'muted'}, t('cases.dups_none'))]);
    } catch (err) {
      append(dupBox, [h('p', {class: 'muted'}, errorText(err))]);
    }
  };
  map.onPick((la, ln) => {
    lat.value = coord(la);
    lng.value = coord(ln);
    checkDups();
  });
  const typed = () => {
    const a = Number(lat.value), b = Number(lng.value);
    if (lat.value && lng.value && Number.isFinite(a) && Number.isFinite(b)) map.setPick(a, b);
  };
  lat.addEventListener('change', () => { typed(); checkDups(); });
  lng.addEventListener('change', () => { typed(); checkDups(); });
  svcSel.addEventListener('change', () => {
    replace(attrBox, ...attributeFields(m.services.find((s) => s.code === svcSel.value), 'attributes'));
    checkDups();
  });
  const form = h('form', {class: 'form-grid', novalidate: true},
    formError(),
    field(t('cases.f.service'), svcSel, {required: true}),
    field(t('cases.f.source'), select('source', [{value: 'staff', label: t('cases.source_staff')}, {value: 'phone', label: t('cases.source_phone')}])),
    attrBox,
    field(t('cases.f.description'), textarea('description', {rows: 4, maxlength: 4000}), {required: true, wide: true}),
    h('div', {class: 'field field-wide'}, h('span', {class: 'field-label'}, t('cases.location')),
      h('p', {class: 'field-hint'}, t('cases.pick_hint')), map.el),
    field(t('cases.lat'), lat), field(t('cases.lng'), lng),
    dupBox,
    field(t('cases.f.address'), input('address', {maxlength: 200})),
    field(t('cases.f.road'), select('road_id', [{value: '', label: t('cases.auto')}, ...roads.items.map((r) => ({value: String(r.id), label: r.name}))])),
    field(t('cases.reporter_name'), input('reporter_name', {maxlength: 50})),
    field(t('cases.reporter_phone'), input('reporter_phone', {type: 'tel', maxlength: 14})),
    h('div', {class: 'field field-check'}, h('label', null, h('input', {type: 'checkbox', name: 'anonymous'}), ' ', t('cases.f.anonymous'))),
    h('div', {class: 'field field-check'}, h('label', null, h('input', {type: 'checkbox', name: 'dispatch', checked: true}), ' ', t('cases.dispatch_now'))),
    h('div', {class: 'form-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('cases.create')),
      linkButton(t('common.cancel'), '#/cases')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitting(form, async () => {
      const v = (n) => form.elements[n].value.trim();
      const body = {service_code: v('service_code'), description: form.elements.description.value, source: v('source'),
        dispatch: form.elements.dispatch.checked, anonymous: form.elements.anonymous.checked};
      if (v('lat') || v('lng')) {
        body.lat = Number(v('lat'));
        body.lng = Number(v('lng'));
        if (!Number.isFinite(body.lat)) throw new ApiError(400, {error: {code: 'invalid_field', field: 'lat', message: 'latitude', message_zh: '纬度须为数字'}});
        if (!Number.isFinite(body.lng)) throw new ApiError(400, {error: {code: 'invalid_field', field: 'lng', message: 'longitude', message_zh: '经度须为数字'}});
      }
      for (const k of ['address', 'reporter_name', 'reporter_phone']) if (v(k)) body[k] = v(k);
      if (v('road_id')) body.road_id = Number(v('road_id'));
      const attrs = attributeValues(form);
      if (Object.keys(attrs).length) body.attributes = attrs;
      const made = await post('/api/v1/cases', body);
      ctx.flash(made.duplicates && made.duplicates.length ? 'warning' : 'success',
        made.duplicates && made.duplicates.length
          ? t('cases.created_dups', {id: made.id, ids: made.duplicates.map((d) => '#' + d.id).join(sep())})
          : t('cases.created', {id: made.id}));
      ctx.go(`/cases/${made.id}`);
    });
  });
  append(ctx.el, [card(null, form)]);
}

/* ---- the detail ---- */

function progress(c) {
  if (['rejected', 'merged', 'suspended'].includes(c.state)) return h('p', {class: 'loop-cancelled'}, caseBadge(c));
  const at = LOOP.indexOf(c.state);
  return h('ol', {class: 'loop', 'aria-label': t('cases.loop')},
    LOOP.map((code, i) => h('li', {
      class: ['loop-step', (i < at || c.state === 'closed') && 'done', i === at && 'current'],
      'aria-current': i === at ? 'step' : null,
    }, h('span', {class: 'loop-dot'}, String(i + 1)), h('span', {class: 'loop-name'}, t('cstate.' + code)))));
}

function detailList(c, m) {
  const row = (key, value, cls) => (value === null || value === undefined || value === '' ? null
    : [h('dt', null, t('cases.f.' + key)), h('dd', {class: cls, 'data-field': key}, value)]);
  const svc = m.services.find((s) => s.code === c.service_code);
  const attrs = Object.entries(c.attributes || {}).map(([k, v]) => {
    const a = svc && (svc.attributes || []).find((x) => x.code === k);
    const val = a && a.values ? (a.values.find((x) => x.key === v) || {}).name || v : v;
    return `${a ? a.description : k}${lang() === 'zh' ? ':' : ': '}${Array.isArray(val) ? val.join(sep()) : val}`;
  }).join(lang() === 'zh' ? ';' : '; ');
  const rep = c.reporter;
  const who = rep.anonymous && !rep.name ? t('cases.anonymous_reporter')
    : [rep.name, rep.phone, rep.email].filter(Boolean).join(' · ') + (rep.masked && (rep.name || rep.phone) ? ' ' + t('cases.masked') : '');
  return h('dl', {class: 'details'},
    row('id', `#${c.id}`),
    row('service', c.service_name),
    row('source', t('src.' + c.source)),
    row('description', c.description, 'pre'),
    row('public_description', c.public_description, 'pre'),
    row('attributes', attrs),
    row('address', c.address),
    row('area', c.area_name),
    row('road', c.road && c.road.name),
    row('chief', c.chief && paren(c.chief.name, c.chief.level_zh)),
    row('team', c.team && c.team.name),
    row('assignee', c.assignee && c.assignee.name),
    row('reporter', who || null),
    row('deadline', c.deadline && h('span', null, fmtTime(c.deadline), c.overdue ? [' ', h('span', {class: 'badge badge-overdue'}, t('cases.overdue'))] : null)),
    row('created', fmtTime(c.created_at)),
    row('dispatched', fmtTime(c.dispatched_at)),
    row('closed', fmtTime(c.closed_at)),
    row('last_note', c.last_note, 'pre'),
    row('reply', c.reply, 'pre'),
    row('last_reason', c.last_reason, 'pre'),
    row('reopen', c.reopen_count ? String(c.reopen_count) : null),
    row('site', c.site_id ? h('a', {href: `#/cases/sites/${c.site_id}`}, `#${c.site_id}`) : null),
    row('version', String(c.version)));
}

function historyList(items) {
  if (!items.length) return empty(t('cases.no_history'));
  return h('ol', {class: 'timeline'}, items.map((e) => {
    const after = e.after || {};
    const who = e.user === 'anonymous' ? t('cases.resident') : e.user_name || e.user;
    return h('li', {class: ['tl-item', 'tl-' + e.action], 'data-action': e.action},
      h('div', {class: 'tl-head'},
        h('span', {class: 'tl-action'}, caseActionLabel(e.action)),
        after.state && (!e.before || e.before.state !== after.state)
          ? h('span', {class: 'tl-state'}, '→ ', t('cstate.' + after.state, null, after.state)) : null,
        h('time', {class: 'tl-time', datetime: e.at}, fmtTime(e.at)),
        h('span', {class: 'tl-user'}, who)),
      e.action === 'evaluate' ? h('div', {class: 'tl-score'}, after.resolved ? t('cases.resolved') : t('cases.unresolved'), ' · ', '★'.repeat(after.rating || 0)) : null,
      after.note ? h('div', {class: 'tl-reason'}, after.note) : null,
      e.reason && e.reason !== after.note ? h('div', {class: 'tl-reason'}, e.reason) : null);
  }));
}

function actionDialog(c, a, reload) {
  const title = pick(a);
  formDialog({
    title, submitLabel: title, danger: a.action === 'reject',
    build: (form) => {
      append(form, [h('p', {class: 'dialog-text'}, t('cases.action_confirm', {action: title, to: pick(a, 'to')}))]);
      if (a.needs_note) form.appendChild(field(t('cases.note'), textarea('note', {rows: 3}), {required: true}));
      if (a.needs_reason) form.appendChild(field(t('cases.reason'), textarea('reason', {rows: 3}), {required: true}));
      if (a.action === 'verify') form.appendChild(field(t('cases.reply'), textarea('reply', {rows: 2})));
      if (!a.needs_note && !a.needs_reason && a.action !== 'verify')
        form.appendChild(field(t('cases.note_optional'), textarea('note', {rows: 2})));
      if (!a.routes) return;
      // dispatching may choose the team and the chief: the lists arrive after the dialog opens
      const box = h('div', {class: 'cm-route-box'});
      form.appendChild(box);
      const keep = a.action === 'dispatch' ? t('cases.auto') : t('cases.keep');
      Promise.all([teamsList(), c.road ? get(`/api/v1/cases/roads/${c.road.id}`) : null]).then(([teams, road]) => {
        append(box, [field(t('cases.team'), select('team_id', [{value: '', label: keep},
          ...teams.items.filter((x) => x.active).map((x) => ({value: String(x.id), label: paren(x.name, x.kind)}))]))]);
        if (road)
          append(box, [field(t('cases.chief'), select('chief_id', [{value: '', label: keep},
            ...road.chiefs.filter((x) => x.active).map((x) => ({value: String(x.id), label: paren(x.name, x.level_zh)}))]))]);
      }).catch(() => {});
    },
    submit: async (form) => {
      const body = {action: a.action, version: c.version};
      const val = (n) => (form.elements[n] ? form.elements[n].value : '');
      if (a.needs_note || val('note').trim()) body.note = val('note');
      if (a.needs_reason) body.reason = val('reason');
      if (val('reply').trim()) body.reply = val('reply');
      if (val('team_id')) body.team_id = Number(val('team_id'));
      if (val('chief_id')) body.chief_id = Number(val('chief_id'));
      try {
        await post(`/api/v1/cases/${c.id}/transitions`, body);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          reload({kind: 'warning', text: err.code === 'stale_version' ? t('cases.stale') : errorText(err)});
          return true;
        }
        throw err;
      }
      reload({kind: 'success', text: t('cases.done_action', {action: title})});
      return true;
    },
  });
}

function mergeDialog(c, reload) {
  formDialog({
    title: t('cases.merge'), submitLabel: t('cases.merge'),
    build: (form) => {
      append(form, [h('p', {class: 'dialog-text'}, t('cases.merge_hint')),
        field(t('cases.merge_into'), input('into', {type: 'number', min: 1, inputmode: 'numeric'}), {required: true}),
        field(t('cases.reason'), textarea('reason', {rows: 2}), {required: true})]);
      if (c.lat !== null) {
        const box = h('div', {class: 'cm-dupbox'});
        form.insertBefore(box, form.querySelector('.dialog-actions'));
        get('/api/v1/cases/nearby' + qs({service_code: c.service_code, lat: c.lat, lng: c.lng, except: c.id})).then((res) => {
          if (!res.items.length) return;
          append(box, [h('p', {class: 'muted'}, t('cases.merge_nearby')), h('ul', {class: 'cm-dups'}, res.items.map((d) =>
            h('li', null, button(`#${d.id}`, {class: 'btn-sm', onclick: () => { form.elements.into.value = d.id; }}), ' ',
              caseBadge(d), ' ', d.description.slice(0, 30), ' ', h('span', {class: 'muted'}, t('cases.distance', {m: d.distance_m})))))]);
        }).catch(() => {});
      }
    },
    submit: async (form) => {
      const into = Number(form.elements.into.value);
      if (!Number.isInteger(into) || into < 1)
        throw new ApiError(400, {error: {code: 'required', field: 'into', message: 'case number', message_zh: '请填写要合并到的诉求编号'}});
      await post(`/api/v1/cases/${c.id}/merge`, {into, reason: form.elements.reason.value, version: c.version});
      reload({kind: 'success', text: t('cases.merged', {id: into})});
      return true;
    },
  });
}

function moderateDialog(c, reload) {
  formDialog({
    title: t('cases.moderate'), submitLabel: t('common.save'),
    build: (form) => append(form, [h('p', {class: 'dialog-text'}, t('cases.moderate_hint')),
      h('div', {class: 'field field-check'}, h('label', null, h('input', {type: 'checkbox', name: 'hidden', checked: c.hidden}), ' ', t('cases.moderate_hidden'))),
      field(t('cases.public_description'), textarea('public_description', {rows: 3, value: c.public_description || ''})),
      field(t('cases.moderate_reason'), textarea('reason', {rows: 2}), {required: true})]),
    submit: async (form) => {
      const text = form.elements.public_description.value.trim();
      await post(`/api/v1/cases/${c.id}/moderation`, {hidden: form.elements.hidden.checked,
        public_description: text ? text : null, reason: form.elements.reason.value, version: c.version});
      reload({kind: 'success', text: t('cases.moderated')});
      return true;
    },
  });
}

function photoDialog(c, reload) {
  formDialog({
    title: t('cases.add_photo'), submitLabel: t('cases.add_photo'),
    build: (form) => append(form, [
      field(t('cases.photo_stage'), select('stage', [{value: 'process', label: t('cases.stage_process')},
        {value: 'result', label: t('cases.stage_result')}, {value: 'report', label: t('cases.stage_report')}])),
      field(t('cases.photo_file'), h('input', {type: 'file', name: 'photo', accept: 'image/jpeg,image/png,image/webp'}), {required: true})]),
    submit: async (form) => {
      const file = form.elements.photo.files[0];
      if (!file) throw new ApiError(400, {error: {code: 'required', field: 'photo', message: 'choose a photo', message_zh: '请选择照片'}});
      const res = await fetch(`/api/v1/cases/${c.id}/photos?stage=${encodeURIComponent(form.elements.stage.value)}`, {
        method: 'POST', credentials: 'same-origin', headers: {'Content-Type': file.type || 'application/octet-stream'}, body: file});
      if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
      reload({kind: 'success', text: t('cases.photo_added')});
      return true;
    },
  });
}

async function renderDetail(ctx) {
  const {el, params} = ctx;
  const draw = async (msg) => {
    const [c, m, roads] = await Promise.all([get(`/api/v1/cases/${encodeURIComponent(params.id)}`), meta(), roadsList()]);
    if (!ctx.alive()) return;
    ctx.setTitle(`#${c.id} ${c.service_name}`);
    const reload = (x) => {
      forget('/api/v1/cases/summary');
      draw(x).catch((err) => failed(el, err));
    };
    const actions = c.actions.map((a) => button(pick(a), {
      kind: a.action === 'reject' ? 'danger' : ['return', 'suspend', 'reopen', 'redispatch'].includes(a.action) ? 'secondary' : 'primary',
      'data-action': a.action, onclick: () => actionDialog(c, a, reload)}));
    const extra = [
      c.can_merge ? button(t('cases.merge'), {kind: 'secondary', 'data-action': 'merge', onclick: () => mergeDialog(c, reload)}) : null,
      c.can_moderate ? button(t('cases.moderate'), {kind: 'ghost', 'data-action': 'moderate', onclick: () => moderateDialog(c, reload)}) : null,
      c.can_add_photo ? button(t('cases.add_photo'), {kind: 'ghost', 'data-action': 'photo', onclick: () => photoDialog(c, reload)}) : null,
    ].filter(Boolean);
    const mapBox = h('div', {class: 'cm-detail-map'});
    if (c.lat !== null) {
      const map = createMap({height: 280, label: t('cases.location')});
      drawRoads(map, roads.items, {highlight: c.road && c.road.id, labelClass: 'cm-road-label-lg'});
      map.point(c.lat, c.lng, {class: 'cm-pt cm-pt-here', r: 16, title: `#${c.id}`});
      const d = 0.004;
      map.fit([[c.lat - d, c.lng - d * 1.3], [c.lat + d, c.lng + d * 1.3]]);
      mapBox.appendChild(map.el);
    }
    const photos = c.photos.length
      ? h('ul', {class: 'cm-photos'}, c.photos.map((p) => h('li', null,
        h('a', {href: p.url, target: '_blank', rel: 'noopener'}, h('img', {src: p.url, alt: `${t('cases.photos')} ${p.id}`, loading: 'lazy'})),
        h('span', {class: 'muted'}, t('cases.stage_' + p.stage), ' · ', fmtTime(p.created_at)))))
      : empty(t('cases.no_photos'));
    const evals = c.evaluations.length
      ? h('ul', {class: 'cm-evals'}, c.evaluations.map((e) => h('li', null,
        h('strong', {class: e.resolved ? 'cm-ok' : 'cm-bad'}, e.resolved ? t('cases.resolved') : t('cases.unresolved')), ' ',
        h('span', {class: 'cm-stars', 'aria-label': t('public.stars', {n: e.rating})}, '★'.repeat(e.rating) + '☆'.repeat(5 - e.rating)), ' ',
        h('span', {class: 'muted'}, fmtTime(e.at)), e.comment ? h('div', {class: 'tl-reason'}, e.comment) : null)))
      : empty(t('cases.no_evaluations'));
    const history = h('div', {class: 'history'}, loading());
    replace(el,
      h('p', {class: 'crumbs'}, h('a', {href: '#/cases'}, t('cases.title')), ' / ', t('cases.detail')),
      msg ? notice(msg.kind, msg.text) : null,
      h('div', {class: 'page-head'},
        h('div', {class: 'title-block'},
          h('h1', {tabindex: '-1'}, `#${c.id} ${c.service_name}`),
          h('div', {class: 'title-meta'}, h('span', {'data-test': 'case-state'}, caseBadge(c)),
            c.overdue ? h('span', {class: 'badge badge-overdue'}, t('cases.overdue')) : null,
            c.hidden ? h('span', {class: 'badge badge-hidden'}, t('cases.hidden')) : null,
            c.merged_into ? h('a', {href: `#/cases/${c.merged_into}`}, t('cases.merged_into'), ` #${c.merged_into}`) : null))),
      card(null, progress(c),
        actions.length
          ? h('div', {class: 'actions', role: 'group', 'aria-label': t('cases.next_step')}, h('span', {class: 'actions-label'}, t('cases.next_step')), actions)
          : h('p', {class: 'muted actions-none'}, t(['closed', 'rejected', 'merged'].includes(c.state) ? 'cases.finished' : 'cases.no_actions')),
        extra.length ? h('div', {class: 'cm-extra'}, extra) : null),
      h('div', {class: 'detail-grid'},
        h('div', null,
          card(t('cases.info'), detailList(c, m),
            c.merged_cases.length ? h('p', null, t('cases.merged_cases'), ': ', c.merged_cases.map((id, i) => [i ? ', ' : '', h('a', {href: `#/cases/${id}`}, `#${id}`)])) : null),
          card(t('cases.photos'), photos),
          card(t('cases.evaluations'), evals)),
        h('div', null,
          c.lat !== null ? card(t('cases.location'), mapBox, h('p', {class: 'muted'}, `${coord(c.lat)}, ${coord(c.lng)}`)) : null,
          card(t('cases.history'), history))));
    if (msg) el.querySelector('.notice')?.focus?.();
    try {
      const audit = await get('/api/v1/audit' + qs({entity: 'case', id: c.id, limit: 200}));
      replace(history, historyList(audit.items.slice().reverse()));
    } catch (err) {
      failed(history, err);
    }
  };
  await draw(ctx.flashed);
}

/* ---- reports ---- */

function periodParams(kind) {
  const d = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const y = d.slice(0, 4), m = Number(d.slice(5, 7));
  if (kind === 'month') return {period: d.slice(0, 7)};
  if (kind === 'quarter') return {period: `${y}-Q${Math.floor((m - 1) / 3) + 1}`};
  if (kind === 'year') return {period: y};
  return {};
}

async function renderReports(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('cases.reports'));
  const kind = query.get('p') || '90';
  const sel = select('p', ['90', 'month', 'quarter', 'year'].map((k) => ({value: k, label: t('cases.period_' + k)})),
    {value: kind, 'aria-label': t('cases.period'), onchange: (ev) => ctx.go('/cases/reports', {p: ev.target.value})});
  append(el, [pageHeader(t('cases.reports'), sel), h('p', {class: 'lead'}, t('cases.reports_lead'))]);
  const body = h('div', null, loading());
  el.appendChild(body);
  const p = periodParams(kind);
  const [sum, over, sat] = await Promise.all([get('/api/v1/cases/summary' + qs(p)), get('/api/v1/cases/reports/overdue'),
    get('/api/v1/cases/reports/satisfaction' + qs(p))]);
  if (!ctx.alive()) return;
  const states = Object.entries(sum.by_state).filter(([, n]) => n > 0);
  const satCols = [
    {label: t('cases.col_name'), cell: (r) => r.name},
    {label: t('cases.col_evals'), class: 'col-num', cell: (r) => String(r.evaluations)},
    {label: t('cases.col_resolved_rate'), class: 'col-num', cell: (r) => (r.resolved_rate === null ? '' : `${r.resolved_rate}%`)},
    {label: t('cases.col_rating'), class: 'col-num', cell: (r) => (r.average_rating === null ? '' : fmtNumber(r.average_rating, 2))},
  ];
  const overCols = [
    {label: t('cases.col_name'), cell: (g) => [g.name || '—', g.level_zh ? h('span', {class: 'muted'}, ` ${g.level_zh} · ${g.road_name}`) : null]},
    {label: t('cases.col_count'), class: 'col-num', cell: (g) => String(g.count)},
    {label: t('cases.col_cases'), cell: (g) => g.cases.slice(0, 8).map((x, i) => [i ? ' ' : '', h('a', {href: `#/cases/${x.id}`}, `#${x.id}`)])},
  ];
  replace(body,
    card(t('cases.range', {from: sum.from, to: sum.to}),
      statCards(sum),
      h('p', {class: 'muted'}, t('cases.avg_close'), ': ', sum.average_close_hours === null ? '—' : t('cases.hours', {n: sum.average_close_hours}))),
    h('div', {class: 'detail-grid'},
      card(t('cases.by_state'), table([{label: t('cases.col_state'), cell: ([k]) => t('cstate.' + k)}, {label: t('cases.col_count'), class: 'col-num', cell: ([, n]) => String(n)}], states)),
      card(t('cases.by_source'), table([{label: t('cases.f.source'), cell: ([k]) => t('src.' + k)}, {label: t('cases.col_count'), class: 'col-num', cell: ([, n]) => String(n)}], Object.entries(sum.by_source)))),
    card(t('cases.by_service'), table([{label: t('cases.col_name'), cell: (r) => r.name}, {label: t('cases.col_total'), class: 'col-num', cell: (r) => String(r.total)},
      {label: t('cases.col_finished'), class: 'col-num', cell: (r) => String(r.finished)}], sum.by_service)),
    h('div', {class: 'detail-grid'},
      card(t('cases.overdue_chief'), over.by_chief.length ? table(overCols, over.by_chief, {class: 'cm-overdue-chief'}) : empty(t('cases.no_overdue'))),
      card(t('cases.overdue_team'), over.by_team.length ? table(overCols, over.by_team, {class: 'cm-overdue-team'}) : empty(t('cases.no_overdue')))),
    h('div', {class: 'detail-grid'},
      card(t('cases.sat_team'), sat.by_team.length ? table(satCols, sat.by_team, {class: 'cm-sat-team'}) : empty()),
      card(t('cases.sat_road'), sat.by_road.length ? table(satCols, sat.by_road, {class: 'cm-sat-road'}) : empty())));
}

registerPage({path: '/cases', title: 'cases.title', render: renderBoard,
  nav: {label: 'nav.cases', icon: 'ledger', roles: CITY, order: 30}});
registerPage({path: '/cases/new', title: 'cases.new_title', roles: CITY, render: renderNew});
registerPage({path: '/cases/reports', title: 'cases.reports', render: renderReports,
  nav: {label: 'nav.cases_reports', icon: 'audit', roles: CITY, order: 38}});
registerPage({path: '/cases/:id', title: 'cases.detail', render: renderDetail});
