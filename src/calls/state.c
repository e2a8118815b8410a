/*
 * calls/state: the per-number state and the contact index, and applying one call record to
 * them (docs/internals/calls.md). Every update is O(1): a few map probes, three ring buckets
 * per number.
 */
#include "compat.h"

#include "calls_int.h"

#include <string.h>

_Static_assert(sizeof(struct fz__day_bucket) == 32, "a 24 h bucket is half a cache line");
_Static_assert(sizeof(struct fz__num) % 64 == 0, "records start on a cache line");

#define BEIJING_OFFSET_S (8 * 3600)

/* ---- the engine --------------------------------------------------------------------------- */

void fz_calls_config_init(struct fz_calls_config *c)
{
    *c = (struct fz_calls_config){
        .flag_threshold = 0.9,
        .warn_threshold = 0.5,
        .late_tolerance_s = 600,
        .short_call_s = 10,
        .one_ring_s = 3,
        .long_talk_s = 60,
        .contact_days = 30,
        .dialler_calls_1h = 100,
        .dialler_short_ratio = 0.6,
        .dialler_callback_ratio = 0.05,
        .simbox_numbers = 5,
        .wangiri_calls_24h = 20,
        .wangiri_one_ring = 0.7,
    };
}

fz_rc fz_calls_new(const struct fz_calls_config *cfg, struct fz_calls **out)
{
    struct fz_calls *c = fz_calloc(1, sizeof *c);
    if (!c)
        return FZ_E(FZ_ENOMEM);
    if (cfg)
        c->cfg = *cfg;
    else
        fz_calls_config_init(&c->cfg);
    c->nums.size = sizeof(struct fz__num);
    c->contacts.size = sizeof(struct fz__contact);
    c->imeis.size = sizeof(struct fz__imei);
    c->pairs.by_pair = true;
    *out = c;
    return FZ_OK;
}

void fz_calls_free(struct fz_calls *c)
{
    if (!c)
        return;
    fz__vec_release(&c->nums);
    fz__vec_release(&c->contacts);
    fz__vec_release(&c->imeis);
    fz__u64map_release(&c->by_raw);
    fz__u64map_release(&c->by_text);
    fz__u64map_release(&c->pairs);
    fz__u64map_release(&c->imei_ids);
    fz__u64map_release(&c->alerted);
    fz__u64map_release(&c->presented);
    fz_free(c);
}

void fz_calls_on_event(struct fz_calls *c, fz_calls_event_cb *cb, void *ud)
{
    c->cb = cb;
    c->ud = ud;
}

void fz_calls_set_model(struct fz_calls *c, const struct fz_calls_model *m)
{
    c->has_model = m != NULL;
    if (m)
        c->model = *m;
}

/* The value of the digits of text (a sequential dialler's callees differ by one). */
static uint64_t digits_value(const char *text)
{
    uint64_t v = 0;
    for (; *text; text++)
        if (*text >= '0' && *text <= '9')
            v = v * 10 + (uint64_t)(*text - '0');
    return v;
}

/* The by_text key of normalized number p: the hash of its canonical text. */
uint64_t fz__calls_text_key(const struct fz_phone *p)
{
    const char *text = p->e164[0] ? p->e164 : p->digits;
    return fz_hash(text, strlen(text)) | 1;
}

/* The id of the number with canonical text p (new when unseen); 0 on allocation failure. */
static uint32_t intern(struct fz_calls *c, const struct fz_phone *p)
{
    const char *text = p->e164[0] ? p->e164 : p->digits;
    size_t len = strlen(text);
    uint64_t key = fz__calls_text_key(p);
    uint32_t id = fz__u64map_get(&c->by_text, key);
    if (id)
        return id;
    if (fz__vec_push(&c->nums, &id) != FZ_OK || fz__u64map_put(&c->by_text, key, id) != FZ_OK)
        return 0;
    struct fz__num *n = NUM(c, id);
    memcpy(n->text, text, len < sizeof n->text ? len : sizeof n->text - 1);
    n->cls = (uint8_t)p->cls;
    n->digits = digits_value(n->text);
    c->stats.numbers++;
    return id;
}

