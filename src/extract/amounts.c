/*
 * extract/amounts: sums of money in fen (int64, never floating point).
 *
 * A number is money when a currency sign or word comes before it (¥ rmb cny 人民币) or a unit
 * after it (元 块 圆 rmb cny, or 万/亿 after Arabic digits: "3.5万"). Numbers are Arabic with
 * thousands commas and a decimal point ("¥1,299.50"), Chinese numerals with units
 * ("一万五千元", "两万块"), or both ("3.5万", "1万5千元"). Where the normalizer removed a
 * decimal point between two digits, the original bytes put it back. Every step is checked for
 * overflow; a number that overflows is not an amount.
 */
#include "compat.h"

#include "extract_int.h"

#include <string.h>

static inline bool starts_with_n(const struct fz__extract_state *st, size_t p, const char *s,
                                 size_t n)
{
    return p + n <= st->len && !memcmp(st->t + p, s, n);
}
/* s is a string literal: the length is known when compiling and memcmp is inlined. */
#define starts_with(st, p, s) starts_with_n((st), (p), (s), sizeof(s) - 1)

int fz__extract_cn_unit(uint32_t cp)
{
    switch (cp) {
    case 0x5341:
    case 0x62FE: return 1; /* 十 拾 */
    case 0x767E:
    case 0x4F70: return 2; /* 百 佰 */
    case 0x5343:
    case 0x4EDF: return 3; /* 千 仟 */
    case 0x4E07: return 4; /* 万 */
    case 0x4EBF: return 8; /* 亿 */
    default: return 0;
    }
}

/* A number being read: total and section in fen, the current digits as mant / 10^ndec. */
struct num {
    int64_t total, section;
    int64_t mant;
    int ndec;
    bool has_cur, dot, bad;
    int arabic, cn; /* digits read of each kind */
    int units;      /* Chinese units read */
    int last_unit;  /* power of ten of the last unit */
};

