/*
 * console/rewards.js — 奖励: the year's budget (budget / approved / paid / left), the rewards list
 * with their actions (approve by a second person, pay with a payment reference, cancel with a
 * reason; each with the version read), proposing a reward for a confirmed report, and the
 * ledger CSV download. Money arrives as integer fen and is shown with util.money() (integer
 * arithmetic); amounts typed in yuan are parsed with shared/money.js parseYuan (no floats).
 * Route: #/rewards?status=&year=
 */

import { apiGet, apiPost, apiPut } from '../shared/api.js';
import { h, mount } from '../shared/dom.js';
import { parseYuan } from '../shared/money.js';
import {
  actionButton, badge, beijingYear, enumSelect, field, hasRole, money, notice, pager, t, table, when,
} from './util.js';

export function render(view, route) {
  const thisYear = beijingYear();
  const y = Number.parseInt(route.query.get('year') || '', 10);
  const year = Number.isInteger(y) && y >= 2000 && y <= 9999 ? y : thisYear;
  const statusQ = route.query.get('status') || '';

  const msg = notice();
  const budgetBox = h('section', { class: 'c-card', 'aria-labelledby': 'rw-budget-h' });
  const listBox = h('div', { class: 'c-table-box' });
  const formBox = h('div', { class: 'c-inline-form', hidden: true });

  const yearSel = h('select', { name: 'year', 'data-testid': 'rewards-year' },
    [thisYear + 1, thisYear, thisYear - 1, thisYear - 2].map((v) => h('option', { value: String(v), selected: v === year }, String(v))));
  const status = enumSelect('reward_status', statusQ, { withAny: true, name: 'status', testid: 'rewards-status' });
  const filters = h('form', { class: 'c-filters', role: 'search' },
    field(t('rw_year'), yearSel).wrap,
    field(t('rw_col_status'), status).wrap,
    h('div', { class: 'c-field c-field-buttons' },
      h('button', { type: 'submit', class: 'c-btn c-btn-primary' }, t('search')),
      hasRole('auditor', 'admin')
        ? h('a', { class: 'c-btn', 'data-testid': 'rewards-ledger', href: `/api/v1/rewards/ledger.csv?year=${year}`, download: `fangzha-ledger-${year}.csv` }, t('rw_ledger'))
        : null,
      hasRole('auditor', 'admin')
        ? h('a', { class: 'c-btn', 'data-testid': 'rewards-ledger-xlsx', href: `/api/v1/rewards/ledger.xlsx?year=${year}`, download: `fangzha-ledger-${year}.xlsx` }, t('rw_ledger_xlsx'))
        : null));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    if (yearSel.value !== String(thisYear)) p.set('year', yearSel.value);
    if (status.value) p.set('status', status.value);
    const s = p.toString();
    const target = `#/rewards${s ? `?${s}` : ''}`;
    if (location.hash === target) refreshAll();
    else location.hash = target;
  });

  const ctx = { msg, formBox, reload: null };
  const pg = pager(
    (after) => apiGet('/api/v1/rewards', { status: statusQ, year, limit: 50, after }),
    (items) => mount(listBox, rewardsTable(items, ctx)),
    (err) => {
      msg.error(err);
      mount(listBox);
    });
  async function refreshAll() {
    loadBudget(budgetBox, year, msg);
    await pg.refresh();
  }
  ctx.reload = refreshAll;
  msg.onRefresh = () => {
    msg.clear();
    refreshAll();
  };

  mount(view,
    h('h1', {}, t('rw_title')),
    msg,
    budgetBox,
    filters,
    listBox,
    pg.el,
    formBox,
    hasRole('analyst') ? proposeForm(ctx) : null);
  loadBudget(budgetBox, year, msg);
  pg.reload();
}

