/*
 * trace/load: reads the transactions CSV (docs/trace.md) into the compact time-ordered graph.
 * The input (input.c: mapped privately, or read whole) has its quoted fields unescaped in
 * place, rows are parsed by hand into flat arrays that grow by doubling (no allocation per row),
 * account ids are interned with an open-addressing table of their own, and two counting sorts
 * over the global time order give the CSR by sender and the index by receiver, both
 * time-ordered.
 */
#include "compat.h"

#include "trace_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

FZ_LOG_MODULE(trace);

enum col {
    C_ID,
    C_TIME,
    C_FROM,
    C_TO,
    C_AMOUNT,
    C_CHANNEL,
    C_FROM_BANK,
    C_TO_BANK,
    C_FROM_NAME,
    C_TO_NAME,
    C__COUNT,
    C_IGNORE = C__COUNT
};
static const char *const col_names[C__COUNT] = {"id",         "time",    "from",      "to",
                                                "amount_fen", "channel", "from_bank", "to_bank",
                                                "from_name",  "to_name"};
#define REQUIRED_COLS 5 /* id .. amount_fen */
#define PIPE_DEPTH 16   /* checked rows waiting for their accounts */
#define NO_BANK UINT16_MAX
#define MAX_COLS 64

/* Interning of account ids while loading: each id is copied once into keys (so lookups never
 * touch the mapped file at random), at off[a] with length len[a]. The table itself is the
 * graph's (g->slots), kept for fz_trace_find. */
struct intern {
    uint64_t *off;
    uint32_t *len;
    size_t cap; /* of off, len, acc_name */
    size_t keys_len, keys_cap;
};

struct loader {
    struct fz_trace_graph *g;
    struct fz__trace_rows rows;
    struct intern in;
    struct fz_map banks, channels; /* value -> index + 1 */
    enum col role[MAX_COLS];
    size_t ncols;
    fz_trace_bad_row_cb *on_bad;
    void *ud;
    size_t bad;
    int64_t total; /* of the amounts so far */
    struct fz_err first;
    bool stop;
};

/* ---- fields -------------------------------------------------------------------------------- */

/* What next_field needs to know of a byte: the end of a field, a quote, or anything else. */
enum { K_PLAIN = 0, K_STOP = 1, K_QUOTE = 2 };
static const unsigned char byte_kind[256] = {[','] = K_STOP, ['\n'] = K_STOP, ['"'] = K_QUOTE};

/* Reads one field at *p (the row ends at '\n' or end). A quoted field is unescaped in place.
 * On success, *f is the field, *p is past the separator, *last says the row ended and
 * *is_ascii that the field has no byte above 0x7F (so it needs no UTF-8 check). */
static const char *next_field(char **p, char *end, struct fz_str *f, bool *last, bool *is_ascii)
{
    char *s = *p;
    *is_ascii = false;
    if (s < end && *s == '"') {
        char *w = s + 1, *r = s + 1;
        for (;;) {
            if (r >= end)
                return "unterminated quoted field";
            if (*r == '\n')
                return "a line break inside a quoted field";
            if (*r == '"') {
                if (r + 1 < end && r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                    continue;
                }
                r++;
                break;
            }
            *w++ = *r++;
        }
        f->ptr = s + 1;
        f->len = (size_t)(w - (s + 1));
        if (r < end && *r == '\r' && (r + 1 == end || r[1] == '\n'))
            r++;
        if (r < end && *r != ',' && *r != '\n')
            return "text after a closing quote";
        *last = r >= end || *r == '\n';
        *p = r < end ? r + 1 : r;
        return NULL;
    }
    char *r = s;
    unsigned char kinds = 0, bits = 0; /* of the bytes met */
    for (; r < end; r++) {
        unsigned char c = (unsigned char)*r, k = byte_kind[c];
        if (k == K_STOP)
            break;
        kinds |= k;
        bits |= c;
    }
    if (kinds & K_QUOTE)
        return "a quote inside an unquoted field";
    f->ptr = s;
    f->len = (size_t)(r - s);
    *last = r >= end || *r == '\n';
    if (*last && f->len && s[f->len - 1] == '\r')
        f->len--;
    *is_ascii = bits < 0x80;
    *p = r < end ? r + 1 : r;
    return NULL;
}

