/* server/routes: the path matcher and the route table's shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "server_int.h"

#include <string.h>

static const struct srv_route *match(const char *method, const char *path, struct srv_req *r,
                                     int *status)
{
    enum srv_method m;
    memset(r, 0, sizeof *r);
    *status = 0;
    assert_true(srv_method_parse(method, &m));
    return srv_route_match(r, m, path, status);
}

static void test_match(void **state)
{
    (void)state;
    struct srv_req r;
    int status;
    const struct srv_route *rt = match("GET", "/api/v1/reports/42", &r, &status);
    assert_non_null(rt);
    assert_string_equal(rt->pattern, "/api/v1/reports/{id}");
    assert_int_equal(r.id, 42);
    rt = match("POST", "/api/v1/reports/7/confirm", &r, &status);
    assert_non_null(rt);
    assert_int_equal(r.id, 7);
    rt = match("GET", "/api/v1/reports/track/AB12-cd_9", &r, &status);
    assert_non_null(rt);
    assert_string_equal(r.code, "AB12-cd_9");
    assert_non_null(match("HEAD", "/healthz", &r, &status)); /* answered like GET */
}

static void test_refusals(void **state)
{
    (void)state;
    struct srv_req r;
    int status;
    static const struct {
        const char *method, *path;
        int status;
    } cases[] = {
        {"GET", "/api/v1/nothing", 404},
        {"GET", "/api/v1/reports/0", 404}, /* ids start at 1 */
        {"GET", "/api/v1/reports/-3", 404},
        {"GET", "/api/v1/reports/12a", 404},
        {"GET", "/api/v1/reports/1234567890123456789", 404}, /* over 18 digits */
        {"GET", "/api/v1/reports/track/a%20b", 404},
        {"GET", "/api/v1/reports/track/", 404},
        {"GET", "/api/v1/reports/1/", 404},
        {"DELETE", "/api/v1/check/number", 405},
        {"POST", "/healthz", 405},
        {"PUT", "/api/v1/reports/1", 405},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_null(match(cases[i].method, cases[i].path, &r, &status));
        assert_int_equal(status, cases[i].status);
    }
    enum srv_method m;
    assert_false(srv_method_parse("BREW", &m));
}

/* Every route names who may call it, and no pattern is listed twice for one method. */
static void test_table(void **state)
{
    (void)state;
    assert_true(srv_nroutes < 63); /* metrics keep a slot per route and one for "unmatched" */
    for (size_t i = 0; i < srv_nroutes; i++) {
        assert_true(srv_routes[i].who != 0);
        assert_non_null(srv_routes[i].handler);
        for (size_t k = i + 1; k < srv_nroutes; k++)
            assert_false(srv_routes[i].method == srv_routes[k].method &&
                         !strcmp(srv_routes[i].pattern, srv_routes[k].pattern));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
