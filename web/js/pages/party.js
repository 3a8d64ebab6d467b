// party.js — 两新党建: the overview (coverage cards and charts, and the same figures for a past
// day rebuilt from the audit log). It loads the other pages of the domain, each of which
// registers itself.

import {h, append, replace} from '../dom.js';
import {t, pick} from '../i18n.js';
import {get, qs} from '../api.js';
import {registerPage} from '../router.js';
import {areas} from '../session.js';
import {field, input, select, areaOptions, pageHeader, card, loading, fmtNumber, today} from '../ui.js';
import {PARTY_ROLES, tabs, percent, donut, stackedBars, lineChart, legend, meta} from './party_common.js';

import './party_units.js';
import './party_orgs.js';
import './party_members.js';
import './party_board.js';
import './party_work.js';

function stat(key, label, value, opts = {}) {
  const el = h(opts.href ? 'a' : 'div', {class: ['stat', 'party-stat', opts.cls], href: opts.href, 'data-stat': key},
    h('span', {class: 'stat-value'}, String(value)), h('span', {class: 'stat-label'}, label));
  return el;
}

function cards(cov, area) {
  const q = (more) => '#/party/units' + qs({area, status: 'operating', ...more});
  return h('div', {class: 'stats party-stats'},
    stat('operating', t('party.dash.operating'), cov.units.operating, {href: q({}), cls: 'stat-total'}),
    stat('covered', t('party.dash.covered'), cov.units.covered, {href: q({coverage: 'covered'}), cls: 'stat-closed'}),
    stat('own', t('party.dash.own'), cov.units.own, {href: q({coverage: 'own'})}),
    stat('joint', t('party.dash.joint'), cov.units.joint, {href: q({coverage: 'joint'})}),
    stat('coverage_rate', t('party.dash.coverage_rate'), percent(cov.coverage_rate), {cls: 'stat-score'}),
    stat('own_rate', t('party.dash.own_rate'), percent(cov.own_rate), {cls: 'stat-score'}),
    stat('established', t('party.dash.established'), cov.orgs.established, {href: '#/party/orgs' + qs({area, status: 'established'})}),
    stat('preparing', t('party.dash.preparing'), cov.orgs.preparing, {href: '#/party/orgs' + qs({area, status: 'preparing'}), cls: 'stat-checking'}),
    stat('incubating', t('party.dash.incubating'), cov.orgs.incubating, {href: '#/party/orgs' + qs({area, status: 'incubating'}), cls: 'stat-evaluating'}),
    stat('this_year', t('party.dash.this_year'), cov.orgs.established_this_year, {cls: 'stat-discussing'}),
    stat('needs_branch', t('party.dash.needs_branch'), cov.units.needs_branch,
      {href: '#/party/warnings' + qs({area, rule: 'unit_needs_branch'}), cls: cov.units.needs_branch ? 'stat-alert' : ''}),
    stat('party_members', t('party.dash.party_members'), cov.members.party_members));
}

async function byCommunity(streetCode, allAreas, asOf) {
  const kids = allAreas.filter((a) => a.parent === streetCode && a.level === 5);
  const covs = await Promise.all(kids.map((k) => get('/api/v1/party/coverage' + qs({area: k.code, as_of: asOf}))));
  const rows = kids.map((k, i) => ({
    label: k.name,
    parts: [
      {value: covs[i].units.own, cls: 'party-own', label: t('party.coverage.own')},
      {value: covs[i].units.joint, cls: 'party-joint', label: t('party.coverage.joint')},
      {value: covs[i].units.uncovered, cls: 'party-none', label: t('party.dash.uncovered')},
    ],
  }));
  return rows;
}

