/*
 * text/gaps: the passes that need to see more than one gap at a time, in this order: which
 * single letters written apart are one word, which digit groups written apart are one number
 * (both lose the separators between them), and which runs of Chinese numerals read as
 * digits. Last, the squeeze drops the bytes they removed.
 *
 * They run on the fold's output (normalize.c): valid UTF-8 in which every character is its
 * own fold, so its class is one table lookup away, with white space already collapsed to
 * single spaces and the gaps between CJK characters already gone. A "gap" is a maximal run
 * of separators and spaces. A pass removes whole gaps only, overwriting their bytes with
 * FZ__TEXT_GONE, and the passes after it look through those bytes as the next run of the
 * normalizer will. No gap is removed inside a word that looks like a URL. Every rule depends
 * only on what the next run would see again, which keeps normalize(normalize(x)) ==
 * normalize(x); the fuzzer (fuzz/fuzz_text.c) holds us to it. docs/internals/text.md has the
 * rules with examples.
 */
#include "compat.h"

#include "text_int.h"

#include <string.h>

/* The property of the character at t->ptr[i] and its byte length in *n; NULL for a gone byte
 * (then *n is 1). The folded text is valid UTF-8, so the lead byte gives the length. */
static inline const struct fz__text_prop *prop_at(const struct fz_text *t, size_t i, size_t *n)
{
    const unsigned char *s = (const unsigned char *)t->ptr + i;
    uint32_t cp;
    if (s[0] < 0x80) {
        *n = 1;
        cp = s[0];
    } else if (s[0] == FZ__TEXT_GONE) {
        *n = 1;
        return NULL;
    } else if (s[0] < 0xE0) {
        *n = 2;
        cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3Fu);
    } else if (s[0] < 0xF0) {
        *n = 3;
        cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3Fu);
    } else {
        *n = 4;
        cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
             (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3Fu);
    }
    return fz__text_lookup_fast(cp);
}

static bool is_gap(const struct fz__text_prop *p)
{
    return !p || p->cls == FZ__TEXT_SEP || p->cls == FZ__TEXT_SPACE;
}

static bool is_numeral(const struct fz__text_prop *p) { return p && p->digit != FZ__TEXT_NO_DIGIT; }

/* ---- gaps --------------------------------------------------------------------------------- */

/* One gap [start, end). */
struct gap {
    size_t end;
    unsigned shape; /* separators, a run of white space counting one; gone bytes none */
    char sep;       /* its separator if it has one kind of them ('-', '/', '.'; 1 for one
                       outside ASCII), ' ' for white space only, 0 for several kinds */
    bool has_dot;   /* a '.' among them */
    bool has_slash; /* a '/' among them */
};

/* Reads the gap that starts at i (possibly empty: then g->end == i). */
static void scan_gap(const struct fz_text *t, size_t i, struct gap *g)
{
    memset(g, 0, sizeof *g);
    g->sep = ' ';
    bool in_space = false;
    while (i < t->len) {
        size_t n;
        const struct fz__text_prop *p = prop_at(t, i, &n);
        if (!is_gap(p))
            break;
        if (p && p->cls == FZ__TEXT_SPACE) {
            g->shape += !in_space;
            in_space = true;
        } else if (p) {
            char c = n == 1 ? t->ptr[i] : '\x01';
            g->shape++;
            g->sep = g->sep == ' ' || g->sep == c ? c : 0;
            g->has_dot |= c == '.';
            g->has_slash |= c == '/';
            in_space = false;
        }
        i += n;
    }
    g->end = i;
}

static bool gap_joinable(const struct gap *g) { return g->shape <= FZ__TEXT_GAP_MAX_SHAPE; }

/* Removes the separators and spaces in [a, b), counting them as undone when `count`;
 * characters of other classes in the range are left alone. */
static void remove_gaps(struct fz_text *t, size_t a, size_t b, bool count)
{
    while (a < b) {
        size_t n;
        const struct fz__text_prop *p = prop_at(t, a, &n);
        if (p && is_gap(p)) {
            t->undone.separators += count;
            memset(t->ptr + a, FZ__TEXT_GONE, n);
        }
        a += n;
    }
}

