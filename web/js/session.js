// session.js — who is logged in, and reference data shared by pages (areas, workflow, roles),
// fetched once per session and dropped at logout.

import {get} from './api.js';
import {go} from './router.js';

let user = null;
const cache = new Map();

export function currentUser() {
  return user;
}

export function setUser(u) {
  user = u;
  cache.clear();
}

let flashMsg = null;
let afterLogin = null;

/** A message shown once, at the top of the next page rendered. */
export function flash(kind, text) {
  flashMsg = {kind, text};
}

export function takeFlash() {
  const m = flashMsg;
  flashMsg = null;
  return m;
}

/** Where to go once logged in (the page asked for before the login). */
export function setAfterLogin(path) {
  afterLogin = path;
}

export function loggedIn(u) {
  setUser(u);
  const target = afterLogin && !afterLogin.startsWith('/login') ? afterLogin : '/';
  afterLogin = null;
  go(target);
}

export function hasRole(...codes) {
  return Boolean(user && user.roles.some((r) => codes.includes(r.code)));
}

/** Cached GET: the same promise for every caller until forget(path). */
export function cached(path) {
  if (!cache.has(path)) {
    const p = get(path);
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return cache.get(path);
}

export function forget(prefix) {
  for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
}

/** Areas the user may see, sorted by code (parents before children), with depth in the tree. */
export async function areas() {
  const data = await cached('/api/v1/areas?per_page=2000');
  const items = data.items.slice().sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const byCode = new Map(items.map((a) => [a.code, a]));
  const depth = (a) => {
    let d = 0;
    let p = byCode.get(a.parent);
    while (p && d < 8) {
      d++;
      p = byCode.get(p.parent);
    }
    return d;
  };
  return items.map((a) => ({...a, depth: depth(a)}));
}

export function workflow() {
  return cached('/api/v1/ledger/workflow');
}

export function roles() {
  return cached('/api/v1/roles');
}
