/* url/json: the JSON members of one URL (fangzha check url, GET /check/url). */
#include "url_int.h"

void fz_url_json_fields(struct fz_json *j, const struct fz_url *u)
{
    fz_json_key(j, "valid");
    fz_json_bool(j, u->valid);
    fz_json_key(j, "url");
    fz_json_cstr(j, u->url);
    fz_json_key(j, "host");
    fz_json_cstr(j, u->host);
    fz_json_key(j, "registrable_domain");
    fz_json_cstr(j, u->registrable_domain);
    fz_json_flags(j, u->flags, fz_url_flag_name);
    fz_json_key(j, "lookalike_of");
    fz_json_cstr(j, u->lookalike_of);
    fz_json_key(j, "risk");
    fz_json_int(j, u->risk);
    fz_json_reasons(j, u->reasons, u->nreasons);
}
