/*
 * fuzz_text: libFuzzer driver for the text normalizer (src/text).
 *
 * Asserts properties, not just "no crash": the result is valid UTF-8 and NUL-terminated,
 * every byte maps into the input with non-decreasing offsets (the bytes of one character
 * alike), the obfuscation score is in [0, 1], the counts add up, and normalizing the result
 * again changes nothing (normalize(normalize(x)) == normalize(x)).
 */
#include "fangzha/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_text: %s failed at line %d\n", #cond, __LINE__);                 \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_result(const struct fz_text *t, size_t in_len)
{
    CHECK(t->ptr[t->len] == '\0');
    CHECK(fz_utf8_valid(t->ptr, t->len));
    CHECK(t->obfuscation >= 0.0 && t->obfuscation <= 1.0);
    const struct fz_text_undone *u = &t->undone;
    CHECK(u->chars <= in_len);
    CHECK(u->invalid_utf8 <= u->chars && u->zero_width <= u->chars && u->emoji <= u->chars);
    CHECK(u->separators <= u->chars && u->cn_numerals <= u->chars);
    for (size_t i = 0; i < t->len; i++) {
        CHECK(t->orig_start[i] < t->orig_end[i]);
        CHECK(t->orig_end[i] <= in_len);
        if (i == 0)
            continue;
        CHECK(t->orig_start[i - 1] <= t->orig_start[i]);
        CHECK(t->orig_end[i - 1] <= t->orig_end[i]);
        if (((unsigned char)t->ptr[i] & 0xC0) == 0x80) {
            CHECK(t->orig_start[i - 1] == t->orig_start[i]);
            CHECK(t->orig_end[i - 1] == t->orig_end[i]);
        }
    }
    if (t->len > 0) {
        size_t s, e;
        fz_text_span(t, 0, t->len, &s, &e);
        CHECK(s <= e && e <= in_len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_text t, again;
    fz_text_init(&t);
    fz_text_init(&again);
    CHECK(fz_text_normalize((const char *)data, size, &t) == FZ_OK);
    check_result(&t, size);
    CHECK(fz_text_normalize(t.ptr, t.len, &again) == FZ_OK);
    check_result(&again, t.len);
    if (again.len != t.len || memcmp(again.ptr, t.ptr, t.len) != 0) {
        fprintf(stderr, "fuzz_text: not idempotent\n  once:  '%s'\n  twice: '%s'\n", t.ptr,
                again.ptr);
        abort();
    }
    CHECK(again.undone.invalid_utf8 == 0 && again.undone.zero_width == 0);
    CHECK(again.undone.emoji == 0 && again.undone.separators == 0);
    CHECK(again.undone.cn_numerals == 0 && again.undone.fullwidth == 0);
    CHECK(again.undone.confusables == 0 && again.undone.traditional == 0);
    fz_text_release(&t);
    fz_text_release(&again);
    return 0;
}
