/* core/json: a streaming JSON writer into struct fz_buf, and a capped reader on jansson. */
#include "compat.h"

#include "fangzha/core.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void fz_json_init(struct fz_json *j, struct fz_buf *out)
{
    j->out = out;
    j->rc = FZ_OK;
    j->depth = 0;
    j->need_comma[0] = false;
    j->after_key = false;
}

/*
 * Output goes through room() and done(): room(j, n) returns where n more bytes may be written
 * (growing the buffer only when it is short), done() records the new end. Values are small,
 * so copies are inline loops rather than calls. After an error room() returns NULL and every
 * later call is a no-op.
 */
__attribute__((noinline)) static char *room_grow(struct fz_json *j, size_t n)
{
    if (!j->rc)
        j->rc = fz_buf_reserve(j->out, n);
    return j->rc ? NULL : j->out->ptr + j->out->len;
}

static inline char *room(struct fz_json *j, size_t n)
{
    struct fz_buf *b = j->out;
    if (__builtin_expect(!j->rc && b->ptr && n < b->cap - b->len, 1))
        return b->ptr + b->len;
    return room_grow(j, n);
}

static void done(struct fz_json *j, char *end)
{
    j->out->len = (size_t)(end - j->out->ptr);
    *end = '\0';
}

static char *copy(char *o, const char *s, size_t n)
{
    if (n > 32) {
        memcpy(o, s, n);
        return o + n;
    }
    while (n--)
        *o++ = *s++;
    return o;
}

static void put(struct fz_json *j, const char *s, size_t n)
{
    char *o = room(j, n);
    if (o)
        done(j, copy(o, s, n));
}

/* Before any value: 1 when a comma is due (a sibling came before, and no key just did). */
static size_t comma_due(struct fz_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return 0;
    }
    size_t due = j->need_comma[j->depth];
    j->need_comma[j->depth] = true;
    return due;
}

/* Writes the comma (when due) and the n bytes of s as one value. */
static void put_value(struct fz_json *j, const char *s, size_t n)
{
    size_t c = comma_due(j);
    char *o = room(j, c + n);
    if (!o)
        return;
    *o = ',';
    done(j, copy(o + c, s, n));
}

static void open_(struct fz_json *j, char c)
{
    put_value(j, &c, 1);
    if (j->depth + 1 >= FZ_JSON_MAX_DEPTH) {
        if (!j->rc)
            j->rc = FZ_E(FZ_ETOOBIG);
        return;
    }
    j->need_comma[++j->depth] = false;
}

static void close_(struct fz_json *j, char c)
{
    if (j->depth > 0)
        j->depth--;
    put(j, &c, 1);
}

void fz_json_obj(struct fz_json *j) { open_(j, '{'); }
void fz_json_obj_end(struct fz_json *j) { close_(j, '}'); }
void fz_json_arr(struct fz_json *j) { open_(j, '['); }
void fz_json_arr_end(struct fz_json *j) { close_(j, ']'); }

/* ASCII bytes that may be copied into a JSON string as they are: printable, but '"' and '\\'.
 * Bytes >= 0x80 are checked as UTF-8 sequences. */
static const bool ascii_plain[128] = {
    [' '] = 1,
    ['!'] = 1,
    ['#' ... '['] = 1,
    [']' ... '~'] = 1,
};

/* True when the 8 bytes at p are all plain ASCII: none >= 0x80, < 0x20, '"' or '\\' (the
 * classic has-zero-byte test on the word and on its XORs with the two quote bytes). */
static bool plain8(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t w;
    memcpy(&w, p, 8);
    uint64_t below_space = (w - ones * 0x20) & ~w;
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    uint64_t has_quote = (quote - ones) & ~quote, has_backslash = (backslash - ones) & ~backslash;
    return ((w | below_space | has_quote | has_backslash) & highs) == 0;
}

/* The length of the longest prefix of s[0..len) that needs no escaping: plain ASCII and
 * valid UTF-8. */
