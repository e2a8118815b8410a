/*
 * bench_screen: one-core throughput of the screening engine through the library API, stage by
 * stage, on a corpus of one message per line, each figure also as a ratio to a baseline run in
 * the same process (a plain pass over the same bytes).
 * Stages: normalize + extract; + rules (fz_rules_match); fz_screen_message (rules, and the
 * model when one is given); fz_screen_message + the verdict's JSON (what a server answers).
 * Usage: bench_screen CORPUS RULES_DIR [MODEL|-] [SECONDS_PER_ROUND]
 * Compiled rules come from $FANGZHA_CACHE_DIR when set (see docs/cli.md).
 */
#include "compat.h"

#include "fangzha/fz.h"
#include "fangzha/screen.h"

#include "benchlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job {
    const struct corpus *c;
    const struct fz_screen *screen;
    struct fz_screen_ctx *ctx;
    const struct fz_extractor *x;
    const struct fz_rules *rules;
    struct fz_rules_scratch *rs;
    struct fz_text text;
    struct fz_arena arena;
    struct fz_buf out;
    unsigned sink;
};

static double pass_bytes(void *ctx)
{
    struct job *jb = ctx;
    corpus_touch(jb->c, &jb->sink);
    return (double)jb->c->n;
}

/* Normalize + extract (+ rules when with_rules) of message i; returns the hits. */
static size_t signals(struct job *jb, size_t i, bool with_rules)
{
    const struct fz_str *m = &jb->c->msg[i];
    struct fz_entities e;
    fz_arena_reset(&jb->arena);
    if (fz_text_normalize(m->ptr, m->len, &jb->text) != FZ_OK ||
        fz_extract(jb->x, &jb->text, m->ptr, m->len, &jb->arena, &e) != FZ_OK)
        abort();
    const struct fz_rule_hit *hits;
    size_t n = 0;
    if (with_rules && fz_rules_match(jb->rules, jb->rs, &jb->text, &e, &hits, &n) != FZ_OK)
        abort();
    return n + e.count[FZ_ENT_PHONE];
}

static double pass_extract(void *ctx)
{
    struct job *jb = ctx;
    for (size_t i = 0; i < jb->c->n; i++)
        jb->sink += (unsigned)signals(jb, i, false);
    return (double)jb->c->n;
}

static double pass_rules(void *ctx)
{
    struct job *jb = ctx;
    for (size_t i = 0; i < jb->c->n; i++)
        jb->sink += (unsigned)signals(jb, i, true);
    return (double)jb->c->n;
}

static void screen_one(struct job *jb, size_t i, bool json)
{
    const struct fz_str *m = &jb->c->msg[i];
    struct fz_verdict v;
    if (fz_screen_message(jb->screen, jb->ctx, m->ptr, m->len, &v) != FZ_OK)
        abort();
    jb->sink += (unsigned)v.score;
    if (!json)
        return;
    struct fz_json j;
    fz_buf_reset(&jb->out);
    fz_json_init(&j, &jb->out);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    fz_json_uint(&j, i + 1);
    fz_verdict_json(&j, &v, m->ptr);
    fz_json_obj_end(&j);
    if (j.rc != FZ_OK)
        abort();
    jb->sink += (unsigned)jb->out.len;
}

static double pass_screen(void *ctx)
{
    struct job *jb = ctx;
    for (size_t i = 0; i < jb->c->n; i++)
        screen_one(jb, i, false);
    return (double)jb->c->n;
}

static double pass_screen_json(void *ctx)
{
    struct job *jb = ctx;
    for (size_t i = 0; i < jb->c->n; i++)
        screen_one(jb, i, true);
    return (double)jb->c->n;
}

static void report(const char *what, double best, double median, double base)
{
    printf("%-34s %9.0f msgs/s  (median %.0f; %.2f us/msg; %.4f of baseline)\n", what, best, median,
           1e6 / best, best / base);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_screen CORPUS RULES_DIR [MODEL|-] [SECONDS_PER_ROUND]\n");
        return 2;
    }
    double secs = argc > 4 ? strtod(argv[4], NULL) : 0.3;
    struct corpus c;
    if (corpus_load(argv[1], &c) != 0) {
        fprintf(stderr, "bench_screen: cannot read %s\n", argv[1]);
        return 1;
    }
    struct fz_err err = {0};
    struct fz_rules *rules = NULL;
    struct fz_model *model = NULL;
    if (fz_rules_load_dir(argv[2], getenv("FANGZHA_CACHE_DIR"), &rules, &err) != FZ_OK ||
        (argc > 3 && strcmp(argv[3], "-") != 0 && fz_model_open(argv[3], &model, &err) != FZ_OK)) {
        fprintf(stderr, "bench_screen: %s\n", err.msg);
        return 1;
    }
    struct job jb = {.c = &c};
    struct fz_screen *screen;
    struct fz_extractor *x;
    if (fz_screen_new(NULL, model, rules, &screen) != FZ_OK ||
        fz_screen_ctx_new(screen, &jb.ctx) != FZ_OK || fz_extractor_new(&x) != FZ_OK ||
        fz_rules_scratch_new(rules, &jb.rs) != FZ_OK)
        return 1;
    jb.screen = screen;
    jb.x = x;
    jb.rules = rules;
    fz_text_init(&jb.text);
    fz_arena_init(&jb.arena, 0);
    fz_buf_init(&jb.out, FZ_CAP_LINE * 8);

    double base, base_m, ext, ext_m, rul, rul_m, scr, scr_m, js, js_m;
    bench_measure(pass_bytes, &jb, secs, &base, &base_m);
    bench_measure(pass_extract, &jb, secs, &ext, &ext_m);
    bench_measure(pass_rules, &jb, secs, &rul, &rul_m);
    bench_measure(pass_screen, &jb, secs, &scr, &scr_m);
    bench_measure(pass_screen_json, &jb, secs, &js, &js_m);
    printf("corpus: %zu messages, %.1f MB, mean %.0f bytes/message; %zu rules, %s; best and "
           "median of %d rounds\n",
           c.n, (double)c.size / 1e6, (double)c.size / (double)c.n, fz_rules_count(rules),
           model ? "with a model" : "no model", BENCH_ROUNDS);
    report("baseline byte pass:", base, base_m, base);
    report("normalize + extract:", ext, ext_m, base);
    report("  + rules:", rul, rul_m, base);
    report("fz_screen_message:", scr, scr_m, base);
    report("  + verdict JSON (target 500000):", js, js_m, base);

    fz_buf_release(&jb.out);
    fz_arena_release(&jb.arena);
    fz_text_release(&jb.text);
    fz_rules_scratch_free(jb.rs);
    fz_extractor_free(x);
    fz_screen_ctx_free(jb.ctx);
    fz_screen_free(screen);
    fz_rules_unref(rules);
    fz_model_close(model);
    corpus_free(&c);
    return jb.sink == 0xFFFFFFFFu;
}