async function loadBudget(box, year, msg) {
  mount(box, h('h2', { id: 'rw-budget-h' }, t('rw_budget', { year })), h('p', { class: 'c-muted' }, t('loading')));
  let b;
  try {
    b = await apiGet('/api/v1/rewards/budget', { year });
  } catch (err) {
    mount(box, h('h2', { id: 'rw-budget-h' }, t('rw_budget', { year })), h('p', { class: 'c-notice c-notice-error' }, err.message));
    return;
  }
  const stat = (k, v, testid) => h('div', { class: 'c-stat' }, h('span', { class: 'c-stat-label' }, t(k)),
    h('span', { class: 'c-stat-value', 'data-testid': testid }, money(v)));
  mount(box,
    h('h2', { id: 'rw-budget-h' }, t('rw_budget', { year })),
    b.set ? null : h('p', { class: 'c-notice c-notice-info' }, t('rw_budget_unset')),
    h('div', { class: 'c-stats', 'data-testid': 'rewards-budget' },
      stat('rw_budget_total', b.budget_fen, 'budget-total'),
      stat('rw_budget_approved', b.approved_fen, 'budget-approved'),
      stat('rw_budget_paid', b.paid_fen, 'budget-paid'),
      stat('rw_budget_left', b.left_fen, 'budget-left')),
    hasRole('admin') ? budgetForm(year, b, () => loadBudget(box, year, msg), msg) : null);
}

