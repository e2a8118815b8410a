/*
 * intel/normalize.c: the one canonical spelling of an indicator value, per kind.
 *
 * Every value that enters the store or is looked up in the index goes through here first, so
 * two spellings of one number, address or account meet in one row. Phones and URLs reuse the
 * phone and url modules; the other kinds are small syntax checks. Errors never echo the value
 * (it is personal data). The table is in docs/internals/intel.md.
 */
#include "compat.h"

#include "intel_int.h"

#include "fangzha/phone.h"

#include <arpa/inet.h>
#include <string.h>

/* Normalizes the trimmed, non-empty, valid UTF-8 s[0..n) into *res (arena memory). */
typedef fz_rc normalizer(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                         struct fz_str *res, struct fz_err *err);

static fz_rc invalid(struct fz_err *err, const char *why)
{
    return fz_err_set(err, FZ_E(FZ_EINVAL), "%s", why);
}

static fz_rc no_memory(struct fz_err *err)
{
    return fz_err_set(err, FZ_E(FZ_ENOMEM), "out of memory");
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c); }

/* A NUL-terminated copy of s[0..n) in the arena as *res, ASCII letters lower-cased. */
static fz_rc emit_lower(struct fz_arena *a, const char *s, size_t n, struct fz_str *res,
                        struct fz_err *err)
{
    char *p = fz_arena_strndup(a, s, n);
    if (p == NULL)
        return no_memory(err);
    for (size_t i = 0; i < n; i++)
        p[i] = lower(p[i]);
    *res = (struct fz_str){p, n};
    return FZ_OK;
}

/* ---- trimming and characters ---- */

/* The length of the white space at s[0..n): ASCII white space, U+00A0 and U+3000. */
static size_t space_at(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 1 && (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r')))
        return 1;
    if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    return 0;
}

/* The same at the end of s[0..n). */
static size_t space_before(const char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if (space_at(s + n - k, k) == k)
            return k;
    return 0;
}

static void trim(const char **s, size_t *n)
{
    size_t k;
    while ((k = space_at(*s, *n)) > 0) {
        *s += k;
        *n -= k;
    }
    while ((k = space_before(*s, *n)) > 0)
        *n -= k;
}

/* Code points that are not printable: C0 and C1 controls, DEL. */
static bool is_control(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

/* White space inside a value: ASCII, no-break, the Unicode spaces, line separators, BOM. */
static bool is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
           cp == 0xFEFF;
}

/* True when s[0..n) (valid UTF-8) has no control character, nor white space unless
 * spaces_ok. */
static bool printable(const char *s, size_t n, bool spaces_ok)
{
    const char *p = s, *end = s + n;
    while (p < end) {
        uint32_t cp;
        fz_utf8_decode(&p, end, &cp);
        if (is_control(cp) || (!spaces_ok && is_space_cp(cp)))
            return false;
    }
    return true;
}

/* ---- phone and url: the signal modules decide ---- */

static fz_rc norm_phone(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                        struct fz_str *res, struct fz_err *err)
{
    (void)uctx;
    struct fz_phone p;
    if (fz_phone_normalize(s, n, &p) != FZ_OK || !p.valid)
        return invalid(err, "not a phone number");
    /* Service numbers and SMS ports have no E.164 form: their digits are the value. */
    const char *v = p.e164[0] ? p.e164 : p.digits;
    return emit_lower(a, v, strlen(v), res, err);
}

static fz_rc need_ctx(struct fz_err *err)
{
    return fz_err_set(err, FZ_E(FZ_EINVAL), "url, domain and email values need the url context");
}

static fz_rc norm_url(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                      struct fz_str *res, struct fz_err *err)
{
    if (uctx == NULL)
        return need_ctx(err);
    struct fz_url u;
    fz_rc rc = fz_url_analyze(uctx, s, n, a, &u);
    if (rc != FZ_OK)
        return fz_err_set(err, rc, "url analysis failed: %s", fz_strerror(rc));
    if (!u.valid)
        return invalid(err, "not a url");
    *res = (struct fz_str){u.url, strlen(u.url)};
    return FZ_OK;
}

/* ---- domain and email ---- */

/* What may appear in a domain as written: ASCII letters, digits, '-', '_', '.', and non-ASCII
 * (IDN labels, fullwidth dots), which the url analyzer maps to A-labels. */
static bool domain_chars_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = c >= 0x80 || is_digit((char)c) ||
                  (lower((char)c) >= 'a' && lower((char)c) <= 'z') || c == '-' || c == '_' ||
                  c == '.';
        if (!ok)
            return false;
    }
    return true;
}

/* No label of host starts or ends with '-' (RFC 1123). */
static bool hyphens_ok(const char *host)
{
    size_t n = strlen(host);
    for (size_t i = 0; i < n; i++) {
        bool starts = i == 0 || host[i - 1] == '.';
        bool ends = i + 1 == n || host[i + 1] == '.';
        if (host[i] == '-' && (starts || ends))
            return false;
    }
    return true;
}

/* The url analyzer turned "http://" + s into u; true when it is just a host. Fullwidth '/'
 * or ':' in s become a path or port there, and make s no domain. */
