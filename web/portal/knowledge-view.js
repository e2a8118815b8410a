/*
 * portal/knowledge-view.js — 防骗知识: the list of fraud types (#/knowledge) and one page per
 * type (#/knowledge/<id>) from the data in knowledge.js: how the script goes, the warning
 * signs, what to do.
 */
import { h } from '../shared/dom.js';
import { dictionary, pick } from '../shared/i18n.js';
import { KNOWLEDGE, knowledgeById } from './knowledge.js';

const t = dictionary({
  zh: {
    title: '防骗知识',
    intro: '骗子的剧本总在翻新，但套路相通。了解这些常见骗局，遇到时就能认出来。',
    script: '骗局是怎么进行的',
    signs: '警惕这些信号',
    todo: '应该怎么做',
    back: '全部防骗知识',
    more: '遇到可疑情况，先到“风险查询”查一查，或拨打 96110 咨询；已经被骗请立即拨打 110。',
    check: '去风险查询',
    report: '我要举报',
    notFound: '没有找到这篇防骗知识',
  },
  en: {
    title: 'Learn about scams',
    intro: 'Scripts change, but the tricks repeat. Knowing the common scams helps you spot one.',
    script: 'How it goes',
    signs: 'Warning signs',
    todo: 'What to do',
    back: 'All topics',
    more: 'If something feels wrong, check it here or call 96110; if you have been cheated, call 110.',
    check: 'Check',
    report: 'Report',
    notFound: 'No such topic',
  },
});

function list() {
  return {
    title: t('title'),
    node: h('section', { class: 'page knowledge' },
      h('h1', {}, t('title')),
      h('p', {}, t('intro')),
      h('ul', { class: 'knowledge-list', 'data-testid': 'knowledge-list' },
        KNOWLEDGE.map((k) =>
          h('li', {},
            h('a', { class: 'knowledge-link', href: `#/knowledge/${k.id}`, 'data-testid': `knowledge-item-${k.id}` },
              h('span', { class: 'knowledge-name' }, pick(k.name)),
              h('span', { class: 'knowledge-summary' }, pick(k.summary))))))),
  };
}

function page(k) {
  const section = (key, items, ordered) =>
    h('section', { class: ['knowledge-section', `knowledge-${key}`], 'aria-labelledby': `kn-${key}` },
      h('h2', { id: `kn-${key}` }, t(key)),
      h(ordered ? 'ol' : 'ul', { 'data-testid': `knowledge-${key}` }, pick(items).map((s) => h('li', {}, s))));
  return {
    title: pick(k.name),
    node: h('article', { class: 'page knowledge-page', 'data-testid': 'knowledge-page', 'data-id': k.id },
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/knowledge', 'data-testid': 'knowledge-back' }, '← ', t('back'))),
      h('h1', {}, pick(k.name)),
      h('p', { class: 'lead' }, pick(k.summary)),
      section('script', k.script, true),
      section('signs', k.signs, false),
      section('todo', k.todo, false),
      h('div', { class: 'notice' },
        h('p', {}, t('more')),
        h('p', { class: 'row' },
          h('a', { class: 'btn', href: '#/check' }, t('check')),
          h('a', { class: 'btn', href: '#/report' }, t('report'))))),
  };
}

export function render(params) {
  if (!params.id) return list();
  const k = knowledgeById(params.id);
  if (k) return page(k);
  return {
    title: t('notFound'),
    node: h('section', { class: 'page' },
      h('h1', {}, t('notFound')),
      h('p', {}, h('a', { href: '#/knowledge' }, t('back')))),
  };
}
