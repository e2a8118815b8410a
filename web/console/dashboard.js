/*
 * console/dashboard.js — 首页: ECharts charts of the last 30 days' reports (per day by channel,
 * by fraud type), the confirmed indicators (by kind) and the year's reward budget.
 *
 * The report charts come from the store's aggregates (GET /stats/dashboard). NEEDSWORK: the
 * confirmed indicators are still counted here from the list endpoint, capped at MAX_ROWS rows
 * (the chart says so when the cap cut it short). Each chart gets its data from one function in
 * `dashboardData`, which keeps the shape it returns.
 */

import * as echarts from '/vendor/echarts.esm.min.js';
import { apiGet } from '../shared/api.js';
import { h, mount } from '../shared/dom.js';
import { beijingYear, enumValues, errorText, hasRole, label, money, t } from './util.js';

const DAYS = 30;
const MAX_ROWS = 2000;
const PAGE = 200;
const DAY_MS = 86400000;
const BEIJING_MS = 8 * 3600 * 1000;

/* Beijing calendar day "YYYY-MM-DD" of an ISO time or ms. */
function beijingDay(v) {
  return new Date(new Date(v).getTime() + BEIJING_MS).toISOString().slice(0, 10);
}

/* Pages through a list endpoint until `max` rows or the last page. */
async function collect(path, params, max) {
  const items = [];
  let after = null;
  for (;;) {
    const res = await apiGet(path, { ...params, limit: PAGE, after });
    items.push(...(res.items || []));
    after = res.next_after ?? null;
    if (after === null) return { items, truncated: false };
    if (items.length >= max) return { items: items.slice(0, max), truncated: true };
  }
}

/* The store's aggregates of the last DAYS days (GET /stats/dashboard), fetched once per
 * dashboard: both report charts read them. */
function aggregates(cache) {
  if (!cache.stats) cache.stats = apiGet('/api/v1/stats/dashboard', { since_ms: Date.now() - DAYS * DAY_MS });
  return cache.stats;
}

/*
 * The data behind each chart. Shapes:
 *   reportsDaily → { days: ['YYYY-MM-DD', …], series: [{ key: channel, counts: [n per day] }], total, truncated }
 *   fraudTypes   → { items: [{ key: fraud_type or '', count }], total, truncated }
 *   indicators   → { items: [{ key: kind, count }], total, truncated }
 *   budget       → the answer of GET /rewards/budget ({ year, set, budget_fen, approved_fen, paid_fen, left_fen })
 */
export const dashboardData = {
  async reportsDaily(cache) {
    const stats = await aggregates(cache);
    const today = Date.now();
    const days = [];
    for (let i = DAYS - 1; i >= 0; i -= 1) days.push(beijingDay(today - i * DAY_MS));
    const index = new Map(days.map((d, i) => [d, i]));
    const byChannel = new Map();
    for (const r of stats.per_day) {
      const i = index.get(r.day);
      if (i === undefined) continue;
      if (!byChannel.has(r.channel)) byChannel.set(r.channel, new Array(days.length).fill(0));
      byChannel.get(r.channel)[i] += r.n;
    }
    const order = enumValues('channel');
    const series = [...byChannel.entries()]
      .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
      .map(([key, counts]) => ({ key, counts }));
    return { days, series, total: stats.reports, truncated: false };
  },

  async fraudTypes(cache) {
    const stats = await aggregates(cache);
    return {
      items: stats.by_type.map((x) => ({ key: x.fraud_type || '', count: x.n })),
      total: stats.reports,
      truncated: false,
    };
  },

  async indicators() {
    const { items, truncated } = await collect('/api/v1/indicators', { status: 'confirmed' }, MAX_ROWS);
    const counts = new Map();
    for (const i of items) counts.set(i.kind, (counts.get(i.kind) || 0) + 1);
    return {
      items: [...counts.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count),
      total: items.length,
      truncated,
    };
  },

  budget() {
    return apiGet('/api/v1/rewards/budget', { year: beijingYear() });
  },
};

