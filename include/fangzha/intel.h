/*
 * intel: indicators (numbers, URLs, domains, accounts, ... that partners and analysts know to be
 * dangerous) and the in-memory index that the hot path reads.
 *
 * A value of each kind has one canonical spelling (fz_ind_normalize), so "138-0013-8000",
 * "+86 138 0013 8000" and "008613800138000" are one indicator. The index is immutable and
 * refcounted: the server builds it from the store at start, derives a new one with a few changes
 * after a write (fz_ind_index_with) and publishes it through a handle with one atomic swap, so a
 * lookup never takes a lock and never touches the database. Nothing here knows SQL or HTTP.
 */
#ifndef FANGZHA_INTEL_H
#define FANGZHA_INTEL_H

#include <stdatomic.h>

#include "fangzha/core.h"
#include "fangzha/url.h"

/* ---- kinds, statuses, sharing levels ------------------------------------------------------ */

/* X(name, stable id used in JSON and the database) */
#define FZ_IND_KIND_MAP(X)                                                                         \
    X(PHONE, "phone")                                                                              \
    X(URL, "url")                                                                                  \
    X(DOMAIN, "domain")                                                                            \
    X(IP, "ip")                                                                                    \
    X(BANK_ACCOUNT, "bank_account")                                                                \
    X(PAYMENT_ID, "payment_id")                                                                    \
    X(WECHAT, "wechat")                                                                            \
    X(QQ, "qq")                                                                                    \
    X(EMAIL, "email")                                                                              \
    X(APP, "app")                                                                                  \
    X(WIFI_BSSID, "wifi_bssid")                                                                    \
    X(IMEI, "imei")

enum fz_ind_kind {
#define FZ__IND_KIND_ENUM(name, id) FZ_IND_##name,
    FZ_IND_KIND_MAP(FZ__IND_KIND_ENUM)
#undef FZ__IND_KIND_ENUM
        FZ_IND__COUNT
};

/* suspected → confirmed → cleared (an appeal answered, a false positive), in that order. */
enum fz_ind_status { FZ_IND_SUSPECTED, FZ_IND_CONFIRMED, FZ_IND_CLEARED, FZ_IND__STATUSES };

/* Traffic Light Protocol 2.0 sharing levels, from "anyone" to "named recipients only". */
enum fz_tlp { FZ_TLP_CLEAR, FZ_TLP_GREEN, FZ_TLP_AMBER, FZ_TLP_RED, FZ_TLP__COUNT };

/* "phone", "bank_account", ...; "suspected", ...; "clear", "green", ... (NULL when out of range).
 */
const char *fz_ind_kind_name(enum fz_ind_kind k);
const char *fz_ind_status_name(enum fz_ind_status s);
const char *fz_tlp_name(enum fz_tlp t);
/* Parse the names above (exact, lower case; "tlp:amber" and "amber" both for TLP). false when
 * unknown. */
bool fz_ind_kind_parse(const char *s, size_t len, enum fz_ind_kind *out);
bool fz_ind_status_parse(const char *s, size_t len, enum fz_ind_status *out);
bool fz_tlp_parse(const char *s, size_t len, enum fz_tlp *out);

/* ---- normalization ------------------------------------------------------------------------ */

/*
 * The canonical spelling of a value of kind k (docs/internals/intel.md has the table): phone →
 * E.164 (or a service number's digits) through the phone normalizer; url → the URL analyzer's
 * form; domain → lower-case A-label without a trailing dot; ip → inet_ntop's form; bank_account
 * 12-19 digits (spaces and dashes dropped); qq 5-11 digits; imei 15 digits passing Luhn;
 * wifi_bssid "aa:bb:cc:dd:ee:ff"; email, wechat, payment_id and app lower case, trimmed.
 * Surrounding white space (ASCII, U+00A0, U+3000) is trimmed first. uctx is needed for url,
 * domain and email (an e-mail's domain is normalized like a domain); it may be NULL for the
 * other kinds. The result is NUL-terminated in arena a; *out_len (when out_len is not NULL)
 * gets its length. FZ_EINVAL with err saying why ("not a phone number", "imei check digit
 * wrong", ...) without echoing the value; FZ_EUTF8 for invalid UTF-8; FZ_ETOOBIG past 2048
 * bytes; FZ_ENOMEM. On error *out and *out_len are untouched. Thread-safe.
 */
fz_rc fz_ind_normalize(const struct fz_url_ctx *uctx, enum fz_ind_kind k, const char *in,
                       size_t len, struct fz_arena *a, const char **out, size_t *out_len,
                       struct fz_err *err);

/* ---- the index ---------------------------------------------------------------------------- */

