/*
 * cdrsim: the simulator behind cdrsim.h. The population is built once (numbers, devices,
 * cells, who knows whom, when each fraud campaign runs); then each day's records are generated
 * into buckets of two minutes, and each bucket (small enough for the cache) is counting-sorted
 * by second and handed out. Records that fall after midnight (a callback to a late call) wait in
 * the next day's buckets, so the stream is in time order.
 * Rates and shapes are documented, with the reasons for them, in docs/internals/cdrsim.md.
 * One splitmix64 stream (rnd.h) drives everything; no libm call decides a value, so a seed
 * gives the same bytes on every machine.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "cdrsim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fangzha/core.h"

#define RND_STREAM_ONLY
#include "rnd.h"

#define DAY_S 86400u
#define NUM_CAP 20        /* the longest number string, with its NUL */
#define BLOCK_USED 6000u  /* residents per 10000-number block (the rest is unallocated) */
#define CIRCLE_OFFSETS 16 /* a circle is up to 2 x 16 contacts, about 21 on average */
#define QUANTILES 1024
#define BUCKET_S 120u              /* seconds per bucket of records */
#define NBUCKET (DAY_S / BUCKET_S) /* buckets per day; twice that are kept (today, tomorrow) */
#define IS_CALLER 0x80u            /* in kind[]: the number placed a record */

enum profile { P_DAY, P_WORK, P_MEAL, P_EVENING, P_FLAT, P_COUNT };

/* Calls per hour of the day, relative. */
static const uint8_t profile_weights[P_COUNT][24] = {
    [P_DAY] = {1, 1, 0, 0, 0, 1, 2, 5, 8, 10, 11, 11, 10, 9, 9, 10, 10, 10, 11, 11, 10, 8, 5, 2},
    [P_WORK] = {0, 0, 0, 0, 0, 0, 0, 1, 6, 10, 10, 10, 7, 8, 10, 10, 10, 9, 6, 2, 1, 0, 0, 0},
    [P_MEAL] = {1, 0, 0, 0, 0, 0, 0, 1, 2, 3, 6, 14, 16, 8, 3, 2, 3, 8, 14, 12, 5, 2, 1, 1},
    [P_EVENING] = {3, 2, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 5, 5, 5, 5, 6, 7, 8, 9, 9, 8, 6, 4},
    [P_FLAT] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
};

/* Mobile prefixes of the local operators; fraud SIMs also come from the MVNO segments. */
static const char *const mobile_prefixes[] = {
    "134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158",
    "159", "182", "183", "187", "188", "198", "130", "131", "132", "155", "156",
    "185", "186", "166", "133", "153", "180", "181", "189", "199", "177", "173"};
#define NPREFIX (sizeof mobile_prefixes / sizeof *mobile_prefixes)
static const char *const mvno_prefixes[] = {"170", "171", "165", "167", "162"};

/* Banks' and companies' real service numbers; the spoofed ones are kept apart so that a number
 * has one archetype. */
static const char *const bank_numbers[] = {"95588", "95533", "95599", "95566", "95555",
                                           "95559", "95568", "95561", "95528", "95558"};
static const char *const hotline_numbers[] = {"95338", "95311",  "95554",    "95543",   "95546",
                                              "11183", "950616", "10107888", "10105757"};
static const char *const operator_numbers[] = {"10086", "10010", "10000"};
static const char *const spoof_service[] = {"95577", "95580", "95595", "95508", "95511",
                                            "95519", "95518", "95500", "96110", "110"};
static const char *const tacs[] = {"86891104", "86756204", "35391110",
                                   "86941103", "86174205", "35287311"};

struct country {
    const char *code; /* with its leading +  */
    const char *lead; /* the national number's first digits */
    unsigned rest;    /* random digits after lead */
};
static const struct country relatives_countries[] = {
    {"+1", "4155", 6}, {"+44", "77", 8}, {"+81", "90", 8}, {"+61", "4", 8},
    {"+65", "9", 7},   {"+60", "12", 7}, {"+852", "6", 7}, {"+886", "9", 8}};
static const struct country premium_countries[] = {{"+882", "16", 7}, {"+881", "6", 8},
                                                   {"+675", "7", 7},  {"+216", "2", 7},
                                                   {"+222", "4", 7},  {"+252", "9", 7}};

/* Fraud campaigns per 100 000 people per 7 days (runs shorter than a week get a week's). */
static const struct {
    enum cdrsim_arch arch;
    unsigned per_100k;
} fraud_rates[] = {{CDRSIM_MASS_DIALLER, 10},
                   {CDRSIM_SIMBOX, 3},
                   {CDRSIM_WANGIRI, 10},
                   {CDRSIM_SPOOFED, 10},
                   {CDRSIM_IMPERSONATOR, 20}};

/* A number, with the device it calls from: one cache line holds what a record of its calls
 * names, so handing records out in time order (callers at random) costs one miss per party. */
struct num {
    char str[NUM_CAP];
    uint32_t canon; /* the caller form of the same line (a dialled "00..." points to "+...") */
    char imei[16];  /* "" for lines without one: landlines, services, foreign numbers */
    char imsi[16];
    char pad[8];
};
_Static_assert(sizeof(struct num) == 64, "a number and its device fill one cache line");

struct person {
    uint32_t cell[3];
    uint32_t relative; /* caller-form ref of an overseas relative; 0 = none */
    uint16_t rate;     /* chance, per 65536, of each of 10 daily call slots */
    uint8_t arch;      /* subscriber, courier or delivery */
    uint8_t ncell;
};

/* A business, call centre, bank or company hotline. */
struct org {
    uint32_t ref;
    uint16_t daily; /* outgoing calls per day, about */
    uint8_t arch;
    uint8_t answer_pct;
};

struct iot {
    uint32_t ref, cell, platform;
    uint8_t daily_max;
};

struct fraud {
    uint8_t arch;
    uint8_t mode; /* mass dialler: 0 random residents, 1 sequential numbers; spoofed: the theme
                     (0 local mobiles, 1 landlines, 2 a bank-like 95xxx, 3 the police) */
    uint32_t from, until; /* active [from, until), seconds from the start */
    uint32_t num0, nnum;  /* refs (Wangiri: pairs of caller form and dialled form) */
    uint32_t cell[2];
    uint32_t seq_block, seq_suffix; /* the next number a sequential dialler tries */
    uint16_t daily_lo, daily_hi;
    uint16_t channels; /* GOIP: SIMs in use at once */
};

struct block {
    char prefix[8];         /* the first 7 digits */
    uint32_t mul, inv, add; /* suffix = (local * mul + add) % 10000; inv undoes mul */
};

struct ev {
    uint32_t t; /* seconds from the start */
    uint32_t caller, callee;
    int32_t dur;
    uint16_t ring;
    uint8_t flags;
    uint8_t archs; /* the caller's archetype | the callee's << 4 (set by push) */
    uint32_t cell;
};
#define EV_SMS 1u
#define EV_INTL 2u

struct evbuf {
    struct ev *ev;
    size_t n, cap;
};

struct vslot {
    uint64_t key; /* resident << 32 | canonical fraud ref; 0 = empty */
    uint64_t talk;
    uint32_t calls, answered, max;
};

struct quantiles {
    int32_t q[QUANTILES];
};

struct cdrsim {
    struct cdrsim_opts o;
    uint64_t rng;
    bool oom, ran;

    struct num *num; /* aligned on 64 bytes within num_alloc */
    void *num_alloc;
    uint8_t *kind; /* per number: its archetype, | IS_CALLER (apart, to stay in the cache) */
    uint32_t nnum, capnum, capkind;
    uint32_t nimei, nimsi; /* devices made so far */

    struct person *person;
    struct block *block;
    uint32_t nblocks, ncells;
    uint32_t off[CIRCLE_OFFSETS];
    uint8_t circle_lut[64];

