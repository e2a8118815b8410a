/*
 * trace internals shared by the files of src/trace: the graph's layout. Nothing here is API.
 */
#ifndef FZ_TRACE_INT_H
#define FZ_TRACE_INT_H

#include "fangzha/trace.h"

/* A slot of the account table, one half cache line: the hash's high half, the account + 1 (0:
 * empty), its bank while loading and the id's first bytes, so a lookup reads one line. */
#define FZ__TRACE_SLOT_KEY 21
struct fz__trace_slot {
    uint32_t hash, acct;
    uint16_t bank;
    uint8_t len; /* of key: the id's length, or FZ__TRACE_SLOT_KEY for a longer id */
    char key[FZ__TRACE_SLOT_KEY];
};

/*
 * The graph. data[0..len) is the input (mapped privately, or a copy): quoted fields are
 * unescaped in place, so every field is a span of data. Edges are in CSR order by sender
 * (out_off[a]..out_off[a + 1]) and by time within a sender; in_edges lists edge indexes by
 * receiver (in_off) in time order. Ties in time keep the file's order, so the order is total:
 * edge e comes before f in an account's list iff key(e) < key(f) where key is (time, rank) and
 * rank the edge's position in the global time order (e_rank).
 */
struct fz_trace_graph {
    char *data;
    size_t len;
    bool is_mapped;
    size_t n_acc, n_tx, n_banks;
    /* accounts */
    struct fz_str *acc_id, *acc_name; /* acc_id points into keys */
    char *keys;
    struct fz__trace_slot *slots; /* the interning table of account ids (open addressing) */
    size_t slot_mask;
    uint16_t *acc_bank; /* index into banks (at most FZ__TRACE_MAX_CHANNELS), UINT16_MAX: none */
    struct fz_str *banks;
    /* edges */
    uint32_t *out_off, *e_from, *e_to, *e_rank, *e_line;
    int64_t *e_time, *e_amount;
    uint64_t *e_id_off;
    uint32_t *e_id_len;
    uint16_t *e_channel;
    struct fz_str *channels;
    size_t n_channels;
    uint32_t *in_off, *in_edges;
    uint32_t *by_rank; /* rank -> edge */
};

#define FZ__TRACE_MAX_CHANNELS 4096

/* The rows in file order while loading: n rows have their accounts (from, to: cap), n_data
 * the rest (cap_data). They differ only while the two threads of the pipeline fill them. */
struct fz__trace_rows {
    size_t n, cap, n_data, cap_data;
    uint32_t *from, *to, *line;
    int64_t *time, *amount;
    uint64_t *id_off;
    uint32_t *id_len;
    uint16_t *channel;
};

/* load.c: parses g's input (g->data, g->len: input.c) into g; bad rows go to on_bad. g is left
 * for the caller to free on failure. */
fz_rc fz__trace_load(struct fz_trace_graph *g, fz_trace_bad_row_cb *on_bad, void *ud,
                     struct fz_err *err);
/* load.c: p (n bytes, just allocated), with 2 MiB pages asked for. */
void *fz__trace_huge(void *p, size_t n);
/* graph.c: builds g's edges, CSR by sender and index by receiver from the rows loaded (g's
 * accounts already interned). */
fz_rc fz__trace_build(struct fz_trace_graph *g, const struct fz__trace_rows *r);

/* Inputs of at least this many bytes (after the header) are loaded on two threads (parsing,
 * interning); the unit tests lower it to run the pipeline on small inputs. */
extern size_t fz__trace_parallel_min;

#endif
