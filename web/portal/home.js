/*
 * portal/home.js — the portal's front page (#/): the four things a resident comes for, as
 * large links, and the rules that stop most scams.
 */
import { h } from '../shared/dom.js';
import { dictionary } from '../shared/i18n.js';

const t = dictionary({
  zh: {
    title: '守好您的钱袋子',
    lead: '接到可疑电话、短信或链接？先查一查；遇到诈骗，请告诉我们。',
    checkT: '风险查询',
    checkD: '查一查电话号码、网址或收款账户是否被举报、被核实为诈骗。',
    reportT: '我要举报',
    reportD: '举报诈骗电话、短信、网址和账户，提交后获得查询码。',
    trackT: '进度查询',
    trackD: '用查询码查看您举报的处理进度。',
    knowT: '防骗知识',
    knowD: '十多种常见骗局的套路、识别信号和应对方法。',
    casesT: '典型案例',
    casesD: '真实案例改编，看看骗子是怎么一步步得手的。',
    rulesT: '记住这几条',
    rules: [
      '公检法机关不会在电话里办案，也没有“安全账户”。',
      '要您先交钱的贷款、兼职、理赔，都是诈骗。',
      '验证码、银行卡密码、屏幕共享，对谁都不给。',
      '陌生人让您转账，先挂断，再打 96110 问一问。',
    ],
  },
  en: {
    title: 'Keep your money safe',
    lead: 'A suspicious call, text or link? Check it first. Met a scam? Tell us.',
    checkT: 'Check',
    checkD: 'Is a phone number, link or account reported or confirmed as fraud?',
    reportT: 'Report',
    reportD: 'Report a scam call, text, link or account and get a tracking code.',
    trackT: 'Track',
    trackD: 'See how your report is being handled.',
    knowT: 'Learn',
    knowD: 'How common scams work, the warning signs and what to do.',
    casesT: 'Cases',
    casesD: 'Real cases, retold, step by step.',
    rulesT: 'Remember',
    rules: [
      'The police never handle cases by phone, and there is no "safe account".',
      'Loans, jobs or refunds that need a payment first are scams.',
      'Never give anyone a code, your PIN or your screen.',
      'A stranger asks for money? Hang up and call 96110.',
    ],
  },
});

export function render() {
  const tile = (key, href, testid) =>
    h('li', {},
      h('a', { class: 'tile', href, 'data-testid': testid },
        h('span', { class: 'tile-title' }, t(`${key}T`)),
        h('span', { class: 'tile-desc' }, t(`${key}D`))));
  return {
    title: '',
    node: h('section', { class: 'page home' },
      h('h1', {}, t('title')),
      h('p', { class: 'lead' }, t('lead')),
      h('ul', { class: 'tiles' },
        tile('check', '#/check', 'home-check'),
        tile('report', '#/report', 'home-report'),
        tile('track', '#/track', 'home-track'),
        tile('know', '#/knowledge', 'home-knowledge'),
        tile('cases', '#/cases', 'home-cases')),
      h('section', { class: 'notice notice-warn', 'aria-labelledby': 'home-rules' },
        h('h2', { id: 'home-rules' }, t('rulesT')),
        h('ul', {}, t('rules').map((r) => h('li', {}, r))))),
  };
}
