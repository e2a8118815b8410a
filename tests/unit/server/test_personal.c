/* server/personal: personal data in a text for the public — what is found, where, and what
 * passes (masked values, 李某, service numbers, dates and amounts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "fangzha/extract.h"
#include "fangzha/server.h"

#include <string.h>

static struct fz_extractor *x;

static int setup(void **state)
{
    (void)state;
    return fz_extractor_new(&x) == FZ_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fz_extractor_free(x);
    return 0;
}

/* The kind found in s (NULL for none); *start gets its byte offset. */
static const char *find(const char *s, size_t *start)
{
    struct fz_arena a;
    fz_arena_init(&a, 0);
    struct fz_server_personal p;
    assert_int_equal(fz_server_personal_find(x, s, strlen(s), &a, &p), FZ_OK);
    fz_arena_release(&a);
    if (start)
        *start = p.start;
    return p.kind;
}

static void test_found(void **state)
{
    (void)state;
    static const struct {
        const char *text, *kind, *at; /* at: the text from where it is found */
    } cases[] = {
        {"对方电话 13800138000，请勿相信", "phone", "13800138000"},
        {"对方座机 010-62345678 打来", "phone", "010-62345678"},
        {"身份证 110101199003074514 被冒用", "id_number", "110101199003074514"},
        {"向 6222 0212 3456 7890 128 转账", "bank_card", "6222 0212 3456 7890 128"},
        {"邮箱 lover2026@example.com 联系", "email", "lover2026@example.com"},
        {"加了 QQ 2837461 后开始聊天", "qq", "2837461"},
        {"受害人姓名：王小红，退休教师", "name", "姓名"},
        {"户名张三，开户行某银行", "name", "户名"},
        {"联系人说汇款给收款人：陈大明", "name", "收款人"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t at;
        const char *kind = find(cases[i].text, &at);
        if (!kind || strcmp(kind, cases[i].kind))
            fail_msg("'%s': found %s, want %s", cases[i].text, kind ? kind : "nothing",
                     cases[i].kind);
        assert_int_equal(at, (size_t)(strstr(cases[i].text, cases[i].at) - cases[i].text));
    }
    /* the first one in the text wins */
    size_t at;
    assert_string_equal(find("姓名：王小红，电话 13800138000", &at), "name");
    assert_int_equal(at, 0);
    assert_string_equal(find("电话 13800138000，姓名：王小红", &at), "phone");
}

static void test_passes(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "受害人李某（姓名：王*红）向 6222 **** **** 0128 转账，对方电话 138****5678。",
        "请拨打 96110 或 110，也可以拨打 12381 咨询。",
        "2026年11月30日 订单号 20261130 金额 3000 元",
        "联系人说对方要求保密；收款人账户已冻结。",
        "民警提示：公安机关没有“安全账户”。",
        "",
        "姓名",
        "对方自称开户人",
        "收款人：",
        "户名 ", /* a cue at the very end */
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        size_t at;
        const char *kind = find(texts[i], &at);
        if (kind)
            fail_msg("'%s': found %s at %zu", texts[i], kind, at);
        assert_int_equal(at, strlen(texts[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_passes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
