/*
 * mail/html: HTML to readable text for screening. A single left-to-right pass, linear in the
 * input however broken it is: tags are dropped (block elements become line breaks, cells
 * spaces), script and style content and comments are skipped, character references decoded,
 * white space collapsed, and link targets kept after the link text as " (URL)" so the URL
 * signals still see where a link really goes.
 */
#include "compat.h"

#include "mail_int.h"

#include <string.h>
#include <strings.h>

#define MAX_HREF 4096
#define MAX_TAG_NAME 16
#define MAX_LINK_TEXT 512

struct html {
    const char *s;
    size_t len, pos;
    struct fz_buf *out;
    bool pending_space; /* white space seen since the last character written */
    int pending_nl;     /* line breaks (0-2) owed before the next character */
    bool started;       /* something was written (no break or space goes before it) */
    /* the open link: its target, and where its text starts in out */
    struct fz_buf href;
    bool in_link;
    size_t link_start;
    /* the next '"' and '\'' at or after some position (len: none), so quoted attribute
     * values are found in linear time overall */
    size_t next_quote[2];
};

/* ---- output ---- */

/* Writes p[0..n), after the line breaks or the space owed. Breaks and spaces are only ever
 * written before text, so the output never starts or ends with them. */
static fz_rc put(struct html *h, const char *p, size_t n)
{
    fz_rc rc = FZ_OK;
    if (h->started && h->pending_nl)
        rc = fz__mail_put(h->out, "\n\n", (size_t)h->pending_nl);
    else if (h->started && h->pending_space)
        rc = fz__mail_put(h->out, " ", 1);
    h->pending_space = false;
    h->pending_nl = 0;
    h->started = true;
    return rc ? rc : fz__mail_put(h->out, p, n);
}

static fz_rc put_cp(struct html *h, uint32_t cp)
{
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0) {
        h->pending_space = true;
        return FZ_OK;
    }
    if (cp == 0xAD || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF)
        return FZ_OK; /* soft hyphen, zero-width characters */
    char u[4];
    size_t n = fz_utf8_encode(cp, u);
    if (!n)
        n = fz_utf8_encode(FZ_UTF8_REPLACEMENT, u);
    return put(h, u, n);
}

/* Owes k line breaks (1: a new line, 2: a new paragraph) before the next text. */
static void line_break(struct html *h, int k)
{
    if (h->pending_nl < k)
        h->pending_nl = k;
}

/* ---- character references ---- */

/* HTML 4 names of U+00A0..U+00FF, in order. */
static const char *const latin1_names[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
    "sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
    "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
    "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
    "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
    "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
    "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

static const struct {
    const char *name;
    uint32_t cp;
} other_names[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"hellip", 0x2026}, {"mdash", 0x2014},  {"ndash", 0x2013},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"sbquo", 0x201A},  {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"bdquo", 0x201E},  {"bull", 0x2022},   {"euro", 0x20AC},
    {"trade", 0x2122},  {"ensp", 0x2002},   {"emsp", 0x2003},   {"thinsp", 0x2009},
    {"zwnj", 0x200C},   {"zwj", 0x200D},    {"dagger", 0x2020}, {"Dagger", 0x2021},
    {"permil", 0x2030}, {"lsaquo", 0x2039}, {"rsaquo", 0x203A}, {"larr", 0x2190},
    {"rarr", 0x2192},   {"uarr", 0x2191},   {"darr", 0x2193},   {"hearts", 0x2665},
    {"OElig", 0x0152},  {"oelig", 0x0153},  {"Scaron", 0x0160}, {"scaron", 0x0161},
    {"Yuml", 0x0178},   {"fnof", 0x0192},   {"circ", 0x02C6},   {"tilde", 0x02DC},
};

