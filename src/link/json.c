/*
 * link/json.c: one case from one line of JSON Lines (docs/link.md), through jansson. Every
 * rejection says which line and which field ("identifiers[2].value") and why, and leaves the
 * set as it was.
 */
#include "compat.h"

#include "link_int.h"

#include <jansson.h>
#include <stdio.h>

/* Sets err's line and field (the message is already there) and returns rc. */
static fz_rc at(struct fz_err *err, fz_rc rc, size_t lineno, const char *field)
{
    if (err) {
        err->code = rc;
        err->line = lineno;
        snprintf(err->field, sizeof err->field, "%s", field);
    }
    return rc;
}

static fz_rc case_fields(const json_t *root, size_t lineno, char idbuf[24], const char **id,
                         size_t *id_len, int *type, int64_t *loss, struct fz_err *err)
{
    const json_t *v = json_object_get(root, "case_id");
    if (json_is_string(v)) {
        *id = json_string_value(v);
        *id_len = json_string_length(v);
    } else if (json_is_integer(v)) {
        *id_len = (size_t)snprintf(idbuf, 24, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *id = idbuf;
    } else {
        return fz_err_setloc(err, FZ_E(FZ_EPARSE), lineno, "case_id",
                             v ? "case_id must be a string" : "missing case_id");
    }
    v = json_object_get(root, "fraud_type");
    *type = -1;
    if (json_is_string(v) && json_string_length(v) > 0) {
        *type = fz_fraud_type_index(json_string_value(v), json_string_length(v));
        if (*type < 0)
            return fz_err_setloc(err, FZ_E(FZ_EINVAL), lineno, "fraud_type",
                                 "unknown fraud type '%.40s'", json_string_value(v));
    } else if (v && !json_is_null(v) && !json_is_string(v)) {
        return fz_err_setloc(err, FZ_E(FZ_EINVAL), lineno, "fraud_type",
                             "fraud_type must be a string");
    }
    v = json_object_get(root, "loss_fen");
    *loss = 0;
    if (json_is_integer(v) && json_integer_value(v) >= 0)
        *loss = (int64_t)json_integer_value(v);
    else if (v && !json_is_null(v))
        return fz_err_setloc(err, FZ_E(FZ_EINVAL), lineno, "loss_fen",
                             "loss_fen must be a whole number of fen, 0 or more");
    v = json_object_get(root, "time");
    if (v && !json_is_null(v) && !json_is_string(v) && !json_is_integer(v))
        return fz_err_setloc(err, FZ_E(FZ_EINVAL), lineno, "time",
                             "time must be a string or an integer");
    return FZ_OK;
}

/* "identifiers[i]" + suffix into field: written only when there is an error to report (this
 * runs for every identifier of every line). */
static const char *ident_field(char field[32], size_t i, const char *suffix)
{
    snprintf(field, 32, "identifiers[%u]%s", (unsigned)(i % 100000), suffix);
    return field;
}

/* Adds identifier i (the JSON value e) to case c. */
static fz_rc add_ident(struct fz_link_set *s, uint32_t c, const json_t *e, size_t i, size_t lineno,
                       struct fz_err *err)
{
    char field[32];
    if (!json_is_object(e))
        return fz_err_setloc(err, FZ_E(FZ_EINVAL), lineno, ident_field(field, i, ""),
                             "an identifier is an object");
    const json_t *k = json_object_get(e, "kind"), *v = json_object_get(e, "value");
    enum fz_link_kind kind;
    if (!json_is_string(k))
        return fz_err_setloc(err, FZ_E(FZ_EINVAL), lineno, ident_field(field, i, ".kind"),
                             "kind must be a string");
    if (!fz_link_kind_parse(json_string_value(k), json_string_length(k), &kind))
        return fz_err_setloc(err, FZ_E(FZ_EINVAL), lineno, ident_field(field, i, ".kind"),
                             "unknown kind '%.20s'", json_string_value(k));
    if (!json_is_string(v))
        return fz_err_setloc(err, FZ_E(FZ_EINVAL), lineno, ident_field(field, i, ".value"),
                             "value must be a string");
    fz_rc rc = fz_link_set_add(s, c, kind, json_string_value(v), json_string_length(v), err);
    return rc ? at(err, rc, lineno, ident_field(field, i, ".value")) : FZ_OK;
}

static fz_rc add_root(struct fz_link_set *s, const json_t *root, size_t lineno, struct fz_err *err)
{
    if (!json_is_object(root))
        return fz_err_setloc(err, FZ_E(FZ_EPARSE), lineno, "", "a case is a JSON object");
    char idbuf[24];
    const char *id = NULL;
    size_t id_len = 0;
    int type = -1;
    int64_t loss = 0;
    fz_rc rc = case_fields(root, lineno, idbuf, &id, &id_len, &type, &loss, err);
    if (rc)
        return rc;
    const json_t *idents = json_object_get(root, "identifiers");
    if (idents && !json_is_array(idents) && !json_is_null(idents))
        return fz_err_setloc(err, FZ_E(FZ_EINVAL), lineno, "identifiers",
                             "identifiers must be an array");
    if (json_array_size(idents) > FZ_LINK_CAP_IDENTS)
        return fz_err_setloc(err, FZ_E(FZ_ETOOBIG), lineno, "identifiers",
                             "more than %d identifiers", FZ_LINK_CAP_IDENTS);
    uint32_t c;
    if ((rc = fz_link_set_add_case(s, id, id_len, type, loss, &c, err)))
        return at(err, rc, lineno, "case_id");
    for (size_t i = 0; i < json_array_size(idents); i++)
        if ((rc = add_ident(s, c, json_array_get(idents, i), i, lineno, err)))
            return rc;
    return FZ_OK;
}

fz_rc fz_link_set_add_json(struct fz_link_set *s, const char *line, size_t len, size_t lineno,
                           struct fz_err *err)
{
    json_t *root;
    fz_rc rc = fz_json_parse(line, len, &root, err);
    if (rc)
        return at(err, rc == FZ_ENOMEM ? rc : FZ_EPARSE, lineno, "");
    size_t ncases = s->ncases, npairs = s->npairs;
    rc = add_root(s, root, lineno, err);
    json_decref(root);
    if (rc) { /* back to the set as it was (interned values stay, unused) */
        s->ncases = ncases;
        s->npairs = npairs;
    }
    return rc;
}
