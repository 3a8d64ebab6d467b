// cases_public.js — the public pages (no login, made for a phone): report a problem (category,
// description, photo, place picked on the offline map of the roads or typed, the same problem
// nearby offered first), sent over Open311 (POST /open311/v2/requests.json, multipart with the
// photo); follow a report by its token; and evaluate the handling once it is closed (未解决
// reopens it). Tokens of reports sent from this device are kept in localStorage.

import {h, append, replace, clear} from '../dom.js';
import {t, lang, setLang} from '../i18n.js';
import {get, post, qs, ApiError, errorText} from '../api.js';
import {registerPage} from '../router.js';
import {field, input, textarea, select, formError, showError, clearErrors, notice, loading, fmtTime} from '../ui.js';
import {createMap} from '../map.js';
import {drawRoads, serviceName, coord, caseBadge} from './cases_i18n.js';

const MINE = 'jiceng.cases.mine';

function myReports() {
  try {
    const v = JSON.parse(window.localStorage.getItem(MINE) || '[]');
    return Array.isArray(v) ? v.filter((x) => x && /^[0-9a-f]{32}$/.test(x.token)) : [];
  } catch (err) {
    return [];
  }
}

function remember(entry) {
  try {
    const list = [entry, ...myReports().filter((x) => x.token !== entry.token)].slice(0, 20);
    window.localStorage.setItem(MINE, JSON.stringify(list));
  } catch (err) {
    /* private mode: the page address still holds the token */
  }
}

/** The frame of a public page: brand, language, the page's own links. */
function frame(el, title, ...content) {
  const mk = (code, text) => h('button', {type: 'button', class: ['lang-btn', lang() === code && 'active'],
    'aria-pressed': lang() === code ? 'true' : 'false', onclick: () => setLang(code)}, text);
  append(el, [h('div', {class: 'pub'},
    h('header', {class: 'pub-head'},
      h('a', {class: 'pub-brand', href: '#/report'}, h('span', {class: 'brand-mark', 'aria-hidden': 'true'}, '基'),
        h('span', null, t('public.brand'))),
      h('div', {class: 'lang-switch lang-switch-light', role: 'group', 'aria-label': t('app.language')}, mk('zh', '中文'), mk('en', 'English'))),
    h('nav', {class: 'pub-nav', 'aria-label': t('app.nav')},
      h('a', {href: '#/report'}, t('public.title')), h('a', {href: '#/report/track'}, t('public.track')),
      h('a', {href: '#/login', class: 'muted'}, t('public.staff_login'))),
    h('main', {class: 'pub-main'}, h('h1', {tabindex: '-1'}, title), content))]);
}

/** Open311 answers errors as [{code, description, field, description_zh}]: as an ApiError. */
async function open311Post(fd) {
  let res;
  try {
    res = await fetch('/open311/v2/requests.json', {method: 'POST', body: fd, credentials: 'omit', cache: 'no-store'});
  } catch (err) {
    throw new ApiError(0, {error: {code: 'network', message: 'The server cannot be reached.', message_zh: '无法连接服务器,请检查网络后重试。'}});
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = Array.isArray(data) && data[0] ? data[0] : {};
    const fieldMap = {lat: 'location', long: 'location', address_string: 'address_string', media: 'media'};
    throw new ApiError(res.status, {error: {code: String(e.code || res.status), field: fieldMap[e.field] || e.field,
      message: e.description_en || e.description || `HTTP ${res.status}`, message_zh: e.description_zh || e.description}});
  }
  return data[0];
}

/* ---- report a problem ---- */

