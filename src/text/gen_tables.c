/*
 * text/gen_tables: builds the character tables of the text normalizer at build time.
 *
 * A host program, not part of fz_text. It asks utf8proc (NFKC, case folding, NFD), ICU
 * (character properties, scripts, the TR39 confusable skeletons of uspoof) and OpenCC (t2s)
 * about every code point, and writes a C file with a two-level table (pages of 256 code
 * points, identical pages stored once) that the runtime reads without any of them.
 * docs/internals/text.md explains the rules; this file applies them.
 * Usage: gen_tables OUTPUT.c
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <opencc/opencc.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/uversion.h>
#include <utf8proc.h>

#include "text_int.h"

/* The classes, kinds and flags of text_int.h, under short names. */
enum {
    C_OTHER = FZ__TEXT_OTHER,
    C_LATIN = FZ__TEXT_LATIN,
    C_DIGIT = FZ__TEXT_DIGIT,
    C_CJK = FZ__TEXT_CJK,
    C_SEP = FZ__TEXT_SEP,
    C_SPACE = FZ__TEXT_SPACE,
    C_ZW = FZ__TEXT_ZW,
    C_EMOJI = FZ__TEXT_EMOJI,
    C_MARK = FZ__TEXT_MARK,
};
enum {
    K_KEPT = FZ__TEXT_KEPT,
    K_FULLWIDTH = FZ__TEXT_FULLWIDTH,
    K_CONFUSABLE = FZ__TEXT_CONFUSABLE,
    K_TRADITIONAL = FZ__TEXT_TRADITIONAL,
};
#define F_SAME FZ__TEXT_SAME
#define F_WEAK FZ__TEXT_WEAK
#define F_SPECIAL FZ__TEXT_SPECIAL
#define F_POSITIONAL FZ__TEXT_POSITIONAL
#define F_EMOJI_PART FZ__TEXT_EMOJI_PART
#define F_RI FZ__TEXT_RI
#define F_MULTI FZ__TEXT_MULTI
#define F_LINE_BREAK FZ__TEXT_LINE_BREAK
#define NO_DIGIT FZ__TEXT_NO_DIGIT

#define NCP 0x110000u
#define MAXF 16 /* code points (and bytes) of one fold */

/* A fold: up to MAXF code points. */
struct fold {
    int n;
    int32_t cp[MAXF];
};

/* What the generator decided for one code point. */
struct ent {
    uint8_t cls, kind, digit, flags;
    uint8_t n;    /* code points of the fold (0: removed) */
    uint32_t off; /* first code point of the fold in folds[] */
};

static struct ent *ents;
static int32_t *folds;
static size_t nfolds, capfolds;

static USpoofChecker *spoof;
static opencc_t t2s;

static void die(const char *what)
{
    fprintf(stderr, "gen_tables: %s\n", what);
    exit(1);
}

/* ---- small Unicode helpers ---------------------------------------------------------------- */