/* Quotes at most 40 bytes of f for a message into out[48]. */
static const char *shown(struct fz_str f, char out[48])
{
    size_t n = f.len > 40 ? 40 : f.len;
    memcpy(out, f.ptr, n);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] < 0x20)
            out[i] = '?';
    memcpy(out + n, f.len > 40 ? "..." : "", f.len > 40 ? 4 : 1);
    return out;
}

/* The amount in fen: a whole, non-negative number that fits int64. NULL or why not. */
static const char *parse_amount(struct fz_str f, int64_t *out)
{
    if (f.len == 0)
        return "empty amount";
    if (f.ptr[0] == '-')
        return "negative amount";
    int64_t v = 0;
    for (size_t i = 0; i < f.len; i++) {
        char c = f.ptr[i];
        if (c == '.' || c == 'e' || c == 'E')
            return "fractional amount";
        if (c < '0' || c > '9')
            return "bad amount";
        if (v > (INT64_MAX - (c - '0')) / 10)
            return "amount overflows int64";
        v = v * 10 + (c - '0');
    }
    *out = v;
    return NULL;
}

/* ---- memory -------------------------------------------------------------------------------- */

/* Asks for huge pages under the big tables that are written or read at random (the account
 * table, the counting sorts' targets): with 4 KiB pages nearly every access is a TLB miss. Only
 * a hint, on the 2 MiB-aligned inside of the block; fz_malloc stays the allocator. */
void *fz__trace_huge(void *p, size_t n)
{
    const uintptr_t page = (uintptr_t)2 << 20;
    uintptr_t b = ((uintptr_t)p + page - 1) & ~(page - 1), e = ((uintptr_t)p + n) & ~(page - 1);
    if (p && e > b)
        madvise((void *)b, e - b, MADV_HUGEPAGE);
    return p;
}

/* ---- interning ----------------------------------------------------------------------------- */

/* Whether slot s may hold id[0..len) (hash h): the hash and the id's head match. Only an id of
 * FZ__TRACE_SLOT_KEY bytes or more needs the full comparison after it (is_whole). */
static bool slot_head_matches(const struct fz__trace_slot *s, uint32_t h, const char *id,
                              size_t len)
{
    return s->hash == h && s->len == (len < FZ__TRACE_SLOT_KEY ? len : FZ__TRACE_SLOT_KEY) &&
           !memcmp(s->key, id, s->len);
}

/* Whether a long id[0..len), whose head matched a slot, is the slot's whole id full[0..full_len).
 * Read only for long ids: the copies of the ids are a second random access per lookup. */
static bool is_whole(const char *id, size_t len, const char *full, size_t full_len)
{
    return full_len == len && !memcmp(full, id, len);
}

static void slot_set(struct fz__trace_slot *s, uint32_t h, uint32_t a, const char *id, size_t len)
{
    s->hash = h;
    s->acct = a + 1;
    s->bank = NO_BANK;
    s->len = (uint8_t)(len < FZ__TRACE_SLOT_KEY ? len : FZ__TRACE_SLOT_KEY);
    memcpy(s->key, id, s->len);
}

static fz_rc grow_accounts(struct loader *L)
{
    struct intern *in = &L->in;
    struct fz_trace_graph *g = L->g;
    size_t cap = in->cap ? in->cap * 2 : 1024;
    uint64_t *off = fz_realloc(in->off, cap * sizeof *off);
    if (off)
        in->off = off;
    uint32_t *len = fz_realloc(in->len, cap * sizeof *len);
    if (len)
        in->len = len;
    struct fz_str *nm = fz_realloc(g->acc_name, cap * sizeof *nm);
    if (nm)
        g->acc_name = nm;
    if (!off || !len || !nm)
        return FZ_E(FZ_ENOMEM);
    in->cap = cap;
    return FZ_OK;
}

static fz_rc grow_slots(struct loader *L)
{
    struct fz_trace_graph *g = L->g;
    size_t n = g->slots ? (g->slot_mask + 1) * 2 : 4096;
    /* cleared after the hint (fz_calloc would touch every page first: no huge pages) */
    struct fz__trace_slot *s = fz__trace_huge(fz_mallocarray(n, sizeof *s), n * sizeof *s);
    if (!s)
        return FZ_E(FZ_ENOMEM);
    memset(s, 0, n * sizeof *s);
    for (size_t k = 0; g->slots && k <= g->slot_mask; k++) {
        uint32_t a = g->slots[k].acct;
        if (!a)
            continue;
        size_t i = fz_hash(g->keys + L->in.off[a - 1], L->in.len[a - 1]) & (n - 1);
        while (s[i].acct)
            i = (i + 1) & (n - 1);
        s[i] = g->slots[k];
    }
    fz_free(g->slots);
    g->slots = s;
    g->slot_mask = n - 1;
    return FZ_OK;
}

