/*
 * phone/scan: the first pass over untrusted bytes. Turns what people and switches write into
 * ASCII digits and form flags: a leading '+', a tel: URI, separators of many scripts,
 * full-width digits and Chinese numerals (小写 一二三, 大写 壹贰叁, and the radio/military
 * readings 幺两拐洞勾). It knows nothing of numbering plans: phone.c and cn.c decide what the
 * digits are.
 */
#include "phone_int.h"

#include <string.h>

/* What one code point is to a phone number. */
enum kind {
    K_BAD,   /* not part of a phone number: the input is not one */
    K_DIGIT, /* a digit, value in cp_info.digit */
    K_PLUS,  /* the international prefix '+' */
    K_SEP,   /* spaces, hyphens, zero-width characters */
    K_DOT,   /* '.' and '/': separators that also make amounts and dates */
    K_OPEN,  /* '(' */
    K_CLOSE, /* ')' */
    K_EDGE,  /* CR, LF: allowed around the number, never inside it */
};

struct cp_info {
    enum kind kind;
    char digit;    /* '0'..'9' for K_DIGIT */
    uint32_t flag; /* FZ_PHONE_HAD_FULLWIDTH or FZ_PHONE_HAD_CN_NUMERALS, else 0 */
};

/* Chinese numerals read digit by digit, sorted by code point for the binary search below.
 * 幺 (1), 两 (2), 拐 (7), 洞 (0) and 勾 (9) are the radio readings used when numbers are read
 * aloud; traditional forms of the financial numerals are included. */
/* clang-format off */
static const struct {
    uint32_t cp;
    char digit;
} cn_digits[] = {
    {0x3007, '0'}, /* 〇 */ {0x4E00, '1'}, /* 一 */ {0x4E03, '7'}, /* 七 */
    {0x4E09, '3'}, /* 三 */ {0x4E24, '2'}, /* 两 */ {0x4E5D, '9'}, /* 九 */
    {0x4E8C, '2'}, /* 二 */ {0x4E94, '5'}, /* 五 */ {0x4F0D, '5'}, /* 伍 */
    {0x5169, '2'}, /* 兩 */ {0x516B, '8'}, /* 八 */ {0x516D, '6'}, /* 六 */
    {0x52FE, '9'}, /* 勾 */ {0x53C1, '3'}, /* 叁 */ {0x53C3, '3'}, /* 參 */
    {0x53C4, '3'}, /* 叄 */ {0x56DB, '4'}, /* 四 */ {0x58F9, '1'}, /* 壹 */
    {0x5E7A, '1'}, /* 幺 */ {0x62D0, '7'}, /* 拐 */ {0x634C, '8'}, /* 捌 */
    {0x67D2, '7'}, /* 柒 */ {0x6D1E, '0'}, /* 洞 */ {0x7396, '9'}, /* 玖 */
    {0x8086, '4'}, /* 肆 */ {0x8CB3, '2'}, /* 貳 */ {0x8D30, '2'}, /* 贰 */
    {0x9646, '6'}, /* 陆 */ {0x9678, '6'}, /* 陸 */ {0x96F6, '0'}, /* 零 */
};
/* clang-format on */

