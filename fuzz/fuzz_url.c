/* libFuzzer driver for the URL finder and analyzer (src/url). Properties: found spans lie
 * within the input, are non-empty, increasing and non-overlapping, and the cursor ends at the
 * end; the analyzer never fails except FZ_ETOOBIG over its 8 KiB cap; risk is within 0..100
 * and equals the clamped sum of the reasons' weights; analyzing a valid result's url again
 * gives the same url, host and registrable domain. Runs on the whole input and on every span
 * the finder returns. */
#include "compat.h"

#include "fangzha/url.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fz_url_ctx *ctx; /* built once, read-only afterwards */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (fz_url_ctx_new(&ctx) != FZ_OK)
        abort();
    return 0;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check_result(const struct fz_url *u)
{
    int sum = 0;
    if (u->risk < 0 || u->risk > 100 || u->nreasons < 0 || u->nreasons > FZ_URL_MAX_REASONS)
        abort();
    for (int i = 0; i < u->nreasons; i++)
        sum += u->reasons[i]->weight;
    if (u->risk != (sum > 100 ? 100 : sum))
        abort();
    if (!u->valid && (u->url || u->host || u->flags))
        abort();
    if (u->valid && (!u->url || !u->host || !(u->flags & FZ_URL_LOOKALIKE) != !u->lookalike_of))
        abort();
}

static void check_url(const char *s, size_t n, struct fz_arena *a)
{
    struct fz_url u, v;
    fz_rc rc = fz_url_analyze(ctx, s, n, a, &u);
    if (rc == FZ_ETOOBIG && n > 8192)
        return;
    if (rc != FZ_OK)
        abort();
    check_result(&u);
    if (!u.valid)
        return;
    rc = fz_url_analyze(ctx, u.url, strlen(u.url), a, &v);
    if (rc == FZ_ETOOBIG) /* percent-encoding may grow a URL past the cap */
        return;
    if (rc != FZ_OK || !v.valid || !same_str(v.url, u.url) || !same_str(v.host, u.host) ||
        !same_str(v.registrable_domain, u.registrable_domain))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct fz_arena a;
    fz_arena_init(&a, 0);
    size_t pos = 0, start, end, last = 0;
    while (fz_url_find(s, size, &pos, &start, &end)) {
        if (start < last || start >= end || end > size || pos != end)
            abort();
        last = end;
        check_url(s + start, end - start, &a);
        fz_arena_reset(&a);
    }
    if (pos != size)
        abort();
    check_url(s, size, &a);
    fz_arena_release(&a);
    return 0;
}
