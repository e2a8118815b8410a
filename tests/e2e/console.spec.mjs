// The staff console: an analyst logs in, sees a resident's report in the queue with its
// reasons highlighted on their spans, confirms it, and reads its history (who did what when); a
// report whose text is HTML renders inert;
// the reward is proposed by the analyst and approved by a second analyst; the dashboard charts
// render with data; the auditor reads the audit log.
async function login(t, page, who) {
  const [name, password] = t.users[who];
  await page.goto(t.base + '/console/', { waitUntil: 'networkidle' });
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

export default async function (t) {
  // residents' reports, one of them with HTML in its text
  const fraud = '我是公安局的，你涉嫌洗钱，请立即把钱转到安全账户，联系电话 17187654321';
  const xss = '<img src=x onerror="window.__fz_xss=1"><script>window.__fz_xss=2</script>退款诈骗';
  const a = await t.api('POST', '/api/v1/reports', { channel: 'call', text: fraud, loss_fen: 2000000 });
  const b = await t.api('POST', '/api/v1/reports', { channel: 'web', text: xss });
  t.check(a.status === 201 && b.status === 201, 'two reports from residents');
  // the admin sets this year's reward budget
  const [an, ap] = t.users.admin;
  const adm = await t.api('POST', '/api/v1/auth/login', { name: an, password: ap });
  const admin = { Cookie: (adm.headers.get('set-cookie') || '').split(';')[0],
                  'X-CSRF-Token': adm.json.csrf_token };
  const year = (await t.api('GET', '/api/v1/rewards/budget', undefined, admin)).json.year;
  const budget = await t.api('PUT', `/api/v1/rewards/budget/${year}`, { amount_fen: 10000000 }, admin);
  t.check(budget.status === 200, `a reward budget (${budget.status})`);

  const page = await t.page({ viewport: { width: 1280, height: 900 } });
  await login(t, page, 'analyst');
  await page.goto(t.base + '/console/#/reports', { waitUntil: 'networkidle' });
  await page.getByTestId('reports-table').waitFor();
  await t.shot(page, 'reports-queue');

  // the report detail: reasons highlighted on their spans
  await page.goto(`${t.base}/console/#/reports/${a.json.id}`, { waitUntil: 'networkidle' });
  await page.getByTestId('report-mark').first().waitFor();
  const marks = await page.getByTestId('report-mark').allTextContents();
  t.check(marks.some((m) => m.includes('安全账户')), `"安全账户" is highlighted (${marks.join('|')})`);
  await t.shot(page, 'report-detail');
  await page.getByTestId('action-confirm').click();
  await page.waitForFunction(() =>
    (document.querySelector('[data-testid="report-status"]')?.textContent || '').length > 0 &&
    document.querySelector('[data-testid="action-propose"]'));
  const check = await t.api('GET', '/api/v1/check/number?n=17187654321');
  t.check(check.json.action === 'block', 'the confirmed number blocks in /check');
  // the history: received from a resident, triaged and confirmed by the analyst, with times
  await page.locator('[data-testid="history-row"][data-action="confirm"]').waitFor();
  const steps = await page.getByTestId('history-row').evaluateAll((rows) =>
    rows.map((r) => [r.getAttribute('data-action'), ...[...r.cells].map((c) => c.textContent.trim())]));
  t.check(steps.map((x) => x[0]).join(',') === 'add,triage,confirm', `history add, triage, confirm (${steps.map((x) => x[0])})`);
  t.check(steps[0][2] === '群众匿名' && steps[0][3] === '收到线索', `received from a resident (${steps[0]})`);
  t.check(steps[1][2] === t.users.analyst[0] && steps[1][4] === '新线索 → 已分诊', `triaged by the analyst (${steps[1]})`);
  t.check(steps[2][4] === '已分诊 → 已核实' && steps.every((x) => /\d{2}:\d{2}/.test(x[1])), `confirmed, with times (${steps[2]})`);
  await t.shot(page, 'report-confirmed');
  await page.getByTestId('action-propose').click();
  await page.getByTestId('notice').waitFor();

  // HTML in a report stays text
  await page.goto(`${t.base}/console/#/reports/${b.json.id}`, { waitUntil: 'networkidle' });
  await page.getByTestId('report-text').waitFor();
  const shown = await page.getByTestId('report-text').textContent();
  t.check(shown.includes('<img src=x onerror='), 'the HTML is shown as text');
  t.check(await page.locator('[data-testid="report-text"] img').count() === 0, 'no img element');
  t.check(await page.evaluate(() => window.__fz_xss === undefined), 'no injected script ran');
  await t.shot(page, 'report-xss-inert');

  // a second analyst approves the reward the first proposed
  const page2 = await t.page({ viewport: { width: 1280, height: 900 } });
  await login(t, page2, 'analyst2');
  await page2.goto(t.base + '/console/#/rewards', { waitUntil: 'networkidle' });
  await page2.getByTestId('rewards-table').waitFor();
  await page2.getByTestId('action-approve').first().click();
  await page2.waitForFunction(() => [...document.querySelectorAll('[data-testid="reward-row"]')]
    .some((r) => r.getAttribute('data-status') === 'approved'));
  await t.shot(page2, 'reward-approved');

  // the dashboard draws its charts from the data
  await page2.goto(t.base + '/console/#/dashboard', { waitUntil: 'networkidle' });
  for (const chart of ['chart-reports-daily', 'chart-fraud-types', 'chart-indicators', 'chart-budget']) {
    await page2.locator(`[data-testid="${chart}"] canvas`).first().waitFor();
  }
  await page2.waitForTimeout(500); /* the charts' entry animation */
  await t.shot(page2, 'dashboard');

  // the auditor sees the reveal-free trail of all this
  const page3 = await t.page({ viewport: { width: 1280, height: 900 } });
  await login(t, page3, 'auditor');
  await page3.goto(t.base + '/console/#/audit', { waitUntil: 'networkidle' });
  await page3.getByTestId('audit-row').first().waitFor();
  await t.shot(page3, 'audit');
}
