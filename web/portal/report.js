/*
 * portal/report.js — 我要举报 (#/report): a resident reports a fraud and gets a tracking code.
 * POST /api/v1/reports (docs/api.md). Every field is checked here first, with the message
 * next to the field (aria-invalid + aria-describedby); the server's 422 names a field too and
 * lands in the same place. Money is parsed from the decimal string to integer fen (never a
 * float, shared/money.js); the text limit counts UTF-8 bytes as the server does.
 */
import { apiPost } from '../shared/api.js';
import { copyText, h, newId, setFieldError } from '../shared/dom.js';
import { beijingDateToMs, dictionary, pick, todayISODate } from '../shared/i18n.js';
import { parseYuan } from '../shared/money.js';
import { guessIndicatorKind, halfwidth, utf8Bytes } from './detect.js';
import { KNOWLEDGE } from './knowledge.js';

export const TEXT_MAX_BYTES = 32768;
const NAME_MAX_BYTES = 64;
const PHONE_MAX_BYTES = 32;
const VALUE_MAX_BYTES = 2048;

const CHANNELS = ['sms', 'call', 'chat', 'email', 'web', 'app', 'other'];
const KINDS = ['phone', 'url', 'bank_account', 'wechat', 'qq', 'payment_id', 'email'];

const t = dictionary({
  zh: {
    title: '我要举报',
    intro: '请尽量写清楚发生了什么。您的举报会由反诈中心工作人员核查，被核实的诈骗号码、网址和账户会被及时拦截。',
    urgent: '如果您刚刚转账给对方，请先拨打 110 报警，尽快止付。网上举报不能代替报警。',
    required: '必填',
    optional: '选填',
    channel: '对方是通过什么方式联系您的？',
    choose: '请选择',
    ch_sms: '短信',
    ch_call: '电话',
    ch_chat: '聊天（微信、QQ 等）',
    ch_email: '邮件',
    ch_web: '网页',
    ch_app: 'App',
    ch_other: '其他',
    fraudType: '您觉得这是哪一类骗局？',
    fraudTypeHint: '不确定可以不选，工作人员会判断。',
    unsure: '不确定',
    text: '发生了什么？',
    textHint: '写下对方怎么说、让您做什么，可以直接粘贴短信或聊天内容。不要填写银行卡密码或验证码。',
    textCount: '已输入 {n} / {max} 字节',
    value: '对方的电话号码、网址或账号',
    valueHint: '可以填一个：来电号码、短信里的链接、让您转账的银行卡号、微信号等。',
    kind: '这是什么？',
    kindAuto: '自动识别：{kind}',
    kindChoose: '请选择类型',
    k_phone: '电话号码',
    k_url: '网址',
    k_bank_account: '银行卡号',
    k_wechat: '微信号',
    k_qq: 'QQ 号',
    k_payment_id: '支付账号（支付宝等）',
    k_email: '邮箱',
    loss: '损失金额（元）',
    lossHint: '没有损失可以不填。例如：5000 或 5000.50',
    date: '发生日期',
    contactT: '您的联系方式',
    contactWhy: '留下联系方式，工作人员核实情况或发放举报奖励时可以联系您。您的姓名和电话只有负责核查的工作人员可以查看，其他地方一律隐去，每次查看都有记录，不会告诉对方。不留也可以举报。',
    name: '姓名或称呼',
    phone: '联系电话',
    submit: '提交举报',
    sending: '正在提交…',
    e_channel: '请选择对方联系您的方式。',
    e_text: '请写下发生了什么。',
    e_textLong: '内容太长了：{n} 字节，最多 {max} 字节（约 1 万个汉字），请删减。',
    e_kind: '请选择这是电话号码、网址还是哪种账号。',
    e_valueLong: '内容太长了，请只填一个号码、网址或账号。',
    e_value: '这个号码、网址或账号格式不对，请检查，或换一种类型。',
    e_loss_format: '请填写数字金额，例如 5000 或 5000.50。',
    e_loss_decimals: '金额最多两位小数（精确到分）。',
    e_loss_range: '金额过大，请核对。',
    e_date_future: '日期不能晚于今天。',
    e_date: '请填写有效的日期。',
    e_nameLong: '称呼太长了。',
    e_phone: '请填写有效的电话号码（只含数字，可带 + 和 -）。',
    e_fix: '有 {n} 处需要修改，请查看标出的内容。',
    e_server_field: '这一项没有通过检查：{msg}',
    e_rate: '来自您所在网络的举报太多了，请在 {n} 秒后再试。',
    e_busy: '服务暂时繁忙，请稍后再试。',
    e_network: '网络连接失败，请检查网络后重试。您填写的内容还在。',
    e_csrf: '此浏览器登录了工作台，请先退出工作台再举报，或换一个浏览器。',
    e_other: '提交没有成功：{msg}',
    okT: '举报已提交，谢谢您！',
    okCode: '您的查询码',
    okSave: '请抄下或截图保存这个查询码：凭它可以在“进度查询”里看到处理进度。为保护隐私，查询结果不会显示举报内容。',
    copy: '复制查询码',
    copied: '已复制',
    copyFail: '复制失败，请手动抄下',
    okTrack: '查看处理进度',
    okAgain: '再举报一条',
    okUrgent: '如果您已经转账，请立即拨打 110 报警并联系银行。',
  },
  en: {
    title: 'Report a scam',
    intro: 'Tell us what happened as clearly as you can. The anti-fraud centre checks every report, and confirmed numbers, links and accounts are blocked.',
    urgent: 'If you have just sent money, call 110 first so the payment can be stopped. Reporting online does not replace calling the police.',
    required: 'required',
    optional: 'optional',
    channel: 'How did they contact you?',
    choose: 'Choose',
    ch_sms: 'Text message',
    ch_call: 'Phone call',
    ch_chat: 'Chat (WeChat, QQ…)',
    ch_email: 'E-mail',
    ch_web: 'Website',
    ch_app: 'App',
    ch_other: 'Other',
    fraudType: 'What kind of scam do you think it is?',
    fraudTypeHint: 'Leave it if unsure; our staff will decide.',
    unsure: 'Not sure',
    text: 'What happened?',
    textHint: 'What did they say and ask you to do? You can paste the message. Never enter your PIN or codes.',
    textCount: '{n} / {max} bytes',
    value: 'Their phone number, link or account',
    valueHint: 'One of: the calling number, the link in the text, the bank card you were told to pay, a WeChat ID…',
    kind: 'What is it?',
    kindAuto: 'Detected: {kind}',
    kindChoose: 'Choose a type',
    k_phone: 'Phone number',
    k_url: 'Link (URL)',
    k_bank_account: 'Bank card',
    k_wechat: 'WeChat ID',
    k_qq: 'QQ number',
    k_payment_id: 'Payment account (Alipay…)',
    k_email: 'E-mail',
    loss: 'Money lost (yuan)',
    lossHint: 'Leave empty if none. For example 5000 or 5000.50',
    date: 'Date it happened',
    contactT: 'Your contact details',
    contactWhy: 'So that staff can reach you to check details or pay a reward. Only the staff handling your report can see your name and number; everywhere else they are hidden, every view is logged, and they are never given to the other side. You may report without them.',
    name: 'Name',
    phone: 'Phone',
    submit: 'Send report',
    sending: 'Sending…',
    e_channel: 'Choose how they contacted you.',
    e_text: 'Tell us what happened.',
    e_textLong: 'Too long: {n} bytes, at most {max}. Please shorten it.',
    e_kind: 'Choose whether this is a phone number, a link or which kind of account.',
    e_valueLong: 'Too long: enter one number, link or account.',
    e_value: 'This number, link or account does not look right; check it or pick another type.',
    e_loss_format: 'Enter an amount such as 5000 or 5000.50.',
    e_loss_decimals: 'At most two decimals.',
    e_loss_range: 'The amount is too large; please check it.',
    e_date_future: 'The date cannot be after today.',
    e_date: 'Enter a valid date.',
    e_nameLong: 'The name is too long.',
    e_phone: 'Enter a valid phone number (digits, + and - only).',
    e_fix: '{n} field(s) need your attention.',
    e_server_field: 'This was not accepted: {msg}',
    e_rate: 'Too many reports from this network; try again in {n} s.',
    e_busy: 'The service is busy; please try again shortly.',
    e_network: 'Could not reach the server. Check your connection and try again; your text is kept.',
    e_csrf: 'This browser is signed in to the staff console; sign out there first or use another browser.',
    e_other: 'Sending failed: {msg}',
    okT: 'Thank you, your report was sent.',
    okCode: 'Your tracking code',
    okSave: 'Write it down or take a screenshot: with it you can follow your report under Track. For your privacy, tracking does not show the report itself.',
    copy: 'Copy code',
    copied: 'Copied',
    copyFail: 'Copy failed; please write it down',
    okTrack: 'Track this report',
    okAgain: 'Report another',
    okUrgent: 'If you have sent money, call 110 and your bank now.',
  },
});

