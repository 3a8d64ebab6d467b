// cases_sites.js — construction dust control "8个100%": the sites with their pass rate, the
// checklist and its versions, a site's record (pass rate per month as a chart, its "一长三员",
// the latest inspections) and the inspection form, whose failed items open rectification cases.

import {h, s, append, replace} from '../dom.js';
import {t} from '../i18n.js';
import {api, get, post, qs, ApiError} from '../api.js';
import {registerPage} from '../router.js';
import {hasRole, cached, areas} from '../session.js';
import {defaultArea} from './cases_roads.js';
import {
  field, input, textarea, select, areaOptions, button, submitting, formError, pageHeader, card, notice, loading,
  empty, table, formDialog, fmtTime,
} from '../ui.js';
import {createMap} from '../map.js';
import {drawRoads, rateBar, coord, sep} from './cases_i18n.js';

const STAFF = ['admin', 'leader'];
const CITY = ['admin', 'leader', 'road_chief', 'team_member', 'grid_worker'];

function result(i) {
  return i.all_passed ? h('span', {class: 'cm-ok'}, t('sites.all_passed'))
    : h('span', {class: 'cm-bad'}, t('sites.failed_n', {n: i.failed}));
}

/* ---- dialogs ---- */

async function siteDialog(areaList, done) {
  const area = defaultArea(areaList);
  const [m, roads] = await Promise.all([cached('/api/v1/cases/meta'), cached('/api/v1/cases/roads')]);
  let people = [];
  try {
    people = (await get('/api/v1/users/lookup' + qs({area}))).items;
  } catch (err) {
    people = [];
  }
  const map = createMap({height: 220, label: t('sites.address')});
  drawRoads(map, roads.items, {labels: false});
  map.fit();
  let pos = null;
  const where = h('span', {class: 'muted'});
  map.onPick((lat, lng) => {
    pos = [lat, lng];
    replace(where, `${coord(lat)}, ${coord(lng)}`);
  });
  formDialog({
    title: t('sites.new'), submitLabel: t('sites.new'),
    build: (form) => append(form, [
      field(t('cases.f.area'), select('area', areaOptions(areaList), {value: area}), {required: true}),
      field(t('sites.name'), input('name', {maxlength: 100}), {required: true}),
      field(t('sites.builder'), input('builder', {maxlength: 100})),
      field(t('sites.address'), input('address', {maxlength: 200})),
      h('div', {class: 'field'}, map.el, where),
      field(t('sites.m2'), input('area_m2', {type: 'number', min: 1})),
      field(t('sites.start'), input('start_date', {type: 'date'})),
      field(t('sites.end'), input('end_date', {type: 'date'})),
      h('fieldset', {class: 'cm-sup'}, h('legend', null, t('sites.supervisors')),
        m.site_supervisor_titles.map((title, i) => h('div', {class: 'cm-sup-row'},
          h('span', {class: 'cm-sup-title'}, title),
          input(`sup_name_${i}`, {placeholder: t('roads.person'), 'aria-label': `${title} ${t('roads.person')}`}),
          select(`sup_user_${i}`, [{value: '', label: t('roads.no_account')}, ...people.map((u) => ({value: String(u.id), label: u.display_name}))],
            {'aria-label': `${title} ${t('roads.account')}`}))))]),
    submit: async (form) => {
      const v = (n) => form.elements[n].value.trim();
      const body = {area: v('area'), name: v('name'), builder: v('builder'), address: v('address'), supervisors: []};
      if (v('area_m2')) body.area_m2 = Number(v('area_m2'));
      if (v('start_date')) body.start_date = v('start_date');
      if (v('end_date')) body.end_date = v('end_date');
      if (pos) [body.lat, body.lng] = pos;
      m.site_supervisor_titles.forEach((title, i) => {
        if (!v(`sup_name_${i}`)) return;
        const sup = {title, name: v(`sup_name_${i}`)};
        if (v(`sup_user_${i}`)) sup.user_id = Number(v(`sup_user_${i}`));
        body.supervisors.push(sup);
      });
      const made = await post('/api/v1/cases/sites', body);
      done(made);
      return true;
    },
  });
}

function checklistDialog(cl, done) {
  const list = h('ol', {class: 'cm-cl-edit'});
  const addRow = (item) => list.appendChild(h('li', {'data-code': item.code || ''},
    input('item', {value: item.text || '', maxlength: 100, 'aria-label': t('sites.checklist_item')}),
    button(t('sites.remove'), {class: 'btn-sm', onclick: (ev) => ev.target.closest('li').remove()})));
  cl.items.forEach(addRow);
  formDialog({
    title: t('sites.checklist_edit'), submitLabel: t('common.save'),
    build: (form) => append(form, [list,
      button(t('sites.checklist_add'), {class: 'btn-sm', icon: 'plus', onclick: () => addRow({})}),
      field(t('sites.checklist_note'), textarea('note', {rows: 2}))]),
    submit: async (form) => {
      const items = [...list.querySelectorAll('li')].map((li) => {
        const text = li.querySelector('input').value.trim();
        return li.dataset.code ? {code: li.dataset.code, text} : {text};
      }).filter((x) => x.text);
      await api('PUT', '/api/v1/cases/checklist', {items, note: form.elements.note.value, version: cl.version});
      done();
      return true;
    },
  });
}

