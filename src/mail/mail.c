/*
 * mail/mail: fz_mail_text. GMime parses the message into a tree; this file walks it (depth
 * and part count bounded), decodes the subject with header.c, each text part's transfer
 * encoding with GMime and its charset with charset.c, turns HTML into text with html.c, and
 * assembles the cleaned text under its cap.
 */
#include "compat.h"

#include "mail_int.h"

#include <gmime/gmime.h>
#include <pthread.h>
#include <string.h>

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_init(void) { g_mime_init(); }

struct walk {
    struct fz_buf acc; /* the text so far, max = the output cap */
    struct fz_buf conv, html;
    struct fz_mail_info info;
    size_t leaves; /* text parts looked at */
    bool stop;     /* a cap was reached */
    fz_rc rc;      /* FZ_ENOMEM when it happened */
};

/* Records rc: ETOOBIG ends the walk as a truncation, anything else as an error. */
static void fail(struct walk *w, fz_rc rc)
{
    if (!rc)
        return;
    w->stop = true;
    if (rc == FZ_ETOOBIG)
        w->info.is_truncated = true;
    else if (!w->rc)
        w->rc = rc;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/*
 * Appends s[0..n) to the text as one paragraph, after an empty line when text precedes it:
 * line breaks normalized to "\n" (or spaces when one_line), at most one empty line in a row,
 * other control characters as spaces, invalid UTF-8 as U+FFFD, the ends trimmed. Returns
 * whether anything was appended.
 */
static bool append_clean(struct walk *w, const char *s, size_t n, bool one_line)
{
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    if (!n || w->stop)
        return false;
    struct fz_buf *b = &w->acc;
    fz_rc rc = b->len ? fz__mail_put(b, "\n\n", 2) : FZ_OK;
    int newlines = 0;
    const char *p = s, *end = s + n;
    while (p < end && !rc) {
        unsigned char c = (unsigned char)*p;
        if (c == '\r' || c == '\n') {
            p += (c == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
            if (one_line)
                rc = fz__mail_put(b, " ", 1);
            else if (++newlines <= 2)
                rc = fz__mail_put(b, "\n", 1);
            continue;
        }
        newlines = 0;
        if (c < 0x80) {
            char o = (c < 0x20 && c != '\t') || c == 0x7F ? ' ' : (char)c;
            rc = fz__mail_put(b, &o, 1);
            p++;
            continue;
        }
        const char *start = p;
        uint32_t cp;
        rc = fz_utf8_decode(&p, end, &cp) ? fz__mail_put(b, start, (size_t)(p - start))
                                          : fz__mail_put_cp(b, FZ_UTF8_REPLACEMENT);
    }
    fail(w, rc);
    return true;
}

/* The charset an HTML document declares in a <meta> near its start, into buf ("" if none). */
static void html_meta_charset(const char *s, size_t n, char *buf, size_t cap)
{
    static const char key[] = "charset=";
    buf[0] = '\0';
    n = n < 4096 ? n : 4096;
    for (size_t i = 0; i + sizeof key - 1 < n; i++) {
        size_t k = 0;
        while (k < sizeof key - 1 && (s[i + k] | 0x20) == key[k])
            k++;
        if (k < sizeof key - 1)
            continue;
        size_t p = i + k, m = 0;
        while (p < n && (s[p] == '"' || s[p] == '\''))
            p++;
        for (; p < n && m + 1 < cap; p++) {
            char c = s[p];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == ':'))
                break;
            buf[m++] = c;
        }
        buf[m] = '\0';
        return;
    }
}

/* A text part: decoded, converted, HTML turned into text, appended. Returns whether it added
 * text. */
