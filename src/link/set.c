/*
 * link/set.c: the set of cases being linked. Case ids and identifier values live in one
 * arena; identifiers are interned in an open-addressing table of indices (an index costs 4
 * bytes a slot where struct fz_map would copy every key into its own allocation, and a set
 * holds tens of millions of them). Values are normalized by the signal modules before they
 * are interned, so two spellings of one number meet in one identifier.
 */
#include "compat.h"

#include "link_int.h"

#include "fangzha/intel.h"

#include <string.h>

static const char *const kind_names[FZ_LINK__KINDS] = {
#define FZ__LINK_KIND_NAME(name, id, hard) id,
    FZ_LINK_KIND_MAP(FZ__LINK_KIND_NAME)
#undef FZ__LINK_KIND_NAME
};

static const bool kind_hard[FZ_LINK__KINDS] = {
#define FZ__LINK_KIND_HARD(name, id, hard) hard,
    FZ_LINK_KIND_MAP(FZ__LINK_KIND_HARD)
#undef FZ__LINK_KIND_HARD
};

const char *fz_link_kind_name(enum fz_link_kind k)
{
    return (unsigned)k < FZ_LINK__KINDS ? kind_names[k] : NULL;
}

bool fz_link_kind_parse(const char *s, size_t len, enum fz_link_kind *out)
{
    for (int i = 0; s && i < FZ_LINK__KINDS; i++) {
        if (strlen(kind_names[i]) == len && memcmp(kind_names[i], s, len) == 0) {
            *out = (enum fz_link_kind)i;
            return true;
        }
    }
    return false;
}

bool fz_link_kind_is_hard(enum fz_link_kind k)
{
    return (unsigned)k < FZ_LINK__KINDS && kind_hard[k];
}

fz_rc fz_link_set_new(const struct fz_url_ctx *uctx, struct fz_link_set **out)
{
    struct fz_link_set *s = fz_calloc(1, sizeof *s);
    if (!s)
        return FZ_E(FZ_ENOMEM);
    s->uctx = uctx;
    fz_arena_init(&s->arena, (size_t)1 << 20);
    fz_arena_init(&s->scratch, 0);
    fz_text_init(&s->text);
    *out = s;
    return FZ_OK;
}

void fz_link_set_free(struct fz_link_set *s)
{
    if (!s)
        return;
    fz_arena_release(&s->arena);
    fz_arena_release(&s->scratch);
    fz_text_release(&s->text);
    fz_free(s->case_ids);
    fz_free(s->fraud_type);
    fz_free(s->loss_fen);
    fz_free(s->nidents_of);
    fz_free(s->idents);
    fz_free(s->slots);
    fz_free(s->pair_case);
    fz_free(s->pair_ident);
    fz_free(s);
}

/* Grows *p (n elements of size bytes, capacity *cap) to hold one more. */
static fz_rc grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return FZ_OK;
    size_t ncap = *cap ? *cap * 2 : 1024;
    if (ncap > SIZE_MAX / size)
        return FZ_E(FZ_ENOMEM);
    void *q = fz_realloc(*p, ncap * size);
    if (!q)
        return FZ_E(FZ_ENOMEM);
    *p = q;
    *cap = ncap;
    return FZ_OK;
}

static fz_rc grow_cases(struct fz_link_set *s)
{
    size_t cap = s->cases_cap;
    fz_rc rc = FZ_OK;
    if (s->ncases < cap)
        return FZ_OK;
    /* Each array keeps its own copy of the capacity until all four have grown. */
    size_t c1 = cap, c2 = cap, c3 = cap, c4 = cap;
    if ((rc = grow((void **)&s->case_ids, &c1, s->ncases, sizeof *s->case_ids)) ||
        (rc = grow((void **)&s->fraud_type, &c2, s->ncases, sizeof *s->fraud_type)) ||
        (rc = grow((void **)&s->loss_fen, &c3, s->ncases, sizeof *s->loss_fen)) ||
        (rc = grow((void **)&s->nidents_of, &c4, s->ncases, sizeof *s->nidents_of)))
        return rc;
    s->cases_cap = c1;
    return FZ_OK;
}

fz_rc fz_link_set_add_case(struct fz_link_set *s, const char *case_id, size_t id_len,
                           int fraud_type, int64_t loss_fen, uint32_t *out_case, struct fz_err *err)
{
    if (!case_id || id_len == 0 || id_len > FZ_LINK_CAP_CASE_ID)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "case id must have 1 to %d bytes",
                          FZ_LINK_CAP_CASE_ID);
    if (loss_fen < 0)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "negative loss");
    if (fraud_type < -1 || fraud_type >= FZ_FRAUD_TYPE_COUNT)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "unknown fraud type");
    if (s->ncases >= FZ_LINK_CAP_CASES)
        return fz_err_set(err, FZ_E(FZ_ETOOBIG), "more than %d cases", FZ_LINK_CAP_CASES);
    char *id = fz_arena_strndup(&s->arena, case_id, id_len);
    if (!id || grow_cases(s) != FZ_OK)
        return fz_err_set(err, FZ_E(FZ_ENOMEM), "out of memory");
    s->case_ids[s->ncases] = id;
    s->fraud_type[s->ncases] = (int8_t)fraud_type;
    s->loss_fen[s->ncases] = loss_fen;
    s->nidents_of[s->ncases] = 0;
    *out_case = (uint32_t)s->ncases++;
    return FZ_OK;
}

