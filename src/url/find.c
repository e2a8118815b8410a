/*
 * url/find: spots URLs in running text (signal layer, on the hot path of every message).
 *
 * A byte scan with no parsing library. A candidate starts at a letter or digit that does
 * not continue a word; it is an optional http/https/ftp scheme, a host (labels joined by
 * dots whose last label is a known public suffix, or a dotted IPv4 address), an optional
 * port and an optional path. Fullwidth letters, digits and ． ／ ： and the ideographic full
 * stop 。 are read as their ASCII forms, each under its own rule. docs/internals/url.md lists
 * the rules and the traps (amounts, versions, file names, e-mail) they avoid.
 */
#include "compat.h"

#include "url_int.h"

#include <string.h>

/* A unit is one ASCII byte or one fullwidth form read as ASCII; these codes stand for the
 * rest. */
enum {
    U_OTHER = 256, /* any other character: never part of a URL */
    U_IDEO_STOP,   /* 。 U+3002 or ｡ U+FF61: a dot between host labels, nowhere else */
    U_WIDE_COLON,  /* ： U+FF1A: after a scheme or before a port, nowhere else */
};

#define MAX_LABELS 128
/* At most this many trailing labels are dropped to find a known suffix, which bounds the
 * public suffix lookups per candidate. */
#define MAX_DROPPED 3

/* The labels of a candidate host. Offsets are into the text; norm holds the host in lower
 * case ASCII with '.' between labels. */
struct host {
    size_t nlabels;
    size_t beg[MAX_LABELS];  /* text offset of each label */
    size_t end[MAX_LABELS];  /* text offset just past each label */
    size_t nbeg[MAX_LABELS]; /* offset of each label in norm */
    size_t nend[MAX_LABELS];
    bool ideo[MAX_LABELS]; /* the dot before this label was 。 or ｡ */
    size_t nlen;
    char norm[FZ__URL_HOST_MAX + 1];
};

/* Classes of the ASCII characters: letters and digits; host characters (and - _); word
 * characters, which glue a run into one word so that a candidate never starts inside it (and
 * . @); path characters (RFC 3986 pchar plus / ? # [ ]). */
enum { C_ALNUM = 1, C_HOST = 2, C_WORD = 4, C_PATH = 8 };
/* clang-format off */
static const unsigned char ascii_class[128] = {
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  8,  0,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8, 14, 12,  8,
    15, 15, 15, 15, 15, 15, 15, 15, 15, 15,  8,  8,  0,  8,  0,  8,
    12, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
    15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,  8,  0,  8,  0, 14,
     0, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
    15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,  0,  0,  0,  8,  0,
};
/* clang-format on */

static bool has_class(int c, unsigned k) { return c >= 0 && c < 128 && (ascii_class[c] & k); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_alnum(int c) { return has_class(c, C_ALNUM); }
static bool is_host_char(int c) { return has_class(c, C_HOST); }
static bool is_word(int c) { return has_class(c, C_WORD); }
static bool is_path_char(int c) { return has_class(c, C_PATH); }
static char lower(int c) { return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c); }

/* The unit at s[i] (i < len); *n gets its length in bytes. */
static int unit_at(const char *s, size_t len, size_t i, size_t *n)
{
    unsigned char b = (unsigned char)s[i];
    *n = 1;
    if (b < 0x80)
        return b;
    if (len - i < 3)
        return U_OTHER;
    unsigned char b1 = (unsigned char)s[i + 1], b2 = (unsigned char)s[i + 2];
    if (b == 0xE3 && b1 == 0x80 && b2 == 0x82) {
        *n = 3;
        return U_IDEO_STOP;
    }
    if (b != 0xEF || (b1 != 0xBC && b1 != 0xBD) || (b2 & 0xC0) != 0x80)
        return U_OTHER;
    unsigned cp = 0xFF00u + ((unsigned)(b1 - 0xBC) << 6) + (b2 & 0x3Fu);
    *n = 3;
    if (cp == 0xFF61)
        return U_IDEO_STOP;
    if (cp == 0xFF1A)
        return U_WIDE_COLON;
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        int c = (int)(cp - 0xFEE0);
        if (is_alnum(c) || c == '-' || c == '.' || c == '/' || c == '_')
            return c;
    }
    return U_OTHER;
}

