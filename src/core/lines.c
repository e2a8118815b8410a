/* core/lines: capped line reading (struct fz_lines) and the canonical TSV layout (struct
 * fz_tsv). An over-long line is skipped whole, never truncated. */
#include "compat.h"

#include "fangzha/core.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#ifdef FZ_STRESS
#define LINES_CHUNK 7
#else
#define LINES_CHUNK 65536
#endif

void fz_lines_init(struct fz_lines *r, FILE *f, size_t max)
{
    r->f = f;
    fz_buf_init(&r->buf, max);
    r->chunk = NULL;
    r->pos = r->end = 0;
    r->lineno = 0;
    r->max = max;
    r->eof = false;
}

void fz_lines_release(struct fz_lines *r)
{
    if (!r)
        return;
    fz_buf_release(&r->buf);
    fz_free(r->chunk);
    r->chunk = NULL;
}

/* Reads the next chunk. FZ_OK with pos < end, FZ_EOF, FZ_EIO or FZ_ENOMEM. */
static fz_rc refill(struct fz_lines *r)
{
    if (!r->chunk && !(r->chunk = fz_malloc(LINES_CHUNK)))
        return FZ_E(FZ_ENOMEM);
    int fd = fileno(r->f);
    size_t n;
    if (fd >= 0) {
        ssize_t got;
        do
            got = read(fd, r->chunk, LINES_CHUNK);
        while (got < 0 && errno == EINTR);
        if (got < 0)
            return FZ_E(FZ_EIO);
        n = (size_t)got;
    } else {
        n = fread(r->chunk, 1, LINES_CHUNK, r->f);
        if (n == 0 && ferror(r->f))
            return FZ_E(FZ_EIO);
    }
    r->pos = 0;
    r->end = n;
    if (n == 0) {
        r->eof = true;
        return FZ_EOF;
    }
    return FZ_OK;
}

static void strip_cr(struct fz_str *line)
{
    if (line->len && line->ptr[line->len - 1] == '\r')
        line->len--;
}

fz_rc fz_lines_next(struct fz_lines *r, struct fz_str *line, struct fz_err *err)
{
    fz_buf_reset(&r->buf);
    bool got_any = false, too_long = false;
    for (;;) {
        if (r->pos == r->end) {
            fz_rc rc = r->eof ? FZ_EOF : refill(r);
            if (rc == FZ_EOF)
                break;
            if (rc)
                return fz_err_setloc(err, rc, r->lineno + 1, "", "%s",
                                     rc == FZ_EIO ? "read error" : "out of memory");
        }
        char *start = r->chunk + r->pos;
        char *nl = memchr(start, '\n', r->end - r->pos);
        size_t take = nl ? (size_t)(nl - start) : r->end - r->pos;
        got_any = true;
        r->pos += take + (nl ? 1 : 0);
        if (nl && r->buf.len == 0 && !too_long && take <= r->max) {
            /* The whole line is in the chunk: hand out a view of it, no copy. */
            r->lineno++;
            *line = (struct fz_str){start, take};
            strip_cr(line);
            return FZ_OK;
        }
        if (!too_long) {
            fz_rc rc = fz_buf_add(&r->buf, start, take);
            if (rc == FZ_ETOOBIG)
                too_long = true;
            else if (rc)
                return fz_err_setloc(err, rc, r->lineno + 1, "", "out of memory");
        }
        if (nl)
            break;
    }
    if (!got_any)
        return FZ_EOF;
    r->lineno++;
    if (too_long)
        return fz_err_setloc(err, FZ_ETOOBIG, r->lineno, "", "line longer than %zu bytes", r->max);
    *line = (struct fz_str){r->buf.ptr ? r->buf.ptr : "", r->buf.len};
    strip_cr(line);
    return FZ_OK;
}

/* ---- TSV ---- */

