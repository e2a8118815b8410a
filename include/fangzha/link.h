/*
 * fangzha link: case linking (engine layer). Groups fraud cases into suspected gangs by the
 * identifiers they share, and ranks the identifiers most likely to be the gang's organisers
 * or infrastructure.
 *
 * A set (struct fz_link_set) holds cases and their identifiers, each value normalized by the
 * signal modules (phone, url, intel) and interned once. fz_link_run joins cases that share a
 * hard identifier (phone, account, url, domain, wechat, qq) with union-find, caps identifiers
 * shared by too many cases (hubs: a bank's own number, a public Wi-Fi address), clusters the
 * hard components along soft links (device, ip, script) with Leiden (igraph), and ranks each
 * cluster's identifiers by PageRank, betweenness and k-core on its identifier graph.
 * docs/link.md has the input and output formats, docs/internals/link.md the design.
 */
#ifndef FANGZHA_LINK_H
#define FANGZHA_LINK_H

#include "fangzha/core.h"
#include "fangzha/url.h"

/* X(name, stable id used in JSON, is_hard): hard identifiers join cases outright, soft ones
 * only weigh on the clustering. */
#define FZ_LINK_KIND_MAP(X)                                                                        \
    X(PHONE, "phone", true)                                                                        \
    X(ACCOUNT, "account", true)                                                                    \
    X(URL, "url", true)                                                                            \
    X(DOMAIN, "domain", true)                                                                      \
    X(WECHAT, "wechat", true)                                                                      \
    X(QQ, "qq", true)                                                                              \
    X(DEVICE, "device", false)                                                                     \
    X(IP, "ip", false)                                                                             \
    X(SCRIPT, "script", false)

enum fz_link_kind {
#define FZ__LINK_KIND_ENUM(name, id, hard) FZ_LINK_##name,
    FZ_LINK_KIND_MAP(FZ__LINK_KIND_ENUM)
#undef FZ__LINK_KIND_ENUM
        FZ_LINK__KINDS
};

/* "phone", "account", ...; NULL when k is out of range. */
const char *fz_link_kind_name(enum fz_link_kind k);
/* Parses the names above (exact, lower case); false when unknown. */
bool fz_link_kind_parse(const char *s, size_t len, enum fz_link_kind *out);
/* True for the kinds that join cases with union-find. */
bool fz_link_kind_is_hard(enum fz_link_kind k);

/* Caps of the input, named for their use. */
#define FZ_LINK_CAP_CASE_ID 128    /* bytes of one case id */
#define FZ_LINK_CAP_VALUE 2048     /* bytes of one identifier value as written */
#define FZ_LINK_CAP_IDENTS 1024    /* identifiers of one case */
#define FZ_LINK_CAP_CASES 50000000 /* cases of one set (indices are 32-bit) */
#define FZ_LINK_MAX_ORGANISERS 100 /* organisers listed per cluster */

/* ---- the set of cases ------------------------------------------------------------------- */

/* Cases and their interned identifiers. Not thread-safe for writers; read-only use (fz_link_run)
 * from several threads is fine. */
struct fz_link_set;

/* A new empty set. uctx (the url analyzer's context) is needed for url and domain values and
 * must outlive the set; it may be NULL when none are added. FZ_ENOMEM; on error *out is
 * untouched. Free with fz_link_set_free. */
fz_rc fz_link_set_new(const struct fz_url_ctx *uctx, struct fz_link_set **out);
void fz_link_set_free(struct fz_link_set *s); /* NULL is fine */

/*
 * Adds a case: its id (1..FZ_LINK_CAP_CASE_ID bytes, copied), fraud type (fz_fraud_type_index
 * of core.h, -1 unknown) and loss in fen (>= 0). *out_case gets its index (0, 1, ... in the
 * order added). FZ_EINVAL for an empty or over-long id or a negative loss, FZ_ETOOBIG past
 * FZ_LINK_CAP_CASES, FZ_ENOMEM; err says why. Case ids are not checked for uniqueness.
 */
fz_rc fz_link_set_add_case(struct fz_link_set *s, const char *case_id, size_t id_len,
                           int fraud_type, int64_t loss_fen, uint32_t *out_case,
                           struct fz_err *err);

/*
 * Adds an identifier of kind k written as value[0..len) to case c, normalized: phone through
 * the phone normalizer (E.164), account as a bank account, url through the url analyzer (and
 * its registrable domain is added too, as a domain), domain, wechat, qq and ip as intel's
 * fz_ind_normalize does; device trimmed and lower-cased; script folded by the text normalizer
 * and fingerprinted (same script after normalization, same fingerprint). A value the case
 * already has is ignored. FZ_EINVAL (err says why, without echoing the value) for a value its
 * kind rejects or a case index out of range; FZ_ETOOBIG past FZ_LINK_CAP_VALUE or
 * FZ_LINK_CAP_IDENTS; FZ_ENOMEM. On error the set is unchanged.
 */
fz_rc fz_link_set_add(struct fz_link_set *s, uint32_t c, enum fz_link_kind k, const char *value,
                      size_t len, struct fz_err *err);

/* Adds a value already in canonical form (no normalization): for generators and benchmarks.
 * Errors as fz_link_set_add, without the kind checks. */
fz_rc fz_link_set_add_canonical(struct fz_link_set *s, uint32_t c, enum fz_link_kind k,
                                const char *value, size_t len, struct fz_err *err);

