/*
 * trace/input: the entry points of loading (docs/trace.md) — where the bytes come from. A
 * regular file is mapped privately (load.c unescapes quoted fields in place), a pipe or standard
 * input is read whole, and a caller's buffer is copied; load.c makes the graph of them.
 */
#include "compat.h"

#include "trace_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Loads g's bytes and hands g out, or frees it. */
static fz_rc load_into(struct fz_trace_graph *g, fz_trace_bad_row_cb *on_bad, void *ud,
                       struct fz_trace_graph **out, struct fz_err *err)
{
    fz_rc rc = fz__trace_load(g, on_bad, ud, err);
    if (rc) {
        fz_trace_free(g);
        return rc;
    }
    *out = g;
    return FZ_OK;
}

fz_rc fz_trace_load_mem(const char *data, size_t len, fz_trace_bad_row_cb *on_bad, void *ud,
                        struct fz_trace_graph **out, struct fz_err *err)
{
    struct fz_trace_graph *g = fz_calloc(1, sizeof *g);
    if (!g || !(g->data = fz_malloc(len ? len : 1))) {
        fz_free(g);
        return fz_err_set(err, FZ_ENOMEM, "out of memory");
    }
    memcpy(g->data, data, len);
    g->len = len;
    return load_into(g, on_bad, ud, out, err);
}

/* Reads a stream (a pipe, standard input) whole. */
static fz_rc slurp(int fd, char **data, size_t *len)
{
    size_t cap = 1 << 20, n = 0;
    char *buf = fz_malloc(cap);
    for (;;) {
        if (!buf)
            return FZ_E(FZ_ENOMEM);
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            fz_free(buf);
            return FZ_E(FZ_EIO);
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n == cap) {
            char *b = fz_realloc(buf, cap *= 2);
            if (!b)
                fz_free(buf);
            buf = b;
        }
    }
    *data = buf;
    *len = n;
    return FZ_OK;
}

static fz_rc open_input(const char *path, struct fz_trace_graph *g, struct fz_err *err)
{
    bool is_stdin = !strcmp(path, "-");
    int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fz_err_set(err, FZ_EIO, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    fz_rc rc = FZ_OK;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            rc = fz_err_set(err, FZ_EIO, "cannot map '%s': %s", path, strerror(errno));
        } else {
            madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
            g->data = m;
            g->len = (size_t)st.st_size;
            g->is_mapped = true;
        }
    } else if ((rc = slurp(fd, &g->data, &g->len)) != FZ_OK) {
        fz_err_set(err, rc, "cannot read '%s': %s", path, fz_strerror(rc));
    }
    if (!is_stdin)
        close(fd);
    return rc;
}

fz_rc fz_trace_load_file(const char *path, fz_trace_bad_row_cb *on_bad, void *ud,
                         struct fz_trace_graph **out, struct fz_err *err)
{
    struct fz_trace_graph *g = fz_calloc(1, sizeof *g);
    if (!g)
        return fz_err_set(err, FZ_ENOMEM, "out of memory");
    fz_rc rc = open_input(path, g, err);
    if (rc) {
        fz_trace_free(g);
        return rc;
    }
    return load_into(g, on_bad, ud, out, err);
}