async function renderReport(ctx) {
  const info = await get('/api/v1/cases/public/info');
  if (!ctx.alive()) return;
  let pos = null;
  const svcSel = select('service_code', [{value: '', label: t('cases.choose_service')},
    ...info.services.map((s) => ({value: s.code, label: `${s.group ? s.group + ' · ' : ''}${serviceName(s)}`}))], {required: true});
  const attrBox = h('div', {class: 'pub-attrs'});
  const where = h('p', {class: 'muted pub-where', role: 'status'}, t('public.location_hint'));
  const dupBox = h('div', {class: 'pub-dups', role: 'status'});
  const map = createMap({height: 520, label: t('public.location'), class: 'pub-map'});
  drawRoads(map, info.roads, {labelClass: 'cm-road-label-lg'});
  map.fit();
  const locField = h('div', {class: 'field', 'data-field': 'location'},
    h('span', {class: 'field-label'}, t('public.location'), h('span', {class: 'req', 'aria-hidden': 'true'}, ' *')),
    map.el, where, h('input', {type: 'hidden', name: 'location'}), h('span', {class: 'field-error', role: 'status'}));
  const checkDups = async () => {
    clear(dupBox);
    if (!svcSel.value || !pos) return;
    try {
      const res = await get('/api/v1/cases/public/nearby' + qs({service_code: svcSel.value, lat: pos[0], lng: pos[1]}));
      if (!res.items.length) return;
      append(dupBox, [notice('info', t('public.dups')), h('ul', {class: 'cm-dups'}, res.items.map((d) => h('li', null,
        `#${d.id} `, caseBadge(d), ' ', d.description.slice(0, 40), ' ',
        h('span', {class: 'muted'}, t('cases.distance', {m: d.distance_m})))))]);
    } catch (err) {
      /* a hint only */
    }
  };
  map.onPick((lat, lng) => {
    pos = [lat, lng];
    replace(where, t('public.location_set', {lat: coord(lat), lng: coord(lng)}));
    locField.classList.remove('invalid');
    checkDups();
  });
  svcSel.addEventListener('change', () => {
    const svc = info.services.find((s) => s.code === svcSel.value);
    replace(attrBox, ...(svc ? svc.attributes : []).map((a) => {
      const ctl = a.values && a.values.length
        ? select(`attribute[${a.code}]`, [{value: '', label: t('cases.attr_choose')}, ...a.values.map((v) => ({value: v.key, label: v.name}))])
        : input(`attribute[${a.code}]`, {type: a.datatype === 'number' ? 'number' : 'text', step: 'any'});
      return field(a.description, ctl, {required: a.required});
    }));
    checkDups();
  });
  const mb = Math.round(info.photo_max_bytes / 1048576);
  const photo = h('input', {type: 'file', name: 'media', accept: 'image/jpeg,image/png,image/webp', capture: 'environment'});
  const form = h('form', {class: 'pub-form', novalidate: true},
    formError(),
    field(t('public.service'), svcSel, {required: true}),
    attrBox,
    field(t('public.description'), textarea('description', {rows: 4, maxlength: 4000, placeholder: t('public.description_ph')}), {required: true}),
    field(t('public.photo', {mb}), photo),
    locField,
    dupBox,
    field(t('public.address'), input('address_string', {maxlength: 200, placeholder: t('public.address_ph')})),
    field(t('public.name'), input('first_name', {maxlength: 50, autocomplete: 'name'})),
    field(t('public.phone'), input('phone', {type: 'tel', maxlength: 14, autocomplete: 'tel', inputmode: 'tel'})),
    h('div', {class: 'field field-check'}, h('label', null, h('input', {type: 'checkbox', name: 'anonymous'}), ' ', t('public.anonymous'))),
    h('button', {type: 'submit', class: 'btn btn-primary btn-block pub-submit'}, t('public.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const btn = form.querySelector('button[type="submit"]');
    btn.disabled = true;
    replace(btn, t('public.submitting'));
    try {
      const fd = new FormData();
      const v = (n) => (form.elements[n] ? form.elements[n].value.trim() : '');
      if (!v('service_code'))
        throw new ApiError(400, {error: {code: 'required', field: 'service_code', message: 'choose a category', message_zh: '请选择问题类别'}});
      if (!v('description'))
        throw new ApiError(400, {error: {code: 'required', field: 'description', message: 'describe the problem', message_zh: '请描述问题'}});
      if (!pos && !v('address_string'))
        throw new ApiError(400, {error: {code: 'required', field: 'location', message: 'pick the place on the map', message_zh: '请在地图上点选问题位置,或填写详细地址'}});
      fd.append('service_code', v('service_code'));
      fd.append('description', form.elements.description.value);
      if (pos) {
        fd.append('lat', String(pos[0]));
        fd.append('long', String(pos[1]));
      }
      for (const k of ['address_string', 'first_name', 'phone']) if (v(k)) fd.append(k, v(k));
      if (form.elements.anonymous.checked) fd.append('anonymous', 'true');
      for (const el of attrBox.querySelectorAll('[name^="attribute["]')) if (el.value.trim()) fd.append(el.name, el.value.trim());
      const file = photo.files[0];
      if (file) {
        if (file.size > info.photo_max_bytes)
          throw new ApiError(413, {error: {code: 'photo_too_large', field: 'media', message: `at most ${mb} MB`, message_zh: `照片不能超过${mb}MB`}});
        fd.append('media', file, file.name);
      }
      const out = await open311Post(fd);
      remember({token: out.token, id: out.service_request_id, at: new Date().toISOString(), service: svcSel.selectedOptions[0].textContent});
      ctx.go(`/report/t/${out.token}`, {new: 1});
    } catch (err) {
      showError(form, err);
      if (err instanceof ApiError && err.field === 'location') locField.classList.add('invalid');
    } finally {
      btn.disabled = false;
      replace(btn, t('public.submit'));
    }
  });
  frame(ctx.el, t('public.title'), h('p', {class: 'lead'}, t('public.lead')), form);
}

/* ---- follow a report ---- */

async function renderTrackForm(ctx) {
  const form = h('form', {class: 'pub-form pub-track', novalidate: true},
    formError(),
    field(t('public.token'), input('token', {maxlength: 32, placeholder: t('public.token_ph'), autocomplete: 'off', spellcheck: 'false'}), {required: true}),
    h('button', {type: 'submit', class: 'btn btn-primary btn-block'}, t('public.go')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const tok = form.elements.token.value.trim().toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(tok)) {
      showError(form, new ApiError(400, {error: {code: 'invalid_field', field: 'token', message: 'a token has 32 letters and digits', message_zh: '查询凭证为32位字母和数字'}}));
      return;
    }
    ctx.go(`/report/t/${tok}`);
  });
  const mine = myReports();
  frame(ctx.el, t('public.track_title'), h('p', {class: 'lead'}, t('public.track_lead')), form,
    h('section', {class: 'pub-mine'}, h('h2', null, t('public.mine')),
      mine.length ? h('ul', null, mine.map((x) => h('li', null, h('a', {href: `#/report/t/${x.token}`}, `#${x.id} ${x.service || ''}`),
        ' ', h('span', {class: 'muted'}, fmtTime(x.at ? new Date(Date.parse(x.at) + 8 * 3600e3).toISOString().replace('Z', '+08:00') : ''))))) : h('p', {class: 'muted'}, t('public.no_mine'))));
}

