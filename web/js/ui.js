// ui.js — building blocks shared by the pages: form fields, API error display, responsive tables,
// pagination, dialogs, notices, state badges, date and time formatting.

import {h, append, clear, icon} from './dom.js';
import {t, lang, pick} from './i18n.js';
import {ApiError, errorText} from './api.js';

let seq = 0;
const uid = (p) => `${p}-${++seq}`;

/* ---- forms ---- */

/**
 * A labelled field. `control` is an <input>/<select>/<textarea> (or a group element holding
 * several) with its `name` set to the API field it edits, so an API error naming that field
 * highlights it.
 */
export function field(label, control, opts = {}) {
  const id = control.id || uid('f');
  control.id = id;
  const hintId = opts.hint ? id + '-hint' : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  if (opts.group) control.setAttribute('aria-labelledby', id + '-label');
  return h('div', {class: ['field', opts.wide && 'field-wide', opts.class], 'data-field': control.getAttribute('name') || ''},
    h(opts.group ? 'span' : 'label', {class: 'field-label', for: opts.group ? null : id, id: id + '-label'},
      label, opts.required ? h('span', {class: 'req', 'aria-hidden': 'true'}, ' *') : null),
    control,
    opts.hint ? h('span', {class: 'field-hint', id: hintId}, opts.hint) : null,
    h('span', {class: 'field-error', role: 'status'}));
}

export function input(name, attrs = {}) {
  return h('input', {name, type: 'text', autocomplete: 'off', ...attrs});
}

export function textarea(name, attrs = {}) {
  return h('textarea', {name, rows: 3, ...attrs});
}

/** options: [{value, label}] */
export function select(name, options, attrs = {}) {
  return h('select', {name, ...attrs},
    options.map((o) => h('option', {value: o.value, disabled: o.disabled}, o.label)));
}

/** Area options indented by depth; `blank` adds a first empty option with that label. */
export function areaOptions(areas, blank) {
  const opts = blank ? [{value: '', label: blank}] : [];
  for (const a of areas) opts.push({value: a.code, label: '\u00a0\u00a0'.repeat(a.depth) + a.name});
  return opts;
}

/** The box at the top of a form where its error is shown. */
export function formError() {
  return h('div', {class: 'form-error', role: 'alert', hidden: true});
}

export function clearErrors(form) {
  const box = form.querySelector('.form-error');
  if (box) {
    box.hidden = true;
    clear(box);
  }
  for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) clear(el);
}

/** Shows an API error in the form and marks the field it names. */
export function showError(form, err) {
  clearErrors(form);
  const text = errorText(err);
  const box = form.querySelector('.form-error');
  const name = err instanceof ApiError ? err.field : null;
  const ctl = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
  if (box) {
    box.hidden = false;
    append(box, [text]);
  }
  if (ctl) {
    const wrap = ctl.closest('.field');
    if (wrap) {
      wrap.classList.add('invalid');
      // the message stands under the field only when the form has no box of its own for it
      const fe = wrap.querySelector('.field-error');
      if (fe && !box) append(fe, [text]);
    }
    ctl.setAttribute('aria-invalid', 'true');
    ctl.focus();
  } else if (box) {
    box.focus?.();
  }
}

/** Runs `work` while the form's buttons are disabled; shows its error in the form. */
export async function submitting(form, work) {
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((b) => {
    b.disabled = true;
  });
  form.setAttribute('aria-busy', 'true');
  clearErrors(form);
  try {
    return await work();
  } catch (err) {
    showError(form, err);
    return undefined;
  } finally {
    buttons.forEach((b) => {
      b.disabled = false;
    });
    form.removeAttribute('aria-busy');
  }
}

export function button(label, attrs = {}) {
  const {kind, icon: ic, class: cls, ...rest} = attrs;
  return h('button', {type: 'button', ...rest, class: ['btn', kind && 'btn-' + kind, cls]},
    ic ? icon(ic) : null, h('span', null, label));
}

export function linkButton(label, hrefValue, attrs = {}) {
  const {kind, icon: ic, class: cls, ...rest} = attrs;
  return h('a', {...rest, href: hrefValue, class: ['btn', kind && 'btn-' + kind, cls]},
    ic ? icon(ic) : null, h('span', null, label));
}

/* ---- page furniture ---- */

export function pageHeader(title, ...actions) {
  return h('div', {class: 'page-head'},
    h('h1', {tabindex: '-1'}, title),
    actions.length ? h('div', {class: 'page-actions'}, actions) : null);
}

