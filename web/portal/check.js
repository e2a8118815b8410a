/*
 * portal/check.js — 风险查询 (#/check): one box for a phone number, a URL or a payment
 * account. detect.js picks the endpoint (GET /api/v1/check/number?n=, /check/url?u=,
 * /check/account?a=); the answer's `action` becomes a plain verdict — 危险 (block),
 * 可疑 (warn), 未发现风险 (allow) — shown with a word and a symbol as well as a colour, then
 * why (the intelligence index's finding and the engines' reasons) and what to do.
 */
import { apiGet } from '../shared/api.js';
import { h, newId, setFieldError } from '../shared/dom.js';
import { dictionary, isEnglish, pick } from '../shared/i18n.js';
import { checkTarget, checkValue } from './detect.js';
import { fraudTypeName } from './knowledge.js';

const t = dictionary({
  zh: {
    title: '风险查询',
    intro: '转账、回电或点开链接之前，先查一查对方的电话号码、网址或收款账户。',
    input: '电话号码、网址或账户',
    inputHint: '例如：17012345678、pay-verify.top、银行卡号或支付账号。',
    submit: '查询',
    kind: '类型',
    kindAuto: '自动识别：{kind}',
    kindAutoNone: '自动识别',
    k_number: '电话号码',
    k_url: '网址',
    k_bank_account: '银行卡号',
    k_wechat: '微信号',
    k_qq: 'QQ 号',
    k_payment_id: '支付账号',
    k_email: '邮箱',
    k_account: '账户',
    loading: '正在查询…',
    e_empty: '请输入要查询的号码、网址或账户。',
    e_long: '内容太长了，请只输入一个号码、网址或账户。',
    e_invalid: '无法识别为电话号码、网址或账户，请检查后再试。',
    e_rate: '查询太频繁，请在 {n} 秒后再试。',
    e_network: '网络连接失败，请稍后再试。',
    e_other: '查询没有成功：{msg}',
    as_number: '电话号码',
    as_url: '网址',
    as_account: '账户',
    queried: '查询的{what}：',
    v_block: '危险',
    v_warn: '可疑',
    v_allow: '未发现风险',
    vd_block: '这是已被核实的诈骗{what}。',
    vd_warn: '这个{what}有诈骗风险，请提高警惕。',
    vd_allow: '暂未发现这个{what}的诈骗举报记录。',
    why: '判断依据',
    notes: '需要留意',
    r_confirmed_number: '已被核实为诈骗号码',
    r_confirmed_url: '已被核实为诈骗网址',
    r_confirmed_account: '已被核实为诈骗账户',
    r_suspected: '已有群众举报，正在核实',
    r_cleared: '曾被举报，经核查已排除',
    r_type: '（骗局类型：{type}）',
    r_lookalike: '与 {site} 相似，可能是仿冒网站',
    r_invalid: '这不是一个有效的电话号码，请核对号码',
    r_none: '没有发现举报记录或风险特征。',
    score: '风险分 {n}/100',
    todo: '您应该怎么做',
    todo_block: [
      '立即挂断电话，不回复短信，不点击链接，不下载对方给的软件。',
      '不要转账，不要透露银行卡密码和短信验证码，不要开启屏幕共享。',
      '已经转账或泄露了信息，请马上拨打 110 报警，并联系银行。',
      '拿不准可以拨打 96110 反诈专线咨询。',
    ],
    todo_warn: [
      '不要按对方的要求转账、借贷或提供验证码。',
      '通过官方电话或官方 App 核实对方身份，不要用对方提供的联系方式。',
      '拿不准就拨打 96110 咨询；已经转账请立即拨打 110 报警。',
    ],
    todo_allow: [
      '“未发现风险”不代表一定安全：新的诈骗号码、网址每天都在出现。',
      '只要对方要求转账、提供验证码或下载陌生软件，都要先停下来核实。',
      '有疑问请拨打 96110 咨询。',
    ],
    report: '举报这个{what}',
  },
  en: {
    title: 'Check a number, link or account',
    intro: 'Before you pay, call back or open a link, check the number, link or account.',
    input: 'Phone number, link or account',
    inputHint: 'For example 17012345678, pay-verify.top, a bank card or payment account.',
    submit: 'Check',
    kind: 'Type',
    kindAuto: 'Detect: {kind}',
    kindAutoNone: 'Detect',
    k_number: 'Phone number',
    k_url: 'Link',
    k_bank_account: 'Bank card',
    k_wechat: 'WeChat ID',
    k_qq: 'QQ number',
    k_payment_id: 'Payment account',
    k_email: 'E-mail',
    k_account: 'Account',
    loading: 'Checking…',
    e_empty: 'Enter a number, link or account to check.',
    e_long: 'Too long: enter one number, link or account.',
    e_invalid: 'This is not a phone number, link or account we can read; please check it.',
    e_rate: 'Too many checks; try again in {n} s.',
    e_network: 'Could not reach the server; please try again.',
    e_other: 'The check failed: {msg}',
    as_number: 'phone number',
    as_url: 'link',
    as_account: 'account',
    queried: 'Checked {what}: ',
    v_block: 'Dangerous',
    v_warn: 'Suspicious',
    v_allow: 'No risk found',
    vd_block: 'This {what} is confirmed as fraud.',
    vd_warn: 'This {what} shows signs of fraud. Be careful.',
    vd_allow: 'We found no fraud reports for this {what}.',
    why: 'Why',
    notes: 'Worth knowing',
    r_confirmed_number: 'Confirmed as a fraud number',
    r_confirmed_url: 'Confirmed as a fraud link',
    r_confirmed_account: 'Confirmed as a fraud account',
    r_suspected: 'Reported by residents; being checked',
    r_cleared: 'Reported before, cleared after checking',
    r_type: ' (scam type: {type})',
    r_lookalike: 'Looks like {site}: possibly a fake site',
    r_invalid: 'This is not a valid phone number; please check it',
    r_none: 'No reports or warning signs found.',
    score: 'Risk score {n}/100',
    todo: 'What to do',
    todo_block: [
      'Hang up, do not reply, do not open links or install their apps.',
      'Do not transfer money; never share your PIN, codes or screen.',
      'If you have paid or shared details, call 110 and your bank now.',
      'Call the 96110 anti-fraud hotline for advice.',
    ],
    todo_warn: [
      'Do not transfer, borrow or give codes because they ask.',
      'Verify through the official number or app, not the contact they gave.',
      'Call 96110 for advice; if you have paid, call 110 now.',
    ],
    todo_allow: [
      '"No risk found" is not a guarantee: new scam numbers and links appear every day.',
      'If anyone asks for money, codes or to install an app, stop and check.',
      'Call 96110 for advice.',
    ],
    report: 'Report this {what}',
  },
});

