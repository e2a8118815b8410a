/*
 * store/cases.c: typical cases (典型案例) that staff write, publish on the portal and withdraw:
 * the checks of a title and a text (limits, and the refusal of anything that still looks like a
 * mobile or ID number), the workflow draft → published ⇄ withdrawn with optimistic versions, the
 * staff list and the portal's public list.
 *
 * Backend-neutral like rewards.c: each write validates on the caller's thread, then runs on the
 * writer in its own savepoint with its audit record. Audit details name the status change, the
 * fraud type and the sizes, never the text.
 */
#include "compat.h"

#include "store_int.h"

#include <stdio.h>
#include <string.h>

static const char *const status_names[FZ_CASE__STATUSES] = {"draft", "published", "withdrawn"};

/* The case primitives of the store's backend (see the NEEDSWORK in store_int.h). */
static const struct fz__store_case_ops *cs(const struct fz_store *st)
{
    (void)st;
    return &fz__store_sqlite_cases;
}

const char *fz_case_status_name(enum fz_case_status s)
{
    return (unsigned)s < FZ_CASE__STATUSES ? status_names[s] : NULL;
}

bool fz_case_status_parse(const char *s, size_t len, enum fz_case_status *out)
{
    for (int i = 0; s && i < FZ_CASE__STATUSES; i++)
        if (strlen(status_names[i]) == len && memcmp(status_names[i], s, len) == 0) {
            *out = (enum fz_case_status)i;
            return true;
        }
    return false;
}

void fz_case_filter_init(struct fz_case_filter *f)
{
    memset(f, 0, sizeof *f);
    f->status = -1;
}

static fz_rc copy_err(struct fz_err *err, const struct fz__wop *op)
{
    if (err && op->rc != FZ_OK)
        *err = op->err;
    return op->rc;
}

/* ---- the anonymisation check ---------------------------------------------------------------- */

/* A run of digits (ASCII or full-width), possibly split by single spaces or dashes. */
struct run {
    size_t n;     /* digits in the run */
    char head[4]; /* its first digits, as ASCII */
    bool has_x;   /* ended by X after 17 digits (the check character of an ID number) */
    size_t line;  /* 1-based line where it started */
};

enum pii { PII_NONE, PII_MOBILE, PII_ID };

static bool mobile_at(const char *d) { return d[0] == '1' && d[1] >= '3' && d[1] <= '9'; }

static enum pii judge(const struct run *r)
{
    if ((r->n == 17 && r->has_x) || r->n == 18)
        return PII_ID;
    if (r->n == 11 && mobile_at(r->head))
        return PII_MOBILE;
    /* 86 or 0086 in front of a mobile number */
    if (r->n == 13 && r->head[0] == '8' && r->head[1] == '6' && mobile_at(r->head + 2))
        return PII_MOBILE;
    if (r->n == 15 && memcmp(r->head, "0086", 4) == 0)
        return PII_MOBILE; /* the head holds only 4 digits: 0086 + 11 digits is a phone */
    return PII_NONE;
}

static int digit_of(uint32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return (int)(cp - '0');
    if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width ０..９ */
        return (int)(cp - 0xFF10);
    return -1;
}

/* The first thing in s[0..len) that looks like a mobile or ID number; *line its line. */
static enum pii find_pii(const char *s, size_t len, size_t *line)
{
    const char *p = s, *end = s + len;
    struct run r = {0};
    bool sep = false; /* one separator seen after the run's last digit */
    size_t ln = 1;
    while (p < end) {
        uint32_t cp;
        fz_utf8_decode(&p, end, &cp);
        int d = digit_of(cp);
        if (d >= 0) {
            if (r.n == 0)
                r.line = ln;
            if (r.n < sizeof r.head)
                r.head[r.n] = (char)('0' + d);
            r.n++;
            sep = false;
            continue;
        }
        if (r.n > 0 && !sep && (cp == ' ' || cp == '-' || cp == 0x3000)) {
            sep = true;
            continue;
        }
        r.has_x = r.n == 17 && !sep && (cp == 'x' || cp == 'X' || cp == 0xFF38);
        enum pii k = r.n ? judge(&r) : PII_NONE;
        if (k != PII_NONE) {
            *line = r.line;
            return k;
        }
        memset(&r, 0, sizeof r);
        sep = false;
        if (cp == '\n')
            ln++;
    }
    *line = r.line;
    return r.n ? judge(&r) : PII_NONE;
}

