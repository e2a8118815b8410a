/*
 * url/analyze: the URL context (public suffix list, shortener and TLD lists, brand index)
 * and the analyzer that judges one URL (signal layer).
 *
 * The analyzer folds fullwidth punctuation to ASCII, adds http:// when no scheme is given,
 * parses with libcurl's URL API (http, https and ftp only), lower-cases the host and turns IDNs
 * into A-labels with libidn2, finds the registrable domain with libpsl, then sets the flags,
 * the lookalike brand and a risk prior with reasons. Every string it returns lives in the
 * caller's arena; curl's handle and strings are freed before it returns.
 */
#include "compat.h"

#include "url_int.h"

#include <curl/curl.h>
#include <idn2.h>
#include <stdio.h>
#include <string.h>

FZ_LOG_MODULE(url);

#define URL_MAX_IN ((size_t)8 << 10) /* analyzer input cap, bytes */
#define HTTP_PREFIX "http://"

enum scheme { SCHEME_NONE, SCHEME_HTTP, SCHEME_HTTPS, SCHEME_FTP, SCHEME_OTHER };

static const char *const scheme_names[] = {"", "http", "https", "ftp"};
static const unsigned scheme_ports[] = {0, 80, 443, 21};

/* ---- reasons (static storage, see struct fz_reason) ----------------------------------- */

static const struct fz_reason r_ip_host = {"url.ip_host", 35, "网址用IP地址代替域名",
                                           "the host is a bare IP address, not a domain name"};
static const struct fz_reason r_punycode = {
    "url.punycode", 25, "国际化域名（punycode），可能用形近字符仿冒",
    "internationalized (punycode) host name, which can imitate letters"};
static const struct fz_reason r_userinfo = {"url.userinfo", 30,
                                            "网址含“@”前的用户名，真实站点在“@”之后",
                                            "a user name before '@' disguises the real host"};
static const struct fz_reason r_port = {"url.nonstandard_port", 15, "使用非标准端口",
                                        "non-standard port for the scheme"};
static const struct fz_reason r_shortener = {"url.shortener", 20, "短链接，隐藏真实地址",
                                             "link shortener hides the destination"};
static const struct fz_reason r_risky_tld = {"url.risky_tld", 10, "诈骗常用的廉价顶级域名",
                                             "top-level domain often abused by fraud"};

/* One reason per kind of lookalike, indexed by enum fz__url_look_kind. */
static const struct fz_reason r_lookalike[] = {
    {NULL, 0, NULL, NULL},
    {"url.lookalike", 60, "仿冒品牌：子域名中嵌入品牌域名",
     "imitates a brand: the brand's domain sits inside another domain"},
    {"url.lookalike", 70, "仿冒品牌：用形近的外文字符拼写品牌名",
     "imitates a brand: look-alike letters from other scripts"},
    {"url.lookalike", 60, "仿冒品牌：数字字母替换（0/o、1/l、rn/m）",
     "imitates a brand: swapped digits or letters (0/o, 1/l, rn/m)"},
    {"url.lookalike", 50, "仿冒品牌：同名不同后缀",
     "imitates a brand: its name under another suffix"},
    {"url.lookalike", 55, "仿冒品牌：品牌名加前后缀",
     "imitates a brand: its name with added words"},
    {"url.lookalike", 45, "仿冒品牌：拼写相近", "imitates a brand: one or two letters off"},
    {"url.lookalike", 45, "仿冒品牌：子域名使用品牌名",
     "imitates a brand: its name as a subdomain of another domain"},
};

_Static_assert(sizeof r_lookalike / sizeof r_lookalike[0] == FZ__URL_LOOK_SUBLABEL + 1,
               "one lookalike reason per kind");

/* ---- the public suffix list ----------------------------------------------------------- */

const psl_ctx_t *fz__url_psl(void) { return psl_builtin(); }

/* Top-level domains so common in messages that asking libpsl about them each time is the
 * finder's largest cost; all are in the public suffix list. */
static bool common_tld(const char *tld)
{
    static const char *const common[] = {"com",  "cn", "net", "org", "top", "xyz", "cc", "vip",
                                         "info", "io", "me",  "hk",  "tw",  "uk",  NULL};
    for (const char *const *c = common; *c; c++)
        if (strcmp(*c, tld) == 0)
            return true;
    return false;
}