/* Numeric references to 0x80..0x9F mean Windows-1252 (HTML5); 0 marks the holes. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool named_ref(const char *name, size_t n, uint32_t *cp)
{
    for (size_t i = 0; i < sizeof other_names / sizeof *other_names; i++)
        if (strlen(other_names[i].name) == n && !memcmp(other_names[i].name, name, n))
            return *cp = other_names[i].cp, true;
    for (size_t i = 0; i < 96; i++)
        if (strlen(latin1_names[i]) == n && !memcmp(latin1_names[i], name, n))
            return *cp = 0xA0 + (uint32_t)i, true;
    return false;
}

static uint32_t numeric_cp(uint32_t v)
{
    if (v >= 0x80 && v <= 0x9F)
        return cp1252_c1[v - 0x80] ? cp1252_c1[v - 0x80] : FZ_UTF8_REPLACEMENT;
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return FZ_UTF8_REPLACEMENT;
    return v;
}

/*
 * Decodes the reference at s[*i] == '&' into *cp and advances *i past it; false (and *i
 * unchanged) when it is no reference, so the '&' is text.
 */
static bool char_ref(const char *s, size_t len, size_t *i, uint32_t *cp)
{
    size_t p = *i + 1;
    if (p < len && s[p] == '#') {
        bool hex = p + 1 < len && (s[p + 1] == 'x' || s[p + 1] == 'X');
        p += hex ? 2 : 1;
        uint32_t v = 0;
        size_t digits = 0;
        for (; p < len; p++, digits++) {
            char c = s[p];
            int d = (c >= '0' && c <= '9')                          ? c - '0'
                    : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                                    : -1;
            if (d < 0)
                break;
            if (v <= 0x10FFFF)
                v = v * (hex ? 16 : 10) + (uint32_t)d;
        }
        if (!digits)
            return false;
        if (p < len && s[p] == ';')
            p++;
        *cp = numeric_cp(v);
        *i = p;
        return true;
    }
    size_t start = p;
    while (p < len && p - start < 10 && is_alnum(s[p]))
        p++;
    /* Without ';' only the common ones, as browsers do for legacy pages. */
    bool semi = p < len && s[p] == ';';
    size_t n = p - start;
    if (!named_ref(s + start, n, cp))
        return false;
    if (!semi && !(*cp == '&' || *cp == '<' || *cp == '>' || *cp == '"' || *cp == 0xA0))
        return false;
    *i = p + (semi ? 1 : 0);
    return true;
}

/* Appends s[0..n) to b with character references decoded (for attribute values). */
static fz_rc decode_into(const char *s, size_t n, struct fz_buf *b)
{
    fz_rc rc = FZ_OK;
    for (size_t i = 0; i < n && !rc;) {
        uint32_t cp;
        if (s[i] == '&' && char_ref(s, n, &i, &cp)) {
            rc = fz__mail_put_cp(b, cp);
        } else {
            rc = fz__mail_put(b, s + i, 1);
            i++;
        }
    }
    return rc;
}

/* ---- tags ---- */

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The first occurrence of needle[0..m) in hay[0..n), or NULL. O(n * m) at worst: callers
 * bound m, or search for a needle whose first byte does not repeat in it ("-->"). */
static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
    if (!m)
        return hay;
    for (const char *p = hay, *end = hay + n; (size_t)(end - p) >= m;) {
        const char *c = memchr(p, needle[0], (size_t)(end - p) - m + 1);
        if (!c)
            return NULL;
        if (!memcmp(c, needle, m))
            return c;
        p = c + 1;
    }
    return NULL;
}

/* The position of the next quote character q at or after from, or len. */
static size_t find_quote(struct html *h, char q, size_t from)
{
    size_t *cache = &h->next_quote[q == '"' ? 0 : 1];
    if (*cache >= from && (*cache == h->len || h->s[*cache] == q))
        return *cache;
    const char *p = memchr(h->s + from, q, h->len - from);
    *cache = p ? (size_t)(p - h->s) : h->len;
    return *cache;
}

