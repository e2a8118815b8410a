/*
 * calls/batch: applying records in batches (docs/internals/calls.md, "Costs and limits") — the
 * same results as one record at a time, in stages that fetch the cache lines the next stage
 * needs, so that many misses are in flight at once; and the final evaluation of every caller,
 * fetched the same way.
 */
#include "compat.h"

#include "calls_int.h"

#include <string.h>

/* ---- batches ------------------------------------------------------------------------------ */

void fz_cdr_batch_init(struct fz_cdr_batch *b)
{
    b->n = 0;
    b->used = 0;
}

static void copy_in(struct fz_cdr_batch *b, struct fz_str *s)
{
    if (!s->len) { /* an absent field may have no pointer at all */
        *s = (struct fz_str){"", 0};
        return;
    }
    memcpy(b->text + b->used, s->ptr, s->len);
    s->ptr = b->text + b->used;
    b->used += s->len;
}

bool fz_cdr_batch_add(struct fz_cdr_batch *b, const struct fz_cdr *cdr, uint64_t row)
{
    size_t need = cdr->caller.len + cdr->callee.len + cdr->imei.len + cdr->imsi.len;
    if (b->n == FZ_CDR_BATCH || need > sizeof b->text - b->used)
        return false;
    struct fz_cdr *d = &b->cdr[b->n];
    *d = *cdr;
    copy_in(b, &d->caller);
    copy_in(b, &d->callee);
    copy_in(b, &d->imei);
    copy_in(b, &d->imsi);
    b->row[b->n++] = row;
    return true;
}

/* Before a batch is applied, every line its records will touch is fetched: the addresses are
 * worked out first, then fetched in a loop that does nothing else, so the processor has many
 * misses in flight at once (a batch's lines fit in the L2 cache); applying a record then finds
 * them there (docs/bench.md). */
#define BATCH_LINES (FZ_CDR_BATCH * 16)
struct lines {
    const void *at[BATCH_LINES];
    size_t n;
};

/* A line to fetch (a hint: dropped when the list is full). */
static inline void want(struct lines *l, const void *p)
{
    if (l->n < BATCH_LINES)
        l->at[l->n++] = p;
}

/* Prefetches rather than loads: a prefetch leaves the pipeline at once, where a load that
 * misses holds its place until the line arrives (paired runs: −18 % CPU against the loads
 * interleaved with the address work it replaced). */
static void fetch(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        __builtin_prefetch(l->at[i]);
    l->n = 0;
}

static void want_slot(struct lines *l, const struct fz__u64map *m, uint64_t key)
{
    if (m->slots)
        want(l, &m->slots[fz__u64map_home(m, key)]);
}

static bool is_id(uint32_t id) { return id && id != NOT_A_NUMBER; }

/* The lines applying a call at time t will touch in number id's record: line 0, and for its
 * caller the place line, the 1 h and 7 d rings and the 24 h bucket; for its callee the line of
 * calls received. */
static void want_num(struct lines *l, const struct fz_calls *c, uint32_t id, int64_t t,
                     bool is_caller)
{
    const struct fz__num *n = NUM(c, id);
    want(l, n);
    if (!is_caller) {
        want(l, &n->in);
        return;
    }
    want(l, n->cells);
    want(l, &n->h);
    want(l, &n->w);
    want(l, &n->d[fz__calls_win_index(WIN_24H, t) % WIN_24H_BUCKETS]);
}

static void want_record(struct lines *l, const struct fz_calls *c, const struct fz_cdr *cdr,
                        uint32_t caller, uint32_t callee)
{
    if (!is_id(caller))
        return;
    want_num(l, c, caller, cdr->start, true);
    if (!is_id(callee))
        return;
    want_num(l, c, callee, cdr->start, false);
    want_slot(l, &c->pairs, (uint64_t)caller << 32 | callee); /* and its reverse's (by_pair) */
}

