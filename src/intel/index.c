/*
 * intel/index.c: the immutable indicator index the hot path reads, and its handle.
 *
 * One index is one allocation: the header, the entries, an open-addressing slot table and the
 * bytes of every value and id, so building never mallocs per entry and freeing is one call.
 * Readers share an index by reference count (C11 atomics); a writer derives a new index with a
 * few changes (fz_ind_index_with) and publishes it through struct fz_ind_handle with one
 * pointer exchange, as src/rules does for rule sets (docs/internals/intel.md).
 */
#include "compat.h"

#include "intel_int.h"

#include <stdio.h>
#include <string.h>

/* One indicator: the public entry, and what the table compares before the value's bytes. */
struct item {
    struct fz_ind_entry e;
    uint32_t value_len;
    uint32_t tag; /* the high half of the key's hash */
};

/* A slot of the table: 0 = empty, else the index + 1 of an item with this tag. */
struct slot {
    uint32_t tag;
    uint32_t item;
};

/* Invariant: immutable once built, except refs. slots has mask + 1 (a power of two, at least
 * twice n) entries; every item is reachable from its home slot by linear probing. */
struct fz_ind_index {
    atomic_size_t refs;
    uint64_t seq;
    size_t n;
    size_t mask;
    struct item *items;
    struct slot *slots;
    size_t count[FZ_IND__COUNT][FZ_IND__STATUSES];
};

#define ID_TEXT_MAX 21 /* INT64_MAX in decimal, and the NUL */
#define MAX_ITEMS ((size_t)1 << 30)

static uint64_t key_hash(enum fz_ind_kind k, const char *value, size_t len)
{
    return fz_hash_seed(value, len, (uint64_t)k + 1);
}

static uint32_t tag_of(uint64_t h) { return (uint32_t)(h >> 32); }

/* The smallest power of two >= 2n, at least 8. */
static size_t table_size(size_t n)
{
    size_t cap = 8;
    while (cap < 2 * n)
        cap *= 2;
    return cap;
}

static size_t align_up(size_t off, size_t align) { return (off + align - 1) & ~(align - 1); }

/* ---- validating changes ---- */

static bool change_ok(const struct fz_ind_change *c)
{
    const struct fz_ind_entry *e = &c->entry;
    if (e->kind >= FZ_IND__COUNT || e->value == NULL || c->value_len == 0 ||
        c->value_len > FZ__IND_VALUE_MAX)
        return false;
    if (c->remove)
        return true;
    return e->id > 0 && e->status < FZ_IND__STATUSES && e->tlp < FZ_TLP__COUNT && e->score <= 100 &&
           e->fraud_type >= -1 && e->fraud_type < FZ_FRAUD_TYPE_COUNT;
}

/* ---- merging base and changes ---- */

/* A candidate entry while merging: where its fields and value come from. */
struct cand {
    const struct fz_ind_entry *e;
    size_t value_len;
    uint64_t hash;
    bool removed;
};

/* The candidates and a scratch table over them (temporary memory, freed after the build). */
struct merge {
    struct cand *cands;
    size_t n;
    uint32_t *slots; /* 0 = empty, else cand index + 1 */
    size_t mask;
};

static bool same_key(const struct cand *c, uint8_t kind, const char *value, size_t len)
{
    return c->e->kind == kind && c->value_len == len && memcmp(c->e->value, value, len) == 0;
}

/* Adds e (value_len bytes) or, when its key is already there, puts it in that candidate's
 * place; a removal marks the candidate removed. */
static void merge_put(struct merge *m, const struct fz_ind_entry *e, size_t value_len, bool remove)
{
    uint64_t h = key_hash((enum fz_ind_kind)e->kind, e->value, value_len);
    size_t i = (size_t)h & m->mask;
    while (m->slots[i] != 0) {
        struct cand *c = &m->cands[m->slots[i] - 1];
        if (c->hash == h && same_key(c, e->kind, e->value, value_len)) {
            c->e = e;
            c->removed = remove;
            return;
        }
        i = (i + 1) & m->mask;
    }
    if (remove)
        return;
    m->cands[m->n] = (struct cand){e, value_len, h, false};
    m->slots[i] = (uint32_t)++m->n;
}