/* ---- words that look like URLs ----------------------------------------------------------- */

/*
 * A word is a run of printable ASCII, removed bytes and numerals (which may yet become ASCII
 * digits: the word must be the same one whether they do or not). It is URL-like when it has
 * "://", starts with "www.", or has a '.' followed by two or more letters that end the word
 * or come before '/', ':', '?' or '#' (a host name, also that of an e-mail address). Only
 * these local patterns count: a join removes separators between letters or digits, so it
 * cannot make a word URL-like that was not (an '@' anywhere before a '.' would). Words are
 * found left to right as a pass asks about positions that never go backwards, so that every
 * byte is looked at a bounded number of times.
 */
struct url_words {
    size_t start, end; /* the last word found */
    size_t scan;       /* where to look for the next one */
    bool is_url;
};

/* Whether the character at i belongs to a word; its length goes to *n. */
static bool word_char(const struct fz_text *t, size_t i, size_t *n)
{
    unsigned char c = (unsigned char)t->ptr[i];
    if (c < 0x80 || c == FZ__TEXT_GONE) {
        *n = 1;
        return (c > 0x20 && c < 0x7F) || c == FZ__TEXT_GONE;
    }
    return is_numeral(prop_at(t, i, n));
}

static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

static bool url_like(const char *s, size_t n)
{
    if (n >= 4 && memcmp(s, "www.", 4) == 0)
        return true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/')
            return true;
        if (s[i] != '.')
            continue;
        size_t k = i + 1;
        while (k < n && is_lower(s[k]))
            k++;
        if (k - i - 1 >= 2 && (k == n || strchr("/:?#", s[k])))
            return true;
    }
    return false;
}

/* Starts looking for words at the start of the word around from, if any. */
static void url_words_init(struct url_words *w, const struct fz_text *t, size_t from)
{
    memset(w, 0, sizeof *w);
    size_t a = from, n;
    while (a > 0) {
        size_t p = a - 1;
        while (p > 0 && ((unsigned char)t->ptr[p] & 0xC0) == 0x80)
            p--;
        if (!word_char(t, p, &n))
            break;
        a = p;
    }
    w->scan = a;
}

/* Whether position i (never less than in the previous call) is in a URL-like word. */
static bool in_url(struct url_words *w, const struct fz_text *t, size_t i)
{
    while (w->end <= i && w->scan < t->len) {
        size_t a = w->scan, b, n;
        while (a < t->len && !word_char(t, a, &n))
            a += n;
        for (b = a; b < t->len && word_char(t, b, &n);)
            b += n;
        w->start = a;
        w->end = w->scan = b;
        w->is_url = url_like(t->ptr + a, b - a);
    }
    return w->is_url && i >= w->start && i < w->end;
}

/* ---- digits written apart ----------------------------------------------------------------- */

/* A group: a maximal run of characters that read as digits (ASCII digits, Chinese numerals,
 * circled digits). */
struct group {
    size_t start, end;
    unsigned n;     /* digits */
    unsigned value; /* its value when it is ASCII and at most 4 digits */
    bool is_ascii;
};

/* The group that starts at i. Bytes the letters pass removed do not split a group: the next
 * run of the normalizer will not see them either. */
static void scan_group(const struct fz_text *t, size_t i, struct group *g)
{
    memset(g, 0, sizeof *g);
    g->start = i;
    g->is_ascii = true;
    while (i < t->len) {
        size_t n, k = i;
        while (k < t->len && (unsigned char)t->ptr[k] == FZ__TEXT_GONE)
            k++;
        const struct fz__text_prop *p = k < t->len ? prop_at(t, k, &n) : NULL;
        if (!is_numeral(p))
            break;
        if (g->n < 4)
            g->value = g->value * 10 + p->digit;
        g->n++;
        g->is_ascii &= n == 1;
        i = k + n;
    }
    g->end = i;
    if (!g->is_ascii || g->n > 4)
        g->value = 0;
}

