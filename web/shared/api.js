/*
 * shared/api.js — the one way the web pages (console and portal) talk to the HTTP API
 * (docs/api.md). JSON in, JSON out, same origin only. A failed call throws an ApiError that
 * carries the HTTP status and the server's {"error": {code, message, field}} so a page can put
 * the message next to the field it names; a 429 also carries `retryAfter` (seconds).
 *
 * The console calls setCsrfToken() after POST /auth/login; every call except GET/HEAD then
 * sends it as X-CSRF-Token. The portal is anonymous and calls configure({credentials: 'omit'})
 * so that a staff session cookie in the same browser never turns a resident's report into a
 * staff write (which would need the token).
 *
 *   import { apiGet, apiPost, ApiError } from '../shared/api.js';
 *   const v = await apiGet('/api/v1/check/number', { n: '17012345678' });
 */

let csrfToken = null;
const defaults = { credentials: 'same-origin', timeoutMs: 20000 };

/* Sets (or, with null, forgets) the CSRF token sent with every write of this page. */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/* Changes this page's defaults: `credentials` ('same-origin' or 'omit') and `timeoutMs`. */
export function configure(opts) {
  if (opts.credentials) defaults.credentials = opts.credentials;
  if (opts.timeoutMs) defaults.timeoutMs = opts.timeoutMs;
}

/*
 * An answer that was not 2xx, or no answer at all. `status` is the HTTP status (0 when the
 * network failed or the call timed out), `code` the server's stable error code ('network',
 * 'timeout' or 'bad_answer' when there was no usable body), `field` the request member it
 * names or null, `retryAfter` the seconds of Retry-After or null.
 */
export class ApiError extends Error {
  constructor(status, code, message, field = null, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

/* "?a=1&b=x" from an object; members that are undefined, null or '' are left out. */
export function queryString(params) {
  if (!params) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function retryAfterSeconds(res) {
  const v = res.headers.get('Retry-After');
  if (!v) return null;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

async function errorFrom(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const e = body && typeof body === 'object' && body.error ? body.error : null;
  return new ApiError(
    res.status,
    (e && e.code) || `http_${res.status}`,
    (e && e.message) || res.statusText || `HTTP ${res.status}`,
    (e && e.field) || null,
    retryAfterSeconds(res),
  );
}

/*
 * Calls the API. `path` starts with /api/v1 (or another same-origin path); `body`, when given,
 * is sent as JSON. Returns the parsed JSON answer, or null for an empty one (204). Throws
 * ApiError. `opts.signal` aborts the call; `opts.headers` adds headers.
 */
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  const init = { method, headers, credentials: opts.credentials || defaults.credentials };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (csrfToken && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;

  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), opts.timeoutMs || defaults.timeoutMs);
  let timedOut = false;
  ctl.signal.addEventListener('abort', () => {
    timedOut = !(opts.signal && opts.signal.aborted);
  });
  if (opts.signal) opts.signal.addEventListener('abort', () => ctl.abort(), { once: true });
  init.signal = ctl.signal;

  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (opts.signal && opts.signal.aborted) throw err;
    throw timedOut
      ? new ApiError(0, 'timeout', 'the server did not answer in time')
      : new ApiError(0, 'network', 'the server could not be reached');
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'bad_answer', 'the server answered with something not JSON');
  }
}

/* GET path with the query `params` (see queryString). */
export function apiGet(path, params, opts) {
  return api('GET', path + queryString(params), undefined, opts);
}

export function apiPost(path, body, opts) {
  return api('POST', path, body === undefined ? {} : body, opts);
}

export function apiPatch(path, body, opts) {
  return api('PATCH', path, body, opts);
}

export function apiPut(path, body, opts) {
  return api('PUT', path, body, opts);
}

export function apiDelete(path, opts) {
  return api('DELETE', path, undefined, opts);
}
