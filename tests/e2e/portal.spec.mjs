// The public portal: a resident reports a fraud and gets a tracking code; follows it; an analyst
// confirms the report (through the API here; the console spec does it in the console); the
// number then shows as dangerous in 风险查询; the knowledge pages are there. At phone width.
export default async function (t) {
  const page = await t.page({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(t.base + '/#/report', { waitUntil: 'networkidle' });
  await t.shot(page, 'report-form');

  // client-side validation: an empty form is not sent
  await page.getByTestId('report-submit').click();
  t.check(await page.getByTestId('report-text-error').isVisible(), 'an empty text is flagged');

  const text = '有人自称公安局民警，说我涉嫌洗钱，要我把钱转到安全账户，还发来链接 http://gaj-check.top/a';
  await page.getByTestId('report-channel').selectOption('call');
  await page.getByTestId('report-text').fill(text);
  await page.getByTestId('report-contact-value').fill('170 1234 5678');
  await page.getByTestId('report-loss').fill('5000');
  await page.getByTestId('report-submit').click();
  const code = page.getByTestId('report-tracking-code');
  await code.waitFor();
  const tracking = (await code.textContent()).trim();
  t.check(/^[A-Z0-9]{12}$/.test(tracking), `a tracking code is shown (${tracking})`);
  await t.shot(page, 'report-done');

  await page.goto(t.base + '/#/track', { waitUntil: 'networkidle' });
  await page.getByTestId('track-code').fill(tracking.toLowerCase());
  await page.getByTestId('track-submit').click();
  await page.getByTestId('track-status').waitFor();
  t.check((await page.getByTestId('track-status').getAttribute('data-status')) === 'new',
          'the report is received (new)');
  await t.shot(page, 'track');

  // before confirmation the number is only suspicious by its range (an MVNO number)
  await page.goto(t.base + '/#/check', { waitUntil: 'networkidle' });
  await page.getByTestId('check-input').fill('17012345678');
  await page.getByTestId('check-submit').click();
  await page.getByTestId('check-verdict').waitFor();
  t.check((await page.getByTestId('check-verdict').getAttribute('data-action')) !== 'block',
          'not blocked before it is confirmed');

  // an analyst confirms the report
  const [name, password] = t.users.analyst;
  const login = await t.api('POST', '/api/v1/auth/login', { name, password });
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
  const staff = { Cookie: cookie, 'X-CSRF-Token': login.json.csrf_token };
  const list = await t.api('GET', '/api/v1/reports?status=new', undefined, staff);
  const report = list.json.items.find((r) => r.text === text);
  t.check(report, 'the analyst sees the report');
  await t.api('POST', `/api/v1/reports/${report.id}/triage`, { version: 1 }, staff);
  const confirmed = await t.api('POST', `/api/v1/reports/${report.id}/confirm`, { version: 2 }, staff);
  t.check(confirmed.status === 200, `the analyst confirms it (${confirmed.status})`);

  await page.getByTestId('check-submit').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="check-verdict"]')?.getAttribute('data-action') === 'block');
  t.check(await page.getByTestId('check-todo').isVisible(), 'what to do is shown');
  await t.shot(page, 'check-dangerous');

  await page.goto(t.base + '/#/knowledge', { waitUntil: 'networkidle' });
  t.check(await page.getByTestId('knowledge-item-impersonate_authority').isVisible(),
          'a page per fraud type');
  await page.getByTestId('knowledge-item-impersonate_authority').click();
  await page.getByTestId('knowledge-page').waitFor();
  await t.shot(page, 'knowledge');

  await page.getByTestId('lang-switch').click();
  t.check((await page.locator('html').getAttribute('lang')).startsWith('en'), 'English switch');
  await t.shot(page, 'knowledge-en');
}
