// users.js — user administration (administrators only): list, create, edit and disable.

import {h, append} from '../dom.js';
import {t, pick, lang} from '../i18n.js';
import {get, post, patch, qs, ApiError} from '../api.js';
import {registerPage} from '../router.js';
import {areas, roles, currentUser} from '../session.js';
import {
  field, input, formError, submitting, linkButton, pageHeader, card, notice, empty, table, pager,
} from '../ui.js';

const ADMIN = ['admin'];

function checkboxGroup(name, options, checked, cls) {
  return h('div', {class: ['check-group', cls], role: 'group', name},
    options.map((o) => h('label', {class: ['check', o.depth ? 'depth-' + Math.min(o.depth, 5) : null]},
      h('input', {type: 'checkbox', name: name + '[]', value: o.value, checked: checked.includes(o.value)}),
      h('span', null, o.label))));
}

async function renderList(ctx) {
  const {el, query} = ctx;
  ctx.setTitle(t('user.page'));
  const page = Math.max(1, Number(query.get('page')) || 1);
  const [data, roleList, areaList] = await Promise.all([
    get('/api/v1/users' + qs({page, per_page: 50})), roles(), areas()]);
  if (!ctx.alive()) return;
  const roleName = new Map(roleList.items.map((r) => [r.code, pick(r)]));
  const areaName = new Map(areaList.map((a) => [a.code, a.name]));
  const sep = lang() === 'zh' ? '、' : ', ';
  const cols = [
    {label: t('user.username'), cell: (u) => h('a', {href: `#/users/${u.id}`}, u.username)},
    {label: t('user.display_name'), class: 'col-title', cell: (u) => u.display_name},
    {label: t('user.roles'), cell: (u) => u.roles.map((r) => roleName.get(r) || r).join(sep)},
    {label: t('user.areas'), cell: (u) => u.areas.map((c) => areaName.get(c) || c).join(sep)},
    {label: t('user.phone'), cell: (u) => u.phone || ''},
    {label: t('user.status'), cell: (u) => h('span', {class: ['badge', u.disabled ? 'st-cancelled' : 'st-closed']},
      u.disabled ? t('user.disabled') : t('user.active'))},
    {label: t('common.actions'), cell: (u) => linkButton(t('common.edit'), `#/users/${u.id}`, {kind: 'ghost', class: 'btn-sm'})},
  ];
  append(el, [
    pageHeader(t('user.page'), linkButton(t('user.new'), '#/users/new', {kind: 'primary', icon: 'plus'})),
    card(null,
      data.items.length ? table(cols, data.items, {caption: t('user.page'), rowAttrs: (u) => ({class: u.disabled ? 'row-muted' : null})}) : empty(),
      data.total > data.per_page ? pager(data.total, data.page, data.per_page, (p) => ctx.go('/users', {page: p})) : null),
  ]);
}