/* Normalizes raw number s into *p; false when it is not a number. */
bool fz__calls_normalize(const char *s, size_t len, struct fz_phone *p)
{
    return fz_phone_normalize(s, len, p) == FZ_OK && p->valid && (p->e164[0] || p->digits[0]);
}

/* Maps raw key to number p (NULL: not a number): its id, or NOT_A_NUMBER, or 0 when memory ran
 * out. */
uint32_t fz__calls_learn(struct fz_calls *c, uint64_t key, const struct fz_phone *p)
{
    uint32_t id = p ? intern(c, p) : NOT_A_NUMBER;
    return id && fz__u64map_put(&c->by_raw, key, id) == FZ_OK ? id : 0;
}

/* The id of raw number s (whose raw_key is key), or NOT_A_NUMBER, or 0 when memory ran out. */
static uint32_t number_of(struct fz_calls *c, const char *s, size_t len, uint64_t key)
{
    uint32_t id = fz__u64map_get(&c->by_raw, key);
    if (id)
        return id;
    struct fz_phone p;
    return fz__calls_learn(c, key, fz__calls_normalize(s, len, &p) ? &p : NULL);
}

uint32_t fz__calls_number(struct fz_calls *c, const char *s, size_t len)
{
    return number_of(c, s, len, fz__calls_raw_key(s, len));
}

fz_rc fz_calls_whitelist(struct fz_calls *c, const char *number, size_t len, struct fz_err *err)
{
    uint32_t id = fz__calls_number(c, number, len);
    if (!id)
        return FZ_E(FZ_ENOMEM);
    if (id == NOT_A_NUMBER)
        return fz_err_set(err, FZ_EINVAL, "not a phone number '%.*s'", (int)(len > 40 ? 40 : len),
                          number);
    NUM(c, id)->flags |= NUM_WHITELISTED;
    return FZ_OK;
}

static bool is_domestic(const struct fz__num *n)
{
    return n->cls != FZ_PHONE_INTERNATIONAL && n->cls != FZ_PHONE_INVALID;
}

/* The caller of a call: a domestic number arriving on the international trunk is spoofed, so
 * it gets a record of its own (NUM_PRESENTED) apart from its real holder's — flagging what the
 * gateway presented must not warn everyone the real 110 or the real bank called at home. 0 when
 * memory ran out. */
uint32_t fz__calls_caller_of(struct fz_calls *c, uint32_t id, bool is_international)
{
    if (!is_international || id == NOT_A_NUMBER || !is_domestic(NUM(c, id)))
        return id;
    uint32_t pid = fz__u64map_get(&c->presented, id);
    if (pid)
        return pid;
    if (fz__vec_push(&c->nums, &pid) != FZ_OK || fz__u64map_put(&c->presented, id, pid) != FZ_OK)
        return 0;
    struct fz__num *p = NUM(c, pid), *real = NUM(c, id);
    memcpy(p->text, real->text, sizeof p->text);
    p->cls = real->cls;
    p->digits = real->digits;
    p->flags = NUM_PRESENTED;
    c->stats.numbers++;
    return pid;
}

/* ---- windows ------------------------------------------------------------------------------ */

/* Where a record's start time falls in each ring, worked out once per record. */
struct when {
    uint32_t ai[WIN__COUNT]; /* absolute bucket */
};

static void when_of(int64_t t, struct when *at)
{
    for (int w = 0; w < WIN__COUNT; w++)
        at->ai[w] = fz__calls_win_index(w, t);
}

/* The slot of absolute bucket ai in a ring of `count` buckets whose newest is *last, with
 * `rows` counters per bucket stored row by row (v[row * count + slot]). A newer ai moves the ring
 * forward, clearing the buckets it passes; -1 when ai has already left the ring. */
