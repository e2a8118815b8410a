/* store accounts: password strength, login with lockout, sessions with idle and absolute
 * expiry, API keys, and that only hashes of secrets reach the database file. */
#include "storetest.h"

static void test_password_check(void **state)
{
    (void)state;
    static const struct {
        const char *name, *pw;
        fz_rc want;
    } rows[] = {
        {"alice", "correct horse battery", FZ_OK},
        {"alice", "Tr0ub4dor&3xyz", FZ_OK},
        {"alice", "短短的密码但是有十二个字吗", FZ_EINVAL}, /* one class (other) only */
        {"alice", "这个密码有12个汉字和数字", FZ_OK},       /* 13 characters, two classes */
        {"alice", "short1A!", FZ_EINVAL},                   /* too short */
        {"alice", "abcdefghijklmnop", FZ_EINVAL},           /* one class */
        {"alice", "123456789012345", FZ_EINVAL},            /* one class */
        {"alice", "xxAlice-2026-yy", FZ_EINVAL},            /* contains the name */
        {"alice", "Password123456", FZ_EINVAL},             /* common */
        {"alice", "qwerty!!2026##", FZ_EINVAL},             /* common stem */
        {"alice", "", FZ_EINVAL},
        {NULL, "a perfectly fine phrase", FZ_OK},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct fz_err err = {0};
        fz_rc rc = fz_password_check(rows[i].name, rows[i].pw, &err);
        if (rc != rows[i].want)
            fail_msg("row %zu: got %s (%s)", i, fz_rc_name(rc), err.msg);
        if (rc != FZ_OK) {
            assert_string_equal(err.field, "password");
            assert_null(strstr(err.msg, rows[i].pw[0] ? rows[i].pw : "\x01"));
        }
    }
}

static int64_t add_user(struct st_env *e, const char *name, enum fz_role role, int64_t org)
{
    struct fz_user_new u = {name, "a long enough pass 42", role, org};
    int64_t id = 0;
    struct fz_err err = {0};
    if (fz_store_user_add(e->st, &e->cli, &u, &id, &err) != FZ_OK)
        fail_msg("user add: %s", err.msg);
    return id;
}

static void test_users(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    int64_t centre = st_org(&e, "centre", true), bank = st_org(&e, "bank", false);
    add_user(&e, "chief", FZ_ROLE_ADMIN, centre);
    int64_t bob = add_user(&e, "bob", FZ_ROLE_ANALYST, bank);
    struct fz_err err = {0};
    struct fz_user_new dup = {"bob", "a long enough pass 42", FZ_ROLE_ANALYST, bank};
    assert_int_equal(fz_store_user_add(e.st, &e.cli, &dup, NULL, &err), FZ_ECONFLICT);
    assert_string_equal(err.field, "name");
    struct fz_user_new weak = {"carol", "carol", FZ_ROLE_ANALYST, bank};
    assert_int_equal(fz_store_user_add(e.st, &e.cli, &weak, NULL, &err), FZ_EINVAL);
    struct fz_user_new bad_org = {"dave", "a long enough pass 42", FZ_ROLE_ANALYST, 999};
    assert_int_equal(fz_store_user_add(e.st, &e.cli, &bad_org, NULL, &err), FZ_ENOTFOUND);

    /* A bank admin lists only the bank's users and cannot add to the centre. */
    struct fz_actor bank_admin = st_actor(FZ_ACTOR_USER, 50, bank, FZ_ROLE_ADMIN, false);
    struct fz_arena ar;
    fz_arena_init(&ar, 0);
    struct fz_user *list;
    size_t n;
    assert_int_equal(fz_store_user_list(e.st, &bank_admin, &ar, &list, &n, &err), FZ_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, "bob");
    assert_false(list[0].all_orgs);
    struct fz_user_new to_centre = {"eve", "a long enough pass 42", FZ_ROLE_ADMIN, centre};
    assert_int_equal(fz_store_user_add(e.st, &bank_admin, &to_centre, NULL, &err), FZ_EFORBIDDEN);
    assert_int_equal(fz_store_user_list(e.st, &e.cli, &ar, &list, &n, &err), FZ_OK);
    assert_int_equal(n, 2);
    assert_true(list[0].all_orgs); /* the centre's admin */

    assert_int_equal(fz_store_user_disable(e.st, &bank_admin, bob, &err), FZ_OK);
    struct fz_principal who;
    struct fz_session_new s;
    assert_int_equal(fz_store_login(e.st, &e.cli, "bob", "a long enough pass 42", &who, &s, &err),
                     FZ_EUNAUTH);
    fz_arena_release(&ar);
    st_teardown(&e);
}