/*
 * Adds the case of one JSON Lines line (docs/link.md): {"case_id", "identifiers": [{"kind",
 * "value"}], "time", "fraud_type", "loss_fen"}. lineno goes into err. FZ_EPARSE for a line
 * that is not a JSON object or lacks case_id; FZ_EINVAL for a field of the wrong type or an
 * identifier its kind rejects (err->field names it, e.g. "identifiers[2].value"); FZ_ETOOBIG;
 * FZ_ENOMEM. A rejected line leaves the set unchanged.
 */
fz_rc fz_link_set_add_json(struct fz_link_set *s, const char *line, size_t len, size_t lineno,
                           struct fz_err *err);

size_t fz_link_set_ncases(const struct fz_link_set *s);
/* Distinct identifiers (kind + canonical value). */
size_t fz_link_set_nidents(const struct fz_link_set *s);
/* Case-identifier pairs. */
size_t fz_link_set_npairs(const struct fz_link_set *s);
/* The id of case c (NUL-terminated, the set's memory), or NULL when out of range. */
const char *fz_link_set_case_id(const struct fz_link_set *s, uint32_t c);

/* ---- running ---------------------------------------------------------------------------- */

/* How fz_link_run decides. fz_link_opts_init sets the defaults given in brackets. */
struct fz_link_opts {
    /* An identifier shared by more than hub_limit cases is a hub (reported, never used to
     * join), with hub_limit = min(hub_cap, max(hub_floor, hub_ratio * cases in the set)).
     * [50, 10, 0.05] A service number or SMS port (a phone without an E.164 form: 95588,
     * 10086, 110) shared by two or more cases is always a hub: it is public. */
    uint32_t hub_cap;
    uint32_t hub_floor;
    double hub_ratio;
    /* Leiden's resolution for the constant Potts model over hard components weighted by their
     * case counts: two groups merge when the soft weight between them exceeds resolution times
     * the product of their case counts. [0.02] */
    double resolution;
    /* Weight of one soft identifier shared by d groups (hard components), for each pair of
     * them: weight * (2/d)^2, so an address shared by two is full evidence and one shared by
     * ten (a café's Wi-Fi under the hub limit) is next to none. [device 1, script 0.8,
     * ip 0.5] */
    double w_device, w_script, w_ip;
    uint32_t min_cluster; /* clusters with fewer cases are not reported [2] */
    uint32_t organisers;  /* organisers ranked per cluster, at most FZ_LINK_MAX_ORGANISERS [5] */
    uint32_t max_links;   /* links listed per cluster, most shared first [100] */
    uint64_t seed;        /* for Leiden's random order: the same seed, the same clusters [1] */
};
void fz_link_opts_init(struct fz_link_opts *o);

/* One identifier as the result reports it. */
struct fz_link_ident {
    uint8_t kind;      /* enum fz_link_kind */
    const char *value; /* canonical value (the set's memory) */
    uint32_t cases;    /* cases of the set that have it */
};

/* A ranked identifier of a cluster. score is in [0, 1] (docs/internals/link.md). */
struct fz_link_organiser {
    uint32_t ident;
    double score;
};

/* The result of one run; it points into the set, which must outlive it. */
struct fz_link_result;

/*
 * Links the cases of s under o (NULL: the defaults). *out gets a result to free with
 * fz_link_result_free. FZ_EINVAL for bad options (a resolution or weight that is negative or
 * not finite, hub_cap 0, more than FZ_LINK_MAX_ORGANISERS organisers), FZ_ENOMEM, FZ_EIO when
 * igraph fails (it allocates on its own heap, not through fz_malloc). Deterministic for a given
 * set, options and seed. Not thread-safe: igraph's random number generator and error handler are
 * process-wide.
 */
fz_rc fz_link_run(const struct fz_link_set *s, const struct fz_link_opts *o,
                  struct fz_link_result **out, struct fz_err *err);
void fz_link_result_free(struct fz_link_result *r); /* NULL is fine */

/* Reported clusters (at least min_cluster cases), largest first, ties by their first case. */
size_t fz_link_result_nclusters(const struct fz_link_result *r);
/* The cases of cluster i in input order into *cases (the result's memory) and their count. */
size_t fz_link_result_cases(const struct fz_link_result *r, size_t i, const uint32_t **cases);
/* The organisers of cluster i, best first, and their count (at most o->organisers). */
size_t fz_link_result_organisers(const struct fz_link_result *r, size_t i,
                                 const struct fz_link_organiser **orgs);
/* The hubs, most shared first, and their count. */
size_t fz_link_result_hubs(const struct fz_link_result *r, const uint32_t **idents);
/* Identifier id of the set (from organisers or hubs) as kind, value and case count. */
struct fz_link_ident fz_link_result_ident(const struct fz_link_result *r, uint32_t id);

/* Appends cluster i as one JSON object (no newline) to out: cluster_id, cases, links, hubs,
 * loss_fen, organisers (docs/link.md). FZ_ENOMEM, FZ_ETOOBIG (out's cap). */
fz_rc fz_link_cluster_json(const struct fz_link_result *r, size_t i, struct fz_buf *out);
/* Appends the summary object (no newline): hubs and counts (docs/link.md). */
fz_rc fz_link_summary_json(const struct fz_link_result *r, struct fz_buf *out);

#endif
