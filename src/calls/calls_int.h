/*
 * calls_int.h: the engine's state, shared by the files of src/calls (docs/internals/calls.md).
 *
 * Numbers are interned to 32-bit ids (1..n; 0 = none). Each number has a fixed-size record with
 * three rings of time buckets (1 h = 6 × 10 min, 24 h = 12 × 2 h, 7 d = 7 × 1 day). Each
 * (caller, callee) pair is one contact, chained from both numbers, so who a number reached and
 * who called it back are a walk of its chains. Open-addressing maps of 64-bit keys find numbers
 * by the hash of the raw text (so a number is normalized once), by their canonical text, pairs
 * and IMEIs.
 */
#ifndef FZ_CALLS_INT_H
#define FZ_CALLS_INT_H

#include "fangzha/calls.h"
#include "fangzha/phone.h"

/* ---- a map of non-zero 64-bit keys to 32-bit values --------------------------------------- */

struct fz__u64slot {
    uint64_t key; /* 0 = empty */
    uint64_t val; /* 32 bits used; the slot is 16 bytes so that one probe is one cache line */
};
struct fz__u64map {
    struct fz__u64slot *slots;
    size_t mask, count;
    /* Keys are a << 32 | b, homed by the unordered pair {a, b}: a pair and its reverse start
     * their probes at the same slot, so looking up both reads the same lines. */
    bool by_pair;
};
/* The slot where key's probe starts. MurmurHash3's 64-bit finalizer: pair keys (two small ids
 * side by side) need every bit mixed into the low ones the mask keeps. */
static inline size_t fz__u64map_home(const struct fz__u64map *m, uint64_t key)
{
    if (m->by_pair && (uint32_t)key < key >> 32)
        key = key << 32 | key >> 32;
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ull;
    key ^= key >> 33;
    return (size_t)key & m->mask;
}
void fz__u64map_init(struct fz__u64map *m);
void fz__u64map_release(struct fz__u64map *m);
/* The slot of key: *found tells whether it holds key; otherwise it is the free slot where key
 * belongs (valid until the next insertion). */
static inline size_t fz__u64map_slot(const struct fz__u64map *m, uint64_t key, bool *found)
{
    size_t i = fz__u64map_home(m, key);
    while (m->slots[i].key && m->slots[i].key != key)
        i = (i + 1) & m->mask;
    *found = m->slots[i].key == key;
    return i;
}
/* Puts key → val (grows the map when needed). */
fz_rc fz__u64map_put(struct fz__u64map *m, uint64_t key, uint32_t val);
/* The value of key, or 0. */
static inline uint32_t fz__u64map_get(const struct fz__u64map *m, uint64_t key)
{
    if (!m->slots)
        return 0;
    bool found;
    size_t s = fz__u64map_slot(m, key, &found);
    return found ? (uint32_t)m->slots[s].val : 0;
}
/* Makes room for n more keys without growing during insertions. */
fz_rc fz__u64map_reserve(struct fz__u64map *m, size_t n);
/* Gives empty map m cap slots (a power of two), zero, in an address range of their own on
 * 2 MiB pages (as vectors: see table.c). */
fz_rc fz__u64map_alloc(struct fz__u64map *m, size_t cap);

/* The map key of a raw text: the digits themselves (tagged with the length, so leading zeros
 * count) when it is up to 17 digits, as most numbers and IMEIs are; a hash otherwise. */
static inline uint64_t fz__calls_raw_key(const char *s, size_t len)
{
    if (len && len <= 17) {
        uint64_t v = 0;
        size_t i = 0;
        for (; i < len && (unsigned char)(s[i] - '0') < 10; i++)
            v = v * 10 + (uint64_t)(s[i] - '0');
        if (i == len)
            return 1ull << 63 | v << 5 | len;
    }
    return (fz_hash(s, len) | 1) & ~(1ull << 63);
}

/* ---- windows ------------------------------------------------------------------------------ */

/* Three sliding windows, each a ring of time buckets: 1 h = 6 × 10 min, 24 h = 12 × 2 h,
 * 7 d = 7 × 1 day. Each ring holds only the counters its window's features read, so a call
 * touches few cache lines: the 1 h and 7 d rings and the calls received each fit in one line, and
 * the 24 h ring's buckets are a half line each. Counters are saturating 16-bit. */
enum { WIN_1H, WIN_24H, WIN_7D, WIN__COUNT };
#define WIN_1H_BUCKETS 6
#define WIN_24H_BUCKETS 12
#define WIN_7D_BUCKETS 7

/* The 1 h ring: calls placed, short ones, distinct callees. */
enum { H_OUT, H_SHORT, H_DISTINCT, H__COUNTERS };
struct fz__ring_1h {
    uint32_t last; /* absolute index of its newest bucket (0: never used; indices start at 1) */
    uint16_t v[H__COUNTERS * WIN_1H_BUCKETS]; /* counter r of slot i at v[r * 6 + i] */
};

