/*
 * mail/charset: text in a MIME charset to UTF-8 (iconv), with the aliases senders actually
 * mean (GB2312 → GB18030, Big5 → Big5-HKSCS, ISO-8859-1 → Windows-1252), a guess for text
 * that declares no charset, and the capped appends the other files of the module share.
 */
#include "compat.h"

#include "mail_int.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

fz_rc fz__mail_put(struct fz_buf *out, const char *s, size_t n)
{
    size_t room = out->max > out->len ? out->max - out->len : 0;
    if (n == 0)
        return FZ_OK; /* s may be NULL then */
    if (n <= room)
        return fz_buf_add(out, s, n);
    size_t k = room;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    fz_rc rc = fz_buf_add(out, s, k);
    return rc ? rc : FZ_E(FZ_ETOOBIG);
}

fz_rc fz__mail_put_cp(struct fz_buf *out, uint32_t cp)
{
    char u[4];
    size_t n = fz_utf8_encode(cp, u);
    if (!n)
        n = fz_utf8_encode(FZ_UTF8_REPLACEMENT, u);
    return fz__mail_put(out, u, n);
}

/* Appends s[0..len) taken as UTF-8, each invalid byte as U+FFFD. */
static fz_rc put_utf8(const char *s, size_t len, struct fz_buf *out)
{
    if (fz_utf8_valid(s, len))
        return fz__mail_put(out, s, len);
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *start = p;
        uint32_t cp;
        bool ok = fz_utf8_decode(&p, end, &cp);
        fz_rc rc = ok ? fz__mail_put(out, start, (size_t)(p - start))
                      : fz__mail_put_cp(out, FZ_UTF8_REPLACEMENT);
        if (rc)
            return rc;
    }
    return FZ_OK;
}

/* True when s[0..len) is valid UTF-8 with at least one multi-byte character. */
static bool is_utf8_text(const char *s, size_t len)
{
    bool high = false;
    for (size_t i = 0; i < len && !high; i++)
        high = (unsigned char)s[i] >= 0x80;
    return high && fz_utf8_valid(s, len);
}

/*
 * Converts with cd into out. strict: stop with FZ_EPARSE at the first invalid or truncated
 * sequence (for guessing); otherwise each invalid byte becomes U+FFFD.
 */
static fz_rc convert(iconv_t cd, const char *s, size_t len, bool strict, struct fz_buf *out)
{
    char tmp[4096];
    char *in = (char *)(uintptr_t)s; /* iconv's prototype lacks const */
    size_t left = len;
    while (left > 0) {
        char *o = tmp;
        size_t oleft = sizeof tmp;
        size_t r = iconv(cd, &in, &left, &o, &oleft);
        int e = errno;
        /* iconv writes whole characters only, so tmp never ends inside one. */
        fz_rc rc = fz__mail_put(out, tmp, (size_t)(o - tmp));
        if (rc)
            return rc;
        if (r != (size_t)-1 || e == E2BIG)
            continue;
        if (strict)
            return FZ_EPARSE;
        if ((rc = fz__mail_put_cp(out, FZ_UTF8_REPLACEMENT)))
            return rc;
        if (e == EINVAL) /* a truncated sequence at the end */
            break;
        in++;
        left--;
        iconv(cd, NULL, NULL, NULL, NULL); /* back to the initial shift state */
    }
    char *o = tmp;
    size_t oleft = sizeof tmp;
    iconv(cd, NULL, NULL, &o, &oleft); /* the closing shift sequence of stateful charsets */
    return fz__mail_put(out, tmp, (size_t)(o - tmp));
}

/*
 * Whether undeclared bytes look like GB18030 Chinese: every byte over 0x7F starts a two-byte
 * character with a trail byte over 0x7F or a four-byte one. GBK's trail bytes 0x40..0x7E are
 * valid but rare in running text, while Latin-1 text ("na\xefve") is full of such pairs.
 */
static bool looks_gb(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        if (*p < 0x80) {
            p++;
        } else if (*p >= 0x81 && *p <= 0xFE && end - p >= 2 && p[1] >= 0x80 && p[1] <= 0xFE) {
            p += 2;
        } else if (*p >= 0x81 && *p <= 0xFE && end - p >= 4 && p[1] >= '0' && p[1] <= '9' &&
                   p[2] >= 0x81 && p[2] <= 0xFE && p[3] >= '0' && p[3] <= '9') {
            p += 4;
        } else {
            return false;
        }
    }
    return true;
}

