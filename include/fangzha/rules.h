/*
 * fangzha rules: the rule language and its compiled sets (signal layer, above text and extract).
 *
 * Analysts write rules in plain text files (the .rules files under rules/, docs/rules.md): each
 * rule has an id, a fraud type, a weight, a description in Chinese and English, and a pattern over
 * the normalized text, conditions on the extracted entities, or both. A builder parses files into
 * rules; building compiles every pattern into one Hyperscan database and yields an immutable,
 * refcounted set. A reload builds a new set and publishes it through a handle with one atomic
 * swap; matching uses a per-thread scratch and allocates nothing per message.
 */
#ifndef FANGZHA_RULES_H
#define FANGZHA_RULES_H

#include <stdatomic.h>

#include "fangzha/core.h"
#include "fangzha/extract.h"
#include "fangzha/text.h"

/* Limits of the language; going over one is a parse error (FZ_ETOOBIG for the file size). */
#define FZ_RULES_MAX_FILE ((size_t)4 << 20) /* bytes in one rule file */
#define FZ_RULES_MAX_LINE 4096              /* bytes in one line of a rule file */
#define FZ_RULES_MAX_RULES 100000           /* rules in one set */
#define FZ_RULES_MAX_CONDS 4                /* entity: lines in one rule */
#define FZ_RULES_MAX_ID 64                  /* bytes in a rule id */

/* The fraud types a rule may name (shared/data/canonical/README.md), plus "spam". Returns the
 * canonical static string for name[0..len), or NULL for an unknown type. */
const char *fz_rules_type_lookup(const char *name, size_t len);

/*
 * One rule as the analyst wrote it. Strings are NUL-terminated and owned by the set the rule
 * belongs to; they live as long as the set. file is the base name of the file, line the line
 * of its `rule:` field.
 */
struct fz_rule {
    const char *id;      /* "authority.safe_account": letters, digits, '.', '_', '-' */
    const char *type;    /* "impersonate_authority", ... or "spam"; from fz_rules_type_lookup */
    int weight;          /* 1..100: points the rule adds to a message's risk */
    const char *zh;      /* description in Chinese */
    const char *en;      /* description in English */
    const char *pattern; /* the pattern as compiled (a literal is normalized), or NULL */
    bool is_regex;       /* pattern is a Hyperscan regex, not a literal */
    unsigned nconds;     /* entity conditions, all of which must hold */
    size_t near;         /* 0, or max bytes between the match and the entity in the original */
    const char *file;
    size_t line;
};

/* ---- building a set --------------------------------------------------------------------- */

struct fz_rules;
struct fz_rules_builder;

/* A new, empty builder; free with fz_rules_builder_free. FZ_ENOMEM. */
fz_rc fz_rules_builder_new(struct fz_rules_builder **out);
/* Frees the builder and every rule it holds. NULL is fine. */
void fz_rules_builder_free(struct fz_rules_builder *b);

/*
 * Parses one rule file held in text[0..len) and adds its rules to b. name is the file name
 * used in messages and in fz_rule.file. On a parse error nothing of this file is added and err
 * holds the line, the field ("rule", "type", "weight", "zh", "en", "pattern", "regex",
 * "entity", "near", or "" for a line that is not a field) and the reason, its message starting
 * with the file name. Returns FZ_EPARSE, FZ_ETOOBIG (file over FZ_RULES_MAX_FILE), FZ_ENOMEM.
 */
fz_rc fz_rules_builder_add(struct fz_rules_builder *b, const char *name, const char *text,
                           size_t len, struct fz_err *err);
/* Reads the file at path and adds it as above; FZ_EIO when it cannot be read. */
fz_rc fz_rules_builder_add_file(struct fz_rules_builder *b, const char *path, struct fz_err *err);
/* Adds every `*.rules` file of dir, in name order. FZ_EIO when dir cannot be read. */
fz_rc fz_rules_builder_add_dir(struct fz_rules_builder *b, const char *dir, struct fz_err *err);

/*
 * Compiles the rules added so far into a new set with one reference (*out). The builder is
 * emptied and may be reused or freed. A pattern Hyperscan refuses is FZ_EPARSE with the line
 * and field of that pattern and the rule id in err. On error *out is untouched and the builder
 * keeps its rules. FZ_EINVAL when Hyperscan cannot build the database as a whole (no single
 * pattern to blame). FZ_ENOMEM.
 */
fz_rc fz_rules_build(struct fz_rules_builder *b, struct fz_rules **out, struct fz_err *err);

