/*
 * Unit tests for src/link/run.c, rank.c and out.c: union-find joining through shared hard
 * identifiers, hub capping (the cap and the ratio rule), soft links clustered by Leiden (two
 * singletons join, two gangs sharing one address do not), organisers, total loss, the JSON
 * output, determinism and option checks.
 */
#include "support.h"

#include "fangzha/link.h"

#include <stdio.h>
#include <string.h>

struct ident {
    enum fz_link_kind k;
    const char *v;
};

/* Adds case id with loss and the identifiers given (canonical), up to a zero kind NULL. */
static uint32_t add(struct fz_link_set *s, const char *id, int64_t loss, const struct ident *ids,
                    size_t n)
{
    uint32_t c = 0;
    assert_int_equal(fz_link_set_add_case(s, id, strlen(id), -1, loss, &c, NULL), FZ_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(
            fz_link_set_add_canonical(s, c, ids[i].k, ids[i].v, strlen(ids[i].v), NULL), FZ_OK);
    return c;
}
#define ADD(s, id, loss, ...)                                                                      \
    add((s), (id), (loss), (const struct ident[]){__VA_ARGS__},                                    \
        sizeof((const struct ident[]){__VA_ARGS__}) / sizeof(struct ident))

static struct fz_link_set *new_set(void)
{
    struct fz_link_set *s = NULL;
    assert_int_equal(fz_link_set_new(NULL, &s), FZ_OK);
    return s;
}

static struct fz_link_result *run(const struct fz_link_set *s, const struct fz_link_opts *o)
{
    struct fz_link_result *r = NULL;
    struct fz_err err = {0};
    fz_rc rc = fz_link_run(s, o, &r, &err);
    if (rc)
        fail_msg("fz_link_run: %s", err.msg);
    return r;
}

/* The case ids of cluster i joined by commas. */
static const char *cases_of(const struct fz_link_set *s, const struct fz_link_result *r, size_t i,
                            char *buf, size_t cap)
{
    const uint32_t *c;
    size_t n = fz_link_result_cases(r, i, &c), len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n; k++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", k ? "," : "",
                                fz_link_set_case_id(s, c[k]));
    return buf;
}

static void test_union_find_chain(void **state)
{
    (void)state;
    struct fz_link_set *s = new_set();
    ADD(s, "A", 100, {FZ_LINK_PHONE, "+8613800138000"});
    ADD(s, "D", 5, {FZ_LINK_PHONE, "+8613900000000"});
    ADD(s, "B", 200, {FZ_LINK_PHONE, "+8613800138000"}, {FZ_LINK_ACCOUNT, "6222000011112222"});
    ADD(s, "C", 300, {FZ_LINK_ACCOUNT, "6222000011112222"}, {FZ_LINK_WECHAT, "wx1"});
    ADD(s, "E", 7, {FZ_LINK_WECHAT, "wx1"});
    struct fz_link_result *r = run(s, NULL);
    char buf[256];
    assert_int_equal(fz_link_result_nclusters(r), 1);
    assert_string_equal(cases_of(s, r, 0, buf, sizeof buf), "A,B,C,E");
    struct fz_buf out;
    fz_buf_init(&out, 1 << 20);
    assert_int_equal(fz_link_cluster_json(r, 0, &out), FZ_OK);
    assert_non_null(strstr(out.ptr, "\"loss_fen\":607"));
    assert_non_null(strstr(out.ptr, "\"why\":\"hard\""));
    assert_non_null(strstr(out.ptr, "\"cluster_id\":1"));
    fz_buf_release(&out);
    fz_link_result_free(r);
    fz_link_set_free(s);
}

