/* cli/render: the JSON objects of the signal modules (the contract later tools rely on). */
#include "compat.h"

#include "cli.h"

void cli_json_reasons(struct fz_json *j, const struct fz_reason *const *reasons, int n)
{
    fz_json_key(j, "reasons");
    fz_json_arr(j);
    for (int i = 0; i < n; i++) {
        fz_json_obj(j);
        fz_json_key(j, "signal");
        fz_json_cstr(j, reasons[i]->code);
        fz_json_key(j, "weight");
        fz_json_int(j, reasons[i]->weight);
        fz_json_key(j, "description_zh");
        fz_json_cstr(j, reasons[i]->zh);
        fz_json_key(j, "description_en");
        fz_json_cstr(j, reasons[i]->en);
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
}

static void phone_flags(struct fz_json *j, uint32_t flags)
{
    fz_json_key(j, "flags");
    fz_json_arr(j);
    for (uint32_t bit = 1; bit && bit <= flags; bit <<= 1)
        if (flags & bit)
            fz_json_cstr(j, fz_phone_flag_name(bit));
    fz_json_arr_end(j);
}

void cli_json_phone(struct fz_json *j, const struct fz_phone *p)
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
    phone_flags(j, p->flags);
    fz_json_key(j, "risk");
    fz_json_int(j, p->risk);
    cli_json_reasons(j, p->reasons, p->nreasons);
}

void cli_json_url_fields(struct fz_json *j, const struct fz_url *u)
{
    fz_json_key(j, "valid");
    fz_json_bool(j, u->valid);
    fz_json_key(j, "url");
    fz_json_cstr(j, u->url);
    fz_json_key(j, "host");
    fz_json_cstr(j, u->host);
    fz_json_key(j, "registrable_domain");
    fz_json_cstr(j, u->registrable_domain);
    fz_json_key(j, "flags");
    fz_json_arr(j);
    for (uint32_t bit = 1; bit && bit <= u->flags; bit <<= 1)
        if (u->flags & bit)
            fz_json_cstr(j, fz_url_flag_name(bit));
    fz_json_arr_end(j);
    fz_json_key(j, "lookalike_of");
    fz_json_cstr(j, u->lookalike_of);
    fz_json_key(j, "risk");
    fz_json_int(j, u->risk);
    cli_json_reasons(j, u->reasons, u->nreasons);
}
