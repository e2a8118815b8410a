/*
 * portal/track.js — 进度查询 (#/track, #/track/<code>): the status of a report from its
 * tracking code, GET /api/v1/reports/track/{code} → {tracking_code, status, created_at,
 * updated_at}. The answer carries no text and no personal data, so it is safe to show to
 * whoever holds the code. With a code in the route (the link after a report), it asks at once.
 */
import { apiGet } from '../shared/api.js';
import { h, newId, setFieldError } from '../shared/dom.js';
import { dictionary, formatDateTime } from '../shared/i18n.js';
import { normalizeTrackingCode } from './detect.js';

const t = dictionary({
  zh: {
    title: '进度查询',
    intro: '输入举报成功后得到的 12 位查询码，查看处理进度。',
    code: '查询码',
    codeHint: '由数字和字母组成，例如 7K2M9QX4HB3D；不区分大小写。',
    submit: '查询',
    loading: '正在查询…',
    e_empty: '请输入查询码。',
    e_format: '查询码是 12 位数字和字母，请核对。',
    e_notFound: '没有找到这个查询码对应的举报，请核对后再试。',
    e_rate: '查询太频繁，请在 {n} 秒后再试。',
    e_network: '网络连接失败，请稍后再试。',
    e_other: '查询没有成功：{msg}',
    status: '当前状态',
    created: '提交时间',
    updated: '最近更新',
    s_new: '已受理',
    s_triaged: '核查中',
    s_confirmed: '已核实',
    s_rejected: '未采纳',
    s_duplicate: '重复举报',
    d_new: '我们已经收到您的举报，正在排队等待工作人员核查。',
    d_triaged: '工作人员正在核查您举报的内容。',
    d_confirmed: '经核查，您举报的内容已被确认为诈骗，相关号码、网址或账户已列入拦截名单。感谢您的举报！',
    d_rejected: '经核查，暂未发现足够的诈骗证据，未予采纳。如果有新的情况，欢迎再次举报。',
    d_duplicate: '此前已有人举报过相同内容，已与之前的举报合并处理。感谢您的举报！',
    reward: '如果您留下了联系方式且举报被核实，符合条件的，工作人员会联系您发放举报奖励。',
  },
  en: {
    title: 'Track a report',
    intro: 'Enter the 12-character tracking code you got after reporting.',
    code: 'Tracking code',
    codeHint: 'Digits and letters, e.g. 7K2M9QX4HB3D; case does not matter.',
    submit: 'Track',
    loading: 'Looking it up…',
    e_empty: 'Enter your tracking code.',
    e_format: 'A tracking code has 12 digits and letters; please check it.',
    e_notFound: 'No report has this tracking code; please check it.',
    e_rate: 'Too many look-ups; try again in {n} s.',
    e_network: 'Could not reach the server; please try again.',
    e_other: 'The look-up failed: {msg}',
    status: 'Status',
    created: 'Sent',
    updated: 'Last update',
    s_new: 'Received',
    s_triaged: 'Being checked',
    s_confirmed: 'Confirmed',
    s_rejected: 'Not accepted',
    s_duplicate: 'Duplicate',
    d_new: 'We have your report; it is waiting for a member of staff.',
    d_triaged: 'Staff are checking what you reported.',
    d_confirmed: 'Confirmed as fraud: the numbers, links or accounts are now blocked. Thank you!',
    d_rejected: 'We did not find enough evidence of fraud. If anything new happens, please report again.',
    d_duplicate: 'Someone reported the same thing before; the reports are handled together. Thank you!',
    reward: 'If you left contact details and the report is confirmed, staff will contact you about a reward where it applies.',
  },
});

const STATUSES = ['new', 'triaged', 'confirmed', 'rejected', 'duplicate'];
const BADGE = { new: 'badge-info', triaged: 'badge-warn', confirmed: 'badge-ok', rejected: 'badge-info', duplicate: 'badge-info' };

export function render(params, saved) {
  const state = { code: params.code || '', answer: null, ...(saved || {}) };
  const id = newId('track-code');
  const input = h('input', {
    id, type: 'text', 'data-testid': 'track-code', autocomplete: 'off', autocapitalize: 'characters',
    spellcheck: 'false', maxlength: '32', 'aria-describedby': `${id}-hint`, class: 'mono code-input',
  });
  input.value = state.code;
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true, 'data-testid': 'track-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'track-submit' }, t('submit'));
  const result = h('div', { class: 'track-result', 'aria-live': 'polite', 'data-testid': 'track-result' });
  let seq = 0;

  function showAnswer(a) {
    const s = STATUSES.includes(a.status) ? a.status : null;
    result.replaceChildren(
      h('div', { class: 'card stack' },
        h('p', { class: 'track-status-line' },
          h('span', { class: 'label' }, t('status'), '：'),
          h('span', {
            class: ['badge', 'badge-lg', BADGE[s] || 'badge-info'],
            'data-testid': 'track-status',
            'data-status': a.status,
          }, s ? t(`s_${s}`) : String(a.status))),
        s ? h('p', {}, t(`d_${s}`)) : null,
        h('dl', { class: 'facts' },
          h('dt', {}, t('code')), h('dd', { class: 'mono' }, a.tracking_code),
          h('dt', {}, t('created')), h('dd', { 'data-testid': 'track-created' }, formatDateTime(a.created_at)),
          h('dt', {}, t('updated')), h('dd', { 'data-testid': 'track-updated' }, formatDateTime(a.updated_at))),
        s === 'confirmed' ? h('p', { class: 'muted small' }, t('reward')) : null));
  }

  async function lookup() {
    setFieldError(input, err, '');
    result.replaceChildren();
    const raw = input.value.trim();
    if (!raw) {
      setFieldError(input, err, t('e_empty'));
      input.focus();
      return;
    }
    const code = normalizeTrackingCode(raw);
    if (!code) {
      setFieldError(input, err, t('e_format'));
      input.focus();
      return;
    }
    input.value = code;
    state.code = code;
    const mine = ++seq;
    submit.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, t('loading')));
    try {
      const a = await apiGet(`/api/v1/reports/track/${encodeURIComponent(code)}`);
      if (mine !== seq) return;
      state.answer = a;
      showAnswer(a);
    } catch (e) {
      if (mine !== seq) return;
      state.answer = null;
      result.replaceChildren();
      let msg;
      if (e.status === 404) msg = t('e_notFound');
      else if (e.status === 429) msg = t('e_rate', { n: e.retryAfter ?? 1 });
      else if (e.status === 0) msg = t('e_network');
      else msg = t('e_other', { msg: e.message });
      setFieldError(input, err, msg);
    } finally {
      if (mine === seq) submit.disabled = false;
    }
  }

  const form = h('form', {
    class: 'track-form', novalidate: true,
    onsubmit: (ev) => {
      ev.preventDefault();
      lookup();
    },
  },
  h('div', { class: 'field' },
    h('label', { for: id }, t('code')),
    h('p', { class: 'hint', id: `${id}-hint` }, t('codeHint')),
    h('div', { class: 'input-with-button' }, input, submit),
    err));

  const node = h('section', { class: 'page track' },
    h('h1', {}, t('title')),
    h('p', {}, t('intro')),
    form,
    result);

  if (state.answer) showAnswer(state.answer);
  else if (params.code && !saved) queueMicrotask(lookup);

  return {
    title: t('title'),
    node,
    save: () => ({ code: input.value, answer: state.answer }),
  };
}