static int unit_or_end(const char *s, size_t len, size_t i, size_t *n)
{
    if (i >= len) {
        *n = 0;
        return U_OTHER;
    }
    return unit_at(s, len, i, n);
}

/* True when the unit just before s[i] glues to a word (i > 0). */
static bool word_before(const char *s, size_t len, size_t i)
{
    unsigned char b = (unsigned char)s[i - 1];
    if (b < 0x80)
        return is_word(b);
    if (i < 3)
        return false;
    size_t n;
    int c = unit_at(s, len, i - 3, &n);
    return n == 3 && c < 128 && is_word(c);
}

/* Skips the word run that starts at s[i]. */
static size_t skip_word(const char *s, size_t len, size_t i)
{
    size_t n = 1;
    while (i < len) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80 ? !(ascii_class[b] & C_WORD) : !is_word(unit_at(s, len, i, &n)))
            break;
        i += b < 0x80 ? 1 : n;
    }
    return i;
}

/* An http, https or ftp scheme with "://" at *p, in any case; any character may be fullwidth
 * (ｈｔｔｐ：／／). Advances *p past it. */
static bool scan_scheme(const char *s, size_t len, size_t *p)
{
    static const char *const names[] = {"https", "http", "ftp"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t r = *p, n;
        const char *c = names[k];
        int u;
        while (*c && (u = unit_or_end(s, len, r, &n)) < 128 && lower(u) == *c) {
            r += n;
            c++;
        }
        if (*c || ((u = unit_or_end(s, len, r, &n)) != ':' && u != U_WIDE_COLON))
            continue;
        r += n;
        size_t n2;
        if (unit_or_end(s, len, r, &n) != '/' || unit_or_end(s, len, r + n, &n2) != '/')
            continue;
        *p = r + n + n2;
        return true;
    }
    return false;
}

/* After a scheme: skips "user:password@" when an '@' ends the run of userinfo characters. */
static size_t skip_userinfo(const char *s, size_t len, size_t p)
{
    size_t q = p;
    while (q < len) {
        unsigned char c = (unsigned char)s[q];
        if (c == '@')
            return q + 1;
        if (!is_path_char(c) || c == '/' || c == '?' || c == '#' || c == '[' || c == ']')
            break;
        q++;
    }
    return p;
}

/* Reads dot-separated labels at p into h. A dot (ASCII, fullwidth or ideographic) counts only
 * when a letter or digit follows it. False when there is no label or the host is too long. */
static bool scan_labels(const char *s, size_t len, size_t p, struct host *h)
{
    size_t n, k = 0;
    h->nlen = 0;
    if (!is_alnum(unit_or_end(s, len, p, &n)))
        return false;
    h->ideo[0] = false;
    for (;;) {
        h->beg[k] = p;
        h->nbeg[k] = h->nlen;
        int c;
        while (is_host_char(c = unit_or_end(s, len, p, &n))) {
            if (h->nlen >= FZ__URL_HOST_MAX)
                return false;
            h->norm[h->nlen++] = lower(c);
            p += n;
        }
        if (h->nlen - h->nbeg[k] > FZ__URL_LABEL_MAX)
            return false;
        h->end[k] = p;
        h->nend[k] = h->nlen;
        h->nlabels = ++k;
        if ((c != '.' && c != U_IDEO_STOP) || k == MAX_LABELS)
            break;
        size_t n2;
        if (!is_alnum(unit_or_end(s, len, p + n, &n2)) || h->nlen >= FZ__URL_HOST_MAX)
            break;
        h->norm[h->nlen++] = '.';
        h->ideo[k] = c == U_IDEO_STOP;
        p += n;
    }
    return true;
}

static bool label_numeric(const struct host *h, size_t k)
{
    for (size_t i = h->nbeg[k]; i < h->nend[k]; i++)
        if (!is_digit(h->norm[i]))
            return false;
    return true;
}

static bool all_numeric(const struct host *h, size_t nlabels)
{
    for (size_t k = 0; k < nlabels; k++)
        if (!label_numeric(h, k))
            return false;
    return true;
}

/* Four labels of 1-3 digits, each at most 255. */
static bool is_ipv4(const struct host *h, size_t nlabels)
{
    if (nlabels != 4)
        return false;
    for (size_t k = 0; k < 4; k++) {
        size_t n = h->nend[k] - h->nbeg[k];
        unsigned v = 0;
        for (size_t i = h->nbeg[k]; i < h->nend[k]; i++)
            v = v * 10 + (unsigned)(h->norm[i] - '0');
        if (n > 3 || v > 255)
            return false;
    }
    return true;
}

