/*
 * console/highlight.js — shows a screened text with the verdict's reasons marked on their spans.
 * The API's spans are [start, end) BYTE offsets into the UTF-8 text (docs/api.md), so the text is
 * encoded once with TextEncoder, cut at every span boundary, and each piece is decoded back with
 * TextDecoder. Pieces become text nodes; pieces under one or more reasons are wrapped in <mark>
 * elements made with DOM calls, whose tooltip lists the reasons' descriptions. Nothing is ever
 * parsed as HTML, so a text like `<img src=x onerror=…>` shows as those characters.
 */

import { h } from '../shared/dom.js';
import { getLang } from '../shared/i18n.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/* Moves a byte offset back to the start of the UTF-8 character it falls in. */
function charStart(bytes, off) {
  let i = Math.max(0, Math.min(off, bytes.length));
  while (i > 0 && i < bytes.length && (bytes[i] & 0xc0) === 0x80) i -= 1;
  return i;
}

/* Moves a byte offset forward to the end of the UTF-8 character it falls in. */
function charEnd(bytes, off) {
  let i = Math.max(0, Math.min(off, bytes.length));
  while (i < bytes.length && (bytes[i] & 0xc0) === 0x80) i += 1;
  return i;
}

/* The reason's description in the current language (Chinese when English is missing). */
export function reasonText(r) {
  if (getLang() === 'en' && r.description_en) return r.description_en;
  return r.description_zh || r.description_en || r.rule || r.signal || '';
}

/* The reasons that carry a usable span, with their spans clamped to the text. */
function spanned(reasons, len) {
  const out = [];
  (reasons || []).forEach((r, idx) => {
    if (!r || !Array.isArray(r.span) || r.span.length !== 2) return;
    const s = Number(r.span[0]);
    const e = Number(r.span[1]);
    if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e <= s || s >= len) return;
    out.push({ r, idx, s, e: Math.min(e, len) });
  });
  return out;
}

/*
 * A <div> holding `text` with each reason's span wrapped in <mark data-testid="report-mark">
 * (title = the descriptions of every reason covering it; data-reasons = their indexes in
 * `reasons`, 1-based, matching the numbered list reasonsList() draws). Overlapping spans are
 * cut into pieces so each piece carries every reason over it.
 */
export function highlightedText(text, reasons, testid = 'report-text') {
  const bytes = encoder.encode(String(text ?? ''));
  const spans = spanned(reasons, bytes.length);
  const cuts = new Set([0, bytes.length]);
  for (const sp of spans) {
    sp.s = charStart(bytes, sp.s);
    sp.e = charEnd(bytes, sp.e);
    cuts.add(sp.s);
    cuts.add(sp.e);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const box = h('div', { class: 'c-hl-text', 'data-testid': testid, lang: 'zh-CN' });
  let pendingText = '';
  let last = null; /* the previous mark, to join pieces under the same reasons */
  for (let i = 0; i + 1 < points.length; i += 1) {
    const a = points[i];
    const b = points[i + 1];
    if (a >= b) continue;
    const piece = decoder.decode(bytes.subarray(a, b));
    const over = spans.filter((sp) => sp.s <= a && sp.e >= b);
    if (!over.length) {
      pendingText += piece;
      last = null;
      continue;
    }
    if (pendingText) {
      box.appendChild(document.createTextNode(pendingText));
      pendingText = '';
    }
    const key = over.map((sp) => sp.idx).join(',');
    if (last && last.dataset.key === key) {
      last.appendChild(document.createTextNode(piece));
      continue;
    }
    const title = over.map((sp) => reasonText(sp.r)).join('；');
    const strong = over.some((sp) => (sp.r.weight || 0) >= 50 || String(sp.r.signal || '').startsWith('intel.'));
    last = h('mark', {
      class: ['c-mark', strong && 'c-mark-strong'],
      'data-testid': 'report-mark',
      'data-reasons': over.map((sp) => sp.idx + 1).join(','),
      title,
    }, piece);
    last.dataset.key = key;
    box.appendChild(last);
  }
  if (pendingText) box.appendChild(document.createTextNode(pendingText));
  return box;
}

/* A numbered list of the reasons: description, weight, and the rule or signal that fired. */
export function reasonsList(reasons, emptyText) {
  if (!reasons || !reasons.length) return h('p', { class: 'c-muted' }, emptyText);
  return h('ol', { class: 'c-reasons', 'data-testid': 'reasons-list' }, reasons.map((r) =>
    h('li', { class: Array.isArray(r.span) ? 'c-reason-spanned' : null },
      h('span', { class: 'c-reason-text' }, reasonText(r)),
      ' ',
      h('span', { class: 'c-reason-weight' }, `+${r.weight ?? 0}`),
      ' ',
      h('code', { class: 'c-reason-rule' }, r.rule || r.signal || ''),
      r.indicator ? ' ' : null,
      r.indicator ? h('a', { href: `#/indicators/${encodeURIComponent(r.indicator)}`, class: 'c-reason-ind' }, `#${r.indicator}`) : null)));
}
