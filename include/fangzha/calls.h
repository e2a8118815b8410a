/*
 * calls: call-record (CDR) analytics. Reads operators' call detail records as they stream,
 * keeps fixed-size per-number state over sliding windows (1 h, 24 h, 7 d), scores each number
 * with detectors that give readable reasons (mass dialler, SIM box, Wangiri, spoofed caller ID,
 * IoT voice, a linear model), and warns the residents a high-risk number reached (预警劝阻),
 * graded high / medium / low. docs/cdr.md has the formats; docs/internals/calls.md the design.
 * Nothing here prints, knows SQL or HTTP: results reach the host through a callback.
 */
#ifndef FANGZHA_CALLS_H
#define FANGZHA_CALLS_H

#include "fangzha/core.h"

/* ---- call records ------------------------------------------------------------------------- */

#define FZ_CAP_CDR_LINE ((size_t)64 << 10) /* one CSV or JSON Lines record */

/* One call record. The strings are views into the reader's line: valid until its next call. */
struct fz_cdr {
    struct fz_str caller, callee;
    int64_t start;         /* epoch seconds (UTC) */
    int32_t duration_s;    /* talk time; 0 = not answered */
    int32_t ring_s;        /* -1 when the record has none */
    uint32_t cell_id;      /* 0 when absent */
    struct fz_str imei;    /* empty when absent */
    struct fz_str imsi;    /* empty when absent */
    bool is_sms;           /* type "sms" (default "voice") */
    bool is_international; /* trunk "international" (default "domestic") */
    bool is_incoming;      /* direction "in" (informative only: caller and callee say who called) */
};

struct fz_cdr_reader;

/* A reader of CSV (a header line naming the columns, any order) or JSON Lines (one object per
 * line), told apart by the first non-blank byte. f stays the caller's. *out is freed with
 * fz_cdr_reader_free. */
fz_rc fz_cdr_reader_new(FILE *f, struct fz_cdr_reader **out);
void fz_cdr_reader_free(struct fz_cdr_reader *r);
/* The next record: FZ_OK with *out set; FZ_EOF at the end; FZ_EPARSE (or FZ_ETOOBIG) for a
 * malformed row, which is skipped: err says the line, the field and why, and the next call goes
 * on; FZ_EINVAL for a header that lacks a required column (fatal); FZ_EIO, FZ_ENOMEM. */
fz_rc fz_cdr_reader_next(struct fz_cdr_reader *r, struct fz_cdr *out, struct fz_err *err);
/* true when the next record is already read into memory, so fz_cdr_reader_next will not
 * wait for the input: a stream's batch is applied before the reader waits. */
bool fz_cdr_reader_has_buffered(const struct fz_cdr_reader *r);
/* The line number of the record last returned (1-based). */
size_t fz_cdr_reader_lineno(const struct fz_cdr_reader *r);
/* Data rows read so far (good and bad; the header is not a row). */
uint64_t fz_cdr_reader_rows(const struct fz_cdr_reader *r);

/* Parses a time: epoch seconds, or ISO 8601 "YYYY-MM-DD[T ]hh:mm:ss[.fff][Z|±hh[:]mm]"
 * (no zone means Beijing time, UTC+8). false when it is neither. */
bool fz_cdr_parse_time(const char *s, size_t len, int64_t *out);

/* ---- the engine --------------------------------------------------------------------------- */

/* X(name, id) of each detector, in the order of its bit. */
#define FZ_CALLS_DETECTOR_MAP(X)                                                                   \
    X(MASS_DIALLER, "mass_dialler")                                                                \
    X(SIMBOX, "simbox")                                                                            \
    X(WANGIRI, "wangiri")                                                                          \
    X(SPOOFED, "spoofed_caller_id")                                                                \
    X(IOT_VOICE, "iot_voice")                                                                      \
    X(MODEL, "model")

enum fz_calls_detector {
#define FZ__CALLS_DET_ENUM(name, id) FZ_CALLS_##name,
    FZ_CALLS_DETECTOR_MAP(FZ__CALLS_DET_ENUM)
#undef FZ__CALLS_DET_ENUM
        FZ_CALLS__DETECTORS
};
const char *fz_calls_detector_name(enum fz_calls_detector d);

