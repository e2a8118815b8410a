/*
 * extract/cards: bank card numbers.
 *
 * 16 to 19 digits with a plausible first digit (3 to 6: Amex/JCB, Visa, Mastercard, UnionPay
 * 62), written whole or in groups separated by spaces or dashes, passing the Luhn check. One
 * random number in ten passes Luhn, so a number right after an order or code cue is not a card.
 */
#include "compat.h"

#include "extract_int.h"

bool fz__extract_luhn(const char *d, size_t n)
{
    unsigned sum = 0;
    bool twice = false;
    for (size_t k = n; k-- > 0;) {
        unsigned v = (unsigned)(d[k] - '0');
        if (v > 9)
            return false;
        if (twice) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
        twice = !twice;
    }
    return n > 0 && sum % 10 == 0;
}

fz_rc fz__extract_card(struct fz__extract_state *st, struct fz__cand *c, bool *done)
{
    *done = false;
    const char *d = c->digits;
    if (d[0] == '+' || c->ndigits < 16 || c->ndigits > 19 || d[0] < '3' || d[0] > '6')
        return FZ_OK;
    if (c->max_sep > FZ__SEP_DASH || c->glued_before)
        return FZ_OK;
    if (c->cue.kind == FZ__CUE_ORDER || c->cue.kind == FZ__CUE_CODE)
        return FZ_OK;
    if (!fz__extract_luhn(d, c->ndigits) || fz__extract_tail_blocked(st, c, c->j))
        return FZ_OK;
    *done = true;
    return fz__extract_push(st, FZ_ENT_BANK_CARD, c->s, c->e, d, c->ndigits, NULL);
}
