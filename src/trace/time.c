/* trace/time: transaction times (Unix seconds or ISO 8601, Beijing time by default), their
 * output form, and the stop-payment and freeze deadlines that follow from an arrival. */
#include "compat.h"

#include "trace_int.h"

#define BEIJING_OFFSET_S (8 * 3600)

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), after Howard Hinnant's formula. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n digits at *p into *v. */
static bool digits(const char **p, const char *end, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (*p >= end || **p < '0' || **p > '9')
            return false;
        x = x * 10 + (**p - '0');
    }
    *v = x;
    return true;
}

static bool expect(const char **p, const char *end, char c)
{
    if (*p >= end || **p != c)
        return false;
    (*p)++;
    return true;
}

static bool parse_epoch(const char *s, size_t len, int64_t *out)
{
    if (len == 0 || len > 12) /* up to year 33658 */
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* The zone suffix at p: "", "Z", "+HH:MM", "-HH:MM" or "+HHMM"; its offset east of UTC. */
static bool parse_zone(const char *p, const char *end, int64_t *offset)
{
    if (p == end) {
        *offset = BEIJING_OFFSET_S;
        return true;
    }
    if (*p == 'Z')
        return *offset = 0, p + 1 == end;
    if (*p != '+' && *p != '-')
        return false;
    int sign = *p++ == '-' ? -1 : 1, hh, mm;
    if (!digits(&p, end, 2, &hh))
        return false;
    if (p < end && *p == ':')
        p++;
    if (!digits(&p, end, 2, &mm) || p != end || hh > 14 || mm > 59)
        return false;
    *offset = sign * (hh * 3600 + mm * 60);
    return true;
}

bool fz_trace_parse_time(const char *s, size_t len, int64_t *out)
{
    if (parse_epoch(s, len, out))
        return true;
    const char *p = s, *end = s + len;
    int y, mo, d, h, mi, sec = 0;
    if (!digits(&p, end, 4, &y) || !expect(&p, end, '-') || !digits(&p, end, 2, &mo) ||
        !expect(&p, end, '-') || !digits(&p, end, 2, &d))
        return false;
    if (p >= end || (*p != 'T' && *p != ' '))
        return false;
    p++;
    if (!digits(&p, end, 2, &h) || !expect(&p, end, ':') || !digits(&p, end, 2, &mi))
        return false;
    if (p < end && *p == ':') {
        p++;
        if (!digits(&p, end, 2, &sec))
            return false;
    }
    int64_t offset;
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 || sec > 59 ||
        !parse_zone(p, end, &offset))
        return false;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
    return true;
}

void fz_trace_format_time(int64_t t, char out[26])
{
    int64_t local = t + BEIJING_OFFSET_S;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t secs = local - days * 86400, y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        memcpy(out, "0000-00-00T00:00:00+08:00", 26);
        return;
    }
    char buf[80];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", (int)y, m, d,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    memcpy(out, buf, 26);
}

int64_t fz_trace_stop_payment_deadline(int64_t arrived)
{
    return arrived + FZ_TRACE_STOP_PAYMENT_S;
}

int64_t fz_trace_freeze_until(int64_t arrived)
{
    int64_t local = arrived + BEIJING_OFFSET_S;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t secs = local - days * 86400, y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    m += FZ_TRACE_FREEZE_MONTHS;
    if (m > 12)
        m -= 12, y++;
    if (d > month_days(y, m))
        d = month_days(y, m);
    return days_from_civil(y, m, d) * 86400 + secs - BEIJING_OFFSET_S;
}
