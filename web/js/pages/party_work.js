// party_work.js — instructors stationed at units (蹲点) with their goals, the demonstration point
// of each category and the visits logged; the 三向服务清单 with needs matched to offers and
// followed to done; the joint meetings (联席会) with attendance and decisions.

import {h, append, replace} from '../dom.js';
import {t, pick} from '../i18n.js';
import {get, post, patch, qs} from '../api.js';
import {registerPage} from '../router.js';
import {areas, currentUser} from '../session.js';
import {
  field, input, textarea, select, areaOptions, button, pageHeader, card, loading, empty, table, formDialog, today,
} from '../ui.js';
import {PARTY_ROLES, isStaff, meta, tabs, statusBadge} from './party_common.js';

const firstStreet = (list) => (list.find((a) => a.level === 4) || list[0] || {}).code || '';

/* ---- instructors and demonstration points ---- */

async function unitOptions(area, extra = {}) {
  const list = await get('/api/v1/party/units' + qs({area, status: 'operating', per_page: 200, ...extra}));
  return list.items.map((u) => ({value: String(u.id), label: `${u.name} · ${u.category}`, category: u.category}));
}

async function stationDialog(area, reload) {
  const [units, ins] = await Promise.all([unitOptions(area), get('/api/v1/party/instructors' + qs({area}))]);
  formDialog({
    title: t('party.ins.new_station'),
    build: (form) => append(form, [
      field(t('party.ins.unit'), select('unit_id', units), {required: true}),
      field(t('party.ins.instructor'), select('instructor_id', ins.items.map((i) => ({value: String(i.id), label: i.name}))), {required: true}),
      field(t('party.ins.goal'), textarea('goal', {rows: 2}), {required: true}),
      field(t('party.ins.since'), input('since', {type: 'date', value: today(), max: today()}), {required: true})]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      await post('/api/v1/party/stations', {unit_id: Number(v('unit_id')), instructor_id: Number(v('instructor_id')), goal: v('goal'), since: v('since')});
      reload();
      return true;
    },
  });
}

async function pointDialog(area, m, reload) {
  const units = await unitOptions(area);
  formDialog({
    title: t('party.ins.set_point'),
    build: (form) => {
      const unit = select('unit_id', units);
      const cat = select('category', m.categories.map((c) => ({value: c, label: c})), {
        onchange: () => {
          replace(unit, ...units.filter((u) => u.category === cat.value).map((u) => h('option', {value: u.value}, u.label)));
        },
      });
      replace(unit, ...units.filter((u) => u.category === m.categories[0]).map((u) => h('option', {value: u.value}, u.label)));
      append(form, [field(t('party.unit.category'), cat, {required: true}), field(t('party.ins.unit'), unit, {required: true}),
        field(t('party.ins.chosen_on'), input('chosen_on', {type: 'date', value: today(), max: today()}), {required: true}),
        field(t('party.member.note'), textarea('note', {rows: 2}))]);
    },
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      await post('/api/v1/party/demo-points', {category: v('category'), unit_id: Number(v('unit_id')), chosen_on: v('chosen_on'), note: v('note')});
      reload();
      return true;
    },
  });
}