/* The window features, X(name, id): the model's inputs and the "features" of a number. */
#define FZ_CALLS_FEATURE_MAP(X)                                                                    \
    X(CALLS_1H, "calls_1h")                                                                        \
    X(CALLS_24H, "calls_24h")                                                                      \
    X(CALLS_7D, "calls_7d")                                                                        \
    X(DISTINCT_1H, "distinct_callees_1h")                                                          \
    X(DISTINCT_24H, "distinct_callees_24h")                                                        \
    X(DISTINCT_7D, "distinct_callees_7d")                                                          \
    X(SHORT_1H, "short_ratio_1h")                                                                  \
    X(SHORT_24H, "short_ratio_24h")                                                                \
    X(ANSWER_24H, "answer_ratio_24h")                                                              \
    X(CALLBACK_24H, "callback_ratio_24h")                                                          \
    X(CALLBACK_7D, "callback_ratio_7d")                                                            \
    X(NIGHT_24H, "night_share_24h")                                                                \
    X(ONE_RING_24H, "one_ring_share_24h")                                                          \
    X(MEAN_TALK_24H, "mean_talk_s_24h")                                                            \
    X(IN_24H, "incoming_24h")                                                                      \
    X(IN_OUT_7D, "in_out_ratio_7d")                                                                \
    X(ODD_CALLEE_24H, "invalid_or_sequential_share_24h")                                           \
    X(INTL_24H, "international_trunk_share_24h")                                                   \
    X(CELLS, "distinct_cells")                                                                     \
    X(IMEIS, "distinct_imeis")                                                                     \
    X(NUMBERS_ON_IMEI, "numbers_per_imei")                                                         \
    X(AGE_DAYS, "first_seen_age_days")                                                             \
    X(IS_MOBILE, "is_mobile")                                                                      \
    X(IS_FOREIGN, "is_foreign")

enum fz_calls_feature {
#define FZ__CALLS_FEAT_ENUM(name, id) FZ_CALLS_F_##name,
    FZ_CALLS_FEATURE_MAP(FZ__CALLS_FEAT_ENUM)
#undef FZ__CALLS_FEAT_ENUM
        FZ_CALLS__FEATURES
};
const char *fz_calls_feature_name(enum fz_calls_feature f);

/* The linear model over the features (fangzha cdr train): standardized inputs, logistic output. */
struct fz_calls_model {
    double mean[FZ_CALLS__FEATURES], scale[FZ_CALLS__FEATURES], weight[FZ_CALLS__FEATURES];
    double bias;
};
/* Text format (docs/cdr.md): one "feature mean scale weight" line per feature, then "bias B". */
fz_rc fz_calls_model_load(FILE *f, struct fz_calls_model *out, struct fz_err *err);
fz_rc fz_calls_model_save(const struct fz_calls_model *m, FILE *f);
/* Fits the model on n rows of features x (n × FZ_CALLS__FEATURES) with labels y (true =
 * fraud), classes balanced (liblinear, L2-regularized logistic regression). */
fz_rc fz_calls_model_train(const float *x, const bool *y, size_t n, struct fz_calls_model *out,
                           struct fz_err *err);
/* The operating point of the auto action, chosen on training data: given the highest model
 * score each legitimate training number reached while the stream ran (scores, n of them),
 * lowers m's bias so that at most max_fpr of them reach flag_threshold (balanced classes make
 * raw probabilities too eager). Returns the shift applied (>= 0). */
double fz_calls_model_calibrate(struct fz_calls_model *m, const double *scores, size_t n,
                                double flag_threshold, double max_fpr);
/* The model's probability of fraud for features x. */
double fz_calls_model_score(const struct fz_calls_model *m, const float *x);

