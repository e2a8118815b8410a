/*
 * phone/cn: the mainland China numbering plan. Decides whether a string of digits, as dialled
 * inside China or as written after +86, is a mobile, MVNO, data-only or IoT number, a landline
 * (with a real area code from areacode.c), a 400/800 number, a service short code or an SMS
 * port. Sources: MIIT 电信网编号计划 (2017) and its later allocations (162/165/167 and 1700-1709
 * to MVNOs, 190/192/196/197 mobile, 13-digit IoT ranges); docs/internals/phone.md lists them.
 */
#include "phone_int.h"

#include <string.h>

/* Class of an 11-digit number by its first three digits 1XY: one row per X, one character per
 * Y. m mobile, v MVNO (虚拟运营商), d data-only (上网卡), - not allocated. 174 (satellite,
 * 1740x) is dialled like a mobile; 192 belongs to China Broadnet. */
/* clang-format off */
static const char plan11[10][11] = {
    /* 10x */ "----------",
    /* 11x */ "----------",
    /* 12x */ "----------",
    /* 13x */ "mmmmmmmmmm",
    /* 14x */ "-----d-d-d",
    /* 15x */ "mmmm-mmmmm",
    /* 16x */ "--v--vmv--",
    /* 17x */ "vvmmmmmmm-",
    /* 18x */ "mmmmmmmmmm",
    /* 19x */ "mmmmmmmmmm",
};
/* clang-format on */

/* Operator IP-dialling prefixes (IP长途): dialled before a long-distance or international
 * number to route it over IP. 17951/12593 China Mobile, 17911/10193/17969 China Unicom,
 * 17909/17908 China Telecom, 96688 China Tietong, 11808 the former China Netcom. */
static const char ip_prefixes[][6] = {
    "17951", "17911", "12593", "17909", "10193", "17969", "17908", "96688", "11808",
};

/* Three-digit emergency and public short codes: police, emergency (GSM), directory enquiries,
 * fire, ambulance, traffic accidents. */
static const char short3[][4] = {"110", "112", "114", "119", "120", "122"};

#define NUM_SHORT3 (sizeof short3 / sizeof short3[0])
#define NUM_IP_PREFIXES (sizeof ip_prefixes / sizeof ip_prefixes[0])

static bool set(struct fz__phone_num *r, enum fz_phone_class cls, const char *nsn, size_t len,
                uint32_t flags)
{
    r->cls = cls;
    r->nsn = nsn;
    r->nsn_len = len;
    r->cc = 86;
    r->flags = flags;
    return true;
}

static bool is_iot13(const char *d)
{
    if (d[1] != '4')
        return false;
    switch (d[2]) {
    case '0':
    case '6':
    case '8': return true;                       /* 140x, 146, 148 */
    case '1': return d[3] == '0';                /* 1410 */
    case '4': return d[3] == '0' || d[3] == '1'; /* 1440, 1441 */
    default: return false;
    }
}

/* 11-digit mobile, MVNO and data-only numbers and 13-digit IoT numbers. */
static bool mobile(const char *d, size_t n, struct fz__phone_num *r)
{
    if (d[0] != '1')
        return false;
    if (n == 13 && is_iot13(d))
        return set(r, FZ_PHONE_IOT, d, n, 0);
    if (n != 11)
        return false;
    switch (plan11[d[1] - '0'][d[2] - '0']) {
    case 'm': return set(r, FZ_PHONE_MOBILE, d, n, 0);
    case 'v': return set(r, FZ_PHONE_MVNO, d, n, 0);
    case 'd': return set(r, FZ_PHONE_DATA, d, n, 0);
    default: return false;
    }
}

/* A landline written without its trunk 0: area code, then 7 or 8 digits that start with 2-9
 * (subscriber numbers never start with 0, the trunk prefix, or 1, the short-code prefix). */
static bool landline(const char *d, size_t n, struct fz__phone_num *r)
{
    size_t a = fz__phone_area_len(d, n);
    if (a == 0 || n - a < 7 || n - a > 8 || d[a] < '2')
        return false;
    return set(r, FZ_PHONE_LANDLINE, d, n, 0);
}

