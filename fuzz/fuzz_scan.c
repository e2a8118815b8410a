/*
 * fuzz_scan: libFuzzer driver for the screening engine end to end, as `fangzha scan` and the
 * HTTP API run it: any bytes are screened with the shipped rules (shipped.h) into a verdict
 * and written as JSON. Properties: screening never fails on a message within the cap; the
 * score is 0..100 and the label, action and fraud type agree with it and with each other;
 * every reason's span and every entity lies inside the input; the verdict's JSON is valid
 * (jansson parses it, whatever bytes came in); screening twice gives the same JSON.
 * Inputs that start with a tab carry a sender: the bytes up to the next tab (at most 256).
 * Hangs and superlinear inputs are caught by libFuzzer's -timeout and slow-unit reports.
 */
#include "fangzha/screen.h"

#include "shipped.h"

#include <jansson.h>

static struct fz_screen *engine;
static struct fz_screen_ctx *ctx;
static struct fz_buf out, again;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_scan: property failed: %s\n", what);
        abort();
    }
}

static void check_verdict(const struct fz_verdict *v, size_t size)
{
    check(v->score >= 0 && v->score <= 100, "score in 0..100");
    check(v->label == FZ_LABEL_HAM || v->label == FZ_LABEL_SPAM || v->label == FZ_LABEL_FRAUD,
          "label");
    check((v->label == FZ_LABEL_FRAUD) == (v->fraud_type >= 0), "fraud type iff fraud");
    check(v->fraud_type < FZ_FRAUD_TYPE_COUNT, "fraud type id");
    check(v->action == (v->score >= 80   ? FZ_ACTION_BLOCK
                        : v->score >= 40 ? FZ_ACTION_WARN
                                         : FZ_ACTION_ALLOW),
          "action follows the default thresholds");
    check(v->nreasons <= FZ_VERDICT_MAX_REASONS, "reason count");
    for (size_t i = 0; i < v->nreasons; i++) {
        const struct fz_verdict_reason *r = &v->reasons[i];
        check(r->code != NULL && r->zh != NULL && r->en != NULL, "reason texts");
        if (r->has_span)
            check(r->start <= r->end && r->end <= size, "reason span inside the input");
        if (i > 0)
            check(r->weight <= v->reasons[i - 1].weight, "reasons strongest first");
    }
    for (int k = 0; k < FZ_ENT__COUNT; k++)
        for (size_t i = 0; i < v->entities.count[k]; i++) {
            const struct fz_entity *e = &v->entities.items[k][i];
            check(e->start < e->end && e->end <= size, "entity inside the input");
        }
}

static void render(struct fz_buf *b, const struct fz_verdict *v, const char *orig)
{
    struct fz_json j;
    fz_buf_reset(b);
    fz_json_init(&j, b);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    fz_json_uint(&j, 1);
    fz_verdict_json(&j, v, orig);
    fz_json_obj_end(&j);
    check(j.rc == FZ_OK, "JSON written");
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compiling (or loading) the shipped set before the first input keeps it out of the
 * per-input timeout. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct fz_rules *rules = fuzz_load_shipped("fuzz_scan");
    check(fz_screen_new(NULL, NULL, rules, &engine) == FZ_OK, "engine");
    fz_rules_unref(rules);
    check(fz_screen_ctx_new(engine, &ctx) == FZ_OK, "context");
    fz_buf_init(&out, FZ_CAP_JSON_DOC);
    fz_buf_init(&again, FZ_CAP_JSON_DOC);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *sender = NULL;
    size_t sender_len = 0;
    if (size > 0 && s[0] == '\t') {
        const char *tab = memchr(s + 1, '\t', size - 1 < 256 ? size - 1 : 256);
        if (tab) {
            sender = s + 1;
            sender_len = (size_t)(tab - sender);
            size -= (size_t)(tab + 1 - s);
            s = tab + 1;
        }
    }
    struct fz_verdict v;
    fz_rc rc = fz_screen_message_from(engine, ctx, s, size, sender, sender_len, &v);
    if (size > FZ_CAP_SMS_TEXT) {
        check(rc == FZ_ETOOBIG, "over the cap: FZ_ETOOBIG");
        return 0;
    }
    check(rc == FZ_OK, "screened");
    check_verdict(&v, size);
    render(&out, &v, s);
    json_error_t jerr;
    json_t *doc = json_loadb(out.ptr, out.len, JSON_ALLOW_NUL, &jerr); /* \u0000 is valid JSON */
    if (doc == NULL)
        fprintf(stderr, "fuzz_scan: %s at byte %d of: %s\n", jerr.text, jerr.position, out.ptr);
    check(doc != NULL, "verdict JSON parses");
    check(json_integer_value(json_object_get(doc, "score")) == v.score, "JSON score");
    json_decref(doc);

    check(fz_screen_message_from(engine, ctx, s, size, sender, sender_len, &v) == FZ_OK,
          "screened again");
    render(&again, &v, s);
    check(again.len == out.len && memcmp(again.ptr, out.ptr, out.len) == 0, "deterministic");
    return 0;
}