function evaluationForm(token, done) {
  let rating = 0;
  const stars = h('div', {class: 'pub-stars', role: 'radiogroup', 'aria-label': t('public.rating'), name: 'rating'});
  const paint = () => {
    for (const b of stars.querySelectorAll('button')) {
      const n = Number(b.dataset.n);
      b.classList.toggle('on', n <= rating);
      b.setAttribute('aria-checked', n === rating ? 'true' : 'false');
    }
  };
  for (let n = 1; n <= 5; n++)
    stars.appendChild(h('button', {type: 'button', class: 'pub-star', role: 'radio', 'data-n': n, 'aria-label': t('public.stars', {n}),
      onclick: () => { rating = n; paint(); }}, '★'));
  const choice = (v, label) => h('label', {class: 'pub-choice'}, h('input', {type: 'radio', name: 'resolved', value: v}), ' ', label);
  const form = h('form', {class: 'pub-form pub-eval', novalidate: true},
    formError(),
    field(t('public.evaluate_lead'), h('div', {class: 'check-group', name: 'resolved'}, choice('yes', t('cases.resolved')), choice('no', t('cases.unresolved'))), {group: true, required: true}),
    field(t('public.rating'), stars, {group: true, required: true}),
    field(t('public.comment'), textarea('comment', {rows: 3, maxlength: 1000})),
    h('button', {type: 'submit', class: 'btn btn-primary btn-block'}, t('public.send_evaluation')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const r = form.querySelector('input[name="resolved"]:checked');
    try {
      if (!r) throw new ApiError(400, {error: {code: 'required', field: 'resolved', message: 'solved or not?', message_zh: '请选择问题是否解决'}});
      if (!rating) throw new ApiError(400, {error: {code: 'required', field: 'rating', message: 'give 1 to 5 stars', message_zh: '请给出1到5星评价'}});
      const out = await post(`/api/v1/cases/public/track/${token}/evaluation`,
        {resolved: r.value === 'yes', rating, ...(form.elements.comment.value.trim() ? {comment: form.elements.comment.value} : {})});
      done(out, r.value === 'yes');
    } catch (err) {
      showError(form, err);
    }
  });
  return form;
}

