// map.js — an offline map drawn as SVG from the records' own geometry (no tile server: the
// offices' networks cannot reach one). Domains draw roads, boundaries and points on it and may
// let the user pick a location.
//
//   import {createMap} from '../map.js';
//   const map = createMap({height: 360, label: t('cases.map')});
//   map.polyline([[lat, lng], …], {class: 'road', title: '陇海马路', onclick});
//   map.polygon([[lat, lng], …], {class: 'area'});
//   map.point(lat, lng, {class: 'unit established', title: '…', onclick});
//   map.text(lat, lng, '陇海马路');
//   map.fit();                          // after drawing: frame everything drawn (or map.fit(bounds))
//   map.onPick((lat, lng) => …);        // click on the map picks a location (shows a marker)
//   el.append(map.el);
//
// Projection: equirectangular around the centre, x scaled by cos(latitude) — at the scale of a
// sub-district the error is far below a pixel. Zoom with the + / − buttons or the mouse wheel, pan
// by dragging. Styles: .map, .map-road, .map-point … in app.css; pass class names for colours.
// Extend by adding functions; keep the existing ones' signatures (other domains use them).

import {h, s} from './dom.js';

const W = 1000; // SVG user units across; the height follows the aspect ratio

export function createMap(opts = {}) {
  const height = opts.height || 360;
  const H = Math.round((W * height) / 640);
  const svg = s('svg', {class: 'map-svg', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': opts.label || 'map', preserveAspectRatio: 'xMidYMid meet'});
  const layer = s('g', {class: 'map-layer'});
  const pickLayer = s('g', {class: 'map-pick'});
  svg.append(layer, pickLayer);
  const items = []; // {kind, coords, el, opts}
  let view = null;  // {lat0, lng0, k (units per degree of latitude), cx, cy}
  let zoom = 1, panX = 0, panY = 0;
  let pickHandler = null;

  const project = (lat, lng) => {
    const v = view;
    const x = W / 2 + (lng - v.lng0) * v.k * Math.cos((v.lat0 * Math.PI) / 180);
    const y = H / 2 - (lat - v.lat0) * v.k;
    return [(x - W / 2) * zoom + W / 2 + panX, (y - H / 2) * zoom + H / 2 + panY];
  };
  const unproject = (x, y) => {
    const v = view;
    const ux = (x - panX - W / 2) / zoom + W / 2, uy = (y - panY - H / 2) / zoom + H / 2;
    return [v.lat0 - (uy - H / 2) / v.k,
      v.lng0 + (ux - W / 2) / (v.k * Math.cos((v.lat0 * Math.PI) / 180))];
  };

  function draw() {
    if (!view) return;
    for (const it of items) {
      if (it.kind === 'point' || it.kind === 'text' || it.kind === 'pick') {
        const [x, y] = project(it.coords[0][0], it.coords[0][1]);
        if (it.kind === 'text') { it.el.setAttribute('x', x.toFixed(1)); it.el.setAttribute('y', y.toFixed(1)); }
        else it.el.setAttribute('transform', `translate(${x.toFixed(1)},${y.toFixed(1)})`);
      } else {
        const pts = it.coords.map(([la, ln]) => project(la, ln).map((n) => n.toFixed(1)).join(','));
        it.el.setAttribute('points', pts.join(' '));
      }
    }
  }

  function add(kind, coords, el, o) {
    if (o && o.title) el.append(s('title', {}, o.title));
    if (o && o.onclick) {
      el.classList.add('map-clickable');
      el.addEventListener('click', (ev) => { ev.stopPropagation(); o.onclick(ev); });
    }
    items.push({kind, coords, el, opts: o || {}});
    (kind === 'pick' ? pickLayer : layer).append(el);
    draw();
    return el;
  }

  const api = {
    polyline(coords, o = {}) {
      return add('line', coords, s('polyline', {class: ['map-line', o.class].filter(Boolean).join(' ')}), o);
    },
    polygon(coords, o = {}) {
      return add('poly', coords, s('polygon', {class: ['map-poly', o.class].filter(Boolean).join(' ')}), o);
    },
    point(lat, lng, o = {}) {
      const g = s('g', {class: ['map-point', o.class].filter(Boolean).join(' ')},
        s('circle', {r: o.r || 7}));
      return add('point', [[lat, lng]], g, o);
    },
    text(lat, lng, label, o = {}) {
      return add('text', [[lat, lng]], s('text', {class: ['map-text', o.class].filter(Boolean).join(' ')}, label), o);
    },
    clear() {
      for (const it of items) it.el.remove();
      items.length = 0;
    },
    /** Frames the given bounds [[minLat, minLng], [maxLat, maxLng]], or everything drawn. */
    fit(bounds) {
      let b = bounds;
      if (!b) {
        const all = items.filter((it) => it.kind !== 'pick').flatMap((it) => it.coords);
        if (!all.length) return;
        b = [[Math.min(...all.map((c) => c[0])), Math.min(...all.map((c) => c[1]))],
          [Math.max(...all.map((c) => c[0])), Math.max(...all.map((c) => c[1]))]];
      }
      const lat0 = (b[0][0] + b[1][0]) / 2, lng0 = (b[0][1] + b[1][1]) / 2;
      const cos = Math.cos((lat0 * Math.PI) / 180);
      const dLat = Math.max(b[1][0] - b[0][0], 0.002), dLng = Math.max(b[1][1] - b[0][1], 0.002);
      const k = 0.85 * Math.min(H / dLat, W / (dLng * cos));
      view = {lat0, lng0, k};
      zoom = 1; panX = 0; panY = 0;
      draw();
    },
    /** A click on the map calls fn(lat, lng) and leaves a marker there. */
    onPick(fn) {
      pickHandler = fn;
      svg.classList.add('map-pickable');
    },
    /** Puts the pick marker at a location (e.g. typed coordinates). */
    setPick(lat, lng) {
      for (const it of items.filter((x) => x.kind === 'pick')) { it.el.remove(); items.splice(items.indexOf(it), 1); }
      if (lat === null || lat === undefined) return;
      add('pick', [[lat, lng]], s('g', {class: 'map-pick-marker'},
        s('path', {d: 'M0,0 L-8,-18 A9,9 0 1 1 8,-18 Z'}), s('circle', {cy: -20, r: 3.5})));
    },
    project: (lat, lng) => (view ? project(lat, lng) : null),
    unproject: (x, y) => (view ? unproject(x, y) : null),
    svg,
  };

  // user interaction: click to pick, drag to pan, wheel and buttons to zoom
  const toSvg = (ev) => {
    const r = svg.getBoundingClientRect();
    const scale = Math.max(W / r.width, H / r.height);
    const offX = (r.width * scale - W) / 2, offY = (r.height * scale - H) / 2;
    return [(ev.clientX - r.left) * scale - offX, (ev.clientY - r.top) * scale - offY];
  };
  let drag = null;
  svg.addEventListener('pointerdown', (ev) => { drag = {x: ev.clientX, y: ev.clientY, px: panX, py: panY, moved: false}; });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    const scale = Math.max(W / r.width, H / r.height);
    const dx = (ev.clientX - drag.x) * scale, dy = (ev.clientY - drag.y) * scale;
    if (Math.abs(dx) + Math.abs(dy) > 6) drag.moved = true;
    if (drag.moved) { panX = drag.px + dx; panY = drag.py + dy; draw(); }
  });
  svg.addEventListener('pointerup', (ev) => {
    const wasDrag = drag && drag.moved;
    drag = null;
    if (wasDrag || !pickHandler || !view) return;
    const [x, y] = toSvg(ev);
    const [lat, lng] = unproject(x, y);
    api.setPick(lat, lng);
    pickHandler(Number(lat.toFixed(6)), Number(lng.toFixed(6)));
  });
  svg.addEventListener('pointerleave', () => { drag = null; });
  const zoomBy = (f) => { zoom = Math.min(64, Math.max(0.25, zoom * f)); panX *= f; panY *= f; draw(); };
  svg.addEventListener('wheel', (ev) => { ev.preventDefault(); zoomBy(ev.deltaY < 0 ? 1.25 : 0.8); }, {passive: false});

  const controls = h('div', {class: 'map-controls'},
    h('button', {type: 'button', class: 'map-btn', 'aria-label': '+', onclick: () => zoomBy(1.5)}, '+'),
    h('button', {type: 'button', class: 'map-btn', 'aria-label': '−', onclick: () => zoomBy(1 / 1.5)}, '−'),
    h('button', {type: 'button', class: 'map-btn', 'aria-label': '⌂', onclick: () => api.fit()}, '⌂'));
  api.el = h('div', {class: ['map', opts.class].filter(Boolean).join(' ')}, svg, controls);
  return api;
}