/* A run of groups joined by short gaps, and what decides whether it is one number. */
struct digit_run {
    size_t start, end;
    unsigned groups, digits, min_len, max_len, max_value;
    bool has_dot, all_dots, all_ascii, is_date;
    bool plain_format;    /* groups of 2+ digits, each gap one space or one '-': how numbers
                             are written ("138 1234 5678", "010-6512 3456"), not a disguise */
    struct group last[2]; /* the last two groups, for dates */
    char last_sep;        /* the separator between them */
};

static bool is_year(const struct group *g)
{
    return g->is_ascii && g->n == 4 && g->value >= 1900 && g->value <= 2099;
}

static bool in_range(const struct group *g, unsigned lo, unsigned hi)
{
    return g->is_ascii && g->n <= 2 && g->value >= lo && g->value <= hi;
}

static bool date_sep(char c) { return c == '-' || c == '/' || c == '.'; }

/* Whether groups a b c with separators s1 s2 read as a date: 2024-01-15, 15/01/2024,
 * 24.01.15. */
static bool is_date(const struct group *a, const struct group *b, const struct group *c, char s1,
                    char s2)
{
    if (is_year(a) && in_range(b, 1, 12) && in_range(c, 1, 31))
        return true;
    if (in_range(a, 1, 31) && in_range(b, 1, 31) && is_year(c))
        return true;
    return date_sep(s1) && s1 == s2 && a->is_ascii && a->n == 2 && in_range(b, 1, 12) &&
           in_range(c, 1, 31);
}

static void run_add(struct digit_run *r, const struct group *g, const struct gap *gap)
{
    if (r->groups == 0) {
        memset(r, 0, sizeof *r);
        r->start = g->start;
        r->min_len = g->n;
        r->all_dots = r->all_ascii = true;
        r->plain_format = g->n >= 2;
    } else {
        r->plain_format &= gap->shape == 1 && (gap->sep == ' ' || gap->sep == '-') && g->n >= 2;
        r->has_dot |= gap->has_dot;
        r->all_dots &= gap->sep == '.';
        if (r->groups >= 2 && is_date(&r->last[0], &r->last[1], g, r->last_sep, gap->sep))
            r->is_date = true;
        r->last[0] = r->last[1];
        r->last_sep = gap->sep;
    }
    r->last[1] = *g;
    r->groups++;
    r->digits += g->n;
    r->min_len = g->n < r->min_len ? g->n : r->min_len;
    r->max_len = g->n > r->max_len ? g->n : r->max_len;
    r->max_value = g->value > r->max_value ? g->value : r->max_value;
    r->all_ascii &= g->is_ascii;
    r->end = g->end;
}

/* An IPv4 address: four groups of at most three digits, at most 255, joined by dots. */
static bool is_ipv4(const struct digit_run *r)
{
    return r->groups == 4 && r->all_dots && r->all_ascii && r->max_len <= 3 && r->max_value <= 255;
}

/*
 * Whether a run of digit groups is one number written apart: 138 1234 5678, 138-1234-5678,
 * 010-12345678, 6222 0212 3456 7890. Not a date, not two numbers of a range (3-5, 100-200),
 * not a decimal (3.14) or an address (192.168.1.1), not a short code (5-2-1003).
 */
static bool run_is_number(const struct digit_run *r)
{
    if (r->groups < 2 || r->is_date)
        return false;
    if (r->has_dot)
        return r->groups >= 3 && r->min_len >= 3 && r->digits >= 7 && !is_ipv4(r);
    if (r->groups == 2)
        return r->max_len >= 7;
    return r->digits >= 7;
}

