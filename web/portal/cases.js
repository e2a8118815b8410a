/*
 * portal/cases.js — 典型案例 (#/cases): the anonymised cases staff publish from the console,
 * GET /api/v1/cases/public → {"items": [{"id", "title", "fraud_type", "text", "published_at"}...],
 * "next_after"} (console/cases.js publishes them); an empty list (or a 404 from an older server)
 * shows "暂无公开案例". Any member may be missing, and all text is shown as text.
 */
import { apiGet } from '../shared/api.js';
import { h } from '../shared/dom.js';
import { dictionary, formatDate, pick } from '../shared/i18n.js';
import { fraudTypeName } from './knowledge.js';

const t = dictionary({
  zh: {
    title: '典型案例',
    intro: '以下案例由反诈中心根据真实案件整理，已隐去当事人信息。',
    loading: '正在加载…',
    empty: '暂无公开案例。',
    emptyMore: '可以先看看“防骗知识”，了解常见骗局的套路。',
    toKnowledge: '防骗知识',
    error: '案例暂时无法加载，请稍后再试。',
    retry: '重试',
    learn: '了解这类骗局',
    untitled: '案例',
  },
  en: {
    title: 'Typical cases',
    intro: 'Real cases retold by the anti-fraud centre, with the people involved left out.',
    loading: 'Loading…',
    empty: 'No public cases yet.',
    emptyMore: 'Meanwhile, read how common scams work.',
    toKnowledge: 'Learn about scams',
    error: 'Cases could not be loaded; please try again later.',
    retry: 'Retry',
    learn: 'About this kind of scam',
    untitled: 'Case',
  },
});

function caseItem(c) {
  const type = c.fraud_type ? fraudTypeName(c.fraud_type) : null;
  const paragraphs = String(c.text || '').split(/\n{2,}|\r\n\r\n/).filter((p) => p.trim());
  return h('li', {},
    h('article', { class: 'card case', 'data-testid': 'case-item' },
      h('h2', {}, c.title || (type ? pick(type) : t('untitled'))),
      h('p', { class: 'row small muted' },
        type ? h('span', { class: 'badge badge-info' }, pick(type)) : null,
        c.published_at ? h('span', {}, formatDate(c.published_at)) : null),
      paragraphs.map((p) => h('p', {}, p)),
      type ? h('p', {}, h('a', { href: `#/knowledge/${c.fraud_type}` }, t('learn'))) : null));
}

export function render() {
  const body = h('div', { 'aria-live': 'polite', 'data-testid': 'cases-body' }, h('p', { class: 'muted' }, t('loading')));

  function empty() {
    body.replaceChildren(
      h('div', { class: 'notice', 'data-testid': 'cases-empty' },
        h('p', {}, t('empty')),
        h('p', {}, t('emptyMore'), ' ', h('a', { href: '#/knowledge' }, t('toKnowledge')))));
  }

  async function load() {
    body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
    try {
      const a = await apiGet('/api/v1/cases/public');
      const items = Array.isArray(a) ? a : a && Array.isArray(a.items) ? a.items : [];
      if (!items.length) {
        empty();
        return;
      }
      body.replaceChildren(h('ul', { class: 'case-list', 'data-testid': 'cases-list' }, items.map(caseItem)));
    } catch (e) {
      if (e.status === 404 || e.status === 405) {
        empty();
        return;
      }
      body.replaceChildren(
        h('div', { class: 'notice notice-warn', 'data-testid': 'cases-error' },
          h('p', {}, t('error')),
          h('button', { type: 'button', class: 'btn', onclick: load }, t('retry'))));
    }
  }

  load();
  return {
    title: t('title'),
    node: h('section', { class: 'page cases' },
      h('h1', {}, t('title')),
      h('p', {}, t('intro')),
      body),
  };
}
