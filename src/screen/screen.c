/*
 * screen: the verdict on one message from rules, the model and entity risk (engine layer).
 *
 * Each kind of evidence becomes a probability-like strength in 0..1: the rules' summed
 * weights (fraud rules; spam rules count towards spam only), the model's fraud score, and
 * half the riskiest entity's prior (an MVNO number or a shortener alone proves little). They
 * combine as independent evidence, score = 100 * (1 - prod(1 - p)), so any strong signal
 * raises the score and agreeing signals raise it further.
 */
#include "compat.h"

#include "fangzha/screen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct fz_screen {
    struct fz_screen_opts opts;
    struct fz_extractor *x;
    const struct fz_model *model;
    struct fz_rules *rules;
};

struct fz_screen_ctx {
    struct fz_text text;
    struct fz_arena arena;
    struct fz_rules_scratch *rules;
    struct fz_model_scratch model;
    bool has_model_scratch;
    const struct fz_intel *intel; /* overrides the engine's opts.intel when not NULL */
};

const char *fz_action_name(enum fz_action a)
{
    static const char *const names[] = {"allow", "warn", "block"};
    return (unsigned)a < 3 ? names[a] : NULL;
}

fz_rc fz_screen_new(const struct fz_screen_opts *opts, const struct fz_model *model,
                    struct fz_rules *rules, struct fz_screen **out)
{
    struct fz_screen_opts o = opts ? *opts : (struct fz_screen_opts){0};
    o.warn_at = o.warn_at ? o.warn_at : 40;
    o.block_at = o.block_at ? o.block_at : 80;
    o.fraud_at = o.fraud_at ? o.fraud_at : 50;
    if (o.warn_at < 1 || o.warn_at > 100 || o.block_at < 1 || o.block_at > 100 || o.fraud_at < 1 ||
        o.fraud_at > 100 || o.block_at < o.warn_at)
        return FZ_E(FZ_EINVAL);
    struct fz_screen *s = fz_calloc(1, sizeof *s);
    if (!s)
        return FZ_E(FZ_ENOMEM);
    if (fz_extractor_new(&s->x) != FZ_OK) {
        fz_free(s);
        return FZ_E(FZ_ENOMEM);
    }
    s->opts = o;
    s->model = model;
    s->rules = rules ? fz_rules_ref(rules) : NULL;
    *out = s;
    return FZ_OK;
}

void fz_screen_free(struct fz_screen *s)
{
    if (!s)
        return;
    fz_extractor_free(s->x);
    fz_rules_unref(s->rules);
    fz_free(s);
}

fz_rc fz_screen_ctx_new(const struct fz_screen *s, struct fz_screen_ctx **out)
{
    struct fz_screen_ctx *c = fz_calloc(1, sizeof *c);
    if (!c)
        return FZ_E(FZ_ENOMEM);
    fz_text_init(&c->text);
    fz_arena_init(&c->arena, 0);
    if ((s->rules && fz_rules_scratch_new(s->rules, &c->rules) != FZ_OK) ||
        (s->model && fz_model_scratch_init(&c->model) != FZ_OK)) {
        fz_screen_ctx_free(c);
        return FZ_E(FZ_ENOMEM);
    }
    c->has_model_scratch = s->model != NULL;
    *out = c;
    return FZ_OK;
}

void fz_screen_ctx_set_intel(struct fz_screen_ctx *c, const struct fz_intel *intel)
{
    c->intel = intel;
}

void fz_screen_ctx_free(struct fz_screen_ctx *c)
{
    if (!c)
        return;
    fz_text_release(&c->text);
    fz_arena_release(&c->arena);
    fz_rules_scratch_free(c->rules);
    if (c->has_model_scratch)
        fz_model_scratch_release(&c->model);
    fz_free(c);
}

/* ---- reasons ------------------------------------------------------------------------------- */

