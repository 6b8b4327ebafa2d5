// DOM building without HTML parsing: every string becomes a text node or an attribute value, never
// markup, so record fields (attacker-controlled) cannot inject elements. Nothing here uses innerHTML.

/** h('a', { class: 'x', href: '/console/', onClick: fn }, 'text', child, [more]) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = visible(String(v));
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) {
      if (typeof v !== 'function') throw new Error(`event handler ${k} must be a function`);
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'value') el.value = String(v);
    else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'hidden' || k === 'required') el[k] = !!v;
    else if (k === 'href' && !/^(\/console\/|#|blob:)/.test(String(v))) throw new Error('links stay inside the console');
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  add(el, children);
  return el;
}

function add(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(visible(String(c))));
  }
  return el;
}

/** Replaces an element's content with the given children. */
export function fill(el, ...children) {
  el.replaceChildren();
  return add(el, children);
}

/** An in-console link handled by the router (no reload). */
export function link(path, ...children) {
  return h('a', { href: path, dataset: { link: '' } }, ...children);
}

/** A <select> with [value, label] options. */
export function select(options, value, props = {}) {
  return h(
    'select',
    props,
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
  );
}

/**
 * Text as shown: C0 control characters other than tab and newlines, and DEL, become their Unicode
 * control pictures (U+0000 → ␀, U+0001 → ␁, DEL → ␡), so that a NUL in an event name or a user
 * agent is seen instead of vanishing. Values handed back to the API (filters, links) keep the raw text.
 */
function visible(s) {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}