    struct org *org;
    uint32_t norg;
    uint32_t bank0, nbank, hot0, nhot; /* ranges of org indexes */
    uint32_t biz0, nbiz;
    struct iot *iot;
    uint32_t niot;
    struct fraud *fraud;
    uint32_t nfraud;
    uint32_t fraud_mobiles, spoof_locals, spoof_lines, foreigns;
    uint32_t spoof_service_ref[sizeof spoof_service / sizeof *spoof_service];

    struct evbuf bucket[2 * NBUCKET]; /* today's, then tomorrow's */
    uint32_t *order, *counts;
    size_t caporder;
    uint32_t day_start, day_end, run_end;

    struct vslot *vic;
    size_t nvic, capvic;

    struct quantiles talk_sub, talk_biz, talk_cc, talk_hot, talk_rel, talk_premium, talk_spoof,
        talk_simbox;
    uint8_t hour_lut[P_COUNT][QUANTILES];
    struct cdrsim_stats stats;
};

static const char *const arch_names[CDRSIM_ARCH_COUNT] = {
    [CDRSIM_SUBSCRIBER] = "subscriber",
    [CDRSIM_COURIER] = "courier",
    [CDRSIM_DELIVERY] = "delivery",
    [CDRSIM_BUSINESS] = "business",
    [CDRSIM_CALL_CENTRE] = "call_centre",
    [CDRSIM_BANK_SERVICE] = "bank_service",
    [CDRSIM_IOT] = "iot",
    [CDRSIM_UNALLOCATED] = "unallocated",
    [CDRSIM_MASS_DIALLER] = "mass_dialler",
    [CDRSIM_SIMBOX] = "simbox",
    [CDRSIM_WANGIRI] = "wangiri",
    [CDRSIM_SPOOFED] = "spoofed",
    [CDRSIM_IMPERSONATOR] = "impersonator",
};

const char *cdrsim_arch_name(enum cdrsim_arch a)
{
    return (unsigned)a < CDRSIM_ARCH_COUNT ? arch_names[a] : "unknown";
}

/* ---- random numbers ------------------------------------------------------------------ */

static inline uint32_t r32(struct cdrsim *s) { return (uint32_t)(rnd_next(&s->rng) >> 32); }