/* The 7 d ring: calls placed, distinct callees, callees that called back. */
enum { W_OUT, W_DISTINCT, W_CALLBACKS, W__COUNTERS };
struct fz__ring_7d {
    uint32_t last;
    uint16_t v[W__COUNTERS * WIN_7D_BUCKETS]; /* counter r of slot i at v[r * 7 + i] */
};

/* Calls received, over 24 h and 7 d: all a callee's side of a call touches. */
struct fz__ring_in {
    uint32_t last_24h, last_7d;
    uint16_t d[WIN_24H_BUCKETS], w[WIN_7D_BUCKETS];
};

/* The absolute bucket of time t in window w, counted from 1 so that 0 can mean "never used"
 * (the first bucket after the epoch was 0 too, and its calls were lost or mixed up). Divisions
 * by constants: the compiler turns them into multiplications. */
static inline uint32_t fz__calls_win_index(int w, int64_t t)
{
    switch (w) {
    case WIN_1H: return (uint32_t)((uint64_t)t / 600) + 1;
    case WIN_24H: return (uint32_t)((uint64_t)t / 7200) + 1;
    default: return (uint32_t)((uint64_t)t / 86400) + 1;
    }
}

/* A bucket of the 24 h ring, with every counter. It carries its own absolute index, so a bucket
 * left over from an older day is reset when reused instead of the ring being cleared as it moves:
 * a call touches one bucket. */
struct fz__day_bucket {
    uint32_t ai;        /* the absolute 2-hour index it counts (0: never used) */
    uint32_t talk_s;    /* talk time of calls placed */
    uint16_t out;       /* voice calls placed */
    uint16_t shrt;      /* ... shorter than short_call_s (unanswered included) */
    uint16_t answered;  /* ... answered */
    uint16_t night;     /* ... between 22:00 and 06:00 Beijing time */
    uint16_t odd;       /* ... to invalid or sequential numbers */
    uint16_t one_ring;  /* ... unanswered after at most one_ring_s of ringing */
    uint16_t intl;      /* ... arriving on the international trunk */
    uint16_t callbacks; /* callees that called back (once each) */
    uint16_t distinct;  /* callees whose latest call falls in this bucket */
    uint16_t pad[3];
};

/* The sums of a window's buckets (counters a window does not keep are 0). */
struct fz__sums {
    uint32_t out, shrt, answered, night, odd, one_ring, intl, in, callbacks, distinct;
    uint64_t talk_s;
};

/* ---- numbers, contacts, IMEIs ------------------------------------------------------------- */

enum {
    NUM_WHITELISTED = 1u << 0,
    NUM_FLAGGED = 1u << 1,
    NUM_PRESENTED = 1u << 2, /* a domestic number as presented on the international trunk */
};
#define NUM_CELLS 6
#define NUM_IMEIS 4
#define IMEI_NUMBERS 16

/* A number's record, 960 bytes starting on a cache line (the vector's range is 2 MiB aligned).
 * Every call touches line 0; a call placed also touches the place line, the 1 h and 7 d rings
 * and one 24 h bucket; a call received, the line of calls received. The evaluation's fields are
 * touched only when the number is evaluated. */
struct fz__num {
    /* line 0 */
    _Alignas(64) uint32_t first_seen;
    uint32_t last_seen;
    uint32_t out_head, in_head; /* contact chains: calls this number placed, received */
    uint32_t out_total, spoofed;
    uint32_t iot_voice;
    uint8_t cls;            /* enum fz_phone_class */
    uint8_t flags;          /* NUM_* */
    uint8_t ncells, nimeis; /* distinct ones seen (saturating) */
    uint64_t digits;        /* the value of text's digits */
    uint64_t last_callee;   /* the digits of the previous callee, for sequential dialling */
    uint64_t last_imei;     /* key of its previous call's IMEI: the same phone needs no lookup */
    /* line 1: calls received (with line 0, all a call touches of its callee: one aligned pair
     * of lines, which the memory fetches together more cheaply than two lines apart) */
    _Alignas(64) struct fz__ring_in in;
    /* line 2: the place */
    _Alignas(64) uint32_t cells[NUM_CELLS];
    uint32_t imeis[NUM_IMEIS];    /* IMEI ids */
    char text[FZ_PHONE_E164_MAX]; /* E.164, or a short code's digits */
    /* lines 3, 4 */
    _Alignas(64) struct fz__ring_1h h;
    uint32_t peak_time;
    uint32_t peak_detectors;
    float peak_score, busy_calls;
    _Alignas(64) struct fz__ring_7d w;
    /* lines 5 .. 10 */
    _Alignas(64) struct fz__day_bucket d[WIN_24H_BUCKETS];
    /* evaluation */
    float peak_feat[FZ_CALLS__FEATURES]; /* at the highest score */
    float peak_scores[FZ_CALLS__DETECTORS];
    float busy_feat[FZ_CALLS__FEATURES]; /* at the most calls in 24 h: the training row */
};