const ENDPOINT = {
  number: ['/api/v1/check/number', 'n'],
  url: ['/api/v1/check/url', 'u'],
  account: ['/api/v1/check/account', 'a'],
};
const KINDS = ['number', 'url', 'bank_account', 'wechat', 'qq', 'payment_id', 'email'];
const SEVERITY = { allow: 0, warn: 1, block: 2 };
const SYMBOL = { block: '✖', warn: '!', allow: '✓' };

/* A WeChat ID (a letter, then 5–19 letters, digits, _ or -) that the server, asked without a
 * kind, would read as a payment ID: the portal then asks for both and keeps the worse. */
const WECHAT_LIKE = /^[a-zA-Z][-_a-zA-Z0-9]{5,19}$/;

/* The requests for a value: [{target, path, params}] (one, or two for a WeChat-like ID). */
function plan(value, chosen) {
  const auto = !chosen;
  const target = auto ? checkTarget(value) : chosen === 'number' || chosen === 'url' ? chosen : 'account';
  const v = checkValue(value, target);
  const [path, arg] = ENDPOINT[target];
  if (target !== 'account') return [{ target, path, arg, params: { [arg]: v } }];
  if (!auto) return [{ target, path, arg, params: { [arg]: v, kind: chosen } }];
  const one = { target, path, arg, params: { [arg]: v } };
  return WECHAT_LIKE.test(v) ? [one, { target, path, arg, params: { [arg]: v, kind: 'wechat' } }] : [one];
}
const MAX_INPUT = 2048;

