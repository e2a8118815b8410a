/*
 * console/reports.js — 线索: the report queue and one report's detail.
 * Queue: GET /api/v1/reports with the filters kept in the hash (#/reports?status=new&…), paged
 * by keyset (next_after) with 上一页 / 下一页. Detail (#/reports/<id>): GET /api/v1/reports/{id},
 * the text screened again with POST /api/v1/check/text so its reasons can be marked on their
 * byte spans (highlight.js), the extracted indicators, the duplicate link, the history (GET
 * /api/v1/reports/{id}/history: each step, who and when, as the audit log recorded it) and the
 * workflow actions, each sent with the version read; after an action the detail is read again.
 */

import { apiGet, apiPost } from '../shared/api.js';
import { h, mount } from '../shared/dom.js';
import { highlightedText, reasonsList } from './highlight.js';
import {
  actionButton, badge, dl, enumSelect, field, hasRole, label, money, notice, pager, snippet,
  t, table, when,
} from './util.js';

const FILTERS = ['status', 'channel', 'fraud_type', 'kind', 'value', 'order'];
const CHECK_CHANNELS = new Set(['sms', 'chat', 'email', 'call', 'other']);

export function render(view, route) {
  if (route.parts[1]) return renderDetail(view, route.parts[1]);
  return renderQueue(view, route.query);
}

/* ---------- queue ---------- */

function renderQueue(view, query) {
  const q = {};
  for (const k of FILTERS) q[k] = query.get(k) || '';
  const status = enumSelect('status', q.status, { withAny: true, name: 'status', testid: 'filter-status' });
  const channel = enumSelect('channel', q.channel, { withAny: true, name: 'channel', testid: 'filter-channel' });
  const ftype = enumSelect('fraud_type', q.fraud_type, { withAny: true, name: 'fraud_type', testid: 'filter-fraud-type' });
  const kind = enumSelect('kind', q.kind, { withAny: true, name: 'kind', testid: 'filter-kind' });
  const value = h('input', { type: 'search', name: 'value', value: q.value, maxlength: '2048', 'data-testid': 'filter-value' });
  const order = h('select', { name: 'order', 'data-testid': 'filter-order' },
    h('option', { value: 'newest', selected: q.order !== 'oldest' }, t('order_newest')),
    h('option', { value: 'oldest', selected: q.order === 'oldest' }, t('order_oldest')));
  const form = h('form', { class: 'c-filters', role: 'search' },
    field(t('f_status'), status).wrap,
    field(t('f_channel'), channel).wrap,
    field(t('f_fraud_type'), ftype).wrap,
    field(t('f_kind'), kind).wrap,
    field(t('f_value'), value).wrap,
    field(t('f_order'), order).wrap,
    h('div', { class: 'c-field c-field-buttons' },
      h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'filter-submit' }, t('search')),
      h('a', { href: '#/reports', class: 'c-btn' }, t('reset'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    const vals = { status: status.value, channel: channel.value, fraud_type: ftype.value, kind: kind.value, value: value.value.trim(), order: order.value === 'oldest' ? 'oldest' : '' };
    for (const [k, v] of Object.entries(vals)) if (v) p.set(k, v);
    const s = p.toString();
    const target = `#/reports${s ? `?${s}` : ''}`;
    if (location.hash === target) pg.reload();
    else location.hash = target;
  });

  const msg = notice();
  const tableBox = h('div', { class: 'c-table-box' });
  const pg = pager(
    (after) => apiGet('/api/v1/reports', {
      status: q.status, channel: q.channel, fraud_type: q.fraud_type,
      kind: q.value ? q.kind : '', value: q.value,
      order: q.order === 'oldest' ? 'oldest' : 'newest', limit: 50, after,
    }),
    (items) => {
      msg.clear();
      mount(tableBox, reportsTable(items));
    },
    (err) => {
      msg.error(err);
      mount(tableBox);
    });
  mount(view,
    h('h1', {}, t('reports_title')),
    form, msg, tableBox, pg.el);
  pg.reload();
}

