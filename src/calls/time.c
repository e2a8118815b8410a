/*
 * calls/time: the start times of call records, epoch seconds or ISO 8601. A time without a zone
 * is Beijing time (UTC+8), as operators' exports are.
 */
#include "compat.h"

#include "calls_int.h"

#define BEIJING_OFFSET_S (8 * 3600)

/* Reads exactly n digits at *p into *out. */
static bool digits(const char **p, const char *end, int n, int *out)
{
    int v = 0;
    if (end - *p < n)
        return false;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool expect(const char **p, const char *end, char c)
{
    if (*p == end || **p != c)
        return false;
    (*p)++;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static bool valid_date(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 2099 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

/* The zone suffix at *p: "", "Z", "±hh", "±hhmm" or "±hh:mm"; *offset_s east of UTC. */
static bool zone(const char *p, const char *end, int64_t *offset_s)
{
    if (p == end) {
        *offset_s = BEIJING_OFFSET_S;
        return true;
    }
    if (*p == 'Z' || *p == 'z') {
        *offset_s = 0;
        return p + 1 == end;
    }
    if (*p != '+' && *p != '-')
        return false;
    int sign = *p++ == '-' ? -1 : 1, hh, mm = 0;
    if (!digits(&p, end, 2, &hh))
        return false;
    if (p < end) {
        expect(&p, end, ':');
        if (!digits(&p, end, 2, &mm) || p != end)
            return false;
    }
    if (hh > 14 || mm > 59)
        return false;
    *offset_s = sign * (hh * 3600 + mm * 60);
    return true;
}

static bool parse_iso(const char *p, const char *end, int64_t *out)
{
    int y, mo, d, h, mi, s;
    if (!digits(&p, end, 4, &y) || !expect(&p, end, '-') || !digits(&p, end, 2, &mo) ||
        !expect(&p, end, '-') || !digits(&p, end, 2, &d))
        return false;
    if (p == end || (*p != 'T' && *p != ' ' && *p != 't'))
        return false;
    p++;
    if (!digits(&p, end, 2, &h) || !expect(&p, end, ':') || !digits(&p, end, 2, &mi) ||
        !expect(&p, end, ':') || !digits(&p, end, 2, &s))
        return false;
    if (p < end && (*p == '.' || *p == ',')) { /* fractions of a second are dropped */
        const char *q = ++p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        if (p == q)
            return false;
    }
    int64_t offset_s;
    if (!valid_date(y, mo, d) || h > 23 || mi > 59 || s > 60 || !zone(p, end, &offset_s))
        return false;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (s == 60 ? 59 : s) - offset_s;
    return true;
}

bool fz_cdr_parse_time(const char *s, size_t len, int64_t *out)
{
    const char *end = s + len;
    if (len >= 1 && len <= 11) { /* epoch seconds, up to year 2286 */
        int64_t v = 0;
        size_t i = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            v = v * 10 + (s[i] - '0');
        if (i == len) {
            *out = v;
            return true;
        }
    }
    return parse_iso(s, end, out);
}
