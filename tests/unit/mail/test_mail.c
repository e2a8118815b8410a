/*
 * Unit tests for src/mail/mail.c: the fixture messages of tests/data/mail (quoted-printable,
 * base64, GBK and Big5, HTML only, nested multiparts and attached messages, broken headers,
 * truncated MIME), the errors and caps, hostile structure (deep nesting, many parts, random
 * bytes), threads, and fault injection (every allocation failure ends in FZ_ENOMEM without
 * a leak).
 */
#include "support.h"

#include "fangzha/mail.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *load(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/mail/%s", FZ_TEST_DATA, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

/* The invariants of every output: valid UTF-8, no control characters but tab and newline,
 * within the cap, and the subject length inside it. */
static void check_sane(const struct fz_buf *out, const struct fz_mail_info *info)
{
    const char *s = out->ptr ? out->ptr : "";
    assert_true(out->len <= FZ_CAP_MAIL_TEXT);
    assert_true(fz_utf8_valid(s, out->len));
    for (size_t i = 0; i < out->len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            fail_msg("control character 0x%02x at %zu", c, i);
    }
    assert_true(info->subject_len <= out->len);
}

/* Extracts the fixture name into out (caller releases); info gets what was found. */
static void extract(const char *name, struct fz_buf *out, struct fz_mail_info *info)
{
    size_t len;
    char *raw = load(name, &len);
    struct fz_err err = {0};
    fz_buf_init(out, FZ_CAP_MAIL_TEXT);
    fz_rc rc = fz_mail_text(raw, len, out, info, &err);
    free(raw);
    if (rc)
        fail_msg("%s: %s", name, err.msg);
    check_sane(out, info);
}

static void expect_has(const struct fz_buf *out, const char *what)
{
    if (!out->ptr || !strstr(out->ptr, what))
        fail_msg("text lacks '%s':\n%s", what, out->ptr ? out->ptr : "");
}

static void expect_lacks(const struct fz_buf *out, const char *what)
{
    if (out->ptr && strstr(out->ptr, what))
        fail_msg("text should not have '%s':\n%s", what, out->ptr);
}

static void expect_subject(const struct fz_buf *out, const struct fz_mail_info *info,
                           const char *want)
{
    assert_int_equal(info->subject_len, strlen(want));
    assert_memory_equal(out->ptr, want, strlen(want));
}

/* ---- the fixtures ---- */

static void test_quoted_printable(void **state)
{
    (void)state;
    struct fz_buf out;
    struct fz_mail_info info;
    extract("qp.eml", &out, &info);
    expect_subject(&out, &info, "Café meeting");
    expect_has(&out,
               "\n\n你好，这是一封测试邮件。Café au lait costs €3 at the corner shop, see you "
               "there soon.");
    assert_int_equal(info.nparts, 1);
    assert_false(info.is_truncated);
    fz_buf_release(&out);
}

static void test_base64_gbk(void **state)
{
    (void)state;
    struct fz_buf out;
    struct fz_mail_info info;
    extract("base64_gbk.eml", &out, &info);
    expect_subject(&out, &info, "关于王喆的会议通知"); /* split across two encoded words */
    expect_has(&out, "明天上午十点开会，请准时参加。联系人王喆。");
    fz_buf_release(&out);
}

static void test_big5(void **state)
{
    (void)state;
    struct fz_buf out;
    struct fz_mail_info info;
    extract("big5.eml", &out, &info);
    expect_subject(&out, &info, "Résumé update");
    expect_has(&out, "臺灣銀行通知：您的帳戶資料需要更新。");
    fz_buf_release(&out);
}

static void test_html_only(void **state)
{
    (void)state;
    struct fz_buf out;
    struct fz_mail_info info;
    extract("html_only.eml", &out, &info);
    expect_subject(&out, &info, "Your order");
    expect_has(&out, "Your order #42 is ready & paid.");
    expect_has(&out, "Track it here (http://track.example.com/o?id=42&k=1).");
    expect_has(&out, "Visit www.example.com today.");
    expect_has(&out, "Total €12,50");
    expect_has(&out, "Café 你好\nbye"); /* ISO-8859-1 body, references */
    expect_lacks(&out, "hidden");
    expect_lacks(&out, "color");
    expect_lacks(&out, "<");
    assert_int_equal(info.nhtml, 1);
    fz_buf_release(&out);
}

static void test_alternative_empty_plain(void **state)
{
    (void)state;
    struct fz_buf out;
    struct fz_mail_info info;
    extract("alt_empty_plain.eml", &out, &info);
    expect_has(&out, "Weekly news");
    expect_has(&out, "Read the full story (https://news.example.com/w/1)");
    assert_int_equal(info.nparts, 1);
    assert_int_equal(info.nhtml, 1);
    fz_buf_release(&out);
}

