/*
 * text/text_int.h: internals shared by the files of src/text (not API).
 *
 * The character tables are generated at build time by gen_tables.c (utf8proc, ICU, OpenCC)
 * into text_tables.c in the build directory. A code point is looked up in two steps:
 * fz__text_stage1 gives the page of its upper bits, fz__text_stage2 the property index of
 * its low 8 bits in that page; identical pages are stored once. A property says what the
 * character folds to, its class, and which kind of transform the fold is, so the runtime can
 * count what it undid. The runtime links none of the libraries the tables come from.
 */
#ifndef FZ_TEXT_INT_H
#define FZ_TEXT_INT_H

#include "fangzha/text.h"

/* The class of a character, taken from what it folds to (so a character and its fold always
 * share a class, which keeps the normalizer idempotent). A character that folds to several
 * (FZ__TEXT_MULTI) has the class of the first; the normalizer then looks at each of them. */
enum fz__text_class {
    FZ__TEXT_OTHER, /* anything else: punctuation, symbols, letters of other scripts */
    FZ__TEXT_LATIN, /* folds to ASCII letters */
    FZ__TEXT_DIGIT, /* folds to ASCII digits */
    FZ__TEXT_CJK,   /* Han ideographs (including the Chinese numerals) */
    FZ__TEXT_SEP,   /* punctuation that fraudsters insert between characters: - _ . / | ~ * */
    FZ__TEXT_SPACE, /* white space; folds to ' ' or, for line breaks, '\n' */
    FZ__TEXT_ZW,    /* zero-width, invisible and control characters: always removed */
    FZ__TEXT_EMOJI, /* emoji and their modifiers: always removed */
    FZ__TEXT_MARK,  /* combining marks of no script: removed with the letter they follow */
    FZ__TEXT_CLASS_COUNT
};

/* What kind of transform the fold is, for the counts of struct fz_text_undone. */
enum fz__text_kind {
    FZ__TEXT_KEPT,        /* unchanged, or a change that is not counted (case, punctuation) */
    FZ__TEXT_FULLWIDTH,   /* NFKC compatibility fold to a letter or digit */
    FZ__TEXT_CONFUSABLE,  /* a look-alike letter or digit made ASCII */
    FZ__TEXT_TRADITIONAL, /* a traditional character made simplified */
};

/* Property flags. */
#define FZ__TEXT_SAME 0x01u    /* the fold is the character itself */
#define FZ__TEXT_WEAK 0x02u    /* a numeral that is a digit only inside a run (一, ①, ○) */
#define FZ__TEXT_SPECIAL 0x04u /* a weak numeral that is rarely anything but a digit (幺, ①) */
#define FZ__TEXT_POSITIONAL 0x08u /* 十百千万亿: the numerals around it count, not spell */
#define FZ__TEXT_EMOJI_PART 0x10u /* joins an emoji sequence: ZWJ, variation selector, tag */
#define FZ__TEXT_RI 0x20u         /* regional indicator (flags come in pairs) */
#define FZ__TEXT_MULTI 0x40u      /* folds to several characters (⑩ to "10", ㎏ to "kg") */
#define FZ__TEXT_LINE_BREAK 0x80u /* white space that breaks lines */

/* One character property, 8 bytes. fold_len is 0 for removed characters. */
struct fz__text_prop {
    unsigned fold : 24;    /* offset of the fold's UTF-8 bytes in fz__text_pool */
    unsigned fold_len : 8; /* bytes of the fold, at most 16 */
    uint8_t cls;           /* enum fz__text_class */
    uint8_t kind;          /* enum fz__text_kind */
    uint8_t digit;         /* 0-9 in a run of numerals, FZ__TEXT_NO_DIGIT when none */
    uint8_t flags;         /* FZ__TEXT_* flags */
};

#define FZ__TEXT_NO_DIGIT 0xFFu

extern const uint16_t fz__text_stage1[0x1100];
extern const uint16_t fz__text_stage2[];
extern const struct fz__text_prop fz__text_props[];
extern const char fz__text_pool[];
/* The properties of ASCII again, one load away. */
extern const struct fz__text_prop fz__text_ascii[128];
/* Plain characters of U+4E00..U+9FFF, one bit each, and the property they share. */
extern const uint8_t fz__text_cjk_plain[(0xA000 - 0x4E00) / 8];
extern const struct fz__text_prop fz__text_cjk_plain_prop;

/* The property of cp, which must be <= 0x10FFFF. */
static inline const struct fz__text_prop *fz__text_lookup(uint32_t cp)
{
    if (cp < 0x80)
        return &fz__text_ascii[cp];
    return &fz__text_props[fz__text_stage2[(size_t)fz__text_stage1[cp >> 8] << 8 | (cp & 0xFFu)]];
}

/* The same, faster for the common CJK characters: a bitmap that stays in the first-level
 * cache instead of a page and a property that may not. */
static inline const struct fz__text_prop *fz__text_lookup_fast(uint32_t cp)
{
    uint32_t k = cp - 0x4E00;
    if (k < 0xA000 - 0x4E00 && (fz__text_cjk_plain[k >> 3] >> (k & 7) & 1))
        return &fz__text_cjk_plain_prop;
    return fz__text_lookup(cp);
}

/* The byte marking a removed byte of the normalized text until it is squeezed out; it never
 * occurs in valid UTF-8. */
#define FZ__TEXT_GONE 0xFFu

/* A gap (a run of separators and white space) is removed only when it is short: at most this
 * many separators, a run of white space counting as one. */
#define FZ__TEXT_GAP_MAX_SHAPE 4

/* Where the passes after the fold need to look, as the fold found it: each pass starts no
 * earlier than its `from` and starts nothing after its `to`. SIZE_MAX: nowhere. */
struct fz__text_hints {
    size_t digits_from;   /* the first digit group followed by a gap and another group */
    size_t digits_to;     /* the last group that follows a gap after a group */
    size_t letters_from;  /* the first of two single letters or digits one gap apart ... */
    size_t letters_to;    /* ... and the word after the last such pair */
    size_t numerals_from; /* the first group of numerals next to a Chinese numeral ... */
    size_t numerals_to;   /* ... and the last such numeral (0 when there is none) */
};

/*
 * The passes after the fold (gaps.c). The fold (normalize.c) has already collapsed white
 * space, trimmed the ends and removed the gaps between CJK characters. Each pass works on
 * t->ptr[0..t->len) in place, overwriting removed bytes with FZ__TEXT_GONE, counts into
 * t->undone, and returns true when it changed something; fz__text_squeeze then drops the
 * removed bytes with their map entries. from and to come from struct fz__text_hints.
 */
bool fz__text_join_digits(struct fz_text *t, size_t from, size_t to);
bool fz__text_join_letters(struct fz_text *t, size_t from, size_t to);
bool fz__text_numerals(struct fz_text *t, size_t from, size_t to);
void fz__text_squeeze(struct fz_text *t);

#endif