/* Label k as a top-level domain: a letter in it, no '_', no '-' at its ends, and known to the
 * public suffix list. */
static bool is_tld(const struct host *h, size_t k, const psl_ctx_t *psl)
{
    const char *t = h->norm + h->nbeg[k];
    size_t n = h->nend[k] - h->nbeg[k];
    bool has_alpha = false;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '_')
            return false;
        has_alpha |= is_alpha(t[i]);
    }
    if (!has_alpha || t[0] == '-' || t[n - 1] == '-')
        return false;
    char tld[FZ__URL_LABEL_MAX + 1];
    memcpy(tld, t, n);
    tld[n] = '\0';
    return fz__url_known_suffix(psl, tld);
}

static const char *const www_label[] = {"www", NULL};

static bool label_is(const struct host *h, size_t k, const char *const *words)
{
    size_t n = h->nend[k] - h->nbeg[k];
    for (; *words; words++)
        if (strlen(*words) == n && memcmp(h->norm + h->nbeg[k], *words, n) == 0)
            return true;
    return false;
}

/* Is label k a top-level domain that text uses as one? Country codes, IDN TLDs and the common
 * generic ones; with !strict also the less common generic ones. Many new generic TLDs are
 * ordinary words (app, love, how, free) that "APP。APP" or "her.love" would turn into hosts. */
static bool tld_listed(const struct host *h, size_t k, bool strict)
{
    static const char *const common[] = {
        "com",    "net", "org",  "info", "biz",  "top",  "xyz",  "vip", "club",  "shop", "site",
        "online", "icu", "wang", "ltd",  "cyou", "buzz", "work", "fun", "store", "tech", NULL};
    static const char *const other[] = {
        "edu",  "gov",   "mil",   "int",   "bar",   "rest", "monster", "sbs",   "cfd",
        "win",  "bid",   "loan",  "click", "link",  "live", "life",    "space", "website",
        "host", "press", "tokyo", "today", "cloud", "asia", "mobi",    "ink",   "kim",
        "ren",  "xin",   "red",   "fit",   "pro",   "dev",  "app",     "art",   NULL};
    size_t n = h->nend[k] - h->nbeg[k];
    if (n == 2 || (n > 4 && memcmp(h->norm + h->nbeg[k], "xn--", 4) == 0))
        return true;
    return label_is(h, k, common) || (!strict && label_is(h, k, other));
}

/* Was any of the first k labels joined by an ideographic full stop? */
static bool joined_by_ideo(const struct host *h, size_t k)
{
    for (size_t i = 1; i < k; i++)
        if (h->ideo[i])
            return true;
    return false;
}

/*
 * How many labels from the left make the host, 0 for none. All-digit labels are an IPv4
 * address (exactly four valid octets) or nothing: versions and amounts never shrink into one.
 * Otherwise up to MAX_DROPPED trailing labels that are not a known suffix are dropped
 * ("abc.com。Thanks"); an ideographic full stop joins labels only when a common TLD ends them
 * ("icbc。com", not "APP。APP"). With a scheme, a host without a known suffix
 * (http://intranet/) is taken whole, and so is an all-digit host of up to four labels
 * (http://3232235777/ is an address the analyzer reads).
 */
static size_t host_labels(const struct host *h, bool has_scheme, const psl_ctx_t *psl)
{
    if (all_numeric(h, h->nlabels)) {
        if (has_scheme && h->nlabels <= 4)
            return h->nlabels;
        return is_ipv4(h, h->nlabels) ? 4 : 0;
    }
    for (size_t k = h->nlabels; k >= (has_scheme ? 1 : 2) && k + MAX_DROPPED >= h->nlabels; k--) {
        if (all_numeric(h, k))
            return is_ipv4(h, k) ? k : 0;
        if (is_tld(h, k - 1, psl) && (!joined_by_ideo(h, k) || tld_listed(h, k - 1, true)))
            return k;
    }
    if (!has_scheme || (h->nlabels == 1 && label_is(h, 0, www_label))) /* "http://www" */
        return 0;
    const char *t = h->norm + h->nbeg[h->nlabels - 1];
    size_t n = h->nend[h->nlabels - 1] - h->nbeg[h->nlabels - 1];
    for (size_t i = 0; i < n; i++)
        if (is_alpha(t[i]))
            return h->nlabels;
    return 0;
}

