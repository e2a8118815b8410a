/*
 * bench_signals: one-core throughput of the signal layer on a generated SMS corpus
 * (bench/gen/gen_sms), each figure also as a ratio to a baseline run in the same process
 * (a plain pass over the same bytes), so noisy shared machines still compare fairly.
 * Prints: normalize MB/s, phone normalizations/s, normalize+extract messages/s, and the
 * allocations per message on the hot paths.
 * Usage: bench_signals CORPUS [SECONDS_PER_FIGURE]
 */
#include "compat.h"

#include "fangzha/fz.h"

#include "benchlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long allocs;
static void *count_malloc(void *ud, size_t n)
{
    (void)ud;
    allocs++;
    return malloc(n ? n : 1);
}
static void *count_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    allocs++;
    return realloc(p, n ? n : 1);
}
static void count_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

/* One pass of each measured job over the corpus; each returns the units it processed. */
struct job {
    const struct corpus *c;
    const struct fz_extractor *x;
    struct fz_text text;
    struct fz_arena arena;
    unsigned sink;
};

/* The baseline: touch every byte (a checksum), the cheapest honest pass over the corpus. */
static double pass_bytes(void *ctx)
{
    struct job *jb = ctx;
    return (double)corpus_touch(jb->c, &jb->sink);
}

static double pass_normalize(void *ctx)
{
    struct job *jb = ctx;
    size_t bytes = 0;
    for (size_t i = 0; i < jb->c->n; i++) {
        if (fz_text_normalize(jb->c->msg[i].ptr, jb->c->msg[i].len, &jb->text) != FZ_OK)
            abort();
        bytes += jb->c->msg[i].len;
    }
    return (double)bytes;
}

/* The forms seen in caller IDs, SMS senders and message text. */
static const char *const phone_inputs[] = {
    "138 1234 5678",
    "+86 10 6512 3456",
    "95588",
    "13812345678",
    "+8613812345678",
    "010-65123456",
    "400-820-8820",
    "17012345678",
    "1069000012345",
    "0086 138 1234 5678",
    "(+86)138-1234-5678",
    "0755 8888 8888",
    "+1 (212) 555-0123",
    "+852 2123 4567",
    "17951 13812345678",
    "１３８１２３４５６７８",
    "一三八一二三四五六七八",
    "tel:+86-138-1234-5678",
    "+8695588",
    "9558800",
    "20240102",
    "123456",
    "100.00",
    "hello",
};
#define NPHONE (sizeof phone_inputs / sizeof *phone_inputs)

static double pass_phone(void *ctx)
{
    struct job *jb = ctx;
    static size_t lens[NPHONE];
    if (!lens[0])
        for (size_t i = 0; i < NPHONE; i++)
            lens[i] = strlen(phone_inputs[i]);
    struct fz_phone p;
    for (int r = 0; r < 10000; r++)
        for (size_t i = 0; i < NPHONE; i++) {
            fz_phone_normalize(phone_inputs[i], lens[i], &p);
            jb->sink += (unsigned)p.cls;
        }
    return 10000.0 * NPHONE;
}

static double pass_extract(void *ctx)
{
    struct job *jb = ctx;
    for (size_t i = 0; i < jb->c->n; i++) {
        struct fz_entities e;
        fz_arena_reset(&jb->arena);
        if (fz_text_normalize(jb->c->msg[i].ptr, jb->c->msg[i].len, &jb->text) != FZ_OK ||
            fz_extract(jb->x, &jb->text, jb->c->msg[i].ptr, jb->c->msg[i].len, &jb->arena, &e) !=
                FZ_OK)
            abort();
        for (int k = 0; k < FZ_ENT__COUNT; k++)
            jb->sink += (unsigned)e.count[k];
    }
    return (double)jb->c->n;
}