struct fz__contact {
    uint32_t caller, callee;
    uint32_t next_out, next_in; /* the next contact of caller's and callee's chains */
    uint32_t first, last;       /* start of the first and latest call */
    uint32_t talk_s;
    uint16_t calls, answered;
    uint8_t called_back; /* the callee has called the caller since */
    uint8_t pad[3];
};

struct fz__imei {
    uint32_t nums[IMEI_NUMBERS];
    uint32_t nnum; /* distinct numbers seen (exact up to IMEI_NUMBERS, then saturates) */
};

/* A growable array of fixed-size elements, element 0 unused (ids start at 1). */
struct fz__vec {
    void *data;
    size_t len, cap, size;
};

struct fz_calls {
    struct fz_calls_config cfg;
    struct fz_calls_model model;
    bool has_model;
    fz_calls_event_cb *cb;
    void *ud;
    int64_t now;           /* the newest start time applied */
    int64_t compacted_day; /* the day (now / 86400) contacts were last swept */
    struct fz_calls_stats stats;
    struct fz__vec nums, contacts, imeis;
    struct fz__u64map by_raw;    /* hash of the raw text → number id (UINT32_MAX: not a number) */
    struct fz__u64map by_text;   /* hash of the canonical text → number id */
    struct fz__u64map pairs;     /* caller << 32 | callee → contact id */
    struct fz__u64map imei_ids;  /* hash of the IMEI → IMEI id */
    struct fz__u64map alerted;   /* resident << 32 | number → highest grade raised + 1 */
    struct fz__u64map presented; /* number id → its id as presented on the international trunk */
};

#define NUM(c, id) (&((struct fz__num *)(c)->nums.data)[id])
#define CONTACT(c, id) (&((struct fz__contact *)(c)->contacts.data)[id])
#define IMEI(c, id) (&((struct fz__imei *)(c)->imeis.data)[id])

/* The next element's id, its memory zero. */
fz_rc fz__vec_push(struct fz__vec *v, uint32_t *id);
/* Room for n elements (ids 0 .. n-1) without moving. */
fz_rc fz__vec_reserve(struct fz__vec *v, size_t n);
void fz__vec_release(struct fz__vec *v);

/* state.c */
#define NOT_A_NUMBER UINT32_MAX /* a raw text's id when it is no phone number */
uint32_t fz__calls_number(struct fz_calls *c, const char *s, size_t len);
/* The by_text key of normalized number p: the hash of its canonical text. */
uint64_t fz__calls_text_key(const struct fz_phone *p);
/* Normalizes raw number s into *p; false when it is not a number. */
bool fz__calls_normalize(const char *s, size_t len, struct fz_phone *p);
/* Maps raw key to number p (NULL: not a number): its id, or NOT_A_NUMBER, or 0 when memory ran
 * out. */
uint32_t fz__calls_learn(struct fz_calls *c, uint64_t key, const struct fz_phone *p);
/* The record a call from number id is counted in: its own, or on the international trunk a
 * domestic number's presented record (NUM_PRESENTED). 0 when memory ran out. */
uint32_t fz__calls_caller_of(struct fz_calls *c, uint32_t id, bool is_international);
bool fz__calls_start_in_range(const struct fz_cdr *cdr);
/* The error fz_calls_apply gives a record with a bad start time or a caller that is no number. */
fz_rc fz__calls_refusal(const struct fz_cdr *cdr, struct fz_err *err);
/* Applies cdr between resolved numbers (callee NOT_A_NUMBER when it is not one). */
fz_rc fz__calls_apply_ids(struct fz_calls *c, const struct fz_cdr *cdr, uint32_t caller,
                          uint32_t callee);
void fz__calls_window_sums(const struct fz__num *n, int w, int64_t now, struct fz__sums *sum);
/* The id of a number given in any spelling, or 0. */
uint32_t fz__calls_find(struct fz_calls *c, const char *number, size_t len);
/* Drops the contacts older than contact_days (once a day, when a tenth or more are). */
void fz__calls_sweep_contacts(struct fz_calls *c);
/* detect.c */
void fz__calls_features(const struct fz_calls *c, const struct fz__num *n, int64_t now, float *x);
void fz__calls_evaluate(struct fz_calls *c, uint32_t id);
void fz__calls_verdict_of(const struct fz_calls *c, const struct fz__num *n,
                          struct fz_calls_verdict *v);
/* alert.c */
void fz__calls_raise_victims(struct fz_calls *c, uint32_t fraud);
void fz__calls_check_contact(struct fz_calls *c, uint32_t resident, uint32_t fraud,
                             bool is_immediate);
bool fz__calls_is_resident(const struct fz__num *n);

#endif
