/*
 * console/dashboard.js — 首页: the period's figures for a district anti-fraud centre's morning.
 * Filters: the period (近 7/30/90 天 or 自定义 from–to, Beijing days) and, for staff who see all
 * organisations, the organisation; both live in the hash (#/dashboard?days=30&org=2,
 * #/dashboard?from=2026-11-01&to=2026-11-29), so a change re-renders the section and a link
 * keeps the view. KPI tiles (reports, newly confirmed indicators, median time to triage), ECharts
 * charts (reports per day by channel, by fraud type, by status, intake verdicts by label and
 * action, newly confirmed indicators per day by kind, the reward budget of the period's year)
 * and the most reported values.
 *
 * Everything but the budget comes from the store's aggregates (GET /stats/dashboard, fetched
 * once per view); the budget is GET /rewards/budget of the year of the period's last day
 * (Beijing time) for the chosen organisation. Each panel gets its data from one function in
 * `dashboardData`, which keeps the shape it returns.
 */

import * as echarts from '/vendor/echarts.esm.min.js';
import { apiGet } from '../shared/api.js';
import { h, mount } from '../shared/dom.js';
import { beijingDateToMs, todayISODate } from '../shared/i18n.js';
import {
  endOfBeijingDay, enumValues, errorText, field, hasRole, label, money, session, t, table,
} from './util.js';

const PERIODS = [7, 30, 90];
const DEFAULT_DAYS = 30;
const MAX_DAYS = 400; /* the endpoint's limit */
const DAY_MS = 86400000;
const BEIJING_MS = 8 * 3600 * 1000;

/* Beijing calendar day "YYYY-MM-DD" of an ISO time or ms. */
function beijingDay(v) {
  return new Date(new Date(v).getTime() + BEIJING_MS).toISOString().slice(0, 10);
}

/* The year of the period's last day (Beijing time): the budget the dashboard shows. */
export function periodYear(f) {
  return Number(beijingDay(f.until_ms - 1).slice(0, 4));
}

/*
 * The filters of a route: { days (7/30/90, or null when custom), from, to ('YYYY-MM-DD'),
 * org (id string or ''), since_ms, until_ms, error (a sentence, or null) }. A custom period
 * runs from 00:00 of `from` to the end of `to`, Beijing time; "the last N days" ends now and
 * starts at 00:00 of the N-th Beijing day back, today included.
 */
export function parseFilters(query) {
  const org = /^[1-9][0-9]{0,17}$/.test(query.get('org') || '') ? query.get('org') : '';
  const from = query.get('from') || '';
  const to = query.get('to') || '';
  if (from || to) {
    const since = beijingDateToMs(from);
    const end = endOfBeijingDay(to);
    let error = null;
    if (since === null || end === null || beijingDateToMs(to) === null) error = t('db_bad_dates');
    else if (end < since) error = t('db_bad_order');
    else if (end - since > MAX_DAYS * DAY_MS) error = t('db_too_long', { n: MAX_DAYS });
    return { days: null, from, to, org, since_ms: since, until_ms: end === null ? null : end + 1, error };
  }
  const n = Number(query.get('days'));
  const days = PERIODS.includes(n) ? n : DEFAULT_DAYS;
  const now = Date.now();
  const today0 = beijingDateToMs(todayISODate());
  const since = today0 - (days - 1) * DAY_MS;
  return { days, from: beijingDay(since), to: beijingDay(now), org, since_ms: since, until_ms: now, error: null };
}

/* The hash of a set of filters. */
export function filtersHash(f) {
  const p = new URLSearchParams();
  if (f.days) p.set('days', String(f.days));
  else {
    p.set('from', f.from);
    p.set('to', f.to);
  }
  if (f.org) p.set('org', f.org);
  return `#/dashboard?${p.toString()}`;
}

/* The store's aggregates for the view's filters (GET /stats/dashboard), fetched once per view:
 * `cache.filters` holds the filters, `cache.stats` the promise every panel reads. */
function aggregates(cache) {
  const f = cache.filters;
  if (!cache.stats) {
    cache.stats = apiGet('/api/v1/stats/dashboard', { since_ms: f.since_ms, until_ms: f.until_ms, org_id: f.org });
  }
  return cache.stats;
}

/* The Beijing days from `since_ms` to `until_ms` (exclusive), oldest first. */
function periodDays(f) {
  const days = [];
  const last = beijingDay(f.until_ms - 1);
  for (let ms = f.since_ms; days.length <= MAX_DAYS; ms += DAY_MS) {
    const d = beijingDay(ms);
    days.push(d);
    if (d >= last) break;
  }
  return days;
}

