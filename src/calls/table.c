/*
 * calls/table: the engine's containers (docs/internals/calls.md) — open-addressing maps of 64-bit
 * keys kept at most half full, and vectors of fixed-size elements in address ranges of their
 * own that never move.
 */
#include "compat.h"

#include "calls_int.h"

#include <string.h>
#include <sys/mman.h>

/* Asks the kernel for 2 MiB pages over [p, p + size): the state is far larger than what the
 * TLB covers with 4 KiB pages. A hint only. */
static void advise_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    uintptr_t huge = (uintptr_t)2 << 20, lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t hi = ((uintptr_t)p + size) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)size;
#endif
}

/* Vectors live in address ranges of their own, 2 MiB aligned, that the kernel backs only where
 * written (fresh pages are zero): a 1-million-number state is far larger than what the TLB
 * covers with 4 KiB pages, and a range that never moves keeps its 2 MiB pages whole (realloc's
 * moves split them). A full range is replaced by one twice its size. */
#define VEC_FIRST_ELEMENTS ((size_t)1 << 21)
#define HUGE_PAGE ((size_t)2 << 20)

static void *map_range(size_t bytes)
{
    char *p = mmap(NULL, bytes + HUGE_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    char *a = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
    if (a > p)
        munmap(p, (size_t)(a - p));
    munmap(a + bytes, (size_t)(p + HUGE_PAGE - a)); /* never empty: a < p + HUGE_PAGE */
    advise_huge(a, bytes);
    return a;
}

static size_t range_bytes(size_t cap, size_t size)
{
    return (cap * size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

void fz__u64map_init(struct fz__u64map *m) { memset(m, 0, sizeof *m); }

void fz__u64map_release(struct fz__u64map *m)
{
    if (m->slots)
        munmap(m->slots, (m->mask + 1) * sizeof *m->slots);
    *m = (struct fz__u64map){.by_pair = m->by_pair};
}

/* A map's slots have a range of their own too (a power of two of 16-byte slots: whole 4 KiB
 * pages, and whole 2 MiB pages from 2 MiB on, which are asked for). From calloc, maps of up to
 * 32 MB came from the heap, cleared on 4 KiB pages before they could be advised. Paired runs of
 * a whole process on 3.2 M records: 10 % less time for one run, 5 % for two. */
fz_rc fz__u64map_alloc(struct fz__u64map *m, size_t cap)
{
    m->slots = map_range(cap * sizeof *m->slots);
    m->mask = cap - 1;
    return m->slots ? FZ_OK : FZ_E(FZ_ENOMEM);
}

static fz_rc rehash(struct fz__u64map *m, size_t cap)
{
    struct fz__u64map n = {NULL, 0, m->count, m->by_pair};
    if (fz__u64map_alloc(&n, cap) != FZ_OK)
        return FZ_E(FZ_ENOMEM);
    for (size_t i = 0; m->slots && i <= m->mask; i++) {
        if (!m->slots[i].key)
            continue;
        bool found;
        n.slots[fz__u64map_slot(&n, m->slots[i].key, &found)] = m->slots[i];
    }
    fz__u64map_release(m);
    *m = n;
    return FZ_OK;
}

/* Maps are kept at most half full: most probes are for keys that are absent (a new pair, a
 * call back that is not one), and at half load those end within the first cache line. */
fz_rc fz__u64map_reserve(struct fz__u64map *m, size_t n)
{
    size_t cap = m->slots ? m->mask + 1 : 0, need = (m->count + n) * 2 + 1;
    if (need <= cap)
        return FZ_OK;
    size_t want = cap ? cap : 1024;
    while (want < need)
        want *= 2;
    return rehash(m, want);
}

fz_rc fz__u64map_put(struct fz__u64map *m, uint64_t key, uint32_t val)
{
    fz_rc rc = fz__u64map_reserve(m, 1);
    if (rc != FZ_OK)
        return rc;
    bool found;
    size_t s = fz__u64map_slot(m, key, &found);
    if (!found) {
        m->slots[s].key = key;
        m->count++;
    }
    m->slots[s].val = val;
    return FZ_OK;
}

fz_rc fz__vec_reserve(struct fz__vec *v, size_t n)
{
    if (n <= v->cap)
        return FZ_OK;
    size_t cap = v->cap ? v->cap : VEC_FIRST_ELEMENTS;
    while (cap < n)
        cap *= 2;
    if (cap > (size_t)UINT32_MAX)
        return FZ_E(FZ_ETOOBIG);
    void *p = map_range(range_bytes(cap, v->size));
    /* where reserved addresses count as memory (strict overcommit), ask for less */
    while (!p && cap / 2 >= n && cap / 2 >= 1024)
        p = map_range(range_bytes(cap /= 2, v->size));
    if (!p)
        return FZ_E(FZ_ENOMEM);
    size_t len = v->len;
    if (len)
        memcpy(p, v->data, len * v->size);
    fz__vec_release(v);
    v->data = p;
    v->len = len;
    v->cap = cap;
    return FZ_OK;
}

void fz__vec_release(struct fz__vec *v)
{
    if (v->data)
        munmap(v->data, range_bytes(v->cap, v->size));
    v->data = NULL;
    v->len = v->cap = 0;
}

fz_rc fz__vec_push(struct fz__vec *v, uint32_t *id)
{
    if (v->len == v->cap) {
        fz_rc rc = fz__vec_reserve(v, v->len + 1);
        if (rc != FZ_OK)
            return rc;
    }
    if (v->len == 0)
        v->len = 1; /* id 0 = none */
    *id = (uint32_t)v->len++;
    return FZ_OK;
}