static fz_rc add_key(struct loader *L, struct fz_str id)
{
    struct intern *in = &L->in;
    if (in->keys_len + id.len > in->keys_cap) {
        size_t cap = in->keys_cap ? in->keys_cap * 2 : 65536;
        while (cap < in->keys_len + id.len)
            cap *= 2;
        char *k = fz_realloc(L->g->keys, cap);
        if (!k)
            return FZ_E(FZ_ENOMEM);
        L->g->keys = k;
        in->keys_cap = cap;
    }
    memcpy(L->g->keys + in->keys_len, id.ptr, id.len);
    in->keys_len += id.len;
    return FZ_OK;
}

/* The index of account id (hash h), added when new, and its slot. */
static fz_rc intern(struct loader *L, struct fz_str id, uint64_t h, uint32_t *out,
                    struct fz__trace_slot **slot)
{
    struct fz_trace_graph *g = L->g;
    size_t i = h & g->slot_mask;
    for (; g->slots && g->slots[i].acct; i = (i + 1) & g->slot_mask) {
        uint32_t a = g->slots[i].acct - 1;
        if (slot_head_matches(&g->slots[i], (uint32_t)(h >> 32), id.ptr, id.len) &&
            (id.len < FZ__TRACE_SLOT_KEY ||
             is_whole(id.ptr, id.len, g->keys + L->in.off[a], L->in.len[a]))) {
            *out = a;
            *slot = &g->slots[i];
            return FZ_OK;
        }
    }
    fz_rc rc = FZ_OK;
    if (g->n_acc + 1 >= L->in.cap)
        rc = grow_accounts(L);
    if (!rc && (!g->slots || (g->n_acc + 1) * 2 > g->slot_mask + 1))
        rc = grow_slots(L);
    uint32_t a = (uint32_t)g->n_acc;
    if (!rc) {
        L->in.off[a] = L->in.keys_len;
        L->in.len[a] = (uint32_t)id.len;
        rc = add_key(L, id);
    }
    if (rc)
        return rc;
    g->n_acc++;
    i = h & g->slot_mask;
    while (g->slots[i].acct)
        i = (i + 1) & g->slot_mask;
    slot_set(&g->slots[i], (uint32_t)(h >> 32), a, id.ptr, id.len);
    g->acc_name[a] = (struct fz_str){"", 0};
    *out = a;
    *slot = &g->slots[i];
    return FZ_OK;
}

/* The account ids as views of the final keys buffer, and their banks. */
static fz_rc account_ids(struct loader *L)
{
    struct fz_trace_graph *g = L->g;
    g->acc_id = fz_mallocarray(g->n_acc ? g->n_acc : 1, sizeof *g->acc_id);
    if (!g->acc_id)
        return FZ_E(FZ_ENOMEM);
    for (size_t a = 0; a < g->n_acc; a++)
        g->acc_id[a] = (struct fz_str){g->keys + L->in.off[a], L->in.len[a]};
    g->acc_bank = fz_mallocarray(g->n_acc ? g->n_acc : 1, sizeof *g->acc_bank);
    if (!g->acc_bank)
        return FZ_E(FZ_ENOMEM);
    for (size_t k = 0; g->slots && k <= g->slot_mask; k++)
        if (g->slots[k].acct)
            g->acc_bank[g->slots[k].acct - 1] = g->slots[k].bank;
    return FZ_OK;
}

/* The index of value v in map m, adding it to *list. */
static fz_rc intern_small(struct fz_map *m, struct fz_str **list, size_t *n, struct fz_str v,
                          uint32_t *out)
{
    void *got = fz_map_get(m, v.ptr, v.len);
    if (got) {
        *out = (uint32_t)((uintptr_t)got - 1);
        return FZ_OK;
    }
    if (*n >= FZ__TRACE_MAX_CHANNELS)
        return FZ_E(FZ_ETOOBIG);
    struct fz_str *l = fz_realloc(*list, (*n + 1) * sizeof *l);
    if (!l)
        return FZ_E(FZ_ENOMEM);
    *list = l;
    l[*n] = v;
    fz_rc rc = fz_map_put(m, v.ptr, v.len, (void *)(uintptr_t)(*n + 1), NULL);
    if (rc)
        return rc;
    *out = (uint32_t)(*n)++;
    return FZ_OK;
}

