/*
 * rules module internals shared by parse.c (the language), build.c (the compiled set, refs
 * and handles) and match.c (scratch and matching). Not API: include/fangzha/rules.h is.
 */
#ifndef FZ_RULES_INT_H
#define FZ_RULES_INT_H

#include <stdatomic.h>

#include <hs/hs.h>

#include "fangzha/rules.h"

/* What an `entity:` condition tests. */
enum fz__rules_test {
    FZ__RULES_PRESENT,     /* any entity of the kind */
    FZ__RULES_PHONE_CLASS, /* phone.class=NAME: value is the enum fz_phone_class */
    FZ__RULES_PHONE_FLAG,  /* phone.flag=NAME: value is the flag bit */
    FZ__RULES_URL_FLAG,    /* url.flag=NAME: value is the flag bit */
    FZ__RULES_AMOUNT,      /* amount OP N: op and amount_fen */
};

enum fz__rules_op { FZ__RULES_GE, FZ__RULES_GT, FZ__RULES_LE, FZ__RULES_LT, FZ__RULES_EQ };

struct fz__rules_cond {
    enum fz_entity_kind kind;
    enum fz__rules_test test;
    enum fz__rules_op op;
    uint32_t value;
    int64_t amount_fen;
};

/* A rule with what the matcher needs beyond the public part. pub must stay first: a hit's
 * rule pointer is &item->pub and the matcher never needs to go back. */
struct fz__rule {
    struct fz_rule pub;
    size_t pattern_line; /* line of the pattern:/regex: field, for compile errors */
    /* Where a match starts. The shared database tracks start of match only for patterns of
     * many widths with near: (the check needs the start inside the scan). Otherwise a
     * pattern of one width starts at end - fixed_width, and one of many widths is looked up
     * after the scan in the set's span database (with SOM). */
    size_t regex_width; /* a regex's one width (from the check when read), else 0 */
    size_t fixed_width; /* bytes of every match when there is one width, else 0 */
    bool has_som;       /* compiled with HS_FLAG_SOM_LEFTMOST in the shared database */
    bool in_span_db;    /* start looked up in fz_rules.span_db */
    struct fz__rules_cond cond[FZ_RULES_MAX_CONDS];
};

struct fz_rules_builder {
    struct fz_arena mem;    /* every string of every rule */
    struct fz__rule *rules; /* rules[0..n) */
    size_t n, cap;
    struct fz_map ids;   /* id -> (void *)(index + 1) */
    struct fz_text norm; /* scratch for normalizing literal patterns */
    char *cache_dir;     /* where compiled databases are kept, or NULL */
};

/* The expressions of one Hyperscan database: expr[i] with flags[i] is rule ids[i]. */
struct fz__rules_exprs {
    char **expr;
    unsigned *flags;
    unsigned *ids;
    size_t n;
};

/* cache.c: compiled databases kept on disk, keyed by what was compiled (docs/internals/rules.md).
 */

/* A key over Hyperscan's version and platform and every expression, flag and id of sets. */
uint64_t fz__rules_cache_key(const struct fz__rules_exprs *sets, size_t nsets);
/* Fills dbs[0..n) from dir's file for key; false (dbs all NULL) when it is missing, stale
 * or damaged. */
bool fz__rules_cache_load(const char *dir, uint64_t key, hs_database_t **dbs, size_t n);
/* Writes dbs[0..n) (NULL entries allowed) for key, atomically; failures are logged and
 * otherwise ignored: the cache only saves time. */
void fz__rules_cache_store(const char *dir, uint64_t key, hs_database_t *const *dbs, size_t n);

/* Invariant: immutable after fz_rules_build returns it, except refs. */
struct fz_rules {
    atomic_size_t refs;
    struct fz_arena mem; /* strings of the rules, moved from the builder */
    struct fz__rule *rules;
    size_t n;
    size_t *cond_only; /* indexes of rules with conditions and no pattern */
    size_t ncond_only;
    struct fz_map ids;
    hs_database_t *db;      /* NULL when no rule has a pattern */
    hs_database_t *span_db; /* patterns of many widths without near:, with SOM; or NULL */
};

#endif