static void test_nested(void **state)
{
    (void)state;
    struct fz_buf out;
    struct fz_mail_info info;
    extract("nested.eml", &out, &info);
    assert_string_equal(out.ptr, "Nested parts\n\nOuter plain text.\n\n转发的原始邮件\n\n"
                                 "Inner plain text of the forwarded message.");
    assert_int_equal(info.nparts, 2);
    assert_int_equal(info.nhtml, 0);
    fz_buf_release(&out);
}

static void test_broken_headers(void **state)
{
    (void)state;
    struct fz_buf out;
    struct fz_mail_info info;
    extract("broken_headers.eml", &out, &info);
    expect_subject(&out, &info, "still readable and =?utf-8?X?bad_encoding?=");
    expect_has(&out, "Body text under broken headers.");
    fz_buf_release(&out);
}

static void test_truncated(void **state)
{
    (void)state;
    struct fz_buf out;
    struct fz_mail_info info;
    extract("truncated.eml", &out, &info);
    expect_subject(&out, &info, "Truncated");
    expect_has(&out, "这是被截断的正文");
    fz_buf_release(&out);
}

static void test_crlf(void **state)
{
    (void)state;
    struct fz_buf out;
    struct fz_mail_info info;
    extract("crlf_ham.eml", &out, &info);
    assert_string_equal(
        out.ptr, "家长会通知\n\n各位家长好，本周五下午三点在学校礼堂召开家长会，请准时参加。");
    fz_buf_release(&out);
}

/* ---- errors and caps ---- */

static void test_errors(void **state)
{
    (void)state;
    struct fz_buf out;
    struct fz_err err = {0};
    struct fz_mail_info info;
    fz_buf_init(&out, FZ_CAP_MAIL_TEXT);
    assert_int_equal(fz_mail_text(NULL, 0, &out, NULL, NULL), FZ_EINVAL);
    assert_int_equal(fz_mail_text("x", 1, NULL, NULL, NULL), FZ_EINVAL);
    assert_int_equal(fz_mail_text("", 0, &out, &info, &err), FZ_EPARSE);
    assert_string_equal(err.msg, "empty message");
    assert_int_equal(fz_mail_text(" \r\n\t", 4, &out, NULL, NULL), FZ_EPARSE);
    assert_int_equal(fz_mail_text("From a@b Mon\n", 13, &out, NULL, NULL), FZ_EPARSE);
    /* over the limit: refused before anything is read */
    size_t big = FZ_CAP_MAIL_MESSAGE + 1;
    char *raw = malloc(big);
    assert_non_null(raw);
    memset(raw, 'a', big);
    assert_int_equal(fz_mail_text(raw, big, &out, &info, &err), FZ_ETOOBIG);
    assert_non_null(strstr(err.msg, "10 MiB"));
    assert_int_equal(out.len, 0);
    free(raw);
    fz_buf_release(&out);
}

/* A body longer than the output cap is cut at a character boundary and says so. */
static void test_text_cap(void **state)
{
    (void)state;
    struct fz_buf raw, out;
    fz_buf_init(&raw, FZ_CAP_MAIL_MESSAGE);
    assert_int_equal(
        fz_buf_adds(&raw, "Subject: long\nContent-Type: text/plain; charset=utf-8\n\n"), FZ_OK);
    while (raw.len < FZ_CAP_MAIL_TEXT * 2)
        assert_int_equal(fz_buf_adds(&raw, "一二三四五六七八九十\n"), FZ_OK);
    for (size_t max = 64; max <= FZ_CAP_MAIL_TEXT * 2; max *= 64) {
        struct fz_mail_info info;
        fz_buf_init(&out, max);
        assert_int_equal(fz_mail_text(raw.ptr, raw.len, &out, &info, NULL), FZ_OK);
        check_sane(&out, &info);
        assert_true(info.is_truncated);
        assert_true(out.len <= (max < FZ_CAP_MAIL_TEXT ? max : FZ_CAP_MAIL_TEXT));
        assert_true(out.len + 4 >= (max < FZ_CAP_MAIL_TEXT ? max : FZ_CAP_MAIL_TEXT));
        fz_buf_release(&out);
    }
    fz_buf_release(&raw);
}

/* ---- hostile structure ---- */

static void test_deep_nesting(void **state)
{
    (void)state;
    struct fz_buf raw, out;
    fz_buf_init(&raw, FZ_CAP_MAIL_MESSAGE);
    for (int i = 0; i < 3000; i++)
        assert_int_equal(
            fz_buf_addf(&raw, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i),
            FZ_OK);
    assert_int_equal(fz_buf_adds(&raw, "Content-Type: text/plain\n\ndeep inside\n"), FZ_OK);
    struct fz_mail_info info;
    fz_buf_init(&out, FZ_CAP_MAIL_TEXT);
    assert_int_equal(fz_mail_text(raw.ptr, raw.len, &out, &info, NULL), FZ_OK);
    check_sane(&out, &info);
    fz_buf_release(&out);
    fz_buf_release(&raw);
}