static bool is_ascii_alnum(int32_t c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static bool all_ascii_alnum(const struct fold *f)
{
    if (f->n == 0)
        return false;
    for (int i = 0; i < f->n; i++)
        if (!is_ascii_alnum(f->cp[i]))
            return false;
    return true;
}

static bool same_fold(const struct fold *a, const struct fold *b)
{
    return a->n == b->n && memcmp(a->cp, b->cp, (size_t)a->n * sizeof a->cp[0]) == 0;
}

static int script_of(int32_t c)
{
    UErrorCode err = U_ZERO_ERROR;
    int s = (int)uscript_getScript(c, &err);
    return U_FAILURE(err) ? USCRIPT_INVALID_CODE : s;
}

static bool is_letter_or_number(int32_t c)
{
    return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
}

static bool is_mark(int32_t c) { return (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0; }

/* Scripts whose look-alike letters are mapped to a Latin skeleton. */
static bool skeleton_script(int32_t c)
{
    switch (script_of(c)) {
    case USCRIPT_LATIN:
    case USCRIPT_GREEK:
    case USCRIPT_CYRILLIC:
    case USCRIPT_COMMON:
    case USCRIPT_ARMENIAN:
    case USCRIPT_CHEROKEE:
    case USCRIPT_COPTIC:
    case USCRIPT_LISU: return true;
    default: return false;
    }
}

static size_t utf8_len(const struct fold *f)
{
    size_t n = 0;
    for (int i = 0; i < f->n; i++)
        n += f->cp[i] < 0x80 ? 1 : f->cp[i] < 0x800 ? 2 : f->cp[i] < 0x10000 ? 3 : 4;
    return n;
}

/* Runs utf8proc_map with opts on one code point. Returns false when the result does not fit
 * a fold. */
static bool map_cp(int32_t cp, utf8proc_option_t opts, struct fold *out)
{
    utf8proc_uint8_t in[4], *dst = NULL;
    utf8proc_ssize_t n = utf8proc_encode_char(cp, in);
    utf8proc_ssize_t r = utf8proc_map(in, n, &dst, opts);
    if (r < 0)
        die("utf8proc_map failed");
    out->n = 0;
    bool ok = true;
    for (utf8proc_ssize_t i = 0; i < r;) {
        utf8proc_int32_t c;
        i += utf8proc_iterate(dst + i, r - i, &c);
        if (out->n == MAXF) {
            ok = false;
            break;
        }
        out->cp[out->n++] = c;
    }
    free(dst);
    return ok && utf8_len(out) <= MAXF;
}

/* A multi-character fold is only taken when it is all letters, numbers and marks: "kg" for
 * ㎏, "10" for ⑩, but not "1⁄2" for ½ or "(1)" for ⑴, nor "..." for …, which would turn
 * ordinary punctuation into separators. */
static bool acceptable(const struct fold *f)
{
    if (f->n == 1)
        return true;
    for (int i = 0; i < f->n; i++)
        if (!is_letter_or_number(f->cp[i]) && !is_mark(f->cp[i]))
            return false;
    return true;
}

/* ---- special classes ---------------------------------------------------------------------- */

struct numeral {
    int32_t cp;
    uint8_t digit, flags;
};

/* Chinese numerals: digits only where they form runs that read as numbers (gaps.c). */
static const struct numeral cn_numerals[] = {
    {0x96F6, 0, F_WEAK},             /* 零 */
    {0x3007, 0, F_WEAK},             /* 〇 */
    {0x25CB, 0, F_WEAK},             /* ○ */
    {0x4E00, 1, F_WEAK},             /* 一 */
    {0x4E8C, 2, F_WEAK},             /* 二 */
    {0x4E09, 3, F_WEAK},             /* 三 */
    {0x56DB, 4, F_WEAK},             /* 四 */
    {0x4E94, 5, F_WEAK},             /* 五 */
    {0x516D, 6, F_WEAK},             /* 六 */
    {0x4E03, 7, F_WEAK},             /* 七 */
    {0x516B, 8, F_WEAK},             /* 八 */
    {0x4E5D, 9, F_WEAK},             /* 九 */
    {0x58F9, 1, F_WEAK},             /* 壹 */
    {0x8D30, 2, F_WEAK},             /* 贰 */
    {0x53C1, 3, F_WEAK},             /* 叁 */
    {0x8086, 4, F_WEAK},             /* 肆 */
    {0x4F0D, 5, F_WEAK},             /* 伍 */
    {0x9646, 6, F_WEAK},             /* 陆 */
    {0x67D2, 7, F_WEAK},             /* 柒 */
    {0x634C, 8, F_WEAK},             /* 捌 */
    {0x7396, 9, F_WEAK},             /* 玖 */
    {0x4E24, 2, F_WEAK},             /* 两 */
    {0x5E7A, 1, F_WEAK | F_SPECIAL}, /* 幺 */
    {0x62D0, 7, F_WEAK | F_SPECIAL}, /* 拐 */
    {0x6D1E, 0, F_WEAK | F_SPECIAL}, /* 洞 */
    {0x52FE, 9, F_WEAK | F_SPECIAL}, /* 勾 */
};

/* 十百千万亿拾佰仟: next to these, numerals are positional, not spelled digit by digit. */
static const int32_t positional[] = {0x5341, 0x767E, 0x5343, 0x4E07,
                                     0x4EBF, 0x62FE, 0x4F70, 0x4EDF};

/* Circled and similar single digits: kept as they are (not NFKC-folded) and read as digits in
 * runs, like the Chinese numerals. Ranges of 9 or 10 consecutive code points. */
static int circled_digit(int32_t c)
{
    static const struct {
        int32_t first;
        int digit0;
        int count;
    } r[] = {
        {0x2460, 1, 9},  /* ①-⑨ */
        {0x2474, 1, 9},  /* ⑴-⑼ */
        {0x2488, 1, 9},  /* ⒈-⒐ */
        {0x24F5, 1, 9},  /* ⓵-⓽ */
        {0x2776, 1, 9},  /* ❶-❾ */
        {0x2780, 1, 9},  /* ➀-➈ */
        {0x278A, 1, 9},  /* ➊-➒ */
        {0x24EA, 0, 1},  /* ⓪ */
        {0x24FF, 0, 1},  /* ⓿ */
        {0x1F10B, 0, 2}, /* 🄋🄌 */
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (c >= r[i].first && c < r[i].first + r[i].count)
            return r[i].digit0 + (c - r[i].first);
    return -1;
}

/* Separators fraudsters put between characters (folded forms only). */
static bool is_sep(int32_t c)
{
    static const int32_t s[] = {
        '-',    '_',    '.',    '/',    '\\',   '|',    '~',    '*',    '#',
        '^',    0x00A6, 0x00B7, 0x2010, 0x2012, 0x2013, 0x2022, 0x2027, 0x203B,
        0x2043, 0x2044, 0x2212, 0x2215, 0x2219, 0x2223, 0x22C5, 0x25A0, 0x25A1,
        0x25C6, 0x25C7, 0x25CE, 0x25CF, 0x2605, 0x2606, 0x2E31, 0x301C, 0x30FB,
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (c == s[i])
            return true;
    return false;
}

/* The classes that do not depend on the fold; -1 for an ordinary character. */
static int special_class(int32_t c, uint8_t *flags)
{
    if (c >= 0xD800 && c <= 0xDFFF)
        return -1;
    if (u_hasBinaryProperty(c, UCHAR_WHITE_SPACE))
        return C_SPACE;
    if (u_charType(c) == U_CONTROL_CHAR)
        return C_ZW;
    if (c >= 0x80 && u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC))
        return C_EMOJI;
    if (u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR)) {
        *flags |= F_RI;
        return C_EMOJI;
    }
    if (u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER)) {
        *flags |= F_EMOJI_PART;
        return C_EMOJI;
    }
    if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
        u_charType(c) == U_FORMAT_CHAR || c == 0x2800 /* braille blank */) {
        if (c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0020 && c <= 0xE007F) ||
            (c >= 0xE0100 && c <= 0xE01EF))
            *flags |= F_EMOJI_PART;
        return C_ZW;
    }
    if ((u_charType(c) == U_NON_SPACING_MARK || u_charType(c) == U_ENCLOSING_MARK) &&
        script_of(c) == USCRIPT_INHERITED)
        return C_MARK;
    return -1;
}

