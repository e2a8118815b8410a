/*
 * server/intake: what a report's text tells at intake, shared by POST /reports and
 * `fangzha report import` — the screening verdict, the engine's fraud type guess, the hash of
 * the normalized text (for resent reports) and the indicators the text names.
 */
#include "server_int.h"

#include <string.h>

/* Adds kind/value to r's values unless it is there already or the array is full. */
void fz_server_report_value(struct fz_report_new *r, struct fz_report_value *values,
                            enum fz_ind_kind kind, const char *value)
{
    if (!value || !*value || r->nvalues == FZ_STORE_REPORT_VALUES_MAX)
        return;
    for (size_t i = 0; i < r->nvalues; i++)
        if (values[i].kind == kind && !strcmp(values[i].value, value))
            return;
    values[r->nvalues++] = (struct fz_report_value){kind, value};
    r->values = values;
}

/* The entities of a verdict that are indicators, copied into a. */
static fz_rc add_entities(struct fz_report_new *r, struct fz_report_value *values,
                          const struct fz_entities *e, struct fz_arena *a)
{
    static const struct {
        enum fz_entity_kind from;
        enum fz_ind_kind to;
    } map[] = {{FZ_ENT_PHONE, FZ_IND_PHONE}, {FZ_ENT_URL, FZ_IND_URL},
               {FZ_ENT_EMAIL, FZ_IND_EMAIL}, {FZ_ENT_BANK_CARD, FZ_IND_BANK_ACCOUNT},
               {FZ_ENT_QQ, FZ_IND_QQ},       {FZ_ENT_WECHAT, FZ_IND_WECHAT}};
    for (size_t m = 0; m < sizeof map / sizeof map[0]; m++)
        for (size_t i = 0; i < e->count[map[m].from]; i++) {
            const struct fz_entity *x = &e->items[map[m].from][i];
            const char *v =
                map[m].from == FZ_ENT_URL ? (x->url.valid ? x->url.url : NULL) : x->value;
            if (!v)
                continue;
            char *copy = fz_arena_strndup(a, v, strlen(v));
            if (!copy)
                return FZ_E(FZ_ENOMEM);
            fz_server_report_value(r, values, map[m].to, copy);
        }
    return FZ_OK;
}

fz_rc fz_server_report_screen(const struct fz_screen *s, struct fz_screen_ctx *c,
                              struct fz_report_new *r, struct fz_report_value *values,
                              uint64_t *dedupe, struct fz_arena *a)
{
    struct fz_verdict v;
    fz_screen_ctx_set_intel(c, NULL); /* the verdict of the text alone, not of what we know */
    fz_rc rc = fz_screen_message(s, c, r->text, r->text_len, &v);
    if (rc)
        return rc;
    r->verdict_label = fz_label_name(v.label);
    r->verdict_score = v.score;
    if (r->fraud_type < 0 && v.label == FZ_LABEL_FRAUD)
        r->fraud_type = v.fraud_type; /* the engine's guess until an analyst decides */
    *dedupe = fz_hash(v.text->ptr, v.text->len);
    r->dedupe_key = dedupe;
    r->dedupe_len = sizeof *dedupe;
    return add_entities(r, values, &v.entities, a);
}