/* ---- interning ---- */

static uint64_t ident_hash(enum fz_link_kind k, const char *v, size_t len)
{
    return fz_hash_seed(v, len, (uint64_t)k * 0x9E3779B97F4A7C15ull + 1);
}

static fz_rc grow_slots(struct fz_link_set *s)
{
    if (s->slots_cap && s->nidents + 1 <= s->slots_cap / 2)
        return FZ_OK;
    size_t ncap = s->slots_cap ? s->slots_cap * 2 : 4096;
    uint32_t *slots = fz_calloc(ncap, sizeof *slots);
    if (!slots)
        return FZ_E(FZ_ENOMEM);
    for (size_t i = 0; i < s->nidents; i++) {
        size_t j = s->idents[i].hash & (ncap - 1);
        while (slots[j])
            j = (j + 1) & (ncap - 1);
        slots[j] = (uint32_t)i + 1;
    }
    fz_free(s->slots);
    s->slots = slots;
    s->slots_cap = ncap;
    return FZ_OK;
}

/* The index of kind + v, interned now if new. */
static fz_rc intern(struct fz_link_set *s, enum fz_link_kind k, const char *v, size_t len,
                    uint32_t *out)
{
    fz_rc rc = grow_slots(s);
    if (rc)
        return rc;
    uint64_t h = ident_hash(k, v, len);
    size_t mask = s->slots_cap - 1, j = h & mask;
    for (; s->slots[j]; j = (j + 1) & mask) {
        const struct fz__link_ident *id = &s->idents[s->slots[j] - 1];
        if (id->hash == h && id->kind == k && id->len == len && memcmp(id->value, v, len) == 0) {
            *out = s->slots[j] - 1;
            return FZ_OK;
        }
    }
    if (s->nidents >= UINT32_MAX - 1)
        return FZ_E(FZ_ETOOBIG);
    if ((rc = grow((void **)&s->idents, &s->idents_cap, s->nidents, sizeof *s->idents)))
        return rc;
    char *copy = fz_arena_strndup(&s->arena, v, len);
    if (!copy)
        return FZ_E(FZ_ENOMEM);
    /* intel writes phones in E.164; a service number or SMS port has no E.164 form and is
     * kept as its digits: a bank's or an operator's own number, public, never a link. */
    bool is_public = k == FZ_LINK_PHONE && v[0] != '+';
    s->idents[s->nidents] = (struct fz__link_ident){copy, h, (uint32_t)len, (uint8_t)k, is_public};
    s->slots[j] = (uint32_t)s->nidents + 1;
    *out = (uint32_t)s->nidents++;
    return FZ_OK;
}

fz_rc fz__link_set_pair(struct fz_link_set *s, uint32_t c, enum fz_link_kind k, const char *v,
                        size_t len, struct fz_err *err)
{
    if (c >= s->ncases || (unsigned)k >= FZ_LINK__KINDS)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "no case %u or no kind %d", c, (int)k);
    if (len == 0 || len > FZ_LINK_CAP_VALUE)
        return fz_err_set(err, FZ_E(len ? FZ_ETOOBIG : FZ_EINVAL), "value must have 1 to %d bytes",
                          FZ_LINK_CAP_VALUE);
    if (s->npairs >= UINT32_MAX - 1) /* the adjacency lists index pairs with 32 bits */
        return fz_err_set(err, FZ_E(FZ_ETOOBIG), "too many identifiers in one set");
    if (s->nidents_of[c] >= FZ_LINK_CAP_IDENTS)
        return fz_err_set(err, FZ_E(FZ_ETOOBIG), "more than %d identifiers in one case",
                          FZ_LINK_CAP_IDENTS);
    uint32_t id;
    fz_rc rc = intern(s, k, v, len, &id);
    if (rc == FZ_OK)
        rc = grow((void **)&s->pair_case, &(size_t){s->pairs_cap}, s->npairs, sizeof(uint32_t));
    if (rc == FZ_OK)
        rc = grow((void **)&s->pair_ident, &s->pairs_cap, s->npairs, sizeof(uint32_t));
    if (rc)
        return fz_err_set(err, rc, "%s", fz_strerror(rc));
    /* The case's own pairs are at the end while it is being read: skip a repeated value. */
    for (size_t i = s->npairs; i-- > 0 && s->pair_case[i] == c;)
        if (s->pair_ident[i] == id)
            return FZ_OK;
    s->pair_case[s->npairs] = c;
    s->pair_ident[s->npairs++] = id;
    s->nidents_of[c]++;
    return FZ_OK;
}
