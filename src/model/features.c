/*
 * model/features.c: the hashed features of one message (docs/internals/model.md).
 *
 * Character 1-, 2- and 3-grams of the normalized text (code points; a digit, or an 'x' of a
 * masked number, is '0'; whitespace runs as one space), ASCII 4-grams, the opening 2-3-grams,
 * the shape of each digit run, Latin words and word pairs, entity and flag features from
 * fz_extract, the script, the length and the bucketed obfuscation score. Each feature is a 64-bit
 * key hashed with its family into one of 2^dim_bits slots (the n-gram hashes roll); a slot met
 * twice counts once, by a table of per-message stamps held by the caller's scratch, so nothing
 * is allocated per message. When predicting, the two heads' weights are summed in the same pass.
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
    FAM_REPEAT,
};

/* The opening 2- and 3-grams (a family of their own) come from this many first characters:
 * "我是你的导师", "亲爱的", "您好，我是客服" say much about the fraud type. */
#define LEAD_CHARS 10
/* A character adds at most this many features (three n-grams, a 4-gram, an opening gram, a
 * digit run, a word and a pair, each perhaps as "repeated"): the room kept after cap, so that
 * the text loop checks the cap once per character. */
#define PER_CHAR 16
#define HEADROOM 32
/* The table of slots met holds a 16-bit stamp per slot, for 2^SEEN_BITS slots (512 KiB, of
 * which a message touches a few hundred entries); a larger dimension folds onto it, so two
 * slots equal modulo 2^SEEN_BITS count as one (rare, and the same in training). An entry equal
 * to the message's stamp means "met"; the stamps run from 1 to 65535, and the table is
 * cleared when they wrap. */
#define SEEN_BITS 18
#define SEEN_MASK ((1u << SEEN_BITS) - 1)

static const char *const script_names[FZ_MODEL_SCRIPT_COUNT] = {"han", "other"};

const char *fz_model_script_name(enum fz_model_script s)
{
    return (unsigned)s < FZ_MODEL_SCRIPT_COUNT ? script_names[s] : NULL;
}

fz_rc fz_model_scratch_init(struct fz_model_scratch *s)
{
    memset(s, 0, sizeof *s);
    s->cap = FZ_MODEL_MAX_FEATURES;
    s->value = 1;
    s->slot = fz_mallocarray(s->cap + HEADROOM, sizeof *s->slot);
    s->seen = fz_calloc((size_t)1 << SEEN_BITS, sizeof *s->seen);
    if (!s->slot || !s->seen) {
        fz_model_scratch_release(s);
        return FZ_E(FZ_ENOMEM);
    }
    return FZ_OK;
}

void fz_model_scratch_release(struct fz_model_scratch *s)
{
    if (!s)
        return;
    fz_free(s->slot);
    fz_free(s->seen);
    memset(s, 0, sizeof *s);
}

#define S_GRAM1 FZ__MODEL_SEED(FAM_GRAM1)
#define S_GRAM2 FZ__MODEL_SEED(FAM_GRAM2)
#define S_GRAM3 FZ__MODEL_SEED(FAM_GRAM3)
#define S_GRAM4 FZ__MODEL_SEED(FAM_GRAM4)
#define S_LEAD FZ__MODEL_SEED(FAM_LEAD)
#define S_WORD FZ__MODEL_SEED(FAM_WORD)
#define S_WORD2 FZ__MODEL_SEED(FAM_WORD2)
#define S_DIGITS FZ__MODEL_SEED(FAM_DIGITS)
#define S_REPEAT FZ__MODEL_SEED(FAM_REPEAT)

struct fctx {
    uint32_t *slot;
    uint16_t *seen;      /* the scratch's table of slots met */
    uint16_t stamp;      /* this message's mark in it: met once; stamp + 1: met again */
    bool with_heads;     /* predicting (a constant where inlined): sum the heads' weights */
    const int8_t *heads; /* then the model's fraud and not-ham weights */
    int32_t sum[2];      /* prediction: their sums over the occurrences */
    size_t n;            /* distinct slots in slot[] */
    size_t cap;          /* n may pass it by up to HEADROOM; the excess is dropped */
    unsigned shift;      /* 64 - dim_bits */
    uint32_t han, latin; /* Han characters and Latin letters seen */
};

/* Adds slot, and when predicting its weights to the two heads' sums, while it is at hand. */
__attribute__((always_inline)) static inline void keep(struct fctx *c, uint32_t slot)
{
    c->slot[c->n++] = slot;
    if (c->with_heads) {
        const int8_t *w = c->heads + (size_t)slot * 2;
        c->sum[0] += w[0];
        c->sum[1] += w[1];
    }
}