/* The lines under 判断依据: the index's finding first, then the engines' reasons. */
function reasonLines(target, a) {
  const lines = [];
  const ind = a.indicator;
  if (ind && ind.status) {
    let line = null;
    if (ind.status === 'confirmed') line = t(`r_confirmed_${target}`);
    else if (ind.status === 'suspected') line = t('r_suspected');
    else if (ind.status === 'cleared') line = t('r_cleared');
    const type = ind.fraud_type ? fraudTypeName(ind.fraud_type) : null;
    if (line && type && ind.status !== 'cleared') line += t('r_type', { type: pick(type) });
    if (line) lines.push({ text: line, strong: ind.status === 'confirmed' });
  }
  if (target === 'number' && a.valid === false) lines.push({ text: t('r_invalid') });
  if (a.lookalike_of) lines.push({ text: t('r_lookalike', { site: a.lookalike_of }) });
  for (const r of Array.isArray(a.reasons) ? a.reasons : []) {
    const d = isEnglish() ? r.description_en || r.description_zh : r.description_zh || r.description_en;
    if (d && !lines.some((l) => l.text === d)) lines.push({ text: d });
  }
  return lines;
}

/* What the check answered about: the canonical value when there is one. */
function shownValue(target, a, asked) {
  if (target === 'number') return a.e164 || a.input || asked;
  if (target === 'url') return a.url || asked;
  return a.value || asked;
}

/* Asks every request of a plan; the answer with the most severe action wins (the first on a
 * tie). A second ask that fails (a value not valid as a WeChat ID) is ignored. */
async function worst(asks) {
  const first = await apiGet(asks[0].path, asks[0].params);
  let best = first;
  for (const a of asks.slice(1)) {
    try {
      const r = await apiGet(a.path, a.params);
      if ((SEVERITY[r.action] ?? 0) > (SEVERITY[best.action] ?? 0)) best = r;
    } catch {
      /* keep the first answer */
    }
  }
  return best;
}

