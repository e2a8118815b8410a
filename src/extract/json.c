/* extract/json: the JSON form of a message's entities (the contract of fangzha extract, the
 * verdict's "entities" and, later, the HTTP API). */
#include "compat.h"

#include "fangzha/extract.h"

static void entity_json(struct fz_json *j, const struct fz_entity *e, const char *orig)
{
    fz_json_obj(j);
    fz_json_key(j, "raw");
    fz_json_str(j, orig + e->start, e->end - e->start);
    fz_json_key(j, "value");
    if (e->kind == FZ_ENT_AMOUNT)
        fz_json_int(j, e->amount_fen);
    else
        fz_json_cstr(j, e->value);
    fz_json_key(j, "start");
    fz_json_uint(j, e->start);
    fz_json_key(j, "end");
    fz_json_uint(j, e->end);
    if (e->kind == FZ_ENT_PHONE) {
        fz_json_key(j, "e164");
        fz_json_cstr(j, e->phone.e164[0] ? e->phone.e164 : NULL);
        fz_json_key(j, "class");
        fz_json_cstr(j, fz_phone_class_name(e->phone.cls));
    } else if (e->kind == FZ_ENT_URL) {
        fz_json_key(j, "host");
        fz_json_cstr(j, e->url.host);
        fz_json_key(j, "registrable_domain");
        fz_json_cstr(j, e->url.registrable_domain);
        fz_json_flags(j, e->url.flags, fz_url_flag_name);
    }
    fz_json_obj_end(j);
}

/* The members of a message without entities (most messages), in one write. tests/unit/extract/
 * test_json.c checks them against the kind keys. */
static const char none_json[] = "\"phones\":[],\"urls\":[],\"emails\":[],\"bank_cards\":[],"
                                "\"id_numbers\":[],\"qq\":[],\"wechat\":[],\"amounts_fen\":[]";

void fz_entities_json(struct fz_json *j, const struct fz_entities *ents, const char *orig)
{
    size_t total = 0;
    for (int k = 0; k < FZ_ENT__COUNT; k++)
        total += ents->count[k];
    if (total == 0) {
        fz_json_raw(j, none_json, sizeof none_json - 1);
        return;
    }
    for (int k = 0; k < FZ_ENT__COUNT; k++) {
        fz_json_key(j, fz_entity_kind_key((enum fz_entity_kind)k));
        if (ents->count[k] == 0) { /* the common case, in one write */
            fz_json_raw(j, "[]", 2);
            continue;
        }
        fz_json_arr(j);
        for (size_t i = 0; i < ents->count[k]; i++)
            entity_json(j, &ents->items[k][i], orig);
        fz_json_arr_end(j);
    }
}
