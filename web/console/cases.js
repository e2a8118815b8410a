/*
 * console/cases.js — 案例: the typical cases published on the portal's 典型案例.
 * List (#/cases?status=…): GET /api/v1/cases, newest first, keyset paging. Editor (#/cases/new,
 * #/cases/<id>): title, fraud type and text with a live preview of how the portal will show it,
 * built from text nodes only (a text holding `<img onerror=…>` previews as those characters);
 * save (POST, or PATCH with the version read), publish and withdraw (with a reason). Officers and
 * analysts write; admins and auditors read. A published case is withdrawn before it is edited;
 * the server refuses text that still holds a phone or ID number and the editor says where.
 */

import { apiGet, apiPatch, apiPost } from '../shared/api.js';
import { h, mount } from '../shared/dom.js';
import {
  actionButton, badge, dl, enumSelect, field, hasRole, label, notice, pager, snippet, t, table, when,
} from './util.js';
import { findPersonalData } from './pii.js';

const TITLE_MAX = 100;
const TEXT_MAX = 8192;

export function render(view, route) {
  if (route.parts[1]) return renderEditor(view, route.parts[1]);
  return renderList(view, route.query);
}

function canWrite() {
  return hasRole('officer', 'analyst');
}

/* ---------- list ---------- */

function renderList(view, query) {
  const st = query.get('status') || '';
  const status = enumSelect('case_status', st, { withAny: true, name: 'status', testid: 'case-filter-status' });
  status.addEventListener('change', () => {
    location.hash = status.value ? `#/cases?status=${encodeURIComponent(status.value)}` : '#/cases';
  });
  const msg = notice();
  const box = h('div', { class: 'c-table-box' });
  const pg = pager(
    (after) => apiGet('/api/v1/cases', { status: st, limit: 50, after }),
    (items) => {
      msg.clear();
      mount(box, casesTable(items));
    },
    (err) => {
      msg.error(err);
      mount(box);
    });
  mount(view,
    h('h1', {}, t('cs_title')),
    h('p', { class: 'c-muted' }, t('cs_intro')),
    h('div', { class: 'c-filters' },
      field(t('f_status'), status).wrap,
      canWrite()
        ? h('div', { class: 'c-field c-field-buttons' },
          h('a', { href: '#/cases/new', class: 'c-btn c-btn-primary', 'data-testid': 'case-new' }, t('cs_new')))
        : null),
    msg, box, pg.el);
  pg.reload();
}

function casesTable(items) {
  const rows = items.map((c) => h('tr', { 'data-testid': 'case-row', 'data-id': String(c.id), 'data-status': c.status },
    h('td', {}, h('a', { href: `#/cases/${c.id}`, 'data-testid': 'case-link' }, `#${c.id}`)),
    h('td', { class: 'c-snippet' }, h('a', { href: `#/cases/${c.id}`, tabindex: '-1' }, snippet(c.title, 40))),
    h('td', {}, label('fraud_type', c.fraud_type)),
    h('td', {}, badge('case_status', c.status, 'case-status')),
    h('td', { class: 'c-nowrap' }, when(c.updated_at)),
    h('td', { class: 'c-nowrap' }, when(c.published_at))));
  return table([t('col_id'), t('cs_col_title'), t('col_fraud_type'), t('col_status'), t('cs_col_updated'),
    t('cs_col_published')], rows, { testid: 'cases-table', 'aria-label': t('cs_title') });
}

/* ---------- editor ---------- */

/* The portal's rendering of a case (portal/cases.js), as text nodes: paragraphs split on blank
 * lines, line breaks kept by CSS (white-space: pre-wrap). */
function previewNodes(title, type, text) {
  const paragraphs = String(text || '').split(/\r?\n[ \t]*\r?\n/).filter((p) => p.trim());
  return [
    h('h2', { class: 'c-case-preview-title' }, title || t('cs_untitled')),
    type ? h('p', {}, h('span', { class: 'c-badge' }, label('fraud_type', type))) : null,
    paragraphs.length ? paragraphs.map((p) => h('p', { class: 'c-case-preview-p' }, p))
      : h('p', { class: 'c-muted' }, t('cs_preview_empty')),
  ];
}

function chars(s) {
  return Array.from(s || '').length;
}