/* What the hot path knows of one indicator; everything else stays in the store. */
struct fz_ind_entry {
    int64_t id;          /* the store's indicator id (> 0) */
    uint8_t kind;        /* enum fz_ind_kind */
    uint8_t status;      /* enum fz_ind_status */
    uint8_t tlp;         /* enum fz_tlp */
    int8_t fraud_type;   /* fz_fraud_type_index() of core.h, -1 when unknown */
    uint8_t score;       /* 0-100, as computed at scored_ms */
    int64_t expires_ms;  /* ms since the epoch; 0 = never */
    int64_t scored_ms;   /* when score was computed; 0 = unknown (no decay) */
    const char *value;   /* canonical value (index memory) */
    const char *id_text; /* id in decimal (index memory): what a verdict points at */
};

/* One indicator to add, replace or remove (by kind + canonical value). */
struct fz_ind_change {
    struct fz_ind_entry entry; /* entry.value / value_len: canonical value */
    size_t value_len;
    bool remove; /* drop it from the index (deleted in the store) */
};

/* An immutable index, refcounted; thread-safe to read. */
struct fz_ind_index;

/* An index holding changes[0..n) (later ones win for the same kind + value; a removal drops
 * what came before it). n may be 0. FZ_ENOMEM; FZ_EINVAL for an invalid kind/status/tlp, an
 * id <= 0, a score over 100, a fraud_type outside -1..FZ_FRAUD_TYPE_COUNT-1, or a value that is
 * NULL, empty or over 2048 bytes (a removal is checked for kind and value only). Values are
 * copied; entry.id_text of a change is ignored (the index writes the id in decimal). The
 * result has one reference; on error *out is untouched. */
fz_rc fz_ind_index_build(const struct fz_ind_change *changes, size_t n, uint64_t seq,
                         struct fz_ind_index **out);
/* A new index: base with changes applied (base is not modified; O(size of base + n)). A NULL
 * base is an empty index. Errors as for fz_ind_index_build. */
fz_rc fz_ind_index_with(const struct fz_ind_index *base, const struct fz_ind_change *changes,
                        size_t n, uint64_t seq, struct fz_ind_index **out);
struct fz_ind_index *fz_ind_index_ref(struct fz_ind_index *x);
void fz_ind_index_unref(struct fz_ind_index *x); /* NULL is fine */

/* The entry for kind k and canonical value, or NULL when absent or expired at now_ms (so
 * expiry needs no rebuild). Cleared indicators are found (status cleared): the caller can say
 * "cleared on appeal". No allocation, no lock. */
const struct fz_ind_entry *fz_ind_lookup(const struct fz_ind_index *x, enum fz_ind_kind k,
                                         const char *value, size_t len, int64_t now_ms);
/* Entries of kind k and status s (expired ones included); totals for /metrics. */
size_t fz_ind_index_count(const struct fz_ind_index *x, enum fz_ind_kind k, enum fz_ind_status s);
/* The seq given when x was built: the store's change counter it reflects. */
uint64_t fz_ind_index_seq(const struct fz_ind_index *x);

/* The current index, swapped atomically (same contract as struct fz_rules_handle). */
struct fz_ind_handle {
    _Atomic(struct fz_ind_index *) cur;
    atomic_flag lock;
};
void fz_ind_handle_init(struct fz_ind_handle *h, struct fz_ind_index *x); /* takes x's ref */
void fz_ind_handle_release(struct fz_ind_handle *h);
struct fz_ind_index *fz_ind_handle_acquire(struct fz_ind_handle *h);      /* unref when done */
void fz_ind_handle_swap(struct fz_ind_handle *h, struct fz_ind_index *x); /* takes x's ref */

/* ---- score -------------------------------------------------------------------------------- */

/* The evidence behind one indicator, as the store counts it. */
struct fz_ind_evidence {
    int reports;            /* independent reports (distinct reporters) */
    int partner_reports;    /* of which from partner organisations or staff (better quality) */
    int sightings;          /* partners' sightings */
    int64_t last_report_ms; /* newest report or sighting; 0 when none */
    bool confirmed;         /* an analyst confirmed it */
};

/* The risk 0-100 of an indicator from its evidence at now_ms: grows with the number and quality
 * of independent reports (with diminishing returns), decays with a half-life of half_life_days
 * once reports stop; an unconfirmed one stays below 80 and a confirmed one never scores below
 * 80. ev NULL scores 0. Pure; docs/internals/intel.md gives the formula. */
int fz_ind_score(const struct fz_ind_evidence *ev, int64_t now_ms, int half_life_days);

/* The half-life of a score once reports stop, in days (the store scores with it). */
#define FZ_IND_HALF_LIFE_DAYS 30

/* The score of an index entry at now_ms: its score decayed from scored_ms with the half-life
 * (what fz_ind_score would give now, without a database read); a confirmed entry stays at 80
 * or more, a cleared one is 0. */
int fz_ind_score_now(const struct fz_ind_entry *e, int64_t now_ms, int half_life_days);

#endif