static size_t plain_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        if (end - p >= 8 && plain8(p)) {
            p += 8;
            continue;
        }
        if (*p < 0x80) {
            if (!ascii_plain[*p])
                break;
            p++;
        } else if (*p >= 0xE1 && *p <= 0xEC && end - p >= 3 && (p[1] & 0xC0) == 0x80 &&
                   (p[2] & 0xC0) == 0x80) {
            p += 3; /* most CJK: a 3-byte sequence that needs no further checks */
        } else {
            const char *q = (const char *)p;
            uint32_t cp;
            if (!fz_utf8_decode(&q, (const char *)end, &cp))
                break;
            p = (const unsigned char *)q;
        }
    }
    return (size_t)(p - (const unsigned char *)s);
}

static void put_escape(struct fz_json *j, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char esc[6] = {'\\', (char)c, 0, 0, 0, 0};
    size_t n = 2;
    switch (c) {
    case '"':
    case '\\': break;
    case '\n': esc[1] = 'n'; break;
    case '\r': esc[1] = 'r'; break;
    case '\t': esc[1] = 't'; break;
    case '\b': esc[1] = 'b'; break;
    case '\f': esc[1] = 'f'; break;
    default:
        memcpy(esc, "\\u00", 4);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        n = 6;
    }
    put(j, esc, n);
}

/* The rest of a string from its first byte that needs care, and the closing quote. */
static void put_escaped_tail(struct fz_json *j, const char *p, const char *end)
{
    while (p < end) {
        size_t n = plain_prefix(p, (size_t)(end - p));
        put(j, p, n);
        p += n;
        if (p == end)
            break;
        unsigned char c = (unsigned char)*p++;
        if (c >= 0x80)
            put(j, "\xEF\xBF\xBD", 3); /* U+FFFD for a byte that is not UTF-8 */
        else
            put_escape(j, c);
    }
    put(j, "\"", 1);
}

/* A string value with its comma when due: one copy when nothing needs escaping. */
static void put_string(struct fz_json *j, const char *s, size_t len)
{
    size_t plain = plain_prefix(s, len);
    size_t c = comma_due(j);
    bool whole = plain == len;
    char *o = room(j, c + plain + 1 + whole);
    if (!o)
        return;
    *o = ',';
    o += c;
    *o++ = '"';
    o = copy(o, s, plain);
    if (whole)
        *o++ = '"';
    done(j, o);
    if (!whole)
        put_escaped_tail(j, s + plain, s + len);
}

void fz_json_key_n(struct fz_json *j, const char *key, size_t n)
{
    size_t c = comma_due(j);
    char *o = room(j, c + n + 3);
    if (o) {
        *o = ',';
        o += c;
        *o++ = '"';
        memcpy(o, key, n);
        o += n;
        *o++ = '"';
        *o++ = ':';
        done(j, o);
    }
    j->after_key = true;
}

void fz_json_str(struct fz_json *j, const char *s, size_t len) { put_string(j, s, len); }

void fz_json_cstr(struct fz_json *j, const char *s)
{
    if (!s) {
        fz_json_null(j);
        return;
    }
    put_string(j, s, strlen(s));
}

/* Writes v in decimal into the end of tmp[24]; returns where the digits start. */
static char *fmt_u64(uint64_t v, char tmp[24])
{
    char *p = tmp + 24;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    return p;
}

void fz_json_int(struct fz_json *j, int64_t v)
{
    char tmp[24];
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char *p = fmt_u64(u, tmp);
    if (v < 0)
        *--p = '-';
    put_value(j, p, (size_t)(tmp + 24 - p));
}

void fz_json_uint(struct fz_json *j, uint64_t v)
{
    char tmp[24];
    char *p = fmt_u64(v, tmp);
    put_value(j, p, (size_t)(tmp + 24 - p));
}