bool fz__url_known_suffix(const psl_ctx_t *psl, const char *tld)
{
    if (common_tld(tld))
        return true;
    if (psl)
        return psl_is_public_suffix2(psl, tld, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
    size_t n = strlen(tld);
    for (size_t i = 0; i < n; i++)
        if (!(tld[i] >= 'a' && tld[i] <= 'z'))
            return false;
    return n >= 2 && n <= FZ__URL_LABEL_MAX;
}

/* ---- the context ---------------------------------------------------------------------- */

/* Loads a one-entry-per-line list ('#' comments, blank lines) into a set. */
static fz_rc load_set(struct fz_map *m, const unsigned char *txt, size_t len)
{
    const char *p = (const char *)txt, *end = p + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end, *next = nl ? nl + 1 : end;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (e > p && *p != '#') {
            fz_rc rc = fz_map_put(m, p, (size_t)(e - p), m, NULL);
            if (rc)
                return rc;
        }
        p = next;
    }
    return FZ_OK;
}

fz_rc fz_url_ctx_new(struct fz_url_ctx **out)
{
    struct fz_url_ctx *ctx = fz_calloc(1, sizeof *ctx);
    if (!ctx)
        return FZ_E(FZ_ENOMEM);
    ctx->psl = fz__url_psl();
    if (!ctx->psl)
        fz_log(FZ_LOG_WARN, "libpsl has no built-in list: registrable domains are guessed");
    fz_map_init(&ctx->shorteners);
    fz_map_init(&ctx->risky_tlds);
    struct fz_err err = {0};
    fz_rc rc = load_set(&ctx->shorteners, fz__url_shorteners_txt, fz__url_shorteners_len);
    if (!rc)
        rc = load_set(&ctx->risky_tlds, fz__url_risky_tlds_txt, fz__url_risky_tlds_len);
    if (!rc)
        rc = fz__url_brands_init(&ctx->brands, ctx->psl, (const char *)fz__url_brands_txt,
                                 fz__url_brands_len, &err);
    if (rc) {
        if (rc != FZ_ENOMEM)
            fz_log(FZ_LOG_ERROR, "built-in brands.txt line %zu: %s", err.line, err.msg);
        fz_url_ctx_free(ctx);
        return rc;
    }
    *out = ctx;
    return FZ_OK;
}

void fz_url_ctx_free(struct fz_url_ctx *ctx)
{
    if (!ctx)
        return;
    fz_map_release(&ctx->shorteners);
    fz_map_release(&ctx->risky_tlds);
    fz__url_brands_release(&ctx->brands);
    fz_free(ctx);
}

const char *fz_url_flag_name(uint32_t flag)
{
    switch (flag) {
    case FZ_URL_IP_HOST: return "ip_host";
    case FZ_URL_PUNYCODE: return "punycode";
    case FZ_URL_USERINFO: return "userinfo";
    case FZ_URL_NONSTANDARD_PORT: return "nonstandard_port";
    case FZ_URL_SHORTENER: return "shortener";
    case FZ_URL_LOOKALIKE: return "lookalike";
    case FZ_URL_NO_SCHEME: return "no_scheme";
    default: return NULL;
    }
}

/* ---- input ---------------------------------------------------------------------------- */

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c); }
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* The ASCII form of the fullwidth or ideographic character at s (n >= 3 bytes left), or 0.
 * Fullwidth ASCII U+FF01-FF5E, ideographic full stops 。 ｡ and the ideographic space. */
static char fold_wide(const unsigned char *s)
{
    if (s[0] == 0xE3 && s[1] == 0x80 && (s[2] == 0x82 || s[2] == 0x80))
        return s[2] == 0x82 ? '.' : ' ';
    if (s[0] != 0xEF || (s[1] != 0xBC && s[1] != 0xBD) || (s[2] & 0xC0) != 0x80)
        return 0;
    unsigned cp = 0xFF00u + ((unsigned)(s[1] - 0xBC) << 6) + (s[2] & 0x3Fu);
    if (cp == 0xFF61)
        return '.';
    return cp >= 0xFF01 && cp <= 0xFF5E ? (char)(cp - 0xFEE0) : 0;
}

/*
 * Copies in[0..len) into the arena with fullwidth forms folded and surrounding whitespace
 * (ASCII or ideographic) trimmed, leaving room for "http://" in front: the text starts at
 * (*buf)[sizeof "http://" - 1]. Sets *n to its length, or to SIZE_MAX when it holds a control
 * character.
 */