async function userForm(ctx, user) {
  const editing = Boolean(user);
  const [roleList, areaList] = await Promise.all([roles(), areas()]);
  if (!ctx.alive()) return;
  const f = {
    username: input('username', {value: editing ? user.username : '', maxlength: 32, autocomplete: 'off', disabled: editing}),
    display_name: input('display_name', {value: editing ? user.display_name : '', maxlength: 64}),
    password: input('password', {type: 'password', autocomplete: 'new-password', maxlength: 128}),
    phone: input('phone', {type: 'tel', value: editing ? user.phone || '' : '', inputmode: 'tel', maxlength: 16}),
  };
  const rolesBox = checkboxGroup('roles', roleList.items.map((r) => ({value: r.code, label: pick(r)})), editing ? user.roles : [], 'check-cols');
  const areasBox = checkboxGroup('areas', areaList.map((a) => ({value: a.code, label: `${a.name} (${a.code})`, depth: a.depth})),
    editing ? user.areas : [], 'check-scroll');
  const disabled = h('input', {type: 'checkbox', name: 'disabled', checked: editing && user.disabled});
  const self = editing && currentUser() && currentUser().id === user.id;
  const form = h('form', {class: 'form-grid', novalidate: true},
    formError(),
    field(t('user.username'), f.username, {required: !editing, hint: editing ? t('user.username_fixed') : t('user.username_hint')}),
    field(t('user.display_name'), f.display_name, {required: true}),
    field(editing ? t('user.new_password') : t('user.password'), f.password,
      {required: !editing, hint: editing ? t('user.password_keep') : t('user.password_hint')}),
    field(t('user.phone'), f.phone, {hint: t('user.phone_hint')}),
    field(t('user.roles'), rolesBox, {group: true, wide: true}),
    field(t('user.areas'), areasBox, {group: true, wide: true, hint: t('user.areas_hint')}),
    editing ? h('div', {class: 'field field-check field-wide', 'data-field': 'disabled'},
      h('label', null, disabled, ' ', t('user.disable')),
      self ? h('span', {class: 'field-hint'}, t('user.self_hint')) : null,
      h('span', {class: 'field-error', role: 'status'})) : null,
    h('div', {class: 'form-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, editing ? t('common.save') : t('user.create')),
      linkButton(t('common.cancel'), '#/users')));
  // an error naming "roles" or "areas" highlights the group
  rolesBox.setAttribute('name', 'roles');
  areasBox.setAttribute('name', 'areas');
  rolesBox.tabIndex = -1;
  areasBox.tabIndex = -1;

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitting(form, async () => {
      const checked = (n) => [...form.querySelectorAll(`input[name="${n}[]"]:checked`)].map((i) => i.value);
      const body = {
        display_name: f.display_name.value.trim(), roles: checked('roles'), areas: checked('areas'),
        phone: f.phone.value.trim() || null,
      };
      if (f.password.value) body.password = f.password.value;
      if (!editing) {
        body.username = f.username.value.trim();
        if (!f.password.value) {
          throw new ApiError(400, {error: {code: 'required', field: 'password', message: 'password is required',
            message_zh: '密码为必填项'}});
        }
        const made = await post('/api/v1/users', body);
        ctx.flash('success', t('user.created', {name: made.display_name}));
        ctx.go('/users');
        return;
      }
      body.disabled = disabled.checked;
      body.version = user.version;
      try {
        await patch(`/api/v1/users/${user.id}`, body);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'stale_version') {
          ctx.flash('warning', t('user.stale'));
          ctx.refresh();
          return;
        }
        throw err;
      }
      ctx.flash('success', t('common.saved'));
      ctx.go('/users');
    });
  });
  append(ctx.el, [card(null, form)]);
}

async function renderNew(ctx) {
  ctx.setTitle(t('user.new'));
  append(ctx.el, [h('p', {class: 'crumbs'}, h('a', {href: '#/users'}, t('user.page'))), pageHeader(t('user.new'))]);
  await userForm(ctx, null);
}

async function renderEdit(ctx) {
  const user = await get(`/api/v1/users/${encodeURIComponent(ctx.params.id)}`);
  if (!ctx.alive()) return;
  ctx.setTitle(user.display_name);
  append(ctx.el, [h('p', {class: 'crumbs'}, h('a', {href: '#/users'}, t('user.page'))),
    pageHeader(t('user.edit', {name: user.display_name}))]);
  if (user.disabled) ctx.el.appendChild(notice('warning', t('user.is_disabled')));
  await userForm(ctx, user);
}

registerPage({
  path: '/users', title: 'user.page', roles: ADMIN, render: renderList,
  nav: {label: 'nav.users', icon: 'users', roles: ADMIN, order: 70},
});
registerPage({path: '/users/new', title: 'user.new', roles: ADMIN, render: renderNew});
registerPage({path: '/users/:id', title: 'user.page', roles: ADMIN, render: renderEdit});