/* ---- rows ---------------------------------------------------------------------------------- */

#define GROW(arr, cap)                                                                             \
    do {                                                                                           \
        void *p_ = fz_realloc((arr), (cap) * sizeof *(arr));                                       \
        if (!p_)                                                                                   \
            return FZ_E(FZ_ENOMEM);                                                                \
        (arr) = p_;                                                                                \
    } while (0)

static size_t grown(size_t cap, size_t want)
{
    cap = cap ? cap : 1024;
    while (cap < want)
        cap *= 2;
    return cap;
}

static fz_rc rows_reserve_accounts(struct fz__trace_rows *r, size_t want)
{
    if (want <= r->cap)
        return FZ_OK;
    size_t cap = grown(r->cap, want);
    GROW(r->from, cap);
    GROW(r->to, cap);
    r->cap = cap;
    return FZ_OK;
}

static fz_rc rows_reserve_data(struct fz__trace_rows *r, size_t want)
{
    if (want <= r->cap_data)
        return FZ_OK;
    size_t cap = grown(r->cap_data, want);
    GROW(r->line, cap);
    GROW(r->time, cap);
    GROW(r->amount, cap);
    GROW(r->id_off, cap);
    GROW(r->id_len, cap);
    GROW(r->channel, cap);
    r->cap_data = cap;
    return FZ_OK;
}

static fz_rc rows_reserve(struct fz__trace_rows *r, size_t want)
{
    fz_rc rc = rows_reserve_accounts(r, want);
    return rc ? rc : rows_reserve_data(r, want);
}

static void rows_release(struct fz__trace_rows *r)
{
    fz_free(r->from);
    fz_free(r->to);
    fz_free(r->line);
    fz_free(r->time);
    fz_free(r->amount);
    fz_free(r->id_off);
    fz_free(r->id_len);
    fz_free(r->channel);
}

/* Reports a bad row. Returns FZ_EPARSE to go on, or the code to stop with. */
static fz_rc bad_row(struct loader *L, size_t line, const char *field, const char *fmt, ...)
    FZ_PRINTF(4, 5);
static fz_rc bad_row(struct loader *L, size_t line, const char *field, const char *fmt, ...)
{
    struct fz_err e = {.code = FZ_EPARSE, .line = line};
    snprintf(e.field, sizeof e.field, "%s", field);
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (*field)
        snprintf(e.msg, sizeof e.msg, "line %zu, field '%s': %s", line, field, msg);
    else
        snprintf(e.msg, sizeof e.msg, "line %zu: %s", line, msg);
    if (L->bad++ == 0)
        L->first = e;
    if (!L->on_bad || !L->on_bad(L->ud, &e))
        L->stop = true;
    return FZ_EPARSE;
}

/* The bank or name of the account; the first non-empty value wins. */
static fz_rc note_account(struct loader *L, uint32_t a, struct fz__trace_slot *slot,
                          struct fz_str bank, struct fz_str name)
{
    struct fz_trace_graph *g = L->g;
    if (bank.len && slot->bank == NO_BANK) {
        uint32_t b;
        fz_rc rc = intern_small(&L->banks, &g->banks, &g->n_banks, bank, &b);
        if (rc)
            return rc;
        slot->bank = (uint16_t)b;
    }
    if (name.len && !g->acc_name[a].len)
        g->acc_name[a] = name;
    return FZ_OK;
}

static fz_rc check_text(struct loader *L, size_t line, enum col c, struct fz_str f, bool is_ascii)
{
    if (f.len > FZ_CAP_TRACE_FIELD)
        return bad_row(L, line, col_names[c], "longer than %zu bytes", FZ_CAP_TRACE_FIELD);
    if (!is_ascii && !fz_utf8_valid(f.ptr, f.len))
        return bad_row(L, line, col_names[c], "invalid UTF-8");
    return FZ_OK;
}

/* A checked row waiting for its accounts to be interned (the ring of PIPE_DEPTH rows lets the
 * table's cache lines be prefetched well before they are needed). */
struct pending {
    struct fz_str v[C__COUNT];
    size_t line;
    int64_t time, amount;
    uint64_t h_from, h_to;
    uint32_t channel;
};

