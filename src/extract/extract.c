/*
 * extract/extract: the public API and the main scan.
 *
 * fz_extract runs links.c (e-mail addresses, URLs) first, then walks the normalized text once:
 * a digit starts a run (runs.c), an ASCII letter a word (social.c: WeChat IDs), and 元 块 圆
 * end a possible amount in Chinese numerals (amounts.c). Entities collect in one arena array
 * per kind, in order of position, and get their original offsets from the normalizer's map.
 */
#include "compat.h"

#include "extract_int.h"

#include <string.h>

FZ_LOG_MODULE(extract);

static const char *const kind_keys[FZ_ENT__COUNT] = {
    [FZ_ENT_PHONE] = "phones",         [FZ_ENT_URL] = "urls",
    [FZ_ENT_EMAIL] = "emails",         [FZ_ENT_BANK_CARD] = "bank_cards",
    [FZ_ENT_ID_NUMBER] = "id_numbers", [FZ_ENT_QQ] = "qq",
    [FZ_ENT_WECHAT] = "wechat",        [FZ_ENT_AMOUNT] = "amounts_fen",
};

const char *fz_entity_kind_key(enum fz_entity_kind k)
{
    if ((unsigned)k >= FZ_ENT__COUNT)
        return "unknown";
    return kind_keys[k];
}

fz_rc fz_extractor_new(struct fz_extractor **out)
{
    struct fz_extractor *x = fz_calloc(1, sizeof *x);
    if (!x)
        return FZ_E(FZ_ENOMEM);
    fz_rc rc = fz_url_ctx_new(&x->url);
    if (rc != FZ_OK) {
        fz_free(x);
        return rc;
    }
    fz__extract_cue_index_build(&x->cues);
    *out = x;
    return FZ_OK;
}

void fz_extractor_free(struct fz_extractor *x)
{
    if (!x)
        return;
    fz_url_ctx_free(x->url);
    fz_free(x);
}

/* ---- helpers shared by the entity files ---- */

/* Whitespace, brackets and sentence punctuation; not the signs that glue a number to
 * something else (- / @ # $ % + = * _ ~ &). */
static bool is_space_or_punct(uint32_t cp)
{
    if (cp < 0x80)
        return cp <= ' ' || cp == '(' || cp == ')' || cp == '[' || cp == ']' || cp == '<' ||
               cp == '>' || cp == '"' || cp == '\'' || cp == ',' || cp == '.' || cp == ':' ||
               cp == ';' || cp == '!' || cp == '?' || cp == '{' || cp == '}' || cp == '|';
    return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF01 && cp <= 0xFF0F);
}

/* The code point that ends at normalized byte p (exclusive). */
static uint32_t cp_before(const char *t, size_t p)
{
    size_t s = p - 1;
    while (s > 0 && p - s < 4 && ((unsigned char)t[s] & 0xC0) == 0x80)
        s--;
    const char *q = t + s;
    uint32_t cp;
    fz_utf8_decode(&q, t + p, &cp);
    return cp;
}

bool fz__extract_edge(const struct fz__extract_state *st, size_t p, bool before)
{
    if (before ? p == 0 : p >= st->len)
        return true;
    uint32_t cp;
    if (before) {
        cp = cp_before(st->t, p);
        if (p < st->len && fz__extract_gap(st, p - 1))
            return true; /* something was removed between: whitespace or padding */
    } else {
        const char *q = st->t + p;
        fz_utf8_decode(&q, st->t + st->len, &cp);
        if (p > 0 && fz__extract_gap(st, p - 1))
            return true;
    }
    return is_space_or_punct(cp);
}

static fz_rc vec_grow(struct fz_arena *a, struct fz__vec *v)
{
    size_t cap = v->cap ? v->cap * 2 : 4;
    struct fz_entity *items = fz_arena_alloc(a, cap * sizeof *items);
    if (!items)
        return FZ_E(FZ_ENOMEM);
    if (v->n)
        memcpy(items, v->items, v->n * sizeof *items);
    v->items = items;
    v->cap = cap;
    return FZ_OK;
}

fz_rc fz__extract_push(struct fz__extract_state *st, enum fz_entity_kind kind, size_t s, size_t e,
                       const char *value, size_t vlen, struct fz_entity **out)
{
    if (out)
        *out = NULL;
    size_t os, oe;
    fz_text_span(st->norm, s, e, &os, &oe);
    if (FZ_NEVER(os >= oe || oe > st->orig_len))
        return FZ_OK;
    struct fz__vec *v = &st->vec[kind];
    if (v->n == v->cap) {
        fz_rc rc = vec_grow(st->a, v);
        if (rc != FZ_OK)
            return rc;
    }
    char *val = fz_arena_strndup(st->a, value, vlen);
    if (!val)
        return FZ_E(FZ_ENOMEM);
    struct fz_entity *ent = &v->items[v->n++];
    memset(ent, 0, sizeof *ent);
    ent->kind = kind;
    ent->start = os;
    ent->end = oe;
    ent->value = val;
    if (out)
        *out = ent;
    return FZ_OK;
}

/* ---- the main scan ---- */

/* Skips a span that links.c claimed when pos reaches it; returns the new position. */
static size_t skip_links(struct fz__extract_state *st, size_t pos, size_t *k)
{
    while (*k < st->nskip && pos >= st->skip[*k].start) {
        if (pos < st->skip[*k].end)
            pos = st->skip[*k].end;
        st->floor = pos;
        (*k)++;
    }
    return pos;
}

