/*
 * phone internals: what the files of src/phone share and nothing else sees.
 *
 * The pipeline is scan.c (untrusted bytes -> ASCII digits + form flags), then phone.c (which
 * prefixes are there: +, 00, 86, IP-dialling) asking cn.c (the mainland numbering plan, with
 * the area codes of areacode.c) and country.c (ITU-T E.164 country codes), then risk.c (the
 * prior and its reasons). Nothing here allocates; every function is pure and thread-safe.
 */
#ifndef FZ_PHONE_INT_H
#define FZ_PHONE_INT_H

#include "fangzha/phone.h"

#define FZ__PHONE_MAX_INPUT 256 /* bytes; longer input is FZ_ETOOBIG */
#define FZ__PHONE_MAX_DIGITS 32 /* digits kept by the scanner; more is not a number */
#define FZ__PHONE_NO_TRUNK SIZE_MAX

/*
 * The digits of an input and how they were written. Invariant after a successful scan:
 * 0 < n <= FZ__PHONE_MAX_DIGITS, d[0..n) are ASCII '0'..'9' (not NUL-terminated), and trunk0
 * is FZ__PHONE_NO_TRUNK or the index in d of a '0' that was written alone in parentheses, as
 * in "+44 (0)20": a trunk prefix that is not dialled from abroad.
 */
struct fz__phone_scan {
    char d[FZ__PHONE_MAX_DIGITS];
    size_t n;
    size_t trunk0;
    uint32_t flags; /* HAD_PLUS, HAD_SEPARATORS, HAD_FULLWIDTH, HAD_CN_NUMERALS, HAD_TEL_URI */
    bool has_dot;   /* '.' or '/' between digits, as in amounts and dates */
};

/* Scans in[0..len) (len <= FZ__PHONE_MAX_INPUT) into *s. Returns false when the input is not
 * written like a phone number at all (letters, a '+' after a digit, unbalanced parentheses, no
 * digit, too many digits); *s is then unspecified. */
bool fz__phone_scan(const char *in, size_t len, struct fz__phone_scan *s);

/*
 * A classified number. nsn points into the scanned digits: for classes that have an E.164 form
 * it is the national significant number (e164 is "+", cc, nsn); for short codes it is the
 * whole code. flags are the prefix flags found on the way (HAD_00, HAD_COUNTRY_CODE,
 * HAD_IP_PREFIX) and PADDED_SERVICE.
 */
struct fz__phone_num {
    enum fz_phone_class cls;
    const char *nsn;
    size_t nsn_len;
    uint16_t cc;
    uint32_t flags;
};

/* True for the classes that have an E.164 form (everything valid but service and sms_port). */
bool fz__phone_has_e164(enum fz_phone_class c);

/* cn.c: d[0..n) as dialled inside mainland China (trunk 0 included). On success fills *r and
 * returns true; on failure *r is untouched. */
bool fz__phone_cn_national(const char *d, size_t n, struct fz__phone_num *r);
/* cn.c: d[0..n) as written after the country code 86: a national significant number, or a
 * trunk 0 and a national number ("+86 (0)10 ..."). Same contract as fz__phone_cn_national. */
bool fz__phone_cn_after_cc(const char *d, size_t n, struct fz__phone_num *r);
/* cn.c: the length of the operator IP-dialling prefix (17951, 12593, ...) that d starts with,
 * or 0. */
size_t fz__phone_ip_prefix_len(const char *d, size_t n);

/* areacode.c: the length (2 or 3) of the mainland long-distance area code that d starts with,
 * written without its trunk 0 ("10" for Beijing, "311" for Shijiazhuang), or 0 when d does not
 * start with a real area code. */
size_t fz__phone_area_len(const char *d, size_t n);

/* country.c: the length (1-3) of the ITU-T E.164 country calling code that d starts with, its
 * value in *cc, or 0 (and *cc untouched) when none does. Codes are prefix-free, so the longest
 * match is the only one. */
size_t fz__phone_cc_match(const char *d, size_t n, uint16_t *cc);
/* country.c: whether nsn[0..len) is a plausible national number under country code cc:
 * 8..15 digits with the code, and the lengths we know for a few plans (NANP, +7, +852 ...). */
bool fz__phone_intl_ok(uint16_t cc, const char *nsn, size_t len);

/* risk.c: fills p->risk, p->reasons and p->nreasons from p's class, digits and flags. */
void fz__phone_risk(struct fz_phone *p);

#endif