function reportsTable(items) {
  const rows = items.map((r) => h('tr', { 'data-testid': 'report-row', 'data-id': String(r.id) },
    h('td', {}, h('a', { href: `#/reports/${r.id}`, 'data-testid': 'report-link' }, `#${r.id}`)),
    h('td', { class: 'c-nowrap' }, when(r.created_at)),
    h('td', {}, badge('status', r.status)),
    h('td', {}, label('channel', r.channel)),
    h('td', {}, label('fraud_type', r.fraud_type)),
    h('td', { class: 'c-snippet' }, h('a', { href: `#/reports/${r.id}`, tabindex: '-1' }, snippet(r.text, 48))),
    h('td', { class: 'c-num' }, r.loss_fen ? money(r.loss_fen) : '—'),
    h('td', { class: 'c-num' }, scoreChip(r.verdict_score, r.verdict_label)),
    h('td', { class: 'c-nowrap' }, contactText(r))));
  return table([t('col_id'), t('col_created'), t('col_status'), t('col_channel'), t('col_fraud_type'),
    t('col_text'), t('col_loss'), t('col_score'), t('col_contact')], rows, { testid: 'reports-table', 'aria-label': t('reports_title') });
}

function scoreChip(score, lbl) {
  if (score === null || score === undefined) return '—';
  const level = score >= 70 ? 'high' : score >= 40 ? 'mid' : 'low';
  return h('span', { class: `c-score c-score-${level}`, title: label('label', lbl) }, String(score));
}

function contactText(r) {
  const parts = [r.contact_name, r.contact_phone].filter(Boolean);
  return parts.length ? parts.join(' ') : '—';
}

/* ---------- detail ---------- */

function renderDetail(view, idText) {
  const id = Number.parseInt(idText, 10);
  const title = h('h1', {}, t('report_n', { id: Number.isFinite(id) ? id : idText }));
  const msg = notice();
  const body = h('div', { class: 'c-detail' }, h('p', { class: 'c-muted' }, t('loading')));
  mount(view, h('p', {}, h('a', { href: '#/reports', class: 'c-back' }, `← ${t('back_to_queue')}`)), title, msg, body);
  if (!Number.isFinite(id) || id < 1) {
    msg.show('error', t('err_not_found'));
    mount(body);
    return;
  }
  const ctx = { id, msg, body, report: null };
  msg.onRefresh = () => load(ctx, null);
  load(ctx, null);
}

/* Reads the report (again) and draws it; `done` is a success message to keep on screen. */
async function load(ctx, done) {
  let report;
  try {
    report = await apiGet(`/api/v1/reports/${ctx.id}`);
  } catch (err) {
    ctx.msg.error(err);
    mount(ctx.body);
    return;
  }
  if (done) ctx.msg.show('ok', done);
  else ctx.msg.clear();
  ctx.report = report;
  ctx.history = h('div', { 'data-testid': 'report-history' }, h('p', { class: 'c-muted' }, t('loading')));
  draw(ctx, null);
  screen(ctx);
  history(ctx);
}

/* The report's steps (staff): when, who, what, the change of status. */
async function history(ctx) {
  const box = ctx.history;
  let res;
  try {
    res = await apiGet(`/api/v1/reports/${ctx.id}/history`);
  } catch (err) {
    mount(box, h('p', { class: 'c-notice c-notice-error' }, t('r_history_failed', { msg: err.message })));
    return;
  }
  const r = ctx.report;
  const items = res.items || [];
  const lastReject = items.map((s) => s.action).lastIndexOf('reject');
  const rows = items.map((s, i) => {
    const who = s.actor_kind === 'user' && s.actor_name ? s.actor_name : label('source', s.actor_kind);
    let change = '';
    if (s.from && s.to) change = `${label('status', s.from)} → ${label('status', s.to)}`;
    else if (s.to) change = label('status', s.to);
    const extra = [];
    if (s.into) extra.push(h('a', { href: `#/reports/${s.into}` }, t('r_history_into', { id: s.into })));
    if (i === lastReject && r.status === 'rejected' && r.status_reason) extra.push(r.status_reason);
    return h('tr', { 'data-testid': 'history-row', 'data-action': s.action },
      h('td', { class: 'c-nowrap' }, when(s.at)),
      h('td', {}, who),
      h('td', {}, label('report_step', s.action)),
      h('td', {}, change, extra.length ? [change ? ' · ' : '', ...extra.flatMap((x, i) => (i ? [' · ', x] : [x]))] : null));
  });
  mount(box, table([t('h_at'), t('h_actor'), t('h_action'), t('h_change')], rows, { 'aria-label': t('r_history') }));
}