static int ring_slot(uint32_t *last, uint16_t *v, int rows, uint32_t count, uint32_t ai)
{
    if (ai != *last) {
        if (*last && ai < *last) {
            if (ai + count <= *last)
                return -1;
        } else if (!*last || ai - *last >= count) {
            memset(v, 0, (size_t)rows * count * sizeof *v);
            *last = ai;
        } else {
            for (uint32_t k = *last + 1; k <= ai; k++)
                for (int r = 0; r < rows; r++)
                    v[r * count + k % count] = 0;
            *last = ai;
        }
    }
    return (int)(ai % count);
}

/* The sum of row `row` over the buckets of a ring that fall in the window ending at now_ai. */
static uint32_t ring_sum(uint32_t last, const uint16_t *v, uint32_t count, int row, uint32_t now_ai)
{
    uint32_t sum = 0;
    for (uint32_t k = 0; k < count && last >= k; k++) {
        uint32_t ai = last - k;
        if (ai + count > now_ai && ai <= now_ai)
            sum += v[row * count + ai % count];
    }
    return sum;
}

/* The 24 h bucket of absolute index ai: reset when it still holds an older one; NULL when it
 * already holds a newer one (ai has left the ring). */
static inline struct fz__day_bucket *day_bucket(struct fz__num *n, uint32_t ai)
{
    struct fz__day_bucket *b = &n->d[ai % WIN_24H_BUCKETS];
    if (b->ai != ai) {
        if (b->ai > ai)
            return NULL;
        *b = (struct fz__day_bucket){.ai = ai};
    }
    return b;
}

static void day_sums(const struct fz__num *n, uint32_t now_ai, struct fz__sums *sum)
{
    for (int i = 0; i < WIN_24H_BUCKETS; i++) {
        const struct fz__day_bucket *b = &n->d[i];
        if (!b->ai || b->ai + WIN_24H_BUCKETS <= now_ai || b->ai > now_ai)
            continue;
        sum->out += b->out, sum->shrt += b->shrt, sum->answered += b->answered;
        sum->night += b->night, sum->odd += b->odd, sum->one_ring += b->one_ring;
        sum->intl += b->intl, sum->callbacks += b->callbacks, sum->distinct += b->distinct;
        sum->talk_s += b->talk_s;
    }
}

void fz__calls_window_sums(const struct fz__num *n, int w, int64_t now, struct fz__sums *sum)
{
    uint32_t now_ai = fz__calls_win_index(w, now);
    memset(sum, 0, sizeof *sum);
    switch (w) {
    case WIN_1H:
        sum->out = ring_sum(n->h.last, n->h.v, WIN_1H_BUCKETS, H_OUT, now_ai);
        sum->shrt = ring_sum(n->h.last, n->h.v, WIN_1H_BUCKETS, H_SHORT, now_ai);
        sum->distinct = ring_sum(n->h.last, n->h.v, WIN_1H_BUCKETS, H_DISTINCT, now_ai);
        break;
    case WIN_24H:
        day_sums(n, now_ai, sum);
        sum->in = ring_sum(n->in.last_24h, n->in.d, WIN_24H_BUCKETS, 0, now_ai);
        break;
    default:
        sum->out = ring_sum(n->w.last, n->w.v, WIN_7D_BUCKETS, W_OUT, now_ai);
        sum->distinct = ring_sum(n->w.last, n->w.v, WIN_7D_BUCKETS, W_DISTINCT, now_ai);
        sum->callbacks = ring_sum(n->w.last, n->w.v, WIN_7D_BUCKETS, W_CALLBACKS, now_ai);
        sum->in = ring_sum(n->in.last_7d, n->in.w, WIN_7D_BUCKETS, 0, now_ai);
        break;
    }
}

#define SAT_INC(x) ((x) = (uint16_t)((x) + ((x) < UINT16_MAX)))

/* ---- applying a record -------------------------------------------------------------------- */

