/*
 * cli/email_rows: the e-mail TSV layout (shared/data/spamassassin-email: label, group, file,
 * md5, raw_message; gzip; raw bytes escaped as \xHH) turned into canonical rows
 * (label, channel "email", the message's text from src/mail) for train and eval, through a
 * temporary file, so those commands read it like any canonical file.
 */
#include "compat.h"

#include "email.h"

#include "fangzha/mail.h"

#include <errno.h>
#include <string.h>
#include <zlib.h>

/* One escaped field may hold a 10 MiB message at four bytes per raw byte (\xHH). */
#define ROWS_MAX_LINE (4 * FZ_CAP_MAIL_MESSAGE + 4096)
#define ROWS_CHUNK 65536

/* Lines of a gzip (or plain) file: like fz_lines, over zlib. */
struct gz_lines {
    gzFile gz;
    struct fz_buf line;
    char *chunk;
    size_t pos, end;
    size_t lineno;
    bool eof, skipping;
};

/* The next line into r->line (without "\n" / "\r\n"). FZ_EOF, FZ_ETOOBIG for an over-long
 * line (skipped whole), FZ_EIO, FZ_ENOMEM. */
static fz_rc gz_next(struct gz_lines *r)
{
    fz_buf_reset(&r->line);
    r->skipping = false;
    for (;;) {
        if (r->pos == r->end) {
            if (r->eof) {
                if (!r->line.len && !r->skipping)
                    return FZ_EOF;
                break;
            }
            int n = gzread(r->gz, r->chunk, ROWS_CHUNK), zerr = Z_OK;
            if (n <= 0)
                gzerror(r->gz, &zerr);
            if (n < 0 || zerr != Z_OK) /* corrupt or truncated compressed data */
                return FZ_EIO;
            r->pos = 0;
            r->end = (size_t)n;
            r->eof = n == 0;
            continue;
        }
        const char *p = r->chunk + r->pos;
        const char *nl = memchr(p, '\n', r->end - r->pos);
        size_t n = nl ? (size_t)(nl - p) : r->end - r->pos;
        if (!r->skipping) {
            fz_rc rc = fz_buf_add(&r->line, p, n);
            if (rc == FZ_ETOOBIG)
                r->skipping = true;
            else if (rc)
                return rc;
        }
        r->pos += n + (nl ? 1 : 0);
        if (nl)
            break;
    }
    r->lineno++;
    if (r->skipping)
        return FZ_ETOOBIG;
    if (r->line.len && r->line.ptr[r->line.len - 1] == '\r')
        r->line.ptr[--r->line.len] = '\0';
    return FZ_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Unescapes s[0..len) (\\ \t \n \r \xHH) into out. FZ_EPARSE on another escape. */
static fz_rc unescape(const char *s, size_t len, struct fz_buf *out)
{
    fz_buf_reset(out);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\\') {
            if (++i == len)
                return FZ_EPARSE;
            switch (s[i]) {
            case '\\': c = '\\'; break;
            case 't': c = '\t'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 'x': {
                int hi = i + 2 < len ? hexval(s[i + 1]) : -1, lo = hi >= 0 ? hexval(s[i + 2]) : -1;
                if (lo < 0)
                    return FZ_EPARSE;
                c = (char)(hi << 4 | lo);
                i += 2;
                break;
            }
            default: return FZ_EPARSE;
            }
        }
        fz_rc rc = fz_buf_addc(out, c);
        if (rc)
            return rc;
    }
    return FZ_OK;
}

/* Appends s[0..len) escaped as a canonical field. */
static fz_rc escape(const char *s, size_t len, struct fz_buf *out)
{
    fz_rc rc = FZ_OK;
    for (size_t i = 0; i < len && !rc; i++) {
        const char *e = s[i] == '\\'   ? "\\\\"
                        : s[i] == '\t' ? "\\t"
                        : s[i] == '\n' ? "\\n"
                        : s[i] == '\r' ? "\\r"
                                       : NULL;
        rc = e ? fz_buf_add(out, e, 2) : fz_buf_addc(out, s[i]);
    }
    return rc;
}

/* Splits line into at most cap tab-separated fields; returns their number. */
static size_t split(const struct fz_buf *line, struct fz_str *f, size_t cap)
{
    size_t n = 0;
    const char *p = line->ptr ? line->ptr : "", *end = p + line->len;
    for (;;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        if (n < cap)
            f[n] = (struct fz_str){p, tab ? (size_t)(tab - p) : (size_t)(end - p)};
        n++;
        if (!tab)
            return n;
        p = tab + 1;
    }
}

#define MAX_COLS 16

struct conv {
    const char *cmd, *file;
    struct gz_lines in;
    FILE *out;
    size_t ncols;
    int col_label, col_raw;
    struct fz_buf raw, text, row;
    size_t *bad;
};

static void bad_row(struct conv *c, const char *why)
{
    (*c->bad)++;
    cli_error(c->cmd, "%s:%zu: %s", c->file, c->in.lineno, why);
}

