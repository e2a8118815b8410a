/* server/body: checks a JSON request body against the fields a route accepts. */
#include "server_int.h"

#include <jansson.h>
#include <string.h>

static const char *type_name(enum srv_type t)
{
    static const char *const names[] = {"a string", "an integer", "true or false", "an array",
                                        "an object"};
    return names[t];
}

static bool type_ok(json_t *v, enum srv_type t)
{
    switch (t) {
    case SRV_T_STR: return json_is_string(v);
    case SRV_T_INT: return json_is_integer(v);
    case SRV_T_BOOL: return json_is_boolean(v);
    case SRV_T_ARR: return json_is_array(v);
    case SRV_T_OBJ: return json_is_object(v);
    }
    return false;
}

static const struct srv_field *field_named(const struct srv_field *fields, const char *name)
{
    for (const struct srv_field *f = fields; f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}

/* Bounds of one present member; answers 422 and returns false when it is outside them. */
static bool bounds_ok(struct srv_req *r, const struct srv_field *f, json_t *v)
{
    int64_t n;
    const char *what;
    switch (f->type) {
    case SRV_T_STR:
        n = (int64_t)json_string_length(v);
        what = "bytes long";
        break;
    case SRV_T_INT:
        n = (int64_t)json_integer_value(v);
        what = "";
        break;
    case SRV_T_ARR:
        n = (int64_t)json_array_size(v);
        what = "items long";
        break;
    default: return true;
    }
    if (f->type == SRV_T_STR && f->required && n == 0) {
        srv_error(r, 422, "invalid", f->name, "'%s' must not be empty", f->name);
        return false;
    }
    if ((f->min && n < f->min) || (f->max && n > f->max)) {
        srv_error(r, 422, "invalid", f->name, "'%s' must be %s%lld..%lld%s%s", f->name,
                  f->type == SRV_T_INT ? "in " : "", (long long)f->min, (long long)f->max,
                  *what ? " " : "", what);
        return false;
    }
    return true;
}

bool srv_check_fields(struct srv_req *r, const struct srv_field *fields)
{
    const char *key;
    json_t *v;
    json_object_foreach(r->doc, key, v)
    {
        const struct srv_field *f = field_named(fields, key);
        if (!f) {
            srv_error(r, 422, "invalid", key, "unknown field '%.40s'", key);
            return false;
        }
        if (json_is_null(v) && !f->required)
            continue;
        if (!type_ok(v, f->type)) {
            srv_error(r, 422, "invalid", f->name, "'%s' must be %s", f->name, type_name(f->type));
            return false;
        }
        if (!bounds_ok(r, f, v))
            return false;
    }
    for (const struct srv_field *f = fields; f->name; f++)
        if (f->required && !json_object_get(r->doc, f->name)) {
            srv_error(r, 422, "invalid", f->name, "'%s' is required", f->name);
            return false;
        }
    return true;
}

const char *srv_str(struct srv_req *r, const char *name, size_t *len)
{
    json_t *v = json_object_get(r->doc, name);
    if (!json_is_string(v)) {
        *len = 0;
        return NULL;
    }
    *len = json_string_length(v);
    return json_string_value(v);
}
