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
    if (!j->rc)
        j->rc = fz_buf_add(j->out, s, n);
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

static void put_escaped(struct fz_json *j, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const char *p = s, *end = s + len, *run = s;
    put(j, "\"", 1);
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            p++;
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
            put(j, "\xEF\xBF\xBD", 3);
            run = ++p;
            continue;
        }
        put(j, run, (size_t)(p - run));
        char esc[6] = {'\\', (char)c, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': case '\\': break;
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
        run = ++p;
    }
    put(j, run, (size_t)(p - run));
    put(j, "\"", 1);
}

void fz_json_key(struct fz_json *j, const char *key)
{
    value_prefix(j);
    put_escaped(j, key, strlen(key));
    put(j, ":", 1);
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

void fz_json_int(struct fz_json *j, int64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    value_prefix(j);
    put(j, tmp, (size_t)n);
}

void fz_json_uint(struct fz_json *j, uint64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    value_prefix(j);
    put(j, tmp, (size_t)n);
}

void fz_json_num(struct fz_json *j, double v, int decimals)
{
    if (!isfinite(v)) {
        fz_json_null(j);
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
