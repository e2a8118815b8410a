/*
 * extract/phones: which digit spans are telephone numbers.
 *
 * The phone module decides what a number is (mobile, landline, 400/800, service, SMS port,
 * international); this file decides which spans of text to ask it about and which answers to
 * believe in context. A span is not a phone when it is glued to letters, followed by a unit of
 * money or time, preceded by an order, code or money cue, or shaped like a date. Short service
 * numbers (95588, 12315, 110) need a phone cue or to stand alone; 13-digit IoT numbers need a
 * cue; an international number needs its '+' or 00.
 */
#include "compat.h"

#include "extract_int.h"

#include <string.h>

/* Leading digits that can start a number the phone module accepts. Seven digits or fewer can
 * only be a service number, which needs a phone cue or a run of one group (see class_ok and
 * standalone), so spans of a long run of spaced digits are not all sent to the module. */
static bool worth_trying(const struct fz__cand *c)
{
    if (c->digits[0] == '+')
        return c->ndigits >= 7 && c->ndigits <= 15;
    if (c->ndigits < 3 || c->ndigits > 20)
        return false;
    if (c->ndigits <= 7 && c->cue.kind != FZ__CUE_PHONE && c->r->ngroups > 1)
        return false;
    switch (c->digits[0]) {
    case '0':
    case '1':
    case '4':
    case '8':
    case '9': return true;
    default: return false;
    }
}

static bool ymd_hm_ok(const char *d, size_t n)
{
    if (!fz__extract_ymd_ok(d))
        return false;
    if (n == 8)
        return true;
    int h = (d[8] - '0') * 10 + (d[9] - '0'), m = (d[10] - '0') * 10 + (d[11] - '0');
    return h < 24 && m < 60;
}

/* Group lengths (a, b, c) of a three-group span read as y-m-d or d-m-y. */
static bool grouped_date(const struct fz__cand *c)
{
    if (c->j - c->i != 3)
        return false;
    const struct fz__group *g = &c->r->g[c->i];
    size_t l0 = g[0].end - g[0].start, l1 = g[1].end - g[1].start, l2 = g[2].end - g[2].start;
    const char *d = c->digits;
    int a = 0, b = 0;
    if (l0 == 4 && l1 <= 2 && l2 <= 2) {
        int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
        for (size_t k = 4; k < 4 + l1; k++)
            a = a * 10 + (d[k] - '0');
        for (size_t k = 4 + l1; k < 4 + l1 + l2; k++)
            b = b * 10 + (d[k] - '0');
        return y >= 1900 && y <= 2099 && a >= 1 && a <= 12 && b >= 1 && b <= 31;
    }
    if (l2 == 4 && l0 <= 2 && l1 <= 2) {
        for (size_t k = 0; k < l0; k++)
            a = a * 10 + (d[k] - '0');
        for (size_t k = l0; k < l0 + l1; k++)
            b = b * 10 + (d[k] - '0');
        return a >= 1 && a <= 31 && b >= 1 && b <= 31 && (a <= 12 || b <= 12);
    }
    return false;
}

bool fz__extract_is_date(const struct fz__cand *c)
{
    if (c->digits[0] == '+')
        return false;
    size_t n = c->ndigits;
    if ((n == 8 || n == 12 || n == 14) && ymd_hm_ok(c->digits, n))
        return true;
    return grouped_date(c);
}

/* Dots join phone groups ("138.1234.5678") but also decimals ("100.00", "1.50"): with a dot
 * inside, every group must have at least three digits. */
static bool dots_ok(const struct fz__cand *c)
{
    if (c->max_sep != FZ__SEP_DOT)
        return true;
    for (size_t k = c->i; k < c->j; k++)
        if (c->r->g[k].end - c->r->g[k].start < 3)
            return false;
    return true;
}

/* Context that rules the span out whatever the phone module says. */
static bool blocked(const struct fz__extract_state *st, struct fz__cand *c)
{
    if (c->max_sep > FZ__SEP_DOT || c->glued_before || !dots_ok(c))
        return true;
    switch (c->cue.kind) {
    case FZ__CUE_ORDER:
    case FZ__CUE_CODE:
    case FZ__CUE_AMOUNT: return true;
    default: return fz__extract_is_date(c) || fz__extract_tail_blocked(st, c, c->j);
    }
}

/* A short token on its own: "【95588】", "call 95588.", "您好 95588 为您服务", written as one
 * group. Not after a cue of another kind ("QQ 10086" is a QQ number) and not next to a
 * sign that makes it a price or a code ("@ 12500/-", "#95588"). */
static bool standalone(const struct fz__extract_state *st, const struct fz__cand *c)
{
    return c->cue.kind == FZ__CUE_NONE && c->i == 0 && c->j == c->r->ngroups &&
           c->r->ngroups == 1 && fz__extract_edge(st, c->s, true) &&
           fz__extract_edge(st, c->e, false);
}

