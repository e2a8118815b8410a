/*
 * text/normalize: the normalization pipeline (signal layer).
 *
 * Two stages. The fold (this file) reads the input once: it repairs invalid UTF-8, looks every
 * character up in the generated tables and writes its fold with the original byte range of
 * each output byte, drops zero-width characters, emoji and stray combining marks, collapses
 * white space, and removes a gap as soon as it turns out to sit between two CJK characters.
 * Whatever needs to see further (digit groups written apart, single letters written apart,
 * runs of Chinese numerals) is left to the passes of gaps.c, which run in place on the folded
 * text, and only where the fold saw a reason to. Every pass only shrinks the text, so the
 * offset maps move along with the bytes. docs/internals/text.md has the rules and the
 * obfuscation score.
 */
#include "compat.h"

#include "text_int.h"

#include <string.h>

/* What an empty result points at before anything is allocated; never written. */
static const char empty_text[1];

void fz_text_init(struct fz_text *t)
{
    memset(t, 0, sizeof *t);
    t->ptr = (char *)empty_text;
}

void fz_text_release(struct fz_text *t)
{
    if (!t)
        return;
    if (t->ptr != empty_text)
        fz_free(t->ptr);
    fz_free(t->orig_start);
    fz_free(t->orig_end);
    fz_text_init(t);
}

/* Makes t an empty text, keeping its memory. */
static void set_empty(struct fz_text *t)
{
    t->len = 0;
    if (t->ptr != empty_text)
        t->ptr[0] = '\0';
    memset(&t->undone, 0, sizeof t->undone);
    t->obfuscation = 0;
}

/* Grows the text and both maps to at least need entries. On failure the arrays that did grow
 * stay grown but cap is unchanged, so t stays consistent. */
static fz_rc grow(struct fz_text *t, size_t need)
{
    if (need <= t->cap)
        return FZ_OK;
    size_t cap = t->cap ? t->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = fz_realloc(t->ptr != empty_text ? t->ptr : NULL, cap);
    if (!p)
        return FZ_ENOMEM;
    if (t->ptr == empty_text)
        p[0] = '\0';
    t->ptr = p;
    uint32_t *s = fz_realloc(t->orig_start, cap * sizeof *s);
    if (!s)
        return FZ_ENOMEM;
    t->orig_start = s;
    uint32_t *e = fz_realloc(t->orig_end, cap * sizeof *e);
    if (!e)
        return FZ_ENOMEM;
    t->orig_end = e;
    t->cap = cap;
    return FZ_OK;
}

/*
 * The state of the fold between characters. Besides the counts of emoji and zero-width
 * characters, the fold already does what needs no look-ahead: it collapses white space,
 * trims both ends, and removes a gap between two CJK characters as soon as the second one
 * arrives. It notes in hints where the later passes will have to look.
 */
struct fold {
    struct fz_text *t;
    size_t o;                         /* bytes written */
    const struct fz__text_prop *last; /* the last character written that is not in a gap */
    size_t group_start;               /* where the numerals that end with last start */
    size_t gap_start;                 /* where the current gap starts, when in_gap */
    unsigned gap_shape, gap_count;    /* its separators (a white space run counting one),
                                         and how many would count as removed */
    size_t chain_start, chain_end;    /* the first single letter or digit of a chain of them,
                                         one gap apart, and the start of the word after it */
    unsigned chain;                   /* single letters or digits in the chain */
    struct fz__text_hints hints;
    uint32_t pending; /* emoji since the last character: padding if a character follows */
    bool in_gap;
    bool after_char; /* the last output was a character, not white space */
    bool in_emoji;   /* inside an emoji sequence: joiners and selectors belong to it */
    bool joined;     /* the last code point was a ZWJ inside an emoji sequence */
    bool ri_open;    /* a regional indicator waits for the second half of its flag */
    bool calm;       /* none of the above is pending: characters take the fast path */
};

