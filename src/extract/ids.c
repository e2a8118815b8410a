/*
 * extract/ids: PRC resident identity card numbers (GB 11643-1999).
 *
 * Eighteen characters: a six-digit region code (first digit 1-8), the birth date YYYYMMDD, a
 * three-digit sequence and a check character from the ISO 7064 MOD 11-2 checksum ('X' for 10).
 * One random 18-digit run in eleven passes the checksum; the region and date rules cut that
 * further, so order numbers and card numbers rarely pass.
 */
#include "compat.h"

#include "extract_int.h"

#include <string.h>

char fz__extract_id_check(const char *d)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int k = 0; k < 17; k++)
        sum += (d[k] - '0') * weight[k];
    return "10X98765432"[sum % 11];
}

static int num(const char *d, int n)
{
    int v = 0;
    for (int k = 0; k < n; k++)
        v = v * 10 + (d[k] - '0');
    return v;
}

bool fz__extract_ymd_ok(const char *d)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int k = 0; k < 8; k++)
        if (!fz__is_digit(d[k]))
            return false;
    int y = num(d, 4), m = num(d + 4, 2), day = num(d + 6, 2);
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || day < 1 || day > days[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && day == 29 && !leap);
}

bool fz__extract_id_valid(const char *s, size_t len)
{
    if (len != 18 || s[0] < '1' || s[0] > '8')
        return false;
    for (int k = 0; k < 17; k++)
        if (!fz__is_digit(s[k]))
            return false;
    char check = s[17] == 'x' ? 'X' : s[17];
    return fz__extract_ymd_ok(s + 6) && fz__extract_id_check(s) == check;
}

fz_rc fz__extract_id(struct fz__extract_state *st, struct fz__cand *c, bool *done)
{
    *done = false;
    bool at_end = c->j == c->r->ngroups;
    bool with_x = c->ndigits == 17 && at_end && c->r->x_suffix;
    if (c->digits[0] == '+' || (c->ndigits != 18 && !with_x))
        return FZ_OK;
    if (c->max_sep > FZ__SEP_DASH || c->glued_before)
        return FZ_OK;
    if (at_end && c->glued_after && !with_x)
        return FZ_OK;
    char id[19];
    memcpy(id, c->digits, 17);
    id[17] = with_x ? 'X' : c->digits[17];
    id[18] = '\0';
    if (!fz__extract_id_valid(id, 18))
        return FZ_OK;
    *done = true;
    return fz__extract_push(st, FZ_ENT_ID_NUMBER, c->s, c->e + with_x, id, 18, NULL);
}