/* Allocations per message of normalize + extract in steady state (buffers already grown). */
static double allocs_per_msg(const struct corpus *c, const struct fz_extractor *x)
{
    struct fz_text t;
    struct fz_arena a;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    size_t n = c->n < 20000 ? c->n : 20000;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            static const struct fz_allocator counting = {count_malloc, count_realloc, count_free,
                                                         NULL};
            fz_set_allocator(&counting);
            allocs = 0;
        }
        for (size_t i = 0; i < n; i++) {
            struct fz_entities e;
            fz_arena_reset(&a);
            if (fz_text_normalize(c->msg[i].ptr, c->msg[i].len, &t) ||
                fz_extract(x, &t, c->msg[i].ptr, c->msg[i].len, &a, &e))
                abort();
        }
    }
    fz_set_allocator(NULL);
    fz_arena_release(&a);
    fz_text_release(&t);
    return (double)allocs / (double)n;
}

/* The messages of c that hold a URL, in a corpus of their own (views into c's data). */
static void url_subset(const struct corpus *c, struct corpus *u)
{
    *u = (struct corpus){c->data, 0, malloc(c->n * sizeof *c->msg), 0};
    for (size_t i = 0; i < c->n; i++) {
        size_t pos = 0, b, e;
        if (fz_url_find(c->msg[i].ptr, c->msg[i].len, &pos, &b, &e)) {
            u->msg[u->n++] = c->msg[i];
            u->size += c->msg[i].len;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_signals CORPUS [SECONDS_PER_ROUND]\n");
        return 2;
    }
    double secs = argc > 2 ? strtod(argv[2], NULL) : 0.3;
    struct job jb = {0};
    struct corpus c;
    if (corpus_load(argv[1], &c) != 0) {
        fprintf(stderr, "bench_signals: cannot read %s\n", argv[1]);
        return 1;
    }
    struct fz_extractor *x;
    if (fz_extractor_new(&x) != FZ_OK)
        return 1;
    jb.c = &c;
    jb.x = x;
    fz_text_init(&jb.text);
    fz_arena_init(&jb.arena, 0);
    double base, base_m, norm, norm_m, phone, phone_m, ext, ext_m;
    bench_measure(pass_bytes, &jb, secs, &base, &base_m);
    bench_measure(pass_normalize, &jb, secs, &norm, &norm_m);
    bench_measure(pass_phone, &jb, secs, &phone, &phone_m);
    bench_measure(pass_extract, &jb, secs, &ext, &ext_m);
    struct corpus cu;
    url_subset(&c, &cu);
    double ext_url = 0, ext_url_m = 0;
    if (cu.n) {
        jb.c = &cu;
        bench_measure(pass_extract, &jb, secs, &ext_url, &ext_url_m);
        jb.c = &c;
    }
    double apm = allocs_per_msg(&c, x);
    double mean = (double)c.size / (double)c.n;
    printf("corpus: %zu messages, %.1f MB, mean %.0f bytes/message; best and median of %d "
           "rounds\n",
           c.n, (double)c.size / 1e6, mean, BENCH_ROUNDS);
    printf("baseline byte pass:      %8.1f MB/s     (median %.1f)\n", base / 1e6, base_m / 1e6);
    printf("normalize:               %8.1f MB/s     (median %.1f; %.0f msgs/s; %.3f of "
           "baseline)\n",
           norm / 1e6, norm_m / 1e6, norm / mean, norm / base);
    printf("phone normalizations:    %8.2f M/s      (median %.2f; target >= 5 M/s)\n", phone / 1e6,
           phone_m / 1e6);
    printf("normalize + extract:     %8.0f msgs/s  (median %.0f; target >= 300000; %.4f of "
           "baseline bytes)\n",
           ext, ext_m, ext * mean / base);
    printf("  of which with a URL:   %8.0f msgs/s  (median %.0f; %zu messages, %.0f%% of the "
           "corpus)\n",
           ext_url, ext_url_m, cu.n, 100.0 * (double)cu.n / (double)c.n);
    printf("allocations per message: %8.3f          (fangzha allocator; libcurl's own not "
           "counted)\n",
           apm);
    fz_arena_release(&jb.arena);
    fz_text_release(&jb.text);
    fz_extractor_free(x);
    free(cu.msg);
    corpus_free(&c);
    return jb.sink == 0xFFFFFFFFu;
}