/* Uniform in [0, n). */
static inline uint32_t below(struct cdrsim *s, uint32_t n)
{
    return (uint32_t)(((uint64_t)r32(s) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline uint32_t range(struct cdrsim *s, uint32_t lo, uint32_t hi)
{
    return lo + below(s, hi - lo + 1);
}

/* True with probability per_mille / 1000. */
static inline bool chance_pm(struct cdrsim *s, uint32_t per_mille)
{
    return below(s, 1000) < per_mille;
}

static inline uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A resident's role, from a hash of the id: no memory to read when a record names one. */
static enum cdrsim_arch person_role(const struct cdrsim *s, uint32_t p)
{
    uint64_t r = mix64(s->o.seed ^ 0xC0FFEE ^ (uint64_t)p << 20) % 1000;
    return r < 2 ? CDRSIM_COURIER : r < 5 ? CDRSIM_DELIVERY : CDRSIM_SUBSCRIBER;
}

static inline int32_t sample(struct cdrsim *s, const struct quantiles *q)
{
    return q->q[r32(s) >> 22];
}

/* A second of the given hour-of-day profile, from the start of the run. */
static inline uint32_t time_in_day(struct cdrsim *s, uint32_t day_start, enum profile p)
{
    uint32_t hour = s->hour_lut[p][r32(s) >> 22];
    return day_start + hour * 3600u + below(s, 3600);
}

/* ---- deterministic math for the tables (only + - * / and sqrt, exact in IEEE 754) ------ */

#define LN2 0.69314718055994530942

static double det_exp(double x)
{
    double k = (double)(long)(x / LN2 + (x >= 0 ? 0.5 : -0.5));
    double r = x - k * LN2, term = 1, sum = 1;
    for (int i = 1; i <= 24; i++) {
        term *= r / i;
        sum += term;
    }
    for (; k > 0; k--)
        sum *= 2;
    for (; k < 0; k++)
        sum /= 2;
    return sum;
}

static double det_log(double x)
{
    int k = 0;
    for (; x >= 2; k++)
        x /= 2;
    for (; x < 1; k--)
        x *= 2;
    double y = (x - 1) / (x + 1), y2 = y * y, term = y, sum = 0;
    for (int i = 0; i < 40; i++) {
        sum += term / (2 * i + 1);
        term *= y2;
    }
    return 2 * sum + k * LN2;
}

/* The standard normal quantile of p in (0, 1) (Acklam's rational approximation). */
static double normal_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (p < 0.02425 || p > 1 - 0.02425) {
        double q = sqrt(-2 * det_log(p < 0.5 ? p : 1 - p));
        double z = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                   ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        return p < 0.5 ? z : -z;
    }
    double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/* Quantiles of a lognormal talk time: median seconds, spread sigma, clamped to [lo, hi]. */
static void lognormal(struct quantiles *t, double median, double sigma, int32_t lo, int32_t hi)
{
    for (int i = 0; i < QUANTILES; i++) {
        double z = normal_quantile((i + 0.5) / QUANTILES);
        double v = median * det_exp(sigma * z) + 0.5;
        int32_t x = v > hi ? hi : (int32_t)v;
        t->q[i] = x < lo ? lo : x;
    }
}

static void hour_tables(struct cdrsim *s)
{
    for (int p = 0; p < P_COUNT; p++) {
        unsigned total = 0, acc = 0, h = 0;
        for (int i = 0; i < 24; i++)
            total += profile_weights[p][i];
        for (unsigned i = 0; i < QUANTILES; i++) {
            /* the hour whose cumulative weight passes the quantile's midpoint */
            while (h < 23 && (acc + profile_weights[p][h]) * 2u * QUANTILES <= (2u * i + 1) * total)
                acc += profile_weights[p][h++];
            s->hour_lut[p][i] = (uint8_t)h;
        }
    }
}

/* ---- tables of numbers and devices ------------------------------------------------------ */

static bool grow(void **p, uint32_t *cap, uint32_t need, size_t size)
{
    if (need <= *cap)
        return true;
    uint32_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = fz_realloc(*p, (size_t)c * size);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* Asks for huge pages under the 2 MiB-aligned part of [p, p + size): tables that records name
 * at random would otherwise cost a TLB miss as well as a cache miss per access. Advice only: a
 * kernel without it changes nothing. Call before the memory is touched. */
static void advise_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    uintptr_t huge = (uintptr_t)2 << 20, lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t hi = ((uintptr_t)p + size) & ~(huge - 1);
    if (hi > lo)
        madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)size;
#endif
}

/* Makes room for one more number, keeping the table on 64-byte boundaries. */
static bool grow_nums(struct cdrsim *s)
{
    if (s->nnum < s->capnum)
        return true;
    uint32_t cap = s->capnum ? s->capnum * 2 : 4096;
    size_t size = (size_t)cap * sizeof *s->num + 64;
    char *raw = fz_malloc(size);
    if (!raw)
        return false;
    advise_huge(raw, size);
    struct num *n = (struct num *)(raw + (64 - (uintptr_t)raw % 64) % 64);
    if (s->nnum)
        memcpy(n, s->num, (size_t)s->nnum * sizeof *n);
    fz_free(s->num_alloc);
    s->num_alloc = raw;
    s->num = n;
    s->capnum = cap;
    return true;
}

/* Adds a number without a device; returns its ref, or 0 with s->oom set. */
static uint32_t add_num(struct cdrsim *s, const char *str, enum cdrsim_arch a)
{
    if (!grow_nums(s) || !grow((void **)&s->kind, &s->capkind, s->nnum + 1, 1)) {
        s->oom = true;
        return 0;
    }
    struct num *n = &s->num[s->nnum];
    memset(n, 0, sizeof *n);
    snprintf(n->str, sizeof n->str, "%s", str);
    n->canon = s->nnum;
    s->kind[s->nnum] = (uint8_t)a;
    return s->nnum++;
}

static char *digits(char *o, uint64_t v, unsigned width)
{
    for (unsigned i = width; i-- > 0; v /= 10)
        o[i] = (char)('0' + v % 10);
    o[width] = '\0';
    return o;
}

/* Writes a new IMEI (TAC, serial, Luhn digit) into d, unique for the first six million. */
static void make_imei(struct cdrsim *s, char *d)
{
    uint32_t i = s->nimei++;
    memcpy(d, tacs[i % 6], 8);
    digits(d + 8, ((uint64_t)(i / 6) * 48271u + 17u) % 1000000u, 6);
    int sum = 0;
    for (int k = 13, dbl = 1; k >= 0; k--, dbl = !dbl) {
        int v = d[k] - '0';
        if (dbl && (v *= 2) > 9)
            v -= 9;
        sum += v;
    }
    d[14] = (char)('0' + (10 - sum % 10) % 10);
    d[15] = '\0';
}

/* Writes a new IMSI into d: 460, a network code, and a 10-digit MSIN (an affine bijection of a
 * counter). */
static void make_imsi(struct cdrsim *s, char *d)
{
    static const char *const mnc[] = {"00", "01", "02", "11"};
    uint32_t i = s->nimsi++;
    memcpy(d, "460", 3);
    memcpy(d + 3, mnc[i % 4], 2);
    digits(d + 5, ((uint64_t)i * 2654435761u + 12345u) % 10000000000u, 10);
}

/* Gives number ref a phone of its own (a new IMEI and SIM). */
static void add_phone(struct cdrsim *s, uint32_t ref)
{
    if (s->oom)
        return;
    make_imei(s, s->num[ref].imei);
    make_imsi(s, s->num[ref].imsi);
}

static uint32_t inverse_mod_10000(uint32_t a)
{
    for (uint32_t x = 1; x < 10000; x++)
        if (a * x % 10000 == 1)
            return x;
    return 1;
}

/* The local blocks: 7-digit prefixes whose H codes stay below 6000 (the fraud SIMs from other
 * provinces use 6000 and above, so they never collide with a resident). */
static void make_blocks(struct cdrsim *s)
{
    static const uint32_t muls[] = {7919, 3001, 4649, 2203, 6007, 1237, 9001, 5003};
    for (uint32_t b = 0; b < s->nblocks; b++) {
        struct block *k = &s->block[b];
        uint32_t hcode = (1234u + (b / NPREFIX) * 7u) % 6000u;
        snprintf(k->prefix, sizeof k->prefix, "%s%04u", mobile_prefixes[b % NPREFIX], hcode);
        k->mul = muls[b % 8];
        k->inv = inverse_mod_10000(k->mul);
        k->add = (b * 379u + 11u) % 10000u;
    }
}

static void block_number(const struct block *k, uint32_t suffix, char *o)
{
    memcpy(o, k->prefix, 7);
    digits(o + 7, suffix, 4);
}

/* The resident holding suffix in block b, or UINT32_MAX when the number is unallocated. */
static uint32_t resident_at(const struct cdrsim *s, uint32_t b, uint32_t suffix)
{
    const struct block *k = &s->block[b];
    uint32_t local = (uint32_t)(((uint64_t)(suffix + 10000u - k->add) * k->inv) % 10000u);
    uint64_t id = (uint64_t)b * BLOCK_USED + local;
    return local < BLOCK_USED && id < s->o.people ? (uint32_t)id : UINT32_MAX;
}

/* A new SIM's number that no resident holds: an MVNO segment or another province's block. */
static uint32_t add_fraud_mobile(struct cdrsim *s, enum cdrsim_arch a)
{
    char str[NUM_CAP];
    uint32_t k = s->fraud_mobiles++, j = k / 2;
    if (k % 2 == 0) {
        memcpy(str, mvno_prefixes[j % 5], 3);
        digits(str + 3, ((uint64_t)(j / 5) * 48271u + 12345u) % 100000000u, 8);
    } else {
        uint32_t q = j / NPREFIX;
        memcpy(str, mobile_prefixes[j % NPREFIX], 3);
        digits(str + 3, 6000u + (q % 4000u) * 1571u % 4000u, 4);
        digits(str + 7, ((q / 4000u) * 7919u + 77u) % 10000u, 4);
    }
    return add_num(s, str, a);
}

/* A foreign number: two entries, the caller form (+CC... or 00CC...) then the dialled form
 * (00CC...), whose canon is the first. Returns the caller form's ref. */
static uint32_t add_foreign(struct cdrsim *s, const struct country *c, enum cdrsim_arch a)
{
    char nat[16], str[NUM_CAP];
    uint32_t k = s->foreigns++;
    uint64_t mod = 1;
    for (unsigned i = 0; i < c->rest; i++)
        mod *= 10;
    snprintf(nat, sizeof nat, "%s", c->lead);
    /* an affine bijection of the counter: two foreign numbers never share a string */
    digits(nat + strlen(nat), ((uint64_t)k * 2654435761u + 1234567u) % mod, c->rest);
    bool plus = below(s, 2) == 0;
    snprintf(str, sizeof str, "%s%s%s", plus ? "+" : "00", c->code + 1, nat);
    uint32_t ref = add_num(s, str, a);
    snprintf(str, sizeof str, "00%s%s", c->code + 1, nat);
    uint32_t dial = add_num(s, str, a);
    if (!s->oom)
        s->num[dial].canon = ref;
    return ref;
}

/* ---- the population ---------------------------------------------------------------------- */

static void make_people(struct cdrsim *s)
{
    static const uint32_t circle_base[CIRCLE_OFFSETS] = {
        1, 2, 3, 5, 8, 13, 97, 331, 1013, 3001, 7919, 15013, 31337, 65521, 131071, 262139};
    uint32_t n = s->o.people;
    for (int k = 0; k < CIRCLE_OFFSETS; k++)
        s->off[k] = n > 1 ? 1 + (circle_base[k] - 1) % (n - 1) : 0;
    /* family (the first four offsets) is called most */
    for (int i = 0; i < 64; i++)
        s->circle_lut[i] = (uint8_t)(i < 24 ? i / 6 : i < 40 ? 4 + (i - 24) / 4 : 8 + (i - 40) / 3);
    char str[NUM_CAP];
    for (uint32_t i = 0; i < n && !s->oom; i++) {
        const struct block *k = &s->block[i / BLOCK_USED];
        block_number(k, ((i % BLOCK_USED) * k->mul + k->add) % 10000u, str);
        add_phone(s, add_num(s, str, CDRSIM_SUBSCRIBER));
        struct person *p = &s->person[i];
        p->arch = (uint8_t)person_role(s, i);
        s->kind[i] = p->arch;
        s->stats.entities[p->arch]++;
        double u = r32(s) / 4294967296.0;
        p->rate = (uint16_t)(0.72 * u * u * 65535);
        if (p->arch != CDRSIM_SUBSCRIBER)
            p->rate /= 2;
        p->ncell = (uint8_t)range(s, 1, 3);
        for (int c = 0; c < 3; c++)
            p->cell[c] = below(s, s->ncells);
        p->relative = 0;
    }
}

/* Overseas relatives: 2% of the residents have one, who calls in on the international trunk. */
static void make_relatives(struct cdrsim *s)
{
    for (uint32_t i = 0; i < s->o.people && !s->oom; i++) {
        if (!chance_pm(s, 20))
            continue;
        const struct country *c = &relatives_countries[below(s, 8)];
        s->person[i].relative = add_foreign(s, c, CDRSIM_SUBSCRIBER);
    }
}

static void add_org(struct cdrsim *s, const char *str, enum cdrsim_arch a, uint32_t daily,
                    uint32_t answer_pct)
{
    uint32_t ref = add_num(s, str, a);
    if (s->oom)
        return;
    struct org *o = &s->org[s->norg++];
    o->ref = ref;
    o->arch = (uint8_t)a;
    o->daily = (uint16_t)(daily > 65535 ? 65535 : daily);
    o->answer_pct = (uint8_t)answer_pct;
    s->stats.entities[a]++;
}

static void make_orgs(struct cdrsim *s)
{
    uint32_t n = s->o.people;
    char str[NUM_CAP];
    s->bank0 = s->norg;
    for (size_t i = 0; i < sizeof bank_numbers / sizeof *bank_numbers; i++)
        add_org(s, bank_numbers[i], CDRSIM_BANK_SERVICE, n / 1000 + range(s, 1, 5), 70);
    s->nbank = s->norg - s->bank0;
    s->hot0 = s->norg;
    for (size_t i = 0; i < sizeof hotline_numbers / sizeof *hotline_numbers; i++)
        add_org(s, hotline_numbers[i], CDRSIM_CALL_CENTRE, n / 2500 + range(s, 1, 3), 70);
    s->nhot = s->norg - s->hot0;
    for (size_t i = 0; i < sizeof operator_numbers / sizeof *operator_numbers; i++)
        add_org(s, operator_numbers[i], CDRSIM_CALL_CENTRE, n / 2000 + range(s, 1, 5), 50);
    uint32_t ncc = n / 20000 > 2 ? n / 20000 : 2;
    for (uint32_t i = 0; i < ncc; i++) {
        memcpy(str, "400", 3);
        digits(str + 3, (800000u + (uint64_t)i * 7919u) % 10000000u, 7);
        add_org(s, str, CDRSIM_CALL_CENTRE, range(s, 200, 800), 55);
    }
    s->biz0 = s->norg;
    for (uint32_t i = 0; i < s->nbiz; i++) {
        memcpy(str, "0755", 4);
        digits(str + 4, 20000000u + ((uint64_t)i * 7919u + 4321u) % 60000000u, 8);
        add_org(s, str, CDRSIM_BUSINESS, range(s, 2, 30), 80);
    }
}

static void make_iot(struct cdrsim *s)
{
    char str[NUM_CAP];
    uint32_t nplat = 4, plat0 = s->nnum;
    for (uint32_t i = 0; i < nplat; i++) {
        memcpy(str, "10690", 5);
        digits(str + 5, 1234567u + i * 1111u, 7);
        add_num(s, str, CDRSIM_IOT);
    }
    for (uint32_t i = 0; i < s->niot && !s->oom; i++) {
        struct iot *t = &s->iot[i];
        if (i % 2 == 0) {
            memcpy(str, "10648", 5);
            digits(str + 5, ((uint64_t)i * 48271u + 99u) % 100000000u, 8);
        } else {
            memcpy(str, i % 4 == 1 ? "145" : "147", 3);
            digits(str + 3, ((uint64_t)i * 7919u + 5u) % 100000000u, 8);
        }
        t->ref = add_num(s, str, CDRSIM_IOT);
        add_phone(s, t->ref);
        t->cell = below(s, s->ncells);
        t->platform = plat0 + below(s, nplat);
        t->daily_max = (uint8_t)range(s, 1, 6);
        s->stats.entities[CDRSIM_IOT]++;
    }
}

/* ---- the planted fraud ------------------------------------------------------------------ */

static void fraud_window(struct cdrsim *s, struct fraud *f, uint32_t min_days, uint32_t max_days)
{
    uint32_t d0 = below(s, s->o.days);
    f->from = d0 * DAY_S + range(s, 7, 20) * 3600u + below(s, 3600);
    f->until = f->from + range(s, min_days, max_days) * DAY_S;
}

static void make_mass_dialler(struct cdrsim *s, struct fraud *f)
{
    fraud_window(s, f, 1, 3);
    f->num0 = add_fraud_mobile(s, CDRSIM_MASS_DIALLER);
    f->nnum = 1;
    add_phone(s, f->num0);
    f->cell[0] = f->cell[1] = below(s, s->ncells);
    f->mode = (uint8_t)(below(s, 10) < 4);
    f->seq_block = below(s, s->nblocks);
    f->seq_suffix = below(s, 10000);
}

static void make_simbox(struct cdrsim *s, struct fraud *f)
{
    static const uint16_t channels[] = {8, 16, 32};
    fraud_window(s, f, 3, 10);
    char imeis[4][16];
    uint32_t nimei = below(s, 10) < 7 ? 1 : range(s, 2, 4);
    for (uint32_t i = 0; i < nimei; i++)
        make_imei(s, imeis[i]);
    f->nnum = range(s, 16, 64);
    f->num0 = s->nnum;
    for (uint32_t i = 0; i < f->nnum && !s->oom; i++) {
        struct num *n = &s->num[add_fraud_mobile(s, CDRSIM_SIMBOX)];
        memcpy(n->imei, imeis[i % nimei], sizeof n->imei); /* SIM i sits in module i % nimei */
        make_imsi(s, n->imsi);
    }
    f->cell[0] = f->cell[1] = below(s, s->ncells);
    f->channels = channels[below(s, 3)];
    if (f->channels > f->nnum)
        f->channels = (uint16_t)f->nnum;
    f->daily_lo = 20;
    f->daily_hi = 50;
}

static void make_wangiri(struct cdrsim *s, struct fraud *f)
{
    fraud_window(s, f, 1, 2);
    f->nnum = range(s, 1, 4);
    f->num0 = s->nnum;
    const struct country *c = &premium_countries[below(s, 6)];
    for (uint32_t i = 0; i < f->nnum; i++)
        add_foreign(s, c, CDRSIM_WANGIRI);
    f->daily_lo = 300;
    f->daily_hi = 1500;
}

/* A spoofed campaign presents a few numbers of one theme: local mobiles nobody holds, landlines,
 * a service number, or the police. */
static void make_spoofed(struct cdrsim *s, struct fraud *f)
{
    static const char *const areas[] = {"0755", "010", "021", "020"};
    char str[NUM_CAP];
    fraud_window(s, f, 2, 7);
    f->num0 = s->nnum;
    f->mode = (uint8_t)below(s, 4);
    uint32_t n = f->mode == 0 ? range(s, 3, 10) : f->mode == 1 ? range(s, 2, 6) : 1;
    for (uint32_t i = 0; i < n; i++) {
        if (f->mode == 0) {
            uint32_t q = s->spoof_locals++, b = q % s->nblocks;
            uint32_t local = BLOCK_USED + (q / s->nblocks) % (10000u - BLOCK_USED);
            block_number(&s->block[b], (local * s->block[b].mul + s->block[b].add) % 10000u, str);
        } else if (f->mode == 1) {
            const char *area = areas[below(s, 4)];
            size_t al = strlen(area);
            memcpy(str, area, al);
            digits(str + al, 80000000u + (s->spoof_lines++ * 7919u) % 10000000u, 8);
        } else {
            /* mode 2: a bank-like 95xxx; mode 3: 96110 or 110 */
            uint32_t k = f->mode == 2 ? below(s, 8) : 8 + below(s, 2);
            if (!s->spoof_service_ref[k])
                s->spoof_service_ref[k] = add_num(s, spoof_service[k], CDRSIM_SPOOFED);
            f->nnum = 1;
            f->num0 = s->spoof_service_ref[k];
            break;
        }
        add_num(s, str, CDRSIM_SPOOFED);
        f->nnum = i + 1;
    }
    f->daily_lo = 20;
    f->daily_hi = 80;
}

static void make_impersonator(struct cdrsim *s, struct fraud *f)
{
    fraud_window(s, f, 3, 14);
    f->num0 = add_fraud_mobile(s, CDRSIM_IMPERSONATOR);
    f->nnum = 1;
    add_phone(s, f->num0);
    f->cell[0] = below(s, s->ncells);
    f->cell[1] = below(s, 2) ? f->cell[0] : below(s, s->ncells);
    f->daily_lo = 10;
    f->daily_hi = 30;
}

static uint32_t fraud_count(const struct cdrsim *s, unsigned per_100k)
{
    uint64_t days = s->o.days < 7 ? 7 : s->o.days; /* at least a week's worth */
    uint64_t n = ((uint64_t)per_100k * s->o.people * days + 350000) / 700000;
    return n ? (uint32_t)n : 1;
}

static bool make_fraud(struct cdrsim *s)
{
    uint32_t total = 0;
    for (size_t i = 0; i < sizeof fraud_rates / sizeof *fraud_rates; i++)
        total += fraud_count(s, fraud_rates[i].per_100k);
    s->fraud = fz_calloc(total, sizeof *s->fraud);
    if (!s->fraud)
        return false;
    for (size_t i = 0; i < sizeof fraud_rates / sizeof *fraud_rates; i++) {
        enum cdrsim_arch a = fraud_rates[i].arch;
        uint32_t n = fraud_count(s, fraud_rates[i].per_100k);
        for (uint32_t k = 0; k < n && !s->oom; k++) {
            struct fraud *f = &s->fraud[s->nfraud++];
            f->arch = (uint8_t)a;
            switch (a) {
            case CDRSIM_MASS_DIALLER: make_mass_dialler(s, f); break;
            case CDRSIM_SIMBOX: make_simbox(s, f); break;
            case CDRSIM_WANGIRI: make_wangiri(s, f); break;
            case CDRSIM_SPOOFED: make_spoofed(s, f); break;
            default: make_impersonator(s, f); break;
            }
            s->stats.entities[a]++;
        }
    }
    return !s->oom;
}

/* ---- records -------------------------------------------------------------------------- */

static inline enum cdrsim_arch arch_of(const struct cdrsim *s, uint32_t ref)
{
    return ref < s->o.people ? person_role(s, ref) : (enum cdrsim_arch)(s->kind[ref] & ~IS_CALLER);
}

/* Files a record in the bucket of its time; marks its caller as one. */
static void push(struct cdrsim *s, struct ev *e)
{
    uint32_t k = (e->t - s->day_start) / BUCKET_S;
    if (e->t >= s->run_end || k >= 2 * NBUCKET)
        return; /* after the simulated period, or (never) a day late */
    e->archs = (uint8_t)(arch_of(s, e->caller) | arch_of(s, e->callee) << 4);
    s->kind[e->caller] |= IS_CALLER;
    struct evbuf *b = &s->bucket[k];
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        struct ev *p = fz_realloc(b->ev, cap * sizeof *p);
        if (!p) {
            s->oom = true;
            return;
        }
        b->ev = p;
        b->cap = cap;
    }
    b->ev[b->n++] = *e;
}

/* Answered with answer_pct percent: talk from q, ring 2-20 s; otherwise ring 10-45 s, or a
 * quick reject (ring 0-3 s) one time in three. */
static void outcome(struct cdrsim *s, struct ev *e, uint32_t answer_pct, const struct quantiles *q)
{
    if (below(s, 100) < answer_pct) {
        e->dur = sample(s, q);
        e->ring = (uint16_t)range(s, 2, 20);
    } else {
        e->dur = 0;
        e->ring = (uint16_t)(below(s, 3) ? range(s, 10, 45) : range(s, 0, 3));
    }
}

static void person_ev(const struct cdrsim *s, struct ev *e, uint32_t p, uint32_t t)
{
    const struct person *ps = &s->person[p];
    uint32_t hour = t % DAY_S / 3600u;
    uint32_t c = ps->ncell > 1 && hour >= 9 && hour < 18 ? 1 : 0;
    memset(e, 0, sizeof *e);
    e->t = t;
    e->caller = p;
    e->cell = 100000u + ps->cell[c];
}

/* A resident calls back: voice, from their own phone, answered with answer_pct percent. */
static void callback(struct cdrsim *s, uint32_t p, uint32_t to, uint32_t t, uint32_t answer_pct,
                     const struct quantiles *q)
{
    struct ev e;
    person_ev(s, &e, p, t);
    e.callee = to;
    outcome(s, &e, answer_pct, q);
    push(s, &e);
}

/* A contact from p's circle: the edge (a, a + off[k]) exists for about 65% of (a, k), seen
 * the same from both ends, so circles are reciprocal. */
static uint32_t circle_contact(struct cdrsim *s, uint32_t p)
{
    uint32_t n = s->o.people;
    for (int tries = 0; tries < 8 && n > 1; tries++) {
        uint32_t k = s->circle_lut[r32(s) >> 26], off = s->off[k];
        bool up = r32(s) & 1;
        uint32_t j =
            up ? (uint32_t)(((uint64_t)p + off) % n) : (uint32_t)(((uint64_t)p + n - off) % n);
        uint32_t a = up ? p : j;
        if ((mix64(s->o.seed * 0x9E3779B97F4A7C15ull ^ ((uint64_t)a << 5 | k)) >> 40) <
            (uint64_t)(0.65 * (1u << 24)))
            return j;
    }
    return below(s, n);
}

static uint32_t org_ref(struct cdrsim *s, uint32_t first, uint32_t count)
{
    return s->org[first + below(s, count)].ref;
}

/* One call or SMS of a resident's personal life, and the callee's callback when missed. */
static void person_call(struct cdrsim *s, uint32_t p)
{
    struct ev e;
    const struct person *ps = &s->person[p];
    person_ev(s, &e, p, time_in_day(s, s->day_start, P_DAY));
    uint32_t what = below(s, 1000);
    if (what < 100) {
        e.callee = circle_contact(s, p);
        e.flags = EV_SMS;
        push(s, &e);
        return;
    }
    const struct quantiles *q = &s->talk_sub;
    uint32_t answer = 85;
    if (what < 840) {
        e.callee = circle_contact(s, p);
    } else if (what < 900) {
        uint32_t fav = (uint32_t)(mix64(((uint64_t)p << 2) + below(s, 3)) % s->nbiz);
        e.callee = s->org[s->biz0 + fav].ref, q = &s->talk_biz;
    } else if (what < 910) {
        e.callee = org_ref(s, s->bank0, s->nbank), q = &s->talk_cc;
    } else if (what < 920) {
        e.callee = org_ref(s, s->hot0, s->biz0 - s->hot0), q = &s->talk_cc;
    } else if (what < 990 || !ps->relative) {
        e.callee = below(s, s->o.people);
    } else {
        e.callee = ps->relative + 1, q = &s->talk_rel; /* the dialled 00 form */
    }
    outcome(s, &e, answer, q);
    push(s, &e);
    if (!e.dur && e.callee < s->o.people && e.callee != p && chance_pm(s, 400))
        callback(s, e.callee, p, e.t + e.ring + range(s, 60, 5400), 85, &s->talk_sub);
}

static void people_day(struct cdrsim *s)
{
    for (uint32_t p = 0; p < s->o.people; p++) {
        uint32_t rate = s->person[p].rate, calls = 0;
        uint64_t r = rnd_next(&s->rng);
        for (int i = 0; i < 10; i++) {
            if (i == 4 || i == 8)
                r = rnd_next(&s->rng);
            calls += (r & 0xFFFF) < rate;
            r >>= 16;
        }
        for (uint32_t i = 0; i < calls; i++)
            person_call(s, p);
    }
}

/* Couriers call 40-120 distinct residents a day, moving along a route of cells; riders 20-60
 * around meals, within a few cells. Missed calls are often returned. */
static void workers_day(struct cdrsim *s)
{
    for (uint32_t p = 0; p < s->o.people; p++) {
        const struct person *ps = &s->person[p];
        if (ps->arch == CDRSIM_SUBSCRIBER)
            continue;
        bool courier = ps->arch == CDRSIM_COURIER;
        uint32_t n = courier ? range(s, 40, 120) : range(s, 20, 60);
        for (uint32_t i = 0; i < n; i++) {
            struct ev e;
            uint32_t t = time_in_day(s, s->day_start, courier ? P_WORK : P_MEAL);
            person_ev(s, &e, p, t);
            uint32_t hour = t % DAY_S / 3600u;
            e.cell = 100000u + (courier ? (ps->cell[0] + hour * 2u + below(s, 3)) % s->ncells
                                        : (ps->cell[0] + below(s, 6)) % s->ncells);
            e.callee = below(s, s->o.people);
            if (below(s, 100) < (courier ? 70u : 80u)) {
                e.dur = courier ? (int32_t)range(s, 15, 60) : (int32_t)range(s, 10, 40);
                e.ring = (uint16_t)range(s, 2, 15);
            } else {
                e.ring = (uint16_t)range(s, 10, 40);
            }
            push(s, &e);
            uint32_t back_pm = e.dur ? (courier ? 60 : 30) : (courier ? 500 : 550);
            if (e.callee != p && chance_pm(s, back_pm)) {
                uint32_t delay = courier ? range(s, 120, 7200) : range(s, 30, 900);
                callback(s, e.callee, p, e.t + e.ring + (uint32_t)e.dur + delay, 90, &s->talk_hot);
            }
        }
    }
}

/* Businesses, call centres, banks and hotlines calling out; residents return missed calls. */
static void orgs_day(struct cdrsim *s)
{
    for (uint32_t i = 0; i < s->norg; i++) {
        const struct org *o = &s->org[i];
        bool biz = o->arch == CDRSIM_BUSINESS;
        const struct quantiles *q = biz                              ? &s->talk_biz
                                    : o->arch == CDRSIM_BANK_SERVICE ? &s->talk_cc
                                                                     : &s->talk_hot;
        uint32_t n = range(s, o->daily / 2u, o->daily);
        for (uint32_t k = 0; k < n; k++) {
            struct ev e;
            memset(&e, 0, sizeof e);
            e.t = time_in_day(s, s->day_start, P_WORK);
            e.caller = o->ref;
            e.callee =
                biz && below(s, 10) < 3 ? org_ref(s, s->biz0, s->nbiz) : below(s, s->o.people);
            outcome(s, &e, o->answer_pct, q);
            /* telemarketing: a third of the answered call-centre calls are hung up at once */
            if (e.dur && o->arch == CDRSIM_CALL_CENTRE && below(s, 3) == 0)
                e.dur = (int32_t)range(s, 2, 9);
            push(s, &e);
            if (e.callee < s->o.people && chance_pm(s, e.dur ? 20 : biz ? 300 : 100))
                callback(s, e.callee, o->ref, e.t + e.ring + (uint32_t)e.dur + range(s, 300, 14400),
                         biz ? 80 : 90, q);
        }
    }
}

static void iot_day(struct cdrsim *s)
{
    for (uint32_t i = 0; i < s->niot; i++) {
        const struct iot *t = &s->iot[i];
        uint32_t n = range(s, 1, t->daily_max);
        for (uint32_t k = 0; k < n; k++) {
            struct ev e;
            memset(&e, 0, sizeof e);
            e.t = time_in_day(s, s->day_start, P_FLAT);
            e.caller = t->ref;
            e.callee = t->platform;
            e.flags = EV_SMS;
            e.cell = 100000u + t->cell;
            push(s, &e);
        }
    }
}

/* Relatives abroad call in about twice a week on the international trunk. */
static void relatives_day(struct cdrsim *s)
{
    for (uint32_t p = 0; p < s->o.people; p++) {
        uint32_t rel = s->person[p].relative;
        if (!rel || !chance_pm(s, 250))
            continue;
        struct ev e;
        memset(&e, 0, sizeof e);
        e.t = time_in_day(s, s->day_start, P_DAY);
        e.caller = rel;
        e.callee = p;
        e.flags = EV_INTL;
        outcome(s, &e, 85, &s->talk_rel);
        push(s, &e);
        if (!e.dur && chance_pm(s, 500))
            callback(s, p, rel + 1, e.t + e.ring + range(s, 300, 7200), 85, &s->talk_rel);
    }
}

/* The window [lo, hi) of day d where f is active; false when it is not. */
static bool active(const struct cdrsim *s, const struct fraud *f, uint32_t *lo, uint32_t *hi)
{
    *lo = f->from > s->day_start ? f->from : s->day_start;
    *hi = f->until < s->day_end ? f->until : s->day_end;
    return *lo < *hi;
}

static uint32_t synthetic(struct cdrsim *s, const char *str)
{
    return add_num(s, str, CDRSIM_UNALLOCATED);
}

/* The next callee of a mass dialler: a random resident, or the next number of a block (which
 * may be unallocated); 4% are malformed. */
static uint32_t dialler_callee(struct cdrsim *s, struct fraud *f)
{
    char str[NUM_CAP];
    if (below(s, 100) < 4) {
        if (below(s, 2)) {
            memcpy(str, "12", 2);
            digits(str + 2, below(s, 1000000000u), 9);
        } else {
            memcpy(str, mobile_prefixes[below(s, NPREFIX)], 3);
            digits(str + 3, below(s, 10000000u), 7);
        }
        return synthetic(s, str);
    }
    if (f->mode == 0)
        return below(s, s->o.people);
    uint32_t b = f->seq_block, suffix = f->seq_suffix;
    if (++f->seq_suffix == 10000) {
        f->seq_suffix = 0;
        f->seq_block = (f->seq_block + 1) % s->nblocks;
    }
    uint32_t who = resident_at(s, b, suffix);
    if (who != UINT32_MAX)
        return who;
    block_number(&s->block[b], suffix, str);
    return synthetic(s, str);
}

static void dialler_call(struct cdrsim *s, struct fraud *f, uint32_t t)
{
    struct ev e;
    memset(&e, 0, sizeof e);
    e.t = t;
    e.caller = f->num0;
    e.callee = dialler_callee(s, f);
    e.cell = 100000u + f->cell[0];
    if (e.callee >= s->o.people) {
        push(s, &e); /* nobody there: no ring */
        return;
    }
    if (below(s, 100) < 30) {
        uint32_t kind = below(s, 100);
        e.dur = kind < 80   ? (int32_t)range(s, 1, 9)
                : kind < 97 ? (int32_t)range(s, 10, 60)
                            : (int32_t)range(s, 60, 900);
        e.ring = (uint16_t)range(s, 2, 10);
    } else {
        e.ring = (uint16_t)range(s, 3, 15);
    }
    push(s, &e);
    if (chance_pm(s, 10)) {
        struct ev b;
        person_ev(s, &b, e.callee, t + e.ring + (uint32_t)e.dur + range(s, 60, 3600));
        b.callee = f->num0;
        b.ring = (uint16_t)range(s, 20, 40); /* the dialler never answers */
        push(s, &b);
    }
}

/* 2-5 bursts a day, each 30-150 minutes at 150-600 calls an hour, one after the other. */
static void mass_dialler_day(struct cdrsim *s, struct fraud *f)
{
    uint32_t lo, hi;
    if (!active(s, f, &lo, &hi))
        return;
    uint32_t bursts = range(s, 2, 5), slot = 14u * 3600u / bursts;
    for (uint32_t b = 0; b < bursts; b++) {
        uint32_t start = s->day_start + 8u * 3600u + b * slot + below(s, slot / 3);
        uint32_t len = range(s, 30, 150) * 60u, rate = range(s, 150, 600);
        uint32_t gap = 3600u / rate;
        for (uint32_t t = start; t < start + len; t += gap + below(s, gap + 1) - gap / 2)
            if (t >= lo && t < hi)
                dialler_call(s, f, t);
    }
}

/* Each SIM of the rack takes its turn on a channel: the day 09:00-21:00 is cut into shifts of
 * `channels` SIMs; every SIM places 20-50 calls in its shift, never receives any. */
static void simbox_day(struct cdrsim *s, struct fraud *f)
{
    uint32_t lo, hi;
    if (!active(s, f, &lo, &hi))
        return;
    uint32_t shifts = (f->nnum + f->channels - 1) / f->channels;
    uint32_t shift_len = 12u * 3600u / shifts;
    for (uint32_t sim = 0; sim < f->nnum; sim++) {
        uint32_t start = s->day_start + 9u * 3600u + (sim / f->channels) * shift_len;
        uint32_t n = range(s, f->daily_lo, f->daily_hi);
        for (uint32_t k = 0; k < n; k++) {
            struct ev e;
            memset(&e, 0, sizeof e);
            e.t = start + below(s, shift_len);
            if (e.t < lo || e.t >= hi)
                continue;
            e.caller = f->num0 + sim;
            e.callee = below(s, s->o.people);
            e.cell = 100000u + f->cell[0];
            if (below(s, 100) < 45) {
                e.dur = below(s, 10) < 4 ? (int32_t)range(s, 2, 9) : sample(s, &s->talk_simbox);
                e.ring = (uint16_t)range(s, 2, 15);
            } else {
                e.ring = (uint16_t)range(s, 5, 25);
            }
            push(s, &e);
        }
    }
}

/* One ring (1-3 s, never answered) from a premium foreign number; 3% call back and are kept
 * talking on the premium line. */
static void wangiri_day(struct cdrsim *s, struct fraud *f)
{
    uint32_t lo, hi;
    if (!active(s, f, &lo, &hi))
        return;
    uint32_t n = range(s, f->daily_lo, f->daily_hi);
    for (uint32_t k = 0; k < n; k++) {
        struct ev e;
        memset(&e, 0, sizeof e);
        e.t = time_in_day(s, s->day_start, P_EVENING);
        if (e.t < lo || e.t >= hi)
            continue;
        e.caller = f->num0 + 2 * below(s, f->nnum);
        e.callee = below(s, s->o.people);
        e.ring = (uint16_t)range(s, 1, 3);
        e.flags = EV_INTL;
        push(s, &e);
        if (chance_pm(s, 30)) {
            struct ev b;
            person_ev(s, &b, e.callee, e.t + range(s, 120, 6 * 3600));
            b.callee = e.caller + 1;
            b.dur = sample(s, &s->talk_premium);
            b.ring = (uint16_t)range(s, 1, 5);
            push(s, &b);
        }
    }
}

/* Calls through the international gateway presenting a domestic number; answered, long. */
static void spoofed_day(struct cdrsim *s, struct fraud *f)
{
    uint32_t lo, hi;
    if (!active(s, f, &lo, &hi))
        return;
    uint32_t n = range(s, f->daily_lo, f->daily_hi);
    for (uint32_t k = 0; k < n; k++) {
        struct ev e;
        memset(&e, 0, sizeof e);
        e.t = time_in_day(s, s->day_start, P_WORK);
        if (e.t < lo || e.t >= hi)
            continue;
        e.caller = f->num0 + below(s, f->nnum);
        e.callee = below(s, s->o.people);
        e.flags = EV_INTL;
        outcome(s, &e, 65, &s->talk_spoof);
        push(s, &e);
    }
}

/* A new mobile calling 10-30 residents a day, mostly answered, 5-30 minute talks. */
static void impersonator_day(struct cdrsim *s, struct fraud *f)
{
    uint32_t lo, hi;
    if (!active(s, f, &lo, &hi))
        return;
    uint32_t n = range(s, f->daily_lo, f->daily_hi);
    for (uint32_t k = 0; k < n; k++) {
        struct ev e;
        memset(&e, 0, sizeof e);
        e.t = time_in_day(s, s->day_start, P_WORK);
        if (e.t < lo || e.t >= hi)
            continue;
        e.caller = f->num0;
        e.callee = below(s, s->o.people);
        e.cell = 100000u + f->cell[below(s, 2)];
        if (below(s, 100) < 85) {
            e.dur = (int32_t)range(s, 300, 1800);
            e.ring = (uint16_t)range(s, 3, 15);
        } else {
            e.ring = (uint16_t)range(s, 15, 40);
        }
        push(s, &e);
    }
}

static void fraud_day(struct cdrsim *s)
{
    for (uint32_t i = 0; i < s->nfraud; i++) {
        struct fraud *f = &s->fraud[i];
        switch (f->arch) {
        case CDRSIM_MASS_DIALLER: mass_dialler_day(s, f); break;
        case CDRSIM_SIMBOX: simbox_day(s, f); break;
        case CDRSIM_WANGIRI: wangiri_day(s, f); break;
        case CDRSIM_SPOOFED: spoofed_day(s, f); break;
        default: impersonator_day(s, f); break;
        }
    }
}

/* ---- victims ---------------------------------------------------------------------------- */

static bool vic_grow(struct cdrsim *s)
{
    size_t cap = s->capvic ? s->capvic * 2 : 1u << 16;
    struct vslot *v = fz_calloc(cap, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < s->capvic; i++) {
        if (!s->vic[i].key)
            continue;
        size_t h = mix64(s->vic[i].key) & (cap - 1);
        while (v[h].key)
            h = (h + 1) & (cap - 1);
        v[h] = s->vic[i];
    }
    fz_free(s->vic);
    s->vic = v;
    s->capvic = cap;
    return true;
}

static void vic_add(struct cdrsim *s, uint32_t resident, uint32_t fraud_ref, int32_t dur)
{
    if (s->nvic * 2 >= s->capvic && !vic_grow(s)) {
        s->oom = true;
        return;
    }
    uint64_t key = (uint64_t)resident << 32 | fraud_ref;
    size_t h = mix64(key) & (s->capvic - 1);
    while (s->vic[h].key && s->vic[h].key != key)
        h = (h + 1) & (s->capvic - 1);
    struct vslot *v = &s->vic[h];
    if (!v->key) {
        v->key = key;
        s->nvic++;
    }
    v->calls++;
    if (dur > 0) {
        v->answered++;
        v->talk += (uint64_t)dur;
        if ((uint32_t)dur > v->max)
            v->max = (uint32_t)dur;
    }
}

/* ---- emission ----------------------------------------------------------------------------- */

/* Counts e in the statistics and, when tracked, in its victim's row. */
static void note(struct cdrsim *s, const struct ev *e, enum cdrsim_arch caller,
                 enum cdrsim_arch callee)
{
    s->stats.records++;
    s->stats.records_by_caller[caller]++;
    s->stats.sms += e->flags & EV_SMS;
    s->stats.international += (e->flags & EV_INTL) != 0;
    if (!s->o.track_victims)
        return;
    if (cdrsim_arch_is_fraud(caller) && e->callee < s->o.people)
        vic_add(s, e->callee, s->num[e->caller].canon, e->dur);
    else if (cdrsim_arch_is_fraud(callee) && e->caller < s->o.people)
        vic_add(s, e->caller, s->num[e->callee].canon, e->dur);
}

/* Puts the records of b (all within BUCKET_S seconds from start) in time order, into order[]. */
static bool sort_bucket(struct cdrsim *s, const struct evbuf *b, uint32_t start)
{
    if (b->n > s->caporder) {
        uint32_t *o = fz_realloc(s->order, b->n * sizeof *o);
        if (!o)
            return false;
        s->order = o;
        s->caporder = b->n;
    }
    memset(s->counts, 0, (BUCKET_S + 1) * sizeof *s->counts);
    for (size_t i = 0; i < b->n; i++)
        s->counts[b->ev[i].t - start + 1]++;
    for (uint32_t i = 1; i <= BUCKET_S; i++)
        s->counts[i] += s->counts[i - 1];
    for (size_t i = 0; i < b->n; i++)
        s->order[s->counts[b->ev[i].t - start]++] = (uint32_t)i;
    return true;
}

/* Asks for the strings of the record PREFETCH_AHEAD places on: records in time order name
 * numbers and devices at random, and a consumer that reads them would otherwise wait on memory
 * for each. */
#define PREFETCH_AHEAD 8

/* A macro: GCC finds a function holding only prefetches pure, and drops its calls. */
#define prefetch_strings(s, e)                                                                     \
    do {                                                                                           \
        const struct ev *e_ = (e);                                                                 \
        __builtin_prefetch(&(s)->num[e_->caller]);                                                 \
        __builtin_prefetch(&(s)->num[e_->callee]);                                                 \
    } while (0)

static int emit_bucket(struct cdrsim *s, const struct evbuf *b, cdrsim_rec_cb *cb, void *ud)
{
    for (size_t i = 0; i < b->n && i < PREFETCH_AHEAD; i++)
        prefetch_strings(s, &b->ev[s->order[i]]);
    for (size_t i = 0; i < b->n; i++) {
        const struct ev *e = &b->ev[s->order[i]];
        if (i + PREFETCH_AHEAD < b->n)
            prefetch_strings(s, &b->ev[s->order[i + PREFETCH_AHEAD]]);
        enum cdrsim_arch caller = e->archs & 15, callee = e->archs >> 4;
        struct cdrsim_rec r;
        r.caller = s->num[e->caller].str;
        r.callee = s->num[e->callee].str;
        r.start = s->o.start + e->t;
        r.duration_s = e->dur;
        r.ring_s = e->ring;
        r.is_sms = e->flags & EV_SMS;
        r.is_international_trunk = e->flags & EV_INTL;
        r.cell_id = e->cell;
        r.imei = s->num[e->caller].imei;
        r.imsi = s->num[e->caller].imsi;
        r.caller_arch = caller;
        r.callee_arch = callee;
        note(s, e, caller, callee);
        if (s->oom)
            return -1;
        int rc = cb(ud, &r);
        if (rc)
            return rc;
    }
    return 0;
}

static int emit_day(struct cdrsim *s, cdrsim_rec_cb *cb, void *ud)
{
    for (uint32_t k = 0; k < NBUCKET; k++) {
        const struct evbuf *b = &s->bucket[k];
        if (!sort_bucket(s, b, s->day_start + k * BUCKET_S))
            return -1;
        int rc = emit_bucket(s, b, cb, ud);
        if (rc)
            return rc;
    }
    return 0;
}

static void generate_day(struct cdrsim *s)
{
    people_day(s);
    workers_day(s);
    orgs_day(s);
    iot_day(s);
    relatives_day(s);
    fraud_day(s);
}

int cdrsim_run(struct cdrsim *s, cdrsim_rec_cb *cb, void *ud)
{
    if (s->ran || s->oom)
        return -1;
    s->ran = true;
    for (uint32_t d = 0; d < s->o.days; d++) {
        s->day_start = d * DAY_S;
        s->day_end = s->day_start + DAY_S;
        generate_day(s);
        if (s->oom)
            return -1;
        int rc = emit_day(s, cb, ud);
        if (rc)
            return rc;
        for (uint32_t k = 0; k < NBUCKET; k++) {
            struct evbuf t = s->bucket[k];
            s->bucket[k] = s->bucket[k + NBUCKET];
            s->bucket[k + NBUCKET] = t;
            s->bucket[k + NBUCKET].n = 0;
        }
    }
    return 0;
}

/* ---- setup and the walks ------------------------------------------------------------------ */

void cdrsim_opts_init(struct cdrsim_opts *o)
{
    memset(o, 0, sizeof *o);
    o->people = 10000;
    o->days = 1;
    o->seed = 1;
    o->start = 1793462400; /* 2026-11-01T00:00:00+08:00 */
}

static void make_tables(struct cdrsim *s)
{
    hour_tables(s);
    lognormal(&s->talk_sub, 90, 0.75, 3, 7200);
    lognormal(&s->talk_biz, 120, 0.8, 5, 3600);
    lognormal(&s->talk_cc, 90, 0.8, 5, 3600);
    lognormal(&s->talk_hot, 40, 0.6, 5, 900);
    lognormal(&s->talk_rel, 600, 0.7, 30, 7200);
    lognormal(&s->talk_premium, 100, 0.9, 10, 3600);
    lognormal(&s->talk_spoof, 700, 0.6, 60, 5400);
    lognormal(&s->talk_simbox, 60, 1.0, 10, 1800);
}

static bool make_population(struct cdrsim *s)
{
    uint32_t n = s->o.people;
    s->nblocks = (n + BLOCK_USED - 1) / BLOCK_USED;
    s->ncells = n / 400 > 64 ? n / 400 : 64;
    s->nbiz = n / 100 > 10 ? n / 100 : 10;
    s->niot = n / 200 > 5 ? n / 200 : 5;
    size_t norgs = s->nbiz + n / 20000 + 64;
    s->block = fz_calloc(s->nblocks, sizeof *s->block);
    s->person = fz_mallocarray(n, sizeof *s->person);
    if (s->person) {
        advise_huge(s->person, (size_t)n * sizeof *s->person);
        memset(s->person, 0, (size_t)n * sizeof *s->person);
    }
    s->org = fz_calloc(norgs, sizeof *s->org);
    s->iot = fz_calloc(s->niot, sizeof *s->iot);
    s->counts = fz_calloc(BUCKET_S + 1, sizeof *s->counts);
    if (!s->block || !s->person || !s->org || !s->iot || !s->counts)
        return false;
    make_blocks(s);
    /* refs 0..people-1 are the residents */
    make_people(s);
    make_relatives(s);
    make_orgs(s);
    make_iot(s);
    return !s->oom && make_fraud(s);
}

struct cdrsim *cdrsim_new(const struct cdrsim_opts *o)
{
    if (!o->people || o->people > CDRSIM_MAX_PEOPLE || !o->days || o->days > CDRSIM_MAX_DAYS)
        return NULL;
    struct cdrsim *s = fz_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->o = *o;
    s->rng = o->seed;
    s->run_end = o->days * DAY_S;
    make_tables(s);
    if (!make_population(s)) {
        cdrsim_free(s);
        return NULL;
    }
    return s;
}

void cdrsim_free(struct cdrsim *s)
{
    if (!s)
        return;
    fz_free(s->num_alloc);
    fz_free(s->kind);
    fz_free(s->person);
    fz_free(s->block);
    fz_free(s->org);
    fz_free(s->iot);
    fz_free(s->fraud);
    for (uint32_t k = 0; k < 2 * NBUCKET; k++)
        fz_free(s->bucket[k].ev);
    fz_free(s->order);
    fz_free(s->counts);
    fz_free(s->vic);
    fz_free(s);
}

int cdrsim_labels(const struct cdrsim *s, cdrsim_label_cb *cb, void *ud)
{
    for (uint32_t i = 0; i < s->nnum; i++) {
        if (!(s->kind[i] & IS_CALLER))
            continue;
        enum cdrsim_arch a = s->kind[i] & ~IS_CALLER;
        int rc = cb(ud, s->num[i].str, cdrsim_arch_is_fraud(a), a);
        if (rc)
            return rc;
    }
    return 0;
}

static int by_fraud_then_resident(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int cdrsim_victims(struct cdrsim *s, cdrsim_victim_cb *cb, void *ud)
{
    if (!s->o.track_victims)
        return -1;
    uint64_t *keys = fz_mallocarray(s->nvic ? s->nvic : 1, sizeof *keys);
    if (!keys)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < s->capvic; i++)
        if (s->vic[i].key)
            keys[k++] = s->vic[i].key << 32 | s->vic[i].key >> 32;
    qsort(keys, k, sizeof *keys, by_fraud_then_resident);
    int rc = 0;
    for (size_t i = 0; i < k && !rc; i++) {
        uint64_t key = keys[i] << 32 | keys[i] >> 32;
        size_t h = mix64(key) & (s->capvic - 1);
        while (s->vic[h].key != key)
            h = (h + 1) & (s->capvic - 1);
        const struct vslot *v = &s->vic[h];
        struct cdrsim_victim out = {s->num[key >> 32].str,
                                    s->num[(uint32_t)key].str,
                                    s->kind[(uint32_t)key] & ~IS_CALLER,
                                    v->calls,
                                    v->answered,
                                    v->talk,
                                    v->max};
        rc = cb(ud, &out);
    }
    fz_free(keys);
    return rc;
}

int cdrsim_whitelist(const struct cdrsim *s, int (*cb)(void *ud, const char *number), void *ud)
{
    for (uint32_t i = s->bank0; i < s->bank0 + s->nbank; i++) {
        int rc = cb(ud, s->num[s->org[i].ref].str);
        if (rc)
            return rc;
    }
    for (uint32_t i = s->hot0; i < s->hot0 + s->nhot; i++) {
        int rc = cb(ud, s->num[s->org[i].ref].str);
        if (rc)
            return rc;
    }
    return 0;
}

void cdrsim_stats(const struct cdrsim *s, struct cdrsim_stats *out)
{
    *out = s->stats;
    memset(out->callers, 0, sizeof out->callers);
    for (uint32_t i = 0; i < s->nnum; i++)
        if (s->kind[i] & IS_CALLER)
            out->callers[s->kind[i] & ~IS_CALLER]++;
    out->victims = s->nvic;
}
