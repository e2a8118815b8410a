/*
 * cdrsim: a deterministic simulator of a city's calling population, the input of the call
 * analytics engine's benchmarks and evaluation (docs/internals/cdrsim.md). Ordinary
 * subscribers, couriers, delivery riders, businesses, call centres, banks' service numbers and
 * IoT SIMs call each other; planted fraud numbers (mass diallers, GOIP racks, Wangiri, spoofed
 * international calls, impersonators) call the residents. Records come out in start-time
 * order through a callback, with the ground truth kept beside them: an archetype per caller
 * and, per resident and fraud number, what the contact cost. Same options, same records.
 * Bench code: it links fz_core for the allocator only.
 */
#ifndef FZ_BENCH_CDRSIM_H
#define FZ_BENCH_CDRSIM_H

#include <stdbool.h>
#include <stdint.h>

/* Who holds a number. The fraud archetypes come last, from CDRSIM_MASS_DIALLER on. */
enum cdrsim_arch {
    CDRSIM_SUBSCRIBER,
    CDRSIM_COURIER,
    CDRSIM_DELIVERY,
    CDRSIM_BUSINESS,
    CDRSIM_CALL_CENTRE,
    CDRSIM_BANK_SERVICE,
    CDRSIM_IOT,
    CDRSIM_UNALLOCATED, /* a dialled number nobody holds, or a malformed one: never a caller */
    CDRSIM_MASS_DIALLER,
    CDRSIM_SIMBOX,
    CDRSIM_WANGIRI,
    CDRSIM_SPOOFED,
    CDRSIM_IMPERSONATOR,
    CDRSIM_ARCH_COUNT
};

static inline bool cdrsim_arch_is_fraud(enum cdrsim_arch a) { return a >= CDRSIM_MASS_DIALLER; }

/* The archetype's name in the label files ("mass_dialler", "courier", ...). */
const char *cdrsim_arch_name(enum cdrsim_arch a);

/*
 * One call detail record, seen from the originating side (every record is direction "out").
 * The strings point into the simulator's tables and stay valid until cdrsim_free(); numbers
 * are written as operators record them: 11-digit mobiles without +86, landlines with their
 * area code (0755..., 010...), service numbers as dialled (95588, 4008..., 110), foreign
 * numbers with 00 or +.
 */
struct cdrsim_rec {
    const char *caller, *callee;
    int64_t start;      /* epoch seconds */
    int32_t duration_s; /* talk time; 0 = not answered, and every SMS */
    int32_t ring_s;     /* 0 for SMS and for numbers that do not exist */
    bool is_sms;
    bool is_international_trunk; /* arrived through the international gateway */
    uint32_t cell_id;            /* the caller's cell; 0 = unknown (landlines, foreign) */
    const char *imei, *imsi;     /* the caller's; "" = unknown */
    enum cdrsim_arch caller_arch, callee_arch; /* ground truth, not part of a CDR */
};

/* Rejected by cdrsim_new: more people or days than this. */
#define CDRSIM_MAX_PEOPLE 100000000u
#define CDRSIM_MAX_DAYS 3650u

struct cdrsim_opts {
    uint32_t people;    /* residents (default 10000) */
    uint32_t days;      /* simulated days (default 1) */
    uint64_t seed;      /* default 1 */
    int64_t start;      /* epoch seconds of the first day's midnight (default 2026-11-01
                           00:00 Beijing time, 1793462400) */
    bool track_victims; /* keep per (resident, fraud number) counts for cdrsim_victims */
};

/* Fills o with the defaults. */
void cdrsim_opts_init(struct cdrsim_opts *o);

/* Builds the population and the planted fraud of o (copied). Returns NULL when out of memory
 * or when o is out of bounds (people 0 or above CDRSIM_MAX_PEOPLE, days 0 or above
 * CDRSIM_MAX_DAYS). Free with cdrsim_free. */
struct cdrsim *cdrsim_new(const struct cdrsim_opts *o);

/* Frees s; NULL is a no-op. */
void cdrsim_free(struct cdrsim *s);

/* Receives each record; a non-zero return stops cdrsim_run, which returns it. */
typedef int cdrsim_rec_cb(void *ud, const struct cdrsim_rec *r);

/*
 * Simulates every day and hands each record to cb in start-time order (ties keep the order of
 * generation, so the stream is the same on every run). Call it once per simulator. Returns 0,
 * cb's non-zero value, or -1 when out of memory (s can then only be freed).
 */
int cdrsim_run(struct cdrsim *s, cdrsim_rec_cb *cb, void *ud);

/* Receives one caller's ground truth: its number (as in the records), whether it is fraud, and
 * its archetype. A non-zero return stops the walk and is returned. */
typedef int cdrsim_label_cb(void *ud, const char *number, bool is_fraud, enum cdrsim_arch a);

/* Walks every number that placed at least one record during cdrsim_run, in a fixed order. */
int cdrsim_labels(const struct cdrsim *s, cdrsim_label_cb *cb, void *ud);

/*
 * What one fraud number cost one resident over the run: every record between them in either
 * direction (the fraud number's calls, and the resident's calls back to it), how many were
 * answered, and the talk time. A Wangiri victim's talk time is the premium-rate callback.
 */
struct cdrsim_victim {
    const char *resident, *fraud_number; /* fraud_number as it appears as a caller */
    enum cdrsim_arch arch;
    uint32_t calls, answered;
    uint64_t total_talk_s;
    uint32_t max_talk_s;
};

typedef int cdrsim_victim_cb(void *ud, const struct cdrsim_victim *v);

/* Walks the victims ordered by fraud number, then resident. Returns -1 when the options did not
 * ask to track them or when out of memory, a non-zero value of cb, or 0. */
int cdrsim_victims(struct cdrsim *s, cdrsim_victim_cb *cb, void *ud);

/* Walks the numbers an operator would whitelist: banks' and courier and delivery companies'
 * service numbers (never an individual courier's or rider's mobile). Returns 0 or cb's value. */
int cdrsim_whitelist(const struct cdrsim *s, int (*cb)(void *ud, const char *number), void *ud);

/* What was planted and emitted. */
struct cdrsim_stats {
    uint64_t records;
    uint64_t sms;
    uint64_t international;                        /* records through the international trunk */
    uint64_t records_by_caller[CDRSIM_ARCH_COUNT]; /* records per caller archetype */
    uint32_t entities[CDRSIM_ARCH_COUNT]; /* people per role, organisations, fraud campaigns
                                             (a GOIP rack or a Wangiri campaign counts once) */
    uint32_t callers[CDRSIM_ARCH_COUNT];  /* distinct calling numbers (after cdrsim_run) */
    uint64_t victims;                     /* (resident, fraud number) pairs, when tracked */
};

/* The statistics so far (complete after cdrsim_run). */
void cdrsim_stats(const struct cdrsim *s, struct cdrsim_stats *out);

#endif