/* Converts one row of the e-mail layout. Returns false on a failure that stops reading. */
static bool convert_row(struct conv *c)
{
    struct fz_str f[MAX_COLS];
    size_t n = split(&c->in.line, f, MAX_COLS);
    if (n != c->ncols) {
        bad_row(c, "wrong number of fields");
        return true;
    }
    if (unescape(f[c->col_raw].ptr, f[c->col_raw].len, &c->raw) != FZ_OK) {
        bad_row(c, "bad escape in raw_message");
        return true;
    }
    struct fz_err err = {0};
    fz_rc rc = fz_mail_text(c->raw.ptr ? c->raw.ptr : "", c->raw.len, &c->text, NULL, &err);
    if (rc == FZ_ENOMEM) {
        cli_error(c->cmd, "%s:%zu: out of memory", c->file, c->in.lineno);
        return false;
    }
    if (rc) {
        bad_row(c, err.msg);
        return true;
    }
    fz_buf_reset(&c->row);
    rc = escape(f[c->col_label].ptr, f[c->col_label].len, &c->row);
    if (!rc)
        rc = fz_buf_add(&c->row, "\temail\t", 7);
    if (!rc)
        rc = escape(c->text.ptr ? c->text.ptr : "", c->text.len, &c->row);
    if (!rc)
        rc = fz_buf_addc(&c->row, '\n');
    if (rc || fwrite(c->row.ptr, 1, c->row.len, c->out) != c->row.len) {
        cli_error(c->cmd, "%s:%zu: cannot write the converted row: %s", c->file, c->in.lineno,
                  rc ? fz_strerror(rc) : strerror(errno));
        return false;
    }
    return true;
}

/* Copies the rest of a compressed file as is (a canonical file in gzip). */
static bool copy_rest(struct conv *c)
{
    fz_rc rc;
    while ((rc = gz_next(&c->in)) == FZ_OK || rc == FZ_ETOOBIG) {
        if (rc == FZ_ETOOBIG) {
            bad_row(c, "line too long");
            continue;
        }
        if (fwrite(c->in.line.ptr ? c->in.line.ptr : "", 1, c->in.line.len, c->out) !=
                c->in.line.len ||
            fputc('\n', c->out) == EOF)
            return false;
    }
    return rc == FZ_EOF;
}

/* Reads the header; decides what to do. 1: e-mail layout, 2: other compressed file, 0: a
 * plain file to fopen as is, -1: error (reported). */
static int header(struct conv *c)
{
    fz_rc rc = gz_next(&c->in);
    if (rc) {
        cli_error(c->cmd, "%s: %s", c->file,
                  rc == FZ_EOF   ? "empty file (no header)"
                  : rc == FZ_EIO ? "cannot read (corrupt or truncated gzip data)"
                                 : fz_strerror(rc));
        return -1;
    }
    struct fz_str f[MAX_COLS];
    size_t n = split(&c->in.line, f, MAX_COLS);
    c->col_label = c->col_raw = -1;
    for (size_t i = 0; i < n && i < MAX_COLS; i++) {
        if (f[i].len == 5 && !memcmp(f[i].ptr, "label", 5))
            c->col_label = (int)i;
        if (f[i].len == 11 && !memcmp(f[i].ptr, "raw_message", 11))
            c->col_raw = (int)i;
    }
    c->ncols = n;
    if (c->col_raw >= 0 && c->col_label >= 0 && n <= MAX_COLS)
        return 1;
    if (c->col_raw >= 0) {
        cli_error(c->cmd, "%s: e-mail layout without a 'label' column", c->file);
        return -1;
    }
    return gzdirect(c->in.gz) ? 0 : 2;
}

static bool convert_file(struct conv *c, int kind)
{
    if (kind == 2) {
        if (fwrite(c->in.line.ptr, 1, c->in.line.len, c->out) != c->in.line.len ||
            fputc('\n', c->out) == EOF)
            return false;
        return copy_rest(c);
    }
    if (fputs("label\tchannel\ttext\n", c->out) == EOF)
        return false;
    for (;;) {
        fz_rc rc = gz_next(&c->in);
        if (rc == FZ_EOF)
            return true;
        if (rc == FZ_ETOOBIG) {
            bad_row(c, "line over the limit (a message over 10 MiB)");
            continue;
        }
        if (rc) {
            cli_error(c->cmd, "%s:%zu: %s", c->file, c->in.lineno + 1,
                      rc == FZ_EIO ? "cannot read (corrupt or truncated gzip data)"
                                   : fz_strerror(rc));
            return false;
        }
        if (!convert_row(c))
            return false;
    }
}

FILE *cli_rows_fopen(const char *cmd, const char *file, size_t *bad)
{
    gzFile gz = gzopen(file, "rb");
    if (!gz)
        return NULL; /* errno from open(2) */
    struct conv c = {.cmd = cmd, .file = file, .bad = bad};
    c.in.gz = gz;
    fz_buf_init(&c.in.line, ROWS_MAX_LINE);
    fz_buf_init(&c.raw, FZ_CAP_MAIL_MESSAGE + 1);
    fz_buf_init(&c.text, FZ_CAP_MAIL_TEXT);
    fz_buf_init(&c.row, FZ_CAP_LINE);
    c.in.chunk = fz_malloc(ROWS_CHUNK);
    int kind = c.in.chunk ? header(&c) : -1;
    FILE *out = NULL;
    bool ok = kind >= 0;
    if (kind == 0) {
        out = fopen(file, "r");
    } else if (kind > 0) {
        ok = (c.out = out = tmpfile()) != NULL;
        if (!ok)
            cli_error(cmd, "cannot create a temporary file: %s", strerror(errno));
        ok = ok && convert_file(&c, kind) && fflush(out) == 0;
        if (ok)
            rewind(out);
    }
    gzclose(gz);
    fz_free(c.in.chunk);
    fz_buf_release(&c.in.line);
    fz_buf_release(&c.raw);
    fz_buf_release(&c.text);
    fz_buf_release(&c.row);
    if (!ok) {
        if (out)
            fclose(out);
        errno = EINVAL;
        return NULL;
    }
    return out;
}