/* 12 cases share a number: over a cap of 10 it is a hub and joins nothing. */
static void test_hub_cap(void **state)
{
    (void)state;
    struct fz_link_set *s = new_set();
    char id[16];
    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "c%d", i);
        ADD(s, id, 1, {FZ_LINK_PHONE, "+8613800000000"});
    }
    ADD(s, "x", 1, {FZ_LINK_PHONE, "+8613800000000"}, {FZ_LINK_QQ, "12345"});
    ADD(s, "y", 1, {FZ_LINK_QQ, "12345"});
    struct fz_link_opts o;
    fz_link_opts_init(&o);
    o.hub_cap = 10;
    struct fz_link_result *r = run(s, &o);
    const uint32_t *hubs;
    assert_int_equal(fz_link_result_hubs(r, &hubs), 1);
    struct fz_link_ident h = fz_link_result_ident(r, hubs[0]);
    assert_string_equal(h.value, "+8613800000000");
    assert_int_equal(h.cases, 13);
    assert_int_equal(fz_link_result_nclusters(r), 1); /* x and y, through the QQ only */
    char buf[256];
    assert_string_equal(cases_of(s, r, 0, buf, sizeof buf), "x,y");
    struct fz_buf out;
    fz_buf_init(&out, 1 << 20);
    assert_int_equal(fz_link_summary_json(r, &out), FZ_OK);
    assert_non_null(strstr(
        out.ptr, "\"hubs\":[{\"kind\":\"phone\",\"value\":\"+8613800000000\",\"cases\":13}]"));
    fz_buf_reset(&out);
    assert_int_equal(fz_link_cluster_json(r, 0, &out), FZ_OK);
    assert_null(strstr(out.ptr, "+8613800000000")); /* touches only one case of the cluster */
    fz_buf_release(&out);
    fz_link_result_free(r);
    /* with the cap at 13 it glues everything */
    o.hub_cap = 13;
    o.hub_ratio = 1;
    r = run(s, &o);
    assert_int_equal(fz_link_result_hubs(r, &hubs), 0);
    assert_int_equal(fz_link_result_nclusters(r), 1);
    const uint32_t *c;
    assert_int_equal(fz_link_result_cases(r, 0, &c), 14);
    fz_link_result_free(r);
    fz_link_set_free(s);
}

/* A service number is public: two cases sharing a bank's number are not linked, and it is
 * reported as a hub; a number in E.164 links them. */
static void test_service_number(void **state)
{
    (void)state;
    struct fz_link_set *s = new_set();
    ADD(s, "a", 1, {FZ_LINK_PHONE, "95588"});
    ADD(s, "b", 1, {FZ_LINK_PHONE, "95588"});
    ADD(s, "c", 1, {FZ_LINK_PHONE, "10086"});
    struct fz_link_result *r = run(s, NULL);
    assert_int_equal(fz_link_result_nclusters(r), 0);
    const uint32_t *hubs;
    assert_int_equal(fz_link_result_hubs(r, &hubs), 1); /* 10086 is in one case only */
    assert_string_equal(fz_link_result_ident(r, hubs[0]).value, "95588");
    fz_link_result_free(r);
    fz_link_set_free(s);
}

/* The ratio rule: 20 cases, ratio 0.1, floor 2: more than 2 cases makes a hub. */
static void test_hub_ratio(void **state)
{
    (void)state;
    struct fz_link_set *s = new_set();
    char id[16];
    for (int i = 0; i < 20; i++) {
        snprintf(id, sizeof id, "c%d", i);
        if (i < 3)
            ADD(s, id, 1, {FZ_LINK_DOMAIN, "popular.example"});
        else if (i < 5)
            ADD(s, id, 1, {FZ_LINK_DOMAIN, "gang.example"});
        else
            ADD(s, id, 1, {FZ_LINK_QQ, id + 1});
    }
    struct fz_link_opts o;
    fz_link_opts_init(&o);
    o.hub_floor = 2;
    o.hub_ratio = 0.1;
    struct fz_link_result *r = run(s, &o);
    const uint32_t *hubs;
    assert_int_equal(fz_link_result_hubs(r, &hubs), 1);
    assert_string_equal(fz_link_result_ident(r, hubs[0]).value, "popular.example");
    assert_int_equal(fz_link_result_nclusters(r), 1);
    fz_link_result_free(r);
    fz_link_set_free(s);
}

/* A shared device joins two singletons; one shared address between two gangs of six does
 * not merge them (weight 0.5 x (2/2)^2 < resolution 0.02 x 6 x 6). */
static void test_soft_links(void **state)
{
    (void)state;
    struct fz_link_set *s = new_set();
    ADD(s, "s1", 1, {FZ_LINK_DEVICE, "dev-1"});
    ADD(s, "s2", 1, {FZ_LINK_DEVICE, "dev-1"});
    char id[16];
    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "g%d", i);
        const char *boss = i < 6 ? "+8613800000001" : "+8613800000002";
        if (i == 0 || i == 11)
            ADD(s, id, 1, {FZ_LINK_PHONE, boss}, {FZ_LINK_IP, "10.9.9.9"});
        else
            ADD(s, id, 1, {FZ_LINK_PHONE, boss});
    }
    struct fz_link_result *r = run(s, NULL);
    char buf[256];
    assert_int_equal(fz_link_result_nclusters(r), 3);
    assert_string_equal(cases_of(s, r, 0, buf, sizeof buf), "g0,g1,g2,g3,g4,g5");
    assert_string_equal(cases_of(s, r, 1, buf, sizeof buf), "g6,g7,g8,g9,g10,g11");
    assert_string_equal(cases_of(s, r, 2, buf, sizeof buf), "s1,s2");
    struct fz_buf out;
    fz_buf_init(&out, 1 << 20);
    assert_int_equal(fz_link_cluster_json(r, 2, &out), FZ_OK);
    assert_non_null(strstr(out.ptr, "\"why\":\"soft\""));
    fz_buf_release(&out);
    fz_link_result_free(r);
    /* a low resolution lets the address merge the gangs */
    struct fz_link_opts o;
    fz_link_opts_init(&o);
    o.resolution = 0.001;
    r = run(s, &o);
    assert_int_equal(fz_link_result_nclusters(r), 2);
    fz_link_result_free(r);
    fz_link_set_free(s);
}