/* Screens the text to get the reasons and their spans, then redraws the text with marks. */
async function screen(ctx) {
  const r = ctx.report;
  const req = { text: r.text || '' };
  if (CHECK_CHANNELS.has(r.channel)) req.channel = r.channel;
  try {
    const verdict = await apiPost('/api/v1/check/text', req);
    if (ctx.report === r) draw(ctx, verdict);
  } catch (err) {
    if (ctx.report === r) draw(ctx, { error: err });
  }
}

function draw(ctx, verdict) {
  const r = ctx.report;
  const textBox = verdict && !verdict.error
    ? highlightedText(r.text, verdict.reasons)
    : highlightedText(r.text, []);
  let reasons;
  if (!verdict) reasons = h('p', { class: 'c-muted' }, t('loading'));
  else if (verdict.error) reasons = h('p', { class: 'c-notice c-notice-error' }, t('r_screening_failed', { msg: verdict.error.message }));
  else reasons = reasonsList(verdict.reasons, t('r_reasons_none'));

  const contact = h('span', { 'data-testid': 'report-contact' }, contactText(r));
  mount(ctx.body,
    h('div', { class: 'c-detail-grid' },
      h('section', { class: 'c-card c-detail-main', 'aria-labelledby': 'r-text-h' },
        h('h2', { id: 'r-text-h' }, t('r_text')),
        textBox,
        h('h3', {}, t('r_reasons')),
        reasons,
        h('h3', {}, t('r_indicators')),
        indicatorsList(r.indicators),
        h('h3', {}, t('r_history')),
        ctx.history),
      h('section', { class: 'c-card c-detail-side', 'aria-label': t('r_actions') },
        dl([
          [t('col_status'), badge('status', r.status, 'report-status')],
          [t('col_channel'), label('channel', r.channel)],
          [t('col_fraud_type'), label('fraud_type', r.fraud_type)],
          [t('r_source'), label('source', r.source)],
          [t('col_created'), when(r.created_at)],
          [t('r_occurred'), when(r.occurred_at)],
          [t('r_updated'), when(r.updated_at)],
          [t('col_loss'), money(r.loss_fen || 0)],
          [t('r_verdict'), h('span', {}, label('label', r.verdict_label), ' ', scoreChip(r.verdict_score, r.verdict_label))],
          [t('r_contact'), contact],
          r.duplicate_of ? [t('r_duplicate_of'), h('a', { href: `#/reports/${r.duplicate_of}`, 'data-testid': 'report-duplicate-of' }, `#${r.duplicate_of}`)] : null,
          r.status_reason ? [t('r_status_reason'), r.status_reason] : null,
          [t('r_version'), String(r.version)],
        ]),
        actions(ctx, contact))));
}

function indicatorsList(list) {
  if (!list || !list.length) return h('p', { class: 'c-muted' }, t('none'));
  return h('ul', { class: 'c-ind-list', 'data-testid': 'report-indicators' }, list.map((i) =>
    h('li', {},
      h('span', { class: 'c-kind' }, label('kind', i.kind)), ' ',
      h('a', { href: `#/indicators?kind=${encodeURIComponent(i.kind)}&value=${encodeURIComponent(i.value)}` },
        h('code', {}, i.value)))));
}