/* ---- the list ---- */

async function renderSites(ctx) {
  const {el} = ctx;
  ctx.setTitle(t('sites.title'));
  const draw = async (msg) => {
    const [sites, cl, areaList] = await Promise.all([get('/api/v1/cases/sites'), get('/api/v1/cases/checklist'), areas()]);
    if (!ctx.alive()) return;
    const staff = hasRole(...STAFF);
    const cols = [
      {label: t('sites.name'), class: 'col-title', cell: (x) => h('a', {href: `#/cases/sites/${x.id}`, class: 'task-link'}, x.name)},
      {label: t('sites.builder'), cell: (x) => x.builder},
      {label: t('sites.inspections'), class: 'col-num', cell: (x) => String(x.inspections)},
      {label: t('sites.pass_rate'), cell: (x) => rateBar(x.pass_rate)},
      {label: t('sites.last'), class: 'col-date', cell: (x) => fmtTime(x.last_inspected_at)},
    ];
    replace(el,
      pageHeader(t('sites.title'), staff ? button(t('sites.new'), {kind: 'primary', icon: 'plus',
        onclick: () => siteDialog(areaList, (made) => ctx.go(`/cases/sites/${made.id}`))}) : null),
      msg ? notice(msg.kind, msg.text) : null,
      h('p', {class: 'lead'}, t('sites.lead')),
      card(null, sites.items.length ? table(cols, sites.items, {class: 'cm-sites'}) : empty(t('sites.none'))),
      card(cl.saved ? t('sites.checklist_version', {v: cl.version}) : t('sites.checklist_default'),
        h('ol', {class: 'cm-checklist'}, cl.items.map((i) => h('li', null, i.text))),
        staff ? button(t('sites.checklist_edit'), {kind: 'secondary', onclick: () => checklistDialog(cl,
          () => draw({kind: 'success', text: t('sites.checklist_saved')}).catch(() => {}))}) : null));
  };
  await draw(ctx.flashed);
}

/* ---- a site ---- */

/** Pass rate per month as SVG bars (whole inspections passed), with the month under each. */
function rateChart(rates) {
  if (!rates.length) return empty();
  const W = 60 * rates.length + 20, H = 160, base = 130;
  return h('div', {class: 'cm-chart-wrap'}, s('svg', {viewBox: `0 0 ${W} ${H}`, class: 'cm-chart', role: 'img', 'aria-label': t('sites.rates')},
    s('line', {x1: 10, y1: base, x2: W - 10, y2: base, class: 'cm-axis'}),
    ...rates.flatMap((r, i) => {
      const v = r.pass_rate === null ? 0 : r.pass_rate;
      const hgt = Math.round((v / 100) * 110);
      const x = 20 + i * 60;
      return [
        s('rect', {x, y: base - hgt, width: 36, height: hgt, class: 'cm-bar ' + (v >= 90 ? 'good' : v >= 70 ? 'fair' : 'poor')},
          s('title', {}, `${r.month}: ${v}% (${r.all_passed}/${r.inspections})`)),
        s('text', {x: x + 18, y: base - hgt - 5, class: 'cm-bar-label'}, `${v}%`),
        s('text', {x: x + 18, y: base + 16, class: 'cm-bar-month'}, r.month.slice(2)),
      ];
    })));
}