/* Per-day rows [{day, [key]: k, n}] as one series per key with a count for each of `days`, in
 * the order of the enumeration `key` when it has one. */
function daySeries(days, rows, key) {
  const index = new Map(days.map((d, i) => [d, i]));
  const byKey = new Map();
  for (const r of rows) {
    const i = index.get(r.day);
    if (i === undefined) continue;
    if (!byKey.has(r[key])) byKey.set(r[key], new Array(days.length).fill(0));
    byKey.get(r[key])[i] += r.n;
  }
  const order = enumValues(key);
  return [...byKey.entries()]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    .map(([k, counts]) => ({ key: k, counts }));
}

/*
 * The data behind each panel. Shapes:
 *   kpis         → { reports, confirmed, triage_s (number or null) }
 *   reportsDaily → { days: ['YYYY-MM-DD', …], series: [{ key: channel, counts: [n per day] }], total }
 *   fraudTypes   → { items: [{ key: fraud_type or '', count }], total }
 *   statuses     → { items: [{ key: status, count }], total }
 *   verdicts     → { labels: [label…], series: [{ key: action, counts: [n per label] }], total }
 *   topValues    → { items: [{ kind, value, count }], total }
 *   indicators   → { days, series: [{ key: kind, counts: [n per day] }], items: [{ key: kind, count }], total }
 *   budget       → the answer of GET /rewards/budget ({ year, set, budget_fen, approved_fen, paid_fen, left_fen })
 *                  of periodYear(filters)
 */
export const dashboardData = {
  async kpis(cache) {
    const s = await aggregates(cache);
    return { reports: s.reports, confirmed: s.indicators_confirmed, triage_s: s.median_triage_s };
  },

  async reportsDaily(cache) {
    const stats = await aggregates(cache);
    const days = periodDays(cache.filters);
    const series = daySeries(days, stats.per_day, 'channel');
    return { days, series, total: stats.reports };
  },

  async fraudTypes(cache) {
    const stats = await aggregates(cache);
    return {
      items: stats.by_type.map((x) => ({ key: x.fraud_type || '', count: x.n })),
      total: stats.reports,
    };
  },

  async statuses(cache) {
    const stats = await aggregates(cache);
    const order = enumValues('status');
    return {
      items: stats.by_status.map((x) => ({ key: x.status, count: x.n }))
        .sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key)),
      total: stats.reports,
    };
  },

  async verdicts(cache) {
    const stats = await aggregates(cache);
    const byOrder = (kind) => (a, b) => {
      const o = enumValues(kind);
      const ia = o.indexOf(a) < 0 ? o.length : o.indexOf(a);
      const ib = o.indexOf(b) < 0 ? o.length : o.indexOf(b);
      return ia - ib;
    };
    const labels = [...new Set(stats.verdicts.map((v) => v.label || ''))].sort(byOrder('label'));
    const actions = [...new Set(stats.verdicts.map((v) => v.action || ''))].sort(byOrder('action'));
    const series = actions.map((key) => ({
      key,
      counts: labels.map((l) => stats.verdicts
        .filter((v) => (v.label || '') === l && (v.action || '') === key)
        .reduce((n, v) => n + v.n, 0)),
    }));
    const total = stats.verdicts.reduce((n, v) => n + v.n, 0);
    return { labels, series, total };
  },

  async topValues(cache) {
    const stats = await aggregates(cache);
    const items = stats.top_values.map((x) => ({ kind: x.kind, value: x.value, count: x.n }));
    return { items, total: items.length };
  },

  async indicators(cache) {
    const stats = await aggregates(cache);
    const days = periodDays(cache.filters);
    const items = stats.confirmed_by_kind.map((x) => ({ key: x.kind, count: x.n }));
    const order = items.map((x) => x.key); /* most first, as the store sorts them */
    const series = daySeries(days, stats.confirmed_per_day, 'kind')
      .sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
    return { days, series, items, total: stats.indicators_confirmed };
  },

  budget(cache) {
    return apiGet('/api/v1/rewards/budget', { year: periodYear(cache.filters), org_id: cache.filters.org });
  },
};