static void add_small(uint32_t *set, uint8_t *n, int cap, uint32_t v)
{
    int stored = *n < cap ? *n : cap;
    for (int i = 0; i < stored; i++)
        if (set[i] == v)
            return;
    if (*n < cap)
        set[*n] = v;
    if (*n < UINT8_MAX)
        (*n)++;
}

/* Records that number id used IMEI text; true when the IMEI just reached the SIM-box count. */
static bool note_imei(struct fz_calls *c, uint32_t id, struct fz_str imei)
{
    uint64_t key = fz__calls_raw_key(imei.ptr, imei.len);
    if (NUM(c, id)->last_imei == key)
        return false; /* the same phone as last time: already counted */
    NUM(c, id)->last_imei = key;
    uint32_t iid = fz__u64map_get(&c->imei_ids, key);
    if (!iid &&
        (fz__vec_push(&c->imeis, &iid) != FZ_OK || fz__u64map_put(&c->imei_ids, key, iid) != FZ_OK))
        return false;
    struct fz__num *n = NUM(c, id);
    add_small(n->imeis, &n->nimeis, NUM_IMEIS, iid);
    struct fz__imei *im = IMEI(c, iid);
    uint32_t stored = im->nnum < IMEI_NUMBERS ? im->nnum : IMEI_NUMBERS;
    for (uint32_t i = 0; i < stored; i++)
        if (im->nums[i] == id)
            return false;
    if (im->nnum < IMEI_NUMBERS)
        im->nums[im->nnum] = id;
    im->nnum += im->nnum < UINT32_MAX;
    return im->nnum == c->cfg.simbox_numbers;
}

static bool is_night(int64_t t)
{
    int64_t hour = ((t + BEIJING_OFFSET_S) / 3600) % 24;
    return hour >= 22 || hour < 6;
}

/* The 1 h and 7 d rings' counters of a call at `at` (NULL when it has left that ring). */
static uint16_t *hour_counters(struct fz__num *n, const struct when *at, int row)
{
    int slot = ring_slot(&n->h.last, n->h.v, H__COUNTERS, WIN_1H_BUCKETS, at->ai[WIN_1H]);
    return slot < 0 ? NULL : &n->h.v[row * WIN_1H_BUCKETS + slot];
}

static uint16_t *week_counters(struct fz__num *n, const struct when *at, int row)
{
    int slot = ring_slot(&n->w.last, n->w.v, W__COUNTERS, WIN_7D_BUCKETS, at->ai[WIN_7D]);
    return slot < 0 ? NULL : &n->w.v[row * WIN_7D_BUCKETS + slot];
}

static void count_out(struct fz_calls *c, struct fz__num *n, const struct fz_cdr *cdr,
                      const struct when *at, bool odd)
{
    bool is_short = cdr->duration_s < c->cfg.short_call_s;
    uint16_t *h = hour_counters(n, at, H_OUT), *w = week_counters(n, at, W_OUT);
    if (h) {
        SAT_INC(h[H_OUT * WIN_1H_BUCKETS]);
        if (is_short)
            SAT_INC(h[H_SHORT * WIN_1H_BUCKETS]);
    }
    if (w)
        SAT_INC(*w);
    struct fz__day_bucket *b = day_bucket(n, at->ai[WIN_24H]);
    if (!b)
        return;
    SAT_INC(b->out);
    if (is_short)
        SAT_INC(b->shrt);
    if (cdr->duration_s > 0)
        SAT_INC(b->answered);
    if (is_night(cdr->start))
        SAT_INC(b->night);
    if (odd)
        SAT_INC(b->odd);
    if (cdr->duration_s == 0 && cdr->ring_s >= 0 && cdr->ring_s <= c->cfg.one_ring_s)
        SAT_INC(b->one_ring);
    if (cdr->is_international)
        SAT_INC(b->intl);
    b->talk_s += (uint32_t)cdr->duration_s;
}

