/* Unit tests for src/core/json.c: the JSON writer and the jansson reader. */
#include "support.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void test_json_writer(void **state)
{
    (void)state;
    struct fz_buf b;
    fz_buf_init(&b, 4096);
    struct fz_json j;
    fz_json_init(&j, &b);
    fz_json_obj(&j);
    fz_json_key(&j, "s");
    fz_json_str(&j, "a\"b\\c\n\x01\xff\xe4\xb8\xad", 11);
    fz_json_key(&j, "n");
    fz_json_int(&j, -42);
    fz_json_key(&j, "f");
    fz_json_num(&j, 0.1250, 3);
    fz_json_key(&j, "a");
    fz_json_arr(&j);
    fz_json_bool(&j, true);
    fz_json_null(&j);
    fz_json_cstr(&j, NULL);
    fz_json_arr_end(&j);
    fz_json_obj_end(&j);
    assert_int_equal(j.rc, FZ_OK);
    assert_string_equal(b.ptr, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\xef\xbf\xbd\xe4\xb8\xad\","
                               "\"n\":-42,\"f\":0.125,\"a\":[true,null,null]}");
    json_t *v = NULL;
    struct fz_err err = {0};
    assert_int_equal(fz_json_parse(b.ptr, b.len, &v, &err), FZ_OK);
    assert_int_equal(json_integer_value(json_object_get(v, "n")), -42);
    json_decref(v);
    assert_int_equal(fz_json_parse("{\"a\":", 5, &v, &err), FZ_EPARSE);
    assert_int_equal(err.line, 1);
    /* the error says where, never what: the token may be a resident's number */
    static const char bad[] = "{\"phone\" 13800138000}"; /* jansson: near '13800138000' */
    assert_int_equal(fz_json_parse(bad, sizeof bad - 1, &v, &err), FZ_EPARSE);
    assert_non_null(strstr(err.msg, "column"));
    assert_null(strstr(err.msg, "13800138000"));
    fz_buf_release(&b);
}

static void test_json_numbers(void **state)
{
    (void)state;
    struct fz_buf b;
    fz_buf_init(&b, 4096);
    struct fz_json j;
    fz_json_init(&j, &b);
    fz_json_arr(&j);
    fz_json_num(&j, 0.0, 3);
    fz_json_num(&j, 1.0, 3);
    fz_json_num(&j, 0.1456, 3);
    fz_json_num(&j, -2.5, 2);
    fz_json_num(&j, -0.0004, 3);
    fz_json_num(&j, 123456.789, 1);
    fz_json_num(&j, 1e300, 2);
    fz_json_int(&j, INT64_MIN);
    fz_json_uint(&j, UINT64_MAX);
    fz_json_arr_end(&j);
    assert_int_equal(j.rc, FZ_OK);
    assert_string_equal(b.ptr, "[0,1,0.146,-2.5,0,123456.8,null," /* too long for a number: null */
                               "-9223372036854775808,18446744073709551615]");
    fz_buf_release(&b);
}

/* The escaping every string must get, one byte at a time (the writer's reference). */
static void reference_escape(const char *s, size_t len, char *out)
{
    char *o = out;
    *o++ = '"';
    const char *end = s + len;
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        const char *q = s;
        uint32_t cp;
        if (c >= 0x80) {
            if (fz_utf8_decode(&q, end, &cp)) {
                memcpy(o, s, (size_t)(q - s));
                o += q - s;
                s = q;
            } else {
                memcpy(o, "\xef\xbf\xbd", 3);
                o += 3;
                s++;
            }
            continue;
        }
        if (c == '"' || c == '\\')
            o += sprintf(o, "\\%c", c);
        else if (c == '\n')
            o += sprintf(o, "\\n");
        else if (c == '\r')
            o += sprintf(o, "\\r");
        else if (c == '\t')
            o += sprintf(o, "\\t");
        else if (c == '\b')
            o += sprintf(o, "\\b");
        else if (c == '\f')
            o += sprintf(o, "\\f");
        else if (c < 0x20)
            o += sprintf(o, "\\u%04x", c);
        else
            *o++ = (char)c;
        s++;
    }
    *o++ = '"';
    *o = '\0';
}

/* Strings written eight bytes at a time when they are plain: every special byte at every
 * position of a long string is still escaped like the reference does. */
static void test_json_escape_positions(void **state)
{
    (void)state;
    static const char specials[] = {'"', '\\', '\n', 0x01, 0x1f, 0x7f, (char)0xff, (char)0xe4};
    char in[40], want[300];
    struct fz_buf b;
    fz_buf_init(&b, 4096);
    for (size_t k = 0; k < sizeof specials; k++) {
        for (size_t pos = 0; pos < sizeof in; pos++) {
            for (size_t i = 0; i < sizeof in; i++)
                in[i] = (char)('a' + i % 26);
            in[pos] = specials[k];
            fz_buf_reset(&b);
            struct fz_json j;
            fz_json_init(&j, &b);
            fz_json_str(&j, in, sizeof in);
            assert_int_equal(j.rc, FZ_OK);
            reference_escape(in, sizeof in, want);
            assert_string_equal(b.ptr, want);
        }
    }
    /* Long CJK, ASCII and a raw value. */
    fz_buf_reset(&b);
    struct fz_json j;
    fz_json_init(&j, &b);
    fz_json_obj(&j);
    fz_json_key(&j, "zh");
    fz_json_cstr(&j, "中文中文中文中文 and more ascii text");
    fz_json_key(&j, "empty");
    fz_json_raw(&j, "[]", 2);
    fz_json_key(&j, "after");
    fz_json_raw(&j, "{}", 2);
    fz_json_obj_end(&j);
    assert_int_equal(j.rc, FZ_OK);
    assert_string_equal(b.ptr, "{\"zh\":\"中文中文中文中文 and more ascii text\",\"empty\":[],"
                               "\"after\":{}}");
    fz_buf_release(&b);
}

static void test_json_cap(void **state)
{
    (void)state;
    struct fz_buf b;
    fz_buf_init(&b, 8);
    struct fz_json j;
    fz_json_init(&j, &b);
    fz_json_arr(&j);
    for (int i = 0; i < 100; i++)
        fz_json_int(&j, i);
    fz_json_arr_end(&j);
    assert_int_equal(j.rc, FZ_ETOOBIG);
    fz_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_writer),
        cmocka_unit_test(test_json_numbers),
        cmocka_unit_test(test_json_escape_positions),
        cmocka_unit_test(test_json_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