static bool mul_ok(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

static bool add_ok(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

/* mant / 10^ndec * 10^k yuan, in fen (truncated below one fen). */
static bool cur_fen(const struct num *n, int k, int64_t *out)
{
    if (!n->has_cur) {
        *out = 0;
        return true;
    }
    int e = k + 2 - n->ndec;
    int64_t v = n->mant;
    for (; e > 0; e--)
        if (!mul_ok(v, 10, &v))
            return false;
    for (; e < 0; e++)
        v /= 10;
    *out = v;
    return true;
}

static void add_digit(struct num *n, int d, bool arabic)
{
    if (!n->has_cur) {
        n->has_cur = true;
        n->mant = 0;
        n->ndec = 0;
        n->dot = false;
    }
    /* after the point, digits past the fourth are dropped (below a hundredth of a fen) */
    if (!n->dot || n->ndec < 4) {
        if (!mul_ok(n->mant, 10, &n->mant) || !add_ok(n->mant, d, &n->mant))
            n->bad = true;
        n->ndec += n->dot;
    }
    if (arabic)
        n->arabic++;
    else
        n->cn++;
}

/* Multiplies the current digits by 10^k (k < 4) into the section; 十 alone is 10. */
static bool small_unit(struct num *n, int k)
{
    int64_t v;
    if (!n->has_cur && k != 1)
        return false; /* 百, 千 need a number before them */
    if (!n->has_cur) {
        n->has_cur = true;
        n->mant = 1;
        n->ndec = 0;
    }
    n->bad = !cur_fen(n, k, &v) || !add_ok(n->section, v, &n->section);
    return !n->bad;
}

/* Closes the section (and current digits) into the total with 万 (k = 4) or 亿 (k = 8). */
static bool big_unit(struct num *n, int k)
{
    int64_t v, cur, scale = k == 4 ? 10000 : 100000000;
    if (!n->has_cur && n->section == 0) {
        /* 万亿 right after each other: 15万亿 is 15 * 10^12 */
        if (k != 8 || n->last_unit != 4 || n->units == 0)
            return false;
        n->bad = !mul_ok(n->total, scale, &n->total);
        return !n->bad;
    }
    n->bad = !cur_fen(n, 0, &cur) || !add_ok(n->section, cur, &v) || !mul_ok(v, scale, &v) ||
             (k == 8 && !mul_ok(n->total, scale, &n->total)) || !add_ok(n->total, v, &n->total);
    n->section = 0;
    return !n->bad;
}

/* Applies a unit 10^k. Overflow marks the number bad. */
static bool add_unit(struct num *n, int k)
{
    if (!(k < 4 ? small_unit(n, k) : big_unit(n, k)))
        return false;
    n->has_cur = false;
    n->units++;
    n->last_unit = k;
    return true;
}

/* Whether the original bytes between normalized digits q - 1 and q hold a decimal point
 * (1), only a thousands comma (0), or something else that ends the number (-1). */
static int removed_between(const struct fz__extract_state *st, size_t q)
{
    const char *p = st->orig + st->norm->orig_end[q - 1];
    const char *end = st->orig + st->norm->orig_start[q];
    int kind = 0;
    while (p < end) {
        uint32_t cp;
        fz_utf8_decode(&p, end, &cp);
        if (cp == '.' || cp == 0xFF0E || cp == 0x70B9)
            kind = 1;
        else if (cp != ',' && cp != 0xFF0C)
            return -1;
    }
    return kind;
}

static bool digit_at(const struct fz__extract_state *st, size_t q)
{
    if (q >= st->len)
        return false;
    if (fz__is_digit(st->t[q]))
        return true;
    const char *p = st->t + q;
    uint32_t cp;
    return (unsigned char)st->t[q] >= 0x80 && fz_utf8_decode(&p, st->t + st->len, &cp) &&
           fz_text_digit(cp) >= 0;
}

/* A decimal point ('.' or 点) at q between two digits: returns its length, else 0. */
static size_t point_at(const struct fz__extract_state *st, const struct num *n, size_t q)
{
    if (!n->has_cur || n->dot)
        return 0;
    size_t len = st->t[q] == '.' ? 1 : (q + 3 <= st->len && !memcmp(st->t + q, "点", 3)) ? 3 : 0;
    return len && digit_at(st, q + len) ? len : 0;
}

/* A thousands comma at q: after Arabic digits, before exactly three digits. */
static bool comma_at(const struct fz__extract_state *st, const struct num *n, size_t q)
{
    if (st->t[q] != ',' || !n->has_cur || n->dot || !n->arabic || q + 4 > st->len)
        return false;
    for (size_t k = 1; k <= 3; k++)
        if (!fz__is_digit(st->t[q + k]))
            return false;
    return q + 4 == st->len || !fz__is_digit(st->t[q + 4]);
}

enum step { STEP_MORE, STEP_LAST, STEP_STOP };

/* After an Arabic digit at q - 1: whether the number goes on to the digit at q. */
static enum step after_digit(const struct fz__extract_state *st, struct num *n, size_t q)
{
    if (n->bad)
        return STEP_STOP;
    if (q >= st->len || !fz__is_digit(st->t[q]) || !fz__extract_gap(st, q - 1))
        return STEP_MORE;
    int kind = removed_between(st, q);
    if (kind < 0 || (kind == 1 && n->dot))
        return STEP_LAST;
    n->dot |= kind == 1;
    return STEP_MORE;
}

/* Reads one step of a number at *q: STEP_MORE (go on), STEP_LAST (the step was read and ends
 * the number), STEP_STOP (nothing read; the number ended before *q). */
static enum step step(const struct fz__extract_state *st, struct num *n, size_t *q)
{
    char c = st->t[*q];
    size_t len;
    if (fz__is_digit(c)) {
        add_digit(n, c - '0', true);
        (*q)++;
        return after_digit(st, n, *q);
    }
    if (comma_at(st, n, *q)) {
        (*q)++;
        return STEP_MORE;
    }
    if ((len = point_at(st, n, *q)) > 0) {
        n->dot = true;
        *q += len;
        return STEP_MORE;
    }
    if ((unsigned char)c < 0x80)
        return STEP_STOP;
    const char *p = st->t + *q;
    uint32_t cp;
    if (!fz_utf8_decode(&p, st->t + st->len, &cp))
        return STEP_STOP;
    int d = fz_text_digit(cp), k = fz__extract_cn_unit(cp);
    if (d >= 0 && n->has_cur && n->arabic)
        return STEP_STOP; /* "18650三元": a numeral after Arabic digits is the next word */
    if (d >= 0)
        add_digit(n, d, false);
    else if (k == 0 || !add_unit(n, k))
        return STEP_STOP;
    if (n->bad)
        return STEP_STOP;
    *q = (size_t)(p - st->t);
    return STEP_MORE;
}

/* Reads a number from p; *q ends it. False when nothing usable was read or it overflowed. */
static bool read_number(const struct fz__extract_state *st, size_t p, struct num *n, size_t *q)
{
    memset(n, 0, sizeof *n);
    *q = p;
    enum step s = STEP_MORE;
    while (s == STEP_MORE && *q < st->len) {
        size_t at = *q;
        s = step(st, n, q);
        if (s == STEP_STOP)
            *q = at;
    }
    int64_t cur;
    if (n->bad || n->arabic + n->cn + n->units == 0 || !cur_fen(n, 0, &cur) ||
        !add_ok(n->section, cur, &cur) || !add_ok(n->total, cur, &n->total))
        return false;
    return true;
}

/* ---- prefixes and units ---- */

static bool ends_with(const struct fz__extract_state *st, size_t p, const char *s, size_t n)
{
    return p >= st->floor + n && !memcmp(st->t + p - n, s, n);
}

bool fz__extract_money_prefix(const struct fz__extract_state *st, size_t p, size_t *start)
{
    if (p > st->floor && (st->t[p - 1] == ' ' || st->t[p - 1] == ':'))
        p--;
    /* ¥ and ￥ end in A5, 人民币 in 81, rmb in b, cny in y: most numbers stop here */
    unsigned char last = p > st->floor ? (unsigned char)st->t[p - 1] : 0;
    if (last != 0xA5 && last != 0x81 && last != 'b' && last != 'y')
        return false;
    static const struct {
        const char *s;
        size_t n;
    } pre[] = {
        {"\xc2\xa5", 2}, {"\xef\xbf\xa5", 3}, {"人民币", 9}, {"rmb", 3}, {"cny", 3},
    };
    for (size_t k = 0; k < sizeof pre / sizeof *pre; k++) {
        if (!ends_with(st, p, pre[k].s, pre[k].n))
            continue;
        size_t s = p - pre[k].n;
        if (fz__is_alpha(pre[k].s[0]) && s > 0 && fz__is_alpha(st->t[s - 1]))
            continue;
        *start = s;
        return true;
    }
    return false;
}

/* The currency unit at q, after at most one space ("元", " 块", "圆", "rmb", " cny",
 * "人民币"): its length, or 0. *yuan tells 元 块 圆 apart. */
static size_t unit_at(const struct fz__extract_state *st, size_t q, bool *yuan)
{
    size_t sp = q < st->len && st->t[q] == ' ';
    *yuan = true;
    if (starts_with(st, q + sp, "元") || starts_with(st, q + sp, "块") ||
        starts_with(st, q + sp, "圆"))
        return sp + 3;
    *yuan = false;
    if (starts_with(st, q + sp, "人民币"))
        return sp + 9;
    if ((starts_with(st, q + sp, "rmb") || starts_with(st, q + sp, "cny")) &&
        (q + sp + 3 >= st->len || !fz__is_alpha(st->t[q + sp + 3])))
        return sp + 3;
    return 0;
}

/* Whether the three bytes at q are one of the characters in set (UTF-8, three bytes each). */
static bool cjk_in(const struct fz__extract_state *st, size_t q, const char *set, size_t n)
{
    if (q + 3 > st->len || (unsigned char)st->t[q] < 0xE0)
        return false;
    for (size_t k = 0; k + 3 <= n; k += 3)
        if (st->t[q] == set[k] && st->t[q + 1] == set[k + 1] && st->t[q + 2] == set[k + 2])
            return true;
    return false;
}

/* Counting words after 万 or 亿 that make "10万人" a head count, "800万像素" a resolution
 * and "50亿美元" or "200万英镑" a sum in another currency: not money in yuan. */
static bool counter_at(const struct fz__extract_state *st, size_t q)
{
    static const char words[] = "人次个条名份件位家户字步米里粉张台辆套只册本平亩吨斤年"
                                "像股部方头棵座瓶箱盒颗架艘桶票篇例倍";
    static const char *const pairs[] = {
        "美元", "美金", "欧元", "日元", "英镑", "港元", "港币", "韩元", "澳元",
        "加元", "卢布", "台币", "泰铢", "公里", "公斤", "公顷", "千瓦", "千米",
        "千克", "立方", "用户", "游客", "网友", "观众", "同胞",
    };
    if (cjk_in(st, q, words, sizeof words - 1))
        return true;
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++)
        if (starts_with_n(st, q, pairs[k], 6))
            return true;
    return false;
}

bool fz__extract_unit_after(const struct fz__extract_state *st, size_t e)
{
    static const char units[] = "元块圆万亿千百年月日时点分秒天周岁";
    size_t q = e < st->len && st->t[e] == ' ' ? e + 1 : e;
    if (q >= st->len)
        return false;
    unsigned char b = (unsigned char)st->t[q];
    if (b < 0x80)
        return b == '%' || starts_with(st, q, "rmb") || starts_with(st, q, "cny");
    if (cjk_in(st, q, units, sizeof units - 1))
        return true;
    return starts_with(st, q, "\xc2\xa5") || starts_with(st, q, "人民币") ||
           (starts_with(st, q, "号") && !starts_with(st, q, "号码"));
}

size_t fz__extract_fen_str(int64_t fen, char *out)
{
    char rev[24];
    size_t n = 0;
    uint64_t v = fen < 0 ? 0 : (uint64_t)fen;
    rev[n++] = (char)('0' + v % 10);
    rev[n++] = (char)('0' + v / 10 % 10);
    rev[n++] = '.';
    v /= 100;
    do
        rev[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    for (size_t k = 0; k < n; k++)
        out[k] = rev[n - 1 - k];
    out[n] = '\0';
    return n;
}

/* Whether what was read, with its prefix and unit, is money. */
static bool is_money(const struct fz__extract_state *st, const struct num *n, size_t q,
                     bool has_prefix, size_t ulen, bool yuan)
{
    size_t u = q + ulen - (yuan ? 3 : 0); /* where 元 块 圆 start */
    if (ulen && yuan && starts_with(st, u, "元") &&
        (starts_with(st, u + 3, "旦") || starts_with(st, u + 3, "宵")))
        return false; /* 元旦, 元宵: holidays */
    if (n->arabic == 0) {
        /* Chinese numerals alone need 元/块/圆 or a currency sign; "一块去" is "together" */
        if (!(ulen && yuan) && !has_prefix)
            return false;
        if (n->units == 0 && n->cn == 1 && starts_with(st, u, "块") &&
            !starts_with(st, u + 3, "钱"))
            return false;
        return true;
    }
    if (has_prefix || ulen)
        return true;
    return n->last_unit >= 4 && !counter_at(st, q);
}

/* A character that can go on a number or end it as money: a numeral, a unit, 点, or the
 * first character of 元 块 圆 人民币. */
static bool numberish_at(const struct fz__extract_state *st, size_t q)
{
    if (q >= st->len || (unsigned char)st->t[q] < 0x80)
        return false;
    const char *p = st->t + q;
    uint32_t cp;
    if (!fz_utf8_decode(&p, st->t + st->len, &cp))
        return false;
    return fz_text_digit(cp) >= 0 || fz__extract_cn_unit(cp) > 0 || cp == 0x70B9 || cp == 0x5143 ||
           cp == 0x5757 || cp == 0x5706 || cp == 0x4EBA;
}

/* After the Arabic digits at p, can the number go on or take a unit? A quick no for most
 * numbers that are not money. */
static bool may_go_on(const struct fz__extract_state *st, size_t p)
{
    p++;
    while (p < st->len && fz__is_digit(st->t[p]) && !fz__extract_gap(st, p - 1))
        p++;
    if (p >= st->len)
        return false;
    switch (st->t[p]) {
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': return true; /* after a removed decimal point or comma */
    case ',':
    case '.': return p + 1 < st->len && fz__is_digit(st->t[p + 1]);
    case ' ':
        return numberish_at(st, p + 1) || starts_with(st, p + 1, "rmb") ||
               starts_with(st, p + 1, "cny");
    case 'r': return starts_with(st, p, "rmb");
    case 'c': return starts_with(st, p, "cny");
    default: return numberish_at(st, p);
    }
}

/* The end of the digits, separators and numerals from q on (a number that overflowed). */
static size_t skip_number(const struct fz__extract_state *st, size_t q)
{
    while (q < st->len) {
        char c = st->t[q];
        if (fz__is_digit(c) || c == ',' || c == '.') {
            q++;
            continue;
        }
        if ((unsigned char)c < 0x80 || !(numberish_at(st, q) || starts_with(st, q, "点")))
            break;
        if (starts_with(st, q, "元") || starts_with(st, q, "块") || starts_with(st, q, "圆") ||
            starts_with(st, q, "人"))
            break;
        q += 3;
    }
    return q;
}

/* The Chinese numeral or unit ending at q (three bytes), if there is one. */
static bool cn_numeral_before(const struct fz__extract_state *st, size_t q)
{
    if (q < st->floor + 3 || ((unsigned char)st->t[q - 3] & 0xF0) != 0xE0)
        return false;
    const char *p = st->t + q - 3;
    uint32_t cp;
    return fz_utf8_decode(&p, st->t + q, &cp) &&
           (fz_text_digit(cp) >= 0 || fz__extract_cn_unit(cp) > 0);
}

fz_rc fz__extract_cn_amount(struct fz__extract_state *st, size_t y)
{
    size_t q = y;
    while (y - q < 60) {
        if (cn_numeral_before(st, q))
            q -= 3;
        else if (q < y && q >= st->floor + 6 && !memcmp(st->t + q - 3, "点", 3) &&
                 cn_numeral_before(st, q - 3))
            q -= 3; /* a decimal point between numerals: 三点五万元 */
        else
            break;
    }
    /* nothing to read, or Arabic digits before: the digit run has had its chance */
    if (q == y || (q > st->floor && fz__is_digit(st->t[q - 1])))
        return FZ_OK;
    size_t end;
    return fz__extract_amount(st, q, true, &end);
}

fz_rc fz__extract_amount(struct fz__extract_state *st, size_t p, bool cn_start, size_t *end)
{
    *end = p;
    size_t start = p;
    bool has_prefix = !cn_start && fz__extract_money_prefix(st, p, &start);
    if (!cn_start && !has_prefix && !may_go_on(st, p))
        return FZ_OK;
    struct num n;
    size_t q;
    if (!read_number(st, p, &n, &q)) {
        /* too big for int64 fen: no amount, and no smaller one read from its tail */
        if (n.bad)
            *end = skip_number(st, q);
        return FZ_OK;
    }
    bool yuan;
    size_t ulen = unit_at(st, q, &yuan);
    if (!is_money(st, &n, q, has_prefix, ulen, yuan))
        return FZ_OK;
    char buf[32];
    size_t blen = fz__extract_fen_str(n.total, buf);
    struct fz_entity *ent;
    fz_rc rc = fz__extract_push(st, FZ_ENT_AMOUNT, start, q + ulen, buf, blen, &ent);
    if (ent)
        ent->amount_fen = n.total;
    *end = q + ulen;
    return rc;
}