/* ---- confusable skeletons ----------------------------------------------------------------- */

/* The skeleton of ASCII letters and digits, to map a look-alike back to what it imitates.
 * Upper-case look-alikes prefer upper-case ASCII (Cyrillic І is I, so i, not l). */
struct skel {
    char key[64];
    int32_t to;
};
static struct skel skel_lower[26], skel_upper[26], skel_digit[10];

static void skeleton_utf8(const UChar *s, int32_t n, char *out, size_t cap)
{
    UChar buf[64];
    UErrorCode err = U_ZERO_ERROR;
    int32_t k = uspoof_getSkeleton(spoof, 0, s, n, buf, 64, &err);
    out[0] = '\0';
    if (U_FAILURE(err) || k >= 64)
        return;
    size_t o = 0;
    for (int32_t i = 0; i < k;) {
        UChar32 c;
        U16_NEXT(buf, i, k, c);
        utf8proc_uint8_t e[4];
        utf8proc_ssize_t m = utf8proc_encode_char(c, e);
        if (o + (size_t)m + 1 > cap)
            return;
        memcpy(out + o, e, (size_t)m);
        o += (size_t)m;
    }
    out[o] = '\0';
}

static void skeleton_of(const struct fold *f, char *out, size_t cap)
{
    UChar s[2 * MAXF];
    int32_t n = 0;
    for (int i = 0; i < f->n; i++) {
        UBool bad = false;
        U16_APPEND(s, n, 2 * MAXF, f->cp[i], bad);
        if (bad)
            die("U16_APPEND");
    }
    skeleton_utf8(s, n, out, cap);
}