fz_rc fz_case_check_text(const char *field, const char *s, struct fz_err *err)
{
    bool is_title = strcmp(field, "title") == 0;
    size_t max = is_title ? (size_t)FZ_CASE_TITLE_MAX * 4 : FZ_CASE_TEXT_MAX;
    if (!s || !*s)
        return fz_err_setloc(err, FZ_EINVAL, 0, field, "'%s' is required", field);
    size_t len = strlen(s);
    if (len > max)
        return fz_err_setloc(err, FZ_ETOOBIG, 0, field, "'%s' is longer than %zu bytes", field,
                             max);
    if (!fz_utf8_valid(s, len))
        return fz_err_setloc(err, FZ_EUTF8, 0, field, "'%s' is not valid UTF-8", field);
    size_t chars = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool layout = !is_title && (ch == '\n' || ch == '\r' || ch == '\t');
        if ((ch < 0x20 || ch == 0x7f) && !layout)
            return fz_err_setloc(err, FZ_EINVAL, 0, field, "'%s' has a control character", field);
        chars += (ch & 0xC0) != 0x80;
    }
    if (is_title && chars > FZ_CASE_TITLE_MAX)
        return fz_err_setloc(err, FZ_ETOOBIG, 0, field, "'%s' is longer than %d characters", field,
                             FZ_CASE_TITLE_MAX);
    size_t line = 0;
    switch (find_pii(s, len, &line)) {
    case PII_MOBILE:
        return fz_err_setloc(err, FZ_EINVAL, line, field,
                             "'%s' seems to hold a mobile number (line %zu): anonymise it, for "
                             "example as 138****5678, before saving",
                             field, line);
    case PII_ID:
        return fz_err_setloc(err, FZ_EINVAL, line, field,
                             "'%s' seems to hold an ID card number (line %zu): anonymise it, for "
                             "example as 110***********123X, before saving",
                             field, line);
    default: return FZ_OK;
    }
}

static fz_rc check_new(const struct fz_case_new *c, bool is_edit, struct fz_err *err)
{
    if (is_edit && !c->title && c->fraud_type < 0 && !c->text)
        return fz_err_set(err, FZ_EINVAL, "nothing to change: give title, fraud_type or text");
    if (!is_edit || c->fraud_type >= 0)
        if (!fz_fraud_type_name(c->fraud_type))
            return fz_err_setloc(err, FZ_EINVAL, 0, "fraud_type", "'fraud_type' is unknown");
    fz_rc rc = FZ_OK;
    if (!is_edit || c->title)
        rc = fz_case_check_text("title", c->title, err);
    if (rc == FZ_OK && (!is_edit || c->text))
        rc = fz_case_check_text("text", c->text, err);
    return rc;
}

/* ---- roles ---------------------------------------------------------------------------------- */

static bool has_role(const struct fz_actor *a, enum fz_role r)
{
    return fz__store_trusted(a) || (a->kind != FZ_ACTOR_ANON && a->role == r);
}

static bool may_write(const struct fz_actor *a)
{
    return has_role(a, FZ_ROLE_OFFICER) || has_role(a, FZ_ROLE_ANALYST);
}

static bool may_read(const struct fz_actor *a)
{
    return may_write(a) || has_role(a, FZ_ROLE_ADMIN) || has_role(a, FZ_ROLE_AUDITOR);
}

/* ---- add ------------------------------------------------------------------------------------ */

struct add {
    const struct fz_case_new *c;
    int64_t id;
};

static fz_rc do_add(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct add *c = op->ctx;
    const struct fz_actor *a = op->actor;
    if (!may_write(a))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only officers and analysts write cases");
    int64_t org = a->org_id;
    fz_rc rc = org ? FZ_OK : st->be->org_centre(conn, &org);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(&op->err, FZ_ECONFLICT, "no centre organisation to own the case");
    char who[32];
    fz__store_actor_text(a, who, sizeof who);
    struct fz_case row = {.org_id = org,
                          .title = c->c->title,
                          .fraud_type = c->c->fraud_type,
                          .text = c->c->text,
                          .created_by = who,
                          .created_ms = op->now_ms};
    if (rc == FZ_OK)
        rc = cs(st)->insert(conn, &row, &c->id);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "adding a case");
    op->object_id = c->id;
    snprintf(op->detail, sizeof op->detail, "fraud_type=%s title_bytes=%zu text_bytes=%zu",
             fz_fraud_type_name(row.fraud_type), strlen(row.title), strlen(row.text));
    return FZ_OK;
}

fz_rc fz_store_case_add(struct fz_store *st, const struct fz_actor *a, const struct fz_case_new *c,
                        int64_t *id, struct fz_err *err)
{
    fz_rc rc = check_new(c, false, err);
    if (rc != FZ_OK)
        return rc;
    struct add ctx = {.c = c};
    struct fz__wop op = {
        .fn = do_add, .ctx = &ctx, .actor = a, .action = "case.add", .object_kind = "case"};
    if (fz__store_write(st, &op) != FZ_OK)
        return copy_err(err, &op);
    if (id)
        *id = ctx.id;
    return FZ_OK;
}

