/*
 * model/features.c: the hashed features of one message (docs/internals/model.md).
 *
 * Character 1-, 2- and 3-grams of the normalized text (code points, ASCII digits folded to
 * '0', whitespace runs as one space), Latin word tokens, entity and flag features from
 * fz_extract, the length and the bucketed obfuscation score. Each feature is a 64-bit key
 * hashed with XXH3 into 2^dim_bits slots; repeated slots are merged in a stamped
 * open-addressing table held by the caller's scratch, so nothing is allocated per message.
 */
#include "compat.h"

#include "model_int.h"

#include <math.h>
#include <string.h>

/* The XXH3 of fz_hash_seed, inlined: a call per n-gram into the shared library costs more than
 * the hash of 8 bytes itself. Same function, same values. */
#define XXH_INLINE_ALL
#include <xxhash.h>

FZ_LOG_MODULE(model);

/* Feature families: the hash seed of each, so equal keys of two families do not meet. */
enum {
    FAM_GRAM1 = 1,
    FAM_GRAM2,
    FAM_GRAM3,
    FAM_WORD,
    FAM_WORD2,
    FAM_PHONE_CLASS,
    FAM_PHONE_FLAG,
    FAM_URL_FLAG,
    FAM_HAS_KIND,
    FAM_AMOUNT,
    FAM_OBFUSCATION,
    FAM_UNDONE,
    FAM_LENGTH,
};

#define TABLE_SLOTS (2 * FZ_MODEL_MAX_FEATURES)

fz_rc fz_model_scratch_init(struct fz_model_scratch *s)
{
    memset(s, 0, sizeof *s);
    s->cap = FZ_MODEL_MAX_FEATURES;
    s->feat = fz_mallocarray(s->cap, sizeof *s->feat);
    s->counts = fz_mallocarray(s->cap, sizeof *s->counts);
    s->table = fz_calloc(TABLE_SLOTS, sizeof *s->table);
    if (!s->feat || !s->counts || !s->table) {
        fz_model_scratch_release(s);
        return FZ_E(FZ_ENOMEM);
    }
    return FZ_OK;
}

void fz_model_scratch_release(struct fz_model_scratch *s)
{
    if (!s)
        return;
    fz_free(s->feat);
    fz_free(s->counts);
    fz_free(s->table);
    memset(s, 0, sizeof *s);
}

struct fctx {
    struct fz_model_scratch *s;
    uint32_t mask;
};

static void add_key(struct fctx *c, uint64_t family, uint64_t key)
{
    struct fz_model_scratch *s = c->s;
    uint32_t index = (uint32_t)XXH3_64bits_withSeed(&key, sizeof key, family) & c->mask;
    uint64_t stamp = (uint64_t)s->stamp << 32;
    size_t slot = (index * 0x9E3779B1u) & (TABLE_SLOTS - 1);
    for (;;) {
        uint64_t e = s->table[slot];
        if ((e & 0xFFFFFFFF00000000u) != stamp)
            break;
        uint32_t pos = (uint32_t)e;
        if (s->feat[pos].index == index) {
            s->counts[pos]++;
            return;
        }
        slot = (slot + 1) & (TABLE_SLOTS - 1);
    }
    if (s->nfeat == s->cap)
        return; /* full: the table keeps at least half its slots empty */
    s->table[slot] = stamp | s->nfeat;
    s->feat[s->nfeat].index = index;
    s->counts[s->nfeat] = 1;
    s->nfeat++;
}

static uint32_t fold_cp(uint32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return '0';
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000)
        return ' ';
    return cp;
}

