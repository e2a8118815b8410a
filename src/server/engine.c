/*
 * server/engine: the screening engine the HTTP threads share, its reload, each thread's
 * screening context, and the adapter that lets the engine look entities up in the index.
 *
 * The engine (rules + model + extractor) is refcounted and published with one atomic pointer;
 * a reload builds a complete new engine first and swaps it in, so requests in flight finish on
 * the old one. Each HTTP thread keeps one screening context, recreated when the engine changes.
 */
#include "server_int.h"

#include "fangzha/model.h"

FZ_LOG_MODULE(server);

/* ---- engine ------------------------------------------------------------------------------- */

static void engine_free(struct srv_engine *e)
{
    fz_screen_free(e->screen);
    if (e->model)
        fz_model_close(e->model);
    fz_free(e);
}

void srv_engine_release(struct srv_engine *e)
{
    if (e && atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1)
        engine_free(e);
}

static void engine_lock(struct fz_server *s)
{
    while (atomic_flag_test_and_set_explicit(&s->engine_lock, memory_order_acquire))
        ;
}

static void engine_unlock(struct fz_server *s)
{
    atomic_flag_clear_explicit(&s->engine_lock, memory_order_release);
}

struct srv_engine *srv_engine_acquire(struct fz_server *s)
{
    engine_lock(s);
    struct srv_engine *e = atomic_load_explicit(&s->engine, memory_order_acquire);
    if (e)
        atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
    engine_unlock(s);
    return e;
}

static fz_rc engine_build(struct fz_server *s, struct srv_engine **out, struct fz_err *err)
{
    struct srv_engine *e = fz_calloc(1, sizeof *e);
    if (!e)
        return FZ_E(FZ_ENOMEM);
    atomic_init(&e->refs, 1);
    struct fz_rules *rules = NULL;
    fz_rc rc = FZ_OK;
    if (s->o.model_path && (rc = fz_model_open(s->o.model_path, &e->model, err)) != FZ_OK) {
        fz_err_set(err, rc, "model '%s': %s", s->o.model_path, err->msg);
        goto fail;
    }
    if (s->o.rules_dir &&
        (rc = fz_rules_load_dir(s->o.rules_dir, s->o.cache_dir, &rules, err)) != FZ_OK) {
        struct fz_err inner = *err;
        fz_err_setloc(err, rc, inner.line, inner.field, "rules '%s': %s", s->o.rules_dir,
                      inner.msg);
        goto fail;
    }
    rc = fz_screen_new(NULL, e->model, rules, &e->screen);
    fz_rules_unref(rules);
    if (rc) {
        fz_err_set(err, rc, "cannot set up the screening engine: %s", fz_strerror(rc));
        goto fail;
    }
    *out = e;
    return FZ_OK;
fail:
    engine_free(e);
    return rc;
}

fz_rc srv_engine_load(struct fz_server *s, struct fz_err *err)
{
    struct srv_engine *e;
    fz_rc rc = engine_build(s, &e, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&s->reload_lock);
    e->gen = ++s->engine_gen;
    engine_lock(s);
    struct srv_engine *old = atomic_exchange_explicit(&s->engine, e, memory_order_acq_rel);
    engine_unlock(s);
    pthread_mutex_unlock(&s->reload_lock);
    srv_engine_release(old);
    fz_log(FZ_LOG_INFO, "engine %llu ready (rules %s, model %s)", (unsigned long long)e->gen,
           s->o.rules_dir ? s->o.rules_dir : "none", s->o.model_path ? s->o.model_path : "none");
    return FZ_OK;
}

void srv_engine_close(struct fz_server *s)
{
    srv_engine_release(atomic_exchange(&s->engine, NULL));
}

/* ---- per-thread contexts ------------------------------------------------------------------ */

struct thread_ctx {
    struct fz_screen_ctx *ctx;
    uint64_t gen;
    struct thread_ctx *next;
};

static _Thread_local struct thread_ctx *tl_ctx;
static struct thread_ctx *all_ctx;
static pthread_mutex_t all_ctx_lock = PTHREAD_MUTEX_INITIALIZER;

struct fz_screen_ctx *srv_thread_ctx(struct srv_engine *e)
{
    struct thread_ctx *t = tl_ctx;
    if (!t) {
        t = fz_calloc(1, sizeof *t);
        if (!t)
            return NULL;
        pthread_mutex_lock(&all_ctx_lock);
        t->next = all_ctx;
        all_ctx = t;
        pthread_mutex_unlock(&all_ctx_lock);
        tl_ctx = t;
    }
    if (t->ctx && t->gen == e->gen)
        return t->ctx;
    fz_screen_ctx_free(t->ctx);
    t->ctx = NULL;
    if (fz_screen_ctx_new(e->screen, &t->ctx) != FZ_OK)
        return NULL;
    t->gen = e->gen;
    return t->ctx;
}

void srv_thread_ctx_free_all(void)
{
    pthread_mutex_lock(&all_ctx_lock);
    for (struct thread_ctx *t = all_ctx, *next; t; t = next) {
        next = t->next;
        fz_screen_ctx_free(t->ctx);
        fz_free(t);
    }
    all_ctx = NULL;
    pthread_mutex_unlock(&all_ctx_lock);
    tl_ctx = NULL;
}

/* ---- the index as the engine's intelligence hook ------------------------------------------ */

static const struct fz_ind_entry *find(const struct srv_intel *si, enum fz_ind_kind k,
                                       const char *v)
{
    return v ? fz_ind_lookup(si->x, k, v, strlen(v), si->now_ms) : NULL;
}

/* The indicator behind an entity: for a URL the URL itself, then its host, then its
 * registrable domain. */
static const struct fz_ind_entry *entity_entry(const struct srv_intel *si,
                                               const struct fz_entity *e)
{
    const struct fz_ind_entry *x = NULL;
    switch (e->kind) {
    case FZ_ENT_PHONE: return find(si, FZ_IND_PHONE, e->value);
    case FZ_ENT_EMAIL: return find(si, FZ_IND_EMAIL, e->value);
    case FZ_ENT_BANK_CARD: return find(si, FZ_IND_BANK_ACCOUNT, e->value);
    case FZ_ENT_QQ: return find(si, FZ_IND_QQ, e->value);
    case FZ_ENT_WECHAT: return find(si, FZ_IND_WECHAT, e->value);
    case FZ_ENT_URL:
        if (!e->url.valid)
            return NULL;
        x = find(si, FZ_IND_URL, e->url.url);
        if (!x)
            x = find(si, FZ_IND_DOMAIN, e->url.host);
        if (!x)
            x = find(si, FZ_IND_DOMAIN, e->url.registrable_domain);
        return x;
    default: return NULL;
    }
}

static bool intel_lookup(const void *ud, const struct fz_entity *e, struct fz_intel_hit *hit)
{
    const struct fz_ind_entry *x = entity_entry(ud, e);
    if (!x || x->status == FZ_IND_CLEARED)
        return false;
    hit->status = x->status == FZ_IND_CONFIRMED ? FZ_INTEL_CONFIRMED : FZ_INTEL_SUSPECTED;
    hit->id = x->id_text;
    return true;
}

void srv_intel_init(struct srv_intel *si, const struct fz_ind_index *x, int64_t now_ms)
{
    si->hook.lookup = intel_lookup;
    si->hook.ud = si;
    si->x = x;
    si->now_ms = now_ms;
}