/* ---- update, publish, withdraw -------------------------------------------------------------- */

enum step { STEP_EDIT, STEP_PUBLISH, STEP_WITHDRAW };

struct change {
    enum step step;
    int version;
    const struct fz_case_new *edit; /* STEP_EDIT */
    const char *reason;             /* STEP_WITHDRAW */
    int new_version;
};

static fz_rc check_step(struct fz__wop *op, const struct change *c, const struct fz_case *k)
{
    if (k->version != c->version)
        return fz_err_setloc(&op->err, FZ_ECONFLICT, 0, "version",
                             "case %lld was changed (version %d, not %d)", (long long)k->id,
                             k->version, c->version);
    const char *is = fz_case_status_name(k->status);
    switch (c->step) {
    case STEP_EDIT:
        if (k->status == FZ_CASE_PUBLISHED)
            return fz_err_set(&op->err, FZ_ECONFLICT,
                              "case %lld is published: withdraw it before editing",
                              (long long)k->id);
        return FZ_OK;
    case STEP_PUBLISH:
        if (k->status == FZ_CASE_PUBLISHED)
            return fz_err_set(&op->err, FZ_ECONFLICT, "case %lld is already published",
                              (long long)k->id);
        return FZ_OK;
    default:
        if (k->status != FZ_CASE_PUBLISHED)
            return fz_err_set(&op->err, FZ_ECONFLICT, "case %lld is %s, cannot be withdrawn",
                              (long long)k->id, is);
        return FZ_OK;
    }
}

static fz_rc change_case(struct fz_store *st, void *conn, struct fz__wop *op, struct change *c,
                         const struct fz_case *k)
{
    fz_rc rc = check_step(op, c, k);
    if (rc != FZ_OK)
        return rc;
    char who[32];
    fz__store_actor_text(op->actor, who, sizeof who);
    struct fz__case_set set = {.fraud_type = -1, .actor = who, .now_ms = op->now_ms};
    set.status = c->step == STEP_EDIT      ? k->status
                 : c->step == STEP_PUBLISH ? FZ_CASE_PUBLISHED
                                           : FZ_CASE_WITHDRAWN;
    if (c->step == STEP_EDIT) {
        set.title = c->edit->title;
        set.fraud_type = c->edit->fraud_type;
        set.text = c->edit->text;
    }
    set.reason = c->reason;
    rc = cs(st)->set(conn, k->id, &set);
    if (rc != FZ_OK)
        return fz__store_fail(&op->err, rc, "changing a case");
    c->new_version = k->version + 1;
    int type = set.fraud_type >= 0 ? set.fraud_type : k->fraud_type;
    const char *name = fz_fraud_type_name(type);
    if (c->step == STEP_EDIT)
        snprintf(op->detail, sizeof op->detail, "%s fraud_type=%s title=%d text_bytes=%zu",
                 fz_case_status_name(k->status), name ? name : "?", set.title != NULL,
                 set.text ? strlen(set.text) : (size_t)0);
    else
        snprintf(op->detail, sizeof op->detail, "%s -> %s fraud_type=%s",
                 fz_case_status_name(k->status), fz_case_status_name(set.status),
                 name ? name : "?");
    return FZ_OK;
}

static fz_rc do_change(struct fz_store *st, void *conn, struct fz__wop *op)
{
    struct change *c = op->ctx;
    if (!may_write(op->actor))
        return fz_err_set(&op->err, FZ_EFORBIDDEN, "only officers and analysts change cases");
    struct fz_arena ar;
    fz_arena_init(&ar, 1024);
    struct fz_case k;
    fz_rc rc = cs(st)->get(conn, op->object_id, fz__store_scope(op->actor), &ar, &k);
    if (rc == FZ_ENOTFOUND)
        fz_err_set(&op->err, rc, "case %lld not found", (long long)op->object_id);
    else if (rc != FZ_OK)
        fz__store_fail(&op->err, rc, "changing a case");
    else
        rc = change_case(st, conn, op, c, &k);
    fz_arena_release(&ar);
    return rc;
}

static fz_rc change(struct fz_store *st, const struct fz_actor *a, int64_t id, struct change *c,
                    const char *action, int *new_version, struct fz_err *err)
{
    struct fz__wop op = {.fn = do_change,
                         .ctx = c,
                         .actor = a,
                         .action = action,
                         .object_kind = "case",
                         .object_id = id};
    if (fz__store_write(st, &op) != FZ_OK)
        return copy_err(err, &op);
    if (new_version)
        *new_version = c->new_version;
    return FZ_OK;
}

