/*
 * fangzha mail: the text to screen in one RFC 5322 e-mail message (signal layer, above core).
 *
 * Given the raw bytes of one message, fz_mail_text produces UTF-8 text for the screening
 * engine: the decoded Subject (RFC 2047 encoded words in any charset), then every text part
 * (text/plain as is, text/html turned into readable text with link targets kept), found by
 * walking multipart/alternative (plain preferred, HTML when plain is missing or empty),
 * multipart/mixed, related and signed, and message/rfc822. Transfer encodings (base64,
 * quoted-printable, uuencode) are decoded and charsets (GB2312/GBK/GB18030, Big5, ISO-8859-x,
 * Windows code pages, UTF-8, ...) converted. MIME parsing is GMime's; its memory is GLib's and
 * not routed through fz_set_allocator. docs/internals/mail.md has the details.
 */
#ifndef FANGZHA_MAIL_H
#define FANGZHA_MAIL_H

#include "fangzha/core.h"

/* The largest raw message fz_mail_text accepts: 10 MiB. */
#define FZ_CAP_MAIL_MESSAGE ((size_t)10 << 20)
/* The most text fz_mail_text produces from one message: 256 KiB (then is_truncated). */
#define FZ_CAP_MAIL_TEXT ((size_t)256 << 10)
/* Text parts taken from one message, and the deepest nesting of multiparts and attached
 * messages walked; parts beyond either are left out (is_truncated). */
#define FZ_MAIL_MAX_PARTS 256
#define FZ_MAIL_MAX_DEPTH 32

/* What fz_mail_text found. */
struct fz_mail_info {
    size_t subject_len; /* bytes of the text that are the subject (0 when there is none) */
    size_t nparts;      /* text parts that contributed text */
    size_t nhtml;       /* of which were HTML converted to text */
    bool is_truncated;  /* text or parts were cut at a limit above */
};

/*
 * Extracts the text to screen from the raw message raw[0..len) (the bytes of one message,
 * optionally starting with an mbox "From " line). out is reset and receives the subject, an
 * empty line, then the text parts separated by empty lines: valid UTF-8, without NUL or other
 * control characters than tab and newline, at most min(FZ_CAP_MAIL_TEXT, out->max) bytes
 * (cut at a character boundary). info (may be NULL) says what was found.
 *
 * Returns FZ_EINVAL for a NULL raw or out, FZ_ETOOBIG for a message over FZ_CAP_MAIL_MESSAGE,
 * FZ_EPARSE for an empty message or one GMime cannot read at all, FZ_ENOMEM; err (may be NULL)
 * says why. Malformed MIME (broken headers, missing boundaries, truncated encodings, unknown
 * charsets) is not an error: what can be read is read. On error out is empty.
 *
 * Initialises GMime on first use (once per process, never shut down). Thread-safe: calls
 * share no mutable state.
 */
fz_rc fz_mail_text(const char *raw, size_t len, struct fz_buf *out, struct fz_mail_info *info,
                   struct fz_err *err);

/*
 * Converts an HTML document or fragment html[0..len), UTF-8, into readable text appended to
 * out: script, style and comments dropped, block elements as line breaks, cells separated by
 * spaces, character references decoded, runs of white space collapsed, and the target of
 * each link that its text does not already show written after it as " (URL)". Returns
 * FZ_ETOOBIG when out reaches its max (out then holds the text up to there, cut at a
 * character boundary), FZ_ENOMEM. Linear in len.
 */
fz_rc fz_mail_html_text(const char *html, size_t len, struct fz_buf *out);

/*
 * Converts s[0..len) from charset (a MIME charset name; NULL or "" when unknown) to UTF-8
 * appended to out. GB2312 and GBK are read as GB18030, Big5 as Big5-HKSCS, ISO-8859-1 and
 * US-ASCII as Windows-1252 (what senders mean by them). Bytes that are invalid in the charset
 * become U+FFFD. Without a charset, or with one iconv does not know, the bytes are taken as
 * UTF-8 when they are valid, else as GB18030 when they are valid GB18030, else as
 * Windows-1252. Returns FZ_ETOOBIG (out cut at a character boundary) or FZ_ENOMEM.
 */
fz_rc fz_mail_to_utf8(const char *charset, const char *s, size_t len, struct fz_buf *out);

#endif