function renderEditor(view, idText) {
  const isNew = idText === 'new';
  const id = isNew ? 0 : Number.parseInt(idText, 10);
  const msg = notice();
  const body = h('div', { class: 'c-detail' }, h('p', { class: 'c-muted' }, t('loading')));
  mount(view,
    h('p', {}, h('a', { href: '#/cases', class: 'c-back' }, `← ${t('cs_back')}`)),
    h('h1', {}, isNew ? t('cs_new') : t('cs_n', { id: Number.isFinite(id) ? id : idText })),
    msg, body);
  if (isNew) {
    if (!canWrite()) {
      msg.show('error', t('err_forbidden', { msg: '' }));
      mount(body);
      return;
    }
    mount(body, editor(null, msg));
    return;
  }
  if (!Number.isFinite(id) || id < 1) {
    msg.show('error', t('err_not_found'));
    mount(body);
    return;
  }
  const load = async () => {
    try {
      const c = await apiGet(`/api/v1/cases/${id}`);
      mount(body, editor(c, msg, load));
    } catch (err) {
      msg.error(err);
      mount(body);
    }
  };
  msg.onRefresh = () => {
    msg.clear();
    load();
  };
  load();
}

function editor(c, msg, reload) {
  const editable = canWrite() && (!c || c.status !== 'published');
  const title = h('input', {
    type: 'text', name: 'title', value: c ? c.title : '', maxlength: String(TITLE_MAX * 2), required: true,
    'data-testid': 'case-title', readOnly: !editable,
  });
  const type = enumSelect('fraud_type', c ? c.fraud_type : '', { name: 'fraud_type', testid: 'case-type' });
  type.disabled = !editable;
  if (!c) type.prepend(h('option', { value: '', selected: true, disabled: true }, t('cs_pick_type')));
  const text = h('textarea', {
    name: 'text', rows: '12', required: true, 'data-testid': 'case-text', readOnly: !editable,
  });
  text.value = c ? c.text : '';
  const counter = h('small', { class: 'c-hint', 'aria-live': 'polite' });
  const preview = h('div', { class: 'c-case-preview', 'data-testid': 'case-preview', 'aria-label': t('cs_preview') });
  /* the live hint: what looks like personal data in the title or text (pii.js); the server
   * refuses to publish it (422) */
  const piiList = h('ul', { class: 'c-pii-list' });
  const pii = h('div', { class: 'c-notice c-notice-warn c-pii', role: 'status', 'data-testid': 'case-pii-warning', hidden: true },
    h('p', {}, t('cs_pii_live')), piiList);
  function warnPersonalData() {
    const found = [
      ...findPersonalData(title.value).map((x) => ({ ...x, field: t('cs_col_title') })),
      ...findPersonalData(text.value).map((x) => ({ ...x, field: t('cs_text') })),
    ];
    mount(piiList, found.map((x) => h('li', { 'data-testid': 'case-pii-item', 'data-kind': x.kind },
      t('cs_pii_item', { what: label('pii', x.kind), field: x.field, at: x.at }))));
    pii.hidden = found.length === 0;
    for (const [el, list] of [[title, findPersonalData(title.value)], [text, findPersonalData(text.value)]]) {
      if (list.length) el.setAttribute('aria-describedby', 'case-pii');
      else if (el.getAttribute('aria-describedby') === 'case-pii') el.removeAttribute('aria-describedby');
    }
  }
  pii.id = 'case-pii';

  function update() {
    warnPersonalData();
    mount(preview, previewNodes(title.value.trim(), type.value, text.value));
    const n = new TextEncoder().encode(text.value).length;
    counter.textContent = t('cs_count', { title: chars(title.value.trim()), tmax: TITLE_MAX, text: n, max: TEXT_MAX });
    counter.classList.toggle('c-field-error', n > TEXT_MAX || chars(title.value.trim()) > TITLE_MAX);
  }
  for (const el of [title, text]) {
    el.addEventListener('input', update);
    el.addEventListener('input', () => el.removeAttribute('aria-invalid')); /* edited since the refusal */
  }
  type.addEventListener('change', update);
  update();

  const controls = {
    title, fraud_type: type, text,
  };
  function showError(err) {
    /* the anonymisation refusals (422 naming title or text) in the page's own words: the
     * server's check at publication names what it found ("personal data: bank_card") */
    const found = err && err.status === 422 && /personal data: ([a-z_]+)/.exec(err.message || '');
    if (found) msg.show('error', t('cs_pii_publish', { what: label('pii', found[1]) }));
    else if (err && err.status === 422 && /anonymise/.test(err.message || '')) msg.show('error', t('cs_pii'));
    else msg.error(err);
    const target = err && controls[err.field];
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      target.focus();
    }
  }

  async function save() {
    for (const el of Object.values(controls)) el.removeAttribute('aria-invalid');
    const v = { title: title.value.trim(), fraud_type: type.value, text: text.value };
    if (!v.title || !v.fraud_type || !v.text.trim()) {
      msg.show('error', t('field_required'));
      (!v.title ? title : !v.fraud_type ? type : text).focus();
      return;
    }
    try {
      if (!c) {
        const res = await apiPost('/api/v1/cases', v);
        location.hash = `#/cases/${res.id}`;
        return;
      }
      const edit = { version: c.version };
      for (const k of ['title', 'fraud_type', 'text']) if (v[k] !== c[k]) edit[k] = v[k];
      if (Object.keys(edit).length === 1) {
        msg.show('info', t('cs_unchanged'));
        return;
      }
      await apiPatch(`/api/v1/cases/${c.id}`, edit);
      await reload();
      msg.show('ok', t('cs_saved'));
    } catch (err) {
      showError(err);
    }
  }

  async function step(path, extra) {
    try {
      await apiPost(`/api/v1/cases/${c.id}/${path}`, { version: c.version, ...extra });
      await reload();
      msg.show('ok', path === 'publish' ? t('cs_published') : t('cs_withdrawn'));
    } catch (err) {
      showError(err);
    }
  }

  const actions = [];
  if (canWrite()) {
    if (editable) actions.push(actionButton(t('cs_save'), 'case-save', save, 'c-btn c-btn-primary'));
    if (c && c.status !== 'published') {
      actions.push(actionButton(t('cs_publish'), 'case-publish', async () => {
        if (title.value.trim() !== c.title || type.value !== c.fraud_type || text.value !== c.text) {
          msg.show('error', t('cs_save_first'));
          return;
        }
        await step('publish', {});
      }));
    }
  }
  let withdrawForm = null;
  if (canWrite() && c && c.status === 'published') {
    const reason = h('input', { type: 'text', name: 'reason', maxlength: '300', required: true, 'data-testid': 'case-withdraw-reason' });
    withdrawForm = h('div', { class: 'c-inline' },
      field(t('cs_withdraw_reason'), reason).wrap,
      actionButton(t('cs_withdraw'), 'case-withdraw', async () => {
        if (!reason.value.trim()) {
          msg.show('error', t('field_required'));
          reason.focus();
          return;
        }
        await step('withdraw', { reason: reason.value.trim() });
      }));
  }

  const facts = c ? dl([
    [t('col_status'), badge('case_status', c.status, 'case-status')],
    [t('cs_version'), String(c.version)],
    [t('cs_created'), `${c.created_by || ''} ${when(c.created_at)}`],
    [t('cs_col_updated'), `${c.updated_by || ''} ${when(c.updated_at)}`],
    c.published_at ? [t('cs_col_published'), `${c.published_by || ''} ${when(c.published_at)}`] : null,
    c.withdraw_reason ? [t('cs_withdraw_reason'), c.withdraw_reason] : null,
  ]) : null;

  const hint = !canWrite() ? t('cs_readonly')
    : c && c.status === 'published' ? t('cs_published_locked') : t('cs_anonymise');
  return h('div', { class: 'c-case-editor' },
    h('form', { class: 'c-case-form', novalidate: true, onsubmit: (ev) => { ev.preventDefault(); if (editable) save(); } },
      h('p', { class: 'c-muted', 'data-testid': 'case-hint' }, hint),
      field(t('cs_col_title'), title).wrap,
      field(t('col_fraud_type'), type).wrap,
      field(t('cs_text'), text, t('cs_text_hint')).wrap,
      counter,
      pii,
      h('div', { class: 'c-actions' }, actions),
      withdrawForm,
      facts),
    h('section', { class: 'c-case-preview-box', 'aria-labelledby': 'case-preview-h' },
      h('h2', { id: 'case-preview-h' }, t('cs_preview')),
      preview));
}
