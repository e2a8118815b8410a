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

static void put(struct fz_json *j, const char *s, size_t n)
{
    struct fz_buf *b = j->out;
    if (!j->rc && b->ptr && n < b->cap - b->len) { /* the common case, without a call */
        memcpy(b->ptr + b->len, s, n);
        b->len += n;
        b->ptr[b->len] = '\0';
        return;
    }
    if (!j->rc)
        j->rc = fz_buf_add(b, s, n);
}

/* Before any value: a comma if a sibling came before, unless a key just did. */
static void value_prefix(struct fz_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->need_comma[j->depth])
        put(j, ",", 1);
    j->need_comma[j->depth] = true;
}

static void open_(struct fz_json *j, char c)
{
    value_prefix(j);
    put(j, &c, 1);
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

/* Bytes that may be copied into a JSON string as they are: printable ASCII but '"' and
 * '\\'. Bytes >= 0x80 are checked as UTF-8 sequences. */
static bool is_plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

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

static void put_escaped(struct fz_json *j, const char *s, size_t len)
{
    const char *p = s, *end = s + len, *run = s;
    put(j, "\"", 1);
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (is_plain(c)) {
            p++;
            continue;
        }
        if (c >= 0xE1 && c <= 0xEC && end - p >= 3 && ((unsigned char)p[1] & 0xC0) == 0x80 &&
            ((unsigned char)p[2] & 0xC0) == 0x80) {
            p += 3; /* most CJK: a 3-byte sequence that needs no further checks */
            continue;
        }
        if (c >= 0x80) {
            const char *q = p;
            uint32_t cp;
            if (fz_utf8_decode(&q, end, &cp)) {
                p = q;
                continue;
            }
            put(j, run, (size_t)(p - run));
            put(j, "\xEF\xBF\xBD", 3); /* U+FFFD for a byte that is not UTF-8 */
        } else {
            put(j, run, (size_t)(p - run));
            put_escape(j, c);
        }
        run = ++p;
    }
    put(j, run, (size_t)(p - run));
    put(j, "\"", 1);
}

void fz_json_key(struct fz_json *j, const char *key)
{
    /* Keys are the program's own ASCII names: no escaping needed. */
    char tmp[64];
    size_t n = strlen(key);
    value_prefix(j);
    if (n + 3 > sizeof tmp) {
        put_escaped(j, key, n);
        put(j, ":", 1);
    } else {
        tmp[0] = '"';
        memcpy(tmp + 1, key, n);
        memcpy(tmp + 1 + n, "\":", 2);
        put(j, tmp, n + 3);
    }
    j->after_key = true;
}

void fz_json_str(struct fz_json *j, const char *s, size_t len)
{
    value_prefix(j);
    put_escaped(j, s, len);
}

void fz_json_cstr(struct fz_json *j, const char *s)
{
    if (!s) {
        fz_json_null(j);
        return;
    }
    fz_json_str(j, s, strlen(s));
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
    value_prefix(j);
    put(j, p, (size_t)(tmp + 24 - p));
}

void fz_json_uint(struct fz_json *j, uint64_t v)
{
    char tmp[24];
    char *p = fmt_u64(v, tmp);
    value_prefix(j);
    put(j, p, (size_t)(tmp + 24 - p));
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
    value_prefix(j);
    put(j, p, (size_t)(tmp + 24 - p));
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
    value_prefix(j);
    put(j, tmp, (size_t)n);
}

void fz_json_bool(struct fz_json *j, bool v)
{
    value_prefix(j);
    put(j, v ? "true" : "false", v ? 4 : 5);
}

void fz_json_null(struct fz_json *j)
{
    value_prefix(j);
    put(j, "null", 4);
}

fz_rc fz_json_parse(const char *s, size_t len, struct json_t **out, struct fz_err *err)
{
    if (len > FZ_CAP_JSON_DOC)
        return fz_err_set(err, FZ_ETOOBIG, "JSON document of %zu bytes exceeds %zu", len,
                          (size_t)FZ_CAP_JSON_DOC);
    json_error_t je;
    json_t *v = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je);
    if (!v)
        return fz_err_setloc(err, FZ_EPARSE, (size_t)(je.line > 0 ? je.line : 0), "",
                             "bad JSON at column %d: %s", je.column, je.text);
    *out = v;
    return FZ_OK;
}