/* The contacts of a record, through pair slots already fetched. */
static void want_contacts(struct lines *l, const struct fz_calls *c, uint32_t caller,
                          uint32_t callee)
{
    if (!is_id(caller) || !is_id(callee) || !c->pairs.slots)
        return;
    uint64_t keys[2] = {(uint64_t)caller << 32 | callee, (uint64_t)callee << 32 | caller};
    for (int k = 0; k < 2; k++) {
        bool found;
        size_t s = fz__u64map_slot(&c->pairs, keys[k], &found);
        if (found)
            want(l, CONTACT(c, (uint32_t)c->pairs.slots[s].val));
    }
}

/* The lines evaluating number id reads beyond those a call touches: the rest of its 24 h ring
 * and the records of its IMEIs (through its place line, in the cache by now). */
static void want_evaluation(struct lines *l, const struct fz_calls *c, uint32_t id)
{
    const struct fz__num *n = NUM(c, id);
    for (int i = 0; i < WIN_24H_BUCKETS; i += 2)
        want(l, &n->d[i]);
    for (int i = 0; i < n->nimeis && i < NUM_IMEIS; i++)
        want(l, IMEI(c, n->imeis[i]));
}

/* True when the call will make its caller due an evaluation (every 8th voice call). */
static bool makes_due(const struct fz_calls *c, const struct fz_cdr *cdr, uint32_t caller)
{
    return is_id(caller) && !cdr->is_sms && (NUM(c, caller)->out_total & 7) == 7;
}

/* The IMEI a record's caller used, when it is not the one of the caller's previous call (whose
 * line 0 is in the cache by now); 0 otherwise. */
static uint64_t changed_imei(const struct fz_calls *c, const struct fz_cdr *cdr, uint32_t caller)
{
    if (!is_id(caller) || !cdr->imei.len || !c->imei_ids.slots)
        return 0;
    uint64_t key = fz__calls_raw_key(cdr->imei.ptr, cdr->imei.len);
    return NUM(c, caller)->last_imei == key ? 0 : key;
}

/* The record of a changed IMEI, through its map slot already fetched. */
static void want_imei(struct lines *l, const struct fz_calls *c, uint64_t key)
{
    uint32_t iid = key ? fz__u64map_get(&c->imei_ids, key) : 0;
    if (iid)
        want(l, IMEI(c, iid));
}

/* The raw numbers of a batch the map did not know, normalized ahead of interning them so
 * their canonical-text slots can be fetched together. */
struct fresh {
    struct fz_phone phone[2 * FZ_CDR_BATCH];
    bool is_number[2 * FZ_CDR_BATCH];
};

/* The number of a batched record's raw number k (already normalized when the map did not
 * know it): as number_of, which an earlier record of the batch may have made known. */
static uint32_t fresh_number(struct fz_calls *c, const struct fresh *f, size_t k, uint64_t key)
{
    uint32_t id = fz__u64map_get(&c->by_raw, key);
    return id ? id : fz__calls_learn(c, key, f->is_number[k] ? &f->phone[k] : NULL);
}

/* The numbers of batched record i, created where new exactly as fz_calls_apply would (none
 * for a bad start time, no callee for a caller that is not a number); id holds what the map
 * already knew. false when memory ran out. */
static bool resolve_pair(struct fz_calls *c, const struct fz_cdr *cdr, const struct fresh *f,
                         size_t i, uint32_t id[2], const uint64_t key[2])
{
    if (!fz__calls_start_in_range(cdr))
        return true; /* rejected when applied */
    if (!id[0] && !(id[0] = fresh_number(c, f, 2 * i, key[0])))
        return false;
    if (id[0] == NOT_A_NUMBER)
        return true; /* rejected when applied */
    if (!id[1] && !(id[1] = fresh_number(c, f, 2 * i + 1, key[1])))
        return false;
    return (id[0] = fz__calls_caller_of(c, id[0], cdr->is_international)) != 0;
}

/* Reports a batched record that fz_calls_apply would refuse: its start time, or its caller. */
static void reject_record(const struct fz_cdr *cdr, uint64_t row, fz_calls_reject_cb *reject,
                          void *ud)
{
    struct fz_err err = {0};
    fz_rc rc = fz__calls_refusal(cdr, &err);
    reject(ud, row, rc, &err);
}