/* Counts an emoji (or part of one) that is removed. */
static void take_emoji(struct fold *f, const struct fz__text_prop *p)
{
    bool part = f->in_emoji && (f->joined || (p->flags & FZ__TEXT_EMOJI_PART) ||
                                ((p->flags & FZ__TEXT_RI) && f->ri_open));
    if (!part && f->after_char)
        f->pending++;
    f->ri_open = (p->flags & FZ__TEXT_RI) && !(part && f->ri_open);
    f->in_emoji = true;
    f->joined = false;
}

/* Handles a character that is removed (zero-width, emoji, mark). */
static void take_removed(struct fold *f, uint32_t cp, const struct fz__text_prop *p)
{
    switch (p->cls) {
    case FZ__TEXT_EMOJI: take_emoji(f, p); break;
    case FZ__TEXT_MARK:
        if (!f->in_emoji) /* a keycap or selector on an emoji is part of it */
            f->t->undone.confusables++;
        break;
    default:
        if (f->in_emoji && (p->flags & FZ__TEXT_EMOJI_PART)) {
            f->joined = cp == 0x200D;
        } else {
            f->t->undone.zero_width++;
            f->in_emoji = false;
        }
        break;
    }
}

/* Counts the transform of a written character; kind is enum fz__text_kind. */
static inline void count_kind(struct fz_text_undone *u, unsigned kind, uint32_t n)
{
    switch (kind) {
    case FZ__TEXT_FULLWIDTH: u->fullwidth += n; break;
    case FZ__TEXT_CONFUSABLE: u->confusables += n; break;
    case FZ__TEXT_TRADITIONAL: u->traditional += n; break;
    default: break;
    }
}

/* Counts what the fold of a written character undid, and the emoji it ends. */
static void take_kept(struct fold *f, const struct fz__text_prop *p)
{
    count_kind(&f->t->undone, p->kind, 1);
    if (p->cls == FZ__TEXT_SPACE) {
        f->after_char = false;
    } else {
        f->t->undone.emoji += f->pending;
        f->after_char = true;
    }
    f->pending = 0;
    f->in_emoji = f->joined = f->ri_open = false;
}

static bool is_numeral(const struct fz__text_prop *p) { return p->digit != FZ__TEXT_NO_DIGIT; }

static bool is_ascii_alnum(const struct fz__text_prop *p)
{
    return p->cls == FZ__TEXT_LATIN || p->cls == FZ__TEXT_DIGIT;
}

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* The numerals from `from` to the one written at `to` have a Chinese numeral among them: the
 * numerals pass must look there. */
static void note_numerals(struct fold *f, size_t from, size_t to)
{
    f->hints.numerals_from = min_size(f->hints.numerals_from, from);
    f->hints.numerals_to = to;
}

/* A separator or white space: part of a gap. White space is written as one ' ' per run,
 * none at the start. Returns false when nothing is to be written. */
static bool take_gap(struct fold *f, const struct fz__text_prop *p, bool is_line_break)
{
    if (p->cls == FZ__TEXT_SPACE && (f->o == 0 || f->t->ptr[f->o - 1] == ' '))
        return false;
    if (!f->in_gap) {
        f->in_gap = true;
        f->gap_start = f->o;
        f->gap_shape = f->gap_count = 0;
    }
    f->gap_shape++;
    f->gap_count += !is_line_break;
    return true;
}

/* A gap between two ASCII letters or digits: counts the single ones in a row ("w e c"), so
 * that the letters pass runs only when there may be three of them. */
static void take_word_gap(struct fold *f)
{
    const char *s = f->t->ptr;
    size_t w = f->gap_start - 1; /* the last letter before the gap */
    bool is_single =
        w == 0 || !((s[w - 1] >= 'a' && s[w - 1] <= 'z') || (s[w - 1] >= '0' && s[w - 1] <= '9'));
    if (!is_single) {
        f->chain = 0;
    } else if (w == f->chain_end && f->chain) {
        f->chain++;
    } else {
        f->chain = 1;
        f->chain_start = w;
    }
    f->chain_end = f->o;
    if (f->chain >= 2) {
        f->hints.letters_from = min_size(f->hints.letters_from, f->chain_start);
        f->hints.letters_to = f->o;
    }
}

