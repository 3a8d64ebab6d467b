// app.js — boots the UI: finds the session, draws the shell (header, navigation, language switch)
// and renders the page of the current hash route. Each domain's pages live in js/pages/ and are
// imported here once; they register themselves with router.registerPage().

import {h, append, clear, icon} from './dom.js';
import {t, lang, setLang, onLangChange, label} from './i18n.js';
import {get, del, onUnauthorized, ApiError} from './api.js';
import * as router from './router.js';
import {currentUser, setUser, flash, takeFlash, setAfterLogin} from './session.js';
import {notice, roleNames, failed} from './ui.js';

import './pages/login.js';
import './pages/ledger.js';
import './pages/party.js';
import './pages/duties.js';
import './pages/cases.js';
import './pages/areas.js';
import './pages/users.js';
import './pages/audit.js';
import './pages/poverty.js';

const root = document.getElementById('app');
let renderSeq = 0;
let menuOpen = false;

async function logout() {
  try {
    await del('/api/v1/session', {noAuthRedirect: true});
  } catch (err) {
    /* the cookie is dropped by the server either way; nothing to show */
  }
  setUser(null);
  flash('info', t('login.logged_out'));
  router.go('/login');
}

function langSwitch() {
  const mk = (code, text) => h('button', {
    type: 'button', class: ['lang-btn', lang() === code && 'active'], lang: code === 'zh' ? 'zh-CN' : 'en',
    'aria-pressed': lang() === code ? 'true' : 'false',
    onclick: () => setLang(code),
  }, text);
  return h('div', {class: 'lang-switch', role: 'group', 'aria-label': t('app.language')},
    mk('zh', '中文'), mk('en', 'English'));
}

function brand() {
  return h('a', {class: 'brand', href: '#/'},
    h('span', {class: 'brand-mark', 'aria-hidden': 'true'}, '基'),
    h('span', {class: 'brand-text'},
      h('span', {class: 'brand-name'}, t('app.name')),
      h('span', {class: 'brand-sub'}, t('app.subtitle'))));
}

function header(user) {
  const menuBtn = h('button', {
    type: 'button', class: 'menu-btn', 'aria-controls': 'sidenav', 'aria-expanded': menuOpen ? 'true' : 'false',
    'aria-label': t(menuOpen ? 'app.menu_close' : 'app.menu_open'),
    onclick: () => {
      menuOpen = !menuOpen;
      document.body.classList.toggle('menu-open', menuOpen);
      menuBtn.setAttribute('aria-expanded', menuOpen ? 'true' : 'false');
      menuBtn.setAttribute('aria-label', t(menuOpen ? 'app.menu_close' : 'app.menu_open'));
      clear(menuBtn);
      append(menuBtn, [icon(menuOpen ? 'close' : 'menu')]);
    },
  }, icon(menuOpen ? 'close' : 'menu'));
  return h('header', {class: 'topbar'},
    menuBtn,
    brand(),
    h('div', {class: 'topbar-right'},
      langSwitch(),
      h('div', {class: 'who'},
        h('span', {class: 'who-name', 'data-test': 'user-name'}, user.display_name),
        h('span', {class: 'who-roles', 'data-test': 'user-roles'}, roleNames(user.roles))),
      h('button', {type: 'button', class: 'btn btn-ghost logout', onclick: logout},
        icon('logout'), h('span', null, t('app.logout')))));
}

function sidenav(user, path) {
  const entries = router.navEntries(user);
  const base = (p) => p.nav.href || p.path;
  // the entry whose path is the longest prefix of the current one is the active one
  const active = entries
    .filter((p) => path === base(p) || path.startsWith(base(p) + '/'))
    .sort((a, b) => base(b).length - base(a).length)[0];
  const items = entries.map((p) => h('li', null, h('a', {
    href: '#' + base(p), class: ['nav-link', p === active && 'active'], 'aria-current': p === active ? 'page' : null,
  }, icon(p.nav.icon), h('span', null, label(p.nav.label)))));
  return h('nav', {class: 'sidenav', id: 'sidenav', 'aria-label': t('app.nav')},
    h('ul', null, items),
    h('div', {class: 'sidenav-foot'}, h('div', {class: 'who-mobile'},
      h('span', {class: 'who-name'}, user.display_name),
      h('span', {class: 'who-roles'}, roleNames(user.roles)))));
}