async function renderInstructors(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.ins.title'));
  const [m, areaList] = await Promise.all([meta(), areas()]);
  if (!ctx.alive()) return;
  const area = query.get('area') || firstStreet(areaList);
  append(el, [tabs('instructors'), pageHeader(t('party.ins.title'))]);
  const body = h('div', null, loading());
  el.appendChild(body);
  const me = currentUser();
  const mine = !isStaff() ? 'me' : '';
  const [stations, points, visits] = await Promise.all([
    get('/api/v1/party/stations' + qs({area, instructor: mine, per_page: 200})),
    get('/api/v1/party/demo-points' + qs({area})),
    get('/api/v1/party/visits' + qs({area, instructor: mine ? me.id : '', per_page: 50})),
  ]);
  if (!ctx.alive()) return;
  const reload = () => ctx.refresh();
  const staff = isStaff();
  const form = h('form', {class: 'filters', role: 'search'},
    field(t('party.dash.area'), select('area', areaOptions(areaList), {value: area, onchange: (ev) => ctx.go('/party/instructors', {area: ev.target.value})})));
  replace(body,
    card(null, form),
    card(t('party.ins.points'),
      staff ? button(t('party.ins.set_point'), {kind: 'secondary', onclick: () => pointDialog(area, m, reload)}) : null,
      points.items.length ? h('div', {class: 'party-points'}, points.items.map((p) => h('article', {class: 'party-point', 'data-category': p.category},
        h('div', {class: 'party-point-cat'}, p.category),
        h('h3', {class: 'party-sub'}, h('a', {href: `#/party/units/${p.unit.id}`}, p.org ? p.org.name : p.unit.name)),
        p.instructor ? h('p', {class: 'party-point-ins'}, t('party.ins.instructor'), ': ', p.instructor) : null,
        p.goal ? h('p', {class: 'party-point-goal'}, '“', p.goal, '”') : null,
        h('p', {class: 'muted'}, t('party.ins.chosen_on'), ' ', p.chosen_on)))) : empty()),
    card(t('party.ins.stations'),
      staff ? button(t('party.ins.new_station'), {kind: 'secondary', onclick: () => stationDialog(area, reload)}) : null,
      stations.items.length ? table([
        {label: t('party.ins.instructor'), cell: (r) => r.instructor.name},
        {label: t('party.ins.unit'), class: 'col-title', cell: (r) => h('a', {href: `#/party/units/${r.unit.id}`}, r.unit.name)},
        {label: t('party.ins.goal'), class: 'col-text', cell: (r) => r.goal},
        {label: t('party.ins.since'), class: 'col-date', cell: (r) => r.since},
        {label: t('party.ins.until'), class: 'col-date', cell: (r) => r.until || ''},
        {label: t('party.ins.visits'), cell: (r) => `${t('party.ins.visits_n', {n: r.visits})}${r.last_visit ? ` · ${t('party.ins.last_visit')} ${r.last_visit}` : ''}`},
        {label: '', cell: (r) => (staff && r.current ? h('button', {type: 'button', class: 'btn btn-sm', onclick: async () => {
          await patch(`/api/v1/party/stations/${r.id}`, {until: today(), version: r.version});
          reload();
        }}, t('party.ins.end_station')) : null)},
      ], stations.items, {class: 'party-stations'}) : empty()),
    card(t('party.ins.visits'), visits.items.length ? table([
      {label: t('party.member.date'), class: 'col-date', cell: (r) => r.date},
      {label: t('party.ins.unit'), cell: (r) => h('a', {href: `#/party/units/${r.unit.id}`}, r.unit.name)},
      {label: t('party.ins.kind'), cell: (r) => t('party.ins.kind.' + r.kind)},
      {label: t('party.ins.summary'), class: 'col-text', cell: (r) => r.summary},
      {label: t('party.ins.advice'), cell: (r) => r.advice},
      {label: t('party.ins.outcome'), cell: (r) => r.outcome},
      {label: t('party.ins.instructor'), cell: (r) => (r.instructor ? r.instructor.name : '')},
    ], visits.items) : empty()));
}

/* ---- 三向服务清单 ---- */

async function serviceDialog(area, m, reload) {
  const units = await unitOptions(area);
  formDialog({
    title: t('party.svc.add'),
    build: (form) => {
      const list = select('list', m.lists.map((l) => ({value: l.code, label: pick(l)})));
      const unit = select('unit_id', [{value: '', label: '—'}, ...units]);
      append(form, [field(t('party.svc.list'), list, {required: true}),
        field(t('party.svc.title_f'), input('title', {maxlength: 100}), {required: true}),
        field(t('party.svc.description'), textarea('description', {rows: 3})),
        field(t('party.svc.provider'), input('provider', {maxlength: 100})),
        field(t('party.svc.unit'), unit),
        field(t('party.svc.contact'), input('contact', {maxlength: 100}))]);
    },
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      const body = {area, list: v('list'), title: v('title'), description: v('description'), provider: v('provider'), contact: v('contact')};
      if (v('unit_id')) body.unit_id = Number(v('unit_id'));
      await post('/api/v1/party/services', body);
      reload();
      return true;
    },
  });
}

function matchDialog(need, offers, reload) {
  formDialog({
    title: `${t('party.svc.match')}:${need.title}`,
    build: (form) => append(form, [
      field(t('party.svc.offer'), select('offer_id', offers.map((o) => ({value: String(o.id), label: `${o.title} · ${o.provider}`}))), {required: true}),
      field(t('party.svc.matched_on'), input('date', {type: 'date', value: today(), max: today()}), {required: true}),
      field(t('party.member.note'), textarea('note', {rows: 2}))]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      await post('/api/v1/party/matches', {need_id: need.id, offer_id: Number(v('offer_id')), date: v('date'), note: v('note')});
      reload();
      return true;
    },
  });
}