/* The boss's phone is in every case next to mules each in two: it ranks first. */
static void test_organiser(void **state)
{
    (void)state;
    struct fz_link_set *s = new_set();
    static const char *const mules[] = {"6222000000000001", "6222000000000002", "6222000000000003",
                                        "6222000000000004"};
    char id[16];
    for (int i = 0; i < 8; i++) {
        snprintf(id, sizeof id, "g%d", i);
        ADD(s, id, 1, {FZ_LINK_PHONE, "+8613800000001"}, {FZ_LINK_ACCOUNT, mules[i / 2]},
            {FZ_LINK_IP, i % 2 ? "10.0.0.1" : "10.0.0.2"});
    }
    struct fz_link_result *r = run(s, NULL);
    assert_int_equal(fz_link_result_nclusters(r), 1);
    const struct fz_link_organiser *o;
    size_t n = fz_link_result_organisers(r, 0, &o);
    assert_true(n >= 3 && n <= 5);
    struct fz_link_ident top = fz_link_result_ident(r, o[0].ident);
    assert_string_equal(top.value, "+8613800000001");
    assert_true(o[0].score > o[1].score);
    assert_true(o[0].score <= 1.0 && o[n - 1].score >= 0);
    fz_link_result_free(r);
    fz_link_set_free(s);
}

static void test_deterministic_and_options(void **state)
{
    (void)state;
    struct fz_link_set *s = new_set();
    char id[16], v[32];
    for (int i = 0; i < 200; i++) {
        snprintf(id, sizeof id, "c%d", i);
        snprintf(v, sizeof v, "dev-%d", i / 3);
        char ip[32];
        snprintf(ip, sizeof ip, "10.0.%d.%d", i % 7, i % 5);
        ADD(s, id, i, {FZ_LINK_DEVICE, v}, {FZ_LINK_IP, ip});
    }
    struct fz_buf a, b;
    fz_buf_init(&a, 1 << 24);
    fz_buf_init(&b, 1 << 24);
    for (int round = 0; round < 2; round++) {
        struct fz_link_result *r = run(s, NULL);
        struct fz_buf *out = round ? &b : &a;
        for (size_t i = 0; i < fz_link_result_nclusters(r); i++)
            assert_int_equal(fz_link_cluster_json(r, i, out), FZ_OK);
        fz_link_result_free(r);
    }
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.ptr, b.ptr, a.len);
    fz_buf_release(&a);
    fz_buf_release(&b);
    struct fz_link_opts o;
    fz_link_opts_init(&o);
    o.hub_cap = 0;
    struct fz_link_result *r = NULL;
    assert_int_equal(fz_link_run(s, &o, &r, NULL), FZ_EINVAL);
    fz_link_opts_init(&o);
    o.organisers = FZ_LINK_MAX_ORGANISERS + 1;
    assert_int_equal(fz_link_run(s, &o, &r, NULL), FZ_EINVAL);
    fz_link_opts_init(&o);
    o.resolution = -1;
    assert_int_equal(fz_link_run(s, &o, &r, NULL), FZ_EINVAL);
    assert_null(r);
    fz_link_set_free(s);
}

static void test_empty(void **state)
{
    (void)state;
    struct fz_link_set *s = new_set();
    struct fz_link_result *r = run(s, NULL);
    assert_int_equal(fz_link_result_nclusters(r), 0);
    struct fz_buf out;
    fz_buf_init(&out, 4096);
    assert_int_equal(fz_link_summary_json(r, &out), FZ_OK);
    assert_non_null(strstr(out.ptr, "\"clusters\":0"));
    fz_buf_release(&out);
    fz_link_result_free(r);
    fz_link_result_free(NULL);
    fz_link_set_free(s);
    fz_link_set_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_union_find_chain),
        cmocka_unit_test(test_hub_cap),
        cmocka_unit_test(test_hub_ratio),
        cmocka_unit_test(test_service_number),
        cmocka_unit_test(test_soft_links),
        cmocka_unit_test(test_organiser),
        cmocka_unit_test(test_deterministic_and_options),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
