/*
 * console/indicators.js — 情报: search indicators by kind and value (the server normalizes an
 * exact value first, so any spelling finds it), one indicator's detail with its history and
 * sightings, the analysts' actions (confirm, clear with a reason, extend the expiry; PATCH with
 * the version read), and a form to add one (POST /api/v1/indicators).
 * Routes: #/indicators?kind=&value=&status=&prefix=1 and #/indicators/<id>.
 */

import { apiGet, apiPatch, apiPost } from '../shared/api.js';
import { h, mount } from '../shared/dom.js';
import { beijingDateToMs, todayISODate } from '../shared/i18n.js';
import {
  actionButton, badge, dl, endOfBeijingDay, enumSelect, field, hasRole, label, notice, pager,
  t, table, when,
} from './util.js';

export function render(view, route) {
  if (route.parts[1]) return renderDetail(view, route.parts[1]);
  return renderSearch(view, route.query);
}

/* ---------- search ---------- */

function renderSearch(view, query) {
  const q = {
    kind: query.get('kind') || '',
    value: query.get('value') || '',
    status: query.get('status') || '',
    prefix: query.get('prefix') === '1',
  };
  const kind = enumSelect('kind', q.kind, { withAny: true, name: 'kind', testid: 'ind-kind' });
  const value = h('input', { type: 'search', name: 'value', value: q.value, maxlength: '2048', 'data-testid': 'ind-value' });
  const status = enumSelect('ind_status', q.status, { withAny: true, name: 'status', testid: 'ind-status' });
  const prefix = h('input', { type: 'checkbox', name: 'prefix', id: 'ind-prefix', checked: q.prefix, 'data-testid': 'ind-prefix' });
  const form = h('form', { class: 'c-filters', role: 'search' },
    field(t('i_kind'), kind).wrap,
    field(t('i_value'), value).wrap,
    field(t('i_status'), status).wrap,
    h('div', { class: 'c-field c-field-check' }, prefix, h('label', { for: 'ind-prefix' }, t('i_prefix'))),
    h('div', { class: 'c-field c-field-buttons' },
      h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'ind-search' }, t('search')),
      h('a', { href: '#/indicators', class: 'c-btn' }, t('reset'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    if (kind.value) p.set('kind', kind.value);
    if (value.value.trim()) p.set('value', value.value.trim());
    if (status.value) p.set('status', status.value);
    if (prefix.checked) p.set('prefix', '1');
    const s = p.toString();
    const target = `#/indicators${s ? `?${s}` : ''}`;
    if (location.hash === target) pg.reload();
    else location.hash = target;
  });

  const msg = notice();
  const box = h('div', { class: 'c-table-box' });
  const pg = pager(
    (after) => apiGet('/api/v1/indicators', {
      kind: q.kind, value: q.value, status: q.status, prefix: q.prefix && q.value ? 'true' : '', limit: 50, after,
    }),
    (items) => {
      msg.clear();
      mount(box, indicatorsTable(items));
    },
    (err) => {
      msg.error(err);
      mount(box);
    });
  mount(view, h('h1', {}, t('ind_title')), form, msg, box, pg.el);
  if (hasRole('partner', 'officer', 'analyst')) view.append(addForm());
  pg.reload();
}

function indicatorsTable(items) {
  const rows = items.map((i) => h('tr', { 'data-testid': 'indicator-row', 'data-id': String(i.id) },
    h('td', {}, h('a', { href: `#/indicators/${i.id}` }, `#${i.id}`)),
    h('td', {}, label('kind', i.kind)),
    h('td', { class: 'c-break' }, h('code', {}, i.value)),
    h('td', {}, badge('ind_status', i.status)),
    h('td', {}, label('tlp', i.tlp)),
    h('td', {}, label('fraud_type', i.fraud_type)),
    h('td', { class: 'c-num' }, String(i.score ?? '—')),
    h('td', { class: 'c-num' }, String(i.reports ?? 0)),
    h('td', { class: 'c-num' }, String(i.sightings ?? 0)),
    h('td', { class: 'c-nowrap' }, when(i.last_seen_at)),
    h('td', { class: 'c-nowrap' }, i.expires_at ? when(i.expires_at) : t('never'))));
  return table([t('col_id'), t('i_kind'), t('i_value'), t('i_status'), t('i_tlp'), t('col_fraud_type'),
    t('i_score'), t('i_reports'), t('i_sightings'), t('i_last_seen'), t('i_expires')], rows,
  { testid: 'indicators-table', 'aria-label': t('ind_title') });
}