static bool class_ok(const struct fz__extract_state *st, const struct fz__cand *c,
                     const struct fz_phone *ph)
{
    bool cued = c->cue.kind == FZ__CUE_PHONE;
    switch (ph->cls) {
    case FZ_PHONE_MOBILE:
    case FZ_PHONE_MVNO:
    case FZ_PHONE_DATA:
    case FZ_PHONE_LANDLINE:
    case FZ_PHONE_TOLLFREE:
    case FZ_PHONE_SMS_PORT: return true;
    case FZ_PHONE_IOT: return cued;
    case FZ_PHONE_SERVICE: return cued || standalone(st, c);
    case FZ_PHONE_INTERNATIONAL: return (ph->flags & (FZ_PHONE_HAD_PLUS | FZ_PHONE_HAD_00)) != 0;
    default: return false;
    }
}

/* What the original looked like: separators, fullwidth digits, Chinese numerals. */
static uint32_t flags_from_orig(const struct fz__extract_state *st, const struct fz__cand *c)
{
    uint32_t flags = c->j - c->i > 1 ? FZ_PHONE_HAD_SEPARATORS : 0;
    for (size_t k = c->i; k < c->j; k++) {
        for (size_t p = c->r->g[k].start; p < c->r->g[k].end; p++) {
            size_t os = st->norm->orig_start[p], oe = st->norm->orig_end[p];
            if (oe - os <= 1 || oe > st->orig_len)
                continue;
            const char *q = st->orig + os;
            uint32_t cp;
            fz_utf8_decode(&q, st->orig + oe, &cp);
            flags |=
                (cp >= 0xFF10 && cp <= 0xFF19) ? FZ_PHONE_HAD_FULLWIDTH : FZ_PHONE_HAD_CN_NUMERALS;
        }
    }
    return flags;
}

/*
 * How the number was written. Separators are only a flag, but fullwidth digits and Chinese
 * numerals weigh in the phone module's risk, so then the module reads the original span
 * ("１３８…", "幺三八…") and its answer replaces ours when it agrees on the number; when it
 * cannot read the original (padding it does not know), the flags are filled in from the
 * normalizer's map and the risk stays as for the plain digits.
 */
static void read_original(const struct fz__extract_state *st, const struct fz__cand *c,
                          struct fz_phone *ph)
{
    uint32_t flags = flags_from_orig(st, c);
    if (!(flags & (FZ_PHONE_HAD_FULLWIDTH | FZ_PHONE_HAD_CN_NUMERALS))) {
        ph->flags |= flags;
        return;
    }
    size_t os, oe;
    fz_text_span(st->norm, c->s, c->e, &os, &oe);
    if (FZ_NEVER(oe > st->orig_len || os >= oe))
        return;
    size_t olen = oe - os;
    struct fz_phone alt;
    if (olen <= 96 && fz_phone_normalize(st->orig + os, olen, &alt) == FZ_OK && alt.valid &&
        alt.cls == ph->cls && !strcmp(alt.e164, ph->e164) && !strcmp(alt.digits, ph->digits)) {
        *ph = alt;
        return;
    }
    ph->flags |= flags;
}

static bool wechat_capable(const struct fz_phone *ph)
{
    return ph->cls == FZ_PHONE_MOBILE || ph->cls == FZ_PHONE_MVNO || ph->cls == FZ_PHONE_DATA ||
           ph->cls == FZ_PHONE_INTERNATIONAL;
}

static fz_rc emit(struct fz__extract_state *st, const struct fz__cand *c, const struct fz_phone *ph)
{
    const char *v = ph->e164[0] ? ph->e164 : ph->digits;
    struct fz_entity *ent;
    fz_rc rc = fz__extract_push(st, FZ_ENT_PHONE, c->s, c->e, v, strlen(v), &ent);
    if (rc != FZ_OK || !ent)
        return rc;
    ent->phone = *ph;
    /* a phone number after a WeChat cue is also the WeChat account it is bound to */
    if (c->cue.kind != FZ__CUE_WECHAT || c->s - c->cue.end > FZ__SOCIAL_GAP || !wechat_capable(ph))
        return FZ_OK;
    const char *w = ph->country_code == 86 ? ph->digits : ph->e164;
    return fz__extract_push(st, FZ_ENT_WECHAT, c->s, c->e, w, strlen(w), NULL);
}

fz_rc fz__extract_phone(struct fz__extract_state *st, struct fz__cand *c, bool *done)
{
    *done = false;
    if (!worth_trying(c) || blocked(st, c))
        return FZ_OK;
    struct fz_phone ph;
    if (fz_phone_normalize(c->digits, strlen(c->digits), &ph) != FZ_OK || !ph.valid)
        return FZ_OK;
    if (!class_ok(st, c, &ph))
        return FZ_OK;
    read_original(st, c, &ph);
    *done = true;
    return emit(st, c, &ph);
}
