// Typical cases (典型案例): an analyst writes a case in the console whose text holds HTML, is
// refused while it still holds a mobile number, previews it (text nodes only), saves and
// publishes it; the portal's 典型案例 shows it as text (no img element, no script ran); an
// auditor sees the case read-only. A bank card or a name after 姓名 shows a live hint in the
// editor and the server refuses to publish it (422, the field). With more cases than a page, the portal shows ten and
// "加载更多" appends the next page (API paging) until none is left.
async function login(t, page, who) {
  const [name, password] = t.users[who];
  await page.goto(t.base + '/console/', { waitUntil: 'networkidle' });
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

const XSS = '<img src=x onerror="window.__fz_xss=1"><script>window.__fz_xss=2</script>';
const TITLE = '冒充电商客服“退款”诈骗';

export default async function (t) {
  const page = await t.page({ viewport: { width: 1280, height: 900 } });
  await login(t, page, 'analyst');
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('cases-table').waitFor();
  await page.getByTestId('case-new').click();
  await page.getByTestId('case-title').waitFor();

  // the text still holds a mobile number: the server refuses it and says so
  await page.getByTestId('case-title').fill(TITLE);
  await page.getByTestId('case-type').selectOption('fake_customer_service');
  await page.getByTestId('case-text').fill('市民王某接到自称客服的电话 13800138000，称可退款。');
  await page.getByTestId('case-save').click();
  await page.locator('[data-testid="notice"]:not([hidden])').waitFor();
  const refused = await page.getByTestId('notice').textContent();
  t.check(/手机号/.test(refused), `the phone number is refused (${refused})`);
  t.check(await page.getByTestId('case-text').getAttribute('aria-invalid') === 'true', 'the text field is marked');

  // anonymised, with HTML in it: the preview shows the characters
  const text = `市民王某接到自称客服的电话（138****5678），称商品有质量问题可退款。\n\n对方发来链接 ${XSS}，诱导其共享屏幕。`;
  await page.getByTestId('case-text').fill(text);
  const preview = page.getByTestId('case-preview');
  await page.waitForFunction(() =>
    (document.querySelector('[data-testid="case-preview"]')?.textContent || '').includes('onerror'));
  const shown = await preview.textContent();
  t.check(shown.includes('<img src=x onerror=') && shown.includes('<script>'), 'the preview shows the HTML as text');
  t.check(shown.includes(TITLE), 'the preview has the title');
  t.check(await preview.locator('img, script').count() === 0, 'no img or script element in the preview');
  t.check(await preview.locator('p').count() >= 3, 'the preview has the badge and two paragraphs');
  t.check(await page.evaluate(() => window.__fz_xss === undefined), 'no injected script ran in the console');
  await t.shot(page, 'editor');

  // personal data the save check lets through (a bank card, a name after 姓名): a live hint
  // while typing, and the server refuses to publish it with the field and what it found
  t.check(await page.getByTestId('case-pii-warning').isHidden(), 'no personal-data hint for a masked text');
  const withPii = `${text}\n\n受害人姓名：王小红，向 6222 0212 3456 7890 128 转账。`;
  await page.getByTestId('case-text').fill(withPii);
  await page.getByTestId('case-pii-warning').waitFor();
  const kinds = await page.getByTestId('case-pii-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  t.check(kinds.join(',') === 'name,bank_card', `the hint names a name and a bank card (${kinds})`);
  const hint = await page.getByTestId('case-pii-warning').textContent();
  t.check(hint.includes('银行卡号') && hint.includes('姓名'), `the hint in words (${hint})`);
  t.check(await page.getByTestId('case-text').getAttribute('aria-describedby') === 'case-pii', 'the text field points to the hint');
  await t.shot(page, 'pii-hint');
  await page.getByTestId('case-save').click();
  await page.getByTestId('case-publish').waitFor();
  const draft = Number((await page.evaluate(() => location.hash)).split('/').pop());
  await page.getByTestId('case-publish').click();
  await page.waitForFunction(() => /个人信息/.test(document.querySelector('[data-testid="notice"]')?.textContent || ''));
  const refusal = await page.getByTestId('notice').textContent();
  t.check(/银行卡号|姓名/.test(refusal), `publishing is refused naming the data (${refusal})`);
  t.check(await page.getByTestId('case-text').getAttribute('aria-invalid') === 'true', 'the text field is marked');
  const still = await t.api('GET', '/api/v1/cases/public?limit=50');
  t.check(!still.text.includes('王小红'), 'nothing of it reached the portal');
  await t.shot(page, 'pii-refused');
  // masked: the hint goes away
  await page.getByTestId('case-text').fill(text);
  await page.waitForFunction(() => document.querySelector('[data-testid="case-pii-warning"]').hidden);
  t.check(draft > 0, `the draft with personal data was saved first (${draft})`);
  await page.getByTestId('case-save').click();
  await page.waitForFunction(() => (document.querySelector('[data-testid="notice"]')?.textContent || '').includes('已保存'));

  // save, then publish
  await page.getByTestId('case-save').click();
  await page.getByTestId('case-publish').waitFor();
  const id = Number((await page.evaluate(() => location.hash)).split('/').pop());
  t.check(id > 0, `the case was saved (${id})`);
  await page.getByTestId('case-publish').click();
  await page.getByTestId('case-withdraw').waitFor();
  const status = await page.getByTestId('case-status').textContent();
  t.check(status.includes('已发布'), `the case is published (${status})`);
  t.check(await page.getByTestId('case-save').count() === 0, 'a published case is not edited in place');
  await t.shot(page, 'published');
  await page.getByTestId('nav-cases').click();
  await page.locator(`[data-testid="case-row"][data-id="${id}"][data-status="published"]`).waitFor();
  await t.shot(page, 'list');

  // the portal: the case, as text
  const resident = await t.page({ viewport: { width: 390, height: 844 }, isMobile: true });
  await resident.goto(t.base + '/#/cases', { waitUntil: 'networkidle' });
  await resident.getByTestId('cases-list').waitFor();
  const items = resident.getByTestId('case-item');
  const mine = items.filter({ hasText: TITLE });
  t.check(await mine.count() === 1, 'the published case is on the portal');
  const portalText = await mine.textContent();
  t.check(portalText.includes('<img src=x onerror=') && portalText.includes('138****5678'), 'the portal shows the HTML as text');
  t.check(await resident.locator('[data-testid="cases-list"] img, [data-testid="cases-list"] script').count() === 0,
    'no img or script element on the portal');
  t.check(await resident.evaluate(() => window.__fz_xss === undefined), 'no injected script ran on the portal');
  await t.shot(resident, 'portal-list');

  // an auditor reads it, and cannot change it
  const audit = await t.page({ viewport: { width: 1280, height: 900 } });
  await login(t, audit, 'auditor');
  await audit.goto(`${t.base}/console/#/cases/${id}`, { waitUntil: 'networkidle' });
  await audit.getByTestId('case-preview').waitFor();
  t.check(await audit.getByTestId('case-save').count() === 0 && await audit.getByTestId('case-publish').count() === 0,
    'the auditor has no write buttons');
  t.check(await audit.getByTestId('case-text').evaluate((el) => el.readOnly), 'the auditor sees the text read-only');

  // more cases than a page (10): published through the API, newest first on the portal
  const [name, password] = t.users.analyst;
  const login2 = await t.api('POST', '/api/v1/auth/login', { name, password });
  const an = { Cookie: (login2.headers.get('set-cookie') || '').split(';')[0], 'X-CSRF-Token': login2.json.csrf_token };
  const types = ['order_brushing', 'fake_investment', 'romance', 'fake_loan', 'phishing', 'impersonate_authority'];
  for (let i = 1; i <= 11; i++) {
    const c = await t.api('POST', '/api/v1/cases', {
      title: `分页测试案例 ${i}`, fraud_type: types[i % types.length],
      text: `第 ${i} 个案例：对方以高额回报为诱饵，诱导受害人先转账，随后失联。`,
    }, an);
    const p = await t.api('POST', `/api/v1/cases/${c.json.id}/publish`, { version: c.json.version }, an);
    t.check(p.status === 200, `case ${i} published (${p.status})`);
  }
  const pub = await t.api('GET', '/api/v1/cases/public?limit=50');
  const total = pub.json.items.length; /* 12 or more (other specs may publish too) */
  await resident.goto(t.base + '/#/cases', { waitUntil: 'networkidle' });
  await resident.reload({ waitUntil: 'networkidle' });
  await resident.getByTestId('cases-list').waitFor();
  t.check(await items.count() === 10, `one page of 10 cases first (${await items.count()})`);
  t.check(await items.first().textContent().then((x) => x.includes('分页测试案例 11')), 'the newest publication first');
  t.check(await resident.getByTestId('cases-more').isVisible(), 'a load-more button under a full page');
  t.check((await resident.getByTestId('cases-count').textContent()).includes('10'), 'it says how many are shown');
  await t.shot(resident, 'portal-page1');
  const asked = [];
  resident.on('request', (req) => {
    const u = new URL(req.url());
    if (u.pathname === '/api/v1/cases/public') asked.push(u.search);
  });
  await resident.getByTestId('cases-more').click();
  await resident.waitForFunction((n) => document.querySelectorAll('[data-testid="case-item"]').length === n, Math.min(total, 20));
  t.check(asked.length === 1 && /after=\d+/.test(asked[0]) && /limit=10/.test(asked[0]), `the next page by the API's key (${asked})`);
  t.check(await resident.evaluate(() => document.activeElement?.tagName === 'H2' &&
    document.activeElement.textContent.includes('分页测试案例 1')), 'the focus moves to the first new case');
  t.check(await items.filter({ hasText: TITLE }).count() === 1, 'the first case is on the second page');
  if (total <= 20) {
    t.check(await resident.getByTestId('cases-more').isHidden(), 'no button once every case is shown');
    t.check((await resident.getByTestId('cases-count').textContent()).includes(String(total)), 'it says all are shown');
  }
  const ids = await items.evaluateAll((els) => els.map((e) => e.querySelector('h2').textContent));
  t.check(new Set(ids).size === ids.length, 'no case twice');
  await t.shot(resident, 'portal-more');
}