fz_rc fz_calls_apply_batch(struct fz_calls *c, struct fz_cdr_batch *b, fz_calls_reject_cb *reject,
                           void *ud)
{
    uint64_t key[2 * FZ_CDR_BATCH];
    uint32_t id[2 * FZ_CDR_BATCH];
    struct lines l = {.n = 0};
    size_t n = b->n;
    for (size_t i = 0; i < n; i++) { /* the numbers' raw keys and their map slots */
        key[2 * i] = fz__calls_raw_key(b->cdr[i].caller.ptr, b->cdr[i].caller.len);
        key[2 * i + 1] = fz__calls_raw_key(b->cdr[i].callee.ptr, b->cdr[i].callee.len);
        want_slot(&l, &c->by_raw, key[2 * i]);
        want_slot(&l, &c->by_raw, key[2 * i + 1]);
    }
    fetch(&l);
    /* The numbers seen before; then the new ones, in order (a new number's normalizer would
     * stall the loop of known ones). */
    for (size_t i = 0; i < 2 * n; i++)
        id[i] = fz__u64map_get(&c->by_raw, key[i]);
    struct fresh f;
    for (size_t k = 0; k < 2 * n; k++) {
        const struct fz_cdr *cdr = &b->cdr[k / 2];
        struct fz_str raw = k % 2 ? cdr->callee : cdr->caller;
        if (!id[k] && fz__calls_start_in_range(cdr) &&
            (f.is_number[k] = fz__calls_normalize(raw.ptr, raw.len, &f.phone[k])))
            want_slot(&l, &c->by_text, fz__calls_text_key(&f.phone[k]));
    }
    fetch(&l);
    for (size_t i = 0; i < n; i++)
        if (!resolve_pair(c, &b->cdr[i], &f, i, &id[2 * i], &key[2 * i]))
            return FZ_E(FZ_ENOMEM);
    for (size_t i = 0; i < n; i++)
        want_record(&l, c, &b->cdr[i], id[2 * i], id[2 * i + 1]);
    fetch(&l);
    uint64_t imei[FZ_CDR_BATCH];
    for (size_t i = 0; i < n; i++) {
        want_contacts(&l, c, id[2 * i], id[2 * i + 1]);
        if (makes_due(c, &b->cdr[i], id[2 * i]))
            want_evaluation(&l, c, id[2 * i]);
        if ((imei[i] = changed_imei(c, &b->cdr[i], id[2 * i])))
            want_slot(&l, &c->imei_ids, imei[i]);
    }
    fetch(&l);
    for (size_t i = 0; i < n; i++)
        want_imei(&l, c, imei[i]);
    fetch(&l);
    fz_rc rc = FZ_OK;
    for (size_t i = 0; i < n && rc == FZ_OK; i++) {
        const struct fz_cdr *cdr = &b->cdr[i];
        if (fz__calls_start_in_range(cdr) && id[2 * i] != NOT_A_NUMBER)
            rc = fz__calls_apply_ids(c, cdr, id[2 * i], id[2 * i + 1]);
        else if (reject) /* the error is made only here: it is 300 bytes to clear */
            reject_record(cdr, b->row[i], reject, ud);
    }
    fz_cdr_batch_init(b);
    return rc;
}

/* Evaluates every number that placed calls, a few at a time: the lines of the next few are
 * fetched together first. */
fz_rc fz_calls_finish(struct fz_calls *c)
{
    enum { AHEAD = 16 };
    struct lines l = {.n = 0};
    for (uint32_t first = 1; first < c->nums.len; first += AHEAD) {
        uint32_t end = first + AHEAD < c->nums.len ? first + AHEAD : (uint32_t)c->nums.len;
        for (uint32_t id = first; id < end; id++)
            if (NUM(c, id)->out_total)
                want_evaluation(&l, c, id);
        fetch(&l);
        for (uint32_t id = first; id < end; id++)
            if (NUM(c, id)->out_total)
                fz__calls_evaluate(c, id);
    }
    return FZ_OK;
}
