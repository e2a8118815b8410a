/*
 * Unit tests for src/extract/json.c: the JSON form of a message's entities. A message without
 * entities takes a one-write path; it must say exactly what the general path says, one empty
 * array per kind under fz_entity_kind_key, and a message with entities lists them with their
 * raw text and original offsets.
 */
#include "support.h"

#include "fangzha/extract.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Extracts from s and writes {"x":1,<entities>} into b. */
static void entities_json(const char *s, struct fz_buf *b)
{
    struct fz_extractor *ex = NULL;
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities e;
    fz_text_init(&t);
    fz_arena_init(&a, 0);
    assert_int_equal(fz_extractor_new(&ex), FZ_OK);
    assert_int_equal(fz_text_normalize(s, strlen(s), &t), FZ_OK);
    assert_int_equal(fz_extract(ex, &t, s, strlen(s), &a, &e), FZ_OK);
    struct fz_json j;
    fz_buf_reset(b);
    fz_json_init(&j, b);
    fz_json_obj(&j);
    fz_json_key(&j, "x");
    fz_json_int(&j, 1);
    fz_entities_json(&j, &e, s);
    fz_json_obj_end(&j);
    assert_int_equal(j.rc, FZ_OK);
    fz_arena_release(&a);
    fz_text_release(&t);
    fz_extractor_free(ex);
}

static void test_no_entities(void **state)
{
    (void)state;
    struct fz_buf b, want;
    fz_buf_init(&b, 1 << 16);
    fz_buf_init(&want, 1 << 16);
    entities_json("明天下午开会", &b);
    fz_buf_adds(&want, "{\"x\":1");
    for (int k = 0; k < FZ_ENT__COUNT; k++)
        fz_buf_addf(&want, ",\"%s\":[]", fz_entity_kind_key((enum fz_entity_kind)k));
    fz_buf_adds(&want, "}");
    assert_string_equal(b.ptr, want.ptr);
    fz_buf_release(&want);
    fz_buf_release(&b);
}

static void test_with_entities(void **state)
{
    (void)state;
    struct fz_buf b;
    fz_buf_init(&b, 1 << 16);
    static const char msg[] = "请打 138 1234 5678，或访问 http://t.cn/A6xYz9Q，转 ¥1,299.50";
    entities_json(msg, &b);
    json_error_t jerr;
    json_t *doc = json_loadb(b.ptr, b.len, 0, &jerr);
    assert_non_null(doc);
    for (int k = 0; k < FZ_ENT__COUNT; k++)
        assert_true(
            json_is_array(json_object_get(doc, fz_entity_kind_key((enum fz_entity_kind)k))));
    json_t *phone = json_array_get(json_object_get(doc, "phones"), 0);
    assert_string_equal(json_string_value(json_object_get(phone, "value")), "+8613812345678");
    assert_string_equal(json_string_value(json_object_get(phone, "raw")), "138 1234 5678");
    size_t start = (size_t)json_integer_value(json_object_get(phone, "start"));
    assert_memory_equal(msg + start, "138", 3);
    json_t *url = json_array_get(json_object_get(doc, "urls"), 0);
    assert_string_equal(json_string_value(json_object_get(url, "host")), "t.cn");
    assert_true(json_is_array(json_object_get(url, "flags")));
    json_t *amount = json_array_get(json_object_get(doc, "amounts_fen"), 0);
    assert_int_equal(json_integer_value(json_object_get(amount, "value")), 129950);
    json_decref(doc);
    fz_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_entities),
        cmocka_unit_test(test_with_entities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
