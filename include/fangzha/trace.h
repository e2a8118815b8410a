/*
 * fangzha trace: the fund-tracing engine (engine layer, above core; never includes the server
 * or the store). Loads bank transactions from CSV (docs/trace.md) into a compact time-ordered
 * graph, follows victims' money forward through mule accounts under FIFO, LIFO or proportional
 * allocation (never more than the lowest intermediate balance), builds the freeze list and the
 * refund plan, and scores every account of the graph as a likely mule.
 *
 * Money is int64 fen; times are Unix seconds (UTC). Account and bank names are views into the
 * graph's own copy of the input and live as long as the graph.
 */
#ifndef FANGZHA_TRACE_H
#define FANGZHA_TRACE_H

#include "fangzha/core.h"

/* ---- transactions --------------------------------------------------------------------------- */

/* No account / no flow / no bank. */
#define FZ_TRACE_NONE UINT32_MAX

/* The most accounts and transactions one graph holds (indexes are 32-bit). */
#define FZ_CAP_TRACE_ROWS ((size_t)1 << 31)
/* The longest field of a transaction row (an account id, a name, a bank). */
#define FZ_CAP_TRACE_FIELD ((size_t)256)

/*
 * A loaded transaction graph. Accounts are interned to dense indexes 0..n_accounts; every
 * transaction is one edge, stored once in CSR order by sender and, within a sender, by time (ties
 * keep the file's order); a second index lists each account's incoming edges in the same order.
 * Immutable after loading, so concurrent readers are fine.
 */
struct fz_trace_graph;

/* Called for each rejected row while loading: err holds the line, the field and why. Return true
 * to go on reading (to report every bad row), false to stop. */
typedef bool fz_trace_bad_row_cb(void *ud, const struct fz_err *err);

/*
 * Loads transactions from the CSV file at path ("-" reads standard input). A regular file is
 * mapped, not copied. On a bad row, calls on_bad (when not NULL) and goes on while it returns
 * true; the load then fails with FZ_EPARSE and err describing the first bad row, so a graph is
 * only ever built from a clean file. Other errors: FZ_EIO (cannot open or read), FZ_ETOOBIG (more
 * than FZ_CAP_TRACE_ROWS rows), FZ_ENOMEM. On success *out is a new graph for fz_trace_free;
 * on failure it is untouched.
 */
fz_rc fz_trace_load_file(const char *path, fz_trace_bad_row_cb *on_bad, void *ud,
                         struct fz_trace_graph **out, struct fz_err *err);
/* The same from data[0..len), which is copied. */
fz_rc fz_trace_load_mem(const char *data, size_t len, fz_trace_bad_row_cb *on_bad, void *ud,
                        struct fz_trace_graph **out, struct fz_err *err);
/* Frees the graph and unmaps its input. NULL is fine. */
void fz_trace_free(struct fz_trace_graph *g);

/* One edge, as the accessors below return it. */
struct fz_trace_tx {
    uint32_t from, to; /* account indexes */
    int64_t time;      /* Unix seconds */
    int64_t amount_fen;
};

size_t fz_trace_accounts(const struct fz_trace_graph *g);
size_t fz_trace_txs(const struct fz_trace_graph *g);
/* Edge e (0 <= e < fz_trace_txs), in the graph's order (by sender, then time). */
struct fz_trace_tx fz_trace_tx_at(const struct fz_trace_graph *g, uint32_t e);
/* The transaction's id, channel ("" when the file has none) and its line in the input. */
struct fz_str fz_trace_tx_id(const struct fz_trace_graph *g, uint32_t e);
struct fz_str fz_trace_tx_channel(const struct fz_trace_graph *g, uint32_t e);
size_t fz_trace_tx_line(const struct fz_trace_graph *g, uint32_t e);
/* An account's id, bank and holder name ("" when unknown: the first non-empty value seen). */
struct fz_str fz_trace_account(const struct fz_trace_graph *g, uint32_t a);
struct fz_str fz_trace_account_bank(const struct fz_trace_graph *g, uint32_t a);
struct fz_str fz_trace_account_name(const struct fz_trace_graph *g, uint32_t a);
/* The index of account id[0..len), or FZ_TRACE_NONE. */
uint32_t fz_trace_find(const struct fz_trace_graph *g, const char *id, size_t len);
/* Account a's outgoing edges are [*begin, *end) in edge order (sorted by time). */
void fz_trace_out(const struct fz_trace_graph *g, uint32_t a, uint32_t *begin, uint32_t *end);
/* Account a's incoming edges, sorted by time: n edge indexes at *edges. */
void fz_trace_in(const struct fz_trace_graph *g, uint32_t a, const uint32_t **edges, size_t *n);