fz_rc fz_tsv_unescape(const char *s, size_t len, struct fz_buf *out, struct fz_err *err)
{
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *bs = memchr(p, '\\', (size_t)(end - p));
        if (!bs)
            return fz_buf_add(out, p, (size_t)(end - p));
        fz_rc rc = fz_buf_add(out, p, (size_t)(bs - p));
        if (rc)
            return rc;
        if (bs + 1 == end)
            return fz_err_set(err, FZ_EPARSE, "backslash at end of field");
        char c;
        switch (bs[1]) {
        case '\\': c = '\\'; break;
        case 't': c = '\t'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        default:
            return fz_err_set(err, FZ_EPARSE, "unknown escape '\\%c'",
                              (bs[1] >= 0x20 && bs[1] < 0x7f) ? bs[1] : '?');
        }
        if ((rc = fz_buf_addc(out, c)))
            return rc;
        p = bs + 2;
    }
    return FZ_OK;
}

/* Splits line on tabs into t->field, unescaping into t->row. */
static fz_rc split_row(struct fz_tsv *t, struct fz_str line, size_t *nfields, struct fz_err *err)
{
    size_t offs[FZ_TSV_MAX_COLS], lens[FZ_TSV_MAX_COLS], n = 0;
    const char *p = line.ptr, *end = line.ptr + line.len;
    fz_buf_reset(&t->row);
    for (;;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *fe = tab ? tab : end;
        if (n == FZ_TSV_MAX_COLS)
            return fz_err_setloc(err, FZ_EPARSE, t->lines.lineno, "", "more than %d fields",
                                 FZ_TSV_MAX_COLS);
        offs[n] = t->row.len;
        fz_rc rc = fz_tsv_unescape(p, (size_t)(fe - p), &t->row, err);
        if (rc) {
            if (err)
                err->line = t->lines.lineno;
            if (err && n < t->ncols && t->header[n])
                snprintf(err->field, sizeof err->field, "%s", t->header[n]);
            return rc;
        }
        lens[n] = t->row.len - offs[n];
        if ((rc = fz_buf_addc(&t->row, '\0')))
            return rc;
        n++;
        if (!tab)
            break;
        p = tab + 1;
    }
    for (size_t i = 0; i < n; i++)
        t->field[i] = (struct fz_str){t->row.ptr + offs[i], lens[i]};
    *nfields = n;
    return FZ_OK;
}

fz_rc fz_tsv_open(struct fz_tsv *t, FILE *f, size_t max_line, struct fz_err *err)
{
    memset(t, 0, sizeof *t);
    fz_lines_init(&t->lines, f, max_line);
    fz_buf_init(&t->row, max_line);
    struct fz_str line;
    fz_rc rc = fz_lines_next(&t->lines, &line, err);
    if (rc == FZ_EOF)
        return fz_err_setloc(err, FZ_EPARSE, 1, "", "empty input: no header line");
    if (rc)
        return rc;
    if (line.len == 0)
        return fz_err_setloc(err, FZ_EPARSE, 1, "", "empty header line");
    size_t n;
    if ((rc = split_row(t, line, &n, err)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (!(t->header[i] = fz_strndup(t->field[i].ptr, t->field[i].len)))
            return fz_err_set(err, FZ_ENOMEM, "out of memory");
    }
    t->ncols = n;
    return FZ_OK;
}

void fz_tsv_release(struct fz_tsv *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < FZ_TSV_MAX_COLS; i++)
        fz_free(t->header[i]);
    fz_lines_release(&t->lines);
    fz_buf_release(&t->row);
    memset(t, 0, sizeof *t);
}

int fz_tsv_col(const struct fz_tsv *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->header[i], name) == 0)
            return (int)i;
    return -1;
}

fz_rc fz_tsv_next(struct fz_tsv *t, struct fz_err *err)
{
    struct fz_str line;
    fz_rc rc = fz_lines_next(&t->lines, &line, err);
    if (rc)
        return rc;
    size_t n;
    if ((rc = split_row(t, line, &n, err)))
        return rc;
    if (n != t->ncols)
        return fz_err_setloc(err, FZ_EPARSE, t->lines.lineno, "",
                             "%zu fields where the header has %zu", n, t->ncols);
    return FZ_OK;
}

/* ---- masking ---- */

char *fz_mask(const char *s, size_t len, char *out, size_t cap)
{
    if (!cap)
        return out;
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < cap; i++) {
        bool keep = len >= 8 && (i < 3 || i >= len - 4);
        out[o++] = keep ? s[i] : '*';
    }
    out[o] = '\0';
    return out;
}