async function renderTrack(ctx) {
  const token = ctx.params.token;
  const draw = async (msg) => {
    let c;
    try {
      c = await get(`/api/v1/cases/public/track/${encodeURIComponent(token)}`);
    } catch (err) {
      if (!ctx.alive()) return;
      clear(ctx.el);
      frame(ctx.el, t('public.track_title'), notice('error', err instanceof ApiError && err.status === 404 ? t('public.not_found') : errorText(err)),
        h('p', null, h('a', {href: '#/report/track'}, t('public.track'))));
      return;
    }
    if (!ctx.alive()) return;
    clear(ctx.el);
    ctx.setTitle(`#${c.id} ${c.service_name}`);
    const fresh = ctx.query.get('new') === '1';
    const redraw = (out, ok) => draw({kind: ok ? 'success' : 'warning', text: ok ? t('public.evaluated') : t('public.reopened')}).catch(() => {});
    frame(ctx.el, `#${c.id} ${c.service_name}`,
      fresh && !msg ? notice('success', t('public.thanks', {id: c.id})) : null,
      msg ? notice(msg.kind, msg.text) : null,
      fresh ? h('p', {class: 'pub-token'}, t('public.your_token'), ' ', h('code', {'data-test': 'token'}, token)) : null,
      h('section', {class: 'pub-card', 'data-test': 'status'},
        h('div', {class: 'pub-status'}, caseBadge(c), ' ', h('strong', {'data-test': 'status-notes'}, c.status_notes)),
        c.merged_into ? h('p', {class: 'muted'}, t('public.merged', {id: c.merged_into})) : null,
        c.description ? h('p', {class: 'pub-desc'}, c.description) : null,
        c.address ? h('p', {class: 'muted'}, c.address) : null,
        h('p', {class: 'muted'}, t('public.requested'), ' ', fmtTime(c.requested_datetime), ' · ', t('public.updated'), ' ', fmtTime(c.updated_datetime)),
        c.media_urls.length ? h('div', {class: 'pub-photos'}, c.media_urls.map((u) => h('img', {src: u, alt: t('cases.photos')}))) : null),
      c.can_evaluate ? h('section', {class: 'pub-card'}, h('h2', null, t('public.evaluate')), evaluationForm(token, redraw)) : null,
      h('section', {class: 'pub-card'}, h('h2', null, t('public.timeline')),
        h('ol', {class: 'timeline pub-timeline'}, c.timeline.map((e) => h('li', {class: 'tl-item', 'data-action': e.action},
          h('div', {class: 'tl-head'}, h('span', {class: 'tl-action'}, lang() === 'zh' ? e.zh : t('caction.' + e.action, null, e.action)),
            h('time', {class: 'tl-time', datetime: e.at}, fmtTime(e.at))))))),
      h('p', null, h('a', {href: '#/report', class: 'btn btn-secondary btn-block'}, t('public.back_report'))));
    if (msg) ctx.el.querySelector('.notice')?.focus?.();
  };
  append(ctx.el, [loading()]);
  await draw(null);
}

registerPage({path: '/report', title: 'public.title', public: true, render: renderReport});
registerPage({path: '/report/track', title: 'public.track_title', public: true, render: renderTrackForm});
registerPage({path: '/report/t/:token', title: 'public.track_title', public: true, render: renderTrack});
