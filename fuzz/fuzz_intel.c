/*
 * libFuzzer driver for fz_ind_normalize() and the index: indicator values as partners, imports
 * and the public submit them. The first byte picks the kind, the rest is the value. Asserts
 * properties, not just "no crash": the error codes and limits, a canonical value with no NUL
 * inside, idempotence (normalizing the canonical value gives it back), and that a tiny index
 * holding the value finds it, until it expires or is removed.
 */
#include "fangzha/intel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Created on the first input and kept for the whole run. */
static struct fz_url_ctx *url_ctx(void)
{
    static struct fz_url_ctx *ctx;
    if (ctx == NULL)
        CHECK(fz_url_ctx_new(&ctx) == FZ_OK);
    return ctx;
}

static void check_again(enum fz_ind_kind k, const char *v, size_t len, struct fz_arena *a)
{
    const char *again = NULL;
    size_t again_len = 0;
    struct fz_err err = {0};
    fz_rc rc = fz_ind_normalize(url_ctx(), k, v, len, a, &again, &again_len, &err);
    if (rc != FZ_OK || again_len != len || memcmp(again, v, len) != 0)
        fprintf(stderr, "kind %s: not idempotent: '%s' -> '%s'\n", fz_ind_kind_name(k), v,
                rc != FZ_OK ? err.msg : again);
    CHECK(rc == FZ_OK && again_len == len && memcmp(again, v, len) == 0);
}

/* An index with v and a neighbour of another kind finds v, until it expires or goes. */
static void check_index(enum fz_ind_kind k, const char *v, size_t len)
{
    struct fz_ind_change c[2];
    memset(c, 0, sizeof c);
    c[0].entry = (struct fz_ind_entry){
        .id = 7, .kind = (uint8_t)k, .fraud_type = -1, .expires_ms = 1000, .value = v};
    c[0].value_len = len;
    c[1].entry = (struct fz_ind_entry){.id = 8,
                                       .kind = (uint8_t)((k + 1) % FZ_IND__COUNT),
                                       .status = FZ_IND_CLEARED,
                                       .fraud_type = -1,
                                       .value = v};
    c[1].value_len = len;
    struct fz_ind_index *x = NULL, *y = NULL;
    CHECK(fz_ind_index_build(c, 2, 1, &x) == FZ_OK);
    const struct fz_ind_entry *e = fz_ind_lookup(x, k, v, len, 999);
    CHECK(e != NULL && e->id == 7 && strcmp(e->id_text, "7") == 0);
    CHECK(memcmp(e->value, v, len) == 0 && e->value[len] == '\0');
    CHECK(fz_ind_lookup(x, k, v, len, 1000) == NULL);
    CHECK(len == 0 || fz_ind_lookup(x, k, v, len - 1, 0) == NULL);
    c[0].remove = true;
    CHECK(fz_ind_index_with(x, c, 1, 2, &y) == FZ_OK);
    CHECK(fz_ind_lookup(y, k, v, len, 0) == NULL);
    CHECK(fz_ind_lookup(y, c[1].entry.kind, v, len, 0)->id == 8);
    CHECK(fz_ind_index_count(y, c[1].entry.kind, FZ_IND_CLEARED) == 1);
    fz_ind_index_unref(x);
    fz_ind_index_unref(y);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size == 0)
        return 0;
    enum fz_ind_kind k = (enum fz_ind_kind)(data[0] % FZ_IND__COUNT);
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    struct fz_arena a;
    fz_arena_init(&a, 0);
    const char *out = NULL;
    size_t out_len = 0;
    struct fz_err err = {0};
    fz_rc rc = fz_ind_normalize(url_ctx(), k, in, len, &a, &out, &out_len, &err);
    if (len > 2048)
        CHECK(rc == FZ_ETOOBIG);
    else if (!fz_utf8_valid(in, len))
        CHECK(rc == FZ_EUTF8);
    else
        CHECK(rc == FZ_OK || rc == FZ_EINVAL);
    if (rc != FZ_OK) {
        CHECK(err.code == rc && err.msg[0] != '\0');
    } else {
        CHECK(out != NULL && out_len > 0 && strlen(out) == out_len && out_len <= 4 * 2048);
        CHECK(fz_utf8_valid(out, out_len));
        check_again(k, out, out_len, &a);
        check_index(k, out, out_len);
    }
    fz_arena_release(&a);
    return 0;
}
