/*
 * fangzha text: the normalization pipeline for Chinese and mixed text (signal layer).
 *
 * What the engines see is not what the sender typed: fullwidth forms are folded, case is
 * folded, confusable Latin/Cyrillic/Greek letters become their Latin skeleton (Unicode TR39),
 * traditional characters become simplified, runs of Chinese numerals and circled digits become
 * ASCII digits, and separators inserted between characters are removed. Every byte of the
 * result maps back to the original bytes it came from, and the pipeline counts what it undid:
 * that "obfuscation" score is itself a fraud signal. The tables come from utf8proc, ICU and
 * OpenCC at build time; the hot path calls none of them.
 */
#ifndef FANGZHA_TEXT_H
#define FANGZHA_TEXT_H

#include "fangzha/core.h"

/* What the normalizer undid, counted in original characters. */
struct fz_text_undone {
    uint32_t chars;        /* code points read from the original */
    uint32_t fullwidth;    /* fullwidth / compatibility forms folded (NFKC) */
    uint32_t confusables;  /* non-Latin letters mapped to a Latin skeleton */
    uint32_t traditional;  /* traditional characters made simplified */
    uint32_t cn_numerals;  /* Chinese numerals / circled digits turned into ASCII digits */
    uint32_t separators;   /* separator characters removed from between characters */
    uint32_t zero_width;   /* zero-width and other invisible characters removed */
    uint32_t emoji;        /* emoji removed as padding */
    uint32_t invalid_utf8; /* bytes replaced with U+FFFD */
};

/*
 * The normalized form of one text. ptr holds len bytes of valid UTF-8 followed by a NUL.
 * For each normalized byte i < len, orig_start[i]..orig_end[i] is the original byte range of
 * the character it came from (end exclusive), so a span [s, e) of the normalized text maps to
 * the original range [orig_start[s], orig_end[e - 1]). The arrays are owned by the struct.
 */
struct fz_text {
    char *ptr;
    size_t len;
    uint32_t *orig_start;
    uint32_t *orig_end;
    size_t cap; /* bytes allocated for ptr and entries in each map array */
    struct fz_text_undone undone;
    double obfuscation; /* 0 (nothing undone) .. 1, see fz_text_normalize */
};

/* Sets up an empty result. Nothing is allocated until the first normalize. */
void fz_text_init(struct fz_text *t);
/* Frees what the result holds; t may be reused after fz_text_init. NULL is fine. */
void fz_text_release(struct fz_text *t);

/*
 * Normalizes in[0..len) into t, reusing t's memory from earlier calls. Invalid UTF-8 is
 * replaced with U+FFFD and counted, never an error. The obfuscation score weighs what was
 * undone against the length of the text and saturates at 1.
 * Returns FZ_ETOOBIG when len > FZ_CAP_SMS_TEXT, FZ_ENOMEM; on error t holds an empty text.
 * Thread-safe: the tables are read-only; each thread uses its own t.
 */
fz_rc fz_text_normalize(const char *in, size_t len, struct fz_text *t);

/* Maps the normalized span [start, end) back to original byte offsets. end > start. */
void fz_text_span(const struct fz_text *t, size_t start, size_t end, size_t *orig_start,
                  size_t *orig_end);

/* Folds one code point the way the normalizer does for a single character (NFKC, case fold,
 * confusable skeleton, traditional → simplified), writing UTF-8 into out (up to 16 bytes);
 * returns the byte count (0 when the character is removed). For tools and tests. */
size_t fz_text_fold_char(uint32_t cp, char out[16]);

/* The ASCII digit 0-9 that cp reads as in a run of numerals (ASCII, fullwidth, 零〇一..九,
 * 壹贰..玖, 幺两拐洞勾, circled ①..⑨ and ⓪), or -1. */
int fz_text_digit(uint32_t cp);

#endif
