/*
 * console/audit.js — 审计: the audit log for auditors (GET /api/v1/audit), filtered by action,
 * object, actor and start date, paged by keyset. Reading the log is itself audited by the server.
 * Route: #/audit?action=&object_kind=&object_id=&actor_id=&since=YYYY-MM-DD
 */

import { apiGet } from '../shared/api.js';
import { h, mount } from '../shared/dom.js';
import { beijingDateToMs } from '../shared/i18n.js';
import { field, notice, pager, t, table, when } from './util.js';

const KEYS = ['action', 'object_kind', 'object_id', 'actor_id', 'since'];

export function render(view, route) {
  const q = {};
  for (const k of KEYS) q[k] = route.query.get(k) || '';
  const inputs = {
    action: h('input', { type: 'text', name: 'action', value: q.action, placeholder: 'report.reveal', 'data-testid': 'audit-action' }),
    object_kind: h('input', { type: 'text', name: 'object_kind', value: q.object_kind, placeholder: 'report' }),
    object_id: h('input', { type: 'number', name: 'object_id', min: '1', value: q.object_id }),
    actor_id: h('input', { type: 'number', name: 'actor_id', min: '1', value: q.actor_id }),
    since: h('input', { type: 'date', name: 'since', value: q.since }),
  };
  const form = h('form', { class: 'c-filters', role: 'search' },
    field(t('au_action'), inputs.action).wrap,
    field(t('au_object_kind'), inputs.object_kind).wrap,
    field(t('au_object_id'), inputs.object_id).wrap,
    field(t('au_actor'), inputs.actor_id).wrap,
    field(t('au_since'), inputs.since).wrap,
    h('div', { class: 'c-field c-field-buttons' },
      h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'audit-search' }, t('search')),
      h('a', { href: '#/audit', class: 'c-btn' }, t('reset'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const k of KEYS) if (inputs[k].value.trim()) p.set(k, inputs[k].value.trim());
    const s = p.toString();
    const target = `#/audit${s ? `?${s}` : ''}`;
    if (location.hash === target) pg.reload();
    else location.hash = target;
  });

  const msg = notice();
  const box = h('div', { class: 'c-table-box' });
  const pg = pager(
    (after) => apiGet('/api/v1/audit', {
      action: q.action, object_kind: q.object_kind, object_id: q.object_id, actor_id: q.actor_id,
      since_ms: q.since ? beijingDateToMs(q.since) : '', limit: 50, after,
    }),
    (items) => {
      msg.clear();
      mount(box, auditTable(items));
    },
    (err) => {
      msg.error(err);
      mount(box);
    });
  mount(view, h('h1', {}, t('au_title')), form, msg, box, pg.el);
  pg.reload();
}

function auditTable(items) {
  const rows = items.map((a) => h('tr', { 'data-testid': 'audit-row', 'data-id': String(a.id), class: a.outcome && a.outcome !== 'ok' ? 'c-row-warn' : null },
    h('td', {}, String(a.id)),
    h('td', { class: 'c-nowrap' }, when(a.at)),
    h('td', { class: 'c-nowrap' }, `${a.actor_kind || ''}${a.actor_id !== null && a.actor_id !== undefined ? `:${a.actor_id}` : ''}`),
    h('td', {}, a.org_id === null || a.org_id === undefined ? '—' : `#${a.org_id}`),
    h('td', {}, h('code', {}, a.action || '')),
    h('td', { class: 'c-nowrap' }, objectLink(a.object_kind, a.object_id)),
    h('td', {}, a.outcome || '—'),
    h('td', { class: 'c-break' }, a.detail || '—'),
    h('td', { class: 'c-break c-muted' }, a.request_id || '—')));
  return table([t('col_id'), t('au_at'), t('au_who'), t('au_org'), t('au_action'), t('au_object'),
    t('au_outcome'), t('au_detail'), t('au_request')], rows, { testid: 'audit-table', 'aria-label': t('au_title') });
}

function objectLink(kind, id) {
  if (!kind) return '—';
  const text = `${kind}${id !== null && id !== undefined ? ` #${id}` : ''}`;
  if (kind === 'report' && id) return h('a', { href: `#/reports/${id}` }, text);
  if (kind === 'indicator' && id) return h('a', { href: `#/indicators/${id}` }, text);
  return text;
}