/* Parses a time: Unix seconds ("1767225600") or ISO 8601 "YYYY-MM-DDTHH:MM[:SS]" (a space
 * may replace the T) with "Z" or "+HH:MM"/"-HH:MM"; without a zone the time is Beijing time
 * (UTC+08:00). False when s[0..len) is neither. */
bool fz_trace_parse_time(const char *s, size_t len, int64_t *out);
/* Writes t as "YYYY-MM-DDTHH:MM:SS+08:00" (Beijing time) into out[26]. */
void fz_trace_format_time(int64_t t, char out[26]);

/* ---- tracing ------------------------------------------------------------------------------- */

/* How an account's outgoing payment is split between the money it holds. */
enum fz_trace_rule {
    FZ_TRACE_FIFO,         /* the oldest money leaves first */
    FZ_TRACE_LIFO,         /* the newest money leaves first (mules forwarding within minutes) */
    FZ_TRACE_PROPORTIONAL, /* every holding leaves in proportion to its share of the balance */
};
/* "fifo", "lifo", "proportional"; parse returns false for anything else. */
const char *fz_trace_rule_name(enum fz_trace_rule r);
bool fz_trace_rule_parse(const char *s, enum fz_trace_rule *out);

#define FZ_TRACE_MAX_HOPS 64

/* One victim: the account that paid, what it lost and when it started paying. The victim's
 * payments are its outgoing transactions from time on, taken in time order up to loss_fen. */
struct fz_trace_victim {
    uint32_t account;
    int64_t loss_fen;
    int64_t time;
};

struct fz_trace_opts {
    enum fz_trace_rule rule;
    int max_hops;     /* 1..FZ_TRACE_MAX_HOPS: money arriving at this hop is not followed on */
    int64_t window_s; /* money is followed until victim time + window_s */
};

/* A piece of one victim's money moving along one transaction. Flows form one tree per victim:
 * parent is the flow that brought this money into the sender (FZ_TRACE_NONE for the victim's own
 * payment, hop 1). */
struct fz_trace_flow {
    uint32_t victim; /* index into the victims given to fz_trace_run */
    uint32_t parent;
    uint32_t edge;
    int hop;
    int64_t amount_fen; /* of the victim's money; at most the edge's amount */
};

/* Money of one victim still in an account at the end of the window: what can be frozen. arrived
 * is when the first of this money came in, hop the smallest hop it came in at. */
struct fz_trace_holding {
    uint32_t account;
    uint32_t victim;
    int64_t amount_fen;
    int64_t arrived;
    int hop;
};

/* Per victim, per hop h (1..max_hops): in[h] arrived at hop h, out[h] left for hop h + 1, held[h]
 * still there, stopped[h] left after the window or past the hop limit (not followed). Money is
 * conserved at every hop: in[h] == out[h] + held[h] + stopped[h] and out[h] == in[h + 1];
 * in[1] == paid <= loss_fen. */
struct fz_trace_victim_sum {
    int64_t paid_fen; /* the victim's payments found, at most the loss */
    int64_t held_fen; /* sum of held[] */
    int64_t stopped_fen;
    int64_t in[FZ_TRACE_MAX_HOPS + 2], out[FZ_TRACE_MAX_HOPS + 2];
    int64_t held[FZ_TRACE_MAX_HOPS + 2], stopped[FZ_TRACE_MAX_HOPS + 2];
};

/* What fz_trace_run found. Arrays are owned by the result; release with
 * fz_trace_result_release. holdings are sorted by account, then victim. */
struct fz_trace_result {
    struct fz_trace_victim *victims;
    struct fz_trace_victim_sum *sums;
    size_t n_victims;
    struct fz_trace_flow *flows;
    size_t n_flows;
    struct fz_trace_holding *holdings;
    size_t n_holdings;
    int64_t window_end; /* the latest victim time + window */
};

/*
 * Follows the victims' money. Every account's balance is rebuilt from its whole history (the
 * opening balance is taken as zero and a balance never goes below zero: a payment larger than the
 * balance takes all of it, the rest from money the data does not show), and each of its outgoing
 * payments takes money from its holdings under o->rule. So a victim's money in an account never
 * exceeds the account's balance at any moment (the lowest intermediate balance rule), never
 * exceeds the loss, and is conserved at every hop. FZ_EINVAL (with err) for a bad option or
 * victim, FZ_ENOMEM. On failure *out is untouched.
 */
fz_rc fz_trace_run(const struct fz_trace_graph *g, const struct fz_trace_victim *victims,
                   size_t n_victims, const struct fz_trace_opts *o, struct fz_trace_result *out,
                   struct fz_err *err);
