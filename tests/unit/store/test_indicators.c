/* store indicators: upsert, confirming through a report, clearing with a reason and history,
 * TLP filtering by role, sightings, and the walk that builds the in-memory index. */
#include "storetest.h"

struct fixture {
    struct st_env e;
    int64_t centre, bank, telco;
    struct fz_actor analyst, partner_bank, partner_telco, officer_bank;
    struct fz_arena ar;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    st_setup(&f->e);
    f->centre = st_org(&f->e, "centre", true);
    f->bank = st_org(&f->e, "bank", false);
    f->telco = st_org(&f->e, "telco", false);
    f->analyst = st_user(&f->e, "analyst", FZ_ROLE_ANALYST, f->centre, true);
    f->partner_bank = st_key(&f->e, FZ_ROLE_PARTNER, f->bank);
    f->partner_telco = st_key(&f->e, FZ_ROLE_PARTNER, f->telco);
    f->officer_bank = st_user(&f->e, "officer", FZ_ROLE_OFFICER, f->bank, false);
    fz_arena_init(&f->ar, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    fz_arena_release(&f->ar);
    st_teardown(&f->e);
    free(f);
    return 0;
}

static int64_t add(struct fixture *f, const struct fz_actor *a, enum fz_ind_kind k,
                   const char *value, enum fz_ind_status s, enum fz_tlp tlp,
                   struct fz_ind_change *ch)
{
    struct fz_indicator_new in = {k, value, s, tlp, -1, 0, NULL};
    int64_t id = 0;
    struct fz_err err = {0};
    fz_rc rc = fz_store_indicator_add(f->e.st, a, &in, &f->ar, &id, ch, &err);
    if (rc != FZ_OK)
        fail_msg("indicator add: %s", err.msg);
    return id;
}

static void test_upsert(void **state)
{
    struct fixture *f = *state;
    struct fz_ind_change ch;
    int64_t id = add(f, &f->partner_bank, FZ_IND_BANK_ACCOUNT, "6222020200112233445",
                     FZ_IND_SUSPECTED, FZ_TLP_AMBER, &ch);
    assert_int_equal(ch.entry.id, id);
    assert_int_equal(ch.entry.status, FZ_IND_SUSPECTED);
    assert_string_equal(ch.entry.value, "6222020200112233445");
    assert_true(ch.entry.score < 80);
    /* Partners may not confirm. */
    struct fz_indicator_new in = {
        FZ_IND_BANK_ACCOUNT, "6222020200112233445", FZ_IND_CONFIRMED, FZ_TLP_AMBER, -1, 0, NULL};
    struct fz_err err = {0};
    assert_int_equal(
        fz_store_indicator_add(f->e.st, &f->partner_bank, &in, &f->ar, NULL, NULL, &err),
        FZ_EFORBIDDEN);
    /* The analyst's add is the same row, now confirmed. */
    int64_t again = add(f, &f->analyst, FZ_IND_BANK_ACCOUNT, "6222020200112233445",
                        FZ_IND_CONFIRMED, FZ_TLP_GREEN, &ch);
    assert_int_equal(again, id);
    assert_int_equal(ch.entry.status, FZ_IND_CONFIRMED);
    assert_true(ch.entry.score >= 80);
    assert_int_equal(st_sql_int(&f->e, "SELECT count(*) FROM indicators"), 1);
    struct fz_indicator x;
    assert_int_equal(fz_store_indicator_get(f->e.st, &f->analyst, id, &f->ar, &x, &err), FZ_OK);
    assert_int_equal(x.version, 2);
    assert_int_equal(x.tlp, FZ_TLP_GREEN);
    assert_int_equal(x.source_org_id, f->bank);
}

static void test_confirm_report(void **state)
{
    struct fixture *f = *state;
    static const struct fz_report_value vals[] = {{FZ_IND_PHONE, "+8617012345678"}};
    struct fz_report_new r = {.channel = FZ_CHANNEL_CALL,
                              .text = "冒充客服退款",
                              .text_len = 18,
                              .fraud_type = 3,
                              .values = vals,
                              .nvalues = 1,
                              .dedupe_key = "d1",
                              .dedupe_len = 2};
    struct fz_report_ref ref;
    struct fz_err err = {0};
    assert_int_equal(fz_store_report_add(f->e.st, &f->partner_bank, &r, &ref, &err), FZ_OK);
    int v;
    assert_int_equal(fz_store_report_triage(f->e.st, &f->analyst, ref.id, 1, &v, &err), FZ_OK);
    struct fz_report_confirm c;
    fz_report_confirm_init(&c);
    struct fz_ind_change *ch;
    size_t n;
    assert_int_equal(
        fz_store_report_confirm(f->e.st, &f->analyst, ref.id, v, &c, &f->ar, &ch, &n, &err), FZ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ch[0].entry.kind, FZ_IND_PHONE);
    assert_int_equal(ch[0].entry.status, FZ_IND_CONFIRMED);
    assert_int_equal(ch[0].entry.tlp, FZ_TLP_GREEN);
    assert_int_equal(ch[0].entry.fraud_type, 3);
    assert_true(ch[0].entry.score >= 80);
    struct fz_indicator x;
    assert_int_equal(fz_store_indicator_get(f->e.st, &f->analyst, ch[0].entry.id, &f->ar, &x, &err),
                     FZ_OK);
    assert_int_equal(x.n_reports, 1);
    assert_int_equal(x.last_report_ms, f->e.now_ms);
    assert_int_equal(st_sql_int(&f->e, "SELECT count(*) FROM indicator_reports"), 1);
}

static void test_clear_and_history(void **state)
{
    struct fixture *f = *state;
    int64_t id =
        add(f, &f->analyst, FZ_IND_PHONE, "+8613800000000", FZ_IND_CONFIRMED, FZ_TLP_GREEN, NULL);
    struct fz_indicator_update u;
    fz_indicator_update_init(&u);
    u.status = FZ_IND_CLEARED;
    struct fz_err err = {0};
    struct fz_ind_change ch;
    assert_int_equal(fz_store_indicator_update(f->e.st, &f->analyst, id, &u, &f->ar, &ch, &err),
                     FZ_EINVAL);
    assert_string_equal(err.field, "reason");
    u.reason = "号码已回收，申诉成立";
    assert_int_equal(
        fz_store_indicator_update(f->e.st, &f->partner_bank, id, &u, &f->ar, &ch, &err),
        FZ_EFORBIDDEN);
    u.version = 7;
    assert_int_equal(fz_store_indicator_update(f->e.st, &f->analyst, id, &u, &f->ar, &ch, &err),
                     FZ_ECONFLICT);
    u.version = 1;
    assert_int_equal(fz_store_indicator_update(f->e.st, &f->analyst, id, &u, &f->ar, &ch, &err),
                     FZ_OK);
    assert_int_equal(ch.entry.status, FZ_IND_CLEARED);
    assert_int_equal(ch.entry.score, 0);
    struct fz_indicator x;
    assert_int_equal(fz_store_indicator_get(f->e.st, &f->analyst, id, &f->ar, &x, &err), FZ_OK);
    assert_string_equal(x.cleared_reason, "号码已回收，申诉成立");
    struct fz_indicator_event *ev;
    size_t n;
    assert_int_equal(fz_store_indicator_history(f->e.st, &f->analyst, id, &f->ar, &ev, &n, &err),
                     FZ_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ev[0].action, "created");
    assert_string_equal(ev[1].action, "status");
    assert_string_equal(ev[1].from, "confirmed");
    assert_string_equal(ev[1].to, "cleared");
    assert_string_equal(ev[1].reason, "号码已回收，申诉成立");
}

static size_t search_count(struct fixture *f, const struct fz_actor *a)
{
    struct fz_indicator_filter q;
    fz_indicator_filter_init(&q);
    struct fz_indicator *list;
    size_t n;
    struct fz_err err = {0};
    assert_int_equal(fz_store_indicator_search(f->e.st, a, &q, &f->ar, &list, &n, NULL, &err),
                     FZ_OK);
    return n;
}

static void test_tlp(void **state)
{
    struct fixture *f = *state;
    add(f, &f->partner_bank, FZ_IND_DOMAIN, "clear.example", FZ_IND_SUSPECTED, FZ_TLP_CLEAR, NULL);
    add(f, &f->partner_bank, FZ_IND_DOMAIN, "green.example", FZ_IND_SUSPECTED, FZ_TLP_GREEN, NULL);
    int64_t amber = add(f, &f->partner_bank, FZ_IND_DOMAIN, "amber.example", FZ_IND_SUSPECTED,
                        FZ_TLP_AMBER, NULL);
    add(f, &f->partner_bank, FZ_IND_DOMAIN, "red.example", FZ_IND_SUSPECTED, FZ_TLP_RED, NULL);
    add(f, &f->partner_telco, FZ_IND_DOMAIN, "telco-amber.example", FZ_IND_SUSPECTED, FZ_TLP_AMBER,
        NULL);
    assert_int_equal(search_count(f, &f->analyst), 5);      /* the centre sees all */
    assert_int_equal(search_count(f, &f->partner_bank), 4); /* + its own amber and red */
    assert_int_equal(search_count(f, &f->officer_bank), 4);
    assert_int_equal(search_count(f, &f->partner_telco), 3); /* clear, green, its amber */
    struct fz_indicator x;
    struct fz_err err = {0};
    assert_int_equal(fz_store_indicator_get(f->e.st, &f->partner_telco, amber, &f->ar, &x, &err),
                     FZ_ENOTFOUND);
    struct fz_actor anon = st_actor(FZ_ACTOR_ANON, 0, 0, FZ_ROLE_NONE, false);
    assert_int_equal(fz_store_indicator_get(f->e.st, &anon, amber, &f->ar, &x, &err),
                     FZ_EFORBIDDEN);

    /* Search by value, exact and prefix, with paging. */
    struct fz_indicator_filter q;
    fz_indicator_filter_init(&q);
    q.value = "telco";
    q.prefix = true;
    struct fz_indicator *list;
    size_t n;
    int64_t next;
    assert_int_equal(
        fz_store_indicator_search(f->e.st, &f->analyst, &q, &f->ar, &list, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(next, 0);
    fz_indicator_filter_init(&q);
    q.limit = 2;
    assert_int_equal(
        fz_store_indicator_search(f->e.st, &f->analyst, &q, &f->ar, &list, &n, &next, &err), FZ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(next, list[1].id);
}

static void test_sightings(void **state)
{
    struct fixture *f = *state;
    int64_t id = add(f, &f->partner_bank, FZ_IND_PHONE, "+8617099998888", FZ_IND_SUSPECTED,
                     FZ_TLP_GREEN, NULL);
    struct fz_sighting_new s = {0, "sms", 5, NULL};
    struct fz_ind_change ch;
    struct fz_err err = {0};
    int64_t sid = 0;
    assert_int_equal(
        fz_store_sighting_add(f->e.st, &f->partner_telco, id, &s, &f->ar, &sid, &ch, &err), FZ_OK);
    assert_true(sid > 0);
    assert_true(ch.entry.score > 0);
    struct fz_sighting *list;
    size_t n;
    assert_int_equal(
        fz_store_sighting_list(f->e.st, &f->analyst, id, 0, 0, &f->ar, &list, &n, NULL, &err),
        FZ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].count, 5);
    assert_int_equal(list[0].org_id, f->telco);
    /* The bank sees the indicator but not the telco's sightings. */
    assert_int_equal(
        fz_store_sighting_list(f->e.st, &f->partner_bank, id, 0, 0, &f->ar, &list, &n, NULL, &err),
        FZ_OK);
    assert_int_equal(n, 0);
}

struct collect {
    int n;
    int confirmed;
};

static int collect(void *ud, const struct fz_ind_change *c)
{
    struct collect *k = ud;
    k->n++;
    k->confirmed += c->entry.status == FZ_IND_CONFIRMED;
    assert_true(c->entry.id > 0);
    assert_non_null(c->entry.id_text);
    assert_int_equal(strlen(c->entry.value), c->value_len);
    return 0;
}

static void test_intel_load(void **state)
{
    struct fixture *f = *state;
    add(f, &f->analyst, FZ_IND_PHONE, "+8613000000001", FZ_IND_CONFIRMED, FZ_TLP_GREEN, NULL);
    add(f, &f->partner_bank, FZ_IND_URL, "http://a.example/", FZ_IND_SUSPECTED, FZ_TLP_RED, NULL);
    struct collect k = {0, 0};
    struct fz_err err = {0};
    assert_int_equal(fz_store_intel_load(f->e.st, collect, &k, &err), FZ_OK);
    assert_int_equal(k.n, 2);
    assert_int_equal(k.confirmed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_upsert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_confirm_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_and_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tlp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sightings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intel_load, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
