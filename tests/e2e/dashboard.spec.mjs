// The dashboard (首页): residents' reports seeded through the API (one triaged, one rejected, one
// confirmed by the analyst), then the analyst opens the console: every chart draws on a canvas,
// the KPI tiles show numbers, the most reported values link to their indicator search; the
// period (7 days), a custom period and the organisation change the hash and the charts are drawn
// again; the newly confirmed indicators come from the store's aggregate (no indicator list is
// read), and the budget follows the year of the period. Screenshots: dashboard-full (the
// default view), dashboard-7days, dashboard-org, dashboard-lastyear.
const CHARTS = ['reports-daily', 'indicators', 'fraud-types', 'statuses', 'verdicts', 'budget'];

async function login(t, page, who) {
  const [name, password] = t.users[who];
  await page.goto(t.base + '/console/', { waitUntil: 'networkidle' });
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

/* The headers of a staff session made through the API. */
async function session(t, who) {
  const [name, password] = t.users[who];
  const res = await t.api('POST', '/api/v1/auth/login', { name, password });
  return { Cookie: (res.headers.get('set-cookie') || '').split(';')[0], 'X-CSRF-Token': res.json.csrf_token };
}

/* Waits until every chart has a canvas and every KPI tile a figure (or, with `empty`, the
 * period's: '—' for the time to triage). */
async function drawn(page, empty = false) {
  for (const c of CHARTS) await page.locator(`[data-testid="chart-${c}"] canvas`).first().waitFor();
  await page.waitForFunction((e) => ['kpi-reports', 'kpi-confirmed', 'kpi-triage'].every((id) =>
    (e ? /\d|—/ : /\d/).test(document.querySelector(`[data-testid="${id}"]`)?.textContent || '')), empty);
}

async function kpis(page) {
  const out = {};
  for (const id of ['kpi-reports', 'kpi-confirmed', 'kpi-triage']) out[id] = (await page.getByTestId(id).textContent()).trim();
  return out;
}

export default async function (t) {
  // residents report: two from the same number, so it tops the list of reported values
  const texts = [
    ['sms', '【退款通知】您的快递丢失，客服将双倍理赔，请加QQ 2837461 领取，电话 17055512345'],
    ['call', '自称公安局民警，说我涉嫌洗钱，要把存款转入安全账户，来电 17055512345'],
    ['chat', '兼职刷单，先垫付后返佣，日结三百，加微信 shua_demo_88'],
  ];
  const ids = [];
  for (const [channel, text] of texts) {
    const r = await t.api('POST', '/api/v1/reports', { channel, text, loss_fen: 300000 });
    t.check(r.status === 201, `a resident's report (${r.status})`);
    ids.push(r.json.id);
  }
  // the analyst triages all three, confirms the first and rejects the third
  const an = await session(t, 'analyst');
  for (const id of ids) {
    const r = await t.api('POST', `/api/v1/reports/${id}/triage`, { version: 1 }, an);
    t.check(r.status === 200, `report ${id} triaged (${r.status})`);
  }
  const c = await t.api('POST', `/api/v1/reports/${ids[0]}/confirm`, { version: 2 }, an);
  t.check(c.status === 200, `report ${ids[0]} confirmed (${c.status})`);
  const j = await t.api('POST', `/api/v1/reports/${ids[2]}/reject`, { version: 2, reason: '测试：信息不足' }, an);
  t.check(j.status === 200, `report ${ids[2]} rejected (${j.status})`);

  const page = await t.page({ viewport: { width: 1280, height: 900 } });
  const lists = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/api/v1/indicators') lists.push(req.url());
  });
  await login(t, page, 'analyst');
  await page.goto(t.base + '/console/#/dashboard', { waitUntil: 'networkidle' });
  await drawn(page);
  const k30 = await kpis(page);
  t.check(Number(k30['kpi-reports']) >= 3, `the reports tile counts the seeded reports (${k30['kpi-reports']})`);
  t.check(/^\d+$/.test(k30['kpi-confirmed']), `the confirmed tile is a number (${k30['kpi-confirmed']})`);
  t.check(/分钟/.test(k30['kpi-triage']), `the triage tile is in minutes or hours (${k30['kpi-triage']})`);
  t.check(await page.getByTestId('dash-period').inputValue() === '30', 'the default period is 30 days');
  t.check(await page.getByTestId('dash-org').isVisible(), 'a centre analyst has the organisation filter');
  // the most reported values: the number reported twice, linking to its indicator search
  await page.locator('[data-testid="dash-top-values"] [data-testid="top-value-row"]').first().waitFor();
  const top = page.locator('[data-testid="top-value-row"]').filter({ hasText: '+8617055512345' });
  t.check(await top.count() === 1, 'the twice-reported number is among the top values');
  const href = await top.locator('a').getAttribute('href');
  t.check(href === '#/indicators?kind=phone&value=%2B8617055512345', `it links to its indicator search (${href})`);
  // newly confirmed indicators: the store's count by kind and day, the same figure as the tile
  const stats = await t.api('GET', '/api/v1/stats/dashboard', undefined, an);
  t.check(stats.status === 200 && stats.json.confirmed_by_kind.length >= 1 &&
    stats.json.confirmed_per_day.length >= 1, `the aggregate has confirmed_by_kind and confirmed_per_day (${stats.text.slice(0, 200)})`);
  const phone = stats.json.confirmed_by_kind.find((x) => x.kind === 'phone');
  t.check(phone && phone.n >= 1, 'the confirmed report\'s number counts as a newly confirmed phone');
  const sum = stats.json.confirmed_by_kind.reduce((n, x) => n + x.n, 0);
  t.check(sum === stats.json.indicators_confirmed, `by kind adds up to the total (${sum})`);
  const note = (await page.locator('[data-testid="chart-indicators"] + p').textContent()).trim();
  t.check(note === `合计 ${k30['kpi-confirmed']}`, `the indicator chart's total is the tile's (${note})`);
  t.check(lists.length === 0, `the dashboard reads no indicator list (${lists.join(', ')})`);
  await page.waitForTimeout(300);
  await t.shot(page, 'full');

  // 近 7 天: the hash changes and the charts are drawn again
  const before = await page.locator('[data-testid="chart-reports-daily"] canvas').first().elementHandle();
  await page.getByTestId('dash-period').selectOption('7');
  await page.waitForFunction(() => location.hash === '#/dashboard?days=7');
  await page.waitForFunction((el) => !el.isConnected, before);
  await drawn(page);
  t.check(await page.getByTestId('dash-period').inputValue() === '7', 'the period reads 7 days');
  const k7 = await kpis(page);
  t.check(Number(k7['kpi-reports']) >= 3, `the 7-day tile counts today's reports (${k7['kpi-reports']})`);
  await t.shot(page, '7days');

  // a custom period of today only, then one organisation
  const today = await page.evaluate(() => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
  await page.getByTestId('dash-period').selectOption('custom');
  await page.getByTestId('dash-from').fill(today);
  await page.getByTestId('dash-to').fill(today);
  await page.getByTestId('dash-apply').click();
  await page.waitForFunction((d) => location.hash === `#/dashboard?from=${d}&to=${d}`, today);
  await drawn(page);
  t.check(Number((await kpis(page))['kpi-reports']) >= 3, 'today holds the seeded reports');

  await page.locator('[data-testid="dash-org"] option[value="1"]').waitFor({ state: 'attached' });
  await page.getByTestId('dash-org').selectOption('1');
  await page.waitForFunction((d) => location.hash === `#/dashboard?from=${d}&to=${d}&org=1`, today);
  await drawn(page);
  t.check(await page.getByTestId('dash-org').inputValue() === '1', 'the organisation filter reads the hash');
  await t.shot(page, 'org');

  // December of last year: the budget chart shows last year's budget, asked for by year
  const year = Number(today.slice(0, 4));
  const budgets = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.pathname === '/api/v1/rewards/budget') budgets.push(u.searchParams.get('year'));
  });
  await page.goto(`${t.base}/console/#/dashboard?from=${year - 1}-12-01&to=${year - 1}-12-31`, { waitUntil: 'networkidle' });
  await drawn(page, true);
  const title = await page.locator('section:has([data-testid="chart-budget"]) h2').textContent();
  t.check(title.includes(String(year - 1)), `the budget chart is of ${year - 1} (${title})`);
  t.check(budgets.length > 0 && budgets.every((y) => y === String(year - 1)), `the budget asked for is ${year - 1} (${budgets})`);
  const dec = await t.api('GET', `/api/v1/stats/dashboard?since_ms=${Date.parse(`${year - 1}-12-01T00:00:00+08:00`)}&until_ms=${Date.parse(`${year}-01-01T00:00:00+08:00`)}`, undefined, an);
  t.check((await kpis(page))['kpi-reports'] === String(dec.json.reports), `the tile counts last December (${dec.json.reports})`);
  await t.shot(page, 'lastyear');
}