function matchAction(mt, a, reload) {
  formDialog({
    title: pick(a), submitLabel: pick(a), danger: a.action === 'cancel',
    build: (form) => {
      if (a.needs_note) {
        form.appendChild(field(t('party.svc.outcome'), textarea('note', {rows: 3}), {required: true}));
        form.appendChild(field(t('party.svc.beneficiaries'), input('beneficiaries', {type: 'number', min: 0, value: '0'})));
      }
      if (a.needs_reason) form.appendChild(field(t('party.org.reason'), textarea('reason', {rows: 2}), {required: true}));
      if (!a.needs_note && !a.needs_reason) form.appendChild(h('p', {class: 'dialog-text'}, `${mt.need.title} ← ${mt.offer.title}`));
    },
    submit: async (form) => {
      const body = {action: a.action, version: mt.version};
      if (form.elements.note) body.note = form.elements.note.value;
      if (form.elements.beneficiaries) body.beneficiaries = Number(form.elements.beneficiaries.value || 0);
      if (form.elements.reason) body.reason = form.elements.reason.value;
      await post(`/api/v1/party/matches/${mt.id}/transitions`, body);
      reload();
      return true;
    },
  });
}

async function renderServices(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.svc.title'));
  const [m, areaList] = await Promise.all([meta(), areas()]);
  if (!ctx.alive()) return;
  const area = query.get('area') || firstStreet(areaList);
  append(el, [tabs('services'), pageHeader(t('party.svc.title'),
    button(t('party.svc.add'), {kind: 'primary', icon: 'plus', onclick: () => serviceDialog(area, m, () => ctx.refresh())})),
  h('p', {class: 'lead'}, t('party.svc.lead'))]);
  const body = h('div', null, loading());
  el.appendChild(body);
  const [items, matches] = await Promise.all([
    get('/api/v1/party/services' + qs({area, per_page: 200})),
    get('/api/v1/party/matches' + qs({area, per_page: 200})),
  ]);
  if (!ctx.alive()) return;
  const reload = () => ctx.refresh();
  const offers = items.items.filter((s) => s.list !== 'need' && s.active);
  const column = (code) => {
    const list = items.items.filter((s) => s.list === code);
    return card(pick(m.lists.find((l) => l.code === code)),
      list.length ? h('ul', {class: 'party-svc-list', 'data-list': code}, list.map((s) => h('li', {class: ['party-svc', !s.active && 'row-muted'], 'data-service': s.id},
        h('strong', null, s.title),
        s.match_state ? [' ', h('span', {class: ['badge', 'party-st', 'party-st-' + s.match_state]}, pick(m.match_workflow.states.find((x) => x.code === s.match_state)))]
          : code === 'need' ? [' ', h('span', {class: 'badge'}, t('party.svc.open'))] : null,
        h('div', {class: 'muted'}, s.provider, s.description ? ` · ${s.description}` : ''),
        code === 'need' && !s.match_state && s.active && offers.length
          ? h('button', {type: 'button', class: 'btn btn-sm', 'data-test': 'match-open', onclick: () => matchDialog(s, offers, reload)}, t('party.svc.match')) : null)))
        : empty());
  };
  replace(body,
    card(null, h('form', {class: 'filters', role: 'search'},
      field(t('party.dash.area'), select('area', areaOptions(areaList), {value: area, onchange: (ev) => ctx.go('/party/services', {area: ev.target.value})})))),
    h('div', {class: 'party-svc-grid'}, column('office'), column('enterprise'), column('need')),
    card(t('party.svc.matches'), matches.items.length ? table([
      {label: t('party.svc.need'), class: 'col-text', cell: (r) => r.need.title},
      {label: t('party.svc.offer'), class: 'col-text', cell: (r) => `${r.offer.title} · ${r.offer.provider}`},
      {label: t('party.svc.state'), cell: (r) => statusBadge(r, 'state')},
      {label: t('party.svc.matched_on'), class: 'col-date', cell: (r) => r.matched_on},
      {label: t('party.svc.done_on'), class: 'col-date', cell: (r) => r.done_on || ''},
      {label: t('party.svc.outcome'), class: 'col-text', cell: (r) => (r.outcome ? `${r.outcome}${r.beneficiaries ? `(${r.beneficiaries})` : ''}` : '')},
      {label: '', cell: (r) => r.actions.map((a) => h('button', {type: 'button', class: 'btn btn-sm', 'data-action': a.action, onclick: () => matchAction(r, a, reload)}, pick(a)))},
    ], matches.items, {class: 'party-matches'}) : empty()));
}

