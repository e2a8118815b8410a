/*
 * portal/detect.js — guesses what a resident typed: a phone number, a URL, an e-mail address,
 * a bank card or some other account. Pure functions (no DOM), so they can be tested in node.
 * The guesses only pick which API to ask or which indicator kind to send; the server
 * normalizes and validates every value itself (docs/api.md).
 */

const FULLWIDTH_ASCII = /[\uFF01-\uFF5E]/g;

/* Full-width ASCII (common with Chinese input methods) to half-width, ideographic space to
 * space, then trimmed. */
export function halfwidth(s) {
  return String(s ?? '')
    .replace(FULLWIDTH_ASCII, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim();
}

function digitsOf(s) {
  return s.replace(/\D/g, '');
}

/* Only digits, spaces, dashes, dots between digit groups, parentheses and a leading +. */
function looksNumeric(s) {
  return /^\+?[\d\s\-().]+$/.test(s) && /\d/.test(s);
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}([:/?#].*)?$/;

/* A scheme, or a host name with a dot and a top-level part that has a letter (pay-verify.top,
 * www.icbc.com.cn.verify.xyz/login; not 3.14), or an IPv4 address; never with spaces. */
function looksUrl(s) {
  if (/\s/.test(s)) return false;
  if (SCHEME.test(s)) return true;
  if (s.includes('@')) return false;
  const host = s.replace(/[/?#].*$/, '').replace(/:\d+$/, '');
  if (IPV4.test(host)) return true;
  if (!/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+\.?$/u.test(host)) return false;
  return /\p{L}/u.test(host.replace(/\.$/, '').split('.').pop());
}

/*
 * The indicator kind of a value a resident reports: 'phone', 'bank_account', 'url', 'email',
 * or null when it cannot tell (a WeChat ID, a QQ number, a payment ID: the form then asks).
 * 16–19 digits without a + read as a bank card (a Chinese phone number has 11, with the
 * country code 13); other digit strings as a phone number.
 */
export function guessIndicatorKind(raw) {
  const s = halfwidth(raw);
  if (!s) return null;
  if (IPV4.test(s)) return 'url';
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) return 'email';
  if (looksNumeric(s)) {
    const d = digitsOf(s);
    if (!s.startsWith('+') && d.length >= 16 && d.length <= 19) return 'bank_account';
    if (d.length >= 3 && d.length <= 15) return 'phone';
    return null;
  }
  if (/^tel:/i.test(s)) return 'phone';
  if (looksUrl(s)) return 'url';
  return null;
}

/*
 * Which check endpoint to ask for a value in 风险查询: 'number' (phone-like: up to 15 digits,
 * optionally with +, spaces, dashes), 'url' (URL-like), else 'account' (bank card, payment
 * ID, e-mail address; the server guesses the account kind). '' for empty input.
 */
export function checkTarget(raw) {
  const s = halfwidth(raw);
  if (!s) return '';
  if (IPV4.test(s)) return 'url';
  if (/^tel:/i.test(s)) return 'number';
  if (looksNumeric(s)) {
    const d = digitsOf(s);
    return d.length <= 15 && (s.startsWith('+') || d.length < 16) ? 'number' : 'account';
  }
  if (s.includes('@') && !SCHEME.test(s)) return 'account';
  if (looksUrl(s)) return 'url';
  return 'account';
}

/* The value to send for a check: half-width, trimmed; 'tel:' dropped for numbers. */
export function checkValue(raw, target) {
  const s = halfwidth(raw);
  return target === 'number' ? s.replace(/^tel:/i, '') : s;
}

export const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/*
 * A tracking code as typed ("abcd-efgh 1234", lower case, spaces) to the 12 characters the
 * server issues, or null when it cannot be one. The alphabet has no I, L, O or U; people who
 * read O as 0 or I/L as 1 get the code they meant.
 */
export function normalizeTrackingCode(raw) {
  const s = halfwidth(raw)
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== 12) return null;
  for (const c of s) if (!TRACKING_ALPHABET.includes(c)) return null;
  return s;
}

/* UTF-8 length of a string in bytes (what the server's limits count). */
export function utf8Bytes(s) {
  return new TextEncoder().encode(s).length;
}