/* Admins set the year's budget (never below what is approved or paid; the server checks). */
function budgetForm(year, b, done, msg) {
  const amount = h('input', { type: 'text', inputmode: 'decimal', name: 'amount', 'data-testid': 'budget-amount', placeholder: '100000.00' });
  const form = h('form', { class: 'c-inline' },
    field(t('rw_set_budget'), amount).wrap,
    h('button', { type: 'submit', class: 'c-btn' }, t('submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const p = parseYuan(amount.value);
    if (!p.ok) {
      amount.setAttribute('aria-invalid', 'true');
      amount.focus();
      return;
    }
    amount.removeAttribute('aria-invalid');
    try {
      await apiPut(`/api/v1/rewards/budget/${year}`, { amount_fen: p.fen, org_id: b.org_id });
      msg.show('ok', t('ad_done'));
      done();
    } catch (err) {
      msg.error(err);
    }
  });
  return form;
}

function rewardsTable(items, ctx) {
  const rows = items.map((r) => h('tr', { 'data-testid': 'reward-row', 'data-id': String(r.id), 'data-status': r.status },
    h('td', {}, `#${r.id}`),
    h('td', {}, h('a', { href: `#/reports/${r.report_id}` }, `#${r.report_id}`)),
    h('td', { class: 'c-num' }, money(r.amount_fen), r.by_rule ? h('small', { class: 'c-muted' }, ` (${t('by_rule')})`) : null),
    h('td', {}, badge('reward_status', r.status, 'reward-status')),
    h('td', { class: 'c-nowrap' }, who(r.proposed_by, r.proposed_at), r.basis ? h('div', { class: 'c-muted' }, r.basis) : null),
    h('td', { class: 'c-nowrap' }, who(r.approved_by, r.approved_at)),
    h('td', { class: 'c-nowrap' }, who(r.paid_by, r.paid_at), r.payment_ref ? h('div', {}, h('code', {}, r.payment_ref)) : null,
      r.cancel_reason ? h('div', { class: 'c-muted' }, r.cancel_reason) : null),
    h('td', { class: 'c-row-actions' }, rowActions(r, ctx))));
  return table([t('col_id'), t('rw_col_report'), t('rw_col_amount'), t('rw_col_status'), t('rw_col_proposed'),
    t('rw_col_approved'), t('rw_col_paid'), t('rw_col_actions')], rows, { testid: 'rewards-table', 'aria-label': t('rw_title') });
}

function who(actor, at) {
  if (!actor && !at) return '—';
  return `${actor || ''} ${at ? when(at) : ''}`.trim();
}

function rowActions(r, ctx) {
  const out = [];
  const act = (path, body) => async () => {
    try {
      const res = await apiPost(`/api/v1/rewards/${r.id}/${path}`, body);
      ctx.formBox.hidden = true;
      await ctx.reload();
      ctx.msg.show('ok', t('rw_done', { id: res && res.id ? res.id : r.id }));
    } catch (err) {
      ctx.msg.error(err);
    }
  };
  if (r.status === 'proposed' && hasRole('analyst', 'admin')) {
    out.push(actionButton(t('act_approve'), 'action-approve', act('approve', { version: r.version }), 'c-btn c-btn-small c-btn-primary'));
  }
  if (r.status === 'approved' && hasRole('admin')) {
    out.push(h('button', {
      type: 'button', class: 'c-btn c-btn-small c-btn-primary', 'data-testid': 'action-pay',
      onclick: () => openForm(ctx, t('act_pay'), r, t('payment_ref'), 'pay-ref', { maxlength: '64', pattern: '[A-Za-z0-9\\-_./:#]{1,64}' },
        (v) => act('pay', { version: r.version, payment_ref: v })()),
    }, t('act_pay')));
  }
  if ((r.status === 'proposed' || r.status === 'approved') && hasRole('analyst', 'admin')) {
    out.push(h('button', {
      type: 'button', class: 'c-btn c-btn-small', 'data-testid': 'action-cancel',
      onclick: () => openForm(ctx, t('act_cancel'), r, t('cancel_reason'), 'cancel-reason', { maxlength: '1000' },
        (v) => act('cancel', { version: r.version, reason: v })()),
    }, t('act_cancel')));
  }
  return out.length ? out : '—';
}

/* A small form under the table asking for the one value an action needs. */
function openForm(ctx, title, r, fieldLabel, testid, attrs, submit) {
  const input = h('input', { type: 'text', required: true, 'data-testid': testid, ...attrs });
  const form = h('form', { class: 'c-card c-inline', 'aria-label': `${title} #${r.id}`, novalidate: true },
    h('strong', {}, `${title} #${r.id} (${money(r.amount_fen)})`),
    field(fieldLabel, input).wrap,
    h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': `${testid}-submit` }, t('submit')),
    h('button', { type: 'button', class: 'c-btn', onclick: () => { ctx.formBox.hidden = true; } }, t('cancel')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = input.value.trim();
    if (!v || (input.pattern && !new RegExp(`^(?:${input.pattern})$`).test(v))) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    await submit(v);
  });
  mount(ctx.formBox, form);
  ctx.formBox.hidden = false;
  input.focus();
}

/* Analysts propose a reward for a confirmed report: by rule, or by hand with a basis. */
function proposeForm(ctx) {
  const msg = notice();
  const reportId = h('input', { type: 'number', min: '1', step: '1', inputmode: 'numeric', required: true, 'data-testid': 'propose-report' });
  const amount = h('input', { type: 'text', inputmode: 'decimal', 'data-testid': 'propose-amount' });
  const basis = h('input', { type: 'text', maxlength: '1000', 'data-testid': 'propose-basis' });
  const form = h('form', { class: 'c-card c-form', 'aria-labelledby': 'rw-propose-h', novalidate: true },
    h('h2', { id: 'rw-propose-h' }, t('rw_propose_title')),
    msg,
    h('div', { class: 'c-form-grid' },
      field(t('rw_report_id'), reportId).wrap,
      field(t('rw_amount'), amount).wrap,
      field(t('rw_basis'), basis).wrap),
    h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'action-propose' }, t('act_propose')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const id = Number.parseInt(reportId.value, 10);
    if (!Number.isInteger(id) || id < 1) {
      msg.show('error', `${t('rw_report_id')}：${t('field_required')}`);
      reportId.focus();
      return;
    }
    const body = {};
    if (amount.value.trim()) {
      const p = parseYuan(amount.value);
      if (!p.ok || p.fen < 1) {
        msg.show('error', t('err_invalid', { msg: t('rw_amount') }));
        amount.focus();
        return;
      }
      body.amount_fen = p.fen;
      if (basis.value.trim()) body.basis = basis.value.trim();
    }
    try {
      const rw = await apiPost(`/api/v1/reports/${id}/reward`, body);
      msg.show('ok', t('done_propose', { id: rw.id, amount: money(rw.amount_fen) }));
      reportId.value = '';
      amount.value = '';
      basis.value = '';
      await ctx.reload();
    } catch (err) {
      msg.error(err);
    }
  });
  return form;
}