static void test_login_and_sessions(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    int64_t centre = st_org(&e, "centre", true);
    int64_t id = add_user(&e, "ana", FZ_ROLE_ANALYST, centre);
    struct fz_actor anon = st_actor(FZ_ACTOR_ANON, 0, 0, FZ_ROLE_NONE, false);
    struct fz_principal who;
    struct fz_session_new s;
    struct fz_err err = {0};
    assert_int_equal(fz_store_login(e.st, &anon, "ana", "a long enough pass 42", &who, &s, &err),
                     FZ_OK);
    assert_int_equal(who.user_id, id);
    assert_int_equal(who.role, FZ_ROLE_ANALYST);
    assert_true(who.all_orgs);
    assert_int_equal(strlen(s.token), 43);
    assert_int_equal(strlen(s.csrf), 43);
    uint8_t h[32];
    crypto_generichash(h, 32, (const uint8_t *)s.csrf, 43, NULL, 0);
    assert_int_equal(sodium_memcmp(h, who.csrf_hash, 32), 0);

    struct fz_principal p;
    assert_int_equal(fz_store_session_get(e.st, s.token, &p, &err), FZ_OK);
    assert_int_equal(p.user_id, id);
    assert_int_equal(fz_store_session_get(e.st, "nonsense", &p, &err), FZ_EUNAUTH);

    /* Idle timeout: 30 minutes; a use within it refreshes it. */
    e.now_ms += 20 * 60 * 1000;
    assert_int_equal(fz_store_session_get(e.st, s.token, &p, &err), FZ_OK);
    e.now_ms += 20 * 60 * 1000;
    assert_int_equal(fz_store_session_get(e.st, s.token, &p, &err), FZ_OK);
    e.now_ms += 31 * 60 * 1000;
    assert_int_equal(fz_store_session_get(e.st, s.token, &p, &err), FZ_EUNAUTH);

    /* Absolute lifetime: 12 hours however busy. */
    assert_int_equal(fz_store_login(e.st, &anon, "ana", "a long enough pass 42", &who, &s, &err),
                     FZ_OK);
    for (int i = 0; i < 25; i++) {
        e.now_ms += 29 * 60 * 1000;
        fz_rc rc = fz_store_session_get(e.st, s.token, &p, &err);
        assert_int_equal(rc, i < 24 ? FZ_OK : FZ_EUNAUTH);
    }

    /* Logout ends it at once. */
    assert_int_equal(fz_store_login(e.st, &anon, "ana", "a long enough pass 42", &who, &s, &err),
                     FZ_OK);
    struct fz_actor me;
    fz_actor_init(&me, &who, "r1", NULL);
    assert_int_equal(fz_store_logout(e.st, &me, s.token, &err), FZ_OK);
    assert_int_equal(fz_store_session_get(e.st, s.token, &p, &err), FZ_EUNAUTH);
    st_teardown(&e);
}

static void test_lockout(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    int64_t centre = st_org(&e, "centre", true);
    add_user(&e, "ana", FZ_ROLE_ANALYST, centre);
    struct fz_actor anon = st_actor(FZ_ACTOR_ANON, 0, 0, FZ_ROLE_NONE, false);
    struct fz_principal who;
    struct fz_session_new s;
    struct fz_err unknown = {0}, wrong = {0}, err = {0};
    assert_int_equal(fz_store_login(e.st, &anon, "nobody", "whatever", &who, &s, &unknown),
                     FZ_EUNAUTH);
    assert_int_equal(fz_store_login(e.st, &anon, "ana", "wrong", &who, &s, &wrong), FZ_EUNAUTH);
    assert_string_equal(unknown.msg, wrong.msg); /* no user enumeration */
    for (int i = 0; i < 9; i++)
        assert_int_equal(fz_store_login(e.st, &anon, "ana", "wrong", &who, &s, &err), FZ_EUNAUTH);
    /* 10 failures: locked, even with the right password. */
    assert_int_equal(fz_store_login(e.st, &anon, "ana", "a long enough pass 42", &who, &s, &err),
                     FZ_EUNAUTH);
    assert_string_equal(err.msg, wrong.msg);
    e.now_ms += 14 * 60 * 1000;
    assert_int_equal(fz_store_login(e.st, &anon, "ana", "a long enough pass 42", &who, &s, &err),
                     FZ_EUNAUTH);
    e.now_ms += 2 * 60 * 1000;
    assert_int_equal(fz_store_login(e.st, &anon, "ana", "a long enough pass 42", &who, &s, &err),
                     FZ_OK);
    assert_int_equal(
        st_sql_int(&e, "SELECT count(*) FROM audit WHERE action = 'user.login' AND outcome = "
                       "'unauthenticated'"),
        13); /* unknown, 10 wrong, 2 while locked */
    assert_int_equal(st_sql_int(&e, "SELECT count(*) FROM audit WHERE detail LIKE 'locked%'"), 3);
    st_teardown(&e);
}

