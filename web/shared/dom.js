/*
 * shared/dom.js — builds DOM for the console and the portal without ever parsing HTML.
 * Text reaches the page only through text nodes (textContent), so a report whose text is
 * `<script>…` or `<img onerror=…>` shows as those characters and runs nothing. Never use
 * innerHTML, outerHTML, insertAdjacentHTML or document.write with data; this module refuses
 * attribute names that would bring them (or inline handlers and styles, which the
 * Content-Security-Policy blocks anyway) in.
 *
 *   h('p', { class: 'hint', 'data-testid': 'x' }, 'text ', h('strong', {}, name))
 *   h('button', { type: 'button', onclick: save }, t('save'))
 */

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'readOnly', 'required']);
const FORBIDDEN = /^(innerhtml|outerhtml|style|srcdoc)$/i;

function append(el, child) {
  if (child === null || child === undefined || child === false || child === true) return;
  if (Array.isArray(child)) {
    for (const c of child) append(el, c);
  } else if (child instanceof Node) {
    el.appendChild(child);
  } else {
    el.appendChild(document.createTextNode(String(child)));
  }
}

/*
 * Creates an element. `attrs`: `class` (string or array, falsy entries dropped), `on<event>`
 * with a function (added with addEventListener), `value`/`checked`/`disabled`/`hidden`/... as
 * properties, `ref` (called with the element), anything else with setAttribute (skipped when
 * null, undefined or false; `true` sets an empty attribute). `children`: strings and numbers
 * (as text), nodes, arrays of those; null, undefined and booleans are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (FORBIDDEN.test(k)) throw new Error(`dom.h: attribute '${k}' is not allowed`);
    if (k === 'ref') {
      if (typeof v === 'function') v(el);
    } else if (k.startsWith('on') && k.length > 2) {
      if (typeof v !== 'function') throw new Error(`dom.h: '${k}' needs a function`);
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'class') {
      const c = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      if (c) el.className = c;
    } else if (PROPS.has(k)) {
      el[k] = v;
    } else if (v !== null && v !== undefined && v !== false) {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

/* Replaces every child of `el` with `children` (as in h()). Returns el. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/* A DocumentFragment of `children` (as in h()). */
export function frag(...children) {
  const f = document.createDocumentFragment();
  append(f, children);
  return f;
}

/* The element with this data-testid under `root` (default: the document), or null. */
export function byTestId(id, root = document) {
  return root.querySelector(`[data-testid="${CSS.escape(id)}"]`);
}

let uid = 0;
/* A fresh id for pairing <label for> with inputs and aria-describedby with messages. */
export function newId(prefix = 'fz') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/*
 * Shows (or with a falsy `message`, clears) a validation message for `input`: the message
 * element `msgEl` gets the text and the input gets aria-invalid and an aria-describedby that
 * points to it, keeping any other ids already there (a hint, for instance).
 */
export function setFieldError(input, msgEl, message) {
  const ids = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  const rest = ids.filter((x) => x !== msgEl.id);
  msgEl.textContent = message || '';
  msgEl.hidden = !message;
  if (message) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', [...rest, msgEl.id].join(' '));
  } else {
    input.removeAttribute('aria-invalid');
    if (rest.length) input.setAttribute('aria-describedby', rest.join(' '));
    else input.removeAttribute('aria-describedby');
  }
}

/*
 * Copies `text` to the clipboard. The Clipboard API needs a secure context (https or
 * localhost); on plain http inside an intranet, falls back to selecting a hidden textarea and
 * execCommand('copy'). Resolves true when one of them worked.
 */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      /* fall through to the old way */
    }
  }
  const ta = h('textarea', { class: 'visually-hidden', readonly: true, 'aria-hidden': 'true' });
  ta.value = text;
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}