static void count_in(struct fz__num *n, const struct when *at)
{
    struct fz__ring_in *r = &n->in;
    int d = ring_slot(&r->last_24h, r->d, 1, WIN_24H_BUCKETS, at->ai[WIN_24H]);
    int w = ring_slot(&r->last_7d, r->w, 1, WIN_7D_BUCKETS, at->ai[WIN_7D]);
    if (d >= 0)
        SAT_INC(r->d[d]);
    if (w >= 0)
        SAT_INC(r->w[w]);
}

static void count_callback(struct fz__num *n, const struct when *at)
{
    struct fz__day_bucket *b = day_bucket(n, at->ai[WIN_24H]);
    uint16_t *w = week_counters(n, at, W_CALLBACKS);
    if (b)
        SAT_INC(b->callbacks);
    if (w)
        SAT_INC(*w);
}

static void drop_distinct(uint16_t *v)
{
    if (*v)
        (*v)--;
}

/* Counts a callee at `to` (a counter of a one-line ring whose newest bucket is *last, NULL
 * when the call has left the ring), and uncounts it from bucket old_ai of `row` when it was
 * counted there and that bucket is still in the ring. */
static void move_in_ring(uint16_t *to, uint16_t *row, uint32_t count, const uint32_t *last,
                         bool had, uint32_t old_ai)
{
    if (!to)
        return;
    SAT_INC(*to);
    if (had && old_ai + count > *last)
        drop_distinct(&row[old_ai % count]);
}

/* Moves the contact's "latest call" from time old (0: none) to the time of at in caller n's
 * rings: its distinct callee counts in the bucket of its latest call. */
static void move_distinct(struct fz__num *n, uint32_t old, const struct when *at)
{
    struct when was;
    when_of(old, &was);
    if (!old || was.ai[WIN_1H] != at->ai[WIN_1H])
        move_in_ring(hour_counters(n, at, H_DISTINCT), &n->h.v[H_DISTINCT * WIN_1H_BUCKETS],
                     WIN_1H_BUCKETS, &n->h.last, old != 0, was.ai[WIN_1H]);
    if (!old || was.ai[WIN_24H] != at->ai[WIN_24H]) {
        struct fz__day_bucket *b = day_bucket(n, at->ai[WIN_24H]);
        if (b) {
            SAT_INC(b->distinct);
            struct fz__day_bucket *ob = &n->d[was.ai[WIN_24H] % WIN_24H_BUCKETS];
            if (old && ob->ai == was.ai[WIN_24H])
                drop_distinct(&ob->distinct);
        }
    }
    if (!old || was.ai[WIN_7D] != at->ai[WIN_7D])
        move_in_ring(week_counters(n, at, W_DISTINCT), &n->w.v[W_DISTINCT * WIN_7D_BUCKETS],
                     WIN_7D_BUCKETS, &n->w.last, old != 0, was.ai[WIN_7D]);
}

/* The contact caller → callee, created when new; 0 when memory ran out. */
static uint32_t contact(struct fz_calls *c, uint32_t caller, uint32_t callee, bool *is_new)
{
    uint64_t key = (uint64_t)caller << 32 | callee;
    if (fz__u64map_reserve(&c->pairs, 1) != FZ_OK)
        return 0;
    bool found;
    size_t slot = fz__u64map_slot(&c->pairs, key, &found);
    *is_new = !found;
    if (found)
        return (uint32_t)c->pairs.slots[slot].val;
    uint32_t id;
    if (fz__vec_push(&c->contacts, &id) != FZ_OK)
        return 0;
    c->pairs.slots[slot] = (struct fz__u64slot){key, id};
    c->pairs.count++;
    struct fz__contact *k = CONTACT(c, id);
    k->caller = caller;
    k->callee = callee;
    k->next_out = NUM(c, caller)->out_head;
    NUM(c, caller)->out_head = id;
    k->next_in = NUM(c, callee)->in_head;
    NUM(c, callee)->in_head = id;
    c->stats.contacts++;
    return id;
}

