/*
 * rules/match.c: matching one normalized message against a compiled set.
 *
 * One hs_scan over the normalized text reports pattern matches; rules that also have entity
 * conditions are checked at the match, so a `near:` rule can be met by a later match of its
 * pattern. Then the starts of matches that the scan did not give are looked up in the rules'
 * span databases (docs/internals/rules.md), and rules with conditions only are checked.
 * A per-rule generation number tells "hit already" apart without clearing anything per call.
 */
#include "rules_int.h"

#include <string.h>

struct fz_rules_scratch {
    struct fz_rules *set; /* the set the scratch is sized for; holds a reference */
    hs_scratch_t *hs;
    uint32_t *seen; /* seen[i] == gen: rule i has hit in this call */
    uint32_t *slot; /* when seen: the index of rule i's hit in hits */
    uint32_t gen;
    struct fz_rule_hit *hits; /* room for one hit per rule */
    size_t nhits;
    /* The call in progress, for the match callback. */
    const struct fz_text *text;
    const struct fz_entities *ents;
};

/* Sizes s for r. Leaves s as it was on failure. */
static fz_rc prepare(struct fz_rules_scratch *s, const struct fz_rules *r)
{
    if (s->set == r)
        return FZ_OK;
    size_t n = r->n > 0 ? r->n : 1;
    uint32_t *seen = fz_calloc(n, sizeof *seen);
    uint32_t *slot = fz_calloc(n, sizeof *slot);
    struct fz_rule_hit *hits = fz_calloc(n, sizeof *hits);
    bool ok = seen != NULL && slot != NULL && hits != NULL;
    if (ok && r->db != NULL)
        ok = hs_alloc_scratch(r->db, &s->hs) == HS_SUCCESS;
    if (ok && r->span_db != NULL)
        ok = hs_alloc_scratch(r->span_db, &s->hs) == HS_SUCCESS;
    if (!ok) {
        fz_free(seen);
        fz_free(slot);
        fz_free(hits);
        return FZ_ENOMEM;
    }
    fz_free(s->seen);
    fz_free(s->slot);
    fz_free(s->hits);
    s->seen = seen;
    s->slot = slot;
    s->hits = hits;
    s->gen = 0;
    fz_rules_unref(s->set);
    /* The reference keeps r alive so a pointer comparison above is never fooled by a new set
     * at the address of a freed one. The set is immutable apart from its count. */
    s->set = fz_rules_ref((struct fz_rules *)(uintptr_t)r);
    return FZ_OK;
}

fz_rc fz_rules_scratch_new(const struct fz_rules *r, struct fz_rules_scratch **out)
{
    if (r == NULL || out == NULL)
        return FZ_EINVAL;
    struct fz_rules_scratch *s = fz_calloc(1, sizeof *s);
    if (s == NULL)
        return FZ_ENOMEM;
    fz_rc rc = prepare(s, r);
    if (rc != FZ_OK) {
        fz_free(s);
        return rc;
    }
    *out = s;
    return FZ_OK;
}

void fz_rules_scratch_free(struct fz_rules_scratch *s)
{
    if (s == NULL)
        return;
    hs_free_scratch(s->hs);
    fz_free(s->seen);
    fz_free(s->slot);
    fz_free(s->hits);
    fz_rules_unref(s->set);
    fz_free(s);
}

/* ---- conditions ---- */

static bool amount_ok(const struct fz__rules_cond *c, int64_t v)
{
    switch (c->op) {
    case FZ__RULES_GE: return v >= c->amount_fen;
    case FZ__RULES_GT: return v > c->amount_fen;
    case FZ__RULES_LE: return v <= c->amount_fen;
    case FZ__RULES_LT: return v < c->amount_fen;
    case FZ__RULES_EQ: return v == c->amount_fen;
    }
    return false;
}

static bool entity_ok(const struct fz__rules_cond *c, const struct fz_entity *e)
{
    switch (c->test) {
    case FZ__RULES_PRESENT: return true;
    case FZ__RULES_PHONE_CLASS: return (uint32_t)e->phone.cls == c->value;
    case FZ__RULES_PHONE_FLAG: return (e->phone.flags & c->value) != 0;
    case FZ__RULES_URL_FLAG: return (e->url.flags & c->value) != 0;
    case FZ__RULES_AMOUNT: return amount_ok(c, e->amount_fen);
    }
    return false;
}

/* The first entity meeting c, within near bytes of [ostart, oend) when near > 0. */
static const struct fz_entity *find_entity(const struct fz__rules_cond *c,
                                           const struct fz_entities *ents, size_t near,
                                           size_t ostart, size_t oend)
{
    if (ents == NULL)
        return NULL;
    for (size_t i = 0; i < ents->count[c->kind]; i++) {
        const struct fz_entity *e = &ents->items[c->kind][i];
        if (!entity_ok(c, e))
            continue;
        if (near > 0) {
            size_t gap = e->start >= oend   ? e->start - oend
                         : ostart >= e->end ? ostart - e->end
                                            : 0;
            if (gap > near)
                continue;
        }
        return e;
    }
    return NULL;
}

