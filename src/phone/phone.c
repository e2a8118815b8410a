/*
 * phone/phone: fz_phone_normalize(), the entry point of the phone signal. Scans the input
 * (scan.c), then peels the prefixes people and switches put in front of a number ('+', 00,
 * 86, operator IP-dialling codes) and asks the numbering plans what is left: cn.c for mainland
 * China, country.c for everything else. Fills struct fz_phone and its risk (risk.c).
 */
#include "phone_int.h"

#include <string.h>

static const char *const class_names[] = {
    [FZ_PHONE_INVALID] = "invalid",   [FZ_PHONE_MOBILE] = "mobile",
    [FZ_PHONE_MVNO] = "mvno",         [FZ_PHONE_DATA] = "data",
    [FZ_PHONE_IOT] = "iot",           [FZ_PHONE_LANDLINE] = "landline",
    [FZ_PHONE_TOLLFREE] = "tollfree", [FZ_PHONE_SERVICE] = "service",
    [FZ_PHONE_SMS_PORT] = "sms_port", [FZ_PHONE_INTERNATIONAL] = "international",
};

/* Indexed by bit position. */
static const char *const flag_names[FZ_PHONE_FLAG_COUNT] = {
    "had_plus",       "had_00",        "had_ip_prefix", "had_separators",   "had_cn_numerals",
    "padded_service", "had_fullwidth", "had_tel_uri",   "had_country_code",
};

const char *fz_phone_class_name(enum fz_phone_class c)
{
    if ((unsigned)c >= sizeof class_names / sizeof class_names[0])
        return "invalid";
    return class_names[c];
}

const char *fz_phone_flag_name(uint32_t flag)
{
    for (unsigned i = 0; i < FZ_PHONE_FLAG_COUNT; i++)
        if (flag == 1u << i)
            return flag_names[i];
    return NULL;
}

bool fz__phone_has_e164(enum fz_phone_class c)
{
    return c != FZ_PHONE_INVALID && c != FZ_PHONE_SERVICE && c != FZ_PHONE_SMS_PORT;
}

static bool starts00(const char *d, size_t n) { return n > 2 && d[0] == '0' && d[1] == '0'; }

/*
 * The digits after '+' or 00. 86 is mainland China (with any class, so that "+8695588" is
 * seen as the service number it imitates); any other assigned country code gives an
 * international number. A service number written behind '+' or 00 alone ("0095588", where 95
 * would be Myanmar but the rest is too short) is the same spoofed form.
 */
static bool after_intl_prefix(const char *d, size_t n, const char *trunk0, struct fz__phone_num *r)
{
    if (n > 2 && d[0] == '8' && d[1] == '6' && fz__phone_cn_after_cc(d + 2, n - 2, r)) {
        r->flags |= FZ_PHONE_HAD_COUNTRY_CODE;
        return true;
    }
    uint16_t cc = 0;
    size_t k = fz__phone_cc_match(d, n, &cc);
    if (k != 0 && cc != 86) {
        const char *nsn = d + k;
        size_t len = n - k;
        if (nsn == trunk0 && len > 0) /* "+44 (0)20 ...": the (0) is not dialled from abroad */
            nsn++, len--;
        if (fz__phone_intl_ok(cc, nsn, len)) {
            *r = (struct fz__phone_num){FZ_PHONE_INTERNATIONAL, nsn, len, cc, 0};
            return true;
        }
    }
    struct fz__phone_num s;
    if (fz__phone_cn_national(d, n, &s) && s.cls == FZ_PHONE_SERVICE) {
        *r = s;
        return true;
    }
    return false;
}

/* Digits without a '+': an 00 international prefix, a national number, or a mainland number
 * behind a bare 86 (only numbers with an E.164 form: "8695588" is too much like a local
 * number to read as one). */
