/* store writer: many threads' writes are each answered with their own result, are durable, and
 * share commits (group commit); one failing op does not spoil the others of its batch. */
#include "storetest.h"

#include <pthread.h>

#define THREADS 8
#define PER_THREAD 125 /* 1000 writes */

struct worker {
    struct st_env *e;
    int t;
    int64_t ids[PER_THREAD];
    fz_rc rcs[PER_THREAD];
};

/* Every 10th write re-adds the name "dup", which exists: FZ_ECONFLICT for that one only. */
static void *work(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        char name[32];
        if (i % 10 == 9)
            snprintf(name, sizeof name, "dup");
        else
            snprintf(name, sizeof name, "org-%d-%d", w->t, i);
        struct fz_err err = {0};
        w->rcs[i] =
            fz_store_org_add(w->e->st, &w->e->cli, name, FZ_ORG_BANK, false, &w->ids[i], &err);
    }
    return NULL;
}

static void test_many_threads(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    /* synchronous=FULL: a slower commit lets more writes queue behind it. */
    fz_store_close(e.st);
    struct fz_store_opts o;
    st_opts(&e, &o);
    o.sync_normal = false;
    struct fz_err err = {0};
    assert_int_equal(fz_store_open(&o, &e.st, &err), FZ_OK);
    st_org(&e, "dup", false);

    static struct worker w[THREADS];
    pthread_t th[THREADS];
    for (int t = 0; t < THREADS; t++) {
        w[t] = (struct worker){.e = &e, .t = t};
        assert_int_equal(pthread_create(&th[t], NULL, work, &w[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(th[t], NULL);

    int ok = 0, conflicts = 0;
    for (int t = 0; t < THREADS; t++)
        for (int i = 0; i < PER_THREAD; i++) {
            if (i % 10 == 9) {
                assert_int_equal(w[t].rcs[i], FZ_ECONFLICT);
                conflicts++;
                continue;
            }
            assert_int_equal(w[t].rcs[i], FZ_OK);
            ok++;
            /* Each caller got its own id: the row with that id has its name. */
            char sql[128];
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM orgs WHERE id = %lld AND name = 'org-%d-%d'",
                     (long long)w[t].ids[i], t, i);
            assert_int_equal(st_sql_int(&e, sql), 1);
        }
    assert_int_equal(ok + conflicts, THREADS * PER_THREAD);

    struct fz_store_stats s;
    fz_store_stats(e.st, &s);
    assert_int_equal(s.ops, THREADS * PER_THREAD + 1);
    assert_int_equal(s.failed_commits, 0);
    /* Group commit: fewer transactions than writes, and some batch held several. */
    assert_true(s.commits < s.ops);
    assert_true(s.max_batch > 1);
    print_message("writer: %llu ops in %llu commits (largest batch %llu)\n",
                  (unsigned long long)s.ops, (unsigned long long)s.commits,
                  (unsigned long long)s.max_batch);

    /* Durable: all there after a reopen; every attempt audited, the failures too. */
    fz_store_close(e.st);
    st_reopen(&e);
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM orgs"), ok + 1);
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM audit WHERE action = 'org.add'"),
                     THREADS * PER_THREAD + 1);
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM audit WHERE outcome = 'conflict'"),
                     conflicts);
    int64_t checked = 0;
    assert_int_equal(fz_store_audit_verify(e.st, &e.cli, &checked, NULL, NULL), FZ_OK);
    assert_int_equal(checked, THREADS * PER_THREAD + 1);
    st_teardown(&e);
}

static void test_close_drains(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    for (int i = 0; i < 20; i++) {
        char name[16];
        snprintf(name, sizeof name, "o%d", i);
        st_org(&e, name, false);
    }
    fz_store_close(e.st);
    e.st = NULL;
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM orgs"), 20);
    st_teardown(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_threads),
        cmocka_unit_test(test_close_drains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