/* Skips to just past the next "</name" ... ">" (case-insensitive), or to the end. */
static void skip_element(struct html *h, const char *name)
{
    size_t n = strlen(name);
    for (size_t p = h->pos; p < h->len;) {
        const char *lt = memchr(h->s + p, '<', h->len - p);
        if (!lt)
            break;
        p = (size_t)(lt - h->s) + 1;
        if (p + n < h->len && h->s[p] == '/') {
            size_t k = 0;
            while (k < n && lower(h->s[p + 1 + k]) == name[k])
                k++;
            if (k == n) {
                const char *gt = memchr(h->s + p, '>', h->len - p);
                h->pos = gt ? (size_t)(gt - h->s) + 1 : h->len;
                return;
            }
        }
    }
    h->pos = h->len;
}

static bool name_in(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(name, *list))
            return true;
    return false;
}

/* Elements that start a paragraph, and those that start a line. */
static const char *const paragraph_tags[] = {
    "p",  "h1", "h2",         "h3",  "h4",    "h5",   "h6",      "table",   "ul",     "ol",
    "dl", "hr", "blockquote", "pre", "title", "form", "section", "article", "figure", NULL};
static const char *const line_tags[] = {
    "br",      "div",      "tr",     "li",         "dd",     "dt",    "address", "center",
    "header",  "footer",   "nav",    "main",       "aside",  "tbody", "thead",   "tfoot",
    "caption", "fieldset", "legend", "figcaption", "option", "body",  NULL};

/* Writes " (target)" for the link that just closed, unless its text already shows it. */
static fz_rc close_link(struct html *h)
{
    h->in_link = false;
    const char *t = h->href.ptr;
    size_t n = h->href.len;
    if (!n || t[0] == '#' || !strncasecmp(t, "javascript:", 11))
        return FZ_OK;
    /* compare without the scheme and a final slash: "www.x.cn" shows "http://www.x.cn/" */
    const char *bare = t;
    size_t bn = n;
    const char *colon = memchr(t, ':', n < 12 ? n : 12);
    if (colon) {
        bare = colon + 1;
        while (bare < t + n && *bare == '/')
            bare++;
        bn = (size_t)(t + n - bare);
    }
    if (bn && bare[bn - 1] == '/')
        bn--;
    const struct fz_buf *o = h->out;
    size_t start = h->link_start <= o->len ? h->link_start : o->len;
    /* Link texts are short; a long one (bounded for linear time) gets the target anyway. */
    if (bn && o->ptr && o->len - start <= MAX_LINK_TEXT &&
        find(o->ptr + start, o->len - start, bare, bn))
        return FZ_OK;
    h->pending_space = true;
    fz_rc rc = put(h, "(", 1);
    if (!rc)
        rc = put(h, t, n);
    if (!rc)
        rc = put(h, ")", 1);
    return rc;
}

/* Reads one attribute at h->pos inside a tag; the value is [*v, *v + *vn). Returns false at
 * the end of the tag (h->pos past '>'). */
static bool attribute(struct html *h, const char **name, size_t *nn, const char **v, size_t *vn)
{
    const char *s = h->s;
    size_t p = h->pos;
    while (p < h->len && (is_space(s[p]) || s[p] == '/'))
        p++;
    if (p >= h->len || s[p] == '>') {
        h->pos = p < h->len ? p + 1 : h->len;
        return false;
    }
    size_t ns = p;
    while (p < h->len && !is_space(s[p]) && s[p] != '=' && s[p] != '>')
        p++;
    *name = s + ns;
    *nn = p - ns;
    *v = NULL;
    *vn = 0;
    size_t q = p;
    while (q < h->len && is_space(s[q]))
        q++;
    if (q < h->len && s[q] == '=') {
        q++;
        while (q < h->len && is_space(s[q]))
            q++;
        if (q < h->len && (s[q] == '"' || s[q] == '\'')) {
            size_t close = find_quote(h, s[q], q + 1);
            if (close < h->len) {
                *v = s + q + 1;
                *vn = close - q - 1;
                p = close + 1;
            } else { /* an unterminated quote: the value ends like an unquoted one */
                q++;
            }
        }
        if (!*v) {
            size_t vs = q;
            while (q < h->len && !is_space(s[q]) && s[q] != '>')
                q++;
            *v = s + vs;
            *vn = q - vs;
            p = q;
        }
    }
    h->pos = p;
    return true;
}