/* 400 and 800 numbers: the prefix and 7 digits, dialled without an area code. */
static bool tollfree(const char *d, size_t n, struct fz__phone_num *r)
{
    if (n != 10 || (memcmp(d, "400", 3) != 0 && memcmp(d, "800", 3) != 0))
        return false;
    return set(r, FZ_PHONE_TOLLFREE, d, n, 0);
}

static bool is_short3(const char *d)
{
    for (size_t i = 0; i < NUM_SHORT3; i++)
        if (memcmp(d, short3[i], 3) == 0)
            return true;
    return false;
}

/* 95xxx(x) national and 96xxx(x) local service numbers. A 95 number with 1-6 extra digits
 * (955881234) is reported as the service it imitates, flagged PADDED_SERVICE: local subscriber
 * numbers never start with 95, so nothing real looks like that. */
static bool service9x(const char *d, size_t n, struct fz__phone_num *r)
{
    if (n == 5 || n == 6)
        return set(r, FZ_PHONE_SERVICE, d, n, 0);
    if (d[1] == '5' && n >= 7 && n <= 12)
        return set(r, FZ_PHONE_SERVICE, d, n, FZ_PHONE_PADDED_SERVICE);
    return false;
}

/* Service short codes: the three-digit codes, 95/96 numbers, 100xx operators, 121xx/123xx
 * public services (12345, 12315, 12306, 12381 ...), 125xx operator services, 1118x postal
 * services (11183 EMS, 11185 China Post) and the eight-digit national numbers 1010xxxx. */
static bool service(const char *d, size_t n, struct fz__phone_num *r)
{
    if (n == 3)
        return is_short3(d) && set(r, FZ_PHONE_SERVICE, d, n, 0);
    if (d[0] == '9' && (d[1] == '5' || d[1] == '6'))
        return service9x(d, n, r);
    if (n == 8 && !memcmp(d, "1010", 4))
        return set(r, FZ_PHONE_SERVICE, d, n, 0);
    if (n != 5 || d[0] != '1')
        return false;
    bool is_100xx = d[1] == '0' && d[2] == '0';
    bool is_1118x = !memcmp(d, "1118", 4);
    bool is_12xxx = d[1] == '2' && (d[2] == '1' || d[2] == '3' || d[2] == '5');
    return (is_100xx || is_1118x || is_12xxx) && set(r, FZ_PHONE_SERVICE, d, n, 0);
}

/* SMS ports (短信端口): 106 and the service provider's code, 7 to 20 digits in all. */
static bool sms_port(const char *d, size_t n, struct fz__phone_num *r)
{
    if (n < 7 || n > 20 || memcmp(d, "106", 3) != 0)
        return false;
    return set(r, FZ_PHONE_SMS_PORT, d, n, 0);
}

static bool short_code(const char *d, size_t n, struct fz__phone_num *r)
{
    return n >= 3 && (sms_port(d, n, r) || service(d, n, r));
}

/* A trunk 0 and what may follow it: a landline, or an 11-digit mobile (landlines dial 0
 * before a mobile number from another city, and caller ID shows it). */
static bool after_trunk(const char *d, size_t n, struct fz__phone_num *r)
{
    if (n < 2)
        return false;
    if (landline(d + 1, n - 1, r))
        return true;
    return n == 12 && mobile(d + 1, n - 1, r);
}

bool fz__phone_cn_national(const char *d, size_t n, struct fz__phone_num *r)
{
    if (n == 0)
        return false;
    if (d[0] == '0')
        return after_trunk(d, n, r);
    return mobile(d, n, r) || tollfree(d, n, r) || short_code(d, n, r);
}

/* After 86 a landline needs no trunk 0, so "10" + 8 digits is Beijing, not an SMS port: try
 * the landline before the short codes. */
bool fz__phone_cn_after_cc(const char *d, size_t n, struct fz__phone_num *r)
{
    if (n == 0)
        return false;
    if (d[0] == '0')
        return after_trunk(d, n, r);
    return mobile(d, n, r) || landline(d, n, r) || tollfree(d, n, r) || short_code(d, n, r);
}

size_t fz__phone_ip_prefix_len(const char *d, size_t n)
{
    if (n <= 5)
        return 0;
    for (size_t i = 0; i < NUM_IP_PREFIXES; i++)
        if (memcmp(d, ip_prefixes[i], 5) == 0)
            return 5;
    return 0;
}