struct fz_calls_config {
    double flag_threshold;         /* score at which a number is flagged (auto action) */
    double warn_threshold;         /* score at which it is worth a look (reported, no action) */
    int64_t late_tolerance_s;      /* records this much older than the newest are still applied */
    int32_t short_call_s;          /* a call shorter than this is short (10) */
    int32_t one_ring_s;            /* unanswered with ring_s at most this is one-ring (3) */
    int32_t long_talk_s;           /* talked this long in all: a high-grade warning (60) */
    int32_t contact_days;          /* who a number reached is kept this long (30) */
    uint32_t dialler_calls_1h;     /* mass dialler: more calls than this in an hour (100) */
    double dialler_short_ratio;    /* ... most of them short (0.6) */
    double dialler_callback_ratio; /* ... and at most this share called back (0.05) */
    uint32_t simbox_numbers;       /* SIM box: at least this many numbers on one IMEI (5) */
    uint32_t wangiri_calls_24h;    /* Wangiri: at least this many calls in 24 h (20) ... */
    double wangiri_one_ring;       /* ... at least this share one-ring (0.7) */
};
void fz_calls_config_init(struct fz_calls_config *c);

/* A number's assessment. */
struct fz_calls_verdict {
    const char *number; /* E.164, or the digits of a short code */
    double score;       /* 0..1: the highest detector's */
    bool is_flagged;    /* score >= flag_threshold */
    bool is_presented;  /* the number as presented on the international trunk (spoofed), kept
                           apart from its real holder's calls at home */
    uint32_t detectors; /* bit d set: detector d fired */
    int64_t time;       /* when the score was reached (stream time) */
    float features[FZ_CALLS__FEATURES]; /* at that time */
    float scores[FZ_CALLS__DETECTORS];  /* each detector's score (0 when it did not fire) */
};
/* A readable reason for detector d of v, with its figures: Chinese (zh) or English. */
void fz_calls_reason(const struct fz_calls_verdict *v, enum fz_calls_detector d, bool zh, char *out,
                     size_t cap);

enum fz_calls_grade { FZ_CALLS_LOW, FZ_CALLS_MEDIUM, FZ_CALLS_HIGH };
const char *fz_calls_grade_name(enum fz_calls_grade g);

/* A warning for a resident a high-risk number reached. */
struct fz_calls_alert {
    char alert_id[17]; /* hex; the same resident, number and grade give the same id */
    enum fz_calls_grade grade;
    const char *resident, *fraud_number;
    int64_t first_contact, last_contact;
    uint32_t calls, answered;
    uint64_t total_talk_s;
    bool is_immediate; /* raised by a long call that just ended, not by the number's flagging */
    struct fz_calls_verdict fraud; /* what the number was flagged for */
};

enum fz_calls_event_kind { FZ_CALLS_EV_FLAGGED, FZ_CALLS_EV_ALERT };
struct fz_calls_event {
    enum fz_calls_event_kind kind;
    const struct fz_calls_verdict *verdict; /* FLAGGED */
    const struct fz_calls_alert *alert;     /* ALERT */
};
typedef void fz_calls_event_cb(void *ud, const struct fz_calls_event *ev);

struct fz_calls_stats {
    uint64_t applied, late_applied, late_dropped, numbers, contacts, flagged, alerts;
    size_t memory_bytes;
};

struct fz_calls;

/* A new engine; cfg is copied (NULL = defaults). Free with fz_calls_free. */
fz_rc fz_calls_new(const struct fz_calls_config *cfg, struct fz_calls **out);
void fz_calls_free(struct fz_calls *c);
/* The callback that receives newly flagged numbers and alerts (NULL: none). */
void fz_calls_on_event(struct fz_calls *c, fz_calls_event_cb *cb, void *ud);
/* Uses m (copied) as the "model" detector; NULL turns it off. */
void fz_calls_set_model(struct fz_calls *c, const struct fz_calls_model *m);
/* A number that is never flagged nor warned about (couriers, banks' service numbers). false
 * when it is not a phone number. */
fz_rc fz_calls_whitelist(struct fz_calls *c, const char *number, size_t len, struct fz_err *err);

/* Applies one record: updates both numbers' windows and the contact index, evaluates the caller
 * when due and raises events. A record older than late_tolerance_s behind the newest is counted
 * in stats.late_dropped and ignored. FZ_EINVAL (err says which field) for a caller or callee that
 * is not a phone number. */