static void init_skeletons(void)
{
    for (int i = 0; i < 26; i++) {
        struct fold f = {1, {'a' + i}};
        skeleton_of(&f, skel_lower[i].key, sizeof skel_lower[i].key);
        skel_lower[i].to = 'a' + i;
        f.cp[0] = 'A' + i;
        skeleton_of(&f, skel_upper[i].key, sizeof skel_upper[i].key);
        skel_upper[i].to = 'a' + i;
    }
    for (int i = 0; i < 10; i++) {
        struct fold f = {1, {'0' + i}};
        skeleton_of(&f, skel_digit[i].key, sizeof skel_digit[i].key);
        skel_digit[i].to = '0' + i;
    }
}

static int32_t find_skel(const struct skel *t, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].key, key) == 0)
            return t[i].to;
    return 0;
}

/* The ASCII letter (for a letter) or digit (for a number) whose skeleton f shares, or 0. */
static int32_t skeleton_match(const struct fold *f, bool upper, bool number)
{
    char key[64];
    skeleton_of(f, key, sizeof key);
    if (!key[0])
        return 0;
    if (number)
        return find_skel(skel_digit, 10, key);
    int32_t to = find_skel(upper ? skel_upper : skel_lower, 26, key);
    return to ? to : find_skel(upper ? skel_lower : skel_upper, 26, key);
}

/* ---- one step of folding ------------------------------------------------------------------ */

/* f without its combining marks, after canonical decomposition. */
static void strip_marks(const struct fold *f, struct fold *out)
{
    out->n = 0;
    for (int i = 0; i < f->n; i++) {
        struct fold d;
        if (!map_cp(f->cp[i], UTF8PROC_DECOMPOSE | UTF8PROC_STABLE, &d))
            d = (struct fold){1, {f->cp[i]}};
        for (int k = 0; k < d.n && out->n < MAXF; k++)
            if (!is_mark(d.cp[k]))
                out->cp[out->n++] = d.cp[k];
    }
}

/* A non-ASCII letter or number made ASCII: decimal digits by value, others by dropping
 * accents or by their confusable skeleton. Returns false when it stays as it is. */
static bool confusable(int32_t cp, struct fold *f)
{
    int8_t type = u_charType(cp);
    if (type == U_DECIMAL_DIGIT_NUMBER && u_charDigitValue(cp) >= 0) {
        *f = (struct fold){1, {'0' + u_charDigitValue(cp)}};
        return true;
    }
    if (!skeleton_script(cp))
        return false;
    struct fold s;
    strip_marks(f, &s);
    if (all_ascii_alnum(&s) && !(U_GET_GC_MASK(cp) & U_GC_N_MASK)) {
        *f = s;
        return true;
    }
    bool number = (U_GET_GC_MASK(cp) & U_GC_N_MASK) != 0;
    bool upper = type == U_UPPERCASE_LETTER || type == U_TITLECASE_LETTER;
    struct fold orig = {1, {cp}};
    int32_t to = skeleton_match(&orig, upper, number);
    if (!to)
        to = skeleton_match(f, false, number);
    if (!to && s.n)
        to = skeleton_match(&s, false, number);
    if (!to)
        return false;
    *f = (struct fold){1, {to}};
    return true;
}

