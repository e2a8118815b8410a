/*
 * fuzz_extract: libFuzzer driver for entity extraction (src/extract) over the text
 * normalizer's output, with the phone and URL modules underneath.
 *
 * Properties checked on every input, beyond "no crash": each entity's [start, end) lies inside
 * the input with start < end; each kind is sorted by start; values are non-empty; bank cards
 * are 16-19 digits passing Luhn; ID numbers are 17 digits and a check character passing GB
 * 11643; amounts are not negative; a second extraction of the same text gives the same result.
 */
#include "fangzha/extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fz_extractor *ex;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_extract: property failed: %s\n", what);
        abort();
    }
}

static int luhn(const char *d)
{
    size_t n = strlen(d);
    unsigned sum = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned v = (unsigned)(d[n - 1 - k] - '0');
        if (v > 9)
            return 0;
        if (k % 2) {
            v *= 2;
            v = v > 9 ? v - 9 : v;
        }
        sum += v;
    }
    return n >= 16 && n <= 19 && sum % 10 == 0;
}

static int id_ok(const char *s)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    if (strlen(s) != 18)
        return 0;
    int sum = 0;
    for (int k = 0; k < 17; k++) {
        if (s[k] < '0' || s[k] > '9')
            return 0;
        sum += (s[k] - '0') * w[k];
    }
    return "10X98765432"[sum % 11] == s[17];
}

static void check_entity(const struct fz_entity *e, size_t k, size_t size)
{
    check(e->kind == (enum fz_entity_kind)k, "kind matches its array");
    check(e->start < e->end && e->end <= size, "span inside the input");
    check(e->value && e->value[0], "non-empty value");
    if (k == FZ_ENT_BANK_CARD)
        check(luhn(e->value), "card passes Luhn");
    if (k == FZ_ENT_ID_NUMBER)
        check(id_ok(e->value), "ID passes GB 11643");
    if (k == FZ_ENT_AMOUNT)
        check(e->amount_fen >= 0, "amount not negative");
    if (k == FZ_ENT_PHONE)
        check(e->phone.valid, "phone is valid");
    if (k == FZ_ENT_URL)
        check(e->url.valid, "URL is valid");
}

static void check_all(const struct fz_entities *es, size_t size)
{
    for (size_t k = 0; k < FZ_ENT__COUNT; k++) {
        check(es->count[k] == 0 || es->items[k] != NULL, "items for a count");
        for (size_t i = 0; i < es->count[k]; i++) {
            check_entity(&es->items[k][i], k, size);
            if (i > 0)
                check(es->items[k][i - 1].start <= es->items[k][i].start, "sorted by start");
        }
    }
}

static void check_same(const struct fz_entities *a, const struct fz_entities *b)
{
    for (size_t k = 0; k < FZ_ENT__COUNT; k++) {
        check(a->count[k] == b->count[k], "deterministic counts");
        for (size_t i = 0; i < a->count[k]; i++) {
            const struct fz_entity *x = &a->items[k][i], *y = &b->items[k][i];
            check(x->start == y->start && x->end == y->end, "deterministic spans");
            check(!strcmp(x->value, y->value), "deterministic values");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ex && fz_extractor_new(&ex) != FZ_OK)
        abort();
    const char *s = (const char *)data;
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities e1, e2;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    if (fz_text_normalize(s, size, &t) == FZ_OK) {
        check(fz_extract(ex, &t, s, size, &a, &e1) == FZ_OK, "extract succeeds");
        check_all(&e1, size);
        check(fz_extract(ex, &t, s, size, &a, &e2) == FZ_OK, "extract succeeds twice");
        check_same(&e1, &e2);
    }
    fz_arena_release(&a);
    fz_text_release(&t);
    return 0;
}