bool fz__text_join_digits(struct fz_text *t, size_t from, size_t to)
{
    struct url_words words;
    bool changed = false;
    size_t i = from;
    url_words_init(&words, t, from);
    while (i < t->len && i <= to) {
        size_t n;
        unsigned char c = (unsigned char)t->ptr[i];
        if (c < 0x80 && (c < '0' || c > '9')) {
            i++;
            continue;
        }
        const struct fz__text_prop *p = prop_at(t, i, &n);
        if (!is_numeral(p)) {
            i += n;
            continue;
        }
        struct group g;
        struct gap gap;
        struct digit_run run = {0};
        scan_group(t, i, &g);
        if (in_url(&words, t, g.start)) {
            i = g.end;
            continue;
        }
        run_add(&run, &g, NULL);
        for (;;) {
            scan_gap(t, run.end, &gap);
            if (gap.end == run.end || !gap_joinable(&gap) || gap.end == t->len ||
                !is_numeral(prop_at(t, gap.end, &n)))
                break;
            scan_group(t, gap.end, &g);
            if (in_url(&words, t, g.start))
                break;
            run_add(&run, &g, &gap);
        }
        if (run_is_number(&run)) {
            remove_gaps(t, run.start, run.end, !(run.plain_format && run.all_ascii));
            changed = true;
        }
        i = run.end;
    }
    return changed;
}

/* ---- single letters written apart --------------------------------------------------------- */

static bool is_alnum(char c) { return is_lower(c) || (c >= '0' && c <= '9'); }

/* The end of the ASCII letters and digits that start at i. */
static size_t word_end(const struct fz_text *t, size_t i)
{
    while (i < t->len && is_alnum(t->ptr[i]))
        i++;
    return i;
}

/*
 * Joins runs of single letters or digits written apart by short gaps when at least three of
 * them are letters: "w e c h a t", "w.e.c.h.a.t", "w e c h a t 1 2 3". Words of two or more
 * letters break a run, so "I am a boy" keeps its spaces; so does a '/', so "a/b/c" stays a
 * path; and "A-1 B-2" has too few letters to be a word written apart. A run does not start
 * right after a '.', which would make a host name ("x.h a t" to "x.hat") out of a word that
 * was not one, and so change what the next run of the normalizer protects.
 */
bool fz__text_join_letters(struct fz_text *t, size_t from, size_t to)
{
    struct url_words words;
    bool changed = false;
    size_t i = from;
    url_words_init(&words, t, from);
    while (i < t->len && i <= to) {
        if (!is_alnum(t->ptr[i])) {
            i++;
            continue;
        }
        size_t end = word_end(t, i);
        if (end != i + 1 || (i > 0 && t->ptr[i - 1] == '.') || in_url(&words, t, i)) {
            i = end; /* "x.h a t" must not become the host name "x.hat" */
            continue;
        }
        size_t start = i, last = i; /* the first and the last single of the run */
        unsigned letters = is_lower(t->ptr[i]);
        for (;;) {
            struct gap gap;
            scan_gap(t, last + 1, &gap);
            size_t j = gap.end;
            if (j == last + 1 || !gap_joinable(&gap) || gap.has_slash || j >= t->len ||
                !is_alnum(t->ptr[j]) || word_end(t, j) != j + 1 || in_url(&words, t, j))
                break;
            last = j;
            letters += is_lower(t->ptr[j]);
        }
        if (letters >= 3) {
            remove_gaps(t, start, last, true);
            changed = true;
        }
        i = last + 1;
    }
    return changed;
}

/* ---- Chinese numerals --------------------------------------------------------------------- */

/* A unit: numerals with nothing left between them but removed bytes. */
struct unit {
    size_t end;
    unsigned digits;
    unsigned weak;              /* Chinese numerals among the digits */
    bool first_weak, last_weak; /* the first, the last character is one */
    bool has_special, has_ascii;
};

static void scan_unit(const struct fz_text *t, size_t i, struct unit *u)
{
    memset(u, 0, sizeof *u);
    u->end = i;
    while (i < t->len) {
        size_t n;
        const struct fz__text_prop *p = prop_at(t, i, &n);
        if (p && !is_numeral(p))
            break;
        i += n;
        if (!p)
            continue;
        bool weak = (p->flags & FZ__TEXT_WEAK) != 0;
        if (u->digits == 0)
            u->first_weak = weak;
        u->last_weak = weak;
        u->digits++;
        u->weak += weak;
        u->has_special |= (p->flags & FZ__TEXT_SPECIAL) != 0;
        u->has_ascii |= n == 1;
        u->end = i;
    }
}

static bool is_positional(const struct fz__text_prop *p)
{
    return p && (p->flags & FZ__TEXT_POSITIONAL);
}

