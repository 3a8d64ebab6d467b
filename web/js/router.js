// router.js — the page registry and hash routes (#/ledger, #/ledger/tasks/12?tab=x).
//
// A domain adds its pages with registerPage() from its own file under js/pages/ and imports that
// file once in app.js:
//
//   registerPage({
//     path: '/cases/:id',              // ':name' takes one path segment → params.name
//     title: 'cases.detail',          // i18n key (or {zh, en}) for the browser tab
//     nav: {label: 'nav.cases', icon: 'ledger', roles: ['admin', 'road_chief'], order: 50},
//     roles: ['admin'],               // optional: who may open the page at all
//     public: false,                  // true: reachable without a session (login)
//     render: async (ctx) => { … }    // ctx: {el, params, query, user, go, setTitle, refresh}
//   });
//
// A nav label is an i18n key, or an object {zh, en}. Pages without nav are reachable by link only.

const pages = [];
const listeners = [];

function compile(path) {
  const names = [];
  const src = path
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {re: new RegExp('^' + src + '/?$'), names};
}

export function registerPage(page) {
  if (!page || typeof page.path !== 'string' || typeof page.render !== 'function')
    throw new Error('registerPage: needs {path, render}');
  if (pages.some((p) => p.path === page.path)) throw new Error('registerPage: duplicate ' + page.path);
  pages.push({...page, matcher: compile(page.path)});
}

export function allPages() {
  return pages.slice();
}

export function userMayOpen(page, user) {
  if (!page.roles || !page.roles.length) return true;
  return Boolean(user && user.roles.some((r) => page.roles.includes(r.code || r)));
}

/** Nav entries the user may see, in order. */
export function navEntries(user) {
  return pages
    .filter((p) => p.nav && userMayOpen({roles: p.nav.roles || p.roles}, user))
    .sort((a, b) => (a.nav.order ?? 100) - (b.nav.order ?? 100));
}

/** The current location: {path, query: URLSearchParams}. */
export function location() {
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  let decoded = path;
  try {
    decoded = decodeURI(path);
  } catch (err) {
    decoded = path;
  }
  return {path: decoded || '/', query: new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '')};
}

/** The page for a path with its parameters, or null. */
export function match(path) {
  for (const p of pages) {
    const m = p.matcher.re.exec(path);
    if (m) {
      const params = {};
      p.matcher.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1]);
      });
      return {page: p, params};
    }
  }
  return null;
}

/** The hash for a path and query object: href('/ledger', {page: 2}) → '#/ledger?page=2'. */
export function href(path, query) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return '#' + path + (s ? '?' + s : '');
}

/** Navigates; when the hash does not change (same place), renders again. */
export function go(path, query) {
  const target = href(path, query);
  if (window.location.hash === target) notify();
  else window.location.hash = target;
}

export function onRoute(fn) {
  listeners.push(fn);
}

function notify() {
  for (const fn of listeners) fn(location());
}

export function start() {
  window.addEventListener('hashchange', notify);
  notify();
}

export function refresh() {
  notify();
}