/* Checks the fields of one row into *p. FZ_EPARSE for a bad row (reported). */
static fz_rc check_row(struct loader *L, size_t line, const struct fz_str *v, const bool *is_ascii,
                       struct pending *p)
{
    char tmp[48];
    for (int c = 0; c < C__COUNT; c++) {
        fz_rc rc = check_text(L, line, (enum col)c, v[c], is_ascii[c]);
        if (rc)
            return rc;
    }
    if (!v[C_ID].len)
        return bad_row(L, line, "id", "empty transaction id");
    if (!v[C_FROM].len)
        return bad_row(L, line, "from", "empty account");
    if (!v[C_TO].len)
        return bad_row(L, line, "to", "empty account");
    if (v[C_FROM].len == v[C_TO].len && !memcmp(v[C_FROM].ptr, v[C_TO].ptr, v[C_TO].len))
        return bad_row(L, line, "to", "the same account as 'from'");
    if (!fz_trace_parse_time(v[C_TIME].ptr, v[C_TIME].len, &p->time))
        return bad_row(L, line, "time", "bad time '%s' (ISO 8601 or Unix seconds)",
                       shown(v[C_TIME], tmp));
    const char *why = parse_amount(v[C_AMOUNT], &p->amount);
    if (why)
        return bad_row(L, line, "amount_fen", "%s '%s'", why, shown(v[C_AMOUNT], tmp));
    if (p->amount > INT64_MAX - L->total) /* so no balance or sum of the graph can overflow */
        return bad_row(L, line, "amount_fen", "the amounts add up to more than int64");
    L->total += p->amount;
    fz_rc rc =
        intern_small(&L->channels, &L->g->channels, &L->g->n_channels, v[C_CHANNEL], &p->channel);
    if (rc == FZ_ETOOBIG)
        return bad_row(L, line, "channel", "more than %d distinct channels",
                       FZ__TRACE_MAX_CHANNELS);
    if (rc)
        return rc;
    memcpy(p->v, v, sizeof p->v);
    p->line = line;
    p->h_from = fz_hash(v[C_FROM].ptr, v[C_FROM].len);
    p->h_to = fz_hash(v[C_TO].ptr, v[C_TO].len);
    return FZ_OK;
}

/* Asks for the table slots of a checked row's accounts, PIPE_DEPTH rows before they are read. */
static void prefetch_slots(const struct fz_trace_graph *g, const struct pending *p)
{
    if (g->slots) {
        __builtin_prefetch(&g->slots[p->h_from & g->slot_mask]);
        __builtin_prefetch(&g->slots[p->h_to & g->slot_mask]);
    }
}

/* Appends a checked row's own fields (all but its accounts). */
static fz_rc store_data(struct loader *L, const struct pending *p)
{
    struct fz__trace_rows *r = &L->rows;
    if (r->n_data >= FZ_CAP_TRACE_ROWS)
        return FZ_E(FZ_ETOOBIG);
    fz_rc rc = rows_reserve_data(r, r->n_data + 1);
    if (rc)
        return rc;
    size_t i = r->n_data++;
    r->line[i] = p->line > UINT32_MAX ? UINT32_MAX : (uint32_t)p->line;
    r->time[i] = p->time;
    r->amount[i] = p->amount;
    r->id_off[i] = (uint64_t)(p->v[C_ID].ptr - L->g->data);
    r->id_len[i] = (uint32_t)p->v[C_ID].len;
    r->channel[i] = (uint16_t)p->channel;
    return FZ_OK;
}

/* Interns a checked row's accounts and appends them. */
static fz_rc commit_accounts(struct loader *L, const struct pending *p)
{
    struct fz__trace_rows *r = &L->rows;
    uint32_t from, to;
    struct fz__trace_slot *slot;
    fz_rc rc = rows_reserve_accounts(r, r->n + 1);
    if (!rc)
        rc = intern(L, p->v[C_FROM], p->h_from, &from, &slot);
    if (!rc)
        rc = note_account(L, from, slot, p->v[C_FROM_BANK], p->v[C_FROM_NAME]);
    if (!rc) /* after the sender's note: interning may move the table */
        rc = intern(L, p->v[C_TO], p->h_to, &to, &slot);
    if (!rc)
        rc = note_account(L, to, slot, p->v[C_TO_BANK], p->v[C_TO_NAME]);
    if (rc)
        return rc;
    size_t i = r->n++;
    r->from[i] = from;
    r->to[i] = to;
    return FZ_OK;
}

/* Appends a checked row, its accounts interned. */
static fz_rc commit_row(struct loader *L, const struct pending *p)
{
    fz_rc rc = store_data(L, p);
    return rc ? rc : commit_accounts(L, p);
}

