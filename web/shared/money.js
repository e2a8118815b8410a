/*
 * shared/money.js — yuan as people type them ↔ integer fen as the API keeps them (DESIGN.md:
 * money is an integer number of fen, never a float). Parsing works on the decimal string
 * with BigInt, so "0.29" is 29 fen and not 28.999…; formatting divides with integers.
 * Used by the portal's report form and the console's rewards.
 */

export const MAX_FEN = 1000000000000000n; /* the API's upper bound for loss_fen */

const FULLWIDTH = /[\uFF10-\uFF19\uFF0E\uFF0C]/g;

function halfwidth(s) {
  return s.replace(FULLWIDTH, (c) => {
    if (c === '\uFF0E') return '.';
    if (c === '\uFF0C') return ',';
    return String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30);
  });
}

/*
 * Parses an amount in yuan: digits with at most two decimals, optionally with a leading ¥ or
 * ￥, a trailing 元, spaces, full-width digits, and thousands commas ("5,000.50").
 * Returns { ok: true, fen: Number } (an exact integer; the bound keeps it below 2^53), or
 * { ok: false, reason } with reason 'empty', 'format', 'decimals' or 'range'.
 */
export function parseYuan(input, maxFen = MAX_FEN) {
  let s = halfwidth(String(input ?? '')).trim();
  s = s.replace(/^[¥￥]\s*/, '').replace(/\s*元$/, '').replace(/\s+/g, '');
  if (s === '') return { ok: false, reason: 'empty' };
  if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) s = s.replace(/,/g, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return { ok: false, reason: 'format' };
  const dec = m[2] || '';
  if (dec.length > 2) return { ok: false, reason: 'decimals' };
  const fen = BigInt(m[1]) * 100n + BigInt((dec + '00').slice(0, 2));
  if (fen > BigInt(maxFen)) return { ok: false, reason: 'range' };
  return { ok: true, fen: Number(fen) };
}

/* "5,000.00" for 500000 fen (no currency sign); negative amounts keep their sign. */
export function formatFen(fen) {
  const n = BigInt(fen);
  const neg = n < 0n;
  const a = neg ? -n : n;
  const yuan = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (a % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${yuan}.${cents}`;
}
