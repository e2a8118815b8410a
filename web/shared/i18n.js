/*
 * shared/i18n.js — Simplified Chinese first, English on request, for the console and the
 * portal. The language is kept in localStorage ('fangzha.lang') and mirrored on <html lang>.
 * Each page module keeps its own dictionary and gets a translate function for it:
 *
 *   const t = dictionary({ zh: { title: '风险查询', left: '还剩 {n} 秒' },
 *                          en: { title: 'Check',    left: '{n} s left' } });
 *   t('left', { n: 5 })
 *
 * A key missing in English falls back to Chinese, then to the key itself (so a gap shows, but
 * never breaks the page). Placeholders are {name}; values are inserted as plain text by the
 * caller's DOM code (shared/dom.js), never as HTML.
 */

export const LANGS = ['zh-CN', 'en'];
const STORAGE_KEY = 'fangzha.lang';
const listeners = new Set();

function stored() {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null; /* storage disabled (private mode, policy): Chinese */
  }
}

let current = stored() || 'zh-CN';

/* The current language: 'zh-CN' or 'en'. */
export function getLang() {
  return current;
}

/* True when the page shows English. */
export function isEnglish() {
  return current === 'en';
}

/*
 * Switches the language, remembers it, updates <html lang> and calls every onLangChange
 * listener. Unknown values are ignored.
 */
export function setLang(lang) {
  if (!LANGS.includes(lang)) return;
  current = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembered; still switched for this page */
  }
  applyLang();
  for (const fn of listeners) fn(lang);
}

/* Sets <html lang> to the current language; call once at start-up. */
export function applyLang() {
  document.documentElement.lang = current;
}

/* Calls fn(lang) after every switch. Returns a function that removes it. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function fill(s, vars) {
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/*
 * A translate function for `dict` = { zh: {key: text}, en: {key: text} }. A text may also be
 * an array (paragraphs, list items); placeholders are filled only in strings.
 */
export function dictionary(dict) {
  return function t(key, vars) {
    const en = current === 'en' && dict.en ? dict.en[key] : undefined;
    const v = en !== undefined ? en : dict.zh ? dict.zh[key] : undefined;
    if (v === undefined) return key;
    return typeof v === 'string' ? fill(v, vars) : v;
  };
}

/*
 * Picks the current language's member of a {zh, en} object (for data such as the knowledge
 * pages), falling back to zh.
 */
export function pick(obj) {
  if (!obj) return '';
  return current === 'en' && obj.en !== undefined ? obj.en : obj.zh;
}

const TZ = 'Asia/Shanghai'; /* the platform works in Beijing time, whatever the browser's zone */

/* "2026年11月29日 23:22" / "29 Nov 2026, 23:22" for an ISO time or ms; '' for null. */
export function formatDateTime(value) {
  if (value === null || value === undefined || value === '') return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(current, {
    timeZone: TZ,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/* The date alone, as formatDateTime. */
export function formatDate(value) {
  if (value === null || value === undefined || value === '') return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(current, {
    timeZone: TZ,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  }).format(d);
}

/* Today's date in Beijing time as YYYY-MM-DD (for <input type=date max>). */
export function todayISODate() {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
  return parts; /* en-CA formats as 2026-11-29 */
}

/* Milliseconds since the epoch of 00:00 Beijing time (UTC+8, no DST) on YYYY-MM-DD, or null. */
export function beijingDateToMs(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || '');
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d) - 8 * 3600 * 1000;
  const back = new Date(ms + 8 * 3600 * 1000);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    return null;
  }
  return ms;
}