static void test_api_keys(void **state)
{
    (void)state;
    struct st_env e;
    st_setup(&e);
    int64_t bank = st_org(&e, "bank", false);
    struct fz_apikey_new k = {bank, FZ_ROLE_PARTNER, "gateway", 0};
    char key[FZ_STORE_APIKEY_SIZE];
    int64_t id = 0;
    struct fz_err err = {0};
    assert_int_equal(fz_store_apikey_create(e.st, &e.cli, &k, &id, key, &err), FZ_OK);
    assert_int_equal(strlen(key), 56);
    assert_memory_equal(key, "fzk_", 4);
    assert_int_equal(key[12], '_');

    struct fz_principal p;
    assert_int_equal(fz_store_apikey_auth(e.st, key, strlen(key), &p, &err), FZ_OK);
    assert_int_equal(p.kind, FZ_ACTOR_API_KEY);
    assert_int_equal(p.key_id, id);
    assert_int_equal(p.org_id, bank);
    assert_int_equal(p.role, FZ_ROLE_PARTNER);
    char bad[FZ_STORE_APIKEY_SIZE];
    memcpy(bad, key, sizeof bad);
    bad[40] = bad[40] == 'A' ? 'B' : 'A';
    assert_int_equal(fz_store_apikey_auth(e.st, bad, strlen(bad), &p, &err), FZ_EUNAUTH);
    assert_int_equal(fz_store_apikey_auth(e.st, "fzk_", 4, &p, &err), FZ_EUNAUTH);

    struct fz_arena ar;
    fz_arena_init(&ar, 0);
    struct fz_apikey *list;
    size_t n;
    assert_int_equal(fz_store_apikey_list(e.st, &e.cli, &ar, &list, &n, &err), FZ_OK);
    assert_int_equal(n, 1);
    assert_memory_equal(list[0].public_id, key + 4, 8);

    /* An expiring key stops at its time; a revoked one at once. */
    struct fz_apikey_new k2 = {bank, FZ_ROLE_PARTNER, "temp", e.now_ms + 1000};
    char key2[FZ_STORE_APIKEY_SIZE];
    assert_int_equal(fz_store_apikey_create(e.st, &e.cli, &k2, NULL, key2, &err), FZ_OK);
    assert_int_equal(fz_store_apikey_auth(e.st, key2, strlen(key2), &p, &err), FZ_OK);
    e.now_ms += 1000;
    assert_int_equal(fz_store_apikey_auth(e.st, key2, strlen(key2), &p, &err), FZ_EUNAUTH);

    struct fz_actor other_admin = st_actor(FZ_ACTOR_USER, 7, bank + 100, FZ_ROLE_ADMIN, false);
    assert_int_equal(fz_store_apikey_revoke(e.st, &other_admin, id, &err), FZ_ENOTFOUND);
    assert_int_equal(fz_store_apikey_revoke(e.st, &e.cli, id, &err), FZ_OK);
    assert_int_equal(fz_store_apikey_auth(e.st, key, strlen(key), &p, &err), FZ_EUNAUTH);

    /* Only hashes are stored: neither the key, its secret, nor a password or token is in the
     * file. */
    int64_t centre = st_org(&e, "centre", true);
    struct fz_user_new u = {"ana", "unique-passphrase-7781", FZ_ROLE_ANALYST, centre};
    assert_int_equal(fz_store_user_add(e.st, &e.cli, &u, NULL, &err), FZ_OK);
    struct fz_principal who;
    struct fz_session_new s;
    assert_int_equal(fz_store_login(e.st, &e.cli, "ana", "unique-passphrase-7781", &who, &s, &err),
                     FZ_OK);
    assert_false(st_file_has(&e, key));
    assert_false(st_file_has(&e, key + 13));
    assert_false(st_file_has(&e, "unique-passphrase-7781"));
    assert_false(st_file_has(&e, s.token));
    assert_false(st_file_has(&e, s.csrf));
    assert_true(st_file_has(&e, "$argon2id$"));
    fz_arena_release(&ar);
    st_teardown(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_check),     cmocka_unit_test(test_users),
        cmocka_unit_test(test_login_and_sessions), cmocka_unit_test(test_lockout),
        cmocka_unit_test(test_api_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