/* Traditional → simplified for one Han character, through OpenCC's t2s. */
static int32_t simplified(int32_t c)
{
    utf8proc_uint8_t in[5];
    utf8proc_ssize_t n = utf8proc_encode_char(c, in);
    in[n] = '\0';
    char *out = opencc_convert_utf8(t2s, (const char *)in, (size_t)n);
    if (!out)
        die("opencc_convert_utf8 failed");
    utf8proc_int32_t s = -1;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)out, -1, &s);
    int32_t r = (k > 0 && out[k] == '\0' && s > 0) ? s : c;
    opencc_convert_utf8_free(out);
    return r;
}

/* One step of the fold of an ordinary character: NFKC + case fold, then confusables, then
 * t2s. Sets *kind. The result may need further steps (see fold_fix). */
static void fold_step(int32_t cp, struct fold *f, uint8_t *kind)
{
    struct fold nfkc;
    *kind = K_KEPT;
    if (cp >= 0xD800 && cp <= 0xDFFF) {
        *f = (struct fold){1, {cp}}; /* never decoded: invalid UTF-8 becomes U+FFFD */
        return;
    }
    if (cp < 0x80) {
        *f = (struct fold){1, {cp >= 'A' && cp <= 'Z' ? cp + 32 : cp}};
        return;
    }
    const utf8proc_option_t canon = UTF8PROC_COMPOSE | UTF8PROC_STABLE;
    bool compat = map_cp(cp, canon | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD, f) && acceptable(f);
    if (!compat && !(map_cp(cp, canon | UTF8PROC_CASEFOLD, f) && acceptable(f)))
        *f = (struct fold){1, {cp}};
    if (compat && map_cp(cp, canon | UTF8PROC_COMPAT, &nfkc) &&
        !same_fold(&nfkc, &(struct fold){1, {cp}}) && is_letter_or_number(f->cp[0]))
        *kind = K_FULLWIDTH;
    if (is_letter_or_number(cp) && !all_ascii_alnum(f) && confusable(cp, f))
        *kind = K_CONFUSABLE;
    if (f->n == 1 && script_of(f->cp[0]) == USCRIPT_HAN) {
        int32_t s = simplified(f->cp[0]);
        if (s != f->cp[0]) {
            f->cp[0] = s;
            *kind = K_TRADITIONAL;
        }
    }
}

/* ---- the whole table ---------------------------------------------------------------------- */

static uint32_t push_fold(const struct fold *f)
{
    if (nfolds + MAXF > capfolds) {
        capfolds = capfolds ? capfolds * 2 : 1 << 16;
        folds = realloc(folds, capfolds * sizeof *folds);
        if (!folds)
            die("out of memory");
    }
    uint32_t off = (uint32_t)nfolds;
    memcpy(folds + nfolds, f->cp, (size_t)f->n * sizeof *folds);
    nfolds += (size_t)f->n;
    return off;
}

static void get_fold(int32_t cp, struct fold *f)
{
    f->n = ents[cp].n;
    memcpy(f->cp, folds + ents[cp].off, (size_t)f->n * sizeof *folds);
}

