/* libFuzzer driver for the case linking reader and engine (src/link). Each input line is a
 * case in JSON Lines. Properties: never crashes or reads out of bounds; a rejected line names
 * its line number and leaves the set unchanged; every reported cluster has at least
 * min_cluster cases, no case is in two clusters; every cluster and the summary are valid
 * JSON. */
#include "compat.h"

#include "fangzha/link.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fz_url_ctx *uctx;

static void check_json(const struct fz_buf *b)
{
    json_error_t e;
    json_t *j = json_loadb(b->ptr, b->len, 0, &e);
    if (!j)
        abort();
    json_decref(j);
}

static void check_result(const struct fz_link_set *s, const struct fz_link_result *r,
                         const struct fz_link_opts *o)
{
    size_t n = fz_link_set_ncases(s);
    uint8_t *seen = calloc(n ? n : 1, 1);
    struct fz_buf b;
    fz_buf_init(&b, (size_t)64 << 20);
    for (size_t i = 0; i < fz_link_result_nclusters(r); i++) {
        const uint32_t *c;
        size_t k = fz_link_result_cases(r, i, &c);
        if (k < o->min_cluster)
            abort();
        for (size_t j = 0; j < k; j++) {
            if (c[j] >= n || seen[c[j]]++)
                abort();
        }
        fz_buf_reset(&b);
        if (fz_link_cluster_json(r, i, &b) != FZ_OK)
            abort();
        check_json(&b);
    }
    fz_buf_reset(&b);
    if (fz_link_summary_json(r, &b) != FZ_OK)
        abort();
    check_json(&b);
    fz_buf_release(&b);
    free(seen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!uctx && fz_url_ctx_new(&uctx) != FZ_OK)
        abort();
    struct fz_link_set *s;
    if (fz_link_set_new(uctx, &s) != FZ_OK)
        return 0;
    const char *p = (const char *)data, *end = p + size;
    for (size_t lineno = 1; p < end; lineno++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        size_t before = fz_link_set_ncases(s), pairs = fz_link_set_npairs(s);
        struct fz_err err = {0};
        fz_rc rc = fz_link_set_add_json(s, p, len, lineno, &err);
        if (rc != FZ_OK) {
            if (err.line != lineno || fz_link_set_ncases(s) != before ||
                fz_link_set_npairs(s) != pairs)
                abort();
        }
        p += len + (nl != NULL);
    }
    struct fz_link_opts o;
    fz_link_opts_init(&o);
    o.hub_cap = 4; /* small inputs: make hubs happen */
    o.hub_floor = 2;
    struct fz_link_result *r = NULL;
    if (fz_link_run(s, &o, &r, NULL) == FZ_OK)
        check_result(s, r, &o);
    fz_link_result_free(r);
    fz_link_set_free(s);
    return 0;
}