static void add_reason(struct fz_verdict *v, struct fz_verdict_reason r)
{
    if (v->nreasons < FZ_VERDICT_MAX_REASONS) {
        v->reasons[v->nreasons++] = r;
        return;
    }
    /* Full: replace the weakest if this one is stronger. */
    size_t weakest = 0;
    for (size_t i = 1; i < v->nreasons; i++)
        if (v->reasons[i].weight < v->reasons[weakest].weight)
            weakest = i;
    if (r.weight > v->reasons[weakest].weight)
        v->reasons[weakest] = r;
}

static int by_weight(const void *a, const void *b)
{
    const struct fz_verdict_reason *x = a, *y = b;
    if (x->weight != y->weight)
        return y->weight - x->weight;
    return (x->start > y->start) - (x->start < y->start);
}

/* ---- evidence ------------------------------------------------------------------------------ */

struct evidence {
    int fraud_points, spam_points, entity_risk;
    bool confirmed; /* an entity is a confirmed indicator */
    int best_rule_type, best_rule_weight;
    float model_fraud, model_spam;
};

static void rule_evidence(const struct fz_text *t, const struct fz_rule_hit *hits, size_t n,
                          struct fz_verdict *v, struct evidence *e)
{
    for (size_t i = 0; i < n; i++) {
        const struct fz_rule *r = hits[i].rule;
        struct fz_verdict_reason reason = {
            .src = FZ_REASON_RULE, .code = r->id, .weight = r->weight, .zh = r->zh, .en = r->en};
        if (hits[i].has_span && hits[i].end > hits[i].start) {
            fz_text_span(t, hits[i].start, hits[i].end, &reason.start, &reason.end);
            reason.has_span = true;
        } else if (hits[i].entity) {
            reason.start = hits[i].entity->start;
            reason.end = hits[i].entity->end;
            reason.has_span = true;
        }
        add_reason(v, reason);
        if (!strcmp(r->type, "spam")) {
            e->spam_points += r->weight;
            continue;
        }
        e->fraud_points += r->weight;
        int type = fz_fraud_type_index(r->type, strlen(r->type));
        if (type >= 0 && r->weight > e->best_rule_weight) {
            e->best_rule_weight = r->weight;
            e->best_rule_type = type;
        }
    }
}

static void signal_reasons(struct fz_verdict *v, const struct fz_entity *ent,
                           const struct fz_reason *const *reasons, int n)
{
    for (int i = 0; i < n; i++)
        add_reason(v, (struct fz_verdict_reason){.src = FZ_REASON_ENTITY,
                                                 .code = reasons[i]->code,
                                                 .weight = reasons[i]->weight,
                                                 .zh = reasons[i]->zh,
                                                 .en = reasons[i]->en,
                                                 .has_span = true,
                                                 .start = ent->start,
                                                 .end = ent->end});
}

/* Weights of what the intelligence index says; a confirmed indicator also blocks outright. */
#define INTEL_CONFIRMED_WEIGHT 100
#define INTEL_SUSPECTED_WEIGHT 40

static void intel_evidence(const struct fz_intel *intel, struct fz_verdict *v, struct evidence *e)
{
    for (int k = 0; k < FZ_ENT__COUNT; k++) {
        if (k == FZ_ENT_AMOUNT || k == FZ_ENT_ID_NUMBER) /* not indicators */
            continue;
        for (size_t i = 0; i < v->entities.count[k]; i++) {
            const struct fz_entity *ent = &v->entities.items[k][i];
            struct fz_intel_hit hit = {FZ_INTEL_NONE, NULL};
            if (!intel->lookup(intel->ud, ent, &hit) || hit.status == FZ_INTEL_NONE)
                continue;
            bool confirmed = hit.status == FZ_INTEL_CONFIRMED;
            int w = confirmed ? INTEL_CONFIRMED_WEIGHT : INTEL_SUSPECTED_WEIGHT;
            add_reason(v, (struct fz_verdict_reason){
                              .src = FZ_REASON_INTEL,
                              .code = confirmed ? "intel.confirmed" : "intel.suspected",
                              .weight = w,
                              .zh = confirmed ? "情报库已确认的涉诈线索" : "情报库中的可疑线索",
                              .en = confirmed ? "a confirmed fraud indicator (intelligence)"
                                              : "a suspected fraud indicator (intelligence)",
                              .has_span = true,
                              .start = ent->start,
                              .end = ent->end,
                              .indicator = hit.id});
            e->fraud_points += w;
            e->confirmed = e->confirmed || confirmed;
        }
    }
}

