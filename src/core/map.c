/* core/map: xxHash-based hashing and an open-addressing (linear probing, backward-shift
 * deletion) hash map from byte strings to pointers. */
#include "compat.h"

#include "fangzha/core.h"

#include <string.h>
#include <xxhash.h>

uint64_t fz_hash(const void *p, size_t len) { return XXH3_64bits(p, len); }

uint64_t fz_hash_seed(const void *p, size_t len, uint64_t seed)
{
    return XXH3_64bits_withSeed(p, len, seed);
}

/* An empty slot has key == NULL. */
struct fz_map_slot {
    char *key;
    size_t klen;
    uint64_t hash;
    void *val;
};

#ifdef FZ_STRESS
#define MAP_MIN_CAP 2
#else
#define MAP_MIN_CAP 16
#endif

void fz_map_init(struct fz_map *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
}

void fz_map_release(struct fz_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        fz_free(m->slots[i].key);
    fz_free(m->slots);
    fz_map_init(m);
}

static size_t find_slot(const struct fz_map *m, const void *key, size_t klen, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const struct fz_map_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->klen == klen && memcmp(s->key, key, klen) == 0))
            return i;
    }
}

static fz_rc grow(struct fz_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : MAP_MIN_CAP;
    struct fz_map_slot *ns = fz_calloc(ncap, sizeof *ns);
    if (!ns)
        return FZ_E(FZ_ENOMEM);
    struct fz_map old = *m;
    m->slots = ns;
    m->cap = ncap;
    for (size_t i = 0; i < old.cap; i++) {
        struct fz_map_slot *s = &old.slots[i];
        if (s->key)
            m->slots[find_slot(m, s->key, s->klen, s->hash)] = *s;
    }
    fz_free(old.slots);
    return FZ_OK;
}

fz_rc fz_map_put(struct fz_map *m, const void *key, size_t klen, void *val, void **old)
{
    if ((m->count + 1) * 4 > m->cap * 3) { /* keep the load under 3/4 */
        fz_rc rc = grow(m);
        if (rc)
            return rc;
    }
    uint64_t h = fz_hash(key, klen);
    struct fz_map_slot *s = &m->slots[find_slot(m, key, klen, h)];
    if (s->key) {
        if (old)
            *old = s->val;
        s->val = val;
        return FZ_OK;
    }
    char *k = fz_malloc(klen ? klen : 1);
    if (!k)
        return FZ_E(FZ_ENOMEM);
    if (klen)
        memcpy(k, key, klen);
    *s = (struct fz_map_slot){k, klen, h, val};
    m->count++;
    if (old)
        *old = NULL;
    return FZ_OK;
}

void *fz_map_get(const struct fz_map *m, const void *key, size_t klen)
{
    if (!m->cap)
        return NULL;
    const struct fz_map_slot *s = &m->slots[find_slot(m, key, klen, fz_hash(key, klen))];
    return s->key ? s->val : NULL;
}

void *fz_map_del(struct fz_map *m, const void *key, size_t klen)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    size_t i = find_slot(m, key, klen, fz_hash(key, klen));
    if (!m->slots[i].key)
        return NULL;
    void *val = m->slots[i].val;
    fz_free(m->slots[i].key);
    /* Backward-shift: move later entries of the probe run into the hole. */
    for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
        size_t home = m->slots[j].hash & mask;
        bool movable = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
        if (movable) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].key = NULL;
    m->count--;
    return val;
}

bool fz_map_next(const struct fz_map *m, size_t *it, struct fz_str *key, void **val)
{
    for (; *it < m->cap; (*it)++) {
        const struct fz_map_slot *s = &m->slots[*it];
        if (!s->key)
            continue;
        if (key)
            *key = (struct fz_str){s->key, s->klen};
        if (val)
            *val = s->val;
        (*it)++;
        return true;
    }
    return false;
}
