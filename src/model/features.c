/*
 * model/features.c: the hashed features of one message (docs/internals/model.md).
 *
 * Character 1-, 2- and 3-grams of the normalized text (code points; a digit, or an 'x' of a
 * masked number, is '0'; whitespace runs as one space), ASCII 4-grams, the opening 2-3-grams,
 * the shape of each digit run, Latin words and word pairs, entity and flag features from
 * fz_extract, the script, the length and the bucketed obfuscation score. Each feature is a 64-bit
 * key mixed with its family into one of 2^dim_bits slots; repeated slots are merged in a stamped
 * open-addressing table held by the caller's scratch, so nothing is allocated per message.
 */
#include "compat.h"

#include "model_int.h"

#include <math.h>
#include <string.h>

FZ_LOG_MODULE(model);

/* Feature families: mixed into the slot, so equal keys of two families do not meet. */
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
    FAM_DIGITS,
    FAM_SCRIPT,
    FAM_GRAM4,
    FAM_LEAD,
};

#define TABLE_SLOTS (2 * FZ_MODEL_MAX_FEATURES)
/* The opening 2- and 3-grams (a family of their own) come from this many first characters:
 * "我是你的导师", "亲爱的", "您好，我是客服" say much about the fraud type. */
#define LEAD_CHARS 10
#define STAMP_MAX 0xFFFFu

static const char *const script_names[FZ_MODEL_SCRIPT_COUNT] = {"han", "other"};

const char *fz_model_script_name(enum fz_model_script s)
{
    return (unsigned)s < FZ_MODEL_SCRIPT_COUNT ? script_names[s] : NULL;
}

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
    unsigned dim_bits;
    uint32_t tmask;      /* this message's part of the table: 2^k - 1 */
    uint32_t limit;      /* features kept: at most half the table's part, at most cap */
    uint32_t stamp;      /* s->stamp << 16 */
    uint32_t han, latin; /* Han characters and Latin letters seen */
};

static void add_key(struct fctx *c, uint64_t family, uint64_t key)
{
    struct fz_model_scratch *s = c->s;
    uint32_t index = fz__model_slot(family, key, c->dim_bits);
    uint32_t slot = index & c->tmask;
    for (;;) {
        uint32_t e = s->table[slot];
        if ((e & 0xFFFF0000u) != c->stamp)
            break;
        uint32_t pos = e & 0xFFFFu;
        if (s->feat[pos].index == index) {
            s->counts[pos]++;
            return;
        }
        slot = (slot + 1) & c->tmask;
    }
    if (s->nfeat >= c->limit)
        return; /* full: the table keeps at least half its slots empty */
    s->table[slot] = c->stamp | (uint32_t)s->nfeat;
    s->feat[s->nfeat].index = index;
    s->counts[s->nfeat] = 1;
    s->nfeat++;
}

static bool is_latin(uint32_t cp) { return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'); }

static bool is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }

static bool is_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000;
}

/*
 * Whether the run of 'x' at p[0..n) (the text is case-folded) is a masked number, as in the
 * corpora that write 13800138000 as xxxxxxxxxxx: no Latin letter touches it, and the nearest
 * character on one side, spaces skipped, is a digit or a non-ASCII character (Chinese, CJK
 * punctuation), or both direct neighbours are number punctuation ("-x.xx."). English "xxx"
 * after a word stays letters. prev is the code point just before the run and prev_ns the last
 * one that is not a space (0 at the start).
 */
static bool is_masked_number(const char *p, size_t n, const char *end, uint32_t prev,
                             uint32_t prev_ns)
{
    const char *q = p + n;
    uint32_t next = q < end ? (unsigned char)*q : 0;
    if (is_latin(prev) || is_latin(next))
        return false;
    while (q < end && *q == ' ')
        q++;
    uint32_t next_ns = q < end ? (unsigned char)*q : 0;
    if (prev_ns >= 0x80 || next_ns >= 0x80 || is_digit(prev_ns) || is_digit(next_ns))
        return true;
    static const char numpunct[] = ".,-%:/~";
    return prev && next && strchr(numpunct, (int)prev) && strchr(numpunct, (int)next);
}

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

/* The running state of text_features. */
struct tstate {
    uint32_t prev1, prev2, prev3;   /* folded code points before this one; 0: start of text */
    uint32_t raw_prev, raw_prev_ns; /* the code point before this one; the last non-space */
    uint64_t word;                  /* rolling hash of the current Latin word */
    uint64_t prev_word;             /* the word before it, 0 at a sentence or script break */
    size_t wordlen, digits;         /* letters of the word, digits of the current digit run */
    size_t xleft;                   /* 'x' still to read as digits (a masked number) */
    uint32_t pos;                   /* code points emitted */
};

static void end_digits(struct fctx *c, struct tstate *st)
{
    if (st->digits)
        add_key(c, FAM_DIGITS, st->digits > 24 ? 24 : st->digits);
    st->digits = 0;
}