fz_rc fz_calls_apply(struct fz_calls *c, const struct fz_cdr *cdr, struct fz_err *err);
/*
 * A batch of records applied together: the engine looks up every number of the batch first and
 * asks the memory for each record's state a few records ahead of applying it, which hides most
 * of the cost of state that is far larger than the caches. Records are copied in (so a reader's
 * views may change after fz_cdr_batch_add) and applied in order, exactly as one by one.
 */
#define FZ_CDR_BATCH 64
struct fz_cdr_batch {
    struct fz_cdr cdr[FZ_CDR_BATCH];
    uint64_t row[FZ_CDR_BATCH]; /* the caller's row number of each record, for its errors */
    size_t n;
    char text[FZ_CDR_BATCH * 160]; /* the records' strings */
    size_t used;
};
void fz_cdr_batch_init(struct fz_cdr_batch *b);
/* Copies cdr in. false when it does not fit: apply the batch and add again; a record whose
 * strings pass the room of an empty batch never fits and is applied alone (fz_calls_apply). */
bool fz_cdr_batch_add(struct fz_cdr_batch *b, const struct fz_cdr *cdr, uint64_t row);
/* Receives a record of the batch that fz_calls_apply would have refused (err says why). */
typedef void fz_calls_reject_cb(void *ud, uint64_t row, fz_rc rc, const struct fz_err *err);
/* Applies the batch in order, then empties it. Returns FZ_OK or FZ_ENOMEM (records after the
 * failing one are not applied); refused records go to reject (may be NULL). */
fz_rc fz_calls_apply_batch(struct fz_calls *c, struct fz_cdr_batch *b, fz_calls_reject_cb *reject,
                           void *ud);

/* Evaluates every number at the newest time seen (the end of a file), raising events. */
fz_rc fz_calls_finish(struct fz_calls *c);

/* Calls fn for every number that placed a call, with its highest verdict so far. */
typedef void fz_calls_verdict_cb(void *ud, const struct fz_calls_verdict *v);
fz_rc fz_calls_each_verdict(struct fz_calls *c, fz_calls_verdict_cb *fn, void *ud);
/* A number's features now (at the newest time seen). false when it is unknown. */
bool fz_calls_features(struct fz_calls *c, const char *number, size_t len, float *x);
/* The training row of a number: its features at its busiest evaluation. false when unknown. */
bool fz_calls_training_row(struct fz_calls *c, const char *number, size_t len, float *x);

/* The residents number reached (or that called it back) within contact_days of the newest time,
 * graded, one alert each (not deduplicated against what was raised); then those reached by the
 * number as presented on the international trunk, when it was. FZ_ENOTFOUND when the number was
 * never seen. */
typedef void fz_calls_alert_cb(void *ud, const struct fz_calls_alert *a);
fz_rc fz_calls_victims(struct fz_calls *c, const char *number, size_t len, fz_calls_alert_cb *fn,
                       void *ud);

void fz_calls_stats(const struct fz_calls *c, struct fz_calls_stats *out);

/* Checkpoints: the whole state, written to a temporary file, synced, then renamed over path, so
 * a crash leaves the old or the new one. rows = input rows consumed (kept in the file). */
fz_rc fz_calls_save(const struct fz_calls *c, const char *path, uint64_t rows, struct fz_err *err);
/* A new engine from a checkpoint (cfg, when not NULL, replaces the saved settings); *rows gets
 * what fz_calls_save was given. */
fz_rc fz_calls_load(const char *path, const struct fz_calls_config *cfg, struct fz_calls **out,
                    uint64_t *rows, struct fz_err *err);

/* JSON members of a verdict: "number", "score", "flagged", "detectors", "reasons", "features". */
void fz_calls_verdict_json(struct fz_json *j, const struct fz_calls_verdict *v);
/* JSON object of an alert (docs/cdr.md). */
void fz_calls_alert_json(struct fz_json *j, const struct fz_calls_alert *a);

#endif
