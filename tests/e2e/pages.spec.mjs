// Every page loads under the strict Content-Security-Policy without a console error, and the
// server sends the headers a browser needs to keep it safe.
export default async function (t) {
  const portal = await t.api('GET', '/');
  t.check(portal.status === 200, `GET / answers 200 (got ${portal.status})`);
  const csp = portal.headers.get('content-security-policy') || '';
  t.check(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), 'a strict CSP');
  t.check(portal.headers.get('x-frame-options') === 'DENY', 'X-Frame-Options: DENY');
  const etag = portal.headers.get('etag');
  const again = await t.api('GET', '/', undefined, { 'If-None-Match': etag });
  t.check(again.status === 304, `a known ETag gets 304 (got ${again.status})`);
  const missing = await t.api('GET', '/portal/../../etc/passwd');
  t.check(missing.status === 404, `no file outside the pages (got ${missing.status})`);

  for (const [path, what] of [['/', 'portal'], ['/console/', 'console']]) {
    const page = await t.page({ viewport: { width: 1280, height: 900 } });
    const res = await page.goto(t.base + path, { waitUntil: 'networkidle' });
    t.check(res.status() === 200, `${path} loads`);
    t.check((await page.title()).length > 0, `${path} has a title`);
    await t.shot(page, what);
  }
}