static fz_rc update_contact(struct fz_calls *c, uint32_t caller, uint32_t callee,
                            const struct fz_cdr *cdr, const struct when *at)
{
    bool is_new;
    uint32_t kid = contact(c, caller, callee, &is_new);
    if (!kid)
        return FZ_E(FZ_ENOMEM);
    struct fz__contact *k = CONTACT(c, kid);
    uint32_t t = (uint32_t)cdr->start;
    if (t >= k->last) {
        if (!cdr->is_sms)
            move_distinct(NUM(c, caller), is_new ? 0 : k->last, at);
        k->last = t;
    }
    if (is_new || t < k->first)
        k->first = t;
    SAT_INC(k->calls);
    if (cdr->duration_s > 0 && !cdr->is_sms) {
        SAT_INC(k->answered);
        k->talk_s += (uint32_t)cdr->duration_s;
    }
    /* A call back: the callee of this call had called this caller before (no probe when the
     * callee never called anyone). */
    uint32_t back =
        NUM(c, callee)->out_head ? fz__u64map_get(&c->pairs, (uint64_t)callee << 32 | caller) : 0;
    if (back && !CONTACT(c, back)->called_back && CONTACT(c, back)->first <= t) {
        CONTACT(c, back)->called_back = 1;
        count_callback(NUM(c, callee), at);
    }
    return FZ_OK;
}

static void note_place(struct fz_calls *c, uint32_t id, const struct fz_cdr *cdr)
{
    struct fz__num *n = NUM(c, id);
    if (cdr->cell_id)
        add_small(n->cells, &n->ncells, NUM_CELLS, cdr->cell_id);
    if (cdr->imei.len && note_imei(c, id, cdr->imei)) {
        /* the IMEI just reached the SIM-box count: look at every number on it */
        struct fz__imei *im = IMEI(c, n->imeis[0] == 0 ? 0 : n->imeis[0]);
        for (int i = 0; i < n->nimeis && i < NUM_IMEIS; i++) {
            im = IMEI(c, n->imeis[i]);
            for (uint32_t j = 0; j < im->nnum && j < IMEI_NUMBERS; j++)
                fz__calls_evaluate(c, im->nums[j]);
        }
    }
}

/* The caller's side of a call: windows, place, sequence, spoofing; true when it is due an
 * evaluation now. */
static bool apply_caller(struct fz_calls *c, uint32_t id, uint32_t callee, const struct fz_cdr *cdr,
                         const struct when *at)
{
    struct fz__num *n = NUM(c, id);
    uint64_t dv = callee ? NUM(c, callee)->digits : 0;
    bool odd = !callee || (n->last_callee && dv != n->last_callee &&
                           (dv > n->last_callee ? dv - n->last_callee : n->last_callee - dv) <= 3);
    n->last_callee = dv;
    bool due = false;
    if (!cdr->is_sms) {
        count_out(c, n, cdr, at, odd);
        n->out_total++;
        due = (n->out_total & 7) == 0;
        if (cdr->is_international && is_domestic(n)) {
            n->spoofed++;
            due = true;
        }
        if (n->cls == FZ_PHONE_IOT || n->cls == FZ_PHONE_DATA) {
            n->iot_voice++;
            due = true;
        }
    }
    note_place(c, id, cdr);
    return due;
}

static fz_rc not_a_caller(struct fz_str s, struct fz_err *err)
{
    return fz_err_set(err, FZ_EINVAL, "the caller '%.*s' is not a phone number",
                      (int)(s.len > 40 ? 40 : s.len), s.ptr);
}

static fz_rc resolve(struct fz_calls *c, struct fz_str s, bool is_caller, uint32_t *id,
                     struct fz_err *err)
{
    *id = fz__calls_number(c, s.ptr, s.len);
    if (!*id)
        return FZ_E(FZ_ENOMEM);
    return *id == NOT_A_NUMBER && is_caller ? not_a_caller(s, err) : FZ_OK;
}