/* Parses the row at *p (advancing past it) into *out. FZ_EPARSE for a bad row (reported,
 * skipped). */
static fz_rc parse_row(struct loader *L, char **p, char *end, size_t line, struct pending *out)
{
    struct fz_str v[C__COUNT + 1] = {{0}};
    bool is_ascii[C__COUNT + 1];
    for (int c = 0; c <= C__COUNT; c++)
        v[c].ptr = "", is_ascii[c] = true;
    size_t i = 0;
    for (bool last = false; !last; i++) {
        struct fz_str f;
        bool ascii;
        const char *why = next_field(p, end, &f, &last, &ascii);
        if (why) {
            while (*p < end && **p != '\n') /* skip the rest of the row */
                (*p)++;
            if (*p < end)
                (*p)++;
            return bad_row(L, line, "", "%s", why);
        }
        if (i < L->ncols)
            v[L->role[i]] = f, is_ascii[L->role[i]] = ascii;
    }
    if (i != L->ncols)
        return bad_row(L, line, "", "%zu fields, the header has %zu", i, L->ncols);
    return check_row(L, line, v, is_ascii, out);
}

static fz_rc parse_header(struct loader *L, char **p, char *end, struct fz_err *err)
{
    if (end - *p >= 3 && !memcmp(*p, "\xEF\xBB\xBF", 3))
        *p += 3;
    bool seen[C__COUNT] = {false};
    L->ncols = 0;
    for (bool last = false; !last;) {
        struct fz_str f;
        bool ascii;
        const char *why = next_field(p, end, &f, &last, &ascii);
        if (why)
            return fz_err_setloc(err, FZ_EPARSE, 1, "", "line 1: header: %s", why);
        if (L->ncols == MAX_COLS)
            return fz_err_setloc(err, FZ_EPARSE, 1, "", "line 1: more than %d columns", MAX_COLS);
        enum col c = C_IGNORE;
        for (int k = 0; k < C__COUNT; k++)
            if (strlen(col_names[k]) == f.len && !memcmp(col_names[k], f.ptr, f.len))
                c = (enum col)k;
        if (c != C_IGNORE && seen[c])
            return fz_err_setloc(err, FZ_EPARSE, 1, col_names[c],
                                 "line 1: column '%s' appears twice", col_names[c]);
        if (c != C_IGNORE)
            seen[c] = true;
        L->role[L->ncols++] = c;
    }
    for (int k = 0; k < REQUIRED_COLS; k++)
        if (!seen[k])
            return fz_err_setloc(err, FZ_EPARSE, 1, col_names[k],
                                 "line 1: the header lacks the '%s' column", col_names[k]);
    return FZ_OK;
}

/* ---- the two-thread pipeline ---------------------------------------------------------------- */

/* The parser (the caller's thread: it reports bad rows, in order) hands blocks of checked rows
 * to an interning thread through a ring of PIPE_BLOCKS blocks; each thread owns the loader's
 * fields of its stage (parsing: bad rows, total, channels, the rows' own fields; interning: the
 * rows' accounts, the account table, banks, names), so they share only the ring. The interning
 * (a cache miss or two per account in a table far bigger than the caches) is the slower
 * stage, so all else is done by the parser. */
#define PIPE_BLOCK 1024
#define PIPE_BLOCKS 8

size_t fz__trace_parallel_min = (size_t)4 << 20;

struct pipe {
    struct loader *L;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t filled, consumed; /* blocks handed over and blocks interned, ever */
    size_t count[PIPE_BLOCKS];
    bool done;   /* the parser has handed over its last block */
    bool failed; /* the interning thread stopped on rc (at row line) */
    fz_rc rc;
    size_t line;
    struct pending rows[PIPE_BLOCKS][PIPE_BLOCK];
};

/* Interns the rows of one block; on failure, records it. */
static bool commit_block(struct pipe *pp, const struct pending *b, size_t n)
{
    for (size_t j = 0; j < n && j < PIPE_DEPTH; j++)
        prefetch_slots(pp->L->g, &b[j]);
    for (size_t j = 0; j < n; j++) {
        if (j + PIPE_DEPTH < n)
            prefetch_slots(pp->L->g, &b[j + PIPE_DEPTH]);
        fz_rc rc = commit_accounts(pp->L, &b[j]);
        if (rc) {
            pthread_mutex_lock(&pp->mu);
            pp->failed = true;
            pp->rc = rc;
            pp->line = b[j].line;
            pthread_cond_broadcast(&pp->cv);
            pthread_mutex_unlock(&pp->mu);
            return false;
        }
    }
    return true;
}

