/*
 * phone/country: ITU-T E.164 country calling codes (the list of ITU-T Recommendation E.164
 * assignments, Annex to ITU Operational Bulletin), so that a number after '+' or 00 keeps its
 * country and an unassigned code is caught. Lengths are checked generically (8 to 15 digits
 * with the code) and more tightly for a few plans whose lengths are fixed and well known.
 */
#include "phone_int.h"

/* Assigned country codes, sorted. Spare and reserved codes (e.g. 210, 259, 384, 801, 969,
 * 978, 990) and withdrawn ones (388, 878, 888, 991) are absent. The non-geographic codes for
 * international freephone (800), shared cost (808), Inmarsat (870), global mobile satellite
 * (881), international networks (882, 883) and premium rate (979) are present. */
/* clang-format off */
static const uint16_t codes[] = {
    1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53,
    54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
    /* zone 2: Africa */
    211, 212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232,
    233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250,
    251, 252, 253, 254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269,
    290, 291, 297, 298, 299,
    /* zone 3: Europe */
    350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377,
    378, 379, 380, 381, 382, 383, 385, 386, 387, 389,
    /* zone 4: Europe */
    420, 421, 423,
    /* zone 5: the Americas */
    500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 590, 591, 592, 593, 594, 595, 596, 597,
    598, 599,
    /* zone 6: Oceania */
    670, 672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683, 685, 686, 687, 688, 689,
    690, 691, 692,
    /* zone 8: East Asia and non-geographic services */
    800, 808, 850, 852, 853, 855, 856, 870, 880, 881, 882, 883, 886,
    /* zone 9: West and South Asia */
    960, 961, 962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974, 975, 976, 977, 979,
    992, 993, 994, 995, 996, 998,
};
/* clang-format on */

/* National significant number lengths for plans where they are fixed: NANP (+1: 3-digit area
 * code and 7 digits), Russia and Kazakhstan, the United Kingdom, Australia, Singapore, Japan,
 * South Korea, India, Hong Kong, Macao and Taiwan. */
/* clang-format off */
static const struct {
    uint16_t cc;
    uint8_t min, max;
} lengths[] = {
    {1, 10, 10},  {7, 10, 10},  {44, 9, 10},  {61, 9, 9},   {65, 8, 8},  {81, 9, 10},
    {82, 8, 10},  {91, 10, 10}, {852, 8, 8},  {853, 8, 8},  {886, 8, 9},
};
/* clang-format on */

static bool has_code(unsigned v)
{
    size_t lo = 0, hi = sizeof codes / sizeof codes[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (codes[mid] == v)
            return true;
        if (codes[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Longest prefix first. Assigned codes are prefix-free, so at most one length can match. */
size_t fz__phone_cc_match(const char *d, size_t n, uint16_t *cc)
{
    if (n == 0 || d[0] == '0')
        return 0;
    for (size_t k = n < 3 ? n : 3; k > 0; k--) {
        unsigned v = 0;
        for (size_t i = 0; i < k; i++)
            v = v * 10 + (unsigned)(d[i] - '0');
        if (has_code(v)) {
            *cc = (uint16_t)v;
            return k;
        }
    }
    return 0;
}

static size_t ndigits(unsigned v) { return v >= 100 ? 3 : v >= 10 ? 2 : 1; }

bool fz__phone_intl_ok(uint16_t cc, const char *nsn, size_t len)
{
    size_t total = ndigits(cc) + len;
    if (len == 0 || total < 8 || total > 15)
        return false;
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        if (lengths[i].cc != cc)
            continue;
        if (len < lengths[i].min || len > lengths[i].max)
            return false;
        break;
    }
    /* NANP: neither the area code nor the exchange starts with 0 or 1. */
    if (cc == 1 && (nsn[0] < '2' || nsn[3] < '2'))
        return false;
    return true;
}
