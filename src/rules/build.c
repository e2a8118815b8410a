/*
 * rules/build.c: from parsed rules to an immutable compiled set, and how sets are shared.
 *
 * Every pattern of a set goes into one Hyperscan block-mode database, the expression id being
 * the rule's index. A set is refcounted with C11 atomics; struct fz_rules_handle publishes the
 * current set so that a reload is one pointer exchange (docs/internals/rules.md).
 */
#include "rules_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the builder ---- */

fz_rc fz_rules_builder_new(struct fz_rules_builder **out)
{
    struct fz_rules_builder *b = fz_calloc(1, sizeof *b);
    if (b == NULL)
        return FZ_ENOMEM;
    fz_arena_init(&b->mem, 0);
    fz_map_init(&b->ids);
    fz_text_init(&b->norm);
    *out = b;
    return FZ_OK;
}

void fz_rules_builder_free(struct fz_rules_builder *b)
{
    if (b == NULL)
        return;
    fz_free(b->rules);
    fz_map_release(&b->ids);
    fz_arena_release(&b->mem);
    fz_text_release(&b->norm);
    fz_free(b->cache_dir);
    fz_free(b);
}

fz_rc fz_rules_builder_set_cache(struct fz_rules_builder *b, const char *dir)
{
    if (b == NULL)
        return FZ_EINVAL;
    char *copy = NULL;
    if (dir != NULL && *dir != '\0' && (copy = fz_strndup(dir, strlen(dir))) == NULL)
        return FZ_ENOMEM;
    fz_free(b->cache_dir);
    b->cache_dir = copy;
    return FZ_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

fz_rc fz_rules_builder_add_dir(struct fz_rules_builder *b, const char *dir, struct fz_err *err)
{
    if (b == NULL || dir == NULL)
        return fz_err_set(err, FZ_EINVAL, "no builder or directory");
    DIR *d = opendir(dir);
    if (d == NULL)
        return fz_err_set(err, FZ_EIO, "cannot open rule directory '%s'", dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    fz_rc rc = FZ_OK;
    struct dirent *de;
    while (rc == FZ_OK && (de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 7 || strcmp(de->d_name + len - 6, ".rules") != 0)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **nn = fz_realloc(names, ncap * sizeof *nn);
            if (nn == NULL) {
                rc = FZ_ENOMEM;
                break;
            }
            names = nn;
            cap = ncap;
        }
        size_t plen = strlen(dir) + 1 + len + 1;
        names[n] = fz_malloc(plen);
        if (names[n] == NULL) {
            rc = FZ_ENOMEM;
            break;
        }
        snprintf(names[n], plen, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    if (rc != FZ_OK)
        fz_err_set(err, rc, "out of memory listing '%s'", dir);
    else if (n > 0)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (rc == FZ_OK)
            rc = fz_rules_builder_add_file(b, names[i], err);
        fz_free(names[i]);
    }
    fz_free(names);
    return rc;
}

/* ---- compiling ---- */

/* Writes the Hyperscan expression for a literal: bytes other than ASCII letters and digits
 * are escaped as \xHH (UTF-8 lead and continuation bytes included, which HS_FLAG_UTF8 reads
 * back as the same characters). */
static char *literal_expr(const char *lit)
{
    size_t len = strlen(lit);
    char *out = fz_mallocarray(len + 1, 4);
    if (out == NULL)
        return NULL;
    char *o = out;
    for (const unsigned char *s = (const unsigned char *)lit; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            *s >= 0x80) {
            *o++ = (char)*s;
        } else {
            static const char hex[] = "0123456789abcdef";
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hex[*s >> 4];
            *o++ = hex[*s & 15];
        }
    }
    *o = '\0';
    return out;
}

/* The byte length of every match of expr when it has only one, else 0. Start-of-match
 * tracking makes the database slower (about 40% on the shipped set); a pattern of one width
 * does not need it, as its start is its end minus the width. */
static size_t fixed_width(const char *expr, unsigned flags)
{
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *cerr = NULL;
    if (hs_expression_info(expr, flags, &info, &cerr) != HS_SUCCESS) {
        hs_free_compile_error(cerr); /* hs_compile_multi reports it with the rule */
        return 0;
    }
    size_t w = info->min_width == info->max_width ? info->min_width : 0;
    free(info); /* NOLINT: allocated by Hyperscan with the C library's malloc */
    return w;
}

static fz_rc refuse(const struct fz__rule *r, const char *why, struct fz_err *err)
{
    return fz_err_setloc(err, FZ_EPARSE, r->pattern_line, r->pub.is_regex ? "regex" : "pattern",
                         "%s:%zu: rule '%s': hyperscan refuses the pattern: %s", r->pub.file,
                         r->pattern_line, r->pub.id, why);
}

/* Decides how the start of r's matches is found (see struct fz__rule). flags are the
 * expression's flags in the shared database. */
static void span_plan(struct fz__rule *r, const char *expr, unsigned *flags)
{
    r->fixed_width = r->pub.is_regex ? r->regex_width : fixed_width(expr, *flags);
    r->has_som = false;
    r->in_span_db = false;
    if (r->fixed_width > 0)
        return;
    if (r->pub.near > 0) {
        *flags |= HS_FLAG_SOM_LEFTMOST;
        r->has_som = true;
        return;
    }
    r->in_span_db = true;
}

static fz_rc exprs_alloc(struct fz__rules_exprs *e, size_t cap)
{
    *e = (struct fz__rules_exprs){0};
    if (cap == 0)
        return FZ_OK;
    e->expr = fz_calloc(cap, sizeof *e->expr);
    e->flags = fz_calloc(cap, sizeof *e->flags);
    e->ids = fz_calloc(cap, sizeof *e->ids);
    return e->expr != NULL && e->flags != NULL && e->ids != NULL ? FZ_OK : FZ_ENOMEM;
}

static void exprs_release(struct fz__rules_exprs *e)
{
    if (e->expr != NULL)
        for (size_t i = 0; i < e->n; i++)
            fz_free(e->expr[i]);
    fz_free(e->expr);
    fz_free(e->flags);
    fz_free(e->ids);
}

/* Appends expr (taken over) for rule id; FZ_ENOMEM when expr is NULL. */
static fz_rc exprs_add(struct fz__rules_exprs *e, char *expr, unsigned flags, size_t id)
{
    if (expr == NULL)
        return FZ_ENOMEM;
    e->expr[e->n] = expr;
    e->flags[e->n] = flags;
    e->ids[e->n] = (unsigned)id;
    e->n++;
    return FZ_OK;
}

/* Splits the builder's patterns into the shared database and the span database. */
static fz_rc plan(struct fz_rules_builder *b, struct fz__rules_exprs sets[2])
{
    size_t npat = 0;
    for (size_t i = 0; i < b->n; i++)
        npat += b->rules[i].pub.pattern != NULL;
    fz_rc rc = exprs_alloc(&sets[0], npat);
    if (rc == FZ_OK)
        rc = exprs_alloc(&sets[1], npat);
    for (size_t i = 0; i < b->n && rc == FZ_OK; i++) {
        struct fz__rule *r = &b->rules[i];
        if (r->pub.pattern == NULL)
            continue;
        char *expr = r->pub.is_regex ? fz_strndup(r->pub.pattern, strlen(r->pub.pattern))
                                     : literal_expr(r->pub.pattern);
        if (expr == NULL)
            return FZ_ENOMEM;
        unsigned flags = HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_CASELESS;
        span_plan(r, expr, &flags);
        if (r->in_span_db)
            rc = exprs_add(&sets[1], fz_strndup(expr, strlen(expr)), flags | HS_FLAG_SOM_LEFTMOST,
                           i);
        if (rc == FZ_OK)
            rc = exprs_add(&sets[0], expr, flags, i);
        else
            fz_free(expr);
    }
    return rc;
}

/* Compiles one set of expressions; an empty set gives no database. */
static fz_rc compile_one(struct fz_rules_builder *b, const struct fz__rules_exprs *e,
                         hs_database_t **db, struct fz_err *err)
{
    *db = NULL;
    if (e->n == 0)
        return FZ_OK;
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_multi((const char *const *)e->expr, e->flags, e->ids, (unsigned)e->n,
                         HS_MODE_BLOCK, NULL, db, &cerr) == HS_SUCCESS)
        return FZ_OK;
    fz_rc rc;
    if (cerr != NULL && cerr->expression >= 0 && (size_t)cerr->expression < e->n)
        rc = refuse(&b->rules[e->ids[cerr->expression]], cerr->message, err);
    else
        rc = fz_err_set(err, FZ_EINVAL, "hyperscan cannot compile the rule set: %s",
                        cerr != NULL ? cerr->message : "unknown error");
    hs_free_compile_error(cerr);
    *db = NULL;
    return rc;
}