static fz_rc tag(struct html *h)
{
    const char *s = h->s;
    size_t p = h->pos + 1;
    bool end = p < h->len && s[p] == '/';
    if (end)
        p++;
    char name[MAX_TAG_NAME + 1];
    size_t n = 0;
    for (; p < h->len && (is_alnum(s[p]) || s[p] == ':' || s[p] == '-'); p++)
        if (n < MAX_TAG_NAME)
            name[n++] = lower(s[p]);
    name[n] = '\0';
    h->pos = p;
    bool is_a = !strcmp(name, "a");
    fz_rc rc = FZ_OK;
    if (is_a && h->in_link)
        rc = close_link(h);
    const char *an, *av;
    size_t ann, avn;
    while (!rc && attribute(h, &an, &ann, &av, &avn)) {
        if (is_a && !end && ann == 4 && !strncasecmp(an, "href", 4)) {
            fz_buf_reset(&h->href);
            while (avn && is_space(*av))
                av++, avn--;
            while (avn && is_space(av[avn - 1]))
                avn--;
            rc = decode_into(av, avn, &h->href);
            if (rc == FZ_ETOOBIG)
                rc = FZ_OK; /* a cut target is still worth showing */
            h->in_link = !rc;
            h->link_start = h->out->len;
        }
    }
    if (rc)
        return rc;
    if (!end && (!strcmp(name, "script") || !strcmp(name, "style")))
        skip_element(h, name);
    else if (name_in(name, paragraph_tags))
        line_break(h, 2);
    else if (name_in(name, line_tags))
        line_break(h, 1);
    else if (!strcmp(name, "td") || !strcmp(name, "th"))
        h->pending_space = true;
    return rc;
}

/* Skips a comment, a declaration or a processing instruction at h->pos ('<' then '!'/'?'). */
static void skip_markup(struct html *h)
{
    const char *s = h->s;
    size_t p = h->pos;
    if (p + 3 < h->len && s[p + 1] == '!' && s[p + 2] == '-' && s[p + 3] == '-') {
        const char *e = find(s + p + 4, h->len - p - 4, "-->", 3);
        h->pos = e ? (size_t)(e - s) + 3 : h->len;
        return;
    }
    const char *gt = memchr(s + p, '>', h->len - p);
    h->pos = gt ? (size_t)(gt - s) + 1 : h->len;
}

static fz_rc run(struct html *h)
{
    const char *s = h->s;
    fz_rc rc = FZ_OK;
    while (h->pos < h->len && !rc) {
        char c = s[h->pos];
        if (c == '<' && h->pos + 1 < h->len) {
            char d = s[h->pos + 1];
            if (d == '!' || d == '?') {
                skip_markup(h);
                continue;
            }
            if (d == '/' || ((d | 0x20) >= 'a' && (d | 0x20) <= 'z')) {
                rc = tag(h);
                continue;
            }
        }
        uint32_t cp;
        if (c == '&' && char_ref(s, h->len, &h->pos, &cp)) {
            rc = put_cp(h, cp);
            continue;
        }
        if (is_space(c)) {
            h->pending_space = true;
            h->pos++;
            continue;
        }
        /* a run of plain text */
        size_t start = h->pos;
        while (h->pos < h->len && s[h->pos] != '<' && s[h->pos] != '&' && !is_space(s[h->pos]))
            h->pos++;
        if (h->pos == start)
            h->pos++; /* a lone '<' or '&' */
        rc = put(h, s + start, h->pos - start);
    }
    if (!rc && h->in_link)
        rc = close_link(h);
    return rc;
}

fz_rc fz_mail_html_text(const char *html, size_t len, struct fz_buf *out)
{
    struct html h = {.s = html, .len = len, .out = out, .started = out->len > 0};
    h.next_quote[0] = h.next_quote[1] = 0;
    fz_buf_init(&h.href, MAX_HREF);
    fz_rc rc = run(&h);
    fz_buf_release(&h.href);
    return rc;
}
