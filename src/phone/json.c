/* phone/json: the JSON object of one phone number (fangzha check number, GET /check/number). */
#include "phone_int.h"

void fz_phone_json(struct fz_json *j, const struct fz_phone *p)
{
    fz_json_key(j, "valid");
    fz_json_bool(j, p->valid);
    fz_json_key(j, "e164");
    fz_json_cstr(j, p->e164[0] ? p->e164 : NULL);
    fz_json_key(j, "class");
    fz_json_cstr(j, fz_phone_class_name(p->cls));
    fz_json_key(j, "country_code");
    if (p->country_code)
        fz_json_uint(j, p->country_code);
    else
        fz_json_null(j);
    fz_json_flags(j, p->flags, fz_phone_flag_name);
    fz_json_key(j, "risk");
    fz_json_int(j, p->risk);
    fz_json_reasons(j, p->reasons, p->nreasons);
}