/* Moves the stream's clock; false when the record is too late to apply. */
static bool advance_clock(struct fz_calls *c, int64_t t)
{
    if (t > c->now) {
        c->now = t;
        if (c->now / 86400 != c->compacted_day)
            fz__calls_sweep_contacts(c);
        return true;
    }
    if (t + c->cfg.late_tolerance_s < c->now) {
        c->stats.late_dropped++;
        return false;
    }
    if (t < c->now)
        c->stats.late_applied++;
    return true;
}

bool fz__calls_start_in_range(const struct fz_cdr *cdr)
{
    return cdr->start >= 0 && cdr->start <= UINT32_MAX - 86400;
}

static fz_rc check_start(const struct fz_cdr *cdr, struct fz_err *err)
{
    if (!fz__calls_start_in_range(cdr))
        return fz_err_set(err, FZ_EINVAL, "start time %lld out of range", (long long)cdr->start);
    return FZ_OK;
}

fz_rc fz__calls_refusal(const struct fz_cdr *cdr, struct fz_err *err)
{
    fz_rc rc = check_start(cdr, err);
    return rc == FZ_OK ? not_a_caller(cdr->caller, err) : rc;
}

/* Applies cdr between resolved numbers (callee NOT_A_NUMBER when it is not one). */
fz_rc fz__calls_apply_ids(struct fz_calls *c, const struct fz_cdr *cdr, uint32_t caller,
                          uint32_t callee)
{
    if (!advance_clock(c, cdr->start))
        return FZ_OK;
    if (callee == NOT_A_NUMBER)
        callee = 0;
    struct when at;
    when_of(cdr->start, &at);
    struct fz__num *n = NUM(c, caller);
    if (!n->first_seen || n->first_seen > cdr->start)
        n->first_seen = (uint32_t)cdr->start;
    n->last_seen = (uint32_t)cdr->start;
    bool due = apply_caller(c, caller, callee, cdr, &at);
    if (callee) {
        struct fz__num *e = NUM(c, callee);
        if (!e->first_seen || e->first_seen > cdr->start)
            e->first_seen = (uint32_t)cdr->start;
        if (!cdr->is_sms)
            count_in(e, &at);
        fz_rc rc = update_contact(c, caller, callee, cdr, &at);
        if (rc != FZ_OK)
            return rc;
    }
    c->stats.applied++;
    if (due)
        fz__calls_evaluate(c, caller);
    if (callee && (NUM(c, caller)->flags & NUM_FLAGGED))
        fz__calls_check_contact(c, callee, caller, cdr->duration_s >= c->cfg.long_talk_s);
    if (callee && (NUM(c, callee)->flags & NUM_FLAGGED))
        fz__calls_check_contact(c, caller, callee, cdr->duration_s >= c->cfg.long_talk_s);
    return FZ_OK;
}

fz_rc fz_calls_apply(struct fz_calls *c, const struct fz_cdr *cdr, struct fz_err *err)
{
    uint32_t caller, callee;
    fz_rc rc = check_start(cdr, err);
    if (rc == FZ_OK)
        rc = resolve(c, cdr->caller, true, &caller, err);
    if (rc == FZ_OK)
        rc = resolve(c, cdr->callee, false, &callee, err);
    if (rc == FZ_OK && !(caller = fz__calls_caller_of(c, caller, cdr->is_international)))
        rc = FZ_E(FZ_ENOMEM);
    return rc == FZ_OK ? fz__calls_apply_ids(c, cdr, caller, callee) : rc;
}

void fz_calls_stats(const struct fz_calls *c, struct fz_calls_stats *out)
{
    *out = c->stats;
    out->memory_bytes = c->nums.len * c->nums.size + c->contacts.len * c->contacts.size +
                        c->imeis.len * c->imeis.size;
    const struct fz__u64map *maps[] = {&c->by_raw,   &c->by_text, &c->pairs,
                                       &c->imei_ids, &c->alerted, &c->presented};
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
        if (maps[i]->slots)
            out->memory_bytes += (maps[i]->mask + 1) * sizeof(struct fz__u64slot);
}