static void test_many_parts(void **state)
{
    (void)state;
    struct fz_buf raw, out;
    fz_buf_init(&raw, FZ_CAP_MAIL_MESSAGE);
    assert_int_equal(fz_buf_adds(&raw, "Subject: many\nContent-Type: multipart/mixed; "
                                       "boundary=\"m\"\n\n"),
                     FZ_OK);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(fz_buf_addf(&raw, "--m\nContent-Type: text/plain\n\npart %d\n", i), FZ_OK);
    assert_int_equal(fz_buf_adds(&raw, "--m--\n"), FZ_OK);
    struct fz_mail_info info;
    fz_buf_init(&out, FZ_CAP_MAIL_TEXT);
    assert_int_equal(fz_mail_text(raw.ptr, raw.len, &out, &info, NULL), FZ_OK);
    check_sane(&out, &info);
    assert_int_equal(info.nparts, FZ_MAIL_MAX_PARTS);
    assert_true(info.is_truncated);
    expect_has(&out, "part 255");
    expect_lacks(&out, "part 256");
    fz_buf_release(&out);
    fz_buf_release(&raw);
}

/* Random bytes and mutated fixtures never crash and always give sane text. */
static void test_garbage(void **state)
{
    (void)state;
    static const char *const names[] = {"nested.eml", "html_only.eml", "base64_gbk.eml",
                                        "truncated.eml", "fraud_cn.eml"};
    unsigned seed = 12345;
    struct fz_buf out;
    fz_buf_init(&out, FZ_CAP_MAIL_TEXT);
    for (int round = 0; round < 400; round++) {
        size_t len;
        char *raw = load(names[round % 5], &len);
        for (int k = 0; k < 1 + round % 16; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            raw[at] = round % 3 == 0 ? (char)(seed >> 24) : "\n-:=?<>&\"\r"[(seed >> 20) % 10];
        }
        if (round % 7 == 0)
            len = (seed >> 4) % len; /* and cut */
        struct fz_mail_info info;
        fz_rc rc = fz_mail_text(raw, len, &out, &info, NULL);
        assert_true(rc == FZ_OK || rc == FZ_EPARSE);
        if (rc == FZ_OK)
            check_sane(&out, &info);
        free(raw);
    }
    fz_buf_release(&out);
}

/* ---- threads ---- */

struct job {
    const char *raw;
    size_t len;
    const char *want;
    int bad;
};

static void *thread_main(void *arg)
{
    struct job *j = arg;
    struct fz_buf out;
    fz_buf_init(&out, FZ_CAP_MAIL_TEXT);
    for (int i = 0; i < 50; i++)
        if (fz_mail_text(j->raw, j->len, &out, NULL, NULL) != FZ_OK || strcmp(out.ptr, j->want))
            j->bad++;
    fz_buf_release(&out);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    size_t len;
    char *raw = load("nested.eml", &len);
    struct fz_buf want;
    struct fz_mail_info info;
    extract("nested.eml", &want, &info);
    enum { N = 4 };
    pthread_t tid[N];
    struct job jobs[N];
    for (int k = 0; k < N; k++) {
        jobs[k] = (struct job){raw, len, want.ptr, 0};
        assert_int_equal(pthread_create(&tid[k], NULL, thread_main, &jobs[k]), 0);
    }
    for (int k = 0; k < N; k++) {
        pthread_join(tid[k], NULL);
        assert_int_equal(jobs[k].bad, 0);
    }
    fz_buf_release(&want);
    free(raw);
}

/* ---- fault injection ---- */

static void test_alloc_failures(void **state)
{
    (void)state;
    size_t len;
    char *raw = load("nested.eml", &len);
    for (unsigned long nth = 1; nth < 100000; nth++) {
        struct fz_buf out;
        fz_buf_init(&out, FZ_CAP_MAIL_TEXT);
        fzt_fail_alloc_after(nth, true);
        fz_rc rc = fz_mail_text(raw, len, &out, NULL, NULL);
        unsigned long calls = fzt_alloc_count();
        if (rc != FZ_OK)
            assert_int_equal(rc, FZ_ENOMEM);
        fz_buf_release(&out);
        assert_int_equal(fzt_alloc_restore(), 0);
        if (calls < nth) {
            assert_int_equal(rc, FZ_OK);
            break;
        }
    }
    free(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoted_printable),
        cmocka_unit_test(test_base64_gbk),
        cmocka_unit_test(test_big5),
        cmocka_unit_test(test_html_only),
        cmocka_unit_test(test_alternative_empty_plain),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_broken_headers),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_text_cap),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_many_parts),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