static fz_rc fold_input(const char *in, size_t len, struct fz_arena *a, char **buf, size_t *n)
{
    const size_t off = sizeof HTTP_PREFIX - 1;
    char *b = fz_arena_alloc(a, off + len + 1);
    if (!b)
        return FZ_E(FZ_ENOMEM);
    size_t k = off;
    for (size_t i = 0; i < len; i++) {
        const unsigned char *u = (const unsigned char *)in + i;
        char c = len - i >= 3 ? fold_wide(u) : 0;
        if (c)
            i += 2;
        b[k++] = c ? c : in[i];
    }
    while (k > off && is_space(b[k - 1]))
        k--;
    size_t lead = off;
    while (lead < k && is_space(b[lead]))
        lead++;
    memmove(b + off, b + lead, k - lead);
    k -= lead - off;
    b[k] = '\0';
    *buf = b;
    *n = k - off;
    for (size_t i = off; i < k; i++)
        if ((unsigned char)b[i] < 0x20 || b[i] == 0x7F)
            *n = SIZE_MAX;
    return FZ_OK;
}

/* The scheme of s[0..n). "host:8080/..." has none; "javascript:", "mailto:" and any scheme
 * other than http, https and ftp are SCHEME_OTHER. */
static enum scheme scheme_of(const char *s, size_t n)
{
    size_t i = 0;
    if (!n || !is_alpha(s[0]))
        return SCHEME_NONE;
    while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    if (i == n || s[i] != ':')
        return SCHEME_NONE;
    if (n - i >= 3 && s[i + 1] == '/' && s[i + 2] == '/') {
        for (int k = SCHEME_HTTP; k <= SCHEME_FTP; k++) {
            size_t j = 0;
            while (j < i && lower(s[j]) == scheme_names[k][j])
                j++;
            if (j == i && !scheme_names[k][i])
                return (enum scheme)k;
        }
        return SCHEME_OTHER;
    }
    size_t j = i + 1;
    while (j < n && is_digit(s[j]))
        j++;
    if (j > i + 1 && (j == n || s[j] == '/' || s[j] == '?' || s[j] == '#'))
        return SCHEME_NONE;
    return SCHEME_OTHER;
}

/* Without a scheme, "user@host" with nothing after the host is an e-mail address. */
static bool is_email(const char *s, size_t n)
{
    bool at = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '/' || s[i] == '?' || s[i] == '#')
            return false;
        at |= s[i] == '@';
    }
    return at;
}

/* ---- parsing with libcurl ------------------------------------------------------------- */

/* The parts of a URL as libcurl returns them, copied into the arena; NULL when absent. */
struct parts {
    char *host, *port, *path, *query, *user;
};

/* Copies one part into the arena. FZ_ENOMEM; an absent part leaves *out NULL. */
static fz_rc get_part(CURLU *h, CURLUPart what, struct fz_arena *a, char **out)
{
    char *s = NULL;
    *out = NULL;
    CURLUcode uc = curl_url_get(h, what, &s, 0);
    if (uc == CURLUE_OUT_OF_MEMORY)
        return FZ_E(FZ_ENOMEM);
    if (uc != CURLUE_OK)
        return FZ_OK;
    *out = fz_arena_strndup(a, s, strlen(s));
    curl_free(s);
    return *out ? FZ_OK : FZ_E(FZ_ENOMEM);
}

/* Parses url; *ok is false when libcurl refuses it. */
static fz_rc curl_parse(const char *url, struct fz_arena *a, struct parts *p, bool *ok)
{
    static const CURLUPart what[] = {CURLUPART_HOST, CURLUPART_PORT, CURLUPART_PATH,
                                     CURLUPART_QUERY, CURLUPART_USER};
    char **field[] = {&p->host, &p->port, &p->path, &p->query, &p->user};
    CURLU *h = curl_url();
    if (!h)
        return FZ_E(FZ_ENOMEM);
    CURLUcode uc = curl_url_set(h, CURLUPART_URL, url, CURLU_URLENCODE);
    fz_rc rc = uc == CURLUE_OUT_OF_MEMORY ? FZ_E(FZ_ENOMEM) : FZ_OK;
    *ok = uc == CURLUE_OK;
    for (size_t i = 0; i < sizeof what / sizeof what[0] && *ok && !rc; i++)
        rc = get_part(h, what[i], a, field[i]);
    curl_url_cleanup(h);
    *ok = *ok && !rc && p->host && *p->host && p->path;
    return rc;
}

