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
     * after the scan in span_db, its own small database with SOM. */
    size_t fixed_width;     /* bytes of every match when there is one width, else 0 */
    bool has_som;           /* compiled with HS_FLAG_SOM_LEFTMOST in the shared database */
    hs_database_t *span_db; /* or NULL */
    struct fz__rules_cond cond[FZ_RULES_MAX_CONDS];
};

struct fz_rules_builder {
    struct fz_arena mem;    /* every string of every rule */
    struct fz__rule *rules; /* rules[0..n) */
    size_t n, cap;
    struct fz_map ids;   /* id -> (void *)(index + 1) */
    struct fz_text norm; /* scratch for normalizing literal patterns */
};

/* Invariant: immutable after fz_rules_build returns it, except refs. */
struct fz_rules {
    atomic_size_t refs;
    struct fz_arena mem; /* strings of the rules, moved from the builder */
    struct fz__rule *rules;
    size_t n;
    size_t *cond_only; /* indexes of rules with conditions and no pattern */
    size_t ncond_only;
    struct fz_map ids;
    hs_database_t *db; /* NULL when no rule has a pattern */
};

#endif