static bool is_line_break(int32_t c)
{
    return (c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029;
}

/* Phase 1: the special classes, and one fold step for everything else. Ordinary characters
 * get their class later, from their final fold. */
static void phase_step(int32_t cp)
{
    struct ent *e = &ents[cp];
    struct fold f = {1, {cp}};
    e->digit = NO_DIGIT;
    int sc = special_class(cp, &e->flags);
    int d = circled_digit(cp);
    if (sc == C_SPACE) {
        f.cp[0] = is_line_break(cp) ? '\n' : ' ';
        e->cls = C_SPACE;
        e->flags |= is_line_break(cp) ? F_LINE_BREAK : 0;
    } else if (sc >= 0) {
        f.n = 0;
        e->cls = (uint8_t)sc;
    } else if (d >= 0) {
        e->cls = C_OTHER;
        e->digit = (uint8_t)d;
        e->flags |= F_WEAK | F_SPECIAL;
    } else {
        fold_step(cp, &f, &e->kind);
        e->cls = 0xFF; /* decided in phase_class */
    }
    e->n = (uint8_t)f.n;
    e->off = push_fold(&f);
}

/* Phase 2: repeats fold steps until every character of every fold folds to itself, dropping
 * characters that the normalizer removes. Returns true when something changed. */
static bool phase_fix(int32_t cp)
{
    struct ent *e = &ents[cp];
    struct fold f, out = {0};
    if (e->cls != 0xFF)
        return false;
    get_fold(cp, &f);
    for (int i = 0; i < f.n; i++) {
        int32_t c = f.cp[i];
        struct fold g;
        get_fold(c, &g);
        if (c == cp || (g.n == 1 && g.cp[0] == c)) {
            g = (struct fold){1, {c}};
        } else if (ents[c].cls != 0xFF && ents[c].cls != C_OTHER && ents[c].cls != C_SPACE) {
            g.n = 0; /* zero-width, emoji, mark: removed */
        } else if (ents[c].kind > e->kind) {
            e->kind = ents[c].kind;
        }
        if (out.n + g.n > MAXF) {
            out = (struct fold){1, {cp}};
            e->kind = K_KEPT;
            break;
        }
        memcpy(out.cp + out.n, g.cp, (size_t)g.n * sizeof g.cp[0]);
        out.n += g.n;
    }
    if (same_fold(&out, &f))
        return false;
    if (utf8_len(&out) > MAXF) {
        out = (struct fold){1, {cp}};
        e->kind = K_KEPT;
    }
    e->n = (uint8_t)out.n;
    e->off = push_fold(&out);
    return true;
}

static const struct numeral *find_numeral(int32_t c)
{
    for (size_t i = 0; i < sizeof cn_numerals / sizeof cn_numerals[0]; i++)
        if (cn_numerals[i].cp == c)
            return &cn_numerals[i];
    return NULL;
}

static bool is_positional(int32_t c)
{
    for (size_t i = 0; i < sizeof positional / sizeof positional[0]; i++)
        if (positional[i] == c)
            return true;
    return false;
}

/* Phase 3: the class, digit and flags of an ordinary character, from its final fold. */
static void phase_class(int32_t cp)
{
    struct ent *e = &ents[cp];
    struct fold f;
    get_fold(cp, &f);
    if (f.n == 1 && f.cp[0] == cp)
        e->flags |= F_SAME;
    if (e->cls != 0xFF)
        return;
    if (f.n == 0) {
        e->cls = C_ZW;
        return;
    }
    int32_t c = f.cp[0];
    if (c >= 'a' && c <= 'z')
        e->cls = C_LATIN;
    else if (c >= '0' && c <= '9')
        e->cls = C_DIGIT;
    else if (script_of(c) == USCRIPT_HAN)
        e->cls = C_CJK;
    else if (f.n == 1 && is_sep(c))
        e->cls = C_SEP;
    else
        e->cls = C_OTHER;
    if (f.n != 1) {
        e->flags |= F_MULTI;
        return;
    }
    const struct numeral *num = find_numeral(c);
    if (c >= '0' && c <= '9')
        e->digit = (uint8_t)(c - '0');
    else if (num) {
        e->digit = num->digit;
        e->flags |= num->flags;
    }
    if (is_positional(c))
        e->flags |= F_POSITIONAL;
}

/* Phase 4: the invariants the runtime relies on for idempotence. */
static void phase_check(int32_t cp)
{
    const struct ent *e = &ents[cp];
    struct fold f;
    get_fold(cp, &f);
    if (e->flags & F_SAME || f.n == 0)
        return;
    for (int i = 0; i < f.n; i++) {
        const struct ent *x = &ents[f.cp[i]];
        if (!(x->flags & F_SAME) || x->cls == C_ZW || x->cls == C_EMOJI || x->cls == C_MARK) {
            fprintf(stderr, "gen_tables: U+%04X folds to U+%04X, which is not stable\n",
                    (unsigned)cp, (unsigned)f.cp[i]);
            exit(1);
        }
    }
    const struct ent *x = &ents[f.cp[0]];
    if (f.n == 1 && (x->cls != e->cls || x->digit != e->digit ||
                     (x->flags & ~F_SAME) != (e->flags & ~F_SAME))) {
        fprintf(stderr, "gen_tables: U+%04X and its fold U+%04X differ in class\n", (unsigned)cp,
                (unsigned)f.cp[0]);
        exit(1);
    }
}

/* ---- output ------------------------------------------------------------------------------- */

/* A property as the runtime stores it, with its fold bytes. */
struct prop {
    char bytes[MAXF];
    uint8_t len, cls, kind, digit, flags;
};

static struct prop *props;
static size_t nprops;
static uint32_t *prop_hash; /* open addressing, index + 1, 0 = empty */
#define PROP_HASH_SIZE (1u << 18)

static uint32_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 16777619u;
    return h;
}