/* Category names for the charts: known values by name, anything else stripped of markup. */
function safeName(kind, v) {
  if (!v) return t('unknown');
  return label(kind, v).replace(/[<>&"']/g, '');
}

const PALETTE = ['#1d4ed8', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#334155', '#9333ea', '#0f766e'];

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

function optFraudTypes(d) {
  return {
    ...BASE,
    tooltip: { ...BASE.tooltip, trigger: 'item' },
    legend: { type: 'scroll', bottom: 0 },
    series: [{
      type: 'pie',
      radius: ['35%', '65%'],
      center: ['50%', '45%'],
      label: { formatter: '{b}: {c}' },
      data: d.items.map((x) => ({ name: safeName('fraud_type', x.key), value: x.count })),
    }],
  };
}

function optIndicators(d) {
  return {
    ...BASE,
    tooltip: { ...BASE.tooltip, trigger: 'axis' },
    grid: { left: 90, right: 24, top: 16, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: d.items.map((x) => safeName('kind', x.key)) },
    series: [{ type: 'bar', barMaxWidth: 28, data: d.items.map((x) => x.count), label: { show: true, position: 'right' } }],
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
      label: { formatter: (p) => `${p.name}\n${money(parts[p.dataIndex].fen)}` },
      data: parts.map((x) => ({ name: x.name, value: Math.max(0, x.fen) })),
    }],
  };
}

const CHARTS = [
  { name: 'reports-daily', title: () => t('db_reports_daily'), load: (c) => dashboardData.reportsDaily(c), option: optReportsDaily, wide: true },
  { name: 'fraud-types', title: () => t('db_fraud_types'), load: (c) => dashboardData.fraudTypes(c), option: optFraudTypes },
  { name: 'indicators', title: () => t('db_indicators'), load: () => dashboardData.indicators(), option: optIndicators },
  {
    name: 'budget',
    title: () => t('db_budget', { year: beijingYear() }),
    load: () => dashboardData.budget(),
    option: optBudget,
    roles: ['analyst', 'auditor', 'admin'],
  },
];

function isEmpty(name, d) {
  if (name === 'budget') return false;
  return !d.total;
}

function footnote(name, d) {
  if (name === 'budget') return '';
  const n = t('db_total', { n: d.total });
  return d.truncated ? `${n} · ${t('db_truncated', { n: MAX_ROWS })}` : n;
}

export function render(view) {
  const charts = [];
  const cache = {};
  const grid = h('div', { class: 'c-dash-grid' });
  mount(view, h('h1', {}, t('db_title')), grid);
  for (const c of CHARTS) {
    const box = h('div', { class: 'c-chart', 'data-testid': `chart-${c.name}`, role: 'img', 'aria-label': c.title() });
    const note = h('p', { class: 'c-chart-note c-muted' }, t('loading'));
    grid.append(h('section', { class: ['c-card', 'c-dash-card', c.wide && 'c-dash-wide'] },
      h('h2', {}, c.title()), box, note));
    if (c.roles && !hasRole(...c.roles)) {
      note.textContent = t('db_no_access');
      box.classList.add('c-chart-empty');
      continue;
    }
    c.load(cache).then((d) => {
      if (!box.isConnected) return;
      if (isEmpty(c.name, d)) {
        note.textContent = t('db_no_data');
      } else {
        note.textContent = footnote(c.name, d);
      }
      const chart = echarts.init(box, null, { renderer: 'canvas' });
      charts.push(chart);
      chart.setOption(c.option(d));
    }).catch((err) => {
      note.textContent = err && err.status === 403 ? t('db_no_access') : errorText(err);
      note.classList.add('c-notice-error');
    });
  }
  const onResize = () => {
    for (const ch of charts) ch.resize();
  };
  window.addEventListener('resize', onResize);
  return () => {
    window.removeEventListener('resize', onResize);
    for (const ch of charts) ch.dispose();
  };
}