/* Fills dbs[0] (shared) and dbs[1] (spans), from the cache when it holds them. */
static fz_rc compile(struct fz_rules_builder *b, hs_database_t *dbs[2], struct fz_err *err)
{
    struct fz__rules_exprs sets[2] = {{0}, {0}};
    fz_rc rc = plan(b, sets);
    if (rc != FZ_OK) {
        exprs_release(&sets[0]);
        exprs_release(&sets[1]);
        return fz_err_set(err, rc, "out of memory compiling rules");
    }
    uint64_t key = fz__rules_cache_key(sets, 2);
    if (b->cache_dir == NULL || !fz__rules_cache_load(b->cache_dir, key, dbs, 2)) {
        rc = compile_one(b, &sets[0], &dbs[0], err);
        if (rc == FZ_OK)
            rc = compile_one(b, &sets[1], &dbs[1], err);
        if (rc != FZ_OK) {
            hs_free_database(dbs[0]);
            dbs[0] = NULL;
        } else if (b->cache_dir != NULL) {
            fz__rules_cache_store(b->cache_dir, key, dbs, 2);
        }
    }
    exprs_release(&sets[0]);
    exprs_release(&sets[1]);
    return rc;
}

fz_rc fz_rules_build(struct fz_rules_builder *b, struct fz_rules **out, struct fz_err *err)
{
    if (b == NULL || out == NULL)
        return fz_err_set(err, FZ_EINVAL, "no builder or output");
    struct fz_rules *r = fz_calloc(1, sizeof *r);
    if (r == NULL)
        return fz_err_set(err, FZ_ENOMEM, "out of memory building rules");
    size_t ncond = 0;
    for (size_t i = 0; i < b->n; i++)
        ncond += b->rules[i].pub.pattern == NULL;
    if (ncond > 0) {
        r->cond_only = fz_calloc(ncond, sizeof *r->cond_only);
        if (r->cond_only == NULL) {
            fz_free(r);
            return fz_err_set(err, FZ_ENOMEM, "out of memory building rules");
        }
    }
    hs_database_t *dbs[2] = {NULL, NULL};
    fz_rc rc = compile(b, dbs, err);
    if (rc != FZ_OK) {
        fz_free(r->cond_only);
        fz_free(r);
        return rc;
    }
    for (size_t i = 0; i < b->n; i++)
        if (b->rules[i].pub.pattern == NULL)
            r->cond_only[r->ncond_only++] = i;
    /* Hand the rules, their strings and the id index over; the builder starts again empty. */
    atomic_init(&r->refs, 1);
    r->db = dbs[0];
    r->span_db = dbs[1];
    r->rules = b->rules;
    r->n = b->n;
    r->ids = b->ids;
    r->mem = b->mem;
    b->rules = NULL;
    b->n = b->cap = 0;
    fz_map_init(&b->ids);
    fz_arena_init(&b->mem, 0);
    *out = r;
    return FZ_OK;
}

