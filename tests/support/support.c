/* Test support implementation: failing allocator, tables, temporary directories. */

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FZ_TEST_DATA
#define FZ_TEST_DATA "tests/data"
#endif

static unsigned long fail_at, calls;
static bool fail_sticky;
static long live;

static bool should_fail(void)
{
    calls++;
    if (!fail_at)
        return false;
    return fail_sticky ? calls >= fail_at : calls == fail_at;
}

static void *t_malloc(void *ud, size_t n)
{
    (void)ud;
    if (should_fail())
        return NULL;
    void *p = malloc(n ? n : 1);
    if (p)
        live++;
    return p;
}

static void *t_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (should_fail())
        return NULL;
    void *q = realloc(p, n ? n : 1);
    if (q && !p)
        live++;
    return q;
}

static void t_free(void *ud, void *p)
{
    (void)ud;
    if (p)
        live--;
    free(p);
}

void fzt_fail_alloc_after(unsigned long n, bool sticky)
{
    static const struct fz_allocator a = {t_malloc, t_realloc, t_free, NULL};
    fail_at = n;
    fail_sticky = sticky;
    calls = 0;
    live = 0;
    fz_set_allocator(&a);
}

long fzt_alloc_restore(void)
{
    fz_set_allocator(NULL);
    return live;
}

unsigned long fzt_alloc_count(void) { return calls; }

static char *unescape(const char *s, size_t len)
{
    struct fz_buf b;
    fz_buf_init(&b, FZ_CAP_LINE);
    if (fz_tsv_unescape(s, len, &b, NULL) != FZ_OK || fz_buf_addc(&b, 0) != FZ_OK)
        fail_msg("bad escape in test table: %.*s", (int)len, s);
    return b.ptr;
}

struct fzt_row *fzt_rows_load(const char *rel, size_t *count)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", FZ_TEST_DATA, rel);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open test table %s", path);
    struct fzt_row *rows = NULL;
    size_t n = 0, cap = 0, lineno = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            rows = realloc(rows, cap * sizeof *rows);
        }
        struct fzt_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        r->line = lineno;
        char *p = line;
        for (;;) {
            char *tab = strchr(p, '\t');
            size_t flen = tab ? (size_t)(tab - p) : strlen(p);
            if (r->nfields < 16)
                r->field[r->nfields++] = unescape(p, flen);
            if (!tab)
                break;
            p = tab + 1;
        }
    }
    free(line);
    fclose(f);
    *count = n;
    return rows;
}

void fzt_rows_free(struct fzt_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++)
        for (int k = 0; k < rows[i].nfields; k++)
            fz_free(rows[i].field[k]);
    free(rows);
}

char *fzt_tmpdir(void)
{
    char tmpl[] = "/tmp/fzt.XXXXXX";
    char *d = mkdtemp(tmpl);
    if (!d)
        fail_msg("mkdtemp failed");
    return strdup(d);
}

void fzt_tmpdir_remove(char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fail_msg("cannot remove %s", dir);
    free(dir);
}
