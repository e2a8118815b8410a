/* screen/json: the JSON form of a verdict, the same object in the CLI and the HTTP API. */
#include "compat.h"

#include "fangzha/screen.h"

static void reasons_json(struct fz_json *j, const struct fz_verdict *v)
{
    fz_json_key(j, "reasons");
    fz_json_arr(j);
    for (size_t i = 0; i < v->nreasons; i++) {
        const struct fz_verdict_reason *r = &v->reasons[i];
        fz_json_obj(j);
        fz_json_reason_fields(j, r->src == FZ_REASON_RULE ? "rule" : "signal", r->code, r->weight,
                              r->zh, r->en);
        if (r->indicator) {
            fz_json_key(j, "indicator");
            fz_json_cstr(j, r->indicator);
        }
        fz_json_key(j, "span");
        if (r->has_span) {
            fz_json_arr(j);
            fz_json_uint(j, r->start);
            fz_json_uint(j, r->end);
            fz_json_arr_end(j);
        } else {
            fz_json_null(j);
        }
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
}

void fz_verdict_json(struct fz_json *j, const struct fz_verdict *v, const char *orig)
{
    fz_json_key(j, "score");
    fz_json_int(j, v->score);
    fz_json_key(j, "label");
    fz_json_cstr(j, fz_label_name(v->label));
    fz_json_key(j, "fraud_type");
    fz_json_cstr(j, v->fraud_type >= 0 ? fz_fraud_type_name(v->fraud_type) : NULL);
    fz_json_key(j, "action");
    fz_json_cstr(j, fz_action_name(v->action));
    reasons_json(j, v);
    fz_json_key(j, "entities");
    fz_json_obj(j);
    fz_entities_json(j, &v->entities, orig);
    fz_json_obj_end(j);
}