/* A top-level domain written like a capitalized word ("Hi.Click", "now.Win", "place.No"): the
 * start of the next sentence, not a domain. A two-letter one only after a label that does not
 * start with a capital ("Masfer.Su" is a brand written in title case). */
static bool tld_capitalized(const char *s, size_t len, const struct host *h, size_t k)
{
    static const char *const classic[] = {"com", "net", "org", "gov", "edu", NULL};
    size_t tlen = h->nend[k] - h->nbeg[k];
    if (tlen < 2 || label_is(h, k, classic))
        return false;
    size_t n, p = h->beg[k];
    int c = unit_at(s, len, p, &n);
    if (!(c >= 'A' && c <= 'Z'))
        return false;
    if (tlen == 2 && k > 0) {
        int b = unit_at(s, len, h->beg[k - 1], &n);
        if (b >= 'A' && b <= 'Z')
            return false;
    }
    for (p += n; p < h->end[k]; p += n)
        if ((c = unit_at(s, len, p, &n)) >= 'a' && c <= 'z')
            return true;
    return false;
}

/* Extra checks for a host written without scheme, port or path: "readme.md", "Mr.Li",
 * "her.love" and "Hi.Click" are not URLs; "www." or a path makes the intent clear. Country
 * codes that are English words end two-label "hosts" where a space after a full stop was
 * left out ("her.my life", "pain.it will", "today.do as"); .me, .us, .in and .tv stay, real
 * sites use them bare (t.me, zoom.us). */
static bool bare_host_ok(const char *s, size_t len, const struct host *h, size_t nlabels)
{
    static const char *const file_ext[] = {"zip", "mov", "md", "py",   "sh",  "rs",   "pl",
                                           "pm",  "ps",  "so", "java", "cab", "mobi", NULL};
    static const char *const titles[] = {"mr",   "mrs", "ms",  "dr", "st",  "no",  "vs", "jr", "sr",
                                         "prof", "fig", "vol", "ch", "sec", "etc", "ca", NULL};
    static const char *const word_tld[] = {"am", "as", "at", "be", "by", "do", "im",
                                           "is", "it", "my", "no", "to", NULL};
    if (is_ipv4(h, nlabels) || label_is(h, 0, www_label))
        return true;
    if (nlabels == 2 &&
        (label_is(h, 1, file_ext) || label_is(h, 0, titles) || label_is(h, 1, word_tld)))
        return false;
    return tld_listed(h, nlabels - 1, false) && !tld_capitalized(s, len, h, nlabels - 1);
}

/* ":port" (1-5 digits, at most 65535) at p: returns the offset after it, or p. */
static size_t scan_port(const char *s, size_t len, size_t p)
{
    size_t n, q;
    int c = unit_or_end(s, len, p, &n);
    if (c != ':' && c != U_WIDE_COLON)
        return p;
    unsigned v = 0, nd = 0;
    for (q = p + n; is_digit(c = unit_or_end(s, len, q, &n)); q += n) {
        v = v * 10 + (unsigned)(c - '0');
        if (++nd > 5)
            return p;
    }
    return nd && v <= 65535 ? q : p;
}

/* A path, query or fragment at p: returns the offset after it, or p. */
static size_t scan_path(const char *s, size_t len, size_t p)
{
    size_t n;
    int c = unit_or_end(s, len, p, &n);
    if (c != '/' && c != '?' && c != '#')
        return p;
    while (is_path_char(c)) {
        p += n;
        c = unit_or_end(s, len, p, &n);
    }
    return p;
}

static size_t count_byte(const char *s, size_t beg, size_t end, char c)
{
    size_t k = 0;
    for (size_t i = beg; i < end; i++)
        k += s[i] == c;
    return k;
}

/* Drops what ends a sentence rather than the path in s[beg..end): trailing . , ; : ! ? ' * and
 * fullwidth ．, closing brackets that have no opening one in the path, and an opening bracket
 * (a remark in brackets right after the link: "x.com/a（请复制…", once folded, "x.com/a(请"). */
