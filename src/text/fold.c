/*
 * text/fold: the generated character tables seen one character at a time, for tools, tests
 * and the extractor (which asks which characters read as digits). The normalizer itself reads
 * the tables directly (normalize.c).
 */
#include "compat.h"

#include "text_int.h"

#include <string.h>

size_t fz_text_fold_char(uint32_t cp, char out[16])
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = FZ_UTF8_REPLACEMENT; /* what the normalizer makes of bytes that encode no scalar */
    const struct fz__text_prop *p = fz__text_lookup(cp);
    if (p->flags & FZ__TEXT_SAME)
        return fz_utf8_encode(cp, out);
    memcpy(out, fz__text_pool + p->fold, p->fold_len);
    return p->fold_len;
}

int fz_text_digit(uint32_t cp)
{
    if (cp > 0x10FFFF)
        return -1;
    const struct fz__text_prop *p = fz__text_lookup(cp);
    return p->digit == FZ__TEXT_NO_DIGIT ? -1 : (int)p->digit;
}
