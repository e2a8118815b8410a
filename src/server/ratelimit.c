/*
 * server/ratelimit: token buckets per (class, client) in a fixed table, so memory stays bounded
 * whatever the number of clients. Two clients that hash to one slot share (and may reset) a
 * bucket: that errs towards allowing, never towards refusing someone who sent nothing. Each
 * slot has its own lock word; contention is per slot.
 */
#include "server_int.h"

#define RL_SLOTS 65536u

struct bucket {
    uint64_t key;
    int64_t last_ms;
    double tokens;
    atomic_flag lock;
};

struct srv_ratelimit {
    struct bucket slots[RL_SLOTS];
};

fz_rc srv_ratelimit_new(struct srv_ratelimit **out)
{
    struct srv_ratelimit *rl = fz_calloc(1, sizeof *rl);
    if (!rl)
        return FZ_E(FZ_ENOMEM);
    for (size_t i = 0; i < RL_SLOTS; i++)
        atomic_flag_clear(&rl->slots[i].lock);
    *out = rl;
    return FZ_OK;
}

void srv_ratelimit_free(struct srv_ratelimit *rl) { fz_free(rl); }

bool srv_ratelimit_take(struct srv_ratelimit *rl, enum srv_rate_class c, const void *client,
                        size_t len, int rate, int64_t period_ms, int burst, int *retry_s)
{
    uint64_t key = fz_hash_seed(client, len, (uint64_t)c + 1) | 1; /* 0 = empty slot */
    struct bucket *b = &rl->slots[key % RL_SLOTS];
    int64_t now = srv_now_ms();
    double per_ms = (double)rate / (double)period_ms;
    while (atomic_flag_test_and_set_explicit(&b->lock, memory_order_acquire))
        ;
    if (b->key != key) {
        b->key = key;
        b->tokens = burst;
        b->last_ms = now;
    }
    b->tokens += (double)(now - b->last_ms) * per_ms;
    if (b->tokens > burst)
        b->tokens = burst;
    b->last_ms = now;
    bool ok = b->tokens >= 1.0;
    if (ok) {
        b->tokens -= 1.0;
    } else {
        int ms = (int)((1.0 - b->tokens) / per_ms);
        *retry_s = ms < 1000 ? 1 : (ms + 999) / 1000; /* whole seconds, rounded up */
    }
    atomic_flag_clear_explicit(&b->lock, memory_order_release);
    return ok;
}