static uint16_t intern_prop(const struct prop *p)
{
    uint32_t h = hash_bytes(p, sizeof *p) & (PROP_HASH_SIZE - 1);
    for (;; h = (h + 1) & (PROP_HASH_SIZE - 1)) {
        uint32_t k = prop_hash[h];
        if (!k)
            break;
        if (memcmp(&props[k - 1], p, sizeof *p) == 0)
            return (uint16_t)(k - 1);
    }
    if (nprops == 0xFFFF)
        die("more than 65535 distinct properties");
    props[nprops] = *p;
    prop_hash[h] = (uint32_t)++nprops;
    return (uint16_t)(nprops - 1);
}

static uint16_t prop_of(int32_t cp)
{
    const struct ent *e = &ents[cp];
    struct prop p;
    memset(&p, 0, sizeof p);
    p.cls = e->cls, p.kind = e->kind, p.digit = e->digit, p.flags = e->flags;
    if (!(e->flags & F_SAME)) {
        for (int i = 0; i < e->n; i++)
            p.len = (uint8_t)(p.len + utf8proc_encode_char(folds[e->off + (uint32_t)i],
                                                           (utf8proc_uint8_t *)p.bytes + p.len));
    }
    return intern_prop(&p);
}

static void write_prop(FILE *out, const struct prop *p, uint32_t off)
{
    fprintf(out, "    {%u, %u, %u, %u, %u, 0x%02x},\n", off, p->len, p->cls, p->kind, p->digit,
            p->flags);
}

static void write_pool(FILE *out, uint32_t *offs)
{
    fprintf(out, "const char fz__text_pool[] =\n    \"");
    uint32_t off = 0;
    int col = 0;
    for (size_t i = 0; i < nprops; i++) {
        offs[i] = off;
        for (int k = 0; k < props[i].len; k++, off++) {
            fprintf(out, "\\%03o", (unsigned char)props[i].bytes[k]);
            if (++col == 24) {
                fprintf(out, "\"\n    \"");
                col = 0;
            }
        }
    }
    fprintf(out, "\";\n\n");
    if (off >= (1u << 24))
        die("fold pool over 16 MiB");
}

/* The plain CJK characters of U+4E00..U+9FFF (their own fold, nothing to count, no numeral:
 * most of them) as a bitmap small enough for the first-level cache, with the one property
 * they share. */
static void write_cjk_plain(FILE *out)
{
    uint16_t plain = prop_of(0x4E2D); /* 中 */
    const struct prop *p = &props[plain];
    if (p->flags != F_SAME || p->cls != C_CJK || p->kind != K_KEPT || p->digit != NO_DIGIT)
        die("U+4E2D is not a plain CJK character");
    fprintf(out,
            "const struct fz__text_prop fz__text_cjk_plain_prop = {0, 0, %u, %u, %u, 0x%02x};\n\n",
            p->cls, p->kind, p->digit, p->flags);
    fprintf(out, "const uint8_t fz__text_cjk_plain[(0xA000 - 0x4E00) / 8] = {");
    for (int32_t cp = 0x4E00; cp < 0xA000; cp += 8) {
        unsigned bits = 0;
        for (int k = 0; k < 8; k++)
            bits |= (unsigned)(prop_of(cp + k) == plain) << k;
        fprintf(out, "%s0x%02x,", (cp - 0x4E00) % 128 ? " " : "\n    ", bits);
    }
    fprintf(out, "\n};\n\n");
}