static bool leaf(struct walk *w, GMimeObject *obj, bool is_html)
{
    if (w->leaves >= FZ_MAIL_MAX_PARTS) {
        w->info.is_truncated = w->stop = true;
        return false;
    }
    w->leaves++;
    GMimeDataWrapper *content = g_mime_part_get_content((GMimePart *)obj);
    if (!content)
        return false;
    GMimeStream *mem = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(content, mem);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
    const char *raw = bytes && bytes->data ? (const char *)bytes->data : "";
    size_t len = bytes && bytes->data ? bytes->len : 0;
    const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
    char meta[64];
    if (is_html && (!charset || !charset[0])) {
        html_meta_charset(raw, len, meta, sizeof meta);
        charset = meta;
    }
    /* Plain text needs no more than the room left; HTML shrinks, so it may use the most a
     * message can hold. Cut conversions are still used. */
    size_t room = w->acc.max - w->acc.len;
    if (room <= 2) {
        g_object_unref(mem);
        w->info.is_truncated = w->stop = true;
        return false;
    }
    fz_buf_reset(&w->conv);
    w->conv.max = is_html ? FZ_CAP_MAIL_MESSAGE : room;
    fz_rc rc = fz_mail_to_utf8(charset, raw, len, &w->conv);
    const char *text = w->conv.ptr ? w->conv.ptr : "";
    size_t tlen = w->conv.len;
    if (is_html && (rc == FZ_OK || rc == FZ_ETOOBIG)) {
        fz_buf_reset(&w->html);
        w->html.max = room;
        rc = fz_mail_html_text(text, tlen, &w->html);
        text = w->html.ptr ? w->html.ptr : "";
        tlen = w->html.len;
    }
    g_object_unref(mem);
    if (rc != FZ_OK && rc != FZ_ETOOBIG) {
        fail(w, rc);
        return false;
    }
    if (rc == FZ_ETOOBIG)
        w->info.is_truncated = true;
    if (!append_clean(w, text, tlen, false))
        return false;
    w->info.nparts++;
    w->info.nhtml += is_html;
    return true;
}

static bool is_attachment(GMimeObject *obj)
{
    const char *d = g_mime_object_get_disposition(obj);
    return d && !g_ascii_strcasecmp(d, "attachment");
}

/* 0: not text to read, 1: plain text, 2: HTML. */
static int text_kind(GMimeObject *obj)
{
    if (!GMIME_IS_PART(obj) || is_attachment(obj))
        return 0;
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (!ct || g_mime_content_type_is_type(ct, "text", "plain") ||
        g_mime_content_type_is_type(ct, "text", "enriched") ||
        g_mime_content_type_is_type(ct, "text", "richtext"))
        return 1;
    return g_mime_content_type_is_type(ct, "text", "html") ? 2 : 0;
}

static void walk(struct walk *w, GMimeObject *obj, int depth);

static void message(struct walk *w, GMimeMessage *msg, int depth)
{
    GMimeHeaderList *headers = g_mime_object_get_header_list((GMimeObject *)msg);
    GMimeHeader *h = headers ? g_mime_header_list_get_header(headers, "Subject") : NULL;
    const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
    if (raw) {
        fz_buf_reset(&w->conv);
        w->conv.max = w->acc.max;
        fz_rc rc = fz__mail_header_decode(raw, strlen(raw), &w->conv);
        if (rc == FZ_OK || rc == FZ_ETOOBIG) {
            size_t before = w->acc.len;
            if (append_clean(w, w->conv.ptr, w->conv.len, true) && depth == 0)
                w->info.subject_len = w->acc.len - before;
        } else {
            fail(w, rc);
        }
    }
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    if (body)
        walk(w, body, depth + 1);
}

/* multipart/alternative: the plain text, else the HTML, else the richest other part that
 * has text (the last first, as RFC 2046 orders them). */
static void alternative(struct walk *w, GMimeMultipart *mp, int depth)
{
    int n = g_mime_multipart_get_count(mp);
    for (int want = 1; want <= 2; want++)
        for (int i = 0; i < n && !w->stop; i++) {
            GMimeObject *part = g_mime_multipart_get_part(mp, i);
            if (text_kind(part) == want && leaf(w, part, want == 2))
                return;
        }
    for (int i = n - 1; i >= 0 && !w->stop; i--) {
        GMimeObject *part = g_mime_multipart_get_part(mp, i);
        size_t before = w->info.nparts;
        if (!GMIME_IS_PART(part))
            walk(w, part, depth + 1);
        if (w->info.nparts > before)
            return;
    }
}