static bool only_host(const struct fz_url *u)
{
    static const char scheme[] = "http://";
    size_t hlen = strlen(u->host);
    return strncmp(u->url, scheme, sizeof scheme - 1) == 0 &&
           strncmp(u->url + sizeof scheme - 1, u->host, hlen) == 0 &&
           strcmp(u->url + sizeof scheme - 1 + hlen, "/") == 0 && !(u->flags & FZ_URL_USERINFO);
}

static fz_rc norm_domain(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                         struct fz_str *res, struct fz_err *err)
{
    if (uctx == NULL)
        return need_ctx(err);
    if (!domain_chars_ok(s, n))
        return invalid(err, "not a domain name");
    struct fz_url u;
    fz_rc rc = fz_url_analyze(uctx, s, n, a, &u);
    if (rc != FZ_OK)
        return fz_err_set(err, rc, "domain analysis failed: %s", fz_strerror(rc));
    if (!u.valid || !only_host(&u))
        return invalid(err, "not a domain name");
    if (u.flags & FZ_URL_IP_HOST)
        return invalid(err, "an ip address, not a domain name");
    if (strchr(u.host, '.') == NULL)
        return invalid(err, "a domain name needs a dot");
    if (!hyphens_ok(u.host))
        return invalid(err, "a domain label starts or ends with '-'");
    *res = (struct fz_str){u.host, strlen(u.host)};
    return FZ_OK;
}

/* Characters RFC 5322 keeps out of an unquoted local part (quoted ones we do not take). */
static bool local_part_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64 || !printable(s, n, false))
        return false;
    for (size_t i = 0; i < n; i++)
        if (strchr("<>()[],;:\"\\", s[i]) != NULL && s[i] != '\0')
            return false;
    return true;
}

static fz_rc norm_email(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                        struct fz_str *res, struct fz_err *err)
{
    const char *at = memchr(s, '@', n);
    if (at == NULL || memchr(at + 1, '@', n - (size_t)(at + 1 - s)) != NULL)
        return invalid(err, "an e-mail address needs exactly one '@'");
    size_t local_len = (size_t)(at - s);
    if (!local_part_ok(s, local_len))
        return invalid(err, "bad e-mail local part");
    struct fz_str dom;
    fz_rc rc = norm_domain(uctx, at + 1, n - local_len - 1, a, &dom, err);
    if (rc != FZ_OK)
        return rc;
    char *p = fz_arena_alloc(a, local_len + 1 + dom.len + 1);
    if (p == NULL)
        return no_memory(err);
    for (size_t i = 0; i < local_len; i++)
        p[i] = lower(s[i]);
    p[local_len] = '@';
    memcpy(p + local_len + 1, dom.ptr, dom.len + 1);
    *res = (struct fz_str){p, local_len + 1 + dom.len};
    return FZ_OK;
}

/* ---- ip ---- */

static fz_rc norm_ip(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                     struct fz_str *res, struct fz_err *err)
{
    (void)uctx;
    char buf[INET6_ADDRSTRLEN + 8];
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
        s++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof buf || memchr(s, '\0', n) != NULL)
        return invalid(err, "not an ip address");
    memcpy(buf, s, n);
    buf[n] = '\0';
    int af = memchr(buf, ':', n) != NULL ? AF_INET6 : AF_INET;
    unsigned char addr[16];
    char text[INET6_ADDRSTRLEN];
    if (inet_pton(af, buf, addr) != 1 || inet_ntop(af, addr, text, sizeof text) == NULL)
        return invalid(err, "not an ip address");
    return emit_lower(a, text, strlen(text), res, err);
}

/* ---- numbers: bank accounts, QQ, IMEI ---- */

/*
 * Collects the digits of s[0..n) into buf (the first cap - 1 of them, NUL-terminated), skipping
 * spaces and dashes when skip_separators. Returns how many digits there were, or SIZE_MAX when
 * another character appears.
 */
static size_t collect_digits(const char *s, size_t n, bool skip_separators, char *buf, size_t cap)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (skip_separators && (s[i] == ' ' || s[i] == '-'))
            continue;
        if (!is_digit(s[i]))
            return SIZE_MAX;
        if (count + 1 < cap)
            buf[count] = s[i];
        count++;
    }
    buf[count + 1 < cap ? count : cap - 1] = '\0';
    return count;
}

static fz_rc norm_bank_account(const struct fz_url_ctx *uctx, const char *s, size_t n,
                               struct fz_arena *a, struct fz_str *res, struct fz_err *err)
{
    (void)uctx;
    char buf[24];
    size_t count = collect_digits(s, n, true, buf, sizeof buf);
    if (count == SIZE_MAX)
        return invalid(err, "a bank account number has only digits, spaces and dashes");
    if (count < 12 || count > 19)
        return invalid(err, "a bank account number has 12 to 19 digits");
    return emit_lower(a, buf, count, res, err);
}

static fz_rc norm_qq(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                     struct fz_str *res, struct fz_err *err)
{
    (void)uctx;
    char buf[16];
    size_t count = collect_digits(s, n, false, buf, sizeof buf);
    if (count == SIZE_MAX || count < 5 || count > 11 || buf[0] == '0')
        return invalid(err, "a qq number has 5 to 11 digits and does not start with 0");
    return emit_lower(a, buf, count, res, err);
}