/* The workflow actions the role may take; each sends the version it read. */
function actions(ctx, contactEl) {
  const r = ctx.report;
  const canWork = hasRole('officer', 'analyst');
  const canConfirm = hasRole('analyst');
  const box = h('div', { class: 'c-actions' }, h('h2', {}, t('r_actions')));
  const run = (fn, done) => async () => {
    try {
      const res = await fn();
      await load(ctx, typeof done === 'function' ? done(res) : done);
    } catch (err) {
      ctx.msg.error(err);
      ctx.msg.scrollIntoView({ block: 'nearest' });
    }
  };
  /* the workflow of store/reports.c: triage from new (or a rejected one again); confirm and
   * reject from triaged; merge from new or triaged */
  const open = r.status === 'new' || r.status === 'triaged';
  const triaged = r.status === 'triaged';

  if (canWork && (r.status === 'new' || r.status === 'rejected')) {
    box.append(actionButton(t('act_triage'), 'action-triage',
      run(() => apiPost(`/api/v1/reports/${r.id}/triage`, { version: r.version }), t('done_triage')), 'c-btn c-btn-primary'));
  }

  /* 核实 on a new report triages it first (the store confirms only triaged reports) */
  if (canConfirm && open) {
    const tlp = enumSelect('tlp', 'green', { name: 'tlp', testid: 'confirm-tlp' });
    const ftype = enumSelect('fraud_type', r.fraud_type || '', { withAny: true, name: 'fraud_type', testid: 'confirm-fraud-type' });
    ftype.options[0].textContent = '—';
    box.append(h('div', { class: 'c-action-group' },
      field(t('tlp'), tlp).wrap,
      field(t('f_fraud_type'), ftype).wrap,
      actionButton(t('act_confirm'), 'action-confirm', run(async () => {
        let version = r.version;
        if (r.status === 'new') version = (await apiPost(`/api/v1/reports/${r.id}/triage`, { version })).version;
        const body = { version, tlp: tlp.value };
        if (ftype.value) body.fraud_type = ftype.value;
        return apiPost(`/api/v1/reports/${r.id}/confirm`, body);
      }, (res) => t('done_confirm', { n: (res && res.indicators ? res.indicators.length : 0) })), 'c-btn c-btn-primary')));
  }

  if (canWork && triaged) {
    const reason = h('textarea', { name: 'reason', rows: '2', maxlength: '1000', 'data-testid': 'reject-reason' });
    const err = h('p', { class: 'c-field-error', id: `reject-err-${r.id}`, hidden: true });
    box.append(h('div', { class: 'c-action-group' },
      field(t('reject_reason'), reason).wrap, err,
      actionButton(t('act_reject'), 'action-reject', async () => {
        if (!reason.value.trim()) {
          err.textContent = t('field_required');
          err.hidden = false;
          reason.setAttribute('aria-invalid', 'true');
          reason.setAttribute('aria-describedby', err.id);
          reason.focus();
          return;
        }
        await run(() => apiPost(`/api/v1/reports/${r.id}/reject`, { version: r.version, reason: reason.value.trim() }), t('done_reject'))();
      }, 'c-btn c-btn-danger')));
  }

  if (canWork && open) {
    const into = h('input', { type: 'number', name: 'into', min: '1', step: '1', inputmode: 'numeric', value: r.duplicate_of ? String(r.duplicate_of) : '', 'data-testid': 'merge-into' });
    box.append(h('div', { class: 'c-action-group' },
      field(t('merge_into'), into).wrap,
      actionButton(t('act_merge'), 'action-merge', async () => {
        const n = Number.parseInt(into.value, 10);
        if (!Number.isInteger(n) || n < 1) {
          into.setAttribute('aria-invalid', 'true');
          into.focus();
          return;
        }
        await run(() => apiPost(`/api/v1/reports/${r.id}/merge`, { version: r.version, into: n }), t('done_merge'))();
      })));
  }

  if (canWork && (r.contact_name || r.contact_phone) && !r.contact_revealed) {
    box.append(h('div', { class: 'c-action-group' },
      h('p', { class: 'c-hint', id: `reveal-note-${r.id}` }, t('reveal_note')),
      actionButton(t('act_reveal'), 'action-reveal', async () => {
        try {
          const full = await apiPost(`/api/v1/reports/${r.id}/reveal`, {});
          contactEl.textContent = contactText(full);
          contactEl.classList.add('c-revealed');
          ctx.msg.show('ok', t('done_reveal'));
          history(ctx);
        } catch (e) {
          ctx.msg.error(e);
        }
      })));
    box.lastChild.lastChild.setAttribute('aria-describedby', `reveal-note-${r.id}`);
  }

  if (canConfirm && r.status === 'confirmed') {
    box.append(actionButton(t('act_propose'), 'action-propose', async () => {
      try {
        const rw = await apiPost(`/api/v1/reports/${r.id}/reward`, {});
        ctx.msg.show('ok', t('done_propose', { id: rw.id, amount: money(rw.amount_fen) }), ' ',
          h('a', { href: '#/rewards' }, t('nav_rewards')));
      } catch (e) {
        ctx.msg.error(e);
      }
    }));
  }
  if (box.childElementCount === 1) box.append(h('p', { class: 'c-muted' }, t('none')));
  return box;
}