export function card(title, ...children) {
  return h('section', {class: 'card'}, title ? h('h2', {class: 'card-title'}, title) : null, children);
}

export function notice(kind, text) {
  return h('div', {class: ['notice', 'notice-' + kind], role: kind === 'error' ? 'alert' : 'status'}, text);
}

export function loading() {
  return h('p', {class: 'loading', role: 'status'}, t('common.loading'));
}

export function empty(text) {
  return h('p', {class: 'empty'}, text || t('common.empty'));
}

/** Renders an error where content would have been. */
export function failed(el, err) {
  clear(el);
  append(el, [notice('error', errorText(err))]);
}

const STATE_CLASS = {
  assigned: 'st-assigned', discussing: 'st-discussing', checking: 'st-checking',
  evaluating: 'st-evaluating', closed: 'st-closed', cancelled: 'st-cancelled',
};

/** A state badge from an object with state, state_zh, state_en. */
export function stateBadge(obj) {
  return h('span', {class: ['badge', STATE_CLASS[obj.state] || 'st-other'], 'data-state': obj.state},
    pick(obj, 'state') || obj.state);
}

export function overdueBadge() {
  return h('span', {class: 'badge badge-overdue'}, t('ledger.overdue'));
}

/**
 * A table that becomes a list of cards on a phone. columns: [{label, cell(row) → node|string,
 * class}] ; rowAttrs(row) → attributes of the <tr>.
 */
export function table(columns, rows, opts = {}) {
  return h('div', {class: 'table-wrap'},
    h('table', {class: ['rt', opts.class]},
      opts.caption ? h('caption', {class: 'sr-only'}, opts.caption) : null,
      h('thead', null, h('tr', null, columns.map((c) => h('th', {scope: 'col', class: c.class}, c.label)))),
      h('tbody', null, rows.map((r) => h('tr', opts.rowAttrs ? opts.rowAttrs(r) : null,
        columns.map((c) => {
          const v = c.cell(r);
          return h('td', {class: c.class, 'data-label': c.label},
            v === null || v === undefined || v === '' ? h('span', {class: 'muted'}, '—') : v);
        }))))));
}

/** Pagination bar. go(page) is called with the new page number. */
export function pager(total, page, perPage, go) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return h('nav', {class: 'pager', 'aria-label': t('common.pagination')},
    h('span', {class: 'pager-info'}, t('common.total_pages', {total, page, pages})),
    button(t('common.prev'), {disabled: page <= 1, onclick: () => go(page - 1)}),
    button(t('common.next'), {disabled: page >= pages, onclick: () => go(page + 1)}));
}

/**
 * A modal dialog with a form. build(form) fills it; submit(form) returns a promise — the dialog
 * closes when it resolves to anything but false, and shows the error when it throws.
 */
export function formDialog({title, build, submit, submitLabel, danger}) {
  const form = h('form', {class: 'dialog-form', method: 'dialog', novalidate: true});
  const dlg = h('dialog', {class: 'dialog', 'aria-labelledby': uid('dlg')});
  const titleEl = h('h2', {id: dlg.getAttribute('aria-labelledby')}, title);
  append(form, [titleEl, formError()]);
  build(form);
  const cancel = button(t('common.cancel'), {onclick: () => dlg.close()});
  const ok = h('button', {type: 'submit', class: ['btn', danger ? 'btn-danger' : 'btn-primary']}, submitLabel || t('common.ok'));
  append(form, [h('div', {class: 'dialog-actions'}, cancel, ok)]);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const result = await submitting(form, () => submit(form));
    if (result !== undefined && result !== false && dlg.open) dlg.close();
  });
  dlg.addEventListener('close', () => dlg.remove());
  dlg.appendChild(form);
  document.body.appendChild(dlg);
  dlg.showModal();
  const first = form.querySelector('input, textarea, select');
  (first || ok).focus();
  return dlg;
}

/* ---- formatting ---- */

/** '2026-12-01T11:21:27+08:00' → '2026-12-01 11:21' (times come from the API in Asia/Shanghai). */
export function fmtTime(s) {
  if (!s) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(s);
  return m ? `${m[1]} ${m[2]}` : s;
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function today() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

export function addDays(ymd, n) {
  const d = new Date(ymd + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function fmtNumber(n, digits = 1) {
  if (n === null || n === undefined) return '—';
  return Number(n).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-US', {maximumFractionDigits: digits});
}

export function roleNames(roles) {
  return (roles || []).map((r) => pick(r) || r.code).join(lang() === 'zh' ? '、' : ', ');
}
