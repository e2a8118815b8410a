/* server/params: query arguments and body members as typed values, and times in JSON. */
#include "server_int.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool srv_arg_int(struct srv_req *r, const char *name, int64_t min, int64_t max, int64_t *out)
{
    const char *v = srv_arg(r, name);
    if (!v)
        return true;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || errno || n < min || n > max) {
        srv_error(r, 422, "invalid", name, "'%s' must be an integer in %lld..%lld", name,
                  (long long)min, (long long)max);
        return false;
    }
    *out = n;
    return true;
}

int64_t srv_int(struct srv_req *r, const char *name, int64_t dflt)
{
    json_t *v = json_object_get(r->doc, name);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

bool srv_bool(struct srv_req *r, const char *name)
{
    return json_is_true(json_object_get(r->doc, name));
}

size_t srv_iso_time(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    n += (size_t)snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
    return n;
}

void srv_json_time(struct fz_json *j, const char *key, int64_t ms)
{
    fz_json_key_n(j, key, strlen(key));
    if (ms <= 0) {
        fz_json_null(j);
        return;
    }
    char buf[32];
    fz_json_str(j, buf, srv_iso_time(ms, buf));
}

void srv_json_id_or_null(struct fz_json *j, const char *key, int64_t id)
{
    fz_json_key_n(j, key, strlen(key));
    if (id > 0)
        fz_json_int(j, id);
    else
        fz_json_null(j);
}
