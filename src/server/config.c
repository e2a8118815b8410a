/*
 * server/config: the configuration file of `fangzha serve` (docs/config.md): `name = value`
 * lines, `#` comments, values bare or in double quotes. Unknown names, bad values and values
 * out of bounds stop the start with the file, the line and the name. Flags given on the command
 * line win over the file (the CLI applies them after).
 */
#include "server_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum cfg_type { CFG_STR, CFG_UINT, CFG_SIZE, CFG_RATE, CFG_SYNC };

struct cfg_key {
    const char *name;
    enum cfg_type type;
    size_t offset; /* in struct fz_server_opts */
    long long min, max;
};

#define OPT(f) offsetof(struct fz_server_opts, f)
static const struct cfg_key keys[] = {
    {"listen", CFG_STR, OPT(listen), 0, 0},
    {"db", CFG_STR, OPT(db_path), 0, 0},
    {"rules", CFG_STR, OPT(rules_dir), 0, 0},
    {"model", CFG_STR, OPT(model_path), 0, 0},
    {"web", CFG_STR, OPT(web_dir), 0, 0},
    {"cache_dir", CFG_STR, OPT(cache_dir), 0, 0},
    {"threads", CFG_UINT, OPT(threads), 1, 256},
    {"workers", CFG_UINT, OPT(workers), 1, 1024},
    {"body_max", CFG_SIZE, OPT(body_max), 1024, 16 << 20},
    {"sync", CFG_SYNC, OPT(sync_normal), 0, 0},
    {"rate.check", CFG_RATE, OPT(check_per_s), 0, 1000000},
    {"rate.report", CFG_RATE, OPT(report_per_min), 0, 1000000},
};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* A value: bare, or in double quotes (no escapes; a quote cannot occur inside). */
static fz_rc unquote(char **v, size_t line, const char *name, struct fz_err *err)
{
    char *s = *v;
    size_t n = strlen(s);
    if (n && s[0] == '"') {
        if (n < 2 || s[n - 1] != '"' || memchr(s + 1, '"', n - 2))
            return fz_err_setloc(err, FZ_EPARSE, line, name, "unbalanced quotes");
        s[n - 1] = '\0';
        *v = s + 1;
    }
    if (!**v)
        return fz_err_setloc(err, FZ_EINVAL, line, name, "'%s' has no value", name);
    return FZ_OK;
}

static fz_rc set_number(const struct cfg_key *k, const char *v, size_t line, void *field,
                        struct fz_err *err)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || n < k->min || n > k->max)
        return fz_err_setloc(err, FZ_EINVAL, line, k->name, "'%s' wants %lld..%lld, not '%.40s'",
                             k->name, k->min, k->max, v);
    if (k->type == CFG_UINT)
        *(unsigned *)field = (unsigned)n;
    else if (k->type == CFG_SIZE)
        *(size_t *)field = (size_t)n;
    else
        *(int *)field = n ? (int)n : -1; /* 0 turns the limit off */
    return FZ_OK;
}

static fz_rc set_value(struct fz_server_opts *o, const struct cfg_key *k, char *v, size_t line,
                       struct fz_arena *a, struct fz_err *err)
{
    void *field = (char *)o + k->offset;
    if (k->type == CFG_SYNC) {
        if (strcmp(v, "full") && strcmp(v, "normal"))
            return fz_err_setloc(err, FZ_EINVAL, line, k->name, "'sync' wants full or normal");
        *(bool *)field = !strcmp(v, "normal");
        return FZ_OK;
    }
    if (k->type != CFG_STR)
        return set_number(k, v, line, field, err);
    size_t n = strlen(v);
    char *copy = fz_arena_alloc(a, n + 1);
    if (!copy)
        return FZ_E(FZ_ENOMEM);
    memcpy(copy, v, n + 1);
    *(const char **)field = copy;
    return FZ_OK;
}

static fz_rc parse_line(struct fz_server_opts *o, char *line, size_t no, struct fz_arena *a,
                        struct fz_err *err)
{
    char *s = trim(line);
    if (!*s || *s == '#')
        return FZ_OK;
    char *eq = strchr(s, '=');
    if (!eq)
        return fz_err_setloc(err, FZ_EPARSE, no, "", "want 'name = value'");
    *eq = '\0';
    char *name = trim(s), *value = trim(eq + 1);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(name, keys[i].name))
            continue;
        fz_rc rc = unquote(&value, no, keys[i].name, err);
        return rc ? rc : set_value(o, &keys[i], value, no, a, err);
    }
    return fz_err_setloc(err, FZ_EINVAL, no, "", "unknown setting '%.40s'", name);
}

fz_rc fz_server_config_parse(const char *text, size_t len, struct fz_server_opts *o,
                             struct fz_arena *a, struct fz_err *err)
{
    if (!fz_utf8_valid(text, len))
        return fz_err_set(err, FZ_EUTF8, "the configuration is not valid UTF-8");
    size_t no = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        no++;
        if (n > 4096)
            return fz_err_setloc(err, FZ_ETOOBIG, no, "", "line over 4096 bytes");
        char line[4097];
        memcpy(line, p, n);
        line[n] = '\0';
        if (memchr(line, '\0', n))
            return fz_err_setloc(err, FZ_EPARSE, no, "", "NUL byte in the line");
        fz_rc rc = parse_line(o, line, no, a, err);
        if (rc)
            return rc;
        p += n + (nl != NULL);
    }
    return FZ_OK;
}