/* Ends the gap before p: removes it between two CJK characters (returns true), or notes
 * what it may mean to the later passes. */
static bool end_gap(struct fold *f, const struct fz__text_prop *p)
{
    const struct fz__text_prop *last = f->last;
    if (last->cls == FZ__TEXT_CJK && p->cls == FZ__TEXT_CJK &&
        f->gap_shape <= FZ__TEXT_GAP_MAX_SHAPE) {
        f->o = f->gap_start;
        f->t->undone.separators += f->gap_count;
        return true;
    }
    if (is_numeral(last) && is_numeral(p)) {
        f->hints.digits_from = min_size(f->hints.digits_from, f->group_start);
        f->hints.digits_to = f->o;
    }
    if (is_ascii_alnum(last) && is_ascii_alnum(p))
        take_word_gap(f);
    return false;
}

/* A character that is not part of a gap, on the full path: ends the gap before it, and keeps
 * track of the groups of numerals. */
static void take_char(struct fold *f, const struct fz__text_prop *p)
{
    const struct fz__text_prop *last = f->last;
    bool is_adjacent = !f->in_gap || !last || end_gap(f, p);
    if (is_numeral(p)) {
        bool after_numeral = last && is_numeral(last);
        if (after_numeral && ((p->flags | last->flags) & FZ__TEXT_WEAK))
            note_numerals(f, f->group_start, f->o);
        if (!(after_numeral && is_adjacent))
            f->group_start = f->o;
    }
    f->in_gap = false;
    f->last = p;
}

/* Writes n bytes of b, all mapping to the original range [s, e). */
static inline void put(struct fold *f, const char *b, size_t n, uint32_t s, uint32_t e)
{
    struct fz_text *t = f->t;
    for (size_t k = 0; k < n; k++) {
        t->ptr[f->o + k] = b[k];
        t->orig_start[f->o + k] = s;
        t->orig_end[f->o + k] = e;
    }
    f->o += n;
}

/* Decodes the code point at *p (p < end) and advances *p: the common well-formed forms
 * inline, the rest (and every error) through fz_utf8_decode. */
static inline bool decode(const char **p, const char *end, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)*p;
    if (s[0] < 0x80) {
        *cp = s[0];
        *p += 1;
        return true;
    }
    if (s[0] >= 0xE1 && s[0] <= 0xEF && s[0] != 0xED && end - *p >= 3 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        *cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3Fu);
        *p += 3;
        return true;
    }
    return fz_utf8_decode(p, end, cp);
}

/* A character that folds to several: each of them is taken as the next run of the normalizer
 * will see it, all mapping to the original character. */
static void fold_multi(struct fold *f, const struct fz__text_prop *p, uint32_t s, uint32_t e)
{
    const char *b = fz__text_pool + p->fold, *end = b + p->fold_len;
    while (b < end) {
        const char *q = b;
        uint32_t cp;
        fz_utf8_decode(&b, end, &cp);
        take_char(f, fz__text_lookup(cp));
        put(f, q, (size_t)(b - q), s, e);
    }
}

/* Folds one character that is written (not removed). */
static void fold_char(struct fold *f, const char *q, size_t n, bool valid,
                      const struct fz__text_prop *p, uint32_t s, uint32_t e)
{
    take_kept(f, p);
    if (p->flags & FZ__TEXT_MULTI) {
        fold_multi(f, p, s, e);
        return;
    }
    if (p->cls == FZ__TEXT_SPACE || p->cls == FZ__TEXT_SEP) {
        if (!take_gap(f, p, (p->flags & FZ__TEXT_LINE_BREAK) != 0))
            return;
        if (p->cls == FZ__TEXT_SPACE) {
            put(f, " ", 1, s, e);
            return;
        }
    } else {
        take_char(f, p);
    }
    if (!valid) {
        f->t->undone.invalid_utf8++;
        put(f, "\xEF\xBF\xBD", 3, s, e);
    } else if (p->flags & FZ__TEXT_SAME) {
        put(f, q, n, s, e);
    } else {
        put(f, fz__text_pool + p->fold, p->fold_len, s, e);
    }
}