static void walk(struct walk *w, GMimeObject *obj, int depth)
{
    if (w->stop || !obj)
        return;
    if (depth > FZ_MAIL_MAX_DEPTH) {
        w->info.is_truncated = true;
        return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *msg = g_mime_message_part_get_message((GMimeMessagePart *)obj);
        if (msg)
            message(w, msg, depth + 1);
    } else if (GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
        return;
    } else if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = (GMimeMultipart *)obj;
        GMimeContentType *ct = g_mime_object_get_content_type(obj);
        if (ct && g_mime_content_type_is_type(ct, "multipart", "alternative")) {
            alternative(w, mp, depth);
            return;
        }
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n && !w->stop; i++)
            walk(w, g_mime_multipart_get_part(mp, i), depth + 1);
        /* Without a usable boundary GMime finds no parts and keeps the body as the
         * prologue: read it as plain text rather than lose it. */
        const char *prologue = n == 0 ? g_mime_multipart_get_prologue(mp) : NULL;
        if (prologue) {
            fz_buf_reset(&w->conv);
            w->conv.max = w->acc.max - w->acc.len;
            fz_rc rc = fz_mail_to_utf8(NULL, prologue, strlen(prologue), &w->conv);
            if (rc && rc != FZ_ETOOBIG)
                fail(w, rc);
            else if (append_clean(w, w->conv.ptr, w->conv.len, false))
                w->info.nparts++;
        }
    } else {
        int kind = text_kind(obj);
        if (kind)
            leaf(w, obj, kind == 2);
    }
}

/* Past an mbox "From " line at the start, if any. */
static size_t skip_from_line(const char *raw, size_t len)
{
    if (len < 5 || memcmp(raw, "From ", 5) != 0)
        return 0;
    const char *nl = memchr(raw, '\n', len);
    return nl ? (size_t)(nl - raw) + 1 : len;
}

static GMimeMessage *parse(const char *raw, size_t len)
{
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    return msg;
}

fz_rc fz_mail_text(const char *raw, size_t len, struct fz_buf *out, struct fz_mail_info *info,
                   struct fz_err *err)
{
    if (info)
        *info = (struct fz_mail_info){0};
    if (!raw || !out)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "no message or no output buffer");
    fz_buf_reset(out);
    if (len > FZ_CAP_MAIL_MESSAGE)
        return fz_err_set(err, FZ_E(FZ_ETOOBIG),
                          "message of %zu bytes is over the limit of %zu bytes (10 MiB)", len,
                          FZ_CAP_MAIL_MESSAGE);
    size_t skip = skip_from_line(raw, len);
    raw += skip;
    len -= skip;
    size_t k = 0;
    while (k < len && is_blank(raw[k]))
        k++;
    if (k == len)
        return fz_err_set(err, FZ_E(FZ_EPARSE), "empty message");
    pthread_once(&gmime_once, gmime_init);
    GMimeMessage *msg = parse(raw, len);
    if (!msg)
        return fz_err_set(err, FZ_E(FZ_EPARSE), "not an RFC 5322 message");
    struct walk w = {.rc = FZ_OK};
    fz_buf_init(&w.acc, out->max < FZ_CAP_MAIL_TEXT ? out->max : FZ_CAP_MAIL_TEXT);
    fz_buf_init(&w.conv, FZ_CAP_MAIL_MESSAGE);
    fz_buf_init(&w.html, FZ_CAP_MAIL_TEXT);
    message(&w, msg, 0);
    g_object_unref(msg);
    fz_rc rc = w.rc;
    if (!rc && w.acc.len)
        rc = fz_buf_add(out, w.acc.ptr, w.acc.len);
    fz_buf_release(&w.acc);
    fz_buf_release(&w.conv);
    fz_buf_release(&w.html);
    if (rc) {
        fz_buf_reset(out);
        return fz_err_set(err, rc, "cannot extract the text: %s", fz_strerror(rc));
    }
    if (info)
        *info = w.info;
    return FZ_OK;
}