/* True when every condition of rule holds; *first gets the entity of the first one. */
static bool conds_hold(const struct fz__rule *rule, const struct fz_entities *ents, size_t ostart,
                       size_t oend, const struct fz_entity **first)
{
    for (unsigned i = 0; i < rule->pub.nconds; i++) {
        const struct fz_entity *e = find_entity(&rule->cond[i], ents, rule->pub.near, ostart, oend);
        if (e == NULL)
            return false;
        if (i == 0)
            *first = e;
    }
    return true;
}

/* ---- matching ---- */

static void add_hit(struct fz_rules_scratch *s, size_t idx, bool has_span, size_t start, size_t end,
                    const struct fz_entity *e)
{
    s->seen[idx] = s->gen;
    s->slot[idx] = (uint32_t)s->nhits;
    struct fz_rule_hit *h = &s->hits[s->nhits++];
    h->rule = &s->set->rules[idx].pub;
    h->has_span = has_span;
    h->start = start;
    h->end = end;
    h->entity = e;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
    (void)flags;
    struct fz_rules_scratch *s = ctx;
    if (FZ_NEVER(id >= s->set->n) || s->seen[id] == s->gen)
        return 0;
    const struct fz__rule *rule = &s->set->rules[id];
    /* from is only meaningful with SOM; otherwise the start is known from the width or is
     * looked up after the scan (SIZE_MAX until then) */
    size_t start = rule->fixed_width > 0 ? (size_t)to - rule->fixed_width
                   : rule->has_som       ? (size_t)from
                                         : SIZE_MAX;
    const struct fz_entity *e = NULL;
    if (rule->pub.nconds > 0) {
        size_t ostart = 0, oend = 0;
        if (rule->pub.near > 0 && to > start)
            fz_text_span(s->text, start, (size_t)to, &ostart, &oend);
        if (!conds_hold(rule, s->ents, ostart, oend, &e))
            return 0;
    }
    add_hit(s, id, true, start, (size_t)to, e);
    return 0;
}

/* The span database reports every match of its patterns in text[0..end); the one of a hit's
 * rule ending at the hit's end carries the leftmost start of the match the shared database
 * reported there. */
static int on_span(unsigned int id, unsigned long long from, unsigned long long to,
                   unsigned int flags, void *ctx)
{
    (void)flags;
    struct fz_rules_scratch *s = ctx;
    if (FZ_NEVER(id >= s->set->n) || s->seen[id] != s->gen)
        return 0;
    struct fz_rule_hit *h = &s->hits[s->slot[id]];
    if (h->start == SIZE_MAX && (size_t)to == h->end)
        h->start = (size_t)from;
    return 0;
}

/* Finds the starts the scan did not give with one scan of the span database. */
static fz_rc resolve_starts(struct fz_rules_scratch *s)
{
    size_t end = 0;
    for (size_t i = 0; i < s->nhits; i++)
        if (s->hits[i].has_span && s->hits[i].start == SIZE_MAX && s->hits[i].end > end)
            end = s->hits[i].end;
    if (end == 0)
        return FZ_OK;
    if (FZ_NEVER(s->set->span_db == NULL) ||
        hs_scan(s->set->span_db, s->text->ptr, (unsigned)end, 0, s->hs, on_span, s) != HS_SUCCESS)
        return FZ_EINVAL;
    for (size_t i = 0; i < s->nhits; i++)
        if (s->hits[i].has_span && FZ_NEVER(s->hits[i].start >= s->hits[i].end))
            return FZ_EINVAL;
    return FZ_OK;
}

fz_rc fz_rules_match(const struct fz_rules *r, struct fz_rules_scratch *s, const struct fz_text *t,
                     const struct fz_entities *ents, const struct fz_rule_hit **hits, size_t *nhits)
{
    if (nhits != NULL)
        *nhits = 0;
    if (r == NULL || s == NULL || t == NULL || hits == NULL || nhits == NULL)
        return FZ_EINVAL;
    fz_rc rc = prepare(s, r);
    if (rc != FZ_OK)
        return rc;
    if (t->len > UINT32_MAX)
        return FZ_ETOOBIG;
    if (++s->gen == 0) { /* wrapped: forget every old mark */
        memset(s->seen, 0, (r->n > 0 ? r->n : 1) * sizeof *s->seen);
        s->gen = 1;
    }
    s->nhits = 0;
    s->text = t;
    s->ents = ents;
    if (r->db != NULL && t->len > 0) {
        hs_error_t hr = hs_scan(r->db, t->ptr, (unsigned)t->len, 0, s->hs, on_match, s);
        if (FZ_NEVER(hr != HS_SUCCESS)) /* a scratch shared between threads */
            return FZ_EINVAL;
    }
    rc = resolve_starts(s);
    if (rc != FZ_OK)
        return rc;
    for (size_t i = 0; i < r->ncond_only; i++) {
        const struct fz__rule *rule = &r->rules[r->cond_only[i]];
        const struct fz_entity *e = NULL;
        if (conds_hold(rule, ents, 0, 0, &e))
            add_hit(s, r->cond_only[i], false, 0, 0, e);
    }
    *hits = s->hits;
    *nhits = s->nhits;
    return FZ_OK;
}
