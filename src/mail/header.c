/*
 * mail/header: header values to UTF-8. RFC 2047 encoded words ("=?gb2312?B?...?=") are
 * decoded and converted from their charset; adjacent words of one charset are joined before
 * conversion, since senders split multi-byte characters across them. Text outside encoded
 * words is undeclared 8-bit and goes through fz_mail_to_utf8's guess.
 */
#include "compat.h"

#include "mail_int.h"

#include <string.h>

/* RFC 2047 allows 75 bytes per encoded word; longer "words" are taken as text, which also
 * keeps the scan for "?=" linear. */
#define MAX_WORD 1024

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

fz_rc fz__mail_base64(const char *s, size_t len, struct fz_buf *out)
{
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len && s[i] != '='; i++) {
        int v = b64_value((unsigned char)s[i]);
        if (v < 0)
            continue;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            fz_rc rc = fz_buf_addc(out, (char)((acc >> bits) & 0xFF));
            if (rc)
                return rc;
        }
    }
    return FZ_OK;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* RFC 2047 "Q": '_' is a space, =HH a byte, the rest itself. */
static fz_rc q_decode(const char *s, size_t len, struct fz_buf *out)
{
    fz_rc rc = FZ_OK;
    for (size_t i = 0; i < len && !rc; i++) {
        int hi, lo;
        if (s[i] == '_') {
            rc = fz_buf_addc(out, ' ');
        } else if (s[i] == '=' && i + 2 < len && (hi = hex_value((unsigned char)s[i + 1])) >= 0 &&
                   (lo = hex_value((unsigned char)s[i + 2])) >= 0) {
            rc = fz_buf_addc(out, (char)(hi << 4 | lo));
            i += 2;
        } else {
            rc = fz_buf_addc(out, s[i]);
        }
    }
    return rc;
}

/* One encoded word at s[0..len): "=?charset[*lang]?B|Q?text?=". */
struct word {
    char charset[64];
    char enc; /* 'b' or 'q' */
    const char *text;
    size_t text_len;
    size_t len; /* bytes of the whole word */
};

static bool parse_word(const char *s, size_t len, struct word *w)
{
    if (len < 8 || s[0] != '=' || s[1] != '?')
        return false;
    size_t i = 2, n = 0;
    for (; i < len && s[i] != '?'; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c >= 0x7F || n + 1 >= sizeof w->charset)
            return false;
        w->charset[n++] = (char)c;
    }
    w->charset[n] = '\0';
    if (!n || i + 3 >= len || s[i + 2] != '?')
        return false;
    w->enc = (char)(s[i + 1] | 0x20);
    if (w->enc != 'b' && w->enc != 'q')
        return false;
    size_t start = i + 3;
    size_t lim = len - start < MAX_WORD ? len : start + MAX_WORD;
    for (size_t k = start; k + 1 < lim; k++) {
        if (s[k] == '\r' || s[k] == '\n')
            return false;
        if (s[k] == '?' && s[k + 1] == '=') {
            w->text = s + start;
            w->text_len = k - start;
            w->len = k + 2;
            return true;
        }
    }
    return false;
}

struct hdr {
    struct fz_buf *out;
    struct fz_buf pend; /* bytes of adjacent encoded words in charset cs, not yet converted */
    struct fz_buf lit;  /* raw text since the last encoded word */
    char cs[64];
    bool after_word;
};

static fz_rc flush_pend(struct hdr *h)
{
    fz_rc rc = h->pend.len ? fz_mail_to_utf8(h->cs, h->pend.ptr, h->pend.len, h->out) : FZ_OK;
    fz_buf_reset(&h->pend);
    return rc;
}

static fz_rc flush_lit(struct hdr *h)
{
    fz_rc rc = h->lit.len ? fz_mail_to_utf8(NULL, h->lit.ptr, h->lit.len, h->out) : FZ_OK;
    fz_buf_reset(&h->lit);
    return rc;
}

static bool all_space(const struct fz_buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        if (b->ptr[i] != ' ' && b->ptr[i] != '\t')
            return false;
    return true;
}

static fz_rc on_word(struct hdr *h, const struct word *w)
{
    fz_rc rc = FZ_OK;
    /* White space between two encoded words is not part of the text (RFC 2047 6.2). */
    bool joined = h->after_word && all_space(&h->lit);
    if (joined)
        fz_buf_reset(&h->lit);
    if (!joined || strcmp(h->cs, w->charset) != 0) {
        if (!(rc = flush_pend(h)))
            rc = flush_lit(h);
        memcpy(h->cs, w->charset, sizeof h->cs);
    }
    if (!rc)
        rc = w->enc == 'b' ? fz__mail_base64(w->text, w->text_len, &h->pend)
                           : q_decode(w->text, w->text_len, &h->pend);
    h->after_word = true;
    return rc;
}

fz_rc fz__mail_header_decode(const char *s, size_t len, struct fz_buf *out)
{
    struct hdr h = {.out = out};
    fz_buf_init(&h.pend, FZ_CAP_MAIL_MESSAGE);
    fz_buf_init(&h.lit, FZ_CAP_MAIL_MESSAGE);
    fz_rc rc = FZ_OK;
    for (size_t i = 0; i < len && !rc;) {
        struct word w;
        if (s[i] == '=' && parse_word(s + i, len - i, &w)) {
            rc = on_word(&h, &w);
            i += w.len;
            continue;
        }
        if (s[i] != '\r' && s[i] != '\n') /* folding: the line break goes, the blank stays */
            rc = fz_buf_addc(&h.lit, s[i]);
        i++;
    }
    if (!rc)
        rc = flush_pend(&h);
    if (!rc)
        rc = flush_lit(&h);
    fz_buf_release(&h.pend);
    fz_buf_release(&h.lit);
    return rc;
}