static bool plain(const char *d, size_t n, const char *trunk0, struct fz__phone_num *r)
{
    if (starts00(d, n)) {
        if (!after_intl_prefix(d + 2, n - 2, trunk0, r))
            return false;
        r->flags |= FZ_PHONE_HAD_00;
        return true;
    }
    if (fz__phone_cn_national(d, n, r))
        return true;
    struct fz__phone_num cn;
    if (n > 2 && d[0] == '8' && d[1] == '6' && fz__phone_cn_after_cc(d + 2, n - 2, &cn) &&
        fz__phone_has_e164(cn.cls)) {
        *r = cn;
        r->flags |= FZ_PHONE_HAD_COUNTRY_CODE;
        return true;
    }
    return false;
}

/* The whole number: '+' (tolerating "+00"), else plain digits, else an operator IP-dialling
 * prefix in front of a number that has an E.164 form. */
static bool classify(const struct fz__phone_scan *s, struct fz__phone_num *r)
{
    const char *d = s->d;
    size_t n = s->n;
    const char *trunk0 = s->trunk0 == FZ__PHONE_NO_TRUNK ? NULL : &s->d[s->trunk0];
    if (s->flags & FZ_PHONE_HAD_PLUS) {
        uint32_t f = starts00(d, n) ? FZ_PHONE_HAD_00 : 0;
        if (f)
            d += 2, n -= 2;
        if (!after_intl_prefix(d, n, trunk0, r))
            return false;
        r->flags |= f;
        return true;
    }
    if (plain(d, n, trunk0, r))
        return true;
    size_t ip = fz__phone_ip_prefix_len(d, n);
    struct fz__phone_num rest;
    if (ip == 0 || !plain(d + ip, n - ip, trunk0, &rest) || !fz__phone_has_e164(rest.cls))
        return false;
    *r = rest;
    r->flags |= FZ_PHONE_HAD_IP_PREFIX;
    return true;
}

/* Writes "+<cc><nsn>" into out (FZ_PHONE_E164_MAX bytes). */
static void write_e164(char *out, uint16_t cc, const char *nsn, size_t len)
{
    char ccs[5];
    size_t k = 0;
    for (unsigned v = cc; v > 0; v /= 10)
        ccs[k++] = (char)('0' + v % 10);
    if (FZ_NEVER(1 + k + len >= FZ_PHONE_E164_MAX))
        return;
    *out++ = '+';
    while (k > 0)
        *out++ = ccs[--k];
    memcpy(out, nsn, len);
    out[len] = '\0';
}

static void fill(struct fz_phone *out, const struct fz__phone_scan *s,
                 const struct fz__phone_num *r)
{
    if (FZ_NEVER(r->nsn_len >= sizeof out->digits))
        return;
    out->cls = r->cls;
    out->valid = true;
    out->country_code = r->cc;
    out->flags = s->flags | r->flags;
    memcpy(out->digits, r->nsn, r->nsn_len);
    out->digits[r->nsn_len] = '\0';
    if (fz__phone_has_e164(r->cls))
        write_e164(out->e164, r->cc, r->nsn, r->nsn_len);
}

fz_rc fz_phone_normalize(const char *in, size_t len, struct fz_phone *out)
{
    if (!out)
        return FZ_E(FZ_EINVAL);
    memset(out, 0, sizeof *out);
    if (len > FZ__PHONE_MAX_INPUT)
        return FZ_ETOOBIG;
    if (!in)
        return len == 0 ? FZ_OK : FZ_E(FZ_EINVAL);
    struct fz__phone_scan s;
    struct fz__phone_num r;
    if (!fz__phone_scan(in, len, &s) || !classify(&s, &r))
        return FZ_OK;
    /* '.' and '/' make amounts and dates ("100.00", "12.3"), never short codes. */
    if (r.cls == FZ_PHONE_SERVICE && s.has_dot)
        return FZ_OK;
    fill(out, &s, &r);
    fz__phone_risk(out);
    return FZ_OK;
}
