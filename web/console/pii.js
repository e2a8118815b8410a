/*
 * console/pii.js — personal data in a text meant for the public (a typical case being written):
 * phone numbers (mobile, landline; not 110 or 96110), ID numbers, bank cards (Luhn), e-mail
 * addresses, QQ and WeChat IDs after their cue words, and names after 姓名 or 户名 (an optional
 * ：/是/为/叫), or 联系人, 收款人, 持卡人, 开户人 with one of those (two to four Han characters,
 * none of them 某). The same kinds the server refuses at publication
 * (src/server/personal.c, with the extractor); this is the live hint while typing, so it errs
 * on the side of saying so. Masked values (138****5678, 张*, 李某) do not count.
 */

const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/g;

/* The Luhn check of a string of digits. */
function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/* [kind, regular expression (global; the value in group 1 when there is one), test of the value]. */
const RULES = [
  ['id_number', /(?<![\d])(\d{17}[\dXx])(?![\d])/g, null],
  ['bank_card', /(?<![\d])((?:\d[ -]?){15,18}\d)(?![\d])/g, (v) => luhn(v.replace(/[ -]/g, ''))],
  ['phone', /(?<![\d])((?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d){8})(?![\d])/g, null],
  ['phone', /(?<![\d])(0\d{2,3}[ -]?\d{7,8})(?![\d])/g, null],
  ['email', /([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g, null],
  ['qq', /(?:QQ|qq|扣扣)\s*(?:号)?\s*[:：]?\s*(\d{5,11})(?![\d])/g, null],
  ['wechat', /(?:微信|vx|VX|wx|WX|WeChat)\s*(?:号)?\s*[:：]?\s*([A-Za-z][-_A-Za-z0-9]{5,19})/g, null],
  ['name', /(?:(?:姓名|户名)[:：是为叫]?|(?:联系人|收款人|持卡人|开户人)[:：是为叫])\s*([\u4e00-\u9fff]{2,4})/g, (v) => !v.includes('某')],
];

/*
 * The personal data found in `text`: [{ kind, at (index of the first character, counted in
 * code points from 1), length (code points) }], in order of position, one entry per place
 * (an ID number is not also reported as a card or a phone).
 */
export function findPersonalData(text) {
  const s = String(text || '').replace(FULL_WIDTH_DIGIT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48));
  const found = [];
  const taken = [];
  for (const [kind, re, ok] of RULES) {
    re.lastIndex = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const value = m[1] || m[0];
      const start = m.index + m[0].lastIndexOf(value);
      const end = start + value.length;
      if (ok && !ok(value)) continue;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      found.push({ kind, start, end });
    }
  }
  found.sort((a, b) => a.start - b.start);
  return found.map((f) => ({
    kind: f.kind,
    at: [...s.slice(0, f.start)].length + 1,
    length: [...s.slice(f.start, f.end)].length,
  }));
}