static char cn_digit(uint32_t cp)
{
    size_t lo = 0, hi = sizeof cn_digits / sizeof cn_digits[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cn_digits[mid].cp == cp)
            return cn_digits[mid].digit;
        if (cn_digits[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static enum kind ascii_kind(uint32_t c)
{
    switch (c) {
    case '+': return K_PLUS;
    case ' ':
    case '\t':
    case '-': return K_SEP;
    case '.':
    case '/': return K_DOT;
    case '(': return K_OPEN;
    case ')': return K_CLOSE;
    case '\r':
    case '\n': return K_EDGE;
    default: return K_BAD;
    }
}

/* Separators outside ASCII: spaces, dashes and minus signs, zero-width characters (used to
 * slip numbers past keyword filters), and full-width punctuation. */
static enum kind unicode_sep_kind(uint32_t cp)
{
    if ((cp >= 0x2000 && cp <= 0x200D) || (cp >= 0x2010 && cp <= 0x2015))
        return K_SEP; /* spaces, zero-width space/joiners, hyphens and dashes */
    switch (cp) {
    case 0x00A0:
    case 0x202F:
    case 0x205F:
    case 0x2060:
    case 0x2212:
    case 0x3000:
    case 0xFE58:
    case 0xFE63:
    case 0xFEFF:
    case 0xFF0D: return K_SEP;
    case 0x00B7:
    case 0x2027:
    case 0x3002:
    case 0x30FB:
    case 0xFF0E:
    case 0xFF0F: return K_DOT; /* middle dots, 。, full-width . and / */
    case 0xFF08: return K_OPEN;
    case 0xFF09: return K_CLOSE;
    default: return K_BAD;
    }
}

static struct cp_info classify_cp(uint32_t cp)
{
    struct cp_info ci = {K_BAD, 0, 0};
    if (cp >= '0' && cp <= '9') {
        ci.kind = K_DIGIT;
        ci.digit = (char)cp;
    } else if (cp < 0x80) {
        ci.kind = ascii_kind(cp);
    } else if (cp >= 0xFF10 && cp <= 0xFF19) {
        ci.kind = K_DIGIT;
        ci.digit = (char)('0' + (cp - 0xFF10));
        ci.flag = FZ_PHONE_HAD_FULLWIDTH;
    } else if (cp == 0xFF0B) {
        ci.kind = K_PLUS;
        ci.flag = FZ_PHONE_HAD_FULLWIDTH;
    } else if ((ci.digit = cn_digit(cp)) != 0) {
        ci.kind = K_DIGIT;
        ci.flag = FZ_PHONE_HAD_CN_NUMERALS;
    } else {
        ci.kind = unicode_sep_kind(cp);
    }
    return ci;
}

/* Limits on the layout: a real number has at most two groups in parentheses ("(+86) (0)10",
 * "(+86)(010)") and a few separators between two digits (" - ", ") "); more is text that
 * happens to contain digits. */
#define MAX_GROUPS 2
#define MAX_SEP_RUN 4

/* Scanner state between code points. "Significant" means a digit or the '+': separators only
 * count (had_separators, has_dot) when they stand between two significant characters. */
struct state {
    size_t nsig;       /* digits and '+' seen */
    size_t sep_run;    /* separators since the last significant character */
    bool sep_pending;  /* a separator followed the last significant character */
    bool dot_pending;  /* ... and one of them was a K_DOT */
    bool edge_pending; /* a CR/LF followed a significant character */
    int depth;         /* open parentheses */
    int groups;        /* '(' seen */
    size_t open_n;     /* digit count when the last '(' was seen */
    size_t open_sig;   /* nsig when the last '(' was seen */
};

static bool add_significant(struct fz__phone_scan *s, struct state *st)
{
    if (st->edge_pending || st->sep_run > MAX_SEP_RUN)
        return false;
    if (st->sep_pending)
        s->flags |= FZ_PHONE_HAD_SEPARATORS;
    if (st->dot_pending)
        s->has_dot = true;
    st->sep_pending = st->dot_pending = false;
    st->sep_run = 0;
    st->nsig++;
    return true;
}

/* A separator, '(' or ')': remembered only once the number has started. */
static void add_separator(struct state *st, bool is_dot)
{
    if (st->nsig == 0)
        return;
    st->sep_pending = true;
    st->dot_pending |= is_dot;
    st->sep_run++;
}

static bool step(struct fz__phone_scan *s, struct state *st, struct cp_info ci)
{
    switch (ci.kind) {
    case K_DIGIT:
        if (s->n == FZ__PHONE_MAX_DIGITS || !add_significant(s, st))
            return false;
        s->d[s->n++] = ci.digit;
        s->flags |= ci.flag;
        return true;
    case K_PLUS:
        if (st->nsig > 0 || !add_significant(s, st))
            return false;
        s->flags |= FZ_PHONE_HAD_PLUS | ci.flag;
        return true;
    case K_SEP:
    case K_DOT: add_separator(st, ci.kind == K_DOT); return true;
    case K_OPEN:
        if (st->depth > 0 || st->groups == MAX_GROUPS)
            return false;
        st->depth++;
        st->groups++;
        st->open_n = s->n;
        st->open_sig = st->nsig;
        add_separator(st, false);
        return true;
    case K_CLOSE:
        if (st->depth == 0 || st->nsig == st->open_sig)
            return false; /* unbalanced, or "()" */
        st->depth--;
        if (s->n == st->open_n + 1 && s->d[s->n - 1] == '0')
            s->trunk0 = s->n - 1;
        add_separator(st, false);
        return true;
    case K_EDGE: st->edge_pending = st->nsig > 0; return true;
    case K_BAD: break;
    }
    return false;
}

/* Fast path for most bytes of most inputs: a run of ASCII digits with no separator pending,
 * where add_significant() would only count each digit. Returns where the run ends. */
static const char *digit_run(struct fz__phone_scan *s, struct state *st, const char *p,
                             const char *end)
{
    size_t n = s->n;
    while (p < end && n < FZ__PHONE_MAX_DIGITS && (unsigned char)(*p - '0') < 10)
        s->d[n++] = *p++;
    st->nsig += n - s->n;
    s->n = n;
    return p;
}

/* Skips "tel:" (any case) and an optional "//" at *p; true when there was one. */
static bool skip_tel(const char **p, const char *end)
{
    const char *s = *p;
    if (end - s < 4 || (s[0] | 0x20) != 't' || (s[1] | 0x20) != 'e' || (s[2] | 0x20) != 'l' ||
        s[3] != ':')
        return false;
    s += 4;
    if (end - s >= 2 && s[0] == '/' && s[1] == '/')
        s += 2;
    *p = s;
    return true;
}

bool fz__phone_scan(const char *in, size_t len, struct fz__phone_scan *s)
{
    const char *p = in, *end = in + len;
    struct state st = {0};
    s->n = 0;
    s->trunk0 = FZ__PHONE_NO_TRUNK;
    s->flags = 0;
    s->has_dot = false;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    bool is_tel = skip_tel(&p, end);
    if (is_tel)
        s->flags |= FZ_PHONE_HAD_TEL_URI;
    while (p < end) {
        if (!st.sep_pending && !st.edge_pending)
            p = digit_run(s, &st, p, end);
        if (p == end)
            break;
        uint32_t cp = (unsigned char)*p;
        if (cp < 0x80)
            p++;
        else if (!fz_utf8_decode(&p, end, &cp))
            return false;
        if (cp == ';' && is_tel)
            break; /* URI parameters (;ext=, ;phone-context=) are not part of the number */
        if (!step(s, &st, classify_cp(cp)))
            return false;
    }
    return st.depth == 0 && s->n > 0;
}