/* Luhn over the 15 digits of an IMEI: every second digit from the right, check digit
 * excluded, is doubled. */
static bool luhn_ok(const char *d, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = (unsigned)(d[n - 1 - i] - '0');
        if (i % 2 == 1)
            v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
    }
    return sum % 10 == 0;
}

static fz_rc norm_imei(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                       struct fz_str *res, struct fz_err *err)
{
    (void)uctx;
    char buf[20];
    size_t count = collect_digits(s, n, true, buf, sizeof buf);
    if (count == SIZE_MAX)
        return invalid(err, "an imei has only digits, spaces and dashes");
    if (count == 14)
        return invalid(err, "imei without its check digit (15 digits needed)");
    if (count != 15)
        return invalid(err, "an imei has 15 digits");
    if (!luhn_ok(buf, count))
        return invalid(err, "imei check digit wrong");
    return emit_lower(a, buf, count, res, err);
}

/* ---- wifi ---- */

static bool is_hex(char c) { return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f'); }

static fz_rc norm_bssid(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                        struct fz_str *res, struct fz_err *err)
{
    (void)uctx;
    static const char why[] = "not a wifi bssid (six hex bytes, separated by : or - or not at all)";
    char sep = n == 17 ? s[2] : '\0';
    if (n != 12 && !(n == 17 && (sep == ':' || sep == '-')))
        return invalid(err, why);
    size_t step = n == 17 ? 3 : 2;
    char buf[17];
    for (size_t i = 0; i < 6; i++) {
        const char *p = s + i * step;
        if (!is_hex(p[0]) || !is_hex(p[1]) || (sep != '\0' && i < 5 && p[2] != sep))
            return invalid(err, why);
        buf[3 * i] = p[0];
        buf[3 * i + 1] = p[1];
        if (i < 5)
            buf[3 * i + 2] = ':';
    }
    return emit_lower(a, buf, sizeof buf, res, err);
}

/* ---- free text: wechat, payment ids, apps ---- */

static fz_rc norm_wechat(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                         struct fz_str *res, struct fz_err *err)
{
    (void)uctx;
    if (!printable(s, n, false))
        return invalid(err, "a wechat id has no spaces or control characters");
    return emit_lower(a, s, n, res, err);
}

static fz_rc norm_payment_id(const struct fz_url_ctx *uctx, const char *s, size_t n,
                             struct fz_arena *a, struct fz_str *res, struct fz_err *err)
{
    (void)uctx;
    if (!printable(s, n, true))
        return invalid(err, "a payment id has no control characters");
    return emit_lower(a, s, n, res, err);
}

static fz_rc norm_app(const struct fz_url_ctx *uctx, const char *s, size_t n, struct fz_arena *a,
                      struct fz_str *res, struct fz_err *err)
{
    (void)uctx;
    if (!printable(s, n, false))
        return invalid(err, "an app id has no spaces or control characters");
    return emit_lower(a, s, n, res, err);
}

static normalizer *const normalizers[FZ_IND__COUNT] = {
    [FZ_IND_PHONE] = norm_phone,
    [FZ_IND_URL] = norm_url,
    [FZ_IND_DOMAIN] = norm_domain,
    [FZ_IND_IP] = norm_ip,
    [FZ_IND_BANK_ACCOUNT] = norm_bank_account,
    [FZ_IND_PAYMENT_ID] = norm_payment_id,
    [FZ_IND_WECHAT] = norm_wechat,
    [FZ_IND_QQ] = norm_qq,
    [FZ_IND_EMAIL] = norm_email,
    [FZ_IND_APP] = norm_app,
    [FZ_IND_WIFI_BSSID] = norm_bssid,
    [FZ_IND_IMEI] = norm_imei,
};

fz_rc fz_ind_normalize(const struct fz_url_ctx *uctx, enum fz_ind_kind k, const char *in,
                       size_t len, struct fz_arena *a, const char **out, size_t *out_len,
                       struct fz_err *err)
{
    if ((unsigned)k >= FZ_IND__COUNT || (in == NULL && len > 0))
        return fz_err_set(err, FZ_E(FZ_EINVAL), "unknown indicator kind or no value");
    const char *name = fz_ind_kind_name(k);
    if (len > FZ__IND_VALUE_MAX)
        return fz_err_set(err, FZ_E(FZ_ETOOBIG), "%s value longer than %d bytes", name,
                          FZ__IND_VALUE_MAX);
    if (!fz_utf8_valid(in, len))
        return fz_err_set(err, FZ_E(FZ_EUTF8), "%s value is not valid UTF-8", name);
    const char *s = in;
    size_t n = len;
    trim(&s, &n);
    if (n == 0)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "empty %s value", name);
    struct fz_str res;
    fz_rc rc = normalizers[k](uctx, s, n, a, &res, err);
    if (rc != FZ_OK)
        return rc;
    *out = res.ptr;
    if (out_len != NULL)
        *out_len = res.len;
    return FZ_OK;
}