/*
 * Whether a unit of numerals reads as digits: with ASCII digits in it, from 4 characters when
 * it has two Chinese numerals or one of 幺拐洞勾 (138一二三四5678, 138幺2345678), or one
 * numeral inside 7 or more (138一2345678); with 幺拐洞勾 or circled digits, from 3 (幺幺零);
 * Chinese numerals alone, from 5 (一零零八六), unless 十百千万亿 next to them make them a
 * quantity. A lone 一, 三四个 or 一五一十 stay words, and so does one numeral at the edge of
 * a number or inside a short one (359一瓶, 2015四季, 唯一100%, 40一50元).
 */
static bool unit_is_number(const struct unit *u, const struct fz__text_prop *before,
                           const struct fz__text_prop *after)
{
    if (!u->weak)
        return false;
    if (u->has_ascii)
        return u->digits >= 4 && (u->weak >= 2 || u->has_special ||
                                  (u->digits >= 7 && !u->first_weak && !u->last_weak));
    if (u->has_special)
        return u->digits >= 3;
    return u->digits >= 5 && !is_positional(before) && !is_positional(after);
}

/* Turns the numerals of [a, b) into ASCII digits: the first byte of each becomes the digit
 * (keeping its map to the original numeral), the rest are removed. */
static void convert_unit(struct fz_text *t, size_t a, size_t b)
{
    while (a < b) {
        size_t n;
        const struct fz__text_prop *p = prop_at(t, a, &n);
        if (p && (p->flags & FZ__TEXT_WEAK)) {
            t->ptr[a] = (char)('0' + p->digit);
            memset(t->ptr + a + 1, FZ__TEXT_GONE, n - 1);
            t->undone.cn_numerals++;
        }
        a += n;
    }
}

bool fz__text_numerals(struct fz_text *t, size_t from, size_t to)
{
    const struct fz__text_prop *before = NULL; /* the last character kept before i */
    bool changed = false;
    size_t i = from, n;
    for (size_t k = from; k > 0 && !before; k--) {
        if ((unsigned char)t->ptr[k - 1] != FZ__TEXT_GONE && (t->ptr[k - 1] & 0xC0) != 0x80)
            before = prop_at(t, k - 1, &n);
    }
    while (i < t->len && i <= to) {
        unsigned char c = (unsigned char)t->ptr[i];
        if (c < 0x80 && (c < '0' || c > '9')) {
            before = &fz__text_ascii[c];
            i++;
            continue;
        }
        const struct fz__text_prop *p = prop_at(t, i, &n);
        if (!is_numeral(p)) {
            before = p ? p : before;
            i += n;
            continue;
        }
        struct unit u;
        scan_unit(t, i, &u);
        size_t k = u.end;
        while (k < t->len && (unsigned char)t->ptr[k] == FZ__TEXT_GONE)
            k++;
        const struct fz__text_prop *after = k < t->len ? prop_at(t, k, &n) : NULL;
        if (unit_is_number(&u, before, after)) {
            convert_unit(t, i, u.end);
            changed = true;
        }
        before = NULL;
        i = u.end;
    }
    return changed;
}

/* ---- squeeze ------------------------------------------------------------------------------ */

/* Drops the removed bytes and their map entries, moving the kept stretches between them. */
void fz__text_squeeze(struct fz_text *t)
{
    char *s = t->ptr;
    const char *gone = memchr(s, FZ__TEXT_GONE, t->len);
    if (!gone)
        return;
    size_t o = (size_t)(gone - s), i = o;
    while (i < t->len) {
        while (i < t->len && (unsigned char)s[i] == FZ__TEXT_GONE)
            i++;
        gone = memchr(s + i, FZ__TEXT_GONE, t->len - i);
        size_t j = gone ? (size_t)(gone - s) : t->len;
        memmove(s + o, s + i, j - i);
        memmove(t->orig_start + o, t->orig_start + i, (j - i) * sizeof *t->orig_start);
        memmove(t->orig_end + o, t->orig_end + i, (j - i) * sizeof *t->orig_end);
        o += j - i;
        i = j;
    }
    t->len = o;
}
