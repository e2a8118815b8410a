/* store/stats.c: the dashboard's aggregates (public API), read from one WAL snapshot. */
#include "compat.h"

#include "store_int.h"

#include <string.h>

#define PERIOD_MAX_MS (400LL * 86400000LL)

static bool may_see_dashboard(const struct fz_actor *a)
{
    return fz__store_trusted(a) || a->role == FZ_ROLE_OFFICER || a->role == FZ_ROLE_ANALYST ||
           a->role == FZ_ROLE_AUDITOR || a->role == FZ_ROLE_ADMIN;
}

fz_rc fz_store_dashboard(struct fz_store *st, const struct fz_actor *a, int64_t since_ms,
                         int64_t until_ms, int64_t org_id, struct fz_arena *ar,
                         struct fz_dashboard *out, struct fz_err *err)
{
    if (!may_see_dashboard(a))
        return fz_err_set(err, FZ_EFORBIDDEN, "the dashboard is for staff");
    if (until_ms <= since_ms || until_ms - since_ms > PERIOD_MAX_MS)
        return fz_err_setloc(err, FZ_EINVAL, 0, "since_ms",
                             "the period must be 1 ms to 400 days long");
    int64_t scope = fz__store_scope(a);
    if (org_id && scope && org_id != scope)
        return fz_err_setloc(err, FZ_ENOTFOUND, 0, "org_id", "organisation %lld not found",
                             (long long)org_id);
    memset(out, 0, sizeof *out);
    out->since_ms = since_ms;
    out->until_ms = until_ms;
    struct fz__reader *r = fz__store_reader(st);
    fz_rc rc = st->be->tx_begin(r->conn, false);
    if (rc == FZ_OK) {
        rc = st->be->dashboard(r->conn, org_id ? org_id : scope, ar, out);
        st->be->tx_rollback(r->conn);
    }
    fz__store_reader_put(st, r);
    return rc == FZ_OK ? FZ_OK : fz__store_fail(err, rc, "counting the dashboard");
}