/* Whether u[0..end) starts with a plain character of U+4E00..U+9FFF (see
 * fz__text_cjk_plain): most of a Chinese text, so it is tested first and without a lookup. */
static inline bool is_plain_cjk(const unsigned char *u, const char *end)
{
    if (u[0] < 0xE4 || u[0] > 0xE9 || end - (const char *)u < 3 || (u[1] & 0xC0) != 0x80 ||
        (u[2] & 0xC0) != 0x80)
        return false;
    uint32_t k = ((uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3Fu));
    k -= 0x4E00;
    return k < 0xA000 - 0x4E00 && (fz__text_cjk_plain[k >> 3] >> (k & 7) & 1);
}

/* Writes the n bytes of b at out + o, all mapping to the original range [s, e). */
static inline void write_bytes(char *out, uint32_t *os, uint32_t *oe, size_t o, const char *b,
                               size_t n, uint32_t s, uint32_t e)
{
    if (n <= 3) { /* unrolled: as a loop, this becomes a call to memcpy */
        out[o] = b[0], os[o] = s, oe[o] = e;
        if (n > 1)
            out[o + 1] = b[1], os[o + 1] = s, oe[o + 1] = e;
        if (n > 2)
            out[o + 2] = b[2], os[o + 2] = s, oe[o + 2] = e;
        return;
    }
    for (size_t k = 0; k < n; k++)
        out[o + k] = b[k], os[o + k] = s, oe[o + k] = e;
}

/*
 * The fast path: folds characters that are neither gaps nor removed from in[p..end) while
 * nothing is pending and there is room, with the hot state in locals (the output is written
 * through char pointers, which the compiler must assume alias everything else). Returns where
 * it stopped: the end, or a character for the full path.
 */
static const char *fold_solid(struct fold *f, const char *in, const char *p, const char *end)
{
    struct fz_text *t = f->t;
    char *out = t->ptr;
    uint32_t *os = t->orig_start, *oe = t->orig_end;
    const struct fz__text_prop *last = f->last;
    size_t o = f->o, group_start = f->group_start, stop = t->cap - 17;
    uint32_t chars = 0;
    for (; p < end && o < stop; chars++) {
        const char *q = p;
        uint32_t cp, s = (uint32_t)(p - in);
        const struct fz__text_prop *pr;
        if (is_plain_cjk((const unsigned char *)p, end)) {
            write_bytes(out, os, oe, o, p, 3, s, s + 3);
            o += 3, p += 3;
            last = &fz__text_cjk_plain_prop;
            continue;
        }
        if (!decode(&p, end, &cp) || (pr = fz__text_lookup_fast(cp))->cls > FZ__TEXT_CJK ||
            (pr->flags & FZ__TEXT_MULTI)) {
            p = q;
            break;
        }
        if (pr->digit != FZ__TEXT_NO_DIGIT) {
            if (!last || last->digit == FZ__TEXT_NO_DIGIT)
                group_start = o;
            else if ((pr->flags | last->flags) & FZ__TEXT_WEAK)
                note_numerals(f, group_start, o);
        }
        uint32_t e = (uint32_t)(p - in);
        size_t n = (size_t)(p - q);
        if (!(pr->flags & FZ__TEXT_SAME))
            q = fz__text_pool + pr->fold, n = pr->fold_len;
        write_bytes(out, os, oe, o, q, n, s, e);
        o += n;
        if (pr->kind != FZ__TEXT_KEPT)
            count_kind(&t->undone, pr->kind, 1);
        last = pr;
    }
    if (chars) {
        f->o = o;
        f->last = last;
        f->group_start = group_start;
        f->after_char = true;
        t->undone.chars += chars;
    }
    return p;
}

/* Folds in[p..end) until the end or until the text may need to grow (17 bytes of room are
 * kept for the next character and the NUL). Returns where it stopped. */
