/* core/buf: growable byte buffers with a hard cap (struct fz_buf). */
#include "compat.h"

#include "fangzha/core.h"

#include <stdio.h>
#include <string.h>

void fz_buf_init(struct fz_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void fz_buf_release(struct fz_buf *b)
{
    if (!b)
        return;
    fz_free(b->ptr);
    fz_buf_init(b, b->max);
}

void fz_buf_reset(struct fz_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

fz_rc fz_buf_reserve(struct fz_buf *b, size_t n)
{
    if (n > b->max || b->len > b->max - n)
        return FZ_E(FZ_ETOOBIG);
    size_t need = b->len + n + 1; /* room for the NUL */
    if (need <= b->cap)
        return FZ_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    char *p = fz_realloc(b->ptr, cap);
    if (!p)
        return FZ_E(FZ_ENOMEM);
    if (!b->ptr)
        p[0] = '\0';
    b->ptr = p;
    b->cap = cap;
    return FZ_OK;
}

fz_rc fz_buf_add(struct fz_buf *b, const void *p, size_t n)
{
    /* Fast path: room already there (cap > len always holds once ptr is set, and the cap
     * never exceeds max + 1, so this cannot pass the limit). */
    if (b->ptr && n < b->cap - b->len) {
        memcpy(b->ptr + b->len, p, n);
        b->len += n;
        b->ptr[b->len] = '\0';
        return FZ_OK;
    }
    fz_rc rc = fz_buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return FZ_OK;
}

fz_rc fz_buf_addc(struct fz_buf *b, char c)
{
    if (b->len + 1 < b->cap) {
        b->ptr[b->len++] = c;
        b->ptr[b->len] = '\0';
        return FZ_OK;
    }
    return fz_buf_add(b, &c, 1);
}

fz_rc fz_buf_adds(struct fz_buf *b, const char *s) { return fz_buf_add(b, s, strlen(s)); }

fz_rc fz_buf_addf(struct fz_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return FZ_E(FZ_EINVAL);
    fz_rc rc = fz_buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return FZ_OK;
}

char *fz_buf_detach(struct fz_buf *b, size_t *len)
{
    char *p = b->ptr;
    if (len)
        *len = b->len;
    fz_buf_init(b, b->max);
    return p;
}

fz_rc fz_buf_read(struct fz_buf *b, FILE *f)
{
    char chunk[16384];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        fz_rc rc = fz_buf_add(b, chunk, n);
        if (rc)
            return rc;
    }
    return ferror(f) ? FZ_E(FZ_EIO) : FZ_OK;
}

bool fz_str_to_uint(struct fz_str s, size_t max_digits, int64_t *out)
{
    if (s.len == 0 || s.len > max_digits || s.len > 18)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
        v = v * 10 + (s.ptr[i] - '0');
    }
    *out = v;
    return true;
}
