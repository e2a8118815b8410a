/*
 * fangzha url: finding URLs in text and judging them (signal layer).
 *
 * The finder spots URLs with or without a scheme, with fullwidth dots or slashes, and stops
 * where CJK text or closing punctuation ends them. The analyzer parses with libcurl's URL API,
 * lower-cases the host, converts IDNs to A-labels, finds the registrable domain with libpsl,
 * and flags what fraud uses: IP hosts, punycode, userinfo, odd ports, shorteners and lookalikes
 * of the brands in the shipped list.
 */
#ifndef FANGZHA_URL_H
#define FANGZHA_URL_H

#include "fangzha/core.h"

enum {
    FZ_URL_IP_HOST = 1u << 0,
    FZ_URL_PUNYCODE = 1u << 1,
    FZ_URL_USERINFO = 1u << 2,
    FZ_URL_NONSTANDARD_PORT = 1u << 3,
    FZ_URL_SHORTENER = 1u << 4,
    FZ_URL_LOOKALIKE = 1u << 5,
    FZ_URL_NO_SCHEME = 1u << 6, /* written without http:// or https:// */
};
#define FZ_URL_FLAG_COUNT 7
#define FZ_URL_MAX_REASONS 8

/* The URL analyzer's read-only context: public suffix list, brand list, shortener list.
 * Create once, share between threads. */
struct fz_url_ctx;

/* Creates the context from the lists built into the binary. FZ_ENOMEM. */
fz_rc fz_url_ctx_new(struct fz_url_ctx **out);
void fz_url_ctx_free(struct fz_url_ctx *ctx);

/*
 * The analysis of one URL. Strings are NUL-terminated and allocated from the arena passed to
 * fz_url_analyze; they live as long as it does.
 */
struct fz_url {
    bool valid;
    const char *url;                /* normalized: scheme://host[:port]/path?query, no fragment */
    const char *host;               /* lower case, A-labels */
    const char *registrable_domain; /* NULL for IP hosts or hosts without a public suffix */
    uint32_t flags;
    const char *lookalike_of; /* the brand domain imitated, or NULL */
    int risk;                 /* 0-100 */
    int nreasons;
    const struct fz_reason *reasons[FZ_URL_MAX_REASONS];
};

/*
 * Analyzes in[0..len) (a URL, with or without a scheme; fullwidth dots and slashes are
 * accepted). Always fills *out; input that is not a URL gets valid = false. Returns FZ_ENOMEM,
 * FZ_ETOOBIG (over 8 KiB). Thread-safe with a shared ctx and a per-thread arena.
 */
fz_rc fz_url_analyze(const struct fz_url_ctx *ctx, const char *in, size_t len, struct fz_arena *a,
                     struct fz_url *out);

/*
 * Finds the next URL in text[0..len) at or after *pos. On a hit returns true, sets [*start,
 * *end) to its bytes and *pos to *end. Text may be original or normalized.
 */
bool fz_url_find(const char *text, size_t len, size_t *pos, size_t *start, size_t *end);

/* The name of a single flag bit ("ip_host", ...), or NULL. */
const char *fz_url_flag_name(uint32_t flag);
/* Writes the members of one URL's object into the open object of j: "valid", "url", "host",
 * "registrable_domain", "flags", "lookalike_of", "risk", "reasons" (fangzha check url). */
void fz_url_json_fields(struct fz_json *j, const struct fz_url *u);

#endif