/* ---- joint meetings ---- */

const attendeeText = (list) => list.map((a) => `${a.present ? '' : t('party.meet.absent') + ' '}${a.name}${a.unit ? ' ' + a.unit : ''}`).join('\n');
function parseAttendees(text) {
  const absent = [t('party.meet.absent'), '缺席', 'absent'];
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    let words = l.split(/\s+/);
    let present = true;
    if (absent.includes(words[0])) {
      present = false;
      words = words.slice(1);
    }
    const o = {name: words[0] || '', present};
    if (words.length > 1) o.unit = words.slice(1).join(' ');
    return o;
  });
}

function meetingDialog(area, mt, reload) {
  formDialog({
    title: mt ? t('common.edit') : t('party.meet.new'),
    build: (form) => append(form, [
      field(t('party.meet.title_f'), input('title', {value: mt ? mt.title : '', maxlength: 100}), {required: true}),
      field(t('party.meet.held_on'), input('held_on', {type: 'date', value: mt ? mt.held_on : today()}), {required: true}),
      field(t('party.meet.place'), input('place', {value: mt ? mt.place : ''})),
      field(t('party.meet.host'), input('host', {value: mt ? mt.host : ''})),
      field(t('party.meet.attendees'), textarea('attendees', {rows: 5, value: mt ? attendeeText(mt.attendees) : ''}), {hint: t('party.meet.attendees_hint')}),
      field(t('party.meet.decisions'), textarea('decisions', {rows: 4, value: mt ? mt.decisions.join('\n') : ''}), {hint: t('party.meet.decisions_hint')}),
      field(t('party.meet.minutes'), textarea('minutes', {rows: 3, value: mt ? mt.minutes : ''}))]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value;
      const body = {title: v('title'), held_on: v('held_on'), place: v('place'), host: v('host'), minutes: v('minutes'),
        attendees: parseAttendees(v('attendees')), decisions: v('decisions').split('\n').map((x) => x.trim()).filter(Boolean)};
      if (mt) await patch(`/api/v1/party/meetings/${mt.id}`, {...body, version: mt.version});
      else await post('/api/v1/party/meetings', {...body, area});
      reload();
      return true;
    },
  });
}

async function renderMeetings(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.meet.title'));
  const areaList = await areas();
  if (!ctx.alive()) return;
  const area = query.get('area') || firstStreet(areaList);
  const reload = () => ctx.refresh();
  append(el, [tabs('meetings'), pageHeader(t('party.meet.title'),
    button(t('party.meet.new'), {kind: 'primary', icon: 'plus', onclick: () => meetingDialog(area, null, reload)}))]);
  const list = await get('/api/v1/party/meetings' + qs({area, per_page: 50}));
  if (!ctx.alive()) return;
  append(el, [list.items.length ? h('div', {class: 'party-meetings'}, list.items.map((mt) => card(null,
    h('div', {class: 'party-meet-head'}, h('h2', {class: 'card-title'}, mt.title),
      h('span', {class: 'muted'}, `${mt.held_on} · ${mt.place}`), h('span', {class: 'badge'}, t('party.meet.attendance', mt)),
      h('button', {type: 'button', class: 'btn btn-sm', onclick: () => meetingDialog(area, mt, reload)}, t('common.edit'))),
    h('p', {class: 'party-attendees'}, mt.attendees.map((a) => h('span', {class: ['party-att', !a.present && 'party-att-absent']}, a.name, a.unit ? `(${a.unit})` : ''))),
    h('h3', {class: 'party-sub'}, t('party.meet.decisions')),
    h('ol', {class: 'party-decisions'}, mt.decisions.map((d) => h('li', null, d))),
    mt.minutes ? h('p', {class: 'muted'}, mt.minutes) : null))) : card(null, h('p', {class: 'empty'}, t('party.meet.none')))]);
}

registerPage({path: '/party/instructors', title: 'party.ins.title', roles: PARTY_ROLES, render: renderInstructors});
registerPage({path: '/party/services', title: 'party.svc.title', roles: PARTY_ROLES, render: renderServices});
registerPage({path: '/party/meetings', title: 'party.meet.title', roles: PARTY_ROLES, render: renderMeetings});