/* ---- the host ------------------------------------------------------------------------- */

static bool is_ipv4(const char *h)
{
    unsigned parts = 0;
    for (const char *p = h;; p++) {
        unsigned v = 0, nd = 0;
        for (; is_digit(*p); p++, nd++)
            v = v * 10 + (unsigned)(*p - '0');
        if (!nd || nd > 3 || v > 255 || ++parts > 4)
            return false;
        if (!*p)
            return parts == 4;
        if (*p != '.')
            return false;
    }
}

/* A label that reads as a number: decimal digits, or 0x and hex digits (WHATWG URL). */
static bool numeric_label(const char *s, size_t n)
{
    size_t i = n >= 2 && s[0] == '0' && s[1] == 'x' ? 2 : 0;
    bool hex = i == 2;
    for (; i < n; i++)
        if (!(is_digit(s[i]) || (hex && s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return n > 0;
}

/* Lower-case letters, digits, '-', '_', labels of 1-63 bytes, at most 253 bytes, a letter or
 * digit somewhere, and a last label that is not a number unless the host is an IPv4 address
 * (libcurl rewrites numeric hosts to dotted quads, but not "0x100." with its root dot). */
static bool host_ok(const char *h, size_t n)
{
    if (!n || n > FZ__URL_HOST_MAX)
        return false;
    size_t label = 0, last = 0;
    bool alnum = false;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? h[i] : '.';
        if (c == '.') {
            if (!label || label > FZ__URL_LABEL_MAX)
                return false;
            last = i - label;
            label = 0;
            continue;
        }
        if (!(is_digit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_'))
            return false;
        alnum |= c != '-' && c != '_';
        label++;
    }
    return alnum && (!numeric_label(h + last, n - last) || is_ipv4(h));
}

/* One part of a numeric host (WHATWG URL): decimal, octal after a leading 0, hex after 0x. */
static bool ipv4_part(const char *s, size_t n, uint64_t *v)
{
    unsigned base = 10;
    size_t i = 0;
    if (n >= 2 && s[0] == '0') {
        base = s[1] == 'x' ? 16 : 8;
        i = s[1] == 'x' ? 2 : 1;
    }
    *v = 0;
    for (; i < n; i++) {
        unsigned d = is_digit(s[i])               ? (unsigned)(s[i] - '0')
                     : s[i] >= 'a' && s[i] <= 'f' ? (unsigned)(s[i] - 'a' + 10)
                                                  : 99;
        if (d >= base || (*v = *v * base + d) > 0xFFFFFFFFu)
            return false;
    }
    return n > 0;
}

/* Writes the numeric host h[0..n) (1-4 parts) as a dotted quad into out. libcurl does this
 * for every host but one with a root dot ("0x100.", "1.2.3.004."), which we strip later. */
static bool ipv4_canon(const char *h, size_t n, char out[16])
{
    uint64_t part[4], addr = 0;
    size_t np = 0, beg = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && h[i] != '.')
            continue;
        if (np == 4 || !ipv4_part(h + beg, i - beg, &part[np]))
            return false;
        np++;
        beg = i + 1;
    }
    for (size_t k = 0; k + 1 < np; k++) {
        if (part[k] > 255)
            return false;
        addr |= part[k] << (8 * (3 - k));
    }
    if (part[np - 1] >> (8 * (5 - np)))
        return false;
    addr |= part[np - 1];
    snprintf(out, 16, "%u.%u.%u.%u", (unsigned)(addr >> 24), (unsigned)(addr >> 16 & 255),
             (unsigned)(addr >> 8 & 255), (unsigned)(addr & 255));
    return true;
}

/* Turns the host libcurl returned into lower case A-labels in the arena. *ok is false for a
 * host that is not a valid name (or IDN). */
static fz_rc norm_host(const char *raw, struct fz_arena *a, char **out, bool *ok)
{
    size_t n = strlen(raw);
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        ascii &= (unsigned char)raw[i] < 0x80;
    char *idn = NULL;
    if (!ascii) {
        int rc = idn2_lookup_u8((const uint8_t *)raw, (uint8_t **)&idn,
                                IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
        if (rc != IDN2_OK)
            rc = idn2_lookup_u8((const uint8_t *)raw, (uint8_t **)&idn,
                                IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
        if (rc == IDN2_MALLOC)
            return FZ_E(FZ_ENOMEM);
        *ok = rc == IDN2_OK;
        if (!*ok)
            return FZ_OK;
        raw = idn;
        n = strlen(raw);
    }
    if (n > 1 && raw[n - 1] == '.' && raw[0] != '[')
        n--; /* the root label: "x.com." is "x.com" */
    char *h = fz_arena_strndup(a, raw, n);
    idn2_free(idn);
    if (!h)
        return FZ_E(FZ_ENOMEM);
    for (size_t i = 0; i < n; i++)
        h[i] = lower(h[i]);
    const char *last = strrchr(h, '.');
    last = last ? last + 1 : h;
    char quad[16];
    if (numeric_label(last, strlen(last)) && ipv4_canon(h, n, quad)) {
        h = fz_arena_strndup(a, quad, strlen(quad));
        if (!h)
            return FZ_E(FZ_ENOMEM);
        n = strlen(h);
    }
    *ok = h[0] == '[' || host_ok(h, n);
    *out = h;
    return FZ_OK;
}

/* The registrable domain inside host (a pointer into it), or NULL: for IP hosts, hosts whose
 * last label is no known suffix, and hosts that are themselves a public suffix. */
static const char *registrable(const psl_ctx_t *psl, const char *host)
{
    const char *dot = strrchr(host, '.');
    if (!dot || !fz__url_known_suffix(psl, dot + 1))
        return NULL;
    if (psl)
        return psl_registrable_domain(psl, host);
    const char *r = dot;
    while (r > host && r[-1] != '.')
        r--;
    return r;
}

/* ---- flags, risk and the normalized URL ----------------------------------------------- */

static void add_reason(struct fz_url *u, const struct fz_reason *r)
{
    if (u->nreasons < FZ_URL_MAX_REASONS)
        u->reasons[u->nreasons++] = r;
    u->risk = u->risk + r->weight > 100 ? 100 : u->risk + r->weight;
}

/* True when host or one of its parent domains is a listed shortener. */
static bool in_set_by_suffix(const struct fz_map *set, const char *host)
{
    for (const char *p = host; p; p = strchr(p, '.'), p = p ? p + 1 : NULL)
        if (fz_map_get(set, p, strlen(p)))
            return true;
    return false;
}

static bool has_punycode(const char *host)
{
    for (const char *p = host; p; p = strchr(p, '.'), p = p ? p + 1 : NULL)
        if (strncmp(p, "xn--", 4) == 0)
            return true;
    return false;
}

static unsigned port_value(const char *s)
{
    unsigned v = 0;
    for (; is_digit(*s) && v <= 65535; s++)
        v = v * 10 + (unsigned)(*s - '0');
    return v;
}

/* scheme://host[:port]/path[?query] in the arena. */
static char *compose(struct fz_arena *a, enum scheme sc, const char *host, const char *port,
                     const char *path, const char *query)
{
    const char *piece[] = {scheme_names[sc],
                           "://",
                           host,
                           port ? ":" : "",
                           port ? port : "",
                           path,
                           query && *query ? "?" : "",
                           query && *query ? query : ""};
    size_t len[sizeof piece / sizeof piece[0]], total = 0;
    for (size_t i = 0; i < sizeof piece / sizeof piece[0]; i++)
        total += len[i] = strlen(piece[i]);
    char *s = fz_arena_alloc(a, total + 1), *w = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < sizeof piece / sizeof piece[0]; i++) {
        memcpy(w, piece[i], len[i]);
        w += len[i];
    }
    *w = '\0';
    return s;
}

/* Sets the flags, lookalike and risk of a parsed URL whose host is out->host. */
static fz_rc judge(const struct fz_url_ctx *ctx, const struct parts *p, enum scheme sc,
                   struct fz_arena *a, struct fz_url *out)
{
    const char *host = out->host;
    bool ip = host[0] == '[' || is_ipv4(host);
    if (ip)
        out->flags |= FZ_URL_IP_HOST;
    if (!ip && has_punycode(host))
        out->flags |= FZ_URL_PUNYCODE;
    if (p->user)
        out->flags |= FZ_URL_USERINFO;
    if (p->port && port_value(p->port) != scheme_ports[sc])
        out->flags |= FZ_URL_NONSTANDARD_PORT;
    if (!ip && in_set_by_suffix(&ctx->shorteners, host))
        out->flags |= FZ_URL_SHORTENER;
    const char *reg = ip ? NULL : registrable(ctx->psl, host);
    const char *dot = strrchr(host, '.');
    bool risky_tld = !ip && dot && fz_map_get(&ctx->risky_tlds, dot + 1, strlen(dot + 1));
    struct fz__url_look look = {FZ__URL_LOOK_NONE, NULL};
    if (reg) {
        /* A brand's name under a country code (google.be, yahoo.co.jp) is usually the brand's
         * own site; under .cn, a generic or a cheap TLD (icbc.cc, alipay.top) it is not. */
        size_t hlen = strlen(host), tld_len = hlen - (size_t)(dot + 1 - host);
        bool same_ok = tld_len == 2 && !risky_tld && strcmp(dot + 1, "cn") != 0;
        out->registrable_domain = reg;
        if (fz__url_lookalike(&ctx->brands, host, hlen, (size_t)(reg - host), same_ok, &look)) {
            out->flags |= FZ_URL_LOOKALIKE;
            out->lookalike_of = fz_arena_strndup(a, look.domain, strlen(look.domain));
            if (!out->lookalike_of)
                return FZ_E(FZ_ENOMEM);
        }
    }
    static const struct {
        uint32_t flag;
        const struct fz_reason *reason;
    } by_flag[] = {{FZ_URL_IP_HOST, &r_ip_host},
                   {FZ_URL_PUNYCODE, &r_punycode},
                   {FZ_URL_USERINFO, &r_userinfo},
                   {FZ_URL_NONSTANDARD_PORT, &r_port},
                   {FZ_URL_SHORTENER, &r_shortener}};
    if (look.kind != FZ__URL_LOOK_NONE)
        add_reason(out, &r_lookalike[look.kind]);
    for (size_t i = 0; i < sizeof by_flag / sizeof by_flag[0]; i++)
        if (out->flags & by_flag[i].flag)
            add_reason(out, by_flag[i].reason);
    if (risky_tld)
        add_reason(out, &r_risky_tld);
    return FZ_OK;
}

/* Parses the folded URL at buf (scheme sc; NO_SCHEME already prefixed) into out. */
static fz_rc parse_url(const struct fz_url_ctx *ctx, const char *buf, enum scheme sc,
                       struct fz_arena *a, struct fz_url *out)
{
    struct parts p = {0};
    bool ok;
    fz_rc rc = curl_parse(buf, a, &p, &ok);
    if (rc || !ok)
        return rc;
    char *host;
    if ((rc = norm_host(p.host, a, &host, &ok)) || !ok)
        return rc;
    bool own_port = p.port && port_value(p.port) != scheme_ports[sc];
    out->host = host;
    out->url = compose(a, sc, host, own_port ? p.port : NULL, p.path, p.query);
    if (!out->url)
        return FZ_E(FZ_ENOMEM);
    if ((rc = judge(ctx, &p, sc, a, out)))
        return rc;
    out->valid = true;
    return FZ_OK;
}

fz_rc fz_url_analyze(const struct fz_url_ctx *ctx, const char *in, size_t len, struct fz_arena *a,
                     struct fz_url *out)
{
    memset(out, 0, sizeof *out);
    if (len > URL_MAX_IN)
        return FZ_E(FZ_ETOOBIG);
    char *buf;
    size_t n;
    fz_rc rc = fold_input(in, len, a, &buf, &n);
    if (rc || n == SIZE_MAX || n == 0)
        return rc;
    const size_t off = sizeof HTTP_PREFIX - 1;
    enum scheme sc = scheme_of(buf + off, n);
    if (sc == SCHEME_OTHER || (sc == SCHEME_NONE && is_email(buf + off, n)))
        return FZ_OK;
    if (sc == SCHEME_NONE) {
        memcpy(buf, HTTP_PREFIX, off);
        sc = SCHEME_HTTP;
        out->flags |= FZ_URL_NO_SCHEME;
    } else {
        buf += off;
    }
    rc = parse_url(ctx, buf, sc, a, out);
    if (rc || !out->valid)
        memset(out, 0, sizeof *out);
    return rc;
}