fz_rc fz_rules_load_dir(const char *dir, const char *cache_dir, struct fz_rules **out,
                        struct fz_err *err)
{
    struct fz_rules_builder *b = NULL;
    fz_rc rc = fz_rules_builder_new(&b);
    if (rc == FZ_OK)
        rc = fz_rules_builder_set_cache(b, cache_dir);
    if (rc != FZ_OK) {
        fz_rules_builder_free(b);
        return fz_err_set(err, rc, "out of memory loading rules");
    }
    rc = fz_rules_builder_add_dir(b, dir, err);
    if (rc == FZ_OK)
        rc = fz_rules_build(b, out, err);
    fz_rules_builder_free(b);
    return rc;
}

/* ---- the set ---- */

struct fz_rules *fz_rules_ref(struct fz_rules *r)
{
    if (r != NULL)
        atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
    return r;
}

void fz_rules_unref(struct fz_rules *r)
{
    if (r == NULL)
        return;
    if (atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) != 1)
        return;
    hs_free_database(r->db);
    hs_free_database(r->span_db);
    fz_map_release(&r->ids);
    fz_arena_release(&r->mem);
    fz_free(r->rules);
    fz_free(r->cond_only);
    fz_free(r);
}

size_t fz_rules_count(const struct fz_rules *r) { return r != NULL ? r->n : 0; }

const struct fz_rule *fz_rules_get(const struct fz_rules *r, size_t i)
{
    return r != NULL && i < r->n ? &r->rules[i].pub : NULL;
}

const struct fz_rule *fz_rules_find(const struct fz_rules *r, const char *id)
{
    if (r == NULL || id == NULL)
        return NULL;
    void *v = fz_map_get(&r->ids, id, strlen(id));
    return v != NULL ? &r->rules[(size_t)(uintptr_t)v - 1].pub : NULL;
}

/* ---- the handle ---- */

static void lock(struct fz_rules_handle *h)
{
    while (atomic_flag_test_and_set_explicit(&h->lock, memory_order_acquire))
        ;
}

static void unlock(struct fz_rules_handle *h)
{
    atomic_flag_clear_explicit(&h->lock, memory_order_release);
}

void fz_rules_handle_init(struct fz_rules_handle *h, struct fz_rules *r)
{
    atomic_init(&h->cur, r);
    atomic_flag_clear(&h->lock);
}

void fz_rules_handle_release(struct fz_rules_handle *h)
{
    if (h == NULL)
        return;
    fz_rules_unref(atomic_exchange(&h->cur, NULL));
}

struct fz_rules *fz_rules_handle_acquire(struct fz_rules_handle *h)
{
    lock(h);
    struct fz_rules *r = fz_rules_ref(atomic_load_explicit(&h->cur, memory_order_acquire));
    unlock(h);
    return r;
}

void fz_rules_handle_swap(struct fz_rules_handle *h, struct fz_rules *r)
{
    lock(h);
    struct fz_rules *old = atomic_exchange_explicit(&h->cur, r, memory_order_acq_rel);
    unlock(h);
    fz_rules_unref(old);
}