static void write_tables(FILE *out)
{
    static uint16_t pages[NCP >> 8][256];
    static uint16_t stage1[NCP >> 8];
    size_t npages = 0;
    for (uint32_t pg = 0; pg < (NCP >> 8); pg++) {
        uint16_t page[256];
        for (uint32_t i = 0; i < 256; i++)
            page[i] = prop_of((int32_t)(pg << 8 | i));
        size_t k = 0;
        while (k < npages && memcmp(pages[k], page, sizeof page) != 0)
            k++;
        if (k == npages)
            memcpy(pages[npages++], page, sizeof page);
        stage1[pg] = (uint16_t)k;
    }
    uint32_t *offs = calloc(nprops, sizeof *offs);
    if (!offs)
        die("out of memory");
    write_pool(out, offs);
    write_cjk_plain(out);
    fprintf(out, "const struct fz__text_prop fz__text_props[%zu] = {\n", nprops);
    for (size_t i = 0; i < nprops; i++)
        write_prop(out, &props[i], offs[i]);
    fprintf(out, "};\n\nconst struct fz__text_prop fz__text_ascii[128] = {\n");
    for (int32_t c = 0; c < 128; c++)
        write_prop(out, &props[prop_of(c)], offs[prop_of(c)]);
    fprintf(out, "};\n\nconst uint16_t fz__text_stage1[0x1100] = {");
    for (uint32_t i = 0; i < (NCP >> 8); i++)
        fprintf(out, "%s%u,", i % 16 ? " " : "\n    ", stage1[i]);
    fprintf(out, "\n};\n\n/* %zu distinct pages */\nconst uint16_t fz__text_stage2[%zu] = {",
            npages, npages * 256);
    for (size_t k = 0; k < npages; k++)
        for (uint32_t i = 0; i < 256; i++)
            fprintf(out, "%s%u,", i % 16 ? " " : "\n    ", pages[k][i]);
    fprintf(out, "\n};\n");
    free(offs);
    fprintf(stderr, "gen_tables: %zu properties, %zu pages, %zu bytes of tables\n", nprops, npages,
            nprops * 8 + npages * 512 + sizeof stage1);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        die("usage: gen_tables OUTPUT.c");
    UErrorCode err = U_ZERO_ERROR;
    spoof = uspoof_open(&err);
    if (U_FAILURE(err))
        die("uspoof_open failed");
    t2s = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
    if (t2s == (opencc_t)-1)
        die("opencc_open(t2s.json) failed");
    ents = calloc(NCP, sizeof *ents);
    props = calloc(0x10000, sizeof *props);
    prop_hash = calloc(PROP_HASH_SIZE, sizeof *prop_hash);
    if (!ents || !props || !prop_hash)
        die("out of memory");
    init_skeletons();

    for (int32_t cp = 0; cp < (int32_t)NCP; cp++)
        phase_step(cp);
    int rounds = 0;
    for (bool changed = true; changed; rounds++) {
        if (rounds == 8)
            die("folds do not settle");
        changed = false;
        for (int32_t cp = 0; cp < (int32_t)NCP; cp++)
            changed |= phase_fix(cp);
    }
    for (int32_t cp = 0; cp < (int32_t)NCP; cp++)
        phase_class(cp);
    for (int32_t cp = 0; cp < (int32_t)NCP; cp++)
        phase_check(cp);

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *out = fopen(tmp, "w");
    if (!out)
        die("cannot write the output");
    fprintf(out,
            "/* text_tables.c: generated by src/text/gen_tables.c from utf8proc %s, ICU %s and\n"
            " * OpenCC t2s. Do not edit. */\n#include \"text_int.h\"\n\n",
            utf8proc_version(), U_ICU_VERSION);
    write_tables(out);
    if (fclose(out) != 0 || rename(tmp, argv[1]) != 0)
        die("cannot write the output");
    opencc_close(t2s);
    uspoof_close(spoof);
    free(ents);
    free(folds);
    free(props);
    free(prop_hash);
    return 0;
}