/* 元 (E5 85 83), 块 (E5 9D 97) or 圆 (E5 9C 86) at pos, which holds 0xE5. */
static bool yuan_at(const struct fz__extract_state *st, size_t pos)
{
    if (pos + 3 > st->len)
        return false;
    unsigned char b1 = (unsigned char)st->t[pos + 1], b2 = (unsigned char)st->t[pos + 2];
    return (b1 == 0x85 && b2 == 0x83) || (b1 == 0x9D && b2 == 0x97) || (b1 == 0x9C && b2 == 0x86);
}

/* What a byte may start: a digit run, a word, or (0xE5) 元 块 圆. Every other byte, including
 * all UTF-8 continuation bytes, is passed over in the tight loop of next_interesting. */
enum { B_NONE, B_DIGIT, B_ALPHA, B_E5 };
#define B_ALPHA4(x) [x] = B_ALPHA, [x + 1] = B_ALPHA, [x + 2] = B_ALPHA, [x + 3] = B_ALPHA
static const uint8_t byte_class[256] = {
    ['0'] = B_DIGIT, ['1'] = B_DIGIT, ['2'] = B_DIGIT, ['3'] = B_DIGIT, ['4'] = B_DIGIT,
    ['5'] = B_DIGIT, ['6'] = B_DIGIT, ['7'] = B_DIGIT, ['8'] = B_DIGIT, ['9'] = B_DIGIT,
    B_ALPHA4('A'),   B_ALPHA4('E'),   B_ALPHA4('I'),   B_ALPHA4('M'),   B_ALPHA4('Q'),
    B_ALPHA4('U'),   ['Y'] = B_ALPHA, ['Z'] = B_ALPHA, B_ALPHA4('a'),   B_ALPHA4('e'),
    B_ALPHA4('i'),   B_ALPHA4('m'),   B_ALPHA4('q'),   B_ALPHA4('u'),   ['y'] = B_ALPHA,
    ['z'] = B_ALPHA, [0xE5] = B_E5,
};

static size_t next_interesting(const char *t, size_t pos, size_t lim)
{
    while (pos < lim && byte_class[(unsigned char)t[pos]] == B_NONE)
        pos++;
    return pos;
}

static fz_rc scan(struct fz__extract_state *st)
{
    size_t pos = 0, k = 0;
    while (pos < st->len) {
        pos = skip_links(st, pos, &k);
        size_t lim = k < st->nskip ? st->skip[k].start : st->len;
        pos = next_interesting(st->t, pos, lim);
        if (pos >= lim)
            continue;
        size_t next = pos + 1;
        fz_rc rc = FZ_OK;
        switch (byte_class[(unsigned char)st->t[pos]]) {
        case B_DIGIT: {
            struct fz__run r;
            fz__extract_run_scan(st, pos, lim, &r);
            rc = fz__extract_run(st, &r, &next);
            break;
        }
        case B_ALPHA: rc = fz__extract_word(st, pos, lim, &next); break;
        default:
            if (yuan_at(st, pos)) {
                rc = fz__extract_cn_amount(st, pos);
                next = pos + 3;
            }
            break;
        }
        if (rc != FZ_OK)
            return rc;
        pos = next > pos ? next : pos + 1;
    }
    return FZ_OK;
}

static int cmp_start(const struct fz_entity *a, const struct fz_entity *b)
{
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

/* Entities come out in order of position already; this only guards that promise. */
static void sort_kind(struct fz__vec *v)
{
    for (size_t i = 1; i < v->n; i++) {
        if (cmp_start(&v->items[i - 1], &v->items[i]) <= 0)
            continue;
        struct fz_entity tmp = v->items[i];
        size_t j = i;
        while (j > 0 && cmp_start(&v->items[j - 1], &tmp) > 0) {
            v->items[j] = v->items[j - 1];
            j--;
        }
        v->items[j] = tmp;
    }
}

/* Field by field: a designated initializer would clear the whole struct with a slow string
 * store on every message. */
static void state_init(struct fz__extract_state *st, const struct fz_extractor *x,
                       const struct fz_text *norm, const char *orig, size_t orig_len,
                       struct fz_arena *a)
{
    st->x = x;
    st->norm = norm;
    st->t = norm->ptr;
    st->len = norm->len;
    st->orig = orig;
    st->orig_len = orig_len;
    st->a = a;
    for (size_t k = 0; k < FZ_ENT__COUNT; k++)
        st->vec[k] = (struct fz__vec){NULL, 0, 0};
    st->skip = NULL;
    st->nskip = st->skip_cap = 0;
    st->floor = 0;
}

fz_rc fz_extract(const struct fz_extractor *x, const struct fz_text *norm, const char *orig,
                 size_t orig_len, struct fz_arena *a, struct fz_entities *out)
{
    if (!out)
        return FZ_E(FZ_EINVAL);
    memset(out, 0, sizeof *out);
    if (!x || !norm || !a || (!orig && orig_len))
        return FZ_E(FZ_EINVAL);
    if (!norm->ptr || norm->len == 0 || orig_len == 0)
        return FZ_OK;
    struct fz__extract_state st;
    state_init(&st, x, norm, orig, orig_len, a);
    fz_rc rc = fz__extract_links(&st);
    if (rc == FZ_OK)
        rc = scan(&st);
    if (rc != FZ_OK) {
        fz_log(FZ_LOG_DEBUG, "extract failed: %s", fz_rc_name(rc));
        return rc;
    }
    for (size_t k = 0; k < FZ_ENT__COUNT; k++) {
        sort_kind(&st.vec[k]);
        out->items[k] = st.vec[k].items;
        out->count[k] = st.vec[k].n;
    }
    return FZ_OK;
}
