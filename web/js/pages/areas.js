// areas.js — the area tree 市 → 区/县 → 街道/镇 → 社区/村 → 网格. Administrators add a child area
// and rename areas (PATCH with the version they saw).

import {h, append, replace, clear} from '../dom.js';
import {t, lang} from '../i18n.js';
import {post, patch, ApiError} from '../api.js';
import {registerPage} from '../router.js';
import {areas, hasRole, forget} from '../session.js';
import {field, input, formError, submitting, button, pageHeader, card, notice, empty} from '../ui.js';

const KINDS = ['区', '县', '县级市', '街道', '镇', '乡', '社区', '村', '网格'];
const CHILD_KIND = {2: '区', 3: '街道', 4: '社区', 5: '网格'};

/** The next free code of a child of `parent` (GB/T 2260 county codes, 12-digit statistical codes
 * below, 3 more digits for a grid), or '' when the parent's level has no children. */
export function nextChildCode(parent, children) {
  const p = parent.code;
  const used = new Set(children.map((c) => c.code));
  const make = {
    1: (n) => p.slice(0, 2) + String(n).padStart(2, '0') + '00',
    2: (n) => p.slice(0, 4) + String(n).padStart(2, '0'),
    3: (n) => p + String(n).padStart(3, '0') + '000',
    4: (n) => p.slice(0, 9) + String(n).padStart(3, '0'),
    5: (n) => p + String(n).padStart(3, '0'),
  }[parent.level];
  if (!make) return '';
  const max = parent.level <= 2 ? 99 : 999;
  for (let n = 1; n <= max; n++) if (!used.has(make(n))) return make(n);
  return '';
}

function levelName(a) {
  return lang() === 'zh' ? a.level_zh : a.level_en;
}

function kindList() {
  return h('datalist', {id: 'area-kinds'}, KINDS.map((k) => h('option', {value: k})));
}

async function renderAreas(ctx) {
  const {el} = ctx;
  ctx.setTitle(t('area.page'));
  const isAdmin = hasRole('admin');
  const list = await areas();
  if (!ctx.alive()) return;
  const byParent = new Map();
  const codes = new Set(list.map((a) => a.code));
  for (const a of list) {
    const key = codes.has(a.parent) ? a.parent : '';
    if (!byParent.has(key)) byParent.set(key, []);
    byParent.get(key).push(a);
  }
  const msgBox = h('div', {class: 'area-msg'});

  const done = async (text) => {
    forget('/api/v1/areas');
    ctx.flash('success', text);
    ctx.refresh();
  };

  const renameForm = (a, slot) => {
    const name = input('name', {value: a.name, maxlength: 64});
    const kind = input('kind', {value: a.kind, list: 'area-kinds', maxlength: 16});
    const form = h('form', {class: 'inline-form', novalidate: true},
      formError(),
      field(t('area.name'), name, {required: true}),
      field(t('area.kind'), kind, {required: true}),
      h('div', {class: 'form-actions'},
        h('button', {type: 'submit', class: 'btn btn-primary'}, t('common.save')),
        button(t('common.cancel'), {onclick: () => clear(slot)})));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      submitting(form, async () => {
        try {
          await patch(`/api/v1/areas/${a.code}`, {name: name.value.trim(), kind: kind.value.trim(), version: a.version});
        } catch (err) {
          if (err instanceof ApiError && err.code === 'stale_version') {
            forget('/api/v1/areas');
            ctx.flash('warning', t('area.stale'));
            ctx.refresh();
            return;
          }
          throw err;
        }
        await done(t('area.renamed', {name: name.value.trim()}));
      });
    });
    replace(slot, form);
    name.focus();
  };

  const childForm = (a, slot) => {
    const code = input('code', {value: nextChildCode(a, byParent.get(a.code) || []), inputmode: 'numeric', maxlength: 15});
    const name = input('name', {maxlength: 64});
    const kind = input('kind', {value: CHILD_KIND[a.level] || '', list: 'area-kinds', maxlength: 16});
    const form = h('form', {class: 'inline-form', novalidate: true},
      h('p', {class: 'inline-title'}, t('area.add_under', {name: a.name})),
      formError(),
      field(t('area.code'), code, {required: true, hint: t('area.code_hint')}),
      field(t('area.name'), name, {required: true}),
      field(t('area.kind'), kind, {required: true}),
      h('div', {class: 'form-actions'},
        h('button', {type: 'submit', class: 'btn btn-primary'}, t('area.add')),
        button(t('common.cancel'), {onclick: () => clear(slot)})));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      submitting(form, async () => {
        await post('/api/v1/areas', {code: code.value.trim(), name: name.value.trim(), kind: kind.value.trim(), parent: a.code});
        await done(t('area.added', {name: name.value.trim()}));
      });
    });
    replace(slot, form);
    name.focus();
  };

  const node = (a) => {
    const kids = byParent.get(a.code) || [];
    const slot = h('div', {class: 'node-form'});
    const sub = kids.length ? h('ul', {class: 'tree', role: 'group'}, kids.map(node)) : null;
    const toggle = kids.length
      ? h('button', {type: 'button', class: 'tree-toggle', 'aria-expanded': 'true',
        'aria-label': t('area.toggle', {name: a.name}),
        onclick: (ev) => {
          const open = ev.currentTarget.getAttribute('aria-expanded') === 'true';
          ev.currentTarget.setAttribute('aria-expanded', open ? 'false' : 'true');
          sub.hidden = open;
        }})
      : h('span', {class: 'tree-toggle tree-leaf', 'aria-hidden': 'true'});
    return h('li', {class: 'tree-item', role: 'treeitem', 'data-code': a.code, 'aria-expanded': kids.length ? 'true' : null},
      h('div', {class: 'node'},
        toggle,
        h('span', {class: 'node-name'}, a.name),
        h('span', {class: 'badge badge-kind'}, a.kind || levelName(a)),
        h('span', {class: 'node-code'}, a.code),
        h('span', {class: 'node-level muted'}, levelName(a)),
        isAdmin ? h('span', {class: 'node-actions'},
          a.level < 6 ? button(t('area.add_child'), {class: 'btn-sm', kind: 'ghost', icon: 'plus', onclick: () => childForm(a, slot)}) : null,
          button(t('area.rename'), {class: 'btn-sm', kind: 'ghost', onclick: () => renameForm(a, slot)})) : null),
      slot,
      sub);
  };

  const roots = byParent.get('') || [];
  append(el, [
    pageHeader(t('area.page')),
    h('p', {class: 'lead'}, t(isAdmin ? 'area.lead_admin' : 'area.lead', {n: list.length})),
    msgBox,
    kindList(),
    card(null, roots.length ? h('ul', {class: 'tree tree-root', role: 'tree', 'aria-label': t('area.page')}, roots.map(node)) : empty()),
  ]);
  if (!isAdmin) msgBox.appendChild(notice('info', t('area.readonly')));
}

registerPage({
  path: '/areas', title: 'area.page', render: renderAreas,
  nav: {label: 'nav.areas', icon: 'area', order: 60},
});