static size_t trim_tail(const char *s, size_t beg, size_t end)
{
    size_t open[3] = {count_byte(s, beg, end, '('), count_byte(s, beg, end, '['),
                      count_byte(s, beg, end, '{')};
    size_t close[3] = {count_byte(s, beg, end, ')'), count_byte(s, beg, end, ']'),
                       count_byte(s, beg, end, '}')};
    while (end > beg) {
        if (end - beg >= 3 && memcmp(s + end - 3, "\xEF\xBC\x8E", 3) == 0) {
            end -= 3;
            continue;
        }
        char c = s[end - 1];
        int b = c == ')' ? 0 : c == ']' ? 1 : c == '}' ? 2 : -1;
        if (b >= 0 && close[b] > open[b]) {
            close[b]--;
            end--;
        } else if (c && strchr(".,;:!?'*([{", c)) {
            end--;
        } else {
            break;
        }
    }
    return end;
}

/* An IPv6 literal "[...]" after a scheme: returns the offset after ']', or 0. */
static size_t scan_ipv6(const char *s, size_t len, size_t p)
{
    size_t colons = 0;
    for (size_t q = p + 1; q < len && q - p <= 64; q++) {
        char c = s[q];
        if (c == ']')
            return colons >= 2 ? q + 1 : 0;
        colons += c == ':';
        if (!(is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f') || c == ':' || c == '.' ||
              c == '%'))
            return 0;
    }
    return 0;
}

/* The end of the host that starts at p, or 0 when there is none. */
static size_t match_host(const char *s, size_t len, size_t p, bool has_scheme, const psl_ctx_t *psl)
{
    if (has_scheme && p < len && s[p] == '[')
        return scan_ipv6(s, len, p);
    struct host h;
    if (!scan_labels(s, len, p, &h))
        return 0;
    size_t k = host_labels(&h, has_scheme, psl);
    if (!k)
        return 0;
    size_t q = h.end[k - 1], n;
    if (has_scheme)
        return q;
    if (unit_or_end(s, len, q, &n) == '@') /* an e-mail address: left to the extractor */
        return 0;
    size_t after = scan_path(s, len, scan_port(s, len, q));
    if (trim_tail(s, q, after) == q && !bare_host_ok(s, len, &h, k))
        return 0;
    return q;
}

/* A cheap test before match_at: the ASCII run of host characters at s[i] ends in a dot, in
 * the ':' of a scheme, or in a non-ASCII character (a fullwidth form may continue it). */
static bool may_start(const char *s, size_t len, size_t i)
{
    size_t r = i;
    while (r < len && is_host_char((unsigned char)s[r]))
        r++;
    if (r == len)
        return false;
    unsigned char c = (unsigned char)s[r];
    return c == '.' || c >= 0x80 || (c == ':' && r - i >= 3 && r - i <= 5);
}

/* The URL that starts at s[i], if any: *end gets the offset just past it. */
static bool match_at(const char *s, size_t len, size_t i, const psl_ctx_t *psl, size_t *end)
{
    size_t p = i;
    bool has_scheme = scan_scheme(s, len, &p);
    if (has_scheme)
        p = skip_userinfo(s, len, p);
    size_t q = match_host(s, len, p, has_scheme, psl);
    if (!q)
        return false;
    q = scan_port(s, len, q);
    *end = trim_tail(s, q, scan_path(s, len, q));
    return true;
}

bool fz_url_find(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
    const psl_ctx_t *psl = fz__url_psl();
    size_t i = *pos;
    bool after_word = i > 0 && i < len && word_before(text, len, i);
    while (i < len) {
        unsigned char b = (unsigned char)text[i];
        if (b < 0x80 && !is_alnum(b)) { /* the common cases first, without decoding */
            after_word = is_word(b);
            i++;
            continue;
        }
        if (b >= 0x80 && b != 0xE3 && b != 0xEF) { /* CJK and the rest: skip the sequence */
            after_word = false;
            i += b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            continue;
        }
        size_t n, e;
        int c = unit_at(text, len, i, &n);
        if (!is_alnum(c)) {
            after_word = c < 128 && is_word(c);
            i += n;
            continue;
        }
        if (!after_word && may_start(text, len, i) && match_at(text, len, i, psl, &e)) {
            *start = i;
            *end = e;
            *pos = e;
            return true;
        }
        i = skip_word(text, len, i);
    }
    *pos = len > *pos ? len : *pos;
    return false;
}