/* The form that adds (or strengthens) an indicator. Only analysts may create it confirmed. */
function addForm() {
  const msg = notice();
  const kind = enumSelect('kind', 'phone', { name: 'kind', testid: 'add-ind-kind' });
  const value = h('input', { type: 'text', name: 'value', required: true, maxlength: '2048', 'data-testid': 'add-ind-value' });
  const status = enumSelect('ind_status', 'suspected', {
    name: 'status', testid: 'add-ind-status',
    values: hasRole('analyst') ? ['suspected', 'confirmed'] : ['suspected'],
  });
  const tlp = enumSelect('tlp', 'green', { name: 'tlp', testid: 'add-ind-tlp' });
  const ftype = enumSelect('fraud_type', '', { withAny: true, name: 'fraud_type' });
  ftype.options[0].textContent = '—';
  const expires = h('input', { type: 'date', name: 'expires', min: todayISODate() });
  const note = h('input', { type: 'text', name: 'note', maxlength: '1000' });
  const form = h('form', { class: 'c-card c-form', 'aria-labelledby': 'add-ind-h', novalidate: true },
    h('h2', { id: 'add-ind-h' }, t('ind_add')),
    msg,
    h('div', { class: 'c-form-grid' },
      field(t('i_kind'), kind).wrap,
      field(t('i_value'), value).wrap,
      field(t('i_status'), status).wrap,
      field(t('i_tlp'), tlp).wrap,
      field(t('col_fraud_type'), ftype).wrap,
      field(t('i_expires'), expires).wrap,
      field(t('i_note'), note).wrap),
    h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'add-ind-submit' }, t('submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!value.value.trim()) {
      msg.show('error', `${t('i_value')}：${t('field_required')}`);
      value.focus();
      return;
    }
    const body = { kind: kind.value, value: value.value.trim(), status: status.value, tlp: tlp.value };
    if (ftype.value) body.fraud_type = ftype.value;
    if (note.value.trim()) body.note = note.value.trim();
    const exp = endOfBeijingDay(expires.value);
    if (exp !== null) body.expires_ms = exp;
    try {
      const ind = await apiPost('/api/v1/indicators', body);
      msg.show('ok', t('ind_created', { id: ind.id }), ' ', h('a', { href: `#/indicators/${ind.id}` }, `#${ind.id}`));
      value.value = '';
    } catch (err) {
      msg.error(err);
    }
  });
  return form;
}

/* ---------- detail ---------- */

function renderDetail(view, idText) {
  const id = Number.parseInt(idText, 10);
  const msg = notice();
  const body = h('div', { class: 'c-detail' }, h('p', { class: 'c-muted' }, t('loading')));
  mount(view, h('p', {}, h('a', { href: '#/indicators', class: 'c-back' }, `← ${t('ind_title')}`)),
    h('h1', {}, t('ind_n', { id: Number.isFinite(id) ? id : idText })), msg, body);
  if (!Number.isFinite(id) || id < 1) {
    msg.show('error', t('err_not_found'));
    mount(body);
    return;
  }
  const ctx = { id, msg, body };
  msg.onRefresh = () => loadDetail(ctx, null);
  loadDetail(ctx, null);
}

async function loadDetail(ctx, done) {
  let ind;
  try {
    ind = await apiGet(`/api/v1/indicators/${ctx.id}`);
  } catch (err) {
    ctx.msg.error(err);
    mount(ctx.body);
    return;
  }
  if (done) ctx.msg.show('ok', done);
  else ctx.msg.clear();
  const hist = h('div', {}, h('p', { class: 'c-muted' }, t('loading')));
  const sights = h('div', {}, h('p', { class: 'c-muted' }, t('loading')));
  mount(ctx.body,
    h('div', { class: 'c-detail-grid' },
      h('section', { class: 'c-card c-detail-main' },
        h('p', { class: 'c-ind-value' }, h('span', { class: 'c-kind' }, label('kind', ind.kind)), ' ',
          h('code', { 'data-testid': 'indicator-value' }, ind.value)),
        dl([
          [t('i_status'), badge('ind_status', ind.status, 'indicator-status')],
          [t('i_tlp'), label('tlp', ind.tlp)],
          [t('col_fraud_type'), label('fraud_type', ind.fraud_type)],
          [t('i_score'), String(ind.score ?? '—')],
          [t('i_reports'), h('a', { href: `#/reports?kind=${encodeURIComponent(ind.kind)}&value=${encodeURIComponent(ind.value)}` }, String(ind.reports ?? 0))],
          [t('i_sightings'), String(ind.sightings ?? 0)],
          [t('i_source_org'), ind.source_org_id === null || ind.source_org_id === undefined ? '—' : `#${ind.source_org_id}`],
          [t('i_first_seen'), when(ind.first_seen_at)],
          [t('i_last_seen'), when(ind.last_seen_at)],
          [t('i_last_report'), when(ind.last_report_at)],
          [t('i_expires'), ind.expires_at ? when(ind.expires_at) : t('never')],
          [t('i_updated'), when(ind.updated_at)],
          ind.note ? [t('i_note'), ind.note] : null,
          ind.cleared_reason ? [t('i_cleared_reason'), ind.cleared_reason] : null,
        ]),
        h('h2', {}, t('i_history')), hist,
        h('h2', {}, t('i_sightings_list')), sights),
      hasRole('analyst') ? h('section', { class: 'c-card c-detail-side' }, indicatorActions(ctx, ind)) : null));
  apiGet(`/api/v1/indicators/${ctx.id}/history`).then((res) => mount(hist, historyTable(res.items || [])))
    .catch((err) => mount(hist, h('p', { class: 'c-notice c-notice-error' }, err.message)));
  apiGet(`/api/v1/indicators/${ctx.id}/sightings`, { limit: 50 }).then((res) => mount(sights, sightingsTable(res.items || [])))
    .catch((err) => mount(sights, h('p', { class: 'c-notice c-notice-error' }, err.message)));
}

