// audit.js — the audit log: newest first, "more" pages back with next_before.

import {h, append, replace} from '../dom.js';
import {t} from '../i18n.js';
import {get, qs, errorText} from '../api.js';
import {registerPage} from '../router.js';
import {areas} from '../session.js';
import {field, select, button, pageHeader, card, notice, loading, empty, table, fmtTime} from '../ui.js';
import {actionLabel} from './ledger.js';

const ENTITIES = ['ledger_task', 'ledger_duty', 'area', 'user', 'config', 'api_token'];

function entityLink(e) {
  const label = t('entity.' + e.entity, null, e.entity);
  if (e.entity === 'ledger_task') return h('a', {href: `#/ledger/tasks/${e.entity_id}`}, `${label} #${e.entity_id}`);
  return `${label} ${e.entity_id}`;
}

async function renderAudit(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('audit.page'));
  const entity = ENTITIES.includes(query.get('entity')) ? query.get('entity') : '';
  const filter = h('form', {class: 'filters', novalidate: true},
    field(t('audit.entity'), select('entity', [{value: '', label: t('common.all')},
      ...ENTITIES.map((x) => ({value: x, label: t('entity.' + x)}))], {value: entity,
      onchange: (ev) => ctx.go('/audit', {entity: ev.target.value})})));
  filter.addEventListener('submit', (ev) => ev.preventDefault());
  const listBox = h('div', null, loading());
  const moreBox = h('div', {class: 'more'});
  append(el, [pageHeader(t('audit.page')), h('p', {class: 'lead'}, t('audit.lead')), card(null, filter, listBox, moreBox)]);

  const areaList = await areas().catch(() => []);
  const areaName = new Map(areaList.map((a) => [a.code, a.name]));
  const items = [];
  const cols = [
    {label: t('audit.time'), class: 'col-date', cell: (e) => h('time', {datetime: e.at}, fmtTime(e.at))},
    {label: t('audit.user'), cell: (e) => e.user},
    {label: t('audit.action'), cell: (e) => h('span', {class: 'audit-action', 'data-action': e.action}, actionLabel(e.action))},
    {label: t('audit.object'), cell: entityLink},
    {label: t('task.area'), cell: (e) => (e.area ? areaName.get(e.area) || e.area : '')},
    {label: t('audit.reason'), class: 'col-text', cell: (e) => e.reason || ''},
  ];
  const load = async (before) => {
    const data = await get('/api/v1/audit' + qs({entity, before, limit: 50}));
    if (!ctx.alive()) return;
    items.push(...data.items);
    replace(listBox, items.length ? table(cols, items, {caption: t('audit.page')}) : empty(t('audit.none')));
    replace(moreBox, data.next_before
      ? button(t('audit.more'), {kind: 'secondary', onclick: async (ev) => {
        ev.currentTarget.disabled = true;
        try {
          await load(data.next_before);
        } catch (err) {
          replace(moreBox, notice('error', errorText(err)));
        }
      }})
      : items.length ? h('p', {class: 'muted'}, t('audit.end', {n: items.length})) : null);
  };
  await load(null);
}

registerPage({
  path: '/audit', title: 'audit.page', render: renderAudit,
  nav: {label: 'nav.audit', icon: 'audit', order: 80},
});