static bool is_latin(uint32_t cp) { return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'); }

/* Ends the current Latin word: the word and, when one came just before it, the pair. */
static void end_word(struct fctx *c, uint64_t *word, size_t *wordlen, uint64_t *prev_word)
{
    if (*wordlen > 1) {
        add_key(c, FAM_WORD, *word);
        if (*prev_word)
            add_key(c, FAM_WORD2, *prev_word * 0x9E3779B97F4A7C15u ^ *word);
        *prev_word = *word;
    }
    *word = 0;
    *wordlen = 0;
}

/* Character n-grams, Latin words and word pairs of the normalized text. A pair is two words
 * separated by nothing but spaces and punctuation other than a sentence end. */
static void text_features(struct fctx *c, const struct fz_text *t)
{
    const char *p = t->ptr, *end = t->ptr + t->len;
    uint32_t prev1 = 0, prev2 = 0; /* 0: start of text */
    uint64_t word = 0;             /* rolling hash of the current Latin word */
    uint64_t prev_word = 0;        /* the word before it, 0 at a sentence or script break */
    size_t wordlen = 0;
    while (p < end) {
        uint32_t cp = (unsigned char)*p;
        if (cp < 0x80)
            p++;
        else
            fz_utf8_decode(&p, end, &cp);
        uint32_t f = fold_cp(cp);
        if (f == ' ' && prev1 == ' ')
            continue; /* a run of whitespace is one space */
        add_key(c, FAM_GRAM1, f);
        if (prev1)
            add_key(c, FAM_GRAM2, (uint64_t)prev1 << 21 | f);
        if (prev2)
            add_key(c, FAM_GRAM3, (uint64_t)prev2 << 42 | (uint64_t)prev1 << 21 | f);
        if (is_latin(cp) || (wordlen && cp >= '0' && cp <= '9')) {
            word = (word ^ (cp | 0x20u)) * 0x100000001B3u;
            wordlen++;
        } else {
            if (wordlen)
                end_word(c, &word, &wordlen, &prev_word);
            if (cp != ' ' && cp != ',' && cp != '\'' && cp != '-' && cp != '"')
                prev_word = 0;
        }
        prev2 = prev1;
        prev1 = f;
    }
    if (wordlen)
        end_word(c, &word, &wordlen, &prev_word);
}

/* floor(log2(v + 1)), at most 15: a coarse magnitude bucket. */
static uint64_t log2_bucket(uint64_t v)
{
    uint64_t b = 0;
    for (v++; v > 1 && b < 15; v >>= 1)
        b++;
    return b;
}

static void entity_features(struct fctx *c, const struct fz_entities *e)
{
    for (int k = 0; k < FZ_ENT__COUNT; k++)
        if (e->count[k])
            add_key(c, FAM_HAS_KIND, (uint64_t)k);
    for (size_t i = 0; i < e->count[FZ_ENT_PHONE]; i++) {
        const struct fz_phone *ph = &e->items[FZ_ENT_PHONE][i].phone;
        add_key(c, FAM_PHONE_CLASS, (uint64_t)ph->cls);
        for (unsigned b = 0; b < FZ_PHONE_FLAG_COUNT; b++)
            if (ph->flags & (1u << b))
                add_key(c, FAM_PHONE_FLAG, b);
    }
    for (size_t i = 0; i < e->count[FZ_ENT_URL]; i++) {
        const struct fz_url *u = &e->items[FZ_ENT_URL][i].url;
        for (unsigned b = 0; b < FZ_URL_FLAG_COUNT; b++)
            if (u->flags & (1u << b))
                add_key(c, FAM_URL_FLAG, b);
        if (!u->valid)
            add_key(c, FAM_URL_FLAG, 100);
    }
    for (size_t i = 0; i < e->count[FZ_ENT_AMOUNT]; i++) {
        int64_t fen = e->items[FZ_ENT_AMOUNT][i].amount_fen;
        uint64_t yuan = fen > 0 ? (uint64_t)fen / 100 : 0;
        /* decades of yuan: <10, <100, ... */
        uint64_t b = 0;
        while (yuan >= 10 && b < 9) {
            yuan /= 10;
            b++;
        }
        add_key(c, FAM_AMOUNT, b);
    }
}

static void obfuscation_features(struct fctx *c, const struct fz_text *t)
{
    const struct fz_text_undone *u = &t->undone;
    double o = t->obfuscation;
    uint64_t b = o <= 0 ? 0 : 1 + (uint64_t)(o >= 1 ? 9 : o * 10);
    add_key(c, FAM_OBFUSCATION, b);
    const uint32_t kinds[] = {u->fullwidth,  u->confusables, u->traditional, u->cn_numerals,
                              u->separators, u->zero_width,  u->emoji,       u->invalid_utf8};
    for (uint64_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (kinds[k])
            add_key(c, FAM_UNDONE, k << 8 | log2_bucket(kinds[k]));
    add_key(c, FAM_LENGTH, log2_bucket(u->chars));
}

void fz_model_features(unsigned dim_bits, const struct fz_text *t, const struct fz_entities *ents,
                       struct fz_model_scratch *s)
{
    struct fctx c = {.s = s, .mask = (uint32_t)((1u << dim_bits) - 1)};
    s->nfeat = 0;
    if (++s->stamp == 0) { /* wrapped: forget every stamp */
        memset(s->table, 0, TABLE_SLOTS * sizeof *s->table);
        s->stamp = 1;
    }
    text_features(&c, t);
    if (ents)
        entity_features(&c, ents);
    obfuscation_features(&c, t);
    double norm = 0;
    for (size_t i = 0; i < s->nfeat; i++) {
        float v = s->counts[i] == 1 ? 1.0f : 1.0f + logf((float)s->counts[i]);
        s->feat[i].value = v;
        norm += (double)v * v;
    }
    float inv = (float)(1.0 / sqrt(norm > 0 ? norm : 1));
    for (size_t i = 0; i < s->nfeat; i++)
        s->feat[i].value *= inv;
}

unsigned fz_model_bucket(const struct fz_text *t, uint64_t seed, unsigned n)
{
    return (unsigned)(fz_hash_seed(t->ptr, t->len, seed) % n);
}