async function render(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('party.dash.title'));
  const areaList = await areas();
  if (!ctx.alive()) return;
  const streets = areaList.filter((a) => a.level === 4);
  const area = query.get('area') || (streets[0] || areaList[0] || {}).code || '';
  const asOf = query.get('as_of') || '';
  const form = h('form', {class: 'filters party-filters', role: 'search', novalidate: true},
    field(t('party.dash.area'), select('area', areaOptions(areaList.filter((a) => a.level <= 5)), {value: area})),
    field(t('party.dash.as_of'), input('as_of', {type: 'date', value: asOf, max: today()}), {hint: t('party.dash.as_of_hint')}),
    h('div', {class: 'filter-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('party.dash.show'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    ctx.go('/party', {area: fd.get('area'), as_of: fd.get('as_of')});
  });
  const body = h('div', null, loading());
  append(el, [tabs('dashboard'), pageHeader(t('party.dash.title')), h('p', {class: 'lead'}, t('party.dash.lead')), card(null, form), body]);

  const [cov, hist] = await Promise.all([
    get('/api/v1/party/coverage' + qs({area, as_of: asOf})),
    get('/api/v1/party/coverage/history' + qs({area, months: 12})),
  ]);
  if (!ctx.alive()) return;
  const areaRec = areaList.find((a) => a.code === area);
  const rows = areaRec && areaRec.level === 4 ? await byCommunity(area, areaList, asOf) : [];
  if (!ctx.alive()) return;
  const source = cov.source === 'audit' ? t('party.dash.source_audit', {date: cov.as_of}) : t('party.dash.source_live');
  const stages = ['applicant', 'activist', 'candidate', 'probationary', 'full'];
  const m = await meta();
  if (!ctx.alive()) return;
  replace(body,
    card(null,
      h('div', {class: 'sum-head'}, h('h2', {class: 'card-title'}, areaRec ? areaRec.name : area),
        h('span', {class: ['muted', cov.source === 'audit' && 'party-asof'], 'data-test': 'coverage-source'}, source)),
      cards(cov, area)),
    h('div', {class: 'party-charts'},
      card(t('party.dash.coverage_rate'),
        h('div', {class: 'party-donut-wrap'},
          donut([
            {value: cov.units.own, cls: 'party-own', label: t('party.coverage.own')},
            {value: cov.units.joint, cls: 'party-joint', label: t('party.coverage.joint')},
            {value: cov.units.uncovered, cls: 'party-none', label: t('party.dash.uncovered')},
          ], percent(cov.coverage_rate), `${cov.units.covered}/${cov.units.operating}`, t('party.dash.coverage_rate')),
          legend([
            {cls: 'party-own', label: `${t('party.coverage.own')} ${cov.units.own}`},
            {cls: 'party-joint', label: `${t('party.coverage.joint')} ${cov.units.joint}`},
            {cls: 'party-none', label: `${t('party.dash.uncovered')} ${cov.units.uncovered}`},
          ])),
        h('p', {class: 'muted party-def'}, t('party.dash.definition'), ': ', pick(cov.definitions, 'coverage_rate'), ' (', cov.definitions.source, ')')),
      rows.length ? card(t('party.dash.by_community'), stackedBars(rows, t('party.dash.by_community')),
        legend([{cls: 'party-own', label: t('party.coverage.own')}, {cls: 'party-joint', label: t('party.coverage.joint')},
          {cls: 'party-none', label: t('party.dash.uncovered')}])) : null,
      card(t('party.dash.history'), lineChart(hist.points.map((p) => ({label: p.date.slice(2, 7), value: p.coverage_rate})), t('party.dash.history'))),
      card(t('party.dash.stages'), stackedBars(stages.map((code) => ({
        label: pick(m.stages.find((x) => x.code === code)),
        parts: [{value: cov.members[code], cls: 'party-stage-' + code, label: code}],
      })), t('party.dash.stages'))),
      card(t('party.dash.orgs_by_state'), stackedBars(['incubating', 'preparing', 'established', 'dissolved'].map((code) => ({
        label: pick(m.org_workflow.states.find((x) => x.code === code)),
        parts: [{value: cov.orgs[code], cls: 'party-st-bar-' + code, label: code}],
      })), t('party.dash.orgs_by_state')),
      h('p', {class: 'muted'}, t('party.dash.this_year'), ': ', fmtNumber(cov.orgs.established_this_year, 0)))));
}

registerPage({
  path: '/party', title: 'party.dash.title', roles: PARTY_ROLES, render,
  nav: {label: 'nav.party', icon: 'area', roles: PARTY_ROLES, order: 20},
});