fz_rc fz_store_case_update(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                           const struct fz_case_new *edit, int *new_version, struct fz_err *err)
{
    fz_rc rc = check_new(edit, true, err);
    if (rc != FZ_OK)
        return rc;
    struct change c = {.step = STEP_EDIT, .version = version, .edit = edit};
    return change(st, a, id, &c, "case.update", new_version, err);
}

fz_rc fz_store_case_publish(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                            int *new_version, struct fz_err *err)
{
    struct change c = {.step = STEP_PUBLISH, .version = version};
    return change(st, a, id, &c, "case.publish", new_version, err);
}

fz_rc fz_store_case_withdraw(struct fz_store *st, const struct fz_actor *a, int64_t id, int version,
                             const char *reason, int *new_version, struct fz_err *err)
{
    fz_rc rc = fz__store_check_text("reason", reason, FZ_STORE_REASON_MAX, false, err);
    if (rc != FZ_OK)
        return rc;
    struct change c = {.step = STEP_WITHDRAW, .version = version, .reason = reason};
    return change(st, a, id, &c, "case.withdraw", new_version, err);
}

/* ---- reading -------------------------------------------------------------------------------- */

fz_rc fz_store_case_get(struct fz_store *st, const struct fz_actor *a, int64_t id,
                        struct fz_arena *ar, struct fz_case *out, struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "this role may not see cases");
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = cs(st)->get(r->conn, id, fz__store_scope(a), ar, out);
    fz__store_reader_put(st, r);
    if (rc == FZ_ENOTFOUND)
        return fz_err_set(err, rc, "case %lld not found", (long long)id);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "reading a case");
}

/* Cuts a page fetched with limit + 1 rows down to limit and sets the cursor. */
static void page(struct fz_case *rows, size_t *n, int limit, int64_t *next_after)
{
    if (next_after)
        *next_after = *n > (size_t)limit ? rows[limit - 1].id : 0;
    if (*n > (size_t)limit)
        *n = (size_t)limit;
}

fz_rc fz_store_case_list(struct fz_store *st, const struct fz_actor *a,
                         const struct fz_case_filter *f, struct fz_arena *ar, struct fz_case **out,
                         size_t *n, int64_t *next_after, struct fz_err *err)
{
    if (!may_read(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "this role may not see cases");
    struct fz_case_filter q = *f;
    if (q.limit == 0)
        q.limit = 50;
    if (q.limit < 1 || q.limit > FZ_STORE_LIMIT_MAX)
        return fz_err_setloc(err, FZ_EINVAL, 0, "limit", "'limit' must be 1 to %d",
                             FZ_STORE_LIMIT_MAX);
    if (q.status < -1 || q.status >= FZ_CASE__STATUSES || q.org_id < 0 || q.after_id < 0)
        return fz_err_set(err, FZ_EINVAL, "a filter is out of range");
    int limit = q.limit;
    q.limit = limit + 1;
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = cs(st)->list(r->conn, &q, fz__store_scope(a), ar, out, n);
    fz__store_reader_put(st, r);
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "listing cases");
    page(*out, n, limit, next_after);
    return FZ_OK;
}

fz_rc fz_store_case_list_public(struct fz_store *st, int limit, int64_t after_id,
                                struct fz_arena *ar, struct fz_case **out, size_t *n,
                                int64_t *next_after, struct fz_err *err)
{
    if (limit == 0)
        limit = 20;
    if (limit < 1 || limit > FZ_CASE_PUBLIC_LIMIT_MAX)
        return fz_err_setloc(err, FZ_EINVAL, 0, "limit", "'limit' must be 1 to %d",
                             FZ_CASE_PUBLIC_LIMIT_MAX);
    if (after_id < 0)
        return fz_err_setloc(err, FZ_EINVAL, 0, "after", "'after' must not be negative");
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = cs(st)->list_public(r->conn, limit + 1, after_id, ar, out, n);
    fz__store_reader_put(st, r);
    if (rc != FZ_OK)
        return fz__store_fail(err, rc, "listing public cases");
    /* Only what the portal shows leaves the store. */
    for (size_t i = 0; i < *n; i++) {
        struct fz_case *k = &(*out)[i];
        *k = (struct fz_case){.id = k->id,
                              .title = k->title,
                              .fraud_type = k->fraud_type,
                              .text = k->text,
                              .status = k->status,
                              .published_ms = k->published_ms};
    }
    page(*out, n, limit, next_after);
    return FZ_OK;
}