/* Adds the feature of the given hash (fz__model_slot before the shift) the first time the
 * message has it, and the first time it has it again the feature "repeated" of its slot (a
 * slot of its own, in the family FAM_REPEAT): the binary stand-in for term frequency. */
__attribute__((always_inline)) static inline void add_hash(struct fctx *c, uint64_t hash)
{
    uint32_t slot = (uint32_t)(hash >> c->shift);
    uint16_t *e = &c->seen[slot & SEEN_MASK], old = *e;
    if (__builtin_expect(old < c->stamp, 1)) {
        *e = c->stamp;
        keep(c, slot);
    } else if (old == c->stamp) {
        *e = (uint16_t)(c->stamp + 1);
        keep(c, (uint32_t)(((slot + S_REPEAT) * FZ__MODEL_MUL) >> c->shift));
    }
}

/* Adds the feature key of the family of seed (fz__model_slot). */
__attribute__((always_inline)) static inline void add(struct fctx *c, uint64_t seed, uint64_t key)
{
    add_hash(c, (key + seed) * FZ__MODEL_MUL);
}

/* add() outside the text loop, which checks the room itself. */
static void add_checked(struct fctx *c, uint64_t seed, uint64_t key)
{
    if (c->n < c->cap)
        add(c, seed, key);
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

/* The code point at *p, advancing *p. The normalized text is valid UTF-8; anything else (a
 * truncated sequence at the end) reads as U+FFFD, byte by byte, and never past end. */
static inline uint32_t next_cp(const unsigned char **pp, const unsigned char *end)
{
    const unsigned char *p = *pp;
    uint32_t c = p[0];
    if (c < 0x80) {
        *pp = p + 1;
        return c;
    }
    if (c >= 0xE0 && c < 0xF0 && end - p >= 3) {
        *pp = p + 3;
        return (c & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    }
    if (c >= 0xC0 && c < 0xE0 && end - p >= 2) {
        *pp = p + 2;
        return (c & 0x1F) << 6 | (p[1] & 0x3F);
    }
    if (c >= 0xF0 && c < 0xF8 && end - p >= 4) {
        *pp = p + 4;
        return (c & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 | (uint32_t)(p[2] & 0x3F) << 6 |
               (p[3] & 0x3F);
    }
    *pp = p + 1;
    return 0xFFFD;
}

/* The code point that ends just before at (not before start), or 0; *at moves to its start. */
static uint32_t prev_cp(const unsigned char *start, const unsigned char **at)
{
    const unsigned char *q = *at;
    if (q <= start)
        return 0;
    do
        q--;
    while (q > start && (*q & 0xC0) == 0x80 && *at - q < 4);
    const unsigned char *r = q;
    uint32_t cp = next_cp(&r, *at);
    *at = q;
    return cp;
}

/*
 * Whether the run of 'x' at p[0..n) (the text is case-folded) is a masked number, as in the
 * corpora that write 13800138000 as xxxxxxxxxxx: no Latin letter touches it, and the nearest
 * character on one side, spaces skipped, is a digit or a non-ASCII character (Chinese, CJK
 * punctuation), or both direct neighbours are number punctuation ("-x.xx."). English "xxx"
 * after a word stays letters. start is the start of the text.
 */
static bool is_masked_number(const unsigned char *start, const unsigned char *p, size_t n,
                             const unsigned char *end)
{
    const unsigned char *q = p + n, *b = p;
    uint32_t next = q < end ? *q : 0;
    uint32_t prev = prev_cp(start, &b), prev_ns = prev;
    while (prev_ns && is_space(prev_ns))
        prev_ns = prev_cp(start, &b);
    if (is_latin(prev) || is_latin(next))
        return false;
    while (q < end && *q == ' ')
        q++;
    uint32_t next_ns = q < end ? *q : 0;
    if (prev_ns >= 0x80 || next_ns >= 0x80 || is_digit(prev_ns) || is_digit(next_ns))
        return true;
    static const char numpunct[] = ".,-%:/~";
    return prev && next && prev < 0x80 && strchr(numpunct, (int)prev) &&
           strchr(numpunct, (int)next);
}

/* Character classes of ASCII; other code points are K_OTHER, U+3000 K_BREAK. */
enum {
    K_OTHER,  /* ends a word and a word pair */
    K_JOIN,   /* punctuation that ends a word but may sit inside a pair: , ' - " */
    K_LETTER, /* a-z A-Z */
    K_DIGIT,  /* 0-9, and the x of a masked number */
    K_SPACE,  /* a space (keeps a pair) */
    K_BREAK,  /* other whitespace: a space that ends a pair */
};

static const unsigned char ascii_class[128] = {
    ['\t'] = K_BREAK, ['\n'] = K_BREAK, ['\r'] = K_BREAK, [' '] = K_SPACE,  [','] = K_JOIN,
    ['\''] = K_JOIN,  ['-'] = K_JOIN,   ['"'] = K_JOIN,   ['0'] = K_DIGIT,  ['1'] = K_DIGIT,
    ['2'] = K_DIGIT,  ['3'] = K_DIGIT,  ['4'] = K_DIGIT,  ['5'] = K_DIGIT,  ['6'] = K_DIGIT,
    ['7'] = K_DIGIT,  ['8'] = K_DIGIT,  ['9'] = K_DIGIT,  ['a'] = K_LETTER, ['b'] = K_LETTER,
    ['c'] = K_LETTER, ['d'] = K_LETTER, ['e'] = K_LETTER, ['f'] = K_LETTER, ['g'] = K_LETTER,
    ['h'] = K_LETTER, ['i'] = K_LETTER, ['j'] = K_LETTER, ['k'] = K_LETTER, ['l'] = K_LETTER,
    ['m'] = K_LETTER, ['n'] = K_LETTER, ['o'] = K_LETTER, ['p'] = K_LETTER, ['q'] = K_LETTER,
    ['r'] = K_LETTER, ['s'] = K_LETTER, ['t'] = K_LETTER, ['u'] = K_LETTER, ['v'] = K_LETTER,
    ['w'] = K_LETTER, ['x'] = K_LETTER, ['y'] = K_LETTER, ['z'] = K_LETTER, ['A'] = K_LETTER,
    ['B'] = K_LETTER, ['C'] = K_LETTER, ['D'] = K_LETTER, ['E'] = K_LETTER, ['F'] = K_LETTER,
    ['G'] = K_LETTER, ['H'] = K_LETTER, ['I'] = K_LETTER, ['J'] = K_LETTER, ['K'] = K_LETTER,
    ['L'] = K_LETTER, ['M'] = K_LETTER, ['N'] = K_LETTER, ['O'] = K_LETTER, ['P'] = K_LETTER,
    ['Q'] = K_LETTER, ['R'] = K_LETTER, ['S'] = K_LETTER, ['T'] = K_LETTER, ['U'] = K_LETTER,
    ['V'] = K_LETTER, ['W'] = K_LETTER, ['X'] = K_LETTER, ['Y'] = K_LETTER, ['Z'] = K_LETTER,
};

/* The rolling n-gram hashes: the last code point's and the last bigram's key times the
 * multiplier (fz__model_slot), and the position (counted up to LEAD_CHARS). */
struct roll {
    uint64_t h1, h2;
    uint32_t pos;
};

#define SM_GRAM1 (S_GRAM1 * FZ__MODEL_MUL)
#define SM_GRAM2 (S_GRAM2 * FZ__MODEL_MUL)
#define SM_GRAM3 (S_GRAM3 * FZ__MODEL_MUL)
#define SM_LEAD (S_LEAD * FZ__MODEL_MUL)

/* The 1-, 2- and 3-grams ending with the folded code point f (keys f, prev << 21 | f and
 * prev2 << 42 | prev << 21 | f, hashed by rolling), and for the first characters the opening
 * grams (the 2- or 3-gram key again). */
__attribute__((always_inline)) static inline void grams(struct fctx *c, struct roll *r, uint32_t f)
{
    uint64_t h = f * FZ__MODEL_MUL, h2 = (r->h1 << 21) + h, h3 = (r->h2 << 21) + h;
    r->h1 = h;
    r->h2 = h2;
    add_hash(c, h + SM_GRAM1);
    if (r->pos >= LEAD_CHARS) {
        add_hash(c, h2 + SM_GRAM2);
        add_hash(c, h3 + SM_GRAM3);
        return;
    }
    if (r->pos >= 2) {
        add_hash(c, h2 + SM_GRAM2);
        add_hash(c, h3 + SM_GRAM3);
        add_hash(c, h3 + SM_LEAD); /* how the message opens */
    } else if (r->pos == 1) {
        add_hash(c, h2 + SM_GRAM2);
        add_hash(c, h2 + SM_LEAD);
    }
    r->pos++;
}

/* The features of the runs that end at a character: a digit run's length, and a Latin word
 * with the pair it makes with the word before. */
__attribute__((always_inline)) static inline void
end_runs(struct fctx *c, size_t digits, size_t wordlen, uint64_t word, uint64_t prev_word)
{
    if (digits)
        add(c, S_DIGITS, digits > 24 ? 24 : digits);
    if (wordlen > 1) {
        add(c, S_WORD, word);
        if (prev_word)
            add(c, S_WORD2, prev_word * 0x9E3779B97F4A7C15u ^ word);
    }
}

/* Character n-grams, digit runs, Latin words and word pairs of the normalized text, in one
 * pass over its bytes. The n-gram hashes roll (struct roll), a4 holds the last four folded
 * characters when they are ASCII. A pair is two words separated by nothing but spaces and
 * , ' - ". Non-ASCII characters other than U+3000 (Chinese, mostly) take a short path: they
 * end any digit run, word and pair. is_capped: check the cap (a constant where inlined; a
 * short text cannot reach it). */
__attribute__((always_inline)) static inline void
text_features(struct fctx *ctx, const struct fz_text *t, bool is_capped)
{
    /* a copy the compiler can keep in registers: the stores into slot[] cannot alias it */
    struct fctx local = *ctx, *c = &local;
    const unsigned char *start = (const unsigned char *)t->ptr, *p = start, *end = p + t->len;
    struct roll r = {0};
    uint64_t word = 0, prev_word = 0;
    uint32_t a4 = 0, prev_f = 0, arun = 0;
    size_t wordlen = 0, digits = 0, xleft = 0;
    while (p < end && (!is_capped || c->n < c->cap)) {
        const unsigned char *at = p;
        uint32_t cp = *p, k;
        if (cp >= 0x80) {
            cp = next_cp(&p, end);
            if (cp != 0x3000) {
                c->han += is_han(cp);
                prev_f = cp;
                grams(c, &r, cp);
                arun = 0;
                if (__builtin_expect((digits | wordlen) != 0, 0)) {
                    end_runs(c, digits, wordlen, word, prev_word);
                    digits = 0;
                    word = 0;
                    wordlen = 0;
                }
                prev_word = 0;
                continue;
            }
            k = K_BREAK;
        } else {
            p++;
            k = ascii_class[cp];
            if (cp == 'x' && !xleft) {
                size_t n = 1;
                while (at + n < end && at[n] == 'x')
                    n++;
                if (is_masked_number(start, at, n, end))
                    xleft = n;
            }
            if (xleft) {
                k = K_DIGIT;
                xleft--;
            }
        }
        if (k == K_DIGIT && digits >= 5) {
            /* the sixth digit of a run on: its n-grams (0, 00, 000, 0000, and the opening
             * 000) have all been met twice already, so it adds nothing but its length */
            digits++;
            r.pos += r.pos < LEAD_CHARS;
            continue;
        }
        uint32_t f = k == K_DIGIT ? '0' : k >= K_SPACE ? ' ' : cp;
        if (f == ' ' && prev_f == ' ')
            continue; /* a run of whitespace is one space */
        prev_f = f;
        grams(c, &r, f);
        /* ASCII 4-grams (f is ASCII here) */
        a4 = a4 << 8 | f;
        if (++arun >= 4)
            add(c, S_GRAM4, a4);
        /* digit runs, words and word pairs */
        if (k == K_DIGIT) {
            digits++;
        } else if (digits) {
            add(c, S_DIGITS, digits > 24 ? 24 : digits);
            digits = 0;
        }
        if (k == K_LETTER) {
            word = (word ^ (cp | 0x20u)) * 0x100000001B3u;
            wordlen++;
            c->latin++;
            continue;
        }
        if (wordlen > 1) {
            add(c, S_WORD, word);
            if (prev_word)
                add(c, S_WORD2, prev_word * 0x9E3779B97F4A7C15u ^ word);
            prev_word = word;
        }
        word = 0;
        wordlen = 0;
        if (k != K_SPACE && k != K_JOIN)
            prev_word = 0;
    }
    end_runs(c, digits, wordlen, word, prev_word);
    *ctx = local;
}

/* floor(log2(v + 1)), at most 15: a coarse magnitude bucket. */
static uint64_t log2_bucket(uint64_t v)
{
    if (v >= 0xFFFF)
        return 15;
    return (uint64_t)(63 - __builtin_clzll(v + 1));
}

static void entity_features(struct fctx *c, const struct fz_entities *e)
{
    for (int k = 0; k < FZ_ENT__COUNT; k++)
        if (e->count[k])
            add_checked(c, FZ__MODEL_SEED(FAM_HAS_KIND), (uint64_t)k);
    for (size_t i = 0; i < e->count[FZ_ENT_PHONE]; i++) {
        const struct fz_phone *ph = &e->items[FZ_ENT_PHONE][i].phone;
        add_checked(c, FZ__MODEL_SEED(FAM_PHONE_CLASS), (uint64_t)ph->cls);
        for (unsigned b = 0; b < FZ_PHONE_FLAG_COUNT; b++)
            if (ph->flags & (1u << b))
                add_checked(c, FZ__MODEL_SEED(FAM_PHONE_FLAG), b);
    }
    for (size_t i = 0; i < e->count[FZ_ENT_URL]; i++) {
        const struct fz_url *u = &e->items[FZ_ENT_URL][i].url;
        for (unsigned b = 0; b < FZ_URL_FLAG_COUNT; b++)
            if (u->flags & (1u << b))
                add_checked(c, FZ__MODEL_SEED(FAM_URL_FLAG), b);
        if (!u->valid)
            add_checked(c, FZ__MODEL_SEED(FAM_URL_FLAG), 100);
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
        add_checked(c, FZ__MODEL_SEED(FAM_AMOUNT), b);
    }
}

static void obfuscation_features(struct fctx *c, const struct fz_text *t)
{
    const struct fz_text_undone *u = &t->undone;
    double o = t->obfuscation;
    uint64_t b = o <= 0 ? 0 : 1 + (uint64_t)(o >= 1 ? 9 : o * 10);
    add_checked(c, FZ__MODEL_SEED(FAM_OBFUSCATION), b);
    const uint32_t kinds[] = {u->fullwidth,  u->confusables, u->traditional, u->cn_numerals,
                              u->separators, u->zero_width,  u->emoji,       u->invalid_utf8};
    for (uint64_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (kinds[k])
            add_checked(c, FZ__MODEL_SEED(FAM_UNDONE), k << 8 | log2_bucket(kinds[k]));
    add_checked(c, FZ__MODEL_SEED(FAM_LENGTH), log2_bucket(u->chars));
}

/* The features of fz_model_features; with_heads, also the sums of the fraud and not-ham
 * weights over them into sum[2]. Inlined into each caller with constant with_heads (and
 * dim_bits, for the default dimension), so that the text loop of training carries no test of
 * it and the slot needs no folding at 2^18. */
__attribute__((always_inline)) static inline void
features(unsigned dim_bits, const struct fz_text *t, const struct fz_entities *ents,
         struct fz_model_scratch *s, bool with_heads, const int8_t *heads, int32_t *sum)
{
    if (s->stamp >= UINT16_MAX - 2) { /* wrapped: forget every mark */
        memset(s->seen, 0, ((size_t)1 << SEEN_BITS) * sizeof *s->seen);
        s->stamp = 0;
    }
    s->stamp = (uint16_t)(s->stamp + 2);
    struct fctx c = {.slot = s->slot,
                     .seen = s->seen,
                     .stamp = s->stamp,
                     .with_heads = with_heads,
                     .heads = heads,
                     .cap = s->cap,
                     .shift = 64 - dim_bits};
    /* a text too short to reach the cap (a character is a byte or more) needs no check */
    if (t->len <= (c.cap - HEADROOM) / PER_CHAR)
        text_features(&c, t, false);
    else
        text_features(&c, t, true);
    s->script = c.han > 0 && 4 * c.han >= c.latin ? FZ_MODEL_SCRIPT_HAN : FZ_MODEL_SCRIPT_OTHER;
    add_checked(&c, FZ__MODEL_SEED(FAM_SCRIPT), s->script);
    if (ents)
        entity_features(&c, ents);
    obfuscation_features(&c, t);
    s->nslot = c.n; /* at most cap + PER_CHAR */
    s->value = s->nslot ? 1.0f / sqrtf((float)s->nslot) : 1.0f;
    if (with_heads) {
        sum[0] = c.sum[0];
        sum[1] = c.sum[1];
    }
}

void fz_model_features(unsigned dim_bits, const struct fz_text *t, const struct fz_entities *ents,
                       struct fz_model_scratch *s)
{
    features(dim_bits, t, ents, s, false, NULL, NULL);
}

void fz__model_features_heads(unsigned dim_bits, const struct fz_text *t,
                              const struct fz_entities *ents, struct fz_model_scratch *s,
                              const int8_t *heads, int32_t *sum)
{
    if (dim_bits == FZ_MODEL_DIM_BITS_DEFAULT)
        features(FZ_MODEL_DIM_BITS_DEFAULT, t, ents, s, true, heads, sum);
    else
        features(dim_bits, t, ents, s, true, heads, sum);
}

unsigned fz_model_bucket(const struct fz_text *t, uint64_t seed, unsigned n)
{
    return (unsigned)(fz_hash_seed(t->ptr, t->len, seed) % n);
}
