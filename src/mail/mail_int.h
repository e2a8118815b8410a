/*
 * mail: internals shared by the files of src/mail (not API). charset.c converts to UTF-8,
 * html.c turns HTML into text, header.c decodes RFC 2047 header values, mail.c walks the MIME
 * tree that GMime builds.
 */
#ifndef FZ_MAIL_INT_H
#define FZ_MAIL_INT_H

#include "fangzha/mail.h"

/* Appends s[0..n) to out; when it does not all fit under out->max, appends the longest
 * prefix that ends on a UTF-8 character boundary and returns FZ_ETOOBIG. */
fz_rc fz__mail_put(struct fz_buf *out, const char *s, size_t n);

/* Appends code point cp as UTF-8 (U+FFFD for a value that is not a scalar value). */
fz_rc fz__mail_put_cp(struct fz_buf *out, uint32_t cp);

/* Decodes the unfolded or folded raw header value s[0..len): RFC 2047 encoded words (B and
 * Q, adjacent words joined, so a character split across two words survives), the rest as
 * undeclared 8-bit text (fz_mail_to_utf8 with no charset). Appends UTF-8 to out; line breaks
 * of folding become nothing, other controls spaces. FZ_ETOOBIG, FZ_ENOMEM. */
fz_rc fz__mail_header_decode(const char *s, size_t len, struct fz_buf *out);

/* Decodes base64 s[0..len) into out (appended), skipping characters outside the alphabet
 * and stopping at the first '='. FZ_ETOOBIG, FZ_ENOMEM. */
fz_rc fz__mail_base64(const char *s, size_t len, struct fz_buf *out);

#endif