static fz_rc merge_init(struct merge *m, size_t most)
{
    m->n = 0;
    m->mask = table_size(most) - 1;
    m->cands = fz_mallocarray(most ? most : 1, sizeof *m->cands);
    m->slots = fz_calloc(m->mask + 1, sizeof *m->slots);
    if (m->cands == NULL || m->slots == NULL) {
        fz_free(m->cands);
        fz_free(m->slots);
        return FZ_E(FZ_ENOMEM);
    }
    return FZ_OK;
}

static void merge_release(struct merge *m)
{
    fz_free(m->cands);
    fz_free(m->slots);
}

/* ---- laying out one index ---- */

/* Offsets of the parts inside the index's single allocation. */
struct layout {
    size_t items, slots, text, total;
};

static bool plan_layout(size_t live, size_t cap, size_t text_bytes, struct layout *l)
{
    if (live > MAX_ITEMS)
        return false;
    l->items = align_up(sizeof(struct fz_ind_index), _Alignof(struct item));
    l->slots = align_up(l->items + live * sizeof(struct item), _Alignof(struct slot));
    l->text = l->slots + cap * sizeof(struct slot);
    l->total = l->text + text_bytes;
    return l->total >= l->text; /* text_bytes is bounded by live * (2048 + 22) */
}

/* Copies s[0..n) and a NUL at *w; returns the copy and advances *w. */
static const char *put_text(char **w, const char *s, size_t n)
{
    char *p = *w;
    memcpy(p, s, n);
    p[n] = '\0';
    *w += n + 1;
    return p;
}

static void insert_slot(struct fz_ind_index *x, uint64_t h, uint32_t item)
{
    size_t i = (size_t)h & x->mask;
    while (x->slots[i].item != 0)
        i = (i + 1) & x->mask;
    x->slots[i] = (struct slot){tag_of(h), item};
}

/* Copies candidate c into item number k of x, its strings at *w. */
static void fill_item(struct fz_ind_index *x, size_t k, const struct cand *c, char **w)
{
    struct item *it = &x->items[k];
    char id[ID_TEXT_MAX];
    int idn = snprintf(id, sizeof id, "%lld", (long long)c->e->id);
    it->e = *c->e;
    it->e.value = put_text(w, c->e->value, c->value_len);
    it->e.id_text = put_text(w, id, (size_t)idn);
    it->value_len = (uint32_t)c->value_len;
    it->tag = tag_of(c->hash);
    insert_slot(x, c->hash, (uint32_t)(k + 1));
    x->count[it->e.kind][it->e.status]++;
}

/* Builds the index of the live candidates of m. */
static fz_rc materialize(const struct merge *m, uint64_t seq, struct fz_ind_index **out)
{
    size_t live = 0, text_bytes = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->cands[i].removed)
            continue;
        live++;
        text_bytes += m->cands[i].value_len + 1 + ID_TEXT_MAX;
    }
    struct layout l;
    size_t cap = table_size(live);
    if (!plan_layout(live, cap, text_bytes, &l))
        return FZ_E(FZ_ENOMEM);
    char *block = fz_calloc(1, l.total);
    if (block == NULL)
        return FZ_E(FZ_ENOMEM);
    struct fz_ind_index *x = (struct fz_ind_index *)(void *)block;
    atomic_init(&x->refs, 1);
    x->seq = seq;
    x->n = live;
    x->mask = cap - 1;
    x->items = (struct item *)(void *)(block + l.items);
    x->slots = (struct slot *)(void *)(block + l.slots);
    char *w = block + l.text;
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++)
        if (!m->cands[i].removed)
            fill_item(x, k++, &m->cands[i], &w);
    *out = x;
    return FZ_OK;
}

