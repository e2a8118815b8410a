/*
 * console/app.js — the staff console's entry point (served as /console/). It restores the
 * session (CSRF token from sessionStorage, principal from GET /auth/me), shows the login form
 * when there is none or when any call answers 401, draws the header with the sections the
 * role may open, and routes the hash (#/dashboard, #/reports, #/reports/<id>, #/indicators,
 * #/rewards, #/cases, #/cases/<id>, #/check, #/audit, #/admin) to the section modules. Each section module exports
 * render(view, route) and may return a cleanup function.
 */

import { apiGet, apiPost, setCsrfToken } from '../shared/api.js';
import { h, mount } from '../shared/dom.js';
import { applyLang, getLang, onLangChange, setLang } from '../shared/i18n.js';
import { UNAUTHENTICATED_EVENT, errorText, field, label, session, t } from './util.js';

const CSRF_KEY = 'fangzha.console.csrf';
const ALL = ['admin', 'analyst', 'officer', 'partner', 'auditor'];

/* The sections in menu order: who may open them, and the module that draws them. */
const SECTIONS = [
  { id: 'dashboard', roles: ALL, load: () => import('./dashboard.js') },
  { id: 'reports', roles: ALL, load: () => import('./reports.js') },
  { id: 'indicators', roles: ALL, load: () => import('./indicators.js') },
  { id: 'rewards', roles: ['analyst', 'auditor', 'admin'], load: () => import('./rewards.js') },
  { id: 'cases', roles: ['officer', 'analyst', 'admin', 'auditor'], load: () => import('./cases.js') },
  { id: 'check', roles: ALL, load: () => import('./check.js') },
  { id: 'audit', roles: ['auditor'], load: () => import('./audit.js') },
  { id: 'admin', roles: ['admin'], load: () => import('./admin.js') },
];

const root = document.getElementById('app');
let cleanup = null;
let renderSeq = 0;
let loginShown = false;

function storeToken(token) {
  setCsrfToken(token);
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    /* storage disabled: the token lives in memory only, a reload asks for a login */
  }
}

function restoreToken() {
  try {
    return sessionStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}

/* "#/reports/12?status=new" → { section: 'reports', parts: ['reports', '12'], query } */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  return { section: parts[0] || '', parts, query: new URLSearchParams(qs || '') };
}

function allowed() {
  return SECTIONS.filter((s) => session.user && s.roles.includes(session.user.role));
}

function langButton() {
  return h('button', {
    type: 'button',
    class: 'c-btn c-btn-ghost',
    'data-testid': 'lang-switch',
    lang: getLang() === 'en' ? 'zh-CN' : 'en',
    onclick: () => setLang(getLang() === 'en' ? 'zh-CN' : 'en'),
  }, t('lang_switch'));
}

function disposeView() {
  if (typeof cleanup === 'function') {
    try {
      cleanup();
    } catch {
      /* a section's cleanup must not stop the next one */
    }
  }
  cleanup = null;
}

/* The login form; `message` explains why it is shown (an expired session, for instance). */
function showLogin(message) {
  disposeView();
  loginShown = true;
  document.title = t('app_title');
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'username', required: true, 'data-testid': 'login-name', maxlength: '64' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password', maxlength: '1024' });
  const msg = h('p', { class: 'c-notice c-notice-error', role: 'alert', hidden: !message, 'data-testid': 'login-error' }, message || '');
  const submit = h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'login-submit' }, t('login_submit'));
  const form = h('form', { class: 'c-login', 'aria-labelledby': 'login-title', novalidate: true },
    h('h1', { id: 'login-title' }, t('login_title')),
    msg,
    field(t('login_name'), name).wrap,
    field(t('login_password'), password).wrap,
    submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!name.value.trim() || !password.value) {
      msg.textContent = t('field_required');
      msg.hidden = false;
      (name.value.trim() ? password : name).focus();
      return;
    }
    submit.disabled = true;
    try {
      const res = await apiPost('/api/v1/auth/login', { name: name.value.trim(), password: password.value });
      storeToken(res.csrf_token);
      session.user = res.user;
      loginShown = false;
      password.value = '';
      showShell();
    } catch (err) {
      msg.textContent = err.status === 401 || err.status === 403 ? t('login_failed') : errorText(err);
      msg.hidden = false;
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  mount(root,
    h('header', { class: 'c-header' },
      h('span', { class: 'c-brand' }, t('app_title')),
      h('div', { class: 'c-header-tools' }, langButton())),
    h('main', { id: 'main', class: 'c-main c-main-login' }, form));
  name.focus();
}

