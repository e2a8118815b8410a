/*
 * portal/cases.js — 典型案例 (#/cases): the anonymised cases staff publish from the console,
 * GET /api/v1/cases/public → {"items": [{"id", "title", "fraud_type", "text", "published_at"}...],
 * "next_after"} (console/cases.js publishes them), PAGE at a time: "加载更多" asks for the next
 * page (after = the previous page's next_after) and appends it, moving the focus to the first
 * new case; it is there only while next_after is not null. An empty list (or a 404 from an older
 * server) shows "暂无公开案例". Any member may be missing, and all text is shown as text.
 */
import { apiGet } from '../shared/api.js';
import { h } from '../shared/dom.js';
import { dictionary, formatDate, pick } from '../shared/i18n.js';
import { fraudTypeName } from './knowledge.js';

export const PAGE = 10; /* cases per page (the API allows 1-50) */

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
    more: '加载更多',
    moreLoading: '正在加载更多…',
    moreError: '更多案例暂时无法加载，请再试一次。',
    shown: '已显示 {n} 个案例',
    end: '已显示全部 {n} 个案例',
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
    more: 'Load more',
    moreLoading: 'Loading more…',
    moreError: 'More cases could not be loaded; please try again.',
    shown: '{n} cases shown',
    end: 'All {n} cases shown',
  },
});

function caseItem(c) {
  const type = c.fraud_type ? fraudTypeName(c.fraud_type) : null;
  const paragraphs = String(c.text || '').split(/\n{2,}|\r\n\r\n/).filter((p) => p.trim());
  return h('li', {},
    h('article', { class: 'card case', 'data-testid': 'case-item' },
      h('h2', { tabindex: '-1' }, c.title || (type ? pick(type) : t('untitled'))),
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

  function itemsOf(a) {
    return Array.isArray(a) ? a : a && Array.isArray(a.items) ? a.items : [];
  }

  /* The list, the count and the "load more" button under it; `after` is the next page's key. */
  function showList(first, next) {
    const list = h('ul', { class: 'case-list', 'data-testid': 'cases-list' }, first.map(caseItem));
    const status = h('p', { class: 'small muted', 'data-testid': 'cases-count' });
    const problem = h('p', { class: 'notice notice-warn', role: 'alert', hidden: true, 'data-testid': 'cases-more-error' }, t('moreError'));
    const more = h('button', { type: 'button', class: 'btn', 'data-testid': 'cases-more' }, t('more'));
    let after = next;
    let shown = first.length;
    const update = () => {
      more.hidden = after === null;
      status.textContent = (after === null ? t('end') : t('shown')).replace('{n}', String(shown));
    };
    more.addEventListener('click', async () => {
      more.disabled = true;
      more.textContent = t('moreLoading');
      problem.hidden = true;
      try {
        const a = await apiGet('/api/v1/cases/public', { limit: PAGE, after });
        const items = itemsOf(a);
        const nodes = items.map(caseItem);
        list.append(...nodes);
        shown += items.length;
        after = items.length && a && a.next_after !== undefined ? a.next_after : null;
        update();
        if (nodes.length) nodes[0].querySelector('h2').focus();
      } catch (e) {
        problem.hidden = false;
      } finally {
        more.disabled = false;
        more.textContent = t('more');
      }
    });
    update();
    body.replaceChildren(list, problem, h('div', { class: 'row cases-more' }, more, status));
  }

  async function load() {
    body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
    try {
      const a = await apiGet('/api/v1/cases/public', { limit: PAGE });
      const items = itemsOf(a);
      if (!items.length) {
        empty();
        return;
      }
      showList(items, a && a.next_after !== undefined ? a.next_after : null);
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
