// api.js — the JSON API client. Same-origin fetch with the session cookie; errors become ApiError
// carrying the server's {code, message, message_zh, field, …}.

import {lang} from './i18n.js';

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || (status ? 'http_' + status : 'network');
    this.message_en = e.message || '';
    this.message_zh = e.message_zh || '';
    this.field = e.field || null;
    this.detail = e; // retry_after, current_version, allowed …
  }
}

let unauthorizedHandler = null;
/** Called on a 401 from any request except the login itself (the session has ended). */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

export async function api(method, path, body, opts = {}) {
  const headers = {Accept: 'application/json'};
  const init = {method, credentials: 'same-origin', headers, cache: 'no-store'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, {error: {code: 'network', message: 'The server cannot be reached.',
      message_zh: '无法连接服务器,请检查网络后重试。'}});
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (err) {
      data = null;
    }
  }
  if (!res.ok) {
    const e = new ApiError(res.status, data);
    if (res.status === 401 && !opts.noAuthRedirect && unauthorizedHandler) unauthorizedHandler(e);
    throw e;
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);

/** Query string from an object, leaving out empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? '?' + s : '';
}

/** The error text in the current language. */
export function errorText(err) {
  if (!(err instanceof ApiError)) return String((err && err.message) || err);
  if (lang() === 'zh') return err.message_zh || err.message_en || '请求失败';
  return err.message_en || err.message_zh || 'Request failed';
}