/* Category names for the charts: known values by name, anything else stripped of markup. */
function safeName(kind, v) {
  if (!v) return t('unknown');
  return label(kind, v).replace(/[<>&"']/g, '');
}

/* "12 分钟", "3 小时 5 分钟", "不到 1 分钟"; '—' for null (nothing triaged). */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const min = Math.floor(seconds / 60);
  if (min < 1) return t('db_under_minute');
  const hours = Math.floor(min / 60);
  if (hours < 1) return t('db_minutes', { m: min });
  return t('db_hours', { h: hours, m: min % 60 });
}

const PALETTE = ['#1d4ed8', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#334155', '#9333ea', '#0f766e'];
const ACTION_COLOURS = { block: '#b91c1c', warn: '#c2410c', allow: '#15803d' };
const STATUS_COLOURS = { new: '#a16207', triaged: '#1d4ed8', confirmed: '#b91c1c', rejected: '#64748b', duplicate: '#7e22ce' };

const BASE = {
  color: PALETTE,
  textStyle: { fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif' },
  tooltip: { renderMode: 'richText', confine: true },
  animation: false,
};

function optReportsDaily(d) {
  return {
    ...BASE,
    tooltip: { ...BASE.tooltip, trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 40 },
    xAxis: { type: 'category', data: d.days.map((x) => x.slice(5)), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: d.series.map((s) => ({ name: safeName('channel', s.key), type: 'bar', stack: 'all', barMaxWidth: 24, data: s.counts })),
  };
}

function optPie(kind, colours) {
  return (d) => ({
    ...BASE,
    tooltip: { ...BASE.tooltip, trigger: 'item' },
    legend: { type: 'scroll', bottom: 0 },
    series: [{
      type: 'pie',
      radius: ['35%', '65%'],
      center: ['50%', '45%'],
      label: { formatter: '{b}: {c}' },
      data: d.items.map((x) => ({
        name: safeName(kind, x.key),
        value: x.count,
        ...(colours && colours[x.key] ? { itemStyle: { color: colours[x.key] } } : {}),
      })),
    }],
  });
}

function optVerdicts(d) {
  return {
    ...BASE,
    tooltip: { ...BASE.tooltip, trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 72, right: 24, top: 36, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: d.labels.map((l) => safeName('label', l)) },
    series: d.series.map((s) => ({
      name: safeName('action', s.key),
      type: 'bar',
      stack: 'verdicts',
      barMaxWidth: 36,
      itemStyle: ACTION_COLOURS[s.key] ? { color: ACTION_COLOURS[s.key] } : undefined,
      label: { show: true, formatter: (p) => (p.value ? String(p.value) : '') },
      data: s.counts,
    })),
  };
}

/* Stacked bars per day, one series per kind; the legend says each kind's total. */
function optIndicators(d) {
  const totals = new Map(d.items.map((x) => [x.key, x.count]));
  return {
    ...BASE,
    color: ['#b91c1c', '#1d4ed8', '#c2410c', '#15803d', '#7e22ce', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#334155', '#9333ea', '#0f766e'],
    tooltip: { ...BASE.tooltip, trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 40 },
    xAxis: { type: 'category', data: d.days.map((x) => x.slice(5)), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: d.series.map((s) => ({
      name: `${safeName('kind', s.key)} (${totals.get(s.key) || 0})`,
      type: 'bar',
      stack: 'all',
      barMaxWidth: 24,
      data: s.counts,
    })),
  };
}

/* Yuan as a plain number for the chart's scale; the labels use money() (integer formatting). */
function optBudget(b) {
  const used = b.approved_fen + b.paid_fen;
  const parts = [
    { name: t('rw_budget_paid'), fen: b.paid_fen },
    { name: t('rw_budget_approved'), fen: b.approved_fen },
    { name: t('rw_budget_left'), fen: b.left_fen },
  ];
  return {
    ...BASE,
    color: ['#15803d', '#c2410c', '#94a3b8'],
    tooltip: { ...BASE.tooltip, trigger: 'item', formatter: (p) => `${p.name}: ${money(parts[p.dataIndex].fen)}` },
    legend: { bottom: 0 },
    title: {
      text: money(b.budget_fen),
      subtext: b.set ? t('db_used', { amount: money(used) }) : t('db_unset'),
      left: 'center',
      top: '38%',
      textStyle: { fontSize: 16 },
    },
    series: [{
      type: 'pie',
      radius: ['45%', '65%'],
      center: ['50%', '45%'],
      stillShowZeroSum: false, /* no budget and nothing approved: no ring of three equal slices */
      label: { formatter: (p) => `${p.name}\n${money(parts[p.dataIndex].fen)}` },
      data: parts.map((x) => ({
        name: x.name,
        value: Math.max(0, x.fen),
        label: { show: x.fen > 0 },
        labelLine: { show: x.fen > 0 },
      })),
    }],
  };
}

const CHARTS = [
  { name: 'reports-daily', title: () => t('db_per_day'), load: (c) => dashboardData.reportsDaily(c), option: optReportsDaily, wide: true },
  { name: 'indicators', title: () => t('db_indicators'), load: (c) => dashboardData.indicators(c), option: optIndicators, wide: true },
  { name: 'fraud-types', title: () => t('db_by_type'), load: (c) => dashboardData.fraudTypes(c), option: optPie('fraud_type') },
  { name: 'statuses', title: () => t('db_by_status'), load: (c) => dashboardData.statuses(c), option: optPie('status', STATUS_COLOURS) },
  { name: 'verdicts', title: () => t('db_verdicts'), load: (c) => dashboardData.verdicts(c), option: optVerdicts },
  {
    name: 'budget',
    title: (f) => t('db_budget', { year: periodYear(f) }),
    load: (c) => dashboardData.budget(c),
    option: optBudget,
    roles: ['analyst', 'auditor', 'admin'],
  },
];

function isEmpty(name, d) {
  if (name === 'budget') return false;
  return !d.total;
}

function footnote(c, d) {
  if (c.name === 'budget') return t('db_budget_year');
  return t('db_total', { n: d.total });
}

/* The period and organisation filters; a change sets the hash (app.js re-renders the view). */
function filterBar(f) {
  const period = h('select', { name: 'period', 'data-testid': 'dash-period' },
    PERIODS.map((n) => h('option', { value: String(n), selected: f.days === n }, t('db_last_days', { n }))),
    h('option', { value: 'custom', selected: !f.days }, t('db_custom')));
  const from = h('input', { type: 'date', name: 'from', value: f.from, max: todayISODate(), 'data-testid': 'dash-from' });
  const to = h('input', { type: 'date', name: 'to', value: f.to, max: todayISODate(), 'data-testid': 'dash-to' });
  const apply = h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'dash-apply' }, t('db_apply'));
  const custom = h('div', { class: 'c-dash-custom', hidden: !!f.days },
    field(t('db_from'), from).wrap, field(t('db_to'), to).wrap,
    h('div', { class: 'c-field c-field-buttons' }, apply));
  const form = h('form', { class: 'c-filters c-dash-filters', role: 'search', 'aria-label': t('db_filters'), 'data-testid': 'dash-filters' },
    field(t('db_period'), period).wrap, custom);

  let org = null;
  if (session.user && session.user.all_orgs && hasRole('analyst', 'auditor', 'admin')) {
    org = h('select', { name: 'org', 'data-testid': 'dash-org' },
      h('option', { value: '', selected: !f.org }, t('db_all_orgs')));
    if (f.org) org.append(h('option', { value: f.org, selected: true }, `#${f.org}`));
    form.append(field(t('db_org'), org).wrap);
    apiGet('/api/v1/orgs').then((res) => {
      if (!org.isConnected) return;
      const items = res.items || [];
      org.replaceChildren(h('option', { value: '', selected: !f.org }, t('db_all_orgs')),
        ...items.map((o) => h('option', { value: String(o.id), selected: String(o.id) === f.org }, o.name)));
      if (f.org && !items.some((o) => String(o.id) === f.org)) {
        org.append(h('option', { value: f.org, selected: true }, `#${f.org}`));
      }
    }).catch(() => { /* the filter keeps "all" and the id in the hash; the panels report errors */ });
  }

  const go = (next) => {
    const target = filtersHash(next);
    if (location.hash !== target) location.hash = target;
  };
  period.addEventListener('change', () => {
    if (period.value === 'custom') {
      custom.hidden = false;
      from.focus();
      return;
    }
    go({ days: Number(period.value), org: org ? org.value : f.org });
  });
  if (org) {
    org.addEventListener('change', () => go({ ...f, org: org.value }));
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (period.value !== 'custom') {
      go({ days: Number(period.value), org: org ? org.value : f.org });
      return;
    }
    go({ days: null, from: from.value, to: to.value, org: org ? org.value : f.org });
  });
  return form;
}

function kpiTile(testid, text, note) {
  const value = h('span', { class: 'c-kpi-value', 'data-testid': testid }, '…');
  const tile = h('div', { class: 'c-kpi' }, h('span', { class: 'c-kpi-label' }, text), value,
    note ? h('span', { class: 'c-kpi-note c-muted' }, note) : null);
  return { tile, value };
}

function kpiRow(cache, f) {
  const period = f.days ? t('db_last_days', { n: f.days }) : `${f.from} – ${f.to}`;
  const reports = kpiTile('kpi-reports', t('db_kpi_reports'), period);
  const confirmed = kpiTile('kpi-confirmed', t('db_kpi_confirmed'), period);
  const triage = kpiTile('kpi-triage', t('db_kpi_triage'), t('db_kpi_triage_note'));
  const row = h('div', { class: 'c-kpis', 'data-testid': 'dash-kpis' }, reports.tile, confirmed.tile, triage.tile);
  dashboardData.kpis(cache).then((k) => {
    reports.value.textContent = String(k.reports);
    confirmed.value.textContent = String(k.confirmed);
    triage.value.textContent = formatDuration(k.triage_s);
  }).catch((err) => {
    const text = err && err.status === 403 ? t('db_no_access') : errorText(err);
    for (const x of [reports, confirmed, triage]) x.value.textContent = '—';
    row.append(h('p', { class: 'c-chart-note c-notice-error', role: 'alert' }, text));
  });
  return row;
}

/* The values reported most in the period: kind, value (a link to its indicator search), count. */
function topValuesCard(cache) {
  const box = h('div', { 'data-testid': 'dash-top-values' }, h('p', { class: 'c-muted' }, t('loading')));
  dashboardData.topValues(cache).then((d) => {
    if (!box.isConnected) return;
    const rows = d.items.map((x) => {
      const q = new URLSearchParams({ kind: x.kind, value: x.value });
      return h('tr', { 'data-testid': 'top-value-row' },
        h('td', {}, label('kind', x.kind)),
        h('td', { class: 'c-break' }, h('a', { href: `#/indicators?${q.toString()}` }, h('code', {}, x.value))),
        h('td', { class: 'c-num' }, String(x.count)));
    });
    mount(box, table([t('i_kind'), t('i_value'), t('db_times')], rows, { 'aria-label': t('db_top_values') }));
  }).catch((err) => {
    mount(box, h('p', { class: 'c-chart-note c-notice-error' }, err && err.status === 403 ? t('db_no_access') : errorText(err)));
  });
  return h('section', { class: ['c-card', 'c-dash-card', 'c-dash-top'] },
    h('h2', {}, t('db_top_values')), box,
    h('p', { class: 'c-chart-note c-muted' }, t('db_top_values_note')));
}

export function render(view, route) {
  const f = parseFilters(route.query);
  const charts = [];
  const cache = { filters: f };
  const grid = h('div', { class: 'c-dash-grid' });
  mount(view, h('h1', {}, t('db_title')), filterBar(f));
  if (f.error) {
    view.append(h('p', { class: 'c-notice c-notice-error', role: 'alert', 'data-testid': 'dash-error' }, f.error));
    return undefined;
  }
  view.append(kpiRow(cache, f), grid);
  for (const c of CHARTS) {
    const box = h('div', { class: 'c-chart', 'data-testid': `chart-${c.name}`, role: 'img', 'aria-label': c.title(f) });
    const note = h('p', { class: 'c-chart-note c-muted' }, t('loading'));
    grid.append(h('section', { class: ['c-card', 'c-dash-card', c.wide && 'c-dash-wide'] },
      h('h2', {}, c.title(f)), box, note));
    if (c.roles && !hasRole(...c.roles)) {
      note.textContent = t('db_no_access');
      box.classList.add('c-chart-empty');
      continue;
    }
    c.load(cache).then((d) => {
      if (!box.isConnected) return;
      note.textContent = isEmpty(c.name, d) ? t('db_no_data') : footnote(c, d);
      const chart = echarts.init(box, null, { renderer: 'canvas' });
      charts.push(chart);
      chart.setOption(c.option(d));
    }).catch((err) => {
      note.textContent = err && err.status === 403 ? t('db_no_access') : errorText(err);
      note.classList.add('c-notice-error');
    });
  }
  grid.append(topValuesCard(cache));
  const onResize = () => {
    for (const ch of charts) ch.resize();
  };
  window.addEventListener('resize', onResize);
  return () => {
    window.removeEventListener('resize', onResize);
    for (const ch of charts) ch.dispose();
  };
}