/* The server's field name → this form's field key. */
const SERVER_FIELDS = {
  channel: 'channel',
  text: 'text',
  fraud_type: 'fraudType',
  loss_fen: 'loss',
  occurred_ms: 'date',
  contact_name: 'name',
  contact_phone: 'phone',
  indicators: 'value',
};

const EMPTY = {
  channel: '', fraudType: '', text: '', value: '', kind: '', loss: '', date: '', name: '', phone: '',
  success: null,
};

/* One labelled field: label, optional hint, the control, the message slot. */
function field(key, labelText, control, { hint, required, testid, mark = true } = {}) {
  const id = control.id || newId(`report-${key}`);
  control.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true, 'data-testid': `report-${testid || key}-error` });
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  const wrap = h('div', { class: 'field' },
    h('label', { for: id }, labelText, mark ? ' ' : null,
      !mark ? null
        : required
          ? h('span', { class: 'required-mark' }, `(${t('required')})`)
          : h('span', { class: 'optional' }, `(${t('optional')})`)),
    hintEl, control, err);
  return { wrap, control, err };
}

function validPhone(s) {
  const v = halfwidth(s);
  if (!/^\+?[\d\s\-()]+$/.test(v)) return false;
  const d = v.replace(/\D/g, '');
  return d.length >= 5 && d.length <= 20;
}