export function render(_params, saved) {
  const state = { input: '', answer: null, target: '', asked: '', ...(saved || {}) };
  const id = newId('check-input');
  const input = h('input', {
    id, type: 'text', 'data-testid': 'check-input', autocomplete: 'off', autocapitalize: 'off',
    spellcheck: 'false', 'aria-describedby': `${id}-hint`, inputmode: 'text',
  });
  input.value = state.input;
  const kindId = newId('check-kind');
  const kindAuto = h('option', { value: '' });
  const kind = h('select', { id: kindId, 'data-testid': 'check-kind', class: 'kind-select' },
    kindAuto, KINDS.map((k) => h('option', { value: k }, t(`k_${k}`))));
  kind.value = state.kind || '';
  function updateKind() {
    const g = checkTarget(input.value);
    kindAuto.textContent = g ? t('kindAuto', { kind: t(`k_${g}`) }) : t('kindAutoNone');
  }
  input.addEventListener('input', updateKind);
  updateKind();
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true, 'data-testid': 'check-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'check-submit' }, t('submit'));
  const result = h('div', { class: 'check-result', 'aria-live': 'polite', 'data-testid': 'check-result' });
  let seq = 0;

  function showAnswer() {
    const { target, answer: a, asked } = state;
    const action = ['block', 'warn', 'allow'].includes(a.action) ? a.action : 'warn';
    const what = t(`as_${target}`);
    const lines = reasonLines(target, a);
    const todo = t(`todo_${action}`);
    result.replaceChildren(
      h('div', {
        class: ['verdict', `verdict-${action}`],
        'data-testid': 'check-verdict',
        'data-action': action,
      },
      h('p', { class: 'verdict-head' },
        h('span', { class: 'verdict-symbol', 'aria-hidden': 'true' }, SYMBOL[action]),
        h('span', { class: 'verdict-word' }, t(`v_${action}`))),
      h('p', { class: 'verdict-desc' }, t(`vd_${action}`, { what })),
      h('p', { class: 'verdict-value' },
        t('queried', { what }),
        h('span', { class: 'mono', 'data-testid': 'check-value' }, shownValue(target, a, asked))),
      typeof a.score === 'number' ? h('p', { class: 'small verdict-score' }, t('score', { n: a.score })) : null),
      h('section', { class: 'card', 'aria-labelledby': `${id}-why` },
        h('h2', { id: `${id}-why` }, t(action === 'allow' && lines.length ? 'notes' : 'why')),
        lines.length
          ? h('ul', { class: 'reasons', 'data-testid': 'check-reasons' },
            lines.map((l) => h('li', { class: l.strong ? 'reason-strong' : null }, l.text)))
          : h('p', { 'data-testid': 'check-reasons' }, t('r_none'))),
      h('section', { class: ['card', 'todo', `todo-${action}`], 'aria-labelledby': `${id}-todo` },
        h('h2', { id: `${id}-todo` }, t('todo')),
        h('ul', { 'data-testid': 'check-todo' }, todo.map((s) => h('li', {}, s))),
        h('p', {}, h('a', { href: '#/report', 'data-testid': 'check-report-link' }, t('report', { what })))));
  }

  async function lookup() {
    setFieldError(input, err, '');
    const raw = input.value;
    if (!checkTarget(raw)) {
      setFieldError(input, err, t('e_empty'));
      input.focus();
      return;
    }
    const asks = plan(raw, kind.value);
    const { target, arg } = asks[0];
    const value = asks[0].params[arg];
    if (new TextEncoder().encode(value).length > MAX_INPUT) {
      setFieldError(input, err, t('e_long'));
      input.focus();
      return;
    }
    const mine = ++seq;
    submit.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, t('loading')));
    try {
      const a = await worst(asks);
      if (mine !== seq) return;
      Object.assign(state, { input: raw, answer: a, target, asked: value });
      showAnswer();
    } catch (e) {
      if (mine !== seq) return;
      state.answer = null;
      result.replaceChildren();
      let msg;
      if (e.status === 422) msg = t(e.field === arg || !e.field ? 'e_invalid' : 'e_long');
      else if (e.status === 429) msg = t('e_rate', { n: e.retryAfter ?? 1 });
      else if (e.status === 0) msg = t('e_network');
      else msg = t('e_other', { msg: e.message });
      setFieldError(input, err, msg);
      input.focus();
    } finally {
      if (mine === seq) submit.disabled = false;
    }
  }

  const form = h('form', {
    class: 'check-form', novalidate: true, role: 'search',
    onsubmit: (ev) => {
      ev.preventDefault();
      lookup();
    },
  },
  h('div', { class: 'field' },
    h('label', { for: id }, t('input')),
    h('p', { class: 'hint', id: `${id}-hint` }, t('inputHint')),
    h('div', { class: 'input-with-button' }, input, submit),
    err),
  h('div', { class: 'field field-inline' },
    h('label', { for: kindId }, t('kind')),
    kind));

  const node = h('section', { class: 'page check' },
    h('h1', {}, t('title')),
    h('p', {}, t('intro')),
    form,
    result);
  if (state.answer) showAnswer();

  return {
    title: t('title'),
    node,
    save: () => ({ ...state, input: input.value, kind: kind.value }),
  };
}
