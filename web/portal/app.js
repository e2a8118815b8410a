/*
 * portal/app.js — the residents' portal (issue 7): layout, hash routes and the language
 * switch. No login; every call is anonymous (credentials omitted, see shared/api.js).
 *
 * Routes: #/ (home), #/report, #/track, #/track/<code>, #/check, #/knowledge,
 * #/knowledge/<id>, #/cases. Each view module exports render(params, saved) returning
 * { node, title, save? }: save() hands the view's form state back when the language changes,
 * so switching to English does not lose what a resident typed.
 */
import { configure } from '../shared/api.js';
import { h, mount } from '../shared/dom.js';
import { applyLang, dictionary, getLang, onLangChange, setLang } from '../shared/i18n.js';
import * as home from './home.js';
import * as report from './report.js';
import * as track from './track.js';
import * as check from './check.js';
import * as knowledge from './knowledge-view.js';
import * as cases from './cases.js';

configure({ credentials: 'omit' });

const t = dictionary({
  zh: {
    site: '反诈公众服务平台',
    skip: '跳到主要内容',
    navLabel: '主导航',
    report: '我要举报',
    track: '进度查询',
    check: '风险查询',
    knowledge: '防骗知识',
    cases: '典型案例',
    langSwitch: 'English',
    langSwitchLabel: 'Switch to English',
    emergency: '正在被骗或已经转账？立即拨打',
    call110: '110 报警',
    call96110: '96110 反诈咨询',
    footer1: '本平台由区反诈中心运营。举报信息仅用于核查和打击诈骗，联系方式依法保密。',
    footer2: '公安机关不会通过电话、网络要求您转账，也没有“安全账户”。',
    notFound: '页面不存在',
    backHome: '返回首页',
  },
  en: {
    site: 'Anti-Fraud Public Service',
    skip: 'Skip to main content',
    navLabel: 'Main',
    report: 'Report',
    track: 'Track',
    check: 'Check',
    knowledge: 'Learn',
    cases: 'Cases',
    langSwitch: '中文',
    langSwitchLabel: '切换到中文',
    emergency: 'Being scammed, or already paid? Call now:',
    call110: '110 police',
    call96110: '96110 anti-fraud hotline',
    footer1: 'Run by the district anti-fraud centre. Reports are used only to stop fraud; contact details are kept confidential.',
    footer2: 'The police never ask you to transfer money by phone or online, and there is no "safe account".',
    notFound: 'Page not found',
    backHome: 'Back to home',
  },
});

const NAV = ['report', 'track', 'check', 'knowledge', 'cases'];

const ROUTES = [
  { re: /^\/?$/, view: home, nav: null },
  { re: /^\/report\/?$/, view: report, nav: 'report' },
  { re: /^\/track(?:\/([^/]*))?\/?$/, view: track, nav: 'track', params: ['code'] },
  { re: /^\/check\/?$/, view: check, nav: 'check' },
  { re: /^\/knowledge(?:\/([\w-]+))?\/?$/, view: knowledge, nav: 'knowledge', params: ['id'] },
  { re: /^\/cases\/?$/, view: cases, nav: 'cases' },
];

const notFound = {
  render() {
    return {
      title: t('notFound'),
      node: h('section', { class: 'page' },
        h('h1', { tabindex: '-1' }, t('notFound')),
        h('p', {}, h('a', { href: '#/' }, t('backHome')))),
    };
  },
};

let main;
let headerSlot;
let footerSlot;
let currentView = null; /* { route, params, saver } */

function resolve() {
  let path = window.location.hash.replace(/^#/, '');
  path = path.split('?')[0];
  for (const r of ROUTES) {
    const m = r.re.exec(path);
    if (m) {
      const params = {};
      (r.params || []).forEach((name, i) => {
        if (m[i + 1]) params[name] = decodeURIComponent(m[i + 1]);
      });
      return { route: r, params };
    }
  }
  return { route: { view: notFound, nav: null }, params: {} };
}

function renderHeader(active) {
  const links = NAV.map((key) =>
    h('li', {},
      h('a', {
        href: `#/${key}`,
        class: 'nav-link',
        'data-testid': `nav-${key}`,
        'aria-current': key === active ? 'page' : null,
      }, t(key))));
  return h('header', { class: 'site-header' },
    h('a', { class: 'skip-link', href: '#main', onclick: skipToMain }, t('skip')),
    h('div', { class: 'emergency', role: 'note' },
      h('div', { class: 'container row' },
        h('span', {}, t('emergency')),
        h('a', { href: 'tel:110', class: 'emergency-call' }, t('call110')),
        h('a', { href: 'tel:96110', class: 'emergency-call' }, t('call96110')))),
    h('div', { class: 'container header-bar' },
      h('a', { href: '#/', class: 'brand', 'data-testid': 'nav-home' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '盾'), t('site')),
      h('button', {
        type: 'button',
        class: 'btn lang-switch',
        lang: getLang() === 'en' ? 'zh-CN' : 'en',
        'aria-label': t('langSwitchLabel'),
        'data-testid': 'lang-switch',
        onclick: () => setLang(getLang() === 'en' ? 'zh-CN' : 'en'),
      }, t('langSwitch'))),
    h('nav', { class: 'site-nav', 'aria-label': t('navLabel') },
      h('ul', { class: 'container nav-list' }, links)));
}

function skipToMain(ev) {
  ev.preventDefault(); /* the hash router owns location.hash */
  main.focus();
}

function renderFooter() {
  return h('footer', { class: 'site-footer' },
    h('div', { class: 'container' },
      h('p', {}, t('footer1')),
      h('p', {}, t('footer2'))));
}

/* Draws the current route. `saved` is the view's own state when only the language changed. */
function draw({ moveFocus, saved }) {
  const { route, params } = resolve();
  const out = route.view.render(params, saved);
  mount(headerSlot, renderHeader(route.nav));
  mount(footerSlot, renderFooter());
  mount(main, out.node);
  document.title = out.title ? `${out.title} - ${t('site')}` : t('site');
  currentView = { route, params, saver: out.save || null };
  if (moveFocus) {
    const h1 = main.querySelector('h1');
    if (h1) {
      if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
      h1.focus();
    }
    window.scrollTo(0, 0);
  }
}

function start() {
  applyLang();
  const root = document.getElementById('app');
  headerSlot = h('div', {});
  main = h('main', { id: 'main', tabindex: '-1', class: 'container site-main' });
  footerSlot = h('div', {});
  mount(root, headerSlot, main, footerSlot);
  window.addEventListener('hashchange', () => draw({ moveFocus: true }));
  onLangChange(() => {
    const saved = currentView && currentView.saver ? currentView.saver() : undefined;
    draw({ moveFocus: false, saved });
    const sw = document.querySelector('[data-testid="lang-switch"]');
    if (sw) sw.focus();
  });
  draw({ moveFocus: false });
}

start();
