/*
 * fangzha phone: China-aware telephone number normalization and classification (signal
 * layer). Accepts what people and switches write (+86, 0086, 86, (+86), separators, fullwidth
 * digits, Chinese numerals, tel: URIs, operator IP-dialling prefixes) and returns E.164, a
 * class, flags that are risk features, and a risk prior with reasons.
 */
#ifndef FANGZHA_PHONE_H
#define FANGZHA_PHONE_H

#include "fangzha/core.h"

enum fz_phone_class {
    FZ_PHONE_INVALID,
    FZ_PHONE_MOBILE,        /* 13x 15x 18x 19x ... ordinary mobile */
    FZ_PHONE_MVNO,          /* 162 165 167 1700-1709 171 */
    FZ_PHONE_DATA,          /* 11-digit 145 147 149: data-only SIMs */
    FZ_PHONE_IOT,           /* 13-digit 140x 1410 1440 1441 146 148 */
    FZ_PHONE_LANDLINE,      /* 0 + area code + 7-8 digits */
    FZ_PHONE_TOLLFREE,      /* 400 / 800 + 7 digits */
    FZ_PHONE_SERVICE,       /* 95xxx(x) 96xxx(x) 100xx 12xxx 110 119 120 122 */
    FZ_PHONE_SMS_PORT,      /* 106... */
    FZ_PHONE_INTERNATIONAL, /* any other country code */
};

/* Flags: what the input looked like. Risk features, not errors. */
enum {
    FZ_PHONE_HAD_PLUS = 1u << 0,
    FZ_PHONE_HAD_00 = 1u << 1,
    FZ_PHONE_HAD_IP_PREFIX = 1u << 2,
    FZ_PHONE_HAD_SEPARATORS = 1u << 3,
    FZ_PHONE_HAD_CN_NUMERALS = 1u << 4,
    FZ_PHONE_PADDED_SERVICE = 1u << 5,
    FZ_PHONE_HAD_FULLWIDTH = 1u << 6,
    FZ_PHONE_HAD_TEL_URI = 1u << 7,
    FZ_PHONE_HAD_COUNTRY_CODE = 1u << 8, /* bare 86 / (+86) / +86 / 0086 before a CN number */
};
#define FZ_PHONE_FLAG_COUNT 9

#define FZ_PHONE_MAX_REASONS 8
#define FZ_PHONE_E164_MAX 20 /* "+" + up to 15 digits + NUL, with room to spare */

struct fz_phone {
    enum fz_phone_class cls;
    bool valid;                   /* cls != FZ_PHONE_INVALID */
    char e164[FZ_PHONE_E164_MAX]; /* "" when there is none (short codes, invalid) */
    char digits[24];              /* the digits after prefixes were removed: the national
                                     significant number (e164 without "+" and the country
                                     code, so no trunk 0), or the whole short code */
    uint16_t country_code;        /* 86 for China, the ITU code for international, 0 */
    uint32_t flags;               /* FZ_PHONE_* flags */
    int risk;                     /* 0-100 prior */
    int nreasons;
    const struct fz_reason *reasons[FZ_PHONE_MAX_REASONS]; /* static storage, never freed */
};

/*
 * Normalizes and classifies in[0..len). Always fills *out; an input that is not a usable number
 * gets cls FZ_PHONE_INVALID (that is an answer, not an error). Returns FZ_ETOOBIG for inputs
 * over 256 bytes (out is then invalid too). Allocates nothing; thread-safe.
 */
fz_rc fz_phone_normalize(const char *in, size_t len, struct fz_phone *out);

/* "mobile", "mvno", ... "invalid". */
const char *fz_phone_class_name(enum fz_phone_class c);
/* The name of a single flag bit ("had_plus", ...), or NULL for an unknown bit. */
const char *fz_phone_flag_name(uint32_t flag);
/* Writes the members of one number's object into the open object of j: "valid", "e164",
 * "class", "country_code", "flags", "risk", "reasons" (docs/cli.md, fangzha check number). */
void fz_phone_json(struct fz_json *j, const struct fz_phone *p);

#endif
