// Accessibility and phone widths: axe-core runs on every page of the portal and the console, in
// Chinese and in English, and the spec fails on any serious or critical violation (labels,
// contrast, landmarks, names of controls, ...); the keyboard focus is visible; the portal's pages
// fit a 375 px wide phone without scrolling sideways. Data (a confirmed report, a published
// case) is seeded through the API first, so the pages have content to judge.
// Screenshots: a11y-portal-<page>-375 for each portal page at phone width, a11y-console-<page>-en.

const PORTAL = [
  ['home', '#/', 'main h1, main h2'],
  ['report', '#/report', 'form'],
  ['track', '#/track', '[data-testid="track-code"]'],
  ['check', '#/check', '[data-testid="check-input"]'],
  ['knowledge', '#/knowledge', 'main h1'],
  ['knowledge-page', '#/knowledge/impersonate_authority', 'main h1'],
  ['cases', '#/cases', '[data-testid="cases-list"]'],
];

async function login(t, page, who) {
  const [name, password] = t.users[who];
  await page.goto(t.base + '/console/', { waitUntil: 'networkidle' });
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

async function session(t, who) {
  const [name, password] = t.users[who];
  const res = await t.api('POST', '/api/v1/auth/login', { name, password });
  return { Cookie: (res.headers.get('set-cookie') || '').split(';')[0], 'X-CSRF-Token': res.json.csrf_token };
}

/* A page in English from the first load (the language is kept in localStorage). */
async function english(t, options) {
  const page = await t.page(options);
  await page.context().addInitScript(() => window.localStorage.setItem('fangzha.lang', 'en'));
  return page;
}

/* The element that has the keyboard focus draws an outline or a ring. */
async function focusVisible(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const s = getComputedStyle(el);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  });
}

async function portalPages(t, lang) {
  const page = lang === 'en' ? await english(t, { viewport: { width: 1280, height: 900 } })
    : await t.page({ viewport: { width: 1280, height: 900 } });
  for (const [name, hash, ready] of PORTAL) {
    await page.goto(`${t.base}/${hash}`, { waitUntil: 'networkidle' });
    await page.locator(ready).first().waitFor();
    await t.axe(page, `portal ${name} (${lang})`);
  }
  // a verdict on the page, and a tracked report
  await page.goto(`${t.base}/#/check`, { waitUntil: 'networkidle' });
  await page.getByTestId('check-input').fill('17187650001');
  await page.getByTestId('check-submit').click();
  await page.getByTestId('check-verdict').waitFor();
  await t.axe(page, `portal check result (${lang})`);
  // the keyboard: the first Tab reaches the skip link, and it shows
  await page.goto(`${t.base}/#/`, { waitUntil: 'networkidle' });
  await page.keyboard.press('Tab');
  t.check(await focusVisible(page), `portal (${lang}): the focused element shows a focus ring`);
}

async function consolePages(t, lang, ids) {
  const opts = { viewport: { width: 1280, height: 900 } };
  const login1 = lang === 'en' ? await english(t, opts) : await t.page(opts);
  await login1.goto(t.base + '/console/', { waitUntil: 'networkidle' });
  await login1.getByTestId('login-name').waitFor();
  await t.axe(login1, `console login (${lang})`);

  const pages = [
    ['analyst', 'dashboard', '#/dashboard', '[data-testid="chart-budget"] canvas'],
    ['analyst', 'reports', '#/reports', '[data-testid="reports-table"]'],
    ['analyst', 'report', `#/reports/${ids.report}`, '[data-testid="history-row"]'],
    ['analyst', 'indicators', '#/indicators', 'main table'],
    ['analyst', 'rewards', '#/rewards', '[data-testid="rewards-table"]'],
    ['analyst', 'cases', '#/cases', '[data-testid="cases-table"]'],
    ['analyst', 'case', `#/cases/${ids.case}`, '[data-testid="case-preview"]'],
    ['analyst', 'case-new', '#/cases/new', '[data-testid="case-text"]'],
    ['analyst', 'check', '#/check', 'main form'],
    ['auditor', 'audit', '#/audit', '[data-testid="audit-row"]'],
    ['admin', 'admin', '#/admin', 'main table'],
  ];
  const byUser = {};
  for (const [who, name, hash, ready] of pages) {
    if (!byUser[who]) {
      byUser[who] = lang === 'en' ? await english(t, opts) : await t.page(opts);
      await login(t, byUser[who], who);
    }
    const page = byUser[who];
    await page.goto(`${t.base}/console/${hash}`, { waitUntil: 'networkidle' });
    await page.locator(ready).first().waitFor();
    await t.axe(page, `console ${name} (${lang})`);
    if (lang === 'en' && ['dashboard', 'report', 'case'].includes(name)) await t.shot(page, `console-${name}-en`);
  }
  const page = byUser.analyst;
  await page.goto(`${t.base}/console/#/reports`, { waitUntil: 'networkidle' });
  await page.keyboard.press('Tab');
  t.check(await focusVisible(page), `console (${lang}): the focused element shows a focus ring`);
}

export default async function (t) {
  // a resident's report, confirmed by the analyst; a published case
  const r = await t.api('POST', '/api/v1/reports', {
    channel: 'sms', text: '【公安】你涉嫌洗钱，请把资金转入安全账户配合调查，联系 17187650001', loss_fen: 500000,
  });
  t.check(r.status === 201, `a report (${r.status})`);
  const an = await session(t, 'analyst');
  await t.api('POST', `/api/v1/reports/${r.json.id}/triage`, { version: 1 }, an);
  const c = await t.api('POST', `/api/v1/reports/${r.json.id}/confirm`, { version: 2 }, an);
  t.check(c.status === 200, `confirmed (${c.status})`);
  const k = await t.api('POST', '/api/v1/cases', {
    title: '冒充公安要求转入“安全账户”', fraud_type: 'impersonate_authority',
    text: '市民李某接到自称公安民警的电话，称其涉嫌洗钱，要求将存款转入“安全账户”。\n\n民警提示：公安机关没有“安全账户”。',
  }, an);
  const p = await t.api('POST', `/api/v1/cases/${k.json.id}/publish`, { version: k.json.version }, an);
  t.check(p.status === 200, `a published case (${p.status})`);

  for (const lang of ['zh', 'en']) {
    await portalPages(t, lang);
    await consolePages(t, lang, { report: r.json.id, case: k.json.id });
  }

  // the portal on a phone 375 px wide: nothing wider than the screen
  const phone = await t.page({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  for (const [name, hash, ready] of PORTAL) {
    await phone.goto(`${t.base}/${hash}`, { waitUntil: 'networkidle' });
    await phone.locator(ready).first().waitFor();
    const wide = await phone.evaluate(() => {
      const w = document.documentElement.clientWidth;
      const over = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > w + 1)
        .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`);
      return { scroll: document.documentElement.scrollWidth, w, over: over.slice(0, 5) };
    });
    t.check(wide.scroll <= wide.w, `portal ${name} at 375 px: page ${wide.scroll} px wide (${wide.over.join(', ')})`);
    await t.axe(phone, `portal ${name} (375 px)`);
    await t.shot(phone, `portal-${name}-375`);
  }
}