async function logout() {
  try {
    await apiPost('/api/v1/auth/logout', {});
  } catch {
    /* the session may already be gone; the page forgets it either way */
  }
  storeToken(null);
  session.user = null;
  showLogin();
}

/* Header, menu and the main area; then the route. */
function showShell() {
  const u = session.user;
  const nav = h('nav', { class: 'c-nav', 'aria-label': t('app_title') },
    h('ul', {}, allowed().map((s) => h('li', {},
      h('a', { href: `#/${s.id}`, 'data-testid': `nav-${s.id}`, 'data-section': s.id }, t(`nav_${s.id}`))))));
  mount(root,
    h('a', { class: 'c-skip', href: '#main', onclick: (ev) => { ev.preventDefault(); document.getElementById('main').focus(); } }, t('skip')),
    h('header', { class: 'c-header' },
      h('a', { class: 'c-brand', href: '#/dashboard' }, t('app_title')),
      nav,
      h('div', { class: 'c-header-tools' },
        h('span', { class: 'c-user', 'data-testid': 'current-user' }, `${u.name} · ${label('role', u.role)}`),
        langButton(),
        h('button', { type: 'button', class: 'c-btn c-btn-ghost', 'data-testid': 'logout', onclick: logout }, t('logout')))),
    h('main', { id: 'main', class: 'c-main', tabindex: '-1' }));
  route();
}

async function route() {
  if (!session.user || loginShown) return;
  const r = parseHash(location.hash);
  const list = allowed();
  const sec = list.find((s) => s.id === r.section);
  if (!sec) {
    if (list.length) location.replace(`#/${list[0].id}`);
    return;
  }
  for (const a of root.querySelectorAll('.c-nav a')) {
    if (a.dataset.section === sec.id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const main = document.getElementById('main');
  if (!main) return;
  disposeView();
  const seq = ++renderSeq;
  const view = h('div', { class: 'c-view', 'data-section': sec.id }, h('p', { class: 'c-muted' }, t('loading')));
  mount(main, view);
  document.title = `${t(`nav_${sec.id}`)} · ${t('app_title')}`;
  let mod;
  try {
    mod = await sec.load();
  } catch (err) {
    mount(view, h('p', { class: 'c-notice c-notice-error', role: 'alert' }, String(err && err.message)));
    return;
  }
  if (seq !== renderSeq) return;
  view.replaceChildren();
  const c = mod.render(view, r);
  cleanup = c && typeof c.then === 'function' ? null : c;
  if (c && typeof c.then === 'function') {
    c.then((fn) => {
      if (seq === renderSeq) cleanup = fn;
      else if (typeof fn === 'function') fn();
    }).catch(() => {});
  }
}

async function start() {
  applyLang();
  const token = restoreToken();
  if (token) setCsrfToken(token);
  try {
    session.user = await apiGet('/api/v1/auth/me');
  } catch (err) {
    session.user = null;
    storeToken(null);
    showLogin(err.status === 401 || err.status === 403 ? '' : errorText(err));
    return;
  }
  if (!token) {
    /* a session cookie without its CSRF token cannot write: log in again for a fresh one */
    session.user = null;
    showLogin();
    return;
  }
  showShell();
}

window.addEventListener('hashchange', () => {
  route().then(() => {
    const main = document.getElementById('main');
    if (main && !main.contains(document.activeElement)) {
      const h1 = main.querySelector('h1');
      if (h1) {
        h1.setAttribute('tabindex', '-1');
        h1.focus({ preventScroll: false });
      }
    }
  });
});

window.addEventListener(UNAUTHENTICATED_EVENT, () => {
  if (loginShown) return;
  storeToken(null);
  session.user = null;
  showLogin(t('login_expired'));
});

onLangChange(() => {
  if (loginShown || !session.user) showLogin();
  else showShell();
});

start();