/* The common case without printf: |v| < 1e9, at most 9 decimals, trailing zeros trimmed. */
static void put_fixed(struct fz_json *j, double v, int decimals)
{
    uint64_t scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    long long scaled = llround(v * (double)scale);
    bool neg = scaled < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)scaled : (uint64_t)scaled;
    uint64_t ip = u / scale, frac = u % scale;
    char tmp[48];
    char *p = tmp + 24;
    int d = decimals;
    while (d > 0 && frac % 10 == 0) /* trim trailing zeros */
        frac /= 10, d--;
    for (int i = 0; i < d; i++, frac /= 10)
        *--p = (char)('0' + frac % 10);
    if (d > 0)
        *--p = '.';
    char num[24];
    char *q = fmt_u64(ip, num);
    size_t ilen = (size_t)(num + 24 - q);
    p -= ilen;
    memcpy(p, q, ilen);
    if (neg && (ip || d > 0))
        *--p = '-';
    put_value(j, p, (size_t)(tmp + 24 - p));
}

void fz_json_num(struct fz_json *j, double v, int decimals)
{
    if (!isfinite(v)) {
        fz_json_null(j);
        return;
    }
    if (decimals >= 0 && decimals <= 9 && fabs(v) < 1e9) {
        put_fixed(j, v, decimals);
        return;
    }
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        fz_json_null(j);
        return;
    }
    if (memchr(tmp, '.', (size_t)n)) {
        while (n > 1 && tmp[n - 1] == '0')
            n--;
        if (tmp[n - 1] == '.')
            n--;
    }
    if (n == 2 && tmp[0] == '-' && tmp[1] == '0')
        tmp[0] = '0', n = 1;
    put_value(j, tmp, (size_t)n);
}

void fz_json_bool(struct fz_json *j, bool v) { put_value(j, v ? "true" : "false", v ? 4 : 5); }

void fz_json_raw(struct fz_json *j, const char *json, size_t n) { put_value(j, json, n); }

void fz_json_null(struct fz_json *j) { put_value(j, "null", 4); }

void fz_json_flags(struct fz_json *j, uint32_t flags, const char *(*name)(uint32_t))
{
    fz_json_key(j, "flags");
    fz_json_arr(j);
    for (uint32_t bit = 1; bit && bit <= flags; bit <<= 1)
        if (flags & bit)
            fz_json_cstr(j, name(bit));
    fz_json_arr_end(j);
}

void fz_json_reason_fields(struct fz_json *j, const char *key, const char *code, int weight,
                           const char *zh, const char *en)
{
    fz_json_key(j, key);
    fz_json_cstr(j, code);
    fz_json_key(j, "weight");
    fz_json_int(j, weight);
    fz_json_key(j, "description_zh");
    fz_json_cstr(j, zh);
    fz_json_key(j, "description_en");
    fz_json_cstr(j, en);
}

fz_rc fz_json_parse(const char *s, size_t len, struct json_t **out, struct fz_err *err)
{
    if (len > FZ_CAP_JSON_DOC)
        return fz_err_set(err, FZ_ETOOBIG, "JSON document of %zu bytes exceeds %zu", len,
                          (size_t)FZ_CAP_JSON_DOC);
    json_error_t je;
    json_t *v = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        /* jansson quotes the offending token ("... near '13800138000x'"): the input may be a
         * resident's data and the message may reach a log, so the column says where instead */
        char *near = strstr(je.text, " near '");
        if (near)
            *near = '\0';
        return fz_err_setloc(err, FZ_EPARSE, (size_t)(je.line > 0 ? je.line : 0), "",
                             "bad JSON at column %d: %s", je.column, je.text);
    }
    *out = v;
    return FZ_OK;
}

void fz_json_reasons(struct fz_json *j, const struct fz_reason *const *reasons, int n)
{
    fz_json_key(j, "reasons");
    fz_json_arr(j);
    for (int i = 0; i < n; i++) {
        fz_json_obj(j);
        fz_json_reason_fields(j, "signal", reasons[i]->code, reasons[i]->weight, reasons[i]->zh,
                              reasons[i]->en);
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
}