void fz_trace_result_release(struct fz_trace_result *r);

/* ---- freeze list and refunds --------------------------------------------------------------- */

#define FZ_TRACE_STOP_PAYMENT_S ((int64_t)48 * 3600) /* emergency stop-payment: 48 hours */
#define FZ_TRACE_FREEZE_MONTHS 6                     /* a freeze lasts six months */
#define FZ_TRACE_NOTICE_DAYS 30                      /* public notice before a pro-rata refund */

/* arrived + 48 h, and arrived + 6 calendar months (Beijing dates; the 31st becomes the last day
 * of a shorter month). */
int64_t fz_trace_stop_payment_deadline(int64_t arrived);
int64_t fz_trace_freeze_until(int64_t arrived);

/* One victim's refund from one frozen account. */
struct fz_trace_return {
    uint32_t victim;
    int64_t amount_fen;
};

/* The refund of one frozen account (docs/trace.md "Refunds"): direct when the money frozen there
 * is one victim's, otherwise pro rata to the losses of the victims whose money reached it, after a
 * public notice until notice_until. */
struct fz_trace_refund {
    uint32_t account;
    int64_t frozen_fen;
    bool is_direct;
    int64_t notice_until; /* 0 when direct */
    struct fz_trace_return *returns;
    size_t n_returns;
    int64_t unclaimed_fen; /* what no victim can claim (every one already fully repaid) */
};

/* Refunds for every account of r's holdings, in account order; as_of is the day the notice
 * starts. Returns NULL with *n = 0 when there are none or on ENOMEM (rc). Free with
 * fz_trace_refunds_free. */
fz_rc fz_trace_refunds(const struct fz_trace_result *r, int64_t as_of, struct fz_trace_refund **out,
                       size_t *n);
void fz_trace_refunds_free(struct fz_trace_refund *refunds, size_t n);

/* Appends the JSON document of docs/trace.md ({"victims", "tree", "freeze", "refunds"}) to out. */
fz_rc fz_trace_write_json(const struct fz_trace_graph *g, const struct fz_trace_result *r,
                          const struct fz_trace_opts *o, int64_t as_of, struct fz_buf *out);
/* Appends the freeze list as CSV with a header (docs/trace.md) to out. */
fz_rc fz_trace_write_freeze_csv(const struct fz_trace_graph *g, const struct fz_trace_result *r,
                                struct fz_buf *out);

/* ---- mule scoring -------------------------------------------------------------------------- */

/* Why an account looks like a mule: bits of fz_trace_mule.reasons. */
enum {
    FZ_MULE_FAN_IN = 1u << 0,        /* money from many distinct senders */
    FZ_MULE_FAN_OUT = 1u << 1,       /* money to many distinct receivers */
    FZ_MULE_PASS_THROUGH = 1u << 2,  /* sends on nearly all it receives */
    FZ_MULE_FAST_FORWARD = 1u << 3,  /* sends soon after receiving */
    FZ_MULE_NEW_ACCOUNT = 1u << 4,   /* first seen shortly before its busy period */
    FZ_MULE_ROUND_AMOUNTS = 1u << 5, /* mostly whole hundreds of yuan */
    FZ_MULE_CYCLE = 1u << 6, /* on a cycle of money (a small strongly connected component) */
    FZ_MULE_SMALL_AMOUNTS = 1u << 7, /* many transfers far below the graph's typical amount */
};
/* "fan_in", "fan_out", ... for one bit; NULL for an unknown bit. */
const char *fz_trace_mule_reason(uint32_t bit);

/* One account's mule score, in [0, 100], and its features. */
struct fz_trace_mule {
    uint32_t account;
    int score;
    uint32_t reasons;
    uint32_t senders, receivers; /* distinct counterparties */
    int64_t in_fen, out_fen;
    double pass_through;      /* min(in, out) / max(in, out) */
    int64_t median_forward_s; /* median delay from an arrival to the next payment, -1 if none */
    double round_share;       /* share of the account's transactions in whole 100 yuan */
    uint32_t small_txs;       /* transfers below a tenth of the graph's median amount */
    int64_t age_s;            /* from the first to the last transaction */
    uint32_t cycle_size;      /* accounts in its strongly connected component (1: none) */
};

/* Scores every account of g (igraph finds the cycles); *out gets n = fz_trace_accounts(g)
 * entries sorted by score, highest first (ties by account index). Free with fz_free. */
fz_rc fz_trace_mules(const struct fz_trace_graph *g, struct fz_trace_mule **out, size_t *n);

#endif