async function render(loc) {
  const seq = ++renderSeq;
  menuOpen = false;
  document.body.classList.remove('menu-open');
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  const user = currentUser();
  let {path} = loc;
  if (path === '/' || path === '') {
    if (!user) path = '/login';
    else {
      // home: the first page made for one of the user's own roles (a poverty officer lands on
      // the registry, a road chief on the cases); leaders and administrators on the first page
      const entries = router.navEntries(user);
      const own = (user.roles || []).map((r) => r.code || r).filter((r) => r !== 'admin' && r !== 'leader');
      const mine = entries.find((p) => Array.isArray(p.nav.roles) && p.nav.roles.some((r) => own.includes(r)));
      const first = mine || entries[0];
      router.go(first ? first.nav.href || first.path : '/ledger');
      return;
    }
  }
  const m = router.match(path);
  if (!user && !(m && m.page.public)) {
    setAfterLogin(path + (loc.query.toString() ? '?' + loc.query.toString() : ''));
    router.go('/login');
    return;
  }
  if (user && m && m.page.public && m.page.path === '/login') {
    router.go('/');
    return;
  }
  clear(root);
  const main = h('main', {class: 'main', id: 'main'});
  const msg = takeFlash();
  const content = h('div', {class: 'page'});
  if (msg) content.appendChild(notice(msg.kind, msg.text));
  main.appendChild(content);
  if (m && m.page.public) {
    root.className = 'app app-public';
    append(root, [main]);
  } else {
    root.className = 'app';
    append(root, [header(user), h('div', {class: 'layout'}, sidenav(user, path), main)]);
  }
  const setTitle = (s) => {
    document.title = s ? `${s} · ${t('app.name')}` : t('app.name');
  };
  setTitle(m && m.page.title ? label(m.page.title) : '');
  if (!m) {
    append(content, [h('h1', null, t('app.not_found')), h('p', null, h('a', {href: '#/'}, t('app.home')))]);
    return;
  }
  if (!router.userMayOpen(m.page, user)) {
    append(content, [h('h1', null, t('app.forbidden_title')), notice('error', t('app.forbidden'))]);
    return;
  }
  const ctx = {
    el: content, params: m.params, query: loc.query, user, go: router.go, setTitle,
    refresh: router.refresh, flash,
    /** the one-time message shown above the page ({kind, text}) — pages that redraw keep it */
    flashed: msg,
    /** false once the user has moved on: async work should stop drawing */
    alive: () => seq === renderSeq,
  };
  try {
    await m.page.render(ctx);
  } catch (err) {
    if (seq !== renderSeq) return;
    if (err instanceof ApiError && err.status === 401) return;
    if (!(err instanceof ApiError)) console.error(err); // a bug in the page, not an answer of the API
    failed(content, err);
  }
  if (seq === renderSeq && document.activeElement === document.body) {
    const h1 = content.querySelector('h1');
    if (h1 && !msg) h1.focus({preventScroll: true});
  }
}

onUnauthorized(() => {
  if (!currentUser()) return;
  setUser(null);
  flash('error', t('login.expired'));
  const loc = router.location();
  setAfterLogin(loc.path);
  router.go('/login');
});

onLangChange(() => router.refresh());
router.onRoute(render);

async function boot() {
  try {
    setUser(await get('/api/v1/me', {noAuthRedirect: true}));
  } catch (err) {
    setUser(null);
    if (!(err instanceof ApiError) || err.status !== 401) flash('error', t('app.boot_failed'));
  }
  router.start();
}

boot();