fz_rc fz_ind_index_with(const struct fz_ind_index *base, const struct fz_ind_change *changes,
                        size_t n, uint64_t seq, struct fz_ind_index **out)
{
    size_t nbase = base != NULL ? base->n : 0;
    if (n > 0 && changes == NULL)
        return FZ_E(FZ_EINVAL);
    for (size_t i = 0; i < n; i++)
        if (!change_ok(&changes[i]))
            return FZ_E(FZ_EINVAL);
    if (n > MAX_ITEMS || nbase + n > MAX_ITEMS)
        return FZ_E(FZ_ENOMEM);
    struct merge m;
    fz_rc rc = merge_init(&m, nbase + n);
    if (rc != FZ_OK)
        return rc;
    for (size_t i = 0; i < nbase; i++)
        merge_put(&m, &base->items[i].e, base->items[i].value_len, false);
    for (size_t i = 0; i < n; i++)
        merge_put(&m, &changes[i].entry, changes[i].value_len, changes[i].remove);
    rc = materialize(&m, seq, out);
    merge_release(&m);
    return rc;
}

fz_rc fz_ind_index_build(const struct fz_ind_change *changes, size_t n, uint64_t seq,
                         struct fz_ind_index **out)
{
    return fz_ind_index_with(NULL, changes, n, seq, out);
}

/* ---- reading ---- */

const struct fz_ind_entry *fz_ind_lookup(const struct fz_ind_index *x, enum fz_ind_kind k,
                                         const char *value, size_t len, int64_t now_ms)
{
    if (x == NULL || value == NULL || (unsigned)k >= FZ_IND__COUNT)
        return NULL;
    uint64_t h = key_hash(k, value, len);
    uint32_t tag = tag_of(h);
    for (size_t i = (size_t)h & x->mask; x->slots[i].item != 0; i = (i + 1) & x->mask) {
        if (x->slots[i].tag != tag)
            continue;
        const struct item *it = &x->items[x->slots[i].item - 1];
        if (it->e.kind != k || it->value_len != len || memcmp(it->e.value, value, len) != 0)
            continue;
        if (it->e.expires_ms != 0 && it->e.expires_ms <= now_ms)
            return NULL;
        return &it->e;
    }
    return NULL;
}

size_t fz_ind_index_count(const struct fz_ind_index *x, enum fz_ind_kind k, enum fz_ind_status s)
{
    if (x == NULL || (unsigned)k >= FZ_IND__COUNT || (unsigned)s >= FZ_IND__STATUSES)
        return 0;
    return x->count[k][s];
}

uint64_t fz_ind_index_seq(const struct fz_ind_index *x) { return x != NULL ? x->seq : 0; }

/* ---- references ---- */

struct fz_ind_index *fz_ind_index_ref(struct fz_ind_index *x)
{
    if (x != NULL)
        atomic_fetch_add_explicit(&x->refs, 1, memory_order_relaxed);
    return x;
}

void fz_ind_index_unref(struct fz_ind_index *x)
{
    if (x == NULL)
        return;
    if (atomic_fetch_sub_explicit(&x->refs, 1, memory_order_acq_rel) != 1)
        return;
    fz_free(x);
}

/* ---- the handle ---- */

static void lock(struct fz_ind_handle *h)
{
    while (atomic_flag_test_and_set_explicit(&h->lock, memory_order_acquire))
        ;
}

static void unlock(struct fz_ind_handle *h)
{
    atomic_flag_clear_explicit(&h->lock, memory_order_release);
}

void fz_ind_handle_init(struct fz_ind_handle *h, struct fz_ind_index *x)
{
    atomic_init(&h->cur, x);
    atomic_flag_clear(&h->lock);
}

void fz_ind_handle_release(struct fz_ind_handle *h)
{
    if (h == NULL)
        return;
    fz_ind_index_unref(atomic_exchange(&h->cur, NULL));
}

struct fz_ind_index *fz_ind_handle_acquire(struct fz_ind_handle *h)
{
    lock(h);
    struct fz_ind_index *x = fz_ind_index_ref(atomic_load_explicit(&h->cur, memory_order_acquire));
    unlock(h);
    return x;
}

void fz_ind_handle_swap(struct fz_ind_handle *h, struct fz_ind_index *x)
{
    lock(h);
    struct fz_ind_index *old = atomic_exchange_explicit(&h->cur, x, memory_order_acq_rel);
    unlock(h);
    fz_ind_index_unref(old);
}
