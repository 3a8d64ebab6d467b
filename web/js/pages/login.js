// login.js — the login page (POST /api/v1/session sets the HttpOnly session cookie).

import {h, append, clear} from '../dom.js';
import {t, lang, setLang} from '../i18n.js';
import {post, ApiError} from '../api.js';
import {registerPage} from '../router.js';
import {field, input, formError, submitting, showError, notice} from '../ui.js';
import {loggedIn} from '../session.js';

let lockedUntil = 0;

function render({el, flashed}) {
  clear(el); // the one-time message goes inside the card instead
  const user = input('username', {autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false'});
  const pass = input('password', {type: 'password', autocomplete: 'current-password'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-block'}, t('login.submit'));
  const form = h('form', {class: 'login-form', novalidate: true},
    formError(),
    field(t('login.username'), user, {required: true}),
    field(t('login.password'), pass, {required: true}),
    submit);

  const lockButton = () => {
    const left = Math.ceil((lockedUntil - Date.now()) / 1000);
    if (left > 0) {
      submit.disabled = true;
      submit.textContent = t('login.retry_in', {s: left});
      setTimeout(lockButton, 1000);
    } else {
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!user.value.trim()) {
      showError(form, new ApiError(400, {error: {code: 'required', field: 'username',
        message: 'username is required', message_zh: '用户名为必填项'}}));
      return;
    }
    await submitting(form, async () => {
      try {
        const me = await post('/api/v1/session', {username: user.value.trim(), password: pass.value},
          {noAuthRedirect: true});
        loggedIn(me);
      } catch (err) {
        if (err instanceof ApiError && err.status === 429 && err.detail.retry_after) {
          lockedUntil = Date.now() + err.detail.retry_after * 1000;
        }
        pass.value = '';
        throw err;
      }
    });
    if (lockedUntil > Date.now()) lockButton();
  });

  const langBtn = (code, text) => h('button', {type: 'button', class: ['lang-btn', lang() === code && 'active'],
    'aria-pressed': lang() === code ? 'true' : 'false', onclick: () => setLang(code)}, text);

  append(el, [h('div', {class: 'login-wrap'},
    h('div', {class: 'login-card'},
      h('div', {class: 'login-head'},
        h('span', {class: 'brand-mark brand-mark-lg', 'aria-hidden': 'true'}, '基'),
        h('h1', null, t('app.name')),
        h('p', {class: 'login-sub'}, t('login.subtitle')),
        h('p', {class: 'login-hint'}, t('login.hint'))),
      flashed ? notice(flashed.kind, flashed.text) : null,
      form,
      h('div', {class: 'lang-switch lang-switch-light', role: 'group', 'aria-label': t('app.language')},
        langBtn('zh', '中文'), langBtn('en', 'English'))),
    h('p', {class: 'login-foot'}, t('login.footer')))]);
  if (lockedUntil > Date.now()) lockButton();
  user.focus();
}

registerPage({path: '/login', public: true, title: 'login.title', render});