function historyTable(items) {
  return table([t('h_at'), t('h_actor'), t('h_action'), t('h_change'), t('h_reason'), t('h_report')],
    items.map((x) => h('tr', {},
      h('td', { class: 'c-nowrap' }, when(x.at)),
      h('td', {}, x.actor || '—'),
      h('td', {}, x.action || '—'),
      h('td', {}, `${x.from ? label('ind_status', x.from) : '—'} → ${x.to ? label('ind_status', x.to) : '—'}`),
      h('td', {}, x.reason || '—'),
      h('td', {}, x.report_id ? h('a', { href: `#/reports/${x.report_id}` }, `#${x.report_id}`) : '—'))),
    { testid: 'indicator-history' });
}

function sightingsTable(items) {
  return table([t('s_seen'), t('s_org'), t('col_channel'), t('s_count'), t('i_note')],
    items.map((x) => h('tr', {},
      h('td', { class: 'c-nowrap' }, when(x.seen_at || x.at)),
      h('td', {}, x.org_id === null || x.org_id === undefined ? '—' : `#${x.org_id}`),
      h('td', {}, label('channel', x.channel)),
      h('td', { class: 'c-num' }, String(x.count ?? 1)),
      h('td', {}, x.note || '—'))),
    { testid: 'indicator-sightings' });
}

/* Confirm, clear (reason required), extend: PATCH with the version read. */
function indicatorActions(ctx, ind) {
  const patch = (body, done) => async () => {
    try {
      await apiPatch(`/api/v1/indicators/${ind.id}`, { ...body, version: ind.version });
      await loadDetail(ctx, done);
    } catch (err) {
      ctx.msg.error(err);
    }
  };
  const box = h('div', { class: 'c-actions' }, h('h2', {}, t('r_actions')));
  if (ind.status !== 'confirmed') {
    box.append(actionButton(t('act_ind_confirm'), 'action-ind-confirm', patch({ status: 'confirmed' }, t('ind_done')), 'c-btn c-btn-primary'));
  }
  if (ind.status !== 'cleared') {
    const reason = h('textarea', { name: 'reason', rows: '2', maxlength: '1000', 'data-testid': 'clear-reason' });
    box.append(h('div', { class: 'c-action-group' },
      field(t('clear_reason'), reason).wrap,
      actionButton(t('act_ind_clear'), 'action-ind-clear', async () => {
        if (!reason.value.trim()) {
          ctx.msg.show('error', `${t('clear_reason')}：${t('field_required')}`);
          reason.setAttribute('aria-invalid', 'true');
          reason.focus();
          return;
        }
        await patch({ status: 'cleared', reason: reason.value.trim() }, t('ind_done'))();
      }, 'c-btn c-btn-danger')));
  }
  const until = h('input', { type: 'date', name: 'expires', min: todayISODate(), 'data-testid': 'extend-until' });
  const quick = (days) => h('button', {
    type: 'button', class: 'c-btn c-btn-small',
    onclick: () => {
      const base = beijingDateToMs(todayISODate()) + days * 86400000 + 8 * 3600 * 1000;
      until.value = new Date(base).toISOString().slice(0, 10);
    },
  }, `+${days}d`);
  box.append(h('div', { class: 'c-action-group' },
    field(t('extend_until'), until).wrap,
    h('div', { class: 'c-quick' }, quick(30), quick(90), quick(365)),
    actionButton(t('act_ind_extend'), 'action-ind-extend', async () => {
      const ms = endOfBeijingDay(until.value);
      if (ms === null) {
        until.setAttribute('aria-invalid', 'true');
        until.focus();
        return;
      }
      await patch({ expires_ms: ms }, t('ind_done'))();
    })));
  return box;
}