fz_rc fz_calls_each_verdict(struct fz_calls *c, fz_calls_verdict_cb *fn, void *ud)
{
    for (uint32_t id = 1; id < c->nums.len; id++) {
        const struct fz__num *n = NUM(c, id);
        if (!n->out_total)
            continue;
        struct fz_calls_verdict v;
        fz__calls_verdict_of(c, n, &v);
        fn(ud, &v);
    }
    return FZ_OK;
}

uint32_t fz__calls_find(struct fz_calls *c, const char *number, size_t len)
{
    struct fz_phone p;
    if (fz_phone_normalize(number, len, &p) != FZ_OK || !p.valid)
        return 0;
    const char *text = p.e164[0] ? p.e164 : p.digits;
    return fz__u64map_get(&c->by_text, fz_hash(text, strlen(text)) | 1);
}

/* The record of a number that placed calls: its own, or else the one its number got as
 * presented on the international trunk. 0 when neither did. */
static uint32_t find_caller(struct fz_calls *c, const char *number, size_t len)
{
    uint32_t id = fz__calls_find(c, number, len);
    if (id && !NUM(c, id)->out_total) {
        uint32_t presented = fz__u64map_get(&c->presented, id);
        id = presented ? presented : id;
    }
    return id;
}

bool fz_calls_training_row(struct fz_calls *c, const char *number, size_t len, float *x)
{
    uint32_t id = find_caller(c, number, len);
    if (!id || !NUM(c, id)->out_total)
        return false;
    memcpy(x, NUM(c, id)->busy_feat, sizeof NUM(c, id)->busy_feat);
    return true;
}

bool fz_calls_features(struct fz_calls *c, const char *number, size_t len, float *x)
{
    uint32_t id = find_caller(c, number, len);
    if (!id)
        return false;
    fz__calls_features(c, NUM(c, id), c->now, x);
    return true;
}

/* ---- forgetting ----------------------------------------------------------------------------- */

/* Re-links contact id into its numbers' chains and the pair map (which has room). */
static void relink(struct fz_calls *c, uint32_t id)
{
    struct fz__contact *k = CONTACT(c, id);
    bool found;
    uint64_t key = (uint64_t)k->caller << 32 | k->callee;
    c->pairs.slots[fz__u64map_slot(&c->pairs, key, &found)] = (struct fz__u64slot){key, id};
    c->pairs.count++;
    k->next_out = NUM(c, k->caller)->out_head;
    NUM(c, k->caller)->out_head = id;
    k->next_in = NUM(c, k->callee)->in_head;
    NUM(c, k->callee)->in_head = id;
}

void fz__calls_sweep_contacts(struct fz_calls *c)
{
    c->compacted_day = c->now / 86400;
    int64_t since = c->now - (int64_t)c->cfg.contact_days * 86400;
    size_t stale = 0, n = c->contacts.len;
    for (size_t id = 1; id < n; id++)
        stale += CONTACT(c, id)->last < since;
    if (stale == 0 || stale * 10 < n)
        return;
    /* keep the recent ones, in order, and rebuild every link to them */
    size_t kept = 1;
    for (size_t id = 1; id < n; id++)
        if (CONTACT(c, id)->last >= since)
            *CONTACT(c, kept++) = *CONTACT(c, id);
    /* what the vector gives out next must be zero again */
    memset(CONTACT(c, kept), 0, (n - kept) * sizeof(struct fz__contact));
    c->contacts.len = kept;
    c->stats.contacts = kept - 1;
    for (size_t id = 1; id < c->nums.len; id++)
        NUM(c, id)->out_head = NUM(c, id)->in_head = 0;
    if (c->pairs.slots)
        memset(c->pairs.slots, 0, (c->pairs.mask + 1) * sizeof *c->pairs.slots);
    c->pairs.count = 0;
    for (size_t id = 1; id < kept; id++)
        relink(c, (uint32_t)id);
}