export function render(_params, saved) {
  const state = { ...EMPTY, ...(saved || {}) };
  const fields = {};
  let busy = false;

  const channel = h('select', { 'data-testid': 'report-channel', required: true, name: 'channel' },
    h('option', { value: '' }, t('choose')),
    CHANNELS.map((c) => h('option', { value: c }, t(`ch_${c}`))));
  const fraudType = h('select', { 'data-testid': 'report-fraud-type', name: 'fraud_type' },
    h('option', { value: '' }, t('unsure')),
    KNOWLEDGE.map((k) => h('option', { value: k.id }, pick(k.name))));
  const text = h('textarea', { 'data-testid': 'report-text', required: true, name: 'text', rows: '7' });
  const count = h('p', { class: 'hint counter', 'data-testid': 'report-text-count', 'aria-live': 'polite' });
  const value = h('input', {
    type: 'text', 'data-testid': 'report-contact-value', name: 'value', autocomplete: 'off',
    autocapitalize: 'off', spellcheck: 'false',
  });
  const kindAuto = h('option', { value: '' });
  const kind = h('select', { 'data-testid': 'report-contact-kind', name: 'kind' },
    kindAuto, KINDS.map((k) => h('option', { value: k }, t(`k_${k}`))));
  const loss = h('input', { type: 'text', inputmode: 'decimal', 'data-testid': 'report-loss', name: 'loss', autocomplete: 'off' });
  const date = h('input', { type: 'date', 'data-testid': 'report-date', name: 'date', max: todayISODate() });
  const name = h('input', { type: 'text', 'data-testid': 'report-contact-name', name: 'contact_name', autocomplete: 'name' });
  const phone = h('input', { type: 'tel', 'data-testid': 'report-contact-phone', name: 'contact_phone', autocomplete: 'tel', inputmode: 'tel' });

  fields.channel = field('channel', t('channel'), channel, { required: true });
  fields.fraudType = field('fraudType', t('fraudType'), fraudType, { hint: t('fraudTypeHint'), testid: 'fraud-type' });
  fields.text = field('text', t('text'), text, { hint: t('textHint'), required: true });
  fields.value = field('value', t('value'), value, { hint: t('valueHint'), testid: 'contact-value' });
  fields.kind = field('kind', t('kind'), kind, { testid: 'contact-kind', mark: false });
  fields.loss = field('loss', t('loss'), loss, { hint: t('lossHint') });
  fields.date = field('date', t('date'), date);
  fields.name = field('name', t('name'), name, { testid: 'contact-name' });
  fields.phone = field('phone', t('phone'), phone, { testid: 'contact-phone' });
  fields.text.wrap.insertBefore(count, fields.text.err);

  channel.value = state.channel;
  fraudType.value = state.fraudType;
  text.value = state.text;
  value.value = state.value;
  kind.value = state.kind;
  loss.value = state.loss;
  date.value = state.date;
  name.value = state.name;
  phone.value = state.phone;

  const formError = h('div', { class: 'notice notice-danger', role: 'alert', hidden: true, 'data-testid': 'report-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'report-submit' }, t('submit'));

  function updateCount() {
    const n = utf8Bytes(text.value);
    count.textContent = t('textCount', { n, max: TEXT_MAX_BYTES });
    count.classList.toggle('over', n > TEXT_MAX_BYTES);
  }

  /* The kind select appears once there is a value; its first option names the guess. */
  function updateKind() {
    const v = value.value.trim();
    fields.kind.wrap.hidden = v === '';
    const g = guessIndicatorKind(v);
    kindAuto.textContent = g ? t('kindAuto', { kind: t(`k_${g}`) }) : t('kindChoose');
  }

  function setError(key, msg) {
    setFieldError(fields[key].control, fields[key].err, msg);
  }

  function clearErrors() {
    for (const key of Object.keys(fields)) setError(key, '');
    formError.hidden = true;
    formError.replaceChildren();
  }

  function showFormError(msg) {
    formError.replaceChildren(h('p', {}, msg));
    formError.hidden = false;
  }

  /* Checks every field; returns { body } or { errors: [[key, message]...] }. */
  function collect() {
    const errors = [];
    const body = {};
    if (!CHANNELS.includes(channel.value)) errors.push(['channel', t('e_channel')]);
    else body.channel = channel.value;
    if (fraudType.value) body.fraud_type = fraudType.value;

    const n = utf8Bytes(text.value);
    if (!text.value.trim()) errors.push(['text', t('e_text')]);
    else if (n > TEXT_MAX_BYTES) errors.push(['text', t('e_textLong', { n, max: TEXT_MAX_BYTES })]);
    else body.text = text.value;

    const v = halfwidth(value.value);
    if (v) {
      const k = kind.value || guessIndicatorKind(v);
      if (utf8Bytes(v) > VALUE_MAX_BYTES) errors.push(['value', t('e_valueLong')]);
      else if (!k) errors.push(['kind', t('e_kind')]);
      else body.indicators = [{ kind: k, value: v }];
    }

    if (loss.value.trim()) {
      const r = parseYuan(loss.value);
      if (!r.ok) errors.push(['loss', t(`e_loss_${r.reason === 'empty' ? 'format' : r.reason}`)]);
      else body.loss_fen = r.fen;
    }

    if (date.validity && date.validity.badInput) {
      errors.push(['date', t('e_date')]);
    } else if (date.value) {
      const ms = beijingDateToMs(date.value);
      if (ms === null || ms < 0) errors.push(['date', t('e_date')]);
      else if (date.value > todayISODate()) errors.push(['date', t('e_date_future')]);
      else body.occurred_ms = ms;
    }

    const nm = name.value.trim();
    if (nm) {
      if (utf8Bytes(nm) > NAME_MAX_BYTES) errors.push(['name', t('e_nameLong')]);
      else body.contact_name = nm;
    }
    const ph = halfwidth(phone.value);
    if (ph) {
      if (!validPhone(ph) || utf8Bytes(ph) > PHONE_MAX_BYTES) errors.push(['phone', t('e_phone')]);
      else body.contact_phone = ph;
    }
    return errors.length ? { errors } : { body };
  }

  function showErrors(errors) {
    for (const [key, msg] of errors) setError(key, msg);
    showFormError(t('e_fix', { n: errors.length }));
    fields[errors[0][0]].control.focus();
  }

  function serverError(err) {
    if (err.status === 422 && err.field && SERVER_FIELDS[err.field]) {
      const key = SERVER_FIELDS[err.field];
      const msg = key === 'value' ? t('e_value') : t('e_server_field', { msg: err.message });
      showErrors([[key, msg]]);
    } else if (err.status === 429) {
      showFormError(t('e_rate', { n: err.retryAfter ?? 60 }));
    } else if (err.status === 503) {
      showFormError(t('e_busy'));
    } else if (err.status === 0) {
      showFormError(t('e_network'));
    } else if (err.status === 403 && err.code === 'csrf') {
      showFormError(t('e_csrf'));
    } else if (err.status === 413) {
      showErrors([['text', t('e_textLong', { n: utf8Bytes(text.value), max: TEXT_MAX_BYTES })]]);
    } else {
      showFormError(t('e_other', { msg: err.message }));
    }
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    if (busy) return;
    clearErrors();
    const r = collect();
    if (r.errors) {
      showErrors(r.errors);
      return;
    }
    busy = true;
    submit.disabled = true;
    submit.textContent = t('sending');
    form.setAttribute('aria-busy', 'true');
    try {
      const answer = await apiPost('/api/v1/reports', r.body);
      state.success = answer.tracking_code;
      showSuccess();
    } catch (err) {
      serverError(err);
      if (!formError.hidden && !form.contains(document.activeElement)) formError.focus();
    } finally {
      busy = false;
      submit.disabled = false;
      submit.textContent = t('submit');
      form.removeAttribute('aria-busy');
    }
  }

  text.addEventListener('input', updateCount);
  value.addEventListener('input', updateKind);
  for (const [key, f] of Object.entries(fields)) {
    const ev = f.control.tagName === 'SELECT' || f.control.type === 'date' ? 'change' : 'input';
    f.control.addEventListener(ev, () => {
      if (f.control.getAttribute('aria-invalid')) setError(key, '');
      if (key === 'value' && fields.kind.control.getAttribute('aria-invalid')) setError('kind', '');
    });
  }
  formError.setAttribute('tabindex', '-1');

  const form = h('form', { class: 'report-form', novalidate: true, onsubmit: onSubmit, 'data-testid': 'report-form' },
    formError,
    fields.channel.wrap,
    fields.text.wrap,
    fields.value.wrap,
    fields.kind.wrap,
    fields.loss.wrap,
    fields.date.wrap,
    fields.fraudType.wrap,
    h('fieldset', { class: 'contact' },
      h('legend', {}, t('contactT'), ' ', h('span', { class: 'optional' }, `(${t('optional')})`)),
      h('p', { class: 'hint privacy' }, t('contactWhy')),
      fields.name.wrap,
      fields.phone.wrap),
    submit);

  const page = h('section', { class: 'page report' });

  function showForm() {
    page.replaceChildren(
      h('h1', {}, t('title')),
      h('p', {}, t('intro')),
      h('p', { class: 'notice notice-danger' }, t('urgent')),
      form);
    updateCount();
    updateKind();
  }

  function showSuccess() {
    const code = state.success;
    const status = h('span', { class: 'copy-status', role: 'status', 'data-testid': 'report-copy-status' });
    const heading = h('h1', { tabindex: '-1' }, t('okT'));
    page.replaceChildren(
      h('div', { class: 'report-success stack', 'data-testid': 'report-success' },
        heading,
        h('div', { class: 'code-box' },
          h('p', { class: 'code-label', id: 'report-code-label' }, t('okCode')),
          h('p', { class: 'tracking-code mono', 'data-testid': 'report-tracking-code', 'aria-labelledby': 'report-code-label' }, code),
          h('div', { class: 'row' },
            h('button', {
              type: 'button', class: 'btn', 'data-testid': 'report-copy',
              onclick: async () => {
                status.textContent = (await copyText(code)) ? t('copied') : t('copyFail');
              },
            }, t('copy')),
            status)),
        h('p', {}, t('okSave')),
        h('p', { class: 'notice notice-danger' }, t('okUrgent')),
        h('div', { class: 'row' },
          h('a', { class: 'btn btn-primary', href: `#/track/${encodeURIComponent(code)}`, 'data-testid': 'report-track-link' }, t('okTrack')),
          h('button', {
            type: 'button', class: 'btn', 'data-testid': 'report-again',
            onclick: () => {
              Object.assign(state, EMPTY);
              for (const c of [channel, fraudType, text, value, kind, loss, date, name, phone]) c.value = '';
              clearErrors();
              showForm();
              page.querySelector('h1').setAttribute('tabindex', '-1');
              page.querySelector('h1').focus();
            },
          }, t('okAgain')))));
    heading.focus();
  }

  if (state.success) showSuccess();
  else showForm();

  return {
    title: t('title'),
    node: page,
    save: () => ({
      channel: channel.value, fraudType: fraudType.value, text: text.value, value: value.value,
      kind: kind.value, loss: loss.value, date: date.value, name: name.value, phone: phone.value,
      success: state.success,
    }),
  };
}
