/*
 * server/server: start and stop of `fangzha serve`: the URL context, the engine, the index,
 * the rate limiter and the HTTP daemon, in that order, and back.
 */
#include "server_int.h"

#include <sodium.h>
#include <unistd.h>

FZ_LOG_MODULE(server);

#define DEFAULT_BODY_MAX ((size_t)64 * 1024)

static void apply_defaults(struct fz_server_opts *o)
{
    if (!o->listen)
        o->listen = "127.0.0.1:8080";
    if (!o->body_max)
        o->body_max = DEFAULT_BODY_MAX;
    if (!o->threads) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        o->threads = cores > 0 ? (unsigned)cores : 2;
    }
    if (!o->workers)
        o->workers = 32;
    if (!o->report_per_min)
        o->report_per_min = 5;
    if (!o->check_per_s)
        o->check_per_s = 50;
}

static fz_rc open_store(struct fz_server *s, struct fz_err *err)
{
    struct fz_store_opts so = {.path = s->o.db_path, .sync_normal = s->o.sync_normal};
    fz_rc rc = fz_store_open(&so, &s->store, err);
    if (rc)
        return rc;
    fz_log(FZ_LOG_INFO, "database %s at schema %d", s->o.db_path,
           fz_store_schema_version(s->store));
    return srv_intel_load(s, err);
}

fz_rc fz_server_start(const struct fz_server_opts *o, struct fz_server **out, struct fz_err *err)
{
    struct fz_server *s = fz_calloc(1, sizeof *s);
    if (!s)
        return FZ_E(FZ_ENOMEM);
    s->o = *o;
    apply_defaults(&s->o);
    s->started_ms = srv_now_ms();
    atomic_flag_clear(&s->engine_lock);
    pthread_mutex_init(&s->reload_lock, NULL);
    pthread_mutex_init(&s->intel_lock, NULL);
    fz_ind_handle_init(&s->intel, NULL);
    fz_rc rc = sodium_init() < 0 ? FZ_EIO : FZ_OK;
    randombytes_buf(s->tag_key, sizeof s->tag_key);
    if (!rc)
        rc = fz_url_ctx_new(&s->uctx);
    if (!rc)
        rc = fz_extractor_new(&s->extractor);
    if (!rc)
        rc = srv_ratelimit_new(&s->rl);
    if (!rc)
        rc = srv_keycache_new(&s->keys);
    if (!rc)
        rc = srv_pool_start(s->o.workers, &s->pool);
    if (!rc && s->o.web_dir)
        rc = srv_assets_load(s->o.web_dir, &s->assets, err);
    if (!rc)
        rc = open_store(s, err);
    if (!rc)
        rc = srv_engine_load(s, err);
    if (!rc)
        rc = srv_http_start(s, err);
    if (rc) {
        if (!err || !err->msg[0])
            fz_err_set(err, rc, "cannot start: %s", fz_strerror(rc));
        fz_server_stop(s);
        return rc;
    }
    fz_log(FZ_LOG_INFO, "listening on port %u", s->port);
    *out = s;
    return FZ_OK;
}

unsigned fz_server_port(const struct fz_server *s) { return s->port; }

fz_rc fz_server_reload(struct fz_server *s, struct fz_err *err)
{
    fz_rc rc = srv_engine_load(s, err);
    if (rc)
        fz_log(FZ_LOG_ERROR, "reload failed, the old engine stays: %s", err->msg);
    return rc;
}

void fz_server_stop(struct fz_server *s)
{
    if (!s)
        return;
    srv_http_quiesce(s);
    srv_pool_stop(s->pool); /* runs what is queued and resumes those connections */
    srv_http_stop(s);
    srv_assets_free(s->assets);
    srv_thread_ctx_free_all();
    srv_engine_close(s);
    fz_store_close(s->store);
    fz_ind_handle_release(&s->intel);
    pthread_mutex_destroy(&s->intel_lock);
    srv_keycache_free(s->keys);
    srv_ratelimit_free(s->rl);
    fz_url_ctx_free(s->uctx);
    fz_extractor_free(s->extractor);
    pthread_mutex_destroy(&s->reload_lock);
    fz_free(s);
}