static void *interning_thread(void *arg)
{
    struct pipe *pp = arg;
    for (;;) {
        pthread_mutex_lock(&pp->mu);
        while (pp->consumed == pp->filled && !pp->done)
            pthread_cond_wait(&pp->cv, &pp->mu);
        bool empty = pp->consumed == pp->filled;
        size_t k = pp->consumed % PIPE_BLOCKS, n = pp->count[k];
        pthread_mutex_unlock(&pp->mu);
        if (empty || !commit_block(pp, pp->rows[k], n))
            return NULL;
        pthread_mutex_lock(&pp->mu);
        pp->consumed++;
        pthread_cond_broadcast(&pp->cv);
        pthread_mutex_unlock(&pp->mu);
    }
}

/* Hands the block being filled (n rows) over; false when the interning thread has stopped. */
static bool hand_over(struct pipe *pp, size_t n, bool last)
{
    pthread_mutex_lock(&pp->mu);
    if (n) {
        pp->count[pp->filled % PIPE_BLOCKS] = n;
        pp->filled++;
    }
    pp->done = last;
    pthread_cond_broadcast(&pp->cv);
    while (!last && pp->filled - pp->consumed == PIPE_BLOCKS && !pp->failed)
        pthread_cond_wait(&pp->cv, &pp->mu);
    bool ok = !pp->failed;
    pthread_mutex_unlock(&pp->mu);
    return ok;
}

/* The parsing loop of the pipeline; the interning thread runs beside it. */
static fz_rc parse_into_pipe(struct pipe *pp, char *p, char *end, struct fz_err *err)
{
    struct loader *L = pp->L;
    size_t n = 0;
    for (size_t line = 2; p < end && !L->stop; line++) {
        if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) { /* a blank line */
            p += *p == '\r' ? 2 : 1;
            continue;
        }
        struct pending *row = &pp->rows[pp->filled % PIPE_BLOCKS][n];
        fz_rc rc = parse_row(L, &p, end, line, row);
        if (rc == FZ_OK)
            rc = store_data(L, row);
        if (rc && rc != FZ_EPARSE) {
            hand_over(pp, 0, true);
            return fz_err_set(err, rc, "line %zu: %s", line, fz_strerror(rc));
        }
        n += rc == FZ_OK;
        if (n == PIPE_BLOCK) {
            bool going = hand_over(pp, n, false);
            n = 0;
            if (!going)
                break;
        }
    }
    hand_over(pp, n, true);
    return FZ_OK;
}

/* The rows after the header on two threads. *started is false when the thread could not be
 * started (nothing was parsed: the caller goes on alone). */
static fz_rc parse_rows_parallel(struct loader *L, char *p, char *end, struct fz_err *err,
                                 bool *started)
{
    *started = false;
    struct pipe *pp = fz_calloc(1, sizeof *pp);
    if (!pp)
        return FZ_OK;
    pp->L = L;
    pthread_t th;
    if (pthread_mutex_init(&pp->mu, NULL)) {
        fz_free(pp);
        return FZ_OK;
    }
    if (pthread_cond_init(&pp->cv, NULL)) {
        pthread_mutex_destroy(&pp->mu);
        fz_free(pp);
        return FZ_OK;
    }
    if (!(*started = !pthread_create(&th, NULL, interning_thread, pp))) {
        pthread_cond_destroy(&pp->cv);
        pthread_mutex_destroy(&pp->mu);
        fz_free(pp);
        return FZ_OK;
    }
    fz_rc rc = parse_into_pipe(pp, p, end, err);
    pthread_join(th, NULL);
    if (!rc && pp->failed)
        rc = fz_err_set(err, pp->rc, "line %zu: %s", pp->line, fz_strerror(pp->rc));
    else if (!rc && L->bad) {
        if (err)
            *err = L->first;
        rc = FZ_EPARSE;
    }
    pthread_cond_destroy(&pp->cv);
    pthread_mutex_destroy(&pp->mu);
    fz_free(pp);
    return rc;
}

static fz_rc parse_rows_serial(struct loader *L, char *p, char *end, struct fz_err *err);

