/*
 * fuzz_mail: libFuzzer driver for the e-mail reader (src/mail): GMime's MIME parsing under
 * our walk, RFC 2047 headers, transfer encodings, charset conversion and HTML to text.
 *
 * Properties checked on every input, beyond "no crash": fz_mail_text succeeds or says
 * FZ_EPARSE; its text is valid UTF-8 without control characters other than tab and newline,
 * within the cap, with the subject inside it; a second run gives the same text. The input is
 * also fed to fz_mail_html_text (as if it were an HTML part) and to fz_mail_to_utf8 with a
 * charset picked by its first byte, whose outputs must be valid UTF-8 within their caps.
 */
#include "fangzha/mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_mail: property failed: %s\n", what);
        abort();
    }
}

static void check_text(const struct fz_buf *b, size_t cap)
{
    const char *s = b->ptr ? b->ptr : "";
    check(b->len <= cap, "text within its cap");
    check(fz_utf8_valid(s, b->len), "text is valid UTF-8");
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)s[i];
        check(!((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F), "no control characters");
    }
}

static void mail_text(const char *data, size_t size)
{
    struct fz_buf out, again;
    struct fz_mail_info info;
    fz_buf_init(&out, FZ_CAP_MAIL_TEXT);
    fz_buf_init(&again, FZ_CAP_MAIL_TEXT);
    fz_rc rc = fz_mail_text(data, size, &out, &info, NULL);
    check(rc == FZ_OK || rc == FZ_EPARSE, "fz_mail_text: ok or parse error");
    if (rc == FZ_OK) {
        check_text(&out, FZ_CAP_MAIL_TEXT);
        check(info.subject_len <= out.len, "subject inside the text");
        check(info.nhtml <= info.nparts && info.nparts <= FZ_MAIL_MAX_PARTS, "part counts");
        check(fz_mail_text(data, size, &again, NULL, NULL) == FZ_OK, "second run succeeds");
        check(again.len == out.len && (!out.len || !memcmp(again.ptr, out.ptr, out.len)),
              "second run gives the same text");
    } else {
        check(out.len == 0, "empty text on error");
    }
    fz_buf_release(&out);
    fz_buf_release(&again);
}

static void html_and_charset(const char *data, size_t size)
{
    static const char *const charsets[] = {NULL,         "utf-8",    "gb2312",      "big5",
                                           "iso-8859-1", "koi8-r",   "iso-2022-jp", "utf-16",
                                           "x-unknown",  "shift_jis"};
    struct fz_buf out;
    fz_buf_init(&out, 4096);
    fz_rc rc = fz_mail_html_text(data, size, &out);
    check(rc == FZ_OK || rc == FZ_ETOOBIG, "html: ok or too big");
    check(out.len <= 4096, "html within its cap");
    fz_buf_reset(&out);
    const char *cs = size ? charsets[(unsigned char)data[0] % 10] : NULL;
    rc = fz_mail_to_utf8(cs, data, size, &out);
    check(rc == FZ_OK || rc == FZ_ETOOBIG, "charset: ok or too big");
    check(out.len <= 4096 && fz_utf8_valid(out.ptr ? out.ptr : "", out.len),
          "charset: valid UTF-8 within its cap");
    fz_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    mail_text((const char *)data, size);
    html_and_charset((const char *)data, size);
    return 0;
}