static const char *fold_some(struct fold *f, const char *in, const char *p, const char *end)
{
    struct fz_text *t = f->t;
    while (p < end && t->cap - f->o > 17) {
        if (f->calm) {
            p = fold_solid(f, in, p, end);
            if (p == end || t->cap - f->o <= 17)
                break;
        }
        const char *q = p;
        uint32_t cp;
        bool valid = decode(&p, end, &cp);
        const struct fz__text_prop *pr = fz__text_lookup_fast(cp);
        t->undone.chars++;
        if (pr->cls >= FZ__TEXT_ZW)
            take_removed(f, cp, pr);
        else
            fold_char(f, q, (size_t)(p - q), valid, pr, (uint32_t)(q - in), (uint32_t)(p - in));
        f->calm = !f->in_gap && !f->pending && !f->in_emoji;
    }
    return p;
}

/*
 * The fold: in[0..len) into t->ptr with its maps; *hints gets where the gap passes need to
 * look. FZ_ENOMEM when the text could not grow.
 */
static fz_rc fold_all(const char *in, size_t len, struct fz_text *t, struct fz__text_hints *hints)
{
    const char *p = in, *end = in + len;
    struct fold f = {.t = t, .calm = true};
    f.hints.digits_from = f.hints.numerals_from = f.hints.letters_from = SIZE_MAX;
    while (p < end) {
        if (t->cap - f.o <= 17 && grow(t, f.o + 18) != FZ_OK)
            return FZ_ENOMEM;
        p = fold_some(&f, in, p, end);
    }
    if (f.o > 0 && t->ptr[f.o - 1] == ' ')
        f.o--;
    t->len = f.o;
    *hints = f.hints;
    return FZ_OK;
}

/*
 * The obfuscation score: what was undone, weighted, per character of the original, scaled so
 * that about one undone item in four characters saturates. The 8 in the denominator keeps a
 * short text with one oddity from scoring high. See docs/internals/text.md.
 */
static double score(const struct fz_text_undone *u)
{
    double w = 1.0 * u->fullwidth + 2.0 * u->confusables + 0.25 * u->traditional +
               1.0 * u->cn_numerals + 1.0 * u->separators + 2.0 * u->zero_width + 1.0 * u->emoji +
               2.0 * u->invalid_utf8;
    double s = 4.0 * w / ((double)u->chars + 8.0);
    return s < 1.0 ? s : 1.0;
}

fz_rc fz_text_normalize(const char *in, size_t len, struct fz_text *t)
{
    if (!t)
        return FZ_E(FZ_EINVAL);
    set_empty(t);
    if (!in && len)
        return FZ_E(FZ_EINVAL);
    if (len > FZ_CAP_SMS_TEXT)
        return FZ_E(FZ_ETOOBIG);
    struct fz__text_hints h;
    if (grow(t, len + len / 8 + 32) != FZ_OK || fold_all(in, len, t, &h) != FZ_OK) {
        set_empty(t);
        return FZ_E(FZ_ENOMEM);
    }
    bool changed = false;
    if (h.letters_from != SIZE_MAX) { /* first: it may merge groups of digits */
        changed |= fz__text_join_letters(t, h.letters_from, h.letters_to);
        h.numerals_from = min_size(h.numerals_from, h.letters_from);
    }
    if (h.digits_from != SIZE_MAX) {
        changed |= fz__text_join_digits(t, h.digits_from, h.digits_to);
        h.numerals_from = min_size(h.numerals_from, h.digits_from);
    }
    if (h.numerals_to != 0)
        changed |= fz__text_numerals(t, h.numerals_from, h.numerals_to);
    if (changed)
        fz__text_squeeze(t);
    t->ptr[t->len] = '\0';
    t->obfuscation = score(&t->undone);
    return FZ_OK;
}

void fz_text_span(const struct fz_text *t, size_t start, size_t end, size_t *orig_start,
                  size_t *orig_end)
{
    if (t->len == 0) {
        *orig_start = *orig_end = 0;
        return;
    }
    if (end > t->len)
        end = t->len;
    if (start >= end)
        start = end - 1;
    *orig_start = t->orig_start[start];
    *orig_end = t->orig_end[end - 1];
}