/* One code point cp, folded to f, of the text. */
static void text_char(struct fctx *c, struct tstate *st, uint32_t cp, uint32_t f, bool is_num)
{
    add_key(c, FAM_GRAM1, f);
    if (st->prev1)
        add_key(c, FAM_GRAM2, (uint64_t)st->prev1 << 21 | f);
    if (st->prev2)
        add_key(c, FAM_GRAM3, (uint64_t)st->prev2 << 42 | (uint64_t)st->prev1 << 21 | f);
    if (st->prev3 && (st->prev3 | st->prev2 | st->prev1 | f) < 0x80) /* ASCII 4-grams */
        add_key(c, FAM_GRAM4, (uint64_t)st->prev3 << 24 | st->prev2 << 16 | st->prev1 << 8 | f);
    if (st->pos < LEAD_CHARS && st->prev1) /* how the message opens */
        add_key(c, FAM_LEAD, (uint64_t)st->prev2 << 42 | (uint64_t)st->prev1 << 21 | f);
    st->pos++;
    if (is_num)
        st->digits++;
    else
        end_digits(c, st);
    if (!is_num && (is_latin(cp) || (st->wordlen && is_digit(cp)))) {
        st->word = (st->word ^ (cp | 0x20u)) * 0x100000001B3u;
        st->wordlen++;
        c->latin++;
    } else {
        if (st->wordlen)
            end_word(c, &st->word, &st->wordlen, &st->prev_word);
        if (cp != ' ' && cp != ',' && cp != '\'' && cp != '-' && cp != '"')
            st->prev_word = 0;
        c->han += is_han(cp);
    }
    st->prev3 = st->prev2;
    st->prev2 = st->prev1;
    st->prev1 = f;
}

/* Character n-grams, digit runs, Latin words and word pairs of the normalized text. A pair is
 * two words separated by nothing but spaces and punctuation other than a sentence end. */
static void text_features(struct fctx *c, const struct fz_text *t)
{
    const char *p = t->ptr, *end = t->ptr + t->len;
    struct tstate st = {0};
    while (p < end) {
        const char *at = p;
        uint32_t cp = (unsigned char)*p;
        if (cp < 0x80)
            p++;
        else
            fz_utf8_decode(&p, end, &cp);
        if (cp == 'x' && !st.xleft) {
            size_t n = 1;
            while (at + n < end && at[n] == 'x')
                n++;
            if (is_masked_number(at, n, end, st.raw_prev, st.raw_prev_ns))
                st.xleft = n;
        }
        bool is_num = is_digit(cp) || st.xleft;
        if (st.xleft)
            st.xleft--;
        uint32_t f = is_num ? '0' : is_space(cp) ? ' ' : cp;
        st.raw_prev = cp;
        if (!is_space(cp))
            st.raw_prev_ns = cp;
        if (f == ' ' && st.prev1 == ' ')
            continue; /* a run of whitespace is one space */
        text_char(c, &st, cp, f, is_num);
    }
    end_digits(c, &st);
    if (st.wordlen)
        end_word(c, &st.word, &st.wordlen, &st.prev_word);
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

/* 1 + ln(n) for the counts met most often. */
static float sublinear(uint32_t n)
{
    static const float small[8] = {0,          1,          1.6931472f, 2.0986123f,
                                   2.3862944f, 2.6094379f, 2.7917595f, 2.9459101f};
    return n < 8 ? small[n] : 1.0f + logf((float)n);
}

/* The table part for a text of len bytes: every byte yields at most 5 features (three n-grams,
 * a word and a pair, or a digit run), entities a bounded few more; twice that, at least 256
 * entries, at most the whole table. */
static uint32_t table_mask(size_t len, const struct fz_entities *ents)
{
    size_t need = 5 * len + 64;
    if (ents)
        for (int k = 0; k < FZ_ENT__COUNT; k++)
            need += (FZ_PHONE_FLAG_COUNT + FZ_URL_FLAG_COUNT + 4) * ents->count[k];
    size_t n = 256;
    while (n < 2 * need && n < TABLE_SLOTS)
        n *= 2;
    return (uint32_t)n - 1;
}

void fz_model_features(unsigned dim_bits, const struct fz_text *t, const struct fz_entities *ents,
                       struct fz_model_scratch *s)
{
    s->nfeat = 0;
    if (++s->stamp > STAMP_MAX) { /* wrapped: forget every stamp */
        memset(s->table, 0, TABLE_SLOTS * sizeof *s->table);
        s->stamp = 1;
    }
    struct fctx c = {.s = s, .dim_bits = dim_bits, .stamp = s->stamp << 16};
    c.tmask = table_mask(t->len, ents);
    c.limit = (uint32_t)((c.tmask + 1) / 2 < s->cap ? (c.tmask + 1) / 2 : s->cap);
    text_features(&c, t);
    s->script = c.han > 0 && 4 * c.han >= c.latin ? FZ_MODEL_SCRIPT_HAN : FZ_MODEL_SCRIPT_OTHER;
    add_key(&c, FAM_SCRIPT, s->script);
    if (ents)
        entity_features(&c, ents);
    obfuscation_features(&c, t);
    float norm = 0;
    for (size_t i = 0; i < s->nfeat; i++) {
        float v = sublinear(s->counts[i]);
        s->feat[i].value = v;
        norm += v * v;
    }
    float inv = 1.0f / sqrtf(norm > 0 ? norm : 1);
    for (size_t i = 0; i < s->nfeat; i++)
        s->feat[i].value *= inv;
}

unsigned fz_model_bucket(const struct fz_text *t, uint64_t seed, unsigned n)
{
    return (unsigned)(fz_hash_seed(t->ptr, t->len, seed) % n);
}