static fz_rc parse_all(struct loader *L, struct fz_err *err)
{
    char *p = L->g->data, *end = p + L->g->len;
    if (p == end)
        return fz_err_setloc(err, FZ_EPARSE, 1, "", "line 1: empty input, no header");
    fz_rc rc = parse_header(L, &p, end, err);
    if (rc)
        return rc;
    fz_rc frc = rows_reserve(&L->rows, L->g->len / 48 + 1);
    if (frc)
        return frc;
    if ((size_t)(end - p) >= fz__trace_parallel_min) {
        bool started;
        rc = parse_rows_parallel(L, p, end, err, &started);
        if (started)
            return rc;
    }
    return parse_rows_serial(L, p, end, err);
}

/* The rows after the header, on this thread: each row is interned PIPE_DEPTH rows after it was
 * parsed, so its table slots are prefetched in between. */
static fz_rc parse_rows_serial(struct loader *L, char *p, char *end, struct fz_err *err)
{
    fz_rc rc;
    struct pending ring[PIPE_DEPTH];
    size_t head = 0, n = 0;
    for (size_t line = 2; p < end && !L->stop; line++) {
        if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) { /* a blank line */
            p += *p == '\r' ? 2 : 1;
            continue;
        }
        if (n == PIPE_DEPTH) {
            rc = commit_row(L, &ring[head]);
            head = (head + 1) % PIPE_DEPTH;
            n--;
            if (rc)
                return fz_err_set(err, rc, "line %zu: %s", line, fz_strerror(rc));
        }
        struct pending *row = &ring[(head + n) % PIPE_DEPTH];
        rc = parse_row(L, &p, end, line, row);
        if (rc && rc != FZ_EPARSE)
            return fz_err_set(err, rc, "line %zu: %s", line, fz_strerror(rc));
        if (rc == FZ_OK)
            prefetch_slots(L->g, row);
        n += rc == FZ_OK;
    }
    for (; n > 0 && !L->bad; n--, head = (head + 1) % PIPE_DEPTH)
        if ((rc = commit_row(L, &ring[head])) != FZ_OK)
            return fz_err_set(err, rc, "%s", fz_strerror(rc));
    if (L->bad) {
        if (err)
            *err = L->first;
        return FZ_EPARSE;
    }
    return FZ_OK;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

fz_rc fz__trace_load(struct fz_trace_graph *g, fz_trace_bad_row_cb *on_bad, void *ud,
                     struct fz_err *err)
{
    struct loader L = {.g = g, .on_bad = on_bad, .ud = ud};
    fz_map_init(&L.banks);
    fz_map_init(&L.channels);
    double t0 = seconds();
    fz_rc rc = parse_all(&L, err);
    double t1 = seconds();
    if (!rc && !g->n_channels) /* a file without a channel column */
        rc =
            intern_small(&L.channels, &g->channels, &g->n_channels, FZ_STR_LIT(""), &(uint32_t){0});
    if (!rc)
        rc = account_ids(&L);
    if (!rc)
        rc = fz__trace_build(L.g, &L.rows);
    fz_log(FZ_LOG_DEBUG, "%zu rows, %zu accounts: parsed in %.3f s, graph built in %.3f s",
           L.rows.n, g->n_acc, t1 - t0, seconds() - t1);
    if (rc == FZ_ENOMEM)
        fz_err_set(err, rc, "out of memory loading %zu transactions", L.rows.n);
    rows_release(&L.rows);
    fz_free(L.in.off);
    fz_free(L.in.len);
    fz_map_release(&L.banks);
    fz_map_release(&L.channels);
    return rc;
}

/* ---- lookups ------------------------------------------------------------------------------- */

struct fz_str fz_trace_account_bank(const struct fz_trace_graph *g, uint32_t a)
{
    return g->acc_bank[a] == NO_BANK ? (struct fz_str){"", 0} : g->banks[g->acc_bank[a]];
}

uint32_t fz_trace_find(const struct fz_trace_graph *g, const char *id, size_t len)
{
    uint64_t h = fz_hash(id, len);
    size_t i = h & g->slot_mask;
    for (; g->slots && g->slots[i].acct; i = (i + 1) & g->slot_mask) {
        uint32_t a = g->slots[i].acct - 1;
        if (slot_head_matches(&g->slots[i], (uint32_t)(h >> 32), id, len) &&
            (len < FZ__TRACE_SLOT_KEY || is_whole(id, len, g->acc_id[a].ptr, g->acc_id[a].len)))
            return a;
    }
    return FZ_TRACE_NONE;
}