static void entity_evidence(struct fz_verdict *v, struct evidence *e)
{
    const struct fz_entities *ents = &v->entities;
    for (size_t i = 0; i < ents->count[FZ_ENT_PHONE]; i++) {
        const struct fz_entity *p = &ents->items[FZ_ENT_PHONE][i];
        signal_reasons(v, p, p->phone.reasons, p->phone.nreasons);
        e->entity_risk = p->phone.risk > e->entity_risk ? p->phone.risk : e->entity_risk;
    }
    for (size_t i = 0; i < ents->count[FZ_ENT_URL]; i++) {
        const struct fz_entity *u = &ents->items[FZ_ENT_URL][i];
        signal_reasons(v, u, u->url.reasons, u->url.nreasons);
        e->entity_risk = u->url.risk > e->entity_risk ? u->url.risk : e->entity_risk;
    }
}

static void model_evidence(const struct fz_screen *s, struct fz_screen_ctx *c, struct fz_verdict *v,
                           struct evidence *e, int *model_type)
{
    struct fz_prediction p;
    fz_model_predict(s->model, &c->text, &v->entities, &c->model, &p);
    e->model_fraud = p.fraud_score;
    e->model_spam = p.spam_score;
    *model_type = p.fraud_type;
    int w = (int)lroundf(p.fraud_score * 100.0f);
    if (p.label == FZ_LABEL_FRAUD)
        add_reason(v, (struct fz_verdict_reason){.src = FZ_REASON_MODEL,
                                                 .code = "model.fraud",
                                                 .weight = w,
                                                 .zh = "文本模型判断为诈骗",
                                                 .en = "the text model judges it fraud"});
    else if (p.label == FZ_LABEL_SPAM)
        add_reason(v, (struct fz_verdict_reason){.src = FZ_REASON_MODEL,
                                                 .code = "model.spam",
                                                 .weight = (int)lroundf(p.spam_score * 100.0f),
                                                 .zh = "文本模型判断为垃圾信息",
                                                 .en = "the text model judges it spam"});
}

static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* The fraud type when the rules name none: the model's, asked for one even when it did not
 * call the message fraud itself; else other_fraud. */
static int fallback_type(const struct fz_screen *s, struct fz_screen_ctx *c, int model_type)
{
    if (model_type >= 0)
        return model_type;
    if (s->model) {
        float margin;
        fz_model_fraud_type(s->model, &c->model, &model_type, &margin);
        if (model_type >= 0)
            return model_type;
    }
    return fz_fraud_type_index("other_fraud", 11);
}

static void decide(const struct fz_screen *s, struct fz_screen_ctx *c, const struct evidence *e,
                   int model_type, struct fz_verdict *v)
{
    double p_rules = clamp01(e->fraud_points / 100.0);
    double p_ent = clamp01(e->entity_risk / 100.0) * 0.5;
    double p_model = e->model_fraud >= 0 ? e->model_fraud : 0;
    double p = 1.0 - (1.0 - p_rules) * (1.0 - p_ent) * (1.0 - p_model);
    v->score = (int)lround(100.0 * clamp01(p));
    int known = s->opts.block_at > s->opts.fraud_at ? s->opts.block_at : s->opts.fraud_at;
    if (e->confirmed && v->score < known) /* a known indicator blocks, as fraud */
        v->score = known;
    bool model_spam = e->model_spam >= 0.5f;
    if (v->score >= s->opts.fraud_at) {
        v->label = FZ_LABEL_FRAUD;
        v->fraud_type =
            e->best_rule_weight > 0 ? e->best_rule_type : fallback_type(s, c, model_type);
    } else if (model_spam || e->spam_points >= 50) {
        v->label = FZ_LABEL_SPAM;
    }
    v->action = v->score >= s->opts.block_at  ? FZ_ACTION_BLOCK
                : v->score >= s->opts.warn_at ? FZ_ACTION_WARN
                                              : FZ_ACTION_ALLOW;
}