function inspectionForm(site, cl, done) {
  const items = cl.items.map((it, i) => h('li', {class: 'cm-check-item', 'data-code': it.code},
    h('span', {class: 'cm-check-no'}, String(i + 1)),
    h('span', {class: 'cm-check-text'}, it.text),
    h('span', {class: 'cm-check-choice', role: 'radiogroup', 'aria-label': it.text},
      h('label', {class: 'check'}, h('input', {type: 'radio', name: `r_${it.code}`, value: 'pass', checked: true}), ' ', t('sites.pass')),
      h('label', {class: 'check'}, h('input', {type: 'radio', name: `r_${it.code}`, value: 'fail'}), ' ', t('sites.fail'))),
    input(`n_${it.code}`, {class: 'cm-check-note', placeholder: t('sites.item_note'), 'aria-label': `${it.text} ${t('sites.item_note')}`})));
  const kind = (v, label, checked) => h('label', {class: 'check'}, h('input', {type: 'radio', name: 'kind', value: v, checked}), ' ', label);
  const form = h('form', {class: 'cm-inspect', novalidate: true},
    formError(),
    field(t('sites.kind'), h('div', {class: 'check-group', name: 'kind'}, kind('day', t('patrols.day'), true), kind('night', t('patrols.night'), false)), {group: true}),
    h('p', {class: 'muted'}, cl.saved ? t('sites.checklist_version', {v: cl.version}) : t('sites.checklist_default')),
    h('ol', {class: 'cm-check-list', name: 'results'}, items),
    field(t('sites.note'), textarea('note', {rows: 2})),
    h('div', {class: 'form-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('sites.inspect'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitting(form, async () => {
      const results = cl.items.map((it) => {
        const fail = form.querySelector(`input[name="r_${it.code}"]:checked`).value === 'fail';
        const note = form.elements[`n_${it.code}`].value.trim();
        if (fail && !note)
          throw new ApiError(400, {error: {code: 'required', field: `n_${it.code}`, message: `say what is wrong with: ${it.text}`, message_zh: `请说明“${it.text}”的问题`}});
        return {code: it.code, pass: !fail, note};
      });
      const body = {site_id: site.id, kind: form.querySelector('input[name="kind"]:checked').value, results, note: form.elements.note.value};
      if (cl.version) body.checklist_version = cl.version;
      const made = await post('/api/v1/cases/inspections', body);
      done(made.case_ids.length
        ? t('sites.inspected_cases', {failed: made.failed, ids: made.case_ids.map((id) => '#' + id).join(sep())})
        : t('sites.inspected', {passed: made.passed, failed: made.failed}));
    });
  });
  return form;
}

async function renderSite(ctx) {
  const {el, params} = ctx;
  const draw = async (msg) => {
    const [site, cl] = await Promise.all([get(`/api/v1/cases/sites/${encodeURIComponent(params.id)}`), get('/api/v1/cases/checklist')]);
    if (!ctx.alive()) return;
    ctx.setTitle(site.name);
    const row = (label, value) => (value === null || value === undefined || value === '' ? null : [h('dt', null, label), h('dd', null, value)]);
    const inspCols = [
      {label: t('patrols.col_when'), class: 'col-date', cell: (i) => fmtTime(i.inspected_at)},
      {label: t('sites.kind'), cell: (i) => h('span', {class: ['badge', i.kind === 'night' ? 'cm-night' : 'cm-day']}, t('patrols.' + i.kind))},
      {label: t('sites.result'), cell: (i) => [result(i), ' ', h('span', {class: 'muted'}, `v${i.checklist_version}`)]},
      {label: t('patrols.col_who'), cell: (i) => i.inspector},
      {label: t('sites.cases'), cell: (i) => i.case_ids.map((id) => h('a', {href: `#/cases/${id}`}, ` #${id}`))},
    ];
    replace(el,
      h('p', {class: 'crumbs'}, h('a', {href: '#/cases/sites'}, t('sites.title')), ' / ', t('sites.detail')),
      msg ? notice(msg.kind, msg.text) : null,
      pageHeader(site.name),
      h('div', {class: 'detail-grid'},
        card(t('sites.detail'), h('dl', {class: 'details'},
          row(t('sites.builder'), site.builder), row(t('sites.address'), site.address),
          row(t('sites.m2'), site.area_m2 ? site.area_m2.toLocaleString() : null),
          row(t('sites.start'), site.start_date), row(t('sites.end'), site.end_date),
          row(t('sites.inspections'), String(site.inspections)),
          row(t('sites.pass_rate'), rateBar(site.pass_rate)),
          row(t('sites.supervisors'), h('ul', {class: 'cm-sups'}, site.supervisors.map((x) =>
            h('li', null, h('strong', null, x.title), ' ', x.name, x.phone ? h('span', {class: 'muted'}, ' ', x.phone) : null,
              x.user_id ? h('span', {class: 'cm-linked', title: t('roads.account')}, ' ●') : null)))))),
        card(t('sites.rates'), rateChart(site.pass_rates),
          table([{label: t('sites.month'), cell: (r) => r.month}, {label: t('sites.inspections'), class: 'col-num', cell: (r) => String(r.inspections)},
            {label: t('sites.night'), class: 'col-num', cell: (r) => String(r.night)},
            {label: t('sites.pass_rate'), class: 'col-num', cell: (r) => `${r.pass_rate}%`},
            {label: t('sites.items_rate'), class: 'col-num', cell: (r) => `${r.item_pass_rate}%`}], site.pass_rates))),
      hasRole(...CITY) && site.active ? card(t('sites.inspect'), inspectionForm(site, cl, (text) => draw({kind: 'success', text}).catch(() => {}))) : null,
      card(t('sites.recent'), site.recent_inspections.length ? table(inspCols, site.recent_inspections, {class: 'cm-inspections'}) : empty()));
    if (msg) el.querySelector('.notice')?.focus?.();
  };
  append(el, [loading()]);
  await draw(ctx.flashed);
}

registerPage({path: '/cases/sites', title: 'sites.title', render: renderSites,
  nav: {label: 'nav.cases_sites', icon: 'duty', roles: CITY, order: 36}});
registerPage({path: '/cases/sites/:id', title: 'sites.detail', render: renderSite});