/*
 * Keeps compiled databases in dir (created when missing), keyed by a hash of Hyperscan's
 * version and platform and of every expression: a build whose key is there deserializes
 * instead of compiling (milliseconds instead of seconds), any other build writes its databases
 * there. A missing, stale or damaged file is only a miss; a cache that cannot be written is
 * logged at info level and ignored. NULL or "" turns the cache off (the default).
 */
fz_rc fz_rules_builder_set_cache(struct fz_rules_builder *b, const char *dir);

/* Builder + set_cache (cache_dir may be NULL) + add_dir + build in one call. */
fz_rc fz_rules_load_dir(const char *dir, const char *cache_dir, struct fz_rules **out,
                        struct fz_err *err);

/* ---- the set: immutable and refcounted ---------------------------------------------------- */

/* Takes one more reference to r (thread-safe); returns r. */
struct fz_rules *fz_rules_ref(struct fz_rules *r);
/* Drops one reference; the last one frees the set. NULL is fine. Thread-safe. */
void fz_rules_unref(struct fz_rules *r);
/* The number of rules and rule i (i < count), in the order they were added. */
size_t fz_rules_count(const struct fz_rules *r);
const struct fz_rule *fz_rules_get(const struct fz_rules *r, size_t i);
/* The rule with this id, or NULL. */
const struct fz_rule *fz_rules_find(const struct fz_rules *r, const char *id);

/* ---- publishing sets: the reload path ----------------------------------------------------- */

/*
 * Where the current set lives. Readers acquire a reference to whatever set is current, use it
 * for a message or a batch, and unref it; a reload builds a new set and swaps it in. A reader
 * that still holds the old set finishes with it; the last unref frees it. The short critical
 * section (load + ref, or exchange) is guarded by a spin flag so that a set cannot be freed
 * between a reader's load and its ref.
 */
struct fz_rules_handle {
    _Atomic(struct fz_rules *) cur;
    atomic_flag lock;
};

/* Sets up h holding r (which may be NULL); h takes over the caller's reference to r. */
void fz_rules_handle_init(struct fz_rules_handle *h, struct fz_rules *r);
/* Drops the handle's reference to its set. */
void fz_rules_handle_release(struct fz_rules_handle *h);
/* A new reference to the current set (NULL when there is none); release with
 * fz_rules_unref. Thread-safe. */
struct fz_rules *fz_rules_handle_acquire(struct fz_rules_handle *h);
/* Publishes r (h takes over the caller's reference) and drops the handle's reference to the
 * previous set. Thread-safe against readers and other swaps. */
void fz_rules_handle_swap(struct fz_rules_handle *h, struct fz_rules *r);

/* ---- matching ----------------------------------------------------------------------------- */

/*
 * One rule that matched a message. For a rule with a pattern, [start, end) is the match of
 * the pattern that ends first (from its leftmost start) in NORMALIZED byte offsets, end
 * exclusive (map back with fz_text_span), and has_span is true. entity is the entity that met the
 * rule's first condition (its start/end are original offsets), or NULL for a rule without
 * conditions.
 */
struct fz_rule_hit {
    const struct fz_rule *rule;
    bool has_span;
    size_t start, end;
    const struct fz_entity *entity;
};

/* Per-thread matching state: the Hyperscan scratch and room for one hit per rule. */
struct fz_rules_scratch;

/* A scratch sized for r. Free with fz_rules_scratch_free. FZ_ENOMEM. */
fz_rc fz_rules_scratch_new(const struct fz_rules *r, struct fz_rules_scratch **out);
void fz_rules_scratch_free(struct fz_rules_scratch *s);

/*
 * Matches the normalized text t (and, when ents is not NULL, its entities) against r. The
 * hits are stored in s: *hits points at *nhits of them, valid until the next call with s.
 * Each rule hits at most once; pattern rules come first, by position of the match end, then
 * rules with conditions only, in rule order. A scratch made for another set is grown on first
 * use (the only allocation; after that matching allocates nothing).
 * Returns FZ_ENOMEM, FZ_ETOOBIG (a text over 4 GiB), FZ_EINVAL (NULL r, s or t, or a
 * scratch in use by another thread); on error *nhits is 0.
 * Thread-safe with a shared set and a per-thread scratch.
 */
fz_rc fz_rules_match(const struct fz_rules *r, struct fz_rules_scratch *s, const struct fz_text *t,
                     const struct fz_entities *ents, const struct fz_rule_hit **hits,
                     size_t *nhits);

#endif