/* x followed by y, in the arena; NULL when it is out of memory. */
static char *join(struct fz_arena *a, const char *x, const char *y)
{
    size_t nx = strlen(x), ny = strlen(y);
    char *s = fz_arena_alloc(a, nx + ny + 1);
    if (s) {
        memcpy(s, x, nx);
        memcpy(s + nx, y, ny + 1);
    }
    return s;
}

/* The sender's reasons, "sender." + the phone reason's code and "发送号码：" + its text, in the
 * context's arena; its prior counts as an entity's. */
static fz_rc sender_evidence(struct fz_screen_ctx *c, const struct fz_phone *p,
                             struct fz_verdict *v, struct evidence *e)
{
    for (int i = 0; i < p->nreasons; i++) {
        const struct fz_reason *r = p->reasons[i];
        char *code = join(&c->arena, "sender.", r->code);
        char *zh = join(&c->arena, "发送号码：", r->zh);
        char *en = join(&c->arena, "sender: ", r->en);
        if (!code || !zh || !en)
            return FZ_E(FZ_ENOMEM);
        add_reason(
            v, (struct fz_verdict_reason){
                   .src = FZ_REASON_ENTITY, .code = code, .weight = r->weight, .zh = zh, .en = en});
    }
    e->entity_risk = p->risk > e->entity_risk ? p->risk : e->entity_risk;
    return FZ_OK;
}

fz_rc fz_screen_message(const struct fz_screen *s, struct fz_screen_ctx *c, const char *text,
                        size_t len, struct fz_verdict *out)
{
    return fz_screen_message_from(s, c, text, len, NULL, 0, out);
}

static void zero_verdict(struct fz_verdict *out)
{
    memset(out, 0, offsetof(struct fz_verdict, reasons));
    out->fraud_type = -1;
    out->model_fraud = out->model_spam = -1;
}

fz_rc fz_screen_message_from(const struct fz_screen *s, struct fz_screen_ctx *c, const char *text,
                             size_t len, const char *sender, size_t sender_len,
                             struct fz_verdict *out)
{
    zero_verdict(out);
    fz_arena_reset(&c->arena);
    struct fz_phone from = {.valid = false};
    fz_rc rc = sender ? fz_phone_normalize(sender, sender_len, &from) : FZ_OK;
    if (!rc)
        rc = fz_text_normalize(text, len, &c->text);
    if (!rc)
        rc = fz_extract(s->x, &c->text, text, len, &c->arena, &out->entities);
    const struct fz_rule_hit *hits = NULL;
    size_t nhits = 0;
    if (!rc && s->rules)
        rc = fz_rules_match(s->rules, c->rules, &c->text, &out->entities, &hits, &nhits);
    out->text = &c->text;
    struct evidence e = {.model_fraud = -1, .model_spam = -1, .best_rule_type = -1};
    int model_type = -1;
    if (!rc) {
        rule_evidence(&c->text, hits, nhits, out, &e);
        entity_evidence(out, &e);
        if (from.valid)
            rc = sender_evidence(c, &from, out, &e);
    }
    if (rc) {
        zero_verdict(out);
        return rc;
    }
    const struct fz_intel *intel = c->intel ? c->intel : s->opts.intel;
    if (intel)
        intel_evidence(intel, out, &e);
    if (s->model)
        model_evidence(s, c, out, &e, &model_type);
    out->model_fraud = e.model_fraud;
    out->model_spam = e.model_spam;
    decide(s, c, &e, model_type, out);
    qsort(out->reasons, out->nreasons, sizeof *out->reasons, by_weight);
    return FZ_OK;
}
