// dom.js — the only way the UI builds markup: elements and text nodes, never HTML strings.
// (The server's Content-Security-Policy forbids inline scripts and styles; data never reaches
// innerHTML, so nothing a user typed can become markup.)

const SVG_NS = 'http://www.w3.org/2000/svg';

function setAttrs(el, attrs) {
  let value;
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') {
      el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'value') {
      value = v; // set after the children: a <select> needs its options first
    } else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'multiple') {
      el[k] = Boolean(v);
    } else if (k === 'style' || k === 'innerHTML' || k === 'outerHTML') {
      throw new Error(`h(): '${k}' is not allowed (CSP and escaping rules)`);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  return value;
}

export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false || c === true) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

/** h('a', {href: '#/x', class: 'link'}, 'text', child…) → a new element. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const value = setAttrs(el, attrs);
  append(el, children);
  if (value !== undefined) el.value = value;
  return el;
}

/** SVG element (icons). */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

const ICONS = {
  ledger: ['M6 3h9l4 4v14H6z', 'M15 3v4h4', 'M9 11h7', 'M9 15h7', 'M9 19h4'],
  duty: ['M4 5h16v15H4z', 'M4 9h16', 'M8 3v4', 'M16 3v4', 'M8 13l2.5 2.5L16 12'],
  area: ['M12 3v5', 'M6 13V10h12v3', 'M12 10V8', 'M3 13h6v6H3z', 'M15 13h6v6h-6z', 'M9 3h6v5H9z'],
  users: ['M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z', 'M3 20c0-3.5 2.7-6 6-6s6 2.5 6 6',
    'M16 4.5a3.5 3.5 0 0 1 0 6.5', 'M18 14c2 .8 3 2.8 3 6'],
  audit: ['M12 21a9 9 0 1 0-9-9', 'M3 12l-1.5-2', 'M3 12l2-1.5', 'M12 7v5l3.5 2'],
  menu: ['M4 6h16', 'M4 12h16', 'M4 18h16'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  logout: ['M15 4h4v16h-4', 'M10 8l-4 4 4 4', 'M6 12h10'],
  plus: ['M12 5v14', 'M5 12h14'],
  dot: ['M12 11a1 1 0 1 0 0 2 1 1 0 0 0 0-2z'],
};

/** A small stroked icon; unknown names draw a dot. */
export function icon(name) {
  const paths = ICONS[name] || ICONS.dot;
  return s('svg', {viewBox: '0 0 24 24', class: 'icon', 'aria-hidden': 'true', focusable: 'false'},
    ...paths.map((d) => s('path', {d})));
}