/* Strict GB18030: FZ_EPARSE (out as it was) when s does not look like GB18030 text. */
static fz_rc try_gb18030(const char *s, size_t len, struct fz_buf *out)
{
    if (!looks_gb(s, len))
        return FZ_EPARSE;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return FZ_EPARSE;
    size_t mark = out->len;
    fz_rc rc = convert(cd, s, len, true, out);
    iconv_close(cd);
    if (rc == FZ_EPARSE) {
        out->len = mark;
        if (out->ptr)
            out->ptr[mark] = '\0';
    }
    return rc;
}

/* The iconv name for a MIME charset, or NULL for "guess". name is lower case. */
static const char *iconv_name(const char *name)
{
    static const struct {
        const char *mime, *iconv;
    } aliases[] = {
        {"gb2312", "GB18030"},      {"gbk", "GB18030"},
        {"gb18030", "GB18030"},     {"euc-cn", "GB18030"},
        {"x-euc-cn", "GB18030"},    {"cp936", "GB18030"},
        {"x-gbk", "GB18030"},       {"csgb2312", "GB18030"},
        {"gb_2312-80", "GB18030"},  {"chinese", "GB18030"},
        {"windows-936", "GB18030"}, {"big5", "BIG5-HKSCS"},
        {"big-5", "BIG5-HKSCS"},    {"cn-big5", "BIG5-HKSCS"},
        {"x-x-big5", "BIG5-HKSCS"}, {"csbig5", "BIG5-HKSCS"},
        {"cp950", "BIG5-HKSCS"},    {"big5-hkscs", "BIG5-HKSCS"},
        {"iso-8859-1", "CP1252"},   {"iso8859-1", "CP1252"},
        {"iso_8859-1", "CP1252"},   {"latin1", "CP1252"},
        {"l1", "CP1252"},           {"windows-1252", "CP1252"},
        {"cp1252", "CP1252"},       {"ks_c_5601-1987", "CP949"},
        {"euc-kr", "CP949"},        {"ks_c_5601", "CP949"},
        {"shift_jis", "CP932"},     {"sjis", "CP932"},
        {"x-sjis", "CP932"},        {"windows-874", "CP874"},
        {"tis-620", "CP874"},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (!strcmp(name, aliases[i].mime))
            return aliases[i].iconv;
    static const char *const guessed[] = {"us-ascii",     "ascii",     "ansi_x3.4-1968", "us",
                                          "unknown-8bit", "x-unknown", "default"};
    for (size_t i = 0; i < sizeof guessed / sizeof *guessed; i++)
        if (!strcmp(name, guessed[i]))
            return NULL;
    return name;
}

/* The charset name lower-cased into buf, without quotes, spaces or an RFC 2231 language. */
static void clean_name(const char *charset, char *buf, size_t cap)
{
    size_t n = 0;
    for (const char *p = charset; *p && *p != '*' && n + 1 < cap; p++) {
        char c = *p;
        if (c == '"' || c == '\'' || c == ' ' || c == '\t')
            continue;
        buf[n++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    buf[n] = '\0';
}

fz_rc fz_mail_to_utf8(const char *charset, const char *s, size_t len, struct fz_buf *out)
{
    char name[64] = "";
    if (charset)
        clean_name(charset, name, sizeof name);
    /* Valid UTF-8 with multi-byte characters is UTF-8 whatever the label says: mislabelled
     * UTF-8 is common, and other text is almost never valid UTF-8 by accident. */
    if (!strcmp(name, "utf-8") || !strcmp(name, "utf8") || is_utf8_text(s, len))
        return put_utf8(s, len, out);
    const char *cs = name[0] ? iconv_name(name) : NULL;
    iconv_t cd = cs ? iconv_open("UTF-8", cs) : (iconv_t)-1;
    if (cd != (iconv_t)-1) {
        fz_rc rc = convert(cd, s, len, false, out);
        iconv_close(cd);
        return rc;
    }
    /* No charset, or one iconv does not know: guess. */
    if (fz_utf8_valid(s, len))
        return fz__mail_put(out, s, len);
    fz_rc rc = try_gb18030(s, len, out);
    if (rc != FZ_EPARSE)
        return rc;
    if ((cd = iconv_open("UTF-8", "CP1252")) == (iconv_t)-1)
        return put_utf8(s, len, out);
    rc = convert(cd, s, len, false, out);
    iconv_close(cd);
    return rc;
}
