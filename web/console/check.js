/*
 * console/check.js — 检测: paste a message, or type a number, URL or account, and see the verdict.
 * A message goes to POST /api/v1/check/text and its reasons are marked on their byte spans with
 * the report detail's highlighter; a number, URL or account goes to GET /check/number, /check/url
 * or /check/account. "自动识别" picks the endpoint from the input's shape.
 */

import { apiGet, apiPost } from '../shared/api.js';
import { h, mount } from '../shared/dom.js';
import { highlightedText, reasonsList } from './highlight.js';
import { badge, dl, field, label, notice, t } from './util.js';

const MODES = ['auto', 'text', 'number', 'url', 'account'];

/*
 * The endpoint for an input in "auto" mode: one line of phone-like characters is a number,
 * 16–19 digits a bank account, an e-mail address an account, a URL or bare domain a URL, and
 * anything else (several words, several lines) a message.
 */
export function detectMode(raw) {
  const s = raw.trim();
  if (!s || /\n/.test(s)) return 'text';
  const digits = s.replace(/[\s\-()+]/g, '');
  if (/^[+\d][\d\s\-()]*$/.test(s) && /^\d{16,19}$/.test(digits) && !s.startsWith('+')) return 'account';
  if (/^[+\d][\d\s\-()]{4,24}$/.test(s) && /^\d{5,16}$/.test(digits)) return 'number';
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) return 'account';
  if (/^(https?:\/\/)?([a-z0-9-]+\.)+[a-z]{2,}(:\d+)?([/?#]\S*)?$/i.test(s)) return 'url';
  return 'text';
}

export function render(view) {
  const input = h('textarea', { name: 'q', rows: '6', maxlength: '65536', required: true, 'data-testid': 'check-input' });
  const mode = h('select', { name: 'mode', 'data-testid': 'check-mode' },
    MODES.map((m) => h('option', { value: m }, t(`ck_${m}`))));
  const submit = h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'check-submit' }, t('ck_submit'));
  const msg = notice();
  const result = h('section', { class: 'c-check-result', 'aria-live': 'polite', 'data-testid': 'check-result' });
  const form = h('form', { class: 'c-card c-form', novalidate: true },
    field(t('ck_input'), input).wrap,
    h('div', { class: 'c-inline' }, field(t('ck_mode'), mode).wrap, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const raw = input.value;
    if (!raw.trim()) {
      msg.show('error', t('field_required'));
      input.focus();
      return;
    }
    const m = mode.value === 'auto' ? detectMode(raw) : mode.value;
    submit.disabled = true;
    msg.clear();
    mount(result, h('p', { class: 'c-muted' }, t('loading')));
    try {
      mount(result, await runCheck(m, raw));
    } catch (err) {
      mount(result);
      msg.error(err);
    } finally {
      submit.disabled = false;
    }
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) form.requestSubmit();
  });
  mount(view, h('h1', {}, t('ck_title')), form, msg, result);
  input.focus();
}

async function runCheck(m, raw) {
  const s = raw.trim();
  if (m === 'text') {
    const v = await apiPost('/api/v1/check/text', { text: raw });
    return verdictView(t('ck_text'), v, highlightedText(raw, v.reasons, 'check-text'), v.reasons);
  }
  let v;
  if (m === 'number') v = await apiGet('/api/v1/check/number', { n: s });
  else if (m === 'url') v = await apiGet('/api/v1/check/url', { u: s });
  else v = await apiGet('/api/v1/check/account', { a: s });
  if (v.valid === false) {
    return h('p', { class: 'c-notice c-notice-info' }, t('ck_invalid', { what: t(`ck_${m}`) }));
  }
  const shown = v.e164 || v.url || v.value || v.input || s;
  const head = h('p', { class: 'c-check-subject' }, h('code', {}, shown),
    v.class ? h('span', { class: 'c-muted' }, ` · ${v.class}`) : null,
    v.kind ? h('span', { class: 'c-muted' }, ` · ${label('kind', v.kind)}`) : null,
    v.lookalike_of ? h('span', { class: 'c-muted' }, ` ≈ ${v.lookalike_of}`) : null);
  return verdictView(t(`ck_${m}`), v, head, v.reasons || []);
}

function verdictView(what, v, subject, reasons) {
  const ind = v.indicator;
  return h('div', { class: `c-card c-verdict c-verdict-${v.action || 'allow'}` },
    h('h2', {}, `${t('ck_result')} · ${what}`),
    h('p', { class: 'c-verdict-head' },
      badge('action', v.action || 'allow', 'check-action'), ' ',
      v.label ? badge('label', v.label, 'check-label') : null, ' ',
      h('span', { class: 'c-score-big', 'data-testid': 'check-score' }, `${t('ck_score')} ${v.score ?? 0}`)),
    subject,
    dl([
      v.fraud_type ? [t('ck_type'), label('fraud_type', v.fraud_type)] : null,
      ind !== undefined
        ? [t('ck_indicator'), ind
          ? h('a', { href: `#/indicators/${ind.id}` }, `#${ind.id} ${label('kind', ind.kind)} · ${label('ind_status', ind.status)} · ${ind.score}`)
          : t('ck_indicator_none')]
        : null,
    ]),
    h('h3', {}, t('ck_reasons')),
    reasonsList(reasons, t('r_reasons_none')));
}
